/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cn_arch_random_u64(): RDSEED, else RDRAND, when CPUID says the CPU has
 * them (QEMU's TCG does with -cpu max, from the host's getrandom). RDSEED
 * draws from the conditioned entropy source itself and is preferred for
 * keys; either may fail transiently (carry clear) under load, hence the
 * retries.
 */
#include <stdbool.h>
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/arch/x86_64.h>

#define RETRIES 32
#define HAS_RDRAND 1
#define HAS_RDSEED 2

static int features = -1;

static int detect(void)
{
	uint32_t r[4];
	uint32_t max = cn_x86_cpuid_max(0);
	int f = 0;

	if (max >= 1) {
		cn_x86_cpuid(1, 0, r);
		if (r[2] & (1u << 30))
			f |= HAS_RDRAND;
	}
	if (max >= 7) {
		cn_x86_cpuid(7, 0, r);
		if (r[1] & (1u << 18))
			f |= HAS_RDSEED;
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

bool cn_arch_random_u64(uint64_t *out)
{
	int i;

	/* A race between two first callers only detects twice. */
	if (features < 0)
		features = detect();
	for (i = 0; (features & HAS_RDSEED) && i < RETRIES; i++)
		if (rdseed(out))
			return true;
	for (i = 0; (features & HAS_RDRAND) && i < RETRIES; i++)
		if (rdrand(out))
			return true;
	return false;
}
