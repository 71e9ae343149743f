//! A message as the preview's editor shows it: a field per value and per
//! attribute, placeables as chips, a field per variant of a selector — and
//! back to Fluent. The editor never writes Fluent syntax itself: braces and
//! a line's leading `*`, `[` or `.` are escaped here, so what it sends
//! always parses.

use fluent_syntax::ast;
use serde::{Deserialize, Serialize};

use super::cldr;

/// One message (or term) in fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fields {
    /// `title`, `contact-press`, `-eu`.
    pub id: String,
    pub value: Option<Vec<Piece>>,
    pub attributes: Vec<Attribute>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribute {
    pub name: String,
    pub value: Vec<Piece>,
}

/// A part of a value: text as typed, a placeable (shown as a chip that can
/// be moved but not typed into), or a choice between variants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Piece {
    Text {
        text: String,
    },
    /// The placeable's expression as Fluent writes it: `-eu`, `$day`,
    /// `-eu(case: "gen")`.
    Chip {
        expr: String,
    },
    Select {
        /// The selector, as a chip's expression: `$count`.
        selector: String,
        /// Whether the variants are plural categories: the editor then shows
        /// the language's own (ru: one, few, many, other).
        plural: bool,
        variants: Vec<Variant>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub key: String,
    #[serde(default)]
    pub default: bool,
    pub value: Vec<Piece>,
}

/// Why fields cannot be made of an entry: the editor offers its source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldsError {
    #[error("the entry does not parse as one Fluent message")]
    NotOneEntry,
    #[error("a choice inside a choice is edited as source")]
    Nested,
    #[error("`{0}` is not a Fluent message id")]
    BadId(String),
    #[error("`{0}` is not a placeable a translation can use")]
    BadExpression(String),
    #[error("`{0}` is not a variant name")]
    BadKey(String),
    #[error("a choice needs exactly one default variant")]
    Default,
    #[error("placeables are nested more than 64 deep")]
    TooDeep,
    #[error("the entry's fields would not write it back as it is")]
    NotExact,
}

/// Whether two sources hold the same message or term (comments aside), as
/// the reference parser reads them.
fn same_entry(a: &str, b: &str) -> bool {
    fn only(source: &str) -> Option<ast::Resource<&str>> {
        let mut resource = fluent_syntax::parser::parse(source).ok()?;
        resource.body.retain(|e| !matches!(e, ast::Entry::Comment(_)));
        for entry in &mut resource.body {
            match entry {
                ast::Entry::Message(m) => m.comment = None,
                ast::Entry::Term(t) => t.comment = None,
                _ => {}
            }
        }
        Some(resource)
    }
    match (only(a), only(b)) {
        (Some(a), Some(b)) => a.body.len() == 1 && a.body == b.body,
        _ => false,
    }
}

impl Fields {
    /// The fields of one entry's source (`id = …` and its indented lines),
    /// only when they give back the same entry (the same syntax tree) as
    /// the reference parser reads it; else the editor offers the source.
    pub fn parse(entry: &str) -> Result<Self, FieldsError> {
        let fields = Self::read(entry)?;
        let back = fields.write()?;
        if same_entry(entry, &back) { Ok(fields) } else { Err(FieldsError::NotExact) }
    }

    /// The fields of an entry, whether or not they write it back as it is.
    fn read(entry: &str) -> Result<Self, FieldsError> {
        if super::nesting::too_deep(entry).is_some() {
            return Err(FieldsError::TooDeep);
        }
        let resource = fluent_syntax::parser::parse(entry).map_err(|_| FieldsError::NotOneEntry)?;
        let mut entries = resource.body.iter().filter(|e| !matches!(e, ast::Entry::Comment(_)));
        let (id, value, attributes) = match (entries.next(), entries.next()) {
            (Some(ast::Entry::Message(m)), None) => {
                (m.id.name.to_owned(), m.value.as_ref(), &m.attributes)
            }
            (Some(ast::Entry::Term(t)), None) => {
                (format!("-{}", t.id.name), Some(&t.value), &t.attributes)
            }
            _ => return Err(FieldsError::NotOneEntry),
        };
        Ok(Self {
            id,
            value: value.map(|p| pieces(p, true)).transpose()?,
            attributes: attributes
                .iter()
                .map(|a| {
                    Ok(Attribute { name: a.id.name.to_owned(), value: pieces(&a.value, true)? })
                })
                .collect::<Result<_, FieldsError>>()?,
        })
    }

    /// The same shape with every text emptied: where a missing translation
    /// starts (the placeables stay, as chips).
    pub fn emptied(&self) -> Self {
        fn empty(pieces: &[Piece]) -> Vec<Piece> {
            pieces
                .iter()
                .filter_map(|p| match p {
                    Piece::Text { .. } => None,
                    Piece::Chip { .. } => Some(p.clone()),
                    Piece::Select { selector, plural, variants } => Some(Piece::Select {
                        selector: selector.clone(),
                        plural: *plural,
                        variants: variants
                            .iter()
                            .map(|v| Variant { value: empty(&v.value), ..v.clone() })
                            .collect(),
                    }),
                })
                .collect()
        }
        Self {
            id: self.id.clone(),
            value: self.value.as_deref().map(empty),
            attributes: self
                .attributes
                .iter()
                .map(|a| Attribute { name: a.name.clone(), value: empty(&a.value) })
                .collect(),
        }
    }

    /// Plural choices given the categories of `lang` (its numeric keys
    /// kept): a field per category CLDR gives the language, `other` the
    /// default. A variant under a key the language lacks is kept, for the
    /// translator to move and delete (check flags it).
    pub fn for_language(mut self, lang: &str) -> Self {
        let categories = cldr::plural_categories(lang);
        let fix = |pieces: &mut Vec<Piece>| {
            for piece in pieces.iter_mut() {
                let Piece::Select { plural: true, variants, .. } = piece else { continue };
                let mut fixed: Vec<Variant> =
                    variants.iter().filter(|v| v.key.parse::<f64>().is_ok()).cloned().collect();
                for category in &categories {
                    let found = variants.iter().find(|v| v.key == *category);
                    fixed.push(Variant {
                        key: (*category).to_owned(),
                        default: false,
                        value: found.map(|v| v.value.clone()).unwrap_or_default(),
                    });
                }
                fixed.extend(
                    variants
                        .iter()
                        .filter(|v| {
                            v.key.parse::<f64>().is_err() && !categories.contains(&v.key.as_str())
                        })
                        .cloned(),
                );
                let default = fixed.iter().position(|v| v.key == "other").unwrap_or(0);
                for (i, variant) in fixed.iter_mut().enumerate() {
                    variant.default = i == default;
                }
                *variants = fixed;
            }
        };
        if let Some(value) = self.value.as_mut() {
            fix(value);
        }
        for attribute in &mut self.attributes {
            fix(&mut attribute.value);
        }
        self
    }

    /// The entry as Fluent source, ending in a newline. Every piece is
    /// checked: an id, a chip or a key that is not Fluent is an error, not
    /// broken output.
    pub fn to_source(&self) -> Result<String, FieldsError> {
        self.write()
    }

    fn write(&self) -> Result<String, FieldsError> {
        if !is_entry_id(&self.id) {
            return Err(FieldsError::BadId(self.id.clone()));
        }
        let mut out = format!("{} =", self.id);
        if let Some(value) = &self.value {
            write_pattern(&mut out, value, 1)?;
        }
        for attribute in &self.attributes {
            if !is_identifier(&attribute.name) {
                return Err(FieldsError::BadId(attribute.name.clone()));
            }
            out.push_str(&format!("\n    .{} =", attribute.name));
            write_pattern(&mut out, &attribute.value, 2)?;
        }
        out.push('\n');
        // What was written must read back as the same message.
        match Self::read(&out) {
            Ok(back) if back.id == self.id => Ok(out),
            _ => Err(FieldsError::NotOneEntry),
        }
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A message or term id (`release-title`, `-eu`).
pub fn is_entry_id(id: &str) -> bool {
    is_identifier(id.strip_prefix('-').unwrap_or(id))
}

/// A pattern's pieces; `top` when a choice may appear (not inside one).
fn pieces(pattern: &ast::Pattern<&str>, top: bool) -> Result<Vec<Piece>, FieldsError> {
    let mut out: Vec<Piece> = Vec::new();
    let push_text = |out: &mut Vec<Piece>, text: &str| match out.last_mut() {
        Some(Piece::Text { text: last }) => last.push_str(text),
        _ => out.push(Piece::Text { text: text.to_owned() }),
    };
    for element in &pattern.elements {
        match element {
            ast::PatternElement::TextElement { value } => push_text(&mut out, value),
            ast::PatternElement::Placeable { expression } => match expression {
                // A brace, or `[`, `*`, `.` starting a line, in a string
                // literal is how Fluent (and this editor's writer) escapes
                // a character: the translator's text. Any other string
                // literal stays as written, a chip, so that it reads back
                // as the same Fluent.
                ast::Expression::Inline(ast::InlineExpression::StringLiteral { value })
                    if is_escape(value, line_start(&out)) =>
                {
                    push_text(&mut out, value)
                }
                ast::Expression::Inline(inline) => {
                    out.push(Piece::Chip { expr: inline_source(inline) })
                }
                ast::Expression::Select { selector, variants } => {
                    if !top {
                        return Err(FieldsError::Nested);
                    }
                    let keys: Vec<String> = variants.iter().map(|v| key_source(&v.key)).collect();
                    let numeric = matches!(
                        selector,
                        ast::InlineExpression::VariableReference { .. }
                            | ast::InlineExpression::FunctionReference { .. }
                    );
                    let plural = numeric
                        && keys.iter().all(|k| {
                            k.parse::<f64>().is_ok()
                                || ["zero", "one", "two", "few", "many", "other"]
                                    .contains(&k.as_str())
                        })
                        && keys.iter().any(|k| k.parse::<f64>().is_err());
                    out.push(Piece::Select {
                        selector: inline_source(selector),
                        plural,
                        variants: variants
                            .iter()
                            .zip(keys)
                            .map(|(v, key)| {
                                Ok(Variant {
                                    key,
                                    default: v.default,
                                    value: pieces(&v.value, false)?,
                                })
                            })
                            .collect::<Result<_, FieldsError>>()?,
                    });
                }
            },
        }
    }
    Ok(out)
}

/// Whether the pieces so far end a line (so the next character starts one).
fn line_start(pieces: &[Piece]) -> bool {
    matches!(pieces.last(), Some(Piece::Text { text }) if text.ends_with('\n'))
}

/// Whether a string literal's raw value is the escape the writer makes of a
/// typed character at that place: a brace anywhere, `[`, `*` or `.` at the
/// start of a line.
fn is_escape(raw: &str, at_line_start: bool) -> bool {
    matches!(raw, "{" | "}") || (at_line_start && matches!(raw, "[" | "*" | "."))
}

fn key_source(key: &ast::VariantKey<&str>) -> String {
    match key {
        ast::VariantKey::Identifier { name } => (*name).to_owned(),
        ast::VariantKey::NumberLiteral { value } => (*value).to_owned(),
    }
}

/// An inline expression as Fluent writes it.
fn inline_source(expr: &ast::InlineExpression<&str>) -> String {
    use ast::InlineExpression as E;
    let attribute = |a: &Option<ast::Identifier<&str>>| {
        a.as_ref().map(|a| format!(".{}", a.name)).unwrap_or_default()
    };
    let call = |args: &ast::CallArguments<&str>| {
        let positional = args.positional.iter().map(inline_source);
        let named =
            args.named.iter().map(|n| format!("{}: {}", n.name.name, inline_source(&n.value)));
        format!("({})", positional.chain(named).collect::<Vec<_>>().join(", "))
    };
    match expr {
        E::StringLiteral { value } => format!("\"{value}\""),
        E::NumberLiteral { value } => (*value).to_owned(),
        E::FunctionReference { id, arguments } => format!("{}{}", id.name, call(arguments)),
        E::MessageReference { id, attribute: a } => format!("{}{}", id.name, attribute(a)),
        E::TermReference { id, attribute: a, arguments } => format!(
            "-{}{}{}",
            id.name,
            attribute(a),
            arguments.as_ref().map(call).unwrap_or_default()
        ),
        E::VariableReference { id } => format!("${}", id.name),
        // A placeable inside a placeable keeps its braces: `{ {1} }`.
        E::Placeable { expression } => match expression.as_ref() {
            ast::Expression::Inline(inner) => format!("{{{}}}", inline_source(inner)),
            ast::Expression::Select { .. } => String::new(),
        },
    }
}

/// Writes a pattern after `=`: one line of it on the same line; more on
/// indented lines below (`depth` levels of four), each line keeping its own
/// leading spaces — unless its first line starts with `[`, `*` or `.`, which
/// may stand unescaped only there, after `= `.
fn write_pattern(out: &mut String, pieces: &[Piece], depth: usize) -> Result<(), FieldsError> {
    let multiline = pieces.iter().any(|p| match p {
        Piece::Text { text } => text.trim_end().contains('\n'),
        Piece::Select { .. } => true,
        Piece::Chip { .. } => false,
    });
    let first_special = matches!(
        pieces.first(),
        Some(Piece::Text { text }) if text.starts_with(['[', '*', '.'])
    );
    let inline = !multiline || first_special;
    let mut body = String::new();
    write_pieces(&mut body, pieces, depth, inline)?;
    let body = body.trim_end_matches([' ', '\n']);
    if body.trim().is_empty() {
        // A value Fluent can hold although it prints nothing.
        out.push_str(" {\"\"}");
    } else if inline {
        out.push(' ');
        out.push_str(body.trim_start_matches(' '));
    } else {
        out.push('\n');
        out.push_str(&"    ".repeat(depth));
        out.push_str(body.trim_start_matches('\n'));
    }
    Ok(())
}

/// Pieces as Fluent; every line after the first is indented by `depth`
/// levels (blank lines stay empty); `inline` when the first line follows
/// `= ` or `] ` rather than starting a line of its own.
fn write_pieces(
    out: &mut String,
    pieces: &[Piece],
    depth: usize,
    inline: bool,
) -> Result<(), FieldsError> {
    let indent = "    ".repeat(depth);
    let start = out.len();
    for piece in pieces {
        match piece {
            Piece::Text { text } => {
                for (i, line) in text.split('\n').enumerate() {
                    if i > 0 {
                        out.push('\n');
                        if !line.trim().is_empty() {
                            out.push_str(&indent);
                        }
                    }
                    let at_line_start =
                        if out.len() == start { !inline } else { out.ends_with('\n') || (i > 0) };
                    write_text(out, line, at_line_start);
                }
            }
            Piece::Chip { expr } => {
                if !is_expression(expr) {
                    return Err(FieldsError::BadExpression(expr.clone()));
                }
                out.push_str(&format!("{{ {expr} }}"));
            }
            Piece::Select { selector, variants, .. } => {
                if !is_selector(selector) {
                    return Err(FieldsError::BadExpression(selector.clone()));
                }
                if variants.iter().filter(|v| v.default).count() != 1 {
                    return Err(FieldsError::Default);
                }
                out.push_str(&format!("{{ {selector} ->"));
                for variant in variants {
                    let key_ok = is_identifier(&variant.key) || variant.key.parse::<f64>().is_ok();
                    if !key_ok {
                        return Err(FieldsError::BadKey(variant.key.clone()));
                    }
                    let star = if variant.default { "*" } else { " " };
                    out.push_str(&format!("\n{indent}   {star}[{}] ", variant.key));
                    let mut value = String::new();
                    write_pieces(&mut value, &variant.value, depth + 2, true)?;
                    let value = value.trim_end_matches([' ', '\n']).trim_start_matches(' ');
                    out.push_str(if value.is_empty() { "{\"\"}" } else { value });
                }
                out.push_str(&format!("\n{indent}}}"));
            }
        }
    }
    Ok(())
}

/// Text with Fluent's special characters escaped: braces anywhere, and
/// `*`, `[`, `.` where they would start a line (a variant, an attribute).
fn write_text(out: &mut String, line: &str, at_line_start: bool) {
    for (i, c) in line.chars().enumerate() {
        match c {
            '{' | '}' => out.push_str(&format!("{{\"{c}\"}}")),
            '*' | '[' | '.' if i == 0 && at_line_start => out.push_str(&format!("{{\"{c}\"}}")),
            _ => out.push(c),
        }
    }
}

/// Whether `expr` is a placeable a chip may hold: parsed as Fluent reads it
/// (a placeable nested in it keeps its braces: `{1}`).
fn is_expression(expr: &str) -> bool {
    parses_as(&format!("probe = {{ {expr} }}\n"), expr)
}

/// Whether `expr` can choose between variants: what a placeable may hold,
/// and a term's attribute (`-term.case`), which only a selector may.
fn is_selector(expr: &str) -> bool {
    parses_as(&format!("probe = {{ {expr} ->\n   *[other] x\n}}\n"), expr)
}

/// Whether `probe`, built around `expr`, is one message and nothing else.
fn parses_as(probe: &str, expr: &str) -> bool {
    if expr.contains('\n') || expr.trim().is_empty() || expr.len() > 1000 {
        return false;
    }
    if super::nesting::too_deep(probe).is_some() {
        return false;
    }
    matches!(
        fluent_syntax::parser::parse(probe),
        Ok(resource) if resource.body.len() == 1 && matches!(resource.body[0], ast::Entry::Message(_))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(source: &str) -> String {
        Fields::parse(source).unwrap().to_source().unwrap()
    }

    #[test]
    fn plain_and_multiline_messages_read_back() {
        assert_eq!(round_trip("title = Hello { -eu }\n"), "title = Hello { -eu }\n");
        let body = "body =\n    First { $day } line.\n\n    Second paragraph.\n";
        assert_eq!(round_trip(body), body);
        let contact = "contact-press = Ms. A\n    .role = Press officer\n";
        assert_eq!(round_trip(contact), contact);
    }

    #[test]
    fn special_characters_are_escaped_not_broken() {
        let fields = Fields {
            id: "body".into(),
            value: Some(vec![Piece::Text { text: "a {b}\n* star\n[x] and .dot".into() }]),
            attributes: vec![],
        };
        let source = fields.to_source().unwrap();
        let back = Fields::parse(&source).unwrap();
        assert_eq!(back.value, fields.value, "{source}");
    }

    #[test]
    fn a_mistyped_chip_is_refused() {
        let fields = Fields {
            id: "title".into(),
            value: Some(vec![Piece::Chip { expr: "-eu }{".into() }]),
            attributes: vec![],
        };
        assert!(fields.to_source().is_err());
    }

    #[test]
    fn plural_fields_are_the_languages_categories() {
        let en = "n = { $count ->\n    [one] one day\n   *[other] { $count } days\n}\n";
        let fields = Fields::parse(en).unwrap().for_language("ru");
        let Some(Piece::Select { plural: true, variants, .. }) =
            &fields.value.as_ref().unwrap().first()
        else {
            panic!("{fields:?}")
        };
        let keys: Vec<&str> = variants.iter().map(|v| v.key.as_str()).collect();
        assert_eq!(keys, ["one", "few", "many", "other"]);
        assert!(variants[3].default);
        let tg = Fields::parse(en).unwrap().for_language("tg");
        let Some(Piece::Select { variants, .. }) = &tg.value.as_ref().unwrap().first() else {
            panic!()
        };
        assert_eq!(variants.iter().map(|v| v.key.as_str()).collect::<Vec<_>>(), ["one", "other"]);
        // Written back, it parses.
        Fields::parse(&fields.to_source().unwrap()).unwrap();
    }

    #[test]
    fn case_choices_keep_their_keys() {
        let ru = "-eu =\n    { $case ->\n       *[nom] Европейский союз\n        [gen] Европейского союза\n    }\n";
        let fields = Fields::parse(ru).unwrap().for_language("ru");
        let Some(Piece::Select { plural: false, variants, .. }) =
            fields.value.as_ref().unwrap().first()
        else {
            panic!("{fields:?}")
        };
        assert_eq!(variants.len(), 2);
        let back = Fields::parse(&fields.to_source().unwrap()).unwrap();
        assert_eq!(back, fields);
    }
}
