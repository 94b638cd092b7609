# SPDX-License-Identifier: BSD-3-Clause
"""The screen console and the PS/2 keyboard (drivers/console-vga,
drivers/ps2-kbd) on -M pc with a VGA: keys pressed through QEMU's QMP
`send-key` reach lib/shell like bytes from the serial port (Shift, Caps
Lock, history with arrow up, Home, Delete), in scan code set 1 and 2; the
VGA text buffer at 0xB8000, read with QMP `pmemsave`, shows what the
serial console shows, and QMP `screendump` of the text mode, read back
pixel by pixel with Cairn's font (loaded into the VGA), shows the same; bad parameters stop the image before main, and a
machine without VGA or keyboard controller (microvm) says so and goes
on. One image, two guests side by side. The same image packed as an ISO
(make image) and booted by GRUB under SeaBIOS with a VGA gets a
framebuffer: QMP `screendump` shows the console drawn in Cairn's font."""
import importlib.util
import os
import re
import shutil
import tempfile
import threading
import unittest

import cairn
from test_shell import PROMPT, Shell

VGA_TEXT, VGA_BYTES = 0xB8000, 80 * 25 * 2
SHELL_SCREEN = ("apps/shell", "shell-screen",
                ["CONFIG_APP_SHELL_TEST_CMDS=y", "CONFIG_DRV_CONSOLE_VGA=y",
                 "CONFIG_DRV_PS2_KBD=y"])


def screen_rows(mem):
    """The 25 rows of 80 characters in a VGA text buffer dump."""
    return ["".join(chr(mem[(r * 80 + c) * 2]) for c in range(80)).rstrip()
            for r in range(25)]


class ScreenAndKeyboard(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build(*SHELL_SCREEN)
        cls.tmp = tempfile.TemporaryDirectory(prefix="cairn-screen-")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def session(self, name, params):
        """Boots the shell with a VGA and a QMP socket; types on the
        keyboard only; returns (serial text, screen rows)."""
        sock = os.path.join(self.tmp.name, name + ".qmp")
        sh = Shell(self.image, params=params, launcher_args=(
            "--extra", "-device VGA -qmp unix:%s,server,nowait" % sock))
        qmp = None
        try:
            sh.wait_for(re.escape(PROMPT), timeout=60)
            qmp = cairn.Qmp(sock)
            start = sh.mark()
            # Shift makes capitals.
            qmp.type("echo Hi There\r")
            sh.wait_for(r"\nHi There\r?\n" + re.escape(PROMPT), start)
            # Arrow up recalls it; Enter runs it again.
            start = sh.mark()
            qmp.keys("up", "ret")
            sh.wait_for(r"\nHi There\r?\n" + re.escape(PROMPT), start)
            # Caps Lock for letters only; Shift inverts it.
            start = sh.mark()
            qmp.keys("e", "c", "h", "o", "spc", "caps_lock", "a", "b",
                     "shift-c", "1", "caps_lock", "d", "ret")
            sh.wait_for(r"\nABc1d\r?\n" + re.escape(PROMPT), start)
            # Left, Delete, Home: "cho zzX" -> "cho zz" -> "echo zz".
            start = sh.mark()
            qmp.type("cho zzX")
            qmp.keys("left", "delete", "home", "e", "ret")
            sh.wait_for(r"\nzz\r?\n" + re.escape(PROMPT), start)
            # Ctrl-U empties the line.
            start = sh.mark()
            qmp.type("echo gone")
            qmp.keys("ctrl-u")
            qmp.type("echo kept\r")
            sh.wait_for(r"\nkept\r?\n" + re.escape(PROMPT), start)
            rows = screen_rows(qmp.memory(VGA_TEXT, VGA_BYTES, os.path.join(
                self.tmp.name, name + ".screen")))
            shot = os.path.join(self.tmp.name, name + ".ppm")
            qmp.cmd("screendump", filename=shot)
            qmp.cmd("quit")
            return sh.text(), rows, shot
        finally:
            if qmp:
                qmp.close()
            sh.kill()

    def check(self, params, set_no):
        # An unknown parameter's warning is logged before any driver
        # starts: the screen gets it from the log ring.
        out, rows, shot = self.session("set%d" % set_no,
                                       params + " nosuch.p=1")
        self.assertIn("WARN core: unknown parameter 'nosuch.p' ignored",
                      rows[0])
        self.assertIn("ps2-kbd: PS/2 keyboard, scan code set %d, IRQ 1"
                      % set_no, out)
        self.assertNotIn("gone", out.split("echo kept")[-1])
        screen = "\n".join(rows)
        # The screen shows what the serial port got: the boot log
        # (replayed from the log ring), the greeting, each command and
        # its output, and the prompt last, with the cursor moves applied.
        self.assertIn("console-vga: console on VGA text mode, 80x25", screen)
        self.assertIn("Cairn shell: 'help' lists the commands", rows)
        for line in ("cairn> echo Hi There", "Hi There", "cairn> echo ABc1d",
                     "ABc1d", "cairn> echo zz", "zz", "cairn> echo kept",
                     "kept"):
            self.assertIn(line, rows, screen)
        self.assertEqual(rows[rows.index("kept") + 1], "cairn>", screen)
        self.assertEqual(rows.count("Hi There"), 2, screen)
        # What QEMU shows (its screendump of the text mode, 80x25 cells
        # of 9x16 pixels) is what the text buffer holds, in Cairn's font
        # (console_vga.font, loaded into the character generator): the
        # greeting, each command and its output, read back pixel by pixel.
        w, h, _ = read_ppm(shot)
        self.assertEqual((w, h), (720, 400))
        shown = [r.rstrip("_").rstrip() for r in screen_text(shot, 9)]
        self.assertEqual(shown, rows, "\n".join(shown))
        self.assertIn("Cairn shell: 'help' lists the commands", shown)
        self.assertIn("kept", shown)

    def test_keyboard_drives_the_shell_and_the_screen_shows_it(self):
        errors = []

        def other():
            try:
                self.check("console=serial,vga ps2_kbd.set=2", 2)
            except BaseException as e:          # reported below
                errors.append(e)
        t = threading.Thread(target=other)
        t.start()
        try:
            self.check("console=serial,vga", 1)
        finally:
            t.join()
        if errors:
            raise errors[0]

    def test_bad_parameters_stop_before_main(self):
        for params, msg in (
                ("console=serial,lcd", "parameter console: invalid value "
                 "'serial,lcd' (expected consoles that get the output"),
                ("ps2_kbd.set=3", "parameter ps2_kbd.set: invalid value "
                 "'3'")):
            status, out, _ = cairn.boot(self.image, params=params)
            self.assertEqual(status, 64, out)
            self.assertIn(msg, out)

    def test_without_vga_or_controller_the_serial_shell_works(self):
        status, out, _ = cairn.boot(self.image, machine="microvm",
                                    params="console=serial,vga",
                                    stdin=b"echo still here\rpoweroff 3\r")
        self.assertIn("no screen console: this machine has no VGA", out)
        self.assertIn("ps2-kbd: no i8042 keyboard controller", out)
        self.assertIn("still here", out)
        self.assertEqual(status, 3, out)
        # the driver is in the image: it says why, lib/core does not
        self.assertNotIn("console driver", out)

    def test_an_image_without_the_driver_says_so(self):
        """console=serial,vga on an image without drivers/console-vga:
        one warning, and the app runs on the serial console."""
        image = cairn.build("apps/helloworld", "helloworld")
        status, out, _ = cairn.boot(image, params="console=serial,vga",
                                    args="hi")
        self.assertEqual(status, 0, out)
        self.assertEqual(out.count(
            "WARN core: console=serial,vga: this image has no vga console "
            "driver (make menuconfig > Drivers); output stays on the serial "
            "port"), 1, out)
        self.assertIn('argv[1] = "hi"', out)


if __name__ == "__main__":
    unittest.main()


UNKNOWN = "\ufffd"


def font_cells():
    """The 16 pixel rows (8 bits each) of every character of Cairn's font,
    from the drawings in drivers/console-vga/mkfont.py, the way mkfont
    lays them out: {rows: character}."""
    spec = importlib.util.spec_from_file_location("mkfont", os.path.join(
        cairn.ROOT, "drivers", "console-vga", "mkfont.py"))
    mkfont = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mkfont)
    cells = {}
    for ch, drawing in mkfont.parse().items():
        rows = [0]
        for line in drawing:
            bits = sum(0x80 >> (x + 1) for x, p in enumerate(line) if p == "#")
            rows += [bits, bits]
        cells[tuple(rows + [0])] = ch
    return cells


def read_ppm(path):
    """(width, height, RGB bytes) of a binary PPM (QEMU's screendump)."""
    with open(path, "rb") as f:
        data = f.read()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    if not m:
        raise AssertionError("not a PPM screendump: %r" % data[:20])
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():m.end() + w * h * 3]


def screen_text(path, cell_width=8):
    """The text on a screendump, read back cell by cell (cell_width x 16
    pixels: 8 on a framebuffer, 9 in VGA text mode, whose ninth column is
    the gap; the first 8 columns read, any non-black pixel lit) with
    Cairn's font: rows of text, a cell that is no character as UNKNOWN,
    the cursor (an underline on the last two pixel rows) as '_'."""
    cells = font_cells()
    w, h, px = read_ppm(path)
    rows = []
    for cy in range(h // 16):
        line = []
        for cx in range(w // cell_width):
            bits = []
            for y in range(cy * 16, cy * 16 + 16):
                o = (y * w + cx * cell_width) * 3
                bits.append(sum(0x80 >> b for b in range(8)
                                if any(px[o + 3 * b:o + 3 * b + 3])))
            if bits[14] == bits[15] == 0xff and not any(bits[:14]):
                line.append("_")
            else:
                line.append(cells.get(tuple(bits), UNKNOWN))
        rows.append("".join(line).rstrip())
    return rows


class FramebufferFromIso(unittest.TestCase):
    """shell-screen as an ISO (make image PARAMS=console=serial,vga),
    booted by GRUB under SeaBIOS with QEMU's standard VGA: GRUB sets a VBE
    graphics mode for the Multiboot2 framebuffer tag, the console draws
    on it; a command typed with QMP send-key runs, and the screendump,
    read back with the font, shows the boot log, the greeting, the
    command, its output and the cursor after the prompt."""

    def test_console_drawn_on_the_framebuffer(self):
        tmp = tempfile.mkdtemp(prefix="cairn-fb-")
        self.addCleanup(shutil.rmtree, tmp, True)
        o = os.path.dirname(cairn.build(*SHELL_SCREEN))
        iso = os.path.join(tmp, "shell.iso")
        cairn.make("APP=apps/shell", "image", "FORMAT=iso", "OUT=" + iso,
                   "PARAMS=console=serial,vga", "ARGS=", o=o)
        sock, shot = os.path.join(tmp, "qmp"), os.path.join(tmp, "s.ppm")
        g = cairn.Background([
            cairn.PYTHON, os.path.join(cairn.ROOT, "support", "qemu.py"),
            "--boot-image", iso, "--firmware", "seabios", "--snapshot",
            "--timeout", "300", "--extra",
            "-vga std -qmp unix:%s,server,nowait" % sock])
        self.addCleanup(g.stop)
        m = g.wait_for(r"console-vga: console on framebuffer, (\d+)x(\d+) "
                       r"characters", 300)
        cols, lines = int(m.group(1)), int(m.group(2))
        g.wait_for(r"Cairn shell: 'help' lists the commands", 60)
        qmp = cairn.Qmp(sock)
        self.addCleanup(qmp.close)
        qmp.type("echo Hi There\r")
        g.wait_for(r"\nHi There\r?\n", 60)
        # The screen is drawn before the serial line ends; a prompt after
        # the output is on both once the next line is typed.
        qmp.type("echo On Screen\r")
        g.wait_for(r"\nOn Screen\r?\n", 60)
        qmp.cmd("screendump", filename=shot)
        qmp.cmd("quit")
        w, h, _ = read_ppm(shot)
        self.assertEqual((w // 8, h // 16), (cols, lines))
        rows = screen_text(shot)
        screen = "\n".join(rows)
        self.assertIn("console-vga: console on framebuffer, %dx%d characters"
                      % (cols, lines), screen)
        self.assertIn("Cairn shell: 'help' lists the commands", rows)
        for line in ("cairn> echo Hi There", "Hi There",
                     "cairn> echo On Screen", "On Screen"):
            self.assertIn(line, rows, screen)
        self.assertEqual(rows[rows.index("On Screen") + 1], "cairn> _",
                         screen)
        self.assertNotIn(UNKNOWN, screen)
