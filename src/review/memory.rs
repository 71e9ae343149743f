//! The translation memory: the archive's translations, paragraph by
//! paragraph, and for a new English paragraph those whose English is
//! similar — normalised Damerau–Levenshtein, as Weblate and Pontoon score,
//! from 0.75 up, an exact match 1.0.
//!
//! A unit is a paragraph of a release's message (its English and the
//! translation's paragraph at the same place, when both have as many), or
//! the whole message when it is one paragraph. Only current translations
//! count (never a stale one), and under `[review] required` only approved
//! ones. Candidates are found by shared character trigrams first, so a
//! lookup scores a few dozen units, not the whole archive.

use std::collections::{BTreeSet, HashMap};

use super::xml::{attribute, entity, primary};
use crate::l10n::catalog::{Catalog, FtlKey};
use crate::names::ReleaseId;
use crate::project::Project;

/// An agency's memory imported for a language, beside its glossary:
/// `locales/<lang>/memory.tmx`.
pub const IMPORTED: &str = "memory.tmx";
/// What suggestions from an imported memory name as their release.
pub const IMPORTED_RELEASE: &str = "memory.tmx";

/// Suggestions below this similarity are not shown.
pub const THRESHOLD: f64 = 0.75;
/// At most this many suggestions per paragraph.
pub const MOST: usize = 5;
/// Candidates scored per paragraph, those sharing the most trigrams: the
/// edit distance of long paragraphs is the costly part, and the best
/// matches share the most trigrams (measured: scripts/bench-memory.py).
const CANDIDATES: usize = 12;

/// One paragraph of the archive and its translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The English paragraph, as Fluent writes it (placeables included).
    pub source: String,
    pub target: String,
    pub release: String,
    pub message: String,
}

/// A paragraph and its translation, once however many releases repeat
/// them (an office repeats its boilerplate), with where they come from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stored {
    source: String,
    target: String,
    /// (release, message), the first few.
    origins: Vec<(String, String)>,
}

/// Origins kept per stored unit: enough that excluding the release being
/// translated still leaves one.
const ORIGINS: usize = 3;

/// Where the top-level placeables of a Fluent pattern lie (`{ -eu }`,
/// `{ $date }`, a `{ "}" }` string literal inside one included).
fn placeables(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    let (mut depth, mut start, mut in_string, mut escaped) = (0usize, 0, false, false);
    for (at, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' if depth > 0 => in_string = true,
            '{' => {
                if depth == 0 {
                    start = at;
                }
                depth += 1;
            }
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    found.push(start..at + 1);
                }
            }
            _ => {}
        }
    }
    found
}

/// An archived translation fitted to the paragraph it is suggested for:
/// where the archive's English had a placeable this paragraph has another
/// in its place (`{ $date }` where now `{ $day }`), the translation gets
/// this paragraph's, as Weblate and Pontoon map placeholders. Placeables
/// both share stay; the rest are left for `check` to report.
pub fn fit_placeables(archived_english: &str, english: &str, translation: &str) -> String {
    let text = |text: &str, ranges: Vec<std::ops::Range<usize>>| -> Vec<String> {
        ranges.into_iter().map(|r| text[r].to_owned()).collect()
    };
    let theirs = text(archived_english, placeables(archived_english));
    let ours = text(english, placeables(english));
    let swaps: Vec<(&String, &String)> =
        theirs.iter().zip(&ours).filter(|(old, new)| old != new && !ours.contains(old)).collect();
    if swaps.is_empty() {
        return translation.to_owned();
    }
    let mut fitted = String::with_capacity(translation.len());
    let mut at = 0;
    for range in placeables(translation) {
        fitted.push_str(&translation[at..range.start]);
        let placeable = &translation[range.clone()];
        match swaps.iter().find(|(old, _)| *old == placeable) {
            Some((_, new)) => fitted.push_str(new),
            None => fitted.push_str(placeable),
        }
        at = range.end;
    }
    fitted.push_str(&translation[at..]);
    fitted
}

/// A unit found for a paragraph, with its similarity.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub unit: Unit,
    /// From [`THRESHOLD`] to 1.0.
    pub score: f64,
}

/// One language's memory.
#[derive(Debug, Default)]
pub struct Memory {
    units: Vec<Stored>,
    /// (English, translation) -> its place in `units`.
    seen: HashMap<(String, String), u32>,
    /// Trigram -> the units whose English holds it.
    index: HashMap<[char; 3], Vec<u32>>,
}

/// A message's value, paragraph by paragraph: lines trimmed and joined,
/// blank lines separating paragraphs.
pub fn paragraphs(entry: &str) -> Vec<String> {
    let value = entry.split_once('=').map_or(entry, |(_, value)| value);
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in value.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else if !line.starts_with('.') {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

fn trigrams(text: &str) -> BTreeSet<[char; 3]> {
    let chars: Vec<char> = text.to_lowercase().chars().collect();
    chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect()
}

impl Memory {
    /// The memory of `lang` from every release of `project`, and the
    /// memory imported for it (TMX), if any.
    pub fn build(project: &Project, lang: &str) -> Self {
        let ids = project.release_ids().unwrap_or_default();
        let (catalog, _) = Catalog::load(project, &ids);
        let mut memory = Self::from_catalog(&catalog, lang, &ids);
        let imported = project.locale_dir(lang).join(IMPORTED);
        if let Ok(text) = std::fs::read_to_string(imported) {
            for unit in parse_tmx(&text, lang).unwrap_or_default() {
                memory.add(unit);
            }
        }
        memory
    }

    /// Every unit, for a TMX export: its English, its translation and
    /// where it was first seen.
    pub fn units(&self) -> impl Iterator<Item = Unit> + '_ {
        self.units.iter().map(|stored| {
            let (release, message) = stored.origins.first().cloned().unwrap_or_default();
            Unit { source: stored.source.clone(), target: stored.target.clone(), release, message }
        })
    }

    pub fn from_catalog(catalog: &Catalog, lang: &str, ids: &[ReleaseId]) -> Self {
        let mut memory = Self::default();
        if lang == catalog.source_lang {
            return memory;
        }
        for id in ids {
            let key = FtlKey::Release(id.clone());
            let (Some(source), Some(target)) =
                (catalog.file(&catalog.source_lang, &key), catalog.file(lang, &key))
            else {
                continue;
            };
            let stale = catalog.stale(lang, &key);
            let unapproved = catalog.unapproved(lang, &key);
            for message in source.entries.keys() {
                if stale.contains(message)
                    || (catalog.review.required && unapproved.contains(message))
                {
                    continue;
                }
                let (Some(english), Some(translated)) =
                    (source.entry_text(message), target.entry_text(message))
                else {
                    continue;
                };
                let (english, translated) = (paragraphs(english), paragraphs(translated));
                if english.len() != translated.len() {
                    continue;
                }
                for (source, target) in english.into_iter().zip(translated) {
                    memory.add(Unit {
                        source,
                        target,
                        release: id.to_string(),
                        message: message.clone(),
                    });
                }
            }
        }
        memory
    }

    fn add(&mut self, unit: Unit) {
        let key = (unit.source, unit.target);
        if let Some(at) = self.seen.get(&key) {
            let origins = &mut self.units[*at as usize].origins;
            if origins.len() < ORIGINS {
                origins.push((unit.release, unit.message));
            }
            return;
        }
        let at = self.units.len() as u32;
        for trigram in trigrams(&key.0) {
            self.index.entry(trigram).or_default().push(at);
        }
        self.units.push(Stored {
            source: key.0.clone(),
            target: key.1.clone(),
            origins: vec![(unit.release, unit.message)],
        });
        self.seen.insert(key, at);
    }

    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Up to [`MOST`] units whose English is like `paragraph`, best first,
    /// none from release `except` (the release being translated).
    pub fn suggest(&self, paragraph: &str, except: &str) -> Vec<Match> {
        let wanted = trigrams(paragraph);
        let mut shared = vec![0u32; self.units.len()];
        for trigram in &wanted {
            for at in self.index.get(trigram).into_iter().flatten() {
                shared[*at as usize] += 1;
            }
        }
        let mut candidates: Vec<(u32, u32)> = shared
            .into_iter()
            .enumerate()
            .filter(|(_, count)| *count > 0)
            .map(|(at, count)| (at as u32, count))
            .collect();
        candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let length = paragraph.chars().count() as f64;
        let mut found: Vec<Match> = candidates
            .into_iter()
            .take(CANDIDATES)
            .map(|(at, _)| &self.units[at as usize])
            .filter_map(|stored| {
                // From another release than the one being translated.
                let (release, message) = stored.origins.iter().find(|(r, _)| r != except)?;
                Some((stored, release, message))
            })
            .filter(|(stored, _, _)| {
                // An edit distance is at least the difference in length.
                let other = stored.source.chars().count() as f64;
                length.min(other) / length.max(other).max(1.0) >= THRESHOLD
            })
            .map(|(stored, release, message)| Match {
                unit: Unit {
                    source: stored.source.clone(),
                    target: stored.target.clone(),
                    release: release.clone(),
                    message: message.clone(),
                },
                score: strsim::normalized_damerau_levenshtein(paragraph, &stored.source),
            })
            .filter(|m| m.score >= THRESHOLD)
            .collect();
        found.sort_by(|a, b| b.score.total_cmp(&a.score));
        // The same translation once, from its best match.
        let mut seen = BTreeSet::new();
        found.retain(|m| seen.insert(m.unit.target.clone()));
        found.truncate(MOST);
        found
    }
}

/// Units as TMX 1.4b (what CAT tools and translate-toolkit read): English
/// and `lang`, each unit noting the release and message it comes from.
pub fn to_tmx<'a>(units: impl Iterator<Item = &'a Unit>, lang: &str) -> String {
    use quick_xml::escape::escape;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n  <header creationtool=\"pressroom\" creationtoolversion=\"{}\" segtype=\"paragraph\" o-tmf=\"pressroom\" adminlang=\"en\" srclang=\"en\" datatype=\"plaintext\"/>\n  <body>\n",
        env!("CARGO_PKG_VERSION")
    );
    for unit in units {
        out.push_str(&format!(
            "    <tu>\n      <prop type=\"x-release\">{}</prop>\n      <prop type=\"x-message\">{}</prop>\n      <tuv xml:lang=\"en\"><seg>{}</seg></tuv>\n      <tuv xml:lang=\"{}\"><seg>{}</seg></tuv>\n    </tu>\n",
            escape(&unit.release),
            escape(&unit.message),
            escape(&unit.source),
            escape(lang),
            escape(&unit.target)
        ));
    }
    out.push_str("  </body>\n</tmx>\n");
    out
}

/// The English–`lang` units of a TMX document (any TMX 1.4: language
/// tags compared by their primary subtag).
pub fn parse_tmx(text: &str, lang: &str) -> Result<Vec<Unit>, String> {
    use quick_xml::events::Event;
    let want = primary(lang);
    let mut reader = quick_xml::Reader::from_str(text);
    let mut units = Vec::new();
    let (mut source, mut target) = (None::<String>, None::<String>);
    let (mut release, mut message) = (String::new(), String::new());
    let mut tuv_lang = String::new();
    let mut prop = String::new();
    let mut text_of: Option<String> = None;
    loop {
        match reader.read_event().map_err(|err| format!("not TMX (XML): {err}"))? {
            Event::Start(e) => match e.local_name().as_ref() {
                b"tu" => {
                    (source, target) = (None, None);
                    (release, message) = (IMPORTED_RELEASE.to_owned(), String::new());
                }
                b"tuv" => {
                    tuv_lang = attribute(&e, b"lang");
                }
                b"prop" => {
                    prop = attribute(&e, b"type");
                    text_of = Some(String::new());
                }
                b"seg" => text_of = Some(String::new()),
                _ => {}
            },
            Event::GeneralRef(r) => {
                if let Some(text) = text_of.as_mut() {
                    text.push_str(&entity(&r)?);
                }
            }
            Event::Text(t) => {
                if let Some(text) = text_of.as_mut() {
                    let raw = t.decode().map_err(|err| err.to_string())?;
                    text.push_str(
                        &quick_xml::escape::unescape(&raw).map_err(|err| err.to_string())?,
                    );
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"prop" => {
                    let value = text_of.take().unwrap_or_default();
                    match prop.as_str() {
                        "x-release" => release = value,
                        "x-message" => message = value,
                        _ => {}
                    }
                }
                b"seg" => {
                    let seg = text_of.take().unwrap_or_default();
                    if primary(&tuv_lang) == "en" {
                        source = Some(seg);
                    } else if primary(&tuv_lang) == want {
                        target = Some(seg);
                    }
                }
                b"tu" => {
                    if let (Some(source), Some(target)) = (source.take(), target.take())
                        && !source.trim().is_empty()
                        && !target.trim().is_empty()
                    {
                        units.push(Unit {
                            source,
                            target,
                            release: std::mem::take(&mut release),
                            message: std::mem::take(&mut message),
                        });
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggestion_takes_this_paragraphs_placeables_in_place_of_the_archives() {
        let fitted = fit_placeables(
            "On { $date } the { -eu } met { $guest }.",
            "On { $day } the { -eu } met { -eeas }.",
            "{ $date } { -eu } бо { $guest } вохӯрд.",
        );
        assert_eq!(fitted, "{ $day } { -eu } бо { -eeas } вохӯрд.");
        // Shared placeables stay; nothing to map leaves the text as it is.
        let same = "{ -eu } ва { $date }";
        assert_eq!(fit_placeables("{ -eu } and { $date }", "{ -eu } and { $date }", same), same);
        // A string literal's brace is inside its placeable.
        assert_eq!(placeables(r#"a { "}" } b { $x }"#), vec![2..9, 12..18]);
        // Two swapped placeables both present now: not remapped.
        let swapped = "{ $b } { $a }";
        assert_eq!(fit_placeables("{ $a } { $b }", "{ $b } { $a }", swapped), swapped);
    }

    #[test]
    fn tmx_round_trips_and_reads_other_tools_tags() {
        let units = vec![Unit {
            source: "The participants agreed <to> { -eu } & more.".into(),
            target: "Тарафҳо розӣ шуданд { -eu } & ғайра.".into(),
            release: "2015-03-11-x".into(),
            message: "body".into(),
        }];
        let tmx = to_tmx(units.iter(), "tg");
        assert_eq!(parse_tmx(&tmx, "tg").unwrap(), units);
        let other = tmx
            .replace("xml:lang=\"en\"", "xml:lang=\"EN-GB\"")
            .replace("xml:lang=\"tg\"", "xml:lang=\"tg-TJ\"");
        assert_eq!(parse_tmx(&other, "tg").unwrap().len(), 1);
        assert!(parse_tmx(&tmx, "ru").unwrap().is_empty());
        assert!(parse_tmx("<tmx><body><tu></tmx>", "tg").is_err());
    }

    #[test]
    fn paragraphs_are_a_values_blank_line_separated_parts() {
        let entry = "body =\n    First line\n    goes on.\n\n    Second { -eu }.\n    .title = x\n";
        assert_eq!(paragraphs(entry), ["First line goes on.", "Second { -eu }."]);
        assert_eq!(paragraphs("title = One line"), ["One line"]);
    }

    #[test]
    fn similar_english_finds_its_translation_and_dissimilar_does_not() {
        let mut memory = Memory::default();
        let unit = |source: &str, target: &str, release: &str| Unit {
            source: source.into(),
            target: target.into(),
            release: release.into(),
            message: "body".into(),
        };
        memory.add(unit(
            "The participants agreed to reinforce their cooperation.",
            "Участники договорились укреплять сотрудничество.",
            "a",
        ));
        memory.add(unit("Something else entirely, about fish.", "Рыба.", "b"));
        let found = memory.suggest("The participants agreed to reinforce their co-operation.", "x");
        assert_eq!(found.len(), 1);
        assert!(found[0].score >= 0.9 && found[0].score < 1.0, "{}", found[0].score);
        assert_eq!(found[0].unit.target, "Участники договорились укреплять сотрудничество.");
        let exact = memory.suggest("The participants agreed to reinforce their cooperation.", "x");
        assert_eq!(exact[0].score, 1.0);
        assert!(memory.suggest("The ministers discussed border management.", "x").is_empty());
        // Never the release being translated itself.
        assert!(
            memory
                .suggest("The participants agreed to reinforce their cooperation.", "a")
                .is_empty()
        );
    }
}
