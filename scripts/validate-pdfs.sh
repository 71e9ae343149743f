#!/usr/bin/env bash
# Builds the shipped release into a temp folder and checks every PDF with
# tools pressroom did not write: qpdf (structure), pdffonts (all fonts
# embedded), pdftotext (the text a reader copies: title, Tajik letters, no
# bidi marks or replacement characters), pdfinfo (metadata).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
cargo build --quiet
bin="$target/debug/pressroom"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

"$bin" --color never build --out "$out"

fail=0
check() { # message, command...
  local message="$1"; shift
  if ! "$@"; then echo "FAIL: $message"; fail=$((fail + 1)); else echo "ok: $message"; fi
}
for pdf in "$out"/*.pdf; do
  name="$(basename "$pdf")"
  lang="${name%.pdf}"; lang="${lang##*.}"
  check "$name: qpdf --check" bash -c "qpdf --check '$pdf' >/dev/null"
  check "$name: every font embedded" \
    bash -c "pdffonts '$pdf' | tail -n +3 | awk '{ if (\$(NF-4) != \"yes\") bad=1 } END { exit bad }'"
  # poppler misreads MarkInfo's (valid, boolean) /Suspects; drop that noise only.
  text="$(pdftotext -enc UTF-8 "$pdf" - 2> >(grep -v 'Suspects object' >&2))"
  title="$(pdfinfo -enc UTF-8 "$pdf" 2> >(grep -v 'Suspects object' >&2) | sed -n 's/^Title: *//p')"
  check "$name: has a title" test -n "$title"
  check "$name: tagged, PDF/A output intent, language $lang in the catalog" \
    python3 -c '
import json, subprocess, sys
pdf, lang = sys.argv[1], sys.argv[2]
objects = json.loads(subprocess.run(["qpdf", "--json", "--json-key=qpdf", pdf],
                                    check=True, capture_output=True).stdout)["qpdf"][1]
root = objects["obj:" + objects["trailer"]["value"]["/Root"]]["value"]
ok = (root.get("/Lang") == "u:" + lang and root.get("/MarkInfo", {}).get("/Marked") is True
      and "/StructTreeRoot" in root and "/OutputIntents" in root and "/Metadata" in root)
sys.exit(0 if ok else 1)
' "$pdf" "$lang"
  check "$name: no bidi marks or U+FFFD in the text" \
    bash -c "! printf '%s' \"\$1\" | grep -q $'\u2068\|\u2069\|\uFFFD'" _ "$text"
  if [ "$lang" = tg ]; then
    for letter in ғ ӣ қ ӯ ҳ ҷ; do
      check "$name: contains $letter" bash -c "printf '%s' \"\$1\" | grep -q '$letter'" _ "$text"
    done
  fi
done
count=$(ls "$out"/*.pdf | wc -l)
check "three PDFs built" test "$count" -eq 3
if [ "$fail" -ne 0 ]; then
  echo "$fail check(s) failed"
  exit 1
fi
echo "all validator checks passed"
