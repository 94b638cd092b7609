/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The heap in crash reports, and allocations the kernel cannot do without.
 * Image only (the rest of lib/alloc also builds for the host): crash
 * reports and panics belong to lib/core.
 */
#include <cairn/alloc.h>
#include <cairn/panic.h>

#define MAX_ALLOCATORS 32	/* a corrupt registry must not loop forever */

static void print_one(struct cn_alloc *a, void *arg)
{
	unsigned int *n = arg;
	struct cn_alloc_stats st;

	if ((*n)++ >= MAX_ALLOCATORS)
		return;
	cn_alloc_stats(a, &st);
	cn_crash_printf("  %s: %zu KiB used of %zu KiB, %zu KiB free%s",
			cn_alloc_name(a), st.used >> 10, st.total >> 10,
			st.free >> 10, st.nr_failed ? "; " : "\n");
	if (st.nr_failed)
		cn_crash_printf("%llu allocations failed: OUT OF MEMORY\n",
				(unsigned long long)st.nr_failed);
}

static void alloc_crash_info(void)
{
	unsigned int n = 0;

	cn_crash_printf("Memory:\n");
	cn_alloc_foreach(print_one, &n);
	/* The default heap is set up on the first allocation (heap.c). */
	if (!n)
		cn_crash_printf("  no allocator in use yet (nothing was "
				"allocated before the crash)\n");
}
CN_CRASH_INFO(alloc_crash_info, 3);

void *cn_alloc_must(struct cn_alloc *a, size_t align, size_t size,
		    const char *what)
{
	struct cn_alloc_stats st = { 0 };
	void *p = a ? cn_alloc_memalign(a, align, size) : NULL;

	if (cn_likely(p != NULL))
		return p;
	if (a)
		cn_alloc_stats(a, &st);
	cn_panic("out of memory: %s needs %zu bytes (aligned to %zu) and "
		 "allocator %s has %zu KiB free", what, size, align,
		 a ? cn_alloc_name(a) : "(none)", st.free >> 10);
}
