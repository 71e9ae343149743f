//! RFC 3161 timestamps for PAdES B-T: the signature value is sent (as its
//! SHA-256) to the timestamp authority named by `timestamp-url`, whose token
//! becomes an unsigned attribute of the signer.

use const_oid::ObjectIdentifier;
use der::asn1::{BitString, OctetString, Uint};
use der::{Any, Decode, Encode, Sequence};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;

use super::SignError;

/// id-aa-signatureTimeStampToken (RFC 3161, appendix A).
pub const ID_AA_SIGNATURE_TIME_STAMP_TOKEN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");

#[derive(Clone, Debug, Sequence)]
struct MessageImprint {
    hash_algorithm: AlgorithmIdentifierOwned,
    hashed_message: OctetString,
}

#[derive(Clone, Debug, Sequence)]
struct TimeStampReq {
    version: u8,
    message_imprint: MessageImprint,
    #[asn1(optional = "true")]
    nonce: Option<Uint>,
    #[asn1(optional = "true")]
    cert_req: Option<bool>,
}

#[derive(Clone, Debug, Sequence)]
struct PkiStatusInfo {
    status: u8,
    #[asn1(optional = "true")]
    status_string: Option<Any>,
    #[asn1(optional = "true")]
    fail_info: Option<BitString>,
}

#[derive(Clone, Debug, Sequence)]
struct TimeStampResp {
    status: PkiStatusInfo,
    #[asn1(optional = "true")]
    time_stamp_token: Option<Any>,
}

fn asn1(err: der::Error) -> SignError {
    SignError::Timestamp(format!("malformed timestamp data: {err}"))
}

/// The DER of a request for a timestamp over data whose SHA-256 is
/// `imprint`, with `nonce`.
fn request(imprint: &[u8], nonce: &[u8]) -> Result<Vec<u8>, SignError> {
    let request = TimeStampReq {
        version: 1,
        message_imprint: MessageImprint {
            hash_algorithm: AlgorithmIdentifierOwned { oid: ID_SHA256, parameters: None },
            hashed_message: OctetString::new(imprint.to_vec()).map_err(asn1)?,
        },
        // A minimal positive INTEGER: Uint drops leading zeros itself.
        nonce: Some(Uint::new(nonce).map_err(asn1)?),
        cert_req: Some(true),
    };
    request.to_der().map_err(asn1)
}

/// Asks the authority at `url` for a timestamp token over `signature` (B-T).
pub fn token(url: &str, signature: &[u8]) -> Result<Any, SignError> {
    token_for(url, &Sha256::digest(signature))
}

/// Asks the authority at `url` for a timestamp token over data whose
/// SHA-256 is `imprint` (a document timestamp stamps the file's bytes).
pub fn token_for(url: &str, imprint: &[u8]) -> Result<Any, SignError> {
    // A nonce from the operating system's random source, so a replayed
    // answer cannot pass for this one.
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce)
        .map_err(|e| SignError::Timestamp(format!("no random source for the nonce: {e}")))?;
    let body = request(imprint, &nonce)?;
    let bytes = super::fetch::post(url, "application/timestamp-query", &body)
        .map_err(|e| SignError::Timestamp(format!("the timestamp authority at {url}: {e}")))?;
    let response = TimeStampResp::from_der(&bytes).map_err(asn1)?;
    // 0 granted, 1 granted with modifications.
    if response.status.status > 1 {
        return Err(SignError::Timestamp(format!(
            "the timestamp authority at {url} refused the request (status {})",
            response.status.status
        )));
    }
    let token = response.time_stamp_token.ok_or_else(|| {
        SignError::Timestamp(format!("the timestamp authority at {url} sent no token"))
    })?;
    check_token(&token, imprint, &nonce).map_err(|why| {
        SignError::Timestamp(format!("the timestamp authority at {url} sent a token {why}"))
    })?;
    // The authority's own signature, before any certificate in the token is
    // used (B-LT asks the services those certificates name).
    let stamp = super::stamps::check(&token.to_der().map_err(asn1)?, &[])?;
    if !stamp.checked.signature_valid {
        return Err(SignError::Timestamp(format!(
            "the timestamp authority at {url} sent a token whose signature does not verify"
        )));
    }
    Ok(token)
}

/// Whether `token` stamps what was sent (its message imprint is `imprint`,
/// a SHA-256) and answers this request (its nonce is `nonce`): an answer to
/// another request, or a replayed one, is refused.
fn check_token(token: &Any, imprint_sent: &[u8], nonce: &[u8]) -> Result<(), String> {
    let info = read_token(token)?;
    if info.imprint_algorithm != ID_SHA256 || info.imprint != imprint_sent {
        return Err("for other data than this signature".into());
    }
    let sent = Uint::new(nonce).map_err(|e| format!("that cannot be read ({e})"))?;
    match info.nonce {
        Some(got) if got == sent => Ok(()),
        _ => {
            Err("that does not answer this request (its nonce differs: a replayed answer?)".into())
        }
    }
}

/// What a timestamp token's TSTInfo says.
pub struct TokenInfo {
    pub imprint_algorithm: ObjectIdentifier,
    pub imprint: Vec<u8>,
    pub nonce: Option<Uint>,
    /// genTime, in seconds since 1970.
    pub time: i64,
    /// The TSTInfo's DER, which the token's SignerInfo signs.
    pub content: Vec<u8>,
}

/// `YYYYMMDDHHMMSS[.f…]Z` as seconds since 1970 (a PDF date's digits).
fn generalized_time(text: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(text).ok()?;
    if !text.ends_with('Z') || text.len() < 15 {
        return None;
    }
    crate::date::Timestamp::from_pdf_date(text).map(|t| t.0)
}

/// Reads the TSTInfo inside a timestamp token (a CMS ContentInfo).
pub fn read_token(token: &Any) -> Result<TokenInfo, String> {
    use cms::content_info::ContentInfo;
    use cms::signed_data::SignedData;
    let unreadable = |e: der::Error| format!("that cannot be read ({e})");
    let info: ContentInfo = token.decode_as().map_err(unreadable)?;
    let signed: SignedData = info.content.decode_as().map_err(unreadable)?;
    let content = signed.encap_content_info.econtent.ok_or("without content")?;
    let octets: OctetString = content.decode_as().map_err(unreadable)?;
    // TSTInfo: version, policy, messageImprint, serialNumber, genTime, then
    // optional accuracy (SEQUENCE), ordering (BOOLEAN), nonce (INTEGER), …
    let tst_info = Any::from_der(octets.as_bytes()).map_err(unreadable)?;
    let mut fields = der::SliceReader::new(tst_info.value()).map_err(unreadable)?;
    let _version = Any::decode(&mut fields).map_err(unreadable)?;
    let _policy = Any::decode(&mut fields).map_err(unreadable)?;
    let imprint = MessageImprint::decode(&mut fields).map_err(unreadable)?;
    let _serial = Any::decode(&mut fields).map_err(unreadable)?;
    // Read by hand: many authorities add fractions of a second, which DER's
    // GeneralizedTime type refuses.
    let time = Any::decode(&mut fields).map_err(unreadable)?;
    let time = generalized_time(time.value()).ok_or("with an unreadable genTime")?;
    let mut nonce = None;
    while !der::Reader::is_finished(&fields) {
        let field = Any::decode(&mut fields).map_err(unreadable)?;
        if der::Tagged::tag(&field) == der::Tag::Integer {
            nonce = Some(field.decode_as::<Uint>().map_err(unreadable)?);
        }
    }
    Ok(TokenInfo {
        imprint_algorithm: imprint.hash_algorithm.oid,
        imprint: imprint.hashed_message.as_bytes().to_vec(),
        nonce,
        time,
        content: octets.as_bytes().to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_carry_sha256_of_the_signature_and_a_minimal_nonce() {
        let der = request(&Sha256::digest(b"signature"), &[0, 0, 0x7f, 1]).unwrap();
        let parsed = TimeStampReq::from_der(&der).unwrap();
        assert_eq!(parsed.version, 1);
        assert_eq!(
            parsed.message_imprint.hashed_message.as_bytes(),
            Sha256::digest(b"signature").as_slice()
        );
        assert_eq!(parsed.nonce.unwrap().as_bytes(), [0x7f, 1]);
        assert_eq!(parsed.cert_req, Some(true));
    }
}
