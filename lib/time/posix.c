/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The C library's time calls on Cairn's clock: clock_gettime (MONOTONIC,
 * BOOTTIME, REALTIME, and the CPU-time clocks, which equal MONOTONIC in a
 * single-address-space image), clock_getres, clock_settime (REALTIME),
 * gettimeofday, settimeofday, nanosleep, usleep, sleep and times (for
 * clock()). A signal handler that runs while nanosleep, usleep or sleep
 * waits (lib/posix-signal) ends it early: EINTR and the time left;
 * clock_nanosleep does the same on REALTIME, MONOTONIC and BOOTTIME,
 * relative or absolute, and clock_getcpuclockid names the process's
 * CPU-time clock.
 * picolibc's time() and clock() are built on these. REALTIME is
 * the real-time clock read once, on first use, plus the monotonic clock.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>
#include <cairn/plat.h>
#include <cairn/timer.h>
#include "time_priv.h"

#define NSEC 1000000000ll

static int64_t realtime_offset;		/* REALTIME - MONOTONIC, in ns */
static int realtime_known;

static int64_t realtime_ns(void)
{
	if (!realtime_known) {
		uint64_t now = cn_time_ns();

		realtime_offset = (int64_t)cn_plat_rtc_seconds() * NSEC -
				  (int64_t)now;
		realtime_known = 1;
	}
	return (int64_t)cn_time_ns() + realtime_offset;
}

static void to_timespec(int64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / NSEC);
	ts->tv_nsec = (long)(ns % NSEC);
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
	switch (id) {
	case CLOCK_REALTIME:
		to_timespec(realtime_ns(), ts);
		return 0;
	case CLOCK_MONOTONIC:
#ifdef CLOCK_BOOTTIME
	case CLOCK_BOOTTIME:
#endif
#ifdef CLOCK_MONOTONIC_RAW
	case CLOCK_MONOTONIC_RAW:
#endif
#ifdef CLOCK_PROCESS_CPUTIME_ID
	case CLOCK_PROCESS_CPUTIME_ID:
#endif
#ifdef CLOCK_THREAD_CPUTIME_ID
	case CLOCK_THREAD_CPUTIME_ID:
#endif
		to_timespec((int64_t)cn_time_ns(), ts);
		return 0;
	}
	errno = EINVAL;
	return -1;
}

int clock_getres(clockid_t id, struct timespec *res)
{
	struct timespec ts;

	if (clock_gettime(id, &ts))
		return -1;
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = 1;
	}
	return 0;
}

int clock_settime(clockid_t id, const struct timespec *ts)
{
	if (id != CLOCK_REALTIME || ts->tv_nsec < 0 || ts->tv_nsec >= NSEC) {
		errno = EINVAL;
		return -1;
	}
	realtime_known = 1;
	realtime_offset = (int64_t)ts->tv_sec * NSEC + ts->tv_nsec -
			  (int64_t)cn_time_ns();
	return 0;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	int64_t ns = realtime_ns();

	if (tv) {
		tv->tv_sec = (time_t)(ns / NSEC);
		tv->tv_usec = (suseconds_t)(ns % NSEC / 1000);
	}
	return 0;
}

int settimeofday(const struct timeval *tv, const struct timezone *tz)
{
	struct timespec ts;

	if (!tv || tv->tv_usec < 0 || tv->tv_usec >= 1000000) {
		errno = EINVAL;
		return -1;
	}
	ts.tv_sec = tv->tv_sec;
	ts.tv_nsec = tv->tv_usec * 1000;
	return clock_settime(CLOCK_REALTIME, &ts);
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	uint64_t deadline, now;

	if (!req || req->tv_nsec < 0 || req->tv_nsec >= NSEC ||
	    req->tv_sec < 0) {
		errno = EINVAL;
		return -1;
	}
	deadline = cn_time_ns() + (uint64_t)req->tv_sec * NSEC +
		   (uint64_t)req->tv_nsec;
	if (cn_time_posix_sleep(deadline) == 0) {
		if (rem)
			rem->tv_sec = rem->tv_nsec = 0;
		return 0;
	}
	now = cn_time_ns();		/* a signal handler ran: EINTR */
	if (rem)
		to_timespec(now < deadline ? (int64_t)(deadline - now) : 0,
			    rem);
	errno = EINTR;
	return -1;
}

/*
 * POSIX returns the error number here instead of setting errno. An
 * absolute REALTIME deadline becomes a monotonic one when the sleep
 * starts: a clock_settime() during the sleep does not move it (Linux's
 * would). The CPU-time clocks cannot be slept on: the thread's is not
 * permitted (EINVAL, as Linux documents), the process's not supported.
 */
int clock_nanosleep(clockid_t id, int flags, const struct timespec *req,
		    struct timespec *rem)
{
	int64_t want, now_clock;
	uint64_t now, deadline;

	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
#ifdef CLOCK_BOOTTIME
	case CLOCK_BOOTTIME:
#endif
		break;
	case CLOCK_PROCESS_CPUTIME_ID:
		return ENOTSUP;
	default:
		return EINVAL;
	}
	if ((flags & ~TIMER_ABSTIME) || !req || req->tv_nsec < 0 ||
	    req->tv_nsec >= NSEC || req->tv_sec < 0)
		return EINVAL;
	want = (int64_t)req->tv_sec * NSEC + req->tv_nsec;
	now = cn_time_ns();
	if (flags & TIMER_ABSTIME) {
		now_clock = id == CLOCK_REALTIME ? realtime_ns() : (int64_t)now;
		want = want > now_clock ? want - now_clock : 0;
	}
	deadline = now + (uint64_t)want;
	if (cn_time_posix_sleep(deadline) == 0)
		return 0;
	now = cn_time_ns();		/* a signal handler ran */
	if (rem && !(flags & TIMER_ABSTIME))
		to_timespec(now < deadline ? (int64_t)(deadline - now) : 0,
			    rem);
	return EINTR;
}

/* The one process (pid 1, or 0 for the caller) has the one CPU clock. */
int clock_getcpuclockid(pid_t pid, clockid_t *id)
{
	if (pid != 0 && pid != 1)
		return ESRCH;
	if (!id)
		return EINVAL;
	*id = CLOCK_PROCESS_CPUTIME_ID;
	return 0;
}

int usleep(useconds_t us)
{
	struct timespec ts = { .tv_sec = us / 1000000,
			       .tv_nsec = (long)(us % 1000000) * 1000 };

	return nanosleep(&ts, NULL);
}

/* The seconds left, rounded up, when a signal handler cut it short. */
unsigned int sleep(unsigned int s)
{
	struct timespec ts = { .tv_sec = s, .tv_nsec = 0 }, rem;

	if (nanosleep(&ts, &rem) == 0)
		return 0;
	return (unsigned int)rem.tv_sec + (rem.tv_nsec > 0);
}

clock_t times(struct tms *buf)
{
	clock_t ticks = (clock_t)(cn_time_ns() / (NSEC / CLOCKS_PER_SEC));

	if (buf) {
		buf->tms_utime = ticks;
		buf->tms_stime = 0;
		buf->tms_cutime = 0;
		buf->tms_cstime = 0;
	}
	return ticks;
}
