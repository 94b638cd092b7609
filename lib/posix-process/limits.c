/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Resource limits, resource usage and sysconf(): the numbers a program
 * sizes itself by. Ceilings that Cairn has (descriptors, the thread stack
 * size) are reported as the hard limits; the others are unlimited.
 */
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <cairn/cpu.h>
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/plat.h>

#ifdef CONFIG_LIB_FDTAB_MAX
#define NOFILE_MAX	CONFIG_LIB_FDTAB_MAX
#else
#define NOFILE_MAX	3		/* the console only */
#endif
#ifdef CONFIG_LIB_SCHED_STACK_KB
#define STACK_MAX	(CONFIG_LIB_SCHED_STACK_KB * 1024ull)
#else
#define STACK_MAX	RLIM_INFINITY
#endif

static struct rlimit limits[RLIMIT_NLIMITS];
static bool limits_set;

static void limits_init(void)
{
	int i;

	if (limits_set)
		return;
	for (i = 0; i < RLIMIT_NLIMITS; i++)
		limits[i] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	limits[RLIMIT_NOFILE] = (struct rlimit){ NOFILE_MAX, NOFILE_MAX };
	limits[RLIMIT_STACK] = (struct rlimit){ STACK_MAX, STACK_MAX };
	limits[RLIMIT_CORE] = (struct rlimit){ 0, RLIM_INFINITY };
	limits[RLIMIT_NPROC] = (struct rlimit){ 1, 1 };
	limits_set = true;
}

int getrlimit(int resource, struct rlimit *rl)
{
	if (resource < 0 || resource >= RLIMIT_NLIMITS) {
		errno = EINVAL;
		return -1;
	}
	limits_init();
	*rl = limits[resource];
	return 0;
}

int setrlimit(int resource, const struct rlimit *rl)
{
	rlim_t ceiling;

	if (resource < 0 || resource >= RLIMIT_NLIMITS ||
	    rl->rlim_cur > rl->rlim_max) {
		errno = EINVAL;
		return -1;
	}
	limits_init();
	ceiling = resource == RLIMIT_NOFILE ? NOFILE_MAX
		  : resource == RLIMIT_STACK ? STACK_MAX
		  : resource == RLIMIT_NPROC ? 1 : RLIM_INFINITY;
	if (rl->rlim_max > ceiling) {
		errno = EPERM;
		return -1;
	}
	limits[resource] = *rl;
	return 0;
}

/*
 * All time since boot counts as the process's: it is the only one, and
 * its libraries (the system) run on its behalf in the same address space.
 */
int getrusage(int who, struct rusage *ru)
{
	struct timespec ts;

	if (who != RUSAGE_SELF && who != RUSAGE_THREAD &&
	    who != RUSAGE_CHILDREN) {
		errno = EINVAL;
		return -1;
	}
	memset(ru, 0, sizeof(*ru));
	if (who == RUSAGE_CHILDREN)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ru->ru_utime.tv_sec = ts.tv_sec;
	ru->ru_utime.tv_usec = ts.tv_nsec / 1000;
	return 0;
}

/* Threads have no nice value to change: 0, and only 0 may be set. */
int getpriority(int which, id_t who)
{
	if (which < PRIO_PROCESS || which > PRIO_USER) {
		errno = EINVAL;
		return -1;
	}
	if (who && !(which == PRIO_PROCESS && who == 1)) {
		errno = ESRCH;
		return -1;
	}
	return 0;
}

int setpriority(int which, id_t who, int prio)
{
	if (getpriority(which, who) < 0)
		return -1;
	if (prio) {
		errno = EACCES;
		return -1;
	}
	return 0;
}

static long ram_pages(void)
{
	const struct cn_bootinfo *bi = cn_bootinfo();
	uint64_t total = 0;
	unsigned int i;

	for (i = 0; bi && i < bi->nr_mem; i++)
		if (bi->mem[i].type == CN_MEM_RAM)
			total += bi->mem[i].size;
	return (long)(total / CN_PAGE_SIZE);
}

int getpagesize(void)
{
	return (int)CN_PAGE_SIZE;
}

int getdtablesize(void)
{
	return NOFILE_MAX;
}

long sysconf(int name)
{
	switch (name) {
	case _SC_ARG_MAX:
		return 131072;
	case _SC_CHILD_MAX:
		return 1;
	case _SC_CLK_TCK:
		return 100;
	case _SC_NGROUPS_MAX:
		return 0;
	case _SC_OPEN_MAX:
		return NOFILE_MAX;
	case _SC_PAGESIZE:
		return (long)CN_PAGE_SIZE;
	case _SC_NPROCESSORS_CONF:
		return (long)cn_cpu_count();
	case _SC_NPROCESSORS_ONLN:
		return (long)cn_cpu_online();
	case _SC_PHYS_PAGES:
	case _SC_AVPHYS_PAGES:
		return ram_pages();
	case _SC_VERSION:
		return 200809L;
	case _SC_HOST_NAME_MAX:
		return 64;
	case _SC_LOGIN_NAME_MAX:
		return 32;
	case _SC_TTY_NAME_MAX:
		return 32;
	case _SC_LINE_MAX:
		return 2048;
	case _SC_SYMLOOP_MAX:
		return 40;
	case _SC_IOV_MAX:
		return 1024;
	case _SC_GETPW_R_SIZE_MAX:
	case _SC_GETGR_R_SIZE_MAX:
		return 1024;
	case _SC_THREAD_STACK_MIN:
		return 16384;
	case _SC_TZNAME_MAX:
		return 6;
	case _SC_SAVED_IDS:
	case _SC_FSYNC:
	case _SC_MAPPED_FILES:
	case _SC_MEMORY_PROTECTION:
	case _SC_TIMERS:
	case _SC_SEMAPHORES:
#ifdef CONFIG_LIB_PTHREAD
	case _SC_THREADS:
	case _SC_THREAD_SAFE_FUNCTIONS:
#endif
		return 200809L;
	}
	/* Known to POSIX but not here: "no limit / not supported" is -1
	 * with errno untouched; a number nobody defines is EINVAL. */
	if (name >= 0 && name <= _SC_POSIX_26_VERSION)
		return -1;
	errno = EINVAL;
	return -1;
}

/*
 * confstr: the search path for the standard utilities (Cairn's menu
 * default PATH), and "" for every programming environment's flags and
 * names (an image needs no flags beyond the build's). glibc's
 * _CS_GNU_LIBC_VERSION and _CS_GNU_LIBPTHREAD_VERSION fail with EINVAL,
 * as musl's do: there is no glibc to name, and a program that asks
 * takes its not-glibc path. Any other name: EINVAL.
 */
size_t confstr(int name, char *buf, size_t len)
{
	const char *s = "";
	size_t n;

	if (name == _CS_PATH)
		s = "/bin";
	else if (name == _CS_GNU_LIBC_VERSION ||
		 name == _CS_GNU_LIBPTHREAD_VERSION ||
		 ((name < _CS_POSIX_V6_WIDTH_RESTRICTED_ENVS ||
		   name > _CS_POSIX_V7_WIDTH_RESTRICTED_ENVS) &&
		  (name < _CS_LFS_CFLAGS || name > _CS_LFS64_LINTFLAGS) &&
		  (name < _CS_XBS5_ILP32_OFF32_CFLAGS || name > _CS_V7_ENV))) {
		errno = EINVAL;
		return 0;
	}
	n = strlen(s) + 1;
	if (buf && len) {
		size_t c = n < len ? n : len;

		memcpy(buf, s, c - 1);
		buf[c - 1] = '\0';
	}
	return n;
}
