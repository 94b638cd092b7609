/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <sys/prctl.h>: the part of Linux's prctl() a single-process image can
 * honour, the calling thread's name. lib/posix-process.
 */
#ifndef _SYS_PRCTL_H
#define _SYS_PRCTL_H

#define PR_SET_PDEATHSIG	1
#define PR_GET_PDEATHSIG	2
#define PR_GET_DUMPABLE		3
#define PR_SET_DUMPABLE		4
#define PR_SET_NAME		15
#define PR_GET_NAME		16
#define PR_SET_NO_NEW_PRIVS	38
#define PR_GET_NO_NEW_PRIVS	39

/*
 * PR_SET_NAME (arg2: the name, cut to 15 bytes) and PR_GET_NAME (arg2: a
 * buffer of at least 16 bytes) for the calling thread: 0. -1 with errno
 * EFAULT for a NULL arg2, EINVAL for any other option.
 */
int prctl(int option, ...);

#endif
