//! Finding signatures the way the format defines them: the interactive
//! form's signature fields (`/FT /Sig`) and their values, each checked for a
//! byte range that leaves out exactly its own `/Contents` string.

use lopdf::xref::XrefEntry;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::super::SignError;

/// A signature found in a PDF.
#[derive(Debug, Clone)]
pub struct Found {
    /// The field's name (`/T`), as a reader shows it.
    pub field: String,
    pub byte_range: [usize; 4],
    pub contents: Vec<u8>,
    /// The /M entry, escapes read (`D:20150311120000+00'00'`).
    pub signing_time: Option<String>,
    /// The gap in the byte range is exactly this signature's `/Contents`
    /// hex string, inside its own signature dictionary.
    pub gap_is_contents: bool,
    /// A document timestamp (`/Type /DocTimeStamp`, `ETSI.RFC3161`), not a
    /// signature.
    pub document_timestamp: bool,
    /// A certification signature (the catalog's `/Perms /DocMDP`): the
    /// changes its `/TransformParams /P` allows (1 none, 2 form filling and
    /// signing, 3 also annotations).
    pub certification: Option<u8>,
}

/// The PDF as a document, and every signature in it, in the order they
/// were made (by where their signed bytes end).
pub fn read(bytes: &[u8]) -> Result<(Document, Vec<Found>), SignError> {
    let doc = Document::load_mem(bytes)
        .map_err(|e| SignError::Pdf(format!("cannot read the PDF: {e}")))?;
    let mut fields = Vec::new();
    if let Some(acroform) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"AcroForm").ok())
        .and_then(|a| doc.dereference(a).ok())
        .and_then(|(_, a)| a.as_dict().ok())
        && let Ok(roots) =
            acroform.get(b"Fields").and_then(|f| doc.dereference(f)).and_then(|(_, f)| f.as_array())
    {
        collect(&doc, roots, &mut fields);
    }
    let mut found: Vec<Found> = fields
        .into_iter()
        .filter_map(|(name, value)| signature(&doc, bytes, name, value))
        .collect();
    found.sort_by_key(|f| f.byte_range[2].saturating_add(f.byte_range[3]));
    Ok((doc, found))
}

/// The signature fields under the form's `roots`: their full names and
/// values. `/FT` is inherited down the tree. Each node is visited once, and
/// no deeper than any real form nests: a tree naming a node twice as kids
/// (exponentially many paths) costs one visit per object.
fn collect(doc: &Document, roots: &[Object], out: &mut Vec<(String, ObjectId)>) {
    let mut seen = std::collections::HashSet::new();
    let mut stack: Vec<(&Object, Option<&[u8]>, String, usize)> =
        roots.iter().rev().map(|r| (r, None, String::new(), 0)).collect();
    while let Some((field, inherited, prefix, depth)) = stack.pop() {
        if depth > super::roles::MAX_DEPTH {
            continue;
        }
        if let Object::Reference(id) = field
            && !seen.insert(*id)
        {
            continue;
        }
        let Ok((_, Object::Dictionary(dict))) = doc.dereference(field) else { continue };
        let own = dict.get(b"FT").and_then(Object::as_name).ok();
        let kind = own.or(inherited);
        let partial = dict.get(b"T").ok().and_then(text);
        let name = match (partial, prefix.is_empty()) {
            (Some(part), true) => part,
            (Some(part), false) => format!("{prefix}.{part}"),
            (None, _) => prefix,
        };
        if kind == Some(b"Sig")
            && let Ok(Object::Reference(value)) = dict.get(b"V")
        {
            out.push((name.clone(), *value));
        }
        if let Ok(kids) =
            dict.get(b"Kids").and_then(|k| doc.dereference(k)).and_then(|(_, k)| k.as_array())
        {
            stack.extend(kids.iter().rev().map(|kid| (kid, kind, name.clone(), depth + 1)));
        }
    }
}

fn signature(doc: &Document, bytes: &[u8], field: String, id: ObjectId) -> Option<Found> {
    let dict: &Dictionary = doc.get_dictionary(id).ok()?;
    let numbers: Vec<usize> = dict
        .get(b"ByteRange")
        .and_then(|r| doc.dereference(r))
        .and_then(|(_, r)| r.as_array())
        .ok()?
        .iter()
        .map(|n| n.as_i64().ok().and_then(|n| usize::try_from(n).ok()))
        .collect::<Option<_>>()?;
    let byte_range = <[usize; 4]>::try_from(numbers).ok()?;
    let contents = dict.get(b"Contents").and_then(Object::as_str).ok()?.to_vec();
    let signing_time = dict.get(b"M").ok().and_then(text);
    let gap_is_contents = gap_is_contents(doc, bytes, id, byte_range, &contents);
    let name = |key: &[u8]| dict.get(key).and_then(Object::as_name).ok();
    let document_timestamp =
        name(b"Type") == Some(b"DocTimeStamp") || name(b"SubFilter") == Some(b"ETSI.RFC3161");
    let certification = certification(doc, id, dict);
    Some(Found {
        field,
        byte_range,
        contents,
        signing_time,
        gap_is_contents,
        document_timestamp,
        certification,
    })
}

/// The DocMDP permissions of the signature `id` when the catalog's `/Perms
/// /DocMDP` names it: its `/Reference` entry with `/TransformMethod
/// /DocMDP`, whose `/TransformParams /P` defaults to 2 (ISO 32000, 12.8.2.2).
fn certification(doc: &Document, id: ObjectId, signature: &Dictionary) -> Option<u8> {
    let perms = doc.catalog().ok()?.get(b"Perms").ok()?;
    let certifying = super::roles::dict(doc, perms)?.get(b"DocMDP").ok()?;
    if certifying.as_reference().ok() != Some(id) {
        return None;
    }
    let references = super::roles::array(doc, signature.get(b"Reference").ok()?)?;
    let p = references.into_iter().find_map(|reference| {
        let reference = super::roles::dict(doc, reference)?;
        (reference.get(b"TransformMethod").and_then(Object::as_name).ok() == Some(b"DocMDP")).then(
            || {
                reference
                    .get(b"TransformParams")
                    .ok()
                    .and_then(|t| super::roles::dict(doc, t))
                    .and_then(|t| t.get(b"P").ok())
                    .and_then(|p| p.as_i64().ok())
                    .unwrap_or(2)
            },
        )
    })?;
    // Anything but 1 or 3 is read as the default, 2.
    Some(match p {
        1 => 1,
        3 => 3,
        _ => 2,
    })
}

/// Whether the bytes left out of the range are `<…>`, the hex string
/// `/Contents` holds, and lie inside the signature dictionary's own object:
/// a range leaving out anything else would leave that unsigned.
fn gap_is_contents(
    doc: &Document,
    bytes: &[u8],
    id: ObjectId,
    range: [usize; 4],
    contents: &[u8],
) -> bool {
    let [_, start, end, _] = range;
    let Some(gap) = bytes.get(start..end) else { return false };
    let [b'<', hex @ .., b'>'] = gap else { return false };
    if !hex.iter().all(|b| b.is_ascii_hexdigit() || b.is_ascii_whitespace()) {
        return false;
    }
    if hex_decode(hex).as_deref() != Some(contents) {
        return false;
    }
    // The object's own bytes run from its offset to its `endobj`.
    let Some(XrefEntry::Normal { offset, .. }) = doc.reference_table.get(id.0) else {
        return false;
    };
    let offset = *offset as usize;
    offset < start
        && bytes.get(offset..start).is_some_and(|before| super::find(before, b"endobj").is_none())
}

/// A PDF text string's words (UTF-16 or PDFDocEncoding), escapes read.
fn text(object: &Object) -> Option<String> {
    lopdf::decode_text_string(object).ok()
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
