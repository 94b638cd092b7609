/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cpu_set_t and the CPU_* macros (GNU), which picolibc does not have:
 * the CPU sets of pthread_setaffinity_np() and sched_setaffinity()
 * (lib/pthread). Included by <pthread.h>. Sizes are glibc's (1024 CPUs),
 * so code written for Linux that passes sizeof(cpu_set_t) works; Cairn
 * uses CPUs 0-63 of a set.
 */
#ifndef _SYS_CPUSET_H_
#define _SYS_CPUSET_H_

#define CPU_SETSIZE	1024
#define __CN_CPU_BITS	(8 * sizeof(unsigned long))

typedef struct {
	unsigned long __bits[CPU_SETSIZE / (8 * sizeof(unsigned long))];
} cpu_set_t;

#define CPU_ZERO(s)	__builtin_memset((s), 0, sizeof(cpu_set_t))
#define CPU_SET(c, s)	((void)((unsigned)(c) < CPU_SETSIZE && \
	((s)->__bits[(c) / __CN_CPU_BITS] |= 1ul << ((c) % __CN_CPU_BITS))))
#define CPU_CLR(c, s)	((void)((unsigned)(c) < CPU_SETSIZE && \
	((s)->__bits[(c) / __CN_CPU_BITS] &= ~(1ul << ((c) % __CN_CPU_BITS)))))
#define CPU_ISSET(c, s)	((unsigned)(c) < CPU_SETSIZE && \
	(((s)->__bits[(c) / __CN_CPU_BITS] >> ((c) % __CN_CPU_BITS)) & 1))
#define CPU_EQUAL(a, b)	(__builtin_memcmp((a), (b), sizeof(cpu_set_t)) == 0)

static inline int __cn_cpu_count(const cpu_set_t *s)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < CPU_SETSIZE / __CN_CPU_BITS; i++)
		n += __builtin_popcountl(s->__bits[i]);
	return n;
}
#define CPU_COUNT(s)	__cn_cpu_count(s)

#endif
