/* SPDX-License-Identifier: BSD-3-Clause */
/* Architectures without a random instruction known to devfs. */
#include <errno.h>
#include "devfs_priv.h"

int cn_devfs_hw_seed(uint32_t *out, unsigned int n)
{
	(void)out, (void)n;
	return -ENODEV;
}
