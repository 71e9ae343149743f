//! `pressroom serve --team`: the office's shared service around serve's
//! routes. People sign in from a browser; every route checks the session
//! (or an API token) and the role, reads included; every save is a git
//! commit by its author and a line in the audit log.
//!
//! - [`listen`]: where it listens and at which origin, and the refusal to
//!   listen beyond this machine without TLS or a proxy's https origin;
//! - [`store`]: accounts, sessions, tokens and the audit log (SQLite, in
//!   the state folder outside the sources); [`throttle`]: failed sign-ins;
//! - [`role`]: who may do what; `guard`: the one place requests are let in
//!   (host, origin, session or token, CSRF, role), apart from the answers
//!   in `server` and the transport (TCP or TLS) in `transport`;
//! - [`git`]: commits holding exactly what an action changed.

mod desk;
pub mod git;
mod guard;
pub mod listen;
mod pages;
pub mod role;
mod server;
mod signin;
pub mod store;
pub mod throttle;
mod transport;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Receiver;

pub use listen::Listen;
pub use role::{Action, Role};
pub use store::{AuditAction, AuditEntry, Store};

use crate::diag::{Diagnostic, Diagnostics};
use crate::project::Project;
use crate::serve::{EditOptions, ServeOptions};
use crate::watch::Report;

/// Seconds between pulls from `[server] remote` when it does not say.
pub const DEFAULT_PULL_INTERVAL: u32 = 60;

/// The state folder `[server] state` names, made absolute; refused inside
/// the project (accounts are never among the tracked sources).
pub fn state_folder(project: &Project) -> Result<PathBuf, Diagnostic> {
    let config = &project.config.server;
    let Some(state) = &config.state else {
        return Err(Diagnostic::error(
            "server",
            "pressroom.toml names no state folder for the service's accounts",
        )
        .in_file(project.config_file.path.clone())
        .hint("add to pressroom.toml:\n[server]\nstate = \"/var/lib/pressroom\""));
    };
    let path = project.root().join(state.get_ref());
    let absolute = std::path::absolute(&path).unwrap_or(path);
    let inside = absolute
        .ancestors()
        .any(|a| a.canonicalize().ok().as_deref() == project.root().canonicalize().ok().as_deref());
    if inside {
        return Err(Diagnostic::error(
            "server",
            format!(
                "`server.state` ({}) is inside the project: accounts and sessions must never be among the tracked sources",
                state.get_ref()
            )
        )
        .at(&project.config_file, state.span())
        .hint("name a folder outside it, for example state = \"/var/lib/pressroom\""));
    }
    Ok(absolute)
}

/// The service's database, opened (made on first use).
pub fn open_store(project: &Project) -> Result<Store, Diagnostic> {
    let folder = state_folder(project)?;
    Store::open(&folder).map_err(|err| Diagnostic::error("server", err.to_string()))
}

/// Runs the team service until `stop` receives; `ready` gets the origin.
pub fn serve(
    project: Project,
    mut options: ServeOptions,
    stop: Receiver<()>,
    ready: impl FnOnce(&str),
    report: impl FnMut(Report),
) -> Result<(), Diagnostics> {
    let listen = Listen::plan(&project)?;
    let store = open_store(&project)?;
    let repo = git::Repo::open(project.root())
        .map_err(|err| Diagnostic::error("server", err.to_string()))?;
    // What each person may write is their roles' to say, request by request.
    options.edit = EditOptions { read_only: false, edit_source: true };
    let front = server::TeamFront {
        listen,
        store: Arc::new(store),
        repo: Arc::new(repo),
        remote: project.config.server.remote.clone(),
        pull_interval: project.config.server.pull_interval.unwrap_or(DEFAULT_PULL_INTERVAL),
    };
    crate::serve::run_with(project, options, Box::new(front), stop, ready, report)
}
