/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The terminal emulation behind the VGA text and framebuffer consoles (see
 * term.h). Deliberately small: what Cairn itself prints, not a VT100. A
 * newline also returns the carriage, as a serial terminal in "onlcr" mode
 * would, because log lines and printf end lines with '\n' alone.
 */
#include <string.h>
#include "term.h"

/* ANSI colour numbers (red = 1) to VGA's (blue = 1). */
static const uint8_t ansi_to_vga[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

static void put(struct term *t, unsigned int x, unsigned int y, uint16_t c)
{
	t->cells[y * t->cols + x] = c;
	t->ops->draw(t, x, y, c);
}

static void clear_span(struct term *t, unsigned int from, unsigned int to)
{
	/* erased cells take the background colour, the default foreground */
	uint16_t blank = (uint16_t)((t->attr & 0xf0) |
				    (TERM_ATTR_DEFAULT & 0x0f)) << 8 | ' ';
	unsigned int i;

	for (i = from; i < to; i++)
		put(t, i % t->cols, i / t->cols, blank);
}

static void scroll_up(struct term *t)
{
	unsigned int x, y;

	memmove(t->cells, t->cells + t->cols,
		(size_t)t->cols * (t->rows - 1) * sizeof(*t->cells));
	for (x = 0; x < t->cols; x++)
		t->cells[(t->rows - 1) * t->cols + x] =
			(uint16_t)TERM_ATTR_DEFAULT << 8 | ' ';
	if (t->ops->scroll) {
		t->ops->scroll(t);
		return;
	}
	for (y = 0; y < t->rows; y++)
		for (x = 0; x < t->cols; x++)
			t->ops->draw(t, x, y, t->cells[y * t->cols + x]);
}

static void newline(struct term *t)
{
	t->x = 0;
	if (++t->y == t->rows) {
		t->y = t->rows - 1;
		scroll_up(t);
	}
}

static void sgr(struct term *t, unsigned int a)
{
	if (a == 0)
		t->attr = TERM_ATTR_DEFAULT;
	else if (a == 1)
		t->attr |= 0x08;		/* bold: the bright colour */
	else if (a == 22)
		t->attr &= ~0x08;
	else if (a == 7)
		t->attr = (uint8_t)((t->attr & 0x0f) << 4 | t->attr >> 4);
	else if (a >= 30 && a <= 37)
		t->attr = (t->attr & 0xf8) | ansi_to_vga[a - 30];
	else if (a >= 90 && a <= 97)
		t->attr = (t->attr & 0xf0) | 0x08 | ansi_to_vga[a - 90];
	else if (a == 39)
		t->attr = (t->attr & 0xf0) | (TERM_ATTR_DEFAULT & 0x0f);
	else if (a >= 40 && a <= 47)
		t->attr = (uint8_t)((t->attr & 0x0f) |
				    ansi_to_vga[a - 40] << 4);
	else if (a == 49)
		t->attr &= 0x0f;
	/* anything else (underline, blink, 256 colours): ignored */
}

static void csi(struct term *t, char final)
{
	unsigned int n = t->nargs ? t->args[0] : 0, i;
	unsigned int step = n ? n : 1;
	unsigned int here = t->y * t->cols + t->x;

	switch (final) {
	case 'A':
		t->y = t->y > step ? t->y - step : 0;
		break;
	case 'B':
		t->y = t->y + step < t->rows ? t->y + step : t->rows - 1;
		break;
	case 'C':
		t->x = t->x + step < t->cols ? t->x + step : t->cols - 1;
		break;
	case 'D':
		t->x = t->x > step ? t->x - step : 0;
		break;
	case 'H':
	case 'f':
		t->y = n ? (n <= t->rows ? n - 1 : t->rows - 1) : 0;
		n = t->nargs > 1 ? t->args[1] : 0;
		t->x = n ? (n <= t->cols ? n - 1 : t->cols - 1) : 0;
		break;
	case 'J':
		if (n == 0)
			clear_span(t, here, t->cols * t->rows);
		else if (n == 1)
			clear_span(t, 0, here + 1);
		else
			clear_span(t, 0, t->cols * t->rows);
		break;
	case 'K':
		if (n == 0)
			clear_span(t, here, (t->y + 1) * t->cols);
		else if (n == 1)
			clear_span(t, t->y * t->cols, here + 1);
		else
			clear_span(t, t->y * t->cols, (t->y + 1) * t->cols);
		break;
	case 'm':
		if (!t->nargs)
			sgr(t, 0);
		for (i = 0; i < t->nargs; i++)
			sgr(t, t->args[i]);
		break;
	default:
		break;		/* unknown sequences are dropped whole */
	}
}

/* Returns 1 when c was part of an escape sequence. */
static int escape(struct term *t, char c)
{
	if (t->esc == 1) {
		t->esc = c == '[' ? 2 : 0;
		t->nargs = 0;
		t->args[0] = 0;
		return 1;
	}
	if (c >= '0' && c <= '9') {
		if (!t->nargs)
			t->nargs = 1;
		if (t->args[t->nargs - 1] < 10000)
			t->args[t->nargs - 1] =
				t->args[t->nargs - 1] * 10 + (unsigned)(c - '0');
		return 1;
	}
	if (c == ';') {
		if (!t->nargs)
			t->nargs = 1;
		if (t->nargs < TERM_MAX_ARGS)
			t->args[t->nargs++] = 0;
		return 1;
	}
	if (c == '?' || c == '>')
		return 1;	/* private-mode marker: the final byte decides */
	t->esc = 0;
	if (c >= 0x40 && c <= 0x7e)
		csi(t, c);
	return 1;
}

static void byte(struct term *t, char c)
{
	if (t->esc && escape(t, c))
		return;
	switch (c) {
	case '\x1b':
		t->esc = 1;
		return;
	case '\n':
		newline(t);
		return;
	case '\r':
		t->x = 0;
		return;
	case '\b':
		if (t->x)
			t->x--;
		return;
	case '\t':		/* moves to the next stop, as a terminal */
		t->x = (t->x + 8) & ~7u;
		if (t->x >= t->cols)
			t->x = t->cols - 1;
		return;
	case '\a':
		return;
	default:
		break;
	}
	if ((unsigned char)c < ' ')
		return;
	put(t, t->x, t->y, (uint16_t)t->attr << 8 | (unsigned char)c);
	if (++t->x == t->cols)
		newline(t);
}

void term_init(struct term *t)
{
	t->attr = TERM_ATTR_DEFAULT;
	t->esc = 0;
	clear_span(t, 0, t->cols * t->rows);
	t->x = t->y = 0;
	if (t->ops->cursor)
		t->ops->cursor(t, 0, 0);
}

void term_write(struct term *t, const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		byte(t, buf[i]);
	if (t->ops->cursor)
		t->ops->cursor(t, t->x, t->y);
}
