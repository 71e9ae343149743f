//! Shared helpers: a throwaway copy of the shipped project, running the
//! binary, and reading PDFs back with lopdf.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use lopdf::{Document, Object};
use tempfile::TempDir;

/// The repository root, which ships the reference project.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub const REFERENCE: &str = "2015-03-11-eu-central-asia-security-dialogue";

/// A copy of the shipped project (config, releases, locales, layouts) in a
/// temp dir, so tests can break it freely.
pub struct Project {
    pub dir: TempDir,
}

impl Project {
    pub fn reference() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        for item in ["pressroom.toml", "releases", "locales", "layouts"] {
            copy(&repo().join(item), &dir.path().join(item));
        }
        Self { dir }
    }

    /// The shipped project with the files of `tests/editions/<overlay>/`
    /// laid over it.
    pub fn with_overlay(overlay: &str) -> Self {
        let project = Self::reference();
        copy(&repo().join("tests/editions").join(overlay), project.path());
        project
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.file(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.file(rel)).unwrap()
    }

    /// Runs `pressroom --root <dir> --color never <args>`.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_pressroom"))
            .arg("--root")
            .arg(self.path())
            .args(["--color", "never"])
            .args(args)
            .output()
            .expect("run pressroom");
        Run(output)
    }

    /// A final PDF: `out/<id>.<lang>.pdf`.
    pub fn pdf(&self, id: &str, lang: &str) -> Pdf {
        Pdf::load(&self.file(&format!("out/{id}.{lang}.pdf")))
    }

    /// A draft (build --draft, watch, serve): `out/drafts/<id>.<lang>.draft.pdf`.
    pub fn draft(&self, id: &str, lang: &str) -> Pdf {
        Pdf::load(&self.file(&draft_path(id, lang)))
    }
}

/// Where a draft of `id` in `lang` lands, relative to the root.
pub fn draft_path(id: &str, lang: &str) -> String {
    format!("out/drafts/{id}.{lang}.draft.pdf")
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

pub struct Run(pub Output);

impl Run {
    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    #[track_caller]
    pub fn success(&self) -> &Self {
        assert_eq!(self.code(), 0, "stdout:\n{}\nstderr:\n{}", self.stdout(), self.stderr());
        self
    }
    #[track_caller]
    pub fn failure(&self) -> &Self {
        assert_eq!(self.code(), 1, "stdout:\n{}\nstderr:\n{}", self.stdout(), self.stderr());
        assert!(!self.stderr().contains("error[internal]"), "{}", self.stderr());
        self
    }
}

/// A PDF read back.
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub doc: Document,
}

impl Pdf {
    pub fn load(path: &Path) -> Self {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let doc = Document::load_mem(&bytes).expect("a readable PDF");
        Self { bytes, doc }
    }

    pub fn pages(&self) -> usize {
        self.doc.get_pages().len()
    }

    /// The text of all pages, with line breaks and runs of spaces collapsed
    /// to single spaces so phrases can be searched across line breaks.
    pub fn text(&self) -> String {
        let pages: Vec<u32> = self.doc.get_pages().keys().copied().collect();
        let raw = self.doc.extract_text(&pages).expect("extractable text");
        raw.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// (font name, embedded?) for every font on every page.
    pub fn fonts(&self) -> Vec<(String, bool)> {
        let mut fonts = Vec::new();
        for page in self.doc.get_pages().values() {
            for font in self.doc.get_page_fonts(*page).unwrap().values() {
                let name = font
                    .get(b"BaseFont")
                    .and_then(Object::as_name)
                    .map(|n| String::from_utf8_lossy(n).into_owned())
                    .unwrap_or_default();
                fonts.push((name, self.embedded(font)));
            }
        }
        fonts.sort();
        fonts.dedup();
        fonts
    }

    fn embedded(&self, font: &lopdf::Dictionary) -> bool {
        let deref = |o: &Object| self.doc.dereference(o).map(|(_, o)| o.clone()).ok();
        // Composite (Type0) fonts keep the descriptor on their descendant.
        let descriptor_holder = match font.get(b"DescendantFonts").ok().and_then(deref) {
            Some(Object::Array(items)) => items.first().and_then(deref),
            _ => Some(Object::Dictionary(font.clone())),
        };
        let Some(Object::Dictionary(holder)) = descriptor_holder else {
            return false;
        };
        let Some(Object::Dictionary(descriptor)) =
            holder.get(b"FontDescriptor").ok().and_then(deref)
        else {
            return false;
        };
        [&b"FontFile"[..], b"FontFile2", b"FontFile3"].iter().any(|k| descriptor.has(k))
    }

    /// The document language in the catalog.
    pub fn catalog_lang(&self) -> Option<String> {
        let catalog = self.doc.catalog().ok()?;
        let (_, lang) = self.doc.dereference(catalog.get(b"Lang").ok()?).ok()?;
        lopdf::decode_text_string(lang).ok()
    }

    /// A value from the document information dictionary, decoded.
    pub fn info(&self, key: &str) -> Option<String> {
        let info = self.doc.trailer.get(b"Info").ok()?;
        let (_, info) = self.doc.dereference(info).ok()?;
        let value = info.as_dict().ok()?.get(key.as_bytes()).ok()?;
        let (_, value) = self.doc.dereference(value).ok()?;
        lopdf::decode_text_string(value).ok()
    }
}

/// A long-running pressroom (watch, serve), its output read line by line.
pub struct Running {
    child: Child,
    lines: Receiver<String>,
}

impl Running {
    /// Starts `pressroom --root <dir> --color never <args>`.
    pub fn start(project: &Project, args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pressroom"))
            .args(["--root", project.path().to_str().unwrap(), "--color", "never"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        Self { child, lines }
    }

    /// Waits for a line matching `pred`, returning every line seen.
    #[track_caller]
    pub fn expect(&self, pred: impl Fn(&str) -> bool) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let done = pred(&line);
                    seen.push(line);
                    if done {
                        return seen;
                    }
                }
                Err(_) => break,
            }
        }
        panic!("expected line never came; saw:\n{}", seen.join("\n"));
    }

    /// Waits for `watching N output(s)`, and then, if drafts are being
    /// caught up in the background, until they are; every line seen.
    #[track_caller]
    pub fn watching(&self, outputs: usize) -> Vec<String> {
        let want = format!("watching {outputs} output(s)");
        let mut seen = self.expect(|l| l.starts_with(&want));
        if seen.last().is_some_and(|l| l.contains("catching up in the background")) {
            seen.extend(self.expect(|l| l.starts_with("caught up: ")));
        }
        seen
    }

    /// Every line printed within `quiet` of now.
    pub fn drain(&self, quiet: Duration) -> Vec<String> {
        let mut seen = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(quiet) {
            seen.push(line);
        }
        seen
    }

    pub fn stop(mut self) -> i32 {
        Command::new("kill").args(["-INT", &self.child.id().to_string()]).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "pressroom did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Saves like vim or VS Code do: write a temporary file, rename it over.
pub fn save_by_rename(project: &Project, rel: &str, text: &str) {
    let path = project.file(rel);
    let tmp = path.with_file_name(format!(".{}.swp", path.file_name().unwrap().to_str().unwrap()));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
}

impl Drop for Running {
    /// A failed test must not leave a server or watcher behind.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
