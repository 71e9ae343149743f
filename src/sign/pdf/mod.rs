//! The PDF side of a signature: an incremental update that appends a
//! signature field to the untouched original bytes and the byte range it
//! covers; finding signatures again, and what changed after each.

pub mod changes;
mod keywords;
mod later;
mod read;
mod roles;
mod tag;
mod xmp;

use lopdf::{Document, IncrementalDocument, Object, StringFormat, dictionary};

pub use changes::Changes;
pub use keywords::{is_draft, is_reviewed};
pub use later::{Dss, add_dss, prepare_document_timestamp, read_dss};
pub use read::{Found, read};

use super::SignError;

/// Room for the DER signature in /Contents: certificates plus a timestamp
/// fit comfortably.
const RESERVED: usize = 16 * 1024;
/// A wide placeholder, patched with the real byte range (space padded).
const PLACEHOLDER: i64 = 1_000_000_000;

/// The original PDF plus an incremental update holding an empty signature
/// field; returns the bytes and where /Contents (with its `<`…`>`) and the
/// ByteRange array's inside lie.
pub struct Prepared {
    pub bytes: Vec<u8>,
    pub contents: std::ops::Range<usize>,
    byte_range: std::ops::Range<usize>,
}

/// What the signature fields tell a screen reader (their `/TU`, PDF/UA-1
/// 7.18.4), in the document's language.
pub struct Tooltips {
    /// The visible signature line's words.
    pub signature: String,
    /// For an empty field kept for a later signer.
    pub countersignature: String,
}

/// Adds the signature to the first empty signature field, or to a new one
/// (with `countersignatures` empty fields for later signers, when the PDF
/// has no signature yet: once signed, every new field is a change).
pub fn prepare(
    original: &[u8],
    signing_time: &str,
    tooltips: &Tooltips,
    countersignatures: u32,
) -> Result<Prepared, SignError> {
    let pdf = |e: lopdf::Error| SignError::Pdf(e.to_string());
    let previous = Document::load_mem(original).map_err(pdf)?;
    let mut update = IncrementalDocument::create_from(original.to_vec(), previous);
    let prev = update.get_prev_documents();
    let catalog_id = prev.trailer.get(b"Root").and_then(Object::as_reference).map_err(pdf)?;
    let page_id =
        *prev.get_pages().get(&1).ok_or_else(|| SignError::Pdf("the PDF has no page".into()))?;
    let acroform = acroform(prev, catalog_id);
    let existing_fields = match acroform.get(b"Fields").ok().and_then(|f| prev.dereference(f).ok())
    {
        Some((_, Object::Array(fields))) => fields.clone(),
        _ => Vec::new(),
    };
    let is_signature = |field| signature_field(prev, field);
    let signed_before = existing_fields.iter().filter_map(is_signature).any(|f| f.has(b"V"));
    let empty_field = existing_fields.iter().find_map(|field| {
        let id = field.as_reference().ok()?;
        is_signature(field).filter(|f| !f.has(b"V")).map(|_| id)
    });

    let signature = dictionary! {
        "Type" => "Sig",
        "Filter" => "Adobe.PPKLite",
        "SubFilter" => "ETSI.CAdES.detached",
        "ByteRange" => vec![0.into(), PLACEHOLDER.into(), PLACEHOLDER.into(), PLACEHOLDER.into()],
        "Contents" => Object::String(vec![0; RESERVED], StringFormat::Hexadecimal),
        "M" => Object::string_literal(signing_time),
    };
    // An indirect object: validators (pyHanko) expect /V to be a reference.
    let signature = update.new_document.add_object(signature);

    if let Some(field) = empty_field {
        // A field kept for this signer: filling it in changes nothing else.
        update.opt_clone_object_to_new_document(field).map_err(pdf)?;
        update.new_document.get_dictionary_mut(field).map_err(pdf)?.set("V", signature);
    } else {
        let spare = if signed_before { 0 } else { countersignatures };
        let mut widgets = Vec::new();
        for n in 0..=spare {
            let name = format!("Signature{}", existing_fields.len() + 1 + n as usize);
            let mut widget = dictionary! {
                "Type" => "Annot",
                "Subtype" => "Widget",
                "FT" => "Sig",
                // Printed, locked; zero-sized, so it needs no appearance.
                "F" => 132,
                "Rect" => vec![0.into(), 0.into(), 0.into(), 0.into()],
                "T" => Object::string_literal(name),
                "P" => page_id,
            };
            if n == 0 {
                widget.set("TU", text_string(&tooltips.signature));
                widget.set("V", signature);
            } else {
                widget.set("TU", text_string(&tooltips.countersignature));
            }
            let widget = update.new_document.add_object(widget);
            tag::tag_widget(&mut update, catalog_id, page_id, widget)?;
            widgets.push(Object::from(widget));
        }

        update.opt_clone_object_to_new_document(page_id).map_err(pdf)?;
        let page = update.new_document.get_dictionary_mut(page_id).map_err(pdf)?;
        let mut annots = match page.get(b"Annots") {
            Ok(Object::Array(items)) => items.clone(),
            Ok(Object::Reference(id)) => {
                let id = *id;
                match update.get_prev_documents().get_object(id) {
                    Ok(Object::Array(items)) => items.clone(),
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        };
        annots.extend(widgets.iter().cloned());
        let page = update.new_document.get_dictionary_mut(page_id).map_err(pdf)?;
        page.set("Annots", annots);

        update.opt_clone_object_to_new_document(catalog_id).map_err(pdf)?;
        let catalog = update.new_document.get_dictionary_mut(catalog_id).map_err(pdf)?;
        let mut fields = existing_fields;
        fields.extend(widgets);
        // The form keeps what it had (default appearances, resources) but
        // never NeedAppearances, which PDF/A-2 forbids.
        let mut acroform = acroform;
        acroform.set("Fields", fields);
        acroform.set("SigFlags", 3);
        acroform.remove(b"NeedAppearances");
        catalog.set("AcroForm", acroform);
    }

    let mut bytes = Vec::with_capacity(original.len() + RESERVED * 2 + 4096);
    update.save_to(&mut bytes).map_err(|e| SignError::Pdf(e.to_string()))?;
    placeholders(bytes, original.len(), b"ETSI.CAdES.detached")
}

/// Where the update written after `tail` holds its signature dictionary's
/// `/Contents` and `/ByteRange` placeholders: inside the dictionary whose
/// SubFilter is `marker` (a page has /Contents too).
fn placeholders(bytes: Vec<u8>, tail: usize, marker: &[u8]) -> Result<Prepared, SignError> {
    // lopdf writes `/Contents<…>` and `/ByteRange[…]`; other writers put a
    // space in between: accept both.
    let sig_at = tail
        + find(&bytes[tail..], marker)
            .ok_or_else(|| SignError::Pdf("the signature dictionary was not written".into()))?;
    let after = |key: &[u8], open: u8| {
        let at = sig_at + find(&bytes[sig_at..], key)? + key.len();
        let skip = bytes[at..].iter().position(|b| !b.is_ascii_whitespace())?;
        (bytes[at + skip] == open).then_some(at + skip)
    };
    let contents_at = after(b"/Contents", b'<')
        .ok_or_else(|| SignError::Pdf("the signature placeholder was not written".into()))?;
    let contents_end = contents_at + 2 + RESERVED * 2;
    let range_at = after(b"/ByteRange", b'[')
        .map(|at| at + 1)
        .ok_or_else(|| SignError::Pdf("the byte range placeholder was not written".into()))?;
    let range_end = range_at
        + bytes[range_at..]
            .iter()
            .position(|&b| b == b']')
            .ok_or_else(|| SignError::Pdf("the byte range placeholder is malformed".into()))?;
    if bytes.get(contents_end - 1) != Some(&b'>') {
        return Err(SignError::Pdf("the signature placeholder is malformed".into()));
    }
    Ok(Prepared { bytes, contents: contents_at..contents_end, byte_range: range_at..range_end })
}

impl Prepared {
    /// Fills in the byte range; returns the bytes it covers, to be digested.
    pub fn fix_byte_range(&mut self) -> Result<[usize; 4], SignError> {
        let len = self.bytes.len();
        let range = [0, self.contents.start, self.contents.end, len - self.contents.end];
        let text = format!("{} {} {} {}", range[0], range[1], range[2], range[3]);
        let width = self.byte_range.len();
        if text.len() > width {
            return Err(SignError::Pdf(
                "the PDF is too large for the byte range placeholder".into(),
            ));
        }
        self.bytes[self.byte_range.clone()].copy_from_slice(format!("{text:width$}").as_bytes());
        Ok(range)
    }

    /// Writes the DER signature into /Contents, zero padded.
    pub fn embed(mut self, der: &[u8]) -> Result<Vec<u8>, SignError> {
        if der.len() > RESERVED {
            return Err(SignError::Pdf(format!(
                "the signature ({} bytes) does not fit the {RESERVED} bytes reserved",
                der.len()
            )));
        }
        let hex: String = der.iter().map(|b| format!("{b:02X}")).collect();
        let start = self.contents.start + 1;
        self.bytes[start..start + hex.len()].copy_from_slice(hex.as_bytes());
        Ok(self.bytes)
    }
}

/// `field`'s dictionary, if it is a signature field.
fn signature_field<'a>(doc: &'a Document, field: &'a Object) -> Option<&'a lopdf::Dictionary> {
    let (_, field) = doc.dereference(field).ok()?;
    let field = field.as_dict().ok()?;
    (field_type(doc, field) == Some(b"Sig".as_slice())).then_some(field)
}

/// A field's type (`/FT`), inherited from its parents.
fn field_type<'a>(doc: &'a Document, mut field: &'a lopdf::Dictionary) -> Option<&'a [u8]> {
    for _ in 0..32 {
        if let Ok(kind) = field.get(b"FT").and_then(Object::as_name) {
            return Some(kind);
        }
        field = doc.dereference(field.get(b"Parent").ok()?).ok()?.1.as_dict().ok()?;
    }
    None
}

/// The document's interactive form dictionary (empty when it has none).
fn acroform(doc: &Document, catalog_id: lopdf::ObjectId) -> lopdf::Dictionary {
    doc.get_dictionary(catalog_id)
        .ok()
        .and_then(|c| c.get(b"AcroForm").ok())
        .and_then(|a| doc.dereference(a).ok())
        .and_then(|(_, a)| a.as_dict().ok().cloned())
        .unwrap_or_default()
}

/// A PDF text string: literal when it is ASCII, else UTF-16BE with a BOM.
fn text_string(text: &str) -> Object {
    if text.is_ascii() {
        return Object::string_literal(text);
    }
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Literal)
}

pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
