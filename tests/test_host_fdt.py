# SPDX-License-Identifier: BSD-3-Clause
"""The device tree parser (lib/fdt/fdt.c) on the host, under ASan/UBSan:
lib/fdt/tests/test_fdt.c builds trees token by token and damages them
byte by byte (tests/hostunit.py runs its cases)."""
import hostunit

HostFdt = hostunit.cases_class(
    "HostFdt", "fdt", "lib/fdt/tests/test_fdt.c",
    "test_fdt.c's cases, built once and run once for the whole class.")
