# SPDX-License-Identifier: BSD-3-Clause
"""The screen console's terminal and framebuffer drawing
(drivers/console-vga: term.c, fb.c, font.c) on the host, under
ASan/UBSan: cursor moves, erase, colours, scrolling, and the pixels of the
font at 32 and 24 bits per pixel (tests/hostunit.py runs the cases of
drivers/console-vga/tests/test_term.c)."""
import hostunit

HostConsole = hostunit.cases_class(
    "HostConsole", "console_vga", "drivers/console-vga/tests/test_term.c",
    "test_term.c's cases, built once and run once for the whole class.")
