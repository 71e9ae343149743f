//! The editor's own words in each language of its interface (`ui/*.ftl`,
//! the same ids in each): sent to the page as `/assets/ui.json`, each
//! message as text with its variables left as `{$name}` for the page to
//! fill. The page picks the browser's language (`navigator.languages`, what
//! `Accept-Language` is made from) or the one the translator chose.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use fluent_syntax::ast;

/// The interface's languages: tag, Fluent file.
const LANGUAGES: &[(&str, &str)] = &[
    ("en", include_str!("ui/en.ftl")),
    ("ru", include_str!("ui/ru.ftl")),
    ("tg", include_str!("ui/tg.ftl")),
];

/// `{"en": {"ui-save": "Save", …}, "ru": {…}, "tg": {…}}`.
pub fn words_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| serde_json::to_string(&words()).unwrap_or_else(|_| "{}".to_owned()))
}

/// An interface word in English with its `{$name}` filled: what the API
/// says where a page is not there to say it in the reader's language.
pub fn english(key: &str, name: &str) -> String {
    static ENGLISH: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    let words = ENGLISH.get_or_init(|| messages(LANGUAGES[0].1));
    words.get(key).map_or_else(|| name.to_owned(), |text| text.replace("{$name}", name))
}

/// Each interface language's messages, as the page fills them.
pub fn words() -> BTreeMap<&'static str, BTreeMap<String, String>> {
    LANGUAGES.iter().map(|(tag, ftl)| (*tag, messages(ftl))).collect()
}

fn messages(ftl: &str) -> BTreeMap<String, String> {
    let resource = match fluent_syntax::parser::parse(ftl) {
        Ok(resource) => resource,
        Err((resource, _)) => resource,
    };
    let mut out = BTreeMap::new();
    for entry in resource.body {
        let ast::Entry::Message(message) = entry else { continue };
        let Some(value) = message.value else { continue };
        let mut text = String::new();
        for element in value.elements {
            match element {
                ast::PatternElement::TextElement { value } => text.push_str(value),
                ast::PatternElement::Placeable {
                    expression:
                        ast::Expression::Inline(ast::InlineExpression::VariableReference { id }),
                } => text.push_str(&format!("{{${}}}", id.name)),
                // How Fluent writes a brace itself: `{ "{" }`.
                ast::PatternElement::Placeable {
                    expression:
                        ast::Expression::Inline(ast::InlineExpression::StringLiteral { value }),
                } => text.push_str(&value.replace("\\\"", "\"").replace("\\\\", "\\")),
                ast::PatternElement::Placeable { .. } => {}
            }
        }
        out.insert(message.id.name.to_owned(), text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_interface_file_is_valid_fluent() {
        for (tag, ftl) in LANGUAGES {
            assert!(fluent_syntax::parser::parse(*ftl).is_ok(), "ui/{tag}.ftl does not parse");
        }
        let words = words();
        assert_eq!(words["en"]["finding-stray-brace"], "This } closes nothing.");
        assert_eq!(words["en"]["finding-unclosed-placeable-hint"].matches("{\"{\"}").count(), 1);
    }

    #[test]
    fn every_interface_language_has_every_word_and_its_variables() {
        let words = words();
        let english = &words["en"];
        assert!(english.len() > 60);
        for (tag, own) in &words {
            for (id, text) in english {
                let theirs = own.get(id).unwrap_or_else(|| panic!("{tag} lacks {id}"));
                for var in text.split("{$").skip(1).map(|r| r.split('}').next().unwrap_or_default())
                {
                    assert!(theirs.contains(&format!("{{${var}}}")), "{tag} {id} lacks ${var}");
                }
            }
            assert_eq!(own.len(), english.len(), "{tag} has words English lacks");
        }
        assert_eq!(words["tg"]["ui-save"], "Захира кардан");
        assert_eq!(
            words["ru"]["ui-restored"],
            "Ваш несохранённый текст от {$time} восстановлен и ещё не сохранён."
        );
    }
}
