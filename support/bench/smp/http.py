# SPDX-License-Identifier: BSD-3-Clause
"""make bench-smp's httpd section: Cairn's apps/httpd built with SMP at
-smp 1 and at -smp 2, and the Linux guest's servers at -smp 2 (busybox
httpd, nginx, lighttpd, configured as make bench-http runs them: nginx
with one worker process), all on QEMU user networking, one guest at a
time so that each has both host cores. wrk (one thread, keep-alive)
fetches /bench.html with each --http-conns count for --http-seconds,
then with each --http-close count and `Connection: close` (a connection,
and on Cairn a thread, per request).

Ratios: Cairn -smp 2 / Cairn -smp 1 (goal 1.5x) and Cairn / the fastest
Linux server at -smp 2 (goal above 1x). Around each Cairn row it reads
/status.json's "smp" object (lock contention counters: spins on the
allocator's lock and hits of its per-CPU caches, the lwIP core lock's
waits, the big lock's) and prints what moved: counts that say what
serialises, whatever the host's load.
"""
import json
import os
import subprocess

from support.bench import harness as h
from support.bench.http import bench as http
from support.bench.http import webroot

APP = ("httpd", "CONFIG_SMP=y\n")
SUBNETS = ("192.168.76",)	# --http-backend tap: one guest at a time
SMP_GOAL = 1.5
LINUX_GOAL = 1.0
PAGE = http.PAGE_PATH


def options(ap):
    ap.add_argument("--http-seconds", type=int, default=5,
                    help="each httpd wrk run in seconds (default 5)")
    ap.add_argument("--http-conns", default="10,50",
                    help="wrk connection counts (default 10,50)")
    ap.add_argument("--http-close", default="10",
                    help="wrk connection counts with Connection: close "
                    "(default 10; empty: none)")
    ap.add_argument("--http-backend", default="user",
                    choices=("user", "tap"),
                    help="QEMU's user network (default) or a tap device "
                    "in a network namespace (needs root)")


def smp_counters(client, url):
    """/status.json's "smp" object, or None when the image has none."""
    try:
        r = client.call(op="get", url=url.replace(PAGE, "/status.json"),
                        timeout=10)
        return json.loads(r["body"]).get("smp")
    except (h.Fail, TypeError, ValueError, AttributeError):
        return None


def host_ticks():
    """(busy, all) jiffies of the whole host, from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v) - v[3] - v[4], sum(v)         # idle and iowait


def name(run):
    """A run's row label: (connections, close)."""
    return "%d conns%s" % (run[0], ", close" if run[1] else "")


def rounds(label, guest, url, client, runs, a, ns, counters=False):
    """Warm-up, then one wrk run per (connections, close) of runs: {run:
    result or why}, and {run: counter deltas} when counters. Each result also
    has "host_busy": the share of all host cores busy over its run (wrk,
    QEMU's vCPU and I/O threads, anything else), which bounds what
    another vCPU can add: at most 1/host_busy."""
    h.wait_ready(lambda: http.serves(client, url), 60, label, guest)
    h.attempt("%s warm-up" % label, http.wrk, ns, url, 10, 2)
    got, moved = {}, {}
    for c in runs:
        before = smp_counters(client, url) if counters else None
        t0 = host_ticks()
        r, why = h.server_round("%s, %s" % (label, name(c)), guest,
                                lambda: http.wrk(ns, url, c[0],
                                                 a.http_seconds,
                                                 close=c[1]),
                                lambda: http.serves(client, url))
        t1 = host_ticks()
        if r and t1[1] > t0[1]:
            r["host_busy"] = (t1[0] - t0[0]) / (t1[1] - t0[1])
        got[c] = r or why
        if counters:
            moved[c] = http.counter_deltas(before,
                                           smp_counters(client, url))
    return got, moved


def cairn(a, image, initrd, n, conns, cmds, ns):
    net = ns.net(0) if ns else h.Net("user", [(h.free_port(), 80)])
    cmd = h.cairn_command(image, net=net, initrd=initrd,
                          params=("httpd.access_log=0 " +
                                  h.cairn_params(net)).strip())
    cmd = with_smp(cmd, n)
    label = "Cairn httpd -smp %d" % n
    cmds.append((label, cmd))
    h.say(label)
    g = h.Guest(h.in_ns(ns, cmd), label)
    client = h.Client(ns)
    try:
        g.wait_for(r"INFO httpd: serving", http.BOOT_TIMEOUT)
        return rounds(label, g, "http://%s:%d%s" % (net.address(80) +
                                                    (PAGE,)),
                      client, conns, a, ns, counters=True)
    finally:
        client.close()
        g.kill()


def linux(a, conns, cmds, ns):
    """Every Linux server at -smp 2: ({server: {conns: result}}, info).
    On a tap it takes the address Cairn had (one guest at a time)."""
    ldir = os.path.join(a.out, "linux-http")
    gdir = os.path.join(ldir, "guest-tap" if ns else "guest")
    net = ns.net(0) if ns else None
    web, versions, notes = webroot.archive(ldir, ["nginx", "lighttpd"])
    for n in notes:
        h.say(n)
    guest = h.linux_guest(gdir,
                          [os.path.join(os.path.dirname(http.__file__),
                                        "httpserve.c")], ["httpserve"],
                          h.guest_setup(net.tap["guest_ip"] if ns
                                        else None), h.nic_modules())
    linitrd = webroot.combined_initrd(guest["initrd"], web, gdir)
    servers = [(k, p) for k, _, p in http.SERVERS if k != "cairn"
               and (k == "busybox" or k in versions)]
    if not ns:
        net = h.Net("user", [(h.free_port(), p) for _, p in servers])
    cmd = with_smp(h.linux_command(guest, net=net, initrd=linitrd), 2)
    cmds.append(("Linux guest -smp 2", cmd))
    h.say("Linux guest -smp 2: %s" % ", ".join(k for k, _ in servers))
    g = h.Guest(h.in_ns(ns, cmd), "Linux guest -smp 2")
    client = h.Client(ns)
    res = {}
    try:
        m = g.wait_for(r"^httpserve: ready (.*)$", http.BOOT_TIMEOUT)
        up = dict(kv.split("=") for kv in m.group(1).split())
        for k, p in servers:
            if k != "busybox" and not up.get(k, "none").isdigit():
                h.say("%s did not start in the Linux guest" % k)
                continue
            url = "http://%s:%d%s" % (net.address(p) + (PAGE,))
            res[k] = rounds("Linux %s -smp 2" % k, g, url, client, conns,
                            a, ns)[0]
    finally:
        client.close()
        g.kill()
    return res, h.linux_info(guest, g.output())


def with_smp(cmd, n):
    """cmd (a QEMU command list) with -smp n in place of its own."""
    cmd = list(cmd)
    if "-smp" in cmd:
        cmd[cmd.index("-smp") + 1] = str(n)
    else:
        cmd[1:1] = ["-smp", str(n)]
    return cmd


def run(a):
    """The httpd section's table; its summary rows."""
    try:
        keep = [int(c) for c in a.http_conns.split(",") if c]
        close = [int(c) for c in a.http_close.split(",") if c]
    except ValueError:
        raise h.Fail("--http-conns and --http-close take numbers: 10,50")
    if not keep + close or any(not 1 <= c <= 1000 for c in keep + close) \
            or not 1 <= a.http_seconds <= 300:
        raise h.Fail("need 1..1000 connections, 1 <= --http-seconds <= 300")
    conns = [(c, False) for c in keep] + [(c, True) for c in close]
    p = subprocess.run([h.PYTHON, os.path.join(h.SRCTREE, "support",
                                               "deps.py"),
                        "bench-tools", "--quiet"])
    if p.returncode:
        raise h.Fail("wrk is missing (see above)")
    cdir = os.path.join(a.out, "httpd-smp")
    image = h.make_cairn(cdir, APP[0], APP[1])
    initrd = http.site_initrd(cdir)
    cmds, got, moved = [], {}, {}
    ns = h.Namespace("smp", SUBNETS) if a.http_backend == "tap" else None
    try:
        for n in (1, 2):
            try:
                got[n], moved[n] = cairn(a, image, initrd, n, conns, cmds,
                                         ns)
            except h.Fail as e:
                got[n], moved[n] = {c: str(e).splitlines()[0]
                                    for c in conns}, {}
        try:
            lres, info = linux(a, conns, cmds, ns)
        except h.Fail as e:
            lres, info = {}, "failed: %s" % str(e).splitlines()[0]
    finally:
        if ns:
            ns.delete()
    rows, summary = [], []
    for c in conns:
        c1, c2 = http.rps(got[1].get(c)), http.rps(got[2].get(c))
        best, b = max(((k, http.rps(r.get(c))) for k, r in lres.items()),
                      key=lambda kv: kv[1] or 0, default=(None, None))
        rows.append([name(c), http.cell(got[1].get(c)),
                     http.cell(got[2].get(c)),
                     "%s %s" % (http.cell(lres[best].get(c)), best)
                     if best else "failed",
                     h.ratio(c2, c1), h.ratio(c2, b)])
        fig = "smp: httpd req/s, %d conns %s (%s)" % (
            c[0], "Connection: close" if c[1] else "keep-alive",
            a.http_backend)
        if c1 and c2:
            summary.append(h.row(fig.replace("req/s", "req/s -smp 2 vs "
                                             "-smp 1"), "%.0f" % c2,
                                 "%.0f (Cairn -smp 1)" % c1,
                                 h.ratio(c2, c1), "%.1fx" % SMP_GOAL,
                                 c2 / c1 >= SMP_GOAL))
        else:
            summary.append(h.failed_row(fig, got[1].get(c)
                                        if not c1 else got[2].get(c)))
        if c2 and b:
            summary.append(h.row(fig.replace("req/s", "req/s at -smp 2 "
                                             "vs Linux"), "%.0f" % c2,
                                 "%.0f (%s)" % (b, best), h.ratio(c2, b),
                                 "> %.0fx" % LINUX_GOAL,
                                 c2 / b > LINUX_GOAL))
    h.table("httpd on 1 and 2 vCPUs, Cairn (built with SMP) and the Linux "
            "guest's fastest server at -smp 2; QEMU %s networking, "
            "wrk -t1 (keep-alive, or close), %d s each: req/s  p50/p99 ms"
            % (a.http_backend, a.http_seconds),
            ["", "Cairn -smp 1", "Cairn -smp 2", "Linux -smp 2",
             "Cairn 2/1", "Cairn/Linux"], rows)
    cores = os.cpu_count() or 1
    for n in (1, 2):
        for c in conns:
            r = got[n].get(c)
            if isinstance(r, dict) and "host_busy" in r:
                print("  Cairn -smp %d, %s: host %.0f%% busy (all %d "
                      "cores)%s" % (n, name(c), 100 * r["host_busy"], cores,
                                    "; another vCPU can add at most %.2fx"
                                    % (1 / r["host_busy"])
                                    if n == 1 and r["host_busy"] > 0
                                    else ""))
    for n in (1, 2):
        for c in conns:
            d = moved[n].get(c)
            print("  Cairn -smp %d, %s, lock counters that moved: %s"
                  % (n, name(c), "no counters" if d is None else
                     ", ".join("%s +%d" % kv for kv in sorted(d.items()))
                     or "none"))
    print("Linux guest: %s" % info)
    for label, cmd in cmds:
        print("QEMU, %s: %s" % (label, h.quote(cmd)))
    return summary
