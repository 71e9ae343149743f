//! `pressroom status`: translation progress, a row per release (and one for
//! the office's shared words), a column per language.

use serde::Serialize;

use crate::diag::Diagnostics;
use crate::l10n::Catalog;
use crate::l10n::catalog::FtlKey;
use crate::project::Project;

/// The row name of `office.ftl`: parentheses never occur in a release id.
pub const OFFICE_ROW: &str = "(office)";

#[derive(Debug, Clone, Default, Serialize)]
pub struct StatusRow {
    pub release: String,
    pub language: String,
    /// Messages in the source language's file.
    pub messages: usize,
    pub missing: usize,
    pub stale: usize,
    /// Translated, not yet approved (counted where `[review] required`).
    pub unreviewed: usize,
}

impl StatusRow {
    pub fn is_done(&self) -> bool {
        self.missing == 0 && self.stale == 0 && self.unreviewed == 0
    }

    /// `done`, `missing 3`, `stale 1`, `missing 3, stale 1`; `source` for
    /// the source language, which is never missing anything.
    pub fn label(&self, source_language: &str) -> String {
        if self.language == source_language {
            return "source".to_owned();
        }
        let mut parts = Vec::new();
        if self.missing > 0 {
            parts.push(format!("missing {}", self.missing));
        }
        if self.stale > 0 {
            parts.push(format!("stale {}", self.stale));
        }
        if self.unreviewed > 0 {
            parts.push(format!("to review {}", self.unreviewed));
        }
        if parts.is_empty() { "done".to_owned() } else { parts.join(", ") }
    }
}

/// One row per (release or office, language), source language included,
/// the translation state reconciled in memory (a live preview's).
pub fn status(project: &Project) -> Result<(Vec<StatusRow>, Diagnostics), Diagnostics> {
    let ids = project.release_ids()?;
    let (catalog, diags) = Catalog::load(project, &ids);
    Ok((rows(&catalog, &ids), diags))
}

/// [`status`], recording newly stale translations in the committed state
/// files (`pressroom status`).
pub fn status_and_record(project: &Project) -> Result<(Vec<StatusRow>, Diagnostics), Diagnostics> {
    let ids = project.release_ids()?;
    let (catalog, diags) = Catalog::load_and_record(project, &ids);
    Ok((rows(&catalog, &ids), diags))
}

fn rows(catalog: &Catalog, ids: &[crate::names::ReleaseId]) -> Vec<StatusRow> {
    let keys = ids
        .iter()
        .map(|id| (id.to_string(), FtlKey::Release(id.clone())))
        .chain(std::iter::once((OFFICE_ROW.to_owned(), FtlKey::Office)));
    let mut rows = Vec::new();
    for (row, key) in keys {
        let source: Vec<String> = catalog
            .file(&catalog.source_lang, &key)
            .map(|f| f.entries.keys().filter(|id| !id.starts_with('-')).cloned().collect())
            .unwrap_or_default();
        for lang in &catalog.languages {
            let translated = catalog.file(lang, &key);
            let missing = source.iter().filter(|id| !translated.is_some_and(|f| f.has(id))).count();
            let stale_ids = catalog.stale(lang, &key);
            let stale = stale_ids.len();
            // Terms (`-eu`) count as translations to review too: they print.
            let unreviewed = if catalog.review.required && *lang != catalog.source_lang {
                catalog.unapproved(lang, &key).difference(&stale_ids).count()
            } else {
                0
            };
            rows.push(StatusRow {
                release: row.clone(),
                language: lang.clone(),
                messages: source.len(),
                missing,
                stale,
                unreviewed,
            });
        }
    }
    rows
}
