# SPDX-License-Identifier: BSD-3-Clause
"""apps/httpd under QEMU user networking, driven with curl and raw sockets:
files, validators, ranges, keep-alive, pipelining, bad input, slow and
excess clients, many clients, and memory that comes back."""
import hashlib
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import unittest

import cairn
from test_net import Guest, free_port, tapnet

sys.path.insert(0, os.path.join(cairn.ROOT, "support"))
import qemu  # noqa: E402  (the launcher's reading of an image's span)

SITE = os.path.join(cairn.ROOT, "apps", "httpd", "rootfs", "www")


def site(name):
    with open(os.path.join(SITE, name), "rb") as f:
        return f.read()


def raw(port, data, timeout=10, until_close=True, want=None):
    """Sends data on a new connection; returns what comes back."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(data)
    got = b""
    try:
        while True:
            if want is not None and got.count(b"HTTP/1.") >= want and \
                    _complete(got, want):
                break
            b = s.recv(65536)
            if not b:
                break
            got += b
    except socket.timeout:
        if until_close:
            raise
    s.close()
    return got


def _complete(data, n):
    """True when data holds n complete responses (Content-Length bodies)."""
    pos = 0
    for _ in range(n):
        end = data.find(b"\r\n\r\n", pos)
        if end < 0:
            return False
        head = data[pos:end].decode(errors="replace")
        m = re.search(r"(?i)content-length: (\d+)", head)
        body = int(m.group(1)) if m and not head.startswith("HTTP/1.1 304") \
            else 0
        if b"HEAD" in data[:0]:
            body = 0
        pos = end + 4 + body
        if pos > len(data):
            return False
    return True


def status_of(resp):
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ", resp)
    return int(m.group(1)) if m else None


# lib/httpd's event-driven mode; the Event* classes at the end run the
# same cases on it (the image built once for them all). It also has
# on-the-fly gzip, for test_httpd_gzip.py (the cases here never accept
# gzip, so they see the same answers).
EVENTS = ("events", ["CONFIG_LIB_HTTPD_EVENTS=y",
                     "CONFIG_LIB_HTTPD_GZIP_DYNAMIC=y"], "event-driven")
THREADS = ("", None, "a thread per connection")
# With SMP in the menu (tests/test_smp.py runs the cases on it with
# cpus = 2 and 4).
SMP_THREADS = ("smp", ["CONFIG_SMP=y"], "a thread per connection")


def httpd_image(mode, plat=None):
    """The apps/httpd image of mode (EVENTS or THREADS)."""
    name = "-".join(["httpd"] + [x for x in (mode[0], plat) if x])
    return cairn.build("apps/httpd", name, mode[1], plat=plat), name


class HttpdImage(unittest.TestCase):
    params = ""
    plat = None     # the default platform; tests/test_arm64.py sets its own
    mode = THREADS
    machine = None  # the platform's default machine
    nic = None      # virtio-net; tests/test_nics.py sets others
    cpus = None     # QEMU's -smp (with mode SMP_THREADS)

    @classmethod
    def setUpClass(cls):
        cls.image, name = httpd_image(cls.mode, cls.plat)
        cls.port = free_port()
        initrd = os.path.join(cairn.out_dir(name), "site.cpio")
        subprocess.run([cairn.PYTHON, os.path.join(cairn.ROOT, "support",
                                                   "mkinitrd.py"),
                        os.path.join(cairn.ROOT, "apps", "httpd", "rootfs"),
                        initrd], check=True, capture_output=True)
        cls.guest = Guest(cls.image, params=cls.params, launcher_args=(
            "--net", "user", "--initrd", initrd, "--hostfwd",
            "tcp:127.0.0.1:%d-:80" % cls.port) +
            (("--machine", cls.machine) if cls.machine else ()) +
            (("--nic", cls.nic) if cls.nic else ()) +
            (("--smp", str(cls.cpus)) if cls.cpus else ()))
        cls.guest.wait_for(r"httpd: serving /www on port 80 \(\d+ "
                           r"connections at most, %s\)" % cls.mode[2])

    @classmethod
    def tearDownClass(cls):
        cls.guest.stop()

    def get(self, path, headers=None, method="GET", body=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r, data


class Files(HttpdImage):
    def test_index_and_its_assets(self):
        r, body = self.get("/")
        self.assertEqual(r.status, 200)
        self.assertEqual(body, site("index.html"))
        self.assertEqual(r.getheader("Content-Type"), "text/html; charset=utf-8")
        self.assertEqual(int(r.getheader("Content-Length")), len(body))
        for path, ctype in (("/style.css", "text/css"),
                            ("/cairn.svg", "image/svg+xml"),
                            ("/bench.html", "text/html; charset=utf-8")):
            r, body = self.get(path)
            self.assertEqual((r.status, r.getheader("Content-Type")),
                             (200, ctype))
            self.assertEqual(body, site(path[1:]))
        self.assertEqual(len(site("bench.html")), 612)
        self.guest.wait_for(r'INFO httpd: 10\.0\.2\.2 "GET /style\.css '
                            r'HTTP/1\.1" 200 %d' % len(site("style.css")))
        self.assertIn("stop QEMU with Ctrl-A X", self.guest.output())
        # The host address comes from the launcher, which set up the
        # forward; the guest does not claim one it cannot know.
        self.assertIn("cairn: tcp 127.0.0.1:%d -> guest port 80: "
                      "http://127.0.0.1:%d/\n" % (self.port, self.port),
                      self.guest.output())
        if self.port != 8080:
            self.assertNotIn("localhost:8080", self.guest.output())

    def test_status_page_says_what_runs(self):
        r, body = self.get("/status.json")
        self.assertEqual(r.status, 200)
        st = json.loads(body)
        self.assertEqual(st["app"], "httpd")
        for lib in ("httpd", "lwip", "vfs", "virtio-net", "sched"):
            self.assertIn(lib, st["libraries"].split())
        self.assertEqual(st["allocator"], "tlsf")
        self.assertEqual(st["scheduler"], "cooperative")
        self.assertGreater(st["uptime_ms"], 0)
        self.assertGreater(st["heap_used"], 0)
        self.assertGreaterEqual(st["requests"], 1)
        # the SMP counters (all zero on a single-CPU image)
        self.assertEqual(st["smp"]["cpus"],
                         self.cpus or int(cairn.TEST_SMP or 1))
        if self.cpus or cairn.TEST_SMP:
            self.assertGreater(st["smp"]["big_lock_taken"], 0)
            self.assertLessEqual(st["smp"]["big_lock_contended"],
                                 st["smp"]["big_lock_taken"])
            self.assertIn("big_lock_slept", st["smp"])
            self.assertGreater(st["smp"]["sched_lock_taken"], 0)
            self.assertLessEqual(st["smp"]["sched_lock_contended"],
                                 st["smp"]["sched_lock_taken"])
            self.assertIn("cpu%d_switches" % (st["smp"]["cpus"] - 1),
                          st["smp"])
        else:
            self.assertEqual(st["smp"]["alloc_lock_taken"], 0)
            self.assertEqual(st["smp"]["big_lock_taken"], 0)
            self.assertEqual(st["smp"]["big_lock_contended"], 0)
            self.assertEqual(st["smp"]["big_lock_slept"], 0)
            self.assertEqual(st["smp"]["sched_lock_taken"], 0)
        self.assertIn("cpu0_switches", st["smp"])
        r, body = self.get("/status")
        self.assertIn(b"What this image is running", body)
        self.assertIn(b"tlsf", body)

    def test_head_has_the_headers_and_no_body(self):
        r, body = self.get("/index.html", method="HEAD")
        self.assertEqual(r.status, 200)
        self.assertEqual(body, b"")
        self.assertEqual(int(r.getheader("Content-Length")),
                         len(site("index.html")))

    def test_validators(self):
        r, _ = self.get("/style.css")
        etag, lm = r.getheader("ETag"), r.getheader("Last-Modified")
        self.assertRegex(etag, r'^"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+"$')
        # INODE-SIZE-MTIME in hex: the size is the file's.
        self.assertEqual(int(etag.strip('"').split("-")[1], 16),
                         len(site("style.css")))
        self.assertRegex(lm, r"^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$")
        r, body = self.get("/style.css", {"If-None-Match": etag})
        self.assertEqual((r.status, body), (304, b""))
        r, body = self.get("/style.css", {"If-Modified-Since": lm})
        self.assertEqual((r.status, body), (304, b""))
        r, body = self.get("/style.css", {"If-None-Match": '"nope"'})
        self.assertEqual(r.status, 200)
        r, _ = self.get("/style.css", {
            "If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"})
        # mtimes from the initrd are its fixed time; older than it -> 200.
        self.assertIn(r.status, (200, 304))

    def test_ranges(self):
        full = site("index.html")
        n = len(full)
        r, body = self.get("/index.html", {"Range": "bytes=0-9"})
        self.assertEqual((r.status, body), (206, full[:10]))
        self.assertEqual(r.getheader("Content-Range"), "bytes 0-9/%d" % n)
        r, body = self.get("/index.html", {"Range": "bytes=-5"})
        self.assertEqual((r.status, body), (206, full[-5:]))
        r, body = self.get("/index.html", {"Range": "bytes=10-"})
        self.assertEqual((r.status, body), (206, full[10:]))
        r, body = self.get("/index.html", {"Range": "bytes=%d-" % n})
        self.assertEqual(r.status, 416)
        self.assertEqual(r.getheader("Content-Range"), "bytes */%d" % n)
        r, body = self.get("/index.html", {"Range": "bytes=0-1,5-6"})
        self.assertEqual((r.status, body), (200, full))

    def test_directories(self):
        r, _ = self.get("/docs")
        self.assertEqual(r.status, 301)
        self.assertEqual(r.getheader("Location"), "/docs/")
        r, body = self.get("/docs/")
        self.assertEqual((r.status, body), (200, site("docs/index.html")))
        r, _ = self.get("/nothing-here.html")
        self.assertEqual(r.status, 404)

    def test_curl_sees_the_site(self):
        p = subprocess.run(["curl", "-sS", "-D", "-", "--max-time", "20",
                            "http://127.0.0.1:%d/" % self.port],
                           capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(b"HTTP/1.1 200 OK", p.stdout)
        self.assertTrue(p.stdout.endswith(site("index.html")))


class Connections(HttpdImage):
    def test_keep_alive_by_default_in_1_1(self):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        for path in ("/", "/style.css", "/cairn.svg"):
            c.request("GET", path)
            r = c.getresponse()
            self.assertEqual(r.read(), site(path[1:] or "index.html"))
        sock = c.sock
        c.close()
        self.assertIsNotNone(sock)

    def test_connection_close_and_http_1_0(self):
        for req in (b"GET /bench.html HTTP/1.1\r\nHost: x\r\n"
                    b"Connection: close\r\n\r\n",
                    b"GET /bench.html HTTP/1.0\r\n\r\n"):
            got = raw(self.port, req)		# returns once the server closes
            self.assertEqual(status_of(got), 200)
            self.assertIn(b"Connection: close", got)
            self.assertTrue(got.endswith(site("bench.html")))
        got = raw(self.port, b"GET /bench.html HTTP/1.0\r\nConnection: "
                  b"keep-alive\r\n\r\nGET /style.css HTTP/1.0\r\n\r\n")
        self.assertEqual(got.count(b"HTTP/1.1 200 OK"), 2)

    def _one_response(self, s):
        """Reads one response with its Content-Length body from s."""
        got = b""
        while not _complete(got, 1):
            b = s.recv(65536)
            if not b:
                break
            got += b
        return got

    def _closed_by_server(self, s, timeout=10):
        s.settimeout(timeout)
        try:
            return s.recv(1) == b""
        except socket.timeout:
            return False

    def test_persistence_as_rfc_9112_says(self):
        body = site("bench.html")
        # HTTP/1.0 asking for keep-alive (a token list, any case): the
        # answer says keep-alive, has a length, and the connection serves
        # a second request.
        for conn in (b"keep-alive", b"Keep-Alive, Upgrade"):
            s = socket.create_connection(("127.0.0.1", self.port),
                                         timeout=10)
            self.addCleanup(s.close)
            s.sendall(b"GET /bench.html HTTP/1.0\r\nConnection: %s\r\n\r\n"
                      % conn)
            got = self._one_response(s)
            head = got[:got.index(b"\r\n\r\n")].decode()
            self.assertEqual(status_of(got), 200, got)
            self.assertRegex(head, r"(?m)^Connection: keep-alive\r$")
            self.assertRegex(head, r"(?m)^Content-Length: %d\r$" % len(body))
            self.assertNotIn("close", head)
            self.assertTrue(got.endswith(body))
            s.sendall(b"GET /style.css HTTP/1.0\r\nConnection: keep-alive"
                      b"\r\n\r\n")
            got = self._one_response(s)
            self.assertEqual(status_of(got), 200, got)
            self.assertTrue(got.endswith(site("style.css")))
            s.close()
        # HTTP/1.0 without it, and 1.1 with "close" (alone or in a list):
        # the answer says close and the server closes after it.
        for req in (b"GET /bench.html HTTP/1.0\r\n\r\n",
                    b"GET /bench.html HTTP/1.0\r\nConnection: Upgrade\r\n"
                    b"\r\n",
                    b"GET /bench.html HTTP/1.1\r\nHost: x\r\nConnection: "
                    b"close\r\n\r\n",
                    b"GET /bench.html HTTP/1.1\r\nHost: x\r\nConnection: "
                    b"Upgrade, CLOSE\r\n\r\n",
                    b"GET /bench.html HTTP/1.0\r\nConnection: keep-alive, "
                    b"close\r\n\r\n"):
            s = socket.create_connection(("127.0.0.1", self.port),
                                         timeout=10)
            self.addCleanup(s.close)
            s.sendall(req)
            got = self._one_response(s)
            self.assertEqual(status_of(got), 200, got)
            self.assertIn(b"\r\nConnection: close\r\n", got, req)
            self.assertNotIn(b"keep-alive", got.lower())
            self.assertTrue(got.endswith(body))
            self.assertTrue(self._closed_by_server(s), req)
            s.close()
        # HTTP/1.1 without the header stays open and says nothing.
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        self.addCleanup(s.close)
        s.sendall(b"GET /bench.html HTTP/1.1\r\nHost: x\r\n\r\n")
        got = self._one_response(s)
        self.assertNotIn(b"Connection:", got)
        self.assertFalse(self._closed_by_server(s, timeout=1))

    def test_ten_pipelined_requests_answered_in_order(self):
        paths = ["/bench.html", "/style.css", "/cairn.svg", "/nope",
                 "/docs/", "/index.html", "/bench.html", "/docs",
                 "/style.css", "/bench.html"]
        req = b"".join(b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % p.encode()
                       for p in paths[:-1])
        req += b"GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" \
            % paths[-1].encode()
        got = raw(self.port, req)
        statuses = [int(s) for s in re.findall(rb"HTTP/1\.1 (\d{3}) ", got)]
        self.assertEqual(statuses, [200, 200, 200, 404, 200, 200, 200, 301,
                                    200, 200])
        self.assertTrue(got.endswith(site("bench.html")))

    def test_pipelined_requests_keep_their_own_headers(self):
        """Each request's Range is its own, though the next one follows
        it in the same buffer (the head was once dropped from the buffer
        before the answer read its headers)."""
        first = (b"GET /bench.html HTTP/1.1\r\nHost: x\r\n"
                 b"Range: bytes=0-9\r\n\r\n")
        second = (b"GET /style.css HTTP/1.1\r\nHost: x\r\nX-Pad: " +
                  b"p" * 200 + b"\r\nRange: bytes=5-14\r\n"
                  b"Connection: close\r\n\r\n")
        got = raw(self.port, first + second)
        self.assertEqual(
            re.findall(rb"HTTP/1\.1 (\d{3}) ", got), [b"206", b"206"], got)
        self.assertIn(b"Content-Range: bytes 0-9/612\r\n", got)
        self.assertIn(b"Content-Range: bytes 5-14/%d\r\n" %
                      len(site("style.css")), got)
        self.assertTrue(got.endswith(site("style.css")[5:15]))
        self.assertIn(b"\r\n\r\n" + site("bench.html")[:10] + b"HTTP/1.1",
                      got)

    def test_body_on_get_is_ignored(self):
        got = raw(self.port, b"GET /bench.html HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Length: 5\r\n\r\nhelloGET /style.css HTTP/1.1\r\n"
                  b"Host: x\r\nConnection: close\r\n\r\n")
        self.assertEqual([int(s) for s in re.findall(rb"HTTP/1\.1 (\d{3}) ",
                                                     got)], [200, 200])
        self.assertTrue(got.endswith(site("style.css")))

    def test_client_leaving_mid_response_does_not_hurt(self):
        for _ in range(5):
            s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
            s.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n" * 50)
            s.recv(100)
            s.close()
        r, body = self.get("/bench.html")
        self.assertEqual(body, site("bench.html"))

class ApacheBench(HttpdImage):
    """A real HTTP/1.0 client. The request timeout is raised from 5 s to
    30 s: it also bounds how long a segment the network lost may take to
    be sent again (issue 15's tail), and this test is about HTTP
    persistence, not about that tail."""
    params = "httpd.keepalive_ms=30000"

    def test_apachebench_keep_alive_http_1_0(self):
        """ab speaks HTTP/1.0 and asks for keep-alive: every request
        is answered on a kept connection. Before the fix the answers
        did not say keep-alive, ab waited for each connection to close
        (httpd.keepalive_ms here) and this ran into its timeout."""
        if not shutil.which("ab"):
            self.fail("ab is missing: install the Debian package "
                      "apache2-utils (support/deps.py test-tools)")
        p = subprocess.run(["ab", "-k", "-c", "20", "-n", "2000", "-s", "30",
                            "http://127.0.0.1:%d/bench.html" % self.port],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertRegex(p.stdout, r"(?m)^Complete requests: +2000$")
        self.assertRegex(p.stdout, r"(?m)^Failed requests: +0$")
        self.assertRegex(p.stdout, r"(?m)^Keep-Alive requests: +2000$")
        self.assertNotIn("Non-2xx responses", p.stdout)  # only when some
        self.assertRegex(p.stdout, r"(?m)^Document Length: +%d bytes$"
                         % len(site("bench.html")))


class BadInput(HttpdImage):
    def check(self, req, status):
        got = raw(self.port, req)
        self.assertEqual(status_of(got), status, got[:300])
        return got

    def test_malformed_and_refused_requests(self):
        self.check(b"GARBAGE\r\n\r\n", 400)
        self.check(b"GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400)
        self.check(b"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n", 501)
        got = self.check(b"POST /index.html HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Length: 2\r\n\r\nhi", 405)
        self.assertIn(b"Allow: GET, HEAD", got)
        self.check(b"GET / HTTP/1.1\r\n\r\n", 400)		# no Host
        self.check(b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505)
        self.check(b"GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400)
        self.check(b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
                   414)
        self.check(b"GET / HTTP/1.1\r\nHost: x\r\n" +
                   b"X-Long: " + b"b" * 9000 + b"\r\n\r\n", 431)
        self.check(b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                   b"chunked\r\n\r\n0\r\n\r\n", 501)

    def test_long_head_under_the_limit_is_served(self):
        """A request head of 8,000 bytes (the limit is 8,192) arrives in
        pieces into an input buffer that starts at 2 KiB and grows as the
        head does: it is answered, and so is a request after it on the
        same connection."""
        head = (b"GET /bench.html HTTP/1.1\r\nHost: x\r\nX-Long: " +
                b"c" * 7950 + b"\r\n\r\n")
        self.assertLess(len(head), 8192)
        got = raw(self.port, head + b"GET /bench.html HTTP/1.1\r\n"
                  b"Host: x\r\nConnection: close\r\n\r\n")
        self.assertEqual(status_of(got), 200, got[:300])
        self.assertEqual(got.count(site("bench.html")), 2, got[:300])

    def test_nothing_outside_the_root_is_readable(self):
        secret = b"outside the document root"
        for target in (b"/../private.txt", b"/%2e%2e/private.txt",
                       b"/%2E%2E%2Fprivate.txt", b"/docs/../../private.txt",
                       b"/..\\private.txt", b"/%5c..%5cprivate.txt",
                       b"/private.txt%00.html", b"/./../private.txt"):
            got = raw(self.port, b"GET " + target +
                      b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            self.assertIn(status_of(got), (400, 404), target)
            self.assertNotIn(secret, got, target)

    def test_still_serving_after_all_that(self):
        r, body = self.get("/bench.html")
        self.assertEqual(body, site("bench.html"))


class SlowClients(HttpdImage):
    params = "httpd.keepalive_ms=1000"

    def test_slowloris_times_out_while_others_are_served(self):
        slow = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        slow.sendall(b"GET / HTTP/1.1\r\nHo")
        start = time.time()
        r, body = self.get("/bench.html")
        self.assertEqual(body, site("bench.html"))
        got = b""
        try:
            for _ in range(3):		# a byte every 0.4 s: still too slow
                time.sleep(0.4)
                slow.sendall(b"s")
            while True:
                b = slow.recv(1000)
                if not b:
                    break
                got += b
        except (ConnectionResetError, BrokenPipeError):
            pass
        slow.close()
        self.assertIn(status_of(got), (408, None), got)
        self.assertLess(time.time() - start, 8)



class ExcessClients(HttpdImage):
    params = "httpd.max_conns=6"

    def test_more_connections_than_the_limit_get_503(self):
        # QEMU's user network accepts a burst of connects slowly (its
        # listen backlog is tiny): open them one by one, with time to land.
        idle = []
        for _ in range(6):
            s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
            idle.append(s)
            time.sleep(0.2)
        time.sleep(0.5)
        got = raw(self.port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual(status_of(got), 503)
        self.assertIn(b"Retry-After", got)
        for s in idle:
            s.close()
        time.sleep(1.0)		# their threads see the close; room again
        r, body = self.get("/bench.html")
        self.assertEqual(body, site("bench.html"))


class Memory(HttpdImage):
    def free_bytes(self):
        r, body = self.get("/status.json")
        st = json.loads(body)
        return st["heap_total"] - st["heap_used"]

    def test_memory_comes_back_after_20000_requests(self):
        def burst(n, conns=8):
            def worker():
                c = http.client.HTTPConnection("127.0.0.1", self.port,
                                               timeout=60)
                for _ in range(n // conns):
                    c.request("GET", "/bench.html")
                    c.getresponse().read()
                c.close()
            ts = [threading.Thread(target=worker) for _ in range(conns)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
        burst(100)
        time.sleep(0.5)
        before = self.free_bytes()
        burst(20000)
        time.sleep(1.0)
        after = self.free_bytes()
        self.assertLess(abs(after - before), before * 0.01,
                        "free before %d, after %d" % (before, after))


class TwoMiB(unittest.TestCase):
    """The default httpd (TLS included) still answers with -m 2M on pc:
    the launcher gives its NIC no option ROM, which SeaBIOS would copy
    over the image. A loader that puts the initrd over the image gets a
    clear panic, not a broken site."""

    @classmethod
    def setUpClass(cls):
        # The default image, SMP off (with it, 2 MiB hold no site beside
        # the bigger image: the clear panic below).
        name = "httpd-1cpu"
        cls.image = cairn.build("apps/httpd", name, [cairn.NO_SMP])
        cls.site = os.path.join(cairn.ROOT, "apps", "httpd", "rootfs")
        cls.initrd = os.path.join(cairn.out_dir(name), "site.cpio")
        subprocess.run([cairn.PYTHON, os.path.join(cairn.ROOT, "support",
                                                   "mkinitrd.py"),
                        cls.site, cls.initrd], check=True,
                       capture_output=True)

    def test_answers_at_2m_on_pc(self):
        port = free_port()
        g = Guest(self.image, launcher_args=(
            "--machine", "pc", "--mem", "2M", "--net", "user", "--initrd",
            self.initrd, "--hostfwd", "tcp:127.0.0.1:%d-:80" % port))
        try:
            g.wait_for(r"httpd: serving /www on port 80", timeout=60)
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            c.request("GET", "/index.html")
            r = c.getresponse()
            body = r.read()
            c.close()
        finally:
            g.stop()
        self.assertEqual(r.status, 200, g.output())
        with open(os.path.join(self.site, "www", "index.html"), "rb") as f:
            self.assertEqual(body, f.read())

    def test_an_initrd_over_the_image_is_reported(self):
        import shlex
        import tempfile
        with tempfile.TemporaryDirectory(prefix="cairn-over-") as tmp:
            os.makedirs(os.path.join(tmp, "rootfs", "www"))
            # An initrd that QEMU puts under the top of RAM, reserved
            # 128 KiB, so that it starts inside the image's .bss: past
            # what SeaBIOS uses during POST, over what the boot zeroes.
            data_end = qemu.image_data_end(self.image)
            end = qemu.image_span(self.image)[1]
            mem = data_end + (400 << 10)
            size = mem - (128 << 10) - (data_end + end) // 2
            self.assertGreater(size, 4096)
            with open(os.path.join(tmp, "rootfs", "www", "big.bin"),
                      "wb") as f:
                f.write(os.urandom(size))
            initrd = os.path.join(tmp, "big.cpio")
            subprocess.run([cairn.PYTHON, os.path.join(
                cairn.ROOT, "support", "mkinitrd.py"),
                os.path.join(tmp, "rootfs"), initrd], check=True,
                capture_output=True)
            # QEMU started by hand, past the launcher's check: it puts
            # the initrd under the top of RAM, here over the image.
            p = cairn.launcher("--print", "--kernel", self.image,
                               "--machine", "pc", "--mem", "64M",
                               "--initrd", initrd)
            self.assertEqual(p.returncode, 0, p.stderr)
            argv = shlex.split(p.stdout)
            argv[argv.index("-m") + 1] = "%dK" % (mem >> 10)
            r = subprocess.run(argv, capture_output=True, text=True,
                               timeout=60, stdin=subprocess.DEVNULL)
        self.assertRegex(r.stdout, r"PANIC: the initrd \(0x[0-9a-f]+-"
                         r"0x[0-9a-f]+\) overlaps the image \(0x100000-"
                         r"0x[0-9a-f]+\): the loader had no room for it; "
                         r"give the guest more memory")
        self.assertNotEqual(r.returncode, 0)


class TapHttpd(unittest.TestCase):
    """Many clients at once, over a tap device in a namespace (QEMU's user
    network resets part of a connect burst before the guest sees it)."""
    mode = THREADS
    subnet = "192.168.78"

    @classmethod
    def setUpClass(cls):
        from test_net import Tap
        cls.image, name = httpd_image(cls.mode)
        initrd = os.path.join(cairn.out_dir(name), "site.cpio")
        subprocess.run([cairn.PYTHON, os.path.join(cairn.ROOT, "support",
                                                   "mkinitrd.py"),
                        os.path.join(cairn.ROOT, "apps", "httpd", "rootfs"),
                        initrd], check=True, capture_output=True)
        cls.ns = "cairn-http%s-%d" % (cls.mode[0], os.getpid())
        cls.nsx = Tap.make_namespace(cls.ns, cls.subnet + ".1/24")
        cls.guest = Guest(cls.image, wrap=cls.nsx,
                          params="net.ip=%s.2/24" % cls.subnet,
                          launcher_args=(
                              "--initrd", initrd, "--extra",
                              "-netdev tap,id=t0,ifname=tap0,script=no,"
                              "downscript=no -device virtio-net-pci,"
                              "netdev=t0"))
        cls.guest.wait_for(r"httpd: serving /www on port 80")

    @classmethod
    def tearDownClass(cls):
        cls.guest.stop()
        tapnet.delete_namespace(cls.ns)

    def test_200_keep_alive_clients_50_requests_each(self):
        code = (
            "import http.client, threading\n"
            "want = open(%r, 'rb').read()\n"
            "ok = []\n"
            "def client():\n"
            "    c = http.client.HTTPConnection(%r, 80, timeout=60)\n"
            "    good = 0\n"
            "    for _ in range(50):\n"
            "        c.request('GET', '/bench.html')\n"
            "        r = c.getresponse()\n"
            "        good += r.status == 200 and r.read() == want\n"
            "    c.close()\n"
            "    ok.append(good)\n"
            "ts = [threading.Thread(target=client) for _ in range(200)]\n"
            "[t.start() for t in ts]; [t.join() for t in ts]\n"
            "print(sum(ok))\n") % (os.path.join(SITE, "bench.html"),
                                    self.subnet + ".2")
        p = subprocess.run(list(self.nsx) + [cairn.PYTHON, "-c", code],
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(p.stdout.strip(), "10000", p.stderr[-2000:])


class BigFile(unittest.TestCase):
    mode = THREADS

    """A 16 MiB file, streamed: the bytes that arrive hash like the file.
    It goes out with sendfile(): lent to TCP without a copy by the first
    guest, through sendfile()'s bounce buffer by the second
    (fdtab.zerocopy=0), booted side by side."""

    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.image = httpd_image(cls.mode)[0]
        cls.tmp = tempfile.TemporaryDirectory(prefix="cairn-big-")
        www = os.path.join(cls.tmp.name, "rootfs", "www")
        os.makedirs(www)
        data = os.urandom(16 << 20)
        cls.sha = hashlib.sha256(data).hexdigest()
        with open(os.path.join(www, "big.bin"), "wb") as f:
            f.write(data)
        initrd = os.path.join(cls.tmp.name, "big.cpio")
        subprocess.run([cairn.PYTHON, os.path.join(cairn.ROOT, "support",
                                                   "mkinitrd.py"),
                        os.path.join(cls.tmp.name, "rootfs"), initrd],
                       check=True, capture_output=True)
        cls.port, cls.copy_port = free_port(), free_port()
        cls.guest, cls.copy_guest = (Guest(
            cls.image, params=params, launcher_args=(
                "--mem", "256M", "--net", "user", "--initrd", initrd,
                "--hostfwd", "tcp:127.0.0.1:%d-:80" % port))
            for port, params in ((cls.port, ""),
                                 (cls.copy_port, "fdtab.zerocopy=0")))
        for g in (cls.guest, cls.copy_guest):
            g.wait_for(r"httpd: serving /www on port 80", timeout=60)

    @classmethod
    def tearDownClass(cls):
        cls.guest.stop()
        cls.copy_guest.stop()
        cls.tmp.cleanup()

    def status(self, port):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", "/status.json")
        st = json.loads(c.getresponse().read())
        c.close()
        return st

    def test_16_mib_file_arrives_intact(self):
        for port, lent, copied in ((self.port, True, False),
                                   (self.copy_port, False, True)):
            before = self.status(port)
            p = subprocess.run(["curl", "-sS", "--max-time", "120", "-o",
                                "-", "http://127.0.0.1:%d/big.bin" % port],
                               capture_output=True, timeout=150)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(len(p.stdout), 16 << 20)
            self.assertEqual(hashlib.sha256(p.stdout).hexdigest(), self.sha)
            after = self.status(port)
            # All but what fits in the output buffer with the headers
            # went through sendfile(), by the path this guest takes.
            for key, used in (("sendfile_lent", lent),
                              ("sendfile_copied", copied)):
                moved = after[key] - before[key]
                if used:
                    self.assertGreaterEqual(moved, (16 << 20) - 16384,
                                            (port, after))
                else:
                    self.assertEqual(moved, 0, (port, after))

    def test_a_slow_reader_gets_it_all(self):
        """6 MiB at 1 MiB/s: longer than httpd.keepalive_ms (5 s), which
        bounds a stall, not a transfer that keeps moving."""
        with open(os.path.join(self.tmp.name, "rootfs", "www", "big.bin"),
                  "rb") as f:
            want = hashlib.sha256(f.read(6 << 20)).hexdigest()
        p = subprocess.run(["curl", "-sS", "--max-time", "120",
                            "--limit-rate", "1M", "-r", "0-%d" % ((6 << 20)
                                                                 - 1),
                            "-o", "-", "http://127.0.0.1:%d/big.bin"
                            % self.port], capture_output=True, timeout=150)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(hashlib.sha256(p.stdout).hexdigest(), want)

    def test_ranges_of_the_big_file(self):
        """A range starting mid-block and crossing blocks, both paths."""
        with open(os.path.join(self.tmp.name, "rootfs", "www", "big.bin"),
                  "rb") as f:
            f.seek(100001)
            want = f.read(300000)
        for port in (self.port, self.copy_port):
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            c.request("GET", "/big.bin",
                      headers={"Range": "bytes=100001-400000"})
            r = c.getresponse()
            body = r.read()
            c.close()
            self.assertEqual(r.status, 206)
            self.assertEqual(body, want)

    def test_client_gone_mid_file_frees_the_connection(self):
        for _ in range(3):
            s = socket.create_connection(("127.0.0.1", self.port),
                                         timeout=10)
            s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
            s.recv(65536)
            s.close()
        time.sleep(1)
        st = self.status(self.port)
        self.assertLessEqual(st["open_connections"], 1, st)


# The same cases on the event-driven mode, one guest per class as above;
# all but ApacheBench (its HTTP/1.0 keep-alive is in Connections too), to
# keep the suite's time.
class EventFiles(Files):
    mode = EVENTS


class EventConnections(Connections):
    mode = EVENTS


class EventBadInput(BadInput):
    mode = EVENTS


class EventSlowClients(SlowClients):
    mode = EVENTS


class EventExcessClients(ExcessClients):
    mode = EVENTS


class EventMemory(Memory):
    mode = EVENTS


class EventTapHttpd(TapHttpd):
    mode = EVENTS
    subnet = "192.168.79"


class EventBigFile(BigFile):
    mode = EVENTS


if __name__ == "__main__":
    unittest.main()
