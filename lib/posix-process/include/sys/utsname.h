/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uname() (lib/posix-process): picolibc has no <sys/utsname.h>. The
 * fields are 65 bytes, as Linux's.
 */
#ifndef _SYS_UTSNAME_H
#define _SYS_UTSNAME_H

#define _UTSNAME_LENGTH 65

struct utsname {
	char sysname[_UTSNAME_LENGTH];	/* "Cairn" */
	char nodename[_UTSNAME_LENGTH];	/* gethostname() */
	char release[_UTSNAME_LENGTH];	/* the Cairn version */
	char version[_UTSNAME_LENGTH];	/* the platform */
	char machine[_UTSNAME_LENGTH];	/* "x86_64", "aarch64" (Linux's) */
	char domainname[_UTSNAME_LENGTH];	/* "(none)" or setdomainname() */
};

/* Fills *u: 0, or -1 and EFAULT for NULL. */
int uname(struct utsname *u);

#endif
