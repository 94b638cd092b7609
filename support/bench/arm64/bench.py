# SPDX-License-Identifier: BSD-3-Clause
"""Boot benchmark on arm64 (QEMU -M virt): Cairn's helloworld for
qemu-aarch64 against the arm64 floor kernel (floor/ here: a Linux arm64
Image that prints '!' and exits through semihosting), on the same QEMU,
started the same way (support/qemu.py --print), side by side, alternating,
--runs times each. Reports the medians from starting QEMU to the first
console byte, to the greeting and to QEMU's exit, their ratios, the
guest's own entry->main time (init.timing=1, from CNTVCT), the image
sizes and the smallest -m each kernel boots with (bisection in KiB, as
boot/bench.py does for x86; virt's RAM starts at 1 GiB and both load
2 MiB into it, above the device tree). The measuring code is the x86 boot benchmark's (boot/bench.py);
any failed boot stops the benchmark with exit status 1.
"""
import os
import re
import statistics
import subprocess
import time

from support.bench import harness as h
from support.bench.boot import bench as boot

TITLE = "arm64 boot time vs a trivial arm64 kernel, image size"
ARM64 = "CONFIG_ARCH_ARM64=y\nCONFIG_PLAT_QEMU_AARCH64=y\n"
APPS = [("helloworld", ARM64)]
FLOOR_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "floor")
MACHINE = "virt"
# QEMU needs room for the Image at RAM + 2 MiB and the device tree after
# it (it refuses -m 4M here): the search starts at the first it accepts.
MEM_TINY = ("2M", "3M", "4M", "5M", "6M", "7M", "8M")


def options(ap):
    ap.add_argument("--runs", type=int, default=10,
                    help="boots per kernel (default 10)")
    ap.add_argument("--timeout", type=float, default=30.0,
                    help="seconds before a boot counts as hung")
    ap.add_argument("--mem-timeout", type=float, default=5.0,
                    help="seconds before a -m probe counts as hung")
    ap.add_argument("--no-mem", action="store_true",
                    help="skip the smallest -m search")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="show every -m probe")


def build(out):
    t = time.monotonic()
    image = h.make_cairn(out, "helloworld", ARM64)
    floor_out = os.path.join(out, "floor")
    boot.run_make(["-C", FLOOR_SRC, "O=" + floor_out],
                  "the arm64 floor kernel")
    floor = os.path.join(floor_out, "floor")
    for f in (image, floor):
        if not os.path.isfile(f):
            raise h.Fail("build finished but %s is missing" % f)
    return image, floor, time.monotonic() - t


def run(a):
    if a.runs < 1:
        raise h.Fail("--runs must be at least 1")
    image, floor_img, secs = build(a.out)
    greeting = boot.config_string(a.out, "CONFIG_APP_HELLOWORLD_GREETING",
                                  "Hello from Cairn!")
    floor = boot.Kernel("floor", floor_img, re.compile(rb"!"), [])
    cairn = boot.Kernel("cairn", image,
                        re.compile(re.escape(greeting.encode()) + rb"\r?\n"),
                        [re.compile(rb'argv\[0\] = "helloworld"')])
    kernels = (floor, cairn)
    probe = boot.qemu_command(image, MACHINE)
    qv = subprocess.run([probe[0], "--version"],
                        stdout=subprocess.PIPE).stdout.decode()
    h.say("Cairn arm64 boot benchmark, %s" % time.strftime("%Y-%m-%d %H:%M %Z"))
    h.say("%s; -M %s -accel %s -cpu %s, as support/qemu.py starts it"
          % (qv.splitlines()[0], MACHINE, boot.option(probe, "-accel"),
             boot.option(probe, "-cpu")))
    h.say("built in %.1f s into %s" % (secs, a.out))
    h.say("")
    h.say("Boot time: ms from starting QEMU, median of %d runs" % a.runs)
    h.say("%-6s %10s %10s %10s" % ("kernel", "1st byte", "greeting", "exit"))
    _, res = boot.bench_boot(kernels, MACHINE, a.runs, a.timeout)
    med = {}
    for k in kernels:
        med[k.name] = [statistics.median(getattr(r, f) for r in res[k.name])
                       for f in ("first", "mark", "exit")]
        h.say("%-6s %10.1f %10.1f %10.1f" % ((k.name,) + tuple(med[k.name])))
    f, c = med["floor"], med["cairn"]
    ratio = c[1] / f[1]
    h.say("")
    h.say("ratio cairn/floor: greeting %.2fx, exit %.2fx (goal %.2fx for "
          "the greeting: %s)" % (ratio, c[2] / f[2], boot.GOAL_RATIO,
                                 boot.met(ratio <= boot.GOAL_RATIO)))
    cyc, us = boot.entry_to_main(cairn, MACHINE, a.timeout)
    h.say("guest entry->main (init.timing=1, CNTVCT): %d us (%d ticks)"
          % (us, cyc))
    size = os.stat(image).st_size
    h.say("image %d bytes (%.1f KiB) stripped; floor %d bytes"
          % (size, size / 1024, os.stat(floor_img).st_size))
    rows = []
    if not a.no_mem:
        h.say("")
        h.say("Smallest -m that boots on virt (bisection in KiB; a probe "
              "hung after %gs counts as failed):" % a.mem_timeout)
        log = h.say if a.verbose else (lambda msg: None)
        found = {}
        for k in kernels:
            best, below, notes = boot.smallest_mem(k, MACHINE, a.mem_timeout,
                                                   log, MEM_TINY)
            found[k.name] = best
            h.say("  %-5s -m %dK%s" % (k.name, best, "" if not below else
                                       "; at %dK: %s" % below))
            for n in notes:
                h.say("      " + n)
        rows.append(h.row("arm64 boot: smallest -m, virt (KiB; baseline: "
                          "the floor kernel)", "%d" % found["cairn"],
                          "%d" % found["floor"], "", "", None))
    return rows + [
        h.row("arm64 boot: to greeting, virt (ms; baseline: the arm64 "
              "floor kernel)", "%.1f" % c[1], "%.1f" % f[1],
              "%.2fx" % ratio, "<= %.2fx" % boot.GOAL_RATIO,
              ratio <= boot.GOAL_RATIO),
        h.row("arm64 boot: entry->main, virt (us)", "%d" % us, "", "",
              "< %d" % boot.GOAL_MAIN_US, us < boot.GOAL_MAIN_US),
        h.row("arm64 boot: helloworld image, stripped (KiB)",
              "%.1f" % (size / 1024), "", "", "< %d" % boot.GOAL_IMAGE_KIB,
              size < boot.GOAL_IMAGE_KIB * 1024),
    ]
