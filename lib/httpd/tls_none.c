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
