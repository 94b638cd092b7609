/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/posix-signal. */
#ifndef SIGNAL_PRIV_H
#define SIGNAL_PRIV_H

#include <signal.h>
#include <stdbool.h>

/*
 * Makes sig pending for the process and wakes sigsuspend/pause. With
 * run_here, and nobody waiting for it, and sig not in blocked_for, its
 * action runs in the calling thread now (the alarm thread's way).
 */
int cn_signal_post(int sig, sigset_t blocked_for, bool run_here);
/* The same with the siginfo an SA_SIGINFO handler gets (si_signo: sig). */
int cn_signal_post_info(const siginfo_t *info, sigset_t blocked_for,
			bool run_here);
/* sig is pending for the process (not yet taken by a thread). */
bool cn_signal_is_pending(int sig);
/* The calling thread's mask. */
sigset_t cn_signal_mask(void);
const char *cn_signal_name(int sig);

#endif
