//! The press officer's desk: its page and audit log; a release's finals
//! (signed with the server's configured key or token, its PIN from the
//! server's environment, never typed into a page) and the publication,
//! reported as the CLI reports; the sync with `[server] remote` on demand.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};

use super::git::SyncState;
use super::guard::{Caller, Client, Via};
use super::pages;
use super::server::{Team, error, reply};
use super::store::{AuditAction, AuditEntry, now};
use crate::build::{self, BuildOptions};
use crate::diag::{Diagnostic, Diagnostics};
use crate::names::ReleaseId;
use crate::pipeline::{Mode, Settings};
use crate::project::{Project, Selection};
use crate::publish::{self, PublishOptions};
use crate::serve::http;
use crate::sign::Signing;

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
pub(super) struct AuditQuery {
    since: Option<i64>,
}

/// The audit log, newest last.
#[derive(Debug, Clone, Serialize)]
pub struct AuditView {
    pub entries: Vec<AuditEntry>,
}

pub(super) async fn desk_page(
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

pub(super) async fn audit_log(
    State(team): State<Arc<Team>>,
    Query(query): Query<AuditQuery>,
) -> Response {
    match team.store.audit_log(query.since.unwrap_or(0)) {
        Ok(entries) => Json(AuditView { entries }).into_response(),
        Err(err) => error(StatusCode::INTERNAL_SERVER_ERROR, "server", err.to_string()),
    }
}

pub(super) async fn office_build(
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
    let done = tokio::task::spawn_blocking(move || build(&project, &id, sign)).await;
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

pub(super) async fn office_publish(
    State(team): State<Arc<Team>>,
    Extension(client): Extension<Client>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Response {
    let Ok(request) = serde_json::from_slice::<PublishRequest>(&body) else {
        return error(StatusCode::BAD_REQUEST, "request", "send {\"email\": true|false}");
    };
    let project = team.project();
    let done = tokio::task::spawn_blocking(move || publish(&project, request.email)).await;
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

pub(super) async fn office_sync(
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
