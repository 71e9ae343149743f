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

/// Whether `signer` leads to one of `trust` through `pool`, every
/// certificate valid at `at` (seconds since 1970); `Err` says which check
/// failed, in words.
pub fn validate(
    signer: &Certificate,
    pool: &[Certificate],
    trust: &[Certificate],
    at: i64,
) -> Result<(), String> {
    if matches!(super::keys::may_sign(signer), Ok(false)) {
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
    end_entity
        .verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            &anchors,
            &intermediates,
            time,
            AnyPurpose,
            None,
            None,
        )
        .map(|_| ())
        .map_err(|err| explain(&err))
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
            "a certificate in the chain had expired at the signing time".into()
        }
        Error::CertNotValidYet { .. } => {
            "a certificate in the chain was not yet valid at the signing time".into()
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
