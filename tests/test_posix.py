# SPDX-License-Identifier: BSD-3-Clause
"""POSIX breadth (issue 19), the parts that need a booted image of their
own: signals' default actions end the image (status 71, the signal
named) or give a crash report, SIGPIPE unless ignored, a mapping's guard
page faults, a PROT_READ mapping's page faults on a write and a
PROT_NONE one on a read, env.NAME=value and posix.hostname= from the command line,
fork failing with ENOSYS and one warning, some 500 libc and POSIX functions
that must link (tests/apps/posix/linkprobe.c), signals interrupting blocking
socket calls (EINTR, SA_RESTART, SO_RCVTIMEO, SO_SNDTIMEO) over 127.0.0.1 and over
the image's own address on an e1000. The rest is in-image unit tests
(lib/posix-*/tests, lib/fdtab/tests/test_pipe.c,
lib/vfs/tests/test_posix2.c). Independent boots run two at a time."""
import concurrent.futures
import re
import unittest

import cairn

APP = "tests/apps/posix"


class Posix(unittest.TestCase):
    CASES = {
        "env": dict(params='env.GREETING="hi there" posix.hostname=web1'),
        "term": {}, "segv": {}, "alarm": {}, "pipe": {},
        "pipe-ignored": {}, "guard": {}, "fork": {}, "readonly": {},
        "protnone": {}, "sockets": {}, "link": {},
    }

    @classmethod
    def setUpClass(cls):
        cls.image = cairn.build(APP, "posix")

        def run(name):
            return name, cairn.boot(cls.image, machine="pc", args=name,
                                    params=cls.CASES[name].get("params",
                                                               ""))
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            cls.results = dict(pool.map(run, cls.CASES))

    def result(self, name):
        status, out, err = self.results[name]
        self.assertIn("posix: %s\n" % name, out, out + err)
        return status, out, out + err

    def test_environment_and_host_name_from_the_command_line(self):
        status, out, both = self.result("env")
        self.assertEqual(status, 0, both)
        # The parameter's value, and the menu's default for HOME.
        self.assertIn("GREETING=hi there HOME=/ host=web1 sysname=Cairn\n",
                      out)

    def test_sigterm_ends_the_image_with_71(self):
        status, out, both = self.result("term")
        self.assertEqual(status, 71, both)
        self.assertIn("terminated by signal 15 (SIGTERM)", out)

    def test_sigsegv_default_is_a_crash_report(self):
        status, out, both = self.result("segv")
        self.assertEqual(status, 70, both)
        self.assertIn("killed by signal 11 (SIGSEGV)", out)
        self.assertIn("Backtrace:", out)

    def test_alarm_without_handler_ends_the_image(self):
        status, out, both = self.result("alarm")
        self.assertEqual(status, 71, both)
        self.assertIn("terminated by signal 14 (SIGALRM)", out)

    def test_sigpipe_on_a_closed_pipe_unless_ignored(self):
        status, out, both = self.result("pipe")
        self.assertEqual(status, 71, both)
        self.assertIn("terminated by signal 13 (SIGPIPE)", out)
        self.assertNotIn("write:", out)
        status, out, both = self.result("pipe-ignored")
        self.assertEqual(status, 0, both)
        self.assertIn("write: EPIPE\n", out)

    def test_a_mapping_guard_page_faults(self):
        status, out, both = self.result("guard")
        self.assertEqual(status, 70, both)
        self.assertIn("mapped page written", out)
        self.assertIn("Page fault", out)

    def test_a_write_to_a_prot_read_mapping_faults(self):
        status, out, both = self.result("readonly")
        self.assertEqual(status, 70, both)
        self.assertIn("read-only page reads 0\nnow writing it\n", out)
        self.assertIn("write to read-only memory", out)
        self.assertIn("write of a protected page", out)

    def test_a_read_of_a_prot_none_page_faults(self):
        status, out, both = self.result("protnone")
        self.assertEqual(status, 70, both)
        self.assertIn("PROT_NONE page; now reading it\n", out)
        self.assertIn("read of an unmapped page", out)

    def test_signals_interrupt_blocking_socket_calls(self):
        """As Linux (signal(7)): a handler ends a blocked accept, recv,
        read or recvfrom with EINTR; with SA_RESTART the call waits on
        and gets what the handler made happen (a client's connection, a
        byte), unless the socket has SO_RCVTIMEO; an ignored signal
        interrupts nothing (recv waits 300 ms for a late byte). A
        blocked send fails with EINTR, or returns the part it sent, or
        with SA_RESTART goes through once the handler made room; a
        blocked connect fails with EINTR and goes on in the background
        (EALREADY, POLLOUT, EISCONN), or with SA_RESTART completes; and
        SO_SNDTIMEO bounds both (EAGAIN, EINPROGRESS). All over
        127.0.0.1 in an image without a NIC, which then carries 2 MiB
        intact."""
        status, out, both = self.result("sockets")
        self.assertEqual(status, 0, both)
        assert_socket_cases(self, out, both)

    def test_every_probed_libc_and_posix_function_links(self):
        """tests/apps/posix/linkprobe.c takes the address of each of some
        500 libc and POSIX functions by its plain name, as a program that
        declares one itself or a configure link test does: the image
        builds (one missing is a link error that fails every case here)
        and every address is there."""
        status, out, both = self.result("link")
        self.assertEqual(status, 0, both)
        m = re.search(r"link: (\d+) functions, (\d+) linked\n", out)
        self.assertIsNotNone(m, both)
        self.assertGreaterEqual(int(m.group(1)), 500)
        self.assertEqual(m.group(1), m.group(2), both)

    def test_fork_is_enosys_with_one_warning(self):
        status, out, both = self.result("fork")
        self.assertEqual(status, 0, both)
        self.assertIn("fork: -1 -1 ENOSYS\n", out)
        self.assertEqual(out.count("fork() is not supported"), 1, out)


def assert_socket_cases(test, out, both):
    """What `posix sockets [ADDR]` prints when every case went right."""
    expect = [
        "accept: -1 EINTR, handler ran 1",
        "recv: -1 EINTR, handler ran 1",
        "recv with SA_RESTART: 1 ok, handler ran 1",
        "read: -1 EINTR, handler ran 1",
        "then recv: 1 'x'",
        "recv with SO_RCVTIMEO and SA_RESTART: -1 EINTR, handler ran 1",
        "recv, SIGALRM ignored: 1 ok, handler ran 0",
        "udp recvfrom: -1 EINTR, handler ran 1",
        "send, peer not reading: -1 EINTR, handler ran 1",
        "send with SA_RESTART: 1 ok, handler ran 1",
        "send of 1 MiB, peer not reading: part sent, handler ran 1",
        "send with SO_SNDTIMEO and SA_RESTART: -1 EINTR, handler ran 1",
        "send, SO_SNDTIMEO 200 ms: -1 EAGAIN, handler ran 0",
        "that send gave up after 150 ms or more",
        "connect, backlog full: -1 EINTR, handler ran 1",
        "connect again: -1 EALREADY, handler ran 0",
        "then poll: 1 POLLOUT",
        "connect once connected: -1 EISCONN, handler ran 0",
        "connect with SA_RESTART: 0 ok, handler ran 1",
        "connect, SO_SNDTIMEO 300 ms: -1 EINPROGRESS, handler ran 0",
    ]
    for line in expect:
        test.assertIn("sockets: %s\n" % line, out)
    test.assertRegex(out, r"sockets: accept with SA_RESTART: \d+ ok, "
                     r"handler ran 1\n")
    waited = re.search(r"sockets: waited (\d+) ms for 'l'", out)
    test.assertIsNotNone(waited, both)
    test.assertGreaterEqual(int(waited.group(1)), 250)
    test.assertIn("sockets: 2097152 of 2097152 bytes arrived intact\n",
                  out)


class SocketsToTheImagesOwnAddress(unittest.TestCase):
    """The same cases to the image's own address on an e1000, whose
    checksum and segmentation offloads lwIP would otherwise leave to a
    device that never sees looped-back packets: they take the loop
    interface, and the 2 MiB arrive intact."""

    def test_on_an_e1000_with_offloads(self):
        image = cairn.build(APP, "posix-nic", [
            "CONFIG_DRV_VIRTIO=y", "CONFIG_DRV_VIRTIO_PCI=y",
            "CONFIG_DRV_VIRTIO_NET=y", "CONFIG_DRV_E1000=y"])
        status, out, err = cairn.boot(
            image, machine="pc", args="sockets 10.0.2.15", timeout=90,
            launcher_args=("--net", "user", "--nic", "e1000"))
        both = out + err
        self.assertEqual(status, 0, both)
        self.assertRegex(out, r"e1000: net0: .*offloads tx_csum")
        self.assertIn("posix: sockets\n", out)
        assert_socket_cases(self, out, both)


if __name__ == "__main__":
    unittest.main()
