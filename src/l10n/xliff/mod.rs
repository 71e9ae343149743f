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
mod export;
pub mod fluent;
mod import;
pub mod inline;
pub mod xml;

pub use export::{Exported, export};
pub use import::{Imported, import};

use std::collections::BTreeMap;

use entry::Parts;
use inline::TermForms;

use super::FtlFile;
use super::catalog::FtlKey;
use crate::names::ReleaseId;

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
    pub(super) fn xliff(self) -> &'static str {
        match self {
            State::Missing => "needs-translation",
            State::Stale => "needs-review-translation",
            State::Translated => "translated",
        }
    }
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
pub(super) fn comments(file: &FtlFile) -> BTreeMap<String, String> {
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
pub(super) fn messages(file: &FtlFile) -> Vec<(String, Parts)> {
    let mut ids: Vec<(&String, usize)> =
        file.entries.iter().map(|(id, span)| (id, span.start)).collect();
    ids.sort_by_key(|(_, start)| *start);
    ids.into_iter()
        .filter(|(id, _)| !id.starts_with('-') && !super::dates::is_own_format(id))
        .map(|(id, _)| (id.clone(), entry::parts(file.entry_text(id).unwrap_or_default())))
        .collect()
}

/// The files of `lang` an export or import concerns: office.ftl and the
/// releases (all when `ids` is empty).
pub(super) fn keys(ids: &[ReleaseId]) -> Vec<FtlKey> {
    FtlKey::all(ids)
}
