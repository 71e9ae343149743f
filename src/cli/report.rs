//! How every command reports: diagnostics rendered alike on stderr, and the
//! exit code they amount to.

use std::io::Write;
use std::process::ExitCode;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use pressroom::diag::Diagnostics;

/// 0 on success, 1 when the work found problems, 2 on a usage error.
pub fn exit_code(diags: &Diagnostics) -> ExitCode {
    if diags.iter().any(|d| d.is_error() && d.code == "usage") {
        ExitCode::from(2)
    } else if diags.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub struct Reporter {
    pub color: ColorChoice,
    pub quiet: bool,
}

impl Reporter {
    /// Prints every finding (warnings too unless quiet).
    pub fn print(&self, diags: &Diagnostics) {
        let mut stderr = StandardStream::stderr(self.color);
        for diag in diags.clone().dedup().merge_languages().iter() {
            if self.quiet && !diag.is_error() {
                continue;
            }
            let _ = diag.render(&mut stderr);
        }
        let _ = stderr.flush();
    }

    /// Prints every finding and turns them into the exit code: 2 if one is
    /// a usage error (the command line names what is not there), else 1 if
    /// any is an error.
    pub fn finish(&self, diags: &Diagnostics) -> ExitCode {
        self.print(diags);
        exit_code(diags)
    }
}

/// The findings of a command that makes finals, each unfinished language
/// said once, as one paragraph, after the rest.
pub fn with_languages_gathered(
    project: &pressroom::project::Project,
    diags: &Diagnostics,
) -> Diagnostics {
    use pressroom::l10n::unfinished;
    let (languages, mut rest) =
        unfinished::gather(diags, &project.source_language(), &project.languages());
    for language in &languages {
        rest.push(unfinished::as_diagnostic(language));
    }
    rest
}
