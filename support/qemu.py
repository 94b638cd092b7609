#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Boots a Cairn image in QEMU with the serial console on this terminal.

The exit status is the image's: the guest powers off through QEMU's
isa-debug-exit device (qemu-x86_64) or Arm semihosting's SYS_EXIT
(qemu-aarch64), both of which make QEMU exit with (status << 1) | 1; this
script turns that back into status (0..127 pass through exactly). Other
outcomes get their own statuses and one line on stderr:

      0  you stopped QEMU: Ctrl-A X (or `quit` in its monitor, Ctrl-A C)
      2  the launcher refused to start (bad option, image or memory size)
    125  QEMU itself failed (bad flag, missing file, no such machine)
    124  --timeout expired and QEMU was stopped
    126  the guest stopped without reporting a status (reset, triple fault)
    130  interrupted (Ctrl-C)

On a terminal the console is QEMU's serial port multiplexed with its
monitor (Ctrl-A H lists the keys). The terminal's input goes through this
script, which watches for Ctrl-A X: QEMU exits with 0 both when you ask
it to and when the guest resets, and only the keys tell them apart. You
asked, so the status is 0 and make prints no error; a script cannot hit
this (without a terminal, Ctrl-A is an ordinary byte for the guest).

--from-make (the Makefile passes it) makes messages name the make
variables (MEM=abc) instead of this script's options (--mem abc).

Accelerator: KVM only where the guest's architecture is the host's, the
CPU shows hardware virtualisation (vmx or svm on x86) and /dev/kvm is
usable and is not kvm_pvm, which cannot run Cairn's ring-0 code
(doc/architecture.md); TCG otherwise. --accel, --cpu, --machine and --mem
override every choice.

What differs between platforms (QEMU binary, machines, how virtio devices
attach, the exit-status channel) is in the PLATFORMS table below, keyed by
the platform's name (--plat, CONFIG_PLAT); a new platform adds an entry.
"""
import argparse
import os
import platform
import re
import select
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading

import tapnet

# Per platform:
#   qemu            QEMU binary (make passes the architecture's, arch-qemu)
#   package         the Debian package that has it
#   host_arch       platform.machine() on which KVM can run the guest
#   kvm_cpu_flags   /proc/cpuinfo flags that mean hardware virtualisation
#   machines        --machine name -> QEMU -M value; the first is the default
#   mmio_machines   machines whose virtio devices are virtio-mmio
#                   (-device virtio-*-device) rather than PCI (virtio-*-pci)
#   exit_device     QEMU arguments of the exit-status channel
#   exit_decode     "debug-exit": QEMU exits with (status << 1) | 1 (the
#                   only form so far; anything else passes QEMU's code on)
#   low_load_machines  machines that can boot an image linked below 1 MiB
#   staging_machines   machines whose firmware (SeaBIOS) uses the top of
#                   RAM during POST, over what QEMU loaded there
#   gic_machines    machines that take GIC=2|3 (-M virt,gic-version=N)
#   ram_base        where RAM starts (for the -m check); 0 on x86
PLATFORMS = {
    "qemu-x86_64": {
        "qemu": "qemu-system-x86_64",
        "package": "qemu-system-x86",
        "host_arch": "x86_64",
        "kvm_cpu_flags": ("vmx", "svm"),
        "machines": {
            "pc": "pc",
            # No option ROMs needed; keep the ISA serial port and the RTC.
            "microvm": "microvm,x-option-roms=off,isa-serial=on,rtc=on",
        },
        "mmio_machines": ("microvm",),
        "exit_device": ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"],
        "exit_decode": "debug-exit",
        "low_load_machines": ("microvm",),
        "staging_machines": ("pc",),
        "gic_machines": (),
        "ram_base": 0,
    },
    "qemu-aarch64": {
        "qemu": "qemu-system-aarch64",
        "package": "qemu-system-arm",
        "host_arch": "aarch64",
        # Arm hosts show no cpuinfo flag for virtualisation: /dev/kvm
        # being usable is the test there.
        "kvm_cpu_flags": None,
        # virt-pci: the same board with the virtio devices on its PCI
        # bus (generic ECAM host bridge) rather than in MMIO slots.
        "machines": {"virt": "virt", "virt-pci": "virt"},
        "mmio_machines": ("virt",),
        # QEMU exits with SYS_EXIT's subcode (plat/qemu-aarch64/power.c).
        "exit_device": ["-semihosting-config", "enable=on,target=native"],
        # The guest passes (status << 1) | 1 as the subcode, so QEMU's
        # exit code reads as isa-debug-exit's does on x86.
        "exit_decode": "debug-exit",
        "low_load_machines": (),
        "staging_machines": (),
        "gic_machines": ("virt", "virt-pci"),
        "ram_base": 0x40000000,
    },
}
DEFAULT_PLAT = "qemu-x86_64"
EXIT_QEMU_FAILED = 125
EXIT_TIMEOUT = 124
EXIT_NO_STATUS = 126
EXIT_REFUSED = 2

# The make variable behind each option, for messages under --from-make.
MAKE_VARS = {"--machine": "MACHINE", "--mem": "MEM", "--accel": "ACCEL",
             "--cpu": "CPU", "--timeout": "TIMEOUT", "--net": "NET",
             "--hostfwd": "HOSTFWD", "--disk": "DISK", "--initrd": "INITRD",
             "--extra": "QEMU_FLAGS", "--params": "PARAMS", "--args": "ARGS",
             "--gdb-port": "GDB_PORT", "--plat": "PLAT", "--gic": "GIC",
             "--smp": "SMP", "--share": "SHARE", "--rng": "RNG",
             "--diskif": "DISKIF", "--nic": "NIC",
             "--boot-image": "BOOT_IMAGE", "--firmware": "FIRMWARE"}
from_make = False


def named(option, value=None):
    """How the user wrote an option: MEM=abc from make, --mem abc here."""
    if from_make and option in MAKE_VARS:
        name = MAKE_VARS[option]
        return name if value is None else "%s=%s" % (name, value)
    return option if value is None else "%s %s" % (option, value)


def err(msg):
    sys.stderr.write("cairn: %s\n" % msg)


def kvm_usable(plat):
    """True when KVM would run the guest on real hardware virtualisation."""
    if platform.machine() != plat["host_arch"]:
        return False
    if os.path.exists("/sys/module/kvm_pvm"):
        return False
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return False
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read()
    except OSError:
        return False
    if plat["kvm_cpu_flags"] is None:
        return True
    return any(" %s" % f in flags for f in plat["kvm_cpu_flags"])


def build_command(a):
    plat = PLATFORMS[a.plat]
    accel = a.accel
    if accel == "auto":
        accel = "kvm" if kvm_usable(plat) else "tcg"
    cpu = a.cpu or ("host" if accel == "kvm" else "max")
    machine = plat["machines"][a.machine]
    if a.gic:
        machine += ",gic-version=%s" % a.gic
    append = (a.params.strip() + " " + share_params(a)).strip()
    append = (append + " -- " + a.args.strip()).strip()
    cmd = [a.qemu, "-M", machine, "-accel", accel, "-cpu", cpu, "-m", a.mem,
           "-nodefaults", "-no-user-config", "-no-reboot", "-display", "none"]
    cmd += smp_args(a, accel)
    cmd += plat["exit_device"]
    cmd += ["-kernel", a.kernel, "-append", append]
    if a.interactive:
        cmd += ["-serial", "mon:stdio"]
    else:
        cmd += ["-serial", "stdio", "-monitor", "none"]
    if a.initrd:
        cmd += ["-initrd", a.initrd]
    cmd += device_args(a)
    if a.gdb:
        cmd += ["-S", "-gdb", "tcp::%d" % a.gdb_port]
    if a.extra:
        cmd += shlex.split(a.extra)
    return cmd


MAX_SMP = 64


def check_smp(a):
    """An error message for a bad --smp (SMP=), or None."""
    if a.smp is None:
        return None
    if not re.fullmatch(r"[0-9]+", a.smp.strip()) or \
            not 1 <= int(a.smp) <= MAX_SMP:
        return ("%s: the number of CPUs must be a whole number from 1 to "
                "%d" % (named("--smp", a.smp), MAX_SMP))
    return None


def check_timeout(a):
    """An error message for a bad --timeout (TIMEOUT=), or None: a stop
    after 0, a negative or a NaN number of seconds never lets the guest
    run, or never stops it."""
    if a.timeout is None:
        return None
    if not (0 < a.timeout < float("inf")):
        return ("%s: the time limit is a number of seconds above 0 "
                "(leave it out for none)" % named("--timeout", "%g" % a.timeout))
    return None


def host_cores():
    """The host CPUs this process may run on (its affinity), or None."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count()


def note_overcommit(n):
    """Says so when the guest gets more vCPUs than the host has cores:
    each vCPU is a host thread, so they take turns on the cores, and a
    vCPU that waits for one that is not running (a lock it holds, a
    wake-up it must answer) waits for the host's scheduler. It works;
    throughput falls (doc/bench/smp.md, "More vCPUs than host cores")."""
    cores = host_cores()
    if cores and n > cores:
        err("note: %s is more vCPUs than this host's %d core%s: they "
            "take turns on them, so expect less throughput than with %s "
            "(doc/bench/smp.md)" % (named("--smp", n), cores,
                                    "s" if cores > 1 else "",
                                    named("--smp", cores)))


def smp_args(a, accel):
    """QEMU's -smp for --smp N (SMP=N). Not given: one CPU, and on x86_64
    under TCG maxcpus=2 beside it. TCG translates the guest's fences only
    when more than one vCPU may exist; with them, drivers/virtio leaves
    out the device register read it otherwise pays per kick as a barrier
    (its virtio.sync_kick, decided from the MADT's possible CPUs). The
    second CPU is never started: the guest sees it as not present."""
    if a.smp is not None:
        note_overcommit(int(a.smp))
        return ["-smp", str(int(a.smp))]
    if accel == "tcg" and a.plat == "qemu-x86_64":
        return ["-smp", "1,maxcpus=2"]
    return []


def parse_size(text):
    """QEMU's -m syntax (a number with an optional K/M/G/T suffix, MiB
    by default) in bytes; None if it does not parse."""
    text = text.strip().upper().rstrip("B")
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    mult = units.get(text[-1:], None)
    number = text[:-1] if mult else text
    try:
        value = float(number)
    except ValueError:
        return None
    return int(value * (mult or 1 << 20))


ARM64_IMAGE_MAGIC = b"ARM\x64"
EM_X86_64, EM_AARCH64 = 62, 183


MB1_MAGIC, MB1_AOUT_KLUDGE = 0x1BADB002, 1 << 16


def multiboot1_span(path):
    """(load_addr, bss_end_addr) of a flat Multiboot1 image (an x86_64
    image's .mb copy: the header carries its load addresses), else None.
    An ELF is never taken for one: QEMU boots an ELF by its PVH note."""
    with open(path, "rb") as f:
        head = f.read(8192)
    if head[:4] == b"\x7fELF":
        return None
    for off in range(0, len(head) - 47, 4):
        magic, flags, csum = struct.unpack_from("<III", head, off)
        if magic == MB1_MAGIC and (magic + flags + csum) & 0xFFFFFFFF == 0:
            if not flags & MB1_AOUT_KLUDGE:
                return None
            load, _, bss_end = struct.unpack_from("<III", head, off + 16)
            return (load, bss_end)
    return None


def image_data_end(path):
    """Where the contents loaded from the file end (the image's end
    without its .bss): from the ELF's segments or the Multiboot1
    header; the image's whole span for anything else."""
    with open(path, "rb") as f:
        head = f.read(8192)
        if head[:4] == b"\x7fELF" and head[4] == 2:
            phoff, = struct.unpack_from("<Q", head, 32)
            phentsize, phnum = struct.unpack_from("<HH", head, 54)
            end = 0
            for i in range(phnum):
                f.seek(phoff + i * phentsize)
                ph = f.read(56)
                ptype, = struct.unpack_from("<I", ph, 0)
                paddr, filesz = struct.unpack_from("<QQ", ph, 24)
                if ptype == 1 and filesz:
                    end = max(end, paddr + filesz)
            if end:
                return end
    for off in range(0, len(head) - 47, 4):
        magic, flags, csum = struct.unpack_from("<III", head, off)
        if magic == MB1_MAGIC and (magic + flags + csum) & 0xFFFFFFFF == 0:
            load, load_end = struct.unpack_from("<II", head, off + 16)
            return load_end or load + os.path.getsize(path)
    return image_span(path)[1]


def image_platform(path):
    """The platform an image file was built for (from its ELF machine,
    the arm64 Image header or a Multiboot1 header), or None when it is
    none of these."""
    if multiboot1_span(path):
        return "qemu-x86_64"
    with open(path, "rb") as f:
        head = f.read(64)
    if head[:4] == b"\x7fELF" and len(head) >= 20:
        em, = struct.unpack_from("<H", head, 18)
        return {EM_X86_64: "qemu-x86_64",
                EM_AARCH64: "qemu-aarch64"}.get(em)
    if head[56:60] == ARM64_IMAGE_MAGIC:
        return "qemu-aarch64"
    return None


def image_span(path, ram_base=0):
    """(lowest, highest) physical address of the ELF image, .bss included;
    for an arm64 Image, where QEMU loads it (ram_base + text_offset) and
    its image_size; for a flat Multiboot1 image, the span its header
    gives; None if the file is none of these."""
    mb = multiboot1_span(path)
    if mb:
        return mb
    with open(path, "rb") as f:
        head = f.read(64)
        if head[56:60] == ARM64_IMAGE_MAGIC:
            text_offset, image_size = struct.unpack_from("<QQ", head, 8)
            return (ram_base + text_offset,
                    ram_base + text_offset + image_size)
        if head[:4] != b"\x7fELF" or head[4] != 2:
            return None
        phoff, = struct.unpack_from("<Q", head, 32)
        phentsize, phnum = struct.unpack_from("<HH", head, 54)
        start, end = None, 0
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            ph = f.read(56)
            ptype, = struct.unpack_from("<I", ph, 0)
            paddr, _, memsz = struct.unpack_from("<QQQ", ph, 24)
            if ptype == 1:
                end = max(end, paddr + memsz)
                start = paddr if start is None else min(start, paddr)
        return (start, end) if start is not None else None


def forward_stderr(pipe, seen):
    for line in iter(pipe.readline, b""):
        text = line.decode(errors="replace")
        if "warning" not in text.lower():
            seen.append(text)
        sys.stderr.write(text)
        sys.stderr.flush()


def device_args(a):
    """The virtio devices: -pci forms, or -device (MMIO) on the
    platform's MMIO machines (microvm)."""
    mmio = a.machine in PLATFORMS[a.plat]["mmio_machines"]
    out = []
    if mmio and (a.net != "none" or a.disk or a.share or a.rng):
        # QEMU makes virtio-mmio devices legacy (version 1) by default.
        out += ["-global", "virtio-mmio.force-legacy=false"]
    if a.net == "user":
        nd = "user,id=net0" + "".join(",hostfwd=" + h for h in a.hostfwd)
        out += ["-netdev", nd, "-device",
                nic_model(a.nic, mmio) + ",netdev=net0" + a.net_opts]
    elif is_tap(a.net):
        out += tap_args(a, nic_model(a.nic, mmio))
    for i, d in enumerate(a.disk):
        path, _, opt = d.partition(",")
        ro = ",readonly=on" if opt == "ro" else ""
        out += ["-drive", "file=%s,if=none,id=disk%d,format=raw%s"
                % (path, i, ro), "-device",
                disk_device(a, mmio, i) + ",drive=disk%d" % i]
    out += share_args(a, mmio)
    out += rng_args(a, mmio)
    return out


DISK_INTERFACES = ("virtio", "nvme")


def disk_device(a, mmio, i):
    """The QEMU device model of disk i for --diskif (DISKIF=)."""
    if a.diskif == "nvme":
        return "nvme,serial=cairn%d" % i
    return "virtio-blk-device" if mmio else "virtio-blk-pci"


def check_diskif(a):
    """An error message for a bad --diskif (DISKIF=), or None."""
    if a.diskif not in DISK_INTERFACES:
        return ("%s: the disk interface is %s" % (
            named("--diskif", a.diskif), " or ".join(DISK_INTERFACES)))
    plat = PLATFORMS[a.plat]
    if a.diskif == "nvme" and a.machine in plat["mmio_machines"]:
        pci = [m for m in plat["machines"] if m not in plat["mmio_machines"]]
        return ("%s needs PCI: %s has none (use %s)" % (
            named("--diskif", a.diskif), a.machine,
            named("--machine", pci[0])))
    return None


# --nic: the QEMU device model of each NIC (virtio: by transport).
NIC_MODELS = {"virtio": None, "e1000": "e1000", "rtl8139": "rtl8139"}


def nic_model(nic, mmio):
    """QEMU's device for the NIC chosen with --nic. A PCI NIC comes
    without its option ROM (iPXE, for network boot): the image never
    boots from the network, and SeaBIOS would copy the ROM into the top
    of RAM during POST, over the image (about 100 KiB that -m then
    needs, and boot time)."""
    if nic == "virtio":
        return "virtio-net-device" if mmio else "virtio-net-pci,romfile="
    return NIC_MODELS[nic] + ",romfile="


def check_nic(a, plat):
    """The PCI NICs need a machine with PCI."""
    mmio = a.machine in plat["mmio_machines"]
    pci = [m for m in plat["machines"] if m not in plat["mmio_machines"]]
    if a.nic != "virtio" and a.net == "none":
        return "%s needs %s" % (named("--nic"), named("--net", "user"))
    if a.nic != "virtio" and mmio:
        return ("%s is a PCI device: %s has no PCI (use %s, or %s)"
                % (named("--nic", a.nic), a.machine,
                   named("--machine", pci[0]), named("--nic", "virtio")))
    return None


SHARE_DEFAULT_PATH = "/share"


def parse_share(spec):
    """(host folder, guest path, read-only) of PATH[:GUESTPATH][,ro]."""
    spec, ro = (spec[:-3], True) if spec.endswith(",ro") else (spec, False)
    host, sep, guest = spec.partition(":")
    return host, (guest if sep else SHARE_DEFAULT_PATH), ro


def check_share(spec):
    """Why a --share value cannot work, or None."""
    host, guest, _ = parse_share(spec)
    if not host or not os.path.isdir(host):
        return ("%s: %s is not a folder" % (named("--share", spec),
                                             host or "''"))
    if "," in host:
        return "shared folder %s must not contain ','" % host
    if (not guest.startswith("/") or guest == "/" or
            re.search(r"[\s:,\"\\]", guest) or
            any(c in (".", "..") for c in guest.split("/"))):
        return ("%s: the guest path must be absolute, not /, without "
                "'.', '..', spaces, ':' or ','" % named("--share", spec))
    return None


def share_tag(i):
    return "share%d" % i


def share_args(a, mmio):
    """-fsdev + a virtio-9p device per shared folder (its mount tag
    share0, share1, ...); security_model=none: files keep the host's
    owners and the guest acts with QEMU's rights."""
    out = []
    for i, spec in enumerate(a.share):
        host, _, ro = parse_share(spec)
        out += ["-fsdev", "local,id=fsdev%d,path=%s,security_model=none%s"
                % (i, os.path.abspath(host), ",readonly=on" if ro else ""),
                "-device", "%s,fsdev=fsdev%d,mount_tag=%s"
                % ("virtio-9p-device" if mmio else "virtio-9p-pci", i,
                   share_tag(i))]
    return out


def image_mounts(kernel):
    """The image's default mount table (CONFIG_LIB_VFS_MOUNTS of the
    .config beside it), or None when there is no such file."""
    cfg = os.path.join(os.path.dirname(os.path.abspath(kernel)), ".config")
    try:
        with open(cfg) as f:
            for line in f:
                if line.startswith("CONFIG_LIB_VFS_MOUNTS="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        return None
    return ""


def share_params(a):
    """The vfs.mount= words that mount each shared folder. A vfs.mount=
    on the command line replaces the image's table, so unless the user
    gave one, the table comes first (several vfs.mount= words add up)."""
    if not a.share:
        return ""
    words = []
    if not re.search(r"(^|\s)vfs\.mount=", a.params):
        table = image_mounts(a.kernel)
        if table is None:
            err("warning: no .config beside %s: the shared folders are "
                "the only mounts (add vfs.mount=... for the others)"
                % a.kernel)
        elif table:
            words.append('vfs.mount="%s"' % table)
    for i, spec in enumerate(a.share):
        _, guest, ro = parse_share(spec)
        words.append("vfs.mount=9p:%s:tag=%s%s" % (guest, share_tag(i),
                                                   ",ro" if ro else ""))
    return " ".join(words)


# --net tap: the guest's address when neither the command line nor the
# image's menu (lwip > Network defaults) gives one. No DHCP server answers
# on a tap, so the launcher passes it as net.ip=.
TAP_GUEST_DEFAULT = "192.168.100.2/24"


def is_tap(net):
    return net == "tap" or net.startswith("tap:")


def image_config(kernel, name):
    """CONFIG_<name> of the .config beside the image (quotes removed), or
    None when it is not set or there is no such file."""
    cfg = os.path.join(os.path.dirname(os.path.abspath(kernel)), ".config")
    try:
        with open(cfg) as f:
            for line in f:
                key, sep, value = line.strip().partition("=")
                if sep and key == "CONFIG_" + name:
                    return value.strip('"')
    except OSError:
        pass
    return None


def param_value(params, name):
    """The value of lib.name=VALUE in the --params words, or None."""
    m = re.search(r"(?:^|\s)%s=(\S+)" % re.escape(name), params)
    return m.group(1) if m else None


def plan_tap(a):
    """Works out --net tap[:NAME] before QEMU starts: a.tap (the device),
    a.tap_host (the host side's address/LEN when the launcher creates the
    tap, else None) and a.tap_guest (the guest's address, or None when it
    is unknown). Returns an error message or None.

    tap:NAME uses an existing tap as it is (root not needed if it belongs
    to the user). tap alone creates one as root: QEMU opens it by a free
    name (cairn0, cairn1, ...) without helper scripts, which makes it
    non-persistent: the kernel deletes it when QEMU exits, however QEMU
    ends. The host side gets the guest's gateway, or the first other
    address of the guest's subnet."""
    name = a.net[4:] if a.net.startswith("tap:") else None
    ip = param_value(a.params, "net.ip")
    gw = param_value(a.params, "net.gw")
    mask = param_value(a.params, "net.mask")
    if ip is None:
        # The menu's address comes with its own mask and gateway (net.c).
        ip = image_config(a.kernel, "LIB_LWIP_DEFAULT_IP") or None
        gw = gw or image_config(a.kernel, "LIB_LWIP_DEFAULT_GW") or None
        mask = mask or image_config(a.kernel, "LIB_LWIP_DEFAULT_MASK")
    if ip and "/" not in ip and mask:
        ip += "/" + mask
    if name is not None:
        a.tap, a.tap_host = name, None
        a.tap_guest = ip.split("/")[0] if ip else None
        if not re.fullmatch(r"[\w.-]{1,15}", name):
            return "%s: not an interface name" % named("--net", a.net)
        if not tapnet.is_tap(name):
            return ("%s: no tap device %s here (create one: ip tuntap add "
                    "%s mode tap user $USER; ip link set %s up), or use "
                    "%s as root to have one made" % (named("--net", a.net),
                                                    name, name, name,
                                                    named("--net", "tap")))
        return None
    if os.geteuid() != 0 and not a.print:
        return ("%s creates a tap device and needs root: run it as root "
                "(sudo make run NET=tap), or have root create one for you "
                "(ip tuntap add tap0 mode tap user $USER; ip addr add "
                "192.168.100.1/24 dev tap0; ip link set tap0 up) and use "
                "%s" % (named("--net", "tap"), named("--net", "tap:tap0")))
    if ip is None:
        ip = TAP_GUEST_DEFAULT
        a.params = (a.params + " net.ip=" + ip).strip()
    try:
        a.tap_host, a.tap_guest = tapnet.host_side(
            ip if "/" in ip else ip + "/24", gw)
    except ValueError as e:
        return "%s: guest address %s: %s" % (named("--net", "tap"), ip, e)
    a.tap = tapnet.free_tap_name("cairn")
    return None


def tap_args(a, device):
    return tapnet.qemu_tap_args(a.tap, device + a.net_opts)


def announce_tap(a):
    """Where the guest is: the launcher set up the host side."""
    if a.tap_host:
        err("tap %s: host %s, guest %s (try: ping %s; httpd: "
            "http://%s/); removed when QEMU exits"
            % (a.tap, a.tap_host, a.tap_guest, a.tap_guest, a.tap_guest))
    elif a.tap_guest:
        err("tap %s (yours, as it is): guest %s" % (a.tap, a.tap_guest))
    else:
        err("tap %s (yours, as it is): the guest asks for an address by "
            "DHCP (see its 'lwip:' line)" % a.tap)


def start_tap(a, proc):
    """After QEMU started: gives the tap QEMU created its host address.
    An error message, or None."""
    if not a.tap_host:
        return None
    return tapnet.configure_when_up(a.tap, a.tap_host,
                                    lambda: proc.poll() is None)


def remove_tap(a):
    """QEMU's tap goes with QEMU; this catches a QEMU that was stopped
    before the kernel closed its descriptor."""
    if getattr(a, "tap_host", None) and tapnet.exists(a.tap):
        subprocess.run(["ip", "link", "del", a.tap], capture_output=True)


def rng_args(a, mmio):
    """virtio-rng, fed by QEMU's built-in backend (the host's getrandom)."""
    if not a.rng:
        return []
    return ["-device", "virtio-rng-device" if mmio else "virtio-rng-pci"]


def check_devices(a):
    """A clear message for device arguments QEMU would reject later."""
    for d in a.disk:
        path, _, opt = d.partition(",")
        if opt not in ("", "ro"):
            return "--disk %s: the only option is ',ro'" % d
        if not os.path.isfile(path):
            return ("disk image %s not found (create one: truncate -s 64M "
                    "%s)" % (path, path))
        if "," in path:
            return "disk image path %s must not contain ','" % path
    if a.net not in ("none", "user") and not is_tap(a.net):
        return ("%s: not a network (none, user, tap, or tap:NAME for an "
                "existing tap device)" % named("--net", a.net))
    if a.hostfwd and a.net != "user":
        return "%s needs %s" % (named("--hostfwd"), named("--net", "user"))
    for h in a.hostfwd:
        if parse_hostfwd(h) is None:
            return ("%s is not a forward (form: tcp:127.0.0.1:8080-:80, "
                    "[tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport)"
                    % named("--hostfwd", h))
    for spec in a.share:
        problem = check_share(spec)
        if problem:
            return problem
    guests = [parse_share(s)[1] for s in a.share]
    if len(set(guests)) != len(guests):
        return "two shared folders on one guest path"
    if a.initrd and not os.path.isfile(a.initrd):
        return "initrd %s not found" % a.initrd
    return None


# Booting an ISO or a disk (make image) through the firmware instead of
# -kernel: SeaBIOS (QEMU's own) or Debian's OVMF (UEFI), on -M pc.
FIRMWARES = ("seabios", "ovmf")
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS.fd"
DISK_FORMATS = {".iso": "iso", ".img": "raw", ".raw": "raw",
                ".qcow2": "qcow2", ".vmdk": "vmdk", ".vdi": "vdi"}


def check_boot_image(a):
    """A clear message for --boot-image/--firmware QEMU would reject, or
    None."""
    if a.firmware not in FIRMWARES:
        return ("%s: the firmware is seabios (BIOS) or ovmf (UEFI)"
                % named("--firmware", a.firmware))
    if not a.boot_image:
        if a.firmware != "seabios":
            return "%s needs %s" % (named("--firmware", a.firmware),
                                    named("--boot-image"))
        return None
    if a.kernel or a.initrd or a.params or a.args or a.share:
        return ("%s boots the kernel, initrd and command line written in "
                "the image (make image PARAMS= ARGS=): no --kernel, "
                "--initrd, --params, --args or --share"
                % named("--boot-image"))
    ext = os.path.splitext(a.boot_image)[1].lower()
    if ext not in DISK_FORMATS:
        return ("%s: the name must end in %s (the format)"
                % (named("--boot-image", a.boot_image),
                   ", ".join(sorted(DISK_FORMATS))))
    if not os.path.isfile(a.boot_image):
        return ("boot image %s not found (make image FORMAT=%s)"
                % (a.boot_image, DISK_FORMATS[ext]))
    if "," in a.boot_image:
        return "boot image path %s must not contain ','" % a.boot_image
    if a.plat != "qemu-x86_64" or a.machine != "pc":
        return ("%s boots through the firmware of -M pc (qemu-x86_64)"
                % named("--boot-image"))
    if a.firmware == "ovmf" and not (os.path.isfile(OVMF_CODE) and
                                     os.path.isfile(OVMF_VARS)):
        return ("%s not found; install the Debian package 'ovmf' "
                "(apt-get install ovmf)" % OVMF_CODE)
    return None


def boot_image_args(a, tmp):
    """The firmware's flash (OVMF: its code read-only, a copy of the
    variable store in tmp) and the boot medium: an ISO as a CD-ROM, a
    disk as virtio-blk (the image's blk0, whose partition 3 it mounts)."""
    out = []
    if a.firmware == "ovmf":
        vars_copy = os.path.join(tmp, "OVMF_VARS.fd")
        shutil.copyfile(OVMF_VARS, vars_copy)
        out += ["-drive", "if=pflash,format=raw,unit=0,readonly=on,file="
                + OVMF_CODE, "-drive", "if=pflash,format=raw,unit=1,file="
                + vars_copy]
    fmt = DISK_FORMATS[os.path.splitext(a.boot_image)[1].lower()]
    if fmt == "iso":
        out += ["-drive", "file=%s,if=ide,media=cdrom,readonly=on"
                % a.boot_image]
    else:
        out += ["-drive", "file=%s,if=none,id=boot0,format=%s%s"
                % (a.boot_image, fmt, ",snapshot=on" if a.snapshot else ""),
                "-device", "virtio-blk-pci,drive=boot0,bootindex=0"]
    return out


def boot_image_command(a, tmp):
    """QEMU's command for --boot-image: as build_command's, with the
    firmware and the boot medium in place of -kernel."""
    accel = a.accel
    if accel == "auto":
        accel = "kvm" if kvm_usable(PLATFORMS[a.plat]) else "tcg"
    cpu = a.cpu or ("host" if accel == "kvm" else "max")
    cmd = [a.qemu, "-M", PLATFORMS[a.plat]["machines"][a.machine],
           "-accel", accel, "-cpu", cpu, "-m", a.mem, "-nodefaults",
           "-no-user-config", "-no-reboot", "-display", "none"]
    cmd += smp_args(a, accel)
    cmd += PLATFORMS[a.plat]["exit_device"]
    cmd += boot_image_args(a, tmp)
    if a.interactive:
        cmd += ["-serial", "mon:stdio"]
    else:
        cmd += ["-serial", "stdio", "-monitor", "none"]
    cmd += device_args(a)
    if a.extra:
        cmd += shlex.split(a.extra)
    return cmd


def run_boot_image(a):
    """main() for --boot-image."""
    tmp = tempfile.mkdtemp(prefix="cairn-fw-")
    try:
        cmd = boot_image_command(a, tmp)
        if a.print:
            print(" ".join(shlex.quote(c) for c in cmd))
            return 0
        announce_forwards(a)
        console = Console() if a.interactive else None
        if console:
            console.raw()
        try:
            return run(a, cmd, console, [])
        finally:
            if console:
                console.restore()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def parse_hostfwd(rule):
    """(proto, host address, host port, guest port) of a user-network
    forward in QEMU's form [tcp|udp]:[hostaddr]:hostport-[guestaddr]:
    guestport; None if it is not one."""
    proto, sep, rest = rule.partition(":")
    if not sep:
        proto, rest = "tcp", rule
    if proto not in ("tcp", "udp"):
        return None
    host, sep, guest = rest.partition("-")
    haddr, _, hport = host.rpartition(":")
    _, _, gport = guest.rpartition(":")
    if not sep or not hport.isdigit() or not gport.isdigit():
        return None
    return proto, haddr, int(hport), int(gport)


def announce_forwards(a):
    """One line per forward: the guest cannot know which host port
    reaches it, so the launcher, which set it up, says so."""
    for h in a.hostfwd:
        proto, haddr, hport, gport = parse_hostfwd(h)
        addr = haddr if haddr not in ("", "0.0.0.0") else "localhost"
        line = "%s %s:%d -> guest port %d" % (proto, addr, hport, gport)
        if proto == "tcp" and gport in (80, 8080):
            line += ": http://%s:%d/" % (addr, hport)
        elif proto == "tcp" and gport in (443, 8443):
            line += ": https://%s:%d/" % (addr, hport)
        err(line)


def die_with_parent():
    """In the child: the kernel kills QEMU if this launcher dies, even by
    SIGKILL (Linux's PR_SET_PDEATHSIG), so no guest is ever orphaned."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)     # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Parser(argparse.ArgumentParser):
    def error(self, message):
        """Under make, one line naming the variable (MACHINE=foo: invalid
        choice ...) instead of this script's usage."""
        if not from_make:
            super().error(message)
        m = re.match(r"argument (--[\w-]+)[^:]*: (.*)", message)
        if m:
            message = "%s: %s" % (named(m.group(1)), m.group(2))
        err("error: " + message)
        sys.exit(EXIT_REFUSED)


class Console:
    """The terminal between the user and QEMU (interactive runs only).

    Raw mode as QEMU sets it for its stdio console (Ctrl-C still sends
    SIGINT); every byte typed is passed on to QEMU's stdin, and the escape
    keys of QEMU's multiplexer (Ctrl-A, then X; Ctrl-A C switches between
    the console and the monitor, where `quit` ends QEMU) are watched, so
    that a stop the user asked for is told apart from a guest reset.
    """

    def __init__(self):
        self.fd = sys.stdin.fileno()
        self.saved = termios.tcgetattr(self.fd)
        self.quit = None            # how the user stopped QEMU, if they did
        self.escape = False
        self.monitor = False
        self.line = b""

    def raw(self):
        t = termios.tcgetattr(self.fd)
        t[0] &= ~(termios.IGNBRK | termios.BRKINT | termios.PARMRK |
                  termios.ISTRIP | termios.INLCR | termios.IGNCR |
                  termios.ICRNL | termios.IXON)
        t[1] |= termios.OPOST
        t[2] &= ~(termios.CSIZE | termios.PARENB)
        t[2] |= termios.CS8
        t[3] &= ~(termios.ECHO | termios.ECHONL | termios.ICANON |
                  termios.IEXTEN)
        t[6][termios.VMIN] = 1
        t[6][termios.VTIME] = 0
        termios.tcsetattr(self.fd, termios.TCSANOW, t)

    def restore(self):
        try:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)
            os.set_blocking(self.fd, True)
        except (termios.error, OSError):
            pass

    def watch(self, data):
        for b in data:
            if self.escape:
                # As QEMU's mux: the byte after Ctrl-A is a command.
                self.escape = False
                if b == ord("x"):
                    self.quit = "Ctrl-A X"
                elif b == ord("c"):
                    self.monitor = not self.monitor
                    self.line = b""
            elif b == 1:
                self.escape = True
            elif self.monitor:
                if b in b"\r\n":
                    if self.line.strip() in (b"q", b"quit"):
                        self.quit = "quit in the QEMU monitor"
                    self.line = b""
                elif b in (8, 127):
                    self.line = self.line[:-1]
                else:
                    self.line += bytes([b])

    def forward(self, pipe):
        """Thread: the terminal's bytes to QEMU until either side ends."""
        while True:
            try:
                data = os.read(self.fd, 4096)
            except BlockingIOError:
                # QEMU makes its stdout non-blocking, and on a terminal
                # that is the same open file as this stdin.
                select.select([self.fd], [], [])
                continue
            except OSError:
                return
            if not data:
                return
            # Watched before QEMU sees them: the verdict is set by the
            # time QEMU exits.
            self.watch(data)
            try:
                pipe.write(data)
                pipe.flush()
            except (OSError, ValueError):
                return


def main():
    global from_make
    from_make = "--from-make" in sys.argv[1:]
    p = Parser(description=__doc__,
               formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--kernel", help="image to boot (-kernel)")
    p.add_argument("--boot-image", help="boot this ISO or disk (make image) "
                   "through the firmware instead of --kernel; the format "
                   "from its name: %s" % ", ".join(sorted(DISK_FORMATS)))
    p.add_argument("--firmware", default="seabios",
                   help="firmware for --boot-image: seabios (BIOS) or ovmf "
                   "(UEFI, Debian's OVMF with a copy of its variables)")
    p.add_argument("--snapshot", action="store_true",
                   help="with a --boot-image disk: guest writes go to a "
                   "temporary file, the image stays as it is")
    p.add_argument("--elf", help="image with symbols, for the gdb hint")
    p.add_argument("--plat", help="platform, as CONFIG_PLAT (default: "
                   "read from the image file, else %s; known: %s)"
                   % (DEFAULT_PLAT, ", ".join(sorted(PLATFORMS))))
    p.add_argument("--qemu", help="QEMU binary (default: the platform's)")
    p.add_argument("--machine",
                   help="QEMU machine (default: the platform's first; "
                   "qemu-x86_64: pc or microvm; qemu-aarch64: virt, or "
                   "virt-pci for virtio over PCI)")
    p.add_argument("--mem", default="64M", help="guest memory (QEMU -m)")
    p.add_argument("--gic", choices=["2", "3"],
                   help="GIC version of -M virt (default: QEMU's, 2)")
    p.add_argument("--accel", default="auto", choices=["auto", "tcg", "kvm"])
    p.add_argument("--smp", help="number of CPUs (QEMU -smp N; the image "
                   "uses them when built with SMP in make menuconfig)")
    p.add_argument("--cpu", help="CPU model (default: max on TCG, host on KVM)")
    p.add_argument("--params", default="", help="library parameters")
    p.add_argument("--args", default="", help="the app's arguments")
    p.add_argument("--initrd", help="file passed as -initrd")
    p.add_argument("--net", default="none",
                   help="attach a NIC (--nic): user (QEMU user "
                   "networking), tap (as root: a new tap device with a "
                   "host address, removed at exit), tap:NAME (an existing "
                   "tap), none")
    p.add_argument("--nic", default="virtio", choices=sorted(NIC_MODELS),
                   help="the NIC --net attaches: virtio (virtio-net), "
                   "e1000 (Intel 82540EM) or rtl8139")
    p.add_argument("--net-opts", default="",
                   help="more virtio-net device properties (',name=value')")
    p.add_argument("--hostfwd", action="append", default=[],
                   help="user-network port forward, e.g. "
                   "tcp:127.0.0.1:8080-:80 (repeatable)")
    p.add_argument("--disk", action="append", default=[],
                   help="attach a raw disk image (virtio-blk, or NVMe "
                   "with --diskif nvme): PATH or "
                   "PATH,ro (repeatable)")
    p.add_argument("--diskif", default="virtio",
                   help="how the disks are attached: %s (default virtio)"
                   % " or ".join(DISK_INTERFACES))
    p.add_argument("--share", action="append", default=[],
                   help="share a host folder over virtio-9p, mounted at "
                   "GUESTPATH (default %s): PATH[:GUESTPATH][,ro] "
                   "(repeatable)" % SHARE_DEFAULT_PATH)
    p.add_argument("--rng", action="store_true",
                   help="attach a virtio-rng device (entropy from the host)")
    p.add_argument("--extra", default="", help="more QEMU arguments")
    p.add_argument("--timeout", type=float, help="stop QEMU after seconds")
    p.add_argument("--gdb", action="store_true",
                   help="start halted, gdb stub on --gdb-port")
    p.add_argument("--gdb-port", type=int, default=1234)
    p.add_argument("--print", action="store_true",
                   help="print the QEMU command instead of running it")
    p.add_argument("--from-make", action="store_true",
                   help="name make's variables (MEM=...) in messages")
    a = p.parse_args()
    a.interactive = sys.stdin.isatty() and not a.print
    if a.plat and a.plat not in PLATFORMS:
        err("error: %s: no such platform (known: %s)"
            % (named("--plat", a.plat), ", ".join(sorted(PLATFORMS))))
        return 2
    if a.boot_image:
        a.plat = a.plat or DEFAULT_PLAT
        a.machine = a.machine or list(PLATFORMS[a.plat]["machines"])[0]
        a.qemu = a.qemu or PLATFORMS[a.plat]["qemu"]
        problem = (check_boot_image(a) or check_smp(a) or
                   check_timeout(a) or check_devices(a))
        if problem:
            err("error: " + problem)
            return 2
        if parse_size(a.mem) is None:
            err("error: %s is not a size (examples: 64M, 1G, 1536K)"
                % named("--mem", a.mem))
            return 2
        return run_boot_image(a)
    problem = check_boot_image(a)
    if problem:
        err("error: " + problem)
        return 2
    if not a.kernel:
        err("error: nothing to boot: give --kernel IMAGE or --boot-image "
            "FILE")
        return 2
    if not os.path.isfile(a.kernel):
        err("error: image %s not found (build it with make)" % a.kernel)
        return 2
    found = image_platform(a.kernel)
    if a.plat and found and a.plat != found:
        err("error: %s is an image for %s, not %s" % (a.kernel, found,
                                                       a.plat))
        return 2
    a.plat = a.plat or found or DEFAULT_PLAT
    plat = PLATFORMS[a.plat]
    machines = list(plat["machines"])
    a.machine = a.machine or machines[0]
    if a.machine not in plat["machines"]:
        err("error: %s: %s has %s" % (named("--machine", a.machine), a.plat,
                                      " and ".join(machines)))
        return 2
    a.qemu = a.qemu or plat["qemu"]
    if a.gic and a.machine not in plat["gic_machines"]:
        err("error: %s is for -M virt (qemu-aarch64), not %s"
            % (named("--gic"), a.machine))
        return 2
    if not shutil.which(a.qemu):
        err("error: '%s' not found; install the Debian package "
            "'%s' (apt-get install %s)" % (a.qemu, plat["package"],
                                           plat["package"]))
        return 2
    problem = (check_smp(a) or check_timeout(a) or check_diskif(a) or
               check_devices(a) or check_nic(a, plat))
    if not problem and is_tap(a.net):
        problem = plan_tap(a)
    if problem:
        err("error: " + problem)
        return 2
    mem = parse_size(a.mem)
    if mem is None:
        err("error: %s is not a size (examples: 64M, 1G, 1536K)"
            % named("--mem", a.mem))
        return 2
    span = image_span(a.kernel, plat["ram_base"])
    if span is None:
        err("error: %s is not a 64-bit ELF image, an arm64 Image nor a "
            "flat Multiboot1 image" % a.kernel)
        return 2
    start, end = span
    low_ok = a.machine in plat["low_load_machines"]
    staging = a.machine in plat["staging_machines"]
    if plat["ram_base"]:
        # RAM from ram_base: the image, then room for the device tree
        # and the initrd QEMU places above it.
        need = end - plat["ram_base"] + (2 << 20)
        if mem < need:
            err("error: %s is too small: the image ends at %d KiB into "
                "RAM and QEMU needs room above it for the device tree; use "
                "at least %s" % (named("--mem", a.mem),
                                 (end - plat["ram_base"]) >> 10,
                                 named("--mem", "%dK" % ((need + 1023) >> 10))))
            return 2
    elif start < 1 << 20 and not low_ok and plat["low_load_machines"]:
        err("error: this image is linked in low memory (Load address: "
            "low, PLAT_QEMU_LOAD_LOW), which boots only on microvm: "
            "SeaBIOS uses that memory on pc. Run it with MACHINE=microvm "
            "or choose the 1 MiB load address in make menuconfig")
        return 2
    if not plat["ram_base"] and end > 0x9fc00 and start < 1 << 20 and low_ok:
        err("error: the image ends at %d KiB, past the 639 KiB of low "
            "memory; choose the 1 MiB load address in make menuconfig"
            % (end >> 10))
        return 2
    # Room above the image for the firmware. On pc, SeaBIOS keeps the
    # top 256 KiB of RAM (ACPI tables; the top 128 KiB stay reserved),
    # and during POST relocates its init code (83 KiB in 1.16) and
    # temporary buffers just below that, over whatever QEMU loaded there:
    # the image's contents must end below both. Its .bss may reach into
    # that area (it is zeroed after POST) but must end below the initrd,
    # which QEMU places under the reserved top. Measured on QEMU 7.2's
    # SeaBIOS 1.16: httpd without TLS (contents end at 1380 KiB, .bss
    # at 1504 KiB) answers at 1728K, not at 1664K.
    need = end + (64 << 10)
    if staging:
        initrd = (os.path.getsize(a.initrd) if a.initrd and
                  os.path.isfile(a.initrd) else 0)
        need = max(image_data_end(a.kernel) + (384 << 10),
                   end + ((initrd + 4095) & ~4095) + (144 << 10))
    if not plat["ram_base"] and start >= 1 << 20 and mem < need:
        err("error: %s is too small: the image ends at %d KiB and the "
            "firmware needs room above it%s; use at least %s"
            % (named("--mem", a.mem), end >> 10, " (on pc, SeaBIOS's "
               "tables and its code during POST, and the initrd)"
               if staging else "",
               named("--mem", "%dK" % ((need + 1023) >> 10))))
        return 2
    cmd = build_command(a)
    if a.print:
        print(" ".join(shlex.quote(c) for c in cmd))
        return 0
    if a.gdb:
        elf = a.elf or a.kernel
        err("QEMU is halted at the first instruction; in another terminal:")
        sys.stderr.write("  gdb -q -ex 'target remote localhost:%d' "
                         "-ex 'hbreak main' -ex continue %s\n"
                         % (a.gdb_port, elf))
        sys.stderr.flush()

    announce_forwards(a)
    if is_tap(a.net):
        announce_tap(a)
    console = Console() if a.interactive else None
    seen = []
    if console:
        console.raw()
    try:
        return run(a, cmd, console, seen)
    finally:
        if console:
            console.restore()
        remove_tap(a)


def run(a, cmd, console, seen):
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE,
                            stdin=subprocess.PIPE if console else None,
                            preexec_fn=die_with_parent)

    def stop_qemu(signum, frame):
        """Terminated ourselves (a test's cleanup, a killed make): QEMU
        must not run on alone."""
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
        if console:
            console.restore()
        remove_tap(a)
        os._exit(128 + signum)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop_qemu)
    t = threading.Thread(target=forward_stderr, args=(proc.stderr, seen),
                         daemon=True)
    t.start()
    if console:
        threading.Thread(target=console.forward, args=(proc.stdin,),
                         daemon=True).start()
    problem = start_tap(a, proc) if is_tap(a.net) else None
    if problem and proc.poll() is None:
        proc.terminate()
        proc.wait()
        err("error: " + problem)
        return EXIT_REFUSED
    try:
        rc = proc.wait(timeout=a.timeout)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        t.join(timeout=1)
        err("error: the guest did not finish within %gs; QEMU stopped"
            % a.timeout)
        return EXIT_TIMEOUT
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait()
        return 130
    t.join(timeout=1)
    if rc < 0:
        err("error: QEMU killed by signal %d" % -rc)
        return EXIT_QEMU_FAILED
    if rc == 1 and seen:
        err("error: QEMU failed (see its message above); command: %s"
            % " ".join(shlex.quote(c) for c in cmd))
        return EXIT_QEMU_FAILED
    if PLATFORMS[a.plat]["exit_decode"] != "debug-exit":
        return rc
    if rc & 1:
        return rc >> 1
    if rc == 0 and console and console.quit:
        err("QEMU stopped by %s (status 0)" % console.quit)
        return 0
    err("error: the guest stopped without an exit status (QEMU exit %d: "
        "reset, triple fault or shutdown)" % rc)
    return EXIT_NO_STATUS


if __name__ == "__main__":
    sys.exit(main())
