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
    /// The PIN, kept (and wiped on drop) only for a key with
    /// CKA_ALWAYS_AUTHENTICATE: a qualified signature card asks for it again
    /// before every signature (a context-specific login).
    pin_per_signature: Option<Zeroizing<String>>,
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
        let shown = module_path.display();
        // cryptoki panics on a library without C_GetFunctionList (libz, say).
        if !exports_function_list(&module_path) {
            return Err(module_error(
                root,
                config,
                format!("{shown} is not a PKCS#11 module (it has no C_GetFunctionList)"),
            ));
        }
        let module = Pkcs11::new(&module_path).map_err(|e| {
            module_error(root, config, format!("cannot load the PKCS#11 module {shown}: {e}"))
        })?;
        module.initialize(CInitializeArgs::OsThreads).map_err(|e| {
            module_error(root, config, format!("the PKCS#11 module {shown} failed to start: {e}"))
        })?;
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
            .get_attributes(
                key,
                &[AttributeType::KeyType, AttributeType::Id, AttributeType::AlwaysAuthenticate],
            )
            .map_err(|e| token_error("read the key", e))?;
        let mut key_type = None;
        let mut id = None;
        let mut always_authenticate = false;
        for attribute in attributes {
            match attribute {
                Attribute::KeyType(kind) => key_type = Some(kind),
                Attribute::Id(value) => id = Some(value),
                Attribute::AlwaysAuthenticate(yes) => always_authenticate = yes,
                _ => {}
            }
        }
        let pin_per_signature = always_authenticate.then_some(secret);
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
        let session = Mutex::new(session);
        Ok((Self { session, key, algorithm, pin_per_signature, _module: module }, certificate))
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
        let session = crate::locks::lock(&self.session);
        let raw = match &self.pin_per_signature {
            Some(pin) => self.sign_with_login(&session, pin, message),
            None => {
                // The raw ECDSA mechanism signs our digest; RSA hashes on the token.
                let (mechanism, data) = match self.algorithm {
                    TokenAlgorithm::EcdsaP256 | TokenAlgorithm::EcdsaP384 => {
                        (Mechanism::Ecdsa, self.digest_algorithm().digest(&[message]))
                    }
                    _ => (self.hashing_mechanism(), message.to_vec()),
                };
                session.sign(&mechanism, self.key, &data).map_err(|e| token_error("sign", e))
            }
        }?;
        let malformed = |e: p256::ecdsa::Error| {
            SignError::Token(format!("the token's ECDSA signature is malformed: {e}"))
        };
        match self.algorithm {
            TokenAlgorithm::RsaPkcs1 | TokenAlgorithm::RsaPss => Ok(raw),
            TokenAlgorithm::EcdsaP256 => {
                let signature = p256::ecdsa::Signature::from_slice(&raw).map_err(malformed)?;
                Ok(signature.to_der().as_bytes().to_vec())
            }
            TokenAlgorithm::EcdsaP384 => {
                let signature = p384::ecdsa::Signature::from_slice(&raw).map_err(malformed)?;
                Ok(signature.to_der().as_bytes().to_vec())
            }
        }
    }

    /// The mechanism that hashes on the token, then signs.
    fn hashing_mechanism(&self) -> Mechanism<'static> {
        match self.algorithm {
            TokenAlgorithm::RsaPkcs1 => Mechanism::Sha256RsaPkcs,
            TokenAlgorithm::RsaPss => Mechanism::Sha256RsaPkcsPss(PkcsPssParams {
                hash_alg: MechanismType::SHA256,
                mgf: PkcsMgfType::MGF1_SHA256,
                s_len: 32.into(),
            }),
            TokenAlgorithm::EcdsaP256 => Mechanism::EcdsaSha256,
            TokenAlgorithm::EcdsaP384 => Mechanism::EcdsaSha384,
        }
    }

    /// C_SignInit, then the context-specific login PKCS#11 (5.2) puts
    /// between it and the signature, then the message in parts (so the
    /// token hashes: the raw ECDSA mechanism is single-part only).
    fn sign_with_login(
        &self,
        session: &Session,
        pin: &Zeroizing<String>,
        message: &[u8],
    ) -> Result<Vec<u8>, SignError> {
        let fail = |what| move |e| token_error(what, e);
        let mechanism = self.hashing_mechanism();
        session.sign_init(&mechanism, self.key).map_err(|e| match e {
            // cryptoki has no single-part C_Sign after C_SignInit, which a
            // raw-ECDSA-only token would need here.
            Pkcs11Error::Pkcs11(RvError::MechanismInvalid, _) => SignError::Token(format!(
                "the key needs its PIN before every signature, and this token cannot hash and \
                 sign in one mechanism ({}) with it: pressroom cannot sign with this key yet",
                mechanism.mechanism_type()
            )),
            other => token_error("start a signature", other),
        })?;
        session
            .login(UserType::ContextSpecific, Some(&AuthPin::new(pin.as_str().to_owned())))
            .map_err(fail("take the PIN again for this signature"))?;
        session.sign_update(message).map_err(fail("sign"))?;
        session.sign_final().map_err(fail("sign"))
    }
}

/// Whether the library at `path` loads and exports the one entry point
/// every PKCS#11 module has.
fn exports_function_list(path: &Path) -> bool {
    // SAFETY: loading runs the library's initialisers, as loading it as a
    // module would; the symbol is only looked up, never called here.
    unsafe {
        libloading::Library::new(path).is_ok_and(|library| {
            library.get::<unsafe extern "C" fn()>(b"C_GetFunctionList\0").is_ok()
        })
    }
}

/// An error about the module `[signing] pkcs11` names, pointed at it.
fn module_error(root: &Path, config: &TokenConfig, message: String) -> SignError {
    let file = crate::project::CONFIG_FILE;
    let diagnostic = crate::diag::Diagnostic::error("signing", message).hint(
        "`module` must name the token's PKCS#11 library (SoftHSM2's is \
         /usr/lib/softhsm/libsofthsm2.so); nothing was signed",
    );
    let diagnostic = match std::fs::read_to_string(root.join(file)) {
        Ok(text) if !config.span.is_empty() => {
            diagnostic.at(&crate::diag::SourceFile::new(file, text), config.span.clone())
        }
        _ => diagnostic.in_file(file),
    };
    SignError::Located(Box::new(diagnostic))
}

fn token_error(what: &str, err: Pkcs11Error) -> SignError {
    SignError::Token(format!("the token refused to {what}: {err}"))
}
