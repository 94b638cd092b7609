# SPDX-License-Identifier: BSD-3-Clause
"""Cairn's build and run scripts. Most run as scripts (support/qemu.py,
support/deps.py, ...); the folder is a package too, so that
`python3 -m support.bench` (the benchmarks) works from the tree root and
finds this support/, whatever else Python's path holds."""
