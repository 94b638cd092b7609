/* SPDX-License-Identifier: BSD-3-Clause */
/* gettid() without lib/sched: one thread, the process itself (Linux). */
#include <stdio.h>
#include <unistd.h>
#include "process_priv.h"

pid_t gettid(void);

pid_t gettid(void)
{
	return getpid();
}

unsigned int cn_posix_process_nr_threads(void)
{
	return 1;
}

void cn_posix_process_thread_name(char *buf, size_t len)
{
	snprintf(buf, len, "main");
}
