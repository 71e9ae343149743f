//! The per-language document model: everything a layout prints, as data.
//! Built from the validated release and its localizers; serialized to JSON
//! and read by the layout with `json(...)`, so no text is ever Typst code.

mod model;

use fluent_bundle::{FluentArgs, FluentValue};

pub use model::{
    ContactText, DRAFT_KEYWORD, DateParts, Dateline, Document, FooterItem, Labels, Meta,
    OfficeText, REVIEWED_KEYWORD, SIZE_SLOT, Section, Segment, WebWords,
};

use crate::diag::{Diagnostic, Diagnostics};
use crate::l10n::{DateFormat, Fallback, Localizer, Text, release_args};
use crate::markup;
use crate::project::Project;
use crate::release::Release;

/// Looks up a message: id, attribute, arguments, whether it is required.
type Lookup<'a> = dyn FnMut(&str, Option<&str>, Option<&FluentArgs>, bool) -> Option<Text> + 'a;

/// The visible signature line (`signed-by`): the signatory's name and role
/// and the date, each message looked up through `text`.
fn signature_line(signatory: &str, date: String, text: &mut Lookup<'_>) -> Option<Text> {
    let message = format!("contact-{signatory}");
    let name = text(&message, None, None, true)?;
    let role = text(&message, Some("role"), None, false);
    let mut args = FluentArgs::new();
    args.set("name", FluentValue::from(name.value));
    args.set("role", FluentValue::from(role.map(|r| r.value).unwrap_or_default()));
    args.set("date", FluentValue::from(date));
    text("signed-by", None, Some(&args), true)
}

/// The signature line's words in `target`'s language, for a PDF signed
/// after it was built: what its signature field tells a screen reader.
pub fn signature_words(
    target: &Localizer,
    dates: &DateFormat,
    signatory: &str,
    date: crate::date::Date,
) -> Result<String, Diagnostics> {
    let mut diags = Diagnostics::default();
    let when = target
        .date(dates, date, &mut diags)
        .map_err(|msg| Diagnostics::from(Diagnostic::error("cldr", msg)))?;
    let line = signature_line(signatory, when, &mut |id, attr, args, required| {
        let value = target.format(id, attr, args, &mut diags);
        if value.is_none() && required {
            diags.push(Diagnostic::error(
                "l10n",
                format!("message `{id}` is missing in {}", target.lang),
            ));
        }
        value.map(Text::plain)
    });
    match line {
        Some(line) if !diags.has_errors() => Ok(line.value),
        _ => Err(diags),
    }
}

/// What a screen reader says for an empty signature field kept for a later
/// signer (`signature-field-empty`), in the target language or the source's.
pub fn empty_signature_field(target: &Localizer, source: &Localizer) -> Option<String> {
    let mut ignored = Diagnostics::default();
    target
        .format("signature-field-empty", None, None, &mut ignored)
        .or_else(|| source.format("signature-field-empty", None, None, &mut ignored))
}

/// The sources one document is made from.
pub struct Sources<'a> {
    pub project: &'a Project,
    pub release: &'a Release,
    /// The document's language.
    pub target: &'a Localizer,
    /// The source language, for draft fallbacks (same as `target` for it).
    pub source: &'a Localizer,
    pub draft: bool,
    /// When signing: the signatory (a contact id) and the signing date, for
    /// the visible signature line.
    pub signed: Option<(&'a str, crate::date::Date)>,
    /// Say which message each text comes from, for the preview's editor
    /// (the layout marks it): only pages drawn for the browser carry marks.
    pub marks: bool,
    /// Also the web edition's words ([`WebWords`]), each required.
    pub web: bool,
}

impl Sources<'_> {
    fn mark(&self, id: &str) -> Option<String> {
        self.marks.then(|| id.to_owned())
    }

    /// Formats a message, falling back to the source language in drafts.
    /// A missing required message is an error naming file, message and language.
    fn text(
        &self,
        id: &str,
        attr: Option<&str>,
        args: Option<&FluentArgs>,
        required: bool,
        diags: &mut Diagnostics,
    ) -> Option<Text> {
        let is_source = std::ptr::eq(self.target, self.source);
        if let Some(value) = self.target.format(id, attr, args, diags) {
            if !is_source && !self.target.is_stale(id) && self.target.is_unapproved(id) {
                // Not approved yet: a draft shows it, marked; a final refuses it.
                if self.draft {
                    let fallback = Some(Fallback::Unreviewed);
                    return Some(Text { value, fallback, msg: self.mark(id) });
                }
                diags.push(self.unreviewed(id));
                return None;
            }
            if is_source || !self.target.is_stale(id) {
                return Some(Text { value, fallback: None, msg: self.mark(id) });
            }
            // A stale translation: a draft shows the current source text
            // instead, marked; a final build refuses it.
            if self.draft {
                let mut ignored = Diagnostics::default();
                let value = self.source.format(id, attr, args, &mut ignored).unwrap_or(value);
                return Some(Text { value, fallback: Some(Fallback::Stale), msg: self.mark(id) });
            }
            diags.push(self.stale(id));
            return None;
        }
        if self.draft && !is_source {
            let mut ignored = Diagnostics::default();
            if let Some(value) = self.source.format(id, attr, args, &mut ignored) {
                return Some(Text { value, fallback: Some(Fallback::Missing), msg: self.mark(id) });
            }
        }
        if required || (!is_source && self.source.has_message(id)) {
            diags.push(self.missing(id, attr));
        }
        None
    }

    fn stale(&self, id: &str) -> Diagnostic {
        let lang = &self.target.lang;
        let d = Diagnostic::error(
            "stale-translation",
            format!("the translation of `{id}` is stale: the source text changed since"),
        )
        .hint(format!(
            "update the translation, or run `pressroom l10n accept {lang} {}` if it still \
             says the same; --draft builds with the source text in its place",
            self.release.id
        ));
        self.at_translation(d, id)
    }

    fn unreviewed(&self, id: &str) -> Diagnostic {
        let lang = &self.target.lang;
        let d = Diagnostic::error(
            "unreviewed-translation",
            format!("the translation of `{id}` is not approved yet ([review] required)"),
        )
        .hint(format!(
            "a reviewer of {lang} approves it in the editor, or runs `pressroom l10n approve {lang} {}`; \
             --draft builds with it marked",
            self.release.id
        ));
        self.at_translation(d, id)
    }

    /// `d` about translated message `id`: its language, release and message,
    /// located where the translation has it.
    fn at_translation(&self, d: Diagnostic, id: &str) -> Diagnostic {
        let d = d.language(&self.target.lang).release(self.release.id.as_str()).about_message(id);
        match self.target.locate(id) {
            Some((file, span)) => d.at(&file.source, span),
            None => d,
        }
    }

    fn missing(&self, id: &str, attr: Option<&str>) -> Diagnostic {
        let project = self.project;
        let lang = &self.target.lang;
        let release_message = matches!(id, "title" | "subtitle" | "body" | "background" | "notes");
        let file = if release_message {
            project.relative(&project.release_ftl(lang, &self.release.id))
        } else {
            project.relative(&project.office_ftl(lang))
        };
        let name = match attr {
            Some(attr) => format!("{id}.{attr}"),
            None => id.to_owned(),
        };
        let file_exists = project.root().join(&file).is_file();
        let mut d = Diagnostic::error(
            "missing-message",
            if file_exists {
                format!("message `{name}` is missing from {}", file.display())
            } else {
                format!("message `{name}` is missing: {} does not exist", file.display())
            },
        )
        .in_file(file)
        .language(lang)
        .release(self.release.id.as_str())
        .about_message(name);
        d = if self.target.lang == project.source_language() {
            d.hint("add it to the source language; every other language follows")
        } else {
            d.hint("translate it, or build with --draft to show the source text in its place")
        };
        d
    }

    fn blocks(
        &self,
        id: &str,
        args: &FluentArgs,
        required: bool,
        diags: &mut Diagnostics,
    ) -> Option<Section> {
        let text = self.text(id, None, Some(args), required, diags)?;
        let (blocks, issues) = markup::parse(&text.value);
        for issue in issues {
            let mut d = Diagnostic::warning("markup", format!("in `{id}`: {}", issue.message))
                .hint(issue.hint)
                .language(&self.target.lang)
                .release(self.release.id.as_str());
            if let Some((file, span)) = self.target.locate(id) {
                d = d.at(&file.source, span);
            }
            diags.push(d);
        }
        Some(Section { blocks, fallback: text.fallback, msg: text.msg })
    }
}

/// `text` with its first letter capitalised, as a line begins.
fn line_start(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `diags` when `keep`, else `ignored`.
fn diags_if<'d>(
    keep: bool,
    diags: &'d mut Diagnostics,
    ignored: &'d mut Diagnostics,
) -> &'d mut Diagnostics {
    if keep { diags } else { ignored }
}

/// Builds the document model of one release in one language. Errors (a
/// missing message in a final build, an unknown term…) are all collected.
pub fn build(
    sources: &Sources<'_>,
    dates: &DateFormat,
) -> Result<(Document, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let release = sources.release;
    let project = sources.project;
    let lang = sources.target.lang.clone();

    let date = sources.target.date(dates, release.date, &mut diags).unwrap_or_else(|err| {
        diags.push(Diagnostic::error("release-date", err).at(&release.source, 0..0));
        String::new()
    });
    let blank = || Text::plain(String::new());
    let office = |id: &str, diags: &mut Diagnostics| {
        sources.text(id, None, None, true, diags).unwrap_or_else(blank)
    };
    let draft_only = |id: &str, diags: &mut Diagnostics| {
        let mut ignored = Diagnostics::default();
        let found = diags_if(sources.draft, diags, &mut ignored);
        sources.text(id, None, None, sources.draft, found).unwrap_or_else(blank)
    };

    let place = sources.text(&release.place, None, None, false, &mut diags);
    // A name the source language has is only untranslated (said once, by
    // `text`); one it lacks is unknown.
    let known = |id: &str| sources.source.has_message(id);
    let place = place.unwrap_or_else(|| {
        if !known(&release.place) {
            diags.push(unknown_name(sources, &release.place, release.place_span(), "place"));
        }
        blank()
    });
    let kind = sources.text(&release.kind, None, None, false, &mut diags);
    let kind = kind.unwrap_or_else(|| {
        if !known(&release.kind) {
            diags.push(unknown_name(sources, &release.kind, release.kind_span(), "kind"));
        }
        blank()
    });
    let args = release_args(&date, &place.value);

    let title = sources.text("title", None, Some(&args), true, &mut diags).unwrap_or_else(blank);
    let subtitle = sources.text("subtitle", None, Some(&args), false, &mut diags);
    let body = sources.blocks("body", &args, true, &mut diags);
    let background = sources.blocks("background", &args, false, &mut diags);
    let notes = sources.blocks("notes", &args, false, &mut diags);

    let embargo = release.embargo.and_then(|moment| {
        let when = sources.target.moment(dates, moment, &mut diags).map_err(|err| {
            diags.push(Diagnostic::error("release-embargo", err).at(&release.source, 0..0))
        });
        let mut args = FluentArgs::new();
        args.set("datetime", FluentValue::from(when.ok()?));
        sources.text("label-embargo", None, Some(&args), true, &mut diags)
    });

    let mut contacts = Vec::new();
    for id in &release.contacts {
        let message = format!("contact-{id}");
        // A contact's name begins its line in every edition: capitalised
        // here, once (Fluent keeps the mid-sentence form «хонум …» that
        // the signature line needs).
        let mut name = sources.text(&message, None, None, true, &mut diags).unwrap_or_else(blank);
        name.value = line_start(&name.value);
        let role = sources.text(&message, Some("role"), None, false, &mut diags);
        let contact = project.config.contacts.get(id).map(|c| c.get_ref().clone());
        let person = sources.text(&message, Some("name"), None, false, &mut diags);
        contacts.push(ContactText {
            name,
            person,
            role,
            email: contact.as_ref().and_then(|c| c.email.clone()),
            telephone: contact.as_ref().and_then(|c| c.telephone.clone()),
        });
    }

    let signature = sources.signed.and_then(|(signatory, date)| {
        let when = sources.target.date(dates, date, &mut diags).ok()?;
        signature_line(signatory, when, &mut |id, attr, args, required| {
            sources.text(id, attr, args, required, &mut diags)
        })
    });

    let details = &project.config.office;
    let mut footer = Vec::new();
    // The office's website in this language, where it has one.
    let website = details.websites.get(&lang).cloned().or_else(|| details.website.clone());
    let entries: [(&'static str, &Option<String>, Option<&str>); 5] = [
        ("telephone", &details.telephone, None),
        ("fax", &details.fax, None),
        ("email", &details.email, Some("mailto:")),
        ("website", &website, Some("")),
        ("facebook", &details.facebook, Some("")),
    ];
    for (key, value, link) in entries {
        if let Some(value) = value {
            footer.push(FooterItem {
                key: key.to_owned(),
                label: office(&format!("label-{key}"), &mut diags),
                value: value.clone(),
                url: link.map(|prefix| format!("{prefix}{value}")),
            });
        }
    }

    let mut page_args = FluentArgs::new();
    page_args.set("page", FluentValue::from("\u{E000}"));
    page_args.set("pages", FluentValue::from("\u{E001}"));
    let page = sources.text("label-page", None, Some(&page_args), true, &mut diags);
    let page = page.map(|t| segments(&t.value)).unwrap_or_default();

    let office_name = office("office-name", &mut diags);
    let labels = Labels {
        background: office("label-background", &mut diags),
        contacts: office("label-contacts", &mut diags),
        notes: office("label-notes", &mut diags),
        number: office("label-number", &mut diags),
        address: office("label-address", &mut diags),
        page,
        // Only drafts print these: a final does not need them translated.
        draft: draft_only("label-draft", &mut diags),
        untranslated: draft_only("label-untranslated", &mut diags),
        stale: draft_only("label-stale", &mut diags),
        unreviewed: draft_only("label-unreviewed", &mut diags),
    };
    let web = sources.web.then(|| WebWords {
        language: office("web-language", &mut diags),
        archive: office("web-archive", &mut diags),
        pdf: office("web-pdf", &mut diags),
        signed: office("web-signed", &mut diags),
        feed: office("web-feed", &mut diags),
        languages: office("web-languages", &mut diags),
        pages: office("web-pages", &mut diags),
        newer: office("web-newer", &mut diags),
        older: office("web-older", &mut diags),
        attached: office("web-attached", &mut diags),
        kilobytes: {
            let mut args = FluentArgs::new();
            args.set("size", FluentValue::from(model::SIZE_SLOT.to_string()));
            sources.text("web-kilobytes", None, Some(&args), true, &mut diags).unwrap_or_else(blank)
        },
    });
    let parts = crate::l10n::cldr::language_parts(&lang);
    let document = Document {
        lang: parts.lang,
        region: parts.region,
        dir: if parts.rtl { "rtl" } else { "ltr" }.to_owned(),
        comma: parts.comma.to_owned(),
        tag: lang,
        draft: sources.draft,
        meta: Meta {
            title: title.value.clone(),
            author: office_name.value.clone(),
            subject: format!("{} — {}", kind.value, office_name.value),
            keywords: [kind.value.clone(), place.value.clone(), office_name.value.clone()]
                .into_iter()
                .chain(sources.draft.then(|| model::DRAFT_KEYWORD.to_owned()))
                .chain(
                    (!sources.draft && sources.project.config.review.required)
                        .then(|| model::REVIEWED_KEYWORD.to_owned()),
                )
                .collect(),
            date: DateParts {
                year: release.date.year,
                month: release.date.month,
                day: release.date.day,
            },
        },
        office: OfficeText {
            emblem: office("office-emblem", &mut diags),
            name: office_name,
            address: office("office-address", &mut diags),
            footer,
        },
        labels,
        dateline: Dateline {
            place,
            date,
            date_msg: sources
                .target
                .has_message(crate::l10n::dates::DATE)
                .then(|| sources.mark(crate::l10n::dates::DATE))
                .flatten(),
        },
        kind,
        number: release.number.clone(),
        embargo,
        title,
        subtitle,
        body: body.unwrap_or(Section { blocks: Vec::new(), fallback: None, msg: None }),
        background,
        notes,
        contacts,
        signature,
        web,
    };
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((document, diags))
}

fn unknown_name(
    sources: &Sources<'_>,
    message: &str,
    span: std::ops::Range<usize>,
    what: &str,
) -> Diagnostic {
    Diagnostic::error(
        "release-name",
        format!("the {what} has no message `{message}` in office.ftl"),
    )
    .at(&sources.release.source, span)
    .language(&sources.target.lang)
    .release(sources.release.id.as_str())
    .hint(format!(
        "add `{message} = …` to locales/<lang>/office.ftl of every language, or fix the spelling"
    ))
}

/// Splits a pattern formatted with private-use stand-ins for the page
/// numbers into text and slots.
fn segments(value: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut text = String::new();
    for c in value.chars() {
        let slot = match c {
            '\u{E000}' => Some("page"),
            '\u{E001}' => Some("pages"),
            _ => None,
        };
        match slot {
            Some(slot) => {
                if !text.is_empty() {
                    out.push(Segment::Text { text: std::mem::take(&mut text) });
                }
                out.push(Segment::Slot { slot: slot.to_owned() });
            }
            None => text.push(c),
        }
    }
    if !text.is_empty() {
        out.push(Segment::Text { text });
    }
    out
}
