# SPDX-License-Identifier: BSD-3-Clause
"""Files: Cairn's ramfs against tmpfs in a Linux guest.

The same program, filebench.c, on both sides: sequential writes and
reads of an --mib MiB file in 4 KiB and in 1 MiB operations, and
open(O_CREAT|O_EXCL) + close + unlink of --files names; medians of
--runs rounds after a warm-up. Cairn: apps/bench-files in /tmp of the
root ramfs; Linux: the guest's tmpfs /tmp. For scale the same binary
also runs natively on the host's /dev/shm (--no-host leaves it out).
Ratio Cairn/Linux (higher: Cairn faster); no goal.

--no-ramfs leaves that part out. Then FAT on virtio-blk (--no-fat
leaves it out): the same program with "sync" (each write pass ends with
fsync, each read pass starts with Linux's page cache dropped) on a FAT32
volume made by make disk (--fat-mb MiB, mkfs.fat's choice of cluster:
512 bytes at 256 MiB), fresh before each boot, a --fat-mib MiB file,
--boots boots a side, alternating (rounds.py): Cairn's lib/fatfs mounted
at /mnt against the Linux guest's vfat (modules virtio_blk, vfat,
nls_cp437, nls_ascii: Debian's defaults) on the same image, the same
QEMU flags. Issue 18's goal: Cairn at least 1.5x.

Then the 9p part (support/bench/files/ninep.py; --no-9p leaves it out):
the same program in a host folder shared over virtio-9p on both sides.
"""
import os
import shutil
import subprocess

from support.bench import harness as h
from support.bench.files import ninep, rounds

TITLE = ("ramfs MB/s and create+unlink/s vs tmpfs, and FAT on virtio-blk "
         "vs vfat, in a Linux guest")
HERE = os.path.dirname(os.path.abspath(__file__))
APPS = [("bench-files", "")]
NAMES = [("write_4k_MBps", "write, 4 KiB ops (MB/s)"),
         ("read_4k_MBps", "read, 4 KiB ops (MB/s)"),
         ("write_1m_MBps", "write, 1 MiB ops (MB/s)"),
         ("read_1m_MBps", "read, 1 MiB ops (MB/s)"),
         ("create_unlink_per_s", "create+unlink per second")]
KEYS = [k for k, _ in NAMES]


def options(ap):
    ap.add_argument("--mib", type=int, default=32)
    ap.add_argument("--runs", type=int, default=3,
                    help="timed rounds in one boot, after a warm-up "
                    "(default 3); each boot prints their medians")
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--no-host", action="store_true")
    ap.add_argument("--no-fat", action="store_true")
    ap.add_argument("--no-ramfs", action="store_true")
    ap.add_argument("--fat-mb", type=int, default=256)
    ap.add_argument("--fat-mib", type=int, default=16,
                    help="file size of the FAT rounds (MiB, default 16)")
    ap.add_argument("--boots", type=int, default=3,
                    help="boots of each side in the FAT and 9p parts, "
                    "alternating; figures: median and range (default 3)")
    ninep.options(ap)


def host(exe, args):
    """The same binary on the host's tmpfs (/dev/shm), for scale."""
    if not os.path.isdir("/dev/shm"):
        return None
    d = os.path.join("/dev/shm", "cairn-filebench-%d" % os.getpid())
    try:
        p = subprocess.run([exe, d] + args.split()[1:], capture_output=True,
                           text=True, timeout=600)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return h.figures(p.stdout, KEYS, "the host") if p.returncode == 0 \
        else None


def run(a):
    if not 1 <= a.mib <= 128 or not 1 <= a.runs <= 100 or \
            not 1 <= a.files <= 100000 or not 1 <= a.boots <= 20:
        raise h.Fail("need 1 <= --mib <= 128, 1 <= --runs <= 100, "
                     "1 <= --files <= 100000, 1 <= --boots <= 20")
    summary = [] if a.no_ramfs else run_ramfs(a)
    if not a.no_fat:
        summary += run_fat(a)
    if not a.no_9p:
        summary += ninep.run(a)
    return summary


def run_ramfs(a):
    args = "/tmp %d %d %d" % (a.mib, a.runs, a.files)
    work = 600
    image = h.make_cairn(os.path.join(a.out, "cairn"), APPS[0][0])
    ccmd = h.cairn_command(image, args=args)
    c, cwhy = h.cairn_run(ccmd, KEYS, work)

    guest = h.linux_guest(os.path.join(a.out, "linux", "guest"),
                          [os.path.join(HERE, "filebench.c")],
                          ["filebench " + args])
    lcmd = h.linux_command(guest)
    l, lwhy = h.linux_run(lcmd, ["filebench"], KEYS, work)
    n = None if a.no_host else \
        host(os.path.join(a.out, "linux", "filebench"), args)

    rows, summary = [], []
    for k, label in NAMES:
        r = h.ratio(c and c[k], l and l[k])
        rows.append([label, "%.1f" % l[k] if l else "failed",
                     "%.1f" % c[k] if c else "failed", r] +
                    (["%.1f" % n[k]] if n else []))
        fig = "files: " + label
        summary.append(h.row(fig, "%.1f" % c[k], "%.1f" % l[k], r)
                       if c and l else h.failed_row(fig, cwhy or lwhy))
    h.table("Files: %d MiB file, %d names; medians of %d rounds (TCG, -M pc, "
            "-cpu max, -m %s, one vCPU)" % (a.mib, a.files, a.runs, h.MEM),
            ["", "Linux tmpfs", "Cairn ramfs", "Cairn/Linux"] +
            (["host tmpfs (native)"] if n else []), rows)
    h.footer([("Cairn", cwhy), ("Linux guest", lwhy)], guest,
             [("Cairn", ccmd), ("Linux", lcmd)])
    return summary


FAT_CONFIG = ("CONFIG_DRV_VIRTIO=y\nCONFIG_DRV_VIRTIO_PCI=y\n"
              "CONFIG_DRV_VIRTIO_BLK=y\nCONFIG_LIB_FATFS=y\n")


def fat_disk(path, mb):
    """A fresh FAT32 image (support/mkdisk.py, as make disk)."""
    p = subprocess.run([h.PYTHON, os.path.join(h.SRCTREE, "support",
                                               "mkdisk.py"),
                        "--out", path, "--size", "%dM" % mb, "--fat", "32"],
                       capture_output=True, text=True)
    if p.returncode:
        raise h.Fail("mkdisk.py failed: %s" % p.stderr.strip())


def run_fat(a):
    if not 4 * a.fat_mib + 16 <= a.fat_mb <= 4096:
        raise h.Fail("need 4 * --fat-mib + 16 <= --fat-mb <= 4096")
    args = "/mnt %d %d %d sync" % (a.fat_mib, a.runs, a.files)
    work = 1200
    disk = os.path.join(a.out, "fat.img")
    fat_disk(disk, a.fat_mb)            # the launcher checks it exists
    image = h.make_cairn(os.path.join(a.out, "cairn-fat"), APPS[0][0],
                         FAT_CONFIG)
    ccmd = h.cairn_command(image, disk=disk, args=args,
                           params="vfs.mount=ramfs:/ "
                           "vfs.mount=fat:/mnt:dev=blk0")
    guest = h.linux_guest(os.path.join(a.out, "linux-fat", "guest"),
                          [os.path.join(HERE, "filebench.c")],
                          ["filebench " + args],
                          ["mount -t devtmpfs devtmpfs /dev",
                           "mkdir -p /mnt",
                           "mount -t vfat /dev/vda /mnt"],
                          ["virtio_pci", "virtio_blk", "vfat", "nls_cp437",
                           "nls_ascii"])
    lcmd = h.linux_command(guest, disk=disk)
    cs, ls, cwhy, lwhy = rounds.boots(
        a.boots,
        lambda: h.cairn_run(ccmd, KEYS, work,
                            lambda: fat_disk(disk, a.fat_mb)),
        lambda: h.linux_run(lcmd, ["filebench"], KEYS, work,
                            lambda: fat_disk(disk, a.fat_mb)))
    rows, summary = rounds.compare(NAMES, cs, ls, "files: FAT ", 1.5)
    h.table("FAT32 on virtio-blk (%d MiB image): %d MiB file with fsync, "
            "cold reads, %d names; each boot the medians of %d rounds; "
            "median (range) of %d boots a side (TCG, -M pc, -cpu max, "
            "-m %s, one vCPU)" % (a.fat_mb, a.fat_mib, a.files, a.runs,
                                  a.boots, h.MEM),
            ["", "Linux vfat", "Cairn fatfs", "Cairn/Linux"], rows)
    h.footer([("Cairn", cwhy), ("Linux guest", lwhy)], guest,
             [("Cairn", ccmd), ("Linux", lcmd)])
    return summary
