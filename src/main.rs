//! The command line: parses arguments, calls the library, reports.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// The exit code of a bug in pressroom (as Rust's own panics use), never
/// confused with 1 (the sources have problems) or 2 (a usage error).
const INTERNAL_ERROR: u8 = 101;
/// The exit code when whoever reads the output stopped reading (`| head`,
/// `| grep -q`): what a process killed by SIGPIPE reports in a shell.
const READER_GONE: u8 = 141;

/// Whether a panic is `println!` failing because the reader of standard
/// output went away: not a bug, the end of the conversation.
fn reader_gone(payload: &str) -> bool {
    payload.starts_with("failed printing to stdout") && payload.contains("Broken pipe")
}

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    // A bug must still end in a plain message, never a stack trace: say what
    // happened and where to report it. Panics in helper threads (rayon's
    // included) reach the main thread and end the run the same way.
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!(" at {l}")).unwrap_or_default();
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        if reader_gone(&payload) {
            return;
        }
        eprintln!(
            "error[internal]: pressroom hit a bug{location}: {payload}\n \
             = hint: no output was replaced; please report this with the command you ran \
             and `pressroom --version`"
        );
    }));
    let outcome = std::panic::catch_unwind(|| {
        // A deliberate bug, so tests can prove the rule above holds.
        if cfg!(debug_assertions)
            && std::env::var_os("PRESSROOM_TEST_PANIC").is_some_and(|v| v == "main")
        {
            panic!("PRESSROOM_TEST_PANIC is set");
        }
        cli::run(args)
    });
    match outcome {
        Ok(code) => code,
        Err(panic) => {
            let payload = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or_default();
            ExitCode::from(if reader_gone(payload) { READER_GONE } else { INTERNAL_ERROR })
        }
    }
}
