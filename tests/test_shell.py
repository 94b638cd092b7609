# SPDX-License-Identifier: BSD-3-Clause
"""lib/shell driven through QEMU's serial console on a pipe: each
command's output, the editing keys, history and completion, errors that
leave the prompt usable, 10,000 random bytes, the shell beside an app,
ifconfig with lwIP, and the library's in-image unit tests."""
import os
import random
import re
import shutil
import subprocess
import threading
import time
import unittest

import cairn

PROMPT = "cairn> "
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class Shell:
    """An image whose console is a shell: type lines, read answers."""

    def __init__(self, image, machine="pc", args="", params="",
                 launcher_args=(), timeout=300, wrap=()):
        # wrap: a command prefix, e.g. a network namespace's (tapnet)
        cmd = list(wrap) + [cairn.PYTHON, os.path.join(cairn.ROOT, "support", "qemu.py"),
               "--kernel", image, "--machine", machine,
               "--params=" + params, "--args=" + args,
               "--timeout", str(timeout)] + list(launcher_args)
        cmd = cairn.with_test_smp(cmd)
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.buf = b""
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                return
            with self.lock:
                self.buf += chunk

    def text(self, start=0):
        with self.lock:
            return self.buf[start:].decode(errors="replace")

    def mark(self):
        with self.lock:
            return len(self.buf)

    def wait_for(self, pattern, start=0, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            m = re.search(pattern, self.text(start))
            if m:
                return m
            if self.proc.poll() is not None:
                time.sleep(0.2)
                m = re.search(pattern, self.text(start))
                if m:
                    return m
                break
            time.sleep(0.02)
        raise AssertionError("no %r in the console:\n%s" % (
            pattern, self.text(start)[-3000:]))

    def send(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def type(self, keys, timeout=30):
        """Types keys (ending in Enter); returns the console text after
        them up to the next prompt, escape sequences removed. A redraw of
        the line being edited also writes the prompt, after a CR: the
        console may stop there for a moment (under load), so a prompt
        right after a CR is not the next one."""
        start = self.mark()
        self.send(keys)
        self.wait_for("(?<!\r)" + re.escape(PROMPT) + "$", start, timeout)
        return ANSI.sub("", self.text(start))

    def cmd(self, line, timeout=30):
        """Runs line; returns its output (the lines after the echo)."""
        out = self.type(line.encode() + b"\r", timeout)
        out = out[out.index("\n") + 1:]
        return out[:out.rindex(PROMPT)]

    def finish(self, timeout=60):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.reader.join(timeout=5)
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.reader.join(timeout=5)
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass


def shell_image(plat=None):
    return cairn.build("apps/shell", "shell" + ("-" + plat if plat else ""),
                       ["CONFIG_APP_SHELL_TEST_CMDS=y"], plat=plat)


def initrd_for(image):
    """apps/shell's rootfs/ packed next to the image."""
    out = os.path.join(os.path.dirname(image), "initrd.cpio")
    subprocess.run([cairn.PYTHON, os.path.join(cairn.ROOT, "support",
                                               "mkinitrd.py"),
                    "--if-changed", os.path.join(cairn.ROOT, "apps",
                                                 "shell", "rootfs"), out],
                   check=True, capture_output=True)
    return out


class Commands(unittest.TestCase):
    """One shell image, one boot per test; apps/shell with its rootfs.
    tests/test_arm64.py runs the same cases on qemu-aarch64."""

    plat = None                     # the default platform
    machines = ("pc", "microvm")    # the platform's machines, default first

    @classmethod
    def setUpClass(cls):
        cls.image = shell_image(cls.plat)
        cls.initrd = initrd_for(cls.image)

    def boot(self, machine=None):
        sh = Shell(self.image, machine=machine or self.machines[0],
                   launcher_args=["--initrd", self.initrd])
        self.addCleanup(sh.kill)
        sh.wait_for(re.escape(PROMPT) + "$")
        return sh

    def test_help_lists_every_command_with_one_line(self):
        sh = self.boot()
        out = sh.cmd("help")
        for name in ("cat", "cd", "dmesg", "echo", "free", "help",
                     "history", "kill", "log", "ls", "mkdir", "mounts",
                     "poweroff", "ps", "pwd", "reboot", "rm", "rmdir",
                     "uptime", "alloc", "spawn", "stop", "run"):
            self.assertRegex(out, r"(?m)^  %s\b.* \S" % name)
        self.assertNotIn("ifconfig", out)       # no lib/lwip here
        self.assertIn("list directories", sh.cmd("help ls"))

    def test_files_made_by_mkdir_and_echo_appear_in_ls(self):
        sh = self.boot()
        self.assertEqual(sh.cmd("mkdir /data"), "")
        self.assertEqual(sh.cmd("echo hello  'big world' > /data/greeting"),
                         "")
        sh.cmd("echo second line >> /data/greeting")
        self.assertEqual(sh.cmd("cat /data/greeting"),
                         "hello big world\nsecond line\n")
        self.assertEqual(sh.cmd("ls /data"), "greeting\n")
        self.assertRegex(sh.cmd("ls -l /data"),
                         r"^-rw-r--r-- +1 +28 \S+ \S+ greeting\n$")
        self.assertIn("data/\n", sh.cmd("ls /"))
        self.assertIn("etc/\n", sh.cmd("ls"))
        sh.cmd("mkdir -p /data/a/b/c")
        self.assertEqual(sh.cmd("cd /data/a"), "")
        self.assertEqual(sh.cmd("pwd"), "/data/a\n")
        self.assertEqual(sh.cmd("ls"), "b/\n")
        self.assertEqual(sh.cmd("rm /data"),
                         "rm: /data: is a directory (rm -r, or rmdir)\n")
        self.assertEqual(sh.cmd("rm /data/greeting"), "")
        self.assertEqual(sh.cmd("rm -r /data/a"), "")
        self.assertEqual(sh.cmd("ls /data"), "")
        self.assertEqual(sh.cmd("rmdir /data"), "")
        self.assertEqual(sh.cmd("ls /data"),
                         "ls: /data: No such file or directory\n")

    def test_cat_mounts_and_initrd_files(self):
        sh = self.boot()
        self.assertIn("Welcome to Cairn", sh.cmd("cat /etc/motd"))
        mounts = sh.cmd("mounts")
        self.assertRegex(mounts, r"(?m)^/ +ramfs +rw$")
        self.assertRegex(mounts, r"(?m)^/dev +devfs +rw$")
        self.assertEqual(sh.cmd("cat /etc"),
                         "cat: /etc: is a directory (ls lists it)\n")
        self.assertIn("the console is the shell's input",
                      sh.cmd("cat /dev/console"))
        self.assertEqual(sh.cmd("cat /dev/null"), "")

    def test_tmp_is_a_ramfs_where_the_help_suggests_writing(self):
        sh = self.boot()
        self.assertRegex(sh.cmd("mounts"), r"(?m)^/tmp +ramfs +rw$")
        self.assertEqual(sh.cmd("echo hi > /tmp/x"), "")
        self.assertEqual(sh.cmd("cat /tmp/x"), "hi\n")
        self.assertIn("tmp/\n", sh.cmd("ls /"))

    def test_a_line_over_the_limit_is_refused_not_cut(self):
        sh = self.boot()
        out = sh.type(b"echo " + b"y" * 300 + b"\r")
        self.assertIn("shell: line too long (over 256 bytes): not run\n",
                      out)
        self.assertNotIn("y" * 251 + "\n", out.replace("\r\n", ""))
        self.assertNotIn("yyy", sh.cmd("history"))
        # Exactly 256 bytes is a line like any other.
        out = sh.type(b"echo " + b"z" * 251 + b"\r")
        self.assertNotIn("too long", out)
        self.assertIn("\n" + "z" * 251 + "\n", out)
        self.assertEqual(sh.cmd("echo after"), "after\n")

    def test_ps_lists_the_shell_and_kill_removes_a_thread(self):
        sh = self.boot()
        ps = sh.cmd("ps")
        # With SMP (make test SMP=N) a CPU column comes before the stack.
        cpu = r"(?:\d+ +)?"
        self.assertRegex(ps, r"(?m)^\* +\d+ shell +running +%s\d+/32 KiB"
                         % cpu)
        self.assertRegex(ps, r"(?m)^  +0 main +sleeping +%sboot stack" % cpu)
        tid = re.search(r"started (\d+) \(victim\)",
                        sh.cmd("spawn victim")).group(1)
        self.assertRegex(sh.cmd("ps"),
                         r"(?m)^ +%s victim +sleeping +%s\d+/16 KiB"
                         % (tid, cpu))
        self.assertEqual(sh.cmd("kill %s" % tid),
                         "killed %s (victim)\n" % tid)
        self.assertNotIn("victim", sh.cmd("ps"))
        self.assertEqual(sh.cmd("kill %s" % tid), "kill: no thread %s\n"
                         % tid)
        self.assertEqual(sh.cmd("kill 0"), "kill: main cannot be killed "
                         "(poweroff ends the image)\n")
        own = re.search(r"(?m)^\* +(\d+) shell", ps).group(1)
        self.assertEqual(sh.cmd("kill " + own), "kill: %s is this shell\n"
                         % own)

    def test_stop_and_run_pause_and_resume_a_thread(self):
        """stop TID pauses a thread (ps shows it stopped from its next
        wake-up: spawned threads wake every second), run TID resumes it;
        each mistake gets its own one-line answer."""
        sh = self.boot()

        def state_becomes(tid, state):
            pat = r"(?m)^ +%s napper +%s " % (tid, state)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if re.search(pat, sh.cmd("ps")):
                    return True
            return False

        tid = re.search(r"started (\d+) \(napper\)",
                        sh.cmd("spawn napper")).group(1)
        self.assertEqual(sh.cmd("stop " + tid),
                         "stopped %s (napper)\n" % tid)
        self.assertTrue(state_becomes(tid, "stopped"), sh.cmd("ps"))
        self.assertEqual(sh.cmd("stop " + tid), "stop: %s (napper) is "
                         "stopped already\n" % tid)
        self.assertEqual(sh.cmd("run " + tid), "resumed %s (napper)\n" % tid)
        self.assertTrue(state_becomes(tid, "sleeping"), sh.cmd("ps"))
        self.assertEqual(sh.cmd("run " + tid), "run: %s (napper) is not "
                         "stopped\n" % tid)
        own = re.search(r"(?m)^\* +(\d+) shell", sh.cmd("ps")).group(1)
        for cmd in ("stop", "run"):
            self.assertEqual(sh.cmd("%s %s" % (cmd, own)),
                             "%s: %s is this shell\n" % (cmd, own))
            self.assertEqual(sh.cmd(cmd + " 9999"),
                             "%s: no thread 9999\n" % cmd)
            self.assertEqual(sh.cmd(cmd + " x1"), "%s: 'x1' is not a "
                             "thread id (ps lists them)\n" % cmd)
            self.assertEqual(sh.cmd(cmd), "usage: %s TID\n" % cmd)
        # A stopped thread can still be killed: it runs to its end.
        sh.cmd("stop " + tid)
        self.assertTrue(state_becomes(tid, "stopped"), sh.cmd("ps"))
        self.assertEqual(sh.cmd("kill " + tid), "killed %s (napper)\n" % tid)
        self.assertNotIn("napper", sh.cmd("ps"))
        self.assertEqual(sh.cmd("run " + tid), "run: no thread %s\n" % tid)

    def test_free_follows_an_allocation(self):
        sh = self.boot()

        def used():
            out = sh.cmd("free -b")
            self.assertRegex(out, r"^bytes +total +used +peak +free +allocs")
            return int(re.search(r"(?m)^tlsf +\d+ +(\d+)", out).group(1))
        before = used()
        self.assertIn("allocated 4194304 bytes", sh.cmd("alloc 4194304"))
        after = used()
        self.assertGreaterEqual(after - before, 4194304)
        self.assertIn("released 1 blocks", sh.cmd("release"))
        self.assertLess(used(), after - 4000000)
        self.assertRegex(sh.cmd("free"), r"(?m)^KiB +total")
        self.assertRegex(sh.cmd("free -h"), r"(?m)^tlsf +\d+\.\dM ")
        self.assertIn("no 1099511627776 bytes free",
                      sh.cmd("alloc 1099511627776"))

    def test_uptime_log_and_dmesg(self):
        sh = self.boot()
        self.assertRegex(sh.cmd("uptime"),
                         r"^up 0:00:\d\d\.\d{3} \(\d+\.\d{3} s\)\n$")
        self.assertEqual(sh.cmd("log"), "log level: info (2)\n")
        self.assertEqual(sh.cmd("log debug"), "log level: debug (3)\n")
        self.assertEqual(sh.cmd("log 1"), "log level: warn (1)\n")
        self.assertIn("unknown level", sh.cmd("log loud"))
        self.assertIn("INFO initrd:", sh.cmd("dmesg"))
        self.assertEqual(len(sh.cmd("dmesg 1").splitlines()), 1)

    def test_history_and_tab_completion(self):
        sh = self.boot()
        sh.cmd("echo first")
        sh.cmd("echo second")
        # Up Up: "echo first" again. The history is then first, second,
        # first: Up Up Up Down is "echo second".
        self.assertIn("\nfirst\n", sh.type(b"\x1b[A\x1b[A\r"))
        self.assertIn("\nsecond\n", sh.type(b"\x1b[A\x1b[A\x1b[A\x1b[B\r"))
        hist = sh.cmd("history")
        self.assertRegex(hist, r"1  echo first\n +2  echo second\n +3  "
                         r"echo first\n +4  echo second\n")
        # Tab: a command name, then a path in a directory.
        self.assertIn("Welcome to Cairn", sh.type(b"ca\t/etc/mo\t\r"))
        # Two candidates: they are listed, the line stays.
        out = sh.type(b"rm\t\x03")
        self.assertIn("rm  rmdir", out)

    def test_editing_keys(self):
        sh = self.boot()
        # Left x3 then insert: "echo wrld" becomes "echo world".
        self.assertIn("world\n", sh.type(b"echo wrld\x1b[D\x1b[D\x1b[Do\r"))
        # Home, Delete, End, Backspace: "Xecho abcZ" -> "echo abc".
        out = sh.type(b"Xecho abcZ\x1b[H\x1b[3~\x1b[F\x7f\r")
        self.assertIn("\nabc\n", out)
        # Ctrl-C drops the line: nothing runs, the prompt comes back.
        out = sh.type(b"echo never-printed\x03")
        self.assertIn("^C", out)
        self.assertNotIn("never-printed\n", out)
        # Ctrl-U, Ctrl-W.
        self.assertIn("\nkept\n", sh.type(b"junk\x15echo kept extra\x17\r"))

    def test_errors_print_one_line_and_the_prompt_returns(self):
        sh = self.boot()
        cases = {
            "frobnicate": "shell: unknown command 'frobnicate' (help lists "
                          "the commands)\n",
            "ls -z": "usage: ls [-l] [path...]\n",
            "ls /nope": "ls: /nope: No such file or directory\n",
            "kill abc": "kill: 'abc' is not a thread id (ps lists them)\n",
            "kill": "usage: kill TID\n",
            "poweroff 300": "usage: poweroff [status]\n",
            "echo 'unterminated": "shell: unterminated quote\n",
            "echo >": "shell: > needs a file name\n",
            "echo x > /nodir/f": "shell: cannot write '/nodir/f': No such "
                                 "file or directory\n",
            "cat": "usage: cat file...\n",
            "mkdir /etc": "mkdir: /etc: File exists\n",
            "alloc lots": "alloc: 'lots' is not a size from 8\n",
        }
        for line, error in cases.items():
            self.assertEqual(sh.cmd(line), error, line)
        self.assertEqual(sh.cmd("echo still here"), "still here\n")

    def test_ctrl_c_stops_an_endless_cat(self):
        sh = self.boot()
        start = sh.mark()
        sh.send(b"cat /dev/zero\r")
        sh.wait_for(r"\x00{2000}", start)
        sh.send(b"\x03")
        sh.wait_for(r"\^C\n" + re.escape(PROMPT) + "$", start)
        self.assertEqual(sh.cmd("echo after"), "after\n")

    def test_random_bytes_leave_the_prompt_responsive(self):
        sh = self.boot()
        rng = random.Random(20240521)
        noise = bytes(rng.randrange(256) for _ in range(10000))
        start = sh.mark()
        sh.send(noise)
        sh.send(b"\x03\recho alive after noise\r")
        sh.wait_for(r"\nalive after noise\n" + re.escape(PROMPT), start,
                    timeout=120)
        self.assertIsNone(sh.proc.poll())
        self.assertRegex(sh.cmd("ps"), r"shell +running")
        self.assertNotIn("CRASH", sh.text())
        self.assertNotIn("PANIC", sh.text())

    def test_random_command_lines_never_crash(self):
        """Commands and arguments drawn at random, with quotes, > and
        escape sequences: every line gets an answer, none crashes."""
        sh = self.boot()
        rng = random.Random(7)
        words = ["ls", "ls -l", "cat", "mkdir", "mkdir -p", "rm", "rm -r",
                 "rmdir", "cd", "pwd", "echo", "echo -n", "ps", "free",
                 "free -h", "uptime", "log", "dmesg", "history", "help",
                 "mounts", "kill", "alloc", "/", "/etc", "/etc/motd",
                 "/dev", "/dev/null", "/dev/zero", "/tmp", "x", "'a b'",
                 '"q', ">", ">>", "-1", "999999999999", "..", ".",
                 "\x1b[A", "\x1b[D", "\t", "\\", "''", "-l", "*", "%s%n"]
        for i in range(300):
            line = " ".join(rng.choice(words)
                            for _ in range(rng.randrange(1, 6)))
            if line.startswith(("cat /dev/zero", "cat /dev")):
                line = "echo " + line
            sh.type(line.encode() + b"\r", timeout=60)
        self.assertEqual(sh.cmd("echo done"), "done\n")
        self.assertNotIn("CRASH", sh.text())

    def test_poweroff_status_and_reboot(self):
        sh = self.boot()
        sh.send(b"poweroff 7\r")
        self.assertEqual(sh.finish(), 7)
        self.assertIn("powering off", sh.text())
        for machine in self.machines:
            self.reboot(machine)

    def reboot(self, machine):
        sh = self.boot(machine=machine)
        sh.send(b"reboot\r")
        # QEMU runs with -no-reboot: a reset ends it without a status.
        self.assertEqual(sh.finish(), 126)
        self.assertIn("rebooting", sh.text())

    def test_basic_commands_on_microvm(self):
        # On the platform's last machine (microvm on qemu-x86_64).
        sh = self.boot(machine=self.machines[-1])
        self.assertIn("Welcome", sh.cmd("cat /etc/motd"))
        self.assertRegex(sh.cmd("ps"), r"shell +running")
        sh.send(b"poweroff\r")
        self.assertEqual(sh.finish(), 0)

    def test_arguments_run_one_command_and_exit_with_its_status(self):
        m = self.machines[0]
        status, out, _ = cairn.boot(self.image, machine=m, args="ls -l /etc",
                                    launcher_args=["--initrd", self.initrd])
        self.assertEqual(status, 0, out)
        self.assertRegex(out, r"-rw-r--r-- +1 +\d+ \S+ \S+ motd")
        status, out, _ = cairn.boot(self.image, machine=m, args="ls /missing")
        self.assertEqual(status, 1, out)
        status, out, _ = cairn.boot(self.image, machine=m, args="nosuch")
        self.assertEqual(status, 127, out)


class OnATerminal(unittest.TestCase):
    """The shell on a real terminal (tmux, 80 columns): what is on the
    screen after the line editor redrew a line that wraps."""

    def test_history_over_a_wrapped_line_leaves_no_row_behind(self):
        if not shutil.which("tmux"):
            self.fail("tmux is missing: install the Debian package tmux")
        image = shell_image()
        initrd = initrd_for(image)
        sock = "cairn-shell-%d" % os.getpid()

        def tmux(*args):
            return subprocess.run(["tmux", "-L", sock] + list(args),
                                  capture_output=True, text=True)

        def screen():
            rows = tmux("capture-pane", "-p", "-t", "sh").stdout
            rows = [r.rstrip() for r in rows.splitlines()]
            while rows and not rows[-1]:
                rows.pop()
            return rows

        def until(cond, what, timeout=60):
            end = time.time() + timeout
            rows = []
            while time.time() < end:
                rows = screen()
                if cond(rows):
                    return rows
                time.sleep(0.2)
            self.fail("%s not on the screen:\n%s" % (what, "\n".join(rows)))

        cmd = "%s %s --kernel %s --initrd %s --timeout 300; sleep 30" % (
            cairn.PYTHON, os.path.join(cairn.ROOT, "support", "qemu.py"),
            image, initrd)
        tmux("new-session", "-d", "-s", "sh", "-x", "80", "-y", "24", cmd)
        self.addCleanup(tmux, "kill-server")
        until(lambda r: r and r[-1] == PROMPT.rstrip(), "the prompt")
        digits = "0123456789" * 10
        tmux("send-keys", "-t", "sh", "-l", "echo " + digits)
        tmux("send-keys", "-t", "sh", "Enter")
        until(lambda r: r and r[-1] == PROMPT.rstrip() and
              "".join(r[-3:-1]) == digits, "the long line's output")
        tmux("send-keys", "-t", "sh", "-l", "echo short")
        tmux("send-keys", "-t", "sh", "Enter")
        until(lambda r: r[-2:] == ["short", PROMPT.rstrip()], "short")
        # Up Up: the long line again (two rows); Down: "echo short".
        tmux("send-keys", "-t", "sh", "Up", "Up")
        until(lambda r: (r[-2] + r[-1]).endswith(digits) and
              r[-2].startswith(PROMPT + "echo 0123"), "the long line")
        tmux("send-keys", "-t", "sh", "Down")
        rows = until(lambda r: r[-1] == PROMPT + "echo short", "the redraw")
        # The row above is the output of the earlier "echo short", not
        # the first row of the long line left behind.
        self.assertEqual(rows[-2], "short", "\n".join(rows))
        self.assertEqual(sum(r.startswith(PROMPT + "echo 0123")
                             for r in rows), 1, "\n".join(rows))
        tmux("send-keys", "-t", "sh", "C-u", "poweroff", "Enter")


class BesideAnApp(unittest.TestCase):
    """lib/shell in another app (tests/apps/crash, no lib/vfs): its own
    thread while main runs."""

    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build("tests/apps/crash", "crash-shell",
                                ["CONFIG_LIB_SHELL=y"])

    def test_shell_thread_runs_beside_main(self):
        sh = Shell(self.image, args="sleep 600")
        self.addCleanup(sh.kill)
        # main says so before it sleeps; with SMP that can come after the
        # shell's first prompt (they run on two CPUs): an empty line
        # then gives a prompt of its own.
        sh.wait_for(r"crash: sleep\r?\n")
        sh.wait_for(re.escape(PROMPT))
        if not re.search(re.escape(PROMPT) + "$", sh.text()):
            sh.type(b"\r")
        ps = sh.cmd("ps")
        self.assertRegex(ps, r"(?m)^  +0 main +sleeping")
        self.assertRegex(ps, r"(?m)^\* +\d+ shell +running")
        # Without lib/vfs the file commands are left out.
        self.assertIn("unknown command 'ls'", sh.cmd("ls"))
        self.assertEqual(sh.cmd("echo x > f"),
                         "shell: > needs files: select lib/vfs\n")
        self.assertNotIn("mounts", sh.cmd("help"))
        sh.send(b"poweroff 4\r")
        self.assertEqual(sh.finish(), 4)

    def test_the_app_ending_ends_the_image(self):
        status, out, _ = cairn.boot(self.image, args="exit 5")
        self.assertEqual(status, 5, out)

    def test_shell_start_parameter_keeps_it_off(self):
        status, out, _ = cairn.boot(self.image, args="sleep 1",
                                    params="shell.start=0",
                                    stdin=b"poweroff 9\r")
        self.assertEqual(status, 0, out)
        self.assertNotIn(PROMPT, out)


class Ifconfig(unittest.TestCase):
    def test_addresses_mac_and_counters(self):
        image = cairn.build("apps/shell", "shell-net", [
            "CONFIG_LIB_LWIP=y", "CONFIG_DRV_VIRTIO=y",
            "CONFIG_DRV_VIRTIO_PCI=y", "CONFIG_DRV_VIRTIO_NET=y"])
        sh = Shell(image, launcher_args=["--net", "user"])
        self.addCleanup(sh.kill)
        sh.wait_for(re.escape(PROMPT) + "$", timeout=60)
        end = time.time() + 60
        while True:
            out = sh.cmd("ifconfig")
            if "inet 10.0.2.15" in out or time.time() > end:
                break
            time.sleep(1)
        self.assertRegex(out, r"en0: UP,LINK_UP mtu 1500\n")
        self.assertIn("inet 10.0.2.15  netmask 255.255.255.0  gateway "
                      "10.0.2.2", out)
        # lwIP's loop interface, numbered after the NIC
        self.assertRegex(out, r"lo1: UP,LINK_UP mtu \d+\n\s+inet 127\.0\.0\.1 "
                         r" netmask 255\.0\.0\.0")
        self.assertRegex(out, r"ether 52:54:00:12:34:56  \(net0, "
                         r"virtio-net, pci [0-9a-f:.]+ [^)]*\)")
        rx = int(re.search(r"RX packets (\d+)", out).group(1))
        tx = int(re.search(r"TX packets (\d+)", out).group(1))
        self.assertGreater(rx, 0)
        self.assertGreater(tx, 0)
        self.assertRegex(sh.cmd("help ifconfig"), r"ifconfig +network")


class UnitTests(unittest.TestCase):
    """lib/shell's and lib/log's in-image tests (the parser, the editor,
    history, completion, the ring of log lines)."""

    def test_in_image_unit_tests_pass(self):
        image = cairn.build("tests/apps/unit", "unit-shell",
                            ["CONFIG_LIB_SHELL=y"])
        for suite in ("shell.", "log."):
            status, out, err = cairn.boot(image, params="test.filter=" +
                                          suite, timeout=60)
            self.assertEqual(status, 0, out + err)
            self.assertRegex(out, r"(?m)^(\d+) passed, 0 failed$")
            self.assertGreaterEqual(int(re.search(
                r"(?m)^(\d+) passed", out).group(1)), 6)


if __name__ == "__main__":
    unittest.main()
