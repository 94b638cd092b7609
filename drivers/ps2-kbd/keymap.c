/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scan codes to the bytes a terminal would send, US layout. Set 2 codes
 * are first turned into their set 1 equivalents (the same table the
 * i8042's translation applies, for the keys handled here), so one decoder
 * serves both. Keys a serial terminal has no byte for (F-keys, Alt) are
 * dropped; the arrows, Home, End and Delete become the ANSI sequences
 * lib/shell's line editor reads, Enter is CR and Backspace DEL, as from a
 * terminal.
 */
#include "ps2_priv.h"

#define SC_ESC		0x01
#define SC_BKSP		0x0e
#define SC_CTRL		0x1d
#define SC_LSHIFT	0x2a
#define SC_RSHIFT	0x36
#define SC_ALT		0x38
#define SC_CAPS		0x3a

/* Set 1 make codes 0x00-0x39: unshifted, then shifted. */
static const char plain[0x3a] =
	"\0\x1b" "1234567890-=\x7f\tqwertyuiop[]\r\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";
static const char shifted[0x3a] =
	"\0\x1b" "!@#$%^&*()_+\x7f\tQWERTYUIOP{}\r\0ASDFGHJKL:\"~\0|ZXCVBNM<>?\0*\0 ";

/* Set 2 make code -> set 1 make code, for the keys above (0: none). */
static const uint8_t set2_to_1[0x80] = {
	[0x76] = 0x01, [0x16] = 0x02, [0x1e] = 0x03, [0x26] = 0x04,
	[0x25] = 0x05, [0x2e] = 0x06, [0x36] = 0x07, [0x3d] = 0x08,
	[0x3e] = 0x09, [0x46] = 0x0a, [0x45] = 0x0b, [0x4e] = 0x0c,
	[0x55] = 0x0d, [0x66] = 0x0e, [0x0d] = 0x0f, [0x15] = 0x10,
	[0x1d] = 0x11, [0x24] = 0x12, [0x2d] = 0x13, [0x2c] = 0x14,
	[0x35] = 0x15, [0x3c] = 0x16, [0x43] = 0x17, [0x44] = 0x18,
	[0x4d] = 0x19, [0x54] = 0x1a, [0x5b] = 0x1b, [0x5a] = 0x1c,
	[0x14] = 0x1d, [0x1c] = 0x1e, [0x1b] = 0x1f, [0x23] = 0x20,
	[0x2b] = 0x21, [0x34] = 0x22, [0x33] = 0x23, [0x3b] = 0x24,
	[0x42] = 0x25, [0x4b] = 0x26, [0x4c] = 0x27, [0x52] = 0x28,
	[0x0e] = 0x29, [0x12] = 0x2a, [0x5d] = 0x2b, [0x1a] = 0x2c,
	[0x22] = 0x2d, [0x21] = 0x2e, [0x2a] = 0x2f, [0x32] = 0x30,
	[0x31] = 0x31, [0x3a] = 0x32, [0x41] = 0x33, [0x49] = 0x34,
	[0x4a] = 0x35, [0x59] = 0x36, [0x7c] = 0x37, [0x11] = 0x38,
	[0x29] = 0x39, [0x58] = 0x3a,
	/* after 0xe0: the arrows and the editing block */
	[0x75] = 0x48, [0x72] = 0x50, [0x6b] = 0x4b, [0x74] = 0x4d,
	[0x6c] = 0x47, [0x69] = 0x4f, [0x71] = 0x53,
};

static void extended(struct cn_ps2_decoder *d, uint8_t code)
{
	static const char *const seq[] = {
		[0x48] = "\x1b[A", [0x50] = "\x1b[B", [0x4d] = "\x1b[C",
		[0x4b] = "\x1b[D", [0x47] = "\x1b[H", [0x4f] = "\x1b[F",
		[0x53] = "\x1b[3~", [0x1c] = "\r", [0x35] = "/",
	};
	const char *s = code < sizeof(seq) / sizeof(seq[0]) ? seq[code] : 0;
	size_t n = 0;

	if (!s)
		return;
	while (s[n])
		n++;
	d->emit(s, n);
}

/* A set 1 code, break bit included, with d->ext telling an 0xe0 prefix. */
static void key(struct cn_ps2_decoder *d, uint8_t code)
{
	int up = code & 0x80;
	char c;

	code &= 0x7f;
	if (code == SC_LSHIFT || code == SC_RSHIFT) {
		if (!d->ext)	/* e0 2a / e0 aa: fake shifts around keys */
			d->shift = (uint8_t)((d->shift & ~(code == SC_LSHIFT ?
					       1 : 2)) |
					     (up ? 0 : code == SC_LSHIFT ? 1 : 2));
		return;
	}
	if (code == SC_CTRL) {
		uint8_t bit = d->ext ? 2 : 1;

		d->ctrl = (uint8_t)(up ? d->ctrl & ~bit : d->ctrl | bit);
		return;
	}
	if (up || code == SC_ALT)
		return;
	if (code == SC_CAPS) {
		d->caps = !d->caps;
		return;
	}
	if (d->ext) {
		extended(d, code);
		return;
	}
	if (code >= sizeof(plain))
		return;			/* F-keys, keypad: no byte */
	c = d->shift ? shifted[code] : plain[code];
	if (d->caps && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		c ^= 0x20;
	if (d->ctrl && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '@' && c <= '_')))
		c &= 0x1f;
	if (c)
		d->emit(&c, 1);
}

void cn_ps2_decode(struct cn_ps2_decoder *d, uint8_t b)
{
	if (d->skip) {
		d->skip--;
		return;
	}
	if (b == 0xe1) {		/* Pause: a fixed sequence, no key */
		d->skip = d->set == 1 ? 5 : 7;
		return;
	}
	if (b == 0xe0) {
		d->ext = 1;
		return;
	}
	if (d->set == 2) {
		if (b == 0xf0) {
			d->brk = 1;
			return;
		}
		b = b < 0x80 ? set2_to_1[b] : 0;
		if (b && d->brk)
			b |= 0x80;
		d->brk = 0;
		if (!b) {
			d->ext = 0;
			return;
		}
	}
	key(d, b);
	d->ext = 0;
}
