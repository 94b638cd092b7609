# SPDX-License-Identifier: BSD-3-Clause
"""What the Linux-guest sides of the benchmarks share: building a static
program for the guest, booting the guest under QEMU until it powers off,
and reading the `name: number` figures it prints."""
import os
import re
import shutil
import subprocess

QEMU = "qemu-system-x86_64"
TOOLS = {"gcc": "gcc", QEMU: "qemu-system-x86"}   # command -> Debian package
LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*): (-?[0-9]+(?:\.[0-9]+)?)$")


class Fail(Exception):
    pass


def last_lines(text, n=25):
    return "\n".join("    " + l for l in text.strip().splitlines()[-n:])


def check_tools(tools=TOOLS):
    missing = sorted({p for c, p in tools.items() if shutil.which(c) is None})
    if missing:
        raise Fail("missing host tools; install the Debian package(s): %s"
                   % " ".join(missing))


def build_static(src, exe, cflags):
    """Compiles src into exe with gcc when src is newer; returns exe."""
    try:
        if os.stat(exe).st_mtime_ns >= os.stat(src).st_mtime_ns:
            return exe
    except OSError:
        pass
    cmd = ["gcc"] + list(cflags) + ["-o", exe + ".tmp", src]
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True, timeout=300)
    except subprocess.TimeoutExpired:
        raise Fail("gcc timed out on %s" % src)
    if p.returncode:
        raise Fail("cannot build %s (static linking needs the Debian "
                   "package libc6-dev):\n%s" % (src, last_lines(p.stdout)))
    os.replace(exe + ".tmp", exe)
    return exe


def qemu_command(guest, append_extra="", devices=()):
    """The guest's QEMU command: TCG, -M pc, one vCPU, 256M, its console."""
    append = guest["append"] + (" " + append_extra if append_extra else "")
    return [QEMU, "-M", "pc", "-accel", "tcg", "-cpu", "max", "-smp", "1",
            "-m", "256M", "-nodefaults", "-no-user-config", "-display",
            "none", "-serial", "stdio", "-no-reboot"] + list(devices) + [
            "-kernel", guest["kernel"], "-initrd", guest["initrd"],
            "-append", append]


def run(cmd, timeout):
    """Runs QEMU until the guest powers off; returns its console output."""
    try:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as e:
        raise Fail("cannot start %s: %s" % (cmd[0], e.strerror))
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        raise Fail("the guest did not power off within %d s; console:\n%s"
                   % (timeout, last_lines(out.decode(errors="replace"))))
    out = out.decode(errors="replace").replace("\r", "")
    if p.returncode:
        raise Fail("QEMU exited with status %d:\n%s\nconsole:\n%s"
                   % (p.returncode, last_lines(err.decode(errors="replace")),
                      last_lines(out)))
    return out


def figures(console, names):
    """The `name: number` lines of console; (figures, guest info line).
    Every one of names must be there."""
    lines = console.splitlines()
    found = {}
    for l in lines:
        m = LINE.match(l.strip())
        if m:
            found[m.group(1)] = float(m.group(2))
    missing = [k for k in names if k not in found]
    if missing:
        raise Fail("no %s in the guest's output; console:\n%s"
                   % (", ".join(missing), last_lines(console)))
    info = [l[1:].strip() for l in lines if l.startswith("# linux-guest:")]
    return found, (info[0] if info else "")


def report(say, guest, info, build_s, boot_s, figures, names, qemu_cmd,
           as_json):
    """Says what ran (kernel, busybox, modules, times) on stderr and
    prints the figures: one JSON object, or `name: value` lines."""
    import json
    import shlex
    pk = guest.get("packages", {})
    say("%s; %s; boot %s; %s %s, %s %s; modules %s" % (
        info, "TCG -smp 1 -m 256M", guest.get("boot"),
        pk.get("kernel", {}).get("package"), pk.get("kernel", {}).get("version"),
        pk.get("busybox", {}).get("package"), pk.get("busybox", {}).get("version"),
        " ".join(guest.get("modules", []))))
    say("build %.1f s, guest %.1f s" % (build_s, boot_s))
    if as_json:
        fig = {k: figures[k] for k in names}
        fig["qemu"] = " ".join(shlex.quote(c) for c in qemu_cmd)
        print(json.dumps(fig))
    else:
        for k in names:
            print("%s: %s" % (k, figures[k]))
