//! What the glyph audit found, in words: a letter no font has (an error in
//! a final build, pointed at where it is in the text) or one set in a
//! fallback face.

use crate::diag::{Diagnostic, Diagnostics};
use crate::l10n::Localizer;
use crate::render::GlyphAudit;

/// Letters printed as a blank box (an error in a final build) or set in a
/// fallback face (a warning), each named with its language and, where it can
/// be found, the message it is in.
pub(super) fn glyph_diagnostics(
    audit: &GlyphAudit,
    target: &Localizer,
    source: &Localizer,
    draft: bool,
) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for &letter in &audit.missing {
        let message = format!(
            "no font has `{letter}` (U+{:04X}): it would print as a blank box",
            letter as u32
        );
        let mut d = if draft {
            Diagnostic::warning("glyph-missing", message)
        } else {
            Diagnostic::error("glyph-missing", message)
        };
        if let Some((file, span, entry)) =
            target.find_char(letter).or_else(|| source.find_char(letter))
        {
            d.message = format!("{} (in `{entry}`)", d.message);
            d = d.at(&file.source, span);
        }
        diags.push(d.hint("use another character, or put a font that has it in fonts/"));
    }
    // One warning per pair of faces, naming every letter concerned.
    let mut by_faces: std::collections::BTreeMap<(&str, &str), String> = Default::default();
    for fallback in &audit.fallbacks {
        let letters = by_faces.entry((&fallback.used, &fallback.wanted)).or_default();
        letters.push_str(&format!(
            "{}`{}`",
            if letters.is_empty() { "" } else { ", " },
            fallback.letter
        ));
    }
    for ((used, wanted), letters) in by_faces {
        diags.push(
            Diagnostic::warning(
                "glyph-fallback",
                format!("{letters} set in {used}: {wanted} lacks them"),
            )
            .hint("avoid that style in this language (bold inside italic, say), or put a font with that face in fonts/"),
        );
    }
    diags
}
