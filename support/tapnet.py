# SPDX-License-Identifier: BSD-3-Clause
"""Tap devices and network namespaces, with iproute2 (`ip`), as root.

The one place that sets up a guest's tap network: support/qemu.py's
`--net tap` (make run NET=tap), the network tests (tests/test_net.py,
tests/test_httpd.py) and the benchmarks' tap back-end
(support/bench/harness.py) all call these functions.

Two shapes:

- Persistent taps inside a namespace (`make_namespace`, `add_tap`): the
  tests and benchmarks create a namespace, a tap per guest with a host
  address in it, and start QEMU inside the namespace (`ip netns exec`),
  so that nothing they do is seen by the rest of the machine.
- A tap QEMU creates itself (`qemu_tap_args` with script=no, then
  `configure_when_up`): QEMU opens /dev/net/tun with the name, which
  makes a non-persistent device that the kernel deletes when QEMU's file
  descriptor closes: at exit, on Ctrl-C, on a crash or a SIGKILL. The
  launcher only gives the host side its address once the device exists.

Errors are TapError with a message that names the command and what the
user can do (root, iproute2).
"""
import ipaddress
import os
import subprocess
import time

NS_PREFIX = ("ip", "netns", "exec")


class TapError(RuntimeError):
    pass


def sh(*cmd, ns=None):
    """Runs cmd (inside namespace ns if given); TapError on failure."""
    full = (list(NS_PREFIX) + [ns] if ns else []) + list(cmd)
    try:
        p = subprocess.run(full, capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        raise TapError("'%s' not found: install iproute2 (apt-get install "
                       "iproute2)" % full[0])
    if p.returncode:
        raise TapError("%s failed (status %d): %s (tap networking needs "
                       "root and iproute2)" % (" ".join(full), p.returncode,
                                              p.stderr.strip()))
    return p.stdout


def ns_prefix(ns):
    """The command prefix that runs a program inside namespace ns."""
    return NS_PREFIX + (ns,)


def delete_namespace(ns):
    """Deletes namespace ns and everything in it (no error if absent)."""
    subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def add_tap(ifname, host_cidr, ns=None, neighbour=None):
    """A persistent tap ifname, up, with host_cidr (A.B.C.D/LEN) on this
    side; neighbour=(guest address, MAC) enters the guest as a permanent
    ARP neighbour (a guest busy under TCG may answer ARP late)."""
    sh("ip", "tuntap", "add", ifname, "mode", "tap", ns=ns)
    sh("ip", "addr", "add", host_cidr, "dev", ifname, ns=ns)
    sh("ip", "link", "set", ifname, "up", ns=ns)
    if neighbour:
        sh("ip", "neigh", "replace", neighbour[0], "lladdr", neighbour[1],
           "nud", "permanent", "dev", ifname, ns=ns)


def make_namespace(ns, taps=()):
    """Namespace ns (a stale one of that name is deleted first) with lo
    up and one tap per (ifname, host_cidr[, (guest, mac)]) of taps.
    Returns the exec prefix; on failure the namespace is deleted again."""
    delete_namespace(ns)
    sh("ip", "netns", "add", ns)
    try:
        sh("ip", "link", "set", "lo", "up", ns=ns)
        for t in taps:
            add_tap(t[0], t[1], ns=ns, neighbour=t[2] if len(t) > 2 else None)
    except TapError:
        delete_namespace(ns)
        raise
    return ns_prefix(ns)


def free_tap_name(prefix="cairn"):
    """The first name prefixN that no interface of this namespace has."""
    i = 0
    while os.path.exists("/sys/class/net/%s%d" % (prefix, i)):
        i += 1
    return "%s%d" % (prefix, i)


def exists(ifname):
    return os.path.exists("/sys/class/net/" + ifname)


def is_tap(ifname):
    """True when ifname is a tun/tap device (it has tun_flags)."""
    return os.path.exists("/sys/class/net/%s/tun_flags" % ifname)


def qemu_tap_args(ifname, device, netdev_id="net0", mac=None):
    """QEMU's -netdev/-device pair for tap ifname, no helper scripts;
    device is the NIC model (virtio-net-pci, virtio-net-device, ...)."""
    return ["-netdev", "tap,id=%s,ifname=%s,script=no,downscript=no"
            % (netdev_id, ifname), "-device",
            "%s,netdev=%s%s" % (device, netdev_id,
                                ",mac=" + mac if mac else "")]


def configure_when_up(ifname, host_cidr, alive, timeout=20.0):
    """Waits until ifname exists (QEMU creates it) while alive() is true,
    then gives it host_cidr and brings it up. Returns None or a message."""
    end = time.time() + timeout
    while not exists(ifname):
        if not alive() or time.time() > end:
            return "tap %s did not appear (QEMU did not start?)" % ifname
        time.sleep(0.02)
    try:
        sh("ip", "addr", "add", host_cidr, "dev", ifname)
        sh("ip", "link", "set", ifname, "up")
    except TapError as e:
        return str(e)
    return None


def host_side(guest_cidr, gateway=None):
    """(host address/LEN, guest address) for a point-to-point tap with the
    guest at guest_cidr (A.B.C.D/LEN): the host takes the guest's gateway
    when it is in the subnet, else the first address that is not the
    guest's. ValueError for a subnet with no room for two hosts."""
    iface = ipaddress.ip_interface(guest_cidr)
    net = iface.network
    if net.num_addresses < 4:
        raise ValueError("%s leaves no address for the host side"
                         % guest_cidr)
    host = None
    if gateway:
        gw = ipaddress.ip_address(gateway)
        if gw in net and gw != iface.ip:
            host = gw
    if host is None:
        hosts = net.hosts()
        host = next(hosts)
        if host == iface.ip:
            host = next(hosts)
    return "%s/%d" % (host, net.prefixlen), str(iface.ip)
