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
    /// `/M`: when the signer says it signed (seconds since 1970), unproven.
    pub stated_time: Option<i64>,
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
    /// A certification signature's DocMDP permission (1, 2 or 3), and
    /// whether what changed after it goes beyond it.
    pub certification: Option<u8>,
    pub beyond_certification: bool,
    /// The signature's timestamp (B-T) or the document timestamp's own
    /// time: seconds since 1970, and whether the token is intact.
    pub timestamp: Option<(i64, bool)>,
    /// Why the timestamp does not count, when it does not: a broken token,
    /// or an authority whose certificate does not validate to a trust
    /// anchor for time-stamping.
    pub timestamp_untrusted: Option<String>,
    /// The PAdES level a signature reaches (none for a document timestamp).
    pub level: Option<SignatureLevel>,
    /// What the embedded revocation data says of the signer's certificate,
    /// at the validation time.
    pub revocation: Status,
    /// Whether the chain reaches a trusted certificate (`None`: no trust
    /// anchors were given, so it was not checked).
    pub trusted: Option<bool>,
    /// Why it does not, when it does not: the check that failed.
    pub untrusted_because: Option<String>,
    /// The time the certificates were validated at, seconds since 1970: a
    /// trusted timestamp's, else the present (as pyHanko does; `/M` is only
    /// the signer's word).
    pub validated_at: i64,
}

impl Verification {
    pub fn intact(&self) -> bool {
        self.range_well_formed
            && self.digest_matches
            && self.signature_valid
            && self.timestamp.is_none_or(|(_, intact)| intact)
    }

    /// A timestamp that counts: intact, from an authority that validates.
    pub fn timestamp_trusted(&self) -> bool {
        matches!(self.timestamp, Some((_, true))) && self.timestamp_untrusted.is_none()
    }

    /// Revoked at or before the validation time.
    pub fn revoked_before_signing(&self) -> bool {
        matches!(&self.revocation, Status::Revoked { at_unix, .. } if *at_unix <= self.validated_at)
    }

    /// Whether this signature holds: intact, trusted (unless
    /// `trust_checked` is false: no anchors, by the user's choice), not
    /// revoked before it was made, and what was added after it leaves the
    /// content as signed and stays within a certification's permissions.
    pub fn holds(&self, trust_checked: bool) -> bool {
        self.intact()
            && if trust_checked { self.trusted == Some(true) } else { self.trusted != Some(false) }
            && !self.revoked_before_signing()
            && self.changes < Changes::Content
            && !self.beyond_certification
    }
}

/// Checks every signature and document timestamp in `bytes`, in the order
/// they were made, against the anchors `trust` (none: no chain is trusted).
/// An empty list means unsigned; an error, a file that is not a readable
/// PDF.
pub fn verify_pdf(bytes: &[u8], trust: &[Certificate]) -> Result<Vec<Verification>, SignError> {
    verify_pdf_at(bytes, trust, crate::date::Timestamp::clock().0)
}

/// [`verify_pdf`] with the present at `now` (seconds since 1970).
pub fn verify_pdf_at(
    bytes: &[u8],
    trust: &[Certificate],
    now: i64,
) -> Result<Vec<Verification>, SignError> {
    let (doc, found) = pdf::read(bytes)?;
    let dss = pdf::read_dss(&doc).unwrap_or_default();
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
    let context = Context { bytes, doc: &doc, trust, dss: &dss, now };
    let mut verdicts: Vec<Verification> =
        found.into_iter().map(|found| context.verify_one(found)).collect();
    // The level: B-T with a trusted timestamp, B-LT when the DSS has
    // revocation data for the signer, B-LTA when a trusted document
    // timestamp after the signature covers a DSS.
    for (i, verdict) in verdicts.clone().iter().enumerate() {
        if verdict.document_timestamp {
            continue;
        }
        let mut level =
            if verdict.timestamp_trusted() { SignatureLevel::BT } else { SignatureLevel::BB };
        if level == SignatureLevel::BT && verdict.revocation != Status::Unknown {
            level = SignatureLevel::BLt;
        }
        let stamped_later =
            ends.iter().zip(&verdicts).any(|(&(end, is_stamp, with_dss), stamp)| {
                is_stamp
                    && with_dss
                    && end > ends[i].0
                    && stamp.intact()
                    && stamp.timestamp_trusted()
            });
        if level == SignatureLevel::BLt && stamped_later {
            level = SignatureLevel::BLta;
        }
        verdicts[i].level = Some(level);
    }
    Ok(verdicts)
}

struct Context<'a> {
    bytes: &'a [u8],
    doc: &'a lopdf::Document,
    trust: &'a [Certificate],
    dss: &'a Dss,
    now: i64,
}

impl Context<'_> {
    fn verify_one(&self, found: Found) -> Verification {
        let bytes = self.bytes;
        let [a, b, c, d] = found.byte_range;
        let in_bounds = b <= bytes.len() && c <= bytes.len() && c.saturating_add(d) <= bytes.len();
        let range_well_formed = a == 0 && b < c && in_bounds && found.gap_is_contents;
        let covers_whole_file = in_bounds && c + d == bytes.len();
        let (changes, changed) =
            changes_after(bytes, self.doc, found.byte_range, covers_whole_file, in_bounds);
        // A certification signature allows validation data after it at P=1,
        // and form filling and signatures at 2 and 3.
        let beyond_certification = found.certification.is_some_and(|p| {
            changes > if p == 1 { Changes::ValidationData } else { Changes::FormFields }
        });
        // What the signature covers; its digest algorithm is its own.
        let signed: Vec<&[u8]> =
            if range_well_formed { vec![&bytes[..b], &bytes[c..c + d]] } else { Vec::new() };
        let mut verdict = Verification {
            field: found.field,
            document_timestamp: found.document_timestamp,
            signer: String::new(),
            stated_time: found
                .signing_time
                .as_deref()
                .and_then(crate::date::Timestamp::from_pdf_date)
                .map(|t| t.0),
            covers_whole_file,
            range_well_formed,
            digest_matches: false,
            signature_valid: false,
            changes,
            changed,
            certification: found.certification,
            beyond_certification,
            timestamp: None,
            timestamp_untrusted: None,
            level: None,
            revocation: Status::Unknown,
            trusted: None,
            untrusted_because: None,
            validated_at: self.now,
        };
        let (checked, stamp) = if found.document_timestamp {
            match stamps::check(&found.contents, &signed) {
                Ok(stamp) => (Ok(stamp.checked.clone()), Some(Ok(stamp))),
                Err(err) => (Err(err), None),
            }
        } else {
            (cms::check(&found.contents, &signed), stamps::of_signature(&found.contents))
        };
        let checked = match checked {
            Ok(checked) => checked,
            Err(err) => {
                verdict.signer = format!("(unreadable signature: {err})");
                verdict.trusted = (!self.trust.is_empty()).then_some(false);
                return verdict;
            }
        };
        let dss_certificates: Vec<Certificate> = self
            .dss
            .certificates
            .iter()
            .filter_map(|der| <Certificate as der::Decode>::from_der(der).ok())
            .collect();
        match stamp {
            Some(Ok(stamp)) => {
                verdict.timestamp = Some((stamp.time, stamp.intact));
                verdict.timestamp_untrusted = if !stamp.intact {
                    Some("the token does not verify".into())
                } else {
                    // The authority, at the present: nothing vouches for an
                    // earlier time than its own.
                    let mut pool = stamp.checked.certificates.clone();
                    pool.extend(dss_certificates.iter().cloned());
                    let purpose = path::Purpose::TimeStamping;
                    path::validate(&stamp.checked.signer, &pool, self.trust, self.now, purpose)
                        .err()
                };
                if verdict.timestamp_untrusted.is_none() {
                    verdict.validated_at = stamp.time;
                }
            }
            None => {}
            Some(Err(err)) => {
                verdict.timestamp = Some((0, false));
                verdict.timestamp_untrusted = Some(format!("the token cannot be read: {err}"));
            }
        }
        // A document timestamp's own time is not a time to validate it at.
        if found.document_timestamp {
            verdict.validated_at = self.now;
        }
        let at = verdict.validated_at;
        let mut pool = checked.certificates.clone();
        pool.extend(dss_certificates);
        let issuer = pool.iter().find(|c| revocation::issued_by(&checked.signer, c));
        verdict.revocation =
            revocation::status(&checked.signer, issuer, &self.dss.crls, &self.dss.ocsps, at);
        let purpose = if found.document_timestamp {
            path::Purpose::TimeStamping
        } else {
            path::Purpose::Signing
        };
        let path = (!self.trust.is_empty())
            .then(|| path::validate(&checked.signer, &pool, self.trust, at, purpose));
        verdict.signer = checked.signer.tbs_certificate.subject.to_string();
        verdict.digest_matches = checked.digest_matches;
        verdict.signature_valid = checked.signature_valid;
        verdict.trusted = path.as_ref().map(Result::is_ok);
        verdict.untrusted_because = path.and_then(Result::err);
        verdict
    }
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
