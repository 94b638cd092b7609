/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to drivers/console-vga. */
#ifndef CONSOLE_VGA_PRIV_H
#define CONSOLE_VGA_PRIV_H

#include <stdint.h>
#include <cairn/plat.h>
#include "term.h"

/*
 * Sets t up on the framebuffer bi describes (fb.c): 0, -ENOTSUP for a
 * depth other than 24 or 32 bits, -EINVAL for a size it cannot hold,
 * -ENOMEM when the mapping fails.
 */
int cn_vga_fb_setup(struct term *t, const struct cn_bootinfo *bi);

/* Our 8x16 font for ASCII 32..126 (font.c): 16 rows, bit 7 leftmost. */
#define CN_VGA_FONT_FIRST	32
#define CN_VGA_FONT_LAST	126
extern const uint8_t cn_vga_font[CN_VGA_FONT_LAST - CN_VGA_FONT_FIRST + 1][16];

#endif
