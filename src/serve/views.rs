//! The editor API's answers, each a named type: what `editor.js` reads and
//! the guide documents (guide/src/office-it/api.md). A field renamed here
//! is renamed for both.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diag::DiagnosticView;
use crate::l10n::fields::Fields;
use crate::render::Region;

/// Where a translation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageState {
    /// The source language's own text.
    Source,
    /// Not translated.
    Missing,
    /// Translated before the source text last changed.
    Stale,
    /// Translated from today's source text.
    Current,
}

/// One message as the editor shows it (`GET …/message/<id>`).
#[derive(Debug, Clone, Serialize)]
pub struct MessageView {
    pub id: String,
    /// Its name for people, in English (`Title`, `Contact: press`).
    pub label: String,
    /// What kind of message it is and the rest of its id, for the
    /// interface to name it in its own language (`kind-web`, `archive`).
    pub kind: &'static str,
    pub name: String,
    /// Where it prints: `pdf`, `web`, `email`, `draft`.
    pub shows: Vec<&'static str>,
    /// Its file, relative to the project.
    pub file: String,
    /// The entry's Fluent source in the source language and in this one
    /// (`None` when missing).
    pub source: Option<String>,
    pub text: Option<String>,
    pub state: MessageState,
    /// The entry as fields; `None` when only its source can show it.
    pub fields: Option<Fields>,
    /// `check`'s findings about it, as `check --format json` gives them.
    pub findings: Vec<DiagnosticView>,
    /// For a stale translation: the source text it was made from, and what
    /// changed since, word by word.
    pub made_from: Option<String>,
    pub changes: Option<Vec<WordRun>>,
    /// The message's version, to send back with a save.
    pub base: String,
    /// A translation's review: `None` for the source language and a
    /// missing translation.
    pub review: Option<ReviewView>,
    /// The glossary's terms the English uses, with their renderings in this
    /// language (empty for the source language or without a glossary).
    pub terms: Vec<TermView>,
}

/// A glossary term in a message's English, as the editor underlines it.
#[derive(Debug, Clone, Serialize)]
pub struct TermView {
    /// The English term, as the glossary writes it (`BOMCA`).
    pub term: String,
    /// How the office writes it in this language (the first preferred).
    pub renderings: Vec<String>,
    /// Renderings not to use.
    pub forbidden: Vec<String>,
}

/// Where a translation stands in review before print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewState {
    /// Saved by a translator, not yet approved.
    Translated,
    /// Approved by a reviewer of its language, as it is now.
    Approved,
}

/// A translation's review, as the editor shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewView {
    pub state: ReviewState,
    /// Who last wrote it through pressroom, where known.
    pub author: Option<String>,
    pub approved_by: Option<String>,
    /// RFC 3339, UTC.
    pub approved_at: Option<String>,
    /// Edited since a reviewer approved it: the version approved last (its
    /// Fluent entry), and what changed since, word by word.
    pub approved_text: Option<String>,
    pub since_approved: Option<Vec<WordRun>>,
}

/// A run of words in a word diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordRun {
    pub op: WordOp,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WordOp {
    Same,
    Added,
    Removed,
}

/// A release's messages in a language (`GET …/messages`).
#[derive(Debug, Clone, Serialize)]
pub struct MessagesView {
    pub release: String,
    pub lang: String,
    pub source_language: String,
    /// Whether this language may be written here.
    pub editable: bool,
    /// Whether its translations may be approved here (a reviewer of it).
    pub approvable: bool,
    pub messages: Vec<MessageView>,
}

/// A save written (`POST /api/save`).
#[derive(Debug, Clone, Serialize)]
pub struct Saved {
    pub saved: bool,
    pub file: String,
    /// The message's new version, to send with its next save.
    pub base: String,
}

/// A save refused because the file changed on disk (409).
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    pub error: String,
    pub file: String,
    /// The entry as it is on disk now, and as the editor sent it.
    pub disk: Option<String>,
    pub yours: String,
    pub base: String,
}

/// The translation memory's suggestions for a message
/// (`GET …/suggest/<msg>`), paragraph by paragraph.
#[derive(Debug, Clone, Serialize)]
pub struct SuggestionsView {
    pub release: String,
    pub lang: String,
    pub id: String,
    pub paragraphs: Vec<ParagraphSuggestions>,
}

/// One paragraph of the message's English, and what the archive offers.
#[derive(Debug, Clone, Serialize)]
pub struct ParagraphSuggestions {
    /// 0-based, as the message's paragraphs (blank-line separated) run.
    pub paragraph: usize,
    pub source: String,
    pub suggestions: Vec<SuggestionView>,
}

/// A translation from the archive whose English is like this paragraph's.
#[derive(Debug, Clone, Serialize)]
pub struct SuggestionView {
    /// Similarity in percent (75–100; 100 exact).
    pub score: u32,
    /// Its English, and its translation, as Fluent writes them; the
    /// translation's placeables fitted to this paragraph's where the
    /// archive's English had another in their place.
    pub source: String,
    pub text: String,
    /// Where it comes from.
    pub release: String,
    pub message: String,
}

/// A message's history (`GET …/history/<msg>`), newest first.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryView {
    pub release: String,
    pub lang: String,
    pub id: String,
    pub versions: Vec<VersionView>,
}

/// One version of a message, as a commit left it.
#[derive(Debug, Clone, Serialize)]
pub struct VersionView {
    pub commit: String,
    /// The commit's author: who saved it.
    pub author: String,
    /// RFC 3339, UTC.
    pub at: String,
    pub summary: String,
    /// The entry's Fluent source then; `None` where the file lacked it.
    pub text: Option<String>,
    /// What changed from the version before it, word by word.
    pub changes: Vec<WordRun>,
}

/// A translation approved (`POST /api/approve`).
#[derive(Debug, Clone, Serialize)]
pub struct Approved {
    pub approved: bool,
    /// The reviewer.
    pub by: String,
}

/// A stale translation accepted (`POST /api/accept`).
#[derive(Debug, Clone, Serialize)]
pub struct Accepted {
    pub accepted: bool,
}

/// The findings and pages of unsaved text (`POST /api/draft`).
#[derive(Debug, Clone, Serialize)]
pub struct DraftView {
    pub release: String,
    pub lang: String,
    pub id: String,
    /// Always `true`: these pages are not what is saved.
    pub unsaved: bool,
    /// The entry as a save would write it, and as fields.
    pub entry: String,
    pub fields: Option<Fields>,
    pub findings: Vec<DiagnosticView>,
    pub errors: Vec<DiagnosticView>,
    /// The output drawn from it; `None` when it could not be drawn.
    pub pages: Option<Vec<PageView>>,
}

/// The releases and their translation status (`GET /api/releases`).
#[derive(Debug, Clone, Serialize)]
pub struct ReleasesView {
    pub releases: Vec<String>,
    pub languages: Vec<String>,
    pub source_language: String,
    pub status: Vec<StatusView>,
    /// What the editor may write: `translations`, `all languages`, `off`.
    pub editing: &'static str,
}

/// A refusal or failure: `{error}`, and in the team service a stable
/// `code` the page words in its language (`{error, code}`).
#[derive(Debug, Clone, Serialize)]
pub struct ErrorView {
    pub error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
}

/// A translation status cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusView {
    /// A release id, or `office` for office.ftl's row.
    pub release: String,
    pub lang: String,
    /// `done`, `missing 3`, `stale 1`, `to review 2`, … in English; the
    /// counts for the interface to say it in its language.
    pub label: String,
    pub done: bool,
    pub missing: usize,
    pub stale: usize,
    pub unreviewed: usize,
}

/// One page of an output, as the browser fetches and shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageView {
    /// `/page/<hash>.svg`, and the bitmap to show first.
    pub src: String,
    pub raster: String,
    /// In points.
    pub width: f64,
    pub height: f64,
    /// The page's text, for the image's alternative text.
    pub text: String,
    /// Where each message prints on it.
    pub regions: Vec<Region>,
}

/// An output (release × language) as a tab shows it: the `output` event,
/// and each entry of [`ReleaseState::outputs`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputState {
    pub release: String,
    pub lang: String,
    /// Grows with every build: a tab keeps the newest it has seen.
    pub version: u64,
    pub pages: Vec<PageView>,
    /// The last good PDF's URL.
    pub pdf: Option<String>,
    /// The last build's errors; empty when it succeeded.
    pub errors: Vec<DiagnosticView>,
}

/// A release page's whole state (`GET /release/<id>/state.json`, and in
/// the page itself).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReleaseState {
    pub release: String,
    pub languages: Vec<String>,
    pub outputs: BTreeMap<String, OutputState>,
    pub problems: Vec<DiagnosticView>,
    pub status: Vec<StatusView>,
}

/// The `settled` event: a batch of rebuilds is done.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettledEvent {
    pub problems: Vec<DiagnosticView>,
    pub status: Vec<StatusView>,
}
