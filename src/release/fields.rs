//! Reads a TOML file field by field so that every problem in it (syntax,
//! unknown keys, wrong types, missing fields) is reported in one run, each at
//! its own line and column.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};
use toml::value::Datetime;

use crate::diag::{Diagnostic, Diagnostics, SourceFile};

pub(crate) struct Fields<'a> {
    file: &'a SourceFile,
    table: DeTable<'a>,
    code: &'static str,
    pub diags: Diagnostics,
    /// Where the TOML itself is broken: values there are already reported.
    broken: Vec<Range<usize>>,
    /// A hint for missing fields: an example of the field.
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
        for err in errors {
            broken.extend(err.span());
            let mut d = Diagnostic::error(code, err.message().trim_end().to_owned());
            d = match err.span() {
                Some(span) => d.at(file, span),
                None => d.in_file(file.path.clone()),
            };
            diags.push(d.hint("this is not valid TOML; see https://toml.io for the syntax"));
        }
        Self { file, table: table.into_inner(), code, diags, broken, examples }
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

    fn missing(&mut self, key: &str) {
        let example = self.examples.iter().find(|(k, _)| *k == key).map(|(_, e)| *e);
        let mut d =
            Diagnostic::error(self.code, format!("missing field `{key}`")).at(self.file, 0..0);
        if let Some(example) = example {
            d = d.hint(format!("add it, for example: {example}"));
        }
        self.diags.push(d);
    }

    fn wrong_type(&mut self, key: &str, want: &str, value: &Spanned<DeValue<'_>>) {
        if self.is_broken(value) {
            return;
        }
        let found = type_name(value.get_ref());
        let example = self.examples.iter().find(|(k, _)| *k == key).map(|(_, e)| *e);
        let mut d = Diagnostic::error(self.code, format!("`{key}` must be {want}, not {found}"))
            .at(self.file, value.span());
        if let Some(example) = example {
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
            DeValue::String(s) => Some(Spanned::new(value.span(), s.to_string())),
            _ => {
                self.wrong_type(key, "a string in quotes", &value);
                None
            }
        }
    }

    pub fn strings(&mut self, key: &str) -> Option<Vec<Spanned<String>>> {
        let value = self.value(key, false)?;
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

    /// Reports keys that are not in `known`, suggesting the closest one.
    pub fn finish(mut self, known: &[&str]) -> Diagnostics {
        let unknown: Vec<(String, Range<usize>)> = self
            .table
            .iter()
            .filter(|(k, _)| !known.contains(&k.get_ref().as_ref()))
            .map(|(k, _)| (k.get_ref().to_string(), k.span()))
            .collect();
        for (key, span) in unknown {
            let mut d =
                Diagnostic::error(self.code, format!("unknown field `{key}`")).at(self.file, span);
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

/// The known key nearest to `key` by edit distance, if it is close.
fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(key, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(row[j]).min(cur) };
            prev = cur;
        }
    }
    row[b.len()]
}
