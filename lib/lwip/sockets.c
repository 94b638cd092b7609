/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * BSD sockets as descriptors of lib/fdtab. Each socket descriptor is a
 * struct cn_file whose priv is the lwIP socket number; the calls check
 * that the descriptor is a socket (ENOTSOCK), call lwIP, and keep lwIP's
 * errno, except where Linux says otherwise: a refused connect is
 * ECONNREFUSED (lwIP says ECONNRESET).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <cairn/arch.h>
#include <cairn/file.h>

static unsigned int nr_open;

static int sock_of(struct cn_file *f)
{
	return (int)(intptr_t)f->priv;
}

static ssize_t s_read(struct cn_file *f, void *buf, size_t len, off_t off)
{
	ssize_t n = lwip_recv(sock_of(f), buf, len, 0);

	(void)off;
	return n < 0 ? -errno : n;
}

static ssize_t s_write(struct cn_file *f, const void *buf, size_t len,
		       off_t off)
{
	ssize_t n = lwip_send(sock_of(f), buf, len, 0);

	(void)off;
	return n < 0 ? -errno : n;
}

static unsigned int s_poll(struct cn_file *f)
{
	struct pollfd p = { sock_of(f), POLLIN | POLLOUT, 0 };

	if (lwip_poll(&p, 1, 0) < 0)
		return CN_POLLERR;
	/* lwIP announces new send space to its own select only. */
	return (unsigned int)p.revents | (p.revents & POLLOUT ? 0 : CN_POLL_RECHECK);
}

static int s_ioctl(struct cn_file *f, unsigned long req, void *arg)
{
	int r = lwip_ioctl(sock_of(f), (long)req, arg);

	if (r == 0 && req == FIONBIO)
		f->flags = *(int *)arg ? f->flags | O_NONBLOCK
				       : f->flags & ~O_NONBLOCK;
	return r < 0 ? -errno : r;
}

static int s_stat(struct cn_file *f, struct stat *st)
{
	(void)f;
	st->st_mode = S_IFSOCK | 0777;
	st->st_blksize = 4096;
	return 0;
}

static int s_setfl(struct cn_file *f, int flags)
{
	int r = lwip_fcntl(sock_of(f), F_SETFL, flags & O_NONBLOCK);

	return r < 0 ? -errno : 0;
}

static void s_release(struct cn_file *f)
{
	unsigned long irq;

	lwip_close(sock_of(f));
	irq = cn_arch_irq_save();
	nr_open--;
	cn_arch_irq_restore(irq);
}

static const struct cn_file_ops sock_ops = {
	.read = s_read,
	.write = s_write,
	.poll = s_poll,
	.ioctl = s_ioctl,
	.stat = s_stat,
	.setfl = s_setfl,
	.release = s_release,
};

unsigned int cn_sockets_open(void)
{
	return nr_open;
}

static int set_errno(int err)
{
	errno = err;
	return -1;
}

/* A descriptor for lwIP socket s (closed on failure). */
static int wrap(int s, int flags)
{
	struct cn_file *f;
	unsigned long irq;
	int fd;

	if (s < 0)
		return -1;
	if (flags & SOCK_NONBLOCK)
		lwip_fcntl(s, F_SETFL, O_NONBLOCK);
	f = cn_file_alloc(&sock_ops, (void *)(intptr_t)s,
			  O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0));
	if (!f) {
		lwip_close(s);
		return set_errno(ENOMEM);
	}
	irq = cn_arch_irq_save();
	nr_open++;
	cn_arch_irq_restore(irq);
	fd = cn_fd_install(f, flags & SOCK_CLOEXEC);
	cn_file_put(f);			/* the descriptor holds it */
	return fd < 0 ? set_errno(-fd) : fd;
}

/* The lwIP socket behind fd, with a reference on its file, or -1. */
static int lookup(int fd, struct cn_file **fp)
{
	struct cn_file *f = cn_fd_get(fd);

	if (!f)
		return set_errno(EBADF);
	if (f->ops != &sock_ops) {
		cn_file_put(f);
		return set_errno(ENOTSOCK);
	}
	*fp = f;
	return sock_of(f);
}

/* Calls expr with s bound to fd's lwIP socket, keeping the file alive. */
#define SOCKCALL(fd, type, expr) ({					\
	struct cn_file *f_;						\
	int s = lookup(fd, &f_);					\
	type r_ = -1;							\
	if (s >= 0) {							\
		r_ = (expr);						\
		int e_ = errno;						\
		cn_file_put(f_);					\
		errno = e_;						\
	}								\
	r_; })

int socket(int domain, int type, int protocol)
{
	int flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);

	return wrap(lwip_socket(domain, type & ~flags, protocol), flags);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return SOCKCALL(fd, int, lwip_bind(s, addr, len));
}

int listen(int fd, int backlog)
{
	return SOCKCALL(fd, int, lwip_listen(s, backlog));
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	int ns;

	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return set_errno(EINVAL);
	ns = SOCKCALL(fd, int, lwip_accept(s, addr, len));
	return wrap(ns, flags);
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	return accept4(fd, addr, len, 0);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	int r = SOCKCALL(fd, int, lwip_connect(s, addr, len));

	if (r < 0 && errno == ECONNRESET)
		errno = ECONNREFUSED;	/* RST to our SYN, as Linux says */
	return r;
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return SOCKCALL(fd, ssize_t, lwip_send(s, buf, len, flags));
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return SOCKCALL(fd, ssize_t, lwip_recv(s, buf, len, flags));
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t tolen)
{
	return SOCKCALL(fd, ssize_t,
			lwip_sendto(s, buf, len, flags, to, tolen));
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags,
		 struct sockaddr *from, socklen_t *fromlen)
{
	return SOCKCALL(fd, ssize_t,
			lwip_recvfrom(s, buf, len, flags, from, fromlen));
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	return SOCKCALL(fd, ssize_t, lwip_sendmsg(s, msg, flags));
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	return SOCKCALL(fd, ssize_t, lwip_recvmsg(s, msg, flags));
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	return SOCKCALL(fd, int, lwip_setsockopt(s, level, name, val, len));
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	return SOCKCALL(fd, int, lwip_getsockopt(s, level, name, val, len));
}

int shutdown(int fd, int how)
{
	return SOCKCALL(fd, int, lwip_shutdown(s, how));
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	return SOCKCALL(fd, int, lwip_getsockname(s, addr, len));
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	return SOCKCALL(fd, int, lwip_getpeername(s, addr, len));
}
