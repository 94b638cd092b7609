# SPDX-License-Identifier: BSD-3-Clause
"""What every benchmark shares: build a Cairn image, build and boot the
Linux guest, run a client, parse, retry, print side-by-side tables.

Each benchmark is a folder support/bench/<name>/ whose bench.py only says
what differs (its apps, programs, figures); support/bench/__main__.py
runs it (`python3 -m support.bench <name>` from the tree root, or
`make bench-<name>`). The rules this module keeps for all of them:

- Same QEMU for both sides: -M pc (unless a bench says otherwise), TCG,
  -cpu max, one vCPU, -m 256M; the Linux guest's command line is written
  once, in linux_command().
- Readiness, not fixed delays: a guest is ready when it prints its marker
  line and, for servers, when a probe through the network gets the right
  answer (wait_ready()); both are bounded.
- A round that fails is tried once more (attempt()); if it fails again it
  becomes a row that says why, and the other rows still run.
- Traffic goes only to 127.0.0.1 (QEMU's user network, hostfwd) or to
  addresses inside a network namespace made here (Namespace), with fixed
  MAC addresses and permanent neighbour entries, so no ARP resolution can
  fail under load.

Standard library only; the tap back-end needs root and iproute2.
"""
import atexit
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time

from support import tapnet
from support.bench import linux_guest as guest_builder

SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") \
    else sys.executable
QEMU = "qemu-system-x86_64"
MEM = "256M"
# Per architecture: the .config lines that select it (added to an app's
# defconfig), the machine and CPU both sides run on, their QEMU, the
# cross compiler of the guest's static programs. arm64 turns pointer
# authentication off on both: Debian's kernel signs every return address
# and TCG emulates QARMA in software, which makes the Linux guest ~4x
# slower than the same instructions cost on hardware (its boot: 24 s
# against 6 s); Cairn does not use it, so it gains nothing from this.
ARCHES = {
    "x86_64": {"config": "", "machine": "pc", "cpu": "max", "qemu": QEMU,
               "cc": "gcc"},
    "arm64": {"config": "CONFIG_ARCH_ARM64=y\nCONFIG_PLAT_QEMU_AARCH64=y\n",
              "machine": "virt", "cpu": "max,pauth=off",
              "qemu": "qemu-system-aarch64", "cc": "aarch64-linux-gnu-gcc"},
}


ARCH = "x86_64"         # the benchmark's; use_arch() changes it


def use_arch(name):
    """Makes name the architecture of cairn_command's and linux_guest's
    defaults (the benchmark's --arch)."""
    global ARCH
    ARCH = name


def arch_option(ap):
    """--arch for benchmarks that run on both architectures."""
    ap.add_argument("--arch", choices=sorted(ARCHES), default="x86_64",
                    help="the architecture of both sides (default x86_64; "
                    "arm64: QEMU -M virt, a Debian arm64 Linux guest)")
# The NIC of the network benchmarks, on both sides: make bench-net
# NIC=e1000 (make passes NIC in the environment), the Linux guest
# loading the matching driver. QEMU's rtl8139 is an RTL8139C+ (revision
# 0x20): Linux's 8139too refuses it ("use 8139cp"), so 8139cp drives it.
NIC = os.environ.get("NIC") or "virtio"
NIC_DEVICES = {"virtio": "virtio-net-pci", "e1000": "e1000",
               "rtl8139": "rtl8139"}
NIC_MODULES = {"virtio": ["virtio_pci", "virtio_net"], "e1000": ["e1000"],
               "rtl8139": ["8139cp"]}
DEVICE = NIC_DEVICES.get(NIC, "?") + ",netdev=net0"
MAC = "52:54:00:cb:00:%02x"		# guest I's MAC on tap I
LINE = re.compile(r"^([A-Za-z_][\w/]*): (-?[0-9]+(?:\.[0-9]+)?)$", re.M)
NAME = "bench"				# set by __main__ to the benchmark's


class Fail(Exception):
    pass


def say(msg):
    print("bench-%s: %s" % (NAME, msg), file=sys.stderr, flush=True)


def last_lines(text, n=25):
    return "\n".join("    " + l for l in text.strip().splitlines()[-n:])


def quote(cmd):
    return " ".join(shlex.quote(c) for c in cmd)


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2.0


def spread(v, f="%.1f"):
    """'median (slowest..fastest)' of a list of values."""
    return (f + " (" + f + ".." + f + ")") % (median(v), min(v), max(v))


# ------------------------------------------------------------- cleanup

_cleanups = []


def on_exit(fn):
    """Runs fn at exit, also on SIGTERM, SIGHUP or Ctrl-C; the last
    registered runs first."""
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


# --------------------------------------------------------------- rounds

def attempt(label, fn, *args, **kw):
    """fn(*args, **kw), tried once more if it raises Fail; returns
    (result, None), or (None, reason) when both tries failed."""
    for i in (1, 2):
        try:
            return fn(*args, **kw), None
        except (Fail, subprocess.TimeoutExpired) as e:
            first = str(e).splitlines()[0] if str(e) else type(e).__name__
            say("%s failed%s: %s" % (label, "" if i == 1 else " again", e))
            if i == 2:
                return None, first


def wait_ready(probe, timeout, label, guest=None):
    """Calls probe() until it returns true, at most timeout seconds;
    fails with probe's last error (and the guest's console)."""
    end = time.monotonic() + timeout
    why = "no answer"
    while True:
        try:
            if probe():
                return
        except (OSError, Fail, subprocess.SubprocessError) as e:
            why = str(e).strip().splitlines()[-1] if str(e).strip() \
                else type(e).__name__
        if guest and not guest.alive():
            raise Fail("%s: QEMU exited (status %s) before it answered; "
                       "console:\n%s" % (label, guest.proc.returncode,
                                         last_lines(guest.output())))
        if time.monotonic() >= end:
            raise Fail("%s: not answering within %d s (%s)%s" % (
                label, timeout, why, "; console:\n" +
                last_lines(guest.output()) if guest else ""))
        time.sleep(0.2)


def server_round(label, guest, fn, ready):
    """fn() as one round against a server in guest, tried once more
    (after ready() answers again) if it fails; (result, None) or (None,
    reason)."""
    def once():
        if not guest.alive():
            raise Fail("%s: QEMU exited; console:\n%s" % (
                guest.label, last_lines(guest.output())))
        try:
            return fn()
        except Fail:
            wait_ready(ready, 30, label, guest)
            raise
    return attempt(label, once)


# -------------------------------------------------------------- tables

def table(title, head, rows):
    """Prints title, then head and rows (lists of strings) in columns:
    the first left-aligned, the others right-aligned."""
    rows = [[str(c) for c in r] for r in rows]
    w = [max(len(r[i]) if i < len(r) else 0 for r in [head] + rows)
         for i in range(len(head))]
    print()
    print(title)
    for r in [head] + rows:
        r = r + [""] * (len(head) - len(r))
        print("  ".join([r[0].ljust(w[0])] +
                        [c.rjust(w[i + 1]) for i, c in enumerate(r[1:])])
              .rstrip())


def ratio(a, b, f="%.2fx"):
    return f % (a / b) if a is not None and b else "-"


def row(figure, cairn, base, ratio_text, goal="", met=None):
    """One line of the summary table of make bench: figure, Cairn,
    baseline, ratio, goal, met (True, False or None: no goal)."""
    return {"figure": figure, "cairn": cairn, "linux": base,
            "ratio": ratio_text, "goal": goal,
            "met": "-" if met is None else ("yes" if met else "NO")}


def failed_row(figure, why):
    return row(figure, "failed", "", "", met=None) | {"why": why}


# ------------------------------------------------------------- running

class Guest:
    """A QEMU process in the background; its console is collected."""

    def __init__(self, cmd, label):
        self.cmd, self.label = cmd, label
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT)
        except OSError as e:
            raise Fail("cannot start %s: %s" % (cmd[0], e.strerror))
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

    def alive(self):
        return self.proc.poll() is None

    def wait_for(self, pattern, timeout):
        """The first match of pattern on the console, within timeout."""
        end = time.monotonic() + timeout
        while True:
            m = re.search(pattern, self.output(), re.M)
            if m:
                return m
            if not self.alive():
                self.reader.join(timeout=5)
                m = re.search(pattern, self.output(), re.M)
                if m:
                    return m
                raise Fail("%s: QEMU exited (status %s) before printing "
                           "%r; console:\n%s" % (
                               self.label, self.proc.returncode, pattern,
                               last_lines(self.output())))
            if time.monotonic() >= end:
                raise Fail("%s: no %r within %d s; console:\n%s" % (
                    self.label, pattern, timeout,
                    last_lines(self.output())))
            time.sleep(0.05)

    def wait_exit(self, timeout):
        """QEMU's exit status; kills it and fails after timeout."""
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise Fail("%s: still running %d s after it was ready; "
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


def run_guest(cmd, label, ready, boot_timeout, work_timeout, status=0,
              cairn=True):
    """Boots cmd to the end: its ready line within boot_timeout (the
    boot, however slow the host is today), then QEMU's exit within
    work_timeout. Cairn must exit with status (isa-debug-exit gives
    (status << 1) | 1); the Linux guest powers off (QEMU status 0)."""
    g = Guest(cmd, label)
    try:
        g.wait_for(ready, boot_timeout)
        rc = g.wait_exit(work_timeout)
    finally:
        g.kill()
    want = (status << 1) | 1 if cairn else 0
    if rc != want:
        raise Fail("%s: QEMU exit status %d (expected %d); console:\n%s"
                   % (label, rc, want, last_lines(g.output())))
    return g.output()


def figures(console, names, who):
    """The `name: number` lines of console; each of names must be there."""
    got = {k: float(v) for k, v in LINE.findall(console)}
    missing = [k for k in names if k not in got]
    if missing:
        raise Fail("%s printed no %s; console:\n%s"
                   % (who, ", ".join(missing), last_lines(console)))
    return got


# ---------------------------------------------------------------- Cairn

def image_of(out, app):
    """The image make built for app in out (<app>_<platform>)."""
    for f in sorted(os.listdir(out)):
        p = os.path.join(out, f)
        if f.startswith(app + "_") and os.path.isfile(p) and \
                "." not in f[len(app):]:
            return p
    raise Fail("no image %s_<platform> in %s" % (app, out))


def make_cairn(out, app, extra_config=""):
    """Builds apps/APP into out from its defconfig plus extra_config
    (lines of .config syntax); returns the image's path."""
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
                           stdin=subprocess.DEVNULL, capture_output=True,
                           text=True)
        if p.returncode:
            raise Fail("building apps/%s in %s failed:\n%s"
                       % (app, out, last_lines(p.stdout + p.stderr)))
    return image_of(out, app)


def launcher(*args):
    """support/qemu.py ARGS --print: the QEMU command it would run, or
    Fail with its reason."""
    p = subprocess.run([PYTHON, os.path.join(SRCTREE, "support", "qemu.py")]
                       + list(args) + ["--print"], capture_output=True,
                       text=True)
    if p.returncode:
        raise Fail("support/qemu.py refused: %s" % p.stderr.strip())
    return shlex.split(p.stdout.strip())


def cairn_command(image, machine=None, mem=MEM, net=None, disk=None,
                  initrd=None, params="", args="", cpu=None, share=None,
                  diskif=None):
    """The QEMU command make run would use for image, on the benchmarks'
    flags: TCG, -cpu max (or the arch's cpu), one vCPU; machine None is
    the arch's (pc, virt)."""
    machine = machine or ARCHES[ARCH]["machine"]
    cpu = cpu or ARCHES[ARCH]["cpu"]
    cmd = ["--kernel", image, "--machine", machine, "--accel", "tcg",
           "--cpu", cpu, "--mem", mem, "--params=" + params,
           "--args=" + args]
    if net:
        check_nic()
    if net and net.backend == "user":
        cmd += ["--net", "user"] + (["--nic", NIC] if NIC != "virtio"
                                    else [])
        for f in net.fwds:
            cmd += ["--hostfwd", "tcp:127.0.0.1:%d-:%d" % f]
    elif net:
        cmd += ["--extra", " ".join(net.flags())]
    if disk:
        cmd += ["--disk", disk]
    if diskif:
        cmd += ["--diskif", diskif]
    if initrd:
        cmd += ["--initrd", initrd]
    if share:
        cmd += ["--share", share]
    return launcher(*cmd)


def check_nic():
    if NIC not in NIC_DEVICES:
        raise Fail("NIC=%s: the NICs are %s" % (NIC,
                                                ", ".join(NIC_DEVICES)))


def nic_modules():
    """The Linux guest's modules for the benchmarks' NIC."""
    check_nic()
    return NIC_MODULES[NIC]


# ---------------------------------------------------------------- Linux

def build_static(src, exe, flags=(), arch="x86_64"):
    """gcc -O2 -static src -o exe (the arch's cross gcc), when src is
    newer."""
    try:
        if os.stat(exe).st_mtime_ns >= os.stat(src).st_mtime_ns:
            return exe
    except OSError:
        pass
    os.makedirs(os.path.dirname(exe), exist_ok=True)
    if arch != "x86_64":
        # Its C library for static linking (as root, installed).
        subprocess.run([PYTHON, os.path.join(SRCTREE, "support", "deps.py"),
                        "bench-tools", "--quiet", "--arch", arch])
    cmd = [ARCHES[arch]["cc"], "-O2", "-static", "-Wall"] + list(flags) + \
        ["-o", exe + ".tmp", src]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if p.returncode:
        raise Fail("cannot build %s (static linking needs the Debian "
                   "package %s):\n%s" % (
                       src, "libc6-dev" if arch == "x86_64" else
                       "libc6-dev-arm64-cross", last_lines(p.stderr)))
    os.replace(exe + ".tmp", exe)
    return exe


class _GuestArgs:
    def __init__(self, outdir, extra, run, modules, setup, arch):
        self.outdir, self.extra, self.run = outdir, list(extra), list(run)
        self.modules, self.setup = list(modules), list(setup)
        self.kernel_package = None
        self.arch = arch


def linux_guest(out, sources, run_lines=(), setup=(), modules=(),
                cflags=(), arch=None):
    """Builds the static programs of sources (C files, gcc -O2 -static
    cflags) beside out and the Linux guest (support/bench/linux_guest.py:
    Debian's kernel and busybox, the programs, /init running run_lines
    after the setup lines and the modules) into out; returns its
    description (kernel, initrd, append, packages)."""
    arch = arch or ARCH
    programs = [build_static(src, os.path.join(
        os.path.dirname(out), os.path.basename(src)[:-2]), cflags, arch)
        for src in sources]
    try:
        return guest_builder.build(_GuestArgs(out, programs, run_lines,
                                              modules, setup, arch))
    except guest_builder.Fail as e:
        raise Fail("the Linux guest build failed: %s" % e)


def linux_command(guest, mem=MEM, net=None, disk=None, initrd=None,
                  share=None, diskif=None):
    """The Linux guest's QEMU command, the one place it is written. share:
    a host folder as virtio-9p with mount tag share0, the device
    support/qemu.py --share gives Cairn; diskif "nvme" attaches the disk
    as support/qemu.py --diskif nvme does."""
    arch = ARCHES[guest.get("arch", "x86_64")]
    # One vCPU, on x86_64 with maxcpus=2 as support/qemu.py gives Cairn,
    # so that TCG keeps both guests' fences alike. (With -smp 1 the Linux
    # guest's virtio-net was seen to stop sending for good in long
    # runs: "NETDEV WATCHDOG: ... transmit queue 0 timed out".)
    smp = "1,maxcpus=2" if guest.get("arch", "x86_64") == "x86_64" else "1"
    cmd = [arch["qemu"], "-M", arch["machine"], "-accel", "tcg", "-cpu",
           arch["cpu"], "-smp", smp,
           "-m", mem, "-nodefaults", "-no-user-config", "-display", "none",
           "-serial", "stdio", "-no-reboot"]
    if net:
        cmd += net.flags()
    if disk:
        cmd += ["-drive", "file=%s,if=none,id=disk0,format=raw" % disk,
                "-device", "nvme,serial=cairn0,drive=disk0"
                if diskif == "nvme" else "virtio-blk-pci,drive=disk0"]
    if share:
        cmd += ["-fsdev", "local,id=fsdev0,path=%s,security_model=none"
                % os.path.abspath(share), "-device",
                "virtio-9p-pci,fsdev=fsdev0,mount_tag=share0"]
    return cmd + ["-kernel", guest["kernel"],
                  "-initrd", initrd or guest["initrd"],
                  "-append", guest["append"]]


LINUX_READY = r"^# linux-guest:"	# /init: modules loaded, setup done


def linux_check(console, programs):
    """Fails unless every module and setup line worked and each of
    programs exited 0 in the guest."""
    bad = [l for l in console.splitlines()
           if l.startswith(("LINUX_GUEST_MODULE ", "LINUX_GUEST_SETUP "))]
    for p in programs:
        exits = re.findall(r"^LINUX_GUEST_EXIT %s (\d+)$" % re.escape(p),
                           console, re.M)
        if not exits or any(e != "0" for e in exits):
            bad.append("%s exited with %s" % (p, ", ".join(exits) or
                                              "nothing"))
    if bad:
        raise Fail("Linux guest: %s; console:\n%s" % ("; ".join(bad),
                                                      last_lines(console)))


def linux_info(guest, console=""):
    """Kernel and busybox of the guest, for the report."""
    info = re.findall(r"^# linux-guest: (.*)$", console, re.M)
    pk = guest.get("packages", {})
    return "%s%s %s, %s %s" % (
        info[0] + "; " if info else "",
        pk.get("kernel", {}).get("package"),
        pk.get("kernel", {}).get("version"),
        pk.get("busybox", {}).get("package"),
        pk.get("busybox", {}).get("version"))


def cairn_run(cmd, keys, work, before=None):
    """Boots Cairn's cmd to its exit (work seconds at most) and returns
    (the figures keys, None), or (None, why) when it failed twice;
    before() runs before each try (a fresh disk, say)."""
    def once():
        if before:
            before()
        return figures(run_guest(cmd, "Cairn", r"\S", 60, work), keys,
                       "Cairn")
    return attempt("Cairn", once)


def linux_run(cmd, programs, keys, work, before=None):
    """The same for the Linux guest: its setup done within 300 s, every
    one of programs exiting 0."""
    def once():
        if before:
            before()
        out = run_guest(cmd, "Linux guest", LINUX_READY, 300, work,
                        cairn=False)
        linux_check(out, programs)
        return figures(out, keys, "Linux guest")
    return attempt("Linux guest", once)


def footer(whys, guest, cmds):
    """Prints the sides that failed twice, the Linux guest's packages and
    the QEMU commands (side, command) under a benchmark's table."""
    for who, why in whys:
        if why:
            print("  %s failed twice: %s" % (who, why))
    print("Linux guest: " + linux_info(guest))
    for who, cmd in cmds:
        print("QEMU, %s: %s" % (who, quote(cmd)))


# -------------------------------------------------------------- network

class Net:
    """A guest's network: QEMU's user network with hostfwd ports on
    127.0.0.1 (backend "user"), or tap device I of a Namespace."""

    def __init__(self, backend, fwds=(), tap=None):
        self.backend, self.fwds, self.tap = backend, list(fwds), tap

    def flags(self):
        if self.backend == "user":
            return ["-netdev", "user,id=net0" + "".join(
                ",hostfwd=tcp:127.0.0.1:%d-:%d" % f for f in self.fwds),
                "-device", DEVICE]
        return ["-netdev", "tap,id=net0,ifname=%s,script=no,downscript=no"
                % self.tap["ifname"], "-device",
                DEVICE + ",mac=" + self.tap["mac"]]

    def address(self, port):
        """(host, port) a client uses to reach the guest's port."""
        if self.backend == "user":
            return "127.0.0.1", dict((g, h) for h, g in self.fwds)[port]
        return self.tap["guest_ip"], port


def backends_option(ap):
    ap.add_argument("--backends", default="user,tap",
                    help="user, tap or both (default user,tap; tap needs "
                    "root)")


def backends(a):
    """The --backends asked for, in order."""
    b = [x for x in a.backends.split(",") if x]
    if not b or any(x not in ("user", "tap") for x in b):
        raise Fail("--backends takes user, tap or user,tap")
    return b


class Monitor:
    """QEMU's human monitor on a unix socket (-monitor unix:PATH,server,
    nowait): ask() sends a command and returns what it printed before
    the next prompt."""

    def __init__(self, path, timeout=60):
        end = time.monotonic() + timeout
        while True:
            self.s = socket.socket(socket.AF_UNIX)
            try:
                self.s.connect(path)
                break
            except OSError:
                self.s.close()
                if time.monotonic() > end:
                    raise Fail("no QEMU monitor on %s" % path)
                time.sleep(0.05)
        self.s.settimeout(10)
        self.buf = b""
        self._prompt()

    def _prompt(self):
        while b"(qemu) " not in self.buf:
            data = self.s.recv(65536)
            if not data:
                raise Fail("the QEMU monitor closed")
            self.buf += data
        text, self.buf = self.buf.split(b"(qemu) ", 1)
        return text.decode(errors="replace")

    def ask(self, cmd):
        self.s.sendall(cmd.encode() + b"\n")
        return self._prompt()

    def close(self):
        self.s.close()


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Namespace:
    """A network namespace with one tap device per guest: tapI is
    SUBNETS[I].1/24 on this side, guest I takes SUBNETS[I].2/24 with MAC
    52:54:00:cb:00:0I, entered as a permanent neighbour (a guest busy
    under TCG may answer ARP late; a connect() then fails with 'No route
    to host'). Deleted at exit."""

    def __init__(self, tag, subnets):
        self.name = "cairn-bench-%s-%d" % (tag, os.getpid())
        self.prefix = ["ip", "netns", "exec", self.name]
        self.taps = [{"ifname": "tap%d" % i, "host_ip": s + ".1",
                      "guest_ip": s + ".2", "mac": MAC % i}
                     for i, s in enumerate(subnets)]
        try:
            tapnet.make_namespace(self.name, [
                (t["ifname"], t["host_ip"] + "/24", (t["guest_ip"], t["mac"]))
                for t in self.taps])
        except tapnet.TapError as e:
            raise Fail(str(e))
        on_exit(self.delete)

    def delete(self):
        tapnet.delete_namespace(self.name)

    def net(self, i):
        return Net("tap", tap=self.taps[i])


def guest_setup(guest_ip=None):
    """The Linux guest's /init setup lines: the address Cairn has
    (10.0.2.15 from QEMU's DHCP on the user network, else guest_ip, the
    static tap address), eth0 and lo up."""
    return ["ip addr add %s/24 dev eth0" % (guest_ip or "10.0.2.15"),
            "ip link set eth0 up", "ip link set lo up"]


def cairn_params(net):
    """Cairn's library parameters for net (static on a tap)."""
    return "" if net.backend == "user" else \
        "net.ip=%s/24" % net.tap["guest_ip"]


def in_ns(ns, cmd):
    return (ns.prefix if ns else []) + list(cmd)


def save(out, rows):
    """Writes the summary rows of a benchmark to out/summary.json."""
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(rows, f, indent=1)


class Client:
    """support/bench/client.py stdio, inside ns if one is given: one JSON
    request a line, one JSON answer; an answer with "error" raises Fail."""

    def __init__(self, ns=None):
        self.proc = subprocess.Popen(
            in_ns(ns, [PYTHON, "-m", "support.bench.client", "stdio"]),
            cwd=SRCTREE, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True)
        on_exit(self.close)

    def call(self, **req):
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise Fail("the client exited (status %s)" % self.proc.poll())
        r = json.loads(line)
        if "error" in r:
            raise Fail("%s: %s" % (req["op"], r["error"]))
        return r

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
