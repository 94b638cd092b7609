# SPDX-License-Identifier: BSD-3-Clause
"""Servers under test in QEMU, for the network benchmarks that drive a
guest from the host (make bench-tcp, make bench-http).

Both sides run on the same QEMU flags: -M pc, TCG, -cpu max, -m 256M, one
vCPU, a virtio-net-pci device named net0 on one of two back-ends:

  user  QEMU's user network with a hostfwd port on 127.0.0.1 (what make
        run uses); the guest is 10.0.2.15 (Cairn by DHCP, the Linux
        guest by `ip addr add`)
  tap   a tap device in a network namespace this module creates and
        deletes (ip netns add; one tap device per guest, the host side
        SUBNET.1/24, the guest SUBNET.2/24, static on both sides); QEMU
        and the client run inside the namespace

Cairn images are built with make (O= a folder of their own) and started
through the command `support/qemu.py --print` gives; the Linux guest is
support/bench/linux-guest/build.py's. Each guest runs in the background
with its console collected, so the caller can wait for a line, run a
client and stop it. Standard library only; needs root for the namespace.
"""
import atexit
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") \
    else sys.executable
GUEST_BUILDER = os.path.join(SRCTREE, "support", "bench", "linux-guest",
                             "build.py")
QEMU = "qemu-system-x86_64"
MEM = "256M"
MODULES = ["virtio_pci", "virtio_net"]
TAP_NETDEV = "tap,id=net0,ifname=%s,script=no,downscript=no"
DEVICE = "virtio-net-pci,netdev=net0"


class Fail(Exception):
    pass


def last_lines(text, n=25):
    return "\n".join("    " + l for l in text.strip().splitlines()[-n:])


def quote(cmd):
    return " ".join(shlex.quote(c) for c in cmd)


# ------------------------------------------------------------- cleanup

_cleanups = []


def on_exit(fn):
    """Runs fn at exit, also when the script is stopped by SIGTERM,
    SIGHUP or Ctrl-C; the last registered runs first."""
    _cleanups.append(fn)


def _run_cleanups():
    while _cleanups:
        fn = _cleanups.pop()
        try:
            fn()
        except Exception as e:		# keep cleaning up
            sys.stderr.write("cleanup: %s\n" % e)


def _on_signal(signum, frame):
    _run_cleanups()
    sys.exit(128 + signum)


atexit.register(_run_cleanups)
for _s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
    signal.signal(_s, _on_signal)


# ----------------------------------------------------------- namespace

class Namespace:
    """A network namespace with one tap device per guest: tapI is
    SUBNETS[I].1/24 on this side, the guest takes SUBNETS[I].2/24. Each
    guest has its own link, so all can run at once."""

    def __init__(self, tag, subnets):
        self.name = "cairn-bench-%s-%d" % (tag, os.getpid())
        self.prefix = ["ip", "netns", "exec", self.name]
        self.taps = [{"ifname": "tap%d" % i, "host_ip": s + ".1",
                      "guest_ip": s + ".2"} for i, s in enumerate(subnets)]
        self._sh("ip", "netns", "add", self.name)
        on_exit(self.delete)
        try:
            self._sh(*self.prefix, "ip", "link", "set", "lo", "up")
            for t in self.taps:
                self._sh(*self.prefix, "ip", "tuntap", "add", t["ifname"],
                         "mode", "tap")
                self._sh(*self.prefix, "ip", "addr", "add",
                         t["host_ip"] + "/24", "dev", t["ifname"])
                self._sh(*self.prefix, "ip", "link", "set", t["ifname"],
                         "up")
        except Fail:
            self.delete()
            raise

    @staticmethod
    def _sh(*cmd):
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode:
            raise Fail("%s failed (status %d): %s (the tap back-end needs "
                       "root and iproute2)" % (quote(cmd), p.returncode,
                                               p.stderr.strip()))

    def delete(self):
        subprocess.run(["ip", "netns", "del", self.name],
                       capture_output=True)


def backend_flags(backend, fwds=(), tap="tap0"):
    """QEMU network flags, the same for Cairn and the Linux guest; fwds
    are the user network's (host port, guest port) forwards."""
    if backend == "user":
        return ["-netdev", "user,id=net0" + "".join(
            ",hostfwd=tcp:127.0.0.1:%d-:%d" % f for f in fwds),
            "-device", DEVICE]
    return ["-netdev", TAP_NETDEV % tap, "-device", DEVICE]


# --------------------------------------------------------------- guests

class Guest:
    """A QEMU process in the background; its console is collected."""

    def __init__(self, cmd, label):
        self.cmd, self.label = cmd, label
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        on_exit(self.kill)
        self.out = ""
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in iter(self.proc.stdout.readline, b""):
            with self.lock:
                self.out += line.decode(errors="replace").replace("\r", "")

    def output(self):
        with self.lock:
            return self.out

    def wait_for(self, pattern, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            m = re.search(pattern, self.output(), re.M)
            if m:
                return m
            if self.proc.poll() is not None:
                time.sleep(0.2)		# let the reader catch up
                m = re.search(pattern, self.output(), re.M)
                if m:
                    return m
                raise Fail("%s: QEMU exited (status %s) before printing "
                           "%r; console:\n%s" % (
                               self.label, self.proc.returncode, pattern,
                               last_lines(self.output())))
            time.sleep(0.05)
        raise Fail("%s: no %r within %d s; console:\n%s" % (
            self.label, pattern, timeout, last_lines(self.output())))

    def wait_exit(self, timeout):
        """QEMU's exit status; kills it and fails after timeout."""
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise Fail("%s: QEMU still running %d s after the end; "
                       "console:\n%s" % (self.label, timeout,
                                         last_lines(self.output())))
        self.reader.join(timeout=5)
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.reader.join(timeout=5)


# ---------------------------------------------------------------- Cairn

def make_cairn(out, app, extra_config=""):
    """Builds apps/APP into out from its defconfig plus extra_config
    (lines of .config syntax); returns (image path, stripped size)."""
    appdir = os.path.join(SRCTREE, "apps", app)
    os.makedirs(out, exist_ok=True)
    defconfig = os.path.join(out, "bench.defconfig")
    text = ""
    base = os.path.join(appdir, "defconfig")
    if os.path.exists(base):
        with open(base) as f:
            text = f.read()
    text += extra_config
    old = None
    if os.path.exists(defconfig):
        with open(defconfig) as f:
            old = f.read()
    goals = [[]]
    if old != text or not os.path.exists(os.path.join(out, ".config")):
        with open(defconfig, "w") as f:
            f.write(text)
        goals = [["defconfig"], []]
    for goal in goals:
        p = subprocess.run(["make", "-C", SRCTREE, "O=" + out,
                            "APP=" + appdir, "DEFCONFIG=" + defconfig] + goal,
                           capture_output=True, text=True)
        if p.returncode:
            raise Fail("building apps/%s in %s failed:\n%s"
                       % (app, out, last_lines(p.stdout + p.stderr)))
    image = os.path.join(out, app + "_qemu-x86_64")
    return image, os.path.getsize(image)


def cairn_command(image, backend, params="", args="", fwds=(),
                  initrd=None, mem=MEM, tap="tap0"):
    """The QEMU command support/qemu.py builds for image."""
    cmd = [PYTHON, os.path.join(SRCTREE, "support", "qemu.py"),
           "--kernel", image, "--machine", "pc", "--accel", "tcg",
           "--cpu", "max", "--mem", mem, "--params=" + params,
           "--args=" + args, "--print"]
    if backend == "user":
        cmd += ["--net", "user"]
        for f in fwds:
            cmd += ["--hostfwd", "tcp:127.0.0.1:%d-:%d" % f]
    else:
        cmd += ["--extra", "-netdev %s -device %s" % (TAP_NETDEV % tap,
                                                       DEVICE)]
    if initrd:
        cmd += ["--initrd", initrd]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        raise Fail("support/qemu.py refused: %s" % p.stderr.strip())
    return shlex.split(p.stdout.strip())


def cairn_refusal(image, mem):
    """support/qemu.py's reason to refuse -m mem for image, or None."""
    p = subprocess.run([PYTHON, os.path.join(SRCTREE, "support", "qemu.py"),
                        "--kernel", image, "--mem", mem, "--print"],
                       capture_output=True, text=True)
    return p.stderr.strip() if p.returncode else None


def image_end(image):
    """Highest address of the image (its .bss included), in bytes."""
    sys.path.insert(0, os.path.join(SRCTREE, "support"))
    import qemu
    return qemu.image_span(image)[1]


# ---------------------------------------------------------------- Linux

def build_static(src, exe, extra_flags=()):
    """gcc -O2 -static src -o exe, when src is newer."""
    try:
        if os.stat(exe).st_mtime_ns >= os.stat(src).st_mtime_ns:
            return exe
    except OSError:
        pass
    os.makedirs(os.path.dirname(exe), exist_ok=True)
    cmd = ["gcc", "-O2", "-static", "-Wall"] + list(extra_flags) + \
        ["-o", exe + ".tmp", src]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        raise Fail("cannot build %s (static linking needs the Debian "
                   "package libc6-dev):\n%s" % (src, last_lines(p.stderr)))
    os.replace(exe + ".tmp", exe)
    return exe


def linux_guest(out, programs, run_lines, setup):
    """Builds the Linux guest into out; returns guest.json's content."""
    cmd = [PYTHON, GUEST_BUILDER, "build", out, "--modules"] + MODULES
    for p in programs:
        cmd += ["--extra", p]
    for l in run_lines:
        cmd += ["--run", l]
    for l in setup:
        cmd += ["--setup", l]
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=1800)
    if p.returncode:
        raise Fail("the Linux guest build failed (%s):\n%s"
                   % (quote(cmd), last_lines(p.stderr)))
    with open(os.path.join(out, "guest.json")) as f:
        return json.load(f)


def linux_setup(backend, guest_ip):
    """The guest's network setup: the address Cairn gets (10.0.2.15 from
    QEMU's DHCP, or the static tap address), eth0 and lo up."""
    ip = "10.0.2.15/24" if backend == "user" else guest_ip + "/24"
    return ["ip addr add %s dev eth0" % ip, "ip link set eth0 up",
            "ip link set lo up"]


def linux_command(guest, backend, fwds=(), initrd=None, mem=MEM,
                  tap="tap0"):
    return [QEMU, "-M", "pc", "-accel", "tcg", "-cpu", "max", "-smp", "1",
            "-m", mem, "-nodefaults", "-no-user-config", "-display", "none",
            "-serial", "stdio", "-no-reboot"] + \
        backend_flags(backend, fwds, tap) + [
            "-kernel", guest["kernel"], "-initrd", initrd or guest["initrd"],
            "-append", guest["append"]]


def linux_info(guest, console):
    info = [l[1:].strip() for l in console.splitlines()
            if l.startswith("# linux-guest:")]
    pk = guest.get("packages", {})
    return "%s; %s %s, %s %s" % (
        info[0] if info else "?",
        pk.get("kernel", {}).get("package"),
        pk.get("kernel", {}).get("version"),
        pk.get("busybox", {}).get("package"),
        pk.get("busybox", {}).get("version"))


def linux_problems(console):
    """Setup or module lines that failed in the Linux guest."""
    return [l for l in console.splitlines()
            if l.startswith(("LINUX_GUEST_MODULE ", "LINUX_GUEST_SETUP "))]


class Client:
    """support/bench/tcp/client.py stdio, in the namespace if one is
    given: one JSON request, one JSON answer."""

    def __init__(self, ns=None):
        self.proc = subprocess.Popen(
            (ns.prefix if ns else []) +
            [PYTHON, os.path.join(HERE, "client.py"), "stdio"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        on_exit(self.close)

    def call(self, **req):
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise Fail("the client exited (status %s)" % self.proc.poll())
        return json.loads(line)

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
