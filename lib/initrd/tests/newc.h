/* SPDX-License-Identifier: BSD-3-Clause */
/* Builds cpio newc archives in memory for the initrd tests. */
#ifndef INITRD_TESTS_NEWC_H
#define INITRD_TESTS_NEWC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct newc {
	unsigned char *buf;
	size_t len, cap;
	uint32_t ino;
	bool crc;
};

static inline void newc_bytes(struct newc *a, const void *p, size_t n)
{
	if (n && a->len + n <= a->cap)
		memcpy(a->buf + a->len, p, n);
	a->len += n;
}

static inline void newc_pad(struct newc *a)
{
	static const char zeros[4];

	newc_bytes(a, zeros, (4 - a->len % 4) % 4);
}

/* One entry; ino 0 takes the next number. */
static inline void newc_entry_ino(struct newc *a, const char *name,
				  uint32_t mode, const void *data,
				  size_t size, uint32_t ino, uint32_t nlink)
{
	char h[111];
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < size; i++)
		sum += ((const unsigned char *)data)[i];
	snprintf(h, sizeof(h), "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X"
		 "%08X%08X%08X", a->crc ? "070702" : "070701",
		 ino ? ino : ++a->ino, mode, 0, 0, nlink, 1700000000u,
		 (unsigned int)size, 0, 0, 0, 0,
		 (unsigned int)strlen(name) + 1, a->crc ? sum : 0);
	newc_bytes(a, h, 110);
	newc_bytes(a, name, strlen(name) + 1);
	newc_pad(a);
	newc_bytes(a, data, size);
	newc_pad(a);
}

static inline void newc_entry(struct newc *a, const char *name, uint32_t mode,
			      const char *text)
{
	newc_entry_ino(a, name, mode, text, text ? strlen(text) : 0, 0,
		       (mode & 0170000) == 0040000 ? 2 : 1);
}

static inline void newc_trailer(struct newc *a)
{
	newc_entry_ino(a, "TRAILER!!!", 0, NULL, 0, 0, 1);
}

#endif
