//! The e-mail edition: an `.eml` per release and language (mail-builder),
//! with the text in a `text/plain` and a `text/html` part and the PDF
//! attached. Sending is the office's mail system's job. The same sources
//! give the same bytes: the date is the release's, the Message-ID and the
//! MIME boundaries are made from the release and language.

use mail_builder::MessageBuilder;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::raw::Raw;
use mail_builder::mime::{BodyPart, MimePart};

use sha2::{Digest, Sha256};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::files::{Folder, read_record, write_record};
use super::site::{Site, office_of, pdf_name, release_page, words_of};
use super::{Edition, Fate};
use crate::date::Timestamp;
use crate::diag::{Diagnostic, Diagnostics};

/// Where the e-mail folder remembers when each message was written.
const SENT: &str = ".pressroom-sent.json";

/// The e-mails of a folder as last written: `<lang>/<id>` -> the
/// fingerprint of what it says, and its `Date:`.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
struct Sent(BTreeMap<String, Dated>);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Dated {
    key: String,
    date: Timestamp,
}

/// Writes the e-mail of each of `editions` into `folder`: an edition held
/// back keeps its message as it is, and a message says the moment it was
/// first written with what it says (so writing it again changes nothing).
pub fn write(
    site: &Site<'_>,
    editions: &[&Edition],
    folder: &mut Folder,
    now: Timestamp,
) -> std::io::Result<Diagnostics> {
    let old: Sent = read_record(&folder.root().join(SENT));
    let mut sent = Sent::default();
    let mut diags = Diagnostics::default();
    let name = |e: &Edition| format!("{}.{}.eml", e.id, e.lang);
    let mut to_write = Vec::new();
    for edition in editions {
        let slot = format!("{}/{}", edition.lang, edition.id);
        let key = match edition.under_embargo {
            Some(moment) => format!("{} embargo={}", edition.key, moment.rfc3339()),
            None => edition.key.clone(),
        };
        let previous = old.0.get(&slot);
        if edition.fate == Fate::HeldBack {
            folder.keep(&name(edition));
            if let Some(previous) = previous {
                sent.0.insert(slot, previous.clone());
            }
            continue;
        }
        let date = match previous {
            Some(previous) if previous.key == key => {
                if folder.kept(&name(edition)) {
                    sent.0.insert(slot, previous.clone());
                    continue;
                }
                previous.date
            }
            _ => now,
        };
        sent.0.insert(slot, Dated { key, date });
        to_write.push((*edition, date));
    }
    // Made on every core (each with its PDF attached), a few at a time so
    // that memory stays bounded, and written in order.
    for chunk in to_write.chunks(32) {
        let messages: Vec<_> = {
            use rayon::prelude::*;
            chunk.par_iter().map(|(e, date)| message(site, e, *date)).collect()
        };
        for ((edition, _), message) in chunk.iter().zip(messages) {
            match message {
                Ok(bytes) => folder.put(&name(edition), &bytes)?,
                Err(diag) => {
                    folder.keep(&name(edition));
                    diags.push(diag.language(&edition.lang).release(edition.id.as_str()));
                }
            }
        }
    }
    if sent != old || !folder.root().join(SENT).is_file() {
        write_record(&folder.root().join(SENT), &sent)?;
    }
    Ok(diags)
}

/// Text for a header: one line, no control character. `check` refuses
/// such text in every message that reaches a header; this is the last
/// line of defence, so that nothing a translator writes becomes a header.
fn header_text(text: &str) -> Result<String, Diagnostic> {
    match text.chars().find(|c| c.is_control()) {
        None => Ok(text.to_owned()),
        Some(c) => Err(Diagnostic::error(
            "publish",
            format!("an e-mail header would hold the control character U+{:04X}", c as u32),
        )
        .hint(format!("in: {}", text.escape_debug()))),
    }
}

/// A boundary no text contains by chance, the same for the same message.
fn boundary(seed: &str, part: &str) -> String {
    let digest = Sha256::digest(format!("{seed}/{part}").as_bytes());
    format!("=_pressroom_{part}_{}", crate::freshness::hex(&digest[..12]))
}

fn message(site: &Site<'_>, edition: &Edition, date: Timestamp) -> Result<Vec<u8>, Diagnostic> {
    let doc = edition.doc()?;
    let office = office_of(doc);
    // From and Reply-To: the release's first contact with an address, else
    // the office's.
    let contact = doc.contacts.iter().find_map(|c| {
        let person = c.person.as_ref().unwrap_or(&c.name);
        Some((person.value.clone(), c.email.clone()?))
    });
    let (name, address) = contact
        .or_else(|| Some((office.name.clone(), site.project.config.office.email.clone()?)))
        .ok_or_else(|| {
            Diagnostic::error(
                "publish",
                "the e-mail has no sender: no contact or office has an e-mail address",
            )
            .in_file(crate::project::CONFIG_FILE)
            .hint("give the release's contact (or [office]) an `email = \"…\"`")
        })?;
    // Under embargo, it is not on the site yet: no link to it.
    let embargo = edition
        .under_embargo
        .map(|_| doc.embargo.as_ref().map(|t| t.value.clone()).unwrap_or_default());
    let url = embargo.is_none().then(|| site.canonical(&release_page(edition)));
    let context = super::ser::EmailContext {
        lang: super::ser::LangContext { tag: edition.lang.clone(), dir: doc.dir.clone() },
        doc,
        office,
        words: words_of(doc),
        release: super::ser::EmailRelease {
            fonts: site.canonical("fonts.css"),
            id: edition.id.to_string(),
            date: edition.date.iso(),
            url,
            embargo: embargo.clone(),
        },
    };
    let templates = site.templates_for(edition.id.as_str());
    let html = templates.render("email.html", &context)?;
    let text = templates.render("email.txt", &context)?;
    let pdf = std::fs::read(&edition.pdf).map_err(|err| {
        Diagnostic::error("publish", format!("cannot read the PDF to attach: {err}"))
            .in_file(site.project.relative(&edition.pdf))
    })?;

    let seed = format!("{}.{}", edition.id, edition.lang);
    // Twice the size it shows at, for sharp screens.
    static EMBLEM: std::sync::OnceLock<Option<Vec<u8>>> = std::sync::OnceLock::new();
    let emblem = EMBLEM
        .get_or_init(|| super::emblem::png(72))
        .clone()
        .ok_or_else(|| Diagnostic::error("publish", "cannot draw the emblem for the e-mail"))?;
    let alternative = MimePart::new(
        ContentType::new("multipart/alternative").attribute("boundary", boundary(&seed, "alt")),
        BodyPart::Multipart(vec![
            MimePart::new(ContentType::new("text/plain").attribute("charset", "utf-8"), text)
                .language(edition.lang.clone()),
            // The HTML and the emblem it shows, as one (RFC 2387).
            MimePart::new(
                ContentType::new("multipart/related").attribute("boundary", boundary(&seed, "rel")),
                BodyPart::Multipart(vec![
                    MimePart::new(
                        ContentType::new("text/html").attribute("charset", "utf-8"),
                        html,
                    )
                    .language(edition.lang.clone()),
                    MimePart::new(ContentType::new("image/png"), BodyPart::Binary(emblem.into()))
                        .inline()
                        .cid("emblem@pressroom"),
                ]),
            ),
        ]),
    );
    let attachment =
        MimePart::new(ContentType::new("application/pdf"), BodyPart::Binary(pdf.into()))
            .attachment(pdf_name(edition));
    let body = MimePart::new(
        ContentType::new("multipart/mixed").attribute("boundary", boundary(&seed, "mixed")),
        BodyPart::Multipart(vec![alternative, attachment]),
    );
    let host = site
        .base_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':']).next())
        .filter(|h| !h.is_empty())
        .unwrap_or("pressroom.invalid");
    let mut builder = MessageBuilder::new()
        .from((header_text(&name)?, header_text(&address)?))
        .reply_to((header_text(&name)?, header_text(&address)?))
        .subject(header_text(&match &embargo {
            Some(embargo) => format!("{embargo}: {}", doc.title.value),
            None => doc.title.value.clone(),
        })?)
        .date(date.0)
        .message_id(format!("{seed}@{host}"))
        .header("Content-Language", Raw::new(edition.lang.clone()))
        .body(body);
    let publish = &site.project.config.publish;
    if let Some(unsubscribe) = &publish.list_unsubscribe {
        builder = builder.header("List-Unsubscribe", Raw::new(unsubscribe.clone()));
        if let Some(post) = &publish.list_unsubscribe_post {
            builder = builder.header("List-Unsubscribe-Post", Raw::new(post.clone()));
        }
    }
    builder
        .write_to_vec()
        .map_err(|err| Diagnostic::error("publish", format!("cannot write the e-mail: {err}")))
}
