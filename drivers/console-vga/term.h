/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to drivers/console-vga: the character-cell terminal both screens
 * share. It keeps the cells (character + VGA attribute) and the cursor,
 * interprets the bytes the rest of Cairn prints (newline, carriage return,
 * backspace, tab, and the ANSI sequences lib/shell's line editor and
 * `clear` send: cursor moves, erase, SGR colours) and asks its backend to
 * draw the cells that changed.
 */
#ifndef CONSOLE_VGA_TERM_H
#define CONSOLE_VGA_TERM_H

#include <stddef.h>
#include <stdint.h>

#define TERM_ATTR_DEFAULT	0x07	/* light grey on black */
#define TERM_MAX_COLS		256
#define TERM_MAX_ROWS		128
#define TERM_MAX_ARGS		4

struct term;

struct term_ops {
	/* required: cell (x, y) now shows c (low byte char, high byte attr) */
	void (*draw)(struct term *t, unsigned int x, unsigned int y,
		     uint16_t c);
	/* optional: the whole screen moved up one row (else: redraw) */
	void (*scroll)(struct term *t);
	/* optional: the cursor is now at (x, y) */
	void (*cursor)(struct term *t, unsigned int x, unsigned int y);
};

struct term {
	const struct term_ops *ops;
	void *priv;
	uint16_t *cells;		/* cols * rows, owned by the backend */
	unsigned int cols, rows;
	unsigned int x, y;
	uint8_t attr;
	uint8_t esc;			/* 0, 1 after ESC, 2 inside CSI */
	uint8_t nargs;
	unsigned int args[TERM_MAX_ARGS];
};

/* Clears the cells (and the screen) and homes the cursor. */
void term_init(struct term *t);
/* Interprets len bytes. */
void term_write(struct term *t, const char *buf, size_t len);

#endif
