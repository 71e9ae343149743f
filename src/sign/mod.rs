//! PAdES baseline signatures (B-B): sign a PDF in an incremental update that
//! never rewrites its bytes, and verify one — digest, signature, coverage and
//! chain of trust.

mod algorithms;
pub mod cms;
mod keys;
mod path;
mod pdf;
mod revocation;
mod timestamp;
mod token;

use std::path::PathBuf;

use x509_cert::Certificate;

pub use crate::project::{SignatureLevel, SigningConfig};
pub use keys::{PASSPHRASE_VAR, PIN_VAR, Signer, read_certificate};
pub use pdf::{Changes, Tooltips};

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

/// Signs `original`: its bytes stay as they are, followed by an update with
/// the signature field and a CMS signature over everything but /Contents.
pub fn sign_pdf(
    original: &[u8],
    signer: &Signer,
    signing_time: &str,
    tooltips: &Tooltips,
) -> Result<Vec<u8>, SignError> {
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
    let mut certificates = vec![signer.certificate.clone()];
    certificates.extend(signer.chain.iter().cloned());
    certificates.extend(cms::timestamp_certificates(&der));
    let data = revocation::gather(&certificates, &signer.revocation)?;
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

/// One signature's verdict.
#[derive(Debug, Clone)]
pub struct Verification {
    /// The signature field's name.
    pub field: String,
    pub signer: String,
    pub signing_time: Option<String>,
    /// The signed ranges run to the end of the file: nothing was appended.
    pub covers_whole_file: bool,
    /// The signed ranges start at byte 0 and leave out exactly this
    /// signature's /Contents string.
    pub range_well_formed: bool,
    pub digest_matches: bool,
    /// Every SignerInfo's signature verifies with its certificate, which the
    /// signingCertificateV2 attribute names.
    pub signature_valid: bool,
    /// What later incremental updates changed, and the objects that did it
    /// when that is more than later signatures.
    pub changes: Changes,
    pub changed: Vec<String>,
    /// Whether the chain reaches a trusted certificate (`None`: none given).
    pub trusted: Option<bool>,
    /// Why it does not, when it does not: the check that failed.
    pub untrusted_because: Option<String>,
}

impl Verification {
    pub fn intact(&self) -> bool {
        self.range_well_formed && self.digest_matches && self.signature_valid
    }

    /// Whether this signature holds: intact, not untrusted, and what was
    /// added after it leaves the content as signed.
    pub fn holds(&self) -> bool {
        self.intact() && self.trusted != Some(false) && self.changes < Changes::Content
    }
}

/// Checks every signature in `bytes`, in the order they were made. An
/// empty list means unsigned; an error, a file that is not a readable PDF.
pub fn verify_pdf(bytes: &[u8], trust: &[Certificate]) -> Result<Vec<Verification>, SignError> {
    let (now, found) = pdf::read(bytes)?;
    Ok(found.into_iter().map(|found| verify_one(bytes, &now, found, trust)).collect())
}

fn verify_one(
    bytes: &[u8],
    now: &lopdf::Document,
    found: pdf::Found,
    trust: &[Certificate],
) -> Verification {
    let [a, b, c, d] = found.byte_range;
    let in_bounds = b <= bytes.len() && c <= bytes.len() && c.saturating_add(d) <= bytes.len();
    let range_well_formed = a == 0 && b < c && in_bounds && found.gap_is_contents;
    let covers_whole_file = in_bounds && c + d == bytes.len();
    // The revision this signature covers, against the file as it is now.
    let (changes, changed) = if covers_whole_file {
        (Changes::Nothing, Vec::new())
    } else if in_bounds {
        match lopdf::Document::load_mem(&bytes[..c + d]) {
            // Bytes no update accounts for (no new cross-reference) change
            // nothing a reader shows today, but another reader may read them.
            Ok(signed) => match pdf::changes::between(&signed, now) {
                (Changes::Nothing, _)
                    if !bytes[c + d..].iter().all(|b| b.is_ascii_whitespace() || *b == 0) =>
                {
                    (Changes::Content, vec!["bytes were appended outside any PDF update".into()])
                }
                found => found,
            },
            Err(_) => (Changes::Content, vec!["the signed revision cannot be read".into()]),
        }
    } else {
        (Changes::Content, vec!["the byte range runs past the end of the file".into()])
    };
    // What the signature covers; its digest algorithm is its own.
    let signed: Vec<&[u8]> =
        if range_well_formed { vec![&bytes[..b], &bytes[c..c + d]] } else { Vec::new() };
    let base = Verification {
        field: found.field,
        signer: String::new(),
        signing_time: found.signing_time,
        covers_whole_file,
        range_well_formed,
        digest_matches: false,
        signature_valid: false,
        changes,
        changed,
        trusted: None,
        untrusted_because: None,
    };
    match cms::check(&found.contents, &signed) {
        Ok(checked) => {
            // Certificates must be valid when it was signed (as the
            // signature says; now, if it does not say).
            let at = base
                .signing_time
                .as_deref()
                .and_then(crate::date::Timestamp::from_pdf_date)
                .unwrap_or_else(crate::date::Timestamp::clock);
            let path = (!trust.is_empty())
                .then(|| path::validate(&checked.signer, &checked.certificates, trust, at.0));
            Verification {
                signer: checked.signer.tbs_certificate.subject.to_string(),
                digest_matches: checked.digest_matches,
                signature_valid: checked.signature_valid,
                trusted: path.as_ref().map(Result::is_ok),
                untrusted_because: path.and_then(Result::err),
                ..base
            }
        }
        Err(err) => Verification {
            signer: format!("(unreadable signature: {err})"),
            trusted: (!trust.is_empty()).then_some(false),
            ..base
        },
    }
}
