# SPDX-License-Identifier: BSD-3-Clause
"""Helpers for Cairn's host-side tests: build an app, boot an image.

Every build goes to its own folder under build/tests/ (or $CAIRN_TEST_BUILD)
so tests never disturb a developer's build/ and can run side by side.
"""
import fcntl
import os
import re
import signal
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
# CAIRN_TEST_SMP=N (make test SMP=N): every image is built with SMP (into
# build/tests-smp, apart from the usual builds) and every guest started
# through the launcher or make run gets N CPUs, unless the test chose a
# CPU count itself.
TEST_SMP = os.environ.get("CAIRN_TEST_SMP") or None
# A build config line that keeps SMP off even then (a test of what a
# single-CPU image does).
NO_SMP = "# CONFIG_SMP is not set"
BUILD = os.environ.get("CAIRN_TEST_BUILD", os.path.join(
    ROOT, "build", "tests-smp" if TEST_SMP else "tests"))


# A launcher argument of the tests alone, taken out before the launcher
# runs: no --smp, even with TEST_SMP (a test of what happens without one).
DEFAULT_CPUS = "--test-default-cpus"


def with_test_smp(cmd):
    """cmd (a list) with --smp TEST_SMP added when it runs the launcher
    and names no CPU count; without DEFAULT_CPUS in it."""
    if DEFAULT_CPUS in cmd:
        return [c for c in cmd if c != DEFAULT_CPUS]
    if not TEST_SMP or "--smp" in cmd or \
            not any(str(c).endswith("qemu.py") for c in cmd):
        return cmd
    return list(cmd) + ["--smp", TEST_SMP]


def free_port():
    """A TCP port free on 127.0.0.1 now, chosen by the kernel (so not one
    another test's QEMU picked the same way a moment ago)."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def out_dir(name):
    return os.path.join(BUILD, name)


def make(*args, o=None, check=True, env=None, timeout=600, cwd=ROOT):
    """Runs make in the source tree; returns CompletedProcess (text)."""
    cmd = ["make", "-C", cwd] + ([("O=%s" % o)] if o else []) + list(args)
    full_env = dict(os.environ, **(env or {}))
    full_env.pop("MAKEFLAGS", None)
    full_env.pop("MAKELEVEL", None)
    if TEST_SMP:
        full_env.setdefault("SMP", TEST_SMP)        # make run
    p = subprocess.run(cmd, capture_output=True, text=True, env=full_env,
                       timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s\n%s" % (
            " ".join(cmd), p.returncode, p.stdout[-3000:], p.stderr[-3000:]))
    return p


_built = {}


def build(app, name, config=None, plat=None, parallel=False):
    """Configures and builds app (folder path) into build/tests/<name>.

    config is a list of extra .config lines applied on top of the app's
    defconfig; plat a platform (make PLAT=...), else the default one;
    parallel builds with make -j (every CPU).
    Returns the path of the bootable image. A build already made in this
    run with the same arguments is not repeated.
    """
    if TEST_SMP and "CONFIG_SMP=y" not in (config or ()) and \
            NO_SMP not in (config or ()):
        config = list(config or ()) + ["CONFIG_SMP=y"]
    key = (app, name, tuple(config or ()), plat)
    if key not in _built:
        _built[key] = _build_once(app, name, config, plat, key, parallel)
    return _built[key]


def _build_once(app, name, config, plat, key, parallel):
    """_build() under a lock on the folder, skipped when another worker of
    the same test run (tests/run.py sets CAIRN_TEST_RUN) already built it
    with the same arguments: workers running side by side share images
    and never relink one another's image while it boots."""
    o = out_dir(name)
    os.makedirs(o, exist_ok=True)
    run = os.environ.get("CAIRN_TEST_RUN")
    stamp = os.path.join(o, ".test-built")
    want = repr((run, key))
    with open(os.path.join(o, ".test-lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if run:
            try:
                with open(stamp) as f:
                    done = f.read() == want
            except OSError:
                done = False
            if done:
                try:
                    image = image_path(o, app)
                except AssertionError:      # cleaned since: build again
                    image = None
                if image and os.path.exists(image):
                    return image
        try:
            os.unlink(stamp)
        except OSError:
            pass
        image = _build(app, name, config, plat, parallel)
        if run:
            with open(stamp, "w") as f:
                f.write(want)
        return image


def _build(app, name, config, plat=None, parallel=False):
    o = out_dir(name)
    os.makedirs(o, exist_ok=True)
    defconfig = None
    if config is not None:
        base = os.path.join(app if os.path.isabs(app) else
                            os.path.join(ROOT, app), "defconfig")
        lines = []
        if os.path.exists(base):
            with open(base) as f:
                lines = f.read().splitlines()
        defconfig = os.path.join(o, "test.defconfig")
        with open(defconfig, "w") as f:
            f.write("\n".join(lines + list(config)) + "\n")
    args = ["APP=%s" % app]
    if defconfig:
        args.append("DEFCONFIG=%s" % defconfig)
    if plat:
        args.append("PLAT=%s" % plat)
    make(*(args + ["defconfig"]), o=o)
    make(*(args + (["-j%d" % (os.cpu_count() or 1)] if parallel else [])),
         o=o)
    return image_path(o, app)


def config_value(o, name):
    """The value of CONFIG_<name> in build folder o's .config (quotes
    removed), or None when it is not set."""
    try:
        with open(os.path.join(o, ".config")) as f:
            for line in f:
                key, sep, value = line.strip().partition("=")
                if sep and key == "CONFIG_" + name:
                    return value.strip('"')
    except OSError:
        pass
    return None


def image_path(o, app):
    """The image make builds in folder o for app (a folder or its name):
    <app>_<plat>, the platform from o's .config."""
    plat = config_value(o, "PLAT")
    if not plat:
        raise AssertionError("%s/.config names no platform (CONFIG_PLAT)" % o)
    return os.path.join(o, "%s_%s" % (os.path.basename(app.rstrip("/")), plat))


def launcher(*args, timeout=60):
    """Runs support/qemu.py with args; returns CompletedProcess (text)."""
    return subprocess.run(with_test_smp(
        [PYTHON, os.path.join(ROOT, "support", "qemu.py")] + list(args)),
                          capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=timeout)


def boot(image, machine=None, params="", args="", timeout=30, mem=None,
         stdin=None, launcher_args=()):
    """Boots image through support/qemu.py; returns (status, stdout, stderr).

    The platform comes from the .config beside the image (qemu.py's
    default without one); machine None is the platform's default machine.
    stdin is bytes fed to the serial console (None: nothing, EOF);
    launcher_args are more qemu.py options (--net user, --disk FILE, ...).
    """
    plat = config_value(os.path.dirname(image), "PLAT")
    cmd = [PYTHON, os.path.join(ROOT, "support", "qemu.py"), "--kernel", image,
           "--params=" + params, "--args=" + args,
           "--timeout", str(timeout)] + list(launcher_args)
    if plat:
        cmd += ["--plat", plat]
    if machine:
        cmd += ["--machine", machine]
    if mem:
        cmd += ["--mem", mem]
    cmd = with_test_smp(cmd)
    p = subprocess.run(cmd, input=stdin or b"", capture_output=True,
                       timeout=timeout + 30)
    return (p.returncode, p.stdout.decode(errors="replace"),
            p.stderr.decode(errors="replace"))


class Qmp:
    """QEMU's machine protocol on a Unix socket a guest was started with
    (launcher_args=("--extra", "-qmp unix:PATH,server,nowait")): press
    keys, read guest memory. Waits up to timeout for QEMU to listen."""

    def __init__(self, path, timeout=30):
        import json
        import socket
        import time
        self.json = json
        end = time.time() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.settimeout(timeout)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.time() > end:
                    raise
                time.sleep(0.1)
        self.f = self.sock.makefile("rwb")
        self.f.readline()                       # the greeting
        self.cmd("qmp_capabilities")

    def cmd(self, name, **args):
        """Runs one command; returns its "return" value, raises on error."""
        self.f.write(self.json.dumps({"execute": name,
                                      "arguments": args}).encode() + b"\n")
        self.f.flush()
        while True:
            line = self.f.readline()
            if not line:
                raise AssertionError("QMP closed during %s" % name)
            r = self.json.loads(line)
            if "error" in r:
                raise AssertionError("QMP %s: %s" % (name, r["error"]))
            if "return" in r:
                return r["return"]

    def keys(self, *combos):
        """Presses each combo in turn: QEMU key names joined by '-',
        e.g. "e", "shift-h", "ret", "up", "ctrl-c"."""
        import time
        for combo in combos:
            self.cmd("send-key", keys=[{"type": "qcode", "data": k}
                                       for k in combo.split("-")])
            time.sleep(0.02)

    def type(self, text):
        """Presses the keys that type text (US layout, letters, digits,
        space and a few signs; '\\r' is Enter)."""
        names = {" ": "spc", "\r": "ret", "-": "minus", ".": "dot",
                 "/": "slash", "=": "equal", ",": "comma"}
        shifted = {"!": "1", "_": "minus", ":": "semicolon", "?": "slash"}
        combos = []
        for c in text:
            if c.isupper():
                combos.append("shift-" + c.lower())
            elif c in shifted:
                combos.append("shift-" + shifted[c])
            else:
                combos.append(names.get(c, c))
        self.keys(*combos)

    def memory(self, addr, size, path):
        """Guest physical memory [addr, addr + size) as bytes (through
        the file path, which QEMU writes)."""
        self.cmd("pmemsave", val=addr, size=size, filename=path)
        with open(path, "rb") as f:
            return f.read()

    def close(self):
        try:
            self.f.close()
            self.sock.close()
        except OSError:
            pass


class Background:
    """A command in the background (a guest's launcher, make run), its
    output (stdout and stderr together) collected by a thread. With
    group=True it runs in a process group of its own, all of which
    stop() ends (make run and the QEMU it starts)."""

    def __init__(self, cmd, env=None, group=False):
        full_env = dict(os.environ, **(env or {}))
        full_env.pop("MAKEFLAGS", None)
        full_env.pop("MAKELEVEL", None)
        self.group = group
        cmd = with_test_smp(cmd)
        if TEST_SMP:
            full_env.setdefault("SMP", TEST_SMP)    # make run
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=full_env,
                                     start_new_session=group)
        self.out = ""
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in iter(self.proc.stdout.readline, b""):
            with self.lock:
                self.out += line.decode(errors="replace")

    def output(self):
        with self.lock:
            return self.out

    def wait_for(self, pattern, timeout=30):
        """The first match of pattern in the output, waiting up to timeout
        seconds; fails at once (after the last output) if it exits."""
        end = time.time() + timeout
        while time.time() < end:
            m = re.search(pattern, self.output())
            if m:
                return m
            if self.proc.poll() is not None:
                self.reader.join(timeout=5)
                m = re.search(pattern, self.output())
                if m:
                    return m
                break
            time.sleep(0.02)
        raise AssertionError("no %r in the output:\n%s"
                             % (pattern, self.output()[-3000:]))

    def stop(self):
        """Ends it (SIGTERM, then SIGKILL after 30 s); its output."""
        if self.proc.poll() is None:
            if self.group:
                os.killpg(self.proc.pid, signal.SIGTERM)
            else:
                self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                if self.group:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                else:
                    self.proc.kill()
                self.proc.wait()
        self.reader.join(timeout=5)
        return self.output()
