//! The command line: parses arguments, calls the library, reports.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    // A bug must still end in a plain message and exit code 1, never a stack
    // trace: say what happened and where to report it.
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!(" at {l}")).unwrap_or_default();
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!(
            "error[internal]: pressroom hit a bug{location}: {payload}\n \
             = hint: no output was replaced; please report this with the command you ran"
        );
    }));
    std::panic::catch_unwind(|| cli::run(args)).unwrap_or(ExitCode::from(1))
}
