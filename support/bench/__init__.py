# SPDX-License-Identifier: BSD-3-Clause
"""Cairn's benchmarks: harness.py (what they share), one folder per
benchmark with its bench.py, and __main__.py, which runs them:
`/usr/bin/python3 -m support.bench NAME` from the tree root, or
`make bench-NAME`; `make bench` runs them all (doc/benchmarks.md)."""
