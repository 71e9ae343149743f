//! `watch` and `serve`: long-running commands that report a line per
//! rebuild until Ctrl-C.

use std::process::ExitCode;

use pressroom::diag::Diagnostic;
use pressroom::project::Project;

use super::report::Reporter;

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
        Report::Watching { outputs, up_to_date, catching_up } => {
            if !quiet {
                let current = match up_to_date {
                    0 => String::new(),
                    n => format!(", {n} draft(s) up to date"),
                };
                let behind = match catching_up {
                    0 => String::new(),
                    n => format!(", {n} catching up in the background"),
                };
                println!("watching {outputs} output(s){current}{behind}; Ctrl-C to stop");
            }
        }
        Report::CaughtUp { drafts, took } => {
            if !quiet {
                println!(
                    "caught up: {drafts} draft(s) brought up to date in {:.1} s",
                    took.as_secs_f64()
                );
            }
        }
        Report::Settled(_) | Report::Dropped(_) => {}
    }
}

/// Runs `command` until Ctrl-C, printing what it reports; its end is the
/// exit code.
fn until_ctrl_c(
    project: Project,
    reporter: &Reporter,
    quiet: bool,
    command: impl FnOnce(
        Project,
        std::sync::mpsc::Receiver<()>,
        &mut dyn FnMut(pressroom::watch::Report),
    ) -> Result<(), pressroom::diag::Diagnostics>,
) -> ExitCode {
    let stop = match ctrl_c() {
        Ok(stop) => stop,
        Err(diag) => return reporter.finish(&diag.into()),
    };
    let root = project.root().to_path_buf();
    let mut report = |report| print_report(report, &root, reporter, quiet);
    match command(project, stop, &mut report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(diags) => reporter.finish(&diags),
    }
}

pub(super) fn watch(
    project: Project,
    options: pressroom::watch::WatchOptions,
    reporter: &Reporter,
    quiet: bool,
) -> ExitCode {
    until_ctrl_c(project, reporter, quiet, |project, stop, report| {
        pressroom::watch::run(project, options, stop, report)
    })
}

pub(super) fn serve(
    project: Project,
    options: pressroom::serve::ServeOptions,
    open: bool,
    reporter: &Reporter,
    quiet: bool,
) -> ExitCode {
    let ready = |url: &str| {
        // Printed even with -q: it is what the command is for.
        println!("serving {url} (127.0.0.1 only); Ctrl-C to stop");
        if open && let Err(err) = ::open::that_detached(url) {
            eprintln!("warning: cannot open a browser ({err}); open {url} yourself");
        }
    };
    until_ctrl_c(project, reporter, quiet, |project, stop, report| {
        pressroom::serve::run(project, options, stop, ready, report)
    })
}

pub(super) fn serve_team(
    project: Project,
    options: pressroom::serve::ServeOptions,
    reporter: &Reporter,
    quiet: bool,
) -> ExitCode {
    let ready = |origin: &str| {
        // Printed even with -q: it is what the command is for.
        println!("serving the office at {origin}; Ctrl-C to stop");
    };
    until_ctrl_c(project, reporter, quiet, |project, stop, report| {
        pressroom::team::serve(project, options, stop, ready, report)
    })
}
