#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Adds file:line to the frames of a Cairn crash report.

    support/symbolize.py [ELF] [O=dir] < report         a saved report
    make run 2>&1 | support/symbolize.py ELF [O=dir]    as the lines arrive

A crash report (panic, failed assertion, CPU exception) prints a
backtrace with addresses and function+offset, and ends with the line

    symbolize: support/symbolize.py crash_qemu-x86_64.elf < report ...

naming the image's .elf, which keeps the debug information the booted
image has not. The image names it relative to its build folder (where it
was built must not change its bytes): an ELF that is not found as given
is looked up in the build folder, O=dir (or $O), default build/, relative
to this directory and then to the source tree. This script copies its input to its output and appends to
every frame (`#3  0x... main+0x34`) and to the faulting instruction
(`at crash_null_read+0x7 (0x...)`) the source location addr2line finds in
the .elf, with the functions inlined there; a frame without a name gets
one. Without ELF, it is taken from the report's `symbolize:` line (the
input is then read whole first). Return addresses (every frame of a
panic, frames #1 and up of an exception) are looked up one byte back, at
the call instruction.

Needs addr2line (Debian package binutils) and an image built with debug
information (Build options > Debug information, the default).
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

FRAME = re.compile(r"^(\s*#(\d+)\s+0x([0-9a-fA-F]+)\s+)(\S+)(.*)$")
RIP = re.compile(r"^(\s*at\s+)(\S+) \(0x([0-9a-fA-F]+)\)\s*$")
HINT = re.compile(r"symbolize: support/symbolize\.py (\S+)")


def short(path):
    """A path relative to the source tree when it is inside it (images
    are built with the tree's paths already relative, ./ at most)."""
    if path.startswith(ROOT + os.sep):
        return path[len(ROOT) + 1:]
    while path.startswith("./"):
        path = path[2:]
    return path


def addr2line_for(elf):
    """addr2line for the ELF's machine: the host's, or the cross binutils'
    (aarch64-linux-gnu-addr2line for an arm64 image) when there is one."""
    try:
        with open(elf, "rb") as f:
            head = f.read(20)
    except OSError:
        return "addr2line"
    if head[:4] == b"\x7fELF" and head[18:20] == b"\xb7\x00":  # EM_AARCH64
        import shutil
        if shutil.which("aarch64-linux-gnu-addr2line"):
            return "aarch64-linux-gnu-addr2line"
    return "addr2line"


class Resolver:
    def __init__(self, elf):
        self.elf = elf
        self.addr2line = addr2line_for(elf)
        self.cache = {}
        # A CPU exception's frame #0 is the faulting instruction itself; a
        # panic's frames are all return addresses.
        self.panic = False

    def lookup(self, addr):
        """[(function, 'file:line'), ...] innermost first, or []."""
        if addr in self.cache:
            return self.cache[addr]
        try:
            out = subprocess.run(
                [self.addr2line, "-e", self.elf, "-f", "-i", "-C",
                 "0x%x" % addr], capture_output=True, text=True,
                timeout=30).stdout.splitlines()
        except (OSError, subprocess.TimeoutExpired):
            out = []
        result = []
        for fn, loc in zip(out[0::2], out[1::2]):
            loc = re.sub(r" \(discriminator \d+\)$", "", loc)
            if fn == "??" and loc.startswith("??"):
                continue
            path, _, line = loc.rpartition(":")
            result.append((fn, "%s:%s" % (short(path), line)))
        self.cache[addr] = result
        return result

    def annotate(self, line):
        if "PANIC: " in line or "CRASH: " in line:
            self.panic = "PANIC: " in line
        m = FRAME.match(line)
        if m:
            addr = int(m.group(3), 16)
            if int(m.group(2)) > 0 or self.panic:
                addr -= 1	# a return address: look up the call
            return self.render(m.group(1), m.group(4), m.group(5), addr)
        m = RIP.match(line)
        if m:
            return self.render(m.group(1), m.group(2),
                               " (0x%s)" % m.group(3), int(m.group(3), 16))
        return line

    def render(self, head, name, tail, addr):
        where = self.lookup(addr)
        if not where:
            return head + name + tail
        fn, loc = where[0]
        if name == "?":
            name = fn
        text = "%s%s%s  %s" % (head, name, tail, loc)
        for outer_fn, outer_loc in where[1:]:
            text += "\n%s    inlined in %s at %s" % (
                " " * (len(head) - len(head.lstrip())), outer_fn, outer_loc)
        return text


def main(argv):
    if len(argv) > 1 and argv[1] in ("-h", "--help"):
        sys.stdout.write(__doc__)
        return 0
    build = os.environ.get("O") or "build"
    rest = []
    for arg in argv[1:]:
        if arg.startswith("O="):
            build = arg[2:]
        else:
            rest.append(arg)
    elf = rest[0] if rest else None
    lines = None
    if elf is None:
        lines = sys.stdin.read().splitlines()
        for line in lines:
            m = HINT.search(line)
            if m:
                elf = m.group(1)
        if elf is None:
            sys.stderr.write("symbolize: no ELF given and no 'symbolize:' "
                             "line in the input\n")
            return 2
    if not os.path.isabs(elf) and not os.path.exists(elf):
        for where in (build, os.path.join(ROOT, build), ROOT):
            if os.path.isfile(os.path.join(where, elf)):
                elf = os.path.join(where, elf)
                break
    if not os.path.isfile(elf):
        sys.stderr.write("symbolize: %s not found here nor in the build "
                         "folder %s (give O=dir, or build the image first)\n"
                         % (elf, build))
        return 2
    r = Resolver(elf)
    source = lines if lines is not None else (
        l.rstrip("\n") for l in iter(sys.stdin.readline, ""))
    for line in source:
        sys.stdout.write(r.annotate(line.rstrip("\r")) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
