# SPDX-License-Identifier: BSD-3-Clause
"""Thread benchmarks on Linux: the figures Cairn's threads are compared with.

    /usr/bin/python3 support/bench/threads/linux.py [--O DIR] [--json]
        [--switches N] [--creates M] [--runs R] [--timeout S] [--append ARGS]

Builds pingpong.c and createjoin.c (next to this file) on the host with
`gcc -O2 -static -pthread`, builds a Linux guest around them with
support/bench/linux-guest/build.py (Debian's kernel and busybox-static,
cached), boots it once under QEMU with TCG on one CPU

    qemu-system-x86_64 -M pc -accel tcg -cpu max -smp 1 -m 256M -nodefaults
        -no-user-config -display none -serial stdio -no-reboot
        -kernel vmlinux -initrd initrd.cpio -append "console=ttyS0 quiet ..."

(/dev/kvm on the machines this was written on is kvm_pvm, which cannot run
a stock Linux kernel, hence TCG), and prints what the programs print:

    yield_ns_per_switch: X   two threads handing over with sched_yield()
    sem_ns_per_switch: Y     two threads handing over with two semaphores
    create_join_ns: Z        pthread_create + pthread_join of an empty thread

(medians of --runs rounds, N switches or M create+joins a round), or with
--json the same as one JSON object.  The guest's kernel, package versions
and the time taken go to stderr.  Any failure (build, boot, a program that
fails, a missing figure, QEMU running past --timeout) prints the reason and
exits with status 1.  Standard library only.
"""
import argparse
import json
import os
import re
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
PROGRAMS = ("pingpong", "createjoin")
FIGURES = ("yield_ns_per_switch", "sem_ns_per_switch", "create_join_ns")
CFLAGS = ["-O2", "-static", "-pthread", "-Wall"]
QEMU = guestrun.QEMU


def say(msg):
    print("threads/linux: " + msg, file=sys.stderr, flush=True)


def build_programs(out):
    """Compiles the benchmark programs (when their source is newer)."""
    return [guestrun.build_static(os.path.join(HERE, name + ".c"),
                                  os.path.join(out, name), CFLAGS)
            for name in PROGRAMS]


def build_guest(out, programs, args):
    cmd = [sys.executable, GUEST_BUILDER, "build", out]
    for p in programs:
        cmd += ["--extra", p]
    cmd += ["--run", "pingpong %d %d" % (args.switches, args.runs),
            "--run", "createjoin %d %d" % (args.creates, args.runs)]
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


def boot(guest, args):
    """Boots the guest; returns its console output."""
    append = guest["append"] + (" " + args.append if args.append else "")
    cmd = [QEMU, "-M", "pc", "-accel", "tcg", "-cpu", "max", "-smp", "1",
           "-m", "256M", "-nodefaults", "-no-user-config", "-display", "none",
           "-serial", "stdio", "-no-reboot",
           "-kernel", guest["kernel"], "-initrd", guest["initrd"],
           "-append", append]
    return guestrun.run(cmd, args.timeout)


def parse(console):
    """Checks every program ran and exited 0; returns the figures."""
    lines = console.splitlines()
    exits = {}
    for l in lines:
        f = l.split()
        if len(f) == 3 and f[0] == "LINUX_GUEST_EXIT":
            exits[f[1]] = f[2]
        elif re.match(r"(%s): " % "|".join(PROGRAMS), l):
            say("guest: " + l.strip())     # a program's note or error
    bad = ["%s exited with status %s" % (p, exits[p]) if p in exits else
           "%s did not finish" % p for p in PROGRAMS if exits.get(p) != "0"]
    if bad or "LINUX_GUEST_DONE 0" not in lines:
        raise Fail("%s; console:\n%s" % ("; ".join(bad) or "/init did not "
                                         "finish", last_lines(console)))
    return guestrun.figures(console, FIGURES)


def main():
    ap = argparse.ArgumentParser(
        description="Linux thread switch and creation figures, in a Debian "
                    "guest under QEMU TCG on one CPU.")
    ap.add_argument("--O", dest="out",
                    default=os.path.join(SRCTREE, "build", "bench-threads"),
                    help="build directory (default: build/bench-threads)")
    ap.add_argument("--json", action="store_true",
                    help="print the figures as one JSON object")
    ap.add_argument("--switches", type=int, default=100000,
                    help="switches per round (default 100000)")
    ap.add_argument("--creates", type=int, default=2000,
                    help="create+joins per round (default 2000)")
    ap.add_argument("--runs", type=int, default=5,
                    help="timed rounds, median reported (default 5)")
    ap.add_argument("--timeout", type=int, default=120,
                    help="seconds the guest may run (default 120)")
    ap.add_argument("--append", default="",
                    help="more kernel command line (e.g. mitigations=off)")
    args = ap.parse_args()
    if args.switches < 2 or args.creates < 1 or not 1 <= args.runs <= 1000:
        ap.error("need --switches >= 2, --creates >= 1, 1 <= --runs <= 1000")

    try:
        guestrun.check_tools()
        out = os.path.join(os.path.abspath(args.out), "linux")
        os.makedirs(out, exist_ok=True)
        t0 = time.monotonic()
        programs = build_programs(out)
        guest = build_guest(os.path.join(out, "guest"), programs, args)
        t1 = time.monotonic()
        console = boot(guest, args)
        t2 = time.monotonic()
        figures, info = parse(console)
    except Fail as e:
        say("error: %s" % e)
        return 1

    pk = guest.get("packages", {})
    say("%s; %s; boot %s; %s %s, %s %s" % (
        info, "TCG -smp 1 -m 256M", guest.get("boot"),
        pk.get("kernel", {}).get("package"), pk.get("kernel", {}).get("version"),
        pk.get("busybox", {}).get("package"), pk.get("busybox", {}).get("version")))
    say("build %.1f s, guest %.1f s" % (t1 - t0, t2 - t1))
    if args.json:
        print(json.dumps({k: figures[k] for k in FIGURES}))
    else:
        for k in FIGURES:
            print("%s: %s" % (k, figures[k]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
