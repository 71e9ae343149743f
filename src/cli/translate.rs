//! The translators' and the press officer's text commands: `check`,
//! `status`, `l10n accept`, `l10n export`/`import` (XLIFF) and `new`.

use std::process::ExitCode;

use pressroom::date::Date;
use pressroom::diag::Diagnostic;
use pressroom::project::Project;

use super::Format;
use super::report::Reporter;

pub(super) fn parse_date(text: &str) -> Result<Date, Diagnostic> {
    let bad = || {
        Diagnostic::error("usage", format!("`{text}` is not a date"))
            .hint("write it as YYYY-MM-DD, e.g. --date 2015-03-11")
    };
    let value: toml::value::Datetime = text.parse().map_err(|_| bad())?;
    match (value.date, value.time) {
        (Some(d), None) => Ok(Date { year: d.year.into(), month: d.month, day: d.day }),
        _ => Err(bad()),
    }
}

pub(super) fn print_status(project: &Project, format: Format, reporter: &Reporter) -> ExitCode {
    let (rows, diags) = match pressroom::status::status_and_record(project) {
        Ok(found) => found,
        Err(diags) => return reporter.finish(&diags),
    };
    if format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&rows).unwrap_or_default());
        return reporter.finish(&diags);
    }
    let langs = project.languages();
    let source = project.source_language();
    let cell = |row: &pressroom::status::StatusRow| {
        if row.language == source {
            format!("source ({})", row.messages)
        } else {
            row.label(&source)
        }
    };
    let mut releases: Vec<&str> = Vec::new();
    for row in &rows {
        if !releases.contains(&row.release.as_str()) {
            releases.push(&row.release);
        }
    }
    let mut table: Vec<Vec<String>> =
        vec![std::iter::once("release".to_owned()).chain(langs.iter().cloned()).collect()];
    for release in &releases {
        let mut line = vec![release.to_string()];
        for lang in &langs {
            let row = rows.iter().find(|r| r.release == *release && r.language == *lang);
            line.push(row.map(cell).unwrap_or_default());
        }
        table.push(line);
    }
    let mut total = vec!["total".to_owned()];
    for lang in &langs {
        let of_lang = rows.iter().filter(|r| r.language == *lang);
        let sum = of_lang.fold(
            pressroom::status::StatusRow { language: lang.clone(), ..Default::default() },
            |mut sum, r| {
                sum.messages += r.messages;
                sum.missing += r.missing;
                sum.stale += r.stale;
                sum.unreviewed += r.unreviewed;
                sum
            },
        );
        total.push(if *lang == source {
            format!("{} messages", sum.messages)
        } else {
            sum.label(&source)
        });
    }
    table.push(total);
    let widths: Vec<usize> = (0..table[0].len())
        .map(|i| table.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for row in &table {
        let line: Vec<String> = row.iter().zip(&widths).map(|(c, w)| format!("{c:w$}")).collect();
        println!("{}", line.join("  ").trim_end());
    }
    reporter.finish(&diags)
}

/// The releases `ids` names (all when none) of translation language
/// `lang`, or the usage errors.
fn translation_releases(
    project: &Project,
    lang: &str,
    ids: &[String],
) -> Result<Vec<pressroom::names::ReleaseId>, pressroom::diag::Diagnostics> {
    translation_language(project, lang)?;
    project.select_releases(ids)
}

pub(super) fn accept(
    project: &Project,
    lang: &str,
    ids: &[String],
    reporter: &Reporter,
    quiet: bool,
) -> ExitCode {
    let selected = match translation_releases(project, lang, ids) {
        Ok(selected) => selected,
        Err(diags) => return reporter.finish(&diags),
    };
    let (mut catalog, diags) = pressroom::l10n::Catalog::load_and_record(project, &selected);
    match catalog.accept(project, lang, &selected, ids.is_empty()) {
        Ok(count) => {
            if !quiet {
                println!("accepted {count} stale translation(s) in {lang}");
            }
            reporter.finish(&diags)
        }
        Err(diag) => reporter.finish(&diag.into()),
    }
}

/// `l10n approve <lang> [ID…]`: every translated, current message of those
/// releases (and office.ftl when none is named) approved by the person
/// `git config user.name` says; with four eyes, never their own.
pub(super) fn approve(
    project: &Project,
    lang: &str,
    ids: &[String],
    reporter: &Reporter,
    quiet: bool,
) -> ExitCode {
    use pressroom::l10n::catalog::FtlKey;
    let selected = match translation_releases(project, lang, ids) {
        Ok(selected) => selected,
        Err(diags) => return reporter.finish(&diags),
    };
    let Some((me, _)) = pressroom::project::local_person(project.root()) else {
        let diag = Diagnostic::error("usage", "who is approving? git has no user.name here")
            .hint("set it: git config user.name \"Your Name\"");
        return reporter.finish(&diag.into());
    };
    let mut keys: Vec<FtlKey> = selected.iter().cloned().map(FtlKey::Release).collect();
    if ids.is_empty() {
        keys.insert(0, FtlKey::Office);
    }
    let (mut catalog, mut diags) = pressroom::l10n::Catalog::load_and_record(project, &selected);
    match catalog.approve(project, lang, &keys, None, &me) {
        Ok(done) => {
            for (key, why) in &done.refused {
                let file = project.relative(&key.path(project, lang));
                diags.push(
                    Diagnostic::error("not-approved", why.to_string()).in_file(file).language(lang),
                );
            }
            if !quiet {
                println!("approved {} translation(s) in {lang} as {}", done.approved.len(), me);
            }
            reporter.finish(&diags)
        }
        Err(diag) => reporter.finish(&diag.into()),
    }
}

pub(super) fn check(project: &Project, format: Format, reporter: &Reporter) -> ExitCode {
    let diags = pressroom::check::check(project);
    if format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&diags.views()).unwrap_or_default());
        return super::report::exit_code(&diags);
    }
    let diags = diags.merge_languages();
    let (errors, warnings) =
        diags.iter().fold((0, 0), |(e, w), d| if d.is_error() { (e + 1, w) } else { (e, w + 1) });
    let code = reporter.finish(&diags);
    if !reporter.quiet {
        eprintln!("check: {errors} error(s), {warnings} warning(s)");
    }
    code
}

pub(super) fn new(
    project: &Project,
    slug: &str,
    date: Date,
    reporter: &Reporter,
    quiet: bool,
) -> ExitCode {
    match pressroom::scaffold::new_release(project, slug, date) {
        Ok(written) => {
            for path in written {
                if !quiet {
                    println!("created {}", path.display());
                }
            }
            ExitCode::SUCCESS
        }
        Err(diags) => reporter.finish(&diags),
    }
}

pub(super) fn add_language(
    project: &Project,
    tag: &str,
    reporter: &Reporter,
    quiet: bool,
) -> ExitCode {
    match pressroom::scaffold::add_language(project, tag) {
        Ok(added) => {
            if !quiet {
                for path in &added.written {
                    println!("wrote {}", path.display());
                }
            }
            reporter.finish(&added.warnings)
        }
        Err(diags) => reporter.finish(&diags),
    }
}

/// A translation language of this office, or a usage error.
fn translation_language(project: &Project, lang: &str) -> Result<(), Diagnostic> {
    let source = project.source_language();
    if lang != source && project.languages().iter().any(|l| l == lang) {
        return Ok(());
    }
    let translations: Vec<String> =
        project.languages().into_iter().filter(|l| *l != source).collect();
    Err(Diagnostic::error(
        "usage",
        format!("`{lang}` is not a translation language of this office"),
    )
    .hint(format!("translations: {}", translations.join(", "))))
}

pub(super) fn export(
    project: &Project,
    lang: &str,
    ids: &[String],
    out: Option<&std::path::Path>,
    all: bool,
    reporter: &Reporter,
) -> ExitCode {
    if let Err(diag) = translation_language(project, lang) {
        return reporter.finish(&diag.into());
    }
    let selected = match project.select_releases(ids) {
        Ok(selected) => selected,
        Err(diags) => return reporter.finish(&diags),
    };
    let exported = match pressroom::l10n::xliff::export(project, lang, &selected, all) {
        Ok(exported) => exported,
        Err(diags) => return reporter.finish(&diags),
    };
    match out {
        Some(path) => {
            if let Err(err) = pressroom::atomic::write_atomic(path, exported.xliff.as_bytes()) {
                let diag = Diagnostic::error("write", format!("cannot write: {err}")).in_file(path);
                return reporter.finish(&diag.into());
            }
            if !reporter.quiet {
                eprintln!(
                    "exported {} unit(s) to {}: {} missing, {} stale, {} translated",
                    exported.missing + exported.stale + exported.translated,
                    path.display(),
                    exported.missing,
                    exported.stale,
                    exported.translated
                );
            }
        }
        None => print!("{}", exported.xliff),
    }
    ExitCode::SUCCESS
}

pub(super) fn import(project: &Project, file: &std::path::Path, reporter: &Reporter) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => pressroom::project::without_bom(text),
        Err(err) => {
            let diag = Diagnostic::error("usage", format!("cannot read: {err}")).in_file(file);
            return reporter.finish(&diag.into());
        }
    };
    let imported = pressroom::l10n::xliff::import(project, file, text);
    let mut diags = imported.diagnostics;
    if !imported.files.is_empty() {
        // Written like an edit: the translation state records the new text,
        // and the changed files are checked as `check` would.
        let changed: Vec<std::path::PathBuf> =
            imported.files.iter().map(|p| project.relative(p)).collect();
        let found = pressroom::check::check(project);
        for d in found {
            if d.file_path().is_some_and(|f| changed.iter().any(|c| c == f)) {
                diags.push(d);
            }
        }
    }
    let code = reporter.finish(&diags);
    if !reporter.quiet {
        eprintln!(
            "imported {} unit(s) into {} file(s); {} already so, {} untranslated, {} refused",
            imported.written,
            imported.files.len(),
            imported.unchanged,
            imported.empty,
            diags.iter().filter(|d| d.code == "xliff").count()
        );
    }
    code
}

/// `l10n tmx-export <lang>`: the language's memory (the archive's current
/// translations, paragraph by paragraph, and what was imported) as TMX.
pub(super) fn tmx_export(
    project: &Project,
    lang: &str,
    out: Option<&std::path::Path>,
    reporter: &Reporter,
) -> ExitCode {
    use pressroom::review::memory::{Memory, to_tmx};
    if let Err(diag) = translation_language(project, lang) {
        return reporter.finish(&diag.into());
    }
    let units: Vec<_> = Memory::build(project, lang).units().collect();
    let tmx = to_tmx(units.iter(), lang);
    write_export(out, &tmx, &format!("{} unit(s)", units.len()), reporter)
}

/// An export to `out` (atomically), or to standard output.
fn write_export(
    out: Option<&std::path::Path>,
    text: &str,
    what: &str,
    reporter: &Reporter,
) -> ExitCode {
    match out {
        Some(path) => {
            if let Err(err) = pressroom::atomic::write_atomic(path, text.as_bytes()) {
                let diag =
                    Diagnostic::error("io", format!("cannot write {}: {err}", path.display()));
                return reporter.finish(&diag.into());
            }
            if !reporter.quiet {
                eprintln!("wrote {what} to {}", path.display());
            }
        }
        None => print!("{text}"),
    }
    reporter.finish(&Default::default())
}

/// A file to import into `lang`'s folder, read whole, once `lang` is known
/// to be a translation language.
fn read_import(
    project: &Project,
    lang: &str,
    file: &std::path::Path,
) -> Result<String, Diagnostic> {
    translation_language(project, lang)?;
    std::fs::read_to_string(file)
        .map_err(|err| Diagnostic::error("io", format!("cannot read: {err}")).in_file(file))
}

/// What an import made of a file in the language's folder, written atomically.
fn write_import(project: &Project, target: &std::path::Path, text: &str) -> Result<(), Diagnostic> {
    pressroom::atomic::write_atomic(target, text.as_bytes()).map_err(|err| {
        Diagnostic::error("io", format!("cannot write: {err}")).in_file(project.relative(target))
    })
}

/// `l10n tmx-import <lang> FILE`: the file's English–`lang` units added to
/// `locales/<lang>/memory.tmx` (the units already there kept, none twice).
pub(super) fn tmx_import(
    project: &Project,
    lang: &str,
    file: &std::path::Path,
    reporter: &Reporter,
    quiet: bool,
) -> ExitCode {
    use pressroom::review::memory::{IMPORTED, parse_tmx, to_tmx};
    let text = match read_import(project, lang, file) {
        Ok(text) => text,
        Err(diag) => return reporter.finish(&diag.into()),
    };
    let new = match parse_tmx(&text, lang) {
        Ok(units) if !units.is_empty() => units,
        Ok(_) => {
            let diag = Diagnostic::error("tmx", format!("no English–{lang} unit in it"))
                .in_file(file)
                .hint("a unit needs a <tuv xml:lang=\"en\"> and one in the language, each with a <seg>");
            return reporter.finish(&diag.into());
        }
        Err(why) => return reporter.finish(&Diagnostic::error("tmx", why).in_file(file).into()),
    };
    let target = project.locale_dir(lang).join(IMPORTED);
    let mut units = std::fs::read_to_string(&target)
        .ok()
        .and_then(|t| parse_tmx(&t, lang).ok())
        .unwrap_or_default();
    let before = units.len();
    for unit in new {
        if !units.iter().any(|u| u.source == unit.source && u.target == unit.target) {
            units.push(unit);
        }
    }
    if let Err(diag) = write_import(project, &target, &to_tmx(units.iter(), lang)) {
        return reporter.finish(&diag.into());
    }
    if !quiet {
        println!(
            "imported {} unit(s) into {}",
            units.len() - before,
            project.relative(&target).display()
        );
    }
    reporter.finish(&Default::default())
}

/// `l10n tbx-export <lang>`: the language's glossary as TBX-Basic.
pub(super) fn tbx_export(
    project: &Project,
    lang: &str,
    out: Option<&std::path::Path>,
    reporter: &Reporter,
) -> ExitCode {
    use pressroom::review::glossary::Glossary;
    if let Err(diag) = translation_language(project, lang) {
        return reporter.finish(&diag.into());
    }
    let glossary = match Glossary::load_or_new(project, lang) {
        Ok(glossary) => glossary,
        Err(diag) => return reporter.finish(&diag.into()),
    };
    let what = format!("{} term(s)", glossary.entries.len());
    write_export(out, &glossary.to_tbx(), &what, reporter)
}

/// `l10n tbx-import <lang> FILE`: an agency's English–`lang` terms added
/// to `locales/<lang>/glossary.tbx` (what is there kept as it is).
pub(super) fn tbx_import(
    project: &Project,
    lang: &str,
    file: &std::path::Path,
    reporter: &Reporter,
    quiet: bool,
) -> ExitCode {
    use pressroom::review::glossary::{FILE, Glossary};
    let text = match read_import(project, lang, file) {
        Ok(text) => text,
        Err(diag) => return reporter.finish(&diag.into()),
    };
    let theirs = match Glossary::parse(&text, lang) {
        Ok(g) if g.entries.iter().any(|e| !e.required.is_empty() || !e.forbidden.is_empty()) => g,
        Ok(_) => {
            let diag = Diagnostic::error("glossary", format!("no English–{lang} term in it"))
                .in_file(file)
                .hint(format!(
                    "a term entry needs a <langSet xml:lang=\"en\"> and one in {lang}, each with a <term>"
                ));
            return reporter.finish(&diag.into());
        }
        Err(why) => {
            return reporter.finish(&Diagnostic::error("glossary", why).in_file(file).into());
        }
    };
    let mut ours = match Glossary::load_or_new(project, lang) {
        Ok(glossary) => glossary,
        Err(diag) => return reporter.finish(&diag.into()),
    };
    let target = project.locale_dir(lang).join(FILE);
    // Written back, the glossary keeps only what pressroom reads: what else
    // an office put in it is never dropped unasked.
    if !ours.unkept.is_empty() {
        let held = ours.unkept.iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", ");
        let diag = Diagnostic::error(
            "glossary",
            format!("it holds what pressroom does not keep ({held}): importing would drop it"),
        )
        .in_file(project.relative(&target))
        .hint("merge the agency's file in a terminology tool instead; nothing was written");
        return reporter.finish(&diag.into());
    }
    let merged = ours.merge(theirs);
    if let Err(diag) = write_import(project, &target, &ours.to_tbx()) {
        return reporter.finish(&diag.into());
    }
    if !quiet {
        println!(
            "imported {} term(s) and {} rendering(s) of known terms into {}",
            merged.terms,
            merged.renderings,
            project.relative(&target).display()
        );
    }
    reporter.finish(&Default::default())
}
