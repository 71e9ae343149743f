//! Arguments and reporting for each subcommand.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use pressroom::build::{self, BuildOptions};
use pressroom::date::{Date, Timestamp};
use pressroom::diag::{Diagnostic, Diagnostics};
use pressroom::pipeline::{Mode, Settings, Signing};
use pressroom::project::Project;

#[derive(Debug, Parser)]
#[command(
    name = "pressroom",
    version,
    about = "Signed, multilingual letterhead PDFs from a press office's sources"
)]
pub struct Cli {
    /// The project root (default: the nearest folder upward holding pressroom.toml).
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Print only errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Print more detail.
    #[arg(short, long, global = true)]
    verbose: bool,
    /// When to colour the output.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum L10nCommand {
    /// Mark a language's stale translations up to date as they are (you checked them).
    Accept {
        /// The language, e.g. ru.
        lang: String,
        /// Only these releases (default: every release and office.ftl).
        ids: Vec<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build all releases (or the named ones) in all their languages.
    Build {
        /// Release ids (the stems of releases/<id>.toml).
        ids: Vec<String>,
        /// Only these languages.
        #[arg(long = "lang", value_name = "L")]
        languages: Vec<String>,
        /// Build even with missing translations: the source text stands in, marked, under a DRAFT mark.
        #[arg(long)]
        draft: bool,
        /// Write the PDFs here instead of out/.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Also write the document model each layout reads, as <id>.<lang>.json (for layout authors).
        #[arg(long)]
        emit_model: bool,
        /// Sign each PDF (PAdES B-B) with the key named in [signing]; finals only.
        #[arg(long, conflicts_with = "draft")]
        sign: bool,
        /// Rebuild even the PDFs that are up to date.
        #[arg(long)]
        force: bool,
    },
    /// Build drafts, then rebuild what each saved change touches, until Ctrl-C.
    Watch {
        /// Release ids (default: all, including ones added while watching).
        ids: Vec<String>,
        /// Only these languages.
        #[arg(long = "lang", value_name = "L")]
        languages: Vec<String>,
        /// Write the PDFs here instead of out/.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Poll for changes instead of using the system's notifications.
        #[arg(long)]
        poll: bool,
    },
    /// Preview drafts in a browser, languages side by side, updated on every save.
    Serve {
        /// Release ids (default: all, including ones added while serving).
        ids: Vec<String>,
        /// Show only these languages beside the source language.
        #[arg(long = "lang", value_name = "L")]
        languages: Vec<String>,
        /// The port on 127.0.0.1 (default: the first free from 3000; 0: any free port).
        #[arg(long, value_name = "N")]
        port: Option<u16>,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
        /// Write the draft PDFs here instead of out/.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Poll for changes instead of using the system's notifications.
        #[arg(long)]
        poll: bool,
    },
    /// Validate everything without writing PDFs: every problem at once.
    Check {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Translation progress: a row per release, a column per language.
    Status {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Translators' tools.
    L10n {
        #[command(subcommand)]
        command: L10nCommand,
    },
    /// Scaffold a release: its TOML, its source-language text and empty stubs for the other languages.
    New {
        /// A short title: lowercase letters, digits and `-`; the id becomes <date>-<slug>.
        slug: String,
        /// The release date, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// Sign existing PDFs in place (PAdES B-B), with the key named in [signing].
    Sign {
        #[arg(required = true)]
        pdfs: Vec<PathBuf>,
    },
    /// Check signed PDFs: signer, time, integrity, coverage, trust.
    Verify {
        #[arg(required = true)]
        pdfs: Vec<PathBuf>,
        /// A trusted certificate (PEM or DER); repeat for several.
        #[arg(long, value_name = "CERT")]
        trust: Vec<PathBuf>,
    },
    /// The fonts in use and which languages' letters each covers.
    Fonts {
        /// List every available font, not only those the outputs use.
        #[arg(long)]
        all: bool,
    },
}

pub fn run(cli: Cli) -> ExitCode {
    let color = match cli.color {
        Color::Always => ColorChoice::Always,
        Color::Never => ColorChoice::Never,
        Color::Auto if std::io::stderr().is_terminal() => ColorChoice::Auto,
        Color::Auto => ColorChoice::Never,
    };
    let reporter = Reporter { color, quiet: cli.quiet };
    // verify needs no project: anyone may check a PDF they received.
    if let Command::Verify { pdfs, trust } = &cli.command {
        return verify(pdfs, trust, &reporter);
    }
    let project = match cli.root {
        Some(root) => Project::open(&root),
        None => Project::discover(&std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))),
    };
    let project = match project {
        Ok(project) => project,
        Err(diags) => return reporter.finish(&diags),
    };
    match cli.command {
        Command::Build { ids, languages, draft, out, emit_model, sign, force } => {
            let source_date_epoch = match pressroom::date::source_date_epoch() {
                Ok(epoch) => epoch.map(|t| t.0),
                Err(diag) => return reporter.finish(&diag.into()),
            };
            let mode = if draft { Mode::Draft } else { Mode::Final };
            let signing = match sign.then(|| load_signer(&project)).transpose() {
                Ok(signing) => signing,
                Err(diag) => return reporter.finish(&diag.into()),
            };
            let options = BuildOptions {
                releases: ids,
                languages,
                out,
                emit_model,
                force,
                settings: Settings { mode, source_date_epoch, signing },
            };
            let quiet = cli.quiet;
            let mut events = BuildProgress::new(project.root(), quiet);
            let result = build::build(&project, &options, &mut events);
            events.done();
            match result {
                Ok(report) => {
                    if !quiet && report.skipped > 0 {
                        println!("{} PDF(s) up to date", report.skipped);
                    }
                    reporter.finish(&report.diagnostics)
                }
                Err(diags) => reporter.finish(&diags),
            }
        }
        Command::Fonts { all } => print_fonts(&project, all, &reporter),
        Command::Sign { pdfs } => sign(&project, &pdfs, &reporter, cli.quiet),
        Command::Verify { .. } => unreachable!("handled before the project is opened"),
        Command::Check { format } => {
            let diags = pressroom::check::check(&project);
            if format == Format::Json {
                println!("{}", serde_json::to_string_pretty(&diags.to_json()).unwrap_or_default());
                return if diags.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS };
            }
            let diags = diags.merge_languages();
            let (errors, warnings) = diags
                .iter()
                .fold((0, 0), |(e, w), d| if d.is_error() { (e + 1, w) } else { (e, w + 1) });
            let code = reporter.finish(&diags);
            if !cli.quiet {
                eprintln!("check: {errors} error(s), {warnings} warning(s)");
            }
            code
        }
        Command::Status { format } => print_status(&project, format, &reporter),
        Command::Watch { ids, languages, out, poll } => {
            let options = pressroom::watch::WatchOptions {
                releases: ids,
                languages,
                out,
                poll,
                images: false,
            };
            watch(&project, options, &reporter, cli.quiet)
        }
        Command::Serve { ids, languages, port, open, out, poll } => {
            let options =
                pressroom::serve::ServeOptions { releases: ids, languages, port, out, poll };
            serve(&project, options, open, &reporter, cli.quiet)
        }
        Command::L10n { command: L10nCommand::Accept { lang, ids } } => {
            accept(&project, &lang, &ids, &reporter, cli.quiet)
        }
        Command::New { slug, date } => {
            let date = match date.as_deref().map(parse_date).transpose() {
                Ok(date) => date.unwrap_or_else(|| Timestamp::clock().date()),
                Err(diag) => return reporter.finish(&diag.into()),
            };
            match pressroom::scaffold::new_release(&project, &slug, date) {
                Ok(written) => {
                    for path in written {
                        if !cli.quiet {
                            println!("created {}", path.display());
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(diags) => reporter.finish(&diags),
            }
        }
    }
}

/// Stops a long-running command on Ctrl-C.
fn ctrl_c() -> Result<std::sync::mpsc::Receiver<()>, Diagnostic> {
    let (stop_tx, stop) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .map_err(|err| Diagnostic::error("watch", format!("cannot catch Ctrl-C: {err}")))?;
    Ok(stop)
}

/// Prints what the watcher reports, a line per event.
fn print_report(
    report: pressroom::watch::Report,
    root: &std::path::Path,
    reporter: &Reporter,
    quiet: bool,
) {
    use pressroom::watch::Report;
    let shown =
        |path: &std::path::Path| path.strip_prefix(root).unwrap_or(path).display().to_string();
    match report {
        Report::Built { output, took, .. } => {
            if !quiet {
                println!("built {} in {} ms", shown(&output.path), took.as_millis());
            }
        }
        Report::Failed { release, lang, took, diagnostics } => {
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            println!(
                "failed {release}.{lang} in {} ms: {errors} error(s), the previous PDF is kept",
                took.as_millis()
            );
            reporter.print(&diagnostics);
        }
        Report::Problems(diagnostics) => reporter.print(&diagnostics),
        Report::Watching { outputs } => {
            if !quiet {
                println!("watching {outputs} output(s); Ctrl-C to stop");
            }
        }
        Report::Settled => {}
    }
}

fn watch(
    project: &Project,
    options: pressroom::watch::WatchOptions,
    reporter: &Reporter,
    quiet: bool,
) -> ExitCode {
    let stop = match ctrl_c() {
        Ok(stop) => stop,
        Err(diag) => return reporter.finish(&diag.into()),
    };
    let root = project.root().to_path_buf();
    let result = pressroom::watch::run(project.clone(), options, stop, |report| {
        print_report(report, &root, reporter, quiet)
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(diags) => reporter.finish(&diags),
    }
}

fn serve(
    project: &Project,
    options: pressroom::serve::ServeOptions,
    open: bool,
    reporter: &Reporter,
    quiet: bool,
) -> ExitCode {
    let stop = match ctrl_c() {
        Ok(stop) => stop,
        Err(diag) => return reporter.finish(&diag.into()),
    };
    let root = project.root().to_path_buf();
    let ready = |url: &str| {
        // Printed even with -q: it is what the command is for.
        println!("serving {url} (127.0.0.1 only); Ctrl-C to stop");
        if open && let Err(err) = ::open::that_detached(url) {
            eprintln!("warning: cannot open a browser ({err}); open {url} yourself");
        }
    };
    let result = pressroom::serve::run(project.clone(), options, stop, ready, |report| {
        print_report(report, &root, reporter, quiet)
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(diags) => reporter.finish(&diags),
    }
}

/// A progress bar for builds of many outputs on a terminal; a line per
/// written PDF otherwise.
struct BuildProgress {
    root: PathBuf,
    quiet: bool,
    bar: Option<indicatif::ProgressBar>,
}

impl BuildProgress {
    fn new(root: &std::path::Path, quiet: bool) -> Self {
        Self { root: root.to_path_buf(), quiet, bar: None }
    }

    fn done(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl build::BuildEvents for BuildProgress {
    fn planned(&mut self, to_build: usize, _up_to_date: usize) {
        if !self.quiet && to_build > 6 && std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(to_build as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} PDFs  {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            self.bar = Some(bar);
        }
    }

    fn wrote(&mut self, output: &build::Output) {
        let shown = output.path.strip_prefix(&self.root).unwrap_or(&output.path);
        match &self.bar {
            Some(bar) => {
                bar.inc(1);
                bar.set_message(shown.display().to_string());
            }
            None if !self.quiet => {
                let pages = if output.pages == 1 { "page" } else { "pages" };
                println!("wrote {} ({} {pages})", shown.display(), output.pages);
            }
            None => {}
        }
    }
}

/// The signer of `[signing]`, the signing time for /M and the date shown.
fn load_signer(project: &Project) -> Result<Signing, Diagnostic> {
    use pressroom::sign::{PASSPHRASE_VAR, SignError};
    let mut passphrase = || -> Result<String, SignError> {
        if let Ok(value) = std::env::var(PASSPHRASE_VAR) {
            return Ok(value);
        }
        if std::io::stdin().is_terminal() {
            return rpassword::prompt_password("passphrase of the signing key: ")
                .map_err(|_| SignError::NoPassphrase);
        }
        Err(SignError::NoPassphrase)
    };
    let now = Timestamp::now()?;
    let signer = pressroom::sign::load_signer(project, &mut passphrase, now.0)
        .map_err(|e| e.to_diagnostic())?;
    Ok(Signing { signer: std::sync::Arc::new(signer), time: now.pdf_date(), date: now.date() })
}

fn sign(project: &Project, pdfs: &[PathBuf], reporter: &Reporter, quiet: bool) -> ExitCode {
    let Signing { signer, time: when, .. } = match load_signer(project) {
        Ok(found) => found,
        Err(diag) => return reporter.finish(&diag.into()),
    };
    let mut diags = Diagnostics::default();
    for path in pdfs {
        let result = std::fs::read(path)
            .map_err(|e| Diagnostic::error("sign", format!("cannot read: {e}")).in_file(path))
            .and_then(|bytes| {
                pressroom::sign::sign_pdf(&bytes, &signer, &when)
                    .map_err(|e| e.to_diagnostic().in_file(path))
            })
            .and_then(|signed| {
                pressroom::atomic::replace_keeping_mode(path, &signed).map_err(|e| {
                    Diagnostic::error("sign", format!("cannot write: {e}")).in_file(path)
                })
            });
        match result {
            Ok(()) if !quiet => println!("signed {}", path.display()),
            Ok(()) => {}
            Err(diag) => diags.push(diag),
        }
    }
    reporter.finish(&diags)
}

fn verify(pdfs: &[PathBuf], trust: &[PathBuf], reporter: &Reporter) -> ExitCode {
    let mut anchors = Vec::new();
    for path in trust {
        match pressroom::sign::read_certificate(path) {
            Ok(cert) => anchors.push(cert),
            Err(e) => return reporter.finish(&e.to_diagnostic().in_file(path).into()),
        }
    }
    let mut all_good = true;
    for path in pdfs {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                reporter.print(
                    &Diagnostic::error("verify", format!("cannot read: {e}")).in_file(path).into(),
                );
                all_good = false;
                continue;
            }
        };
        let found = pressroom::sign::verify_pdf(&bytes, &anchors);
        println!("{}:", path.display());
        if found.is_empty() {
            println!("  not signed");
            all_good = false;
            continue;
        }
        let last = found.len() - 1;
        for (i, v) in found.iter().enumerate() {
            let yes = |b: bool| if b { "yes" } else { "NO" };
            println!("  signature {}: {}", i + 1, v.signer);
            println!(
                "    signed at:          {}",
                v.signing_time.as_deref().unwrap_or("(not stated)")
            );
            println!("    digest matches:     {}", yes(v.digest_matches && v.range_well_formed));
            println!("    signature valid:    {}", yes(v.signature_valid));
            println!("    covers whole file:  {}", yes(v.covers_whole_file));
            if let Some(trusted) = v.trusted {
                println!("    chain trusted:      {}", yes(trusted));
            }
            let good = v.intact() && v.trusted != Some(false) && (i != last || v.covers_whole_file);
            if i == last && !v.covers_whole_file {
                println!("    the file was changed after this signature");
            }
            all_good &= good;
        }
    }
    if all_good { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

fn parse_date(text: &str) -> Result<Date, Diagnostic> {
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

fn print_status(project: &Project, format: Format, reporter: &Reporter) -> ExitCode {
    let (rows, diags) = match pressroom::status::status(project, true) {
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
        } else if row.is_done() {
            "done".to_owned()
        } else {
            let mut parts = Vec::new();
            if row.missing > 0 {
                parts.push(format!("missing {}", row.missing));
            }
            if row.stale > 0 {
                parts.push(format!("stale {}", row.stale));
            }
            parts.join(", ")
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
        let (messages, missing, stale) =
            of_lang.fold((0, 0, 0), |(m, x, s), r| (m + r.messages, x + r.missing, s + r.stale));
        total.push(if *lang == source {
            format!("{messages} messages")
        } else if missing + stale == 0 {
            "done".to_owned()
        } else {
            format!("missing {missing}, stale {stale}")
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

fn accept(
    project: &Project,
    lang: &str,
    ids: &[String],
    reporter: &Reporter,
    quiet: bool,
) -> ExitCode {
    if lang == project.source_language() || !project.languages().iter().any(|l| l == lang) {
        let diag = Diagnostic::error(
            "usage",
            format!("`{lang}` is not a translation language of this office"),
        )
        .hint(format!(
            "translations: {}",
            project
                .languages()
                .into_iter()
                .filter(|l| *l != project.source_language())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        return reporter.finish(&diag.into());
    }
    let selected = match build::select_releases(project, ids) {
        Ok(selected) => selected,
        Err(diags) => return reporter.finish(&diags),
    };
    let (mut catalog, diags) = pressroom::l10n::Catalog::load(project, &selected, true);
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

fn print_fonts(project: &Project, all: bool, reporter: &Reporter) -> ExitCode {
    let (rows, diags) = match pressroom::fonts::report(project) {
        Ok(found) => found,
        Err(diags) => return reporter.finish(&diags),
    };
    let langs = project.languages();
    let width = rows.iter().map(|r| r.face.chars().count()).max().unwrap_or(4).max(4);
    print!("{:width$}", "font");
    for lang in &langs {
        print!("  {lang:<4}");
    }
    println!("  used by");
    for row in rows.iter().filter(|r| all || !r.used_by.is_empty()) {
        print!("{:width$}", row.face);
        for lang in &langs {
            let covered = row.missing.get(lang).is_none_or(Vec::is_empty);
            print!("  {:<4}", if covered { "yes" } else { "no" });
        }
        println!(
            "  {}",
            if row.used_by.is_empty() {
                "-".to_owned()
            } else {
                row.used_by.len().to_string() + " output(s)"
            }
        );
        for lang in &langs {
            if let Some(missing) = row.missing.get(lang).filter(|m| !m.is_empty()) {
                let shown: String = missing
                    .iter()
                    .take(24)
                    .collect::<Vec<_>>()
                    .iter()
                    .map(|c| format!("{c} "))
                    .collect();
                let more = if missing.len() > 24 {
                    format!("… ({} in all)", missing.len())
                } else {
                    String::new()
                };
                println!("{:width$}    {lang} lacks: {}{more}", "", shown.trim_end());
            }
        }
    }
    // Problems found while rendering (a broken translation) don't change
    // what the fonts cover: report them as the build would.
    reporter.finish(&diags)
}

struct Reporter {
    color: ColorChoice,
    quiet: bool,
}

impl Reporter {
    /// Prints every finding (warnings too unless quiet).
    fn print(&self, diags: &Diagnostics) {
        let mut stderr = StandardStream::stderr(self.color);
        for diag in diags.clone().dedup().merge_languages().iter() {
            if self.quiet && !diag.is_error() {
                continue;
            }
            let _ = diag.render(&mut stderr);
        }
        let _ = stderr.flush();
    }

    /// Prints every finding and turns them into the exit code: 1 if any is
    /// an error.
    fn finish(&self, diags: &Diagnostics) -> ExitCode {
        self.print(diags);
        if diags.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS }
    }
}
