# SPDX-License-Identifier: BSD-3-Clause
"""Build a Linux guest from Debian packages: the baseline Cairn is measured against.

    /usr/bin/python3 -m support.bench.linux_guest build OUTDIR   (from the tree root)
        [--extra PROG]... [--run 'PROG ARGS']... [--kernel-package PKG]
        [--modules NAME...]... [--setup 'APPLET ARGS']... [--arch arm64]

takes Debian's kernel (the package linux-image-amd64 points to) and
busybox-static, fetched with `apt-get download` into the cache
($CAIRN_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/cairn, then linux-guest/,
one directory per package and version) and unpacked there with dpkg-deb;
nothing is installed on the host.  It writes to OUTDIR:

  vmlinuz     the kernel as packaged (bzImage)
  vmlinux     the same kernel uncompressed, if its payload can be
              unpacked and it has a PVH entry note: QEMU boots it through
              PVH, skipping the decompressor (much faster under TCG)
  initrd.cpio the initramfs (cpio newc, uncompressed): busybox, /init,
              the --extra programs in /bench/ and /bench.list, the
              --modules in /lib/modules/ and /modules.list, the --setup
              lines in /setup.list
  guest.json  what to boot: kernel, initrd, kernel command line, the
              packages and versions used

/init mounts /proc, /sys and /tmp, loads the kernel modules of
/modules.list with `insmod` (in dependency order), runs each line of
/setup.list as a busybox applet (e.g. 'ip link set eth0 up'), waits (at
most 3 s) for the kernel to leave the tsc-early clocksource, prints a
line starting with '#' (kernel release, clocksource, CPUs), then runs
every line of /bench.list ('PROG ARGS', PROG in /bench/) between the
markers LINUX_GUEST_RUN PROG and LINUX_GUEST_EXIT PROG STATUS, prints
LINUX_GUEST_DONE STATUS (0 if every program exited 0) and powers off with
`poweroff -f`, so QEMU (with -no-reboot) exits.  /bench.list is the
--run lines, else one line per --extra program without arguments.  The
kernel command line has panic=-1: if /init dies, the guest resets and
QEMU exits rather than hangs.  On x86_64 it also has no_timer_check: under
TCG on a loaded host the kernel's check that the IO-APIC timer ticks
(a few ticks within a busy-wait) fails and the kernel panics with
"IO-APIC + timer doesn't work!"; the timer does work, only slowly.  A module that does not load or a setup
line that fails prints LINUX_GUEST_MODULE NAME STATUS or
LINUX_GUEST_SETUP STATUS LINE and makes the final status 1 (the programs
still run).

--modules names kernel modules (virtio_net, virtio_pci; '-' and '_' are
the same, as for modprobe): they are copied from the kernel package with
every module they depend on (the `depends=` of each module's .modinfo;
the package has no modules.dep, depmod runs at install time).  A module
the kernel has built in is skipped.  The module index and the modules are
cached next to the kernel.

--arch arm64 builds the guest for QEMU -M virt instead: linux-image-arm64
and busybox-static of Debian's arm64 architecture, looked up and fetched
through apt with a private arm64 package list under the cache
(linux-guest/apt-arm64/: the machine's own Debian mirror, nothing added
to the host's apt configuration), the kernel booted as the arm64 Image
it is packaged as, the console on the PL011 (ttyAMA0); the cache
entries of arm64 packages end in _arm64.

Extra programs must be static (there is no libc in the guest).  Running it
again is cheap: package versions are looked up only when apt's lists have
changed, downloads and unpacking are cached, and output files are only
rewritten when their content changes.  Standard library only; apt-get
update (only if apt does not know a package) needs root.
"""
import argparse
import fcntl
import hashlib
import io
import json
import lzma
import bz2
import gzip
import os
import re
import shutil
import stat
import struct
import subprocess
import sys
import tarfile
import tempfile

from support import deps

KERNEL_META = "linux-image-amd64"
BUSYBOX = "busybox-static"
CACHE_FORMAT = 1
APPEND = "console=ttyS0 quiet panic=-1"
# Per architecture: the kernel's meta package, the console, the ELF
# machine of its programs, Debian's name for it when it is not the
# host's (then apt runs on a private arm64 package list), and what it
# adds to APPEND (no_timer_check: see above; arm64 has no such check and
# would hand an unknown word to /init as an argument).
ARCHES = {
    "x86_64": {"kernel_meta": "linux-image-amd64", "console": "ttyS0",
               "elf_machine": 62, "debian": None,
               "append": " no_timer_check"},
    "arm64": {"kernel_meta": "linux-image-arm64", "console": "ttyAMA0",
              "elf_machine": 183, "debian": "arm64", "append": ""},
}
ARCH = ARCHES["x86_64"]
APT_OPTS = []           # set by select_arch() for a foreign architecture
APT_LISTS = "/var/lib/apt/lists"
APT_TIMEOUT = 900

TOOLS = {  # command -> Debian package
    "apt-get": "apt",
    "apt-cache": "apt",
    "dpkg-deb": "dpkg",
}


class Fail(Exception):
    pass


def say(msg):
    print("linux-guest: " + msg, file=sys.stderr, flush=True)


def run(cmd, cwd=None, timeout=APT_TIMEOUT):
    """Runs cmd; returns (status, stdout, stderr) as text."""
    try:
        p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=dict(os.environ, LC_ALL="C"), timeout=timeout,
                           universal_newlines=True)
    except subprocess.TimeoutExpired:
        raise Fail("%s timed out after %d s" % (" ".join(cmd), timeout))
    except OSError as e:
        raise Fail("cannot run %s: %s" % (cmd[0], e.strerror))
    return p.returncode, p.stdout, p.stderr


def tail(text, n=8):
    return "\n".join("    " + l for l in text.strip().splitlines()[-n:])


def check_tools():
    missing = sorted({pkg for cmd, pkg in TOOLS.items()
                      if shutil.which(cmd) is None})
    if missing:
        raise Fail("missing host tools; install the Debian package(s): %s"
                   % " ".join(missing))


# ------------------------------------------------------------------ cache

def cache_dir():
    """<Cairn's cache>/linux-guest; support/deps.py decides where the cache
    is (CAIRN_CACHE, else XDG_CACHE_HOME or ~/.cache, then cairn)."""
    try:
        base = deps.cache_dir()
    except deps.Fail:
        raise Fail("cannot create Cairn's cache directory")
    d = os.path.join(base, "linux-guest")
    try:
        os.makedirs(d, exist_ok=True)
    except OSError as e:
        raise Fail("cannot create cache directory %s: %s" % (d, e.strerror))
    return d


class Lock:
    """Exclusive flock on <dir>/lock while fetching or unpacking."""

    def __init__(self, d):
        self.path = os.path.join(d, "lock")

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ------------------------------------------------------------- apt lookup

def entry_suffix():
    """What a foreign architecture's cache entries end with."""
    return "_" + ARCH["debian"] if ARCH["debian"] else ""


def select_arch(name, cache):
    """Makes name ("x86_64", "arm64") the guest's architecture; a foreign
    one gets apt options for a private package list under cache."""
    global ARCH, APT_OPTS, APT_LISTS
    if name not in ARCHES:
        raise Fail("no Linux guest for architecture %s (have: %s)"
                   % (name, ", ".join(sorted(ARCHES))))
    ARCH = dict(ARCHES[name], name=name)
    APT_OPTS, APT_LISTS = [], "/var/lib/apt/lists"
    if not ARCH["debian"]:
        return
    d = os.path.join(cache, "apt-" + ARCH["debian"])
    for sub in ("lists/partial", "cache/archives/partial"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    try:
        uri, signed = deps.debian_mirror()
    except deps.Fail as e:
        raise Fail(str(e))
    opt = "arch=%s" % ARCH["debian"] + (" signed-by=%s" % signed
                                        if signed else "")
    text = "deb [%s] %s bookworm main\n" % (opt, uri)
    write_if_changed(os.path.join(d, "sources.list"), text.encode())
    APT_LISTS = os.path.join(d, "lists")
    APT_OPTS = [
        "-o", "Dir::Etc::SourceList=" + os.path.join(d, "sources.list"),
        "-o", "Dir::Etc::SourceParts=-",
        "-o", "Dir::State::Lists=" + os.path.join(d, "lists"),
        "-o", "Dir::State::status=/dev/null",
        "-o", "Dir::Cache=" + os.path.join(d, "cache"),
        "-o", "APT::Architecture=" + ARCH["debian"],
        "-o", "APT::Architectures=" + ARCH["debian"],
    ]
    if os.geteuid() == 0:
        APT_OPTS += ["-o", "APT::Sandbox::User=root"]


def apt_signature():
    """Changes whenever apt's view of candidate versions may have changed."""
    sig = []
    for d in (APT_LISTS, "/etc/apt/sources.list.d",
              "/etc/apt/preferences.d"):
        try:
            names = sorted(os.listdir(d))
        except OSError:
            continue
        for n in names:
            try:
                st = os.stat(os.path.join(d, n))
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                sig.append([d + "/" + n, st.st_size, st.st_mtime_ns])
    for f in ("/etc/apt/sources.list", "/etc/apt/preferences"):
        try:
            st = os.stat(f)
            sig.append([f, st.st_size, st.st_mtime_ns])
        except OSError:
            pass
    return hashlib.sha256(json.dumps(sig).encode()).hexdigest()


def apt_show(pkgs):
    """Candidate records of pkgs: {name: {field: value}}; unknown ones left out."""
    rc, out, err = run(["apt-cache"] + APT_OPTS +
                       ["show", "--no-all-versions"] + pkgs)
    recs = {}
    for para in out.split("\n\n"):
        fields, key = {}, None
        for line in para.splitlines():
            if line[:1] in (" ", "\t") and key:
                fields[key] += "\n" + line.strip()
            elif ":" in line:
                key, _, val = line.partition(":")
                fields[key] = val.strip()
        if "Package" in fields and "Version" in fields:
            recs.setdefault(fields["Package"], fields)
    return recs


def apt_update():
    if os.geteuid() != 0:
        raise Fail("apt's package lists are missing or stale and only root "
                   "can run 'apt-get update'")
    say("apt-get update" + (" (private %s list)" % ARCH["debian"]
                            if APT_OPTS else ""))
    rc, out, err = run(["apt-get"] + APT_OPTS + ["update", "-q"])
    if rc:
        raise Fail("apt-get update failed:\n" + tail(err or out))


def show_or_update(pkgs):
    recs = apt_show(pkgs)
    if any(p not in recs for p in pkgs):
        apt_update()
        recs = apt_show(pkgs)
    for p in pkgs:
        if p not in recs:
            raise Fail("apt knows no Debian package %s (check the sources "
                       "in /etc/apt)" % p)
    return recs


def resolve(kernel_pkg):
    """Finds the kernel and busybox packages: {role: {package, version, ...}}."""
    if kernel_pkg is None:
        meta = show_or_update([ARCH["kernel_meta"]])[ARCH["kernel_meta"]]
        m = re.search(r"(?:^|,)\s*(linux-image-[0-9][^\s,|(]*)",
                      meta.get("Depends", ""))
        if not m:
            raise Fail("cannot find the kernel package in the dependencies "
                       "of the Debian package %s: %r"
                       % (ARCH["kernel_meta"], meta.get("Depends")))
        kernel_pkg = m.group(1)
    recs = show_or_update([kernel_pkg, BUSYBOX])
    out = {}
    for role, p in (("kernel", kernel_pkg), ("busybox", BUSYBOX)):
        r = recs[p]
        out[role] = {"package": p, "version": r["Version"],
                     "sha256": r.get("SHA256", ""),
                     "size": int(r.get("Size", "0") or 0)}
    return out


def resolve_cached(cache, kernel_pkg):
    memo_path = os.path.join(cache, "resolved%s.json" % entry_suffix())
    key = {"sig": apt_signature(), "kernel_pkg": kernel_pkg,
           "format": CACHE_FORMAT}
    memo = read_json(memo_path)
    if memo and memo.get("key") == key:
        return memo["packages"]
    pkgs = resolve(kernel_pkg)
    key["sig"] = apt_signature()   # apt-get update may have run
    write_json(memo_path, {"key": key, "packages": pkgs})
    return pkgs


# -------------------------------------------------------- fetch, unpack

def fetch_deb(entry, info):
    """apt-get download of one package version into entry/; returns its path."""
    pkg, ver = info["package"], info["version"]
    for d in os.listdir(entry):
        if d.endswith(".deb"):
            path = os.path.join(entry, d)
            if not info["sha256"] or sha256_file(path) == info["sha256"]:
                return path
            os.unlink(path)
    tmp = tempfile.mkdtemp(prefix=".dl-", dir=entry)
    try:
        os.chmod(tmp, 0o755)
        say("downloading Debian package %s %s (%.1f MB)"
            % (pkg, ver, info["size"] / 1e6))
        cmd = ["apt-get"] + APT_OPTS + ["download", "-q",
                                        "%s=%s" % (pkg, ver)]
        rc, out, err = run(cmd, cwd=tmp)
        if rc and os.geteuid() == 0:
            # The lists may name a version the mirror no longer has.
            apt_update()
            rc, out, err = run(cmd, cwd=tmp)
        debs = [d for d in os.listdir(tmp) if d.endswith(".deb")]
        if rc or len(debs) != 1:
            raise Fail("cannot download the Debian package %s %s:\n%s"
                       % (pkg, ver, tail(err or out)))
        src = os.path.join(tmp, debs[0])
        if info["sha256"] and sha256_file(src) != info["sha256"]:
            raise Fail("the downloaded Debian package %s %s does not match "
                       "apt's SHA256" % (pkg, ver))
        path = os.path.join(entry, debs[0])
        os.replace(src, path)
        return path
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def deb_files(deb):
    """Yields (name, read) for each regular file of a .deb's contents,
    streamed from `dpkg-deb --fsys-tarfile`; read() returns its bytes.
    Closing the generator early stops dpkg-deb."""
    proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
            for m in tar:
                if m.isfile():
                    yield (m.name[2:] if m.name.startswith("./")
                           else m.name,
                           lambda m=m: tar.extractfile(m).read())
    except tarfile.TarError as e:
        raise Fail("cannot read %s: %s" % (deb, e))
    finally:
        proc.stdout.close()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def deb_members(deb, want):
    """Reads the files of a .deb whose names match the regex want.

    Stops once past the directory that holds what was found (the kernel
    is under ./boot, ahead of the modules). Returns {member name: bytes}.
    """
    found = {}
    files = deb_files(deb)
    for name, read in files:
        if want.fullmatch(name):
            found[name] = read()
        elif found and \
                name.split("/")[0] != next(iter(found)).split("/")[0]:
            break   # past the directory holding what we want
    files.close()
    return found


def elf_info(data):
    """(is ELF64, has PT_INTERP, has Xen PVH entry note) of an ELF image."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return False, False, False
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    interp = pvh = False
    for i in range(phnum):
        off = phoff + i * phentsize
        p_type, = struct.unpack_from("<I", data, off)
        p_offset, = struct.unpack_from("<Q", data, off + 8)
        p_filesz, = struct.unpack_from("<Q", data, off + 32)
        if p_type == 3:
            interp = True
        elif p_type == 4:      # PT_NOTE: look for Xen's PHYS32_ENTRY (18)
            pos, end = p_offset, p_offset + p_filesz
            while pos + 12 <= end:
                namesz, descsz, ntype = struct.unpack_from("<III", data, pos)
                name = data[pos + 12:pos + 12 + namesz].rstrip(b"\0")
                if name == b"Xen" and ntype == 18:
                    pvh = True
                pos += 12 + (namesz + 3) // 4 * 4 + (descsz + 3) // 4 * 4
    return True, interp, pvh


def unpack_bzimage(data):
    """The uncompressed vmlinux inside a bzImage, or None (with a reason)."""
    if len(data) < 0x250 or data[0x202:0x206] != b"HdrS":
        return None, "not a bzImage"
    setup_sects = data[0x1f1] or 4
    payload_off, payload_len = struct.unpack_from("<II", data, 0x248)
    start = (setup_sects + 1) * 512 + payload_off
    payload = data[start:start + payload_len]
    try:
        if payload[:2] == b"\x1f\x8b":
            return gzip.GzipFile(fileobj=io.BytesIO(payload)).read(), None
        if payload[:6] == b"\xfd7zXZ\x00":
            return lzma.LZMADecompressor(lzma.FORMAT_XZ).decompress(payload), None
        if payload[:1] == b"\x5d":
            return lzma.LZMADecompressor(lzma.FORMAT_ALONE).decompress(payload), None
        if payload[:3] == b"BZh":
            return bz2.BZ2Decompressor().decompress(payload), None
    except (OSError, EOFError, lzma.LZMAError, ValueError) as e:
        return None, "cannot decompress the payload: %s" % e
    return None, "payload compression %s is not supported by Python's " \
        "standard library" % payload[:4].hex()


def cached_package(cache, info, want, extract):
    """Makes the cache entry of one package: {role file: path}."""
    pkg, ver = info["package"], info["version"]
    entry = os.path.join(cache, "%s_%s%s" % (pkg, ver.replace(":", "%3a"),
                                             entry_suffix()))
    stamp_path = os.path.join(entry, "stamp.json")
    stamp = read_json(stamp_path)
    if stamp and stamp.get("format") == CACHE_FORMAT and \
            stamp.get("version") == ver and \
            all(os.path.exists(os.path.join(entry, f))
                for f in stamp["files"]):
        return {f: os.path.join(entry, f) for f in stamp["files"]}, stamp
    os.makedirs(entry, exist_ok=True)
    deb = fetch_deb(entry, info)
    members = deb_members(deb, want)
    if not members:
        raise Fail("the Debian package %s %s has no file matching %s"
                   % (pkg, ver, want.pattern))
    files, notes = extract(members)
    for name, data in files.items():
        tmp = os.path.join(entry, name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o755)
        os.replace(tmp, os.path.join(entry, name))
    stamp = dict(notes, format=CACHE_FORMAT, package=pkg, version=ver,
                 deb=os.path.basename(deb), files=sorted(files))
    write_json(stamp_path, stamp)
    return {f: os.path.join(entry, f) for f in files}, stamp


def extract_kernel(members):
    vmlinuz = [n for n in members if n.startswith("boot/vmlinuz-")]
    if len(vmlinuz) != 1:
        raise Fail("expected one boot/vmlinuz-* in the kernel package, "
                   "found %s" % sorted(members))
    files = {"vmlinuz": members[vmlinuz[0]]}
    notes = {"release": vmlinuz[0][len("boot/vmlinuz-"):]}
    if ARCH["debian"] == "arm64":
        # An arm64 Image ("ARM\x64" at 56): QEMU -M virt boots it as is.
        if files["vmlinuz"][56:60] != b"ARM\x64":
            raise Fail("%s is not an arm64 Image" % vmlinuz[0])
        return files, notes
    vmlinux, why = unpack_bzimage(files["vmlinuz"])
    if vmlinux is not None:
        is_elf, _, pvh = elf_info(vmlinux)
        if not is_elf:
            why = "the unpacked payload is not an ELF64 image"
        elif not pvh:
            why = "the kernel has no PVH entry (CONFIG_PVH is off)"
        else:
            files["vmlinux"] = vmlinux
    if why:
        notes["no_vmlinux"] = why
        say("no PVH vmlinux (%s); the guest boots through the bzImage" % why)
    return files, notes


def extract_busybox(members):
    data = members.get("bin/busybox")
    if data is None:
        raise Fail("the Debian package %s has no bin/busybox" % BUSYBOX)
    is_elf, interp, _ = elf_info(data)
    if not is_elf or interp or \
            struct.unpack_from("<H", data, 18)[0] != ARCH["elf_machine"]:
        raise Fail("bin/busybox of the Debian package %s is not a static "
                   "%s program" % (BUSYBOX, ARCH["name"]))
    return {"busybox": data}, {}


# --------------------------------------------------------- kernel modules

MODULES_FORMAT = 1
KO_PATH = re.compile(r"lib/modules/[^/]+/kernel/.*\.ko")


def module_name(name):
    """The kernel's name of a module: no .ko, '-' read as '_'."""
    name = os.path.basename(name)
    if name.endswith(".ko"):
        name = name[:-3]
    return name.replace("-", "_")


def ko_depends(data):
    """The depends= list of a module's .modinfo section (ELF64 LE)."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)

    def section(i):
        off = shoff + i * shentsize
        name, = struct.unpack_from("<I", data, off)
        offset, size = struct.unpack_from("<QQ", data, off + 0x18)
        return name, offset, size

    _, stroff, _ = section(shstrndx)
    for i in range(shnum):
        name, offset, size = section(i)
        end = data.index(b"\0", stroff + name)
        if data[stroff + name:end] != b".modinfo":
            continue
        for field in data[offset:offset + size].split(b"\0"):
            if field.startswith(b"depends="):
                names = field[len(b"depends="):].decode()
                return [d for d in names.split(",") if d]
        return []
    return None


def modules_index(entry, deb):
    """{modules: {name: {path, depends}}, builtin: [names]} of a kernel
    package, read once from the whole .deb and cached in entry/."""
    path = os.path.join(entry, "modules-index.json")
    index = read_json(path)
    if index and index.get("format") == MODULES_FORMAT:
        return index
    say("indexing the kernel modules of %s" % os.path.basename(deb))
    mods, builtin = {}, []
    for name, read in deb_files(deb):
        if KO_PATH.fullmatch(name):
            deps = ko_depends(read())
            if deps is None:
                raise Fail("%s in %s has no .modinfo section (not an "
                           "uncompressed x86_64 module)" % (name, deb))
            mods[module_name(name)] = {"path": name, "depends": deps}
        elif re.fullmatch(r"lib/modules/[^/]+/modules\.builtin", name):
            builtin = [module_name(l.strip()) for l in
                       read().decode().splitlines() if l.strip()]
    if not mods:
        raise Fail("the kernel package %s has no modules" % deb)
    index = {"format": MODULES_FORMAT, "modules": mods,
             "builtin": sorted(builtin)}
    write_json(path, index)
    return index


def module_order(index, wanted):
    """The wanted modules and their dependencies, each after what it needs."""
    order, state = [], {}

    def visit(name, chain):
        if state.get(name) == "done":
            return
        if state.get(name) == "busy":
            raise Fail("kernel modules depend on each other in a circle: %s"
                       % " -> ".join(chain + [name]))
        if name not in index["modules"]:
            if name in index["builtin"]:
                return
            raise Fail("the kernel package has no module %s%s" % (
                name, " (needed by %s)" % chain[-1] if chain else ""))
        state[name] = "busy"
        for d in index["modules"][name]["depends"]:
            visit(module_name(d), chain + [name])
        state[name] = "done"
        order.append(name)

    for w in wanted:
        name = module_name(w)
        if name in index["builtin"] and name not in index["modules"]:
            say("module %s is built into the kernel: nothing to load" % name)
        visit(name, [])
    return order


def kernel_modules(cache, info, wanted):
    """Paths of the cached .ko files to load, in load order: [(name, path)]."""
    entry = os.path.join(cache, "%s_%s%s" % (
        info["package"], info["version"].replace(":", "%3a"),
        entry_suffix()))
    deb = fetch_deb(entry, info)
    index = modules_index(entry, deb)
    order = module_order(index, wanted)
    mdir = os.path.join(entry, "modules")
    os.makedirs(mdir, exist_ok=True)
    missing = [n for n in order
               if not os.path.exists(os.path.join(mdir, n + ".ko"))]
    if missing:
        paths = {index["modules"][n]["path"]: n for n in missing}
        want = re.compile("|".join(re.escape(p) for p in paths))
        members = deb_members(deb, want)
        for p, n in paths.items():
            if p not in members:
                raise Fail("%s is missing from %s" % (p, deb))
            tmp = os.path.join(mdir, n + ".ko.tmp")
            with open(tmp, "wb") as f:
                f.write(members[p])
            os.replace(tmp, os.path.join(mdir, n + ".ko"))
    return [(n, os.path.join(mdir, n + ".ko")) for n in order]


# ------------------------------------------------------------- initramfs

class Cpio:
    """A cpio archive in the newc format (what the kernel unpacks)."""

    def __init__(self):
        self.buf = bytearray()
        self.ino = 1

    def _add(self, name, mode, data=b"", rdev=(0, 0)):
        nlink = 2 if stat.S_ISDIR(mode) else 1
        name_b = name.encode() + b"\0"
        hdr = "070701" + "".join("%08x" % v for v in (
            self.ino, mode, 0, 0, nlink, 0, len(data), 0, 0,
            rdev[0], rdev[1], len(name_b), 0))
        self.ino += 1
        self.buf += hdr.encode() + name_b
        self.buf += b"\0" * (-len(self.buf) % 4)
        self.buf += data
        self.buf += b"\0" * (-len(self.buf) % 4)

    def dir(self, name, perm=0o755):
        self._add(name, stat.S_IFDIR | perm)

    def file(self, name, data, perm=0o755):
        self._add(name, stat.S_IFREG | perm, data)

    def symlink(self, name, target):
        self._add(name, stat.S_IFLNK | 0o777, target.encode())

    def chardev(self, name, major, minor, perm=0o600):
        self._add(name, stat.S_IFCHR | perm, rdev=(major, minor))

    def finish(self):
        self._add("TRAILER!!!", 0)
        self.buf += b"\0" * (-len(self.buf) % 512)
        return bytes(self.buf)


INIT = r"""#!/bin/sh
# /init of the Linux benchmark guest, written by support/bench/linux_guest.py:
# runs the programs listed in /bench.list, then powers off.
bb=/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sysfs /sys
$bb mount -t tmpfs tmpfs /tmp
status=0
# Kernel modules (--modules), dependencies first.
if [ -f /modules.list ]; then
    while read -r m <&3; do
        $bb insmod /lib/modules/$m.ko
        rc=$?
        [ "$rc" -eq 0 ] || { echo "LINUX_GUEST_MODULE $m $rc"; status=1; }
    done 3</modules.list
fi
# Setup lines (--setup): busybox applets, e.g. ip link set eth0 up.
if [ -f /setup.list ]; then
    while read -r line <&3; do
        case "$line" in ''|'#'*) continue ;; esac
        $bb $line
        rc=$?
        [ "$rc" -eq 0 ] || { echo "LINUX_GUEST_SETUP $rc $line"; status=1; }
    done 3</setup.list
fi
# Let the kernel finish refining the TSC (tsc-early -> tsc, about 1 s
# after boot) so that no clocksource change falls inside a measurement.
csf=/sys/devices/system/clocksource/clocksource0/current_clocksource
i=0
while [ "$($bb cat $csf 2>/dev/null)" = tsc-early ] && [ $i -lt 300 ]; do
    $bb usleep 10000
    i=$((i + 1))
done
cs=$($bb cat $csf 2>/dev/null)
echo "# linux-guest: kernel $($bb uname -r), clocksource ${cs:-?}, cpus $($bb nproc)"
while read -r prog args <&3; do
    case "$prog" in ''|'#'*) continue ;; esac
    echo "LINUX_GUEST_RUN $prog"
    /bench/$prog $args
    rc=$?
    echo "LINUX_GUEST_EXIT $prog $rc"
    [ "$rc" -eq 0 ] || status=1
done 3</bench.list
echo "LINUX_GUEST_DONE $status"
$bb poweroff -f
"""


def make_initramfs(busybox, extras, run_lines, modules=(), setup=()):
    c = Cpio()
    for d in ("bin", "bench", "dev", "proc", "sys", "tmp", "root"):
        c.dir(d)
    if modules:
        c.dir("lib")
        c.dir("lib/modules")
        for name, path in modules:
            with open(path, "rb") as f:
                c.file("lib/modules/%s.ko" % name, f.read(), 0o644)
        c.file("modules.list", "".join(n + "\n" for n, _ in modules).encode(),
               0o644)
    if setup:
        c.file("setup.list", "".join(l + "\n" for l in setup).encode(), 0o644)
    c.chardev("dev/console", 5, 1)
    with open(busybox, "rb") as f:
        c.file("bin/busybox", f.read())
    c.symlink("bin/sh", "busybox")
    c.file("init", INIT.encode())
    names = []
    for path in extras:
        name = os.path.basename(path)
        if name in names:
            raise Fail("two --extra programs are called %s" % name)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise Fail("cannot read --extra program %s: %s" % (path, e.strerror))
        is_elf, interp, _ = elf_info(data)
        if not is_elf:
            raise Fail("--extra %s is not an x86_64 ELF program" % path)
        if interp:
            raise Fail("--extra %s is dynamically linked; the guest has no "
                       "libc: build it with -static" % path)
        c.file("bench/" + name, data)
        names.append(name)
    lines = run_lines if run_lines else names
    for line in lines:
        prog = line.split()[0] if line.split() else ""
        if prog and not prog.startswith("#") and prog not in names:
            raise Fail("--run %r: %s is not one of the --extra programs"
                       % (line, prog))
    c.file("bench.list", "".join(l + "\n" for l in lines).encode(), 0o644)
    return c.finish()


# ------------------------------------------------------------------ output

def write_if_changed(path, data):
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    except OSError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return True


def copy_if_changed(src, dst):
    s = os.stat(src)
    try:
        d = os.stat(dst)
        if d.st_size == s.st_size and d.st_mtime_ns == s.st_mtime_ns:
            return
    except OSError:
        pass
    shutil.copy2(src, dst + ".tmp")
    os.replace(dst + ".tmp", dst)


def build(args):
    check_tools()
    out = os.path.abspath(args.outdir)
    os.makedirs(out, exist_ok=True)
    cache = cache_dir()
    with Lock(cache):
        select_arch(getattr(args, "arch", None) or "x86_64", cache)
        pkgs = resolve_cached(cache, args.kernel_package)
        kfiles, kstamp = cached_package(
            cache, pkgs["kernel"], re.compile(r"boot/vmlinuz-.*"),
            extract_kernel)
        bfiles, _ = cached_package(
            cache, pkgs["busybox"], re.compile(r"bin/busybox"),
            extract_busybox)
        modules = kernel_modules(cache, pkgs["kernel"], args.modules) \
            if args.modules else []

    copy_if_changed(kfiles["vmlinuz"], os.path.join(out, "vmlinuz"))
    if "vmlinux" in kfiles:
        copy_if_changed(kfiles["vmlinux"], os.path.join(out, "vmlinux"))
        kernel, boot = os.path.join(out, "vmlinux"), "pvh"
    else:
        if os.path.exists(os.path.join(out, "vmlinux")):
            os.unlink(os.path.join(out, "vmlinux"))
        kernel = os.path.join(out, "vmlinuz")
        boot = "image" if ARCH["debian"] == "arm64" else "bzimage"
    initrd = os.path.join(out, "initrd.cpio")
    write_if_changed(initrd, make_initramfs(bfiles["busybox"], args.extra,
                                            args.run, modules, args.setup))
    guest = {
        "kernel": kernel,
        "boot": boot,
        "initrd": initrd,
        "append": APPEND.replace("ttyS0", ARCH["console"]) + ARCH["append"],
        "arch": ARCH["name"],
        "kernel_release": kstamp.get("release"),
        "modules": [n for n, _ in modules],
        "packages": {role: {"package": i["package"], "version": i["version"]}
                     for role, i in pkgs.items()},
    }
    write_if_changed(os.path.join(out, "guest.json"),
                     (json.dumps(guest, indent=1, sort_keys=True) + "\n").encode())
    return guest


def main():
    ap = argparse.ArgumentParser(
        description="Build a Linux guest (Debian kernel + busybox initramfs) "
                    "that runs static benchmark programs and powers off.")
    sub = ap.add_subparsers(dest="cmd")
    b = sub.add_parser("build", help="build the guest into OUTDIR")
    b.add_argument("outdir", metavar="OUTDIR")
    b.add_argument("--extra", action="append", default=[], metavar="PROG",
                   help="static program to put in /bench/ (repeatable)")
    b.add_argument("--run", action="append", default=[], metavar="'PROG ARGS'",
                   help="line of /bench.list (repeatable; default: each "
                        "--extra program, no arguments)")
    b.add_argument("--kernel-package", metavar="PKG",
                   help="Debian kernel package (default: what %s, or "
                        "linux-image-arm64 with --arch arm64, depends on)"
                        % KERNEL_META)
    b.add_argument("--modules", action="append", nargs="+", default=[],
                   metavar="NAME",
                   help="kernel modules to load at boot, with their "
                        "dependencies (repeatable)")
    b.add_argument("--arch", choices=sorted(ARCHES), default="x86_64",
                   help="the guest's architecture (default x86_64)")
    b.add_argument("--setup", action="append", default=[],
                   metavar="'APPLET ARGS'",
                   help="busybox command /init runs after loading the "
                        "modules, before the programs (repeatable)")
    args = ap.parse_args()
    if args.cmd != "build":
        ap.print_help(sys.stderr)
        return 2
    args.modules = [m for group in args.modules for m in group]
    try:
        build(args)
        print(os.path.join(os.path.abspath(args.outdir), "guest.json"))
    except Fail as e:
        say("error: %s" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
