/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What lib/vfs, lib/ramfs and lib/initrd need from the rest of Cairn,
 * for their host builds (tests/host/build_files.py): log lines on stderr
 * and a small descriptor table with lib/fdtab's reference counting
 * (cn_file_alloc/get/put, cn_fd_install/get/close). One thread, so no
 * locking.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <cairn/file.h>
#include <cairn/log.h>

#define NR_FDS 64

int cn_log_runtime_level = CN_LOG_ERR;
static struct cn_file *fds[NR_FDS];

void cn_log_print(int level, const char *lib, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s %s: ", level == CN_LOG_ERR ? "ERR " : "WARN",
		lib);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

struct cn_file *cn_file_alloc(const struct cn_file_ops *ops, void *priv,
			      int flags)
{
	struct cn_file *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->ops = ops;
	f->priv = priv;
	f->flags = flags;
	f->refs = 1;
	return f;
}

void cn_file_get(struct cn_file *f)
{
	f->refs++;
}

void cn_file_put(struct cn_file *f)
{
	if (--f->refs)
		return;
	if (f->ops->release)
		f->ops->release(f);
	free(f);
}

int cn_fd_install(struct cn_file *f, bool cloexec)
{
	int fd;

	(void)cloexec;
	for (fd = 3; fd < NR_FDS; fd++) {
		if (!fds[fd]) {
			fds[fd] = f;
			f->refs++;
			return fd;
		}
	}
	return -EMFILE;
}

struct cn_file *cn_fd_get(int fd)
{
	if (fd < 0 || fd >= NR_FDS || !fds[fd])
		return NULL;
	fds[fd]->refs++;
	return fds[fd];
}

int cn_fd_close(int fd)
{
	struct cn_file *f;

	if (fd < 0 || fd >= NR_FDS || !fds[fd])
		return -EBADF;
	f = fds[fd];
	fds[fd] = NULL;
	cn_file_put(f);
	return 0;
}

unsigned int cn_fd_count(void)
{
	unsigned int n = 0;
	int fd;

	for (fd = 0; fd < NR_FDS; fd++)
		n += fds[fd] != NULL;
	return n;
}

void cn_file_notify(void)
{
}

/* lib/fdtab's pins (sendfile.c), without the interrupt masking. */
void cn_file_pin_get(struct cn_file_pin *pin)
{
	pin->refs++;
}

void cn_file_pin_put(struct cn_file_pin *pin)
{
	if (!--pin->refs)
		pin->release(pin);
}

/* One thread on the host: the pin lock excludes nobody. */
unsigned long cn_file_pin_lock(void)
{
	return 0;
}

void cn_file_pin_unlock(unsigned long flags)
{
	(void)flags;
}
