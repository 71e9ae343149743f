#!/usr/bin/env bash
# Regenerates the THROWAWAY test keys and certificates used by the signing
# tests (OpenSSL 3). None of this is a real key: never use it for anything else.
set -euo pipefail
cd "$(dirname "$0")"
rm -f ./*.pem ./*.p12
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
touch "$work/index.txt"
mkdir -p "$work/new"
# The CA's settings: test-ca.cnf, shared with scripts/test-pki.sh.
export PRESSROOM_CA_DIR="$work" PRESSROOM_OCSP_PORT=0 PRESSROOM_CRL_PORT=0
cnf="$PWD/test-ca.cnf"
issue() { # out, key, subject, extensions, start, end, [selfsign]
  openssl rand -hex 8 > "$work/serial"
  openssl req -new -key "$2" -subj "$3" -out "$work/req.csr"
  if [ "${7:-}" = self ]; then
    openssl ca -batch -config "$cnf" -selfsign -keyfile "$2" -in "$work/req.csr" \
      -extensions "$4" -startdate "$5" -enddate "$6" -notext -out "$1" 2>/dev/null
  else
    openssl ca -batch -config "$cnf" -cert ca.pem -keyfile ca.key.pem -in "$work/req.csr" \
      -extensions "$4" -startdate "$5" -enddate "$6" -notext -out "$1" 2>/dev/null
  fi
}
key() { openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out "$1"; }

key ca.key.pem
issue ca.pem ca.key.pem "/CN=pressroom TEST CA - not for real use/O=pressroom tests" ca_ext 20200101000000Z 20500101000000Z self
signer="/CN=Mahbuba Abdullaeva (TEST)/O=pressroom tests"
key signer.key.pem
issue signer.pem signer.key.pem "$signer" signer_ext 20200101000000Z 20500101000000Z
# The same key encrypted (PKCS#8, PBES2), and key + chain as PKCS#12;
# passphrase "test-passphrase" for both.
openssl pkcs8 -topk8 -in signer.key.pem -v2 aes-256-cbc -passout pass:test-passphrase -out signer.key.enc.pem
openssl pkcs12 -export -inkey signer.key.pem -in signer.pem -certfile ca.pem -passout pass:test-passphrase \
  -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256 -out signer.p12
# An RSA signer (2048 bits, PKCS#1 v1.5 signatures), issued by the same CA.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key.pem 2>/dev/null
issue rsa.pem rsa.key.pem "$signer" signer_ext 20200101000000Z 20500101000000Z
# A timestamp authority for B-T tests (scripts/test-tsa.py answers with it).
key tsa.key.pem
issue tsa.pem tsa.key.pem "/CN=pressroom TEST timestamp authority/O=pressroom tests" tsa_ext 20200101000000Z 20500101000000Z
# Broken on purpose: expired, not yet valid, encipherment only, and a key
# that belongs to no certificate here.
issue expired.pem signer.key.pem "$signer" signer_ext 20100101000000Z 20120101000000Z
issue future.pem signer.key.pem "$signer" signer_ext 20400101000000Z 20500101000000Z
issue encipher.pem signer.key.pem "$signer" encipher_ext 20200101000000Z 20500101000000Z
key other.key.pem
# A forged chain: a certificate with the signer's name, issued by the signer's
# own end-entity certificate (CA:FALSE). Path validation must refuse it.
openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out forged.key.pem
openssl req -new -key forged.key.pem -subj "$signer" -out "$work/forged.csr"
openssl x509 -req -in "$work/forged.csr" -CA signer.pem -CAkey signer.key.pem -set_serial 0x5eed01 \
  -days 9000 -extfile "$cnf" -extensions signer_ext -out forged.pem 2>/dev/null
# An ECDSA P-384 signer (signs with SHA-384), issued by the same CA.
openssl ecparam -name secp384r1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out p384.key.pem
openssl req -new -key p384.key.pem -subj "$signer" -out "$work/p384.csr"
openssl x509 -req -in "$work/p384.csr" -CA ca.pem -CAkey ca.key.pem -set_serial 0x384384 \
  -days 9000 -extfile "$cnf" -extensions signer_ext -out p384.pem 2>/dev/null
# An RSA-PSS signer: the key's own algorithm is RSASSA-PSS, so pressroom signs
# with PSS (SHA-256, MGF1 SHA-256, 32-byte salt), issued by the same CA.
openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out pss.key.pem 2>/dev/null
openssl req -new -key pss.key.pem -subj "$signer" -out "$work/pss.csr"
openssl x509 -req -in "$work/pss.csr" -CA ca.pem -CAkey ca.key.pem -set_serial 0x955955 \
  -days 9000 -extfile "$cnf" -extensions signer_ext -out pss.pem 2>/dev/null
# The same PSS key certified as rsaEncryption (how many tokens and CAs issue
# them): pressroom still signs PSS, chosen from the key. NSS (pdfsig) verifies
# this shape; it does not verify PSS under an rsassaPss certificate.
openssl rsa -in pss.key.pem -RSAPublicKey_out 2>/dev/null | sed 's/RSA-PSS PUBLIC/RSA PUBLIC/' |
  openssl rsa -RSAPublicKey_in -pubout -out "$work/pss-rsaenc.pub.pem" 2>/dev/null
openssl x509 -req -in "$work/pss.csr" -CA ca.pem -CAkey ca.key.pem -set_serial 0x955956 \
  -days 9000 -extfile "$cnf" -extensions signer_ext -force_pubkey "$work/pss-rsaenc.pub.pem" \
  -out pss-rsaenc.pem 2>/dev/null
