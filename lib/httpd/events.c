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
#include "httpd_priv.h"

const char cn_httpd_mode[] = "event-driven";

struct econn {
	struct conn *c;
	uint64_t deadline;
	size_t skip;			/* request body bytes still to drop */
	bool closing;			/* close once the answers are out */
	bool eof;			/* the client sends no more */
};

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
			ssize_t n = send(w->fd, w->out + w->out_off,
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

	if (c->in_len >= c->in_size || e->eof)
		return true;		/* the parser refuses it first */
	n = recv(c->w.fd, c->in + c->in_len, c->in_size - c->in_len,
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

/* One connection's turn; false when it is to be closed. */
static bool step(struct econn *e, short rev, uint64_t now)
{
	struct conn *c = e->c;

	if (pending(c) && drain(e, now) == -EPIPE)
		return false;
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

static void accept_all(int lfd, struct econn *conns, unsigned int *n,
		       uint64_t now)
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
		conns[*n] = (struct econn){ .c = c,
					    .deadline = now + keepalive };
		(*n)++;
	}
}

int cn_httpd_serve(const struct cn_httpd_config *cfg)
{
	int lfd = cn_httpd_listen(cfg);
	unsigned int max, n = 0, i, j;
	struct pollfd *pfd;
	struct econn *conns;

	if (lfd < 0)
		return lfd;
	keepalive = (uint64_t)cn_httpd_conf()->keepalive_ms;
	max = (unsigned int)cn_httpd_conf()->max_conns;
	conns = calloc(max, sizeof(*conns));
	pfd = calloc(max + 1, sizeof(*pfd));
	if (!conns || !pfd || fcntl(lfd, F_SETFL, O_NONBLOCK)) {
		cn_pr_err("no memory for %u connections", max);
		free(conns);
		free(pfd);
		close(lfd);
		return -ENOMEM;
	}
	for (;;) {
		uint64_t now = cn_httpd_now_ms(), next = now + 1000;
		unsigned int polled = n;

		pfd[0] = (struct pollfd){ lfd, POLLIN, 0 };
		for (i = 0; i < n; i++) {
			pfd[i + 1] = (struct pollfd){
				conns[i].c->w.fd,
				pending(conns[i].c) ? POLLOUT : POLLIN, 0 };
			if (conns[i].deadline < next)
				next = conns[i].deadline;
		}
		poll(pfd, n + 1, next > now ? (int)(next - now) : 0);
		now = cn_httpd_now_ms();
		if (pfd[0].revents & POLLIN)
			accept_all(lfd, conns, &n, now);
		/* Turns for the polled ones; the closed leave the array. */
		for (i = j = 0; i < n; i++) {
			short rev = i < polled ? pfd[i + 1].revents : 0;

			if (i < polled && !step(&conns[i], rev, now)) {
				cn_httpd_conn_free(conns[i].c);
				continue;
			}
			conns[j++] = conns[i];
		}
		n = j;
	}
}
