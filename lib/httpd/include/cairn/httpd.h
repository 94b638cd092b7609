/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * httpd: an HTTP/1.1 server for any app. It serves a directory of the VFS
 * (GET and HEAD with Content-Type, Last-Modified and If-Modified-Since,
 * ETag and If-None-Match, single byte ranges, index.html, a redirect for
 * directories without their slash) and the dynamic routes an app
 * registers, with keep-alive, pipelining and timeouts.
 *
 *   static int hello(const struct cn_http_req *r, struct cn_http_resp *w,
 *                    void *arg)
 *   {
 *           return cn_http_reply(w, 200, "text/plain", "hi\n", 3);
 *   }
 *   cn_httpd_route("GET", "/hello", hello, NULL);
 *   cn_httpd_serve(NULL);                      (never returns)
 *
 * The configuration comes from menuconfig and the command line
 * (httpd.port, httpd.root, httpd.max_conns, httpd.keepalive_ms,
 * httpd.header_limit, httpd.access_log, and with LIB_HTTPD_TLS
 * httpd.tls_port, httpd.tls_cert, httpd.tls_key, httpd.redirect_https,
 * httpd.redirect_port, httpd.redirect_host); a struct
 * cn_httpd_config given to cn_httpd_serve() overrides it.
 *
 * HTTPS (LIB_HTTPD_TLS): the same server on a second port, TLS 1.2/1.3
 * through lib/mbedtls, with the certificate and key read from files at
 * start. When that fails (a missing or malformed file - the error line
 * names it - or no hardware entropy source) HTTPS is not served and
 * plain HTTP goes on.
 */
#ifndef CAIRN_HTTPD_H
#define CAIRN_HTTPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cairn/http_parse.h>

struct cn_httpd_config {
	int port;
	const char *root;		/* document root in the VFS; NULL: none */
	int max_conns;
	int keepalive_ms;		/* idle time before closing; also the
					   limit for receiving one request */
	int header_limit;		/* bytes of request head */
	bool access_log;
	int tls_port;			/* HTTPS port; 0: none */
	const char *tls_cert;		/* PEM files in the VFS */
	const char *tls_key;
	bool redirect_https;		/* plain HTTP redirects to HTTPS */
	int redirect_port;		/* in Location; 0: tls_port */
	const char *redirect_host;	/* when Host is missing or unusable;
					   NULL: such requests get 400 */
};

struct cn_http_req {
	const struct cn_http_head *head;
	const char *path;		/* decoded, normalised */
	const char *query;		/* after '?', or NULL */
	const char *peer;		/* client address */
};

struct cn_http_resp;

/* A route handler: returns 0, or a negative errno to drop the connection. */
typedef int (*cn_http_handler)(const struct cn_http_req *req,
			       struct cn_http_resp *w, void *arg);

/*
 * Routes requests whose path starts with prefix (and method, NULL for
 * any) to fn; the longest prefix wins; static files are the fallback.
 * 0, -ENOMEM or -EINVAL.
 */
int cn_httpd_route(const char *method, const char *prefix,
		   cn_http_handler fn, void *arg);

/* Value of a request header, or NULL. */
const char *cn_http_req_header(const struct cn_http_req *req,
			       const char *name);

/* Adds a response header ("Name: value") before the reply starts. */
int cn_http_add_header(struct cn_http_resp *w, const char *name,
		       const char *value);
/* A complete response with a body (HEAD: the body is not sent). */
int cn_http_reply(struct cn_http_resp *w, int status, const char *type,
		  const void *body, size_t len);

/* Serves forever (0: never; a negative errno if it cannot start). */
int cn_httpd_serve(const struct cn_httpd_config *cfg);
/* The same in a new thread. */
int cn_httpd_start(const struct cn_httpd_config *cfg);

/* Counters. */
struct cn_httpd_stats {
	uint64_t requests, connections, refused;
	unsigned int open;		/* connections now */
};
void cn_httpd_stats(struct cn_httpd_stats *st);

/* The reason phrase of a status ("Not Found"). */
const char *cn_http_reason(int status);

#endif
