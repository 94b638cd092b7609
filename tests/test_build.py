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

# Run with nothing beside it (tests/run.py): it adds a library folder to the
# source tree and cleans shared build folders
RUN_ALONE = True


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
        # The hint names the app's folder as the user would type it.
        self.assertIn("copy it to apps/helloworld/defconfig", p.stdout)
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

    def test_turning_smp_on_later_gives_the_default_cpu_count(self):
        """A .config written with SMP off, then SMP turned on (what
        menuconfig does): the CPU count is the default, not a 1 left
        over from when the option was hidden."""
        o = cairn.out_dir("cfg-smp")
        shutil.rmtree(o, ignore_errors=True)
        cairn.make("APP=apps/helloworld", "defconfig", o=o)
        cfg = os.path.join(o, ".config")
        lines = config_lines(cfg)
        self.assertIn("CONFIG_NR_CPUS=1", lines)
        self.assertFalse([l for l in lines if "SMP_MAX_CPUS" in l], lines)
        with open(cfg, "a") as f:
            f.write("CONFIG_SMP=y\n")
        cairn.make("olddefconfig", o=o)
        lines = config_lines(cfg)
        self.assertIn("CONFIG_SMP_MAX_CPUS=8", lines)
        self.assertIn("CONFIG_NR_CPUS=8", lines)
        # A count the user chose is kept, and off again is one CPU.
        with open(cfg, "a") as f:
            f.write("CONFIG_SMP_MAX_CPUS=3\n")
        cairn.make("olddefconfig", o=o)
        self.assertIn("CONFIG_NR_CPUS=3", config_lines(cfg))
        with open(cfg, "a") as f:
            f.write("# CONFIG_SMP is not set\n")
        cairn.make("olddefconfig", o=o)
        self.assertIn("CONFIG_NR_CPUS=1", config_lines(cfg))

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

    def test_args_and_params_reach_the_guest_as_typed(self):
        """Apostrophes, double quotes, backslashes and dollars in ARGS and
        PARAMS go through make and the shell untouched; the guest splits
        them by README's rules (double quotes group, a backslash makes
        the next character literal, inside quotes or not)."""
        o = cairn.out_dir("helloworld")
        cairn.build("apps/helloworld", "helloworld")
        args = (r"""it's "two words" back\ slash \"q\" a\\b $HOME $(X) """
                r""""in 'single' quotes" 50%""")
        p = cairn.make("run", "MACHINE=microvm", "ARGS=" + args,
                       "PARAMS=nosuch.p=it's log.level=info", o=o,
                       check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        argv = re.findall(r'^argv\[\d+\] = "(.*)"$', p.stdout, re.M)
        self.assertEqual(argv, ["helloworld", "it's", "two words",
                                "back slash", '"q"', "a\\b", "$HOME",
                                "$(X)", "in 'single' quotes", "50%"])
        # The apostrophe in PARAMS did not break the shell either.
        self.assertIn("unknown parameter 'nosuch.p' ignored", p.stdout)

    def test_unknown_plat_is_a_clear_error(self):
        cairn.build("apps/helloworld", "helloworld")
        # Another real platform: the build folder is for qemu-x86_64.
        p = cairn.make("PLAT=qemu-aarch64", o=cairn.out_dir("helloworld"),
                       check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("PLAT=qemu-aarch64 but", p.stderr)
        self.assertIn(".config is for qemu-x86_64", p.stderr)
        # No such platform at all: the known ones are named.
        for goals in ([], ["defconfig"]):
            p = cairn.make("PLAT=qemu-arm64", *goals,
                           o=cairn.out_dir("helloworld"), check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("PLAT=qemu-arm64 is not a platform; the platforms "
                          "are: ", p.stderr)
            self.assertIn("qemu-x86_64", p.stderr)

    def test_plat_selects_the_platform_and_names_the_image(self):
        o = cairn.out_dir("plat-select")
        shutil.rmtree(o, ignore_errors=True)
        cairn.make("APP=apps/helloworld", "PLAT=qemu-x86_64", "defconfig",
                   o=o)
        lines = config_lines(os.path.join(o, ".config"))
        self.assertIn('CONFIG_PLAT="qemu-x86_64"', lines)
        self.assertIn('CONFIG_ARCH="x86_64"', lines)
        cairn.make("PLAT=qemu-x86_64", o=o)
        image = cairn.image_path(o, "helloworld")
        self.assertTrue(image.endswith("/helloworld_qemu-x86_64"))
        status, out, _ = cairn.boot(image)
        self.assertEqual(status, 0, out)
        self.assertIn("Hello from Cairn!", out)

    def test_cross_compile_prefix_names_the_tools(self):
        cairn.build("apps/helloworld", "helloworld")
        p = cairn.make("CROSS_COMPILE=/nonexistent/x-", "V=1",
                       o=cairn.out_dir("helloworld"), check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("/nonexistent/x-gcc not found: the x86_64 build needs "
                      "a gcc for it", p.stderr)

    def test_broken_kconfig_fails_every_build_until_fixed(self):
        """A menu that does not parse fails defconfig, and every later
        make, make run ... as well (not a build with the stale
        configuration); once fixed, the build works again."""
        with tempfile.TemporaryDirectory() as d:
            app = os.path.join(d, "hello")
            shutil.copytree(os.path.join(cairn.ROOT, "apps", "helloworld"),
                            app)
            o = os.path.join(d, "build")
            cairn.make("APP=" + app, "defconfig", o=o)
            cairn.make(o=o)
            kconfig = os.path.join(app, "Kconfig")
            good = open(kconfig).read()
            with open(kconfig, "a") as f:
                f.write("config APP_HELLO_BROKEN\n\tbool \"x\"\n"
                        "  this line is not Kconfig\n")
            p = cairn.make("defconfig", o=o, check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("Kconfig:", p.stderr)
            for goal in ("all", "all", "run"):
                p = cairn.make(goal, "MACHINE=microvm", o=o, check=False)
                self.assertEqual(p.returncode, 2, goal + p.stdout + p.stderr)
                self.assertIn("syntax error", p.stderr)
                self.assertNotIn("Hello from Cairn", p.stdout)
            with open(kconfig, "w") as f:
                f.write(good)
            p = cairn.make("run", "MACHINE=microvm", o=o, check=False)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertIn("Hello from Cairn", p.stdout)

    def test_app_is_remembered_only_once_configured(self):
        with tempfile.TemporaryDirectory() as d:
            o = os.path.join(d, "build")
            cairn.make("APP=apps/helloworld", "defconfig", o=o)
            app_file = os.path.join(o, ".app")
            before = open(app_file).read()
            broken = os.path.join(d, "broken")
            shutil.copytree(os.path.join(cairn.ROOT, "apps", "helloworld"),
                            broken)
            with open(os.path.join(broken, "Kconfig"), "a") as f:
                f.write("endmenu\n")
            p = cairn.make("APP=" + broken, "defconfig", o=o, check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertEqual(open(app_file).read(), before)
            self.assertIn("apps/helloworld", before)
            # The remembered app still builds.
            cairn.make(o=o)
            self.assertTrue(os.path.exists(
                os.path.join(o, "helloworld_qemu-x86_64")))

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


def warnings(out):
    """The compiler's warning lines in a build's output."""
    return re.findall(r"(?m)^\S+:\d+:\d+: warning: .*$", out)


class NoWarnings(unittest.TestCase):
    """The unit-test image (nearly every library with its tests) builds
    without a compiler warning on one CPU and with SMP, on both
    architectures: a warning that only one configuration shows (a
    variable only SMP code uses) is caught where it appears."""

    def build_output(self, name, config, plat=None):
        o = cairn.out_dir(name)
        shutil.rmtree(o, ignore_errors=True)
        os.makedirs(o)
        defconfig = os.path.join(o, "test.defconfig")
        with open(os.path.join(cairn.ROOT, "tests/apps/unit/defconfig")) as f:
            base = f.read()
        with open(defconfig, "w") as f:
            f.write(base + "\n".join(config) + "\n")
        args = ["APP=tests/apps/unit", "DEFCONFIG=" + defconfig]
        if plat:
            args.append("PLAT=" + plat)
        cairn.make(*(args + ["defconfig"]), o=o)
        p = cairn.make("-j%d" % (os.cpu_count() or 1), o=o, timeout=900)
        return p.stdout + p.stderr

    def test_one_cpu_x86_64(self):
        out = self.build_output("warnings-x86", [])
        self.assertIn("IMAGE   unit_qemu-x86_64", out)
        self.assertEqual(warnings(out), [])

    def test_smp_aarch64(self):
        out = self.build_output("warnings-arm64", ["CONFIG_SMP=y"],
                                "qemu-aarch64")
        self.assertIn("IMAGE   unit_qemu-aarch64", out)
        self.assertEqual(warnings(out), [])


class Reproducible(unittest.TestCase):
    """Same sources and configuration, same bytes: built in another
    build folder (O=) and from a copy of the tree at another path, the
    image and its .elf are identical (no absolute path is compiled in)."""

    def copy_of_the_tree(self, d):
        copy = os.path.join(d, "elsewhere", "cairn-copy")
        shutil.copytree(cairn.ROOT, copy, symlinks=True,
                        ignore=lambda folder, names: [
                            n for n in names if n == ".git" or
                            (folder == cairn.ROOT and n == "build")])
        return copy

    def check(self, app, image_name, other_o=True):
        with tempfile.TemporaryDirectory() as d:
            copy = self.copy_of_the_tree(d)
            builds = [(cairn.ROOT, os.path.join(d, "a")),
                      (copy, os.path.join(d, "c"))]
            if other_o:
                builds.append((cairn.ROOT, os.path.join(d, "b", "deeper")))
            for tree, o in builds:
                cairn.make("APP=" + app, "defconfig", o=o, cwd=tree)
                cairn.make(o=o, cwd=tree)
            for suffix in ("", ".elf"):
                first = open(os.path.join(builds[0][1], image_name + suffix),
                             "rb").read()
                for tree, o in builds[1:]:
                    other = open(os.path.join(o, image_name + suffix),
                                 "rb").read()
                    self.assertTrue(first == other, "%s%s differs when "
                                    "built in %s from %s" % (
                                        image_name, suffix, o, tree))
            # As folders: a cache beside the tree (/x/tree-cache next to
            # /x/tree) may show in picolibc's own debug information.
            for path in (cairn.ROOT, copy, d):
                self.assertNotIn(path.encode() + b"/", first,
                                 "%s%s names %s" % (image_name, suffix, path))

    def test_helloworld(self):
        self.check("apps/helloworld", "helloworld_qemu-x86_64")

    def test_echo_with_lwip_from_the_cache(self):
        # The copy is built in another O= too: one build less.
        self.check("apps/echo", "echo_qemu-x86_64", other_o=False)


class SchedulerInitStep(unittest.TestCase):
    def test_initorder_shows_the_scheduler_taking_over(self):
        """lib/sched starts threads (crash hooks, sleeper, allocator lock,
        interrupts on) in an init step of its own, last of the library
        level, not inside the first cn_thread_create()."""
        o = cairn.out_dir("unit")
        cairn.build("tests/apps/unit", "unit")
        out = cairn.make("initorder", o=o).stdout
        rows = re.findall(r"^\s*\d+\s+(\w+)\s+(\d)\s+(\S+)\s+(\w+)", out, re.M)
        names = [r[3] for r in rows]
        self.assertIn(("lib", "9", "sched", "sched_init"), rows, out)
        self.assertIn("run_tests", names)
        self.assertLess(names.index("coop_init"), names.index("sched_init"))
        for later in ("vfs_boot_mounts", "run_tests"):
            if later in names:
                self.assertLess(names.index("sched_init"), names.index(later))


X86_MNEMONICS = re.compile(
    r"\b(rdtscp?|cpuid|rdrand|rdseed|rdmsr|wrmsr|pushfq?|popfq?|cli|sti|hlt|"
    r"[lms]fence|pause|invlpg|lidt|lgdt|ltr|in[bwl]|out[bwl]|int3|iretq|"
    r"swapgs|xsave\w*|fxsave\w*)\b|%%?[re](ax|bx|cx|dx|si|di|sp|bp|ip)\b|"
    r"%%?cr[0-8]\b")
X86_NAMES = re.compile(
    r"\b(cn_(outb|inb|outl|inl|outw|inw|rdmsr|wrmsr|x86_\w+)|CN_X86_\w+|"
    r"(CONFIG_)?ARCH_X86_64)\b|cairn/arch/x86_64\.h")


def without_comments(text):
    """C or assembler text with /* */ and // comments blanked out."""
    return re.sub(r"/\*.*?\*/|//[^\n]*", lambda m: re.sub(r"[^\n]", " ",
                  m.group(0)), text, flags=re.S)


def x86_code(path):
    """Lines of path that are x86 code: inline assembly with x86
    instructions or registers, or x86-only names (port I/O, MSRs, the
    x86_64 header, the x86_64 Kconfig symbol)."""
    text = open(path, errors="replace").read()
    if path.endswith((".c", ".h", ".S")):
        text = without_comments(text)
    else:
        text = re.sub(r"#[^\n]*", "", text)   # lib.mk, Kconfig comments
    hits = []
    for n, line in enumerate(text.splitlines(), 1):
        asm = re.search(r"\b(__asm__|asm)\b", line) or path.endswith(".S")
        if X86_NAMES.search(line) or (asm and X86_MNEMONICS.search(line)):
            hits.append("%s:%d: %s" % (os.path.relpath(path, cairn.ROOT), n,
                                       line.strip()))
    return hits


class Layers(unittest.TestCase):
    """Nothing x86 outside arch/x86_64, plat/qemu-x86_64 and the drivers
    that only exist on x86 (their Kconfig depends on ARCH_X86_64)."""

    def portable_files(self):
        for top in ("lib", "drivers"):
            for dirpath, _, files in os.walk(os.path.join(cairn.ROOT, top)):
                folder = dirpath
                while os.path.dirname(folder) != os.path.join(cairn.ROOT, top) \
                        and not os.path.exists(os.path.join(folder, "Kconfig")):
                    folder = os.path.dirname(folder)
                kconfig = os.path.join(folder, "Kconfig")
                if os.path.exists(kconfig) and re.search(
                        r"depends on ARCH_X86_64\b", open(kconfig).read()):
                    continue            # an x86-only driver
                for f in files:
                    if f.endswith((".c", ".h", ".S", ".mk")) or f == "Kconfig":
                        yield os.path.join(dirpath, f)

    def test_no_x86_code_in_portable_folders(self):
        files = list(self.portable_files())
        self.assertGreater(len(files), 100)
        self.assertNotIn(os.path.join(cairn.ROOT, "drivers", "serial-ns16550",
                                      "ns16550.c"), files)
        hits = [h for f in files for h in x86_code(f)]
        named = [os.path.relpath(f, cairn.ROOT) for f in files
                 if "x86" in os.path.basename(f)]
        self.assertEqual(hits + named, [])

    def test_arch_h_only_includes_the_architectures_bodies(self):
        text = without_comments(open(os.path.join(
            cairn.ROOT, "lib", "core", "include", "cairn", "arch.h")).read())
        self.assertNotRegex(text, r"\b(__asm__|asm)\b")
        for h in ("barrier", "irqflags", "page"):
            self.assertIn("#include <cairn/arch/%s.h>" % h, text)
            self.assertTrue(os.path.exists(os.path.join(
                cairn.ROOT, "arch", "x86_64", "include", "cairn", "arch",
                h + ".h")))

    def test_the_check_sees_what_it_looks_for(self):
        with tempfile.TemporaryDirectory() as d:
            samples = {
                "a.c": '__asm__ volatile("pushfq; popq %0; cli" : "=r"(f));\n',
                "b.c": "#include <cairn/arch/x86_64.h>\n",
                "c.c": "\tcn_outb(0x64, 0xfe);\n",
                "lib.mk": "x-srcs-$(CONFIG_ARCH_X86_64) += y.c\n",
                "d.c": '/* rdtsc in a comment */ __asm__("" ::: "memory");\n',
            }
            for name, text in samples.items():
                with open(os.path.join(d, name), "w") as f:
                    f.write(text)
            found = {n for n in samples if x86_code(os.path.join(d, n))}
            self.assertEqual(found, {"a.c", "b.c", "c.c", "lib.mk"})


def read_claims(folder):
    """What a library folder may define (doc/writing-a-library.md, Names):
    the default prefix cn_<folder>_, and the prefixes (`name*`) and exact
    names of its `exports` file. Returns (prefixes, names)."""
    base = os.path.basename(folder).replace("-", "_")
    prefixes, names = {"cn_%s_" % base}, set()
    path = os.path.join(cairn.ROOT, folder, "exports")
    if os.path.exists(path):
        for line in open(path):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.endswith("*"):
                prefixes.add(line[:-1])
            else:
                names.add(line)
    return prefixes, names


def symbol_owners(claims, symbol):
    """The libraries that own symbol among claims ({lib: (prefixes,
    names)}): the ones naming it exactly, else the ones with the longest
    matching prefix."""
    exact = [lib for lib, (_, names) in claims.items() if symbol in names]
    if exact:
        return exact
    best, owners = 0, []
    for lib, (prefixes, _) in claims.items():
        for p in prefixes:
            if symbol.startswith(p) and len(p) >= best:
                owners = ([] if len(p) > best else owners) + [lib]
                best = len(p)
    return owners


def symbol_problems(defined):
    """defined: {library folder: [global symbols of its built-in.o]}.
    Returns one line per symbol that breaks the rule."""
    claims = {lib: read_claims(lib) for lib in defined}
    bad = []
    for lib, symbols in sorted(defined.items()):
        for sym in symbols:
            owners = symbol_owners(claims, sym)
            if lib not in owners:
                bad.append("%s defines %s, which %s" % (
                    lib, sym, "belongs to " + " and ".join(sorted(owners))
                    if owners else "no exports entry or cn_<lib>_ prefix "
                    "claims"))
    return bad


class Exports(unittest.TestCase):
    """One rule for global names: a library's built-in.o defines only names
    it owns: the ones its exports file lists exactly, else those under the
    longest matching prefix (cn_<folder>_ or one its exports file claims)
    of all libraries in the image. Alternative implementations of one
    contract (arch, platform, allocator backends) claim the same names."""

    IMAGES = (("tests/apps/unit", "unit", None),
              ("apps/httpd", "httpd", None),
              ("apps/shell", "shell", ["CONFIG_APP_SHELL_TEST_CMDS=y"]))

    def defined_symbols(self, o):
        libs, apps = {}, {}
        for dirpath, _, files in os.walk(o):
            if "built-in.o" not in files:
                continue
            rel = os.path.relpath(dirpath, o)
            if rel.startswith("ext" + os.sep):
                continue        # upstream code (lwIP) keeps its own names
            out = subprocess.run(["nm", "-g", "--defined-only",
                                  os.path.join(dirpath, "built-in.o")],
                                 capture_output=True, text=True,
                                 check=True).stdout
            names = [l.split()[2] for l in out.splitlines()
                     if len(l.split()) == 3]
            is_app = os.path.exists(os.path.join(cairn.ROOT, rel, "app.mk"))
            (apps if is_app else libs)[rel] = names
        return libs, apps

    def test_every_global_name_belongs_to_its_library(self):
        checked = set()
        for app, name, config in self.IMAGES:
            image = cairn.build(app, name, config)
            libs, apps = self.defined_symbols(os.path.dirname(image))
            self.assertEqual(symbol_problems(libs), [])
            for rel, names in apps.items():
                self.assertEqual([n for n in names if n.startswith("cn_")],
                                 [], "the app %s takes library names" % rel)
            checked |= set(libs)
        for lib in ("lib/sched", "lib/httpd", "lib/shell", "lib/lwip",
                    "arch/x86_64", "plat/qemu-x86_64", "drivers/virtio"):
            self.assertIn(lib, checked)

    def test_no_type_shares_its_name_with_a_function(self):
        tags = set()
        for dirpath, _, files in os.walk(cairn.ROOT):
            if os.sep + "build" in dirpath[len(cairn.ROOT):] or \
                    os.sep + "include" + os.sep + "cairn" not in dirpath + os.sep:
                continue
            for f in files:
                if f.endswith(".h"):
                    text = open(os.path.join(dirpath, f)).read()
                    tags |= set(re.findall(r"\bstruct\s+(cn_\w+)\s*\{", text))
        self.assertIn("cn_http_header", tags)
        symbols = set()
        for app, name, config in self.IMAGES:
            libs, _ = self.defined_symbols(os.path.dirname(
                cairn.build(app, name, config)))
            for names in libs.values():
                symbols |= set(names)
        self.assertIn("cn_http_req_header", symbols)
        # Older pairs of a struct and its getter, kept until renamed
        # (doc/writing-a-library.md); no new one may join them.
        known = ["cn_alloc_stats", "cn_bootinfo", "cn_httpd_stats",
                 "cn_vfs_mount"]
        self.assertEqual(sorted(tags & symbols), known)

    def test_the_rule_catches_a_name_in_the_wrong_library(self):
        self.assertEqual(symbol_problems({"lib/sched": ["cn_thread_create"],
                                          "lib/vfs": ["cn_vfs_open"]}), [])
        self.assertEqual(symbol_problems({"lib/sched": ["cn_vfs_open"],
                                          "lib/vfs": []}),
                         ["lib/sched defines cn_vfs_open, which belongs "
                          "to lib/vfs"])
        self.assertEqual(symbol_problems({"lib/shell": ["helper"]}),
                         ["lib/shell defines helper, which no exports entry "
                          "or cn_<lib>_ prefix claims"])
        # An exact name beats a prefix: a backend's cn_alloc_default_create
        # is not lib/alloc's, but lib/alloc's other cn_alloc_ names are.
        self.assertEqual(symbol_problems({
            "lib/alloc": ["cn_alloc_malloc_stats"],
            "lib/alloc-tlsf": ["cn_alloc_default_create", "cn_tlsf_create"],
        }), [])
        self.assertEqual(symbol_problems({
            "lib/alloc": ["cn_alloc_default_create"],
            "lib/alloc-tlsf": []}),
            ["lib/alloc defines cn_alloc_default_create, which belongs to "
             "lib/alloc-tlsf"])


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
