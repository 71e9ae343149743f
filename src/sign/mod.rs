//! PAdES baseline signatures, B-B to B-LTA: sign a PDF in incremental
//! updates that never rewrite its bytes (with a key file or a token), add
//! validation data and a document timestamp, and verify what is there —
//! digest, signature, what changed after, chain of trust, timestamps,
//! revocation, level.

mod algorithms;
pub mod cms;
mod fetch;
mod keys;
mod path;
mod pdf;
mod revocation;
mod signing_key;
mod stamps;
mod timestamp;
mod token;
mod verify;

use std::path::PathBuf;

pub use crate::project::{SignatureLevel, SigningConfig};
pub use keys::{PASSPHRASE_VAR, PIN_VAR, Signer, read_certificate};
pub use pdf::{Changes, Tooltips};
pub use revocation::Status as RevocationStatus;
pub use verify::{Verification, verify_pdf};

use crate::diag::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("{0}")]
    Config(String),
    #[error("cannot read {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("certificate: {0}")]
    Certificate(String),
    #[error("key: {0}")]
    Key(String),
    #[error("PDF: {0}")]
    Pdf(String),
    #[error("signature data: {0}")]
    Asn1(String),
    #[error("timestamp: {0}")]
    Timestamp(String),
    #[error("{0}")]
    Token(String),
    /// A problem already located in the user's files.
    #[error("{}", .0.message)]
    Located(Box<Diagnostic>),
    #[error(
        "this PDF is a draft (its metadata carries `{}`): a draft is never signed",
        crate::document::DRAFT_KEYWORD
    )]
    Draft,
    #[error(
        "this PDF does not say it was built from approved translations (its metadata lacks `{}`), and [review] required asks that of every PDF signed",
        crate::document::REVIEWED_KEYWORD
    )]
    Unreviewed,
    #[error("revocation data: {0}")]
    Revocation(String),
    #[error(
        "the key is encrypted and no passphrase was given: set {PASSPHRASE_VAR} or run in a terminal"
    )]
    NoPassphrase,
    #[error("the token needs its PIN and none was given: set {PIN_VAR} or run in a terminal")]
    NoPin,
}

impl SignError {
    pub fn to_diagnostic(&self) -> Diagnostic {
        let d = Diagnostic::error("sign", self.to_string());
        match self {
            SignError::Config(_) => d.in_file(crate::project::CONFIG_FILE),
            SignError::Io { path, .. } => d.in_file(path.clone()),
            SignError::Certificate(_) | SignError::Key(_) | SignError::Token(_) => {
                d.hint("check [signing] in pressroom.toml; nothing was signed")
            }
            SignError::Located(diagnostic) => (**diagnostic).clone(),
            SignError::Draft => {
                d.hint("build it without --draft, then sign the PDF in out/; nothing was written")
            }
            SignError::Unreviewed => d.hint(
                "build it again with `pressroom build` (finals refuse unapproved translations), \
                 then sign the PDF in out/; nothing was written",
            ),
            _ => d,
        }
    }
}

/// The signer named in `[signing]` of pressroom.toml, checked. The
/// passphrase of an encrypted key comes from `passphrase` (the environment
/// variable or a no-echo prompt: never the command line).
pub fn load_signer(
    project: &crate::project::Project,
    passphrase: &mut dyn FnMut() -> Result<String, SignError>,
    pin: &mut dyn FnMut() -> Result<zeroize::Zeroizing<String>, SignError>,
    now_unix: i64,
) -> Result<Signer, SignError> {
    let config = project.config.signing.as_ref().ok_or_else(|| {
        SignError::Config(
            "pressroom.toml has no [signing] table: name the certificate and key there".into(),
        )
    })?;
    Signer::load(project.root(), config, passphrase, pin, now_unix)
}

/// What signing a build's PDFs needs: the signer and when it signs.
#[derive(Clone)]
pub struct Signing {
    pub signer: std::sync::Arc<Signer>,
    /// The signing time as a PDF date, for the signature's `/M`.
    pub time: String,
    /// The date shown in the visible signature line.
    pub date: crate::date::Date,
}

/// The signer of `[signing]`, the signing time for /M and the date shown.
/// The passphrase or PIN comes from [`PASSPHRASE_VAR`] / [`PIN_VAR`], else
/// from `prompt` (a no-echo terminal prompt; the service has none), never
/// from the command line.
pub fn load_signing(
    project: &crate::project::Project,
    level: Option<crate::project::SignatureLevel>,
    prompt: &dyn Fn(&str) -> Option<String>,
) -> Result<Signing, crate::diag::Diagnostic> {
    use zeroize::Zeroizing;
    let mut passphrase = || -> Result<String, SignError> {
        std::env::var(PASSPHRASE_VAR)
            .ok()
            .or_else(|| prompt("passphrase of the signing key: "))
            .ok_or(SignError::NoPassphrase)
    };
    let mut pin = || -> Result<Zeroizing<String>, SignError> {
        std::env::var(PIN_VAR)
            .ok()
            .or_else(|| prompt("PIN of the signing token: "))
            .map(Zeroizing::new)
            .ok_or(SignError::NoPin)
    };
    let now = crate::date::Timestamp::now()?;
    let mut signer =
        load_signer(project, &mut passphrase, &mut pin, now.0).map_err(|e| e.to_diagnostic())?;
    if let Some(level) = level {
        signer.set_level(level).map_err(|e| e.to_diagnostic())?;
    }
    Ok(Signing { signer: std::sync::Arc::new(signer), time: now.pdf_date(), date: now.date() })
}

impl Signing {
    /// The visible line this signer puts on each page, if it names a signatory.
    pub fn line(&self) -> Option<crate::pipeline::SignatureLine> {
        let signatory = self.signer.signatory.clone()?;
        Some(crate::pipeline::SignatureLine { signatory, date: self.date })
    }

    /// The signature fields' tooltips: the visible signature line's words
    /// (with no signatory to print, the certificate holder's name), and
    /// `countersignature` for fields kept for later signers.
    pub fn tooltips(&self, line: Option<&str>, countersignature: &str) -> Tooltips {
        Tooltips {
            signature: line.map_or_else(|| self.signer.holder(), str::to_owned),
            countersignature: countersignature.to_owned(),
        }
    }
}

/// The certificates B-LT gathers revocation data for — the signer's chain
/// and the timestamp authority's — once their paths validate to a trust
/// anchor (the self-signed roots in `[signing] chain`, and `[signing]
/// trust`): pressroom asks only services that validated certificates name.
fn validated_for_fetching(
    signer: &Signer,
    signature: &[u8],
    now: i64,
) -> Result<Vec<x509_cert::Certificate>, SignError> {
    let mut anchors: Vec<_> = signer
        .chain
        .iter()
        .filter(|c| c.tbs_certificate.subject == c.tbs_certificate.issuer)
        .cloned()
        .collect();
    anchors.extend(signer.trust.iter().cloned());
    let unvalidated = |whose: &str, why: String| {
        SignError::Revocation(format!(
            "{whose} does not validate ({why}), so pressroom asks none of the services it names: \
             [signing] chain must end at the root CA, or name it in [signing] trust"
        ))
    };
    path::validate(&signer.certificate, &signer.chain, &anchors, now, path::Purpose::Signing)
        .map_err(|why| unvalidated("the signer's certificate chain", why))?;
    let mut certificates = vec![signer.certificate.clone()];
    certificates.extend(signer.chain.iter().cloned());
    if let Some(stamp) = stamps::of_signature(signature) {
        let stamp = stamp?;
        if !stamp.intact {
            return Err(SignError::Timestamp(
                "the signature's timestamp token does not verify".into(),
            ));
        }
        let mut pool = stamp.checked.certificates.clone();
        pool.extend(signer.chain.iter().cloned());
        path::validate(&stamp.checked.signer, &pool, &anchors, now, path::Purpose::TimeStamping)
            .map_err(|why| unvalidated("the timestamp authority's certificate", why))?;
        certificates.extend(stamp.checked.certificates);
    }
    Ok(certificates)
}

/// Under `[review] required`, a PDF signed after it was built must be a
/// final built under review (every translation in it approved): one built
/// before review was required, or by another tool, is refused.
pub fn check_reviewed(original: &[u8]) -> Result<(), SignError> {
    if pdf::is_reviewed(original) { Ok(()) } else { Err(SignError::Unreviewed) }
}

/// Signs `original`: its bytes stay as they are, followed by an update with
/// the signature field and a CMS signature over everything but /Contents.
pub fn sign_pdf(
    original: &[u8],
    signer: &Signer,
    signing_time: &str,
    tooltips: &Tooltips,
) -> Result<Vec<u8>, SignError> {
    if pdf::is_draft(original) {
        return Err(SignError::Draft);
    }
    let mut prepared = pdf::prepare(original, signing_time, tooltips, signer.countersignatures)?;
    let range = prepared.fix_byte_range()?;
    let digest = signer.key.digest_algorithm().digest(&[
        &prepared.bytes[range[0]..range[0] + range[1]],
        &prepared.bytes[range[2]..range[2] + range[3]],
    ]);
    let der = cms::sign(signer, &digest)?;
    let signed = prepared.embed(&der)?;
    if signer.level < SignatureLevel::BLt {
        return Ok(signed);
    }
    // B-LT: the validation data of the signer's chain and of the timestamp
    // authority's, in the Document Security Store.
    let now = crate::date::Timestamp::clock().0;
    let certificates = validated_for_fetching(signer, &der, now)?;
    let data = revocation::gather(&certificates, &signer.revocation, now)?;
    let certificates: Vec<Vec<u8>> = data
        .certificates
        .iter()
        .map(der::Encode::to_der)
        .collect::<Result<_, _>>()
        .map_err(|e| SignError::Asn1(e.to_string()))?;
    let with_dss = pdf::add_dss(signed, &certificates, &data.crls, &data.ocsps)?;
    if signer.level < SignatureLevel::BLta {
        return Ok(with_dss);
    }
    // B-LTA: a document timestamp over all of it.
    let url = signer.timestamp_url.as_deref().ok_or_else(|| {
        SignError::Config("level B-LTA needs a timestamp authority (timestamp-url)".into())
    })?;
    let mut prepared = pdf::prepare_document_timestamp(with_dss)?;
    let range = prepared.fix_byte_range()?;
    let imprint = algorithms::DigestAlgorithm::Sha256.digest(&[
        &prepared.bytes[range[0]..range[0] + range[1]],
        &prepared.bytes[range[2]..range[2] + range[3]],
    ]);
    let token = timestamp::token_for(url, &imprint)?;
    prepared.embed(&der::Encode::to_der(&token).map_err(|e| SignError::Asn1(e.to_string()))?)
}

/// The language a PDF declares (its catalog's `/Lang`), if it reads.
pub fn language(bytes: &[u8]) -> Option<String> {
    let doc = lopdf::Document::load_mem(bytes).ok()?;
    let lang = doc.catalog().ok()?.get(b"Lang").ok()?.as_str().ok()?;
    Some(String::from_utf8_lossy(lang).trim().to_owned())
}
