# SPDX-License-Identifier: BSD-3-Clause
"""Files, 9p part: a host folder over virtio-9p, Cairn's lib/9pfs against
a Linux guest's 9p mount of the same kind of folder.

filebench.c again, in the shared folder on both sides: Cairn is
apps/bench-files with drivers/virtio-9p added, the folder shared with
support/qemu.py --share (mounted at /share, lib/9pfs's default msize,
512 KiB: the transport's largest); Linux mounts it in /init with
`mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000` (the largest
Linux 6.1's virtio transport takes) after loading 9pnet_virtio and 9p
Two passes, --9p-cache (default both), each with the same caching
semantics on both sides:

- none: the kernel's default and lib/9pfs's: each read and write is a
  round trip;
- loose: Linux's cache=loose (page cache, written back at fsync) against
  lib/9pfs's cache=loose (one window per open file, written back at
  fsync and close; an image built with LIB_9PFS_CACHE_LOOSE); filebench
  runs with "sync": each write pass ends with fsync inside the timed
  part and each read pass starts cold (Linux drops its page cache,
  Cairn's windows went at close).

Each side boots --boots times per pass, alternating (rounds.py). Both sides get a fresh empty folder under the output
folder, on the same host file system, and the same QEMU device (virtio-9p-pci,
security_model=none). Ratio Cairn/Linux, goal 1.5x (issue 18).
"""
import os
import shutil

from support.bench import harness as h
from support.bench.files import rounds

HERE = os.path.dirname(os.path.abspath(__file__))
GOAL = 1.5
NAMES = [("write_4k_MBps", "9p write, 4 KiB ops (MB/s)"),
         ("read_4k_MBps", "9p read, 4 KiB ops (MB/s)"),
         ("write_1m_MBps", "9p write, 1 MiB ops (MB/s)"),
         ("read_1m_MBps", "9p read, 1 MiB ops (MB/s)"),
         ("create_unlink_per_s", "9p create+unlink per second")]
LOOSE_NAMES = [
    ("write_4k_MBps", "9p cache=loose, write, 4 KiB ops + fsync (MB/s)"),
    ("read_4k_MBps", "9p cache=loose, read, 4 KiB ops, cold (MB/s)"),
    ("write_1m_MBps", "9p cache=loose, write, 1 MiB ops + fsync (MB/s)"),
    ("read_1m_MBps", "9p cache=loose, read, 1 MiB ops, cold (MB/s)"),
    ("create_unlink_per_s", "9p cache=loose, create+unlink per second")]
KEYS = [k for k, _ in NAMES]
MOUNT = ("mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000%s "
         "share0 /mnt")
CONFIG = "CONFIG_DRV_VIRTIO=y\nCONFIG_DRV_VIRTIO_PCI=y\n" \
         "CONFIG_DRV_VIRTIO_9P=y\n"
CACHES = ("none", "loose")


def options(ap):
    ap.add_argument("--no-9p", action="store_true",
                    help="leave out the 9p comparison")
    ap.add_argument("--9p-mib", dest="ninep_mib", type=int, default=16,
                    help="file size of the 9p rounds (MiB, default 16)")
    ap.add_argument("--9p-files", dest="ninep_files", type=int,
                    default=500, help="names of the 9p create+unlink round")
    ap.add_argument("--9p-cache", dest="ninep_cache", default="none,loose",
                    help="cache modes to compare, both sides the same: "
                    "none, loose or none,loose (default)")


def fresh(d):
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)


def run(a):
    """Prints a 9p table per cache mode; returns the summary rows."""
    if not 1 <= a.ninep_mib <= 128 or not 1 <= a.ninep_files <= 100000:
        raise h.Fail("need 1 <= --9p-mib <= 128, 1 <= --9p-files <= 100000")
    modes = [m for m in a.ninep_cache.split(",") if m]
    if not modes or any(m not in CACHES for m in modes):
        raise h.Fail("--9p-cache: none, loose or none,loose")
    summary = []
    for mode in modes:
        summary += run_mode(a, mode)
    return summary


def run_mode(a, mode):
    """One cache mode, both sides: prints its table, returns its rows."""
    loose = mode == "loose"
    work = 900
    sfx = "" if not loose else "-loose"
    cshare = os.path.join(a.out, "9p", "cairn-share")
    lshare = os.path.join(a.out, "9p", "linux-share")
    fresh(cshare)
    fresh(lshare)
    image = h.make_cairn(os.path.join(a.out, "cairn-9p" + sfx),
                         "bench-files", CONFIG + (
                             "CONFIG_LIB_9PFS_CACHE_LOOSE=y\n" if loose
                             else ""))
    sync = " sync" if loose else ""
    cargs = "/share %d %d %d%s" % (a.ninep_mib, a.runs, a.ninep_files, sync)
    ccmd = h.cairn_command(image, share=cshare + ":/share", args=cargs)
    largs = "/mnt %d %d %d%s" % (a.ninep_mib, a.runs, a.ninep_files, sync)
    guest = h.linux_guest(os.path.join(a.out, "linux-9p" + sfx, "guest"),
                          [os.path.join(HERE, "filebench.c")],
                          ["filebench " + largs],
                          setup=["mkdir -p /mnt",
                                 MOUNT % (",cache=loose" if loose else "")],
                          modules=["virtio_pci", "9pnet_virtio", "9p"])
    lcmd = h.linux_command(guest, share=lshare)
    cs, ls, cwhy, lwhy = rounds.boots(
        a.boots,
        lambda: h.cairn_run(ccmd, KEYS, work, before=lambda: fresh(cshare)),
        lambda: h.linux_run(lcmd, ["filebench"], KEYS, work,
                            before=lambda: fresh(lshare)))
    rows, summary = rounds.compare(LOOSE_NAMES if loose else NAMES, cs, ls,
                                   "files: ", GOAL)
    h.table("9p, cache=%s on both sides%s: a host folder, %d MiB file, %d "
            "names; each boot the medians of %d rounds; median (range) of "
            "%d boots a side (TCG, -M pc, -cpu max, -m %s, one vCPU, "
            "virtio-9p-pci, security_model=none, msize 512 KiB / 500 KiB)"
            % (mode, " (writes + fsync, cold reads)" if loose else "",
               a.ninep_mib, a.ninep_files, a.runs, a.boots, h.MEM),
            ["", "Linux 9p", "Cairn 9pfs", "Cairn/Linux"], rows)
    h.footer([("Cairn", cwhy), ("Linux guest", lwhy)], guest,
             [("Cairn", ccmd), ("Linux", lcmd)])
    return summary
