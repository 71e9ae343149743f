//! A translation file against its source-language file: what is missing,
//! obsolete or different, in words a translator understands.

use std::collections::BTreeSet;

use super::FtlFile;
use super::cldr::plural_categories;
use super::entries::{EntrySummary, Selection, summarize};
use crate::diag::{Diagnostic, Diagnostics};

const PLURAL_KEYS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// Entries defined twice in one file, reported at the second definition,
/// and attributes defined twice in one entry.
pub fn duplicates(file: &FtlFile, lang: &str) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for (id, summary) in summarize(file) {
        for attr in &summary.duplicate_attributes {
            diags.push(
                locate(
                    Diagnostic::error(
                        "fluent-duplicate",
                        format!("`{id}` defines the attribute `.{attr}` twice"),
                    ),
                    file,
                    &id,
                )
                .language(lang)
                .hint("only one of them is used; remove the other"),
            );
        }
    }
    for (id, span) in &file.duplicates {
        diags.push(
            Diagnostic::error("fluent-duplicate", format!("`{id}` is defined twice in this file"))
                .at(&file.source, span.clone())
                .language(lang)
                .hint("only the first definition is used; remove or rename this one"),
        );
    }
    diags
}

/// Plural selections lacking a variant for one of the language's CLDR
/// plural categories (`ru`: one, few, many; `tg`: one).
pub fn plural_variants(file: &FtlFile, lang: &str) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let categories = plural_categories(lang);
    for (id, summary) in summarize(file) {
        for selection in &summary.selections {
            if !is_plural(selection) {
                continue;
            }
            let missing: Vec<&str> = categories
                .iter()
                .copied()
                .filter(|c| !selection.keys.contains(*c) && *c != "other")
                .collect();
            if !missing.is_empty() {
                diags.push(
                    locate(
                        Diagnostic::warning(
                            "plural-variants",
                            format!(
                                "`{id}` selects on ${} but has no variant for: {}",
                                selection.variable,
                                missing.join(", ")
                            ),
                        ),
                        file,
                        &id,
                    )
                    .language(lang)
                    .hint(format!(
                        "{lang} uses the plural categories {} (CLDR); give each its own variant",
                        categories.join(", ")
                    )),
                );
            }
        }
    }
    diags
}

/// A select whose keys are plural categories (or numbers).
fn is_plural(selection: &Selection) -> bool {
    let mut plural_words = 0;
    for key in &selection.keys {
        if PLURAL_KEYS.contains(&key.as_str()) {
            plural_words += 1;
        } else if key.parse::<f64>().is_err() {
            return false;
        }
    }
    plural_words > 0
}

/// The translation `target` of `source`: missing and obsolete entries and
/// attributes, and variables and references used differently.
pub fn compare(source: &FtlFile, target: &FtlFile, lang: &str) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let theirs = summarize(source);
    let ours = summarize(target);
    let target_path = target.source.path.display().to_string();

    for (id, wanted) in &theirs {
        let Some(have) = ours.get(id) else {
            let what = if wanted.is_term { "term" } else { "message" };
            diags.push(
                locate(
                    Diagnostic::warning(
                        "missing-message",
                        format!("{what} `{id}` is not translated in {target_path}"),
                    ),
                    source,
                    id,
                )
                .language(lang)
                .hint(format!("add `{id} = …` to {target_path}")),
            );
            continue;
        };
        compare_entry(id, wanted, have, target, lang, &mut diags);
    }
    for id in ours.keys().filter(|id| !theirs.contains_key(*id)) {
        // A translation may define its own terms (case forms, say) and
        // write dates its own way.
        if id.starts_with('-') || super::dates::is_own_format(id) {
            continue;
        }
        diags.push(
            locate(
                Diagnostic::warning(
                    "obsolete-message",
                    format!("`{id}` is not in the source language any more"),
                ),
                target,
                id,
            )
            .language(lang)
            .hint("remove it, or check whether it was renamed in the source language"),
        );
    }
    diags
}

fn compare_entry(
    id: &str,
    wanted: &EntrySummary,
    have: &EntrySummary,
    target: &FtlFile,
    lang: &str,
    diags: &mut Diagnostics,
) {
    let mut finding = |code: &'static str, message: String, hint: &str| {
        diags
            .push(locate(Diagnostic::warning(code, message), target, id).language(lang).hint(hint));
    };
    if wanted.has_value && !have.has_value {
        finding(
            "missing-value",
            format!("`{id}` has no text, only attributes"),
            "add the text after `=`",
        );
    }
    for attr in wanted.attributes.difference(&have.attributes) {
        finding(
            "missing-attribute",
            format!("`{id}` lacks the attribute `.{attr}`"),
            "add it on an indented line below the message: .attr = …",
        );
    }
    for attr in have.attributes.difference(&wanted.attributes) {
        finding(
            "obsolete-attribute",
            format!("`{id}` has the attribute `.{attr}`, which the source language does not"),
            "remove it, or check whether it was renamed",
        );
    }
    // Terms take their own parameters (a case, say): only messages must use
    // the same variables.
    if !wanted.is_term {
        for var in wanted.variables.difference(&have.variables) {
            finding(
                "missing-variable",
                format!("`{id}` does not use ${var}, which the source language does"),
                "keep every { $variable } of the source text",
            );
        }
        for var in have.variables.difference(&wanted.variables) {
            finding(
                "obsolete-variable",
                format!("`{id}` uses ${var}, which the source language does not"),
                "a variable the source does not use has no value here",
            );
        }
    }
    if wanted.messages != have.messages {
        finding(
            "message-references",
            format!(
                "`{id}` refers to other messages ({}) differently from the source language ({})",
                listed(&have.messages),
                listed(&wanted.messages)
            ),
            "use the same { message } references as the source text",
        );
    }
    if wanted.terms != have.terms {
        finding(
            "term-references",
            format!(
                "`{id}` uses the terms ({}) where the source language uses ({})",
                listed(&have.terms),
                listed(&wanted.terms)
            ),
            "use the same { -term } references as the source text, with your language's forms",
        );
    }
}

/// `a, b, c`, or `none`.
fn listed(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        "none".to_owned()
    } else {
        set.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

/// Points a diagnostic at entry `id` of `file` (or at the file).
fn locate(diag: Diagnostic, file: &FtlFile, id: &str) -> Diagnostic {
    match file.span_of(id) {
        Some(span) => diag.at(&file.source, span),
        None => diag.in_file(file.source.path.clone()),
    }
}
