//! What the preview shows: each output's last good pages and PDF, its errors,
//! the problems of the last batch and the translation status. The watcher
//! updates it; the HTTP handlers read it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use bytes::Bytes;

use super::views::{OutputState, PageView, ReleaseState, SettledEvent, StatusView};
use crate::diag::{Diagnostic, DiagnosticView, Diagnostics};
use crate::render::PageImage;
use crate::status::StatusRow;

/// One (release, language) output as the browser sees it.
#[derive(Debug, Default)]
pub struct OutputView {
    /// The last good build's pages.
    pub pages: Vec<Arc<PageImage>>,
    /// The pages before those, still served a little while: a browser that
    /// was told of them may be fetching them right now.
    previous: Vec<Arc<PageImage>>,
    pub pdf: Option<Bytes>,
    /// Changes with every good build, so the PDF link changes with it.
    pub pdf_version: u64,
    /// Errors of the last build, when it failed; empty when it succeeded.
    pub errors: Vec<DiagnosticView>,
    /// Grows with every build of this output, good or bad: a tab keeps the
    /// newest it has seen, whichever way (event or resync) it came.
    version: u64,
}

/// The preview's whole state.
#[derive(Debug, Default)]
pub struct Preview {
    /// The languages shown, the source language first.
    pub languages: Vec<String>,
    pub source_language: String,
    outputs: BTreeMap<(String, String), OutputView>,
    pages: HashMap<String, Arc<PageImage>>,
    /// The editor's unsaved drafts: an output's pages drawn from text not
    /// yet saved, until the next build of that output.
    drafts: BTreeMap<(String, String), Vec<Arc<PageImage>>>,
    /// Errors not tied to one output (a release TOML that does not load, a
    /// broken pressroom.toml), from the last batch.
    problems: Vec<DiagnosticView>,
    batch_problems: Vec<DiagnosticView>,
    /// Translation status, a row per (release or office, language).
    status: Vec<StatusRow>,
    /// The releases followed, in order.
    releases: Vec<String>,
    builds: u64,
    /// Every build so far, good or bad.
    changes: u64,
}

/// A diagnostic for the page: its fields plus the rendered text (the
/// offending line underlined), as the terminal shows it.
pub fn error_view(diag: &Diagnostic) -> DiagnosticView {
    diag.view_with_text()
}

fn errors_of(diagnostics: &Diagnostics) -> Vec<DiagnosticView> {
    diagnostics.iter().filter(|d| d.is_error()).map(error_view).collect()
}

impl Preview {
    pub fn new(languages: Vec<String>, source_language: String) -> Self {
        Self { languages, source_language, ..Self::default() }
    }

    /// A good build: its pages replace the previous ones. Returns the
    /// output's event.
    pub fn built(
        &mut self,
        release: &str,
        lang: &str,
        images: Vec<Arc<PageImage>>,
        pdf: Vec<u8>,
    ) -> OutputState {
        self.builds += 1;
        let version = self.builds;
        let key = (release.to_owned(), lang.to_owned());
        let output = self.outputs.entry(key).or_default();
        output.previous = std::mem::replace(&mut output.pages, images);
        output.pdf = Some(Bytes::from(pdf));
        output.pdf_version = version;
        output.errors.clear();
        self.changes += 1;
        output.version = self.changes;
        self.drafts.remove(&(release.to_owned(), lang.to_owned()));
        self.collect_pages();
        self.output_state(release, lang)
    }

    /// A failed build: the last good pages stay, with its errors.
    pub fn failed(&mut self, release: &str, lang: &str, diagnostics: &Diagnostics) -> OutputState {
        let key = (release.to_owned(), lang.to_owned());
        let output = self.outputs.entry(key).or_default();
        output.errors = errors_of(diagnostics);
        self.changes += 1;
        output.version = self.changes;
        self.output_state(release, lang)
    }

    /// A release nobody looks at any more: its pages and PDFs go (a tab
    /// that opens it again gets them rendered anew).
    pub fn drop_release(&mut self, release: &str) {
        self.outputs.retain(|(r, _), _| r != release);
        self.drafts.retain(|(r, _), _| r != release);
        self.collect_pages();
    }

    /// Problems not tied to one output, gathered until the batch settles.
    pub fn problems(&mut self, diagnostics: &Diagnostics) {
        self.batch_problems.extend(errors_of(diagnostics));
    }

    /// A batch is done: its problems replace the last batch's, and the
    /// status is the one given. Returns the `settled` event.
    pub fn settled(&mut self, status: Option<(Vec<StatusRow>, Vec<String>)>) -> SettledEvent {
        self.problems = std::mem::take(&mut self.batch_problems);
        if let Some((rows, releases)) = status {
            // A deleted release's pages go with it.
            self.outputs.retain(|(release, _), _| releases.contains(release));
            self.collect_pages();
            self.status = rows;
            self.releases = releases;
        }
        SettledEvent { problems: self.problems.clone(), status: self.status_views() }
    }

    /// Keeps only the pages some output shows now or showed just before,
    /// and the editor's drafts.
    fn collect_pages(&mut self) {
        let mut live = HashSet::new();
        let shown = self.outputs.values().flat_map(|o| o.pages.iter().chain(&o.previous));
        for page in shown.chain(self.drafts.values().flatten()) {
            live.insert(page.hash.clone());
            self.pages.entry(page.hash.clone()).or_insert_with(|| page.clone());
        }
        self.pages.retain(|hash, _| live.contains(hash));
    }

    pub fn page(&self, hash: &str) -> Option<Arc<PageImage>> {
        self.pages.get(hash).cloned()
    }

    pub fn output(&self, release: &str, lang: &str) -> Option<&OutputView> {
        self.outputs.get(&(release.to_owned(), lang.to_owned()))
    }

    pub fn releases(&self) -> &[String] {
        &self.releases
    }

    pub fn has_release(&self, release: &str) -> bool {
        self.releases.iter().any(|r| r == release) || self.outputs.keys().any(|(r, _)| r == release)
    }

    pub fn status_row(&self, release: &str, lang: &str) -> Option<&StatusRow> {
        self.status.iter().find(|row| row.release == release && row.language == lang)
    }

    /// The status rows of the languages shown.
    pub fn status_views(&self) -> Vec<StatusView> {
        self.status
            .iter()
            .filter(|row| self.languages.contains(&row.language))
            .map(|row| StatusView {
                release: row.release.clone(),
                lang: row.language.clone(),
                label: row.label(&self.source_language),
                done: row.is_done(),
                missing: row.missing,
                stale: row.stale,
                unreviewed: row.unreviewed,
            })
            .collect()
    }

    /// The problems that concern a release: its own and everyone's.
    pub fn problems_for(&self, release: &str) -> Vec<DiagnosticView> {
        self.problems
            .iter()
            .filter(|p| p.release.as_deref().is_none_or(|r| r == release))
            .cloned()
            .collect()
    }

    /// What the browser needs to show an output: its pages, its PDF, its
    /// errors.
    pub fn output_state(&self, release: &str, lang: &str) -> OutputState {
        let Some(output) = self.output(release, lang) else {
            return OutputState {
                release: release.to_owned(),
                lang: lang.to_owned(),
                version: 0,
                pages: Vec::new(),
                pdf: None,
                errors: Vec::new(),
            };
        };
        OutputState {
            release: release.to_owned(),
            lang: lang.to_owned(),
            version: output.version,
            pages: page_views(&output.pages),
            pdf: output.pdf.as_ref().map(|_| pdf_url(release, lang, output.pdf_version)),
            errors: output.errors.clone(),
        }
    }

    /// A release page's whole state, for a browser that (re)connects.
    pub fn release_state(&self, release: &str) -> ReleaseState {
        ReleaseState {
            release: release.to_owned(),
            languages: self.languages.clone(),
            outputs: self
                .languages
                .iter()
                .map(|lang| (lang.clone(), self.output_state(release, lang)))
                .collect(),
            problems: self.problems_for(release),
            status: self.status_views(),
        }
    }
}

/// Pages as the browser needs them: where to fetch each, its size, text
/// and message regions.
fn page_views(pages: &[Arc<PageImage>]) -> Vec<PageView> {
    pages
        .iter()
        .map(|p| PageView {
            src: page_url(&p.hash),
            raster: format!("/page/{}.bmp", p.hash),
            width: p.width,
            height: p.height,
            text: p.text.clone(),
            regions: p.regions.clone(),
        })
        .collect()
}

impl Preview {
    /// The editor drew an output from unsaved text: its pages are served
    /// until the next build of that output. Returns them as the browser
    /// needs them.
    pub fn draft(
        &mut self,
        release: &str,
        lang: &str,
        images: Vec<Arc<PageImage>>,
    ) -> Vec<PageView> {
        let pages = page_views(&images);
        self.drafts.insert((release.to_owned(), lang.to_owned()), images);
        // Only a bounded number of drafts: one per output shown.
        while self.drafts.len() > 16 {
            self.drafts.pop_first();
        }
        self.collect_pages();
        pages
    }
}

pub fn page_url(hash: &str) -> String {
    format!("/page/{hash}.svg")
}

/// The PDF's URL; the version makes it change with every good build.
pub fn pdf_url(release: &str, lang: &str, version: u64) -> String {
    format!("/release/{release}/{lang}.pdf?v={version}")
}
