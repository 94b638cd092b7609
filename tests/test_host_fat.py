# SPDX-License-Identifier: BSD-3-Clause
"""lib/fatfs's metadata parser (fat_meta.c: boot sector, FAT entries,
directory entries, long names) on the host: the unit cases of
lib/fatfs/tests/test_fat_meta.c under ASan/UBSan (tests/hostunit.py), and
a bounded libFuzzer run of tests/host/fuzz_fat.c from images made by
mkfs.fat and mtools (FAT12, 16, 32 with long names and subdirectories)."""
import os
import subprocess
import tempfile
import unittest

import hostunit

HERE = os.path.dirname(os.path.abspath(__file__))
hb = hostunit.hb

HostFatMeta = hostunit.cases_class(
    "HostFatMeta", "fatfs", "lib/fatfs/tests/test_fat_meta.c",
    "test_fat_meta.c's cases, built once and run once for the whole class.")


def seed_image(path, fat, size_kib):
    """A small volume with a long name and a subdirectory."""
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    with open(path, "wb") as f:
        f.truncate(size_kib * 1024)
    cmd = ["mkfs.fat", "-F", fat, "-S", "512", "-s", "1", path]
    subprocess.run(cmd, check=True, capture_output=True)
    with tempfile.TemporaryDirectory() as src:
        os.makedirs(os.path.join(src, "sub dir"))
        for name in ("A long file name.txt", "sub dir/x.bin", "SHORT.TXT"):
            with open(os.path.join(src, name), "wb") as f:
                f.write(b"x" * 1500)
        subprocess.run(["mcopy", "-s", "-i", path,
                        os.path.join(src, "A long file name.txt"),
                        os.path.join(src, "sub dir"),
                        os.path.join(src, "SHORT.TXT"), "::/"],
                       check=fat != "32", capture_output=True, env=env)


class HostFatFuzz(unittest.TestCase):
    def test_fuzz_metadata_parser(self):
        out = os.path.join(hb.OUT, "fuzz", "fat")
        os.makedirs(out, exist_ok=True)
        exe = os.path.join(out, "fuzz_fat")
        cmd = ["clang", "-g", "-O1", "-fsanitize=fuzzer,address,undefined",
               "-fno-sanitize-recover=all",
               "-I", os.path.join(hb.ROOT, "lib", "fatfs"),
               "-I", os.path.join(hb.ROOT, "lib", "core", "include"),
               os.path.join(hb.ROOT, "lib", "fatfs", "fat_meta.c"),
               os.path.join(HERE, "host", "fuzz_fat.c"), "-o", exe]
        p = subprocess.run(cmd, capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr[-3000:])
        corpus = os.path.join(out, "corpus")
        subprocess.run(["rm", "-rf", corpus])
        os.makedirs(corpus)
        # Seeds of at most 64 KiB: FAT12 whole, FAT16 and FAT32 (whose
        # small volumes mtools cannot fill: an empty root) cut to 64 KiB
        # with the volume's size field saying so.
        for fat, kib in (("12", 60), ("16", 2100), ("32", 600)):
            img = os.path.join(corpus, "seed%s" % fat)
            seed_image(img, fat, kib)
            with open(img, "r+b") as f:
                f.truncate(65536)
                f.seek(19)
                f.write((0).to_bytes(2, "little"))
                f.seek(32)
                f.write((128).to_bytes(4, "little"))
        p = subprocess.run([exe, "-max_total_time=8", "-seed=1",
                            "-max_len=65536", "-timeout=10", corpus],
                           capture_output=True, text=True, timeout=180)
        self.assertEqual(p.returncode, 0, p.stderr[-3000:])
        self.assertIn("Done", p.stderr)


if __name__ == "__main__":
    unittest.main()
