//! The CMS SignedData of a PAdES baseline signature (`ETSI.CAdES.detached`):
//! signed attributes contentType, messageDigest and signingCertificateV2 (no
//! signing-time, as PAdES requires), ECDSA P-256 with SHA-256.

use cms::cert::CertificateChoices;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5911::{ID_CONTENT_TYPE, ID_DATA, ID_MESSAGE_DIGEST, ID_SIGNED_DATA};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode, Sequence};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;

use super::SignError;
use super::algorithms::DigestAlgorithm;
use super::keys::Signer;

const ID_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
const ID_SIGNING_CERTIFICATE_V1: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.12");

/// ESSCertIDv2 (RFC 5035). pressroom writes only the hash (SHA-256, the
/// default); others may name the hash algorithm and the issuer and serial.
#[derive(Clone, Debug, Sequence)]
struct EssCertIdV2 {
    #[asn1(optional = "true")]
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<Any>,
}

/// SigningCertificateV2 (RFC 5035); pressroom writes no policies.
#[derive(Clone, Debug, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    policies: Option<Any>,
}

fn algorithm(oid: ObjectIdentifier) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned { oid, parameters: None }
}

fn attribute(oid: ObjectIdentifier, value: impl Encode) -> Result<Attribute, SignError> {
    let value = Any::from_der(&value.to_der().map_err(asn1)?).map_err(asn1)?;
    Ok(Attribute { oid, values: SetOfVec::try_from(vec![value]).map_err(asn1)? })
}

fn asn1(err: der::Error) -> SignError {
    SignError::Asn1(err.to_string())
}

/// A detached CMS signature over `digest` (of the signed byte ranges, by
/// the key's digest algorithm), DER encoded.
pub fn sign(signer: &Signer, digest: &[u8]) -> Result<Vec<u8>, SignError> {
    let cert_der = signer.certificate.to_der().map_err(asn1)?;
    let signing_certificate = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            hash_algorithm: None,
            cert_hash: OctetString::new(Sha256::digest(&cert_der).to_vec()).map_err(asn1)?,
            issuer_serial: None,
        }],
        policies: None,
    };
    let signed_attrs = SetOfVec::try_from(vec![
        attribute(ID_CONTENT_TYPE, ID_DATA)?,
        attribute(ID_MESSAGE_DIGEST, OctetString::new(digest.to_vec()).map_err(asn1)?)?,
        attribute(ID_SIGNING_CERTIFICATE_V2, signing_certificate)?,
    ])
    .map_err(asn1)?;
    // The signature covers the DER of the attributes as a SET OF.
    let to_sign = signed_attrs.to_der().map_err(asn1)?;
    let signature = signer.key.sign(&to_sign)?;

    let tbs = &signer.certificate.tbs_certificate;
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(cms::cert::IssuerAndSerialNumber {
            issuer: tbs.issuer.clone(),
            serial_number: tbs.serial_number.clone(),
        }),
        digest_alg: algorithm(signer.key.digest_algorithm().oid()),
        signed_attrs: Some(signed_attrs),
        signature_algorithm: signer.key.algorithm(),
        unsigned_attrs: match &signer.timestamp_url {
            // B-T and up: a timestamp over the signature value, from the authority.
            Some(url) if signer.level >= crate::project::SignatureLevel::BT => {
                let token = super::timestamp::token(url, &signature)?;
                let attr = Attribute {
                    oid: super::timestamp::ID_AA_SIGNATURE_TIME_STAMP_TOKEN,
                    values: SetOfVec::try_from(vec![token]).map_err(asn1)?,
                };
                Some(SetOfVec::try_from(vec![attr]).map_err(asn1)?)
            }
            _ => None,
        },
        signature: OctetString::new(signature).map_err(asn1)?,
    };
    // A chain named twice (in a PKCS#12 file and in `chain`) is embedded once.
    let mut certificates: Vec<CertificateChoices> = Vec::new();
    for cert in std::iter::once(&signer.certificate).chain(&signer.chain) {
        let choice = CertificateChoices::Certificate(cert.clone());
        if !certificates.contains(&choice) {
            certificates.push(choice);
        }
    }
    let signed_data = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![algorithm(signer.key.digest_algorithm().oid())])
            .map_err(asn1)?,
        encap_content_info: EncapsulatedContentInfo { econtent_type: ID_DATA, econtent: None },
        certificates: Some(CertificateSet(SetOfVec::try_from(certificates).map_err(asn1)?)),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![signer_info]).map_err(asn1)?),
    };
    let content_info = ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&signed_data).map_err(asn1)?,
    };
    content_info.to_der().map_err(asn1)
}

/// Whether the signed signingCertificateV2 attribute names `signer`: its
/// first ESSCertIDv2 holds the hash of the signer's certificate. PAdES
/// requires it; without it a certificate could be swapped for another with
/// the same key.
fn names_signer(attrs: &[Attribute], signer: &Certificate) -> bool {
    let Some(value) = attrs
        .iter()
        .find(|a| a.oid == ID_SIGNING_CERTIFICATE_V2)
        .and_then(|a| a.values.iter().next())
    else {
        return false;
    };
    let Ok(attribute) = value.decode_as::<SigningCertificateV2>() else { return false };
    let Some(first) = attribute.certs.first() else { return false };
    let algorithm = first
        .hash_algorithm
        .as_ref()
        .map_or(Some(DigestAlgorithm::Sha256), |a| DigestAlgorithm::from_oid(a.oid));
    let Ok(der) = signer.to_der() else { return false };
    algorithm.is_some_and(|a| a.digest(&[&der]) == first.cert_hash.as_bytes())
}

/// What a CMS signature says, once checked against the signed bytes.
#[derive(Debug, Clone)]
pub struct Checked {
    pub signer: Certificate,
    pub certificates: Vec<Certificate>,
    /// The messageDigest attribute equals the digest of the signed ranges.
    pub digest_matches: bool,
    /// The signature over the signed attributes verifies with the signer's key.
    pub signature_valid: bool,
}

/// Parses a detached CMS signature and checks it against the bytes it
/// signs (`signed`, the byte ranges in order; empty when they are not
/// well formed), by the digest and signature algorithms it names.
pub fn check(der: &[u8], signed: &[&[u8]]) -> Result<Checked, SignError> {
    let (signed_data, certificates) = read_signed_data(der)?;
    check_signers(&signed_data, certificates, signed, false)
}

/// The SignedData of a ContentInfo (a signature, or a timestamp token) and
/// the certificates it carries. `/Contents` is zero-padded after the DER:
/// one element is read.
pub(super) fn read_signed_data(der: &[u8]) -> Result<(SignedData, Vec<Certificate>), SignError> {
    let mut reader = der::SliceReader::new(der).map_err(asn1)?;
    let content_info: ContentInfo = der::Decode::decode(&mut reader).map_err(asn1)?;
    if content_info.content_type != ID_SIGNED_DATA {
        return Err(SignError::Asn1("the signature is not CMS SignedData".into()));
    }
    let signed_data: SignedData = content_info.content.decode_as().map_err(asn1)?;
    let certificates: Vec<Certificate> = signed_data
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(cert) => Some(cert.clone()),
            _ => None,
        })
        .collect();
    Ok((signed_data, certificates))
}

/// Checks every SignerInfo of `signed_data` against `content` (the bytes
/// whose digest the messageDigest attribute holds).
pub(super) fn check_signers(
    signed_data: &SignedData,
    certificates: Vec<Certificate>,
    content: &[&[u8]],
    timestamp_token: bool,
) -> Result<Checked, SignError> {
    // Every SignerInfo must hold, not only the first: a second one that
    // does not verify is a broken signature, not an extra.
    let mut infos = signed_data.signer_infos.0.iter();
    let first =
        infos.next().ok_or_else(|| SignError::Asn1("the signature has no signer".into()))?;
    let mut checked = check_signer(first, &certificates, content, timestamp_token)?;
    for info in infos {
        let other = check_signer(info, &certificates, content, timestamp_token)?;
        checked.digest_matches &= other.digest_matches;
        checked.signature_valid &= other.signature_valid;
    }
    Ok(Checked {
        signer: checked.signer,
        certificates,
        digest_matches: checked.digest_matches,
        signature_valid: checked.signature_valid,
    })
}

struct SignerChecked {
    signer: Certificate,
    digest_matches: bool,
    signature_valid: bool,
}

/// One SignerInfo: its certificate among `certificates`, its messageDigest
/// against the signed bytes, its signature over its signed attributes.
fn check_signer(
    signer_info: &SignerInfo,
    certificates: &[Certificate],
    signed: &[&[u8]],
    timestamp_token: bool,
) -> Result<SignerChecked, SignError> {
    let SignerIdentifier::IssuerAndSerialNumber(sid) = &signer_info.sid else {
        return Err(SignError::Asn1("the signer is not named by issuer and serial".into()));
    };
    let signer = certificates
        .iter()
        .find(|c| {
            c.tbs_certificate.serial_number == sid.serial_number
                && c.tbs_certificate.issuer == sid.issuer
        })
        .cloned()
        .ok_or_else(|| SignError::Asn1("the signer's certificate is not embedded".into()))?;
    let attrs = signer_info
        .signed_attrs
        .as_ref()
        .ok_or_else(|| SignError::Asn1("the signature has no signed attributes".into()))?;
    let message_digest = attrs
        .iter()
        .find(|a| a.oid == ID_MESSAGE_DIGEST)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.decode_as::<OctetString>().ok());
    let digest_algorithm =
        DigestAlgorithm::from_oid(signer_info.digest_alg.oid).ok_or_else(|| {
            SignError::Asn1(format!("unknown digest algorithm {}", signer_info.digest_alg.oid))
        })?;
    let digest = digest_algorithm.digest(signed);
    let digest_matches =
        !signed.is_empty() && message_digest.is_some_and(|d| d.as_bytes() == digest);
    // A timestamp token may name its signer with the older ESS
    // signingCertificate (SHA-1); a PAdES signature must use version 2.
    let names = names_signer(attrs.as_slice(), &signer)
        || (timestamp_token && attrs.iter().any(|a| a.oid == ID_SIGNING_CERTIFICATE_V1));
    let signature_valid = names
        && super::algorithms::verify(
            &signer,
            &signer_info.signature_algorithm,
            digest_algorithm,
            &attrs.to_der().map_err(asn1)?,
            signer_info.signature.as_bytes(),
        );
    Ok(SignerChecked { signer, digest_matches, signature_valid })
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::DecodePem;

    fn cert(pem: &str) -> Certificate {
        Certificate::from_pem(pem).unwrap()
    }

    #[test]
    fn the_signing_certificate_attribute_must_name_the_signer() {
        let signer = cert(include_str!("../../tests/keys/signer.pem"));
        let other = cert(include_str!("../../tests/keys/rsa.pem"));
        let naming = |c: &Certificate| {
            let hash = Sha256::digest(c.to_der().unwrap()).to_vec();
            let value = SigningCertificateV2 {
                certs: vec![EssCertIdV2 {
                    hash_algorithm: None,
                    cert_hash: OctetString::new(hash).unwrap(),
                    issuer_serial: None,
                }],
                policies: None,
            };
            vec![attribute(ID_SIGNING_CERTIFICATE_V2, value).unwrap()]
        };
        assert!(names_signer(&naming(&signer), &signer));
        assert!(!names_signer(&naming(&other), &signer), "another certificate's hash");
        assert!(!names_signer(&[], &signer), "no attribute at all");
    }
}
