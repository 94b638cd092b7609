# SPDX-License-Identifier: BSD-3-Clause
"""SMP (issue 17) on qemu-aarch64: secondaries from the device tree
started with PSCI CPU_ON, the shell's `cpus` and `ps`, a CPU that never
comes up, the unit-test image on 2 and 4 CPUs with the GICv2 and the
GICv3 (cooperative, and preemptive on 2), a deliberate deadlock
reported on 2 CPUs, and whole console lines from 4 CPUs writing at once. Apart from tests/test_arm64.py so that its 2- and 4-vCPU guests
run with nothing beside them (their sleep-and-migrate cases need the
host's CPUs), like tests/test_smp.py."""
import re
import unittest

import cairn
from test_smp import (LOCK_ORDER, assert_lock_orders, assert_whole_lines,
                      run_shell, side_by_side)

RUN_ALONE = True
PLAT = "qemu-aarch64"


SMP = ["CONFIG_SMP=y"]


class Arm64SmpBringUp(unittest.TestCase):
    """apps/shell with SMP on virt: every /cpus node of the device tree
    started with PSCI CPU_ON, logged online by its MPIDR affinity and
    listed by `cpus`, `ps` naming each thread's CPU, on 4 CPUs; on 3 with
    CPU 1 never asked to start (smp.nostart=1), which is logged after
    smp.timeout_ms and left out while CPU 2 comes up. Both boot side by
    side."""

    BOOTS = {4: (4, ""), "dead": (3, "smp.nostart=1 smp.timeout_ms=300")}

    @classmethod
    def setUpClass(cls):
        image = cairn.build("apps/shell", "shell-smp-arm64", SMP, plat=PLAT)
        cls.res = side_by_side({
            key: (run_shell, (image, "virt", cpus, params))
            for key, (cpus, params) in cls.BOOTS.items()})

    def result(self, key):
        r = self.res[key]
        if isinstance(r, Exception):
            raise r
        return r

    def test_four_cpus_from_the_device_tree(self):
        log, outs, status = self.result(4)
        for i in range(1, 4):
            self.assertIn("CPU %d online (MPIDR affinity %#x)" % (i, i), log)
        self.assertIn("4 of 4 CPUs online (from the device tree)", log)
        rows = re.findall(r"(?m)^[ *]\s*(\d+)\s+(\d+)\s+online\s+\d+%",
                          outs["cpus"])
        self.assertEqual(rows, [(str(i), str(i)) for i in range(4)],
                         outs["cpus"])
        self.assertEqual(len(re.findall(r"(?m)^\*", outs["cpus"])), 1)
        self.assertIn("4 of 4 CPUs online", outs["cpus"])
        self.assertRegex(outs["cpus"], r"big lock: taken [1-9]\d* times, "
                         r"found held \d+ times")
        self.assertRegex(outs["cpus"], r"scheduler's lock: taken [1-9]\d* "
                         r"times, found held \d+ times")
        self.assertRegex(outs["ps"], r"TID NAME\s+STATE\s+CPU STACK")
        self.assertRegex(outs["ps"], r"(?m)^\*\s*\d+ shell\s+running\s+[0-3] ")
        self.assertEqual(status, 0)

    def test_a_cpu_that_does_not_come_up_is_logged_and_left_out(self):
        log, outs, status = self.result("dead")
        self.assertIn("CPU 1 (MPIDR affinity 0x1) did not come up within "
                      "300 ms; going on without it", log)
        self.assertIn("CPU 2 online (MPIDR affinity 0x2)", log)
        self.assertIn("2 of 3 CPUs online (from the device tree)", log)
        self.assertRegex(outs["cpus"], r"(?m)^\s+1\s+1\s+failed\s")
        self.assertRegex(outs["cpus"], r"(?m)^[ *]\s+2\s+2\s+online\s")
        self.assertEqual(status, 0)


class Arm64SmpUnit(unittest.TestCase):
    """The unit-test image (every library's in-image cases) built with SMP
    on virt, threads on every CPU: all pass on 2 and 4 CPUs with the GICv2
    and on 2 with the GICv3 (redistributors and ICC registers, SGIs through
    ICC_SGI1R_EL1). Among them the smp.* cases (a cross-CPU call runs on
    the CPU it names, through an SGI; a spinlock, LDAXR/STLXR with WFE
    waits, taken by every CPU loses no increment and never has two
    holders) and lib/sched's stress cases across CPUs (threads created on
    one CPU and joined on another, producers and consumers on semaphores
    and condition variables checked for lost wake-ups and lost data, a
    mutex handed over in FIFO order). The cooperative scheduler on 2 and 4
    CPUs with the GICv2 and on 2 with the GICv3; the preemptive one (time
    slices from each CPU's generic timer) on 2 with the GICv2. The four
    boot side by side."""

    RUNS = (("coop", 2, "2"), ("coop", 4, "2"), ("coop", 2, "3"),
            ("preempt", 2, "2"))

    @classmethod
    def setUpClass(cls):
        images = {
            "coop": cairn.build("tests/apps/unit", "unit-smp-arm64",
                                SMP + LOCK_ORDER, plat=PLAT),
            "preempt": cairn.build(
                "tests/apps/unit", "unit-smp-preempt-arm64",
                SMP + LOCK_ORDER + ["CONFIG_LIB_SCHED_CHOOSE_PREEMPT=y"],
                plat=PLAT),
        }
        cls.res = side_by_side({
            (s, n, gic): (cairn.boot, (images[s], None, "", "", 420, None,
                                       None, ("--smp", str(n), "--gic", gic)))
            for s, n, gic in cls.RUNS})

    def check(self, n, gic, sched="coop"):
        r = self.res[(sched, n, gic)]
        if isinstance(r, Exception):
            raise r
        status, out, err = r
        # The failing cases first: the tail alone may not hold them.
        failed = "\n".join(re.findall(r"(?m)^not ok .*$", out))
        self.assertEqual(status, 0, failed + "\n...\n" + out[-3000:] + err)
        self.assertIn("%d of %d CPUs online (from the device tree)" % (n, n),
                      out)
        self.assertRegex(out, r"(?m)^\d+ passed, 0 failed$")
        smp = re.findall(r"(?m)^ok \d+ (smp\.\w+)", out)
        self.assertEqual(len(smp), 7, out[-3000:])
        self.assertIn("smp.a_long_wait_for_the_big_lock_ends_when_it_is_freed",
                      smp)
        sched = re.findall(r"(?m)^ok \d+ (sched\.\w+)", out)
        self.assertGreaterEqual(len(sched), 14, out[-3000:])
        assert_lock_orders(self, out)

    def test_two_cpus_gicv2(self):
        self.check(2, "2")

    def test_four_cpus_gicv2(self):
        self.check(4, "2")

    def test_two_cpus_gicv3(self):
        self.check(2, "3")

    def test_preemptive_two_cpus_gicv2(self):
        self.check(2, "2", "preempt")


class Arm64SmpDeadlock(unittest.TestCase):
    """tests/apps/crash's `deadlock` (two threads take two mutexes in
    opposite orders, main joins one of them) with SMP on virt, 2 CPUs:
    once every CPU is idle (WFI) with nothing READY, no timer and no
    device to wake it, the image prints the DEADLOCK report naming each
    blocked thread and the CPU that found it, and stops with a failure
    status instead of hanging."""

    @classmethod
    def setUpClass(cls):
        image = cairn.build("tests/apps/crash", "crash-smp-arm64", SMP,
                            plat=PLAT)
        cls.res = cairn.boot(image, None, "", "deadlock", 120,
                             launcher_args=("--smp", "2"))

    def test_two_cpus(self):
        status, out, err = self.res
        self.assertIn("deadlock: two threads, two mutexes", out)
        self.assertIn("DEADLOCK: every thread waits", out, out[-3000:] + err)
        self.assertRegex(out, r"(?m)^\s+\d+\s+lock-ab\s+blocked")
        self.assertRegex(out, r"(?m)^\s+\d+\s+lock-ba\s+blocked")
        self.assertRegex(out, r"(?m)^\s+\d+\s+main\s+blocked")
        self.assertRegex(out, r"(?m)^  CPU: [01] of 2$")
        self.assertNotIn("did not finish", err)
        self.assertNotEqual(status, 0)


class Arm64WholeLines(unittest.TestCase):
    """Console output from 4 CPUs at once on the PL011 (tests/apps/posix
    `lines`, see test_smp.WholeLines): every line arrives whole."""

    @classmethod
    def setUpClass(cls):
        image = cairn.build("tests/apps/posix", "posix-smp-arm64", SMP,
                            plat=PLAT)
        cls.res = cairn.boot(image, None, "", "lines", 120,
                             launcher_args=("--smp", "4"))

    def test_four_cpus(self):
        assert_whole_lines(self, self.res, 4)


if __name__ == "__main__":
    unittest.main()
