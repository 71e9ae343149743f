//! `verify`: every signature and document timestamp of a PDF, found through
//! its form, checked — byte range, digest, signature, what changed after
//! it, the certificate path, its timestamp, the revocation data embedded —
//! and the PAdES level each signature reaches.

use x509_cert::Certificate;

use super::pdf::{self, Changes, Dss, Found};
use super::revocation::{self, Status};
use super::{SignError, SignatureLevel, cms, path, stamps};

/// One signature's (or document timestamp's) verdict.
#[derive(Debug, Clone)]
pub struct Verification {
    /// The signature field's name.
    pub field: String,
    /// A document timestamp (B-LTA), not a signature.
    pub document_timestamp: bool,
    /// The signer's (or, for a document timestamp, the authority's) subject.
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
    /// The signature's timestamp (B-T) or the document timestamp's own
    /// time: seconds since 1970, and whether the token is intact.
    pub timestamp: Option<(i64, bool)>,
    /// The PAdES level a signature reaches (none for a document timestamp).
    pub level: Option<SignatureLevel>,
    /// What the embedded revocation data says of the signer's certificate.
    pub revocation: Status,
    /// Whether the chain reaches a trusted certificate (`None`: none given).
    pub trusted: Option<bool>,
    /// Why it does not, when it does not: the check that failed.
    pub untrusted_because: Option<String>,
    /// When it was signed, as far as can be proven (the timestamp's time,
    /// else `/M`), seconds since 1970.
    signed_at: Option<i64>,
}

impl Verification {
    pub fn intact(&self) -> bool {
        self.range_well_formed
            && self.digest_matches
            && self.signature_valid
            && self.timestamp.is_none_or(|(_, intact)| intact)
    }

    /// Revoked at or before it was signed.
    pub fn revoked_before_signing(&self) -> bool {
        match (&self.revocation, self.signed_at) {
            (Status::Revoked { at_unix, .. }, Some(signed)) => *at_unix <= signed,
            (Status::Revoked { .. }, None) => true,
            _ => false,
        }
    }

    /// Whether this signature holds: intact, not untrusted, not revoked
    /// before it was made, and what was added after it leaves the content
    /// as signed.
    pub fn holds(&self) -> bool {
        self.intact()
            && self.trusted != Some(false)
            && !self.revoked_before_signing()
            && self.changes < Changes::Content
    }
}

/// Checks every signature and document timestamp in `bytes`, in the order
/// they were made. An empty list means unsigned; an error, a file that is
/// not a readable PDF.
pub fn verify_pdf(bytes: &[u8], trust: &[Certificate]) -> Result<Vec<Verification>, SignError> {
    let (now, found) = pdf::read(bytes)?;
    let dss = pdf::read_dss(&now).unwrap_or_default();
    let ends: Vec<(usize, bool, bool)> = found
        .iter()
        .map(|f| {
            let end = f.byte_range[2].saturating_add(f.byte_range[3]);
            // Whether the revision this one covers already holds a DSS.
            let with_dss = f.document_timestamp
                && bytes
                    .get(..end)
                    .and_then(|b| lopdf::Document::load_mem(b).ok())
                    .is_some_and(|d| pdf::read_dss(&d).is_some());
            (end, f.document_timestamp, with_dss)
        })
        .collect();
    let mut verdicts: Vec<Verification> =
        found.into_iter().map(|found| verify_one(bytes, &now, found, trust, &dss)).collect();
    // The level: B-T with an intact timestamp, B-LT when the DSS has
    // revocation data for the signer, B-LTA when an intact document
    // timestamp after the signature covers a DSS.
    for (i, verdict) in verdicts.clone().iter().enumerate() {
        if verdict.document_timestamp {
            continue;
        }
        let mut level = match verdict.timestamp {
            Some((_, true)) => SignatureLevel::BT,
            _ => SignatureLevel::BB,
        };
        if level == SignatureLevel::BT && verdict.revocation != Status::Unknown {
            level = SignatureLevel::BLt;
        }
        let stamped_later =
            ends.iter().zip(&verdicts).any(|(&(end, is_stamp, with_dss), stamp)| {
                is_stamp && with_dss && end > ends[i].0 && stamp.intact()
            });
        if level == SignatureLevel::BLt && stamped_later {
            level = SignatureLevel::BLta;
        }
        verdicts[i].level = Some(level);
    }
    Ok(verdicts)
}

fn verify_one(
    bytes: &[u8],
    now: &lopdf::Document,
    found: Found,
    trust: &[Certificate],
    dss: &Dss,
) -> Verification {
    let [a, b, c, d] = found.byte_range;
    let in_bounds = b <= bytes.len() && c <= bytes.len() && c.saturating_add(d) <= bytes.len();
    let range_well_formed = a == 0 && b < c && in_bounds && found.gap_is_contents;
    let covers_whole_file = in_bounds && c + d == bytes.len();
    let (changes, changed) =
        changes_after(bytes, now, found.byte_range, covers_whole_file, in_bounds);
    // What the signature covers; its digest algorithm is its own.
    let signed: Vec<&[u8]> =
        if range_well_formed { vec![&bytes[..b], &bytes[c..c + d]] } else { Vec::new() };
    let mut verdict = Verification {
        field: found.field,
        document_timestamp: found.document_timestamp,
        signer: String::new(),
        signing_time: found.signing_time,
        covers_whole_file,
        range_well_formed,
        digest_matches: false,
        signature_valid: false,
        changes,
        changed,
        timestamp: None,
        level: None,
        revocation: Status::Unknown,
        trusted: None,
        untrusted_because: None,
        signed_at: None,
    };
    let checked = if found.document_timestamp {
        stamps::check(&found.contents, &signed).map(|stamp| {
            verdict.timestamp = Some((stamp.time, stamp.intact));
            stamp.checked
        })
    } else {
        cms::check(&found.contents, &signed).inspect(|_| {
            if let Some(stamp) = stamps::of_signature(&found.contents) {
                verdict.timestamp = Some(match stamp {
                    Ok(stamp) => (stamp.time, stamp.intact),
                    Err(_) => (0, false),
                });
            }
        })
    };
    let checked = match checked {
        Ok(checked) => checked,
        Err(err) => {
            verdict.signer = format!("(unreadable signature: {err})");
            verdict.trusted = (!trust.is_empty()).then_some(false);
            return verdict;
        }
    };
    // Certificates must be valid when it was signed: the timestamp's time
    // (B-T), else the time the signature states, else now.
    verdict.signed_at = match verdict.timestamp {
        Some((time, true)) => Some(time),
        _ => verdict
            .signing_time
            .as_deref()
            .and_then(crate::date::Timestamp::from_pdf_date)
            .map(|t| t.0),
    };
    let at = verdict.signed_at.unwrap_or_else(|| crate::date::Timestamp::clock().0);
    let mut pool = checked.certificates.clone();
    pool.extend(
        dss.certificates.iter().filter_map(|der| <Certificate as der::Decode>::from_der(der).ok()),
    );
    let issuer =
        pool.iter().find(|c| c.tbs_certificate.subject == checked.signer.tbs_certificate.issuer);
    verdict.revocation = revocation::status(&checked.signer, issuer, &dss.crls, &dss.ocsps);
    let path = (!trust.is_empty()).then(|| path::validate(&checked.signer, &pool, trust, at));
    verdict.signer = checked.signer.tbs_certificate.subject.to_string();
    verdict.digest_matches = checked.digest_matches;
    verdict.signature_valid = checked.signature_valid;
    verdict.trusted = path.as_ref().map(Result::is_ok);
    verdict.untrusted_because = path.and_then(Result::err);
    verdict
}

/// What the updates after the revision a signature covers changed.
fn changes_after(
    bytes: &[u8],
    now: &lopdf::Document,
    [_, _, c, d]: [usize; 4],
    covers_whole_file: bool,
    in_bounds: bool,
) -> (Changes, Vec<String>) {
    if covers_whole_file {
        return (Changes::Nothing, Vec::new());
    }
    if !in_bounds {
        return (Changes::Content, vec!["the byte range runs past the end of the file".into()]);
    }
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
}
