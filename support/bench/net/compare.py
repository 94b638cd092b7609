# SPDX-License-Identifier: BSD-3-Clause
"""Cairn's netdev against a Linux guest's packet socket, side by side.

    /usr/bin/python3 support/bench/net/compare.py [--O DIR] [--seconds S]
        [--runs R] [-v]

Both sides send minimum-size (60-byte) Ethernet frames, broadcast with the
local experimental ethertype 0x88b5, as fast as the virtio-net device
takes them, for --runs rounds of --seconds, and report the medians of
the frames the device completed per second. On Cairn it is
apps/bench-netdev (its main.c links to netdev_tx.c here): cn_netdev_tx()
straight into the driver, -EAGAIN retried after cn_netdev_poll() (and a
50 us sleep while the queue stays full). On Linux linux.py runs
packet_tx.c in a Debian guest: send() on a blocking AF_PACKET SOCK_RAW
socket, through eth0's qdisc, and with PACKET_QDISC_BYPASS (ENOBUFS
retried the same way).
Same QEMU for both: -M pc, TCG, -cpu max, -m 256M, one vCPU, virtio-net-pci
on QEMU's user network (support/qemu.py --net user). Prints both figures
and the ratio Cairn/Linux (higher: Cairn sends faster). No goal, no
timing assertion; exits 1 when either side fails. Standard library only;
`make bench-net`.
"""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
APP = "bench-netdev"
MEM = "256M"


def fail(msg):
    sys.stderr.write("bench-net: %s\n" % msg)
    sys.exit(1)


def qemu_args(image, a):
    return [PYTHON, os.path.join(SRCTREE, "support", "qemu.py"),
            "--kernel", image, "--machine", "pc", "--accel", "tcg",
            "--cpu", "max", "--mem", MEM, "--net", "user",
            "--timeout", "120", "--args=%g %d" % (a.seconds, a.runs)]


def cairn(out, a):
    app = os.path.join(SRCTREE, "apps", APP)
    for goal in (["defconfig"], []):
        p = subprocess.run(["make", "-C", SRCTREE, "O=" + out, "APP=" + app]
                           + goal, capture_output=True, text=True)
        if p.returncode:
            fail("building apps/%s failed:\n%s" % (APP, p.stderr[-2000:]))
    cmd = qemu_args(os.path.join(out, APP + "_qemu-x86_64"), a)
    flags = subprocess.run(cmd + ["--print"], capture_output=True,
                           text=True).stdout.strip()
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True)
    if p.returncode:
        fail("apps/%s failed (status %d):\n%s%s" % (
            APP, p.returncode, p.stdout[-1500:], p.stderr[-1500:]))
    if a.verbose:
        for l in p.stdout.splitlines():
            if l.startswith("netdev_tx: "):
                sys.stderr.write("bench-net: cairn: %s\n" % l)
        sys.stderr.flush()
    figures = dict((k, float(v)) for k, v in
                   re.findall(r"^(\w+): ([\d.]+)$", p.stdout, re.M))
    if any(k not in figures for k in ("frames_per_s", "frames_per_s_min",
                                      "frames_per_s_max")):
        fail("apps/%s printed no figures:\n%s" % (APP, p.stdout[-1500:]))
    return figures, flags


def linux(out, a):
    cmd = [PYTHON, os.path.join(HERE, "linux.py"), "--O", out, "--json",
           "--seconds", "%g" % a.seconds, "--runs", str(a.runs)]
    if a.verbose:
        cmd.append("-v")
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=None if a.verbose else subprocess.PIPE,
                       text=True)
    if p.returncode:
        fail("the Linux guest run failed:\n" + (p.stderr or "")[-2000:])
    return json.loads(p.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--O", dest="out",
                    default=os.path.join(SRCTREE, "build", "bench-net"))
    ap.add_argument("--seconds", type=float, default=2.0,
                    help="length of a timed round (default 2)")
    ap.add_argument("--runs", type=int, default=5,
                    help="timed rounds, median reported (default 5)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="show every round and the Linux guest's notes")
    a = ap.parse_args()
    if not 0 < a.seconds <= 60 or not 1 <= a.runs <= 100:
        ap.error("need 0 < --seconds <= 60 and 1 <= --runs <= 100")
    c, flags = cairn(os.path.join(a.out, "cairn"), a)
    l = linux(a.out, a)
    print("Network: 60-byte frames per second, median (slowest..fastest) "
          "of %d rounds of %g s\n(TCG, -M pc, -cpu max, -m %s, one vCPU, "
          "virtio-net-pci on -netdev user)" % (a.runs, a.seconds, MEM))
    print("%-32s %22s %22s %12s" % ("frames the device completed /s",
                                    "Linux guest", "Cairn", "Cairn/Linux"))
    cr = "%.0f (%.0f..%.0f)" % (c["frames_per_s"], c["frames_per_s_min"],
                                c["frames_per_s_max"])
    for name, m in (("AF_PACKET through the qdisc", ""),
                    ("AF_PACKET, PACKET_QDISC_BYPASS", "bypass_")):
        lr = "%.0f (%.0f..%.0f)" % (l[m + "frames_per_s"],
                                    l[m + "frames_per_s_min"],
                                    l[m + "frames_per_s_max"])
        ratio = c["frames_per_s"] / l[m + "frames_per_s"] \
            if l[m + "frames_per_s"] else float("inf")
        print("%-32s %22s %22s %11.2fx" % (name, lr, cr, ratio))
    print("QEMU, Cairn: " + flags)
    print("QEMU, Linux: " + l["qemu"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
