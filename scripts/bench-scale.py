#!/usr/bin/env python3
"""pressroom on a whole archive: a generated archive of N releases x 3
languages (the reference release under new ids, as scripts/bench.py makes
it), measured for what a translator waits for.

watch  time until "watching" when the drafts are up to date (after one
       `build --draft`), and its resident memory then; after a plain
       `build` (finals only): time until "watching", until every draft is
       caught up in the background, and save -> PDF during the catch-up;
serve  time until the index answers, time from opening a release's page
       (its event stream, as a tab does) until its pages are rendered,
       for 20 releases in turn; resident memory after those 20, and after
       100 saves spread over them (each waited for).

usage: scripts/bench-scale.py [--pressroom BIN] [--releases 1000] [--opened 20] [--saves 100]
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import tempfile
import threading
import time

import bench


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def start(cmd, until):
    """Starts cmd; returns (process, seconds until a stdout line starts with `until`, the line)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:
        if line.startswith(until):
            return proc, time.perf_counter() - started, line
    raise SystemExit(f"{' '.join(cmd)} never printed {until!r}")


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def open_stream(port, release):
    """A tab's event stream for `release`, kept open; returns the socket."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(f"GET /release/{release}/events HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    sock.recv(256)
    # Keep reading so the server never counts the tab as gone.
    threading.Thread(target=lambda: [None for _ in iter(lambda: sock.recv(65536), b"")], daemon=True).start()
    return sock


def rendered(port, release, langs=3):
    status, body = get(port, f"/release/{release}/state.json")
    if status != 200:
        return False
    outputs = json.loads(body)["outputs"]
    return sum(1 for o in outputs.values() if o["pages"]) >= langs


def fetch_pages(port, release, state=None):
    """Fetches the page images a tab shows (the bitmaps, as the preview
    does), as a browser would after the release's state or an event."""
    if state is None:
        _, state = get(port, f"/release/{release}/state.json")
    for output in json.loads(state)["outputs"].values():
        for page in output["pages"]:
            get(port, page.get("raster") or page["src"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pressroom", default=os.path.join(bench.ROOT, "target/release/pressroom"))
    ap.add_argument("--releases", type=int, default=1000)
    ap.add_argument("--opened", type=int, default=20)
    ap.add_argument("--saves", type=int, default=100)
    a = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        archive = os.path.join(tmp, "archive")
        bench.make_archive(archive, a.releases)
        ids = sorted(f[:-5] for f in os.listdir(os.path.join(archive, "releases")))
        base = [a.pressroom, "--root", archive]

        # watch after finals only: watching at once, drafts caught up behind.
        built, _ = bench.run([*base, "-q", "build"])
        proc, after_build, line = start([*base, "watch"], "watching")
        saves = []
        for i in range(5):
            release = ids[(i * 7919) % len(ids)]
            path = os.path.join(archive, "locales", "tg", "releases", f"{release}.ftl")
            text = open(path, encoding="utf-8").read()
            with open(path + ".tmp", "w", encoding="utf-8") as f:
                f.write(text.replace("title = ", f"title = {i} ", 1))
            t = time.perf_counter()
            os.rename(path + ".tmp", path)
            want = f"built out/drafts/{release}.tg.draft.pdf"
            for out in proc.stdout:
                if out.startswith(want):
                    saves.append(time.perf_counter() - t)
                    break
            time.sleep(0.2)
        for out in proc.stdout:
            if out.startswith("caught up: "):
                break
        caught_up = float(out.split(" in ")[1].split(" s")[0])
        proc.terminate()
        proc.wait()

        # watch, drafts up to date.
        drafted, _ = bench.run([*base, "-q", "build", "--draft"])
        proc, watching, line = start([*base, "watch"], "watching")
        watch_rss = rss_mib(proc.pid)
        proc.terminate()
        proc.wait()

        # serve.
        proc, serving, line = start([*base, "serve", "--port", "0"], "serving")
        port = int(line.split("127.0.0.1:")[1].split("/")[0])
        t = time.perf_counter()
        status, _ = get(port, "/")
        index = time.perf_counter() - t
        assert status == 200
        opened = [ids[i * len(ids) // a.opened] for i in range(a.opened)]
        to_pages, tabs = [], []
        for release in opened:
            t = time.perf_counter()
            tabs.append(open_stream(port, release))
            deadline = time.time() + 60
            while not rendered(port, release):
                if time.time() > deadline:
                    raise SystemExit(f"{release} was never rendered")
                time.sleep(0.005)
            to_pages.append(time.perf_counter() - t)
            fetch_pages(port, release)
        after_open = rss_mib(proc.pid)
        for i in range(a.saves):
            release = opened[i % len(opened)]
            path = os.path.join(archive, "locales", "tg", "releases", f"{release}.ftl")
            text = open(path, encoding="utf-8").read()
            _, before = get(port, f"/release/{release}/state.json")
            with open(path + ".tmp", "w", encoding="utf-8") as f:
                f.write(text.replace("title = ", f"title = {i} ", 1))
            os.rename(path + ".tmp", path)
            deadline = time.time() + 30
            while time.time() < deadline:
                _, now = get(port, f"/release/{release}/state.json")
                if json.loads(now)["outputs"]["tg"]["pdf"] != json.loads(before)["outputs"]["tg"]["pdf"]:
                    fetch_pages(port, release, now)
                    break
                time.sleep(0.005)
        after_saves = rss_mib(proc.pid)
        for tab in tabs:
            tab.close()
        proc.terminate()
        proc.wait()

    print(f"archive of {a.releases} releases x 3 languages ({a.pressroom}):")
    print(f"  build (finals only)                          {built:8.2f} s")
    print(f"  watch after it: 'watching'                   {after_build:8.2f} s   target < 2 s")
    print(f"  watch after it: every draft caught up        {caught_up:8.2f} s   (in the background)")
    print(f"  watch after it: save -> PDF during catch-up  {statistics.median(saves) * 1000:8.0f} ms median, "
          f"{max(saves) * 1000:.0f} ms max")
    print(f"  build --draft (to make the drafts current)   {drafted:8.2f} s")
    print(f"  watch: 'watching', drafts up to date         {watching:8.2f} s   target < 2 s")
    print(f"  watch: resident memory then                  {watch_rss:8.0f} MiB")
    print(f"  serve: 'serving'                             {serving:8.2f} s")
    print(f"  serve: the index answered                    {index * 1000:8.0f} ms  target < 1 s")
    print(f"  serve: open a release -> its pages, median   {statistics.median(to_pages) * 1000:8.0f} ms  target < 1 s")
    print(f"  serve: open a release -> its pages, max      {max(to_pages) * 1000:8.0f} ms")
    print(f"  serve: resident memory, {a.opened} releases opened   {after_open:8.0f} MiB  target < 300 MiB")
    print(f"  serve: resident memory, after {a.saves} saves      {after_saves:8.0f} MiB")


if __name__ == "__main__":
    main()
