# SPDX-License-Identifier: BSD-3-Clause
"""The random generator's core (lib/random/chacha.c) on the host, under
ASan/UBSan: RFC 8439's ChaCha20 block vectors, mixing, fast key erasure
(lib/random/tests/test_chacha.c; tests/hostunit.py runs its cases)."""
import hostunit

HostRandom = hostunit.cases_class(
    "HostRandom", "random", "lib/random/tests/test_chacha.c",
    "test_chacha.c's cases, built once and run once for the whole class.")
