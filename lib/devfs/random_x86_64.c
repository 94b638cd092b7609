/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RDSEED and RDRAND, when CPUID says the CPU has them (QEMU's TCG does
 * with -cpu max, from the host's getrandom). RDSEED draws from the
 * conditioned entropy source itself and is preferred for keys; either
 * may fail transiently (carry clear) under load, hence the retries.
 */
#include <errno.h>
#include <stdbool.h>
#include "devfs_priv.h"

#define RETRIES 32

static int features = -1;	/* bit 0: RDRAND, bit 1: RDSEED */

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static int detect(void)
{
	uint32_t r[4];
	int f = 0;

	cpuid(0, 0, r);
	if (r[0] >= 1) {
		uint32_t max = r[0];

		cpuid(1, 0, r);
		if (r[2] & (1u << 30))
			f |= 1;
		if (max >= 7) {
			cpuid(7, 0, r);
			if (r[1] & (1u << 18))
				f |= 2;
		}
	}
	return f;
}

static bool rdseed(uint64_t *v)
{
	unsigned char ok;

	__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
	return ok;
}

static bool rdrand(uint64_t *v)
{
	unsigned char ok;

	__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
	return ok;
}

static bool one(uint64_t *v)
{
	int i;

	for (i = 0; (features & 2) && i < RETRIES; i++)
		if (rdseed(v))
			return true;
	for (i = 0; (features & 1) && i < RETRIES; i++)
		if (rdrand(v))
			return true;
	return false;
}

int cn_devfs_hw_seed(uint32_t *out, unsigned int n)
{
	uint64_t v;
	unsigned int i;

	if (features < 0)
		features = detect();
	if (!features)
		return -ENODEV;
	for (i = 0; i < n; i += 2) {
		if (!one(&v))
			return -EIO;
		out[i] = (uint32_t)v;
		if (i + 1 < n)
			out[i + 1] = (uint32_t)(v >> 32);
	}
	return 0;
}
