#!/usr/bin/env bash
# A SoftHSM2 token for the signing tests, as a press officer's smart card
# would be: keys generated *on* the token (RSA-2048 and ECDSA P-256, never
# exported), each with a certificate from the throwaway test CA
# (tests/keys/ca.pem) written back to the token beside it (same CKA_ID).
# usage: scripts/make-test-token.sh DIR   → DIR/softhsm2.conf; export
#        SOFTHSM2_CONF=DIR/softhsm2.conf to use it. Token "Press Office",
#        user PIN 123456, keys "press-officer-rsa", "press-officer-ec" and
#        "press-officer-always" (RSA with CKA_ALWAYS_AUTHENTICATE, as on a
#        qualified signature card: a context-specific login per signature).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$(realpath -m "$1")"
module=/usr/lib/softhsm/libsofthsm2.so
mkdir -p "$dir/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$dir" > "$dir/softhsm2.conf"
export SOFTHSM2_CONF="$dir/softhsm2.conf"
softhsm2-util --init-token --free --label "Press Office" --so-pin 87654321 --pin 123456 >/dev/null
p11() { pkcs11-tool --module "$module" --token-label "Press Office" --login --pin 123456 "$@"; }
# The extensions: tests/keys/test-ca.cnf's, as tests/keys/make.sh issues them.
export PRESSROOM_CA_DIR="$dir" PRESSROOM_OCSP_PORT=0 PRESSROOM_CRL_PORT=0
for kind in rsa ec always; do
  always=()
  case $kind in
    rsa) type=rsa:2048; id=01 ;;
    ec) type=EC:prime256v1; id=02 ;;
    always) type=rsa:2048; id=03; always=(--always-auth) ;;
  esac
  label="press-officer-$kind"
  p11 --keypairgen --key-type "$type" --id "$id" --label "$label" "${always[@]}" >/dev/null
  p11 --read-object --type pubkey --id "$id" --output-file "$dir/$kind.pub.der" >/dev/null
  openssl pkey -pubin -inform DER -in "$dir/$kind.pub.der" -out "$dir/$kind.pub.pem"
  openssl x509 -new -subj "/CN=Mahbuba Abdullaeva (TOKEN TEST)/O=pressroom tests" \
    -force_pubkey "$dir/$kind.pub.pem" -CA tests/keys/ca.pem -CAkey tests/keys/ca.key.pem \
    -set_serial "0x70$id" -days 3650 -extfile tests/keys/test-ca.cnf -extensions signer_ext \
    -outform DER -out "$dir/$kind.cert.der" 2>/dev/null
  p11 --write-object "$dir/$kind.cert.der" --type cert --id "$id" --label "$label" >/dev/null
done
echo "token \"Press Office\" in $dir (SOFTHSM2_CONF=$dir/softhsm2.conf)"
