/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uname(), gethostname() and sethostname(). The host name starts as the
 * menu's (LIB_POSIX_PROCESS_HOSTNAME), posix.hostname=NAME on the command
 * line replaces it, sethostname() changes it at run time; the rules for a
 * name are Linux's (at most 64 bytes, EINVAL beyond). The NIS domain
 * name (getdomainname, setdomainname, uname's domainname) follows the
 * same rules; it starts as Linux's "(none)".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <cairn/param.h>

#define HOST_MAX 64

static char hostname[HOST_MAX + 1] = CONFIG_LIB_POSIX_PROCESS_HOSTNAME;

static int set_host(const char *name, size_t len)
{
	if (len > HOST_MAX)
		return -EINVAL;
	memcpy(hostname, name, len);
	hostname[len] = '\0';
	return 0;
}

static char domainname[HOST_MAX + 1] = "(none)";

int setdomainname(const char *name, size_t len)
{
	if (!name) {
		errno = EFAULT;
		return -1;
	}
	if (len > HOST_MAX) {
		errno = EINVAL;
		return -1;
	}
	memcpy(domainname, name, len);
	domainname[len] = '\0';
	return 0;
}

/* EINVAL when the name and its NUL do not fit (musl; glibc cuts it). */
int getdomainname(char *name, size_t len)
{
	size_t n = strlen(domainname);

	if (n + 1 > len) {
		errno = EINVAL;
		return -1;
	}
	memcpy(name, domainname, n + 1);
	return 0;
}

static int host_param(const char *val)
{
	return set_host(val, strlen(val));
}
CN_PARAM_FN(posix, hostname, host_param,
	    "a host name of at most 64 bytes, for gethostname() and uname()");

int sethostname(const char *name, size_t len)
{
	int r = name ? set_host(name, len) : -EFAULT;

	if (r) {
		errno = -r;
		return -1;
	}
	return 0;
}

/* Linux: ENAMETOOLONG when the name and its NUL do not fit. */
int gethostname(char *name, size_t len)
{
	size_t n = strlen(hostname);

	if (n + 1 > len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(name, hostname, n + 1);
	return 0;
}

static void copy(char *dst, const char *src)
{
	strncpy(dst, src, _UTSNAME_LENGTH - 1);
	dst[_UTSNAME_LENGTH - 1] = '\0';
}

int uname(struct utsname *u)
{
	/* Linux names arm64 "aarch64"; Cairn's ARCH is the folder's name. */
	const char *arch = strcmp(CONFIG_ARCH, "arm64") ? CONFIG_ARCH
							: "aarch64";

	if (!u) {
		errno = EFAULT;
		return -1;
	}
	memset(u, 0, sizeof(*u));
	copy(u->sysname, "Cairn");
	copy(u->nodename, hostname);
	copy(u->release, CONFIG_LIB_POSIX_PROCESS_RELEASE);
	copy(u->version, CONFIG_PLAT);
	copy(u->machine, arch);
	copy(u->domainname, domainname);
	return 0;
}
