# SPDX-License-Identifier: BSD-3-Clause
"""One library's in-image unit cases built for the host (tests/host/build.py
"tests NAME"), under ASan/UBSan, and run once for a whole test class.

cases_class(name, suite, source, doc) returns a unittest class with

  test_<case>    one per CN_TEST(<suite>, <case>) in source: its
                 `ok N <suite>.<case>` line must be there
  test_summary   exit status 0, `N passed, 0 failed` with N the number of
                 cases in the source, no sanitizer report

Assign it to a module-level name of a test_*.py file to have it run.
"""
import importlib.util
import os
import re
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "cairn_host_build", os.path.join(HERE, "host", "build.py"))
hb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hb)
ROOT = hb.ROOT


def cases(suite, source):
    """The case names of CN_TEST(suite, ...) in source, in source order."""
    try:
        text = open(source).read()
    except OSError:
        return []
    return re.findall(r"^CN_TEST\(\s*%s\s*,\s*(\w+)\s*\)" % suite, text,
                      re.M)


def cases_class(name, suite, source, doc):
    """A TestCase class called name for suite's cases in source (a path
    below the tree); doc is its docstring."""
    source = os.path.join(ROOT, source)

    class HostCases(unittest.TestCase):
        exe = out = err = error = None
        status = None

        @classmethod
        def setUpClass(cls):
            try:
                cls.exe = hb.build_tests(suite)
            except hb.BuildError as e:
                cls.error = "building %s for the host failed:\n%s" % (suite,
                                                                      e)
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
            if re.search(r"^ok \d+ %s\.%s$" % (suite, name), out, re.M):
                return
            m = re.search(r"^not ok \d+ %s\.%s .*$" % (suite, name), out,
                          re.M)
            self.fail(m.group(0) if m else "%s.%s did not run (exit %d):\n"
                      "%s%s" % (suite, name, self.status, out[-2000:],
                                self.err[-3000:]))

        def test_summary(self):
            out = self.ran()
            names = cases(suite, source)
            self.assertGreater(len(names), 0, "no CN_TEST(%s, ...) in %s"
                               % (suite, source))
            report = "%s exited %d:\n%s%s" % (self.exe, self.status,
                                              out[-3000:], self.err[-4000:])
            self.assertEqual(self.status, 0, report)
            self.assertRegex(out, r"(?m)^%d passed, 0 failed$" % len(names),
                             report)
            self.assertEqual(len(re.findall(r"(?m)^ok \d+ ", out)),
                             len(names), report)
            self.assertNotRegex(self.err, r"ERROR: (Address|Leak)Sanitizer|"
                                r"runtime error:", report)

    def add(case):
        def test(self):
            self.run_case(case)
        test.__doc__ = "CN_TEST(%s, %s) on the host" % (suite, case)
        setattr(HostCases, "test_" + case, test)

    for c in cases(suite, source):
        add(c)
    HostCases.__doc__ = doc
    HostCases.__name__ = HostCases.__qualname__ = name
    # Test ids name the test_*.py file that made the class.
    HostCases.__module__ = sys._getframe(1).f_globals["__name__"]
    return HostCases
