# SPDX-License-Identifier: BSD-3-Clause
"""HTTP: Cairn's httpd against busybox httpd and nginx in a Linux guest.

    /usr/bin/python3 support/bench/http/compare.py [--O DIR]
        [--seconds S] [--warmup S] [--close-seconds S] [--conns 10,50]
        [--backends user,tap] [--no-nginx] [--no-mem] [-v]

wrk (Debian package wrk; support/deps.py bench-tools installs it as
root) fetches the same 612-byte page, /bench.html (apps/httpd/rootfs/
www/bench.html), from each server: one wrk thread, 10 and then 50
connections, S seconds each (default 10) after a warm-up (default 2 s,
10 connections), `--latency` for p50 and p99; then, for --close-seconds
(default 5, 0 leaves it out), 10 connections sending `Connection: close`
(a new connection per request: busybox httpd closes after every answer
anyway). The servers:

  Cairn   apps/httpd (lib/httpd on lwIP; its site packed into an initrd
          by support/mkinitrd.py, as make run does), access log off
          (httpd.access_log=0)
  busybox busybox httpd -f in the Linux guest of
          support/bench/linux-guest/build.py (Debian kernel, virtio_net)
  nginx   Debian's nginx in the same guest, packed into its initramfs by
          webroot.py (one worker process, access log off)

Same QEMU for all: -M pc, TCG, -cpu max, -m 256M, one vCPU, virtio-net-pci
on QEMU's user network through hostfwd ports, then on tap devices in a
network namespace created here (wrk runs inside it; the namespace is
deleted at exit). On a back-end Cairn and the Linux guest boot together
and stay up; each row then runs on every server in turn (the order
rotates from row to row), so that the host's changing load falls on all
of them alike. Then the stripped httpd image size and the smallest
-m at which it still answers GET /bench.html (bisection in 64 KiB steps
between 1 MiB and 64 MiB, user network). Prints tables with the ratios
Cairn/busybox and Cairn/nginx (req/s: higher is Cairn faster); wrk's
socket errors and non-2xx answers are shown, never hidden. No goal is
enforced, no timing assertion; exits 1 when a server fails to come up
or serves the wrong page. `make bench-http`.
"""
import argparse
import hashlib
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tcp"))
sys.path.insert(0, HERE)
import harness as h				# noqa: E402
import webroot					# noqa: E402

SUBNETS = ("192.168.73", "192.168.74")	# Cairn on tap0, Linux on tap1
PAGE_PATH = "/bench.html"
BOOT_TIMEOUT = 180
SIZE_GOAL = 384 << 10
SERVERS = (("cairn", "Cairn httpd"), ("busybox", "busybox httpd"),
           ("nginx", "nginx"))


def say(msg):
    print("bench-http: " + msg, file=sys.stderr, flush=True)


with open(webroot.PAGE, "rb") as _f:
    PAGE = _f.read()

FETCH = ("import hashlib, sys, urllib.request\n"
         "d = urllib.request.urlopen(sys.argv[1], timeout=10).read()\n"
         "print(hashlib.sha256(d).hexdigest())\n")


def check_page(ns, url):
    """Fails unless url answers with the benchmark page."""
    p = subprocess.run((ns.prefix if ns else []) +
                       [h.PYTHON, "-c", FETCH, url],
                       capture_output=True, text=True, timeout=60)
    if p.stdout.strip() != hashlib.sha256(PAGE).hexdigest():
        raise h.Fail("%s did not answer with the %d-byte page: %s"
                     % (url, len(PAGE), (p.stderr.strip().splitlines()
                                         or ["wrong content"])[-1]))


# ------------------------------------------------------------------ wrk

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    return float(m.group(1)) * UNITS[m.group(2)] if m else None


def wrk(ns, url, conns, seconds, close=False):
    cmd = (ns.prefix if ns else []) + [
        "wrk", "-t1", "-c%d" % conns, "-d%ds" % seconds, "--latency",
        "--timeout", "5s"]
    if close:
        cmd += ["-H", "Connection: close"]
    cmd.append(url)
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=seconds + 120)
    if p.returncode:
        raise h.Fail("wrk failed (%s):\n%s" % (h.quote(cmd),
                                               h.last_lines(p.stdout +
                                                            p.stderr)))
    o = p.stdout
    r = {"cmd": h.quote(cmd[len(ns.prefix) if ns else 0:]), "raw": o}
    m = re.search(r"^Requests/sec:\s+([\d.]+)", o, re.M)
    r["rps"] = float(m.group(1)) if m else 0.0
    m = re.search(r"(\d+) requests in ([\d.]+\w+), ([\d.]+\w+) read", o)
    r["requests"] = int(m.group(1)) if m else 0
    for pc in ("50", "99"):
        m = re.search(r"^\s+%s%%\s+(\S+)\s*$" % pc, o, re.M)
        r["p" + pc] = ms(m.group(1)) if m else None
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                  r"timeout (\d+)", o)
    r["errors"] = dict(zip(("connect", "read", "write", "timeout"),
                           map(int, m.groups()))) if m else {}
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", o)
    r["non2xx"] = int(m.group(1)) if m else 0
    return r


def start_cairn(image, initrd, backend, ns, tap):
    hp = h.free_port()
    params = "httpd.access_log=0"
    if tap:
        params += " net.ip=%s/24" % tap["guest_ip"]
    cmd = h.cairn_command(image, backend, params=params, fwds=[(hp, 80)],
                          initrd=initrd,
                          tap=tap["ifname"] if tap else "tap0")
    g = h.Guest((ns.prefix if ns else []) + cmd, "Cairn on " + backend)
    host = tap["guest_ip"] if tap else "127.0.0.1:%d" % hp
    return g, {"cairn": "http://%s%s" % (host, PAGE_PATH)}, h.quote(cmd)


def start_linux(guest, initrd, backend, ns, tap, nginx):
    hp, hp2 = h.free_port(), h.free_port()
    cmd = h.linux_command(guest, backend, [(hp, 80), (hp2, 8080)],
                          initrd=initrd,
                          tap=tap["ifname"] if tap else "tap0")
    g = h.Guest((ns.prefix if ns else []) + cmd, "Linux on " + backend)
    urls = {}
    for name, port, fwd in [("busybox", 80, hp)] + \
            ([("nginx", 8080, hp2)] if nginx else []):
        host = "%s:%d" % (tap["guest_ip"], port) if tap else \
            "127.0.0.1:%d" % fwd
        urls[name] = "http://%s%s" % (host, PAGE_PATH)
    return g, urls, h.quote(cmd)


def run_backend(backend, image, initrd, guest, linitrd, a, rows, nginx):
    """Boots Cairn and the Linux guest together, then runs every row on
    each server in turn (a rotated order per row). Returns ({server:
    {row: wrk result}}, {side: QEMU command}, Linux guest info, Cairn's
    console warnings)."""
    ns = h.Namespace("http", SUBNETS) if backend == "tap" else None
    guests = []
    try:
        cg, urls, ccmd = start_cairn(image, initrd, backend, ns,
                                     ns.taps[0] if ns else None)
        guests.append(cg)
        lg, lurls, lcmd = start_linux(guest, linitrd, backend, ns,
                                      ns.taps[1] if ns else None, nginx)
        guests.append(lg)
        urls.update(lurls)
        cg.wait_for(r"INFO httpd: serving", BOOT_TIMEOUT)
        m = lg.wait_for(r"^httpserve: ready busybox=80 nginx=(\S+)",
                        BOOT_TIMEOUT)
        if nginx and m.group(1) != "8080":
            raise h.Fail("nginx did not start in the Linux guest; "
                         "console:\n%s" % h.last_lines(lg.output()))
        bad = h.linux_problems(lg.output())
        if bad:
            raise h.Fail("Linux guest: %s" % "; ".join(bad))
        names = [k for k, _ in SERVERS if k in urls]
        res = {k: {} for k in names}
        for k in names:
            check_page(ns, urls[k])
            wrk(ns, urls[k], 10, a.warmup)
        for i, (key, conns, seconds, close) in enumerate(rows):
            for j in range(len(names)):
                k = names[(i + j) % len(names)]
                res[k][key] = wrk(ns, urls[k], conns, seconds, close)
                if a.verbose:
                    say("%s %s: %.0f req/s" % (k, key, res[k][key]["rps"]))
        for g in guests:
            if g.proc.poll() is not None:
                raise h.Fail("%s stopped during the run; console:\n%s"
                             % (g.label, h.last_lines(g.output())))
    finally:
        for g in guests:
            g.kill()
        if ns:
            ns.delete()
    warn = [l for l in cg.output().splitlines()
            if re.search(r"\b(ERR|WARN)\b|panic", l)]
    return res, {"cairn": ccmd, "linux": lcmd}, \
        h.linux_info(guest, lg.output()), warn


# ------------------------------------------------------- smallest -m

def answers(image, initrd, mem_k, a):
    """True if the image at -m mem_k KiB answers GET /bench.html."""
    why = h.cairn_refusal(image, "%dK" % mem_k)
    if why:
        return False, why.splitlines()[-1]
    hp = h.free_port()
    cmd = h.cairn_command(image, "user", params="httpd.access_log=0",
                          fwds=[(hp, 80)], initrd=initrd, mem="%dK" % mem_k)
    g = h.Guest(cmd, "Cairn -m %dK" % mem_k)
    try:
        g.wait_for(r"INFO httpd: serving", a.mem_timeout)
        check_page(None, "http://127.0.0.1:%d%s" % (hp, PAGE_PATH))
        return True, ""
    except (h.Fail, subprocess.TimeoutExpired) as e:
        lines = [l for l in g.output().splitlines() if l.strip()]
        rc = g.proc.poll()
        if lines:
            return False, lines[-1].strip()
        if rc is not None:
            return False, ("no console output, QEMU exit %d (%s)" % (
                rc, "the guest reset: triple fault" if rc == 0 else
                "see its status"))
        return False, str(e).splitlines()[0]
    finally:
        g.kill()


def smallest_mem(image, initrd, a):
    """Bisection over 64 KiB steps in [1 MiB, 64 MiB]; (KiB, reason the
    next step down failed) or (None, why) when 64 MiB fails."""
    lo, hi, step = 1024, 65536, 64
    ok, why = answers(image, initrd, hi, a)
    if not ok:
        return None, why
    ok, why = answers(image, initrd, lo, a)
    if ok:
        return lo, "(the bottom of the search)"
    fail_why = why
    while hi - lo > step:
        mid = lo + (hi - lo) // step // 2 * step
        ok, why = answers(image, initrd, mid, a)
        if a.verbose:
            say("-m %dK: %s %s" % (mid, "answers" if ok else "no", why))
        if ok:
            hi = mid
        else:
            lo, fail_why = mid, why
    return hi, "-m %dK: %s" % (lo, fail_why)


# -------------------------------------------------------------- output

def cell(r):
    if not r:
        return "-"
    return "%.0f  %s/%s" % (r["rps"], fmt_ms(r["p50"]), fmt_ms(r["p99"]))


def fmt_ms(v):
    return "?" if v is None else ("%.2f" % v if v < 10 else "%.1f" % v)


def problems(r):
    errs = sum(r["errors"].values()) if r["errors"] else 0
    out = []
    if errs:
        out.append("socket errors " + ", ".join(
            "%s %d" % kv for kv in r["errors"].items() if kv[1]))
    if r["non2xx"]:
        out.append("non-2xx %d" % r["non2xx"])
    if not r["requests"]:
        out.append("no request completed")
    return out


def table(backend, res, rows, names, a):
    print()
    print("HTTP on %s: GET %s (%d bytes), wrk -t1, req/s and p50/p99 "
          "latency (ms)" % ("QEMU user networking (hostfwd)"
                            if backend == "user" else
                            "a tap device in a network namespace",
                            PAGE_PATH, len(PAGE)))
    heads = [n for k, n in SERVERS if k in names]
    line = "%-30s" + " %24s" * len(heads) + "  %s"
    print(line % tuple([""] + heads + ["  ".join(
        "Cairn/" + k for k in names if k != "cairn")]))
    for key, conns, seconds, close in rows:
        label = "%d conns, %d s%s" % (conns, seconds,
                                      ", Connection: close" if close else "")
        cells = [cell(res[k].get(key)) for k in names]
        c = res["cairn"][key]["rps"]
        ratios = "  ".join("%.2fx" % (c / res[k][key]["rps"])
                           if res[k][key]["rps"] else "-"
                           for k in names if k != "cairn")
        print(line % tuple([label] + cells + [ratios]))
    for key, conns, seconds, close in rows:
        for k in names:
            p = problems(res[k][key])
            if p:
                print("  %s, %s: %s" % (k, key, "; ".join(p)))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--O", dest="out",
                    default=os.path.join(h.SRCTREE, "build", "bench-http"))
    ap.add_argument("--seconds", type=int, default=10,
                    help="length of each measured wrk run (default 10)")
    ap.add_argument("--warmup", type=int, default=2,
                    help="wrk warm-up per server, 10 connections (default 2)")
    ap.add_argument("--close-seconds", type=int, default=5,
                    help="the Connection: close run (default 5; 0: none)")
    ap.add_argument("--conns", default="10,50",
                    help="connection counts (default 10,50)")
    ap.add_argument("--backends", default="user,tap",
                    help="user, tap or both (default user,tap)")
    ap.add_argument("--no-nginx", action="store_true",
                    help="leave nginx out (busybox httpd only)")
    ap.add_argument("--no-mem", action="store_true",
                    help="skip the smallest -m search")
    ap.add_argument("--mem-timeout", type=float, default=10,
                    help="seconds a -m probe may take to serve (default 10)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    backends = [b for b in a.backends.split(",") if b]
    if not backends or any(b not in ("user", "tap") for b in backends):
        ap.error("--backends takes user, tap or user,tap")
    try:
        conns = [int(c) for c in a.conns.split(",") if c]
    except ValueError:
        ap.error("--conns takes numbers: 10,50")
    if not conns or any(not 1 <= c <= 1000 for c in conns) or \
            not 1 <= a.seconds <= 300 or not 1 <= a.warmup <= 60:
        ap.error("need 1..1000 connections, 1 <= --seconds <= 300, "
                 "1 <= --warmup <= 60")
    rows = [("c%d" % c, c, a.seconds, False) for c in conns]
    if a.close_seconds > 0:
        rows.append(("close", 10, a.close_seconds, True))
    out = os.path.abspath(a.out)
    t0 = time.monotonic()
    p = subprocess.run([h.PYTHON, os.path.join(h.SRCTREE, "support",
                                               "deps.py"),
                        "bench-tools", "--quiet"])
    if p.returncode:
        say("error: wrk or iproute2 is missing (see above)")
        return 1
    try:
        cdir = os.path.join(out, "cairn")
        image, size = h.make_cairn(cdir, "httpd")
        initrd = os.path.join(cdir, "initrd.cpio")
        subprocess.run([h.PYTHON, os.path.join(h.SRCTREE, "support",
                                               "mkinitrd.py"),
                        "--if-changed", "--quiet",
                        os.path.join(h.SRCTREE, "apps", "httpd", "rootfs"),
                        initrd], check=True)
        ldir = os.path.join(out, "linux")
        prog = h.build_static(os.path.join(HERE, "httpserve.c"),
                              os.path.join(ldir, "httpserve"))
        web, versions, note = webroot.archive(ldir, not a.no_nginx)
        if note:
            say(note)
        nginx = bool(versions)
        names = ["cairn", "busybox"] + (["nginx"] if nginx else [])
        results, flags, info, bad = {}, {}, "", []
        for backend in backends:
            guest = h.linux_guest(
                os.path.join(ldir, "guest-" + backend), [prog],
                ["httpserve"], h.linux_setup(backend, SUBNETS[1] + ".2"))
            linitrd = webroot.combined_initrd(
                guest["initrd"], web, os.path.join(ldir, "guest-" + backend))
            say("%s back-end: Cairn httpd, busybox httpd%s" % (
                backend, ", nginx" if nginx else ""))
            results[backend], f, info, b = run_backend(
                backend, image, initrd, guest, linitrd, a, rows, nginx)
            flags["cairn", backend] = f["cairn"]
            flags["linux", backend] = f["linux"]
            bad += b
        mem = None
        if not a.no_mem:
            say("smallest -m for the httpd image")
            mem = smallest_mem(image, initrd, a)
    except h.Fail as e:
        say("error: %s" % e)
        return 1
    for backend in backends:
        table(backend, results[backend], rows, names, a)
    print()
    print("Image: httpd_qemu-x86_64 %d bytes (%.1f KiB) stripped; goal "
          "< %d KiB: %s" % (size, size / 1024.0, SIZE_GOAL >> 10,
                           "met" if size < SIZE_GOAL else "NOT met"))
    if mem:
        kib, why = mem
        if kib is None:
            print("Smallest -m: none up to 64 MiB answers (%s)" % why)
        else:
            print("Smallest -m that answers GET %s: %dK (%.2f MiB); one "
                  "step below, %s" % (PAGE_PATH, kib, kib / 1024.0, why))
    if bad:
        print("Cairn's console had warnings or errors:")
        for l in bad[:10]:
            print("  " + l)
    print("Linux guest: %s%s" % (info, "; " + ", ".join(
        "%s %s" % kv for kv in sorted(versions.items())
        if kv[0] == "nginx") if versions else ""))
    r0 = results[backends[0]]["cairn"]
    print("wrk: " + "; ".join(r0[k]["cmd"] for k, _, _, _ in rows)
          + " (after a warm-up: -c10 -d%ds)" % a.warmup)
    for backend in backends:
        print("QEMU, Cairn, %s: %s" % (backend, flags["cairn", backend]))
        print("QEMU, Linux, %s: %s" % (backend, flags["linux", backend]))
    say("took %.0f s" % (time.monotonic() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
