//! PAdES baseline signatures (B-B): sign a PDF in an incremental update that
//! never rewrites its bytes, and verify one — digest, signature, coverage and
//! chain of trust.

mod algorithms;
pub mod cms;
mod keys;
mod path;
mod pdf;
mod timestamp;

use std::path::PathBuf;

use x509_cert::Certificate;

pub use crate::project::SigningConfig;
pub use keys::{PASSPHRASE_VAR, Signer, read_certificate};

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
    #[error(
        "the key is encrypted and no passphrase was given: set {PASSPHRASE_VAR} or run in a terminal"
    )]
    NoPassphrase,
}

impl SignError {
    pub fn to_diagnostic(&self) -> Diagnostic {
        let d = Diagnostic::error("sign", self.to_string());
        match self {
            SignError::Config(_) => d.in_file(crate::project::CONFIG_FILE),
            SignError::Io { path, .. } => d.in_file(path.clone()),
            SignError::Certificate(_) | SignError::Key(_) => {
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
    now_unix: i64,
) -> Result<Signer, SignError> {
    let config = project.config.signing.as_ref().ok_or_else(|| {
        SignError::Config(
            "pressroom.toml has no [signing] table: name the certificate and key there".into(),
        )
    })?;
    Signer::load(project.root(), config, passphrase, now_unix)
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
}

/// Signs `original`: its bytes stay as they are, followed by an update with
/// the signature field and a CMS signature over everything but /Contents.
pub fn sign_pdf(
    original: &[u8],
    signer: &Signer,
    signing_time: &str,
) -> Result<Vec<u8>, SignError> {
    let mut prepared = pdf::prepare(original, signing_time)?;
    let range = prepared.fix_byte_range()?;
    let digest = signer.key.digest_algorithm().digest(&[
        &prepared.bytes[range[0]..range[0] + range[1]],
        &prepared.bytes[range[2]..range[2] + range[3]],
    ]);
    let der = cms::sign(signer, &digest)?;
    prepared.embed(&der)
}

/// One signature's verdict.
#[derive(Debug, Clone)]
pub struct Verification {
    pub signer: String,
    pub signing_time: Option<String>,
    /// The signed ranges run to the end of the file: nothing was appended.
    pub covers_whole_file: bool,
    /// The signed ranges leave out exactly /Contents and start at byte 0.
    pub range_well_formed: bool,
    pub digest_matches: bool,
    pub signature_valid: bool,
    /// Whether the chain reaches a trusted certificate (`None`: none given).
    pub trusted: Option<bool>,
    /// Why it does not, when it does not: the check that failed.
    pub untrusted_because: Option<String>,
}

impl Verification {
    pub fn intact(&self) -> bool {
        self.range_well_formed && self.digest_matches && self.signature_valid
    }

    /// Whether this signature holds: intact, not untrusted, and, for the
    /// last signature of the file, covering all of it (nothing was added
    /// after signing).
    pub fn holds(&self, is_last: bool) -> bool {
        self.intact() && self.trusted != Some(false) && (!is_last || self.covers_whole_file)
    }
}

/// Checks every signature in `bytes`. An empty list means unsigned.
pub fn verify_pdf(bytes: &[u8], trust: &[Certificate]) -> Vec<Verification> {
    pdf::signatures(bytes)
        .into_iter()
        .map(|found| {
            let [a, b, c, d] = found.byte_range;
            let in_bounds =
                b <= bytes.len() && c <= bytes.len() && c.saturating_add(d) <= bytes.len();
            let range_well_formed = a == 0 && b < c && in_bounds;
            let covers_whole_file = in_bounds && c + d == bytes.len();
            // What the signature covers; its digest algorithm is its own.
            let signed: Vec<&[u8]> =
                if range_well_formed { vec![&bytes[..b], &bytes[c..c + d]] } else { Vec::new() };
            match cms::check(&found.contents, &signed) {
                Ok(checked) => {
                    // Certificates must be valid when it was signed (as the
                    // signature says; now, if it does not say).
                    let at = found
                        .signing_time
                        .as_deref()
                        .and_then(crate::date::Timestamp::from_pdf_date)
                        .unwrap_or_else(crate::date::Timestamp::clock);
                    let path = (!trust.is_empty()).then(|| {
                        path::validate(&checked.signer, &checked.certificates, trust, at.0)
                    });
                    Verification {
                        signer: checked.signer.tbs_certificate.subject.to_string(),
                        signing_time: found.signing_time,
                        covers_whole_file,
                        range_well_formed,
                        digest_matches: checked.digest_matches,
                        signature_valid: checked.signature_valid,
                        trusted: path.as_ref().map(Result::is_ok),
                        untrusted_because: path.and_then(Result::err),
                    }
                }
                Err(err) => Verification {
                    signer: format!("(unreadable signature: {err})"),
                    signing_time: found.signing_time,
                    covers_whole_file,
                    range_well_formed,
                    digest_matches: false,
                    signature_valid: false,
                    trusted: (!trust.is_empty()).then_some(false),
                    untrusted_because: None,
                },
            }
        })
        .collect()
}
