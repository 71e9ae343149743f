//! `publish`: the web edition and the e-mails, with a line per folder.

use std::path::PathBuf;
use std::process::ExitCode;

use pressroom::date::Timestamp;
use pressroom::diag::Diagnostic;
use pressroom::project::Project;
use pressroom::publish::{self, PublishOptions, Removal, Written};

use super::build::BuildProgress;
use super::report::Reporter;
use super::sign::load_signer;

/// What `pressroom publish` was asked for.
pub(super) struct PublishArgs {
    pub selection: pressroom::project::Selection,
    pub email: bool,
    pub out: Option<PathBuf>,
    pub now: Option<String>,
}

pub(super) fn run(
    project: &Project,
    args: PublishArgs,
    reporter: &Reporter,
    verbose: bool,
) -> ExitCode {
    let source_date_epoch = match pressroom::date::source_date_epoch() {
        Ok(epoch) => epoch.map(|t| t.0),
        Err(diag) => return reporter.finish(&diag.into()),
    };
    let now = match args.now.as_deref().map(|text| (text, Timestamp::parse_rfc3339(text))) {
        None => None,
        Some((_, Some(moment))) => Some(moment),
        Some((text, None)) => {
            let diag = Diagnostic::error("usage", format!("`--now {text}` is not a moment"))
                .hint("write it as RFC 3339 with its offset, e.g. 2015-03-11T10:00:00+05:00");
            return reporter.finish(&diag.into());
        }
    };
    // Published PDFs are signed when the office signs.
    let signing = match project.config.signing.is_some().then(|| load_signer(project, None)) {
        Some(Ok(signing)) => Some(signing),
        Some(Err(diag)) => return reporter.finish(&diag.into()),
        None => None,
    };
    let options = PublishOptions {
        selection: args.selection,
        out: args.out,
        email: args.email,
        source_date_epoch,
        signing,
        now,
    };
    let quiet = reporter.quiet;
    let mut events = BuildProgress::new(project.root(), quiet, verbose);
    let result = publish::publish(project, options, &mut events);
    events.done();
    let report = match result {
        Ok(report) => report,
        Err(diags) => return reporter.finish(&diags),
    };
    if !quiet {
        let shown = |dir: &std::path::Path| project.relative(dir).display().to_string();
        let line = |what: &str, dir: &std::path::Path, done: &Written| {
            println!(
                "{what} {}: {} file(s) written, {} unchanged, {} removed",
                shown(dir),
                done.written.len(),
                done.unchanged,
                done.removed.len()
            );
            if verbose {
                for file in &done.written {
                    println!("  wrote {}", shown(file));
                }
            }
        };
        println!(
            "{} edition(s) online (release × language): {} made from changed sources",
            report.online,
            report.published.len()
        );
        line("site", &report.site_dir, &report.site);
        if let Some(email) = &report.email {
            line("e-mail", &report.email_dir, email);
        }
        for held in &report.held_back {
            let (date, h, m, _) = held.since.utc();
            println!(
                "held back: {} {} stays online as published {} {h:02}:{m:02} UTC, until a new final can be made:",
                held.lang,
                held.release,
                date.iso()
            );
            for reason in &held.reasons {
                println!("  {reason}");
            }
        }
        for (release, until) in &report.embargoed {
            println!(
                "under embargo: {release} is on no page until {}{}",
                until.rfc3339(),
                if report.email.is_some() { " (its e-mails are written, marked)" } else { "" }
            );
        }
        for gone in &report.taken_down {
            let why = match gone.why {
                Removal::ReleaseRemoved => "its release file was removed",
                Removal::LanguageRemoved => "the language is no longer among its languages",
                Removal::Embargoed => "its release is now under embargo",
            };
            println!("taken down: {} {} ({why})", gone.lang, gone.release);
        }
    }
    let mut all = report.build.diagnostics;
    all.extend(report.diagnostics);
    reporter.finish(&super::report::with_languages_gathered(project, &all))
}
