/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * gettid() with lib/sched: the thread id ps shows, plus one, so that the
 * first thread's (0) is the process id, as on Linux.
 */
#include <stdio.h>
#include <sys/types.h>
#include <cairn/sched.h>
#include "process_priv.h"

pid_t gettid(void);

pid_t gettid(void)
{
	return (pid_t)cn_thread_id(cn_thread_current()) + 1;
}

static void count(struct cn_thread *t, void *arg)
{
	(void)t;
	(*(unsigned int *)arg)++;
}

unsigned int cn_posix_process_nr_threads(void)
{
	unsigned int n = 0;

	cn_thread_foreach(count, &n);
	return n ? n : 1;
}

void cn_posix_process_thread_name(char *buf, size_t len)
{
	const char *name = cn_thread_name(cn_thread_current());

	snprintf(buf, len, "%s", name ? name : "");
}
