//! One Fluent file: parsed, with its syntax errors located and explained in
//! words a translator understands.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use fluent_bundle::FluentResource;
use fluent_syntax::parser::ErrorKind;

use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::project::Project;

/// A parsed `.ftl` file and where each of its entries starts.
#[derive(Debug, Clone)]
pub struct FtlFile {
    pub source: SourceFile,
    pub resource: Arc<FluentResource>,
    /// Entry id (`title`, `-eu`) -> the span of the id on its line.
    pub entries: BTreeMap<String, Range<usize>>,
    /// Entries defined again after their first definition.
    pub duplicates: Vec<(String, Range<usize>)>,
}

impl FtlFile {
    /// Parses `source`; syntax errors come back as diagnostics alongside the
    /// entries that did parse (so one error never hides the rest).
    pub fn parse(source: SourceFile) -> (Self, Diagnostics) {
        let mut diags = Diagnostics::default();
        // Nested past what the parser can take: the file is read as empty,
        // with the place said (the parser would overflow the stack).
        if let Some(at) = super::nesting::too_deep(&source.text) {
            diags.push(super::nesting::diagnostic(&source, at));
            let resource = FluentResource::try_new(String::new()).unwrap_or_else(|(r, _)| r);
            let file = Self {
                source,
                resource: Arc::new(resource),
                entries: BTreeMap::new(),
                duplicates: Vec::new(),
            };
            return (file, diags);
        }
        let resource = match FluentResource::try_new(source.text.to_string()) {
            Ok(resource) => resource,
            Err((resource, errors)) => {
                for error in errors {
                    diags.push(syntax_diagnostic(&source, &error));
                }
                resource
            }
        };
        let mut entries = BTreeMap::new();
        let mut duplicates = Vec::new();
        for (id, span) in entry_spans(&source.text) {
            match entries.entry(id) {
                std::collections::btree_map::Entry::Occupied(e) => {
                    duplicates.push((e.key().clone(), span))
                }
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(span);
                }
            }
        }
        diags.extend(control_characters(&source));
        let file = Self { source, resource: Arc::new(resource), entries, duplicates };
        diags.extend(file.line_breaks());
        (file, diags)
    }

    /// A line break in a message that is one line wherever it appears: in
    /// an e-mail's `Subject:` or `From:`, a page's `<title>`, an attribute.
    /// Only a release's running text (`body`, `background`, `notes`) has
    /// paragraphs.
    fn line_breaks(&self) -> Diagnostics {
        use fluent_syntax::ast::{Entry, Pattern, PatternElement};
        fn breaks(pattern: &Pattern<&str>) -> bool {
            pattern.elements.iter().any(|e| match e {
                PatternElement::TextElement { value } => value.contains(['\n', '\r']),
                PatternElement::Placeable { .. } => false,
            })
        }
        let mut diags = Diagnostics::default();
        for entry in self.resource.entries() {
            let Entry::Message(message) = entry else { continue };
            let id = message.id.name;
            let multiline = matches!(id, "body" | "background" | "notes");
            let value = message.value.as_ref().filter(|_| !multiline).is_some_and(breaks);
            let attribute = message.attributes.iter().find(|a| breaks(&a.value));
            if !(value || attribute.is_some()) {
                continue;
            }
            let what = match attribute {
                Some(a) if !value => format!("`{id}.{}`", a.id.name),
                _ => format!("`{id}`"),
            };
            let mut d = Diagnostic::error(
                "one-line",
                format!("{what} runs over several lines, but it is printed as one line (an e-mail subject, a page title, a heading)"),
            )
            .hint("write it on one line; only body, background and notes have paragraphs");
            if let Some(span) = self.span_of(id) {
                d = d.at(&self.source, span);
            }
            diags.push(d);
        }
        diags
    }

    /// Reads and parses a project file; a missing file is `Ok(None)`.
    pub fn read(project: &Project, path: &Path) -> Result<Option<(Self, Diagnostics)>, Diagnostic> {
        match project.read_source(path) {
            Ok(source) => Ok(Some(Self::parse(source))),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(Diagnostic::error("io", format!("cannot read: {err}"))
                .in_file(project.relative(path))),
        }
    }

    /// The entry's source as written (its extent, as [`entry_range`] reads
    /// it), without comments and trailing spaces. What staleness is judged on.
    pub fn entry_source(&self, id: &str) -> Option<String> {
        let text = self.entry_text(id)?;
        let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        Some(lines.join("\n").trim_end().to_owned())
    }

    /// Where an entry is defined, for diagnostics about it.
    pub fn span_of(&self, id: &str) -> Option<Range<usize>> {
        self.entries.get(id).cloned()
    }

    pub fn has(&self, id: &str) -> bool {
        self.entries.contains_key(id)
    }

    /// The entry's whole source as written (id line, attributes, variants),
    /// comments before it left out.
    pub fn entry_text(&self, id: &str) -> Option<&str> {
        let start = self.entries.get(id)?.start;
        Some(&self.source.text[entry_range(&self.source.text, start)])
    }

    /// The file's text with `entry` in place of entry `id` (added at the
    /// end when the file lacks it).
    pub fn with_entry(&self, id: &str, entry: &str) -> String {
        splice_entry(&self.source.text, self.entries.get(id).map(|r| r.start), entry)
    }
}

/// Control characters (a vertical tab, a form feed, an escape…) print as
/// nothing, break XML feeds and can end an e-mail header: refused wherever
/// they are. A tab, a line feed and a line feed's carriage return are text.
fn control_characters(source: &SourceFile) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let text = &source.text;
    for (at, c) in text.char_indices() {
        let allowed = matches!(c, '\n' | '\t') || (c == '\r' && text[at + 1..].starts_with('\n'));
        if allowed || !(c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')) {
            continue;
        }
        diags.push(
            Diagnostic::error(
                "control-character",
                format!("the invisible control character U+{:04X} is in the text", c as u32),
            )
            .at(source, at..at + c.len_utf8())
            .hint("delete it (it prints as nothing, and feeds and e-mail headers cannot carry it)"),
        );
    }
    diags
}

/// The byte range of the entry whose id starts at `start`, as Fluent's
/// grammar reads it: its lines run until one that starts another entry
/// (`id =` or a comment in the first column) — `}`, `[k]`, `*[k]`, `.attr`
/// and a placeable's insides may continue an entry there — less any trailing
/// lines the reference
/// parser reads as junk (a tab-indented line, an attribute without a value),
/// and less trailing blank lines.
pub fn entry_range(text: &str, start: usize) -> Range<usize> {
    // Each line's end, up to the next entry's first line.
    let mut ends = Vec::new();
    let mut offset = start;
    for (i, line) in text[start..].split_inclusive('\n').enumerate() {
        if i > 0 && (line.starts_with('#') || starts_entry(line)) {
            break;
        }
        offset += line.len();
        if !line.trim().is_empty() {
            ends.push(offset);
        }
    }
    let Some(&last) = ends.last() else { return start..start };
    // The longest run of lines that is exactly one entry for the parser.
    for &end in ends.iter().rev() {
        if is_one_entry(&text[start..end]) {
            return start..end;
        }
    }
    // A broken entry: its id line and the indented lines after it, as it
    // reads to a person.
    let (mut end, mut offset) = (start, start);
    for (i, line) in text[start..last].split_inclusive('\n').enumerate() {
        if i > 0 && !line.trim().is_empty() && !line.starts_with(' ') {
            break;
        }
        offset += line.len();
        if !line.trim().is_empty() {
            end = offset;
        }
    }
    start..end
}

/// Where `lang add`'s stub holds entry `id` commented out (`# id = …` and
/// the commented lines of the entry after it), if it does.
fn commented_stub(text: &str, id: &str) -> Option<Range<usize>> {
    if id.is_empty() {
        return None;
    }
    let mut offset = 0;
    let mut found: Option<(usize, usize)> = None;
    for line in text.split_inclusive('\n') {
        let uncommented = line.strip_prefix("# ").or_else(|| line.strip_prefix('#'));
        match (&mut found, uncommented) {
            (None, Some(rest))
                if starts_entry(rest) && rest.split(['=', ' ']).next() == Some(id) =>
            {
                found = Some((offset, offset + line.len()));
            }
            // A blank commented line may be inside the entry (between
            // paragraphs): it belongs to it if entry lines follow.
            (Some(_), Some(rest)) if rest.trim().is_empty() => {}
            (Some((_, end)), Some(rest)) if !starts_entry(rest) && !rest.starts_with('#') => {
                *end = offset + line.len();
            }
            (Some(_), _) => break,
            _ => {}
        }
        offset += line.len();
    }
    found.map(|(start, end)| start..end)
}

/// Whether `line` begins a message or a term: `id =` in the first column.
fn starts_entry(line: &str) -> bool {
    let id = line.trim_start_matches('-');
    let name_len =
        id.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(id.len());
    id.starts_with(|c: char| c.is_ascii_alphabetic())
        && id[name_len..].trim_start_matches([' ', '\t']).starts_with('=')
}

/// Whether `source` is one message or term and nothing else.
fn is_one_entry(source: &str) -> bool {
    entry_ids(source).is_some_and(|ids| ids.len() == 1)
}

/// The ids of the messages and terms (`-term`) in `source`, comments
/// aside; `None` when it does not parse whole (or nests too deep to try).
pub fn entry_ids(source: &str) -> Option<Vec<String>> {
    use fluent_syntax::ast::Entry;
    if super::nesting::too_deep(source).is_some() {
        return None;
    }
    let resource = fluent_syntax::parser::parse(source).ok()?;
    let ids = resource.body.iter().filter_map(|e| match e {
        Entry::Message(m) => Some(m.id.name.to_owned()),
        Entry::Term(t) => Some(format!("-{}", t.id.name)),
        _ => None,
    });
    Some(ids.collect())
}

/// `text` with `entry` (its source, ending in a newline) in place of the
/// entry whose id starts at `start`, or added at the end after a blank
/// line: every other byte stays as it was.
pub fn splice_entry(text: &str, start: Option<usize>, entry: &str) -> String {
    let mut out = text.to_owned();
    let id = entry.split(['=', ' ']).next().unwrap_or_default();
    match start {
        Some(start) => out.replace_range(entry_range(text, start), entry),
        // A new language's stub (`lang add`) holds the entry commented out:
        // the translation takes its place.
        None if let Some(stub) = commented_stub(text, id) => out.replace_range(stub, entry),
        None => {
            if !out.is_empty() && !out.ends_with("\n\n") {
                out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
            }
            out.push_str(entry);
        }
    }
    out
}

/// Finds `id =` at the start of lines: Fluent entries always start in column 1.
fn entry_spans(text: &str) -> Vec<(String, Range<usize>)> {
    let mut spans = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let id_len = line
            .char_indices()
            .take_while(|&(_, c)| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            .map(|(i, c)| i + c.len_utf8())
            .last()
            .unwrap_or(0);
        let id = &line[..id_len];
        let rest = line[id_len..].trim_start_matches([' ', '\t']);
        let valid_start = id.trim_start_matches('-').starts_with(|c: char| c.is_ascii_alphabetic());
        if id_len > 0 && valid_start && rest.starts_with('=') {
            spans.push((id.to_owned(), offset..offset + id_len));
        }
        offset += line.len();
    }
    spans
}

fn syntax_diagnostic(
    source: &SourceFile,
    error: &fluent_syntax::parser::ParserError,
) -> Diagnostic {
    let text: &str = &source.text;
    let mut span = error.pos.clone();
    if span.start >= text.len() && !text.is_empty() {
        span = text.len() - 1..text.len();
    }
    let mut diag =
        Diagnostic::error("fluent-syntax", error.kind.to_string()).at(source, span.clone());
    // The usual traps, in plain words. The parser reports them at the start
    // of the line it could not read, or at the end of the one before it.
    let line_at = |offset: usize| {
        let start = text[..offset.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        &text[start..end]
    };
    let next_line = {
        let end = text[span.start.min(text.len())..].find('\n').map(|i| span.start + i + 1);
        end.map(line_at).unwrap_or("")
    };
    for line in [line_at(span.start), next_line] {
        let trimmed = line.trim_start();
        if line.len() != trimmed.len()
            && let Some(c) = trimmed.chars().next().filter(|c| matches!(c, '*' | '[' | '.'))
        {
            let reads_as = match c {
                '*' => "a default variant",
                '[' => "a variant key",
                _ => "an attribute",
            };
            diag.message = format!("an indented line cannot start with `{c}` in Fluent");
            diag.phrase = Some("line-start");
            diag = diag.hint(format!(
                "Fluent reads a line starting with `{c}` as {reads_as}. Put some text before \
                 it on the line, or write the character as {{\"{c}\"}}"
            ));
            return diag;
        }
    }
    // The parser's words (`Expected a token starting with "}"`) become what
    // a translator can act on; the parser's stay for anything else.
    let plain = match &error.kind {
        ErrorKind::MissingDefaultVariant => Some((
            "no-default",
            "this choice has no default variant".to_owned(),
            "mark one variant as the default with `*`, e.g. *[other]",
        )),
        ErrorKind::ExpectedToken('}') => Some((
            "unclosed-placeable",
            "a `{` opens a placeable here that is never closed with `}`".to_owned(),
            "close it with `}`; to print a brace itself, write {\"{\"}",
        )),
        ErrorKind::ExpectedInlineExpression => Some((
            "bad-placeable",
            "after `{` comes a name such as { -eu } or { $date }, not this".to_owned(),
            "to print a brace itself, write {\"{\"}",
        )),
        ErrorKind::UnbalancedClosingBrace => Some((
            "stray-brace",
            "this `}` closes nothing".to_owned(),
            "to print a brace itself, write {\"}\"}",
        )),
        ErrorKind::ExpectedMessageField { entry_id } => Some((
            "empty-message",
            format!("`{entry_id}` has no text after `=`"),
            "a message needs text after `=`, on the same line or indented below",
        )),
        ErrorKind::ExpectedToken('=') => Some((
            "first-column",
            "a line starting in the first column must be a message, `id = text`".to_owned(),
            "each message starts in the first column as `id = text`; the lines that continue it are indented",
        )),
        _ => None,
    };
    if let Some((phrase, message, hint)) = plain {
        diag.message = message;
        diag.phrase = Some(phrase);
        diag = diag.hint(hint);
    }
    diag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_entries_and_terms() {
        let spans = entry_spans("-eu = EU\ntitle = A\n  body = no\nbody =\n    x\n# c = d\n");
        let ids: Vec<&str> = spans.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["-eu", "title", "body"]);
        assert_eq!(spans[1].1, 9..14);
    }

    #[test]
    fn indented_star_gets_a_plain_words_hint() {
        let file = SourceFile::new("x.ftl", "body =\n    first line\n    *strong* start\n");
        let (_, diags) = FtlFile::parse(file);
        let text = diags.iter().map(|d| d.to_plain_string()).collect::<String>();
        assert!(text.contains("indented line cannot start with `*`"), "{text}");
    }
}
