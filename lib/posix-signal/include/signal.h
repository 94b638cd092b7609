/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * picolibc's <signal.h> and what lib/posix-signal adds to it from Linux's:
 * pthread_sigmask, pthread_kill (of the calling thread) and sighandler_t.
 */
#ifndef CAIRN_SIGNAL_H
#define CAIRN_SIGNAL_H

#include_next <signal.h>

#ifndef __cplusplus
typedef void (*sighandler_t)(int);
#endif

/* sigprocmask for the calling thread; returns 0 or an errno value. */
int pthread_sigmask(int how, const sigset_t *set, sigset_t *old);

#endif
