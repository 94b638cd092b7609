# SPDX-License-Identifier: BSD-3-Clause
"""Entropy: lib/random's generator seeded from the CPU's generator and from
virtio-rng (PCI on -M pc, MMIO on -M microvm and arm64's -M virt), and the
untrusted state of an image with neither, which TLS refuses
(tests/apps/rngtest prints what the generator was seeded from)."""
import re
import unittest
from concurrent.futures import ThreadPoolExecutor

import cairn

TRUSTED = re.compile(r"^rngtest: trusted (yes|no), sources '([^']*)'$", re.M)
BYTES = re.compile(r"^rngtest: bytes ([0-9a-f]{32})$", re.M)
# CPU models without RDRAND/RDSEED (x86_64) and without RNDR (arm64).
NO_HW_X86 = "qemu64"
NO_HW_ARM = "cortex-a57"


class Entropy(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build("tests/apps/rngtest", "rngtest")
        # The boots are independent: side by side, two at a time.
        runs = {
            "pc-rng": ("pc", ("--cpu", NO_HW_X86, "--rng")),
            "microvm-rng": ("microvm", ("--cpu", NO_HW_X86, "--rng")),
            "pc-rng-again": ("pc", ("--cpu", NO_HW_X86, "--rng")),
            "no-source": ("pc", ("--cpu", NO_HW_X86)),
            "cpu": ("pc", ()),
            "cpu-and-rng": ("microvm", ("--rng",)),
        }
        with ThreadPoolExecutor(2) as pool:
            futures = {k: pool.submit(cairn.boot, cls.image, machine=m,
                                      timeout=60, launcher_args=a)
                       for k, (m, a) in runs.items()}
            cls.runs = {k: f.result() for k, f in futures.items()}

    def seeded(self, run):
        status, out, err = self.runs[run]
        self.assertEqual(status, 0, out + err)
        m = TRUSTED.search(out)
        self.assertTrue(m, out)
        return m.group(1), m.group(2), out

    def test_virtio_rng_on_pci_alone_makes_it_trusted(self):
        trusted, sources, out = self.seeded("pc-rng")
        self.assertEqual((trusted, sources), ("yes", "virtio-rng"))
        self.assertRegex(out, r"virtio-rng at pci [0-9a-f]{2}:[0-9a-f]{2}"
                         r"\.[0-7] \[1af4:10(05|44)\] \((MSI-X|INTx)\): an "
                         r"entropy source")
        self.assertIn("random: seeded from virtio-rng\n", out)

    def test_virtio_rng_on_mmio_alone_makes_it_trusted(self):
        trusted, sources, out = self.seeded("microvm-rng")
        self.assertEqual((trusted, sources), ("yes", "virtio-rng"))
        self.assertRegex(out, r"virtio-rng at mmio 0xfeb0[0-9a-f]{4} "
                         r"\[id 4\]")

    def test_two_boots_differ(self):
        a = BYTES.search(self.runs["pc-rng"][1])
        b = BYTES.search(self.runs["pc-rng-again"][1])
        self.assertTrue(a and b, self.runs["pc-rng"][1])
        self.assertNotEqual(a.group(1), b.group(1))

    def test_no_source_is_untrusted_and_says_so(self):
        trusted, sources, out = self.seeded("no-source")
        self.assertEqual((trusted, sources), ("no", ""))
        self.assertIn("random: no hardware entropy source (no CPU "
                      "generator, no virtio-rng)", out)
        self.assertIn("TLS refuses to start", out)
        self.assertNotIn("virtio-rng at", out)

    def test_cpu_generator_alone(self):
        trusted, sources, out = self.seeded("cpu")
        self.assertEqual((trusted, sources), ("yes", "cpu"))

    def test_cpu_and_virtio_rng_together(self):
        trusted, sources, out = self.seeded("cpu-and-rng")
        self.assertEqual((trusted, sources), ("yes", "cpu virtio-rng"))


class EntropyArm64(unittest.TestCase):
    def test_virtio_rng_on_virt_without_rndr(self):
        image = cairn.build("tests/apps/rngtest", "rngtest-arm64",
                            plat="qemu-aarch64")
        status, out, err = cairn.boot(image, timeout=60, launcher_args=(
            "--cpu", NO_HW_ARM, "--rng"))
        self.assertEqual(status, 0, out + err)
        self.assertIn("rngtest: trusted yes, sources 'virtio-rng'\n", out)
        self.assertRegex(out, r"virtio-rng at mmio 0x[0-9a-f]+ \[id 4\]")
        status, out, err = cairn.boot(image, timeout=60, launcher_args=(
            "--cpu", NO_HW_ARM))
        self.assertEqual(status, 0, out + err)
        self.assertIn("rngtest: trusted no, sources ''\n", out)


class RunAttachesRng(unittest.TestCase):
    """make run adds virtio-rng when the image has the driver; RNG= not."""

    def test_make_run_attaches_virtio_rng(self):
        cairn.build("tests/apps/rngtest", "rngtest")
        o = cairn.out_dir("rngtest")
        p = cairn.make("run", "TIMEOUT=60", "CPU=%s" % NO_HW_X86, o=o)
        self.assertIn("rngtest: trusted yes, sources 'virtio-rng'\n",
                      p.stdout)
        p = cairn.make("run", "TIMEOUT=60", "CPU=%s" % NO_HW_X86, "RNG=",
                       o=o)
        self.assertIn("rngtest: trusted no, sources ''\n", p.stdout)


if __name__ == "__main__":
    unittest.main()
