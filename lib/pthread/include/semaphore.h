/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * POSIX unnamed semaphores on Cairn's counting semaphores. These set
 * errno and return -1 on failure. Named semaphores are not provided.
 */
#ifndef CAIRN_SEMAPHORE_H
#define CAIRN_SEMAPHORE_H

#include <time.h>
#include <cairn/sync.h>

typedef struct {
	struct cn_sem s;
} sem_t;

#define SEM_VALUE_MAX 0x7fffffff

int sem_init(sem_t *s, int pshared, unsigned int value);
int sem_destroy(sem_t *s);
int sem_wait(sem_t *s);
int sem_trywait(sem_t *s);
int sem_timedwait(sem_t *s, const struct timespec *abs);
int sem_post(sem_t *s);
int sem_getvalue(sem_t *s, int *value);

#endif
