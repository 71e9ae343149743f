//! The signature widget in the structure tree, so a signed PDF stays
//! PDF/UA-1 (7.18.1, 7.18.4): a `Form` element under the document's top
//! element whose object reference is the widget, and a ParentTree entry for
//! the widget's `/StructParent`. An untagged PDF stays untagged.

use lopdf::{Dictionary, IncrementalDocument, Object, ObjectId, dictionary};

use super::super::SignError;

/// The object `id` as the file will read after the update: changed in it,
/// or as it was.
fn current(update: &IncrementalDocument, id: ObjectId) -> Option<&Object> {
    update
        .new_document
        .get_object(id)
        .ok()
        .or_else(|| update.get_prev_documents().get_object(id).ok())
}

/// `object`, following a reference.
fn resolve<'a>(update: &'a IncrementalDocument, object: &'a Object) -> Option<&'a Object> {
    match object {
        Object::Reference(id) => current(update, *id),
        other => Some(other),
    }
}

/// A dictionary changed in the update: copied into it first when needed.
fn editable(update: &mut IncrementalDocument, id: ObjectId) -> Result<&mut Dictionary, SignError> {
    let pdf = |e: lopdf::Error| SignError::Pdf(e.to_string());
    update.opt_clone_object_to_new_document(id).map_err(pdf)?;
    update.new_document.get_dictionary_mut(id).map_err(pdf)
}

/// Tags `widget` on `page`; returns the key of its `/StructParent`, or
/// `None` when the PDF has no structure tree.
pub fn tag_widget(
    update: &mut IncrementalDocument,
    catalog_id: ObjectId,
    page_id: ObjectId,
    widget: ObjectId,
) -> Result<Option<i64>, SignError> {
    let catalog = current(update, catalog_id).and_then(|c| c.as_dict().ok());
    let Some(Ok(root_id)) =
        catalog.and_then(|c| c.get(b"StructTreeRoot").ok()).map(Object::as_reference)
    else {
        return Ok(None);
    };
    let Some(root) = current(update, root_id).and_then(|r| r.as_dict().ok()) else {
        return Ok(None);
    };

    // The element the Form goes under: the document's top element (Typst
    // writes one `Document`), or the root itself when it has none.
    let kids: Vec<Object> = match root.get(b"K") {
        Ok(Object::Array(items)) => items.clone(),
        Ok(item) => vec![item.clone()],
        Err(_) => Vec::new(),
    };
    let parent = kids.iter().find_map(|kid| {
        let id = kid.as_reference().ok()?;
        let element = current(update, id)?.as_dict().ok()?;
        element.has(b"S").then_some(id)
    });

    let (tree, key) = parent_tree(update, root)?;
    let form = update.new_document.add_object(dictionary! {
        "Type" => "StructElem",
        "S" => "Form",
        "P" => parent.unwrap_or(root_id),
        "Pg" => page_id,
        "K" => dictionary! { "Type" => "OBJR", "Obj" => widget, "Pg" => page_id },
    });

    // The form element joins its parent's kids.
    let parent_id = parent.unwrap_or(root_id);
    let element = editable(update, parent_id)?;
    let kids = match element.get(b"K") {
        Ok(Object::Array(items)) => {
            let mut items = items.clone();
            items.push(form.into());
            items
        }
        Ok(one) => vec![one.clone(), form.into()],
        Err(_) => vec![form.into()],
    };
    element.set("K", kids);

    // The ParentTree maps the widget's key to its element.
    match tree {
        Tree::Direct => {
            let root = editable(update, root_id)?;
            let mut tree =
                root.get(b"ParentTree").and_then(Object::as_dict).cloned().unwrap_or_default();
            add_entry(update, &mut tree, key, form)?;
            let root = editable(update, root_id)?;
            root.set("ParentTree", tree);
        }
        Tree::Indirect(tree_id) => {
            let mut tree = editable(update, tree_id)?.clone();
            add_entry(update, &mut tree, key, form)?;
            *editable(update, tree_id)? = tree;
        }
    }
    editable(update, root_id)?.set("ParentTreeNextKey", key + 1);
    editable(update, widget)?.set("StructParent", key);
    Ok(Some(key))
}

enum Tree {
    Direct,
    Indirect(ObjectId),
}

/// Where the ParentTree is and the next free key in it.
fn parent_tree(update: &IncrementalDocument, root: &Dictionary) -> Result<(Tree, i64), SignError> {
    let (tree, dict) = match root.get(b"ParentTree") {
        Ok(Object::Reference(id)) => {
            (Tree::Indirect(*id), current(update, *id).and_then(|t| t.as_dict().ok()))
        }
        Ok(Object::Dictionary(dict)) => (Tree::Direct, Some(dict)),
        _ => (Tree::Direct, None),
    };
    let mut next = root.get(b"ParentTreeNextKey").and_then(Object::as_i64).unwrap_or(0);
    if let Some(dict) = dict {
        next = next.max(largest_key(update, dict, 0).map_or(0, |k| k + 1));
    }
    Ok((tree, next))
}

/// The largest key of a number tree node (`/Nums` pairs, or `/Kids`).
fn largest_key(update: &IncrementalDocument, node: &Dictionary, depth: u8) -> Option<i64> {
    if depth > 32 {
        return None;
    }
    let nums = node.get(b"Nums").ok().and_then(|n| resolve(update, n));
    let own = nums
        .and_then(|n| n.as_array().ok())
        .and_then(|pairs| pairs.iter().step_by(2).filter_map(|k| k.as_i64().ok()).max());
    let kids =
        node.get(b"Kids").ok().and_then(|k| resolve(update, k)).and_then(|k| k.as_array().ok());
    let below = kids.into_iter().flatten().filter_map(|kid| {
        let kid = resolve(update, kid)?.as_dict().ok()?;
        largest_key(update, kid, depth + 1)
    });
    own.into_iter().chain(below).max()
}

/// Adds `key → element` to a ParentTree root: to its `/Nums`, or, for a
/// tree of `/Kids`, as a new leaf at the end.
fn add_entry(
    update: &mut IncrementalDocument,
    tree: &mut Dictionary,
    key: i64,
    element: ObjectId,
) -> Result<(), SignError> {
    let pair = [Object::Integer(key), element.into()];
    match tree.get(b"Nums") {
        Ok(Object::Array(items)) => {
            let mut items = items.clone();
            items.extend(pair);
            tree.set("Nums", items);
        }
        Ok(Object::Reference(id)) => {
            let id = *id;
            update
                .opt_clone_object_to_new_document(id)
                .map_err(|e| SignError::Pdf(e.to_string()))?;
            let Ok(Object::Array(items)) = update.new_document.get_object_mut(id) else {
                return Err(SignError::Pdf("the structure tree's ParentTree is malformed".into()));
            };
            items.extend(pair);
        }
        _ if tree.has(b"Kids") => {
            let leaf = update.new_document.add_object(dictionary! {
                "Limits" => vec![key.into(), key.into()],
                "Nums" => pair.to_vec(),
            });
            let mut kids = match tree.get(b"Kids").ok().and_then(|k| resolve(update, k)) {
                Some(Object::Array(kids)) => kids.clone(),
                _ => Vec::new(),
            };
            kids.push(leaf.into());
            tree.set("Kids", kids);
        }
        _ => tree.set("Nums", pair.to_vec()),
    }
    Ok(())
}
