//! Names that become parts of paths and URLs: release ids, language tags and
//! the plain names of places, kinds, contacts and layouts. The ground floor:
//! nothing here depends on the rest of pressroom but its diagnostics.

use std::fmt;

use crate::diag::Diagnostic;

/// A release id: the stem of `releases/<id>.toml`, lowercase ASCII letters,
/// digits and `-`. Validated before it is ever joined to a path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReleaseId(String);

impl ReleaseId {
    pub fn new(id: &str) -> Result<Self, Diagnostic> {
        if is_site_file(id) {
            return Err(Diagnostic::error(
                "release-id",
                format!("`{id}` cannot be a release id: the web edition has a page of that name"),
            )
            .hint(
                "`index` and `page-<n>` are each language's archive pages; \
                 name the release by convention YYYY-MM-DD-short-title",
            ));
        }
        if is_name(id) {
            Ok(Self(id.to_owned()))
        } else {
            Err(Diagnostic::error("release-id", format!("`{id}` is not a release id")).hint(
                "a release id is lowercase letters, digits and `-`, \
                 by convention YYYY-MM-DD-short-title",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReleaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The names the web edition gives its own pages in a language's folder
/// (`index.html`, `page-2.html`): no release page may take them.
fn is_site_file(id: &str) -> bool {
    id == "index"
        || id
            .strip_prefix("page-")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A plain name usable as one path segment: lowercase ASCII letters, digits
/// and `-`, not starting with `-`.
pub fn is_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A BCP 47 language tag that is also safe as a folder name.
pub fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && tag.parse::<icu_locale::Locale>().is_ok()
}
