# SPDX-License-Identifier: BSD-3-Clause
"""TCP throughput and connection rate: Cairn against a Linux guest.

    /usr/bin/python3 support/bench/tcp/compare.py [--O DIR] [--mib M]
        [--runs R] [--seconds S] [--backends user,tap]
        [--no-server-closes] [-v]

One server program, tcpsink.c (next to this file), on both sides: on
Cairn apps/bench-tcpsink (BSD sockets on lwIP), built twice, with lwIP's
memory from malloc (the default, CONFIG_LIB_LWIP_MEM_MALLOC=y) and from
lwIP's own pools; on Linux the same source built gcc -O2 -static and run
in a Debian guest (support/bench/linux-guest/build.py, virtio_net).
client.py drives them from the host. Same QEMU for all: -M pc, TCG,
-cpu max, -m 256M, one vCPU, virtio-net-pci, on each back-end in turn
(harness.py): QEMU's user network through hostfwd ports, then tap
devices in a network namespace created here and deleted at exit.

On a back-end the three guests boot together and stay up; each test
then runs in rounds, every round visiting the three servers one after
the other (in a rotated order), so that a change in the host's load
falls on all three alike:

  warm-up      8 MiB each way and 0.5 s of connections, per server
  host->guest  R rounds of M MiB into the sink; median MB/s (10^6 B/s)
  guest->host  R rounds of M MiB out of the source
  connections  R rounds of S seconds: connect, "ping\\n", "pong\\n",
               close (the client closes first); the median of the
               rounds' connections/s, p50 and p99 of all connections
  server closes first  the same with the server closing first, unless
               --no-server-closes; on the server's second port, so that
               the client's TIME_WAIT sockets from the tests before (on
               the first port) do not slow its connect()

Prints one table per back-end with the ratio Cairn/Linux (higher:
Cairn faster), and every failed connection. No goal, no timing
assertion; exits 1 when a server fails. Needs root for the namespace
(--backends user does not). `make bench-tcp`.
"""
import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness as h				# noqa: E402

PORT = 5001
PORT2 = 5002		# the server-closes-first test (see tcpsink.c)
SUBNETS = ("192.168.70", "192.168.71", "192.168.72")
APP = "bench-tcpsink"
SERVERS = (  # key, label, extra .config lines (Cairn) or None (Linux)
    ("linux", "Linux guest", None),
    ("malloc", "Cairn (malloc)", ""),
    ("pools", "Cairn (pools)", "# CONFIG_LIB_LWIP_MEM_MALLOC is not set\n"),
)
BOOT_TIMEOUT = 240


def say(msg):
    print("bench-tcp: " + msg, file=sys.stderr, flush=True)


def median(v):
    v = sorted(v)
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] +
                                             v[len(v) // 2]) / 2.0


def pct(sorted_values, p):
    if not sorted_values:
        return 0.0
    i = int(round(p / 100.0 * (len(sorted_values) - 1)))
    return sorted_values[min(i, len(sorted_values) - 1)]


class Server:
    def __init__(self, key, label, guest, host, ports, cmd):
        self.key, self.label, self.guest = key, label, guest
        self.host, (self.port, self.port2), self.cmd = host, ports, cmd
        self.rx, self.tx, self.cps, self.us = [], [], [], []
        self.errors, self.error_lines = 0, []
        self.sc_cps, self.sc_us, self.sc_errors = [], [], 0

    def call(self, client, second_port=False, **req):
        r = client.call(host=self.host, port=self.port2 if second_port
                        else self.port, **req)
        if "error" in r:
            raise h.Fail("%s: %s %s; console:\n%s" % (
                self.label, req["op"], r["error"],
                h.last_lines(self.guest.output())))
        return r


def start(backend, ns, images, guest, i):
    """Boots server i of SERVERS (on tap device i); returns a Server."""
    key, label, extra = SERVERS[i]
    tap = ns.taps[i] if ns else None
    fwds = [(h.free_port(), PORT), (h.free_port(), PORT2)]
    if extra is None:
        cmd = h.linux_command(guest, backend, fwds,
                              tap=tap["ifname"] if tap else "tap0")
    else:
        params = "net.ip=%s/24" % tap["guest_ip"] if tap else ""
        cmd = h.cairn_command(images[key], backend, params=params,
                              args="%d %d" % (PORT, PORT2), fwds=fwds,
                              tap=tap["ifname"] if tap else "tap0")
    g = h.Guest((ns.prefix if ns else []) + cmd, "%s on %s" % (label,
                                                             backend))
    return Server(key, label, g, tap["guest_ip"] if tap else "127.0.0.1",
                  (PORT, PORT2) if tap else (fwds[0][0], fwds[1][0]),
                  h.quote(cmd))


def rounds(servers, runs):
    """(round, server) pairs, each round in a rotated order."""
    for r in range(runs):
        for j in range(len(servers)):
            yield r, servers[(j + r) % len(servers)]


def measure(servers, client, a):
    nbytes = a.mib << 20
    for s in servers:
        s.call(client, op="sink", bytes=8 << 20)
        s.call(client, op="source", bytes=8 << 20)
        s.call(client, op="rate", seconds=0.5)
    for _, s in rounds(servers, a.runs):
        s.rx.append(nbytes / s.call(client, op="sink",
                                    bytes=nbytes)["seconds"] / 1e6)
    for _, s in rounds(servers, a.runs):
        s.tx.append(nbytes / s.call(client, op="source",
                                    bytes=nbytes)["seconds"] / 1e6)
    for _, s in rounds(servers, a.runs):
        r = s.call(client, op="rate", seconds=a.seconds)
        s.cps.append(r["conns"] / r["seconds"])
        s.us += r["us"]
        s.errors += r["errors"]
        s.error_lines += r["error_lines"]
    if a.server_closes:
        for _, s in rounds(servers, a.runs):
            r = s.call(client, second_port=True, op="rate",
                       seconds=a.seconds, server_closes=True)
            s.sc_cps.append(r["conns"] / r["seconds"])
            s.sc_us += r["us"]
            s.sc_errors += r["errors"]
            s.error_lines += ["server closes first: " + l
                              for l in r["error_lines"]]
    for s in servers:
        n = s.call(client, op="quit").get("notes")
        if n and a.verbose:
            say("%s: %s" % (s.label, "; ".join(n)))


def run_backend(backend, images, guest, a):
    ns = h.Namespace("tcp", SUBNETS) if backend == "tap" else None
    servers = []
    try:
        for i in range(len(SERVERS)):
            servers.append(start(backend, ns, images, guest, i))
        for s in servers:
            s.guest.wait_for(r"^tcpsink: listening on port", BOOT_TIMEOUT)
        client = h.Client(ns)
        measure(servers, client, a)
        client.close()
        for s in servers:
            rc = s.guest.wait_exit(120)
            out = s.guest.output()
            if s.key == "linux":
                bad = h.linux_problems(out)
                if bad or "LINUX_GUEST_EXIT tcpsink 0" not in out:
                    raise h.Fail("Linux guest: %s; console:\n%s" % (
                        "; ".join(bad) or "tcpsink did not exit 0",
                        h.last_lines(out)))
                s.info = h.linux_info(guest, out)
            elif rc != 1:			# isa-debug-exit: (0 << 1) | 1
                raise h.Fail("%s: QEMU exit %d (expected 1: status 0); "
                             "console:\n%s" % (s.label, rc,
                                               h.last_lines(out)))
    finally:
        for s in servers:
            s.guest.kill()
        if ns:
            ns.delete()
    return servers


def table(backend, servers, a):
    print()
    print("TCP on %s: median (slowest..fastest) of %d rounds; a round is "
          "%d MiB each way and %g s of connections per server" % (
              "QEMU user networking (hostfwd)" if backend == "user"
              else "tap devices in a network namespace", a.runs, a.mib,
              a.seconds))
    line = "%-30s" + " %21s" * len(servers) + "  %s"
    cairn = [s for s in servers if s.key != "linux"]
    linux = [s for s in servers if s.key == "linux"][0]
    print(line % tuple([""] + [s.label for s in servers] + [
        "  ".join("Cairn/Linux" for _ in cairn)]))

    def spread(v, f="%.1f"):
        return (f + " (" + f + ".." + f + ")") % (median(v), min(v), max(v))

    def row(name, cell, value=None):
        cells = [cell(s) for s in servers]
        ratios = ""
        if value:
            lx = value(linux)
            ratios = "  ".join(("%.2fx" % (value(s) / lx)).rjust(11)
                               if lx else "-".rjust(11) for s in cairn)
        print(line % tuple([name] + cells + [ratios]))

    row("host -> guest MB/s", lambda s: spread(s.rx), lambda s: median(s.rx))
    row("guest -> host MB/s", lambda s: spread(s.tx), lambda s: median(s.tx))
    row("connections/s", lambda s: spread(s.cps, "%.0f"),
        lambda s: median(s.cps))
    row("  p50 / p99 us", lambda s: "%.0f / %.0f" % (
        pct(sorted(s.us), 50), pct(sorted(s.us), 99)))
    row("  failed", lambda s: "%d of %d" % (s.errors, s.errors + len(s.us)))
    if a.server_closes:
        row("conn/s, server closes first", lambda s: spread(s.sc_cps, "%.0f"),
            lambda s: median(s.sc_cps))
        row("  p50 / p99 us", lambda s: "%.0f / %.0f" % (
            pct(sorted(s.sc_us), 50), pct(sorted(s.sc_us), 99)))
        row("  failed", lambda s: "%d of %d" % (
            s.sc_errors, s.sc_errors + len(s.sc_us)))
    for s in servers:
        for l in s.error_lines[:6]:
            print("  %s: %s" % (s.label, l))
        if len(s.error_lines) > 6:
            print("  %s: ... %d more" % (s.label, len(s.error_lines) - 6))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--O", dest="out",
                    default=os.path.join(h.SRCTREE, "build", "bench-tcp"))
    ap.add_argument("--mib", type=int, default=64,
                    help="MiB per throughput round (default 64)")
    ap.add_argument("--runs", type=int, default=3,
                    help="rounds of each test (default 3)")
    ap.add_argument("--seconds", type=float, default=2.0,
                    help="connection-rate seconds per round (default 2)")
    ap.add_argument("--backends", default="user,tap",
                    help="user, tap or both (default user,tap)")
    ap.add_argument("--no-server-closes", dest="server_closes",
                    action="store_false",
                    help="skip the connection rate with the server "
                    "closing first")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    backends = [b for b in a.backends.split(",") if b]
    if not backends or any(b not in ("user", "tap") for b in backends):
        ap.error("--backends takes user, tap or user,tap")
    if not 1 <= a.mib <= 4096 or not 1 <= a.runs <= 20 or \
            not 0 < a.seconds <= 60:
        ap.error("need 1 <= --mib <= 4096, 1 <= --runs <= 20, "
                 "0 < --seconds <= 60")
    out = os.path.abspath(a.out)
    t0 = time.monotonic()
    results, sizes = {}, []
    try:
        images = {}
        for key, label, extra in SERVERS:
            if extra is None:
                continue
            image, size = h.make_cairn(os.path.join(out, "cairn-" + key),
                                       APP, extra)
            images[key] = image
            sizes.append("%s: %d bytes stripped, image ends at %d KiB "
                         "(-m must cover it)" % (label, size,
                                                 h.image_end(image) >> 10))
        prog = h.build_static(os.path.join(HERE, "tcpsink.c"),
                              os.path.join(out, "linux", "tcpsink"))
        for backend in backends:
            guest = h.linux_guest(		# SERVERS[0]: on tap0
                os.path.join(out, "linux", "guest-" + backend), [prog],
                ["tcpsink %d %d" % (PORT, PORT2)],
                h.linux_setup(backend, SUBNETS[0] + ".2"))
            say("%s back-end: the three servers" % backend)
            results[backend] = run_backend(backend, images, guest, a)
    except h.Fail as e:
        say("error: %s" % e)
        return 1
    for backend in backends:
        table(backend, results[backend], a)
    print()
    for l in sizes:
        print(l)
    print("Linux guest: " + [s for s in results[backends[0]]
                             if s.key == "linux"][0].info)
    for backend in backends:
        for s in results[backend]:
            if s.key in ("linux", "malloc"):
                print("QEMU, %s, %s: %s" % (s.label, backend, s.cmd))
    say("took %.0f s" % (time.monotonic() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
