//! The e-mail edition: an `.eml` per release and language (mail-builder),
//! with the text in a `text/plain` and a `text/html` part and the PDF
//! attached. Sending is the office's mail system's job. The same sources
//! give the same bytes: the date is the release's, the Message-ID and the
//! MIME boundaries are made from the release and language.

use mail_builder::MessageBuilder;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::raw::Raw;
use mail_builder::mime::{BodyPart, MimePart};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::Edition;
use super::files::Folder;
use super::site::{Site, office_of, pdf_name, release_page, words_of};
use crate::diag::{Diagnostic, Diagnostics};

/// Writes every edition's e-mail into `folder`.
pub fn write(site: &Site<'_>, folder: &mut Folder) -> std::io::Result<Diagnostics> {
    let mut diags = Diagnostics::default();
    // Made on every core (each with its PDF attached), a few at a time so
    // that memory stays bounded, and written in order.
    for chunk in site.editions.chunks(32) {
        let messages: Vec<_> = {
            use rayon::prelude::*;
            chunk.par_iter().map(|e| message(site, e)).collect()
        };
        for (edition, message) in chunk.iter().zip(messages) {
            let name = format!("{}.{}.eml", edition.id, edition.lang);
            match message {
                Ok(bytes) => folder.put(&name, &bytes)?,
                Err(diag) => {
                    folder.keep(&name);
                    diags.push(diag.language(&edition.lang).release(edition.id.as_str()));
                }
            }
        }
    }
    Ok(diags)
}

/// A boundary no text contains by chance, the same for the same message.
fn boundary(seed: &str, part: &str) -> String {
    let digest = Sha256::digest(format!("{seed}/{part}").as_bytes());
    format!("=_pressroom_{part}_{}", crate::freshness::hex(&digest[..12]))
}

fn message(site: &Site<'_>, edition: &Edition) -> Result<Vec<u8>, Diagnostic> {
    let doc = &edition.doc;
    let office = office_of(doc);
    // From and Reply-To: the release's first contact with an address, else
    // the office's.
    let contact = doc.contacts.iter().find_map(|c| Some((c.name.value.clone(), c.email.clone()?)));
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
    let url = site.canonical(&release_page(edition));
    let context = json!({
        "lang": { "tag": edition.lang, "dir": doc.dir },
        "doc": doc,
        "office": office,
        "words": words_of(doc),
        "release": { "id": edition.id.as_str(), "date": edition.date.iso(), "url": url },
    });
    let templates = site.templates_for(edition.id.as_str());
    let html = templates.render("email.html", &context)?;
    let text = templates.render("email.txt", &context)?;
    let pdf = std::fs::read(&edition.pdf).map_err(|err| {
        Diagnostic::error("publish", format!("cannot read the PDF to attach: {err}"))
            .in_file(site.project.relative(&edition.pdf))
    })?;

    let seed = format!("{}.{}", edition.id, edition.lang);
    let alternative = MimePart::new(
        ContentType::new("multipart/alternative").attribute("boundary", boundary(&seed, "alt")),
        BodyPart::Multipart(vec![
            MimePart::new(ContentType::new("text/plain").attribute("charset", "utf-8"), text)
                .language(edition.lang.clone()),
            MimePart::new(ContentType::new("text/html").attribute("charset", "utf-8"), html)
                .language(edition.lang.clone()),
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
        .from((name.clone(), address.clone()))
        .reply_to((name, address))
        .subject(doc.title.value.clone())
        .date(edition.date.days_since_epoch() * 86_400)
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
