/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/httpd. */
#ifndef HTTPD_PRIV_H
#define HTTPD_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <cairn/httpd.h>

/*
 * A connection's output buffer holds up to OUT_SIZE bytes (answers to
 * pipelined requests gather there; a file body larger than the room
 * left goes out with sendfile() or is streamed through it). Its memory
 * starts at OUT_START and doubles as an answer needs it, and the input
 * buffer starts at IN_START and doubles up to the request head limit:
 * a connection that asks for small pages, most of them, costs a few KiB
 * instead of both limits (the heap's peak follows the open connections).
 */
#define OUT_SIZE	16384
#define OUT_START	2048
#define IN_START	2048

struct cn_httpd_tls;

struct cn_http_resp {
	int fd;
	struct cn_httpd_tls *tls;	/* HTTPS: I/O goes through it */
	bool dead;			/* the client went away */
	bool started;			/* status line written */
	bool head_only;			/* HEAD: no body */
	bool keep_alive;
	bool http10;			/* the request was HTTP/1.0 */
	int status;
	uint64_t bytes;			/* body bytes sent (access log) */
	int64_t length;
	size_t extra_len;
	char extra[512];		/* headers added by the handler */
	/* A file body still to send after out (the event-driven mode). */
	bool defer;			/* handlers leave file bodies here */
	int body_fd;			/* -1: none */
	uint64_t body_off, body_left;
	size_t out_off;			/* sent so far of out */
	size_t out_len;
	size_t out_cap;			/* bytes allocated at out */
	char *out;
};

struct conn {
	struct cn_http_resp w;
	char *in;
	size_t in_len, in_size;		/* in_size grows up to in_max */
	size_t in_max;
	char peer[16];
	char path[1024];
	bool tls;			/* came in on the HTTPS port */
};

extern bool cn_httpd_use_sendfile;	/* httpd.sendfile */
extern const char cn_httpd_mode[];	/* threads.c or events.c */

struct sockaddr_in;
struct stat;

/* server.c: what both modes share (see there). */
const struct cn_httpd_config *cn_httpd_conf(void);
int cn_httpd_listen(const struct cn_httpd_config *cfg);
int cn_httpd_listen_on(int port);
struct conn *cn_httpd_conn_new(int fd, const struct sockaddr_in *peer);
void cn_httpd_conn_refuse(struct conn *c);
void cn_httpd_conn_free(struct conn *c);
uint64_t cn_httpd_now_ms(void);
long cn_httpd_parse(struct conn *c, struct cn_http_head *h);
bool cn_httpd_answer(struct conn *c, struct cn_http_head *h, long n,
		     size_t *body);
void cn_httpd_consume(struct conn *c, size_t n);
void cn_httpd_timeout(struct conn *c);
/* static.c: sends up to the whole of w's deferred body; -EAGAIN: full. */
int cn_httpd_body_send(struct cn_http_resp *w);

bool cn_httpd_flush(struct cn_http_resp *w);
size_t cn_httpd_out_room(struct cn_http_resp *w, size_t want);
bool cn_httpd_in_room(struct conn *c);
bool cn_httpd_write(struct cn_http_resp *w, const void *p, size_t len);
void cn_httpd_begin(struct cn_http_resp *w, int status, const char *type,
		    int64_t length);
void cn_httpd_error(struct cn_http_resp *w, int status);
int cn_httpd_static(const struct cn_http_req *req, struct cn_http_resp *w,
		    const char *root);

/*
 * gzip answers (gzip.c): pick which coding of the regular file at path
 * (st its stat, type its Content-Type) answers h, adding Vary and
 * Content-Encoding to w as needed. CN_HTTPD_GZIP_FILE: path and *st are
 * now FILE.gz's (path has room for the suffix: size is its buffer);
 * CN_HTTPD_GZIP_NOW: send it with cn_httpd_gzip_send().
 */
enum { CN_HTTPD_IDENTITY, CN_HTTPD_GZIP_FILE, CN_HTTPD_GZIP_NOW };
int cn_httpd_gzip_pick(struct cn_http_resp *w, const struct cn_http_head *h,
		       char *path, size_t size, struct stat *st,
		       const char *type);
/* gzip_dynamic.c (LIB_HTTPD_GZIP_DYNAMIC), else gzip_none.c: whether a
 * file of this type and size is compressed on the fly; the answer (200,
 * or 503/500 when it could not be made), body unless HEAD. */
bool cn_httpd_gzip_compressible(const char *type, uint64_t size);
int cn_httpd_gzip_send(struct cn_http_resp *w, int fd, uint64_t size,
		       const char *type);

/*
 * HTTPS (tls.c; tls_none.c when LIB_HTTPD_TLS is off). setup: 0, or a
 * negative errno after an error line that names the file or the reason
 * (-ENOTSUP: not built in). send/recv: as send()/recv() on the socket
 * (-1 and errno; recv 0 at the peer's close; EAGAIN: a blocking
 * socket's receive timed out, a non-blocking one is not ready: see
 * wants_write). close: frees t, the socket stays open.
 *
 * Blocking sockets (threads.c): accept makes the whole handshake on fd,
 * NULL when it failed (logged). Non-blocking ones (events.c): new makes
 * the session (NULL: no memory, logged), then handshake is called until
 * it is not -EAGAIN: 0 done, -EIO failed (logged). After -EAGAIN or
 * EAGAIN, wants_write says whether the session waits for room to send
 * (POLLOUT) or for data (POLLIN); a send that returned EAGAIN must be
 * repeated from the same bytes (more may follow them). pending: data
 * already received and decrypted, not yet read (poll() cannot see it).
 * timeout: logs that a handshake did not finish in time.
 */
int cn_httpd_tls_setup(const char *cert, const char *key);
struct cn_httpd_tls *cn_httpd_tls_accept(int fd, const char *peer);
struct cn_httpd_tls *cn_httpd_tls_new(int fd, const char *peer);
int cn_httpd_tls_handshake(struct cn_httpd_tls *t);
bool cn_httpd_tls_wants_write(const struct cn_httpd_tls *t);
bool cn_httpd_tls_pending(const struct cn_httpd_tls *t);
void cn_httpd_tls_timeout(struct cn_httpd_tls *t);
ssize_t cn_httpd_tls_send(struct cn_httpd_tls *t, const void *buf,
			  size_t len);
ssize_t cn_httpd_tls_recv(struct cn_httpd_tls *t, void *buf, size_t len);
void cn_httpd_tls_close(struct cn_httpd_tls *t);
/*
 * server.c: HTTPS's listening socket when httpd.tls_port asks for one and
 * the set-up succeeds (logged either way), else a negative errno.
 */
int cn_httpd_tls_listen(void);
/*
 * tls.c: with httpd.redirect_https, answers a plain HTTP request with a
 * redirect to HTTPS (or 400 for an unusable Host) and returns true;
 * false: serve it as usual.
 */
bool cn_httpd_tls_redirect(struct conn *c, const struct cn_http_head *h);

#endif
