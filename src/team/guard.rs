//! The one place the team service lets a request in: the host and origin
//! it names, who it comes from (a session cookie or an API token), the
//! CSRF token of a state-changing request, and the role the route needs,
//! reads included. The answers (`server`) never check any of it again and
//! never run for a request refused here.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::role::{Action, allowed};
use super::server::{Team, error as refuse};
use super::store::Person;
use crate::secret::same_secret;
use crate::serve::guard::{TOKEN_HEADER, is_json, is_navigation};
use crate::serve::route::{Post, Route, post_route, route};

/// Who sent a request, once the guard knows: set on every request that
/// reaches an answer needing a person.
#[derive(Debug, Clone)]
pub struct Caller {
    pub person: Person,
    pub via: Via,
}

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Via {
    /// A browser's session cookie; its id and CSRF token.
    Session { id: String, csrf: String },
    /// `Authorization: Bearer prt_…` (scripts and agencies' tools).
    Token,
}

/// The client's address (behind a declared proxy, the one it forwarded).
#[derive(Debug, Clone, Copy)]
pub struct Client(pub IpAddr);

/// What a route needs before its answer runs.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Need {
    /// The sign-in page and form, and the interface's own files.
    Nobody,
    /// Anyone signed in, with any role.
    Person,
    /// The press officer's desk and the audit log.
    Office,
    /// An editor action: the role for the language its body names.
    Editor(Post),
}

fn need(method: &Method, path: &str) -> Need {
    match (method, path) {
        (&Method::GET | &Method::HEAD, "/signin") | (&Method::POST, "/api/signin") => Need::Nobody,
        (_, "/desk" | "/api/audit") => Need::Office,
        (_, path) if path.starts_with("/api/office/") => Need::Office,
        (&Method::POST, _) if post_route(path).is_some() => {
            Need::Editor(post_route(path).unwrap_or(Post::Draft))
        }
        (&Method::GET | &Method::HEAD, _)
            if matches!(route(path), Some(Route::Asset(_) | Route::UiWords)) =>
        {
            Need::Nobody
        }
        _ => Need::Person,
    }
}

/// The session cookie's name: `__Host-` (only this host, only over https)
/// wherever browsers reach the service over https.
pub fn cookie_name(https: bool) -> &'static str {
    if https { "__Host-pressroom" } else { "pressroom-session" }
}

/// The value of cookie `name` in the request, if sent.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(str::trim)
}

fn client(request: &Request, team: &Team) -> IpAddr {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip());
    if !team.listen.proxied {
        return peer;
    }
    // The proxy on this machine appends the address it saw last.
    request
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(peer)
}

/// The language an editor request's body names (`{"lang": …}`).
#[derive(serde::Deserialize)]
struct Target {
    lang: String,
}

/// Lets `request` through to its answer, or refuses it.
pub async fn guard(State(team): State<Arc<Team>>, mut request: Request, next: Next) -> Response {
    let mut response = match admit(&team, &mut request).await {
        Ok(()) => next.run(request).await,
        Err(refused) => refused,
    };
    secure_headers(response.headers_mut(), team.listen.https);
    response
}

/// Why `request` is refused, if it is; the caller and client are set on it.
async fn admit(team: &Team, request: &mut Request) -> Result<(), Response> {
    let headers = request.headers();
    // A name that is not the service's own: DNS rebinding, or a stray
    // client; either way nothing is answered.
    let host = headers.get(header::HOST).map(HeaderValue::as_bytes);
    if host != Some(team.listen.host.as_bytes()) {
        return Err(refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "host",
            format!("pressroom answers only at {}", team.listen.origin),
        ));
    }
    let address = client(request, team);
    request.extensions_mut().insert(Client(address));
    let headers = request.headers();
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    let changes = !matches!(method, Method::GET | Method::HEAD);
    let token = bearer(headers).map(str::to_owned);
    // A browser's change must come from the service's own page (the exact
    // Origin) as JSON, which no other site can send without asking first.
    // A script with an API token sends no cookie, so no site can borrow it.
    if changes && token.is_none() {
        let origin = headers.get(header::ORIGIN).map(HeaderValue::as_bytes);
        if origin != Some(team.listen.origin.as_bytes()) {
            return Err(refuse(
                StatusCode::FORBIDDEN,
                "origin",
                format!("changes are accepted only from pages of {}", team.listen.origin),
            ));
        }
    }
    if changes && !is_json(headers) {
        return Err(refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE, "json", "send application/json"));
    }
    let need = need(&method, &path);
    let now = super::store::now();
    let caller = match (&token, cookie(headers, cookie_name(team.listen.https))) {
        (Some(token), _) => team
            .store
            .token(token, now)
            .ok()
            .flatten()
            .map(|person| Caller { person, via: Via::Token }),
        (None, Some(id)) => team.store.session(&id, now).ok().flatten().map(|session| Caller {
            person: session.person,
            via: Via::Session { id, csrf: session.csrf },
        }),
        (None, None) => None,
    };
    if need == Need::Nobody {
        if let Some(caller) = caller {
            request.extensions_mut().insert(caller);
        }
        return Ok(());
    }
    let Some(caller) = caller else {
        if !changes && is_navigation(request.headers()) && !path.starts_with("/api/") {
            let next = request.uri().path_and_query().map_or("/", |p| p.as_str());
            let to = format!("/signin?next={}", percent_path(next));
            return Err((StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response());
        }
        let why =
            if token.is_some() { "this API token is unknown or expired" } else { "sign in first" };
        return Err(refuse(StatusCode::UNAUTHORIZED, "signin", why));
    };
    if changes && let Via::Session { csrf, .. } = &caller.via {
        let sent = request.headers().get(TOKEN_HEADER).map(HeaderValue::as_bytes);
        if !sent.is_some_and(|sent| same_secret(sent, csrf.as_bytes())) {
            return Err(refuse(
                StatusCode::FORBIDDEN,
                "csrf",
                "this change lacks the page's token: reload the page and try again",
            ));
        }
    }
    let source = team.context.editor.project().source_language();
    let roles = &caller.person.roles;
    let action = match &need {
        Need::Nobody | Need::Person => Action::Read,
        Need::Office => Action::Office,
        Need::Editor(post) => {
            // The body says which language: read it (bounded) and put it back.
            let body = std::mem::take(request.body_mut());
            let bytes = match crate::serve::http::read_body(body).await {
                Ok(bytes) => bytes,
                Err(_) => {
                    return Err(refuse(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "size",
                        "the request is over 1 MiB or broke off",
                    ));
                }
            };
            let lang = match serde_json::from_slice::<Target>(&bytes) {
                Ok(target) => target.lang,
                Err(err) => {
                    return Err(refuse(
                        StatusCode::BAD_REQUEST,
                        "request",
                        format!("bad request: {err}"),
                    ));
                }
            };
            *request.body_mut() = Body::from(bytes);
            match post {
                Post::Accept => Action::Accept { lang },
                Post::Approve => Action::Approve { lang },
                Post::Draft | Post::Save => Action::Edit { lang },
            }
        }
    };
    let permitted = match &action {
        Action::Read => !roles.is_empty(),
        action => allowed(roles, action, &source),
    };
    if !permitted {
        return Err(refuse(StatusCode::FORBIDDEN, "role", refusal_text(&action, roles)));
    }
    request.extensions_mut().insert(caller);
    Ok(())
}

fn refusal_text(action: &Action, roles: &[super::Role]) -> String {
    let held = if roles.is_empty() {
        "no role".to_owned()
    } else {
        roles.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", ")
    };
    match action {
        Action::Read => "this account has no role: ask the office to give it one".to_owned(),
        Action::Edit { lang } => format!("your roles ({held}) do not let you edit {lang}"),
        Action::Accept { lang } => {
            format!("your roles ({held}) do not let you accept {lang} translations")
        }
        Action::Approve { lang } => format!("your roles ({held}) do not let you approve {lang}"),
        Action::Office => format!("only the office may do this; your roles: {held}"),
    }
}

/// A path and query, with what could end the `next` parameter escaped.
fn percent_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What every answer carries: no framing, no sniffing, no referrer, and
/// HSTS wherever browsers reach the service over https. No CORS header is
/// ever sent.
fn secure_headers(headers: &mut HeaderMap, https: bool) {
    let set = |headers: &mut HeaderMap, name: header::HeaderName, value: &'static str| {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::CACHE_CONTROL, "no-store");
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; img-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    if https {
        set(headers, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
}
