# SPDX-License-Identifier: BSD-3-Clause
"""SMP (issue 17) on qemu-x86_64: images built with SMP bring up every CPU
QEMU gives them (-smp N, make run SMP=N) from the ACPI MADT on pc and
microvm, log each one online, list them in the shell's `cpus` and name
each thread's CPU in `ps`; a CPU that does not come up is logged and the
image goes on; with threads on every CPU the in-image cases (cross-CPU
calls and spinlocks in lib/core/tests/test_smp.c, the scheduler's stress
cases, every other library's) pass on 1, 2 and 4 CPUs; tests/test_httpd.py's
cases pass on an SMP httpd on 2 CPUs (malformed requests on 4 too); console
lines from every CPU at once arrive whole; a thread per CPU reads and
writes NVMe (a queue pair per CPU) and virtio-blk at once, and files on
one FAT volume; the launcher refuses a bad SMP=. Images are built once
per class and guests boot side by side."""
import os
import re
import tempfile
import threading
import unittest

import cairn
import hostunit
import test_devices
import test_fat
import test_httpd
from test_shell import PROMPT, Shell

# Run with nothing beside it (tests/run.py): its guests use several vCPUs,
# each a host thread
RUN_ALONE = True

SMP = ["CONFIG_SMP=y"]
# The unit images check lock orders as they run (lib/core/lockorder.c).
LOCK_ORDER = ["CONFIG_LOCK_ORDER_CHECK=y"]


def assert_lock_orders(tc, out):
    """The lock-order checker in a unit run's output: its own cases pass
    and report their two deliberate inversions; any other report is
    real code taking two locks in both orders."""
    lockorder = re.findall(r"(?m)^ok \d+ (lockorder\.\w+)", out)
    tc.assertEqual(len(lockorder), 5, out[-3000:])
    reports = re.findall(r"(?m)^LOCK ORDER: .*\n.*", out)
    tc.assertEqual(len(reports), 2, "\n".join(reports))
    for rep in reports:
        tc.assertEqual(rep.count("test_lockorder.c:"), 2, rep)


def shell_smp():
    return cairn.build("apps/shell", "shell-smp", SMP)


def run_shell(image, machine, cpus, params="", lines=("cpus", "ps")):
    """Boots the shell on cpus CPUs (None: QEMU's default, one), runs
    lines; returns (boot log up to the first prompt, {line: output},
    status after poweroff)."""
    args = ("--smp", str(cpus)) if cpus else (cairn.DEFAULT_CPUS,)
    sh = Shell(image, machine=machine, params=params, launcher_args=args,
               timeout=120)
    try:
        sh.wait_for(re.escape(PROMPT), timeout=90)
        log = sh.text()
        outs = {line: sh.cmd(line, timeout=60) for line in lines}
        sh.send(b"poweroff 0\r")
        status = sh.finish(timeout=60)
        return log, outs, status
    finally:
        sh.kill()


def side_by_side(jobs):
    """Runs {key: (fn, args)} in threads; returns {key: result or the
    exception it raised}."""
    results = {}

    def one(key, fn, args):
        try:
            results[key] = fn(*args)
        except Exception as e:          # reported by the test that reads it
            results[key] = e

    threads = [threading.Thread(target=one, args=(k, f, a))
               for k, (f, a) in jobs.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


class BringUp(unittest.TestCase):
    """apps/shell with SMP on 2 and 4 CPUs, pc and microvm; on one CPU;
    and with CPU 1 never sent its start-up IPI."""

    BOOTS = {
        ("pc", 2): (2, ""), ("pc", 4): (4, ""),
        ("microvm", 2): (2, ""), ("microvm", 4): (4, ""),
        ("pc", 1): (None, ""),
        ("pc", "dead"): (3, "smp.nostart=1 smp.timeout_ms=300"),
    }

    @classmethod
    def setUpClass(cls):
        image = shell_smp()
        cls.res = side_by_side({
            key: (run_shell, (image, key[0], cpus, params))
            for key, (cpus, params) in cls.BOOTS.items()})

    def result(self, key):
        r = self.res[key]
        if isinstance(r, Exception):
            raise r
        return r

    def check_big_lock_line(self, out):
        # Booting and running the shell took the big lock; the counts
        # are per CPU and summed, so contended can never exceed taken.
        m = re.search(r"big lock: taken (\d+) times, found held (\d+) "
                      r"times, slept on \d+ times", out)
        self.assertIsNotNone(m, out)
        self.assertGreater(int(m.group(1)), 0, out)
        self.assertLessEqual(int(m.group(2)), int(m.group(1)), out)
        # Every switch took the scheduler's lock: the shell's thread ran.
        m = re.search(r"scheduler's lock: taken (\d+) times, found held "
                      r"(\d+) times", out)
        self.assertIsNotNone(m, out)
        self.assertGreater(int(m.group(1)), 0, out)
        self.assertLessEqual(int(m.group(2)), int(m.group(1)), out)

    def check_all_online(self, machine, n):
        log, outs, status = self.result((machine, n))
        for i in range(1, n):
            self.assertIn("CPU %d online (APIC id %d)" % (i, i), log)
        self.assertIn("%d of %d CPUs online (from the ACPI MADT)" % (n, n),
                      log)
        rows = re.findall(r"(?m)^[ *]\s*(\d+)\s+(\d+)\s+online\s",
                          outs["cpus"])
        self.assertEqual([int(r[0]) for r in rows], list(range(n)),
                         outs["cpus"])
        self.assertIn("%d of %d CPUs online" % (n, n), outs["cpus"])
        if n > 1:
            self.check_big_lock_line(outs["cpus"])
        # One row is the CPU the shell ran on; every row has an idle share.
        self.assertEqual(len(re.findall(r"(?m)^\*", outs["cpus"])), 1)
        self.assertEqual(len(re.findall(r"(?m)^[ *]\s*\d+\s+\d+\s+online"
                                        r"\s+\d+%", outs["cpus"])), n)
        # ps names the CPU of each thread.
        self.assertRegex(outs["ps"], r"TID NAME\s+STATE\s+CPU STACK")
        self.assertRegex(outs["ps"], r"(?m)^\*\s*\d+ shell\s+running\s+\d ")
        self.assertEqual(status, 0)

    def test_two_cpus_on_pc(self):
        self.check_all_online("pc", 2)

    def test_four_cpus_on_pc(self):
        self.check_all_online("pc", 4)

    def test_two_cpus_on_microvm(self):
        self.check_all_online("microvm", 2)

    def test_four_cpus_on_microvm(self):
        self.check_all_online("microvm", 4)

    def test_one_cpu_when_qemu_gives_one(self):
        log, outs, status = self.result(("pc", 1))
        self.assertIn("1 CPU (ACPI MADT)", log)
        self.assertNotIn("online (APIC id", log)
        self.assertIn("1 of 1 CPUs online", outs["cpus"])
        self.assertEqual(status, 0)

    def test_a_cpu_that_does_not_come_up_is_logged_and_left_out(self):
        log, outs, status = self.result(("pc", "dead"))
        self.assertIn("CPU 1 (APIC id 1) did not come up within 300 ms; "
                      "going on without it", log)
        self.assertIn("CPU 2 online (APIC id 2)", log)
        self.assertIn("2 of 3 CPUs online", log)
        self.assertRegex(outs["cpus"], r"(?m)^\s+1\s+1\s+failed\s")
        # The shell may run on CPU 2 (its row then starts with *).
        self.assertRegex(outs["cpus"], r"(?m)^[ *]\s*2\s+2\s+online\s")
        self.assertEqual(status, 0)


class UnitOnEveryCpuCount(unittest.TestCase):
    """The unit-test image (every library's in-image cases) built with
    SMP, on 1, 2 and 4 CPUs, threads on every CPU: all pass. Among them
    the smp.* cases (a call runs on the CPU it names; a spinlock taken
    2,000 times by every CPU loses no increment and never has two
    holders) and lib/sched's, which are the stress cases across CPUs:
    a thousand threads created on one CPU and joined on another,
    producers and consumers on semaphores and on condition variables
    (the sums check for lost wakeups and lost data), three threads
    contending on one mutex handed over in FIFO order, sleeps, kills.
    The cooperative scheduler on 1, 2 and 4 CPUs; the preemptive one on
    2 and 4."""

    RUNS = (("coop", "pc", 1), ("coop", "pc", 4), ("coop", "microvm", 2),
            ("preempt", "pc", 2), ("preempt", "pc", 4))

    @classmethod
    def setUpClass(cls):
        images = {
            "coop": cairn.build("tests/apps/unit", "unit-smp",
                                SMP + LOCK_ORDER),
            "preempt": cairn.build(
                "tests/apps/unit", "unit-smp-preempt",
                SMP + LOCK_ORDER + ["CONFIG_LIB_SCHED_CHOOSE_PREEMPT=y"]),
        }
        cls.res = side_by_side({
            (s, m, n): (cairn.boot, (images[s], m, "", "", 420, None, None,
                                     ("--smp", str(n))))
            for s, m, n in cls.RUNS})

    def check(self, sched, machine, n):
        r = self.res[(sched, machine, n)]
        if isinstance(r, Exception):
            raise r
        status, out, err = r
        failed = "\n".join(re.findall(r"(?m)^not ok .*(?:\n#.*)*", out))
        self.assertEqual(status, 0, failed + "\n...\n" + out[-3000:] + err)
        self.assertRegex(out, r"(?m)^\d+ passed, 0 failed$")
        smp = re.findall(r"(?m)^ok \d+ (smp\.\w+)", out)
        self.assertEqual(len(smp), 7, out[-3000:])
        self.assertIn("smp.a_long_wait_for_the_big_lock_ends_when_it_is_freed",
                      smp)
        sched = re.findall(r"(?m)^ok \d+ (sched\.\w+)", out)
        self.assertGreaterEqual(len(sched), 14, out[-3000:])
        # lib/alloc's cases across CPUs (tests/test_alloc_smp.c), the
        # per-CPU caches' among them (on by default with SMP)
        for case in ("malloc_and_free_from_every_cpu_lose_no_block",
                     "a_thread_that_moves_frees_on_the_other_cpu",
                     "peak_counts_blocks_from_the_caches",
                     "a_full_heap_takes_back_what_the_caches_hold"):
            self.assertRegex(out, r"(?m)^ok \d+ alloc\.%s$" % case)
        if n > 1:
            self.assertIn("%d of %d CPUs online" % (n, n), out)
        assert_lock_orders(self, out)

    def test_one_cpu(self):
        self.check("coop", "pc", 1)

    def test_four_cpus_pc(self):
        self.check("coop", "pc", 4)

    def test_two_cpus_microvm(self):
        self.check("coop", "microvm", 2)

    def test_preemptive_two_cpus(self):
        self.check("preempt", "pc", 2)

    def test_preemptive_four_cpus(self):
        self.check("preempt", "pc", 4)


class DeliberateDeadlock(unittest.TestCase):
    """tests/apps/crash's `deadlock` (two threads take two mutexes in
    opposite orders, main joins one of them) with SMP on 2 and 4 CPUs:
    once every CPU is idle with nothing READY, no timer and no device to
    wake it, the image prints the DEADLOCK report naming each blocked
    thread and the CPU that found it, and stops with a failure status
    instead of hanging."""

    CPUS = (2, 4)

    @classmethod
    def setUpClass(cls):
        image = cairn.build("tests/apps/crash", "crash-smp", SMP)
        cls.res = side_by_side({
            n: (cairn.boot, (image, None, "", "deadlock", 90, None, None,
                             ("--smp", str(n))))
            for n in cls.CPUS})

    def check(self, n):
        r = self.res[n]
        if isinstance(r, Exception):
            raise r
        status, out, err = r
        self.assertIn("deadlock: two threads, two mutexes", out)
        self.assertIn("DEADLOCK: every thread waits", out, out[-3000:] + err)
        self.assertRegex(out, r"(?m)^\s+\d+\s+lock-ab\s+blocked")
        self.assertRegex(out, r"(?m)^\s+\d+\s+lock-ba\s+blocked")
        self.assertRegex(out, r"(?m)^\s+\d+\s+main\s+blocked")
        self.assertRegex(out, r"(?m)^  CPU: [0-%d] of %d$" % (n - 1, n))
        self.assertNotIn("did not finish", err)
        self.assertNotEqual(status, 0)

    def test_two_cpus(self):
        self.check(2)

    def test_four_cpus(self):
        self.check(4)


class KeptStackGuard(unittest.TestCase):
    """With SMP a finished thread's stack is kept, still guarded, for the
    next thread of its size (lib/sched, STACK_CACHE). tests/apps/crash's
    `thread-overflow-reused` ends a thread, then starts one of the same
    size that overflows its stack: it must get the kept stack and its
    guard page must still stop it with the named report."""

    def test_a_kept_stack_keeps_its_guard(self):
        image = cairn.build("tests/apps/crash", "crash-smp", SMP)
        status, out, err = cairn.boot(image, None, "",
                                      "thread-overflow-reused", 90, None,
                                      None, ("--smp", "2"))
        self.assertIn("thread-overflow-reused: stack reused", out, out)
        self.assertIn("stack overflow: thread deep ran past the bottom of "
                      "its stack", out, out[-3000:] + err)
        self.assertIn("thread: deep", out)
        self.assertNotEqual(status, 0)


class ForeignNmi(unittest.TestCase):
    """On x86_64 a CPU waiting long for the big lock halts until the
    holder's release sends it an NMI (arch/x86_64/locksleep.c), and the
    NMI handler takes the kicks it counted. An NMI from outside (QEMU's
    inject-nmi, what a host watchdog or the monitor's `nmi` sends to
    every CPU) is none of them: it must still give the crash report and
    status 70, not be swallowed as a kick."""

    def test_an_nmi_from_outside_gives_the_crash_report(self):
        with tempfile.TemporaryDirectory(prefix="cairn-nmi-") as tmp:
            sock = os.path.join(tmp, "qmp")
            sh = Shell(shell_smp(), launcher_args=(
                "--smp", "2", "--extra", "-qmp unix:%s,server,nowait" % sock),
                timeout=120)
            qmp = None
            try:
                sh.wait_for(re.escape(PROMPT), timeout=90)
                sh.cmd("cpus", timeout=60)      # both CPUs have run
                qmp = cairn.Qmp(sock)
                try:
                    qmp.cmd("inject-nmi")
                except (OSError, AssertionError):
                    # The NMI can end the image (status 70) before QEMU
                    # answers: its crash report below is what counts.
                    pass
                sh.wait_for(r"CRASH: Non-maskable interrupt", timeout=60)
                status = sh.finish(timeout=60)
                out = sh.text()
            finally:
                if qmp:
                    qmp.close()
                sh.kill()
        self.assertRegex(out, r"(?m)^  CPU: [01] \(APIC id [01]\) of 2$", out)
        self.assertEqual(status, 70, out[-3000:])


class TlbShootdown(unittest.TestCase):
    """x86_64 TLBs are per CPU: a page made read-only by mprotect() on
    CPU 0 must stop being writable on CPU 1 too, which had it in its TLB
    (tests/apps/posix `tlb`: a thread pinned to CPU 1 writes the page in
    a loop). The write faults on CPU 1 with the crash report; without
    the shootdown it went on writing through the stale entry. The crash
    report ends with the other CPU's state. And on one CPU the same image
    refuses the case with a clear line."""

    @classmethod
    def setUpClass(cls):
        image = cairn.build("tests/apps/posix", "posix-smp", SMP)
        cls.res = side_by_side({
            n: (cairn.boot, (image, "pc", "", "tlb", 60, None, None,
                             ("--smp", str(n))))
            for n in (1, 2)})

    def result(self, n):
        r = self.res[n]
        if isinstance(r, Exception):
            raise r
        return r

    def test_a_write_on_another_cpu_faults_after_mprotect(self):
        status, out, err = self.result(2)
        self.assertIn("tlb: CPU 1 writes the page; making it read-only",
                      out, out + err)
        self.assertNotIn("still wrote", out)
        self.assertIn("write to read-only memory", out)
        self.assertRegex(out, r"(?m)^  CPU: 1 \(APIC id 1\) of 2$")
        # The report ends with what the other CPU was doing.
        self.assertRegex(out, r"(?m)^Other CPUs:\n  CPU 0 \(hw id 0\): "
                         r"online, (halted \(idle\)|running thread \S+)$")
        self.assertEqual(status, 70, out + err)

    def test_one_cpu_is_refused(self):
        status, out, err = self.result(1)
        self.assertIn("tlb: needs two CPUs", out, out + err)
        self.assertEqual(status, 2)


class SmpBlock(unittest.TestCase):
    """Block I/O from every CPU at once (issue 22's NVMe "one I/O queue
    pair per CPU"): tests/apps/blktest `threads` runs a thread per CPU,
    half pinned, half free to move while they sleep on a request, each
    writing and reading back its own stripe of the disk, on NVMe (one
    queue pair per CPU) and virtio-blk (one queue for all), 4 CPUs. The
    host then reads each stripe's last pattern from the image file.

    With the lock-order checker on: no inversion may be reported, and
    block I/O stays off the big lock (its drivers' interrupts and
    lib/blkdev take their own locks), so thousands of requests take it
    only the few dozen times the threads' creation and exit need."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="cairn-smpblk-")
        image = cairn.build("tests/apps/blktest", "blktest-smp",
                            SMP + LOCK_ORDER)
        jobs = {}
        for diskif in ("nvme", "virtio"):
            path = os.path.join(cls.tmp.name, diskif + ".img")
            with open(path, "wb") as f:
                f.truncate(test_devices.DISK_BYTES)
            jobs[diskif] = (cairn.boot, (image, "pc", "", "threads", 120,
                                         None, None,
                                         ("--smp", "4", "--disk", path,
                                          "--diskif", diskif)))
        cls.res = side_by_side(jobs)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def check(self, diskif):
        r = self.res[diskif]
        if isinstance(r, Exception):
            raise r
        status, out, err = r
        self.assertEqual(status, 0, out + err)
        m = re.search(r"blktest: threads: 4 threads on 4 CPUs, (\d+) "
                      r"requests", out)
        self.assertTrue(m, out)
        self.assertNotIn("FAIL", out)
        self.assertNotIn("LOCK ORDER", out)
        big = re.search(r"blktest: threads: big lock taken (\d+) times", out)
        self.assertTrue(big, out)
        # Before: at least 3 per request (submit, wait, completion).
        self.assertLess(int(big.group(1)), int(m.group(1)) // 10, out)
        sectors = test_devices.DISK_BYTES // 512
        per = sectors // 4 // 8 * 8
        with open(os.path.join(self.tmp.name, diskif + ".img"), "rb") as f:
            for i in range(4):
                seed = 1000 + i * 16 + 2        # the last of 3 rounds
                for s in (i * per, i * per + 1, i * per + per // 2,
                          (i + 1) * per - 1):
                    f.seek(s * 512)
                    self.assertEqual(f.read(512),
                                     test_devices.sector_pattern(seed, s),
                                     "sector %d (stripe %d)" % (s, i))
        return out

    def test_nvme_uses_a_queue_pair_per_cpu(self):
        out = self.check("nvme")
        self.assertRegex(out, r"blk0: nvme at .*, 4 I/O queues of \d+,")

    def test_virtio_blk_from_every_cpu(self):
        self.check("virtio")


class SmpFat(unittest.TestCase):
    """Files from every CPU at once: tests/apps/fattest `threads` on
    -smp 4, a thread per CPU making, appending to, renaming, removing
    and reading back files in its own directory of a FAT32 volume (and
    one shared one). The host then reads every file with mtools and
    checks the volume with fsck.fat."""

    def test_four_cpus_write_one_volume(self):
        with tempfile.TemporaryDirectory(prefix="cairn-smpfat-") as tmp:
            image = cairn.build("tests/apps/fattest", "fattest-smp", SMP)
            disk = test_fat.make_disk(os.path.join(tmp, "fat32.img"),
                                      "64M", fat=32)
            status, out, err = cairn.boot(
                image, "pc", test_fat.MOUNT % "blk0", "threads", 120,
                None, None, ("--disk", disk, "--smp", "4"))
            self.assertEqual(status, 0, out + err)
            self.assertIn("fattest: threads: 4 threads on 4 CPUs", out)
            self.assertNotIn("FAIL", out)
            rc, fsck = test_fat.fsck(disk)
            self.assertEqual(rc, 0, fsck)
            im = test_fat.img(disk)
            names = test_fat.mtools("mdir", "-b", "-/", "-i", im,
                                    "::/").decode().split()
            for n in range(4):
                for i in range(30):
                    name = "/t%d/%s%02d.dat" % (n, "r" if i % 5 == 0
                                                 else "f", i)
                    if i % 7 == 0:
                        self.assertFalse([x for x in names if x.endswith(
                            "/t%d/f%02d.dat" % (n, i))], names)
                        continue
                    self.assertEqual(test_fat.mread(im, name),
                                     test_fat.pattern(n * 1000 + i * 700,
                                                      n * 40 + i), name)
                self.assertEqual(test_fat.mread(im, "/t%d/big.bin" % n),
                                 test_fat.pattern(200000, n * 40 + 39))
            self.assertIn("::/common/", names)
            self.assertFalse([x for x in names if x.startswith("::/common/")
                              and x != "::/common/"], names)


WHOLE_LINE = re.compile(r"lines: cpu (\d+) n (\d{3}) abcdefghijklmnopqrstuvwxyz"
                        r"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 end")


def assert_whole_lines(tc, res, cpus):
    """tests/apps/posix `lines` on cpus CPUs (res: boot()'s result or the
    exception it raised): every line of every CPU's thread arrived whole,
    in order, none lost."""
    if isinstance(res, Exception):
        raise res
    status, out, err = res
    tc.assertEqual(status, 0, out[-3000:] + err)
    tc.assertIn("lines: %d CPUs wrote 240 lines each" % cpus, out)
    seen = {}
    for line in out.splitlines():
        if "lines: cpu" not in line:
            continue
        m = WHOLE_LINE.fullmatch(line.rstrip("\r"))
        tc.assertIsNotNone(m, "a line cut by another: %r" % line)
        seen.setdefault(int(m.group(1)), []).append(int(m.group(2)))
    tc.assertEqual(sorted(seen), list(range(cpus)))
    for cpu, nums in seen.items():
        tc.assertEqual(nums, list(range(240)), "CPU %d" % cpu)


class WholeLines(unittest.TestCase):
    """Console output from several CPUs at once: one thread per CPU
    (tests/apps/posix `lines`) writes 240 lines, some six in one write
    (660 bytes, cut by the console at a newline). Every line must reach
    the serial port whole, none lost; before the console's output lock,
    lines from two CPUs ran into each other mid-line."""

    @classmethod
    def setUpClass(cls):
        image = cairn.build("tests/apps/posix", "posix-smp", SMP)
        cls.res = side_by_side({
            n: (cairn.boot, (image, "pc", "", "lines", 120, None, None,
                             ("--smp", str(n))))
            for n in (2, 4)})

    def test_two_cpus(self):
        assert_whole_lines(self, self.res[2], 2)

    def test_four_cpus(self):
        assert_whole_lines(self, self.res[4], 4)


# tests/test_httpd.py's cases on apps/httpd built with SMP (a thread per
# connection, threads on every CPU), on 2 CPUs, and the malformed requests
# on 4 too: files, keep-alive and pipelining, malformed requests, slow and
# excess clients.
class SmpHttpdFiles(test_httpd.Files):
    mode, cpus = test_httpd.SMP_THREADS, 2


class SmpHttpdConnections(test_httpd.Connections):
    mode, cpus = test_httpd.SMP_THREADS, 2


class SmpHttpdBadInput(test_httpd.BadInput):
    mode, cpus = test_httpd.SMP_THREADS, 2


class SmpHttpdSlowClients(test_httpd.SlowClients):
    mode, cpus = test_httpd.SMP_THREADS, 2


class SmpHttpdExcessClients(test_httpd.ExcessClients):
    mode, cpus = test_httpd.SMP_THREADS, 2


class SmpHttpdBadInput4(test_httpd.BadInput):
    mode, cpus = test_httpd.SMP_THREADS, 4


class SmpHttpdLockOrder(test_httpd.HttpdImage):
    """apps/httpd with SMP and the lock-order checker on 2 CPUs, under
    load from 8 clients at once, keep-alive and not: every answer whole,
    no lock taken in both orders (virtio-net's own lock, lwIP's
    mailboxes, the event counts, the big lock, the scheduler's lock); and
    a keep-alive request takes the big lock less than once on average,
    since neither the mailboxes nor virtio-net use it."""
    mode = ("smp-lockorder", SMP + LOCK_ORDER, "a thread per connection")
    cpus = 2

    def clients(self, n, per, keep_alive):
        errors = []

        def run():
            try:
                c = None
                for i in range(per):
                    if c is None:
                        c = test_httpd.http.client.HTTPConnection(
                            "127.0.0.1", self.port, timeout=30)
                    name = ("index.html", "style.css", "cairn.svg")[i % 3]
                    c.request("GET", "/" + name, headers={} if keep_alive
                              else {"Connection": "close"})
                    r = c.getresponse()
                    body = r.read()
                    if r.status != 200 or body != test_httpd.site(name):
                        errors.append((name, r.status, len(body)))
                    if not keep_alive:
                        c.close()
                        c = None
                if c:
                    c.close()
            except Exception as e:      # noqa: BLE001 - reported below
                errors.append(repr(e))

        ts = [threading.Thread(target=run) for _ in range(n)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        return errors

    def smp(self):
        r, body = self.get("/status.json")
        self.assertEqual(r.status, 200)
        return test_httpd.json.loads(body)["smp"]

    def test_load_finds_no_inversion_and_keeps_off_the_big_lock(self):
        self.assertEqual(self.clients(8, 30, keep_alive=False), [])
        before = self.smp()
        self.assertEqual(self.clients(8, 50, keep_alive=True), [])
        after = self.smp()
        requests = 8 * 50
        big = after["big_lock_taken"] - before["big_lock_taken"]
        self.assertLess(big, requests, (before, after))
        out = self.guest.output()
        self.assertNotIn("LOCK ORDER", out, out[-3000:])


HostSpinlock = hostunit.cases_class(
    "HostSpinlock", "spinlock", "lib/core/tests/test_spinlock_host.c",
    """<cairn/spinlock.h>'s SMP bodies on the host under ASan/UBSan, POSIX
    threads for CPUs: no increment lost by 4 threads contending, trylock,
    waiters served in ticket order.""")


class Launcher(unittest.TestCase):
    """SMP=N / --smp N: passed to QEMU as -smp N; anything but a whole
    number from 1 to 64 is refused before QEMU starts."""

    @classmethod
    def setUpClass(cls):
        cls.image = shell_smp()

    def test_smp_n_becomes_qemu_smp(self):
        p = cairn.launcher("--kernel", self.image, "--smp", "3", "--print")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(" -smp 3 ", p.stdout)

    def test_no_smp_is_one_cpu_with_fences_kept(self):
        """Without SMP=, x86_64 under TCG gets -smp 1,maxcpus=2 (TCG keeps
        fences only when a second vCPU may exist); under KVM QEMU's
        default; SMP=1 is a plain -smp 1."""
        p = cairn.launcher("--kernel", self.image, "--print",
                           cairn.DEFAULT_CPUS)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(" -smp 1,maxcpus=2 ", p.stdout)
        p = cairn.launcher("--kernel", self.image, "--accel", "kvm",
                           "--print", cairn.DEFAULT_CPUS)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn(" -smp ", p.stdout)
        p = cairn.launcher("--kernel", self.image, "--smp", "1", "--print")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(" -smp 1 ", p.stdout)

    def test_bad_counts_are_refused(self):
        for bad in ("0", "abc", "65", "-2", "1.5"):
            p = cairn.launcher("--kernel", self.image, "--smp", bad)
            self.assertEqual(p.returncode, 2, (bad, p.stderr))
            self.assertIn("--smp %s: the number of CPUs must be a whole "
                          "number from 1 to 64" % bad, p.stderr)

    def test_an_image_without_smp_says_it_uses_one_cpu(self):
        """SMP=3 on an image built without SMP: the image says it uses
        one of the three; with one CPU (and QEMU's maxcpus=2 beside it)
        it says nothing."""
        image = cairn.build("apps/helloworld", "helloworld-1cpu",
                            [cairn.NO_SMP])
        note = ("INFO core: 3 CPUs present, 1 used: this image is built "
                "without SMP (make menuconfig > Libraries > core > "
                "Multiple CPUs)")
        status, out, err = cairn.boot(image, "pc", "", "hi", 60, None, None,
                                      ("--smp", "3"))
        self.assertEqual(status, 0, out + err)
        self.assertIn(note, out)
        self.assertIn('argv[1] = "hi"', out)
        status, out, err = cairn.boot(image, "pc", "", "hi", 60, None, None,
                                      (cairn.DEFAULT_CPUS,))
        self.assertEqual(status, 0, out + err)
        self.assertNotIn("CPUs present", out)

    def test_make_names_the_variable(self):
        p = cairn.make("run", "SMP=0", o=cairn.out_dir("shell-smp"),
                       check=False, timeout=120)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("SMP=0: the number of CPUs must be a whole number "
                      "from 1 to 64", p.stderr)


if __name__ == "__main__":
    unittest.main()
