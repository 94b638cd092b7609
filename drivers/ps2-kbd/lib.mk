# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_DRV_PS2_KBD) += ps2-kbd
ps2-kbd-srcs-y := i8042.c keymap.c
