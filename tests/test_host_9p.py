# SPDX-License-Identifier: BSD-3-Clause
"""lib/9pfs's 9P2000.L encoder and decoder (lib/9pfs/proto.c) on the host:
the unit cases of lib/9pfs/tests/test_9p.c under ASan/UBSan, and a bounded
libFuzzer run of tests/host/fuzz_9p.c over replies a server could send
(short, too long, other tags and types, sizes that lie)."""
import importlib.util
import os
import struct
import subprocess
import unittest

import hostunit

HERE = os.path.dirname(os.path.abspath(__file__))
hb = hostunit.hb

Host9p = hostunit.cases_class(
    "Host9p", "9p", "lib/9pfs/tests/test_9p.c",
    "test_9p.c's cases, built once and run once for the whole class.")


def msg(type_, tag, body):
    return struct.pack("<IBH", 7 + len(body), type_, tag) + body


class Host9pFuzz(unittest.TestCase):
    def test_fuzz_reply_decoder(self):
        out = os.path.join(hb.OUT, "fuzz", "9p")
        os.makedirs(out, exist_ok=True)
        exe = os.path.join(out, "fuzz_9p")
        cmd = ["clang", "-g", "-O1", "-fsanitize=fuzzer,address,undefined",
               "-fno-sanitize-recover=undefined", "-std=gnu11",
               "-I", os.path.join(hb.ROOT, "lib", "9pfs", "include"),
               os.path.join(hb.ROOT, "lib", "9pfs", "proto.c"),
               os.path.join(HERE, "host", "fuzz_9p.c"), "-o", exe]
        p = subprocess.run(cmd, capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr[-3000:])
        corpus = os.path.join(out, "corpus")
        os.makedirs(corpus, exist_ok=True)
        qid = struct.pack("<BIQ", 0x80, 1, 42)
        entry = qid + struct.pack("<QBH", 7, 4, 3) + b"dir"
        # The first byte picks the request (fuzz_9p.c's table order).
        seeds = [bytes([0]) + msg(101, 0xffff, struct.pack("<IH", 8192, 8)
                                  + b"9P2000.L"),
                 bytes([2]) + msg(111, 1, struct.pack("<H", 1) + qid),
                 bytes([5]) + msg(117, 1, struct.pack("<I", 3) + b"abc"),
                 bytes([8]) + msg(41, 1, struct.pack("<I", len(entry))
                                  + entry),
                 bytes([7]) + msg(25, 1, bytes(153)),
                 bytes([2]) + msg(7, 1, struct.pack("<I", 2))]
        for i, s in enumerate(seeds):
            with open(os.path.join(corpus, "seed%d" % i), "wb") as f:
                f.write(s)
        p = subprocess.run([exe, "-max_total_time=8", "-seed=1",
                            "-max_len=2048", corpus],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr[-3000:])
        self.assertIn("Done", p.stderr)


if __name__ == "__main__":
    unittest.main()
