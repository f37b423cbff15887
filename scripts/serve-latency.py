#!/usr/bin/env python3
"""Measures `verbatim serve`: the time from saving one transcript to the
reload event an open tab receives, and to the moment the edited page, fetched
again as the reloaded tab does, holds the new text.

    python3 /work/shared/bench/gen_corpus.py --n 1000 --out /tmp/c1k --layouts plain
    python3 scripts/serve-latency.py --site /tmp/c1k/plain --runs 20

The site folder needs content/; a site.toml is written if it has none.
Standard library only.
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time


def get(port, path):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while True:
            data = s.recv(65536)
            if not data:
                break
            chunks.append(data)
    return b"".join(chunks).decode("utf-8", "replace")


class Events:
    """An open /__verbatim/events stream."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.sendall(b"GET /__verbatim/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        self.seen = ""

    def drain(self, quiet_for=0.3):
        """Forgets events until none has come for `quiet_for` seconds."""
        while True:
            self.sock.settimeout(quiet_for)
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                self.seen = ""
                return
            if not data:
                raise SystemExit("the event stream closed")

    def wait_for(self, name, timeout=10.0):
        marker = f"event: {name}\n"
        deadline = time.monotonic() + timeout
        while marker not in self.seen:
            if time.monotonic() > deadline:
                raise SystemExit(f"no {name} event within {timeout} s; got {self.seen[-300:]!r}")
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                continue  # the deadline check above ends the wait
            if not data:
                raise SystemExit("the event stream closed")
            self.seen += data.decode("utf-8", "replace")
        self.seen = self.seen.split(marker, 1)[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", required=True, help="site folder with content/")
    parser.add_argument("--binary", default="target/release/verbatim")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    site = os.path.abspath(args.site)
    if not os.path.exists(os.path.join(site, "site.toml")):
        with open(os.path.join(site, "site.toml"), "w") as f:
            f.write('title = "Latency benchmark"\n')
    files = sorted(
        os.path.join(dp, n)
        for dp, _, names in os.walk(os.path.join(site, "content"))
        for n in names
        if n.endswith(".md")
    )
    server = subprocess.Popen(
        [args.binary, "serve", "--port", "0", "--quiet", "--root", site],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        started = time.monotonic()
        port = None
        for line in server.stdout:
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if m:
                port = int(m.group(1))
                break
        if port is None:
            raise SystemExit("verbatim serve did not start")
        print(f"{len(files)} transcripts; first build and start: {time.monotonic() - started:.2f} s")
        events = Events(port)
        events.wait_for("ready")

        to_event, to_page = [], []
        for run in range(args.runs):
            path = files[(run * 37) % len(files)]
            with open(path, encoding="utf-8") as f:
                text = f.read()
            marker = f"latency-marker-{run}-{time.time_ns()}"
            # An edit inside the last turn: the page that shows it changes.
            edited = text.rstrip("\n") + f" {marker}\n"
            events.drain()  # the previous rebuilds are over
            slug = os.path.splitext(os.path.basename(path))[0]
            t0 = time.monotonic()
            with open(path, "w", encoding="utf-8") as f:
                f.write(edited)
            t1 = None
            try:
                while True:
                    # An editor's save can come as two bursts of file events
                    # and so two rebuilds; the page counts once it shows the
                    # edit.
                    events.wait_for("reload")
                    t1 = t1 or time.monotonic()
                    page = get(port, f"/{slug}/full/")
                    if marker in page:
                        t2 = time.monotonic()
                        break
            finally:
                # The transcript as it was, whatever happened.
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            to_event.append((t1 - t0) * 1000)
            to_page.append((t2 - t0) * 1000)

        def show(name, xs):
            xs = sorted(xs)
            p95 = xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]
            print(f"{name}: median {statistics.median(xs):.0f} ms, p95 {p95:.0f} ms, max {xs[-1]:.0f} ms")

        print(f"{args.runs} saves of one transcript:")
        show("  save -> first reload event      ", to_event)
        show("  save -> page with the edit served", to_page)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
