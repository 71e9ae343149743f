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
# fingerprints (source, translation), and under [sources] that text itself;
# reviews (who wrote, who approved), and under [approved-texts] what was approved.
# Do not edit by hand: when the source changes and a translation does not,
# the translation is stale until it is edited or `pressroom l10n accept
# <lang>` marks it up to date.
";

/// The table of source texts by fingerprint (no file key ends so).
const SOURCES: &str = "sources";

/// The table of approved translations by fingerprint: what a reviewer
/// approved, kept so that an edit after approval shows what changed since.
const APPROVED: &str = "approved-texts";

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
    /// When edited after an approval: the fingerprint of the translation
    /// approved last (its text under `[approved-texts]`).
    pub was_approved: Option<String>,
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
            review: Review {
                author: field("author"),
                approved,
                was_approved: field("was-approved"),
            },
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
        if let Some(fingerprint) = &self.review.was_approved {
            fields.push(format!("was-approved = {}", toml_string(fingerprint)));
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
    /// Translation fingerprint -> the translation a reviewer approved.
    approved: BTreeMap<String, String>,
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
        let texts = |messages: BTreeMap<String, toml::Value>| {
            messages
                .into_iter()
                .filter_map(|(fp, text)| Some((fp, text.as_str()?.to_owned())))
                .collect()
        };
        for (file, messages) in table {
            if file == SOURCES {
                state.sources = texts(messages);
                continue;
            }
            if file == APPROVED {
                state.approved = texts(messages);
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
                        // Edited after an approval: which version was approved
                        // stays known until the next approval.
                        let was_approved = records.get(id).and_then(|old| {
                            old.review
                                .approved
                                .as_ref()
                                .map(|_| old.translation.clone())
                                .or_else(|| old.review.was_approved.clone())
                        });
                        Record { review: Review { was_approved, ..Review::default() }, ..now }
                    }
                };
                // An approval recorded before its text was kept (or by hand):
                // the text it approved is the one in the file now.
                if record.review.approved.is_some()
                    && !self.approved.contains_key(&record.translation)
                {
                    self.approved.insert(record.translation.clone(), translation);
                    self.changed = true;
                }
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
        let was_approved = record.review.was_approved.clone();
        let review = Review { author: Some(author.to_owned()), approved: None, was_approved };
        if record.review != review {
            record.review = review;
            self.changed = true;
        }
    }

    /// Approves message `id` of file `key` (its Fluent entry now:
    /// `translation`) as `by` at `at`; with four eyes, never its own last
    /// author. `Ok(false)` when it was approved already.
    pub fn approve(
        &mut self,
        key: &str,
        id: &str,
        translation: &str,
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
        record.review.was_approved = None;
        self.approved.insert(record.translation.clone(), translation.to_owned());
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

    /// The Fluent entry approved last of message `id` of file `key`, when
    /// it was edited since (the approved version to compare with).
    pub fn approved_before(&self, key: &str, id: &str) -> Option<&str> {
        let record = self.files.get(key)?.get(id)?;
        self.approved.get(record.review.was_approved.as_ref()?).map(String::as_str)
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
        // Only the approved texts some record is or was approved as.
        let approved: BTreeSet<&String> = self
            .files
            .values()
            .flat_map(|records| records.values())
            .flat_map(|r| {
                let now = r.review.approved.as_ref().map(|_| &r.translation);
                now.into_iter().chain(r.review.was_approved.as_ref())
            })
            .collect();
        self.approved.retain(|fp, _| approved.contains(fp));
        for (name, texts) in [(SOURCES, &self.sources), (APPROVED, &self.approved)] {
            if texts.is_empty() {
                continue;
            }
            text.push_str(&format!("\n[{name}]\n"));
            for (fp, entry) in texts {
                text.push_str(&format!("{} = {}\n", toml_key(fp), toml_string(entry)));
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
    use super::*;
    use crate::diag::SourceFile;

    fn ftl(text: &str) -> FtlFile {
        FtlFile::parse(SourceFile::new("x.ftl", text)).0
    }

    /// Approved, edited, edited again, approved again: the version approved
    /// last is kept exactly as long as there is a newer one to compare.
    #[test]
    fn the_approved_version_stays_known_until_the_next_approval() {
        let english = ftl("title = Security dialogue\n");
        fn pair<'a>(english: &'a FtlFile, t: &'a FtlFile) -> FilePair<'a> {
            FilePair { key: "office.ftl".into(), source: english, translation: t }
        }
        let mut state = TranslationState { lang: "ru".into(), ..TranslationState::default() };
        let first = ftl("title = Диалог по безопасности\n");
        state.reconcile(&[pair(&english, &first)]);
        let approval = Approval { by: "Rustam".into(), at: "2026-12-07T10:00:00Z".into() };
        let approve = |state: &mut TranslationState, t: &FtlFile| {
            let text = t.entry_source("title").unwrap();
            state.approve("office.ftl", "title", &text, false, approval.clone(), true)
        };
        assert_eq!(approve(&mut state, &first), Ok(true));
        assert_eq!(state.approved_before("office.ftl", "title"), None, "nothing newer");
        for edit in ["title = Диалог о безопасности\n", "title = Диалог высокого уровня\n"]
        {
            state.reconcile(&[pair(&english, &ftl(edit))]);
            state.set_author("office.ftl", "title", "Nigora");
            assert_eq!(
                state.approved_before("office.ftl", "title"),
                Some("title = Диалог по безопасности"),
                "after `{edit}`"
            );
        }
        let last = ftl("title = Диалог высокого уровня\n");
        assert_eq!(approve(&mut state, &last), Ok(true));
        assert_eq!(state.approved_before("office.ftl", "title"), None);
        assert_eq!(state.files["office.ftl"]["title"].review.was_approved, None);
    }

    #[test]
    fn strings_and_keys_stay_on_one_line_and_read_back() {
        for text in ["a = \"b\"", "line\nnext \\ end", "tab\tq'x", "\u{7}bell", "Душанбе { -eu }"]
        {
            let written = toml_string(text);
            assert!(!written.contains('\n'), "{written}");
            let table: toml::Table = format!("k = {written}").parse().unwrap();
            assert_eq!(table["k"].as_str(), Some(text));
        }
        assert_eq!(toml_key("title"), "title");
        assert_eq!(toml_key("releases/x.ftl"), "\"releases/x.ftl\"");
    }
}
