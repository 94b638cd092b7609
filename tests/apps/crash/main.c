/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Crashes on request, for the tests of crash reports and exit statuses:
 *   null | write-null | div0 | ud | panic | assert | exit N
 *   abort | c-assert    (the C library's abort() and assert())
 *   null-first  (reads NULL before printing anything: stdio's locks,
 *                the first allocation, are not made yet)
 *   write-code | exec-data | overflow   (W^X and the stack guard page)
 *   double-free | overrun | bad-free    (with LIB_ALLOC_DEBUG)
 *   malloc   (three allocations, two frees, exit 0)
 *   time     (prints time(NULL))
 *   thread-overflow   (a thread named "deep" overflows its stack)
 *   thread-overflow-reused   (the same, after a thread of the same stack
 *             size has ended: with SMP, on that thread's kept stack)
 *   thread-panic      (a thread named "worker" panics)
 *   log      (logs three lines, then reads NULL: the report shows them)
 *   oom      (fills the heap, then a kernel allocation that cannot fail)
 *   oom-null (an unchecked failed malloc, then a write through NULL)
 *   threads  (two sleeping threads "sleeper-a" and "sleeper-b", then
 *             main sleeps: for gdb's thread list and lib/shell's ps)
 *   sleep N  (sleeps N seconds, exits 0: lib/shell beside the app)
 *   deadlock (threads "lock-ab" and "lock-ba" take two mutexes in
 *             opposite orders and main joins them: nothing can run again)
 * and `echo`, which reads console lines (fgets, getchar) until "quit".
 * Each crash sits in its own non-inlined function so that the report's
 * backtrace has a name to check.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cairn/alloc.h>
#include <cairn/cpu.h>
#include <cairn/log.h>
#include <cairn/panic.h>
#include <cairn/sched.h>
#include <cairn/sync.h>

int main(int argc, char *argv[]);

static volatile int zero;

#ifdef CONFIG_APP_CRASH_BIG
static volatile char big_bss[3 << 20];
#endif

CN_NOINLINE static int crash_null_read(void)
{
	volatile int *p = (volatile int *)(unsigned long)zero;

	return *p;
}

CN_NOINLINE static void crash_null_write(void)
{
	volatile int *p = (volatile int *)(unsigned long)(zero + 8);

	*p = 1;
}

CN_NOINLINE static int crash_divide(int a)
{
	return a / zero;
}

CN_NOINLINE static void crash_invalid_opcode(void)
{
#ifdef __aarch64__
	__asm__ volatile("udf #0");
#else
	__asm__ volatile("ud2");
#endif
}

CN_NOINLINE static void crash_write_code(void)
{
	volatile unsigned char *code = (volatile unsigned char *)&main;

	code[0] = 0xc3;
}

CN_NOINLINE static void crash_exec_data(void)
{
	static unsigned char ret_insn[16] = { 0xc3 };	/* in .data */
	void (*volatile fn)(void) = (void (*)(void))(void *)ret_insn;

	fn();
}

static volatile int no_limit = 1 << 30;

CN_NOINLINE static int crash_overflow(int depth)
{
	volatile char frame[512];

	frame[0] = (char)depth;
	if (depth > no_limit)
		return 0;
	return crash_overflow(depth + 1) + frame[0];
}

static void *ret_null(void *arg)
{
	return arg;
}

static void *overflow_thread(void *arg)
{
	return (void *)(intptr_t)crash_overflow(0);
}

CN_NOINLINE static char *make_buffer(size_t n)
{
	return malloc(n);
}

CN_NOINLINE static void crash_double_free(void)
{
	char *p = make_buffer(40);

	free(p);
	free(p);
}

CN_NOINLINE static void crash_overrun(void)
{
	char *p = make_buffer(40);

	memset(p, 'x', 41);
	free(p);
}

CN_NOINLINE static void crash_bad_free(void)
{
	static char not_from_malloc[64] __attribute__((aligned(16)));

	free(not_from_malloc + 32);
}

CN_NOINLINE static void crash_assert(int x)
{
	CN_ASSERT(x == 42);
}

CN_NOINLINE static void crash_abort(void)
{
	abort();
}

CN_NOINLINE static void crash_c_assert(int argc)
{
	assert(argc == 42);
}

static void *panic_thread(void *arg)
{
	cn_panic("worker gives up after %d tries", 3);
}

CN_NOINLINE static int crash_after_logging(void)
{
	cn_pr_info("first line before the crash");
	cn_pr_warn("second line before the crash");
	cn_pr_err("third line before the crash: %d", 3);
	return crash_null_read();
}

/* Keeps every block it gets in a list threaded through the blocks. */
CN_NOINLINE static void fill_heap(void)
{
	static void *kept;
	size_t size;
	void **p;

	for (size = 1 << 20; size >= 64; size /= 2) {
		while ((p = malloc(size)) != NULL) {
			*p = kept;
			kept = p;
		}
	}
}

CN_NOINLINE static void crash_oom(void)
{
	fill_heap();
	cn_alloc_must(cn_alloc_default(), 4096, 64 << 10, "a thread stack");
}

CN_NOINLINE static void crash_oom_null(void)
{
	volatile size_t huge = (size_t)1 << 40;
	volatile char *p = malloc(huge);

	p[8] = 1;
}

static void *sleeper(void *arg)
{
	while (cn_thread_sleep_ns(1000000000ull) == 0)
		;
	return arg;
}

/* gdb's breakpoint once the threads exist (tests/test_debug.py). */
CN_NOINLINE static void crash_threads_ready(int n)
{
	printf("threads ready: %d\n", n);
	fflush(stdout);
}

static int start_sleepers(void)
{
	static const char *const names[] = { "sleeper-a", "sleeper-b" };
	/*
	 * On main's CPU, so that with SMP too they run only once main
	 * sleeps: make debug's thread list sees main sleeping, sleeper-a
	 * running and sleeper-b not started yet (tests/test_debug.py).
	 */
	struct cn_thread_attr attr = {
		.flags = CN_THREAD_DETACHED,
		.cpu_mask = 1ull << cn_thread_cpu(cn_thread_current()),
	};
	unsigned int i;

	for (i = 0; i < 2; i++) {
		attr.name = names[i];
		if (cn_thread_create(NULL, &attr, sleeper, NULL))
			return 3;
	}
	crash_threads_ready(2);
	for (;;)
		cn_thread_sleep_ns(1000000000ull);
}

static struct cn_mutex lock_a = CN_MUTEX_INIT, lock_b = CN_MUTEX_INIT;
static int holding;

/* Takes first, waits until the other thread holds its first, then second. */
static void *lock_two(void *arg)
{
	struct cn_mutex **order = arg;

	cn_mutex_lock(order[0]);
	__atomic_add_fetch(&holding, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&holding, __ATOMIC_SEQ_CST) < 2)
		cn_thread_yield();
	cn_mutex_lock(order[1]);
	return NULL;
}

static int deadlock(void)
{
	static struct cn_mutex *ab[] = { &lock_a, &lock_b };
	static struct cn_mutex *ba[] = { &lock_b, &lock_a };
	struct cn_thread_attr attr = { .name = "lock-ab" };
	struct cn_thread *t[2];

	if (cn_thread_create(&t[0], &attr, lock_two, ab))
		return 3;
	attr.name = "lock-ba";
	if (cn_thread_create(&t[1], &attr, lock_two, ba))
		return 3;
	printf("deadlock: two threads, two mutexes\n");
	fflush(stdout);
	cn_thread_join(t[0], NULL);
	return 4;			/* not reached: the report ends it */
}

static int echo_lines(void)
{
	char line[128];
	int c;

	/* One character through getchar first, the rest through fgets. */
	c = getchar();
	if (c == EOF)
		return 3;
	printf("first char: %c\n", c);
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, "quit") == 0)
			return 0;
		printf("got: [%s] (%zu)\n", line, strlen(line));
		fflush(stdout);
	}
	return 4;
}

int main(int argc, char *argv[])
{
	const char *what = argc > 1 ? argv[1] : "";

#ifdef CONFIG_APP_CRASH_BIG
	big_bss[sizeof(big_bss) - 1] = 1;
#endif
	if (strcmp(what, "null-first") == 0)
		return crash_null_read();
	printf("crash: %s\n", what);
	fflush(stdout);
	if (strcmp(what, "null") == 0)
		return crash_null_read();
	if (strcmp(what, "write-null") == 0)
		crash_null_write();
	else if (strcmp(what, "div0") == 0)
		return crash_divide(argc);
	else if (strcmp(what, "ud") == 0)
		crash_invalid_opcode();
	else if (strcmp(what, "panic") == 0)
		cn_panic("requested panic %d", 7);
	else if (strcmp(what, "assert") == 0)
		crash_assert(argc);
	else if (strcmp(what, "abort") == 0)
		crash_abort();
	else if (strcmp(what, "c-assert") == 0)
		crash_c_assert(argc);
	else if (strcmp(what, "write-code") == 0)
		crash_write_code();
	else if (strcmp(what, "exec-data") == 0)
		crash_exec_data();
	else if (strcmp(what, "overflow") == 0)
		return crash_overflow(0);
	else if (strcmp(what, "double-free") == 0)
		crash_double_free();
	else if (strcmp(what, "overrun") == 0)
		crash_overrun();
	else if (strcmp(what, "bad-free") == 0)
		crash_bad_free();
	else if (strcmp(what, "thread-overflow") == 0) {
		struct cn_thread *t;
		struct cn_thread_attr attr = { .name = "deep" };

		if (cn_thread_create(&t, &attr, overflow_thread, NULL))
			return 3;
		return cn_thread_join(t, NULL);
	} else if (strcmp(what, "thread-overflow-reused") == 0) {
		struct cn_thread *t;
		struct cn_thread_attr attr = { .name = "shallow" };
		void *first;

		if (cn_thread_create(&t, &attr, ret_null, NULL))
			return 3;
		first = cn_thread_stack_base(t);
		if (cn_thread_join(t, NULL))
			return 3;
		attr.name = "deep";
		/* On this CPU: it runs once main waits, after the line below. */
		attr.cpu_mask = 1ull << cn_cpu_id();
		if (cn_thread_create(&t, &attr, overflow_thread, NULL))
			return 3;
		printf("thread-overflow-reused: stack %s\n",
		       cn_thread_stack_base(t) == first ? "reused" : "new");
		return cn_thread_join(t, NULL);
	} else if (strcmp(what, "thread-panic") == 0) {
		struct cn_thread *t;
		struct cn_thread_attr attr = { .name = "worker" };

		if (cn_thread_create(&t, &attr, panic_thread, NULL))
			return 3;
		return cn_thread_join(t, NULL);
	} else if (strcmp(what, "log") == 0)
		return crash_after_logging();
	else if (strcmp(what, "oom") == 0)
		crash_oom();
	else if (strcmp(what, "oom-null") == 0)
		crash_oom_null();
	else if (strcmp(what, "threads") == 0)
		return start_sleepers();
	else if (strcmp(what, "deadlock") == 0)
		return deadlock();
	else if (strcmp(what, "sleep") == 0 && argc > 2) {
		cn_thread_sleep_ns(atoi(argv[2]) * 1000000000ull);
		return 0;
	} else if (strcmp(what, "time") == 0) {
		printf("time: %lld\n", (long long)time(NULL));
		return 0;
	} else if (strcmp(what, "malloc") == 0) {
		char *a = malloc(1000), *b = malloc(5000), *c = malloc(70);

		free(a);
		free(c);
		return !b;
	} else if (strcmp(what, "echo") == 0)
		return echo_lines();
	else if (strcmp(what, "exit") == 0 && argc > 2)
		return atoi(argv[2]);
	fprintf(stderr, "crash: unknown request '%s'\n", what);
	return 2;
}
