# SPDX-License-Identifier: BSD-3-Clause
"""SQLite: Cairn (lib/sqlite, database on ramfs) against a Linux guest
(database on tmpfs), the same program and the same SQLite.

sqlitebench.c on both sides, linked with the same amalgamation (made by
support/deps.py sqlite from Debian's source package, the same -D flags as
lib/sqlite): --rows inserts in transactions of 1000 into a table with an
index, --rows indexed lookups through one prepared statement, and a full
scan; medians of --runs rounds after a warm-up. Cairn: apps/bench-sqlite,
a ramfs mounted on /tmp; Linux: the program built with the host's gcc -O2
-static (glibc), in the guest's tmpfs /tmp. Ratio Cairn/Linux (higher:
Cairn faster). Issue 19's goal: at least 1.5x.
"""
import os
import subprocess

from support.bench import harness as h

TITLE = "SQLite inserts, indexed lookups and a scan vs a Linux guest"
HERE = os.path.dirname(os.path.abspath(__file__))
APPS = [("bench-sqlite", "")]
NAMES = [("insert_rows_per_s", "inserts per second (1000 a transaction)"),
         ("lookup_per_s", "indexed lookups per second"),
         ("scan_rows_per_s", "full scan, rows per second")]
KEYS = [k for k, _ in NAMES]
# lib/sqlite's flags (lib/sqlite/lib.mk), for the Linux side's build.
SQLITE_FLAGS = ["-DSQLITE_THREADSAFE=1", "-DSQLITE_OS_UNIX=1",
                "-DHAVE_NANOSLEEP=1"]


def options(ap):
    ap.add_argument("--rows", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=3)


def amalgamation():
    p = subprocess.run([h.PYTHON, os.path.join(h.SRCTREE, "support",
                                               "deps.py"), "sqlite"],
                       capture_output=True, text=True)
    if p.returncode:
        raise h.Fail("support/deps.py sqlite failed: %s"
                     % h.last_lines(p.stderr))
    return p.stdout.strip()


def run(a):
    if not 1000 <= a.rows <= 1000000 or not 1 <= a.runs <= 21:
        raise h.Fail("need 1000 <= --rows <= 1000000, 1 <= --runs <= 21")
    args = "/tmp %d %d" % (a.rows, a.runs)
    work = 3600
    src = amalgamation()
    image = h.make_cairn(os.path.join(a.out, "cairn"), APPS[0][0])
    # /tmp: a ramfs of its own, as Linux's tmpfs is.
    ccmd = h.cairn_command(image, args=args, params="vfs.mount=ramfs:/ "
                           "vfs.mount=devfs:/dev vfs.mount=ramfs:/tmp")
    c, cwhy = h.cairn_run(ccmd, KEYS, work)

    guest = h.linux_guest(os.path.join(a.out, "linux", "guest"),
                          [os.path.join(HERE, "sqlitebench.c")],
                          ["sqlitebench " + args],
                          cflags=["-I" + src, "-w"] + SQLITE_FLAGS +
                          [os.path.join(src, "sqlite3.c"), "-lm"])
    lcmd = h.linux_command(guest)
    l, lwhy = h.linux_run(lcmd, ["sqlitebench"], KEYS, work)

    rows, summary = [], []
    for k, label in NAMES:
        r = h.ratio(c and c[k], l and l[k])
        rows.append([label, "%.0f" % l[k] if l else "failed",
                     "%.0f" % c[k] if c else "failed", r])
        fig = "sqlite: " + label
        summary.append(h.row(fig, "%.0f" % c[k], "%.0f" % l[k], r,
                             goal=">= 1.5x", met=c[k] >= 1.5 * l[k])
                       if c and l else h.failed_row(fig, cwhy or lwhy))
    h.table("SQLite %d rows; medians of %d rounds (TCG, -M pc, -cpu max, "
            "-m %s, one vCPU)" % (a.rows, a.runs, h.MEM),
            ["", "Linux tmpfs", "Cairn ramfs", "Cairn/Linux"], rows)
    h.footer([("Cairn", cwhy), ("Linux guest", lwhy)], guest,
             [("Cairn", ccmd), ("Linux", lcmd)])
    return summary
