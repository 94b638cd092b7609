/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Threads, the scheduler's mechanics and wait queues; when to switch
 * beyond blocking and yielding is a policy library's business
 * (sched-coop, sched-preempt, through <cairn/sched_policy.h>). Threads run with
 * interrupts on. The run queues, the wait queues' lists and thread states
 * are protected by the scheduler's lock (cn_sched_lock(), sched_priv.h):
 * on one CPU an interrupts-off section, atomic against interrupt handlers
 * (timers wake sleepers asynchronously); with SMP also a test-and-set
 * lock (<cairn/taslock.h>) that excludes the other CPUs. It is held
 * across the context switch (the thread that continues releases it), so
 * no CPU can run or free a thread whose switch is not complete. It is
 * not the big lock (<cairn/biglock.h>): switching, yielding, sleeping,
 * preempting, an idle CPU's loop and the mutexes, semaphores and
 * condition variables of sync.c take only this one. The big lock comes
 * first when both are taken; a thread that blocks holding the big lock
 * releases it at the switch (its depth is kept in the thread) and takes
 * it again when it continues, after the scheduler's lock is released.
 * The list of all threads changes under both, so holding either is
 * enough to walk it. A thread's stack, TLS block and struct are freed
 * by whoever runs next after it has exited (never on itself).
 *
 * Timed waits: the waiting thread starts its timer before it takes the
 * lock (lib/time's queue lock comes after the scheduler's, and the
 * timer's callback runs without it), then gives up at once if the
 * deadline has passed. The callback times the thread out only if it
 * still waits with a deadline that has passed, so a callback that
 * another CPU began late (cn_timer_cancel() does not wait for it) never
 * ends a later wait early. A thread stops its timer with
 * cn_timer_stop() before it exits: callbacks run under the big lock, so
 * none is running for it once it is freed.
 *
 * With SMP each CPU has its own run queue (all under the one lock).
 * A thread made READY goes to the CPU it last ran on if its mask allows
 * and that CPU is halted, else to a halted CPU it may use, else back to
 * its last CPU (or the first it may use); a halted CPU that gets a
 * thread is sent an IPI. New threads go to the allowed CPU with the
 * least to do. A CPU with nothing in its own queue takes the first
 * thread it may run from the longest other queue (stealing) and only
 * then switches to its idle thread (the boot stack of an application
 * processor; a small stack of its own on CPU 0), which releases the big
 * lock and halts until an interrupt. Without SMP there is one queue and
 * the blocking thread halts in place, as before.
 *
 * A stopped thread (cn_thread_stop()) is in no queue: it stops where it
 * would have been made READY (woken, yielding, preempted, created) and
 * cn_thread_resume() makes it READY again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/alloc.h>
#include <cairn/alloc_backend.h>
#include <cairn/arch.h>
#include <cairn/biglock.h>
#include <cairn/cpu.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/panic.h>
#include <cairn/param.h>
#include <cairn/sched.h>
#include <cairn/timer.h>
#include <cairn/sched_policy.h>
#include <cairn/spinlock.h>
#include <cairn/taslock.h>
#include "sched_priv.h"

#define GUARD		CN_PAGE_SIZE
#define STACK_FILL	0xa5
#define STACK_MAX	(1ul << 30)

struct cn_thread {
	void *sp;
	struct cn_thread *next;		/* run queue or wait queue */
	struct cn_thread *all_next;
	struct cn_waitq *waiting_on;
	enum cn_thread_state state;
	int id;
	unsigned int flags;
	int killed;
	int joined;
	int wake_result;		/* 0, -ETIMEDOUT or -EINTR */
	unsigned char *stack;		/* allocation: guard page first */
	size_t stack_size;		/* usable bytes above the guard */
	void *tls_area, *tp;
	void *(*fn)(void *);
	void *arg, *retval;
	struct cn_waitq joiners;
	struct cn_timer timer;
	unsigned int big_depth;		/* the big lock's, while switched out */
	uint64_t wait_deadline;		/* of the wait it is in; 0: none */
	unsigned int cpu;		/* the CPU it runs or last ran on */
	uint64_t cpu_mask;		/* where it may run; 0: anywhere */
	unsigned int rq;		/* the queue it is in, while READY */
	int stop;			/* cn_thread_stop() asked; not resumed */
	char name[32];
};

/*
 * A run queue: FIFO through t->next. len counts its threads for
 * placement and stealing; the counters are for `cpus`. One cache line
 * each: every switch writes its CPU's counters, and a polling idle CPU
 * reads its len without the lock; sharing a line would make each CPU's
 * writes evict the others' queues.
 */
struct runq {
	struct cn_thread *head, *tail;
	unsigned int len;
	uint64_t nr_switches, nr_stolen;
	uint64_t nr_polls, nr_poll_hits;	/* idle polls; found work */
	uint64_t nr_locked, nr_lock_contended;	/* the scheduler's lock */
} CN_ALIGNED(64);

#ifdef CONFIG_SMP
#define NR_RQ		CONFIG_NR_CPUS
#else
#define NR_RQ		1
#endif

bool cn_sched_thread_running(const struct cn_thread *t)
{
	return __atomic_load_n(&t->state, __ATOMIC_RELAXED) ==
	       CN_THREAD_RUNNING;
}

static struct cn_thread main_thread = {
	.state = CN_THREAD_RUNNING, .name = "main",
	.timer = { .arg = &main_thread },
};
#ifdef CONFIG_SMP
/*
 * The running thread is the CPU's: one %gs-relative load, so a thread
 * that is preempted and moves to another CPU still reads itself.
 */
static inline struct cn_thread *cur_thread(void)
{
	struct cn_thread *t = cn_cpu_thread();

	return t ? t : &main_thread;
}
#define current		(cur_thread())
#define set_current(t)	(cn_cpu_self()->thread = (t))
static struct cn_thread idle_threads[CONFIG_NR_CPUS];
static unsigned long idle_mask;		/* CPUs halted in their idle loop */
/*
 * Idle polling (doc/architecture.md, "SMP and locking"): an idle CPU
 * spins for up to sched.idle_poll_us before it halts. polling_mask
 * (under the scheduler's lock) names the CPUs spinning; a CPU that gives
 * one of them a thread sets its wake flag instead of sending an IPI, which
 * under a hypervisor or QEMU's TCG costs far more than the hand-over
 * itself (the halted vCPU's host thread sleeps and must be woken).
 */
static unsigned long polling_mask;
static struct {
	uint32_t wake;
	uint32_t poll_ns;	/* this CPU's window; see poll_adapt() */
} CN_ALIGNED(64) poll_flag[CONFIG_NR_CPUS];
static int idle_poll_us = 50;
CN_PARAM_UINT(sched, idle_poll_us, idle_poll_us,
	      "microseconds an idle CPU polls for work before it halts "
	      "(0: halt at once; default 50)");
#define IS_IDLE(t)	((t) >= idle_threads && \
			 (t) < idle_threads + CONFIG_NR_CPUS)
#else
static struct cn_thread *current = &main_thread;
#define set_current(t)	(current = (t))
#endif
static struct runq runqs[NR_RQ];
static unsigned int nr_ready;		/* threads in every queue */
static struct cn_thread *all_threads = &main_thread;
static struct cn_thread *zombie;	/* exited, detached: free it */
static int next_id = 1;

static const struct cn_sched_policy *policy;

void cn_sched_set_policy(const struct cn_sched_policy *p)
{
	policy = p;
}

const char *cn_sched_policy_name(void)
{
	return policy ? policy->name : "cooperative";
}

/*
 * The scheduler's lock. sl_acquire()/sl_release() with interrupts
 * already off; cn_sched_lock()/cn_sched_unlock() save and restore them.
 */
#ifdef CONFIG_SMP
static struct cn_tas_lock sched_lock = CN_TAS_LOCK_INIT;

static void sl_acquire(const char *site)
{
	struct runq *q = &runqs[cn_cpu_id()];

	cn_lockorder_acquire(&sched_lock, site, 0);
	q->nr_locked++;
	if (cn_tas_acquire(&sched_lock))
		q->nr_lock_contended++;
}

static void sl_release(void)
{
	cn_lockorder_release(&sched_lock);
	cn_tas_release(&sched_lock);
}
#else
#define sl_acquire(site)	((void)(site))
#define sl_release()		((void)0)
#endif

unsigned long cn_sched_lock_at(const char *site)
{
	unsigned long flags = cn_arch_irq_save();

	sl_acquire(site);
	return flags;
}

void cn_sched_unlock(unsigned long flags)
{
	sl_release();
	cn_arch_irq_restore(flags);
}

static unsigned long alloc_lock(void)
{
	return cn_big_lock();
}

static void alloc_unlock(unsigned long flags)
{
	cn_big_unlock(flags);
}

static const char *crash_current(void)
{
	return current->name;
}

static const char *crash_guard_owner(uintptr_t addr)
{
	struct cn_thread *t;

	for (t = all_threads; t; t = t->all_next)
		if (t->stack && addr >= (uintptr_t)t->stack &&
		    addr < (uintptr_t)t->stack + GUARD)
			return t->name;
	return NULL;
}

static const char *crash_thread_name(const void *t)
{
	return ((const struct cn_thread *)t)->name;
}

static const struct cn_arch_crash_hooks crash_hooks = {
	.current_thread = crash_current,
	.guard_owner = crash_guard_owner,
	.thread_name = crash_thread_name,
};

/* May t run on CPU cpu? */
static int allowed(const struct cn_thread *t, unsigned int cpu)
{
	return !t->cpu_mask || cpu >= 64 || (t->cpu_mask >> cpu) & 1;
}

#ifdef CONFIG_SMP
/*
 * ready_for[c]: READY threads, in any queue, that CPU c may run (under
 * the scheduler's lock; the yield fast path reads it without). A yield
 * on a CPU that can run none of them would only take the lock to pick
 * its own thread again; threads spinning on yields on every CPU while one
 * CPU's pinned thread waits in its queue did exactly that, and the lock
 * (the big lock then), a test-and-set lock, went to the spinning CPUs
 * over and over while the CPU that could run the pinned thread never got it
 * (sched.stealing_never_runs_a_thread_outside_its_mask hung on 4 vCPUs
 * with the preemptive policy).
 */
static unsigned int ready_for[CONFIG_NR_CPUS];

static void count_ready(const struct cn_thread *t, int d)
{
	unsigned int c;

	for (c = 0; c < CONFIG_NR_CPUS; c++)
		if (allowed(t, c))
			ready_for[c] += (unsigned int)d;
}
#else
#define count_ready(t, d)	((void)0)
#endif

static void rq_append(struct runq *q, struct cn_thread *t)
{
	t->next = NULL;
	if (q->tail)
		q->tail->next = t;
	else
		q->head = t;
	q->tail = t;
	q->len++;
	nr_ready++;
	count_ready(t, 1);
}

/* Takes t (prev its predecessor, NULL for the head) off q. */
static void rq_unlink(struct runq *q, struct cn_thread *prev,
		      struct cn_thread *t)
{
	if (prev)
		prev->next = t->next;
	else
		q->head = t->next;
	if (q->tail == t)
		q->tail = prev;
	t->next = NULL;
	q->len--;
	nr_ready--;
	count_ready(t, -1);
}

/* The first thread of q that CPU cpu may run, off the queue; or NULL. */
static struct cn_thread *rq_take(struct runq *q, unsigned int cpu)
{
	struct cn_thread *t, *prev = NULL;

	for (t = q->head; t && !allowed(t, cpu); t = t->next)
		prev = t;
	if (t)
		rq_unlink(q, prev, t);
	return t;
}

#ifdef CONFIG_SMP
static int cpu_usable(unsigned int c)
{
	return c == 0 || (c < CONFIG_NR_CPUS &&
			  cn_cpus[c].state == CN_CPU_ONLINE);
}

/*
 * Where a thread made READY goes (see the file's top comment). The
 * halted CPUs are idle_mask; cur is the CPU deciding.
 */
static unsigned int place(const struct cn_thread *t, unsigned int cur)
{
	unsigned long halted = idle_mask;
	unsigned int last = t->cpu, c, n = cn_cpu_count();

	if (last < n && allowed(t, last) && cpu_usable(last) &&
	    (halted & (1ul << last)))
		return last;
	if (t->cpu_mask)
		halted &= t->cpu_mask;
	if (halted)
		return (unsigned int)__builtin_ctzl(halted);
	if (last < n && allowed(t, last) && cpu_usable(last))
		return last;
	if (allowed(t, cur))
		return cur;
	for (c = 0; c < n; c++)
		if (allowed(t, c) && cpu_usable(c))
			return c;
	return cur;
}

/*
 * Where a new thread goes: a halted CPU it may use, else the one with
 * the shortest queue (ties: the lowest number after the last choice, so
 * threads created in a row are spread).
 */
static unsigned int place_new(const struct cn_thread *t, unsigned int cur)
{
	static unsigned int rr;
	unsigned long halted = idle_mask;
	unsigned int c, i, n = cn_cpu_count(), best = cur, best_len = ~0u;

	if (t->cpu_mask)
		halted &= t->cpu_mask;
	if (halted)
		return (unsigned int)__builtin_ctzl(halted);
	for (i = 0; i < n; i++) {
		c = (rr + 1 + i) % n;
		if (!allowed(t, c) || !cpu_usable(c))
			continue;
		if (runqs[c].len < best_len) {
			best = c;
			best_len = runqs[c].len;
		}
	}
	rr = best;
	return best;
}

/*
 * Wakes idle CPU cpu (scheduler's lock held): a polling one sees its
 * flag, a halted one gets an IPI.
 */
static void wake_cpu(unsigned int cpu)
{
	if (polling_mask & (1ul << cpu))
		__atomic_store_n(&poll_flag[cpu].wake, 1, __ATOMIC_RELEASE);
	else
		cn_cpu_kick(cpu);
}

/*
 * Wakes one idle CPU other than this one that may run t (a thread left
 * in a busy CPU's queue), a polling one first: it steals t.
 */
static void kick_for(struct cn_thread *t)
{
	unsigned long others = idle_mask & ~(1ul << cn_cpu_id());

	if (t->cpu_mask)
		others &= t->cpu_mask;
	if (others & polling_mask)
		others &= polling_mask;
	if (others)
		wake_cpu((unsigned int)__builtin_ctzl(others));
}

/* Puts t READY on CPU cpu's queue and wakes that CPU if it is halted. */
static void enqueue_on(struct cn_thread *t, unsigned int cpu)
{
	unsigned int self = cn_cpu_id();

	t->state = CN_THREAD_READY;
	t->rq = cpu;
	rq_append(&runqs[cpu], t);
	if (policy && policy->ready)
		policy->ready();
	if (cpu != self && (idle_mask & (1ul << cpu)))
		wake_cpu(cpu);
	else if (cpu == self && runqs[cpu].len > 1)
		kick_for(t);		/* this CPU is busy: another may take it */
}

/*
 * A thread of another queue this CPU may run, from the longest queue;
 * NULL if none. Stealing keeps each queue's order for what remains.
 */
static struct cn_thread *steal(unsigned int cpu)
{
	unsigned int c, n = cn_cpu_count(), best = cpu, best_len = 0;
	struct cn_thread *t = NULL;

	if (!nr_ready)
		return NULL;
	for (c = 0; c < n; c++)
		if (c != cpu && runqs[c].len > best_len) {
			best = c;
			best_len = runqs[c].len;
		}
	if (best == cpu)
		return NULL;
	t = rq_take(&runqs[best], cpu);
	/* Nothing there this CPU may run (masks): the other queues. */
	for (c = 0; !t && c < n; c++)
		if (c != cpu && c != best && runqs[c].len)
			t = rq_take(&runqs[c], cpu);
	if (t)
		runqs[cpu].nr_stolen++;
	return t;
}
#else
static void enqueue_on(struct cn_thread *t, unsigned int cpu)
{
	t->state = CN_THREAD_READY;
	t->rq = 0;
	rq_append(&runqs[0], t);
	if (policy && policy->ready)
		policy->ready();
	(void)cpu;
}
#endif

/* Makes t READY where it belongs; a stop asked for stops it instead. */
static void runq_push(struct cn_thread *t)
{
	if (t->stop) {
		t->state = CN_THREAD_STOPPED;
		return;
	}
#ifdef CONFIG_SMP
	enqueue_on(t, t == current && allowed(t, cn_cpu_id()) ?
		   cn_cpu_id() : place(t, cn_cpu_id()));
#else
	enqueue_on(t, 0);
#endif
}

/* The first READY thread this CPU may run, off the queues; or NULL. */
static struct cn_thread *runq_pop(void)
{
	unsigned int cpu = cn_cpu_id();
	struct cn_thread *t = rq_take(&runqs[cpu], cpu);

#ifdef CONFIG_SMP
	if (!t)
		t = steal(cpu);
#endif
	return t;
}

#ifdef CONFIG_SMP
/* Is a thread READY that this CPU may run? */
static int runnable_here(void)
{
	unsigned int cpu = cn_cpu_id(), c;
	struct cn_thread *t;

	/* Every thread in a CPU's queue may run there (place(), requeue()). */
	if (runqs[cpu].len)
		return 1;
	if (!nr_ready)
		return 0;
	for (c = 0; c < cn_cpu_count() && c < NR_RQ; c++)
		for (t = runqs[c].head; t; t = t->next)
			if (allowed(t, cpu))
				return 1;
	return 0;
}
#endif

static void print_thread(struct cn_thread *t, void *arg)
{
	cn_crash_printf("  %-3d %-16s %s\n", t->id, t->name,
			cn_thread_state_name(t->state));
}

CN_NORETURN static void deadlock(void)
{
	cn_crash_printf("\nDEADLOCK: every thread waits, no timer is "
			"pending and no device can interrupt; nothing can "
			"run again. Threads:\n");
	cn_thread_foreach(print_thread, NULL);
	cn_panic("deadlock in thread %s", current->name);
}

/* Gives a stack (guard page first) back to the heap. */
static void stack_free(unsigned char *stack)
{
	cn_arch_page_guard(stack, 0);
	free(stack);
}

#ifdef CONFIG_SMP
/*
 * Thread stacks freed with SMP are kept, still guarded, for the next
 * thread of the same size (up to STACK_CACHE of them): guarding a fresh
 * stack takes the page away from every CPU's TLB, a synchronous call to
 * each other CPU (<cairn/cpu.h>), which waits for a halted CPU to wake.
 * A server that starts a thread per connection paid that on every
 * connection. Stacks over STACK_CACHE_MAX are not kept (rare, and
 * memory better given back). The thread that takes a kept stack fills
 * it again, outside any lock (a detached thread's stack is put back
 * by whoever frees the thread), so cn_thread_stack_used() reads it as
 * new. The cache has a spinlock of its own, a leaf: nothing is taken
 * under it, so it may be taken under any other.
 */
#define STACK_CACHE	8
#define STACK_CACHE_MAX	(256u * 1024)

static struct {
	unsigned char *stack;
	size_t size;
} stack_cache[STACK_CACHE];
static unsigned int nr_stacks_cached;
static struct cn_spinlock stack_lock = CN_SPINLOCK_INIT;

/* A kept stack of size usable bytes, guarded; or NULL. */
static unsigned char *stack_get(size_t size)
{
	unsigned long flags = cn_spin_lock_irqsave(&stack_lock);
	unsigned char *stack = NULL;
	unsigned int i;

	for (i = nr_stacks_cached; i-- > 0;)
		if (stack_cache[i].size == size) {
			stack = stack_cache[i].stack;
			stack_cache[i] = stack_cache[--nr_stacks_cached];
			break;
		}
	cn_spin_unlock_irqrestore(&stack_lock, flags);
	return stack;
}

/* Keeps t's stack if it may and there is room, else frees it. */
static void stack_put(struct cn_thread *t)
{
	unsigned long flags = cn_spin_lock_irqsave(&stack_lock);

	if (nr_stacks_cached < STACK_CACHE &&
	    t->stack_size <= STACK_CACHE_MAX) {
		stack_cache[nr_stacks_cached].stack = t->stack;
		stack_cache[nr_stacks_cached++].size = t->stack_size;
		t->stack = NULL;
	}
	cn_spin_unlock_irqrestore(&stack_lock, flags);
	if (t->stack)
		stack_free(t->stack);
}

void cn_thread_stacks_release(void)
{
	for (;;) {
		unsigned long flags = cn_spin_lock_irqsave(&stack_lock);
		unsigned char *stack = NULL;

		if (nr_stacks_cached)
			stack = stack_cache[--nr_stacks_cached].stack;
		cn_spin_unlock_irqrestore(&stack_lock, flags);
		if (!stack)
			return;
		stack_free(stack);
	}
}
#else
void cn_thread_stacks_release(void)
{
}

static unsigned char *stack_get(size_t size)
{
	(void)size;
	return NULL;
}

static void stack_put(struct cn_thread *t)
{
	stack_free(t->stack);
}
#endif

static void free_thread(struct cn_thread *t)
{
	struct cn_thread **pp;
	unsigned long flags = cn_big_lock();

	sl_acquire(CN_LOCK_SITE);	/* the list changes under both */
	for (pp = &all_threads; *pp; pp = &(*pp)->all_next) {
		if (*pp == t) {
			*pp = t->all_next;
			break;
		}
	}
	sl_release();
	cn_big_unlock(flags);
	stack_put(t);
	free(t->tls_area);
	free(t);
}

/*
 * Runs the next READY thread; the caller has already put current where it
 * belongs (run queue, a wait queue, or nowhere when exiting). Called with
 * the scheduler's lock held and interrupts off; returns when current runs
 * again, with the lock released, interrupts still off and the big lock
 * held again as deep as current held it.
 */
#ifdef CONFIG_SMP
static struct cn_thread *pick_next(void)
{
	struct cn_thread *next = runq_pop();

	return next ? next : &idle_threads[cn_cpu_id()];
}
#else
static struct cn_thread *pick_next(void)
{
	struct cn_thread *next;

	while (!(next = runq_pop())) {
		if (!cn_timer_pending() && !cn_arch_irq_wake_sources())
			deadlock();
		cn_arch_wait_for_interrupt();	/* tickless idle */
	}
	return next;
}
#endif

/*
 * The end of every switch, on the thread that continues (after
 * cn_arch_ctx_switch(), or first thing in a new thread): releases the
 * scheduler's lock that the switch held, frees the thread that exited
 * (its switch is complete now), and takes the big lock again if current
 * held it when it switched away (switched says whether it did).
 */
static void finish_switch(int switched)
{
	struct cn_thread *z = NULL;

	if (zombie && zombie != current) {
		z = zombie;
		zombie = NULL;
	}
	sl_release();
	if (switched)
		cn_big_reacquire(current->big_depth);
	if (z)
		free_thread(z);
}

static void schedule(void)
{
	struct cn_thread *prev = current, *next = pick_next();
	int switched = next != prev;

#ifdef CONFIG_SMP
	if (!IS_IDLE(next))
#endif
		next->state = CN_THREAD_RUNNING;
	next->cpu = cn_cpu_id();
	if (policy && policy->switched)
		policy->switched();
	if (switched) {
		runqs[cn_cpu_id()].nr_switches++;
		set_current(next);
		cn_arch_tls_set(next->tp);
		/* Released while prev is away; taken again when it runs. */
		prev->big_depth = cn_big_release_all();
		cn_arch_ctx_switch(&prev->sp, next->sp);
		/* Back in prev, maybe on another CPU: the lock is held. */
	}
	finish_switch(switched);
	if (current->killed && current != &main_thread)
		cn_thread_exit(CN_THREAD_KILLED);
}

static void thread_entry(void *arg)
{
	struct cn_thread *t = arg;

	/*
	 * Switched to with the scheduler's lock held and interrupts off
	 * (cn_arch_ctx_init()): an interrupt now would take the big lock
	 * under the scheduler's, the wrong order.
	 */
	finish_switch(1);
	cn_arch_irq_enable();
	if (t->killed)			/* killed before it first ran */
		cn_thread_exit(CN_THREAD_KILLED);
	cn_thread_exit(t->fn(t->arg));
}

/*
 * The boot thread becomes the thread "main" and the scheduler takes over
 * what runs without it: crash reports name threads, sleeps block the
 * sleeper instead of halting the CPU, the allocator takes a lock, the
 * policy starts (the preemptive one's time slice), and interrupts go on
 * for good (a timer must be able to wake a sleeper while others run; the
 * scheduler disables them around its own data only). Last of the library
 * level: after the policy registered itself (CN_INIT_LIB, priority 5) and
 * before file systems, the network and the app, which create threads.
 */
static int smp_start(void);

static int sched_init(void)
{
	main_thread.tp = cn_arch_tls_get();
	if (smp_start())
		return -ENOMEM;
	cn_arch_set_crash_hooks(&crash_hooks);
	cn_time_set_sleeper(cn_thread_sleep_until);
	cn_alloc_set_lock(alloc_lock, alloc_unlock);
	if (policy && policy->start)
		policy->start();
	cn_arch_irq_setup();
	cn_arch_irq_enable();
	cn_pr_debug("threads on, policy %s", cn_sched_policy_name());
	return 0;
}
CN_INIT_REQUIRED_PRIO(sched_init, CN_INIT_LIB, 9);

/* The online CPUs as a mask (CPUs past 63 are not named). */
static uint64_t online_mask(void)
{
	uint64_t m = 0;
	unsigned int i;

	for (i = 0; i < cn_cpu_count() && i < 64; i++)
		if (cn_cpus[i].state == CN_CPU_ONLINE || i == 0)
			m |= 1ull << i;
	return m;
}

/* Takes READY t off its queue and makes it READY again (placed anew). */
static void requeue(struct cn_thread *t)
{
	struct runq *q = &runqs[t->rq];
	struct cn_thread *p, *prev = NULL;

	for (p = q->head; p && p != t; p = p->next)
		prev = p;
	if (!p)
		cn_panic("READY thread %s not in queue %u", t->name, t->rq);
	rq_unlink(q, prev, t);
	runq_push(t);
}

int cn_thread_set_affinity(struct cn_thread *t, uint64_t mask)
{
	unsigned long flags;
	int move;

	if (mask && !(mask & online_mask()))
		return -EINVAL;
	if ((mask & online_mask()) == online_mask())
		mask = 0;			/* anywhere */
	flags = cn_sched_lock();
	if (t->state == CN_THREAD_READY)
		count_ready(t, -1);	/* counted again under its new mask */
	t->cpu_mask = mask;
	if (t->state == CN_THREAD_READY)
		count_ready(t, 1);
	move = t == current && !allowed(t, cn_cpu_id());
	if (t->state == CN_THREAD_READY && !allowed(t, t->rq))
		requeue(t);		/* off a queue it may no longer use */
	cn_sched_unlock(flags);
	if (move)
		cn_thread_yield();	/* the queue gives it to a CPU it may use */
	return 0;
}

uint64_t cn_thread_affinity(const struct cn_thread *t)
{
	return t->cpu_mask ? t->cpu_mask : online_mask();
}

int cn_thread_create(struct cn_thread **out, const struct cn_thread_attr *attr,
		     void *(*fn)(void *), void *arg)
{
	static const struct cn_thread_attr defaults;
	size_t size;
	struct cn_thread *t;
	unsigned long flags;

	if (!attr)
		attr = &defaults;
	size = attr->stack_size ? attr->stack_size :
	       (size_t)CONFIG_LIB_SCHED_STACK_KB * 1024;
	if (size < CN_PAGE_SIZE || size > STACK_MAX || !fn ||
	    (attr->cpu_mask && !(attr->cpu_mask & online_mask())))
		return -EINVAL;
	size = CN_PAGE_ALIGN_UP(size);
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->tls_area = malloc(cn_arch_tls_area_size());
	if (!t->tls_area) {
		free(t);
		return -ENOMEM;
	}
	t->stack_size = size;
	t->stack = stack_get(size);
	if (!t->stack) {
		t->stack = cn_alloc_memalign(cn_alloc_default(), CN_PAGE_SIZE,
					     size + GUARD);
		if (!t->stack) {	/* kept stacks of other sizes: free them */
			cn_thread_stacks_release();
			t->stack = cn_alloc_memalign(cn_alloc_default(),
						     CN_PAGE_SIZE, size + GUARD);
		}
		if (!t->stack || cn_arch_page_guard(t->stack, 1) != 0) {
			free(t->stack);
			free(t->tls_area);
			free(t);
			return -ENOMEM;
		}
	}
	memset(t->stack + GUARD, STACK_FILL, size);
	t->tp = cn_arch_tls_init(t->tls_area);
	t->fn = fn;
	t->arg = arg;
	t->flags = attr->flags;
	t->cpu_mask = attr->cpu_mask;
	t->timer.arg = t;
	t->sp = cn_arch_ctx_init(t->stack + GUARD + size, thread_entry, t);
	flags = cn_big_lock();		/* the list changes under both */
	sl_acquire(CN_LOCK_SITE);
	t->id = next_id++;
	if (attr->name)
		snprintf(t->name, sizeof(t->name), "%s", attr->name);
	else
		snprintf(t->name, sizeof(t->name), "thread%d", t->id);
	t->all_next = all_threads;
	all_threads = t;
#ifdef CONFIG_SMP
	enqueue_on(t, place_new(t, cn_cpu_id()));
#else
	enqueue_on(t, 0);
#endif
	sl_release();
	cn_big_unlock(flags);
	if (out)
		*out = t;
	return 0;
}

void cn_thread_exit(void *retval)
{
	struct cn_thread *t = current;

	if (t == &main_thread)
		exit(retval == CN_THREAD_KILLED ? 1 : (int)(intptr_t)retval);
	/* Waits for a callback running on another CPU: t is freed soon. */
	cn_timer_stop(&t->timer);
	cn_sched_lock();
	t->retval = retval;
	t->state = CN_THREAD_EXITED;
	while (cn_sched_waitq_pop(&t->joiners))
		;
	if (t->flags & CN_THREAD_DETACHED)
		zombie = t;
	schedule();
	cn_panic("exited thread %s ran again", t->name);
}

int cn_thread_join(struct cn_thread *t, void **retval)
{
	unsigned long flags;

	if (t == current)
		return -EDEADLK;
	flags = cn_sched_lock();
	if ((t->flags & CN_THREAD_DETACHED) || t->joined) {
		cn_sched_unlock(flags);
		return -EINVAL;
	}
	t->joined = 1;
	/*
	 * EXITED seen under the lock: t's switch away is complete (it held
	 * the lock through it), so t may be freed.
	 */
	while (t->state != CN_THREAD_EXITED) {
		cn_sched_wait(&t->joiners, 0, flags);
		flags = cn_sched_lock();
	}
	cn_sched_unlock(flags);
	if (retval)
		*retval = t->retval;
	free_thread(t);
	return 0;
}

int cn_thread_detach(struct cn_thread *t)
{
	unsigned long flags = cn_sched_lock();
	int rc = 0, exited = 0;

	/*
	 * Decided under the lock: a thread that has not exited yet becomes
	 * the zombie its exit frees; one that has (its switch away is over,
	 * or we could not hold the lock) is freed here. Reading the state
	 * after unlocking would let both happen.
	 */
	if ((t->flags & CN_THREAD_DETACHED) || t->joined || t == &main_thread)
		rc = -EINVAL;
	else if (t->state == CN_THREAD_EXITED)
		exited = 1;
	else
		t->flags |= CN_THREAD_DETACHED;
	cn_sched_unlock(flags);
	if (exited)
		free_thread(t);
	return rc;
}

int cn_sched_others_ready(void)
{
	return nr_ready != 0;
}

/* From an interrupt's exit, interrupts off: requeue current, run next. */
void cn_sched_preempt(void)
{
	unsigned long flags;

	if (!nr_ready || current->state != CN_THREAD_RUNNING)
		return;
#ifdef CONFIG_SMP
	if (IS_IDLE(current))
		return;
#endif
	flags = cn_sched_lock();
	/*
	 * Only for this CPU's own queue: each thread in a queue may run on
	 * that queue's CPU, whose own slice ends in turn; a CPU with nothing
	 * queued would get its own thread back.
	 */
	if (runqs[cn_cpu_id()].len && current->state == CN_THREAD_RUNNING) {
		runq_push(current);
		schedule();
		cn_arch_irq_restore(flags);
		return;
	}
	cn_sched_unlock(flags);
}

void cn_thread_yield(void)
{
	struct cn_thread *self = current;
	unsigned long flags;

	/*
	 * Nothing READY that this CPU may run (with SMP, ready_for; else
	 * nothing READY at all): the yield would switch back to the caller,
	 * so skip the lock (and, under TCG, the trip to QEMU's main loop
	 * that re-enabling interrupts costs). A stale read only delays the
	 * switch to the caller's next yield. Killed or stopped threads, and
	 * one whose mask no longer allows this CPU, take the slow path,
	 * which ends, stops or moves them.
	 *
	 * No cn_arch_cpu_relax() here: the caller's loop around the yield
	 * is the spin-wait, and on x86 under TCG `pause` ends the vCPU's
	 * run of translated code and takes QEMU's global lock on the way
	 * back, several times the cost of this path (pingpong cross at
	 * -smp 2, same host, same run: about 0.2-0.35 us per call without
	 * it against 0.5-2 us with it), which a thread spinning for a turn
	 * handed from another CPU pays in latency.
	 */
#ifdef CONFIG_SMP
	if (!__atomic_load_n(&ready_for[cn_cpu_id()], __ATOMIC_RELAXED) &&
#else
	if (!__atomic_load_n(&nr_ready, __ATOMIC_RELAXED) &&
#endif
	    !__atomic_load_n(&self->killed, __ATOMIC_RELAXED) &&
	    !__atomic_load_n(&self->stop, __ATOMIC_RELAXED) &&
	    allowed(self, cn_cpu_id()))
		return;
	flags = cn_sched_lock();

#ifdef CONFIG_SMP
	/*
	 * A yield lets a READY thread run, as with one queue: with nothing
	 * in its own queue this CPU takes one it may run from another (else
	 * a thread just made READY on a CPU still waking from its IPI would
	 * wait while this one spins through yields).
	 */
	if (!runqs[cn_cpu_id()].len && nr_ready) {
		unsigned int cpu = cn_cpu_id();
		struct cn_thread *t = steal(cpu);

		if (t) {
			t->rq = cpu;
			rq_append(&runqs[cpu], t);
		}
	}
#endif
	runq_push(current);
	schedule();
	cn_arch_irq_restore(flags);
}

#ifdef CONFIG_SMP
static int nr_running_threads(void)
{
	struct cn_thread *t;
	int n = 0;

	for (t = all_threads; t; t = t->all_next)
		n += t->state == CN_THREAD_RUNNING;
	return n;
}

/*
 * Spins, interrupts on, until this CPU is given a thread (its wake flag,
 * or its own queue filled by an interrupt handler here) or ns have
 * passed; nonzero if it was given one. Reads without the lock: the
 * caller takes it and looks again. No `pause` in the loop: on x86 under
 * TCG each one leaves translated code and takes QEMU's global lock,
 * which the other vCPUs need to send IPIs and QEMU's own thread needs
 * for timers and devices; a few hundred of them per poll turned a
 * poll into contention for everyone else.
 */
static int idle_poll(unsigned int cpu, uint32_t ns)
{
	uint64_t end = cn_time_ns() + ns;
	int hit = 0;

	cn_arch_irq_enable();
	for (;;) {
		if (__atomic_load_n(&poll_flag[cpu].wake, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&runqs[cpu].len, __ATOMIC_RELAXED)) {
			hit = 1;
			break;
		}
		if (cn_time_ns() >= end)
			break;
	}
	cn_arch_irq_disable();
	return hit;
}

/* sched.idle_poll_us in ns; 0 when off or negative, at most 1 s. */
static uint32_t poll_max_ns(void)
{
	int us = __atomic_load_n(&idle_poll_us, __ATOMIC_RELAXED);

	return us <= 0 ? 0 : us > 1000000 ? 1000000000u : (uint32_t)us * 1000u;
}

static void poll_windows_reset(void)
{
	uint32_t max = poll_max_ns();
	unsigned int i;

	for (i = 0; i < CONFIG_NR_CPUS; i++)
		__atomic_store_n(&poll_flag[i].poll_ns, max, __ATOMIC_RELAXED);
}

/*
 * Adapts CPU cpu's poll window to how long its idle periods last (as
 * Linux's guest haltpoll does): an idle period that ended within
 * sched.idle_poll_us is one a poll catches, so the next poll gets the
 * whole bound; one that lasted longer halves the window, and after a
 * few in a row (window under an eighth of the bound) the CPU halts at
 * once. A CPU whose threads block for long (a CPU-bound parallel job
 * whose threads end at different times, a server waiting for requests)
 * thus stops burning its host thread on polls that never pay, and
 * under TCG, where the vCPUs share the host's cores with each other
 * and with QEMU, gives that time back to the vCPUs doing the work;
 * hand-overs that come within the bound keep being caught by polls.
 * idle_ns is the period that just ended, from the CPU going idle to it
 * being given a thread.
 */
static void poll_adapt(unsigned int cpu, uint64_t idle_ns)
{
	uint32_t max = poll_max_ns(), w = poll_flag[cpu].poll_ns;

	if (idle_ns <= max)
		w = max;
	else if ((w /= 2) < max / 8)
		w = 0;
	poll_flag[cpu].poll_ns = w;
}

/*
 * A CPU's idle thread: with the scheduler's lock, run what is READY; with
 * nothing, release it and halt until an interrupt (an IPI from the CPU
 * that made a thread READY, a timer, a device). Nothing can ever run
 * again when no thread runs on any CPU, none is READY, no timer is
 * pending and no device can interrupt: the deadlock report.
 */
CN_NORETURN static void idle_loop(void)
{
	unsigned int cpu = cn_cpu_id();

	for (;;) {
		unsigned long flags = cn_sched_lock();
		int polled = 0, idled = 0;
		uint64_t idle_from = 0;

		while (!runnable_here()) {
			uint32_t window;

			/*
			 * A READY thread this CPU may not take is not a
			 * deadlock: the CPU it may use has been sent an IPI.
			 */
			if (!nr_ready && !cn_timer_pending() &&
			    !cn_arch_irq_wake_sources() && !nr_running_threads())
				deadlock();
			idle_mask |= 1ul << cpu;
			if (!idled) {
				idled = 1;
				idle_from = cn_time_ns();
			}
			window = poll_flag[cpu].poll_ns;
			if (!polled && window > 0 && poll_max_ns()) {
				/* Once per idle period, then halt. */
				polled = 1;
				polling_mask |= 1ul << cpu;
				poll_flag[cpu].wake = 0;
				runqs[cpu].nr_polls++;
				sl_release();
				cn_cpu_run_calls();
				if (idle_poll(cpu, window))
					runqs[cpu].nr_poll_hits++;
				sl_acquire("lib/sched: an idle CPU, after a poll");
				polling_mask &= ~(1ul << cpu);
				idle_mask &= ~(1ul << cpu);
				continue;
			}
			sl_release();
			cn_cpu_run_calls();
			cn_cpu_halt();		/* tickless idle */
			sl_acquire("lib/sched: an idle CPU, after a halt");
			idle_mask &= ~(1ul << cpu);
		}
		if (idled)
			poll_adapt(cpu, cn_time_ns() - idle_from);
		schedule();
		cn_arch_irq_restore(flags);
	}
}

/*
 * CPU 0's idle thread starts here, switched to with the scheduler's lock
 * held.
 */
static void idle_entry(void *arg)
{
	(void)arg;
	finish_switch(1);
	idle_loop();
}

/* An application processor's idle loop becomes its idle thread. */
static void ap_enter(void)
{
	struct cn_thread *idle = &idle_threads[cn_cpu_id()];

	idle->tp = cn_arch_tls_get();
	set_current(idle);
	idle_loop();
}

static int smp_start(void)
{
	struct cn_thread *idle = &idle_threads[0];
	const size_t size = 16 * 1024;
	unsigned int i;

	cn_cpus[0].thread = &main_thread;
	poll_windows_reset();
	for (i = 0; i < CONFIG_NR_CPUS; i++) {
		idle_threads[i].state = CN_THREAD_RUNNING;
		idle_threads[i].cpu = i;
		snprintf(idle_threads[i].name, sizeof(idle_threads[i].name),
			 "idle%u", i);
	}
	idle->stack = malloc(size);
	idle->tls_area = malloc(cn_arch_tls_area_size());
	if (!idle->stack || !idle->tls_area)
		return -ENOMEM;
	idle->tp = cn_arch_tls_init(idle->tls_area);
	idle->sp = cn_arch_ctx_init(idle->stack + size, idle_entry, idle);
	idle->stack = NULL;		/* not a guarded thread stack */
	cn_cpu_set_idle_hook(ap_enter);
	return 0;
}
#else
static int smp_start(void)
{
	return 0;
}
#endif

int cn_sched_idle_poll_us(int us)
{
#ifdef CONFIG_SMP
	int old = __atomic_load_n(&idle_poll_us, __ATOMIC_RELAXED);

	if (us >= 0) {
		__atomic_store_n(&idle_poll_us, us, __ATOMIC_RELAXED);
		poll_windows_reset();	/* a new bound starts full */
	}
	return old;
#else
	(void)us;
	return 0;
#endif
}

/* Takes t off the queue it waits on and makes it READY with result. */
static void unwait(struct cn_thread *t, int result)
{
	struct cn_thread **pp;

	for (pp = &t->waiting_on->head; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	if (t->waiting_on->tail == t) {
		struct cn_thread *p = t->waiting_on->head;

		while (p && p->next)
			p = p->next;
		t->waiting_on->tail = p;
	}
	t->waiting_on = NULL;
	t->wake_result = result;
	runq_push(t);
}

/*
 * A waiting thread's timer: times it out if it still waits with a
 * deadline that has passed (see the file's top comment: this may be a
 * callback that was already under way when the wait it was for ended).
 */
static void timeout(struct cn_timer *tm)
{
	struct cn_thread *t = tm->arg;
	unsigned long flags = cn_sched_lock();

	if ((t->state == CN_THREAD_BLOCKED || t->state == CN_THREAD_SLEEPING)
	    && t->wait_deadline && cn_time_ns() >= t->wait_deadline)
		unwait(t, t->killed ? -EINTR : -ETIMEDOUT);
	cn_sched_unlock(flags);
}

void cn_sched_timer_arm(uint64_t deadline)
{
	cn_timer_start(&current->timer, deadline, timeout);
}

void cn_sched_timer_disarm(void)
{
	cn_timer_cancel(&current->timer);
}

int cn_waitq_interrupt(struct cn_waitq *q, struct cn_thread *t)
{
	/* The big lock too, as for every public wake (cn_waitq_wake_one()). */
	unsigned long flags = cn_big_lock();
	int n = 0;

	sl_acquire(CN_LOCK_SITE);
	if ((t->state == CN_THREAD_BLOCKED || t->state == CN_THREAD_SLEEPING)
	    && t->waiting_on == q) {
		cn_timer_cancel(&t->timer);
		unwait(t, -EINTR);
		n = 1;
	}
	sl_release();
	cn_big_unlock(flags);
	return n;
}

/*
 * Puts current on q in state and runs another thread until it is woken,
 * times out (deadline; its timer started before the lock was taken) or
 * is interrupted. Called with the scheduler's lock held, interrupts off;
 * returns with the lock released (interrupts still off): 0, -ETIMEDOUT
 * or -EINTR.
 */
static int wait_on(struct cn_waitq *q, uint64_t deadline,
		   enum cn_thread_state state)
{
	struct cn_thread *t = current;

	/* Killed: it ends at its next blocking point, as documented. */
	if (t->killed) {
		sl_release();
		if (t != &main_thread) {
			cn_arch_irq_enable();
			cn_thread_exit(CN_THREAD_KILLED);
		}
		return -EINTR;
	}
	/* The timer may have gone off before the lock was taken. */
	if (deadline && cn_time_ns() >= deadline) {
		sl_release();
		return -ETIMEDOUT;
	}
	t->next = NULL;
	if (q->tail)
		q->tail->next = t;
	else
		q->head = t;
	q->tail = t;
	t->waiting_on = q;
	t->state = state;
	t->wake_result = 0;
	t->wait_deadline = deadline;
	schedule();
	return t->wake_result;
}

int cn_sched_wait(struct cn_waitq *q, uint64_t deadline, unsigned long flags)
{
	int rc = wait_on(q, deadline, CN_THREAD_BLOCKED);

	cn_arch_irq_restore(flags);
	return rc;
}

int cn_waitq_wait(struct cn_waitq *q, uint64_t deadline)
{
	unsigned long flags;
	int rc;

	if (deadline)
		cn_sched_timer_arm(deadline);
	flags = cn_sched_lock();
	rc = cn_sched_wait(q, deadline, flags);
	if (deadline)
		cn_sched_timer_disarm();
	return rc;
}

struct cn_thread *cn_sched_waitq_pop(struct cn_waitq *q)
{
	struct cn_thread *t = q->head;

	if (!t)
		return NULL;
	q->head = t->next;
	if (!q->head)
		q->tail = NULL;
	t->waiting_on = NULL;
	runq_push(t);
	return t;
}

/*
 * The public wakes take the big lock as well: a library that changes a
 * condition outside the big lock and then wakes relies on it to order
 * the wake after a waiter's look at the condition (waiters look under
 * the big lock and queue before they release it).
 */
int cn_waitq_wake_one(struct cn_waitq *q)
{
	unsigned long flags = cn_big_lock();
	int n;

	sl_acquire(CN_LOCK_SITE);
	n = cn_sched_waitq_pop(q) != NULL;
	sl_release();
	cn_big_unlock(flags);
	return n;
}

int cn_waitq_wake_all(struct cn_waitq *q)
{
	unsigned long flags = cn_big_lock();
	int n = 0;

	sl_acquire(CN_LOCK_SITE);
	while (cn_sched_waitq_pop(q))
		n++;
	sl_release();
	cn_big_unlock(flags);
	return n;
}

int cn_thread_sleep_until(uint64_t deadline)
{
	struct cn_waitq q = CN_WAITQ_INIT;	/* nobody wakes it early */
	unsigned long flags;
	int rc;

	if (cn_time_ns() >= deadline)
		return current->killed ? -EINTR : 0;
	cn_sched_timer_arm(deadline);
	flags = cn_sched_lock();
	rc = wait_on(&q, deadline, CN_THREAD_SLEEPING);
	cn_arch_irq_restore(flags);
	cn_sched_timer_disarm();
	return rc == -ETIMEDOUT ? 0 : rc;
}

int cn_thread_sleep_ns(uint64_t ns)
{
	return cn_thread_sleep_until(cn_time_ns() + ns);
}

int cn_thread_kill(struct cn_thread *t)
{
	unsigned long flags;

	if (t == &main_thread)
		return -EINVAL;
	flags = cn_sched_lock();
	if (t->state == CN_THREAD_EXITED) {
		cn_sched_unlock(flags);
		return -ESRCH;
	}
	t->killed = 1;
	t->stop = 0;			/* a stopped thread runs to its end */
	if (t->state == CN_THREAD_STOPPED)
		runq_push(t);
	if (t->state == CN_THREAD_BLOCKED || t->state == CN_THREAD_SLEEPING) {
		cn_timer_cancel(&t->timer);
		unwait(t, -EINTR);		/* off its queue, READY */
	}
	cn_sched_unlock(flags);
	if (t == current)
		cn_thread_exit(CN_THREAD_KILLED);
	return 0;
}

static int is_idle(const struct cn_thread *t)
{
#ifdef CONFIG_SMP
	return IS_IDLE(t);
#else
	(void)t;
	return 0;
#endif
}

int cn_thread_stop(struct cn_thread *t)
{
	unsigned long flags;
	int rc = 0;

	if (is_idle(t))
		return -EPERM;
	if (t == current)
		return -EDEADLK;
	flags = cn_sched_lock();
	if (t->state == CN_THREAD_EXITED) {
		rc = -ESRCH;
	} else if (t->stop) {
		rc = -EALREADY;
	} else {
		t->stop = 1;
		if (t->state == CN_THREAD_READY) {
			requeue(t);	/* runq_push() stops it */
		}
	}
	cn_sched_unlock(flags);
	return rc;
}

int cn_thread_resume(struct cn_thread *t)
{
	unsigned long flags;
	int rc = 0;

	if (is_idle(t))
		return -EPERM;
	flags = cn_sched_lock();
	if (t->state == CN_THREAD_EXITED)
		rc = -ESRCH;
	else if (!t->stop)
		rc = -EINVAL;
	else if ((t->stop = 0, t->state == CN_THREAD_STOPPED))
		runq_push(t);
	cn_sched_unlock(flags);
	return rc;
}

void cn_sched_cpu_stats_read(unsigned int cpu, struct cn_sched_cpu_stats *out)
{
	unsigned long flags;

	memset(out, 0, sizeof(*out));
	if (cpu >= NR_RQ || cpu >= cn_cpu_count())
		return;
	flags = cn_sched_lock();
	out->queued = runqs[cpu].len;
	out->switches = runqs[cpu].nr_switches;
	out->stolen = runqs[cpu].nr_stolen;
	out->polls = runqs[cpu].nr_polls;
	out->poll_hits = runqs[cpu].nr_poll_hits;
	out->locked = runqs[cpu].nr_locked;
	out->lock_contended = runqs[cpu].nr_lock_contended;
	cn_sched_unlock(flags);
}

struct cn_thread *cn_thread_current(void)
{
	return current;
}

const char *cn_thread_name(const struct cn_thread *t)
{
	return t->name;
}

int cn_thread_set_name(struct cn_thread *t, const char *name)
{
	unsigned long flags;

	if (!name)
		return -EINVAL;
	/* Under the big lock, like the thread list that `ps` walks. */
	flags = cn_big_lock();
	snprintf(t->name, sizeof(t->name), "%s", name);
	cn_big_unlock(flags);
	return 0;
}

unsigned int cn_thread_cpu(const struct cn_thread *t)
{
	return t->cpu;
}

int cn_thread_id(const struct cn_thread *t)
{
	return t->id;
}

enum cn_thread_state cn_thread_state(const struct cn_thread *t)
{
	return t->state;
}

const char *cn_thread_state_name(enum cn_thread_state s)
{
	static const char *const names[] = {
		"ready", "running", "blocked", "sleeping", "exited", "stopped",
	};

	return (unsigned int)s < 6 ? names[s] : "?";
}

size_t cn_thread_stack_used(const struct cn_thread *t)
{
	size_t i;

	if (!t->stack)
		return 0;
	for (i = 0; i < t->stack_size; i++)
		if (t->stack[GUARD + i] != STACK_FILL)
			break;
	return t->stack_size - i;
}

size_t cn_thread_stack_size(const struct cn_thread *t)
{
	return t->stack_size;
}

void *cn_thread_stack_base(const struct cn_thread *t)
{
	return t->stack ? t->stack + GUARD : NULL;
}

void cn_thread_foreach(void (*fn)(struct cn_thread *t, void *arg), void *arg)
{
	struct cn_thread *t;

	for (t = all_threads; t; t = t->all_next)
		fn(t, arg);
}
