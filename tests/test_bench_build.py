# SPDX-License-Identifier: BSD-3-Clause
"""Every benchmark's Cairn apps build, with the configurations the
benchmarks use (build only: no timing, nothing booted), so an API change
cannot break a benchmark silently; and the runner knows every benchmark
folder and every bench app."""
import concurrent.futures
import glob
import json
import os
import subprocess
import unittest

import cairn


def bench(*args):
    p = subprocess.run([cairn.PYTHON, "-m", "support.bench"] + list(args),
                       cwd=cairn.ROOT, capture_output=True, text=True,
                       timeout=120)
    if p.returncode:
        raise AssertionError("python3 -m support.bench %s failed (%d):\n%s"
                             % (" ".join(args), p.returncode, p.stderr))
    return p.stdout


def build_one(item):
    """Builds one bench app with its configuration; what went wrong."""
    i, b = item
    what = "%s for bench-%s" % (b["app"], b["bench"])
    config = [l for l in b["config"].splitlines() if l.strip()]
    # An app with its own defconfig: the build other tests share.
    app, name = "apps/" + b["app"], b["app"]
    if config:
        name = "bench-apps/%s-%s-%d" % (b["bench"], b["app"], i)
    try:
        image = cairn.build(app, name, config or None)
    except AssertionError as e:
        return ["%s:\n%s" % (what, e)]
    if not os.path.isfile(image):
        return ["%s: no image %s" % (what, image)]
    with open(os.path.join(cairn.out_dir(name), ".config")) as f:
        have = f.read().splitlines()
    return ["%s: %s did not stick" % (what, line) for line in config
            if line.startswith("CONFIG_") and line not in have]


class BenchApps(unittest.TestCase):
    def test_every_bench_app_builds_with_its_bench_configuration(self):
        builds = json.loads(bench("apps"))
        self.assertTrue(builds)
        todo = {}			# each (app, configuration) once
        for i, b in enumerate(builds):
            todo.setdefault((b["app"], b["config"]), (i, b))
        # The builds share nothing: two at a time use both cores.
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            failed = [f for fs in pool.map(build_one, todo.values())
                      for f in fs]
        self.assertEqual(failed, [], "\n\n".join(failed))

    def test_the_runner_knows_every_bench_folder_and_app(self):
        listed = bench("list")
        for f in glob.glob(os.path.join(cairn.ROOT, "support", "bench", "*",
                                        "bench.py")):
            name = os.path.basename(os.path.dirname(f))
            self.assertIn("bench-%s " % name, listed)
        used = {b["app"] for b in json.loads(bench("apps"))}
        for d in glob.glob(os.path.join(cairn.ROOT, "apps", "*bench*")):
            self.assertIn(os.path.basename(d), used,
                          "%s is built by no benchmark" % d)

    def test_an_unknown_benchmark_is_refused(self):
        p = subprocess.run([cairn.PYTHON, "-m", "support.bench", "nosuch"],
                           cwd=cairn.ROOT, capture_output=True, text=True,
                           timeout=60)
        self.assertEqual(p.returncode, 2)
        self.assertIn("no benchmark 'nosuch'", p.stderr)


if __name__ == "__main__":
    unittest.main()
