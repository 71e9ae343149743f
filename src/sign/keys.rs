//! The signer's key and certificate: read from PEM files named in
//! `[signing]`, checked before anything is signed (validity, key usage, the
//! key matching the certificate).

use std::path::Path;

use const_oid::ObjectIdentifier;
use der::{Decode, DecodePem};
use x509_cert::Certificate;
use x509_cert::ext::pkix::KeyUsage;

use zeroize::Zeroizing;

pub use super::signing_key::SigningKey;
use super::{SignError, SigningConfig};

/// Where the passphrase of an encrypted key comes from: never the command
/// line, never a log.
pub const PASSPHRASE_VAR: &str = "PRESSROOM_SIGNING_PASSPHRASE";
/// Where a token's PIN comes from, likewise (or a no-echo prompt).
pub const PIN_VAR: &str = "PRESSROOM_SIGNING_PIN";

/// A key ready to sign, with its certificate and chain.
pub struct Signer {
    pub key: SigningKey,
    pub certificate: Certificate,
    pub chain: Vec<Certificate>,
    /// The contact shown as signatory in the visible signature line.
    pub signatory: Option<String>,
    /// An RFC 3161 timestamp authority: signatures become PAdES B-T.
    pub timestamp_url: Option<String>,
    /// Empty fields the first signature keeps for later signers.
    pub countersignatures: u32,
    /// The PAdES level signatures are made at.
    pub level: crate::project::SignatureLevel,
    /// CRLs and OCSP responses read from the files `[signing]` names.
    pub revocation: Vec<Vec<u8>>,
    /// `[signing] trust`: anchors besides the self-signed roots in `chain`.
    pub trust: Vec<Certificate>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.debug_struct("Signer").field("subject", &self.subject()).finish_non_exhaustive()
    }
}

impl Signer {
    /// Loads and checks the signer named by `config`. `passphrase` is asked
    /// for only if the key is encrypted.
    pub fn load(
        root: &Path,
        config: &SigningConfig,
        passphrase: &mut dyn FnMut() -> Result<String, SignError>,
        pin: &mut dyn FnMut() -> Result<Zeroizing<String>, SignError>,
        now_unix: i64,
    ) -> Result<Self, SignError> {
        // The key and its certificate come from a token, a PKCS#12 file or
        // two PEM files; `chain` adds to the chain either way.
        let (key, certificate, mut chain) = match (&config.pkcs12, &config.certificate, &config.key)
        {
            _ if config.pkcs11.is_some() => {
                let token = config.pkcs11.as_ref().expect("checked");
                let (mut key, on_token) = super::token::TokenKey::open(root, token, pin)?;
                let certificate = match (&config.certificate, on_token) {
                    (Some(file), _) => read_certificate(&root.join(file))?,
                    (None, Some(certificate)) => certificate,
                    (None, None) => {
                        return Err(SignError::Certificate(format!(
                            "the token \"{}\" holds no certificate for the key \"{}\": name one with `certificate`",
                            token.token, token.key_label
                        )));
                    }
                };
                key.adopt(&certificate);
                (SigningKey::Token(Box::new(key)), certificate, Vec::new())
            }
            (Some(p12), _, _) => read_pkcs12(&root.join(p12), passphrase)?,
            (None, Some(cert), Some(key)) => {
                let certificate = read_certificate(&root.join(cert))?;
                (read_key(&root.join(key), passphrase)?, certificate, Vec::new())
            }
            _ => {
                return Err(SignError::Config(
                    "[signing] needs `certificate` and `key` (PEM files), `pkcs12`, or `pkcs11` (a token)"
                        .into(),
                ));
            }
        };
        for path in &config.chain {
            chain.push(read_certificate(&root.join(path))?);
        }
        let signer = Self {
            key,
            certificate,
            chain,
            signatory: config.signatory.as_ref().map(|s| s.get_ref().clone()),
            timestamp_url: config.timestamp_url.clone(),
            countersignatures: config.countersignatures,
            level: config.level.as_ref().map(|l| *l.get_ref()).unwrap_or(
                if config.timestamp_url.is_some() {
                    crate::project::SignatureLevel::BT
                } else {
                    crate::project::SignatureLevel::BB
                },
            ),
            revocation: config
                .revocation
                .iter()
                .map(|path| {
                    let path = root.join(path);
                    std::fs::read(&path).map_err(|source| SignError::Io { path, source })
                })
                .collect::<Result<_, _>>()?,
            trust: config
                .trust
                .iter()
                .map(|path| read_certificate(&root.join(path)))
                .collect::<Result<_, _>>()?,
        };
        signer.check(now_unix)?;
        Ok(signer)
    }

    /// Signs at `level` instead of what `[signing]` says (`--level`).
    pub fn set_level(&mut self, level: crate::project::SignatureLevel) -> Result<(), SignError> {
        if level >= crate::project::SignatureLevel::BT && self.timestamp_url.is_none() {
            return Err(SignError::Config(format!(
                "level {} needs a timestamp authority: add timestamp-url to [signing]",
                level.name()
            )));
        }
        self.level = level;
        Ok(())
    }

    /// The certificate's subject, e.g. `CN=Mahbuba Abdullaeva,O=…`.
    pub fn subject(&self) -> String {
        self.certificate.tbs_certificate.subject.to_string()
    }

    /// The certificate holder's common name (the whole subject without one).
    pub fn holder(&self) -> String {
        const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
        let subject = &self.certificate.tbs_certificate.subject;
        subject
            .0
            .iter()
            .flat_map(|rdn| rdn.0.iter())
            .find(|atv| atv.oid == COMMON_NAME)
            .and_then(|atv| {
                der::asn1::Utf8StringRef::try_from(&atv.value)
                    .map(|s| s.as_str().to_owned())
                    .or_else(|_| {
                        der::asn1::PrintableStringRef::try_from(&atv.value)
                            .map(|s| s.as_str().to_owned())
                    })
                    .ok()
            })
            .unwrap_or_else(|| self.subject())
    }

    /// Refuses a certificate that is expired or not yet valid, cannot sign
    /// documents, or does not belong to the key.
    fn check(&self, now_unix: i64) -> Result<(), SignError> {
        let tbs = &self.certificate.tbs_certificate;
        let not_before = tbs.validity.not_before.to_unix_duration().as_secs() as i64;
        let not_after = tbs.validity.not_after.to_unix_duration().as_secs() as i64;
        if now_unix < not_before {
            return Err(SignError::Certificate(format!(
                "the certificate is not valid yet (from {})",
                tbs.validity.not_before
            )));
        }
        if now_unix > not_after {
            return Err(SignError::Certificate(format!(
                "the certificate expired on {}",
                tbs.validity.not_after
            )));
        }
        if !may_sign(&self.certificate)? {
            return Err(SignError::Certificate(
                "the certificate's key usage allows neither digitalSignature nor \
                 nonRepudiation: it cannot sign documents"
                    .into(),
            ));
        }
        // A token's key cannot be read: it signs a test message, which must
        // verify with the certificate's key.
        if let SigningKey::Token(_) = &self.key {
            let probe = b"pressroom: does this key belong to the certificate?";
            let signature = self.key.sign(probe)?;
            let digest = self.key.digest_algorithm();
            if !super::algorithms::verify(
                &self.certificate,
                &self.key.algorithm(),
                digest,
                probe,
                &signature,
            ) {
                return Err(SignError::Key(
                    "the token's key does not belong to the certificate".into(),
                ));
            }
            return Ok(());
        }
        // The keys themselves: an RSA-PSS certificate names the algorithm
        // rsassaPss where the key encodes as rsaEncryption.
        let ours = spki::SubjectPublicKeyInfoOwned::from_der(&self.key.public_key_der()?)
            .map_err(|e| SignError::Key(format!("cannot encode the public key: {e}")))?;
        if ours.subject_public_key != tbs.subject_public_key_info.subject_public_key {
            return Err(SignError::Key("the key does not belong to the certificate".into()));
        }
        Ok(())
    }
}

/// Whether `cert`'s key usage lets it sign documents (digitalSignature or
/// nonRepudiation; no key usage extension allows everything).
pub(super) fn may_sign(cert: &Certificate) -> Result<bool, SignError> {
    use x509_cert::ext::pkix::KeyUsages;
    Ok(key_usage(cert)?.is_none_or(|usage| {
        usage.0.contains(KeyUsages::DigitalSignature) || usage.0.contains(KeyUsages::NonRepudiation)
    }))
}

fn key_usage(cert: &Certificate) -> Result<Option<KeyUsage>, SignError> {
    for ext in cert.tbs_certificate.extensions.iter().flatten() {
        if ext.extn_id == const_oid::db::rfc5280::ID_CE_KEY_USAGE {
            return KeyUsage::from_der(ext.extn_value.as_bytes())
                .map(Some)
                .map_err(|e| SignError::Certificate(format!("unreadable key usage: {e}")));
        }
    }
    Ok(None)
}

pub fn read_certificate(path: &Path) -> Result<Certificate, SignError> {
    let bytes =
        std::fs::read(path).map_err(|e| SignError::Io { path: path.to_path_buf(), source: e })?;
    if bytes.starts_with(b"-----") {
        Certificate::from_pem(&bytes)
    } else {
        Certificate::from_der(&bytes)
    }
    .map_err(|e| SignError::Certificate(format!("{} is not a certificate: {e}", path.display())))
}

/// The key, its certificate and the rest of the chain from a PKCS#12 file.
fn read_pkcs12(
    path: &Path,
    passphrase: &mut dyn FnMut() -> Result<String, SignError>,
) -> Result<(SigningKey, Certificate, Vec<Certificate>), SignError> {
    // Key bytes and the passphrase are wiped from memory once used.
    let bytes = Zeroizing::new(
        std::fs::read(path).map_err(|e| SignError::Io { path: path.to_path_buf(), source: e })?,
    );
    let secret = Zeroizing::new(passphrase()?);
    let store = p12_keystore::KeyStore::from_pkcs12(
        &bytes,
        &secret,
        p12_keystore::Pkcs12ImportPolicy::Strict,
    )
    .map_err(|_| {
        SignError::Key(format!(
            "cannot open {}: wrong passphrase, or not a PKCS#12 file",
            path.display()
        ))
    })?;
    let (_, chain) = store.private_key_chain().ok_or_else(|| {
        SignError::Key(format!("{} holds no private key with its certificate", path.display()))
    })?;
    let key = SigningKey::from_pkcs8_der(chain.key().as_der())?;
    let mut certs = chain.certs().iter().map(|c| {
        Certificate::from_der(c.as_der())
            .map_err(|e| SignError::Certificate(format!("{}: {e}", path.display())))
    });
    let certificate = certs.next().ok_or_else(|| {
        SignError::Certificate(format!("{} holds no certificate for its key", path.display()))
    })??;
    Ok((key, certificate, certs.collect::<Result<Vec<_>, _>>()?))
}

fn read_key(
    path: &Path,
    passphrase: &mut dyn FnMut() -> Result<String, SignError>,
) -> Result<SigningKey, SignError> {
    // Key text and the passphrase are wiped from memory once used.
    let text = Zeroizing::new(
        std::fs::read_to_string(path)
            .map_err(|e| SignError::Io { path: path.to_path_buf(), source: e })?,
    );
    let not_a_key =
        || SignError::Key(format!("{} holds no PKCS#8 private key (PEM)", path.display()));
    let (label, document) = pkcs8::SecretDocument::from_pem(&text).map_err(|_| not_a_key())?;
    match label {
        "ENCRYPTED PRIVATE KEY" => {
            let secret = Zeroizing::new(passphrase()?);
            let encrypted = pkcs8::EncryptedPrivateKeyInfo::try_from(document.as_bytes())
                .map_err(|_| not_a_key())?;
            let decrypted = encrypted
                .decrypt(secret.as_bytes())
                .map_err(|_| SignError::Key("cannot decrypt the key: wrong passphrase".into()))?;
            SigningKey::from_pkcs8_der(decrypted.as_bytes())
        }
        "PRIVATE KEY" => SigningKey::from_pkcs8_der(document.as_bytes()),
        _ => Err(not_a_key()),
    }
}
