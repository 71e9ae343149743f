#!/usr/bin/env python3
"""pressroom's XLIFF, read and written by a tool pressroom did not write:
translate-toolkit (the library behind Pootle, Weblate's XLIFF and the
xliff2po converter).

1. `l10n export <lang> --all` for ru and tg: translate-toolkit reads every
   unit with its source, target and state; xliff2po converts it; the file
   keeps to XLIFF 1.2's structure (states, ctype values, required ids).
2. translate-toolkit writes the file back unchanged: `l10n import` changes
   no .ftl file, byte for byte.
3. A script fills targets through translate-toolkit's API (a changed
   Russian title, a missing Tajik background): `l10n import` writes them
   and the built PDFs show the new text (pdftotext).

usage: scripts/xliff-roundtrip.py PRESSROOM [VENV_BIN]
"""

import os
import subprocess
import sys
import tempfile

from lxml import etree
from translate.storage import po, xliff

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (copy_project: the shipped project in a temp dir)

REFERENCE = "2015-03-11-eu-central-asia-security-dialogue"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NS = "{urn:oasis:names:tc:xliff:document:1.2}"
# XLIFF 1.2's state and ctype values (section 4.3; `x-` ones are extensions).
STATES = {"final", "needs-adaptation", "needs-l10n", "needs-review-adaptation",
          "needs-review-l10n", "needs-review-translation", "needs-translation", "new",
          "signed-off", "translated"}
CTYPES = {"bold", "italic", "underlined", "link", "image", "pb", "lb"}
failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    failures += 0 if ok else 1


def run(*cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result


def snapshot(project):
    out = {}
    for lang in ["ru", "tg"]:
        for dirpath, _, names in os.walk(os.path.join(project, "locales", lang)):
            for name in names:
                if name.endswith(".ftl"):
                    path = os.path.join(dirpath, name)
                    out[path] = open(path, "rb").read()
    return out


def structure(path):
    """What the XLIFF 1.2 schema would say about the parts pressroom writes."""
    tree = etree.parse(path)
    root = tree.getroot()
    problems = []
    if root.tag != NS + "xliff" or root.get("version") != "1.2":
        problems.append("root is not <xliff version=1.2>")
    for f in root.iter(NS + "file"):
        for attr in ["original", "source-language", "datatype"]:
            if not f.get(attr):
                problems.append(f"<file> without {attr}")
        if f.find(NS + "body") is None:
            problems.append("<file> without <body>")
    ids = set()
    for unit in root.iter(NS + "trans-unit"):
        uid = unit.get("id")
        if not uid or uid in ids:
            problems.append(f"trans-unit id missing or repeated: {uid}")
        ids.add(uid)
        if unit.find(NS + "source") is None:
            problems.append(f"{uid}: no <source>")
        target = unit.find(NS + "target")
        if target is not None and target.get("state") not in STATES:
            problems.append(f"{uid}: state {target.get('state')}")
        for code in unit.iter(NS + "g", NS + "ph", NS + "x"):
            ctype = code.get("ctype")
            if not code.get("id"):
                problems.append(f"{uid}: inline code without id")
            if ctype and ctype not in CTYPES and not ctype.startswith("x-"):
                problems.append(f"{uid}: ctype {ctype}")
    return problems, len(ids)


def main():
    pressroom = sys.argv[1]
    venv_bin = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(sys.executable)
    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "project")
        bench.copy_project(project)
        base = [pressroom, "--root", project, "--color", "never"]
        before = snapshot(project)

        for lang in ["ru", "tg"]:
            exported = os.path.join(tmp, f"{lang}.xlf")
            run(*base, "l10n", "export", lang, "--all", "--out", exported)
            problems, count = structure(exported)
            check(not problems and count > 20, f"{lang}: {count} units in XLIFF 1.2 structure {problems[:3]}")
            store = xliff.xlifffile.parsefile(exported)
            units = [u for u in store.units if not u.isheader()]
            check(len(units) == count, f"{lang}: translate-toolkit reads all {count} units")
            check(all(u.source and u.target for u in units), f"{lang}: every unit has source and target")
            check(all(u.istranslated() and u.get_state_n() == 100 for u in units),
                  f"{lang}: every unit reads as translated")
            body = next(u for u in units if u.getid().endswith("body"))
            check("Dushanbe hosted today" in body.source and len(body.target) > 1000,
                  f"{lang}: the body's text, codes protected ({len(body.target)} chars)")
            pofile = os.path.join(tmp, f"{lang}.po")
            run(os.path.join(venv_bin, "xliff2po"), exported, pofile)
            pos = [u for u in po.pofile.parsefile(pofile).units if not u.isheader()]
            check(len(pos) == count and all(u.target for u in pos), f"{lang}: xliff2po gives {len(pos)} translated entries")

            rewritten = os.path.join(tmp, f"{lang}.tt.xlf")
            with open(rewritten, "wb") as f:
                f.write(bytes(store))
            run(*base, "l10n", "import", rewritten)
            check(snapshot(project) == before, f"{lang}: re-importing translate-toolkit's copy changes no .ftl file")

        # Targets filled through translate-toolkit's API.
        exported = os.path.join(tmp, "ru.xlf")
        store = xliff.xlifffile.parsefile(exported)
        title = next(u for u in store.units if u.getid().endswith(f"{REFERENCE}.ftl\x04title"))
        title.target = "В Душанбе прошёл Диалог высокого уровня ЕС — Центральная Азия"
        with open(exported, "wb") as f:
            f.write(bytes(store))
        run(*base, "l10n", "import", exported)

        tg_text = os.path.join(project, "locales", "tg", "releases", f"{REFERENCE}.ftl")
        text = open(tg_text, encoding="utf-8").read()
        with open(tg_text, "w", encoding="utf-8") as f:
            f.write(text[: text.index("\nbackground =") + 1])
        missing = os.path.join(tmp, "tg-missing.xlf")
        run(*base, "l10n", "export", "tg", "--out", missing)
        store = xliff.xlifffile.parsefile(missing)
        units = [u for u in store.units if not u.isheader()]
        check(len(units) == 1 and units[0].getid().endswith("background") and not units[0].istranslated(),
              "tg: only the missing background is exported, untranslated")
        units[0].target = "Муколама манфиати муштараки ИА ва Осиёи Марказиро инъикос менамояд."
        with open(missing, "wb") as f:
            f.write(bytes(store))
        run(*base, "l10n", "import", missing)

        run(*base, "build", REFERENCE)
        out = os.path.join(project, "out")
        ru = run("pdftotext", os.path.join(out, f"{REFERENCE}.ru.pdf"), "-").stdout
        tg = run("pdftotext", os.path.join(out, f"{REFERENCE}.tg.pdf"), "-").stdout
        check("прошёл Диалог" in " ".join(ru.split()), "ru: the PDF shows the title set in translate-toolkit")
        check("манфиати муштараки ИА ва Осиёи" in " ".join(tg.split()), "tg: the PDF shows the background set in translate-toolkit")
        check_run = subprocess.run([*base, "check"], capture_output=True, text=True)
        check(check_run.returncode == 0 and "0 error(s)" in check_run.stderr, "check is clean after the imports")

    print(f"{failures} failed" if failures else "all XLIFF checks passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
