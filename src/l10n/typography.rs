//! What a translator cannot see by eye: a Latin letter in a Cyrillic word,
//! straight quotes where «…» belong, a hyphen standing in for a dash, a word
//! or a space typed twice, a space before punctuation. Warnings, located.
//!
//! Only message text is read: ids, comments, placeables (`{ $date }`,
//! `{ -eu }`) and link targets are left out.

use std::ops::Range;

use super::FtlFile;
use crate::diag::{Diagnostic, Diagnostics};

/// One character of message text and where it is in the file.
#[derive(Clone, Copy)]
struct Char {
    at: usize,
    c: char,
}

/// Stands for a placeable: neither a letter, a space nor punctuation.
const PLACEABLE: char = '\u{fffc}';

/// Languages written in Cyrillic, whose quotes are «…» and whose dash is
/// an em dash.
fn is_cyrillic_language(lang: &str) -> bool {
    let primary = lang.split('-').next().unwrap_or(lang);
    matches!(primary, "ru" | "tg" | "uk" | "be" | "kk" | "ky")
}

pub fn check(file: &FtlFile, lang: &str) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let cyrillic = is_cyrillic_language(lang);
    let mut offset = 0;
    for line in file.source.text.split_inclusive('\n') {
        let text = message_text(line, offset);
        offset += line.len();
        let mut warn = |code: &'static str, span: Range<usize>, message: String, hint: &str| {
            diags.push(
                Diagnostic::warning(code, message)
                    .at(&file.source, span)
                    .language(lang)
                    .hint(hint.to_owned()),
            );
        };
        for word in words(&text) {
            let letters = &text[word.clone()];
            let latin = letters.iter().filter(|ch| is_latin(ch.c)).count();
            let cyr = letters.iter().filter(|ch| is_cyrillic(ch.c)).count();
            if latin > 0 && cyr > 0 {
                // The odd letters out are the likely mistake.
                let odd = letters
                    .iter()
                    .find(|ch| if latin <= cyr { is_latin(ch.c) } else { is_cyrillic(ch.c) })
                    .map(|ch| ch.c)
                    .unwrap_or(' ');
                let script = if is_latin(odd) { "Latin" } else { "Cyrillic" };
                let shown: String = letters.iter().map(|ch| ch.c).collect();
                warn(
                    "mixed-script",
                    span_of(&text[word]),
                    format!("`{shown}` mixes Latin and Cyrillic letters"),
                    &format!(
                        "`{odd}` is {script} (U+{:04X}): retype it in the word's own keyboard layout",
                        odd as u32
                    ),
                );
            }
        }
        for (i, ch) in text.iter().enumerate() {
            let before = i.checked_sub(1).map(|j| text[j].c);
            let after = text.get(i + 1).map(|ch| ch.c);
            match ch.c {
                '"' if cyrillic => warn(
                    "straight-quotes",
                    span_of(&text[i..=i]),
                    "straight quotes in text".to_owned(),
                    "write «…» (and „…“ for quotes inside quotes)",
                ),
                '-' if before.is_some_and(is_space) && after.is_some_and(is_space) => warn(
                    "hyphen-as-dash",
                    span_of(&text[i..=i]),
                    "a hyphen used as a dash".to_owned(),
                    if cyrillic {
                        "write an em dash with a no-break space before it: `слово — слово`"
                    } else {
                        "write an en dash: `word – word`"
                    },
                ),
                ',' | '.' | ';' | ':' if before.is_some_and(is_space) => warn(
                    "space-before-punctuation",
                    span_of(&text[i - 1..=i]),
                    format!("a space before `{}`", ch.c),
                    "remove the space",
                ),
                ' ' if after == Some(' ') && before.is_some_and(|c| c != ' ') => {
                    let end = text[i..].iter().take_while(|ch| ch.c == ' ').count();
                    warn(
                        "doubled-space",
                        span_of(&text[i..i + end]),
                        "two spaces in a row".to_owned(),
                        "leave one",
                    )
                }
                _ => {}
            }
        }
        let words: Vec<Range<usize>> = words(&text).collect();
        for pair in words.windows(2) {
            let (a, b) = (&text[pair[0].clone()], &text[pair[1].clone()]);
            let between = &text[pair[0].end..pair[1].start];
            let same = a.len() == b.len()
                && a.iter().zip(b).all(|(x, y)| x.c.to_lowercase().eq(y.c.to_lowercase()));
            if same && between.len() == 1 && is_space(between[0].c) {
                let shown: String = a.iter().map(|ch| ch.c).collect();
                warn(
                    "doubled-word",
                    a[0].at..b[b.len() - 1].at + b[b.len() - 1].c.len_utf8(),
                    format!("`{shown}` is written twice"),
                    "remove one",
                );
            }
        }
    }
    diags
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{a0}'
}

fn is_latin(c: char) -> bool {
    c.is_alphabetic() && (c as u32) < 0x250
}

fn is_cyrillic(c: char) -> bool {
    ('\u{400}'..='\u{52f}').contains(&c)
}

fn span_of(chars: &[Char]) -> Range<usize> {
    match (chars.first(), chars.last()) {
        (Some(first), Some(last)) => first.at..last.at + last.c.len_utf8(),
        _ => 0..0,
    }
}

/// The ranges (into `text`) of maximal runs of letters.
fn words(text: &[Char]) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < text.len() && !text[i].c.is_alphabetic() {
            i += 1;
        }
        if i >= text.len() {
            return None;
        }
        let start = i;
        while i < text.len() && text[i].c.is_alphabetic() {
            i += 1;
        }
        Some(start..i)
    })
}

/// The message text on one line of a Fluent file (starting at byte
/// `offset`): what follows `id =`, `.attr =` or a variant key, or the whole
/// of a continuation line past its indentation and list marker; comments
/// none. Each placeable becomes one [`PLACEABLE`], a link's target nothing.
fn message_text(line: &str, offset: usize) -> Vec<Char> {
    let body = line.trim_end_matches(['\n', '\r']);
    let trimmed = body.trim_start();
    if trimmed.is_empty() || body.starts_with('#') {
        return Vec::new();
    }
    let indent = body.len() - trimmed.len();
    let start = if indent == 0 || trimmed.starts_with('.') {
        // `id = text` or `.attr = text`
        match body.find('=') {
            Some(eq) => eq + 1,
            None => return Vec::new(),
        }
    } else if trimmed.starts_with('[') || trimmed.starts_with("*[") {
        match body.find(']') {
            Some(close) => close + 1,
            None => return Vec::new(),
        }
    } else if trimmed == "}" {
        return Vec::new();
    } else {
        indent
    };
    let rest = &body[start..];
    let lead = rest.len() - rest.trim_start().len();
    let mut at = start + lead;
    // A list marker is markup, not a dash.
    let text = &body[at..];
    if at == indent && (text.starts_with("- ") || text.starts_with("* ")) {
        at += 2;
    }
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut in_link_target = false;
    let mut prev = ' ';
    for (i, c) in body[at..].char_indices() {
        let pos = offset + at + i;
        match c {
            '{' => {
                if depth == 0 {
                    out.push(Char { at: pos, c: PLACEABLE });
                }
                depth += 1;
            }
            '}' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            '(' if prev == ']' => in_link_target = true,
            ')' if in_link_target => in_link_target = false,
            _ if in_link_target => {}
            _ => out.push(Char { at: pos, c }),
        }
        prev = c;
    }
    while out.last().is_some_and(|ch| ch.c == ' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceFile;

    fn codes(lang: &str, ftl: &str) -> Vec<(String, String)> {
        let (file, _) = FtlFile::parse(SourceFile::new("x.ftl", ftl.to_owned()));
        check(&file, lang)
            .into_iter()
            .map(|d| {
                let span = d.location.and_then(|l| l.span).unwrap_or(0..0);
                (d.code.to_owned(), ftl[span].to_owned())
            })
            .collect()
    }

    #[test]
    fn each_rule_finds_its_case_and_nothing_else() {
        let found = codes("ru", "a = Aфганистан и EС\n");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|(code, _)| code == "mixed-script"));
        assert_eq!(codes("ru", "a = он сказал \"да\"\n").len(), 2);
        assert_eq!(codes("en", "a = he said \"yes\"\n"), []);
        assert_eq!(codes("ru", "a = ЕС - Азия\n"), [("hyphen-as-dash".into(), "-".into())]);
        assert_eq!(codes("ru", "a =\n    - пункт\n    - пункт\n"), []);
        assert_eq!(codes("en", "a = in in the end\n"), [("doubled-word".into(), "in in".into())]);
        assert_eq!(codes("en", "a = one  two\n"), [("doubled-space".into(), "  ".into())]);
        assert_eq!(
            codes("tg", "a = якум , дуюм\n"),
            [("space-before-punctuation".into(), " ,".into())]
        );
        // Placeables, ids, comments, link targets and indentation are not text.
        let clean = "# a - b \"c\"\n-eu = { $case ->\n   *[nom] Союз\n}\nb = { -eu } [ЕС](https://eu.eu/a-b) — { $x }\n    .role = сотрудник\n";
        assert_eq!(codes("ru", clean), []);
    }
}
