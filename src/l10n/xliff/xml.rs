//! Just enough XML for XLIFF 1.2: writing escaped text and attributes, and
//! reading a document into a small tree (quick-xml does the parsing).

use quick_xml::Reader;
use quick_xml::events::Event;

use super::inline::Inline;

/// An element: its local name, attributes and children.
#[derive(Debug, Clone, Default)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    /// Byte offset of its start tag in the document (for messages).
    pub at: usize,
}

/// Elements nest no deeper than this: real XLIFF nests a dozen levels
/// (file, body, groups, unit, target, inline codes); a hostile file nesting
/// 300,000 `<g>` would overflow the stack of every walk over the tree.
pub const MAX_DEPTH: usize = 128;

/// Dropped iteratively, so even a tree built by hand cannot overflow the
/// stack on the way out.
impl Drop for Element {
    fn drop(&mut self) {
        let mut pending = std::mem::take(&mut self.children);
        while let Some(node) = pending.pop() {
            if let Node::Element(mut element) = node {
                pending.append(&mut element.children);
            }
        }
    }
}

#[derive(Debug, Clone)]
pub enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn elements<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter_map(move |c| match c {
            Node::Element(e) if e.name == name => Some(e),
            _ => None,
        })
    }

    pub fn element(&self, name: &str) -> Option<&Element> {
        self.children.iter().find_map(|c| match c {
            Node::Element(e) if e.name == name => Some(e),
            _ => None,
        })
    }

    /// The element's content as inline content (`<ph>`, `<x/>`, `<g>`,
    /// `<mrk>` are codes or pass through).
    pub fn inline(&self) -> Vec<Inline> {
        let mut out: Vec<Inline> = Vec::new();
        for child in &self.children {
            match child {
                Node::Text(text) => match out.last_mut() {
                    Some(Inline::Text(last)) => last.push_str(text),
                    _ => out.push(Inline::Text(text.clone())),
                },
                Node::Element(e) => {
                    let id = e.attr("id").unwrap_or_default().to_owned();
                    let ctype = e.attr("ctype").unwrap_or_default().to_owned();
                    match e.name.as_str() {
                        "ph" | "x" | "bx" | "ex" | "it" => {
                            out.push(Inline::Ph { id, ctype, native: e.text() })
                        }
                        "g" => out.push(Inline::G {
                            id,
                            ctype,
                            native: String::new(),
                            children: e.inline(),
                        }),
                        // Markers (a CAT tool's terms, say) are transparent.
                        _ => out.extend(e.inline()),
                    }
                }
            }
        }
        out
    }

    /// All text inside, elements' tags left out.
    pub fn text(&self) -> String {
        self.children
            .iter()
            .map(|c| match c {
                Node::Text(t) => t.clone(),
                Node::Element(e) => e.text(),
            })
            .collect()
    }
}

/// Parses `text` into its root element; an error comes with the byte
/// offset where reading stopped.
pub fn parse(text: &str) -> Result<Element, (usize, String)> {
    let mut at = 0;
    read(text, &mut at).map_err(|message| (at, message))
}

fn read(text: &str, position: &mut usize) -> Result<Element, String> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let at = reader.buffer_position() as usize;
        *position = at;
        let event = reader.read_event().map_err(|e| e.to_string())?;
        match event {
            Event::Start(start) => {
                if stack.len() > MAX_DEPTH {
                    return Err(format!("elements nest deeper than {MAX_DEPTH} levels"));
                }
                stack.push(element(&start, at)?)
            }
            Event::Empty(start) => {
                let e = element(&start, at)?;
                push(&mut stack, Node::Element(e));
            }
            Event::End(_) => {
                let done = stack.pop().ok_or("unbalanced tags")?;
                if stack.is_empty() {
                    return Err("unbalanced tags".into());
                }
                push(&mut stack, Node::Element(done));
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| e.to_string())?.replace("\r\n", "\n");
                push(&mut stack, Node::Text(text));
            }
            Event::CData(t) => {
                let text = String::from_utf8_lossy(&t.into_inner()).into_owned();
                push(&mut stack, Node::Text(text));
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| e.to_string())?;
                let c = match name.as_ref() {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    n if n.starts_with("#x") => {
                        u32::from_str_radix(&n[2..], 16).ok().and_then(char::from_u32)
                    }
                    n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                    _ => None,
                };
                let c = c.ok_or_else(|| format!("unknown entity &{name};"))?;
                push(&mut stack, Node::Text(c.to_string()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut root = stack.pop().ok_or("empty document")?;
    if !stack.is_empty() {
        return Err("the document ends inside an element".into());
    }
    root.children
        .drain(..)
        .find_map(|c| match c {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
        .ok_or_else(|| "no root element".to_owned())
}

fn push(stack: &mut [Element], node: Node) {
    if let Some(parent) = stack.last_mut() {
        if let (Node::Text(text), Some(Node::Text(last))) = (&node, parent.children.last_mut()) {
            last.push_str(text);
            return;
        }
        parent.children.push(node);
    }
}

fn element(start: &quick_xml::events::BytesStart<'_>, at: usize) -> Result<Element, String> {
    let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        let key = String::from_utf8_lossy(attr.key.local_name().as_ref()).into_owned();
        let value = attr.unescape_value().map_err(|e| e.to_string())?.into_owned();
        attrs.push((key, value));
    }
    Ok(Element { name, attrs, children: Vec::new(), at })
}

/// `text` escaped for element content (quick-xml's: `& < > " '`).
pub use quick_xml::escape::escape;

/// Inline content as XLIFF 1.2 markup.
pub fn write_inline(content: &[Inline]) -> String {
    let mut out = String::new();
    for piece in content {
        match piece {
            Inline::Text(text) => out.push_str(&escape(text)),
            Inline::Ph { id, ctype, native } => out.push_str(&format!(
                "<ph id=\"{}\" ctype=\"{}\">{}</ph>",
                escape(id),
                escape(ctype),
                escape(native)
            )),
            Inline::G { id, ctype, children, .. } => out.push_str(&format!(
                "<g id=\"{}\" ctype=\"{}\">{}</g>",
                escape(id),
                escape(ctype),
                write_inline(children)
            )),
        }
    }
    out
}
