#!/usr/bin/env python3
"""A throwaway RFC 3161 timestamp authority on 127.0.0.1 for signature tests:
answers each POSTed request with `openssl ts -reply`, signed by the test TSA
in tests/keys (tsa.pem, issued by the test CA). A request to /other gets a
genuine token for other data (another imprint, no nonce): what a signer must
refuse. Serves until killed.
usage: scripts/test-tsa.py PORT"""

import http.server
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Another PKI's tsa.pem, tsa.key.pem and ca.pem (scripts/test-pki.sh) when set.
KEYS = os.environ.get("PRESSROOM_TSA_KEYS") or os.path.join(ROOT, "tests", "keys")
CONFIG = """
[tsa]
default_tsa = test_tsa
[test_tsa]
serial = {serial}
crypto_device = builtin
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
other_policies = 1.3.6.1.4.1.99999.2
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with tempfile.TemporaryDirectory() as tmp:
            serial = os.path.join(tmp, "serial")
            with open(serial, "w") as f:
                f.write("01\n")
            config = os.path.join(tmp, "ts.cnf")
            with open(config, "w") as f:
                f.write(CONFIG.format(serial=serial))
            query = os.path.join(tmp, "query.tsq")
            with open(query, "wb") as f:
                f.write(body)
            if self.path.startswith("/other"):
                other = os.path.join(tmp, "other.txt")
                with open(other, "w") as f:
                    f.write("not the signature\n")
                subprocess.run(["openssl", "ts", "-query", "-data", other, "-sha256", "-cert",
                                "-no_nonce", "-out", query], check=True, capture_output=True)
            reply = os.path.join(tmp, "reply.tsr")
            done = subprocess.run(
                ["openssl", "ts", "-reply", "-config", config, "-queryfile", query,
                 "-inkey", os.path.join(KEYS, "tsa.key.pem"), "-signer", os.path.join(KEYS, "tsa.pem"),
                 "-chain", os.path.join(KEYS, "ca.pem"), "-out", reply],
                capture_output=True,
            )
            if done.returncode != 0:
                self.send_error(500, done.stderr.decode(errors="replace")[:200])
                return
            data = open(reply, "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
