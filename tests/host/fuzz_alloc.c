/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for one allocator backend (chosen at build time with
 * -DBACKEND_CREATE=cn_<name>_create; tests/host/build.py fuzz <name>).
 *
 * Each input is an allocation trace run through lib/alloc's API against
 * a fresh allocator over a fixed 4 MiB arena, with up to 256 live blocks
 * (slots). Every op starts with a byte: its low 3 bits choose the op, the
 * next byte the slot, then operands:
 *
 *   0 malloc  slot size16          4 memalign slot k size16 (align 1 << k%17)
 *   1 malloc  slot size16 << 5     5 calloc   slot n16 size16
 *   2 free    slot                 6 usable_size and statistics check
 *   3 realloc slot size16          7 realloc  slot size16 << 5
 *
 * (size16: two bytes, little endian; size 0 is allowed.) A busy slot is
 * freed before it is reused. Every block is filled, up to its usable size,
 * with a pattern derived from its slot (and the offset) and checked before it is freed or
 * resized; realloc must keep the contents up to the smaller size and leave
 * the block untouched when it fails. Also checked: alignment (16, or the
 * memalign argument), usable_size >= size, blocks inside the arena and not
 * overlapping, calloc memory zeroed, the API's statistics (used is the sum
 * of the usable sizes; allocs - frees is the number of live blocks). Any
 * violation calls abort() after saying what it was. Failed allocations
 * (NULL, errno ENOMEM) are fine: the arena is small on purpose.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/alloc.h>
#include <cairn/alloc_backend.h>

#ifndef BACKEND_CREATE
#error "build with -DBACKEND_CREATE=cn_<backend>_create"
#endif

#define ARENA_SIZE (4u << 20)
#define NR_SLOTS 256

struct cn_alloc *BACKEND_CREATE(void *base, size_t len);

static unsigned char arena[ARENA_SIZE] __attribute__((aligned(4096)));

static struct slot {
	unsigned char *p;
	size_t size;		/* as requested */
	size_t usable;		/* usable_size when allocated */
} slots[NR_SLOTS];

static struct cn_alloc *a;

#define fail(...)							\
	do {								\
		fprintf(stderr, "fuzz_alloc: " __VA_ARGS__);		\
		fputc('\n', stderr);					\
		abort();						\
	} while (0)

/*
 * The pattern of slot s at offset i is ref[s + i]: pseudo-random bytes,
 * so blocks of different slots differ and a shifted copy is caught, and
 * filling or checking is one memcpy or memcmp.
 */
static unsigned char ref[ARENA_SIZE + NR_SLOTS];

static void make_ref(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	size_t i;

	for (i = 0; i < sizeof(ref); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		ref[i] = (unsigned char)(x >> 24);
	}
}

static void fill(unsigned int s, size_t from)
{
	memcpy(slots[s].p + from, ref + s + from, slots[s].usable - from);
}

static void check(unsigned int s, size_t upto, const char *when)
{
	size_t i;

	if (!memcmp(slots[s].p, ref + s, upto))
		return;
	for (i = 0; slots[s].p[i] == ref[s + i]; i++)
		;
	fail("%s: slot %u (%p, size %zu): byte %zu is %#x, expected %#x",
	     when, s, (void *)slots[s].p, slots[s].size, i, slots[s].p[i],
	     ref[s + i]);
}

/* Checks a new block p of size bytes (aligned to align) for slot s. */
static void accept(unsigned int s, unsigned char *p, size_t size,
		   size_t align)
{
	size_t usable = cn_alloc_usable_size(a, p);
	unsigned int i;

	if (align < 16)
		align = 16;
	if ((uintptr_t)p % align)
		fail("slot %u: %p not aligned to %zu", s, (void *)p, align);
	if (usable < size)
		fail("slot %u: usable_size %zu < size %zu", s, usable, size);
	if (p < arena || usable > ARENA_SIZE ||
	    (size_t)(p - arena) > ARENA_SIZE - usable)
		fail("slot %u: %p+%zu outside the arena %p+%u", s, (void *)p,
		     usable, (void *)arena, ARENA_SIZE);
	for (i = 0; i < NR_SLOTS; i++) {
		const struct slot *o = &slots[i];

		if (i == s || !o->p)
			continue;
		if (p < o->p + o->usable && o->p < p + usable)
			fail("slot %u: %p+%zu overlaps slot %u %p+%zu", s,
			     (void *)p, usable, i, (void *)o->p, o->usable);
	}
	slots[s].p = p;
	slots[s].size = size;
	slots[s].usable = usable;
}

static void release(unsigned int s)
{
	if (!slots[s].p)
		return;
	check(s, slots[s].usable, "before free");
	cn_alloc_free(a, slots[s].p);
	memset(&slots[s], 0, sizeof(slots[s]));
}

static void do_malloc(unsigned int s, size_t size)
{
	unsigned char *p;

	release(s);
	p = cn_alloc_malloc(a, size);
	if (!p) {
		if (errno != ENOMEM)
			fail("malloc(%zu): NULL with errno %d", size, errno);
		return;
	}
	accept(s, p, size, 16);
	fill(s, 0);
}

static void do_memalign(unsigned int s, unsigned int k, size_t size)
{
	size_t align = (size_t)1 << (k % 17);
	unsigned char *p;

	release(s);
	p = cn_alloc_memalign(a, align, size);
	if (!p) {
		if (errno != ENOMEM)
			fail("memalign(%zu, %zu): NULL with errno %d", align,
			     size, errno);
		return;
	}
	accept(s, p, size, align);
	fill(s, 0);
}

static void do_calloc(unsigned int s, size_t n, size_t size)
{
	unsigned char *p;
	size_t i;

	release(s);
	p = cn_alloc_calloc(a, n, size);
	if (!p) {
		if (errno != ENOMEM)
			fail("calloc(%zu, %zu): NULL with errno %d", n, size,
			     errno);
		return;
	}
	accept(s, p, n * size, 16);
	for (i = 0; i < n * size; i++)
		if (p[i])
			fail("calloc(%zu, %zu): byte %zu is %#x", n, size, i,
			     p[i]);
	fill(s, 0);
}

static void do_realloc(unsigned int s, size_t size)
{
	struct slot old = slots[s];
	unsigned char *p;
	size_t keep;

	if (old.p)
		check(s, old.usable, "before realloc");
	p = cn_alloc_realloc(a, old.p, size);
	if (!p) {
		if (old.p && !size) {		/* realloc(p, 0) frees */
			memset(&slots[s], 0, sizeof(slots[s]));
			return;
		}
		if (errno != ENOMEM)
			fail("realloc(%p, %zu): NULL with errno %d",
			     (void *)old.p, size, errno);
		if (old.p)
			check(s, old.usable, "after a failed realloc");
		return;
	}
	slots[s].p = NULL;		/* not an overlap with itself */
	accept(s, p, size, 16);
	keep = !old.p ? 0 : old.size < size ? old.size : size;
	check(s, keep, "after realloc");
	fill(s, 0);
}

static void check_stats(void)
{
	struct cn_alloc_stats st;
	size_t used = 0;
	uint64_t live = 0;
	unsigned int i;

	for (i = 0; i < NR_SLOTS; i++) {
		if (!slots[i].p)
			continue;
		if (cn_alloc_usable_size(a, slots[i].p) != slots[i].usable)
			fail("slot %u: usable_size changed from %zu to %zu", i,
			     slots[i].usable,
			     cn_alloc_usable_size(a, slots[i].p));
		used += slots[i].usable;
		live++;
	}
	cn_alloc_stats(a, &st);
	if (st.used != used)
		fail("stats.used %zu, the live blocks' usable sizes sum to %zu",
		     st.used, used);
	if (st.peak < st.used)
		fail("stats.peak %zu < used %zu", st.peak, st.used);
	if (st.nr_allocs - st.nr_frees != live)
		fail("stats: %llu allocs - %llu frees, %llu blocks live",
		     (unsigned long long)st.nr_allocs,
		     (unsigned long long)st.nr_frees,
		     (unsigned long long)live);
	if (st.free > st.total || st.total > ARENA_SIZE)
		fail("stats: free %zu, total %zu, arena %u", st.free, st.total,
		     ARENA_SIZE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static int ref_made;
	size_t i = 0;
	unsigned int s;

	if (!ref_made++)
		make_ref();
	memset(slots, 0, sizeof(slots));
	a = BACKEND_CREATE(arena, sizeof(arena));
	if (!a)
		fail("cannot create the allocator over %u bytes", ARENA_SIZE);

#define BYTE() (i < len ? data[i++] : 0)
#define SIZE16() (i += 2, (size_t)(i - 2 < len ? data[i - 2] : 0) |	\
		  (size_t)(i - 1 < len ? data[i - 1] : 0) << 8)
	while (i < len) {
		unsigned int op = BYTE() & 7;
		size_t n;

		s = BYTE() % NR_SLOTS;
		switch (op) {
		case 0:
			do_malloc(s, SIZE16());
			break;
		case 1:
			do_malloc(s, SIZE16() << 5);
			break;
		case 2:
			release(s);
			break;
		case 3:
			do_realloc(s, SIZE16());
			break;
		case 4: {
			unsigned int k = BYTE();

			do_memalign(s, k, SIZE16());
			break;
		}
		case 5:
			n = SIZE16();
			do_calloc(s, n, SIZE16());
			break;
		case 6:
			check_stats();
			break;
		case 7:
			do_realloc(s, SIZE16() << 5);
			break;
		}
	}
	check_stats();
	for (s = 0; s < NR_SLOTS; s++)
		release(s);
	check_stats();
	cn_alloc_unregister(a);
	return 0;
}
