/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The list of extra consoles and the console= parameter (see
 * <cairn/console.h>). The platform's console functions call in here, so
 * everything that prints (log lines, printf, crash reports) reaches every
 * registered console in the same order. A spinlock with interrupts off
 * keeps lines from two CPUs or from an interrupt whole on the screens;
 * the serial port is written outside it, as before.
 */
#include <errno.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/console.h>
#include <cairn/param.h>
#include <cairn/spinlock.h>

#define CONSOLE_PARAM_MAX	64

static struct cn_console *consoles;
static struct cn_spinlock lock;
static char wanted[CONSOLE_PARAM_MAX] = "serial";

static const char *const known[] = { "serial", "vga" };

static int word_in(const char *list, const char *word, size_t wlen)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");

		if (n == wlen && memcmp(p, word, n) == 0)
			return 1;
		p += n + (p[n] == ',');
	}
	return 0;
}

static int parse_console(const char *val)
{
	const char *p = val;
	size_t i;

	if (!*val || strlen(val) >= sizeof(wanted))
		return -EINVAL;
	while (*p) {
		size_t n = strcspn(p, ",");
		int ok = 0;

		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (n == strlen(known[i]) && !memcmp(p, known[i], n))
				ok = 1;
		if (!ok)
			return -EINVAL;
		p += n + (p[n] == ',');
	}
	strcpy(wanted, val);
	return 0;
}
CN_PARAM_TOP_FN(console, parse_console,
		"consoles that get the output, comma-separated: serial, vga "
		"(the serial console is always on)");

int cn_console_wanted(const char *name)
{
	return word_in(wanted, name, strlen(name));
}

int cn_console_register(struct cn_console *c)
{
	struct cn_console **pp;
	unsigned long flags;

	if (!c->write && !c->getc)
		return -EINVAL;
	c->next = NULL;
	flags = cn_spin_lock_irqsave(&lock);
	for (pp = &consoles; *pp; pp = &(*pp)->next)
		;
	*pp = c;
	cn_spin_unlock_irqrestore(&lock, flags);
	return 0;
}

void cn_console_write_others(const char *buf, size_t len)
{
	struct cn_console *c;
	unsigned long flags;

	if (!consoles)
		return;
	flags = cn_spin_lock_irqsave(&lock);
	for (c = consoles; c; c = c->next)
		if (c->write)
			c->write(c, buf, len);
	cn_spin_unlock_irqrestore(&lock, flags);
}

int cn_console_getc_others(void)
{
	struct cn_console *c;

	for (c = consoles; c; c = c->next) {
		int ch = c->getc ? c->getc(c) : -EAGAIN;

		if (ch >= 0)
			return ch;
	}
	return -EAGAIN;
}
