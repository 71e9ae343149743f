//! The office's faces on the web: the OFL fonts the PDF is set in, shipped
//! with the site as WOFF2, so every letter of every office language renders
//! in the office's face on any reader's machine, never in a system fallback.
//!
//! Libertinus Serif (the letterhead's text face: Latin, Cyrillic, every
//! Tajik letter) is subset to the letters of the office's languages (CLDR's
//! exemplar characters), digits and punctuation: subsetter (the crate
//! typst's PDFs are subset with) keeps the outlines and metrics, and a
//! Unicode `cmap` and the original `OS/2` are put back, which browsers
//! need. A right-to-left office's Noto Naskh Arabic (from `fonts/`) ships
//! whole: Arabic letters join through its GSUB, which subsetting would drop.
//!
//! WOFF2 (W3C) is written by the ttf2woff2 crate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use sha2::{Digest, Sha256};

/// One face of the site.
#[derive(Debug, Clone)]
pub struct WebFont {
    /// Its file at the site's root: `font-libertinus-serif-regular.woff2`.
    pub file: String,
    pub family: String,
    pub weight: u16,
    pub italic: bool,
    pub woff2: Vec<u8>,
}

impl WebFont {
    fn new(family: String, weight: u16, italic: bool, woff2: Vec<u8>) -> Self {
        Self { file: file_name(&family, weight, italic), family, weight, italic, woff2 }
    }
}

/// The faces the site needs for `languages`, and `fonts.css` declaring
/// them; `fonts_dir` is the project's `fonts/` folder.
pub fn web_fonts(languages: &[String], fonts_dir: &Path) -> (Vec<WebFont>, String) {
    let key = cache_key(languages, fonts_dir);
    static CACHE: std::sync::Mutex<Option<(String, Vec<WebFont>)>> = std::sync::Mutex::new(None);
    let mut cache = crate::locks::lock(&CACHE);
    let fonts = match cache.as_ref() {
        Some((cached, fonts)) if *cached == key => fonts.clone(),
        _ => {
            let fonts = make(languages, fonts_dir);
            *cache = Some((key, fonts.clone()));
            fonts
        }
    };
    let css = css(&fonts);
    (fonts, css)
}

/// What the fonts are made from: the languages and the fonts folder.
pub fn cache_key(languages: &[String], fonts_dir: &Path) -> String {
    let mut hasher = Sha256::new();
    hasher.update(env!("CARGO_PKG_VERSION"));
    for lang in languages {
        hasher.update(lang.as_bytes());
        hasher.update([0]);
    }
    if let Ok(entries) = std::fs::read_dir(fonts_dir) {
        let mut names: Vec<_> = entries
            .flatten()
            .filter_map(|e| Some((e.file_name(), e.metadata().ok()?.len())))
            .collect();
        names.sort();
        hasher.update(format!("{names:?}").as_bytes());
    }
    crate::freshness::hex(&hasher.finalize())
}

fn make(languages: &[String], fonts_dir: &Path) -> Vec<WebFont> {
    let rtl = languages.iter().any(|l| crate::l10n::cldr::language_parts(l).rtl);
    let chars = characters(languages);
    let mut fonts = Vec::new();
    for data in typst_assets::fonts() {
        let Ok(face) = ttf_parser::Face::parse(data, 0) else { continue };
        let Some((family, weight, italic)) = describe(&face) else { continue };
        // Regular, italic and bold: what the letterhead's text uses. (The
        // bold italic lacks the Tajik letters; a browser slants the bold.)
        let wanted = family == "Libertinus Serif"
            && matches!((weight, italic), (400, false) | (400, true) | (700, false));
        if !wanted {
            continue;
        }
        if let Some(woff2) = subset(data, &face, &chars).as_deref().and_then(woff2) {
            fonts.push(WebFont::new(family, weight, italic, woff2));
        }
    }
    if rtl && let Ok(entries) = std::fs::read_dir(fonts_dir) {
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            if !matches!(ext.as_deref(), Some("ttf" | "otf")) {
                continue;
            }
            let Ok(data) = std::fs::read(&path) else { continue };
            let Ok(face) = ttf_parser::Face::parse(&data, 0) else { continue };
            let Some((family, weight, italic)) = describe(&face) else { continue };
            if !family.contains("Arabic") {
                continue;
            }
            if let Some(woff2) = woff2(&data) {
                fonts.push(WebFont::new(family, weight, italic, woff2));
            }
        }
    }
    fonts
}

/// `font-libertinus-serif-bold.woff2`.
fn file_name(family: &str, weight: u16, italic: bool) -> String {
    let style = match (weight >= 600, italic) {
        (false, false) => "regular",
        (false, true) => "italic",
        (true, false) => "bold",
        (true, true) => "bold-italic",
    };
    let family: String = family
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    format!("font-{family}-{style}.woff2")
}

/// A face's family, weight and whether it is italic.
fn describe(face: &ttf_parser::Face<'_>) -> Option<(String, u16, bool)> {
    let family = face
        .names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::TYPOGRAPHIC_FAMILY)
        .chain(face.names().into_iter().filter(|n| n.name_id == ttf_parser::name_id::FAMILY))
        .find_map(|n| n.to_string())?;
    Some((family, face.weight().to_number(), face.is_italic()))
}

/// What a page may print: the letters of every office language (both
/// cases), ASCII, Latin-1 and the punctuation, dashes, quotes and signs
/// of press releases.
fn characters(languages: &[String]) -> BTreeSet<char> {
    let mut chars: BTreeSet<char> = (' '..='~').chain('\u{a0}'..='\u{ff}').collect();
    chars.extend('\u{2010}'..='\u{2027}');
    chars.extend('\u{2030}'..='\u{203a}');
    chars.extend(['\u{2116}', '\u{20ac}', '\u{2212}', '\u{2192}', '\u{2190}']);
    for lang in languages {
        chars.extend(crate::l10n::cldr::letters(lang));
    }
    chars
}

/// `data` cut down to the glyphs of `chars`, with a Unicode `cmap` and the
/// original `OS/2`, as browsers need them.
fn subset(data: &[u8], face: &ttf_parser::Face<'_>, chars: &BTreeSet<char>) -> Option<Vec<u8>> {
    let mut remapper = subsetter::GlyphRemapper::new();
    let mut map: BTreeMap<u32, u16> = BTreeMap::new();
    for &c in chars {
        if let Some(glyph) = face.glyph_index(c) {
            map.insert(c as u32, remapper.remap(glyph.0));
        }
    }
    let subset = subsetter::subset(data, 0, &remapper).ok()?;
    let mut tables = read_tables(&subset)?;
    tables.insert(*b"cmap", cmap(&map));
    let original = read_tables(data)?;
    tables.insert(*b"OS/2", original.get(b"OS/2")?.clone());
    let flavor = u32::from_be_bytes(subset.get(0..4)?.try_into().ok()?);
    Some(write_sfnt(flavor, &tables))
}

/// The tables of an sfnt font, by tag.
fn read_tables(font: &[u8]) -> Option<BTreeMap<[u8; 4], Vec<u8>>> {
    let count = u16::from_be_bytes(font.get(4..6)?.try_into().ok()?) as usize;
    let mut tables = BTreeMap::new();
    for i in 0..count {
        let record = font.get(12 + i * 16..12 + (i + 1) * 16)?;
        let tag: [u8; 4] = record[0..4].try_into().ok()?;
        let offset = u32::from_be_bytes(record[8..12].try_into().ok()?) as usize;
        let length = u32::from_be_bytes(record[12..16].try_into().ok()?) as usize;
        tables.insert(tag, font.get(offset..offset.checked_add(length)?)?.to_vec());
    }
    Some(tables)
}

/// A `cmap` with one format 4 subtable (Unicode BMP), for platforms 0 and 3.
fn cmap(map: &BTreeMap<u32, u16>) -> Vec<u8> {
    // Runs of consecutive characters, each as its own segment with the
    // glyph ids listed (idRangeOffset into glyphIdArray).
    let mut segments: Vec<(u16, u16)> = Vec::new();
    for (&c, _) in map.iter().filter(|(c, _)| **c < 0xFFFF) {
        let c = c as u16;
        match segments.last_mut() {
            Some((_, end)) if *end + 1 == c => *end = c,
            _ => segments.push((c, c)),
        }
    }
    segments.push((0xFFFF, 0xFFFF));
    let count = segments.len();
    let mut glyph_ids: Vec<u16> = Vec::new();
    let mut range_offsets = Vec::new();
    for (i, &(start, end)) in segments.iter().enumerate() {
        if start == 0xFFFF {
            range_offsets.push(0u16);
            continue;
        }
        // From this idRangeOffset entry to the segment's first glyph id.
        let offset = (count - i + glyph_ids.len()) * 2;
        range_offsets.push(offset as u16);
        glyph_ids.extend((start..=end).map(|c| map[&u32::from(c)]));
    }
    let mut sub = Vec::new();
    let length = 16 + count * 8 + glyph_ids.len() * 2;
    let selector = (count as f64).log2().floor() as u16;
    let search = 2 * (1u16 << selector);
    for value in
        [4u16, length as u16, 0, (count * 2) as u16, search, selector, (count * 2) as u16 - search]
    {
        sub.extend(value.to_be_bytes());
    }
    segments.iter().for_each(|(_, end)| sub.extend(end.to_be_bytes()));
    sub.extend(0u16.to_be_bytes());
    segments.iter().for_each(|(start, _)| sub.extend(start.to_be_bytes()));
    // idDelta: 0 for the listed segments, 1 maps 0xFFFF to .notdef.
    for (start, _) in &segments {
        sub.extend(if *start == 0xFFFF { 1u16 } else { 0 }.to_be_bytes());
    }
    range_offsets.iter().for_each(|o| sub.extend(o.to_be_bytes()));
    glyph_ids.iter().for_each(|g| sub.extend(g.to_be_bytes()));

    let mut table = Vec::new();
    for value in [0u16, 2] {
        table.extend(value.to_be_bytes());
    }
    // (0, 3) Unicode BMP and (3, 1) Windows Unicode BMP, one subtable.
    for (platform, encoding) in [(0u16, 3u16), (3, 1)] {
        table.extend(platform.to_be_bytes());
        table.extend(encoding.to_be_bytes());
        table.extend(20u32.to_be_bytes());
    }
    table.extend(sub);
    table
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// An sfnt font of `tables`, checksummed.
fn write_sfnt(flavor: u32, tables: &BTreeMap<[u8; 4], Vec<u8>>) -> Vec<u8> {
    let count = tables.len();
    let selector = (count as f64).log2().floor() as u16;
    let search = (1u16 << selector) * 16;
    let mut font = Vec::new();
    font.extend(flavor.to_be_bytes());
    for value in [count as u16, search, selector, count as u16 * 16 - search] {
        font.extend(value.to_be_bytes());
    }
    let mut offset = 12 + count * 16;
    let mut head_at = None;
    let mut body = Vec::new();
    for (tag, data) in tables {
        let mut data = data.clone();
        if tag == b"head" && data.len() >= 12 {
            data[8..12].fill(0);
            head_at = Some(offset + 8);
        }
        font.extend(tag);
        font.extend(checksum(&data).to_be_bytes());
        font.extend((offset as u32).to_be_bytes());
        font.extend((data.len() as u32).to_be_bytes());
        body.extend(&data);
        while body.len() % 4 != 0 {
            body.push(0);
        }
        offset = 12 + count * 16 + body.len();
    }
    font.extend(body);
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&font));
        font[at..at + 4].copy_from_slice(&adjustment.to_be_bytes());
    }
    font
}

/// `font` (an sfnt) as WOFF2 (W3C), by the ttf2woff2 crate.
pub fn woff2(font: &[u8]) -> Option<Vec<u8>> {
    ttf2woff2::encode(font, ttf2woff2::BrotliQuality::from(11)).ok()
}

/// `fonts.css`: an `@font-face` per face.
fn css(fonts: &[WebFont]) -> String {
    let mut css = String::from(
        "/* The office's faces, shipped with the site (SIL Open Font License):\n   \
         made by pressroom from the fonts the PDF is set in. */\n",
    );
    for font in fonts {
        css.push_str(&format!(
            "@font-face {{\n  font-family: \"{}\";\n  font-style: {};\n  font-weight: {};\n  \
             font-display: swap;\n  src: url(\"{}\") format(\"woff2\");\n}}\n",
            font.family,
            if font.italic { "italic" } else { "normal" },
            font.weight,
            font.file
        ));
    }
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_letterhead_faces_cover_tajik_as_woff2() {
        let (fonts, css) =
            web_fonts(&["en".into(), "ru".into(), "tg".into()], Path::new("/nonexistent"));
        assert_eq!(fonts.len(), 3, "{:?}", fonts.iter().map(|f| &f.file).collect::<Vec<_>>());
        let regular =
            fonts.iter().find(|f| f.file == "font-libertinus-serif-regular.woff2").unwrap();
        assert!(regular.woff2.starts_with(b"wOF2"));
        assert!(regular.woff2.len() < 120_000, "subset: {} bytes", regular.woff2.len());
        assert!(css.contains("font-family: \"Libertinus Serif\""), "{css}");
        // The subset, rebuilt as an sfnt, maps every Tajik letter.
        let face = ttf_parser::Face::parse(
            typst_assets::fonts()
                .find(|d| {
                    ttf_parser::Face::parse(d, 0).ok().and_then(|f| describe(&f))
                        == Some(("Libertinus Serif".into(), 400, false))
                })
                .unwrap(),
            0,
        )
        .unwrap();
        let chars = characters(&["tg".into()]);
        let font = subset(face.raw_face().data, &face, &chars).unwrap();
        let back = ttf_parser::Face::parse(&font, 0).unwrap();
        for c in "ҒӢҚӮҲҶғӣқӯҳҷ«»—".chars() {
            assert!(back.glyph_index(c).is_some_and(|g| g.0 != 0), "{c}");
        }
    }
}
