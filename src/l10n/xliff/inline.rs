//! A message's Fluent text as XLIFF inline content, and back. Everything a
//! translator may not change becomes a code CAT tools protect:
//!
//! - placeables (`{ $date }`, `{ other-message }`) and the text markup's
//!   structure (paragraph breaks, line breaks, list markers) are `<ph>`,
//!   holding the Fluent source they stand for;
//! - `**strong**`, `*emphasis*` and `[links](url)` are `<g>` pairs around
//!   translatable text (a link's URL stays with the source);
//! - a term (`{ -eu }`) is a `<g>` pair around the term's text in the
//!   unit's language. The translator writes the form the sentence needs
//!   between the tags (`Европейским союзом`), and the import turns it back
//!   into the term with that case (`{ -eu(case: "ins") }`).

use std::collections::BTreeMap;

/// A run of inline content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    /// A protected code standing for `native` Fluent source.
    Ph {
        id: String,
        ctype: String,
        native: String,
    },
    /// A pair of protected tags around translatable content; `native` is
    /// what the pair keeps from the source (a link's URL).
    G {
        id: String,
        ctype: String,
        native: String,
        children: Vec<Inline>,
    },
}

pub const PARAGRAPH: &str = "x-paragraph";
pub const LINE: &str = "x-line";
pub const LIST_ITEM: &str = "x-list-item";
pub const PLACEABLE: &str = "x-fluent-placeable";
pub const BOLD: &str = "bold";
pub const ITALIC: &str = "italic";
pub const LINK: &str = "link";
/// `x-term-eu` for the term `-eu`.
pub const TERM_PREFIX: &str = "x-term";

/// A term's forms in one language: (case, text); the case is `None` for a
/// term without variants, and the default variant comes first.
pub type TermForms = BTreeMap<String, Vec<(Option<String>, String)>>;

/// What a unit's inline content is made of, besides text: each code's id
/// and what it stands for (its Fluent source, or a link's URL).
pub type Codes = BTreeMap<String, (String, String)>;

/// Parses a message value (Fluent source, dedented) into inline content,
/// numbering codes from 1. Terms show their form in `terms`' language.
pub fn from_fluent(value: &str, terms: &TermForms) -> Vec<Inline> {
    let chars: Vec<char> = value.chars().collect();
    let mut next = 0u32;
    let (out, _) = parse(&chars, 0, None, &mut next, terms);
    out
}

fn new_id(next: &mut u32) -> String {
    *next += 1;
    next.to_string()
}

/// Parses from `at` until `closer` (a markup delimiter) or the end;
/// returns the content and where it stopped (after the closer).
fn parse(
    chars: &[char],
    mut at: usize,
    closer: Option<&str>,
    next: &mut u32,
    terms: &TermForms,
) -> (Vec<Inline>, usize) {
    let mut out: Vec<Inline> = Vec::new();
    let mut text = String::new();
    let flush = |text: &mut String, out: &mut Vec<Inline>| {
        if !text.is_empty() {
            out.push(Inline::Text(std::mem::take(text)));
        }
    };
    let starts =
        |at: usize, s: &str| chars[at..].iter().take(s.chars().count()).copied().eq(s.chars());
    while at < chars.len() {
        if let Some(close) = closer
            && starts(at, close)
        {
            flush(&mut text, &mut out);
            return (out, at + close.chars().count());
        }
        let line_start = at == 0 || chars[at - 1] == '\n';
        if line_start && let Some(len) = list_marker(&chars[at..]) {
            flush(&mut text, &mut out);
            let native: String = chars[at..at + len].iter().collect();
            out.push(Inline::Ph { id: new_id(next), ctype: LIST_ITEM.into(), native });
            at += len;
            continue;
        }
        match chars[at] {
            '\n' => {
                flush(&mut text, &mut out);
                let run = chars[at..].iter().take_while(|c| **c == '\n').count();
                let ctype = if run > 1 { PARAGRAPH } else { LINE };
                let native: String = "\n".repeat(run);
                out.push(Inline::Ph { id: new_id(next), ctype: ctype.into(), native });
                at += run;
            }
            '{' => {
                let end = placeable_end(chars, at);
                let native: String = chars[at..end].iter().collect();
                flush(&mut text, &mut out);
                out.push(placeable(&native, next, terms));
                at = end;
            }
            '*' if starts(at, "**") && has_closer(chars, at + 2, "**") => {
                flush(&mut text, &mut out);
                let id = new_id(next);
                let (children, end) = parse(chars, at + 2, Some("**"), next, terms);
                out.push(Inline::G { id, ctype: BOLD.into(), native: String::new(), children });
                at = end;
            }
            '*' if !starts(at, "**") && has_closer(chars, at + 1, "*") => {
                flush(&mut text, &mut out);
                let id = new_id(next);
                let (children, end) = parse(chars, at + 1, Some("*"), next, terms);
                out.push(Inline::G { id, ctype: ITALIC.into(), native: String::new(), children });
                at = end;
            }
            '[' if link_at(chars, at).is_some() => {
                let (text_end, url) = link_at(chars, at).unwrap_or_default();
                flush(&mut text, &mut out);
                let id = new_id(next);
                let inner: Vec<char> = chars[at + 1..text_end].to_vec();
                let (children, _) = parse(&inner, 0, None, next, terms);
                let skip = url.chars().count();
                out.push(Inline::G { id, ctype: LINK.into(), native: url, children });
                at = text_end + 3 + skip;
            }
            c => {
                text.push(c);
                at += 1;
            }
        }
    }
    flush(&mut text, &mut out);
    (out, at)
}

/// `- ` or `12. ` at the start of a line: its length.
fn list_marker(chars: &[char]) -> Option<usize> {
    if chars.starts_with(&['-', ' ']) {
        return Some(2);
    }
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    (digits > 0 && chars[digits..].starts_with(&['.', ' '])).then_some(digits + 2)
}

fn has_closer(chars: &[char], from: usize, closer: &str) -> bool {
    let closer: Vec<char> = closer.chars().collect();
    let line_end = chars[from..].iter().position(|c| *c == '\n').map_or(chars.len(), |i| from + i);
    (from..line_end).any(|i| chars[i..].starts_with(&closer) && i > from)
}

/// `[text](url)` at `at`: where the text ends (at `]`) and the URL.
fn link_at(chars: &[char], at: usize) -> Option<(usize, String)> {
    let close = (at + 1..chars.len()).find(|&i| chars[i] == ']' || chars[i] == '\n')?;
    if chars[close] != ']' || chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = (close + 2..chars.len()).find(|&i| chars[i] == ')' || chars[i] == '\n')?;
    if chars[end] != ')' || end == close + 2 {
        return None;
    }
    Some((close, chars[close + 2..end].iter().collect()))
}

/// The end of the placeable opening at `at` (after its `}`), skipping
/// nested braces and string literals.
fn placeable_end(chars: &[char], at: usize) -> usize {
    let mut depth = 0;
    let mut in_string = false;
    let mut i = at;
    while i < chars.len() {
        match chars[i] {
            '\\' if in_string => i += 1,
            '"' => in_string = !in_string,
            '{' if !in_string => depth += 1,
            '}' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    chars.len()
}

/// A placeable: a term reference becomes a `<g>` around its text, anything
/// else a `<ph>`.
fn placeable(native: &str, next: &mut u32, terms: &TermForms) -> Inline {
    let id = new_id(next);
    if let Some((name, case)) = term_reference(native)
        && let Some(forms) = terms.get(&name)
    {
        let text = forms
            .iter()
            .find(|(c, _)| case.is_some() && *c == case)
            .or_else(|| forms.first())
            .map(|(_, text)| text.clone())
            .unwrap_or_default();
        let ctype = format!("{TERM_PREFIX}{name}");
        return Inline::G { id, ctype, native: String::new(), children: vec![Inline::Text(text)] };
    }
    Inline::Ph { id, ctype: PLACEABLE.into(), native: native.to_owned() }
}

/// `{ -eu }` or `{ -eu(case: "ins") }`: the term and the case asked for.
pub fn term_reference(native: &str) -> Option<(String, Option<String>)> {
    let inner = native.strip_prefix('{')?.strip_suffix('}')?.trim();
    let name_len =
        inner.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').count();
    let (name, rest) = inner.split_at(name_len);
    if !name.starts_with('-') || name.len() < 2 {
        return None;
    }
    let rest = rest.trim();
    if rest.is_empty() {
        return Some((name.to_owned(), None));
    }
    let args = rest.strip_prefix('(')?.strip_suffix(')')?.trim();
    let case = args.strip_prefix("case")?.trim_start().strip_prefix(':')?.trim();
    let case = case.strip_prefix('"')?.strip_suffix('"')?;
    Some((name.to_owned(), Some(case.to_owned())))
}

/// Every code of `content` by id: (ctype, what it stands for).
pub fn codes(content: &[Inline]) -> Codes {
    let mut out = Codes::new();
    for piece in content {
        match piece {
            Inline::Text(_) => {}
            Inline::Ph { id, ctype, native } => {
                out.insert(id.clone(), (ctype.clone(), native.clone()));
            }
            Inline::G { id, ctype, native, children } => {
                out.insert(id.clone(), (ctype.clone(), native.clone()));
                out.extend(codes(children));
            }
        }
    }
    out
}

/// Gives the codes of a translation the ids of the source's codes they
/// match (the same placeable, markup of the same kind, the same term), in
/// order; a code the source lacks gets an id of its own.
pub fn align_ids(source: &[Inline], target: &mut [Inline]) {
    let mut wanted: Vec<(String, String)> = Vec::new();
    collect_signatures(source, &mut wanted);
    let mut fresh = 1000;
    assign(target, &mut wanted, &mut fresh);
}

fn signature(piece: &Inline) -> Option<String> {
    match piece {
        Inline::Text(_) => None,
        Inline::Ph { native, .. } => Some(format!("ph:{native}")),
        Inline::G { ctype, .. } => Some(format!("g:{ctype}")),
    }
}

fn collect_signatures(content: &[Inline], out: &mut Vec<(String, String)>) {
    for piece in content {
        if let (Some(sig), Inline::Ph { id, .. } | Inline::G { id, .. }) = (signature(piece), piece)
        {
            out.push((sig, id.clone()));
        }
        if let Inline::G { children, .. } = piece {
            collect_signatures(children, out);
        }
    }
}

fn assign(content: &mut [Inline], wanted: &mut Vec<(String, String)>, fresh: &mut u32) {
    for piece in content {
        let sig = signature(piece);
        if let Inline::Ph { id, .. } | Inline::G { id, .. } = piece
            && let Some(sig) = sig
        {
            *id = match wanted.iter().position(|(s, _)| *s == sig) {
                Some(i) => wanted.remove(i).1,
                None => {
                    *fresh += 1;
                    fresh.to_string()
                }
            };
        }
        if let Inline::G { children, .. } = piece {
            assign(children, wanted, fresh);
        }
    }
}

/// The text of inline content, codes left out.
pub fn plain_text(content: &[Inline]) -> String {
    content
        .iter()
        .map(|piece| match piece {
            Inline::Text(text) => text.clone(),
            Inline::G { children, .. } => plain_text(children),
            Inline::Ph { .. } => String::new(),
        })
        .collect()
}
