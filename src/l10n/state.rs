//! Which translations are stale: `locales/<lang>/translation-state.toml`
//! records, for each translated message, a fingerprint of the source text it
//! was translated from and of the translation itself. When the source text
//! changes and the translation does not, the translation is stale — until
//! the translator edits it or accepts it as it is.
//!
//! It also keeps the source text each translation was made from (once per
//! fingerprint, under `[sources]`), so that a stale translation can show
//! what changed in the source since: a word diff.
//!
//! The file is pressroom's to write (one line per message, sorted, so that
//! merges are easy), one per language, so translators never conflict.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use super::FtlFile;
use crate::diag::Diagnostic;
use crate::project::Project;

pub const STATE_FILE: &str = "translation-state.toml";

const HEADER: &str = "\
# Written by pressroom: the source text each translation was made from, as
# fingerprints (source, translation), and under [sources] that text itself.
# Do not edit by hand: when the source changes and a translation does not,
# the translation is stale until it is edited or `pressroom l10n accept
# <lang>` marks it up to date.
";

/// The table of source texts by fingerprint (no file key ends so).
const SOURCES: &str = "sources";

/// Fingerprints of one message: source text and translation; and who last
/// wrote the translation and who approved it, where known.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Record {
    source: String,
    translation: String,
    review: Review,
}

/// A translation's review: its last author (saved through pressroom), and
/// its approval, which holds for exactly this translation (an edit is a new
/// record, `translated` again).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    pub author: Option<String>,
    pub approved: Option<Approval>,
}

/// Who approved a translation, and when (RFC 3339, UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub by: String,
    pub at: String,
}

impl Record {
    /// `"<source> <translation>"`, or an inline table with the review:
    /// `{ fingerprints = "…", author = "…", approved-by = "…", approved-at = "…" }`.
    fn parse(value: &toml::Value) -> Option<Self> {
        let (fingerprints, table) = match value {
            toml::Value::String(text) => (text.as_str(), None),
            toml::Value::Table(table) => (table.get("fingerprints")?.as_str()?, Some(table)),
            _ => return None,
        };
        let (source, translation) = fingerprints.split_once(' ')?;
        let field = |name: &str| {
            table.and_then(|t| t.get(name)).and_then(toml::Value::as_str).map(str::to_owned)
        };
        let approved = match (field("approved-by"), field("approved-at")) {
            (Some(by), Some(at)) => Some(Approval { by, at }),
            _ => None,
        };
        Some(Self {
            source: source.to_owned(),
            translation: translation.to_owned(),
            review: Review { author: field("author"), approved },
        })
    }

    /// One line: as before when nothing is known of its review, so the
    /// files of projects that do not review stay as they were.
    fn render(&self) -> String {
        let fingerprints = toml_string(&format!("{} {}", self.source, self.translation));
        if self.review == Review::default() {
            return fingerprints;
        }
        let mut fields = vec![format!("fingerprints = {fingerprints}")];
        if let Some(author) = &self.review.author {
            fields.push(format!("author = {}", toml_string(author)));
        }
        if let Some(approval) = &self.review.approved {
            fields.push(format!("approved-by = {}", toml_string(&approval.by)));
            fields.push(format!("approved-at = {}", toml_string(&approval.at)));
        }
        format!("{{ {} }}", fields.join(", "))
    }
}

/// Why an approval was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApproveError {
    #[error("`{id}` has no translation to approve")]
    Untranslated { id: String },
    #[error("`{id}` is stale: update or accept it before approving it")]
    Stale { id: String },
    #[error("`{id}` was last written by {author}: another reviewer approves it (four eyes)")]
    OwnWork { id: String, author: String },
}

/// The translation state of one language, by file (relative to the
/// language folder: `office.ftl`, `releases/<id>.ftl`) and message id.
#[derive(Debug, Clone, Default)]
pub struct TranslationState {
    lang: String,
    files: BTreeMap<String, BTreeMap<String, Record>>,
    /// Source fingerprint -> the source text it was made from.
    sources: BTreeMap<String, String>,
    changed: bool,
}

/// A pair of files to reconcile: the source language's and a translation.
pub struct FilePair<'a> {
    /// `office.ftl` or `releases/<id>.ftl`.
    pub key: String,
    pub source: &'a FtlFile,
    pub translation: &'a FtlFile,
}

impl TranslationState {
    pub fn path(project: &Project, lang: &str) -> PathBuf {
        project.locale_dir(lang).join(STATE_FILE)
    }

    /// Reads the state of `lang`; a missing file is an empty state.
    pub fn load(project: &Project, lang: &str) -> Result<Self, Diagnostic> {
        let path = Self::path(project, lang);
        let mut state = Self { lang: lang.to_owned(), ..Self::default() };
        let source = match project.read_source(&path) {
            Ok(source) => source,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(state),
            Err(err) => {
                return Err(Diagnostic::error("l10n-state", format!("cannot read: {err}"))
                    .in_file(project.relative(&path)));
            }
        };
        let table: BTreeMap<String, BTreeMap<String, toml::Value>> =
            crate::toml_reader::parse_serde(&source, "l10n-state").map_err(|d| {
                d.hint(
                    "this file is written by pressroom; delete it to start afresh \
                     (every translation then counts as up to date)",
                )
            })?;
        for (file, messages) in table {
            if file == SOURCES {
                state.sources = messages
                    .into_iter()
                    .filter_map(|(fp, text)| Some((fp, text.as_str()?.to_owned())))
                    .collect();
                continue;
            }
            let records = messages
                .into_iter()
                .filter_map(|(id, value)| Record::parse(&value).map(|r| (id, r)))
                .collect();
            state.files.insert(file, records);
        }
        Ok(state)
    }

    /// Brings the records up to date with the files and returns the ids of
    /// stale messages per file. A message seen for the first time, or edited
    /// by its translator since the source changed, is up to date.
    pub fn reconcile(&mut self, pairs: &[FilePair<'_>]) -> BTreeMap<String, BTreeSet<String>> {
        let mut stale: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for pair in pairs {
            let records = self.files.entry(pair.key.clone()).or_default();
            let mut kept = BTreeMap::new();
            for id in pair.source.entries.keys() {
                let (Some(source), Some(translation)) =
                    (pair.source.entry_source(id), pair.translation.entry_source(id))
                else {
                    continue;
                };
                let now = Record {
                    source: fingerprint(&source),
                    translation: fingerprint(&translation),
                    review: Review::default(),
                };
                let record = match records.get(id) {
                    Some(old) if old.source != now.source && old.translation == now.translation => {
                        stale.entry(pair.key.clone()).or_default().insert(id.clone());
                        old.clone()
                    }
                    // The same translation of the same source: its review stands.
                    Some(old) if *old == Record { review: old.review.clone(), ..now.clone() } => {
                        old.clone()
                    }
                    _ => {
                        if !self.sources.contains_key(&now.source) {
                            self.sources.insert(now.source.clone(), source);
                            self.changed = true;
                        }
                        now
                    }
                };
                kept.insert(id.clone(), record);
            }
            if *records != kept {
                *records = kept;
                self.changed = true;
            }
        }
        stale
    }

    /// Marks the stale messages of the given files up to date as they are.
    pub fn accept(&mut self, pairs: &[FilePair<'_>]) -> usize {
        let mut accepted = 0;
        for pair in pairs {
            let Some(records) = self.files.get_mut(&pair.key) else { continue };
            for (id, record) in records.iter_mut() {
                let Some(text) = pair.source.entry_source(id) else { continue };
                let source = fingerprint(&text);
                if record.source != source {
                    self.sources.entry(source.clone()).or_insert(text);
                    record.source = source;
                    accepted += 1;
                    self.changed = true;
                }
            }
        }
        accepted
    }

    /// Marks one stale message (`id` in file `key`) up to date as it is.
    pub fn accept_one(&mut self, pairs: &[FilePair<'_>], key: &str, id: &str) -> bool {
        let Some(pair) = pairs.iter().find(|p| p.key == key) else { return false };
        let Some(text) = pair.source.entry_source(id) else { return false };
        let Some(record) = self.files.get_mut(key).and_then(|r| r.get_mut(id)) else {
            return false;
        };
        let source = fingerprint(&text);
        if record.source == source {
            return false;
        }
        self.sources.entry(source.clone()).or_insert(text);
        record.source = source;
        self.changed = true;
        true
    }

    /// Records who wrote message `id` of file `key` as it is now (a save
    /// through pressroom): it is `translated`, to be approved.
    pub fn set_author(&mut self, key: &str, id: &str, author: &str) {
        let Some(record) = self.files.get_mut(key).and_then(|r| r.get_mut(id)) else { return };
        let review = Review { author: Some(author.to_owned()), approved: None };
        if record.review != review {
            record.review = review;
            self.changed = true;
        }
    }

    /// Approves message `id` of file `key` as `by` at `at`; with four eyes,
    /// never its own last author. `Ok(false)` when it was approved already.
    pub fn approve(
        &mut self,
        key: &str,
        id: &str,
        stale: bool,
        approval: Approval,
        four_eyes: bool,
    ) -> Result<bool, ApproveError> {
        let Some(record) = self.files.get_mut(key).and_then(|r| r.get_mut(id)) else {
            return Err(ApproveError::Untranslated { id: id.to_owned() });
        };
        if stale {
            return Err(ApproveError::Stale { id: id.to_owned() });
        }
        if record.review.approved.is_some() {
            return Ok(false);
        }
        if four_eyes && record.review.author.as_deref() == Some(approval.by.as_str()) {
            return Err(ApproveError::OwnWork { id: id.to_owned(), author: approval.by });
        }
        record.review.approved = Some(approval);
        self.changed = true;
        Ok(true)
    }

    /// The translated messages of file `key` nobody has approved yet.
    pub fn unapproved(&self, key: &str) -> BTreeSet<String> {
        self.files
            .get(key)
            .map(|records| {
                records
                    .iter()
                    .filter(|(_, r)| r.review.approved.is_none())
                    .map(|(id, _)| id.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The reviews of file `key`'s translated messages, by id.
    pub fn reviews(&self, key: &str) -> BTreeMap<String, Review> {
        self.files
            .get(key)
            .map(|records| records.iter().map(|(id, r)| (id.clone(), r.review.clone())).collect())
            .unwrap_or_default()
    }

    /// The source text message `id` of file `key` was translated from, when
    /// the state has kept it.
    pub fn made_from(&self, key: &str, id: &str) -> Option<&str> {
        let record = self.files.get(key)?.get(id)?;
        self.sources.get(&record.source).map(String::as_str)
    }

    /// Writes the state if anything changed (atomically, like every output).
    pub fn save(&mut self, project: &Project) -> Result<(), Diagnostic> {
        if !self.changed {
            return Ok(());
        }
        let mut text = String::from(HEADER);
        for (file, records) in &self.files {
            if records.is_empty() {
                continue;
            }
            text.push_str(&format!("\n[{}]\n", toml_key(file)));
            for (id, record) in records {
                text.push_str(&format!("{} = {}\n", toml_key(id), record.render()));
            }
        }
        // Only the texts some record was made from.
        let used: BTreeSet<&String> =
            self.files.values().flat_map(|records| records.values().map(|r| &r.source)).collect();
        self.sources.retain(|fp, _| used.contains(fp));
        if !self.sources.is_empty() {
            text.push_str(&format!("\n[{SOURCES}]\n"));
            for (fp, source) in &self.sources {
                text.push_str(&format!("{} = {}\n", toml_key(fp), toml_string(source)));
            }
        }
        let path = Self::path(project, &self.lang);
        crate::atomic::write_atomic(&path, text.as_bytes()).map_err(|err| {
            Diagnostic::error("l10n-state", format!("cannot write: {err}"))
                .in_file(project.relative(&path))
        })?;
        self.changed = false;
        Ok(())
    }
}

/// A short, stable fingerprint of an entry's text.
fn fingerprint(text: &str) -> String {
    crate::freshness::hex(&Sha256::digest(text.as_bytes())[..6])
}

/// `text` as a one-line TOML basic string (never multi-line: one line per
/// message keeps merges easy).
fn toml_string(text: &str) -> String {
    use toml_writer::TomlWrite;
    let mut out = String::with_capacity(text.len() + 2);
    // Writing into a String cannot fail.
    let _ = out.value(toml_writer::TomlStringBuilder::new(text).as_basic());
    out
}

/// A key bare where TOML allows, quoted where it must be.
fn toml_key(key: &str) -> String {
    use toml_writer::TomlWrite;
    let mut out = String::with_capacity(key.len() + 2);
    let _ = out.key(toml_writer::TomlKeyBuilder::new(key).as_default());
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn strings_and_keys_stay_on_one_line_and_read_back() {
        for text in ["a = \"b\"", "line\nnext \\ end", "tab\tq'x", "\u{7}bell", "Душанбе { -eu }"]
        {
            let written = super::toml_string(text);
            assert!(!written.contains('\n'), "{written}");
            let table: toml::Table = format!("k = {written}").parse().unwrap();
            assert_eq!(table["k"].as_str(), Some(text));
        }
        assert_eq!(super::toml_key("title"), "title");
        assert_eq!(super::toml_key("releases/x.ftl"), "\"releases/x.ftl\"");
    }
}
