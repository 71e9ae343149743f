#!/usr/bin/env python3
"""The PDF/A-2 and PDF/UA-1 clauses that signing touches, checked with pikepdf
on signed PDFs (veraPDF cannot be installed here). Exits 1 naming each clause a
file breaks.

  - every annotation is tagged (PDF/UA-1 7.18.1): /StructParent maps, in the
    ParentTree, to an element whose kids hold an OBJR for it; a widget's
    element is a Form (7.18.4), a link's a Link;
  - a form field says what it is: a non-empty /TU (7.18.4); a signed field's
    /TU is in the document's language (Cyrillic letters for ru and tg);
  - a page with annotations has /Tabs /S (7.18.3);
  - annotation flags: Print set; Hidden, Invisible, NoView, ToggleNoView clear
    (PDF/A-2 6.3.2); a non-zero rectangle has a normal appearance (6.3.3);
  - no NeedAppearances in the form (6.4.1);
  - the catalog keeps MarkInfo /Marked true, /Lang, StructTreeRoot, and the XMP
    keeps pdfaid (part 2, conformance A) and pdfuaid (part 1).

usage: pdfua-signed-check.py PDF...
"""
import re
import sys

import pikepdf

PRINT, HIDDEN, INVISIBLE, NOVIEW, TOGGLE_NOVIEW = 4, 2, 1, 32, 256


def number_tree(node, out, depth=0):
    if depth > 32:
        return
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums) - 1, 2):
            out[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids", []):
        number_tree(kid, out, depth + 1)


def role(element, role_map):
    name = str(element.get("/S", ""))
    seen = set()
    while name in role_map and name not in seen:
        seen.add(name)
        name = str(role_map[name])
    return name


def kids(element):
    k = element.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def text_of(value):
    return str(value) if value is not None else ""


def check(path):
    problems = []
    pdf = pikepdf.open(path)
    root = pdf.Root
    lang = text_of(root.get("/Lang")).strip()
    if not lang:
        problems.append("catalog: no /Lang (PDF/UA-1 7.2)")
    mark = root.get("/MarkInfo")
    if mark is None or not bool(mark.get("/Marked", False)):
        problems.append("catalog: MarkInfo /Marked is not true (PDF/UA-1 7.1)")
    tree = root.get("/StructTreeRoot")
    if tree is None:
        problems.append("catalog: no StructTreeRoot (PDF/UA-1 7.1)")
        parents, role_map, next_key = {}, {}, 0
    else:
        parents = {}
        if "/ParentTree" in tree:
            number_tree(tree.ParentTree, parents)
        role_map = {str(k): v for k, v in tree.get("/RoleMap", {}).items()}
        next_key = int(tree.get("/ParentTreeNextKey", 0))
        if parents and next_key <= max(parents):
            problems.append(f"StructTreeRoot: ParentTreeNextKey {next_key} is not above every key ({max(parents)})")
    xmp = root.get("/Metadata")
    xmp = xmp.read_bytes().decode("utf-8", "replace") if xmp is not None else ""
    if not re.search(r"pdfaid:part(>|=\")2", xmp) or not re.search(r"pdfaid:conformance(>|=\")A", xmp):
        problems.append("XMP: pdfaid part 2, conformance A is gone (PDF/A-2 6.6.4)")
    if not re.search(r"pdfuaid:part(>|=\")1", xmp):
        problems.append("XMP: pdfuaid part 1 is gone (PDF/UA-1 5)")
    form = root.get("/AcroForm")
    if form is not None and "/NeedAppearances" in form and bool(form.NeedAppearances):
        problems.append("AcroForm: NeedAppearances is set (PDF/A-2 6.4.1)")

    for number, page in enumerate(pdf.pages, start=1):
        annots = page.obj.get("/Annots", [])
        if len(annots) and str(page.obj.get("/Tabs", "")) != "/S":
            problems.append(f"page {number}: annotations but no /Tabs /S (PDF/UA-1 7.18.3)")
        for annot in annots:
            subtype = str(annot.get("/Subtype", ""))
            where = f"page {number}: {subtype[1:]} annotation {text_of(annot.get('/T'))}".rstrip()
            if subtype == "/Popup":
                continue
            flags = int(annot.get("/F", 0))
            if not flags & PRINT:
                problems.append(f"{where}: the Print flag is clear (PDF/A-2 6.3.2)")
            if flags & (HIDDEN | INVISIBLE | NOVIEW | TOGGLE_NOVIEW):
                problems.append(f"{where}: hidden, invisible or no-view flags set (PDF/A-2 6.3.2)")
            rect = [float(x) for x in annot.get("/Rect", [0, 0, 0, 0])]
            if abs(rect[2] - rect[0]) > 0 and abs(rect[3] - rect[1]) > 0:
                ap = annot.get("/AP")
                if ap is None or "/N" not in ap:
                    problems.append(f"{where}: a non-zero rectangle without a normal appearance (PDF/A-2 6.3.3)")
            if subtype == "/Widget":
                tooltip = text_of(annot.get("/TU")).strip()
                if not tooltip:
                    problems.append(f"{where}: no /TU to say what the field is (PDF/UA-1 7.18.4)")
                elif "/V" in annot and lang.split("-")[0] in ("ru", "tg", "uk", "be", "kk", "ky") \
                        and not re.search("[\u0400-\u04FF]", tooltip):
                    problems.append(f"{where}: /TU {tooltip!r} is not in the document's language ({lang})")
            key = annot.get("/StructParent")
            if key is None:
                problems.append(f"{where}: no /StructParent, not in the structure tree (PDF/UA-1 7.18.1)")
                continue
            element = parents.get(int(key))
            if element is None or not isinstance(element, pikepdf.Dictionary):
                problems.append(f"{where}: /StructParent {int(key)} is not in the ParentTree (PDF/UA-1 7.18.1)")
                continue
            refs = [k for k in kids(element) if isinstance(k, pikepdf.Dictionary) and str(k.get("/Type", "")) == "/OBJR"]
            if not any(r.get("/Obj") is not None and r.Obj.objgen == annot.objgen for r in refs):
                problems.append(f"{where}: its structure element holds no OBJR for it (PDF/UA-1 7.18.1)")
            want = {"/Widget": "/Form", "/Link": "/Link"}.get(subtype)
            if want and role(element, role_map) != want:
                problems.append(f"{where}: tagged {role(element, role_map)}, not {want} (PDF/UA-1 7.18.4)")
    return problems


def main():
    failed = 0
    for path in sys.argv[1:]:
        problems = check(path)
        if problems:
            failed += 1
            print(f"FAIL {path}")
            for p in problems:
                print(f"  {p}")
        else:
            print(f"ok   {path}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
