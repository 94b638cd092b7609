# SPDX-License-Identifier: BSD-3-Clause
"""SMP: CPU-bound parallel sums on 1 and 2 vCPUs, Cairn and a Linux guest.

The same program on both sides: parsum.c (one thread per online CPU,
each summing a mixing function over its share; no locks, no shared
memory while summing). On Cairn it is apps/bench-parsum built with SMP
(CONFIG_SMP=y) on lib/pthread; in the Linux guest it is built gcc -O2
-static -pthread. Milliseconds per round, medians of --runs rounds, on
-smp 1 and -smp 2 for each side (TCG: each vCPU is a host thread, so two
vCPUs can use both host cores). Ratios: each side's speed-up from 1 to 2
vCPUs (goal 1.8x for Cairn), and Linux/Cairn at 2 vCPUs. Under TCG the
figures depend on how many host cores are free: measure on an idle host.
--arch arm64 runs both sides on QEMU -M virt: Cairn for qemu-aarch64
(secondaries through PSCI), a Debian arm64 guest (parsum.c built with
aarch64-linux-gnu-gcc).
"""
import os

from support.bench import harness as h

TITLE = "parallel sums on 1 and 2 vCPUs vs a Linux guest"
HERE = os.path.dirname(os.path.abspath(__file__))
APPS = [("bench-parsum", "CONFIG_SMP=y\n")]
GOAL = 1.8
CPUS = (1, 2)


def options(ap):
    ap.add_argument("--items", type=int, default=20000000)
    ap.add_argument("--runs", type=int, default=5)
    h.arch_option(ap)


def with_smp(cmd, n):
    """cmd (a QEMU command list) with -smp n in place of its own."""
    cmd = list(cmd)
    if "-smp" in cmd:
        cmd[cmd.index("-smp") + 1] = str(n)
    else:
        cmd[1:1] = ["-smp", str(n)]
    return cmd


def run(a):
    if a.items < 1 or not 1 <= a.runs <= 100:
        raise h.Fail("need --items >= 1, 1 <= --runs <= 100")
    args = "%d %d" % (a.items, a.runs)
    keys = ["cpus", "sum_ms", "checksum"]
    arch = h.ARCHES[a.arch]
    sfx = "" if a.arch == "x86_64" else "-" + a.arch  # build folders
    tag = "" if a.arch == "x86_64" else " (%s)" % a.arch
    image = h.make_cairn(os.path.join(a.out, APPS[0][0] + sfx), APPS[0][0],
                         arch["config"] + APPS[0][1])
    base = h.cairn_command(image, machine=arch["machine"], cpu=arch["cpu"],
                           args=args)
    got = {"cairn": {}, "linux": {}}
    why, cmds = {}, []
    for n in CPUS:
        cmd = with_smp(base, n)
        cmds.append(("Cairn -smp %d" % n, cmd))
        f, why["cairn%d" % n] = h.cairn_run(cmd, keys, 600)
        got["cairn"][n] = f
    guest = h.linux_guest(os.path.join(a.out, "linux" + sfx, "guest"),
                          [os.path.join(HERE, "parsum.c")],
                          ["parsum " + args], cflags=["-pthread"],
                          arch=a.arch)
    for n in CPUS:
        cmd = with_smp(h.linux_command(guest), n)
        cmds.append(("Linux -smp %d" % n, cmd))
        f, why["linux%d" % n] = h.linux_run(cmd, ["parsum"], keys, 600)
        got["linux"][n] = f

    def ms(side, n):
        f = got[side].get(n)
        return f["sum_ms"] if f else None

    def checks_agree():
        sums = {f["checksum"] for side in got.values()
                for f in side.values() if f}
        return len(sums) <= 1

    if not checks_agree():
        raise h.Fail("the checksums differ between runs: %s" % got)
    rows, summary = [], []
    for n in CPUS:
        l, c = ms("linux", n), ms("cairn", n)
        rows.append(["-smp %d: ms per round" % n,
                     "%.1f" % l if l else "failed",
                     "%.1f" % c if c else "failed", h.ratio(l, c)])
    c1, c2 = ms("cairn", 1), ms("cairn", 2)
    l1, l2 = ms("linux", 1), ms("linux", 2)
    rows.append(["speed-up 1 -> 2 vCPUs", h.ratio(l1, l2),
                 h.ratio(c1, c2), ""])
    met = None if not (c1 and c2) else c1 / c2 >= GOAL
    if c1 and c2:
        summary.append(h.row("smp%s: parallel sums, speed-up 1 -> 2 vCPUs"
                             % tag,
                             h.ratio(c1, c2), h.ratio(l1, l2),
                             "", "%.1fx" % GOAL, met))
    else:
        summary.append(h.failed_row("smp%s: parallel sums, speed-up" % tag,
                                    why.get("cairn1") or why.get("cairn2")))
    if c2 and l2:
        summary.append(h.row("smp%s: parallel sums at -smp 2 (ms)" % tag,
                             "%.1f" % c2, "%.1f" % l2, h.ratio(l2, c2)))
    h.table("SMP: parallel sums of %d items, medians of %d rounds (TCG, "
            "-M %s, -m %s)" % (a.items, a.runs, arch["machine"], h.MEM),
            ["", "Linux guest", "Cairn", "Linux/Cairn"], rows)
    h.footer(why.items(), guest, cmds)
    return summary
