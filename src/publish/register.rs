//! What a published folder holds, edition by edition: the register.
//!
//! The site keeps, beside its files, a record of each edition it publishes
//! (release × language): the fingerprint of the sources it was made from,
//! what the archive, the feed and the switcher list of it, when it was
//! published, and its document model. So an edition whose new version
//! cannot be made (a stale translation, a failed render) stays online as it
//! was, listed everywhere; an unchanged one is neither remade nor
//! re-rendered; and the e-mail's `Date:` is the moment of publication,
//! which republishing does not move. Files are hidden (dot-named): they are
//! pressroom's bookkeeping, not pages.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::files::{read_record, write_record};
use crate::date::{Date, Moment, Timestamp};
use crate::document::Document;

const REGISTER: &str = ".pressroom-editions.json";
const MODELS: &str = ".pressroom-models";

/// What the archive, the feed and the language switcher show of an
/// edition, without its whole model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    pub title: String,
    /// The kind of release, in its language: `Press release`.
    pub kind: String,
    /// The date as the dateline prints it: `11 марта 2015 г.`.
    pub dateline: String,
    pub place: String,
    /// `ltr` or `rtl`.
    pub dir: String,
    /// The language's name in itself: `Тоҷикӣ`.
    pub language: String,
    /// The language's word for its archive.
    pub archive: String,
}

impl Listing {
    pub fn of(doc: &Document) -> Self {
        let word = |pick: fn(&crate::document::WebWords) -> &crate::l10n::Text| {
            doc.web.as_ref().map(|w| pick(w).value.clone()).unwrap_or_default()
        };
        Self {
            title: doc.title.value.clone(),
            kind: doc.kind.value.clone(),
            dateline: doc.dateline.date.clone(),
            place: doc.dateline.place.value.clone(),
            dir: doc.dir.clone(),
            language: word(|w| &w.language),
            archive: word(|w| &w.archive),
        }
    }
}

/// One published edition, as the register remembers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The fingerprint of the sources its PDF and pages were made from.
    pub key: String,
    /// The fingerprint of its page: its own key and its language versions.
    pub page_key: String,
    pub date: Date,
    pub listing: Listing,
    pub pdf_size: u64,
    /// `PAdES B-T`, when signed.
    pub signature: Option<String>,
    /// When this version was first published.
    pub published: Timestamp,
    /// The embargo its release states (past by now).
    #[serde(default)]
    pub embargo: Option<Moment>,
}

/// One edition's place in the register: `<lang>/<id>`.
pub fn slot(lang: &str, id: &str) -> String {
    format!("{lang}/{id}")
}

/// The register of one published folder.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Register {
    /// `<lang>/<id>` -> what is published of it.
    pub editions: BTreeMap<String, Record>,
    /// A language's archive and feed (by tag), or the front door (`""`):
    /// the fingerprint of what they list.
    pub indexes: BTreeMap<String, String>,
    /// The files beside the pages (style sheet, emblem, fonts) and the
    /// fingerprint of what they are made from.
    #[serde(default)]
    pub assets: (String, Vec<String>),
}

impl Register {
    /// The register of `folder`; empty when there is none (or it does not read).
    pub fn load(folder: &Path) -> Self {
        read_record(&folder.join(REGISTER))
    }

    pub fn get(&self, lang: &str, id: &str) -> Option<&Record> {
        self.editions.get(&slot(lang, id))
    }

    /// Saves it into `folder`, when it changed.
    pub fn save(&self, folder: &Path, old: &Register) -> std::io::Result<()> {
        let path = folder.join(REGISTER);
        if self.editions == old.editions
            && self.indexes == old.indexes
            && self.assets == old.assets
            && path.is_file()
        {
            return Ok(());
        }
        write_record(&path, self)
    }
}

/// Where an edition's document model is kept in `folder`.
pub fn model_file(folder: &Path, lang: &str, id: &str) -> PathBuf {
    folder.join(MODELS).join(lang).join(format!("{id}.json"))
}

/// Keeps `doc` as the model of a published edition.
pub fn save_model(folder: &Path, lang: &str, id: &str, doc: &Document) -> std::io::Result<()> {
    write_record(&model_file(folder, lang, id), doc)
}

/// The model of a published edition, when it is kept and reads.
pub fn load_model(path: &Path) -> Option<Document> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// Forgets the model of an edition taken off the site.
pub fn remove_model(folder: &Path, lang: &str, id: &str) {
    let _ = std::fs::remove_file(model_file(folder, lang, id));
}
