/* SPDX-License-Identifier: BSD-3-Clause */
/* gettid() without lib/sched: one thread, the process itself (Linux). */
#include <unistd.h>

pid_t gettid(void);

pid_t gettid(void)
{
	return getpid();
}
