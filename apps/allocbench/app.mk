# SPDX-License-Identifier: BSD-3-Clause
# allocbench: the trace generator is shared with the host side.
app-srcs-y := main.c
app-cflags-y := -I$(srctree)/support/bench/alloc
