#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Cairn's test runner: `make test` calls it.

1. Builds the in-image unit-test images (tests/apps/unit: every library
   with its tests; once with the cooperative scheduler, booted on -M pc and
   -M microvm, once with the preemptive one, and both again for
   qemu-aarch64 on -M virt); each `ok` / `not ok` line counts as one test.
2. Runs the host-side integration tests (tests/test_*.py, unittest), which
   build and boot real images and check what a user sees.

Ends with the line `N passed, N failed` and exits 1 if anything failed.
    run.py [--only PATTERN]   run only tests whose id contains PATTERN
"""
import argparse
import os
import re
import subprocess
import sys
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


def unit_images(only):
    """Boots the unit-test images; returns (passed, failed)."""
    passed = failed = 0
    if only and "unit" not in only:
        return 0, 0
    for name, config, machines, plat in UNIT_IMAGES:
        p, f = unit_image(name, config, machines, plat)
        passed, failed = passed + p, failed + f
    return passed, failed


def unit_image(name, config, machines, plat=None):
    passed = failed = 0
    try:
        image = cairn.build("tests/apps/unit", name, config, plat)
    except AssertionError as e:
        print("FAIL %s build\n%s" % (name, e))
        return 0, 1
    for machine in machines:
        status, out, err = cairn.boot(image, machine=machine, timeout=60)
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
        self.stream.write("PASS %s\n" % test.id())

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.stream.write("FAIL %s\n%s\n" % (test.id(),
                                             self._exc_info_to_string(err, test)))

    def addError(self, test, err):
        super().addError(test, err)
        self.stream.write("FAIL %s (error)\n%s\n" % (
            test.id(), self._exc_info_to_string(err, test)))

    def addSkip(self, test, reason):
        # Skipping hides a failure: a skipped test counts as failed.
        super().addSkip(test, reason)
        self.stream.write("FAIL %s (skipped: %s)\n" % (test.id(), reason))


def filtered(suite, only):
    out = unittest.TestSuite()
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            out.addTests(filtered(t, only))
        elif not only or only in t.id():
            out.addTest(t)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    start = time.time()
    here = os.path.dirname(os.path.abspath(__file__))

    # What the tests need beyond the build (installed if root, else named).
    rc = subprocess.run([cairn.PYTHON, os.path.join(cairn.ROOT, "support",
                                                    "deps.py"),
                         "test-tools", "--quiet"]).returncode
    if rc:
        print("FAIL test tools missing (see above)")
        print("0 passed, 1 failed")
        return 1
    up, uf = unit_images(a.only)
    suite = filtered(unittest.defaultTestLoader.discover(here, "test_*.py",
                                                         top_level_dir=here),
                     a.only)
    res = unittest.TextTestRunner(stream=sys.stdout, verbosity=0,
                                  resultclass=Result).run(suite)
    hp = res.testsRun - len(res.failures) - len(res.errors) - len(res.skipped)
    hf = len(res.failures) + len(res.errors) + len(res.skipped)
    passed, failed = up + hp, uf + hf
    print("in-image cases: %d passed, %d failed; host tests: %d passed, "
          "%d failed; %.0f s" % (up, uf, hp, hf, time.time() - start))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
