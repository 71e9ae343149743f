//! Fonts: the ones embedded in the binary (Libertinus Serif, New Computer
//! Modern, DejaVu Sans Mono: they cover English, Russian and Tajik) plus any
//! in the project's `fonts/` folder. Loaded once per process.

use std::path::Path;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst_kit::fonts::FontStore;

pub struct Fonts {
    store: FontStore,
}

impl Fonts {
    /// The embedded fonts, then those found in `extra` (if it exists).
    /// Unreadable font files are skipped: a font problem shows up as a
    /// missing-glyph or unknown-family warning from the layout instead.
    pub fn load(extra: Option<&Path>) -> Self {
        let mut store = FontStore::new();
        // Parsing a font's tables is most of a fresh process's start-up:
        // parse the embedded files in parallel, keep their order.
        use rayon::prelude::*;
        let files: Vec<&'static [u8]> = typst_assets::fonts().collect();
        let parsed: Vec<Vec<Font>> =
            files.par_iter().map(|data| Font::iter(Bytes::new(*data)).collect()).collect();
        for font in parsed.into_iter().flatten() {
            let info = font.info().clone();
            store.push((font, info));
        }
        if let Some(dir) = extra
            && let Ok(entries) = std::fs::read_dir(dir)
        {
            // Like every other source, a font must not lead out of the
            // project (a symbolic link to somewhere else).
            let root = dir.parent().and_then(|p| std::fs::canonicalize(p).ok());
            let inside = |path: &Path| {
                let real = std::fs::canonicalize(path).ok();
                root.as_ref().is_some_and(|root| real.is_some_and(|r| r.starts_with(root)))
            };
            let mut paths: Vec<_> =
                entries.flatten().map(|e| e.path()).filter(|p| inside(p)).collect();
            // Sorted, so the font book (and the PDF) never depends on
            // directory order.
            paths.sort();
            for path in paths {
                let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
                if !matches!(ext.as_deref(), Some("ttf" | "otf" | "ttc" | "otc")) {
                    continue;
                }
                if let Ok(data) = std::fs::read(&path) {
                    for font in Font::iter(Bytes::new(data)) {
                        let info = font.info().clone();
                        store.push((font, info));
                    }
                }
            }
        }
        Self { store }
    }

    pub fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    pub fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }

    /// Every loaded font, in font-book order.
    pub fn iter(&self) -> impl Iterator<Item = Font> + '_ {
        (0..).map_while(|i| self.store.font(i))
    }
}
