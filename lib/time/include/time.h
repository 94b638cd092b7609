/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * picolibc's <time.h>, with the process CPU-time clock and
 * clock_getcpuclockid(), which it declares only with _POSIX_CPUTIME (and
 * then without pid_t, so that defining that does not build). lib/time.
 */
#ifndef CAIRN_TIME_TIME_H
#define CAIRN_TIME_TIME_H

#include_next <time.h>
#include <sys/types.h>

/* Linux's number; clock_gettime reads it as the monotonic clock. */
#ifndef CLOCK_PROCESS_CPUTIME_ID
#define CLOCK_PROCESS_CPUTIME_ID	2
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The CPU-time clock of process pid (0: the caller; the one process is
 * pid 1): 0 with *id CLOCK_PROCESS_CPUTIME_ID; ESRCH for another pid,
 * EINVAL for a NULL id (returned, errno untouched).
 */
int clock_getcpuclockid(pid_t pid, clockid_t *id);

#ifdef __cplusplus
}
#endif

#endif
