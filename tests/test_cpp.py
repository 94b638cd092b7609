# SPDX-License-Identifier: BSD-3-Clause
"""C++ apps (issue 19, lib/cxx): apps/hello-cpp built by Debian's g++ with
lib/cxx's runtime support, booted on x86_64 and on arm64 (Debian's
g++-aarch64-linux-gnu, installed on first use like g++): a global object
constructed before main, virtual functions, dynamic_cast and typeid, new/delete (also
aligned), std::string and std::vector from libstdc++, an exception thrown
through three frames and caught, std::out_of_range from vector::at, a
local static. An uncaught exception ends in std::terminate naming it and
abort()'s crash report (status 70), not a hang.

The compiler's libsupc++, libstdc++ and libgcc_eh are built for Linux
user space, where the 128 bytes under the stack pointer (the red zone)
are the function's own; in Cairn an interrupt pushes its frame there. So
the x86_64 image is checked to contain no access below %rsp (AArch64's
ABI has no red zone). One build per architecture, the two boots side by
side."""
import os
import re
import subprocess
import unittest
from concurrent.futures import ThreadPoolExecutor

import cairn

APP = "apps/hello-cpp"


class Checks:
    """What every architecture's image does; NAME and PLAT say which."""

    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build(APP, cls.NAME, plat=cls.PLAT)
        with ThreadPoolExecutor(2) as pool:
            normal = pool.submit(cairn.boot, cls.image, timeout=120)
            uncaught = pool.submit(cairn.boot, cls.image, args="uncaught",
                                   timeout=120)
            cls.normal = normal.result()
            cls.uncaught = uncaught.result()

    def test_every_step_works(self):
        status, out, err = self.normal
        self.assertEqual(status, 0, out + err)
        self.assertNotIn("FAIL", out)
        steps = re.findall(r"^ok (.*)$", out, re.M)
        self.assertEqual(steps, [
            "global object constructed before main",
            "virtual functions (9 + 12 = 21)",
            "dynamic_cast finds the square only",
            "typeid of a Circle",
            "std::string and std::vector",
            "new[] and aligned new",
            "exception caught through 3 frames",
            "std::out_of_range from vector::at",
            "local static",
        ], out)
        # The constructor printed before main's first line.
        self.assertLess(out.index("global constructor: constructed "
                                  "before main"),
                        out.index("ok global object"))
        self.assertIn("caught: thrown three calls deep (code 42)", out)
        self.assertIn("typeid: 6Square", out)
        self.assertIn("Hello, C++ on Cairn: vector of 100, sum 5050", out)
        self.assertTrue(out.rstrip().endswith("hello-cpp: all good"), out)

    def test_uncaught_exception_gives_the_crash_report(self):
        status, out, err = self.uncaught
        self.assertEqual(status, 70, out + err)
        self.assertIn("terminate called after throwing an instance of "
                      "'Error'", out)
        self.assertIn("what():  thrown three calls deep", out)
        self.assertIn("CRASH: abort() called", out)
        self.assertRegex(out, r"#\d+ +0x[0-9a-f]+ abort\+")
        self.assertNotIn("hello-cpp: all good", out)


class HelloCpp(Checks, unittest.TestCase):
    NAME, PLAT = "hello-cpp", None

    def test_no_code_uses_the_red_zone(self):
        p = subprocess.run(["objdump", "-d", "--no-show-raw-insn",
                            self.image + ".elf"], capture_output=True,
                           text=True, timeout=120, check=True)
        below = [l for l in p.stdout.splitlines()
                 if re.search(r"-0x[0-9a-f]+\(%rsp\)", l)]
        # The scan itself works: the image has rsp-relative accesses.
        self.assertGreater(p.stdout.count("(%rsp)"), 100)
        self.assertEqual(below, [])


class HelloCppArm64(Checks, unittest.TestCase):
    """The same app and checks on qemu-aarch64 (virt)."""
    NAME, PLAT = "hello-cpp-arm64", "qemu-aarch64"


if __name__ == "__main__":
    unittest.main()
