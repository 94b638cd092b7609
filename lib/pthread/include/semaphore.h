/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * POSIX semaphores on Cairn's counting semaphores. These set errno and
 * return -1 (sem_open: SEM_FAILED) on failure. Named semaphores live in
 * the one process: the same name gives the same semaphore.
 */
#ifndef CAIRN_SEMAPHORE_H
#define CAIRN_SEMAPHORE_H

#include <time.h>
#include <cairn/sync.h>

typedef struct {
	struct cn_sem s;
} sem_t;

#define SEM_VALUE_MAX 0x7fffffff
#define SEM_FAILED ((sem_t *)0)

int sem_init(sem_t *s, int pshared, unsigned int value);
int sem_destroy(sem_t *s);
int sem_wait(sem_t *s);
int sem_trywait(sem_t *s);
int sem_timedwait(sem_t *s, const struct timespec *abs);
int sem_post(sem_t *s);
int sem_getvalue(sem_t *s, int *value);
/* oflag O_CREAT takes (mode_t mode, unsigned int value) after it. */
sem_t *sem_open(const char *name, int oflag, ...);
int sem_close(sem_t *s);
int sem_unlink(const char *name);

#endif
