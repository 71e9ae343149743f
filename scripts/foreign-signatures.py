#!/usr/bin/env python3
"""`pressroom verify` against signatures pressroom did not make: pyHanko
signs the reference PDF with keys other tools hand out — RSA-3072 with
RSASSA-PSS, ECDSA P-384 with SHA-384, RSA-2048 with SHA-512, Ed25519 —
each certified by the throwaway test CA (tests/keys/). pyHanko and
`pressroom verify --trust` must both accept each file, and both reject a
copy with one byte changed inside the signed range.

Then chains that must not be trusted: a signer whose certificate had
expired, one whose key usage does not allow signing, one below a CA whose
path length forbids it. Both must reject each, and pressroom must name the
check that failed.

usage: scripts/foreign-signatures.py PRESSROOM PYHANKO_CLI
"""

import datetime
import os
import subprocess
import sys
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (copy_project, REFERENCE)

KEYS = os.path.join(bench.ROOT, "tests", "keys")
CASES = [
    # name, private key, digest, RSASSA-PSS
    ("rsa3072-pss", lambda: rsa.generate_private_key(65537, 3072), "sha384", True),
    ("ecdsa-p384", lambda: ec.generate_private_key(ec.SECP384R1()), "sha384", False),
    ("rsa2048-sha512", lambda: rsa.generate_private_key(65537, 2048), "sha512", False),
    ("ed25519", ed25519.Ed25519PrivateKey.generate, "sha512", False),
]
failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    failures += 0 if ok else 1


def test_ca():
    ca_key = serialization.load_pem_private_key(open(os.path.join(KEYS, "ca.key.pem"), "rb").read(), None)
    ca = x509.load_pem_x509_certificate(open(os.path.join(KEYS, "ca.pem"), "rb").read())
    return ca_key, ca


def usage(sign=True, certs=False):
    return x509.KeyUsage(digital_signature=sign, content_commitment=sign, key_encipherment=not sign and not certs,
                         data_encipherment=False, key_agreement=False, key_cert_sign=certs,
                         crl_sign=certs, encipher_only=False, decipher_only=False)


def certify(key, name, directory, issuer=None, valid=(2020, 2050), key_usage=None, ca_path=None):
    """A certificate for `key` from `issuer` ((key, cert); the test CA by
    default), a CA's when `ca_path` is given (its path length, or -1 for
    none); returns (key path, cert path, cert)."""
    ca_key, ca = issuer or test_ca()
    is_ca = ca_path is not None
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Foreign signer {name} (TEST)")]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime.datetime(valid[0], 1, 1))
        .not_valid_after(datetime.datetime(valid[1], 1, 1))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=ca_path if is_ca and ca_path >= 0 else None),
                       critical=True)
        .add_extension(key_usage or usage(sign=not is_ca, certs=is_ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key_path, cert_path = bench.write_pem(directory, name, key, cert)
    return key_path, cert_path, cert


def verdicts(pressroom, pyhanko, pdf):
    ca = os.path.join(KEYS, "ca.pem")
    theirs = subprocess.run([pyhanko, "sign", "validate", "--no-revocation-check", "--trust", ca,
                             "--trust-replace", pdf], capture_output=True, text=True)
    accepted = theirs.returncode == 0 and ":INTACT:TRUSTED," in theirs.stdout + theirs.stderr
    ours = subprocess.run([pressroom, "--color", "never", "verify", pdf, "--trust", ca],
                          capture_output=True, text=True)
    return accepted, ours.returncode == 0, ours.stdout


def sign(unsigned, signed, key_path, cert_path, chain, digest="sha256", pss=False):
    signer = signers.SimpleSigner.load(key_path, cert_path, ca_chain_files=tuple(chain),
                                       key_passphrase=None, prefer_pss=pss)
    with open(unsigned, "rb") as inf, open(signed, "wb") as outf:
        meta = signers.PdfSignatureMetadata(field_name="Signature1", md_algorithm=digest)
        signers.sign_pdf(IncrementalPdfFileWriter(inf), meta, signer=signer, output=outf)


def main():
    pressroom, pyhanko = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        unsigned = bench.unsigned_pdf(pressroom, tmp)
        ca_file = os.path.join(KEYS, "ca.pem")
        for name, make_key, digest, pss in CASES:
            key_path, cert_path, _ = certify(make_key(), name, tmp)
            signed = os.path.join(tmp, f"{name}.pdf")
            sign(unsigned, signed, key_path, cert_path, [ca_file], digest, pss)
            theirs, ours, shown = verdicts(pressroom, pyhanko, signed)
            check(theirs and ours, f"{name} ({digest}): pyHanko {'accepts' if theirs else 'REJECTS'}, "
                                   f"pressroom {'accepts' if ours else 'REJECTS'}" + ("" if ours else f"\n{shown}"))
            data = bytearray(open(signed, "rb").read())
            at = data.find(b"/Title")
            data[at + 1] ^= 0x20
            tampered = os.path.join(tmp, f"{name}.tampered.pdf")
            with open(tampered, "wb") as f:
                f.write(data)
            theirs, ours, shown = verdicts(pressroom, pyhanko, tampered)
            check(not theirs and not ours, f"{name} tampered: pyHanko {'accepts' if theirs else 'rejects'}, "
                                           f"pressroom {'accepts' if ours else 'rejects'}")
        # Chains that must not be trusted, and the check pressroom names.
        ec_key = lambda: ec.generate_private_key(ec.SECP256R1())  # noqa: E731
        bad = []
        key_path, cert_path, _ = certify(ec_key(), "expired", tmp, valid=(2010, 2012))
        bad.append(("expired", key_path, cert_path, [ca_file], "had expired"))
        key_path, cert_path, _ = certify(ec_key(), "no-signing", tmp, key_usage=usage(sign=False))
        bad.append(("no signing key usage", key_path, cert_path, [ca_file], "key usage allows neither"))
        int1_key = ec_key()
        int1_key_path, int1_path, int1 = certify(int1_key, "intermediate-1", tmp, ca_path=0)
        int2_key = ec_key()
        int2_key_path, int2_path, int2 = certify(int2_key, "intermediate-2", tmp, issuer=(int1_key, int1), ca_path=-1)
        key_path, cert_path, _ = certify(ec_key(), "too-deep", tmp, issuer=(int2_key, int2))
        bad.append(("path too long", key_path, cert_path, [int2_path, int1_path, ca_file], "path length"))
        for what, key_path, cert_path, chain, reason in bad:
            signed = os.path.join(tmp, f"bad-{what.replace(' ', '-')}.pdf")
            sign(unsigned, signed, key_path, cert_path, chain)
            theirs, ours, shown = verdicts(pressroom, pyhanko, signed)
            check(not theirs and not ours and reason in shown,
                  f"{what}: pyHanko {'accepts' if theirs else 'rejects'}, pressroom "
                  f"{'accepts' if ours else 'rejects'}" + (f" ({reason})" if reason in shown else f"\n{shown}"))
    print(f"{failures} failed" if failures else "pressroom and pyHanko agree on every foreign signature")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
