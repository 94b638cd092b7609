/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PTHREAD_PRIV_H
#define PTHREAD_PRIV_H

#include <stdint.h>
#include <time.h>
#include <cairn/sync.h>

/*
 * sem_intr.c / sem_plain.c: sem_wait()'s wait for a token until deadline
 * (cn_time_ns() scale, 0: none). 0, -ETIMEDOUT, or -EINTR when a signal
 * handler without SA_RESTART ran (with lib/posix-signal in the image).
 */
int cn_pthread_sem_block(struct cn_sem *s, uint64_t deadline);

/* pthread.c: an absolute time on clock as a cn_time_ns() deadline. */
uint64_t cn_pthread_deadline(clockid_t clock, const struct timespec *abs);

/* pthread.c: runs the caller's key destructors (thread end). */
void cn_pthread_keys_run(void);

/*
 * cancel.c. cn_pthread_cancel_point(): acts on a pending cancellation
 * (does not return then). The wait pair brackets a blocking wait on q,
 * called with the big lock held: begin returns -ECANCELED (do not wait)
 * or 0, after which pthread_cancel() wakes the caller off q with -EINTR.
 * cn_pthread_thread_end(): the caller's thread ends; its cancellation
 * record goes. cn_pthread_cleanup_run(): pops and runs every handler.
 * cn_pthread_forget(): t was joined; drops any record left for it.
 * cn_pthread_exists(): 1 if t is a thread that exists (big lock held).
 */
void cn_pthread_cancel_point(void);
int cn_pthread_cancel_wait_begin(struct cn_waitq *q);
void cn_pthread_cancel_wait_end(void);
void cn_pthread_thread_end(void);
void cn_pthread_cleanup_run(void);
void cn_pthread_forget(struct cn_thread *t);
int cn_pthread_exists(struct cn_thread *t);

#endif
