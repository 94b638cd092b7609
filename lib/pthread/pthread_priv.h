/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PTHREAD_PRIV_H
#define PTHREAD_PRIV_H

#include <stdint.h>
#include <cairn/sync.h>

/*
 * sem_intr.c / sem_plain.c: sem_wait()'s wait for a token until deadline
 * (cn_time_ns() scale, 0: none). 0, -ETIMEDOUT, or -EINTR when a signal
 * handler without SA_RESTART ran (with lib/posix-signal in the image).
 */
int cn_pthread_sem_block(struct cn_sem *s, uint64_t deadline);

#endif
