#!/usr/bin/env python3
"""Publishing an archive: N releases x 3 languages (copies of the reference
release under other dates), timed with the release binary.

Side by side with its baseline, `build` on the same project (the PDFs the
site publishes): a first publish (PDFs built, site and e-mails written), a
publish with nothing changed, and one after a single Tajik word changed;
the last two as the median of --runs runs each (a word changed before every
run, the build's runs and the publish's alike).

usage: scripts/bench-publish.py [pressroom] [--releases N] [--runs N]
Build with `cargo build --release` first (the default binary).
"""

import argparse
import datetime
import os
import shutil
import statistics
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
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root, ids = make_project(args.releases)
    try:
        outputs = len(ids) * 3
        build_first = timed(args.pressroom, root, "build")
        build_again = timed(args.pressroom, root, "build")
        publish_first = timed(args.pressroom, root, "publish", "--email")
        timed(args.pressroom, root, "publish", "--email")
        builds = [timed(args.pressroom, root, "build") for _ in range(args.runs)]
        publishes = [timed(args.pressroom, root, "publish", "--email") for _ in range(args.runs)]
        build_again, publish_again = statistics.median(builds), statistics.median(publishes)
        ftl = root / "locales" / "tg" / "releases" / f"{ids[len(ids) // 2]}.ftl"
        words = ["Имрӯз дар Душанбе", "Имрӯз дар шаҳри Душанбе"]

        def change():
            text = ftl.read_text()
            old, new = (words[1], words[0]) if words[1] in text else (words[0], words[1])
            ftl.write_text(text.replace(old, new, 1))

        one_builds, one_publishes = [], []
        for _ in range(args.runs):
            change()
            one_builds.append(timed(args.pressroom, root, "build"))
            change()
            one_publishes.append(timed(args.pressroom, root, "publish", "--email"))
        build_one, publish_one = statistics.median(one_builds), statistics.median(one_publishes)
        files = sum(1 for _ in (root / "out" / "site").rglob("*")) + sum(1 for _ in (root / "out" / "email").rglob("*"))
        print(f"{len(ids)} releases x 3 languages = {outputs} outputs; {files} files in out/site and out/email")
        print(f"{'':40}{'build':>10}{'publish':>10}{'ratio':>8}")
        print(f"{'first run (PDFs built) + site, e-mails':40}{build_first:>9.1f}s{'':>10}")
        print(f"{'then publish (PDFs up to date)':40}{build_again:>9.2f}s{publish_first:>9.2f}s{publish_first / build_again:>7.1f}x")
        print(f"(medians of {args.runs} runs below)")
        print(f"{'nothing changed':40}{build_again:>9.2f}s{publish_again:>9.2f}s{publish_again / build_again:>7.2f}x")
        print(f"{'one Tajik translation changed':40}{build_one:>9.2f}s{publish_one:>9.2f}s{publish_one / build_one:>7.2f}x")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
