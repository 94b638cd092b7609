# SPDX-License-Identifier: BSD-3-Clause
# The x86_64 architecture's build facts, included by the top Makefile once
# CONFIG_ARCH is known (before CC is set). The host's own gcc builds it.
arch-cross-compile :=
arch-cflags := -m64 -mno-red-zone -mcmodel=small -fno-pic -fno-pie
arch-ldflags :=
arch-qemu := qemu-system-x86_64
arch-gdb := gdb
