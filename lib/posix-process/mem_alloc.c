/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sysinfo's RAM figures with lib/alloc: the default heap's statistics,
 * the memory a program can actually ask malloc for.
 */
#include <cairn/alloc.h>
#include "process_priv.h"

void cn_posix_process_mem(unsigned long *total, unsigned long *free)
{
	struct cn_alloc *a = cn_alloc_default();
	struct cn_alloc_stats st;

	*total = *free = 0;
	if (a && cn_alloc_stats(a, &st) == 0) {
		*total = st.total;
		*free = st.free;
	}
}
