# SPDX-License-Identifier: BSD-3-Clause
"""Where a TCP stream's time goes under TCG, guest by guest.

    NIC=e1000 /usr/bin/python3 -m support.bench.tcp.profile \\
        [--mib 64] [--perf] [--params "net.ack_batch=0" ...] --O build/bench-tcp

Boots the same servers as support/bench/tcp/bench.py (the Linux guest,
Cairn with lwIP's malloc, and Cairn again with each --params given), one
at a time on a tap in a namespace, and streams --mib MiB host -> guest,
then guest -> host, into each. For each stream it reads the CPU time of
every QEMU thread (/proc/PID/task/*/stat) before and after and prints
CPU milliseconds per MiB: the vCPU thread ("CPU 0/TCG": the guest's own
code, translated, plus the device registers it touches, which QEMU
emulates on that thread) apart from the main loop (QEMU's tap reads and
the e1000's receive DMA into guest memory, its timers). CPU time per MiB
hardly depends on how loaded the host is, unlike MB/s. With --perf, the
QEMU process is also sampled (perf record) during each stream and the
top symbols of each thread are printed: "[unknown]" or "JIT" samples are
translated guest code, the rest is QEMU (device model, TCG helpers,
softmmu, translation) or the host kernel (tap, KVM-less syscalls).
"""
import argparse
import bisect
import os
import signal
import subprocess
import sys
import time

from support.bench import harness as h
from support.bench.tcp import bench as b

HZ = os.sysconf("SC_CLK_TCK")


def threads(pid):
    """{thread name: CPU seconds} of a process."""
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                s = f.read()
        except OSError:
            continue
        name = s[s.index("(") + 1:s.rindex(")")]
        f = s[s.rindex(")") + 2:].split()
        out[name] = out.get(name, 0.0) + (int(f[11]) + int(f[12])) / HZ
    return out


def group(name):
    if "TCG" in name or name.startswith("CPU"):
        return "vcpu"
    if name.startswith("qemu-system") or name == "main-loop":
        return "main"
    return "other"


def stream(s, op, nbytes, perf_out):
    pid = s.guest.proc.pid
    perf = None
    if perf_out:
        perf = subprocess.Popen(["perf", "record", "-q", "-F", "499", "-p",
                                 str(pid), "-o", perf_out],
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(0.5)
    t0, c0 = time.time(), threads(pid)
    r = s.call(op=op, bytes=nbytes)
    c1, t1 = threads(pid), time.time()
    if perf:
        perf.send_signal(signal.SIGINT)
        perf.wait()
    cpu = {}
    for k, v in c1.items():
        g = group(k)
        cpu[g] = cpu.get(g, 0.0) + v - c0.get(k, 0.0)
    return nbytes / r["seconds"] / 1e6, cpu, t1 - t0


def perf_top(path, n=12):
    r = subprocess.run(["perf", "report", "-i", path, "--stdio",
                        "--sort", "comm,dso,sym", "--percent-limit", "1.5"],
                       capture_output=True, text=True)
    lines = [l for l in r.stdout.splitlines() if l and not l.startswith("#")]
    return lines[:n * 2]


def trace_log(a, label):
    return os.path.join(os.path.abspath(a.out), "trace-%s.log" % "".join(
        c if c.isalnum() else "_" for c in label.split(" on ")[0]))


def symbols(elf):
    """Sorted (address, name) of the functions in elf (nm)."""
    out = subprocess.run(["nm", "-n", elf], capture_output=True,
                         text=True).stdout
    return [(int(p[0], 16), p[2]) for p in (l.split()
                                            for l in out.splitlines())
            if len(p) == 3 and p[1] in "tTwW"]


def trace_top(path, start, syms, n=25):
    """The functions that TB lookups (indirect branches, returns, exits
    to the main loop) land in, from QEMU's -d exec log past start:
    'Trace 0: HOSTPTR [CS_BASE/PC/FLAGS/CFLAGS]'."""
    addrs = [x for x, _ in syms]
    counts, total = {}, 0
    with open(path, "rb") as f:
        f.seek(start)
        for line in f:
            if not line.startswith(b"Trace "):
                continue
            total += 1
            pc = int(line.split(b"/")[1], 16)
            i = bisect.bisect_right(addrs, pc) - 1
            sym = syms[i][1] if i >= 0 else "?"
            counts[sym] = counts.get(sym, 0) + 1
    return total, sorted(counts.items(), key=lambda x: -x[1])[:n]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mib", type=int, default=64)
    ap.add_argument("--params", action="append", default=[],
                    help="one more Cairn server with these boot "
                    "parameters (may be repeated)")
    ap.add_argument("--perf", action="store_true")
    ap.add_argument("--trace", action="store_true",
                    help="QEMU -d exec on the Cairn guests: count the TB "
                    "lookups per function during each stream (slow: "
                    "use a small --mib)")
    ap.add_argument("--O", dest="out", default="build/bench-tcp")
    a = ap.parse_args()
    if not 1 <= a.mib <= 1024:
        raise SystemExit("need 1 <= --mib <= 1024")
    servers = list(b.SERVERS[:2])
    for k, p in enumerate(a.params):
        servers.append(("params%d" % k, "Cairn (malloc, %s)" % p, "", p))
    b.SERVERS = tuple(servers)
    images = {"": h.make_cairn(os.path.join(a.out, "cairn-malloc"), b.APP,
                               "")}
    syms = symbols(images[""] + ".elf") if a.trace else []
    src = os.path.join(os.path.dirname(os.path.abspath(b.__file__)),
                       "tcpsink.c")
    guest = h.linux_guest(
        os.path.join(a.out, "linux", "guest-tap"), [src],
        ["tcpsink %d %d" % (b.PORT, b.PORT2)],
        h.guest_setup(b.SUBNETS[0] + ".2"), h.nic_modules())
    plain = h.Guest

    def named(cmd, label):	# thread names for /proc, perf: "CPU 0/TCG"
        j = next(k for k, x in enumerate(cmd) if "qemu-system" in x)
        extra = ["-name", "debug-threads=on"]
        if a.trace and "Linux" not in label:
            extra += ["-d", "exec", "-D", trace_log(a, label)]
        return plain(cmd[:j + 1] + extra + cmd[j + 1:], label)
    h.Guest = named
    ns = h.Namespace("prof", b.SUBNETS)
    client = h.Client(ns)
    rows = []
    try:
        for i in range(len(servers)):
            s = b.start("tap", ns, images, guest, i, client)
            s.wait_ready()
            s.call(op="sink", bytes=8 << 20)
            s.call(op="source", bytes=8 << 20)
            for op, what in (("sink", "host->guest"),
                             ("source", "guest->host")):
                pf = os.path.join(a.out, "perf-%s-%s.data" % (
                    servers[i][0], op)) if a.perf else None
                tl = trace_log(a, s.label) if a.trace and \
                    servers[i][2] is not None else None
                t0 = os.path.getsize(tl) if tl else 0
                mbs, cpu, wall = stream(s, op, a.mib << 20, pf)
                rows.append((s.label.split(" on ")[0], what, mbs,
                             {k: v * 1000 / a.mib for k, v in cpu.items()},
                             wall))
                print("%-34s %-12s %6.1f MB/s  ms CPU/MiB: vCPU %6.1f  "
                      "main %6.1f  other %5.1f" % (
                          rows[-1][0], what, mbs,
                          rows[-1][3].get("vcpu", 0),
                          rows[-1][3].get("main", 0),
                          rows[-1][3].get("other", 0)), flush=True)
                if pf:
                    for l in perf_top(pf):
                        print("    " + l)
                if tl:
                    total, top = trace_top(tl, t0, syms)
                    print("    %d TB lookups, %.0f per KiB" % (
                        total, total / (a.mib << 10)))
                    for sym, c in top:
                        print("    %7d %5.1f%%  %s" % (c, 100.0 * c / total,
                                                      sym or "?"))
            s.call(op="quit")
            s.guest.kill()
            if a.trace and os.path.exists(trace_log(a, s.label)):
                os.remove(trace_log(a, s.label))	# hundreds of MB
    finally:
        client.close()
        ns.delete()


if __name__ == "__main__":
    try:
        main()
    except h.Fail as e:
        sys.exit("profile: %s" % e)
