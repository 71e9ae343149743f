//! What each object *was* in the revision a signature covers: the catalog,
//! the page tree and its pages, the form and its fields, the structure
//! tree, the metadata, the validation data. Later updates are judged by
//! these roles, never by what the new revision says an object is: an
//! update that points the catalog's `/DSS` at the page tree does not make
//! the page tree validation data.
//!
//! Every walk keeps a visited set and a depth cap, so a hostile object graph
//! (a field tree naming each node twice, a page tree that loops) costs at
//! most one visit per object.

use std::collections::{HashMap, HashSet};

use lopdf::{Document, Object, ObjectId};

/// The part an object of the signed revision plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Catalog,
    /// The trailer's document information dictionary.
    Info,
    /// The catalog's XMP metadata stream.
    Xmp,
    AcroForm,
    /// The AcroForm's `/Fields` array, held apart.
    FieldList,
    /// A field reachable from `/Fields` (a signature field, or any other).
    Field,
    /// An inner node of the page tree (or an array held apart in one).
    PageTree,
    Page,
    /// A page's `/Annots` array, held apart.
    Annotations,
    StructTreeRoot,
    ParentTree,
    StructElem,
    /// The document security store, its VRI dictionary and the entries in it.
    Dss,
}

/// Walks deeper than this are hostile: no real document nests so far.
pub const MAX_DEPTH: usize = 256;

/// The roles of `doc`'s objects, read from its own catalog and trailer.
pub fn of(doc: &Document) -> HashMap<ObjectId, Role> {
    let mut roles = HashMap::new();
    let reference = |object: Option<&Object>| object.and_then(|o| o.as_reference().ok());
    if let Some(info) = reference(doc.trailer.get(b"Info").ok()) {
        roles.insert(info, Role::Info);
    }
    let Some(catalog_id) = reference(doc.trailer.get(b"Root").ok()) else { return roles };
    roles.insert(catalog_id, Role::Catalog);
    let Ok(catalog) = doc.get_dictionary(catalog_id) else { return roles };
    let entry = |key: &[u8]| reference(catalog.get(key).ok());
    if let Some(xmp) = entry(b"Metadata") {
        roles.entry(xmp).or_insert(Role::Xmp);
    }
    if let Some(pages) = entry(b"Pages") {
        page_tree(doc, pages, &mut roles);
    }
    if let Ok(acroform) = catalog.get(b"AcroForm") {
        if let Some(id) = reference(Some(acroform)) {
            roles.entry(id).or_insert(Role::AcroForm);
        }
        if let Some(form) = dict(doc, acroform) {
            if let Some(id) = reference(form.get(b"Fields").ok()) {
                roles.entry(id).or_insert(Role::FieldList);
            }
            let roots = form.get(b"Fields").ok().and_then(|f| array(doc, f)).unwrap_or_default();
            walk(doc, roots, b"Kids", Role::Field, &mut roles);
        }
    }
    if let Ok(root) = catalog.get(b"StructTreeRoot") {
        if let Some(id) = reference(Some(root)) {
            roles.entry(id).or_insert(Role::StructTreeRoot);
        }
        if let Some(root) = dict(doc, root) {
            if let Some(id) = reference(root.get(b"ParentTree").ok()) {
                roles.entry(id).or_insert(Role::ParentTree);
            }
            let kids = root.get(b"K").ok().map(|k| array(doc, k).unwrap_or_else(|| vec![k]));
            walk(doc, kids.unwrap_or_default(), b"K", Role::StructElem, &mut roles);
        }
    }
    if let Ok(dss) = catalog.get(b"DSS") {
        if let Some(id) = reference(Some(dss)) {
            roles.entry(id).or_insert(Role::Dss);
        }
        for key in [b"Certs".as_slice(), b"CRLs", b"OCSPs"] {
            if let Some(id) = reference(dict(doc, dss).and_then(|d| d.get(key).ok())) {
                roles.entry(id).or_insert(Role::Dss);
            }
        }
        if let Some(vri) = dict(doc, dss).and_then(|d| d.get(b"VRI").ok()) {
            if let Some(id) = reference(Some(vri)) {
                roles.entry(id).or_insert(Role::Dss);
            }
            for (_, entry) in dict(doc, vri).into_iter().flat_map(|v| v.iter()) {
                if let Some(id) = reference(Some(entry)) {
                    roles.entry(id).or_insert(Role::Dss);
                }
            }
        }
    }
    roles
}

/// The page tree below `root`: inner nodes, pages, their `/Annots` arrays.
fn page_tree(doc: &Document, root: ObjectId, roles: &mut HashMap<ObjectId, Role>) {
    let mut seen = HashSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) || seen.len() > doc.objects.len() {
            continue;
        }
        let Ok(node) = doc.get_dictionary(id) else { continue };
        let is_page = node.get(b"Type").and_then(Object::as_name).ok() == Some(b"Page");
        // A page tree node met again as a page keeps its first role.
        roles.entry(id).or_insert(if is_page { Role::Page } else { Role::PageTree });
        if is_page {
            if let Ok(Object::Reference(annots)) = node.get(b"Annots") {
                roles.entry(*annots).or_insert(Role::Annotations);
            }
            continue;
        }
        if let Ok(Object::Reference(kids)) = node.get(b"Kids") {
            roles.entry(*kids).or_insert(Role::PageTree);
        }
        let kids = node.get(b"Kids").ok().and_then(|k| array(doc, k)).unwrap_or_default();
        stack.extend(kids.iter().filter_map(|k| k.as_reference().ok()));
    }
}

/// Every object reachable from `roots` through `children` (a field's
/// `/Kids`, a structure element's `/K`) gets `role`, once.
fn walk(
    doc: &Document,
    roots: Vec<&Object>,
    children: &[u8],
    role: Role,
    roles: &mut HashMap<ObjectId, Role>,
) {
    let mut seen = HashSet::new();
    let mut stack: Vec<(&Object, usize)> = roots.into_iter().map(|o| (o, 0)).collect();
    while let Some((object, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            continue;
        }
        if let Object::Reference(id) = object {
            if !seen.insert(*id) {
                continue;
            }
            let Ok(target) = doc.get_object(*id) else { continue };
            // Only dictionaries: marked-content numbers and object
            // references to pages are not elements.
            if target.as_dict().is_ok() {
                roles.entry(*id).or_insert(role);
            }
            stack.push((target, depth + 1));
            continue;
        }
        let Ok(node) = object.as_dict() else { continue };
        if let Ok(kids) = node.get(children) {
            match array(doc, kids) {
                Some(items) => stack.extend(items.into_iter().map(|k| (k, depth + 1))),
                None => stack.push((kids, depth + 1)),
            }
        }
    }
}

/// `object` (or what it refers to) as a dictionary.
pub fn dict<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a lopdf::Dictionary> {
    doc.dereference(object).ok()?.1.as_dict().ok()
}

/// `object` (or what it refers to) as an array's items.
pub fn array<'a>(doc: &'a Document, object: &'a Object) -> Option<Vec<&'a Object>> {
    match doc.dereference(object).ok()?.1 {
        Object::Array(items) => Some(items.iter().collect()),
        _ => None,
    }
}
