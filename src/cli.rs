//! Arguments and reporting for each subcommand.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use pressroom::build::{self, BuildOptions};
use pressroom::diag::{Diagnostic, Diagnostics};
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
    let project = match cli.root {
        Some(root) => Project::open(&root),
        None => Project::discover(&std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))),
    };
    let project = match project {
        Ok(project) => project,
        Err(diags) => return reporter.finish(&diags),
    };
    match cli.command {
        Command::Build { ids, languages, draft, out } => {
            let source_date_epoch = match source_date_epoch() {
                Ok(epoch) => epoch,
                Err(diag) => return reporter.finish(&diag.into()),
            };
            let options = BuildOptions { releases: ids, languages, draft, out, source_date_epoch };
            let quiet = cli.quiet;
            let result = build::build(&project, &options, |output| {
                if !quiet {
                    let shown = output.path.strip_prefix(project.root()).unwrap_or(&output.path);
                    let pages = if output.pages == 1 { "page" } else { "pages" };
                    println!("wrote {} ({} {pages})", shown.display(), output.pages);
                }
            });
            match result {
                Ok(report) => reporter.finish(&report.diagnostics),
                Err(diags) => reporter.finish(&diags),
            }
        }
        Command::Fonts { all } => print_fonts(&project, all, &reporter),
    }
}

/// `SOURCE_DATE_EPOCH`, the reproducible-builds convention for "when".
fn source_date_epoch() -> Result<Option<i64>, Diagnostic> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) if !value.trim().is_empty() => value.trim().parse().map(Some).map_err(|_| {
            Diagnostic::error("environment", format!("SOURCE_DATE_EPOCH=`{value}` is not a number of seconds"))
                .hint("set it to seconds since 1970-01-01 UTC, e.g. SOURCE_DATE_EPOCH=1426032000, or unset it")
        }),
        _ => Ok(None),
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
    /// Prints every finding and turns them into the exit code: 1 if any is
    /// an error.
    fn finish(&self, diags: &Diagnostics) -> ExitCode {
        let mut stderr = StandardStream::stderr(self.color);
        let diags = diags.clone().merge_languages();
        for diag in diags.iter() {
            if self.quiet && !diag.is_error() {
                continue;
            }
            let _ = diag.render(&mut stderr);
        }
        let _ = stderr.flush();
        if diags.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS }
    }
}
