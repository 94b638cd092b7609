/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Commands for the host tests (APP_SHELL_TEST_CMDS), and an example of
 * an app adding its own: alloc SIZE, release, spawn NAME.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/sched.h>
#include <cairn/shell.h>

struct block {
	struct block *next;
};

static struct block *kept;

static int cmd_alloc(struct cn_shell *sh, int argc, char **argv)
{
	struct block *b;
	char *end;
	unsigned long long size;

	if (argc != 2)
		return cn_shell_usage(sh);
	size = strtoull(argv[1], &end, 0);
	if (*end || size < sizeof(*b) || size > (1ull << 40))
		return cn_shell_error(sh, "'%.20s' is not a size from %zu",
				      argv[1], sizeof(*b));
	b = malloc((size_t)size);
	if (!b)
		return cn_shell_error(sh, "no %llu bytes free", size);
	memset(b, 0x5a, (size_t)size);	/* really use it */
	b->next = kept;
	kept = b;
	cn_shell_printf(sh, "allocated %llu bytes at %p\n", size, (void *)b);
	return 0;
}
CN_SHELL_CMD(alloc, cmd_alloc, "SIZE", "keep a heap block (test command)");

static int cmd_release(struct cn_shell *sh, int argc, char **argv)
{
	unsigned int n = 0;

	if (argc != 1)
		return cn_shell_usage(sh);
	while (kept) {
		struct block *b = kept;

		kept = b->next;
		free(b);
		n++;
	}
	cn_shell_printf(sh, "released %u blocks\n", n);
	return 0;
}
CN_SHELL_CMD(release, cmd_release, "", "free what alloc kept (test command)");

/* Sleeps until killed (a kill makes the sleep return -EINTR). */
static void *idler(void *arg)
{
	while (cn_thread_sleep_ns(1000000000ull) == 0)
		;
	return arg;
}

static int cmd_spawn(struct cn_shell *sh, int argc, char **argv)
{
	struct cn_thread_attr attr = { .flags = CN_THREAD_DETACHED };
	struct cn_thread *t;
	int rc;

	if (argc != 2)
		return cn_shell_usage(sh);
	attr.name = argv[1];
	rc = cn_thread_create(&t, &attr, idler, NULL);
	if (rc)
		return cn_shell_error(sh, "%s", strerror(-rc));
	cn_shell_printf(sh, "started %d (%s)\n", cn_thread_id(t),
			cn_thread_name(t));
	return 0;
}
CN_SHELL_CMD(spawn, cmd_spawn, "NAME",
	     "start a thread that sleeps until killed (test command)");
