//! A language in progress, said once: the translations a final build of a
//! language lacks (missing or stale), gathered from every release's
//! findings into one list per language, each message once, by the file to
//! edit. A language the office just added is one paragraph, not a page of
//! errors.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diag::{Diagnostic, Diagnostics};

/// What keeps one language's finals from being made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unfinished {
    pub lang: String,
    /// File to edit -> the messages missing from it, each once.
    pub missing: BTreeMap<PathBuf, Vec<String>>,
    /// File to edit -> the messages whose translation is stale.
    pub stale: BTreeMap<PathBuf, Vec<StaleMessage>>,
    /// Files that do not exist yet.
    pub absent: Vec<PathBuf>,
}

impl Unfinished {
    pub fn missing_count(&self) -> usize {
        self.missing.values().map(Vec::len).sum()
    }

    pub fn stale_count(&self) -> usize {
        self.stale.values().map(Vec::len).sum()
    }
}

/// A stale message and where it is (line and column), when known.
pub type StaleMessage = (String, Option<(usize, usize)>);

/// Splits `diags` into the unfinished translations of each language but
/// `source` (in the office's order of `languages`) and every other finding.
pub fn gather(
    diags: &Diagnostics,
    source: &str,
    languages: &[String],
) -> (Vec<Unfinished>, Diagnostics) {
    let mut by_lang: BTreeMap<String, Unfinished> = BTreeMap::new();
    let mut rest = Diagnostics::default();
    for d in diags.iter() {
        let gap = match d.code {
            "missing-message" => Some(true),
            "stale-translation" if d.is_error() => Some(false),
            _ => None,
        };
        let (Some(missing), Some(lang), Some(id), Some(file)) =
            (gap, d.language.as_deref(), d.message_id.as_deref(), d.file_path())
        else {
            rest.push(d.clone());
            continue;
        };
        if lang == source {
            rest.push(d.clone());
            continue;
        }
        let entry = by_lang
            .entry(lang.to_owned())
            .or_insert_with(|| Unfinished { lang: lang.to_owned(), ..Unfinished::default() });
        if missing {
            if d.message.contains("does not exist") && !entry.absent.iter().any(|f| f == file) {
                entry.absent.push(file.to_path_buf());
            }
            let ids = entry.missing.entry(file.to_path_buf()).or_default();
            if !ids.iter().any(|known| known == id) {
                ids.push(id.to_owned());
            }
        } else {
            let ids = entry.stale.entry(file.to_path_buf()).or_default();
            if !ids.iter().any(|(known, _)| known == id) {
                ids.push((id.to_owned(), d.line_col()));
            }
        }
    }
    let order = |lang: &str| languages.iter().position(|l| l == lang).unwrap_or(usize::MAX);
    let mut unfinished: Vec<Unfinished> = by_lang.into_values().collect();
    unfinished.sort_by_key(|u| (order(&u.lang), u.lang.clone()));
    (unfinished, rest)
}

/// One error per unfinished language, its message listing what to edit:
/// how every command that makes finals reports it.
pub fn as_diagnostic(unfinished: &Unfinished) -> Diagnostic {
    let lang = &unfinished.lang;
    let mut counts = Vec::new();
    if unfinished.missing_count() > 0 {
        counts.push(format!("{} message(s) missing", unfinished.missing_count()));
    }
    if unfinished.stale_count() > 0 {
        counts.push(format!("{} stale", unfinished.stale_count()));
    }
    let mut text = format!(
        "{lang} is not finished: {}; its finals wait, the other languages' are made",
        counts.join(", ")
    );
    for (file, ids) in &unfinished.missing {
        let how = if unfinished.absent.contains(file) { "does not exist yet" } else { "lacks" };
        text.push_str(&format!("\n  {} {how}: {}", file.display(), ids.join(", ")));
    }
    for (file, ids) in &unfinished.stale {
        for (id, at) in ids {
            let at = at.map(|(line, col)| format!(":{line}:{col}")).unwrap_or_default();
            text.push_str(&format!(
                "\n  {}{at}: `{id}` is stale (the source text changed since)",
                file.display()
            ));
        }
    }
    let d = Diagnostic::error("unfinished-language", text).language(lang.clone());
    let accept = if unfinished.stale_count() > 0 {
        format!(", `pressroom l10n accept {lang}` for stale ones that still say the same")
    } else {
        String::new()
    };
    d.hint(format!(
        "translate them (`pressroom serve --lang {lang}` shows where each prints){accept}, \
         or build with --draft to see the language with the source text in place"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_message_once_per_file() {
        let missing = |id: &str, release: &str, file: &str| {
            Diagnostic::error("missing-message", format!("message `{id}` is missing"))
                .in_file(file)
                .language("uz")
                .release(release)
                .about_message(id)
        };
        let diags = Diagnostics(vec![
            missing("web-archive", "a", "locales/uz/office.ftl"),
            missing("web-archive", "b", "locales/uz/office.ftl"),
            missing("title", "a", "locales/uz/releases/a.ftl"),
            missing("title", "a", "locales/en/releases/a.ftl").language("en"),
            Diagnostic::error("layout", "broken"),
        ]);
        let langs = ["en".to_owned(), "uz".to_owned()];
        let (unfinished, rest) = gather(&diags, "en", &langs);
        assert_eq!(unfinished.len(), 1);
        assert_eq!(unfinished[0].missing_count(), 2);
        assert_eq!(rest.iter().count(), 2, "the source language's and the rest stay");
        let said = as_diagnostic(&unfinished[0]).message;
        assert!(said.contains("uz is not finished: 2 message(s) missing"), "{said}");
        assert!(said.contains("locales/uz/office.ftl lacks: web-archive"), "{said}");
    }
}
