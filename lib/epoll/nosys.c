/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The readiness calls Cairn cannot honour: signalfd (signals run
 * handlers in the thread they interrupt; lib/posix-signal has no queue
 * a descriptor could read) and inotify (no file system announces its
 * changes). Each fails with ENOSYS, what Linux returns when built
 * without them, and says so once naming the call, so that a ported
 * program links and takes its fallback path (handlers, polling).
 */
#include <errno.h>
#include <stdbool.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <cairn/log.h>

/* Logs once per call site, sets errno; returns -1. */
#define NOSYS(what)							\
	({								\
		static bool said;					\
		if (!said) {						\
			said = true;					\
			cn_pr_warn("%s() is not supported: ENOSYS", what); \
		}							\
		errno = ENOSYS;						\
		-1;							\
	})

int signalfd(int fd, const sigset_t *mask, int flags)
{
	(void)fd, (void)mask, (void)flags;
	return NOSYS("signalfd");
}

int inotify_init(void)
{
	return NOSYS("inotify_init");
}

int inotify_init1(int flags)
{
	(void)flags;
	return NOSYS("inotify_init1");
}

int inotify_add_watch(int fd, const char *pathname, uint32_t mask)
{
	(void)fd, (void)pathname, (void)mask;
	return NOSYS("inotify_add_watch");
}

int inotify_rm_watch(int fd, int wd)
{
	(void)fd, (void)wd;
	return NOSYS("inotify_rm_watch");
}
