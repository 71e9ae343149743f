//! `pressroom check`: everything a build would find, and what a translator
//! needs to know, without writing a PDF. Every problem at once.

use crate::diag::{Diagnostic, Diagnostics};
use crate::document::{self, Sources};
use crate::l10n::catalog::FtlKey;
use crate::l10n::{Catalog, DateFormat, Localizer, compare, dates, typography};
use crate::project::Project;
use crate::release::Release;

pub fn check(project: &Project) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let ids = project.release_ids().unwrap_or_else(|found| {
        diags.extend(found);
        Vec::new()
    });
    let mut releases = Vec::new();
    for id in &ids {
        match Release::load(project, id) {
            Ok(release) => releases.push(release),
            Err(found) => diags.extend(found),
        }
    }
    let (catalog, found) = Catalog::load_and_record(project, &ids);
    diags.extend(found);

    let keys = FtlKey::all(&ids);
    // Files that do not parse: their syntax errors are reported; what the
    // parser made of them is no text to hold to the glossary.
    let unparsed: std::collections::BTreeSet<std::path::PathBuf> = diags
        .iter()
        .filter(|d| d.code == "fluent-syntax")
        .filter_map(|d| d.file_path().map(std::path::Path::to_path_buf))
        .collect();
    // Each translation's glossary (locales/<lang>/glossary.tbx), where it has one.
    let mut glossaries = std::collections::BTreeMap::new();
    for lang in &catalog.languages {
        if *lang == catalog.source_lang {
            continue;
        }
        match crate::review::glossary::Glossary::load(project, lang) {
            Ok(Some(glossary)) => {
                glossaries.insert(lang.as_str(), glossary);
            }
            Ok(None) => {}
            Err(diag) => diags.push(diag.language(lang)),
        }
    }
    for lang in &catalog.languages {
        for key in &keys {
            let tag = |d: Diagnostic| match key {
                FtlKey::Release(id) => d.language(lang).release(id.as_str()),
                FtlKey::Office => d.language(lang),
            };
            let source = catalog.file(&catalog.source_lang, key);
            let target = catalog.file(lang, key);
            if let Some(target) = target {
                diags.extend(retag(compare::duplicates(target, lang), &tag));
                diags.extend(retag(compare::plural_variants(target, lang), &tag));
                diags.extend(retag(typography::check(target, lang), &tag));
            }
            if *lang == catalog.source_lang {
                continue;
            }
            match (source, target) {
                (Some(source), Some(target)) => {
                    diags.extend(retag(compare::compare(source, target, lang), &tag));
                    for stale in catalog.stale(lang, key) {
                        let mut d = Diagnostic::warning(
                            "stale-translation",
                            format!("the translation of `{stale}` is stale: the source text changed since"),
                        )
                        .hint(format!(
                            "update it, or run `pressroom l10n accept {lang}{}` if it still says the same",
                            match key {
                                FtlKey::Release(id) => format!(" {id}"),
                                FtlKey::Office => String::new(),
                            }
                        ));
                        if let Some(span) = target.span_of(&stale) {
                            d = d.at(&target.source, span);
                        }
                        diags.push(tag(d));
                    }
                    // The release texts (office.ftl's terms decline by case:
                    // they are what the glossary checks releases against).
                    if let (Some(glossary), FtlKey::Release(_)) =
                        (glossaries.get(lang.as_str()), key)
                        && !unparsed.contains(&target.source.path)
                    {
                        for id in source.entries.keys() {
                            let (Some(english), Some(translation)) =
                                (source.entry_text(id), target.entry_text(id))
                            else {
                                continue;
                            };
                            let found = crate::review::glossary::diagnostics(
                                glossary,
                                english,
                                translation,
                                &target.source,
                                target.span_of(id),
                                id,
                            );
                            for d in found {
                                diags.push(tag(d));
                            }
                        }
                    }
                    if catalog.review.required {
                        let stale = catalog.stale(lang, key);
                        for id in catalog.unapproved(lang, key).difference(&stale) {
                            let mut d = Diagnostic::warning(
                                "unreviewed-translation",
                                format!("the translation of `{id}` is not approved yet: finals refuse it ([review] required)"),
                            )
                            .hint(format!(
                                "a reviewer of {lang} approves it in the editor, or runs `pressroom l10n approve {lang}{}`",
                                match key {
                                    FtlKey::Release(id) => format!(" {id}"),
                                    FtlKey::Office => String::new(),
                                }
                            ));
                            if let Some(span) = target.span_of(id) {
                                d = d.at(&target.source, span);
                            }
                            diags.push(tag(d));
                        }
                    }
                }
                (Some(source), None) => {
                    let path = project.relative(&key.path(project, lang));
                    let count = source.entries.keys().filter(|k| !k.starts_with('-')).count();
                    diags.push(tag(Diagnostic::warning(
                        "missing-file",
                        format!(
                            "{} does not exist: {count} message(s) to translate",
                            path.display()
                        ),
                    )
                    .in_file(path)
                    .hint(
                        "create it with the messages of the source language's file, translated",
                    )));
                }
                _ => {}
            }
        }
    }

    // Each language's own way of writing dates, tried on every month.
    for lang in &catalog.languages {
        let Ok(cldr) = DateFormat::new(&project.date_locale(lang)) else { continue };
        let office = catalog.file(lang, &FtlKey::Office).cloned();
        let (localizer, _) = Localizer::new(lang, office, None, Default::default());
        diags.extend(dates::check(&localizer, &cldr));
    }

    // Translation files with no source-language file: left over from a
    // renamed or removed release.
    for lang in catalog.languages.iter().filter(|l| **l != catalog.source_lang) {
        for path in ftl_files(&project.locale_dir(lang)) {
            let rel = path.strip_prefix(project.locale_dir(lang)).unwrap_or(&path);
            let key = rel.to_string_lossy().replace('\\', "/");
            let source = project.locale_dir(&catalog.source_lang).join(rel);
            if !source.is_file() {
                diags.push(
                    Diagnostic::warning(
                        "obsolete-file",
                        format!("{key} has no counterpart in the source language"),
                    )
                    .in_file(project.relative(&path))
                    .language(lang)
                    .hint("remove it, or check whether the release was renamed"),
                );
            }
        }
    }

    diags.extend(exposed_keys(project));

    // What a draft build would find: unknown terms and variables, markup
    // problems, places and kinds without a message.
    for release in &releases {
        for lang in &release.languages {
            let (localizers, _) = catalog.localizers(lang, &release.id);
            let (source, target) = (&localizers.source, localizers.target());
            let Ok(dates) = DateFormat::new(&project.date_locale(lang)) else { continue };
            let sources = Sources {
                project,
                release,
                target,
                source,
                draft: true,
                signed: None,
                marks: false,
                web: project.config.publish.base_url.is_some(),
            };
            match document::build(&sources, &dates) {
                Ok((_, warnings)) => diags.extend(warnings),
                Err(errors) => diags.extend(errors),
            }
        }
    }
    diags.dedup()
}

/// Private keys that `[signing]` names inside the project where git would
/// commit them: a key pushed to the office's repository is a key lost.
fn exposed_keys(project: &Project) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let Some(signing) = &project.config.signing else { return diags };
    if !project.root().join(".git").exists() {
        return diags;
    }
    for path in [&signing.key, &signing.pkcs12].into_iter().flatten() {
        let full = project.root().join(path);
        let inside = std::fs::canonicalize(&full).is_ok_and(|p| p.starts_with(project.root()));
        if !inside {
            continue;
        }
        // `git check-ignore` exits 0 when ignored, 1 when not; anything else
        // (no git here) says nothing either way.
        let ignored = std::process::Command::new("git")
            .arg("-C")
            .arg(project.root())
            .args(["check-ignore", "-q", "--"])
            .arg(path)
            .status()
            .map(|s| s.code());
        if ignored.ok().flatten() != Some(1) {
            continue;
        }
        let shown = path.display().to_string();
        let file = &project.config_file;
        let mut d = Diagnostic::warning(
            "key-exposed",
            format!("the private key `{shown}` is inside the project and git would commit it"),
        )
        .hint(format!(
            "keep it outside the repository (or on a token), or add `{shown}` to .gitignore"
        ));
        d = match file.text.find(&format!("\"{shown}\"")) {
            Some(at) => d.at(file, at..at + shown.len() + 2),
            None => d.in_file(file.path.clone()),
        };
        diags.push(d);
    }
    diags
}

fn retag(diags: Diagnostics, tag: &impl Fn(Diagnostic) -> Diagnostic) -> Diagnostics {
    diags.map(tag)
}

/// Every `.ftl` file under `dir`, sorted.
fn ftl_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(ftl_files(&path));
        } else if path.extension().is_some_and(|e| e == "ftl") {
            out.push(path);
        }
    }
    out.sort();
    out
}
