/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * gzip answers for static files. A file with a gzip variant (FILE.gz
 * beside it, or one compressed on the fly: gzip_dynamic.c) is sent to a
 * client whose Accept-Encoding takes gzip (encoding.c) with
 * Content-Encoding: gzip and FILE's own Content-Type; every answer for
 * such a file says Vary: Accept-Encoding, so caches keep both.
 *
 * A Range request gets the identity coding: its byte positions are the
 * file's, which is what a resuming client that saw the identity answer
 * means, and it keeps ranges of on-the-fly output (which cannot be
 * seeked) out of the question. The variant has its own validators (the
 * .gz file's ETag and date; "-gz" added to FILE's ETag on the fly), so
 * If-None-Match never confuses the two codings.
 */
#include <string.h>
#include <sys/stat.h>
#include <cairn/http_encoding.h>
#include "httpd_priv.h"

int cn_httpd_gzip_pick(struct cn_http_resp *w, const struct cn_http_head *h,
		       char *path, size_t size, struct stat *st,
		       const char *type)
{
	size_t n = strlen(path);
	struct stat gz;
	bool file = false, now;

	if (n + sizeof(".gz") <= size) {
		memcpy(path + n, ".gz", sizeof(".gz"));
		file = stat(path, &gz) == 0 && S_ISREG(gz.st_mode);
		path[n] = '\0';
	}
	now = !file && cn_httpd_gzip_compressible(type, (uint64_t)st->st_size);
	if (!file && !now)
		return CN_HTTPD_IDENTITY;
	cn_http_add_header(w, "Vary", "Accept-Encoding");
	if (cn_http_head_get(h, "Range") ||
	    !cn_http_accepts_gzip(cn_http_head_get(h, "Accept-Encoding")))
		return CN_HTTPD_IDENTITY;
	cn_http_add_header(w, "Content-Encoding", "gzip");
	if (!file)
		return CN_HTTPD_GZIP_NOW;
	memcpy(path + n, ".gz", sizeof(".gz"));
	*st = gz;
	return CN_HTTPD_GZIP_FILE;
}
