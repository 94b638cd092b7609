#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Host builds of the file libraries: lib/vfs (path resolution, the calls
on names, the mount table), lib/ramfs and lib/initrd (the cpio reader,
the unpacker), which are platform independent.

  tests  files   their CN_TEST cases that use no POSIX names
                 (lib/vfs/tests/test_path.c, lib/initrd/tests/test_cpio.c
                 and test_initrd.c) with tests/host/files_main.c, gcc with
                 ASan, UBSan and the image's warnings
  fuzz   cpio    tests/host/fuzz_cpio.c: the reader, then the unpacker
  fuzz   path    tests/host/fuzz_path.c: programs of calls on names
                 (clang -fsanitize=fuzzer,address,undefined)

tests/host/files_host.c stands in for lib/log and lib/fdtab. Outputs go
to $CAIRN_TEST_BUILD/host (default build/tests/host), like
tests/host/build.py, whose helpers this uses. Usage:

    build_files.py [tests|fuzz] [NAME...]     build; prints the binaries
"""
import argparse
import concurrent.futures
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "cairn_host_build", os.path.join(HERE, "build.py"))
hb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hb)
ROOT = hb.ROOT
BuildError = hb.BuildError

LIBS = ["lib/vfs/vfs.c", "lib/vfs/path.c", "lib/vfs/ops.c", "lib/vfs/file.c",
        "lib/vfs/mounts.c", "lib/vfs/lock_none.c", "lib/ramfs/ramfs.c",
        "lib/initrd/cpio.c", "lib/initrd/unpack.c", "lib/core/errname.c",
        "tests/host/files_host.c"]
TESTS = ["lib/vfs/tests/test_path.c", "lib/initrd/tests/test_cpio.c",
         "lib/initrd/tests/test_initrd.c", "lib/test/test.c",
         "tests/host/files_main.c"]
FUZZERS = {"cpio": "tests/host/fuzz_cpio.c", "path": "tests/host/fuzz_path.c"}
DEFINES = ['-DCONFIG_LIB_VFS_MOUNTS="ramfs:/"']
# Sections of tables must stay packed: clang's ASan would put red zones
# between the entries of a linker table (gcc leaves sectioned globals).
CLANG_EXTRA = ["-mllvm", "-asan-globals=0"]
PER_FILE = {}


def includes():
    """lib/fdtab's include/ also has <poll.h> and <sys/uio.h>, which must
    not hide the host's: only its <cairn/file.h> is linked into a folder
    of its own."""
    inc = os.path.join(hb.OUT, "files-include")
    link = os.path.join(inc, "cairn", "file.h")
    if not os.path.exists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(os.path.join(ROOT, "lib", "fdtab", "include", "cairn",
                                "file.h"), link)
    dirs = ["lib/vfs/include", "lib/vfs", "lib/initrd/include",
            "lib/devfs/include", "lib/core/include", "lib/test/include",
            "lib/log/include", "lib/initrd/tests",
            "tests/host/include"]  # the host's <cairn/arch/...> bodies
    return [os.path.join(ROOT, d) for d in dirs] + [inc]


def program(out, cc, cflags, ldflags, sources, incs):
    """As build.py's program(), compiling the objects in parallel."""
    flags = ["-I" + hb.rel(d) for d in incs]
    hdrs = hb.headers(incs) + [os.path.abspath(__file__),
                               os.path.join(HERE, "build.py")]
    odir = out + ".o"
    jobs = []
    for src, extra in sources:
        obj = os.path.join(odir, hb.rel(src).replace("/", "__")[:-2] + ".o")
        cmd = [cc] + cflags + flags + list(extra) + ["-c", "-o", obj,
                                                     hb.rel(src)]
        jobs.append((cmd, obj, [src] + hdrs))
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as ex:
        for f in [ex.submit(hb.run, *j) for j in jobs]:
            f.result()              # raises the first BuildError
    objs = [j[1] for j in jobs]
    cmd = [cc] + cflags + ldflags + ["-o", out] + objs
    hb.run(cmd, out, objs + [os.path.join(HERE, "files.ld")])
    return out


def build_tests(name="files"):
    if name != "files":
        raise BuildError("no host test program '%s' (files)" % name)
    hb.need("gcc")
    srcs = [(os.path.join(ROOT, s), PER_FILE.get(s, []))
            for s in LIBS + TESTS]
    flags = ["-std=gnu11"] + hb.SAN_FLAGS + hb.WARN_FLAGS + DEFINES
    ld = ["-Wl,-T," + hb.rel(os.path.join(HERE, "files.ld"))]
    return program(os.path.join(hb.OUT, "tests", "files"), "gcc", flags,
                   ld, srcs, includes())


def build_fuzzer(name):
    if name not in FUZZERS:
        raise BuildError("no fuzzer '%s' (%s)" % (name, " ".join(FUZZERS)))
    hb.need("clang")
    srcs = [(os.path.join(ROOT, s), PER_FILE.get(s, []))
            for s in LIBS + [FUZZERS[name]]]
    flags = ["-std=gnu11"] + hb.FUZZ_FLAGS + CLANG_EXTRA + DEFINES
    ld = ["-Wl,-T," + hb.rel(os.path.join(HERE, "files.ld"))]
    try:
        return program(os.path.join(hb.OUT, "fuzz", name), "clang",
                       flags, ld, srcs, includes())
    except BuildError as e:
        raise BuildError("%s\n(libFuzzer builds need the Debian packages %s)"
                         % (e, hb.CLANG_PACKAGES))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("kind", nargs="?", default="tests",
                    choices=("tests", "fuzz"))
    ap.add_argument("names", nargs="*")
    a = ap.parse_args()
    names = a.names or (["files"] if a.kind == "tests" else sorted(FUZZERS))
    fn = build_tests if a.kind == "tests" else build_fuzzer
    status = 0
    for n in names:
        try:
            print(fn(n))
        except BuildError as e:
            sys.stderr.write("build_files.py: %s\n" % e)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
