//! The press office repository: where its root is, what `pressroom.toml`
//! says, and where each kind of source lives inside it.

mod config;
mod pkcs11;
mod selection;
pub mod values;

use std::fs;
use std::path::{Path, PathBuf};

pub use config::{Config, Contact, Office, ReviewConfig, SignatureLevel, SigningConfig};
pub use pkcs11::TokenConfig;
pub use selection::Selection;

use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::names::{ReleaseId, is_name};

/// The file that marks a project root.
pub const CONFIG_FILE: &str = "pressroom.toml";

/// An opened project: its root and its validated configuration.
#[derive(Debug, Clone)]
pub struct Project {
    root: PathBuf,
    pub config: Config,
    pub config_file: SourceFile,
}

impl Project {
    /// Finds the nearest folder upward from `start` holding `pressroom.toml`.
    pub fn discover(start: &Path) -> Result<Self, Diagnostics> {
        let start = fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
        let root =
            start.ancestors().find(|dir| dir.join(CONFIG_FILE).is_file()).ok_or_else(|| {
                Diagnostic::error(
                    "no-project",
                    format!("no {CONFIG_FILE} in {} or any folder above it", start.display()),
                )
                .hint("run pressroom inside a press office repository, or pass --root DIR")
            })?;
        Self::open(root)
    }

    /// Opens the project whose root is `root`.
    pub fn open(root: &Path) -> Result<Self, Diagnostics> {
        let root = fs::canonicalize(root).map_err(|err| {
            Diagnostic::error("no-project", format!("cannot open project root: {err}"))
                .in_file(root)
        })?;
        let text = fs::read_to_string(root.join(CONFIG_FILE)).map_err(|err| {
            Diagnostic::error("no-project", format!("cannot read {CONFIG_FILE}: {err}"))
                .in_file(CONFIG_FILE)
                .hint("a project root holds pressroom.toml; see README.md")
        })?;
        let config_file = SourceFile::new(CONFIG_FILE, without_bom(text));
        let has_layout = |name: &str| root.join("layouts").join(name).join("main.typ").is_file();
        let config = Config::parse(&config_file, has_layout)?;
        Ok(Self { root, config, config_file })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// All languages, the source language first.
    pub fn languages(&self) -> Vec<String> {
        let source = self.source_language();
        let mut langs = vec![source.clone()];
        langs.extend(
            self.config.languages.iter().map(|l| l.get_ref().clone()).filter(|l| *l != source),
        );
        langs
    }

    pub fn source_language(&self) -> String {
        match &self.config.source_language {
            Some(lang) => lang.get_ref().clone(),
            None => self.config.languages.first().map(|l| l.get_ref().clone()).unwrap_or_default(),
        }
    }

    /// The CLDR locale whose date conventions `lang` follows.
    pub fn date_locale(&self, lang: &str) -> String {
        self.config
            .date_locales
            .get(lang)
            .map(|l| l.get_ref().clone())
            .unwrap_or_else(|| lang.to_owned())
    }

    pub fn releases_dir(&self) -> PathBuf {
        self.root.join("releases")
    }

    /// Every release in `releases/`, sorted by id. Files whose stem is not a
    /// valid id are reported, never turned into paths.
    pub fn release_ids(&self) -> Result<Vec<ReleaseId>, Diagnostics> {
        let dir = self.releases_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => {
                return Err(Diagnostic::error("io", format!("cannot list releases: {err}"))
                    .in_file("releases")
                    .into());
            }
        };
        let mut ids = Vec::new();
        let mut diags = Diagnostics::default();
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("toml") {
                continue;
            }
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            match ReleaseId::new(stem) {
                Ok(id) => ids.push(id),
                Err(diag) => diags.push(diag.in_file(self.relative(&path))),
            }
        }
        ids.sort();
        diags.into_result(ids)
    }

    pub fn release_file(&self, id: &ReleaseId) -> PathBuf {
        self.releases_dir().join(format!("{id}.toml"))
    }

    pub fn locale_dir(&self, lang: &str) -> PathBuf {
        self.root.join("locales").join(lang)
    }

    pub fn office_ftl(&self, lang: &str) -> PathBuf {
        self.locale_dir(lang).join("office.ftl")
    }

    pub fn release_ftl(&self, lang: &str, id: &ReleaseId) -> PathBuf {
        self.locale_dir(lang).join("releases").join(format!("{id}.ftl"))
    }

    /// Whether `layouts/<name>/main.typ` exists (and `name` is a plain name).
    pub fn has_layout(&self, name: &str) -> bool {
        is_name(name) && self.root.join("layouts").join(name).join("main.typ").is_file()
    }

    /// The files `[signing]` names (key, certificate, PKCS#12, chain), as
    /// absolute paths: secrets, or at least nothing a layout should read.
    pub fn signing_paths(&self) -> Vec<PathBuf> {
        let Some(signing) = &self.config.signing else { return Vec::new() };
        let named = [&signing.key, &signing.certificate, &signing.pkcs12];
        let files = named.into_iter().flatten().chain(&signing.chain);
        files.map(|path| self.root.join(path)).collect()
    }

    /// The releases a command names (all when `names` is empty), each checked
    /// to be a valid id of an existing release before anything is read.
    pub fn select_releases(&self, names: &[String]) -> Result<Vec<ReleaseId>, Diagnostics> {
        let all = self.release_ids()?;
        if names.is_empty() {
            return Ok(all);
        }
        let mut diags = Diagnostics::default();
        let mut ids = Vec::new();
        for name in names {
            match ReleaseId::new(name) {
                Ok(id) if all.contains(&id) => ids.push(id),
                Ok(id) => diags.push(
                    Diagnostic::error("usage", format!("there is no release `{id}`"))
                        .in_file(self.relative(&self.release_file(&id)))
                        .hint(match all.len() {
                            0 => "releases/ is empty; `pressroom new <slug>` scaffolds one"
                                .to_owned(),
                            _ => format!(
                                "known releases: {}",
                                all.iter().map(ReleaseId::as_str).collect::<Vec<_>>().join(", ")
                            ),
                        }),
                ),
                Err(diag) => diags.push(Diagnostic { code: "usage", ..diag }),
            }
        }
        diags.into_result(ids)
    }

    /// Checks `--lang` values against the office's languages.
    pub fn select_languages(&self, names: &[String]) -> Result<Vec<String>, Diagnostics> {
        let known = self.languages();
        let mut diags = Diagnostics::default();
        for name in names {
            if !known.contains(name) {
                diags.push(
                    Diagnostic::error(
                        "usage",
                        format!("`{name}` is not one of the office's languages"),
                    )
                    .in_file(CONFIG_FILE)
                    .hint(format!("pressroom.toml lists: {}", known.join(", "))),
                );
            }
        }
        diags.into_result(names.to_vec())
    }

    /// A layout's folder: all that layout may read, with the fonts.
    pub fn layout_dir(&self, layout: &str) -> PathBuf {
        self.root.join("layouts").join(layout)
    }

    /// The layout folder's entry file, relative to the root (as Typst sees it).
    pub fn layout_main(&self, layout: &str) -> String {
        format!("/layouts/{layout}/main.typ")
    }

    pub fn fonts_dir(&self) -> PathBuf {
        self.root.join("fonts")
    }

    /// A path as the user knows it: relative to the root where possible.
    pub fn relative(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
    }

    /// Whether `path` (which may not exist yet) lies inside the project
    /// once every link on the way is followed: where it may be written.
    pub fn holds(&self, path: &Path) -> bool {
        let mut existing = path;
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name);
                    existing = parent;
                }
                _ => return false,
            }
        }
        // A name still to be made must not climb out either.
        if rest.iter().any(|name| *name == ".." || *name == ".") {
            return false;
        }
        fs::canonicalize(existing).is_ok_and(|real| real.starts_with(&self.root))
    }

    /// Reads a project file as a `SourceFile` named relative to the root.
    /// Refuses a file that resolves outside the root (a symlink out of it).
    pub fn read_source(&self, path: &Path) -> std::io::Result<SourceFile> {
        if !fs::canonicalize(path)?.starts_with(&self.root) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "it leads outside the project root (a symbolic link?)",
            ));
        }
        let text = without_bom(fs::read_to_string(path)?);
        Ok(SourceFile::new(self.relative(path), text))
    }
}

/// The text without the UTF-8 byte-order mark that Windows editors put at
/// the start of a file: it is not part of what the author wrote.
pub fn without_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}

/// The person at this machine as git knows them (`user.name`,
/// `user.email` of the repository holding `root`, else the user's): who
/// the local editor saves and approves as. `None` when git has no name.
pub fn local_person(root: &Path) -> Option<(String, String)> {
    let config = git2::Repository::discover(root)
        .and_then(|repo| repo.config())
        .or_else(|_| git2::Config::open_default())
        .ok()?;
    let name = config.get_string("user.name").ok().filter(|n| !n.trim().is_empty())?;
    let email = config.get_string("user.email").unwrap_or_default();
    Some((name, email))
}
