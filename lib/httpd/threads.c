/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread per connection (LIB_HTTPD_THREADS): one thread accepts, each
 * connection gets its own thread with blocking sockets (Cairn's thread
 * switches are cheap, and a connection's code reads top to bottom:
 * parse, route, respond, stream). Timeouts come from SO_RCVTIMEO.
 * Responses gather in the connection's output buffer, which is flushed
 * when the input holds no further complete request, so that the answers
 * to pipelined requests leave in as few segments as possible.
 *
 * HTTPS (tls.c) is the same code on a second listening socket with its
 * own accepting thread: its connections shake hands first, then read
 * and write through their TLS session (fill() and cn_httpd_flush()).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cairn/log.h>
#include <cairn/sched.h>
#include <cairn/timer.h>
#include "httpd_priv.h"

const char cn_httpd_mode[] = "a thread per connection";

/* Receives more into c->in; false on timeout, close or error. */
static bool fill(struct conn *c, uint64_t deadline_ms)
{
	struct timeval tv;
	uint64_t now = cn_httpd_now_ms();
	ssize_t n;

	/* The client may wait for our answers before sending more. */
	if (c->w.out_len)
		cn_httpd_flush(&c->w);
	if (!cn_httpd_in_room(c) || now >= deadline_ms || c->w.dead)
		return false;
	tv.tv_sec = (long)((deadline_ms - now) / 1000);
	tv.tv_usec = (long)((deadline_ms - now) % 1000 * 1000);
	setsockopt(c->w.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = c->w.tls ? cn_httpd_tls_recv(c->w.tls, c->in + c->in_len,
					 c->in_size - c->in_len) :
		recv(c->w.fd, c->in + c->in_len, c->in_size - c->in_len, 0);
	if (n <= 0) {
		cn_pr_debug("%s: connection ends: %s", c->peer,
			    n ? strerror(errno) : "closed by the client");
		return false;
	}
	c->in_len += (size_t)n;
	return true;
}

/* Reads and drops a request body of len bytes. */
static bool skip_body(struct conn *c, size_t len, uint64_t deadline)
{
	while (len) {
		size_t n = len < c->in_len ? len : c->in_len;

		cn_httpd_consume(c, n);
		len -= n;
		if (len && !fill(c, deadline))
			return false;
	}
	return true;
}

/* One request from the buffer; false when the connection must close. */
static bool serve_one(struct conn *c, uint64_t deadline)
{
	struct cn_http_head h;
	size_t body;
	bool keep;
	long n;

	while ((n = cn_httpd_parse(c, &h)) == 0)
		if (!fill(c, deadline)) {
			if (c->in_len && cn_httpd_now_ms() >= deadline)
				cn_httpd_timeout(c);
			return false;
		}
	keep = cn_httpd_answer(c, &h, n, &body);
	return skip_body(c, body, deadline) && keep;
}

static void *conn_main(void *arg)
{
	struct conn *c = arg;
	uint64_t keepalive = (uint64_t)cn_httpd_conf()->keepalive_ms;

	if (c->tls) {
		/* A stalled handshake gets the time a request gets. */
		struct timeval tv = { .tv_sec = (long)(keepalive / 1000),
				      .tv_usec = (long)(keepalive % 1000 * 1000) };

		setsockopt(c->w.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		c->w.tls = cn_httpd_tls_accept(c->w.fd, c->peer);
		if (!c->w.tls)
			c->w.dead = true;
	}
	while (!c->w.dead) {
		/* Idle: wait for the first byte of the next request. */
		if (!c->in_len) {
			cn_httpd_flush(&c->w);
			if (c->w.dead || !fill(c, cn_httpd_now_ms() + keepalive))
				break;
		}
		if (!serve_one(c, cn_httpd_now_ms() + keepalive))
			break;
		/* Another complete request already here? Answer it first. */
	}
	cn_httpd_flush(&c->w);
	cn_httpd_conn_free(c);
	return NULL;
}

/* Accepts forever on lfd; each connection gets its thread. */
static void accept_loop(int lfd, bool tls)
{
	for (;;) {
		struct sockaddr_in peer;
		socklen_t plen = sizeof(peer);
		/* Mbed TLS's handshake wants more stack than plain HTTP. */
		struct cn_thread_attr attr = { .name = tls ? "https" : "http",
					       .stack_size = tls ? 65536 : 24576,
					       .flags = CN_THREAD_DETACHED };
		struct cn_thread *t;
		struct conn *c;
		int fd = accept(lfd, (struct sockaddr *)&peer, &plen);

		if (fd < 0) {
			cn_pr_warn("accept: %s", strerror(errno));
			cn_time_sleep_until(cn_time_ns() + 10000000);
			continue;
		}
		c = cn_httpd_conn_new(fd, &peer);
		if (!c)
			continue;
		c->tls = tls;
		if (cn_thread_create(&t, &attr, conn_main, c))
			cn_httpd_conn_refuse(c);
	}
}

static void *tls_accept_thread(void *arg)
{
	accept_loop((int)(intptr_t)arg, true);
	return NULL;
}

/* HTTPS beside HTTP, when configured and possible (else logged why). */
static void start_tls(void)
{
	struct cn_thread_attr attr = { .name = "httpsd",
				       .flags = CN_THREAD_DETACHED };
	struct cn_thread *t;
	int lfd = cn_httpd_tls_listen();

	if (lfd >= 0 && cn_thread_create(&t, &attr, tls_accept_thread,
					 (void *)(intptr_t)lfd)) {
		cn_pr_err("no thread for HTTPS");
		close(lfd);
	}
}

int cn_httpd_serve(const struct cn_httpd_config *cfg)
{
	int lfd = cn_httpd_listen(cfg);

	if (lfd < 0)
		return lfd;
	start_tls();
	accept_loop(lfd, false);
	return 0;
}
