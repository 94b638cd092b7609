#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write the flat Multiboot1 copy of an x86_64 image: mbimage.py ELF OUT.

QEMU's -kernel (and any Multiboot1 loader that cannot read ELF64) loads
this file: the image's loadable bytes from its first address on, with the
Multiboot1 header of arch/x86_64/boot.S (flag 16: the load addresses are
in the header) 4 KiB in. The ELF itself must not show that header to a
loader: QEMU tries Multiboot before PVH and refuses an ELF64 Multiboot
kernel. Both facts are checked here, so a change of the link layout fails
the build instead of a boot.  Python 3 standard library only.
"""
import struct
import sys

MB1_MAGIC = 0x1BADB002
MB1_SEARCH = 8192          # the header must start in the first 8 KiB
MB1_AOUT_KLUDGE = 1 << 16
PT_LOAD = 1


def fail(msg):
    print("mbimage.py: error: %s" % msg, file=sys.stderr)
    sys.exit(1)


def find_mb1(data):
    """Offset of the first Multiboot1 header with a good checksum, or None."""
    for off in range(0, min(len(data), MB1_SEARCH) - 47, 4):
        magic, flags, csum = struct.unpack_from("<III", data, off)
        if magic == MB1_MAGIC and (magic + flags + csum) & 0xFFFFFFFF == 0:
            return off
    return None


def load_segments(elf):
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        fail("not a little-endian ELF64 file")
    phoff, = struct.unpack_from("<Q", elf, 32)
    phentsize, phnum = struct.unpack_from("<HH", elf, 54)
    segs = []
    for i in range(phnum):
        (ptype, _flags, off, _vaddr, paddr, filesz,
         _memsz, _align) = struct.unpack_from("<IIQQQQQQ", elf,
                                              phoff + i * phentsize)
        if ptype == PT_LOAD and filesz:
            segs.append((paddr, elf[off:off + filesz]))
    if not segs:
        fail("no loadable segment")
    return sorted(segs)


def main(argv):
    if len(argv) != 3:
        fail("usage: mbimage.py IMAGE.elf OUT")
    with open(argv[1], "rb") as f:
        elf = f.read()
    if find_mb1(elf) is not None:
        fail("%s shows a Multiboot1 header in its first 8 KiB: QEMU "
             "-kernel would take it for a Multiboot kernel and refuse the "
             "ELF64 (arch/x86_64/link.ld must keep the header 4 KiB into "
             "the image)" % argv[1])
    segs = load_segments(elf)
    base = segs[0][0]
    end = max(p + len(d) for p, d in segs)
    flat = bytearray(end - base)
    for p, d in segs:
        flat[p - base:p - base + len(d)] = d
    off = find_mb1(flat)
    if off is None:
        fail("no Multiboot1 header in the first 8 KiB of the image")
    (flags, _c, header_addr, load_addr, load_end, bss_end,
     entry) = struct.unpack_from("<IIIIIII", flat, off + 4)
    if not flags & MB1_AOUT_KLUDGE:
        fail("the Multiboot1 header has no load addresses (flag 16)")
    if load_addr != base or header_addr != base + off:
        fail("header addresses %#x/%#x do not match the image at %#x"
             % (header_addr, load_addr, base))
    if load_end != end:
        fail("load_end_addr %#x, but the file's data end at %#x"
             % (load_end, end))
    if not (end <= bss_end and base <= entry < end):
        fail("bss_end_addr %#x or entry_addr %#x out of the image"
             % (bss_end, entry))
    with open(argv[2], "wb") as f:
        f.write(flat)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
