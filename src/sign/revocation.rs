//! Revocation data for the long-term levels (PAdES B-LT): for every
//! certificate a signature relies on, an OCSP response from the responder
//! its certificate names, or its issuer's CRL, or files `[signing]
//! revocation` names; and reading that data back, offline, to say whether a
//! certificate was revoked and when.

use const_oid::ObjectIdentifier;
use der::asn1::OctetString;
use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{AuthorityInfoAccessSyntax, CrlDistributionPoints};
use x509_ocsp::{
    BasicOcspResponse, CertId, CertStatus, OcspRequest, OcspResponse, OcspResponseStatus, Request,
    TbsRequest,
};

use super::SignError;
use super::algorithms::DigestAlgorithm;

const ID_AD_OCSP: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1");
const ID_PKIX_OCSP_BASIC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1");

/// What B-LT embeds: the certificates, CRLs and OCSP responses (DER).
#[derive(Debug, Default, Clone)]
pub struct ValidationData {
    pub certificates: Vec<Certificate>,
    pub crls: Vec<Vec<u8>>,
    pub ocsps: Vec<Vec<u8>>,
}

/// The revocation data for `certificates` (the signer's chain and the
/// timestamp authorities'): from `files` first, then fetched. A certificate
/// (other than a self-signed root) nothing covers is an error that names it.
pub fn gather(
    certificates: &[Certificate],
    files: &[Vec<u8>],
    now: i64,
) -> Result<ValidationData, SignError> {
    let mut data = ValidationData::default();
    for file in files {
        if let Some(crl) = read_crl(file) {
            data.crls.push(crl.to_der().map_err(asn1)?);
        } else if OcspResponse::from_der(file).is_ok() {
            data.ocsps.push(file.clone());
        } else {
            return Err(SignError::Config(
                "a file in [signing] revocation is neither a CRL nor an OCSP response".into(),
            ));
        }
    }
    for certificate in certificates {
        if !data.certificates.contains(certificate) {
            data.certificates.push(certificate.clone());
        }
    }
    for certificate in certificates {
        let tbs = &certificate.tbs_certificate;
        if tbs.subject == tbs.issuer {
            continue; // a root: trusted as itself
        }
        let issuer = certificates.iter().find(|c| c.tbs_certificate.subject == tbs.issuer);
        match status(certificate, issuer, &data.crls, &data.ocsps, now) {
            Status::Good { .. } => continue,
            Status::Revoked { at, by, .. } => return Err(revoked(&tbs.subject, &at, by)),
            Status::Unknown => {}
        }
        // Both kinds when the certificate names both: validators differ in
        // which they take (pyHanko's AdES validation reads the CRL).
        let mut tried = Vec::new();
        if let Some(issuer) = issuer {
            for url in urls_of(certificate, UrlKind::Ocsp) {
                match fetch_ocsp(&url, certificate, issuer) {
                    Ok(response) => data.ocsps.push(response),
                    Err(why) => tried.push(format!("{url}: {why}")),
                }
            }
        }
        for url in urls_of(certificate, UrlKind::Crl) {
            match fetch_crl(&url) {
                Ok(crl) if !data.crls.contains(&crl) => data.crls.push(crl),
                Ok(_) => {}
                Err(why) => tried.push(format!("{url}: {why}")),
            }
        }
        if let Status::Revoked { at, by, .. } =
            status(certificate, issuer, &data.crls, &data.ocsps, now)
        {
            return Err(revoked(&tbs.subject, &at, by));
        }
        if matches!(status(certificate, issuer, &data.crls, &data.ocsps, now), Status::Unknown) {
            let why = if tried.is_empty() {
                "its certificate names no OCSP responder or CRL".to_owned()
            } else {
                tried.join("; ")
            };
            return Err(SignError::Revocation(format!(
                "no revocation data for {} ({why}): name a CRL or OCSP response in [signing] revocation",
                tbs.subject
            )));
        }
    }
    Ok(data)
}

fn revoked(subject: &x509_cert::name::Name, at: &str, by: &str) -> SignError {
    SignError::Revocation(format!(
        "{subject} was revoked on {at} (its issuer's {by} says so): nothing was signed"
    ))
}

/// A certificate's revocation status as the data at hand says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Good { by: &'static str },
    Revoked { at_unix: i64, at: String, by: &'static str },
    Unknown,
}

/// What `crls` and `ocsps` (DER) say of `certificate` at `at` (seconds
/// since 1970), counting only data its `issuer` signed (or, for OCSP, a
/// responder the issuer certified for OCSP signing). "Revoked" from any of
/// them wins; "good" counts only from data fresh at `at`: its next update
/// not before `at` (or, with none, issued no more than a day before it).
pub fn status(
    certificate: &Certificate,
    issuer: Option<&Certificate>,
    crls: &[Vec<u8>],
    ocsps: &[Vec<u8>],
    at: i64,
) -> Status {
    let Some(issuer) = issuer else { return Status::Unknown };
    let serial = &certificate.tbs_certificate.serial_number;
    let fresh = |this: i64, next: Option<i64>| match next {
        Some(next) => this <= at.saturating_add(DAY) && next >= at,
        None => this >= at.saturating_sub(DAY),
    };
    let mut good = None;
    for der in ocsps {
        let Some(basic) = basic_response(der) else { continue };
        if !ocsp_signed_by(&basic, issuer) {
            continue;
        }
        for single in &basic.tbs_response_data.responses {
            if &single.cert_id.serial_number != serial {
                continue;
            }
            match &single.cert_status {
                CertStatus::Good(_) => {
                    let this = single.this_update.0.to_unix_duration().as_secs() as i64;
                    let next = single.next_update.map(|n| n.0.to_unix_duration().as_secs() as i64);
                    if fresh(this, next) {
                        good = Some(Status::Good { by: "OCSP" });
                    }
                }
                CertStatus::Revoked(info) => {
                    let time = info.revocation_time.0;
                    return Status::Revoked {
                        at_unix: time.to_unix_duration().as_secs() as i64,
                        at: time.to_date_time().to_string(),
                        by: "OCSP",
                    };
                }
                CertStatus::Unknown(_) => {}
            }
        }
    }
    for der in crls {
        let Some(crl) = read_crl(der) else { continue };
        if crl.tbs_cert_list.issuer != certificate.tbs_certificate.issuer
            || !signed_by(&crl, issuer)
        {
            continue;
        }
        let revoked = crl
            .tbs_cert_list
            .revoked_certificates
            .iter()
            .flatten()
            .find(|r| &r.serial_number == serial);
        if let Some(entry) = revoked {
            return Status::Revoked {
                at_unix: entry.revocation_date.to_unix_duration().as_secs() as i64,
                at: entry.revocation_date.to_date_time().to_string(),
                by: "CRL",
            };
        }
        let this = crl.tbs_cert_list.this_update.to_unix_duration().as_secs() as i64;
        let next = crl.tbs_cert_list.next_update.map(|n| n.to_unix_duration().as_secs() as i64);
        if fresh(this, next) {
            good.get_or_insert(Status::Good { by: "CRL" });
        }
    }
    good.unwrap_or(Status::Unknown)
}

const DAY: i64 = 24 * 60 * 60;

fn asn1(err: der::Error) -> SignError {
    SignError::Revocation(format!("malformed revocation data: {err}"))
}

/// A CRL, DER or PEM (`X509 CRL`).
fn read_crl(bytes: &[u8]) -> Option<CertificateList> {
    CertificateList::from_der(bytes).ok().or_else(|| {
        let (label, der) = der::pem::decode_vec(bytes).ok()?;
        (label == "X509 CRL").then(|| CertificateList::from_der(&der).ok())?
    })
}

fn basic_response(der: &[u8]) -> Option<BasicOcspResponse> {
    let response = OcspResponse::from_der(der).ok()?;
    let bytes = response.response_bytes?;
    (response.response_status == OcspResponseStatus::Successful
        && bytes.response_type == ID_PKIX_OCSP_BASIC)
        .then(|| BasicOcspResponse::from_der(bytes.response.as_bytes()).ok())?
}

/// The digest a signature algorithm (of a CRL or OCSP response) uses.
fn digest_of(algorithm: ObjectIdentifier) -> Option<DigestAlgorithm> {
    match algorithm.to_string().as_str() {
        "1.2.840.113549.1.1.11" | "1.2.840.10045.4.3.2" => Some(DigestAlgorithm::Sha256),
        "1.2.840.113549.1.1.12" | "1.2.840.10045.4.3.3" => Some(DigestAlgorithm::Sha384),
        "1.2.840.113549.1.1.13" | "1.2.840.10045.4.3.4" => Some(DigestAlgorithm::Sha512),
        _ => None,
    }
}

/// Whether `signature` by `algorithm` over the DER of `tbs` verifies with
/// `signer`'s key: a CRL, an OCSP response, a responder's certificate.
fn signed(
    signer: &Certificate,
    algorithm: &spki::AlgorithmIdentifierOwned,
    tbs: &impl Encode,
    signature: Option<&[u8]>,
) -> bool {
    let (Some(digest), Ok(tbs), Some(signature)) =
        (digest_of(algorithm.oid), tbs.to_der(), signature)
    else {
        return false;
    };
    super::algorithms::verify(signer, algorithm, digest, &tbs, signature)
}

/// Whether `issuer`'s key signed `certificate` (an issuer found by key, not
/// by name: another certificate may carry the same name).
pub fn issued_by(certificate: &Certificate, issuer: &Certificate) -> bool {
    certificate.tbs_certificate.issuer == issuer.tbs_certificate.subject
        && signed(
            issuer,
            &certificate.signature_algorithm,
            &certificate.tbs_certificate,
            certificate.signature.as_bytes(),
        )
}

fn signed_by(crl: &CertificateList, issuer: &Certificate) -> bool {
    signed(issuer, &crl.signature_algorithm, &crl.tbs_cert_list, crl.signature.as_bytes())
}

/// Signed by the issuer itself, or by a responder certificate in the
/// response that the issuer signed.
fn ocsp_signed_by(basic: &BasicOcspResponse, issuer: &Certificate) -> bool {
    let verifies = |signer: &Certificate| {
        signed(
            signer,
            &basic.signature_algorithm,
            &basic.tbs_response_data,
            basic.signature.as_bytes(),
        )
    };
    verifies(issuer)
        || basic.certs.iter().flatten().any(|responder| {
            for_ocsp_signing(responder) && issued_by(responder, issuer) && verifies(responder)
        })
}

/// A delegated responder must be certified for it: id-kp-OCSPSigning
/// (RFC 6960, 4.2.2.2).
fn for_ocsp_signing(responder: &Certificate) -> bool {
    const ID_KP_OCSP_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.9");
    matches!(
        responder.tbs_certificate.get::<x509_cert::ext::pkix::ExtendedKeyUsage>(),
        Ok(Some((_, usage))) if usage.0.contains(&ID_KP_OCSP_SIGNING)
    )
}

enum UrlKind {
    Ocsp,
    Crl,
}

/// The http(s) URLs a certificate names for its OCSP responder (AIA) or
/// its CRL (distribution points).
fn urls_of(certificate: &Certificate, kind: UrlKind) -> Vec<String> {
    let uri = |name: &GeneralName| match name {
        GeneralName::UniformResourceIdentifier(uri) => {
            let uri = uri.to_string();
            uri.starts_with("http").then_some(uri)
        }
        _ => None,
    };
    let tbs = &certificate.tbs_certificate;
    match kind {
        UrlKind::Ocsp => match tbs.get::<AuthorityInfoAccessSyntax>() {
            Ok(Some((_, access))) => access
                .0
                .iter()
                .filter(|a| a.access_method == ID_AD_OCSP)
                .filter_map(|a| uri(&a.access_location))
                .collect(),
            _ => Vec::new(),
        },
        UrlKind::Crl => match tbs.get::<CrlDistributionPoints>() {
            Ok(Some((_, points))) => points
                .0
                .iter()
                .filter_map(|p| match &p.distribution_point {
                    Some(DistributionPointName::FullName(names)) => {
                        Some(names.iter().filter_map(uri).collect::<Vec<_>>())
                    }
                    _ => None,
                })
                .flatten()
                .collect(),
            _ => Vec::new(),
        },
    }
}

/// Asks the responder at `url` about `certificate` (a SHA-256 CertID).
fn fetch_ocsp(
    url: &str,
    certificate: &Certificate,
    issuer: &Certificate,
) -> Result<Vec<u8>, String> {
    let name = issuer.tbs_certificate.subject.to_der().map_err(|e| e.to_string())?;
    let key = issuer.tbs_certificate.subject_public_key_info.subject_public_key.raw_bytes();
    let octets = |bytes: Vec<u8>| OctetString::new(bytes).map_err(|e| e.to_string());
    let request = OcspRequest {
        tbs_request: TbsRequest {
            version: Default::default(),
            requestor_name: None,
            request_list: vec![Request {
                req_cert: CertId {
                    hash_algorithm: spki::AlgorithmIdentifierOwned {
                        oid: DigestAlgorithm::Sha256.oid(),
                        parameters: None,
                    },
                    issuer_name_hash: octets(DigestAlgorithm::Sha256.digest(&[&name]))?,
                    issuer_key_hash: octets(DigestAlgorithm::Sha256.digest(&[key]))?,
                    serial_number: certificate.tbs_certificate.serial_number.clone(),
                },
                single_request_extensions: None,
            }],
            request_extensions: None,
        },
        optional_signature: None,
    };
    let body = request.to_der().map_err(|e| e.to_string())?;
    let bytes = super::fetch::post(url, "application/ocsp-request", &body)?;
    let parsed =
        OcspResponse::from_der(&bytes).map_err(|e| format!("not an OCSP response ({e})"))?;
    if parsed.response_status != OcspResponseStatus::Successful {
        return Err(format!("the responder answered {:?}", parsed.response_status));
    }
    Ok(bytes)
}

fn fetch_crl(url: &str) -> Result<Vec<u8>, String> {
    let bytes = super::fetch::get(url)?;
    let crl = read_crl(&bytes).ok_or("not a CRL")?;
    crl.to_der().map_err(|e| e.to_string())
}
