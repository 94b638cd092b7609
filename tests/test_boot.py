# SPDX-License-Identifier: BSD-3-Clause
"""Booting real images: argv, exit statuses, parameters, crash reports."""
import os
import re
import shlex
import signal
import subprocess
import time
import unittest

import cairn


class HelloImage(unittest.TestCase):
    """Tests that boot the helloworld image."""

    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build("apps/helloworld", "helloworld")


class HelloWorld(HelloImage):
    def check_argv(self, machine):
        status, out, err = cairn.boot(self.image, machine=machine,
                                      args='one "two words" -3')
        self.assertEqual(status, 0, out + err)
        self.assertIn("Hello from Cairn!\n", out)
        self.assertIn('argv[0] = "helloworld"\n', out)
        self.assertIn('argv[1] = "one"\n', out)
        self.assertIn('argv[2] = "two words"\n', out)
        self.assertIn('argv[3] = "-3"\n', out)
        self.assertNotIn("argv[4]", out)

    def test_argv_on_pc(self):
        self.check_argv("pc")

    def test_argv_on_microvm(self):
        self.check_argv("microvm")

    def test_no_arguments(self):
        status, out, _ = cairn.boot(self.image, machine="microvm")
        self.assertEqual(status, 0)
        self.assertEqual(out.count("argv["), 1)

    def test_debug_level_reports_time_to_main(self):
        status, out, _ = cairn.boot(self.image, machine="microvm",
                                    params="log.level=debug")
        self.assertEqual(status, 0)
        m = re.search(r"DBG  core: helloworld on qemu-x86_64 \(microvm\): "
                      r"(\d+) cycles \((\d+) us\) from entry to main", out)
        self.assertIsNotNone(m, out)
        self.assertGreater(int(m.group(1)), 0)

    def test_init_timing_reports_time_to_main_at_info_level(self):
        status, out, _ = cairn.boot(self.image, params="init.timing=1")
        self.assertEqual(status, 0)
        self.assertRegex(out, r"INFO core: helloworld on qemu-x86_64 \(pc\): "
                         r"\d+ cycles \(\d+ us\) from entry to main")
        self.assertNotIn("DBG ", out)

    def test_heap_statistics_at_exit_in_debug(self):
        # helloworld never allocates: the heap is never set up (with SMP
        # it is, for the other CPUs' stacks: make test SMP=N).
        status, out, _ = cairn.boot(self.image, params="log.level=debug")
        self.assertEqual(status, 0)
        if not cairn.TEST_SMP:
            self.assertIn("DBG  alloc: no allocation made: the heap was "
                          "never set up", out)
        self.assertIn("DBG  arch-x86_64: page tables: the boot tables (4 GiB, "
                      "W^X image)", out)
        # One that does: the heap appears, its statistics at exit.
        image = cairn.build("tests/apps/crash", "crash")
        status, out, _ = cairn.boot(image, args="malloc",
                                    params="log.level=debug", mem="16G")
        self.assertEqual(status, 0, out)
        self.assertRegex(out, r"DBG  alloc: default heap: tlsf over \d{8} KiB")
        m = re.search(r"DBG  alloc: tlsf: \d+ KiB managed, \d+ used, "
                      r"peak [1-9]\d+, \d+ free; (\d+) allocs, (\d+) frees, "
                      r"0 failed", out)
        self.assertIsNotNone(m, out)
        # main made 3 and freed 2 (the C library may add its own).
        self.assertGreaterEqual(int(m.group(1)), 3)
        self.assertGreaterEqual(int(m.group(2)), 2)
        self.assertRegex(out, r"DBG  arch-x86_64: page tables: 17 GiB "
                         r"mapped with .* pages, W\^X image")

    def test_init_verbose_lists_init_functions(self):
        status, out, _ = cairn.boot(self.image, params="init.verbose=1")
        self.assertEqual(status, 0)
        self.assertIn("INFO core: init early.0 picolibc:tls_boot_init "
                      "(before parameters)", out)

    def test_many_memory_sizes(self):
        for mem in ("2M", "8M", "3G", "4G", "16G"):
            status, out, err = cairn.boot(self.image, machine="pc", mem=mem)
            self.assertEqual(status, 0, "%s: %s%s" % (mem, out, err))
            self.assertIn("Hello from Cairn!", out)


class TooLittleMemory(HelloImage):
    def test_launcher_refuses_a_too_small_m(self):
        status, out, err = cairn.boot(self.image, mem="1M")
        self.assertEqual(status, 2)
        self.assertIn("--mem 1M is too small: the image ends at", err)

    def test_guest_says_so_when_ram_does_not_cover_it(self):
        # Past the launcher's check: QEMU started directly, as a user might.
        argv = shlex.split(cairn.launcher("--print", "--kernel", self.image,
                                          "--machine", "microvm").stdout)
        end = int(re.search(r"ends at (\d+) KiB", cairn.launcher(
            "--kernel", self.image, "--mem", "1M").stderr).group(1))
        argv[argv.index("-m") + 1] = "%dK" % (end - 16)
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=30)
        self.assertIn(b"cairn: the guest's RAM does not cover this image",
                      p.stdout)
        self.assertEqual(p.returncode, (64 << 1) | 1)


class LauncherPlatforms(HelloImage):
    """support/qemu.py takes the platform's facts from its table."""

    def test_the_platforms_qemu_machine_and_exit_channel(self):
        p = cairn.launcher("--print", "--kernel", self.image,
                           "--plat", "qemu-x86_64")
        self.assertEqual(p.returncode, 0, p.stderr)
        argv = shlex.split(p.stdout)
        self.assertEqual(os.path.basename(argv[0]), "qemu-system-x86_64")
        self.assertEqual(argv[argv.index("-M") + 1], "pc")
        self.assertIn("isa-debug-exit,iobase=0xf4,iosize=0x04", argv)
        p = cairn.launcher("--print", "--kernel", self.image,
                           "--machine", "microvm", "--disk", self.image)
        argv = shlex.split(p.stdout)
        self.assertTrue(argv[argv.index("-M") + 1].startswith("microvm,"))
        self.assertIn("virtio-blk-device,drive=disk0", argv)

    def test_unknown_platform_or_machine_is_a_clear_error(self):
        p = cairn.launcher("--kernel", self.image, "--plat", "qemu-z80")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--plat qemu-z80: no such platform (known: "
                      "qemu-aarch64, qemu-x86_64)", p.stderr)
        # An image of one platform is not started as another's.
        p = cairn.launcher("--kernel", self.image, "--plat", "qemu-aarch64")
        self.assertEqual(p.returncode, 2)
        self.assertIn("is an image for qemu-x86_64, not qemu-aarch64",
                      p.stderr)
        p = cairn.launcher("--kernel", self.image, "--machine", "virt")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--machine virt: qemu-x86_64 has pc and microvm",
                      p.stderr)

    def test_a_missing_qemu_names_the_package(self):
        p = cairn.launcher("--kernel", self.image, "--qemu",
                           "/nonexistent/qemu-system-x86_64")
        self.assertEqual(p.returncode, 2)
        self.assertIn("install the Debian package 'qemu-system-x86'",
                      p.stderr)


class LowMemoryImage(unittest.TestCase):
    """PLAT_QEMU_LOAD_LOW: the image below 640 KiB boots with -m 1M."""

    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build("apps/helloworld", "helloworld-low",
                                ["CONFIG_PLAT_QEMU_LOAD_LOW=y"])

    def test_boots_with_one_mebibyte_on_microvm(self):
        status, out, err = cairn.boot(self.image, machine="microvm",
                                      mem="1M", args="tiny")
        self.assertEqual(status, 0, out + err)
        self.assertIn('argv[1] = "tiny"', out)

    def test_pc_is_refused_with_the_reason(self):
        status, _, err = cairn.boot(self.image, machine="pc")
        self.assertEqual(status, 2)
        self.assertIn("linked in low memory", err)
        self.assertIn("MACHINE=microvm", err)

    def test_unit_tests_pass_in_low_memory(self):
        # The backends' tests keep megabytes of arenas: not those here.
        image = cairn.build("tests/apps/unit", "unit-low",
                            ["CONFIG_PLAT_QEMU_LOAD_LOW=y",
                             "# CONFIG_LIB_TEST_ALL is not set",
                             "CONFIG_LIB_CORE_TEST=y",
                             "CONFIG_LIB_PICOLIBC_TEST=y",
                             "CONFIG_LIB_ALLOC_TEST=y"])
        status, out, err = cairn.boot(image, machine="microvm", mem="64M")
        self.assertEqual(status, 0, out[-2000:] + err)
        self.assertRegex(out, r"\n\d+ passed, 0 failed\n")
        self.assertIn("ok 1 alloc.", out)

    def test_too_big_an_image_for_low_memory_is_refused(self):
        image = cairn.build("tests/apps/unit", "unit-low-big",
                            ["CONFIG_PLAT_QEMU_LOAD_LOW=y"])
        status, _, err = cairn.boot(image, machine="microvm")
        self.assertEqual(status, 2)
        self.assertRegex(err, r"the image ends at \d+ KiB, past the 639 KiB "
                         r"of low memory")


class Parameters(HelloImage):
    def test_bad_value_names_the_parameter_and_stops(self):
        status, out, _ = cairn.boot(self.image, params="log.level=loud")
        self.assertEqual(status, 64)
        self.assertIn("parameter log.level: invalid value 'loud'", out)
        self.assertIn("expected error, warn, info, debug or 0-3", out)
        self.assertNotIn("Hello from Cairn!", out)

    def test_bad_bool(self):
        status, out, _ = cairn.boot(self.image, params="init.verbose=maybe")
        self.assertEqual(status, 64)
        self.assertIn("parameter init.verbose: invalid value 'maybe'", out)

    def test_not_lib_dot_name(self):
        status, out, _ = cairn.boot(self.image, params="verbose")
        self.assertEqual(status, 64)
        self.assertIn("'verbose' is not of the form library.name=value", out)

    def test_unknown_parameter_warns_and_boots(self):
        status, out, _ = cairn.boot(self.image, params="nosuch.thing=1")
        self.assertEqual(status, 0)
        self.assertIn("WARN core: unknown parameter 'nosuch.thing' ignored",
                      out)
        self.assertIn("Hello from Cairn!", out)

    def test_bad_timer_source(self):
        status, out, _ = cairn.boot(self.image, params="timer.source=hpet")
        self.assertEqual(status, 64)
        self.assertIn("parameter timer.source: invalid value 'hpet' "
                      "(expected auto, lapic or pit", out)

    def test_unterminated_quote(self):
        status, out, _ = cairn.boot(self.image, args='"open')
        self.assertEqual(status, 64)
        self.assertIn("command line: unterminated quote", out)


class Crashes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build("tests/apps/crash", "crash")

    def crash(self, what, machine="pc"):
        status, out, err = cairn.boot(self.image, machine=machine, args=what)
        self.assertEqual(status, 70, out + err)
        self.assertIn("crash: %s\n" % what, out)
        return out

    def assert_backtrace(self, out, *functions):
        bt = out[out.index("Backtrace:"):]
        frames = re.findall(r"#\d+\s+0x[0-9a-f]+ (\w+)\+0x[0-9a-f]+", bt)
        self.assertEqual(frames[:len(functions)], list(functions), out)
        self.assertIn("cn_boot_start", frames)

    def assert_registers(self, out):
        for reg in ("RIP", "RSP", "RFLAGS", "RAX", "RBX", "RCX", "RDX", "RSI",
                    "RDI", "RBP", "R8 ", "R9 ", "R10", "R11", "R12", "R13",
                    "R14", "R15", "CR0", "CR2", "CR3", "CR4"):
            self.assertRegex(out, r"%s\s*[0-9a-f]{16}" % reg.strip())

    def test_null_read(self):
        out = self.crash("null")
        self.assertIn("CRASH: Page fault (#PF), vector 14, error code 0x0", out)
        self.assertIn("NULL pointer access: read at address 0x0", out)
        self.assertRegex(out, r"CR2 0{16}")
        self.assert_registers(out)
        self.assert_backtrace(out, "crash_null_read", "main")

    def test_null_write_on_microvm(self):
        out = self.crash("write-null", machine="microvm")
        self.assertIn("NULL pointer access: write at address 0x8", out)
        self.assertRegex(out, r"error code 0x2\b")
        self.assert_backtrace(out, "crash_null_write", "main")

    def test_divide_by_zero(self):
        out = self.crash("div0")
        self.assertIn("CRASH: Divide error (#DE), vector 0", out)
        self.assertRegex(out, r"at crash_divide\+0x[0-9a-f]+ ")
        self.assert_registers(out)
        self.assert_backtrace(out, "crash_divide", "main")

    def test_invalid_opcode(self):
        out = self.crash("ud")
        self.assertIn("CRASH: Invalid opcode (#UD), vector 6", out)
        self.assert_backtrace(out, "crash_invalid_opcode", "main")

    def test_panic(self):
        out = self.crash("panic")
        self.assertIn("PANIC: requested panic 7", out)
        self.assertRegex(out, r"in app-crash at \S+main\.c:\d+")
        self.assert_backtrace(out, "main")

    def test_failed_assertion(self):
        out = self.crash("assert")
        self.assertIn("PANIC: assertion failed: x == 42", out)
        self.assert_backtrace(out, "crash_assert", "main")

    def test_console_input_through_getchar_and_fgets(self):
        for machine in ("pc", "microvm"):
            status, out, err = cairn.boot(
                self.image, machine=machine, args="echo",
                stdin=b"Xhello world\rsecond line\nquit\n")
            self.assertEqual(status, 0, out + err)
            self.assertIn("first char: X\n", out)
            # A carriage return (Enter on a raw terminal) ends a line too.
            self.assertIn("got: [hello world] (11)\n", out)
            self.assertIn("got: [second line] (11)\n", out)

    def test_console_input_burst_loses_nothing(self):
        burst = bytes(ord("a") + i % 26 for i in range(500))
        status, out, err = cairn.boot(self.image, args="echo",
                                      stdin=b"Z" + burst + b"\nquit\n")
        self.assertEqual(status, 0, out + err)
        got = "".join(re.findall(r"got: \[(.*?)\] \(\d+\)\n", out))
        self.assertEqual(got, burst.decode())

    def test_writing_code_is_stopped(self):
        out = self.crash("write-code")
        self.assertIn("CRASH: Page fault (#PF)", out)
        self.assertIn("W^X: write to read-only memory", out)
        self.assertIn("write of a protected page", out)
        self.assert_backtrace(out, "crash_write_code", "main")

    def test_executing_data_is_stopped(self):
        out = self.crash("exec-data", machine="microvm")
        self.assertIn("W^X: executing memory that is not code", out)
        self.assertIn("instruction fetch of a protected page", out)
        self.assertNotIn("crash: unknown request", out)

    def test_stack_overflow_is_named(self):
        out = self.crash("overflow")
        self.assertIn("stack overflow: thread main ran past the bottom of "
                      "its stack", out)
        self.assertIn("crash_overflow", out)

    def test_thread_stack_overflow_names_the_thread(self):
        out = self.crash("thread-overflow")
        self.assertIn("stack overflow: thread deep ran past the bottom of "
                      "its stack", out)
        self.assertIn("thread: deep", out)
        self.assertIn("crash_overflow", out)

    def test_wall_clock_matches_the_host(self):
        for machine in ("pc", "microvm"):
            status, out, _ = cairn.boot(self.image, machine=machine,
                                        args="time")
            self.assertEqual(status, 0, out)
            guest = int(re.search(r"time: (\d+)", out).group(1))
            self.assertLess(abs(guest - time.time()), 10, machine)

    def test_exit_status_passes_through(self):
        for code in ("0", "1", "42", "127"):
            status, out, _ = cairn.boot(self.image, args="exit " + code)
            self.assertEqual(status, int(code), out)

    def test_report_without_names_points_to_addr2line(self):
        image = cairn.build("tests/apps/crash", "crash-nosyms",
                            ["# CONFIG_BUILD_SYMBOLS is not set"])
        status, out, _ = cairn.boot(image, args="div0")
        self.assertEqual(status, 70)
        self.assertIn("CRASH: Divide error (#DE)", out)
        self.assertIn("addr2line -f -e <app>.elf", out)
        self.assertNotIn("crash_divide", out)


class BigImagePageTables(unittest.TestCase):
    """An image past 2 MiB gets its page tables from paging.c, not boot.S:
    the same protections must hold there."""

    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build("tests/apps/crash", "crash-big",
                                ["CONFIG_APP_CRASH_BIG=y"])

    def report(self, what):
        status, out, err = cairn.boot(self.image, args=what,
                                      params="log.level=debug")
        self.assertEqual(status, 70, out + err)
        self.assertRegex(out, r"page tables: \d+ GiB mapped with .* pages, "
                         r"W\^X image")
        return out

    def test_write_to_code(self):
        self.assertIn("W^X: write to read-only memory", self.report("write-code"))

    def test_execute_data(self):
        self.assertIn("W^X: executing memory that is not code",
                      self.report("exec-data"))

    def test_stack_overflow(self):
        self.assertIn("stack overflow: thread main ran past the bottom",
                      self.report("overflow"))

    def test_null(self):
        self.assertIn("NULL pointer access: read", self.report("null"))


class AllocDebug(unittest.TestCase):
    """LIB_ALLOC_DEBUG: misuse of the heap stops the image, naming callers."""

    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build("tests/apps/crash", "crash-allocdebug",
                                ["CONFIG_LIB_ALLOC_DEBUG=y"])

    def run_case(self, what):
        status, out, err = cairn.boot(self.image, args=what)
        self.assertEqual(status, 70, out + err)
        return out

    def test_double_free_names_both_frees(self):
        out = self.run_case("double-free")
        self.assertRegex(out, r"PANIC: alloc: double free of 0x[0-9a-f]+ "
                         r"\(40 bytes\) by crash_double_free\+0x[0-9a-f]+; "
                         r"first freed by crash_double_free\+0x[0-9a-f]+")

    def test_overrun_names_the_allocating_function(self):
        out = self.run_case("overrun")
        self.assertRegex(out, r"PANIC: alloc: buffer overrun: 0x[0-9a-f]+ "
                         r"\(40 bytes, allocated by make_buffer[.\w]*\+0x"
                         r"[0-9a-f]+\) was written past its end at \+40; "
                         r"found when crash_overrun\+0x[0-9a-f]+ freed it")

    def test_free_of_a_foreign_pointer(self):
        out = self.run_case("bad-free")
        self.assertRegex(out, r"PANIC: alloc: free of 0x[0-9a-f]+ by "
                         r"crash_bad_free\+0x[0-9a-f]+: not a block")

    def test_correct_programs_still_run(self):
        status, out, _ = cairn.boot(self.image, args="exit 9")
        self.assertEqual(status, 9, out)


class TimerFallback(unittest.TestCase):
    """The PIT through the legacy PIC when there is no local APIC timer."""

    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build("tests/apps/unit", "unit")

    def run_cases(self, params, cpu=None):
        cmd = [cairn.PYTHON, os.path.join(cairn.ROOT, "support", "qemu.py"),
               "--kernel", self.image, "--timeout", "120",
               "--params=" + params]
        if cpu:
            cmd += ["--cpu", cpu]
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=180)
        self.assertEqual(p.returncode, 0, p.stdout[-2000:] + p.stderr)
        self.assertRegex(p.stdout, r"\n[1-9]\d* passed, 0 failed\n")
        return p.stdout

    def test_forced_by_parameter(self):
        out = self.run_cases("timer.source=pit log.level=debug "
                             "test.filter=time")
        self.assertIn("timer: PIT channel 0 through the PIC", out)

    def test_chosen_on_a_cpu_without_local_apic(self):
        out = self.run_cases("log.level=debug test.filter=sched",
                             cpu="max,-apic")
        self.assertIn("timer: PIT channel 0 through the PIC", out)


class FailingUnitTests(unittest.TestCase):
    def test_failures_are_reported_with_values_and_status(self):
        image = cairn.build("tests/apps/failing", "failing")
        status, out, _ = cairn.boot(image, machine="microvm")
        self.assertEqual(status, 1, out)
        self.assertRegex(out, r"(?m)^not ok 1 failing\.integers_report_both_values "
                         r"\(main\.c:\d+: expected 1 \+ 2 == 4: left 3 \(0x3\), "
                         r"right 4 \(0x4\)\)")
        self.assertRegex(out, r'not ok \d+ failing\.strings_report_both_values '
                         r'\(main\.c:\d+: expected "cairn" == "stone": '
                         r'left "cairn", right "stone"\)')
        self.assertRegex(out, r"not ok \d+ failing\.assert_leaves_the_case")
        self.assertRegex(out, r"\nok 4 failing\.zz_runs_after_the_failures\n")
        self.assertIn("\n1 passed, 3 failed\n", out)

    def test_filter_parameter_runs_a_subset(self):
        image = cairn.build("tests/apps/failing", "failing")
        status, out, _ = cairn.boot(image, params="test.filter=failing.zz")
        self.assertEqual(status, 0, out)
        self.assertIn("\n1 passed, 0 failed\n", out)


if __name__ == "__main__":
    unittest.main()


class LauncherCleanup(unittest.TestCase):
    """QEMU never outlives its launcher (a test's cleanup, a killed make)."""

    def qemu_running(self, image):
        p = subprocess.run(["pgrep", "-f", "qemu-system.*-kernel %s" % image],
                           capture_output=True, text=True)
        return p.stdout.split()

    def check(self, sig):
        image = cairn.build("tests/apps/crash", "crash")
        p = subprocess.Popen([cairn.PYTHON, os.path.join(
            cairn.ROOT, "support", "qemu.py"), "--kernel", image,
            "--args=sleep 30", "--timeout", "60"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while not self.qemu_running(image) and time.time() < deadline:
            time.sleep(0.1)
        self.assertTrue(self.qemu_running(image), "QEMU did not start")
        p.send_signal(sig)
        p.wait(timeout=20)
        deadline = time.time() + 10
        while self.qemu_running(image) and time.time() < deadline:
            time.sleep(0.1)
        self.assertEqual(self.qemu_running(image), [])

    def test_terminated_launcher_stops_qemu(self):
        self.check(signal.SIGTERM)

    def test_killed_launcher_stops_qemu(self):
        self.check(signal.SIGKILL)
