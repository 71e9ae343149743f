//! `l10n import`: an XLIFF file's translations written back into the
//! `.ftl` files they came from, unit by unit, refusing what would lose or
//! corrupt something.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::entry::{self, Parts};
use super::{fluent, inline, messages, term_forms, xml};
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::l10n::Catalog;
use crate::l10n::catalog::FtlKey;
use crate::names::ReleaseId;
use crate::project::Project;

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    /// Units written into their files.
    pub written: usize,
    /// Units whose translation was already in the file.
    pub unchanged: usize,
    /// Units with no translation yet, left alone.
    pub empty: usize,
    /// The `.ftl` files rewritten.
    pub files: Vec<PathBuf>,
    /// Refused units and other findings, each located in the XLIFF file.
    pub diagnostics: Diagnostics,
}

/// Reads `xliff` (named `path` in messages) and writes its translations
/// into the project's `.ftl` files.
pub fn import(project: &Project, path: &std::path::Path, text: String) -> Imported {
    let mut done = Imported::default();
    let file = SourceFile::new(path.to_path_buf(), text);
    let at = |offset: usize| offset..offset + 1;
    let root = match xml::parse(&file.text) {
        Ok(root) => root,
        Err((offset, err)) => {
            done.diagnostics.push(
                Diagnostic::error("xliff", format!("not a readable XLIFF file: {err}"))
                    .at(&file, offset..offset + 1)
                    .hint("the file must be well-formed XML, as a CAT tool saves it"),
            );
            return done;
        }
    };
    if root.name != "xliff" || root.attr("version") != Some("1.2") {
        done.diagnostics.push(
            Diagnostic::error("xliff", "not an XLIFF 1.2 document")
                .at(&file, at(root.at))
                .hint("pressroom reads the XLIFF 1.2 files `pressroom l10n export` writes"),
        );
        return done;
    }
    let source_lang = project.source_language();
    let translations: Vec<String> =
        project.languages().into_iter().filter(|l| *l != source_lang).collect();
    for xfile in root.elements("file") {
        let lang = xfile.attr("target-language").unwrap_or_default().to_owned();
        let original = xfile.attr("original").unwrap_or_default().to_owned();
        let refuse = |d: &mut Diagnostics, offset: usize, message: String, hint: &str| {
            d.push(Diagnostic::error("xliff", message).at(&file, at(offset)).hint(hint.to_owned()));
        };
        if !translations.contains(&lang) {
            refuse(
                &mut done.diagnostics,
                xfile.at,
                format!("target-language `{lang}` is not a translation language of this office"),
                &format!("translations: {}", translations.join(", ")),
            );
            continue;
        }
        let release = match original.strip_prefix("releases/").and_then(|r| r.strip_suffix(".ftl"))
        {
            Some(id) => match ReleaseId::new(id) {
                Ok(id) if project.release_file(&id).is_file() => Some(id),
                _ => {
                    refuse(
                        &mut done.diagnostics,
                        xfile.at,
                        format!("`{original}` names no release of this project"),
                        "the file's `original` says which .ftl file its units belong to",
                    );
                    continue;
                }
            },
            None if original == FtlKey::Office.name() => None,
            None => {
                refuse(
                    &mut done.diagnostics,
                    xfile.at,
                    format!("`{original}` is not a file pressroom translates"),
                    "expected office.ftl or releases/<id>.ftl",
                );
                continue;
            }
        };
        let ids: Vec<ReleaseId> = release.iter().cloned().collect();
        let (catalog, problems) = Catalog::load(project, &ids);
        let key = release.clone().map_or(FtlKey::Office, FtlKey::Release);
        let Some(source) = catalog.file(&source_lang, &key) else {
            done.diagnostics.extend(problems);
            continue;
        };
        let source_terms = term_forms(catalog.file(&source_lang, &FtlKey::Office));
        let target_terms = term_forms(
            catalog.file(&lang, &FtlKey::Office).into_iter().chain(catalog.file(&lang, &key)),
        );
        let english: BTreeMap<String, Parts> = messages(source).into_iter().collect();
        let target_path = match &release {
            Some(id) => project.release_ftl(&lang, id),
            None => project.office_ftl(&lang),
        };
        let mut text = std::fs::read_to_string(&target_path)
            .map(crate::project::without_bom)
            .unwrap_or_default();
        let before = text.clone();
        let Some(body) = xfile.element("body") else { continue };
        for unit in body.elements("trans-unit") {
            let unit_id = unit.attr("id").unwrap_or_default().to_owned();
            let (message, attr) = match unit_id.split_once('.') {
                Some((m, a)) => (m.to_owned(), Some(a.to_owned())),
                None => (unit_id.clone(), None),
            };
            let target = unit.element("target").map(|t| t.inline()).unwrap_or_default();
            if inline::plain_text(&target).trim().is_empty() {
                done.empty += 1;
                continue;
            }
            let now = english.get(&message).and_then(|p| match &attr {
                None => p.value.clone(),
                Some(a) => p.attrs.iter().find(|(n, _)| n == a).map(|(_, v)| v.clone()),
            });
            let Some(now) = now else {
                refuse(
                    &mut done.diagnostics,
                    unit.at,
                    format!("`{unit_id}` is not in the English {key} any more"),
                    "export again to get the current messages",
                );
                continue;
            };
            let current = inline::from_fluent(&now, &source_terms);
            let exported = unit.element("source").map(|s| s.inline()).unwrap_or_default();
            if xml::write_inline(&current) != xml::write_inline(&exported) {
                refuse(
                    &mut done.diagnostics,
                    unit.at,
                    format!(
                        "the English of `{unit_id}` changed since this file was exported; nothing of this unit was written"
                    ),
                    "export again and translate the new English",
                );
                continue;
            }
            let fluent = match fluent::to_fluent(&target, &inline::codes(&current), &target_terms) {
                Ok(fluent) => fluent,
                Err(damage) => {
                    refuse(
                        &mut done.diagnostics,
                        unit.at,
                        format!("`{unit_id}`: {damage}; nothing of this unit was written"),
                        "keep every inline code of the source (placeables, markup, list markers) exactly once",
                    );
                    continue;
                }
            };
            match write_unit(&text, &message, attr.as_deref(), &fluent) {
                Ok(Some(new)) => {
                    text = new;
                    done.written += 1;
                }
                Ok(None) => done.unchanged += 1,
                Err(err) => refuse(
                    &mut done.diagnostics,
                    unit.at,
                    format!(
                        "`{unit_id}` would not be valid Fluent: {err}; nothing of this unit was written"
                    ),
                    "a line may not start with `[`, `*` or `.`; write it another way",
                ),
            }
        }
        if text != before {
            if let Err(err) = crate::atomic::write_atomic(&target_path, text.as_bytes()) {
                done.diagnostics.push(
                    Diagnostic::error("write", format!("cannot write: {err}"))
                        .in_file(project.relative(&target_path)),
                );
                continue;
            }
            done.files.push(target_path);
        }
    }
    done
}

/// The file `text` with message `id` (or its attribute) set to `value`;
/// `None` when it already says that. Errors when the result is not valid
/// Fluent.
fn write_unit(
    text: &str,
    id: &str,
    attr: Option<&str>,
    value: &str,
) -> Result<Option<String>, String> {
    let start = text
        .match_indices(&format!("{id} ="))
        .map(|(i, _)| i)
        .chain(text.match_indices(&format!("{id}=")).map(|(i, _)| i))
        .find(|&i| i == 0 || text.as_bytes()[i - 1] == b'\n');
    let mut parts = match start {
        Some(start) => entry::parts(&text[crate::l10n::ftl::entry_range(text, start)]),
        None => Parts::default(),
    };
    let slot = match attr {
        None => &mut parts.value,
        Some(a) => {
            if !parts.attrs.iter().any(|(n, _)| n == a) {
                parts.attrs.push((a.to_owned(), String::new()));
            }
            let i = parts.attrs.iter().position(|(n, _)| n == a).unwrap_or(0);
            &mut Some(std::mem::take(&mut parts.attrs[i].1))
        }
    };
    if slot.as_deref() == Some(value) {
        return Ok(None);
    }
    match attr {
        None => parts.value = Some(value.to_owned()),
        Some(a) => {
            if let Some(entry) = parts.attrs.iter_mut().find(|(n, _)| n == a) {
                entry.1 = value.to_owned();
            }
        }
    }
    let rendered = entry::render_entry(id, &parts);
    if crate::l10n::nesting::too_deep(&rendered).is_some() {
        return Err("placeables are nested more than 64 deep".to_owned());
    }
    if let Err((_, errors)) = fluent_bundle::FluentResource::try_new(rendered.clone()) {
        let first = errors.first().map(|e| e.kind.to_string()).unwrap_or_default();
        return Err(first);
    }
    Ok(Some(crate::l10n::ftl::splice_entry(text, start, &rendered)))
}
