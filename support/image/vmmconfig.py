#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes another VMM's configuration for a built image (make vmm-config).

    vmmconfig.py --vmm firecracker|cloud-hypervisor|libvirt|qemu-microvm
                 --kernel IMAGE [--initrd FILE] [--disk PATH[,ro]]...
                 [--net none|user|tap|tap:NAME] [--mem 64M] [--smp N]
                 [--params "..."] [--args "..."] [--name NAME] --out FILE

What each one gets (doc/deploying.md says what was tested here):

- firecracker: Firecracker's --config-file JSON: boot-source
  (kernel_image_path, boot_args, initrd_path), drives, network-interfaces,
  machine-config (vcpu_count, mem_size_mib). Firecracker boots the x86_64
  ELF through its PVH note, puts every device on virtio-mmio and names
  them on the command line (virtio_mmio.device=...), which Cairn reads as
  Linux does. Its network is a tap only: NET=tap:NAME names it (default
  tap0).
- cloud-hypervisor: its command line, as a shell script (it has no
  config file): --kernel (PVH), --cmdline, --initramfs, --cpus, --memory,
  --disk, --net tap=NAME, --serial tty --console off. Its devices are on
  virtio-pci.
- libvirt: a domain XML for `virsh create`: type qemu (TCG; change it to
  kvm where /dev/kvm works), direct kernel boot (<kernel>, <initrd>,
  <cmdline>), virtio disk and net (user, or an existing tap as type
  ethernet), the serial console, and isa-debug-exit through
  <qemu:commandline> so that the exit status still reaches QEMU.
- qemu-microvm: the QEMU command line closest to Firecracker that runs
  here: -M microvm with no PIT, PIC, RTC or ACPI, only virtio-mmio
  devices named on the kernel command line, the serial port.

All paths are made absolute: the files are used from elsewhere.
"""
import argparse
import json
import os
import re
import shlex
import sys
from xml.sax.saxutils import escape, quoteattr

VMMS = ("firecracker", "cloud-hypervisor", "libvirt", "qemu-microvm")
GUEST_MAC = "52:54:00:12:34:56"       # QEMU's default, as make run has it
# qemu-microvm: the virtio-mmio windows of QEMU's microvm without ACPI:
# 8 slots of 512 bytes from 0xfeb00000 on I/O APIC lines 5-12
# (plat/qemu-x86_64/pci.c). QEMU plugs -device virtio-*-device into the
# last free slot first: the first device is in slot 7.
MICROVM_MMIO_BASE = 0xfeb00000
MICROVM_MMIO_SLOT = 512
MICROVM_FIRST_LINE = 5
MICROVM_SLOTS = 8


class Refused(Exception):
    pass


def parse_mib(text):
    """QEMU's -m syntax (MiB by default, K/M/G/T suffixes) in MiB."""
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([KMGT]?)(?:i?B)?\s*",
                     text, re.I)
    if not m:
        raise Refused("MEM=%s is not a size (examples: 64M, 1G)" % text)
    value = float(m.group(1)) * {"": 1, "K": 1 / 1024, "M": 1, "G": 1024,
                                 "T": 1 << 20}[m.group(2).upper()]
    if value < 1 or value != int(value):
        raise Refused("MEM=%s is not a whole number of MiB, which the "
                      "VMMs take" % text)
    return int(value)


def cmdline(a, extra=""):
    """Library parameters, then -- and the app's arguments (README.md)."""
    words = (a.params.strip() + " " + extra).strip()
    if a.args.strip():
        words = (words + " -- " + a.args.strip()).strip()
    return words


def disks(a):
    """(absolute path, read-only) of each --disk."""
    out = []
    for d in a.disk:
        path, _, opt = d.partition(",")
        if opt not in ("", "ro"):
            raise Refused("DISK=%s: the only option is ',ro'" % d)
        if not os.path.isfile(path):
            raise Refused("disk image %s not found" % path)
        out.append((os.path.abspath(path), opt == "ro"))
    return out


def tap_name(a, vmm):
    """The tap a VMM without user networking attaches to."""
    if a.net.startswith("tap:"):
        return a.net[4:]
    sys.stderr.write("cairn: %s takes a tap device only: the config names "
                     "tap0 (NET=tap:NAME names another)\n" % vmm)
    return "tap0"


def script_words(cmd):
    """cmd quoted for sh, one option and its value a line."""
    lines, i = [shlex.quote(cmd[0])], 1
    while i < len(cmd):
        words = [cmd[i]]
        if cmd[i].startswith("-") and i + 1 < len(cmd) and \
                not cmd[i + 1].startswith("-"):
            words.append(cmd[i + 1])
        lines.append(" ".join(shlex.quote(w) for w in words))
        i += len(words)
    return " \\\n\t".join(lines)


def firecracker(a):
    conf = {
        "boot-source": {
            "kernel_image_path": os.path.abspath(a.kernel),
            "boot_args": cmdline(a),
        },
        "drives": [
            {"drive_id": "disk%d" % i, "path_on_host": path,
             "is_root_device": False, "is_read_only": ro}
            for i, (path, ro) in enumerate(disks(a))],
        "network-interfaces": [],
        "machine-config": {"vcpu_count": a.smp,
                           "mem_size_mib": parse_mib(a.mem),
                           "smt": False},
    }
    if a.initrd:
        conf["boot-source"]["initrd_path"] = os.path.abspath(a.initrd)
    if a.net != "none":
        conf["network-interfaces"].append({
            "iface_id": "net0", "guest_mac": GUEST_MAC,
            "host_dev_name": tap_name(a, "Firecracker")})
    return json.dumps(conf, indent=2) + "\n"


def cloud_hypervisor(a):
    cmd = ["cloud-hypervisor", "--kernel", os.path.abspath(a.kernel),
           "--cmdline", cmdline(a),
           "--cpus", "boot=%d" % a.smp,
           "--memory", "size=%dM" % parse_mib(a.mem),
           "--serial", "tty", "--console", "off"]
    if a.initrd:
        cmd += ["--initramfs", os.path.abspath(a.initrd)]
    for path, ro in disks(a):
        cmd += ["--disk", "path=%s%s" % (path, ",readonly=on" if ro else "")]
    if a.net != "none":
        cmd += ["--net", "tap=%s,mac=%s" % (tap_name(a, "cloud-hypervisor"),
                                            GUEST_MAC)]
    return ("#!/bin/sh\n# cloud-hypervisor command for %s (written by make "
            "vmm-config)\nexec %s \"$@\"\n" % (os.path.basename(a.kernel),
                                               script_words(cmd)))


def libvirt(a):
    mib = parse_mib(a.mem)
    osx = ["    <type arch='x86_64' machine='pc'>hvm</type>",
           "    <kernel>%s</kernel>" % escape(os.path.abspath(a.kernel))]
    if a.initrd:
        osx.append("    <initrd>%s</initrd>" % escape(
            os.path.abspath(a.initrd)))
    osx.append("    <cmdline>%s</cmdline>" % escape(cmdline(a)))
    dev = ["    <emulator>%s</emulator>" % escape(a.emulator)]
    for i, (path, ro) in enumerate(disks(a)):
        dev += ["    <disk type='file' device='disk'>",
                "      <driver name='qemu' type='raw'/>",
                "      <source file=%s/>" % quoteattr(path),
                "      <target dev='vd%s' bus='virtio'/>" % chr(ord("a") + i)]
        if ro:
            dev.append("      <readonly/>")
        dev.append("    </disk>")
    if a.net == "user":
        dev += ["    <interface type='user'>",
                "      <mac address='%s'/>" % GUEST_MAC,
                "      <model type='virtio'/>",
                "    </interface>"]
    elif a.net != "none":
        dev += ["    <interface type='ethernet'>",
                "      <mac address='%s'/>" % GUEST_MAC,
                "      <target dev=%s managed='no'/>" % quoteattr(
                    tap_name(a, "This libvirt domain")),
                "      <model type='virtio'/>",
                "    </interface>"]
    if a.serial_file:
        dev += ["    <serial type='file'>",
                "      <source path=%s/>" % quoteattr(
                    os.path.abspath(a.serial_file))]
    else:
        dev += ["    <serial type='pty'>"]
    dev += ["      <target port='0'/>",
            "    </serial>",
            "    <console type='pty'>",
            "      <target type='serial' port='0'/>",
            "    </console>",
            "    <rng model='virtio'>",
            "      <backend model='random'>/dev/urandom</backend>",
            "    </rng>",
            "    <memballoon model='none'/>"]
    return "\n".join([
        "<domain type='qemu' "
        "xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>",
        "  <name>%s</name>" % escape(a.name),
        "  <memory unit='MiB'>%d</memory>" % mib,
        "  <vcpu>%d</vcpu>" % a.smp,
        "  <os>"] + osx + [
        "  </os>",
        "  <on_poweroff>destroy</on_poweroff>",
        "  <on_reboot>destroy</on_reboot>",
        "  <on_crash>destroy</on_crash>",
        "  <devices>"] + dev + [
        "  </devices>",
        "  <qemu:commandline>",
        "    <qemu:arg value='-device'/>",
        "    <qemu:arg value='isa-debug-exit,iobase=0xf4,iosize=0x04'/>",
        "  </qemu:commandline>",
        "</domain>", ""])


def qemu_microvm(a):
    """QEMU with Firecracker's device set: microvm, no legacy timers or
    interrupt controllers, no ACPI, virtio-mmio devices that the command
    line names (virtio_mmio.device=), the serial port, isa-debug-exit."""
    devices = []
    if a.net == "user":
        devices.append((["-netdev", "user,id=net0" + "".join(
            ",hostfwd=" + h for h in a.hostfwd)],
            "virtio-net-device,netdev=net0,mac=" + GUEST_MAC))
    elif a.net != "none":
        devices.append((["-netdev", "tap,id=net0,ifname=%s,script=no,"
                         "downscript=no" % tap_name(a, "qemu-microvm")],
                        "virtio-net-device,netdev=net0,mac=" + GUEST_MAC))
    for i, (path, ro) in enumerate(disks(a)):
        devices.append((["-drive", "file=%s,if=none,id=disk%d,format=raw%s"
                         % (path, i, ",readonly=on" if ro else "")],
                        "virtio-blk-device,drive=disk%d" % i))
    if len(devices) > MICROVM_SLOTS:
        raise Refused("microvm has %d virtio-mmio slots" % MICROVM_SLOTS)
    slots = [MICROVM_SLOTS - 1 - i for i in range(len(devices))]
    named = " ".join("virtio_mmio.device=%d@%#x:%d"
                     % (MICROVM_MMIO_SLOT,
                        MICROVM_MMIO_BASE + n * MICROVM_MMIO_SLOT,
                        MICROVM_FIRST_LINE + n) for n in slots)
    cmd = ["qemu-system-x86_64", "-M",
           "microvm,pit=off,pic=off,rtc=off,acpi=off,isa-serial=on,"
           "x-option-roms=off,auto-kernel-cmdline=off",
           "-m", "%dM" % parse_mib(a.mem), "-smp", str(a.smp),
           "-nodefaults", "-no-user-config", "-no-reboot",
           "-display", "none", "-serial", "stdio",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-global", "virtio-mmio.force-legacy=false",
           "-kernel", os.path.abspath(a.kernel),
           "-append", cmdline(a, named)]
    if a.initrd:
        cmd += ["-initrd", os.path.abspath(a.initrd)]
    for backend, device in devices:
        cmd += backend + ["-device", device]
    return ("#!/bin/sh\n# QEMU microvm with Firecracker's device set, for "
            "%s (written by make vmm-config)\nexec %s \"$@\"\n"
            % (os.path.basename(a.kernel), script_words(cmd)))


WRITERS = {"firecracker": firecracker, "cloud-hypervisor": cloud_hypervisor,
           "libvirt": libvirt, "qemu-microvm": qemu_microvm}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--vmm", required=True)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd")
    ap.add_argument("--disk", action="append", default=[])
    ap.add_argument("--net", default="none")
    ap.add_argument("--hostfwd", action="append", default=[])
    ap.add_argument("--mem", default="64M")
    ap.add_argument("--smp", default="1")
    ap.add_argument("--params", default="")
    ap.add_argument("--args", default="")
    ap.add_argument("--name", help="the domain's name (default: the "
                    "image's file name)")
    ap.add_argument("--emulator", default="/usr/bin/qemu-system-x86_64",
                    help="libvirt's <emulator>")
    ap.add_argument("--serial-file", help="libvirt: the serial console "
                    "into this file (default: a pty for virsh console)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    try:
        if a.vmm not in VMMS:
            raise Refused("VMM=%s: not one of %s" % (a.vmm, "|".join(VMMS)))
        if not os.path.isfile(a.kernel):
            raise Refused("image %s not found (build it with make)"
                          % a.kernel)
        if a.initrd and not os.path.isfile(a.initrd):
            raise Refused("initrd %s not found" % a.initrd)
        if not re.fullmatch(r"[0-9]+", a.smp) or not 1 <= int(a.smp) <= 64:
            raise Refused("SMP=%s: a whole number from 1 to 64" % a.smp)
        a.smp = int(a.smp)
        if a.net not in ("none", "user", "tap") and \
                not re.fullmatch(r"tap:[\w.-]{1,15}", a.net):
            raise Refused("NET=%s: none, user, tap or tap:NAME" % a.net)
        if a.net == "user" and a.vmm in ("firecracker", "cloud-hypervisor"):
            sys.stderr.write("cairn: %s has no user networking: the config "
                             "takes a tap device instead\n" % a.vmm)
        a.name = a.name or os.path.basename(a.kernel)
        text = WRITERS[a.vmm](a)
    except Refused as e:
        sys.stderr.write("cairn: error: %s\n" % e)
        return 2
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as f:
        f.write(text)
    if a.vmm in ("cloud-hypervisor", "qemu-microvm"):
        os.chmod(a.out, 0o755)
    print("  VMM     %s (%s)" % (a.out, a.vmm))
    return 0


if __name__ == "__main__":
    sys.exit(main())
