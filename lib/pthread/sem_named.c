/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * POSIX named semaphores in one process: sem_open() of a name gives the
 * same semaphore to every caller until the last sem_close() after a
 * sem_unlink(), as on Linux (where they live in /dev/shm); names follow
 * glibc's rules (leading slashes dropped, no other slash, not empty,
 * shorter than NAME_MAX - 4). Nothing survives the image.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <semaphore.h>
#include <sys/types.h>
#include <cairn/sync.h>

struct named_sem {
	sem_t sem;			/* first: what callers get */
	struct named_sem *next;
	unsigned int opens;		/* sem_open()s not yet closed */
	bool linked;			/* the name still finds it */
	char name[];
};

static struct named_sem *all;
static struct cn_mutex lock = CN_MUTEX_INIT;

/* The name without its leading slashes, or NULL and errno. */
static const char *check_name(const char *name)
{
	size_t len;

	if (!name) {
		errno = EINVAL;
		return NULL;
	}
	while (*name == '/')
		name++;
	len = strlen(name);
	if (!len || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..")) {
		errno = EINVAL;
		return NULL;
	}
	if (len >= NAME_MAX - 4) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return name;
}

static struct named_sem *find(const char *name)
{
	struct named_sem *n;

	for (n = all; n; n = n->next)
		if (n->linked && !strcmp(n->name, name))
			return n;
	return NULL;
}

static void forget(struct named_sem *n)
{
	struct named_sem **pp;

	for (pp = &all; *pp != n; pp = &(*pp)->next)
		;
	*pp = n->next;
	free(n);
}

sem_t *sem_open(const char *name, int oflag, ...)
{
	const char *key = check_name(name);
	unsigned int value = 0;
	struct named_sem *n;
	sem_t *r = SEM_FAILED;

	if (!key)
		return SEM_FAILED;
	if (oflag & O_CREAT) {
		va_list ap;

		va_start(ap, oflag);
		(void)va_arg(ap, int);		/* mode: one user */
		value = va_arg(ap, unsigned int);
		va_end(ap);
	}
	cn_mutex_lock(&lock);
	n = find(key);
	if (n) {
		if ((oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
			errno = EEXIST;
			goto out;
		}
	} else if (!(oflag & O_CREAT)) {
		errno = ENOENT;
		goto out;
	} else if (value > SEM_VALUE_MAX) {
		errno = EINVAL;
		goto out;
	} else {
		n = calloc(1, sizeof(*n) + strlen(key) + 1);
		if (!n) {
			errno = ENOMEM;
			goto out;
		}
		strcpy(n->name, key);
		sem_init(&n->sem, 0, value);
		n->linked = true;
		n->next = all;
		all = n;
	}
	n->opens++;
	r = &n->sem;
out:
	cn_mutex_unlock(&lock);
	return r;
}

int sem_close(sem_t *s)
{
	struct named_sem *n;
	int r = -1;

	cn_mutex_lock(&lock);
	for (n = all; n && &n->sem != s; n = n->next)
		;
	if (!n || !n->opens) {
		errno = EINVAL;		/* not from sem_open() */
	} else {
		if (!--n->opens && !n->linked)
			forget(n);
		r = 0;
	}
	cn_mutex_unlock(&lock);
	return r;
}

int sem_unlink(const char *name)
{
	const char *key = check_name(name);
	struct named_sem *n;
	int r = -1;

	if (!key)
		return -1;
	cn_mutex_lock(&lock);
	n = find(key);
	if (!n) {
		errno = ENOENT;
	} else {
		n->linked = false;
		if (!n->opens)
			forget(n);
		r = 0;
	}
	cn_mutex_unlock(&lock);
	return r;
}
