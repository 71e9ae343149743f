#!/usr/bin/env python3
"""The glossaries pressroom ships, read by translate-toolkit's TBX reader
(translate.storage.tbx), and the translation memory pressroom exports, read by
its TMX reader (translate.storage.tmx): readers pressroom did not write, each
giving back what pressroom means. And the other way: a TBX translate-toolkit
writes, imported by `l10n tbx-import` into a copy of the project, read back.

usage: scripts/tbx-check.py [PRESSROOM]   (run by .ci/run with translate-toolkit's python)
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

from translate.storage import tbx, tmx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPECTED = {
    "ru": {"BOMCA": "БОМКА", "Prague Process": "Пражский процесс", "CBRN": "ХБРЯ"},
    "tg": {"BOMCA": "БОМКА", "Prague Process": "Раванди Прага", "CBRN": "КБРҲ"},
}

failures = 0
for path in sorted(glob.glob(os.path.join(ROOT, "locales", "*", "glossary.tbx"))):
    lang = path.split(os.sep)[-2]
    store = tbx.tbxfile.parsefile(open(path, "rb"))
    units = {u.source: u.target for u in store.getunits()}
    for english, rendering in EXPECTED.get(lang, {}).items():
        ok = units.get(english) == rendering
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {lang}: {english} -> {units.get(english)!r} (want {rendering!r})")
    print(f"{'ok  ' if units else 'FAIL'} {os.path.relpath(path, ROOT)}: {len(units)} entries read by translate-toolkit")
    failures += not units
if len(sys.argv) > 1:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "tg.tmx")
        subprocess.run([sys.argv[1], "--root", ROOT, "-q", "l10n", "tmx-export", "tg", "--out", out], check=True)
        units = tmx.tmxfile.parsefile(open(out, "rb")).getunits()
        tajik = [u for u in units if "Муколама" in (u.target or "")]
        ok = len(units) > 5 and bool(tajik)
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} l10n tmx-export tg: {len(units)} units read by translate-toolkit, {len(tajik)} with the Tajik 'Муколама'")
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "office")
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("target", "out", "node_modules", ".git", "ci-artifacts"))
        agency = tbx.tbxfile(sourcelanguage="en", targetlanguage="ru")
        unit = agency.addsourceunit("Organization for Security and Co-operation in Europe")
        unit.target = "ОБСЕ"
        theirs = os.path.join(tmp, "agency.tbx")
        with open(theirs, "wb") as f:
            f.write(bytes(agency))
        subprocess.run([sys.argv[1], "--root", copy, "-q", "l10n", "tbx-import", "ru", theirs], check=True)
        merged = tbx.tbxfile.parsefile(open(os.path.join(copy, "locales", "ru", "glossary.tbx"), "rb"))
        units = {u.source: u.target for u in merged.getunits()}
        ok = units.get("Organization for Security and Co-operation in Europe") == "ОБСЕ" and units.get("BOMCA") == "БОМКА"
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} l10n tbx-import ru of translate-toolkit's TBX: {len(units)} entries read back, OSCE -> {units.get('Organization for Security and Co-operation in Europe')!r}")
sys.exit(1 if failures else 0)
