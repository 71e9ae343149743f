//! What the incremental updates after a signature changed, compared object
//! by object between the revision the signature covers and the whole file:
//! nothing, only validation data, later signatures, form fields, metadata,
//! or what the document shows.
//!
//! Each changed object is judged by what it was *in the signed revision*
//! ([`super::roles`]) and by where the signed structure lets an update add
//! things, as pyHanko's difference analysis does: what the new revision
//! claims an object is counts for nothing. Anything not known to be
//! harmless counts as content, so a change nobody foresaw is never waved
//! through.

use std::collections::{BTreeSet, HashMap};

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::roles::{self, Role, array, dict};

/// How far later updates went, from harmless to not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Changes {
    Nothing,
    /// Validation data (a DSS), document timestamps, and the bookkeeping a
    /// later tool does (modification date, producer).
    ValidationData,
    /// Later signatures.
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
            Changes::ValidationData => "only validation data or document timestamps",
            Changes::Signatures => "only later signatures or validation data",
            Changes::FormFields => "form fields",
            Changes::Metadata => "document metadata",
            Changes::Content => "page content",
        }
    }
}

/// The largest stream (decompressed) a comparison reads: XMP is kilobytes.
const MAX_STREAM: usize = 16 << 20;

/// What changed between `signed` (the revision a signature covers) and
/// `now` (the whole file), and the objects that made it so.
pub fn between(signed: &Document, now: &Document) -> (Changes, Vec<String>) {
    let context = Context { old: signed, new: now, roles: roles::of(signed) };
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
    if signed.trailer.get(b"Info").ok() != now.trailer.get(b"Info").ok() {
        note(Changes::Metadata, "the document information dictionary was replaced".into());
    }
    let referenced_before = references(signed);
    for (id, object) in &now.objects {
        match signed.objects.get(id) {
            Some(before) if before == object => {}
            Some(before) => {
                let level = context.changed(*id, before, object);
                if level > Changes::Nothing {
                    let role = match context.roles.get(id) {
                        Some(role) => format!(" ({})", describe(*role)),
                        None => String::new(),
                    };
                    note(level, format!("object {} {}{role} changed", id.0, id.1));
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

fn describe(role: Role) -> &'static str {
    match role {
        Role::Catalog => "the catalog",
        Role::Info => "the document information",
        Role::Xmp => "the XMP metadata",
        Role::AcroForm => "the form",
        Role::FieldList => "the form's field list",
        Role::Field => "a form field",
        Role::PageTree => "the page tree",
        Role::Page => "a page",
        Role::Annotations => "a page's annotations",
        Role::StructTreeRoot => "the structure tree",
        Role::ParentTree => "the structure parent tree",
        Role::StructElem => "a structure element",
        Role::Dss => "the validation data",
    }
}

struct Context<'a> {
    old: &'a Document,
    new: &'a Document,
    roles: HashMap<ObjectId, Role>,
}

impl Context<'_> {
    fn changed(&self, id: ObjectId, before: &Object, after: &Object) -> Changes {
        let Some(&role) = self.roles.get(&id) else { return Changes::Content };
        if role == Role::Xmp {
            let (Object::Stream(old), Object::Stream(new)) = (before, after) else {
                return Changes::Content;
            };
            let text = |s: &lopdf::Stream| {
                let bytes = s.decompressed_content_with_limit(MAX_STREAM).ok()?;
                Some(super::xmp::without_bookkeeping(&String::from_utf8_lossy(&bytes)))
            };
            return match (text(old), text(new)) {
                (Some(old), Some(new)) if old == new => Changes::ValidationData,
                (Some(_), Some(_)) => Changes::Metadata,
                _ => Changes::Content,
            };
        }
        if matches!(role, Role::FieldList | Role::Annotations) {
            return if role == Role::FieldList {
                self.appended(Some(before), Some(after), |field| self.added_field(field))
            } else {
                self.annotations(Some(before), Some(after))
            };
        }
        if role == Role::Dss {
            return if self.dss_part(after) { Changes::ValidationData } else { Changes::Content };
        }
        let (Ok(old), Ok(new)) = (before.as_dict(), after.as_dict()) else {
            return Changes::Content;
        };
        match role {
            // The bookkeeping a later signer's tool does (pyHanko stamps the
            // modification date and itself as producer) is not a change.
            Role::Info => {
                // Strings compare by their words: a tool may re-encode them.
                let words = |o: Option<&Object>| o.map(|o| lopdf::decode_text_string(o).ok());
                self.keys(old, new, |key, a, b| match key {
                    b"ModDate" | b"Producer" => Changes::ValidationData,
                    _ if words(a) == words(b) && words(a).flatten().is_some() => Changes::Nothing,
                    _ => Changes::Metadata,
                })
            }
            Role::Catalog => self.keys(old, new, |key, a, b| match key {
                b"AcroForm" => self.acroform(a, b),
                b"DSS" if b.is_some_and(|d| self.dss(d)) => Changes::ValidationData,
                // New XMP in a new stream: judged as metadata, not content.
                b"Metadata" if b.is_some_and(|m| self.new_stream(m)) => Changes::Metadata,
                _ => Changes::Content,
            }),
            Role::AcroForm => self.acroform(Some(before), Some(after)),
            Role::Field => {
                let signature = super::field_type(self.old, old) == Some(b"Sig".as_slice());
                let unsigned = !old.has(b"V");
                self.keys(old, new, |key, _, b| match key {
                    // An empty signature field kept for a later signer.
                    b"V" if signature && unsigned => {
                        b.map_or(Changes::Content, |v| self.signature_value(v))
                    }
                    b"V" | b"FT" | b"Parent" | b"Kids" if signature => Changes::Content,
                    _ => Changes::FormFields,
                })
            }
            Role::Page => self.keys(old, new, |key, a, b| match key {
                b"Annots" => self.annotations(a, b),
                _ => Changes::Content,
            }),
            Role::StructTreeRoot => self.keys(old, new, |key, a, b| match key {
                b"K" => self.appended(a, b, |kid| self.is_signature_form(kid)),
                // A ParentTree held in the root: it may only gain entries.
                b"ParentTree" => match (a.and_then(|o| o.as_dict().ok()), b) {
                    (Some(a), Some(Object::Dictionary(b))) => self.parent_tree(a, b),
                    // Behind a reference: that object is judged on its own.
                    _ if a.is_some() && a == b => Changes::Nothing,
                    _ => Changes::Content,
                },
                b"ParentTreeNextKey" => Changes::Signatures,
                _ => Changes::Content,
            }),
            Role::ParentTree => self.parent_tree(old, new),
            Role::StructElem => self.keys(old, new, |key, a, b| match key {
                b"K" => self.appended(a, b, |kid| self.is_signature_form(kid)),
                _ => Changes::Content,
            }),
            Role::PageTree | Role::Xmp | Role::FieldList | Role::Annotations | Role::Dss => {
                Changes::Content
            }
        }
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

    /// A parent tree may only gain entries at the end of its `/Nums`.
    fn parent_tree(&self, old: &Dictionary, new: &Dictionary) -> Changes {
        self.keys(old, new, |key, a, b| match key {
            b"Nums" => self.appended(a, b, |_| Changes::Signatures),
            _ => Changes::Content,
        })
    }

    /// The interactive form: fields may be added (a signature field is a
    /// signature; any other, a form field), never removed.
    fn acroform(&self, before: Option<&Object>, after: Option<&Object>) -> Changes {
        let old = before.and_then(|o| dict(self.old, o));
        let Some(new) = after.and_then(|o| dict(self.new, o)) else { return Changes::Content };
        // A form moved to another object than the one signed is judged
        // here; the old object then changes nothing a reader shows.
        if let (Some(Object::Reference(a)), Some(Object::Reference(b))) = (before, after)
            && a != b
            && self.old.objects.contains_key(b)
        {
            return Changes::Content;
        }
        let empty = Dictionary::new();
        self.keys(old.unwrap_or(&empty), new, |key, a, b| match key {
            b"Fields" => self.appended(a, b, |field| self.added_field(field)),
            b"SigFlags" => Changes::Signatures,
            _ => Changes::FormFields,
        })
    }

    /// A field added to the form: a signature or document timestamp. Any
    /// other new field is content, as for pyHanko: a signed form may be
    /// filled in, not given new fields (nor a 2^40-path field tree). An
    /// object of the signed revision is not a new field.
    fn added_field(&self, field: &Object) -> Changes {
        if let Object::Reference(id) = field
            && self.old.objects.contains_key(id)
            && self.roles.get(id) != Some(&Role::Field)
        {
            return Changes::Content;
        }
        match super::signature_field(self.new, field) {
            Some(dict) => match dict.get(b"V") {
                Ok(value) => self.signature_value(value),
                Err(_) => Changes::Signatures,
            },
            None => Changes::Content,
        }
    }

    /// A signature field's new value: a document timestamp is validation
    /// data, a signature a signature.
    fn signature_value(&self, value: &Object) -> Changes {
        match dict(self.new, value) {
            Some(sig)
                if sig.get(b"Type").and_then(Object::as_name).ok() == Some(b"DocTimeStamp") =>
            {
                Changes::ValidationData
            }
            Some(_) => Changes::Signatures,
            None => Changes::Content,
        }
    }

    /// A page's annotations: a signature widget may be added; anything
    /// else (another field's new widget included) is content.
    fn annotations(&self, before: Option<&Object>, after: Option<&Object>) -> Changes {
        self.appended(before, after, |annot| {
            if let Object::Reference(id) = annot
                && self.old.objects.contains_key(id)
                && self.roles.get(id) != Some(&Role::Field)
            {
                return Changes::Content;
            }
            let Some(dict) = dict(self.new, annot) else { return Changes::Content };
            let widget = dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Widget");
            if widget && super::signature_field(self.new, annot).is_some() {
                Changes::Signatures
            } else {
                Changes::Content
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

    /// A structure element added for a signature widget: a `Form` whose
    /// object reference is a signature field.
    fn is_signature_form(&self, element: &Object) -> Changes {
        if let Object::Reference(id) = element
            && self.old.objects.contains_key(id)
        {
            return Changes::Content;
        }
        let Some(element) = dict(self.new, element) else { return Changes::Content };
        let form = element.get(b"S").and_then(Object::as_name).ok() == Some(b"Form");
        let widget = element
            .get(b"K")
            .ok()
            .and_then(|k| dict(self.new, k))
            .and_then(|objr| objr.get(b"Obj").ok())
            .is_some_and(|w| super::signature_field(self.new, w).is_some());
        if form && widget { Changes::Signatures } else { Changes::Content }
    }

    /// An object the update added (not one of the signed revision).
    fn is_new(&self, object: &Object) -> bool {
        match object {
            Object::Reference(id) => !self.old.objects.contains_key(id),
            _ => true,
        }
    }

    fn new_stream(&self, object: &Object) -> bool {
        self.is_new(object) && matches!(self.new.dereference(object), Ok((_, Object::Stream(_))))
    }

    /// Whether `object` may stand where a DSS part of the signed revision
    /// stood: the DSS, its VRI, a VRI entry, or an array of streams.
    fn dss_part(&self, object: &Object) -> bool {
        self.dss(object) || self.vri(object) || self.vri_entry(object) || self.streams(Some(object))
    }

    /// A document security store of the shape PAdES (ETSI EN 319 142-1, 5.4)
    /// defines, here or behind a reference to the signed DSS or a new object.
    fn dss(&self, object: &Object) -> bool {
        self.dss_dictionary(object, |key, value| match key {
            b"Type" => value.as_name().ok() == Some(b"DSS"),
            b"Certs" | b"CRLs" | b"OCSPs" => self.streams(Some(value)),
            b"VRI" => self.vri(value),
            _ => false,
        })
    }

    fn vri(&self, object: &Object) -> bool {
        self.dss_dictionary(object, |key, value| match key {
            b"Type" => value.as_name().ok() == Some(b"VRI"),
            _ => self.vri_entry(value),
        })
    }

    /// A DSS part: a new dictionary, or one the signed DSS held, each of
    /// whose entries `entry` accepts.
    fn dss_dictionary(&self, object: &Object, entry: impl Fn(&[u8], &Object) -> bool) -> bool {
        if !self.is_new(object) && !self.is_old_dss(object) {
            return false;
        }
        dict(self.new, object).is_some_and(|d| d.iter().all(|(key, value)| entry(key, value)))
    }

    fn vri_entry(&self, object: &Object) -> bool {
        self.dss_dictionary(object, |key, value| match key {
            b"Type" => value.as_name().ok() == Some(b"VRI"),
            b"Cert" | b"CRL" | b"OCSP" => self.streams(Some(value)),
            b"TU" => matches!(value, Object::String(..)),
            b"TS" => self.streams(Some(&Object::Array(vec![value.clone()]))),
            _ => false,
        })
    }

    /// An array (here or behind a reference) of references to streams, none
    /// of which played a part in the signed revision.
    fn streams(&self, object: Option<&Object>) -> bool {
        let Some(object) = object else { return false };
        if !self.is_new(object) && !self.is_old_dss(object) {
            return false;
        }
        let Some(items) = array(self.new, object) else { return false };
        items.iter().all(|item| {
            let Object::Reference(id) = item else { return false };
            let unplayed = self.roles.get(id).is_none_or(|r| *r == Role::Dss);
            unplayed && matches!(self.new.get_object(*id), Ok(Object::Stream(_)))
        })
    }

    fn is_old_dss(&self, object: &Object) -> bool {
        matches!(object, Object::Reference(id) if self.roles.get(id) == Some(&Role::Dss))
    }
}

/// Every object a document's objects refer to.
fn references(doc: &Document) -> BTreeSet<ObjectId> {
    // Iterative: a hostile file may nest arrays deeply.
    let mut out = BTreeSet::new();
    let mut stack: Vec<&Object> = doc.objects.values().collect();
    stack.extend(doc.trailer.iter().map(|(_, v)| v));
    while let Some(object) = stack.pop() {
        match object {
            Object::Reference(id) => {
                out.insert(*id);
            }
            Object::Array(items) => stack.extend(items.iter()),
            Object::Dictionary(dict) => stack.extend(dict.iter().map(|(_, v)| v)),
            Object::Stream(stream) => stack.extend(stream.dict.iter().map(|(_, v)| v)),
            _ => {}
        }
    }
    out
}
