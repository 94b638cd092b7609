/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * picolibc's <signal.h> and what lib/posix-signal adds to it from Linux's:
 * pthread_sigmask, pthread_kill, siginterrupt and sighandler_t.
 */
#ifndef CAIRN_SIGNAL_H
#define CAIRN_SIGNAL_H

#include_next <signal.h>

#ifndef __cplusplus
typedef void (*sighandler_t)(int);
#endif

/* sigprocmask for the calling thread; returns 0 or an errno value. */
int pthread_sigmask(int how, const sigset_t *set, sigset_t *old);

/*
 * Sends sig to one thread (pthread_t is lib/pthread's struct cn_thread *):
 * it is pending for that thread alone, which runs its action when it next
 * takes signals (raise, sigprocmask, sigsuspend, sigwait, or a blocking
 * call that a signal interrupts, which it wakes). sig 0 only checks that
 * the thread exists. Returns 0, EINVAL (bad sig), ESRCH (the thread has
 * ended), EAGAIN (too many threads with signals pending).
 */
struct cn_thread;
int pthread_kill(struct cn_thread *thread, int sig);

/* flag 1: sig's handler interrupts blocking calls (EINTR); 0: they
 * restart (SA_RESTART). Returns 0, or -1 and EINVAL for a bad sig. */
int siginterrupt(int sig, int flag);

#endif
