# SPDX-License-Identifier: BSD-3-Clause
"""Cairn's blkdev against a Linux guest's block layer, side by side.

    /usr/bin/python3 support/bench/blk/compare.py [--O DIR] [--mb N]
        [--runs R] [--depth D] [-v]

The same program, blkrw.c (next to this file), on both sides: sequential
writes (then one flush) and reads of the first --mb MiB of a virtio-blk
disk, in 4 KiB and 64 KiB requests, one request at a time; after a
warm-up round, the medians of --runs rounds in MB/s (10^6 bytes/s). On
Cairn it is apps/bench-blkdev (its main.c links here), using the
synchronous cn_blkdev_write()/cn_blkdev_read(); it then repeats the
passes with --depth requests in flight through cn_blkdev_submit(), which
the table shows apart (the Linux side has no counterpart: it is what `dd
oflag=direct`/`iflag=direct` does). On Linux linux.py runs blkrw with
O_DIRECT pwrite()/pread() on /dev/vda in a Debian guest.

The disk is DIR/disk.img, 64 MiB, written with zeros afresh before each
run (so that no host block is allocated during a measurement), attached to
both sides the same way: -M pc, TCG, -cpu max, -m 256M, one vCPU,
virtio-blk-pci on a raw -drive (support/qemu.py --disk). Prints both
figures and the ratio Cairn/Linux (higher: Cairn faster). No goal, no
timing assertion; exits 1 when either side fails. Standard library
only; `make bench-blk`.
"""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
APP = "bench-blkdev"
MEM = "256M"
DISK_MB = 64
ROWS = [(op, size) for size in ("4k", "64k") for op in ("write", "read")]


def fail(msg):
    sys.stderr.write("bench-blk: %s\n" % msg)
    sys.exit(1)


def make_disk(path):
    """A raw image of DISK_MB MiB, every block written (allocated)."""
    zero = bytes(1 << 20)
    with open(path + ".tmp", "wb") as f:
        for _ in range(DISK_MB):
            f.write(zero)
    os.replace(path + ".tmp", path)


def cairn(out, disk, a):
    app = os.path.join(SRCTREE, "apps", APP)
    for goal in (["defconfig"], []):
        p = subprocess.run(["make", "-C", SRCTREE, "O=" + out, "APP=" + app]
                           + goal, capture_output=True, text=True)
        if p.returncode:
            fail("building apps/%s failed:\n%s" % (APP, p.stderr[-2000:]))
    cmd = [PYTHON, os.path.join(SRCTREE, "support", "qemu.py"),
           "--kernel", os.path.join(out, APP + "_qemu-x86_64"),
           "--machine", "pc", "--accel", "tcg", "--cpu", "max",
           "--mem", MEM, "--disk", disk, "--timeout", "120",
           "--args=/dev/vda %d %d %d" % (a.mb, a.runs, a.depth)]
    flags = subprocess.run(cmd + ["--print"], capture_output=True,
                           text=True).stdout.strip()
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True)
    if p.returncode:
        fail("apps/%s failed (status %d):\n%s%s" % (
            APP, p.returncode, p.stdout[-1500:], p.stderr[-1500:]))
    if a.verbose:
        for l in p.stdout.splitlines():
            if l.startswith("blkrw: "):
                sys.stderr.write("bench-blk: cairn: %s\n" % l)
        sys.stderr.flush()
    figures = dict((k, float(v)) for k, v in
                   re.findall(r"^(\w+): ([\d.]+)$", p.stdout, re.M))
    missing = [k for m in ("", "async_") for op, size in ROWS
               for sfx in ("", "_min", "_max")
               for k in ["%s%s_%s_mb_per_s%s" % (m, op, size, sfx)]
               if k not in figures]
    if missing or "async_depth" not in figures:
        fail("apps/%s printed no %s:\n%s" % (
            APP, ", ".join(missing) or "async_depth", p.stdout[-1500:]))
    return figures, flags


def linux(out, disk, a):
    cmd = [PYTHON, os.path.join(HERE, "linux.py"), "--O", out, "--json",
           "--disk", disk, "--mb", str(a.mb), "--runs", str(a.runs)]
    if a.verbose:
        cmd.append("-v")
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=None if a.verbose else subprocess.PIPE,
                       text=True)
    if p.returncode:
        fail("the Linux guest run failed:\n" + (p.stderr or "")[-2000:])
    return json.loads(p.stdout)


def spread(f, key):
    return "%.1f (%.1f..%.1f)" % (f[key], f[key + "_min"], f[key + "_max"])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--O", dest="out",
                    default=os.path.join(SRCTREE, "build", "bench-blk"))
    ap.add_argument("--mb", type=int, default=32,
                    help="MiB a pass writes or reads (default 32, at most "
                         "%d)" % DISK_MB)
    ap.add_argument("--runs", type=int, default=3,
                    help="timed rounds, median reported (default 3)")
    ap.add_argument("--depth", type=int, default=16,
                    help="Cairn's requests in flight in the asynchronous "
                         "passes (default 16)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="show blkrw's own lines and the Linux guest's notes")
    a = ap.parse_args()
    if not 1 <= a.mb <= DISK_MB or not 1 <= a.runs <= 100 or \
            not 1 <= a.depth <= 64:
        ap.error("need 1 <= --mb <= %d, 1 <= --runs <= 100, 1 <= --depth "
                 "<= 64" % DISK_MB)
    out = os.path.abspath(a.out)
    if "," in out:
        fail("the build folder %s must not contain ',' (QEMU -drive)" % out)
    os.makedirs(out, exist_ok=True)
    disk = os.path.join(out, "disk.img")
    make_disk(disk)
    c, flags = cairn(os.path.join(out, "cairn"), disk, a)
    make_disk(disk)
    l = linux(out, disk, a)

    print("Block: sequential MB/s, %d MiB a pass, median (slowest..fastest) "
          "of %d rounds\n(TCG, -M pc, -cpu max, -m %s, one vCPU, "
          "virtio-blk-pci on a %d MiB raw image)" % (a.mb, a.runs, MEM,
                                                      DISK_MB))
    print("%-24s %22s %22s %12s" % ("one request at a time",
                                    "Linux O_DIRECT", "Cairn sync",
                                    "Cairn/Linux"))
    for op, size in ROWS:
        k = "%s_%s_mb_per_s" % (op, size)
        ratio = c[k] / l[k] if l[k] else float("inf")
        print("%-24s %22s %22s %11.2fx" % (
            "%-5s %s requests" % (op, size.replace("k", " KiB")),
            spread(l, k), spread(c, k), ratio))
    print("%-24s %22s %22s %12s" % (
        "Cairn, %d in flight" % c["async_depth"], "",
        "cn_blkdev_submit", "vs Linux"))
    for op, size in ROWS:
        k = "%s_%s_mb_per_s" % (op, size)
        ratio = c["async_" + k] / l[k] if l[k] else float("inf")
        print("%-24s %22s %22s %11.2fx" % (
            "%-5s %s requests" % (op, size.replace("k", " KiB")), "",
            spread(c, "async_" + k), ratio))
    print("QEMU, Cairn: " + flags)
    print("QEMU, Linux: " + l["qemu"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
