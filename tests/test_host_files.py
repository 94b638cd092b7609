# SPDX-License-Identifier: BSD-3-Clause
"""The file libraries on the host (tests/host/build_files.py): path
resolution and the calls on names (lib/vfs over lib/ramfs), the cpio
reader and the unpacker (lib/initrd), under ASan and UBSan, and a bounded
libFuzzer run of each fuzzer.

  HostFiles.test_<suite>_<case>   one per CN_TEST case of
                                  lib/vfs/tests/test_path.c and
                                  lib/initrd/tests/test_cpio.c,
                                  test_initrd.c: its `ok` line is there
  HostFiles.test_summary          exit status 0 (so "/" unmounted at the
                                  end: no reference leaked), all cases
                                  passed, no sanitizer report
  HostFilesFuzz.test_cpio         fuzz_cpio.c from a few good archives
  HostFilesFuzz.test_path         fuzz_path.c from a few programs
"""
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "cairn_build_files", os.path.join(HERE, "host", "build_files.py"))
bf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bf)

SOURCES = [os.path.join(bf.ROOT, p) for p in bf.TESTS if "/tests/" in p
           and p.startswith("lib/")]
FUZZ_ARGS = ["-runs=200000", "-max_total_time=5", "-seed=1", "-timeout=10"]


def cases():
    """(suite, name) of every CN_TEST in the host-built test sources."""
    out = []
    for src in SOURCES:
        try:
            text = open(src).read()
        except OSError:
            continue
        out += re.findall(r"^CN_TEST\(\s*(\w+)\s*,\s*(\w+)\s*\)", text, re.M)
    return out


class HostFiles(unittest.TestCase):
    """The cases, built once and run once for the whole class."""

    exe = out = err = error = None
    status = None

    @classmethod
    def setUpClass(cls):
        try:
            cls.exe = bf.build_tests("files")
        except bf.BuildError as e:
            cls.error = "building the file libraries for the host " \
                        "failed:\n%s" % e
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

    def run_case(self, suite, name):
        out = self.ran()
        full = "%s.%s" % (suite, name)
        if re.search(r"^ok \d+ %s$" % re.escape(full), out, re.M):
            return
        m = re.search(r"^not ok \d+ %s .*$" % re.escape(full), out, re.M)
        self.fail(m.group(0) if m else "%s did not run (exit %d):\n%s%s"
                  % (full, self.status, out[-2000:], self.err[-3000:]))

    def test_summary(self):
        out = self.ran()
        names = cases()
        report = "%s exited %d:\n%s%s" % (self.exe, self.status,
                                          out[-3000:], self.err[-4000:])
        self.assertGreater(len(names), 20, report)
        self.assertEqual(self.status, 0, report)
        self.assertRegex(out, r"(?m)^%d passed, 0 failed$" % len(names),
                         report)
        self.assertNotRegex(self.err, r"ERROR: (Address|Leak)Sanitizer|"
                            r"runtime error:", report)


def _add(suite, name):
    def test(self):
        self.run_case(suite, name)
    test.__doc__ = "CN_TEST(%s, %s) on the host" % (suite, name)
    setattr(HostFiles, "test_%s_%s" % (suite, name), test)


for _s, _n in cases():
    _add(_s, _n)


def op(code, a=b"", b=b""):
    """One operation of fuzz_path.c's programs."""
    return bytes([code]) + a + b"\0" + b + b"\0"


PATH_SEEDS = [
    op(0, b"a") + op(0, b"a/b") + op(2, b"l", b"a/b") + op(7, b"l/..") +
    op(11, b"l") + op(12) + op(5, b"/a", b"/c") + op(12) + op(23, b".."),
    op(1, b"f", b"data") + op(9, b"f", b"x") + op(3, b"f") +
    op(20, b"", b"more") + op(21) + op(10),
    op(0, b"m") + op(15, b"m") + op(0, b"m/x") + op(11, b"m/x") +
    op(16, b"m") + op(11, b"/") + op(16, b"m") + op(17, b"m"),
    op(2, b"a", b"b") + op(2, b"b", b"a") + op(7, b"a") + op(22, b"a") +
    op(19, b"p/q/r") + op(17, b"p") + op(6, b"p/q", b"z") +
    op(14, b"p/q/r", b"xyz") + op(18, b"p", b"\x02"),
]


class HostFilesFuzz(unittest.TestCase):
    """Bounded libFuzzer runs (fixed seed); they must exit 0."""

    def fuzz(self, name, seeds, max_len):
        try:
            exe = bf.build_fuzzer(name)
        except bf.BuildError as e:
            self.fail("building fuzz_%s failed:\n%s" % (name, e))
        corpus = os.path.join(bf.hb.OUT, "fuzz", name + ".corpus")
        shutil.rmtree(corpus, ignore_errors=True)   # the same run each time
        os.makedirs(corpus)
        for i, data in enumerate(seeds):
            with open(os.path.join(corpus, "seed%d" % i), "wb") as f:
                f.write(data)
        p = subprocess.run([exe] + FUZZ_ARGS + ["-max_len=%d" % max_len,
                                                corpus],
                           capture_output=True, text=True,
                           stdin=subprocess.DEVNULL, timeout=120,
                           cwd=os.path.dirname(exe))
        self.assertEqual(p.returncode, 0, "%s exited %d:\n%s" % (
            exe, p.returncode, (p.stdout + p.stderr)[-5000:]))

    def test_cpio(self):
        """fuzz_cpio.c: archives made by support/mkinitrd.py to start."""
        seeds = []
        src = os.path.join(bf.ROOT, "tests", "apps", "filels", "rootfs")
        for extra in ([], ["--crc"]):
            out = os.path.join(bf.hb.OUT, "fuzz", "seed.cpio")
            os.makedirs(os.path.dirname(out), exist_ok=True)
            subprocess.run([sys.executable, os.path.join(
                bf.ROOT, "support", "mkinitrd.py"), "--quiet"] + extra +
                [src, out], check=True)
            with open(out, "rb") as f:
                seeds.append(f.read())
        seeds.append(seeds[0][:300])
        self.fuzz("cpio", seeds, 4096)

    def test_path(self):
        """fuzz_path.c: programs of calls on names."""
        self.fuzz("path", PATH_SEEDS, 1024)
