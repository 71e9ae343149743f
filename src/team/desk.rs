//! The press officer's desk: a release's finals (signed with the server's
//! configured key or token, its PIN from the server's environment, never
//! typed into a page) and the publication, reported as the CLI reports.

use super::server::DeskReport;
use crate::build::{self, BuildOptions};
use crate::diag::{Diagnostic, Diagnostics};
use crate::names::ReleaseId;
use crate::pipeline::{Mode, Settings};
use crate::project::{Project, Selection};
use crate::publish::{self, PublishOptions};
use crate::sign::Signing;

fn problems(diagnostics: &Diagnostics) -> Vec<String> {
    diagnostics.iter().filter(|d| d.is_error()).map(|d| d.to_plain_string()).collect()
}

/// Nobody answers a prompt on the server.
fn no_prompt(_: &str) -> Option<String> {
    None
}

/// Nothing done, and why.
fn refused(why: &Diagnostic) -> DeskReport {
    DeskReport { ok: false, written: Vec::new(), problems: vec![why.to_plain_string()] }
}

fn signing(project: &Project) -> Result<Signing, DeskReport> {
    crate::sign::load_signing(project, None, &no_prompt).map_err(|d| refused(&d))
}

/// The finals of `release` in each of its languages, signed if `sign`.
pub fn build(project: &Project, release: &ReleaseId, sign: bool) -> DeskReport {
    let source_date_epoch = match crate::date::source_date_epoch() {
        Ok(epoch) => epoch.map(|t| t.0),
        Err(d) => return refused(&d),
    };
    let signing = match sign.then(|| signing(project)).transpose() {
        Ok(signing) => signing,
        Err(report) => return report,
    };
    let options = BuildOptions {
        selection: Selection::release(release),
        out: None,
        emit_model: false,
        force: sign,
        settings: Settings {
            mode: Mode::Final,
            source_date_epoch,
            signature_line: signing.as_ref().and_then(Signing::line),
            out_dir: None,
        },
        signing,
    };
    let mut written = Vec::new();
    let mut wrote = |output: &build::Output| {
        written.push(project.relative(&output.path).display().to_string());
    };
    match build::build(project, &options, &mut wrote) {
        Ok(report) => {
            let problems = problems(&report.diagnostics);
            DeskReport { ok: problems.is_empty(), written, problems }
        }
        Err(diagnostics) => DeskReport { ok: false, written, problems: problems(&diagnostics) },
    }
}

/// The web edition (and the e-mails, if `email`), signed PDFs when the
/// office signs; what cannot be made stays online as last published.
pub fn publish(project: &Project, email: bool) -> DeskReport {
    let source_date_epoch = match crate::date::source_date_epoch() {
        Ok(epoch) => epoch.map(|t| t.0),
        Err(d) => return refused(&d),
    };
    let signing = match project.config.signing.is_some().then(|| signing(project)).transpose() {
        Ok(signing) => signing,
        Err(report) => return report,
    };
    let options = PublishOptions {
        selection: Selection::all(),
        out: None,
        email,
        source_date_epoch,
        signing,
        now: None,
    };
    let mut ignore = |_: &build::Output| {};
    match publish::publish(project, options, &mut ignore) {
        Ok(report) => {
            let mut written: Vec<String> = report
                .site
                .written
                .iter()
                .map(|p| project.relative(p).display().to_string())
                .collect();
            if let Some(email) = &report.email {
                written.extend(
                    email.written.iter().map(|p| project.relative(p).display().to_string()),
                );
            }
            let mut problems = problems(&report.build.diagnostics);
            problems.extend(self::problems(&report.diagnostics));
            for held in &report.held_back {
                problems.push(format!(
                    "held back: {} {} stays online as last published: {}",
                    held.lang,
                    held.release,
                    held.reasons.join("; ")
                ));
            }
            DeskReport { ok: problems.is_empty(), written, problems }
        }
        Err(diagnostics) => {
            DeskReport { ok: false, written: Vec::new(), problems: problems(&diagnostics) }
        }
    }
}
