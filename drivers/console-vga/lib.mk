# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_DRV_CONSOLE_VGA) += console-vga
console-vga-srcs-y := vga.c term.c fb.c font.c
