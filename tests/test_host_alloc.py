# SPDX-License-Identifier: BSD-3-Clause
"""The allocator backends on the host: unit tests under ASan/UBSan, fuzzing.

Every backend (lib/alloc-<name>/ with cn_<name>_create, found by
tests/host/build.py) gets two tests, named after it so that a failure says
which backend it is:

  HostAllocUnit.test_<name>   its tests/*.c (CN_TEST cases) built for the
                              host with -fsanitize=address,undefined; the
                              binary must exit 0 with `N passed, 0 failed`.
  HostAllocFuzz.test_<name>   tests/host/fuzz_alloc.c with libFuzzer for a
                              bounded run (fixed seed); must exit 0.

plus lib/alloc's own API tests (HostAllocUnit.test_alloc_api). Fuzzing
needs clang and libFuzzer's runtime; when they are missing the fuzz tests
fail and name the Debian packages to install (they are never skipped).
"""
import importlib.util
import os
import re
import shutil
import subprocess
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "cairn_host_build", os.path.join(HERE, "host", "build.py"))
hb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hb)

FUZZ_ARGS = ["-runs=50000", "-max_total_time=15", "-seed=1",
             "-max_len=4096", "-timeout=10"]


def build_or_fail(test, fn, name):
    try:
        return fn(name)
    except hb.BuildError as e:
        test.fail("building %s for the host failed:\n%s" % (name, e))


class HostAllocUnit(unittest.TestCase):
    """Each backend's CN_TEST cases on the host, under ASan and UBSan."""

    def run_tests(self, name):
        exe = build_or_fail(self, hb.build_tests, name)
        p = subprocess.run([exe], capture_output=True, text=True,
                           stdin=subprocess.DEVNULL, timeout=120)
        out = p.stdout + p.stderr
        self.assertEqual(p.returncode, 0, "%s exited %d:\n%s" % (
            exe, p.returncode, out[-4000:]))
        m = re.search(r"^(\d+) passed, 0 failed$", p.stdout, re.M)
        self.assertIsNotNone(m, out[-4000:])
        n = int(m.group(1))
        self.assertGreater(n, 0, out)
        self.assertEqual(len(re.findall(r"^ok \d+ ", p.stdout, re.M)), n,
                         out[-4000:])

    def test_alloc_api(self):
        """lib/alloc/tests/test_alloc.c, the malloc family included."""
        self.run_tests("alloc")

    def test_every_alloc_folder_is_a_backend(self):
        found = {b.name for b in hb.backends()}
        self.assertIn("region", found)
        for d in os.listdir(os.path.join(hb.ROOT, "lib")):
            if d.startswith("alloc-"):
                self.assertIn(d[len("alloc-"):], found,
                              "lib/%s: no include/cairn/alloc_%s.h declaring "
                              "struct cn_alloc *cn_%s_create(void *base, "
                              "size_t len);" % (d, d[6:], d[6:]))


class HostAllocFuzz(unittest.TestCase):
    """Each backend under libFuzzer for a bounded number of runs."""

    def run_fuzzer(self, name):
        if not shutil.which("clang"):
            self.fail("clang is not installed: fuzzing the allocators needs "
                      "the Debian packages %s (apt-get install -y %s)"
                      % (hb.CLANG_PACKAGES, hb.CLANG_PACKAGES))
        exe = build_or_fail(self, hb.build_fuzzer, name)
        work = os.path.join(os.path.dirname(exe), name + ".run")
        os.makedirs(work, exist_ok=True)
        p = subprocess.run([exe] + FUZZ_ARGS +
                           ["-artifact_prefix=%s/" % work],
                           cwd=work, capture_output=True, text=True,
                           stdin=subprocess.DEVNULL, timeout=120)
        out = p.stdout + p.stderr
        lines = [l for l in out.splitlines() if not l.startswith("#")]
        self.assertEqual(p.returncode, 0, "%s %s exited %d:\n%s" % (
            exe, " ".join(FUZZ_ARGS), p.returncode,
            "\n".join(lines)[-5000:]))
        self.assertRegex(out, r"Done \d+ runs in")


def _add(cls, runner, name, doc):
    def test(self):
        getattr(self, runner)(name)
    test.__doc__ = doc
    setattr(cls, "test_%s" % name, test)


for _b in hb.backends():
    _add(HostAllocUnit, "run_tests", _b.name,
         "lib/alloc-%s/tests/*.c on the host" % _b.name)
    _add(HostAllocFuzz, "run_fuzzer", _b.name,
         "fuzz_alloc.c against cn_%s_create" % _b.name)
