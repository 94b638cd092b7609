/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The server: one thread accepts, one thread per connection serves it
 * with blocking sockets (Cairn's thread switches are cheap, and a
 * connection's code reads top to bottom: parse, route, respond, stream).
 * Responses are gathered in a per-connection output buffer so that the
 * answers to pipelined requests leave in as few segments as possible; it
 * is flushed when the input holds no further complete request.
 *
 * Limits: a request must arrive within keepalive_ms of its first byte
 * (slowloris), an idle keep-alive connection is closed after
 * keepalive_ms, the head is limited to header_limit bytes, request bodies
 * (allowed on any method, ignored by the file handler) to 1 MiB; past
 * max_conns a connection gets 503 and is closed.
 *
 * HTTPS (tls.c) is the same code on a second listening socket: its
 * connections shake hands first, then read and write through their TLS
 * session (the two I/O calls in fill() and cn_httpd_flush()).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <cairn/arch.h>
#include <cairn/httpd.h>
#include <cairn/log.h>
#include <cairn/param.h>
#include <cairn/sched.h>
#include <cairn/timer.h>
#include "httpd_priv.h"

#define MAX_ROUTES	32
#define MAX_BODY	(1 << 20)

static struct cn_httpd_config conf = {
	.port = CONFIG_LIB_HTTPD_PORT,
	.root = CONFIG_LIB_HTTPD_ROOT,
	.max_conns = CONFIG_LIB_HTTPD_MAX_CONNS,
	.keepalive_ms = CONFIG_LIB_HTTPD_KEEPALIVE_MS,
	.header_limit = CONFIG_LIB_HTTPD_HEADER_LIMIT,
#ifdef CONFIG_LIB_HTTPD_ACCESS_LOG
	.access_log = true,
#endif
#ifdef CONFIG_LIB_HTTPD_TLS
	.tls_port = CONFIG_LIB_HTTPD_TLS_PORT,
	.tls_cert = CONFIG_LIB_HTTPD_TLS_CERT,
	.tls_key = CONFIG_LIB_HTTPD_TLS_KEY,
#endif
};
CN_PARAM_INT(httpd, port, conf.port, "TCP port (1-65535)");
CN_PARAM_STR(httpd, root, conf.root, "document root in the VFS");
CN_PARAM_INT(httpd, max_conns, conf.max_conns,
	     "connections at once; more get 503");
CN_PARAM_INT(httpd, keepalive_ms, conf.keepalive_ms,
	     "idle keep-alive and request receive timeout (ms)");
CN_PARAM_INT(httpd, header_limit, conf.header_limit,
	     "bytes of request line and headers (431/414 beyond)");
CN_PARAM_BOOL(httpd, access_log, conf.access_log,
	      "one log line per request");
#ifdef CONFIG_LIB_HTTPD_TLS
CN_PARAM_INT(httpd, tls_port, conf.tls_port, "HTTPS port (0: none)");
CN_PARAM_STR(httpd, tls_cert, conf.tls_cert,
	     "certificate chain (PEM) for HTTPS");
CN_PARAM_STR(httpd, tls_key, conf.tls_key, "private key (PEM) for HTTPS");
#endif

static struct {
	const char *method, *prefix;
	size_t len;
	cn_http_handler fn;
	void *arg;
} routes[MAX_ROUTES];
static unsigned int nr_routes;
static struct cn_httpd_stats stats;

int cn_httpd_route(const char *method, const char *prefix,
		   cn_http_handler fn, void *arg)
{
	if (!prefix || prefix[0] != '/' || !fn)
		return -EINVAL;
	if (nr_routes == MAX_ROUTES)
		return -ENOMEM;
	routes[nr_routes].method = method;
	routes[nr_routes].prefix = prefix;
	routes[nr_routes].len = strlen(prefix);
	routes[nr_routes].fn = fn;
	routes[nr_routes].arg = arg;
	nr_routes++;
	return 0;
}

void cn_httpd_stats(struct cn_httpd_stats *st)
{
	unsigned long irq = cn_arch_irq_save();

	*st = stats;
	cn_arch_irq_restore(irq);
}

static void count(uint64_t *c, int delta_open)
{
	unsigned long irq = cn_arch_irq_save();

	if (c)
		(*c)++;
	stats.open = (unsigned int)((int)stats.open + delta_open);
	cn_arch_irq_restore(irq);
}

const char *cn_http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 206: return "Partial Content";
	case 301: return "Moved Permanently";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 416: return "Range Not Satisfiable";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	}
	return status < 300 ? "OK" : status < 400 ? "Redirect" :
	       status < 500 ? "Client Error" : "Server Error";
}

/* Output */
bool cn_httpd_flush(struct cn_http_resp *w)
{
	size_t off = 0;

	while (off < w->out_len && !w->dead) {
		ssize_t n = w->tls ?
			cn_httpd_tls_send(w->tls, w->out + off,
					  w->out_len - off) :
			send(w->fd, w->out + off, w->out_len - off, 0);

		if (n <= 0)
			w->dead = true;	/* the client went away */
		else
			off += (size_t)n;
	}
	w->out_len = 0;
	return !w->dead;
}

bool cn_httpd_write(struct cn_http_resp *w, const void *p, size_t len)
{
	const char *s = p;

	while (len && !w->dead) {
		size_t room = OUT_SIZE - w->out_len, n = len < room ? len : room;

		memcpy(w->out + w->out_len, s, n);
		w->out_len += n;
		s += n;
		len -= n;
		if (w->out_len == OUT_SIZE)
			cn_httpd_flush(w);
	}
	return !w->dead;
}

static void out_printf(struct cn_http_resp *w, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		cn_httpd_write(w, line, (size_t)n < sizeof(line) ? (size_t)n
							       : sizeof(line) - 1);
}

int cn_http_add_header(struct cn_http_resp *w, const char *name,
		       const char *value)
{
	size_t n = strlen(name) + strlen(value) + 4;

	if (w->started || w->extra_len + n >= sizeof(w->extra) ||
	    strpbrk(name, "\r\n:") || strpbrk(value, "\r\n"))
		return -EINVAL;
	w->extra_len += (size_t)snprintf(w->extra + w->extra_len,
					 sizeof(w->extra) - w->extra_len,
					 "%s: %s\r\n", name, value);
	return 0;
}

/* Status line and common headers; length < 0: none (no body). */
void cn_httpd_begin(struct cn_http_resp *w, int status, const char *type,
		    int64_t length)
{
	char date[32];

	w->status = status;
	w->started = true;
	cn_http_date((int64_t)time(NULL), date);
	out_printf(w, "HTTP/1.1 %d %s\r\nServer: Cairn\r\nDate: %s\r\n",
		   status, cn_http_reason(status), date);
	if (type)
		out_printf(w, "Content-Type: %s\r\n", type);
	if (length >= 0)
		out_printf(w, "Content-Length: %lld\r\n", (long long)length);
	/* length < 0 has no body: the response is delimited either way. */
	if (!w->keep_alive)
		cn_httpd_write(w, "Connection: close\r\n", 19);
	else if (w->http10)
		cn_httpd_write(w, "Connection: keep-alive\r\n", 24);
	cn_httpd_write(w, w->extra, w->extra_len);
	cn_httpd_write(w, "\r\n", 2);
	w->bytes = 0;
	w->length = length;
}

int cn_http_reply(struct cn_http_resp *w, int status, const char *type,
		  const void *body, size_t len)
{
	cn_httpd_begin(w, status, type, (int64_t)len);
	if (!w->head_only) {
		cn_httpd_write(w, body, len);
		w->bytes = len;
	}
	return w->dead ? -EPIPE : 0;
}

void cn_httpd_error(struct cn_http_resp *w, int status)
{
	char body[128];
	int n = snprintf(body, sizeof(body), "%d %s\n", status,
			 cn_http_reason(status));

	cn_http_reply(w, status, "text/plain", body, (size_t)n);
}

const char *cn_http_req_header(const struct cn_http_req *req,
			       const char *name)
{
	return cn_http_head_get(req->head, name);
}

/* Input */
static uint64_t now_ms(void)
{
	return cn_time_ns() / 1000000;
}

/* Receives more into c->in; false on timeout, close or error. */
static bool fill(struct conn *c, uint64_t deadline_ms)
{
	struct timeval tv;
	uint64_t now = now_ms();
	ssize_t n;

	/* The client may wait for our answers before sending more. */
	if (c->w.out_len)
		cn_httpd_flush(&c->w);
	if (c->in_len >= c->in_size || now >= deadline_ms || c->w.dead)
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

static void consume(struct conn *c, size_t n)
{
	memmove(c->in, c->in + n, c->in_len - n);
	c->in_len -= n;
}

static void access_log(struct conn *c, const struct cn_http_head *h)
{
	if (!conf.access_log)
		return;
	cn_pr_info("%s \"%s %s HTTP/1.%d\" %d %llu", c->peer,
		   h ? h->method_name : "-", h ? h->target : "-",
		   h ? h->minor : 1, c->w.status,
		   (unsigned long long)c->w.bytes);
}

static int route(struct conn *c, const struct cn_http_req *req)
{
	const struct cn_http_head *h = req->head;
	size_t best_len = 0;
	int best = -1;
	unsigned int i;

	for (i = 0; i < nr_routes; i++) {
		if (routes[i].method && strcmp(routes[i].method, h->method_name))
			continue;
		if (strncmp(req->path, routes[i].prefix, routes[i].len) == 0 &&
		    routes[i].len > best_len) {
			best = (int)i;
			best_len = routes[i].len;
		}
	}
	if (best >= 0)
		return routes[best].fn(req, &c->w, routes[best].arg);
	return cn_httpd_static(req, &c->w, conf.root);
}

/* Reads and drops a request body of len bytes. */
static bool skip_body(struct conn *c, size_t len, uint64_t deadline)
{
	while (len) {
		size_t n = len < c->in_len ? len : c->in_len;

		consume(c, n);
		len -= n;
		if (len && !fill(c, deadline))
			return false;
	}
	return true;
}

/* One request from the buffer; false when the connection must close. */
static bool serve_one(struct conn *c, uint64_t deadline)
{
	struct cn_http_limits lim = { .line = (size_t)conf.header_limit,
				      .head = (size_t)conf.header_limit };
	struct cn_http_head h;
	struct cn_http_req req = { .head = &h, .peer = c->peer };
	const char *v;
	long n;
	int st;

	while ((n = cn_http_parse(&h, c->in, c->in_len, &lim)) == 0)
		if (!fill(c, deadline)) {
			if (c->in_len && now_ms() >= deadline) {
				c->w.keep_alive = false;
				cn_httpd_error(&c->w, 408);
				access_log(c, NULL);
			}
			return false;
		}
	memset(&c->w.extra, 0, 1);
	c->w.extra_len = 0;
	c->w.started = false;
	c->w.head_only = false;
	c->w.keep_alive = false;
	c->w.http10 = false;
	c->w.bytes = 0;
	count(&stats.requests, 0);
	if (n < 0) {
		cn_httpd_error(&c->w, (int)-n);
		access_log(c, NULL);
		return false;
	}
	/*
	 * Persistence as RFC 9112 section 9.3 has it: "close" ends the
	 * connection after this response; otherwise 1.1 stays open, and
	 * 1.0 only when it asked with "keep-alive" (its answer then says
	 * so, or the client would wait for the close that delimits a 1.0
	 * response).
	 */
	c->w.http10 = h.minor == 0;
	if (cn_http_head_has_token(&h, "Connection", "close"))
		c->w.keep_alive = false;
	else
		c->w.keep_alive = !c->w.http10 ||
			cn_http_head_has_token(&h, "Connection", "keep-alive");
	c->w.head_only = h.method == CN_HTTP_HEAD;
	st = cn_http_normalize(h.target, c->path, sizeof(c->path), &req.query);
	if (!st && h.minor >= 1 && !cn_http_head_get(&h, "Host"))
		st = -400;
	if (!st && cn_http_head_get(&h, "Transfer-Encoding"))
		st = -501;		/* chunked request bodies */
	v = cn_http_head_get(&h, "Content-Length");
	if (!st && v) {
		char *end;
		unsigned long long len = strtoull(v, &end, 10);

		if (*end || !*v || *v == '-')
			st = -400;
		else if (len > MAX_BODY)
			st = -413;
		else {
			consume(c, (size_t)n);
			n = 0;
			if (!skip_body(c, (size_t)len, deadline))
				return false;
		}
	}
	if (n)
		consume(c, (size_t)n);
	if (st) {
		c->w.keep_alive = false;
		cn_httpd_error(&c->w, -st);
		access_log(c, &h);
		return false;
	}
	req.path = c->path;
	if (route(c, &req) < 0)
		c->w.dead = true;
	if (!c->w.started)
		cn_httpd_error(&c->w, 500);
	access_log(c, &h);
	return c->w.keep_alive && !c->w.dead;
}

static void *conn_main(void *arg)
{
	struct conn *c = arg;
	uint64_t idle_limit;
	struct timeval tv = { .tv_sec = conf.keepalive_ms / 1000,
			      .tv_usec = conf.keepalive_ms % 1000 * 1000 };

	if (c->tls) {
		/* A stalled handshake gets the time a request gets. */
		setsockopt(c->w.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		c->w.tls = cn_httpd_tls_accept(c->w.fd, c->peer);
		if (!c->w.tls)
			c->w.dead = true;
	}
	while (!c->w.dead) {
		/* Idle: wait for the first byte of the next request. */
		if (!c->in_len) {
			cn_httpd_flush(&c->w);
			if (c->w.dead ||
			    !fill(c, now_ms() + (uint64_t)conf.keepalive_ms))
				break;
		}
		idle_limit = now_ms() + (uint64_t)conf.keepalive_ms;
		if (!serve_one(c, idle_limit))
			break;
		/* Another complete request already here? Answer it first. */
	}
	cn_httpd_flush(&c->w);
	if (c->w.tls)
		cn_httpd_tls_close(c->w.tls);
	close(c->w.fd);
	free(c->in);
	free(c);
	count(NULL, -1);
	return NULL;
}

static void refuse(int fd)
{
	static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\n"
		"Content-Length: 0\r\nConnection: close\r\n"
		"Retry-After: 1\r\n\r\n";

	send(fd, busy, sizeof(busy) - 1, 0);
	close(fd);
	count(&stats.refused, 0);
}

static int check_config(const struct cn_httpd_config *c)
{
	if (c->port < 1 || c->port > 65535 || c->max_conns < 1 ||
	    c->keepalive_ms < 10 || c->header_limit < 256 ||
	    c->header_limit > (1 << 20)) {
		cn_pr_err("bad configuration: port %d (1-65535), max_conns %d "
			  "(1+), keepalive_ms %d (10+), header_limit %d "
			  "(256-1048576)", c->port, c->max_conns,
			  c->keepalive_ms, c->header_limit);
		return -EINVAL;
	}
	return 0;
}

/* A listening socket on port, or a negative errno (logged). */
static int listen_on(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int one = 1, lfd, rc;

	a.sin_port = htons((uint16_t)port);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one,
				  sizeof(one)) ||
	    bind(lfd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(lfd, conf.max_conns < 255 ? conf.max_conns : 255)) {
		rc = -errno;
		cn_pr_err("cannot listen on port %d: %s", port,
			  strerror(errno));
		if (lfd >= 0)
			close(lfd);
		return rc;
	}
	return lfd;
}

/* Accepts forever; each connection gets its thread. */
static void accept_loop(int lfd, bool tls)
{
	int one = 1;

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
		count(&stats.connections, 0);
		if (stats.open >= (unsigned int)conf.max_conns) {
			refuse(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c = calloc(1, sizeof(*c));
		if (c) {
			c->in_size = (size_t)conf.header_limit + 1024;
			c->in = malloc(c->in_size);
		}
		if (!c || !c->in) {
			if (c)
				free(c);
			refuse(fd);
			continue;
		}
		c->w.fd = fd;
		c->tls = tls;
		inet_ntop(AF_INET, &peer.sin_addr, c->peer, sizeof(c->peer));
		count(NULL, 1);
		if (cn_thread_create(&t, &attr, conn_main, c)) {
			count(NULL, -1);
			free(c->in);
			free(c);
			refuse(fd);
		}
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
	int lfd;

	if (conf.tls_port <= 0)
		return;
	if (conf.tls_port > 65535 || conf.tls_port == conf.port) {
		cn_pr_err("bad configuration: tls_port %d (1-65535, not the "
			  "HTTP port; 0: none)", conf.tls_port);
		return;
	}
	if (cn_httpd_tls_setup(conf.tls_cert, conf.tls_key))
		return;
	lfd = listen_on(conf.tls_port);
	if (lfd < 0)
		return;
	if (cn_thread_create(&t, &attr, tls_accept_thread,
			     (void *)(intptr_t)lfd)) {
		close(lfd);
		return;
	}
	cn_pr_info("serving HTTPS on port %d (TLS 1.2 and 1.3)",
		   conf.tls_port);
}

int cn_httpd_serve(const struct cn_httpd_config *cfg)
{
	int lfd, rc;

	if (cfg)
		conf = *cfg;
	rc = check_config(&conf);
	if (rc)
		return rc;
	lfd = listen_on(conf.port);
	if (lfd < 0)
		return lfd;
	cn_pr_info("serving %s on port %d (%d connections at most)",
		   conf.root ? conf.root : "(no files)", conf.port,
		   conf.max_conns);
	start_tls();
	accept_loop(lfd, false);
	return 0;
}

static void *serve_thread(void *arg)
{
	cn_httpd_serve(arg);
	return NULL;
}

int cn_httpd_start(const struct cn_httpd_config *cfg)
{
	static struct cn_httpd_config copy;
	struct cn_thread_attr attr = { .name = "httpd",
				       .flags = CN_THREAD_DETACHED };
	struct cn_thread *t;

	if (cfg)
		copy = *cfg;
	return cn_thread_create(&t, &attr, serve_thread, cfg ? &copy : NULL);
}
