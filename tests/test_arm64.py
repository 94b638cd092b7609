# SPDX-License-Identifier: BSD-3-Clause
"""arm64 on QEMU -M virt (plat/qemu-aarch64): the same image booted as a
Linux arm64 Image and as an ELF, argv and parameters from the device
tree's /chosen, exit statuses through semihosting, and crash reports in
the words x86_64 uses; apps/httpd serving its files and lib/shell's
commands, make debug with gdb-multiarch and FAT on virtio-blk (the same
cases as on x86_64, by subclassing). The unit-test image runs on arm64 too
(tests/run.py, "unit-arm64"); SMP on arm64 is
tests/test_smp_arm64.py.
Each image is built once for the whole file."""
import os
import random
import re
import shlex
import struct
import subprocess
import unittest

import cairn
import test_debug
import test_devices
import test_fat
import test_files
import test_httpd
import test_net
import test_shell

PLAT = "qemu-aarch64"


class Arm64Machines:
    """virt's two transports: the PCI bus behind its generic ECAM host
    bridge (MACHINE=virt-pci; INTx through the GIC, no MSI-X on arm64
    yet) and its MMIO slots (MACHINE=virt, the default)."""
    plat = PLAT
    pci = "virt-pci"
    mmio = "virt"
    irq = "INTx"
    default_is_pci = False


class Arm64Network(Arm64Machines, test_devices.Network):
    """virtio-net through netdev on both transports: ARP, pings, merged
    RX buffers."""


class Arm64Block(Arm64Machines, test_devices.Block):
    """virtio-blk through blkdev on both transports: a pattern written on
    one machine read back on the other, errors, read-only, 256 requests
    in flight."""


class Arm64Nvme(Arm64Machines, test_devices.Nvme):
    """drivers/nvme on virt's PCI bus (INTx through the GIC): a pattern
    written through NVMe read back through virtio-blk, errors, a
    read-only drive, 256 requests in flight."""


class Arm64BadDevices(Arm64Machines, test_devices.BadDevices):
    """Legacy virtio devices and an empty disk on virt, logged and
    skipped."""


class Arm64RunAttachesDevices(Arm64Machines,
                              test_devices.RunAttachesDevices):
    """make run PLAT=qemu-aarch64 attaches a NIC and a disk, on virt's
    MMIO slots by default and on its PCI bus with MACHINE=virt-pci."""


class Arm64EchoServer(test_net.EchoServer):
    """apps/echo over lwIP on arm64: TCP and UDP echo, 100 clients."""
    plat = PLAT


class Arm64Addresses(test_net.Addresses):
    plat = PLAT


class Arm64Client(test_net.Client):
    plat = PLAT


class Arm64Tap(test_net.Tap):
    """A tap device in a namespace; the guest's NIC is virtio-net-pci
    on virt's PCI bus (the launcher's --extra)."""
    plat = PLAT


class Arm64Rtl8139Tap(test_net.Tap):
    """The same on an RTL8139 (drivers/rtl8139 through the memory BAR,
    its C+ transmit ring with offloads), the --extra device on virt's PCI
    bus. The out-of-order flood is the stack's, not the driver's: it runs
    on x86_64's RTL8139 (tests/test_nics.py) and on arm64's virtio-net."""
    plat = PLAT
    nic = "rtl8139"
    test_an_out_of_order_flood_holds_a_bounded_memory = None


class Arm64Initrd(test_files.Initrd):
    """Initrds from QEMU's -initrd (the device tree's /chosen): listings,
    cut, compressed and garbage archives, vfs.mount=, make run."""
    plat = PLAT


class Arm64InitrdVariants(test_files.InitrdVariants):
    """A required initrd and a linked-in one on arm64."""
    plat = PLAT


class Arm64HttpdFilesOverPci(test_httpd.Files):
    """apps/httpd's file cases with its NIC on virt's PCI bus."""
    plat = PLAT
    machine = "virt-pci"


class Arm64Fat(test_fat.Fat):
    """FAT12/16/32 on MBR and GPT partitions written by the arm64 guest and
    checked with mtools and fsck.fat, and the other way round: the block
    path (DMA, caches, endianness of the on-disk fields) is the part that
    differs by architecture. The error cases are the same code on both and
    run on x86_64 only (a loader skips attributes that are not callable)."""
    plat = PLAT
    # NVMe on arm64 is Arm64Nvme's (test_devices), on virt's PCI bus.
    test_guest_writes_on_nvme_host_checks = None
    test_full_disk_gives_enospc_and_loses_nothing = None
    test_errors_symlink_link_names = None
    test_read_only_disk = None
    test_bad_images_give_clear_errors = None


class Arm64ShellCommands(test_shell.Commands):
    """lib/shell's commands on arm64: PL011 input, files from the initrd,
    threads, poweroff with a status and reboot through PSCI."""
    plat = PLAT
    machines = ("virt",)


class Arm64Gdb(test_debug.Gdb):
    """make debug on arm64: QEMU's gdb stub, gdb-multiarch, the thread
    commands of support/gdb/cairn.py reading arm64's switch frames."""
    plat = PLAT
    gdb_cmd = "gdb-multiarch"


class Arm64HttpdFiles(test_httpd.Files):
    """apps/httpd's file cases on arm64: virtio-net over virtio-mmio from
    the device tree, lwIP, the initrd from /chosen, the GIC and the
    generic timer all take part."""
    plat = PLAT


class Arm64Hello(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build("apps/helloworld", "helloworld-arm64",
                                plat=PLAT)

    def check_hello(self, image):
        status, out, err = cairn.boot(image, machine=None,
                                      args='one "two words"')
        self.assertEqual(status, 0, out + err)
        self.assertIn("Hello from Cairn!\n", out)
        self.assertIn('argv[0] = "helloworld"\n', out)
        self.assertIn('argv[1] = "one"\n', out)
        self.assertIn('argv[2] = "two words"\n', out)
        self.assertNotIn("argv[3]", out)

    def test_boots_as_a_linux_image(self):
        with open(self.image, "rb") as f:
            head = f.read(64)
        self.assertEqual(head[56:60], b"ARM\x64")
        text_offset, size = struct.unpack_from("<QQ", head, 8)
        self.assertEqual(text_offset, 0x200000)
        self.assertGreaterEqual(size, os.path.getsize(self.image))
        self.check_hello(self.image)

    def test_boots_as_an_elf(self):
        with open(self.image + ".elf", "rb") as f:
            self.assertEqual(f.read(4), b"\x7fELF")
        self.check_hello(self.image + ".elf")

    def test_debug_level_names_the_platform_and_the_tree(self):
        status, out, _ = cairn.boot(self.image, machine=None,
                                    params="log.level=debug")
        self.assertEqual(status, 0, out)
        self.assertRegex(out, r"DBG  core: helloworld on qemu-aarch64 "
                         r"\(virt\): \d+ cycles \(\d+ us\) from entry to main")
        self.assertRegex(out, r"DBG  plat-qemu-aarch64: device tree at "
                         r"0x[0-9a-f]+, \d+ bytes")
        self.assertRegex(out, r"DBG  core: memory "
                         r"0x0*4\w+-0x0*4\w+ RAM")

    def test_a_bad_parameter_ends_with_the_usage_status(self):
        # A status other than 0 crosses semihosting intact.
        status, out, _ = cairn.boot(self.image, machine=None,
                                    params="log.level=loud")
        self.assertEqual(status, 64, out)
        self.assertIn("parameter log.level: invalid value 'loud'", out)

    def test_without_semihosting_psci_powers_off(self):
        # QEMU started by hand without -semihosting-config: the status
        # cannot get out, but the image still powers off (PSCI
        # SYSTEM_OFF through the device tree's conduit), QEMU exits 0,
        # and a normal exit prints no crash report.
        argv = shlex.split(cairn.launcher("--print", "--kernel",
                                          self.image).stdout)
        i = argv.index("-semihosting-config")
        del argv[i:i + 2]
        p = subprocess.run(argv, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn(b"Hello from Cairn!\n", p.stdout)
        self.assertNotIn(b"CRASH", p.stdout)

    def test_launcher_refuses_a_too_small_m(self):
        status, _, err = cairn.boot(self.image, machine=None, mem="2M")
        self.assertEqual(status, 2)
        self.assertIn("--mem 2M is too small", err)
        self.assertIn("room above it for the device tree", err)

    def test_launcher_refuses_an_x86_machine(self):
        status, _, err = cairn.boot(self.image, machine="pc")
        self.assertEqual(status, 2)
        self.assertIn("--machine pc: qemu-aarch64 has virt", err)


class Arm64Crash(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build("tests/apps/crash", "crash-arm64", plat=PLAT)

    def crash(self, what):
        status, out, err = cairn.boot(self.image, machine=None, args=what)
        self.assertEqual(status, 70, out + err)
        self.assertIn("crash: %s\n" % what.split()[0], out)
        self.assertIn("Backtrace:", out)
        frames = out[out.index("Backtrace:"):]
        self.assertIn("cn_boot_start", frames)
        for reg in ("X0 ", "X17", "FP ", "LR ", "SP ", "PC ", "ESR", "FAR"):
            self.assertRegex(out, r"%s\s*[0-9a-f]{16}" % reg.strip())
        return out, frames

    def test_null_read(self):
        out, frames = self.crash("null")
        self.assertIn("CRASH: Data abort, ESR 0x96000006 (class 0x25)", out)
        self.assertIn("NULL pointer access: read at address 0x0", out)
        self.assertIn("read of an unmapped page", out)
        self.assertRegex(out, r"at crash_null_read\+0x[0-9a-f]+ ")
        self.assertRegex(out, r"FAR 0{16}")
        self.assertIn("thread: main", out)
        # support/symbolize.py picks the cross addr2line for an arm64 ELF.
        p = subprocess.run([cairn.PYTHON, os.path.join(
            cairn.ROOT, "support", "symbolize.py"), self.image + ".elf"],
            input=out, capture_output=True, text=True, timeout=60)
        self.assertRegex(p.stdout, r"crash_null_read\+0x[0-9a-f]+ +"
                         r"tests/apps/crash/main\.c:\d+")

    def test_null_write(self):
        out, _ = self.crash("write-null")
        self.assertIn("NULL pointer access: write at address 0x8", out)

    def test_undefined_instruction(self):
        out, _ = self.crash("ud")
        self.assertIn("CRASH: Undefined instruction, ESR 0x02000000", out)
        self.assertRegex(out, r"at crash_invalid_opcode\+0x[0-9a-f]+ ")

    def test_write_to_code(self):
        out, _ = self.crash("write-code")
        self.assertIn("W^X: write to read-only memory", out)
        self.assertIn("write of a protected page", out)

    def test_executing_data(self):
        out, frames = self.crash("exec-data")
        self.assertIn("CRASH: Instruction abort", out)
        self.assertIn("W^X: executing memory that is not code", out)
        self.assertRegex(out, r"instruction abort at 0x[0-9a-f]{16}: "
                         r"permission fault")
        self.assertIn("crash_exec_data", frames)

    def test_stack_overflow_of_main(self):
        out, frames = self.crash("overflow")
        self.assertIn("stack overflow: thread main ran past the bottom of "
                      "its stack", out)
        self.assertIn("crash_overflow", frames)

    def test_stack_overflow_of_a_thread(self):
        status, out, err = cairn.boot(self.image, machine=None,
                                      args="thread-overflow")
        self.assertEqual(status, 70, out + err)
        self.assertIn("stack overflow: thread deep ran past the bottom of "
                      "its stack", out)
        self.assertIn("thread: deep", out)

    def test_panic_and_assert(self):
        status, out, _ = cairn.boot(self.image, machine=None, args="panic")
        self.assertEqual(status, 70, out)
        self.assertIn("PANIC: requested panic 7", out)
        status, out, _ = cairn.boot(self.image, machine=None, args="assert")
        self.assertEqual(status, 70, out)
        self.assertIn("PANIC: assertion failed: x == 42", out)

    def test_sleep_on_gicv2_and_gicv3(self):
        # The timer interrupt through either GIC, chosen from the tree.
        for gic in ("2", "3"):
            status, out, err = cairn.boot(
                self.image, machine=None, args="sleep 1",
                params="log.level=debug", launcher_args=["--gic", gic])
            self.assertEqual(status, 0, out + err)
            self.assertRegex(out, r"DBG  plat-qemu-aarch64: GICv%s at " % gic)
            self.assertRegex(out, r"timer: generic timer \(virtual\) at "
                             r"\d+ kHz, interrupt 27")

    def test_exit_status_passes_through(self):
        for n in (0, 5, 127):
            status, out, _ = cairn.boot(self.image, machine=None,
                                        args="exit %d" % n)
            self.assertEqual(status, n, out)


class Arm64BigImage(unittest.TestCase):
    """An image past 16 MiB: tests/apps/crash with a 20 MiB initrd linked
    in (read-only data), so .data, .bss and the boot stack's guard page
    lie more than 20 MiB into the image. The MMU maps every part of it
    with its own rights (2 MiB blocks inside a part, pages where parts
    meet), wherever it ends."""
    SIZE = 20 << 20

    @classmethod
    def setUpClass(cls):
        rootfs = cairn.out_dir("crash-arm64-big-rootfs")
        os.makedirs(rootfs, exist_ok=True)
        path = os.path.join(rootfs, "big.bin")
        if not os.path.exists(path) or os.path.getsize(path) != cls.SIZE:
            with open(path, "wb") as f:
                f.write(random.Random(20).randbytes(cls.SIZE))
        cls.image = cairn.build("tests/apps/crash", "crash-arm64-big", [
            "CONFIG_LIB_INITRD=y", "CONFIG_LIB_INITRD_EMBED=y",
            'CONFIG_LIB_INITRD_EMBED_DIR="%s"' % rootfs], plat=PLAT)

    def boot(self, args):
        return cairn.boot(self.image, args=args, mem="128M", timeout=60)

    def test_boots_and_unpacks_its_20_mib(self):
        self.assertGreater(os.path.getsize(self.image), self.SIZE)
        status, out, err = self.boot("exit 3")
        self.assertEqual(status, 3, out + err)
        self.assertIn("initrd: 1 files (%d bytes), 0 directories"
                      % self.SIZE, out)

    def test_boot_stack_guard_past_16_mib(self):
        status, out, err = self.boot("overflow")
        self.assertEqual(status, 70, out + err)
        self.assertIn("stack overflow: thread main ran past the bottom of "
                      "its stack", out)

    def test_w_x_past_16_mib(self):
        status, out, err = self.boot("exec-data")
        self.assertEqual(status, 70, out + err)
        self.assertIn("W^X: executing memory that is not code", out)


if __name__ == "__main__":
    unittest.main()
