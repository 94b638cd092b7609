# SPDX-License-Identifier: BSD-3-Clause
"""Raw frame rate on Linux: the figures Cairn's netdev is compared with.

    /usr/bin/python3 support/bench/net/linux.py [--O DIR] [--json]
        [--seconds S] [--runs R] [--timeout T] [--append ARGS]

Builds packet_tx.c (next to this file) on the host with `gcc -O2
-static`, builds a Linux guest around it with
support/bench/linux-guest/build.py (Debian's kernel and busybox-static,
cached; the modules virtio_pci and virtio_net with their dependencies,
loaded at boot, then `ip link set eth0 up`), boots it once under QEMU
with TCG on one CPU

    qemu-system-x86_64 -M pc -accel tcg -cpu max -smp 1 -m 256M -nodefaults
        -no-user-config -display none -serial stdio -no-reboot
        -netdev user,id=net0 -device virtio-net-pci,netdev=net0
        -kernel vmlinux -initrd initrd.cpio -append "console=ttyS0 quiet ..."

(the network flags are what support/qemu.py --net user gives Cairn), and
prints what packet_tx prints, medians of --runs rounds of --seconds:

    frames_per_s: X          60-byte frames the device completed per
                             second, sent with send() on an AF_PACKET
                             socket through eth0's qdisc
    frames_per_s_min: X1     the slowest round
    frames_per_s_max: X2     the fastest round
    accepted_per_s: Y        frames send() accepted per second
    bypass_frames_per_s: Z   the same four with PACKET_QDISC_BYPASS
    ...

or with --json the same as one JSON object, with the QEMU command as
"qemu".  The guest's kernel, package
versions and the time taken go to stderr, and so do packet_tx's detail
lines with -v.  Any failure (build, boot, a program that fails, a missing
figure, QEMU running past --timeout) prints the reason and exits with
status 1.  Standard library only.
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
PROGRAM = "packet_tx"
FIGURES = tuple(m + k for m in ("", "bypass_") for k in (
    "frames_per_s", "frames_per_s_min", "frames_per_s_max", "accepted_per_s"))
CFLAGS = ["-O2", "-static", "-Wall"]
MODULES = ["virtio_pci", "virtio_net"]
NET_FLAGS = ["-netdev", "user,id=net0", "-device",
             "virtio-net-pci,netdev=net0"]
QEMU = guestrun.QEMU


def say(msg):
    print("net/linux: " + msg, file=sys.stderr, flush=True)


def build_program(out):
    """Compiles packet_tx (when its source is newer)."""
    return guestrun.build_static(os.path.join(HERE, PROGRAM + ".c"),
                                 os.path.join(out, PROGRAM), CFLAGS)


def build_guest(out, program, args):
    run = "%s %g %d" % (PROGRAM, args.seconds, args.runs)
    cmd = [sys.executable, GUEST_BUILDER, "build", out, "--extra", program,
           "--modules"] + MODULES + [
           "--setup", "ip link set eth0 up",
           "--run", run + " qdisc", "--run", run + " bypass"]
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
            "none", "-serial", "stdio", "-no-reboot"] + NET_FLAGS + [
            "-kernel", guest["kernel"], "-initrd", guest["initrd"],
            "-append", append]


def boot(guest, args):
    """Boots the guest; returns its console output."""
    cmd = qemu_command(guest, args)
    return guestrun.run(cmd, args.timeout)


def parse(console, verbose):
    """Checks both runs and the setup succeeded; returns the figures."""
    lines = console.splitlines()
    exits = [l.split()[2] for l in lines
             if l.startswith("LINUX_GUEST_EXIT %s " % PROGRAM)]
    for l in lines:
        if l.startswith(("LINUX_GUEST_MODULE ", "LINUX_GUEST_SETUP ")) or \
                (l.startswith(PROGRAM + ": ") and verbose):
            say("guest: " + l.strip())
    if exits != ["0", "0"] or "LINUX_GUEST_DONE 0" not in lines:
        raise Fail("%s exited with %s; console:\n%s"
                   % (PROGRAM, ", ".join(exits) or "nothing",
                      last_lines(console)))
    return guestrun.figures(console, FIGURES)


def main():
    ap = argparse.ArgumentParser(
        description="Linux raw frame rate (AF_PACKET, 60-byte frames) on "
                    "virtio-net, in a Debian guest under QEMU TCG.")
    ap.add_argument("--O", dest="out",
                    default=os.path.join(SRCTREE, "build", "bench-net"),
                    help="build directory (default: build/bench-net)")
    ap.add_argument("--json", action="store_true",
                    help="print the figures as one JSON object")
    ap.add_argument("--seconds", type=float, default=2.0,
                    help="length of a timed round (default 2)")
    ap.add_argument("--runs", type=int, default=5,
                    help="timed rounds per mode, median reported (default 5)")
    ap.add_argument("--timeout", type=int, default=120,
                    help="seconds the guest may run (default 120)")
    ap.add_argument("--append", default="",
                    help="more kernel command line (e.g. mitigations=off)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="show packet_tx's line for every round")
    args = ap.parse_args()
    if not 0 < args.seconds <= 60 or not 1 <= args.runs <= 100:
        ap.error("need 0 < --seconds <= 60 and 1 <= --runs <= 100")

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
