//! Review before print, beside `l10n`: what translation teams rely on
//! besides the texts themselves. The review state of each message (who
//! wrote it, who approved it) lives with its staleness in `l10n`'s
//! translation state; here are the rest:
//!
//! - `history`: a message's versions from its file's git history;
//! - `memory`: the archive's translations, suggested for like English, and
//!   TMX for agencies;
//! - `glossary`: the office's terminology (TBX-Basic) and what it finds in
//!   a translation.
//!
//! `review` reads `l10n`; `l10n` never reads `review`.

pub mod glossary;
pub mod history;
pub mod memory;
mod xml;
