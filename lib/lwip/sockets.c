/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * BSD sockets as descriptors of lib/fdtab. Each socket descriptor is a
 * struct cn_file whose priv is the lwIP socket number; the calls check
 * that the descriptor is a socket (ENOTSOCK), call lwIP, and keep lwIP's
 * errno, except where Linux says otherwise: a refused connect is
 * ECONNREFUSED (lwIP says ECONNRESET).
 *
 * sendfile() into a TCP socket (s_sendfile) hands lwIP the file's own
 * memory instead of copying it into the socket buffer.
 *
 * A signal interrupts a receive, an accept, a send or a connect that
 * waits (intr.c): the handler runs, then the call fails with EINTR (a
 * send returns what it sent so far) or, with SA_RESTART on a socket
 * without SO_RCVTIMEO (SO_SNDTIMEO for sends and connects), waits again,
 * as Linux does (signal(7)).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <cairn/arch.h>
#include <cairn/file.h>
#include "lwip/api.h"
#include "lwip/tcp.h"
#include "lwip/tcpip.h"
#include "lwip/priv/sockets_priv.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip_priv.h"
#undef set_errno			/* lwIP's; ours is a function below */

static unsigned int nr_open;		/* sockets open; atomic */

static int sock_of(struct cn_file *f)
{
	return (int)(intptr_t)f->priv;
}

/* Socket s has a receive timeout (SO_RCVTIMEO): a signal means EINTR. */
static bool has_rcvtimeo(int s)
{
	struct lwip_sock *sock = lwip_socket_dbg_get_socket(s);

	return sock && sock->conn && sock->conn->recv_timeout > 0;
}

/*
 * After a receive or accept on s between cn_lwip_intr_begin() and its
 * end: true to call again; else *r and errno hold the result, EINTR
 * when a signal handler ended the call.
 */
static bool call_again(int s, ssize_t *r)
{
	int e = errno, how = cn_lwip_intr_end();

	switch (how) {
	case CN_LWIP_DONE:
		errno = e;
		return false;
	case CN_LWIP_AGAIN:
		return true;
	case CN_LWIP_RESTART:
		if (!has_rcvtimeo(s))
			return true;
		break;
	}
	*r = -1;
	errno = EINTR;
	return false;
}

/* expr, a receive or accept on lwIP socket s, that a signal interrupts. */
#define INTERRUPTIBLE(s, expr) ({					\
	ssize_t ri_;							\
	do {								\
		cn_lwip_intr_begin();					\
		ri_ = (expr);						\
	} while (call_again((s), &ri_));				\
	ri_; })

static ssize_t s_read(struct cn_file *f, void *buf, size_t len, off_t off)
{
	int s = sock_of(f);
	ssize_t n = INTERRUPTIBLE(s, lwip_recv(s, buf, len, 0));

	(void)off;
	return n < 0 ? -errno : n;
}

static ssize_t s_write(struct cn_file *f, const void *buf, size_t len,
		       off_t off)
{
	ssize_t n = cn_lwip_send(sock_of(f), buf, len, 0);

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
	lwip_close(sock_of(f));
	__atomic_fetch_sub(&nr_open, 1, __ATOMIC_RELAXED);
}

/*
 * sendfile() without a copy. tcp_write() without TCP_WRITE_FLAG_COPY
 * queues segments whose data pbufs (PBUF_ROM) point at the caller's
 * memory, which must then stay valid until lwIP frees them: after the
 * peer acknowledged the data and the device sent its last copy (a
 * retransmission may still sit in the ring after the ACK), or when the
 * connection is dropped. lwIP says nothing when a ROM pbuf goes, so
 * right after tcp_write() and before anything can send them, under the
 * core lock, each new ROM pbuf of ours is replaced by a custom pbuf over
 * the same bytes that holds a reference on the file's pin and puts it
 * when freed. The file (ramfs) keeps pinned bytes unchanged until then.
 * Custom pbufs are PBUF_REF, so lwIP never extends one in place over the
 * following bytes (it does that to ROM pbufs), which another pin covers.
 */
struct zc_pbuf {
	struct pbuf_custom pc;
	struct cn_file_pin *pin;
};

/* At most this many segments per tcp_write() (bounds the spares). */
#define ZC_SEGS		8

static void zc_free(struct pbuf *p)
{
	struct zc_pbuf *z = (struct zc_pbuf *)p;

	cn_file_pin_put(z->pin);
	free(z);
}

/* Swaps our fresh ROM pbufs in pcb->unsent for pinned ones. */
static void zc_adopt(struct tcp_pcb *pcb, const void *data, size_t len,
		     struct cn_file_pin *pin, struct zc_pbuf **spare,
		     unsigned int *nspare)
{
	const u8_t *lo = data, *hi = lo + len;
	struct tcp_seg *seg;

	for (seg = pcb->unsent; seg; seg = seg->next) {
		struct pbuf *prev = seg->p, *q;

		for (q = prev->next; q; prev = q, q = q->next) {
			struct zc_pbuf *z;
			struct pbuf *c;

			if (q->type_internal != PBUF_ROM ||
			    (q->flags & PBUF_FLAG_IS_CUSTOM) ||
			    (const u8_t *)q->payload < lo ||
			    (const u8_t *)q->payload >= hi)
				continue;
			LWIP_ASSERT("zero-copy spares", *nspare > 0);
			z = spare[--*nspare];
			z->pc.custom_free_function = zc_free;
			z->pin = pin;
			cn_file_pin_get(pin);
			c = pbuf_alloced_custom(PBUF_RAW, q->len, PBUF_REF,
						&z->pc, q->payload, q->len);
			c->tot_len = q->tot_len;
			c->next = q->next;
			prev->next = c;
			q->next = NULL;
			pbuf_free(q);
			q = c;
		}
	}
}

/*
 * Queues up to len bytes of data (pinned by pin) on conn: the count,
 * 0 when there is no room now, or a negative errno.
 */
static ssize_t zc_write(struct netconn *conn, const void *data, size_t len,
			struct cn_file_pin *pin, bool more)
{
	struct zc_pbuf *spare[ZC_SEGS + 2];
	unsigned int nspare = 0, i;
	struct tcp_pcb *pcb;
	ssize_t r = 0;
	u16_t mss;
	err_t err;

	for (i = 0; i < ZC_SEGS + 2; i++) {
		spare[nspare] = malloc(sizeof(struct zc_pbuf));
		if (!spare[nspare])
			break;
		nspare++;
	}
	if (nspare < ZC_SEGS + 2) {
		r = -ENOMEM;
		goto out;
	}
	LOCK_TCPIP_CORE();
	pcb = conn->pcb.tcp;
	if (!pcb) {
		r = -EPIPE;
		goto unlock;
	}
	/* lwIP's own segment size, as tcp_write() computes it. */
	mss = LWIP_MIN(pcb->mss, TCPWND_MIN16(pcb->snd_wnd_max / 2));
	if (!mss)
		mss = pcb->mss;
	if (len > (size_t)mss * ZC_SEGS)
		len = (size_t)mss * ZC_SEGS;
	if (len > tcp_sndbuf(pcb))
		len = tcp_sndbuf(pcb);
	if (!len || tcp_sndqueuelen(pcb) + ZC_SEGS + 2 > TCP_SND_QUEUELEN)
		goto full;
	err = tcp_write(pcb, data, (u16_t)len, more ? TCP_WRITE_FLAG_MORE : 0);
	if (err == ERR_MEM)
		goto full;
	if (err != ERR_OK) {
		r = err == ERR_CONN ? -ENOTCONN : -EIO;
		goto unlock;
	}
	zc_adopt(pcb, data, len, pin, spare, &nspare);
	tcp_output(pcb);
	r = (ssize_t)len;
	goto unlock;
full:
	/* As lwIP's own writer does: select/poll now wait for room. */
	if (conn->callback)
		conn->callback(conn, NETCONN_EVT_SENDMINUS, 0);
	netconn_set_flags(conn, NETCONN_FLAG_CHECK_WRITESPACE);
	tcp_output(pcb);
unlock:
	UNLOCK_TCPIP_CORE();
out:
	while (nspare)
		free(spare[--nspare]);
	return r;
}

static ssize_t s_sendfile(struct cn_file *f, struct cn_file *in, off_t off,
			  size_t count)
{
	struct lwip_sock *sock = lwip_socket_dbg_get_socket(sock_of(f));
	struct netconn *conn = sock ? sock->conn : NULL;
	bool block = !(f->flags & O_NONBLOCK);
	size_t done = 0;
	ssize_t r = 0;

	if (!conn || NETCONNTYPE_GROUP(netconn_type(conn)) != NETCONN_TCP)
		return -EOPNOTSUPP;
	while (done < count) {
		struct cn_file_pin *pin;
		const void *data;
		ssize_t n = in->ops->pin(in, off + (off_t)done, count - done,
					 &data, &pin);

		if (n <= 0) {
			r = n;
			break;
		}
		r = zc_write(conn, data, (size_t)n, pin,
			     done + (size_t)n < count);
		cn_file_pin_put(pin);
		if (r > 0) {
			done += (size_t)r;
			continue;
		}
		if (r == 0) {
			struct pollfd p = { sock_of(f), POLLOUT, 0 };
			int ms = conn->send_timeout > 0 ? conn->send_timeout
							: -1;

			if (!block) {
				r = -EAGAIN;
				break;
			}
			if (lwip_poll(&p, 1, ms) == 0) {
				r = -EAGAIN;	/* SO_SNDTIMEO ran out */
				break;
			}
			if (!(p.revents & POLLOUT)) {	/* an error */
				r = -EPIPE;
				break;
			}
			continue;
		}
		break;
	}
	return done ? (ssize_t)done : r;
}

static const struct cn_file_ops sock_ops = {
	.read = s_read,
	.write = s_write,
	.poll = s_poll,
	.ioctl = s_ioctl,
	.stat = s_stat,
	.setfl = s_setfl,
	.release = s_release,
	.sendfile = s_sendfile,
};

unsigned int cn_sockets_open(void)
{
	return __atomic_load_n(&nr_open, __ATOMIC_RELAXED);
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
	int fd;

	if (s < 0)
		return -1;
	cn_lwip_intr_socket(s);
	if (flags & SOCK_NONBLOCK)
		lwip_fcntl(s, F_SETFL, O_NONBLOCK);
	f = cn_file_alloc(&sock_ops, (void *)(intptr_t)s,
			  O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0));
	if (!f) {
		lwip_close(s);
		return set_errno(ENOMEM);
	}
	__atomic_fetch_add(&nr_open, 1, __ATOMIC_RELAXED);
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
	ns = SOCKCALL(fd, int, (int)INTERRUPTIBLE(s, lwip_accept(s, addr, len)));
	return wrap(ns, flags);
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	return accept4(fd, addr, len, 0);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	int r = SOCKCALL(fd, int, cn_lwip_connect(s, addr, len));

	if (r < 0 && errno == ECONNRESET)
		errno = ECONNREFUSED;	/* RST to our SYN, as Linux says */
	return r;
}

/* EPIPE from a send: SIGPIPE unless MSG_NOSIGNAL (lwIP knows no flag). */
static ssize_t sent(ssize_t r, int flags)
{
	if (r < 0 && errno == EPIPE && !(flags & MSG_NOSIGNAL))
		cn_file_sigpipe();
	return r;
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return sent(SOCKCALL(fd, ssize_t, cn_lwip_send(s, buf, len,
							 flags & ~MSG_NOSIGNAL)),
		    flags);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return SOCKCALL(fd, ssize_t,
			INTERRUPTIBLE(s, lwip_recv(s, buf, len, flags)));
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t tolen)
{
	return sent(SOCKCALL(fd, ssize_t,
			     cn_lwip_sendto(s, buf, len, flags & ~MSG_NOSIGNAL,
					    to, tolen)), flags);
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags,
		 struct sockaddr *from, socklen_t *fromlen)
{
	return SOCKCALL(fd, ssize_t,
			INTERRUPTIBLE(s, lwip_recvfrom(s, buf, len, flags,
						       from, fromlen)));
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	return sent(SOCKCALL(fd, ssize_t,
			     cn_lwip_sendmsg(s, msg, flags & ~MSG_NOSIGNAL)),
		    flags);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	return SOCKCALL(fd, ssize_t,
			INTERRUPTIBLE(s, lwip_recvmsg(s, msg, flags)));
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
