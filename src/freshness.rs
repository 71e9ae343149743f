//! Skipping what is up to date: each output's fingerprint covers everything
//! it is made from (pressroom's version, the options, pressroom.toml, the
//! release, the Fluent files of its language and the source language, the
//! translation state, the layout's files and the fonts). A manifest in the
//! output folder remembers the fingerprint each PDF was built from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::project::Project;
use crate::release::ReleaseId;

pub const MANIFEST: &str = ".pressroom-manifest.json";

/// Fingerprints outputs, hashing each shared input once.
pub struct Fingerprints<'a> {
    project: &'a Project,
    /// Hash of what every output shares (version, options, config, fonts).
    shared: Vec<u8>,
    layouts: BTreeMap<String, Vec<u8>>,
}

impl<'a> Fingerprints<'a> {
    /// `flags` names the options that change the bytes (draft, signing…).
    pub fn new(project: &'a Project, flags: &str) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(env!("CARGO_PKG_VERSION"));
        hasher.update([0]);
        hasher.update(flags);
        hasher.update([0]);
        hash_file(&mut hasher, &project.root().join(crate::project::CONFIG_FILE));
        // Fonts can be large: their names, sizes and times stand for them.
        for path in files_under(&project.fonts_dir()) {
            hasher.update(path.to_string_lossy().as_bytes());
            if let Ok(meta) = std::fs::metadata(&path) {
                hasher.update(meta.len().to_le_bytes());
                if let Ok(modified) = meta.modified()
                    && let Ok(since) = modified.duration_since(std::time::UNIX_EPOCH)
                {
                    hasher.update(since.as_nanos().to_le_bytes());
                }
            }
        }
        Self { project, shared: hasher.finalize().to_vec(), layouts: BTreeMap::new() }
    }

    fn layout(&mut self, name: &str) -> Vec<u8> {
        let dir = self.project.root().join("layouts").join(name);
        self.layouts
            .entry(name.to_owned())
            .or_insert_with(|| {
                let mut hasher = Sha256::new();
                for path in files_under(&dir) {
                    hasher.update(
                        path.strip_prefix(&dir).unwrap_or(&path).to_string_lossy().as_bytes(),
                    );
                    hash_file(&mut hasher, &path);
                }
                hasher.finalize().to_vec()
            })
            .clone()
    }

    /// The fingerprint of release `id` in `lang`, laid out with `layout`.
    pub fn output(&mut self, id: &ReleaseId, lang: &str, layout: &str) -> String {
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
            project.locale_dir(lang).join(crate::l10n::state::STATE_FILE),
        ] {
            hash_file(&mut hasher, &path);
        }
        hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
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

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(files_under(&path));
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// `<output file name>` -> fingerprint, as last built.
#[derive(Debug, Default)]
pub struct Manifest {
    path: PathBuf,
    entries: BTreeMap<String, String>,
}

impl Manifest {
    pub fn load(out_dir: &Path) -> Self {
        let path = out_dir.join(MANIFEST);
        let entries = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Self { path, entries }
    }

    /// Whether `file` exists and was built from `fingerprint`.
    pub fn is_current(&self, file: &Path, fingerprint: &str) -> bool {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        file.is_file() && self.entries.get(name).is_some_and(|f| f == fingerprint)
    }

    pub fn record(&mut self, file: &Path, fingerprint: String) {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        self.entries.insert(name.to_owned(), fingerprint);
    }

    pub fn forget(&mut self, file: &Path) {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        self.entries.remove(name);
    }

    pub fn save(&self) -> std::io::Result<()> {
        let text = serde_json::to_vec_pretty(&self.entries).unwrap_or_default();
        crate::atomic::write_atomic(&self.path, &text)
    }
}
