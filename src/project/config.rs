//! `pressroom.toml`: the office, its languages, contacts, defaults and
//! signing settings, read field by field and validated in one pass, so a
//! file with several mistakes reports all of them at once.

use std::collections::BTreeMap;
use std::path::PathBuf;

use toml::Spanned;

use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::names::{is_language_tag, is_name};
use crate::toml_reader::Fields;

/// `pressroom.toml`.
#[derive(Debug, Clone)]
pub struct Config {
    /// Every language the office publishes in; the first is the source
    /// language unless `source-language` says otherwise.
    pub languages: Vec<Spanned<String>>,
    pub source_language: Option<Spanned<String>>,
    /// The layout used when a release names none.
    pub layout: Spanned<String>,
    /// The CLDR locale whose conventions dates follow, where it differs from
    /// the language tag (`en = "en-GB"`: `11 March 2015`, not `March 11, 2015`).
    pub date_locales: BTreeMap<String, Spanned<String>>,
    pub office: Office,
    pub contacts: BTreeMap<String, Spanned<Contact>>,
    pub signing: Option<SigningConfig>,
    pub publish: PublishConfig,
    pub server: ServerConfig,
    pub review: ReviewConfig,
}

/// `[review]`: review before print.
#[derive(Debug, Clone, Copy)]
pub struct ReviewConfig {
    /// Only approved translations reach final PDFs, signatures and the
    /// published editions.
    pub required: bool,
    /// A reviewer never approves their own translation.
    pub four_eyes: bool,
}

impl Default for ReviewConfig {
    fn default() -> Self {
        Self { required: false, four_eyes: true }
    }
}

/// `[server]`: the office's shared service (`pressroom serve --team`).
/// Paths are relative to the project root; the state folder must lie
/// outside it (accounts and sessions are never among the tracked sources).
#[derive(Debug, Clone, Default)]
pub struct ServerConfig {
    /// Where it listens (`127.0.0.1:8443`, `0.0.0.0:443`).
    pub listen: Option<Spanned<String>>,
    /// The address people reach it at (`https://press.example.eu`): a
    /// proxy's, when one terminates TLS in front of a loopback listener.
    pub origin: Option<Spanned<String>>,
    /// TLS: the certificate chain and its key, PEM.
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    /// The folder of the accounts, sessions and audit database.
    pub state: Option<Spanned<String>>,
    /// A git remote to pull the office's pushes from and push saves to.
    pub remote: Option<String>,
    /// Seconds between pulls from `remote`.
    pub pull_interval: Option<u32>,
}

/// `[publish]`: the web and e-mail editions.
#[derive(Debug, Clone, Default)]
pub struct PublishConfig {
    /// Where the site is served from (`https://…/`): canonical URLs, feed
    /// and sitemap entries are made from it.
    pub base_url: Option<Spanned<String>>,
    /// Releases per archive page.
    pub per_page: Option<u32>,
    /// The e-mail's `List-Unsubscribe` (`<mailto:…>, <https://…>`).
    pub list_unsubscribe: Option<String>,
    /// The e-mail's `List-Unsubscribe-Post` (RFC 8058:
    /// `List-Unsubscribe=One-Click`).
    pub list_unsubscribe_post: Option<String>,
}

/// The office's own details that are the same in every language. Names,
/// the address and labels are words, so they live in `office.ftl`.
#[derive(Debug, Clone, Default)]
pub struct Office {
    pub telephone: Option<String>,
    pub fax: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    /// `[office.websites]`: the website in a language (tag -> URL), where
    /// the office has one per language; `website` elsewhere.
    pub websites: BTreeMap<String, String>,
    pub facebook: Option<String>,
}

/// A person the press can call; their name and role are messages
/// `contact-<id>` and `contact-<id>.role` in `office.ftl`.
#[derive(Debug, Clone, Default)]
pub struct Contact {
    pub email: Option<String>,
    pub telephone: Option<String>,
}

/// `[signing]`; paths are relative to the project root.
#[derive(Debug, Clone, Default)]
pub struct SigningConfig {
    pub certificate: Option<PathBuf>,
    pub key: Option<PathBuf>,
    pub pkcs12: Option<PathBuf>,
    /// A key on a hardware token, through its PKCS#11 module.
    pub pkcs11: Option<super::TokenConfig>,
    pub chain: Vec<PathBuf>,
    /// The contact (`[contacts.<id>]`) shown as signatory.
    pub signatory: Option<Spanned<String>>,
    pub timestamp_url: Option<String>,
    /// Empty signature fields the first signature adds for people who sign
    /// after it, so their signatures change nothing it covers.
    pub countersignatures: u32,
    /// The PAdES level asked for (`level = "b-lta"`); by default B-T with a
    /// timestamp authority, else B-B.
    pub level: Option<Spanned<SignatureLevel>>,
    /// CRLs and OCSP responses (DER or PEM files) for B-LT, for an office
    /// whose certificates' services cannot be reached.
    pub revocation: Vec<PathBuf>,
    /// Trust anchors (certificates) `verify` checks chains against, and
    /// B-LT signing besides the roots in `chain`.
    pub trust: Vec<PathBuf>,
}

/// The PAdES baseline levels: B-B signed; B-T with a timestamp; B-LT with
/// the validation data (certificates, CRLs, OCSP) embedded; B-LTA with a
/// document timestamp over all of it, for archives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SignatureLevel {
    BB,
    BT,
    BLt,
    BLta,
}

impl SignatureLevel {
    pub const NAMES: [&'static str; 4] = ["b-b", "b-t", "b-lt", "b-lta"];

    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "b-b" => Some(Self::BB),
            "b-t" => Some(Self::BT),
            "b-lt" => Some(Self::BLt),
            "b-lta" => Some(Self::BLta),
            _ => None,
        }
    }

    /// As PAdES writes it: `B-LTA`.
    pub fn name(self) -> &'static str {
        match self {
            Self::BB => "B-B",
            Self::BT => "B-T",
            Self::BLt => "B-LT",
            Self::BLta => "B-LTA",
        }
    }
}

const CODE: &str = "config";

/// Examples for hints, by dotted field name.
const EXAMPLES: &[(&str, &str)] = &[
    ("languages", "languages = [\"en\", \"ru\", \"tg\"]"),
    ("source-language", "source-language = \"en\""),
    ("layout", "layout = \"letterhead\""),
    ("office", "[office]"),
    ("office.telephone", "telephone = \"(+992 37) 221 74 07\""),
    ("signing.certificate", "certificate = \"keys/officer.pem\""),
    ("signing.key", "key = \"keys/officer.key.pem\""),
    ("signing.chain", "chain = [\"keys/ca.pem\"]"),
    ("signing.signatory", "signatory = \"press\""),
    ("signing.timestamp-url", "timestamp-url = \"http://timestamp.example.org\""),
    ("signing.countersignatures", "countersignatures = 1"),
    ("signing.level", "level = \"b-lta\""),
    ("signing.revocation", "revocation = [\"keys/ca.crl\"]"),
    ("signing.trust", "trust = [\"keys/eu-root-ca.pem\"]"),
    (
        "signing.pkcs11",
        "pkcs11 = { module = \"/usr/lib/softhsm/libsofthsm2.so\", token = \"Press Office\", key-label = \"press-officer\" }",
    ),
    ("publish", "[publish]"),
    ("server", "[server]"),
    ("review", "[review]"),
    ("review.required", "required = true"),
    ("review.four-eyes", "four-eyes = true"),
    ("server.listen", "listen = \"127.0.0.1:8443\""),
    ("server.origin", "origin = \"https://press.example.eu\""),
    ("server.cert", "cert = \"/etc/pressroom/tls/cert.pem\""),
    ("server.key", "key = \"/etc/pressroom/tls/key.pem\""),
    ("server.state", "state = \"/var/lib/pressroom\""),
    ("server.remote", "remote = \"origin\""),
    ("server.pull-interval", "pull-interval = 60"),
    ("publish.base-url", "base-url = \"https://www.example.eu/press/\""),
    ("publish.per-page", "per-page = 20"),
    (
        "publish.list-unsubscribe",
        "list-unsubscribe = \"<mailto:press@example.eu?subject=unsubscribe>\"",
    ),
    ("publish.list-unsubscribe-post", "list-unsubscribe-post = \"List-Unsubscribe=One-Click\""),
    ("signing.pkcs11.module", "module = \"/usr/lib/softhsm/libsofthsm2.so\""),
    ("signing.pkcs11.token", "token = \"Press Office\""),
    ("signing.pkcs11.key-label", "key-label = \"press-officer\""),
];

const TOP: &[&str] = &[
    "languages",
    "source-language",
    "layout",
    "date-locales",
    "office",
    "contacts",
    "signing",
    "publish",
    "server",
    "review",
];
const REVIEW: &[&str] = &["required", "four-eyes"];
const SERVER: &[&str] = &["listen", "origin", "cert", "key", "state", "remote", "pull-interval"];
const PUBLISH: &[&str] = &["base-url", "per-page", "list-unsubscribe", "list-unsubscribe-post"];
const OFFICE: &[&str] = &["telephone", "fax", "email", "website", "websites", "facebook"];
const CONTACT: &[&str] = &["email", "telephone"];
const SIGNING: &[&str] = &[
    "certificate",
    "key",
    "pkcs12",
    "pkcs11",
    "chain",
    "signatory",
    "timestamp-url",
    "countersignatures",
    "level",
    "revocation",
    "trust",
];
const PKCS11: &[&str] = &["module", "token", "key-label"];

/// `pkcs11 = { module = …, token = …, key-label = … }` or a `pkcs11:` URI.
fn token(signing: &mut Fields<'_>) -> Option<super::TokenConfig> {
    if let Some(uri) = signing.string_or_table("pkcs11") {
        return match super::TokenConfig::from_uri(uri.get_ref()) {
            Ok(config) => Some(super::TokenConfig { span: uri.span(), ..config }),
            Err(why) => {
                signing.error_at(uri.span(), format!("`signing.pkcs11`: {why}"), Some(
                    "for example: pkcs11 = \"pkcs11:token=Press%20Office;object=press-officer?module-path=/usr/lib/softhsm/libsofthsm2.so\"",
                ));
                None
            }
        };
    }
    let mut table = signing.table("pkcs11", false)?;
    let module = table.string("module", true);
    let config = super::TokenConfig {
        span: module.as_ref().map(Spanned::span).unwrap_or_default(),
        module: module.map(|m| PathBuf::from(m.into_inner())).unwrap_or_default(),
        token: table.string("token", true).map(Spanned::into_inner).unwrap_or_default(),
        key_label: table.string("key-label", true).map(Spanned::into_inner).unwrap_or_default(),
    };
    signing.absorb(table.finish(PKCS11));
    Some(config)
}

/// What a text value of `pressroom.toml` must be.
#[derive(Clone, Copy)]
enum Value {
    /// One line of text (a telephone number): no control character.
    Line,
    Url,
    Email,
    ListUnsubscribe,
}

/// `table.key`, refused at its place when it is not what `kind` says.
fn checked(table: &mut Fields<'_>, section: &str, key: &str, kind: Value) -> Option<String> {
    use super::values::{check_email, check_list_unsubscribe, check_url};
    let value = table.string(key, false)?;
    let text = value.get_ref();
    let (checked, example) = match kind {
        Value::Line => (
            match text.chars().find(|c| c.is_control()) {
                Some(c) => Err(format!("holds the control character U+{:04X}", c as u32)),
                None => Ok(()),
            },
            "telephone = \"(+992 37) 221 74 07\"",
        ),
        Value::Url => (check_url(text), "website = \"https://www.example.eu/\""),
        Value::Email => (check_email(text), "email = \"press@example.eu\""),
        Value::ListUnsubscribe => (
            check_list_unsubscribe(text),
            "list-unsubscribe = \"<mailto:press@example.eu?subject=unsubscribe>\"",
        ),
    };
    match checked {
        Ok(()) => Some(value.into_inner()),
        Err(why) => {
            table.error_at(
                value.span(),
                format!("`{section}.{key}` {why}: \"{}\"", text.escape_debug()),
                Some(&format!("for example: {example}")),
            );
            None
        }
    }
}

impl Config {
    /// Reads `file`, reporting every problem in it. `has_layout` tells
    /// whether a layout of that name exists.
    pub fn parse(
        file: &SourceFile,
        has_layout: impl Fn(&str) -> bool,
    ) -> Result<Self, Diagnostics> {
        let mut fields = Fields::parse(file, CODE, EXAMPLES);
        let languages = fields.strings("languages", true);
        let no_language = languages.as_ref().is_some_and(Vec::is_empty);
        let languages = languages.unwrap_or_default();
        let source_language = fields.string("source-language", false);
        let layout = fields.string("layout", false);
        let mut date_locales = BTreeMap::new();
        if let Some(mut table) = fields.table("date-locales", false) {
            for lang in table.keys() {
                if let Some(locale) = table.string(lang.get_ref(), false) {
                    date_locales.insert(lang.into_inner(), locale);
                }
            }
            let found = table.finish(&[]).into_iter().filter(|d| !d.message.starts_with("unknown"));
            fields.absorb(Diagnostics(found.collect()));
        }
        let office = match fields.table("office", true) {
            Some(mut table) => {
                let office = Office {
                    telephone: checked(&mut table, "office", "telephone", Value::Line),
                    fax: checked(&mut table, "office", "fax", Value::Line),
                    email: checked(&mut table, "office", "email", Value::Email),
                    website: checked(&mut table, "office", "website", Value::Url),
                    facebook: checked(&mut table, "office", "facebook", Value::Url),
                    websites: BTreeMap::new(),
                };
                let mut office = office;
                if let Some(mut websites) = table.table("websites", false) {
                    for lang in websites.keys() {
                        let url =
                            checked(&mut websites, "office.websites", lang.get_ref(), Value::Url);
                        if let Some(url) = url {
                            office.websites.insert(lang.into_inner(), url);
                        }
                    }
                    let keys: Vec<String> = office.websites.keys().cloned().collect();
                    let known: Vec<&str> = keys.iter().map(String::as_str).collect();
                    let found = websites
                        .finish(&known)
                        .into_iter()
                        .filter(|d| !d.message.starts_with("unknown"));
                    table.absorb(Diagnostics(found.collect()));
                }
                fields.absorb(table.finish(OFFICE));
                office
            }
            None => Office::default(),
        };
        let mut contacts = BTreeMap::new();
        if let Some(mut table) = fields.table("contacts", false) {
            for id in table.keys() {
                let Some(mut contact) = table.table(id.get_ref(), false) else { continue };
                let value = Contact {
                    email: checked(
                        &mut contact,
                        &format!("contacts.{}", id.get_ref()),
                        "email",
                        Value::Email,
                    ),
                    telephone: checked(
                        &mut contact,
                        &format!("contacts.{}", id.get_ref()),
                        "telephone",
                        Value::Line,
                    ),
                };
                table.absorb(contact.finish(CONTACT));
                contacts.insert(id.get_ref().clone(), Spanned::new(id.span(), value));
            }
            fields.absorb(table.finish(&contacts.keys().map(String::as_str).collect::<Vec<_>>()));
        }
        let signing = fields.table("signing", false).map(|mut table| {
            let path = |table: &mut Fields<'_>, key: &str| {
                table.string(key, false).map(|p| PathBuf::from(p.into_inner()))
            };
            let signing = SigningConfig {
                certificate: path(&mut table, "certificate"),
                key: path(&mut table, "key"),
                pkcs12: path(&mut table, "pkcs12"),
                pkcs11: token(&mut table),
                chain: table
                    .strings("chain", false)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| PathBuf::from(p.into_inner()))
                    .collect(),
                signatory: table.string("signatory", false),
                timestamp_url: table.string("timestamp-url", false).map(Spanned::into_inner),
                countersignatures: table
                    .count("countersignatures", 9)
                    .map_or(0, Spanned::into_inner),
                level: table.string("level", false).and_then(|level| {
                    let span = level.span();
                    match SignatureLevel::parse(level.get_ref()) {
                        Some(parsed) => Some(Spanned::new(span, parsed)),
                        None => {
                            table.error_at(
                                span,
                                format!(
                                    "`signing.level` must be one of {}, not \"{}\"",
                                    SignatureLevel::NAMES.join(", "),
                                    level.get_ref()
                                ),
                                Some("for example: level = \"b-lta\""),
                            );
                            None
                        }
                    }
                }),
                revocation: table
                    .strings("revocation", false)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| PathBuf::from(p.into_inner()))
                    .collect(),
                trust: table
                    .strings("trust", false)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| PathBuf::from(p.into_inner()))
                    .collect(),
            };
            fields.absorb(table.finish(SIGNING));
            signing
        });
        let publish = match fields.table("publish", false) {
            Some(mut table) => {
                let base_url = table.string("base-url", false);
                if let Some(url) = &base_url
                    && let Err(why) = super::values::check_url(url.get_ref())
                {
                    table.error_at(
                        url.span(),
                        format!("`publish.base-url` {why}: \"{}\"", url.get_ref().escape_debug()),
                        Some("for example: base-url = \"https://www.example.eu/press/\""),
                    );
                }
                let list_unsubscribe =
                    checked(&mut table, "publish", "list-unsubscribe", Value::ListUnsubscribe);
                let post = table.string("list-unsubscribe-post", false);
                if let Some(post) = &post
                    && let Err(why) =
                        super::values::check_one_click(post.get_ref(), list_unsubscribe.as_deref())
                {
                    table.error_at(
                        post.span(),
                        format!("`publish.list-unsubscribe-post` {why}"),
                        Some("for example: list-unsubscribe-post = \"List-Unsubscribe=One-Click\""),
                    );
                }
                let publish = PublishConfig {
                    base_url,
                    per_page: table.count("per-page", 1000).map(Spanned::into_inner),
                    list_unsubscribe,
                    list_unsubscribe_post: post.map(Spanned::into_inner),
                };
                fields.absorb(table.finish(PUBLISH));
                publish
            }
            None => PublishConfig::default(),
        };
        let server = match fields.table("server", false) {
            Some(mut table) => {
                let listen = table.string("listen", false);
                if let Some(listen) = &listen
                    && listen.get_ref().parse::<std::net::SocketAddr>().is_err()
                {
                    table.error_at(
                        listen.span(),
                        format!(
                            "`server.listen` is not an address and port: \"{}\"",
                            listen.get_ref().escape_debug()
                        ),
                        Some("for example: listen = \"127.0.0.1:8443\" or \"0.0.0.0:443\""),
                    );
                }
                let origin = table.string("origin", false);
                if let Some(origin) = &origin
                    && let Err(why) = super::values::check_origin(origin.get_ref())
                {
                    table.error_at(
                        origin.span(),
                        format!("`server.origin` {why}: \"{}\"", origin.get_ref().escape_debug()),
                        Some("for example: origin = \"https://press.example.eu\""),
                    );
                }
                let remote = table.string("remote", false);
                if let Some(remote) = &remote
                    && (remote.get_ref().starts_with('-') || remote.get_ref().trim().is_empty())
                {
                    table.error_at(
                        remote.span(),
                        format!(
                            "`server.remote` is not a remote's name or URL: \"{}\"",
                            remote.get_ref().escape_debug()
                        ),
                        Some("for example: remote = \"origin\" or \"git@git.example.eu:press/office.git\""),
                    );
                }
                let path = |p: Spanned<String>| PathBuf::from(p.into_inner());
                let server = ServerConfig {
                    listen,
                    origin,
                    cert: table.string("cert", false).map(path),
                    key: table.string("key", false).map(path),
                    state: table.string("state", false),
                    remote: remote.map(Spanned::into_inner),
                    pull_interval: table.count("pull-interval", 86_400).map(Spanned::into_inner),
                };
                if server.cert.is_some() != server.key.is_some() {
                    table.error_at(
                        0..0,
                        "`server.cert` and `server.key` go together: TLS needs both".to_owned(),
                        Some("cert = \"/etc/pressroom/tls/cert.pem\"\nkey = \"/etc/pressroom/tls/key.pem\""),
                    );
                }
                fields.absorb(table.finish(SERVER));
                server
            }
            None => ServerConfig::default(),
        };
        let review = match fields.table("review", false) {
            Some(mut table) => {
                let defaults = ReviewConfig::default();
                let review = ReviewConfig {
                    required: table
                        .boolean("required")
                        .map_or(defaults.required, Spanned::into_inner),
                    four_eyes: table
                        .boolean("four-eyes")
                        .map_or(defaults.four_eyes, Spanned::into_inner),
                };
                fields.absorb(table.finish(REVIEW));
                review
            }
            None => ReviewConfig::default(),
        };
        let mut diags = fields.finish(TOP);

        let config = Self {
            languages,
            source_language,
            layout: layout.unwrap_or_else(|| Spanned::new(0..0, "letterhead".to_owned())),
            date_locales,
            office,
            contacts,
            signing,
            publish,
            server,
            review,
        };
        if no_language {
            diags.push(
                Diagnostic::error(CODE, "`languages` lists no language")
                    .in_file(file.path.clone())
                    .hint("for example: languages = [\"en\", \"ru\", \"tg\"]"),
            );
        }
        diags.extend(config.validate(file, has_layout));
        diags.into_result(config)
    }

    /// What the types alone do not say: tags, names and references.
    fn validate(&self, file: &SourceFile, has_layout: impl Fn(&str) -> bool) -> Diagnostics {
        let mut diags = Diagnostics::default();
        let mut error = |message: String, span: std::ops::Range<usize>, hint: Option<&str>| {
            let mut d = Diagnostic::error(CODE, message).at(file, span);
            if let Some(hint) = hint {
                d = d.hint(hint.to_owned());
            }
            diags.push(d);
        };
        let mut seen: Vec<&String> = Vec::new();
        for lang in &self.languages {
            if !is_language_tag(lang.get_ref()) {
                error(
                    format!("`{}` is not a language tag", lang.get_ref()),
                    lang.span(),
                    Some("use a BCP 47 tag such as `en`, `ru` or `tg`"),
                );
            } else if seen.contains(&lang.get_ref()) {
                error(format!("`{}` is listed twice", lang.get_ref()), lang.span(), None);
            }
            seen.push(lang.get_ref());
        }
        if let Some(source) = &self.source_language
            && !seen.contains(&source.get_ref())
        {
            error(
                format!("source language `{}` is not in `languages`", source.get_ref()),
                source.span(),
                None,
            );
        }
        for (lang, locale) in &self.date_locales {
            if locale.get_ref().parse::<icu_locale::Locale>().is_err() {
                error(
                    format!("`{}` is not a CLDR locale (for {lang})", locale.get_ref()),
                    locale.span(),
                    Some("for example: en = \"en-GB\""),
                );
            }
        }
        let layout = &self.layout;
        if !is_name(layout.get_ref()) || !has_layout(layout.get_ref()) {
            error(
                format!("unknown layout `{}`", layout.get_ref()),
                layout.span(),
                Some("a layout is a folder under layouts/ holding main.typ"),
            );
        }
        for (id, contact) in &self.contacts {
            if !is_name(id) {
                error(
                    format!("`{id}` is not a valid contact name"),
                    contact.span(),
                    Some("use lowercase letters, digits and `-`"),
                );
            }
        }
        if let Some(signing) = &self.signing
            && let Some(level) = &signing.level
            && *level.get_ref() >= SignatureLevel::BT
            && signing.timestamp_url.is_none()
        {
            error(
                format!("level {} needs a timestamp authority", level.get_ref().name()),
                level.span(),
                Some("add timestamp-url = \"http://…\" to [signing], or ask for level = \"b-b\""),
            );
        }
        if let Some(signatory) = self.signing.as_ref().and_then(|s| s.signatory.as_ref())
            && !self.contacts.contains_key(signatory.get_ref())
        {
            let known: Vec<&str> = self.contacts.keys().map(String::as_str).collect();
            error(
                format!("the signatory `{}` is not a contact", signatory.get_ref()),
                signatory.span(),
                Some(&format!("name one of [contacts]: {}", known.join(", "))),
            );
        }
        diags
    }
}
