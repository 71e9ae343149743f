//! Which digest and which signature algorithm a CMS signature uses, read
//! from the signature itself (as other tools sign: pyHanko's defaults give
//! SHA-384 for RSA-3072 and P-384), and verifying it with *ring* through
//! rustls-webpki's algorithm table: ECDSA P-256/P-384, RSA PKCS#1 v1.5 with
//! SHA-256/384/512 and Ed25519; RSASSA-PSS (any salt length) with the rsa crate.

use const_oid::ObjectIdentifier;
use rustls_pki_types::SignatureVerificationAlgorithm;
use sha2::Digest;
use spki::AlgorithmIdentifierOwned;
use webpki::ring as algs;
use x509_cert::Certificate;

const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// The digest algorithms a signature may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    Sha256,
    Sha384,
    Sha512,
}

impl DigestAlgorithm {
    pub fn from_oid(oid: ObjectIdentifier) -> Option<Self> {
        match oid {
            SHA256 => Some(Self::Sha256),
            SHA384 => Some(Self::Sha384),
            SHA512 => Some(Self::Sha512),
            _ => None,
        }
    }

    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Sha256 => SHA256,
            Self::Sha384 => SHA384,
            Self::Sha512 => SHA512,
        }
    }

    /// The digest of `parts`, one after the other.
    pub fn digest(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut hasher = D::new();
            for part in parts {
                hasher.update(part);
            }
            hasher.finalize().to_vec()
        }
        match self {
            Self::Sha256 => run::<sha2::Sha256>(parts),
            Self::Sha384 => run::<sha2::Sha384>(parts),
            Self::Sha512 => run::<sha2::Sha512>(parts),
        }
    }
}

/// Whether `signature` over `message` verifies with `cert`'s key, by the
/// signature algorithm `algorithm` and digest `digest` the SignerInfo
/// names. An algorithm pressroom does not know does not verify.
pub fn verify(
    cert: &Certificate,
    algorithm: &AlgorithmIdentifierOwned,
    digest: DigestAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> bool {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let Some(public_key) = spki.subject_public_key.as_bytes() else { return false };
    let curve =
        spki.algorithm.parameters.as_ref().and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
    use DigestAlgorithm::*;
    let chosen: Option<&dyn SignatureVerificationAlgorithm> = match spki.algorithm.oid {
        EC_PUBLIC_KEY => match (curve, digest) {
            (Some(P256), Sha256) => Some(algs::ECDSA_P256_SHA256),
            (Some(P256), Sha384) => Some(algs::ECDSA_P256_SHA384),
            (Some(P384), Sha256) => Some(algs::ECDSA_P384_SHA256),
            (Some(P384), Sha384) => Some(algs::ECDSA_P384_SHA384),
            _ => None,
        },
        // Any salt length (pyHanko uses the longest the key allows, which
        // *ring* does not accept): the rsa crate works it out.
        RSA if algorithm.oid == RSA_PSS => {
            return verify_pss(public_key, digest, message, signature);
        }
        // A key certified for PSS only signs PSS.
        RSA_PSS if algorithm.oid == RSA_PSS => {
            return verify_pss(public_key, digest, message, signature);
        }
        RSA => Some(match digest {
            Sha256 => algs::RSA_PKCS1_2048_8192_SHA256,
            Sha384 => algs::RSA_PKCS1_2048_8192_SHA384,
            Sha512 => algs::RSA_PKCS1_2048_8192_SHA512,
        }),
        ED25519 => Some(algs::ED25519),
        _ => None,
    };
    chosen.is_some_and(|alg| alg.verify_signature(public_key, message, signature).is_ok())
}

/// RSASSA-PSS with the salt length the signature has.
/// `public_key` is the certificate's RSAPublicKey (whichever algorithm, rsaEncryption
/// or rsassaPss, its certificate names).
fn verify_pss(
    public_key: &[u8],
    digest: DigestAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> bool {
    use rsa::pkcs1::DecodeRsaPublicKey as _;
    use rsa::signature::Verifier as _;
    let Ok(key) = rsa::PublicKey::from_pkcs1_der(public_key) else { return false };
    let Ok(signature) = rsa::pss::Signature::try_from(signature) else { return false };
    match digest {
        DigestAlgorithm::Sha256 => {
            rsa::pss::VerifyingKey::<rsa::sha2::Sha256>::new_with_auto_salt_len(key)
                .verify(message, &signature)
                .is_ok()
        }
        DigestAlgorithm::Sha384 => {
            rsa::pss::VerifyingKey::<rsa::sha2::Sha384>::new_with_auto_salt_len(key)
                .verify(message, &signature)
                .is_ok()
        }
        DigestAlgorithm::Sha512 => {
            rsa::pss::VerifyingKey::<rsa::sha2::Sha512>::new_with_auto_salt_len(key)
                .verify(message, &signature)
                .is_ok()
        }
    }
}
