//! `build`: options from the command line, a progress bar or a line per PDF.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use pressroom::build::{self, BuildOptions};
use pressroom::pipeline::{Mode, Settings};
use pressroom::project::Project;
use pressroom::sign::Signing;

use super::report::Reporter;
use super::sign::load_signer;

/// What `pressroom build` was asked for.
pub(super) struct BuildArgs {
    pub selection: pressroom::project::Selection,
    pub draft: bool,
    pub out: Option<PathBuf>,
    pub emit_model: bool,
    pub sign: bool,
    pub level: Option<pressroom::project::SignatureLevel>,
    pub force: bool,
}

pub(super) fn run(
    project: &Project,
    args: BuildArgs,
    reporter: &Reporter,
    verbose: bool,
) -> ExitCode {
    let source_date_epoch = match pressroom::date::source_date_epoch() {
        Ok(epoch) => epoch.map(|t| t.0),
        Err(diag) => return reporter.finish(&diag.into()),
    };
    let mode = if args.draft { Mode::Draft } else { Mode::Final };
    let signing = match args.sign.then(|| load_signer(project, args.level)).transpose() {
        Ok(signing) => signing,
        Err(diag) => return reporter.finish(&diag.into()),
    };
    let options = BuildOptions {
        selection: args.selection,
        out: args.out,
        emit_model: args.emit_model,
        force: args.force,
        settings: Settings {
            mode,
            source_date_epoch,
            signature_line: signing.as_ref().and_then(Signing::line),
            // Set by the build from --out.
            out_dir: None,
        },
        signing,
    };
    let quiet = reporter.quiet;
    let mut events = BuildProgress::new(project.root(), quiet, verbose);
    let result = build::build(project, &options, &mut events);
    events.done();
    match result {
        Ok(report) => {
            if !quiet && report.skipped > 0 {
                println!("{} PDF(s) up to date", report.skipped);
            }
            reporter.finish(&super::report::with_languages_gathered(project, &report.diagnostics))
        }
        Err(diags) => reporter.finish(&diags),
    }
}

/// A progress bar for builds of many outputs on a terminal; a line per
/// written PDF otherwise.
pub(super) struct BuildProgress {
    root: PathBuf,
    quiet: bool,
    verbose: bool,
    bar: Option<indicatif::ProgressBar>,
}

impl BuildProgress {
    pub(super) fn new(root: &std::path::Path, quiet: bool, verbose: bool) -> Self {
        Self { root: root.to_path_buf(), quiet, verbose, bar: None }
    }

    pub(super) fn done(&mut self) {
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

    fn skipped(&mut self, file: &std::path::Path) {
        if self.verbose && !self.quiet {
            let shown = file.strip_prefix(&self.root).unwrap_or(file);
            println!("up to date: {} (same sources, unchanged on disk)", shown.display());
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
                let took = if self.verbose {
                    format!(" in {} ms", output.took.as_millis())
                } else {
                    String::new()
                };
                println!("wrote {} ({} {pages}){took}", shown.display(), output.pages);
            }
            None => {}
        }
    }
}
