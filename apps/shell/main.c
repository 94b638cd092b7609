/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An image that is only a shell: the prompt runs in its thread "shell"
 * while main sleeps. With arguments, they are run as one command line
 * instead, and its status is the image's exit status (make run ARGS="ls
 * -l /etc").
 */
#include <stdio.h>
#include <string.h>
#include <cairn/sched.h>
#include <cairn/shell.h>

int main(int argc, char *argv[])
{
	char line[1024];
	size_t len = 0;
	int i;

	if (argc < 2) {
		if (cn_shell_start())
			cn_shell_main();	/* no memory for a thread */
		for (;;)			/* poweroff ends the image */
			cn_thread_sleep_ns(3600 * 1000000000ull);
	}
	line[0] = '\0';
	for (i = 1; i < argc; i++) {
		int n = snprintf(line + len, sizeof(line) - len, "%s%s",
				 i > 1 ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(line) - len) {
			fprintf(stderr, "shell: command line too long\n");
			return 2;
		}
		len += (size_t)n;
	}
	return cn_shell_exec(line);
}
