/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The default heap. It is set up on the first allocation (an image that
 * never allocates never pays for it): the allocator chosen in menuconfig
 * gets every free physical range (the largest to create it, the others
 * through add_memory). Statistics go to a debug log line at exit.
 */
#include <errno.h>
#include <stdlib.h>
#include <cairn/alloc_backend.h>
#include <cairn/errname.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/pmem.h>

static void log_one(struct cn_alloc *a, void *arg)
{
	struct cn_alloc_stats st;

	cn_alloc_stats(a, &st);
	cn_pr_debug("%s: %zu KiB managed, %zu used, peak %zu, %zu free; "
		    "%llu allocs, %llu frees, %llu failed", cn_alloc_name(a),
		    st.total >> 10, st.used, st.peak, st.free,
		    (unsigned long long)st.nr_allocs,
		    (unsigned long long)st.nr_frees,
		    (unsigned long long)st.nr_failed);
}

static int heap_made;

static void stats_at_exit(void)
{
	/* Not cn_alloc_default(): that would set the heap up now. */
	if (!heap_made)
		cn_pr_debug("no allocation made: the heap was never set up");
	cn_alloc_foreach(log_one, NULL);
}

static int heap_setup(void)
{
	struct cn_pmem_range r[CN_PMEM_MAX_RANGES];
	unsigned int i, n, big = 0;
	struct cn_alloc *a;

	n = cn_pmem_take_ranges(r, CN_PMEM_MAX_RANGES);
	if (!n)
		return -ENOMEM;
	for (i = 1; i < n; i++)
		if (r[i].size > r[big].size)
			big = i;
	a = cn_alloc_default_create((void *)r[big].start, r[big].size);
	if (!a)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		int rc;

		if (i == big)
			continue;
		rc = cn_alloc_add_memory(a, (void *)r[i].start, r[i].size);
		if (rc)
			cn_pr_debug("range %#lx (%zu KiB) not used: %d (%s)",
				    (unsigned long)r[i].start, r[i].size >> 10,
				    rc, cn_errname(rc));
	}
	cn_alloc_set_default(a);
	heap_made = 1;
	cn_pr_debug("default heap: %s over %zu KiB", cn_alloc_name(a),
		    a->stats.total >> 10);
	return 0;
}

/* At CN_INIT_MEM priority 5: only arm the set-up. */
static int heap_init(void)
{
	cn_alloc_set_lazy_default(heap_setup);
	if (cn_log_level() >= CN_LOG_DEBUG)
		atexit(stats_at_exit);
	return 0;
}
CN_INIT_PRIO(heap_init, CN_INIT_MEM, 5);
