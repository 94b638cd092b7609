# SPDX-License-Identifier: BSD-3-Clause
"""Helpers for Cairn's host-side tests: build an app, boot an image.

Every build goes to its own folder under build/tests/ (or $CAIRN_TEST_BUILD)
so tests never disturb a developer's build/ and can run side by side.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("CAIRN_TEST_BUILD", os.path.join(ROOT, "build", "tests"))
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def out_dir(name):
    return os.path.join(BUILD, name)


def make(*args, o=None, check=True, env=None, timeout=600, cwd=ROOT):
    """Runs make in the source tree; returns CompletedProcess (text)."""
    cmd = ["make", "-C", cwd] + ([("O=%s" % o)] if o else []) + list(args)
    full_env = dict(os.environ, **(env or {}))
    full_env.pop("MAKEFLAGS", None)
    full_env.pop("MAKELEVEL", None)
    p = subprocess.run(cmd, capture_output=True, text=True, env=full_env,
                       timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s\n%s" % (
            " ".join(cmd), p.returncode, p.stdout[-3000:], p.stderr[-3000:]))
    return p


_built = {}


def build(app, name, config=None, plat=None):
    """Configures and builds app (folder path) into build/tests/<name>.

    config is a list of extra .config lines applied on top of the app's
    defconfig; plat a platform (make PLAT=...), else the default one.
    Returns the path of the bootable image. A build already made in this
    run with the same arguments is not repeated.
    """
    key = (app, name, tuple(config or ()), plat)
    if key not in _built:
        _built[key] = _build(app, name, config, plat)
    return _built[key]


def configured_plat(o):
    """CONFIG_PLAT of the build folder o."""
    with open(os.path.join(o, ".config")) as f:
        for line in f:
            if line.startswith("CONFIG_PLAT="):
                return line.split("=", 1)[1].strip().strip('"')
    raise AssertionError("%s/.config names no platform" % o)


def _build(app, name, config, plat=None):
    o = out_dir(name)
    os.makedirs(o, exist_ok=True)
    defconfig = None
    if config is not None:
        base = os.path.join(app if os.path.isabs(app) else
                            os.path.join(ROOT, app), "defconfig")
        lines = open(base).read().splitlines() if os.path.exists(base) else []
        defconfig = os.path.join(o, "test.defconfig")
        with open(defconfig, "w") as f:
            f.write("\n".join(lines + list(config)) + "\n")
    args = ["APP=%s" % app]
    if defconfig:
        args.append("DEFCONFIG=%s" % defconfig)
    if plat:
        args.append("PLAT=%s" % plat)
    make(*(args + ["defconfig"]), o=o)
    make(*args, o=o)
    return os.path.join(o, "%s_%s" % (os.path.basename(app.rstrip("/")),
                                      configured_plat(o)))


def launcher(*args, timeout=60):
    """Runs support/qemu.py with args; returns CompletedProcess (text)."""
    return subprocess.run([PYTHON, os.path.join(ROOT, "support", "qemu.py")]
                          + list(args), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=timeout)


def boot(image, machine="pc", params="", args="", timeout=30, mem=None,
         stdin=None, launcher_args=()):
    """Boots image through support/qemu.py; returns (status, stdout, stderr).

    machine None lets the launcher choose the platform's default (virt on
    qemu-aarch64); stdin is bytes fed to the serial console (None:
    nothing, EOF); launcher_args are more qemu.py options (--net user,
    --disk FILE, ...).
    """
    cmd = [PYTHON, os.path.join(ROOT, "support", "qemu.py"), "--kernel", image,
           "--params=" + params, "--args=" + args,
           "--timeout", str(timeout)] + list(launcher_args)
    if machine:
        cmd += ["--machine", machine]
    if mem:
        cmd += ["--mem", mem]
    p = subprocess.run(cmd, input=stdin or b"", capture_output=True,
                       timeout=timeout + 30)
    return (p.returncode, p.stdout.decode(errors="replace"),
            p.stderr.decode(errors="replace"))
