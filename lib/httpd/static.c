/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Files from the VFS: GET and HEAD, with validators (Last-Modified and
 * If-Modified-Since, a strong ETag of inode, size and time with
 * If-None-Match), single byte ranges, index.html for directories and a
 * redirect for a directory named without its slash, gzip answers to the
 * clients that take them (gzip.c). The path is already
 * normalised (no "..", no NUL, no backslash) and is appended to the root,
 * so nothing outside the root can be named. A body that fits in the
 * output buffer is copied there (it leaves with the headers, and with
 * the answers to pipelined requests); a larger one goes out with
 * sendfile(), which lends the file's memory to TCP instead of copying it
 * (httpd.sendfile=0: streamed through the output buffer instead). Files
 * are never read whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include "httpd_priv.h"

/* Flush first rather than read less than this into the output buffer. */
#define MIN_READ	4096

/* Up to want bytes of room in w's output buffer (less if memory is short). */
static size_t fit(struct cn_http_resp *w, size_t want)
{
	size_t room = cn_httpd_out_room(w, want);

	return room < want ? room : want;
}

static const struct {
	const char *ext, *type;
} types[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "htm", "text/html; charset=utf-8" },
	{ "css", "text/css" },
	{ "js", "text/javascript" },
	{ "json", "application/json" },
	{ "txt", "text/plain; charset=utf-8" },
	{ "svg", "image/svg+xml" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "ico", "image/x-icon" },
	{ "webp", "image/webp" },
	{ "wasm", "application/wasm" },
	{ "pdf", "application/pdf" },
	{ "xml", "application/xml" },
};

static const char *content_type(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	unsigned int i;

	if (dot && (!slash || dot > slash))
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (cn_http_strcaseeq(dot + 1, types[i].ext))
				return types[i].type;
	return "application/octet-stream";
}

/* "bytes=A-B", "bytes=A-", "bytes=-N": 1 and [*from, *to] if usable,
 * 0 to ignore the header (multiple ranges, other units), -1 unsatisfiable. */
static int parse_range(const char *v, uint64_t size, uint64_t *from,
		       uint64_t *to)
{
	const char *p;
	char *end;
	unsigned long long a, b;

	if (strncmp(v, "bytes=", 6) || strchr(v, ','))
		return 0;
	p = v + 6;
	if (*p == '-') {
		b = strtoull(p + 1, &end, 10);
		if (end == p + 1 || *end)
			return 0;
		if (!b || !size)
			return -1;
		*from = b >= size ? 0 : size - b;
		*to = size - 1;
		return 1;
	}
	if (*p < '0' || *p > '9')
		return 0;
	a = strtoull(p, &end, 10);
	if (*end != '-')
		return 0;
	p = end + 1;
	if (!*p) {
		b = size ? size - 1 : 0;
	} else {
		if (*p < '0' || *p > '9')
			return 0;
		b = strtoull(p, &end, 10);
		if (*end || b < a)
			return 0;
		if (b >= size)
			b = size - 1;
	}
	if (a >= size)
		return -1;
	*from = a;
	*to = b;
	return 1;
}

static bool etag_matches(const char *list, const char *etag)
{
	const char *p = list;
	size_t n = strlen(etag);

	if (strcmp(list, "*") == 0)
		return true;
	while ((p = strstr(p, etag)) != NULL) {
		char after = p[n];

		if (after == 0 || after == ',' || after == ' ')
			return true;
		p += n;
	}
	return false;
}

/* Lower-case hex of v, no leading zeros, at p; returns the end. */
static char *put_hex(char *p, unsigned long long v)
{
	int shift = 60;

	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*p++ = "0123456789abcdef"[(v >> shift) & 15];
	return p;
}

/*
 * "INODE-SIZE-MTIME" in hex, "-gz" added for a body compressed here:
 * changes whenever the file does. Written out by hand, as the response
 * head is (server.c, out_dec): it is built for every request.
 * etag holds at least 56 bytes.
 */
static void make_etag(char *etag, const struct stat *st, bool gz)
{
	char *p = etag;

	*p++ = '"';
	p = put_hex(p, (unsigned long long)st->st_ino);
	*p++ = '-';
	p = put_hex(p, (unsigned long long)st->st_size);
	*p++ = '-';
	p = put_hex(p, (unsigned long long)st->st_mtime);
	if (gz) {
		memcpy(p, "-gz", 3);
		p += 3;
	}
	*p++ = '"';
	*p = '\0';
}

int cn_httpd_static(const struct cn_http_req *req, struct cn_http_resp *w,
		    const char *root)
{
	const struct cn_http_head *h = req->head;
	char path[1200], etag[64], date[32];
	const char *v, *type;
	struct stat st;
	uint64_t from = 0, to = 0, left;
	int fd, ranged = 0, n, coding;

	if (h->method != CN_HTTP_GET && h->method != CN_HTTP_HEAD) {
		cn_http_add_header(w, "Allow", "GET, HEAD");
		cn_httpd_error(w, 405);
		return 0;
	}
	if (!root) {
		cn_httpd_error(w, 404);
		return 0;
	}
	n = snprintf(path, sizeof(path), "%s%s", strcmp(root, "/") ? root : "",
		     req->path);
	if (n < 0 || (size_t)n >= sizeof(path) - 16) {
		cn_httpd_error(w, 414);
		return 0;
	}
	if (stat(path, &st)) {
		cn_httpd_error(w, errno == ENOENT || errno == ENOTDIR ? 404
								      : 403);
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		if (path[n - 1] != '/') {
			char loc[1100];

			snprintf(loc, sizeof(loc), "%s/", req->path);
			cn_http_add_header(w, "Location", loc);
			cn_httpd_error(w, 301);
			return 0;
		}
		strcpy(path + n, "index.html");
		if (stat(path, &st) || !S_ISREG(st.st_mode)) {
			cn_httpd_error(w, 404);
			return 0;
		}
	} else if (!S_ISREG(st.st_mode)) {
		cn_httpd_error(w, 403);
		return 0;
	}
	/* The file's type, whichever coding goes out; path and st become
	 * FILE.gz's when that is sent. */
	type = content_type(path);
	coding = cn_httpd_gzip_pick(w, h, path, sizeof(path), &st, type);
	make_etag(etag, &st, coding == CN_HTTPD_GZIP_NOW);
	cn_http_date((int64_t)st.st_mtime, date);
	cn_http_add_header(w, "ETag", etag);
	cn_http_add_header(w, "Last-Modified", date);
	cn_http_add_header(w, "Accept-Ranges", "bytes");
	/* If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2). */
	v = cn_http_head_get(h, "If-None-Match");
	if (v ? etag_matches(v, etag) :
	    ((v = cn_http_head_get(h, "If-Modified-Since")) &&
	     cn_http_parse_date(v) >= (int64_t)st.st_mtime)) {
		cn_httpd_begin(w, 304, NULL, -1);
		return 0;
	}
	v = cn_http_head_get(h, "Range");
	if (v) {
		ranged = parse_range(v, (uint64_t)st.st_size, &from, &to);
		if (ranged < 0) {
			char cr[48];

			snprintf(cr, sizeof(cr), "bytes */%llu",
				 (unsigned long long)st.st_size);
			cn_http_add_header(w, "Content-Range", cr);
			cn_httpd_error(w, 416);
			return 0;
		}
	}
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		cn_httpd_error(w, errno == ENOENT ? 404 : 403);
		return 0;
	}
	if (coding == CN_HTTPD_GZIP_NOW) {
		n = cn_httpd_gzip_send(w, fd, (uint64_t)st.st_size, type);
		close(fd);
		return n;
	}
	if (ranged) {
		char cr[64];

		snprintf(cr, sizeof(cr), "bytes %llu-%llu/%llu",
			 (unsigned long long)from, (unsigned long long)to,
			 (unsigned long long)st.st_size);
		cn_http_add_header(w, "Content-Range", cr);
		left = to - from + 1;
		cn_httpd_begin(w, 206, type, (int64_t)left);
	} else {
		left = (uint64_t)st.st_size;
		cn_httpd_begin(w, 200, type, (int64_t)left);
	}
	if (w->head_only) {
		close(fd);
		return 0;
	}
	if (w->defer && left > OUT_SIZE - w->out_len) {
		/* The event loop sends it (cn_httpd_body_send). */
		w->body_fd = fd;
		w->body_off = from;
		w->body_left = left;
		w->bytes = left;
		return 0;
	}
	if (cn_httpd_use_sendfile && !w->tls &&
	    left > OUT_SIZE - w->out_len) {
		off_t at = (off_t)from;

		cn_httpd_flush(w);
		while (left && !w->dead) {
			ssize_t got = sendfile(w->fd, fd, &at, (size_t)left);

			if (got <= 0) {
				/* Gone, timed out, or the file shrank: the
				 * length is a lie now. */
				w->dead = true;
				break;
			}
			w->bytes += (uint64_t)got;
			left -= (uint64_t)got;
		}
	}
	/* Stream: read straight into the output buffer's free space. */
	while (left && !w->dead) {
		size_t room = OUT_SIZE - w->out_len;
		ssize_t got;

		if (room > left)
			room = (size_t)left;
		room = fit(w, room);
		if (room < MIN_READ && room < left && w->out_len) {
			cn_httpd_flush(w);
			continue;
		}
		got = pread(fd, w->out + w->out_len, room, (off_t)from);
		if (got <= 0) {
			/* The file shrank or failed: the length is a lie now. */
			w->dead = true;
			break;
		}
		w->out_len += (size_t)got;
		w->bytes += (uint64_t)got;
		from += (uint64_t)got;
		left -= (uint64_t)got;
	}
	close(fd);
	return w->dead ? -EPIPE : 0;
}

/*
 * The event-driven mode's file body: with sendfile, as much as the
 * socket takes now; without, the next piece read into the empty output
 * buffer (the caller sends it). 0 when all is sent or buffered, -EAGAIN
 * when the socket is full, -EPIPE when the client went away or the file
 * shrank.
 */
int cn_httpd_body_send(struct cn_http_resp *w)
{
	while (w->body_left) {
		ssize_t got;

		if (cn_httpd_use_sendfile && !w->tls) {
			off_t at = (off_t)w->body_off;

			got = sendfile(w->fd, w->body_fd, &at,
				       (size_t)w->body_left);
			if (got < 0 && errno == EAGAIN)
				return -EAGAIN;
		} else {
			size_t room = OUT_SIZE - w->out_len;

			if (room > w->body_left)
				room = (size_t)w->body_left;
			room = fit(w, room);
			if (room < MIN_READ && room < w->body_left &&
			    w->out_len)
				return 0;
			got = pread(w->body_fd, w->out + w->out_len, room,
				    (off_t)w->body_off);
			if (got > 0)
				w->out_len += (size_t)got;
		}
		if (got <= 0) {
			w->dead = true;
			break;
		}
		w->body_off += (uint64_t)got;
		w->body_left -= (uint64_t)got;
	}
	if (!w->body_left || w->dead) {
		close(w->body_fd);
		w->body_fd = -1;
		w->body_left = 0;
	}
	return w->dead ? -EPIPE : 0;
}
