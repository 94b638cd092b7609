/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The last log lines, kept in a ring of bytes for crash reports and the
 * shell's dmesg. Writers and readers run with interrupts off (one CPU), so
 * a line is always whole; when the ring wraps, the oldest line is cut and
 * skipped. Crash reports read it too: no locks, no allocation.
 */
#include <cairn/biglock.h>
#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/panic.h>
#include "log_priv.h"

#define RING_SIZE	CONFIG_LIB_LOG_RING_SIZE
#define LINE_MAX_LEN	256
#define CRASH_LINES	16

static char ring[RING_SIZE];
/* Bytes ever written: the next goes to ring[head % RING_SIZE]. */
static size_t head;

void cn_log_ring_add(const char *line, size_t len)
{
	unsigned long flags = cn_big_lock();
	size_t i;

	for (i = 0; i < len; i++)
		ring[(head + i) % RING_SIZE] = line[i];
	head += len;
	cn_big_unlock(flags);
}

static char at(size_t pos)
{
	return ring[pos % RING_SIZE];
}

unsigned int cn_log_recent(unsigned int max,
			   void (*fn)(const char *line, size_t len, void *arg),
			   void *arg)
{
	unsigned long flags = cn_big_lock();
	size_t start = head > RING_SIZE ? head - RING_SIZE : 0, pos;
	unsigned int lines = 0, done = 0;
	char buf[LINE_MAX_LEN];

	if (head > RING_SIZE) {	/* the oldest line lost its start */
		while (start < head && at(start) != '\n')
			start++;
		start++;
	}
	for (pos = start; pos < head; pos++)
		lines += at(pos) == '\n';
	for (; max && lines > max; lines--)
		while (at(start++) != '\n')
			;
	while (start < head) {
		size_t n = 0;

		while (start < head && at(start) != '\n') {
			if (n < sizeof(buf))
				buf[n++] = at(start);
			start++;
		}
		start++;
		fn(buf, n, arg);
		done++;
	}
	cn_big_unlock(flags);
	return done;
}

static void print_line(const char *line, size_t len, void *arg)
{
	(void)arg;
	cn_crash_printf("  %.*s\n", (int)len, line);
}

static void log_crash_info(void)
{
	cn_crash_printf("Last log lines:\n");
	if (!cn_log_recent(CRASH_LINES, print_line, NULL))
		cn_crash_printf("  (none)\n");
}
CN_CRASH_INFO(log_crash_info, 5);
