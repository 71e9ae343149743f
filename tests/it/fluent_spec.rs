//! The Fluent syntax specification's own fixtures (tests/fluent-spec/):
//! every valid entry, as the reference parser (fluent-syntax) reads it, must
//! come back the same through what the editor does with it — its extent in
//! the file, its fields and back, an unchanged save.

use fluent_syntax::ast;
use pressroom::diag::SourceFile;
use pressroom::l10n::fields::Fields;
use pressroom::l10n::ftl::{FtlFile, splice_entry};

fn fixtures() -> Vec<(String, String)> {
    let dir = crate::support::repo().join("tests/fluent-spec/fixtures");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// An entry without the comment attached to it (the editor edits the
/// entry; its comment stays in the file).
fn bare<'s>(entry: &ast::Entry<&'s str>) -> Option<(String, ast::Entry<&'s str>)> {
    match entry {
        ast::Entry::Message(m) => Some((
            m.id.name.to_owned(),
            ast::Entry::Message(ast::Message { comment: None, ..m.clone() }),
        )),
        ast::Entry::Term(t) => Some((
            format!("-{}", t.id.name),
            ast::Entry::Term(ast::Term { comment: None, ..t.clone() }),
        )),
        _ => None,
    }
}

/// The one message or term `source` holds, as the reference parser reads it
/// (without the comment attached to it).
fn only_entry(source: &str) -> Option<ast::Entry<&str>> {
    let resource = fluent_syntax::parser::parse(source).ok()?;
    let mut entries = resource.body.iter().filter(|e| !matches!(e, ast::Entry::Comment(_)));
    match (entries.next(), entries.next()) {
        (Some(entry), None) => bare(entry).map(|(_, entry)| entry),
        _ => None,
    }
}

#[test]
fn every_valid_entry_of_the_spec_fixtures_comes_back_the_same() {
    let mut checked = 0;
    let mut with_fields = 0;
    let mut failures = Vec::new();
    for (name, text) in fixtures() {
        let parsed = match fluent_syntax::parser::parse(text.as_str()) {
            Ok(resource) => resource,
            Err((resource, _)) => resource,
        };
        let (file, _) = FtlFile::parse(SourceFile::new(name.clone(), text.clone()));
        let mut seen = std::collections::BTreeSet::new();
        for entry in &parsed.body {
            let Some((id, entry)) = bare(entry) else { continue };
            // Defined twice: the editor edits the first.
            if !seen.insert(id.clone()) {
                continue;
            }
            checked += 1;
            let expected = entry;
            let Some(extent) = file.entry_text(&id) else {
                failures.push(format!("{name} {id}: the editor finds no entry"));
                continue;
            };
            // Its extent in the file is the whole entry, nothing more.
            if only_entry(extent) != Some(expected.clone()) {
                failures.push(format!("{name} {id}: extent {extent:?}"));
                continue;
            }
            // An unchanged save gives the same bytes.
            let start = file.entries.get(&id).map(|r| r.start);
            let saved = splice_entry(&text, start, extent);
            if saved != text {
                failures.push(format!("{name} {id}: an unchanged save changes the file"));
            }
            // Its fields, and back: the same entry (or the editor offers
            // the source, which is the entry itself).
            if let Ok(fields) = Fields::parse(extent) {
                with_fields += 1;
                match fields.to_source() {
                    Ok(back) if only_entry(&back) == Some(expected.clone()) => {}
                    Ok(back) => {
                        failures.push(format!("{name} {id}: fields give {back:?} for {extent:?}"))
                    }
                    Err(err) => failures.push(format!("{name} {id}: fields do not go back: {err}")),
                }
            }
        }
    }
    assert!(checked > 150, "{checked} entries");
    // Fields are offered for all but the entries they cannot write back as
    // they are (a choice inside a choice; a placeable in column 1 holding
    // the lines below at their indentation): those are edited as source.
    assert!(with_fields * 100 >= checked * 85, "fields for {with_fields} of {checked} entries");
    assert!(
        failures.is_empty(),
        "{} of {checked} entries do not come back:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
