#!/usr/bin/env python3
"""pressroom's build speed, measured side by side with typst in one run.

1. The reference release: `pressroom build <id> --force` (a fresh process,
   three languages, nothing skipped) against three `typst compile` runs of
   the real layouts/letterhead/main.typ, each under a root that holds the
   document model pressroom hands the layout (`build --emit-model`) at
   /.pressroom/document.json: same layout, same data, PDF/A-2a + UA-1,
   embedded fonts only. Runs alternate; medians compared.
2. An archive of N releases x 3 languages, generated from the reference:
   cold build time, PDFs per second, peak resident memory, and the no-op
   rebuild (everything up to date).
3. How the cold build grows from 30 to 300 to 1000 releases.

usage: scripts/bench.py [--pressroom BIN] [--typst BIN] [--runs 15] [--sizes 30,300,1000]
Install typst-cli into a folder of your choice, e.g.
  cargo install typst-cli --locked --root ~/.cache/pressroom/typst-cli
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REFERENCE = "2015-03-11-eu-central-asia-security-dialogue"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LANGS = ["en", "ru", "tg"]


def run(cmd, cwd=None):
    """Runs cmd; returns (seconds, peak RSS in MiB)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{err}")
    return elapsed, usage.ru_maxrss / 1024


def copy_project(dest):
    os.makedirs(dest)
    for item in ["pressroom.toml", "releases", "locales", "layouts"]:
        src = os.path.join(ROOT, item)
        (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(dest, item))


def typst_roots(tmp, pressroom):
    """A Typst root per language for typst-cli: a copy of layouts/ and the
    document model where the layout reads it.
    Returns {lang: root}; compile `layouts/letterhead/main.typ` in it."""
    project = os.path.join(tmp, "model-project")
    copy_project(project)
    models = os.path.join(tmp, "models")
    run([pressroom, "--root", project, "-q", "build", REFERENCE, "--emit-model", "--out", models])
    roots = {}
    for lang in LANGS:
        root = os.path.join(tmp, f"typst-{lang}")
        os.makedirs(os.path.join(root, ".pressroom"))
        # A copy: typst-cli refuses a main file that a link puts outside its
        # root ("source file must be contained in project root").
        shutil.copytree(os.path.join(ROOT, "layouts"), os.path.join(root, "layouts"))
        shutil.copy(os.path.join(models, f"{REFERENCE}.{lang}.json"),
                    os.path.join(root, ".pressroom", "document.json"))
        roots[lang] = root
    return roots


def typst_compile(typst, root, out, watch=False):
    """typst-cli's command for the letterhead under `root`."""
    return [typst, "watch" if watch else "compile", "--root", root, "--ignore-system-fonts",
            "--pdf-standard", "a-2a,ua-1", os.path.join(root, "layouts/letterhead/main.typ"), out]


def unsigned_pdf(pressroom, tmp, lang="en"):
    """The reference release built unsigned in a copy of the project under
    `tmp`; the PDF's path (for the signature scripts)."""
    project = os.path.join(tmp, "project")
    copy_project(project)
    subprocess.run([pressroom, "--root", project, "-q", "build", REFERENCE, "--lang", lang], check=True)
    return os.path.join(project, "out", f"{REFERENCE}.{lang}.pdf")


def write_pem(directory, name, key, cert):
    """`key` (a `cryptography` private key) and `cert` as PEM files
    `<name>.key.pem` and `<name>.pem` in `directory`; their paths."""
    from cryptography.hazmat.primitives import serialization
    key_path, cert_path = os.path.join(directory, f"{name}.key.pem"), os.path.join(directory, f"{name}.pem")
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def make_archive(dest, count):
    """The reference release copied `count` times under new ids."""
    copy_project(dest)
    release = open(os.path.join(dest, "releases", f"{REFERENCE}.toml")).read()
    texts = {l: open(os.path.join(dest, "locales", l, "releases", f"{REFERENCE}.ftl")).read() for l in LANGS}
    for state in LANGS[1:]:
        path = os.path.join(dest, "locales", state, "translation-state.toml")
        if os.path.exists(path):
            os.remove(path)
    for i in range(count):
        rid = f"2015-03-11-release-{i:04d}"
        with open(os.path.join(dest, "releases", f"{rid}.toml"), "w") as f:
            f.write(release)
        for lang in LANGS:
            with open(os.path.join(dest, "locales", lang, "releases", f"{rid}.ftl"), "w") as f:
                f.write(texts[lang].replace("title = ", f"title = №{i} ", 1))
    for lang in LANGS:
        os.remove(os.path.join(dest, "locales", lang, "releases", f"{REFERENCE}.ftl"))
    os.remove(os.path.join(dest, "releases", f"{REFERENCE}.toml"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pressroom", default=os.path.join(ROOT, "target/release/pressroom"))
    ap.add_argument("--typst", default=shutil.which("typst"))
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--sizes", default="30,300,1000")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]

    with tempfile.TemporaryDirectory() as tmp:
        # 1. The reference release against typst compile.
        project = os.path.join(tmp, "reference")
        copy_project(project)
        ours, theirs = [], []
        roots = typst_roots(tmp, a.pressroom) if a.typst else {}
        for _ in range(a.runs):
            ours.append(run([a.pressroom, "--root", project, "-q", "build", REFERENCE, "--force"])[0])
            if a.typst:
                total = 0.0
                for lang in LANGS:
                    out = os.path.join(tmp, f"typst.{lang}.pdf")
                    total += run(typst_compile(a.typst, roots[lang], out))[0]
                theirs.append(total)
        print(f"reference release, 3 languages, median of {a.runs} runs:")
        print(f"  pressroom build --force    {statistics.median(ours) * 1000:7.1f} ms")
        if theirs:
            print(f"  3 x typst compile          {statistics.median(theirs) * 1000:7.1f} ms")
            print(f"  pressroom / typst          {statistics.median(ours) / statistics.median(theirs):7.2f}")

        # 2 and 3. Archives.
        print("\narchives of N releases x 3 languages (cold: --force, fresh process):")
        print(f"  {'N':>5} {'PDFs':>6} {'cold s':>8} {'PDFs/s':>8} {'ms/PDF':>7} {'peak MiB':>9} {'no-op s':>8}")
        for n in sizes:
            archive = os.path.join(tmp, f"archive-{n}")
            make_archive(archive, n)
            # A first build reconciles translation state; measure the next one.
            run([a.pressroom, "--root", archive, "-q", "build"])
            cold, peak = run([a.pressroom, "--root", archive, "-q", "build", "--force"])
            noop, _ = run([a.pressroom, "--root", archive, "-q", "build"])
            pdfs = n * 3
            print(f"  {n:>5} {pdfs:>6} {cold:8.2f} {pdfs / cold:8.1f} {cold / pdfs * 1000:7.1f} "
                  f"{peak:9.0f} {noop:8.3f}")
            shutil.rmtree(archive)


if __name__ == "__main__":
    main()
