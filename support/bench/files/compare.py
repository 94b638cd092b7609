#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Cairn's ramfs against tmpfs in a Linux guest, side by side in one run.

    /usr/bin/python3 support/bench/files/compare.py [--O DIR] [--mib N]
        [--runs R] [--files F] [--no-host]

The same program, filebench.c (next to this file), on both sides:
sequential writes and reads of an N MiB file in 4 KiB and in 1 MiB
operations, and open(O_CREAT|O_EXCL)+close+unlink of F names; medians of
R rounds after a warm-up. On Cairn it is apps/bench-files (its main.c
links here) on lib/ramfs, in /tmp of the root ramfs; on Linux it is built
static with the host's gcc and run on the guest's tmpfs /tmp
(support/bench/linux-guest/build.py: Debian's kernel and busybox). Both
boot on the same QEMU: -M pc, TCG, -cpu max, -m 256M, one vCPU. For
scale, the same binary also runs natively on the host's /dev/shm (tmpfs),
labelled as such (--no-host leaves it out).

Prints the figures and the ratio Cairn/Linux (higher: Cairn faster). No
goal, no timing assertion; exits 1 when a side fails. Standard library
only; `make bench-files`.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
GUEST_BUILDER = os.path.join(SRCTREE, "support", "bench", "linux-guest",
                             "build.py")
APP = "bench-files"
MEM = "256M"
NAMES = [("write_4k_MBps", "write, 4 KiB ops (MB/s)"),
         ("read_4k_MBps", "read, 4 KiB ops (MB/s)"),
         ("write_1m_MBps", "write, 1 MiB ops (MB/s)"),
         ("read_1m_MBps", "read, 1 MiB ops (MB/s)"),
         ("create_unlink_per_s", "create+unlink per second")]
LINE = re.compile(r"^(\w+): ([\d.]+)$", re.M)


def fail(msg):
    sys.stderr.write("bench-files: %s\n" % msg)
    sys.exit(1)


def figures(text, who):
    got = dict((k, float(v)) for k, v in LINE.findall(text))
    missing = [n for n, _ in NAMES if n not in got]
    if missing:
        fail("%s printed no %s:\n%s" % (who, ", ".join(missing),
                                        text[-2000:]))
    return got


def cairn(out, args):
    app = os.path.join(SRCTREE, "apps", APP)
    for goal in (["defconfig"], []):
        p = subprocess.run(["make", "-C", SRCTREE, "O=" + out, "APP=" + app]
                           + goal, capture_output=True, text=True)
        if p.returncode:
            fail("building apps/%s failed:\n%s" % (APP, p.stderr[-2000:]))
    p = subprocess.run([PYTHON, os.path.join(SRCTREE, "support", "qemu.py"),
                        "--kernel", os.path.join(out, APP + "_qemu-x86_64"),
                        "--machine", "pc", "--accel", "tcg", "--cpu", "max",
                        "--mem", MEM, "--timeout", "600", "--args=" + args],
                       stdin=subprocess.DEVNULL, capture_output=True,
                       text=True)
    if p.returncode:
        fail("apps/%s failed (status %d):\n%s%s" % (
            APP, p.returncode, p.stdout[-1500:], p.stderr[-1500:]))
    return figures(p.stdout, "Cairn")


def build_static(out):
    src = os.path.join(HERE, "filebench.c")
    exe = os.path.join(out, "filebench")
    os.makedirs(out, exist_ok=True)
    p = subprocess.run(["gcc", "-O2", "-static", "-Wall", "-o", exe, src],
                       capture_output=True, text=True)
    if p.returncode:
        fail("cannot build %s (static linking needs the Debian package "
             "libc6-dev):\n%s" % (src, p.stderr[-2000:]))
    return exe


def linux(out, exe, args):
    guest_dir = os.path.join(out, "guest")
    p = subprocess.run([PYTHON, GUEST_BUILDER, "build", guest_dir, "--extra",
                        exe, "--run", "filebench " + args],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       text=True, timeout=1800)
    if p.returncode:
        fail("the Linux guest build failed")
    with open(os.path.join(guest_dir, "guest.json")) as f:
        guest = json.load(f)
    cmd = ["qemu-system-x86_64", "-M", "pc", "-accel", "tcg", "-cpu", "max",
           "-smp", "1", "-m", MEM, "-nodefaults", "-no-user-config",
           "-display", "none", "-serial", "stdio", "-no-reboot",
           "-kernel", guest["kernel"], "-initrd", guest["initrd"],
           "-append", guest["append"]]
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=900)
    except subprocess.TimeoutExpired:
        fail("the Linux guest did not power off within 900 s")
    console = p.stdout.decode(errors="replace").replace("\r", "")
    if "LINUX_GUEST_EXIT filebench 0" not in console:
        fail("filebench failed in the Linux guest:\n" + console[-2000:])
    info = [l[1:].strip() for l in console.splitlines()
            if l.startswith("# linux-guest:")]
    return figures(console, "the Linux guest"), (info[0] if info else "")


def host(exe, args):
    """The same binary on the host's tmpfs (/dev/shm), for scale."""
    if not os.path.isdir("/dev/shm"):
        return None
    d = os.path.join("/dev/shm", "cairn-filebench-%d" % os.getpid())
    try:
        a = args.split()
        p = subprocess.run([exe, d] + a[1:], capture_output=True, text=True,
                           timeout=600)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return figures(p.stdout, "the host") if p.returncode == 0 else None


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--O", dest="out",
                    default=os.path.join(SRCTREE, "build", "bench-files"))
    ap.add_argument("--mib", type=int, default=32)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--no-host", action="store_true")
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    args = "/tmp %d %d %d" % (a.mib, a.runs, a.files)
    c = cairn(os.path.join(out, "cairn"), args)
    exe = build_static(os.path.join(out, "linux"))
    l, info = linux(os.path.join(out, "linux"), exe, args)
    h = None if a.no_host else host(exe, args)
    print("Files: %d MiB file, %d names; medians of %d runs (TCG, -M pc, "
          "-cpu max, -m %s, one vCPU)" % (a.mib, a.files, a.runs, MEM))
    if info:
        print("Linux guest: %s, tmpfs on /tmp" % info)
    print("%-28s %12s %12s %12s%s" % ("", "Linux tmpfs", "Cairn ramfs",
                                      "Cairn/Linux",
                                      "   host tmpfs (native)" if h else ""))
    for n, label in NAMES:
        ratio = c[n] / l[n] if l[n] else float("inf")
        print("%-28s %12.1f %12.1f %11.2fx%s" % (
            label, l[n], c[n], ratio,
            "   %12.1f" % h[n] if h else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
