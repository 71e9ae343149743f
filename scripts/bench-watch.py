#!/usr/bin/env python3
"""Save-to-PDF latency of `pressroom watch`, side by side with `typst watch`,
and pressroom's memory over many rebuilds.

A save is an atomic rename of an edited file (as vim, VS Code and JetBrains
save); its latency runs from the rename to the new PDF renamed into place
(the output's inode changes). Both watchers run on the same machine in the
same run, one after the other, on the same document (the reference release
in Russian; typst watches the real layout with the same document model,
as scripts/bench.py sets it up).

usage: scripts/bench-watch.py [--pressroom BIN] [--typst BIN] [--saves 20]
                              [--memory-saves 500]
Without --typst (and no `typst` on PATH) only pressroom is measured.
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the typst baseline's set-up)

REFERENCE = "2015-03-11-eu-central-asia-security-dialogue"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def stamp(path):
    try:
        st = os.stat(path)
        return (st.st_ino, st.st_mtime_ns, st.st_size)
    except FileNotFoundError:
        return None


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Saver:
    """Edits one line of a file by atomic rename, a different word each time."""

    def __init__(self, path, marker):
        self.path, self.marker = path, marker
        self.original = open(path, encoding="utf-8").read()
        self.count = 0

    def save(self):
        self.count += 1
        text = self.original.replace(self.marker, f"{self.marker} правка{self.count}", 1)
        tmp = os.path.join(os.path.dirname(self.path), f".{os.path.basename(self.path)}.swp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        started = time.perf_counter()
        os.replace(tmp, self.path)
        return started


class NoOutput(Exception):
    """The watcher wrote no output: what it said, for the reader."""


def measure(cmd, cwd, saver, out, saves, settle, memory_saves=0, timeout=10.0):
    errors = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors,
                            start_new_session=True)
    latencies, missed, memory = [], 0, {}
    try:
        deadline = time.time() + 120
        while stamp(out) is None:
            if time.time() > deadline or proc.poll() is not None:
                errors.seek(0)
                raise NoOutput(f"{os.path.basename(cmd[0])}: no output appeared; it said:\n"
                               + errors.read()[-2000:])
            time.sleep(0.02)
        time.sleep(1.0)
        total = max(saves, memory_saves)
        for i in range(1, total + 1):
            before = stamp(out)
            started = saver.save()
            while stamp(out) == before:
                if time.perf_counter() - started > timeout:
                    missed += 1
                    break
                time.sleep(0.0005)
            elapsed = (time.perf_counter() - started) * 1000
            if i <= saves:
                latencies.append(elapsed)
            if memory_saves and i in (20, memory_saves):
                time.sleep(0.2)
                memory[i] = rss_kib(proc.pid)
            time.sleep(settle if i <= saves else 0.03)
    finally:
        # It may have ended already (a watcher that failed to start).
        try:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(5)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    latencies.sort()
    return latencies, missed, memory


def summary(latencies):
    p90 = latencies[int(0.9 * (len(latencies) - 1))]
    return statistics.median(latencies), p90


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pressroom", default=os.path.join(ROOT, "target/release/pressroom"))
    ap.add_argument("--typst", default=shutil.which("typst"))
    ap.add_argument("--saves", type=int, default=20)
    ap.add_argument("--memory-saves", type=int, default=500)
    ap.add_argument("--settle", type=float, default=0.3)
    a = ap.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "project")
        bench.copy_project(project)
        ftl = os.path.join(project, f"locales/ru/releases/{REFERENCE}.ftl")
        out = os.path.join(project, f"out/drafts/{REFERENCE}.ru.draft.pdf")
        cmd = [a.pressroom, "--root", project, "watch", REFERENCE, "--lang", "ru"]
        try:
            lat, missed, memory = measure(cmd, project, Saver(ftl, "title = В Душанбе"), out,
                                          a.saves, a.settle, a.memory_saves)
        except NoOutput as why:
            sys.exit(str(why))
        rows.append(("pressroom watch", lat, missed))

        if a.typst:
            typst_dir = bench.typst_roots(tmp, a.pressroom)["ru"]
            data = os.path.join(typst_dir, ".pressroom", "document.json")
            tout = os.path.join(typst_dir, "main.pdf")
            tcmd = bench.typst_compile(a.typst, typst_dir, tout, watch=True)
            # The model as serde_json writes it: no space after the colon.
            marker = '"value":"В Душанбе'
            if marker not in open(data, encoding="utf-8").read():
                print(f"typst watch: the model lacks {marker!r}; not measured", file=sys.stderr)
            else:
                try:
                    tlat, tmissed, _ = measure(tcmd, typst_dir, Saver(data, marker), tout,
                                               a.saves, a.settle)
                    rows.append(("typst watch", tlat, tmissed))
                except NoOutput as why:
                    # Said, and pressroom's figures still printed.
                    print(why, file=sys.stderr)

    print(f"save-to-PDF latency, {a.saves} atomic-rename saves each (ms):")
    print(f"{'watcher':<16} {'median':>8} {'p90':>8} {'max':>8} {'missed':>7}")
    for name, lat, missed in rows:
        median, p90 = summary(lat)
        print(f"{name:<16} {median:8.1f} {p90:8.1f} {lat[-1]:8.1f} {missed:7d}")
    if len(rows) == 2:
        ratio = summary(rows[0][1])[0] / summary(rows[1][1])[0]
        print(f"pressroom/typst median ratio: {ratio:.2f}")
    if memory:
        first, last = memory.get(20), memory.get(a.memory_saves)
        print(f"pressroom resident memory: {first / 1024:.1f} MiB after 20 rebuilds, "
              f"{last / 1024:.1f} MiB after {a.memory_saves} ({(last / first - 1) * 100:+.1f}%)")


if __name__ == "__main__":
    main()
