/* SPDX-License-Identifier: BSD-3-Clause */
/* ioctl() (from lib/fdtab) and the requests Cairn's files understand. */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#ifndef TCGETS
#define TCGETS		0x5401	/* terminals answer it: isatty() asks */
#endif
#ifndef FIONREAD
#define FIONREAD	0x541b	/* int *: bytes ready to read */
#endif
#ifndef FIONBIO
#define FIONBIO		0x5421	/* int *: non-blocking on/off */
#endif

int ioctl(int fd, unsigned long req, ...);

#endif
