//! Writing an edition's folder incrementally: each file atomically, only
//! when its bytes changed, and the files an earlier run wrote that this one
//! did not are removed. A manifest in the folder remembers, per file, the
//! SHA-256 and size written: a file changed or deleted on disk is written
//! again. Files pressroom did not write are never touched. The editions
//! are made from the sources, so files are written whole for readers but
//! not synced to disk one by one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::atomic::{Durability, write_atomic_with};
use crate::freshness::hex;

const MANIFEST: &str = ".pressroom-publish.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    sha256: String,
    size: u64,
}

/// What a run did to a folder.
#[derive(Debug, Default, Clone)]
pub struct Written {
    pub written: Vec<PathBuf>,
    pub unchanged: usize,
    pub removed: Vec<PathBuf>,
}

pub struct Folder {
    root: PathBuf,
    /// The names in each subfolder, read once: whether a kept file is
    /// still there is a lookup, not a `stat` per file.
    listing: std::cell::RefCell<BTreeMap<String, std::collections::HashSet<String>>>,
    old: BTreeMap<String, Entry>,
    new: BTreeMap<String, Entry>,
    done: Written,
}

/// One of pressroom's JSON records in a folder (manifest, register, the
/// e-mails' dates); empty when there is none or it does not read.
pub fn read_record<T: serde::de::DeserializeOwned + Default>(path: &Path) -> T {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Writes a record whole, atomically (made again from the sources if lost).
pub fn write_record<T: Serialize + ?Sized>(path: &Path, record: &T) -> std::io::Result<()> {
    let json = serde_json::to_vec(record).map_err(std::io::Error::other)?;
    write_atomic_with(path, &json, Durability::Unsynced)
}

impl Folder {
    pub fn open(root: &Path) -> Self {
        let old = read_record(&root.join(MANIFEST));
        Self {
            root: root.to_path_buf(),
            listing: Default::default(),
            old,
            new: BTreeMap::new(),
            done: Written::default(),
        }
    }

    fn up_to_date(&self, rel: &str, entry: &Entry) -> bool {
        self.old.get(rel) == Some(entry)
            && std::fs::metadata(self.root.join(rel))
                .is_ok_and(|m| m.is_file() && m.len() == entry.size)
    }

    /// Writes `bytes` to `rel` (a `/`-separated path under the folder).
    pub fn put(&mut self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let entry = Entry { sha256: hex(&Sha256::digest(bytes)), size: bytes.len() as u64 };
        if self.up_to_date(rel, &entry) {
            self.done.unchanged += 1;
        } else {
            // Its folder is made as it is written.
            let path = self.root.join(rel);
            write_atomic_with(&path, bytes, Durability::Unsynced)?;
            self.done.written.push(path);
        }
        self.new.insert(rel.to_owned(), entry);
        Ok(())
    }

    /// The folder written into.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether what an earlier run wrote to `rel` is still there (the
    /// register says its content needs no change). A file deleted since is
    /// made again; one edited by hand is left to the next change of its
    /// sources: checking each one's bytes would cost a publish its speed.
    pub fn is_current(&self, rel: &str) -> bool {
        if !self.old.contains_key(rel) {
            return false;
        }
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let mut listing = self.listing.borrow_mut();
        let names = listing.entry(dir.to_owned()).or_insert_with(|| {
            std::fs::read_dir(self.root.join(dir))
                .map(|entries| {
                    entries.flatten().filter_map(|e| e.file_name().into_string().ok()).collect()
                })
                .unwrap_or_default()
        });
        names.contains(name)
    }

    /// Keeps `rel` as an earlier run wrote it, when it is still there:
    /// its content needs no change. Says whether it was.
    pub fn kept(&mut self, rel: &str) -> bool {
        if !self.is_current(rel) {
            return false;
        }
        if let Some(entry) = self.old.get(rel) {
            self.new.insert(rel.to_owned(), entry.clone());
            self.done.unchanged += 1;
        }
        true
    }

    /// Keeps everything an earlier run wrote, when every file of it is
    /// still there: nothing the folder is made from changed. Says whether.
    pub fn keep_all(&mut self) -> bool {
        if self.old.is_empty() || !self.old.keys().all(|rel| self.is_current(rel)) {
            return false;
        }
        self.new = self.old.clone();
        self.done.unchanged += self.old.len();
        true
    }

    /// Keeps what an earlier run wrote to `rel` as it is (its new version
    /// could not be made): a broken template loses no published page.
    pub fn keep(&mut self, rel: &str) {
        if let Some(entry) = self.old.get(rel) {
            self.new.insert(rel.to_owned(), entry.clone());
        }
    }

    /// Copies file `from` to `rel`, reading it only to hash it when it is
    /// unchanged.
    pub fn copy(&mut self, rel: &str, from: &Path) -> std::io::Result<()> {
        let mut hasher = Sha256::new();
        let size = std::io::copy(&mut std::fs::File::open(from)?, &mut hasher)?;
        let entry = Entry { sha256: hex(&hasher.finalize()), size };
        if self.up_to_date(rel, &entry) {
            self.done.unchanged += 1;
            self.new.insert(rel.to_owned(), entry);
            return Ok(());
        }
        let bytes = std::fs::read(from)?;
        self.put(rel, &bytes)
    }

    /// Removes what an earlier run wrote and this one did not, and saves
    /// the manifest.
    pub fn finish(mut self) -> std::io::Result<Written> {
        for rel in self.old.keys().filter(|rel| !self.new.contains_key(*rel)) {
            // Only plain relative paths this code wrote: never `..`.
            if rel.split('/').any(|part| part.is_empty() || part == "." || part == "..") {
                continue;
            }
            let path = self.root.join(rel);
            match std::fs::remove_file(&path) {
                Ok(()) => self.done.removed.push(path),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => return Err(err),
            }
        }
        if self.new != self.old || !self.root.join(MANIFEST).is_file() {
            write_record(&self.root.join(MANIFEST), &self.new)?;
        }
        Ok(self.done)
    }
}
