//! What the incremental updates after a signature changed, compared object
//! by object between the revision the signature covers and the whole file:
//! nothing, only later signatures and their validation data, form fields,
//! or what the document shows. Anything not known to be harmless counts as
//! content, so a change nobody foresaw is never waved through.

use std::collections::BTreeSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

/// How far later updates went, from harmless to not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Changes {
    Nothing,
    /// Later signatures, document timestamps and validation data (DSS).
    Signatures,
    /// Form fields filled in or added.
    FormFields,
    /// The document's metadata (title, XMP) beyond the modification date.
    Metadata,
    /// What the document shows: pages, their content, annotations, metadata.
    Content,
}

impl Changes {
    pub fn describe(self) -> &'static str {
        match self {
            Changes::Nothing => "nothing",
            Changes::Signatures => "only later signatures or validation data",
            Changes::FormFields => "form fields",
            Changes::Metadata => "document metadata",
            Changes::Content => "page content",
        }
    }
}

/// What changed between `signed` (the revision a signature covers) and
/// `now` (the whole file), and the objects that made it so.
pub fn between(signed: &Document, now: &Document) -> (Changes, Vec<String>) {
    let context = Context { old: signed, new: now };
    let mut worst = Changes::Nothing;
    let mut why = Vec::new();
    let mut note = |level: Changes, what: String| {
        if level > Changes::Signatures {
            why.push(what);
        }
        worst = worst.max(level);
    };
    if signed.trailer.get(b"Root").ok() != now.trailer.get(b"Root").ok() {
        note(Changes::Content, "the document catalog was replaced".into());
    }
    let referenced_before = references(signed);
    for (id, object) in &now.objects {
        match signed.objects.get(id) {
            Some(before) if before == object => {}
            Some(before) => {
                let level = context.changed(*id, before, object);
                if level > Changes::Nothing {
                    note(level, format!("object {} {} changed", id.0, id.1));
                }
            }
            // A new object is harmless until something refers to it; one an
            // unchanged object already named (a dangling reference) is not.
            None if referenced_before.contains(id) => {
                note(Changes::Content, format!("object {} {} was defined late", id.0, id.1));
            }
            None => {}
        }
    }
    for id in signed.objects.keys() {
        if !now.objects.contains_key(id) {
            note(Changes::Content, format!("object {} {} was deleted", id.0, id.1));
        }
    }
    why.sort();
    why.dedup();
    (worst, why)
}

struct Context<'a> {
    old: &'a Document,
    new: &'a Document,
}

impl Context<'_> {
    fn changed(&self, id: ObjectId, before: &Object, after: &Object) -> Changes {
        // The bookkeeping a later signer's tool does (pyHanko stamps the
        // modification date and itself as producer) is not a content change.
        if self.new.trailer.get(b"Info").ok() == Some(&Object::Reference(id))
            && let (Ok(old), Ok(new)) = (before.as_dict(), after.as_dict())
        {
            // Strings compare by their words: a tool may re-encode them.
            let words = |o: Option<&Object>| o.map(|o| lopdf::decode_text_string(o).ok());
            return self.keys(old, new, |key, a, b| match key {
                b"ModDate" | b"Producer" => Changes::Signatures,
                _ if words(a) == words(b) && words(a).flatten().is_some() => Changes::Nothing,
                _ => Changes::Metadata,
            });
        }
        if self.catalog_entry(b"Metadata") == Some(id)
            && let (Object::Stream(old), Object::Stream(new)) = (before, after)
        {
            let text = |s: &lopdf::Stream| {
                let bytes = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
                super::xmp::without_bookkeeping(&String::from_utf8_lossy(&bytes))
            };
            return if text(old) == text(new) { Changes::Signatures } else { Changes::Metadata };
        }
        let (Ok(old), Ok(new)) = (before.as_dict(), after.as_dict()) else {
            // Streams (page content, images, fonts) and arrays.
            return Changes::Content;
        };
        let is =
            |key: &[u8], value: &[u8]| new.get(key).and_then(Object::as_name).ok() == Some(value);
        if self.is_catalog(id) {
            return self.keys(old, new, |key, a, b| match key {
                b"AcroForm" => self.acroform(a, b),
                b"DSS" => Changes::Signatures,
                _ => Changes::Content,
            });
        }
        if self.is_acroform(id) {
            return self.acroform(Some(before), Some(after));
        }
        if is(b"Type", b"Page") {
            return self.keys(old, new, |key, a, b| match key {
                b"Annots" => self.annotations(a, b),
                _ => Changes::Content,
            });
        }
        if is(b"Type", b"StructTreeRoot") {
            return self.keys(old, new, |key, a, b| match key {
                b"K" => self.appended(a, b, |kid| self.is_signature_form(kid)),
                // A ParentTree held in the root: it may only gain entries.
                b"ParentTree" => {
                    match (a.and_then(|o| o.as_dict().ok()), b.and_then(|o| o.as_dict().ok())) {
                        (Some(a), Some(b)) => self.keys(a, b, |key, x, y| match key {
                            b"Nums" => self.appended(x, y, |_| Changes::Signatures),
                            _ => Changes::Content,
                        }),
                        // Behind a reference: that object is judged on its own.
                        _ if a == b => Changes::Nothing,
                        _ => Changes::Content,
                    }
                }
                b"ParentTreeNextKey" => Changes::Signatures,
                _ => Changes::Content,
            });
        }
        if self.is_parent_tree(id) {
            return self.keys(old, new, |key, a, b| match key {
                b"Nums" => self.appended(a, b, |_| Changes::Signatures),
                _ => Changes::Content,
            });
        }
        if new.has(b"S") && (is(b"Type", b"StructElem") || new.has(b"P")) {
            return self.keys(old, new, |key, a, b| match key {
                b"K" => self.appended(a, b, |kid| self.is_signature_form(kid)),
                _ => Changes::Content,
            });
        }
        if self.in_dss(id) {
            return Changes::Signatures;
        }
        if new.has(b"FT") || is(b"Subtype", b"Widget") || new.has(b"T") {
            let signature = super::field_type(self.new, new) == Some(b"Sig".as_slice());
            return self.keys(old, new, |key, _, _| match key {
                b"V" if signature => Changes::Signatures,
                _ => Changes::FormFields,
            });
        }
        Changes::Content
    }

    /// The worst change over the keys that differ, judged by `judge`.
    fn keys(
        &self,
        old: &Dictionary,
        new: &Dictionary,
        judge: impl Fn(&[u8], Option<&Object>, Option<&Object>) -> Changes,
    ) -> Changes {
        let keys: BTreeSet<&[u8]> =
            old.iter().chain(new.iter()).map(|(k, _)| k.as_slice()).collect();
        keys.into_iter()
            .filter_map(|key| {
                let (a, b) = (old.get(key).ok(), new.get(key).ok());
                (a != b).then(|| judge(key, a, b))
            })
            .max()
            .unwrap_or(Changes::Nothing)
    }

    /// The interactive form: fields may be added (a signature field is a
    /// signature; any other, a form field), never removed.
    fn acroform(&self, before: Option<&Object>, after: Option<&Object>) -> Changes {
        let old =
            before.and_then(|o| self.old.dereference(o).ok()).and_then(|(_, o)| o.as_dict().ok());
        let new =
            after.and_then(|o| self.new.dereference(o).ok()).and_then(|(_, o)| o.as_dict().ok());
        let Some(new) = new else { return Changes::Content };
        let empty = Dictionary::new();
        self.keys(old.unwrap_or(&empty), new, |key, a, b| match key {
            b"Fields" => self.appended(a, b, |field| {
                if self.is_signature_field(field) {
                    Changes::Signatures
                } else {
                    Changes::FormFields
                }
            }),
            b"SigFlags" => Changes::Signatures,
            _ => Changes::FormFields,
        })
    }

    /// A page's annotations: a signature widget may be added, a form
    /// field's widget is a form change, anything else is content.
    fn annotations(&self, before: Option<&Object>, after: Option<&Object>) -> Changes {
        self.appended(before, after, |annot| {
            let Some(dict) = self.new_dict(annot) else { return Changes::Content };
            if dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Widget") {
                Changes::Content
            } else if self.is_signature_field(annot) {
                Changes::Signatures
            } else {
                Changes::FormFields
            }
        })
    }

    /// An array (here or behind a reference) that only grew at its end,
    /// judged by what was added; anything else is content.
    fn appended(
        &self,
        before: Option<&Object>,
        after: Option<&Object>,
        judge: impl Fn(&Object) -> Changes,
    ) -> Changes {
        let items = |doc: &Document, object: Option<&Object>| -> Option<Vec<Object>> {
            match object {
                None => Some(Vec::new()),
                Some(o) => match doc.dereference(o).ok()?.1 {
                    Object::Array(items) => Some(items.clone()),
                    one => Some(vec![one.clone()]),
                },
            }
        };
        let (Some(old), Some(new)) = (items(self.old, before), items(self.new, after)) else {
            return Changes::Content;
        };
        if new.len() < old.len() || new[..old.len()] != old[..] {
            return Changes::Content;
        }
        new[old.len()..].iter().map(judge).max().unwrap_or(Changes::Nothing)
    }

    fn new_dict<'a>(&'a self, object: &'a Object) -> Option<&'a Dictionary> {
        self.new.dereference(object).ok()?.1.as_dict().ok()
    }

    fn is_signature_field(&self, field: &Object) -> bool {
        super::signature_field(self.new, field).is_some()
    }

    /// A structure element added for a signature widget: a `Form` whose
    /// object reference is a signature field.
    fn is_signature_form(&self, element: &Object) -> Changes {
        let Some(dict) = self.new_dict(element) else { return Changes::Content };
        let form = dict.get(b"S").and_then(Object::as_name).ok() == Some(b"Form");
        let widget = dict
            .get(b"K")
            .ok()
            .and_then(|k| self.new_dict(k))
            .and_then(|objr| objr.get(b"Obj").ok())
            .is_some_and(|w| self.is_signature_field(w));
        if form && widget { Changes::Signatures } else { Changes::Content }
    }

    fn catalog_id(&self) -> Option<ObjectId> {
        self.new.trailer.get(b"Root").and_then(Object::as_reference).ok()
    }

    fn is_catalog(&self, id: ObjectId) -> bool {
        self.catalog_id() == Some(id)
    }

    fn catalog_entry(&self, key: &[u8]) -> Option<ObjectId> {
        self.new
            .get_dictionary(self.catalog_id()?)
            .ok()?
            .get(key)
            .and_then(Object::as_reference)
            .ok()
    }

    fn is_acroform(&self, id: ObjectId) -> bool {
        self.catalog_entry(b"AcroForm") == Some(id)
    }

    fn is_parent_tree(&self, id: ObjectId) -> bool {
        let Some(root) = self.catalog_entry(b"StructTreeRoot") else { return false };
        self.new.get_dictionary(root).ok().and_then(|r| r.get(b"ParentTree").ok())
            == Some(&Object::Reference(id))
    }

    /// The DSS dictionary or one of the dictionaries in it (VRI).
    fn in_dss(&self, id: ObjectId) -> bool {
        let Some(dss) = self.catalog_entry(b"DSS") else { return false };
        dss == id
            || self
                .new
                .get_dictionary(dss)
                .ok()
                .is_some_and(|d| d.get(b"VRI").ok() == Some(&Object::Reference(id)))
    }
}

/// Every object a document's objects refer to.
fn references(doc: &Document) -> BTreeSet<ObjectId> {
    fn walk(object: &Object, out: &mut BTreeSet<ObjectId>) {
        match object {
            Object::Reference(id) => {
                out.insert(*id);
            }
            Object::Array(items) => items.iter().for_each(|i| walk(i, out)),
            Object::Dictionary(dict) => dict.iter().for_each(|(_, v)| walk(v, out)),
            Object::Stream(stream) => stream.dict.iter().for_each(|(_, v)| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for object in doc.objects.values() {
        walk(object, &mut out);
    }
    doc.trailer.iter().for_each(|(_, v)| walk(v, &mut out));
    out
}
