//! Pages for the browser preview (`pressroom serve`), from the same laid-out
//! document as the PDF: as SVG (sharp at any zoom) and as an uncompressed
//! bitmap at about screen resolution, which a browser shows in a tenth of
//! the time an SVG page takes to decode (measured: ~10 ms against ~100 ms
//! in chromium), so a changed page is shown at once and sharpened a moment
//! later.

use std::collections::HashMap;
use std::sync::Arc;

use typst::foundations::Value;
use typst::introspection::{MetadataElem, Tag};
use typst::layout::{Frame, FrameItem, Point};
use typst_layout::{Page, PagedDocument};

/// One laid-out page for the preview: a bitmap, an SVG, its text; named by
/// what it shows.
#[derive(Debug)]
pub struct PageImage {
    /// A 128-bit hash of how the page looks ([`Look`]), in hex: the page's
    /// URL, so a browser fetches a page again only when it looks different.
    pub hash: String,
    /// The laid-out page, drawn as SVG when a browser first asks for it:
    /// the preview shows the bitmap first, and often never needs more.
    page: Page,
    svg: std::sync::OnceLock<String>,
    /// Size in points.
    pub width: f64,
    pub height: f64,
    /// The page's text in reading order, a line per line of type: the
    /// image's alternative text (the SVG draws glyphs as outlines).
    pub text: String,
    /// Where each message prints on the page, for a layout that marks it
    /// (see [`MESSAGE_START`]); empty for one that does not.
    pub regions: Vec<Region>,
}

/// Where one message prints on a page: a box per run of its text on a
/// line, in points from the page's top left corner.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Region {
    pub msg: String,
    pub rects: Vec<[f32; 4]>,
}

/// The keys of the metadata a layout places before and after a message's
/// text: `metadata((pressroom-msg: id))`, `metadata((pressroom-end: id))`.
pub const MESSAGE_START: &str = "pressroom-msg";
pub const MESSAGE_END: &str = "pressroom-end";

/// What a page looks like, for hashing: every item where it is drawn, but
/// not where in the sources it came from (Typst's own hash includes each
/// glyph's source span, so a page whose text moved in the source but not on
/// the page would count as changed and be fetched again).
struct Look<'a>(&'a Page);

impl std::hash::Hash for Look<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        fn frame<H: std::hash::Hasher>(drawn: &Frame, state: &mut H) {
            drawn.size().hash(state);
            for (point, item) in drawn.items() {
                point.hash(state);
                match item {
                    FrameItem::Group(group) => {
                        0u8.hash(state);
                        group.transform.hash(state);
                        group.clip.hash(state);
                        frame(&group.frame, state);
                    }
                    FrameItem::Text(text) => {
                        1u8.hash(state);
                        text.font.hash(state);
                        text.size.hash(state);
                        text.fill.hash(state);
                        text.stroke.hash(state);
                        text.text.hash(state);
                        for glyph in &text.glyphs {
                            (glyph.id, glyph.x_advance, glyph.x_offset).hash(state);
                            (glyph.y_advance, glyph.y_offset).hash(state);
                        }
                    }
                    FrameItem::Shape(shape, _) => {
                        2u8.hash(state);
                        shape.hash(state);
                    }
                    FrameItem::Image(image, size, _) => {
                        3u8.hash(state);
                        image.hash(state);
                        size.hash(state);
                    }
                    // A message's marks are not drawn, but say what a click
                    // there opens.
                    FrameItem::Tag(Tag::Start(elem, _)) => {
                        if let Some(mark) = message_mark(elem) {
                            4u8.hash(state);
                            mark.hash(state);
                        }
                    }
                    // Links and other tags are not drawn.
                    FrameItem::Link(..) | FrameItem::Tag(_) => {}
                }
            }
        }
        self.0.fill.hash(state);
        frame(&self.0.frame, state);
    }
}

/// Pixels per point of the bitmap pages: an A4 page 506 pixels wide, what a
/// preview column shows with three languages side by side on a 1600-pixel
/// window. Wider columns and dense screens get the SVG once saves pause.
pub const RASTER_PX_PER_PT: f32 = 0.85;

/// Pages drawn before, by [`Look`].
pub type PageCache = HashMap<u128, Arc<PageImage>>;

/// Every page of `document` for the preview; a page that looks exactly as
/// one in `before` is taken from there. Returns the pages and their cache.
/// Nothing is drawn here: bitmap and SVG are drawn when a browser asks.
pub fn pages(document: &PagedDocument, before: &PageCache) -> (Vec<Arc<PageImage>>, PageCache) {
    // The messages still open where a page ends go on printing on the next.
    let mut open: Vec<String> = Vec::new();
    let pages: Vec<(u128, Arc<PageImage>)> = document
        .pages()
        .iter()
        .map(|page| {
            let key = typst::utils::hash128(&(Look(page), &open));
            let mut regions = Regions { open: std::mem::take(&mut open), ..Regions::default() };
            collect_regions(&page.frame, Point::zero(), &mut regions);
            open = regions.open.clone();
            let image = before
                .get(&key)
                .cloned()
                .unwrap_or_else(|| Arc::new(page_image(key, page, regions.into_list())));
            (key, image)
        })
        .collect();
    let cache = pages.iter().cloned().collect();
    (pages.into_iter().map(|(_, image)| image).collect(), cache)
}

impl PageImage {
    /// The page as a BMP, drawn for each request: a megabyte not kept, as
    /// a tab fetches a page about once (drawing it takes a few ms).
    pub fn bitmap(&self) -> Vec<u8> {
        draw_bitmap(&self.page)
    }

    /// The page as SVG, drawn on first use.
    pub fn svg(&self) -> &str {
        self.svg
            .get_or_init(|| lighten(&typst_svg::svg(&self.page, &typst_svg::SvgOptions::default())))
    }
}

fn page_image(look: u128, page: &Page, regions: Vec<Region>) -> PageImage {
    let size = page.frame.size();
    let mut lines = Lines::default();
    collect_text(&page.frame, Point::zero(), &mut lines);
    PageImage {
        // Named by what it shows: a tab fetches a page again only when it
        // looks different.
        hash: format!("{look:032x}"),
        page: page.clone(),
        svg: std::sync::OnceLock::new(),
        width: size.x.to_pt(),
        height: size.y.to_pt(),
        text: lines.text,
        regions,
    }
}

/// `(start, id)` when `elem` is one of a layout's message marks.
fn message_mark(elem: &typst::foundations::Content) -> Option<(bool, String)> {
    let meta = elem.to_packed::<MetadataElem>()?;
    let Value::Dict(dict) = &meta.value else { return None };
    [(true, MESSAGE_START), (false, MESSAGE_END)].into_iter().find_map(|(start, key)| {
        let Ok(Value::Str(id)) = dict.get(key) else { return None };
        Some((start, id.to_string()))
    })
}

/// The messages open at each point of a page, and the boxes of their text.
#[derive(Default)]
struct Regions {
    open: Vec<String>,
    found: Vec<Region>,
}

impl Regions {
    /// A box of text printed while the innermost open message is open; it
    /// joins the previous box when it continues the same line.
    fn add(&mut self, rect: [f32; 4]) {
        // An empty mark is the layout saying "no message here" (its footer,
        // its DRAFT mark), whatever is still open from the page before.
        let Some(msg) = self.open.last().filter(|msg| !msg.is_empty()) else { return };
        let region = match self.found.iter_mut().rev().find(|r| &r.msg == msg) {
            Some(region) => region,
            None => {
                self.found.push(Region { msg: msg.clone(), rects: Vec::new() });
                self.found.last_mut().expect("just pushed")
            }
        };
        if let Some(last) = region.rects.last_mut() {
            let same_line = (last[1] - rect[1]).abs() < 0.5 && (last[3] - rect[3]).abs() < 0.5;
            let near = rect[0] >= last[0] && rect[0] <= last[0] + last[2] + rect[3];
            if same_line && near {
                last[2] = (rect[0] + rect[2] - last[0]).max(last[2]);
                return;
            }
        }
        region.rects.push(rect);
    }

    fn into_list(self) -> Vec<Region> {
        self.found
    }
}

fn collect_regions(frame: &Frame, origin: Point, regions: &mut Regions) {
    for (pos, item) in frame.items() {
        let at = origin + *pos;
        match item {
            FrameItem::Group(group) => collect_regions(&group.frame, at, regions),
            FrameItem::Tag(Tag::Start(elem, _)) => match message_mark(elem) {
                Some((true, id)) => regions.open.push(id),
                // The end of an empty mark closes only it, not what it
                // interrupted (a message that goes on after the footer).
                Some((false, id)) if id.is_empty() => {
                    if let Some(i) = regions.open.iter().rposition(String::is_empty) {
                        regions.open.remove(i);
                    }
                }
                Some((false, id)) => {
                    if let Some(i) = regions.open.iter().rposition(|open| *open == id) {
                        regions.open.truncate(i);
                    }
                }
                None => {}
            },
            FrameItem::Text(text) => {
                // From above the capitals to below the descenders.
                let size = text.size.to_pt() as f32;
                let (x, y) = (at.x.to_pt() as f32, at.y.to_pt() as f32);
                regions.add([x, y - 0.85 * size, text.width().to_pt() as f32, 1.1 * size]);
            }
            _ => {}
        }
    }
}

fn draw_bitmap(page: &Page) -> Vec<u8> {
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(RASTER_PX_PER_PT.into()),
        ..Default::default()
    };
    bmp(&typst_render::render(page, &options))
}

/// A 24-bit BMP of `pixmap` laid on white, rows top-down (a negative
/// height), each padded to four bytes. Uncompressed on purpose: measured
/// against PNG (fdeflate's fastest), the encoding delayed the page more
/// than the smaller file saved.
fn bmp(pixmap: &tiny_skia::Pixmap) -> Vec<u8> {
    let (width, height) = (pixmap.width() as usize, pixmap.height() as usize);
    let row = (width * 3).div_ceil(4) * 4;
    let size = 54 + row * height;
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(b"BM");
    out.extend_from_slice(&(size as u32).to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&54u32.to_le_bytes());
    out.extend_from_slice(&40u32.to_le_bytes());
    out.extend_from_slice(&(width as i32).to_le_bytes());
    out.extend_from_slice(&(-(height as i32)).to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&24u16.to_le_bytes());
    out.extend_from_slice(&[0; 24]);
    for line in pixmap.data().chunks_exact(width * 4) {
        // Premultiplied RGBA over white: c + (255 - a).
        for px in line.chunks_exact(4) {
            let blank = 255 - px[3];
            out.extend_from_slice(&[px[2] + blank, px[1] + blank, px[0] + blank]);
        }
        out.resize(out.len() + row - width * 3, 0);
    }
    out
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
