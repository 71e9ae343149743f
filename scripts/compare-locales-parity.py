#!/usr/bin/env python3
"""Runs Mozilla's compare-locales and `pressroom check` on the same broken
locale files and fails if compare-locales reports a problem that pressroom
misses. Usage: compare-locales-parity.py CORPUS PRESSROOM COMPARE_LOCALES"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def flatten(lang, prefix, node, out):
    """compare-locales nests findings by folder: {file: [ {kind: text} ]}."""
    if isinstance(node, dict):
        for name, child in node.items():
            flatten(lang, f"{prefix}/{name}", child, out)
    elif isinstance(node, list):
        for item in node:
            for kind, text in item.items():
                out.append((lang, prefix, kind, str(text)))


def matches(finding, lang, path, kind, text):
    if finding.get("language") != lang and lang not in (finding.get("language") or ""):
        return False
    f_file, f_line = finding.get("file"), finding.get("line")
    message = finding.get("message", "")
    line = re.search(r"at line (\d+)|from line (\d+)", text)
    line = int(next(g for g in line.groups() if g)) if line else None
    entity = re.search(r" for (\S+)$", text)
    entity = entity.group(1) if entity else None
    if kind == "missingEntity":
        return finding["code"] == "missing-message" and f"`{text}`" in message and path in message
    if kind == "obsoleteEntity":
        return finding["code"] == "obsolete-message" and f_file == path and f"`{text}`" in message
    if kind == "missingFile":
        return finding["code"] == "missing-file" and f_file == path
    if kind == "obsoleteFile":
        return finding["code"] == "obsolete-file" and f_file == path
    if f_file != path:
        return False
    duplicated = re.match(r"(\S+) occurs \d+ times", text)
    if duplicated:
        return finding["code"] == "fluent-duplicate" and f"`{duplicated.group(1)}`" in message
    if text.startswith("Unparsed content"):
        # compare-locales names the whole unreadable entry; pressroom points
        # at the exact place inside it where the parser stopped.
        span = re.search(r"from line (\d+) column \d+ to line (\d+)", text)
        first, last = (int(span.group(1)), int(span.group(2))) if span else (line, line)
        return finding["code"] == "fluent-syntax" and f_line is not None and first <= f_line <= last
    if entity and f"`{entity}`" in message:
        return True
    return line is not None and f_line == line


def main():
    corpus, pressroom, compare_locales = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "corpus")
        shutil.copytree(corpus, project)
        cl = subprocess.run(
            [compare_locales, "--json", "-", "l10n.toml", ".", "ru", "tg"],
            cwd=project, capture_output=True, text=True,
        )
        if cl.returncode not in (0, 1) or not cl.stdout.strip():
            sys.exit(f"compare-locales failed ({cl.returncode}):\n{cl.stderr}")
        details = json.loads(cl.stdout)[0]["details"]["locales"]
        check = subprocess.run(
            [pressroom, "--root", project, "--color", "never", "check", "--format", "json"],
            capture_output=True, text=True,
        )
        if check.returncode not in (0, 1):
            sys.exit(f"pressroom check failed ({check.returncode}):\n{check.stderr}")
        findings = json.loads(check.stdout)

    reported = []
    for lang, files in details.items():
        flatten(lang, f"locales/{lang}", files, reported)
    missed = 0
    for lang, path, kind, text in reported:
        found = any(matches(f, lang, path, kind, text) for f in findings)
        missed += not found
        shown = " ".join(text.split())
        shown = shown if len(shown) < 90 else shown[:87] + "..."
        print(f"{'ok  ' if found else 'MISS'} {lang} {path}: {kind}: {shown}")
    print(f"compare-locales: {len(reported)} finding(s); pressroom check: {len(findings)} finding(s); missed: {missed}")
    if len(reported) < 10:
        sys.exit("the corpus should make compare-locales report at least 10 problems")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
