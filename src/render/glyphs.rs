//! What the laid-out document really printed with: which font faces, which
//! letters no font had (a blank box), and which letters fell back to another
//! family because the face asked for lacks them (Libertinus Serif Bold Italic
//! has no Tajik letters, so bold italic Tajik silently changes typeface).

use std::collections::{BTreeMap, BTreeSet};

use typst::layout::{Frame, FrameItem};
use typst::text::{FontBook, FontInfo, FontStyle, TextItem};
use typst_layout::PagedDocument;

use super::Fonts;

/// A letter set in another family than the document's own, because the face
/// the document uses for that style has no glyph for it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fallback {
    pub letter: char,
    /// The face that lacks it, e.g. `Libertinus Serif Bold Italic`.
    pub wanted: String,
    /// The face it was set in instead.
    pub used: String,
}

#[derive(Debug, Clone, Default)]
pub struct GlyphAudit {
    /// Every face that set text, e.g. `Libertinus Serif Bold`.
    pub faces: BTreeSet<String>,
    /// Letters no available font has: they print as a blank box.
    pub missing: BTreeSet<char>,
    pub fallbacks: BTreeSet<Fallback>,
}

/// `Libertinus Serif Bold Italic`, from a font's family and variant.
pub fn face_name(info: &FontInfo) -> String {
    let weight = info.variant.weight.to_number();
    let mut name = info.family.clone();
    if weight >= 650 {
        name.push_str(" Bold");
    } else if weight >= 550 {
        name.push_str(" Semibold");
    } else if weight >= 500 {
        name.push_str(" Medium");
    }
    if info.variant.style != FontStyle::Normal {
        name.push_str(" Italic");
    }
    name
}

pub fn audit(document: &PagedDocument, fonts: &Fonts) -> GlyphAudit {
    let mut items = Vec::new();
    for page in document.pages() {
        collect(&page.frame, &mut items);
    }
    // The document's own family: the one that set the most glyphs.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for item in &items {
        *counts.entry(item.font.font().info().family.as_str()).or_default() += item.glyphs.len();
    }
    let main_family = counts.iter().max_by_key(|(_, n)| **n).map(|(f, _)| f.to_string());

    // Faces of one family and style that differ only a little in weight:
    // when both set text, one usually stands in for the other's missing
    // letters (Semibold Italic for Bold Italic's Tajik letters).
    let used_infos: Vec<&FontInfo> = {
        let mut seen = BTreeMap::new();
        for item in &items {
            let info = item.font.font().info();
            seen.entry(face_name(info)).or_insert(info);
        }
        seen.into_values().collect()
    };
    let siblings = |info: &FontInfo| -> Vec<&FontInfo> {
        used_infos
            .iter()
            .copied()
            .filter(|other| {
                other.family == info.family
                    && other.variant.style == info.variant.style
                    && other.variant.weight != info.variant.weight
                    && other.variant.weight.distance(info.variant.weight) <= 100
            })
            .collect()
    };

    let mut audit = GlyphAudit::default();
    let book: &FontBook = fonts.book();
    for item in &items {
        let info = item.font.font().info();
        audit.faces.insert(face_name(info));
        let near = siblings(info);
        for glyph in &item.glyphs {
            let Some(letter) = item.text.get(glyph.range()).and_then(|s| s.chars().next()) else {
                continue;
            };
            if letter.is_whitespace() || letter.is_control() {
                continue;
            }
            if glyph.id == 0 {
                audit.missing.insert(letter);
                continue;
            }
            if !letter.is_alphabetic() {
                continue;
            }
            let mut lacking: Vec<&FontInfo> =
                near.iter().copied().filter(|w| !w.coverage.contains(letter as u32)).collect();
            // Another family entirely: did the document's own family lack
            // the letter in this style?
            if let Some(main) = &main_family
                && info.family != *main
                && let Some(wanted) =
                    book.select(&main.to_lowercase(), info.variant).and_then(|i| book.info(i))
                && !wanted.coverage.contains(letter as u32)
                // A family for another script entirely (Latin words in
                // a Dari text) is the layout's choice, not a stand-in.
                && wanted.coverage.contains(script_sample(letter) as u32)
            {
                lacking.push(wanted);
            }
            for wanted in lacking {
                audit.fallbacks.insert(Fallback {
                    letter,
                    wanted: face_name(wanted),
                    used: face_name(info),
                });
            }
        }
    }
    audit
}

/// A common letter of `letter`'s script: a family without it is not made
/// for that script. Scripts not listed count as the family's own.
fn script_sample(letter: char) -> char {
    match letter as u32 {
        0x0041..=0x024F | 0x1E00..=0x1EFF => 'a',
        0x0370..=0x03FF => 'α',
        0x0400..=0x052F => 'а',
        0x0590..=0x05FF => 'א',
        0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => 'ا',
        _ => letter,
    }
}

fn collect<'a>(frame: &'a Frame, out: &mut Vec<&'a TextItem>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => collect(&group.frame, out),
            FrameItem::Text(text) => out.push(text),
            _ => {}
        }
    }
}
