//! A release: its facts (`releases/<id>.toml`) and their validation.

use toml::value::Datetime;

use crate::toml_reader::Fields;

use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::names::is_name;
use crate::project::Project;

pub use crate::date::{Date, Moment};
pub use crate::names::ReleaseId;

/// Examples shown in hints, per field.
const EXAMPLES: &[(&str, &str)] = &[
    ("date", "date = 2015-03-11"),
    ("place", "place = \"dushanbe\"   (the message place-dushanbe in office.ftl)"),
    ("kind", "kind = \"press-release\"   (the message kind-press-release in office.ftl)"),
    ("contacts", "contacts = [\"press\"]"),
    ("number", "number = \"2015/014\""),
    ("embargo", "embargo = 2015-03-11T10:00:00+05:00"),
    ("layout", "layout = \"letterhead\""),
    ("languages", "languages = [\"en\", \"ru\"]"),
];

/// A validated release: every name it uses exists.
#[derive(Debug, Clone)]
pub struct Release {
    pub id: ReleaseId,
    pub date: Date,
    /// The message id of the place (`place-<place>`).
    pub place: String,
    /// The message id of the kind (`kind-<kind>`).
    pub kind: String,
    pub contacts: Vec<String>,
    pub number: Option<String>,
    pub embargo: Option<Moment>,
    pub layout: String,
    pub languages: Vec<String>,
    pub source: SourceFile,
    place_span: std::ops::Range<usize>,
    kind_span: std::ops::Range<usize>,
}

impl Release {
    /// Reads and validates `releases/<id>.toml`, reporting every problem.
    pub fn load(project: &Project, id: &ReleaseId) -> Result<Self, Diagnostics> {
        let path = project.release_file(id);
        let source = project.read_source(&path).map_err(|err| {
            Diagnostic::error("release-missing", format!("cannot read release `{id}`: {err}"))
                .in_file(project.relative(&path))
                .release(id.as_str())
        })?;
        Self::parse(project, id.clone(), source)
    }

    fn parse(project: &Project, id: ReleaseId, source: SourceFile) -> Result<Self, Diagnostics> {
        let mut fields = Fields::parse(&source, "release", EXAMPLES);
        let raw_date = fields.datetime("date", true);
        let raw_place = fields.string("place", true);
        let raw_kind = fields.string("kind", true);
        let raw_contacts = fields.strings("contacts", false).unwrap_or_default();
        let number = fields.string("number", false).map(|n| n.into_inner());
        let raw_embargo = fields.datetime("embargo", false);
        let raw_layout = fields.string("layout", false);
        let raw_languages = fields.strings("languages", false);
        let mut diags = fields.finish(&[
            "date",
            "place",
            "kind",
            "contacts",
            "number",
            "embargo",
            "layout",
            "languages",
        ]);
        let mut error = |d: Diagnostic| diags.push(d);

        let date = raw_date.as_ref().and_then(|raw| {
            let date = as_date(raw.get_ref());
            if date.is_none() {
                error(
                    Diagnostic::error(
                        "release-date",
                        "`date` must be a calendar date, without a time",
                    )
                    .at(&source, raw.span())
                    .hint("write it as a TOML date, e.g. date = 2015-03-11"),
                );
            }
            date
        });
        let embargo = raw_embargo.as_ref().and_then(|raw| {
            let moment = as_moment(raw.get_ref());
            if moment.is_none() {
                error(
                    Diagnostic::error(
                        "release-embargo",
                        "`embargo` must be a date and time with its UTC offset",
                    )
                    .at(&source, raw.span())
                    .hint("e.g. embargo = 2015-03-11T10:00:00+05:00"),
                );
            }
            moment
        });
        for (what, value) in [("place", &raw_place), ("kind", &raw_kind)] {
            if let Some(value) = value
                && !is_name(value.get_ref())
            {
                error(
                    Diagnostic::error(
                        "release-name",
                        format!("`{}` is not a valid {what} name", value.get_ref()),
                    )
                    .at(&source, value.span())
                    .hint("use lowercase letters, digits and `-`"),
                );
            }
        }
        let mut contacts = Vec::new();
        for contact in &raw_contacts {
            if !project.config.contacts.contains_key(contact.get_ref()) {
                let known = project.config.contacts.keys().cloned().collect::<Vec<_>>();
                let known = if known.is_empty() { "none yet".to_owned() } else { known.join(", ") };
                error(
                    Diagnostic::error(
                        "release-contact",
                        format!("unknown contact `{}`", contact.get_ref()),
                    )
                    .at(&source, contact.span())
                    .hint(format!(
                        "contacts are the [contacts.*] tables of pressroom.toml: {known}"
                    )),
                );
            }
            contacts.push(contact.get_ref().clone());
        }
        let layout = match &raw_layout {
            Some(layout) => {
                let name = layout.get_ref();
                if !project.has_layout(name) {
                    error(
                        Diagnostic::error("release-layout", format!("unknown layout `{name}`"))
                            .at(&source, layout.span())
                            .hint("a layout is a folder under layouts/ holding main.typ"),
                    );
                }
                name.clone()
            }
            None => project.config.layout.get_ref().clone(),
        };
        let office_langs = project.languages();
        let languages = match &raw_languages {
            Some(langs) => {
                let mut out = Vec::new();
                for lang in langs {
                    if !office_langs.contains(lang.get_ref()) {
                        error(
                            Diagnostic::error(
                                "release-language",
                                format!(
                                    "`{}` is not one of the office's languages",
                                    lang.get_ref()
                                ),
                            )
                            .at(&source, lang.span())
                            .hint(format!("pressroom.toml lists: {}", office_langs.join(", "))),
                        );
                    } else if !out.contains(lang.get_ref()) {
                        out.push(lang.get_ref().clone());
                    }
                }
                out
            }
            None => office_langs,
        };
        let diags = diags.map(|d| d.release(id.as_str()));
        let (Some(date), Some(place), Some(kind)) = (date, raw_place, raw_kind) else {
            return Err(diags);
        };
        diags.into_result(Self {
            id,
            date,
            place: format!("place-{}", place.get_ref()),
            kind: format!("kind-{}", kind.get_ref()),
            contacts,
            number,
            embargo,
            layout,
            languages,
            place_span: place.span(),
            kind_span: kind.span(),
            source,
        })
    }

    /// Where the place is named, for "no such message" errors.
    pub fn place_span(&self) -> std::ops::Range<usize> {
        self.place_span.clone()
    }

    pub fn kind_span(&self) -> std::ops::Range<usize> {
        self.kind_span.clone()
    }
}

fn as_date(dt: &Datetime) -> Option<Date> {
    match (dt.date, dt.time, dt.offset) {
        (Some(d), None, None) => Some(Date { year: d.year.into(), month: d.month, day: d.day }),
        _ => None,
    }
}

fn as_moment(dt: &Datetime) -> Option<Moment> {
    let (d, t, offset) = (dt.date?, dt.time?, dt.offset?);
    let offset_minutes = match offset {
        toml::value::Offset::Z => 0,
        toml::value::Offset::Custom { minutes } => minutes.into(),
    };
    Some(Moment {
        date: Date { year: d.year.into(), month: d.month, day: d.day },
        hour: t.hour,
        minute: t.minute,
        offset_minutes,
    })
}
