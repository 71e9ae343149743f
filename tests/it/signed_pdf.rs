//! What a signed PDF is after signing: its field tagged and worded for a
//! screen reader, later signers filling the fields kept for them, PSS keys,
//! and what updates after a signature changed.

use lopdf::{Document, IncrementalDocument, Object, ObjectId, Stream, dictionary};

use crate::sign::{GOOD, signing_project};
use crate::support::{Project, REFERENCE};

fn verify(project: &Project, pdf: &std::path::Path) -> crate::support::Run {
    project.run(&[
        "verify",
        pdf.to_str().unwrap(),
        "--trust",
        project.file("keys/ca.pem").to_str().unwrap(),
    ])
}

/// The signature fields of a PDF: (widget id, its dictionary).
fn signature_fields(doc: &Document) -> Vec<(ObjectId, lopdf::Dictionary)> {
    let catalog = doc.catalog().unwrap();
    let form = doc.dereference(catalog.get(b"AcroForm").unwrap()).unwrap().1.as_dict().unwrap();
    let fields = doc.dereference(form.get(b"Fields").unwrap()).unwrap().1.as_array().unwrap();
    fields
        .iter()
        .map(|f| {
            let id = f.as_reference().unwrap();
            (id, doc.get_dictionary(id).unwrap().clone())
        })
        .filter(|(_, d)| d.get(b"FT").and_then(Object::as_name).ok() == Some(b"Sig"))
        .collect()
}

fn text(object: &Object) -> String {
    lopdf::decode_text_string(object).unwrap()
}

/// The bytes of `pdf` with one incremental update made by `change` appended.
fn append_update(pdf: &[u8], change: impl FnOnce(&mut IncrementalDocument, ObjectId)) -> Vec<u8> {
    let doc = Document::load_mem(pdf).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    let mut update = IncrementalDocument::create_from(pdf.to_vec(), doc);
    change(&mut update, page);
    let mut out = Vec::new();
    update.save_to(&mut out).unwrap();
    out
}

#[test]
fn the_signature_field_is_tagged_and_reads_the_signature_line_in_its_language() {
    let project = signing_project(GOOD);
    project.run(&["build", "--sign", REFERENCE, "--lang", "ru"]).success();
    let pdf = project.pdf(REFERENCE, "ru");
    let fields = signature_fields(&pdf.doc);
    assert_eq!(fields.len(), 1, "one field, no spare ones unless asked for");
    let (widget, field) = &fields[0];
    // The tooltip is the visible line, word for word, in Russian.
    let tooltip = text(field.get(b"TU").expect("a /TU for screen readers"));
    assert!(tooltip.starts_with("Подписано электронной подписью: Махбуба Абдуллаева"), "{tooltip}");
    // The long date ends in «г.»: the line does not double the full stop.
    assert!(tooltip.trim_end().ends_with("г.") && !tooltip.contains("г.."), "{tooltip}");
    let shown: String = tooltip.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(pdf.text().contains(&shown), "the tooltip is the line the page shows: {shown}");
    // In the structure tree: /StructParent → a Form element whose object
    // reference is this widget.
    let key = field.get(b"StructParent").and_then(Object::as_i64).expect("a /StructParent");
    let root =
        pdf.doc.dereference(pdf.doc.catalog().unwrap().get(b"StructTreeRoot").unwrap()).unwrap().1;
    let tree = pdf.doc.dereference(root.as_dict().unwrap().get(b"ParentTree").unwrap()).unwrap().1;
    let nums = pdf.doc.dereference(tree.as_dict().unwrap().get(b"Nums").unwrap()).unwrap().1;
    let nums = nums.as_array().unwrap();
    let at =
        nums.iter().position(|n| n.as_i64().ok() == Some(key)).expect("the key in the ParentTree");
    let element = pdf.doc.get_dictionary(nums[at + 1].as_reference().unwrap()).unwrap();
    assert_eq!(element.get(b"S").unwrap().as_name().unwrap(), b"Form");
    let objr = pdf.doc.dereference(element.get(b"K").unwrap()).unwrap().1.as_dict().unwrap();
    assert_eq!(objr.get(b"Obj").unwrap().as_reference().unwrap(), *widget);
    let next = root.as_dict().unwrap().get(b"ParentTreeNextKey").unwrap().as_i64().unwrap();
    assert!(next > key, "the next key is past the widget's");
}

#[test]
fn a_countersignature_fills_the_field_kept_for_it() {
    let project = signing_project(&format!("{GOOD}countersignatures = 1\n"));
    project.run(&["build", "--sign", REFERENCE, "--lang", "tg"]).success();
    let path = project.file(&format!("out/{REFERENCE}.tg.pdf"));
    let fields = signature_fields(&project.pdf(REFERENCE, "tg").doc);
    assert_eq!(fields.len(), 2, "the signature and one kept field");
    assert!(fields[1].1.get(b"V").is_err(), "the kept field is empty");
    assert_eq!(text(fields[1].1.get(b"TU").unwrap()), "Ҷой барои имзои электронии дигар");

    project.run(&["sign", path.to_str().unwrap()]).success();
    let fields = signature_fields(&project.pdf(REFERENCE, "tg").doc);
    assert_eq!(fields.len(), 2, "the second signature used the kept field");
    assert!(fields.iter().all(|(_, f)| f.has(b"V")));
    let run = verify(&project, &path);
    run.success();
    let out = run.stdout();
    assert!(out.contains("signature 2 (Signature2)"), "{out}");
    assert!(out.contains("changed since:      only later signatures or validation data"), "{out}");
}

#[test]
fn rsa_pss_keys_sign_with_pss_under_either_certificate() {
    for cert in ["pss", "pss-rsaenc"] {
        let project = signing_project(&format!(
            "certificate = \"keys/{cert}.pem\"\nkey = \"keys/pss.key.pem\"\n"
        ));
        project.run(&["build", "--sign", REFERENCE, "--lang", "en"]).success();
        let path = project.file(&format!("out/{REFERENCE}.en.pdf"));
        let run = verify(&project, &path);
        run.success();
        assert!(run.stdout().contains("signature valid:    yes"), "{}", run.stdout());
        // id-RSASSA-PSS (1.2.840.113549.1.1.10) as the signature algorithm.
        let hex = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).to_lowercase();
        assert!(hex.contains("06092a864886f70d01010a"), "{cert}: PSS in the signature");
    }
}

#[test]
fn what_changed_after_signing_is_reported_and_content_fails() {
    let project = signing_project(GOOD);
    project.run(&["build", "--sign", REFERENCE, "--lang", "en"]).success();
    let path = project.file(&format!("out/{REFERENCE}.en.pdf"));
    let signed = std::fs::read(&path).unwrap();
    let verdict = |bytes: &[u8]| {
        std::fs::write(&path, bytes).unwrap();
        verify(&project, &path)
    };

    // The page's content replaced in a proper incremental update.
    let forged = append_update(&signed, |update, page| {
        let stream = update
            .new_document
            .add_object(Stream::new(dictionary! {}, b"BT /F1 12 Tf (forged) Tj ET".to_vec()));
        update.opt_clone_object_to_new_document(page).unwrap();
        update.new_document.get_dictionary_mut(page).unwrap().set("Contents", stream);
    });
    let run = verdict(&forged);
    run.failure();
    assert!(
        run.stdout().contains("changed since:      page content: NOT AS SIGNED (object"),
        "{}",
        run.stdout()
    );
    assert!(
        run.stdout().contains("digest matches:     yes"),
        "the signed bytes are intact: {}",
        run.stdout()
    );

    // A new text field: a signed form may be filled in, not given new
    // fields (pyHanko: ILLEGAL_MODIFICATIONS).
    let filled = append_update(&signed, |update, page| {
        let field = update.new_document.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "FT" => "Tx", "F" => 4,
            "T" => Object::string_literal("note"), "V" => Object::string_literal("seen"),
            "Rect" => vec![0.into(), 0.into(), 0.into(), 0.into()], "P" => page,
        });
        let catalog =
            update.get_prev_documents().trailer.get(b"Root").unwrap().as_reference().unwrap();
        update.opt_clone_object_to_new_document(catalog).unwrap();
        let catalog = update.new_document.get_dictionary_mut(catalog).unwrap();
        let mut form = catalog.get(b"AcroForm").unwrap().as_dict().unwrap().clone();
        let mut fields = form.get(b"Fields").unwrap().as_array().unwrap().clone();
        fields.push(field.into());
        form.set("Fields", fields);
        catalog.set("AcroForm", form);
        update.opt_clone_object_to_new_document(page).unwrap();
        let page = update.new_document.get_dictionary_mut(page).unwrap();
        let mut annots = page.get(b"Annots").unwrap().as_array().unwrap().clone();
        annots.push(field.into());
        page.set("Annots", annots);
    });
    let run = verdict(&filled);
    run.failure();
    assert!(run.stdout().contains("changed since:      page content"), "{}", run.stdout());

    // Bytes no update accounts for fail; a trailing newline does not.
    let mut appended = signed.clone();
    appended.extend_from_slice(b"\n1 0 obj\n<< /Changed true >>\nendobj\n");
    let run = verdict(&appended);
    run.failure();
    assert!(
        run.stdout().contains("bytes were appended outside any PDF update"),
        "{}",
        run.stdout()
    );
    let mut newline = signed.clone();
    newline.extend_from_slice(b"\r\n");
    verdict(&newline).success();
}

#[test]
fn a_missing_token_module_is_a_clear_error_and_nothing_is_written() {
    let project = signing_project(
        "pkcs11 = { module = \"/nonexistent/libtoken.so\", token = \"Press Office\", key-label = \"press-officer\" }\n",
    );
    let run = project.run(&["build", "--sign", REFERENCE, "--lang", "en"]);
    run.failure();
    assert!(
        run.stderr().contains("no PKCS#11 module at /nonexistent/libtoken.so"),
        "{}",
        run.stderr()
    );
    assert!(!project.file(&format!("out/{REFERENCE}.en.pdf")).exists());
    // A library that is no PKCS#11 module (zlib): a located config error, no panic.
    let not_a_module = ["/usr/lib/x86_64-linux-gnu/libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1"]
        .into_iter()
        .chain(["/usr/lib/aarch64-linux-gnu/libz.so.1", "/usr/lib/libz.so.1"])
        .find(|p| std::path::Path::new(p).exists());
    if let Some(libz) = not_a_module {
        let project = signing_project(&format!(
            "pkcs11 = {{ module = \"{libz}\", token = \"Press Office\", key-label = \"press-officer\" }}\n"
        ));
        let run = project.run(&["build", "--sign", REFERENCE, "--lang", "en"]);
        assert_eq!(run.code(), 1, "{}", run.stderr());
        assert!(run.stderr().contains("is not a PKCS#11 module"), "{}", run.stderr());
        assert!(run.stderr().contains("pressroom.toml:"), "located: {}", run.stderr());
        assert!(!run.stderr().contains("internal"), "{}", run.stderr());
    }
    // A URI missing what it needs is a located config error.
    let project = signing_project("pkcs11 = \"pkcs11:token=Press%20Office\"\n");
    let run = project.run(&["build", "--sign", REFERENCE, "--lang", "en"]);
    run.failure();
    assert!(run.stderr().contains("the PKCS#11 URI lacks module-path, object"), "{}", run.stderr());
    assert!(run.stderr().contains("pressroom.toml:"), "located: {}", run.stderr());
}

#[test]
fn levels_above_b_b_need_a_timestamp_authority_and_verify_names_the_level() {
    // In [signing]: a located config error.
    let project = signing_project(&format!("{GOOD}level = \"b-lta\"\n"));
    let run = project.run(&["build", "--sign", REFERENCE, "--lang", "en"]);
    run.failure();
    assert!(run.stderr().contains("level B-LTA needs a timestamp authority"), "{}", run.stderr());
    assert!(run.stderr().contains("pressroom.toml:"), "located: {}", run.stderr());
    let project = signing_project(&format!("{GOOD}level = \"b-ltv\"\n"));
    let run = project.run(&["build", "--sign", REFERENCE, "--lang", "en"]);
    run.failure();
    assert!(run.stderr().contains("must be one of b-b, b-t, b-lt, b-lta"), "{}", run.stderr());

    // On the command line: refused before anything is signed.
    let project = signing_project(GOOD);
    let run = project.run(&["build", "--sign", "--level", "b-lt", REFERENCE, "--lang", "en"]);
    run.failure();
    assert!(run.stderr().contains("level B-LT needs a timestamp authority"), "{}", run.stderr());
    assert!(!project.file(&format!("out/{REFERENCE}.en.pdf")).exists());
    assert_eq!(project.run(&["build", "--level", "b-t"]).code(), 2, "--level needs --sign");

    // What verify says of a B-B signature.
    project.run(&["build", "--sign", "--level", "b-b", REFERENCE, "--lang", "en"]).success();
    let run = verify(&project, &project.file(&format!("out/{REFERENCE}.en.pdf")));
    run.success();
    let out = run.stdout();
    assert!(out.contains("    level:              B-B\n"), "{out}");
    assert!(out.contains("(as the signer states; unproven)"), "{out}");
    assert!(out.contains("validated at:") && out.contains(" UTC (the present)"), "{out}");
    assert!(!out.contains("D:20"), "times read as dates, not PDF strings: {out}");
    assert!(out.contains("revocation:         no revocation data embedded"), "{out}");

    // No trust anchors: no verdict on the chain, and no success either.
    let pdf = project.file(&format!("out/{REFERENCE}.en.pdf"));
    let run = project.run(&["verify", pdf.to_str().unwrap()]);
    run.failure();
    assert!(
        run.stdout().contains("chain trusted:      not checked (no trust anchors; --trust CERT)"),
        "{}",
        run.stdout()
    );
    project.run(&["verify", pdf.to_str().unwrap(), "--no-trust-check"]).success();
}

#[test]
fn a_new_page_tree_disguised_as_validation_data_metadata_or_a_field_fails() {
    let project = signing_project(GOOD);
    project.run(&["build", "--sign", REFERENCE, "--lang", "en"]).success();
    let path = project.file(&format!("out/{REFERENCE}.en.pdf"));
    let signed = std::fs::read(&path).unwrap();
    // The page tree's root gains a new page; the update then claims that
    // node as the DSS, as the document information, or gives it a /T.
    let disguise = |how: &str| {
        append_update(&signed, |update, page| {
            let prev = update.get_prev_documents();
            let catalog_id = prev.trailer.get(b"Root").unwrap().as_reference().unwrap();
            let pages = prev.get_dictionary(catalog_id).unwrap().get(b"Pages").unwrap();
            let pages = pages.as_reference().unwrap();
            let content = update
                .new_document
                .add_object(Stream::new(dictionary! {}, b"BT /F1 24 Tf (FORGED) Tj ET".to_vec()));
            let forged = update.new_document.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages, "Contents" => content,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            });
            update.opt_clone_object_to_new_document(pages).unwrap();
            let node = update.new_document.get_dictionary_mut(pages).unwrap();
            node.set("Kids", vec![page.into(), forged.into()]);
            node.set("Count", 2);
            match how {
                "dss" => {
                    update.opt_clone_object_to_new_document(catalog_id).unwrap();
                    let catalog = update.new_document.get_dictionary_mut(catalog_id).unwrap();
                    catalog.set("DSS", pages);
                }
                "info" => {
                    update.new_document.trailer.set("Info", pages);
                }
                _ => node.set("T", Object::string_literal("field")),
            }
        })
    };
    for how in ["dss", "info", "field"] {
        std::fs::write(&path, disguise(how)).unwrap();
        let run = verify(&project, &path);
        run.failure();
        assert!(
            run.stdout().contains("page content: NOT AS SIGNED")
                && run.stdout().contains("(the page tree) changed"),
            "{how}: {}",
            run.stdout()
        );
    }
}
