//! Every Fluent file of the project, per language, parsed once, with the
//! translation state reconciled: which translations are stale.

use std::collections::{BTreeMap, BTreeSet};

use super::state::{FilePair, TranslationState};
use super::{FtlFile, Localizer};
use crate::diag::{Diagnostic, Diagnostics};
use crate::names::ReleaseId;
use crate::project::Project;

/// Which Fluent file, in any language: the office's shared words or a
/// release's text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FtlKey {
    /// `locales/<lang>/office.ftl`.
    Office,
    /// `locales/<lang>/releases/<id>.ftl`.
    Release(ReleaseId),
}

impl FtlKey {
    /// Its path within a language folder (`office.ftl`,
    /// `releases/<id>.ftl`): how the translation state names it.
    pub fn name(&self) -> String {
        match self {
            Self::Office => "office.ftl".to_owned(),
            Self::Release(id) => format!("releases/{id}.ftl"),
        }
    }

    /// The file in `lang`.
    pub fn path(&self, project: &Project, lang: &str) -> std::path::PathBuf {
        match self {
            Self::Office => project.office_ftl(lang),
            Self::Release(id) => project.release_ftl(lang, id),
        }
    }

    /// The office file, then each release's.
    pub fn all(releases: &[ReleaseId]) -> Vec<Self> {
        std::iter::once(Self::Office).chain(releases.iter().cloned().map(Self::Release)).collect()
    }
}

impl std::fmt::Display for FtlKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

/// What an approval did: the messages approved, and those refused with why.
#[derive(Debug, Default)]
pub struct Approved {
    pub approved: Vec<(FtlKey, String)>,
    pub refused: Vec<(FtlKey, super::state::ApproveError)>,
}

/// The localizers one output needs: the source language's (for draft
/// fallbacks) and, for a translation, its own.
pub struct Localizers {
    pub source: Localizer,
    translation: Option<Localizer>,
}

impl Localizers {
    /// The output's own language.
    pub fn target(&self) -> &Localizer {
        self.translation.as_ref().unwrap_or(&self.source)
    }
}

pub struct Catalog {
    pub source_lang: String,
    pub languages: Vec<String>,
    /// (language, file) -> the parsed file, for the files that exist.
    files: BTreeMap<(String, FtlKey), FtlFile>,
    /// language -> key -> stale message ids.
    stale: BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    /// (language, key, id) -> the source text a stale translation was made
    /// from, where the state kept it.
    made_from: BTreeMap<(String, String, String), String>,
    /// language -> key -> translated messages nobody approved yet.
    unapproved: BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    /// (language, key) -> each translated message's review.
    reviews: BTreeMap<(String, String), BTreeMap<String, super::state::Review>>,
    /// (language, file, message) -> the Fluent entry approved last, for a
    /// translation edited since.
    approved_before: BTreeMap<(String, String, String), String>,
    /// `[review] required`: only approved translations reach print.
    pub review: crate::project::ReviewConfig,
}

/// Whether loading a catalog writes the translation state it reconciles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    InMemory,
    Recorded,
}

impl Catalog {
    /// Parses the office file and the files of `releases` in every language,
    /// and reconciles each translation's state in memory: nothing is
    /// written (watch, the preview, publish's models, the editor's reads).
    pub fn load(project: &Project, releases: &[ReleaseId]) -> (Self, Diagnostics) {
        Self::read(project, releases, State::InMemory, None)
    }

    /// [`Catalog::load`], and each translation state file saved when the
    /// reconciling changed it: what `build`, `check` and a save record.
    pub fn load_and_record(project: &Project, releases: &[ReleaseId]) -> (Self, Diagnostics) {
        Self::read(project, releases, State::Recorded, None)
    }

    /// [`Catalog::load`] with one file's text as given instead of as on disk
    /// (language, key, text): the preview's editor draws unsaved text
    /// exactly as a save would. Never records the translation state.
    pub fn load_with(
        project: &Project,
        releases: &[ReleaseId],
        unsaved: (&str, &FtlKey, &str),
    ) -> (Self, Diagnostics) {
        Self::read(project, releases, State::InMemory, Some(unsaved))
    }

    fn read(
        project: &Project,
        releases: &[ReleaseId],
        state: State,
        unsaved: Option<(&str, &FtlKey, &str)>,
    ) -> (Self, Diagnostics) {
        let persist = state == State::Recorded && unsaved.is_none();
        let mut diags = Diagnostics::default();
        let source_lang = project.source_language();
        let languages = project.languages();
        let mut files = BTreeMap::new();
        let keys = FtlKey::all(releases);
        for lang in &languages {
            for key in &keys {
                let path = key.path(project, lang);
                let read = match unsaved {
                    Some((l, k, text)) if l == lang && k == key => {
                        let source = crate::diag::SourceFile::new(project.relative(&path), text);
                        Ok(Some(FtlFile::parse(source)))
                    }
                    _ => FtlFile::read(project, &path),
                };
                match read {
                    Ok(Some((file, found))) => {
                        diags.extend(found.map(|d| d.language(lang)));
                        files.insert((lang.clone(), key.clone()), file);
                    }
                    Ok(None) => {}
                    Err(diag) => diags.push(diag.language(lang)),
                }
            }
        }
        let mut catalog = Self {
            source_lang,
            languages,
            files,
            stale: BTreeMap::new(),
            made_from: BTreeMap::new(),
            unapproved: BTreeMap::new(),
            reviews: BTreeMap::new(),
            approved_before: BTreeMap::new(),
            review: project.config.review,
        };
        for lang in catalog.languages.clone() {
            if lang == catalog.source_lang {
                continue;
            }
            if let Err(diag) = catalog.reconcile(project, &lang, &keys, persist) {
                diags.push(diag.language(&lang));
            }
        }
        (catalog, diags)
    }

    fn pairs(&self, lang: &str, keys: &[FtlKey]) -> Vec<FilePair<'_>> {
        keys.iter()
            .filter_map(|key| {
                let source = self.file(&self.source_lang, key)?;
                let translation = self.file(lang, key)?;
                Some(FilePair { key: key.name(), source, translation })
            })
            .collect()
    }

    fn reconcile(
        &mut self,
        project: &Project,
        lang: &str,
        keys: &[FtlKey],
        persist: bool,
    ) -> Result<(), Diagnostic> {
        let mut state = TranslationState::load(project, lang)?;
        let stale = state.reconcile(&self.pairs(lang, keys));
        if persist {
            state.save(project)?;
        }
        for (key, ids) in &stale {
            for id in ids {
                if let Some(text) = state.made_from(key, id) {
                    let at = (lang.to_owned(), key.clone(), id.clone());
                    self.made_from.insert(at, text.to_owned());
                }
            }
        }
        let unapproved =
            keys.iter().map(|key| (key.name(), state.unapproved(&key.name()))).collect();
        self.unapproved.insert(lang.to_owned(), unapproved);
        for key in keys {
            let reviews = state.reviews(&key.name());
            for id in reviews.iter().filter(|(_, r)| r.was_approved.is_some()).map(|(id, _)| id) {
                if let Some(text) = state.approved_before(&key.name(), id) {
                    let at = (lang.to_owned(), key.name(), id.clone());
                    self.approved_before.insert(at, text.to_owned());
                }
            }
            self.reviews.insert((lang.to_owned(), key.name()), reviews);
        }
        self.stale.insert(lang.to_owned(), stale);
        Ok(())
    }

    /// The translated messages of `lang` in file `key` nobody approved yet.
    pub fn unapproved(&self, lang: &str, key: &FtlKey) -> BTreeSet<String> {
        self.unapproved.get(lang).and_then(|u| u.get(&key.name())).cloned().unwrap_or_default()
    }

    /// Records `author` as who wrote message `id` of `lang`'s file `key`
    /// as it is now (a save through pressroom).
    pub fn set_author(
        &mut self,
        project: &Project,
        lang: &str,
        key: &FtlKey,
        id: &str,
        author: &str,
    ) -> Result<(), Diagnostic> {
        let mut state = TranslationState::load(project, lang)?;
        state.reconcile(&self.pairs(lang, std::slice::from_ref(key)));
        state.set_author(&key.name(), id, author);
        state.save(project)?;
        if let Some(unapproved) = self.unapproved.get_mut(lang).and_then(|u| u.get_mut(&key.name()))
        {
            unapproved.insert(id.to_owned());
        }
        Ok(())
    }

    /// Approves, as `by`, the given messages of `lang`'s files (every
    /// translated message of them when `ids` is `None`); the refusals
    /// (untranslated, stale, four eyes) are returned, the rest approved.
    pub fn approve(
        &mut self,
        project: &Project,
        lang: &str,
        keys: &[FtlKey],
        ids: Option<&[String]>,
        by: &str,
    ) -> Result<Approved, Diagnostic> {
        let mut state = TranslationState::load(project, lang)?;
        let pairs = self.pairs(lang, keys);
        let stale = state.reconcile(&pairs);
        let at = crate::date::Timestamp::clock().rfc3339();
        let mut done = Approved::default();
        for key in keys {
            let name = key.name();
            let wanted: Vec<String> = match ids {
                Some(ids) => ids.to_vec(),
                None => state.unapproved(&name).into_iter().collect(),
            };
            for id in wanted {
                let is_stale = stale.get(&name).is_some_and(|s| s.contains(&id));
                let approval = super::state::Approval { by: by.to_owned(), at: at.clone() };
                let translation =
                    self.file(lang, key).and_then(|f| f.entry_source(&id)).unwrap_or_default();
                let four_eyes = self.review.four_eyes;
                match state.approve(&name, &id, &translation, is_stale, approval, four_eyes) {
                    Ok(true) => done.approved.push((key.clone(), id)),
                    Ok(false) => {}
                    Err(why) => done.refused.push((key.clone(), why)),
                }
            }
        }
        state.save(project)?;
        for (key, id) in &done.approved {
            if let Some(set) = self.unapproved.get_mut(lang).and_then(|u| u.get_mut(&key.name())) {
                set.remove(id);
            }
        }
        Ok(done)
    }

    /// The review of message `id` of `lang`'s file `key`, as recorded.
    pub fn review(&self, lang: &str, key: &FtlKey, id: &str) -> Option<&super::state::Review> {
        self.reviews.get(&(lang.to_owned(), key.name()))?.get(id)
    }

    /// The Fluent entry of message `id` of `lang` approved last, when it
    /// was edited since.
    pub fn approved_before(&self, lang: &str, key: &FtlKey, id: &str) -> Option<&str> {
        self.approved_before.get(&(lang.to_owned(), key.name(), id.to_owned())).map(String::as_str)
    }

    /// The source text stale message `id` of `lang` was translated from,
    /// when the translation state kept it.
    pub fn made_from(&self, lang: &str, key: &FtlKey, id: &str) -> Option<&str> {
        self.made_from.get(&(lang.to_owned(), key.name(), id.to_owned())).map(String::as_str)
    }

    /// Marks the stale translations of `lang` in the given files as up to
    /// date; returns how many messages were accepted.
    pub fn accept(
        &mut self,
        project: &Project,
        lang: &str,
        releases: &[ReleaseId],
        include_office: bool,
    ) -> Result<usize, Diagnostic> {
        let keys: Vec<FtlKey> = include_office
            .then_some(FtlKey::Office)
            .into_iter()
            .chain(releases.iter().cloned().map(FtlKey::Release))
            .collect();
        let mut state = TranslationState::load(project, lang)?;
        let pairs = self.pairs(lang, &keys);
        state.reconcile(&pairs);
        let accepted = state.accept(&pairs);
        state.save(project)?;
        if let Some(stale) = self.stale.get_mut(lang) {
            for key in &keys {
                stale.remove(&key.name());
            }
        }
        Ok(accepted)
    }

    /// Marks one stale message of `lang` up to date as it is (`l10n accept`
    /// for one message); returns whether it was stale.
    pub fn accept_message(
        &mut self,
        project: &Project,
        lang: &str,
        key: &FtlKey,
        id: &str,
    ) -> Result<bool, Diagnostic> {
        let mut state = TranslationState::load(project, lang)?;
        let pairs = self.pairs(lang, std::slice::from_ref(key));
        state.reconcile(&pairs);
        let accepted = state.accept_one(&pairs, &key.name(), id);
        state.save(project)?;
        if let Some(stale) = self.stale.get_mut(lang).and_then(|s| s.get_mut(&key.name())) {
            stale.remove(id);
        }
        Ok(accepted)
    }

    pub fn file(&self, lang: &str, key: &FtlKey) -> Option<&FtlFile> {
        self.files.get(&(lang.to_owned(), key.clone()))
    }

    /// The stale message ids of `lang` in file `key`.
    pub fn stale(&self, lang: &str, key: &FtlKey) -> BTreeSet<String> {
        self.stale.get(lang).and_then(|s| s.get(&key.name())).cloned().unwrap_or_default()
    }

    /// Every stale message one output shows, as `file#message`: all an
    /// output depends on from the translation state.
    pub fn stale_for(&self, lang: &str, id: &ReleaseId) -> Vec<String> {
        [FtlKey::Office, FtlKey::Release(id.clone())]
            .iter()
            .flat_map(|key| self.stale(lang, key).into_iter().map(move |m| format!("{key}#{m}")))
            .collect()
    }

    /// The localizers of release `id` in `lang` and in the source language.
    pub fn localizers(&self, lang: &str, id: &ReleaseId) -> (Localizers, Diagnostics) {
        let (source, mut found) = self.localizer(&self.source_lang, id);
        let translation = (lang != self.source_lang).then(|| {
            let (target, more) = self.localizer(lang, id);
            found.extend(more);
            target
        });
        (Localizers { source, translation }, found)
    }

    /// The office's texts alone in one language (no release): for words
    /// that belong to no release, such as a later signature's line.
    pub fn office_localizer(&self, lang: &str) -> (Localizer, Diagnostics) {
        let office = FtlKey::Office;
        Localizer::new(lang, self.file(lang, &office).cloned(), None, self.stale(lang, &office))
    }

    /// The localizer of one release in one language, stale ids included.
    pub fn localizer(&self, lang: &str, id: &ReleaseId) -> (Localizer, Diagnostics) {
        let (office, release) = (FtlKey::Office, FtlKey::Release(id.clone()));
        let mut stale = self.stale(lang, &office);
        stale.extend(self.stale(lang, &release));
        let (mut localizer, found) = Localizer::new(
            lang,
            self.file(lang, &office).cloned(),
            self.file(lang, &release).cloned(),
            stale,
        );
        if self.review.required && lang != self.source_lang {
            let mut unapproved = self.unapproved(lang, &office);
            unapproved.extend(self.unapproved(lang, &release));
            localizer.unapproved = unapproved;
        }
        (localizer, found)
    }
}
