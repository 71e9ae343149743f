//! One diagnostic type for every source of error, rendered the same way
//! (rustc/Typst style, via codespan-reporting) whatever produced it.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config, termcolor};
use serde::Serialize;

/// A finding as `check --format json`, the editor and the preview give it.
/// Fields in alphabetical order: the JSON `check` has always printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiagnosticView {
    pub code: &'static str,
    /// 1-based.
    pub column: Option<usize>,
    /// Its file, relative to the project where it is in the project.
    pub file: Option<String>,
    pub hints: Vec<String>,
    pub language: Option<String>,
    pub line: Option<usize>,
    pub message: String,
    /// The interface's phrase for it (the code where there is none).
    pub phrase: &'static str,
    pub release: Option<String>,
    pub severity: Severity,
    /// The rendered text, for pages; absent in `check --format json`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// How bad a finding is: errors fail the run, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A source file a diagnostic points into: its path as the user knows it
/// (relative to the project root where possible) and its full text, so the
/// offending line can be shown.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        Self { path: path.into(), text: text.into() }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = self.text[line_start..offset].chars().count() + 1;
        (line, col)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Where a diagnostic points: a file, and optionally a byte range in it.
#[derive(Debug, Clone)]
pub struct Location {
    pub file: SourceFile,
    pub span: Option<Range<usize>>,
}

/// A finding about the user's sources: what is wrong, where, and how to fix it.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short stable identifier (`release-field`, `fluent-syntax`, …) for
    /// tools and tests.
    pub code: &'static str,
    pub message: String,
    pub location: Option<Location>,
    /// A path to name when there is no source text to show (a missing file).
    pub path: Option<PathBuf>,
    pub hints: Vec<String>,
    pub language: Option<String>,
    pub release: Option<String>,
    /// The message (`title`, `contact-press.role`) a translation finding is
    /// about, so findings can be gathered per language.
    pub message_id: Option<String>,
    /// A stable name for what the finding says, finer than `code` (which
    /// Fluent syntax error it is), for an interface that says it in the
    /// reader's language.
    pub phrase: Option<&'static str>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            path: None,
            hints: Vec::new(),
            language: None,
            release: None,
            message_id: None,
            phrase: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(code, message) }
    }

    /// Points the diagnostic at a byte range of a source file.
    pub fn at(mut self, file: &SourceFile, span: Range<usize>) -> Self {
        let end = span.end.min(file.text.len());
        let start = span.start.min(end);
        self.location = Some(Location { file: file.clone(), span: Some(start..end) });
        self
    }

    /// Names the file without pointing into it.
    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn language(mut self, lang: impl Into<String>) -> Self {
        self.language = Some(lang.into());
        self
    }

    pub fn release(mut self, id: impl Into<String>) -> Self {
        self.release = Some(id.into());
        self
    }

    /// Names the message the finding is about.
    pub fn about_message(mut self, id: impl Into<String>) -> Self {
        self.message_id = Some(id.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The file this diagnostic is about, if any.
    pub fn file_path(&self) -> Option<&Path> {
        self.location.as_ref().map(|l| l.file.path.as_path()).or(self.path.as_deref())
    }

    /// 1-based line and column of the start of the span, if located.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let loc = self.location.as_ref()?;
        Some(loc.file.line_col(loc.span.as_ref()?.start))
    }

    /// Renders the diagnostic rustc-style; `color` adds terminal colours.
    pub fn render(&self, out: &mut dyn termcolor::WriteColor) -> std::io::Result<()> {
        let severity = match self.severity {
            Severity::Error => codespan_reporting::diagnostic::Severity::Error,
            Severity::Warning => codespan_reporting::diagnostic::Severity::Warning,
        };
        let mut message = self.message.clone();
        if let Some(lang) = &self.language {
            message = format!("{message} [{lang}]");
        }
        let mut cs = CsDiagnostic::new(severity).with_code(self.code).with_message(message);
        let notes = self.hints.iter().map(|h| format!("hint: {h}")).collect::<Vec<_>>();
        cs = cs.with_notes(notes);

        let config = Config::default();
        match &self.location {
            Some(Location { file, span: Some(span) }) => {
                let files = SimpleFile::new(file.path.display().to_string(), file.text.as_ref());
                cs = cs.with_labels(vec![Label::primary((), span.clone())]);
                term::emit_to_write_style(out, &config, &files, &cs).map_err(std::io::Error::other)
            }
            other => {
                let path = other.as_ref().map(|l| l.file.path.as_path()).or(self.path.as_deref());
                if let Some(path) = path {
                    cs.notes.insert(0, format!("in {}", path.display()));
                }
                let files = SimpleFile::new(String::new(), "");
                term::emit_to_write_style(out, &config, &files, &cs).map_err(std::io::Error::other)
            }
        }
    }

    /// As `check --format json` gives it.
    pub fn view(&self) -> DiagnosticView {
        let (line, column) = self.line_col().unzip();
        DiagnosticView {
            severity: self.severity,
            code: self.code,
            file: self.file_path().map(|p| p.display().to_string()),
            line,
            column,
            message: self.message.clone(),
            hints: self.hints.clone(),
            language: self.language.clone(),
            release: self.release.clone(),
            phrase: self.phrase.unwrap_or(self.code),
            text: None,
        }
    }

    /// [`Self::view`] with the rendered text (the offending line
    /// underlined, as the terminal shows it): what a page shows.
    pub fn view_with_text(&self) -> DiagnosticView {
        DiagnosticView { text: Some(self.to_plain_string()), ..self.view() }
    }

    /// The rendered diagnostic without colours, as a string (for tests and logs).
    pub fn to_plain_string(&self) -> String {
        let mut buffer = termcolor::NoColor::new(Vec::new());
        // Writing into memory cannot fail.
        let _ = self.render(&mut buffer);
        String::from_utf8_lossy(&buffer.into_inner()).into_owned()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_plain_string())
    }
}

/// A set of findings: what a run that found problems returns.
#[derive(Debug, Clone, Default, thiserror::Error)]
#[error("{} problem(s) found", .0.len())]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// Every finding changed by `f` (tagged with its language or release).
    pub fn map(self, f: impl FnMut(Diagnostic) -> Diagnostic) -> Self {
        Self(self.0.into_iter().map(f).collect())
    }

    /// Drops findings reported twice (a shared file read for each release).
    pub fn dedup(self) -> Self {
        let mut seen = std::collections::HashSet::new();
        Self(
            self.0
                .into_iter()
                .filter(|d| {
                    seen.insert((d.to_plain_string(), d.language.clone(), d.release.clone()))
                })
                .collect(),
        )
    }

    /// One object per finding, for editors and CI (`check --format json`).
    pub fn views(&self) -> Vec<DiagnosticView> {
        self.0.iter().map(Diagnostic::view).collect()
    }

    /// Folds findings that differ only in their language into one naming
    /// all of them (a layout error shows once, tagged `[en, ru, tg]`).
    pub fn merge_languages(self) -> Self {
        let mut merged: Vec<Diagnostic> = Vec::new();
        for diag in self.0 {
            let same = merged.iter_mut().find(|m| {
                m.severity == diag.severity
                    && m.code == diag.code
                    && m.message == diag.message
                    && m.hints == diag.hints
                    && m.release == diag.release
                    && m.file_path() == diag.file_path()
                    && m.location.as_ref().map(|l| l.span.clone())
                        == diag.location.as_ref().map(|l| l.span.clone())
            });
            match (same, &diag.language) {
                (Some(m), Some(lang)) => {
                    let langs = m.language.get_or_insert_with(String::new);
                    if !langs.split(", ").any(|l| l == lang) {
                        if !langs.is_empty() {
                            langs.push_str(", ");
                        }
                        langs.push_str(lang);
                    }
                }
                (Some(_), None) => {}
                (None, _) => merged.push(diag),
            }
        }
        Self(merged)
    }

    /// `Ok(value)` when nothing is an error, otherwise the findings.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.has_errors() { Err(self) } else { Ok(value) }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Self(vec![diagnostic])
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}
