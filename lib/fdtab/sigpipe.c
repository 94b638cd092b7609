/* SPDX-License-Identifier: BSD-3-Clause */
/* cn_file_sigpipe() with lib/posix-signal in the image: SIGPIPE. */
#include <errno.h>
#include <signal.h>
#include <cairn/file.h>

void cn_file_sigpipe(void)
{
	int e = errno;

	raise(SIGPIPE);
	errno = e;
}
