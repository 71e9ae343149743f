//! Keys that never leave a hardware token, smart card or HSM, used through
//! its PKCS#11 module (cryptoki): the token is found by label, the user logs
//! in with the PIN, and the token signs. The certificate is read from the
//! token next to the key (same `CKA_ID`), unless `[signing]` names a file.

use std::path::Path;
use std::sync::Mutex;

use cryptoki::context::{CInitializeArgs, Pkcs11};
use cryptoki::error::{Error as Pkcs11Error, RvError};
use cryptoki::mechanism::rsa::{PkcsMgfType, PkcsPssParams};
use cryptoki::mechanism::{Mechanism, MechanismType};
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::types::AuthPin;
use der::Decode;
use x509_cert::Certificate;
use zeroize::Zeroizing;

pub use crate::project::TokenConfig;

use super::SignError;
use super::algorithms::DigestAlgorithm;

/// How the token's key signs, decided by its type and its certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenAlgorithm {
    RsaPkcs1,
    RsaPss,
    EcdsaP256,
    EcdsaP384,
}

/// A logged-in session with the key's handle. The session serves one
/// operation at a time, so signatures from parallel builds take turns.
pub struct TokenKey {
    session: Mutex<Session>,
    key: ObjectHandle,
    pub algorithm: TokenAlgorithm,
    // Keeps the module loaded while the session lives.
    _module: Pkcs11,
}

impl TokenKey {
    /// Opens the token, logs in with the PIN from `pin`, finds the key and
    /// its certificate (`None` when the token holds none for it).
    pub fn open(
        root: &Path,
        config: &TokenConfig,
        pin: &mut dyn FnMut() -> Result<Zeroizing<String>, SignError>,
    ) -> Result<(Self, Option<Certificate>), SignError> {
        let module_path = root.join(&config.module);
        if !module_path.exists() {
            return Err(SignError::Token(format!(
                "no PKCS#11 module at {} (is the token's software installed?)",
                module_path.display()
            )));
        }
        let module = Pkcs11::new(&module_path).map_err(|e| {
            SignError::Token(format!(
                "cannot load the PKCS#11 module {}: {e}",
                module_path.display()
            ))
        })?;
        module
            .initialize(CInitializeArgs::OsThreads)
            .map_err(|e| token_error("initialize the module", e))?;
        let slots = module.get_slots_with_token().map_err(|e| token_error("list the tokens", e))?;
        let mut labels = Vec::new();
        let mut found = None;
        for slot in slots {
            let label = module
                .get_token_info(slot)
                .map(|i| i.label().trim().to_owned())
                .unwrap_or_default();
            if label == config.token && found.is_none() {
                found = Some(slot);
            }
            if !label.is_empty() {
                labels.push(label);
            }
        }
        let slot = found.ok_or_else(|| {
            SignError::Token(format!(
                "no token labelled \"{}\" is present{}",
                config.token,
                if labels.is_empty() {
                    " (no token at all: is it plugged in?)".to_owned()
                } else {
                    format!(
                        " (present: {})",
                        labels.iter().map(|l| format!("\"{l}\"")).collect::<Vec<_>>().join(", ")
                    )
                }
            ))
        })?;
        let session = module.open_ro_session(slot).map_err(|e| token_error("open a session", e))?;
        let secret = pin()?;
        session.login(UserType::User, Some(&AuthPin::new(secret.as_str().to_owned()))).map_err(|e| match e {
            Pkcs11Error::Pkcs11(RvError::PinIncorrect, _) => {
                SignError::Token(format!("wrong PIN for the token \"{}\"", config.token))
            }
            Pkcs11Error::Pkcs11(RvError::PinLocked, _) => SignError::Token(format!(
                "the token \"{}\" is locked after too many wrong PINs: its administrator must unlock it",
                config.token
            )),
            other => token_error("log in", other),
        })?;
        drop(secret);

        let label = config.key_label.as_bytes().to_vec();
        let keys = session
            .find_objects(&[
                Attribute::Class(ObjectClass::PRIVATE_KEY),
                Attribute::Label(label.clone()),
            ])
            .map_err(|e| token_error("find the key", e))?;
        let key = *keys.first().ok_or_else(|| {
            SignError::Token(format!(
                "the token \"{}\" has no private key labelled \"{}\"",
                config.token, config.key_label
            ))
        })?;
        let attributes = session
            .get_attributes(key, &[AttributeType::KeyType, AttributeType::Id])
            .map_err(|e| token_error("read the key", e))?;
        let mut key_type = None;
        let mut id = None;
        for attribute in attributes {
            match attribute {
                Attribute::KeyType(kind) => key_type = Some(kind),
                Attribute::Id(value) => id = Some(value),
                _ => {}
            }
        }
        // The certificate beside the key: the same CKA_ID, else the same label.
        let template = match id {
            Some(id) if !id.is_empty() => {
                vec![Attribute::Class(ObjectClass::CERTIFICATE), Attribute::Id(id)]
            }
            _ => vec![Attribute::Class(ObjectClass::CERTIFICATE), Attribute::Label(label)],
        };
        let certificate =
            match session.find_objects(&template).ok().and_then(|c| c.first().copied()) {
                Some(handle) => {
                    let value = session
                        .get_attributes(handle, &[AttributeType::Value])
                        .map_err(|e| token_error("read the certificate", e))?;
                    let der = value.into_iter().find_map(|a| match a {
                        Attribute::Value(der) => Some(der),
                        _ => None,
                    });
                    der.map(|der| Certificate::from_der(&der)).transpose().map_err(|e| {
                        SignError::Certificate(format!(
                            "the token's certificate is unreadable: {e}"
                        ))
                    })?
                }
                None => None,
            };
        let algorithm = match key_type {
            Some(KeyType::RSA) => TokenAlgorithm::RsaPkcs1,
            Some(KeyType::EC) => TokenAlgorithm::EcdsaP256,
            other => {
                return Err(SignError::Token(format!(
                    "the key \"{}\" is of a type pressroom cannot sign with ({other:?}): use RSA or ECDSA P-256/P-384",
                    config.key_label
                )));
            }
        };
        Ok((Self { session: Mutex::new(session), key, algorithm, _module: module }, certificate))
    }

    /// Settles the algorithm from the certificate: PSS when it certifies an
    /// RSASSA-PSS key, P-384 when it names that curve.
    pub fn adopt(&mut self, certificate: &Certificate) {
        const RSA_PSS: &str = "1.2.840.113549.1.1.10";
        const P384: &str = "1.3.132.0.34";
        let spki = &certificate.tbs_certificate.subject_public_key_info;
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<const_oid::ObjectIdentifier>().ok())
            .map(|oid| oid.to_string());
        self.algorithm = match self.algorithm {
            TokenAlgorithm::RsaPkcs1 | TokenAlgorithm::RsaPss
                if spki.algorithm.oid.to_string() == RSA_PSS =>
            {
                TokenAlgorithm::RsaPss
            }
            TokenAlgorithm::EcdsaP256 | TokenAlgorithm::EcdsaP384
                if curve.as_deref() == Some(P384) =>
            {
                TokenAlgorithm::EcdsaP384
            }
            other => other,
        };
    }

    pub fn digest_algorithm(&self) -> DigestAlgorithm {
        match self.algorithm {
            TokenAlgorithm::EcdsaP384 => DigestAlgorithm::Sha384,
            _ => DigestAlgorithm::Sha256,
        }
    }

    /// The token signs `message`; the signature as CMS carries it (ECDSA as
    /// DER, where PKCS#11 gives r‖s).
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let session = self.session.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let sign = |mechanism: &Mechanism, data: &[u8]| {
            session.sign(mechanism, self.key, data).map_err(|e| token_error("sign", e))
        };
        match self.algorithm {
            TokenAlgorithm::RsaPkcs1 => sign(&Mechanism::Sha256RsaPkcs, message),
            TokenAlgorithm::RsaPss => sign(
                &Mechanism::Sha256RsaPkcsPss(PkcsPssParams {
                    hash_alg: MechanismType::SHA256,
                    mgf: PkcsMgfType::MGF1_SHA256,
                    s_len: 32.into(),
                }),
                message,
            ),
            TokenAlgorithm::EcdsaP256 => {
                let raw = sign(&Mechanism::Ecdsa, &DigestAlgorithm::Sha256.digest(&[message]))?;
                let signature = p256::ecdsa::Signature::from_slice(&raw).map_err(|e| {
                    SignError::Token(format!("the token's ECDSA signature is malformed: {e}"))
                })?;
                Ok(signature.to_der().as_bytes().to_vec())
            }
            TokenAlgorithm::EcdsaP384 => {
                let raw = sign(&Mechanism::Ecdsa, &DigestAlgorithm::Sha384.digest(&[message]))?;
                let signature = p384::ecdsa::Signature::from_slice(&raw).map_err(|e| {
                    SignError::Token(format!("the token's ECDSA signature is malformed: {e}"))
                })?;
                Ok(signature.to_der().as_bytes().to_vec())
            }
        }
    }
}

fn token_error(what: &str, err: Pkcs11Error) -> SignError {
    SignError::Token(format!("the token refused to {what}: {err}"))
}
