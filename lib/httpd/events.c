/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Event-driven (LIB_HTTPD_EVENTS): one thread serves every connection
 * with non-blocking sockets and poll(). Each connection is a small state
 * machine around the code both modes share (server.c): bytes arrive
 * into its input buffer; every complete request in it is answered in
 * order into its output buffer (a file body that does not fit is left
 * to the loop, which streams it with sendfile() as the socket takes
 * it); a request body is dropped as it arrives; the output is sent as
 * the socket takes it, and no further request is read meanwhile. One
 * deadline per connection: keepalive_ms from a request's first byte
 * (then 408), from the last answer while idle (then close), or from the
 * last progress of a stalled answer (then close).
 *
 * HTTPS (LIB_HTTPD_TLS): a second listening socket in the same poll();
 * its connections start in a handshake, driven step by step as poll()
 * reports the readiness the session waits for (tls.c), within the same
 * deadline as a request; then they read and write through the session
 * instead of the socket, and file bodies go through the output buffer
 * (TLS cannot lend file memory to TCP). poll() cannot see data the
 * session has already received and decrypted: such a connection gets
 * its turn without waiting. Mbed TLS's handshake wants more stack than
 * the caller's thread may have, so with HTTPS the loop runs in a thread
 * of its own (64 KiB).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cairn/log.h>
#include <cairn/sched.h>
#include "httpd_priv.h"

const char cn_httpd_mode[] = "event-driven";

struct econn {
	struct conn *c;
	uint64_t deadline;
	size_t skip;			/* request body bytes still to drop */
	bool closing;			/* close once the answers are out */
	bool eof;			/* the client sends no more */
	bool handshaking;		/* HTTPS: before the first request */
};

#define TLS_STACK	65536		/* see tls.c's handshake */

static uint64_t keepalive;

static bool pending(const struct conn *c)
{
	return c->w.out_off < c->w.out_len || c->w.body_left;
}

/* Sends what the socket takes: -EAGAIN (full), -EPIPE, or 0 (all out). */
static int drain(struct econn *e, uint64_t now)
{
	struct cn_http_resp *w = &e->c->w;
	uint64_t left;
	int r;

	while (!w->dead) {
		if (w->out_off < w->out_len) {
			ssize_t n = w->tls ?
				cn_httpd_tls_send(w->tls, w->out + w->out_off,
						  w->out_len - w->out_off) :
				send(w->fd, w->out + w->out_off,
				     w->out_len - w->out_off, MSG_DONTWAIT);

			if (n > 0) {
				w->out_off += (size_t)n;
				e->deadline = now + keepalive;
				continue;
			}
			if (n < 0 && errno == EAGAIN)
				return -EAGAIN;
			w->dead = true;
			break;
		}
		w->out_off = w->out_len = 0;
		if (!w->body_left)
			return 0;
		left = w->body_left;
		r = cn_httpd_body_send(w);
		if (w->body_left != left)	/* progress, even if full now */
			e->deadline = now + keepalive;
		if (r == -EAGAIN)
			return -EAGAIN;
	}
	return -EPIPE;
}

/* Drops body bytes, answers the complete requests in c->in. */
static void process(struct econn *e, uint64_t now)
{
	struct conn *c = e->c;

	for (;;) {
		struct cn_http_head h;
		size_t body;
		long n;

		if (e->skip) {
			size_t k = e->skip < c->in_len ? e->skip : c->in_len;

			cn_httpd_consume(c, k);
			e->skip -= k;
			if (e->skip)
				return;
		}
		/* Answers leave in order: one file body at a time. */
		if (e->closing || !c->in_len || c->w.dead || c->w.body_left ||
		    c->w.out_len > OUT_SIZE / 2)
			return;
		n = cn_httpd_parse(c, &h);
		if (!n)
			return;
		if (!cn_httpd_answer(c, &h, n, &body))
			e->closing = true;
		e->skip = body;
		/* The next request's time runs from now. */
		e->deadline = now + keepalive;
	}
}

/*
 * Reads what came; false when the socket failed. At the end of the
 * client's data the requests already here are still answered (a client
 * may shut down its side after its last request).
 */
static bool receive(struct econn *e, uint64_t now)
{
	struct conn *c = e->c;
	bool idle = !c->in_len && !e->skip;
	ssize_t n;

	if (e->eof || !cn_httpd_in_room(c))
		return true;		/* the parser refuses it first */
	n = c->w.tls ? cn_httpd_tls_recv(c->w.tls, c->in + c->in_len,
					 c->in_size - c->in_len) :
		recv(c->w.fd, c->in + c->in_len, c->in_size - c->in_len,
		     MSG_DONTWAIT);
	if (n == 0) {
		e->eof = true;
		return true;
	}
	if (n < 0 && errno != EAGAIN)
		return false;
	if (n > 0) {
		c->in_len += (size_t)n;
		if (idle)		/* a request begins: its time runs */
			e->deadline = now + keepalive;
	}
	return true;
}

/* Decrypted input waits in the session: poll() would not report it. */
static bool tls_readable(const struct econn *e)
{
	const struct conn *c = e->c;

	return c->w.tls && !e->handshaking && !pending(c) && !e->eof &&
	       (c->in_len < c->in_size || c->in_size < c->in_max) &&
	       cn_httpd_tls_pending(c->w.tls);
}

/* What the connection waits for. */
static short events(const struct econn *e)
{
	const struct cn_http_resp *w = &e->c->w;

	if (w->tls && cn_httpd_tls_wants_write(w->tls))
		return POLLOUT;
	return !e->handshaking && pending(e->c) ? POLLOUT : POLLIN;
}

/* A handshake's step: false when it failed or ran out of time. */
static bool handshake(struct econn *e, short rev, uint64_t now)
{
	int rc = rev ? cn_httpd_tls_handshake(e->c->w.tls) : -EAGAIN;

	if (rc == -EAGAIN && now >= e->deadline) {
		cn_httpd_tls_timeout(e->c->w.tls);
		return false;
	}
	if (rc == -EAGAIN)
		return true;
	if (rc)
		return false;
	e->handshaking = false;
	e->deadline = now + keepalive;	/* the first request's time */
	return true;
}

/* One connection's turn; false when it is to be closed. */
static bool step(struct econn *e, short rev, uint64_t now)
{
	struct conn *c = e->c;

	if (e->handshaking) {
		if (!handshake(e, rev, now))
			return false;
		if (e->handshaking)
			return true;
		rev |= POLLIN;		/* the request may follow at once */
	}
	if (tls_readable(e))
		rev |= POLLIN;
	if (pending(c) && drain(e, now) == -EPIPE)
		return false;
	/* A session may wait for room to answer what it read (an alert). */
	if (c->w.tls && (rev & POLLOUT))
		rev |= POLLIN;
	if (!pending(c) && (rev & (POLLIN | POLLHUP | POLLERR)) &&
	    !receive(e, now))
		return false;
	process(e, now);
	if (pending(c) && drain(e, now) == -EPIPE)
		return false;
	if (c->w.dead)
		return false;
	if (e->closing && !pending(c) && !e->skip)
		return false;
	/* The client sends no more: once answered, or if a body is due. */
	if (e->eof && (!pending(c) || e->skip))
		return false;
	if (now < e->deadline)
		return true;
	/* Time is up. A partial request gets 408, anything else ends. */
	if (pending(c) || e->skip || e->closing || !c->in_len)
		return false;
	cn_httpd_timeout(c);
	e->closing = true;
	return drain(e, now) == -EAGAIN;
}

static void accept_all(int lfd, bool tls, struct econn *conns,
		       unsigned int *n, uint64_t now)
{
	for (;;) {
		struct sockaddr_in peer;
		socklen_t plen = sizeof(peer);
		int fd = accept4(lfd, (struct sockaddr *)&peer, &plen,
				 SOCK_NONBLOCK);
		struct conn *c;

		if (fd < 0) {
			if (errno != EAGAIN)
				cn_pr_warn("accept: %s", strerror(errno));
			return;
		}
		c = cn_httpd_conn_new(fd, &peer);
		if (!c)
			continue;
		c->w.defer = true;
		c->tls = tls;
		if (tls && !(c->w.tls = cn_httpd_tls_new(fd, c->peer))) {
			cn_httpd_conn_free(c);
			continue;
		}
		conns[*n] = (struct econn){ .c = c, .handshaking = tls,
					    .deadline = now + keepalive };
		(*n)++;
	}
}

struct loop {
	int lfd, tlfd;			/* HTTP; HTTPS or -1 */
	unsigned int max;
	struct pollfd *pfd;		/* the two listeners, then conns */
	struct econn *conns;
};

static void *loop(void *arg)
{
	struct loop *l = arg;
	struct econn *conns = l->conns;
	struct pollfd *pfd = l->pfd;
	unsigned int n = 0, i, j;

	for (;;) {
		uint64_t now = cn_httpd_now_ms(), next = now + 1000;
		unsigned int polled = n;

		pfd[0] = (struct pollfd){ l->lfd, POLLIN, 0 };
		pfd[1] = (struct pollfd){ l->tlfd, POLLIN, 0 };
		for (i = 0; i < n; i++) {
			pfd[i + 2] = (struct pollfd){ conns[i].c->w.fd,
						      events(&conns[i]), 0 };
			if (conns[i].deadline < next)
				next = conns[i].deadline;
			if (tls_readable(&conns[i]))
				next = now;
		}
		poll(pfd, n + 2, next > now ? (int)(next - now) : 0);
		now = cn_httpd_now_ms();
		if (pfd[0].revents & POLLIN)
			accept_all(l->lfd, false, conns, &n, now);
		if (pfd[1].revents & POLLIN)
			accept_all(l->tlfd, true, conns, &n, now);
		/* Turns for the polled ones; the closed leave the array. */
		for (i = j = 0; i < n; i++) {
			short rev = i < polled ? pfd[i + 2].revents : 0;

			if (i < polled && !step(&conns[i], rev, now)) {
				cn_httpd_conn_free(conns[i].c);
				continue;
			}
			conns[j++] = conns[i];
		}
		n = j;
	}
	return NULL;
}

int cn_httpd_serve(const struct cn_httpd_config *cfg)
{
	struct cn_thread_attr attr = { .name = "httpd-events",
				       .stack_size = TLS_STACK };
	struct loop l = { .lfd = cn_httpd_listen(cfg), .tlfd = -1 };
	struct cn_thread *t = NULL;

	if (l.lfd < 0)
		return l.lfd;
	keepalive = (uint64_t)cn_httpd_conf()->keepalive_ms;
	l.max = (unsigned int)cn_httpd_conf()->max_conns;
	l.conns = calloc(l.max, sizeof(*l.conns));
	l.pfd = calloc(l.max + 2, sizeof(*l.pfd));
	if (!l.conns || !l.pfd || fcntl(l.lfd, F_SETFL, O_NONBLOCK)) {
		cn_pr_err("no memory for %u connections", l.max);
		free(l.conns);
		free(l.pfd);
		close(l.lfd);
		return -ENOMEM;
	}
	l.tlfd = cn_httpd_tls_listen();
	if (l.tlfd >= 0 && fcntl(l.tlfd, F_SETFL, O_NONBLOCK)) {
		close(l.tlfd);
		l.tlfd = -1;
	}
	if (l.tlfd >= 0 && cn_thread_create(&t, &attr, loop, &l)) {
		cn_pr_err("HTTPS off: no thread for the event loop (%d KiB "
			  "stack)", TLS_STACK / 1024);
		close(l.tlfd);
		l.tlfd = -1;
	}
	if (l.tlfd < 0)
		loop(&l);		/* never returns */
	cn_thread_join(t, NULL);
	return 0;
}
