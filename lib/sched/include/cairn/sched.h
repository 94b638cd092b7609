/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Threads and the scheduler. Every thread has its own stack (with an
 * unmapped guard page under it: an overflow is reported by name) and its
 * own TLS block (errno and picolibc's state are per thread). main() runs
 * in the first thread, "main", on the boot stack.
 *
 * The scheduler (menuconfig) is cooperative: a thread runs until it
 * blocks, sleeps, yields or exits, the others run in FIFO order; or
 * preemptive: the same, and a thread that used up its time slice while
 * others are ready goes to the back of the queue. When every thread waits,
 * the CPU halts until the next timer (tickless); with SMP every CPU takes
 * threads from the same queue and a thread may move between CPUs each
 * time it waits or is preempted. If every thread waits and
 * no timer is pending and no device interrupt handler exists, nothing can
 * ever run again: the image stops with a
 * "deadlock" report listing the threads.
 *
 * Functions that may block must not be called from interrupt handlers;
 * cn_waitq_wake_*() may.
 */
#ifndef CAIRN_SCHED_H
#define CAIRN_SCHED_H

#include <stddef.h>
#include <stdint.h>

struct cn_thread;

enum cn_thread_state {
	CN_THREAD_READY,	/* runnable, waiting for the CPU */
	CN_THREAD_RUNNING,
	CN_THREAD_BLOCKED,	/* on a wait queue (mutex, semaphore...) */
	CN_THREAD_SLEEPING,
	CN_THREAD_EXITED,	/* waiting to be joined */
	CN_THREAD_STOPPED,	/* paused by cn_thread_stop(), in no queue */
};

#define CN_THREAD_DETACHED	0x1	/* freed at exit; cannot be joined */

/* Returned by cn_thread_join() for a thread that was killed. */
#define CN_THREAD_KILLED	((void *)(intptr_t)-1)

struct cn_thread_attr {
	const char *name;	/* copied; NULL: "thread<id>" */
	size_t stack_size;	/* bytes; 0: CONFIG_LIB_SCHED_STACK_KB */
	unsigned int flags;	/* CN_THREAD_DETACHED */
	uint64_t cpu_mask;	/* CPUs it may run on (bit n: CPU n); 0: any */
};

/*
 * Creates a thread running fn(arg); it is READY at once and runs when the
 * caller blocks or yields (or at once on another CPU). Stores it in *out
 * (unless out is NULL). Returns 0, -EINVAL (stack_size too small or too
 * big, or a cpu_mask naming no CPU that is online), -ENOMEM.
 */
int cn_thread_create(struct cn_thread **out, const struct cn_thread_attr *attr,
		     void *(*fn)(void *), void *arg);

/*
 * Waits until t exits and frees it; its return value goes to *retval
 * (CN_THREAD_KILLED if it was killed). Returns 0, -EINVAL (detached, or
 * already being joined), -EDEADLK (t is the caller).
 */
int cn_thread_join(struct cn_thread *t, void **retval);

/*
 * Makes t free itself when it exits (at once if it already has). Returns
 * 0 or -EINVAL (already detached or being joined).
 */
int cn_thread_detach(struct cn_thread *t);

/* Ends the calling thread with retval. main's thread ends the image. */
void cn_thread_exit(void *retval) __attribute__((noreturn));

/* Lets every other READY thread run once before the caller continues. */
void cn_thread_yield(void);

/*
 * Sleeps at least ns nanoseconds (or until deadline, cn_time_ns() scale).
 * Returns 0, or -EINTR when the thread was killed meanwhile.
 */
int cn_thread_sleep_ns(uint64_t ns);
int cn_thread_sleep_until(uint64_t deadline);

/*
 * Asks t to end: it exits with CN_THREAD_KILLED as soon as it next runs
 * (a blocked or sleeping thread is woken for that). Returns 0, -ESRCH
 * (already exited), -EINVAL (main: end the image with exit() instead).
 */
int cn_thread_kill(struct cn_thread *t);

/*
 * Pauses t: it stops where it would next be made READY (at once if it
 * is READY; when woken if it waits or sleeps, its wait's result kept for
 * when it resumes; at its next yield, block or preemption if it runs on
 * another CPU) and stays in CN_THREAD_STOPPED until cn_thread_resume().
 * A kill resumes it to let it end. Returns 0, -EDEADLK (t is the
 * caller), -EPERM (a CPU's idle thread), -ESRCH (exited), -EALREADY
 * (stopped already). Not from an interrupt handler.
 */
int cn_thread_stop(struct cn_thread *t);

/*
 * Resumes a thread cn_thread_stop() paused (READY again, or still
 * waiting if its wait has not ended). Returns 0, -EPERM (idle thread),
 * -ESRCH (exited), -EINVAL (not stopped).
 */
int cn_thread_resume(struct cn_thread *t);

/* Per-CPU scheduler figures for `cpus` (all 0 past cn_cpu_count()). */
struct cn_sched_cpu_stats {
	unsigned int queued;		/* READY threads in its queue now */
	unsigned long long switches;	/* context switches on it */
	unsigned long long stolen;	/* threads it took from other queues */
	unsigned long long polls;	/* idle periods it polled (sched.idle_poll_us) */
	unsigned long long poll_hits;	/* of them, given a thread while polling */
	unsigned long long locked;	/* the scheduler's lock taken on it */
	unsigned long long lock_contended;	/* of them, found held */
};
void cn_sched_cpu_stats_read(unsigned int cpu, struct cn_sched_cpu_stats *out);

/*
 * Idle polling (SMP): an idle CPU spins for up to this many microseconds
 * for a thread before it halts, and a CPU that gives it one skips the
 * IPI (boot parameter sched.idle_poll_us, default 50; 0 halts at once).
 * Sets it to us (negative: leaves it) and returns the previous value.
 * Always 0 without SMP.
 */
int cn_sched_idle_poll_us(int us);

struct cn_thread *cn_thread_current(void);
/* The CPU t runs on, or ran on last (0 without SMP). */
unsigned int cn_thread_cpu(const struct cn_thread *t);

/*
 * Affinity: the CPUs t may run on, bit n for CPU n (CPUs past 63 are not
 * named; 0 or every online CPU: any). The scheduler only gives t to a CPU
 * in its mask. A change takes effect at t's next switch: at once for the
 * caller itself (it yields to move), when it next blocks, yields or is
 * preempted for a thread running on another CPU. Returns 0 or -EINVAL
 * (the mask names no online CPU). Not from an interrupt handler.
 */
int cn_thread_set_affinity(struct cn_thread *t, uint64_t mask);
/* t's mask as set (every online CPU when it was never restricted). */
uint64_t cn_thread_affinity(const struct cn_thread *t);
const char *cn_thread_name(const struct cn_thread *t);
/*
 * Renames t (what `ps` and crash reports show); name is copied, cut to
 * 31 bytes. Returns 0 or -EINVAL (name NULL).
 */
int cn_thread_set_name(struct cn_thread *t, const char *name);
int cn_thread_id(const struct cn_thread *t);
enum cn_thread_state cn_thread_state(const struct cn_thread *t);
const char *cn_thread_state_name(enum cn_thread_state s);

/* Bytes of its stack t has used so far (high-water mark) and its size. */
size_t cn_thread_stack_used(const struct cn_thread *t);
size_t cn_thread_stack_size(const struct cn_thread *t);
/* The lowest usable byte of t's stack (above its guard page); NULL for a
 * thread on a stack it did not allocate (main's boot stack). */
void *cn_thread_stack_base(const struct cn_thread *t);
/*
 * With SMP, ended threads' stacks are kept for the next threads of the
 * same size (up to 8; see lib/sched/README.md): this frees them, for a
 * leak check that compares the heap before and after threads ran, or
 * memory wanted elsewhere. A thread whose stack cannot be allocated
 * frees them by itself and tries again. Without SMP nothing is kept.
 */
void cn_thread_stacks_release(void);

/* Calls fn for every thread that exists (not yet joined or freed). */
void cn_thread_foreach(void (*fn)(struct cn_thread *t, void *arg), void *arg);

/*
 * Wait queues: the building block of every blocking primitive. Waiters
 * are woken in FIFO order.
 */
struct cn_waitq {
	struct cn_thread *head, *tail;
};
#define CN_WAITQ_INIT { NULL, NULL }

/*
 * Blocks the caller on q until woken, until deadline (cn_time_ns() scale;
 * 0: none) or until killed. Call holding the big lock (cn_big_lock(),
 * <cairn/biglock.h>: interrupts off on one CPU, and the other CPUs kept
 * out with SMP) so that the condition checked before cannot change
 * unseen; it is held again on return. Returns 0 (woken), -ETIMEDOUT or
 * -EINTR (killed).
 */
int cn_waitq_wait(struct cn_waitq *q, uint64_t deadline);

/* Wake the first waiter / all waiters; return how many. IRQ-safe. */
int cn_waitq_wake_one(struct cn_waitq *q);
int cn_waitq_wake_all(struct cn_waitq *q);

/*
 * Wakes t with -EINTR if it is blocked on q, as if killed but without
 * ending it (a signal interrupting a wait: <cairn/sigintr.h>); returns 1,
 * or 0 when it was not waiting there. IRQ-safe.
 */
int cn_waitq_interrupt(struct cn_waitq *q, struct cn_thread *t);

#endif
