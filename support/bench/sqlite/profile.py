# SPDX-License-Identifier: BSD-3-Clause
"""Where Cairn's SQLite benchmark spends its guest's time, phase by phase.

    /usr/bin/python3 support/bench/sqlite/profile.py [--rows N] [--phase P]

Boots apps/bench-sqlite (the image `make bench-sqlite` builds, in
build/bench-sqlite/cairn) under -icount shift=0 with QEMU's monitor on a
unix socket, and asks it for the vCPU's registers every --interval ms
while the benchmark runs, without touching the guest. Each sample's RIP
is mapped to its function (the image's symbols, `nm`) and to the object
it was linked from (the link map: one object per library), and the
benchmark's own phase marker (sqlitebench.c's bench_phase: 1 inserts,
2 lookups, 3 scan, read from guest memory at each sample) says which
phase it fell in. Prints the shares of the chosen phase's samples by
library and the top functions. Samples are taken in host time, so a
share is of the guest's time under TCG, which -icount ties to its
instructions only loosely; a few hundred samples give a few points
either way. Measures nothing about Linux: the side-by-side figures are
`make bench-sqlite`'s.
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", ".."))
from support.bench import harness as h  # noqa: E402

PHASES = {"insert": 1, "lookup": 2, "scan": 3}


def symbols(image):
    """Sorted (address, name) of the image's functions and the address of
    bench_phase."""
    out = subprocess.run(["nm", "-n", "--defined-only", image],
                         capture_output=True, text=True, check=True).stdout
    funcs, marker = [], None
    for line in out.splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        addr, kind, name = int(parts[0], 16), parts[1], parts[2]
        if kind in "tTwW":
            funcs.append((addr, name))
        elif name == "bench_phase":
            marker = addr
    return funcs, marker


def label(path):
    """A library's name for an input file of the link map."""
    m = re.search(r"lib[^/]*\.a\((\S+)\.o\)$", path)
    if m:
        return "picolibc (%s)" % m.group(1)
    parts = path.split("/")
    if parts[-1] == "built-in.o" and len(parts) >= 3:
        return "/".join(parts[-3:-1])
    return os.path.basename(path)


def objects(mapfile):
    """Sorted (address, library) of the link map's .text input sections
    (a section's name and its address may be on two lines)."""
    spans, in_text = [], False
    addr = re.compile(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)\s*$")
    with open(mapfile) as f:
        for line in f:
            m = re.match(r"^ (\.\S+)(.*)$", line)
            if m:
                in_text = m.group(1).startswith(".text")
                line = " " + m.group(2)
                if not m.group(2).strip():
                    continue
            m = addr.match(line)
            if in_text and m and int(m.group(2), 16):
                spans.append((int(m.group(1), 16), label(m.group(3))))
            in_text = False
    spans.sort()
    return spans


def lookup(table, addr):
    i = bisect.bisect_right(table, (addr, "\xff")) - 1
    return table[i][1] if i >= 0 else "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=30000)
    ap.add_argument("--phase", choices=sorted(PHASES) + ["all"],
                    default="insert")
    ap.add_argument("--interval", type=float, default=5.0, help="ms")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--O", dest="out", default=os.path.join(
        h.SRCTREE, "build", "bench-sqlite"))
    a = ap.parse_args()
    out = os.path.join(os.path.abspath(a.out), "cairn")
    image = h.make_cairn(out, "bench-sqlite")
    mapfile, elf = image + ".map", image + ".elf"
    if not os.path.exists(mapfile) or not os.path.exists(elf):
        raise h.Fail("no link map or ELF beside %s" % image)
    funcs, marker = symbols(elf)
    if marker is None:
        raise h.Fail("%s has no bench_phase" % image)
    libs = objects(mapfile)
    tmp = tempfile.mkdtemp(prefix="sqlite-prof-")
    sock = os.path.join(tmp, "mon")
    cmd = h.cairn_command(image, args="/tmp %d 1" % a.rows,
                          params="vfs.mount=ramfs:/ vfs.mount=devfs:/dev "
                          "vfs.mount=ramfs:/tmp")
    cmd += ["-monitor", "unix:%s,server,nowait" % sock,
            "-icount", "shift=0"]
    g = h.Guest(cmd, "Cairn")
    by_lib, by_func = collections.Counter(), collections.Counter()
    taken = 0
    try:
        mon = h.Monitor(sock, 30)
        while g.alive():
            try:
                regs = mon.ask("info registers")
                ph = mon.ask("x /1wx 0x%x" % marker)
            except (EOFError, OSError):
                break
            m = re.search(r"RIP=([0-9a-f]+)", regs)
            p = re.search(r":\s*0x([0-9a-f]+)", ph)
            if m and p and (a.phase == "all" or
                            int(p.group(1), 16) == PHASES[a.phase]):
                rip = int(m.group(1), 16)
                by_lib[lookup(libs, rip)] += 1
                by_func[lookup(funcs, rip)] += 1
                taken += 1
            time.sleep(a.interval / 1000)
        g.wait_exit(600)
    finally:
        g.kill()
    figs = re.findall(r"(\w+_per_s): ([0-9.]+)", g.output())
    print("sqlitebench %d rows, phase %s: %d samples; %s" % (
        a.rows, a.phase, taken,
        ", ".join("%s %s" % f for f in figs) or "no figures"))
    if not taken:
        return 1
    print("\nby object (library):")
    for name, n in by_lib.most_common():
        print("  %5.1f%%  %s" % (100.0 * n / taken, name))
    print("\ntop functions:")
    for name, n in by_func.most_common(a.top):
        print("  %5.1f%%  %s" % (100.0 * n / taken, name))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except h.Fail as e:
        print("profile: %s" % e, file=sys.stderr)
        sys.exit(1)
