//! Which outputs a changed file touches, and which files are only an
//! editor's droppings.

use std::collections::BTreeSet;
use std::path::{Component, Path};

/// The outputs one change touches.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Affected {
    /// Every output.
    pub all: bool,
    /// Reload `pressroom.toml` (and so everything).
    pub config: bool,
    /// Fonts changed: reload them.
    pub fonts: bool,
    /// (release, language); `None` as language means all its languages.
    pub outputs: BTreeSet<(String, Option<String>)>,
    /// Languages whose every output is touched (their office.ftl changed).
    pub languages: BTreeSet<String>,
}

impl Affected {
    pub fn is_empty(&self) -> bool {
        !self.all
            && !self.config
            && !self.fonts
            && self.outputs.is_empty()
            && self.languages.is_empty()
    }
}

/// Files editors write beside the real one while saving, which never
/// concern a build: vim's swap and its `4913` probe, backups, our own
/// temporary files, Emacs lock files.
pub fn is_temporary(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return true };
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swx", ".swo", ".tmp", ".bak", ".orig"].iter().any(|ext| name.ends_with(ext))
}

/// Maps a changed file (relative to the root) to the outputs it touches.
pub fn affected_by(rel: &Path, source_lang: &str) -> Affected {
    let mut affected = Affected::default();
    if is_temporary(rel) {
        return affected;
    }
    let parts: Vec<&str> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    let stem = |file: &str, ext: &str| file.strip_suffix(ext).map(str::to_owned);
    match parts.as_slice() {
        ["pressroom.toml"] => affected.config = true,
        ["layouts", ..] => affected.all = true,
        ["fonts", ..] => affected.fonts = true,
        ["releases", file] => {
            if let Some(id) = stem(file, ".toml") {
                affected.outputs.insert((id, None));
            }
        }
        ["locales", lang, "office.ftl"] => {
            if *lang == source_lang {
                affected.all = true;
            } else {
                affected.languages.insert((*lang).to_owned());
            }
        }
        ["locales", lang, "releases", file] => {
            if let Some(id) = stem(file, ".ftl") {
                let lang = (*lang != source_lang).then(|| (*lang).to_owned());
                affected.outputs.insert((id, lang));
            }
        }
        // A translation marked up to date (`l10n accept`, the preview's
        // editor) is drawn without its stale mark. Watch never writes the
        // file, so this cannot loop.
        ["locales", lang, crate::l10n::state::STATE_FILE] if *lang != source_lang => {
            affected.languages.insert((*lang).to_owned());
        }
        // Anything else (README, notes) builds nothing.
        _ => {}
    }
    affected
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs(a: &Affected) -> Vec<(String, Option<String>)> {
        a.outputs.iter().cloned().collect()
    }

    #[test]
    fn changes_map_to_the_outputs_they_touch() {
        let a = affected_by(Path::new("locales/ru/translation-state.toml"), "en");
        assert_eq!(a.languages.iter().collect::<Vec<_>>(), ["ru"]);
        let id = "2015-03-11-x";
        let a = affected_by(Path::new("locales/ru/releases/2015-03-11-x.ftl"), "en");
        assert_eq!(outputs(&a), [(id.to_owned(), Some("ru".to_owned()))]);
        let a = affected_by(Path::new("locales/en/releases/2015-03-11-x.ftl"), "en");
        assert_eq!(outputs(&a), [(id.to_owned(), None)]);
        let a = affected_by(Path::new("releases/2015-03-11-x.toml"), "en");
        assert_eq!(outputs(&a), [(id.to_owned(), None)]);
        let a = affected_by(Path::new("locales/tg/office.ftl"), "en");
        assert_eq!(a.languages.iter().collect::<Vec<_>>(), ["tg"]);
        assert!(affected_by(Path::new("locales/en/office.ftl"), "en").all);
        assert!(affected_by(Path::new("layouts/letterhead/main.typ"), "en").all);
        assert!(affected_by(Path::new("fonts/Extra.otf"), "en").fonts);
        assert!(affected_by(Path::new("pressroom.toml"), "en").config);
    }

    #[test]
    fn editor_droppings_touch_nothing() {
        for path in [
            "locales/ru/releases/.x.ftl.swp",
            "locales/ru/releases/x.ftl~",
            "locales/ru/releases/4913",
            "locales/ru/releases/.x.ftl.abc123.tmp",
            "locales/ru/releases/#x.ftl#",
            "README.md",
        ] {
            assert!(affected_by(Path::new(path), "en").is_empty(), "{path}");
        }
    }
}
