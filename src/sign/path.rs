//! Certificate path validation by RFC 5280, done by rustls-webpki (the
//! validator rustls itself relies on, already in pressroom's tree): every
//! issuer must be a CA allowed to sign certificates, every certificate valid
//! at the signing time, path lengths and unknown critical extensions
//! honoured. On top of that, the signer's key usage must allow signing.

use std::time::Duration;

use der::Encode;
use rustls_pki_types::{CertificateDer, UnixTime};
use webpki::{EndEntityCert, Error, ExtendedKeyUsageValidator, KeyPurposeIdIter};
use x509_cert::Certificate;

/// Any extended key usage: document signing certificates carry many
/// (emailProtection, documentSigning, none at all); the key usage decides.
struct AnyPurpose;

impl ExtendedKeyUsageValidator for AnyPurpose {
    fn validate(&self, iter: KeyPurposeIdIter<'_, '_>) -> Result<(), Error> {
        for purpose in iter {
            purpose?;
        }
        Ok(())
    }
}

/// What the end-entity certificate must be for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Signing documents: the key usage decides, any extended key usage.
    Signing,
    /// A timestamp authority: id-kp-timeStamping (RFC 3161, 2.3).
    TimeStamping,
}

/// id-kp-timeStamping (1.3.6.1.5.5.7.3.8), DER contents.
const ID_KP_TIME_STAMPING: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08];

/// Whether `signer` leads to one of `trust` through `pool`, every
/// certificate valid at `at` (seconds since 1970) and the signer's fit for
/// `purpose`; `Err` says which check failed, in words.
pub fn validate(
    signer: &Certificate,
    pool: &[Certificate],
    trust: &[Certificate],
    at: i64,
    purpose: Purpose,
) -> Result<(), String> {
    if trust.is_empty() {
        return Err("no trust anchors".into());
    }
    if purpose == Purpose::Signing && matches!(super::keys::may_sign(signer), Ok(false)) {
        return Err(
            "the signer's key usage allows neither digitalSignature nor nonRepudiation".into()
        );
    }
    let der = |c: &Certificate| c.to_der().map_err(|e| format!("unreadable certificate: {e}"));
    let signer_der = CertificateDer::from(der(signer)?);
    let end_entity = EndEntityCert::try_from(&signer_der)
        .map_err(|e| format!("the signer's certificate is unreadable: {e}"))?;
    let trust_der: Vec<CertificateDer<'static>> =
        trust.iter().map(|c| der(c).map(CertificateDer::from)).collect::<Result<_, _>>()?;
    let anchors: Vec<_> = trust_der
        .iter()
        .map(|c| {
            webpki::anchor_from_trusted_cert(c)
                .map_err(|e| format!("a trusted certificate is unusable: {e}"))
        })
        .collect::<Result<_, _>>()?;
    let intermediates: Vec<CertificateDer<'static>> = pool
        .iter()
        .filter(|c| *c != signer)
        .map(|c| der(c).map(CertificateDer::from))
        .collect::<Result<_, _>>()?;
    let time = UnixTime::since_unix_epoch(Duration::from_secs(at.max(0) as u64));
    let algorithms = webpki::ALL_VERIFICATION_ALGS;
    let verified = match purpose {
        Purpose::Signing => end_entity
            .verify_for_usage(algorithms, &anchors, &intermediates, time, AnyPurpose, None, None)
            .map(|_| ()),
        Purpose::TimeStamping => end_entity
            .verify_for_usage(
                algorithms,
                &anchors,
                &intermediates,
                time,
                webpki::KeyUsage::required(ID_KP_TIME_STAMPING),
                None,
                None,
            )
            .map(|_| ()),
    };
    verified.map_err(|err| explain(&err))
}

/// A path validation failure in words.
fn explain(err: &Error) -> String {
    match err {
        Error::EndEntityUsedAsCa => {
            "a certificate that is not a CA (basicConstraints CA:FALSE) issued another in the chain"
                .into()
        }
        Error::CaUsedAsEndEntity => "the signer's certificate is a CA certificate".into(),
        Error::CertExpired { .. } => {
            "a certificate in the chain had expired at the validation time".into()
        }
        Error::CertNotValidYet { .. } => {
            "a certificate in the chain was not yet valid at the validation time".into()
        }
        Error::RequiredEkuNotFoundContext(_) => {
            "the certificate lacks the extended key usage id-kp-timeStamping".into()
        }
        Error::PathLenConstraintViolated => {
            "the chain is longer than a CA's path length constraint allows".into()
        }
        Error::UnknownIssuer => "no path leads to a trusted certificate".into(),
        Error::UnsupportedCriticalExtension => {
            "a certificate in the chain has a critical extension that is not understood".into()
        }
        Error::InvalidSignatureForPublicKey => {
            "a certificate's signature does not verify under its issuer's key".into()
        }
        other => format!("the chain is not valid: {other}"),
    }
}
