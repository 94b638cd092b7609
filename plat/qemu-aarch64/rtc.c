/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Wall-clock time from the PL031 real-time clock of the device tree
 * ("arm,pl031"): its data register counts seconds since 1970 (QEMU starts
 * it at the host's time).
 */
#include <stdint.h>
#include <cairn/plat.h>
#include "qemu_priv.h"

#define RTCDR	0x000

uint64_t cn_plat_rtc_seconds(void)
{
	static volatile uint32_t *rtc;
	static int tried;

	if (!tried) {
		tried = 1;
		rtc = (volatile uint32_t *)cn_qemu_fdt_map("arm,pl031", NULL);
	}
	return rtc ? rtc[RTCDR / 4] : 0;
}
