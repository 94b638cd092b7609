/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The framebuffer console: the terminal's cells drawn with our 8x16 font
 * into the linear framebuffer the boot loader set up (cn_bootinfo's fb_*),
 * 32 bits (xRGB) or 24 bits (RGB) per pixel. Scrolling moves the pixels
 * up by one text row and clears the last one; the cursor is drawn as an
 * underline in the cell it sits on and erased when it moves.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/arch.h>
#include "vga_priv.h"

#define GLYPH_W		8
#define GLYPH_H		16

struct fb {
	volatile uint8_t *base;
	uint32_t pitch;
	unsigned int bytes_pp;
	unsigned int cur_x, cur_y;
};

static struct fb fb;

/* The 16 VGA colours as 0xRRGGBB. */
static const uint32_t palette[16] = {
	0x000000, 0x0000aa, 0x00aa00, 0x00aaaa,
	0xaa0000, 0xaa00aa, 0xaa5500, 0xaaaaaa,
	0x555555, 0x5555ff, 0x55ff55, 0x55ffff,
	0xff5555, 0xff55ff, 0xffff55, 0xffffff,
};

static void pixel(volatile uint8_t *p, uint32_t rgb)
{
	if (fb.bytes_pp == 4) {
		*(volatile uint32_t *)p = rgb;
	} else {
		p[0] = (uint8_t)rgb;
		p[1] = (uint8_t)(rgb >> 8);
		p[2] = (uint8_t)(rgb >> 16);
	}
}

static void glyph(unsigned int x, unsigned int y, uint16_t c, int cursor)
{
	unsigned char ch = (unsigned char)c;
	uint32_t fg = palette[c >> 8 & 0xf], bg = palette[c >> 12 & 0xf];
	const uint8_t *rows = NULL;
	unsigned int r, b;

	if (ch >= CN_VGA_FONT_FIRST && ch <= CN_VGA_FONT_LAST)
		rows = cn_vga_font[ch - CN_VGA_FONT_FIRST];
	for (r = 0; r < GLYPH_H; r++) {
		volatile uint8_t *line = fb.base + (y * GLYPH_H + r) * fb.pitch +
					 x * GLYPH_W * fb.bytes_pp;
		uint8_t bits = rows ? rows[r] : 0;

		if (cursor && r >= GLYPH_H - 2)
			bits = 0xff;
		for (b = 0; b < GLYPH_W; b++)
			pixel(line + b * fb.bytes_pp,
			      bits & (0x80 >> b) ? fg : bg);
	}
}

static void fb_draw(struct term *t, unsigned int x, unsigned int y,
		    uint16_t c)
{
	(void)t;
	glyph(x, y, c, x == fb.cur_x && y == fb.cur_y);
}

static void fb_scroll(struct term *t)
{
	size_t row = (size_t)fb.pitch * GLYPH_H;
	unsigned int x;

	/* byte copies: the framebuffer may be uncached, keep it simple */
	memmove((void *)fb.base, (const void *)(fb.base + row),
		row * (t->rows - 1));
	for (x = 0; x < t->cols; x++)
		glyph(x, t->rows - 1, t->cells[(t->rows - 1) * t->cols + x],
		      0);
}

static void fb_cursor(struct term *t, unsigned int x, unsigned int y)
{
	unsigned int ox = fb.cur_x, oy = fb.cur_y;

	if (ox == x && oy == y)
		return;
	fb.cur_x = x;
	fb.cur_y = y;
	if (ox < t->cols && oy < t->rows)
		glyph(ox, oy, t->cells[oy * t->cols + ox], 0);
	glyph(x, y, t->cells[y * t->cols + x], 1);
}

static const struct term_ops fb_ops = {
	.draw = fb_draw,
	.scroll = fb_scroll,
	.cursor = fb_cursor,
};

int cn_vga_fb_setup(struct term *t, const struct cn_bootinfo *bi)
{
	unsigned int cols = bi->fb_width / GLYPH_W;
	unsigned int rows = bi->fb_height / GLYPH_H;

	if (bi->fb_bpp != 32 && bi->fb_bpp != 24)
		return -ENOTSUP;
	fb.bytes_pp = bi->fb_bpp / 8;
	if (!cols || !rows || bi->fb_pitch < bi->fb_width * fb.bytes_pp)
		return -EINVAL;
	if (cols > TERM_MAX_COLS)
		cols = TERM_MAX_COLS;
	if (rows > TERM_MAX_ROWS)
		rows = TERM_MAX_ROWS;
	fb.pitch = bi->fb_pitch;
	fb.base = cn_arch_map_mmio(bi->fb_addr,
				   (uint64_t)bi->fb_pitch * bi->fb_height);
	if (!fb.base)
		return -ENOMEM;
	t->cells = calloc((size_t)cols * rows, sizeof(*t->cells));
	if (!t->cells)
		return -ENOMEM;
	fb.cur_x = fb.cur_y = ~0u;
	t->ops = &fb_ops;
	t->cols = cols;
	t->rows = rows;
	return 0;
}
