# SPDX-License-Identifier: BSD-3-Clause
"""Debugging: crash reports for every kind of crash (what happened, the
thread, registers, a backtrace that support/symbolize.py turns into
file:line, the heap, the last log lines, exit status 70), and gdb against
`make debug` (a breakpoint on main by name, Cairn's thread list and
stacks from support/gdb/cairn.py, gdb started by make on a terminal)."""
import os
import re
import shutil
import subprocess
import time
import unittest

import cairn

CRASH_APP = "tests/apps/crash"
SYMBOLIZE = os.path.join(cairn.ROOT, "support", "symbolize.py")


def symbolize(report, *args):
    p = subprocess.run([cairn.PYTHON, SYMBOLIZE] + list(args),
                       input=report, capture_output=True, text=True,
                       cwd=cairn.ROOT, timeout=120)
    if p.returncode:
        raise AssertionError("symbolize.py failed: %s" % p.stderr)
    return p.stdout


class CrashReports(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build(CRASH_APP, "crash")

    def report(self, what, machine="pc"):
        status, out, err = cairn.boot(self.image, machine=machine,
                                      args=what)
        self.assertEqual(status, 70, out + err)
        self.assertIn("crash: %s\n" % what, out)
        self.assertNotIn("exception while reporting", out)
        return out[out.index("crash: %s\n" % what):]

    def check(self, out, headline, thread, function, registers=True):
        """The fields every report has, in order."""
        fields = [headline, "  thread: %s\n" % thread, "Backtrace:\n",
                  "Memory:\n", "Last log lines:\n", "symbolize: "]
        if registers:
            fields.insert(2, "  RIP ")
        pos = 0
        for field in fields:
            i = out.find(field, pos)
            self.assertGreaterEqual(i, 0, "no %r after offset %d in:\n%s"
                                    % (field, pos, out))
            pos = i + len(field)
        self.assertRegex(out, r"#\d+\s+0x[0-9a-f]{16} %s\+0x[0-9a-f]+"
                         % function)
        # The .elf is named relative to the build folder, which must not
        # change the image's bytes (test_build.Reproducible).
        self.assertRegex(out, r"(?m)^symbolize: support/symbolize\.py "
                         r"crash_qemu-x86_64\.elf < report")
        # The script the report names adds file:line to the frames.
        sym = symbolize(out, "O=" + os.path.dirname(self.image))
        self.assertRegex(sym, r"%s\+0x[0-9a-f]+  tests/apps/crash/main\.c:"
                         r"\d+" % function)
        return sym

    def test_null_pointer(self):
        out = self.report("null")
        sym = self.check(out, "CRASH: Page fault (#PF)", "main",
                         "crash_null_read")
        self.assertIn("NULL pointer access: read at address 0x0", out)
        self.assertRegex(sym, r"at crash_null_read\+0x[0-9a-f]+ \(0x[0-9a-f]+"
                         r"\)  tests/apps/crash/main\.c:\d+")

    def test_divide_error_on_microvm(self):
        self.check(self.report("div0", machine="microvm"),
                   "CRASH: Divide error (#DE)", "main", "crash_divide")

    def test_invalid_opcode(self):
        self.check(self.report("ud"), "CRASH: Invalid opcode (#UD)", "main",
                   "crash_invalid_opcode")

    def test_write_to_code(self):
        out = self.report("write-code")
        self.check(out, "CRASH: Page fault (#PF)", "main", "crash_write_code")
        self.assertIn("W^X: write to read-only memory", out)

    def test_stack_overflow_of_main(self):
        out = self.report("overflow")
        self.check(out, "stack overflow: thread main ran past the bottom",
                   "main", "crash_overflow")

    def test_stack_overflow_of_a_thread(self):
        out = self.report("thread-overflow")
        sym = self.check(out, "stack overflow: thread deep ran past the "
                         "bottom", "deep", "crash_overflow")
        self.assertRegex(sym, r"overflow_thread\+0x[0-9a-f]+  "
                         r"tests/apps/crash/main\.c:\d+")

    def test_panic(self):
        out = self.report("panic")
        self.check(out, "PANIC: requested panic 7", "main", "main",
                   registers=False)
        self.assertRegex(out, r"in app-crash at \S+main\.c:\d+")

    def test_failed_assertion(self):
        self.check(self.report("assert"), "PANIC: assertion failed: x == 42",
                   "main", "crash_assert", registers=False)

    def test_abort_gives_the_crash_report_and_status_70(self):
        out = self.report("abort")
        sym = self.check(out, "CRASH: abort() called\n", "main",
                         "crash_abort")
        self.assertNotIn("Invalid opcode", out)
        self.assertRegex(out, r"#\d+\s+0x[0-9a-f]{16} abort\+0x[0-9a-f]+")
        self.assertRegex(sym, r"crash_abort\+0x[0-9a-f]+  "
                         r"tests/apps/crash/main\.c:\d+")

    def test_failed_c_assert_names_expression_place_and_function(self):
        out = self.report("c-assert")
        self.check(out, "CRASH: assertion failed: argc == 42, ", "main",
                   "crash_c_assert")
        self.assertRegex(out, r"(?m)^CRASH: assertion failed: argc == 42, "
                         r"\S*tests/apps/crash/main\.c:\d+, "
                         r"crash_c_assert$")
        self.assertRegex(out, r"#\d+\s+0x[0-9a-f]{16} __assert_func\+")

    def test_memory_before_any_allocation_says_so(self):
        status, out, err = cairn.boot(self.image, args="null-first")
        self.assertEqual(status, 70, out + err)
        self.check(out, "CRASH: Page fault (#PF)", "main", "crash_null_read")
        if not cairn.TEST_SMP:      # SMP allocates the other CPUs' stacks
            self.assertIn("Memory:\n  no allocator in use yet (nothing was "
                          "allocated before the crash)\nLast log lines:\n",
                          out)

    def test_panic_in_a_thread_names_it(self):
        sym = self.check(self.report("thread-panic"),
                         "PANIC: worker gives up after 3 tries", "worker",
                         "panic_thread", registers=False)
        self.assertRegex(sym, r"thread_entry\+0x[0-9a-f]+  "
                         r"lib/sched/thread\.c:\d+")

    def test_kernel_out_of_memory(self):
        out = self.report("oom")
        self.check(out, "PANIC: out of memory: a thread stack needs 65536 "
                   "bytes (aligned to 4096) and allocator tlsf has",
                   "main", "crash_oom", registers=False)
        self.assertRegex(out, r"tlsf: \d+ KiB used of \d+ KiB, \d+ KiB free; "
                         r"\d+ allocations failed: OUT OF MEMORY")

    def test_unchecked_failed_malloc_shows_in_the_report(self):
        out = self.report("oom-null")
        self.check(out, "CRASH: Page fault (#PF)", "main", "crash_oom_null")
        self.assertIn("1 allocations failed: OUT OF MEMORY", out)

    def test_last_log_lines(self):
        out = self.report("log")
        self.check(out, "CRASH: Page fault (#PF)", "main", "crash_null_read")
        tail = out[out.index("Last log lines:\n"):]
        lines = re.findall(r"(?m)^  \[ *\d+\.\d{6}\] (.*)$", tail)
        self.assertEqual(lines[-3:], [
            "INFO app-crash: first line before the crash",
            "WARN app-crash: second line before the crash",
            "ERR  app-crash: third line before the crash: 3"])

    def test_symbolize_with_the_elf_given_works_as_a_filter(self):
        out = self.report("div0")
        elf = re.search(r"symbolize: support/symbolize\.py (\S+)",
                        out).group(1)
        sym = symbolize(out.replace("symbolize:", "(hint)"),
                        os.path.join(os.path.dirname(self.image), elf))
        self.assertRegex(sym, r"#1 +0x[0-9a-f]+ main\+0x[0-9a-f]+  "
                         r"tests/apps/crash/main\.c:\d+")
        self.assertRegex(sym, r"cn_boot_start\+0x[0-9a-f]+  "
                         r"lib/core/boot\.c:\d+")

    def test_report_without_names_gets_them_from_symbolize(self):
        image = cairn.build(CRASH_APP, "crash-nosyms",
                            ["# CONFIG_BUILD_SYMBOLS is not set"])
        status, out, _ = cairn.boot(image, args="ud")
        self.assertEqual(status, 70)
        self.assertNotIn("crash_invalid_opcode", out)
        sym = symbolize(out, "O=" + os.path.dirname(image))
        self.assertRegex(sym, r"#0 +0x[0-9a-f]+ crash_invalid_opcode  "
                         r"tests/apps/crash/main\.c:\d+")


class Gdb(unittest.TestCase):
    """make debug with gdb in batch mode on the crash app (lib/shell
    beside it, so there are threads to list). tests/test_arm64.py runs
    the same cases on qemu-aarch64 with gdb-multiarch."""

    plat = None             # the default platform
    gdb_cmd = "gdb"         # the gdb that reads its images

    @classmethod
    def setUpClass(cls):
        if not shutil.which(cls.gdb_cmd):
            raise AssertionError("%s is missing: install the Debian "
                                 "package %s" % (cls.gdb_cmd, cls.gdb_cmd))
        name = "crash-shell" + ("-" + cls.plat if cls.plat else "")
        cls.o = cairn.out_dir(name)
        cls.image = cairn.build(CRASH_APP, name, ["CONFIG_LIB_SHELL=y"],
                                plat=cls.plat)
        cls.elf = cls.image + ".elf"

    def debug(self, args, extra=()):
        """Starts make debug; returns (process, port) once gdb can attach."""
        port = cairn.free_port()
        env = dict(os.environ)
        env.pop("MAKEFLAGS", None)
        p = subprocess.Popen(
            ["make", "-C", cairn.ROOT, "O=" + self.o, "debug",
             "GDB_PORT=%d" % port, "TIMEOUT=120", "ARGS=" + args]
            + list(extra), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, env=env)
        self.addCleanup(self.stop, p)
        hint = p.stderr.readline() + p.stderr.readline()
        self.assertIn("QEMU is halted at the first instruction", hint)
        self.assertIn("-x support/gdb/cairn.py -ex 'target remote "
                      "localhost:%d'" % port, hint)
        self.assertIn(os.path.basename(self.elf), hint)
        return p, port

    @staticmethod
    def stop(p):
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        p.stdout.close()
        p.stderr.close()

    def gdb(self, port, *commands):
        cmd = [self.gdb_cmd, "-q", "-batch", "-x",
               os.path.join(cairn.ROOT, "support", "gdb", "cairn.py"),
               "-ex", "target remote localhost:%d" % port]
        for c in commands:
            cmd += ["-ex", c]
        g = subprocess.run(cmd + [self.elf], capture_output=True, text=True,
                           timeout=120)
        return g.stdout + g.stderr

    def test_break_main_by_name_and_backtrace(self):
        p, port = self.debug("exit 3")
        out = self.gdb(port, "break main", "continue", "bt", "cairn-threads",
                       "detach")
        self.assertRegex(out, r"Breakpoint 1, main \(argc=3, argv=")
        self.assertRegex(out, r"#0  main \(argc=3, argv=.*main\.c:\d+")
        # Before main, the shell's thread exists but has not run yet (with
        # SMP another CPU may have run it already).
        self.assertRegex(out, r"\* 0 +main +running +boot stack")
        if cairn.TEST_SMP:
            self.assertRegex(out, r"[ *] 1 +shell +(?:ready|sleeping|"
                             r"running) +\d+/32 KiB +(?:0x[0-9a-f]+|"
                             r"\(on CPU \d+\))")
        else:
            self.assertRegex(out, r"  1 +shell +ready +\d+/32 KiB "
                             r"+0x[0-9a-f]+")
        p.wait(timeout=60)
        self.assertEqual(p.returncode, 2)       # make: the app's status 3

    def test_thread_list_and_stacks(self):
        p, port = self.debug("threads")
        out = self.gdb(port, "break sleeper", "continue", "cairn-threads",
                       "cairn-bt main", "cairn-bt shell", "cairn-bt 2",
                       "cairn-bt 3",
                       "cairn-bt sleeper-b", "cairn-bt nosuch", "kill")
        rows = dict(re.findall(r"(?m)^[ *] (\d+) +(\S+) ", out))
        self.assertEqual(rows, {"0": "main", "1": "shell", "2": "sleeper-a",
                                "3": "sleeper-b"})
        self.assertRegex(out, r"\* 2 +sleeper-a +running")
        self.assertRegex(out, r"  0 +main +sleeping +boot stack +0x[0-9a-f]+")
        # main, switched out while sleeping: from the scheduler down to
        # the app's function, with file:line.
        main_bt = out[out.index('thread 0 "main"'):out.index('thread 1 ')]
        for fn in ("schedule", "cn_thread_sleep_ns", "start_sleepers",
                   "cn_boot_start"):
            self.assertRegex(main_bt, r"in %s \(\)" % fn)
        self.assertRegex(main_bt, r"start_sleepers \(\) inlined in main \(\) "
                         r"at tests/apps/crash/main\.c:\d+")
        # The shell's thread ran before sleeper-a and waits for input; with
        # SMP it may still be queued for another CPU that has not run yet.
        shell_bt = out[out.index('thread 1 "shell"'):]
        ran = r"in cn_shell_run \(\) at lib/shell/shell\.c:\d+"
        self.assertRegex(shell_bt, ran if not cairn.TEST_SMP else
                         ran + r"|\(not started yet: it will run "
                         r"shell_thread \(\)\)")
        self.assertRegex(out, r'thread 2 "sleeper-a" \(running, on (?:the '
                         r'CPU|CPU \d+)\)'
                         r':\n  #0  0x[0-9a-f]+ in sleeper \(\)')
        self.assertIn("(not started yet: it will run sleeper ())", out)
        self.assertIn("no thread nosuch (cairn-threads lists them)", out)

    def test_a_port_in_use_is_refused_before_qemu_starts(self):
        """gdb would reach the other program's listener, not QEMU."""
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen(1)
            port = s.getsockname()[1]
            env = dict(os.environ)
            env.pop("MAKEFLAGS", None)
            r = subprocess.run(
                ["make", "-s", "-C", cairn.ROOT, "O=" + self.o, "debug",
                 "GDB_PORT=%d" % port, "TIMEOUT=60"],
                stdin=subprocess.DEVNULL, capture_output=True, text=True,
                env=env, timeout=120)
        self.assertNotEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("TCP port %d is in use by another program; choose a "
                      "free one with GDB_PORT=" % port, r.stderr)
        self.assertNotIn("QEMU is halted", r.stderr)

    def test_make_debug_starts_gdb_on_a_terminal(self):
        """On a terminal (tmux), make debug runs gdb itself; Ctrl-C in gdb
        stops the guest, not QEMU; quitting gdb ends QEMU."""
        if not shutil.which("tmux"):
            self.fail("tmux is missing: install the Debian package tmux")
        sock = "cairn-debug-%d" % os.getpid()
        status = os.path.join(self.o, "debug.status")
        if os.path.exists(status):
            os.unlink(status)
        port = cairn.free_port()

        def tmux(*args):
            return subprocess.run(["tmux", "-L", sock] + list(args),
                                  capture_output=True, text=True)

        def screen_with(needle, timeout=60):
            end = time.time() + timeout
            text = ""
            while time.time() < end:
                text = tmux("capture-pane", "-p", "-t", "dbg",
                            "-S", "-200").stdout
                if (needle.search(text) if hasattr(needle, "search")
                        else needle in text):
                    return text
                time.sleep(0.2)
            self.fail("%r not on the screen:\n%s" % (needle, text[-3000:]))

        cmd = ("env -u MAKEFLAGS make -C %s O=%s debug GDB_PORT=%d "
               "ARGS=threads; echo $? > %s; sleep 30"
               % (cairn.ROOT, self.o, port, status))
        tmux("new-session", "-d", "-s", "dbg", "-x", "160", "-y", "50", cmd)
        self.addCleanup(tmux, "kill-server")
        screen_with("Remote debugging using localhost:%d" % port)
        screen_with("(gdb)")
        tmux("send-keys", "-t", "dbg", "break crash_threads_ready", "Enter")
        screen_with("Breakpoint 1 at")
        tmux("send-keys", "-t", "dbg", "continue", "Enter")
        screen_with("Breakpoint 1, crash_threads_ready (n=2)")
        tmux("send-keys", "-t", "dbg", "cairn-threads", "Enter")
        screen_with("sleeper-b")
        tmux("send-keys", "-t", "dbg", "continue", "Enter")
        screen_with("threads ready: 2")          # the guest's console
        time.sleep(1)
        tmux("send-keys", "-t", "dbg", "C-c")
        # (gdb says "Thread N received" when it sees several vCPUs)
        screen_with(re.compile(r"(?:Program|Thread \d+) received signal "
                               r"SIGINT"))
        tmux("send-keys", "-t", "dbg", "cairn-bt shell", "Enter")
        screen_with("in cn_shell_run ()")
        tmux("send-keys", "-t", "dbg", "quit", "Enter")
        screen_with("(y or n)")
        tmux("send-keys", "-t", "dbg", "y", "Enter")
        end = time.time() + 30
        while not os.path.exists(status) and time.time() < end:
            time.sleep(0.2)
        self.assertTrue(os.path.exists(status), "make debug did not end:\n"
                        + tmux("capture-pane", "-p", "-t", "dbg").stdout)
        with open(status) as f:
            self.assertEqual(f.read().strip(), "0")    # gdb's status
        # QEMU is gone with gdb: nothing listens on the port any more.
        with open("/proc/net/tcp") as f:
            self.assertNotIn(":%04X 00000000:0000 0A" % port, f.read())



class GdbSmp(unittest.TestCase):
    """make debug SMP=2 on the crash app built with SMP: gdb shows each
    vCPU as a thread (QEMU's stub), cairn-threads marks the Cairn thread
    each CPU runs with its number, and cairn-bt of a running thread is
    gdb's backtrace from that vCPU's registers, wherever gdb stopped."""

    gdb_cmd = "gdb"
    plat = None
    debug = Gdb.debug
    stop = staticmethod(Gdb.stop)
    gdb = Gdb.gdb

    @classmethod
    def setUpClass(cls):
        cls.o = cairn.out_dir("crash-shell-smp")
        cls.image = cairn.build(CRASH_APP, "crash-shell-smp",
                                ["CONFIG_LIB_SHELL=y", "CONFIG_SMP=y"])
        cls.elf = cls.image + ".elf"

    def test_every_vcpu_is_a_gdb_thread_and_cairn_threads_names_cpus(self):
        p, port = self.debug("threads", ("SMP=2",))
        out = self.gdb(port, "break sleeper", "continue", "info threads",
                       "cairn-threads", "cairn-bt all", "kill")
        # QEMU's stub: one gdb thread per vCPU.
        self.assertRegex(out, r"Thread 1\.1 \(CPU#0")
        self.assertRegex(out, r"Thread 1\.2 \(CPU#1")
        self.assertNotIn("Thread 1.3", out)
        # The sleeper that hit the breakpoint is on a CPU, named by number.
        on = re.findall(r"(?m)^\* (\d+) +(sleeper-[ab]) +running .*"
                        r"\(on CPU ([01])\)$", out)
        self.assertTrue(on, out)
        tid, name, cpu = on[0]
        # Its backtrace is that vCPU's: the breakpoint's function first.
        bt = out[out.index('thread %s "%s" (running, on CPU %s):'
                           % (tid, name, cpu)):]
        self.assertRegex(bt, r"^[^\n]*\n  #0  0x[0-9a-f]+ in sleeper \(\)")
        # Every thread shown on a CPU starts its backtrace where gdb says
        # that vCPU is (`info threads`: Thread 1.<cpu+1>).
        # (gdb puts "0x... in " before the function when the vCPU
        # stopped inside a source line rather than at its start.)
        vcpu_fn = {int(n) - 1: fn for n, fn in re.findall(
            r"Thread 1\.(\d+) \(CPU#\d+ \[\w+\]\) "
            r"(?:0x[0-9a-f]+ in )?(\w+) \(", out)}
        shown = re.findall(r'thread \d+ "[^"]+" \(running, on CPU (\d+)\):'
                           r'\n  #0  0x[0-9a-f]+ in (\w+) \(\)', out)
        self.assertTrue(shown, out)
        for c, fn in shown:
            self.assertEqual(vcpu_fn.get(int(c)), fn, out)
        # A thread not on a CPU still shows its saved stack pointer.
        self.assertRegex(out, r"(?m)^  1 +shell +\S+ +\d+/32 KiB +"
                         r"0x[0-9a-f]+$")


if __name__ == "__main__":
    unittest.main()
