#!/usr/bin/env python3
"""Hostile signed PDFs, made with pyHanko's incremental writer and pikepdf:
`pressroom verify` and pyHanko must agree on each (accept or reject), and
pressroom must name why; nothing may hang (each run has a time limit) or
crash (exit 1, never 101 or a signal).

The reference PDF is signed with the test signer (tests/keys/) by pyHanko,
then an update after the signature tries to change what it shows:

- a new page tree disguised as validation data (/DSS), as the document
  information dictionary (trailer /Info), or as a form field (/T);
- shadow attacks (PDF-Insecurity): "hide" (an overlay stream added to the
  page's /Contents), "replace" (the signed content stream redefined under
  its own object number), "hide-and-replace" (the page object itself
  redefined with other contents and resources);
- a second signature field whose value is the first signature: its byte
  range covers another revision than its own, beside a content change;
- a content change written with an xref stream instead of a table;
- a signer whose certificate expired before it signed, back-dated by a
  self-made timestamp authority (pyHanko: the TSA is untrusted, so it
  validates now); and the same file with that TSA trusted, which both accept;
- a signature checked with no trust anchors at all;
- a 2^40-path AcroForm field tree (each node named twice as the next one's
  kid) in an update after the signature, and in an unsigned file.

usage: scripts/attack-corpus.py PRESSROOM PYHANKO_CLI
"""

import datetime
import os
import subprocess
import sys
import tempfile

import pikepdf
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (copy_project, REFERENCE)

KEYS = os.path.join(bench.ROOT, "tests", "keys")
CA = os.path.join(KEYS, "ca.pem")
LIMIT = 60  # seconds: far beyond any honest verification of one file
failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    failures += 0 if ok else 1


def run(cmd):
    """(exit code or "timeout", output); a hang is a failure of its own."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=LIMIT)
        return done.returncode, done.stdout + done.stderr
    except subprocess.TimeoutExpired:
        return "timeout", ""


def pressroom_verdict(pressroom, pdf, trust=(CA,)):
    args = [pressroom, "--color", "never", "verify", pdf]
    for anchor in trust:
        args += ["--trust", anchor]
    return run(args)


def pyhanko_accepts(pyhanko, pdf, trust=(CA,), extra=()):
    args = [pyhanko, "sign", "validate", "--no-revocation-check", "--trust-replace", *extra]
    for anchor in trust:
        args += ["--trust", anchor]
    code, out = run(args + [pdf])
    if code == "timeout":
        return None, out
    return code == 0 and "INTACT:TRUSTED" in out, out


def agree(pressroom, pyhanko, pdf, what, accept, reason=None, trust=(CA,), pyhanko_args=()):
    """Both judge `pdf` as `accept` says; pyhanko=None: only pressroom is
    asked (pyHanko itself does not finish on it)."""
    code, shown = pressroom_verdict(pressroom, pdf, trust)
    if pyhanko is None:
        theirs, their_out = accept, "(not asked: pyHanko 0.38 does not finish on this file)"
    else:
        theirs, their_out = pyhanko_accepts(pyhanko, pdf, trust, pyhanko_args)
    ours = code == 0
    named = reason is None or reason in shown
    crashed = code not in (0, 1)
    ok = not crashed and ours == accept and theirs == accept and named
    detail = "" if ok else f"\n--- pressroom (exit {code}):\n{shown}\n--- pyHanko:\n{their_out[-2000:]}"
    verdict = lambda v: {True: "accepts", False: "rejects", None: "HANGS"}[v]  # noqa: E731
    pyhanko_said = "pyHanko not asked (it does not finish)" if pyhanko is None else f"pyHanko {verdict(theirs)}"
    check(ok, f"{what}: pressroom {verdict(ours) if not crashed else f'EXIT {code}'}, "
              f"{pyhanko_said}" + (f" ({reason})" if reason and named else "") + detail)


def key_and_cert(name, directory, issuer, valid, eku=None, ca=False, use_rsa=False):
    """A P-256 (or RSA-2048) key and its certificate from `issuer` ((key,
    cert), or None for self-signed), valid between the two datetimes."""
    key = rsa.generate_private_key(65537, 2048) if use_rsa else ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} (TEST)")])
    issuer_key, issuer_cert = issuer or (key, None)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_cert.subject if issuer_cert else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid[0])
        .not_valid_after(valid[1])
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=not ca, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                                     crl_sign=ca, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    cert = builder.sign(issuer_key, hashes.SHA256())
    key_path, cert_path = bench.write_pem(directory, name, key, cert)
    return key, cert, key_path, cert_path


def test_ca():
    ca_key = serialization.load_pem_private_key(open(os.path.join(KEYS, "ca.key.pem"), "rb").read(), None)
    return ca_key, x509.load_pem_x509_certificate(open(CA, "rb").read())


def sign(unsigned, signed, key_path, cert_path, timestamper=None, field="Signature1"):
    signer = signers.SimpleSigner.load(key_path, cert_path, ca_chain_files=(CA,), key_passphrase=None)
    with open(unsigned, "rb") as inf, open(signed, "wb") as outf:
        meta = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256")
        signers.sign_pdf(IncrementalPdfFileWriter(inf), meta, signer=signer, timestamper=timestamper, output=outf)


def update(signed, out, change, xref_stream=False):
    """An incremental update of `signed` made by `change(writer)`."""
    with open(signed, "rb") as inf:
        writer = IncrementalPdfFileWriter(inf, strict=False)
        if xref_stream:
            writer.stream_xrefs = True
        change(writer)
        with open(out, "wb") as outf:
            writer.write(outf)


def stream(writer, text):
    return writer.add_object(generic.StreamObject(stream_data=text.encode()))


def forged_page(writer):
    """A page saying FORGED, added to the page tree; the tree's reference."""
    pages_ref = writer.root.raw_get("/Pages")
    pages = pages_ref.get_object()
    first = pages["/Kids"][0]
    font = generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Font"),
        generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
        generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica"),
    })
    page = generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Page"),
        generic.pdf_name("/Parent"): pages_ref,
        generic.pdf_name("/MediaBox"): first["/MediaBox"],
        generic.pdf_name("/Resources"): generic.DictionaryObject({
            generic.pdf_name("/Font"): generic.DictionaryObject({generic.pdf_name("/F1"): font})}),
        generic.pdf_name("/Contents"): stream(writer, "BT /F1 48 Tf 72 400 Td (FORGED) Tj ET"),
    })
    pages["/Kids"].append(writer.add_object(page))
    pages["/Count"] = generic.NumberObject(int(pages["/Count"]) + 1)
    writer.mark_update(pages_ref)
    return pages_ref


def disguise_as_dss(writer):
    writer.root["/DSS"] = forged_page(writer)
    writer.update_root()


def disguise_as_info(writer):
    writer.set_info(forged_page(writer))


def disguise_as_field(writer):
    pages_ref = forged_page(writer)
    pages_ref.get_object()["/T"] = generic.TextStringObject("Signature9")


def first_page(writer):
    ref = writer.root["/Pages"]["/Kids"].raw_get(0)
    return ref, ref.get_object()


def shadow_hide(writer):
    """An overlay: a white box drawn over the page after what was signed."""
    ref, page = first_page(writer)
    contents = page.raw_get("/Contents")
    old = list(contents) if isinstance(contents, generic.ArrayObject) else [contents]
    page["/Contents"] = generic.ArrayObject(old + [stream(writer, "q 1 g 0 0 612 792 re f Q")])
    writer.mark_update(ref)


def shadow_replace(writer):
    """The signed content stream redefined under its own object number."""
    ref, page = first_page(writer)
    contents = page.raw_get("/Contents")
    target = contents[0] if isinstance(contents, generic.ArrayObject) else contents
    replacement = generic.StreamObject(stream_data=b"BT /F1 48 Tf 72 400 Td (FORGED) Tj ET")
    writer.objects[(target.generation, target.idnum)] = replacement


def shadow_hide_and_replace(writer):
    """The page object itself redefined: other contents, other resources."""
    ref, page = first_page(writer)
    page["/Contents"] = stream(writer, "BT /F1 48 Tf 72 400 Td (FORGED) Tj ET")
    page["/Resources"] = generic.DictionaryObject()
    writer.mark_update(ref)


def borrowed_signature(writer):
    """A second field whose value is the first signature (its byte range
    covers revision 1, not the one it is in), beside a content change."""
    shadow_hide(writer)
    form = writer.root["/AcroForm"]
    first = form["/Fields"][0]
    ref, _ = first_page(writer)
    field = generic.DictionaryObject({
        generic.pdf_name("/FT"): generic.pdf_name("/Sig"),
        generic.pdf_name("/T"): generic.TextStringObject("Signature2"),
        generic.pdf_name("/V"): first.raw_get("/V"),
        generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
        generic.pdf_name("/Subtype"): generic.pdf_name("/Widget"),
        generic.pdf_name("/Rect"): generic.ArrayObject([generic.NumberObject(0)] * 4),
        generic.pdf_name("/P"): ref,
    })
    form["/Fields"].append(writer.add_object(field))
    writer.update_container(form)


def field_bomb(writer, depth=40):
    """Fields each naming the next node twice as kids: 2^depth paths."""
    nodes = [writer.add_object(generic.DictionaryObject({
        generic.pdf_name("/T"): generic.TextStringObject(f"n{i}")})) for i in range(depth + 1)]
    for i in range(depth):
        nodes[i].get_object()["/Kids"] = generic.ArrayObject([nodes[i + 1], nodes[i + 1]])
        nodes[i + 1].get_object()["/Parent"] = nodes[i]
    form = writer.root["/AcroForm"]
    form["/Fields"].append(nodes[0])
    writer.update_container(form)


def unsigned_field_bomb(path, depth=40):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    nodes = [pdf.make_indirect(pikepdf.Dictionary(T=pikepdf.String(f"n{i}"))) for i in range(depth + 1)]
    for i in range(depth):
        nodes[i].Kids = pikepdf.Array([nodes[i + 1], nodes[i + 1]])
        nodes[i + 1].Parent = nodes[i]
    nodes[-1].FT = pikepdf.Name.Sig
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([nodes[0]]))
    pdf.save(path)


def dummy_timestamper(tsa_cert, tsa_key, at):
    try:
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    except ImportError:
        from pyhanko.sign.timestamps import DummyTimeStamper
    from asn1crypto import keys, x509 as asn1_x509
    cert = asn1_x509.Certificate.load(tsa_cert.public_bytes(serialization.Encoding.DER))
    key = keys.PrivateKeyInfo.load(tsa_key.private_bytes(serialization.Encoding.DER,
                                                         serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    return DummyTimeStamper(tsa_cert=cert, tsa_key=key, fixed_dt=at)


def main():
    pressroom, pyhanko = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        unsigned = bench.unsigned_pdf(pressroom, tmp)
        signed = os.path.join(tmp, "signed.pdf")
        sign(unsigned, signed, os.path.join(KEYS, "signer.key.pem"), os.path.join(KEYS, "signer.pem"))
        agree(pressroom, pyhanko, signed, "the untouched signed file (control)", True)

        cases = [
            ("a new page tree disguised as validation data", disguise_as_dss, False, "content"),
            ("a new page tree disguised as the Info dictionary", disguise_as_info, False, "content"),
            ("a new page tree disguised as a form field", disguise_as_field, False, "content"),
            ("shadow attack: hide", shadow_hide, False, "content"),
            ("shadow attack: replace", shadow_replace, False, "content"),
            ("shadow attack: hide-and-replace", shadow_hide_and_replace, False, "content"),
            ("a second signature over another revision", borrowed_signature, False, "content"),
            # pyHanko's own diff analysis walks every path of it: not asked.
            ("a 2^40-path field tree after the signature", field_bomb, False, "content"),
        ]
        for what, change, accept, reason in cases:
            out = os.path.join(tmp, what.replace(" ", "-").replace("/", "") + ".pdf")
            update(signed, out, change)
            judge = None if change is field_bomb else pyhanko
            agree(pressroom, judge, out, what, accept, reason)
        out = os.path.join(tmp, "xref-stream.pdf")
        update(signed, out, shadow_hide_and_replace, xref_stream=True)
        check(b"/XRef" in open(out, "rb").read()[os.path.getsize(signed):], "the update is an xref stream")
        agree(pressroom, pyhanko, out, "a content change in an xref-stream update", False, "content")

        # Unsigned and hostile: refused in time, no crash.
        bomb = os.path.join(tmp, "field-bomb.pdf")
        unsigned_field_bomb(bomb)
        code, shown = pressroom_verdict(pressroom, bomb)
        check(code == 1 and "not signed" in shown,
              f"an unsigned 2^40-path field tree ({os.path.getsize(bomb)} bytes): pressroom exit {code}")

        # No trust anchors: no verdict of trust, exit 1; pyHanko: not TRUSTED.
        code, shown = pressroom_verdict(pressroom, signed, trust=())
        theirs, _ = pyhanko_accepts(pyhanko, signed, trust=())
        check(code == 1 and "chain trusted:      not checked" in shown and not theirs,
              f"no trust anchors: pressroom exit {code}, pyHanko {'accepts' if theirs else 'rejects'}")

        # Back-dated: a certificate valid from 20 to 10 days ago, stamped at
        # a time inside its validity by a TSA nobody trusts.
        now = datetime.datetime.now(datetime.timezone.utc)
        days = datetime.timedelta(days=1)
        _, _, old_key, old_cert = key_and_cert("Expired signer", tmp, test_ca(), (now - 20 * days, now - 10 * days))
        tsa_key, tsa_cert, _, tsa_cert_path = key_and_cert(
            "Self-made TSA", tmp, None, (now - 400 * days, now + 400 * days), eku=[ExtendedKeyUsageOID.TIME_STAMPING],
        use_rsa=True)  # pyHanko's dummy authority signs with RSA only
        back = os.path.join(tmp, "back-dated.pdf")
        sign(unsigned, back, old_key, old_cert, timestamper=dummy_timestamper(tsa_cert, tsa_key, now - 15 * days))
        agree(pressroom, pyhanko, back, "an expired certificate back-dated by an untrusted TSA", False,
              "timestamp:          untrusted")
        # pyHanko's validation outside AdES mode is at the present unless
        # told; pressroom uses a trusted timestamp's time, so pyHanko is
        # given that time.
        stamped = (now - 15 * days).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        agree(pressroom, pyhanko, back, "the same with the TSA trusted (control)", True,
              "(trusted)", trust=(CA, tsa_cert_path), pyhanko_args=("--validation-time", stamped))

    print(f"{failures} failed" if failures else "pressroom and pyHanko agree on every hostile file")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
