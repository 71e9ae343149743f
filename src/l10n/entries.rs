//! What each Fluent entry uses — attributes, variables, message and term
//! references, plural selections — so a translation can be compared with the
//! source language entry by entry.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast::{
    CallArguments, Entry, Expression, InlineExpression, Pattern, PatternElement, VariantKey,
};

use super::FtlFile;

/// A select expression on a variable: its variant keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub variable: String,
    pub keys: BTreeSet<String>,
    pub has_default: bool,
}

/// One message or term as far as comparison needs.
#[derive(Debug, Clone, Default)]
pub struct EntrySummary {
    pub is_term: bool,
    pub has_value: bool,
    pub attributes: BTreeSet<String>,
    /// Attributes defined more than once in the entry.
    pub duplicate_attributes: BTreeSet<String>,
    pub variables: BTreeSet<String>,
    pub messages: BTreeSet<String>,
    pub terms: BTreeSet<String>,
    pub selections: Vec<Selection>,
}

/// Every entry of a parsed file, by id (`title`, `-eu`).
pub fn summarize(file: &FtlFile) -> BTreeMap<String, EntrySummary> {
    let mut out = BTreeMap::new();
    for entry in file.resource.entries() {
        let (id, value, attributes, is_term) = match entry {
            Entry::Message(m) => (m.id.name.to_string(), m.value.as_ref(), &m.attributes, false),
            Entry::Term(t) => (format!("-{}", t.id.name), Some(&t.value), &t.attributes, true),
            _ => continue,
        };
        let mut summary =
            EntrySummary { is_term, has_value: value.is_some(), ..Default::default() };
        if let Some(value) = value {
            walk_pattern(value, &mut summary);
        }
        for attribute in attributes {
            if !summary.attributes.insert(attribute.id.name.to_string()) {
                summary.duplicate_attributes.insert(attribute.id.name.to_string());
            }
            walk_pattern(&attribute.value, &mut summary);
        }
        out.entry(id).or_insert(summary);
    }
    out
}

fn walk_pattern(pattern: &Pattern<&str>, out: &mut EntrySummary) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            walk_expression(expression, out);
        }
    }
}

fn walk_expression(expression: &Expression<&str>, out: &mut EntrySummary) {
    match expression {
        Expression::Inline(inline) => walk_inline(inline, out),
        Expression::Select { selector, variants } => {
            walk_inline(selector, out);
            if let InlineExpression::VariableReference { id } = selector {
                out.selections.push(Selection {
                    variable: id.name.to_string(),
                    keys: variants
                        .iter()
                        .map(|v| match &v.key {
                            VariantKey::Identifier { name } => name.to_string(),
                            VariantKey::NumberLiteral { value } => value.to_string(),
                        })
                        .collect(),
                    has_default: variants.iter().any(|v| v.default),
                });
            }
            for variant in variants {
                walk_pattern(&variant.value, out);
            }
        }
    }
}

fn walk_inline(inline: &InlineExpression<&str>, out: &mut EntrySummary) {
    match inline {
        InlineExpression::VariableReference { id } => {
            out.variables.insert(id.name.to_string());
        }
        InlineExpression::MessageReference { id, .. } => {
            out.messages.insert(id.name.to_string());
        }
        InlineExpression::TermReference { id, arguments, .. } => {
            out.terms.insert(format!("-{}", id.name));
            if let Some(arguments) = arguments {
                walk_arguments(arguments, out);
            }
        }
        InlineExpression::FunctionReference { arguments, .. } => walk_arguments(arguments, out),
        InlineExpression::Placeable { expression } => walk_expression(expression, out),
        InlineExpression::StringLiteral { .. } | InlineExpression::NumberLiteral { .. } => {}
    }
}

fn walk_arguments(arguments: &CallArguments<&str>, out: &mut EntrySummary) {
    for inline in &arguments.positional {
        walk_inline(inline, out);
    }
    for named in &arguments.named {
        walk_inline(&named.value, out);
    }
}
