//! `pressroom fonts`: the fonts available, which the outputs use, and which
//! of the office's languages each covers (every letter of CLDR's alphabet).

use std::collections::BTreeMap;

use crate::diag::Diagnostics;
use crate::l10n::cldr;
use crate::pipeline::{Mode, Settings, render_each};
use crate::project::Project;
use crate::render::{Fonts, face_name};

/// One font face and what it covers.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FontRow {
    pub face: String,
    /// Per office language, the letters of its alphabet this face lacks.
    pub missing: BTreeMap<String, Vec<char>>,
    /// The outputs (`<release>.<lang>`) that set text in this face.
    pub used_by: Vec<String>,
}

/// Every available face (embedded and `fonts/`) with its coverage, and the
/// outputs using it, found by rendering each output as a draft in memory.
pub fn report(project: &Project) -> Result<(Vec<FontRow>, Diagnostics), Diagnostics> {
    let languages = project.languages();
    let alphabets: Vec<(String, Vec<char>)> =
        languages.iter().map(|l| (l.clone(), cldr::letters(l))).collect();

    let (used, diagnostics) = faces_in_use(project, &[], &[])?;

    let fonts = Fonts::load(Some(&project.fonts_dir()));
    let mut rows: BTreeMap<String, FontRow> = BTreeMap::new();
    for font in fonts.iter() {
        let info = font.info();
        let face = face_name(info);
        let missing = alphabets
            .iter()
            .map(|(lang, letters)| (lang.clone(), lacking(info, letters)))
            .collect();
        let used_by = used.get(&face).cloned().unwrap_or_default();
        rows.entry(face.clone()).or_insert(FontRow { face, missing, used_by });
    }
    // In-use faces first, then by name.
    let mut rows: Vec<FontRow> = rows.into_values().collect();
    rows.sort_by_key(|r| (r.used_by.is_empty(), r.face.clone()));
    Ok((rows, diagnostics))
}

/// The faces the outputs of `releases` in `languages` (all when empty) set
/// text in, each with those outputs (`<release>.<lang>`), found by
/// rendering each as a draft in memory.
pub fn faces_in_use(
    project: &Project,
    releases: &[String],
    languages: &[String],
) -> Result<(BTreeMap<String, Vec<String>>, Diagnostics), Diagnostics> {
    let mut used: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let settings = Settings { mode: Mode::Draft, ..Settings::default() };
    let diagnostics =
        render_each(project, releases, languages, &settings, |release, lang, rendered| {
            for face in rendered.glyphs.faces {
                used.entry(face).or_default().push(format!("{}.{lang}", release.id));
            }
            Ok(())
        })?;
    Ok((used, diagnostics))
}

/// The letters of `letters` a face has no glyph for.
pub fn lacking(face: &typst::text::FontInfo, letters: &[char]) -> Vec<char> {
    letters.iter().copied().filter(|c| !face.coverage.contains(*c as u32)).collect()
}
