#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Cairn's test runner: `make test` calls it.

1. Builds the in-image unit-test images (tests/apps/unit: every library
   with its tests; once with the cooperative scheduler, booted on -M pc and
   -M microvm, once with the preemptive one, and both again for
   qemu-aarch64 on -M virt); each `ok` / `not ok` line counts as one test.
2. Runs the host-side integration tests (tests/test_*.py, unittest), which
   build and boot real images and check what a user sees.

Independent guests run side by side: each unit image and each test module
is a job, run by --jobs workers at once (default: one per CPU, at most 2;
CAIRN_TEST_JOBS overrides). A module that changes what others share (the
source tree, a shared build folder) or measures timing says RUN_ALONE = True
at its top and runs with nothing beside it. Workers share built images
(tests/cairn.py builds each once per run). Each job's output is printed
whole when it ends, with its time; a job still running after JOB_TIMEOUT
seconds is stopped and counted as failed.

Ends with the line `N passed, N failed` and exits 1 if anything failed.
    run.py [--only PATTERN]   run only tests whose id contains PATTERN
    run.py --jobs 1           one job at a time, in the order of the files
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cairn  # noqa: E402


# The unit-test images: every library with its tests, under each scheduler,
# and on each platform: (name, extra config, machines, platform).
UNIT_IMAGES = (
    ("unit", None, ("pc", "microvm"), None),
    ("unit-preempt", ["CONFIG_LIB_SCHED_CHOOSE_PREEMPT=y"], ("pc",), None),
    ("unit-arm64", None, ("virt",), "qemu-aarch64"),
    ("unit-arm64-preempt", ["CONFIG_LIB_SCHED_CHOOSE_PREEMPT=y"], ("virt",),
     "qemu-aarch64"),
)


def unit_image(name, config, machines, plat=None):
    passed = failed = 0
    try:
        image = cairn.build("tests/apps/unit", name, config, plat)
    except AssertionError as e:
        print("FAIL %s build\n%s" % (name, e))
        return 0, 1
    # On N CPUs the unit run takes longer (4 vCPUs on a 2-core host take
    # turns: arm64's about 2 minutes); tests/test_smp*.py allow 420 s.
    timeout = 420 if cairn.TEST_SMP else 60
    for machine in machines:
        status, out, err = cairn.boot(image, machine=machine,
                                      timeout=timeout)
        seen = 0
        for line in out.splitlines():
            m = re.match(r"(not ok|ok) \d+ (\S+)(.*)", line)
            if not m:
                continue
            seen += 1
            case = "%s[%s] %s" % (name, machine, m.group(2))
            if m.group(1) == "ok":
                passed += 1
                print("PASS %s" % case)
            else:
                failed += 1
                print("FAIL %s%s" % (case, m.group(3)))
        summary = re.search(r"^(\d+) passed, (\d+) failed$", out, re.M)
        if not seen or not summary or status != (1 if failed else 0):
            failed += 1
            print("FAIL %s[%s] image: status %d, %d cases\n%s%s" % (
                name, machine, status, seen, out[-2000:], err[-2000:]))
    return passed, failed


class Result(unittest.TextTestResult):
    def addSuccess(self, test):
        super().addSuccess(test)
        sys.stdout.write("PASS %s\n" % test.id())

    def addFailure(self, test, err):
        super().addFailure(test, err)
        sys.stdout.write("FAIL %s\n%s\n" % (test.id(),
                                             self._exc_info_to_string(err, test)))

    def addError(self, test, err):
        super().addError(test, err)
        sys.stdout.write("FAIL %s (error)\n%s\n" % (
            test.id(), self._exc_info_to_string(err, test)))

    def addSubTest(self, test, subtest, err):
        # unittest records a failed subTest without addFailure: say it.
        super().addSubTest(test, subtest, err)
        if err is not None:
            sys.stdout.write("FAIL %s\n%s\n" % (
                subtest.id(), self._exc_info_to_string(err, test)))

    def addSkip(self, test, reason):
        # Skipping hides a failure: a skipped test counts as failed.
        super().addSkip(test, reason)
        sys.stdout.write("FAIL %s (skipped: %s)\n" % (test.id(), reason))


def filtered(suite, only):
    out = unittest.TestSuite()
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            out.addTests(filtered(t, only))
        elif not only or only in t.id() or broken_module(t, only):
            out.addTest(t)
    return out


def broken_module(t, only):
    """A module that did not import, when only names it or a test of it:
    its import error is reported, not a run of nothing."""
    return (isinstance(t, unittest.loader._FailedTest) and
            (only + ".").startswith(t._testMethodName + "."))


JOB_TIMEOUT = 30 * 60            # seconds; a hung guest must not hang CI
HERE = os.path.dirname(os.path.abspath(__file__))
TIMES = os.path.join(cairn.BUILD, "job-times.json")


def run_module(name, only):
    """Worker: runs one test module; returns (passed, failed)."""
    suite = filtered(unittest.defaultTestLoader.loadTestsFromName(name),
                     only)
    # Result prints each test's line and failure; unittest's own summary
    # would repeat the failures, so it goes nowhere.
    with open(os.devnull, "w") as quiet:
        res = unittest.TextTestRunner(stream=quiet, verbosity=0,
                                      resultclass=Result).run(suite)
    failed = len(res.failures) + len(res.errors) + len(res.skipped)
    return res.testsRun - failed, failed


def tests_of(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from tests_of(t)
        else:
            yield t


def host_jobs(only):
    """The test modules with a test whose id contains only, in file order:
    [(job name, runs alone)]. A module is one job: its classes were written
    to run one after the other (they share build folders and initrds). A
    module that does not import is one job that reports the import
    error."""
    suite = unittest.defaultTestLoader.discover(HERE, "test_*.py",
                                                top_level_dir=HERE)
    jobs = []
    for t in tests_of(filtered(suite, only)):
        cls = type(t)
        if isinstance(t, unittest.loader._FailedTest):
            name, alone = t._testMethodName, False
        else:
            name = cls.__module__
            alone = getattr(sys.modules[name], "RUN_ALONE", False)
        if (name, alone) not in jobs:
            jobs.append((name, alone))
    return jobs


class Job:
    def __init__(self, name, argv):
        self.name, self.argv = name, argv
        self.out = tempfile.TemporaryFile(mode="w+")
        self.proc = None
        self.start = 0.0
        self.failures = []

    def launch(self):
        self.start = time.time()
        self.proc = subprocess.Popen(self.argv, stdout=self.out,
                                     stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass
        self.proc.wait()

    def report(self, timed_out):
        """Prints the job's output; returns (in-image, host) (passed, failed)
        pairs read from its last line."""
        self.out.seek(0)
        text = self.out.read()
        took = time.time() - self.start
        # The worker's own count is its last line; a guest's output quoted
        # in a failure may hold lines of the same shape before it.
        m = re.search(r"^job: (\d+) passed, (\d+) failed\n*\Z", text, re.M)
        if m:
            text = text[:m.start()]
        p, f = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
        if p + f == 0 and m and not timed_out and self.proc.returncode == 0:
            return (0, 0), (0, 0)           # --only left nothing here
        sys.stdout.write(text)
        self.failures = failure_excerpts(text)
        if timed_out:
            self.failures.append("FAIL %s (stopped after %d s)" % (
                self.name, took))
            print(self.failures[-1])
            f += 1
        elif not m or self.proc.returncode not in (0, 1):
            self.failures.append("FAIL %s (worker exited with %d)" % (
                self.name, self.proc.returncode))
            print(self.failures[-1])
            f += 1
        print("# %s: %d passed, %d failed in %.0f s" % (self.name, p, f, took))
        sys.stdout.flush()
        return (((p, f), (0, 0)) if self.name.startswith("unit:")
                else ((0, 0), (p, f)))


def failure_excerpts(text, lines=12):
    """The FAIL lines of a job's output, each with the last lines of its
    traceback (where the assertion's message is), for the recap at the end:
    a CI log is often read from its tail only."""
    out, block = [], None
    for line in text.splitlines():
        if line.startswith(("PASS ", "FAIL ", "# ")):
            block = None
            if line.startswith("FAIL "):
                block = [line]
                out.append(block)
        elif block is not None:
            block.append(line[:300])
    return ["\n".join(b[:1] + b[1:][-lines:]) for b in out]


def run_jobs(jobs, width, failures):
    """Runs jobs, at most width at once; returns summed counts and adds
    each failure's excerpt to failures."""
    totals = [0, 0, 0, 0]
    running = []
    times = {}
    try:
        while jobs or running:
            while jobs and len(running) < width:
                job = jobs.pop(0)
                job.launch()
                running.append(job)
            time.sleep(0.2)
            for job in list(running):
                timed_out = time.time() - job.start > JOB_TIMEOUT
                if timed_out:
                    job.stop()
                elif job.proc.poll() is None:
                    continue
                running.remove(job)
                (up, uf), (hp, hf) = job.report(timed_out)
                failures.extend(job.failures)
                totals = [totals[0] + up, totals[1] + uf,
                          totals[2] + hp, totals[3] + hf]
                times[job.name] = time.time() - job.start
    finally:
        for job in running:
            job.stop()
    return totals, times


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--only", default="")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get(
        "CAIRN_TEST_JOBS", min(2, os.cpu_count() or 1))))
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.jobs < 1:
        ap.error("--jobs must be at least 1")
    if cairn.TEST_SMP and not (cairn.TEST_SMP.isdigit() and
                               1 <= int(cairn.TEST_SMP) <= 64):
        ap.error("SMP=%s: expected a number of CPUs from 1 to 64"
                 % cairn.TEST_SMP)
    if cairn.TEST_SMP and not a.worker:
        print("# SMP=%s: every test image built with SMP, booted on %s CPUs"
              % (cairn.TEST_SMP, cairn.TEST_SMP))
    if a.worker:                            # one job, inside a worker
        if a.worker.startswith("unit:"):
            p, f = unit_image(*[u for u in UNIT_IMAGES
                                if u[0] == a.worker[5:]][0])
        else:
            p, f = run_module(a.worker, a.only)
        print("job: %d passed, %d failed" % (p, f))
        return 1 if f else 0
    start = time.time()
    here = HERE
    os.environ.setdefault("CAIRN_TEST_RUN", "%d-%d" % (os.getpid(), start))

    # What the tests need beyond the build (installed if root, else named).
    rc = subprocess.run([cairn.PYTHON, os.path.join(cairn.ROOT, "support",
                                                    "deps.py"),
                         "test-tools", "--quiet"]).returncode
    if rc:
        print("FAIL test tools missing (see above)")
        print("0 passed, 1 failed")
        return 1
    me = [cairn.PYTHON, os.path.abspath(__file__), "--only", a.only,
          "--worker"]
    together = [Job("unit:" + u[0], me + ["unit:" + u[0]])
                for u in UNIT_IMAGES if not a.only or "unit" in a.only]
    alone = []
    for name, by_itself in host_jobs(a.only):
        (alone if by_itself else together).append(Job(name, me + [name]))
    if a.jobs > 1:
        # Longest first (as the last run measured them), so the two
        # workers end together.
        try:
            with open(TIMES) as f:
                last = json.load(f)
        except (OSError, ValueError):
            last = {}
        together.sort(key=lambda j: -last.get(j.name, 120))
    failures = []
    totals, times = run_jobs(together, a.jobs, failures)
    more, more_times = run_jobs(alone, 1, failures)
    up, uf, hp, hf = [x + y for x, y in zip(totals, more)]
    times.update(more_times)
    passed, failed = up + hp, uf + hf
    if not a.only:
        os.makedirs(cairn.BUILD, exist_ok=True)
        with open(TIMES, "w") as f:
            json.dump(times, f, indent=1, sort_keys=True)
    if failures:
        print("\n# what failed (each with its output's last lines):")
        for f in failures:
            print(f)
        print()
    print("in-image cases: %d passed, %d failed; host tests: %d passed, "
          "%d failed; %.0f s" % (up, uf, hp, hf, time.time() - start))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
