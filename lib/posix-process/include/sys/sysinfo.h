/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <sys/sysinfo.h> as Linux's (picolibc has none): the system's figures in
 * one call, and the CPU counts. lib/posix-process.
 */
#ifndef _SYS_SYSINFO_H
#define _SYS_SYSINFO_H

#define SI_LOAD_SHIFT	16

struct sysinfo {
	long uptime;			/* seconds since boot */
	unsigned long loads[3];		/* 1, 5, 15 min (<< SI_LOAD_SHIFT) */
	unsigned long totalram;		/* heap bytes (in mem_unit units) */
	unsigned long freeram;		/* of which free */
	unsigned long sharedram;	/* 0 */
	unsigned long bufferram;	/* 0 */
	unsigned long totalswap;	/* 0: no swap */
	unsigned long freeswap;
	unsigned short procs;		/* threads that exist */
	unsigned short pad;
	unsigned long totalhigh;	/* 0 */
	unsigned long freehigh;
	unsigned int mem_unit;		/* 1 */
	char _f[20 - 2 * sizeof(long) - sizeof(int)];
};

/*
 * Fills *info: uptime from the monotonic clock, RAM from the allocator's
 * statistics (the whole RAM without lib/alloc), procs the number of
 * threads (1 without lib/sched), loads 0 (no load average is kept).
 * 0, or -1 with errno EFAULT for a NULL info.
 */
int sysinfo(struct sysinfo *info);

/* The CPUs the image was given, and those online (sysconf's answers). */
int get_nprocs_conf(void);
int get_nprocs(void);

#endif
