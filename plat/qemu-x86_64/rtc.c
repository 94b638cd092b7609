/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Wall-clock time from the CMOS real-time clock (I/O ports 0x70/0x71),
 * read once by whoever asks first. Values may be BCD or binary, 12 or 24
 * hour, as status register B says; a read is retried until two agree so
 * that an update in between cannot tear it.
 */
#include <stdint.h>
#include <cairn/civil.h>
#include <cairn/plat.h>
#include <cairn/arch/x86_64.h>

static uint8_t cmos(uint8_t reg)
{
	cn_outb(0x70, reg);
	return cn_inb(0x71);
}

struct rtc_time {
	unsigned int sec, min, hour, day, mon, year;
};

static void rtc_read(struct rtc_time *t)
{
	unsigned int spins = 0;

	while ((cmos(0x0a) & 0x80) && spins++ < 100000)
		;				/* update in progress */
	t->sec = cmos(0x00);
	t->min = cmos(0x02);
	t->hour = cmos(0x04);
	t->day = cmos(0x07);
	t->mon = cmos(0x08);
	t->year = cmos(0x09);
}

static unsigned int bcd(unsigned int v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

uint64_t cn_plat_rtc_seconds(void)
{
	struct rtc_time a, b;
	uint8_t regb;
	unsigned int pm, tries = 0;

	do {
		rtc_read(&a);
		rtc_read(&b);
	} while ((a.sec != b.sec || a.min != b.min || a.hour != b.hour ||
		  a.day != b.day) && ++tries < 5);
	if (a.sec == 0xff && a.mon == 0xff)
		return 0;			/* no RTC */
	regb = cmos(0x0b);
	pm = a.hour & 0x80;
	a.hour &= 0x7f;
	if (!(regb & 0x04)) {
		a.sec = bcd(a.sec);
		a.min = bcd(a.min);
		a.hour = bcd(a.hour);
		a.day = bcd(a.day);
		a.mon = bcd(a.mon);
		a.year = bcd(a.year);
	}
	if (!(regb & 0x02) && pm)
		a.hour = (a.hour % 12) + 12;
	if (a.mon < 1 || a.mon > 12 || a.day < 1 || a.day > 31)
		return 0;
	return (uint64_t)(cn_days_from_civil(2000 + a.year, a.mon, a.day) *
			  86400 + a.hour * 3600 + a.min * 60 + a.sec);
}
