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
dir="$(realpath -m "$1")"; ocsp_port="$2"; crl_port="$3"
mkdir -p "$dir/new" "$dir/crl"
cd "$dir"
: > index.txt
echo 1000 > serial
echo 1000 > crlnumber
cat > ca.cnf <<CNF
[ca]
default_ca = test
[test]
dir = $dir
certificate = $dir/ca.pem
private_key = $dir/ca.key.pem
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
default_crl_days = 30
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
organizationName = optional
[root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[signer]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityInfoAccess = OCSP;URI:http://127.0.0.1:$ocsp_port/
crlDistributionPoints = URI:http://127.0.0.1:$crl_port/ca.crl
[tsa]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityInfoAccess = OCSP;URI:http://127.0.0.1:$ocsp_port/
crlDistributionPoints = URI:http://127.0.0.1:$crl_port/ca.crl
[ocsp]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,OCSPSigning
noCheck = ignored
CNF
key() { openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out "$1"; }
key ca.key.pem
openssl req -new -x509 -key ca.key.pem -subj "/CN=pressroom LTV TEST CA - not for real use/O=pressroom tests" \
  -days 7300 -config ca.cnf -extensions root -out ca.pem 2>/dev/null
issue() { # name subject extensions days
  key "$1.key.pem"
  openssl req -new -key "$1.key.pem" -subj "$2" -out "$1.csr"
  openssl ca -batch -config ca.cnf -extensions "$3" -days "$4" \
    -in "$1.csr" -out "$1.pem" -notext 2>/dev/null
}
# The officer's certificate lives 2 days, so a validation a month on sees it
# expired: only the embedded data and the document timestamp can vouch then.
issue signer "/CN=Mahbuba Abdullaeva (LTV TEST)/O=pressroom tests" signer 2
issue revoked "/CN=A Former Officer (LTV TEST)/O=pressroom tests" signer 3650
issue tsa "/CN=pressroom LTV TEST timestamps/O=pressroom tests" tsa 3650
issue responder "/CN=pressroom LTV TEST OCSP/O=pressroom tests" ocsp 3650
# Revoked well before any signature made today.
openssl ca -batch -config ca.cnf -revoke revoked.pem -crl_reason keyCompromise 2>/dev/null
openssl ca -batch -config ca.cnf -gencrl -out crl/ca.crl.pem 2>/dev/null
openssl crl -in crl/ca.crl.pem -outform DER -out crl/ca.crl
echo "test PKI in $dir (OCSP on 127.0.0.1:$ocsp_port, CRL on 127.0.0.1:$crl_port)"
