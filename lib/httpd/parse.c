/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The HTTP/1.x request parser, path normaliser and date functions. Pure C
 * over caller buffers (see <cairn/http_parse.h>); every byte is checked
 * against the grammar of RFC 9112 where it matters for safety: tokens,
 * no bare control characters, CRLF (bare LF tolerated) line ends.
 */
#include <stdbool.h>
#include <string.h>
#include <cairn/civil.h>
#include <cairn/http_parse.h>

static const struct {
	const char *name;
	enum cn_http_method m;
} methods[] = {
	{ "GET", CN_HTTP_GET }, { "HEAD", CN_HTTP_HEAD },
	{ "POST", CN_HTTP_POST }, { "PUT", CN_HTTP_PUT },
	{ "DELETE", CN_HTTP_DELETE }, { "OPTIONS", CN_HTTP_OPTIONS },
	{ "PATCH", CN_HTTP_PATCH }, { "TRACE", CN_HTTP_TRACE },
	{ "CONNECT", CN_HTTP_CONNECT },
};

static bool is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

int cn_http_strcaseeq(const char *a, const char *b)
{
	while (*a && lower((unsigned char)*a) == lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return *a == *b;
}

/* End of the line starting at p (the CR or LF), or NULL if incomplete. */
static char *line_end(char *p, char *end)
{
	char *lf = memchr(p, '\n', (size_t)(end - p));

	if (!lf)
		return NULL;
	return lf > p && lf[-1] == '\r' ? lf - 1 : lf;
}

static char *next_line(char *eol)
{
	return *eol == '\r' ? eol + 2 : eol + 1;
}

static char *trim(char *s, char *e)
{
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*e = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* The line [p, eol) is NUL-terminated by the caller. */
static long parse_request_line(struct cn_http_head *h, char *p)
{
	char *sp1, *sp2, *v;
	unsigned int i;

	sp1 = strchr(p, ' ');
	if (!sp1 || sp1 == p)
		return -400;
	*sp1 = 0;
	for (v = p; *v; v++)
		if (!is_tchar((unsigned char)*v))
			return -400;
	sp2 = strchr(sp1 + 1, ' ');
	if (!sp2 || sp2 == sp1 + 1)
		return -400;
	*sp2 = 0;
	h->target = sp1 + 1;
	for (v = h->target; *v; v++)
		if ((unsigned char)*v <= ' ' || *v == 0x7f)
			return -400;
	v = sp2 + 1;
	if (strncmp(v, "HTTP/", 5) || v[5] < '0' || v[5] > '9' ||
	    v[6] != '.' || v[7] < '0' || v[7] > '9' || v[8])
		return -400;
	if (v[5] != '1')
		return -505;
	h->minor = v[7] - '0';
	h->method_name = p;
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		if (strcmp(p, methods[i].name) == 0) {
			h->method = methods[i].m;
			return 0;
		}
	}
	return -501;
}

long cn_http_parse(struct cn_http_head *h, char *buf, size_t len,
		   const struct cn_http_limits *lim)
{
	char *end = buf + len, *p = buf, *eol;
	long rc;

	/* Empty lines before a request are tolerated (RFC 9112 2.2). */
	while (p < end && (*p == '\r' || *p == '\n'))
		p++;
	eol = line_end(p, end);
	if (!eol)
		return (size_t)(end - p) > lim->line ? -414 :
		       len > lim->head ? -431 : 0;
	if ((size_t)(eol - p) > lim->line)
		return -414;
	/* The whole head first: no parsing of half a request. */
	{
		char *q = next_line(eol), *e;

		for (;;) {
			if ((size_t)(q - buf) > lim->head)
				return -431;
			e = line_end(q, end);
			if (!e)
				return len > lim->head ? -431 : 0;
			if (e == q)
				break;
			q = next_line(e);
		}
		if ((size_t)(next_line(e) - buf) > lim->head)
			return -431;
		memset(h, 0, sizeof(*h));
		q = next_line(eol);
		*eol = 0;
		rc = parse_request_line(h, p);
		if (rc)
			return rc;
		p = q;
		while ((eol = line_end(p, end)) != p) {
			char *colon, *v;

			q = next_line(eol);
			*eol = 0;
			colon = strchr(p, ':');
			if (!colon || colon == p)
				return -400;
			for (v = p; v < colon; v++)
				if (!is_tchar((unsigned char)*v))
					return -400;	/* incl. "Name :" */
			*colon = 0;
			for (v = colon + 1; *v; v++)
				if (((unsigned char)*v < ' ' && *v != '\t') ||
				    *v == 0x7f)
					return -400;
			if (h->nr_headers == CN_HTTP_MAX_HEADERS)
				return -431;
			h->headers[h->nr_headers].name = p;
			h->headers[h->nr_headers].value = trim(colon + 1, eol);
			h->nr_headers++;
			p = q;
		}
		return (long)(next_line(eol) - buf);
	}
}

const char *cn_http_head_get(const struct cn_http_head *h, const char *name)
{
	unsigned int i;

	for (i = 0; i < h->nr_headers; i++)
		if (cn_http_strcaseeq(h->headers[i].name, name))
			return h->headers[i].value;
	return NULL;
}

/* Does the list s (comma-separated, blanks around elements) hold token? */
static int list_has(const char *s, const char *token)
{
	size_t tlen = strlen(token);

	while (*s) {
		const char *start, *end;
		size_t i;

		while (*s == ' ' || *s == '\t' || *s == ',')
			s++;
		start = s;
		while (*s && *s != ',')
			s++;
		end = s;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if ((size_t)(end - start) != tlen)
			continue;
		for (i = 0; i < tlen && lower((unsigned char)start[i]) ==
				       lower((unsigned char)token[i]); i++)
			;
		if (i == tlen)
			return 1;
	}
	return 0;
}

int cn_http_head_has_token(const struct cn_http_head *h, const char *name,
			   const char *token)
{
	unsigned int i;

	for (i = 0; i < h->nr_headers; i++)
		if (cn_http_strcaseeq(h->headers[i].name, name) &&
		    list_has(h->headers[i].value, token))
			return 1;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)lower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int cn_http_normalize(const char *target, char *out, size_t outlen,
		      const char **query)
{
	size_t n = 0, seg;
	const char *p = target;

	if (query)
		*query = NULL;
	if (*p != '/' || outlen < 2)
		return -400;
	while (*p && *p != '?' && *p != '#') {
		char c = *p++;

		if (c == '%') {
			int hi = hexval(p[0]), lo = hi < 0 ? -1 : hexval(p[1]);

			if (lo < 0)
				return -400;
			c = (char)(hi << 4 | lo);
			p += 2;
		}
		if ((unsigned char)c < ' ' || c == 0x7f || c == '\\')
			return -400;	/* NUL, controls, backslashes */
		if (c == '/' && n && out[n - 1] == '/')
			continue;	/* repeated slashes */
		if (n + 1 >= outlen)
			return -414;
		out[n++] = c;
		/* A segment just ended: resolve "." and "..". */
		if (c == '/' || !*p || *p == '?' || *p == '#') {
			size_t end = c == '/' ? n - 1 : n;

			seg = end;
			while (seg && out[seg - 1] != '/')
				seg--;
			if (end - seg == 1 && out[seg] == '.') {
				n = seg;
			} else if (end - seg == 2 && out[seg] == '.' &&
				   out[seg + 1] == '.') {
				if (seg <= 1)
					return -400;	/* above the root */
				n = seg - 1;
				while (n && out[n - 1] != '/')
					n--;
			}
			if (n == 0)
				out[n++] = '/';
		}
	}
	out[n] = 0;
	if (query && *p == '?')
		*query = p + 1;
	return 0;
}

static const char wdays[] = "SunMonTueWedThuFriSat";
static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

void cn_http_date(int64_t t, char *buf)
{
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t secs = t - days * 86400, z = days + 719468, era, y;
	unsigned int doe, yoe, doy, mp, d, m, wd, i;
	char *p = buf;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned int)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	wd = (unsigned int)((days % 7 + 11) % 7);	/* 1970-01-01: Thu */
	memcpy(p, wdays + 3 * wd, 3);
	p += 3;
	*p++ = ',';
	*p++ = ' ';
	*p++ = (char)('0' + d / 10);
	*p++ = (char)('0' + d % 10);
	*p++ = ' ';
	memcpy(p, months + 3 * (m - 1), 3);
	p += 3;
	*p++ = ' ';
	for (i = 0; i < 4; i++)
		p[3 - i] = (char)('0' + (y / (int64_t[]){ 1, 10, 100, 1000 }[i]) % 10);
	p += 4;
	*p++ = ' ';
	*p++ = (char)('0' + secs / 36000);
	*p++ = (char)('0' + secs / 3600 % 10);
	*p++ = ':';
	*p++ = (char)('0' + secs % 3600 / 600);
	*p++ = (char)('0' + secs % 3600 / 60 % 10);
	*p++ = ':';
	*p++ = (char)('0' + secs % 60 / 10);
	*p++ = (char)('0' + secs % 10);
	memcpy(p, " GMT", 5);
}

static int num(const char *s, unsigned int digits)
{
	int v = 0;

	while (digits--) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

int64_t cn_http_parse_date(const char *s)
{
	const char *m;
	int d, y, hh, mm, ss;
	unsigned int mon;

	/* "Sun, 06 Nov 1994 08:49:37 GMT" */
	if (strlen(s) != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' ||
	    s[11] != ' ' || s[16] != ' ' || s[19] != ':' || s[22] != ':' ||
	    strcmp(s + 25, " GMT"))
		return -1;
	d = num(s + 5, 2);
	y = num(s + 12, 4);
	hh = num(s + 17, 2);
	mm = num(s + 20, 2);
	ss = num(s + 23, 2);
	for (m = months; *m && strncmp(m, s + 8, 3); m += 3)
		;
	if (!*m || d < 1 || d > 31 || y < 0 || hh < 0 || hh > 23 ||
	    mm < 0 || mm > 59 || ss < 0 || ss > 60)
		return -1;
	mon = (unsigned int)((m - months) / 3 + 1);
	return cn_days_from_civil(y, mon, (unsigned int)d) * 86400 +
	       hh * 3600 + mm * 60 + ss;
}
