# SPDX-License-Identifier: BSD-3-Clause
"""lib/sqlite and apps/sqlite-shell (issue 19): SQLite's amalgamation and
its own shell.c from Debian's source package, unmodified, in one image
(apps/sqlite-shell with lib/sqlite's in-image cases compiled in: sqlite3.c
is the largest file of any image, so it is compiled once).

- The in-image cases (tables and transactions, two connections locking
  each other out through the unix VFS, WAL mode with its mmap'ed index,
  writers in two threads), run with test.run=1.
- The shell on the serial console: SQL typed in, results and .tables
  out, on ramfs, in WAL mode with a checkpoint.
- A database on a FAT disk: written in one boot (WAL, checkpointed),
  read by a second boot of the image, then copied out with mtools and
  read by the host's sqlite3, PRAGMA integrity_check ok on both sides.

Guests boot side by side where they are independent."""
import os
import re
import subprocess
import tempfile
import unittest
from concurrent.futures import ThreadPoolExecutor

import cairn

APP = "apps/sqlite-shell"
ENV = dict(os.environ, MTOOLS_SKIP_CHECK="1")


def shell_lines(out):
    """The shell's output lines, prompts and echoed input removed."""
    return [l for l in out.splitlines() if not l.startswith("sqlite> ")]


class Sqlite(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # cairn.build's 10 minutes are not enough for sqlite3.c (9 MB of
        # C) when the machine is shared: the same make steps, longer.
        o = cairn.out_dir("sqlite-shell")
        os.makedirs(o, exist_ok=True)
        base = open(os.path.join(cairn.ROOT, APP, "defconfig")).read()
        defconfig = os.path.join(o, "test.defconfig")
        with open(defconfig, "w") as f:
            f.write(base + "CONFIG_LIB_TEST=y\n"
                    "# CONFIG_LIB_TEST_ALL is not set\n"
                    "# CONFIG_LIB_TEST_RUN is not set\n"
                    "CONFIG_LIB_SQLITE_TEST=y\n")
        cairn.make("APP=%s" % APP, "DEFCONFIG=%s" % defconfig, "defconfig",
                   o=o)
        cairn.make("APP=%s" % APP, o=o, timeout=2400)
        cls.image = cairn.image_path(o, APP)
        cls.tmp = tempfile.TemporaryDirectory(prefix="cairn-sqlite-")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def shell(self, sql, args="", disk=None, timeout=120):
        """Boots the shell with sql typed on the console; (status, out)."""
        extra = ("--disk", disk) if disk else ()
        status, out, err = cairn.boot(self.image, machine="pc", args=args,
                                      mem="256M", stdin=sql.encode(),
                                      timeout=timeout, launcher_args=extra)
        return status, out + err

    def test_in_image_cases_pass(self):
        status, out, err = cairn.boot(self.image, machine="pc",
                                      params="test.run=1 test.filter=sqlite.",
                                      mem="256M", timeout=120)
        cases = re.findall(r"^(ok|not ok) \d+ (sqlite\.\S+)(.*)$", out, re.M)
        failed = ["%s%s" % (n, why) for r, n, why in cases if r != "ok"]
        self.assertEqual(failed, [], out[-3000:])
        self.assertEqual(len(cases), 4, out[-3000:] + err)
        self.assertIn("4 passed, 0 failed", out)
        self.assertEqual(status, 0, out[-2000:] + err)

    def test_shell_on_ramfs_with_wal(self):
        sql = ("create table t(a integer primary key, b text);\n"
               "insert into t values(1, 'one'), (2, 'two');\n"
               "select a, b from t order by a;\n"
               ".tables\n"
               "pragma journal_mode=wal;\n"
               "insert into t(b) select 'n' || value from generate_series"
               "(1, 500);\n"
               "select count(*), max(a) from t;\n"
               "pragma wal_checkpoint(truncate);\n"
               "select 'bad' from nosuch;\n"
               ".quit\n")
        status, out = self.shell(sql, args="/ram.db")
        # sqlite3's status: 1 when a statement failed (the last one).
        self.assertEqual(status, 1, out[-3000:])
        self.assertIn("SQLite version 3.46.1", out)
        lines = shell_lines(out)
        # Results in order: rows, the table list, the journal mode, the
        # count, the checkpoint (no error, no frames left), an error line.
        i = lines.index("1|one")
        self.assertEqual(lines[i:i + 6],
                         ["1|one", "2|two", "t", "wal", "502|502", "0|0|0"],
                         out[-3000:])
        self.assertRegex(out, r"no such table: nosuch")

    def test_database_on_fat_survives_reboot_and_host_reads_it(self):
        disk = os.path.join(self.tmp.name, "disk.img")
        # 64 MiB: enough clusters (of 512 bytes) for FAT32 proper; mtools
        # takes a FAT32 volume under 65525 clusters for FAT16.
        cairn.make("disk", "OUT=%s" % disk, "SIZE=64M", "FAT=32",
                   timeout=120)
        write = ("pragma journal_mode=wal;\n"
                 "create table kv(k integer primary key, v text);\n"
                 "create index kv_v on kv(v);\n"
                 "begin;\n"
                 "insert into kv(v) select printf('value %05d', value) "
                 "from generate_series(1, 2000);\n"
                 "commit;\n"
                 "pragma wal_checkpoint(truncate);\n"
                 ".quit\n")
        status, out = self.shell(write, args="/data/kv.db", disk=disk)
        self.assertEqual(status, 0, out[-3000:])
        self.assertIn("wal", shell_lines(out), out[-2000:])
        self.assertNotIn("Error", out, out[-2000:])
        # Second boot: the same image reads what the first one wrote.
        read = ("select count(*), min(v), max(v) from kv;\n"
                "pragma integrity_check;\n"
                ".quit\n")
        status, out = self.shell(read, args="/data/kv.db", disk=disk)
        self.assertEqual(status, 0, out[-3000:])
        lines = shell_lines(out)
        self.assertIn("2000|value 00001|value 02000", lines, out[-2000:])
        self.assertIn("ok", lines, out[-2000:])
        # The host's sqlite3 reads the file copied out of the volume.
        copy = os.path.join(self.tmp.name, "kv.db")
        p = subprocess.run(["mcopy", "-o", "-i", disk, "::/kv.db", copy],
                           capture_output=True, text=True, env=ENV,
                           timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = subprocess.run(["sqlite3", copy,
                            "pragma integrity_check; "
                            "select count(*), sum(k) from kv "
                            "where v like 'value %';"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.split(), ["ok", "2000|2001000"])


if __name__ == "__main__":
    unittest.main()
