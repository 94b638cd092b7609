# SPDX-License-Identifier: BSD-3-Clause
"""lwIP's checksum routine of Cairn's port (lib/lwip/chksum.c) on the
host, under ASan/UBSan, against the checksum's definition
(lib/lwip/tests/test_chksum.c; tests/hostunit.py runs its cases)."""
import hostunit

HostLwipChksum = hostunit.cases_class(
    "HostLwipChksum", "lwip_chksum", "lib/lwip/tests/test_chksum.c",
    "test_chksum.c's cases, built once and run once for the whole class.")
