/* SPDX-License-Identifier: BSD-3-Clause */
/* ioctl() (from lib/fdtab) and the requests Cairn's files understand. */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#ifndef TCGETS
#define TCGETS		0x5401	/* terminals answer it: isatty() asks */
#endif
/* Terminal requests: the console answers them (<termios.h> calls). */
#define TCSETS		0x5402	/* const struct termios * */
#define TCSETSW		0x5403
#define TCSETSF		0x5404	/* and drop waiting input */
#define TCSBRK		0x5409	/* int: 0 break, else drain */
#define TCXONC		0x540a	/* int: TCOOFF... */
#define TCFLSH		0x540b	/* int: TCIFLUSH... */
#define TIOCGWINSZ	0x5413	/* struct winsize *: the console: zeros */

struct winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

#ifndef FIONREAD
#define FIONREAD	0x541b	/* int *: bytes ready to read */
#endif
#ifndef FIONBIO
#define FIONBIO		0x5421	/* int *: non-blocking on/off */
#endif

int ioctl(int fd, unsigned long req, ...);

#endif
