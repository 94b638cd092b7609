# SPDX-License-Identifier: BSD-3-Clause
"""Boot protocols and bootable images (issue 21).

Multiboot1: QEMU's own -kernel loader boots the image's flat copy (.mb)
with a command line and an initrd module. Multiboot2 and the disk images:
`make image` builds an ISO and a raw GPT disk with GRUB, booted under
SeaBIOS and OVMF side by side.
"""
import os
import shutil
import struct
import subprocess
import tempfile
import unittest
import zlib

import cairn

MKINITRD = os.path.join(cairn.ROOT, "support", "mkinitrd.py")
MB1_MAGIC, MB2_MAGIC = 0x1BADB002, 0xE85250D6


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
        cls.image = cairn.build("tests/apps/filels", "image-filels")
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
