/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Calendar arithmetic that needs no C library, for code that turns
 * dates into seconds: the RTC drivers, file systems' timestamps, HTTP
 * dates. Header-only, so host-built code (parsers under the fuzzer)
 * uses it too.
 */
#ifndef CAIRN_CIVIL_H
#define CAIRN_CIVIL_H

#include <stdint.h>

/*
 * Days since 1970-01-01 of the civil date y-m-d (proleptic Gregorian;
 * m 1-12, d 1-31, y may be negative): eras of 400 years, each 146097
 * days, with March as the first month so that the leap day ends a year.
 */
static inline int64_t cn_days_from_civil(int64_t y, unsigned int m,
					 unsigned int d)
{
	int64_t era;
	unsigned int yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned int)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

#endif
