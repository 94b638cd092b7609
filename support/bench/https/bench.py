# SPDX-License-Identifier: BSD-3-Clause
"""HTTPS: Cairn's httpd over TLS (lib/httpd + lib/mbedtls) against nginx
with OpenSSL in a Linux guest, on the same QEMU, the same certificate.

Both serve the same 612-byte page, /bench.html, over TLS with the same
ECDSA P-256 certificate and key: the one Cairn's build generated
(build folder tls/cert.pem, tls/key.pem), copied into the Linux guest
for nginx (support/bench/http/webroot.py, its TLS server block on port
8443: one worker process, access log off, OpenSSL's defaults otherwise).
Each round runs each figure on each server in turn, in an order that
rotates (between figures and between rounds); --runs rounds, and the
table shows each figure's median with its range:

  full handshakes/s   openssl s_time -new -www /bench.html for
                      --handshake-seconds: one connection at a time,
                      each a new TCP connection and a full handshake
                      (no session resumption) and one HTTP/1.0 request;
                      the rate is connections / wall time
  keep-alive req/s    wrk -t1 -c--conns over https for --seconds after a
                      --warmup: the handshakes once, then requests on
                      the open TLS connections

The servers: Cairn apps/httpd in both connection modes (a thread per
connection, the default; event-driven, CONFIG_LIB_HTTPD_EVENTS), access
log off; nginx (Debian's, OpenSSL 3) in the Linux guest of make
bench-http (support/bench/linux_guest.py: Debian kernel, virtio_net).
All three boot together on QEMU's user network (hostfwd ports), each
with one vCPU, TCG, -cpu max. Goals (issue 20): Cairn (the default
mode) at least 1.5x nginx on both figures; the httpd image with TLS
under 1 MiB stripped.
"""
import os
import re
import subprocess
import time

from support.bench import harness as h
from support.bench.http import webroot

TITLE = "HTTPS: handshakes/s and keep-alive req/s vs nginx+OpenSSL"
APPS = [("httpd", "")]
PAGE_PATH = "/bench.html"
BOOT_TIMEOUT = 300
RATIO_GOAL = 1.5
SIZE_GOAL = 1 << 20
NGINX_TLS_PORT = 8443
EVENTS = "CONFIG_LIB_HTTPD_EVENTS=y\n"

with open(webroot.PAGE, "rb") as _f:
    PAGE = _f.read()


def options(ap):
    ap.add_argument("--seconds", type=int, default=5,
                    help="each keep-alive wrk run (default 5)")
    ap.add_argument("--handshake-seconds", type=int, default=5,
                    help="each openssl s_time -new run (default 5)")
    ap.add_argument("--warmup", type=int, default=2,
                    help="wrk warm-up per server (default 2)")
    ap.add_argument("--runs", type=int, default=3,
                    help="rounds; the median and range are printed "
                    "(default 3)")
    ap.add_argument("--conns", type=int, default=10,
                    help="wrk connections (default 10)")
    ap.add_argument("--no-events", action="store_true",
                    help="leave out Cairn's event-driven image")


def wrk(url, conns, seconds):
    """wrk over https: {rps, requests, errors, cmd}, or Fail."""
    cmd = ["wrk", "-t1", "-c%d" % conns, "-d%ds" % seconds, "--timeout",
           "5s", url]
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=seconds + 120)
    if p.returncode:
        raise h.Fail("wrk %s: %s" % (url, (p.stdout + p.stderr).strip()))
    o = p.stdout
    m = re.search(r"^Requests/sec:\s+([\d.]+)", o, re.M)
    n = re.search(r"(\d+) requests in", o)
    e = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                  r"timeout (\d+)", o)
    x = re.search(r"Non-2xx or 3xx responses: (\d+)", o)
    r = {"cmd": h.quote(cmd), "rps": float(m.group(1)) if m else 0.0,
         "requests": int(n.group(1)) if n else 0,
         "errors": (sum(map(int, e.groups())) if e else 0) +
         (int(x.group(1)) if x else 0)}
    if not r["requests"]:
        raise h.Fail("wrk %s: no request completed:\n%s" % (url, o))
    return r


def s_time(host, port, seconds):
    """openssl s_time -new: {rate, conns, cmd}, or Fail."""
    cmd = ["openssl", "s_time", "-connect", "%s:%d" % (host, port), "-new",
           "-www", PAGE_PATH, "-time", str(seconds)]
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=seconds + 120)
    wall = time.monotonic() - t0
    m = re.search(r"^(\d+) connections in [\d.]+s", p.stdout, re.M)
    if p.returncode or not m or not int(m.group(1)):
        raise h.Fail("s_time %s:%d: %s" % (host, port, (
            p.stdout + p.stderr).strip()[-400:]))
    return {"cmd": h.quote(cmd), "conns": int(m.group(1)),
            "rate": int(m.group(1)) / wall}


def negotiated(host, port):
    """What a plain OpenSSL client gets from the server: 'TLSv1.3
    TLS_AES_256_GCM_SHA384 X25519' (version, cipher suite, key
    exchange group), to show that both sides run the same handshake."""
    p = subprocess.run(["openssl", "s_client", "-connect", "%s:%d" % (
        host, port), "-brief"], input=b"", capture_output=True, timeout=60)
    out = (p.stdout + p.stderr).decode(errors="replace")
    got = [re.search(r"^%s: (.+)$" % k, out, re.M) for k in (
        "Protocol version", "Ciphersuite", "Server Temp Key")]
    return " ".join(m.group(1).split(",")[0] if m else "?" for m in got)


def serves(url, cacert):
    """True when url answers 200 with the page, the chain checked."""
    p = subprocess.run(["curl", "-sS", "--max-time", "10", "--cacert",
                        cacert, "--resolve", "localhost:%s:127.0.0.1"
                        % url.split(":")[2].split("/")[0],
                        url.replace("127.0.0.1", "localhost")],
                       capture_output=True, timeout=30)
    if p.returncode or p.stdout != PAGE:
        raise h.Fail("%s: %s" % (url, p.stderr.decode(errors="replace")
                                 .strip() or "a different page"))
    return True


def nginx_key_type(cert):
    p = subprocess.run(["openssl", "x509", "-in", cert, "-noout", "-text"],
                       capture_output=True, text=True)
    m = re.search(r"Public Key Algorithm: (\S+).*?NIST CURVE: (\S+)",
                  p.stdout, re.S)
    return "%s %s" % m.groups() if m else "?"


def run(a):
    if not 1 <= a.seconds <= 300 or not 1 <= a.handshake_seconds <= 300 \
            or not 1 <= a.conns <= 1000 or not 1 <= a.warmup <= 60 \
            or not 1 <= a.runs <= 20:
        raise h.Fail("need 1 <= --seconds, --handshake-seconds <= 300, "
                     "1 <= --conns <= 1000, 1 <= --warmup <= 60, "
                     "1 <= --runs <= 20")
    p = subprocess.run([h.PYTHON, os.path.join(h.SRCTREE, "support",
                                               "deps.py"),
                        "bench-tools", "--quiet"])
    if p.returncode:
        raise h.Fail("wrk or iproute2 is missing (see above)")
    images = {"threads": h.make_cairn(os.path.join(a.out, "cairn"),
                                      "httpd")}
    if not a.no_events:
        images["events"] = h.make_cairn(
            os.path.join(a.out, "cairn-events"), "httpd", EVENTS)
    tls = os.path.join(a.out, "cairn", "tls")
    cert, key = os.path.join(tls, "cert.pem"), os.path.join(tls, "key.pem")
    initrds = {}
    for mode, image in images.items():
        d = os.path.dirname(image)
        if mode != "threads":	# the same certificate everywhere
            os.makedirs(os.path.join(d, "tls"), exist_ok=True)
            for f in (cert, key):
                with open(f, "rb") as src, open(os.path.join(
                        d, "tls", os.path.basename(f)), "wb") as dst:
                    dst.write(src.read())
        subprocess.run(["make", "-s", "-C", h.SRCTREE, "O=" + d,
                        os.path.join(d, "initrd.cpio")], check=True,
                       stdin=subprocess.DEVNULL)
        initrds[mode] = os.path.join(d, "initrd.cpio")
    ldir = os.path.join(a.out, "linux")
    web, versions, notes = webroot.archive(ldir, ["nginx"],
                                           tls=(cert, key))
    for n in notes:
        h.say(n)
    if "nginx" not in versions:
        raise h.Fail("nginx is not available for the Linux guest")
    src = os.path.join(h.SRCTREE, "support", "bench", "http",
                       "httpserve.c")
    guest = h.linux_guest(os.path.join(ldir, "guest-user"), [src],
                          ["httpserve"], h.guest_setup(None),
                          ["virtio_pci", "virtio_net"])
    linitrd = webroot.combined_initrd(guest["initrd"], web,
                                      os.path.join(ldir, "guest-user"))
    names = list(images) + ["nginx"]
    guests, urls, hosts, cmds = {}, {}, {}, {}
    try:
        for mode, image in images.items():
            net = h.Net("user", [(h.free_port(), 443)])
            cmds[mode] = h.cairn_command(image, net=net,
                                         initrd=initrds[mode],
                                         params="httpd.access_log=0")
            guests[mode] = h.Guest(cmds[mode], "Cairn " + mode)
            hosts[mode] = net.address(443)
        lnet = h.Net("user", [(h.free_port(), 80),
                              (h.free_port(), NGINX_TLS_PORT)])
        cmds["nginx"] = h.linux_command(guest, net=lnet, initrd=linitrd)
        guests["nginx"] = h.Guest(cmds["nginx"], "Linux guest")
        hosts["nginx"] = lnet.address(NGINX_TLS_PORT)
        for k in names:
            urls[k] = "https://%s:%d%s" % (hosts[k] + (PAGE_PATH,))
        for k in images:
            guests[k].wait_for(r"INFO httpd: serving HTTPS", BOOT_TIMEOUT)
        m = guests["nginx"].wait_for(r"^httpserve: ready (.*)$",
                                     BOOT_TIMEOUT)
        if "nginx=8080" not in m.group(1):
            raise h.Fail("nginx did not start in the Linux guest:\n%s"
                         % h.last_lines(guests["nginx"].output()))
        for k in names:
            h.wait_ready(lambda: serves(urls[k], cert), 60, k, guests[k])
            h.say("%s negotiates %s" % (k, negotiated(*hosts[k])))
            h.attempt("%s warm-up" % k, wrk, urls[k], a.conns, a.warmup)
        res = {k: {"handshakes": [], "keepalive": []} for k in names}
        for run in range(a.runs):
            for i, fig in enumerate(("handshakes", "keepalive")):
                for j in range(len(names)):
                    k = names[(run + i + j) % len(names)]
                    if fig == "handshakes":
                        fn = lambda: s_time(hosts[k][0], hosts[k][1],
                                            a.handshake_seconds)
                    else:
                        fn = lambda: wrk(urls[k], a.conns, a.seconds)
                    r, why = h.server_round("%s, %s, round %d" % (
                        k, fig, run + 1), guests[k], fn,
                        lambda: serves(urls[k], cert))
                    res[k][fig].append(r or why)
    finally:
        for g in guests.values():
            g.kill()
    return report(a, images, res, names, cmds, cert, versions, guest,
                  guests)


def values(rs, key):
    """The figures of the rounds that worked."""
    return [r[key] for r in rs if isinstance(r, dict)]


def value(rs, key):
    """The median of the rounds that worked (a failed one is listed
    under the table), None when none did."""
    v = values(rs, key)
    return h.median(v) if v else None


def cell(rs, key):
    v = values(rs, key)
    if not v:
        return "failed"
    return "%.0f (%.0f..%.0f)" % (h.median(v), min(v), max(v)) \
        if len(v) > 1 else "%.0f" % v[0]


def ratio_cell(rs, base, key):
    """The ratio of the medians, and its range over the rounds (each
    round's Cairn figure over the same round's nginx figure)."""
    c, b = value(rs, key), value(base, key)
    if not c or not b:
        return "-"
    per = [x[key] / y[key] for x, y in zip(rs, base)
           if isinstance(x, dict) and isinstance(y, dict)]
    if len(per) < 2:
        return h.ratio(c, b)
    return "%.2fx (%.2f..%.2f)" % (c / b, min(per), max(per))


def report(a, images, res, names, cmds, cert, versions, guest, guests):
    figs = (("handshakes", "rate", "full handshakes/s (s_time -new, 1 "
             "conn, %d s)" % a.handshake_seconds),
            ("keepalive", "rps", "keep-alive req/s (wrk -t1 -c%d, %d s)"
             % (a.conns, a.seconds)))
    rows, summary = [], []
    for fig, key, label in figs:
        vals = {k: value(res[k][fig], key) for k in names}
        rows.append([label] + [cell(res[k][fig], key) for k in names] +
                    [ratio_cell(res[k][fig], res["nginx"][fig], key)
                     for k in images])
        for k in images:
            c, b = vals[k], vals["nginx"]
            fig_name = "https, Cairn %s: %s" % (k, label)
            if not c or not b:
                summary.append(h.failed_row(fig_name, "a server failed "
                                            "twice"))
                continue
            goal = k == "threads"
            summary.append(h.row(fig_name, "%.0f" % c, "%.0f (nginx)" % b,
                                 h.ratio(c, b),
                                 ">= %.1fx" % RATIO_GOAL if goal else "",
                                 c / b >= RATIO_GOAL if goal else None))
    h.table("HTTPS on QEMU user networking: GET %s (%d bytes), the same "
            "ECDSA P-256 certificate (%s); %d round(s): median (range)"
            % (PAGE_PATH, len(PAGE), nginx_key_type(cert), a.runs),
            [""] + ["Cairn " + k if k != "nginx" else "nginx" for k in names]
            + ["Cairn %s/nginx" % k for k in images], rows)
    for k in names:
        for fig in ("handshakes", "keepalive"):
            for n, r in enumerate(res[k][fig]):
                if not isinstance(r, dict):
                    print("  %s, %s, round %d: %s" % (k, fig, n + 1, r))
                elif r.get("errors"):
                    print("  %s, %s, round %d: %d socket errors or non-2xx "
                          "answers" % (k, fig, n + 1, r["errors"]))
    size = os.path.getsize(images["threads"])
    print()
    print("Image: %s with TLS %d bytes (%.1f KiB) stripped; goal < %d KiB: "
          "%s" % (os.path.basename(images["threads"]), size, size / 1024.0,
                  SIZE_GOAL >> 10, "met" if size < SIZE_GOAL else "NOT met"))
    summary.append(h.row("https: httpd image with TLS, stripped (KiB)",
                         "%.1f" % (size / 1024.0), "", "",
                         "< %d" % (SIZE_GOAL >> 10), size < SIZE_GOAL))
    print("Linux guest: %s; nginx %s" % (
        h.linux_info(guest, guests["nginx"].output()), versions["nginx"]))
    for k in names:
        for fig in ("handshakes", "keepalive"):
            r = [x for x in res[k][fig] if isinstance(x, dict)]
            if r:
                print("%s, %s: %s" % (k, fig, r[0]["cmd"]))
    for k, c in cmds.items():
        print("QEMU, %s: %s" % (k, h.quote(c)))
    return summary
