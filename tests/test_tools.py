# SPDX-License-Identifier: BSD-3-Clause
"""Interactive tools: make menuconfig (in a tmux terminal) and
make debug (gdb in batch mode against QEMU's stub)."""
import os
import shutil
import subprocess
import time
import unittest

import cairn


class MenuConfig(unittest.TestCase):
    """Drives mconf in a real terminal (tmux) and reads the rendered screen."""

    def tmux(self, *args):
        return subprocess.run(["tmux", "-L", self.sock] + list(args),
                              capture_output=True, text=True)

    def stop(self):
        """Ends the tmux server and everything its pane started: an mconf
        whose terminal goes away may spin on it instead of exiting, and
        would eat a core for the rest of the run."""
        pid = self.tmux("display-message", "-p", "-t", "menu",
                        "#{pane_pid}").stdout.strip()
        self.tmux("kill-server")
        if pid.isdigit():       # the pane is its own session
            subprocess.run(["pkill", "-KILL", "-s", pid],
                           capture_output=True)

    def screen_with(self, needle, timeout=20):
        end = time.time() + timeout
        text = ""
        while time.time() < end:
            text = self.tmux("capture-pane", "-p", "-t", "menu").stdout
            if needle in text:
                return text
            time.sleep(0.2)
        self.fail("%r not on the screen; last screen:\n%s" % (needle,
                                                              text[-1500:]))

    def test_menu_shows_sections_libraries_help_and_exits(self):
        if not shutil.which("tmux"):
            self.fail("tmux is missing: .ci/run installs the Debian package")
        o = cairn.out_dir("menu")
        shutil.rmtree(o, ignore_errors=True)
        cairn.make("APP=apps/helloworld", "defconfig", o=o)
        self.sock = "cairn-test-%d" % os.getpid()
        status_file = os.path.join(o, "menu.status")
        cmd = "env -u MAKEFLAGS make -C %s O=%s menuconfig; echo $? > %s" % (
            cairn.ROOT, o, status_file)
        self.tmux("new-session", "-d", "-s", "menu", "-x", "120", "-y", "72",
                  cmd)
        try:
            main = self.screen_with("Build options")
            for section in ("Architecture", "Platform", "Drivers",
                            "Libraries", "Application", "Build options"):
                self.assertIn(section, main)
            self.tmux("send-keys", "-t", "menu", "Down", "Down", "Down",
                      "Enter")
            # Each awaited: tmux may show the list half drawn (seen once
            # in CI: up to "shell", without "test" below it).
            for lib in ("picolibc: the C library", "core: boot sequence",
                        "log: leveled log lines", "test: in-image unit tests"):
                self.screen_with(lib)
            self.tmux("send-keys", "-t", "menu", "?")
            self.screen_with("CONFIG_LIB_")          # a help page
            self.tmux("send-keys", "-t", "menu", "Enter")
            time.sleep(0.5)
            for _ in range(2):                    # Esc Esc twice: out
                self.tmux("send-keys", "-t", "menu", "Escape", "Escape")
                time.sleep(1.5)
            end = time.time() + 20
            while not os.path.exists(status_file) and time.time() < end:
                time.sleep(0.2)
            self.assertTrue(os.path.exists(status_file), "mconf did not exit")
            self.assertEqual(open(status_file).read().strip(), "0")
        finally:
            self.stop()

    def test_application_menu_names_the_app_folder(self):
        if not shutil.which("tmux"):
            self.fail("tmux is missing: .ci/run installs the Debian package")
        o = cairn.out_dir("menu-app")
        shutil.rmtree(o, ignore_errors=True)
        cairn.make("APP=apps/helloworld", "defconfig", o=o)
        self.sock = "cairn-test-app-%d" % os.getpid()
        cmd = "env -u MAKEFLAGS make -C %s O=%s menuconfig" % (cairn.ROOT, o)
        self.tmux("new-session", "-d", "-s", "menu", "-x", "120", "-y", "72",
                  cmd)
        try:
            self.screen_with("Build options")
            # Architecture, Platform, Drivers, Libraries, Application.
            self.tmux("send-keys", "-t", "menu", "Down", "Down", "Down",
                      "Down", "Enter")
            screen = self.screen_with("Application folder")
            self.assertIn("Application folder: apps/helloworld (choose "
                          "another with make APP=path)", screen)
            self.assertNotIn("$CN_APP_NAME", screen)
        finally:
            self.stop()


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
