# SPDX-License-Identifier: BSD-3-Clause
"""Where one bench-http row's time goes: Cairn's httpd under one wrk run,
seen from the host and from inside the guest at once.

    /usr/bin/python3 -m support.bench.http.profile --O build/bench-http \\
        --backend tap --conns 50 [--close] [--seconds 8] [--perf]

Boots the image make bench-http builds (build it with make bench-http
first, or this builds it), on QEMU's user network or on a tap in a
namespace made here, with the benchmark's QEMU flags plus `-name
debug-threads=on` (QEMU names its threads: "CPU 0/TCG" is the vCPU) and
a monitor socket. During one wrk run (the benchmark's command) it takes:

- each QEMU thread's CPU time and wrk's, as shares of one core (from
  /proc and wait4), and the host's load average: a vCPU well under 100%
  while wrk waits for answers means the guest was not the limit;
- the guest's instruction pointer, sampled about 100 times a second
  through the monitor (`info registers`, which under TCG reads the
  vCPU's state at its last translation-block boundary), symbolised
  with the image's ELF: "halted" when it points just past a `hlt`
  (Cairn idle, waiting for a frame or a timer), else the function;
- with --perf, `perf record` of the QEMU process for the same time,
  split per thread into code TCG generated from the guest's ("[JIT]"),
  QEMU's own functions and the host kernel.

No figure here is a goal; it says which side a row waits for. Numbers
taken on a loaded host say so (the load average is printed).
"""
import argparse
import bisect
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from support.bench import harness as h
from support.bench.http import bench as hb


def threads_cpu(pid):
    """{tid: (name, CPU ticks)} of a process's threads."""
    out = {}
    base = "/proc/%d/task" % pid
    for tid in os.listdir(base):
        try:
            with open("%s/%s/comm" % (base, tid)) as f:
                name = f.read().strip()
            with open("%s/%s/stat" % (base, tid)) as f:
                st = f.read()
        except OSError:
            continue
        v = st[st.rindex(")") + 2:].split()
        out[tid] = (name, int(v[11]) + int(v[12]))
    return out


def symbols(elf):
    """(sorted addresses, names, addresses just past a hlt)."""
    syms = []
    nm = subprocess.run(["nm", "-n", "--defined-only", elf],
                        capture_output=True, text=True).stdout
    for line in nm.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in "tTwW":
            syms.append((int(p[0], 16), p[2]))
    halts = set()
    dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", elf],
                         capture_output=True, text=True).stdout
    for m in re.finditer(r"^\s*([0-9a-f]+):\s+hlt\b", dis, re.M):
        halts.add(int(m.group(1), 16) + 1)
    return [a for a, _ in syms], [n for _, n in syms], halts


def sample_rips(mon, seconds, rate=100):
    rips = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        m = re.search(r"RIP=([0-9a-f]+)", mon.ask("info registers"))
        if m:
            rips.append(int(m.group(1), 16))
        time.sleep(1.0 / rate)
    return rips


def perf_summary(data):
    """Per thread name: (samples, JIT, QEMU and its libraries, kernel)."""
    out = subprocess.run(["perf", "script", "-i", data, "-F",
                          "comm,tid,ip,dso"], capture_output=True,
                         text=True).stdout
    agg = collections.defaultdict(lambda: [0, 0, 0, 0])
    for line in out.splitlines():
        m = re.match(r"\s*(.+?)\s+(\d+)\s+[0-9a-f]+\s+\((.*)\)\s*$", line)
        if not m:
            continue
        a = agg[m.group(1)]
        a[0] += 1
        dso = m.group(3)
        # Code TCG generated has no file: perf names it [JIT] or
        # /tmp/perf-PID.map (a map QEMU does not write) or [unknown].
        a[1 if re.search(r"JIT|unknown|/perf-\d+\.map", dso) else
          3 if "kernel" in dso else 2] += 1
    return agg


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--O", default="build/bench-http", help="build folder")
    ap.add_argument("--backend", choices=("user", "tap"), default="user")
    ap.add_argument("--conns", type=int, default=10)
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--close", action="store_true",
                    help="wrk sends Connection: close")
    ap.add_argument("--perf", action="store_true",
                    help="also perf record the QEMU process")
    a = ap.parse_args()
    if a.seconds < 3:
        ap.error("--seconds must be 3 or more")
    out = os.path.abspath(a.O)
    cdir = os.path.join(out, "cairn")
    image = h.make_cairn(cdir, "httpd", h.ARCHES["x86_64"]["config"])
    initrd = hb.site_initrd(cdir)
    tmp = tempfile.mkdtemp(prefix="cairn-httpd-profile-")
    mon_path = os.path.join(tmp, "mon.sock")
    ns = h.Namespace("hprof", hb.SUBNETS) if a.backend == "tap" else None
    guest = None
    try:
        net = ns.net(0) if ns else h.Net("user", [(h.free_port(), 80)])
        cmd = h.cairn_command(image, net=net, initrd=initrd,
                              params=("httpd.access_log=0 " +
                                      h.cairn_params(net)).strip())
        cmd += ["-name", "debug-threads=on",
                "-monitor", "unix:%s,server,nowait" % mon_path]
        guest = h.Guest(h.in_ns(ns, cmd), "Cairn on " + a.backend)
        guest.wait_for(r"INFO httpd: serving", hb.BOOT_TIMEOUT)
        host, port = net.address(80)
        url = "http://%s:%d%s" % (host, port, hb.PAGE_PATH)
        client = h.Client(ns)
        try:
            h.wait_ready(lambda: hb.serves(client, url), 60, "Cairn", guest)
        finally:
            client.close()
        hb.wrk(ns, url, a.conns, 2, a.close)		# warm-up
        mon = h.Monitor(mon_path)
        qpid = guest.proc.pid
        # The launcher may sit between: QEMU is the process with threads.
        kids = subprocess.run(["pgrep", "-P", str(qpid)],
                              capture_output=True, text=True).stdout.split()
        for k in kids:
            if "qemu" in open("/proc/%s/comm" % k).read():
                qpid = int(k)
        res = {}
        t0, c0 = time.monotonic(), threads_cpu(qpid)
        w = threading.Thread(target=lambda: res.update(
            hb.wrk(ns, url, a.conns, a.seconds, a.close)))
        w.start()
        pf = None
        if a.perf and shutil.which("perf"):
            pf = subprocess.Popen(
                ["perf", "record", "-F", "499", "-p", str(qpid), "-o",
                 os.path.join(tmp, "perf.data"), "--", "sleep",
                 str(a.seconds - 1)], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        rips = sample_rips(mon, a.seconds - 1.5)
        w.join()
        wall, c1 = time.monotonic() - t0, threads_cpu(qpid)
        if pf:
            pf.wait()
    finally:
        if guest:
            guest.kill()
        if ns:
            ns.delete()
    hz = os.sysconf("SC_CLK_TCK")
    print("%s, %d conns%s, %d s; host load average %.1f at the start" % (
        a.backend, a.conns, ", Connection: close" if a.close else "",
        a.seconds, res.get("load", 0)))
    if "rps" in res:
        print("wrk: %.0f req/s, p50 %s ms, p99 %s ms; wrk's CPU %.0f%% of "
              "a core" % (res["rps"], res.get("p50"), res.get("p99"),
                          100 * res.get("wrk_cpu", 0)))
    print("QEMU threads, %% of one core over %.1f s:" % wall)
    byname = collections.Counter()
    for tid, (name, ticks) in c1.items():
        byname[name] += ticks - c0.get(tid, (name, 0))[1]
    for name, ticks in byname.most_common():
        if ticks:
            print("  %-20s %5.1f%%" % (name, 100.0 * ticks / hz / wall))
    addrs, names, halts = symbols(image + ".elf" if os.path.exists(
        image + ".elf") else image)
    c = collections.Counter()
    for r in rips:
        if r in halts:
            c["(halted: idle, waiting for an interrupt)"] += 1
            continue
        i = bisect.bisect_right(addrs, r) - 1
        c[names[i] if i >= 0 else hex(r)] += 1
    print("guest instruction pointer, %d samples:" % len(rips))
    for name, k in c.most_common(25):
        print("  %5.1f%% %s" % (100.0 * k / max(len(rips), 1), name))
    print("most sampled instructions:")
    for rip, k in collections.Counter(rips).most_common(8):
        i = bisect.bisect_right(addrs, rip) - 1
        print("  %5.1f%% %s+%#x" % (100.0 * k / len(rips), names[i] if
                                    i >= 0 else "?", rip - addrs[max(i, 0)]))
    if a.perf and os.path.exists(os.path.join(tmp, "perf.data")):
        agg = perf_summary(os.path.join(tmp, "perf.data"))
        print("perf, per QEMU thread (samples at 499 Hz: guest code "
              "TCG generated / QEMU / host kernel):")
        for name, v in sorted(agg.items(), key=lambda kv: -kv[1][0]):
            print("  %-20s %5d: %4.0f%% / %4.0f%% / %4.0f%%" % (
                name, v[0], 100.0 * v[1] / v[0], 100.0 * v[2] / v[0],
                100.0 * v[3] / v[0]))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except h.Fail as e:
        h.say("profile: %s" % e)
        sys.exit(1)
