/* SPDX-License-Identifier: BSD-3-Clause */
/* lwIP's OS abstraction on Cairn's threads, semaphores and mutexes. */
#ifndef CAIRN_LWIP_SYS_ARCH_H
#define CAIRN_LWIP_SYS_ARCH_H

#include <cairn/sched.h>
#include <cairn/sync.h>

typedef struct {
	struct cn_sem sem;
	int valid;
} sys_sem_t;

typedef struct {
	struct cn_mutex mutex;
	int valid;
} sys_mutex_t;

struct cn_lwip_mbox;
typedef struct cn_lwip_mbox *sys_mbox_t;
typedef struct cn_thread *sys_thread_t;
typedef unsigned long sys_prot_t;

#define sys_sem_valid(s)		((s)->valid)
#define sys_sem_set_invalid(s)		((s)->valid = 0)
#define sys_mutex_valid(m)		((m)->valid)
#define sys_mutex_set_invalid(m)	((m)->valid = 0)
#define sys_mbox_valid(mb)		(*(mb) != NULL)
#define sys_mbox_set_invalid(mb)	(*(mb) = NULL)

#endif
