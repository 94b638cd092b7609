#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Host builds of Cairn's allocator backends: unit tests, fuzzers, benches;
and the unit tests of other platform-independent code (HOST_LIBS).

The backends (lib/alloc-<name>/) are platform independent, so they also
build for the host, where sanitizers and libFuzzer find what an image
would not. A backend is every lib/alloc-<name>/ folder whose
include/cairn/alloc_<name>.h declares

    struct cn_alloc *cn_<name>_create(void *base, size_t len);

Its sources are the *.c files of its folder except default_heap.c (the
image's default-heap hook), its tests tests/*.c. Three kinds of program:

  tests  <name>   lib/alloc/alloc.c + lib/test/test.c + the backend + its
                  tests + tests/host/main.c, gcc with ASan and UBSan. The
                  default heap is made of the same backend.
         alloc    lib/alloc's own tests (tests/test_alloc.c, over a region
                  allocator) with lib/alloc/libc.c. Every case runs: the
                  C library's names in those two files are renamed
                  (-Dmalloc=cn_libc_malloc ...), so the malloc-family case
                  exercises libc.c on a host default heap, not glibc's.
         virtq    another platform-independent library (HOST_LIBS below):
                  its sources and tests, gcc with ASan, UBSan and the
                  image's warnings, over a region default heap (main.c
                  wants one; the code under test may not use it).
  fuzz   <name>   tests/host/fuzz_alloc.c + alloc.c + the backend, clang
                  -fsanitize=fuzzer,address,undefined.
  bench  <name>   support/bench/alloc/bench.c + alloc.c + the backend at
                  -O2 without sanitizers; `glibc` is the same bench on the
                  host's malloc.

Outputs go to $CAIRN_TEST_BUILD/host (default build/tests/host), one
folder per program; objects are rebuilt when a source or header is newer
or the command changed. Usage:

    build.py --list                  the backends found
    build.py [tests|fuzz|bench] [NAME...]   build; prints the binaries
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(os.environ.get("CAIRN_TEST_BUILD",
                                  os.path.join(ROOT, "build", "tests")), "host")
BENCH_SRC = os.path.join(ROOT, "support", "bench", "alloc")

# The Debian packages that provide clang and libFuzzer's runtime.
CLANG_PACKAGES = "clang libclang-rt-14-dev"

SAN_FLAGS = ["-g", "-O1", "-fsanitize=address,undefined",
             "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"]
FUZZ_FLAGS = ["-g", "-O1", "-fsanitize=fuzzer,address,undefined",
              "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"]
BENCH_FLAGS = ["-O2", "-g", "-DNDEBUG"]

# lib/alloc/libc.c's functions: renamed on the host (see "alloc" above).
LIBC_NAMES = ("malloc", "free", "calloc", "realloc", "memalign",
              "aligned_alloc", "posix_memalign", "valloc",
              "malloc_usable_size")


# Platform-independent code outside the allocators whose CN_TEST cases
# also run on the host: name -> (folder, its sources, its tests).
HOST_LIBS = {
    "virtq": ("drivers/virtio", ["virtq.c"], ["tests/test_virtq.c"]),
    "http": ("lib/httpd", ["parse.c", "encoding.c"],
             ["tests/test_parse.c", "tests/test_encoding.c"]),
    "fdt": ("lib/fdt", ["fdt.c"], ["tests/test_fdt.c"]),
    # <cairn/spinlock.h>'s SMP bodies, POSIX threads for CPUs.
    "spinlock": ("lib/core", [], ["tests/test_spinlock_host.c"]),
    "fatfs": ("lib/fatfs", ["fat_meta.c"], ["tests/test_fat_meta.c"]),
    "9p": ("lib/9pfs", ["proto.c"], ["tests/test_9p.c"]),
    "random": ("lib/random", ["chacha.c"], ["tests/test_chacha.c"]),
    "lwip_chksum": ("lib/lwip", ["chksum.c"], ["tests/test_chksum.c"]),
    "console_vga": ("drivers/console-vga", ["term.c", "fb.c", "font.c"],
                    ["tests/test_term.c"]),
}
# The image's warnings (Makefile, COMMON_CFLAGS), for HOST_LIBS programs.
WARN_FLAGS = ["-Wall", "-Wextra", "-Wno-unused-parameter",
              "-Wmissing-prototypes", "-Werror"]


class BuildError(Exception):
    pass


class Backend:
    def __init__(self, name, folder):
        self.name = name
        self.dir = folder
        self.create = "cn_%s_create" % name
        self.include = os.path.join(folder, "include")
        self.srcs = sorted(f for f in glob.glob(os.path.join(folder, "*.c"))
                           if os.path.basename(f) != "default_heap.c")
        self.tests = sorted(glob.glob(os.path.join(folder, "tests", "*.c")))
        self.has_default_heap = os.path.exists(
            os.path.join(folder, "default_heap.c"))

    def __repr__(self):
        return "Backend(%s)" % self.name


def backends():
    """The backends found under lib/, sorted by name."""
    found = []
    for folder in sorted(glob.glob(os.path.join(ROOT, "lib", "alloc-*"))):
        name = os.path.basename(folder)[len("alloc-"):]
        hdr = os.path.join(folder, "include", "cairn", "alloc_%s.h" % name)
        try:
            text = open(hdr).read()
        except OSError:
            continue
        decl = (r"struct\s+cn_alloc\s*\*\s*cn_%s_create\s*\(\s*void\s*\*\s*"
                r"base\s*,\s*size_t\s+len\s*\)\s*;" % re.escape(name))
        if re.search(decl, text):
            found.append(Backend(name, folder))
    return found


def backend(name):
    for b in backends():
        if b.name == name:
            return b
    raise BuildError("no allocator backend '%s' (lib/alloc-%s/ with "
                     "include/cairn/alloc_%s.h declaring cn_%s_create)"
                     % (name, name, name, name))


def rel(path):
    return os.path.relpath(path, ROOT)


def headers(dirs):
    out = []
    for d in dirs:
        out += glob.glob(os.path.join(d, "**", "*.h"), recursive=True)
    return out


def stale(target, cmd, inputs):
    """True when target must be rebuilt (missing, older, other command)."""
    stamp = target + ".cmd"
    try:
        if open(stamp).read() != "\0".join(cmd):
            return True
        t = os.path.getmtime(target)
    except OSError:
        return True
    return any(os.path.getmtime(i) > t for i in inputs if os.path.exists(i))


def run(cmd, target, inputs):
    if not stale(target, cmd, inputs):
        return
    os.makedirs(os.path.dirname(target), exist_ok=True)
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        raise BuildError("%s\nfailed (%d):\n%s%s" % (
            " ".join(cmd), p.returncode, p.stdout[-4000:], p.stderr[-4000:]))
    with open(target + ".cmd", "w") as f:
        f.write("\0".join(cmd))


def program(out, cc, cflags, ldflags, sources, includes):
    """Compiles sources [(file, extra flags)] to objects and links out."""
    incs = ["-I" + rel(d) for d in includes]
    hdrs = headers(includes) + [os.path.abspath(__file__)]
    objs = []
    odir = out + ".o"
    for src, extra in sources:
        obj = os.path.join(odir, rel(src).replace("/", "__")[:-2] + ".o")
        cmd = [cc] + cflags + incs + list(extra) + ["-c", "-o", obj, rel(src)]
        run(cmd, obj, [src] + hdrs)
        objs.append(obj)
    cmd = [cc] + cflags + ldflags + ["-o", out] + objs
    run(cmd, out, objs + [os.path.join(HERE, "tests.ld")])
    return out


def core_includes(b=None):
    # tests/host/include: the host's bodies behind <cairn/arch.h>.
    inc = [os.path.join(ROOT, "lib", "alloc", "include"),
           os.path.join(ROOT, "lib", "core", "include"),
           os.path.join(ROOT, "lib", "test", "include"),
           os.path.join(ROOT, "tests", "host", "include")]
    return inc + ([b.include] if b else [])


def need(tool):
    if not shutil.which(tool):
        raise BuildError("%s not found: install it (Debian packages: %s)"
                         % (tool, "gcc" if tool == "gcc" else CLANG_PACKAGES))


def build_tests(name):
    """The ASan/UBSan unit-test binary of backend name, of lib/alloc's
    API tests for name == "alloc", or of a HOST_LIBS entry. Returns its
    path."""
    need("gcc")
    alloc = os.path.join(ROOT, "lib", "alloc")
    common = [(os.path.join(alloc, "alloc.c"), []),
              (os.path.join(ROOT, "lib", "test", "test.c"), [])]
    includes = []
    if name in HOST_LIBS:
        folder, lsrcs, ltests = HOST_LIBS[name]
        folder = os.path.join(ROOT, folder)
        b = backend("region")
        extra = [(os.path.join(folder, f), WARN_FLAGS)
                 for f in lsrcs + ltests]
        includes = [os.path.join(folder, "include")]
    elif name == "alloc":
        b = backend("region")
        rename = ["-D%s=cn_libc_%s" % (n, n) for n in LIBC_NAMES]
        extra = [(os.path.join(alloc, "libc.c"), rename),
                 (os.path.join(alloc, "tests", "test_alloc.c"), rename)]
    else:
        b = backend(name)
        if not b.tests:
            raise BuildError("lib/alloc-%s has no tests/*.c" % name)
        extra = [(f, []) for f in b.tests]
    create = ["-DBACKEND_CREATE=%s" % b.create]
    srcs = common + [(f, []) for f in b.srcs] + extra + \
        [(os.path.join(HERE, "main.c"), create)]
    flags = ["-std=gnu11"] + SAN_FLAGS
    ld = ["-Wl,-T," + rel(os.path.join(HERE, "tests.ld"))]
    return program(os.path.join(OUT, "tests", name), "gcc", flags, ld, srcs,
                   core_includes(b) + includes)


def build_fuzzer(name):
    """The libFuzzer binary for backend name. Returns its path."""
    need("clang")
    b = backend(name)
    srcs = [(os.path.join(ROOT, "lib", "alloc", "alloc.c"), [])] + \
        [(f, []) for f in b.srcs] + \
        [(os.path.join(HERE, "fuzz_alloc.c"),
          ["-DBACKEND_CREATE=%s" % b.create])]
    try:
        return program(os.path.join(OUT, "fuzz", name), "clang",
                       ["-std=gnu11"] + FUZZ_FLAGS, [], srcs,
                       core_includes(b))
    except BuildError as e:
        raise BuildError("%s\n(libFuzzer builds need the Debian packages %s)"
                         % (e, CLANG_PACKAGES))


def build_bench(name):
    """The -O2 trace-replay bench for backend name or "glibc"."""
    need("gcc")
    bench = os.path.join(BENCH_SRC, "bench.c")
    if name == "glibc":
        srcs = [(bench, ["-DBENCH_GLIBC"])]
        b = None
    else:
        b = backend(name)
        srcs = [(os.path.join(ROOT, "lib", "alloc", "alloc.c"), [])] + \
            [(f, []) for f in b.srcs] + \
            [(bench, ["-DBACKEND_CREATE=%s" % b.create,
                      "-DBACKEND_NAME=\"%s\"" % name])]
    return program(os.path.join(OUT, "bench", name), "gcc",
                   ["-std=gnu11"] + BENCH_FLAGS, [], srcs,
                   core_includes(b) + [BENCH_SRC])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("kind", nargs="?", default="tests",
                    choices=("tests", "fuzz", "bench"))
    ap.add_argument("names", nargs="*")
    a = ap.parse_args()
    if a.list:
        for b in backends():
            print("%-8s %s  srcs: %s  tests: %s%s" % (
                b.name, rel(b.dir), " ".join(map(os.path.basename, b.srcs)),
                " ".join(map(os.path.basename, b.tests)) or "(none)",
                "" if b.has_default_heap else "  (no default_heap.c)"))
        for n, (folder, srcs, tests) in sorted(HOST_LIBS.items()):
            print("%-8s %s  srcs: %s  tests: %s  (tests only)" % (
                n, folder, " ".join(srcs), " ".join(tests)))
        return 0
    names = a.names or ([b.name for b in backends()] +
                        (["alloc"] + sorted(HOST_LIBS)
                         if a.kind == "tests" else []) +
                        (["glibc"] if a.kind == "bench" else []))
    fn = {"tests": build_tests, "fuzz": build_fuzzer,
          "bench": build_bench}[a.kind]
    status = 0
    for n in names:
        try:
            print(fn(n))
        except BuildError as e:
            sys.stderr.write("build.py: %s\n" % e)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
