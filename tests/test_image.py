# SPDX-License-Identifier: BSD-3-Clause
"""Boot protocols and bootable images (issue 21).

Multiboot1: QEMU's own -kernel loader boots the image's flat copy (.mb)
with a command line and an initrd module. Multiboot2 and the disk images:
`make image` builds an ISO and a raw GPT disk with GRUB, booted under
SeaBIOS and OVMF side by side.
"""
import http.client
import os
import shutil
import struct
import subprocess
import re
import tempfile
import time
import unittest
import zlib

import cairn
from test_net import free_port

MKINITRD = os.path.join(cairn.ROOT, "support", "mkinitrd.py")
MB1_MAGIC, MB2_MAGIC = 0x1BADB002, 0xE85250D6
# filels with a disk and FAT: the same build serves the Multiboot1 cases
# and the disk images' rootfs partition.
FILELS = ("tests/apps/filels", "image-filels", [
    "CONFIG_DRV_VIRTIO=y", "CONFIG_DRV_VIRTIO_PCI=y",
    "CONFIG_DRV_VIRTIO_BLK=y", "CONFIG_LIB_FATFS=y"])
# OVMF under TCG on a loaded machine takes minutes to reach GRUB.
BOOT_TIMEOUT = 400


def header_offsets(data, magic, limit, step):
    """Offsets of the headers with magic and a good checksum (Multiboot1:
    magic + flags + checksum; Multiboot2: magic + arch + length +
    checksum) in the first limit bytes."""
    found = []
    for off in range(0, min(len(data), limit) - 16, step):
        words = struct.unpack_from("<IIII", data, off)
        if words[0] != magic:
            continue
        n = 3 if magic == MB1_MAGIC else 4
        if sum(words[:n]) & 0xFFFFFFFF == 0:
            found.append(off)
    return found


class Multiboot1(unittest.TestCase):
    """QEMU -kernel takes the flat copy as a Multiboot1 kernel (the a.out
    kludge header: QEMU refuses ELF64 Multiboot kernels) and the ELF by
    its PVH note: one build, both protocols."""

    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build(*FILELS)
        cls.tmp = tempfile.mkdtemp(prefix="cairn-mb-")
        tree = os.path.join(cls.tmp, "tree")
        os.makedirs(os.path.join(tree, "etc"))
        cls.data = b"loaded as a Multiboot module\n"
        with open(os.path.join(tree, "etc", "mb.txt"), "wb") as f:
            f.write(cls.data)
        cls.cpio = os.path.join(cls.tmp, "tree.cpio")
        subprocess.run([cairn.PYTHON, MKINITRD, "--quiet", tree, cls.cpio],
                       check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_qemu_boots_the_flat_copy_through_multiboot1(self):
        status, out, err = cairn.boot(
            self.image + ".mb", params="log.level=debug", args="/etc",
            launcher_args=["--initrd", self.cpio])
        self.assertEqual(status, 0, out + err)
        self.assertIn("DBG  core: booted through multiboot\n", out)
        # QEMU puts the file name first; the platform drops it.
        self.assertIn('DBG  core: command line "log.level=debug -- /etc"',
                      out)
        self.assertRegex(out, r"DBG  core: initrd 0x[0-9a-f]+, \d+ bytes")
        self.assertIn("F 0644 %d %08x /etc/mb.txt"
                      % (len(self.data), zlib.crc32(self.data)), out)

    def test_the_elf_still_boots_through_pvh(self):
        status, out, err = cairn.boot(self.image, params="log.level=debug",
                                      args="/etc", launcher_args=[
                                          "--initrd", self.cpio])
        self.assertEqual(status, 0, out + err)
        self.assertIn("DBG  core: booted through pvh\n", out)
        self.assertIn("/etc/mb.txt", out)

    def test_headers_where_each_loader_looks(self):
        elf = open(self.image, "rb").read()
        flat = open(self.image + ".mb", "rb").read()
        # The ELF: a Multiboot2 header for GRUB (first 32 KiB), no
        # Multiboot1 header where QEMU would find it (first 8 KiB).
        self.assertEqual(len(header_offsets(elf, MB2_MAGIC, 32768, 8)), 1)
        self.assertEqual(header_offsets(elf, MB1_MAGIC, 8192, 4), [])
        self.assertEqual(header_offsets(flat, MB1_MAGIC, 8192, 4), [0x1000])

    def test_a_file_that_is_no_image_is_refused(self):
        bad = os.path.join(self.tmp, "not-an-image")
        with open(bad, "wb") as f:
            f.write(b"\0" * 16384)
        p = cairn.launcher("--kernel", bad, "--timeout", "10")
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertIn("is not a 64-bit ELF image, an arm64 Image nor a flat "
                      "Multiboot1 image", p.stderr)


class BootGuest(cairn.Background):
    """A bootable ISO or disk running in the background (qemu.py
    --boot-image), its console collected."""

    def __init__(self, image, firmware, launcher_args=()):
        super().__init__([
            cairn.PYTHON, os.path.join(cairn.ROOT, "support", "qemu.py"),
            "--boot-image", image, "--firmware", firmware, "--snapshot",
            "--timeout", str(BOOT_TIMEOUT)] + list(launcher_args))


def make_image(o, app, fmt, out, *extra):
    cairn.make("APP=" + app, "image", "FORMAT=" + fmt, "OUT=" + out,
               *extra, o=o)
    return out


class Images(unittest.TestCase):
    """make image: filels packed as an ISO and as a disk (raw, and
    converted to qcow2), each booted by GRUB under SeaBIOS and under
    OVMF, all four side by side: the greeting (the listing), the exit
    status through isa-debug-exit, and on the disks the FAT rootfs
    partition mounted at /data."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cairn-images-")
        o = os.path.dirname(cairn.build(*FILELS))
        t = os.path.join
        iso = make_image(o, FILELS[0], "iso", t(cls.tmp, "filels.iso"),
                         "ARGS=/etc")
        raw = make_image(o, FILELS[0], "raw", t(cls.tmp, "filels.img"),
                         "ARGS=/data")
        qcow2 = make_image(o, FILELS[0], "qcow2", t(cls.tmp, "filels.qcow2"),
                           "ARGS=/data")
        cls.guests = {("iso", fw): BootGuest(iso, fw)
                      for fw in ("seabios", "ovmf")}
        cls.guests["raw", "seabios"] = BootGuest(raw, "seabios")
        cls.guests["qcow2", "ovmf"] = BootGuest(qcow2, "ovmf")
        with open(os.path.join(cairn.ROOT, FILELS[0], "rootfs", "etc",
                               "hello.txt"), "rb") as f:
            cls.hello = f.read()

    @classmethod
    def tearDownClass(cls):
        for g in cls.guests.values():
            g.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def finished(self, key):
        g = self.guests[key]
        end = time.time() + BOOT_TIMEOUT + 30
        while g.proc.poll() is None and time.time() < end:
            time.sleep(0.2)
        out = g.stop()
        self.assertEqual(g.proc.returncode, 0, out[-3000:])
        return out

    def listed(self, out, path):
        self.assertRegex(out, r"(?im)F 0[0-7]{3} %d %08x %s\r?$" % (
            len(self.hello), zlib.crc32(self.hello), re.escape(path)))

    def test_iso_under_seabios(self):
        # GRUB's module is the initrd: its /etc/hello.txt, argv from
        # grub.cfg.
        out = self.finished(("iso", "seabios"))
        self.assertNotIn("ERR ", out)
        self.listed(out, "/etc/hello.txt")

    def test_iso_under_ovmf(self):
        out = self.finished(("iso", "ovmf"))
        self.assertNotIn("ERR ", out)
        self.listed(out, "/etc/hello.txt")

    def check_disk(self, key):
        # Partition 3 (FAT, the app's rootfs/) mounted at /data. filels's
        # initrd also has a /data with a symlink, which FAT cannot hold:
        # that one entry is reported and skipped.
        out = self.finished(key)
        self.assertIn("INFO blkdev: blk0p3: partition 3 of blk0", out)
        self.assertRegex(out, r"INFO fatfs: blk0p3: FAT1[26], ")
        self.assertEqual(re.findall(r"ERR .*", out), [
            "ERR  initrd: entry 4 'data/hello-link': cannot make it: -1 "
            "(EPERM); skipped"])
        self.listed(out, "/data/etc/hello.txt")

    def test_raw_disk_under_seabios(self):
        self.check_disk(("raw", "seabios"))

    def test_qcow2_disk_under_ovmf(self):
        self.check_disk(("qcow2", "ovmf"))


class IsoHttpd(unittest.TestCase):
    """httpd's ISO under SeaBIOS answers through QEMU user networking
    (the image test_httpd.py builds, shared within a run)."""

    def test_iso_serves_http(self):
        tmp = tempfile.mkdtemp(prefix="cairn-isohttpd-")
        self.addCleanup(shutil.rmtree, tmp, True)
        httpd = cairn.build("apps/httpd", "httpd")
        iso = make_image(os.path.dirname(httpd), "apps/httpd", "iso",
                         os.path.join(tmp, "httpd.iso"), "ARGS=")
        port = free_port()
        g = BootGuest(iso, "seabios", ("--net", "user", "--hostfwd",
                                       "tcp:127.0.0.1:%d-:80" % port))
        self.addCleanup(g.stop)
        g.wait_for(r"httpd: serving /www on port 80", BOOT_TIMEOUT)
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        c.request("GET", "/")
        r = c.getresponse()
        body = r.read()
        c.close()
        self.assertEqual(r.status, 200)
        with open(os.path.join(cairn.ROOT, "apps", "httpd", "rootfs", "www",
                               "index.html"), "rb") as f:
            self.assertEqual(body, f.read())


class ImageErrors(unittest.TestCase):
    """Bad FORMAT and bad launcher options: one clear line, no boot."""

    def test_unknown_format(self):
        o = os.path.dirname(cairn.build(*FILELS))
        p = cairn.make("APP=" + FILELS[0], "image", "FORMAT=floppy",
                       o=o, check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("cairn: error: FORMAT=floppy: not a format make image "
                      "writes (one of iso, raw, qcow2, vmdk, vdi)", p.stderr)

    def test_boot_image_with_a_kernel(self):
        p = cairn.launcher("--boot-image", "x.iso", "--kernel", "k")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("no --kernel, --initrd, --params, --args or --share",
                      p.stderr)

    def test_firmware_without_boot_image(self):
        p = cairn.launcher("--kernel", "k", "--firmware", "ovmf")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("cairn: error: --firmware ovmf needs --boot-image",
                      p.stderr)
