//! Localization: Fluent bundles per language (office words plus one
//! release's text), CLDR dates and plurals.

pub mod catalog;
pub mod cldr;
pub mod compare;
pub mod dates;
pub mod entries;
pub mod fields;
pub mod ftl;
pub mod nesting;
pub mod state;
pub mod typography;
pub mod unfinished;
pub mod xliff;

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentError, FluentResource, FluentValue};

pub use crate::date::DateFormat;
use crate::diag::{Diagnostic, Diagnostics};
pub use catalog::Catalog;
pub use ftl::FtlFile;

/// The Fluent messages available to one release in one language:
/// `locales/<lang>/office.ftl` and `locales/<lang>/releases/<id>.ftl`.
pub struct Localizer {
    pub lang: String,
    bundle: FluentBundle<Arc<FluentResource>>,
    pub office: Option<FtlFile>,
    pub release: Option<FtlFile>,
    stale: BTreeSet<String>,
    /// With `[review] required`: translations nobody approved yet, which a
    /// final refuses and a draft marks.
    pub unapproved: BTreeSet<String>,
}

/// A formatted message; in a draft, possibly the source language's text
/// standing in for a missing or stale translation, so the layout can mark it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Text {
    pub value: String,
    pub fallback: Option<Fallback>,
    /// The message it comes from (`title`, `label-contacts`, `-eu` never: a
    /// term prints inside a message): the layout marks where it prints, so
    /// a click on the preview finds the message to edit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub msg: Option<String>,
}

impl Text {
    /// Text that comes from no message.
    pub fn plain(value: String) -> Self {
        Self { value, fallback: None, msg: None }
    }
}

/// Why a draft shows the source text in place of a translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fallback {
    Missing,
    Stale,
    /// The translation itself, not yet approved (review before print).
    Unreviewed,
}

impl Localizer {
    /// A localizer over already parsed files. `stale` names the messages
    /// whose translation predates a change of the source text.
    pub fn new(
        lang: &str,
        office: Option<FtlFile>,
        release: Option<FtlFile>,
        stale: BTreeSet<String>,
    ) -> (Self, Diagnostics) {
        let mut diags = Diagnostics::default();
        let langid = lang.parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![cldr::plural_locale(lang), langid]);
        // Bidi isolation marks would end up in the PDF's text (search, copy).
        bundle.set_use_isolating(false);
        for file in office.iter().chain(release.iter()) {
            diags.extend(compare::duplicates(file, lang));
            if let Err(errors) = bundle.add_resource(file.resource.clone()) {
                for error in errors {
                    let FluentError::Overriding { kind, id } = error else { continue };
                    let is_term = kind.to_string() == "term";
                    let id = if is_term { format!("-{id}") } else { id };
                    if file.duplicates.iter().any(|(dup, _)| *dup == id) {
                        continue; // reported above, at the second definition
                    }
                    let mut d = Diagnostic::error(
                        "fluent-duplicate",
                        format!("the {kind} `{id}` is defined in office.ftl too"),
                    )
                    .language(lang)
                    .hint("office.ftl and the release's file share one namespace; rename one");
                    if let Some(span) = file.span_of(&id) {
                        d = d.at(&file.source, span);
                    }
                    diags.push(d);
                }
            }
        }
        (
            Self {
                lang: lang.to_owned(),
                bundle,
                office,
                release,
                stale,
                unapproved: BTreeSet::new(),
            },
            diags,
        )
    }

    /// Whether the translation of `id` predates the current source text.
    pub fn is_stale(&self, id: &str) -> bool {
        self.stale.contains(id)
    }

    pub fn is_unapproved(&self, id: &str) -> bool {
        self.unapproved.contains(id)
    }

    pub fn has_message(&self, id: &str) -> bool {
        self.bundle.get_message(id).and_then(|m| m.value()).is_some()
    }

    /// Formats message `id` (or its attribute `attr`); `None` when the
    /// language has no such message. Resolution problems (unknown variable,
    /// term or message, a cycle) are reported, located at the message.
    pub fn format(
        &self,
        id: &str,
        attr: Option<&str>,
        args: Option<&FluentArgs>,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        let message = self.bundle.get_message(id)?;
        let pattern = match attr {
            Some(attr) => message.get_attribute(attr)?.value(),
            None => message.value()?,
        };
        let mut errors = Vec::new();
        let value = self.bundle.format_pattern(pattern, args, &mut errors);
        for error in errors {
            let shown = match attr {
                Some(attr) => format!("{id}.{attr}"),
                None => id.to_owned(),
            };
            let mut d = Diagnostic::error("fluent-resolve", format!("in `{shown}`: {error}"))
                .language(&self.lang);
            if let Some((file, span)) = self.locate(id) {
                d = d.at(&file.source, span);
            }
            d = match error {
                FluentError::ResolverError(fluent_bundle::resolver::ResolverError::Reference(
                    _,
                )) => d.hint(
                    "check the spelling; terms (`-eu`) and shared messages live in office.ftl, \
                     variables available to a release are $date and $place",
                ),
                _ => d,
            };
            diags.push(d);
        }
        Some(match value {
            Cow::Borrowed(s) => s.to_owned(),
            Cow::Owned(s) => s,
        })
    }

    /// Where `letter` first occurs in this language's text, and in which
    /// entry: for reporting a letter no font has.
    pub fn find_char(&self, letter: char) -> Option<(&FtlFile, std::ops::Range<usize>, String)> {
        [&self.release, &self.office].into_iter().flatten().find_map(|file| {
            let offset = file.source.text.find(letter)?;
            let entry = file
                .entries
                .iter()
                .filter(|(_, span)| span.start <= offset)
                .max_by_key(|(_, span)| span.start)
                .map(|(id, _)| id.clone())
                .unwrap_or_default();
            Some((file, offset..offset + letter.len_utf8(), entry))
        })
    }

    /// The file and span where message `id` is written, if it is.
    pub fn locate(&self, id: &str) -> Option<(&FtlFile, std::ops::Range<usize>)> {
        [&self.release, &self.office]
            .into_iter()
            .flatten()
            .find_map(|f| f.span_of(id).map(|s| (f, s)))
    }
}

/// Arguments every release message may use.
pub fn release_args<'a>(date: &'a str, place: &'a str) -> FluentArgs<'a> {
    let mut args = FluentArgs::new();
    args.set("date", FluentValue::from(date));
    args.set("place", FluentValue::from(place));
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(lang: &str, ftl: &str) -> FluentBundle<FluentResource> {
        let mut b = FluentBundle::new_concurrent(vec![cldr::plural_locale(lang)]);
        b.set_use_isolating(false);
        b.add_resource(FluentResource::try_new(ftl.to_owned()).unwrap()).unwrap();
        b
    }

    fn count(b: &FluentBundle<FluentResource>, n: i64) -> String {
        let mut args = FluentArgs::new();
        args.set("n", n);
        let msg = b.get_message("m").unwrap();
        b.format_pattern(msg.value().unwrap(), Some(&args), &mut vec![]).into_owned()
    }

    #[test]
    fn tajik_numbers_pick_cldr_plural_variants() {
        let tg = bundle("tg", "m = { $n ->\n    [one] як\n   *[other] бисёр\n}\n");
        assert_eq!(count(&tg, 0), "як", "tg: i = 0 is `one` in CLDR");
        assert_eq!(count(&tg, 1), "як");
        assert_eq!(count(&tg, 2), "бисёр");
        assert_eq!(count(&tg, 11), "бисёр");
    }

    #[test]
    fn russian_numbers_pick_all_four_variants() {
        let ru = bundle(
            "ru",
            "m = { $n ->\n    [one] один\n    [few] несколько\n    [many] много\n   *[other] дробь\n}\n",
        );
        assert_eq!(count(&ru, 1), "один");
        assert_eq!(count(&ru, 21), "один");
        assert_eq!(count(&ru, 3), "несколько");
        assert_eq!(count(&ru, 5), "много");
        assert_eq!(count(&ru, 11), "много");
    }
}
