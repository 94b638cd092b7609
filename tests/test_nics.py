# SPDX-License-Identifier: BSD-3-Clause
"""The network suite on the other NICs: drivers/e1000 (QEMU -device
e1000, the Intel 82540EM) and drivers/rtl8139 (-device rtl8139), the
same images as on virtio-net (the drivers come with virtio-net's), the
NIC chosen with the launcher's --nic (make run NIC=...). On each: DHCP,
16 MiB echoed and 10000 UDP datagrams on the user network; 100 clients
at once, ping and malformed frames on a tap; apps/httpd serving its site
to curl. Then what the drivers do with a device that does not
behave: a link switched off and on (QEMU's set_link), and an interrupt
that never comes (the boot parameter <driver>.intx=0 leaves the line
unused): the fallback is logged and the network still works."""
import json
import os
import random
import socket
import tempfile
import time
import unittest

import cairn
import test_httpd
import test_net


class E1000EchoServer(test_net.EchoServer):
    nic = "e1000"
    # virtio-net's run covers lwIP's socket bookkeeping; the 100 clients
    # run on the tap below (QEMU's user network resets a few of a burst
    # of connects on any NIC when the host is loaded).
    test_clients_closing_half_way_leak_nothing = None
    test_100_parallel_clients = None


class Rtl8139EchoServer(test_net.EchoServer):
    nic = "rtl8139"
    test_clients_closing_half_way_leak_nothing = None
    test_100_parallel_clients = None


class E1000Tap(test_net.Tap):
    nic = "e1000"


class Rtl8139Tap(test_net.Tap):
    nic = "rtl8139"


class NicHttpd(test_httpd.HttpdImage):
    """apps/httpd's site over the class's NIC (one guest, one curl)."""
    test_curl_sees_the_site = test_httpd.Files.test_curl_sees_the_site


class E1000Httpd(NicHttpd):
    nic = "e1000"


class Rtl8139Httpd(NicHttpd):
    nic = "rtl8139"


del NicHttpd    # the base has no NIC of its own: not a test


class Qmp:
    """QEMU's QMP socket (the launcher's --extra -qmp unix:PATH)."""

    def __init__(self, path, timeout=60):
        end = time.time() + timeout
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX)
                self.s.settimeout(10)
                self.s.connect(path)
                break
            except OSError:
                self.s.close()
                if time.time() > end:
                    raise
                time.sleep(0.1)
        self.f = self.s.makefile("rwb")
        self.f.readline()                   # the greeting
        self.execute("qmp_capabilities")

    def execute(self, cmd, **args):
        self.f.write(json.dumps({"execute": cmd, "arguments": args})
                     .encode() + b"\n")
        self.f.flush()
        while True:
            reply = json.loads(self.f.readline())
            if "event" not in reply:
                return reply

    def close(self):
        self.f.close()
        self.s.close()


class BadDevices(unittest.TestCase):
    """One guest per NIC side by side, each told to leave its interrupt
    line unused (as if the device never raised it), with a MAC of its
    own (read from the e1000's EEPROM, the RTL8139's ID registers), and
    its link switched off and on from QEMU's side."""

    NICS = ("e1000", "rtl8139")

    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build("apps/echo", "echo")
        cls.tmp = tempfile.TemporaryDirectory()
        cls.guests, cls.ports, cls.qmp = [], [], []
        for i, nic in enumerate(cls.NICS):
            port = test_net.free_port()
            sock = os.path.join(cls.tmp.name, "qmp%d" % i)
            cls.ports.append(port)
            cls.guests.append(test_net.Guest(
                cls.image, params="%s.intx=0" % nic, launcher_args=(
                    "--net", "user", "--nic", nic, "--net-opts",
                    ",mac=52:54:00:ab:cd:%02x" % i, "--hostfwd",
                    "tcp:127.0.0.1:%d-:7" % port, "--extra",
                    "-qmp unix:%s,server=on,wait=off" % sock)))
        for i, g in enumerate(cls.guests):
            g.wait_for("echo: listening", timeout=120)
            cls.qmp.append(Qmp(os.path.join(cls.tmp.name, "qmp%d" % i)))

    @classmethod
    def tearDownClass(cls):
        for q in cls.qmp:
            q.close()
        for g in cls.guests:
            g.stop()
        cls.tmp.cleanup()

    def test_probe_logs_the_mac_and_the_unused_line(self):
        for i, (nic, g) in enumerate(zip(self.NICS, self.guests)):
            self.assertRegex(g.output(), r"INFO %s: net0: %s at 00:0\d\.0 "
                             r"\(%s\.intx=0: interrupt line unused\), MAC "
                             r"52:54:00:ab:cd:%02x, MTU 1500, link up"
                             % (nic, nic, nic, i))
            self.assertRegex(g.output(), r"INFO lwip: net0: 10\.0\.2\.15 .*"
                             r"MAC 52:54:00:ab:cd:%02x \(DHCP\)" % i)

    def test_no_interrupt_falls_back_to_polling(self):
        data = random.Random(5).randbytes(2 << 20)
        for nic, g, port in zip(self.NICS, self.guests, self.ports):
            self.assertEqual(test_net.echo_roundtrip(port, data), data, nic)
            g.wait_for(r"WARN %s: net0: .*polling it every 10 ms instead"
                       % nic)

    def test_link_down_and_up_is_seen(self):
        try:
            for q in self.qmp:
                self.assertEqual(q.execute("set_link", name="net0",
                                           up=False), {"return": {}})
            for nic, g in zip(self.NICS, self.guests):
                g.wait_for(r"INFO %s: net0: link down" % nic)
        finally:
            for q in self.qmp:
                q.execute("set_link", name="net0", up=True)
        for nic, g, port in zip(self.NICS, self.guests, self.ports):
            g.wait_for(r"INFO %s: net0: link down\n(.*\n)*.*INFO %s: "
                       r"net0: link up" % (nic, nic))
            self.assertEqual(test_net.echo_roundtrip(port, b"back up"),
                             b"back up")


if __name__ == "__main__":
    unittest.main()
