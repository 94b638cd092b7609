/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux-only calls about the system and the process, answered for one
 * image: sysinfo() and the CPU counts, getloadavg(), prctl() for thread
 * names, personality() (always Linux), and syscall(), which has no table
 * to dispatch on (every call is a function here) and fails with ENOSYS,
 * warning once per number so that a port sees what it tried.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <cairn/cpu.h>
#include <cairn/log.h>
#include "process_priv.h"

int getloadavg(double loadavg[], int nelem);

#define TASK_COMM_LEN	16	/* Linux's thread name, NUL included */
#define WARNED_MAX	16

long syscall(long number, ...)
{
	static long warned[WARNED_MAX];
	static unsigned int nr_warned;
	unsigned int i;

	for (i = 0; i < nr_warned && warned[i] != number; i++)
		;
	if (i == nr_warned && nr_warned < WARNED_MAX) {
		warned[nr_warned++] = number;
		cn_pr_warn("syscall(%ld) is not supported (no system call "
			   "table; call the function): ENOSYS", number);
	}
	errno = ENOSYS;
	return -1;
}

/* A name given with PR_SET_NAME; empty: the scheduler's name stands. */
static __thread char thread_name[TASK_COMM_LEN];

int prctl(int option, ...)
{
	va_list ap;
	char *arg;

	va_start(ap, option);
	arg = va_arg(ap, char *);
	va_end(ap);
	if (option != PR_SET_NAME && option != PR_GET_NAME) {
		errno = EINVAL;
		return -1;
	}
	if (!arg) {
		errno = EFAULT;
		return -1;
	}
	if (option == PR_SET_NAME) {
		strncpy(thread_name, arg, TASK_COMM_LEN - 1);
		thread_name[TASK_COMM_LEN - 1] = '\0';
		return 0;
	}
	if (thread_name[0])
		memcpy(arg, thread_name, TASK_COMM_LEN);
	else
		cn_posix_process_thread_name(arg, TASK_COMM_LEN);
	return 0;
}

int personality(unsigned long persona)
{
	if (persona == 0xffffffffUL || persona == PER_LINUX)
		return PER_LINUX;
	errno = EINVAL;
	return -1;
}

int sysinfo(struct sysinfo *info)
{
	struct timespec ts;
	unsigned long total, free;
	unsigned int threads;

	if (!info) {
		errno = EFAULT;
		return -1;
	}
	memset(info, 0, sizeof(*info));
	clock_gettime(CLOCK_MONOTONIC, &ts);
	info->uptime = (long)ts.tv_sec;
	cn_posix_process_mem(&total, &free);
	info->totalram = total;
	info->freeram = free;
	threads = cn_posix_process_nr_threads();
	info->procs = (unsigned short)(threads > 0xffff ? 0xffff : threads);
	info->mem_unit = 1;
	return 0;
}

int get_nprocs_conf(void)
{
	return (int)cn_cpu_count();
}

int get_nprocs(void)
{
	return (int)cn_cpu_online();
}

/*
 * No load average is kept: every sample is 0. Returns the samples written
 * (at most 3), -1 for a negative nelem, as glibc.
 */
int getloadavg(double loadavg[], int nelem)
{
	int i;

	if (nelem < 0 || (nelem && !loadavg))
		return -1;
	if (nelem > 3)
		nelem = 3;
	for (i = 0; i < nelem; i++)
		loadavg[i] = 0.0;
	return nelem;
}
