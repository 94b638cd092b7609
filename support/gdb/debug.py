#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""make debug: QEMU halted at the first instruction with its gdb stub, and
gdb attached to it with the image's symbols and support/gdb/cairn.py.

    debug.py --elf IMAGE.elf --port 1234 [--gdb gdb|none] [--timeout S]
             -- <support/qemu.py command>

The QEMU command comes from the launcher (`--print`, with `--gdb`), so
every run option of make (MACHINE, MEM, disks, network, QEMU_FLAGS)
applies. Then:

- On a terminal with gdb installed: QEMU starts in the background in its
  own session (Ctrl-C in gdb stops the guest, not QEMU); the guest's
  console output shows in this terminal; gdb runs in the foreground; when
  gdb exits, QEMU is stopped. For console input as well, use GDB=none and
  start gdb in a second terminal.
- Otherwise (no terminal, no gdb, or --gdb none): prints the gdb command
  and runs QEMU in the foreground with the console on this terminal; the
  exit status is the guest's, as with make run.
"""
import argparse
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCRIPT = os.path.join(HERE, "cairn.py")


def rel(path):
    path = os.path.abspath(path)
    if path.startswith(ROOT + os.sep) and os.getcwd() == ROOT:
        return path[len(ROOT) + 1:]
    return path


def listeners(port):
    """The socket inodes listening on TCP port (from /proc/net/tcp*)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    local, state = fields[1], fields[3]
                    if state == "0A" and int(local.rsplit(":", 1)[1],
                                             16) == port:
                        found.add(fields[9])
        except (OSError, StopIteration, ValueError, IndexError):
            continue
    return found


def sockets_of(pid):
    """The socket inodes process pid holds open."""
    found = set()
    try:
        fds = os.listdir("/proc/%d/fd" % pid)
    except OSError:
        return found
    for fd in fds:
        try:
            link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        if link.startswith("socket:["):
            found.add(link[8:-1])
    return found


def wait_listening(port, proc, timeout=10.0):
    """True once QEMU itself listens on port: a listener of another
    program on the same port would take gdb's connection instead."""
    end = time.time() + timeout
    if not os.path.exists("/proc/net/tcp"):
        time.sleep(1.0)
        return True
    while time.time() < end:
        if proc.poll() is not None:
            return False
        if listeners(port) & sockets_of(proc.pid):
            return True
        time.sleep(0.05)
    return False


def run_in_foreground(argv):
    """Runs argv as the terminal's foreground job, as a shell would: the
    Ctrl-C typed in gdb (which stops the guest) then reaches gdb alone,
    not make or this script."""
    fd = sys.stdin.fileno()
    old_ttou = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    old_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
    ours = os.tcgetpgrp(fd)

    def child():
        os.setpgid(0, 0)
        os.tcsetpgrp(fd, os.getpgrp())
        signal.signal(signal.SIGTTOU, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    try:
        return subprocess.Popen(argv, preexec_fn=child).wait()
    finally:
        os.tcsetpgrp(fd, ours)
        signal.signal(signal.SIGTTOU, old_ttou)
        signal.signal(signal.SIGINT, old_int)


def stop(proc):
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def gdb_for(elf):
    """The gdb that reads elf: gdb-multiarch for an arm64 image."""
    try:
        with open(elf, "rb") as f:
            head = f.read(20)
    except OSError:
        return "gdb"
    return "gdb-multiarch" if head[18:20] == b"\xb7\x00" else "gdb"


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--elf", required=True, help="image with symbols")
    p.add_argument("--port", type=int, default=1234)
    p.add_argument("--gdb", default="gdb",
                   help="gdb binary to start, or 'none' to print the command")
    p.add_argument("--timeout", type=float, help="stop QEMU after seconds")
    p.add_argument("launcher", nargs=argparse.REMAINDER,
                   help="-- then the support/qemu.py command")
    a = p.parse_args()
    launcher = a.launcher[1:] if a.launcher[:1] == ["--"] else a.launcher
    if not launcher:
        p.error("the launcher command is missing (after --)")

    q = subprocess.run(launcher + ["--gdb", "--gdb-port", str(a.port),
                                   "--print"], capture_output=True,
                       text=True, stdin=subprocess.DEVNULL)
    if q.returncode != 0:
        sys.stderr.write(q.stderr)
        return q.returncode
    qemu = shlex.split(q.stdout.strip())

    if listeners(a.port):
        sys.stderr.write("cairn: error: TCP port %d is in use by another "
                         "program; choose a free one with GDB_PORT=\n"
                         % a.port)
        return 2

    gdb_args = ["-q", "-x", SCRIPT, "-ex",
                "target remote localhost:%d" % a.port, a.elf]
    gdb = shutil.which(a.gdb) if a.gdb != "none" else None
    interactive = gdb and sys.stdin.isatty() and sys.stdout.isatty()
    if interactive:
        # Its own session: Ctrl-C in gdb stops the guest, not QEMU.
        proc = subprocess.Popen(qemu, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    else:
        proc = subprocess.Popen(qemu)
    # The hint comes once the stub listens: a gdb started on it connects.
    if not wait_listening(a.port, proc):
        sys.stderr.write("cairn: error: QEMU did not open its gdb stub on "
                         "port %d%s\n" % (a.port, " (taken meanwhile by "
                                          "another program?)"
                                          if listeners(a.port) else ""))
        stop(proc)
        return 125
    shown = " ".join(shlex.quote(x) for x in
                     [a.gdb if a.gdb != "none" else gdb_for(a.elf), "-q",
                      "-x", rel(SCRIPT), "-ex",
                      "target remote localhost:%d" % a.port, rel(a.elf)])
    sys.stderr.write("cairn: QEMU is halted at the first instruction; %s:\n"
                     "  %s\n" % ("starting gdb" if interactive else
                                 "in another terminal", shown))
    sys.stderr.write("  then: break main, continue; cairn-threads, cairn-bt "
                     "(support/gdb/cairn.py)\n")
    if a.gdb != "none" and not gdb:
        sys.stderr.write("cairn: '%s' not found (Debian package %s): "
                         "start it yourself\n" % (a.gdb, a.gdb))
    sys.stderr.flush()

    if not interactive:
        try:
            rc = proc.wait(timeout=a.timeout)
        except subprocess.TimeoutExpired:
            stop(proc)
            sys.stderr.write("cairn: error: the guest did not finish "
                             "within %gs; QEMU stopped\n" % a.timeout)
            return 124
        except KeyboardInterrupt:
            stop(proc)
            return 130
        return rc >> 1 if rc > 0 and rc & 1 else (126 if rc == 0 else 125)

    try:
        rc = run_in_foreground([gdb] + gdb_args)
    finally:
        stop(proc)
    return rc


if __name__ == "__main__":
    sys.exit(main())
