# SPDX-License-Identifier: BSD-3-Clause
# arm64's build facts, read by the top Makefile once CONFIG_ARCH is known
# (doc/porting.md). Debian's cross compiler (gcc-aarch64-linux-gnu; another
# with CROSS_COMPILE=prefix). FP/SIMD registers are allowed: the entry code
# enables them at EL1 and the context switch keeps the callee-saved ones.
# Atomics are inline: libgcc's outline helpers (-moutline-atomics, GCC's
# default for Linux targets) read the Linux auxiliary vector.
arch-cross-compile := aarch64-linux-gnu-
arch-cflags := -march=armv8-a -mcmodel=small -fno-pic -fno-pie \
	-mno-outline-atomics
arch-ldflags :=
arch-qemu := qemu-system-aarch64
arch-gdb := gdb-multiarch
