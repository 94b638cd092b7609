# SPDX-License-Identifier: BSD-3-Clause
"""lib/lwip's in-image unit tests (lib/lwip/tests/test_netdb.c): netdb
(getnameinfo, gethostbyaddr, gethostbyname_r, services, protocols),
interfaces (if_nameindex family, getifaddrs), the byte-order and address
functions as real functions, sendmmsg and recvmmsg over UDP on
127.0.0.1. The unit image has no lwIP: these run in the posix test app
(lwIP with its loopback interface, no NIC), built with the test
framework and IPv6, on x86_64 and arm64."""
import re
import unittest

import cairn

APP = "tests/apps/posix"
# Only lwIP's cases: the other libraries' tests run in the unit image.
CONFIG = ["CONFIG_LIB_TEST=y", "# CONFIG_LIB_TEST_ALL is not set",
          "CONFIG_LIB_LWIP_TEST=y", "CONFIG_LIB_LWIP_IPV6=y"]


class NetdbUnitTests(unittest.TestCase):

    def check(self, image, machine):
        status, out, err = cairn.boot(image, machine=machine,
                                      params="test.filter=lwip.",
                                      timeout=120)
        both = out + err
        self.assertNotIn("not ok", out, both)
        passed = re.search(r"(\d+) passed, (\d+) failed", out)
        self.assertIsNotNone(passed, both)
        self.assertEqual(passed.group(2), "0", both)
        self.assertGreaterEqual(int(passed.group(1)), 13, both)
        self.assertIn("ok 1 lwip.", out)
        self.assertEqual(status, 0, both)

    def test_x86_64(self):
        self.check(cairn.build(APP, "netdb", CONFIG), "pc")

    def test_arm64(self):
        self.check(cairn.build(APP, "netdb-arm64", CONFIG, "qemu-aarch64"),
                   "virt")


if __name__ == "__main__":
    unittest.main()
