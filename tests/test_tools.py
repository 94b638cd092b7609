# SPDX-License-Identifier: BSD-3-Clause
"""Interactive tools: make menuconfig (through a pseudo-terminal) and
make debug (gdb in batch mode against QEMU's stub)."""
import fcntl
import os
import pty
import select
import shutil
import struct
import subprocess
import termios
import time
import unittest

import cairn


def read_until(fd, needles, timeout):
    """Reads a pty until every needle was seen; returns all the text."""
    text, end = b"", time.time() + timeout
    while time.time() < end:
        if all(n.encode() in text for n in needles):
            break
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            text += chunk
    return text.decode(errors="replace")


class MenuConfig(unittest.TestCase):
    def test_menu_opens_with_every_section_and_exits(self):
        o = cairn.out_dir("menu")
        shutil.rmtree(o, ignore_errors=True)
        cairn.make("APP=apps/helloworld", "defconfig", o=o)
        pid, fd = pty.fork()
        if pid == 0:
            os.environ["TERM"] = "xterm"
            os.environ.pop("MAKEFLAGS", None)
            os.execvp("make", ["make", "-C", cairn.ROOT, "O=" + o,
                               "menuconfig"])
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        try:
            screen = read_until(fd, ["Cairn configuration", "Build options"],
                                30)
            for section in ("Architecture", "Platform", "Drivers",
                            "Libraries", "Application", "Build options"):
                self.assertIn(section, screen)
            os.write(fd, b"\x1b\x1b")       # Esc Esc: leave, nothing changed
            tail = read_until(fd, ["End of the configuration"], 15)
            self.assertIn("End of the configuration", tail)
        finally:
            _, status = os.waitpid(pid, 0)
            os.close(fd)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0)


class Debug(unittest.TestCase):
    def test_gdb_breaks_at_main_by_name(self):
        if not shutil.which("gdb"):
            self.fail("gdb is missing: .ci/run installs the Debian package gdb")
        o = cairn.out_dir("helloworld")
        cairn.build("apps/helloworld", "helloworld")
        port = 20000 + os.getpid() % 20000
        env = dict(os.environ)
        env.pop("MAKEFLAGS", None)
        qemu = subprocess.Popen(
            ["make", "-C", cairn.ROOT, "O=" + o, "debug", "MACHINE=microvm",
             "GDB_PORT=%d" % port, "TIMEOUT=120"], stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        try:
            hint = qemu.stderr.readline() + qemu.stderr.readline()
            self.assertIn("target remote localhost:%d" % port, hint)
            self.assertIn("helloworld_qemu-x86_64.elf", hint)
            time.sleep(0.5)
            g = subprocess.run(
                ["gdb", "-q", "-batch", "-ex",
                 "target remote localhost:%d" % port, "-ex", "hbreak main",
                 "-ex", "continue", "-ex", "bt", "-ex", "kill",
                 os.path.join(o, "helloworld_qemu-x86_64.elf")],
                capture_output=True, text=True, timeout=90)
            self.assertRegex(g.stdout, r"Breakpoint 1, main \(argc=1")
            self.assertRegex(g.stdout, r"#0  main \(argc=1, argv=.*main\.c:\d+")
        finally:
            try:
                qemu.wait(timeout=30)
            except subprocess.TimeoutExpired:
                qemu.kill()
                qemu.wait()


if __name__ == "__main__":
    unittest.main()
