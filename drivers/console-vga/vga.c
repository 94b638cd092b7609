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
