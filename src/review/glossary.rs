//! The office's terminology: a glossary per language, kept in that
//! language's folder as TBX-Basic (`locales/<lang>/glossary.tbx`), each
//! entry an English term, its required rendering and the renderings not to
//! use. `check` warns where the English of a message uses a term and its
//! translation lacks the rendering, or uses a forbidden one — allowing the
//! endings Russian and Tajik put on words (`Пражский процесс` is found in
//! `в Пражском процессе`), and words between those of a rendering
//! (`Маркази минтақавии таҷрибаи пешқадам`).

use std::path::Path;

use quick_xml::events::Event;

use super::xml::{attribute, entity, primary};

use crate::diag::{Diagnostic, SourceFile};

/// The glossary's file name in a language folder.
pub const FILE: &str = "glossary.tbx";

/// One concept: its English terms and one language's renderings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub english: Vec<String>,
    /// The renderings to use (the first preferred).
    pub required: Vec<String>,
    /// Renderings not to use.
    pub forbidden: Vec<String>,
}

/// One language's glossary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glossary {
    pub lang: String,
    pub entries: Vec<Entry>,
    /// What the file held that pressroom does not keep (other languages,
    /// definitions, notes), by name: writing it back would lose them.
    pub unkept: std::collections::BTreeSet<String>,
}

/// The elements of TBX-Basic pressroom reads and writes back.
const KEPT: &[&[u8]] = &[
    b"martif",
    b"tbx",
    b"martifHeader",
    b"tbxHeader",
    b"fileDesc",
    b"sourceDesc",
    b"titleStmt",
    b"title",
    b"p",
    b"text",
    b"body",
    b"termEntry",
    b"conceptEntry",
    b"langSet",
    b"langSec",
    b"tig",
    b"ntig",
    b"termSec",
    b"termGrp",
    b"term",
    b"termNote",
];

/// What the glossary finds in one translated message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The English uses `term`; the translation has none of `required`.
    Missing { term: String, required: Vec<String> },
    /// The translation uses `used`, which the glossary forbids for `term`.
    Forbidden { term: String, used: String, required: Vec<String> },
}

/// What [`Glossary::merge`] added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Merged {
    /// New concepts.
    pub terms: usize,
    /// Renderings added to concepts already here.
    pub renderings: usize,
}

const PREFERRED: &str = "preferredTerm-admn-sts";
const DEPRECATED: &str = "deprecatedTerm-admn-sts";

/// The words of a message's text, its placeables (`{ -eeas }`, `{ $date }`)
/// left out: a term message is the same in every release by construction.
fn words(text: &str) -> Vec<String> {
    let mut plain = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    plain
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `word` is `rendering`'s word with an ending: the same stem (the
/// word without its last letter or two) and a short ending after it.
fn same_word(rendering: &str, word: &str) -> bool {
    with_ending(rendering, word)
}

fn with_ending(rendering: &str, word: &str) -> bool {
    let letters: Vec<char> = rendering.chars().collect();
    let cut = match letters.len() {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    };
    let stem: String = letters[..letters.len() - cut].iter().collect();
    word.starts_with(&stem) && word.chars().count() <= stem.chars().count() + 4
}

/// Whether `text` holds `phrase`'s words in order, each with an ending
/// allowed, up to three words between them (`Диалог высокого уровня ЕС —
/// Центральная Азия по вопросам безопасности`).
fn holds(text: &[String], phrase: &str, same: &dyn Fn(&str, &str) -> bool) -> bool {
    let wanted = words(phrase);
    let Some((first, rest)) = wanted.split_first() else { return false };
    (0..text.len()).any(|start| {
        if !same(first, &text[start]) {
            return false;
        }
        let mut at = start;
        rest.iter().all(|next| {
            let found = (at + 1..(at + 5).min(text.len())).find(|&i| same(next, &text[i]));
            found.map(|i| at = i).is_some()
        })
    })
}

/// Whether English `text` uses `term` (whole words, any case).
fn uses(text: &[String], term: &str) -> bool {
    let wanted = words(term);
    !wanted.is_empty() && text.windows(wanted.len()).any(|w| w == wanted.as_slice())
}

impl Glossary {
    /// `locales/<lang>/glossary.tbx`, when there is one.
    pub fn load(project: &crate::project::Project, lang: &str) -> Result<Option<Self>, Diagnostic> {
        let path = project.locale_dir(lang).join(FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&text, lang)
                .map(Some)
                .map_err(|why| Diagnostic::error("glossary", why).in_file(project.relative(&path))),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(Diagnostic::error("glossary", format!("cannot read: {err}"))
                .in_file(project.relative(&path))),
        }
    }

    /// `lang`'s glossary, or an empty one to begin with.
    pub fn load_or_new(project: &crate::project::Project, lang: &str) -> Result<Self, Diagnostic> {
        let found = Self::load(project, lang)?;
        Ok(found.unwrap_or_else(|| Self { lang: lang.to_owned(), ..Self::default() }))
    }

    /// A TBX document's entries for English and `lang`.
    pub fn parse(text: &str, lang: &str) -> Result<Self, String> {
        let mut reader = quick_xml::Reader::from_str(text);
        let mut glossary = Self { lang: lang.to_owned(), ..Self::default() };
        let mut entry: Option<Entry> = None;
        let mut set_lang = String::new();
        let mut term: Option<String> = None;
        let mut status = String::new();
        let mut in_term = false;
        let mut in_note = false;
        let mut note_is_status = false;
        loop {
            let event = reader.read_event().map_err(|err| {
                format!("not TBX (XML) at byte {}: {err}", reader.buffer_position())
            })?;
            match event {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    name if !KEPT.contains(&name) => {
                        glossary.unkept.insert(String::from_utf8_lossy(name).into_owned());
                    }
                    b"termEntry" | b"conceptEntry" => {
                        entry = Some(Entry { id: attribute(&e, b"id"), ..Entry::default() });
                    }
                    b"langSet" | b"langSec" => {
                        set_lang = attribute(&e, b"lang");
                        let ours =
                            primary(&set_lang) == "en" || primary(&set_lang) == primary(lang);
                        if !ours {
                            glossary.unkept.insert(format!("xml:lang=\"{set_lang}\""));
                        }
                    }
                    b"tig" | b"termSec" | b"ntig" => {
                        term = None;
                        status.clear();
                    }
                    b"term" => {
                        in_term = true;
                        term = Some(String::new());
                    }
                    b"termNote" => {
                        in_note = true;
                        note_is_status = e.attributes().flatten().any(|a| {
                            a.key.local_name().as_ref() == b"type"
                                && a.value.as_ref() == b"administrativeStatus"
                        });
                        if !note_is_status {
                            glossary.unkept.insert("termNote".to_owned());
                        }
                    }
                    _ => {}
                },
                Event::GeneralRef(r) => {
                    let text = entity(&r)?;
                    if in_term && let Some(term) = term.as_mut() {
                        term.push_str(&text);
                    }
                }
                Event::Text(t) => {
                    let text = t.decode().map_err(|err| err.to_string())?;
                    let text = quick_xml::escape::unescape(&text).map_err(|err| err.to_string())?;
                    if in_term && let Some(term) = term.as_mut() {
                        term.push_str(&text);
                    } else if in_note && note_is_status {
                        status.push_str(text.trim());
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    b"term" => in_term = false,
                    b"termNote" => in_note = false,
                    b"tig" | b"termSec" | b"ntig" => {
                        if let (Some(entry), Some(term)) = (entry.as_mut(), term.take()) {
                            let term = term.trim().to_owned();
                            if term.is_empty() {
                                continue;
                            }
                            if primary(&set_lang) == "en" {
                                entry.english.push(term);
                            } else if primary(&set_lang) == primary(lang) || set_lang == lang {
                                if status == DEPRECATED || status == "supersededTerm-admn-sts" {
                                    entry.forbidden.push(term);
                                } else {
                                    entry.required.push(term);
                                }
                            }
                        }
                    }
                    b"termEntry" | b"conceptEntry" => {
                        if let Some(entry) = entry.take()
                            && !entry.english.is_empty()
                        {
                            glossary.entries.push(entry);
                        }
                    }
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(glossary)
    }

    /// As TBX-Basic: English and this language, the preferred rendering
    /// first, forbidden ones marked deprecated.
    pub fn to_tbx(&self) -> String {
        use quick_xml::escape::escape;
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<martif type=\"TBX-Basic\" xml:lang=\"en\">\n  <martifHeader>\n    <fileDesc>\n      <sourceDesc><p>pressroom: the office's terminology, English and {}</p></sourceDesc>\n    </fileDesc>\n  </martifHeader>\n  <text>\n    <body>\n",
            escape(&self.lang)
        );
        for entry in &self.entries {
            out.push_str(&format!("      <termEntry id=\"{}\">\n", escape(&entry.id)));
            out.push_str("        <langSet xml:lang=\"en\">\n");
            for term in &entry.english {
                out.push_str(&format!("          <tig><term>{}</term></tig>\n", escape(term)));
            }
            out.push_str("        </langSet>\n");
            out.push_str(&format!("        <langSet xml:lang=\"{}\">\n", escape(&self.lang)));
            for (term, status) in entry
                .required
                .iter()
                .map(|t| (t, PREFERRED))
                .chain(entry.forbidden.iter().map(|t| (t, DEPRECATED)))
            {
                out.push_str(&format!(
                    "          <tig><term>{}</term><termNote type=\"administrativeStatus\">{status}</termNote></tig>\n",
                    escape(term)
                ));
            }
            out.push_str("        </langSet>\n      </termEntry>\n");
        }
        out.push_str("    </body>\n  </text>\n</martif>\n");
        out
    }

    /// Adds `other`'s entries (an agency's glossary, say): a concept this
    /// glossary has (an English term in common, any case) gains the
    /// renderings it lacks; a new one is added whole. What is here already
    /// stays as it is: a rendering required here is never made forbidden.
    pub fn merge(&mut self, other: Glossary) -> Merged {
        let mut merged = Merged::default();
        let same = |a: &str, b: &str| words(a) == words(b);
        for entry in other.entries {
            let known = self
                .entries
                .iter_mut()
                .find(|e| e.english.iter().any(|t| entry.english.iter().any(|u| same(t, u))));
            let Some(known) = known else {
                let mut entry = entry;
                if entry.id.is_empty() || self.entries.iter().any(|e| e.id == entry.id) {
                    entry.id = self.free_id(&entry.english[0]);
                }
                merged.terms += 1;
                self.entries.push(entry);
                continue;
            };
            for term in entry.english {
                if !known.english.iter().any(|t| same(t, &term)) {
                    known.english.push(term);
                }
            }
            for rendering in entry.required {
                if !known.required.iter().chain(&known.forbidden).any(|r| same(r, &rendering)) {
                    known.required.push(rendering);
                    merged.renderings += 1;
                }
            }
            for rendering in entry.forbidden {
                if !known.required.iter().chain(&known.forbidden).any(|r| same(r, &rendering)) {
                    known.forbidden.push(rendering);
                    merged.renderings += 1;
                }
            }
        }
        merged
    }

    /// An entry id from an English term (`prague-process`), unused here.
    fn free_id(&self, term: &str) -> String {
        let base = words(term).join("-");
        let base = if base.is_empty() { "term".to_owned() } else { base };
        let mut id = base.clone();
        let mut n = 1;
        while self.entries.iter().any(|e| e.id == id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        id
    }

    /// The entries whose English term `english` uses, with the term as the
    /// glossary writes it: what the editor underlines in the source.
    pub fn terms_in(&self, english: &str) -> Vec<(&str, &Entry)> {
        let english = words(english);
        self.entries
            .iter()
            .filter_map(|entry| {
                let term = entry.english.iter().find(|t| uses(&english, t))?;
                Some((term.as_str(), entry))
            })
            .collect()
    }

    /// What the glossary says of a translation of `english`.
    pub fn check(&self, english: &str, translation: &str) -> Vec<Finding> {
        // A translation whose braces do not balance is a syntax error,
        // reported as such: its words cannot be told from its placeables.
        let balanced = |text: &str| text.matches('{').count() == text.matches('}').count();
        if !balanced(english) || !balanced(translation) {
            return Vec::new();
        }
        let (english, translated) = (words(english), words(translation));
        let mut found = Vec::new();
        for entry in &self.entries {
            let Some(term) = entry.english.iter().find(|t| uses(&english, t)) else { continue };
            let right = entry.required.iter().any(|r| holds(&translated, r, &same_word));
            // A forbidden rendering is often a near-spelling of the right
            // one (`Хедая` beside `Хедайя`): where the right one stands,
            // it is the right one.
            let wrong = (!right)
                .then(|| entry.forbidden.iter().find(|f| holds(&translated, f, &same_word)))
                .flatten();
            if let Some(used) = wrong {
                found.push(Finding::Forbidden {
                    term: term.clone(),
                    used: used.clone(),
                    required: entry.required.clone(),
                });
            } else if !entry.required.is_empty() && !right {
                found.push(Finding::Missing {
                    term: term.clone(),
                    required: entry.required.clone(),
                });
            }
        }
        found
    }
}

/// The glossary's findings about message `id` of a translation, as
/// warnings at the message.
pub fn diagnostics(
    glossary: &Glossary,
    english: &str,
    translation: &str,
    file: &SourceFile,
    span: Option<std::ops::Range<usize>>,
    id: &str,
) -> Vec<Diagnostic> {
    let glossary_file = Path::new("locales").join(&glossary.lang).join(FILE);
    glossary
        .check(english, translation)
        .into_iter()
        .map(|finding| {
            let d = match finding {
                Finding::Missing { term, required } => Diagnostic::warning(
                    "glossary-term",
                    format!(
                        "`{id}`: the English says “{term}”, the translation has no “{}”",
                        required.join("” or “")
                    ),
                ),
                Finding::Forbidden { term, used, required } => Diagnostic::warning(
                    "glossary-forbidden",
                    format!(
                        "`{id}`: “{used}” is not how the office writes “{term}”: write “{}”",
                        required.join("” or “")
                    ),
                ),
            }
            .hint(format!("the office's terms are in {}", glossary_file.display()));
            match &span {
                Some(span) => d.at(file, span.clone()),
                None => d,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn russian() -> Glossary {
        Glossary {
            lang: "ru".into(),
            unkept: Default::default(),
            entries: vec![
                Entry {
                    id: "prague-process".into(),
                    english: vec!["Prague Process".into()],
                    required: vec!["Пражский процесс".into()],
                    forbidden: vec!["Пражская инициатива".into()],
                },
                Entry {
                    id: "bomca".into(),
                    english: vec!["BOMCA".into()],
                    required: vec!["БОМКА".into()],
                    forbidden: vec![],
                },
            ],
        }
    }

    #[test]
    fn renderings_are_found_with_their_case_endings() {
        let g = russian();
        let english = "participation in the Prague Process and BOMCA";
        assert!(g.check(english, "участия в Пражском процессе и программе БОМКА").is_empty());
        let found = g.check(english, "участия в Пражской инициативе и программе БОМКА");
        assert!(
            matches!(&found[..], [Finding::Forbidden { used, .. }] if used == "Пражская инициатива"),
            "{found:?}"
        );
        let found = g.check(english, "участия в процессе и программе БОМКА");
        assert!(
            matches!(&found[..], [Finding::Missing { term, .. }] if term == "Prague Process"),
            "{found:?}"
        );
        // A term the English does not use asks nothing.
        assert!(g.check("migration", "миграция").is_empty());
    }

    #[test]
    fn words_may_stand_between_a_renderings_words() {
        let tajik = Glossary {
            lang: "tg".into(),
            unkept: Default::default(),
            entries: vec![Entry {
                id: "coe".into(),
                english: vec!["Centre of Excellence".into()],
                required: vec!["Маркази таҷрибаи пешқадам".into()],
                forbidden: vec![],
            }],
        };
        assert!(
            tajik
                .check("a regional Centre of Excellence", "Маркази минтақавии таҷрибаи пешқадам")
                .is_empty()
        );
    }

    #[test]
    fn an_agencys_glossary_adds_what_is_missing_and_changes_nothing_here() {
        let mut ours = russian();
        let theirs = Glossary {
            lang: "ru".into(),
            unkept: Default::default(),
            entries: vec![
                // Known (another case): a new rendering, and one required
                // here that the agency forbids, which stays required.
                Entry {
                    id: "pp".into(),
                    english: vec!["prague process".into()],
                    required: vec!["Пражский процесс".into()],
                    forbidden: vec!["Пражская инициатива".into(), "Процесс Праги".into()],
                },
                Entry {
                    id: "bomca".into(),
                    english: vec!["Border Management in Central Asia".into()],
                    required: vec!["Управление границами в Центральной Азии".into()],
                    forbidden: vec![],
                },
            ],
        };
        let merged = ours.merge(theirs.clone());
        assert_eq!(merged, Merged { terms: 1, renderings: 1 });
        assert_eq!(ours.entries.len(), 3);
        assert_eq!(ours.entries[0].forbidden, ["Пражская инициатива", "Процесс Праги"]);
        // The new concept's id was taken here: it gets its own.
        assert_eq!(ours.entries[2].id, "border-management-in-central-asia");
        // Twice is once.
        assert_eq!(ours.merge(theirs), Merged::default());
    }

    #[test]
    fn tbx_round_trips() {
        let g = russian();
        let back = Glossary::parse(&g.to_tbx(), "ru").unwrap();
        assert_eq!(back, g);
        assert!(Glossary::parse("<martif><text", "ru").is_err());
        // What pressroom would not write back is named.
        let tbx = g.to_tbx().replace(
            "<langSet xml:lang=\"ru\">",
            "<descrip type=\"definition\">…</descrip><langSet xml:lang=\"de\"><tig><term>Prager Prozess</term></tig></langSet><langSet xml:lang=\"ru\">",
        );
        let read = Glossary::parse(&tbx, "ru").unwrap();
        assert_eq!(read.entries, g.entries);
        assert_eq!(Vec::from_iter(read.unkept), ["descrip", "xml:lang=\"de\""]);
    }
}
