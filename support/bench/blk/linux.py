# SPDX-License-Identifier: BSD-3-Clause
"""virtio-blk throughput on Linux: the figures Cairn's blkdev is compared with.

    /usr/bin/python3 support/bench/blk/linux.py --disk FILE [--O DIR]
        [--json] [--mb N] [--runs R] [--timeout T] [--append ARGS] [-v]

Builds blkrw.c (next to this file) on the host with `gcc -O2 -static`,
builds a Linux guest around it with support/bench/linux-guest/build.py
(Debian's kernel and busybox-static, cached; the modules virtio_pci and
virtio_blk with their dependencies, loaded at boot, then devtmpfs on /dev
for /dev/vda), boots it once under QEMU with TCG on one CPU and FILE (a
raw image; its data is overwritten) as a virtio-blk disk

    qemu-system-x86_64 -M pc -accel tcg -cpu max -smp 1 -m 256M -nodefaults
        -no-user-config -display none -serial stdio -no-reboot
        -drive file=FILE,if=none,id=disk0,format=raw
        -device virtio-blk-pci,drive=disk0
        -kernel vmlinux -initrd initrd.cpio -append "console=ttyS0 quiet ..."

(the disk flags are what support/qemu.py --disk FILE gives Cairn), and
prints what `blkrw /dev/vda MB RUNS` prints: sequential O_DIRECT writes
(then fdatasync) and reads of MB MiB, one request at a time, in 4 KiB and
64 KiB requests; medians of RUNS rounds after a warm-up, in MB/s:

    write_4k_mb_per_s: X     (and _min, _max: the slowest, fastest round)
    read_4k_mb_per_s: Y
    write_64k_mb_per_s: Z
    read_64k_mb_per_s: W

or with --json the same as one JSON object, with the QEMU command as
"qemu".  The guest's kernel, package versions and the time taken go to
stderr, and so do blkrw's own lines with -v.  Any failure (build, boot, a
program that fails, a missing figure, QEMU running past --timeout)
prints the reason and exits with status 1.  Standard library only.
"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import guestrun  # noqa: E402
from guestrun import Fail, last_lines  # noqa: E402,F401
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
GUEST_BUILDER = os.path.join(SRCTREE, "support", "bench", "linux-guest",
                             "build.py")
PROGRAM = "blkrw"
FIGURES = tuple("%s_%s_mb_per_s%s" % (op, size, sfx)
                for size in ("4k", "64k") for op in ("write", "read")
                for sfx in ("", "_min", "_max"))
CFLAGS = ["-O2", "-static", "-Wall"]
MODULES = ["virtio_pci", "virtio_blk"]
QEMU = guestrun.QEMU


def say(msg):
    print("blk/linux: " + msg, file=sys.stderr, flush=True)


def build_program(out):
    """Compiles blkrw (when its source is newer)."""
    return guestrun.build_static(os.path.join(HERE, PROGRAM + ".c"),
                                 os.path.join(out, PROGRAM), CFLAGS)


def build_guest(out, program, args):
    cmd = [sys.executable, GUEST_BUILDER, "build", out, "--extra", program,
           "--modules"] + MODULES + [
           "--setup", "mount -t devtmpfs devtmpfs /dev",
           "--run", "%s /dev/vda %d %d" % (PROGRAM, args.mb, args.runs)]
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           universal_newlines=True, timeout=1800)
    except subprocess.TimeoutExpired:
        raise Fail("the guest build timed out")
    if p.returncode:
        raise Fail("the guest build failed (%s)" % " ".join(cmd))
    try:
        with open(os.path.join(out, "guest.json")) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise Fail("cannot read the guest description %s: %s"
                   % (os.path.join(out, "guest.json"), e))


def qemu_command(guest, args):
    append = guest["append"] + (" " + args.append if args.append else "")
    return [QEMU, "-M", "pc", "-accel", "tcg", "-cpu", "max", "-smp", "1",
            "-m", "256M", "-nodefaults", "-no-user-config", "-display",
            "none", "-serial", "stdio", "-no-reboot",
            "-drive", "file=%s,if=none,id=disk0,format=raw" % args.disk,
            "-device", "virtio-blk-pci,drive=disk0",
            "-kernel", guest["kernel"], "-initrd", guest["initrd"],
            "-append", append]


def boot(guest, args):
    """Boots the guest; returns its console output."""
    cmd = qemu_command(guest, args)
    return guestrun.run(cmd, args.timeout)


def parse(console, verbose):
    """Checks the run and the setup succeeded; returns the figures."""
    lines = console.splitlines()
    exits = [l.split()[2] for l in lines
             if l.startswith("LINUX_GUEST_EXIT %s " % PROGRAM)]
    for l in lines:
        if l.startswith(("LINUX_GUEST_MODULE ", "LINUX_GUEST_SETUP ")) or \
                (l.startswith(PROGRAM + ": ") and verbose):
            say("guest: " + l.strip())
    if exits != ["0"] or "LINUX_GUEST_DONE 0" not in lines:
        raise Fail("%s exited with %s; console:\n%s"
                   % (PROGRAM, ", ".join(exits) or "nothing",
                      last_lines(console)))
    return guestrun.figures(console, FIGURES)


def main():
    ap = argparse.ArgumentParser(
        description="Linux sequential virtio-blk throughput (O_DIRECT, one "
                    "request at a time), in a Debian guest under QEMU TCG.")
    ap.add_argument("--disk", required=True,
                    help="raw disk image to attach (overwritten), at least "
                         "--mb MiB; its path must not contain ','")
    ap.add_argument("--O", dest="out",
                    default=os.path.join(SRCTREE, "build", "bench-blk"),
                    help="build directory (default: build/bench-blk)")
    ap.add_argument("--json", action="store_true",
                    help="print the figures as one JSON object")
    ap.add_argument("--mb", type=int, default=32,
                    help="MiB a pass reads or writes (default 32)")
    ap.add_argument("--runs", type=int, default=3,
                    help="timed rounds, median reported (default 3)")
    ap.add_argument("--timeout", type=int, default=120,
                    help="seconds the guest may run (default 120)")
    ap.add_argument("--append", default="",
                    help="more kernel command line (e.g. mitigations=off)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="show blkrw's own lines")
    args = ap.parse_args()
    if args.mb < 1 or not 1 <= args.runs <= 100:
        ap.error("need --mb >= 1 and 1 <= --runs <= 100")
    args.disk = os.path.abspath(args.disk)
    if not os.path.isfile(args.disk) or "," in args.disk:
        ap.error("--disk %s: not a file, or its path contains ','" % args.disk)

    try:
        guestrun.check_tools()
        out = os.path.join(os.path.abspath(args.out), "linux")
        os.makedirs(out, exist_ok=True)
        t0 = time.monotonic()
        program = build_program(out)
        guest = build_guest(os.path.join(out, "guest"), program, args)
        t1 = time.monotonic()
        console = boot(guest, args)
        t2 = time.monotonic()
        figures, info = parse(console, args.verbose)
    except Fail as e:
        say("error: %s" % e)
        return 1

    guestrun.report(say, guest, info, t1 - t0, t2 - t1, figures, FIGURES,
                    qemu_command(guest, args), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
