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
unused): the fallback is logged and the network still works. Last,
devices that fail for good (GivingUp): a device that goes away (its
registers read all ones), one that stops sending, a MAC no NIC may
have: one clear log line each, the driver gives the device up and the
image's shell still answers on the console."""
import json
import os
import random
import re
import socket
import tempfile
import time
import unittest

import cairn
import test_httpd
import test_net
import test_shell


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


class GivingUp(unittest.TestCase):
    """Four shell images side by side (the same build as test_shell's
    Ifconfig), each on a NIC that fails. QEMU cannot unplug a PCI NIC
    from a guest that does not take part in ACPI hot-plug, nor stop the
    e1000's or the RTL8139's transmitter, so those two failures come from
    the drivers' test-only parameter <driver>.fault (gone:N: registers
    read all ones after N frames sent; txstall:N: the device stops
    sending). The impossible MAC (multicast) is QEMU's own."""

    CASES = (("e1000", "e1000.fault=gone:1", ""),
             ("rtl8139", "rtl8139.fault=gone:1", ""),
             ("e1000", "e1000.fault=txstall:1", ",mac=01:00:5e:00:00:01"),
             ("rtl8139", "rtl8139.fault=txstall:1",
              ",mac=01:00:5e:00:00:02"))

    @classmethod
    def setUpClass(cls):
        image = cairn.build("apps/shell", "shell-net", [
            "CONFIG_LIB_LWIP=y", "CONFIG_DRV_VIRTIO=y",
            "CONFIG_DRV_VIRTIO_PCI=y", "CONFIG_DRV_VIRTIO_NET=y"])
        cls.shells = []
        for nic, params, mac in cls.CASES:
            sh = test_shell.Shell(image, params=params, launcher_args=[
                "--net", "user", "--nic", nic] + (
                    ["--net-opts", mac] if mac else []))
            cls.shells.append(sh)
        for sh in cls.shells:
            # (a log line may follow the prompt: not "$")
            sh.wait_for(re.escape(test_shell.PROMPT), timeout=120)

    @classmethod
    def tearDownClass(cls):
        for sh in cls.shells:
            sh.kill()

    def gave_up(self, i, why):
        nic = self.CASES[i][0]
        sh = self.shells[i]
        sh.wait_for(r"ERR +%s: net0: %s at 00:0\d\.0:? %s; giving up on it "
                    r"\(link down\)" % (nic, nic, why), timeout=60)
        # The image goes on: its shell answers, the interface is down.
        # The driver says it first; the network thread tells the stack
        # right after its poll, so ifconfig may see the link up once.
        for _ in range(20):
            out = sh.cmd("ifconfig")
            if "en0: UP mtu 1500\n" in out:
                break
            time.sleep(0.25)
        self.assertRegex(out, r"en0: UP mtu 1500\n")
        self.assertRegex(out, r"\(net0, %s, 00:0\d\.0\)\n" % nic)
        self.assertRegex(out, r"TX packets 1 ")      # N=1, then no more
        self.assertEqual(sh.cmd("echo still here"), "still here\n")
        return sh.text()

    def test_a_device_that_goes_away_is_given_up(self):
        for i in (0, 1):
            out = self.gave_up(i, "reads all ones: the device is gone")
            self.assertNotIn("did not complete", out)

    def test_a_device_that_stops_sending_is_given_up(self):
        for i in (2, 3):
            out = self.gave_up(i, "frames handed to the device did not "
                               "complete within 5 s")
            self.assertNotIn("reads all ones", out)

    def test_an_impossible_mac_is_replaced(self):
        for i, last in ((2, "02"), (3, "03")):
            out = self.shells[i].text()
            self.assertIn("WARN %s: no valid MAC on the device: using a "
                          "locally administered one" % self.CASES[i][0], out)
            self.assertRegex(out, r"net0: %s at .*, MAC 02:ca:1e:00:00:%s,"
                             % (self.CASES[i][0], last))

    def test_a_bad_fault_parameter_is_said_and_ignored(self):
        image = cairn.build("apps/shell", "shell-net", [
            "CONFIG_LIB_LWIP=y", "CONFIG_DRV_VIRTIO=y",
            "CONFIG_DRV_VIRTIO_PCI=y", "CONFIG_DRV_VIRTIO_NET=y"])
        status, out, err = cairn.boot(
            image, args="echo ok", params="e1000.fault=later",
            launcher_args=("--net", "user", "--nic", "e1000"))
        self.assertEqual(status, 0, out + err)
        self.assertIn("e1000.fault=later: expected gone:N or txstall:N; "
                      "ignored", out)
        self.assertRegex(out, r"net0: e1000 at .*link up")


if __name__ == "__main__":
    unittest.main()
