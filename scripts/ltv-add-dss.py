#!/usr/bin/env python3
"""Adds a DSS holding the given CRL (DER) to a signed PDF, in an incremental
update, with pyHanko's writer and no validation of its own: how the CI gets a
file whose embedded data says its signer was revoked, which pressroom rightly
refuses to make.
usage: ltv-add-dss.py PDF CRL"""
import sys

from asn1crypto import crl
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.validation.dss import DocumentSecurityStore

path, crl_path = sys.argv[1], sys.argv[2]
with open(path, "rb") as f:
    writer = IncrementalPdfFileWriter(f)
    # pyHanko rewrites the XMP on every update (and drops the PDF/A
    # extension schemas doing so): add the DSS and nothing else.
    writer._update_meta = lambda: None
    revocation_list = crl.CertificateList.load(open(crl_path, "rb").read())
    DocumentSecurityStore.supply_dss_in_writer(writer, sig_contents=None, crls=[revocation_list])
    with open(path + ".tmp", "wb") as out:
        writer.write(out)
import os
os.replace(path + ".tmp", path)
