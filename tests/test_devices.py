# SPDX-License-Identifier: BSD-3-Clause
"""Devices: virtio-net through netdev, virtio-blk through blkdev, on the
PCI transport (-M pc) and the MMIO one (-M microvm), and what happens
with devices Cairn cannot drive. The classes take the platform and its
machines as class attributes; tests/test_arm64.py runs them on
qemu-aarch64 (virt-pci: virt's ECAM PCI bus; virt: its MMIO slots)."""
import hashlib
import os
import random
import re
import shutil
import struct
import tempfile
import threading
import unittest

import cairn

NET = ("--net", "user")
PCI_NET = (r"net0: virtio-net at pci [0-9a-f]{2}:[0-9a-f]{2}\.[0-7] "
           r"\[1af4:10(00|41)\] \((MSI-X|INTx)\), MAC 52:54:00:12:34:56, "
           r"MTU 1500, link up")
# microvm's slots are at 0xfeb00000, virt's at 0x0a000000.
MMIO_NET = (r"net0: virtio-net at mmio 0x(feb0|a00)[0-9a-f]{4} \[id 1\] "
            r"\(line \d+\), MAC 52:54:00:12:34:56, MTU 1500, link up")
PCI_BLK = (r"blk0: virtio-blk at pci [0-9a-f]{2}:[0-9a-f]{2}\.[0-7] "
           r"\[1af4:10(01|42)\] \(%s\), 131072 sectors of 512 bytes "
           r"\(64 MiB\), read-write")
MMIO_BLK = (r"blk0: virtio-blk at mmio 0x(feb0|a00)[0-9a-f]{4} \[id 2\] "
            r"\(line \d+\), 131072 sectors of 512 bytes \(64 MiB\), "
            r"read-write")
DISK_BYTES = 64 << 20


def sector_pattern(seed, sector):
    """What blktest writes into a sector (see tests/apps/blktest/main.c)."""
    base = ((seed + sector) * 0x9e3779b97f4a7c15) & (2 ** 64 - 1)
    return struct.pack("<64Q", *[base ^ i for i in range(64)])


class Platform:
    """The platform under test and its two machines; qemu-x86_64 here."""
    plat = None         # the default platform; test_arm64.py sets its own
    pci = "pc"          # the machine whose virtio devices are on PCI
    mmio = "microvm"    # the one whose virtio devices are MMIO
    irq = "MSI-X"       # how virtio-pci's interrupts arrive by default

    @classmethod
    def build(cls, app):
        name = os.path.basename(app) + ("-" + cls.plat if cls.plat else "")
        return cairn.build(app, name, plat=cls.plat)


class Network(Platform, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.image = cls.build("tests/apps/netping")

    def ping(self, machine, count, params="", device=PCI_NET):
        status, out, err = cairn.boot(self.image, machine=machine,
                                      args=str(count), params=params,
                                      timeout=60, launcher_args=NET)
        self.assertEqual(status, 0, out + err)
        self.assertRegex(out, device)
        self.assertIn("netping: arp: 10.0.2.2 is at 52:55:0a:00:02:02\n", out)
        self.assertIn("netping: icmp: %d sent, %d replies ok, 0 bad;"
                      % (count, count), out)
        # Odd requests went as two fragments; their payload buffers came
        # back to the app once sent (the last may still be in the ring).
        m = re.search(r"(\d+) requests sent in two fragments, (\d+) "
                      r"returned", out)
        self.assertTrue(m, out)
        self.assertEqual(int(m.group(1)), count // 2)
        self.assertGreaterEqual(int(m.group(2)), count // 2 - 8)
        m = re.search(r"rx (\d+) packets .* (\d+) drops, (\d+) errors; "
                      r"tx (\d+) packets", out)
        self.assertTrue(m, out)
        # One ARP reply plus the echo replies, each request sent once.
        self.assertGreaterEqual(int(m.group(1)), count + 1)
        self.assertEqual(int(m.group(4)), count + 1)
        self.assertEqual((m.group(2), m.group(3)), ("0", "0"))
        return out

    def test_arp_and_1000_pings_on_pci(self):
        out = self.ping(self.pci, 1000)
        self.assertIn("(%s)" % self.irq, out)

    def test_arp_and_1000_pings_on_mmio(self):
        self.ping(self.mmio, 1000, device=MMIO_NET)

    def test_intx_no_event_index_and_merged_rx_buffers(self):
        # 64-byte RX buffers: every echo reply spans two merged buffers.
        out = self.ping(self.pci, 300, params="virtio_pci.msix=0 "
                        "virtio.event_idx=0 virtio_net.rx_buf=64")
        self.assertIn("(INTx)", out)
        self.assertNotIn("event_idx", out)
        self.assertIn("mrg_rxbuf", out)

    def test_without_a_device(self):
        status, out, _ = cairn.boot(self.image, args="3")
        self.assertEqual(status, 2, out)
        self.assertIn("netping: no network device\n", out)

    def test_bad_arguments(self):
        status, out, _ = cairn.boot(self.image, args="0",
                                    launcher_args=NET)
        self.assertEqual(status, 1, out)
        self.assertIn("usage: netping", out)


class BlockDisk(Platform):
    """blktest and scratch disks, for the block classes."""
    @classmethod
    def setUpClass(cls):
        cls.image = cls.build("tests/apps/blktest")
        cls.tmp = tempfile.TemporaryDirectory(prefix="cairn-blk-")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def disk(self, name, size=DISK_BYTES):
        path = os.path.join(self.tmp.name, name)
        with open(path, "wb") as f:
            f.truncate(size)
        return path

    def run_blk(self, path, args, machine, ro=False, params="",
                expect=0, diskif="virtio"):
        spec = path + (",ro" if ro else "")
        status, out, err = cairn.boot(self.image, machine=machine, args=args,
                                      params=params, timeout=120,
                                      launcher_args=("--disk", spec,
                                                     "--diskif", diskif))
        self.assertEqual(status, expect, out + err)
        return out

    def check_file(self, path, seed):
        """The host reads the image file: the pattern is there."""
        self.assertEqual(os.path.getsize(path), DISK_BYTES)
        sectors = DISK_BYTES // 512
        picks = [0, 1, sectors - 1] + random.Random(seed).sample(
            range(sectors), 2000)
        with open(path, "rb") as f:
            for s in picks:
                f.seek(s * 512)
                self.assertEqual(f.read(512), sector_pattern(seed, s),
                                 "sector %d of %s" % (s, path))


class Block(BlockDisk, unittest.TestCase):
    def write_then_verify(self, write_on, verify_on, seed):
        path = self.disk("disk-%d.img" % seed)
        out = self.run_blk(path, "write %d" % seed, machine=write_on)
        self.assertRegex(out, PCI_BLK % self.irq if write_on == self.pci
                         else MMIO_BLK)
        self.assertIn("blktest: wrote 131072 sectors\n", out)
        self.assertIn("blktest: ok flush (0)\n", out)
        self.check_file(path, seed)
        # A new boot (the first one powered off) reads it all back.
        out = self.run_blk(path, "verify %d" % seed, machine=verify_on)
        self.assertIn("blktest: verified 131072 sectors, 0 differ\n", out)
        # And a wrong seed is noticed: the comparison can fail.
        out = self.run_blk(path, "verify %d" % (seed + 1), machine=verify_on,
                           expect=1)
        self.assertIn("131072 differ", out)

    def test_pattern_written_on_pci_survives_power_off(self):
        self.write_then_verify(self.pci, self.mmio, 7)

    def test_pattern_written_on_mmio_survives_power_off(self):
        self.write_then_verify(self.mmio, self.pci, 11)

    def test_out_of_range_requests_fail_cleanly(self):
        path = self.disk("errors.img")
        for machine in (self.pci, self.mmio):
            out = self.run_blk(path, "errors", machine=machine)
            for what in ("read at the end", "read across the end",
                         "read far past the end", "read of 0 sectors",
                         "write across the end"):
                self.assertIn("blktest: ok %s (EINVAL)\n" % what, out)
            self.assertNotIn("FAIL", out)

    def test_read_only_drive_refuses_writes(self):
        path = self.disk("ro.img")
        with open(path, "r+b") as f:
            f.write(b"\xa5" * 512)
        before = hashlib.sha256(open(path, "rb").read()).hexdigest()
        for machine in (self.pci, self.mmio):
            out = self.run_blk(path, "readonly", machine=machine, ro=True)
            self.assertIn("read-only, ", out)
            self.assertIn("blktest: ok write (EROFS)\n", out)
            self.assertIn("blktest: ok read again (0)\n", out)
        after = hashlib.sha256(open(path, "rb").read()).hexdigest()
        self.assertEqual(before, after)

    def test_many_requests_in_flight(self):
        for machine, params in ((self.pci, ""), (self.mmio, ""),
                                (self.pci,
                                 "virtio_pci.msix=0 virtio.event_idx=0")):
            path = self.disk("async-%s.img" % machine)
            out = self.run_blk(path, "async", machine=machine, params=params)
            self.assertIn("blktest: async: 256 writes and 256 reads", out)
            self.assertIn("blktest: ok async status (0)\n", out)
            self.assertNotIn("FAIL", out)
            with open(path, "rb") as f:
                f.seek(255 * 8 * 512)
                self.assertEqual(f.read(512), sector_pattern(42, 255 * 8))


NVME = (r"blk0: nvme at pci [0-9a-f]{2}:[0-9a-f]{2}\.[0-7] \[1b36:0010\] "
        r"\(%s\), 131072 sectors of 512 bytes \(64 MiB\), read-write, "
        r"write cache \(flush\), " + (
            r"1 I/O queue" if not cairn.TEST_SMP else
            r"%s I/O queues?" % cairn.TEST_SMP) +    # one per CPU
        r" of \d+, model QEMU NVMe Ctrl")


class Nvme(BlockDisk, unittest.TestCase):
    """The same block tests on drivers/nvme (QEMU -device nvme, DISKIF=nvme,
    PCI machines only): a pattern written through NVMe read back through
    virtio-blk, a wrong pattern noticed through NVMe, errors, 256
    requests in flight
    with MSI-X and with INTx. A read-only drive is the host's business
    here: QEMU's NVMe does not tell the guest, the device refuses the
    write (EIO) and the file stays as it was."""

    def nvme(self, path, args, params="", expect=0):
        return self.run_blk(path, args, self.pci, params=params,
                            expect=expect, diskif="nvme")

    def test_pattern_written_through_nvme_survives_power_off(self):
        path = self.disk("nvme-13.img")
        out = self.nvme(path, "write 13")
        self.assertRegex(out, NVME % self.irq)
        self.assertIn("blktest: wrote 131072 sectors\n", out)
        self.assertIn("blktest: ok flush (0)\n", out)
        self.check_file(path, 13)
        # virtio-blk reads what NVMe wrote; NVMe's reads see a wrong seed.
        out = self.run_blk(path, "verify 13", self.pci)
        self.assertIn("blktest: verified 131072 sectors, 0 differ\n", out)
        out = self.nvme(path, "verify 14", expect=1)
        self.assertIn("131072 differ", out)

    def test_out_of_range_requests_fail_cleanly(self):
        out = self.nvme(self.disk("nvme-errors.img"), "errors")
        for what in ("read at the end", "read across the end",
                     "read far past the end", "read of 0 sectors",
                     "write across the end"):
            self.assertIn("blktest: ok %s (EINVAL)\n" % what, out)
        self.assertNotIn("FAIL", out)

    def test_read_only_drive_refuses_writes(self):
        path = self.disk("nvme-ro.img")
        with open(path, "r+b") as f:
            f.write(b"\xa5" * 512)
        before = hashlib.sha256(open(path, "rb").read()).hexdigest()
        out = self.run_blk(path, "readonly", self.pci, ro=True, expect=1,
                           diskif="nvme")
        self.assertIn("blktest: FAIL write: got EIO, expected EROFS", out)
        self.assertIn("blktest: ok read again (0)\n", out)
        after = hashlib.sha256(open(path, "rb").read()).hexdigest()
        self.assertEqual(before, after)

    def test_many_requests_in_flight(self):
        for params, irq in (("", self.irq), ("nvme.msix=0", "INTx")):
            path = self.disk("nvme-async.img")
            out = self.nvme(path, "async", params=params)
            self.assertRegex(out, NVME % irq)
            self.assertIn("blktest: async: 256 writes and 256 reads", out)
            self.assertIn("blktest: ok async status (0)\n", out)
            self.assertNotIn("FAIL", out)
            with open(path, "rb") as f:
                f.seek(255 * 8 * 512)
                self.assertEqual(f.read(512), sector_pattern(42, 255 * 8))


class NvmeRequests(BlockDisk, unittest.TestCase):
    """What one NVMe request costs the emulator, counted with QEMU's trace
    of its NVMe device: blktest writes the disk in 256 KiB requests (256
    writes and a flush), then verifies it twice, side by side. Per request
    one MMIO exit (the submission doorbell), no register read (CSTS is
    read by the watchdog only), and the data as one SGL descriptor (one
    range for QEMU to map, no PRP list to read); nvme.sgl=0 still moves
    the data right through PRP lists. By default a synchronous request
    polls for its completion when polling has been the faster way
    (lib/blkdev measures it); with blkdev.poll_us=0 it never polls."""
    EVENTS = ("pci_nvme_mmio_read", "pci_nvme_mmio_doorbell_sq",
              "pci_nvme_mmio_asqaddr", "pci_nvme_map_prp",
              "pci_nvme_map_sgl", "pci_nvme_map_addr")

    def traced(self, path, args, params="", expect=0):
        """Boots blktest on path with QEMU's trace; returns (console, the
        trace's events from Cairn's first I/O command on, as (name, rest)
        pairs). SeaBIOS's own NVMe driver comes before Cairn sets its
        admin queue up, Cairn's Identify commands before its I/O."""
        base = path + "-" + args.replace(" ", "-")
        with open(base + ".events", "w") as f:
            f.write("\n".join(self.EVENTS) + "\n")
        extra = "-trace events=%s.events -D %s.trace" % (base, base)
        status, out, err = cairn.boot(
            self.image, machine=self.pci, args=args, params=params,
            timeout=120, launcher_args=("--disk", path, "--diskif", "nvme",
                                        "--extra", extra))
        self.assertEqual(status, expect, out + err)
        with open(base + ".trace") as f:
            events = [m.groups() for m in re.finditer(
                r"^(?:\d+@[\d.]+:)?(pci_nvme_\w+) ?(.*)$", f.read(), re.M)]
        ours = max(i for i, (e, _) in enumerate(events)
                   if e == "pci_nvme_mmio_asqaddr")
        io = min(i for i, (e, r) in enumerate(events) if i > ours and
                 e == "pci_nvme_mmio_doorbell_sq" and
                 not r.startswith("sqid 0 "))
        return out, events[io:]

    @staticmethod
    def count(events, name, rest=""):
        return sum(1 for e, r in events if e == name and rest in r)

    def test_one_mmio_exit_and_one_mapping_per_request(self):
        path = self.disk("nvme-trace.img")
        out, ev = self.traced(path, "write 21")
        self.assertIn("blktest: wrote 131072 sectors\n", out)
        self.assertIn("blktest: ok flush (0)\n", out)
        self.assertRegex(out, r"blktest: write: blk0 reads 0 writes 256 "
                         r"flushes 1 errors 0 polled \d+\n")
        # 256 writes of 256 KiB and a flush: one doorbell write each.
        # (With SMP the queue is the CPU's: any but the admin queue, 0.)
        self.assertEqual(sum(1 for e, r in ev
                             if e == "pci_nvme_mmio_doorbell_sq" and
                             not r.startswith("sqid 0 ")), 257)
        # CSTS (0x1c) only from the 100 ms watchdog: one read per request
        # (257) before.
        self.assertLess(self.count(ev, "pci_nvme_mmio_read", "addr 0x1c "),
                        32, [r for e, r in ev if e == "pci_nvme_mmio_read"])
        # One SGL descriptor, one mapped range per write (64 pages, one
        # PRP list each before).
        self.assertEqual(self.count(ev, "pci_nvme_map_sgl"), 256)
        self.assertEqual(self.count(ev, "pci_nvme_map_prp"), 0)
        self.assertEqual(self.count(ev, "pci_nvme_map_addr"), 256)
        self.check_file(path, 21)

        # PRP lists (nvme.sgl=0) read the same data, never polling with
        # blkdev.poll_us=0; a 10 ms polling window finds completions by
        # polling.
        results, copy = {}, path + ".copy"   # QEMU locks its disks
        shutil.copyfile(path, copy)

        def verify(key, disk, args, params, expect):
            try:
                results[key] = self.traced(disk, args, params, expect)
            except BaseException as e:     # raised below, in the test
                results[key] = e
        threads = [threading.Thread(target=verify, args=a) for a in (
            ("prp", path, "verify 21", "nvme.sgl=0 blkdev.poll_us=0", 0),
            ("poll", copy, "verify 22", "blkdev.poll_us=10000", 1))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for r in results.values():
            if isinstance(r, BaseException):
                raise r
        out, ev = results["prp"]
        self.assertIn("blktest: verified 131072 sectors, 0 differ\n", out)
        self.assertEqual(self.count(ev, "pci_nvme_map_prp"), 256)
        self.assertEqual(self.count(ev, "pci_nvme_map_sgl"), 0)
        # One range per page (blktest's buffer is not page-aligned: 65).
        self.assertGreaterEqual(self.count(ev, "pci_nvme_map_addr"),
                                256 * 64)
        self.assertRegex(out, r"blktest: verify: blk0 reads 256 writes 0 "
                         r"flushes 0 errors 0 polled 0\n")
        out, ev = results["poll"]
        self.assertIn("blktest: verified 131072 sectors, 131072 differ", out)
        polled = re.search(r"blktest: verify: blk0 reads 256 writes 0 "
                           r"flushes 0 errors 0 polled (\d+)\n", out)
        self.assertIsNotNone(polled, out)
        self.assertGreater(int(polled.group(1)), 0)


class NvmeFaults(BlockDisk, unittest.TestCase):
    """NVMe that breaks, each with blktest until-error (4 KiB writes until
    one fails, then a read that must fail with EIO at once; exit 3): a
    controller that does not answer in nvme.timeout_ms (QEMU's throttle
    filter holds the writes for seconds), a drive the host takes away
    during the writes (QMP drive_del: every command fails), a controller
    that disappears (registers all ones, doorbells lost: the test-only
    nvme.fault=gone; QEMU 7.2 removes a PCI device only when the guest
    ejects it) and registers that read all ones at probe
    (nvme.fault=ones). One log line says why, the errors reach the
    caller, the image goes on to its exit. The four guests run side by
    side."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sock = os.path.join(cls.tmp.name, "qmp")
        disk = lambda name: cls.disk(cls, name, 1 << 20)
        slow = ("-object throttle-group,id=tg0,x-bps-total=4096 "
                "-blockdev driver=throttle,node-name=d0,throttle-group=tg0,"
                "file.driver=file,file.filename=%s "
                "-device nvme,serial=slow,drive=d0" % disk("slow.img"))
        plain = ("-drive file=%s,if=none,id=d0,format=raw "
                 "-device nvme,serial=f0,drive=d0")
        cls.guests = {
            "slow": cls.guest("nvme.timeout_ms=500", slow),
            "taken": cls.guest("", plain % disk("taken.img") +
                               " -qmp unix:%s,server,nowait" % cls.sock),
            "gone": cls.guest("nvme.fault=gone", plain % disk("gone.img")),
            "ones": cls.guest("nvme.fault=ones", plain % disk("ones.img")),
        }

    @classmethod
    def guest(cls, params, extra):
        return cairn.Background([
            cairn.PYTHON, os.path.join(cairn.ROOT, "support", "qemu.py"),
            "--kernel", cls.image, "--machine", cls.pci,
            "--params=" + params, "--args=until-error", "--timeout", "240",
            "--extra", extra] + (["--plat", cls.plat] if cls.plat else []))

    @classmethod
    def tearDownClass(cls):
        for g in cls.guests.values():
            g.stop()
        super().tearDownClass()

    def finished(self, name, status):
        g = self.guests[name]
        try:
            g.proc.wait(timeout=300)
        except Exception:
            pass
        out = g.stop()
        self.assertEqual(g.proc.returncode, status, out[-3000:])
        self.assertNotIn("FAIL", out)
        return out

    def gave_up(self, out, why):
        lines = re.findall(r"ERR  nvme: .*", out)
        self.assertEqual(len(lines), 1, out[-3000:])
        self.assertRegex(lines[0], r"blk0: %s: giving the controller up; "
                         r"its requests fail" % why)

    def test_controller_that_does_not_answer(self):
        out = self.finished("slow", 3)
        self.gave_up(out, r"a command did not complete in nvme.timeout_ms")
        self.assertRegex(out, r"blktest: write \d+ failed: ETIMEDOUT\n")
        self.assertIn("blktest: ok read after the error (EIO)\n", out)

    def test_drive_taken_away_during_writes(self):
        g = self.guests["taken"]
        g.wait_for(r"blktest: writing until an error\n", 240)
        qmp = cairn.Qmp(self.sock)
        try:
            qmp.cmd("human-monitor-command", **{"command-line":
                                                "drive_del d0"})
        finally:
            qmp.close()
        # QEMU's complaint about each failed command comes on its stderr,
        # which Background mixes into the console's lines.
        out = self.finished("taken", 3).replace(
            "qemu-system-x86_64: aio failed: No medium found\n", "")
        self.assertRegex(out, r"blktest: write \d+ failed: EIO\n")
        self.assertIn("blktest: ok read after the error (EIO)\n", out)

    def test_controller_that_disappears(self):
        out = self.finished("gone", 3)
        self.gave_up(out, r"the controller is gone \(registers read all "
                     r"ones\)")
        self.assertIn("blktest: write 65 failed: EIO\n", out)
        self.assertIn("blktest: ok read after the error (EIO)\n", out)

    def test_registers_all_ones_at_probe(self):
        out = self.finished("ones", 2)
        self.assertEqual(re.findall(r"ERR  nvme: .*", out), [
            "ERR  nvme: nvme %s: unusable registers (CAP 0xffffffffffffffff, "
            "VS 0xffffffff)" % re.search(r"pci ([0-9a-f:.]+) 1b36:0010: "
                                         r"driver nvme failed: EIO; device "
                                         r"skipped", out).group(1)])
        self.assertIn("blktest: no block device\n", out)


class BadDevices(Platform, unittest.TestCase):
    """Devices Cairn cannot drive are logged and skipped; the image goes on."""

    @classmethod
    def setUpClass(cls):
        cls.image = cls.build("tests/apps/blktest")
        cls.tmp = tempfile.TemporaryDirectory(prefix="cairn-bad-")
        cls.path = os.path.join(cls.tmp.name, "d.img")
        with open(cls.path, "wb") as f:
            f.truncate(1 << 20)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def boot_with(self, machine, device, path=None):
        extra = "-drive file=%s,if=none,id=d0,format=raw -device %s,drive=d0" % (
            path or self.path, device)
        status, out, err = cairn.boot(self.image, machine=machine,
                                      args="errors",
                                      launcher_args=("--extra", extra))
        self.assertEqual(status, 2, out + err)
        self.assertIn("blktest: no block device\n", out)
        return out

    def test_legacy_mmio_device(self):
        out = self.boot_with(self.mmio, "virtio-blk-device")
        self.assertRegex(out, r"mmio 0x[0-9a-f]+: virtio device 2 is "
                         r"legacy \(version 1\); skipped\. Run QEMU with "
                         r"-global virtio-mmio.force-legacy=false")

    def test_legacy_only_pci_device(self):
        out = self.boot_with(self.pci, "virtio-blk-pci,disable-modern=on")
        self.assertRegex(out, r"pci [0-9a-f:.]+ 1af4:1001: no virtio 1.0 "
                         r"capabilities \(legacy-only device\); skipped")

    def test_empty_disk(self):
        empty = os.path.join(self.tmp.name, "empty.img")
        open(empty, "wb").close()
        out = self.boot_with(self.pci, "virtio-blk-pci", path=empty)
        self.assertIn("virtio-blk reports a capacity of 0", out)
        self.assertIn("virtio-blk failed: EINVAL; device skipped", out)


class RunAttachesDevices(Platform, unittest.TestCase):
    """make run follows the drivers selected in the configuration; the
    platform's default machine first (pc: PCI; virt: MMIO), then the
    other one."""
    default_is_pci = True

    def test_make_run_attaches_a_disk(self):
        o = os.path.dirname(self.build("tests/apps/blktest"))
        disk = os.path.join(o, "disk.img")
        if os.path.exists(disk):
            os.unlink(disk)
        p = cairn.make("run", "ARGS=errors", "TIMEOUT=60", o=o)
        self.assertIn("DISK    %s (64 MiB, empty)" % disk, p.stdout)
        self.assertIn("blktest: ok read at the end (EINVAL)", p.stdout)
        self.assertRegex(p.stdout, PCI_BLK % self.irq if self.default_is_pci
                         else MMIO_BLK)
        self.assertEqual(os.path.getsize(disk), DISK_BYTES)
        other = self.mmio if self.default_is_pci else self.pci
        p = cairn.make("run", "ARGS=errors", "TIMEOUT=60",
                       "MACHINE=" + other, o=o)
        self.assertRegex(p.stdout, MMIO_BLK if self.default_is_pci
                         else PCI_BLK % self.irq)

    def test_make_run_attaches_a_nic(self):
        o = os.path.dirname(self.build("tests/apps/netping"))
        p = cairn.make("run", "ARGS=5", "TIMEOUT=60", o=o)
        self.assertRegex(p.stdout, PCI_NET if self.default_is_pci
                         else MMIO_NET)
        self.assertIn("5 sent, 5 replies ok, 0 bad", p.stdout)

    def test_transport_missing_for_the_machine(self):
        name = "blktest-mmio-only" + ("-" + self.plat if self.plat else "")
        image = cairn.build("tests/apps/blktest", name,
                            ["# CONFIG_DRV_VIRTIO_PCI is not set"],
                            plat=self.plat)
        o = os.path.dirname(image)
        p = cairn.make("run", "ARGS=errors", "TIMEOUT=60",
                       "MACHINE=" + self.pci, o=o, check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("virtio devices on %s need the virtio-pci transport"
                      % self.pci, p.stderr)
        self.assertIn("or run MACHINE=%s" % self.mmio, p.stderr)
        p = cairn.make("run", "ARGS=errors", "TIMEOUT=60",
                       "MACHINE=" + self.mmio, o=o)
        self.assertRegex(p.stdout, MMIO_BLK)

    def test_missing_disk_file(self):
        image = self.build("tests/apps/blktest")
        p = cairn.launcher("--kernel", image, "--disk", "/nonexistent/d.img")
        self.assertEqual(p.returncode, 2)
        self.assertIn("disk image /nonexistent/d.img not found", p.stderr)
        p = cairn.launcher("--kernel", image, "--disk", self_path_ro_bad())
        self.assertEqual(p.returncode, 2)
        self.assertIn("the only option is ',ro'", p.stderr)


def self_path_ro_bad():
    return os.path.join(cairn.ROOT, "README.md") + ",rw"


if __name__ == "__main__":
    unittest.main()
