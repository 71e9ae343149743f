//! The small, fixed text markup of release messages, parsed into a block
//! tree that travels to the layout as data (never as Typst source).
//!
//! Paragraphs are separated by a blank line; `- ` starts a bullet, `1. ` a
//! numbered item; inline `**strong**`, `*emphasis*` and
//! `[text](https://url)`. Every other character prints as typed.

use serde::{Deserialize, Serialize};

/// A block of release text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
    Paragraph { spans: Vec<Span> },
    Bullets { items: Vec<Vec<Span>> },
    Numbered { start: u32, items: Vec<Vec<Span>> },
}

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub text: String,
    pub strong: bool,
    pub emph: bool,
    pub link: Option<String>,
}

/// Something in the text that looks like markup but is not well formed; it
/// prints literally, and `check` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkupIssue {
    /// Byte offset in the parsed text.
    pub offset: usize,
    pub message: String,
    pub hint: &'static str,
}

/// Parses formatted message text into blocks.
pub fn parse(text: &str) -> (Vec<Block>, Vec<MarkupIssue>) {
    let mut issues = Vec::new();
    let mut blocks = Vec::new();
    let mut para: Option<(usize, String)> = None;
    let mut list: Option<PendingList> = None;

    let mut offset = 0;
    for line in text.split('\n') {
        let line_offset = offset;
        offset += line.len() + 1;
        let trimmed = line.trim();
        let lead = line.len() - line.trim_start().len();
        if trimmed.is_empty() {
            flush(&mut para, &mut list, &mut blocks, &mut issues);
            continue;
        }
        let item_start = list_marker(trimmed);
        match item_start {
            Some((number, body_at)) => {
                flush_para(&mut para, &mut blocks, &mut issues);
                let same_kind = matches!(&list, Some(l) if l.start.is_some() == number.is_some());
                if !same_kind {
                    flush(&mut para, &mut list, &mut blocks, &mut issues);
                    list = Some(PendingList { start: number, items: Vec::new() });
                }
                let body = &trimmed[body_at..];
                if let Some(list) = &mut list {
                    list.items.push((line_offset + lead + body_at, body.to_owned()));
                }
            }
            None => {
                if let Some(list) = &mut list
                    && let Some((_, last)) = list.items.last_mut()
                {
                    // A continuation line of the last item.
                    last.push(' ');
                    last.push_str(trimmed);
                    continue;
                }
                match &mut para {
                    Some((_, text)) => {
                        text.push(' ');
                        text.push_str(trimmed);
                    }
                    None => para = Some((line_offset + lead, trimmed.to_owned())),
                }
            }
        }
    }
    flush(&mut para, &mut list, &mut blocks, &mut issues);
    (blocks, issues)
}

/// A list being gathered: its first number (None for bullets) and its items
/// as (offset in the message, text).
struct PendingList {
    start: Option<u32>,
    items: Vec<(usize, String)>,
}

/// `- ` or `N. ` at the start of a line: the item number (None for a bullet)
/// and where the item's text starts.
fn list_marker(line: &str) -> Option<(Option<u32>, usize)> {
    if let Some(rest) = line.strip_prefix("- ") {
        return Some((None, line.len() - rest.trim_start().len()));
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) && line[digits..].starts_with(". ") {
        let number = line[..digits].parse().ok()?;
        let rest = &line[digits + 2..];
        return Some((Some(number), line.len() - rest.trim_start().len()));
    }
    None
}

fn flush_para(
    para: &mut Option<(usize, String)>,
    blocks: &mut Vec<Block>,
    issues: &mut Vec<MarkupIssue>,
) {
    if let Some((offset, text)) = para.take() {
        blocks.push(Block::Paragraph { spans: inline(&text, offset, issues) });
    }
}

fn flush(
    para: &mut Option<(usize, String)>,
    list: &mut Option<PendingList>,
    blocks: &mut Vec<Block>,
    issues: &mut Vec<MarkupIssue>,
) {
    flush_para(para, blocks, issues);
    if let Some(PendingList { start: number, items }) = list.take() {
        let items = items.iter().map(|(offset, text)| inline(text, *offset, issues)).collect();
        blocks.push(match number {
            Some(start) => Block::Numbered { start, items },
            None => Block::Bullets { items },
        });
    }
}

#[derive(Clone, Copy, Default)]
struct Style<'a> {
    strong: bool,
    emph: bool,
    link: Option<&'a str>,
}

/// Parses inline markup of one paragraph or item. `base` is the text's
/// offset in the message, for issue positions.
fn inline(text: &str, base: usize, issues: &mut Vec<MarkupIssue>) -> Vec<Span> {
    let mut spans = Vec::new();
    parse_inline(text, base, Style::default(), &mut spans, issues);
    spans
}

fn parse_inline<'a>(
    text: &'a str,
    base: usize,
    style: Style<'a>,
    spans: &mut Vec<Span>,
    issues: &mut Vec<MarkupIssue>,
) {
    let mut plain = String::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with("**") && opens(text, i + 2) {
            if let Some(end) = find_closer(text, i + 2, "**") {
                push(spans, &mut plain, style);
                let inner = Style { strong: true, ..style };
                parse_inline(&text[i + 2..end], base + i + 2, inner, spans, issues);
                i = end + 2;
                continue;
            }
            issues.push(MarkupIssue {
                offset: base + i,
                message: "`**` opens strong text that is never closed".into(),
                hint: "close it with `**`, or write the asterisks apart from the word",
            });
            plain.push_str("**");
            i += 2;
            continue;
        }
        if rest.starts_with('*') && !rest.starts_with("**") && opens(text, i + 1) {
            if let Some(end) = find_closer(text, i + 1, "*") {
                push(spans, &mut plain, style);
                let inner = Style { emph: true, ..style };
                parse_inline(&text[i + 1..end], base + i + 1, inner, spans, issues);
                i = end + 1;
                continue;
            }
            issues.push(MarkupIssue {
                offset: base + i,
                message: "`*` opens emphasis that is never closed".into(),
                hint: "close it with `*`, or put a space after a lone asterisk",
            });
        }
        if rest.starts_with('[')
            && style.link.is_none()
            && let Some(close) = rest.find("](")
            && !rest[1..close].contains('[')
        {
            let after = &rest[close + 2..];
            if let Some(paren) = after.find(')') {
                let url = after[..paren].trim();
                let label = &rest[1..close];
                if is_url(url) && !label.trim().is_empty() {
                    push(spans, &mut plain, style);
                    let inner = Style { link: Some(url), ..style };
                    parse_inline(label, base + i + 1, inner, spans, issues);
                    i += close + 2 + paren + 1;
                    continue;
                }
                issues.push(MarkupIssue {
                    offset: base + i,
                    message: if url.is_empty() {
                        "a link without a URL".into()
                    } else if label.trim().is_empty() {
                        "a link without text".into()
                    } else {
                        format!("`{url}` is not a web address this link can use")
                    },
                    hint: "write links as [text](https://example.org)",
                });
            }
        }
        let c = rest.chars().next().unwrap_or_default();
        plain.push(c);
        i += c.len_utf8();
    }
    push(spans, &mut plain, style);
}

/// A marker opens only when text follows it directly (`* ` stays a star).
fn opens(text: &str, after: usize) -> bool {
    text[after..].chars().next().is_some_and(|c| !c.is_whitespace())
}

/// The next `marker` that closes: preceded by non-space, and for `*` not
/// part of a `**`.
fn find_closer(text: &str, from: usize, marker: &str) -> Option<usize> {
    let mut search = from;
    while let Some(pos) = text[search..].find(marker).map(|p| p + search) {
        let before = text[..pos].chars().next_back();
        let run = text[pos..].bytes().take_while(|&b| b == b'*').count();
        let doubled = marker == "*" && run > 1;
        if pos > from && before.is_some_and(|c| !c.is_whitespace()) && !doubled {
            // In `***` closing strong, the last two stars close it and the
            // first belongs to the text inside (`**a *b***`).
            return Some(pos + run - marker.len());
        }
        search = pos + marker.len() + usize::from(doubled);
        if search >= text.len() {
            break;
        }
    }
    None
}

fn is_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("mailto:"));
    rest.is_some_and(|r| !r.is_empty() && !r.chars().any(char::is_whitespace))
}

fn push(spans: &mut Vec<Span>, plain: &mut String, style: Style<'_>) {
    if plain.is_empty() {
        return;
    }
    spans.push(Span {
        text: std::mem::take(plain),
        strong: style.strong,
        emph: style.emph,
        link: style.link.map(str::to_owned),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(spans: &[Span]) -> Vec<(&str, bool, bool, Option<&str>)> {
        spans.iter().map(|s| (s.text.as_str(), s.strong, s.emph, s.link.as_deref())).collect()
    }

    #[test]
    fn paragraphs_lists_and_continuations() {
        let (blocks, issues) =
            parse("First line\ncontinued.\n\nAreas:\n\n- one;\n  more\n- two\n\n1. a\n2. b");
        assert!(issues.is_empty());
        assert_eq!(blocks.len(), 4);
        match &blocks[0] {
            Block::Paragraph { spans } => assert_eq!(spans[0].text, "First line continued."),
            b => panic!("{b:?}"),
        }
        match &blocks[2] {
            Block::Bullets { items } => {
                assert_eq!(items.len(), 2);
                assert_eq!(items[0][0].text, "one; more");
            }
            b => panic!("{b:?}"),
        }
        assert!(matches!(&blocks[3], Block::Numbered { start: 1, items } if items.len() == 2));
    }

    #[test]
    fn inline_styles_and_links() {
        let (blocks, _) = parse("a **b *c*** d *e* [site](https://x.eu) 5 * 3");
        let Block::Paragraph { spans } = &blocks[0] else { panic!() };
        assert_eq!(
            texts(spans),
            [
                ("a ", false, false, None),
                ("b ", true, false, None),
                ("c", true, true, None),
                (" d ", false, false, None),
                ("e", false, true, None),
                (" ", false, false, None),
                ("site", false, false, Some("https://x.eu")),
                (" 5 * 3", false, false, None),
            ]
        );
    }

    #[test]
    fn broken_markup_prints_literally_and_is_reported() {
        let (blocks, issues) = parse("**open and [no url]() #read(\"/etc/passwd\") $x$");
        let Block::Paragraph { spans } = &blocks[0] else { panic!() };
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].text, "**open and [no url]() #read(\"/etc/passwd\") $x$");
        assert_eq!(issues.len(), 2);
        assert_eq!(issues[0].offset, 0);
        assert_eq!(issues[1].message, "a link without a URL");
    }
}
