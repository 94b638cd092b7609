/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/lwip with lib/posix-signal in the image: blocking socket calls end
 * when a signal the thread does not block arrives, as on Linux
 * (signal(7)).
 *
 * recv(), recvfrom(), recvmsg(), read() and accept(): only the mailbox
 * wait of the thread's own call is cut short, and only while it sleeps
 * there (lwip_priv.h); a signal never wakes a thread out of lwIP's locks.
 *
 * send(), sendto(), sendmsg(), write() and connect() on a blocking TCP
 * socket: lwIP's own blocking write and connect sleep on a semaphore that
 * the tcpip side still holds and must signal, so they cannot be cut
 * short. Here they are made of non-blocking steps instead: send what
 * fits, then sleep until the socket's readiness changes (lwIP's event
 * callback, wrapped to call cn_file_notify()), a signal or SO_SNDTIMEO;
 * a connect is started non-blocking and its end awaited the same way,
 * which leaves it going on in the background when a signal ends the call,
 * as Linux does (a later connect() says EALREADY, then EISCONN).
 */
#include <errno.h>
#include <stddef.h>
#include <sys/socket.h>
#include <cairn/biglock.h>
#include <cairn/file.h>
#include <cairn/sigintr.h>
#include <cairn/sync.h>
#include <cairn/timer.h>
#include "lwip/api.h"
#include "lwip/tcpip.h"
#include "lwip/priv/sockets_priv.h"
#include "lwip_priv.h"

struct intr_call {
	struct cn_thread *self;
	struct cn_waitq *q;		/* the mailbox it sleeps on, or NULL */
	bool armed;			/* in a socket call that may end */
	bool hit;			/* a signal ended a wait of it */
};

static __thread struct intr_call me;

/* With the big lock held, from the thread that posts the signal. */
static void interrupt(void *arg)
{
	struct intr_call *c = arg;

	if (c->q)
		cn_waitq_interrupt(c->q, c->self);
}

void cn_lwip_intr_begin(void)
{
	me.self = cn_thread_current();
	me.q = NULL;
	me.hit = false;
	me.armed = true;
	cn_signal_intr_begin(interrupt, &me);
}

int cn_lwip_intr_end(void)
{
	bool hit = me.hit;
	int r;

	me.armed = false;
	r = cn_signal_intr_end();	/* runs the handlers */
	if (!hit)
		return CN_LWIP_DONE;
	if (r < 0)
		return -EINTR;
	return r > 0 ? CN_LWIP_RESTART : CN_LWIP_AGAIN;
}

/*
 * Outside a socket call that may end (the tcpip thread, a call already
 * ended), the plain fetch, without the big lock. Inside one, the big
 * lock is held from the look at pending signals until the thread sleeps
 * on the mailbox (the switch releases it), as the thread posting a
 * signal holds it while it calls interrupt(): so the signal is seen
 * here, or finds the thread asleep and wakes it. A message already
 * there, or one that came as the wait ended, goes first.
 */
int cn_lwip_fetch(struct cn_mbox *mb, void **msg, uint64_t deadline)
{
	unsigned long irq;
	int rc;

	if (!me.armed)
		return cn_mbox_fetch(mb, msg, deadline);
	irq = cn_big_lock();
	if (cn_mbox_tryfetch(mb, msg) == 0) {
		rc = 0;
	} else if (cn_signal_intr_pending()) {
		rc = -EINTR;
	} else {
		me.q = &mb->readers;
		rc = cn_mbox_fetch(mb, msg, deadline);
		me.q = NULL;
	}
	if (rc == -EINTR)
		me.hit = true;
	cn_big_unlock(irq);
	return rc;
}

/* lwIP's socket event callback, which the wrapper below calls first. */
static netconn_callback lwip_event;

/*
 * Room to send, a connection made or an error: poll() and the waits
 * below look again (received data and new connections already come with
 * a mailbox post, which notifies).
 */
static void event(struct netconn *conn, enum netconn_evt evt, u16_t len)
{
	lwip_event(conn, evt, len);
	if (evt == NETCONN_EVT_SENDPLUS || evt == NETCONN_EVT_ERROR)
		cn_file_notify();
}

void cn_lwip_intr_socket(int s)
{
	struct lwip_sock *sock = lwip_socket_dbg_get_socket(s);
	struct netconn *c = sock ? sock->conn : NULL;

	if (!c)
		return;
	LOCK_TCPIP_CORE();
	if (c->callback && c->callback != event) {
		lwip_event = c->callback;	/* the same for every socket */
		c->callback = event;
	}
	UNLOCK_TCPIP_CORE();
}

/* Socket s's connection when a call with flags may block on it. */
static struct netconn *blocking_tcp(int s, int flags)
{
	struct lwip_sock *sock = lwip_socket_dbg_get_socket(s);
	struct netconn *c = sock ? sock->conn : NULL;

	if (!c || (flags & MSG_DONTWAIT) || netconn_is_nonblocking(c) ||
	    NETCONNTYPE_GROUP(netconn_type(c)) != NETCONN_TCP ||
	    c->callback != event)
		return NULL;
	return c;
}

static uint64_t send_deadline(const struct netconn *c)
{
	return c->send_timeout > 0
		? cn_time_ns() + (uint64_t)c->send_timeout * 1000000 : 0;
}

/*
 * sendmsg() of iov[0..cnt) on blocking TCP connection c of socket s: all
 * of it, or the count sent so far when a signal handler ran or
 * SO_SNDTIMEO ran out (-1 with EINTR or EAGAIN when nothing was sent; a
 * handler with SA_RESTART then waits on, unless the socket has
 * SO_SNDTIMEO), or an error.
 */
static ssize_t send_all(int s, struct netconn *c, const struct iovec *iov,
			size_t cnt, int flags)
{
	uint64_t deadline = send_deadline(c);
	size_t i = 0, off = 0, done = 0;

	for (;;) {
		unsigned long seen = cn_file_generation();
		struct iovec rest;
		struct msghdr m = { 0 };
		ssize_t n;
		int w;

		if (off) {		/* the unsent end of iov[i] alone */
			rest.iov_base = (char *)iov[i].iov_base + off;
			rest.iov_len = iov[i].iov_len - off;
			m.msg_iov = &rest;
			m.msg_iovlen = 1;
		} else {
			m.msg_iov = (struct iovec *)&iov[i];
			m.msg_iovlen = (int)(cnt - i);
		}
		n = lwip_sendmsg(s, &m, flags | MSG_DONTWAIT);
		if (n >= 0) {
			size_t left = (size_t)n;

			done += left;
			while (i < cnt && left >= iov[i].iov_len - off) {
				left -= iov[i].iov_len - off;
				off = 0;
				i++;
			}
			off += left;
			if (i == cnt || n == 0)
				return (ssize_t)done;
			continue;
		}
		if (errno != EWOULDBLOCK && errno != EAGAIN)
			return done ? (ssize_t)done : -1;
		if (deadline && cn_time_ns() >= deadline) {
			if (done)
				return (ssize_t)done;
			errno = EAGAIN;
			return -1;
		}
		w = cn_file_wait_intr(seen, deadline);
		if (w < 0 || (w > 0 && (done || c->send_timeout > 0))) {
			if (done)
				return (ssize_t)done;
			errno = EINTR;
			return -1;
		}
	}
}

ssize_t cn_lwip_sendmsg(int s, const struct msghdr *msg, int flags)
{
	struct netconn *c = blocking_tcp(s, flags);
	size_t i, len = 0;

	if (c && msg->msg_iovlen > 0 && msg->msg_iovlen <= IOV_MAX) {
		for (i = 0; i < (size_t)msg->msg_iovlen; i++)
			len += msg->msg_iov[i].iov_len;
		if (len)
			return send_all(s, c, msg->msg_iov,
					(size_t)msg->msg_iovlen, flags);
	}
	return lwip_sendmsg(s, msg, flags);
}

ssize_t cn_lwip_send(int s, const void *buf, size_t len, int flags)
{
	struct netconn *c = blocking_tcp(s, flags);
	struct iovec v = { (void *)buf, len };

	return c && len ? send_all(s, c, &v, 1, flags)
			: lwip_send(s, buf, len, flags);
}

ssize_t cn_lwip_sendto(int s, const void *buf, size_t len, int flags,
		       const struct sockaddr *to, socklen_t tolen)
{
	struct netconn *c = blocking_tcp(s, flags);
	struct iovec v = { (void *)buf, len };

	/* lwIP's sendto() on TCP is its send(), the address unused. */
	return c && len ? send_all(s, c, &v, 1, flags)
			: lwip_sendto(s, buf, len, flags, to, tolen);
}

int cn_lwip_connect(int s, const struct sockaddr *addr, socklen_t len)
{
	struct netconn *c = blocking_tcp(s, 0);
	uint64_t deadline;
	socklen_t elen = sizeof(int);
	int r, e;

	if (!c)
		return lwip_connect(s, addr, len);
	LOCK_TCPIP_CORE();
	netconn_set_nonblocking(c, 1);
	UNLOCK_TCPIP_CORE();
	r = lwip_connect(s, addr, len);
	e = errno;
	LOCK_TCPIP_CORE();
	netconn_set_nonblocking(c, 0);
	UNLOCK_TCPIP_CORE();
	errno = e;
	if (r == 0 || e != EINPROGRESS)
		return r;
	deadline = send_deadline(c);
	for (;;) {
		unsigned long seen = cn_file_generation();
		int w;

		if (c->state != NETCONN_CONNECT)
			break;
		if (deadline && cn_time_ns() >= deadline) {
			errno = EINPROGRESS;	/* SO_SNDTIMEO, as Linux */
			return -1;
		}
		w = cn_file_wait_intr(seen, deadline);
		if (w < 0 || (w > 0 && c->send_timeout > 0)) {
			errno = EINTR;		/* it goes on in the background */
			return -1;
		}
	}
	if (lwip_getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &elen) < 0)
		return -1;
	if (e) {
		errno = e;
		return -1;
	}
	return 0;
}
