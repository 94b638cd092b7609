/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sendfile() as Linux has it (lib/fdtab/sendfile.c): copies count bytes
 * from in_fd to out_fd inside the image. offset NULL: from in_fd's
 * position, which moves; otherwise from *offset, which moves instead
 * (the position stays). Returns the bytes sent, or -1 and errno.
 */
#ifndef CAIRN_SYS_SENDFILE_H
#define CAIRN_SYS_SENDFILE_H

#include <stddef.h>
#include <sys/types.h>

ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count);

#endif
