/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/blkdev (and its tests): its state of a registered device. */
#ifndef BLKDEV_PRIV_H
#define BLKDEV_PRIV_H

#include <cairn/blkdev.h>
#include <cairn/sched.h>

struct cn_blkdev_state {
	struct cn_waitq waitq;		/* threads waiting for a completion */
	unsigned int in_flight;		/* requests the driver holds */
};

#endif
