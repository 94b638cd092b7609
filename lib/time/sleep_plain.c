/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/time's nanosleep/usleep/sleep without lib/posix-signal: no signal
 * can interrupt a sleep, it lasts until its deadline.
 */
#include <stdint.h>
#include <cairn/timer.h>
#include "time_priv.h"

int cn_time_posix_sleep(uint64_t deadline)
{
	cn_time_sleep_until(deadline);	/* -EINTR only for a killed thread */
	return 0;
}
