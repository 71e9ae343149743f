//! Skipping what is up to date. Each output's fingerprint covers everything
//! it is made from: pressroom's version, the options, pressroom.toml, the
//! release, the Fluent files of its language and the source language, which
//! of its messages are stale, the layout's folder and the fonts (all that a
//! layout may read). A manifest in each output folder remembers, per PDF,
//! the fingerprint it was built from, its kind and the SHA-256 of the bytes
//! written: a PDF changed on disk, of another kind, or missing is rebuilt.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::names::ReleaseId;
use crate::project::Project;

pub const MANIFEST: &str = ".pressroom-manifest.json";

/// What a build wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Final,
    Signed,
    Draft,
}

/// The options that change an output's bytes, as the fingerprint sees them.
pub fn flags(
    kind: Kind,
    signer: Option<&str>,
    source_date_epoch: Option<i64>,
    model: bool,
) -> String {
    format!("kind={kind:?} sign={} epoch={source_date_epoch:?} model={model}", signer.unwrap_or(""))
}

/// Fingerprints outputs, hashing each shared input once.
pub struct Fingerprints<'a> {
    project: &'a Project,
    /// Hash of what every output shares (version, options, config, fonts).
    shared: Vec<u8>,
    layouts: BTreeMap<String, Vec<u8>>,
    /// The output folder, canonical, when it exists: never hashed.
    out_dir: Option<PathBuf>,
    skipped: Vec<Skipped>,
}

impl<'a> Fingerprints<'a> {
    /// `flags` names the options that change the bytes (kind, signer…);
    /// `out_dir` is the output folder in use, left out wherever it lies.
    pub fn new(project: &'a Project, flags: &str, out_dir: &Path) -> Self {
        let out_dir = std::fs::canonicalize(out_dir).ok();
        let mut hasher = Sha256::new();
        hasher.update(env!("CARGO_PKG_VERSION"));
        hasher.update([0]);
        hasher.update(flags);
        hasher.update([0]);
        hash_file(&mut hasher, &project.root().join(crate::project::CONFIG_FILE));
        let skipped = hash_tree(&mut hasher, &project.fonts_dir(), out_dir.as_deref());
        let shared = hasher.finalize().to_vec();
        Self { project, shared, layouts: BTreeMap::new(), out_dir, skipped }
    }

    /// A warning for each file the walks passed over.
    pub fn warnings(&self) -> Vec<crate::diag::Diagnostic> {
        let root = self.project.root();
        self.skipped
            .iter()
            .map(|s| {
                let shown = s.path.strip_prefix(root).unwrap_or(&s.path);
                crate::diag::Diagnostic::warning(
                    "files",
                    format!(
                        "`{}` is {}: skipped (a layout cannot read it)",
                        shown.display(),
                        s.why
                    ),
                )
            })
            .collect()
    }

    fn layout(&mut self, name: &str) -> Vec<u8> {
        let dir = self.project.layout_dir(name);
        let (out_dir, skipped) = (self.out_dir.as_deref(), &mut self.skipped);
        self.layouts
            .entry(name.to_owned())
            .or_insert_with(|| {
                let mut hasher = Sha256::new();
                skipped.extend(hash_tree(&mut hasher, &dir, out_dir));
                hasher.finalize().to_vec()
            })
            .clone()
    }

    /// The fingerprint of release `id` in `lang`, laid out with `layout`,
    /// showing the `stale` messages as stale.
    pub fn output(&mut self, id: &ReleaseId, lang: &str, layout: &str, stale: &[String]) -> String {
        let project = self.project;
        let source = project.source_language();
        let mut hasher = Sha256::new();
        hasher.update(&self.shared);
        hasher.update(self.layout(layout));
        for path in [
            project.release_file(id),
            project.office_ftl(&source),
            project.release_ftl(&source, id),
            project.office_ftl(lang),
            project.release_ftl(lang, id),
        ] {
            hash_file(&mut hasher, &path);
        }
        for message in stale {
            hasher.update(message.as_bytes());
            hasher.update([0]);
        }
        hex(&hasher.finalize())
    }
}

/// Bytes as lowercase hexadecimal (digests in manifests and names).
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hash_file(hasher: &mut Sha256, path: &Path) {
    match std::fs::read(path) {
        Ok(bytes) => {
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(&bytes);
        }
        Err(_) => hasher.update(b"(absent)"),
    }
}

/// Every file under `dir` by its relative name and content, in a fixed
/// order; returns what was passed over.
fn hash_tree(hasher: &mut Sha256, dir: &Path, out_dir: Option<&Path>) -> Vec<Skipped> {
    let (files, skipped) = files_under(dir, out_dir);
    for path in files {
        hasher.update(path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().as_bytes());
        hasher.update([0]);
        hash_file(hasher, &path);
    }
    skipped
}

/// The regular files under `dir`, sorted, and what was passed over: the
/// walk never leaves `dir` (a symbolic link counts only when it names a
/// regular file inside it; linked folders are not entered, so a link loop
/// ends), never enters `.git` or `out`, and never opens a FIFO, socket
/// or device, which could block the build for ever.
fn files_under(dir: &Path, out_dir: Option<&Path>) -> (Vec<PathBuf>, Vec<Skipped>) {
    let (mut files, mut skipped) = (Vec::new(), Vec::new());
    let Ok(root) = std::fs::canonicalize(dir) else { return (files, skipped) };
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                let excluded = entry.file_name() == ".git"
                    || out_dir
                        .is_some_and(|out| std::fs::canonicalize(&path).is_ok_and(|p| p == out));
                if !excluded {
                    folders.push(path);
                }
            } else if kind.is_file() {
                files.push(path);
            } else if kind.is_symlink() {
                match (std::fs::canonicalize(&path), std::fs::metadata(&path)) {
                    (Ok(target), Ok(meta)) if target.starts_with(&root) && meta.is_file() => {
                        files.push(path)
                    }
                    (Ok(_), Ok(meta)) if meta.is_dir() => {}
                    (Ok(target), Ok(_)) if !target.starts_with(&root) => {
                        skipped.push(Skipped { path, why: "a symbolic link out of the folder" })
                    }
                    (Ok(_), Ok(_)) => skipped.push(Skipped { path, why: "not a regular file" }),
                    _ => skipped.push(Skipped { path, why: "a broken symbolic link" }),
                }
            } else {
                skipped
                    .push(Skipped { path, why: "not a regular file (a FIFO, socket or device)" });
            }
        }
    }
    files.sort();
    (files, skipped)
}

/// A file a fingerprint walk passed over, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub path: PathBuf,
    pub why: &'static str,
}

/// One PDF as last written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    kind: Kind,
    sha256: String,
    /// Its size and modification time when written: while both are
    /// unchanged the file is taken as unchanged without reading it.
    #[serde(default)]
    size: u64,
    #[serde(default)]
    modified_ns: u128,
}

/// A file's size and modification time, if it exists.
fn stamp(file: &Path) -> Option<(u64, u128)> {
    let meta = std::fs::metadata(file).ok()?;
    let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some((meta.len(), modified.as_nanos()))
}

/// `<output file name>` -> what was written there, as last built.
#[derive(Debug, Default)]
pub struct Manifest {
    path: PathBuf,
    entries: BTreeMap<String, Entry>,
    changed: bool,
}

impl Manifest {
    /// The manifest of `out_dir`; an unreadable one (or one written by an
    /// older pressroom) is empty, so everything is rebuilt.
    pub fn load(out_dir: &Path) -> Self {
        let path = out_dir.join(MANIFEST);
        let entries = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Self { path, entries, changed: false }
    }

    /// Whether `file` holds, byte for byte, what a build of `kind` wrote
    /// from `fingerprint`.
    pub fn is_current(&self, file: &Path, fingerprint: &str, kind: Kind) -> bool {
        let Some(entry) = self.entries.get(name(file)) else { return false };
        if entry.fingerprint != fingerprint || entry.kind != kind {
            return false;
        }
        // The same size and time as written: the same file (an archive of
        // thousands of PDFs is checked without reading them). Otherwise the
        // bytes decide, catching a file edited, replaced or signed since.
        match stamp(file) {
            None => false,
            Some((size, modified_ns)) if size == entry.size && modified_ns == entry.modified_ns => {
                true
            }
            Some(_) => {
                std::fs::read(file).is_ok_and(|bytes| hex(&Sha256::digest(&bytes)) == entry.sha256)
            }
        }
    }

    /// Records `bytes` as just written to `file` from `fingerprint`.
    pub fn record(&mut self, file: &Path, fingerprint: String, kind: Kind, bytes: &[u8]) {
        let (size, modified_ns) = stamp(file).unwrap_or_default();
        let sha256 = hex(&Sha256::digest(bytes));
        let entry = Entry { fingerprint, kind, sha256, size, modified_ns };
        self.changed |= self.entries.insert(name(file).to_owned(), entry.clone()) != Some(entry);
    }

    pub fn forget(&mut self, file: &Path) {
        self.changed |= self.entries.remove(name(file)).is_some();
    }

    /// Writes the manifest if anything changed.
    pub fn save(&mut self, durability: crate::atomic::Durability) -> std::io::Result<()> {
        if !self.changed {
            return Ok(());
        }
        let text = serde_json::to_vec_pretty(&self.entries).unwrap_or_default();
        crate::atomic::write_atomic_with(&self.path, &text, durability)?;
        self.changed = false;
        Ok(())
    }
}

fn name(file: &Path) -> &str {
    file.file_name().and_then(|n| n.to_str()).unwrap_or_default()
}
