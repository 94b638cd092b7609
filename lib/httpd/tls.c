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
 * send()/recv(), so the socket's receive timeout (SO_RCVTIMEO, set by
 * server.c) bounds a stalled handshake exactly as it bounds a slow
 * request.
 *
 * What a client cannot do: TLS below 1.2, renegotiate (not compiled in),
 * send a certificate (none is asked for; an unasked one fails the
 * handshake), send records over 16 KiB. Each of those ends that
 * connection with one log line; the server goes on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cairn/log.h>
#include <cairn/mbedtls.h>
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
	ssize_t n = send(t->fd, buf, len, 0);

	return n < 0 ? MBEDTLS_ERR_NET_SEND_FAILED : (int)n;
}

/* 0 is the peer's close; a timeout (SO_RCVTIMEO) is an error here. */
static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
	struct cn_httpd_tls *t = ctx;
	ssize_t n = recv(t->fd, buf, len, 0);

	return n < 0 ? MBEDTLS_ERR_NET_RECV_FAILED : (int)n;
}

struct cn_httpd_tls *cn_httpd_tls_accept(int fd, const char *peer)
{
	struct cn_httpd_tls *t = calloc(1, sizeof(*t));
	char err[128];
	int rc;

	if (!t)
		return NULL;
	t->fd = fd;
	mbedtls_ssl_init(&t->ssl);
	rc = mbedtls_ssl_setup(&t->ssl, &conf);
	if (!rc) {
		mbedtls_ssl_set_bio(&t->ssl, t, bio_send, bio_recv, NULL);
		do
			rc = mbedtls_ssl_handshake(&t->ssl);
		while (rc == MBEDTLS_ERR_SSL_WANT_READ ||
		       rc == MBEDTLS_ERR_SSL_WANT_WRITE);
	}
	if (rc) {
		cn_pr_info("%s: TLS handshake failed: %s", peer,
			   rc == MBEDTLS_ERR_NET_RECV_FAILED ?
			   "timed out or reset" : why(rc, err, sizeof(err)));
		mbedtls_ssl_free(&t->ssl);
		free(t);
		return NULL;
	}
	cn_pr_debug("%s: %s %s%s%s", peer, mbedtls_ssl_get_version(&t->ssl),
		    mbedtls_ssl_get_ciphersuite(&t->ssl),
		    mbedtls_ssl_get_alpn_protocol(&t->ssl) ? " alpn " : "",
		    mbedtls_ssl_get_alpn_protocol(&t->ssl) ?: "");
	return t;
}

ssize_t cn_httpd_tls_send(struct cn_httpd_tls *t, const void *buf,
			  size_t len)
{
	int n;

	do
		n = mbedtls_ssl_write(&t->ssl, buf, len);
	while (n == MBEDTLS_ERR_SSL_WANT_READ ||
	       n == MBEDTLS_ERR_SSL_WANT_WRITE);
	if (n < 0) {
		errno = EIO;
		return -1;
	}
	return n;
}

ssize_t cn_httpd_tls_recv(struct cn_httpd_tls *t, void *buf, size_t len)
{
	int n;

	do
		n = mbedtls_ssl_read(&t->ssl, buf, len);
	while (n == MBEDTLS_ERR_SSL_WANT_READ ||
	       n == MBEDTLS_ERR_SSL_WANT_WRITE);
	if (n == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
		return 0;
	if (n < 0) {
		errno = n == MBEDTLS_ERR_NET_RECV_FAILED ? EAGAIN : EIO;
		return -1;
	}
	return n;
}

void cn_httpd_tls_close(struct cn_httpd_tls *t)
{
	mbedtls_ssl_close_notify(&t->ssl);
	mbedtls_ssl_free(&t->ssl);
	free(t);
}
