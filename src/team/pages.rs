//! The team service's own pages (sign-in, the desk), from templates with a
//! named context each, in the interface language the browser asks for.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;
use minijinja::Environment;
use serde::Serialize;

use super::desk::SyncView;
use super::git::SyncState;
use super::store::AuditEntry;
use crate::project::Project;

/// `signin.html`.
#[derive(Debug, Serialize)]
struct SigninPage<'a> {
    lang: &'a str,
    w: &'a BTreeMap<String, String>,
}

/// `desk.html`.
#[derive(Debug, Serialize)]
struct DeskPage<'a> {
    lang: &'a str,
    w: &'a BTreeMap<String, String>,
    person: &'a str,
    csrf: &'a str,
    releases: Vec<String>,
    audit: Vec<AuditRow>,
    /// Where the repository stands against its remote, in words; `None`
    /// without a remote.
    sync: Option<String>,
}

/// An audit line as the desk shows it: newest first, in words.
#[derive(Debug, Serialize)]
struct AuditRow {
    /// UTC, `2026-12-07 14:05`.
    when: String,
    who: String,
    what: String,
    detail: String,
}

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        crate::publish::embedded_templates(&[
            ("page.html", include_str!("templates/page.html")),
            ("signin.html", include_str!("templates/signin.html")),
            ("desk.html", include_str!("templates/desk.html")),
        ])
    })
}

fn render(name: &str, context: impl Serialize) -> String {
    crate::publish::render_embedded(environment(), name, context)
}

fn words(lang: &str) -> &'static BTreeMap<String, String> {
    static WORDS: OnceLock<BTreeMap<&'static str, BTreeMap<String, String>>> = OnceLock::new();
    let all = WORDS.get_or_init(crate::serve::ui_words);
    all.get(lang).or_else(|| all.get("en")).unwrap_or_else(|| {
        static EMPTY: BTreeMap<String, String> = BTreeMap::new();
        &EMPTY
    })
}

/// The interface language the browser prefers (`Accept-Language`, in its
/// order), of those the interface has; English otherwise.
pub fn language(headers: &HeaderMap) -> String {
    let asked = headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let all = crate::serve::ui_words();
    asked
        .split(',')
        .filter_map(|part| part.split(';').next())
        .map(|tag| tag.trim().split('-').next().unwrap_or("").to_ascii_lowercase())
        .find(|tag| all.contains_key(tag.as_str()))
        .unwrap_or_else(|| "en".to_owned())
}

pub fn signin(lang: &str) -> String {
    render("signin.html", SigninPage { lang, w: words(lang) })
}

/// The sync state in words, its variables filled.
fn sync_words(w: &BTreeMap<String, String>, sync: &SyncView) -> Option<String> {
    let remote = sync.remote.as_deref()?;
    let (key, fill): (&str, Vec<(&str, String)>) = match &sync.state {
        SyncState::Off => ("team-sync-never", vec![]),
        SyncState::UpToDate => ("team-sync-up-to-date", vec![]),
        SyncState::Pulled { commits } => ("team-sync-pulled", vec![("count", commits.to_string())]),
        SyncState::Pushed { commits } => ("team-sync-pushed", vec![("count", commits.to_string())]),
        SyncState::Diverged { ours, theirs } => {
            ("team-sync-diverged", vec![("ours", ours.to_string()), ("theirs", theirs.to_string())])
        }
        SyncState::Failed { error } => ("team-sync-failed", vec![("error", error.clone())]),
    };
    let mut text =
        w.get(key).cloned().unwrap_or_else(|| key.to_owned()).replace("{$remote}", remote);
    for (name, value) in fill {
        text = text.replace(&format!("{{${name}}}"), &value);
    }
    Some(text)
}

pub fn desk(
    lang: &str,
    project: &Project,
    person: &str,
    csrf: &str,
    entries: &[AuditEntry],
    sync: &SyncView,
) -> String {
    let w = words(lang);
    let releases =
        project.release_ids().unwrap_or_default().iter().map(|id| id.to_string()).collect();
    let audit = entries
        .iter()
        .rev()
        .take(200)
        .map(|entry| {
            let (date, h, m, _) = crate::date::Timestamp(entry.at).utc();
            AuditRow {
                when: format!("{} {h:02}:{m:02}", date.iso()),
                who: entry.who.clone(),
                what: w
                    .get(&format!("team-action-{}", entry.action.name()))
                    .cloned()
                    .unwrap_or_else(|| entry.action.name().to_owned()),
                detail: entry.detail.clone(),
            }
        })
        .collect();
    let sync = sync_words(w, sync);
    render("desk.html", DeskPage { lang, w, person, csrf, releases, audit, sync })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_templates_parse() {
        for name in ["signin.html", "desk.html"] {
            assert!(super::environment().get_template(name).is_ok(), "{name}");
        }
    }
}
