#!/usr/bin/env bash
# The long-term levels against real services on 127.0.0.1: a test PKI
# (scripts/test-pki.sh) whose certificates name an `openssl ocsp` responder
# and a CRL served over HTTP, and the test timestamp authority. pressroom
# signs at B-LT and B-LTA; then the services are stopped, and
#   - pyHanko's AdES long-term validation (sign adesverify), run a month on
#     when the officer's certificate has expired, accepts B-LTA from the
#     embedded data alone, and rejects B-T (nothing embedded to vouch);
#   - pressroom verify prints the levels B-LT and B-LTA, exit 0;
#   - a certificate revoked before signing: pressroom refuses to sign with it
#     at B-LT, and a file signed with it (B-T, then the CRL embedded) is
#     called revoked by both pyHanko and pressroom verify.
# usage: scripts/validate-ltv.sh PYHANKO
set -euo pipefail
cd "$(dirname "$0")/.."
pyhanko="$1"
python="$(dirname "$pyhanko")/python"
bin="${CARGO_TARGET_DIR:-target}/debug/pressroom"
work="$(mktemp -d)"
base=$((39000 + RANDOM % 800))
ocsp_port=$base; crl_port=$((base + 1)); tsa_port=$((base + 2))
pids=()
stop_services() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; pids=(); }
trap 'stop_services; rm -rf "$work"' EXIT

scripts/test-pki.sh "$work/pki" "$ocsp_port" "$crl_port"
(cd "$work/pki" && exec openssl ocsp -index index.txt -port "$ocsp_port" -rsigner responder.pem \
  -rkey responder.key.pem -CA ca.pem -ndays 7 >/dev/null 2>&1) &
pids+=($!)
python3 -m http.server "$crl_port" --bind 127.0.0.1 --directory "$work/pki/crl" >/dev/null 2>&1 &
pids+=($!)
PRESSROOM_TSA_KEYS="$work/pki" python3 scripts/test-tsa.py "$tsa_port" &
pids+=($!)
sleep 1
# Revocation happened at the PKI's making: signatures from now on come after.
sleep 1

mkdir -p "$work/project/keys"
cp -r pressroom.toml releases locales layouts "$work/project/"
cp "$work/pki"/*.pem "$work/project/keys/"
configure() { # certificate-name
  cp pressroom.toml "$work/project/pressroom.toml"
  printf '\n[signing]\ncertificate = "keys/%s.pem"\nkey = "keys/%s.key.pem"\nchain = ["keys/ca.pem"]\nsignatory = "press"\ntimestamp-url = "http://127.0.0.1:%s/"\n' \
    "$1" "$1" "$tsa_port" >> "$work/project/pressroom.toml"
}
configure signer
for level in b-t b-lt b-lta; do
  "$bin" --root "$work/project" --color never build --sign --level "$level" --out "$work/out-$level"
done
configure revoked
revoked_rc=0
revoked_err="$("$bin" --root "$work/project" --color never build --sign --level b-lt --out "$work/out-refused" 2>&1)" || revoked_rc=$?
"$bin" --root "$work/project" --color never build --sign --level b-t --lang en --out "$work/out-revoked"
"$python" scripts/ltv-add-dss.py "$work/out-revoked/"*.en.pdf "$work/pki/crl/ca.crl"

# From here on nothing answers: only what the files carry counts.
stop_services

fail=0
check() { local message="$1"; shift; if "$@"; then echo "ok: $message"; else echo "FAIL: $message"; fail=$((fail + 1)); fi; }
later="$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%S+00:00)"
ades_accepts() {
  local out rc=0
  out="$("$pyhanko" sign adesverify --trust "$work/pki/ca.pem" --trust-replace --validation-time "$later" "$1" 2>&1)" || rc=$?
  [ "$rc" -eq 0 ] && grep -q ':INTACT:TRUSTED,' <<<"$out"
}
not() { ! "$@"; }
# A whole line of `pressroom verify`'s report, exactly (B-LT is not B-LTA).
# The report is read whole first: grep -q stops reading at its first match.
verify_says() { local out; out="$("$bin" verify "$1" --trust "$work/pki/ca.pem")" && grep -qxF "$2" <<<"$out"; }

check "signing with a revoked certificate at B-LT is refused (exit 1, says why, writes nothing)" \
  bash -c '[ "$1" -eq 1 ] && grep -qF "was revoked on" <<<"$2" && ! ls "$3"/*.pdf >/dev/null 2>&1' \
  _ "$revoked_rc" "$revoked_err" "$work/out-refused"
for pdf in "$work"/out-b-lta/*.pdf; do
  name="out-b-lta/$(basename "$pdf")"
  check "$name: pyHanko's AdES LTA validation a month on, services stopped, signer expired" ades_accepts "$pdf"
  check "$name: pressroom verify says B-LTA and exits 0" verify_says "$pdf" "    level:              B-LTA"
  check "$name: PDF/A-2 and PDF/UA-1 clauses (pikepdf)" "$python" scripts/pdfua-signed-check.py "$pdf"
  check "$name: pdfsig says the signature is valid" bash -c "pdfsig '$pdf' 2>&1 | grep -q 'Signature is Valid.'"
  check "$name: qpdf --check" bash -c "qpdf --check '$pdf' >/dev/null"
done
for pdf in "$work"/out-b-lt/*.pdf; do
  check "out-b-lt/$(basename "$pdf"): pressroom verify says B-LT" verify_says "$pdf" "    level:              B-LT"
done
for pdf in "$work"/out-b-t/*.en.pdf; do
  check "out-b-t/$(basename "$pdf"): a month on, with nothing embedded, pyHanko's AdES validation fails" \
    not ades_accepts "$pdf"
done
revoked_pdf="$(ls "$work"/out-revoked/*.en.pdf)"
check "revoked signer: pyHanko says REVOKED" \
  bash -c "'$pyhanko' sign adesverify --trust '$work/pki/ca.pem' --trust-replace '$revoked_pdf' 2>&1 | grep -q ':INTACT:REVOKED'"
check "revoked signer: pressroom verify says revoked before it was signed, exit 1" \
  bash -c "out=\$('$bin' verify '$revoked_pdf' --trust '$work/pki/ca.pem'); rc=\$?; [ \$rc -eq 1 ] && grep -qF 'before it was signed' <<<\"\$out\""
if [ "$fail" -ne 0 ]; then echo "$fail long-term check(s) failed"; exit 1; fi
echo "all long-term checks passed"
