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

/// Fingerprints of one message: source text and translation.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Record {
    source: String,
    translation: String,
}

impl Record {
    fn parse(value: &str) -> Option<Self> {
        let (source, translation) = value.split_once(' ')?;
        Some(Self { source: source.to_owned(), translation: translation.to_owned() })
    }

    fn render(&self) -> String {
        format!("{} {}", self.source, self.translation)
    }
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
        let table: BTreeMap<String, BTreeMap<String, String>> =
            crate::toml_reader::parse_serde(&source, "l10n-state").map_err(|d| {
                d.hint(
                    "this file is written by pressroom; delete it to start afresh \
                     (every translation then counts as up to date)",
                )
            })?;
        for (file, messages) in table {
            if file == SOURCES {
                state.sources = messages;
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
                let now =
                    Record { source: fingerprint(&source), translation: fingerprint(&translation) };
                let record = match records.get(id) {
                    Some(old) if old.source != now.source && old.translation == now.translation => {
                        stale.entry(pair.key.clone()).or_default().insert(id.clone());
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
                text.push_str(&format!("{} = \"{}\"\n", toml_key(id), record.render()));
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
