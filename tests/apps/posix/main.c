/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test app for tests/test_posix.py: does what its first argument names
 * and prints what it saw; several of them end the image on purpose.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/utsname.h>

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
	if (!strcmp(what, "protnone"))
		return write_readonly(1);
	if (!strcmp(what, "fork")) {
		pid_t a = fork(), b = fork();

		printf("fork: %d %d %s\n", (int)a, (int)b,
		       errno == ENOSYS ? "ENOSYS" : "?");
		return 0;
	}
	printf("unknown test '%s'\n", what);
	return 2;
}
