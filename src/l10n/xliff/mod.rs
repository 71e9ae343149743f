//! XLIFF 1.2 for translation agencies and CAT tools: `l10n export` writes
//! the messages a language lacks (or all of them) with the English as
//! source, and `l10n import` writes the translations back into the right
//! `.ftl` files, refusing — unit by unit — a unit whose English changed
//! since, whose inline codes were lost or damaged, or whose text is not
//! valid Fluent.
//!
//! XLIFF 1.2, not 2.0: it is what Trados, memoQ, OmegaT, Phrase and
//! translate-toolkit all read and write.

pub mod entry;
pub mod inline;
pub mod xml;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use entry::Parts;
use inline::{Inline, TermForms};

use super::catalog::{office_key, release_key};
use super::{Catalog, FtlFile};
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::names::ReleaseId;
use crate::project::Project;

pub const NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:1.2";

/// A unit's state, as XLIFF 1.2 names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// No translation yet.
    Missing,
    /// Translated from English that has changed since.
    Stale,
    Translated,
}

impl State {
    fn xliff(self) -> &'static str {
        match self {
            State::Missing => "needs-translation",
            State::Stale => "needs-review-translation",
            State::Translated => "translated",
        }
    }
}

/// What an export holds.
#[derive(Debug, Default)]
pub struct Exported {
    pub xliff: String,
    /// Units per state.
    pub missing: usize,
    pub stale: usize,
    pub translated: usize,
}

/// The forms of every term in these files: `-eu` -> [(case, text)], the
/// default variant first.
pub fn term_forms<'a>(files: impl IntoIterator<Item = &'a FtlFile>) -> TermForms {
    use fluent_syntax::ast;
    let mut forms = TermForms::new();
    for file in files {
        for entry in file.resource.entries() {
            let ast::Entry::Term(term) = entry else { continue };
            let name = format!("-{}", term.id.name);
            let mut list = Vec::new();
            match term.value.elements.as_slice() {
                [
                    ast::PatternElement::Placeable {
                        expression: ast::Expression::Select { variants, .. },
                    },
                ] => {
                    let mut sorted: Vec<_> = variants.iter().collect();
                    sorted.sort_by_key(|v| !v.default);
                    for variant in sorted {
                        let case = match &variant.key {
                            ast::VariantKey::Identifier { name } => name.to_string(),
                            ast::VariantKey::NumberLiteral { value } => value.to_string(),
                        };
                        list.push((Some(case), pattern_text(&variant.value)));
                    }
                }
                _ => list.push((None, pattern_text(&term.value))),
            }
            forms.insert(name, list);
        }
    }
    forms
}

fn pattern_text(pattern: &fluent_syntax::ast::Pattern<&str>) -> String {
    pattern
        .elements
        .iter()
        .map(|e| match e {
            fluent_syntax::ast::PatternElement::TextElement { value } => value.to_string(),
            _ => String::new(),
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The comments written above each message of a file, by id.
fn comments(file: &FtlFile) -> BTreeMap<String, String> {
    use fluent_syntax::ast;
    let mut out = BTreeMap::new();
    for entry in file.resource.entries() {
        if let ast::Entry::Message(m) = entry
            && let Some(comment) = &m.comment
        {
            out.insert(m.id.name.to_string(), comment.content.join("\n"));
        }
    }
    out
}

/// A file's messages (not terms, not a language's own date formats) in the
/// order they are written, with their parts.
fn messages(file: &FtlFile) -> Vec<(String, Parts)> {
    let mut ids: Vec<(&String, usize)> =
        file.entries.iter().map(|(id, span)| (id, span.start)).collect();
    ids.sort_by_key(|(_, start)| *start);
    ids.into_iter()
        .filter(|(id, _)| !id.starts_with('-') && !super::dates::is_own_format(id))
        .map(|(id, start)| {
            let range = entry::entry_range(&file.source.text, start);
            (id.clone(), entry::parts(&file.source.text[range]))
        })
        .collect()
}

/// The files of `lang` an export or import concerns: office.ftl and the
/// releases (all when `ids` is empty).
fn keys(project: &Project, ids: &[ReleaseId]) -> Vec<(String, Option<ReleaseId>)> {
    let _ = project;
    std::iter::once((office_key(), None))
        .chain(ids.iter().map(|id| (release_key(id), Some(id.clone()))))
        .collect()
}

/// Writes the XLIFF for `lang`: the units that are missing or stale, or
/// every unit with `all`.
pub fn export(
    project: &Project,
    lang: &str,
    ids: &[ReleaseId],
    all: bool,
) -> Result<Exported, Diagnostics> {
    let (catalog, problems) = Catalog::load(project, ids, false);
    if problems.has_errors() {
        return Err(problems);
    }
    let source_lang = catalog.source_lang.clone();
    let source_terms = term_forms(catalog.file(&source_lang, &office_key()));
    let target_terms = term_forms(catalog.file(lang, &office_key()));
    let mut out = Exported::default();
    let mut xliff = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"1.2\" xmlns=\"{NAMESPACE}\">\n"
    );
    for (key, id) in keys(project, ids) {
        let Some(source) = catalog.file(&source_lang, &key) else { continue };
        let target = catalog.file(lang, &key);
        let theirs: BTreeMap<String, Parts> =
            target.map(messages).unwrap_or_default().into_iter().collect();
        let stale = catalog.stale(lang, &key);
        let notes = comments(source);
        let mut units = String::new();
        for (message, parts) in messages(source) {
            let translated = theirs.get(&message);
            let pieces = std::iter::once((None, parts.value.clone()))
                .chain(parts.attrs.iter().map(|(a, v)| (Some(a.clone()), Some(v.clone()))));
            for (attr, english) in pieces {
                let Some(english) = english else { continue };
                let current = translated.and_then(|t| match &attr {
                    None => t.value.clone(),
                    Some(a) => t.attrs.iter().find(|(n, _)| n == a).map(|(_, v)| v.clone()),
                });
                let state = match &current {
                    None => State::Missing,
                    Some(_) if stale.contains(&message) => State::Stale,
                    Some(_) => State::Translated,
                };
                if state == State::Translated && !all {
                    continue;
                }
                match state {
                    State::Missing => out.missing += 1,
                    State::Stale => out.stale += 1,
                    State::Translated => out.translated += 1,
                }
                let unit_id = match &attr {
                    None => message.clone(),
                    Some(a) => format!("{message}.{a}"),
                };
                let source_inline = inline::from_fluent(&english, &source_terms);
                let mut target_inline =
                    current.map(|c| inline::from_fluent(&c, &target_terms)).unwrap_or_default();
                inline::align_ids(&source_inline, &mut target_inline);
                // A current translation is approved: CAT tools (and
                // translate-toolkit) count it as done, not fuzzy.
                let approved = if state == State::Translated { " approved=\"yes\"" } else { "" };
                units.push_str(&format!(
                    "      <trans-unit id=\"{}\" resname=\"{}\"{approved} xml:space=\"preserve\">\n",
                    xml::escape(&unit_id),
                    xml::escape(&unit_id)
                ));
                units.push_str(&format!(
                    "        <source>{}</source>\n",
                    xml::write_inline(&source_inline)
                ));
                units.push_str(&format!(
                    "        <target state=\"{}\">{}</target>\n",
                    state.xliff(),
                    xml::write_inline(&target_inline)
                ));
                if let Some(note) = notes.get(&message) {
                    units.push_str(&format!(
                        "        <note from=\"developer\">{}</note>\n",
                        xml::escape(note)
                    ));
                }
                let place = match &id {
                    Some(id) => format!("Release {id}, message {unit_id}"),
                    None => format!("Office words (office.ftl), message {unit_id}"),
                };
                units.push_str(&format!(
                    "        <note from=\"pressroom\">{}</note>\n",
                    xml::escape(&place)
                ));
                for term in terms_in(&source_inline) {
                    if let Some(forms) = target_terms.get(&term).filter(|f| f.len() > 1) {
                        let listed: Vec<&str> = forms.iter().map(|(_, f)| f.as_str()).collect();
                        units.push_str(&format!(
                            "        <note from=\"pressroom\">{}</note>\n",
                            xml::escape(&format!(
                                "Between the tags of {term}, write the form the sentence needs: {}",
                                listed.join(" | ")
                            ))
                        ));
                    }
                }
                units.push_str("      </trans-unit>\n");
            }
        }
        if units.is_empty() {
            continue;
        }
        xliff.push_str(&format!(
            "  <file original=\"{}\" source-language=\"{}\" target-language=\"{}\" datatype=\"plaintext\">\n    <body>\n{units}    </body>\n  </file>\n",
            xml::escape(&key),
            xml::escape(&source_lang),
            xml::escape(lang)
        ));
    }
    xliff.push_str("</xliff>\n");
    out.xliff = xliff;
    Ok(out)
}

fn terms_in(content: &[Inline]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for piece in content {
        if let Inline::G { ctype, children, .. } = piece {
            if let Some(name) = ctype.strip_prefix(inline::TERM_PREFIX) {
                out.insert(name.to_owned());
            }
            out.extend(terms_in(children));
        }
    }
    out
}

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
        Err(err) => {
            done.diagnostics.push(
                Diagnostic::error("xliff", format!("not a readable XLIFF file: {err}"))
                    .in_file(path.to_path_buf()),
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
            None if original == office_key() => None,
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
        let (catalog, problems) = Catalog::load(project, &ids, false);
        let key = original.clone();
        let Some(source) = catalog.file(&source_lang, &key) else {
            done.diagnostics.extend(problems);
            continue;
        };
        let source_terms = term_forms(catalog.file(&source_lang, &office_key()));
        let target_terms = term_forms(
            catalog.file(&lang, &office_key()).into_iter().chain(catalog.file(&lang, &key)),
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
            let fluent = match inline::to_fluent(&target, &inline::codes(&current), &target_terms) {
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
    let (range, mut parts) = match start {
        Some(start) => {
            let range = entry::entry_range(text, start);
            let parts = entry::parts(&text[range.clone()]);
            (Some(range), parts)
        }
        None => (None, Parts::default()),
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
    if let Err((_, errors)) = fluent_bundle::FluentResource::try_new(rendered.clone()) {
        let first = errors.first().map(|e| e.kind.to_string()).unwrap_or_default();
        return Err(first);
    }
    let mut out = text.to_owned();
    match range {
        Some(range) => out.replace_range(range, &rendered),
        None => {
            if !out.is_empty() && !out.ends_with("\n\n") {
                out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
            }
            out.push_str(&rendered);
        }
    }
    Ok(Some(out))
}
