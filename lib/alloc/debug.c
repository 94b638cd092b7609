/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The allocation debug layer (LIB_ALLOC_DEBUG), between the API and the
 * backend. Every block gets a header (magic, size, state, the caller that
 * allocated it) and 16 canary bytes after it. free checks both, poisons
 * the block with 0xdf and keeps it in a quarantine of recent frees, so a
 * double free, a write past the end or a free of a foreign pointer is
 * caught with the callers named; the image then stops with a panic.
 * Costs 48 bytes and some speed per block: for development images.
 */
#include <string.h>
#include <cairn/alloc_backend.h>
#include <cairn/panic.h>
#include <cairn/symbols.h>
#include "alloc_priv.h"

#define MAGIC_LIVE	0xa110ca7edb10c5ull
#define MAGIC_FREED	0xf4eedb10c5f4eeull
#define CANARY		0xcb
#define CANARY_LEN	16
#define POISON		0xdf
#define QUARANTINE	64

struct dbg_hdr {			/* 32 bytes: keeps 16-byte alignment */
	uint64_t magic;
	size_t size;			/* what the caller asked for */
	uintptr_t caller;		/* who allocated, then who freed */
	uint32_t offset;		/* from the backend's block to us */
	uint32_t pad;
};

static struct {
	struct cn_alloc *a;
	void *user;
} quarantine[QUARANTINE];
static unsigned int q_next;

static const char *name_of(uintptr_t pc, char *buf, size_t len)
{
	uintptr_t off;
	const char *fn = cn_sym_lookup(pc, &off);

	if (fn)
		snprintf(buf, len, "%s+0x%lx", fn, (unsigned long)off);
	else
		snprintf(buf, len, "0x%lx", (unsigned long)pc);
	return buf;
}

static int is_wrapper(uintptr_t pc)
{
	static const char *const wrappers[] = {
		"malloc", "free", "calloc", "realloc", "memalign",
		"aligned_alloc", "posix_memalign", "valloc",
		"cn_alloc_malloc", "cn_alloc_free", "cn_alloc_calloc",
		"cn_alloc_realloc", "cn_alloc_memalign", "do_calloc",
		"do_realloc",
	};
	const char *fn = cn_sym_lookup(pc - 1, NULL);
	size_t i;

	for (i = 0; fn && i < sizeof(wrappers) / sizeof(wrappers[0]); i++)
		if (strcmp(fn, wrappers[i]) == 0)
			return 1;
	return 0;
}

uintptr_t cn_alloc_dbg_caller(uintptr_t pc0, uintptr_t pc1, uintptr_t pc2)
{
	if (!is_wrapper(pc0))
		return pc0;
	return is_wrapper(pc1) ? pc2 : pc1;
}

static struct dbg_hdr *hdr_of(void *user)
{
	return (struct dbg_hdr *)user - 1;
}

static void *finish(void *raw, size_t offset, size_t size, uintptr_t caller)
{
	unsigned char *user = (unsigned char *)raw + offset;
	struct dbg_hdr *h = hdr_of(user);

	h->magic = MAGIC_LIVE;
	h->size = size;
	h->caller = caller;
	h->offset = (uint32_t)offset;
	memset(user + size, CANARY, CANARY_LEN);
	return user;
}

void *cn_alloc_dbg_memalign(struct cn_alloc *a, size_t align, size_t size,
			    uintptr_t caller)
{
	size_t offset = align > sizeof(struct dbg_hdr) ? align :
			sizeof(struct dbg_hdr);
	void *raw;

	if (size > SIZE_MAX - offset - CANARY_LEN)
		return NULL;
	raw = a->ops->memalign(a, align, size + offset + CANARY_LEN);
	return raw ? finish(raw, offset, size, caller) : NULL;
}

static void check(struct cn_alloc *a, void *user, uintptr_t caller)
{
	struct dbg_hdr *h = hdr_of(user);
	char who[96], by[96];
	const unsigned char *c;
	size_t i;

	if (h->magic == MAGIC_FREED)
		cn_panic("alloc: double free of %p (%zu bytes) by %s; "
			 "first freed by %s", user, h->size,
			 name_of(caller, by, sizeof(by)),
			 name_of(h->caller, who, sizeof(who)));
	if (h->magic != MAGIC_LIVE)
		cn_panic("alloc: free of %p by %s: not a block of allocator "
			 "%s (or its header was overwritten)", user,
			 name_of(caller, by, sizeof(by)), cn_alloc_name(a));
	c = (const unsigned char *)user + h->size;
	for (i = 0; i < CANARY_LEN; i++)
		if (c[i] != CANARY)
			cn_panic("alloc: buffer overrun: %p (%zu bytes, "
				 "allocated by %s) was written past its end "
				 "at +%zu; found when %s freed it", user,
				 h->size, name_of(h->caller, who, sizeof(who)),
				 h->size + i, name_of(caller, by, sizeof(by)));
}

void cn_alloc_dbg_free(struct cn_alloc *a, void *user, uintptr_t caller)
{
	struct dbg_hdr *h = hdr_of(user);
	unsigned int slot = q_next++ % QUARANTINE;

	check(a, user, caller);
	memset(user, POISON, h->size);
	h->magic = MAGIC_FREED;
	h->caller = caller;
	/* The oldest block in quarantine goes back to the backend. */
	if (quarantine[slot].user) {
		struct dbg_hdr *old = hdr_of(quarantine[slot].user);

		quarantine[slot].a->ops->free(quarantine[slot].a,
					      (unsigned char *)old + sizeof(*old)
					      - old->offset);
	}
	quarantine[slot].a = a;
	quarantine[slot].user = user;
}

/*
 * The allocator goes away (or is created again over the same memory):
 * its quarantined blocks are dropped without being freed, since their
 * memory no longer belongs to it.
 */
void cn_alloc_dbg_forget(struct cn_alloc *a)
{
	unsigned int i;

	for (i = 0; i < QUARANTINE; i++)
		if (quarantine[i].a == a)
			quarantine[i].user = NULL;
}

size_t cn_alloc_dbg_size(void *user)
{
	return hdr_of(user)->size;
}
