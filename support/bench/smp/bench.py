# SPDX-License-Identifier: BSD-3-Clause
"""SMP: CPU-bound parallel sums on 1 and 2 vCPUs, and hand-overs between
two threads pinned to different CPUs; Cairn and a Linux guest.

Parallel sums: the same program on both sides, parsum.c (one thread per
online CPU, each summing a mixing function over its share; no locks, no
shared memory while summing). On Cairn it is apps/bench-parsum built
with SMP (CONFIG_SMP=y) on lib/pthread; in the Linux guest it is built
gcc -O2 -static -pthread. Each guest prints the median of --runs rounds;
each configuration (side, -smp 1 or 2) is booted --boots times and the
table gives the median of those medians with their range (TCG's
run-to-run swing is mostly between boots: which host cores the vCPU
threads get). Ratios: each side's speed-up from 1 to 2 vCPUs (goal 1.8x
for Cairn), and Linux/Cairn at 2 vCPUs. A control row boots Cairn at
-smp 2 with idle polling off (sched.idle_poll_us=0) in the same run, so
what polling costs or gives the sums is a ratio of one run.

Cross-CPU hand-over: support/bench/threads/pingpong.c with `cross`, two
threads pinned to CPUs 0 and 1 on -smp 2 hand a turn back and forth with
sched_yield() and with a pair of semaphores (Cairn: apps/bench-pingpong
built with SMP). Ratio Linux/Cairn ns per hand-over (goal 5x). Under
the table, for scale, hosthand.c runs on the host itself: two host threads
hand a turn through one shared word with no call at all, about what
moving a cache line between two host cores and back costs, which every
guest's hand-over under TCG pays too (its vCPUs are host threads). A
guest's figure near it has nothing left for its OS to take out.

httpd (support/bench/smp/http.py): apps/httpd built with SMP at -smp 1
and -smp 2 against the Linux guest's fastest server at -smp 2, wrk
keep-alive on user networking; ratios Cairn 2/1 (goal 1.5x) and
Cairn/Linux at -smp 2 (goal above 1x), with the lock contention
counters of /status.json that moved. --sections cpu or httpd runs one
part.

Under TCG the figures depend on how many host cores are free: measure on
an idle host. --arch arm64 runs both sides on QEMU -M virt: Cairn for
qemu-aarch64 (secondaries through PSCI), a Debian arm64 guest (the
programs built with aarch64-linux-gnu-gcc).
"""
import os
import re
import subprocess

from support.bench import harness as h
from support.bench.smp import http

TITLE = ("parallel sums and httpd on 1 and 2 vCPUs, cross-CPU hand-overs "
         "vs a Linux guest")
HERE = os.path.dirname(os.path.abspath(__file__))
PINGPONG = os.path.join(HERE, "..", "threads", "pingpong.c")
APPS = [("bench-parsum", "CONFIG_SMP=y\n"),
        ("bench-pingpong", "CONFIG_SMP=y\n"), http.APP]
SECTIONS = ("cpu", "httpd")	# parsum and hand-overs; httpd.py
GOAL = 1.8
HAND_GOAL = 5.0
CPUS = (1, 2)


def options(ap):
    ap.add_argument("--items", type=int, default=100000000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--boots", type=int, default=3,
                    help="boots of each configuration (default 3)")
    ap.add_argument("--switches", type=int, default=20000,
                    help="hand-overs per cross-CPU round (default 20000)")
    ap.add_argument("--sections", default=",".join(SECTIONS),
                    help="which parts to run (default %s)"
                    % ",".join(SECTIONS))
    http.options(ap)
    h.arch_option(ap)


def target(a):
    """(arch table entry, build-folder suffix, row tag) for --arch."""
    other = a.arch != "x86_64"
    return (h.ARCHES[a.arch], "-" + a.arch if other else "",
            " (%s)" % a.arch if other else "")


def cairn_image(a, app):
    arch, sfx, _ = target(a)
    return h.make_cairn(os.path.join(a.out, app[0] + sfx), app[0],
                        arch["config"] + app[1])


def cairn_base(a, image, args, params=""):
    arch = target(a)[0]
    return h.cairn_command(image, machine=arch["machine"], cpu=arch["cpu"],
                           args=args, params=params)


def boots(label, a, fn):
    """fn() --boots times; returns (list of figure dicts, why of the last
    failure or None)."""
    got, why = [], None
    for i in range(a.boots):
        h.say("%s, boot %d of %d" % (label, i + 1, a.boots))
        f, w = fn()
        if f:
            got.append(f)
        else:
            why = w
    return got, why


def med(fs, key):
    return h.median([f[key] for f in fs]) if fs else None


def spread(fs, key):
    return h.spread([f[key] for f in fs]) if fs else "failed"


def parsum(a, cmds):
    """The parallel sums: ({(side, n): [figures]}, {label: why})."""
    args = "%d %d" % (a.items, a.runs)
    keys = ["cpus", "sum_ms", "sum_ms_min", "sum_ms_max", "checksum"]
    base = cairn_base(a, cairn_image(a, APPS[0]), args)
    got, why = {}, {}
    for n in CPUS:
        cmd = http.with_smp(base, n)
        cmds.append(("Cairn parsum -smp %d" % n, cmd))
        got[("cairn", n)], why["cairn%d" % n] = boots(
            "Cairn parsum -smp %d" % n, a,
            lambda: h.cairn_run(cmd, keys, 600))
    # The control: -smp 2 with idle polling off, booted in the same run,
    # so that what polling costs or gives the sums is a ratio, not a
    # comparison with a figure of another run.
    cmd = http.with_smp(cairn_base(a, cairn_image(a, APPS[0]), args,
                                   "sched.idle_poll_us=0"), 2)
    cmds.append(("Cairn parsum -smp 2, sched.idle_poll_us=0", cmd))
    got[("cairn-nopoll", 2)], why["cairn-nopoll"] = boots(
        "Cairn parsum -smp 2, polling off", a,
        lambda: h.cairn_run(cmd, keys, 600))
    guest = h.linux_guest(os.path.join(a.out, "linux" + target(a)[1],
                                       "guest"),
                          [os.path.join(HERE, "parsum.c")],
                          ["parsum " + args], cflags=["-pthread"],
                          arch=a.arch)
    for n in CPUS:
        cmd = http.with_smp(h.linux_command(guest), n)
        cmds.append(("Linux parsum -smp %d" % n, cmd))
        got[("linux", n)], why["linux%d" % n] = boots(
            "Linux parsum -smp %d" % n, a,
            lambda: h.linux_run(cmd, ["parsum"], keys, 600))
    sums = {f["checksum"] for fs in got.values() for f in fs}
    if len(sums) > 1:
        raise h.Fail("the checksums differ between runs: %s" % got)
    return got, why, guest


def handover(a, cmds):
    """Cross-CPU hand-overs on -smp 2: ({side: [figures]}, {label: why})."""
    args = "%d %d cross" % (a.switches, a.runs)
    keys = ["yield_ns_per_switch", "sem_ns_per_switch"]
    cmd = http.with_smp(cairn_base(a, cairn_image(a, APPS[1]), args), 2)
    cmds.append(("Cairn pingpong cross -smp 2", cmd))
    got, why = {}, {}
    got["cairn"], why["cairn-pingpong"] = boots(
        "Cairn pingpong cross", a, lambda: h.cairn_run(cmd, keys, 600))
    guest = h.linux_guest(os.path.join(a.out, "linux-pp" + target(a)[1],
                                       "guest"),
                          [PINGPONG], ["pingpong " + args],
                          cflags=["-pthread"], arch=a.arch)
    lcmd = http.with_smp(h.linux_command(guest), 2)
    cmds.append(("Linux pingpong cross -smp 2", lcmd))
    got["linux"], why["linux-pingpong"] = boots(
        "Linux pingpong cross", a,
        lambda: h.linux_run(lcmd, ["pingpong"], keys, 600))
    return got, why


def host_handover(a):
    """hosthand.c on the host: ns per hand-over, or why it failed."""
    try:
        exe = h.build_static(os.path.join(HERE, "hosthand.c"),
                             os.path.join(a.out, "host", "hosthand"),
                             ["-pthread"])
    except h.Fail as e:
        return str(e).splitlines()[0]
    p = subprocess.run([exe, str(max(a.switches, 200000)), str(a.runs)],
                       capture_output=True, text=True, timeout=300)
    m = re.search(r"^host_ns_per_switch: ([\d.]+)$", p.stdout, re.M)
    if p.returncode or not m:
        return "hosthand: %s" % (p.stderr.strip() or p.stdout.strip())
    return float(m.group(1))


def run(a):
    sections = [x for x in a.sections.split(",") if x]
    if not sections or any(x not in SECTIONS for x in sections):
        raise h.Fail("--sections takes %s" % ",".join(SECTIONS))
    if a.arch != "x86_64" and "httpd" in sections:
        h.say("--arch %s: the httpd section is left out (the Linux "
              "guest's nginx and lighttpd are amd64 only)" % a.arch)
        sections.remove("httpd")
    summary = run_cpu(a) if "cpu" in sections else []
    if "httpd" in sections:
        summary += http.run(a)
    return summary


def run_cpu(a):
    if a.items < 1 or not 1 <= a.runs <= 100 or not 1 <= a.boots <= 20 \
            or a.switches < 2:
        raise h.Fail("need --items >= 1, 1 <= --runs <= 100, "
                     "1 <= --boots <= 20, --switches >= 2")
    cmds = []
    got, why, guest = parsum(a, cmds)
    hand, hwhy = handover(a, cmds)
    why.update(hwhy)
    host = host_handover(a)

    rows, summary = [], []
    tag = target(a)[2]
    for n in CPUS:
        l, c = med(got[("linux", n)], "sum_ms"), med(got[("cairn", n)],
                                                      "sum_ms")
        rows.append(["parsum -smp %d: ms per round" % n,
                     spread(got[("linux", n)], "sum_ms"),
                     spread(got[("cairn", n)], "sum_ms"), h.ratio(l, c)])
    c1, c2 = med(got[("cairn", 1)], "sum_ms"), med(got[("cairn", 2)],
                                                    "sum_ms")
    l1, l2 = med(got[("linux", 1)], "sum_ms"), med(got[("linux", 2)],
                                                    "sum_ms")

    def speedups(side):
        """Each boot's 1-vCPU median over each boot's 2-vCPU one, paired
        in order: the range of the speed-up."""
        one, two = got[(side, 1)], got[(side, 2)]
        v = [x["sum_ms"] / y["sum_ms"] for x, y in zip(one, two)]
        return h.spread(v, "%.2f") if v else "failed"

    rows.append(["speed-up 1 -> 2 vCPUs (median of medians; range over "
                 "paired boots)", "%s: %s" % (h.ratio(l1, l2),
                                              speedups("linux")),
                 "%s: %s" % (h.ratio(c1, c2), speedups("cairn")), ""])
    c2off = med(got[("cairn-nopoll", 2)], "sum_ms")
    rows.append(["Cairn parsum -smp 2, idle polling off: ms per round "
                 "(its speed-up 1 -> 2); time off / on", "",
                 "%s (%s)" % (spread(got[("cairn-nopoll", 2)], "sum_ms"),
                              h.ratio(c1, c2off)),
                 h.ratio(c2off, c2)])
    for key, name in (("yield_ns_per_switch", "yield"),
                      ("sem_ns_per_switch", "semaphore")):
        l, c = med(hand["linux"], key), med(hand["cairn"], key)
        rows.append(["%s hand-over across CPUs (ns)" % name,
                     spread(hand["linux"], key), spread(hand["cairn"], key),
                     h.ratio(l, c)])
        if l and c:
            summary.append(h.row("smp%s: %s hand-over across 2 CPUs (ns)"
                                 % (tag, name), "%.0f" % c, "%.0f" % l,
                                 h.ratio(l, c), "%.0fx" % HAND_GOAL,
                                 l / c >= HAND_GOAL))
        else:
            summary.append(h.failed_row("smp%s: %s hand-over across CPUs"
                                        % (tag, name), why.get("cairn-pingpong")
                                        or why.get("linux-pingpong")))
    met = None if not (c1 and c2) else c1 / c2 >= GOAL
    if c1 and c2:
        summary.insert(0, h.row("smp%s: parallel sums, speed-up 1 -> 2 vCPUs" % tag,
                                h.ratio(c1, c2), h.ratio(l1, l2),
                                "", "%.1fx" % GOAL, met))
    else:
        summary.insert(0, h.failed_row(
            "smp%s: parallel sums, speed-up" % tag,
            why.get("cairn1") or why.get("cairn2")))
    if c2 and l2:
        summary.insert(1, h.row("smp%s: parallel sums at -smp 2 (ms)" % tag,
                                "%.1f" % c2, "%.1f" % l2, h.ratio(l2, c2)))
    h.table("SMP: parallel sums of %d items (medians of %d rounds) and "
            "%d cross-CPU hand-overs, each configuration booted %d times "
            "(TCG, -M %s, -m %s); figures: median (fastest..slowest)"
            % (a.items, a.runs, a.switches, a.boots, target(a)[0]["machine"],
               h.MEM),
            ["", "Linux guest", "Cairn", "Linux/Cairn"], rows)
    c = med(hand["cairn"], "yield_ns_per_switch")
    print("For scale, the host itself (hosthand.c: two host threads, one "
          "shared word, no call): %s" % (
              "%.1f ns per hand-over; Cairn's yield hand-over is %s of it"
              % (host, h.ratio(c, host)) if isinstance(host, float)
              else "failed: %s" % host))
    h.footer(why.items(), guest, cmds)
    return summary
