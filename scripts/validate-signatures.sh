#!/usr/bin/env bash
# Signs the reference release with the throwaway test keys (ECDSA and RSA) and has tools
# pressroom did not write check each signature: pyHanko (must say INTACT and
# TRUSTED, exit 0), poppler's pdfsig (must say "Signature is Valid." and
# "Total document signed": it exits 0 even on a bad digest, so its words are
# read), qpdf --check. A tampered copy must be rejected by both.
# Every signed PDF also goes through the PDF/A-2 and PDF/UA-1 clauses that
# signing touches (scripts/pdfua-signed-check.py, pikepdf from the venv).
# usage: scripts/validate-signatures.sh PYHANKO
set -euo pipefail
cd "$(dirname "$0")/.."
pyhanko="$1"
python="$(dirname "$pyhanko")/python"
target="${CARGO_TARGET_DIR:-target}"
cargo build --quiet
bin="$target/debug/pressroom"
work="$(mktemp -d)"

mkdir -p "$work/project/keys"
cp -r pressroom.toml releases locales layouts "$work/project/"
cp tests/keys/*.pem "$work/project/keys/"
# A local RFC 3161 timestamp authority on 127.0.0.1 for B-T.
port=$((38000 + RANDOM % 1000))
python3 scripts/test-tsa.py "$port" &
tsa=$!
trap 'kill $tsa 2>/dev/null; rm -rf "$work"' EXIT
sleep 1

# Sign with an ECDSA P-256 key, an RSA key, a P-384 key, an RSA-PSS key (under
# an rsassaPss certificate and under an rsaEncryption one), B-T (ECDSA plus a
# timestamp), a countersigned PDF (a kept field, then `pressroom sign`), and
# PDFs built unsigned and then signed by `pressroom sign`, each in its own folder.
# Two more sign with keys generated on a SoftHSM2 token through PKCS#11
# (scripts/make-test-token.sh), the PIN from the environment.
scripts/make-test-token.sh "$work/token" >/dev/null
export SOFTHSM2_CONF="$work/token/softhsm2.conf"
token_config() {
  printf '\n[signing]\npkcs11 = { module = "/usr/lib/softhsm/libsofthsm2.so", token = "Press Office", key-label = "%s" }\nchain = ["keys/ca.pem"]\nsignatory = "press"\n' "$1"
}
# token-always: a key with CKA_ALWAYS_AUTHENTICATE, the PIN given again
# (a context-specific login) before each of the three signatures.
for kind in token-rsa token-ec token-always; do
  cp pressroom.toml "$work/project/pressroom.toml"
  token_config "press-officer-${kind#token-}" >> "$work/project/pressroom.toml"
  PRESSROOM_SIGNING_PIN=123456 "$bin" --root "$work/project" --color never build --sign --out "$work/out-$kind"
done
# A wrong PIN: exit 1, says so, writes nothing, never prints the PIN.
cp pressroom.toml "$work/project/pressroom.toml"
token_config press-officer-ec >> "$work/project/pressroom.toml"
wrong_pin_rc=0
wrong_pin_err="$(PRESSROOM_SIGNING_PIN=999999 "$bin" --root "$work/project" --color never build --sign --out "$work/out-wrong-pin" 2>&1)" || wrong_pin_rc=$?

for kind in signer rsa p384 pss pss-rsaenc bt countersigned signed-later; do
  key=$kind; cert=$kind
  case "$kind" in
    bt | countersigned | signed-later) key=signer; cert=signer ;;
    pss-rsaenc) key=pss ;;
  esac
  cp pressroom.toml "$work/project/pressroom.toml"
  printf '\n[signing]\ncertificate = "keys/%s.pem"\nkey = "keys/%s.key.pem"\nchain = ["keys/ca.pem"]\nsignatory = "press"\n' \
    "$cert" "$key" >> "$work/project/pressroom.toml"
  [ "$kind" = bt ] && printf 'timestamp-url = "http://127.0.0.1:%s/"\n' "$port" >> "$work/project/pressroom.toml"
  [ "$kind" = countersigned ] && printf 'countersignatures = 1\n' >> "$work/project/pressroom.toml"
  if [ "$kind" = signed-later ]; then
    "$bin" --root "$work/project" --color never build --out "$work/out-$kind"
  else
    "$bin" --root "$work/project" --color never build --sign --out "$work/out-$kind"
  fi
  case "$kind" in countersigned | signed-later)
    "$bin" --root "$work/project" --color never sign "$work/out-$kind"/*.pdf
  esac
done

# A timestamp authority answering with a token for other data: signing
# must fail, naming why, and write nothing.
cp pressroom.toml "$work/project/pressroom.toml"
printf '\n[signing]\ncertificate = "keys/signer.pem"\nkey = "keys/signer.key.pem"\nchain = ["keys/ca.pem"]\nsignatory = "press"\ntimestamp-url = "http://127.0.0.1:%s/other"\n' \
  "$port" >> "$work/project/pressroom.toml"
lying_rc=0
lying_err="$("$bin" --root "$work/project" --color never build --sign --out "$work/out-lying" 2>&1)" || lying_rc=$?

fail=0
check() { local message="$1"; shift; if "$@"; then echo "ok: $message"; else echo "FAIL: $message"; fail=$((fail + 1)); fi; }
not() { ! "$@"; }
pyhanko_says() {
  local out
  out="$("$pyhanko" sign validate --no-revocation-check --trust tests/keys/ca.pem --trust-replace "$1" 2>&1)" || true
  grep -qF "$2" <<<"$out"
}
# Runs pyHanko on a PDF; true when it exits 0 and calls the signature
# intact, trusted and untouched.
pyhanko_accepts() {
  local out rc=0
  out="$("$pyhanko" sign validate --no-revocation-check --trust tests/keys/ca.pem --trust-replace "$1" 2>&1)" || rc=$?
  [ "$rc" -eq 0 ] && grep -q ':INTACT:TRUSTED,' <<<"$out" && grep -q 'UNTOUCHED' <<<"$out"
}
check "a token for other data is refused (exit 1, says why, writes nothing)" \
  bash -c '[ "$1" -eq 1 ] && grep -qF "for other data than this signature" <<<"$2" && ! ls "$3"/*.pdf >/dev/null 2>&1' \
  _ "$lying_rc" "$lying_err" "$work/out-lying"
check "a wrong PIN is refused (exit 1, says why, writes nothing, PIN not shown)" \
  bash -c '[ "$1" -eq 1 ] && grep -qF "wrong PIN for the token" <<<"$2" && ! grep -qF 999999 <<<"$2" && ! ls "$3"/*.pdf >/dev/null 2>&1' \
  _ "$wrong_pin_rc" "$wrong_pin_err" "$work/out-wrong-pin"
for pdf in "$work"/out-*/*.pdf; do
  name="$(basename "$(dirname "$pdf")")/$(basename "$pdf")"
  check "$name: pyHanko says INTACT, TRUSTED, UNTOUCHED (exit 0)" pyhanko_accepts "$pdf"
  case "$name" in out-bt/*)
    check "$name: pyHanko accepts the timestamp (B-T)" pyhanko_says "$pdf" 'TIMESTAMP_TOKEN<INTACT:TRUSTED>'
  esac
  case "$name" in out-countersigned/*)
    # The first signature sees the second fill the field kept for it:
    # pyHanko allows that (exit 0 above), and pressroom says so.
    check "$name: pressroom verify says only later signatures followed the first" \
      bash -c "'$bin' verify '$pdf' --trust tests/keys/ca.pem | grep -qF 'changed since:      only later signatures or validation data'"
  esac
  check "$name: PDF/A-2 and PDF/UA-1 clauses signing touches (pikepdf)" "$python" scripts/pdfua-signed-check.py "$pdf"
  sig="$(pdfsig "$pdf" 2>&1 || true)"
  case "$name" in
    out-pss/*)
      # NSS (pdfsig) does not verify PSS under an rsassaPss certificate, not
      # even pyHanko's: out-pss-rsaenc is the same key and signature shape
      # under an rsaEncryption certificate, which pdfsig does verify.
      ;;
    *)
      check "$name: pdfsig says Signature is Valid." grep -q "Signature is Valid." <<<"$sig"
      check "$name: pdfsig says Total document signed" grep -q "Total document signed" <<<"$sig"
      ;;
  esac
  check "$name: qpdf --check" bash -c "qpdf --check '$pdf' >/dev/null"
  check "$name: pressroom verify" "$bin" verify "$pdf" --trust tests/keys/ca.pem >/dev/null

  # Tamper inside the signed range: both validators must reject it.
  bad="$work/tampered-$(basename "$pdf")"
  python3 - "$pdf" "$bad" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
at = data.find(b"/Title")
data[at + 1] = ord("X")
open(sys.argv[2], "wb").write(data)
PY
  check "$name (tampered): pyHanko rejects it" not pyhanko_accepts "$bad"
  check "$name (tampered): pdfsig does not call it valid" bash -c "! pdfsig '$bad' 2>&1 | grep -q 'Signature is Valid.'"
  check "$name (tampered): pressroom verify rejects it" bash -c "! '$bin' verify '$bad' --trust tests/keys/ca.pem >/dev/null"
done
if [ "$fail" -ne 0 ]; then echo "$fail signature check(s) failed"; exit 1; fi
echo "all signature checks passed"
