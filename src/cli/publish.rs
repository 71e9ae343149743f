//! `publish`: the web edition and the e-mails, with a line per folder.

use std::path::PathBuf;
use std::process::ExitCode;

use pressroom::project::Project;
use pressroom::publish::{self, PublishOptions, Written};

use super::build::BuildProgress;
use super::report::Reporter;
use super::sign::load_signer;

/// What `pressroom publish` was asked for.
pub(super) struct PublishArgs {
    pub ids: Vec<String>,
    pub languages: Vec<String>,
    pub email: bool,
    pub out: Option<PathBuf>,
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
    // Published PDFs are signed when the office signs.
    let signing = match project.config.signing.is_some().then(|| load_signer(project, None)) {
        Some(Ok(signing)) => Some(signing),
        Some(Err(diag)) => return reporter.finish(&diag.into()),
        None => None,
    };
    let options = PublishOptions {
        releases: args.ids,
        languages: args.languages,
        out: args.out,
        email: args.email,
        source_date_epoch,
        signing,
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
        println!("{} release(s) × language(s) to publish", report.published.len());
        line("site", &report.site_dir, &report.site);
        if let Some(email) = &report.email {
            line("e-mail", &report.email_dir, email);
        }
    }
    let mut all = report.build.diagnostics;
    all.extend(report.diagnostics);
    reporter.finish(&all)
}
