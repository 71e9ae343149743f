//! Checking timestamp tokens: the one a B-T signature carries (over its
//! signature value) and a document timestamp (B-LTA, over the file's bytes).
//! A token is a CMS signature by the authority over a TSTInfo, whose message
//! imprint is the hash of what it stamps.

use der::{Any, Decode, Encode};

use super::SignError;
use super::algorithms::DigestAlgorithm;
use super::cms::{self, Checked};
use super::timestamp::{self, ID_AA_SIGNATURE_TIME_STAMP_TOKEN};

/// A token, checked.
#[derive(Debug, Clone)]
pub struct Stamp {
    /// The authority's signature verifies, over a TSTInfo whose imprint is
    /// the hash of what it stamps.
    pub intact: bool,
    /// genTime, seconds since 1970.
    pub time: i64,
    /// The authority's certificate and the certificates the token carries.
    pub checked: Checked,
}

/// Checks a timestamp token (DER) over `stamped` (the parts, in order).
pub fn check(token_der: &[u8], stamped: &[&[u8]]) -> Result<Stamp, SignError> {
    let mut reader = der::SliceReader::new(token_der).map_err(asn1)?;
    let token = Any::decode(&mut reader).map_err(asn1)?;
    let info = timestamp::read_token(&token)
        .map_err(|why| SignError::Timestamp(format!("a token {why}")))?;
    let (signed_data, certificates) = cms::read_signed_data(&token.to_der().map_err(asn1)?)?;
    let mut checked = cms::check_signers(&signed_data, certificates, &[&info.content], true)?;
    let imprint_matches = !stamped.is_empty()
        && DigestAlgorithm::from_oid(info.imprint_algorithm)
            .is_some_and(|d| d.digest(stamped) == info.imprint);
    checked.digest_matches &= imprint_matches;
    Ok(Stamp {
        intact: checked.digest_matches && checked.signature_valid,
        time: info.time,
        checked,
    })
}

/// The signature timestamp of a CMS signature (B-T), checked against its
/// signature value: `None` when it has none.
pub fn of_signature(signature_der: &[u8]) -> Option<Result<Stamp, SignError>> {
    let (signed_data, _) = cms::read_signed_data(signature_der).ok()?;
    let info = signed_data.signer_infos.0.iter().next()?;
    let token = info
        .unsigned_attrs
        .iter()
        .flat_map(|attrs| attrs.iter())
        .find(|a| a.oid == ID_AA_SIGNATURE_TIME_STAMP_TOKEN)?
        .values
        .iter()
        .next()?;
    Some(token.to_der().map_err(asn1).and_then(|der| check(&der, &[info.signature.as_bytes()])))
}

fn asn1(err: der::Error) -> SignError {
    SignError::Timestamp(format!("malformed timestamp token: {err}"))
}
