/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The process's timers: alarm(), ualarm() and setitimer(ITIMER_REAL)
 * share one (as on Linux), and timer_create() makes more (POSIX
 * per-process timers on CLOCK_REALTIME and CLOCK_MONOTONIC). A thread of
 * this library ("sigalrm", made at the first armed timer) sleeps until
 * the earliest deadline and then acts for each timer that expired:
 * SIGEV_SIGNAL posts the signal (a thread in sigsuspend/pause/sigwait
 * that takes it gets it; otherwise the action runs in the sigalrm thread
 * itself, unless the thread that armed the timer blocked the signal then:
 * it stays pending); SIGEV_THREAD starts a detached thread that calls
 * the function; SIGEV_NONE does nothing (timer_gettime() shows the time
 * left). A repeating timer whose expirations come faster than they are
 * handled counts the missed ones (timer_getoverrun()) rather than
 * queueing them. With no handler, SIGALRM's default action ends the
 * image (status 71, "terminated by signal 14 (SIGALRM)"), as Linux ends
 * the process.
 *
 * Deadlines are kept on the monotonic clock: an absolute CLOCK_REALTIME
 * time is converted when the timer is armed, so a later clock_settime()
 * does not move it (Linux would).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <cairn/arch.h>
#include <cairn/biglock.h>
#include <cairn/errname.h>
#include <cairn/log.h>
#include <cairn/sched.h>
#include <cairn/timer.h>
#include "signal_priv.h"

#define NSEC		1000000000ull
#define NR_TIMERS	64		/* slot 0: the ITIMER_REAL one */
/* Shortest period: a shorter one would keep the sigalrm thread busy. */
#define MIN_INTERVAL	100000ull

struct ptimer {
	bool used;
	clockid_t clock;
	struct sigevent ev;
	uint64_t deadline;	/* cn_time_ns(); 0: disarmed */
	uint64_t interval;	/* ns; 0: one shot */
	int overrun;		/* expirations missed since the last signal */
	sigset_t blocked_then;	/* the arming thread's mask */
};

static struct ptimer timers[NR_TIMERS];	/* under the big lock */
static struct cn_thread *thread;
static struct cn_waitq sleeper = CN_WAITQ_INIT;

struct notify {
	void (*fn)(union sigval);
	union sigval value;
};

static void *notify_thread(void *arg)
{
	struct notify n = *(struct notify *)arg;

	free(arg);
	n.fn(n.value);
	return NULL;
}

/* Acts for t, which expired (big lock not held; t's copy). */
static void fire(struct ptimer *t, int id)
{
	struct cn_thread_attr attr = { .name = "sigev_thread",
				       .flags = CN_THREAD_DETACHED };
	struct notify *n;
	siginfo_t info;

	switch (t->ev.sigev_notify) {
	case SIGEV_SIGNAL:
		memset(&info, 0, sizeof(info));
		info.si_signo = t->ev.sigev_signo;
		info.si_code = SI_TIMER;
		info.si_pid = getpid();
		info.si_value = t->ev.sigev_value;
		cn_signal_post_info(&info, t->blocked_then, true);
		break;
	case SIGEV_THREAD:
		n = malloc(sizeof(*n));
		if (n) {
			n->fn = t->ev.sigev_notify_function;
			n->value = t->ev.sigev_value;
			if (cn_thread_create(NULL, &attr, notify_thread, n) == 0)
				break;
			free(n);
		}
		cn_pr_warn("timer %d: no thread for SIGEV_THREAD: out of memory",
			   id);
		break;
	default:
		break;
	}
}

/*
 * Takes an expired timer at now: rearms a repeating one past now
 * (counting what it missed) and copies it for fire(). Locked. 0 if none
 * is due, else the earliest deadline after now in *next.
 */
static int take_expired(uint64_t now, struct ptimer *out, uint64_t *next)
{
	int i, found = -1;

	*next = 0;
	for (i = 0; i < NR_TIMERS; i++) {
		struct ptimer *t = &timers[i];

		if (!t->used || !t->deadline)
			continue;
		if (found < 0 && t->deadline <= now) {
			uint64_t missed = 0;

			if (t->interval) {
				missed = (now - t->deadline) / t->interval;
				t->deadline += (missed + 1) * t->interval;
			} else {
				t->deadline = 0;
			}
			/* A signal still pending: this expiration is lost. */
			if (t->ev.sigev_notify == SIGEV_SIGNAL &&
			    cn_signal_is_pending(t->ev.sigev_signo)) {
				missed++;
				t->overrun += missed > INT32_MAX ? INT32_MAX :
								   (int)missed;
				if (t->overrun < 0)
					t->overrun = INT32_MAX;
				out->ev.sigev_notify = SIGEV_NONE;
			} else {
				t->overrun = missed > INT32_MAX ? INT32_MAX :
								  (int)missed;
				*out = *t;
			}
			found = i;
		}
		if (t->deadline && (!*next || t->deadline < *next))
			*next = t->deadline;
	}
	return found;
}

static void *timer_thread(void *arg)
{
	(void)arg;
	for (;;) {
		unsigned long irq = cn_big_lock();
		struct ptimer t = { .ev.sigev_notify = SIGEV_NONE };
		uint64_t next;
		int id = take_expired(cn_time_ns(), &t, &next);

		if (id < 0)
			cn_waitq_wait(&sleeper, next);
		cn_big_unlock(irq);
		if (id >= 0)
			fire(&t, id);
	}
	return NULL;
}

/* Starts the sigalrm thread if it is not running: 0 or -ENOMEM. */
static int need_thread(void)
{
	struct cn_thread_attr attr = { .name = "sigalrm",
				       .flags = CN_THREAD_DETACHED };
	static struct cn_thread *starting;
	unsigned long irq = cn_big_lock();
	bool mine = !thread && !starting;
	int r = 0;

	if (mine)
		starting = (struct cn_thread *)1;
	cn_big_unlock(irq);
	if (!mine)
		return 0;
	r = cn_thread_create(&thread, &attr, timer_thread, NULL);
	if (r < 0) {
		cn_pr_err("no thread for the timers: %s", cn_errname(r));
		starting = NULL;
	}
	return r;
}

/* Times past MAX_SEC (136 years) are cut there: no overflow of the ns. */
#define MAX_SEC		(1ull << 32)

static uint64_t ts_ns(const struct timespec *ts)
{
	uint64_t sec = (uint64_t)ts->tv_sec;

	return (sec < MAX_SEC ? sec : MAX_SEC) * NSEC + (uint64_t)ts->tv_nsec;
}

static void ns_ts(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / NSEC);
	ts->tv_nsec = (long)(ns % NSEC);
}

static bool ts_valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < (long)NSEC;
}

/* t's time left and period, ns. Locked. */
static void get_left(const struct ptimer *t, uint64_t now, uint64_t *left,
		     uint64_t *interval)
{
	*left = !t->deadline ? 0 : t->deadline > now ? t->deadline - now : 1;
	*interval = t->interval;
}

/*
 * Arms t to expire at deadline (cn_time_ns(); 0: disarms) and every
 * interval ns after, returning what was left before in *old_left and
 * *old_interval. 0 or -ENOMEM (no sigalrm thread).
 */
static int arm(struct ptimer *t, uint64_t deadline, uint64_t interval,
	       uint64_t *old_left, uint64_t *old_interval)
{
	uint64_t now = cn_time_ns();
	unsigned long irq;
	int r;

	if (deadline && (r = need_thread()) < 0)
		return r;
	if (interval && interval < MIN_INTERVAL)
		interval = MIN_INTERVAL;
	irq = cn_big_lock();
	if (old_left)
		get_left(t, now, old_left, old_interval);
	t->deadline = deadline;
	t->interval = deadline ? interval : 0;
	t->overrun = 0;
	t->blocked_then = cn_signal_mask();
	cn_waitq_wake_all(&sleeper);
	cn_big_unlock(irq);
	return 0;
}

/* The ITIMER_REAL timer: SIGALRM for the process. */
static struct ptimer *itimer_real(void)
{
	struct ptimer *t = &timers[0];

	if (!t->used) {
		t->used = true;
		t->clock = CLOCK_MONOTONIC;
		t->ev.sigev_notify = SIGEV_SIGNAL;
		t->ev.sigev_signo = SIGALRM;
	}
	return t;
}

static uint64_t tv_ns(const struct timeval *tv)
{
	uint64_t sec = (uint64_t)tv->tv_sec;

	return (sec < MAX_SEC ? sec : MAX_SEC) * NSEC +
	       (uint64_t)tv->tv_usec * 1000;
}

static void ns_tv(uint64_t ns, struct timeval *tv)
{
	/* Rounded up: an armed timer never reads as 0. */
	ns = (ns + 999) / 1000;
	tv->tv_sec = (time_t)(ns / 1000000);
	tv->tv_usec = (suseconds_t)(ns % 1000000);
}

static bool tv_valid(const struct timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

int getitimer(int which, struct itimerval *value)
{
	uint64_t left = 0, interval = 0;
	unsigned long irq;

	if (which != ITIMER_REAL && which != ITIMER_VIRTUAL &&
	    which != ITIMER_PROF) {
		errno = EINVAL;
		return -1;
	}
	/* The CPU-time timers are never armed (setitimer refuses them). */
	if (which == ITIMER_REAL) {
		irq = cn_big_lock();
		get_left(itimer_real(), cn_time_ns(), &left, &interval);
		cn_big_unlock(irq);
	}
	ns_tv(left, &value->it_value);
	ns_tv(interval, &value->it_interval);
	return 0;
}

int setitimer(int which, const struct itimerval *value,
	      struct itimerval *old)
{
	static const struct itimerval zero;
	uint64_t left = 0, interval = 0, ns;
	int r;

	if (which != ITIMER_REAL && which != ITIMER_VIRTUAL &&
	    which != ITIMER_PROF) {
		errno = EINVAL;
		return -1;
	}
	if (!value)		/* Linux still takes NULL as "disarm" */
		value = &zero;
	if (!tv_valid(&value->it_value) || !tv_valid(&value->it_interval)) {
		errno = EINVAL;
		return -1;
	}
	if (which != ITIMER_REAL) {
		static bool said;

		/* No CPU-time accounting per process: disarming is fine. */
		if (value->it_value.tv_sec || value->it_value.tv_usec) {
			if (!said) {
				said = true;
				cn_pr_warn("setitimer(%s) is not supported (no "
					   "CPU-time accounting): ENOSYS",
					   which == ITIMER_PROF ? "ITIMER_PROF"
								: "ITIMER_VIRTUAL");
			}
			errno = ENOSYS;
			return -1;
		}
		if (old)
			*old = zero;
		return 0;
	}
	ns = tv_ns(&value->it_value);
	r = arm(itimer_real(), ns ? cn_time_ns() + ns : 0,
		tv_ns(&value->it_interval), &left, &interval);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	if (old) {
		ns_tv(left, &old->it_value);
		ns_tv(interval, &old->it_interval);
	}
	return 0;
}

unsigned int alarm(unsigned int seconds)
{
	struct itimerval v = { .it_value.tv_sec = seconds }, old;

	if (setitimer(ITIMER_REAL, &v, &old) < 0)
		return 0;
	/* Linux rounds what was left to the nearest second, at least 1. */
	if (!old.it_value.tv_sec && !old.it_value.tv_usec)
		return 0;
	return (unsigned int)(old.it_value.tv_sec +
			      (old.it_value.tv_usec >= 500000)) ?: 1;
}

useconds_t ualarm(useconds_t usecs, useconds_t interval)
{
	struct itimerval v = {
		.it_value = { usecs / 1000000, usecs % 1000000 },
		.it_interval = { interval / 1000000, interval % 1000000 },
	}, old;

	if (setitimer(ITIMER_REAL, &v, &old) < 0)
		return (useconds_t)-1;
	return (useconds_t)(old.it_value.tv_sec * 1000000 +
			    old.it_value.tv_usec);
}

/* The timer timer_create() made for id, or NULL. Locked. */
static struct ptimer *lookup(timer_t id)
{
	if (id == 0 || id >= NR_TIMERS || !timers[id].used)
		return NULL;
	return &timers[id];
}

int timer_create(clockid_t clock, struct sigevent *__restrict ev,
		 timer_t *__restrict id)
{
	struct ptimer t = { .used = true, .clock = clock };
	unsigned long irq;
	int i;

	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC &&
	    clock != CLOCK_BOOTTIME) {
		errno = EINVAL;
		return -1;
	}
	if (ev) {
		t.ev = *ev;
		switch (ev->sigev_notify) {
		case SIGEV_SIGNAL:
			if (ev->sigev_signo <= 0 || ev->sigev_signo >= _NSIG) {
				errno = EINVAL;
				return -1;
			}
			break;
		case SIGEV_THREAD:
			if (!ev->sigev_notify_function) {
				errno = EINVAL;
				return -1;
			}
			break;
		case SIGEV_NONE:
			break;
		default:
			errno = EINVAL;
			return -1;
		}
	} else {
		t.ev.sigev_notify = SIGEV_SIGNAL;
		t.ev.sigev_signo = SIGALRM;
	}
	irq = cn_big_lock();
	for (i = 1; i < NR_TIMERS && timers[i].used; i++)
		;
	if (i < NR_TIMERS) {
		if (!ev)	/* POSIX: the value is the timer's id */
			t.ev.sigev_value.sival_int = i;
		timers[i] = t;
	}
	cn_big_unlock(irq);
	if (i == NR_TIMERS) {
		errno = EAGAIN;		/* Linux: no more timers */
		return -1;
	}
	*id = (timer_t)i;
	return 0;
}

int timer_delete(timer_t id)
{
	unsigned long irq = cn_big_lock();
	struct ptimer *t = lookup(id);

	if (t)
		memset(t, 0, sizeof(*t));
	cn_big_unlock(irq);
	if (!t) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int timer_settime(timer_t id, int flags,
		  const struct itimerspec *__restrict value,
		  struct itimerspec *__restrict old)
{
	uint64_t left = 0, interval = 0, deadline = 0, now;
	struct timespec clk;
	struct ptimer *t;
	unsigned long irq;
	int r;

	irq = cn_big_lock();
	t = lookup(id);
	cn_big_unlock(irq);
	/* (A timer_delete() racing this one is the program's bug: the slot
	 * stays valid memory, at worst re-armed unused.) */
	if (!t) {
		errno = EINVAL;
		return -1;
	}
	if (!value) {
		errno = EFAULT;
		return -1;
	}
	if (!ts_valid(&value->it_value) || !ts_valid(&value->it_interval)) {
		errno = EINVAL;
		return -1;
	}
	now = cn_time_ns();
	if (value->it_value.tv_sec || value->it_value.tv_nsec) {
		uint64_t v = ts_ns(&value->it_value);

		if (!(flags & TIMER_ABSTIME)) {
			deadline = now + v;
		} else if (t->clock == CLOCK_REALTIME) {
			uint64_t real;

			clock_gettime(CLOCK_REALTIME, &clk);
			real = ts_ns(&clk);
			deadline = v > real ? now + (v - real) : now;
		} else {
			deadline = v;
		}
		if (!deadline)
			deadline = 1;	/* 0 means disarmed */
	}
	r = arm(t, deadline, ts_ns(&value->it_interval), &left, &interval);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	if (old) {
		ns_ts(left, &old->it_value);
		ns_ts(interval, &old->it_interval);
	}
	return 0;
}

int timer_gettime(timer_t id, struct itimerspec *value)
{
	unsigned long irq = cn_big_lock();
	struct ptimer *t = lookup(id);
	uint64_t left = 0, interval = 0;

	if (t)
		get_left(t, cn_time_ns(), &left, &interval);
	cn_big_unlock(irq);
	if (!t) {
		errno = EINVAL;
		return -1;
	}
	ns_ts(left, &value->it_value);
	ns_ts(interval, &value->it_interval);
	return 0;
}

int timer_getoverrun(timer_t id)
{
	unsigned long irq = cn_big_lock();
	struct ptimer *t = lookup(id);
	int n = t ? t->overrun : 0;

	cn_big_unlock(irq);
	if (!t) {
		errno = EINVAL;
		return -1;
	}
	return n;
}
