#!/usr/bin/env python3
"""Publishing an archive: N releases x 3 languages (copies of the reference
release under other dates), timed with the release binary.

Side by side with its baseline, `build` on the same project (the PDFs the
site publishes): a first publish (PDFs built, site and e-mails written), a
publish with nothing changed, and one after a single Tajik word changed.

usage: scripts/bench-publish.py [pressroom] [--releases N]
Build with `cargo build --release` first (the default binary).
"""

import argparse
import datetime
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REFERENCE = "2015-03-11-eu-central-asia-security-dialogue"


def make_project(n):
    root = Path(tempfile.mkdtemp(prefix="pressroom-bench-publish-"))
    for item in ["pressroom.toml", "layouts"]:
        src = REPO / item
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / item)
    (root / "releases").mkdir()
    toml = (REPO / "releases" / f"{REFERENCE}.toml").read_text()
    langs = ["en", "ru", "tg"]
    for lang in langs:
        (root / "locales" / lang / "releases").mkdir(parents=True)
        shutil.copy(REPO / "locales" / lang / "office.ftl", root / "locales" / lang / "office.ftl")
    texts = {lang: (REPO / "locales" / lang / "releases" / f"{REFERENCE}.ftl").read_text() for lang in langs}
    start = datetime.date(2015, 3, 11)
    ids = []
    for i in range(n):
        day = start + datetime.timedelta(days=i)
        rid = f"{day.isoformat()}-dialogue-{i:04d}"
        ids.append(rid)
        (root / "releases" / f"{rid}.toml").write_text(toml.replace("date = 2015-03-11", f"date = {day.isoformat()}"))
        for lang in langs:
            (root / "locales" / lang / "releases" / f"{rid}.ftl").write_text(texts[lang])
    return root, ids


def timed(binary, root, *args):
    begin = time.perf_counter()
    run = subprocess.run([binary, "--root", str(root), "-q", *args], capture_output=True, text=True)
    took = time.perf_counter() - begin
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{run.stderr[-2000:]}")
    return took


def main():
    parser = argparse.ArgumentParser()
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    parser.add_argument("pressroom", nargs="?", default=str(target / "release" / "pressroom"))
    parser.add_argument("--releases", type=int, default=1000)
    args = parser.parse_args()
    root, ids = make_project(args.releases)
    try:
        outputs = len(ids) * 3
        build_first = timed(args.pressroom, root, "build")
        build_again = timed(args.pressroom, root, "build")
        publish_first = timed(args.pressroom, root, "publish", "--email")
        publish_again = timed(args.pressroom, root, "publish", "--email")
        ftl = root / "locales" / "tg" / "releases" / f"{ids[len(ids) // 2]}.ftl"
        ftl.write_text(ftl.read_text().replace("Имрӯз дар Душанбе", "Имрӯз дар шаҳри Душанбе", 1))
        build_one = timed(args.pressroom, root, "build")
        ftl.write_text(ftl.read_text().replace("шаҳри Душанбе", "шаҳри Душанбеи", 1))
        publish_one = timed(args.pressroom, root, "publish", "--email")
        files = sum(1 for _ in (root / "out" / "site").rglob("*")) + sum(1 for _ in (root / "out" / "email").rglob("*"))
        print(f"{len(ids)} releases x 3 languages = {outputs} outputs; {files} files in out/site and out/email")
        print(f"{'':40}{'build':>10}{'publish':>10}{'ratio':>8}")
        print(f"{'first run (PDFs built) + site, e-mails':40}{build_first:>9.1f}s{'':>10}")
        print(f"{'then publish (PDFs up to date)':40}{build_again:>9.2f}s{publish_first:>9.2f}s{publish_first / build_again:>7.1f}x")
        print(f"{'nothing changed':40}{build_again:>9.2f}s{publish_again:>9.2f}s{publish_again / build_again:>7.1f}x")
        print(f"{'one Tajik translation changed':40}{build_one:>9.2f}s{publish_one:>9.2f}s{publish_one / build_one:>7.1f}x")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
