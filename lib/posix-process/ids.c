/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Process identity for an image that is one process: pid 1 (as the first
 * process of a Linux system), parent 0, its own session and group, run
 * by root. The setuid family succeeds for the ids the process has
 * (so code that drops privileges "to root" goes on) and fails with EPERM
 * for any other, as Linux does for a process that cannot switch users:
 * pretending to have become someone else would be a lie a security check
 * could rely on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <unistd.h>
#include <sys/types.h>

#define PID	1

int setresuid(uid_t r, uid_t e, uid_t s);
int setresgid(gid_t r, gid_t e, gid_t s);
int getresuid(uid_t *r, uid_t *e, uid_t *s);
int getresgid(gid_t *r, gid_t *e, gid_t *s);

pid_t getpid(void)
{
	return PID;
}

pid_t getppid(void)
{
	return 0;
}

pid_t getpgrp(void)
{
	return PID;
}

pid_t getpgid(pid_t pid)
{
	if (pid && pid != PID) {
		errno = ESRCH;
		return -1;
	}
	return PID;
}

pid_t getsid(pid_t pid)
{
	return getpgid(pid);
}

/* Already the leader of its session and group: Linux's EPERM. */
pid_t setsid(void)
{
	errno = EPERM;
	return -1;
}

int setpgid(pid_t pid, pid_t pgid)
{
	if ((pid && pid != PID) || pgid < 0) {
		errno = pid && pid != PID ? ESRCH : EINVAL;
		return -1;
	}
	if (pgid && pgid != PID) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

uid_t getuid(void)
{
	return 0;
}

uid_t geteuid(void)
{
	return 0;
}

gid_t getgid(void)
{
	return 0;
}

gid_t getegid(void)
{
	return 0;
}

/* No supplementary groups. */
int getgroups(int size, gid_t list[])
{
	(void)list;
	if (size < 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static bool other(uid_t id)
{
	return id && id != (uid_t)-1;
}

/* 0 if every id is 0 or -1 (unchanged), else EPERM. (gid_t is uid_t's
 * type: 16 bits in picolibc.) */
static int same_ids(uid_t a, uid_t b, uid_t c)
{
	_Static_assert(sizeof(uid_t) == sizeof(gid_t), "uid_t vs gid_t");
	if (other(a) || other(b) || other(c)) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

int setuid(uid_t uid)
{
	if (uid == (uid_t)-1) {
		errno = EINVAL;
		return -1;
	}
	return same_ids(uid, 0, 0);
}

int seteuid(uid_t uid)
{
	return setuid(uid);
}

int setgid(gid_t gid)
{
	if (gid == (gid_t)-1) {
		errno = EINVAL;
		return -1;
	}
	return same_ids(gid, 0, 0);
}

int setegid(gid_t gid)
{
	return setgid(gid);
}

int setreuid(uid_t r, uid_t e)
{
	return same_ids(r, e, 0);
}

int setregid(gid_t r, gid_t e)
{
	return same_ids(r, e, 0);
}

int setresuid(uid_t r, uid_t e, uid_t s)
{
	return same_ids(r, e, s);
}

int setresgid(gid_t r, gid_t e, gid_t s)
{
	return same_ids(r, e, s);
}

int getresuid(uid_t *r, uid_t *e, uid_t *s)
{
	*r = *e = *s = 0;
	return 0;
}

int getresgid(gid_t *r, gid_t *e, gid_t *s)
{
	*r = *e = *s = 0;
	return 0;
}

int setgroups(int n, const gid_t *list)
{
	(void)list;
	if (n < 0) {
		errno = EINVAL;
		return -1;
	}
	return n ? same_ids(1, 0, 0) : 0;
}
