#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Boot benchmark on arm64 (QEMU -M virt): Cairn's helloworld for
qemu-aarch64 against the arm64 floor kernel (support/bench/floor-arm64: a
Linux Image that prints '!' and exits through semihosting), on the same
QEMU, started the same way (support/qemu.py --print), side by side,
alternating, --runs times each. Reports the medians from starting QEMU to
the first console byte, to the greeting and to QEMU's exit, their ratios,
the guest's own entry->main time (init.timing=1) and the image sizes.
The measuring code is support/bench/boot.py's; any failed boot stops the
benchmark with exit status 1.
"""
import argparse
import importlib.util
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "cairn_bench_boot", os.path.join(HERE, "boot.py"))
bb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bb)

MACHINE = "virt"


def build(out):
    app = os.path.join(bb.SRCTREE, "apps", "helloworld")
    secs = bb.run_make(["-C", bb.SRCTREE, "O=" + out, "APP=" + app,
                        "PLAT=qemu-aarch64", "defconfig"], "helloworld")
    secs += bb.run_make(["-C", bb.SRCTREE, "O=" + out, "all"], "helloworld")
    floor_out = os.path.join(out, "floor")
    secs += bb.run_make(["-C", os.path.join(HERE, "floor-arm64"),
                         "O=" + floor_out], "the arm64 floor kernel")
    image = os.path.join(out, "helloworld_qemu-aarch64")
    floor = os.path.join(floor_out, "floor")
    for f in (image, floor):
        if not os.path.isfile(f):
            raise bb.BenchError("build finished but %s is missing" % f)
    return image, floor, secs


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--O", default=os.path.join(bb.SRCTREE, "build",
                                                "bench-arm64"))
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--timeout", type=float, default=30)
    a = ap.parse_args()
    try:
        image, floor_img, secs = build(os.path.abspath(a.O))
        floor = bb.Kernel("floor", floor_img, re.compile(rb"!"), [])
        greeting = bb.config_string(os.path.abspath(a.O),
                                    "CONFIG_APP_HELLOWORLD_GREETING",
                                    "Hello from Cairn!")
        cairn = bb.Kernel("cairn", image,
                          re.compile(re.escape(greeting.encode()) +
                                     rb"\r?\n"),
                          [re.compile(rb'argv\[0\] = "helloworld"')])
        kernels = (floor, cairn)
        probe = bb.qemu_command(image, MACHINE)
        qv = subprocess.run([probe[0], "--version"],
                            stdout=subprocess.PIPE).stdout.decode()
        bb.say("Cairn arm64 boot benchmark, %s"
               % time.strftime("%Y-%m-%d %H:%M %Z"))
        bb.say("%s; -M %s -accel %s -cpu %s, as support/qemu.py starts it"
               % (qv.splitlines()[0], MACHINE, bb.option(probe, "-accel"),
                  bb.option(probe, "-cpu")))
        bb.say("built in %.1f s into %s" % (secs, a.O))
        bb.say()
        bb.say("Boot time: ms from starting QEMU, median of %d runs"
               % a.runs)
        bb.say("%-6s %10s %10s %10s" % ("kernel", "1st byte", "greeting",
                                        "exit"))
        _, res = bb.bench_boot(kernels, MACHINE, a.runs, a.timeout)
        med = {}
        for k in kernels:
            med[k.name] = [statistics.median(getattr(r, f)
                                             for r in res[k.name])
                           for f in ("first", "mark", "exit")]
            bb.say("%-6s %10.1f %10.1f %10.1f" % ((k.name,)
                                                  + tuple(med[k.name])))
        f, c = med["floor"], med["cairn"]
        bb.say()
        bb.say("ratio cairn/floor: greeting %.2fx, exit %.2fx (goal %.2fx "
               "for the greeting: %s)" % (c[1] / f[1], c[2] / f[2],
                                          bb.GOAL_RATIO,
                                          bb.met(c[1] / f[1] <=
                                                 bb.GOAL_RATIO)))
        cyc, us = bb.entry_to_main(cairn, MACHINE, a.timeout)
        bb.say("guest entry->main (init.timing=1, CNTVCT): %d us (%d "
               "ticks)" % (us, cyc))
        bb.say("image %d bytes (%.1f KiB) stripped; floor %d bytes"
               % (os.stat(image).st_size, os.stat(image).st_size / 1024,
                  os.stat(floor_img).st_size))
        return 0
    except bb.BenchError as e:
        bb.say("FAIL: %s" % e)
        return 1


if __name__ == "__main__":
    sys.exit(main())
