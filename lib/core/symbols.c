/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lookup in the function-name table that support/gensyms.py generates:
 *
 *	u32 count; u32 addr[count] (ascending); u32 name_off[count]; names
 *
 * The first link pass has an empty table, so every reader checks the size.
 */
#include <stddef.h>
#include <string.h>
#include <cairn/symbols.h>

extern const unsigned char __cn_syms_start[], __cn_syms_end[];
extern const char __text_start[], __text_end[];

struct table {
	uint32_t count;
	const uint32_t *addr;
	const uint32_t *name_off;
	const char *names;
};

static int table_get(struct table *t)
{
	size_t size = (size_t)(__cn_syms_end - __cn_syms_start);

	if (size < 4)
		return -1;
	memcpy(&t->count, __cn_syms_start, 4);
	if (t->count == 0 || size < 4 + 8 * (size_t)t->count)
		return -1;
	t->addr = (const uint32_t *)(const void *)(__cn_syms_start + 4);
	t->name_off = t->addr + t->count;
	t->names = (const char *)(t->name_off + t->count);
	return 0;
}

const char *cn_sym_lookup(uintptr_t addr, uintptr_t *off)
{
	struct table t;
	uint32_t lo = 0, hi;

	if (addr < (uintptr_t)__text_start || addr >= (uintptr_t)__text_end ||
	    table_get(&t) != 0 || addr < t.addr[0])
		return NULL;
	hi = t.count;
	while (hi - lo > 1) {		/* largest addr[i] <= addr */
		uint32_t mid = lo + (hi - lo) / 2;

		if (t.addr[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (off)
		*off = addr - t.addr[lo];
	return t.names + t.name_off[lo];
}

uintptr_t cn_sym_addr(const char *name)
{
	struct table t;
	uint32_t i;

	if (table_get(&t) != 0)
		return 0;
	for (i = 0; i < t.count; i++)
		if (strcmp(t.names + t.name_off[i], name) == 0)
			return t.addr[i];
	return 0;
}
