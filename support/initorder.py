#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Prints the init functions of an image in the order the boot runs them.

    initorder.py image.map

CN_INIT() places each descriptor in a section .cn_init.<level>.<prio>.<fn>
and the linker script sorts those sections by name, so their order in the
link map is the order in which lib/core/boot.c calls them.
"""
import re
import sys

LEVELS = ["early", "arch", "plat", "mem", "bus", "dev", "lib", "fs", "net",
          "app"]
SECTION = re.compile(r"^\s*\.cn_init\.(\d)\.(\d)\.(\w+)\s*(\S+)?")


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    try:
        lines = open(argv[1]).read().splitlines()
    except OSError as e:
        sys.stderr.write("cairn: error: %s (build the image first)\n" % e)
        return 1
    rows = []
    for i, line in enumerate(lines):
        m = SECTION.match(line)
        if not m:
            continue
        # The input object is on this line or, for long names, the next.
        rest = line[m.end():].split() or lines[i + 1].split()
        obj = rest[-1] if rest else "?"
        lib = obj.split("/")[-2] if "/" in obj else "?"
        rows.append((int(m.group(1)), int(m.group(2)), m.group(3), lib))
    print("%-3s %-6s %-4s %-20s %s" % ("#", "level", "prio", "library",
                                       "function"))
    for n, (lv, pr, fn, lib) in enumerate(rows, 1):
        print("%-3d %-6s %-4d %-20s %s" % (n, LEVELS[lv], pr, lib, fn))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
