#!/usr/bin/env python3
"""The glossaries pressroom ships and writes, read by translate-toolkit's
TBX reader (translate.storage.tbx), a reader pressroom did not write: each
entry's English and its rendering, as pressroom means them.

usage: scripts/tbx-check.py <translate-toolkit's python> (run by .ci/run)
"""
import glob
import os
import sys

from translate.storage import tbx

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
sys.exit(1 if failures else 0)
