/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/alloc with SMP: malloc and free from every CPU at once (one thread
 * pinned to each), most blocks freed on another CPU than the one that
 * allocated them. Every block is filled with a pattern naming its owner
 * and checked before it is freed, so two live blocks that overlap (a
 * block handed out twice) are caught; the default heap's figures after
 * the run are those before it (no block lost or counted twice, and with
 * the per-CPU caches flushed every byte is the allocator's again).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/alloc.h>
#include <cairn/arch.h>
#include <cairn/cpu.h>
#include <cairn/sched.h>
#include <cairn/test.h>

#define MAX_THREADS	8
#define BLOCKS		48	/* live blocks per thread and round */
#define ROUNDS		150
#define BIGGEST		1400	/* past the caches' 1024: both paths */

struct worker {
	unsigned int idx;
	uint64_t rng;
	unsigned int bad;		/* blocks whose pattern was wrong */
	unsigned int failed;		/* malloc returned NULL */
	unsigned char *blk[BLOCKS];
	size_t len[BLOCKS];
};

/*
 * The heap's statistics without the page tables that threads' stack
 * guards split out of large pages (cn_arch_page_tables_on_heap()): a
 * thread created on a CPU whose stack lands in a 2 MiB page never
 * guarded before adds one for good, which is not a block lost.
 */
static unsigned long heap_stats(struct cn_alloc *a, struct cn_alloc_stats *st)
{
	unsigned long tables;
	size_t bytes = cn_arch_page_tables_on_heap(&tables);

	cn_alloc_stats(a, st);
	st->used -= bytes;
	st->free += bytes;
	st->nr_allocs -= tables;
	return tables;
}

/*
 * The free bytes are back to what they were, except for the allocator's
 * own header of each page table made in between (heap_stats() only knows
 * a table's usable size): at most TABLE_SLACK bytes each.
 */
#define TABLE_SLACK	256
#define EXPECT_FREE_BACK(after, before, tables) do {			\
	CN_EXPECT_LE((after).free, (before).free);			\
	CN_EXPECT_LE((before).free - (after).free,			\
		     (size_t)(tables) * TABLE_SLACK);			\
} while (0)

static struct worker workers[MAX_THREADS];
static unsigned int nr_workers;
static unsigned int arrived;		/* the barrier's count */

static uint64_t next_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Every worker waits here until all arrived (generation gen). */
static void barrier(unsigned int gen)
{
	__atomic_fetch_add(&arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE) < gen * nr_workers)
		cn_thread_yield();
}

static unsigned char pattern(unsigned int owner, unsigned int i, size_t at)
{
	return (unsigned char)(owner * 131 + i * 7 + at);
}

static void fill(struct worker *w, unsigned int round)
{
	unsigned int i;
	size_t at;

	for (i = 0; i < BLOCKS; i++) {
		size_t n = 1 + next_rand(&w->rng) % BIGGEST;
		unsigned char *p = (i + round) % 5 ? malloc(n) : calloc(1, n);

		w->blk[i] = p;
		w->len[i] = p ? n : 0;
		if (!p) {
			w->failed++;
			continue;
		}
		for (at = 0; at < n; at++)
			p[at] = pattern(w->idx, i, at);
	}
}

/* Checks and frees the blocks worker w filled (run by another worker). */
static unsigned int check_and_free(struct worker *w)
{
	unsigned int i, bad = 0;
	size_t at;

	for (i = 0; i < BLOCKS; i++) {
		for (at = 0; at < w->len[i]; at++) {
			if (w->blk[i][at] != pattern(w->idx, i, at)) {
				bad++;
				break;
			}
		}
		free(w->blk[i]);
		w->blk[i] = NULL;
	}
	return bad;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	unsigned int round, gen = 0;

	for (round = 0; round < ROUNDS; round++) {
		fill(w, round);
		barrier(++gen);
		/* Odd rounds free the next worker's blocks, even ones its own. */
		w->bad += check_and_free(round & 1 ?
					 &workers[(w->idx + 1) % nr_workers] : w);
		barrier(++gen);
	}
	return NULL;
}

CN_TEST(alloc, malloc_and_free_from_every_cpu_lose_no_block)
{
	struct cn_alloc *def = cn_alloc_default();
	struct cn_thread *t[MAX_THREADS];
	struct cn_alloc_stats before, after;
	struct cn_alloc_smp_stats s0, s1;
	unsigned int i, n = cn_cpu_count();
	unsigned long t0, t1;

	CN_ASSERT_NOT_NULL(def);
	nr_workers = n < 2 ? 2 : n > MAX_THREADS ? MAX_THREADS : n;
	arrived = 0;
	cn_thread_stacks_release();	/* kept stacks of earlier threads */
	cn_alloc_cache_flush();
	t0 = heap_stats(def, &before);
	cn_alloc_smp_stats_read(&s0);
	for (i = 0; i < nr_workers; i++) {
		struct cn_thread_attr attr = {
			.name = "alloc-smp",
			.cpu_mask = 1ull << (i % n),
		};

		workers[i] = (struct worker){ .idx = i, .rng = 0x9e3779b9u * (i + 1) };
		CN_ASSERT_EQ(cn_thread_create(&t[i], &attr, work, &workers[i]), 0);
	}
	for (i = 0; i < nr_workers; i++)
		CN_ASSERT_EQ(cn_thread_join(t[i], NULL), 0);
	cn_alloc_smp_stats_read(&s1);
	cn_thread_stacks_release();
	cn_alloc_cache_flush();
	t1 = heap_stats(def, &after);
	for (i = 0; i < nr_workers; i++) {
		CN_EXPECT_EQ(workers[i].bad, 0);
		CN_EXPECT_EQ(workers[i].failed, 0);
	}
	/* Every block given back, each counted once. */
	CN_EXPECT_EQ(after.used, before.used);
	CN_EXPECT_EQ(after.nr_allocs - before.nr_allocs,
		     after.nr_frees - before.nr_frees);
	CN_EXPECT_GE(after.nr_allocs - before.nr_allocs,
		     (uint64_t)nr_workers * ROUNDS * BLOCKS);
	/* Flushed caches: the allocator has every byte it had before. */
	CN_EXPECT_EQ(after.cached, 0);
	EXPECT_FREE_BACK(after, before, t1 - t0);
	CN_EXPECT_GE(after.peak, before.used + BLOCKS);
	/* The lock was taken (by refills at least) and counted. */
	CN_EXPECT_GT(s1.lock_taken, s0.lock_taken);
#ifdef CONFIG_LIB_ALLOC_PERCPU
	CN_EXPECT_GT(s1.cache_hits - s0.cache_hits,
		     (uint64_t)nr_workers * ROUNDS * BLOCKS);
	CN_EXPECT_GT(s1.cache_refills, s0.cache_refills);
	CN_EXPECT_GT(s1.cache_flushes, s0.cache_flushes);
#endif
}

CN_TEST(alloc, cached_blocks_count_as_free_and_flush_back)
{
	struct cn_alloc *def = cn_alloc_default();
	struct cn_alloc_stats before, mid, after;
	void *p[16];
	unsigned int i;

	CN_ASSERT_NOT_NULL(def);
	cn_alloc_cache_flush();
	heap_stats(def, &before);
	CN_EXPECT_EQ(before.cached, 0);
	for (i = 0; i < 16; i++)
		CN_ASSERT_NOT_NULL(p[i] = malloc(100));
	for (i = 0; i < 16; i++)
		free(p[i]);
	heap_stats(def, &mid);
	CN_EXPECT_EQ(mid.used, before.used);
#ifdef CONFIG_LIB_ALLOC_PERCPU
	/* What the caches keep is free to malloc, not used. */
	CN_EXPECT_GT(mid.cached, 0);
	CN_EXPECT_GE(mid.free, mid.cached);
#endif
	cn_alloc_cache_flush();
	heap_stats(def, &after);
	CN_EXPECT_EQ(after.cached, 0);
	CN_EXPECT_EQ(after.free, before.free);
	CN_EXPECT_EQ(after.used, before.used);
}

/*
 * The peak counts blocks the caches hand out without the lock: after 16
 * blocks taken from a cache (one refill) and given back, the peak is at
 * least the use with all 16 live.
 */
CN_TEST(alloc, peak_counts_blocks_from_the_caches)
{
	struct cn_alloc *def = cn_alloc_default();
	struct cn_alloc_stats before, after;
	size_t sum = 0;
	void *p[16];
	unsigned int i;

	CN_ASSERT_NOT_NULL(def);
	cn_alloc_cache_flush();
	heap_stats(def, &before);
	for (i = 0; i < 16; i++) {
		CN_ASSERT_NOT_NULL(p[i] = malloc(100));
		sum += cn_alloc_usable_size(def, p[i]);
	}
	for (i = 0; i < 16; i++)
		free(p[i]);
	heap_stats(def, &after);
	CN_EXPECT_GE(after.peak, before.used + sum);
	CN_EXPECT_EQ(after.used, before.used);
	CN_EXPECT_EQ(after.nr_allocs - before.nr_allocs, 16);
	CN_EXPECT_EQ(after.nr_frees - before.nr_frees, 16);
}

struct mover {
	unsigned int cpus[2];
	unsigned int seen[2];		/* the CPU each half ran on */
	unsigned int bad;
	size_t used_before, used_after;
};

/*
 * Allocates on one CPU, moves to the other, checks and frees there, and
 * back: blocks change caches with their thread's CPU.
 */
static void *move_around(void *arg)
{
	struct mover *m = arg;
	struct cn_thread *self = cn_thread_current();
	unsigned char *blk[64];
	unsigned int i, half;
	size_t at;

	for (half = 0; half < 2; half++) {
		cn_thread_set_affinity(self, 1ull << m->cpus[half]);
		m->seen[half] = cn_cpu_id();
		for (i = 0; i < 64; i++) {
			blk[i] = malloc(16 + i * 17);
			if (!blk[i]) {
				m->bad++;
				continue;
			}
			memset(blk[i], (int)(i + half), 16 + i * 17);
		}
		cn_thread_set_affinity(self, 1ull << m->cpus[!half]);
		for (i = 0; i < 64; i++) {
			for (at = 0; blk[i] && at < 16 + i * 17; at++)
				if (blk[i][at] != (unsigned char)(i + half)) {
					m->bad++;
					break;
				}
			free(blk[i]);
		}
	}
	return NULL;
}

CN_TEST(alloc, a_thread_that_moves_frees_on_the_other_cpu)
{
	struct cn_alloc *def = cn_alloc_default();
	struct cn_alloc_stats before, after;
	struct mover m = { .cpus = { 0, 1 } };
	struct cn_thread_attr attr = { .name = "alloc-move" };
	struct cn_thread *t;
	unsigned long t0, t1;

	CN_ASSERT_NOT_NULL(def);
	if (cn_cpu_online() < 2)
		m.cpus[1] = 0;		/* one CPU: the same path, no move */
	cn_thread_stacks_release();	/* kept stacks of earlier threads */
	cn_alloc_cache_flush();
	t0 = heap_stats(def, &before);
	CN_ASSERT_EQ(cn_thread_create(&t, &attr, move_around, &m), 0);
	CN_ASSERT_EQ(cn_thread_join(t, NULL), 0);
	cn_thread_stacks_release();
	cn_alloc_cache_flush();
	t1 = heap_stats(def, &after);
	CN_EXPECT_EQ(m.bad, 0);
	CN_EXPECT_EQ(m.seen[0], m.cpus[0]);
	CN_EXPECT_EQ(m.seen[1], m.cpus[1]);
	CN_EXPECT_EQ(after.used, before.used);
	/* 128 blocks, plus the thread's own (stack, TLS), all given back */
	CN_EXPECT_GE(after.nr_allocs - before.nr_allocs, 128);
	CN_EXPECT_EQ(after.nr_allocs - before.nr_allocs,
		     after.nr_frees - before.nr_frees);
	EXPECT_FREE_BACK(after, before, t1 - t0);
}

#ifdef CONFIG_LIB_ALLOC_PERCPU
/*
 * With the heap exhausted and one freed block sitting in a cache, a
 * malloc too large for the caches still gets it: the caches are drained
 * before a malloc fails, and that first failure is not counted.
 */
CN_TEST(alloc, a_full_heap_takes_back_what_the_caches_hold)
{
	struct cn_alloc *def = cn_alloc_default();
	struct cn_alloc_stats before, after;
	void *kept = malloc(2000);	/* usable < 2048: a cache takes it */
	void *list = NULL, *q, *p;
	size_t size = (size_t)1 << 36;

	CN_ASSERT_NOT_NULL(def);
	CN_ASSERT_NOT_NULL(kept);
	/* Take every byte, largest blocks first; each links to the last. */
	while (size >= 16) {
		p = malloc(size);
		if (!p) {
			size /= 2;
			continue;
		}
		*(void **)p = list;
		list = p;
	}
	free(kept);			/* into this CPU's cache */
	heap_stats(def, &before);
	q = malloc(1500);		/* past the caches: the locked path */
	heap_stats(def, &after);
	free(q);
	while (list) {
		p = *(void **)list;
		free(list);
		list = p;
	}
	CN_EXPECT_GE(before.cached, 2000);
	CN_EXPECT_NOT_NULL(q);
	CN_EXPECT_EQ(after.nr_failed, before.nr_failed);
	CN_EXPECT_EQ(after.nr_allocs - before.nr_allocs, 1);
}
#endif
