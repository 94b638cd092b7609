# SPDX-License-Identifier: BSD-3-Clause
"""Runs Cairn's benchmarks; from the tree root:

    /usr/bin/python3 -m support.bench NAME [--O DIR] [options]   one
    /usr/bin/python3 -m support.bench all [--O DIR]   every one, then the
                                                      summary table
    /usr/bin/python3 -m support.bench list    the benchmarks, one a line
    /usr/bin/python3 -m support.bench apps    the bench apps and the
                                              configurations they build
                                              with, as JSON (for the tests)

NAME is a folder of support/bench with a bench.py (`make bench-NAME`;
`python3 -m support.bench NAME --help` lists its options). Each prints
its side-by-side tables and writes DIR/summary.json: the rows of the
summary (figure, Cairn, Linux guest or other baseline, ratio, goal, met).
`all` runs each benchmark in its own process with its defaults, into
DIR/bench-NAME, so that one that fails becomes a row saying so; then it
prints one table of every summary row. Exit status 1 when a benchmark
failed; a goal that is not met does not fail.
"""
import argparse
import importlib
import json
import os
import subprocess
import sys
import time

from support.bench import harness as h

BENCHES = ("boot", "arm64", "alloc", "threads", "net", "blk", "files", "sqlite",
           "tcp", "http", "https", "smp")


def bench_module(name):
    return importlib.import_module("support.bench.%s.bench" % name)


def run_one(name, argv):
    mod = bench_module(name)
    h.NAME = name
    ap = argparse.ArgumentParser(
        prog="python3 -m support.bench " + name, description=mod.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--O", dest="out", default=os.path.join(
        h.SRCTREE, "build", "bench-" + name), help="build folder")
    mod.options(ap)
    a = ap.parse_args(argv)
    a.out = os.path.abspath(a.out)
    t0 = time.monotonic()
    try:
        rows = mod.run(a)
    except h.Fail as e:
        h.say("error: %s" % e)
        h.save(a.out, [h.failed_row(name, str(e).splitlines()[0])])
        return 1
    h.save(a.out, rows)
    h.say("took %.0f s" % (time.monotonic() - t0))
    return 1 if any(r["cairn"] == "failed" for r in rows) else 0


def summary(rows):
    h.table("Summary (each ratio as its benchmark defines it: "
            "doc/bench/<name>.md)",
            ["bench", "figure", "Cairn", "Linux guest / baseline", "ratio",
             "goal", "met"],
            [[r["bench"], r["figure"], r["cairn"], r["linux"], r["ratio"],
              r["goal"], r["met"]] for r in rows])
    for r in rows:
        if r.get("why"):
            print("  %s failed: %s" % (r["figure"], r["why"]))


def run_all(argv):
    ap = argparse.ArgumentParser(prog="python3 -m support.bench all")
    ap.add_argument("--O", dest="out",
                    default=os.path.join(h.SRCTREE, "build"))
    ap.add_argument("--only", default=",".join(BENCHES),
                    help="comma-separated benchmarks (default: all)")
    a = ap.parse_args(argv)
    rows, status = [], 0
    for name in [n for n in a.only.split(",") if n]:
        if name not in BENCHES:
            ap.error("no benchmark %r (%s)" % (name, ", ".join(BENCHES)))
        out = os.path.join(os.path.abspath(a.out), "bench-" + name)
        print("\n=== bench-%s" % name, flush=True)
        try:				# no stale rows from an earlier run
            os.unlink(os.path.join(out, "summary.json"))
        except FileNotFoundError:
            pass
        p = subprocess.run([h.PYTHON, "-m", "support.bench", name,
                            "--O", out], cwd=h.SRCTREE)
        status |= p.returncode != 0
        try:
            with open(os.path.join(out, "summary.json")) as f:
                got = json.load(f)
        except (OSError, ValueError):
            got = [h.failed_row(name, "exit status %d, no summary"
                                % p.returncode)]
        rows += [dict(r, bench=name) for r in got]
    summary(rows)
    return 1 if status else 0


def apps():
    """[{"bench", "app", "config"}] of every benchmark's Cairn builds."""
    return [{"bench": n, "app": app, "config": cfg}
            for n in BENCHES for app, cfg in bench_module(n).APPS]


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip() + "\n\nBenchmarks: " + ", ".join(BENCHES))
        return 0 if len(sys.argv) >= 2 else 2
    name, argv = sys.argv[1], sys.argv[2:]
    if name == "all":
        return run_all(argv)
    if name == "list":
        for n in BENCHES:
            print("  %-15s %s" % ("bench-" + n, bench_module(n).TITLE))
        return 0
    if name == "apps":
        print(json.dumps(apps(), indent=1))
        return 0
    if name not in BENCHES:
        print("no benchmark %r (%s)" % (name, ", ".join(BENCHES)),
              file=sys.stderr)
        return 2
    return run_one(name, argv)


if __name__ == "__main__":
    sys.exit(main())
