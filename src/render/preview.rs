//! Pages as SVG for the browser preview (`pressroom serve`), from the same
//! laid-out document as the PDF.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use typst::layout::{Frame, FrameItem, Point};
use typst_layout::{Page, PagedDocument};

/// One laid-out page as an SVG image, named by its content.
#[derive(Debug, Clone)]
pub struct PageImage {
    /// The first 128 bits of the SVG's SHA-256, in hex: the page's URL, so a
    /// browser fetches a page again only when it changed.
    pub hash: String,
    pub svg: String,
    /// Size in points.
    pub width: f64,
    pub height: f64,
    /// The page's text in reading order, a line per line of type: the
    /// image's alternative text (the SVG draws glyphs as outlines).
    pub text: String,
}

/// Pages drawn before, by [`typst::utils::hash128`] of the laid-out page.
pub type PageCache = HashMap<u128, Arc<PageImage>>;

/// Every page of `document` as SVG, in parallel; a page laid out exactly as
/// one in `before` is taken from there. Returns the pages and their cache.
pub fn pages(document: &PagedDocument, before: &PageCache) -> (Vec<Arc<PageImage>>, PageCache) {
    let pages: Vec<(u128, Arc<PageImage>)> = document
        .pages()
        .par_iter()
        .map(|page| {
            let key = typst::utils::hash128(page);
            let image = before.get(&key).cloned().unwrap_or_else(|| Arc::new(page_image(page)));
            (key, image)
        })
        .collect();
    let cache = pages.iter().cloned().collect();
    (pages.into_iter().map(|(_, image)| image).collect(), cache)
}

fn page_image(page: &Page) -> PageImage {
    let svg = lighten(&typst_svg::svg(page, &typst_svg::SvgOptions::default()));
    let digest = Sha256::digest(svg.as_bytes());
    let hash = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    let size = page.frame.size();
    let mut lines = Lines::default();
    collect_text(&page.frame, Point::zero(), &mut lines);
    PageImage { hash, svg, width: size.x.to_pt(), height: size.y.to_pt(), text: lines.text }
}

/// The same drawing in about two thirds of the bytes, which a browser
/// parses faster: glyph ids (`g` + 32 hex digits, used once per letter
/// printed) become short counters, and attributes that only restate the
/// SVG default (`fill-rule="nonzero"`, `y="0"`, which typst-svg writes on
/// every glyph) go.
fn lighten(svg: &str) -> String {
    let svg = svg.replace(" fill-rule=\"nonzero\"", "").replace(" y=\"0\"", "");
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg.as_str();
    while let Some(at) = rest.find(['#', '"']) {
        let (before, from) = rest.split_at(at + 1);
        out.push_str(before);
        let id = from.get(..33).filter(|id| {
            id.starts_with('g')
                && id[1..].bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
        });
        match id {
            Some(id) => {
                let next = ids.len();
                let n = *ids.entry(id).or_insert(next);
                out.push_str(&format!("g{n:x}"));
                rest = &from[33..];
            }
            None => rest = from,
        }
    }
    out.push_str(rest);
    out
}

/// Text items joined into lines: a new line wherever the baseline moves.
#[derive(Default)]
struct Lines {
    text: String,
    baseline: Option<f64>,
    /// Where the previous item ended on its line.
    end: f64,
}

fn collect_text(frame: &Frame, origin: Point, lines: &mut Lines) {
    for (pos, item) in frame.items() {
        let at = origin + *pos;
        match item {
            // Transforms (rotated watermarks) only move text around; the
            // reading order stays the frame's.
            FrameItem::Group(group) => collect_text(&group.frame, at, lines),
            FrameItem::Text(item) => {
                let (x, y) = (at.x.to_pt(), at.y.to_pt());
                match lines.baseline {
                    // Runs of one line meet where the style changes, often
                    // inside a word: a space only where the type leaves a gap.
                    Some(b) if (b - y).abs() < 0.5 => {
                        let gap = x - lines.end > item.size.to_pt() * 0.2;
                        if gap && !lines.text.ends_with(' ') && !item.text.starts_with(' ') {
                            lines.text.push(' ');
                        }
                    }
                    Some(_) => lines.text.push('\n'),
                    None => {}
                }
                lines.baseline = Some(y);
                lines.end = x + item.width().to_pt();
                lines.text.push_str(item.text.as_str());
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::lighten;

    #[test]
    fn lightened_svg_keeps_every_reference() {
        let id = "gDEE9E6976BE95EA87762945525CB6840";
        let other = "g8D1221689F6C2C1E025C769448D01AA1";
        let svg = format!(
            "<svg><use xlink:href=\"#{id}\" x=\"70.4\" y=\"0\" fill=\"#1a1a1a\" fill-rule=\"nonzero\"/>\
             <use xlink:href=\"#{other}\" x=\"0\" y=\"0\" fill-rule=\"evenodd\"/>\
             <defs><symbol id=\"{id}\"/><symbol id=\"{other}\"/></defs></svg>"
        );
        assert_eq!(
            lighten(&svg),
            "<svg><use xlink:href=\"#g0\" x=\"70.4\" fill=\"#1a1a1a\"/>\
             <use xlink:href=\"#g1\" x=\"0\" fill-rule=\"evenodd\"/>\
             <defs><symbol id=\"g0\"/><symbol id=\"g1\"/></defs></svg>"
        );
    }
}
