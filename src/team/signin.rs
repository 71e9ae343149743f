//! Signing in and out, and who is signed in: the session cookie, the
//! throttle on failed sign-ins, and the audit lines of each.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};

use super::guard::{Caller, Client, Via, cookie_name};
use super::pages;
use super::role::{Role, editable_languages};
use super::server::{Team, error, reply};
use super::store::AuditAction;
use crate::serve::http;

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
    pub(super) fn me(&self, caller: &Caller) -> MeView {
        let project = self.project();
        let mut me = person_of(caller);
        me.editable = editable_languages(
            &caller.person.roles,
            &project.languages(),
            &project.source_language(),
        );
        me
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

pub(super) async fn signin_page(headers: HeaderMap) -> Response {
    let lang = pages::language(&headers);
    let html = pages::signin(&lang);
    reply(http::html(html))
}

pub(super) async fn signin(
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

pub(super) async fn signout(
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

pub(super) async fn me(
    State(team): State<Arc<Team>>,
    Extension(caller): Extension<Caller>,
) -> Response {
    Json(team.me(&caller)).into_response()
}
