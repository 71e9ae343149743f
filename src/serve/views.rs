//! The editor API's answers, each a named type: what `editor.js` reads and
//! the guide documents (guide/src/office-it/api.md). A field renamed here
//! is renamed for both.

use serde::Serialize;
use serde_json::Value;

use crate::l10n::fields::Fields;

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
    pub findings: Vec<Value>,
    /// For a stale translation: the source text it was made from, and what
    /// changed since, word by word.
    pub made_from: Option<String>,
    pub changes: Option<Vec<WordRun>>,
    /// The file's version, to send back with a save.
    pub base: String,
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

/// A stale translation accepted (`POST /api/accept`).
#[derive(Debug, Clone, Serialize)]
pub struct Accepted {
    pub accepted: bool,
}
