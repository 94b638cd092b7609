/* SPDX-License-Identifier: BSD-3-Clause */
/* Without lib/vfs: no paths to complete, no file to redirect into. */
#include <errno.h>
#include "shell_priv.h"

int cn_shell_redirect_open(const char *path, int append)
{
	(void)path, (void)append;
	return -ENOSYS;		/* "Function not implemented" */
}

void cn_shell_redirect_write(int fd, const void *buf, size_t len)
{
	(void)fd, (void)buf, (void)len;
}

void cn_shell_redirect_close(int fd)
{
	(void)fd;
}

void cn_shell_complete_path(struct cn_shell *sh, const char *word,
			    struct shell_comp *c)
{
	(void)sh, (void)word, (void)c;
}
