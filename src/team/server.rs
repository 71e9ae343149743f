//! The team service's answers, behind `guard`: sign-in and sign-out, who
//! is signed in, the press officer's desk and audit log, and serve's own
//! routes with each save committed by its author. Every answer is a named
//! type; none of them checks who may call it (the guard did).

use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{Query, Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};

use super::git::{Author, Repo, SyncState};
use super::guard::{Caller, Client, Via, cookie_name};
use super::listen::Listen;
use super::pages;
use super::role::{Action, Role, allowed, editable_languages};
use super::store::{AuditAction, AuditEntry, Store, now};
use super::throttle::Throttle;
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

/// `POST /api/signin`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignIn {
    name: String,
    password: String,
}

/// Who is signed in (`GET /api/me`, and the answer to a sign-in).
#[derive(Debug, Clone, Serialize)]
pub struct MeView {
    pub name: String,
    pub email: String,
    pub roles: Vec<String>,
    /// The languages this person may edit.
    pub editable: Vec<String>,
    /// Whether the desk (finals, signing, publishing, the audit log) is theirs.
    pub office: bool,
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

/// `POST /api/office/build`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BuildRequest {
    release: String,
    #[serde(default)]
    sign: bool,
}

/// `POST /api/office/publish`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PublishRequest {
    #[serde(default)]
    email: bool,
}

/// What a build or a publication did, as the desk lists it.
#[derive(Debug, Clone, Serialize)]
pub struct DeskReport {
    /// Whether it did all it was asked.
    pub ok: bool,
    /// Files written, relative to the project.
    pub written: Vec<String>,
    /// What stopped or held back part of it, as the CLI says it.
    pub problems: Vec<String>,
}

/// Where the repository stands against `[server] remote`
/// (`POST /api/office/sync` syncs first).
#[derive(Debug, Clone, Serialize)]
pub struct SyncView {
    pub remote: Option<String>,
    #[serde(flatten)]
    pub state: SyncState,
}

/// `GET /api/audit?since=…` (seconds since 1970).
#[derive(Debug, Deserialize)]
struct AuditQuery {
    since: Option<i64>,
}

/// The audit log, newest last.
#[derive(Debug, Clone, Serialize)]
pub struct AuditView {
    pub entries: Vec<AuditEntry>,
}

fn reply(reply: Reply) -> Response {
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

fn person_of(caller: &Caller) -> MeView {
    MeView {
        name: caller.person.name.clone(),
        email: caller.person.email.clone(),
        roles: caller.person.roles.iter().map(Role::to_string).collect(),
        editable: Vec::new(),
        office: caller.person.roles.contains(&Role::Office),
    }
}

impl Team {
    fn project(&self) -> Project {
        self.context.editor.project()
    }

    fn me(&self, caller: &Caller) -> MeView {
        let project = self.project();
        let mut me = person_of(caller);
        me.editable = editable_languages(
            &caller.person.roles,
            &project.languages(),
            &project.source_language(),
        );
        me
    }

    fn audit(&self, who: &str, action: AuditAction, detail: String, client: &Client) {
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
        let mut last = crate::locks::lock(&self.sync);
        if *last != state && matches!(state, SyncState::Diverged { .. } | SyncState::Failed { .. })
        {
            eprintln!("pressroom: {remote}: {state:?}");
        }
        *last = state.clone();
        state
    }

    fn set_cookie(&self, value: &str, max_age: Option<u32>) -> HeaderValue {
        let name = cookie_name(self.listen.https);
        let secure = if self.listen.https { "; Secure" } else { "" };
        let age = max_age.map(|a| format!("; Max-Age={a}")).unwrap_or_default();
        HeaderValue::from_str(&format!(
            "{name}={value}; Path=/; HttpOnly; SameSite=Strict{secure}{age}"
        ))
        .unwrap_or_else(|_| HeaderValue::from_static("pressroom-session=; Max-Age=0"))
    }
}

/// The team service's routes, each behind the guard.
pub fn router(team: Arc<Team>) -> Router {
    Router::new()
        .route("/signin", get(signin_page))
        .route("/api/signin", post(signin))
        .route("/api/signout", post(signout))
        .route("/api/me", get(me))
        .route("/desk", get(desk_page))
        .route("/api/audit", get(audit_log))
        .route("/api/office/build", post(office_build))
        .route("/api/office/publish", post(office_publish))
        .route("/api/office/sync", post(office_sync))
        .fallback(preview)
        .layer(axum::middleware::from_fn_with_state(team.clone(), super::guard::guard))
        .with_state(team)
}

async fn signin_page(headers: HeaderMap) -> Response {
    let lang = pages::language(&headers);
    let html = pages::signin(&lang);
    reply(http::html(html))
}

async fn signin(
    State(team): State<Arc<Team>>,
    Extension(client): Extension<Client>,
    caller: Option<Extension<Caller>>,
    body: Bytes,
) -> Response {
    let Ok(form) = serde_json::from_slice::<SignIn>(&body) else {
        return error(StatusCode::BAD_REQUEST, "request", "send {\"name\": …, \"password\": …}");
    };
    if form.name.len() > 256 || form.password.len() > 1024 {
        return error(
            StatusCode::UNAUTHORIZED,
            "signin-wrong",
            "the name or the password is wrong",
        );
    }
    if let Some(wait) = team.throttle.wait(&form.name, client.0, Instant::now()) {
        let mut answer = error(
            StatusCode::TOO_MANY_REQUESTS,
            "signin-wait",
            format!("too many failed sign-ins: try again in {} s", wait.as_secs().max(1)),
        );
        if let Ok(value) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
            answer.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return answer;
    }
    // Argon2 takes its time: off the threads that answer.
    let store = team.store.clone();
    let (name, password) = (form.name.clone(), form.password);
    let checked = tokio::task::spawn_blocking(move || store.check_password(&name, &password)).await;
    let person = match checked {
        Ok(Ok(Some(person))) => person,
        Ok(Ok(None)) => {
            team.throttle.failed(&form.name, client.0, Instant::now());
            team.audit(&form.name, AuditAction::SignInFailed, String::new(), &client);
            return error(
                StatusCode::UNAUTHORIZED,
                "signin-wrong",
                "the name or the password is wrong",
            );
        }
        _ => {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server",
                "cannot check the password now",
            );
        }
    };
    team.throttle.succeeded(&person.name);
    // A new id at every sign-in: a session id planted before is worthless.
    if let Some(Extension(Caller { via: Via::Session { id, .. }, .. })) = &caller {
        let _ = team.store.end_session(id);
    }
    let session = match team.store.start_session(&person.name) {
        Ok(session) => session,
        Err(err) => return error(StatusCode::INTERNAL_SERVER_ERROR, "server", err.to_string()),
    };
    team.audit(&person.name, AuditAction::SignIn, String::new(), &client);
    let caller =
        Caller { person, via: Via::Session { id: session.id.clone(), csrf: session.csrf } };
    let mut answer = Json(team.me(&caller)).into_response();
    answer.headers_mut().insert(header::SET_COOKIE, team.set_cookie(&session.id, None));
    answer
}

async fn signout(
    State(team): State<Arc<Team>>,
    Extension(client): Extension<Client>,
    Extension(caller): Extension<Caller>,
) -> Response {
    if let Via::Session { id, .. } = &caller.via {
        let _ = team.store.end_session(id);
    }
    team.audit(&caller.person.name, AuditAction::SignOut, String::new(), &client);
    let mut answer = StatusCode::NO_CONTENT.into_response();
    answer.headers_mut().insert(header::SET_COOKIE, team.set_cookie("", Some(0)));
    answer
}

async fn me(State(team): State<Arc<Team>>, Extension(caller): Extension<Caller>) -> Response {
    Json(team.me(&caller)).into_response()
}

async fn desk_page(
    State(team): State<Arc<Team>>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    let lang = pages::language(&headers);
    let csrf = match &caller.via {
        Via::Session { csrf, .. } => csrf.clone(),
        Via::Token => String::new(),
    };
    let entries = team.store.audit_log(now() - 30 * 86_400).unwrap_or_default();
    let sync =
        SyncView { remote: team.remote.clone(), state: crate::locks::lock(&team.sync).clone() };
    let page = pages::desk(&lang, &team.project(), &caller.person.name, &csrf, &entries, &sync);
    reply(http::html(page))
}

async fn audit_log(State(team): State<Arc<Team>>, Query(query): Query<AuditQuery>) -> Response {
    match team.store.audit_log(query.since.unwrap_or(0)) {
        Ok(entries) => Json(AuditView { entries }).into_response(),
        Err(err) => error(StatusCode::INTERNAL_SERVER_ERROR, "server", err.to_string()),
    }
}

async fn office_build(
    State(team): State<Arc<Team>>,
    Extension(client): Extension<Client>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Response {
    let Ok(request) = serde_json::from_slice::<BuildRequest>(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "request",
            "send {\"release\": …, \"sign\": true|false}",
        );
    };
    let project = team.project();
    let Ok(id) = crate::names::ReleaseId::new(&request.release) else {
        return error(StatusCode::BAD_REQUEST, "request", "not a release id");
    };
    let sign = request.sign;
    let done = tokio::task::spawn_blocking(move || super::desk::build(&project, &id, sign)).await;
    let report = match done {
        Ok(report) => report,
        Err(_) => return error(StatusCode::INTERNAL_SERVER_ERROR, "server", "the build failed"),
    };
    let action = if sign { AuditAction::Sign } else { AuditAction::Build };
    let detail = format!(
        "{} ({} written{})",
        request.release,
        report.written.len(),
        if report.ok { "" } else { ", refused in part" }
    );
    team.audit(&caller.person.name, action, detail, &client);
    Json(report).into_response()
}

async fn office_publish(
    State(team): State<Arc<Team>>,
    Extension(client): Extension<Client>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Response {
    let Ok(request) = serde_json::from_slice::<PublishRequest>(&body) else {
        return error(StatusCode::BAD_REQUEST, "request", "send {\"email\": true|false}");
    };
    let project = team.project();
    let done =
        tokio::task::spawn_blocking(move || super::desk::publish(&project, request.email)).await;
    let report = match done {
        Ok(report) => report,
        Err(_) => return error(StatusCode::INTERNAL_SERVER_ERROR, "server", "publishing failed"),
    };
    let detail = format!(
        "{} file(s) written{}",
        report.written.len(),
        if report.ok { "" } else { ", some held back" }
    );
    team.audit(&caller.person.name, AuditAction::Publish, detail, &client);
    Json(report).into_response()
}

async fn office_sync(
    State(team): State<Arc<Team>>,
    Extension(client): Extension<Client>,
    Extension(caller): Extension<Caller>,
) -> Response {
    let remote = team.remote.clone();
    let who = caller.person.name.clone();
    let done = tokio::task::spawn_blocking(move || team.sync_now(&who, &client)).await;
    match done {
        Ok(state) => Json(SyncView { remote, state }).into_response(),
        Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "server", "the sync failed"),
    }
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
