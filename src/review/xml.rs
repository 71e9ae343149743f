//! What the TBX and TMX readers share: attributes, entity references and
//! the language tags of agencies' tools (`en-GB`, `tg_TJ`).

use quick_xml::events::{BytesRef, BytesStart};

/// The value of attribute `name` (its local name: `xml:lang` is `lang`),
/// or empty.
pub(crate) fn attribute(element: &BytesStart<'_>, name: &[u8]) -> String {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
        .unwrap_or_default()
}

/// An entity reference's text: `&amp;`, `&lt;`, … and `&#1234;`.
pub(crate) fn entity(r: &BytesRef<'_>) -> Result<String, String> {
    if let Some(c) = r.resolve_char_ref().map_err(|err| err.to_string())? {
        return Ok(c.to_string());
    }
    let name = r.decode().map_err(|err| err.to_string())?;
    quick_xml::escape::resolve_predefined_entity(&name)
        .map(str::to_owned)
        .ok_or_else(|| format!("an unknown entity &{name};"))
}

/// A language tag's primary subtag, lower case: `ru-RU` and `ru_ru` are `ru`.
pub(crate) fn primary(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}
