/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/time's private declarations: not on any other library's path. */
#ifndef CAIRN_TIME_PRIV_H
#define CAIRN_TIME_PRIV_H

#include <stdint.h>

/*
 * The sleep behind nanosleep/usleep/sleep (sleep_intr.c with
 * lib/posix-signal, sleep_plain.c without): sleeps until deadline
 * (cn_time_ns() scale). 0 at the deadline; -EINTR when a signal handler
 * ran in this thread first.
 */
int cn_time_posix_sleep(uint64_t deadline);

#endif
