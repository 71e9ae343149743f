//! Who may do what: an account's roles, and the actions the service checks
//! them against on every route, reads included.

use std::fmt;

use crate::names::is_language_tag;

/// A role an account holds (`pressroom user add … --role translator:tg`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// The press officer: the source language, final builds, signing,
    /// publishing, the audit log.
    Office,
    /// Edits one language's translations.
    Translator(String),
    /// Approves one language's translations (review before print).
    Reviewer(String),
    /// Reads drafts and the web edition, changes nothing.
    Viewer,
}

/// What a request asks to do; each route names one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Read drafts, pages, messages: any role (drafts are not public).
    Read,
    /// Write a language's messages (draft renders of unsaved text too).
    Edit { lang: String },
    /// Mark a language's stale translations up to date.
    Accept { lang: String },
    /// Approve a language's translations.
    Approve { lang: String },
    /// Final builds, signatures, publication, the audit log.
    Office,
}

impl Role {
    /// `office`, `viewer`, `translator:<tag>`, `reviewer:<tag>`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let lang = |tag: &str| {
            if is_language_tag(tag) {
                Ok(tag.to_owned())
            } else {
                Err(format!("`{tag}` is not a language tag (for example tg, ru, pt-BR)"))
            }
        };
        match text.split_once(':') {
            None if text == "office" => Ok(Self::Office),
            None if text == "viewer" => Ok(Self::Viewer),
            Some(("translator", tag)) => lang(tag).map(Self::Translator),
            Some(("reviewer", tag)) => lang(tag).map(Self::Reviewer),
            _ => Err(format!(
                "`{text}` is not a role: office, viewer, translator:<lang> or reviewer:<lang>"
            )),
        }
    }

    /// Whether this role lets its holder do `action`, in a project whose
    /// source language is `source`.
    pub fn allows(&self, action: &Action, source: &str) -> bool {
        match (self, action) {
            (_, Action::Read) => true,
            (Self::Office, Action::Office) => true,
            (Self::Office, Action::Edit { lang }) => lang == source,
            (Self::Translator(own), Action::Edit { lang } | Action::Accept { lang }) => {
                own == lang && lang != source
            }
            (Self::Reviewer(own), Action::Approve { lang }) => own == lang && lang != source,
            _ => false,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Office => f.write_str("office"),
            Self::Viewer => f.write_str("viewer"),
            Self::Translator(lang) => write!(f, "translator:{lang}"),
            Self::Reviewer(lang) => write!(f, "reviewer:{lang}"),
        }
    }
}

/// Whether any of `roles` allows `action`.
pub fn allowed(roles: &[Role], action: &Action, source: &str) -> bool {
    roles.iter().any(|role| role.allows(action, source))
}

/// The languages `roles` may edit, of `languages`.
pub fn editable_languages(roles: &[Role], languages: &[String], source: &str) -> Vec<String> {
    languages
        .iter()
        .filter(|lang| allowed(roles, &Action::Edit { lang: (*lang).clone() }, source))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_print_alike() {
        for text in ["office", "viewer", "translator:tg", "reviewer:pt-BR"] {
            assert_eq!(Role::parse(text).unwrap().to_string(), text);
        }
        for text in ["admin", "translator:", "translator:../x", "reviewer", "Office"] {
            assert!(Role::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn each_role_does_only_its_own() {
        let edit = |lang: &str| Action::Edit { lang: lang.into() };
        let tg = Role::Translator("tg".into());
        assert!(tg.allows(&edit("tg"), "en"));
        assert!(!tg.allows(&edit("ru"), "en"));
        assert!(!tg.allows(&edit("en"), "en"));
        assert!(!tg.allows(&Action::Office, "en"));
        assert!(Role::Office.allows(&edit("en"), "en"));
        assert!(!Role::Office.allows(&edit("tg"), "en"));
        assert!(!Role::Viewer.allows(&edit("tg"), "en"));
        assert!(Role::Viewer.allows(&Action::Read, "en"));
        assert!(!Role::Reviewer("tg".into()).allows(&edit("tg"), "en"));
        assert!(Role::Reviewer("tg".into()).allows(&Action::Approve { lang: "tg".into() }, "en"));
    }
}
