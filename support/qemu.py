#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Boots a Cairn image in QEMU with the serial console on this terminal.

The exit status is the image's: the guest powers off through QEMU's
isa-debug-exit device (qemu-x86_64) or Arm semihosting's SYS_EXIT
(qemu-aarch64), both of which make QEMU exit with (status << 1) | 1; this
script turns that back into status (0..127 pass through exactly). Other
outcomes get their own statuses and one line on stderr:

    125  QEMU itself failed (bad flag, missing file, no such machine)
    124  --timeout expired and QEMU was stopped
    126  the guest stopped without reporting a status (reset, triple fault)

Accelerator: KVM only where the CPU shows hardware virtualisation (vmx or
svm) and /dev/kvm is usable and is not kvm_pvm, which cannot run Cairn's
ring-0 code (doc/architecture.md); TCG otherwise. --accel, --cpu,
--machine and --mem override every choice.
"""
import argparse
import os
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import threading

# What the launcher knows about each platform: QEMU binary and its Debian
# package, machines (the first is the default), how the guest reports its
# exit status, which machines attach virtio devices over MMIO rather than
# PCI, and where RAM starts (for the -m check).
PLATFORMS = {
    "qemu-x86_64": {
        "qemu": "qemu-system-x86_64",
        "package": "qemu-system-x86",
        "machines": ("pc", "microvm"),
        "exit": ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"],
        "mmio": ("microvm",),
        "ram_base": 0,
        "kvm_host": "x86_64",
    },
    "qemu-aarch64": {
        "qemu": "qemu-system-aarch64",
        "package": "qemu-system-arm",
        "machines": ("virt",),
        # QEMU exits with SYS_EXIT's subcode (plat/qemu-aarch64/power.c).
        "exit": ["-semihosting-config", "enable=on,target=native"],
        "mmio": ("virt",),
        "ram_base": 0x40000000,
        "kvm_host": "aarch64",
    },
}
QEMU = "qemu-system-x86_64"
EXIT_QEMU_FAILED = 125
EXIT_TIMEOUT = 124
EXIT_NO_STATUS = 126


def err(msg):
    sys.stderr.write("cairn: %s\n" % msg)


def kvm_usable(plat="qemu-x86_64"):
    """True when KVM would run the guest on real hardware virtualisation."""
    if os.uname().machine != PLATFORMS[plat]["kvm_host"]:
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
    return " vmx" in flags or " svm" in flags


def build_command(a):
    accel = a.accel
    if accel == "auto":
        accel = "kvm" if kvm_usable(a.plat) else "tcg"
    cpu = a.cpu or ("host" if accel == "kvm" else "max")
    machine = a.machine
    if machine == "microvm":
        # No option ROMs needed; keep the ISA serial port and the RTC.
        machine = "microvm,x-option-roms=off,isa-serial=on,rtc=on"
    if a.gic:
        machine += ",gic-version=%s" % a.gic
    append = a.params.strip()
    append = (append + " -- " + a.args.strip()).strip()
    cmd = [a.qemu, "-M", machine, "-accel", accel, "-cpu", cpu, "-m", a.mem,
           "-nodefaults", "-no-user-config", "-no-reboot", "-display", "none"]
    cmd += PLATFORMS[a.plat]["exit"]
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


def image_platform(path):
    """The platform an image file was built for (from its ELF machine or
    the arm64 Image header), or None when it is neither."""
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
    its image_size; None if the file is neither."""
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
    """The virtio devices: -pci forms on pc, -device (MMIO) on microvm."""
    mmio = a.machine in PLATFORMS[a.plat]["mmio"]
    out = []
    if mmio and (a.net != "none" or a.disk):
        # QEMU makes virtio-mmio devices legacy (version 1) by default.
        out += ["-global", "virtio-mmio.force-legacy=false"]
    if a.net == "user":
        nd = "user,id=net0" + "".join(",hostfwd=" + h for h in a.hostfwd)
        out += ["-netdev", nd, "-device",
                ("virtio-net-device" if mmio else "virtio-net-pci")
                + ",netdev=net0" + a.net_opts]
    for i, d in enumerate(a.disk):
        path, _, opt = d.partition(",")
        ro = ",readonly=on" if opt == "ro" else ""
        out += ["-drive", "file=%s,if=none,id=disk%d,format=raw%s"
                % (path, i, ro), "-device",
                ("virtio-blk-device" if mmio else "virtio-blk-pci")
                + ",drive=disk%d" % i]
    return out


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
    if a.hostfwd and a.net == "none":
        return "--hostfwd needs --net user"
    if a.initrd and not os.path.isfile(a.initrd):
        return "initrd %s not found" % a.initrd
    return None


def die_with_parent():
    """In the child: the kernel kills QEMU if this launcher dies, even by
    SIGKILL (Linux's PR_SET_PDEATHSIG), so no guest is ever orphaned."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)     # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--kernel", required=True, help="image to boot")
    p.add_argument("--elf", help="image with symbols, for the gdb hint")
    p.add_argument("--plat", choices=sorted(PLATFORMS),
                   help="platform the image is for (default: read from "
                   "the image file)")
    p.add_argument("--qemu", help="QEMU binary (default: the platform's)")
    p.add_argument("--machine", choices=sorted(
        {m for p_ in PLATFORMS.values() for m in p_["machines"]}),
        help="QEMU machine (default: the platform's first: pc, virt)")
    p.add_argument("--mem", default="64M", help="guest memory (QEMU -m)")
    p.add_argument("--gic", choices=["2", "3"],
                   help="GIC version of -M virt (default: QEMU's, 2)")
    p.add_argument("--accel", default="auto", choices=["auto", "tcg", "kvm"])
    p.add_argument("--cpu", help="CPU model (default: max on TCG, host on KVM)")
    p.add_argument("--params", default="", help="library parameters")
    p.add_argument("--args", default="", help="the app's arguments")
    p.add_argument("--initrd", help="file passed as -initrd")
    p.add_argument("--net", default="none", choices=["none", "user"],
                   help="attach a virtio-net device on QEMU user networking")
    p.add_argument("--net-opts", default="",
                   help="more virtio-net device properties (',name=value')")
    p.add_argument("--hostfwd", action="append", default=[],
                   help="user-network port forward, e.g. "
                   "tcp:127.0.0.1:8080-:80 (repeatable)")
    p.add_argument("--disk", action="append", default=[],
                   help="attach a raw disk image as virtio-blk: PATH or "
                   "PATH,ro (repeatable)")
    p.add_argument("--extra", default="", help="more QEMU arguments")
    p.add_argument("--timeout", type=float, help="stop QEMU after seconds")
    p.add_argument("--gdb", action="store_true",
                   help="start halted, gdb stub on --gdb-port")
    p.add_argument("--gdb-port", type=int, default=1234)
    p.add_argument("--print", action="store_true",
                   help="print the QEMU command instead of running it")
    a = p.parse_args()
    a.interactive = sys.stdin.isatty() and not a.print

    if not os.path.isfile(a.kernel):
        err("error: image %s not found (build it with make)" % a.kernel)
        return 2
    found = image_platform(a.kernel)
    if a.plat and found and a.plat != found:
        err("error: %s is an image for %s, not %s" % (a.kernel, found,
                                                       a.plat))
        return 2
    a.plat = a.plat or found or "qemu-x86_64"
    plat = PLATFORMS[a.plat]
    a.machine = a.machine or plat["machines"][0]
    if a.machine not in plat["machines"]:
        err("error: machine %s is not one of %s's: %s" % (
            a.machine, a.plat, ", ".join(plat["machines"])))
        return 2
    a.qemu = a.qemu or plat["qemu"]
    if a.gic and a.machine != "virt":
        err("error: --gic is for -M virt (qemu-aarch64), not %s" % a.machine)
        return 2
    if not shutil.which(a.qemu):
        err("error: '%s' not found; install the Debian package "
            "'%s' (apt-get install %s)" % (a.qemu, plat["package"],
                                           plat["package"]))
        return 2
    problem = check_devices(a)
    if problem:
        err("error: " + problem)
        return 2
    mem = parse_size(a.mem)
    if mem is None:
        err("error: --mem %s is not a size (examples: 64M, 1G, 1536K)" % a.mem)
        return 2
    span = image_span(a.kernel, plat["ram_base"])
    if span is None:
        err("error: %s is not a 64-bit ELF image" % a.kernel)
        return 2
    start, end = span
    if plat["ram_base"]:
        # RAM from ram_base: the image, then room for the device tree
        # and the initrd QEMU places above it.
        need = end - plat["ram_base"] + (2 << 20)
        if mem < need:
            err("error: -m %s is too small: the image ends at %d KiB "
                "into RAM and QEMU needs room above it for the device "
                "tree; use at least %dK" % (a.mem, (end - plat["ram_base"])
                                            >> 10, (need + 1023) >> 10))
            return 2
        start = end = None
    if start is None:
        pass
    elif start < 1 << 20 and a.machine == "pc":
        err("error: this image is linked in low memory (Load address: "
            "low, PLAT_QEMU_LOAD_LOW), which boots only on microvm: "
            "SeaBIOS uses that memory on pc. Run it with MACHINE=microvm "
            "or choose the 1 MiB load address in make menuconfig")
        return 2
    if start is not None and end > 0x9fc00 and start < 1 << 20:
        err("error: the image ends at %d KiB, past the 639 KiB of low "
            "memory; choose the 1 MiB load address in make menuconfig"
            % (end >> 10))
        return 2
    # Room above the image for the firmware. On pc, SeaBIOS's loader
    # also stages the kernel file (and initrd) in high RAM before copying
    # the segments: with too little RAM the copy overwrites the image and
    # the guest triple-faults silently (measured: httpd, 1420 KiB, needs
    # about 1760K). The margin below is conservative.
    need = (end or 0) + (64 << 10)
    if a.machine == "pc":
        staged = os.path.getsize(a.kernel) + \
            (os.path.getsize(a.initrd) if a.initrd and
             os.path.isfile(a.initrd) else 0)
        need = end + staged + (256 << 10)
    if start is not None and start >= 1 << 20 and mem < need:
        err("error: -m %s is too small: the image ends at %d KiB and the "
            "firmware needs room above it%s; use at least %dK"
            % (a.mem, end >> 10, " (on pc, also for a copy of the image "
               "file and the initrd)" if a.machine == "pc" else "",
               (need + 1023) >> 10))
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

    seen = []
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE,
                            preexec_fn=die_with_parent)

    def stop_qemu(signum, frame):
        """Terminated ourselves (a test's cleanup, a killed make): QEMU
        must not run on alone."""
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
        os._exit(128 + signum)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop_qemu)
    t = threading.Thread(target=forward_stderr, args=(proc.stderr, seen),
                         daemon=True)
    t.start()
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
    if rc & 1:
        return rc >> 1
    err("error: the guest stopped without an exit status (QEMU exit %d: "
        "reset, triple fault or shutdown)" % rc)
    return EXIT_NO_STATUS


if __name__ == "__main__":
    sys.exit(main())
