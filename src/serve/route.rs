//! The preview's URLs. They name releases, languages and page hashes, each
//! checked character by character; nothing in a URL ever reaches the file
//! system.

use crate::l10n::fields::is_entry_id;
use crate::names::{is_language_tag, is_name};
use crate::publish::WebPath;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/`: the releases and their translation status.
    Index,
    /// `/release/<id>`: the release's languages side by side.
    Release(String),
    /// `/release/<id>/state.json`: what that page shows, as data.
    ReleaseState(String),
    /// `/release/<id>/<lang>.pdf`: the output's last good PDF.
    Pdf { release: String, lang: String },
    /// `/page/<hash>.svg`: one page, by content.
    Page(String),
    /// `/page/<hash>.bmp`: the same page as a bitmap, quick to show.
    Raster(String),
    /// `/events` (the index) and `/release/<id>/events` (a release's page):
    /// server-sent events. A release's stream also says a tab shows it.
    Events(Option<String>),
    /// `/assets/<name>`: the page's own script and style sheet.
    Asset(&'static str),
    /// `/assets/ui.json`: the editor's words in each interface language.
    UiWords,
    /// `/web`: the web edition is under `/web/`.
    WebRoot,
    /// `/web/<path>`: a file of the web edition, as `publish` would write
    /// it, made from the sources as they stand.
    Web(WebPath),
    /// `/api/releases`: the releases and their translation status.
    ApiReleases,
    /// `/api/release/<id>/<lang>/messages`: a release's messages in a
    /// language.
    ApiMessages { release: String, lang: String },
    /// `/api/release/<id>/<lang>/<part>/<msg>`: one of them, as `part` says.
    ApiMessage { release: String, lang: String, id: String, part: MessagePart },
}

/// What a read of one message asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessagePart {
    /// `message`: the message itself.
    Entry,
    /// `suggest`: the translation memory's suggestions for its paragraphs.
    Suggestions,
    /// `history`: its versions, from git.
    History,
}

impl MessagePart {
    fn parse(segment: &str) -> Option<Self> {
        match segment {
            "message" => Some(Self::Entry),
            "suggest" => Some(Self::Suggestions),
            "history" => Some(Self::History),
            _ => None,
        }
    }
}

/// What a `POST` asks of the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Post {
    /// `/api/draft`: the findings and pages of unsaved text.
    Draft,
    /// `/api/save`: write a message into its file.
    Save,
    /// `/api/accept`: mark a stale translation up to date.
    Accept,
    /// `/api/approve`: approve a translation (review before print).
    Approve,
}

/// The editor action a `POST` URL names, if any.
pub fn post_route(url: &str) -> Option<Post> {
    match url.split(['?', '#']).next().unwrap_or_default() {
        "/api/draft" => Some(Post::Draft),
        "/api/save" => Some(Post::Save),
        "/api/accept" => Some(Post::Accept),
        "/api/approve" => Some(Post::Approve),
        _ => None,
    }
}

/// The assets the pages load: name, content type, body.
pub const ASSETS: &[(&str, &str, &str)] = &[
    ("preview.js", "text/javascript; charset=utf-8", include_str!("assets/preview.js")),
    ("preview.css", "text/css; charset=utf-8", include_str!("assets/preview.css")),
    ("editor.js", "text/javascript; charset=utf-8", include_str!("assets/editor.js")),
    ("web-live.js", "text/javascript; charset=utf-8", include_str!("assets/web-live.js")),
    ("web-draft.css", "text/css; charset=utf-8", include_str!("assets/web-draft.css")),
    ("favicon.svg", "image/svg+xml", include_str!("assets/favicon.svg")),
    ("team.js", "text/javascript; charset=utf-8", include_str!("assets/team.js")),
];

/// The route a request's URL names, if any. The query string and fragment
/// are ignored; `..`, `%2e`, doubled slashes and the like match nothing.
pub fn route(url: &str) -> Option<Route> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
    match segments.as_slice() {
        [""] => Some(Route::Index),
        ["events"] => Some(Route::Events(None)),
        ["release", id, "events"] if is_name(id) => Some(Route::Events(Some((*id).to_owned()))),
        ["release", id] if is_name(id) => Some(Route::Release((*id).to_owned())),
        ["release", id, "state.json"] if is_name(id) => Some(Route::ReleaseState((*id).to_owned())),
        ["release", id, file] if is_name(id) => {
            let lang = file.strip_suffix(".pdf")?;
            is_language_tag(lang)
                .then(|| Route::Pdf { release: (*id).to_owned(), lang: lang.to_owned() })
        }
        ["page", file] => {
            let (hash, raster) = match file.strip_suffix(".svg") {
                Some(hash) => (hash, false),
                None => (file.strip_suffix(".bmp")?, true),
            };
            let hex = hash.len() == 32 && hash.bytes().all(|b| b.is_ascii_hexdigit());
            let hash = hash.to_ascii_lowercase();
            hex.then_some(if raster { Route::Raster(hash) } else { Route::Page(hash) })
        }
        ["web"] => Some(Route::WebRoot),
        ["web", rest @ ..] => WebPath::parse(rest).map(Route::Web),
        ["api", "releases"] => Some(Route::ApiReleases),
        ["api", "release", id, lang, "messages"] if is_name(id) && is_language_tag(lang) => {
            Some(Route::ApiMessages { release: (*id).to_owned(), lang: (*lang).to_owned() })
        }
        ["api", "release", id, lang, part, msg]
            if is_name(id) && is_language_tag(lang) && is_entry_id(msg) =>
        {
            Some(Route::ApiMessage {
                release: (*id).to_owned(),
                lang: (*lang).to_owned(),
                id: (*msg).to_owned(),
                part: MessagePart::parse(part)?,
            })
        }
        ["assets", "ui.json"] => Some(Route::UiWords),
        ["assets", name] => {
            ASSETS.iter().find(|(n, _, _)| n == name).map(|(n, _, _)| Route::Asset(n))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_routes() {
        assert_eq!(route("/"), Some(Route::Index));
        assert_eq!(route("/?x=1"), Some(Route::Index));
        assert_eq!(route("/events"), Some(Route::Events(None)));
        assert_eq!(route("/release/x/events"), Some(Route::Events(Some("x".to_owned()))));
        let id = "2015-03-11-eu-central-asia-security-dialogue";
        assert_eq!(route(&format!("/release/{id}")), Some(Route::Release(id.to_owned())));
        assert_eq!(
            route(&format!("/release/{id}/state.json")),
            Some(Route::ReleaseState(id.to_owned()))
        );
        assert_eq!(
            route(&format!("/release/{id}/tg.pdf?v=3")),
            Some(Route::Pdf { release: id.to_owned(), lang: "tg".to_owned() })
        );
        let hash = "0123456789abcdef0123456789ABCDEF";
        assert_eq!(
            route(&format!("/page/{hash}.svg")),
            Some(Route::Page(hash.to_ascii_lowercase()))
        );
        assert_eq!(
            route(&format!("/page/{hash}.bmp")),
            Some(Route::Raster(hash.to_ascii_lowercase()))
        );
        assert_eq!(route("/assets/preview.js"), Some(Route::Asset("preview.js")));
        assert_eq!(route("/api/releases"), Some(Route::ApiReleases));
        assert_eq!(
            route(&format!("/api/release/{id}/tg/message/-eu")),
            Some(Route::ApiMessage {
                release: id.to_owned(),
                lang: "tg".into(),
                id: "-eu".into(),
                part: MessagePart::Entry
            })
        );
        assert!(matches!(
            route(&format!("/api/release/{id}/tg/history/title")),
            Some(Route::ApiMessage { part: MessagePart::History, .. })
        ));
        assert_eq!(route(&format!("/api/release/{id}/tg/other/title")), None);
        assert_eq!(route("/web"), Some(Route::WebRoot));
        assert_eq!(route("/web/"), Some(Route::Web(WebPath::Home)));
        assert_eq!(
            route(&format!("/web/tg/{id}.html")),
            Some(Route::Web(WebPath::Release { lang: "tg".into(), id: id.into() }))
        );
        assert_eq!(post_route("/api/save"), Some(Post::Save));
        assert_eq!(post_route("/api/save/"), None);
    }

    #[test]
    fn nothing_else_is_a_route() {
        for url in [
            "",
            "index.html",
            "//",
            "/release",
            "/release/",
            "/release/..",
            "/release/../pressroom.toml",
            "/release/2015-03-11-x/../../etc/passwd",
            "/release/%2e%2e",
            "/release/2015-03-11-x/en",
            "/release/2015-03-11-x/EN GB.pdf",
            "/release/2015-03-11-x/../en.pdf",
            "/page/abc.svg",
            "/page/0123456789abcdef0123456789abcdeg.svg",
            "/page/../../etc/passwd",
            "/assets/",
            "/assets/../Cargo.toml",
            "/out/x.pdf",
            "/events/",
            "http://example.com/",
            "/\u{0}",
            "/release/2015-03-11-\u{441}",
            "/api/release/x/tg/message/../../pressroom.toml",
            "/api/release/x/tg/message/a.b",
            "/api/release/x/../messages",
            "/api/release/x/tg/message/1st",
            "/web/../pressroom.toml",
            "/web/tg/../../pressroom.toml",
            "/web/tg/x/y.html",
            "/web/.git",
        ] {
            assert_eq!(route(url), None, "{url:?}");
        }
    }
}
