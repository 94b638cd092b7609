# SPDX-License-Identifier: BSD-3-Clause
"""SQLite: Cairn (lib/sqlite, database on ramfs) against a Linux guest
(database on tmpfs), the same program and the same SQLite.

sqlitebench.c on both sides, linked with the same amalgamation (made by
support/deps.py sqlite from Debian's source package, the same -D flags as
lib/sqlite): --rows inserts in transactions of 1000 into a table with an
index, --rows indexed lookups through one prepared statement, and a full
scan; medians of --runs rounds after a warm-up, with their range. Cairn:
apps/bench-sqlite, a ramfs mounted on /tmp; Linux: the program built with
the host's gcc -O2 -static (glibc), in the guest's tmpfs /tmp. Ratio
Cairn/Linux (higher: Cairn faster). Issue 19's goal: at least 1.5x.

The host CPU time each side's QEMU used (boot included) is printed too:
unlike the guests' own clocks, it hardly moves when other work loads the
host. --icount runs both QEMUs with -icount shift=0: each guest's clock
then advances one nanosecond per guest instruction, so the rates become
rows per 10^9 guest instructions, the same whatever the host's load, but
blind to what an instruction costs (a syscall's TLB flush, a memory
access through TCG's soft MMU, the host time of QEMU's devices). The
Linux side's sqlite3.o is compiled once per amalgamation and flags and
kept in --out (it takes minutes on a loaded machine).
"""
import hashlib
import os
import resource
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
    ap.add_argument("--icount", action="store_true",
                    help="QEMU's -icount shift=0 on both sides: rates per "
                    "10^9 guest instructions instead of per second")


# Compiling sqlite3.c with gcc -O2 takes about a minute on an idle
# 2-core host and over 5 on a loaded one.
SQLITE_O_TIMEOUT = 1800


def linux_sqlite_o(src, outdir):
    """sqlite3.c of src compiled for the Linux side with SQLITE_FLAGS, once:
    kept in outdir under a name keyed by the source and the flags."""
    key = hashlib.sha256(("%s %s" % (os.path.realpath(src), SQLITE_FLAGS))
                         .encode()).hexdigest()[:12]
    obj = os.path.join(outdir, "sqlite3-%s.o" % key)
    if os.path.exists(obj):
        return obj
    os.makedirs(outdir, exist_ok=True)
    cmd = [h.ARCHES[h.ARCH]["cc"], "-O2", "-w"] + SQLITE_FLAGS + \
        ["-c", os.path.join(src, "sqlite3.c"), "-o", obj + ".tmp"]
    print("compiling sqlite3.c for the Linux side once (minutes): "
          + " ".join(cmd), flush=True)
    try:
        p = subprocess.run(cmd, capture_output=True, text=True,
                           timeout=SQLITE_O_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise h.Fail("compiling sqlite3.c for the Linux side took more "
                     "than %d s (a loaded machine?): %s"
                     % (SQLITE_O_TIMEOUT, " ".join(cmd)))
    if p.returncode:
        raise h.Fail("compiling sqlite3.c failed: %s"
                     % h.last_lines(p.stderr))
    os.replace(obj + ".tmp", obj)
    return obj


def cpu_of(fn, *args):
    """fn(*args) and the CPU seconds of the child processes it waited for
    (the QEMU it ran)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = fn(*args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r, (after.ru_utime - before.ru_utime +
               after.ru_stime - before.ru_stime)


def cell(f, k):
    """median (min-max) of figure k in f."""
    if not f:
        return "failed"
    return "%.0f (%.0f-%.0f)" % (f[k], f.get(k + "_min", f[k]),
                                 f.get(k + "_max", f[k]))


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
    icount = ["-icount", "shift=0"] if a.icount else []
    ccmd += icount
    (c, cwhy), ccpu = cpu_of(h.cairn_run, ccmd, KEYS, work)

    obj = linux_sqlite_o(src, os.path.join(a.out, "linux"))
    exe = os.path.join(a.out, "linux", "sqlitebench")
    if os.path.exists(exe) and os.stat(exe).st_mtime < os.stat(obj).st_mtime:
        os.unlink(exe)			# relink with a new sqlite3.o
    guest = h.linux_guest(os.path.join(a.out, "linux", "guest"),
                          [os.path.join(HERE, "sqlitebench.c")],
                          ["sqlitebench " + args],
                          cflags=["-I" + src, "-w"] + SQLITE_FLAGS +
                          [obj, "-lm"])
    lcmd = h.linux_command(guest) + icount
    (l, lwhy), lcpu = cpu_of(h.linux_run, lcmd, ["sqlitebench"], KEYS,
                             work)

    rows, summary = [], []
    for k, label in NAMES:
        r = h.ratio(c and c[k], l and l[k])
        rows.append([label, cell(l, k), cell(c, k), r])
        fig = "sqlite: " + label + (" (-icount: per 10^9 guest "
                                      "instructions)" if a.icount else "")
        summary.append(h.row(fig, "%.0f" % c[k], "%.0f" % l[k], r,
                             goal=">= 1.5x", met=c[k] >= 1.5 * l[k])
                       if c and l else h.failed_row(fig, cwhy or lwhy))
    rows.append(["host CPU s of the whole run (boot included)",
                 "%.1f" % lcpu, "%.1f" % ccpu, h.ratio(lcpu, ccpu)])
    h.table("SQLite %d rows; medians (range) of %d rounds (TCG, -M pc, "
            "-cpu max, -m %s, one vCPU%s); the CPU ratio is Linux/Cairn "
            "(higher: Cairn used less)"
            % (a.rows, a.runs, h.MEM, ", -icount shift=0: rows per 10^9 "
               "guest instructions" if a.icount else ""),
            ["", "Linux tmpfs", "Cairn ramfs", "Cairn/Linux"], rows)
    h.footer([("Cairn", cwhy), ("Linux guest", lwhy)], guest,
             [("Cairn", ccmd), ("Linux", lcmd)])
    return summary
