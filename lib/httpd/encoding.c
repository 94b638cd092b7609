/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Accept-Encoding (RFC 9110 12.5.3): a comma-separated list of codings,
 * each with optional parameters of which only q matters:
 *
 *	Accept-Encoding: deflate, gzip;q=1.0, *;q=0.5
 *
 * Whitespace may surround the commas, semicolons and '='; empty list
 * elements are allowed and skipped. A coding's own entry wins over "*"
 * whatever their order; among repeated entries the last one counts.
 */
#include <stddef.h>
#include <string.h>
#include <cairn/http_encoding.h>

static const char *skip_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Whether the n bytes at p name coding (case-insensitive). */
static bool same_token(const char *p, size_t n, const char *coding)
{
	size_t i;

	if (strlen(coding) != n)
		return false;
	for (i = 0; i < n; i++)
		if (lower(p[i]) != lower(coding[i]))
			return false;
	return true;
}

/* A qvalue: "0", "0.", "0.d", "0.dd", "0.ddd", "1", "1.", "1.0" ... "1.000";
 * in thousandths, or -1 when malformed. */
static int parse_q(const char *p, size_t n)
{
	int v, scale = 100;
	size_t i;

	if (n == 0 || (p[0] != '0' && p[0] != '1'))
		return -1;
	v = (p[0] - '0') * 1000;
	if (n == 1)
		return v;
	if (p[1] != '.' || n > 5)
		return -1;
	for (i = 2; i < n; i++, scale /= 10) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v += (p[i] - '0') * scale;
	}
	return v > 1000 ? -1 : v;
}

int cn_http_coding_q(const char *accept, const char *coding)
{
	const char *p = accept;
	int own = -1, star = -1;
	bool is_gzip = same_token(coding, strlen(coding), "gzip");

	if (!p)
		return -1;
	while (*p) {
		const char *tok, *end;
		size_t len;
		int q = 1000;

		p = skip_ows(p);
		tok = p;
		while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
			p++;
		len = (size_t)(p - tok);
		/* Parameters: ;name=value ... up to the next comma. */
		for (;;) {
			p = skip_ows(p);
			if (*p != ';')
				break;
			p = skip_ows(p + 1);
			if ((p[0] == 'q' || p[0] == 'Q') &&
			    *skip_ows(p + 1) == '=') {
				p = skip_ows(skip_ows(p + 1) + 1);
				end = p;
				while (*end && *end != ',' && *end != ';' &&
				       *end != ' ' && *end != '\t')
					end++;
				q = parse_q(p, (size_t)(end - p));
				if (q < 0)
					q = 0;	/* malformed: not a yes */
				p = end;
			} else {
				while (*p && *p != ',' && *p != ';')
					p++;
			}
		}
		/* Anything else before the comma makes the element bad. */
		if (*p && *p != ',') {
			q = 0;
			while (*p && *p != ',')
				p++;
		}
		if (len == 1 && tok[0] == '*')
			star = q;
		else if (len && (same_token(tok, len, coding) ||
				 (is_gzip && same_token(tok, len, "x-gzip"))))
			own = q;
		if (*p == ',')
			p++;
	}
	return own >= 0 ? own : star;
}

bool cn_http_accepts_gzip(const char *accept)
{
	int gz = cn_http_coding_q(accept, "gzip");
	int id = cn_http_coding_q(accept, "identity");

	return gz > 0 && gz >= id;
}
