# SPDX-License-Identifier: BSD-3-Clause
"""The device tree parser (lib/fdt/fdt.c) on the host, under ASan/UBSan.

lib/fdt/tests/test_fdt.c builds trees token by token and damages them
byte by byte; it is built for the host by tests/host/build.py ("tests
fdt") and run once.

  HostFdt.test_<case>    one per CN_TEST(fdt, <case>) in the source:
                         its `ok N fdt.<case>` line must be there
  HostFdt.test_summary   exit status 0, `N passed, 0 failed` with N the
                         number of cases in the source, no sanitizer
                         report
"""
import importlib.util
import os
import re
import subprocess
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "cairn_host_build", os.path.join(HERE, "host", "build.py"))
hb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hb)

SOURCE = os.path.join(hb.ROOT, "lib", "fdt", "tests", "test_fdt.c")


def cases():
    """The case names of test_fdt.c, in source order."""
    try:
        text = open(SOURCE).read()
    except OSError:
        return []
    return re.findall(r"^CN_TEST\(\s*fdt\s*,\s*(\w+)\s*\)", text, re.M)


class HostFdt(unittest.TestCase):
    """test_fdt.c's cases, built once and run once for the whole class."""

    exe = out = err = error = None
    status = None

    @classmethod
    def setUpClass(cls):
        try:
            cls.exe = hb.build_tests("fdt")
        except hb.BuildError as e:
            cls.error = "building fdt for the host failed:\n%s" % e
            return
        try:
            p = subprocess.run([cls.exe], capture_output=True, text=True,
                               stdin=subprocess.DEVNULL, timeout=120)
        except subprocess.TimeoutExpired as e:
            cls.error = "%s timed out:\n%s" % (cls.exe, e.stdout or "")
            return
        cls.status, cls.out, cls.err = p.returncode, p.stdout, p.stderr

    def ran(self):
        if self.error:
            self.fail(self.error)
        return self.out

    def run_case(self, name):
        out = self.ran()
        if re.search(r"^ok \d+ fdt\.%s$" % name, out, re.M):
            return
        m = re.search(r"^not ok \d+ fdt\.%s .*$" % name, out, re.M)
        self.fail(m.group(0) if m else "fdt.%s did not run (exit %d):\n%s%s"
                  % (name, self.status, out[-2000:], self.err[-3000:]))

    def test_summary(self):
        out = self.ran()
        names = cases()
        self.assertGreater(len(names), 0, "no CN_TEST(fdt, ...) in "
                           + SOURCE)
        report = "%s exited %d:\n%s%s" % (self.exe, self.status,
                                          out[-3000:], self.err[-4000:])
        self.assertEqual(self.status, 0, report)
        self.assertRegex(out, r"(?m)^%d passed, 0 failed$" % len(names),
                         report)
        self.assertEqual(len(re.findall(r"(?m)^ok \d+ ", out)), len(names),
                         report)
        self.assertNotRegex(self.err, r"ERROR: (Address|Leak)Sanitizer|"
                            r"runtime error:", report)


def _add(name):
    def test(self):
        self.run_case(name)
    test.__doc__ = "CN_TEST(fdt, %s) on the host" % name
    setattr(HostFdt, "test_" + name, test)


for _n in cases():
    _add(_n)
