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
}

pub fn run(cli: Cli) -> ExitCode {
    let color = match cli.color {
        Color::Always => ColorChoice::Always,
        Color::Never => ColorChoice::Never,
        Color::Auto if std::io::stderr().is_terminal() => ColorChoice::Auto,
        Color::Auto => ColorChoice::Never,
    };
    let reporter = Reporter {
        color,
        quiet: cli.quiet,
    };
    let project = match cli.root {
        Some(root) => Project::open(&root),
        None => Project::discover(&std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))),
    };
    let project = match project {
        Ok(project) => project,
        Err(diags) => return reporter.finish(&diags),
    };
    match cli.command {
        Command::Build {
            ids,
            languages,
            draft,
            out,
        } => {
            let source_date_epoch = match source_date_epoch() {
                Ok(epoch) => epoch,
                Err(diag) => return reporter.finish(&diag.into()),
            };
            let options = BuildOptions {
                releases: ids,
                languages,
                draft,
                out,
                source_date_epoch,
            };
            let quiet = cli.quiet;
            let result = build::build(&project, &options, |output| {
                if !quiet {
                    let shown = output
                        .path
                        .strip_prefix(project.root())
                        .unwrap_or(&output.path);
                    let pages = if output.pages == 1 { "page" } else { "pages" };
                    println!("wrote {} ({} {pages})", shown.display(), output.pages);
                }
            });
            match result {
                Ok(report) => reporter.finish(&report.diagnostics),
                Err(diags) => reporter.finish(&diags),
            }
        }
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
        if diags.has_errors() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}
