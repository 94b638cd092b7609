# SPDX-License-Identifier: BSD-3-Clause
"""Cairn's threads against a Linux guest's, side by side in one run.

    /usr/bin/python3 support/bench/threads/compare.py [--O DIR] [--switches N]
        [--creates M] [--runs R]

Builds the same two C programs for both sides: pingpong.c (yield and
semaphore-pair hand-overs) and createjoin.c (pthread_create + join), next
to this file. On Cairn they are apps/bench-pingpong and
apps/bench-createjoin (their main.c links here) on lib/pthread, booted
with support/qemu.py on -M pc, TCG, -cpu max; on Linux, linux.py builds
them static and boots a Debian kernel on the same QEMU accelerator,
machine and CPU model, one vCPU. Prints both figures and the
ratio Linux/Cairn for each (the goal: Cairn at least 5x faster). Exits 1
when either side fails. Standard library only; `make bench-threads`.
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
GOAL = 5.0
NAMES = ("yield_ns_per_switch", "sem_ns_per_switch", "create_join_ns")


def fail(msg):
    sys.stderr.write("bench-threads: %s\n" % msg)
    sys.exit(1)


def boot_app(out, name, args):
    app = os.path.join(SRCTREE, "apps", name)
    for goal in (["defconfig"], []):
        p = subprocess.run(["make", "-C", SRCTREE, "O=" + out, "APP=" + app]
                           + goal, capture_output=True, text=True)
        if p.returncode:
            fail("building apps/%s failed:\n%s" % (name, p.stderr[-2000:]))
    p = subprocess.run([PYTHON, os.path.join(SRCTREE, "support", "qemu.py"),
                        "--kernel", os.path.join(out, name + "_qemu-x86_64"),
                        "--machine", "pc", "--accel", "tcg", "--cpu", "max",
                        "--timeout", "300", "--args=" + args],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if p.returncode:
        fail("apps/%s failed (status %d):\n%s%s" % (
            name, p.returncode, p.stdout[-1500:], p.stderr[-1500:]))
    return dict((k, float(v)) for k, v in
                re.findall(r"^(\w+): ([\d.]+)$", p.stdout, re.M))


def cairn(out, a):
    figures = boot_app(os.path.join(out, "pingpong"), "bench-pingpong",
                       "%d %d" % (a.switches, a.runs))
    figures.update(boot_app(os.path.join(out, "createjoin"),
                            "bench-createjoin", "%d %d" % (a.creates, a.runs)))
    missing = [n for n in NAMES if n not in figures]
    if missing:
        fail("the Cairn programs printed no %s" % ", ".join(missing))
    return figures


def linux(out, a):
    p = subprocess.run([PYTHON, os.path.join(HERE, "linux.py"), "--O", out,
                        "--json", "--switches", str(a.switches),
                        "--creates", str(a.creates), "--runs", str(a.runs)],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if p.returncode:
        fail("the Linux guest run failed:\n" + p.stderr[-2000:])
    return json.loads(p.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--O", dest="out",
                    default=os.path.join(SRCTREE, "build", "bench-threads"))
    ap.add_argument("--switches", type=int, default=100000)
    ap.add_argument("--creates", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    c = cairn(os.path.join(a.out, "cairn"), a)
    l = linux(os.path.join(a.out, "linux"), a)
    print("Threads: ns per operation, medians of %d runs (TCG, -M pc, "
          "-cpu max, one vCPU)" % a.runs)
    print("%-22s %12s %12s %10s" % ("", "Linux guest", "Cairn",
                                    "Linux/Cairn"))
    for n in NAMES:
        ratio = l[n] / c[n] if c[n] else float("inf")
        print("%-22s %12.1f %12.1f %9.1fx  goal %.0fx: %s" % (
            n, l[n], c[n], ratio, GOAL, "met" if ratio >= GOAL else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
