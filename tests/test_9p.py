# SPDX-License-Identifier: BSD-3-Clause
"""Host folders over virtio-9p (drivers/virtio-9p, lib/9pfs) as a user sees
them: tests/apps/ninep runs file operations on a folder shared with
support/qemu.py --share (make run SHARE=), and each case checks what the
guest printed and what the host folder holds afterwards, or prepares the
folder on the host and checks what the guest reads. Also: errno values,
a read-only share, the folder removed under a running guest, mount
options, the launcher's --share checks and make run SHARE=, httpd
serving a shared folder with an edit made while it runs, virtio-mmio
(microvm) and arm64.

One ninep image per platform is built for the whole module; guests that
do not depend on each other boot side by side.
"""
import concurrent.futures
import os
import re
import shutil
import tempfile
import unittest
import urllib.request
import zlib

import cairn
from test_net import Guest, free_port

APP = "tests/apps/ninep"


def pattern(n):
    """ninep's fill pattern (byte i = i*131 + (i >> 9))."""
    return bytes(((i * 131) + (i >> 9)) & 0xff for i in range(n))


def results(out):
    """[(op, result)] from ninep's '> op' / '= ...' or '! ENAME' lines."""
    pairs, op = [], None
    for line in out.splitlines():
        if line.startswith("> "):
            op = line[2:]
        elif op is not None and line[:2] in ("= ", "! "):
            pairs.append((op, line))
            op = None
    return pairs


class NinepBase(unittest.TestCase):
    plat = None
    machine = None

    @classmethod
    def setUpClass(cls):
        name = "ninep" + ("-" + cls.plat if cls.plat else "")
        cls.image = cairn.build(APP, name, plat=cls.plat)

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cairn-9p-")
        self.share = os.path.join(self.tmp, "share")
        os.mkdir(self.share)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_ops(self, ops, share=None, params="", timeout=60):
        """Boots ninep with the share and ops; returns (results, output)."""
        spec = share or self.share + ":/share"
        status, out, err = cairn.boot(
            self.image, machine=self.machine, params=params,
            args=" ".join('"%s"' % o for o in ops), timeout=timeout,
            launcher_args=("--share", spec))
        self.assertEqual(status, 0, out[-3000:] + err[-2000:])
        self.assertIn("ninep: done", out)
        got = results(out)
        self.assertEqual([o for o, _ in got], ops, out[-3000:])
        return dict(got), out

    def host(self, *p):
        return os.path.join(self.share, *p)


class Ninep9p(NinepBase):
    def test_guest_changes_are_on_the_host(self):
        ops = ["write /share/a.txt hello", "append /share/a.txt +more",
               "mkdir /share/dir", "write /share/dir/b.txt bee",
               "mv /share/dir/b.txt /share/dir/c.txt",
               "symlink dir/c.txt /share/lnk", "link /share/a.txt /share/hard",
               "fill /share/big 1000000", "write /share/gone x",
               "rm /share/gone", "mkdir /share/empty", "rmdir /share/empty",
               "write /share/short 0123456789", "truncate /share/short 4",
               "chmod /share/short 600", "fsync /share/short"]
        got, out = self.run_ops(ops)
        for op in ops:
            self.assertTrue(got[op].startswith("= "), "%s: %s" % (op, got[op]))
        self.assertEqual(open(self.host("a.txt")).read(), "hello+more")
        self.assertEqual(open(self.host("dir", "c.txt")).read(), "bee")
        self.assertFalse(os.path.exists(self.host("dir", "b.txt")))
        self.assertEqual(os.readlink(self.host("lnk")), "dir/c.txt")
        self.assertEqual(os.stat(self.host("hard")).st_ino,
                         os.stat(self.host("a.txt")).st_ino)
        data = open(self.host("big"), "rb").read()
        self.assertEqual(data, pattern(1000000))
        self.assertEqual(got["fill /share/big 1000000"],
                         "= 1000000 %08x" % zlib.crc32(data))
        self.assertFalse(os.path.exists(self.host("gone")))
        self.assertFalse(os.path.exists(self.host("empty")))
        self.assertEqual(open(self.host("short")).read(), "0123")
        self.assertEqual(os.stat(self.host("short")).st_mode & 0o777, 0o600)

    def traced(self, ops, name):
        """run_ops with QEMU's 9P server tracing what it is asked: the
        results and {request kind: count}."""
        log = os.path.join(self.tmp, name + ".trace")
        spec = self.share + ":/share"
        status, out, err = cairn.boot(
            self.image, machine=self.machine,
            args=" ".join('"%s"' % o for o in ops), timeout=90,
            launcher_args=("--share", spec, "--extra",
                           "-trace v9fs_* -D %s" % log))
        self.assertEqual(status, 0, out[-3000:] + err[-2000:])
        got = dict(results(out))
        self.assertEqual(sorted(got), sorted(ops), out[-3000:])
        kinds = {}
        with open(log) as f:
            for m in re.finditer(r"\bv9fs_([a-z]+) ", f.read()):
                if not m.group(1).endswith("return") and \
                        m.group(1) not in ("rerror", "rcancel"):
                    kinds[m.group(1)] = kinds.get(m.group(1), 0) + 1
        return got, kinds

    def test_few_round_trips_per_operation(self):
        """What QEMU's 9P server is asked (its trace: requests, not
        replies; it has no trace point for Tunlinkat), minus what a boot
        that only lists the folder asks: creating a file (with one
        write), closing and removing it costs 7 traced requests besides
        the Twrite (a created file's vnode uses the fid Tlcreate opened:
        no walk back, no Tgetattr; lookups take the type from the walk's
        qid: no Tgetattr), and a 1 MiB file read in 256 KiB read()s
        costs one Tread per read() (msize 512 KiB). The old code asked
        11 and 12 + 1."""
        with open(self.host("big"), "wb") as f:
            f.write(pattern(1 << 20))
        base = ["ls /share"]
        ops = base + ["excl /share/new x", "rm /share/new"]
        reads = base + ["sum /share/big"]
        with concurrent.futures.ThreadPoolExecutor(3) as ex:
            b, c, r = ex.map(lambda a: self.traced(*a),
                             [(base, "base"), (ops, "create"),
                              (reads, "read")])
        diff = {k: c[1].get(k, 0) - b[1].get(k, 0)
                for k in set(c[1]) | set(b[1])}
        self.assertEqual(c[0]["rm /share/new"], "= 0", c[0])
        self.assertFalse(os.path.exists(self.host("new")))
        # walk, walk (both ENOENT: lib/vfs looks twice), walk (clone),
        # lcreate, (write), clunk; walk, (unlinkat), clunk
        self.assertEqual(diff.get("getattr", 0), 0, diff)
        self.assertLessEqual(sum(v for k, v in diff.items()
                                 if k != "write"), 7, diff)
        self.assertEqual(r[0]["sum /share/big"],
                         "= 1048576 %08x" % zlib.crc32(pattern(1 << 20)))
        # 4 reads of 256 KiB and the one that finds the end
        self.assertEqual(r[1].get("read", 0) - b[1].get("read", 0), 5, r[1])

    def loose_args(self, trace=None):
        """params and launcher options that share self.share at /share
        with cache=loose (the launcher's --share mounts without
        options), optionally tracing QEMU's 9P server into trace."""
        dev = ("-fsdev local,id=fsdev0,path=%s,security_model=none "
               "-device %s,fsdev=fsdev0,mount_tag=share0"
               % (self.share, "virtio-9p-device" if self.machine ==
                  "microvm" else "virtio-9p-pci"))
        if trace:
            dev += " -trace v9fs_* -D %s" % trace
        return ('vfs.mount="ramfs:/ 9p:/share:tag=share0,cache=loose"',
                ["--extra", dev] +
                (["--machine", self.machine] if self.machine else []))

    def test_cache_loose_gathers_small_writes_and_reads(self):
        """cache=loose: 1 MiB written in 4 KiB write()s goes out as 3
        Twrites (windows of msize - 24 bytes), and read back in 4 KiB
        read()s as 3 Treads and the one that finds the end, where
        cache=none (the old and default behaviour) sends 256 and 257;
        the data is on the host after close, and stat counts held
        writes."""
        log = os.path.join(self.tmp, "loose.trace")
        params, extra = self.loose_args(log)
        ops = ["fill4k /share/w 1048576", "sum4k /share/w",
               "fill4k /share/s 10000", "stat /share/s"]
        status, out, err = cairn.boot(self.image, params=params,
                                      args=" ".join('"%s"' % o for o in ops),
                                      timeout=90, launcher_args=extra)
        self.assertEqual(status, 0, out[-3000:] + err[-2000:])
        self.assertIn("cache=loose", out)
        got = dict(results(out))
        crc = "%08x" % zlib.crc32(pattern(1 << 20))
        self.assertEqual(got["fill4k /share/w 1048576"], "= 1048576 " + crc)
        self.assertEqual(got["sum4k /share/w"], "= 1048576 " + crc)
        self.assertEqual(got["stat /share/s"], "= file 0644 10000")
        self.assertEqual(open(self.host("w"), "rb").read(), pattern(1 << 20))
        self.assertEqual(open(self.host("s"), "rb").read(), pattern(10000))
        with open(log) as f:
            trace = f.read()
        writes = len(re.findall(r"\bv9fs_write ", trace))
        reads = len(re.findall(r"\bv9fs_read ", trace))
        self.assertLessEqual(writes, 3 + 1, trace[-2000:])   # + /share/s
        self.assertLessEqual(reads, 4, trace[-2000:])

    def test_cache_loose_writes_back_at_exit_and_follows_its_rules(self):
        """cache=loose: a file never closed is on the host after the
        image exits; a host edit of a file open in the guest is not seen
        through the window read before it (the documented rule), and is
        seen once the file was closed and opened again."""
        with open(self.host("f"), "w") as f:
            f.write("old contents")
        with open(self.host("flag"), "w") as f:
            f.write("x")
        params, extra = self.loose_args()
        ops = ["keep /share/k kept-data", "hold /share/f",
               "waitgone /share/flag", "reread", "release",
               "hold /share/f", "release"]
        g = Guest(self.image, args=" ".join('"%s"' % o for o in ops),
                  params=params, launcher_args=extra, timeout=90)
        try:
            g.wait_for(r"(?m)^waiting$", timeout=60)
            with open(self.host("f"), "w") as f:
                f.write("new contents")
            os.unlink(self.host("flag"))
            g.proc.wait(timeout=60)
        finally:
            out = g.stop()
        self.assertEqual(g.proc.returncode, 0, out[-3000:])
        pairs = results(out)
        self.assertEqual([p[1] for p in pairs],
                         ["= 9", "= old contents", "= gone",
                          "= old contents", "= 0", "= new contents", "= 0"],
                         out[-3000:])
        self.assertEqual(open(self.host("k")).read(), "kept-data")

    def test_host_files_are_seen_in_the_guest(self):
        os.makedirs(self.host("etc", "conf.d"))
        with open(self.host("etc", "hello.txt"), "w") as f:
            f.write("Hello, 9p.")
        blob = bytes((i * 7 + (i >> 11)) & 0xff for i in range(700001))
        with open(self.host("blob.bin"), "wb") as f:
            f.write(blob)
        os.symlink("etc/hello.txt", self.host("hello"))
        os.chmod(self.host("etc", "hello.txt"), 0o640)
        for i in range(300):            # several Rreaddir replies
            open(self.host("etc", "conf.d", "file-%03d" % i), "w").close()
        ops = ["ls /share", "ls /share/etc", "cat /share/etc/hello.txt",
               "stat /share/etc/hello.txt", "stat /share/etc",
               "stat /share/hello", "readlink /share/hello",
               "cat /share/hello", "sum /share/blob.bin",
               "ls /share/etc/conf.d", "cd /share/etc", "cat hello.txt",
               "cat ../../share/hello"]
        got, _ = self.run_ops(ops)
        self.assertEqual(got["ls /share"], "= ../ ./ blob.bin etc/ hello@")
        self.assertEqual(got["ls /share/etc"], "= ../ ./ conf.d/ hello.txt")
        self.assertEqual(got["cat /share/etc/hello.txt"], "= Hello, 9p.")
        self.assertEqual(got["stat /share/etc/hello.txt"], "= file 0640 10")
        self.assertTrue(got["stat /share/etc"].startswith("= dir 0755 "))
        self.assertEqual(got["stat /share/hello"], "= link 0777 13")
        self.assertEqual(got["readlink /share/hello"], "= etc/hello.txt")
        self.assertEqual(got["cat /share/hello"], "= Hello, 9p.")
        self.assertEqual(got["sum /share/blob.bin"],
                         "= %d %08x" % (len(blob), zlib.crc32(blob)))
        names = got["ls /share/etc/conf.d"][2:].split()
        self.assertEqual(names, ["../", "./"] +
                         ["file-%03d" % i for i in range(300)])
        self.assertEqual(got["cat hello.txt"], "= Hello, 9p.")
        self.assertEqual(got["cat ../../share/hello"], "= Hello, 9p.")

    def test_errno_values_are_linux_ones(self):
        os.mkdir(self.host("full"))
        open(self.host("full", "f"), "w").close()
        open(self.host("file"), "w").close()
        ops = ["cat /share/missing", "excl /share/file x",
               "rmdir /share/full", "rm /share/full", "mkdir /share/file",
               "cat /share/file/x", "write /share/no/such x",
               "mv /share/file /tmpfile", "rmdir /share/file",
               "readlink /share/file", "cat /share/full"]
        got, _ = self.run_ops(ops)
        want = {"cat /share/missing": "! ENOENT",
                "excl /share/file x": "! EEXIST",
                "rmdir /share/full": "! ENOTEMPTY",
                "rm /share/full": "! EISDIR",
                "mkdir /share/file": "! EEXIST",
                "cat /share/file/x": "! ENOTDIR",
                "write /share/no/such x": "! ENOENT",
                "mv /share/file /tmpfile": "! EXDEV",
                "rmdir /share/file": "! ENOTDIR",
                "readlink /share/file": "! EINVAL",
                "cat /share/full": "! EISDIR"}
        self.assertEqual(got, want)
        self.assertTrue(os.path.isfile(self.host("full", "f")))

    def test_read_only_share_refuses_writes(self):
        with open(self.host("a"), "w") as f:
            f.write("kept")
        ops = ["cat /share/a", "write /share/a new", "write /share/b new",
               "mkdir /share/d", "rm /share/a"]
        got, _ = self.run_ops(ops, share=self.share + ":/share,ro")
        self.assertEqual(got["cat /share/a"], "= kept")
        for op in ops[1:]:
            self.assertEqual(got[op], "! EROFS", op)
        self.assertEqual(open(self.host("a")).read(), "kept")
        self.assertEqual(sorted(os.listdir(self.share)), ["a"])

    def test_folder_removed_under_a_running_guest(self):
        os.makedirs(self.host("sub"))
        for n in ("flag", "x"):
            with open(self.host("sub", n), "w") as f:
                f.write(n)
        ops = ["cd /share/sub", "cat x", "waitgone flag", "cat x", "ls .",
               "write y new", "cat /share/sub/x", "ls /share"]
        g = Guest(self.image, args=" ".join('"%s"' % o for o in ops),
                  launcher_args=["--share", self.share + ":/share"] +
                  (["--machine", self.machine] if self.machine else []),
                  timeout=90)
        try:
            g.wait_for(r"(?m)^waiting$", timeout=60)
            shutil.rmtree(self.host("sub"))
            g.proc.wait(timeout=60)
        finally:
            out = g.stop()
        self.assertEqual(g.proc.returncode, 0, out[-3000:])
        pairs = results(out)
        self.assertEqual(pairs[1], ("cat x", "= x"), out[-3000:])
        self.assertEqual(pairs[3], ("cat x", "! ENOENT"), out[-3000:])
        got = dict(pairs)
        self.assertEqual(got["waitgone flag"], "= gone")
        self.assertEqual(got["ls ."], "! ENOENT")
        self.assertEqual(got["write y new"], "! ENOENT")
        self.assertEqual(got["cat /share/sub/x"], "! ENOENT")
        self.assertEqual(got["ls /share"], "= ../ ./")

    def test_mount_errors_are_clear(self):
        status, out, _ = cairn.boot(
            self.image, machine=self.machine, timeout=60,
            params='vfs.mount="ramfs:/ devfs:/dev 9p:/x:tag=nope"',
            args='"ls /"')
        self.assertEqual(status, 0, out[-3000:])
        self.assertIn("no 9p device with mount tag 'nope'", out)
        self.assertIn("mount 9p on /x failed: -19 (ENODEV)", out)
        status, out, _ = cairn.boot(
            self.image, machine=self.machine, timeout=60,
            params='vfs.mount="ramfs:/ 9p:/x"', args='"ls /"')
        self.assertNotEqual(status, 0)
        self.assertIn("tag=NAME is required", out)
        self.assertNotIn("ninep: done", out)


class NinepMicrovm(NinepBase):
    """The same driver over virtio-mmio."""
    machine = "microvm"

    def test_read_and_write_over_mmio(self):
        with open(self.host("in"), "w") as f:
            f.write("from host")
        got, _ = self.run_ops(["cat /share/in", "write /share/out guest",
                               "fill /share/big 300000", "ls /share"])
        self.assertEqual(got["cat /share/in"], "= from host")
        self.assertEqual(open(self.host("out")).read(), "guest")
        self.assertEqual(open(self.host("big"), "rb").read(),
                         pattern(300000))
        self.assertEqual(got["ls /share"], "= ../ ./ big in out")


class NinepPoll(unittest.TestCase):
    """drivers/virtio-9p without a scheduler (wait_poll.c: the caller
    polls the used ring and the device is asked not to interrupt), with
    cache=loose as the menu's default: apps/bench-files, the program
    make bench-files runs, on a shared folder, small."""

    def test_polling_image_with_cache_loose_by_default(self):
        image = cairn.build("apps/bench-files", "bench-files-9p-loose", [
            "CONFIG_DRV_VIRTIO=y", "CONFIG_DRV_VIRTIO_PCI=y",
            "CONFIG_DRV_VIRTIO_9P=y", "CONFIG_LIB_9PFS_CACHE_LOOSE=y"])
        with tempfile.TemporaryDirectory(prefix="cairn-9p-") as d:
            status, out, err = cairn.boot(
                image, args="/share 1 1 20 sync", timeout=120,
                launcher_args=("--share", d + ":/share"))
            left = os.listdir(d)
        self.assertEqual(status, 0, out[-3000:] + err[-2000:])
        self.assertIn("cache=loose", out)
        for key in ("write_4k_MBps", "read_4k_MBps", "write_1m_MBps",
                    "read_1m_MBps", "create_unlink_per_s"):
            self.assertRegex(out, r"(?m)^%s: [0-9.]+$" % key, out[-3000:])
        self.assertEqual(left, [], "filebench removes what it made")


class ShareLauncher(unittest.TestCase):
    """support/qemu.py --share without booting (--print)."""

    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build(APP, "ninep")
        cls.tmp = tempfile.mkdtemp(prefix="cairn-9p-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_print_has_the_device_and_the_mounts(self):
        p = cairn.launcher("--kernel", self.image, "--print", "--share",
                           self.tmp, "--share", self.tmp + ":/www,ro",
                           "--machine", "microvm")
        self.assertEqual(p.returncode, 0, p.stderr)
        cmd = p.stdout
        self.assertIn("-fsdev local,id=fsdev0,path=%s,security_model=none "
                      % self.tmp, cmd)
        self.assertIn("virtio-9p-device,fsdev=fsdev1,mount_tag=share1", cmd)
        self.assertIn("readonly=on", cmd)
        # The image's own table first, then one word per share.
        self.assertIn("vfs.mount=\"ramfs:/ devfs:/dev\" "
                      "vfs.mount=9p:/share:tag=share0 "
                      "vfs.mount=9p:/www:tag=share1,ro", cmd)

    def test_user_mounts_are_kept(self):
        p = cairn.launcher("--kernel", self.image, "--print", "--share",
                           self.tmp, "--params=vfs.mount=ramfs:/")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("vfs.mount=ramfs:/ vfs.mount=9p:/share:tag=share0",
                      p.stdout)
        self.assertIn("virtio-9p-pci", p.stdout)

    def test_bad_shares_are_refused(self):
        for spec, msg in [
                (self.tmp + "/nope", "is not a folder"),
                (self.tmp + ":relative", "the guest path must be absolute"),
                (self.tmp + ":/", "the guest path must be absolute"),
                (self.tmp + ":/a/../b", "the guest path must be absolute")]:
            p = cairn.launcher("--kernel", self.image, "--print",
                               "--share", spec)
            self.assertEqual(p.returncode, 2, spec)
            self.assertIn(msg, p.stderr, spec)
        p = cairn.launcher("--kernel", self.image, "--print", "--share",
                           self.tmp, "--share", self.tmp)
        self.assertEqual(p.returncode, 2)
        self.assertIn("two shared folders on one guest path", p.stderr)


class MakeRunShare(unittest.TestCase):
    """make run SHARE=: the variable reaches the launcher; an image
    without the driver is told so before QEMU starts."""

    def test_make_run_share(self):
        cairn.build(APP, "ninep")
        tmp = tempfile.mkdtemp(prefix="cairn-9p-")
        self.addCleanup(shutil.rmtree, tmp, True)
        with open(os.path.join(tmp, "hi"), "w") as f:
            f.write("from make")
        p = cairn.make("run", "SHARE=%s:/data" % tmp, "TIMEOUT=60",
                       'ARGS="cat /data/hi" "write /data/back ok"',
                       o=cairn.out_dir("ninep"))
        self.assertIn("> cat /data/hi\n= from make\n", p.stdout)
        self.assertEqual(open(os.path.join(tmp, "back")).read(), "ok")

    def test_image_without_the_driver(self):
        cairn.build("apps/helloworld", "helloworld")
        p = cairn.make("run", "SHARE=%s" % cairn.ROOT, "TIMEOUT=30",
                       o=cairn.out_dir("helloworld"), check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("SHARE= needs the virtio-9p driver", p.stderr)


class HttpdShare(unittest.TestCase):
    """apps/httpd serving a shared folder at /www; an edit on the host is
    what the next request gets."""

    def test_live_edit(self):
        image = cairn.build("apps/httpd", "httpd")
        tmp = tempfile.mkdtemp(prefix="cairn-9p-")
        self.addCleanup(shutil.rmtree, tmp, True)
        with open(os.path.join(tmp, "index.html"), "w") as f:
            f.write("<h1>first</h1>\n")
        port = free_port()
        g = Guest(image, launcher_args=(
            "--net", "user", "--share", tmp + ":/www", "--hostfwd",
            "tcp:127.0.0.1:%d-:80" % port), timeout=120)
        try:
            g.wait_for(r"httpd: serving /www on port 80", timeout=60)
            url = "http://127.0.0.1:%d/" % port
            first = urllib.request.urlopen(url + "index.html",
                                           timeout=20).read()
            with open(os.path.join(tmp, "index.html"), "w") as f:
                f.write("<h1>edited on the host</h1>\n")
            with open(os.path.join(tmp, "new.txt"), "w") as f:
                f.write("added while running\n")
            second = urllib.request.urlopen(url + "index.html",
                                            timeout=20).read()
            added = urllib.request.urlopen(url + "new.txt", timeout=20).read()
        finally:
            out = g.stop()
        self.assertEqual(first, b"<h1>first</h1>\n", out[-2000:])
        self.assertEqual(second, b"<h1>edited on the host</h1>\n")
        self.assertEqual(added, b"added while running\n")


class NinepArm64(NinepBase):
    """arm64 (-M virt): the driver over virtio-mmio from the device tree."""
    plat = "qemu-aarch64"

    def test_read_and_write_on_arm64(self):
        with open(self.host("in"), "w") as f:
            f.write("from host")
        got, _ = self.run_ops(["cat /share/in", "write /share/out guest",
                               "mkdir /share/d", "mv /share/out /share/d/o",
                               "ls /share/d", "rmdir /share/d"])
        self.assertEqual(got["cat /share/in"], "= from host")
        self.assertEqual(got["ls /share/d"], "= ../ ./ o")
        self.assertEqual(got["rmdir /share/d"], "! ENOTEMPTY")
        self.assertEqual(open(self.host("d", "o")).read(), "guest")


if __name__ == "__main__":
    unittest.main()
