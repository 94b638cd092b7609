#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Pack a built x86_64 image into a bootable ISO or disk (make image).

  mkimage.py --kernel IMAGE --format iso|raw|qcow2|vmdk|vdi --out FILE
             [--initrd CPIO] [--rootfs FOLDER] [--mount-rootfs]
             [--params TEXT] [--args TEXT] [--name NAME]

GRUB 2 boots the image through Multiboot2 (the ELF as built: its header is
in arch/x86_64/boot.S), with the initrd as its module, under BIOS and UEFI
alike; the kernel command line and the app's arguments are written into
grub.cfg.

iso    grub-mkrescue (xorriso, mtools): El Torito for BIOS, an EFI image
       for UEFI, one file that also boots when written to a disk.
raw    a GPT disk, made without root and without loop devices:
         p1  BIOS boot partition: GRUB's i386-pc core image, which the
             protective MBR's boot code (GRUB's boot.img) loads
         p2  EFI system partition (FAT): EFI/BOOT/BOOTX64.EFI, the image,
             the initrd, boot/grub/grub.cfg
         p3  the app's files (FAT, from --rootfs), which the image mounts
             at /data with --mount-rootfs (vfs.mount=fat:/data:dev=blk0p3)
qcow2, vmdk, vdi
       the raw disk converted by qemu-img.

Only Debian's tools (deps.py image-tools installs them as root on first
use). Errors are one 'cairn: error:' line and status 2.
"""
import argparse
import os
import shlex
import shutil
import struct
import subprocess
import sys
import tempfile
import uuid
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SUPPORT = os.path.dirname(HERE)
FORMATS = ("iso", "raw", "qcow2", "vmdk", "vdi")
SECTOR = 512
MIB = 1 << 20
GRUB_PC = "/usr/lib/grub/i386-pc"
GRUB_EFI = "/usr/lib/grub/x86_64-efi"
# GRUB modules built into the core images (raw disk): reading GPT and FAT,
# the config, Multiboot2, the serial console; all_video lets GRUB set up
# UEFI's framebuffer (GOP) for the image (Multiboot2 framebuffer tag).
GRUB_MODULES = ["part_gpt", "fat", "normal", "configfile", "search",
                "search_fs_file", "multiboot2", "serial", "terminal",
                "echo", "test", "boot", "all_video"]
GRUB_PC_MODULES = ["biosdisk"]
GRUB_EFI_MODULES = []
# grub-mkrescue: only what the ISO needs, for its size.
RESCUE_MODULES = GRUB_MODULES + ["iso9660", "part_msdos"]
BIOS_BOOT_GUID = "21686148-6449-6e6f-744e-656564454649"
ESP_GUID = "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"
DATA_GUID = "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7"
KERNEL_PATH = "/boot/cairn"
INITRD_PATH = "/boot/initrd.cpio"
ROOTFS_MOUNT = "vfs.mount=fat:/data:dev=blk0p3"


class Fail(Exception):
    pass


def run(cmd, env=None):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise Fail("%s failed (%d):\n%s%s" % (" ".join(cmd), p.returncode,
                                              p.stdout[-2000:],
                                              p.stderr[-2000:]))
    return p.stdout


def grub_word(word):
    """One word for GRUB's script parser: single quotes keep it as is."""
    return "'" + word.replace("'", "'\\''") + "'"


def kernel_words(params, args):
    """The command line as words, split by the guest's rules (double
    quotes group, backslash escapes): GRUB joins them again with spaces,
    quoting a word that holds one."""
    try:
        p = shlex.split(params)
        a = shlex.split(args)
    except ValueError as e:
        raise Fail("PARAMS/ARGS: %s" % e)
    return p + ["--"] + a


def grub_cfg(name, params, args, initrd):
    words = " ".join(grub_word(w) for w in kernel_words(params, args))
    lines = [
        "# Written by support/image/mkimage.py (make image).",
        "set timeout=0",
        "set timeout_style=hidden",
        "serial --unit=0 --speed=115200",
        "terminal_input serial console",
        "terminal_output serial console",
        "insmod all_video",
        "menuentry %s {" % grub_word("Cairn " + name),
        "\tmultiboot2 %s %s" % (KERNEL_PATH, words),
    ]
    if initrd:
        lines.append("\tmodule2 %s initrd" % INITRD_PATH)
    lines += ["\tboot", "}", ""]
    return "\n".join(lines)


# GRUB's own early config in the core images of the raw disk: find the
# partition that holds the image, then read its grub.cfg.
EARLY_CFG = """search --no-floppy --set=root --file %s
set prefix=($root)/boot/grub
configfile ($root)/boot/grub/grub.cfg
""" % KERNEL_PATH


def stage(tmp, kernel, initrd, cfg):
    """The files of the boot partition (or ISO) in folder tmp/boot-tree."""
    tree = os.path.join(tmp, "boot-tree")
    os.makedirs(os.path.join(tree, "boot", "grub"))
    shutil.copyfile(kernel, os.path.join(tree, KERNEL_PATH.lstrip("/")))
    if initrd:
        shutil.copyfile(initrd, os.path.join(tree, INITRD_PATH.lstrip("/")))
    with open(os.path.join(tree, "boot", "grub", "grub.cfg"), "w") as f:
        f.write(cfg)
    return tree


def make_iso(tree, out):
    run(["grub-mkrescue", "-o", out, "--locales=", "--fonts=", "--themes=",
         "--install-modules=" + " ".join(RESCUE_MODULES), tree,
         "--", "-volid", "CAIRN"])


def tree_bytes(folder):
    total = 0
    for top, _dirs, files in os.walk(folder):
        for n in files:
            total += os.path.getsize(os.path.join(top, n))
    return total


def fat_volume(path, size, label, src, env):
    """A FAT file system of size bytes in file path, filled from src."""
    with open(path, "wb") as f:
        f.truncate(size)
    run(["mkfs.fat", "-n", label, "-i", "ca1e0002", path,
         str(size // 1024)], env=env)
    names = sorted(os.listdir(src)) if src else []
    if names:
        run(["mcopy", "-s", "-p", "-m", "-Q", "-i", path] +
            [os.path.join(src, n) for n in names] + ["::/"], env=env)


def mib_round(n):
    return (n + MIB - 1) // MIB * MIB


def gpt_tables(total, parts):
    """Protective MBR partition entry and the primary and backup GPT as
    [(offset, bytes)]; parts: [(type guid, first lba, last lba, name)]."""
    entries = b""
    for guid, first, last, name in parts:
        entries += (uuid.UUID(guid).bytes_le + uuid.uuid4().bytes_le +
                    struct.pack("<QQQ", first, last, 0) +
                    name.encode("utf-16-le").ljust(72, b"\0"))
    entries = entries.ljust(128 * 128, b"\0")
    ecrc = zlib.crc32(entries)
    disk_guid = uuid.uuid4().bytes_le
    n = len(entries) // SECTOR
    last_lba = total - 1

    def header(mine, other, entries_lba):
        h = struct.pack("<8sIIIIQQQQ16sQIII", b"EFI PART", 0x10000, 92, 0,
                        0, mine, other, 2 + n, last_lba - 1 - n, disk_guid,
                        entries_lba, 128, 128, ecrc)
        h = h[:16] + struct.pack("<I", zlib.crc32(h)) + h[20:]
        return h.ljust(SECTOR, b"\0")

    pmbr = struct.pack("<B3sB3sII", 0, b"\x00\x02\x00", 0xee,
                       b"\xff\xff\xff", 1, min(total - 1, 0xffffffff))
    return [(446, pmbr + b"\0" * 48 + b"\x55\xaa"),
            (SECTOR, header(1, last_lba, 2)),
            (2 * SECTOR, entries),
            ((last_lba - n) * SECTOR, entries),
            (last_lba * SECTOR, header(last_lba, 1, last_lba - n))]


def bios_boot_code(core, core_lba):
    """GRUB's boot.img (the MBR's code, 440 bytes) pointed at core.img,
    and core.img's first sector (diskboot.img) given the block list of
    the rest: what grub-bios-setup does, for a core image that lies in
    one piece from core_lba on."""
    with open(os.path.join(GRUB_PC, "boot.img"), "rb") as f:
        boot = bytearray(f.read())
    if len(boot) != SECTOR:
        raise Fail("%s/boot.img is not one sector" % GRUB_PC)
    struct.pack_into("<Q", boot, 0x5c, core_lba)      # kernel_sector
    boot[0x64] = 0xff                                 # boot drive: BIOS's
    core = bytearray(core)
    sectors = (len(core) + SECTOR - 1) // SECTOR
    # The block list grows down from the end of the first sector; one
    # entry: start, length in sectors, load segment.
    struct.pack_into("<QHH", core, SECTOR - 12, core_lba + 1, sectors - 1,
                     0x820)
    return bytes(boot[:440]), bytes(core)


def make_raw(tmp, tree, rootfs, out, env):
    core_pc = os.path.join(tmp, "core.img")
    efi = os.path.join(tmp, "BOOTX64.EFI")
    early = os.path.join(tmp, "early.cfg")
    with open(early, "w") as f:
        f.write(EARLY_CFG)
    run(["grub-mkimage", "-O", "i386-pc", "-d", GRUB_PC, "-o", core_pc,
         "-c", early, "-p", "/boot/grub"] + GRUB_PC_MODULES + GRUB_MODULES)
    run(["grub-mkimage", "-O", "x86_64-efi", "-d", GRUB_EFI, "-o", efi,
         "-c", early, "-p", "/boot/grub"] + GRUB_EFI_MODULES + GRUB_MODULES)
    os.makedirs(os.path.join(tree, "EFI", "BOOT"))
    shutil.copyfile(efi, os.path.join(tree, "EFI", "BOOT", "BOOTX64.EFI"))
    with open(core_pc, "rb") as f:
        core = f.read()

    bios_size = MIB
    if len(core) > bios_size:
        raise Fail("GRUB's core image (%d bytes) does not fit the 1 MiB "
                   "BIOS boot partition" % len(core))
    esp_size = max(8 * MIB, mib_round(tree_bytes(tree) * 5 // 4 + 2 * MIB))
    root_size = max(8 * MIB, mib_round(
        (tree_bytes(rootfs) if rootfs else 0) * 5 // 4 + 2 * MIB))
    esp = os.path.join(tmp, "esp.fat")
    root = os.path.join(tmp, "root.fat")
    fat_volume(esp, esp_size, "CAIRN-EFI", tree, env)
    fat_volume(root, root_size, "CAIRN-ROOT", rootfs, env)

    lba = 2048                          # 1 MiB alignment, as fdisk does
    parts = []
    for guid, size, name in ((BIOS_BOOT_GUID, bios_size, "BIOS boot"),
                             (ESP_GUID, esp_size, "EFI system"),
                             (DATA_GUID, root_size, "cairn rootfs")):
        parts.append((guid, lba, lba + size // SECTOR - 1, name))
        lba += size // SECTOR
    total = lba + 2048                  # room for the backup GPT
    mbr_code, core = bios_boot_code(core, parts[0][1])
    with open(out, "wb") as f:
        f.truncate(total * SECTOR)
        f.seek(0)
        f.write(mbr_code)
        for off, data in gpt_tables(total, parts):
            f.seek(off)
            f.write(data)
        f.seek(parts[0][1] * SECTOR)
        f.write(core)
        for path, part in ((esp, parts[1]), (root, parts[2])):
            f.seek(part[1] * SECTOR)
            with open(path, "rb") as src:
                shutil.copyfileobj(src, f)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="mkimage.py", description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--format", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--initrd", default="")
    ap.add_argument("--rootfs", default="")
    ap.add_argument("--mount-rootfs", action="store_true")
    ap.add_argument("--mounts", default="",
                    help="the image's mount table (LIB_VFS_MOUNTS), kept "
                    "when --mount-rootfs adds one")
    ap.add_argument("--params", default="")
    ap.add_argument("--args", default="")
    ap.add_argument("--name", default="image")
    a = ap.parse_args(argv)
    try:
        if a.format not in FORMATS:
            raise Fail("FORMAT=%s: not a format make image writes (one of "
                       "%s)" % (a.format, ", ".join(FORMATS)))
        with open(a.kernel, "rb") as f:
            head = f.read(20)
        if head[:4] != b"\x7fELF" or struct.unpack_from("<H", head, 18)[0] != 62:
            raise Fail("%s is not an x86_64 image: make image packs the "
                       "qemu-x86_64 platform's images" % a.kernel)
        if a.initrd and not os.path.isfile(a.initrd):
            raise Fail("initrd %s not found" % a.initrd)
        if a.rootfs and not os.path.isdir(a.rootfs):
            raise Fail("rootfs %s is not a folder" % a.rootfs)
        tools = subprocess.run([sys.executable,
                                os.path.join(SUPPORT, "deps.py"),
                                "image-tools", "--quiet"])
        if tools.returncode:
            return 2
        params = a.params
        if a.format != "iso" and a.mount_rootfs and \
                "vfs.mount=" not in params:
            # A vfs.mount= on the command line replaces the image's
            # table: give the table first, then the rootfs partition.
            table = 'vfs.mount="%s" ' % a.mounts if a.mounts else ""
            params = (params + " " + table + ROOTFS_MOUNT).strip()
        cfg = grub_cfg(a.name, params, a.args, a.initrd)
        env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
        out_tmp = a.out + ".tmp"
        with tempfile.TemporaryDirectory(prefix="cairn-image-") as tmp:
            tree = stage(tmp, a.kernel, a.initrd, cfg)
            if a.format == "iso":
                make_iso(tree, out_tmp)
            else:
                raw = out_tmp if a.format == "raw" else \
                    os.path.join(tmp, "disk.raw")
                make_raw(tmp, tree, a.rootfs, raw, env)
                if a.format != "raw":
                    run(["qemu-img", "convert", "-f", "raw", "-O", a.format,
                         raw, out_tmp])
        os.replace(out_tmp, a.out)
    except Fail as e:
        print("cairn: error: %s" % e, file=sys.stderr)
        try:
            os.unlink(a.out + ".tmp")
        except OSError:
            pass
        return 2
    print("  IMAGE   %s (%s, %d bytes; GRUB, Multiboot2, BIOS and UEFI)"
          % (a.out, a.format, os.path.getsize(a.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
