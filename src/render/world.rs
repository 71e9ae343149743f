//! The Typst World a layout compiles in: files from the layout's own folder
//! and the fonts only,
//! the document model as a virtual data file, embedded fonts, a fixed date.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};
use typst_kit::files::{FileLoader, FileStore};

use super::fonts::Fonts;
use crate::date::Date;

/// Where a layout finds the document model: `json("/.pressroom/document.json")`.
pub const DATA_PATH: &str = "/.pressroom/document.json";

/// What a layout may read: its own folder and the fonts, never a path on
/// the refused list (`.git`, the output folder, the signing files), even
/// where that lies inside a readable folder. Paths are canonical.
#[derive(Debug, Clone, Default)]
pub struct Sandbox {
    /// (folder, as the user knows it: `layouts/letterhead/`).
    pub readable: Vec<(PathBuf, String)>,
    /// (path, why a layout may never read it).
    pub refused: Vec<(PathBuf, String)>,
}

impl Sandbox {
    /// Why `path` (absolute; checked as written and, when it exists, as
    /// resolved through symbolic links) may not be read, if it may not.
    fn refusal(&self, path: &Path, shown: &Path) -> Option<String> {
        let real = std::fs::canonicalize(path).ok();
        let candidates = std::iter::once(path).chain(real.as_deref());
        for candidate in candidates.clone() {
            if let Some((_, why)) = self.refused.iter().find(|(p, _)| candidate.starts_with(p)) {
                return Some(format!("`{}` is {why}: a layout may never read it", shown.display()));
            }
            // A layout kept in a repository of its own has a `.git` of its own.
            let in_git = self.readable.iter().any(|(dir, _)| {
                candidate
                    .strip_prefix(dir)
                    .is_ok_and(|rel| rel.components().any(|c| c.as_os_str() == ".git"))
            });
            if in_git {
                return Some(format!(
                    "`{}` is in a repository's own data (.git): a layout may never read it",
                    shown.display()
                ));
            }
        }
        let inside = |p: &Path| self.readable.iter().any(|(dir, _)| p.starts_with(dir));
        if candidates.clone().all(inside) {
            return None;
        }
        let folders: Vec<&str> = self.readable.iter().map(|(_, shown)| shown.as_str()).collect();
        let what = if inside(path) { "is a symbolic link out of" } else { "is outside" };
        Some(format!(
            "`{}` {what} what a layout may read: {}",
            shown.display(),
            folders.join(" and ")
        ))
    }
}

/// Serves the files the sandbox allows and the document model from memory;
/// refuses package imports.
pub struct SandboxLoader {
    root: PathBuf,
    sandbox: Arc<Sandbox>,
    data_id: FileId,
    data: Bytes,
}

impl FileLoader for SandboxLoader {
    fn load(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            return Ok(self.data.clone());
        }
        if !matches!(id.root(), VirtualRoot::Project) {
            // No Typst Universe: layouts are self-contained and offline.
            return Err(FileError::AccessDenied);
        }
        let path = id.vpath().realize(&self.root).map_err(FileError::from)?;
        // Errors name the path as the user sees it, relative to the root.
        let shown = Path::new(id.vpath().get_without_slash());
        if let Some(why) = self.sandbox.refusal(&path, shown) {
            return Err(FileError::Other(Some(why.into())));
        }
        if path.is_dir() {
            return Err(FileError::IsDirectory);
        }
        // Opening a FIFO blocks until someone writes to it; a device never ends.
        if std::fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
            return Err(FileError::Other(Some(
                format!("`{}` is not a regular file: a layout reads only files", shown.display())
                    .into(),
            )));
        }
        std::fs::read(&path).map(Bytes::new).map_err(|err| FileError::from_io(err, shown))
    }
}

/// Parsed Typst sources shared by the worlds of one engine.
pub type SourceCache = Arc<std::sync::Mutex<std::collections::HashMap<FileId, Source>>>;

/// One output's compilation environment. Keeping a world alive and calling
/// [`LayoutWorld::set_data`] between compiles lets Typst reuse its work.
pub struct LayoutWorld {
    library: Arc<LazyHash<Library>>,
    pub(super) fonts: Arc<Fonts>,
    sources: SourceCache,
    main: FileId,
    files: FileStore<SandboxLoader>,
    today: Date,
    /// The last compile's pages as SVG, by a hash of the laid-out page: a
    /// live rebuild draws only the pages that changed.
    pub(super) page_images: super::preview::PageCache,
}

impl LayoutWorld {
    /// `root` must be canonical. `main` is the layout's entry file as a
    /// root-relative virtual path (`/layouts/letterhead/main.typ`).
    pub fn new(
        root: &Path,
        main: &str,
        sandbox: Arc<Sandbox>,
        library: Arc<LazyHash<Library>>,
        fonts: Arc<Fonts>,
        sources: SourceCache,
    ) -> Result<Self, String> {
        let main = file_id(main)?;
        let data_id = file_id(DATA_PATH)?;
        let loader = SandboxLoader {
            root: root.to_path_buf(),
            sandbox,
            data_id,
            data: Bytes::new(Vec::new()),
        };
        Ok(Self {
            library,
            fonts,
            sources,
            main,
            files: FileStore::new(loader),
            today: Date::EPOCH,
            page_images: Default::default(),
        })
    }

    /// Hands the document model to the layout and marks every file as
    /// possibly changed (the next compile re-reads what it needs).
    pub fn set_data(&mut self, data: Vec<u8>, today: Date) {
        self.files.loader_mut().data = Bytes::new(data);
        self.today = today;
        self.files.reset();
    }

    pub fn main_id(&self) -> FileId {
        self.main
    }
}

pub fn file_id(path: &str) -> Result<FileId, String> {
    let vpath = VirtualPath::new(path).map_err(|err| format!("bad path `{path}`: {err}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl World for LayoutWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        // Every output of a build compiles the same layout: parse it once
        // and share the syntax tree between worlds (and threads).
        let bytes = self.files.file(id)?;
        let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
        let mut cache = crate::locks::lock(&self.sources);
        if let Some(source) = cache.get(&id)
            && source.text().as_bytes() == text
        {
            return Ok(source.clone());
        }
        let text = std::str::from_utf8(text).map_err(|_| FileError::InvalidUtf8)?;
        let source = Source::new(id, text.into());
        cache.insert(id, source.clone());
        Ok(source)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.file(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        // The release's date: the same sources give the same document.
        Datetime::from_ymd(self.today.year, self.today.month, self.today.day)
    }
}
