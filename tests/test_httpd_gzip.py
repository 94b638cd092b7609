# SPDX-License-Identifier: BSD-3-Clause
"""gzip answers of lib/httpd (issue 19), driven with curl and http.client
against the apps/httpd images test_httpd.py builds (no build of its own):
the default one (a thread per connection; pre-compressed FILE.gz only)
and the event-driven one, which test_httpd.py builds with
LIB_HTTPD_GZIP_DYNAMIC=y (on-the-fly compression too). Each boots with
an initrd of the app's site plus files made here: a page with its .gz
(made by Python's gzip, with content that tells the two apart), text
with no .gz, a small file, a PNG-typed file."""
import gzip
import os
import shutil
import subprocess
import tempfile
import unittest

import cairn
from test_httpd import EVENTS, THREADS, httpd_image
from test_net import Guest, free_port

SITE = os.path.join(cairn.ROOT, "apps", "httpd", "rootfs")


def text(n, salt):
    lines, i = [], 0
    while sum(map(len, lines)) < n:
        lines.append("%s line %d: %d bottles of lemonade on the wall\n"
                     % (salt, i, (i * 7919) % 1000))
        i += 1
    return "".join(lines).encode()


PAGE = text(30000, "page")                  # /gz/page.html (+ .gz)
PAGE_GZ = gzip.compress(PAGE, 9, mtime=0)
PLAIN = text(20000, "plain")                # /gz/plain.txt, no .gz
SMALL = b"tiny{}\n" * 20                    # /gz/small.css, 140 bytes
IMAGE = text(8000, "png")                   # /gz/pic.png: not compressible


class Gzip(unittest.TestCase):
    mode = THREADS
    dynamic = False

    @classmethod
    def setUpClass(cls):
        cls.image, name = httpd_image(cls.mode)
        cls.tmp = tempfile.mkdtemp(prefix="cairn-gzip-")
        root = os.path.join(cls.tmp, "root")
        shutil.copytree(SITE, root)
        d = os.path.join(root, "www", "gz")
        os.makedirs(d)
        for fname, data in (("page.html", PAGE), ("page.html.gz", PAGE_GZ),
                            ("plain.txt", PLAIN), ("small.css", SMALL),
                            ("pic.png", IMAGE)):
            with open(os.path.join(d, fname), "wb") as f:
                f.write(data)
        initrd = os.path.join(cls.tmp, "initrd.cpio")
        subprocess.run([cairn.PYTHON, os.path.join(cairn.ROOT, "support",
                                                   "mkinitrd.py"),
                        "--quiet", root, initrd], check=True, timeout=60)
        cls.port = free_port()
        cls.guest = Guest(cls.image, launcher_args=(
            "--net", "user", "--initrd", initrd, "--hostfwd",
            "tcp:127.0.0.1:%d-:80" % cls.port))
        cls.guest.wait_for(r"httpd: serving /www on port 80 \(\d+ "
                           r"connections at most, %s\)" % cls.mode[2])

    @classmethod
    def tearDownClass(cls):
        cls.guest.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def get(self, path, ae=None, method="GET", headers=None):
        """(status, headers as a dict of lower-case names, raw body)."""
        import http.client
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        h = dict(headers or {})
        # http.client would say "identity" itself; None: no header at all.
        c.putrequest(method, path, skip_accept_encoding=True)
        if ae is not None:
            c.putheader("Accept-Encoding", ae)
        for k, v in h.items():
            c.putheader(k, v)
        c.endheaders()
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, body

    def curl(self, path, *opts):
        p = subprocess.run(["curl", "-sS", "--max-time", "20", "-D",
                            os.path.join(self.tmp, "h"), "-o",
                            os.path.join(self.tmp, "b")] + list(opts) +
                           ["http://127.0.0.1:%d%s" % (self.port, path)],
                           capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(self.tmp, "h"), "rb") as f:
            head = f.read().decode().lower()
        with open(os.path.join(self.tmp, "b"), "rb") as f:
            return head, f.read()

    def test_curl_compressed_gets_the_gz_file_decoded(self):
        head, body = self.curl("/gz/page.html", "--compressed")
        self.assertIn("content-encoding: gzip\r\n", head)
        self.assertIn("vary: accept-encoding\r\n", head)
        self.assertIn("content-type: text/html; charset=utf-8\r\n", head)
        self.assertIn("content-length: %d\r\n" % len(PAGE_GZ), head)
        self.assertEqual(body, PAGE)

    def test_pre_compressed_file_is_sent_as_is(self):
        st, h, body = self.get("/gz/page.html", "gzip, deflate")
        self.assertEqual(st, 200)
        self.assertEqual(body, PAGE_GZ)         # the very bytes of the .gz
        self.assertEqual(gzip.decompress(body), PAGE)
        self.assertEqual(int(h["content-length"]), len(PAGE_GZ))
        self.assertEqual(h["content-encoding"], "gzip")
        self.assertEqual(h["content-type"], "text/html; charset=utf-8")
        self.assertEqual(h["vary"], "Accept-Encoding")

    def test_clients_not_taking_gzip_get_identity(self):
        for ae in (None, "identity", "gzip;q=0", "br, deflate",
                   "gzip;q=0, *", "*;q=0", "gzip;q=0.5, identity",
                   "gzip;q=2"):
            st, h, body = self.get("/gz/page.html", ae)
            self.assertEqual((st, body), (200, PAGE), ae)
            self.assertNotIn("content-encoding", h, ae)
            self.assertEqual(int(h["content-length"]), len(PAGE), ae)
            self.assertEqual(h["vary"], "Accept-Encoding", ae)
        head, body = self.curl("/gz/page.html")     # curl, no --compressed
        self.assertNotIn("content-encoding", head)
        self.assertEqual(body, PAGE)

    def test_q_values_and_names_that_take_gzip(self):
        for ae in ("gzip", "GZIP", "deflate, gzip;q=0.5", "*",
                   "x-gzip", "br;q=1.0, gzip; q=0.001", "*;q=0.3"):
            st, h, body = self.get("/gz/page.html", ae)
            self.assertEqual((st, body), (200, PAGE_GZ), ae)
            self.assertEqual(h["content-encoding"], "gzip", ae)

    def test_head_gives_the_same_headers_without_body(self):
        for ae, length in (("gzip", len(PAGE_GZ)), (None, len(PAGE))):
            st, h, body = self.get("/gz/page.html", ae, method="HEAD")
            self.assertEqual((st, body), (200, b""))
            self.assertEqual(int(h["content-length"]), length)
            self.assertEqual("content-encoding" in h, ae is not None)

    def test_range_gets_identity_bytes(self):
        st, h, body = self.get("/gz/page.html", "gzip",
                               headers={"Range": "bytes=100-199"})
        self.assertEqual((st, body), (206, PAGE[100:200]))
        self.assertNotIn("content-encoding", h)
        self.assertEqual(h["content-range"], "bytes 100-199/%d" % len(PAGE))
        self.assertEqual(h["vary"], "Accept-Encoding")

    def test_validators_per_coding(self):
        _, hg, _ = self.get("/gz/page.html", "gzip")
        _, hi, _ = self.get("/gz/page.html", None)
        self.assertNotEqual(hg["etag"], hi["etag"])
        st, h, body = self.get("/gz/page.html", "gzip",
                               headers={"If-None-Match": hg["etag"]})
        self.assertEqual((st, body), (304, b""))
        self.assertEqual(h["vary"], "Accept-Encoding")
        # The gzip variant's tag does not validate the identity answer.
        st, h, body = self.get("/gz/page.html", None,
                               headers={"If-None-Match": hg["etag"]})
        self.assertEqual((st, body), (200, PAGE))
        st, _, body = self.get("/gz/page.html", None,
                               headers={"If-None-Match": hi["etag"]})
        self.assertEqual((st, body), (304, b""))

    def test_file_without_gz(self):
        st, h, body = self.get("/gz/plain.txt", "gzip")
        self.assertEqual(st, 200)
        if not self.dynamic:
            self.assertEqual(body, PLAIN)
            self.assertNotIn("content-encoding", h)
            self.assertNotIn("vary", h)
            return
        # Compressed on the fly, whole: a correct length and stream.
        self.assertEqual(h["content-encoding"], "gzip")
        self.assertEqual(h["vary"], "Accept-Encoding")
        self.assertEqual(h["content-type"], "text/plain; charset=utf-8")
        self.assertEqual(int(h["content-length"]), len(body))
        self.assertLess(len(body), len(PLAIN) // 3)
        self.assertEqual(gzip.decompress(body), PLAIN)
        self.assertRegex(h["etag"], r'^"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-gz"$')
        st, h2, body = self.get("/gz/plain.txt", "gzip", method="HEAD")
        self.assertEqual((st, body), (200, b""))
        self.assertEqual(h2["content-length"], h["content-length"])
        st, _, body = self.get("/gz/plain.txt", "gzip",
                               headers={"If-None-Match": h["etag"]})
        self.assertEqual((st, body), (304, b""))
        st, h, body = self.get("/gz/plain.txt", "gzip;q=0")
        self.assertEqual((st, body), (200, PLAIN))
        self.assertNotIn("content-encoding", h)
        st, h, body = self.get("/gz/plain.txt", "gzip",
                               headers={"Range": "bytes=0-99"})
        self.assertEqual((st, body), (206, PLAIN[:100]))
        head, body = self.curl("/gz/plain.txt", "--compressed")
        self.assertIn("content-encoding: gzip\r\n", head)
        self.assertEqual(body, PLAIN)

    def test_small_and_binary_files_stay_identity(self):
        for path, data in (("/gz/small.css", SMALL), ("/gz/pic.png", IMAGE)):
            st, h, body = self.get(path, "gzip")
            self.assertEqual((st, body), (200, data), path)
            self.assertNotIn("content-encoding", h, path)


class EventGzip(Gzip):
    mode = EVENTS
    dynamic = True


if __name__ == "__main__":
    unittest.main()
