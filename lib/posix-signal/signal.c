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
#include <cairn/spinlock.h>
#include <cairn/timer.h>
#include "signal_priv.h"

#define BIT(sig)	((sigset_t)1 << (sig))
#define UNBLOCKABLE	(BIT(SIGKILL) | BIT(SIGSTOP))
#define CN_SS_AUTODISARM (1u << 31)	/* Linux's SS_AUTODISARM */

static struct sigaction actions[_NSIG];
static volatile sigset_t pending;
static siginfo_t infos[_NSIG];		/* of each process-pending signal */
static __thread sigset_t mask;
static __thread stack_t altstack = { .ss_flags = SS_DISABLE };

/*
 * Threads in sigsuspend, pause or sigwait: accept is what they take or
 * let through. A signal one of them accepts is left pending for it.
 */
struct sleeper {
	struct sleeper *next;
	sigset_t accept;
};
static struct cn_waitq waiters = CN_WAITQ_INIT;
static struct sleeper *sleepers;	/* under the big lock */

/*
 * Signals for one thread (pthread_kill() of another thread): a few slots,
 * taken by the sender and freed when the thread takes its last signal.
 */
struct thread_pending {
	struct cn_thread *thread;	/* NULL: free */
	sigset_t set;
};
#define NR_THREAD_PENDING 32
static struct thread_pending thread_pending[NR_THREAD_PENDING];

/* A thread in an interruptible wait (cn_signal_intr_begin()). */
struct intr_waiter {
	struct intr_waiter *next;
	struct cn_thread *thread;
	sigset_t blocked;		/* its mask when it began */
	void (*wake)(void *);
	void *arg;
};
static __thread struct intr_waiter intr_self;
/*
 * The interruptible waits, under their own lock, so that a wait on an
 * event count (lib/fdtab's cn_file_wait()) announces itself, looks at
 * what is pending and sleeps without the big lock. A sender holds the
 * big lock, sets the signal pending and then, under this lock, wakes
 * the waits that take it; a waiter registers under this lock and then
 * looks at pending: one of them always sees the other. Wake functions
 * run under it, and with the big lock held (every sender holds it), so
 * one that takes the big lock only nests.
 */
static struct intr_waiter *intr_list;
static struct cn_spinlock intr_lock = CN_SPINLOCK_INIT;

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

static void fill_info(siginfo_t *info, int sig, int code)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = code;
	info->si_pid = getpid();
}

/*
 * Runs sig's action in this thread (sig is not blocked here), with info
 * (NULL: sent by kill()). 0: no handler ran (ignored); 1: a handler with
 * SA_RESTART; -EINTR: without.
 */
static int deliver(int sig, const siginfo_t *info)
{
	struct sigaction act;
	sigset_t saved = mask;
	siginfo_t si;
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
	/* A handler that leaves with (sig)longjmp skips the restore below:
	 * the mask stays as in the handler unless siglongjmp restores it. */
	if (act.sa_flags & SA_SIGINFO) {
		if (info)
			si = *info;
		else
			fill_info(&si, sig, SI_USER);
		act.sa_sigaction(sig, &si, NULL);
	} else {
		act.sa_handler(sig);
	}
	mask = saved;
	return act.sa_flags & SA_RESTART ? 1 : -EINTR;
}

/* The calling thread's slot of signals for it alone, or NULL. Locked. */
static struct thread_pending *own_pending(void)
{
	struct cn_thread *self = cn_thread_current();
	int i;

	for (i = 0; i < NR_THREAD_PENDING; i++)
		if (thread_pending[i].thread == self)
			return &thread_pending[i];
	return NULL;
}

/*
 * What is pending for the calling thread: the process's and its own. No
 * lock: only this thread takes its own slot or frees it, and a signal
 * being sent meanwhile is seen by whoever looks after it (see intr_lock).
 */
static sigset_t pending_here(void)
{
	struct cn_thread *self = cn_thread_current();
	sigset_t set = __atomic_load_n(&pending, __ATOMIC_ACQUIRE);
	int i;

	for (i = 0; i < NR_THREAD_PENDING; i++)
		if (__atomic_load_n(&thread_pending[i].thread,
				    __ATOMIC_ACQUIRE) == self)
			set |= __atomic_load_n(&thread_pending[i].set,
					       __ATOMIC_RELAXED);
	return set;
}

/*
 * Takes one pending signal that is in take (the thread's own first, then
 * the process's) and fills *info: 0 if none.
 */
static int take_set(sigset_t take, siginfo_t *info)
{
	unsigned long irq;
	struct thread_pending *tp;
	sigset_t ready;
	int sig = 0;

	if (!(pending_here() & take))
		return 0;		/* the usual case, without a lock */
	irq = cn_big_lock();
	tp = own_pending();
	if (tp && (ready = tp->set & take)) {
		sig = __builtin_ctzl(ready);
		tp->set &= ~BIT(sig);
		if (!tp->set)
			tp->thread = NULL;
		fill_info(info, sig, SI_USER);
	} else if ((ready = pending & take)) {
		sig = __builtin_ctzl(ready);
		pending &= ~BIT(sig);
		*info = infos[sig];
	}
	cn_big_unlock(irq);
	return sig;
}

/* Delivers every pending signal the thread's mask lets through. */
static int deliver_pending(void)
{
	siginfo_t info;
	int sig, n = 0;

	while ((sig = take_set(~mask, &info))) {
		deliver(sig, &info);
		n++;
	}
	return n;
}

/*
 * Wakes the interruptible waits that take sig (only target's, unless
 * NULL); false if none. With the big lock held.
 */
static bool intr_wake(int sig, struct cn_thread *target)
{
	unsigned long irq = cn_spin_lock_irqsave(&intr_lock);
	struct intr_waiter *w;
	bool any = false;

	for (w = intr_list; w; w = w->next) {
		if (target && w->thread != target)
			continue;
		if (!(w->blocked & BIT(sig))) {
			w->wake(w->arg);
			any = true;
		}
	}
	cn_spin_unlock_irqrestore(&intr_lock, irq);
	return any;
}

/* A thread in sigsuspend, pause or sigwait takes sig. Locked. */
static bool sleeper_takes(int sig)
{
	struct sleeper *w;

	for (w = sleepers; w; w = w->next)
		if (w->accept & BIT(sig))
			return true;
	return false;
}

int cn_signal_post_info(const siginfo_t *info, sigset_t blocked_for,
			bool run_here)
{
	int sig = info->si_signo;
	unsigned long irq = cn_big_lock();
	bool waiting;
	siginfo_t si;

	/* A second one while pending is lost, with its value. */
	if (!(pending & BIT(sig)))
		infos[sig] = *info;
	pending |= BIT(sig);
	cn_waitq_wake_all(&waiters);
	/* sigsuspend/sigwait first, then a blocking call it interrupts. */
	waiting = sleeper_takes(sig) || intr_wake(sig, NULL);
	cn_big_unlock(irq);
	if (run_here && !waiting && !(blocked_for & BIT(sig)) &&
	    take_set(BIT(sig), &si) == sig)
		deliver(sig, &si);
	return 0;
}

int cn_signal_post(int sig, sigset_t blocked_for, bool run_here)
{
	siginfo_t info;

	fill_info(&info, sig, SI_USER);
	return cn_signal_post_info(&info, blocked_for, run_here);
}

bool cn_signal_is_pending(int sig)
{
	return (pending & BIT(sig)) != 0;
}

void cn_signal_intr_begin(void (*wake)(void *), void *arg)
{
	unsigned long irq = cn_spin_lock_irqsave(&intr_lock);

	intr_self.thread = cn_thread_current();
	intr_self.blocked = mask;
	intr_self.wake = wake;
	intr_self.arg = arg;
	intr_self.next = intr_list;
	intr_list = &intr_self;
	cn_spin_unlock_irqrestore(&intr_lock, irq);
}

/* cn_signal_intr_begin_mask(): the mask to put back at the end. */
static __thread sigset_t intr_restore;
static __thread bool intr_masked;

void cn_signal_intr_begin_mask(const sigset_t *set, void (*wake)(void *),
			       void *arg)
{
	intr_restore = mask;
	intr_masked = true;
	mask = *set & ~UNBLOCKABLE;	/* nothing is delivered here */
	cn_signal_intr_begin(wake, arg);
}

bool cn_signal_intr_pending(void)
{
	return (pending_here() & ~mask) != 0;
}

int cn_signal_intr_end(void)
{
	unsigned long irq = cn_spin_lock_irqsave(&intr_lock);
	struct intr_waiter **p;
	siginfo_t info;
	int sig, r = 0;

	for (p = &intr_list; *p; p = &(*p)->next) {
		if (*p == &intr_self) {
			*p = intr_self.next;
			break;
		}
	}
	cn_spin_unlock_irqrestore(&intr_lock, irq);
	while ((sig = take_set(~mask, &info))) {
		int d = deliver(sig, &info);

		if (d < 0)
			r = -EINTR;
		else if (d > 0 && !r)
			r = 1;
	}
	if (intr_masked) {
		/*
		 * The thread's own mask again; what it lets through and the
		 * wait's mask held back runs now, as Linux delivers it on
		 * the way out of ppoll or pselect, not counted as the
		 * wait's interruption.
		 */
		intr_masked = false;
		mask = intr_restore;
		deliver_pending();
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

		if (!(pending & BIT(sig)))
			fill_info(&infos[sig], sig, SI_USER);
		pending |= BIT(sig);
		cn_big_unlock(irq);
		return 0;
	}
	deliver(sig, NULL);
	return 0;
}

/* pid names this process: its pid, its group (0, -pid) or everyone. */
static bool ourselves(pid_t pid)
{
	return pid == getpid() || pid == 0 || pid == -1 || pid == -getpid();
}

int kill(pid_t pid, int sig)
{
	if (sig < 0 || sig >= _NSIG) {
		errno = EINVAL;
		return -1;
	}
	if (!ourselves(pid)) {
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

/* As kill() of our own pid, with a value for SA_SIGINFO handlers. */
int sigqueue(pid_t pid, int sig, const union sigval value)
{
	siginfo_t info;

	if (sig < 0 || sig >= _NSIG) {
		errno = EINVAL;
		return -1;
	}
	/* Linux's sigqueue takes one process: no groups, no -1. */
	if (pid != getpid()) {
		errno = ESRCH;
		return -1;
	}
	if (!sig)
		return 0;
	fill_info(&info, sig, SI_QUEUE);
	info.si_value = value;
	cn_signal_post_info(&info, mask, true);
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

struct find_thread {
	struct cn_thread *t;
	bool alive;
};

static void find_one(struct cn_thread *t, void *arg)
{
	struct find_thread *f = arg;

	if (t == f->t && cn_thread_state(t) != CN_THREAD_EXITED)
		f->alive = true;
}

/* Frees the slots of threads that ended with signals pending. Locked. */
static void sweep_thread_pending(void)
{
	int i;

	for (i = 0; i < NR_THREAD_PENDING; i++) {
		struct find_thread f = { thread_pending[i].thread, false };

		if (!f.t)
			continue;
		cn_thread_foreach(find_one, &f);
		if (!f.alive)
			thread_pending[i].thread = NULL;
	}
}

/*
 * Makes sig pending for t alone. t runs its action when it next takes
 * signals (it raises one, changes its mask, waits in sigsuspend/sigwait
 * or in a blocking call that a signal interrupts: that call is woken).
 * Nothing stops t where it runs: no asynchronous delivery.
 */
int pthread_kill(struct cn_thread *t, int sig)
{
	struct find_thread f = { t, false };
	unsigned long irq;
	int i, r = 0;

	if (sig < 0 || sig >= _NSIG)
		return EINVAL;
	irq = cn_big_lock();
	cn_thread_foreach(find_one, &f);
	cn_big_unlock(irq);
	if (!f.alive)
		return ESRCH;
	if (!sig)
		return 0;
	if (t == cn_thread_current()) {
		if (mask & BIT(sig)) {
			irq = cn_big_lock();
			struct thread_pending *tp = own_pending();

			for (i = 0; !tp && i < NR_THREAD_PENDING; i++)
				if (!thread_pending[i].thread)
					tp = &thread_pending[i];
			if (tp) {
				tp->thread = t;
				tp->set |= BIT(sig);
			} else {
				r = EAGAIN;
			}
			cn_big_unlock(irq);
			return r;
		}
		deliver(sig, NULL);
		return 0;
	}
	irq = cn_big_lock();
	{
		struct thread_pending *tp = NULL, *free_slot = NULL;

		for (i = 0; i < NR_THREAD_PENDING; i++) {
			if (thread_pending[i].thread == t)
				tp = &thread_pending[i];
			else if (!thread_pending[i].thread && !free_slot)
				free_slot = &thread_pending[i];
		}
		if (!tp && !free_slot) {
			sweep_thread_pending();
			for (i = 0; !free_slot && i < NR_THREAD_PENDING; i++)
				if (!thread_pending[i].thread)
					free_slot = &thread_pending[i];
		}
		if (!tp && free_slot) {
			tp = free_slot;
			tp->thread = t;
			tp->set = 0;
		}
		if (tp) {
			tp->set |= BIT(sig);
			cn_waitq_wake_all(&waiters);
			intr_wake(sig, t);
		} else {
			r = EAGAIN;	/* as Linux when its queue is full */
		}
	}
	cn_big_unlock(irq);
	return r;
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

/* flag 1: sig interrupts blocking calls (no SA_RESTART); 0: restarts. */
int siginterrupt(int sig, int flag)
{
	struct sigaction act;

	if (sigaction(sig, NULL, &act) < 0)
		return -1;
	if (flag)
		act.sa_flags &= ~SA_RESTART;
	else
		act.sa_flags |= SA_RESTART;
	return sigaction(sig, &act, NULL);
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
	*set = pending_here();
	return 0;
}

/*
 * Sleeps until a signal in accept is pending for this thread or until
 * deadline (0: none). Returns 0 or -ETIMEDOUT.
 */
static int sleep_for(sigset_t accept, uint64_t deadline)
{
	struct sleeper self = { .accept = accept };
	struct sleeper **p;
	unsigned long irq = cn_big_lock();
	int r = 0;

	if (!(pending_here() & accept)) {
		self.next = sleepers;
		sleepers = &self;
		r = cn_waitq_wait(&waiters, deadline);
		for (p = &sleepers; *p; p = &(*p)->next) {
			if (*p == &self) {
				*p = self.next;
				break;
			}
		}
	}
	cn_big_unlock(irq);
	return r == -ETIMEDOUT ? r : 0;
}

/* Waits with set as the mask until a signal was delivered: -1, EINTR. */
int sigsuspend(const sigset_t *set)
{
	sigset_t saved = mask;

	mask = *set & ~UNBLOCKABLE;
	while (!deliver_pending())
		sleep_for(~mask, 0);
	mask = saved;
	errno = EINTR;
	return -1;
}

int pause(void)
{
	sigset_t m = mask;

	return sigsuspend(&m);
}

/*
 * Takes a signal of set that is pending (normally blocked: set's
 * signals are not delivered, they are returned), waiting for one until
 * timeout (NULL: none). A signal outside set that the mask lets through
 * runs its handler and the wait fails with EINTR, as on Linux.
 */
int sigtimedwait(const sigset_t *set, siginfo_t *info,
		 const struct timespec *timeout)
{
	sigset_t want = *set & ~UNBLOCKABLE;
	uint64_t deadline = 0;
	siginfo_t si;
	int sig;

	if (timeout) {
		if (timeout->tv_sec < 0 || timeout->tv_nsec < 0 ||
		    timeout->tv_nsec >= 1000000000L) {
			errno = EINVAL;
			return -1;
		}
		/* Past about a century: as good as no timeout (and no
		 * overflow of the nanoseconds). */
		if ((uint64_t)timeout->tv_sec < (1ull << 32)) {
			deadline = cn_time_ns() +
				   (uint64_t)timeout->tv_sec * 1000000000ull +
				   (uint64_t)timeout->tv_nsec;
			if (!deadline)
				deadline = 1;
		} else {
			timeout = NULL;
		}
	}
	for (;;) {
		if ((sig = take_set(want, &si))) {
			if (info)
				*info = si;
			return sig;
		}
		if (deliver_pending()) {
			errno = EINTR;
			return -1;
		}
		if (timeout && cn_time_ns() >= deadline) {
			errno = EAGAIN;
			return -1;
		}
		sleep_for(want | ~mask, deadline);
	}
}

int sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
	return sigtimedwait(set, info, NULL);
}

/* Returns 0 and the signal in *sig; as glibc's, never EINTR. */
int sigwait(const sigset_t *set, int *sig)
{
	int r;

	do
		r = sigtimedwait(set, NULL, NULL);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return errno;
	*sig = r;
	return 0;
}

/*
 * The alternate signal stack is stored and reported with Linux's checks,
 * but handlers run on the thread's own stack (nothing here switches
 * stacks; a stack overflow is a guard-page crash report, not SIGSEGV),
 * so no thread is ever "on" it.
 */
int sigaltstack(const stack_t *ss, stack_t *old)
{
	stack_t prev = altstack;

	if (ss) {
		int mode = ss->ss_flags & ~CN_SS_AUTODISARM;

		if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK) {
			errno = EINVAL;
			return -1;
		}
		if (mode == SS_DISABLE) {
			altstack.ss_sp = NULL;
			altstack.ss_size = 0;
			altstack.ss_flags = SS_DISABLE;
		} else {
			if (ss->ss_size < MINSIGSTKSZ) {
				errno = ENOMEM;
				return -1;
			}
			altstack.ss_sp = ss->ss_sp;
			altstack.ss_size = ss->ss_size;
			altstack.ss_flags = ss->ss_flags & CN_SS_AUTODISARM;
		}
	}
	if (old)
		*old = prev;
	return 0;
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
