# SPDX-License-Identifier: BSD-3-Clause
"""lib/sqlite (issue 19): SQLite's amalgamation from Debian's source
package, unmodified, in an image: its in-image cases (tables and
transactions, two connections locking each other out through the unix
VFS, WAL mode with its mmap'ed index, writers in two threads) booted once
on x86_64. One build: sqlite3.c is the largest file of any image."""
import os
import re
import unittest

import cairn

APP = "tests/apps/sqlite"


class Sqlite(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # cairn.build's 10 minutes are not enough for sqlite3.c (9 MB of
        # C) when the machine is shared: the same two make steps, longer.
        o = cairn.out_dir("sqlite")
        os.makedirs(o, exist_ok=True)
        cairn.make("APP=%s" % APP, "defconfig", o=o)
        cairn.make("APP=%s" % APP, o=o, timeout=2400)
        cls.image = cairn.image_path(o, APP)

    def test_in_image_cases_pass(self):
        status, out, err = cairn.boot(self.image, machine="pc",
                                      params="test.filter=sqlite.",
                                      mem="256M", timeout=120)
        cases = re.findall(r"^(ok|not ok) \d+ (sqlite\.\S+)(.*)$", out, re.M)
        failed = ["%s%s" % (n, why) for r, n, why in cases if r != "ok"]
        self.assertEqual(failed, [], out[-3000:])
        self.assertEqual(len(cases), 4, out[-3000:] + err)
        self.assertIn("4 passed, 0 failed", out)
        self.assertEqual(status, 0, out[-2000:] + err)


if __name__ == "__main__":
    unittest.main()
