/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * picolibc's <sched.h> and the POSIX scheduling calls it declares only
 * for RTEMS. Cairn has one scheduling class: SCHED_OTHER, priority 0.
 * pid is 0 or getpid() (the one process; the calling thread), ESRCH
 * otherwise. These set errno and return -1 on failure:
 *  - sched_get_priority_max/min: 0 for SCHED_OTHER, SCHED_BATCH and
 *    SCHED_IDLE, 1 and 99 for SCHED_FIFO and SCHED_RR (Linux's ranges);
 *    EINVAL for an unknown policy.
 *  - sched_setscheduler/sched_setparam: SCHED_OTHER with priority 0
 *    succeeds (and changes nothing); a priority outside the policy's
 *    range or an unknown policy is EINVAL; any other valid request is
 *    EPERM (what Linux answers a process not allowed that policy).
 *  - sched_getscheduler: SCHED_OTHER; sched_getparam: priority 0.
 */
#ifndef CAIRN_SCHED_WRAP_H
#define CAIRN_SCHED_WRAP_H

#include_next <sched.h>

#ifndef _POSIX_PRIORITY_SCHEDULING
int sched_setparam(pid_t pid, const struct sched_param *param);
int sched_getparam(pid_t pid, struct sched_param *param);
int sched_setscheduler(pid_t pid, int policy,
		       const struct sched_param *param);
int sched_getscheduler(pid_t pid);
int sched_get_priority_max(int policy);
int sched_get_priority_min(int policy);
#endif

#endif
