# SPDX-License-Identifier: BSD-3-Clause
"""The network suite on the other NICs: drivers/e1000 (QEMU -device
e1000, the Intel 82540EM) and drivers/rtl8139 (-device rtl8139), the
same images as on virtio-net (the drivers come with virtio-net's), the
NIC chosen with the launcher's --nic (make run NIC=...). On each: DHCP,
16 MiB echoed and 10000 UDP datagrams on the user network, outbound
connections, name resolution and errno values (test_net.Client); 100 clients
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
import subprocess
import tempfile
import time
import unittest

import cairn
import test_httpd
import test_net
import test_shell
from support import tapnet


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


class E1000Client(test_net.Client):
    nic = "e1000"


class Rtl8139Client(test_net.Client):
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


RAW_SYNS = r"""
import socket, struct, sys, time
dst, src = sys.argv[1], sys.argv[2]


def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def syn(sport, good):
    tcp = struct.pack("!HHIIBBHHH", sport, 9, 1000, 0, 5 << 4, 0x02, 8192,
                      0, 0)
    c = csum(socket.inet_aton(src) + socket.inet_aton(dst) +
             struct.pack("!BBH", 0, 6, len(tcp)) + tcp)
    return tcp[:16] + struct.pack("!H", c if good else c ^ 0x5a5a) + tcp[18:]


s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
s.settimeout(0.2)


def rst_for(sport, good, wait):
    s.sendto(syn(sport, good), (dst, 0))
    end = time.time() + wait
    while time.time() < end:
        try:
            d = s.recv(128)
        except socket.timeout:
            continue
        h = (d[0] & 15) * 4
        sp, dp = struct.unpack("!HH", d[h:h + 4])
        if sp == 9 and dp == sport and d[h + 13] & 4:
            return "rst"
    return "none"


print(rst_for(40001, True, 20), rst_for(40002, False, 3),
      rst_for(40003, True, 20))
"""


class Rtl8139Modes(unittest.TestCase):
    """The RTL8139 driver's two ways of sending, side by side on the user
    network: C+ descriptors (the default on an RTL8139C+, which QEMU's
    is: frames sent from their own memory, checksums and TCP
    segmentation by the device) and the four copy buffers every RTL8139
    has (rtl8139.cplus=0). The suite above runs on the first; here the
    second carries the same traffic, and each says which it uses. A
    third guest (C+) takes every 300th receive ring header as garbage
    (rtl8139.fault=rxbad:300, as from a chip that lost its place, which
    QEMU's never does): the receiver restarts each time, said once, and
    TCP and UDP still get through."""

    MODES = (("", r"C\+ TX ring 64, offloads tx_csum tso4"),
             ("rtl8139.cplus=0", r"4 TX buffers, offloads none"),
             ("rtl8139.fault=rxbad:300",
              r"C\+ TX ring 64, offloads tx_csum tso4"))

    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build("apps/echo", "echo")
        cls.guests, cls.ports = [], []
        for params, _ in cls.MODES:
            port = test_net.free_port()
            fwd = "127.0.0.1:%d-:7" % port
            cls.ports.append(port)
            cls.guests.append(test_net.Guest(
                cls.image, params=params, launcher_args=(
                    "--net", "user", "--nic", "rtl8139", "--hostfwd",
                    "tcp:" + fwd, "--hostfwd", "udp:" + fwd)))
        for g in cls.guests:
            g.wait_for("echo: listening", timeout=120)

    @classmethod
    def tearDownClass(cls):
        for g in cls.guests:
            g.stop()

    def test_the_probe_line_names_the_mode(self):
        for (_, line), g in zip(self.MODES, self.guests):
            self.assertRegex(g.output(), r"INFO rtl8139: net0: rtl8139 at "
                             r".*, RX ring 64 KiB, " + line)

    def test_8_mib_and_short_datagrams_echo_in_both_modes(self):
        data = random.Random(8).randbytes(8 << 20)
        for (params, _), port in zip(self.MODES[:2], self.ports):
            self.echo(params, port, data)

    def test_a_garbled_ring_header_restarts_the_receiver(self):
        data = random.Random(9).randbytes(2 << 20)
        self.echo("rxbad", self.ports[2], data)
        out = self.guests[2].output()
        self.assertRegex(out, r"WARN rtl8139: net0: receive ring header "
                         r"makes no sense \(status 0x[0-9a-f]{4}, length "
                         r"\d+, at \d+\): receiver restarted; later ones "
                         r"count in rx_errors")
        self.assertEqual(out.count("receive ring header makes no sense"), 1)

    def echo(self, params, port, data):
        """data echoed over TCP, then datagrams from 1 byte (a frame of
        43, which the driver pads to 60) to a full one, over UDP."""
        what = params or "C+"
        self.assertTrue(test_net.echo_roundtrip(port, data) == data, what)
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.settimeout(2)
        try:
            for n in (1, 5, 17, 18, 19, 100, 1472):
                msg = random.Random(n).randbytes(n)
                for _ in range(5):  # UDP may drop; the echo must be exact
                    u.sendto(msg, ("127.0.0.1", port))
                    try:
                        self.assertEqual(u.recvfrom(2048)[0], msg, what)
                        break
                    except socket.timeout:
                        continue
                else:
                    self.fail("%s: %d bytes never echoed" % (what, n))
        finally:
            u.close()


class E1000Doorbells(unittest.TestCase):
    """Two e1000 guests side by side on taps (the shell image): one with
    the defaults (a TDT write per burst of frames lwIP marks, interrupts
    throttled by ITR), one with e1000.tx_batch=0 e1000.itr=0 (a TDT
    write per frame, no throttling: the driver before them). The shell's
    e1000 command shows the driver's counts."""

    GUESTS = (("192.168.78", ""),
              ("192.168.79", "e1000.tx_batch=0 e1000.itr=0"))

    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build("apps/shell", "shell-net", [
            "CONFIG_LIB_LWIP=y", "CONFIG_DRV_VIRTIO=y",
            "CONFIG_DRV_VIRTIO_PCI=y", "CONFIG_DRV_VIRTIO_NET=y"])
        cls.ns = "cairn-e1kdb-%d" % os.getpid()
        cls.nsx = tapnet.make_namespace(
            cls.ns, [("tap%d" % i, net + ".1/24")
                     for i, (net, _) in enumerate(cls.GUESTS)])
        cls.shells = []
        for i, (net, params) in enumerate(cls.GUESTS):
            cls.shells.append(test_shell.Shell(
                cls.image, wrap=cls.nsx,
                params=("net.ip=%s.2/24 " % net) + params,
                launcher_args=["--extra",
                               "-netdev tap,id=t0,ifname=tap%d,script=no,"
                               "downscript=no -device e1000,netdev=t0" % i]))
        for sh in cls.shells:
            sh.wait_for(re.escape(test_shell.PROMPT), timeout=120)

    @classmethod
    def tearDownClass(cls):
        for sh in cls.shells:
            sh.kill()
        tapnet.delete_namespace(cls.ns)

    def counts(self, sh):
        out = sh.cmd("e1000")
        m = re.search(r"net0: tx (\d+) frames (\d+) doorbells, rx (\d+) "
                      r"frames (\d+) doorbells, (\d+) interrupts (\d+) ICR "
                      r"reads \(itr (\d+)/s: ITR (\d+), tx_batch (\d)\)",
                      out)
        self.assertTrue(m, out)
        return [int(x) for x in m.groups()]

    def test_a_burst_of_replies_rings_the_tx_doorbell_once(self):
        # 2000 echo requests, 16 in flight: the guest takes several per
        # poll, and its replies leave behind one TDT write.
        procs = [subprocess.Popen(
            list(self.nsx) + ["ping", "-f", "-q", "-l", "16", "-c", "2000",
                              net + ".2"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for net, _ in self.GUESTS]
        got = []
        for p in procs:
            out = p.communicate(timeout=120)[0]
            m = re.search(r"(\d+) received", out)
            # ping -f may give up on a last reply or two under load
            self.assertTrue(m and int(m.group(1)) >= 1900, out)
            got.append(int(m.group(1)))
        new, old = (self.counts(sh) for sh in self.shells)
        # Each: tx frames, TDT writes, rx frames, RDT writes, interrupts,
        # ICR reads, e1000.itr, the ITR register, e1000.tx_batch.
        self.assertGreaterEqual(new[0], got[0], new)
        self.assertLessEqual(new[1] * 4, new[0], new)
        self.assertEqual(new[6:], [8000, 488, 1], new)
        self.assertGreaterEqual(new[5], new[4], new)
        self.assertGreaterEqual(old[0], got[1], old)
        self.assertGreaterEqual(old[1], old[0], old)
        self.assertEqual(old[6:], [0, 0, 0], old)
        # RX: one RDT write per poll, not per frame, on both.
        for c in (new, old):
            self.assertLessEqual(c[3] * 2, c[2], c)

    def test_a_bad_tcp_checksum_is_dropped_with_rx_csum_on(self):
        # A SYN to a closed port gets a RST; one with a wrong checksum
        # must get nothing (QEMU's e1000 marks frames IXSM, unchecked, so
        # lwIP checks them even with e1000.rx_csum=1); then a good one
        # again, the guest still answering.
        procs = [subprocess.Popen(
            list(self.nsx) + [cairn.PYTHON, "-c", RAW_SYNS, net + ".2",
                              net + ".1"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for net, _ in self.GUESTS]
        for p, sh in zip(procs, self.shells):
            out, err = p.communicate(timeout=120)
            self.assertEqual(out.split(), ["rst", "none", "rst"],
                             err + sh.text()[-2000:])


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
        # N=1: the fault strikes when the first sent frame is reaped.
        # With SMP another CPU may have handed the device a frame or two
        # by then, which QEMU still sends; after the give-up, none.
        sent = int(re.search(r"TX packets (\d+) ", out).group(1))
        self.assertGreaterEqual(sent, 1, out)
        if not cairn.TEST_SMP:
            self.assertEqual(sent, 1, out)
        self.assertEqual(sh.cmd("echo still here"), "still here\n")
        time.sleep(1)
        self.assertIn("TX packets %d " % sent, sh.cmd("ifconfig"))
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
