/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * gettid() with lib/sched: the thread id ps shows, plus one, so that the
 * first thread's (0) is the process id, as on Linux.
 */
#include <sys/types.h>
#include <cairn/sched.h>

pid_t gettid(void);

pid_t gettid(void)
{
	return (pid_t)cn_thread_id(cn_thread_current()) + 1;
}
