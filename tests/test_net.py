# SPDX-License-Identifier: BSD-3-Clause
"""Networking: lwIP on virtio-net under QEMU user networking (DHCP and
static addresses, TCP and UDP echo through hostfwd, outbound connections,
name resolution, errno values) and, in a network namespace with a tap
device, ping and a stream of malformed frames. Each class takes its
platform from the class attribute plat (None: the default) and its NIC
from nic (None: virtio-net); tests/test_arm64.py runs them on
qemu-aarch64, tests/test_nics.py on the e1000 and the RTL8139."""
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import unittest

import cairn
sys.path.insert(0, cairn.ROOT)
from support import tapnet  # noqa: E402  (the shared tap set-up)

ECHO_PORT = 7


free_port = cairn.free_port


class Guest(cairn.Background):
    """An image running in the background; its console is collected."""

    def __init__(self, image, args="", params="", launcher_args=(),
                 wrap=(), timeout=240):
        super().__init__(list(wrap) + [
            cairn.PYTHON, os.path.join(cairn.ROOT, "support", "qemu.py"),
            "--kernel", image, "--params=" + params, "--args=" + args,
            "--timeout", str(timeout)] + list(launcher_args))


def echo_roundtrip(port, data, chunk_max=20000, rng=None, host="127.0.0.1"):
    """Sends data in random-size writes while reading the echo back."""
    rng = rng or random.Random(1)
    s = socket.create_connection((host, port), timeout=60)
    got = bytearray()

    def reader():
        while len(got) < len(data):
            b = s.recv(1 << 16)
            if not b:
                break
            got.extend(b)
    t = threading.Thread(target=reader)
    t.start()
    i = 0
    while i < len(data):
        n = rng.randint(1, chunk_max)
        s.sendall(data[i:i + n])
        i += n
    t.join(timeout=120)
    s.close()
    return bytes(got)


class OnPlatform:
    """The platform the class's images are built for, and the NIC."""
    plat = None         # the default platform; test_arm64.py sets its own
    nic = None          # virtio-net; test_nics.py: "e1000", "rtl8139"

    @classmethod
    def user_net(cls):
        """The launcher's options for a NIC on QEMU user networking."""
        return ("--net", "user") + (("--nic", cls.nic) if cls.nic else ())

    @classmethod
    def nic_model(cls):
        """QEMU's device model of the class's NIC (on PCI)."""
        return cls.nic or "virtio-net-pci"

    @classmethod
    def build(cls, app):
        name = os.path.basename(app) + ("-" + cls.plat if cls.plat else "")
        return cairn.build(app, name, plat=cls.plat)


class EchoServer(OnPlatform, unittest.TestCase):
    """apps/echo behind hostfwd; one guest for the whole class."""

    @classmethod
    def setUpClass(cls):
        cls.image = cls.build("apps/echo")
        cls.port = free_port()
        fwd = "127.0.0.1:%d-:%d" % (cls.port, ECHO_PORT)
        cls.guest = Guest(cls.image, launcher_args=cls.user_net() + (
            "--hostfwd", "tcp:" + fwd,
            "--hostfwd", "udp:" + fwd))
        cls.guest.wait_for("echo: listening on tcp and udp port 7")

    @classmethod
    def tearDownClass(cls):
        cls.guest.stop()

    def test_dhcp_lease_logged(self):
        m = self.guest.wait_for(
            r"\[\s*(\d+\.\d+)\] INFO lwip: net0: 10\.0\.2\.15 netmask "
            r"255\.255\.255\.0 gateway 10\.0\.2\.2 dns 10\.0\.2\.3 MAC "
            r"52:54:00:12:34:56 \(DHCP\)")
        print("(DHCP lease at %ss after boot)" % m.group(1), end=" ")

    def test_16_mib_in_random_writes(self):
        data = random.Random(16).randbytes(16 << 20)
        self.assertTrue(echo_roundtrip(self.port, data) == data)

    def test_100_parallel_clients(self):
        results = {}

        def client(i):
            # QEMU's user network resets some of a burst of simultaneous
            # connects before the guest sees them (a Linux guest too):
            # connects are 10 ms apart, the transfers still overlap. The
            # tap test below connects all at once.
            time.sleep(i * 0.01)
            data = random.Random(i).randbytes(64 << 10)
            results[i] = echo_roundtrip(self.port, data, 4096,
                                        random.Random(i)) == data
        threads = [threading.Thread(target=client, args=(i,))
                   for i in range(100)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=180)
        self.assertEqual(sorted(k for k, v in results.items() if v),
                         list(range(100)))

    def served(self):
        closes = re.findall(r"echo: connection closed \((\d+) served, "
                            r"(\d+) sockets open\)", self.guest.output())
        return (int(closes[-1][0]), int(closes[-1][1])) if closes else (0, 2)

    def test_clients_closing_half_way_leak_nothing(self):
        before = self.served()[0]	# the class shares one guest
        for i in range(20):
            s = socket.create_connection(("127.0.0.1", self.port),
                                         timeout=30)
            s.sendall(b"x" * 100000)	# more than it will read back
            if i % 2:
                s.shutdown(socket.SHUT_WR)
            s.close()
        # Once all 20 are gone, only the two server sockets stay open.
        deadline = time.time() + 60
        while time.time() < deadline and self.served()[0] < before + 20:
            time.sleep(0.1)
        data = b"still serving"
        self.assertEqual(echo_roundtrip(self.port, data), data)
        while time.time() < deadline:
            served, still_open = self.served()
            if served >= before + 21 and still_open == 2:
                break
            time.sleep(0.1)
        served, still_open = self.served()
        # At least ours were served (an earlier test's last close may land
        # in the count too); no socket is left behind.
        self.assertGreaterEqual(served - before, 21)
        self.assertEqual(still_open, 2, self.guest.output()[-2000:])

    def test_10000_udp_datagrams(self):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.settimeout(1)
        rng = random.Random(3)
        retries = 0
        for i in range(10000):
            msg = rng.randbytes(1 + i % 1472)
            for _ in range(5):		# UDP may drop; the echo must be exact
                u.sendto(msg, ("127.0.0.1", self.port))
                try:
                    reply, _ = u.recvfrom(2048)
                except socket.timeout:
                    retries += 1
                    continue
                self.assertEqual(reply, msg)
                break
            else:
                self.fail("datagram %d (%d bytes) never echoed"
                          % (i, len(msg)))
        u.close()
        self.assertLess(retries, 100)


class Addresses(OnPlatform, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.image = cls.build("apps/echo")

    def test_static_address(self):
        port = free_port()
        g = Guest(self.image, params="net.ip=10.0.2.15/24 net.gw=10.0.2.2 "
                  "net.dns=10.0.2.3", launcher_args=self.user_net() + (
                      "--hostfwd",
                      "tcp:127.0.0.1:%d-:%d" % (port, ECHO_PORT)))
        try:
            g.wait_for(r"INFO lwip: net0: 10\.0\.2\.15 netmask "
                       r"255\.255\.255\.0 gateway 10\.0\.2\.2 dns 10\.0\.2\.3"
                       r" MAC 52:54:00:12:34:56 \(static\)")
            g.wait_for("echo: listening")
            self.assertEqual(echo_roundtrip(port, b"static"), b"static")
        finally:
            out = g.stop()
        self.assertNotIn("DHCP", out)

    def test_malformed_addresses_are_clear_errors(self):
        for params, name in (("net.ip=10.0.2.300", "net.ip"),
                             ("net.ip=10.0.2", "net.ip"),
                             ("net.ip=10.0.2.15/33", "net.ip"),
                             ("net.ip=10.0.2.15 net.mask=255.0.255.0",
                              "net.mask"),
                             ("net.gw=gateway", "net.gw")):
            status, out, err = cairn.boot(self.image, params=params,
                                          launcher_args=self.user_net())
            self.assertEqual(status, 64, params + "\n" + out + err)
            self.assertIn(name, out + err)
            self.assertNotIn("echo: listening", out)


class VirtioFences(unittest.TestCase):
    """drivers/virtio reads a device register as its barrier only where
    QEMU's TCG may drop fences: a board with one possible CPU. The
    launcher gives x86_64 -smp 1,maxcpus=2, so its images leave the reads
    out (EchoServer's traffic runs that way); SMP=1, a plain -smp 1,
    keeps them."""

    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build("apps/echo", "echo")

    def console(self, launcher_args=()):
        g = Guest(self.image, params="log.level=debug",
                  launcher_args=("--net", "user") + tuple(launcher_args))
        try:
            g.wait_for("echo: listening")
        finally:
            out = g.stop()
        return out

    def test_two_possible_cpus_leave_the_reads_out(self):
        out = self.console()
        self.assertIn("virtio: several possible CPUs: fences suffice", out)
        self.assertNotIn("one possible CPU", out)

    def test_one_possible_cpu_keeps_them(self):
        out = self.console(("--smp", "1"))
        self.assertIn("virtio: one possible CPU: a register read backs "
                      "each suppression hint", out)


class Client(OnPlatform, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.image = cls.build("tests/apps/netclient")

    def run_client(self, args, timeout=60):
        status, out, err = cairn.boot(self.image, args=args, timeout=timeout,
                                      launcher_args=self.user_net())
        return status, out + err

    def test_outbound_connection_to_a_host_server(self):
        srv = socket.socket()
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)
        port = srv.getsockname()[1]

        def serve():
            c, _ = srv.accept()
            data = b""
            while True:
                b = c.recv(100)
                if not b:
                    break
                data += b
            c.sendall(b"host got " + data)
            c.close()
        t = threading.Thread(target=serve, daemon=True)
        t.start()
        # 10.0.2.2 is the host's loopback seen from the user network.
        status, out = self.run_client("connect 10.0.2.2 %d hello" % port)
        t.join(timeout=10)
        srv.close()
        self.assertEqual(status, 0, out)
        self.assertIn('netclient: reply "host got hello"', out)

    def test_resolution_answers_without_hanging(self):
        status, out = self.run_client("resolve example.com", timeout=60)
        self.assertEqual(status, 0, out)
        self.assertRegex(out, r"netclient: resolve example\.com: "
                         r"(\d+\.\d+\.\d+\.\d+|error -?\d+ \(.+\))\n")
        status, out = self.run_client("resolve 10.0.2.2")
        self.assertIn("netclient: resolve 10.0.2.2: 10.0.2.2\n", out)

    def test_errno_values_as_linux_gives_them(self):
        status, out = self.run_client("errors %d" % free_port())
        self.assertEqual(status, 0, out)
        self.assertNotIn("FAIL", out)
        for what in ("ECONNREFUSED", "EADDRINUSE", "accept is EAGAIN",
                     "SO_RCVTIMEO is EAGAIN", "ENOTSOCK", "EBADF",
                     "no socket left open"):
            self.assertRegex(out, r"netclient: ok [^\n]*%s" % what)


class Tap(OnPlatform, unittest.TestCase):
    """A namespace with a tap device: the host side is 192.168.77.1, the
    image 192.168.77.2 (static)."""

    @staticmethod
    def make_namespace(ns, host_addr):
        """A namespace with tap0 up at host_addr; returns the exec prefix."""
        return tapnet.make_namespace(ns, [("tap0", host_addr)])

    @classmethod
    def setUpClass(cls):
        cls.image = cls.build("apps/echo")
        # Per class: test_arm64's subclass may run beside this one.
        cls.ns = "cairn-test-%d-%s-%s" % (os.getpid(), cls.plat or "x86",
                                          cls.nic or "virtio")
        cls.nsx = Tap.make_namespace(cls.ns, "192.168.77.1/24")
        nsx = cls.nsx
        cls.guest = Guest(cls.image, wrap=nsx,
                          params="net.ip=192.168.77.2/24",
                          launcher_args=("--extra",
                                         "-netdev tap,id=t0,ifname=tap0,"
                                         "script=no,downscript=no "
                                         "-device %s,netdev=t0"
                                         % cls.nic_model()))
        cls.guest.wait_for("echo: listening")

    @classmethod
    def tearDownClass(cls):
        cls.guest.stop()
        tapnet.delete_namespace(cls.ns)

    def ns_python(self, code, timeout=60):
        return subprocess.run(list(self.nsx) + [cairn.PYTHON, "-c", code],
                              capture_output=True, text=True,
                              timeout=timeout)

    def echo_in_ns(self, data=b"hello through tap"):
        p = self.ns_python(
            "import socket,sys\n"
            "s=socket.create_connection(('192.168.77.2',7),timeout=10)\n"
            "s.sendall(%r); s.shutdown(socket.SHUT_WR)\n"
            "d=b''\n"
            "while True:\n"
            "  b=s.recv(4096)\n"
            "  if not b: break\n"
            "  d+=b\n"
            "  if len(d)>=%d: break\n"
            "sys.stdout.write(d.decode())\n" % (data, len(data)))
        return p.stdout

    def test_100_clients_connecting_at_once(self):
        p = self.ns_python(
            "import random, socket, threading\n"
            "ok = []\n"
            "def client(i):\n"
            "    data = random.Random(i).randbytes(64 << 10)\n"
            "    s = socket.create_connection(('192.168.77.2', 7), timeout=60)\n"
            "    got = bytearray()\n"
            "    def rd():\n"
            "        while len(got) < len(data):\n"
            "            b = s.recv(65536)\n"
            "            if not b: break\n"
            "            got.extend(b)\n"
            "    t = threading.Thread(target=rd); t.start()\n"
            "    s.sendall(data); t.join(); s.close()\n"
            "    ok.append(bytes(got) == data)\n"
            "ts = [threading.Thread(target=client, args=(i,)) for i in range(100)]\n"
            "[t.start() for t in ts]; [t.join() for t in ts]\n"
            "print(sum(ok))\n", timeout=120)
        self.assertEqual(p.stdout.strip(), "100", p.stderr)

    def test_the_image_answers_ping(self):
        p = subprocess.run(list(self.nsx) + ["ping", "-c", "5", "-i", "0.2",
                                             "-W", "2", "192.168.77.2"],
                           capture_output=True, text=True, timeout=60)
        self.assertIn("5 received", p.stdout, p.stdout + p.stderr)

    def test_malformed_frames_leave_it_serving(self):
        # Frames from a packet socket on tap0: truncated Ethernet, IP with
        # lying lengths and bad checksums, TCP headers cut short or with
        # bad data offsets, ARP garbage, random bytes.
        code = r'''
import random, socket, struct
r = random.Random(77)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("tap0", 0))
mac = bytes.fromhex("525400123456")
me = bytes.fromhex("020000000001")
def eth(t, payload):
    return mac + me + struct.pack("!H", t) + payload
def ip(proto, payload, tot=None, ihl=5, csum=None):
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tot if tot is not None
                    else 20 + len(payload), r.randrange(65536), 0, 64,
                    proto, csum or 0, bytes([192,168,77,1]),
                    bytes([192,168,77,2]))
    return h + payload
n = 0
for i in range(3000):
    k = i % 8
    if k == 0:
        f = mac + me[:r.randrange(6)]
    elif k == 1:
        f = eth(0x0800, ip(6, b"", tot=r.randrange(65536)))
    elif k == 2:
        f = eth(0x0800, ip(6, r.randbytes(r.randrange(20)), ihl=r.randrange(16)))
    elif k == 3:
        tcp = struct.pack("!HHIIBBHHH", r.randrange(65536), 7, r.getrandbits(32),
                          0, r.randrange(256), r.randrange(256), 1024, 0, 0)
        f = eth(0x0800, ip(6, tcp[:r.randrange(len(tcp) + 1)]))
    elif k == 4:
        f = eth(0x0806, r.randbytes(r.randrange(40)))
    elif k == 5:
        f = eth(0x0800, ip(17, r.randbytes(r.randrange(30)), tot=r.randrange(100)))
    elif k == 6:
        f = eth(0x0800, ip(1, r.randbytes(r.randrange(64)), csum=r.randrange(65536)))
    else:
        f = r.randbytes(r.randrange(14, 1514))
    if len(f) < 14:
        f = f + b"\0" * (14 - len(f))
    s.send(f)
    n += 1
print(n)
'''
        p = self.ns_python(code)
        self.assertEqual(p.stdout.strip(), "3000", p.stderr)
        self.assertEqual(self.echo_in_ns(), "hello through tap")
        self.assertIsNone(self.guest.proc.poll(), self.guest.output()[-2000:])
        self.assertNotIn("panic", self.guest.output())

    def test_an_out_of_order_flood_holds_a_bounded_memory(self):
        # A peer (a made-up address, its frames from a packet socket)
        # opens a connection with a scaled window and sends 40,000 one-
        # byte segments, each ahead of the next expected byte and apart
        # from the others, and never fills the gap. Each holds a receive
        # buffer while it waits: without a bound per connection, 40,000
        # of them take more than the image's 64 MiB. The connection stays
        # open while a real client is echoed; then the peer resets it.
        p = self.ns_python(OOSEQ_FLOOD, timeout=180)
        flooded = re.search(r"flooded 40000 next (\d+)", p.stdout)
        self.assertIsNotNone(flooded, p.stdout + p.stderr)
        self.assertEqual(self.echo_in_ns(), "hello through tap",
                         self.guest.output()[-2000:])
        p = self.ns_python(OOSEQ_FLOOD.replace(
            "RESET = None", "RESET = %s" % flooded.group(1)))
        self.assertIn("reset", p.stdout, p.stdout + p.stderr)
        self.assertEqual(self.echo_in_ns(), "hello through tap")
        self.assertIsNone(self.guest.proc.poll(), self.guest.output()[-2000:])
        self.assertNotIn("panic", self.guest.output().lower())


# The peer of test_an_out_of_order_flood_holds_a_bounded_memory, run in
# the namespace: answers the image's ARP for 192.168.77.9, opens a
# connection to port 7 from there (window scaling offered), floods it
# or, with RESET set, resets it (the same port, RESET the
# sequence number the flood printed).
OOSEQ_FLOOD = r'''
import socket, struct, sys, time
RESET = None
IMG, PEER = bytes([192, 168, 77, 2]), bytes([192, 168, 77, 9])
IMG_MAC, PEER_MAC = bytes.fromhex("525400123456"), bytes.fromhex("020000000009")
SPORT = 40009
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind(("tap0", 0))
s.settimeout(0.05)

def csum(b):
    if len(b) % 2:
        b += b"\0"
    n = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while n >> 16:
        n = (n & 0xffff) + (n >> 16)
    return ~n & 0xffff

def tcp(seq, ack, flags, data=b"", opts=b""):
    off = (20 + len(opts)) // 4
    h = struct.pack("!HHIIBBHHH", SPORT, 7, seq & 0xffffffff,
                    ack & 0xffffffff, off << 4, flags, 65535, 0, 0) + opts
    c = csum(PEER + IMG + struct.pack("!BBH", 0, 6, len(h) + len(data)) +
             h + data)
    seg = h[:16] + struct.pack("!H", c) + h[18:] + data
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(seg), 1, 0, 64, 6,
                     0, PEER, IMG)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    s.send(IMG_MAC + PEER_MAC + b"\x08\x00" + ip + seg)

def serve(until, want=None):
    """Answers ARP for PEER; returns the image's first segment to us
    with the flags of want, or None at until."""
    while time.time() < until:
        try:
            f = s.recv(2048)
        except socket.timeout:
            continue
        t = f[12:14]
        if t == b"\x08\x06" and f[38:42] == PEER and f[20:22] == b"\0\1":
            s.send(f[6:12] + PEER_MAC + b"\x08\x06" + f[14:20] + b"\0\2" +
                   PEER_MAC + PEER + f[22:28] + f[28:32])
        elif t == b"\x08\x00" and f[23] == 6 and f[30:34] == PEER:
            ihl = (f[14] & 15) * 4
            th = f[14 + ihl:]
            sport, dport, seq, ack, _, fl = struct.unpack("!HHIIBB", th[:14])
            if dport == SPORT and want is not None and fl & want == want:
                return seq, ack
    return None

if RESET is not None:
    tcp(RESET, 0, 0x04)
    print("reset")
    sys.exit(0)
isn = 1000
got = None
for attempt in range(10):
    tcp(isn, 0, 0x02, opts=b"\x02\x04\x05\xb4\x01\x03\x03\x07")  # MSS, wscale 7
    got = serve(time.time() + 1.0, want=0x12)
    if got:
        break
if not got:
    sys.exit("no SYN-ACK from the image")
iss = got[0]
tcp(isn + 1, iss + 1, 0x10)
serve(time.time() + 0.2)
N = 40000
for k in range(N, 0, -1):            # the farthest first
    tcp(isn + 1 + 2 * k, iss + 1, 0x10, b"x")
    if k % 200 == 0:
        serve(time.time() + 0.01)
serve(time.time() + 1.0)
print("flooded %d next %d" % (N, isn + 1))
'''


ECHO_16_MIB = r"""
import hashlib, random, socket, sys, threading
data = random.Random(%d).randbytes(16 << 20)
s = socket.create_connection((%r, 7), timeout=60)
got = bytearray()
def rd():
    while len(got) < len(data):
        b = s.recv(1 << 16)
        if not b:
            break
        got.extend(b)
t = threading.Thread(target=rd); t.start()
r = random.Random(2); i = 0
while i < len(data):
    n = r.randint(1, 60000)
    s.sendall(data[i:i + n]); i += n
t.join(120); s.close()
print(hashlib.sha256(data).hexdigest(), hashlib.sha256(got).hexdigest(),
      len(got))
"""


class TapFeatures(unittest.TestCase):
    """virtio-net's features on a tap, where QEMU offers them all: one
    image, three guests side by side, the features switched by boot
    parameters. Each echoes 16 MiB both ways (compared by SHA-256): with
    every feature (the defaults: segmentation offload both ways, so frames
    of up to 64 KiB, chained over merged buffers), with none, and with
    checksum offload only and 512-byte receive buffers, so that every
    full frame spans four merged buffers chained into lwIP."""

    GUESTS = (  # subnet, parameters, the probe's features
        ("192.168.81", "", " csum guest_csum tso4 tso6 mrg_rxbuf "
         "guest_tso4 guest_tso6 event_idx\n"),
        ("192.168.82", "virtio_net.csum=0 virtio_net.guest_csum=0 "
         "virtio_net.mrg_rxbuf=0 virtio.event_idx=0", " none\n"),
        ("192.168.83", "virtio_net.rx_buf=512 virtio_net.tso=0 "
         "virtio_net.guest_tso=0", " csum guest_csum mrg_rxbuf event_idx\n"),
    )

    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build("apps/echo", "echo")
        cls.ns = "cairn-feat-%d" % os.getpid()
        cls.nsx = tapnet.make_namespace(
            cls.ns, [("tap%d" % i, net + ".1/24")
                     for i, (net, _, _) in enumerate(cls.GUESTS)])
        cls.guests = []
        for i, (net, params, _) in enumerate(cls.GUESTS):
            tap = "tap%d" % i
            cls.guests.append(Guest(
                cls.image, wrap=cls.nsx,
                params=("net.ip=%s.2/24 " % net) + params,
                launcher_args=("--extra",
                               "-netdev tap,id=t0,ifname=%s,script=no,"
                               "downscript=no -device virtio-net-pci,"
                               "netdev=t0,mac=52:54:00:12:35:%02x"
                               % (tap, i))))
        for g in cls.guests:
            g.wait_for("echo: listening")

    @classmethod
    def tearDownClass(cls):
        for g in cls.guests:
            g.stop()
        tapnet.delete_namespace(cls.ns)

    def test_probe_logs_the_negotiated_features(self):
        for g, (_, _, feats) in zip(self.guests, self.GUESTS):
            self.assertIn("queues 256+256, features%s" % feats, g.output())

    def test_16_mib_echoed_with_features_on_off_and_chained(self):
        procs = [subprocess.Popen(
            list(self.nsx) + [cairn.PYTHON, "-c",
                              ECHO_16_MIB % (i, net + ".2")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for i, (net, _, _) in enumerate(self.GUESTS)]
        for p, g in zip(procs, self.guests):
            out, err = p.communicate(timeout=300)
            sent, got, n = (out.split() + ["", "", ""])[:3]
            self.assertEqual((got, n), (sent, str(16 << 20)),
                             err + g.output()[-2000:])
        for g in self.guests:
            self.assertIsNone(g.proc.poll(), g.output()[-2000:])
            self.assertNotIn("panic", g.output())


if __name__ == "__main__":
    unittest.main()
