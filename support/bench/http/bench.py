# SPDX-License-Identifier: BSD-3-Clause
"""HTTP: Cairn's httpd against busybox httpd, nginx and lighttpd in a
Linux guest.

wrk (Debian package wrk; support/deps.py bench-tools installs it as
root) fetches the same 612-byte page, /bench.html (apps/httpd/rootfs/
www/bench.html), from each server: one wrk thread, --conns connections
(10, 50, 200) for --seconds each after a --warmup, `--latency` for p50
and p99; then the same connection counts sending `Connection: close`
for --close-seconds each (0 leaves them out). The servers:

  Cairn     apps/httpd (lib/httpd on lwIP; its site packed into an
            initrd as make run does), access log off
  busybox   busybox httpd -f in the Linux guest (support/bench/
            linux_guest.py: Debian kernel, virtio_net)
  nginx     Debian's nginx in the same guest (webroot.py): one worker
            process, access log off, port 8080
  lighttpd  Debian's lighttpd in the same guest, port 8081

Cairn and the Linux guest boot together on QEMU's user network (hostfwd
ports), then on tap devices in a network namespace made here (wrk runs
inside it). Each row runs on every server in turn, in an order that
rotates from row to row. Before and after each of Cairn's rows the
benchmark reads /status.json's "net" counters (lib/lwip's
cn_lwip_stats_read(): retransmissions, duplicate ACKs, out-of-order segments,
SYNs dropped by a full listen backlog or refused by a TIME_WAIT
connection, pool failures, frames dropped by the device) and prints
what moved: counts that do not depend on how loaded the host is. The
goals (issue 15), against the fastest
Linux server of each row: req/s at least 3x in every keep-alive row; in
every row a p99 below that server's and at most 5x Cairn's own median,
and no socket error, timeout or non-2xx answer. Cairn's heap: its peak
(/status.json heap_peak) after the whole run at most 2x the peak after
the run's first second (a 1 s wrk at the largest connection count).
Then the stripped image size and the smallest -m at which it still
answers (bisection in 64 KiB steps between 1 MiB and 64 MiB, user
network; goal: 2 MiB).

Then (--no-variants leaves it out) Cairn against itself on user
networking, one image at a time: lib/httpd's thread-per-connection
image against its event-driven one (CONFIG_LIB_HTTPD_EVENTS) on the
page at each connection count, and a 1 MiB file (10 connections) sent
with sendfile() (the file's memory lent to lwIP) against
httpd.sendfile=0 (copied through the 16 KiB output buffer).

--arch arm64: both sides on QEMU -M virt (-cpu max,pauth=off, see
harness.ARCHES): Cairn for qemu-aarch64 (its NIC in virt's MMIO slots on
the user network, virtio-net-pci on its PCI bus on tap) and a Debian
arm64 guest (linux-image-arm64, busybox-static:arm64, httpserve built
with aarch64-linux-gnu-gcc). nginx and lighttpd are left out there:
webroot.py takes their amd64 packages and libraries from the host's apt.
"""
import json
import os
import random
import re
import shutil
import subprocess
import threading
import time

from support.bench import harness as h
from support.bench.http import webroot

TITLE = "wrk on httpd vs busybox httpd, nginx, lighttpd (Linux guest)"
APPS = [("httpd", "")]
SUBNETS = ("192.168.73", "192.168.74")	# Cairn on tap0, Linux on tap1
PAGE_PATH = "/bench.html"
BOOT_TIMEOUT = 300
SIZE_GOAL = 384 << 10
MEM_GOAL = 2 << 10			# KiB
SERVERS = (("cairn", "Cairn httpd", 80), ("busybox", "busybox httpd", 80),
           ("nginx", "nginx", 8080), ("lighttpd", "lighttpd", 8081))
LINUX = [k for k, _, _ in SERVERS if k != "cairn"]
RATIO_GOAL = 3.0			# req/s, keep-alive rows
P99_OF_MEDIAN = 5.0			# p99 at most this many medians
HEAP_GROWTH = 2.0			# peak at the end / after 1 s
BIG_PATH, BIG_SIZE = "/big.bin", 1 << 20

with open(webroot.PAGE, "rb") as _f:
    PAGE = _f.read()


def options(ap):
    ap.add_argument("--seconds", type=int, default=10,
                    help="length of each measured wrk run (default 10)")
    ap.add_argument("--warmup", type=int, default=2,
                    help="wrk warm-up per server, 10 connections (default 2)")
    ap.add_argument("--close-seconds", type=int, default=5,
                    help="each Connection: close run (default 5; 0: none)")
    ap.add_argument("--conns", default="10,50,200",
                    help="connection counts (default 10,50,200)")
    ap.add_argument("--no-variants", action="store_true",
                    help="skip Cairn's threads/events and sendfile/copy "
                    "comparison")
    h.backends_option(ap)
    ap.add_argument("--servers", default="nginx,lighttpd",
                    help="Debian web servers beside busybox httpd "
                    "(default nginx,lighttpd; '' for none)")
    ap.add_argument("--no-mem", action="store_true",
                    help="skip the smallest -m search")
    ap.add_argument("--mem-timeout", type=float, default=10,
                    help="seconds a -m probe may take to serve (default 10)")
    ap.add_argument("-v", "--verbose", action="store_true")
    h.arch_option(ap)


# ------------------------------------------------------------------ wrk

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    return float(m.group(1)) * UNITS[m.group(2)] if m else None


def guest_cpu(guest):
    """{thread id: seconds of CPU} of guest's QEMU process so far, from
    /proc; None when unknown."""
    if guest is None:
        return None
    base = "/proc/%d/task" % guest.proc.pid
    out = {}
    try:
        for tid in os.listdir(base):
            with open("%s/%s/stat" % (base, tid)) as f:
                st = f.read()
            f = st[st.rindex(")") + 2:].split()
            out[tid] = int(f[11]) + int(f[12])	# utime + stime, ticks
    except (OSError, ValueError):
        return None
    return out


def cpu_deltas(g0, g1, wall):
    """(busiest thread's, whole process's) share of one core between
    two guest_cpu() readings. QEMU names no thread unless asked, but
    under TCG with one vCPU the busiest thread is the vCPU's."""
    hz = os.sysconf("SC_CLK_TCK")
    d = [g1[t] - g0.get(t, 0) for t in g1]
    return max(d, default=0) / hz / wall, sum(d) / hz / wall


def wrk(ns, url, conns, seconds, close=False, guest=None):
    """One wrk run; its figures, or Fail. Also the host's side of it:
    wrk's own CPU time (r["wrk_cpu"], share of one core over the run)
    and, given the serving guest, its vCPU threads' and its QEMU
    process's (r["vcpu"], r["qemu_cpu"]): a wrk near 100% measures wrk,
    a vCPU well under 100% while requests wait means the host did not
    run the guest (load from elsewhere), neither of which the guest's
    counters can show. The vCPU is QEMU's busiest thread (TCG, one
    vCPU)."""
    cmd = ["wrk", "-t1", "-c%d" % conns, "-d%ds" % seconds, "--latency",
           "--timeout", "5s"] + (["-H", "Connection: close"] if close
                                 else []) + [url]
    g0, t0 = guest_cpu(guest), time.monotonic()
    load = os.getloadavg()[0]
    p = subprocess.Popen(h.in_ns(ns, cmd), stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True)
    killer = threading.Timer(seconds + 120, p.kill)
    killer.start()
    try:
        o = p.stdout.read()
        # wait4, not wait(): the child's own rusage (wrk's CPU time).
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
    finally:
        killer.cancel()
        p.stdout.close()
    wall = time.monotonic() - t0
    if p.returncode:
        raise h.Fail("wrk %s: %s" % (url, o.strip()))
    r = {"cmd": h.quote(cmd), "raw": o, "load": load,
         "wrk_cpu": (ru.ru_utime + ru.ru_stime) / wall}
    g1 = guest_cpu(guest)
    if g0 and g1:
        r["vcpu"], r["qemu_cpu"] = cpu_deltas(g0, g1, wall)
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
    m = re.search(r"^Transfer/sec:\s+([\d.]+)([KMG]?B)", o, re.M)
    r["mbps"] = float(m.group(1)) * {"B": 1e-6, "KB": 1.024e-3,
                                     "MB": 1.048576, "GB": 1073.741824}[
                                         m.group(2)] if m else 0.0
    if not r["requests"]:
        raise h.Fail("wrk %s: no request completed" % url)
    return r


def serves(client, url):
    """True when url answers 200 with the benchmark page."""
    r = client.call(op="get", url=url, timeout=5)
    if r["status"] != 200 or r["sha256"] != __import__(
            "hashlib").sha256(PAGE).hexdigest():
        raise h.Fail("%s answered %d with a different page" % (
            url, r["status"]))
    return True


# /status.json's "net" counters (lib/lwip's cn_lwip_stats_read()) that mean a
# drop, an overflow or a wait for a timer, printed per row as deltas.
TROUBLE = ("tcp_retrans", "tcp_syn_dups", "tcp_dupacks", "tcp_ooseq",
           "tcp_syn_backlog_drops", "tcp_syn_timewait", "tcp_drops",
           "tcp_mem_errors", "tcp_resets_sent", "memp_errors", "rx_drops",
           "tx_drops", "rx_missed_wakeups", "tx_missed_wakeups")


def net_counters(client, url):
    """Cairn's stack counters and httpd's refusals, or None when the
    image has none (an older /status.json)."""
    try:
        r = client.call(op="get", url=url.replace(PAGE_PATH,
                                                  "/status.json"),
                        timeout=10)
        st = json.loads(r["body"])
        return dict(st["net"], refused=st["refused"],
                    connections=st["connections"])
    except (h.Fail, TypeError, ValueError, KeyError):
        return None


def counter_deltas(a, b):
    """{name: b - a} of the counters that moved; None when unknown."""
    if a is None or b is None:
        return None
    return {k: b[k] - a[k] for k in b if k in a and b[k] != a[k]}


def heap_peak(client, url):
    """Cairn's heap_peak from /status.json beside url's page."""
    r = client.call(op="get", url=url.replace(PAGE_PATH, "/status.json"),
                    timeout=10)
    try:
        return int(json.loads(r["body"])["heap_peak"])
    except (TypeError, ValueError, KeyError) as e:
        raise h.Fail("/status.json has no heap_peak: %s" % e)


# -------------------------------------------------------------- servers

def boot(backend, ns, image, initrd, guest, linitrd):
    """Starts Cairn and the Linux guest; ({server: url}, guests)."""
    if ns:
        cnet, lnet = ns.net(0), ns.net(1)
    else:
        cnet = h.Net("user", [(h.free_port(), 80)])
        lnet = h.Net("user", [(h.free_port(), p) for _, _, p in SERVERS[1:]])
    ccmd = h.cairn_command(image, net=cnet, initrd=initrd,
                           params=("httpd.access_log=0 " +
                                   h.cairn_params(cnet)).strip())
    lcmd = h.linux_command(guest, net=lnet, initrd=linitrd)
    cg = h.Guest(h.in_ns(ns, ccmd), "Cairn on " + backend)
    lg = h.Guest(h.in_ns(ns, lcmd), "Linux guest on " + backend)
    urls = {}
    for key, _, port in SERVERS:
        host, p = (cnet if key == "cairn" else lnet).address(port)
        urls[key] = "http://%s:%d%s" % (host, p, PAGE_PATH)
    return urls, {"cairn": cg, "linux": lg}, {"cairn": ccmd, "linux": lcmd}


def run_backend(backend, image, initrd, guest, linitrd, a, rows, names):
    """Boots Cairn and the Linux guest, waits until every server serves
    the page, then runs every row on each server in turn. Returns
    ({server: {row: wrk result or failure text}}, commands, Linux info,
    Cairn's console warnings)."""
    ns = h.Namespace("http", SUBNETS) if backend == "tap" else None
    client = h.Client(ns)
    guests = {}
    try:
        urls, guests, cmds = boot(backend, ns, image, initrd, guest,
                                  linitrd)
        guests["cairn"].wait_for(r"INFO httpd: serving", BOOT_TIMEOUT)
        m = guests["linux"].wait_for(r"^httpserve: ready (.*)$",
                                     BOOT_TIMEOUT)
        up = dict(kv.split("=") for kv in m.group(1).split())
        h.linux_check(guests["linux"].output(), [])
        for k in list(names):
            if k in LINUX and not up.get(k, "none").isdigit():
                h.say("%s did not start in the Linux guest (%s)" % (
                    k, up.get(k)))
                names.remove(k)
        for k in names:
            g = guests["cairn" if k == "cairn" else "linux"]
            h.wait_ready(lambda: serves(client, urls[k]), 60,
                         "%s on %s" % (k, backend), g)
            h.attempt("%s warm-up" % k, wrk, ns, urls[k], 10, a.warmup)
        res = {k: {} for k in names}
        top = max(r[1] for r in rows)
        h.attempt("cairn, first second", wrk, ns, urls["cairn"], top, 1)
        heap = [heap_peak(client, urls["cairn"])]
        res["net"] = {}
        for i, (key, conns, seconds, close) in enumerate(rows):
            for j in range(len(names)):
                k = names[(i + j) % len(names)]
                if k == "cairn":
                    before = net_counters(client, urls[k])
                r, why = h.server_round(
                    "%s, %s" % (k, key),
                    guests["cairn" if k == "cairn" else "linux"],
                    lambda: wrk(ns, urls[k], conns, seconds, close,
                                guests["cairn" if k == "cairn"
                                       else "linux"]),
                    lambda: serves(client, urls[k]))
                res[k][key] = r or why
                if k == "cairn":
                    res["net"][key] = counter_deltas(
                        before, net_counters(client, urls[k]))
                if a.verbose and r:
                    h.say("%s %s: %.0f req/s" % (k, key, r["rps"]))
        heap.append(heap_peak(client, urls["cairn"]))
        res["heap"] = heap
    finally:
        client.close()
        for g in guests.values():
            g.kill()
        if ns:
            ns.delete()
    warn = [l for l in guests["cairn"].output().splitlines()
            if re.search(r"\b(ERR|WARN)\b|panic", l)]
    return res, cmds, h.linux_info(guest, guests["linux"].output()), warn


# ------------------------------------------------------- smallest -m

def answers(image, initrd, mem_k, a, client):
    """(True, "") if the image at -m mem_k KiB answers GET /bench.html,
    else (False, why)."""
    try:
        net = h.Net("user", [(h.free_port(), 80)])
        cmd = h.cairn_command(image, net=net, initrd=initrd,
                              params="httpd.access_log=0",
                              mem="%dK" % mem_k)
    except h.Fail as e:
        return False, str(e).splitlines()[-1]
    g = h.Guest(cmd, "Cairn -m %dK" % mem_k)
    try:
        g.wait_for(r"INFO httpd: serving", a.mem_timeout)
        serves(client, "http://127.0.0.1:%d%s" % (net.fwds[0][0],
                                                  PAGE_PATH))
        return True, ""
    except h.Fail as e:
        lines = [l for l in g.output().splitlines() if l.strip()]
        rc = g.proc.poll()
        if lines:
            return False, lines[-1].strip()
        if rc is not None:
            return False, ("no console output, QEMU exit %d%s" % (
                rc, " (the guest reset: triple fault)" if rc == 0 else ""))
        return False, str(e).splitlines()[0]
    finally:
        g.kill()


def smallest_mem(image, initrd, a):
    """Bisection over 64 KiB steps in [1 MiB, 64 MiB]; (KiB, why the
    next step down failed) or (None, why) when 64 MiB fails."""
    client = h.Client()
    try:
        lo, hi, step = 1024, 65536, 64
        ok, why = answers(image, initrd, hi, a, client)
        if not ok:
            return None, why
        ok, why = answers(image, initrd, lo, a, client)
        if ok:
            return lo, "(the bottom of the search)"
        fail_why = why
        while hi - lo > step:
            mid = lo + (hi - lo) // step // 2 * step
            ok, why = answers(image, initrd, mid, a, client)
            if a.verbose:
                h.say("-m %dK: %s %s" % (mid, "answers" if ok else "no",
                                         why))
            if ok:
                hi = mid
            else:
                lo, fail_why = mid, why
        return hi, "-m %dK: %s" % (lo, fail_why)
    finally:
        client.close()


# ------------------------------------------------- Cairn against itself

def variant_initrd(out):
    """apps/httpd's site plus a 1 MiB file (the same bytes every run)."""
    root = os.path.join(out, "variant-rootfs")
    if os.path.exists(root):
        shutil.rmtree(root)
    shutil.copytree(os.path.join(h.SRCTREE, "apps", "httpd", "rootfs"),
                    root)
    rnd = random.Random(15)
    with open(os.path.join(root, "www", BIG_PATH[1:]), "wb") as f:
        f.write(bytes(rnd.getrandbits(8) for _ in range(BIG_SIZE)))
    initrd = os.path.join(out, "variant.cpio")
    subprocess.run([h.PYTHON, os.path.join(h.SRCTREE, "support",
                                           "mkinitrd.py"), "--quiet",
                    root, initrd], check=True)
    return initrd


def site_initrd(cdir):
    """cdir/initrd.cpio made from apps/httpd/rootfs (again only when the
    tree changed): the site every httpd benchmark serves."""
    initrd = os.path.join(cdir, "initrd.cpio")
    subprocess.run([h.PYTHON, os.path.join(h.SRCTREE, "support",
                                           "mkinitrd.py"),
                    "--if-changed", "--quiet",
                    os.path.join(h.SRCTREE, "apps", "httpd", "rootfs"),
                    initrd], check=True)
    return initrd


def variant(image, initrd, params, label, jobs, a):
    """Boots image on user networking with params; runs jobs ([(key,
    path, conns)]) one after the other: {key: wrk result or why}."""
    net = h.Net("user", [(h.free_port(), 80)])
    cmd = h.cairn_command(image, net=net, initrd=initrd,
                          params=("httpd.access_log=0 " + params).strip())
    g = h.Guest(cmd, label)
    client = h.Client()
    base = "http://127.0.0.1:%d" % net.fwds[0][0]
    out = {}
    try:
        g.wait_for(r"INFO httpd: serving", BOOT_TIMEOUT)
        h.wait_ready(lambda: serves(client, base + PAGE_PATH), 60, label, g)
        h.attempt("%s warm-up" % label, wrk, None, base + PAGE_PATH, 10,
                  a.warmup)
        for key, path, conns in jobs:
            r, why = h.server_round(
                "%s, %s" % (label, key), g,
                lambda: wrk(None, base + path, conns, a.seconds),
                lambda: serves(client, base + PAGE_PATH))
            out[key] = r or why
    finally:
        client.close()
        g.kill()
    return out, cmd


def run_variants(a, image, out, conns):
    """Threads against events, sendfile against the copy; summary rows."""
    events = h.make_cairn(os.path.join(out, "cairn-events"), "httpd",
                          "CONFIG_LIB_HTTPD_EVENTS=y\n")
    initrd = variant_initrd(out)
    page = [("c%d" % c, PAGE_PATH, c) for c in conns]
    big = [("big", BIG_PATH, 10)]
    res, cmds = {}, {}
    for key, img, params, jobs in (
            ("threads", image, "", page + big),
            ("events", events, "", page + big),
            ("threads-copy", image, "httpd.sendfile=0", big),
            ("events-copy", events, "httpd.sendfile=0", big)):
        res[key], cmds[key] = variant(img, initrd, params, "Cairn " + key,
                                      jobs, a)
    rows, summary = [], []
    for c in conns:
        t, e = res["threads"].get("c%d" % c), res["events"].get("c%d" % c)
        rows.append(["page, %d conns" % c, cell(t), cell(e),
                     h.ratio(rps(e), rps(t))])
        summary.append(h.row("http, Cairn events vs threads: req/s, %d "
                             "conns (user)" % c,
                             "%.0f" % rps(e) if rps(e) else "failed",
                             "%.0f" % rps(t) if rps(t) else "failed",
                             h.ratio(rps(e), rps(t))))
    for mode in ("threads", "events"):
        z, cp = res[mode].get("big"), res[mode + "-copy"].get("big")
        mz = z["mbps"] if isinstance(z, dict) else None
        mc = cp["mbps"] if isinstance(cp, dict) else None
        rows.append(["1 MiB file, %s: sendfile | copy" % mode, cell(z),
                     cell(cp), h.ratio(mz, mc)])
        summary.append(h.row("http, Cairn %s: MB/s of a 1 MiB file, "
                             "sendfile vs copy (user)" % mode,
                             "%.1f" % mz if mz else "failed",
                             "%.1f" % mc if mc else "failed",
                             h.ratio(mz, mc)))
    h.table("Cairn against itself on QEMU user networking, wrk -t1, %d s "
            "each: req/s and p50/p99 (ms)" % a.seconds,
            ["", "threads | sendfile", "events | copy", "ratio"], rows)
    for mode in ("threads", "events"):
        for key in ("big", ):
            for k2 in (mode, mode + "-copy"):
                r = res[k2].get(key)
                if isinstance(r, dict):
                    print("  %s, 1 MiB file: %.1f MB/s" % (k2, r["mbps"]))
    for key, c in cmds.items():
        print("QEMU, Cairn %s: %s" % (key, h.quote(c)))
    return summary


# -------------------------------------------------------------- output

def fmt_ms(v):
    return "?" if v is None else ("%.2f" % v if v < 10 else "%.1f" % v)


def cell(r):
    if not isinstance(r, dict):
        return "failed"
    return "%.0f  %s/%s" % (r["rps"], fmt_ms(r["p50"]), fmt_ms(r["p99"]))


def rps(r):
    return r["rps"] if isinstance(r, dict) else None


def problems(r):
    if not isinstance(r, dict):
        return [r or "failed"]
    out = []
    errs = {k: v for k, v in r["errors"].items() if v}
    if errs:
        out.append("socket errors " + ", ".join("%s %d" % kv
                                                for kv in errs.items()))
    if r["non2xx"]:
        out.append("non-2xx %d" % r["non2xx"])
    return out


def errors(r):
    """Socket errors, timeouts and non-2xx answers of one wrk run."""
    return sum(r["errors"].values()) + r["non2xx"]


def p99_goal(c, b):
    """(met, text) of the p99 goals for Cairn's run c against b's."""
    if not isinstance(c, dict) or not isinstance(b, dict) or \
            c["p99"] is None or b["p99"] is None or not c["p50"]:
        return False, "?"
    met = c["p99"] < b["p99"] and c["p99"] <= P99_OF_MEDIAN * c["p50"] \
        and not errors(c)
    return met, "%s: p99 %s vs %s, %.1fx p50, %d errors" % (
        "met" if met else "NOT met", fmt_ms(c["p99"]), fmt_ms(b["p99"]),
        c["p99"] / c["p50"], errors(c))


def fastest(res, key, names):
    """(name, req/s) of the fastest Linux server in row key."""
    best = max(((k, rps(res[k].get(key))) for k in names if k in LINUX),
               key=lambda kv: kv[1] or 0, default=(None, None))
    return best if best[1] else (None, None)


def table(backend, res, rows, names):
    heads = [n for k, n, _ in SERVERS if k in names]
    others = [k for k in names if k != "cairn"]
    out = []
    for key, conns, seconds, close in rows:
        label = "%d conns, %d s%s" % (conns, seconds,
                                      ", Connection: close" if close else "")
        c = rps(res["cairn"].get(key))
        best, b = fastest(res, key, names)
        cr = res["cairn"].get(key)
        out.append([label] + [cell(res[k].get(key)) for k in names] +
                   [h.ratio(c, rps(res[k].get(key))) for k in others] +
                   ["%s %s" % (h.ratio(c, b), best or ""),
                    "%d" % errors(cr) if isinstance(cr, dict) else "?",
                    p99_goal(cr, res[best].get(key) if best else None)[1]])
    h.table("HTTP on %s: GET %s (%d bytes), wrk -t1, req/s and p50/p99 "
            "latency (ms)" % ("QEMU user networking (hostfwd)"
                              if backend == "user" else
                              "a tap device in a network namespace",
                              PAGE_PATH, len(PAGE)),
            [""] + heads + ["Cairn/" + k for k in others] +
            ["Cairn/fastest", "Cairn errors", "Cairn p99 goal"], out)
    for key, _, _, _ in rows:
        d = res.get("net", {}).get(key)
        if d is None:
            print("  Cairn's stack, %s: no counters" % key)
            continue
        bad = ["%s +%d" % (n, d[n]) for n in TROUBLE if d.get(n)]
        print("  Cairn's stack, %s: %d connections accepted, %d refused; "
              "%s" % (key, d.get("tcp_passive_opens", 0),
                      d.get("refused", 0), ", ".join(bad) or
                      "no drop, overflow or retransmission") +
              ("; %d SYNs ended a TIME_WAIT" % d["tcp_timewait_reused"]
               if d.get("tcp_timewait_reused") else ""))
    for key, _, _, _ in rows:
        cpu = []
        for k in names:
            r = res[k].get(key)
            if isinstance(r, dict) and "wrk_cpu" in r:
                cpu.append("%s: wrk %.0f%%%s" % (
                    k, 100 * r["wrk_cpu"], ", vCPU %.0f%% (QEMU %.0f%%)" % (
                        100 * r["vcpu"], 100 * r["qemu_cpu"])
                    if "vcpu" in r else ""))
        if cpu:
            print("  Host CPU, %s (load %.1f; %% of one core): %s" % (
                key, res["cairn"][key]["load"] if isinstance(
                    res["cairn"].get(key), dict) else 0, "; ".join(cpu)))
    heap = res.get("heap")
    if heap:
        print("  Cairn's heap peak: %d bytes after the first second, %d "
              "after the run (%.2fx; goal <= %.0fx)" % (
                  heap[0], heap[1], heap[1] / heap[0], HEAP_GROWTH))
    for key, _, _, _ in rows:
        for k in names:
            p = problems(res[k].get(key))
            if p:
                print("  %s, %s: %s" % (k, key, "; ".join(p)))


def summary_rows(backend, res, rows, names):
    out = []
    for key, conns, _, close in rows:
        fig = "http on %s: req/s, %d conns%s" % (
            backend, conns, ", Connection: close" if close else "")
        c = rps(res["cairn"].get(key))
        best, b = fastest(res, key, names)
        if not c or not b:
            out.append(h.failed_row(fig, "a server failed twice"))
            continue
        out.append(h.row(fig, "%.0f" % c, "%.0f (%s)" % (b, best),
                         h.ratio(c, b), "" if close else
                         ">= %.1fx fastest" % RATIO_GOAL,
                         None if close else c / b >= RATIO_GOAL))
        cr, br = res["cairn"].get(key), res[best].get(key)
        met, text = p99_goal(cr, br)
        out.append(h.row(fig.replace("req/s", "p99 ms"),
                         fmt_ms(cr["p99"]), fmt_ms(br["p99"]),
                         h.ratio(cr["p99"], br["p99"]),
                         "< fastest's, <= %.0fx p50, 0 errors"
                         % P99_OF_MEDIAN, met) | {"why": text})
    heap = res.get("heap")
    if heap:
        out.append(h.row("http on %s: heap peak, end / first second"
                         % backend, "%d" % heap[1], "%d" % heap[0],
                         h.ratio(heap[1], heap[0]),
                         "<= %.0fx" % HEAP_GROWTH,
                         heap[1] <= HEAP_GROWTH * heap[0]))
    return out


def run(a):
    h.use_arch(a.arch)
    sfx = "" if a.arch == "x86_64" else "-" + a.arch    # build folders
    if a.arch != "x86_64" and a.servers:
        h.say("--arch %s: nginx and lighttpd left out (amd64 packages "
              "only)" % a.arch)
        a.servers = ""
    backends = h.backends(a)
    try:
        conns = [int(c) for c in a.conns.split(",") if c]
    except ValueError:
        raise h.Fail("--conns takes numbers: 10,50")
    extra = [s for s in a.servers.split(",") if s]
    if any(s not in webroot.SERVERS for s in extra):
        raise h.Fail("--servers takes %s" % ",".join(webroot.SERVERS))
    if not conns or any(not 1 <= c <= 1000 for c in conns) or \
            not 1 <= a.seconds <= 300 or not 1 <= a.warmup <= 60:
        raise h.Fail("need 1..1000 connections, 1 <= --seconds <= 300, "
                     "1 <= --warmup <= 60")
    rows = [("c%d" % c, c, a.seconds, False) for c in conns]
    if a.close_seconds > 0:
        rows += [("close%d" % c, c, a.close_seconds, True) for c in conns]
    p = subprocess.run([h.PYTHON, os.path.join(h.SRCTREE, "support",
                                               "deps.py"),
                        "bench-tools", "--quiet"])
    if p.returncode:
        raise h.Fail("wrk or iproute2 is missing (see above)")
    cdir = os.path.join(a.out, "cairn" + sfx)
    image = h.make_cairn(cdir, "httpd", h.ARCHES[a.arch]["config"])
    initrd = site_initrd(cdir)
    ldir = os.path.join(a.out, "linux" + sfx)
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "httpserve.c")
    web, versions, notes = webroot.archive(ldir, extra)
    for n in notes:
        h.say(n)
    summary, info, cmds, bad = [], "", {}, []
    for backend in backends:
        guest = h.linux_guest(
            os.path.join(ldir, "guest-" + backend), [src], ["httpserve"],
            h.guest_setup(SUBNETS[1] + ".2" if backend == "tap" else None),
            h.nic_modules())
        linitrd = webroot.combined_initrd(
            guest["initrd"], web, os.path.join(ldir, "guest-" + backend))
        names = ["cairn", "busybox"] + [k for k in LINUX if k in versions]
        h.say("%s back-end: %s" % (backend, ", ".join(names)))
        try:
            res, cmds[backend], info, b = run_backend(
                backend, image, initrd, guest, linitrd, a, rows, names)
        except h.Fail as e:
            h.say("%s back-end: %s" % (backend, e))
            summary.append(h.failed_row("http on %s" % backend,
                                        str(e).splitlines()[0]))
            continue
        bad += b
        table(backend, res, rows, names)
        summary += summary_rows(backend, res, rows, names)
    size = os.path.getsize(image)
    print()
    print("Image: %s %d bytes (%.1f KiB) stripped; goal < %d KiB: %s" % (
        os.path.basename(image), size, size / 1024.0, SIZE_GOAL >> 10,
        "met" if size < SIZE_GOAL else "NOT met"))
    summary.append(h.row("http: httpd image, stripped (KiB)",
                         "%.1f" % (size / 1024.0), "", "",
                         "< %d" % (SIZE_GOAL >> 10), size < SIZE_GOAL))
    if not a.no_mem:
        h.say("smallest -m for the httpd image")
        kib, why = smallest_mem(image, initrd, a)
        if kib is None:
            print("Smallest -m: none up to 64 MiB answers (%s)" % why)
            summary.append(h.failed_row("http: smallest -m (KiB)", why))
        else:
            print("Smallest -m that answers GET %s: %dK (%.2f MiB); one "
                  "step below, %s" % (PAGE_PATH, kib, kib / 1024.0, why))
            summary.append(h.row("http: smallest -m that serves (KiB)",
                                 "%d" % kib, "", "", "<= %d" % MEM_GOAL,
                                 kib <= MEM_GOAL))
    if not a.no_variants:
        h.say("Cairn against itself: threads/events, sendfile/copy")
        try:
            summary += run_variants(a, image, a.out, conns)
        except h.Fail as e:
            h.say("variants: %s" % e)
            summary.append(h.failed_row("http: Cairn variants",
                                        str(e).splitlines()[0]))
    if bad:
        print("Cairn's console had warnings or errors:")
        for l in bad[:10]:
            print("  " + l)
    print("Linux guest: %s%s" % (info, "".join(
        "; %s %s" % kv for kv in sorted(versions.items()))))
    for backend, c in cmds.items():
        print("QEMU, Cairn, %s: %s" % (backend, h.quote(c["cairn"])))
        print("QEMU, Linux, %s: %s" % (backend, h.quote(c["linux"])))
    return summary
