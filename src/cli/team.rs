//! `user` and `audit`: the team service's accounts and its log. Passwords
//! come from PRESSROOM_PASSWORD or a no-echo prompt, never the command
//! line; API tokens are shown once.

use std::io::IsTerminal;
use std::process::ExitCode;

use pressroom::diag::{Diagnostic, Diagnostics};
use pressroom::project::Project;
use pressroom::team::{Role, Store};

use super::UserCommand;
use super::report::Reporter;

/// The environment variable a password may come from (scripts, CI).
const PASSWORD_VAR: &str = "PRESSROOM_PASSWORD";

pub(super) fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text)
}

fn failed(message: impl Into<String>) -> Diagnostics {
    Diagnostic::error("user", message).into()
}

fn password(name: &str) -> Result<String, Diagnostic> {
    if let Ok(password) = std::env::var(PASSWORD_VAR) {
        return checked(password);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Diagnostic::error("user", "no password given")
            .hint(format!("set {PASSWORD_VAR}, or run this in a terminal to be asked")));
    }
    let first = rpassword::prompt_password(format!("password for {name}: "))
        .map_err(|err| Diagnostic::error("user", format!("cannot read the password: {err}")))?;
    let again = rpassword::prompt_password("the same again: ")
        .map_err(|err| Diagnostic::error("user", format!("cannot read the password: {err}")))?;
    if first != again {
        return Err(Diagnostic::error("user", "the two passwords differ: nothing was changed"));
    }
    checked(first)
}

fn checked(password: String) -> Result<String, Diagnostic> {
    if password.chars().count() < 10 {
        return Err(Diagnostic::error("user", "the password is shorter than 10 characters")
            .hint("a sentence of four or five words is long and easy to remember"));
    }
    Ok(password)
}

fn store(project: &Project) -> Result<Store, Diagnostics> {
    pressroom::team::open_store(project).map_err(Diagnostics::from)
}

pub(super) fn user(project: &Project, command: UserCommand, reporter: &Reporter) -> ExitCode {
    let done = (|| -> Result<(), Diagnostics> {
        let store = store(project)?;
        match command {
            UserCommand::Add { name, email, roles } => {
                if let Err(why) = pressroom::project::values::check_email(&email) {
                    return Err(failed(format!("`{email}` {why}")));
                }
                let password = password(&name)?;
                store
                    .add_user(&name, &email, &roles, &password)
                    .map_err(|e| failed(e.to_string()))?;
                if !reporter.quiet {
                    let roles: Vec<String> = roles.iter().map(Role::to_string).collect();
                    println!("added {name} <{email}>: {}", roles.join(", "));
                }
            }
            UserCommand::List => {
                for user in store.users().map_err(|e| failed(e.to_string()))? {
                    let roles: Vec<String> = user.roles.iter().map(Role::to_string).collect();
                    println!("{}\t{}\t{}", user.name, user.email, roles.join(" "));
                }
            }
            UserCommand::Remove { name } => {
                store.remove_user(&name).map_err(|e| failed(e.to_string()))?;
                if !reporter.quiet {
                    println!("removed {name}");
                }
            }
            UserCommand::Passwd { name } => {
                let password = password(&name)?;
                store.set_password(&name, &password).map_err(|e| failed(e.to_string()))?;
                if !reporter.quiet {
                    println!("new password set for {name}; their sessions ended");
                }
            }
            UserCommand::Token { name, scope, days } => {
                let token =
                    store.add_token(&name, &scope, days).map_err(|e| failed(e.to_string()))?;
                // Shown once: only its digest is kept.
                println!("{token}");
                if !reporter.quiet {
                    eprintln!(
                        "an API token for {name}, valid {days} days; send it as `Authorization: Bearer …`. It is not shown again."
                    );
                }
            }
        }
        Ok(())
    })();
    reporter.finish(&done.err().unwrap_or_default())
}

pub(super) fn audit(project: &Project, since: Option<&str>, reporter: &Reporter) -> ExitCode {
    let done = (|| -> Result<(), Diagnostics> {
        let since = match since {
            Some(text) => super::translate::parse_date(text)?.days_since_epoch() * 86_400,
            None => 0,
        };
        let store = store(project)?;
        for entry in store.audit_log(since).map_err(|e| failed(e.to_string()))? {
            let (date, h, m, s) = pressroom::date::Timestamp(entry.at).utc();
            println!(
                "{}T{h:02}:{m:02}:{s:02}Z\t{}\t{}\t{}\t{}",
                date.iso(),
                entry.who,
                entry.action.name(),
                entry.detail,
                entry.address
            );
        }
        Ok(())
    })();
    reporter.finish(&done.err().unwrap_or_default())
}
