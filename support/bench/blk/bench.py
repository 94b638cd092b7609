# SPDX-License-Identifier: BSD-3-Clause
"""Block: virtio-blk (or NVMe: --diskif nvme, make bench-blk DISKIF=nvme)
sequential MB/s, Cairn's blkdev against a Linux guest's block layer.

The same program, blkrw.c, on both sides: sequential writes (then one
flush) and reads of the first --mb MiB of a 64 MiB raw disk, in 4 KiB and
64 KiB requests, one at a time; medians of --runs rounds after a warm-up,
in MB/s (10^6 B/s). Cairn: apps/bench-blkdev, synchronous
cn_blkdev_write()/read(), then the same with --depth requests in flight
through cn_blkdev_submit() (shown apart: Linux has no counterpart here).
Linux: O_DIRECT pwrite()/pread() on /dev/vda (/dev/nvme0n1), then
fdatasync() after the writes (a FLUSH, as Cairn's cn_blkdev_flush()).
The disk is written with zeros afresh before each side. Ratio
Cairn/Linux (higher: Cairn faster), and microseconds per request at the
medians; goal (issue 22) for NVMe only: at least 1.5x in every row.
"""
import os

from support.bench import harness as h

TITLE = "virtio-blk or NVMe sequential MB/s vs a Linux guest"
HERE = os.path.dirname(os.path.abspath(__file__))
APPS = [("bench-blkdev", "")]
DISK_MB = 64
GOAL_RATIO = 1.5                # issue 22, NVMe: Cairn >= 1.5x Linux
GOAL = ">= 1.5x"
ROWS = [(op, size) for size in ("4k", "64k") for op in ("write", "read")]


def options(ap):
    ap.add_argument("--mb", type=int, default=32,
                    help="MiB a pass writes or reads (default 32, at most "
                         "%d)" % DISK_MB)
    ap.add_argument("--runs", type=int, default=3,
                    help="timed rounds, median reported (default 3)")
    ap.add_argument("--diskif", default=os.environ.get("DISKIF") or
                    "virtio", choices=["virtio", "nvme"],
                    help="how the disk is attached to both guests "
                         "(default virtio, or make's DISKIF=)")
    ap.add_argument("--params", default="",
                    help="more parameters for the Cairn image, to compare "
                         "settings (e.g. blkdev.poll_us=200)")
    ap.add_argument("--depth", type=int, default=16,
                    help="Cairn's requests in flight in the asynchronous "
                         "passes (default 16)")


def make_disk(path):
    """A raw image of DISK_MB MiB, every block written (allocated) and on
    the host's disk: without the fsync the guest that boots first (Cairn,
    in half a second) paid for writing back these 64 MiB in its first
    flush, while the Linux guest's boot left the host time to do it."""
    zero = bytes(1 << 20)
    with open(path + ".tmp", "wb") as f:
        for _ in range(DISK_MB):
            f.write(zero)
        f.flush()
        os.fsync(f.fileno())
    os.replace(path + ".tmp", path)


def key(op, size, sfx=""):
    return "%s_%s_mb_per_s%s" % (op, size, sfx)


def cell(f, k):
    if not f:
        return "failed"
    return "%.1f (%.1f..%.1f)" % (f[k], f[k + "_min"], f[k + "_max"])


def per_request(f, k, size):
    """Microseconds per request at the median MB/s, one at a time."""
    if not f or not f[k]:
        return "-"
    return "%.0f" % (int(size[:-1]) * 1024 / f[k])


def run(a):
    if not 1 <= a.mb <= DISK_MB or not 1 <= a.runs <= 100 or \
            not 1 <= a.depth <= 64:
        raise h.Fail("need 1 <= --mb <= %d, 1 <= --runs <= 100, "
                     "1 <= --depth <= 64" % DISK_MB)
    if "," in a.out:
        raise h.Fail("the build folder %s must not contain ',' (QEMU "
                     "-drive)" % a.out)
    os.makedirs(a.out, exist_ok=True)
    disk = os.path.join(a.out, "disk.img")
    # 4 passes of --mb MiB per round, warm-up included, sync and async;
    # at 1 MB/s (a loaded TCG host) with a margin.
    work = 60 + 2 * 4 * (a.runs + 1) * a.mb
    keys = [key(op, s, x) for op, s in ROWS for x in ("", "_min", "_max")]

    image = h.make_cairn(os.path.join(a.out, "cairn"), APPS[0][0])
    make_disk(disk)			# the launcher checks it exists
    nvme = a.diskif == "nvme"
    dev = "/dev/nvme0n1" if nvme else "/dev/vda"
    ccmd = h.cairn_command(image, disk=disk, diskif=a.diskif,
                           params=a.params,
                           args="%s %d %d %d" % (dev, a.mb, a.runs, a.depth))

    c, cwhy = h.cairn_run(ccmd, keys + ["async_" + k for k in keys] +
                          ["async_depth"], work, lambda: make_disk(disk))

    guest = h.linux_guest(os.path.join(a.out, "linux", "guest-nvme" if nvme
                                       else "guest"),
                          [os.path.join(HERE, "blkrw.c")],
                          ["blkrw %s %d %d" % (dev, a.mb, a.runs)],
                          ["mount -t devtmpfs devtmpfs /dev"],
                          ["nvme"] if nvme else ["virtio_pci", "virtio_blk"])
    lcmd = h.linux_command(guest, disk=disk, diskif=a.diskif)
    l, lwhy = h.linux_run(lcmd, ["blkrw"], keys, work,
                          lambda: make_disk(disk))

    rows, summary = [], []
    for op, size in ROWS:
        k = key(op, size)
        label = "%-5s %s requests" % (op, size.replace("k", " KiB"))
        r = h.ratio(c and c[k], l and l[k])
        rows.append([label, cell(l, k), cell(c, k), r,
                     per_request(l, k, size), per_request(c, k, size)])
        fig = "blk%s: %s MB/s" % (" (NVMe)" if nvme else "", label)
        # Issue 22's goal is NVMe's; virtio-blk's rows have none.
        goal = GOAL if nvme else ""
        met = c[k] >= GOAL_RATIO * l[k] if nvme and c and l else None
        summary.append(h.row(fig, "%.1f" % c[k], "%.1f" % l[k], r, goal,
                             met)
                       if c and l else h.failed_row(fig, cwhy or lwhy))
    if c:
        rows.append(["Cairn, %d in flight" % c["async_depth"], "",
                     "cn_blkdev_submit", "vs Linux"])
        for op, size in ROWS:
            k = key(op, size)
            rows.append(["%-5s %s requests" % (op, size.replace("k", " KiB")),
                         "", cell(c, "async_" + k),
                         h.ratio(c["async_" + k], l and l[k])])
    h.table("Block: sequential MB/s, %d MiB a pass, median (slowest.."
            "fastest) of %d rounds\n(TCG, -M pc, -cpu max, -m %s, one vCPU, "
            "%s on a %d MiB raw image)" % (
                a.mb, a.runs, h.MEM, "nvme" if nvme else "virtio-blk-pci",
                DISK_MB),
            ["one request at a time", "Linux O_DIRECT", "Cairn sync",
             "Cairn/Linux", "Linux us/req", "Cairn us/req"], rows)
    h.footer([("Cairn", cwhy), ("Linux guest", lwhy)], guest,
             [("Cairn", ccmd), ("Linux", lcmd)])
    return summary
