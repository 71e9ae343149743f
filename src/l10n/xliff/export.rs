//! `l10n export`: the units a language lacks or has stale (or all of them)
//! as an XLIFF 1.2 document.

use std::collections::{BTreeMap, BTreeSet};

use super::entry::Parts;
use super::inline::{self, Inline};
use super::{NAMESPACE, State, comments, keys, messages, term_forms, xml};
use crate::diag::Diagnostics;
use crate::l10n::Catalog;
use crate::l10n::catalog::FtlKey;
use crate::names::ReleaseId;
use crate::project::Project;

/// What an export holds.
#[derive(Debug, Default)]
pub struct Exported {
    pub xliff: String,
    /// Units per state.
    pub missing: usize,
    pub stale: usize,
    pub translated: usize,
}

/// Writes the XLIFF for `lang`: the units that are missing or stale, or
/// every unit with `all`.
pub fn export(
    project: &Project,
    lang: &str,
    ids: &[ReleaseId],
    all: bool,
) -> Result<Exported, Diagnostics> {
    let (catalog, problems) = Catalog::load(project, ids);
    if problems.has_errors() {
        return Err(problems);
    }
    let source_lang = catalog.source_lang.clone();
    let source_terms = term_forms(catalog.file(&source_lang, &FtlKey::Office));
    let target_terms = term_forms(catalog.file(lang, &FtlKey::Office));
    let mut out = Exported::default();
    let mut xliff = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"1.2\" xmlns=\"{NAMESPACE}\">\n"
    );
    for key in keys(ids) {
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
                let place = match &key {
                    FtlKey::Release(id) => format!("Release {id}, message {unit_id}"),
                    FtlKey::Office => format!("Office words (office.ftl), message {unit_id}"),
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
                            xml::escape(format!(
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
            xml::escape(key.name()),
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
