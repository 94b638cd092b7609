/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/httpd without HTTPS (LIB_HTTPD_TLS off): setup says so; nothing
 * else is ever called, since no connection gets a TLS session.
 */
#include <errno.h>
#include <cairn/log.h>
#include "httpd_priv.h"

int cn_httpd_tls_setup(const char *cert, const char *key)
{
	return -ENOTSUP;
}

struct cn_httpd_tls *cn_httpd_tls_accept(int fd, const char *peer)
{
	return NULL;
}

ssize_t cn_httpd_tls_send(struct cn_httpd_tls *t, const void *buf,
			  size_t len)
{
	errno = ENOTSUP;
	return -1;
}

ssize_t cn_httpd_tls_recv(struct cn_httpd_tls *t, void *buf, size_t len)
{
	errno = ENOTSUP;
	return -1;
}

void cn_httpd_tls_close(struct cn_httpd_tls *t)
{
}

struct cn_httpd_tls *cn_httpd_tls_new(int fd, const char *peer)
{
	return NULL;
}

int cn_httpd_tls_handshake(struct cn_httpd_tls *t)
{
	return -ENOTSUP;
}

bool cn_httpd_tls_wants_write(const struct cn_httpd_tls *t)
{
	return false;
}

bool cn_httpd_tls_pending(const struct cn_httpd_tls *t)
{
	return false;
}

void cn_httpd_tls_timeout(struct cn_httpd_tls *t)
{
}

int cn_httpd_tls_listen(void)
{
	return -ENOTSUP;
}

bool cn_httpd_tls_redirect(struct conn *c, const struct cn_http_head *h)
{
	return false;
}
