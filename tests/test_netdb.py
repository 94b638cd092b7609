# SPDX-License-Identifier: BSD-3-Clause
"""lib/lwip's in-image unit tests (lib/lwip/tests/test_netdb.c): netdb
(getnameinfo, gethostbyaddr, gethostbyname_r, services, protocols),
interfaces (if_nameindex family, getifaddrs), the byte-order and address
functions as real functions, sendmmsg and recvmmsg over UDP on
127.0.0.1, TCP over IPv6 on ::1 (lib/lwip/tests/test_ipv6.c), and
(lib/lwip/tests/test_window.c) a TCP receive window
filled before its reader reads, with no segment dropped. The unit image
has no lwIP: these run in the posix test app (lwIP with its loopback
interface, no NIC), built with the test framework, IPv6 and a 512 KiB
window (more segments than lwIP's default mailbox held), on x86_64 and
arm64, and with lwIP's pools and a 1 MiB window (a build that lwIP's
own check refused while the pbuf pool did not grow with the window)."""
import re
import unittest

import cairn

APP = "tests/apps/posix"
# Only lwIP's cases: the other libraries' tests run in the unit image.
CONFIG = ["CONFIG_LIB_TEST=y", "# CONFIG_LIB_TEST_ALL is not set",
          "CONFIG_LIB_LWIP_TEST=y", "CONFIG_LIB_LWIP_IPV6=y",
          "CONFIG_LIB_LWIP_TCP_WND=524288"]
POOLS = CONFIG[:-1] + ["# CONFIG_LIB_LWIP_MEM_MALLOC is not set",
                       "CONFIG_LIB_LWIP_TCP_WND=1048576"]


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
        self.assertRegex(
            out, r"(?m)^ok \d+ "
            r"lwip\.a_full_window_waits_for_a_slow_reader_without_drops$")
        self.assertRegex(
            out, r"(?m)^ok \d+ lwip\.tcp_over_ipv6_loopback_echoes_every_byte$")
        self.assertEqual(status, 0, both)

    def test_x86_64(self):
        self.check(cairn.build(APP, "netdb", CONFIG), "pc")

    def test_x86_64_pools_1_mib_window(self):
        self.check(cairn.build(APP, "netdb-pools", POOLS), "pc")

    def test_arm64(self):
        self.check(cairn.build(APP, "netdb-arm64", CONFIG, "qemu-aarch64"),
                   "virt")


if __name__ == "__main__":
    unittest.main()
