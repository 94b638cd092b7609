# SPDX-License-Identifier: BSD-3-Clause
"""support/qemu.py as a user meets it: on a real terminal (a pty), where
Ctrl-A X stops QEMU calmly and a guest reset is still an error; and under
make, where its errors name the make variables the user typed."""
import os
import pty
import re
import subprocess
import threading
import time
import unittest

import cairn
from test_shell import PROMPT, initrd_for, shell_image


class Terminal:
    """The launcher with a pty as its terminal (stdin, stdout, stderr)."""

    def __init__(self, args, timeout=120):
        self.master, slave = pty.openpty()
        cmd = [cairn.PYTHON, os.path.join(cairn.ROOT, "support", "qemu.py"),
               "--timeout", str(timeout)] + list(args)
        self.proc = subprocess.Popen(cmd, stdin=slave, stdout=slave,
                                     stderr=slave, close_fds=True)
        os.close(slave)
        self.buf = b""
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:         # EIO: every writer closed the pty
                return
            if not chunk:
                return
            with self.lock:
                self.buf += chunk

    def text(self):
        with self.lock:
            return self.buf.decode(errors="replace")

    def wait_for(self, pattern, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            if re.search(pattern, self.text()):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError("no %r on the terminal:\n%s"
                             % (pattern, self.text()[-3000:]))

    def send(self, data):
        os.write(self.master, data)

    def finish(self, timeout=60):
        rc = self.proc.wait(timeout=timeout)
        self.reader.join(timeout=5)
        return rc

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
        self.reader.join(timeout=5)
        os.close(self.master)


class OnATerminal(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.image = shell_image()
        cls.initrd = initrd_for(cls.image)

    def boot(self):
        t = Terminal(["--kernel", self.image, "--initrd", self.initrd])
        self.addCleanup(t.close)
        t.wait_for(re.escape(PROMPT))
        return t

    def test_ctrl_a_x_stops_qemu_calmly_with_status_0(self):
        t = self.boot()
        t.send(b"\x01x")
        self.assertEqual(t.finish(), 0, t.text())
        self.assertIn("cairn: QEMU stopped by Ctrl-A X (status 0)", t.text())
        self.assertNotIn("without an exit status", t.text())

    def test_quit_in_the_monitor_is_a_stop_too(self):
        t = self.boot()
        t.send(b"\x01c")
        t.wait_for(r"\(qemu\)")
        t.send(b"quit\r")
        self.assertEqual(t.finish(), 0, t.text())
        self.assertIn("QEMU stopped by quit in the QEMU monitor", t.text())

    def test_a_reset_is_still_reported(self):
        """The guest resetting (QEMU runs with -no-reboot, so it exits 0
        as it does for Ctrl-A X) is not mistaken for the user's stop."""
        t = self.boot()
        t.send(b"reboot\r")
        self.assertEqual(t.finish(), 126, t.text())
        self.assertIn("the guest stopped without an exit status", t.text())
        self.assertNotIn("QEMU stopped by", t.text())

    def test_ctrl_a_ctrl_a_reaches_the_guest(self):
        """Ctrl-A Ctrl-A sends one Ctrl-A to the guest and is no stop:
        the x after it is typed into the shell."""
        t = self.boot()
        t.send(b"\x01\x01x\x15echo still here\r")     # Ctrl-U: kill line
        t.wait_for("still here\r?\n")
        t.send(b"poweroff 3\r")
        self.assertEqual(t.finish(), 3, t.text())
        self.assertNotIn("QEMU stopped by", t.text())


class UnderMake(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.o = cairn.out_dir("helloworld")
        cls.image = cairn.build("apps/helloworld", "helloworld")

    def test_errors_name_the_make_variable(self):
        for var, line in (
                ("MEM=abc", "cairn: error: MEM=abc is not a size"),
                ("MEM=1M", r"cairn: error: MEM=1M is too small: .* use at "
                 r"least MEM=\d+K"),
                ("MACHINE=vax", "cairn: error: MACHINE=vax: qemu-x86_64 has "
                 "pc and microvm"),
                ("HOSTFWD=tcp::8080-:80",
                 "cairn: error: HOSTFWD needs NET=user"),
                ("TIMEOUT=soon", "cairn: error: TIMEOUT: invalid float"),
                ("TIMEOUT=0", "cairn: error: TIMEOUT=0: the time limit is "
                 "a number of seconds above 0"),
                ("TIMEOUT=-1", "cairn: error: TIMEOUT=-1: the time limit"),
                ("TIMEOUT=nan", "cairn: error: TIMEOUT=nan: the time limit"),
                ("DISKIF=scsi", "cairn: error: DISKIF=scsi: the disk "
                 "interface is virtio or nvme"),
                ("DISKIF=nvme MACHINE=microvm", "cairn: error: DISKIF=nvme "
                 "needs PCI: microvm has none \\(use MACHINE=pc\\)"),
                ("NIC=ne2000", "cairn: error: NIC: invalid choice: "
                 "'ne2000' \\(choose from 'e1000', 'rtl8139', 'virtio'\\)"),
                ("NIC=e1000", "cairn: error: NIC needs NET=user"),
                ("BOOT_IMAGE=disk.floppy", "cairn: error: BOOT_IMAGE="
                 r"disk\.floppy: the name must end in \.img, \.iso"),
                ("BOOT_IMAGE=none.iso", r"cairn: error: boot image none\.iso "
                 r"not found \(make image FORMAT=iso\)"),
                ("FIRMWARE=uefi", r"cairn: error: FIRMWARE=uefi: the firmware "
                 r"is seabios \(BIOS\) or ovmf \(UEFI\)")):
            p = cairn.make("run", *var.split(), o=self.o, check=False)
            # The launcher refuses with 2; make reports it and exits 2.
            self.assertEqual(p.returncode, 2, var + p.stderr)
            self.assertRegex(p.stderr, line)
            self.assertRegex(p.stderr, r"run\] Error 2\b")
            self.assertNotIn("--", p.stderr.replace("--timeout", ""))
            self.assertNotIn("usage:", p.stderr)

    def test_make_test_refuses_a_bad_cpu_count(self):
        for bad in ("x", "0", "65"):
            p = cairn.make("test", "SMP=" + bad, "TESTS=nothing",
                           check=False, timeout=60)
            self.assertEqual(p.returncode, 2, bad + p.stdout + p.stderr)
            self.assertIn("SMP=%s: expected a number of CPUs from 1 to 64"
                          % bad, p.stderr)

    def test_direct_use_keeps_the_option_names(self):
        p = cairn.launcher("--kernel", self.image, "--mem", "abc")
        self.assertEqual(p.returncode, 2)
        self.assertIn("cairn: error: --mem abc is not a size", p.stderr)
        p = cairn.launcher("--kernel", self.image, "--hostfwd",
                           "tcp::8080-:80")
        self.assertIn("cairn: error: --hostfwd needs --net user", p.stderr)

    def test_a_pci_nic_needs_a_machine_with_pci(self):
        p = cairn.launcher("--kernel", self.image, "--machine", "microvm",
                           "--net", "user", "--nic", "rtl8139")
        self.assertEqual(p.returncode, 2)
        self.assertIn("cairn: error: --nic rtl8139 is a PCI device: microvm "
                      "has no PCI (use --machine pc, or --nic virtio)", p.stderr)
        p = cairn.launcher("--kernel", self.image, "--net", "user", "--nic",
                           "e1000", "--print")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("-device e1000,romfile=,netdev=net0", p.stdout)

    def test_forwards_are_announced_with_the_host_port(self):
        port = 20000 + os.getpid() % 20000
        p = cairn.launcher("--kernel", self.image, "--machine", "microvm",
                           "--net", "user", "--hostfwd",
                           "tcp:127.0.0.1:%d-:80" % port, "--hostfwd",
                           "udp::%d-:53" % (port + 1))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("cairn: tcp 127.0.0.1:%d -> guest port 80: "
                      "http://127.0.0.1:%d/\n" % (port, port), p.stderr)
        self.assertIn("cairn: udp localhost:%d -> guest port 53\n"
                      % (port + 1), p.stderr)
        p = cairn.launcher("--kernel", self.image, "--net", "user",
                           "--hostfwd", "tcp:8080:80")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--hostfwd tcp:8080:80 is not a forward", p.stderr)

    def test_more_vcpus_than_host_cores_is_said(self):
        cores = len(os.sched_getaffinity(0))
        if cores < 64:
            p = cairn.launcher("--kernel", self.image, "--smp",
                               str(cores + 1), "--print")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("cairn: note: --smp %d is more vCPUs than this "
                          "host's %d core" % (cores + 1, cores), p.stderr)
            self.assertIn("-smp %d " % (cores + 1), p.stdout)
        p = cairn.launcher("--kernel", self.image, "--smp", str(cores),
                           "--print")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("note:", p.stderr)


if __name__ == "__main__":
    unittest.main()
