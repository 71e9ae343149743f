//! The private key that signs — P-256, P-384, RSA, RSA-PSS from a file, or
//! a key on a token — and what CMS says of it: the digest it signs with and
//! its signature algorithm.

use const_oid::ObjectIdentifier;
use der::Decode;
use p256::pkcs8::{DecodePrivateKey, EncodePublicKey};

use super::SignError;

const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const ID_RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");

/// RSASSA-PSS-params (RFC 4055) for SHA-256: `[0]` sha256, `[1]` MGF1 with
/// sha256, `[2]` salt length 32, the trailer field left at its default.
const PSS_SHA256_PARAMS: &[u8] = &[
    0x30, 0x34, // SEQUENCE
    0xA0, 0x0F, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, // [0] sha256, NULL
    0xA1, 0x1C, 0x30, 0x1A, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x08, 0x30,
    0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, // [1] mgf1(sha256)
    0xA2, 0x03, 0x02, 0x01, 0x20, // [2] salt length 32
];

fn pss_algorithm() -> spki::AlgorithmIdentifierOwned {
    spki::AlgorithmIdentifierOwned {
        oid: ID_RSASSA_PSS,
        parameters: der::Any::from_der(PSS_SHA256_PARAMS).ok(),
    }
}

/// A private key of a kind validators accept for PAdES.
pub enum SigningKey {
    /// ECDSA on P-256 with SHA-256.
    P256(p256::ecdsa::SigningKey),
    /// ECDSA on P-384 with SHA-384 (what many issuing CAs hand out).
    P384(p384::ecdsa::SigningKey),
    /// RSA, PKCS#1 v1.5 with SHA-256.
    Rsa(Box<rsa::pkcs1v15::SigningKey<rsa::sha2::Sha256>>),
    /// An RSASSA-PSS key (its algorithm says so): PSS with SHA-256, MGF1
    /// with SHA-256 and a 32-byte salt, the defaults PAdES validators expect.
    RsaPss(Box<rsa::pss::SigningKey<rsa::sha2::Sha256>>),
    /// A key on a hardware token: the token signs.
    Token(Box<super::token::TokenKey>),
}

impl SigningKey {
    /// Decodes a PKCS#8 `PrivateKeyInfo` (DER), by its algorithm.
    pub(super) fn from_pkcs8_der(der: &[u8]) -> Result<Self, SignError> {
        let info = pkcs8::PrivateKeyInfo::try_from(der)
            .map_err(|e| SignError::Key(format!("not a PKCS#8 private key: {e}")))?;
        match info.algorithm.oid {
            ID_EC_PUBLIC_KEY => p256::ecdsa::SigningKey::from_pkcs8_der(der)
                .map(Self::P256)
                .or_else(|_| p384::ecdsa::SigningKey::from_pkcs8_der(der).map(Self::P384))
                .map_err(|_| {
                    SignError::Key("only P-256 and P-384 elliptic-curve keys are supported".into())
                }),
            RSA_ENCRYPTION => {
                use rsa::pkcs8::DecodePrivateKey as _;
                let key = rsa::PrivateKey::from_pkcs8_der(der)
                    .map_err(|e| SignError::Key(format!("unreadable RSA key: {e}")))?;
                Ok(Self::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(key))))
            }
            // The same RSAPrivateKey, marked for PSS only.
            ID_RSASSA_PSS => {
                use rsa::pkcs1::DecodeRsaPrivateKey as _;
                let key = rsa::PrivateKey::from_pkcs1_der(info.private_key)
                    .map_err(|e| SignError::Key(format!("unreadable RSA-PSS key: {e}")))?;
                Ok(Self::RsaPss(Box::new(rsa::pss::SigningKey::new(key))))
            }
            other => Err(SignError::Key(format!(
                "keys of algorithm {other} are not supported: use ECDSA P-256 or P-384, RSA or RSA-PSS"
            ))),
        }
    }

    /// The digest the key signs with: SHA-384 for P-384, else SHA-256.
    pub fn digest_algorithm(&self) -> super::algorithms::DigestAlgorithm {
        match self {
            Self::P384(_) => super::algorithms::DigestAlgorithm::Sha384,
            Self::Token(key) => key.digest_algorithm(),
            _ => super::algorithms::DigestAlgorithm::Sha256,
        }
    }

    /// Signs `message` (hashing it with [`Self::digest_algorithm`]); the
    /// signature as CMS carries it.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        Ok(match self {
            Self::P256(key) => {
                use p256::ecdsa::signature::Signer as _;
                let signature: p256::ecdsa::DerSignature = key.sign(message);
                signature.as_bytes().to_vec()
            }
            Self::P384(key) => {
                use p384::ecdsa::signature::Signer as _;
                let signature: p384::ecdsa::DerSignature = key.sign(message);
                signature.as_bytes().to_vec()
            }
            Self::Rsa(key) => {
                use rsa::signature::{SignatureEncoding as _, Signer as _};
                key.sign(message).to_vec()
            }
            Self::RsaPss(key) => {
                use rsa::signature::{RandomizedSigner as _, SignatureEncoding as _};
                // The salt and blinding come from the OS; with no random
                // source there is no signature.
                key.try_sign_with_rng(&mut getrandom::SysRng, message)
                    .map(|s| s.to_vec())
                    .map_err(|e| SignError::Key(format!("cannot sign (no random source?): {e}")))?
            }
            Self::Token(key) => key.sign(message)?,
        })
    }

    /// The CMS signatureAlgorithm: ecdsa-with-SHA256 or sha256WithRSAEncryption.
    pub fn algorithm(&self) -> spki::AlgorithmIdentifierOwned {
        match self {
            Self::P256(_) => spki::AlgorithmIdentifierOwned {
                oid: ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2"),
                parameters: None,
            },
            Self::P384(_) => spki::AlgorithmIdentifierOwned {
                oid: ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3"),
                parameters: None,
            },
            Self::Rsa(_) => spki::AlgorithmIdentifierOwned {
                oid: ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11"),
                parameters: Some(der::asn1::Null.into()),
            },
            // RSASSA-PSS-params: SHA-256, MGF1 with SHA-256, salt 32.
            Self::RsaPss(_) => pss_algorithm(),
            Self::Token(key) => {
                use super::token::TokenAlgorithm::*;
                let (oid, parameters) = match key.algorithm {
                    RsaPkcs1 => ("1.2.840.113549.1.1.11", Some(der::asn1::Null.into())),
                    RsaPss => return pss_algorithm(),
                    EcdsaP256 => ("1.2.840.10045.4.3.2", None),
                    EcdsaP384 => ("1.2.840.10045.4.3.3", None),
                };
                spki::AlgorithmIdentifierOwned {
                    oid: ObjectIdentifier::new_unwrap(oid),
                    parameters,
                }
            }
        }
    }

    /// The public key as SubjectPublicKeyInfo DER, to compare with a certificate.
    pub(super) fn public_key_der(&self) -> Result<Vec<u8>, SignError> {
        let err = |e: String| SignError::Key(format!("cannot encode the public key: {e}"));
        match self {
            Self::P256(key) => key
                .verifying_key()
                .to_public_key_der()
                .map(|d| d.as_bytes().to_vec())
                .map_err(|e| err(e.to_string())),
            Self::P384(key) => {
                use p384::pkcs8::EncodePublicKey as _;
                key.verifying_key()
                    .to_public_key_der()
                    .map(|d| d.as_bytes().to_vec())
                    .map_err(|e| err(e.to_string()))
            }
            Self::Rsa(key) => rsa_public_key_der(key.as_ref().as_ref()).map_err(err),
            Self::RsaPss(key) => rsa_public_key_der(key.as_ref().as_ref()).map_err(err),
            Self::Token(_) => Err(err("a token's key stays on the token".into())),
        }
    }
}

/// An RSA key's public half as SubjectPublicKeyInfo DER (rsaEncryption).
fn rsa_public_key_der(key: &rsa::PrivateKey) -> Result<Vec<u8>, String> {
    use rsa::pkcs8::EncodePublicKey as _;
    key.to_public_key()
        .to_public_key_der()
        .map(|d| d.as_bytes().to_vec())
        .map_err(|e| e.to_string())
}
