# SPDX-License-Identifier: BSD-3-Clause
"""Allocator benchmark: Cairn's allocator backends against glibc malloc.

One trace (support/bench/alloc/trace.h: 2,000,000 allocations and frees,
16 B to 64 KiB skewed to small sizes, a live set of about 10,000 blocks,
generated from a fixed seed) is replayed

  (a) on the host by every backend (lib/alloc-<name>/, found as
      tests/host/build.py finds them) through lib/alloc's API over a 4 GiB
      lazily mapped arena, built at -O2 without sanitizers;
  (b) on the host by glibc's malloc and free, the same program otherwise;
  (c) inside a Cairn image (apps/allocbench, which generates the same
      trace) for every backend that can be the default heap, built with
      CONFIG_LIB_ALLOC_DEFAULT_<NAME>=y and booted with support/qemu.py on
      microvm with -m 2G; it times with the TSC.

Host runs alternate between the programs (--runs rounds, median time);
one more untimed run per program samples the bytes the allocator holds
after every operation (total - free; glibc: mallinfo2 uordblks + hblkhd)
for the peak-held / peak-live ratio. Every run must report the same trace
checksum; a run that crashes or disagrees stops the benchmark with exit
status 1. An allocator that runs out of memory is reported as N/A with the
reason. A goal that is not met does not fail the benchmark.
"""
import os
import platform
import re
import statistics
import subprocess
import sys
import time

from support.bench import harness as h
from tests.host import build as hb

TITLE = "allocator time vs glibc malloc, and in the guest"
SRCTREE = h.SRCTREE
APP = os.path.join(SRCTREE, "apps", "allocbench")

def _default_heaps():
    with open(os.path.join(SRCTREE, "lib", "alloc", "Kconfig")) as f:
        return re.findall(r"^config (LIB_ALLOC_DEFAULT_\w+)$", f.read(), re.M)


# allocbench with each backend that can be the default heap
APPS = [("allocbench", "\nCONFIG_%s=y\n" % s) for s in _default_heaps()]
GUEST_MEM = "2G"
GUEST_MACHINE = "microvm"
GUEST_TIMEOUT = 120

# Goal (doc/bench/alloc.md): TLSF within 1.2x of glibc's time on the host.
GOAL_BACKEND = "tlsf"
GOAL_RATIO = 1.2


def say(msg=""):
    sys.stdout.write(msg + "\n")
    sys.stdout.flush()


def parse(text):
    """key: value lines into a dict (the last of each key wins)."""
    return {m.group(1): m.group(2).strip() for m in
            re.finditer(r"^([\w/]+): (.*)$", text, re.M)}


def run_host(exe, *args):
    p = subprocess.run([exe] + list(args), capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, timeout=600)
    if p.returncode != 0:
        raise h.Fail("%s %s exited %d:\n%s%s" % (
            exe, " ".join(args), p.returncode, p.stdout[-2000:],
            p.stderr[-2000:]))
    return parse(p.stdout)


def host_bench(names, runs):
    """{name: {"ns": [..], "measure": {..}, "runs": [..]}}."""
    exes = {}
    for n in names:
        try:
            exes[n] = hb.build_bench(n)
        except hb.BuildError as e:
            raise h.Fail("building the %s bench failed: %s" % (n, e))
    res = {n: {"ns": [], "runs": []} for n in names}
    for n in names:
        res[n]["measure"] = run_host(exes[n], "--measure")
    for r in range(runs):
        order = names if r % 2 == 0 else list(reversed(names))
        for n in order:
            out = run_host(exes[n])
            res[n]["runs"].append(out)
            if out.get("failed", "0") == "0":
                res[n]["ns"].append(int(out["ns"]))
    return res


def default_heap_symbol(name):
    """CONFIG_ name of the default-heap choice for backend name, or None."""
    sym = "LIB_ALLOC_DEFAULT_%s" % name.upper()
    try:
        text = open(os.path.join(SRCTREE, "lib", "alloc", "Kconfig")).read()
    except OSError:
        return None
    return sym if re.search(r"^config %s$" % sym, text, re.M) else None


def guest_build(name, out):
    """Builds allocbench with name as the default heap; returns the image
    or a reason why it cannot be (string starting with 'N/A')."""
    b = hb.backend(name)
    sym = default_heap_symbol(name)
    if not sym:
        return "N/A: lib/alloc/Kconfig has no LIB_ALLOC_DEFAULT_%s" % \
            name.upper()
    if not b.has_default_heap:
        return "N/A: lib/alloc-%s has no default_heap.c yet" % name
    o = os.path.join(out, "guest", name)
    image = h.make_cairn(o, "allocbench", "\nCONFIG_%s=y\n" % sym)
    with open(os.path.join(o, ".config")) as f:
        if "CONFIG_%s=y" % sym not in f.read():
            return "N/A: CONFIG_%s=y did not stick in %s/.config" % (sym, o)
    return image


def guest_run(image):
    cmd = h.cairn_command(image, machine=GUEST_MACHINE, mem=GUEST_MEM)
    g = h.Guest(cmd, "allocbench")
    rc = g.wait_exit(GUEST_TIMEOUT)
    out = g.output()
    kv = parse(out)
    if rc == (3 << 1) | 1 and kv.get("ops/s") == "N/A":
        m = re.search(r"allocbench: (out of memory.*)", out)
        return kv, "N/A: %s" % (m.group(1) if m else "allocation failed")
    if rc != 1 or "ops/s" not in kv:
        raise h.Fail("%s\nQEMU exited %d:\n%s" % (
            h.quote(cmd), rc, h.last_lines(out)))
    return kv, None


def guest_bench(names, out, runs, checksum):
    """{name: (median ops/s or None, note)}."""
    res = {}
    for n in names:
        image = guest_build(n, out)
        if image.startswith("N/A"):
            res[n] = (None, image)
            continue
        rates, note = [], None
        for _ in range(runs):
            kv, na = guest_run(image)
            if kv.get("checksum") != checksum:
                raise h.Fail("allocbench (%s) ran trace %s, the host "
                             "%s" % (n, kv.get("checksum"), checksum))
            if na:
                note = na
                break
            rates.append(int(kv["ops/s"]))
        res[n] = (statistics.median(rates) if rates else None, note)
    return res


def fmt_rate(r):
    return "%.2f M" % (r / 1e6) if r else "-"


def host_description():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
            cpu = m.group(1) if m else cpu
    except OSError:
        pass
    gcc = subprocess.run(["gcc", "-dumpfullversion"], capture_output=True,
                         text=True).stdout.strip()
    glibc = " ".join(platform.libc_ver())
    return "%s, %s, %d CPUs, Linux %s, gcc %s, %s" % (
        platform.node(), cpu, os.cpu_count(), platform.release(), gcc, glibc)


def options(ap):
    ap.add_argument("--runs", type=int, default=7,
                    help="timed host runs per allocator (default 7)")
    ap.add_argument("--guest-runs", type=int, default=3,
                    help="boots per backend in QEMU (default 3)")
    ap.add_argument("--no-guest", action="store_true",
                    help="skip the in-image runs")
    ap.add_argument("--backends", default="",
                    help="comma-separated backends (default: all found)")


def run(a):
    try:
        return measure(a)
    except hb.BuildError as e:
        raise h.Fail(str(e))


def measure(a):
    if a.runs < 1 or a.guest_runs < 1:
        raise h.Fail("--runs and --guest-runs must be at least 1")
    out = a.out
    hb.OUT = os.path.join(out, "host")
    rows = []
    backends = [b.name for b in hb.backends()]
    if a.backends:
        want = a.backends.split(",")
        for w in want:
            hb.backend(w)
        backends = [b for b in backends if b in want]
    say("Cairn allocator benchmark, %s" % time.strftime(
        "%Y-%m-%d %H:%M %Z"))
    say("host: %s" % host_description())
    say()
    host = host_bench(["glibc"] + backends, a.runs)
    m0 = host["glibc"]["measure"]
    checksum = m0["checksum"]
    for n, r in host.items():
        for kv in [r["measure"]] + r["runs"]:
            if kv.get("checksum") != checksum:
                raise h.Fail("%s replayed trace %s, glibc %s" % (
                n, kv.get("checksum"), checksum))
    peak_live = int(m0["peak_live"])
    say("Trace: %s operations (seed in support/bench/alloc/trace.h, "
        "checksum %s), 16 B..64 KiB," % (format(int(m0["ops"]), ","),
                                        checksum))
    say("live set ~10,000 blocks, peak live %.1f MiB requested."
        % (peak_live / 2**20))

    guest = {}
    if not a.no_guest:
        guest = guest_bench(backends, out, a.guest_runs, checksum)

    glibc_ns = statistics.median(host["glibc"]["ns"])
    say()
    say("Host: median of %d runs each (-O2, no sanitizers; backends "
        "over a 4 GiB lazily mapped arena)." % a.runs)
    if not a.no_guest:
        say("Guest: apps/allocbench on QEMU %s -m %s (TCG on this "
            "host), median of %d boots." % (GUEST_MACHINE, GUEST_MEM,
                                           a.guest_runs))
    say()
    say("%-8s %10s %16s %11s %9s %10s %12s" % (
        "alloc", "host time", "(min..max)", "host ops/s", "vs glibc",
        "held/live", "guest ops/s"))
    ratios = {}
    notes = []
    for n in ["glibc"] + backends:
        r = host[n]
        held = int(r["measure"].get("held_peak", 0))
        if r["ns"] and len(r["ns"]) == len(r["runs"]):
            ns = statistics.median(r["ns"])
            ratios[n] = ns / glibc_ns
            t = "%.1f ms" % (ns / 1e6)
            spread = "(%.1f..%.1f)" % (min(r["ns"]) / 1e6,
                                       max(r["ns"]) / 1e6)
            rate = fmt_rate(int(r["measure"]["ops"]) * 1e9 / ns)
            ratio = "%.2fx" % ratios[n]
        else:
            failed = r["runs"][0]
            t = rate = ratio = "N/A"
            spread = ""
            notes.append("%s on the host: out of memory after %s "
                         "operations" % (n, failed.get("first_failed")))
        ovh = "%.2f" % (held / peak_live) if held else "-"
        g = "-" if n == "glibc" else (
            "(not run)" if a.no_guest else
            fmt_rate(guest[n][0]) if guest[n][0] else "N/A")
        if n in guest and guest[n][1]:
            notes.append("%s in the guest: %s" % (n, guest[n][1]))
        say("%-8s %10s %16s %11s %9s %10s %12s" % (
            n, t, spread, rate, ratio, ovh, g))
    say()
    say("held/live: peak bytes held by the allocator (blocks with their "
        "headers and")
    say("rounding: total - free; glibc: uordblks + hblkhd) / peak bytes "
        "requested live.")
    if "region" in backends:
        say("region never reuses memory: it holds everything ever "
            "allocated, and its host")
        say("time is mostly first-touch page faults on that memory.")
    for note in notes:
        say("Note: " + note)
    say()
    if GOAL_BACKEND in ratios:
        met = ratios[GOAL_BACKEND] <= GOAL_RATIO
        say("Goal: %s within %.1fx of glibc's time on the host: %s "
            "(%.2fx)" % (GOAL_BACKEND.upper(), GOAL_RATIO,
                        "met" if met else "NOT met",
                        ratios[GOAL_BACKEND]))
    else:
        say("Goal: %s within %.1fx of glibc's time: not measured (no %s "
            "result)" % (GOAL_BACKEND.upper(), GOAL_RATIO, GOAL_BACKEND))
    for n in backends:
        fig = "alloc: %s, host time (ms; baseline glibc malloc)" % n
        if n in ratios:
            ns = statistics.median(host[n]["ns"])
            goal = n == GOAL_BACKEND
            rows.append(h.row(
                fig, "%.1f" % (ns / 1e6), "%.1f" % (glibc_ns / 1e6),
                "%.2fx" % ratios[n],
                "<= %.1fx" % GOAL_RATIO if goal else "",
                ratios[n] <= GOAL_RATIO if goal else None))
        else:
            rows.append(h.failed_row(fig, "out of memory"))
        if not a.no_guest and guest[n][0]:
            rows.append(h.row("alloc: %s in the guest (ops/s)" % n,
                              fmt_rate(guest[n][0]), "", ""))
    return rows
