/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The screen console: with `console=...,vga` on the command line the
 * output the serial port gets is also shown on the screen. On a
 * framebuffer the boot loader handed over (cn_bootinfo's fb_*), the
 * framebuffer console draws it with our own font (fb.c); otherwise the
 * PC's VGA text mode: 80x25 cells of (character, attribute) at 0xB8000,
 * the hardware cursor moved through the CRT controller's index/data ports.
 * The log lines printed before the screen came up are shown first, from
 * lib/log's ring, so the screen tells the whole boot.
 */
#include <errno.h>
#include <cairn/arch.h>
#include <cairn/console.h>
#include <cairn/errname.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/param.h>
#include <cairn/plat.h>
#include <cairn/boot.h>
#include <cairn/arch/x86_64.h>
#include "term.h"
#include "vga_priv.h"

#define TEXT_BASE	0xb8000
#define TEXT_COLS	80
#define TEXT_ROWS	25
#define CRTC_INDEX	0x3d4
#define CRTC_DATA	0x3d5
#define CRTC_CURSOR_START	0x0a
#define CRTC_CURSOR_HI	0x0e
#define CRTC_CURSOR_LO	0x0f
#define SEQ_INDEX	0x3c4
#define SEQ_DATA	0x3c5
#define SEQ_MAP_MASK	0x02
#define SEQ_MEM_MODE	0x04
#define GC_INDEX	0x3ce
#define GC_DATA		0x3cf
#define GC_READ_MAP	0x04
#define GC_MODE		0x05
#define GC_MISC		0x06
#define FONT_BASE	0xa0000		/* plane 2 seen alone at A0000 */
#define FONT_STRIDE	32		/* bytes per character slot */

static bool font_param = true;
CN_PARAM_BOOL(console_vga, font, font_param,
	      "in VGA text mode, draw ASCII with Cairn's 8x16 font (the one "
	      "the framebuffer console uses) instead of the BIOS's (0)");

static volatile uint16_t *text;
static uint16_t text_cells[TEXT_COLS * TEXT_ROWS];
static struct term screen;
static struct cn_console console = { .name = "vga" };

static void text_draw(struct term *t, unsigned int x, unsigned int y,
		      uint16_t c)
{
	text[y * t->cols + x] = c;
}

static void text_scroll(struct term *t)
{
	unsigned int i, n = t->cols * t->rows;

	for (i = 0; i < n; i++)
		text[i] = t->cells[i];
}

static void text_cursor(struct term *t, unsigned int x, unsigned int y)
{
	unsigned int pos = y * t->cols + x;

	(void)t;
	cn_outb(CRTC_INDEX, CRTC_CURSOR_HI);
	cn_outb(CRTC_DATA, (uint8_t)(pos >> 8));
	cn_outb(CRTC_INDEX, CRTC_CURSOR_LO);
	cn_outb(CRTC_DATA, (uint8_t)pos);
}

static const struct term_ops text_ops = {
	.draw = text_draw,
	.scroll = text_scroll,
	.cursor = text_cursor,
};

static void console_write(struct cn_console *c, const char *buf, size_t len)
{
	term_write(c->priv, buf, len);
}

static void replay(const char *line, size_t len, void *arg)
{
	term_write(arg, line, len);
	term_write(arg, "\n", 1);
}

static uint8_t reg_swap(uint16_t index, uint16_t data, uint8_t reg,
		       uint8_t val)
{
	uint8_t old;

	cn_outb(index, reg);
	old = cn_inb(data);
	cn_outb(data, val);
	return old;
}

/*
 * Loads Cairn's glyphs for ASCII 32..126 into the character generator
 * (plane 2, 32 bytes a character, 16 of them used): the text-mode screen
 * then shows the same letters as the framebuffer console, and a
 * screendump reads back with one font. Plane 2 is opened alone at A0000
 * (sequencer map mask and memory mode, graphics controller read map,
 * mode and miscellaneous), written, and the text-mode values put back.
 * The other 161 characters keep the BIOS's glyphs.
 */
static int text_font_load(void)
{
	volatile uint8_t *plane = cn_arch_map_mmio(FONT_BASE,
		(CN_VGA_FONT_LAST + 1) * FONT_STRIDE);
	uint8_t map_mask, mem_mode, read_map, mode, misc;
	unsigned int c, r;

	if (!plane)
		return -ENOMEM;
	map_mask = reg_swap(SEQ_INDEX, SEQ_DATA, SEQ_MAP_MASK, 0x04);
	mem_mode = reg_swap(SEQ_INDEX, SEQ_DATA, SEQ_MEM_MODE, 0x07);
	read_map = reg_swap(GC_INDEX, GC_DATA, GC_READ_MAP, 0x02);
	mode = reg_swap(GC_INDEX, GC_DATA, GC_MODE, 0x00);
	misc = reg_swap(GC_INDEX, GC_DATA, GC_MISC, 0x04);
	for (c = CN_VGA_FONT_FIRST; c <= CN_VGA_FONT_LAST; c++)
		for (r = 0; r < 16; r++)
			plane[c * FONT_STRIDE + r] =
				cn_vga_font[c - CN_VGA_FONT_FIRST][r];
	reg_swap(SEQ_INDEX, SEQ_DATA, SEQ_MAP_MASK, map_mask);
	reg_swap(SEQ_INDEX, SEQ_DATA, SEQ_MEM_MODE, mem_mode);
	reg_swap(GC_INDEX, GC_DATA, GC_READ_MAP, read_map);
	reg_swap(GC_INDEX, GC_DATA, GC_MODE, mode);
	reg_swap(GC_INDEX, GC_DATA, GC_MISC, misc);
	return 0;
}

static int text_mode_setup(struct term *t)
{
	/*
	 * Nothing checks that a VGA is there: on a machine without one
	 * (microvm) the writes go to unbacked memory and are lost, which is
	 * harmless; the CRTC ports read back 0xff there.
	 */
	text = cn_arch_map_mmio(TEXT_BASE, sizeof(text_cells));
	if (!text)
		return -ENOMEM;
	cn_outb(CRTC_INDEX, CRTC_CURSOR_START);
	if (cn_inb(CRTC_INDEX) == 0xff)
		return -ENODEV;
	/* cursor on, scan lines 14-15: the usual underline */
	cn_outb(CRTC_DATA, (cn_inb(CRTC_DATA) & 0xc0) | 14);
	cn_outb(CRTC_INDEX, CRTC_CURSOR_START + 1);
	cn_outb(CRTC_DATA, (cn_inb(CRTC_DATA) & 0xe0) | 15);
	if (font_param) {
		int rc = text_font_load();

		if (rc)
			cn_pr_warn("text mode: keeping the BIOS font: %d (%s)",
				   rc, cn_errname(rc));
	}
	t->ops = &text_ops;
	t->cells = text_cells;
	t->cols = TEXT_COLS;
	t->rows = TEXT_ROWS;
	return 0;
}

static int vga_console_init(void)
{
	const struct cn_bootinfo *bi = cn_bootinfo();
	const char *what;
	int rc;

	if (!cn_console_wanted("vga"))
		return 0;
	if (bi->fb_addr) {
		rc = cn_vga_fb_setup(&screen, bi);
		what = "framebuffer";
	} else {
		rc = text_mode_setup(&screen);
		what = "VGA text mode";
	}
	if (rc == -ENODEV) {
		cn_pr_warn("no screen console: this machine has no VGA (QEMU: "
			   "-device VGA)");
		return 0;
	}
	if (rc) {
		cn_pr_warn("no screen console: %s: %d (%s)", what, rc,
			   cn_errname(rc));
		return 0;
	}
	term_init(&screen);
	console.write = console_write;
	console.priv = &screen;
	cn_log_recent(0, replay, &screen);
	cn_console_register(&console);
	cn_pr_info("console on %s, %ux%u characters", what, screen.cols,
		   screen.rows);
	return 0;
}
CN_INIT_PRIO(vga_console_init, CN_INIT_DEV, 0);
