//! The team service's routes, behind `guard`: sign-in and who is signed in
//! (`signin`), the press officer's desk (`desk`), and here serve's own
//! routes with each save committed by its author. Every answer is a named
//! type; none of them checks who may call it (the guard did).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Serialize;

use super::git::{Author, Repo, SyncState};
use super::guard::{Caller, Client, Via};
use super::listen::Listen;
use super::role::{Action, allowed};
use super::store::{AuditAction, AuditEntry, Store, now};
use super::throttle::Throttle;
use super::{desk, signin};
use crate::diag::Diagnostics;
use crate::project::Project;
use crate::serve::Front;
use crate::serve::http::{self, Context, Reply};
use crate::serve::route::{Post, Route, post_route, route};

/// The service: serve's answers and the team's records.
pub struct Team {
    pub context: Arc<Context>,
    pub store: Arc<Store>,
    pub repo: Arc<Repo>,
    pub throttle: Throttle,
    pub listen: Listen,
    /// `[server] remote`, and where the repository stood at the last sync.
    pub remote: Option<String>,
    pub sync: std::sync::Mutex<SyncState>,
}

/// A save, and the commit that holds it.
#[derive(Debug, Clone, Serialize)]
pub struct SavedView {
    #[serde(flatten)]
    pub saved: crate::serve::views::Saved,
    /// The commit's id; `None` when the file was as committed already, or
    /// (with `commit_error`) when committing failed: the file is saved.
    pub commit: Option<String>,
    pub commit_error: Option<String>,
}

pub(super) fn reply(reply: Reply) -> Response {
    reply.map(Body::new)
}

/// A refusal or failure, as every JSON answer of the service gives it:
/// the English text and a stable code the page words in its language.
pub(super) fn error(
    status: StatusCode,
    code: &'static str,
    message: impl Into<String>,
) -> Response {
    let view = crate::serve::views::ErrorView { error: message.into(), code: Some(code) };
    (status, Json(view)).into_response()
}

impl Team {
    pub(super) fn project(&self) -> Project {
        self.context.editor.project()
    }

    pub(super) fn audit(&self, who: &str, action: AuditAction, detail: String, client: &Client) {
        let entry = AuditEntry {
            at: now(),
            who: who.to_owned(),
            action,
            detail,
            address: client.0.to_string(),
        };
        if let Err(err) = self.store.audit(&entry) {
            eprintln!("pressroom: cannot write the audit log: {err}");
        }
    }

    /// Pulls (fast-forward) and pushes `[server] remote` now; the audit
    /// log records what came and went.
    pub fn sync_now(&self, who: &str, client: &Client) -> SyncState {
        let Some(remote) = &self.remote else { return SyncState::Off };
        let state = self.repo.sync(remote);
        // Where things stand is known (to the desk) before it is logged.
        {
            let mut last = crate::locks::lock(&self.sync);
            let news = *last != state;
            if news && matches!(state, SyncState::Diverged { .. } | SyncState::Failed { .. }) {
                eprintln!("pressroom: {remote}: {state:?}");
            }
            *last = state.clone();
        }
        match &state {
            SyncState::Pulled { commits } => self.audit(
                who,
                AuditAction::Pull,
                format!("{commits} commit(s) from {remote}"),
                client,
            ),
            SyncState::Pushed { commits } => self.audit(
                who,
                AuditAction::Push,
                format!("{commits} commit(s) to {remote}"),
                client,
            ),
            _ => {}
        }
        state
    }
}

/// The team service's routes, each behind the guard.
pub fn router(team: Arc<Team>) -> Router {
    Router::new()
        .route("/signin", get(signin::signin_page))
        .route("/api/signin", post(signin::signin))
        .route("/api/signout", post(signin::signout))
        .route("/api/me", get(signin::me))
        .route("/desk", get(desk::desk_page))
        .route("/api/audit", get(desk::audit_log))
        .route("/api/office/build", post(desk::office_build))
        .route("/api/office/publish", post(desk::office_publish))
        .route("/api/office/sync", post(desk::office_sync))
        .fallback(preview)
        .layer(axum::middleware::from_fn_with_state(team.clone(), super::guard::guard))
        .with_state(team)
}

/// serve's own routes: pages and reads for anyone signed in; editor
/// actions as the guard allowed them, a save or an accept committed.
async fn preview(
    State(team): State<Arc<Team>>,
    Extension(client): Extension<Client>,
    caller: Option<Extension<Caller>>,
    request: Request,
) -> Response {
    let url = request.uri().path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let context = team.context.clone();
    // The interface's own files are the only answers for nobody in
    // particular (the guard lets nothing else through without a caller).
    let Some(Extension(caller)) = caller else {
        return match route(&url) {
            Some(route @ (Route::Asset(_) | Route::UiWords)) => {
                reply(http::get(route, context).await)
            }
            _ => error(StatusCode::UNAUTHORIZED, "signin", "sign in first"),
        };
    };
    if request.method() == Method::POST {
        let Some(post) = post_route(&url) else {
            return reply(http::not_found("No such page."));
        };
        let body = match http::read_body(request.into_body()).await {
            Ok(body) => body,
            Err(refused) => return reply(refused),
        };
        return match post {
            Post::Draft => reply(http::post(post, body, context).await),
            Post::Save | Post::Accept | Post::Approve => {
                let team = team.clone();
                tokio::task::spawn_blocking(move || change(&team, post, &body, &caller, &client))
                    .await
                    .unwrap_or_else(|_| {
                        error(StatusCode::INTERNAL_SERVER_ERROR, "server", "the editor failed")
                    })
            }
        };
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return error(
            StatusCode::METHOD_NOT_ALLOWED,
            "method",
            "not a method this address answers",
        );
    }
    match route(&url) {
        Some(route @ (Route::Index | Route::Release(_))) => {
            let page = http::get(route, context).await;
            let me = team.me(&caller);
            let csrf = match &caller.via {
                Via::Session { csrf, .. } => csrf.as_str(),
                Via::Token => "",
            };
            let attributes = format!(
                "data-csrf=\"{}\" data-person=\"{}\" data-office=\"{}\"",
                crate::serve::html_escape(csrf),
                crate::serve::html_escape(&me.name),
                me.office
            );
            reply(http::mark_page(page, attributes))
        }
        Some(Route::ApiMessages { release, lang }) => {
            // `editable` is this person's to know: their roles say it.
            let source = team.project().source_language();
            let roles = &caller.person.roles;
            let may = allowed(roles, &Action::Edit { lang: lang.clone() }, &source);
            let may_approve = allowed(roles, &Action::Approve { lang: lang.clone() }, &source);
            let answer =
                tokio::task::spawn_blocking(move || context.editor.messages(&release, &lang)).await;
            match answer {
                Ok(Ok(mut view)) => {
                    view.editable = may;
                    view.approvable = may_approve;
                    Json(view).into_response()
                }
                Ok(Err(err)) => reply(http::edit_error(err)),
                Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "server", "the editor failed"),
            }
        }
        Some(route) => reply(http::get(route, context).await),
        None => reply(http::not_found("No such page.")),
    }
}

/// A save or an accept, then its commit and audit line.
fn change(team: &Arc<Team>, post: Post, body: &[u8], caller: &Caller, client: &Client) -> Response {
    let project = team.project();
    let editor = &team.context.editor;
    let who = caller.person.name.as_str();
    let (target, file, answer, action) = match post {
        Post::Save => {
            let edit: crate::serve::Edit = match http::parse(body) {
                Ok(edit) => edit,
                Err(err) => return reply(http::edit_error(err)),
            };
            match editor.save(&edit, Some(who)) {
                Ok(saved) => {
                    let file = project.root().join(&saved.file);
                    let target = crate::serve::MessageRef {
                        release: edit.release,
                        lang: edit.lang,
                        id: edit.id,
                    };
                    (target, Some(file), Changed::Saved(saved), AuditAction::Save)
                }
                Err(err) => return reply(http::edit_error(err)),
            }
        }
        _ => {
            let target: crate::serve::MessageRef = match http::parse(body) {
                Ok(target) => target,
                Err(err) => return reply(http::edit_error(err)),
            };
            let done = if post == Post::Approve {
                editor.approve(&target, who).map(|a| (Changed::Approved(a), AuditAction::Approve))
            } else {
                editor.accept(&target).map(|a| (Changed::Accepted(a), AuditAction::Accept))
            };
            match done {
                Ok((answer, action)) => (target, None, answer, action),
                Err(err) => return reply(http::edit_error(err)),
            }
        }
    };
    let crate::serve::MessageRef { release, lang, id } = target;
    let state = project.locale_dir(&lang).join(crate::l10n::state::STATE_FILE);
    let paths: Vec<_> = file.into_iter().chain([state]).collect();
    let author = Author { name: caller.person.name.clone(), email: caller.person.email.clone() };
    let message = match action {
        AuditAction::Accept => format!("{lang}: {id} — {release} (accepted as up to date)"),
        AuditAction::Approve => format!("{lang}: {id} — {release} (approved)"),
        _ => format!("{lang}: {id} — {release}"),
    };
    let committed = team.repo.commit_paths(&paths, &author, &message);
    let (commit, commit_error) = match &committed {
        Ok(oid) => (oid.map(|o| o.to_string()), None),
        Err(err) => (None, Some(err.to_string())),
    };
    let short = commit
        .as_deref()
        .map_or("no commit".to_owned(), |c| format!("commit {}", &c[..c.len().min(10)]));
    team.audit(who, action, format!("{release} {lang} {id} ({short})"), client);
    if commit.is_some() && team.remote.is_some() {
        // Pushed in the background: a slow remote never holds up a save.
        let (team, who, client) = (team.clone(), who.to_owned(), *client);
        std::thread::spawn(move || team.sync_now(&who, &client));
    }
    match answer {
        Changed::Saved(saved) => Json(SavedView { saved, commit, commit_error }).into_response(),
        Changed::Accepted(accepted) => Json(accepted).into_response(),
        Changed::Approved(approved) => Json(approved).into_response(),
    }
}

/// What a change answers with, before its commit is added.
enum Changed {
    Saved(crate::serve::views::Saved),
    Accepted(crate::serve::views::Accepted),
    Approved(crate::serve::views::Approved),
}

/// The team service as serve's front: it listens as `[server]` says.
pub struct TeamFront {
    pub listen: Listen,
    pub store: Arc<Store>,
    pub repo: Arc<Repo>,
    pub remote: Option<String>,
    /// Seconds between pulls from the remote.
    pub pull_interval: u32,
}

impl Front for TeamFront {
    fn start(
        self: Box<Self>,
        runtime: &tokio::runtime::Runtime,
        context: Arc<Context>,
    ) -> Result<String, Diagnostics> {
        let tls = self.listen.tls.as_ref().map(super::transport::acceptor).transpose()?;
        let address = self.listen.address;
        let listener = {
            let _entered = runtime.enter();
            std::net::TcpListener::bind(address)
                .and_then(|l| {
                    l.set_nonblocking(true)?;
                    tokio::net::TcpListener::from_std(l)
                })
                .map_err(|err| {
                    crate::diag::Diagnostic::error(
                        "server",
                        format!("cannot listen on {address}: {err}"),
                    )
                    .hint("another program may be using it: set [server] listen to a free address")
                })?
        };
        let origin = self.listen.origin.clone();
        let team = Arc::new(Team {
            context,
            store: self.store,
            repo: self.repo,
            throttle: Throttle::default(),
            listen: self.listen,
            remote: self.remote,
            sync: std::sync::Mutex::new(SyncState::Off),
        });
        if team.remote.is_some() {
            let (team, every) = (team.clone(), u64::from(self.pull_interval.max(5)));
            runtime.spawn(async move {
                let mut ticks = tokio::time::interval(std::time::Duration::from_secs(every));
                loop {
                    ticks.tick().await;
                    let team = team.clone();
                    let local = Client(std::net::IpAddr::from([127, 0, 0, 1]));
                    let _ = tokio::task::spawn_blocking(move || team.sync_now("pressroom", &local))
                        .await;
                }
            });
        }
        runtime.spawn(super::transport::serve(listener, tls, router(team)));
        Ok(origin)
    }
}
