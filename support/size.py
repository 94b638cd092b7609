#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Bytes per library in a Cairn image, from the linker's map file.

    size.py IMAGE.map STRIPPED_IMAGE NAME=OBJECT ...

Each selected library is linked into one object (its built-in.o), so the
map says exactly which input sections each library kept after
--gc-sections. picolibc's archive members count as "libc", libgcc's as
"libgcc", the function-name table as "symbols", alignment as "padding".
Columns: code and read-only data, initialised data, zeroed data (.bss,
which takes memory but no space in the file).
"""
import os
import re
import sys

INPUT = re.compile(r"^ (\.\S+|COMMON)(?:\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*))?$")
CONT = re.compile(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$")
FILL = re.compile(r"^ \*fill\*\s+0x[0-9a-f]+\s+0x([0-9a-f]+)")
OUTPUT = re.compile(r"^(\.\S+)")


def kind(out_section):
    if out_section in (".bss", ".tbss"):
        return 2
    if out_section in (".data", ".tdata"):
        return 1
    return 0


def owner(path, objects):
    if path in objects:
        return objects[path]
    if "libc.a(" in path:
        return "libc"
    if "libgcc" in path:
        return "libgcc"
    if path.endswith("syms.o"):
        return "symbols"
    return os.path.basename(path)


def parse(mapfile, objects):
    sizes = {}
    out_section = None
    in_map = False
    pending = None
    for line in open(mapfile):
        line = line.rstrip("\n")
        if line.startswith("Linker script and memory map"):
            in_map = True
            continue
        if not in_map:
            continue
        if pending:
            m = CONT.match(line)
            if m:
                add(sizes, owner(m.group(3).strip(), objects),
                    kind(out_section), int(m.group(2), 16))
            pending = None
            continue
        m = OUTPUT.match(line)
        if m:
            out_section = m.group(1)
            continue
        if out_section in (None, "/DISCARD/") or out_section.startswith(
                (".debug", ".comment", ".note.GNU", ".symtab", ".strtab")):
            continue
        m = FILL.match(line)
        if m:
            add(sizes, "padding", kind(out_section), int(m.group(1), 16))
            continue
        m = INPUT.match(line)
        if m:
            if m.group(2) is None:
                pending = True
            else:
                add(sizes, owner(m.group(4).strip(), objects),
                    kind(out_section), int(m.group(3), 16))
    return sizes


def add(sizes, name, k, n):
    row = sizes.setdefault(name, [0, 0, 0])
    row[k] += n


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    mapfile, image = argv[1], argv[2]
    objects = {}
    for pair in argv[3:]:
        name, _, obj = pair.partition("=")
        objects[obj] = name
    try:
        sizes = parse(mapfile, objects)
    except OSError as e:
        sys.stderr.write("cairn: error: %s (build the image first)\n" % e)
        return 1
    rows = sorted(sizes.items(), key=lambda kv: -sum(kv[1]))
    print("%-24s %10s %8s %8s %10s" % ("library", "code+ro", "data", "bss",
                                       "total"))
    tot = [0, 0, 0]
    for name, (c, d, b) in rows:
        if c + d + b == 0:
            continue
        print("%-24s %10d %8d %8d %10d" % (name, c, d, b, c + d + b))
        tot = [tot[0] + c, tot[1] + d, tot[2] + b]
    print("%-24s %10d %8d %8d %10d" % ("total", tot[0], tot[1], tot[2],
                                       sum(tot)))
    print("image file (stripped): %d bytes" % os.path.getsize(image))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
