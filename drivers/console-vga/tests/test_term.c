/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The screen console's terminal (term.c) and framebuffer drawing (fb.c,
 * font.c) on the host, under ASan/UBSan: a cell array recording what the
 * backend was asked to draw, and a framebuffer in a buffer of exactly its
 * size at 32 and 24 bits per pixel whose pixels are compared with the
 * font. (The VGA text mode itself is tested by booting: test_console.py.)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/test.h>
#include "../term.h"
#include "../vga_priv.h"

/* fb.c maps the framebuffer: here it is already host memory. */
void *cn_arch_map_mmio(uint64_t phys, uint64_t size)
{
	(void)size;
	return (void *)(uintptr_t)phys;
}

#define COLS 20
#define ROWS 4

static uint16_t cells[COLS * ROWS], drawn[COLS * ROWS];
static unsigned int cur_x, cur_y, scrolls;

static void rec_draw(struct term *t, unsigned int x, unsigned int y,
		     uint16_t c)
{
	drawn[y * t->cols + x] = c;
}

static void rec_scroll(struct term *t)
{
	memcpy(drawn, t->cells, sizeof(drawn));
	scrolls++;
}

static void rec_cursor(struct term *t, unsigned int x, unsigned int y)
{
	cur_x = x;
	cur_y = y;
}

static const struct term_ops rec_ops = { rec_draw, rec_scroll, rec_cursor };

static void setup(struct term *t)
{
	memset(t, 0, sizeof(*t));
	t->ops = &rec_ops;
	t->cells = cells;
	t->cols = COLS;
	t->rows = ROWS;
	scrolls = 0;
	term_init(t);
}

/* Row y of what the backend shows, trailing blanks cut. */
static const char *row(unsigned int y)
{
	static char s[COLS + 1];
	int i;

	for (i = 0; i < COLS; i++)
		s[i] = (char)(drawn[y * COLS + i] & 0xff);
	s[COLS] = 0;
	for (i = COLS; i > 0 && s[i - 1] == ' '; i--)
		s[i - 1] = 0;
	return s;
}

static void put(struct term *t, const char *s)
{
	term_write(t, s, strlen(s));
}

CN_TEST(console_vga, text_newline_cr_backspace_tab)
{
	struct term t;

	setup(&t);
	put(&t, "hello\nab\rX\bY\tZ");
	CN_EXPECT_STREQ(row(0), "hello");
	CN_EXPECT_STREQ(row(1), "Yb      Z");
	CN_EXPECT_EQ(cur_x, 9u);
	CN_EXPECT_EQ(cur_y, 1u);
	CN_EXPECT_EQ(drawn[0] >> 8, TERM_ATTR_DEFAULT);
}

CN_TEST(console_vga, scrolls_and_wraps)
{
	struct term t;

	setup(&t);
	put(&t, "1\n2\n3\n4\n5\n");
	CN_EXPECT_EQ(scrolls, 2u);
	CN_EXPECT_STREQ(row(0), "3");
	CN_EXPECT_STREQ(row(2), "5");
	CN_EXPECT_STREQ(row(3), "");
	setup(&t);
	put(&t, "abcdefghijklmnopqrstuv");	/* 22 > 20 columns */
	CN_EXPECT_STREQ(row(0), "abcdefghijklmnopqrst");
	CN_EXPECT_STREQ(row(1), "uv");
}

CN_TEST(console_vga, ansi_moves_erase_and_colours)
{
	struct term t;

	setup(&t);
	/* what lib/shell's editor sends: back 3, erase to the end */
	put(&t, "cairn> abcdef\x1b[3D\x1b[K");
	CN_EXPECT_STREQ(row(0), "cairn> abc");
	CN_EXPECT_EQ(cur_x, 10u);
	put(&t, "\x1b[2;5Hx");
	CN_EXPECT_STREQ(row(1), "    x");
	put(&t, "\x1b[1;31mR\x1b[44mB\x1b[0mN");
	CN_EXPECT_EQ(drawn[COLS + 5] >> 8, 0x0cu);	/* bright red */
	CN_EXPECT_EQ(drawn[COLS + 6] >> 8, 0x1cu);	/* on blue */
	CN_EXPECT_EQ(drawn[COLS + 7] >> 8, TERM_ATTR_DEFAULT);
	put(&t, "\x1b[?25l\x1b[38;5;200mq");	/* unknown: dropped */
	CN_EXPECT_EQ(drawn[COLS + 8] & 0xff, 'q');
	put(&t, "\x1b[H\x1b[2J");
	CN_EXPECT_STREQ(row(0), "");
	CN_EXPECT_STREQ(row(1), "");
	CN_EXPECT_EQ(cur_x, 0u);
	CN_EXPECT_EQ(cur_y, 0u);
}

/* Checks cell (x, y) of a framebuffer shows ch in fg on bg. */
static int glyph_ok(const uint8_t *fb, uint32_t pitch, unsigned int bpp,
		    unsigned int x, unsigned int y, char ch, uint32_t fg,
		    uint32_t bg)
{
	const uint8_t *g = cn_vga_font[ch - CN_VGA_FONT_FIRST];
	unsigned int r, b;

	for (r = 0; r < 16; r++)
		for (b = 0; b < 8; b++) {
			const uint8_t *p = fb + (y * 16 + r) * pitch +
					   (x * 8 + b) * bpp;
			uint32_t v = p[0] | p[1] << 8 | (uint32_t)p[2] << 16;
			uint32_t want = g[r] & (0x80 >> b) ? fg : bg;

			if (v != want)
				return 0;
		}
	return 1;
}

static void fb_case(unsigned int bpp)
{
	struct cn_bootinfo bi = { .fb_width = 64, .fb_height = 48,
				  .fb_bpp = (uint8_t)(bpp * 8) };
	uint32_t pitch = 64 * bpp + 8;	/* a pitch wider than the line */
	size_t size = (size_t)pitch * 48;
	uint8_t *fb = malloc(size);
	struct term t;

	CN_ASSERT_NOT_NULL(fb);
	memset(fb, 0x5a, size);
	memset(&t, 0, sizeof(t));
	bi.fb_addr = (uintptr_t)fb;
	bi.fb_pitch = pitch;
	CN_ASSERT_EQ(cn_vga_fb_setup(&t, &bi), 0);
	CN_EXPECT_EQ(t.cols, 8u);
	CN_EXPECT_EQ(t.rows, 3u);
	term_init(&t);
	put(&t, "Hi!\n\x1b[32mok");
	CN_EXPECT_TRUE(glyph_ok(fb, pitch, bpp, 0, 0, 'H', 0xaaaaaa, 0));
	CN_EXPECT_TRUE(glyph_ok(fb, pitch, bpp, 2, 0, '!', 0xaaaaaa, 0));
	CN_EXPECT_TRUE(glyph_ok(fb, pitch, bpp, 1, 1, 'k', 0x00aa00, 0));
	/* two more lines: the screen moves up one text row */
	put(&t, "\n\x1b[0mA\nB");
	CN_EXPECT_TRUE(glyph_ok(fb, pitch, bpp, 0, 0, 'o', 0x00aa00, 0));
	CN_EXPECT_TRUE(glyph_ok(fb, pitch, bpp, 0, 1, 'A', 0xaaaaaa, 0));
	/* the cursor's underline sits under B's cell, not under A's */
	CN_EXPECT_EQ(fb[(2 * 16 + 15) * pitch + 8 * bpp], 0xaa);
	CN_EXPECT_EQ(fb[(1 * 16 + 15) * pitch + 8 * bpp], 0x00);
	CN_EXPECT_EQ(fb[(2 * 16 + 15) * pitch + 64 * bpp], 0x5a); /* pad */
	free(t.cells);
	free(fb);
}

CN_TEST(console_vga, framebuffer_32_bpp)
{
	fb_case(4);
}

CN_TEST(console_vga, framebuffer_24_bpp)
{
	fb_case(3);
}

CN_TEST(console_vga, framebuffer_refuses_what_it_cannot_draw)
{
	struct cn_bootinfo bi = { .fb_addr = 0x1000, .fb_width = 640,
				  .fb_height = 480, .fb_pitch = 2560,
				  .fb_bpp = 16 };
	struct term t;

	memset(&t, 0, sizeof(t));
	CN_EXPECT_EQ(cn_vga_fb_setup(&t, &bi), -ENOTSUP);
	bi.fb_bpp = 32;
	bi.fb_pitch = 100;		/* shorter than a line */
	CN_EXPECT_EQ(cn_vga_fb_setup(&t, &bi), -EINVAL);
	bi.fb_pitch = 2560;
	bi.fb_width = 4;		/* not one character wide */
	CN_EXPECT_EQ(cn_vga_fb_setup(&t, &bi), -EINVAL);
}

CN_TEST(console_vga, font_covers_printable_ascii)
{
	int c, lit;

	for (c = CN_VGA_FONT_FIRST + 1; c <= CN_VGA_FONT_LAST; c++) {
		const uint8_t *g = cn_vga_font[c - CN_VGA_FONT_FIRST];
		int r;

		for (lit = 0, r = 0; r < 16; r++)
			lit |= g[r];
		CN_EXPECT_TRUE(lit != 0);	/* every glyph draws something */
	}
	/* '-' and '_' differ; 'O' and '0' differ */
	CN_EXPECT_TRUE(memcmp(cn_vga_font['O' - 32], cn_vga_font['0' - 32],
			      16) != 0);
}
