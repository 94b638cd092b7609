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
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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
#include <cairn/spinlock.h>
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
#ifdef CONFIG_LIB_HTTPD_SENDFILE
bool cn_httpd_use_sendfile = true;
#else
bool cn_httpd_use_sendfile;
#endif
CN_PARAM_BOOL(httpd, sendfile, cn_httpd_use_sendfile,
	      "bodies larger than the output buffer go out with sendfile()");
#ifdef CONFIG_LIB_HTTPD_TLS
CN_PARAM_INT(httpd, tls_port, conf.tls_port, "HTTPS port (0: none)");
CN_PARAM_STR(httpd, tls_cert, conf.tls_cert,
	     "certificate chain (PEM) for HTTPS");
CN_PARAM_STR(httpd, tls_key, conf.tls_key, "private key (PEM) for HTTPS");
CN_PARAM_BOOL(httpd, redirect_https, conf.redirect_https,
	      "plain HTTP answers 301/308 to the same URL over HTTPS");
CN_PARAM_INT(httpd, redirect_port, conf.redirect_port,
	     "HTTPS port clients reach (redirects; 0: tls_port)");
CN_PARAM_STR(httpd, redirect_host, conf.redirect_host,
	     "host name for redirects when Host is missing or unusable");
#endif

static struct {
	const char *method, *prefix;
	size_t len;
	cn_http_handler fn;
	void *arg;
} routes[MAX_ROUTES];
static unsigned int nr_routes;
/* A leaf lock of its own: the counters are touched once per request. */
static struct cn_httpd_stats stats;
static struct cn_spinlock stats_lock = CN_SPINLOCK_INIT;

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
	unsigned long irq = cn_spin_lock_irqsave(&stats_lock);

	*st = stats;
	cn_spin_unlock_irqrestore(&stats_lock, irq);
}

static void count(uint64_t *c, int delta_open)
{
	unsigned long irq = cn_spin_lock_irqsave(&stats_lock);

	if (c)
		(*c)++;
	stats.open = (unsigned int)((int)stats.open + delta_open);
	cn_spin_unlock_irqrestore(&stats_lock, irq);
}

const char *cn_http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 206: return "Partial Content";
	case 301: return "Moved Permanently";
	case 304: return "Not Modified";
	case 308: return "Permanent Redirect";
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
/*
 * Sends what is buffered. A non-blocking socket (the event-driven mode)
 * that is full makes it wait for room here, up to keepalive_ms: only a
 * dynamic answer larger than the buffer gets there, file bodies are
 * streamed by the event loop itself.
 */
bool cn_httpd_flush(struct cn_http_resp *w)
{
	while (w->out_off < w->out_len && !w->dead) {
		ssize_t n = w->tls ?
			cn_httpd_tls_send(w->tls, w->out + w->out_off,
					  w->out_len - w->out_off) :
			send(w->fd, w->out + w->out_off,
			     w->out_len - w->out_off, 0);

		if (n > 0) {
			w->out_off += (size_t)n;
		} else if (n < 0 && errno == EAGAIN) {
			struct pollfd p = { w->fd, POLLOUT, 0 };

			if (poll(&p, 1, conf.keepalive_ms) <= 0)
				w->dead = true;
		} else {
			w->dead = true;	/* the client went away */
		}
	}
	w->out_len = w->out_off = 0;
	return !w->dead;
}

/*
 * Free bytes at w->out + w->out_len, grown (doubling, up to OUT_SIZE in
 * all) to hold want more if memory allows: less than want when it does
 * not (the caller sends what it has and goes on in smaller pieces).
 */
size_t cn_httpd_out_room(struct cn_http_resp *w, size_t want)
{
	size_t need = w->out_len + want, cap = w->out_cap;
	char *p;

	if (need > OUT_SIZE)
		need = OUT_SIZE;
	if (need > cap) {
		while (cap < need)
			cap *= 2;
		if (cap > OUT_SIZE)
			cap = OUT_SIZE;
		p = realloc(w->out, cap);
		if (p) {
			w->out = p;
			w->out_cap = cap;
		}
	}
	return w->out_cap - w->out_len;
}

/* Room in c->in for more input: false at the limit (or out of memory). */
bool cn_httpd_in_room(struct conn *c)
{
	size_t size = c->in_size * 2;
	char *p;

	if (c->in_len < c->in_size)
		return true;
	if (c->in_size >= c->in_max)
		return false;
	if (size > c->in_max)
		size = c->in_max;
	p = realloc(c->in, size);
	if (!p)
		return false;
	c->in = p;
	c->in_size = size;
	return true;
}

bool cn_httpd_write(struct cn_http_resp *w, const void *p, size_t len)
{
	const char *s = p;

	while (len && !w->dead) {
		size_t room = cn_httpd_out_room(w, len), n = len < room ?
							    len : room;

		if (!n) {
			cn_httpd_flush(w);
			continue;
		}
		memcpy(w->out + w->out_len, s, n);
		w->out_len += n;
		s += n;
		len -= n;
		if (w->out_len == OUT_SIZE)
			cn_httpd_flush(w);
	}
	return !w->dead;
}

static void out_str(struct cn_http_resp *w, const char *s)
{
	cn_httpd_write(w, s, strlen(s));
}

/*
 * A decimal number. The head of every response is put together from
 * pieces rather than with vsnprintf: under TCG the format interpreter was
 * the largest single piece of httpd in a guest profile of a keep-alive
 * run (doc/bench/http.md), for a status and a length.
 */
static void out_dec(struct cn_http_resp *w, long long v)
{
	char b[24];
	size_t i = sizeof(b);
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v :
				       (unsigned long long)v;

	do {
		b[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		b[--i] = '-';
	cn_httpd_write(w, b + i, sizeof(b) - i);
}

int cn_http_add_header(struct cn_http_resp *w, const char *name,
		       const char *value)
{
	size_t nl = strlen(name), vl = strlen(value);
	char *p = w->extra + w->extra_len;

	if (w->started || w->extra_len + nl + vl + 4 >= sizeof(w->extra) ||
	    strpbrk(name, "\r\n:") || strpbrk(value, "\r\n"))
		return -EINVAL;
	memcpy(p, name, nl);
	memcpy(p + nl, ": ", 2);
	memcpy(p + nl + 2, value, vl);
	memcpy(p + nl + 2 + vl, "\r\n", 3);	/* kept NUL-terminated */
	w->extra_len += nl + vl + 4;
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
	out_str(w, "HTTP/1.1 ");
	out_dec(w, status);
	cn_httpd_write(w, " ", 1);
	out_str(w, cn_http_reason(status));
	out_str(w, "\r\nServer: Cairn\r\nDate: ");
	out_str(w, date);
	cn_httpd_write(w, "\r\n", 2);
	if (type) {
		out_str(w, "Content-Type: ");
		out_str(w, type);
		cn_httpd_write(w, "\r\n", 2);
	}
	if (length >= 0) {
		out_str(w, "Content-Length: ");
		out_dec(w, (long long)length);
		cn_httpd_write(w, "\r\n", 2);
	}
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
uint64_t cn_httpd_now_ms(void)
{
	return cn_time_ns() / 1000000;
}

void cn_httpd_consume(struct conn *c, size_t n)
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

long cn_httpd_parse(struct conn *c, struct cn_http_head *h)
{
	struct cn_http_limits lim = { .line = (size_t)conf.header_limit,
				      .head = (size_t)conf.header_limit };

	return cn_http_parse(h, c->in, c->in_len, &lim);
}

void cn_httpd_timeout(struct conn *c)
{
	c->w.keep_alive = false;
	cn_httpd_error(&c->w, 408);
	access_log(c, NULL);
}

/*
 * Answers the request whose head (n bytes, or the error -n) starts c->in,
 * then drops the head from c->in (the head's strings point into it, so
 * only after the answer). *body gets the request body's length: the
 * caller drops that many bytes that follow. Returns false when the
 * connection must close after the answer leaves.
 */
bool cn_httpd_answer(struct conn *c, struct cn_http_head *h, long n,
		     size_t *body)
{
	struct cn_http_req req = { .head = h, .peer = c->peer };
	const char *v;
	int st;

	*body = 0;
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
	c->w.http10 = h->minor == 0;
	if (cn_http_head_has_token(h, "Connection", "close"))
		c->w.keep_alive = false;
	else
		c->w.keep_alive = !c->w.http10 ||
			cn_http_head_has_token(h, "Connection", "keep-alive");
	c->w.head_only = h->method == CN_HTTP_HEAD;
	st = cn_http_normalize(h->target, c->path, sizeof(c->path),
			       &req.query);
	if (!st && h->minor >= 1 && !cn_http_head_get(h, "Host"))
		st = -400;
	if (!st && cn_http_head_get(h, "Transfer-Encoding"))
		st = -501;		/* chunked request bodies */
	v = cn_http_head_get(h, "Content-Length");
	if (!st && v) {
		char *end;
		unsigned long long len = strtoull(v, &end, 10);

		if (*end || !*v || *v == '-')
			st = -400;
		else if (len > MAX_BODY)
			st = -413;
		else
			*body = (size_t)len;
	}
	if (st) {
		*body = 0;
		c->w.keep_alive = false;
		cn_httpd_error(&c->w, -st);
		access_log(c, h);
		return false;
	}
	req.path = c->path;
	if (cn_httpd_tls_redirect(c, h))
		;			/* answered: plain HTTP goes to HTTPS */
	else if (route(c, &req) < 0)
		c->w.dead = true;
	if (!c->w.started)
		cn_httpd_error(&c->w, 500);
	access_log(c, h);
	cn_httpd_consume(c, (size_t)n);
	return c->w.keep_alive && !c->w.dead;
}

static void busy(int fd)
{
	static const char msg[] = "HTTP/1.1 503 Service Unavailable\r\n"
		"Content-Length: 0\r\nConnection: close\r\n"
		"Retry-After: 1\r\n\r\n";

	send(fd, msg, sizeof(msg) - 1, MSG_DONTWAIT);
	count(&stats.refused, 0);
}

static void refuse(int fd)
{
	busy(fd);
	close(fd);
}

/* A new connection on fd from peer: counted, or refused past the limit. */
struct conn *cn_httpd_conn_new(int fd, const struct sockaddr_in *peer)
{
	struct conn *c;
	int one = 1;

	count(&stats.connections, 0);
	if (stats.open >= (unsigned int)conf.max_conns) {
		refuse(fd);
		return NULL;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c = calloc(1, sizeof(*c));
	if (c) {
		c->in_max = (size_t)conf.header_limit + 1024;
		c->in_size = c->in_max < IN_START ? c->in_max : IN_START;
		c->in = malloc(c->in_size);
		c->w.out_cap = OUT_START;
		c->w.out = malloc(OUT_START);
	}
	if (!c || !c->in || !c->w.out) {
		if (c) {
			free(c->in);
			free(c->w.out);
			free(c);
		}
		refuse(fd);
		return NULL;
	}
	c->w.fd = fd;
	c->w.body_fd = -1;
	inet_ntop(AF_INET, &peer->sin_addr, c->peer, sizeof(c->peer));
	count(NULL, 1);
	return c;
}

/* Answers 503 and frees c (it could not be served after all). */
void cn_httpd_conn_refuse(struct conn *c)
{
	busy(c->w.fd);
	cn_httpd_conn_free(c);
}

/* Closes and frees c (its answers sent or abandoned). */
void cn_httpd_conn_free(struct conn *c)
{
	if (c->w.body_fd >= 0)
		close(c->w.body_fd);
	if (c->w.tls)
		cn_httpd_tls_close(c->w.tls);
	close(c->w.fd);
	free(c->in);
	free(c->w.out);
	free(c);
	count(NULL, -1);
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

/* Takes cfg (NULL: the parameters), listens: the socket or -errno. */
int cn_httpd_listen(const struct cn_httpd_config *cfg)
{
	int lfd, rc;

	if (cfg)
		conf = *cfg;
	rc = check_config(&conf);
	if (rc)
		return rc;
	lfd = cn_httpd_listen_on(conf.port);
	if (lfd < 0)
		return lfd;
	cn_pr_info("serving %s on port %d (%d connections at most, %s)",
		   conf.root ? conf.root : "(no files)", conf.port,
		   conf.max_conns, cn_httpd_mode);
	return lfd;
}

/* A listening socket on port, or a negative errno (logged). */
int cn_httpd_listen_on(int port)
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

const struct cn_httpd_config *cn_httpd_conf(void)
{
	return &conf;
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
