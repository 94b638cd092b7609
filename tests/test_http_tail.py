# SPDX-License-Identifier: BSD-3-Clause
"""HTTP tail latency: apps/httpd under a bounded keep-alive load on QEMU
user networking, every request timed by the client.

Twenty connections ask again and again, ten for the 612-byte
bench.html, ten for a 64 KiB file this test adds to the site (a few of
those in flight fill the 256-entry transmit ring). The test prints the
latency histogram and fails when any request takes BOUND_S or longer, or
when the guest reports a receive notification that only the network's
1 s watchdog found. That caught the bugs of issue 15, each of which
stalled every connection until the watchdog:

- under TCG with one vCPU QEMU drops the guest's fences, so the
  virtqueue handshakes ("interrupt me at the next entry, then look
  again" on receive, "publish, then read whether the device wants a
  kick" on transmit) could miss (drivers/virtio/virtq.c);
- a frame refused for a full transmit ring left its TCP segment unsent
  until that connection's next output, which the waiting client never
  caused (lib/lwip/netif.c, retry_refused).

With the fixes the guest answers within a few tens of milliseconds even
on a loaded host; the bound leaves room for that host, it is not a
benchmark.

The connections are opened one after another, each with a first request:
QEMU's user network listens on the forwarded port with a backlog of 1,
so a burst of connects overflows the host's accept queue and waits for
the host's own SYN or data retransmission (0.2-1 s) before QEMU even sees
it. That is the host's doing, whatever the guest; doc/benchmarks.md has
the details.
"""
import os
import re
import selectors
import shutil
import socket
import subprocess
import time
import unittest

import cairn
from test_net import Guest, free_port

# Run with nothing beside it (tests/run.py): it bounds latency, which a
# second guest on the same cores would skew
RUN_ALONE = True

BOUND_S = 0.5           # any request slower than this fails the test
CONNS = 20              # keep-alive connections ...
BIG_CONNS = 10          # ... of which these fetch BIG instead of bench.html
LOAD_S = 30.0           # the load lasts this long ...
MAX_REQUESTS = 400000   # ... or this many requests, whichever comes first
SITE = os.path.join(cairn.ROOT, "apps", "httpd", "rootfs")
SMALL = open(os.path.join(SITE, "www", "bench.html"), "rb").read()
# 64 KiB of varied bytes: a few of these in flight fill the transmit ring.
BIG = bytes((i * 7 + (i >> 8)) & 0xff for i in range(65536))
PAGES = {"/bench.html": SMALL, "/tail-64k.bin": BIG}
BUCKETS_MS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


def request(path):
    return ("GET %s HTTP/1.1\r\nHost: cairn\r\n\r\n" % path).encode()


def response_end(buf):
    """Length of the first complete response in buf, or None."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None
    m = re.search(rb"(?i)\r\ncontent-length: *(\d+)", buf[:end + 2])
    if not m:
        raise AssertionError("response without Content-Length: %r"
                             % buf[:end])
    n = end + 4 + int(m.group(1))
    return n if len(buf) >= n else None


def check_response(resp, path):
    head, _, body = resp.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200 ") or body != PAGES[path]:
        raise AssertionError("bad response to %s: %r" % (path, resp[:300]))


def open_connection(port, path):
    """A keep-alive connection that has already answered one request."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(request(path))
    buf = b""
    while response_end(buf) is None:
        data = s.recv(65536)
        if not data:
            raise AssertionError("connection closed before the response")
        buf += data
    check_response(buf, path)
    s.setblocking(False)
    return s


def load(port):
    """Runs the load; returns the latencies (s) of all requests."""
    paths = ["/tail-64k.bin" if i < BIG_CONNS else "/bench.html"
             for i in range(CONNS)]
    conns = [open_connection(port, p) for p in paths]
    sel = selectors.DefaultSelector()
    state = {}
    lat = []
    end = time.monotonic() + LOAD_S
    for s, path in zip(conns, paths):
        state[s] = [time.monotonic(), b"", path]
        s.sendall(request(path))
        sel.register(s, selectors.EVENT_READ)
    try:
        while state:
            events = sel.select(timeout=2 * BOUND_S + 5)
            if not events:
                raise AssertionError("no answer on any of %d connections "
                                     "for %.0f s" % (len(state),
                                                     2 * BOUND_S + 5))
            for key, _ in events:
                s = key.fileobj
                st = state[s]
                data = s.recv(65536)
                if not data:
                    raise AssertionError("the server closed a keep-alive "
                                         "connection")
                st[1] += data
                n = response_end(st[1])
                if n is None:
                    continue
                now = time.monotonic()
                lat.append(now - st[0])
                check_response(st[1][:n], st[2])
                if st[1][n:]:
                    raise AssertionError("more than one response")
                if now >= end or len(lat) >= MAX_REQUESTS:
                    sel.unregister(s)
                    del state[s]
                    continue
                st[0], st[1] = now, b""
                s.sendall(request(st[2]))
    finally:
        for s in conns:
            s.close()
    return lat


def histogram(lat):
    """The report printed by the test: counts per bucket, percentiles."""
    lat = sorted(lat)
    n = len(lat)

    def pct(p):
        return lat[min(n - 1, int(n * p / 100))] * 1000
    lines = ["%d requests on %d connections (%d of them for 64 KiB) in "
             "%.0f s: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.1f ms "
             "(bound %.0f ms)" % (n, CONNS, BIG_CONNS, LOAD_S, pct(50),
                                  pct(99), pct(99.9), lat[-1] * 1000,
                                  BOUND_S * 1000)]
    lo = 0
    for hi in BUCKETS_MS + (None,):
        count = sum(1 for x in lat if x * 1000 >= lo and
                    (hi is None or x * 1000 < hi))
        label = ("%5d-%-5d ms" % (lo, hi)) if hi else (">= %d ms" % lo)
        lines.append("  %-14s %7d" % (label, count))
        lo = hi
    return "\n".join(lines)


class TailLatency(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build("apps/httpd", "httpd")
        cls.port = free_port()
        # The app's site plus the large file, in this test's own initrd.
        root = os.path.join(cairn.out_dir("httpd"), "tail-rootfs")
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(SITE, root)
        with open(os.path.join(root, "www", "tail-64k.bin"), "wb") as f:
            f.write(BIG)
        initrd = os.path.join(cairn.out_dir("httpd"), "tail-initrd.cpio")
        subprocess.run([cairn.PYTHON, os.path.join(cairn.ROOT, "support",
                                                   "mkinitrd.py"),
                        root, initrd], check=True, capture_output=True)
        cls.guest = Guest(cls.image, params="httpd.access_log=0",
                          launcher_args=(
                              "--net", "user", "--initrd", initrd,
                              "--hostfwd",
                              "tcp:127.0.0.1:%d-:80" % cls.port))
        cls.guest.wait_for(r"httpd: serving /www on port 80")

    @classmethod
    def tearDownClass(cls):
        cls.guest.stop()

    def test_no_request_waits_longer_than_the_bound(self):
        lat = load(self.port)
        report = histogram(lat)
        print("\n" + report)
        lost = re.findall(r".*a receive notification was lost.*",
                          self.guest.output())
        self.assertEqual(lost, [], "the guest missed a notification:\n"
                         + report)
        slow = sum(1 for x in lat if x >= BOUND_S)
        self.assertEqual(slow, 0, "%d requests took %.0f ms or more:\n%s"
                         % (slow, BOUND_S * 1000, report))


if __name__ == "__main__":
    unittest.main()
