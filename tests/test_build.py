# SPDX-License-Identifier: BSD-3-Clause
"""The build system as a user drives it: configuration targets, apps and
libraries discovered from folders, out-of-tree builds, errors."""
import os
import re
import shutil
import subprocess
import tempfile
import textwrap
import unittest

import cairn


def config_lines(path):
    """The settings of a .config, without comments and blank lines."""
    with open(path) as f:
        return sorted(l.strip() for l in f
                      if l.strip() and not l.startswith("#"))


class Configuration(unittest.TestCase):
    def test_savedefconfig_then_defconfig_round_trips(self):
        a, b = cairn.out_dir("cfg-a"), cairn.out_dir("cfg-b")
        for d in (a, b):
            shutil.rmtree(d, ignore_errors=True)
        os.makedirs(a)
        start = os.path.join(a, "start.defconfig")
        with open(start, "w") as f:
            f.write('CONFIG_APP_HELLOWORLD_GREETING="Round trip"\n'
                    "CONFIG_LIB_LOG_DEFAULT_LEVEL=3\n"
                    "CONFIG_BUILD_OPT_OS=y\n"
                    "CONFIG_PLAT_QEMU_MACHINE_MICROVM=y\n")
        cairn.make("APP=apps/helloworld", "DEFCONFIG=" + start, "defconfig",
                   o=a)
        p = cairn.make("savedefconfig", o=a)
        self.assertIn("SAVE", p.stdout)
        saved = os.path.join(a, "defconfig")
        text = open(saved).read()
        # Minimal: only what differs from the defaults.
        self.assertIn('CONFIG_APP_HELLOWORLD_GREETING="Round trip"', text)
        self.assertIn("CONFIG_BUILD_OPT_OS=y", text)
        self.assertNotIn("CONFIG_BUILD_DEBUG_INFO", text)
        cairn.make("APP=apps/helloworld", "DEFCONFIG=" + saved, "defconfig",
                   o=b)
        self.assertEqual(config_lines(os.path.join(a, ".config")),
                         config_lines(os.path.join(b, ".config")))
        # And the configuration is the one that boots.
        cairn.make(o=b)
        status, out, _ = cairn.boot(os.path.join(b, "helloworld_qemu-x86_64"),
                                    machine="microvm")
        self.assertEqual(status, 0)
        self.assertIn("Round trip\n", out)
        self.assertIn("DBG ", out)   # log level 3 from the defconfig

    def test_olddefconfig_adds_new_options_at_defaults(self):
        o = cairn.out_dir("cfg-old")
        shutil.rmtree(o, ignore_errors=True)
        os.makedirs(o)
        with open(os.path.join(o, ".config"), "w") as f:
            f.write("CONFIG_ARCH_X86_64=y\n")
        with open(os.path.join(o, ".app"), "w") as f:
            f.write(os.path.join(cairn.ROOT, "apps", "helloworld") + "\n")
        cairn.make("olddefconfig", o=o)
        lines = config_lines(os.path.join(o, ".config"))
        self.assertIn("CONFIG_LIB_LOG=y", lines)
        self.assertIn('CONFIG_APP_HELLOWORLD_GREETING="Hello from Cairn!"',
                      lines)

    def test_defconfig_and_run_in_one_command(self):
        o = cairn.out_dir("one-line")
        shutil.rmtree(o, ignore_errors=True)
        p = cairn.make("APP=apps/helloworld", "defconfig", "run",
                       "ARGS=x", "MACHINE=microvm", o=o, check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn('argv[1] = "x"', p.stdout)

    def test_run_status_is_the_apps(self):
        o = cairn.out_dir("crash")
        cairn.build("tests/apps/crash", "crash")
        p = cairn.make("run", "ARGS=exit 5", "PLAT=qemu-x86_64", o=o,
                       check=False)
        self.assertEqual(p.returncode, 2, p.stdout)   # make's own failure
        self.assertRegex(p.stderr, r"Error 5\b")

    def test_plat_mismatch_is_a_clear_error(self):
        cairn.build("apps/helloworld", "helloworld")
        # Another real platform: the build folder is for qemu-x86_64.
        p = cairn.make("PLAT=qemu-aarch64", o=cairn.out_dir("helloworld"),
                       check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("PLAT=qemu-aarch64 but", p.stderr)
        self.assertIn(".config is for qemu-x86_64", p.stderr)
        # No such platform at all: the known ones are named.
        p = cairn.make("PLAT=qemu-arm64", o=cairn.out_dir("helloworld"),
                       check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("PLAT=qemu-arm64 is not a platform; known: "
                      "qemu-aarch64 qemu-x86_64", p.stderr)

    def test_app_without_kconfig_is_a_clear_error(self):
        with tempfile.TemporaryDirectory() as d:
            p = cairn.make("APP=" + d, "defconfig", o=cairn.out_dir("noapp"),
                           check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("is not an application folder", p.stderr)


OUT_OF_TREE_APP = {
    "Kconfig": """\
        config APP_MYAPP
        	def_bool y
        config APP_MYAPP_STATUS
        	int "Exit status"
        	default 7
        """,
    "app.mk": "app-srcs-y := main.c util.c\n",
    "defconfig": "",
    "main.c": """\
        #include <stdio.h>
        #include "util.h"
        int main(int argc, char **argv)
        {
        	printf("myapp: %d args, twice 21 is %d\\n", argc, twice(21));
        	return CONFIG_APP_MYAPP_STATUS;
        }
        """,
    "util.h": "int twice(int x);\n",
    "util.c": '#include "util.h"\nint twice(int x) { return 2 * x; }\n',
}


class Apps(unittest.TestCase):
    def test_out_of_tree_app_builds_and_runs(self):
        with tempfile.TemporaryDirectory() as d:
            app = os.path.join(d, "myapp")
            os.makedirs(app)
            for name, text in OUT_OF_TREE_APP.items():
                with open(os.path.join(app, name), "w") as f:
                    f.write(textwrap.dedent(text))
            o = os.path.join(d, "build")      # O= outside the tree too
            p = cairn.make("APP=" + app, "defconfig", o=o)
            p = cairn.make(o=o)
            self.assertIn("  CC      app/myapp/util.o", p.stdout)
            image = os.path.join(o, "myapp_qemu-x86_64")
            status, out, _ = cairn.boot(image, args="a b")
            self.assertEqual(status, 7)
            self.assertIn("myapp: 3 args, twice 21 is 42", out)
            # The app is remembered: a plain `make run` uses it again.
            p = cairn.make("run", "MACHINE=microvm", o=o, check=False)
            self.assertIn("myapp: 1 args", p.stdout)

    def test_only_selected_libraries_are_compiled(self):
        o = cairn.out_dir("helloworld")
        cairn.build("apps/helloworld", "helloworld")
        self.assertFalse(os.path.exists(os.path.join(o, "lib", "test")))
        self.assertTrue(os.path.exists(
            os.path.join(o, "lib", "log", "built-in.o")))
        self.assertNotIn("CONFIG_LIB_TEST=y",
                         open(os.path.join(o, ".config")).read())

    def test_new_library_folder_is_discovered(self):
        lib = os.path.join(cairn.ROOT, "lib", "zz-probe")
        shutil.rmtree(lib, ignore_errors=True)
        os.makedirs(os.path.join(lib, "include", "cairn"))
        try:
            with open(os.path.join(lib, "Kconfig"), "w") as f:
                f.write("config LIB_ZZ_PROBE\n\tbool \"zz-probe\"\n"
                        "\tdefault y\n")
            with open(os.path.join(lib, "lib.mk"), "w") as f:
                f.write("lib-$(CONFIG_LIB_ZZ_PROBE) += zz-probe\n"
                        "zz-probe-srcs-y := probe.c\n")
            with open(os.path.join(lib, "probe.c"), "w") as f:
                f.write('#include <cairn/init.h>\n#include <cairn/log.h>\n'
                        'static int probe_init(void)\n'
                        '{ cn_pr_info("probe here"); return 0; }\n'
                        'CN_INIT(probe_init, CN_INIT_LIB);\n')
            image = cairn.build("apps/helloworld", "probe")
            status, out, _ = cairn.boot(image)
            self.assertEqual(status, 0)
            self.assertIn("INFO zz-probe: probe here", out)
        finally:
            shutil.rmtree(lib, ignore_errors=True)
        # Removing the folder removes the library from the next build.
        p = cairn.make(o=cairn.out_dir("probe"))
        status, out, _ = cairn.boot(os.path.join(cairn.out_dir("probe"),
                                                 "helloworld_qemu-x86_64"))
        self.assertNotIn("probe here", out)


class Output(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.o = cairn.out_dir("helloworld")
        cairn.build("apps/helloworld", "helloworld")

    def test_quiet_and_verbose_lines(self):
        cairn.make("clean", o=self.o)
        p = cairn.make(o=self.o)
        self.assertIn("  CC      lib/log/log.o\n", p.stdout)
        self.assertIn("  LD      lib/log/built-in.o\n", p.stdout)
        self.assertNotIn("gcc ", p.stdout)
        self.assertRegex(p.stdout, r"IMAGE   helloworld_qemu-x86_64: \d+ bytes")
        cairn.make("clean", o=self.o)
        p = cairn.make("V=1", o=self.o)
        self.assertRegex(p.stdout, r"gcc .*-ffreestanding.*-c -o \S+/log\.o")

    def test_clean_keeps_config_distclean_removes_all(self):
        o = cairn.out_dir("cleaning")
        cairn.build("apps/helloworld", "cleaning")
        cairn.make("clean", o=o)
        self.assertTrue(os.path.exists(os.path.join(o, ".config")))
        self.assertFalse(os.path.exists(os.path.join(o, "lib")))
        cairn.make("distclean", o=o)
        self.assertFalse(os.path.exists(o))

    def test_size_lists_bytes_per_library(self):
        p = cairn.make("size", o=self.o)
        rows = dict(re.findall(r"^\s*(\S+)\s+(\d+)\s", p.stdout, re.M))
        for lib in ("arch-x86_64", "core", "log", "plat-qemu-x86_64",
                    "picolibc", "app-helloworld", "libc"):
            self.assertIn(lib, rows, p.stdout)
            self.assertGreater(int(rows[lib]), 0)
        self.assertRegex(p.stdout, r"total\s+\d+")

    def test_initorder_lists_functions_in_order(self):
        p = cairn.make("initorder", o=self.o)
        self.assertRegex(p.stdout, r"1\s+early\s+0\s+picolibc\s+tls_boot_init")

    def test_help_lists_targets(self):
        p = cairn.make("help")
        for t in ("menuconfig", "defconfig", "savedefconfig", "run", "debug",
                  "size", "test", "clean", "distclean", "V=1", "O=dir"):
            self.assertIn(t, p.stdout)


class Exports(unittest.TestCase):
    def test_global_symbols_carry_the_prefix(self):
        """The prefix is the export list: a library's global symbols start
        with cn_ unless its folder's `exports` file names them (libc
        entry points). The unit image selects every library."""
        o = cairn.out_dir("unit")
        cairn.build("tests/apps/unit", "unit")
        checked = 0
        for dirpath, _, files in os.walk(o):
            if "built-in.o" not in files:
                continue
            rel = os.path.relpath(dirpath, o)
            allowed = {"main"} if rel.startswith("tests/apps/") else set()
            exports = os.path.join(cairn.ROOT, rel, "exports")
            if os.path.exists(exports):
                allowed |= {l.strip() for l in open(exports)
                            if l.strip() and not l.startswith("#")}
            out = subprocess.run(["nm", "-g", "--defined-only",
                                  os.path.join(dirpath, "built-in.o")],
                                 capture_output=True, text=True,
                                 check=True).stdout
            names = [l.split()[2] for l in out.splitlines() if len(l.split()) == 3]
            bad = [n for n in names if not n.startswith("cn_")
                   and n not in allowed]
            self.assertEqual(bad, [], "%s exports %s without the cn_ prefix"
                             % (rel, bad))
            checked += 1
        self.assertGreaterEqual(checked, 7)


class HostTools(unittest.TestCase):
    def test_missing_tool_names_its_debian_package(self):
        with tempfile.TemporaryDirectory() as d:
            # A PATH with everything but kconfig-frontends.
            for tool in ("gcc", "ld", "objcopy", "nm", "make",
                         "qemu-system-x86_64", "meson", "ninja", "xz", "tar"):
                path = shutil.which(tool)
                if path:
                    os.symlink(path, os.path.join(d, tool))
            p = subprocess.run(
                [cairn.PYTHON, os.path.join(cairn.ROOT, "support", "deps.py"),
                 "tools"], capture_output=True, text=True,
                env=dict(os.environ, PATH=d, CAIRN_NO_INSTALL="1"))
            self.assertEqual(p.returncode, 2)
            self.assertIn("'kconfig-mconf' not found; install the Debian "
                          "package 'kconfig-frontends'", p.stderr)
            self.assertEqual(len(p.stderr.strip().splitlines()), 2, p.stderr)

    def test_missing_test_tools_are_named_too(self):
        with tempfile.TemporaryDirectory() as d:
            p = subprocess.run(
                [cairn.PYTHON, os.path.join(cairn.ROOT, "support", "deps.py"),
                 "test-tools"], capture_output=True, text=True,
                env=dict(os.environ, PATH=d, CAIRN_NO_INSTALL="1"))
            self.assertEqual(p.returncode, 2)
            for tool, pkg in (("gdb", "gdb"), ("tmux", "tmux"),
                              ("clang", "clang")):
                self.assertIn("'%s' not found; install the Debian package "
                              "'%s'" % (tool, pkg), p.stderr)

    def test_launcher_reports_missing_image(self):
        p = cairn.launcher("--kernel", "/nonexistent/image")
        self.assertEqual(p.returncode, 2)
        self.assertIn("image /nonexistent/image not found", p.stderr)

    def test_launcher_reports_qemu_failure(self):
        image = cairn.build("apps/helloworld", "helloworld")
        p = cairn.launcher("--kernel", image, "--extra=-no-such-flag")
        self.assertEqual(p.returncode, 125)
        self.assertIn("QEMU failed", p.stderr)

    def test_launcher_timeout_stops_a_hung_guest(self):
        image = cairn.build("apps/helloworld", "helloworld")
        # -S: the CPU never starts, exactly like a hung guest.
        p = cairn.launcher("--kernel", image, "--extra=-S", "--timeout", "2",
                           timeout=30)
        self.assertEqual(p.returncode, 124)
        self.assertIn("did not finish within 2s", p.stderr)


if __name__ == "__main__":
    unittest.main()
