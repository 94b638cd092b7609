# SPDX-License-Identifier: BSD-3-Clause
"""Network: raw 60-byte frames per second, Cairn's netdev against a
Linux guest's packet socket.

Both sides send minimum-size broadcast frames (ethertype 0x88b5, local
experimental; QEMU's user network drops them) as fast as the
virtio-net device takes them, for --runs rounds of --seconds, and report
the median of the frames the device completed per second. Cairn:
apps/bench-netdev (netdev_tx.c here: cn_netdev_tx() straight into the
driver). Linux: packet_tx.c, send() on an AF_PACKET socket, once through
eth0's qdisc and once with PACKET_QDISC_BYPASS. virtio-net-pci on QEMU's
user network for both, or the NIC make's NIC= names (e1000, rtl8139).
Ratio Cairn/Linux (higher: Cairn faster); no goal.
"""
import os

from support.bench import harness as h

TITLE = "raw 60-byte frames/s through netdev vs a Linux guest"
HERE = os.path.dirname(os.path.abspath(__file__))
APPS = [("bench-netdev", "")]
KEYS = ("frames_per_s", "frames_per_s_min", "frames_per_s_max")
MODES = (("", "qdisc", "AF_PACKET through the qdisc"),
         ("bypass_", "bypass", "AF_PACKET, PACKET_QDISC_BYPASS"))


def options(ap):
    ap.add_argument("--seconds", type=float, default=2.0,
                    help="length of a timed round (default 2)")
    ap.add_argument("--runs", type=int, default=5,
                    help="timed rounds, median reported (default 5)")


def cell(f, m=""):
    if not f:
        return "failed"
    return "%.0f (%.0f..%.0f)" % tuple(f[m + k] for k in KEYS)


def run(a):
    if not 0 < a.seconds <= 60 or not 1 <= a.runs <= 100:
        raise h.Fail("need 0 < --seconds <= 60 and 1 <= --runs <= 100")
    # Each mode: a warm-up and the rounds, each followed by a drain of
    # at most 1 s; then twice that as a margin for a loaded host.
    work = 60 + 2 * len(MODES) * (a.runs + 1) * (a.seconds + 1)
    args = "%g %d" % (a.seconds, a.runs)
    net = h.Net("user")
    image = h.make_cairn(os.path.join(a.out, "cairn"), APPS[0][0])
    ccmd = h.cairn_command(image, net=net, args=args)
    c, cwhy = h.cairn_run(ccmd, KEYS, work)

    guest = h.linux_guest(os.path.join(a.out, "linux", "guest"),
                          [os.path.join(HERE, "packet_tx.c")],
                          ["packet_tx %s %s" % (args, mode)
                           for _, mode, _ in MODES],
                          ["ip link set eth0 up"],
                          h.nic_modules())
    lcmd = h.linux_command(guest, net=net)
    l, lwhy = h.linux_run(lcmd, ["packet_tx"],
                          [m + k for m, _, _ in MODES for k in KEYS], work)

    rows, summary = [], []
    for m, _, label in MODES:
        r = h.ratio(c and c["frames_per_s"], l and l[m + "frames_per_s"])
        rows.append([label, cell(l, m), cell(c), r])
        fig = "net%s: 60-byte frames/s (Linux %s)" % (
            "" if h.NIC == "virtio" else " on " + h.NIC, label.split(", ")[-1])
        if c and l:
            summary.append(h.row(fig, "%.0f" % c["frames_per_s"],
                                 "%.0f" % l[m + "frames_per_s"], r))
        else:
            summary.append(h.failed_row(fig, cwhy or lwhy))
    h.table("Network: 60-byte frames the device completed per second, "
            "median (slowest..fastest) of %d rounds of %g s\n(TCG, -M pc, "
            "-cpu max, -m %s, one vCPU, %s on -netdev user)"
            % (a.runs, a.seconds, h.MEM, h.NIC_DEVICES[h.NIC]),
            ["", "Linux guest", "Cairn", "Cairn/Linux"], rows)
    h.footer([("Cairn", cwhy), ("Linux guest", lwhy)], guest,
             [("Cairn", ccmd), ("Linux", lcmd)])
    return summary
