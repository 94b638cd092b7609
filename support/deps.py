#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Fetch, check and build Cairn's host tools and third-party sources.

Subcommands:
  tools [--need a,b] [--quiet]  check host commands; as root on Debian,
                                install the missing ones with apt-get
  test-tools, bench-tools,      the same for what make test, the
  disk-tools, image-tools       network benchmarks (wrk ...), make disk
                                (mkfs.fat, mtools) and make image (GRUB,
                                xorriso, qemu-img, OVMF) need
  deploy-tools [--boot-libvirt] the same for make vmm-config and make oci
                                (virt-xml-validate, qemu-img, skopeo,
                                umoci; with the flag also libvirt's daemon)
  source NAME                   download (through apt, from the Debian
                                mirror this machine already uses), verify
                                and unpack an upstream tarball; prints the
                                source directory
  picolibc [--arch A] [--cc CC] build picolibc for Cairn's freestanding
                                x86_64 (default) or arm64 target; prints
                                the install prefix
  lwip                          same as 'source lwip'

Everything lands in the cache: $CAIRN_CACHE, else
${XDG_CACHE_HOME:-$HOME/.cache}/cairn.  Only the requested path goes to
stdout; progress and errors go to stderr.  Python 3.9+ standard library.
"""

import argparse
import glob
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

# command -> Debian package providing it
TOOLS = {
    "gcc": "gcc",
    "ld": "binutils",
    "objcopy": "binutils",
    "nm": "binutils",
    "make": "make",
    "qemu-system-x86_64": "qemu-system-x86",
    "kconfig-mconf": "kconfig-frontends",
    "kconfig-conf": "kconfig-frontends",
    "meson": "meson",
    "ninja": "ninja-build",
    "xz": "xz-utils",
    "tar": "tar",
    # HTTPS's build-time certificate (lib/httpd): asked for with --need
    # by the build that makes one (OPTIONAL_TOOLS), not by every build.
    "openssl": "openssl",
    # C++ sources (lib/cxx, apps/hello-cpp): asked for by their rules.
    "g++": "g++",
    "aarch64-linux-gnu-g++": "g++-aarch64-linux-gnu",
}
OPTIONAL_TOOLS = {"openssl", "g++", "aarch64-linux-gnu-g++"}

# What an architecture other than the host's needs beyond TOOLS (deps.py
# tools --arch NAME): its cross compiler and binutils, its QEMU and a gdb
# that understands it. x86_64 images are built by the host's own gcc.
ARCH_TOOLS = {
    "x86_64": {},
    "arm64": {
        "aarch64-linux-gnu-gcc": "gcc-aarch64-linux-gnu",
        "aarch64-linux-gnu-ld": "binutils-aarch64-linux-gnu",
        "aarch64-linux-gnu-objcopy": "binutils-aarch64-linux-gnu",
        "aarch64-linux-gnu-nm": "binutils-aarch64-linux-gnu",
        "qemu-system-aarch64": "qemu-system-arm",
        "gdb-multiarch": "gdb-multiarch",
    },
}

# What `make test` needs beyond the build (deps.py test-tools): gdb for the
# debug test, tmux for the menu test, clang and libFuzzer's runtime for the
# allocators' sanitizer and fuzzing runs on the host, iproute2 and ping
# for the network tests in a namespace with a tap device, curl for HTTP,
# ApacheBench (ab) as an HTTP/1.0 keep-alive client.
TEST_TOOLS = {
    "gdb": "gdb",
    "tmux": "tmux",
    "clang": "clang",
    "libFuzzer": "libclang-rt-14-dev",
    "ip": "iproute2",
    "ping": "iputils-ping",
    "ab": "apache2-utils",
    "mkfs.fat": "dosfstools",
    "fsck.fat": "dosfstools",
    "mcopy": "mtools",
    "openssl": "openssl",       # test_https's s_client
    "sqlite3": "sqlite3",       # test_sqlite reads the guest's database
}

# What `make disk` needs (deps.py disk-tools): dosfstools' mkfs.fat makes
# the FAT volume, mtools' mcopy/mmd fill it from a folder; fsck.fat and
# mdir/mtype are the tests' judges of what a guest wrote.
DISK_TOOLS = {
    "mkfs.fat": "dosfstools",
    "fsck.fat": "dosfstools",
    "mcopy": "mtools",
    "mmd": "mtools",
    "mdir": "mtools",
}

# What make vmm-config, make oci and their tests need (deps.py
# deploy-tools): libvirt's schema check of the domain XML and virsh,
# qemu-img for a containerDisk's qcow2, skopeo and umoci to read the OCI
# layout back. DEPLOY_BOOT_TOOLS (--boot-libvirt): the daemon that lets
# virsh boot the domain against a session QEMU (tests/test_deploy.py).
DEPLOY_TOOLS = {
    "virt-xml-validate": "libvirt-clients",
    "virsh": "libvirt-clients",
    "qemu-img": "qemu-utils",
    "skopeo": "skopeo",
    "umoci": "umoci",
    "python3-yaml": "python3-yaml",     # the tests read doc/deploying.md
}
DEPLOY_BOOT_TOOLS = {
    "libvirtd": "libvirt-daemon",
    "libvirt_driver_qemu.so": "libvirt-daemon-driver-qemu",
}

# What `make image` and its boot tests need (deps.py image-tools):
# grub-mkrescue (grub-common) with the BIOS and UEFI GRUB modules, xorriso
# to write the ISO, mtools for the FAT partitions and the ISO's EFI image,
# qemu-img to convert a raw disk, and OVMF, the UEFI firmware the tests
# boot the images with (SeaBIOS comes with QEMU).
IMAGE_TOOLS = {
    "grub-mkrescue": "grub-common",
    "grub-mkimage": "grub-common",
    "grub-pc-modules": "grub-pc-bin",
    "grub-efi-modules": "grub-efi-amd64-bin",
    "xorriso": "xorriso",
    "mformat": "mtools",
    "mcopy": "mtools",
    "mmd": "mtools",
    "mkfs.fat": "dosfstools",
    "qemu-img": "qemu-utils",
    "OVMF_CODE.fd": "ovmf",
}

# What the side-by-side network benchmarks need beyond the build (deps.py
# bench-tools): wrk, the HTTP load generator of make bench-http, and
# iproute2 for their network namespace with a tap device.
BENCH_TOOLS = {
    "wrk": "wrk",
    "ip": "iproute2",
}

# What the benchmarks' Linux guest of another architecture needs (deps.py
# bench-tools --arch NAME): a C library to link its static programs.
BENCH_ARCH_TOOLS = {
    "x86_64": {},
    "arm64": {"aarch64-libc.a": "libc6-dev-arm64-cross"},
}

# Tools that are files, not commands: where they are found.
TOOL_FILES = {
    "libFuzzer": "/usr/lib/llvm-*/lib/clang/*/lib/linux/"
                 "libclang_rt.fuzzer-x86_64.a",
    "aarch64-libc.a": "/usr/aarch64-linux-gnu/lib/libc.a",
    "libvirt_driver_qemu.so": "/usr/lib/*/libvirt/connection-driver/"
                              "libvirt_driver_qemu.so",
    "python3-yaml": "/usr/lib/python3/dist-packages/yaml/__init__.py",
    "grub-pc-modules": "/usr/lib/grub/i386-pc/modinfo.sh",
    "grub-efi-modules": "/usr/lib/grub/x86_64-efi/modinfo.sh",
    "OVMF_CODE.fd": "/usr/share/OVMF/OVMF_CODE.fd",
}

# Upstream sources, taken from Debian's source packages (orig tarballs).
SOURCES = {
    "picolibc": {
        "suite": "trixie",
        "version": "1.8.10-2",
        "file": "picolibc_1.8.10.orig.tar.gz",
        "sha256": "d1fc2a20f217472f8d9da084a519a25678e8d91852a41c7f3f1840d3508f7163",
    },
    "lwip": {
        "suite": "trixie",
        "version": "2.2.1+dfsg1-1+deb13u1",
        "file": "lwip_2.2.1+dfsg1.orig.tar.xz",
        "sha256": "83729c274c499d3348e9fbbe043a3113f3fa8953e7efddc7c21c7fcbb1f2b7b1",
    },
    # SQLite's full source tree; lib/sqlite makes the amalgamation from it
    # (`deps.py sqlite`, needs tclsh).
    "sqlite3": {
        "suite": "trixie",
        "version": "3.46.1-7+deb13u2",
        "file": "sqlite3_3.46.1.orig.tar.xz",
        "sha256": "d0cdd2ece271b29e7ce18095745d892517ee26d0f270065b3a25c2e9eb11639c",
    },
    "mbedtls": {
        "suite": "trixie",
        "version": "3.6.6-0.1~deb13u1",
        "file": "mbedtls_3.6.6.orig.tar.bz2",
        "sha256": "8fb65fae8dcae5840f793c0a334860a411f884cc537ea290ce1c52bb64ca007a",
    },
    "lua5.4": {
        "suite": "bookworm",
        "version": "5.4.4-3+deb12u1",
        "file": "lua5.4_5.4.4.orig.tar.gz",
        "sha256": "164c7849653b80ae67bec4b7473b884bf5cc8d2dca05653475ec2ed27b9ebf61",
    },
    # The version carries Debian's epoch (1:); the cache folder's name
    # leaves it out (a colon in a path breaks make).
    "zlib": {
        "suite": "bookworm",
        "version": "1:1.2.13.dfsg-1",
        "file": "zlib_1.2.13.dfsg.orig.tar.bz2",
        "sha256": "71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1",
    },
}

# Suites written into the private deb-src list.
APT_SUITES = ("bookworm", "trixie")

PICOLIBC_VERSION = "1.8.10"

# Flags for Cairn's freestanding kernel targets, per architecture: the
# same code-generation flags as the image (arch/<arch>/arch.mk), plus what
# a library build wants.
PICOLIBC_COMMON_ARGS = [
    "-fno-pic", "-fno-pie", "-ffreestanding", "-fno-stack-protector",
    "-ffunction-sections", "-fdata-sections",
    "-O2", "-g",
]
PICOLIBC_ARCH = {
    # x86_64: non-PIC, small code model, no red zone; SSE is allowed
    # because the kernel enables it. Built by the host's own gcc.
    "x86_64": {
        "cc": "gcc", "machine": "x86_64", "cpu_family": "x86_64",
        "c_args": ["-m64", "-mcmodel=small", "-mno-red-zone"],
    },
    # arm64: ARMv8.0-A, small code model; FP/SIMD allowed (the entry code
    # turns it on at EL1); atomics inline (the outline helpers of libgcc
    # need the Linux auxiliary vector). Built by Debian's cross gcc.
    "arm64": {
        "cc": "aarch64-linux-gnu-gcc", "machine": "aarch64",
        "cpu_family": "aarch64",
        "c_args": ["-march=armv8-a", "-mcmodel=small",
                   "-mno-outline-atomics"],
    },
}

PICOLIBC_MESON_OPTS = [
    "--buildtype=plain",          # optimisation/debug flags come from c_args
    "-Db_staticpic=false",
    "-Db_pie=false",
    "-Dtests=false",
    "-Dmultilib=false",
    "-Dpicocrt=false",
    "-Dpicocrt-lib=false",
    "-Dsemihost=false",
    "-Dspecsdir=none",
    "-Dtinystdio=true",
    "-Dposix-console=true",       # stdin/stdout/stderr use read()/write()
    "-Dformat-default=double",    # printf/scanf handle double by default
    "-Dthread-local-storage=true",
    "-Dtls-model=local-exec",
    "-Dincludedir=include",
    "-Dlibdir=lib",
]


class Fail(Exception):
    """An expected failure: reported as one 'cairn: error:' line."""

    def __init__(self, msg, code=1):
        Exception.__init__(self, msg)
        self.code = code


def say(msg):
    print("cairn: " + msg, file=sys.stderr, flush=True)


def run(cmd, log=None, env=None, cwd=None):
    """Run cmd with stdout sent to stderr (or to the open file log).

    Returns the exit status; a missing program counts as 127."""
    out = log if log is not None else sys.stderr
    try:
        out.flush()
        return subprocess.call(cmd, stdin=subprocess.DEVNULL, stdout=out,
                               stderr=out if log is not None else None,
                               env=env, cwd=cwd)
    except OSError as e:
        print("%s: %s" % (cmd[0], e.strerror), file=out, flush=True)
        return 127


def output(cmd):
    """stdout of cmd, or None if it cannot run or fails."""
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           universal_newlines=True)
    except OSError:
        return None
    return r.stdout if r.returncode == 0 else None


def is_root():
    return os.geteuid() == 0


# ---------------------------------------------------------------- cache


def cache_dir():
    d = os.environ.get("CAIRN_CACHE")
    if not d:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
            os.path.expanduser("~"), ".cache")
        d = os.path.join(base, "cairn")
    d = os.path.abspath(d)
    try:
        os.makedirs(d, exist_ok=True)
    except OSError as e:
        raise Fail("cannot create cache directory %s: %s" % (d, e.strerror))
    return d


class Lock:
    """Exclusive flock on <cache>/lock-<name>, held for the with-block."""

    def __init__(self, cache, name):
        self.path = os.path.join(cache, "lock-" + name)
        self.fd = None

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say("waiting for another process holding %s" % self.path)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        os.close(self.fd)
        self.fd = None
        return False


def remove_stale(parent, prefix):
    """Remove leftovers of interrupted runs (call with the lock held)."""
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for n in names:
        if n.startswith(prefix):
            p = os.path.join(parent, n)
            if os.path.isdir(p) and not os.path.islink(p):
                shutil.rmtree(p, ignore_errors=True)
            else:
                try:
                    os.unlink(p)
                except OSError:
                    pass


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ---------------------------------------------------------------- tools


def missing_tools(names):
    def present(n):
        if n in TOOL_FILES:
            return bool(glob.glob(TOOL_FILES[n]))
        return shutil.which(n) is not None
    return [n for n in names if not present(n)]


def apt_install(pkgs):
    """Install Debian packages as root; True if apt-get succeeded.

    CAIRN_NO_INSTALL=1 turns installing off: missing tools are then only
    reported (for machines where the build must not run apt-get).
    """
    if os.environ.get("CAIRN_NO_INSTALL") == "1":
        return False
    if not is_root() or shutil.which("apt-get") is None:
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    # Two builds on a fresh machine (make -j, tests side by side) may
    # install at once: ours take turns on a lock of their own, and apt
    # waits for dpkg's lock (another apt run) instead of failing at once.
    wait = ["-o", "DPkg::Lock::Timeout=600"]
    with open(os.path.join(tempfile.gettempdir(), "cairn-apt.lock"),
              "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        pkgs = [p for p in pkgs if not deb_installed(p)]
        if not pkgs:                # the other build installed them
            return True
        say("installing %s (Debian packages)" % " ".join(pkgs))
        if run(["apt-get"] + wait + ["update"], env=env) != 0:
            say("apt-get update failed; trying the install anyway")
        return run(["apt-get"] + wait + ["install", "-y",
                                         "--no-install-recommends"]
                   + pkgs, env=env) == 0


def deb_installed(pkg):
    """Whether Debian package pkg is installed (dpkg's status)."""
    p = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       text=True)
    return p.returncode == 0 and p.stdout.endswith(" installed")


def ensure_tools(names, quiet=True, table=None):
    table = table or TOOLS
    missing = missing_tools(names)
    if missing:
        pkgs = []
        for n in missing:
            if table[n] not in pkgs:
                pkgs.append(table[n])
        apt_install(pkgs)
        missing = missing_tools(missing)
    if missing:
        for n in missing:
            p = table[n]
            print("cairn: error: '%s' not found; install the Debian package "
                  "'%s' (apt-get install %s)" % (n, p, p), file=sys.stderr)
        raise Fail(None, 2)
    if not quiet:
        say("host tools present: " + ", ".join(names))


def parse_need(text):
    names = [n.strip() for n in (text or "").split(",") if n.strip()]
    if not names:
        return [n for n in TOOLS if n not in OPTIONAL_TOOLS]
    unknown = [n for n in names if n not in TOOLS]
    if unknown:
        raise Fail("unknown tool(s) %s; known: %s"
                   % (", ".join(unknown), ", ".join(TOOLS)), 2)
    return names


# ---------------------------------------------------------------- apt


def os_codename():
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("VERSION_CODENAME="):
                    return line.split("=", 1)[1].strip().strip("\"'")
    except OSError:
        pass
    return ""


def read_deb822(path):
    """Yield dicts (lower-case keys) from a deb822 .sources file."""
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return
    for stanza in re.split(r"\n\s*\n", text):
        fields = {}
        key = None
        for line in stanza.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line[0] in " \t" and key:
                fields[key] += "\n" + line.strip()
                continue
            if ":" in line:
                key, val = line.split(":", 1)
                key = key.strip().lower()
                fields[key] = val.strip()
        if fields:
            yield fields


def read_one_line(path):
    """Yield dicts from a one-line-style sources.list file."""
    try:
        with open(path) as f:
            lines = f.readlines()
    except OSError:
        return
    for line in lines:
        line = line.split("#", 1)[0].strip()
        m = re.match(r"^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)"
                     r"(?:\s+(.*))?$", line)
        if not m:
            continue
        opts = dict(o.split("=", 1) for o in (m.group(2) or "").split()
                    if "=" in o)
        yield {"types": m.group(1), "uris": m.group(3), "suites": m.group(4),
               "components": m.group(5) or "",
               "signed-by": opts.get("signed-by", "")}


def debian_mirror():
    """(uri, signed_by) of this machine's main Debian archive entry."""
    d = "/etc/apt/sources.list.d"
    entries = []
    try:
        names = sorted(os.listdir(d))
    except OSError:
        names = []
    if "debian.sources" in names:
        names.remove("debian.sources")
        names.insert(0, "debian.sources")
    for n in names:
        if n.endswith(".sources"):
            for e in read_deb822(os.path.join(d, n)):
                entries.append((n, e))
        elif n.endswith(".list"):
            for e in read_one_line(os.path.join(d, n)):
                entries.append((n, e))
    for e in read_one_line("/etc/apt/sources.list"):
        entries.append(("sources.list", e))

    wanted = set(APT_SUITES)
    if os_codename():
        wanted.add(os_codename())
    best = None
    for order, (fname, e) in enumerate(entries):
        if e.get("enabled", "yes").lower() == "no":
            continue
        types = e.get("types", "").split()
        if "deb" not in types and "deb-src" not in types:
            continue
        suites = e.get("suites", "").split()
        if not wanted.intersection(suites):
            continue
        signed = e.get("signed-by", "").strip()
        for uri in e.get("uris", "").split():
            if not re.match(r"^(mirror\+)?(https?|file)://", uri):
                continue
            score = (
                "bookworm" in suites,
                "debian-archive-keyring" in signed,
                uri.rstrip("/").endswith("/debian"),
                fname in ("debian.sources", "sources.list"),
                -order,
            )
            if best is None or score > best[0]:
                best = (score, uri.rstrip("/"), signed)
    if best is None:
        raise Fail("no Debian archive (suite bookworm or trixie) found in "
                   "/etc/apt/sources.list.d/*.sources or /etc/apt/sources.list")
    signed = best[2]
    if signed and ("\n" in signed or not os.path.isfile(signed)):
        signed = ""  # inline key or missing file: rely on apt's trusted keys
    return best[1], signed


class PrivateApt:
    """apt-get using a private deb-src list and state under the cache."""

    def __init__(self, cache):
        if shutil.which("apt-get") is None:
            raise Fail("apt-get not found: Cairn fetches its third-party "
                       "sources through Debian's apt")
        self.dir = os.path.join(cache, "apt")
        os.makedirs(os.path.join(self.dir, "lists", "partial"), exist_ok=True)
        os.makedirs(os.path.join(self.dir, "cache", "archives", "partial"),
                    exist_ok=True)
        uri, signed = debian_mirror()
        opt = " [signed-by=%s]" % signed if signed else ""
        text = "".join("deb-src%s %s %s main\n" % (opt, uri, s)
                       for s in APT_SUITES)
        self.list = os.path.join(self.dir, "sources.list")
        old = None
        try:
            with open(self.list) as f:
                old = f.read()
        except OSError:
            pass
        if old != text:
            with open(self.list + ".tmp", "w") as f:
                f.write(text)
            os.replace(self.list + ".tmp", self.list)
        self.opts = [
            "-o", "Dir::Etc::SourceList=" + self.list,
            "-o", "Dir::Etc::SourceParts=-",
            "-o", "Dir::State::Lists=" + os.path.join(self.dir, "lists"),
            "-o", "Dir::Cache=" + os.path.join(self.dir, "cache"),
            "-o", "APT::Get::List-Cleanup=0",
        ]
        if is_root():
            self.opts += ["-o", "APT::Sandbox::User=root"]
        logdir = os.path.join(cache, "log")
        os.makedirs(logdir, exist_ok=True)
        self.log = os.path.join(logdir, "apt.log")
        with open(self.log, "w"):
            pass
        self.updated = False

    def update(self):
        if self.updated:
            return
        say("refreshing Debian source package lists (private, in %s)"
            % self.dir)
        if self._run(["update"]) != 0:
            self.show_log()
            say("apt-get update failed (network down?); using old lists "
                "if any")
        self.updated = True

    def _run(self, args, cwd=None):
        """apt-get with the private options; output goes to self.log."""
        with open(self.log, "a") as log:
            log.write("$ apt-get %s\n" % " ".join(args))
            return run(["apt-get", "-q"] + self.opts + args, log=log, cwd=cwd)

    def show_log(self, n=15):
        tail(self.log, n)
        say("apt-get output: %s" % self.log)

    def source(self, spec, cwd):
        return self._run(["source", "--download-only", spec], cwd=cwd)

    def print_uris(self, spec):
        """[(url, filename)] from 'apt-get source --print-uris'."""
        out = output(["apt-get", "-q"] + self.opts
                     + ["source", "--print-uris", spec])
        res = []
        for line in (out or "").splitlines():
            m = re.match(r"^'([^']+)'\s+(\S+)\s+\d+", line)
            if m:
                res.append((m.group(1), m.group(2)))
        return res


def fetch_url(url, dest):
    import urllib.request  # slow import: only when needed

    tmp = dest + ".part"
    try:
        with urllib.request.urlopen(url, timeout=60) as r, \
                open(tmp, "wb") as f:
            shutil.copyfileobj(r, f, 1 << 20)
        os.replace(tmp, dest)
        return True
    except Exception as e:  # network errors come in many shapes
        say("download failed: %s" % e)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False


def download(cache, name, info):
    """Path of the verified orig tarball, downloading it if needed."""
    dl = os.path.join(cache, "dl")
    os.makedirs(dl, exist_ok=True)
    dest = os.path.join(dl, info["file"])
    if os.path.exists(dest):
        if sha256_file(dest) == info["sha256"]:
            return dest
        say("cached %s is corrupt (sha256 mismatch); downloading it again"
            % info["file"])
        os.unlink(dest)

    apt = PrivateApt(cache)
    apt.update()
    spec = "%s=%s" % (name, info["version"])
    say("downloading %s (Debian source %s from %s)"
        % (info["file"], spec, info["suite"]))
    work = tempfile.mkdtemp(prefix=".tmp-dl-%s-" % name, dir=dl)
    try:
        got = os.path.join(work, info["file"])
        # The .dsc may 404 while the tarball is fine: judge by the file.
        apt.source(spec, work)
        if not os.path.exists(got):
            # Same orig tarball from any revision still in the archive.
            for s in (spec, name):
                urls = [u for u, f in apt.print_uris(s) if f == info["file"]]
                if urls:
                    say("fetching %s directly" % info["file"])
                    if fetch_url(urls[0], got):
                        break
        if not os.path.exists(got):
            apt.show_log()
            raise Fail("could not download %s (source package %s): network "
                       "down, or the version is gone from the Debian archive"
                       % (info["file"], spec))
        actual = sha256_file(got)
        if actual != info["sha256"]:
            os.unlink(got)
            raise Fail("sha256 mismatch for %s: expected %s, got %s "
                       "(file deleted)" % (info["file"], info["sha256"],
                                           actual))
        os.replace(got, dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return dest


def safe_extract(tarball, dest):
    import tarfile  # slow import: only when needed

    try:
        with tarfile.open(tarball) as t:
            members = t.getmembers()
            for m in members:
                parts = m.name.split("/")
                if m.name.startswith("/") or ".." in parts:
                    raise Fail("unsafe path %r in %s" % (m.name, tarball))
                if not (m.isfile() or m.isdir() or m.issym() or m.islnk()):
                    raise Fail("unexpected member %r in %s"
                               % (m.name, tarball))
            if hasattr(tarfile, "data_filter"):
                t.extractall(dest, members, filter="data")
            else:
                t.extractall(dest, members)
    except (tarfile.TarError, EOFError, OSError) as e:
        raise Fail("cannot extract %s: %s" % (tarball, e))


def ensure_source(name):
    """Directory holding the unpacked upstream source of name."""
    if name not in SOURCES:
        raise Fail("unknown source %r; known: %s"
                   % (name, ", ".join(SOURCES)))
    info = SOURCES[name]
    cache = cache_dir()
    srcroot = os.path.join(cache, "src")
    version = info["version"].split(":")[-1]  # no epoch in a path
    target = os.path.join(srcroot, "%s-%s" % (name, version))
    stamp = os.path.join(target, ".cairn-source")
    if os.path.exists(stamp):
        return target
    with Lock(cache, name):
        if os.path.exists(stamp):
            return target
        os.makedirs(srcroot, exist_ok=True)
        remove_stale(srcroot, ".tmp-%s-" % name)
        if os.path.exists(target):  # no stamp: incomplete, redo
            shutil.rmtree(target)
        tarball = download(cache, name, info)
        say("unpacking %s" % info["file"])
        tmp = tempfile.mkdtemp(prefix=".tmp-%s-" % name, dir=srcroot)
        try:
            safe_extract(tarball, tmp)
            entries = os.listdir(tmp)
            top = tmp
            if len(entries) == 1 and os.path.isdir(
                    os.path.join(tmp, entries[0])):
                top = os.path.join(tmp, entries[0])
            with open(os.path.join(top, ".cairn-source"), "w") as f:
                f.write("%s %s\n" % (info["file"], info["sha256"]))
            os.rename(top, target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return target


# ---------------------------------------------------------------- picolibc


def binutil(cc, tool):
    """Binutils program matching cc (x86_64-linux-gnu-gcc -> ...-ar)."""
    base = os.path.basename(cc)
    if base.endswith("gcc") and base != "gcc":
        prefixed = os.path.join(os.path.dirname(cc), base[:-3] + tool)
        if shutil.which(prefixed):
            return prefixed
    return tool


def meson_list(items):
    return "[" + ", ".join("'%s'" % i.replace("\\", "\\\\").replace("'", "\\'")
                           for i in items) + "]"


def cross_file_text(cc, arch="x86_64"):
    info = PICOLIBC_ARCH[arch]
    return """\
# Generated by Cairn's support/deps.py: picolibc for Cairn's freestanding
# %s kernel target, built with %s.
[binaries]
c = %s
ar = '%s'
as = '%s'
nm = '%s'
strip = '%s'
objcopy = '%s'

[host_machine]
system = 'none'
cpu_family = '%s'
cpu = '%s'
endian = 'little'

[built-in options]
c_args = %s
c_link_args = ['-nostdlib', '-static']

[properties]
skip_sanity_check = true
needs_exe_wrapper = true
link_spec = '--build-id=none'
""" % (arch, "the host's native x86_64 gcc" if arch == "x86_64" else
       "Debian's cross compiler " + os.path.basename(cc),
       meson_list([cc] + (["-m64"] if arch == "x86_64" else [])
                  + ["-fno-pic", "-fno-pie", "-static", "-nostdlib"]),
       binutil(cc, "ar"), binutil(cc, "as"), binutil(cc, "nm"),
       binutil(cc, "strip"), binutil(cc, "objcopy"),
       info["cpu_family"], info["machine"],
       meson_list(info["c_args"] + PICOLIBC_COMMON_ARGS))


def tail(path, n=40):
    try:
        with open(path, errors="replace") as f:
            lines = f.readlines()
    except OSError:
        return
    for line in lines[-n:]:
        sys.stderr.write("  | " + line)
    sys.stderr.flush()


def normalise_prefix(prefix):
    """Make <prefix>/include/picolibc.h and <prefix>/lib/libc.a exist."""
    inc = os.path.join(prefix, "include")
    lib = os.path.join(prefix, "lib")
    found = {}
    for root, _dirs, files in os.walk(prefix):
        for f in files:
            if f in ("picolibc.h", "libc.a", "libm.a") and f not in found:
                found[f] = root
    if "picolibc.h" not in found or "libc.a" not in found:
        raise Fail("picolibc install in %s lacks picolibc.h or libc.a"
                   % prefix)
    if os.path.realpath(found["picolibc.h"]) != os.path.realpath(inc):
        os.rename(found["picolibc.h"], inc + ".tmp")
        shutil.rmtree(inc, ignore_errors=True)
        os.rename(inc + ".tmp", inc)
    os.makedirs(lib, exist_ok=True)
    for f in ("libc.a", "libm.a"):
        if f in found and os.path.realpath(found[f]) != os.path.realpath(lib):
            os.rename(os.path.join(found[f], f), os.path.join(lib, f))


def check_picolibc(prefix, cc, workdir, arch="x86_64"):
    """Sanity checks on a fresh install (headers compile, printf present)."""
    libc = os.path.join(prefix, "lib", "libc.a")
    syms = output([binutil(cc, "nm"), "-g", "--defined-only", libc]) or ""
    defined = set()
    for line in syms.splitlines():
        parts = line.split()
        if len(parts) == 3:
            defined.add(parts[2])
    want = ["printf", "snprintf", "puts", "malloc", "exit", "_init_tls",
            "_set_tls"]
    lacking = [s for s in want if s not in defined]
    if lacking:
        raise Fail("picolibc libc.a lacks %s" % ", ".join(lacking))
    gccinc = (output([cc, "-print-file-name=include"]) or "").strip()
    test = os.path.join(workdir, "cairn-test.c")
    with open(test, "w") as f:
        f.write("#include <stdio.h>\n#include <stdlib.h>\n"
                "#include <string.h>\n#include <errno.h>\n"
                "#include <picotls.h>\n"
                "int main(void) { char b[32];\n"
                "  snprintf(b, sizeof b, \"%d %g\", errno, 1.5);\n"
                "  puts(b); printf(\"%s\\n\", b); return getchar(); }\n")
    cmd = [cc, "-c", "-ffreestanding", "-nostdlib", "-fno-pic", "-fno-pie"] \
        + PICOLIBC_ARCH[arch]["c_args"] + [
           "-nostdinc", "-isystem",
           os.path.join(prefix, "include"), "-isystem", gccinc,
           "-o", test[:-2] + ".o", test]
    with open(test[:-2] + ".log", "w") as log:
        rc = run(cmd, log=log)
    if rc != 0:
        tail(test[:-2] + ".log")
        raise Fail("test program does not compile against picolibc headers")


def ensure_picolibc(cc, arch="x86_64"):
    if arch not in PICOLIBC_ARCH:
        raise Fail("unknown architecture %r; known: %s"
                   % (arch, ", ".join(sorted(PICOLIBC_ARCH))))
    cc = cc or PICOLIBC_ARCH[arch]["cc"]
    if arch != "x86_64" and shutil.which(cc) is None:
        ensure_tools(list(ARCH_TOOLS[arch]), table=ARCH_TOOLS[arch])
    if shutil.which(cc) is None:
        raise Fail("C compiler %r not found" % cc)
    ccver = output([cc, "--version"])
    machine = output([cc, "-dumpmachine"])
    if ccver is None or machine is None:
        raise Fail("cannot run %s" % cc)
    machine = machine.strip()
    want = PICOLIBC_ARCH[arch]["machine"]
    if not machine.startswith(want):
        raise Fail("%s targets %s, not %s" % (cc, machine, want))
    cross = cross_file_text(cc, arch)
    h = hashlib.sha256()
    for part in (PICOLIBC_VERSION, cross, "\n".join(PICOLIBC_MESON_OPTS),
                 ccver.splitlines()[0] if ccver else "", machine):
        h.update(part.encode() + b"\0")
    cache = cache_dir()
    # x86_64 keeps its old folder name; other architectures add theirs.
    prefix = os.path.join(cache, "picolibc-%s%s-%s"
                          % (PICOLIBC_VERSION,
                             "" if arch == "x86_64" else "-" + arch,
                             h.hexdigest()[:12]))
    stamp = os.path.join(prefix, ".cairn-built")
    if os.path.exists(stamp):
        return prefix

    ensure_tools(["meson", "ninja", "ld", "nm"])
    src = ensure_source("picolibc")
    with Lock(cache, "picolibc-build"):
        if os.path.exists(stamp):
            return prefix
        remove_stale(cache, ".tmp-picolibc-")
        if os.path.exists(prefix):  # no stamp: incomplete, redo
            shutil.rmtree(prefix)
        work = tempfile.mkdtemp(prefix=".tmp-picolibc-", dir=cache)
        logdir = os.path.join(cache, "log")
        os.makedirs(logdir, exist_ok=True)
        logpath = os.path.join(logdir, os.path.basename(prefix) + ".log")
        try:
            crossfile = os.path.join(work, "cross-cairn-%s.txt" % arch)
            with open(crossfile, "w") as f:
                f.write(cross)
            build = os.path.join(work, "build")
            dest = os.path.join(work, "dest")
            env = dict(os.environ, DESTDIR=dest)
            env.pop("CFLAGS", None)
            env.pop("LDFLAGS", None)
            env.pop("CPPFLAGS", None)
            say("building picolibc %s into %s (log: %s)"
                % (PICOLIBC_VERSION, prefix, logpath))
            steps = [
                ("meson setup", ["meson", "setup", "--cross-file", crossfile,
                                 "--prefix", prefix]
                 + PICOLIBC_MESON_OPTS + [build, src]),
                ("ninja", ["ninja", "-C", build, "-j2"]),
                ("meson install", ["meson", "install", "-C", build,
                                   "--no-rebuild"]),
            ]
            with open(logpath, "w") as log:
                for what, cmd in steps:
                    log.write("$ %s\n" % " ".join(cmd))
                    log.flush()
                    if run(cmd, log=log, env=env) != 0:
                        log.close()
                        tail(logpath)
                        mlog = os.path.join(build, "meson-logs",
                                            "meson-log.txt")
                        if os.path.exists(mlog):
                            shutil.copyfile(mlog, logpath[:-4] + ".meson.log")
                        raise Fail("picolibc build failed at '%s'; logs: %s "
                                   "(meson's own: %s)" % (
                                       what, logpath,
                                       logpath[:-4] + ".meson.log"))
            staged = dest + prefix  # DESTDIR joins the absolute prefix
            if not os.path.isdir(staged):
                raise Fail("meson installed nothing under %s" % staged)
            normalise_prefix(staged)
            check_picolibc(staged, cc, work, arch)
            with open(os.path.join(staged, ".cairn-built"), "w") as f:
                f.write(cross + "\n".join(PICOLIBC_MESON_OPTS) + "\n")
            os.rename(staged, prefix)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        say("picolibc ready")
    return prefix


# ---------------------------------------------------------------- sqlite

# What making SQLite's amalgamation needs: its own Tcl scripts.
SQLITE_TOOLS = {"tclsh": "tcl", "make": "make", "gcc": "gcc"}


def ensure_sqlite():
    """Folder with SQLite's amalgamation (sqlite3.c, sqlite3.h, shell.c),
    made once from the Debian source package with SQLite's own build
    (configure; make sqlite3.c shell.c), unmodified."""
    src = ensure_source("sqlite3")
    cache = cache_dir()
    target = os.path.join(cache, "sqlite-amalgamation-%s"
                          % SOURCES["sqlite3"]["version"])
    stamp = os.path.join(target, ".cairn-built")
    if os.path.exists(stamp):
        return target
    ensure_tools(list(SQLITE_TOOLS), table=SQLITE_TOOLS)
    with Lock(cache, "sqlite"):
        if os.path.exists(stamp):
            return target
        remove_stale(cache, ".tmp-sqlite-")
        if os.path.exists(target):
            shutil.rmtree(target)
        say("making SQLite's amalgamation (once; about a minute)")
        work = tempfile.mkdtemp(prefix=".tmp-sqlite-", dir=cache)
        logdir = os.path.join(cache, "log")
        os.makedirs(logdir, exist_ok=True)
        logpath = os.path.join(logdir, "sqlite.log")
        try:
            with open(logpath, "w") as log:
                ok = run([os.path.join(src, "configure"), "--disable-tcl"],
                         log=log, cwd=work) == 0 and \
                    run(["make", "sqlite3.c", "shell.c"], log=log,
                        cwd=work) == 0
            if not ok:
                tail(logpath)
                raise Fail("making SQLite's amalgamation failed (log: %s)"
                           % logpath)
            out = os.path.join(work, "out")
            os.makedirs(out)
            for f in ("sqlite3.c", "sqlite3.h", "shell.c", "sqlite3ext.h"):
                shutil.copy(os.path.join(work, f), out)
            with open(os.path.join(out, ".cairn-built"), "w") as f:
                f.write("sqlite3 %s\n" % SOURCES["sqlite3"]["version"])
            os.rename(out, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return target


# ---------------------------------------------------------------- main


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="deps.py", description="Cairn host tools and third-party "
        "dependencies (prints the requested path on stdout).")
    sub = ap.add_subparsers(dest="cmd", metavar="COMMAND")
    sub.required = True
    p = sub.add_parser("tools", help="check (and as root install) host tools")
    p.add_argument("--need", metavar="CMD,CMD",
                   help="check only these commands (default: all of %s)"
                   % ", ".join(TOOLS))
    p.add_argument("--arch", action="append", default=[],
                   choices=sorted(ARCH_TOOLS),
                   help="also the cross tools of this architecture "
                   "(repeatable)")
    p.add_argument("--quiet", action="store_true",
                   help="print nothing when everything is present")
    p = sub.add_parser("test-tools", help="check (and as root install) "
                       "what make test needs beyond the build: %s"
                       % ", ".join(TEST_TOOLS))
    p.add_argument("--quiet", action="store_true",
                   help="print nothing when everything is present")
    p = sub.add_parser("disk-tools", help="check (and as root install) "
                       "what make disk needs: %s" % ", ".join(DISK_TOOLS))
    p.add_argument("--quiet", action="store_true")
    p = sub.add_parser("image-tools", help="check (and as root install) "
                       "what make image and its tests need: %s"
                       % ", ".join(IMAGE_TOOLS))
    p.add_argument("--quiet", action="store_true")
    p = sub.add_parser("bench-tools", help="check (and as root install) "
                       "what the network benchmarks need: %s"
                       % ", ".join(BENCH_TOOLS))
    p.add_argument("--quiet", action="store_true",
                   help="print nothing when everything is present")
    p.add_argument("--arch", action="append", default=[],
                   choices=sorted(BENCH_ARCH_TOOLS),
                   help="also what a Linux guest of this architecture "
                   "needs (repeatable)")
    p = sub.add_parser("deploy-tools", help="check (and as root install) "
                       "what make vmm-config and make oci need: %s"
                       % ", ".join(DEPLOY_TOOLS))
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--boot-libvirt", action="store_true",
                   help="also libvirt's daemon and QEMU driver")
    p = sub.add_parser("source", help="download and unpack a source; "
                       "print its directory")
    p.add_argument("name", choices=sorted(SOURCES))
    p = sub.add_parser("picolibc", help="build picolibc; print its prefix")
    p.add_argument("--cc", default=None, help="C compiler (default: gcc "
                   "for x86_64, aarch64-linux-gnu-gcc for arm64)")
    p.add_argument("--arch", default="x86_64", choices=sorted(PICOLIBC_ARCH),
                   help="target architecture (default x86_64)")
    sub.add_parser("lwip", help="same as 'source lwip'")
    sub.add_parser("sqlite", help="make SQLite's amalgamation from its "
                   "Debian source package; print its folder")
    args = ap.parse_args(argv)

    try:
        if args.cmd == "tools":
            ensure_tools(parse_need(args.need), quiet=args.quiet)
            for a in args.arch:
                if ARCH_TOOLS[a]:
                    ensure_tools(list(ARCH_TOOLS[a]), quiet=args.quiet,
                                 table=ARCH_TOOLS[a])
            return 0
        if args.cmd == "test-tools":
            ensure_tools(list(TEST_TOOLS), quiet=args.quiet,
                         table=TEST_TOOLS)
            return 0
        if args.cmd == "disk-tools":
            ensure_tools(list(DISK_TOOLS), quiet=args.quiet,
                         table=DISK_TOOLS)
            return 0
        if args.cmd == "deploy-tools":
            ensure_tools(list(DEPLOY_TOOLS), quiet=args.quiet,
                         table=DEPLOY_TOOLS)
            if args.boot_libvirt:
                ensure_tools(list(DEPLOY_BOOT_TOOLS), quiet=args.quiet,
                             table=DEPLOY_BOOT_TOOLS)
            return 0
        if args.cmd == "image-tools":
            ensure_tools(list(IMAGE_TOOLS), quiet=args.quiet,
                         table=IMAGE_TOOLS)
            return 0
        if args.cmd == "bench-tools":
            ensure_tools(list(BENCH_TOOLS), quiet=args.quiet,
                         table=BENCH_TOOLS)
            for a in args.arch:
                if BENCH_ARCH_TOOLS[a]:
                    ensure_tools(list(BENCH_ARCH_TOOLS[a]), quiet=args.quiet,
                                 table=BENCH_ARCH_TOOLS[a])
            return 0
        if args.cmd == "source":
            path = ensure_source(args.name)
        elif args.cmd == "lwip":
            path = ensure_source("lwip")
        elif args.cmd == "sqlite":
            path = ensure_sqlite()
        else:
            path = ensure_picolibc(args.cc, args.arch)
        print(path, flush=True)
        return 0
    except Fail as e:
        if e.args and e.args[0]:
            print("cairn: error: %s" % e.args[0], file=sys.stderr)
        return e.code
    except KeyboardInterrupt:
        print("cairn: error: interrupted", file=sys.stderr)
        return 130
    except OSError as e:
        print("cairn: error: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
