//! The translators' editor behind the preview: a release's messages per
//! language, a message's unsaved text drawn as a save would draw it, a save
//! that writes only that message (refused when the file changed on disk
//! since the editor read it), and accepting a stale translation.
//!
//! Requests name a release, a language and a message id, never a path: the
//! file is the one the source language keeps the message in, under
//! `locales/<lang>/` of a language the office lists.

use std::path::PathBuf;
use std::sync::{Mutex, RwLock};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::views::{
    Accepted, Approved, Conflict, HistoryView, MessageState, MessageView, MessagesView,
    ParagraphSuggestions, ReviewState, ReviewView, Saved, SuggestionView, SuggestionsView,
    TermView, VersionView, WordOp, WordRun,
};
use crate::diag::{Diagnostic, DiagnosticView, Diagnostics};
use crate::l10n::catalog::FtlKey;
use crate::l10n::fields::Fields;
use crate::l10n::{Catalog, FtlFile, compare, typography};
use crate::names::ReleaseId;
use crate::pipeline::{Mode, Renderer, Settings, load_releases};
use crate::project::Project;
use crate::render::Rendered;
use crate::review::glossary::Glossary;
use crate::review::memory::Memory;

/// What `serve` lets the editor do.
#[derive(Debug, Clone, Copy, Default)]
pub struct EditOptions {
    /// `--read-only`: no edits at all.
    pub read_only: bool,
    /// `--edit-source`: the source language's files may be edited too.
    pub edit_source: bool,
}

impl EditOptions {
    /// What the editor may write, as `/api/releases` says it.
    pub fn editing(&self) -> &'static str {
        match (self.read_only, self.edit_source) {
            (true, _) => "off",
            (false, true) => "all languages",
            (false, false) => "translations",
        }
    }
}

/// Whether a request only reads or also writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Read,
    Write,
}

/// Why an editor request is refused, as the HTTP answer says it.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    /// The request is not one the API knows (bad JSON, unknown fields).
    #[error("{0}")]
    BadRequest(String),
    /// The text is not Fluent a save may write.
    #[error("{0}")]
    Invalid(String),
    /// The file changed on disk since the editor read it.
    #[error("the file changed on disk since the editor loaded it")]
    Conflict(Box<Conflict>),
    #[error("{0}")]
    Io(String),
}

/// An edit as the page sends it: fields, or the entry's Fluent source (the
/// raw mode).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    pub release: String,
    pub lang: String,
    pub id: String,
    #[serde(default)]
    pub fields: Option<Fields>,
    #[serde(default)]
    pub source: Option<String>,
    /// The message's version the editor loaded ([`message_version`]): a
    /// save is refused when the message on disk is another (someone saved
    /// it meanwhile); other messages of the file may change freely.
    #[serde(default)]
    pub base: Option<String>,
}

/// A message named by release, language and id (accept).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageRef {
    pub release: String,
    pub lang: String,
    pub id: String,
}

/// An edit drawn from unsaved text.
pub struct Draft {
    /// `check`'s findings about the message, as the page shows them.
    pub findings: Vec<DiagnosticView>,
    /// The output, when it builds.
    pub rendered: Option<Rendered>,
    /// Why it does not build.
    pub errors: Vec<DiagnosticView>,
}

/// A file with an edit in place.
struct Edited {
    text: String,
    file: FtlFile,
    syntax: Diagnostics,
    /// The syntax errors of the edited entry, as the page shows them.
    entry_errors: Vec<DiagnosticView>,
}

/// Where a message lives: its language folder's file.
struct Place {
    key: FtlKey,
    path: PathBuf,
}

pub struct Editor {
    project: RwLock<Project>,
    renderer: Mutex<Option<Renderer>>,
    /// One save at a time: the version check and the write go together.
    saving: Mutex<()>,
    /// Each language's translation memory, made on first use after the
    /// sources last changed.
    memory: Mutex<std::collections::HashMap<String, std::sync::Arc<Memory>>>,
    pub options: EditOptions,
}

/// A message's version: a hash of its entry's text in its file, `absent`
/// when the file has no such entry. Saves are message-exact: two people
/// saving different messages of one file never conflict.
pub fn message_version(entry: Option<&str>) -> String {
    match entry {
        Some(text) => crate::freshness::hex(&Sha256::digest(text.as_bytes())[..12]),
        None => "absent".to_owned(),
    }
}

fn read_bytes(path: &std::path::Path) -> Result<Option<Vec<u8>>, EditError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(EditError::Io(format!("cannot read {}: {err}", path.display()))),
    }
}

impl Editor {
    pub fn new(project: Project, options: EditOptions) -> Self {
        Self {
            project: RwLock::new(project),
            renderer: Mutex::new(None),
            saving: Mutex::new(()),
            memory: Mutex::default(),
            options,
        }
    }

    /// The project as it now stands (after a change of pressroom.toml).
    pub fn update(&self, project: &Project) {
        *crate::locks::write(&self.project) = project.clone();
        // The sources changed: the memory is made anew when next asked.
        crate::locks::lock(&self.memory).clear();
    }

    pub fn project(&self) -> Project {
        crate::locks::read(&self.project).clone()
    }

    /// What every request starts with: the project as it stands, the
    /// release it names, its language checked, and for a change that the
    /// language may be written here.
    fn open(
        &self,
        release: &str,
        lang: &str,
        access: Access,
    ) -> Result<(Project, ReleaseId), EditError> {
        let project = self.project();
        let id = Self::release_id(&project, release)?;
        Self::language(&project, lang)?;
        if access == Access::Write {
            self.writable(&project, lang)?;
        }
        Ok((project, id))
    }

    fn release_id(project: &Project, release: &str) -> Result<ReleaseId, EditError> {
        let id = ReleaseId::new(release)
            .map_err(|_| EditError::NotFound(format!("there is no release {release}")))?;
        if !project.release_file(&id).is_file() {
            return Err(EditError::NotFound(format!("there is no release {release}")));
        }
        Ok(id)
    }

    fn language(project: &Project, lang: &str) -> Result<(), EditError> {
        if project.languages().iter().any(|l| l == lang) {
            Ok(())
        } else {
            Err(EditError::NotFound(format!("the office does not list the language {lang}")))
        }
    }

    /// May `lang` be written? Never with `--read-only`; the source language
    /// only with `--edit-source`.
    fn writable(&self, project: &Project, lang: &str) -> Result<(), EditError> {
        if self.options.read_only {
            return Err(EditError::Forbidden(
                "editing is off: pressroom serve was started with --read-only".into(),
            ));
        }
        if lang == project.source_language() && !self.options.edit_source {
            return Err(EditError::Forbidden(format!(
                "{lang} is the source language: start pressroom serve with --edit-source to edit it"
            )));
        }
        Ok(())
    }

    /// A save writes the message's file and the language's translation
    /// state: both must stay in the project, whatever a linked folder
    /// points at (reading such a file is refused already).
    fn confined(project: &Project, place: &Place, lang: &str) -> Result<(), EditError> {
        let state = project.locale_dir(lang).join(crate::l10n::state::STATE_FILE);
        for written in [&place.path, &state] {
            if !project.holds(written) {
                return Err(EditError::Forbidden(format!(
                    "{} leads outside the project (a linked folder?): nothing is written there",
                    project.relative(written).display()
                )));
            }
        }
        Ok(())
    }

    /// The file of `lang` holding message `id` of release `release`: the
    /// release's own file when the source language has it there, else the
    /// office's.
    /// A message to read: its project, catalog and place (the answers that
    /// change nothing open a message so).
    fn read_message(
        &self,
        release: &str,
        lang: &str,
        message: &str,
    ) -> Result<(Project, Catalog, Place), EditError> {
        let (project, id) = self.open(release, lang, Access::Read)?;
        let (catalog, _) = Catalog::load(&project, std::slice::from_ref(&id));
        let place = Self::place(&project, &catalog, &id, lang, message)?;
        Ok((project, catalog, place))
    }

    fn place(
        project: &Project,
        catalog: &Catalog,
        release: &ReleaseId,
        lang: &str,
        id: &str,
    ) -> Result<Place, EditError> {
        let source = &catalog.source_lang;
        let keys = [FtlKey::Release(release.clone()), FtlKey::Office];
        let key = keys
            .iter()
            .find(|key| catalog.file(source, key).is_some_and(|f| f.has(id)))
            .or_else(|| keys.iter().find(|key| catalog.file(lang, key).is_some_and(|f| f.has(id))))
            .ok_or_else(|| {
                EditError::NotFound(format!("release {release} has no message `{id}`"))
            })?;
        Ok(Place { key: key.clone(), path: key.path(project, lang) })
    }

    /// Every message a release shows in `lang`: its own, then the office's,
    /// each as the editor needs it.
    pub fn messages(&self, release: &str, lang: &str) -> Result<MessagesView, EditError> {
        let (project, id) = self.open(release, lang, Access::Read)?;
        let (catalog, _) = Catalog::load(&project, std::slice::from_ref(&id));
        let mut messages = Vec::new();
        for key in [FtlKey::Release(id.clone()), FtlKey::Office] {
            let Some(source) = catalog.file(&catalog.source_lang, &key) else { continue };
            let mut ids: Vec<(&String, usize)> =
                source.entries.iter().map(|(id, span)| (id, span.start)).collect();
            ids.sort_by_key(|(_, start)| *start);
            for (message, _) in ids {
                messages.push(self.message_view(&project, &catalog, lang, &key, message)?);
            }
        }
        // A language's own ways of writing dates (`date-long`, `date-time`):
        // its office words the source language may not have.
        if let Some(office) = catalog.file(lang, &FtlKey::Office) {
            for own in [crate::l10n::dates::DATE, crate::l10n::dates::DATE_TIME] {
                let in_source =
                    catalog.file(&catalog.source_lang, &FtlKey::Office).is_some_and(|f| f.has(own));
                if office.has(own) && !in_source {
                    messages.push(self.message_view(
                        &project,
                        &catalog,
                        lang,
                        &FtlKey::Office,
                        own,
                    )?);
                }
            }
        }
        Ok(MessagesView {
            release: release.to_owned(),
            lang: lang.to_owned(),
            source_language: catalog.source_lang.clone(),
            editable: self.writable(&project, lang).is_ok(),
            approvable: !self.options.read_only && lang != project.source_language(),
            messages,
        })
    }

    /// One message as the editor needs it.
    pub fn message(
        &self,
        release: &str,
        lang: &str,
        message: &str,
    ) -> Result<MessageView, EditError> {
        let (project, catalog, place) = self.read_message(release, lang, message)?;
        self.message_view(&project, &catalog, lang, &place.key, message)
    }

    fn message_view(
        &self,
        project: &Project,
        catalog: &Catalog,
        lang: &str,
        key: &FtlKey,
        message: &str,
    ) -> Result<MessageView, EditError> {
        let source_file = catalog.file(&catalog.source_lang, key);
        let target_file = catalog.file(lang, key);
        let source = source_file.and_then(|f| f.entry_text(message));
        let text = target_file.and_then(|f| f.entry_text(message));
        let is_source = lang == catalog.source_lang;
        let state = if is_source {
            MessageState::Source
        } else if text.is_none() {
            MessageState::Missing
        } else if catalog.stale(lang, key).contains(message) {
            MessageState::Stale
        } else {
            MessageState::Current
        };
        // The fields: the translation's, or for a missing one the source's
        // shape with its text emptied; `null` when only the source mode
        // can edit it (a choice inside a choice).
        let fields = match text {
            Some(text) => Fields::parse(text).ok(),
            None => source.and_then(|s| Fields::parse(s).ok()).map(|f| f.emptied()),
        }
        .map(|f| f.for_language(lang));
        let path = key.path(project, lang);
        let version = message_version(text);
        let glossary = if is_source { None } else { glossary(project, lang) };
        let findings = match (target_file, text) {
            (Some(file), Some(_)) => findings(catalog, glossary.as_ref(), lang, key, file, message),
            _ => Vec::new(),
        };
        let terms = match (&glossary, source) {
            (Some(glossary), Some(english)) => glossary
                .terms_in(value_of(english))
                .into_iter()
                .map(|(term, entry)| TermView {
                    term: term.to_owned(),
                    renderings: entry.required.clone(),
                    forbidden: entry.forbidden.clone(),
                })
                .collect(),
            _ => Vec::new(),
        };
        // For a stale translation: the source text it was made from, and
        // what changed in the source since, word by word.
        let made_from =
            (state == MessageState::Stale).then(|| catalog.made_from(lang, key, message)).flatten();
        let changes = match (made_from, source) {
            // The text, not its Fluent: the words after `id =`.
            (Some(old), Some(new)) => Some(word_diff(value_of(old), value_of(new.trim_end()))),
            _ => None,
        };
        let (label, kind, name, shows) = describe_message(message, *key == FtlKey::Office);
        let review = (text.is_some() && !is_source)
            .then(|| catalog.review(lang, key, message))
            .flatten()
            .map(|review| {
                let approved_text = review
                    .approved
                    .is_none()
                    .then(|| catalog.approved_before(lang, key, message))
                    .flatten();
                let since_approved = approved_text.zip(text).map(|(old, new)| {
                    word_diff(value_of(old.trim_end()), value_of(new.trim_end()))
                });
                ReviewView {
                    state: if review.approved.is_some() {
                        ReviewState::Approved
                    } else {
                        ReviewState::Translated
                    },
                    author: review.author.clone(),
                    approved_by: review.approved.as_ref().map(|a| a.by.clone()),
                    approved_at: review.approved.as_ref().map(|a| a.at.clone()),
                    approved_text: approved_text.map(str::to_owned),
                    since_approved,
                }
            });
        Ok(MessageView {
            id: message.to_owned(),
            label,
            kind,
            name,
            shows,
            file: project.relative(&path).display().to_string(),
            source: source.map(str::to_owned),
            text: text.map(str::to_owned),
            state,
            fields,
            findings,
            made_from: made_from.map(str::to_owned),
            changes,
            base: version,
            review,
            terms,
        })
    }

    /// The entry's new source: from the fields, or the raw source checked
    /// to be exactly one message with that id.
    fn entry_source(edit: &Edit) -> Result<String, EditError> {
        match (&edit.fields, &edit.source) {
            (Some(fields), None) => {
                if fields.id != edit.id {
                    return Err(EditError::BadRequest("the fields are of another message".into()));
                }
                fields.to_source().map_err(|err| EditError::Invalid(err.to_string()))
            }
            (None, Some(source)) => {
                let mut source = source.trim_end().replace("\r\n", "\n");
                source.push('\n');
                Ok(source)
            }
            _ => Err(EditError::BadRequest("send either `fields` or `source`".into())),
        }
    }

    /// The file's text with the edit in place, and the edited file parsed.
    fn edited(
        project: &Project,
        catalog: &Catalog,
        place: &Place,
        lang: &str,
        edit: &Edit,
    ) -> Result<Edited, EditError> {
        let entry = Self::entry_source(edit)?;
        let current = catalog.file(lang, &place.key);
        let text = match current {
            Some(file) => file.with_entry(&edit.id, &entry),
            None => entry.clone(),
        };
        // Where the entry now is: where it was, or appended.
        let start = current
            .and_then(|f| f.entries.get(&edit.id))
            .map_or(text.len() - entry.len(), |r| r.start);
        let (file, syntax) = FtlFile::parse(crate::diag::SourceFile::new(
            project.relative(&place.path),
            text.clone(),
        ));
        // The parser may report a broken entry where the next one starts.
        let after = start + entry.len();
        let near = after + (text[after..].len() - text[after..].trim_start().len());
        let entry_errors = syntax
            .iter()
            .filter(|d| d.is_error())
            .filter(|d| {
                d.location
                    .as_ref()
                    .and_then(|l| l.span.as_ref())
                    .is_some_and(|s| s.start >= start && s.start <= near)
            })
            .map(super::preview::error_view)
            .collect();
        Ok(Edited { text, file, syntax, entry_errors })
    }

    /// An edit's entry as Fluent (as a save writes it) and as fields
    /// (`None` when only the source mode can show it).
    pub fn entry(&self, edit: &Edit) -> Result<(String, Option<Fields>), EditError> {
        let entry = Self::entry_source(edit)?;
        let fields = Fields::parse(&entry).ok().map(|f| f.for_language(&edit.lang));
        Ok((entry, fields))
    }

    /// The findings of an edit, and its output drawn from the unsaved text.
    pub fn draft(&self, edit: &Edit) -> Result<Draft, EditError> {
        let (project, id) = self.open(&edit.release, &edit.lang, Access::Read)?;
        let ids = std::slice::from_ref(&id);
        let (catalog, _) = Catalog::load(&project, ids);
        let place = Self::place(&project, &catalog, &id, &edit.lang, &edit.id)?;
        let edited = Self::edited(&project, &catalog, &place, &edit.lang, edit)?;
        let (catalog, problems) =
            Catalog::load_with(&project, ids, (&edit.lang, &place.key, &edited.text));
        // What the parser says of the entry, then check's other findings.
        let mut findings = edited.entry_errors;
        let glossary =
            (edit.lang != catalog.source_lang).then(|| glossary(&project, &edit.lang)).flatten();
        if let Some(file) = catalog.file(&edit.lang, &place.key) {
            let found =
                self::findings(&catalog, glossary.as_ref(), &edit.lang, &place.key, file, &edit.id);
            for finding in found {
                let repeated =
                    findings.iter().any(|f| f.message == finding.message && f.line == finding.line);
                if !repeated {
                    findings.push(finding);
                }
            }
        }
        let mut renderer = crate::locks::lock(&self.renderer);
        let renderer = renderer.get_or_insert_with(|| Renderer::new(&project));
        let settings = Settings { mode: Mode::Preview { images: true }, ..Settings::default() };
        let mut rendered = None;
        let mut errors = Vec::new();
        let found = renderer.render(
            &project,
            &catalog,
            problems,
            &load_releases(&project, ids),
            |_, lang| lang == edit.lang,
            &settings,
            |_, _, outcome| {
                match outcome {
                    Ok(output) => rendered = Some(output),
                    Err(diags) => errors.extend(diags.iter().map(super::preview::error_view)),
                }
                Ok(())
            },
        );
        errors.extend(found.iter().filter(|d| d.is_error()).map(super::preview::error_view));
        Ok(Draft { findings, rendered, errors })
    }

    /// The archive's translations of English like each paragraph of
    /// message `message` (release `release`'s own excepted).
    pub fn suggest(
        &self,
        release: &str,
        lang: &str,
        message: &str,
    ) -> Result<SuggestionsView, EditError> {
        let (project, catalog, place) = self.read_message(release, lang, message)?;
        let english = catalog
            .file(&catalog.source_lang, &place.key)
            .and_then(|f| f.entry_text(message))
            .unwrap_or_default();
        let memory = {
            let mut cache = crate::locks::lock(&self.memory);
            cache
                .entry(lang.to_owned())
                .or_insert_with(|| std::sync::Arc::new(Memory::build(&project, lang)))
                .clone()
        };
        let paragraphs = crate::review::memory::paragraphs(english)
            .into_iter()
            .enumerate()
            .map(|(paragraph, source)| {
                let suggestions = memory
                    .suggest(&source, release)
                    .into_iter()
                    .map(|found| SuggestionView {
                        score: (found.score * 100.0).floor() as u32,
                        source: found.unit.source.clone(),
                        text: crate::review::memory::fit_placeables(
                            &found.unit.source,
                            &source,
                            &found.unit.target,
                        ),
                        release: found.unit.release.clone(),
                        message: found.unit.message.clone(),
                    })
                    .collect();
                ParagraphSuggestions { paragraph, source, suggestions }
            })
            .collect();
        Ok(SuggestionsView {
            release: release.to_owned(),
            lang: lang.to_owned(),
            id: message.to_owned(),
            paragraphs,
        })
    }

    /// The versions of message `message` of `lang`, from its file's git
    /// history, each with what it changed.
    pub fn history(
        &self,
        release: &str,
        lang: &str,
        message: &str,
    ) -> Result<HistoryView, EditError> {
        let (_, _, place) = self.read_message(release, lang, message)?;
        let found = crate::review::history::versions(&place.path, message);
        let mut versions: Vec<VersionView> = Vec::new();
        for (at, version) in found.iter().enumerate() {
            let older = found.get(at + 1).and_then(|v| v.text.as_deref()).unwrap_or("");
            let text = version.text.as_deref().unwrap_or("");
            versions.push(VersionView {
                commit: version.commit.clone(),
                author: version.author.clone(),
                at: crate::date::Timestamp(version.at).rfc3339(),
                summary: version.summary.clone(),
                text: version.text.clone(),
                changes: word_diff(value_of(older), value_of(text)),
            });
        }
        Ok(HistoryView {
            release: release.to_owned(),
            lang: lang.to_owned(),
            id: message.to_owned(),
            versions,
        })
    }

    /// The person at this machine (git's user.name): whom the local
    /// editor saves and approves as.
    pub fn local_person(&self) -> Option<String> {
        crate::project::local_person(self.project().root()).map(|(name, _)| name)
    }

    /// Writes the edit into its file, only if the message is as the editor
    /// loaded it; every other byte of the file stays as it was. `author`,
    /// when known, is recorded as the translation's (review before print).
    pub fn save(&self, edit: &Edit, author: Option<&str>) -> Result<Saved, EditError> {
        let (project, id) = self.open(&edit.release, &edit.lang, Access::Write)?;
        let _one = crate::locks::lock(&self.saving);
        let (catalog, _) = Catalog::load(&project, std::slice::from_ref(&id));
        let place = Self::place(&project, &catalog, &id, &edit.lang, &edit.id)?;
        Self::confined(&project, &place, &edit.lang)?;
        let disk = read_bytes(&place.path)?;
        let current = catalog.file(&edit.lang, &place.key).and_then(|f| f.entry_text(&edit.id));
        let version = message_version(current);
        let mut entry = Self::entry_source(edit)?;
        // Fields as they were read: the entry stays byte for byte as it is.
        if let (Some(fields), Some(current)) = (&edit.fields, current)
            && Fields::parse(current).map(|f| f.for_language(&edit.lang)).as_ref() == Ok(fields)
        {
            entry = format!("{}\n", current.trim_end_matches('\n'));
        }
        // Source typed by hand: exactly the one entry named, never a second
        // one (which would be written beside it) nor another.
        if edit.source.is_some() {
            one_entry_named(&entry, &edit.id)?;
        }
        if edit.base.as_deref() != Some(version.as_str()) {
            let on_disk = catalog.file(&edit.lang, &place.key).and_then(|f| f.entry_text(&edit.id));
            return Err(EditError::Conflict(Box::new(Conflict {
                error:
                    "the message changed on disk since the editor loaded it: nothing was written"
                        .to_owned(),
                file: project.relative(&place.path).display().to_string(),
                disk: on_disk.map(str::to_owned),
                yours: entry,
                base: version,
            })));
        }
        let Edited { file, syntax, .. } =
            Self::edited(&project, &catalog, &place, &edit.lang, edit)?;
        let errors: Vec<DiagnosticView> =
            syntax.iter().filter(|d| d.is_error()).map(super::preview::error_view).collect();
        if !errors.is_empty() || !file.entries.contains_key(&edit.id) {
            return Err(EditError::Invalid(format!(
                "not saved: the text of `{}` is not valid Fluent ({})",
                edit.id,
                syntax.iter().map(|d| d.message.clone()).collect::<Vec<_>>().join("; ")
            )));
        }
        // The bytes on disk, with only the entry replaced: a byte-order
        // mark and Windows line ends stay as they were.
        let bytes = disk.unwrap_or_default();
        let text = String::from_utf8(bytes.clone())
            .map_err(|_| EditError::Invalid(format!("{} is not UTF-8", place.path.display())))?;
        let (bom, body) = match text.strip_prefix('\u{feff}') {
            Some(body) => ("\u{feff}", body),
            None => ("", text.as_str()),
        };
        let crlf = body.contains("\r\n");
        let entry = if crlf { entry.replace('\n', "\r\n") } else { entry };
        let start = FtlFile::parse(crate::diag::SourceFile::new("", body))
            .0
            .entries
            .get(&edit.id)
            .map(|r| r.start);
        let new = format!("{bom}{}", crate::l10n::ftl::splice_entry(body, start, &entry));
        if new.as_bytes() != bytes.as_slice() {
            if let Some(dir) = place.path.parent() {
                std::fs::create_dir_all(dir).map_err(|err| {
                    EditError::Io(format!("cannot make {}: {err}", dir.display()))
                })?;
            }
            crate::atomic::write_atomic(&place.path, new.as_bytes()).map_err(|err| {
                EditError::Io(format!("cannot write {}: {err}", place.path.display()))
            })?;
            // The translation is now made from today's source: the state
            // says so, as `check` or `build` would record it.
            let (mut catalog, problems) =
                Catalog::load_and_record(&project, std::slice::from_ref(&id));
            if let Some(problem) = problems.iter().find(|d| d.code == "l10n-state") {
                return Err(EditError::Io(problem.message.clone()));
            }
            if let Some(author) = author
                && edit.lang != project.source_language()
            {
                catalog
                    .set_author(&project, &edit.lang, &place.key, &edit.id, author)
                    .map_err(|d| EditError::Io(d.message))?;
            }
            let saved = catalog.file(&edit.lang, &place.key).and_then(|f| f.entry_text(&edit.id));
            return Ok(Saved {
                saved: true,
                file: project.relative(&place.path).display().to_string(),
                base: message_version(saved),
            });
        }
        Ok(Saved {
            saved: true,
            file: project.relative(&place.path).display().to_string(),
            base: version,
        })
    }

    /// Approves a translation as `by` (a reviewer of its language; with
    /// four eyes, never its last author).
    pub fn approve(&self, request: &MessageRef, by: &str) -> Result<Approved, EditError> {
        if self.options.read_only {
            return Err(EditError::Forbidden(
                "approving is off: pressroom serve was started with --read-only".into(),
            ));
        }
        let (project, id) = self.open(&request.release, &request.lang, Access::Read)?;
        if request.lang == project.source_language() {
            return Err(EditError::Invalid("the source language is not reviewed".into()));
        }
        let _one = crate::locks::lock(&self.saving);
        let (mut catalog, _) = Catalog::load(&project, std::slice::from_ref(&id));
        let place = Self::place(&project, &catalog, &id, &request.lang, &request.id)?;
        Self::confined(&project, &place, &request.lang)?;
        let ids = [request.id.clone()];
        let done = catalog
            .approve(&project, &request.lang, std::slice::from_ref(&place.key), Some(&ids), by)
            .map_err(|d: Diagnostic| EditError::Io(d.message))?;
        if let Some((_, why)) = done.refused.first() {
            return Err(EditError::Invalid(format!("not approved: {why}")));
        }
        Ok(Approved { approved: true, by: by.to_owned() })
    }

    /// Marks a stale translation up to date as it is.
    pub fn accept(&self, request: &MessageRef) -> Result<Accepted, EditError> {
        let (project, id) = self.open(&request.release, &request.lang, Access::Write)?;
        if request.lang == project.source_language() {
            return Err(EditError::Invalid("the source language is never stale".into()));
        }
        let _one = crate::locks::lock(&self.saving);
        let (mut catalog, _) = Catalog::load(&project, std::slice::from_ref(&id));
        let place = Self::place(&project, &catalog, &id, &request.lang, &request.id)?;
        Self::confined(&project, &place, &request.lang)?;
        let accepted = catalog
            .accept_message(&project, &request.lang, &place.key, &request.id)
            .map_err(|d: Diagnostic| EditError::Io(d.message))?;
        Ok(Accepted { accepted })
    }
}

/// What a message is called for people (in English, from the interface's
/// words; `kind` and `name`
/// for the interface to say it in its language: `kind-web` with `archive`),
/// and where it prints: the release's own texts, the office's words by
/// their prefix.
fn describe_message(id: &str, office: bool) -> (String, &'static str, String, Vec<&'static str>) {
    const EVERYWHERE: &[&str] = &["pdf", "web", "email"];
    let rest = |prefix: &str| id.strip_prefix(prefix).unwrap_or(id).replace('-', " ");
    let (kind, name, shows): (&str, String, &[&str]) = match id {
        "title" => ("title", String::new(), EVERYWHERE),
        "subtitle" => ("subtitle", String::new(), EVERYWHERE),
        "body" => ("body", String::new(), EVERYWHERE),
        "background" => ("background", String::new(), EVERYWHERE),
        "notes" => ("notes", String::new(), EVERYWHERE),
        "signed-by" => ("signature", String::new(), &["pdf"]),
        "signature-field-empty" => ("signature-field", String::new(), &["pdf"]),
        "label-draft" | "label-untranslated" | "label-stale" | "label-unreviewed" => {
            ("draft-mark", rest("label-"), &["draft"])
        }
        "label-embargo" => ("embargo", String::new(), EVERYWHERE),
        "label-page" => ("pages", String::new(), &["pdf"]),
        _ if id.starts_with('-') => ("term", rest("-"), EVERYWHERE),
        _ if id.starts_with("web-") => ("web", rest("web-"), &["web", "email"]),
        _ if id.starts_with("date-") => ("date", rest("date-"), EVERYWHERE),
        _ if id.starts_with("kind-") => ("kind", rest("kind-"), EVERYWHERE),
        _ if id.starts_with("place-") => ("place", rest("place-"), EVERYWHERE),
        _ if id.starts_with("contact-") => ("contact", rest("contact-"), EVERYWHERE),
        _ if id.starts_with("office-") => ("letterhead", rest("office-"), EVERYWHERE),
        _ if id.starts_with("label-") => ("label", rest("label-"), EVERYWHERE),
        _ if office => ("office", id.replace('-', " "), EVERYWHERE),
        _ => ("other", id.replace('-', " "), EVERYWHERE),
    };
    // Named as the interface's English names it (ui/en.ftl `kind-…`).
    let label = super::ui::english(&format!("kind-{kind}"), &name);
    (label, kind, name, shows.to_vec())
}

/// An entry's source without its `id =`: what a person reads.
fn value_of(entry: &str) -> &str {
    entry.split_once('=').map_or(entry, |(_, value)| value).trim_start()
}

/// Whether `source` holds exactly one message or term, `id` (comments
/// aside); text that does not parse is left to the parser's findings.
fn one_entry_named(source: &str, id: &str) -> Result<(), EditError> {
    let Some(ids) = crate::l10n::ftl::entry_ids(source) else { return Ok(()) };
    if ids.len() == 1 && ids[0] == id {
        return Ok(());
    }
    Err(EditError::Invalid(format!(
        "not saved: the text must be the one message `{id}` and nothing else (it holds {})",
        if ids.is_empty() {
            "none".to_owned()
        } else {
            ids.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
        }
    )))
}

/// What changed from `old` to `new`, word by word.
fn word_diff(old: &str, new: &str) -> Vec<WordRun> {
    let diff = similar::TextDiff::from_words(old, new);
    let mut runs: Vec<WordRun> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            similar::ChangeTag::Equal => WordOp::Same,
            similar::ChangeTag::Insert => WordOp::Added,
            similar::ChangeTag::Delete => WordOp::Removed,
        };
        match runs.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => runs.push(WordRun { op, text: change.value().to_owned() }),
        }
    }
    runs
}

/// The glossary of `lang`, where it has one that reads (`check` reports
/// one that does not).
fn glossary(project: &Project, lang: &str) -> Option<Glossary> {
    Glossary::load(project, lang).ok().flatten()
}

/// `check`'s findings about message `id` of a file, as the page shows them
/// (the glossary's too, for a release's translation, as `check` finds them).
fn findings(
    catalog: &Catalog,
    glossary: Option<&Glossary>,
    lang: &str,
    key: &FtlKey,
    file: &FtlFile,
    id: &str,
) -> Vec<DiagnosticView> {
    let Some(range) =
        file.entries.get(id).map(|r| crate::l10n::ftl::entry_range(&file.source.text, r.start))
    else {
        return Vec::new();
    };
    let mut all = FtlFile::parse(file.source.clone()).1;
    all.extend(compare::duplicates(file, lang));
    all.extend(compare::plural_variants(file, lang));
    all.extend(typography::check(file, lang));
    if lang != catalog.source_lang
        && let Some(source) = catalog.file(&catalog.source_lang, key)
    {
        all.extend(compare::compare(source, file, lang));
        if let (Some(glossary), FtlKey::Release(_), Some(english), Some(translation)) =
            (glossary, key, source.entry_text(id), file.entry_text(id))
        {
            let found = crate::review::glossary::diagnostics(
                glossary,
                english,
                translation,
                &file.source,
                file.span_of(id),
                id,
            );
            for d in found {
                all.push(d);
            }
        }
    }
    all.iter()
        .filter(|d| {
            d.location.as_ref().is_some_and(|l| {
                l.file.path == file.source.path
                    && l.span.as_ref().is_some_and(|s| {
                        s.start < range.end.max(range.start + 1) && s.end >= range.start
                    })
            })
        })
        .map(super::preview::error_view)
        .collect()
}
