# SPDX-License-Identifier: BSD-3-Clause
"""lib/httpd's parser, path normaliser, dates and Accept-Encoding on the host: the unit
cases under ASan/UBSan, and a bounded libFuzzer run (tests/host/fuzz_http.c)."""
import importlib.util
import os
import re
import subprocess
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "cairn_host_build", os.path.join(HERE, "host", "build.py"))
hb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hb)
SOURCES = [os.path.join(hb.ROOT, "lib", "httpd", "tests", f)
           for f in ("test_parse.c", "test_encoding.c")]


class HostHttp(unittest.TestCase):
    def test_unit_cases_under_sanitizers(self):
        exe = hb.build_tests("http")
        p = subprocess.run([exe], capture_output=True, text=True,
                           stdin=subprocess.DEVNULL, timeout=120)
        names = [n for f in SOURCES for n in re.findall(
            r"^CN_TEST\(\s*http\w*\s*,\s*(\w+)", open(f).read(), re.M)]
        report = p.stdout[-3000:] + p.stderr[-3000:]
        self.assertEqual(p.returncode, 0, report)
        self.assertRegex(p.stdout, r"(?m)^%d passed, 0 failed$" % len(names),
                         report)
        self.assertNotIn("runtime error", p.stderr)

    def test_fuzz_parser_and_normaliser(self):
        out = os.path.join(hb.OUT, "fuzz", "http")
        os.makedirs(out, exist_ok=True)
        exe = os.path.join(out, "fuzz_http")
        cmd = ["clang", "-g", "-O1", "-fsanitize=fuzzer,address,undefined",
               "-fno-sanitize-recover=undefined",
               "-I", os.path.join(hb.ROOT, "lib", "httpd", "include"),
               "-I", os.path.join(hb.ROOT, "lib", "core", "include"),
               os.path.join(hb.ROOT, "lib", "httpd", "parse.c"),
               os.path.join(HERE, "host", "fuzz_http.c"), "-o", exe]
        p = subprocess.run(cmd, capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr[-3000:])
        corpus = os.path.join(out, "corpus")
        os.makedirs(corpus, exist_ok=True)
        seeds = [b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n",
                 b"HEAD /a/../b%2e%2e/c?q HTTP/1.0\r\nRange: bytes=1-2\r\n\r\n",
                 b"POST /%00 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"]
        for i, s in enumerate(seeds):
            with open(os.path.join(corpus, "seed%d" % i), "wb") as f:
                f.write(s)
        p = subprocess.run([exe, "-max_total_time=8", "-seed=1",
                            "-max_len=4096", corpus],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr[-3000:])
        self.assertIn("Done", p.stderr)


if __name__ == "__main__":
    unittest.main()
