# SPDX-License-Identifier: BSD-3-Clause
"""Threads: switches and create+join, Cairn against a Linux guest.

The same two programs on both sides: pingpong.c (hand-overs with
sched_yield() and with a semaphore pair) and createjoin.c
(pthread_create + pthread_join of an empty thread). On Cairn they are
apps/bench-pingpong and apps/bench-createjoin on lib/pthread; in the
Linux guest they are built gcc -O2 -static -pthread. ns per operation,
medians of --runs rounds; the ratio is Linux/Cairn (goal: 5x). --arch
arm64 runs both sides on QEMU -M virt: Cairn for qemu-aarch64, a Debian
arm64 guest (linux-image-arm64, busybox-static:arm64, the programs built
with aarch64-linux-gnu-gcc).
"""
import os

from support.bench import harness as h

TITLE = "thread switches and create+join vs a Linux guest"
HERE = os.path.dirname(os.path.abspath(__file__))
APPS = [("bench-pingpong", ""), ("bench-createjoin", "")]
GOAL = 5.0
FIGURES = (("yield_ns_per_switch", "bench-pingpong", "pingpong",
            "yield hand-over (ns)"),
           ("sem_ns_per_switch", "bench-pingpong", "pingpong",
            "semaphore hand-over (ns)"),
           ("create_join_ns", "bench-createjoin", "createjoin",
            "create + join (ns)"))


def options(ap):
    ap.add_argument("--switches", type=int, default=100000)
    ap.add_argument("--creates", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    h.arch_option(ap)


def run(a):
    if a.switches < 2 or a.creates < 1 or not 1 <= a.runs <= 1000:
        raise h.Fail("need --switches >= 2, --creates >= 1, "
                     "1 <= --runs <= 1000")
    args = {"pingpong": "%d %d" % (a.switches, a.runs),
            "createjoin": "%d %d" % (a.creates, a.runs)}
    got = {"cairn": {}, "linux": {}}
    sfx = "" if a.arch == "x86_64" else "-" + a.arch  # build folders
    why = {}
    for app, _ in APPS:
        prog = app.split("-")[1]
        names = [f for f, ap, _, _ in FIGURES if ap == app]
        image = h.make_cairn(os.path.join(a.out, app + sfx), app,
                             h.ARCHES[a.arch]["config"])
        f, why[app] = h.cairn_run(h.cairn_command(
            image, machine=h.ARCHES[a.arch]["machine"],
            cpu=h.ARCHES[a.arch]["cpu"], args=args[prog]),
            names, 300)
        got["cairn"].update(f or {})
    guest = h.linux_guest(os.path.join(a.out, "linux" + sfx, "guest"),
                          [os.path.join(HERE, p + ".c") for p in args],
                          ["%s %s" % kv for kv in args.items()],
                          cflags=["-pthread"], arch=a.arch)
    lcmd = h.linux_command(guest)
    f, why["linux"] = h.linux_run(lcmd, args, [f for f, _, _, _ in FIGURES],
                                  300)
    got["linux"] = f or {}

    rows, summary = [], []
    tag = "" if a.arch == "x86_64" else " (%s)" % a.arch
    for key, app, _, label in FIGURES:
        c, l = got["cairn"].get(key), got["linux"].get(key)
        r = h.ratio(l, c, "%.1fx")
        met = None if r == "-" else l / c >= GOAL
        rows.append([label, "%.1f" % l if l else "failed",
                     "%.1f" % c if c else "failed", r,
                     "-" if met is None else ("met" if met else "NOT met")])
        if c is None or l is None:
            summary.append(h.failed_row("threads%s: " % tag + label,
                                        why[app] or why["linux"]))
        else:
            summary.append(h.row("threads%s: " % tag + label, "%.1f" % c,
                                 "%.1f" % l, r, "%.0fx" % GOAL, met))
    h.table("Threads: ns per operation, medians of %d rounds (TCG, -M %s, "
            "-cpu %s, -m %s, one vCPU)" % (a.runs,
                                           h.ARCHES[a.arch]["machine"],
                                           h.ARCHES[a.arch]["cpu"], h.MEM),
            ["", "Linux guest", "Cairn", "Linux/Cairn",
             "goal %.0fx" % GOAL], rows)
    h.footer(why.items(), guest, [("Linux", lcmd)])
    return summary
