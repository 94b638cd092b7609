/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The per-CPU areas, the idle loop of the other CPUs until the scheduler
 * takes them over (cn_cpu_set_idle_hook()) and calls run on another CPU
 * (<cairn/cpu.h>). The platform finds and
 * starts the CPUs; the architecture points each one's per-CPU register at
 * its area; this file is what they run once started, and the same on
 * every architecture.
 *
 * A cross-CPU call is a one-entry mailbox in the target's area: the
 * poster fills fn and arg, then publishes them by bumping call_seq
 * (release), then sends an IPI; the target, in the IPI's handler or its
 * idle loop, interrupts off, sees call_seq ahead of call_done (acquire),
 * runs the call and publishes call_done (release). The target checks the mailbox
 * with interrupts off and halts with cn_arch_wait_for_interrupt(), which
 * enables them and halts atomically, so an IPI sent after the check still
 * wakes it.
 */
#include <errno.h>
#include <cairn/arch.h>
#include <cairn/cpu.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/plat.h>
#include <cairn/spinlock.h>

struct cn_cpu cn_cpus[CONFIG_NR_CPUS] = {
	[0] = { .self = &cn_cpus[0], .state = CN_CPU_ONLINE },
};

#ifdef CONFIG_SMP
static unsigned int nr_cpus = 1;
static int ipi_vector = -1;

unsigned int cn_cpu_count(void)
{
	return __atomic_load_n(&nr_cpus, __ATOMIC_ACQUIRE);
}

unsigned int cn_cpu_online(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < cn_cpu_count(); i++)
		n += cn_cpus[i].state == CN_CPU_ONLINE;
	return n;
}

static void run_calls(struct cn_cpu *c);

/*
 * Runs the calls posted to this CPU, in interrupt context, whatever the
 * CPU was doing (a busy CPU may never be idle); it also ends a halt.
 */
static void ipi_handler(void *arg)
{
	run_calls(cn_cpu_self());
}

/*
 * The wake-up vector, before any CPU starts. It wakes no thread (threads
 * run on CPU 0 and are woken by their own sources), so the scheduler's
 * deadlock check does not count it.
 */
static int ipi_setup(void)
{
	int v = cn_arch_irq_alloc_vector();

	if (v < 0 || cn_arch_irq_register((unsigned int)v, ipi_handler, NULL))
		return v < 0 ? v : -EBUSY;
	cn_arch_irq_mark_timer((unsigned int)v);
	cn_arch_irq_mark_unlocked((unsigned int)v);
	ipi_vector = v;
	return 0;
}

struct cn_cpu *cn_cpu_add(uint32_t hw_id)
{
	static int boot_named;
	struct cn_cpu *c;

	if (!boot_named) {
		/* The first CPU the platform names is the boot CPU. */
		boot_named = 1;
		cn_cpus[0].hw_id = hw_id;
		if (ipi_setup())
			cn_pr_warn("no vector for cross-CPU calls");
		return &cn_cpus[0];
	}
	if (nr_cpus == CONFIG_NR_CPUS)
		return NULL;
	c = &cn_cpus[nr_cpus];
	c->self = c;
	c->id = nr_cpus;
	c->hw_id = hw_id;
	c->state = CN_CPU_ABSENT;
	__atomic_store_n(&nr_cpus, nr_cpus + 1, __ATOMIC_RELEASE);
	return c;
}

static void (*volatile idle_hook)(void);

void cn_cpu_set_idle_hook(void (*fn)(void))
{
	unsigned int i;

	idle_hook = fn;
	for (i = 1; i < cn_cpu_count(); i++)
		if (cn_cpus[i].state == CN_CPU_ONLINE)
			cn_cpu_kick(i);
}

void cn_cpu_kick(unsigned int cpu)
{
	if (ipi_vector >= 0 && cpu < cn_cpu_count() &&
	    cn_cpus[cpu].state == CN_CPU_ONLINE)
		cn_arch_send_ipi(&cn_cpus[cpu], (unsigned int)ipi_vector);
}

static void run_calls(struct cn_cpu *c)
{
	uint64_t seq;

	while ((seq = __atomic_load_n(&c->call_seq, __ATOMIC_ACQUIRE)) !=
	       c->call_done) {
		c->call_fn(c->call_arg);
		c->nr_calls++;
		__atomic_store_n(&c->call_done, seq, __ATOMIC_RELEASE);
	}
}

void cn_cpu_ap_main(void)
{
	struct cn_cpu *c = cn_cpu_self();

	cn_arch_irq_disable();
	c->online_cycles = cn_arch_cycles();
	__atomic_store_n(&c->state, CN_CPU_ONLINE, __ATOMIC_RELEASE);
	for (;;) {
		if (idle_hook)
			idle_hook();		/* never returns */
		run_calls(c);
		cn_cpu_halt();
	}
}

void cn_cpu_halt(void)
{
	struct cn_cpu *c = cn_cpu_self();
	uint64_t t0 = cn_arch_cycles();

	c->halted_since = t0;
	cn_arch_wait_for_interrupt();
	c->halted_since = 0;
	c->idle_cycles += cn_arch_cycles() - t0;
}

void cn_cpu_run_calls(void)
{
	run_calls(cn_cpu_self());
}

int cn_cpu_call_async(unsigned int cpu, void (*fn)(void *), void *arg)
{
	struct cn_cpu *c;
	unsigned long flags;

	if (cpu >= cn_cpu_count() || !fn)
		return -EINVAL;
	c = &cn_cpus[cpu];
	if (c->state != CN_CPU_ONLINE)
		return -ENODEV;
	/*
	 * Interrupts off before asking which CPU this is: a preempted
	 * thread may move, and the call must run on the CPU it names.
	 */
	flags = cn_arch_irq_save();
	if (c == cn_cpu_self()) {
		fn(arg);
		c->nr_calls++;
		cn_arch_irq_restore(flags);
		return 0;
	}
	cn_spin_lock(&c->call_lock);
	while (__atomic_load_n(&c->call_done, __ATOMIC_ACQUIRE) !=
	       c->call_seq)
		cn_arch_cpu_relax();
	c->call_fn = fn;
	c->call_arg = arg;
	__atomic_store_n(&c->call_seq, c->call_seq + 1, __ATOMIC_RELEASE);
	cn_spin_unlock(&c->call_lock);
	if (ipi_vector >= 0)
		cn_arch_send_ipi(c, (unsigned int)ipi_vector);
	cn_arch_irq_restore(flags);
	return 0;
}

void cn_cpu_call_wait(unsigned int cpu)
{
	struct cn_cpu *c;

	if (cpu >= cn_cpu_count())
		return;
	c = &cn_cpus[cpu];
	while (__atomic_load_n(&c->call_done, __ATOMIC_ACQUIRE) !=
	       __atomic_load_n(&c->call_seq, __ATOMIC_ACQUIRE))
		cn_arch_cpu_relax();
}

#else /* !CONFIG_SMP */

int cn_cpu_call_async(unsigned int cpu, void (*fn)(void *), void *arg)
{
	unsigned long flags;

	if (cpu != 0 || !fn)
		return -EINVAL;
	flags = cn_arch_irq_save();
	fn(arg);
	cn_cpus[0].nr_calls++;
	cn_arch_irq_restore(flags);
	return 0;
}

void cn_cpu_call_wait(unsigned int cpu)
{
}

struct cn_cpu *cn_cpu_add(uint32_t hw_id)
{
	static int boot_named;

	if (boot_named)
		return NULL;
	boot_named = 1;
	cn_cpus[0].hw_id = hw_id;
	return &cn_cpus[0];
}

void cn_cpu_ap_main(void)
{
	cn_arch_halt_cpu();
}

/*
 * Where an SMP image brings up the other CPUs, one built without SMP says
 * that it will not: `make run SMP=4` on it would otherwise look like a
 * slow SMP image.
 */
static int one_cpu_note(void)
{
	unsigned int n = cn_plat_cpus_present();

	if (n > 1)
		cn_pr_info("%u CPUs present, 1 used: this image is built "
			   "without SMP (make menuconfig > Libraries > core > "
			   "Multiple CPUs)", n);
	return 0;
}
CN_INIT_PRIO(one_cpu_note, CN_INIT_MEM, 9);

#endif

int cn_cpu_call(unsigned int cpu, void (*fn)(void *), void *arg)
{
	int rc = cn_cpu_call_async(cpu, fn, arg);

	if (!rc)
		cn_cpu_call_wait(cpu);
	return rc;
}
