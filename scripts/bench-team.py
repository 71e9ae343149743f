#!/usr/bin/env python3
"""Load on the team service: translators drafting at typing speed while
other people's tabs sit open on event streams.

Each simulated translator signs in, then for the run's length types one
character every --keystroke-ms (a steady typist) into a message of the
reference release and asks for a draft (the pages as they would print) as
the editor does: never two requests in flight, the keys typed meanwhile
going in the next. A keystroke's latency runs from the key to the answer
holding it. Idle people hold event streams open (/release/<id>/events)
the whole time. Errors are answers other than 200 and broken connections.
Peak memory is the server's VmHWM.

The baseline is one translator alone on the same server build, run side by
side in the same invocation; the table prints both and their ratio.

usage: scripts/bench-team.py [--pressroom BIN] [--translators 20]
                             [--idle 200] [--seconds 60] [--keystroke-ms 200]
"""

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = "2015-03-11-eu-central-asia-security-dialogue"
PASSWORD = "a long benchmark password"
# Messages a translator may be typing into (Tajik, the reference release).
MESSAGES = ["title", "body", "background"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup(binary, translators):
    root = tempfile.mkdtemp(prefix="pressroom-bench-team-")
    state = tempfile.mkdtemp(prefix="pressroom-bench-state-")
    for item in ["pressroom.toml", "releases", "locales", "layouts"]:
        src = os.path.join(ROOT, item)
        (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(root, item))
    port = free_port()
    with open(os.path.join(root, "pressroom.toml"), "a", encoding="utf-8") as f:
        f.write(f'\n[server]\nlisten = "127.0.0.1:{port}"\nstate = "{state}"\n')
    with open(os.path.join(root, ".gitignore"), "w") as f:
        f.write("out/\n")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.eu"]
    subprocess.run(git + ["init", "-q"], cwd=root, check=True)
    subprocess.run(git + ["add", "-A"], cwd=root, check=True)
    subprocess.run(git + ["commit", "-qm", "start"], cwd=root, check=True)
    env = dict(os.environ, PRESSROOM_PASSWORD=PASSWORD)
    for i in range(translators):
        subprocess.run([binary, "--root", root, "-q", "user", "add", f"t{i}", "--email",
                        f"t{i}@example.eu", "--role", "translator:tg"], env=env, check=True)
    subprocess.run([binary, "--root", root, "-q", "user", "add", "idle", "--email",
                    "idle@example.eu", "--role", "viewer"], env=env, check=True)
    return root, state, port


def start(binary, root):
    server = subprocess.Popen([binary, "--root", root, "--color", "never", "serve", "--team"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in server.stdout:
        if line.startswith("watching"):
            break
    threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
    return server


class Client:
    def __init__(self, port, name):
        self.port = port
        self.origin = f"http://127.0.0.1:{port}"
        self.cookie, self.csrf = None, ""
        body = json.dumps({"name": name, "password": PASSWORD})
        status, headers, _ = self.request("POST", "/api/signin", body)
        assert status == 200, status
        self.cookie = headers["set-cookie"].split(";")[0]
        status, _, page = self.request("GET", "/")
        self.csrf = page.decode().split('data-csrf="')[1].split('"')[0]

    def request(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookie:
            headers["Cookie"] = self.cookie
            headers["X-Pressroom-Token"] = self.csrf
        if body is not None:
            headers["Origin"] = self.origin
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def translator(port, name, message, seconds, keystroke, results):
    try:
        client = Client(port, name)
        status, _, data = client.request("GET", f"/api/release/{REFERENCE}/tg/message/{message}")
        text = json.loads(data)["text"]
    except (OSError, KeyError, ValueError, AssertionError):
        results.append(([], 1))
        return
    typed = []  # times of keys typed and not yet drawn
    latencies, errors = [], 0
    begin = time.monotonic()
    next_key = begin
    count = 0
    while time.monotonic() - begin < seconds:
        now = time.monotonic()
        while next_key <= now:
            typed.append(next_key)
            count += 1
            next_key += keystroke
        if not typed:
            time.sleep(max(0.0, next_key - now))
            continue
        keys, typed = typed, []
        source = text.rstrip("\n") + " " + "ж" * count + "\n"
        body = json.dumps({"release": REFERENCE, "lang": "tg", "id": message, "source": source})
        try:
            status, _, _ = client.request("POST", "/api/draft", body)
        except OSError:
            status = 0
        done = time.monotonic()
        if status == 200:
            latencies.extend(done - k for k in keys)
        else:
            errors += 1
    results.append((latencies, errors))


def idle_stream(port, client, stop, broken):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall((f"GET /release/{REFERENCE}/events HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n"
                  f"Cookie: {client.cookie}\r\n\r\n").encode())
    sock.settimeout(1)
    head = b""
    try:
        while b"\r\n" not in head:
            head += sock.recv(1024)
        if b" 200 " not in head.split(b"\r\n")[0]:
            broken.append(head.split(b"\r\n")[0])
        while not stop.is_set():
            try:
                if not sock.recv(65536):
                    broken.append(b"closed")
                    return
            except socket.timeout:
                pass
    finally:
        sock.close()


def peak_memory(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return 0


def run(binary, translators, idle, seconds, keystroke):
    root, state, port = setup(binary, translators)
    server = start(binary, root)
    try:
        watcher = Client(port, "idle")
        stop, broken, streams = threading.Event(), [], []
        for _ in range(idle):
            t = threading.Thread(target=idle_stream, args=(port, watcher, stop, broken), daemon=True)
            t.start()
            streams.append(t)
        time.sleep(1)
        results = []
        threads = [threading.Thread(target=translator,
                                    args=(port, f"t{i}", MESSAGES[i % len(MESSAGES)], seconds, keystroke, results))
                   for i in range(translators)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        stop.set()
        latencies = sorted(l for ls, _ in results for l in ls)
        errors = sum(e for _, e in results) + len(broken)
        p90 = latencies[int(0.9 * (len(latencies) - 1))] * 1000 if latencies else float("nan")
        p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
        return {"keys": len(latencies), "p50": p50, "p90": p90, "errors": errors,
                "memory": peak_memory(server.pid)}
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(state, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "pressroom")
    parser.add_argument("--pressroom", default=default)
    parser.add_argument("--translators", type=int, default=20)
    parser.add_argument("--idle", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--keystroke-ms", type=float, default=200)
    args = parser.parse_args()
    keystroke = args.keystroke_ms / 1000
    print(f"pressroom serve --team ({args.pressroom}); {os.cpu_count()} cores; "
          f"a key every {args.keystroke_ms:.0f} ms for {args.seconds:.0f} s")
    base = run(args.pressroom, 1, 0, args.seconds / 2, keystroke)
    load = run(args.pressroom, args.translators, args.idle, args.seconds, keystroke)
    print(f"{'':28} {'1 translator':>14} {f'{args.translators} + {args.idle} idle':>18} {'ratio':>7}")
    for key, label, unit in [("keys", "keystrokes drawn", ""), ("p50", "keystroke → page, p50", " ms"),
                             ("p90", "keystroke → page, p90", " ms"), ("errors", "errors", ""),
                             ("memory", "peak memory", " MiB")]:
        ratio = f"{load[key] / base[key]:.1f}×" if base[key] else "—"
        b = f"{base[key]:.0f}{unit}"
        l = f"{load[key]:.0f}{unit}"
        print(f"{label:28} {b:>14} {l:>18} {ratio:>7}")
    return 1 if load["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
