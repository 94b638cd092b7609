/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The i8042 keyboard controller and the keyboard on its first port, as a
 * console input (<cairn/console.h>). Every wait on the controller is
 * bounded: a PC without one (microvm reads 0xff from its ports) or one
 * that stops answering costs a log line, never a hang.
 *
 * Set-up, in the order the controller wants it: both ports off (so no
 * byte arrives half-way), the output buffer drained, the configuration
 * byte read and rewritten with interrupts off, the self test, then the
 * first port back on with its interrupt and, for set 2, translation off
 * and the keyboard told to use set 2. Bytes then arrive on IRQ 1 (routed
 * through the I/O APIC with the firmware's override) into a ring that the
 * console's getc drains; getc also polls the controller, which keeps the
 * keyboard usable when the interrupt cannot be routed.
 */
#include <errno.h>
#include <cairn/arch.h>
#include <cairn/biglock.h>
#include <cairn/console.h>
#include <cairn/errname.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/param.h>
#include <cairn/plat.h>
#include <cairn/arch/x86_64.h>
#include "ps2_priv.h"

#define DATA		0x60
#define STATUS		0x64		/* read */
#define COMMAND		0x64		/* write */
#define ST_OUT_FULL	0x01
#define ST_IN_FULL	0x02
#define ST_AUX		0x20
#define CMD_READ_CFG	0x20
#define CMD_WRITE_CFG	0x60
#define CMD_AUX_OFF	0xa7
#define CMD_SELF_TEST	0xaa
#define CMD_KBD_OFF	0xad
#define CMD_KBD_ON	0xae
#define CFG_KBD_IRQ	0x01
#define CFG_AUX_IRQ	0x02
#define CFG_KBD_CLOCK_OFF 0x10
#define CFG_TRANSLATE	0x40
#define KBD_SET_SCANCODES 0xf0
#define KBD_ENABLE	0xf4
#define KBD_ACK		0xfa
#define TIMEOUT_NS	(50 * 1000 * 1000ull)
#define DRAIN_MAX	64
#define RING_SIZE	128

static int scancode_set = 1;

static int parse_set(const char *val)
{
	if ((val[0] != '1' && val[0] != '2') || val[1])
		return -EINVAL;
	scancode_set = val[0] - '0';
	return 0;
}
CN_PARAM_FN(ps2_kbd, set, parse_set,
	    "1 (set 1, translated by the controller) or 2 (set 2, "
	    "untranslated)");

static struct {
	char buf[RING_SIZE];
	unsigned int head, tail;	/* head: next write */
} ring;
static struct cn_ps2_decoder dec;
static struct cn_console console = { .name = "ps2" };

static int wait_status(uint8_t mask, uint8_t want)
{
	uint64_t end = cn_plat_time_ns() + TIMEOUT_NS;

	while ((cn_inb(STATUS) & mask) != want)
		if (cn_plat_time_ns() > end)
			return -ETIMEDOUT;
		else
			cn_arch_cpu_relax();
	return 0;
}

static int command(uint8_t cmd)
{
	if (wait_status(ST_IN_FULL, 0))
		return -ETIMEDOUT;
	cn_outb(COMMAND, cmd);
	return 0;
}

static int write_data(uint8_t v)
{
	if (wait_status(ST_IN_FULL, 0))
		return -ETIMEDOUT;
	cn_outb(DATA, v);
	return 0;
}

static int read_data(void)
{
	if (wait_status(ST_OUT_FULL, ST_OUT_FULL))
		return -ETIMEDOUT;
	return cn_inb(DATA);
}

/* Sends a byte to the keyboard and waits for its acknowledgement. */
static int kbd_send(uint8_t v)
{
	int r;

	if (write_data(v))
		return -ETIMEDOUT;
	r = read_data();
	return r < 0 ? r : r == KBD_ACK ? 0 : -EIO;
}

static void emit(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned int next = (ring.head + 1) % RING_SIZE;

		if (next == ring.tail)
			return;		/* full: drop, as a terminal would */
		ring.buf[ring.head] = s[i];
		ring.head = next;
	}
}

/* Interrupts off: takes what the controller holds from the keyboard. */
static void drain(void)
{
	unsigned int n;
	uint8_t st;

	for (n = 0; n < DRAIN_MAX && ((st = cn_inb(STATUS)) & ST_OUT_FULL);
	     n++) {
		uint8_t b = cn_inb(DATA);

		if (!(st & ST_AUX))
			cn_ps2_decode(&dec, b);
	}
}

static void kbd_irq(void *arg)
{
	(void)arg;
	drain();
}

static int kbd_getc(struct cn_console *c)
{
	unsigned long flags = cn_big_lock();
	int ch = -EAGAIN;

	(void)c;
	drain();
	if (ring.tail != ring.head) {
		ch = (unsigned char)ring.buf[ring.tail];
		ring.tail = (ring.tail + 1) % RING_SIZE;
	}
	cn_big_unlock(flags);
	return ch;
}

static int controller_setup(void)
{
	int cfg, r, n;

	if (cn_inb(STATUS) == 0xff)
		return -ENODEV;
	if (command(CMD_KBD_OFF) || command(CMD_AUX_OFF))
		return -ETIMEDOUT;
	for (n = 0; n < DRAIN_MAX && (cn_inb(STATUS) & ST_OUT_FULL); n++)
		(void)cn_inb(DATA);
	if (command(CMD_READ_CFG) || (cfg = read_data()) < 0)
		return -ETIMEDOUT;
	cfg &= ~(CFG_KBD_IRQ | CFG_AUX_IRQ | CFG_TRANSLATE);
	if (command(CMD_WRITE_CFG) || write_data((uint8_t)cfg))
		return -ETIMEDOUT;
	if (command(CMD_SELF_TEST) || (r = read_data()) < 0)
		return -ETIMEDOUT;
	if (r != 0x55) {
		cn_pr_err("i8042 self test failed: 0x%02x", r);
		return -EIO;
	}
	/* the self test may reset the configuration: write it again */
	cfg = (cfg & ~CFG_KBD_CLOCK_OFF) | CFG_KBD_IRQ |
	      (scancode_set == 1 ? CFG_TRANSLATE : 0);
	if (command(CMD_WRITE_CFG) || write_data((uint8_t)cfg) ||
	    command(CMD_KBD_ON))
		return -ETIMEDOUT;
	return 0;
}

static int keyboard_setup(void)
{
	int rc;

	if (scancode_set == 2 &&
	    ((rc = kbd_send(KBD_SET_SCANCODES)) || (rc = kbd_send(2))))
		return rc;
	return kbd_send(KBD_ENABLE);
}

static int route_irq(void)
{
	unsigned int flags = 0, line = cn_plat_isa_irq_line(1, &flags);
	int vec = cn_arch_irq_alloc_vector(), rc;

	if (vec < 0)
		return vec;
	rc = cn_arch_irq_register((unsigned int)vec, kbd_irq, NULL);
	if (!rc)
		rc = cn_plat_irq_route(line, (unsigned int)vec, flags);
	return rc;
}

static int ps2_kbd_init(void)
{
	unsigned long flags;
	int rc;

	flags = cn_big_lock();
	rc = controller_setup();
	if (!rc)
		rc = keyboard_setup();
	cn_big_unlock(flags);
	if (rc == -ENODEV) {
		cn_pr_info("no i8042 keyboard controller");
		return 0;
	}
	if (rc) {
		cn_pr_warn("no PS/2 keyboard: the controller or keyboard did "
			   "not answer: %d (%s)", rc, cn_errname(rc));
		return 0;
	}
	dec.set = (uint8_t)scancode_set;
	dec.emit = emit;
	console.getc = kbd_getc;
	cn_console_register(&console);
	rc = route_irq();
	if (rc)
		cn_pr_warn("IRQ 1 not routed: %d (%s); the keyboard is polled",
			   rc, cn_errname(rc));
	cn_pr_info("PS/2 keyboard, scan code set %d%s", scancode_set,
		   rc ? ", polled" : ", IRQ 1");
	return 0;
}
CN_INIT(ps2_kbd_init, CN_INIT_DEV);
