//! The command line: clap's types and the dispatch to one file per command
//! group (build; watch and serve; sign and verify; the text commands; fonts).

mod build;
mod fonts;
mod live;
mod publish;
mod report;
mod sign;
mod team;
mod translate;

use std::io::IsTerminal;
use std::path::PathBuf;

use pressroom::project::SignatureLevel;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::ColorChoice;
use pressroom::date::Timestamp;
use pressroom::project::Project;

use report::Reporter;

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
    /// Print more detail: each PDF's time, and which were skipped as up to date.
    #[arg(short, long, global = true)]
    verbose: bool,
    /// When to colour the output.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add an account; its password from PRESSROOM_PASSWORD or a prompt, never the command line.
    Add {
        /// The name people sign in with.
        name: String,
        #[arg(long, value_name = "E")]
        email: String,
        /// office, viewer, translator:<lang> or reviewer:<lang> (repeat for several).
        #[arg(long = "role", value_name = "R", required = true, value_parser = team::parse_role)]
        roles: Vec<pressroom::team::Role>,
    },
    /// The accounts and their roles.
    List,
    /// Remove an account (its sessions and tokens end).
    Remove { name: String },
    /// Set an account's password (its sessions end).
    Passwd { name: String },
    /// A scoped API token for scripts and agencies' tools, shown once.
    Token {
        name: String,
        /// Roles the token carries, of the account's (default: all of them).
        #[arg(long = "scope", value_name = "R", value_parser = team::parse_role)]
        scope: Vec<pressroom::team::Role>,
        /// Days until it expires.
        #[arg(long, value_name = "N", default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3650))]
        days: u32,
    },
}

#[derive(Debug, Subcommand)]
enum LangCommand {
    /// Add a language: locales/<tag>/ with every message as a stub to translate, the tag in pressroom.toml.
    Add {
        /// A BCP 47 language tag, e.g. fa-AF.
        tag: String,
    },
}

#[derive(Debug, Subcommand)]
enum L10nCommand {
    /// Approve a language's translations (review before print, [review]), as git's user.name.
    Approve {
        /// The language, e.g. tg.
        lang: String,
        /// Only these releases (default: every release and office.ftl).
        ids: Vec<String>,
    },
    /// Mark a language's stale translations up to date as they are (you checked them).
    Accept {
        /// The language, e.g. ru.
        lang: String,
        /// Only these releases (default: every release and office.ftl).
        ids: Vec<String>,
    },
    /// Write an XLIFF 1.2 file of what a language lacks, for a CAT tool or an agency.
    Export {
        /// The language, e.g. ru.
        lang: String,
        /// Only these releases (default: every release; office.ftl always).
        ids: Vec<String>,
        /// Write it here (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Every message, translated ones too (default: missing and stale only).
        #[arg(long)]
        all: bool,
    },
    /// Write a language's translation memory as TMX 1.4, for an agency's tools.
    TmxExport {
        /// The language, e.g. tg.
        lang: String,
        /// Write it here (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Add a TMX file's English–<lang> units to the language's memory (locales/<lang>/memory.tmx).
    TmxImport {
        /// The language, e.g. tg.
        lang: String,
        /// The TMX file.
        file: PathBuf,
    },
    /// Write a language's glossary as TBX-Basic, for an agency's tools.
    TbxExport {
        /// The language, e.g. ru.
        lang: String,
        /// Write it here (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Add a TBX file's English–<lang> terms to the language's glossary (locales/<lang>/glossary.tbx).
    TbxImport {
        /// The language, e.g. ru.
        lang: String,
        /// The TBX file.
        file: PathBuf,
    },
    /// Write the translations of an XLIFF file back into the .ftl files.
    Import {
        /// The XLIFF file (as exported, translated).
        file: PathBuf,
    },
}

/// `[ID…] --lang L…`: which releases, in which languages (build, publish,
/// watch and serve alike).
#[derive(Debug, Clone, clap::Args)]
struct SelectionArgs {
    /// Release ids, the stems of releases/<id>.toml (default: all).
    ids: Vec<String>,
    /// Only these languages (default: all; the source language always shows in serve).
    #[arg(long = "lang", value_name = "L")]
    languages: Vec<String>,
}

impl From<SelectionArgs> for pressroom::project::Selection {
    fn from(args: SelectionArgs) -> Self {
        Self { releases: args.ids, languages: args.languages }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
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
        #[command(flatten)]
        selection: SelectionArgs,
        /// Build even with missing translations: the source text stands in, marked, under a DRAFT mark.
        #[arg(long)]
        draft: bool,
        /// Write the PDFs here instead of out/.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Also write the document model each layout reads, as <id>.<lang>.json (for layout authors).
        #[arg(long)]
        emit_model: bool,
        /// Sign each PDF (PAdES) with the key named in [signing]; finals only.
        #[arg(long, conflicts_with = "draft")]
        sign: bool,
        /// The PAdES level to sign at: b-b, b-t, b-lt or b-lta (default: [signing] level).
        #[arg(long, requires = "sign", value_name = "LEVEL", value_parser = parse_level)]
        level: Option<SignatureLevel>,
        /// Rebuild even the PDFs that are up to date.
        #[arg(long)]
        force: bool,
    },
    /// The web edition (pages, archive, Atom feeds, sitemap) and, with --email, the e-mails.
    Publish {
        #[command(flatten)]
        selection: SelectionArgs,
        /// Also write an .eml per release and language, to out/email/.
        #[arg(long)]
        email: bool,
        /// Write the site here instead of out/site/.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Publish as of this moment (RFC 3339, e.g. 2015-03-11T10:00:00+05:00)
        /// instead of the clock: embargoes are kept against it. For rehearsals and tests.
        #[arg(long, value_name = "MOMENT")]
        now: Option<String>,
    },
    /// Build drafts, then rebuild what each saved change touches, until Ctrl-C.
    Watch {
        #[command(flatten)]
        selection: SelectionArgs,
        /// Write the PDFs here instead of out/.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Poll for changes instead of using the system's notifications.
        #[arg(long)]
        poll: bool,
    },
    /// Preview drafts in a browser, languages side by side, updated on every save.
    Serve {
        #[command(flatten)]
        selection: SelectionArgs,
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
        /// Turn the translators' editor off: the preview only shows.
        #[arg(long)]
        read_only: bool,
        /// Let the editor change the source language's texts too.
        #[arg(long, conflicts_with = "read_only")]
        edit_source: bool,
        /// The office's shared service as [server] in pressroom.toml says: sign-in, roles, commits.
        #[arg(long, conflicts_with_all = ["port", "open", "read_only", "edit_source"])]
        team: bool,
    },
    /// The team service's accounts (kept in [server] state, outside the sources).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The team service's audit log: sign-ins, saves, builds, signatures, publications.
    Audit {
        /// Only from this day (YYYY-MM-DD, UTC) on.
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
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
    /// The office's languages.
    Lang {
        #[command(subcommand)]
        command: LangCommand,
    },
    /// Scaffold a release: its TOML, its source-language text and empty stubs for the other languages.
    New {
        /// A short title: lowercase letters, digits and `-`; the id becomes <date>-<slug>.
        slug: String,
        /// The release date, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// Sign existing PDFs in place (PAdES), with the key named in [signing].
    Sign {
        #[arg(required = true)]
        pdfs: Vec<PathBuf>,
        /// The PAdES level to sign at: b-b, b-t, b-lt or b-lta (default: [signing] level).
        #[arg(long, value_name = "LEVEL", value_parser = parse_level)]
        level: Option<SignatureLevel>,
    },
    /// Check signed PDFs: signer, time, integrity, coverage, trust.
    Verify {
        #[arg(required = true)]
        pdfs: Vec<PathBuf>,
        /// A trusted certificate (PEM or DER); repeat for several. Without
        /// one, `[signing] trust` of the project, if there is one.
        #[arg(long, value_name = "CERT")]
        trust: Vec<PathBuf>,
        /// Report without trust anchors instead of failing for want of them.
        #[arg(long)]
        no_trust_check: bool,
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
    if let Command::Verify { pdfs, trust, no_trust_check } = &cli.command {
        let mut trust = trust.clone();
        if trust.is_empty() {
            // The office's own anchors, when verify runs inside its project.
            let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            let project = match &cli.root {
                Some(root) => Project::open(root),
                None => Project::discover(&here),
            };
            if let Ok(project) = project
                && let Some(signing) = &project.config.signing
            {
                trust.extend(signing.trust.iter().map(|path| project.root().join(path)));
            }
        }
        return sign::verify(pdfs, &trust, *no_trust_check, &reporter);
    }
    let project = match cli.root {
        Some(root) => Project::open(&root),
        None => Project::discover(&std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))),
    };
    let project = match project {
        Ok(project) => project,
        Err(diags) => return reporter.finish(&diags),
    };
    let quiet = cli.quiet;
    match cli.command {
        Command::Build { selection, draft, out, emit_model, sign, level, force } => {
            let selection = selection.into();
            let args = build::BuildArgs { selection, draft, out, emit_model, sign, level, force };
            build::run(&project, args, &reporter, cli.verbose)
        }
        Command::Publish { selection, email, out, now } => {
            let args = publish::PublishArgs { selection: selection.into(), email, out, now };
            publish::run(&project, args, &reporter, cli.verbose)
        }
        Command::Fonts { all } => fonts::print_fonts(&project, all, &reporter),
        Command::Sign { pdfs, level } => sign::sign(&project, &pdfs, level, &reporter, quiet),
        Command::Verify { .. } => unreachable!("handled before the project is opened"),
        Command::Check { format } => translate::check(&project, format, &reporter),
        Command::Status { format } => translate::print_status(&project, format, &reporter),
        Command::Watch { selection, out, poll } => {
            let options = pressroom::watch::WatchOptions {
                selection: selection.into(),
                out,
                poll,
                images: false,
                demand: None,
            };
            live::watch(project, options, &reporter, quiet)
        }
        Command::Serve { selection, port, open, out, poll, read_only, edit_source, team } => {
            let edit = pressroom::serve::EditOptions { read_only, edit_source };
            let selection = selection.into();
            let options = pressroom::serve::ServeOptions { selection, port, out, poll, edit };
            if team {
                live::serve_team(project, options, &reporter, quiet)
            } else {
                live::serve(project, options, open, &reporter, quiet)
            }
        }
        Command::User { command } => team::user(&project, command, &reporter),
        Command::Audit { since } => team::audit(&project, since.as_deref(), &reporter),
        Command::L10n { command: L10nCommand::Approve { lang, ids } } => {
            translate::approve(&project, &lang, &ids, &reporter, quiet)
        }
        Command::L10n { command: L10nCommand::Accept { lang, ids } } => {
            translate::accept(&project, &lang, &ids, &reporter, quiet)
        }
        Command::L10n { command: L10nCommand::Export { lang, ids, out, all } } => {
            translate::export(&project, &lang, &ids, out.as_deref(), all, &reporter)
        }
        Command::L10n { command: L10nCommand::TmxExport { lang, out } } => {
            translate::tmx_export(&project, &lang, out.as_deref(), &reporter)
        }
        Command::L10n { command: L10nCommand::TmxImport { lang, file } } => {
            translate::tmx_import(&project, &lang, &file, &reporter, quiet)
        }
        Command::L10n { command: L10nCommand::TbxExport { lang, out } } => {
            translate::tbx_export(&project, &lang, out.as_deref(), &reporter)
        }
        Command::L10n { command: L10nCommand::TbxImport { lang, file } } => {
            translate::tbx_import(&project, &lang, &file, &reporter, quiet)
        }
        Command::L10n { command: L10nCommand::Import { file } } => {
            translate::import(&project, &file, &reporter)
        }
        Command::Lang { command: LangCommand::Add { tag } } => {
            translate::add_language(&project, &tag, &reporter, quiet)
        }
        Command::New { slug, date } => {
            let date = match date.as_deref().map(translate::parse_date).transpose() {
                Ok(date) => date.unwrap_or_else(|| Timestamp::clock().date()),
                Err(diag) => return reporter.finish(&diag.into()),
            };
            translate::new(&project, &slug, date, &reporter, quiet)
        }
    }
}

fn parse_level(text: &str) -> Result<SignatureLevel, String> {
    SignatureLevel::parse(text)
        .ok_or_else(|| format!("one of {}", SignatureLevel::NAMES.join(", ")))
}
