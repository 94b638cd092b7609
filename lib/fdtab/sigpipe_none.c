/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cn_file_sigpipe() without lib/posix-signal: nothing, EPIPE only.
 * (picolibc's raise() would end the image with no word why.)
 */
#include <cairn/file.h>

void cn_file_sigpipe(void)
{
}
