//! The updates after a signature that make it last (PAdES B-LT and B-LTA):
//! the Document Security Store with the validation data, and a document
//! timestamp over the whole file.

use lopdf::{Document, IncrementalDocument, Object, Stream, StringFormat, dictionary};

use super::{PLACEHOLDER, Prepared, RESERVED, placeholders};
use crate::sign::SignError;

fn pdf(err: lopdf::Error) -> SignError {
    SignError::Pdf(err.to_string())
}

/// Appends an update whose catalog's `/DSS` holds `certificates`, `crls`
/// and `ocsps` (DER each, one stream apiece), added to what it held.
pub fn add_dss(
    signed: Vec<u8>,
    certificates: &[Vec<u8>],
    crls: &[Vec<u8>],
    ocsps: &[Vec<u8>],
) -> Result<Vec<u8>, SignError> {
    let previous = Document::load_mem(&signed).map_err(pdf)?;
    let catalog_id = previous.trailer.get(b"Root").and_then(Object::as_reference).map_err(pdf)?;
    let existing = previous
        .get_dictionary(catalog_id)
        .ok()
        .and_then(|c| c.get(b"DSS").ok())
        .and_then(|d| previous.dereference(d).ok())
        .and_then(|(_, d)| d.as_dict().ok().cloned())
        .unwrap_or_default();
    let listed = |key: &[u8]| -> Vec<Object> {
        match existing.get(key).ok().and_then(|a| previous.dereference(a).ok()) {
            Some((_, Object::Array(items))) => items.clone(),
            _ => Vec::new(),
        }
    };
    let (mut certs, mut crl_refs, mut ocsp_refs) =
        (listed(b"Certs"), listed(b"CRLs"), listed(b"OCSPs"));
    let mut update = IncrementalDocument::create_from(signed, previous);
    let stream = |update: &mut IncrementalDocument, der: &[u8]| -> Object {
        update.new_document.add_object(Stream::new(dictionary! {}, der.to_vec())).into()
    };
    certs.extend(certificates.iter().map(|der| stream(&mut update, der)));
    crl_refs.extend(crls.iter().map(|der| stream(&mut update, der)));
    ocsp_refs.extend(ocsps.iter().map(|der| stream(&mut update, der)));
    let mut dss = existing;
    dss.set("Certs", certs);
    dss.set("CRLs", crl_refs);
    dss.set("OCSPs", ocsp_refs);
    let dss = update.new_document.add_object(dss);
    update.opt_clone_object_to_new_document(catalog_id).map_err(pdf)?;
    update.new_document.get_dictionary_mut(catalog_id).map_err(pdf)?.set("DSS", dss);
    let mut bytes = Vec::new();
    update.save_to(&mut bytes).map_err(|e| SignError::Pdf(e.to_string()))?;
    Ok(bytes)
}

/// An update with an empty document timestamp (`ETSI.RFC3161`) field over
/// everything before it. The field has no widget: nothing appears on a
/// page, so nothing needs tagging, and the structure tree the signatures
/// cover stays as it was.
pub fn prepare_document_timestamp(original: Vec<u8>) -> Result<Prepared, SignError> {
    let tail = original.len();
    let previous = Document::load_mem(&original).map_err(pdf)?;
    let catalog_id = previous.trailer.get(b"Root").and_then(Object::as_reference).map_err(pdf)?;
    let mut acroform = super::acroform(&previous, catalog_id);
    let mut fields = match acroform.get(b"Fields").ok().and_then(|f| previous.dereference(f).ok()) {
        Some((_, Object::Array(fields))) => fields.clone(),
        _ => Vec::new(),
    };
    let mut update = IncrementalDocument::create_from(original, previous);
    let timestamp = update.new_document.add_object(dictionary! {
        "Type" => "DocTimeStamp",
        "Filter" => "Adobe.PPKLite",
        "SubFilter" => "ETSI.RFC3161",
        "ByteRange" => vec![0.into(), PLACEHOLDER.into(), PLACEHOLDER.into(), PLACEHOLDER.into()],
        "Contents" => Object::String(vec![0; RESERVED], StringFormat::Hexadecimal),
    });
    let field = update.new_document.add_object(dictionary! {
        "FT" => "Sig",
        "T" => Object::string_literal(format!("DocumentTimestamp{}", fields.len() + 1)),
        "V" => timestamp,
    });
    fields.push(field.into());
    acroform.set("Fields", fields);
    acroform.set("SigFlags", 3);
    update.opt_clone_object_to_new_document(catalog_id).map_err(pdf)?;
    update.new_document.get_dictionary_mut(catalog_id).map_err(pdf)?.set("AcroForm", acroform);
    let mut bytes = Vec::new();
    update.save_to(&mut bytes).map_err(|e| SignError::Pdf(e.to_string()))?;
    placeholders(bytes, tail, b"ETSI.RFC3161")
}

/// A certificate, CRL or OCSP response larger than this is hostile.
const MAX_DSS_STREAM: usize = 16 << 20;

/// What a Document Security Store holds (DER each).
#[derive(Debug, Default, Clone)]
pub struct Dss {
    pub certificates: Vec<Vec<u8>>,
    pub crls: Vec<Vec<u8>>,
    pub ocsps: Vec<Vec<u8>>,
}

/// The DSS of `doc`'s catalog, streams decompressed; `None` without one.
pub fn read_dss(doc: &Document) -> Option<Dss> {
    let catalog = doc.catalog().ok()?;
    let (_, dss) = doc.dereference(catalog.get(b"DSS").ok()?).ok()?;
    let dss = dss.as_dict().ok()?;
    let streams = |key: &[u8]| -> Vec<Vec<u8>> {
        let Some(Ok((_, Object::Array(items)))) = dss.get(key).ok().map(|a| doc.dereference(a))
        else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| match doc.dereference(item).ok()?.1 {
                Object::Stream(stream) => {
                    stream.decompressed_content_with_limit(MAX_DSS_STREAM).ok()
                }
                _ => None,
            })
            .collect()
    };
    Some(Dss { certificates: streams(b"Certs"), crls: streams(b"CRLs"), ocsps: streams(b"OCSPs") })
}
