/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hardware random numbers on arm64: the RNDR register of FEAT_RNG
 * (ARMv8.5), present when ID_AA64ISAR0_EL1.RNDR (bits 63:60) is non-zero.
 * A read sets NZCV.Z when no number could be had this time; retried a few
 * times, then the caller falls back to its own generator.
 */
#include <stdbool.h>
#include <stdint.h>
#include <cairn/arch.h>

static int has_rndr = -1;

bool cn_arch_random_u64(uint64_t *out)
{
	if (has_rndr < 0) {
		uint64_t isar0;

		__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
		has_rndr = (isar0 >> 60) != 0;
	}
	if (!has_rndr)
		return false;
	for (int i = 0; i < 10; i++) {
		uint64_t v, ok;

		/* RNDR is s3_3_c2_c4_0; "ne" after it means a valid number. */
		__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tcset %1, ne"
				 : "=r"(v), "=r"(ok) : : "cc");
		if (ok) {
			*out = v;
			return true;
		}
	}
	return false;
}
