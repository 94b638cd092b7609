/* SPDX-License-Identifier: BSD-3-Clause */
/* Without LIB_HTTPD_GZIP_DYNAMIC: only FILE.gz files are sent gzip-coded. */
#include <errno.h>
#include "httpd_priv.h"

bool cn_httpd_gzip_compressible(const char *type, uint64_t size)
{
	return false;
}

int cn_httpd_gzip_send(struct cn_http_resp *w, int fd, uint64_t size,
		       const char *type)
{
	return -ENOTSUP;	/* never called: nothing is compressible */
}
