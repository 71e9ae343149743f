//! Comparing XMP metadata as what it says, not how it is written: tools
//! re-serialize it (prefixes, one rdf:Description or many, attributes or
//! elements) whenever they touch a file.

/// What XMP says, as sorted (property path, value) pairs, leaving out the
/// properties that record a modification rather than describe the document
/// (modify and metadata dates, producer, instance id, the writing tool):
/// tools serialize the same metadata differently.
pub fn without_bookkeeping(xmp: &str) -> Vec<(String, String)> {
    use quick_xml::events::Event;
    const BOOKKEEPING: [&str; 5] =
        ["xmp:ModifyDate", "xmp:MetadataDate", "pdf:Producer", "xmpMM:InstanceID", "x:xmptk"];
    const FRAMING: [&str; 3] = ["x:xmpmeta", "rdf:RDF", "rdf:Description"];
    let mut reader = quick_xml::Reader::from_str(xmp);
    let mut path: Vec<String> = Vec::new();
    let mut pairs = Vec::new();
    let attributes = |path: &[String],
                      e: &quick_xml::events::BytesStart<'_>,
                      pairs: &mut Vec<(String, String)>| {
        for attr in e.attributes().flatten() {
            let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
            if key.starts_with("xmlns") || key == "rdf:about" || BOOKKEEPING.contains(&key.as_str())
            {
                continue;
            }
            let value = attr.unescape_value().map(|v| v.into_owned()).unwrap_or_default();
            pairs.push((format!("{}@{key}", path.join("/")), value));
        }
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if !FRAMING.contains(&name.as_str()) {
                    path.push(name);
                }
                attributes(&path, &e, &mut pairs);
            }
            Ok(Event::Empty(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let mut inner = path.clone();
                if !FRAMING.contains(&name.as_str()) {
                    inner.push(name);
                }
                attributes(&inner, &e, &mut pairs);
            }
            Ok(Event::End(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if !FRAMING.contains(&name.as_str()) {
                    path.pop();
                }
            }
            Ok(Event::Text(t)) => {
                let text = t.decode().map(|t| t.trim().to_owned()).unwrap_or_default();
                if !text.is_empty() {
                    pairs.push((path.join("/"), text));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    pairs.retain(|(path, _)| !BOOKKEEPING.iter().any(|b| path.split('/').next() == Some(b)));
    pairs.sort();
    pairs
}
