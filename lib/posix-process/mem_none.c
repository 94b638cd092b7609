/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sysinfo's RAM figures without lib/alloc: picolibc's malloc keeps no
 * figures to ask, so the RAM the platform reported, and none said free.
 */
#include <cairn/boot.h>
#include "process_priv.h"

void cn_posix_process_mem(unsigned long *total, unsigned long *free)
{
	const struct cn_bootinfo *bi = cn_bootinfo();
	unsigned long sum = 0;
	unsigned int i;

	for (i = 0; bi && i < bi->nr_mem; i++)
		if (bi->mem[i].type == CN_MEM_RAM)
			sum += bi->mem[i].size;
	*total = sum;
	*free = 0;
}
