/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Split virtqueues (virtq.c) with the test playing the device: it reads
 * the available ring and the descriptor chains straight from the ring
 * memory, at the offsets virtio 1.x section 2.7 gives (not through the
 * pointers cn_virtq_init() set), and writes used entries, avail_event and
 * the used flags as a device would. Covers sizes and layout, descriptor
 * chains and the free list, the 16-bit index wrap, notification and
 * interrupt suppression (flags and event index), and a device that
 * returns ids it was never given.
 *
 * Ring memory and cookie arrays come from the heap at their exact sizes
 * so that, on the host under ASan, an access past either end is caught.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/test.h>
#include <cairn/virtq.h>

#define PAGE		4096
#define MAX_CHAIN	64
#define COOKIE(seq)	((void *)(uintptr_t)((seq) + 1))

struct ring {
	struct cn_virtq vq;
	unsigned int size;
	unsigned char *mem;
	void **cookie;
	/* device side */
	uint16_t last_avail;		/* next available entry to take */
	unsigned int notified;		/* notify() calls */
	uint16_t avail_at_notify;	/* avail idx the last notify() saw */
};

/* A chain as the device reads it. */
struct chain {
	uint16_t head;
	unsigned int n;
	uint16_t d[MAX_CHAIN];
	struct cn_virtq_desc desc[MAX_CHAIN];
};

/* What the driver's buffers point to (never dereferenced by virtq.c). */
static unsigned char bufmem[2 * PAGE];

/* Offsets of virtio 1.x 2.7 with the used ring on the next 4096 bytes. */
static size_t used_off(unsigned int size)
{
	return ((size_t)18 * size + 6 + PAGE - 1) & ~(size_t)(PAGE - 1);
}

/* avail: u16 0 flags, 1 idx, 2 + i ring[i], 2 + size used_event. */
static uint16_t *avail16(struct ring *r, unsigned int i)
{
	return (uint16_t *)(r->mem + 16 * (size_t)r->size) + i;
}

static uint16_t *used_flags(struct ring *r)
{
	return (uint16_t *)(r->mem + used_off(r->size));
}

static uint16_t *used_idx(struct ring *r)
{
	return (uint16_t *)(r->mem + used_off(r->size) + 2);
}

static uint16_t *avail_event(struct ring *r)
{
	return (uint16_t *)(r->mem + used_off(r->size) + 4 + 8 * r->size);
}

static uint16_t *used_event(struct ring *r)
{
	return avail16(r, 2 + r->size);
}

static void dev_notify(struct cn_virtq *vq)
{
	struct ring *r = vq->owner;

	r->notified++;
	r->avail_at_notify = *avail16(r, 1);
}

static struct ring *ring_new(unsigned int size, bool event_idx)
{
	struct ring *r = calloc(1, sizeof(*r));
	size_t len = cn_virtq_mem_size(size);

	CN_ASSERT_NOT_NULL(r);
	r->size = size;
	r->mem = aligned_alloc(PAGE, len);
	r->cookie = malloc(size * sizeof(*r->cookie));
	CN_ASSERT_NOT_NULL(r->mem);
	CN_ASSERT_NOT_NULL(r->cookie);
	/* Garbage: init must clear what it uses. */
	memset(r->mem, 0xa5, len);
	memset(r->cookie, 0xa5, size * sizeof(*r->cookie));
	CN_ASSERT_EQ(cn_virtq_init(&r->vq, size, r->mem, r->cookie,
				   event_idx), 0);
	r->vq.notify = dev_notify;
	r->vq.owner = r;
	return r;
}

static void ring_free(struct ring *r)
{
	free(r->mem);
	free(r->cookie);
	free(r);
}

/* Takes the next chain the driver published; false when there is none. */
static bool dev_pop(struct ring *r, struct chain *c)
{
	uint16_t d;

	if (*avail16(r, 1) == r->last_avail)
		return false;
	d = *avail16(r, 2 + (r->last_avail & (r->size - 1)));
	r->last_avail++;
	c->head = d;
	c->n = 0;
	for (;;) {
		const struct cn_virtq_desc *desc;

		CN_ASSERT_TRUE(d < r->size);
		CN_ASSERT_TRUE(c->n < MAX_CHAIN && c->n < r->size);
		desc = (const struct cn_virtq_desc *)(r->mem + 16 * (size_t)d);
		c->d[c->n] = d;
		c->desc[c->n++] = *desc;
		if (!(desc->flags & CN_VIRTQ_DESC_F_NEXT))
			return true;
		d = desc->next;
	}
}

/* Returns chain id to the driver with len bytes written. */
static void dev_use(struct ring *r, uint32_t id, uint32_t len)
{
	uint16_t i = *used_idx(r);
	uint32_t *e = (uint32_t *)(r->mem + used_off(r->size) + 4 +
				   8 * (size_t)(i & (r->size - 1)));

	e[0] = id;
	e[1] = len;
	(*used_idx(r))++;
}

static int add1(struct ring *r, uint32_t seq)
{
	struct cn_virtq_buf b = { bufmem + (seq & (PAGE - 1)), seq };

	return cn_virtq_add(&r->vq, &b, 1, 0, COOKIE(seq));
}

/* The device uses everything available in order; the driver takes it. */
static void drain(struct ring *r)
{
	struct chain c;
	unsigned int n = 0;

	while (dev_pop(r, &c)) {
		dev_use(r, c.head, 0);
		n++;
	}
	while (n--)
		CN_ASSERT_NOT_NULL(cn_virtq_get(&r->vq, NULL));
	CN_ASSERT_TRUE(!cn_virtq_pending(&r->vq));
	CN_ASSERT_EQ(cn_virtq_free(&r->vq), r->size);
}

/* Adds, kicks and drains single buffers until the avail idx is to. */
static void advance(struct ring *r, uint16_t to)
{
	uint32_t seq = 0;

	while (*avail16(r, 1) != to) {
		uint16_t left = (uint16_t)(to - *avail16(r, 1));
		unsigned int i, n = left < r->size ? left : r->size;

		for (i = 0; i < n; i++)
			CN_ASSERT_EQ(add1(r, seq++), 0);
		cn_virtq_kick(&r->vq);
		drain(r);
	}
}

static bool all_bytes(const void *p, int c, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		if (*b++ != (unsigned char)c)
			return false;
	return true;
}

CN_TEST(virtq, structs_match_the_spec)
{
	CN_EXPECT_EQ(sizeof(struct cn_virtq_desc), 16);
	CN_EXPECT_EQ(offsetof(struct cn_virtq_desc, len), 8);
	CN_EXPECT_EQ(offsetof(struct cn_virtq_desc, flags), 12);
	CN_EXPECT_EQ(offsetof(struct cn_virtq_desc, next), 14);
	CN_EXPECT_EQ(offsetof(struct cn_virtq_avail, ring), 4);
	CN_EXPECT_EQ(sizeof(struct cn_virtq_used_elem), 8);
	CN_EXPECT_EQ(offsetof(struct cn_virtq_used, ring), 4);
}

CN_TEST(virtq, init_rejects_bad_sizes)
{
	static const unsigned int bad[] = {
		0, 3, 5, 6, 12, 100, 1000, 32767, 32769, 49152, 65535,
		65536, 131072, UINT_MAX,
	};
	struct cn_virtq vq;
	size_t i, len = 4 * PAGE;
	unsigned char *mem = aligned_alloc(PAGE, len);
	void **cookie = malloc(4 * sizeof(*cookie));

	CN_ASSERT_NOT_NULL(mem);
	CN_ASSERT_NOT_NULL(cookie);
	for (i = 0; i < CN_ARRAY_SIZE(bad); i++) {
		memset(mem, 0x5a, len);
		memset(cookie, 0x5a, 4 * sizeof(*cookie));
		memset(&vq, 0x5a, sizeof(vq));
		CN_EXPECT_EQ(cn_virtq_init(&vq, bad[i], mem, cookie, false),
			     -EINVAL);
		/* Nothing written: the memory may be smaller than asked. */
		CN_EXPECT_TRUE(all_bytes(mem, 0x5a, len));
		CN_EXPECT_TRUE(all_bytes(cookie, 0x5a, 4 * sizeof(*cookie)));
	}
	CN_EXPECT_EQ(cn_virtq_init(&vq, 4, NULL, cookie, false), -EINVAL);
	CN_EXPECT_EQ(cn_virtq_init(&vq, 4, mem, NULL, false), -EINVAL);
	free(mem);
	free(cookie);
}

CN_TEST(virtq, init_takes_every_power_of_2_up_to_32768)
{
	unsigned int size;

	for (size = 1; size <= 32768; size *= 2) {
		struct ring *r = ring_new(size, size & 1);

		CN_EXPECT_EQ(r->vq.size, size);
		CN_EXPECT_EQ(cn_virtq_free(&r->vq), size);
		ring_free(r);
	}
}

CN_TEST(virtq, layout_and_mem_size)
{
	static const struct {
		unsigned int size;
		size_t used, mem;
	} t[] = {
		{ 1, 4096, 8192 },	{ 2, 4096, 8192 },
		{ 4, 4096, 8192 },	{ 128, 4096, 8192 },
		{ 256, 8192, 12288 },	{ 512, 12288, 20480 },
		{ 1024, 20480, 32768 },	{ 32768, 593920, 860160 },
	};
	size_t i;

	for (i = 0; i < CN_ARRAY_SIZE(t); i++) {
		unsigned int n = t[i].size;
		struct ring *r;
		size_t j;

		CN_EXPECT_EQ(cn_virtq_mem_size(n), t[i].mem);
		r = ring_new(n, true);
		CN_EXPECT_EQ((uintptr_t)r->vq.desc, (uintptr_t)r->mem);
		CN_EXPECT_EQ((uintptr_t)r->vq.avail,
			     (uintptr_t)(r->mem + 16 * (size_t)n));
		CN_EXPECT_EQ((uintptr_t)r->vq.used,
			     (uintptr_t)(r->mem + t[i].used));
		CN_EXPECT_EQ((uintptr_t)r->vq.used % PAGE, 0);
		/* avail with used_event ends before used; avail_event fits. */
		CN_EXPECT_LE(16 * (size_t)n + 6 + 2 * (size_t)n, t[i].used);
		CN_EXPECT_LE(t[i].used + 6 + 8 * (size_t)n, t[i].mem);
		/*
		 * Both rings zeroed: flags, indices, both event fields. (The
		 * descriptor table is the driver's until it publishes a
		 * chain: the free list may live in it.)
		 */
		CN_EXPECT_TRUE(all_bytes(r->mem + 16 * (size_t)n, 0,
					 t[i].mem - 16 * (size_t)n));
		for (j = 0; j < n; j++)
			CN_EXPECT_NULL(r->cookie[j]);
		CN_EXPECT_EQ(r->vq.last_used, 0);
		CN_EXPECT_EQ(r->vq.notifies, 0);
		CN_EXPECT_EQ(r->vq.full, 0);
		CN_EXPECT_FALSE(cn_virtq_pending(&r->vq));
		ring_free(r);
	}
}

CN_TEST(virtq, chains_of_out_and_in_buffers)
{
	struct ring *r = ring_new(8, false);
	struct cn_virtq_buf b[5] = {
		{ bufmem + 0, 10 }, { bufmem + 100, 20 },
		{ bufmem + 200, 30 }, { bufmem + 300, 40 },
		{ bufmem + 400, 0xffffffff },
	};
	struct chain c[3];
	bool used[8] = { false };
	unsigned int i, k;

	/* 2 out + 3 in */
	CN_ASSERT_EQ(cn_virtq_add(&r->vq, b, 2, 3, COOKIE(1)), 0);
	CN_EXPECT_EQ(cn_virtq_free(&r->vq), 3);
	CN_EXPECT_EQ(*avail16(r, 1), 1);
	/* 1 out, 0 in */
	CN_ASSERT_EQ(cn_virtq_add(&r->vq, &b[1], 1, 0, COOKIE(2)), 0);
	/* 0 out, 2 in */
	CN_ASSERT_EQ(cn_virtq_add(&r->vq, &b[3], 0, 2, COOKIE(3)), 0);
	CN_EXPECT_EQ(cn_virtq_free(&r->vq), 0);
	CN_EXPECT_EQ(*avail16(r, 1), 3);
	CN_EXPECT_TRUE(cn_virtq_kick(&r->vq));
	CN_EXPECT_EQ(r->notified, 1);
	CN_EXPECT_EQ(r->avail_at_notify, 3);
	CN_EXPECT_EQ(r->vq.notifies, 1);

	for (k = 0; k < 3; k++)
		CN_ASSERT_TRUE(dev_pop(r, &c[k]));
	CN_EXPECT_FALSE(dev_pop(r, &c[0]));

	CN_ASSERT_EQ(c[0].n, 5);
	for (i = 0; i < 5; i++) {
		CN_EXPECT_EQ(c[0].desc[i].addr, (uintptr_t)b[i].addr);
		CN_EXPECT_EQ(c[0].desc[i].len, b[i].len);
		CN_EXPECT_EQ(c[0].desc[i].flags,
			     (i >= 2 ? CN_VIRTQ_DESC_F_WRITE : 0) |
			     (i < 4 ? CN_VIRTQ_DESC_F_NEXT : 0));
	}
	CN_ASSERT_EQ(c[1].n, 1);
	CN_EXPECT_EQ(c[1].desc[0].addr, (uintptr_t)b[1].addr);
	CN_EXPECT_EQ(c[1].desc[0].len, 20);
	CN_EXPECT_EQ(c[1].desc[0].flags, 0);
	CN_ASSERT_EQ(c[2].n, 2);
	CN_EXPECT_EQ(c[2].desc[0].addr, (uintptr_t)b[3].addr);
	CN_EXPECT_EQ(c[2].desc[0].flags,
		     CN_VIRTQ_DESC_F_WRITE | CN_VIRTQ_DESC_F_NEXT);
	CN_EXPECT_EQ(c[2].desc[1].addr, (uintptr_t)b[4].addr);
	CN_EXPECT_EQ(c[2].desc[1].len, 0xffffffff);
	CN_EXPECT_EQ(c[2].desc[1].flags, CN_VIRTQ_DESC_F_WRITE);

	/* The three chains share no descriptor and use all eight. */
	for (k = 0; k < 3; k++)
		for (i = 0; i < c[k].n; i++) {
			CN_EXPECT_FALSE(used[c[k].d[i]]);
			used[c[k].d[i]] = true;
		}
	for (i = 0; i < 8; i++)
		CN_EXPECT_TRUE(used[i]);

	/* Full: -ENOSPC, counted, nothing published. */
	CN_EXPECT_EQ(r->vq.full, 0);
	CN_EXPECT_EQ(cn_virtq_add(&r->vq, b, 1, 0, COOKIE(4)), -ENOSPC);
	CN_EXPECT_EQ(cn_virtq_add(&r->vq, b, 0, 1, COOKIE(4)), -ENOSPC);
	CN_EXPECT_EQ(r->vq.full, 2);
	CN_EXPECT_EQ(*avail16(r, 1), 3);
	CN_EXPECT_FALSE(cn_virtq_kick(&r->vq));
	CN_EXPECT_EQ(r->notified, 1);

	/* The single buffer back: room for one, not for two. */
	dev_use(r, c[1].head, 7);
	CN_EXPECT_EQ(cn_virtq_get(&r->vq, NULL), COOKIE(2));
	CN_EXPECT_EQ(cn_virtq_free(&r->vq), 1);
	CN_EXPECT_EQ(cn_virtq_add(&r->vq, b, 1, 1, COOKIE(5)), -ENOSPC);
	CN_EXPECT_EQ(r->vq.full, 3);
	CN_EXPECT_EQ(cn_virtq_add(&r->vq, b, 1, 0, COOKIE(5)), 0);
	CN_EXPECT_EQ(cn_virtq_free(&r->vq), 0);
	ring_free(r);
}

CN_TEST(virtq, add_rejects_bad_arguments)
{
	struct ring *r = ring_new(4, false);
	struct cn_virtq_buf b[5] = {
		{ bufmem, 1 }, { bufmem, 2 }, { bufmem, 3 }, { bufmem, 4 },
		{ bufmem, 5 },
	};
	struct chain c;

	CN_EXPECT_EQ(cn_virtq_add(&r->vq, b, 0, 0, COOKIE(0)), -EINVAL);
	CN_EXPECT_EQ(cn_virtq_add(&r->vq, b, 1, 0, NULL), -EINVAL);
	/* Longer than the ring: never fits, so not -ENOSPC. */
	CN_EXPECT_EQ(cn_virtq_add(&r->vq, b, 5, 0, COOKIE(0)), -EINVAL);
	CN_EXPECT_EQ(cn_virtq_add(&r->vq, b, 2, 3, COOKIE(0)), -EINVAL);
	/* out + in wraps around to a small count. */
	CN_EXPECT_EQ(cn_virtq_add(&r->vq, b, UINT_MAX, 2, COOKIE(0)),
		     -EINVAL);
	CN_EXPECT_EQ(cn_virtq_add(&r->vq, b, 1, UINT_MAX, COOKIE(0)),
		     -EINVAL);
	CN_EXPECT_EQ(r->vq.full, 0);
	CN_EXPECT_EQ(cn_virtq_free(&r->vq), 4);
	CN_EXPECT_EQ(*avail16(r, 1), 0);
	CN_EXPECT_FALSE(cn_virtq_kick(&r->vq));
	CN_EXPECT_EQ(r->notified, 0);

	/* A chain as long as the ring is fine. */
	CN_ASSERT_EQ(cn_virtq_add(&r->vq, b, 1, 3, COOKIE(9)), 0);
	CN_EXPECT_EQ(cn_virtq_free(&r->vq), 0);
	CN_EXPECT_TRUE(cn_virtq_kick(&r->vq));
	CN_ASSERT_TRUE(dev_pop(r, &c));
	CN_EXPECT_EQ(c.n, 4);
	CN_EXPECT_EQ(c.desc[3].len, 4);
	ring_free(r);
}

CN_TEST(virtq, chains_come_back_in_the_devices_order)
{
	static const unsigned int len[6] = { 1, 3, 2, 4, 1, 5 };
	static const unsigned int order[6] = { 2, 5, 0, 4, 1, 3 };
	struct ring *r = ring_new(16, false);
	struct cn_virtq_buf b[16];
	struct chain c[6], all;
	unsigned int i, k, nfree = 0;
	bool seen[16] = { false };
	uint32_t wlen = 0;

	for (i = 0; i < 16; i++) {
		b[i].addr = bufmem + 16 * i;
		b[i].len = 16;
	}
	for (k = 0; k < 6; k++)
		CN_ASSERT_EQ(cn_virtq_add(&r->vq, b, len[k] / 2,
					  len[k] - len[k] / 2, COOKIE(k)), 0);
	CN_EXPECT_EQ(cn_virtq_free(&r->vq), 0);
	cn_virtq_kick(&r->vq);
	for (k = 0; k < 6; k++) {
		CN_ASSERT_TRUE(dev_pop(r, &c[k]));
		CN_EXPECT_EQ(c[k].n, len[k]);
	}
	CN_EXPECT_NULL(cn_virtq_get(&r->vq, &wlen));
	for (k = 0; k < 6; k++)
		dev_use(r, c[order[k]].head, 1000 + order[k]);
	for (k = 0; k < 6; k++) {
		CN_ASSERT_TRUE(cn_virtq_pending(&r->vq));
		CN_EXPECT_EQ(cn_virtq_get(&r->vq, &wlen), COOKIE(order[k]));
		CN_EXPECT_EQ(wlen, 1000 + order[k]);
		nfree += len[order[k]];
		CN_EXPECT_EQ(cn_virtq_free(&r->vq), nfree);
	}
	CN_EXPECT_FALSE(cn_virtq_pending(&r->vq));
	CN_EXPECT_NULL(cn_virtq_get(&r->vq, &wlen));
	CN_EXPECT_EQ(cn_virtq_free(&r->vq), 16);

	/* The free list is whole: one chain of all 16 descriptors. */
	CN_ASSERT_EQ(cn_virtq_add(&r->vq, b, 8, 8, COOKIE(6)), 0);
	cn_virtq_kick(&r->vq);
	CN_ASSERT_TRUE(dev_pop(r, &all));
	CN_ASSERT_EQ(all.n, 16);
	for (i = 0; i < 16; i++) {
		CN_EXPECT_FALSE(seen[all.d[i]]);
		seen[all.d[i]] = true;
		CN_EXPECT_EQ(all.desc[i].addr, (uintptr_t)(bufmem + 16 * i));
		CN_EXPECT_EQ(all.desc[i].flags,
			     (i >= 8 ? CN_VIRTQ_DESC_F_WRITE : 0) |
			     (i < 15 ? CN_VIRTQ_DESC_F_NEXT : 0));
	}
	dev_use(r, all.head, 5);
	CN_EXPECT_EQ(cn_virtq_get(&r->vq, &wlen), COOKIE(6));
	CN_EXPECT_EQ(wlen, 5);
	CN_EXPECT_EQ(cn_virtq_free(&r->vq), 16);
	ring_free(r);
}

CN_TEST(virtq, largest_ring_takes_a_chain_of_32768)
{
	const unsigned int n = 32768;
	struct ring *r = ring_new(n, false);
	struct cn_virtq_buf *b = malloc(n * sizeof(*b));
	bool *seen = calloc(n, sizeof(*seen));
	unsigned int i;
	uint16_t d;
	uint32_t wlen;

	CN_ASSERT_NOT_NULL(b);
	CN_ASSERT_NOT_NULL(seen);
	for (i = 0; i < n; i++) {
		b[i].addr = bufmem + (i & (PAGE - 1));
		b[i].len = i;
	}
	CN_ASSERT_EQ(cn_virtq_add(&r->vq, b, n / 2, n / 2, COOKIE(0)), 0);
	CN_EXPECT_EQ(cn_virtq_free(&r->vq), 0);
	CN_EXPECT_EQ(cn_virtq_add(&r->vq, b, 1, 0, COOKIE(1)), -ENOSPC);
	CN_EXPECT_TRUE(cn_virtq_kick(&r->vq));
	d = *avail16(r, 2);
	for (i = 0; i < n; i++) {
		const struct cn_virtq_desc *desc;

		CN_ASSERT_TRUE(d < n);
		CN_ASSERT_TRUE(!seen[d]);
		seen[d] = true;
		desc = (const struct cn_virtq_desc *)(r->mem + 16 * (size_t)d);
		CN_ASSERT_EQ(desc->len, i);
		CN_ASSERT_EQ(!!(desc->flags & CN_VIRTQ_DESC_F_NEXT),
			     i + 1 < n);
		CN_ASSERT_EQ(!!(desc->flags & CN_VIRTQ_DESC_F_WRITE),
			     i >= n / 2);
		d = desc->next;
	}
	dev_use(r, *avail16(r, 2), 77);
	CN_EXPECT_EQ(cn_virtq_get(&r->vq, &wlen), COOKIE(0));
	CN_EXPECT_EQ(wlen, 77);
	CN_EXPECT_EQ(cn_virtq_free(&r->vq), n);
	free(b);
	free(seen);
	ring_free(r);
}

/*
 * Index wrap: more than 3 * 65536 chains through a small ring, against a
 * model of what the driver added and the device used. Chain shapes and
 * the bytes the device reports derive from the chain's sequence number;
 * the device takes part of what is available, uses its chains in random
 * order, moves its suppression hints; the driver adds, kicks, takes part
 * of the used entries and switches interrupts on and off. Every cookie
 * must come back once, with its length, in the order the device used it.
 */
#define WRAP_CHAINS	(3u * 65536 + 77)

static uint32_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static uint32_t hash(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352d;
	x ^= x >> 15;
	x *= 0x846ca68b;
	return x ^ (x >> 16);
}

static unsigned int shape_n(uint32_t seq, unsigned int size)
{
	return 1 + hash(seq) % (size < 3 ? size : 3);
}

static unsigned int shape_out(uint32_t seq, unsigned int n)
{
	return (hash(seq) >> 8) % (n + 1);
}

static uint32_t buf_len(uint32_t seq, unsigned int i)
{
	return hash(seq * 4 + i) & 0xfffff;
}

static unsigned char *buf_addr(uint32_t seq, unsigned int i)
{
	return bufmem + ((seq * 4 + i) & (PAGE - 1));
}

static uint32_t written(uint32_t seq)
{
	return hash(~seq);
}

static void run_wrap(unsigned int size, bool event_idx)
{
	struct ring *r = ring_new(size, event_idx);
	struct cn_virtq *vq = &r->vq;
	unsigned char *back = calloc(WRAP_CHAINS, 1);
	struct { uint16_t head; uint32_t seq; } fly[MAX_CHAIN];
	uint32_t done[MAX_CHAIN];	/* used by the device, not yet taken */
	unsigned int nfly = 0, dhead = 0, dtail = 0, outstanding = 0;
	uint32_t added = 0, popped = 0, got = 0;
	uint16_t kicked = 0, ev = 0, flags = 0, ue = 0;
	bool cb = true;

	CN_ASSERT_NOT_NULL(back);
	rng = 0x9e3779b9u ^ size ^ ((uint32_t)event_idx << 8);
	while (got < WRAP_CHAINS) {
		unsigned int k, i;
		uint16_t now;
		bool expect;
		uint32_t before;

		/* Driver: add a few chains while they fit. */
		for (k = rnd() % (size + 1); k && added < WRAP_CHAINS; k--) {
			struct cn_virtq_buf b[3];
			unsigned int n = shape_n(added, size);
			unsigned int out = shape_out(added, n);
			unsigned int nfree = cn_virtq_free(vq);
			int rc;

			for (i = 0; i < n; i++) {
				b[i].addr = buf_addr(added, i);
				b[i].len = buf_len(added, i);
			}
			rc = cn_virtq_add(vq, b, out, n - out, COOKIE(added));
			CN_ASSERT_EQ(nfree + outstanding, size);
			if (n > nfree) {
				CN_ASSERT_EQ(rc, -ENOSPC);
				CN_ASSERT_EQ(cn_virtq_free(vq), nfree);
				break;
			}
			CN_ASSERT_EQ(rc, 0);
			CN_ASSERT_EQ(cn_virtq_free(vq), nfree - n);
			outstanding += n;
			added++;
		}
		CN_ASSERT_EQ(*avail16(r, 1), (uint16_t)added);

		/* Device: sometimes move its hint; then the driver kicks. */
		if (rnd() % 4 == 0) {
			if (event_idx) {
				ev = (uint16_t)(r->last_avail + rnd() % 5 - 2);
				if (rnd() % 3 == 0)
					ev = (uint16_t)rnd();
				*avail_event(r) = ev;
			} else {
				flags = rnd() % 2 ? CN_VIRTQ_USED_F_NO_NOTIFY
						  : 0;
				*used_flags(r) = flags;
			}
		}
		now = (uint16_t)added;
		if (now == kicked)
			expect = false;
		else if (event_idx)	/* ev is one of kicked .. now - 1 */
			expect = (uint16_t)(ev - kicked) <
				 (uint16_t)(now - kicked);
		else
			expect = !(flags & CN_VIRTQ_USED_F_NO_NOTIFY);
		before = r->notified;
		CN_ASSERT_EQ(cn_virtq_kick(vq), expect);
		CN_ASSERT_EQ(r->notified - before, expect);
		if (expect)
			CN_ASSERT_EQ(r->avail_at_notify, now);
		kicked = now;

		/* Device: take some of what is available, check each chain. */
		for (k = rnd() % (size + 2); k; k--) {
			struct chain c;
			unsigned int n = shape_n(popped, size);
			unsigned int out = shape_out(popped, n);

			if (!dev_pop(r, &c))
				break;
			CN_ASSERT_EQ(c.n, n);
			for (i = 0; i < n; i++) {
				CN_ASSERT_EQ(c.desc[i].addr,
					     (uintptr_t)buf_addr(popped, i));
				CN_ASSERT_EQ(c.desc[i].len, buf_len(popped, i));
				CN_ASSERT_EQ(c.desc[i].flags,
					(i >= out ? CN_VIRTQ_DESC_F_WRITE : 0) |
					(i + 1 < n ? CN_VIRTQ_DESC_F_NEXT : 0));
			}
			CN_ASSERT_TRUE(nfly < MAX_CHAIN);
			fly[nfly].head = c.head;
			fly[nfly++].seq = popped++;
		}

		/* Device: use some of its chains, in any order. */
		for (k = rnd() % (nfly + 1); k; k--) {
			i = rnd() % nfly;
			dev_use(r, fly[i].head, written(fly[i].seq));
			done[dtail++ % MAX_CHAIN] = fly[i].seq;
			fly[i] = fly[--nfly];
		}

		/* Driver: interrupts on or off now and then. */
		if (rnd() % 16 == 0) {
			if (cb) {
				cn_virtq_disable_cb(vq);
			} else {
				CN_ASSERT_EQ(cn_virtq_enable_cb(vq),
					     dhead == dtail);
				ue = (uint16_t)got;
			}
			cb = !cb;
		}

		/* Driver: take some used chains. */
		for (k = rnd() % (size + 2); k; k--) {
			uint32_t len = 0, seq;
			void *cookie = cn_virtq_get(vq, &len);

			if (dhead == dtail) {
				CN_ASSERT_NULL(cookie);
				CN_ASSERT_TRUE(!cn_virtq_pending(vq));
				break;
			}
			seq = done[dhead++ % MAX_CHAIN];
			CN_ASSERT_EQ((uintptr_t)cookie, (uintptr_t)COOKIE(seq));
			CN_ASSERT_EQ(len, written(seq));
			CN_ASSERT_EQ(back[seq], 0);
			back[seq] = 1;
			got++;
			outstanding -= shape_n(seq, size);
			CN_ASSERT_EQ(cn_virtq_free(vq) + outstanding, size);
			if (cb)
				ue = (uint16_t)got;
		}
		if (event_idx) {
			CN_ASSERT_EQ(*used_event(r), ue);
			CN_ASSERT_EQ(*avail16(r, 0), 0);
		} else {
			CN_ASSERT_EQ(*avail16(r, 0) &
				     CN_VIRTQ_AVAIL_F_NO_INTERRUPT, !cb);
		}
	}
	CN_EXPECT_EQ(added, WRAP_CHAINS);
	/* Each came back: a seq that did not is the left side. */
	for (got = 0; got < WRAP_CHAINS; got++)
		if (!back[got])
			CN_ASSERT_EQ(got, WRAP_CHAINS);
	CN_EXPECT_EQ(cn_virtq_free(vq), size);
	CN_EXPECT_EQ(*avail16(r, 1), (uint16_t)WRAP_CHAINS);
	CN_EXPECT_EQ(*used_idx(r), (uint16_t)WRAP_CHAINS);
	CN_EXPECT_EQ(vq->last_used, (uint16_t)WRAP_CHAINS);
	CN_EXPECT_NULL(cn_virtq_get(vq, NULL));
	free(back);
	ring_free(r);
}

CN_TEST(virtq, index_wrap_size_4)
{
	run_wrap(4, false);
}

CN_TEST(virtq, index_wrap_size_4_event_idx)
{
	run_wrap(4, true);
}

CN_TEST(virtq, index_wrap_size_8)
{
	run_wrap(8, false);
}

CN_TEST(virtq, index_wrap_size_8_event_idx)
{
	run_wrap(8, true);
}

CN_TEST(virtq, index_wrap_size_1)
{
	run_wrap(1, true);
}

/*
 * Event index: with the avail idx at start, the driver adds n entries and
 * kicks with avail_event at start + delta. The device wants a
 * notification exactly when avail_event is one of the new entries'
 * indices start .. start + n - 1 (2.7.10), modulo 2^16.
 */
#define ROW(i, x)	(((intmax_t)(i) << 32) | (uint32_t)(x))

CN_TEST(virtq, kick_follows_avail_event)
{
	static const struct {
		uint16_t start;
		unsigned int n;
		uint16_t delta;
		bool notify;
	} t[] = {
		{ 0, 1, 0, true },	/* waits for exactly this one */
		{ 1, 1, 1, false },	/* for the one after it */
		{ 2, 1, 0xffff, false },	/* for one already seen */
		{ 5, 3, 0, true },
		{ 5, 3, 2, true },	/* the last of the three */
		{ 5, 3, 3, false },
		{ 5, 3, 0xffff, false },
		{ 5, 8, 7, true },
		{ 5, 8, 8, false },
		{ 5, 2, 0x8000, false },
		{ 0x7fff, 2, 1, true },	/* across the sign bit */
		/* new entries 0xfffe, 0xffff, 0: the idx wraps */
		{ 0xfffe, 3, 0, true },
		{ 0xfffe, 3, 1, true },
		{ 0xfffe, 3, 2, true },	/* avail_event 0: wrapped */
		{ 0xfffe, 3, 3, false },	/* avail_event 1 == new */
		{ 0xfffe, 3, 0xffff, false },
		{ 0xffff, 1, 0, true },
		{ 0xffff, 1, 1, false },
		{ 0xffff, 8, 7, true },
		{ 0xffff, 8, 8, false },
	};
	struct ring *r = ring_new(8, true);
	size_t i;

	/* Nothing added yet: no notification whatever avail_event says. */
	CN_EXPECT_FALSE(cn_virtq_kick(&r->vq));
	for (i = 0; i < CN_ARRAY_SIZE(t); i++) {
		uint16_t end = (uint16_t)(t[i].start + t[i].n);
		unsigned int k, before;

		advance(r, t[i].start);
		before = r->notified;
		*avail_event(r) = (uint16_t)(t[i].start + t[i].delta);
		/* Event index: the NO_NOTIFY flag is to be ignored. */
		*used_flags(r) = t[i].notify ? CN_VIRTQ_USED_F_NO_NOTIFY : 0;
		for (k = 0; k < t[i].n; k++)
			CN_ASSERT_EQ(add1(r, k), 0);
		/* ROW(i, x): the row number in the high bits names it. */
		CN_EXPECT_EQ(ROW(i, cn_virtq_kick(&r->vq)),
			     ROW(i, t[i].notify));
		CN_EXPECT_EQ(ROW(i, r->notified - before), ROW(i, t[i].notify));
		if (t[i].notify)
			CN_EXPECT_EQ(ROW(i, r->avail_at_notify), ROW(i, end));
		/* Kicked again with nothing new: silent, even when asked. */
		*avail_event(r) = t[i].start;
		CN_EXPECT_EQ(ROW(i, cn_virtq_kick(&r->vq)), ROW(i, 0));
		CN_EXPECT_EQ(ROW(i, r->notified - before), ROW(i, t[i].notify));
		drain(r);
		*used_flags(r) = 0;
	}
	CN_EXPECT_EQ(r->vq.notifies, r->notified);
	ring_free(r);
}

/*
 * The sync register (a real barrier under TCG, and a wait for QEMU's
 * global lock) is read only where a stale view could leave the device
 * asleep: a kick that will not notify, an enable_cb that finds nothing
 * pending. A kick that notifies and an enable_cb that finds entries
 * already used need none.
 */
CN_TEST(virtq, sync_register_only_before_a_no)
{
	static volatile uint8_t reg;
	struct ring *r = ring_new(8, true);
	struct chain c;

	r->vq.sync_reg = &reg;
	r->vq.sync_kick = true;
	/* The device waits for entry 0: the kick notifies, no sync. */
	*avail_event(r) = 0;
	CN_ASSERT_EQ(add1(r, 0), 0);
	CN_EXPECT_TRUE(cn_virtq_kick(&r->vq));
	CN_EXPECT_EQ(r->vq.syncs, 0);
	/* It waits for entry 5 only: confirmed by one sync, no notify. */
	*avail_event(r) = 5;
	CN_ASSERT_EQ(add1(r, 1), 0);
	CN_EXPECT_FALSE(cn_virtq_kick(&r->vq));
	CN_EXPECT_EQ(r->vq.syncs, 1);
	CN_EXPECT_EQ(r->notified, 1);
	/* Nothing new: neither. */
	CN_EXPECT_FALSE(cn_virtq_kick(&r->vq));
	CN_EXPECT_EQ(r->vq.syncs, 1);
	/* sync_kick off: a "no" is trusted as it is. */
	r->vq.sync_kick = false;
	CN_ASSERT_EQ(add1(r, 2), 0);
	CN_EXPECT_FALSE(cn_virtq_kick(&r->vq));
	CN_EXPECT_EQ(r->vq.syncs, 1);
	/* enable_cb: an entry already used needs no barrier ... */
	cn_virtq_disable_cb(&r->vq);
	CN_ASSERT_TRUE(dev_pop(r, &c));
	dev_use(r, c.head, 0);
	CN_EXPECT_FALSE(cn_virtq_enable_cb(&r->vq));
	CN_EXPECT_EQ(r->vq.syncs, 1);
	/* ... going to sleep with nothing pending takes one ... */
	CN_ASSERT_NOT_NULL(cn_virtq_get(&r->vq, NULL));
	drain(r);
	r->vq.sync_kick = true;
	CN_EXPECT_TRUE(cn_virtq_enable_cb(&r->vq));
	CN_EXPECT_EQ(r->vq.syncs, 2);
	/* ... unless fences work (sync_kick off). */
	cn_virtq_disable_cb(&r->vq);
	r->vq.sync_kick = false;
	CN_EXPECT_TRUE(cn_virtq_enable_cb(&r->vq));
	CN_EXPECT_EQ(r->vq.syncs, 2);
	ring_free(r);
}

CN_TEST(virtq, kick_without_event_idx_honours_no_notify)
{
	struct ring *r = ring_new(4, false);

	CN_EXPECT_FALSE(cn_virtq_kick(&r->vq));
	CN_ASSERT_EQ(add1(r, 0), 0);
	/* Without the event index, avail_event means nothing. */
	*avail_event(r) = 0x1234;
	CN_EXPECT_TRUE(cn_virtq_kick(&r->vq));
	CN_EXPECT_EQ(r->notified, 1);
	CN_EXPECT_EQ(r->avail_at_notify, 1);
	CN_EXPECT_FALSE(cn_virtq_kick(&r->vq));
	CN_EXPECT_EQ(r->notified, 1);

	*used_flags(r) = CN_VIRTQ_USED_F_NO_NOTIFY;
	CN_ASSERT_EQ(add1(r, 1), 0);
	CN_ASSERT_EQ(add1(r, 2), 0);
	CN_EXPECT_FALSE(cn_virtq_kick(&r->vq));
	CN_EXPECT_EQ(r->notified, 1);

	/* The device polls what it was not told about, then asks again. */
	drain(r);
	*used_flags(r) = 0;
	CN_EXPECT_FALSE(cn_virtq_kick(&r->vq));	/* nothing new */
	CN_ASSERT_EQ(add1(r, 3), 0);
	CN_EXPECT_TRUE(cn_virtq_kick(&r->vq));
	CN_EXPECT_EQ(r->notified, 2);
	CN_EXPECT_EQ(r->avail_at_notify, 4);
	CN_EXPECT_EQ(r->vq.notifies, 2);
	ring_free(r);
}

CN_TEST(virtq, callbacks_without_event_idx_use_the_flag)
{
	struct ring *r = ring_new(4, false);
	struct chain c;
	uint32_t len;

	CN_EXPECT_EQ(*avail16(r, 0), 0);
	cn_virtq_disable_cb(&r->vq);
	CN_EXPECT_EQ(*avail16(r, 0), CN_VIRTQ_AVAIL_F_NO_INTERRUPT);
	cn_virtq_disable_cb(&r->vq);
	CN_EXPECT_EQ(*avail16(r, 0), CN_VIRTQ_AVAIL_F_NO_INTERRUPT);
	CN_EXPECT_TRUE(cn_virtq_enable_cb(&r->vq));
	CN_EXPECT_EQ(*avail16(r, 0), 0);

	/* An entry arrives while interrupts are off: enable reports it. */
	cn_virtq_disable_cb(&r->vq);
	CN_ASSERT_EQ(add1(r, 0), 0);
	CN_ASSERT_EQ(add1(r, 1), 0);
	cn_virtq_kick(&r->vq);
	CN_ASSERT_TRUE(dev_pop(r, &c));
	dev_use(r, c.head, 3);
	CN_EXPECT_FALSE(cn_virtq_enable_cb(&r->vq));
	CN_EXPECT_EQ(*avail16(r, 0), 0);
	CN_EXPECT_EQ(cn_virtq_get(&r->vq, &len), COOKIE(0));
	CN_EXPECT_EQ(len, 3);
	CN_EXPECT_TRUE(cn_virtq_enable_cb(&r->vq));
	/* Without the event index used_event is not touched. */
	CN_EXPECT_EQ(*used_event(r), 0);
	ring_free(r);
}

CN_TEST(virtq, callbacks_with_event_idx_move_used_event)
{
	struct ring *r = ring_new(8, true);
	struct chain c[5];
	unsigned int k;
	uint32_t len;

	for (k = 0; k < 5; k++)
		CN_ASSERT_EQ(add1(r, k), 0);
	cn_virtq_kick(&r->vq);
	for (k = 0; k < 5; k++)
		CN_ASSERT_TRUE(dev_pop(r, &c[k]));
	CN_EXPECT_EQ(*used_event(r), 0);

	/* Enabled: each get asks for an interrupt at the next entry. */
	dev_use(r, c[0].head, 10);
	CN_EXPECT_EQ(cn_virtq_get(&r->vq, &len), COOKIE(0));
	CN_EXPECT_EQ(*used_event(r), 1);

	/* Disabled: flags stay 0 (2.7.7), used_event stays put. */
	cn_virtq_disable_cb(&r->vq);
	CN_EXPECT_EQ(*avail16(r, 0), 0);
	CN_EXPECT_EQ(*used_event(r), 1);
	dev_use(r, c[1].head, 11);
	dev_use(r, c[2].head, 12);
	CN_EXPECT_EQ(cn_virtq_get(&r->vq, &len), COOKIE(1));
	CN_EXPECT_EQ(cn_virtq_get(&r->vq, &len), COOKIE(2));
	CN_EXPECT_EQ(len, 12);
	CN_EXPECT_EQ(*used_event(r), 1);

	/* Enable with nothing pending: used_event = last_used, true. */
	CN_EXPECT_TRUE(cn_virtq_enable_cb(&r->vq));
	CN_EXPECT_EQ(*used_event(r), 3);
	CN_EXPECT_EQ(*avail16(r, 0), 0);

	/* The race: an entry lands between disable and enable. */
	cn_virtq_disable_cb(&r->vq);
	dev_use(r, c[3].head, 13);
	CN_EXPECT_FALSE(cn_virtq_enable_cb(&r->vq));
	CN_EXPECT_EQ(*used_event(r), 3);
	CN_EXPECT_EQ(cn_virtq_get(&r->vq, &len), COOKIE(3));
	CN_EXPECT_EQ(*used_event(r), 4);
	CN_EXPECT_TRUE(cn_virtq_enable_cb(&r->vq));
	CN_EXPECT_EQ(*used_event(r), 4);
	dev_use(r, c[4].head, 14);
	CN_EXPECT_EQ(cn_virtq_get(&r->vq, &len), COOKIE(4));
	CN_EXPECT_EQ(*used_event(r), 5);
	CN_EXPECT_EQ(cn_virtq_free(&r->vq), 8);
	ring_free(r);
}

/*
 * A device that returns an id it does not own: out of range, a range
 * error that truncates to a live head, a descriptor inside a chain, a
 * free one, a chain already returned. cn_virtq_get() must return NULL
 * and leave the queue's bookkeeping alone.
 */
enum bogus { TOO_BIG, WAY_TOO_BIG, ALIASES_HEAD, ALL_ONES, MID_CHAIN,
	     NEVER_GIVEN, RETURNED_TWICE, NR_BOGUS };

static void bogus(enum bogus kind)
{
	struct ring *r = ring_new(4, kind & 1);
	struct cn_virtq_buf b[2] = { { bufmem, 1 }, { bufmem, 2 } };
	struct chain a, s;
	uint32_t id = 0, len = 0;
	bool in_use[4] = { false };
	unsigned int i, nfree;

	/* A: 2 descriptors, S: 1; one descriptor stays free. */
	CN_ASSERT_EQ(cn_virtq_add(&r->vq, b, 1, 1, COOKIE(1)), 0);
	CN_ASSERT_EQ(cn_virtq_add(&r->vq, b, 1, 0, COOKIE(2)), 0);
	cn_virtq_kick(&r->vq);
	CN_ASSERT_TRUE(dev_pop(r, &a));
	CN_ASSERT_TRUE(dev_pop(r, &s));
	CN_ASSERT_EQ(a.n, 2);
	in_use[a.d[0]] = in_use[a.d[1]] = in_use[s.d[0]] = true;
	switch (kind) {
	case TOO_BIG:
		id = 4;
		break;
	case WAY_TOO_BIG:
		id = 0xffff;
		break;
	case ALIASES_HEAD:
		id = 0x10000 + a.head;
		break;
	case ALL_ONES:
		id = 0xffffffff;
		break;
	case MID_CHAIN:
		id = a.d[1];
		break;
	case NEVER_GIVEN:
		for (i = 0; i < 4; i++)
			if (!in_use[i])
				id = i;
		break;
	case RETURNED_TWICE:
		dev_use(r, s.head, 5);
		CN_ASSERT_EQ(cn_virtq_get(&r->vq, &len), COOKIE(2));
		id = s.head;
		break;
	default:
		CN_ASSERT_TRUE(kind < NR_BOGUS);
	}
	nfree = cn_virtq_free(&r->vq);
	dev_use(r, id, 9);
	CN_EXPECT_TRUE(cn_virtq_pending(&r->vq));
	CN_EXPECT_NULL(cn_virtq_get(&r->vq, &len));
	CN_EXPECT_NULL(cn_virtq_get(&r->vq, NULL));
	CN_EXPECT_EQ(cn_virtq_free(&r->vq), nfree);
	/* The driver's chains are still its own. */
	CN_EXPECT_EQ((uintptr_t)r->cookie[a.head], (uintptr_t)COOKIE(1));
	/* The queue is stopped: nothing pending, nothing added. */
	CN_EXPECT_TRUE(r->vq.broken);
	CN_EXPECT_FALSE(cn_virtq_pending(&r->vq));
	CN_EXPECT_EQ(cn_virtq_add(&r->vq, b, 1, 0, COOKIE(3)), -EIO);
	ring_free(r);
}

CN_TEST(virtq, get_rejects_id_size)
{
	bogus(TOO_BIG);
}

CN_TEST(virtq, get_rejects_id_0xffff)
{
	bogus(WAY_TOO_BIG);
}

CN_TEST(virtq, get_rejects_id_0x10000_plus_a_live_head)
{
	bogus(ALIASES_HEAD);
}

CN_TEST(virtq, get_rejects_id_0xffffffff)
{
	bogus(ALL_ONES);
}

CN_TEST(virtq, get_rejects_id_inside_a_chain)
{
	bogus(MID_CHAIN);
}

CN_TEST(virtq, get_rejects_id_of_a_free_descriptor)
{
	bogus(NEVER_GIVEN);
}

CN_TEST(virtq, get_rejects_id_returned_twice)
{
	bogus(RETURNED_TWICE);
}
