/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Signals as far as one process with no kernel boundary can honour them.
 *
 * The actions are the process's (one table); the mask is each thread's
 * (thread-local); the pending set is the process's: a signal sent while
 * blocked waits there until a thread that does not block it unblocks it,
 * waits for it (sigsuspend, pause) or raises another. There is no
 * asynchronous interruption: a handler runs in the thread that raised the
 * signal (raise, kill of the own pid), unblocked it, or waited for it;
 * an alarm's in this library's signal thread when nobody waits for it.
 * A blocking call that announces its wait (<cairn/sigintr.h>: lib/fdtab's
 * pipes, poll/select, F_SETLKW) is woken by a signal it does not block,
 * runs the handler in its own thread and fails with EINTR, or waits on
 * if the action has SA_RESTART.
 *
 * The default actions are Linux's: a crash report for the "core" signals
 * (SIGABRT through abort(), SIGSEGV, SIGBUS, SIGILL, SIGFPE...), the end
 * of the image with status CN_EXIT_SIGNAL (71; Linux's 128 + N does not
 * fit QEMU's exit channel) and a line naming the signal for the "term"
 * ones (SIGTERM, SIGINT, SIGALRM, SIGPIPE, SIGUSR1...), nothing for
 * SIGCHLD, SIGURG, SIGWINCH and SIGCONT; the stop signals are ignored
 * with a warning (nothing could continue the image).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cairn/arch.h>
#include <cairn/biglock.h>
#include <cairn/boot.h>
#include <cairn/log.h>
#include <cairn/panic.h>
#include <cairn/sched.h>
#include <cairn/sigintr.h>
#include "signal_priv.h"

#define BIT(sig)	((sigset_t)1 << (sig))
#define UNBLOCKABLE	(BIT(SIGKILL) | BIT(SIGSTOP))

static struct sigaction actions[_NSIG];
static volatile sigset_t pending;
static __thread sigset_t mask;
static struct cn_waitq waiters = CN_WAITQ_INIT;
static unsigned int nr_waiting;

/* A thread in an interruptible wait (cn_signal_intr_begin()). */
struct intr_waiter {
	struct intr_waiter *next;
	sigset_t blocked;		/* its mask when it began */
	void (*wake)(void *);
	void *arg;
};
static __thread struct intr_waiter intr_self;
static struct intr_waiter *intr_list;	/* under the big lock */

static bool valid(int sig)
{
	return sig > 0 && sig < _NSIG;
}

static const char *const names[_NSIG] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
	[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
	[SIGEMT] = "SIGEMT", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
	[SIGBUS] = "SIGBUS", [SIGSEGV] = "SIGSEGV", [SIGSYS] = "SIGSYS",
	[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
	[SIGURG] = "SIGURG", [SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP",
	[SIGCONT] = "SIGCONT", [SIGCHLD] = "SIGCHLD", [SIGTTIN] = "SIGTTIN",
	[SIGTTOU] = "SIGTTOU", [SIGIO] = "SIGIO", [SIGXCPU] = "SIGXCPU",
	[SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM",
	[SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH",
	[SIGLOST] = "SIGLOST", [SIGUSR1] = "SIGUSR1", [SIGUSR2] = "SIGUSR2",
};

const char *cn_signal_name(int sig)
{
	return valid(sig) && names[sig] ? names[sig] : "signal";
}

static void default_action(int sig)
{
	const sigset_t core = BIT(SIGQUIT) | BIT(SIGILL) | BIT(SIGTRAP) |
			      BIT(SIGEMT) | BIT(SIGFPE) | BIT(SIGBUS) |
			      BIT(SIGSEGV) | BIT(SIGSYS) | BIT(SIGXCPU) |
			      BIT(SIGXFSZ);
	const sigset_t ignore = BIT(SIGURG) | BIT(SIGCONT) | BIT(SIGCHLD) |
				BIT(SIGWINCH) | BIT(SIGIO);
	const sigset_t stop = BIT(SIGSTOP) | BIT(SIGTSTP) | BIT(SIGTTIN) |
			      BIT(SIGTTOU);

	if (sig == SIGABRT)
		abort();		/* lib/picolibc's: the crash report */
	if (core & BIT(sig))
		cn_crash("killed by signal %d (%s)", sig, cn_signal_name(sig));
	if (ignore & BIT(sig))
		return;
	if (stop & BIT(sig)) {
		cn_pr_warn("%s ignored: nothing could continue a stopped image",
			   cn_signal_name(sig));
		return;
	}
	cn_pr_err("terminated by signal %d (%s)", sig, cn_signal_name(sig));
	_exit(CN_EXIT_SIGNAL);
}

/*
 * Runs sig's action in this thread (sig is not blocked here). 0: no
 * handler ran (ignored); 1: a handler with SA_RESTART; -EINTR: without.
 */
static int deliver(int sig)
{
	struct sigaction act;
	sigset_t saved = mask;
	siginfo_t info;
	unsigned long irq = cn_big_lock();

	act = actions[sig];
	if (act.sa_flags & SA_RESETHAND && act.sa_handler != SIG_IGN &&
	    act.sa_handler != SIG_DFL) {
		actions[sig].sa_handler = SIG_DFL;
		actions[sig].sa_flags &= ~SA_SIGINFO;
	}
	cn_big_unlock(irq);
	if (act.sa_handler == SIG_IGN)
		return 0;
	if (act.sa_handler == SIG_DFL) {
		default_action(sig);
		return 0;
	}
	mask |= act.sa_mask | (act.sa_flags & SA_NODEFER ? 0 : BIT(sig));
	mask &= ~UNBLOCKABLE;
	if (act.sa_flags & SA_SIGINFO) {
		memset(&info, 0, sizeof(info));
		info.si_signo = sig;
		info.si_code = SI_USER;
		info.si_pid = getpid();
		act.sa_sigaction(sig, &info, NULL);
	} else {
		act.sa_handler(sig);
	}
	mask = saved;
	return act.sa_flags & SA_RESTART ? 1 : -EINTR;
}

/* Takes one pending signal this thread does not block: 0 if none. */
static int take_pending(sigset_t blocked)
{
	unsigned long irq = cn_big_lock();
	sigset_t ready = pending & ~blocked;
	int sig = 0;

	if (ready) {
		sig = __builtin_ctzl(ready);
		pending &= ~BIT(sig);
	}
	cn_big_unlock(irq);
	return sig;
}

/* Delivers every pending signal the thread's mask lets through. */
static int deliver_pending(void)
{
	int sig, n = 0;

	while ((sig = take_pending(mask))) {
		deliver(sig);
		n++;
	}
	return n;
}

/* Wakes the interruptible waits that take sig; false if none. Locked. */
static bool intr_wake(int sig)
{
	struct intr_waiter *w;
	bool any = false;

	for (w = intr_list; w; w = w->next) {
		if (!(w->blocked & BIT(sig))) {
			w->wake(w->arg);
			any = true;
		}
	}
	return any;
}

int cn_signal_post(int sig, sigset_t blocked_for, bool run_here)
{
	unsigned long irq = cn_big_lock();
	bool waiting;

	pending |= BIT(sig);
	cn_waitq_wake_all(&waiters);
	/* sigsuspend first, then a blocking call it interrupts. */
	waiting = nr_waiting > 0 || intr_wake(sig);
	cn_big_unlock(irq);
	if (run_here && !waiting && !(blocked_for & BIT(sig)) &&
	    take_pending(~BIT(sig)) == sig)
		deliver(sig);
	return 0;
}

void cn_signal_intr_begin(void (*wake)(void *), void *arg)
{
	unsigned long irq = cn_big_lock();

	intr_self.blocked = mask;
	intr_self.wake = wake;
	intr_self.arg = arg;
	intr_self.next = intr_list;
	intr_list = &intr_self;
	cn_big_unlock(irq);
}

bool cn_signal_intr_pending(void)
{
	return (pending & ~mask) != 0;
}

int cn_signal_intr_end(void)
{
	unsigned long irq = cn_big_lock();
	struct intr_waiter **p;
	int sig, r = 0;

	for (p = &intr_list; *p; p = &(*p)->next) {
		if (*p == &intr_self) {
			*p = intr_self.next;
			break;
		}
	}
	cn_big_unlock(irq);
	while ((sig = take_pending(mask))) {
		int d = deliver(sig);

		if (d < 0)
			r = -EINTR;
		else if (d > 0 && !r)
			r = 1;
	}
	return r;
}

sigset_t cn_signal_mask(void)
{
	return mask;
}

int raise(int sig)
{
	if (!valid(sig)) {
		errno = EINVAL;
		return -1;
	}
	if (mask & BIT(sig)) {
		unsigned long irq = cn_big_lock();

		pending |= BIT(sig);
		cn_big_unlock(irq);
		return 0;
	}
	deliver(sig);
	return 0;
}

int kill(pid_t pid, int sig)
{
	if (sig < 0 || sig >= _NSIG) {
		errno = EINVAL;
		return -1;
	}
	/* Ourselves: our pid, our group (0, -pid) or everyone (-1). */
	if (pid != getpid() && pid != 0 && pid != -1 && pid != -getpid()) {
		errno = ESRCH;
		return -1;
	}
	if (!sig)
		return 0;
	/* A thread waiting for it (sigsuspend), else one blocked in a call
	 * it interrupts (Linux may pick any thread that does not block it),
	 * else the calling thread before kill returns, unless it blocks it. */
	cn_signal_post(sig, mask, true);
	return 0;
}

int killpg(pid_t pgrp, int sig)
{
	if (pgrp < 0) {
		errno = EINVAL;
		return -1;
	}
	return kill(pgrp ? -pgrp : 0, sig);
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	unsigned long irq;

	if (!valid(sig) || (act && (sig == SIGKILL || sig == SIGSTOP))) {
		errno = EINVAL;
		return -1;
	}
	irq = cn_big_lock();
	if (old)
		*old = actions[sig];
	if (act) {
		actions[sig] = *act;
		actions[sig].sa_mask &= ~UNBLOCKABLE;
		/* POSIX: setting SIG_IGN discards a pending one. */
		if (act->sa_handler == SIG_IGN)
			pending &= ~BIT(sig);
	}
	cn_big_unlock(irq);
	return 0;
}

_sig_func_ptr signal(int sig, _sig_func_ptr fn)
{
	struct sigaction act, old;

	memset(&act, 0, sizeof(act));
	act.sa_handler = fn;
	act.sa_flags = SA_RESTART;	/* BSD and glibc semantics */
	if (sigaction(sig, &act, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	sigset_t prev = mask;

	if (set) {
		switch (how) {
		case SIG_BLOCK:
			mask |= *set;
			break;
		case SIG_UNBLOCK:
			mask &= ~*set;
			break;
		case SIG_SETMASK:
			mask = *set;
			break;
		default:
			return EINVAL;
		}
		mask &= ~(UNBLOCKABLE | 1);
	}
	if (old)
		*old = prev;
	deliver_pending();
	return 0;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	int r = pthread_sigmask(how, set, old);

	if (r) {
		errno = r;
		return -1;
	}
	return 0;
}

int sigpending(sigset_t *set)
{
	*set = pending;
	return 0;
}

/* Waits with set as the mask until a signal was delivered: -1, EINTR. */
int sigsuspend(const sigset_t *set)
{
	sigset_t saved = mask;

	mask = *set & ~UNBLOCKABLE;
	for (;;) {
		unsigned long irq;

		if (deliver_pending())
			break;
		irq = cn_big_lock();
		if (!(pending & ~mask)) {
			nr_waiting++;
			cn_waitq_wait(&waiters, 0);
			nr_waiting--;
		}
		cn_big_unlock(irq);
	}
	mask = saved;
	errno = EINTR;
	return -1;
}

int pause(void)
{
	sigset_t m = mask;

	return sigsuspend(&m);
}

/* The set operations as functions too (picolibc has them as macros). */
int (sigemptyset)(sigset_t *set)
{
	*set = 0;
	return 0;
}

int (sigfillset)(sigset_t *set)
{
	*set = ~(sigset_t)0;
	return 0;
}

int (sigaddset)(sigset_t *set, const int sig)
{
	if (!valid(sig)) {
		errno = EINVAL;
		return -1;
	}
	*set |= BIT(sig);
	return 0;
}

int (sigdelset)(sigset_t *set, const int sig)
{
	if (!valid(sig)) {
		errno = EINVAL;
		return -1;
	}
	*set &= ~BIT(sig);
	return 0;
}

int (sigismember)(const sigset_t *set, int sig)
{
	if (!valid(sig)) {
		errno = EINVAL;
		return -1;
	}
	return !!(*set & BIT(sig));
}
