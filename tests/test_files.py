# SPDX-License-Identifier: BSD-3-Clause
"""Files as a user sees them: an initrd packed from a folder and listed by
an image (tests/apps/filels: every entry with the CRC-32 of its data, read
through stdio), compared with the folder; corrupt archives; the required
and linked-in initrd; `make run` passing an app's rootfs/; vfs.mount=
values; support/mkinitrd.py; 64 MiB files in the unit image. Initrd and
InitrdVariants take the platform from the class attribute plat;
tests/test_arm64.py runs them on qemu-aarch64.
"""
import gzip
import os
import re
import shutil
import stat
import subprocess
import tempfile
import unittest
import zlib

import cairn

APP = "tests/apps/filels"
MKINITRD = os.path.join(cairn.ROOT, "support", "mkinitrd.py")


def pack(folder, out, *extra):
    subprocess.run([cairn.PYTHON, MKINITRD, "--quiet"] + list(extra) +
                   [folder, out], check=True)
    return out


def expected(folder):
    """The lines filels prints for folder's contents (modes as packed)."""
    lines = []
    for top, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = os.path.join(top, name)
            rel = "/" + os.path.relpath(p, folder)
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                lines.append("L %s %s" % (os.readlink(p), rel))
            elif stat.S_ISDIR(st.st_mode):
                lines.append("D 0755 %s" % rel)
            else:
                data = open(p, "rb").read()
                lines.append("F %04o %d %08x %s" % (
                    0o755 if st.st_mode & 0o111 else 0o644, len(data),
                    zlib.crc32(data), rel))
    return sorted(lines)


def listing(out, skip_dev=True):
    """filels' entry lines, sorted, /dev left out."""
    lines = [l for l in out.splitlines()
             if re.match(r"^[DFLCE] ", l) and
             not (skip_dev and re.search(r" /dev(/|$)", l))]
    return sorted(lines)


def make_tree(root):
    """A folder with what an initrd may hold."""
    os.makedirs(os.path.join(root, "etc", "conf.d"))
    os.makedirs(os.path.join(root, "var", "empty"))
    os.makedirs(os.path.join(root, "deep", "a", "b", "c", "d", "e"))
    with open(os.path.join(root, "etc", "hello.txt"), "w") as f:
        f.write("Hello, initrd.\n")
    with open(os.path.join(root, "etc", "conf.d", "empty"), "w"):
        pass
    blob = bytes((i * 131 + (i >> 9)) & 0xff for i in range(300 * 1024 + 7))
    with open(os.path.join(root, "var", "blob.bin"), "wb") as f:
        f.write(blob)
    tool = os.path.join(root, "deep", "a", "b", "c", "d", "e", "tool")
    with open(tool, "w") as f:
        f.write("#!/bin/sh\necho tool\n")
    os.chmod(tool, 0o755)
    os.symlink("etc/hello.txt", os.path.join(root, "hello"))
    os.symlink("/var/blob.bin", os.path.join(root, "var", "abs-link"))


def build(app, name, config=None, plat=None):
    """cairn.build with make -j (these images are independent of the rest
    of the suite's, so their builds may use every CPU); plat adds
    "-<plat>" to the build folder's name."""
    return cairn.build(app, name + ("-" + plat if plat else ""), config,
                       plat, parallel=True)


def make_run(o, *args):
    """make run in build folder o (stdin not a terminal); its output."""
    env = dict(os.environ)
    env.pop("MAKEFLAGS", None)
    env.pop("MAKELEVEL", None)
    p = subprocess.run(["make", "-C", cairn.ROOT, "O=" + o, "run",
                        "TIMEOUT=30"] + list(args), capture_output=True,
                       text=True, stdin=subprocess.DEVNULL, env=env,
                       timeout=300)
    if p.returncode:
        raise AssertionError("make run failed (%d):\n%s%s" % (
            p.returncode, p.stdout[-3000:], p.stderr[-3000:]))
    return p.stdout


class Initrd(unittest.TestCase):
    """filels booted with initrds packed from a temporary folder."""
    plat = None         # the default platform; test_arm64.py sets its own

    @classmethod
    def setUpClass(cls):
        cls.image = build(APP, "files-ls", plat=cls.plat)
        cls.tmp = tempfile.mkdtemp(prefix="cairn-files-")
        cls.tree = os.path.join(cls.tmp, "tree")
        make_tree(cls.tree)
        cls.cpio = pack(cls.tree, os.path.join(cls.tmp, "tree.cpio"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def boot(self, initrd=None, image=None, params=""):
        extra = ["--initrd", initrd] if initrd else []
        return cairn.boot(image or self.image, params=params, timeout=30,
                          launcher_args=extra)

    def test_listing_matches_the_folder(self):
        status, out, err = self.boot(self.cpio)
        self.assertEqual(status, 0, out + err)
        self.assertEqual(listing(out), expected(self.tree), out)
        self.assertRegex(out, r"initrd: 4 files \(307242 bytes\), 10 "
                         r"directories, 2 symlinks unpacked into /")

    def test_dev_is_mounted(self):
        status, out, err = self.boot(self.cpio)
        for dev in ("null", "zero", "full", "random", "urandom"):
            self.assertIn("C 0666 /dev/%s" % dev, out)
        self.assertIn("C 0600 /dev/console", out)

    def test_a_cut_archive_names_the_entry_and_boots_with_the_rest(self):
        data = open(self.cpio, "rb").read()
        at = data.index(b"var/blob.bin")          # inside its data
        cut = os.path.join(self.tmp, "cut.cpio")
        with open(cut, "wb") as f:
            f.write(data[:at + 5000])
        status, out, err = self.boot(cut)
        self.assertEqual(status, 0, out + err)
        self.assertRegex(out, r"ERR  initrd: corrupt archive: entry \d+ "
                         r"'var/blob.bin' \(offset \d+\): file data cut "
                         r"short: \d+ of 307207 bytes left in the archive; "
                         r"keeping the \d+ entries before it")
        got = listing(out)
        self.assertIn("F 0644 15 %08x /etc/hello.txt"
                      % zlib.crc32(b"Hello, initrd.\n"), got)
        self.assertFalse([l for l in got if l.endswith(" /var/blob.bin")],
                         got)

    def test_a_compressed_archive_says_so(self):
        gz = os.path.join(self.tmp, "tree.cpio.gz")
        with open(self.cpio, "rb") as f, gzip.open(gz, "wb") as g:
            g.write(f.read())
        status, out, err = self.boot(gz)
        self.assertEqual(status, 0, out + err)
        self.assertIn("a gzip-compressed file: the initrd must be an "
                      "uncompressed cpio (newc)", out)
        self.assertIn("filels: 7 entries", out)    # /dev and its 6

    def test_garbage_is_not_a_crash(self):
        junk = os.path.join(self.tmp, "junk")
        with open(junk, "wb") as f:
            f.write(b"070701" + b"Z" * 200)
        status, out, err = self.boot(junk)
        self.assertEqual(status, 0, out + err)
        self.assertIn("field 'ino' is not 8 hex digits", out)

    def test_make_run_passes_the_apps_rootfs(self):
        o = os.path.dirname(self.image)
        out = make_run(o)
        src = os.path.join(cairn.ROOT, APP, "rootfs")
        self.assertEqual(listing(out), expected(src), out)
        self.assertTrue(os.path.exists(os.path.join(o, "initrd.cpio")))
        self.assertIn("filels: 7 entries", make_run(o, "INITRD="))

    def test_vfs_mount_from_the_command_line(self):
        status, out, err = self.boot(
            self.cpio, params='vfs.mount="ramfs:/ ramfs:/scratch:size=1M"')
        self.assertEqual(status, 0, out + err)
        self.assertIn("D 0755 /scratch", out)
        self.assertNotIn("/dev/null", out)      # not in this table

    def test_bad_vfs_mount_values_stop_the_image(self):
        for value, msg in (
                ("nfs:/x", "unknown file system type 'nfs' (this image "
                 "has: devfs ramfs)"),
                ("ramfs:tmp", "mount point 'tmp' must be an absolute path"),
                ("ramfs:/a/../b", "mount point '/a/../b' must be"),
                ("ramfs:/t:size=big", "ramfs on /t: bad size 'big'"),
                ("ramfs:/t:uid=0", "ramfs on /t: unknown option 'uid=0'"),
                ("ramfs", "'ramfs' is not FSTYPE:PATH[:OPTIONS]"),
                ("devfs:/dev:mode=1", "devfs on /dev: devfs takes no "
                 "options")):
            status, out, err = self.boot(params="vfs.mount=" + value)
            self.assertEqual(status, 64, "%s: %s" % (value, out + err))
            self.assertIn("vfs.mount: " + msg, out, value)
            self.assertIn("parameter vfs.mount: invalid value", out)


class InitrdVariants(unittest.TestCase):
    """A required initrd (the parameter; LIB_INITRD_REQUIRED sets its
    default), a linked-in one (LIB_INITRD_EMBED)."""
    plat = None

    def test_a_required_initrd_stops_the_image_when_missing_or_corrupt(self):
        image = build(APP, "files-ls", plat=self.plat)
        status, out, err = cairn.boot(image, timeout=30,
                                      params="initrd.required=1")
        self.assertEqual(status, 65, out + err)
        self.assertIn("no initrd (QEMU -initrd FILE", out)
        self.assertIn("stopping with status 65", out)
        self.assertNotIn("filels:", out)
        with tempfile.TemporaryDirectory() as d:
            bad = os.path.join(d, "bad.cpio")
            with open(bad, "wb") as f:
                f.write(b"not an archive at all")
            status, out, err = cairn.boot(image, timeout=30,
                                          params="initrd.required=1",
                                          launcher_args=["--initrd", bad])
        self.assertEqual(status, 65, out + err)
        self.assertIn("the initrd is corrupt; the initrd is required", out)

    def test_a_linked_in_initrd(self):
        image = build(APP, "files-ls-embed", ["CONFIG_LIB_INITRD_EMBED=y",
                                              "CONFIG_LIB_INITRD_REQUIRED=y"],
                      plat=self.plat)
        status, out, err = cairn.boot(image, timeout=30)
        self.assertEqual(status, 0, out + err)
        src = os.path.join(cairn.ROOT, APP, "rootfs")
        self.assertEqual(listing(out), expected(src), out)


class Mkinitrd(unittest.TestCase):
    def test_reproducible_and_sorted(self):
        with tempfile.TemporaryDirectory() as d:
            tree = os.path.join(d, "t")
            make_tree(tree)
            a = pack(tree, os.path.join(d, "a.cpio"))
            os.utime(os.path.join(tree, "etc", "hello.txt"), (1, 1))
            os.chmod(os.path.join(tree, "var", "blob.bin"), 0o600)
            b = pack(tree, os.path.join(d, "b.cpio"))
            self.assertEqual(open(a, "rb").read(), open(b, "rb").read())
            names = subprocess.run([cairn.PYTHON, MKINITRD, "--list", a],
                                   capture_output=True, text=True,
                                   check=True).stdout.split()[2::3]
            self.assertEqual(names[:3], ["deep", "deep/a", "deep/a/b"])
            self.assertEqual(names, sorted(names, key=lambda n:
                                           n.split("/")))
            c = pack(tree, os.path.join(d, "c.cpio"), "--keep-mtimes")
            self.assertNotEqual(open(a, "rb").read(), open(c, "rb").read())

    def test_a_missing_folder_is_an_error(self):
        p = subprocess.run([cairn.PYTHON, MKINITRD, "/nonexistent/x",
                            "/tmp/never.cpio"], capture_output=True,
                           text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("/nonexistent/x is not a folder", p.stderr)


class BigFiles(unittest.TestCase):
    def test_64mib_file_in_the_unit_image(self):
        """The unit image's ramfs cases with the memory for 64 MiB."""
        image = cairn.build("tests/apps/unit", "unit")
        status, out, err = cairn.boot(image, params="test.filter=ramfs.",
                                      mem="256M", timeout=120)
        self.assertEqual(status, 0, out + err)
        self.assertIn("# ramfs: 64 MiB file written and checked", out)
        self.assertNotIn("skipped", out)
        self.assertRegex(out, r"(?m)^\d+ passed, 0 failed$")


class RandomSources(unittest.TestCase):
    """/dev/urandom keyed from the CPU's generator through the arch hook
    cn_arch_random_u64(), and the clock-jitter fallback, with its warning,
    on a CPU without RDRAND and RDSEED."""

    WARNING = "no hardware entropy source"

    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build("tests/apps/unit", "unit")

    def run_devfs_cases(self, cpu=None):
        status, out, err = cairn.boot(
            self.image, params="test.filter=devfs", timeout=120,
            launcher_args=(["--cpu", cpu] if cpu else []))
        self.assertEqual(status, 0, out[-2000:] + err)
        self.assertRegex(out, r"\nok \d+ devfs\.urandom_gives_different_bytes\n")
        self.assertRegex(out, r"\n[1-9]\d* passed, 0 failed\n")
        return out

    def test_the_cpus_generator_when_it_has_one(self):
        self.assertNotIn(self.WARNING, self.run_devfs_cases())

    def test_clock_jitter_with_a_warning_without_one(self):
        out = self.run_devfs_cases(cpu="max,-rdrand,-rdseed")
        self.assertIn(self.WARNING, out)
