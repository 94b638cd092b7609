#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Makes a FAT disk image for `make run DISK=...` (make disk).

  mkdisk.py --out FILE [--size 64M] [--fat 12|16|32] [--from FOLDER]
            [--part none|mbr|gpt] [--label NAME]

The volume is made by Debian's dosfstools (mkfs.fat) and filled from
FOLDER by mtools (mmd, mcopy), both installed on first use by
support/deps.py disk-tools. --part mbr|gpt puts the volume in partition 1
(starting at 1 MiB) of an MBR or GPT table written here; the guest mounts
it with dev=blk0p1. An existing OUT is replaced.
"""
import argparse
import os
import struct
import subprocess
import sys
import uuid
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
PART_START = 2048                  # sectors: 1 MiB, as fdisk does
SECTOR = 512


def fail(msg, status=2):
    print("mkdisk: error: %s" % msg, file=sys.stderr)
    sys.exit(status)


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    t = text.strip().upper().rstrip("B").rstrip("I")
    mult = 1
    if t and t[-1] in units:
        mult = units[t[-1]]
        t = t[:-1]
    if not t.isdigit():
        fail("SIZE=%s is not a size (e.g. 64M, 1G)" % text)
    return int(t) * mult


def mbr(total_sectors, count):
    """An MBR with partition 1 of type 0x0c (FAT32 LBA) or 0xee (GPT)."""
    entry = struct.pack("<B3sB3sII", 0, b"\x00\x02\x00", 0x0c,
                        b"\xff\xff\xff", PART_START, count)
    return b"\0" * 446 + entry + b"\0" * 48 + b"\x55\xaa"


def protective_mbr(total_sectors):
    count = min(total_sectors - 1, 0xffffffff)
    entry = struct.pack("<B3sB3sII", 0, b"\x00\x02\x00", 0xee,
                        b"\xff\xff\xff", 1, count)
    return b"\0" * 446 + entry + b"\0" * 48 + b"\x55\xaa"


def gpt(total_sectors, first, last):
    """Primary and backup GPT (header + 128 entries) as (offset, bytes)."""
    basic_data = uuid.UUID("ebd0a0a2-b9e5-4433-87c0-68b6b72699c7")
    entry = (basic_data.bytes_le + uuid.uuid4().bytes_le +
             struct.pack("<QQQ", first, last, 0) +
             "cairn".encode("utf-16-le").ljust(72, b"\0"))
    entries = entry.ljust(128 * 128, b"\0")
    ecrc = zlib.crc32(entries)
    disk_guid = uuid.uuid4().bytes_le
    n_entry_secs = len(entries) // SECTOR

    def header(mine, other, entries_lba):
        h = struct.pack("<8sIIIIQQQQ16sQIII", b"EFI PART", 0x10000, 92, 0,
                        0, mine, other, 2 + n_entry_secs,
                        total_sectors - 2 - n_entry_secs, disk_guid,
                        entries_lba, 128, 128, ecrc)
        crc = zlib.crc32(h)
        h = h[:16] + struct.pack("<I", crc) + h[20:]
        return h.ljust(SECTOR, b"\0")

    last_lba = total_sectors - 1
    return [(SECTOR, header(1, last_lba, 2)),
            (2 * SECTOR, entries),
            ((last_lba - n_entry_secs) * SECTOR, entries),
            (last_lba * SECTOR, header(last_lba, 1,
                                       last_lba - n_entry_secs))]


def run(cmd, env=None):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        fail("%s failed:\n%s%s" % (" ".join(cmd), p.stdout, p.stderr))


def main(argv=None):
    ap = argparse.ArgumentParser(prog="mkdisk.py", description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--size", default="64M")
    ap.add_argument("--fat", default="", choices=["", "12", "16", "32"])
    ap.add_argument("--from", dest="src", default="")
    ap.add_argument("--part", default="none", choices=["none", "mbr", "gpt"])
    ap.add_argument("--label", default="CAIRN")
    a = ap.parse_args(argv)

    size = parse_size(a.size)
    if size < 64 << 10 or size % SECTOR:
        fail("SIZE=%s: a disk is at least 64K and a multiple of 512 bytes"
             % a.size)
    if a.src and not os.path.isdir(a.src):
        fail("FROM=%s is not a folder" % a.src)
    tools = subprocess.run([sys.executable, os.path.join(HERE, "deps.py"),
                            "disk-tools", "--quiet"])
    if tools.returncode != 0:
        sys.exit(tools.returncode)
    total = size // SECTOR
    offset, vol_sectors = 0, total
    if a.part != "none":
        last = total - 34 if a.part == "gpt" else total - 1
        vol_sectors = last - PART_START + 1
        offset = PART_START
        if vol_sectors < 128:
            fail("SIZE=%s is too small for a partition table" % a.size)
    if os.path.exists(a.out):
        os.unlink(a.out)
    with open(a.out, "wb") as f:
        f.truncate(size)
    mkfs = ["mkfs.fat", "-n", a.label[:11].upper(), "-i", "ca1e0001"]
    if a.fat:
        mkfs += ["-F", a.fat]
    if offset:
        mkfs += ["--offset", str(offset)]
    # mkfs.fat takes the volume's size in KiB after the file name.
    run(mkfs + [a.out, str(vol_sectors // 2)])
    with open(a.out, "r+b") as f:
        if a.part == "mbr":
            f.write(mbr(total, vol_sectors))
        elif a.part == "gpt":
            f.write(protective_mbr(total))
            for off, data in gpt(total, PART_START,
                                 PART_START + vol_sectors - 1):
                f.seek(off)
                f.write(data)
    if a.src:
        env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
        img = "%s@@%d" % (a.out, offset * SECTOR) if offset else a.out
        names = sorted(os.listdir(a.src))
        if names:
            run(["mcopy", "-s", "-p", "-m", "-Q", "-i", img] +
                [os.path.join(a.src, n) for n in names] + ["::/"], env=env)
    print("  DISK    %s (%s, FAT%s%s%s)" % (
        a.out, a.size, a.fat or " (mkfs.fat's choice)",
        ", partition 1 of %s table (dev=blk0p1)"
        % ("an MBR" if a.part == "mbr" else "a GPT")
        if a.part != "none" else "", ", from " + a.src if a.src else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
