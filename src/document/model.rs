//! The document model's types: what a layout reads from
//! `json("/.pressroom/document.json")`. Changing a field here changes what
//! every layout sees.

use serde::{Deserialize, Serialize};

use crate::l10n::{Fallback, Text};
use crate::markup::Block;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    /// The language subtag (`fa` of `fa-AF`): what Typst's `text(lang:)` takes.
    pub lang: String,
    /// The region subtag (`AF`), if the office's tag names one: `text(region:)`.
    pub region: Option<String>,
    /// `ltr` or `rtl`, from CLDR: the writing direction of the language.
    pub dir: String,
    /// The whole language tag as `pressroom.toml` lists it (`fa-AF`).
    pub tag: String,
    /// The comma between two texts (a dateline's place and date): `,`, or
    /// `،` in the Arabic script.
    pub comma: String,
    pub draft: bool,
    pub meta: Meta,
    pub office: OfficeText,
    pub labels: Labels,
    pub dateline: Dateline,
    pub kind: Text,
    pub number: Option<String>,
    pub embargo: Option<Text>,
    pub title: Text,
    pub subtitle: Option<Text>,
    pub body: Section,
    pub background: Option<Section>,
    pub notes: Option<Section>,
    pub contacts: Vec<ContactText>,
    /// `Signed electronically by …, on …` when the PDF is signed.
    pub signature: Option<Text>,
    /// The web and e-mail editions' own words (`publish` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web: Option<WebWords>,
}

/// The words only the web page, the feed and the e-mail print: the
/// `web-*` messages of `office.ftl`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WebWords {
    /// The language's name in itself (`Тоҷикӣ`), for the language switcher.
    pub language: Text,
    /// The archive's heading: `Press releases`.
    pub archive: Text,
    /// The link to the PDF, the archival version.
    pub pdf: Text,
    /// Before the signature level of a signed PDF.
    pub signed: Text,
    pub feed: Text,
    /// The language switcher's name.
    pub languages: Text,
    /// The archive's page navigation's name, and its links.
    pub pages: Text,
    pub newer: Text,
    pub older: Text,
    /// The e-mail's line saying the PDF is attached.
    pub attached: Text,
    /// The PDF's size, `{ $size } kB`, its number left as
    /// [`SIZE_SLOT`] for the page to fill in the language's digits.
    #[serde(default = "blank_text")]
    pub kilobytes: Text,
}

/// Stands for the number in [`WebWords::kilobytes`].
pub const SIZE_SLOT: char = '\u{E002}';

fn blank_text() -> Text {
    Text::plain(String::new())
}

/// The keyword every draft PDF carries in its Info dictionary and XMP:
/// `sign` recognises a draft by it, whatever the file is called.
pub const DRAFT_KEYWORD: &str = "pressroom:draft";

/// The keyword of a final built under `[review] required`: every
/// translation in it was approved, so `sign` may sign it later.
pub const REVIEWED_KEYWORD: &str = "pressroom:reviewed";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    pub date: DateParts,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct DateParts {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OfficeText {
    pub emblem: Text,
    pub name: Text,
    pub address: Text,
    /// Footer entries in order: telephone, fax, e-mail, website, Facebook.
    pub footer: Vec<FooterItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FooterItem {
    pub key: String,
    pub label: Text,
    pub value: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Labels {
    pub background: Text,
    pub contacts: Text,
    pub notes: Text,
    pub number: Text,
    pub address: Text,
    /// `Page 1 of 2`, split around the numbers the layout fills in.
    pub page: Vec<Segment>,
    pub draft: Text,
    /// Marks a passage shown in the source language: missing, or stale.
    pub untranslated: Text,
    pub stale: Text,
    /// Marks a translation not yet approved (review before print).
    pub unreviewed: Text,
}

/// A piece of a localized pattern: literal text, or a slot the layout fills.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Segment {
    Text { text: String },
    Slot { slot: String },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Dateline {
    pub place: Text,
    pub date: String,
    /// The message the date is written by (`date-long`), when the language
    /// has its own and the page is drawn for the editor: a click opens it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_msg: Option<String>,
}

/// Release text as blocks; `fallback` when it is the source language's
/// text standing in for a missing or stale translation (drafts only).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Section {
    pub blocks: Vec<Block>,
    pub fallback: Option<Fallback>,
    /// The message it comes from (`body`), as [`Text::msg`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub msg: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContactText {
    /// As the contact block prints it (`Ms. Mahbuba Abdullaeva`).
    pub name: Text,
    /// The person's name alone, as an e-mail's `From:` gives it: the
    /// message's `.name` attribute, else `name`.
    #[serde(default)]
    pub person: Option<Text>,
    pub role: Option<Text>,
    pub email: Option<String>,
    pub telephone: Option<String>,
}
