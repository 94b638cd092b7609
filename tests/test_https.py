# SPDX-License-Identifier: BSD-3-Clause
"""HTTPS: apps/httpd with lib/httpd's TLS (lib/mbedtls), started the way a
user starts it (`make run`: the build's self-signed certificate packed
into the initrd, virtio-rng attached, both ports forwarded), driven with
curl and openssl s_client (TLS 1.2 and 1.3, the chain checked against
the generated certificate), and with broken clients: garbage, truncated
and stalled handshakes, oversized records, weak ciphers, renegotiation.
After each, the server must still answer. Plain HTTP redirects to HTTPS
(httpd.redirect_https). Every case runs on both connection modes (a
thread per connection; event-driven, with non-blocking handshakes), each
image built once and shared with tests/test_httpd.py. Then the refusals:
no entropy source, a malformed certificate, a missing key."""
import os
import socket
import subprocess
import time
import unittest

import cairn
from test_httpd import EVENTS, THREADS
from test_net import Guest, free_port

SITE = os.path.join(cairn.ROOT, "apps", "httpd", "rootfs", "www")
KEEPALIVE_MS = 3000


def site(name):
    with open(os.path.join(SITE, name), "rb") as f:
        return f.read()


class MakeRun(cairn.Background):
    """`make run` in the background, in a process group of its own."""

    def __init__(self, o, *variables):
        super().__init__(["make", "-s", "-C", cairn.ROOT, "O=" + o, "run"]
                         + list(variables), group=True)


def closed_by_server(port, data, wait=20):
    """Sends data on a new TCP connection and returns (bytes back, True
    when the server closed the connection within wait seconds)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=wait)
    got = b""
    try:
        s.sendall(data)
        while True:
            b = s.recv(65536)
            if not b:
                return got, True
            got += b
    except ConnectionResetError:
        return got, True
    except socket.timeout:
        return got, False
    finally:
        s.close()


# A TLS 1.2 ClientHello's first bytes (record header, handshake header).
HELLO_START = bytes.fromhex("16030100c8010000c40303") + bytes(32)


def http_raw(port, data, wait=20):
    """data on a new plain TCP connection; what came back until the
    server closed it (or wait seconds passed)."""
    return closed_by_server(port, data, wait)[0]


class Https(unittest.TestCase):
    mode = THREADS
    # Where a redirect goes when Host is unusable (None: 400 instead); the
    # event-driven variant names one, so that both answers are tested.
    redirect_host = None

    @classmethod
    def setUpClass(cls):
        name = "-".join(["httpd"] + [x for x in (cls.mode[0],) if x])
        cairn.build("apps/httpd", name, cls.mode[1])
        cls.o = cairn.out_dir(name)
        cls.cert = os.path.join(cls.o, "tls", "cert.pem")
        cls.port, cls.tls = free_port(), free_port()
        params = ["httpd.keepalive_ms=%d" % KEEPALIVE_MS,
                  "httpd.redirect_https=1", "httpd.redirect_port=%d" % cls.tls]
        if cls.redirect_host:
            params.append("httpd.redirect_host=" + cls.redirect_host)
        cls.guest = MakeRun(
            cls.o, "TIMEOUT=600", "PARAMS=" + " ".join(params),
            "HOSTFWD=tcp:127.0.0.1:%d-:80 "
            "tcp:127.0.0.1:%d-:443" % (cls.port, cls.tls))
        cls.guest.wait_for(r"httpd: serving /www on port 80 \(\d+ "
                           r"connections at most, %s\)" % cls.mode[2],
                           timeout=120)
        cls.guest.wait_for(r"httpd: serving HTTPS on port 443", timeout=120)

    @classmethod
    def tearDownClass(cls):
        cls.guest.stop()

    def curl(self, *args):
        return subprocess.run(
            ["curl", "-sS", "--max-time", "30", "--cacert", self.cert]
            + list(args), capture_output=True, timeout=60)

    def url(self, path="/"):
        return "https://localhost:%d%s" % (self.tls, path)

    def s_client(self, *args, data=b""):
        return subprocess.run(
            ["openssl", "s_client", "-connect", "127.0.0.1:%d" % self.tls,
             "-servername", "localhost", "-CAfile", self.cert] + list(args),
            input=data, capture_output=True, timeout=60)

    def assert_still_serving(self):
        p = self.curl(self.url("/style.css"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, site("style.css"))

    def test_curl_gets_the_site_with_the_chain_checked(self):
        p = self.curl("-w", "%{http_code} %{ssl_verify_result} "
                      "%{http_version}", "-o", "/dev/null", self.url())
        self.assertEqual(p.stdout.decode(), "200 0 1.1")
        p = self.curl(self.url())
        self.assertEqual(p.stdout, site("index.html"))

    def test_plain_http_redirects_to_https(self):
        # curl follows it and gets the page over TLS, chain checked.
        p = self.curl("-L", "-w", "%{url_effective} %{num_redirects}",
                      "-o", "/dev/null", "http://localhost:%d/style.css?v=1"
                      % self.port)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.decode(), "https://localhost:%d/style.css"
                         "?v=1 1" % self.tls)
        p = self.curl("-L", "http://127.0.0.1:%d/" % self.port)
        self.assertEqual(p.stdout, site("index.html"))
        # GET and HEAD: 301; other methods keep method and body: 308.
        for method, status in (("GET", 301), ("HEAD", 301), ("POST", 308)):
            got = http_raw(self.port, (
                "%s /a/b.html?q=%%41 HTTP/1.1\r\nHost: localhost:8080\r\n"
                "Content-Length: 0\r\nConnection: close\r\n\r\n"
                % method).encode())
            self.assertTrue(got.startswith(b"HTTP/1.1 %d " % status), got)
            self.assertIn(b"\r\nLocation: https://localhost:%d/a/b.html?q="
                          b"%%41\r\n" % self.tls, got)
        # An IPv6 literal stays bracketed; its port is replaced.
        got = http_raw(self.port, b"GET / HTTP/1.1\r\nHost: [::1]:80\r\n"
                       b"Connection: close\r\n\r\n")
        self.assertIn(b"\r\nLocation: https://[::1]:%d/\r\n" % self.tls,
                      got)

    def test_redirect_never_echoes_an_unusable_host(self):
        # Header injection, a path, a user, spaces, an empty or missing
        # Host (HTTP/1.0): no Location built from it.
        got = http_raw(self.port, b"GET / HTTP/1.1\r\nHost: evil\r"
                       b"Set-Cookie: a=b\r\n\r\n")
        self.assertTrue(got.startswith(b"HTTP/1.1 400 "), got)
        self.assertNotIn(b"Set-Cookie", got)
        for host in (b"evil.example/x", b"user@evil.example", b"a b",
                     b"evil\tx", b"", b"[::1", b"x:y"):
            got = http_raw(self.port, b"GET / HTTP/1.1\r\nHost: " + host +
                           b"\r\n\r\n")
            self.assertNotIn(b"evil", got, host)
            if self.redirect_host:
                self.assertTrue(got.startswith(b"HTTP/1.1 301 "), got)
                self.assertIn(b"\r\nLocation: https://%s:%d/\r\n"
                              % (self.redirect_host.encode(), self.tls), got)
            else:
                self.assertTrue(got.startswith(b"HTTP/1.1 400 "),
                                (host, got))
                self.assertNotIn(b"Location", got)
        got = http_raw(self.port, b"GET /x HTTP/1.0\r\n\r\n")
        if self.redirect_host:
            self.assertIn(b"\r\nLocation: https://%s:%d/x\r\n"
                          % (self.redirect_host.encode(), self.tls), got)
        else:
            self.assertTrue(got.startswith(b"HTTP/1.1 400 "), got)
        self.assert_still_serving()

    def test_without_the_certificate_curl_refuses(self):
        p = subprocess.run(["curl", "-sS", "--max-time", "30", self.url()],
                           capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 60, p.stderr)    # peer cert failed

    def test_console_prints_the_fingerprint_of_the_built_certificate(self):
        p = subprocess.run(["openssl", "x509", "-in", self.cert, "-noout",
                            "-fingerprint", "-sha256"], capture_output=True,
                           text=True, check=True)
        fp = p.stdout.strip().split("=", 1)[1]
        self.assertIn("httpd: TLS certificate /etc/tls/cert.pem, SHA-256 "
                      "fingerprint %s\n" % fp, self.guest.output())
        self.assertIn("cairn: tcp 127.0.0.1:%d -> guest port 443: "
                      "https://127.0.0.1:%d/\n" % (self.tls, self.tls),
                      self.guest.output())
        self.assertRegex(self.guest.output(), r"virtio-rng at pci ")

    def test_keep_alive_over_tls(self):
        p = self.curl("-v", "-o", "/dev/null", "-o", "/dev/null",
                      self.url("/"), self.url("/cairn.svg"))
        self.assertEqual(p.returncode, 0, p.stderr)
        err = p.stderr.decode(errors="replace")
        self.assertEqual(err.count("HTTP/1.1 200"), 2, err)
        self.assertRegex(err, r"(Re-using|Reusing) existing connection")
        self.assertEqual(err.count("SSL connection using"), 1, err)

    def test_tls12_and_tls13_with_alpn(self):
        req = b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        for flag, version in (("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3")):
            p = self.s_client(flag, "-alpn", "http/1.1", "-ign_eof",
                              data=req)
            out = p.stdout.decode(errors="replace")
            self.assertIn("Protocol  : %s" % version, out)
            self.assertIn("Verify return code: 0 (ok)", out)
            self.assertIn("ALPN protocol: http/1.1", out)
            self.assertIn("HTTP/1.1 200 OK", out)
            self.assertIn(site("index.html").decode(), out)

    def test_session_ticket_resumes(self):
        path = os.path.join(self.o, "tls", "session-test.pem")
        p = self.s_client("-tls1_2", "-sess_out", path)
        self.assertIn("TLS session ticket lifetime hint",
                      p.stdout.decode(errors="replace"))
        p = self.s_client("-tls1_2", "-sess_in", path)
        self.assertIn("Reused, TLSv1.2", p.stdout.decode(errors="replace"))
        os.unlink(path)

    def test_both_key_exchange_groups_with_each_version(self):
        # OpenSSL checks the server's ECDSA P-256 signature and computes
        # the shared secret with its own code: Mbed TLS's X25519 and
        # P-256 arithmetic (lib/mbedtls x25519.c, p256.c) must agree.
        # TLS 1.2 clients name the curves of the certificate too (RFC
        # 4492): one that offers only X25519 cannot take a P-256 one.
        req = b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        for group, shown in (("X25519:P-256", "X25519"),
                             ("P-256", "ECDH, prime256v1")):
            for flag in ("-tls1_2", "-tls1_3"):
                p = self.s_client(flag, "-groups", group, "-ign_eof",
                                  data=req)
                out = p.stdout.decode(errors="replace")
                self.assertIn("Server Temp Key: %s" % shown, out)
                self.assertIn("Verify return code: 0 (ok)", out)
                self.assertIn("HTTP/1.1 200 OK", out)

    def test_tls13_session_resumes(self):
        # TLS 1.3 sends its ticket after the handshake: a request and
        # -ign_eof keep s_client reading until the server has sent it.
        req = b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        path = os.path.join(self.o, "tls", "session13-test.pem")
        p = self.s_client("-tls1_3", "-sess_out", path, "-ign_eof", data=req)
        out = p.stdout.decode(errors="replace")
        self.assertIn("New, TLSv1.3", out)
        self.assertIn("HTTP/1.1 200 OK", out)
        p = self.s_client("-tls1_3", "-sess_in", path, "-ign_eof", data=req)
        out = p.stdout.decode(errors="replace")
        self.assertIn("Reused, TLSv1.3", out)
        self.assertIn("HTTP/1.1 200 OK", out)
        os.unlink(path)

    def test_no_weak_cipher_or_old_version_is_accepted(self):
        for args in (("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA"),
                     ("-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-SHA384"),
                     ("-tls1_2", "-cipher", "AES128-GCM-SHA256"),
                     ("-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256"),
                     ("-tls1_2", "-cipher", "ALL:@SECLEVEL=0:!ECDHE"),
                     ("-tls1_2", "-cipher",
                      "RC4:3DES:NULL:EXPORT:CBC:@SECLEVEL=0"),
                     ("-tls1_3", "-ciphersuites", "TLS_AES_128_CCM_8_SHA256"),
                     ("-tls1_1", "-cipher", "ALL:@SECLEVEL=0"),
                     ("-tls1", "-cipher", "ALL:@SECLEVEL=0")):
            p = self.s_client(*args)
            out = p.stdout.decode(errors="replace")
            self.assertNotEqual(p.returncode, 0, (args, out))
            self.assertIn("Cipher is (NONE)", out, args)
            self.assertIn("no peer certificate available", out, args)
        # What is offered: only AEAD suites with forward secrecy.
        for suite in ("ECDHE-ECDSA-AES128-GCM-SHA256",
                      "ECDHE-ECDSA-AES256-GCM-SHA384",
                      "ECDHE-ECDSA-CHACHA20-POLY1305"):
            p = self.s_client("-tls1_2", "-cipher", suite)
            self.assertIn("Cipher    : %s" % suite,
                          p.stdout.decode(errors="replace"))
        self.assert_still_serving()

    def test_garbage_closes_that_connection_only(self):
        got, closed = closed_by_server(self.tls, os.urandom(3000))
        self.assertTrue(closed)
        self.assertNotIn(b"HTTP/1.1", got)
        # Plain HTTP spoken to the TLS port: the same.
        got, closed = closed_by_server(
            self.tls, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertTrue(closed)
        self.assert_still_serving()

    def test_truncated_and_stalled_handshakes(self):
        # The client sends part of a hello and closes its side.
        s = socket.create_connection(("127.0.0.1", self.tls), timeout=20)
        s.sendall(HELLO_START)
        s.shutdown(socket.SHUT_WR)
        try:
            while s.recv(100):
                pass                    # an alert, then the close
        except ConnectionResetError:
            pass
        s.close()
        # The client sends part of a hello and waits: the server gives up
        # after the keep-alive time, as it does for a slow request, and
        # serves others meanwhile (one thread serves all in the
        # event-driven mode: the handshake must not wait for it).
        start = time.monotonic()
        s = socket.create_connection(("127.0.0.1", self.tls), timeout=30)
        try:
            s.sendall(HELLO_START)
            self.assert_still_serving()
            p = self.curl("-o", "/dev/null", "-w", "%{http_code}",
                          "http://127.0.0.1:%d/" % self.port)
            self.assertEqual(p.stdout, b"301")
            try:
                while s.recv(100):
                    pass
            except ConnectionResetError:
                pass
        except socket.timeout:
            self.fail("a stalled handshake was kept open")
        finally:
            s.close()
        self.assertGreaterEqual(time.monotonic() - start,
                                KEEPALIVE_MS / 1000 * 0.9)
        self.guest.wait_for(r"TLS handshake failed: timed out or reset")
        self.assert_still_serving()

    def test_oversized_record_is_refused(self):
        # A handshake record announcing 40000 bytes (TLS allows 16384).
        got, closed = closed_by_server(
            self.tls, bytes.fromhex("1603019c40") + bytes(64))
        self.assertTrue(closed)
        self.assert_still_serving()

    def test_renegotiation_is_refused(self):
        # 'R' asks s_client to renegotiate the TLS 1.2 session.
        p = self.s_client("-tls1_2", data=b"R\n")
        out = p.stdout.decode(errors="replace") + \
            p.stderr.decode(errors="replace")
        self.assertIn("RENEGOTIATING", out)
        self.assert_still_serving()

    def test_unasked_client_certificate_is_not_requested(self):
        key = os.path.join(self.o, "tls", "key.pem")
        p = self.s_client("-tls1_3", "-cert", self.cert, "-key", key,
                          data=b"GET / HTTP/1.1\r\nHost: l\r\n"
                          b"Connection: close\r\n\r\n")
        out = p.stdout.decode(errors="replace")
        self.assertIn("No client certificate CA names sent", out)
        self.assert_still_serving()


class EventHttps(Https):
    mode = EVENTS
    redirect_host = "localhost"


class HttpsRefusals(unittest.TestCase):
    """HTTPS refused with a reason; plain HTTP goes on in each case."""

    @classmethod
    def setUpClass(cls):
        cairn.build("apps/httpd", "httpd")
        o = cairn.out_dir("httpd")
        cairn.make(os.path.join(o, "initrd.cpio"), o=o)
        cls.initrd = os.path.join(o, "initrd-https-refusals.cpio")
        with open(os.path.join(o, "initrd.cpio"), "rb") as f, \
                open(cls.initrd, "wb") as g:
            g.write(f.read())
        image = os.path.join(o, "httpd_qemu-x86_64")
        cases = {
            # A CPU without RDRAND/RDSEED and no virtio-rng.
            "entropy": ("httpd.redirect_https=1", ("--cpu", "qemu64")),
            "cert": ("httpd.tls_cert=/www/index.html", ("--rng",)),
            "key": ("httpd.tls_key=/etc/tls/none.pem", ("--rng",)),
            "pair": ("httpd.tls_key=/etc/tls/cert.pem", ("--rng",)),
        }
        cls.guests = {}
        for name, (params, extra) in cases.items():
            port = free_port()
            cls.guests[name] = (port, Guest(
                image, params=params, timeout=120, launcher_args=(
                    "--net", "user", "--initrd", cls.initrd, "--hostfwd",
                    "tcp:127.0.0.1:%d-:80" % port) + extra))

    @classmethod
    def tearDownClass(cls):
        for _, g in cls.guests.values():
            g.stop()
        os.unlink(cls.initrd)

    def refused(self, name, pattern):
        port, g = self.guests[name]
        g.wait_for(r"httpd: serving /www on port 80", timeout=120)
        g.wait_for(pattern, timeout=120)
        p = subprocess.run(["curl", "-sS", "--max-time", "30",
                            "http://127.0.0.1:%d/" % port],
                           capture_output=True, timeout=60)
        self.assertEqual(p.stdout, site("index.html"))
        self.assertNotIn("serving HTTPS", g.output())

    def test_no_entropy_source(self):
        self.refused("entropy", r"ERR  httpd: HTTPS disabled: no hardware "
                     r"entropy source")
        # Asked to redirect, it does not send clients to a dead port.
        self.refused("entropy", r"WARN httpd: httpd.redirect_https ignored: "
                     r"HTTPS is not served")

    def test_malformed_certificate_names_the_file(self):
        self.refused("cert", r"ERR  httpd: TLS certificate /www/index.html: "
                     r"not a usable certificate")

    def test_missing_key_names_the_file(self):
        self.refused("key", r"ERR  httpd: TLS key /etc/tls/none.pem: No "
                     r"such file or directory")

    def test_certificate_given_as_key_names_the_file(self):
        self.refused("pair", r"ERR  httpd: TLS key /etc/tls/cert.pem: not a "
                     r"usable private key")


if __name__ == "__main__":
    unittest.main()
