#!/usr/bin/env bash
# A throwaway PKI whose certificates name services on 127.0.0.1, for the
# long-term levels (B-LT, B-LTA): a root CA; the officer's certificate and a
# timestamp authority's, each naming an OCSP responder (AIA) and a CRL
# (distribution point); and a second officer whose certificate is revoked.
# `openssl ca` keeps the index that `openssl ocsp` answers from.
# usage: scripts/test-pki.sh DIR OCSP_PORT CRL_PORT
#   DIR/ca.pem, signer.pem + signer.key.pem, revoked.pem + revoked.key.pem,
#   tsa.pem + tsa.key.pem, index.txt (for openssl ocsp), crl/ca.crl (to serve).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="$(realpath -m "$1")"; ocsp_port="$2"; crl_port="$3"
mkdir -p "$dir/new" "$dir/crl"
cd "$dir"
: > index.txt
echo 1000 > serial
echo 1000 > crlnumber
# The CA's settings: tests/keys/test-ca.cnf, shared with tests/keys/make.sh.
export PRESSROOM_CA_DIR="$dir" PRESSROOM_OCSP_PORT="$ocsp_port" PRESSROOM_CRL_PORT="$crl_port"
cp "$here/../tests/keys/test-ca.cnf" ca.cnf
key() { openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out "$1"; }
key ca.key.pem
openssl req -new -x509 -key ca.key.pem -subj "/CN=pressroom LTV TEST CA - not for real use/O=pressroom tests" \
  -days 7300 -config ca.cnf -extensions ca_ext -out ca.pem 2>/dev/null
issue() { # name subject extensions days
  key "$1.key.pem"
  openssl req -new -key "$1.key.pem" -subj "$2" -out "$1.csr"
  openssl ca -batch -config ca.cnf -extensions "$3" -days "$4" \
    -in "$1.csr" -out "$1.pem" -notext 2>/dev/null
}
# The officer's certificate lives 2 days, so a validation a month on sees it
# expired: only the embedded data and the document timestamp can vouch then.
issue signer "/CN=Mahbuba Abdullaeva (LTV TEST)/O=pressroom tests" signer_ltv_ext 2
issue revoked "/CN=A Former Officer (LTV TEST)/O=pressroom tests" signer_ltv_ext 3650
issue tsa "/CN=pressroom LTV TEST timestamps/O=pressroom tests" tsa_ltv_ext 3650
issue responder "/CN=pressroom LTV TEST OCSP/O=pressroom tests" ocsp_ext 3650
# Revoked well before any signature made today.
openssl ca -batch -config ca.cnf -revoke revoked.pem -crl_reason keyCompromise 2>/dev/null
openssl ca -batch -config ca.cnf -gencrl -out crl/ca.crl.pem 2>/dev/null
openssl crl -in crl/ca.crl.pem -outform DER -out crl/ca.crl
echo "test PKI in $dir (OCSP on 127.0.0.1:$ocsp_port, CRL on 127.0.0.1:$crl_port)"
