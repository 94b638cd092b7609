# SPDX-License-Identifier: BSD-3-Clause
"""Boot benchmarks: how close Cairn's helloworld comes to the floor.

Builds helloworld (with make) and the floor kernel (floor/ here,
the least a PVH kernel can do: print '!' and power off) into --O, then on
-M microvm and -M pc boots each --runs times, floor and Cairn in turn, and
reports the median wall time from starting QEMU to its first byte on the
serial console, to the greeting line (the floor's '!') and to QEMU's exit.
It also reads the guest's own entry->main time (init.timing=1), the
stripped image size, and searches both kernels' smallest -m that boots.
Then (--firmware-runs) it packs helloworld with make image and times the
greeting from the ISO under SeaBIOS and under OVMF (GRUB, Multiboot2)
against -kernel PVH on -M pc, rounds alternating, and lists the size of
every make image format.

QEMU is started exactly as `make run` starts it: support/qemu.py --print
gives the command line, which is then run directly (so the launcher's
Python start-up is not measured), stdin from /dev/null, the console read
through a pipe. Every run is checked (exit status 0 from the guest, the
expected output); any failure stops the benchmark with exit status 1.
"""
import os
import platform
import re
import shutil
import selectors
import signal
import statistics
import sys
import subprocess
import time

from support.bench import harness as h

TITLE = "boot time vs a trivial kernel, image size, smallest -m"
APPS = [("helloworld", ""), ("helloworld", "CONFIG_PLAT_QEMU_LOAD_LOW=y\n")]
SRCTREE = h.SRCTREE
FLOOR_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "floor")
MACHINES = ("microvm", "pc")
MEM_MAX_KIB = 64 * 1024
MEM_TINY = ("1K", "8K", "64K", "256K", "512K", "1M")

# Goals (doc/bench/boot.md).
GOAL_RATIO = 1.10
GOAL_MAIN_US = 50
GOAL_IMAGE_KIB = 64
GOAL_MEM_KIB = 1024

REFERENCE = """\
Reference, measured separately (NOT measured by this script; figures from
the project's design brief, same kind of host, TCG):
  trivial-kernel floor           microvm ~38 ms   pc ~92 ms
  Unikraft 0.16.3 helloworld     pc: greeting at ~205 ms (its timer
                                 calibration waits 100 ms); microvm: no boot
  Unikraft helloworld image      227,800 bytes (222.5 KiB)
  Unikraft smallest -m           1608 KiB"""


def say(msg=""):
    sys.stdout.write(msg + "\n")
    sys.stdout.flush()


# --------------------------------------------------------------------------
# Building

def run_make(args, what):
    t = time.monotonic()
    p = subprocess.run(["make"] + args, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        sys.stdout.write(p.stdout.decode(errors="replace"))
        raise h.Fail("building %s failed (make %s, exit %d)"
                     % (what, " ".join(args), p.returncode))
    return time.monotonic() - t


def build(out):
    t = time.monotonic()
    image = h.make_cairn(out, "helloworld", APPS[0][1])
    secs = time.monotonic() - t
    floor_out = os.path.join(out, "floor")
    secs += run_make(["-C", FLOOR_SRC, "O=" + floor_out], "the floor kernel")
    floor = os.path.join(floor_out, "floor")
    for f in (image, floor):
        if not os.path.isfile(f):
            raise h.Fail("build finished but %s is missing" % f)
    return image, floor, secs


def build_low(out):
    """helloworld linked in low memory (PLAT_QEMU_LOAD_LOW, microvm only):
    the configuration meant for the smallest guests."""
    return h.make_cairn(os.path.join(out, "low"), "helloworld", APPS[1][1])


def config_string(out, name, default):
    try:
        with open(os.path.join(out, "include", "config", "auto.conf")) as f:
            for line in f:
                if line.startswith(name + "="):
                    v = line.split("=", 1)[1].strip()
                    if v.startswith('"') and v.endswith('"'):
                        v = v[1:-1].replace('\\"', '"').replace("\\\\", "\\")
                    return v
    except OSError:
        pass
    return default


# --------------------------------------------------------------------------
# Running QEMU

def qemu_command(kernel, machine, mem="64M", params=""):
    """The command `make run` would start (support/qemu.py --print).

    The launcher refuses a -m too small for the image, so it is asked for
    64M and the memory search puts its own -m in the returned command.
    """
    argv = ["--kernel", kernel, "--machine", machine, "--mem", "64M"]
    if params:
        argv += ["--params", params]
    cmd = h.launcher(*argv)
    cmd[cmd.index("-m") + 1] = mem
    return cmd


def option(cmd, name):
    return cmd[cmd.index(name) + 1] if name in cmd else None


class Run:
    """One boot: times in ms from just before QEMU was started."""

    def __init__(self, cmd):
        self.cmd = cmd
        self.out = b""
        self.err = b""
        self.first = self.mark = self.exit = None
        self.rc = None
        self.timed_out = False

    def errors(self):
        """QEMU's stderr lines other than warnings."""
        return [ln for ln in self.err.decode(errors="replace").splitlines()
                if ln.strip() and "warning" not in ln.lower()]

    def describe(self):
        return ("command: %s\nQEMU exit: %s%s\nstdout: %r\nstderr: %r"
                % (h.quote(self.cmd), self.rc,
                   " (timed out, killed)" if self.timed_out else "",
                   self.out[-600:], self.err[-600:]))


def boot(cmd, marker, timeout):
    """Starts cmd, watches its stdout for the regex marker, waits for exit."""
    r = Run(cmd)
    out = bytearray()
    err = bytearray()
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = t0 + timeout
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ, out)
    sel.register(p.stderr, selectors.EVENT_READ, err)
    try:
        while sel.get_map():
            left = deadline - time.perf_counter()
            if left <= 0:
                r.timed_out = True
                break
            events = sel.select(left)
            now = time.perf_counter()
            for key, _ in events:
                data = os.read(key.fd, 65536)
                if not data:
                    sel.unregister(key.fileobj)
                    continue
                key.data.extend(data)
                if key.data is out:
                    if r.first is None:
                        r.first = (now - t0) * 1000
                    if r.mark is None and marker.search(out):
                        r.mark = (now - t0) * 1000
        if r.timed_out:
            p.send_signal(signal.SIGKILL)
            p.wait()
        else:
            p.wait()
            r.exit = (time.perf_counter() - t0) * 1000
    finally:
        sel.close()
        p.stdout.close()
        p.stderr.close()
        if p.poll() is None:
            p.kill()
            p.wait()
    r.rc = p.returncode
    r.out = bytes(out)
    r.err = bytes(err)
    return r


class Kernel:
    def __init__(self, name, image, marker, expect):
        self.name = name
        self.image = image
        self.marker = marker		# regex: when it has booted
        self.expect = expect		# regexes the output must contain

    def problem(self, r):
        """None if r is a good boot, else what went wrong."""
        if r.timed_out:
            return "hung (killed after the timeout)"
        if r.rc == 1 and r.errors():
            return "QEMU refused: %s" % r.errors()[0]
        if r.rc < 0:
            return "QEMU killed by signal %d" % -r.rc
        if not r.rc & 1:
            return ("stopped without an exit status (QEMU exit %d: reset, "
                    "triple fault or shutdown)%s"
                    % (r.rc, "" if r.out else ", no output"))
        if r.rc != 1:
            last = r.out.decode(errors="replace").strip().splitlines()
            return "guest exit status %d, expected 0%s" % (
                r.rc >> 1, "; last output: " + last[-1] if last else
                ", no output")
        if r.mark is None:
            return "exit status 0 but no greeting"
        for rx in self.expect:
            if not rx.search(r.out):
                return "output lacks %r" % rx.pattern
        return None

    def check(self, r, what):
        why = self.problem(r)
        if why:
            raise h.Fail("%s: %s boot failed: %s\n%s"
                         % (what, self.name, why, r.describe()))
        return r


# --------------------------------------------------------------------------
# The benchmarks

def bench_boot(kernels, machine, runs, timeout):
    floor, cairn = kernels
    cmds = {k.name: qemu_command(k.image, machine) for k in kernels}
    # One discarded boot each: page cache, QEMU's shared libraries.
    for k in kernels:
        k.check(boot(cmds[k.name], k.marker, timeout), machine + " warm-up")
    res = {k.name: [] for k in kernels}
    for i in range(runs):
        # Alternate the order too, so neither always follows the other.
        for k in (kernels if i % 2 == 0 else kernels[::-1]):
            r = k.check(boot(cmds[k.name], k.marker, timeout),
                        "%s run %d" % (machine, i + 1))
            res[k.name].append(r)
    return cmds, res


def entry_to_main(cairn, machine, timeout):
    cmd = qemu_command(cairn.image, machine, params="init.timing=1")
    r = cairn.check(boot(cmd, cairn.marker, timeout),
                    machine + " init.timing=1")
    m = re.search(rb"(\d+) cycles \((\d+) us\) from entry to main", r.out)
    if not m:
        raise h.Fail("%s: no 'N cycles (M us) from entry to main' line "
                     "with init.timing=1\n%s" % (machine, r.describe()))
    return int(m.group(1)), int(m.group(2))


def effective_mem(cmd, mem):
    """Guest RAM QEMU really gives for -m mem (asks its monitor)."""
    c = list(cmd)
    c[c.index("-m") + 1] = mem
    i = c.index("-serial")
    del c[i:i + 4]			# -serial stdio -monitor none
    c += ["-serial", "none", "-monitor", "stdio", "-S"]
    try:
        p = subprocess.run(c, input=b"info memory_size_summary\nquit\n",
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=10)
    except subprocess.TimeoutExpired:
        return None
    m = re.search(rb"base memory: (\d+)", p.stdout)
    return int(m.group(1)) if m else None


def smallest_mem(k, machine, timeout, log, tiny=None):
    """Bisection for the smallest -m <N>K that boots k on machine; the
    search starts at the first of tiny (default MEM_TINY) QEMU accepts."""
    probes = {}

    def probe(kib):
        if kib not in probes:
            r = boot(qemu_command(k.image, machine, mem="%dK" % kib),
                     k.marker, timeout)
            probes[kib] = k.problem(r)
            log("    -m %dK: %s" % (kib, probes[kib] or "boots"))
        return probes[kib] is None

    notes = []
    base = qemu_command(k.image, machine)
    # What does QEMU make of tiny sizes? The smallest one it accepts is
    # the bottom of the search.
    lo = None
    for mem in tiny or MEM_TINY:
        r = boot(qemu_command(k.image, machine, mem=mem), k.marker, timeout)
        why = k.problem(r)
        log("    -m %s: %s" % (mem, why or "boots"))
        if why and why.startswith("QEMU refused"):
            notes.append("-m %s refused (%s)" % (mem, why[14:]))
            continue
        eff = effective_mem(base, mem)
        kib = int(mem[:-1]) * (1024 if mem.endswith("M") else 1)
        unit = eff // 1024 if eff and eff // 1024 > kib else 1
        notes.append("QEMU accepts -m %s and gives %s bytes%s"
                     % (mem, eff if eff is not None else "?",
                        " (rounds up to %d KiB multiples)" % unit
                        if unit > 1 else ""))
        notes.append("-m %s: %s" % (mem, why or "boots"))
        lo = -(-kib // unit) * unit
        probes[lo] = why
        break
    if lo is None:
        raise h.Fail("%s: QEMU refused every -m in %s"
                     % (machine, tiny or MEM_TINY))
    if probes[lo] is None:
        return lo, None, notes
    hi = MEM_MAX_KIB
    if not probe(hi):
        raise h.Fail("%s: %s does not boot even with -m %dK: %s"
                     % (machine, k.name, hi, probes[hi]))
    # Only multiples of QEMU's rounding unit are distinct sizes.
    lo_u, hi_u = -(-lo // unit), hi // unit
    while hi_u - lo_u > 1:
        mid = (lo_u + hi_u) // 2
        if probe(mid * unit):
            hi_u = mid
        else:
            lo_u = mid
    return hi_u * unit, (lo_u * unit, probes[lo_u * unit]), notes


# --------------------------------------------------------------------------

# --------------------------------------------------------------------------
# 5. Through the firmware: make image's ISO and disks

FIRMWARE_RUNS = 3
IMAGE_FORMATS = ("iso", "raw", "qcow2", "vmdk", "vdi")


def build_images(o, out):
    """helloworld (built in o) packed by make image in every format into
    out/image: {format: path}."""
    paths = {}
    for fmt in IMAGE_FORMATS:
        path = os.path.join(out, "image", "helloworld.%s"
                            % ("img" if fmt == "raw" else fmt))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        run_make(["-C", SRCTREE, "O=" + o, "APP=apps/helloworld", "image",
                  "FORMAT=" + fmt, "OUT=" + path], "make image FORMAT=" + fmt)
        paths[fmt] = path
    return paths


def firmware_command(iso, firmware, vars_copy):
    """support/qemu.py's command for the ISO under firmware; OVMF's
    variable store is our own copy (the launcher's is removed once it has
    printed the command)."""
    cmd = h.launcher("--boot-image", iso, "--firmware", firmware)
    for i, c in enumerate(cmd):
        if c.startswith("if=pflash") and "unit=1" in c:
            shutil.copyfile("/usr/share/OVMF/OVMF_VARS.fd", vars_copy)
            cmd[i] = re.sub(r"file=.*$", "file=" + vars_copy, c)
    return cmd


def bench_firmware(cairn, images, runs, timeout, out):
    """Greeting times: -kernel PVH, the ISO under SeaBIOS, under OVMF, on
    -M pc, side by side (alternating), medians of runs."""
    vars_copy = os.path.join(out, "image", "OVMF_VARS.fd")
    cmds = {"pvh": qemu_command(cairn.image, "pc"),
            "seabios": firmware_command(images["iso"], "seabios", vars_copy),
            "ovmf": firmware_command(images["iso"], "ovmf", vars_copy)}
    order = list(cmds)
    res = {k: [] for k in order}
    for i in range(runs + 1):            # the first round is discarded
        for k in (order if i % 2 == 0 else order[::-1]):
            r = cairn.check(boot(cmds[k], cairn.marker, timeout),
                            "%s run %d" % (k, i))
            if i:
                res[k].append(r.mark)
    return res


def met(ok):
    return "met" if ok else "NOT met"


def options(ap):
    ap.add_argument("--runs", type=int, default=15,
                    help="boots per kernel and machine (default 15)")
    ap.add_argument("--timeout", type=float, default=20.0,
                    help="seconds before a timed boot counts as hung")
    ap.add_argument("--mem-timeout", type=float, default=3.0,
                    help="seconds before a -m probe counts as hung "
                    "(default 3)")
    ap.add_argument("--no-mem", action="store_true",
                    help="skip the smallest -m search")
    ap.add_argument("--firmware-runs", type=int, default=FIRMWARE_RUNS,
                    help="rounds of PVH / ISO under SeaBIOS / ISO under "
                    "OVMF (default %d; 0 skips them and the image sizes)"
                    % FIRMWARE_RUNS)
    ap.add_argument("--firmware-timeout", type=float, default=300.0,
                    help="seconds one firmware boot may take (OVMF under "
                    "TCG takes tens of seconds)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="show every -m probe")


def run(a):
    if a.runs < 1:
        raise h.Fail("--runs must be at least 1")
    out = a.out
    log = say if a.verbose else (lambda msg: None)
    rows = []
    image, floor_img, secs = build(out)
    greeting = config_string(out, "CONFIG_APP_HELLOWORLD_GREETING",
                             "Hello from Cairn!")
    floor = Kernel("floor", floor_img, re.compile(rb"!"), [])
    cairn = Kernel(
        "cairn", image,
        re.compile(rb"(?:^|\n)" + re.escape(greeting.encode())
                   + rb"\r?\n"),
        [re.compile(rb'argv\[0\] = "helloworld"')])
    kernels = (floor, cairn)

    probe_cmd = qemu_command(image, MACHINES[0])
    qv = subprocess.run([probe_cmd[0], "--version"],
                        stdout=subprocess.PIPE).stdout.decode()
    say("Cairn boot benchmark, %s" % time.strftime("%Y-%m-%d %H:%M %Z"))
    say("host: %s, %d CPUs; %s" % (platform.node(), os.cpu_count(),
                                   qv.splitlines()[0]))
    say("QEMU: -accel %s -cpu %s, as support/qemu.py starts it"
        % (option(probe_cmd, "-accel"), option(probe_cmd, "-cpu")))
    say("built in %.1f s into %s" % (secs, out))
    say()

    # 1. Wall-clock boot time.
    say("Boot time: ms from starting QEMU, median of %d runs "
        "(min..max of the greeting)" % a.runs)
    say("%-8s %-6s %10s %10s %10s   %s" % ("machine", "kernel",
                                          "1st byte", "greeting",
                                          "exit", "greeting range"))
    summary = {}
    for machine in MACHINES:
        _, res = bench_boot(kernels, machine, a.runs, a.timeout)
        med = {}
        for k in kernels:
            rs = res[k.name]
            med[k.name] = [statistics.median(getattr(r, f) for r in rs)
                           for f in ("first", "mark", "exit")]
            marks = [r.mark for r in rs]
            say("%-8s %-6s %10.1f %10.1f %10.1f   %.1f..%.1f"
                % ((machine, k.name) + tuple(med[k.name])
                   + (min(marks), max(marks))))
        summary[machine] = med
    say()
    for machine in MACHINES:
        f = summary[machine]["floor"][1]
        c = summary[machine]["cairn"][1]
        say("%-8s floor %.1f ms  cairn %.1f ms  ratio %.2fx  "
            "(to exit: %.2fx)  goal %.2fx: %s"
            % (machine, f, c, c / f,
               summary[machine]["cairn"][2] / summary[machine]["floor"][2],
               GOAL_RATIO, met(c / f <= GOAL_RATIO)))
        rows.append(h.row("boot: to greeting, %s (ms; baseline: the "
                          "floor kernel)" % machine, "%.1f" % c,
                          "%.1f" % f, "%.2fx" % (c / f),
                          "<= %.2fx" % GOAL_RATIO, c / f <= GOAL_RATIO))
    say()

    # 2. The guest's own view.
    say("Guest entry->main (init.timing=1, TSC; one boot each):")
    main_us = {}
    for machine in MACHINES:
        cyc, us = entry_to_main(cairn, machine, a.timeout)
        main_us[machine] = us
        say("  %-8s %6d us  (%d cycles)  goal < %d us: %s"
            % (machine, us, cyc, GOAL_MAIN_US, met(us < GOAL_MAIN_US)))
        rows.append(h.row("boot: entry->main, %s (us)" % machine,
                          "%d" % us, "", "", "< %d" % GOAL_MAIN_US,
                          us < GOAL_MAIN_US))
    say()

    # 3. Size.
    size = os.stat(image).st_size
    say("Image: %s  %d bytes (%.1f KiB) stripped  goal < %d KiB: %s"
        % (os.path.basename(image), size, size / 1024, GOAL_IMAGE_KIB,
           met(size < GOAL_IMAGE_KIB * 1024)))
    say("       floor %d bytes" % os.stat(floor_img).st_size)
    rows.append(h.row("boot: helloworld image, stripped (KiB)",
                      "%.1f" % (size / 1024), "", "",
                      "< %d" % GOAL_IMAGE_KIB,
                      size < GOAL_IMAGE_KIB * 1024))
    say()

    # 4. Memory.
    if not a.no_mem:
        say("Smallest -m that boots (bisection in KiB up to %dK, "
            "a probe hung after %gs counts as failed):"
            % (MEM_MAX_KIB, a.mem_timeout))
        seen = set()
        for k in (cairn, floor):
            for machine in MACHINES:
                log("  %s on %s:" % (k.name, machine))
                best, below, notes = smallest_mem(k, machine,
                                                  a.mem_timeout, log)
                line = "  %-5s %-8s -m %dK" % (k.name, machine, best)
                if k is cairn:
                    line += "  goal <= %dK: %s" % (
                        GOAL_MEM_KIB, met(best <= GOAL_MEM_KIB))
                say(line)
                if below:
                    say("      at %dK: %s" % below)
                for n in notes:
                    if n.startswith("-m ") or n not in seen:
                        say("      " + n)
                        seen.add(n)
        low = Kernel("cairn", build_low(out), cairn.marker, cairn.expect)
        best, below, _ = smallest_mem(low, "microvm", a.mem_timeout, log)
        say("  cairn microvm  -m %dK  with Load address: low memory "
            "(PLAT_QEMU_LOAD_LOW)  goal <= %dK: %s"
            % (best, GOAL_MEM_KIB, met(best <= GOAL_MEM_KIB)))
        rows.append(h.row("boot: smallest -m, microvm, low load "
                          "address (KiB)", "%d" % best, "", "",
                          "<= %d" % GOAL_MEM_KIB,
                          best <= GOAL_MEM_KIB))
        if below:
            say("      at %dK: %s" % below)
        say()
    # 5. Through the firmware (make image).
    if a.firmware_runs > 0:
        images = build_images(os.path.dirname(image), out)
        say("Through the firmware: -M pc, ms from starting QEMU to the "
            "greeting, median of %d rounds (min..max):" % a.firmware_runs)
        # GRUB leaves its cursor codes before the greeting: no line start.
        fw = Kernel("cairn", image, re.compile(
            re.escape(greeting.encode()) + rb"\r?\n"), cairn.expect)
        res = bench_firmware(fw, images, a.firmware_runs,
                             a.firmware_timeout, out)
        pvh = statistics.median(res["pvh"])
        for k, what in (("pvh", "-kernel (PVH)"),
                        ("seabios", "ISO, SeaBIOS + GRUB (Multiboot2)"),
                        ("ovmf", "ISO, OVMF + GRUB (Multiboot2)")):
            m = statistics.median(res[k])
            share = "" if k == "pvh" else \
                "  %.2fx PVH; firmware and GRUB %.0f%% of it" % (
                    m / pvh, 100 * (m - pvh) / m)
            say("  %-34s %9.1f  (%.1f..%.1f)%s" % (
                what, m, min(res[k]), max(res[k]), share))
            if k != "pvh":
                rows.append(h.row("boot: to greeting, %s (ms; baseline: "
                                  "-kernel PVH)" % what, "%.0f" % m,
                                  "%.1f" % pvh, "%.1fx" % (m / pvh)))
        say("Sizes of make image (helloworld; allocated on disk in "
            "brackets):")
        for fmt in IMAGE_FORMATS:
            st = os.stat(images[fmt])
            say("  %-6s %10d bytes  (%d KiB allocated)"
                % (fmt, st.st_size, st.st_blocks // 2))
            rows.append(h.row("boot: make image FORMAT=%s (KiB)" % fmt,
                              "%d" % (st.st_size // 1024), "", ""))
        say()
    say(REFERENCE)
    return rows
