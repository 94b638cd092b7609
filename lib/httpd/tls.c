/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HTTPS for lib/httpd: Mbed TLS (lib/mbedtls) under the server's
 * connection code. server.c calls in at four points only: setup at
 * start-up, a handshake when a connection arrives on the TLS port, and
 * send/receive through the session instead of the socket (its two I/O
 * functions), then close. Everything else - parsing, routes, static
 * files, keep-alive, limits - is the same code for HTTP and HTTPS.
 *
 * One mbedtls_ssl_config for the whole server, read-only once set up
 * (Mbed TLS allows sharing it between threads); one mbedtls_ssl_context
 * per connection. The record layer talks to the socket with plain
 * send()/recv(). In the thread-per-connection mode the socket blocks
 * and its receive timeout (SO_RCVTIMEO, set by threads.c) bounds a
 * stalled handshake exactly as it bounds a slow request. In the
 * event-driven mode the socket never blocks: a call that would wait
 * returns EAGAIN (Mbed TLS's WANT_READ/WANT_WRITE), the session says
 * which readiness it waits for, and the event loop calls again when
 * poll() reports it; the loop's deadline bounds a stalled handshake.
 *
 * What a client cannot do: TLS below 1.2, renegotiate (not compiled in),
 * send a certificate (none is asked for; an unasked one fails the
 * handshake), send records over 16 KiB. Each of those ends that
 * connection with one log line; the server goes on.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cairn/log.h>
#include <cairn/mbedtls.h>
#include <cairn/panic.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ticket.h>
#include <mbedtls/x509_crt.h>
#include "httpd_priv.h"

#define MAX_FILE	(64 * 1024)	/* a certificate chain or a key */
#define TICKET_LIFETIME	(24 * 3600)

struct cn_httpd_tls {
	mbedtls_ssl_context ssl;
	int fd;
	bool nonblock;			/* the event-driven mode's socket */
	bool want_write;		/* the last call waits for room */
	size_t wlen;			/* a write to repeat (see send) */
	const char *peer;
};

static mbedtls_ssl_config conf;
static mbedtls_x509_crt cert;
static mbedtls_pk_context key;
static mbedtls_ssl_ticket_context tickets;
static const char *alpn[] = { "http/1.1", NULL };
static const uint16_t groups[] = { MBEDTLS_SSL_IANA_TLS_GROUP_X25519,
				   MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1,
				   MBEDTLS_SSL_IANA_TLS_GROUP_NONE };

static const char *why(int err, char *buf, size_t len)
{
	mbedtls_strerror(err, buf, len);
	return buf;
}

/* The whole file, NUL-terminated (PEM parsers want the NUL counted). */
static int load(const char *path, unsigned char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	size_t n;

	if (!f)
		return -errno;
	buf = malloc(MAX_FILE + 1);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(buf, 1, MAX_FILE + 1, f);
	fclose(f);
	if (n > MAX_FILE) {
		free(buf);
		return -EFBIG;
	}
	buf[n] = 0;
	*out = buf;
	*len = n + 1;
	return 0;
}

static int load_cert(const char *path)
{
	unsigned char *buf, sum[32];
	char err[128], fp[32 * 3];
	size_t len;
	int rc, i;

	rc = load(path, &buf, &len);
	if (rc) {
		cn_pr_err("TLS certificate %s: %s", path, strerror(-rc));
		return rc;
	}
	rc = mbedtls_x509_crt_parse(&cert, buf, len);
	free(buf);
	if (rc) {
		cn_pr_err("TLS certificate %s: not a usable certificate: %s",
			  path, why(rc, err, sizeof(err)));
		return -EINVAL;
	}
	mbedtls_sha256(cert.raw.p, cert.raw.len, sum, 0);
	for (i = 0; i < 32; i++)
		snprintf(fp + 3 * i, 4, "%02X%s", sum[i], i < 31 ? ":" : "");
	cn_pr_info("TLS certificate %s, SHA-256 fingerprint %s", path, fp);
	return 0;
}

static int load_key(const char *path)
{
	unsigned char *buf;
	char err[128];
	size_t len;
	int rc;

	rc = load(path, &buf, &len);
	if (rc) {
		cn_pr_err("TLS key %s: %s", path, strerror(-rc));
		return rc;
	}
	rc = mbedtls_pk_parse_key(&key, buf, len, NULL, 0, cn_mbedtls_rng,
				  NULL);
	mbedtls_platform_zeroize(buf, len);
	free(buf);
	if (rc) {
		cn_pr_err("TLS key %s: not a usable private key: %s", path,
			  why(rc, err, sizeof(err)));
		return -EINVAL;
	}
	return 0;
}

static int configure(void)
{
	char err[128];
	int rc;

	mbedtls_ssl_config_init(&conf);
	rc = mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_SERVER,
					 MBEDTLS_SSL_TRANSPORT_STREAM,
					 MBEDTLS_SSL_PRESET_DEFAULT);
	if (rc)
		goto fail;
	mbedtls_ssl_conf_rng(&conf, cn_mbedtls_rng, NULL);
	mbedtls_ssl_conf_min_tls_version(&conf, MBEDTLS_SSL_VERSION_TLS1_2);
	mbedtls_ssl_conf_max_tls_version(&conf, MBEDTLS_SSL_VERSION_TLS1_3);
	mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_NONE);
	mbedtls_ssl_conf_groups(&conf, groups);
	rc = mbedtls_ssl_conf_alpn_protocols(&conf, alpn);
	if (rc)
		goto fail;
	rc = mbedtls_ssl_conf_own_cert(&conf, &cert, &key);
	if (rc)
		goto fail;
	mbedtls_ssl_ticket_init(&tickets);
	rc = mbedtls_ssl_ticket_setup(&tickets, cn_mbedtls_rng, NULL,
				      MBEDTLS_CIPHER_AES_256_GCM,
				      TICKET_LIFETIME);
	if (rc)
		goto fail;
	mbedtls_ssl_conf_session_tickets_cb(&conf, mbedtls_ssl_ticket_write,
					    mbedtls_ssl_ticket_parse,
					    &tickets);
	return 0;
fail:
	cn_pr_err("TLS set-up failed: %s", why(rc, err, sizeof(err)));
	return -EIO;
}

int cn_httpd_tls_setup(const char *cert_path, const char *key_path)
{
	char err[128];
	int rc;

	rc = cn_mbedtls_ready();
	if (rc == -ENODEV) {
		cn_pr_err("HTTPS disabled: no hardware entropy source (no "
			  "RDSEED/RDRAND/RNDR in this CPU, no virtio-rng), so "
			  "keys would be predictable; add virtio-rng (make "
			  "run RNG=on, QEMU -device virtio-rng-pci)");
		return rc;
	}
	if (rc)
		return rc;
	mbedtls_x509_crt_init(&cert);
	mbedtls_pk_init(&key);
	rc = load_cert(cert_path);
	if (!rc)
		rc = load_key(key_path);
	if (!rc && (rc = mbedtls_pk_check_pair(&cert.pk, &key, cn_mbedtls_rng,
					       NULL))) {
		cn_pr_err("TLS key %s does not belong to certificate %s: %s",
			  key_path, cert_path, why(rc, err, sizeof(err)));
		rc = -EINVAL;
	}
	if (!rc)
		rc = configure();
	if (rc) {
		mbedtls_x509_crt_free(&cert);
		mbedtls_pk_free(&key);
	}
	return rc;
}

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
	struct cn_httpd_tls *t = ctx;
	ssize_t n = send(t->fd, buf, len, t->nonblock ? MSG_DONTWAIT : 0);

	if (n < 0 && errno == EAGAIN && t->nonblock) {
		t->want_write = true;
		return MBEDTLS_ERR_SSL_WANT_WRITE;
	}
	return n < 0 ? MBEDTLS_ERR_NET_SEND_FAILED : (int)n;
}

/*
 * 0 is the peer's close. A blocking socket's EAGAIN is its receive
 * timeout (SO_RCVTIMEO), an error here; a non-blocking one's is "later".
 */
static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
	struct cn_httpd_tls *t = ctx;
	ssize_t n = recv(t->fd, buf, len, t->nonblock ? MSG_DONTWAIT : 0);

	if (n < 0 && errno == EAGAIN && t->nonblock)
		return MBEDTLS_ERR_SSL_WANT_READ;
	return n < 0 ? MBEDTLS_ERR_NET_RECV_FAILED : (int)n;
}

static bool again(struct cn_httpd_tls *t, int rc)
{
	if (rc == MBEDTLS_ERR_SSL_WANT_WRITE)
		t->want_write = true;
	return rc == MBEDTLS_ERR_SSL_WANT_READ ||
	       rc == MBEDTLS_ERR_SSL_WANT_WRITE;
}

static struct cn_httpd_tls *session(int fd, const char *peer, bool nonblock)
{
	struct cn_httpd_tls *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->fd = fd;
	t->peer = peer;
	t->nonblock = nonblock;
	mbedtls_ssl_init(&t->ssl);
	if (mbedtls_ssl_setup(&t->ssl, &conf)) {
		mbedtls_ssl_free(&t->ssl);
		free(t);
		return NULL;
	}
	mbedtls_ssl_set_bio(&t->ssl, t, bio_send, bio_recv, NULL);
	return t;
}

static void handshake_failed(struct cn_httpd_tls *t, int rc)
{
	char err[128];

	cn_pr_info("%s: TLS handshake failed: %s", t->peer,
		   rc == MBEDTLS_ERR_NET_RECV_FAILED ?
		   "timed out or reset" : why(rc, err, sizeof(err)));
}

static void handshake_done(struct cn_httpd_tls *t)
{
	cn_pr_debug("%s: %s %s%s%s", t->peer,
		    mbedtls_ssl_get_version(&t->ssl),
		    mbedtls_ssl_get_ciphersuite(&t->ssl),
		    mbedtls_ssl_get_alpn_protocol(&t->ssl) ? " alpn " : "",
		    mbedtls_ssl_get_alpn_protocol(&t->ssl) ?: "");
}

struct cn_httpd_tls *cn_httpd_tls_accept(int fd, const char *peer)
{
	struct cn_httpd_tls *t = session(fd, peer, false);
	int rc;

	if (!t) {
		cn_pr_warn("%s: no memory for a TLS session", peer);
		return NULL;
	}
	do
		rc = mbedtls_ssl_handshake(&t->ssl);
	while (again(t, rc));
	if (rc) {
		handshake_failed(t, rc);
		mbedtls_ssl_free(&t->ssl);
		free(t);
		return NULL;
	}
	handshake_done(t);
	return t;
}

struct cn_httpd_tls *cn_httpd_tls_new(int fd, const char *peer)
{
	struct cn_httpd_tls *t = session(fd, peer, true);

	if (!t)
		cn_pr_warn("%s: no memory for a TLS session", peer);
	return t;
}

int cn_httpd_tls_handshake(struct cn_httpd_tls *t)
{
	int rc;

	t->want_write = false;
	rc = mbedtls_ssl_handshake(&t->ssl);
	if (again(t, rc))
		return -EAGAIN;
	if (rc) {
		handshake_failed(t, rc);
		return -EIO;
	}
	handshake_done(t);
	return 0;
}

void cn_httpd_tls_timeout(struct cn_httpd_tls *t)
{
	cn_pr_info("%s: TLS handshake failed: timed out or reset", t->peer);
}

bool cn_httpd_tls_wants_write(const struct cn_httpd_tls *t)
{
	return t->want_write;
}

bool cn_httpd_tls_pending(const struct cn_httpd_tls *t)
{
	return mbedtls_ssl_check_pending(&t->ssl) != 0;
}

/*
 * Mbed TLS wants a write that returned WANT_WRITE repeated with the
 * same length (the record is already made; only its sending is left).
 * The caller's buffer still starts with those bytes (nothing is taken
 * from it until the call succeeds) but may have grown since: t->wlen
 * keeps the length.
 */
ssize_t cn_httpd_tls_send(struct cn_httpd_tls *t, const void *buf,
			  size_t len)
{
	int n;

	if (t->wlen) {
		CN_ASSERT(len >= t->wlen);
		len = t->wlen;
	}
	t->want_write = false;
	do
		n = mbedtls_ssl_write(&t->ssl, buf, len);
	while (!t->nonblock && again(t, n));
	if (again(t, n)) {
		t->wlen = len;
		errno = EAGAIN;
		return -1;
	}
	t->wlen = 0;
	if (n < 0) {
		errno = EIO;
		return -1;
	}
	return n;
}

ssize_t cn_httpd_tls_recv(struct cn_httpd_tls *t, void *buf, size_t len)
{
	int n;

	t->want_write = false;
	do
		n = mbedtls_ssl_read(&t->ssl, buf, len);
	while (!t->nonblock && again(t, n));
	if (n == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
		return 0;
	if (n < 0) {
		errno = again(t, n) || n == MBEDTLS_ERR_NET_RECV_FAILED ?
			EAGAIN : EIO;
		return -1;
	}
	return n;
}

/* The close_notify alert is a courtesy: a full socket goes without it. */
void cn_httpd_tls_close(struct cn_httpd_tls *t)
{
	if (!t->wlen && mbedtls_ssl_is_handshake_over(&t->ssl))
		mbedtls_ssl_close_notify(&t->ssl);
	mbedtls_ssl_free(&t->ssl);
	free(t);
}

static bool serving;			/* HTTPS is up: redirecting is safe */

static int listen_tls(const struct cn_httpd_config *conf)
{
	int rc;

	if (conf->tls_port <= 0)
		return -ENOENT;
	if (conf->tls_port > 65535 || conf->tls_port == conf->port) {
		cn_pr_err("bad configuration: tls_port %d (1-65535, not the "
			  "HTTP port; 0: none)", conf->tls_port);
		return -EINVAL;
	}
	rc = cn_httpd_tls_setup(conf->tls_cert, conf->tls_key);
	if (rc)
		return rc;
	return cn_httpd_listen_on(conf->tls_port);
}

static int public_port(const struct cn_httpd_config *conf)
{
	return conf->redirect_port > 0 ? conf->redirect_port : conf->tls_port;
}

int cn_httpd_tls_listen(void)
{
	const struct cn_httpd_config *conf = cn_httpd_conf();
	int lfd = listen_tls(conf);

	if (lfd < 0) {
		if (conf->redirect_https)
			cn_pr_warn("httpd.redirect_https ignored: HTTPS is not "
				   "served");
		return lfd;
	}
	serving = true;
	cn_pr_info("serving HTTPS on port %d (TLS 1.2 and 1.3)",
		   conf->tls_port);
	if (conf->redirect_https)
		cn_pr_info("plain HTTP redirects to HTTPS, public port %d",
			   public_port(conf));
	return lfd;
}

/*
 * The host of a Host header's value: a name (letters, digits, '-', '.')
 * or a bracketed IPv6 address, then an optional :port (dropped). *len
 * gets the host's length; false when anything else is in the value (a
 * CR or LF, a space, a path, a user name): it must not reach Location.
 */
static bool host_part(const char *v, size_t *len)
{
	const char *p = v;

	if (*p == '[') {
		for (p++; isxdigit((unsigned char)*p) || *p == ':' ||
			  *p == '.'; p++)
			;
		if (*p != ']' || p == v + 1)
			return false;
		p++;
	} else {
		while (isalnum((unsigned char)*p) || *p == '-' || *p == '.')
			p++;
		if (p == v)
			return false;
	}
	*len = (size_t)(p - v);
	if (*p == ':')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	return !*p && *len <= 255;
}

/* The answer ends the connection: the request was not usable. */
static bool refuse(struct conn *c, int status)
{
	c->w.keep_alive = false;
	cn_httpd_error(&c->w, status);
	return true;
}

/*
 * 301 for GET and HEAD; 308 for the others, which tells the client to
 * repeat the same method and body (RFC 9110 section 15.4.9). The
 * target is the request's own, already checked by the parser and the
 * normaliser (origin form, no spaces or control bytes).
 */
bool cn_httpd_tls_redirect(struct conn *c, const struct cn_http_head *h)
{
	const struct cn_httpd_config *conf = cn_httpd_conf();
	const char *host = cn_http_head_get(h, "Host");
	char loc[400];
	size_t len;
	int port = public_port(conf), n;

	if (!conf->redirect_https || !serving || c->tls)
		return false;
	if (!host || !host_part(host, &len)) {
		host = conf->redirect_host;
		if (!host || !*host || !host_part(host, &len))
			return refuse(c, 400);
	}
	if (port == 443)
		n = snprintf(loc, sizeof(loc), "https://%.*s%s", (int)len,
			     host, h->target);
	else
		n = snprintf(loc, sizeof(loc), "https://%.*s:%d%s", (int)len,
			     host, port, h->target);
	if (n < 0 || (size_t)n >= sizeof(loc) ||
	    cn_http_add_header(&c->w, "Location", loc))
		return refuse(c, 414);
	cn_httpd_error(&c->w, h->method == CN_HTTP_GET ||
			      h->method == CN_HTTP_HEAD ? 301 : 308);
	return true;
}
