/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/initrd. */
#ifndef INITRD_PRIV_H
#define INITRD_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The archive linked into the image, if there is one (embed.c). */
bool cn_initrd_embedded(const void **buf, size_t *len);

/* Hands the pages of [start, start + size) to the heap (giveback.c). */
void cn_initrd_give_back(uint64_t start, uint64_t size);

#endif
