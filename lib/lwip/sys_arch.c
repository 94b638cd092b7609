/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's sys_arch on Cairn: semaphores, mutexes and mailboxes are
 * lib/sched's, threads are Cairn threads, protection is interrupts off
 * and, with SMP, a lock of its own (below). Every mailbox post and
 * semaphore signal may change what a socket is ready for (data queued
 * for a receiver, a connection to accept, an error), so each one tells
 * poll()/select() to look again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/cpu.h>
#include <cairn/panic.h>
#include <cairn/spinlock.h>
#include <cairn/file.h>
#include <cairn/log.h>
#include <cairn/timer.h>
#include "lwip/sys.h"
#include "lwip_priv.h"

void sys_init(void)
{
}

u32_t sys_now(void)
{
	return (u32_t)(cn_time_ns() / 1000000);
}

uint32_t cn_lwip_rand(void)
{
	static uint64_t x;

	if (!x)
		x = cn_arch_cycles() | 1;
	x ^= x << 13;			/* xorshift64, seeded from the TSC */
	x ^= x >> 7;
	x ^= x << 17;
	return (uint32_t)(x >> 16);
}

/*
 * lwIP's protection (SYS_ARCH_PROTECT): the statistics and reference
 * counts of its memory pools and pbufs, and its sockets' event counters.
 * With SMP it is its own lock, not the big lock, so a CPU that frees a
 * pbuf does not wait for another CPU's scheduler, timer or driver
 * section. Every section lwIP guards with it is a leaf: it reads and
 * writes a few fields and calls nothing that takes a lock (checked
 * against lwIP 2.2's sources: with LWIP_TCPIP_CORE_LOCKING, the select
 * waiters are signalled after the section, and pools come from malloc
 * before it). So it nests inside the big lock (interrupt handlers
 * allocate pbufs) and never the other way.
 *
 * lwIP asks for it to be recursive ("nested calls"): a CPU that holds it
 * takes it again with a count. Interrupts are off while it is held, so
 * no handler on the holder's CPU nests, and the holder cannot be
 * preempted. Without SMP it is the interrupt flag, as before.
 */
#ifdef CONFIG_SMP
static struct cn_spinlock prot_lock = CN_SPINLOCK_INIT;
static unsigned int prot_owner = ~0u;	/* the holder's CPU */
static unsigned int prot_depth;		/* the holder's nesting */

sys_prot_t sys_arch_protect(void)
{
	unsigned long flags = cn_arch_irq_save();
	unsigned int me = cn_cpu_id();

	/* Only the holder stores its id there, so no other CPU finds its
	 * own: a stale read is harmless (the big lock does the same). */
	if (__atomic_load_n(&prot_owner, __ATOMIC_RELAXED) == me) {
		prot_depth++;
		return flags;
	}
	cn_spin_lock(&prot_lock);
	__atomic_store_n(&prot_owner, me, __ATOMIC_RELAXED);
	prot_depth = 1;
	return flags;
}

void sys_arch_unprotect(sys_prot_t pval)
{
	if (prot_owner != cn_cpu_id() || !prot_depth)
		cn_panic("lwIP's protection released on CPU %u, which does "
			 "not hold it", cn_cpu_id());
	if (--prot_depth == 0) {
		__atomic_store_n(&prot_owner, ~0u, __ATOMIC_RELAXED);
		cn_spin_unlock(&prot_lock);
	}
	cn_arch_irq_restore(pval);
}
#else
sys_prot_t sys_arch_protect(void)
{
	return cn_arch_irq_save();
}

void sys_arch_unprotect(sys_prot_t pval)
{
	cn_arch_irq_restore(pval);
}
#endif

static uint64_t deadline_of(u32_t timeout_ms)
{
	return timeout_ms ? cn_time_ns() + (uint64_t)timeout_ms * 1000000 : 0;
}

static u32_t elapsed_ms(uint64_t start)
{
	return (u32_t)((cn_time_ns() - start) / 1000000);
}

/* Semaphores */
err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
	cn_sem_init(&sem->sem, count);
	sem->valid = 1;
	return ERR_OK;
}

void sys_sem_free(sys_sem_t *sem)
{
	sem->valid = 0;
}

void sys_sem_signal(sys_sem_t *sem)
{
	cn_sem_post(&sem->sem);
	cn_file_notify();
}

u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout_ms)
{
	uint64_t start = cn_time_ns();
	int rc = timeout_ms ? cn_sem_wait_until(&sem->sem, deadline_of(timeout_ms))
			    : cn_sem_wait(&sem->sem);

	return rc ? SYS_ARCH_TIMEOUT : elapsed_ms(start);
}

/* Mutexes */
err_t sys_mutex_new(sys_mutex_t *m)
{
	cn_mutex_init(&m->mutex, 0);
	m->valid = 1;
	return ERR_OK;
}

void sys_mutex_free(sys_mutex_t *m)
{
	m->valid = 0;
}

void sys_mutex_lock(sys_mutex_t *m)
{
	cn_mutex_lock(&m->mutex);
}

void sys_mutex_unlock(sys_mutex_t *m)
{
	cn_mutex_unlock(&m->mutex);
}

/*
 * Mailboxes: lib/sched's (<cairn/sync.h>), under the scheduler's lock
 * alone, so the tcpip thread and the driver that feeds it never wait
 * for another CPU's big-lock section. An application thread's receive
 * waits through cn_lwip_fetch() (a signal may end it, intr.c).
 */
struct cn_lwip_mbox {
	struct cn_mbox mb;
	void *slots[];
};

err_t sys_mbox_new(sys_mbox_t *mbox, int size)
{
	struct cn_lwip_mbox *m;

	if (size <= 0)
		size = 64;
	m = malloc(sizeof(*m) + (size_t)size * sizeof(void *));
	if (!m)
		return ERR_MEM;
	cn_mbox_init(&m->mb, m->slots, (unsigned int)size);
	*mbox = m;
	return ERR_OK;
}

void sys_mbox_free(sys_mbox_t *mbox)
{
	struct cn_lwip_mbox *m = *mbox;
	unsigned int n = m ? cn_mbox_count(&m->mb) : 0;

	if (n)
		cn_pr_warn("mailbox freed with %u messages", n);
	free(m);
	*mbox = NULL;
}

void sys_mbox_post(sys_mbox_t *mbox, void *msg)
{
	while (cn_mbox_post(&(*mbox)->mb, msg, 0))
		;			/* only a kill ends the wait */
	cn_file_notify();
}

err_t sys_mbox_trypost(sys_mbox_t *mbox, void *msg)
{
	if (cn_mbox_trypost(&(*mbox)->mb, msg))
		return ERR_MEM;
	cn_file_notify();
	return ERR_OK;
}

err_t sys_mbox_trypost_fromisr(sys_mbox_t *mbox, void *msg)
{
	return sys_mbox_trypost(mbox, msg);
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *mbox, void **msg, u32_t timeout_ms)
{
	uint64_t start = cn_time_ns();
	void *m;

	/* -ETIMEDOUT, or -EINTR: a signal ends the socket call (intr.c). */
	if (cn_lwip_fetch(&(*mbox)->mb, &m, deadline_of(timeout_ms)))
		return SYS_ARCH_TIMEOUT;
	if (msg)
		*msg = m;
	return elapsed_ms(start);
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mbox, void **msg)
{
	void *m;

	if (cn_mbox_tryfetch(&(*mbox)->mb, &m))
		return SYS_MBOX_EMPTY;
	if (msg)
		*msg = m;
	return 0;
}

/* Threads */
struct thread_start {
	lwip_thread_fn fn;
	void *arg;
};

static void *thread_entry(void *arg)
{
	struct thread_start s = *(struct thread_start *)arg;

	free(arg);
	s.fn(s.arg);
	return NULL;
}

sys_thread_t sys_thread_new(const char *name, lwip_thread_fn fn, void *arg,
			    int stacksize, int prio)
{
	struct cn_thread_attr attr = { .name = name,
				       .stack_size = (size_t)stacksize,
				       .flags = CN_THREAD_DETACHED };
	struct thread_start *s = malloc(sizeof(*s));
	struct cn_thread *t = NULL;

	(void)prio;
	if (!s || (s->fn = fn, s->arg = arg,
		   cn_thread_create(&t, &attr, thread_entry, s))) {
		free(s);
		cn_panic("lwIP: cannot start thread %s", name);
	}
	return t;
}
