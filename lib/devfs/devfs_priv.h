/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/devfs. */
#ifndef DEVFS_PRIV_H
#define DEVFS_PRIV_H

#include <stdint.h>

/*
 * Fills out[0..n) from the CPU's random number instructions (RDSEED,
 * else RDRAND): 0, or -ENODEV when the CPU has neither, -EIO when they
 * keep failing.
 */
int cn_devfs_hw_seed(uint32_t *out, unsigned int n);

#endif
