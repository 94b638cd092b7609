/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to drivers/ps2-kbd. */
#ifndef PS2_PRIV_H
#define PS2_PRIV_H

#include <stddef.h>
#include <stdint.h>

/* Where the decoder puts the bytes a key produces. */
typedef void (*cn_ps2_emit_fn)(const char *s, size_t len);

struct cn_ps2_decoder {
	uint8_t set;			/* 1 or 2 */
	uint8_t ext;			/* an 0xe0 prefix came */
	uint8_t brk;			/* set 2: an 0xf0 prefix came */
	uint8_t skip;			/* bytes of Pause's sequence to drop */
	uint8_t shift, ctrl, caps;
	cn_ps2_emit_fn emit;
};

/* Feeds one scan code byte (keymap.c); calls emit for what it types. */
void cn_ps2_decode(struct cn_ps2_decoder *d, uint8_t byte);

#endif
