//! Typst: the document model (data) + a layout -> PDF bytes.

mod fonts;
mod glyphs;
mod preview;
mod world;

use std::path::Path;
use std::sync::Arc;

use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub use fonts::Fonts;
pub use glyphs::{Fallback, GlyphAudit, face_name};
pub use preview::{PageImage, Region};
pub use world::{DATA_PATH, LayoutWorld, Sandbox};

use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics, SourceFile};

/// What every compile in a process shares: the standard library and the
/// fonts, each built once.
#[derive(Clone)]
pub struct Engine {
    library: Arc<LazyHash<Library>>,
    fonts: Arc<Fonts>,
    sources: world::SourceCache,
}

/// A finished PDF and the warnings its layout produced.
#[derive(Debug)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// The faces used and any letter printed as a blank box or in a
    /// fallback face.
    pub glyphs: GlyphAudit,
    pub warnings: Diagnostics,
    /// The document model the layout read (JSON), for `build --emit-model`.
    pub model: Vec<u8>,
    /// The pages as SVG, when asked for (the browser preview).
    pub images: Vec<Arc<PageImage>>,
    /// How long the layout took to compile and export.
    pub took: std::time::Duration,
    /// The visible signature line's words, when one is printed: the
    /// signature field's tooltip.
    pub signature_line: Option<String>,
    /// The tooltip of an empty field kept for a later signer.
    pub empty_signature_field: Option<String>,
}

impl Engine {
    pub fn new(project_fonts: Option<&Path>) -> Self {
        Self {
            library: Arc::new(LazyHash::new(Library::builder().build())),
            fonts: Arc::new(Fonts::load(project_fonts)),
            sources: Default::default(),
        }
    }

    pub fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    /// A world for one output, compiling `layout_main` under `root`.
    pub fn world(
        &self,
        root: &Path,
        layout_main: &str,
        sandbox: Arc<Sandbox>,
    ) -> Result<LayoutWorld, Diagnostic> {
        LayoutWorld::new(
            root,
            layout_main,
            sandbox,
            self.library.clone(),
            self.fonts.clone(),
            self.sources.clone(),
        )
        .map_err(|message| Diagnostic::error("layout", message))
    }
}

/// Compiles the world's layout with `data` as the document model and
/// exports an archival, tagged PDF (PDF/A-2a + PDF/UA-1) dated `date`, and
/// with `images` its pages as SVG too.
pub fn render(
    world: &mut LayoutWorld,
    data: Vec<u8>,
    date: Date,
    ident: &str,
    source_date_epoch: Option<i64>,
    images: bool,
) -> Result<Rendered, Diagnostics> {
    let started = std::time::Instant::now();
    world.set_data(data.clone(), date);
    let result = typst::compile::<PagedDocument>(&*world);
    let mut warnings = convert(&*world, &result.warnings);
    let document = match result.output {
        Ok(document) => document,
        Err(errors) => {
            // Keep Typst's memory bounded across many compiles, also failed ones.
            typst::comemo::evict(10);
            let mut diags = convert(&*world, &errors);
            diags.extend(warnings);
            return Err(diags);
        }
    };
    let timestamp = pdf_timestamp(date, source_date_epoch);
    let standards = PdfStandards::new(&[PdfStandard::A_2a, PdfStandard::Ua_1])
        .map_err(|err| Diagnostic::error("pdf", err.message().to_string()))?;
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_owned()),
        timestamp,
        standards,
        tagged: true,
        ..PdfOptions::default()
    };
    // The preview's pages are only named here (drawn when a browser asks).
    let before = std::mem::take(&mut world.page_images);
    let (images, drawn) =
        if images { preview::pages(&document, &before) } else { Default::default() };
    world.page_images = drawn;
    let pdf = typst_pdf::pdf(&document, &options);
    typst::comemo::evict(10);
    match pdf {
        Ok(pdf) => Ok(Rendered {
            pdf,
            pages: document.pages().len(),
            glyphs: glyphs::audit(&document, &world.fonts),
            warnings,
            model: data,
            images,
            took: started.elapsed(),
            signature_line: None,
            empty_signature_field: None,
        }),
        Err(errors) => {
            let mut diags = convert(&*world, &errors);
            diags.extend(std::mem::take(&mut warnings));
            Err(diags)
        }
    }
}

/// When the PDF says it was made: `SOURCE_DATE_EPOCH` when given (as
/// reproducible builds expect), else the release's date at 00:00 UTC. Never
/// the clock, so the same sources give the same bytes.
fn pdf_timestamp(date: Date, source_date_epoch: Option<i64>) -> Option<Timestamp> {
    let datetime = match source_date_epoch {
        Some(epoch) => {
            let (Date { year, month, day }, hour, minute, second) =
                crate::date::Timestamp(epoch).utc();
            Datetime::from_ymd_hms(year, month, day, hour, minute, second)
        }
        None => Datetime::from_ymd_hms(date.year, date.month, date.day, 0, 0, 0),
    };
    datetime.map(Timestamp::new_utc)
}
/// Typst's diagnostics as ours, pointing into the `.typ` file.
fn convert(world: &dyn World, diags: &[SourceDiagnostic]) -> Diagnostics {
    let mut out = Diagnostics::default();
    for diag in diags {
        let mut d = match diag.severity {
            TypstSeverity::Error => Diagnostic::error("layout", diag.message.to_string()),
            TypstSeverity::Warning => Diagnostic::warning("layout", diag.message.to_string()),
        };
        if let Some(id) = diag.span.id() {
            let path = id.vpath().get_without_slash().to_owned();
            match (world.source(id), world.range(diag.span)) {
                (Ok(source), Some(range)) => {
                    let file = SourceFile::new(path, source.text().to_owned());
                    d = d.at(&file, range);
                }
                _ => d = d.in_file(path),
            }
        }
        for hint in &diag.hints {
            // typst-cli's `--root` is not pressroom's: its advice would mislead.
            if !hint.v.contains("`--root`") {
                d = d.hint(hint.v.to_string());
            }
        }
        for point in &diag.trace {
            d = d.hint(format!("{}", point.v));
        }
        out.push(d);
    }
    out
}
