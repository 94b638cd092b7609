# SPDX-License-Identifier: BSD-3-Clause
# x86_64's build facts, read by the top Makefile once CONFIG_ARCH is known
# (doc/porting.md): the host's own gcc, kernel code-generation flags, the
# QEMU and gdb that run and debug the image.
arch-cross-compile :=
arch-cflags := -m64 -mno-red-zone -mcmodel=small -fno-pic -fno-pie
arch-ldflags :=
arch-qemu := qemu-system-x86_64
arch-gdb := gdb
