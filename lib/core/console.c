/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The list of extra consoles, the console= parameter and the output lock
 * (see <cairn/console.h>). The platform's console functions call in
 * here, so everything that prints (log lines, printf, crash reports)
 * reaches every console in the same order, and a piece of output from
 * one CPU or one interrupt is never cut by another's.
 *
 * The output lock is not a <cairn/spinlock.h> lock, because what prints
 * may be anywhere: in an interrupt handler that interrupted a write on
 * its own CPU, in a crash report while another CPU (which goes on
 * running, or has stopped in the middle of a line) holds it. So it is
 * recursive per CPU, and a CPU that has waited OUT_WAIT_NS for it takes it
 * over: output mixed with another CPU's is better than none, and printing
 * never hangs the image.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/compiler.h>
#include <cairn/console.h>
#include <cairn/cpu.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/param.h>
#include <cairn/plat.h>

#define CONSOLE_PARAM_MAX	64

/* Output longer than this is written in pieces, ending at a newline
 * where there is one, so interrupts are never off for long. */
#define OUT_PIECE	512
#define OUT_WAIT_NS	1000000000ull
#define OUT_POLITE_NS	5000000ull

static struct cn_console *consoles;
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

/* Which of known[] a driver in the image has asked about. */
static unsigned int asked;

int cn_console_wanted(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(name, known[i]) == 0)
			asked |= 1u << i;
	return word_in(wanted, name, strlen(name));
}

/*
 * A console the user named that no driver in the image asked about: its
 * driver is not built in (or does not exist for this platform), so the
 * output would silently stay on the serial port. Said once, after the
 * drivers' init.
 */
static int console_check(void)
{
	size_t i;

	for (i = 1; i < sizeof(known) / sizeof(known[0]); i++)
		if (!(asked & (1u << i)) &&
		    word_in(wanted, known[i], strlen(known[i])))
			cn_pr_warn("console=%s: this image has no %s console "
				   "driver (make menuconfig > Drivers); output "
				   "stays on the serial port", wanted, known[i]);
	return 0;
}
CN_INIT_PRIO(console_check, CN_INIT_DEV, 9);

#ifdef CONFIG_SMP
/* The output lock. */
static struct {
	unsigned int owner;	/* CPU id + 1 of its holder, 0 when free */
	unsigned int last;	/* CPU id + 1 of the last to release it */
	unsigned int waiting;	/* CPUs spinning for it */
} out CN_ALIGNED(64);

/*
 * Interrupts off, then the lock; returns whether this call took it (0:
 * this CPU already held it), for out_unlock(). A test-and-set lock, so a
 * waiting vCPU that its host has descheduled holds nobody up (as for the
 * big lock), made fair enough for output: a CPU that released it while
 * others wait lets one of them have it first (for OUT_POLITE_NS at
 * most), so a CPU writing line after line does not keep the others out.
 */
static int out_lock(unsigned long *flags)
{
	unsigned int me, expect = 0, spins = 0;
	uint64_t start = 0, now = 0;

	*flags = cn_arch_irq_save();	/* first: a thread may move until then */
	me = cn_cpu_id() + 1;
	if (__atomic_load_n(&out.owner, __ATOMIC_RELAXED) == me)
		return 0;
	if (!(__atomic_load_n(&out.last, __ATOMIC_RELAXED) == me &&
	      __atomic_load_n(&out.waiting, __ATOMIC_RELAXED)) &&
	    __atomic_compare_exchange_n(&out.owner, &expect, me, 0,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 1;	/* free, and not another CPU's turn */
	__atomic_fetch_add(&out.waiting, 1, __ATOMIC_RELAXED);
	for (;;) {
		unsigned int owner = __atomic_load_n(&out.owner,
						     __ATOMIC_RELAXED);
		int polite = __atomic_load_n(&out.last, __ATOMIC_RELAXED) ==
			     me && __atomic_load_n(&out.waiting,
						   __ATOMIC_RELAXED) > 1;

		expect = 0;
		if (!owner && (!polite || (start && now - start >
					   OUT_POLITE_NS)) &&
		    __atomic_compare_exchange_n(&out.owner, &expect, me, 0,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			break;
		cn_arch_cpu_relax();
		if (++spins % 64)
			continue;
		now = cn_plat_time_ns();
		if (!start) {
			start = now;
		} else if (now - start > OUT_WAIT_NS) {
			/* Its holder is stuck: take it over. */
			__atomic_exchange_n(&out.owner, me, __ATOMIC_ACQUIRE);
			break;
		}
	}
	__atomic_fetch_sub(&out.waiting, 1, __ATOMIC_RELAXED);
	return 1;
}

static void out_unlock(int taken, unsigned long flags)
{
	unsigned int me = cn_cpu_id() + 1;

	if (taken) {
		__atomic_store_n(&out.last, me, __ATOMIC_RELAXED);
		/* Not ours any more if a waiter took it over. */
		__atomic_compare_exchange_n(&out.owner, &me, 0, 0,
					    __ATOMIC_RELEASE,
					    __ATOMIC_RELAXED);
	}
	cn_arch_irq_restore(flags);
}
#else
/* One CPU: interrupts off is the whole lock. */
static int out_lock(unsigned long *flags)
{
	*flags = cn_arch_irq_save();
	return 0;
}

static void out_unlock(int taken, unsigned long flags)
{
	(void)taken;
	cn_arch_irq_restore(flags);
}
#endif

int cn_console_register(struct cn_console *c)
{
	struct cn_console **pp;
	unsigned long flags;
	int taken;

	if (!c->write && !c->getc)
		return -EINVAL;
	c->next = NULL;
	taken = out_lock(&flags);
	for (pp = &consoles; *pp; pp = &(*pp)->next)
		;
	__atomic_store_n(pp, c, __ATOMIC_RELEASE);
	out_unlock(taken, flags);
	return 0;
}

/* How much of buf goes out in one piece: all of it up to OUT_PIECE, else
 * up to the last newline of the first OUT_PIECE bytes (or all of them). */
static size_t piece(const char *buf, size_t len)
{
	size_t n;

	if (len <= OUT_PIECE)
		return len;
	for (n = OUT_PIECE; n > 0; n--)
		if (buf[n - 1] == '\n')
			return n;
	return OUT_PIECE;
}

void cn_console_output(void (*own)(const char *buf, size_t len),
		       const char *buf, size_t len)
{
	while (len) {
		size_t n = piece(buf, len);
		struct cn_console *c;
		unsigned long flags;
		int taken = out_lock(&flags);

		own(buf, n);
		for (c = __atomic_load_n(&consoles, __ATOMIC_ACQUIRE); c;
		     c = c->next)
			if (c->write)
				c->write(c, buf, n);
		out_unlock(taken, flags);
		buf += n;
		len -= n;
	}
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
