# SPDX-License-Identifier: BSD-3-Clause
"""Deploying beyond make run's user network (doc/deploying.md): make run
NET=tap in a network namespace the test creates (ping and HTTP from the
host side, the tap gone when QEMU goes), the menu's network defaults
(used without parameters, overridden by them, a bad one a build error),
the launcher's clear errors for tap values it cannot use; make
vmm-config (Firecracker's JSON against its documented fields,
cloud-hypervisor's options, libvirt's XML validated and booted by virsh
against a session QEMU, QEMU microvm with Firecracker's device set
serving HTTP); make oci (skopeo and umoci read both images back, digests
checked, a corrupted blob refused); the YAML examples of
doc/deploying.md against the fields KubeVirt and Kubernetes document."""
import base64
import gzip
import hashlib
import io
import json
import os
import shlex
import shutil
import tarfile
import tempfile
import re
import signal
import subprocess
import sys
import time
import unittest

import cairn
sys.path.insert(0, cairn.ROOT)
from support import tapnet  # noqa: E402
from test_net import free_port  # noqa: E402

SITE = os.path.join(cairn.ROOT, "apps", "httpd", "rootfs", "www")
MENU_NET = ['CONFIG_LIB_LWIP_DEFAULT_IP="192.168.86.2/24"',
            'CONFIG_LIB_LWIP_DEFAULT_GW="192.168.86.1"',
            'CONFIG_LIB_LWIP_DEFAULT_DNS="192.168.86.53"']


def httpd_image():
    """The default apps/httpd build (shared with test_https, test_9p...)
    and its initrd."""
    image = cairn.build("apps/httpd", "httpd")
    initrd = os.path.join(os.path.dirname(image), "initrd.cpio")
    subprocess.run([cairn.PYTHON, os.path.join(cairn.ROOT, "support",
                                               "mkinitrd.py"),
                    os.path.dirname(SITE), initrd],
                   check=True, capture_output=True)
    return image, initrd


def menu_image():
    """apps/echo with network defaults in the menu."""
    return cairn.build("apps/echo", "echo-netdefaults", MENU_NET)


class Run(cairn.Background):
    """A command in the background (a launcher, make run) with its output
    (stdout and stderr together) collected; slow boots are waited for."""

    def wait_for(self, pattern, timeout=120):
        return super().wait_for(pattern, timeout)


def launcher_cmd(image, *args):
    return [cairn.PYTHON, os.path.join(cairn.ROOT, "support", "qemu.py"),
            "--kernel", image] + list(args)


class NetTap(unittest.TestCase):
    """make run NET=tap inside a namespace (so nothing leaks onto the
    machine): the launcher creates the tap, gives the host side an
    address, says where the guest is; the guest answers ping and HTTP
    from the host side. Beside it, the menu-default image on a second
    tap and a guest whose QEMU is killed."""

    @classmethod
    def setUpClass(cls):
        cls.image, cls.initrd = httpd_image()
        cls.menu = menu_image()
        cls.ns = "cairn-deploy-%d" % os.getpid()
        cls.nsx = tapnet.make_namespace(cls.ns)
        o = os.path.dirname(cls.image)
        # Through make, as a user types it (the image is already built).
        cls.httpd = Run(list(cls.nsx) + [
            "make", "-s", "-C", cairn.ROOT, "O=" + o, "run", "NET=tap",
            "INITRD=" + cls.initrd, "TIMEOUT=300"])
        cls.echo = Run(list(cls.nsx) + launcher_cmd(
            cls.menu, "--net", "tap", "--timeout", "300"))
        cls.httpd.wait_for(r"httpd: serving /www on port 80")
        cls.echo.wait_for(r"echo: listening")

    @classmethod
    def tearDownClass(cls):
        cls.httpd.stop()
        cls.echo.stop()
        tapnet.delete_namespace(cls.ns)

    def in_ns(self, *cmd, timeout=60):
        return subprocess.run(list(self.nsx) + list(cmd),
                              capture_output=True, text=True,
                              timeout=timeout)

    def test_launcher_says_where_the_guest_is(self):
        m = self.httpd.wait_for(
            r"cairn: tap (cairn\d+): host 192\.168\.100\.1/24, guest "
            r"192\.168\.100\.2 \(try: ping 192\.168\.100\.2; httpd: "
            r"http://192\.168\.100\.2/\)")
        self.assertIn("192.168.100.1/24",
                      self.in_ns("ip", "-br", "addr", "show", "dev",
                                 m.group(1)).stdout)
        self.assertRegex(self.httpd.output(),
                         r"lwip: net0: 192\.168\.100\.2 netmask "
                         r"255\.255\.255\.0 .*\(static\)")

    def test_guest_answers_ping_and_http(self):
        p = self.in_ns("ping", "-c", "3", "-i", "0.2", "-W", "5",
                       "192.168.100.2")
        self.assertIn("3 received", p.stdout, p.stdout + p.stderr)
        p = self.in_ns(cairn.PYTHON, "-c",
                       "import urllib.request,sys\n"
                       "r=urllib.request.urlopen('http://192.168.100.2/',"
                       "timeout=30)\n"
                       "sys.stdout.buffer.write(r.read())")
        with open(os.path.join(SITE, "index.html")) as f:
            self.assertEqual(p.stdout, f.read(), p.stderr)

    def test_menu_default_address_without_parameters(self):
        self.echo.wait_for(
            r"lwip: net0: 192\.168\.86\.2 netmask 255\.255\.255\.0 gateway "
            r"192\.168\.86\.1 dns 192\.168\.86\.53 MAC [0-9a-f:]+ "
            r"\(static, menu default\)")
        # The launcher took the menu's gateway for the host side.
        self.echo.wait_for(r"host 192\.168\.86\.1/24, guest 192\.168\.86\.2")
        p = self.in_ns(cairn.PYTHON, "-c",
                       "import socket\n"
                       "s=socket.create_connection(('192.168.86.2',7),"
                       "timeout=30)\n"
                       "s.sendall(b'menu'); s.shutdown(socket.SHUT_WR)\n"
                       "print(s.recv(100).decode())")
        self.assertEqual(p.stdout.strip(), "menu", p.stderr)

    def test_qemu_killed_takes_its_tap_along(self):
        run = Run(list(self.nsx) + launcher_cmd(
            self.menu, "--net", "tap", "--timeout", "120",
            "--params=net.ip=192.168.87.2/24"))
        try:
            m = run.wait_for(r"cairn: tap (cairn\d+): host "
                             r"192\.168\.87\.1/24")
            tap = m.group(1)
            run.wait_for(r"echo: listening")
            self.assertEqual(self.in_ns("ip", "link", "show",
                                        tap).returncode, 0)
            qemu = subprocess.run(["pgrep", "-P", str(run.proc.pid)],
                                  capture_output=True, text=True)
            pids = [int(x) for x in qemu.stdout.split()]
            # ip netns exec runs the launcher in place (exec): its child
            # is QEMU.
            self.assertEqual(len(pids), 1, qemu.stdout)
            os.kill(pids[0], signal.SIGKILL)
            run.proc.wait(timeout=30)
            self.assertNotEqual(self.in_ns("ip", "link", "show",
                                           tap).returncode, 0,
                                "tap %s still there" % tap)
        finally:
            run.stop()


class MenuDefaults(unittest.TestCase):
    """The menu's network defaults: a parameter overrides them; a value
    that is not an address stops the build, naming the option."""

    def test_parameter_overrides_the_menu_address(self):
        status, out, err = cairn.boot(
            menu_image(), params="net.ip=10.0.2.20/24 net.wait=0",
            args="0", timeout=60, launcher_args=("--net", "user"))
        # echo refuses port 0 and exits: after the network came up.
        self.assertEqual(status, 1, out + err)
        m = re.search(r"lwip: net0: (\S+) netmask \S+ gateway (\S+) dns "
                      r"(\S+) MAC \S+ \((.*)\)", out)
        self.assertIsNotNone(m, out + err)
        # The menu's gateway belongs to its address: not used with
        # net.ip=; its DNS server is used (no net.dns= given).
        self.assertEqual(m.groups(), ("10.0.2.20", "0.0.0.0",
                                      "192.168.86.53", "static"))

    def test_bad_menu_value_is_a_build_error_naming_the_option(self):
        for line, msg in (
                ('CONFIG_LIB_LWIP_DEFAULT_IP="10.1.2.300/24"',
                 'CONFIG_LIB_LWIP_DEFAULT_IP="10.1.2.300/24" is not an '
                 'address A.B.C.D or A.B.C.D/LEN: fix it in make menuconfig '
                 '(lwip > Network defaults)'),
                ('CONFIG_LIB_LWIP_DEFAULT_MASK="255.0.255.0"',
                 'CONFIG_LIB_LWIP_DEFAULT_MASK="255.0.255.0" is not a '
                 'netmask A.B.C.D (ones then zeros)')):
            o = cairn.out_dir("echo-badnet")
            shutil.rmtree(o, ignore_errors=True)
            os.makedirs(o)
            base = open(os.path.join(cairn.ROOT, "apps", "echo",
                                     "defconfig")).read()
            with open(os.path.join(o, "test.defconfig"), "w") as f:
                f.write(base + line + "\n")
            cairn.make("APP=apps/echo", "DEFCONFIG=" +
                       os.path.join(o, "test.defconfig"), "defconfig", o=o)
            p = cairn.make(o=o, check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn(msg, p.stderr)
            # Stopped before compiling anything.
            self.assertFalse(os.path.exists(os.path.join(o, "lib")))


class TapErrors(unittest.TestCase):
    """What the launcher says for tap values it cannot use."""

    @classmethod
    def setUpClass(cls):
        cls.image = menu_image()

    def test_not_root_says_what_to_do(self):
        p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534",
                            "--clear-groups"] + launcher_cmd(
                                self.image, "--net", "tap",
                                "--from-make"),
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("cairn: error: NET=tap creates a tap device and "
                      "needs root: run it as root (sudo make run NET=tap)",
                      p.stderr)
        self.assertIn("NET=tap:tap0", p.stderr)

    def test_missing_tap_and_bad_network_are_named(self):
        for net, msg in (
                ("tap:nosuchtap9", "NET=tap:nosuchtap9: no tap device "
                 "nosuchtap9 here (create one: ip tuntap add nosuchtap9 "
                 "mode tap user $USER"),
                ("tap:lo", "NET=tap:lo: no tap device lo here"),
                ("bridge", "NET=bridge: not a network (none, user, tap, "
                 "or tap:NAME for an existing tap device)"),
                ("tap --hostfwd tcp::8080-:80", "HOSTFWD needs NET=user")):
            p = subprocess.run(launcher_cmd(self.image, "--net",
                                            *net.split(), "--from-make"),
                               capture_output=True, text=True, timeout=60)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn("cairn: error: " + msg, p.stderr)


def deploy_tools(*extra):
    """skopeo, umoci, virt-xml-validate ... installed on first use."""
    subprocess.run([cairn.PYTHON, os.path.join(cairn.ROOT, "support",
                                               "deps.py"), "deploy-tools",
                    "--quiet"] + list(extra), check=True)


# Firecracker's configuration file (--config-file) is its API's
# FullVmConfiguration (src/firecracker/swagger/firecracker.yaml): the
# sections, and per object its fields (required ones marked) and types.
FC_SECTIONS = {"balloon", "drives", "boot-source", "cpu-config", "logger",
               "machine-config", "metrics", "memory-hotplug", "mmds-config",
               "network-interfaces", "pmem", "vsock", "entropy"}
FC_OBJECTS = {
    "boot-source": {"kernel_image_path": (str, True), "boot_args": (str, False),
                    "initrd_path": (str, False)},
    "drives": {"drive_id": (str, True), "is_root_device": (bool, True),
               "partuuid": (str, False), "cache_type": (str, False),
               "is_read_only": (bool, False), "path_on_host": (str, False),
               "rate_limiter": (dict, False), "io_engine": (str, False),
               "socket": (str, False)},
    "network-interfaces": {"iface_id": (str, True),
                           "host_dev_name": (str, True),
                           "guest_mac": (str, False),
                           "rx_rate_limiter": (dict, False),
                           "tx_rate_limiter": (dict, False)},
    "machine-config": {"vcpu_count": (int, True), "mem_size_mib": (int, True),
                       "smt": (bool, False), "cpu_template": (str, False),
                       "track_dirty_pages": (bool, False),
                       "huge_pages": (str, False)},
}
# cloud-hypervisor's options (cloud-hypervisor --help, docs/).
CH_OPTIONS = {"--kernel", "--cmdline", "--initramfs", "--cpus", "--memory",
              "--disk", "--net", "--serial", "--console", "--rng",
              "--firmware", "--api-socket", "--fs", "--pmem", "--device",
              "--vsock", "--platform", "--seccomp", "--log-file"}


def fc_problems(conf):
    """What in conf Firecracker's schema would not take."""
    out = ["unknown section %s" % k for k in conf if k not in FC_SECTIONS]
    for section, fields in FC_OBJECTS.items():
        objs = conf.get(section)
        if objs is None:
            continue
        for obj in objs if isinstance(objs, list) else [objs]:
            for k, v in obj.items():
                if k not in fields:
                    out.append("%s: unknown field %s" % (section, k))
                elif not isinstance(v, fields[k][0]) or \
                        (fields[k][0] is int and isinstance(v, bool)):
                    out.append("%s.%s: not a %s" % (section, k,
                                                     fields[k][0].__name__))
            out += ["%s: no %s" % (section, k) for k, (_, req)
                    in fields.items() if req and k not in obj]
    return out


class Session:
    """virsh against a session QEMU of an unprivileged user (nobody): as
    root, qemu:///session is the system daemon's socket, which this
    machine does not run. virsh starts the user's libvirtd itself."""

    def __init__(self, home):
        self.home = home
        os.makedirs(home, exist_ok=True)
        os.chmod(home, 0o777)
        self.env = ["env", "HOME=" + home, "XDG_RUNTIME_DIR=%s/run" % home,
                    "XDG_CONFIG_HOME=%s/config" % home,
                    "XDG_CACHE_HOME=%s/cache" % home]

    def virsh(self, *args, timeout=120):
        return subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534",
             "--clear-groups"] + self.env +
            ["virsh", "-c", "qemu:///session"] + list(args),
            capture_output=True, text=True, timeout=timeout)

    def close(self):
        """Stops the user's libvirtd that virsh started (it would leave
        by itself after 2 minutes idle)."""
        p = subprocess.run(["pgrep", "-u", "65534", "-f",
                            "libvirtd --timeout"], capture_output=True,
                           text=True)
        for pid in p.stdout.split():
            try:
                with open("/proc/%s/environ" % pid, "rb") as f:
                    mine = ("HOME=" + self.home).encode() in f.read()
            except OSError:
                continue
            if mine:
                os.kill(int(pid), signal.SIGTERM)


class VmmConfig(unittest.TestCase):
    """make vmm-config for each VMM; libvirt's domain validated and
    booted; QEMU microvm with Firecracker's device set serving HTTP."""

    @classmethod
    def setUpClass(cls):
        deploy_tools("--boot-libvirt")
        cls.image, cls.initrd = httpd_image()
        cls.o = os.path.dirname(cls.image)
        cls.tmp = tempfile.mkdtemp(prefix="cairn-vmm-")
        os.chmod(cls.tmp, 0o755)
        os.mkdir(os.path.join(cls.tmp, "vm"))      # libvirt's, as nobody
        os.chmod(os.path.join(cls.tmp, "vm"), 0o777)
        cls.disk = os.path.join(cls.tmp, "data.img")
        with open(cls.disk, "wb") as f:
            f.truncate(4 << 20)
        cls.port = free_port()
        cls.files = {}
        for vmm, net in (("firecracker", "tap:fc0"),
                         ("cloud-hypervisor", "tap:ch0"),
                         ("libvirt", "user"), ("qemu-microvm", "user")):
            out = os.path.join(cls.tmp, vmm)
            cairn.make("O=" + cls.o, "vmm-config", "VMM=" + vmm,
                       "NET=" + net, "DISK=" + cls.disk, "DISK_RO=1",
                       "INITRD=" + cls.initrd, "MEM=96M", "SMP=1",
                       "PARAMS=log.level=info", "OUT=" + out,
                       "SERIAL_FILE=" + os.path.join(cls.tmp, "vm",
                                                     "console.log"),
                       "HOSTFWD=tcp:127.0.0.1:%d-:80" % cls.port)
            cls.files[vmm] = out
        # Both guests side by side: virsh's and the microvm script's.
        cls.session = Session(os.path.join(cls.tmp, "home"))
        cls.domain = "cairn-test-%d" % os.getpid()
        with open(cls.files["libvirt"]) as f:
            xml = f.read()
        cls.boot_xml = os.path.join(cls.tmp, "boot.xml")
        # The same domain, named for this run, without the disk (it is
        # root's file) and the user network (one hostfwd port per test).
        xml = re.sub(r"<name>.*</name>", "<name>%s</name>" % cls.domain, xml)
        xml = re.sub(r"(?s)\s*<disk .*?</disk>", "", xml)
        with open(cls.boot_xml, "w") as f:
            f.write(xml)
        cls.virsh_create = cls.session.virsh("create", cls.boot_xml)
        cls.microvm = Run(["sh", cls.files["qemu-microvm"]])

    @classmethod
    def tearDownClass(cls):
        cls.microvm.stop()
        cls.session.virsh("destroy", cls.domain)
        cls.session.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_firecracker_json_has_its_documented_fields(self):
        with open(self.files["firecracker"]) as f:
            conf = json.load(f)
        self.assertEqual(fc_problems(conf), [])
        self.assertEqual(conf["boot-source"], {
            "kernel_image_path": os.path.abspath(self.image),
            "boot_args": "log.level=info",
            "initrd_path": os.path.abspath(self.initrd)})
        self.assertEqual(conf["drives"], [{
            "drive_id": "disk0", "path_on_host": self.disk,
            "is_root_device": False, "is_read_only": True}])
        self.assertEqual(conf["network-interfaces"][0]["host_dev_name"],
                         "fc0")
        self.assertEqual(conf["machine-config"]["mem_size_mib"], 96)
        # The checker itself: a typo and a wrong type are caught.
        bad = dict(conf, **{"machine-config": {"vcpu_count": "1",
                                               "mem_size_mb": 96}})
        self.assertEqual(sorted(fc_problems(bad)), [
            "machine-config.vcpu_count: not a int",
            "machine-config: no mem_size_mib",
            "machine-config: unknown field mem_size_mb"])

    def test_cloud_hypervisor_command_line(self):
        with open(self.files["cloud-hypervisor"]) as f:
            text = f.read()
        words = shlex.split(text.split("exec ", 1)[1].replace("\\\n", " "))
        self.assertEqual(words[0], "cloud-hypervisor")
        opts = dict(zip(words[1::2], words[2::2]))
        self.assertLessEqual(set(opts) - {'"$@"'}, CH_OPTIONS)
        self.assertEqual(opts["--kernel"], os.path.abspath(self.image))
        self.assertEqual(opts["--initramfs"], os.path.abspath(self.initrd))
        self.assertEqual(opts["--memory"], "size=96M")
        self.assertEqual(opts["--disk"], "path=%s,readonly=on" % self.disk)
        self.assertTrue(opts["--net"].startswith("tap=ch0,"), opts)

    def test_libvirt_xml_validates_against_libvirts_schema(self):
        p = subprocess.run(["virt-xml-validate", self.files["libvirt"],
                            "domain"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("validates", p.stdout + p.stderr)
        # The validator is not vacuous: a misspelt element fails.
        bad = os.path.join(self.tmp, "bad.xml")
        with open(self.files["libvirt"]) as f:
            text = f.read()
        with open(bad, "w") as f:
            f.write(text.replace("<vcpu>", "<vcpus>").replace(
                "</vcpu>", "</vcpus>"))
        p = subprocess.run(["virt-xml-validate", bad, "domain"],
                           capture_output=True, text=True)
        self.assertNotEqual(p.returncode, 0, p.stdout)

    def test_libvirt_domain_boots_with_virsh(self):
        p = self.virsh_create
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        log = os.path.join(self.tmp, "vm", "console.log")
        end = time.time() + 120
        text = ""
        while time.time() < end:
            if os.path.exists(log):
                with open(log, errors="replace") as f:
                    text = f.read()
                if "httpd: serving /www on port 80" in text:
                    break
            time.sleep(0.2)
        self.assertIn("httpd: serving /www on port 80", text)
        # libvirt's virtio devices on pc: the NIC and the entropy source.
        self.assertRegex(text, r"virtio-net: net0: virtio-net at pci")
        self.assertIn("random: seeded from virtio-rng", text)
        self.assertIn(self.domain, self.session.virsh("list").stdout)

    def test_microvm_with_firecrackers_device_set_serves_http(self):
        self.microvm.wait_for(r"httpd: serving /www on port 80", 180)
        out = self.microvm.output()
        # No PIT: the TSC's rate is assumed (doc/deploying.md); the NIC
        # is where the command line named it (httpd has no disk driver:
        # the disk's slot, named too, stays unused).
        self.assertIn("PIT does not count", out)
        self.assertIn("virtio-net at mmio 0xfeb00e00", out)
        self.assertIn("virtio_mmio.device=512@0xfeb00c00:11",
                      open(self.files["qemu-microvm"]).read())
        p = subprocess.run(["curl", "-s", "-m", "60",
                            "http://127.0.0.1:%d/" % self.port],
                           capture_output=True, text=True, timeout=90)
        with open(os.path.join(SITE, "index.html")) as f:
            self.assertEqual(p.stdout, f.read())

    def test_bad_vmm_is_named(self):
        p = cairn.make("O=" + self.o, "vmm-config", "VMM=vmware",
                       check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("cairn: error: VMM=vmware: not one of firecracker|"
                      "cloud-hypervisor|libvirt|qemu-microvm", p.stderr)


def blob_path(layout, digest):
    return os.path.join(layout, "blobs", *digest.split(":"))


class Oci(unittest.TestCase):
    """make oci: one layout, two images, read back by skopeo and umoci."""

    @classmethod
    def setUpClass(cls):
        deploy_tools()
        cls.image, cls.initrd = httpd_image()
        cls.o = os.path.dirname(cls.image)
        cls.name = os.path.basename(cls.image)
        cls.tmp = tempfile.mkdtemp(prefix="cairn-oci-")
        cls.layout = os.path.join(cls.tmp, "oci")
        cairn.make("O=" + cls.o, "oci", "OUT=" + cls.layout,
                   "INITRD=" + cls.initrd, "DOCKER_ARCHIVE=1",
                   "PARAMS=log.level=info", "ARGS=")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def skopeo(self, *args):
        p = subprocess.run(["skopeo"] + list(args), capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def unpack(self, ref):
        bundle = os.path.join(self.tmp, "bundle-" + ref)
        p = subprocess.run(["umoci", "unpack", "--rootless", "--image",
                            "%s:%s" % (self.layout, ref), bundle],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        return os.path.join(bundle, "rootfs")

    def test_urunc_image_annotations_and_files(self):
        manifest = json.loads(self.skopeo(
            "inspect", "--raw", "oci:%s:urunc" % self.layout))
        want = {"com.urunc.unikernel.unikernelType": "cairn",
                "com.urunc.unikernel.hypervisor": "qemu",
                "com.urunc.unikernel.binary": "/unikernel/" + self.name,
                "com.urunc.unikernel.cmdline": "log.level=info",
                "com.urunc.unikernel.initrd": "/unikernel/initrd.cpio"}
        for k, v in want.items():
            self.assertEqual(manifest["annotations"].get(k), v, k)
        info = json.loads(self.skopeo("inspect", "oci:%s:urunc"
                                      % self.layout))
        self.assertEqual(info["Labels"]["com.urunc.unikernel.binary"],
                         "/unikernel/" + self.name)
        root = self.unpack("urunc")
        with open(os.path.join(root, "unikernel", self.name), "rb") as f, \
                open(self.image, "rb") as g:
            self.assertEqual(f.read(), g.read())
        with open(os.path.join(root, "urunc.json")) as f:
            conf = json.load(f)
        self.assertEqual({k: base64.b64decode(v).decode()
                          for k, v in conf.items()}, want)

    def test_containerdisk_has_the_disk_under_disk_for_qemu_user(self):
        info = json.loads(self.skopeo("inspect", "oci:%s:containerdisk"
                                      % self.layout))
        self.assertEqual(len(info["Layers"]), 1)
        with open(blob_path(self.layout, info["Layers"][0]), "rb") as f:
            tar = tarfile.open(fileobj=io.BytesIO(gzip.decompress(
                f.read())))
        disk = tar.getmember("disk/%s.qcow2" % self.name)
        self.assertEqual((disk.uid, disk.gid, disk.mode),
                         (107, 107, 0o440))
        self.assertIn("boot/" + self.name, tar.getnames())
        root = self.unpack("containerdisk")
        p = subprocess.run(["qemu-img", "info", "--output=json",
                            os.path.join(root, "disk", self.name
                                         + ".qcow2")],
                           capture_output=True, text=True)
        self.assertEqual(json.loads(p.stdout)["format"], "qcow2", p.stderr)

    def test_digests_check_and_a_corrupted_blob_is_refused(self):
        with open(os.path.join(self.layout, "index.json")) as f:
            index = json.load(f)
        self.assertEqual([m["annotations"]["org.opencontainers.image."
                                           "ref.name"]
                          for m in index["manifests"]],
                         ["containerdisk", "urunc"])
        for name in os.listdir(os.path.join(self.layout, "blobs",
                                            "sha256")):
            with open(os.path.join(self.layout, "blobs", "sha256", name),
                      "rb") as f:
                self.assertEqual(hashlib.sha256(f.read()).hexdigest(), name)
        # skopeo checks every digest while copying.
        self.skopeo("copy", "oci:%s:urunc" % self.layout,
                    "oci:%s:copy" % os.path.join(self.tmp, "copy"))
        bad = os.path.join(self.tmp, "bad")
        shutil.copytree(self.layout, bad)
        info = json.loads(self.skopeo("inspect", "oci:%s:urunc" % bad))
        layer = blob_path(bad, info["Layers"][0])
        with open(layer, "r+b") as f:
            f.seek(100)
            b = f.read(1)
            f.seek(100)
            f.write(bytes([b[0] ^ 0xff]))
        p = subprocess.run(["skopeo", "copy", "oci:%s:urunc" % bad,
                            "oci:%s:x" % os.path.join(self.tmp, "copy2")],
                           capture_output=True, text=True, timeout=120)
        self.assertNotEqual(p.returncode, 0)
        self.assertRegex(p.stderr, r"(?i)digest")

    def test_bad_hypervisor_and_missing_disk_image_are_named(self):
        for var, msg in (
                ("HYPERVISOR=vbox", "cairn: error: HYPERVISOR=vbox: urunc's "
                 "monitors for this image are qemu, firecracker, "
                 "cloud-hypervisor"),
                ("DISKIMAGE=/nonexistent.qcow2", "cairn: error: DISKIMAGE "
                 "/nonexistent.qcow2 not found")):
            p = cairn.make("O=" + self.o, "oci", var, "OUT=" + os.path.join(
                self.tmp, "refused"), check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn(msg, p.stderr)
            self.assertFalse(os.path.exists(os.path.join(self.tmp,
                                                         "refused")))

    def test_docker_archive_has_both_tags(self):
        tar = self.layout + ".tar"
        for ref in ("containerdisk", "urunc"):
            info = json.loads(self.skopeo(
                "inspect", "docker-archive:%s:cairn/%s:%s"
                % (tar, self.name, ref)))
            self.assertEqual(info["Architecture"], "amd64")


def doc_yaml():
    """The YAML documents of doc/deploying.md's ```yaml blocks."""
    import yaml
    with open(os.path.join(cairn.ROOT, "doc", "deploying.md")) as f:
        text = f.read()
    docs = []
    for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
        docs += [d for d in yaml.safe_load_all(block) if d]
    return docs


# The fields the examples may use, from KubeVirt's API reference
# (kubevirt.io/v1 VirtualMachine: spec.runStrategy, template.spec.domain
# .firmware.kernelBoot.{kernelArgs, container.{image, kernelPath,
# initrdPath, imagePullPolicy}}, devices.{disks, interfaces, rng},
# resources.requests, networks[].pod, volumes[].containerDisk) and
# Kubernetes' (v1 Pod: spec.runtimeClassName, containers; node.k8s.io/v1
# RuntimeClass: handler). A dict maps field -> its fields, [x] a list of
# x, None a value.
META = {"name": None, "labels": None, "annotations": None,
        "namespace": None}
KUBEVIRT_VM = {
    "apiVersion": None, "kind": None, "metadata": META,
    "spec": {"runStrategy": None, "running": None, "template": {
        "metadata": META,
        "spec": {
            "domain": {
                "firmware": {"kernelBoot": {
                    "kernelArgs": None,
                    "container": {"image": None, "kernelPath": None,
                                  "initrdPath": None,
                                  "imagePullPolicy": None}}},
                "devices": {"disks": [{"name": None, "disk": {"bus": None},
                                       "bootOrder": None}],
                            "interfaces": [{"name": None, "masquerade": {},
                                            "bridge": {}, "model": None}],
                            "rng": {}},
                "resources": {"requests": {"memory": None, "cpu": None}},
                "cpu": {"cores": None}},
            "networks": [{"name": None, "pod": {}}],
            "volumes": [{"name": None,
                         "containerDisk": {"image": None, "path": None,
                                           "imagePullPolicy": None}}],
            "terminationGracePeriodSeconds": None}}}}
POD = {"apiVersion": None, "kind": None, "metadata": META,
       "spec": {"runtimeClassName": None, "restartPolicy": None,
                "containers": [{"name": None, "image": None,
                                "args": None, "ports": [
                                    {"containerPort": None}],
                                "resources": {"limits": {"memory": None,
                                                         "cpu": None}}}]}}
RUNTIME_CLASS = {"apiVersion": None, "kind": None, "metadata": META,
                 "handler": None}


def unknown_fields(doc, schema, path=""):
    if schema is None:
        return []
    if isinstance(schema, list):
        return sum((unknown_fields(d, schema[0], "%s[%d]" % (path, i))
                    for i, d in enumerate(doc or [])), [])
    if not isinstance(doc, dict):
        return ["%s: not a mapping" % path] if schema else []
    out = []
    for k, v in doc.items():
        if k not in schema:
            out.append("%s.%s" % (path, k))
        else:
            out += unknown_fields(v, schema[k], "%s.%s" % (path, k))
    return out


def field(doc, *path):
    for p in path:
        doc = doc[p]
    return doc


class DeployDoc(unittest.TestCase):
    """doc/deploying.md's manifests: YAML, with the fields the projects
    document, and the paths make oci writes."""

    @classmethod
    def setUpClass(cls):
        deploy_tools()
        cls.docs = {d.get("kind"): d for d in doc_yaml()}

    def test_kubevirt_virtual_machine(self):
        vm = self.docs["VirtualMachine"]
        self.assertEqual(vm["apiVersion"], "kubevirt.io/v1")
        self.assertEqual(unknown_fields(vm, KUBEVIRT_VM), [])
        spec = field(vm, "spec", "template", "spec")
        kb = field(spec, "domain", "firmware", "kernelBoot")
        # The paths make oci puts the kernel and initrd at.
        self.assertRegex(kb["container"]["kernelPath"],
                         r"^/boot/httpd_qemu-x86_64$")
        self.assertEqual(kb["container"]["initrdPath"], "/boot/initrd.cpio")
        vols = {v["name"]: v for v in spec["volumes"]}
        disks = [d["name"] for d in spec["domain"]["devices"]["disks"]]
        self.assertTrue(disks and set(disks) <= set(vols), (disks, vols))
        self.assertTrue(all(v["containerDisk"]["image"].endswith(
            ":containerdisk") for v in vols.values()))
        self.assertEqual(kb["container"]["image"],
                         list(vols.values())[0]["containerDisk"]["image"])
        nets = [n["name"] for n in spec["networks"]]
        self.assertEqual(nets, [i["name"] for i in
                                spec["domain"]["devices"]["interfaces"]])
        # The checker itself catches a misspelt field.
        self.assertEqual(unknown_fields({"spec": {"runstrategy": 1}},
                                        KUBEVIRT_VM), [".spec.runstrategy"])

    def test_urunc_pod_and_runtime_class(self):
        pod, rc = self.docs["Pod"], self.docs["RuntimeClass"]
        self.assertEqual(unknown_fields(pod, POD), [])
        self.assertEqual(unknown_fields(rc, RUNTIME_CLASS), [])
        self.assertEqual((pod["apiVersion"], rc["apiVersion"]),
                         ("v1", "node.k8s.io/v1"))
        self.assertEqual(pod["spec"]["runtimeClassName"],
                         rc["metadata"]["name"])
        self.assertEqual(rc["handler"], "urunc")
        self.assertTrue(pod["spec"]["containers"][0]["image"]
                        .endswith(":urunc"))


if __name__ == "__main__":
    unittest.main()
