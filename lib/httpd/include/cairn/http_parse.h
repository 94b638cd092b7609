/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HTTP/1.x request heads and request targets, parsed in place. No
 * allocation and no Cairn dependency: the parser also builds for the host
 * (sanitizers, libFuzzer).
 *
 * cn_http_parse() is called with everything received so far; it returns
 * the length of the head (request line and headers, through the empty
 * line) once complete, 0 while more is needed, or a negative HTTP status
 * for a request that can only be refused:
 *   -400 malformed, -414 request line over the limit, -431 headers over
 *   the limit (or too many), -501 unknown method, -505 not HTTP/1.x.
 * On success the strings in struct cn_http_head point into buf, which
 * the parser has NUL-terminated in place.
 */
#ifndef CAIRN_HTTP_PARSE_H
#define CAIRN_HTTP_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define CN_HTTP_MAX_HEADERS	48

enum cn_http_method {
	CN_HTTP_GET, CN_HTTP_HEAD, CN_HTTP_POST, CN_HTTP_PUT,
	CN_HTTP_DELETE, CN_HTTP_OPTIONS, CN_HTTP_PATCH, CN_HTTP_TRACE,
	CN_HTTP_CONNECT,
};

struct cn_http_header {
	const char *name;	/* as sent; compare without case */
	const char *value;	/* leading and trailing blanks removed */
};

struct cn_http_head {
	enum cn_http_method method;
	const char *method_name;
	char *target;		/* as sent: path and query */
	int minor;		/* HTTP/1.minor */
	unsigned int nr_headers;
	struct cn_http_header headers[CN_HTTP_MAX_HEADERS];
};

struct cn_http_limits {
	size_t line;		/* request line bytes */
	size_t head;		/* the whole head */
};

long cn_http_parse(struct cn_http_head *h, char *buf, size_t len,
		   const struct cn_http_limits *lim);

/* The value of a header (first occurrence), or NULL. */
const char *cn_http_head_get(const struct cn_http_head *h, const char *name);

/*
 * Does any header called name list token? For the list-valued headers
 * (Connection: "Keep-Alive, Upgrade"; RFC 9110 section 5.6.1): elements
 * separated by commas, blanks around them and empty elements ignored,
 * the token compared without case; every field of that name counts.
 * Returns 1 or 0.
 */
int cn_http_head_has_token(const struct cn_http_head *h, const char *name,
			   const char *token);

/*
 * Turns a request target into a clean absolute path: the query removed
 * (its start returned in *query, or NULL), percent-decoding, "." and ".."
 * resolved, repeated slashes folded; a trailing slash kept. Returns 0, or
 * -400 for bad percent-encoding, NUL, backslashes, control bytes, a path
 * not starting with '/', or ".." above the root. out gets at most outlen
 * bytes with the NUL (-414 if it does not fit).
 */
int cn_http_normalize(const char *target, char *out, size_t outlen,
		      const char **query);

/* Case-insensitive comparison of ASCII tokens (header names). */
int cn_http_strcaseeq(const char *a, const char *b);

/*
 * Dates (IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"): format into buf
 * (30 bytes); parse returns seconds since 1970 or -1.
 */
void cn_http_date(int64_t t, char *buf);
int64_t cn_http_parse_date(const char *s);

#endif
