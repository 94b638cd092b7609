/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test app for tests/test_posix.py: does what its first argument names
 * and prints what it saw; several of them end the image on purpose.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/utsname.h>

#include "posix_app.h"

static int show_env(void)
{
	struct utsname u;
	char host[65];
	const char *g = getenv("GREETING"), *h = getenv("HOME");

	uname(&u);
	gethostname(host, sizeof(host));
	printf("GREETING=%s HOME=%s host=%s sysname=%s\n", g ? g : "(unset)",
	       h ? h : "(unset)", host, u.sysname);
	return 0;
}

static int write_to_closed_pipe(int ignore)
{
	int p[2];

	if (ignore)
		signal(SIGPIPE, SIG_IGN);
	if (pipe(p) || close(p[0]))
		return 2;
	fflush(stdout);
	if (write(p[1], "x", 1) < 0)
		printf("write: %s\n", errno == EPIPE ? "EPIPE" : strerror(errno));
	return 0;
}

static int touch_guard_page(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	volatile char *p = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 2;
	p[0] = 1;
	printf("mapped page written; now one byte past it\n");
	fflush(stdout);
	p[pg] = 1;
	return 0;
}

/* A PROT_READ page reads (its zeros) and faults on a write, as Linux
 * gives SIGSEGV; after mprotect(PROT_NONE) a read faults too. */
static int write_readonly(int none)
{
	long pg = sysconf(_SC_PAGESIZE);
	volatile char *p = mmap(NULL, (size_t)pg, PROT_READ,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 2;
	printf("read-only page reads %d\n", p[0]);
	if (none) {
		if (mprotect((void *)p, (size_t)pg, PROT_NONE))
			return 3;
		printf("PROT_NONE page; now reading it\n");
		fflush(stdout);
		return p[1];
	}
	printf("now writing it\n");
	fflush(stdout);
	p[1] = 1;
	return 0;
}

/*
 * With SMP: a thread on CPU 1 writes a page over and over (so CPU 1's TLB
 * holds a writable entry for it) while main, on CPU 0, makes the page
 * read-only. The writer's next write must fault on CPU 1; without a TLB
 * shootdown it goes on writing through the stale entry.
 */
static volatile char *tlb_page;
static volatile unsigned long tlb_writes;

static void *tlb_writer(void *arg)
{
	for (;;) {
		tlb_page[0]++;
		tlb_writes++;
	}
	return arg;
}

static int stale_tlb(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	pthread_attr_t attr;
	pthread_t t;
	cpu_set_t set;
	unsigned long before;
	struct timespec ms200 = { 0, 200000000 };

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		printf("tlb: needs two CPUs\n");
		return 2;
	}
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return 3;
	tlb_page = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (tlb_page == MAP_FAILED)
		return 4;
	CPU_ZERO(&set);
	CPU_SET(1, &set);
	pthread_attr_init(&attr);
	pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	if (pthread_create(&t, &attr, tlb_writer, NULL))
		return 5;
	while (tlb_writes < 10000)
		sched_yield();
	printf("tlb: CPU 1 writes the page; making it read-only\n");
	fflush(stdout);
	if (mprotect((void *)tlb_page, (size_t)pg, PROT_READ))
		return 6;
	before = tlb_writes;
	nanosleep(&ms200, NULL);
	printf("tlb: CPU 1 still wrote %lu times after mprotect\n",
	       tlb_writes - before);
	return 1;
}

/*
 * One thread pinned to each CPU writes LINES_EACH lines to the console at
 * once, most one write each, every tenth a write of six lines (over the
 * console's 512-byte piece). Each line must reach the serial port whole:
 * tests/test_smp.py checks every one.
 */
#define LINES_EACH	240

static void *line_writer(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg, i = 0, k, lines;
	char buf[700];
	int n;

	while (i < LINES_EACH) {
		lines = i % 10 == 4 ? 6 : 1;	/* 6 lines: 660 bytes */
		for (n = 0, k = 0; k < lines && i < LINES_EACH; k++, i++)
			n += snprintf(buf + n, sizeof(buf) - (size_t)n,
				      "lines: cpu %u n %03u %s end\n", cpu, i,
				      "abcdefghijklmnopqrstuvwxyz0123456789"
				      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
		if (write(1, buf, (size_t)n) != n)
			return (void *)1;
	}
	return NULL;
}

static int whole_lines(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN), i;
	pthread_t t[16];
	pthread_attr_t attr;
	cpu_set_t set;
	void *rv;
	int bad = 0;

	if (cpus > 16)
		cpus = 16;
	for (i = 0; i < cpus; i++) {
		CPU_ZERO(&set);
		CPU_SET(i, &set);
		pthread_attr_init(&attr);
		pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
		if (pthread_create(&t[i], &attr, line_writer, (void *)i))
			return 3;
	}
	for (i = 0; i < cpus; i++)
		if (pthread_join(t[i], &rv) || rv)
			bad = 1;
	printf("lines: %ld CPUs wrote %d lines each\n", cpus, LINES_EACH);
	return bad;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	printf("posix: %s\n", what);
	fflush(stdout);
	if (!strcmp(what, "env"))
		return show_env();
	if (!strcmp(what, "term"))
		raise(SIGTERM);
	if (!strcmp(what, "segv"))
		kill(getpid(), SIGSEGV);
	if (!strcmp(what, "alarm")) {
		alarm(1);
		for (;;)
			pause();
	}
	if (!strcmp(what, "pipe"))
		return write_to_closed_pipe(0);
	if (!strcmp(what, "pipe-ignored"))
		return write_to_closed_pipe(1);
	if (!strcmp(what, "guard"))
		return touch_guard_page();
	if (!strcmp(what, "readonly"))
		return write_readonly(0);
	if (!strcmp(what, "tlb"))
		return stale_tlb();
	if (!strcmp(what, "lines"))
		return whole_lines();
	if (!strcmp(what, "protnone"))
		return write_readonly(1);
	if (!strcmp(what, "link"))
		return link_probe();
	if (!strcmp(what, "sockets"))
		return sockets_and_signals(argc > 2 ? argv[2] : "127.0.0.1");
	if (!strcmp(what, "fork")) {
		pid_t a = fork(), b = fork();

		printf("fork: %d %d %s\n", (int)a, (int)b,
		       errno == ENOSYS ? "ENOSYS" : "?");
		return 0;
	}
	printf("unknown test '%s'\n", what);
	return 2;
}
