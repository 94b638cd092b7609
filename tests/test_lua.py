# SPDX-License-Identifier: BSD-3-Clause
"""apps/lua (issue 19): Lua 5.4's own interpreter (lib/lua, from Debian's
source package) in an image, booted three ways side by side from one
build: a script from the initrd with arguments (its output, a module from
package.path, a file written and read back, exit status 0); a script that
fails at run time (Lua's message with the file and line, a traceback,
status 1); and the read-eval-print loop fed lines on the serial console,
ending with os.exit(7). lib/lua's own cases run in the unit image."""
import concurrent.futures
import os
import shutil
import subprocess
import tempfile
import unittest

import cairn

APP = "apps/lua"
MKINITRD = os.path.join(cairn.ROOT, "support", "mkinitrd.py")

GOOD = r"""
local greet = require("greet")            -- /lib/lua/greet.lua
print(greet.greeting(_VERSION))
print("args", #arg, arg[0], arg[1], arg[2])
local f = assert(io.open("/out.txt", "w"))
for i = 1, 3 do f:write(i * i, "\n") end
f:close()
local sum = 0
for l in io.lines("/out.txt") do sum = sum + tonumber(l) end
local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
print("sum", sum, "co", co() + co() + co(), string.format("%.3f", 2 / 3))
"""

BAD = r"""
local function inner(t)
  return t.field.missing      -- line 3: t.field is nil
end
print("before the error")
inner({})
print("never printed")
"""


class Lua(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Built on every CPU (lua.c and the 32 files of Lua's core are a
        # third of the image's units).
        cls.image = cairn.build(APP, "lua", parallel=True)
        cls.tmp = tempfile.mkdtemp(prefix="cairn-lua-")
        root = os.path.join(cls.tmp, "root")
        shutil.copytree(os.path.join(cairn.ROOT, APP, "rootfs"), root)
        with open(os.path.join(root, "good.lua"), "w") as f:
            f.write(GOOD)
        with open(os.path.join(root, "bad.lua"), "w") as f:
            f.write(BAD)
        cls.initrd = os.path.join(cls.tmp, "initrd.cpio")
        subprocess.run([cairn.PYTHON, MKINITRD, "--quiet", root, cls.initrd],
                       check=True, timeout=60)
        # The three guests are independent: boot them side by side.
        runs = {
            "good": dict(args="/good.lua one two"),
            "bad": dict(args="/bad.lua"),
            "repl": dict(stdin=b"x = 6 * 7\n"
                               b"print(x, string.format('%.2f', x / 8))\n"
                               b"= ('cairn'):upper()\n"
                               b"print(undefined_var.field)\n"
                               b"os.exit(7)\n"),
        }
        with concurrent.futures.ThreadPoolExecutor(len(runs)) as pool:
            futures = {k: pool.submit(cairn.boot, cls.image, timeout=90,
                                      launcher_args=("--initrd", cls.initrd),
                                      **kw) for k, kw in runs.items()}
            cls.results = {k: f.result() for k, f in futures.items()}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_script_from_the_initrd_runs_with_its_arguments(self):
        status, out, err = self.results["good"]
        self.assertIn("Hello from Lua 5.4 on Cairn!\n", out)
        self.assertIn("args\t2\t/good.lua\tone\ttwo\n", out)
        self.assertIn("sum\t14\tco\t6\t0.667\n", out)
        self.assertEqual(status, 0, out[-2000:] + err)

    def test_runtime_error_gives_message_traceback_and_status_1(self):
        status, out, err = self.results["bad"]
        self.assertIn("before the error\n", out)
        self.assertNotIn("never printed", out)
        self.assertIn("lua: /bad.lua:3: attempt to index a nil value "
                      "(field 'field')\n", out)
        self.assertIn("stack traceback:", out)
        self.assertIn("/bad.lua:6: in main chunk", out)
        self.assertEqual(status, 1, out[-2000:] + err)

    def test_repl_evaluates_lines_from_the_serial_console(self):
        status, out, err = self.results["repl"]
        self.assertIn("Lua 5.4.4  Copyright (C) 1994-2022 Lua.org", out)
        self.assertIn("42\t5.25\n", out)
        self.assertIn("CAIRN\n", out)
        # An error in one line is reported and the loop goes on.
        self.assertIn("stdin:1: attempt to index a nil value "
                      "(global 'undefined_var')", out)
        self.assertEqual(status, 7, out[-2000:] + err)


if __name__ == "__main__":
    unittest.main()
