# SPDX-License-Identifier: BSD-3-Clause
"""TCP: throughput and connection rate, Cairn against a Linux guest.

One server program, tcpsink.c, on four guests: Cairn's
apps/bench-tcpsink (BSD sockets on lwIP) built with lwIP's memory from
malloc (the default) and from lwIP's pools, the malloc image again with
the NIC's features turned off by boot parameters (OFF), and the Linux
guest (gcc -O2 -static). support/bench/client.py drives them from the
host, on QEMU's user network (hostfwd ports), then on tap devices in a
network namespace made here. The guests boot together; every test runs in rounds
that visit the servers in a rotated order, so the host's changing load
falls on all alike:

  warm-up      8 MiB each way and 0.5 s of connections, per server
  host->guest  --runs rounds of --mib MiB into the sink; median MB/s
  guest->host  the same out of the source
  connections  --runs rounds of --seconds: connect, "ping", "pong",
               close (client first); median conn/s, p50/p99 of all
  server closes first  the same, the server closing first, on the
               server's second port (--no-server-closes leaves it out)

Ratio Cairn/Linux (higher: Cairn faster); no goal. Needs root for the
namespace (--backends user does not).
"""
import os

from support.bench import harness as h

PORT, PORT2 = 5001, 5002	# the second: server closes first (tcpsink.c)
SUBNETS = ("192.168.70", "192.168.71", "192.168.72", "192.168.73")
TITLE = "TCP MB/s and connections/s vs a Linux guest"
APP = "bench-tcpsink"
POOLS = "# CONFIG_LIB_LWIP_MEM_MALLOC is not set\n"
APPS = [(APP, ""), (APP, POOLS)]
# virtio-net's features off (drivers/virtio-net/README.md).
OFF = {"virtio": "virtio_net.csum=0 virtio_net.guest_csum=0 "
       "virtio_net.mrg_rxbuf=0 virtio.event_idx=0",
       "e1000": "e1000.csum=0 e1000.rx_csum=0",
       "rtl8139": "rtl8139.cplus=0"}.get(h.NIC, "")
SERVERS = (  # key, label, extra .config lines (Cairn) or None (Linux),
    #         boot parameters
    ("linux", "Linux guest", None, ""),
    ("malloc", "Cairn (malloc)", "", ""),
    ("pools", "Cairn (pools)", POOLS, ""),
    ("off", "Cairn (malloc, no offloads)", "", OFF),
)
BOOT_TIMEOUT = 300


def options(ap):
    ap.add_argument("--mib", type=int, default=64,
                    help="MiB per throughput round (default 64)")
    ap.add_argument("--runs", type=int, default=3,
                    help="rounds of each test (default 3)")
    ap.add_argument("--seconds", type=float, default=2.0,
                    help="connection-rate seconds per round (default 2)")
    h.backends_option(ap)
    ap.add_argument("--no-server-closes", dest="server_closes",
                    action="store_false")
    ap.add_argument("--off", metavar="PARAMS",
                    help="boot parameters of the third Cairn server "
                    "instead of the NIC's offloads off (an A/B of one "
                    "driver option, e.g. --off e1000.tso=0)")


def pct(values, p):
    v = sorted(values)
    return v[min(int(round(p / 100.0 * (len(v) - 1))), len(v) - 1)] \
        if v else 0.0


class Server:
    def __init__(self, key, label, net, cmd, client):
        self.key, self.label, self.net = key, label, net
        self.cmd, self.client = cmd, client
        self.guest = h.Guest(cmd, label)
        self.rx, self.tx, self.cps, self.us = [], [], [], []
        self.errors, self.error_lines = 0, []
        self.sc_cps, self.sc_us, self.sc_errors = [], [], 0
        self.failed = []

    def call(self, second=False, **req):
        host, port = self.net.address(PORT2 if second else PORT)
        return self.client.call(host=host, port=port, **req)

    def ping(self):
        return self.call(op="ping", timeout=2) == {}

    def wait_ready(self):
        self.guest.wait_for(r"^tcpsink: listening on port", BOOT_TIMEOUT)
        h.wait_ready(self.ping, 60, self.label, self.guest)

    def round(self, what, fn):
        """One round, tried again once (after the server answers)."""
        r, why = h.server_round("%s, %s" % (self.label, what), self.guest,
                                fn, self.ping)
        if why:
            self.failed.append("%s: %s" % (what, why))
        return r


def start(backend, ns, images, guest, i, client):
    key, label, extra, params = SERVERS[i]
    if ns:
        net = ns.net(i)
    else:
        net = h.Net("user", [(h.free_port(), PORT), (h.free_port(), PORT2)])
    if extra is None:
        cmd = h.linux_command(guest, net=net)
    else:
        cmd = h.cairn_command(images[extra],
                              net=net, params=(h.cairn_params(net) + " " +
                                               params).strip(),
                              args="%d %d" % (PORT, PORT2))
    return Server(key, "%s on %s" % (label, backend), net,
                  h.in_ns(ns, cmd), client)


def rounds(servers, runs):
    """(round, server) pairs, each round in a rotated order."""
    for r in range(runs):
        for j in range(len(servers)):
            yield r, servers[(j + r) % len(servers)]


def measure(servers, a):
    nbytes = a.mib << 20
    for s in servers:
        s.round("warm-up", lambda: (
            s.call(op="sink", bytes=8 << 20),
            s.call(op="source", bytes=8 << 20),
            s.call(op="rate", seconds=0.5)))
    for _, s in rounds(servers, a.runs):
        r = s.round("sink", lambda: s.call(op="sink", bytes=nbytes))
        if r:
            s.rx.append(nbytes / r["seconds"] / 1e6)
    for _, s in rounds(servers, a.runs):
        r = s.round("source", lambda: s.call(op="source", bytes=nbytes))
        if r:
            s.tx.append(nbytes / r["seconds"] / 1e6)
    for _, s in rounds(servers, a.runs):
        r = s.round("rate", lambda: s.call(op="rate", seconds=a.seconds))
        if r:
            s.cps.append(r["conns"] / r["seconds"])
            s.us += r["us"]
            s.errors += r["errors"]
            s.error_lines += r["error_lines"]
    if a.server_closes:
        for _, s in rounds(servers, a.runs):
            r = s.round("rate, server closes", lambda: s.call(
                second=True, op="rate", seconds=a.seconds,
                server_closes=True))
            if r:
                s.sc_cps.append(r["conns"] / r["seconds"])
                s.sc_us += r["us"]
                s.sc_errors += r["errors"]
                s.error_lines += ["server closes first: " + l
                                  for l in r["error_lines"]]
    for s in servers:
        s.round("quit", lambda: s.call(op="quit"))


def run_backend(backend, images, guest, a):
    ns = h.Namespace("tcp", SUBNETS) if backend == "tap" else None
    client = h.Client(ns)
    servers = []
    try:
        for i in range(len(SERVERS)):
            servers.append(start(backend, ns, images, guest, i, client))
        for s in servers:
            s.wait_ready()
        measure(servers, a)
        for s in servers:
            if s.failed:
                continue
            rc = s.guest.wait_exit(120)
            out = s.guest.output()
            if s.key == "linux":
                h.linux_check(out, ["tcpsink"])
            elif rc != 1:			# isa-debug-exit: (0 << 1) | 1
                s.failed.append("QEMU exit %d (expected 1: status 0)" % rc)
    finally:
        client.close()
        for s in servers:
            s.guest.kill()
        if ns:
            ns.delete()
    return servers


def table(backend, servers, a):
    cairn = [s for s in servers if s.key != "linux"]
    linux = servers[0]

    def cell(v, f="%.1f"):
        return h.spread(v, f) if v else "failed"

    rows = []

    def line(name, fn, value=None):
        ratios = []
        if value:
            ratios = [h.ratio(value(s), value(linux)) for s in cairn]
        rows.append([name] + [fn(s) for s in servers] + ratios)

    def med(attr):
        return lambda s: h.median(getattr(s, attr)) \
            if getattr(s, attr) else None
    line("host -> guest MB/s", lambda s: cell(s.rx), med("rx"))
    line("guest -> host MB/s", lambda s: cell(s.tx), med("tx"))
    line("connections/s", lambda s: cell(s.cps, "%.0f"), med("cps"))
    line("  p50 / p99 us", lambda s: "%.0f / %.0f" % (pct(s.us, 50),
                                                      pct(s.us, 99)))
    line("  failed", lambda s: "%d of %d" % (s.errors,
                                             s.errors + len(s.us)))
    if a.server_closes:
        line("conn/s, server closes first", lambda s: cell(s.sc_cps, "%.0f"),
             med("sc_cps"))
        line("  p50 / p99 us", lambda s: "%.0f / %.0f" % (
            pct(s.sc_us, 50), pct(s.sc_us, 99)))
        line("  failed", lambda s: "%d of %d" % (
            s.sc_errors, s.sc_errors + len(s.sc_us)))
    h.table("TCP on %s: median (slowest..fastest) of %d rounds; a round is "
            "%d MiB each way and %g s of connections per server" % (
                "QEMU user networking (hostfwd)" if backend == "user"
                else "tap devices in a network namespace", a.runs, a.mib,
                a.seconds),
            [""] + [s.label.split(" on ")[0] for s in servers] +
            ["%s/Linux" % s.key for s in cairn], rows)
    for s in servers:
        for l in s.failed + s.error_lines[:6]:
            print("  %s: %s" % (s.label, l))
        if len(s.error_lines) > 6:
            print("  %s: ... %d more" % (s.label, len(s.error_lines) - 6))
    summary = []
    off = servers[3]
    for name, attr, s in (("MB/s host->guest", "rx", servers[1]),
                          ("MB/s guest->host", "tx", servers[1]),
                          ("connections/s", "cps", servers[1]),
                          ("MB/s host->guest", "rx", off),
                          ("MB/s guest->host", "tx", off)):
        fig = "tcp on %s%s: %s (lwIP malloc%s)" % (
            backend, "" if h.NIC == "virtio" else ", " + h.NIC, name,
            (", " + OFF if OFF_ASKED else ", no offloads")
            if s is off else "")
        c, l = med(attr)(s), med(attr)(linux)
        summary.append(h.row(fig, "%.1f" % c, "%.1f" % l, h.ratio(c, l))
                       if c and l else h.failed_row(
                           fig, "; ".join(s.failed + linux.failed)))
    return summary


OFF_ASKED = False


def run(a):
    global OFF, OFF_ASKED, SERVERS
    if a.off is not None:
        if not a.off.strip():
            raise h.Fail("--off needs boot parameters")
        OFF, OFF_ASKED = a.off.strip(), True
        SERVERS = SERVERS[:3] + (("off", "Cairn (malloc, %s)" % OFF, "",
                                  OFF),)
    backends = h.backends(a)
    if not 1 <= a.mib <= 4096 or not 1 <= a.runs <= 20 or \
            not 0 < a.seconds <= 60:
        raise h.Fail("need 1 <= --mib <= 4096, 1 <= --runs <= 20, "
                     "0 < --seconds <= 60")
    images = {extra: h.make_cairn(os.path.join(a.out, "cairn-" + key), APP,
                                  extra)
              for key, _, extra, params in SERVERS
              if extra is not None and not params}
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "tcpsink.c")
    summary, info = [], ""
    for backend in backends:
        guest = h.linux_guest(		# SERVERS[0]: on tap0
            os.path.join(a.out, "linux", "guest-" + backend), [src],
            ["tcpsink %d %d" % (PORT, PORT2)],
            h.guest_setup(SUBNETS[0] + ".2" if backend == "tap" else None),
            h.nic_modules())
        h.say("%s back-end: the %d servers" % (backend, len(SERVERS)))
        try:
            servers = run_backend(backend, images, guest, a)
        except h.Fail as e:	# a server that never came up
            h.say("%s back-end: %s" % (backend, e))
            summary.append(h.failed_row("tcp on %s" % backend,
                                        str(e).splitlines()[0]))
            continue
        summary += table(backend, servers, a)
        info = h.linux_info(guest, servers[0].guest.output())
        for s in servers[:2]:
            print("QEMU, %s: %s" % (s.label, h.quote(s.cmd)))
    print()
    for key, _, extra, params in SERVERS:
        if extra is not None and not params:
            print("Cairn (%s): %s, %d bytes stripped" % (
                key, os.path.basename(images[extra]),
                os.path.getsize(images[extra])))
    print("Cairn (off): the malloc image with " + OFF)
    print("Linux guest: " + info)
    return summary
