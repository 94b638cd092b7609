/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/posix-process's private declarations: on no other library's path. */
#ifndef CAIRN_POSIX_PROCESS_PRIV_H
#define CAIRN_POSIX_PROCESS_PRIV_H

#include <stddef.h>

/* Threads that exist (tid_sched.c), or 1 without lib/sched (tid_none.c). */
unsigned int cn_posix_process_nr_threads(void);

/*
 * The calling thread's name for prctl (tid_*.c): the scheduler's name,
 * written to buf (len > 0) cut to len - 1 bytes and terminated.
 */
void cn_posix_process_thread_name(char *buf, size_t len);

/*
 * Heap bytes in total and free (mem_alloc.c from the allocator's
 * statistics; mem_none.c: the RAM, and 0 free as nothing says).
 */
void cn_posix_process_mem(unsigned long *total, unsigned long *free);

#endif
