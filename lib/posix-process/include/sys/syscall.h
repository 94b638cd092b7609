/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <sys/syscall.h>: there is no system call table in an image (every call
 * is a function), so no SYS_* number is defined and a program's
 * `#ifdef SYS_gettid` takes its portable path; syscall() exists for
 * programs that declare or call it anyway. lib/posix-process.
 */
#ifndef _SYS_SYSCALL_H
#define _SYS_SYSCALL_H

/* -1 with errno ENOSYS, and a warning naming the number once. */
long syscall(long number, ...);

#endif
