//! The PDF side of a signature: an incremental update that appends a
//! signature field to the untouched original bytes, the byte range it
//! covers, and finding signatures again to verify them.

use lopdf::{Document, IncrementalDocument, Object, StringFormat, dictionary};

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

pub fn prepare(original: &[u8], signing_time: &str) -> Result<Prepared, SignError> {
    let pdf = |e: lopdf::Error| SignError::Pdf(e.to_string());
    let previous = Document::load_mem(original).map_err(pdf)?;
    let mut update = IncrementalDocument::create_from(original.to_vec(), previous);
    let prev = update.get_prev_documents();
    let catalog_id = prev.trailer.get(b"Root").and_then(Object::as_reference).map_err(pdf)?;
    let page_id =
        *prev.get_pages().get(&1).ok_or_else(|| SignError::Pdf("the PDF has no page".into()))?;
    let existing_fields = existing_fields(prev, catalog_id);

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
    let name = format!("Signature{}", existing_fields.len() + 1);
    let widget = update.new_document.add_object(dictionary! {
        "Type" => "Annot",
        "Subtype" => "Widget",
        "FT" => "Sig",
        "F" => 132,
        "Rect" => vec![0.into(), 0.into(), 0.into(), 0.into()],
        "T" => Object::string_literal(name),
        "V" => signature,
        "P" => page_id,
    });

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
    annots.push(widget.into());
    let page = update.new_document.get_dictionary_mut(page_id).map_err(pdf)?;
    page.set("Annots", annots);

    update.opt_clone_object_to_new_document(catalog_id).map_err(pdf)?;
    let catalog = update.new_document.get_dictionary_mut(catalog_id).map_err(pdf)?;
    let mut fields = existing_fields;
    fields.push(widget.into());
    catalog.set("AcroForm", dictionary! { "Fields" => fields, "SigFlags" => 3 });

    let mut bytes = Vec::with_capacity(original.len() + RESERVED * 2 + 4096);
    update.save_to(&mut bytes).map_err(|e| SignError::Pdf(e.to_string()))?;

    let tail = original.len();
    // Look inside our signature dictionary only (a page has /Contents too).
    // lopdf writes `/Contents<…>` and `/ByteRange[…]`; other writers put a
    // space in between: accept both.
    let sig_at = tail
        + find(&bytes[tail..], b"ETSI.CAdES.detached")
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

fn existing_fields(doc: &Document, catalog_id: lopdf::ObjectId) -> Vec<Object> {
    let acroform = doc
        .get_dictionary(catalog_id)
        .ok()
        .and_then(|c| c.get(b"AcroForm").ok())
        .and_then(|a| doc.dereference(a).ok())
        .and_then(|(_, a)| a.as_dict().ok().cloned())
        .unwrap_or_default();
    match acroform.get(b"Fields").ok().and_then(|f| doc.dereference(f).ok()) {
        Some((_, Object::Array(fields))) => fields.clone(),
        _ => Vec::new(),
    }
}

pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A signature found in a PDF.
#[derive(Debug, Clone)]
pub struct Found {
    pub byte_range: [usize; 4],
    pub contents: Vec<u8>,
    /// The /M entry, as written (`D:20150311120000+00'00'`).
    pub signing_time: Option<String>,
}

/// Every `/ByteRange […] … /Contents <…>` signature dictionary, in file order.
pub fn signatures(bytes: &[u8]) -> Vec<Found> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = find(&bytes[at..], b"/ByteRange") {
        let start = at + i;
        at = start + 10;
        let Some(open) = bytes[at..].iter().position(|&b| b == b'[').map(|p| at + p) else { break };
        let Some(close) = bytes[open..].iter().position(|&b| b == b']').map(|p| open + p) else {
            break;
        };
        let numbers: Vec<usize> = String::from_utf8_lossy(&bytes[open + 1..close])
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        let Ok(byte_range) = <[usize; 4]>::try_from(numbers) else { continue };
        // The signature dictionary holding this range: search around it.
        let dict_start = bytes[..start].windows(2).rposition(|w| w == b"<<").unwrap_or(0);
        let dict_end = find(&bytes[close..], b">>").map(|p| close + p).unwrap_or(bytes.len());
        let dict = &bytes[dict_start..dict_end.min(bytes.len())];
        let contents = find(dict, b"/Contents").and_then(|p| {
            let rest = &dict[p + 9..];
            let open = rest.iter().position(|&b| b == b'<')?;
            let close = rest[open..].iter().position(|&b| b == b'>')?;
            hex_decode(&rest[open + 1..open + close])
        });
        let signing_time = find(dict, b"/M").and_then(|p| {
            let rest = &dict[p + 2..];
            let open = rest.iter().position(|&b| b == b'(')?;
            let close = rest[open..].iter().position(|&b| b == b')')?;
            Some(unescape(&rest[open + 1..open + close]))
        });
        if let Some(contents) = contents {
            out.push(Found { byte_range, contents, signing_time });
        }
        at = close;
    }
    out
}

/// A PDF literal string's bytes with its escapes read: `\072` is `:`, as
/// pyHanko writes the signing time.
fn unescape(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] != b'\\' || i + 1 == raw.len() {
            out.push(raw[i]);
            i += 1;
            continue;
        }
        let next = raw[i + 1];
        i += 2;
        match next {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'0'..=b'7' => {
                let mut value = u32::from(next - b'0');
                for _ in 0..2 {
                    if let Some(d @ b'0'..=b'7') = raw.get(i) {
                        value = value * 8 + u32::from(d - b'0');
                        i += 1;
                    }
                }
                out.push(value as u8);
            }
            other => out.push(other),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_decode(hex: &[u8]) -> Option<Vec<u8>> {
    let digits: Vec<u8> = hex.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    digits
        .chunks(2)
        .map(|pair| {
            let text = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(&format!("{text:0<2}"), 16).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaped_pdf_strings_are_read() {
        assert_eq!(super::unescape(b"D\\07220261129015839Z"), "D:20261129015839Z");
        assert_eq!(super::unescape(b"a\\(b\\)c\\\\"), "a(b)c\\");
    }
}
