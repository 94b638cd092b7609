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

ManyConnections (below) is the other half: 200 clients at once on a tap
(no QEMU listening socket in between), keep-alive then Connection:
close, with the stack's own counters (/status.json's "net") as the
second judge: any drop, overflow, retransmission or SYN refused by a
TIME_WAIT connection fails it, and so does a heap that does not come
back to its idle size once the connections are gone.
"""
import errno
import json
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


# ------------------------------------------- 200 connections on a tap

MANY = 200              # connections at once
MANY_S = 6.0            # each phase (keep-alive, then Connection: close)
# Any request (connect included) as slow fails. Keep-alive: nothing but
# serving. Connection: close on a loaded host: the guest may answer a SYN
# after the client's 1 s (then 3 s) SYN timer (every connection thread
# and the receive thread take turns at lwIP's core lock), so the bound
# sits above 3 s and below 7 s, the wait after a SYN lost twice; drops
# themselves are the counters' to catch.
MANY_BOUND_S = {False: 3.0, True: 6.0}
FIRST_PORT = 20000      # close: client i's port (the namespace's own)
HEAP_MARGIN = 64 << 10  # in-use heap at rest, after the load, vs idle
# With SMP (make test SMP=N) lib/sched keeps up to 8 freed thread stacks,
# guarded, for the next threads (a connection thread's: 24 KiB and its
# guard page, rounded): in use, bounded, not a leak.
if cairn.TEST_SMP:
    HEAP_MARGIN += 8 * (32 << 10)
# The heap's peak while MANY keep-alive clients fetch the small page, per
# connection, at most: a connection thread's stack (24 KiB and its guard
# page), lwIP's state and lib/httpd's buffers, which start small and grow
# only for answers that need them (2 KiB in, 2 KiB out). Measured 43 KiB;
# with both buffers at their limits from the start (9 KiB in, 16 KiB
# out) it was 65 KiB, which made the heap's peak follow the connection
# count at 1.5 times the cost (issue 15's heap goal).
PEAK_PER_CONN = 52 << 10
GUEST_IP = "192.168.78.2"
# Counters of /status.json's "net" that must not move under this load:
# each is a drop, an overflow or a wait for a timer. (tx_drops is not
# one: it counts frames refused by a full transmit ring, which QEMU's tap
# back-end fixes at 256 entries; TCP sends them again as soon as the
# device completes some, and tx_missed_wakeups says if that took the
# watchdog.)
# tcp_retrans counts too, less tcp_syn_dups: a SYN-ACK sent again because
# the client, waiting, sent its SYN again is lateness, not a loss.
MUST_STAY = ("lost_retrans", "tcp_dupacks", "tcp_ooseq",
             "tcp_syn_backlog_drops", "tcp_syn_timewait", "tcp_drops",
             "tcp_mem_errors", "tcp_resets_sent", "memp_errors", "rx_drops",
             "tx_missed_wakeups")
# Printed, not judged here: rx_missed_wakeups moved once (+1) in a run
# whose slowest request took 385 ms, so no request waited for the 1 s
# watchdog: likely a frame that arrived as an idle wait ran out (the
# detector's own race). TailLatency judges the warning it logs.
SHOWN = MUST_STAY + ("rx_missed_wakeups",)


def many_load(host, close, conns=MANY, seconds=MANY_S):
    """conns clients at once against host:80 for seconds (run inside the
    namespace). Keep-alive: every connection asks again as soon as it has
    its answer; close: every request on a new connection (Connection:
    close, read to the end), client i always from port FIRST_PORT + i,
    as clients that reuse their ports do: each new connection's SYN
    meets the guest's TIME_WAIT connection of the same addresses (the
    guest closes first). Each latency runs from the connect (its first
    request) or the send to the whole response. Returns {"lat": [...],
    "errors": [...]}."""
    sel = selectors.DefaultSelector()
    req = ("GET /bench.html HTTP/1.1\r\nHost: cairn\r\n%s\r\n" % (
        "Connection: close\r\n" if close else "")).encode()
    lat, errors = [], []
    end = time.monotonic() + seconds
    live = {}

    def start(slot):
        s = socket.socket()
        if close:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("", FIRST_PORT + slot))
            except OSError:     # still closing on this side: any port
                s.close()
                s = socket.socket()
        s.setblocking(False)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        rc = s.connect_ex((host, 80))
        if rc == errno.EADDRNOTAVAIL:   # our last one on it still closing
            s.close()
            s = socket.socket()
            s.setblocking(False)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            rc = s.connect_ex((host, 80))
        if rc not in (0, errno.EINPROGRESS):
            errors.append("connect: %s" % os.strerror(rc))
            s.close()
            return
        live[s] = [time.monotonic(), b"", False, slot]
        sel.register(s, selectors.EVENT_WRITE)

    def done(s, st):
        now = time.monotonic()
        lat.append(now - st[0])
        try:
            check_response(st[1], "/bench.html")
        except AssertionError as e:
            errors.append(str(e))
        return now

    def finish(s):
        sel.unregister(s)
        del live[s]
        s.close()

    for slot in range(conns):
        start(slot)
    while live:
        events = sel.select(timeout=MANY_BOUND_S[close] + 5)
        if not events:
            errors.append("no answer on any of %d connections for %.0f s"
                          % (len(live), MANY_BOUND_S[close] + 5))
            break
        for key, ev in events:
            s = key.fileobj
            st = live[s]
            if not st[2]:               # connected (or refused)
                err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    errors.append("connect: %s" % os.strerror(err))
                    finish(s)
                    continue
                st[2] = True
                s.sendall(req)
                sel.modify(s, selectors.EVENT_READ)
                continue
            try:
                data = s.recv(65536)
            except OSError as e:
                errors.append("recv: %s" % e)
                finish(s)
                continue
            st[1] += data
            if close:
                if data:
                    continue
                done(s, st)
                finish(s)
                if time.monotonic() < end:
                    start(st[3])
                continue
            if not data:
                errors.append("the server closed a keep-alive connection")
                finish(s)
                continue
            n = response_end(st[1])
            if n is None:
                continue
            st[1] = st[1][:n]
            now = done(s, st)
            if now >= end:
                finish(s)
                continue
            st[0], st[1] = now, b""
            s.sendall(req)
    return {"lat": lat, "errors": errors[:20]}


def many_report(lat, what, bound):
    lat = sorted(lat)
    n = len(lat)
    if not n:
        return "%s: no request completed" % what

    def pct(p):
        return lat[min(n - 1, int(n * p / 100))] * 1000
    return ("%s: %d requests, p50 %.1f ms, p99 %.1f ms, max %.0f ms "
            "(bound %.0f ms)" % (what, n, pct(50), pct(99), lat[-1] * 1000,
                                 bound * 1000))


class ManyConnections(unittest.TestCase):
    """200 clients at once on a tap in a namespace (QEMU's user network
    cannot take a burst of connects: its listening socket has a backlog
    of 1, and the host drops the rest, see doc/bench/http.md), keep-alive
    then Connection: close: no request may take MANY_BOUND_S, none of
    the stack's drop and overflow counters may move, the heap's peak
    under keep-alive grows by at most PEAK_PER_CONN per connection, and
    once the
    connections are gone the heap's in-use bytes are back within
    HEAP_MARGIN of the idle figure (the memory of a connection goes with
    it: the peak follows the live connections, not the past ones)."""

    @classmethod
    def setUpClass(cls):
        from support import tapnet
        cls.tapnet = tapnet
        cls.image = cairn.build("apps/httpd", "httpd")
        root = os.path.join(cairn.out_dir("httpd"), "many-rootfs")
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(SITE, root)
        initrd = os.path.join(cairn.out_dir("httpd"), "many-initrd.cpio")
        subprocess.run([cairn.PYTHON, os.path.join(cairn.ROOT, "support",
                                                   "mkinitrd.py"),
                        root, initrd], check=True, capture_output=True)
        cls.ns = "cairn-tail-%d" % os.getpid()
        cls.nsx = tapnet.make_namespace(
            cls.ns, [("tap0", "192.168.78.1/24",
                      (GUEST_IP, "52:54:00:cb:78:02"))])
        cls.guest = Guest(cls.image, wrap=cls.nsx, params=(
            "httpd.access_log=0 net.ip=%s/24" % GUEST_IP),
            launcher_args=("--initrd", initrd, "--extra",
                           "-netdev tap,id=t0,ifname=tap0,script=no,"
                           "downscript=no -device virtio-net-pci,"
                           "netdev=t0,mac=52:54:00:cb:78:02"))
        try:
            cls.guest.wait_for(r"httpd: serving /www on port 80", 120)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.guest.stop()
        cls.tapnet.delete_namespace(cls.ns)

    def in_ns(self, code, timeout):
        """Runs code (with this module imported) in the namespace; the
        JSON it prints."""
        p = subprocess.run(list(self.nsx) + [
            cairn.PYTHON, "-c", "import json, sys; sys.path.insert(0, %r); "
            "import test_http_tail as t; print(json.dumps(%s))"
            % (os.path.dirname(os.path.abspath(__file__)), code)],
            capture_output=True, text=True, timeout=timeout)
        if p.returncode:
            raise AssertionError("client in the namespace failed:\n"
                                 + p.stdout[-2000:] + p.stderr[-2000:])
        return json.loads(p.stdout)

    def status(self):
        return self.in_ns("t.status(%r)" % GUEST_IP, 60)

    def at_rest(self):
        """/status.json once the load's connections are gone: only the
        status request's own is open, and no connection is left in
        TIME_WAIT (each holds a PCB on the heap for 2 * TCP_MSL = 2 s,
        counted from lwIP's 500 ms timer, later than that when TCG runs
        the guest slowly: a fixed wait read the heap with some still
        there). status() closes its connections from the host's side,
        so they leave no TIME_WAIT in the guest."""
        end = time.monotonic() + 30
        while True:
            st = self.status()
            if ((st["open_connections"] <= 1 and st["tcp_active"] <= 1
                 and st["tcp_timewait"] == 0) or time.monotonic() > end):
                break
            time.sleep(0.5)
        self.assertEqual((st["tcp_timewait"], st["tcp_active"]), (0, 1),
                         "connections in TIME_WAIT or other states (the "
                         "status request's own aside) 30 s after the "
                         "load: %r" % st)
        return st

    def test_200_connections_keep_alive_then_close(self):
        idle = self.status()
        before = idle
        rest = []
        for close in (False, True):
            what = "%d connections, %s" % (MANY, "Connection: close"
                                           if close else "keep-alive")
            r = self.in_ns("t.many_load(%r, %r)" % (GUEST_IP, close),
                           MANY_S + 120)
            bound = MANY_BOUND_S[close]
            report = many_report(r["lat"], what, bound)
            print("\n" + report)
            after = self.at_rest()
            for st in (before, after):
                st["net"]["lost_retrans"] = (st["net"]["tcp_retrans"] -
                                             st["net"]["tcp_syn_dups"])
            moved = {k: after["net"][k] - before["net"][k]
                     for k in SHOWN
                     if after["net"][k] != before["net"][k]}
            print("  counters: %s; %d SYNs ended a TIME_WAIT, %d came "
                  "again (late SYN-ACK); heap in use %d bytes (idle %d; "
                  "page tables %d of it), peak %d"
                  % (", ".join("%s +%d" % kv for kv in moved.items())
                     or "no drop, overflow or retransmission",
                     after["net"]["tcp_timewait_reused"] -
                     before["net"]["tcp_timewait_reused"],
                     after["net"]["tcp_syn_dups"] -
                     before["net"]["tcp_syn_dups"],
                     after["heap_used"], idle["heap_used"],
                     after["heap_page_tables"], after["heap_peak"]))
            self.assertEqual(r["errors"], [], report)
            self.assertTrue(r["lat"], report)
            slow = sum(1 for x in r["lat"] if x >= bound)
            self.assertEqual(slow, 0, "%d requests took %.0f ms or more: %s"
                             % (slow, bound * 1000, report))
            moved.pop("rx_missed_wakeups", None)
            self.assertEqual(moved, {}, "%s: the stack dropped or waited "
                             "(counter deltas)" % what)
            self.assertEqual(after["refused"], before["refused"],
                             "%s: httpd refused connections" % what)
            self.assertGreater(after["connections"] - before["connections"],
                               MANY - 1 if not close else MANY * 2, what)
            self.assertLess(live(after), live(idle) + HEAP_MARGIN, "%s: the heap did not come back "
                            "to its idle size" % what)
            if not close:
                per_conn = (after["heap_peak"] - idle["heap_peak"]) / MANY
                print("  heap peak %d bytes, %.1f KiB per connection above "
                      "idle's peak (%d)" % (after["heap_peak"],
                                            per_conn / 1024,
                                            idle["heap_peak"]))
                self.assertLessEqual(per_conn, PEAK_PER_CONN,
                                     "%s: the heap's peak per connection"
                                     % what)
            rest.append(live(after))
            before = after
        # A second round of connections took no more than the first kept.
        self.assertLess(abs(rest[1] - rest[0]), 16 << 10, rest)


def live(st):
    """The heap in use at /status.json's time without the page tables
    that stack guards split out of large pages: those stay once made,
    one per 2 MiB of heap that ever held a stack (a bound, not a leak),
    so the count grows as threads land on new parts of the heap."""
    return st["heap_used"] - st["heap_page_tables"]


def status(host):
    """/status.json of the guest at host (port 80). The request keeps
    the connection alive and this side closes it once the body is in,
    so the TIME_WAIT is the host's and the guest's count of connections
    in TIME_WAIT is the load's alone."""
    s = socket.create_connection((host, 80), timeout=20)
    try:
        s.sendall(b"GET /status.json HTTP/1.1\r\nHost: cairn\r\n\r\n")
        buf = b""
        while b"\r\n\r\n" not in buf:
            b = s.recv(65536)
            if not b:
                raise AssertionError("/status.json: closed after %r"
                                     % buf[:200])
            buf += b
        head, _, body = buf.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200 "):
            raise AssertionError("/status.json: %r" % buf[:200])
        m = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
        if not m:
            raise AssertionError("/status.json without a length: %r" % head)
        while len(body) < int(m.group(1)):
            b = s.recv(65536)
            if not b:
                raise AssertionError("/status.json: closed after %d of %s "
                                     "bytes" % (len(body), m.group(1)))
            body += b
    finally:
        s.close()
    return json.loads(body)


if __name__ == "__main__":
    unittest.main()
