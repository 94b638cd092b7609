#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Packs a folder into a cpio archive (newc format) for Cairn's initrd.

    mkinitrd.py [options] DIR OUT     pack DIR's contents into OUT
    mkinitrd.py --list ARCHIVE        print the entries of an archive

The archive is reproducible: the same folder gives the same bytes on any
machine and checkout. Entries are sorted (a directory, then its entries
by name, recursively), owners are 0, inode numbers count from 1, and
unless asked otherwise every modification time is fixed (--mtime, default
$SOURCE_DATE_EPOCH or 0) and permissions are normalised as git keeps them
(files 0644, or 0755 when executable; directories 0755; symlinks 0777).

    --mtime N        the time stamp of every entry (seconds since 1970)
    --keep-mtimes    the files' own modification times
    --keep-modes     the files' own permission bits
    --crc            write 070702 entries with checksums (else 070701)
    --if-changed     leave OUT alone when its content would not change
                     (so that make does not rebuild what depends on it)
    --empty-ok       a missing DIR gives an empty archive
    --quiet          print nothing on success

Regular files, directories and symlinks are packed; hard links keep
sharing their inode (data on the first name); device nodes, fifos and
sockets are left out with a warning. Standard library only.
"""
import argparse
import os
import stat
import sys

MAGIC = b"070701"
MAGIC_CRC = b"070702"
TRAILER = "TRAILER!!!"


def pad4(n):
    return (4 - n % 4) % 4


def header(magic, ino, mode, nlink, mtime, size, name_size, check=0):
    fields = (ino, mode, 0, 0, nlink, mtime, size, 0, 0, 0, 0, name_size,
              check)
    return magic + b"".join(b"%08X" % f for f in fields)


def entry(magic, ino, mode, nlink, mtime, name, data=b""):
    """One newc entry: header, name + NUL, padding, data, padding."""
    bname = name.encode("utf-8", "surrogateescape") + b"\0"
    check = sum(data) & 0xffffffff if magic == MAGIC_CRC else 0
    out = header(magic, ino, mode, nlink, mtime, len(data), len(bname),
                 check) + bname
    out += b"\0" * pad4(len(out))
    out += data + b"\0" * pad4(len(data))
    return out


def walk(top):
    """(relative path, absolute path) of everything under top, in order:
    each directory before its entries, entries sorted by name."""
    out = []

    def visit(rel, path):
        for name in sorted(os.listdir(path)):
            r = rel + "/" + name if rel else name
            p = os.path.join(path, name)
            out.append((r, p))
            if os.path.isdir(p) and not os.path.islink(p):
                visit(r, p)
    visit("", top)
    return out


def norm_mode(st, keep):
    kind = stat.S_IFMT(st.st_mode)
    if keep:
        return kind | stat.S_IMODE(st.st_mode)
    if kind == stat.S_IFDIR:
        return kind | 0o755
    if kind == stat.S_IFLNK:
        return kind | 0o777
    return kind | (0o755 if st.st_mode & 0o111 else 0o644)


def pack(top, a, warn):
    """The archive's bytes and the number of entries."""
    magic = MAGIC_CRC if a.crc else MAGIC
    mtime = a.mtime
    if mtime is None:
        mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    items = walk(top) if top else []
    # Hard links: count the names of each (dev, ino) among regular files.
    names = {}
    for _, p in items:
        st = os.lstat(p)
        if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
            names.setdefault((st.st_dev, st.st_ino), []).append(p)
    out = []
    inos = {}
    count = 0
    for rel, p in items:
        st = os.lstat(p)
        kind = stat.S_IFMT(st.st_mode)
        t = int(st.st_mtime) if a.keep_mtimes else mtime
        mode = norm_mode(st, a.keep_modes)
        if kind == stat.S_IFDIR:
            ino = inos[("dir", p)] = len(inos) + 1
            out.append(entry(magic, ino, mode, 2, t, rel))
        elif kind == stat.S_IFLNK:
            target = os.readlink(p).encode("utf-8", "surrogateescape")
            if not target or len(target) >= 4096:
                warn("%s: symlink target of %d bytes left out" %
                     (p, len(target)))
                continue
            inos[("lnk", p)] = len(inos) + 1
            out.append(entry(magic, inos[("lnk", p)], mode, 1, t, rel,
                             target))
        elif kind == stat.S_IFREG:
            key = (st.st_dev, st.st_ino)
            group = names.get(key, [p])
            if key in inos:         # another name of a file already in
                out.append(entry(magic, inos[key], mode, len(group), t,
                                 rel))
            else:
                inos[key] = len(inos) + 1
                with open(p, "rb") as f:
                    data = f.read()
                out.append(entry(magic, inos[key], mode, len(group), t,
                                 rel, data))
        else:
            warn("%s: not a file, directory or symlink; left out" % p)
            continue
        count += 1
    out.append(entry(magic, 0, 0, 1, 0, TRAILER))
    return b"".join(out), count


def parse(data):
    """Yields (name, mode, size, data) of each entry; ValueError if bad."""
    off = 0
    while True:
        h = data[off:off + 110]
        if len(h) < 110 or h[:6] not in (MAGIC, MAGIC_CRC):
            raise ValueError("bad header at offset %d" % off)
        f = [int(h[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        nsz, size, mode = f[11], f[6], f[1]
        name = data[off + 110:off + 110 + nsz - 1].decode("utf-8",
                                                          "surrogateescape")
        d = off + 110 + nsz
        d += pad4(d)
        if name == TRAILER:
            return
        yield name, mode, size, data[d:d + size]
        off = d + size + pad4(size)


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("dir", nargs="?")
    ap.add_argument("out", nargs="?")
    ap.add_argument("--list", metavar="ARCHIVE")
    ap.add_argument("--mtime", type=int)
    ap.add_argument("--keep-mtimes", action="store_true")
    ap.add_argument("--keep-modes", action="store_true")
    ap.add_argument("--crc", action="store_true")
    ap.add_argument("--if-changed", action="store_true")
    ap.add_argument("--empty-ok", action="store_true")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()

    def warn(msg):
        sys.stderr.write("mkinitrd: warning: %s\n" % msg)

    if a.list:
        with open(a.list, "rb") as f:
            data = f.read()
        try:
            for name, mode, size, _ in parse(data):
                print("%06o %10d %s" % (mode, size, name))
        except ValueError as e:
            sys.stderr.write("mkinitrd: %s: %s\n" % (a.list, e))
            return 1
        return 0
    if not a.dir or not a.out:
        ap.error("DIR and OUT are needed (or --list ARCHIVE)")
    top = a.dir
    if not os.path.isdir(top):
        if not a.empty_ok:
            sys.stderr.write("mkinitrd: error: %s is not a folder\n" % top)
            return 2
        top = None
    data, count = pack(top, a, warn)
    if a.if_changed:
        try:
            with open(a.out, "rb") as f:
                if f.read() == data:
                    return 0
        except OSError:
            pass
    tmp = "%s.%d.tmp" % (a.out, os.getpid())   # writers side by side
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, a.out)
    if not a.quiet:
        print("  INITRD  %s (%d entries, %d bytes, from %s)" % (
            a.out, count, len(data), a.dir if top else "nothing"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
