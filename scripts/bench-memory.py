#!/usr/bin/env python3
"""The translation memory on a whole archive: a generated archive of N
releases x 3 languages (the reference release under new ids, as
scripts/bench.py makes it), served by `pressroom serve`; the time of the
first suggestion (the memory made from the archive, then looked up) and of
later lookups (`GET /api/release/<id>/tg/suggest/body`, for 20 releases in
turn), side by side with an archive of one release.

usage: scripts/bench-memory.py [--pressroom BIN] [--releases 1000] [--lookups 20]
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the archive's set-up)


def distinct(archive, ids):
    """Every release's paragraphs made its own (a number at the end of
    each, in English and Tajik alike): no unit repeats, the memory's worst
    case, as every paragraph still shares nearly all its trigrams."""
    for i, rid in enumerate(ids):
        for lang in ("en", "tg"):
            path = os.path.join(archive, "locales", lang, "releases", f"{rid}.ftl")
            text = open(path, encoding="utf-8").read()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.replace("\n\n", f" ({i})\n\n"))


def measure(pressroom, releases, lookups, unique):
    with tempfile.TemporaryDirectory() as tmp:
        archive = os.path.join(tmp, "archive")
        bench.make_archive(archive, releases)
        ids = sorted(f[:-5] for f in os.listdir(os.path.join(archive, "releases")))
        if unique:
            distinct(archive, ids)
        proc = subprocess.Popen([pressroom, "--root", archive, "serve", "--port", "0"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        port = None
        for line in proc.stdout:
            if line.startswith("serving http://127.0.0.1:"):
                port = int(line.split(":")[2].split("/")[0])
            if line.startswith("watching"):
                break
        try:
            def suggest(release):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
                t = time.perf_counter()
                conn.request("GET", f"/api/release/{release}/tg/suggest/body",
                             headers={"Host": f"127.0.0.1:{port}"})
                response = conn.getresponse()
                body = response.read()
                assert response.status == 200, body[:200]
                return time.perf_counter() - t, body
            first, _ = suggest(ids[0])
            times = []
            found = 0
            for i in range(lookups):
                took, body = suggest(ids[(i * 7919) % len(ids)])
                times.append(took)
                found += body.count(b'"score"')
            times.sort()
            return {
                "first": first * 1000,
                "p50": statistics.median(times) * 1000,
                "p90": times[int(0.9 * (len(times) - 1))] * 1000,
                "found": found / lookups,
            }
        finally:
            proc.terminate()
            proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pressroom", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(bench.ROOT, "target")), "release", "pressroom"))
    ap.add_argument("--releases", type=int, default=1000)
    ap.add_argument("--lookups", type=int, default=20)
    ap.add_argument("--repeated", action="store_true",
                    help="releases repeat one text (units shared) instead of each its own")
    a = ap.parse_args()
    one = measure(a.pressroom, 1, a.lookups, not a.repeated)
    many = measure(a.pressroom, a.releases, a.lookups, not a.repeated)
    kind = "one text repeated" if a.repeated else "every paragraph distinct"
    print(f"translation memory, {a.pressroom}; {os.cpu_count()} cores; {kind}")
    print(f"{'':34} {'1 release':>12} {f'{a.releases} releases':>14} {'ratio':>7}")
    for key, label in [("first", "first suggestion (memory made)"), ("p50", "lookup, p50"),
                       ("p90", "lookup, p90")]:
        ratio = f"{many[key] / one[key]:.1f}×" if one[key] else "—"
        print(f"{label:34} {one[key]:>9.1f} ms {many[key]:>11.1f} ms {ratio:>7}")
    print(f"{'suggestions per lookup':34} {one['found']:>12.1f} {many['found']:>14.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
