//! The one way pressroom reads TOML (`pressroom.toml`, releases, the
//! translation state): field by field, so that every problem in a file
//! (syntax, unknown keys with a "did you mean", wrong types, missing fields)
//! is reported in one run, each at its own line and column.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};
use toml::value::Datetime;

use crate::diag::{Diagnostic, Diagnostics, SourceFile};

/// One table of a TOML file (the whole file, or a `[section]` of it).
pub struct Fields<'a> {
    file: &'a SourceFile,
    table: DeTable<'a>,
    /// `[office]`, `[contacts.press]`; empty for the file itself.
    name: String,
    /// Where the table starts: missing fields are reported there.
    at: Range<usize>,
    code: &'static str,
    diags: Diagnostics,
    /// Where the TOML itself is broken: values there are already reported.
    broken: Vec<Range<usize>>,
    /// A hint for missing fields and wrong types: an example of the field.
    examples: &'a [(&'a str, &'a str)],
}

impl<'a> Fields<'a> {
    pub fn parse(
        file: &'a SourceFile,
        code: &'static str,
        examples: &'a [(&'a str, &'a str)],
    ) -> Self {
        let (table, errors) = DeTable::parse_recoverable(&file.text);
        let mut diags = Diagnostics::default();
        let mut broken = Vec::new();
        // The first syntax error only: what the parser makes of the rest
        // (an unclosed list swallowing the file, say) is mostly its echo.
        // Nothing from there on is read as fields.
        if let Some(err) = errors.first() {
            let at = err.span().map_or(0, |s| s.start);
            broken.push(at..file.text.len().max(at + 1));
            let mut d = Diagnostic::error(code, err.message().trim_end().to_owned());
            d = match err.span() {
                Some(span) => d.at(file, span),
                None => d.in_file(file.path.clone()),
            };
            diags.push(d.hint("this is not valid TOML; see https://toml.io for the syntax"));
        }
        let table = table.into_inner();
        Self { file, table, name: String::new(), at: 0..0, code, diags, broken, examples }
    }

    /// The sub-table `key` (`[office]`), reporting a value of another type.
    pub fn table(&mut self, key: &str, required: bool) -> Option<Fields<'a>> {
        let value = self.value(key, required)?;
        let span = value.span();
        match value.into_inner() {
            DeValue::Table(table) => Some(Fields {
                file: self.file,
                table,
                name: self.path(key),
                at: span.start..span.start,
                code: self.code,
                diags: Diagnostics::default(),
                broken: self.broken.clone(),
                examples: self.examples,
            }),
            other => {
                self.wrong_type(key, "a table", &Spanned::new(span, other));
                None
            }
        }
    }

    /// Every key of this table (for tables whose keys are names the user
    /// chooses: `[contacts.<id>]`, `[date-locales]`).
    pub fn keys(&self) -> Vec<Spanned<String>> {
        self.table.keys().map(|k| Spanned::new(k.span(), k.get_ref().to_string())).collect()
    }

    /// Takes in the findings of a sub-table, once it is read.
    pub fn absorb(&mut self, diags: Diagnostics) {
        self.diags.extend(diags);
    }

    fn path(&self, key: &str) -> String {
        if self.name.is_empty() { key.to_owned() } else { format!("{}.{key}", self.name) }
    }

    fn get(&self, key: &str) -> Option<&Spanned<DeValue<'a>>> {
        self.table.iter().find(|(k, _)| k.get_ref() == key).map(|(_, v)| v)
    }

    /// Whether the value overlaps a syntax error (and so needs no more words).
    fn is_broken(&self, value: &Spanned<DeValue<'_>>) -> bool {
        let span = value.span();
        self.broken
            .iter()
            .any(|b| b.start < span.end.max(span.start + 1) && span.start < b.end.max(b.start + 1))
    }

    fn example(&self, key: &str) -> Option<&'a str> {
        let path = self.path(key);
        self.examples.iter().find(|(k, _)| *k == path).map(|(_, e)| *e)
    }

    fn missing(&mut self, key: &str) {
        // After a syntax error a field may be there, unreadable.
        if !self.broken.is_empty() {
            return;
        }
        let mut message = format!("missing field `{key}`");
        if !self.name.is_empty() {
            message.push_str(&format!(" in [{}]", self.name));
        }
        let mut d = Diagnostic::error(self.code, message).at(self.file, self.at.clone());
        if let Some(example) = self.example(key) {
            d = d.hint(format!("add it, for example: {example}"));
        }
        self.diags.push(d);
    }

    fn wrong_type(&mut self, key: &str, want: &str, value: &Spanned<DeValue<'_>>) {
        if self.is_broken(value) {
            return;
        }
        let found = type_name(value.get_ref());
        let mut d = Diagnostic::error(
            self.code,
            format!("`{}` must be {want}, not {found}", self.path(key)),
        )
        .at(self.file, value.span());
        if let Some(example) = self.example(key) {
            d = d.hint(format!("for example: {example}"));
        }
        self.diags.push(d);
    }

    /// The value of `key`, reporting it missing when `required`.
    fn value(&mut self, key: &str, required: bool) -> Option<Spanned<DeValue<'a>>> {
        let value = self.get(key).cloned();
        if value.is_none() && required {
            self.missing(key);
        }
        value
    }

    pub fn string(&mut self, key: &str, required: bool) -> Option<Spanned<String>> {
        let value = self.value(key, required)?;
        match value.get_ref() {
            _ if self.is_broken(&value) => None,
            DeValue::String(s) => Some(Spanned::new(value.span(), s.to_string())),
            _ => {
                self.wrong_type(key, "a string in quotes", &value);
                None
            }
        }
    }

    /// The value of `key` when it is a string; `None` (and no finding) when
    /// it is absent or something else, for a key that may also be a table.
    pub fn string_or_table(&mut self, key: &str) -> Option<Spanned<String>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::String(s) if !self.is_broken(value) => {
                Some(Spanned::new(value.span(), s.to_string()))
            }
            _ => None,
        }
    }

    /// A finding about a value this reader handed out.
    pub fn error_at(&mut self, span: Range<usize>, message: String, hint: Option<&str>) {
        let mut d = Diagnostic::error(self.code, message).at(self.file, span);
        if let Some(hint) = hint {
            d = d.hint(hint.to_owned());
        }
        self.diags.push(d);
    }

    pub fn strings(&mut self, key: &str, required: bool) -> Option<Vec<Spanned<String>>> {
        let value = self.value(key, required)?;
        if self.is_broken(&value) {
            return None;
        }
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, "a list of strings", &value);
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(Spanned::new(item.span(), s.to_string())),
                _ => self.wrong_type(key, "a list of strings", item),
            }
        }
        Some(out)
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, key: &str) -> Option<Spanned<bool>> {
        let value = self.value(key, false)?;
        match value.get_ref() {
            _ if self.is_broken(&value) => None,
            DeValue::Boolean(b) => Some(Spanned::new(value.span(), *b)),
            _ => {
                self.wrong_type(key, "true or false", &value);
                None
            }
        }
    }

    /// A whole number from 0 to `max`.
    pub fn count(&mut self, key: &str, max: u32) -> Option<Spanned<u32>> {
        let value = self.value(key, false)?;
        let want = format!("a whole number from 0 to {max}");
        match value.get_ref() {
            _ if self.is_broken(&value) => None,
            DeValue::Integer(n) => {
                let digits = n.as_str().replace('_', "");
                match u32::from_str_radix(&digits, n.radix()) {
                    Ok(n) if n <= max => Some(Spanned::new(value.span(), n)),
                    _ => {
                        self.wrong_type(key, &want, &value);
                        None
                    }
                }
            }
            _ => {
                self.wrong_type(key, &want, &value);
                None
            }
        }
    }

    pub fn datetime(&mut self, key: &str, required: bool) -> Option<Spanned<Datetime>> {
        let value = self.value(key, required)?;
        match value.get_ref() {
            _ if self.is_broken(&value) => None,
            DeValue::Datetime(dt) => Some(Spanned::new(value.span(), *dt)),
            _ => {
                self.wrong_type(key, "a TOML date (no quotes)", &value);
                None
            }
        }
    }

    /// Reports keys that are not in `known`, suggesting the closest one, and
    /// returns every finding about this table.
    pub fn finish(mut self, known: &[&str]) -> Diagnostics {
        let unknown: Vec<(String, Range<usize>)> = self
            .table
            .iter()
            .filter(|(k, _)| !known.contains(&k.get_ref().as_ref()))
            .filter(|(k, _)| !self.broken.iter().any(|b| b.contains(&k.span().start)))
            .map(|(k, _)| (k.get_ref().to_string(), k.span()))
            .collect();
        for (key, span) in unknown {
            let mut message = format!("unknown field `{key}`");
            if !self.name.is_empty() {
                message.push_str(&format!(" in [{}]", self.name));
            }
            let mut d = Diagnostic::error(self.code, message).at(self.file, span);
            d = match closest(&key, known) {
                Some(near) => d.hint(format!("did you mean `{near}`?")),
                None => d.hint(format!("the fields are: {}", known.join(", "))),
            };
            self.diags.push(d);
        }
        self.diags
    }
}

fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "a number",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// The known key nearest to `key`, if it is close enough to be a typo.
fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(key, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

/// A file pressroom writes itself, read with serde (the translation state):
/// its syntax errors located like any other.
pub fn parse_serde<T: serde::de::DeserializeOwned>(
    file: &SourceFile,
    code: &'static str,
) -> Result<T, Diagnostic> {
    toml::from_str(&file.text).map_err(|err| {
        let mut d = Diagnostic::error(code, err.message().trim_end().to_owned());
        d = match err.span() {
            Some(span) => d.at(file, span),
            None => d.in_file(file.path.clone()),
        };
        d
    })
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn typos_find_their_field() {
        let known = ["languages", "source-language", "office", "timestamp-url"];
        assert_eq!(closest("langauges", &known), Some("languages"));
        assert_eq!(closest("timestamp_url", &known), Some("timestamp-url"));
        assert_eq!(closest("colour", &known), None);
    }
}
