/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * On-the-fly gzip (LIB_HTTPD_GZIP_DYNAMIC) with lib/zlib: files of a
 * compressible type between the configured sizes are compressed whole
 * into memory before the headers go out, so the answer has a
 * Content-Length like any other (HTTP/1.0 clients, HEAD and keep-alive
 * work unchanged) at the cost of holding the compressed copy (at most
 * the file's size plus a few bytes) and zlib's 268 KiB deflate state for
 * the time of the request. Nothing is cached: a FILE.gz made beforehand
 * (gzip -9k FILE) costs nothing per request and is preferred.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <cairn/log.h>
#include "httpd_priv.h"

#define CHUNK	16384

bool cn_httpd_gzip_compressible(const char *type, uint64_t size)
{
	static const char *const types[] = {
		"text/", "application/json", "application/javascript",
		"application/xml", "image/svg+xml", "application/wasm",
	};
	unsigned int i;

	if (size < CONFIG_LIB_HTTPD_GZIP_MIN_SIZE ||
	    size > CONFIG_LIB_HTTPD_GZIP_MAX_SIZE)
		return false;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strncmp(type, types[i], strlen(types[i])) == 0)
			return true;
	return false;
}

/* The whole of fd (size bytes) as one gzip stream in *out; its length,
 * or -errno. */
static long compress_file(int fd, uint64_t size, unsigned char **out)
{
	z_stream zs;
	unsigned char *in = NULL, *buf = NULL;
	uint64_t off = 0;
	long rc = -ENOMEM;
	int zrc;

	memset(&zs, 0, sizeof(zs));
	/* windowBits 15 + 16: a gzip (RFC 1952) header and trailer. */
	if (deflateInit2(&zs, CONFIG_LIB_HTTPD_GZIP_LEVEL, Z_DEFLATED, 15 + 16,
			 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	in = malloc(CHUNK);
	buf = malloc(deflateBound(&zs, (uLong)size));
	if (!in || !buf)
		goto out;
	zs.next_out = buf;
	zs.avail_out = (uInt)deflateBound(&zs, (uLong)size);
	do {
		ssize_t got = 0;

		if (off < size) {
			got = pread(fd, in, size - off < CHUNK ?
				    (size_t)(size - off) : CHUNK, (off_t)off);
			if (got < 0) {
				rc = -errno;
				goto out;
			}
			off += (uint64_t)got;
		}
		zs.next_in = in;
		zs.avail_in = (uInt)got;
		/* Read up to the size the headers will be made from; a
		 * file that shrank under us ends where it ends now. */
		zrc = deflate(&zs, got > 0 && off < size ? Z_NO_FLUSH
							 : Z_FINISH);
	} while (zrc == Z_OK);
	if (zrc != Z_STREAM_END) {
		rc = -EIO;	/* cannot happen within deflateBound */
		goto out;
	}
	*out = buf;
	buf = NULL;
	rc = (long)zs.total_out;
out:
	deflateEnd(&zs);
	free(in);
	free(buf);
	return rc;
}

int cn_httpd_gzip_send(struct cn_http_resp *w, int fd, uint64_t size,
		       const char *type)
{
	unsigned char *gz = NULL;
	long n = compress_file(fd, size, &gz);

	if (n < 0) {
		cn_pr_warn("gzip of a %llu-byte file failed: %s",
			   (unsigned long long)size, strerror((int)-n));
		w->extra_len = 0;	/* not this answer's headers now */
		cn_httpd_error(w, n == -ENOMEM ? 503 : 500);
		return 0;
	}
	cn_httpd_begin(w, 200, type, (int64_t)n);
	if (!w->head_only) {
		cn_httpd_write(w, gz, (size_t)n);
		w->bytes = (uint64_t)n;
	}
	free(gz);
	return w->dead ? -EPIPE : 0;
}
