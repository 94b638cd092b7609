/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The last log lines, kept in a ring of bytes for crash reports and the
 * shell's dmesg. Writers and readers hold the ring's own lock with
 * interrupts off, so a line is always whole; when the ring wraps, the
 * oldest line is cut and skipped. The lock is a leaf: a line is logged
 * from any section, interrupt handlers and the big lock's included, and
 * nothing is called while it is held but a reader's copy function.
 * Crash reports read it too: no locks, no allocation.
 */
#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/panic.h>
#include <cairn/spinlock.h>
#include "log_priv.h"

#define RING_SIZE	CONFIG_LIB_LOG_RING_SIZE
#define LINE_MAX_LEN	256
#define CRASH_LINES	16

static char ring[RING_SIZE];
/* Bytes ever written: the next goes to ring[head % RING_SIZE]. */
static size_t head;
static struct cn_spinlock ring_lock = CN_SPINLOCK_INIT;

void cn_log_ring_add(const char *line, size_t len)
{
	unsigned long flags = cn_spin_lock_irqsave(&ring_lock);
	size_t i;

	for (i = 0; i < len; i++)
		ring[(head + i) % RING_SIZE] = line[i];
	__atomic_store_n(&head, head + len, __ATOMIC_RELEASE);
	cn_spin_unlock_irqrestore(&ring_lock, flags);
}

static char at(size_t pos)
{
	return ring[pos % RING_SIZE];
}

static unsigned int walk(unsigned int max,
			 void (*fn)(const char *line, size_t len, void *arg),
			 void *arg)
{
	size_t end = __atomic_load_n(&head, __ATOMIC_RELAXED);
	size_t start = end > RING_SIZE ? end - RING_SIZE : 0, pos;
	unsigned int lines = 0, done = 0;
	char buf[LINE_MAX_LEN];

	if (end > RING_SIZE) {	/* the oldest line lost its start */
		while (start < end && at(start) != '\n')
			start++;
		start++;
	}
	for (pos = start; pos < end; pos++)
		lines += at(pos) == '\n';
	for (; max && lines > max; lines--)
		while (at(start++) != '\n')
			;
	while (start < end) {
		size_t n = 0;

		while (start < end && at(start) != '\n') {
			if (n < sizeof(buf))
				buf[n++] = at(start);
			start++;
		}
		start++;
		fn(buf, n, arg);
		done++;
	}
	return done;
}

unsigned int cn_log_recent(unsigned int max,
			   void (*fn)(const char *line, size_t len, void *arg),
			   void *arg)
{
	unsigned long flags = cn_spin_lock_irqsave(&ring_lock);
	unsigned int done = walk(max, fn, arg);

	cn_spin_unlock_irqrestore(&ring_lock, flags);
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
	/* Without the lock: the CPU that crashed, or one stopped by the
	 * crash, may hold it; a line cut by a writer is the price. */
	if (!walk(CRASH_LINES, print_line, NULL))
		cn_crash_printf("  (none)\n");
}
CN_CRASH_INFO(log_crash_info, 5);
