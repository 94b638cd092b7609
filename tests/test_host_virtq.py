# SPDX-License-Identifier: BSD-3-Clause
"""The split virtqueue (drivers/virtio/virtq.c) on the host, under
ASan/UBSan: drivers/virtio/tests/test_virtq.c plays the device against
virtq.c (tests/hostunit.py runs its cases)."""
import hostunit

HostVirtq = hostunit.cases_class(
    "HostVirtq", "virtq", "drivers/virtio/tests/test_virtq.c",
    "test_virtq.c's cases, built once and run once for the whole class.")
