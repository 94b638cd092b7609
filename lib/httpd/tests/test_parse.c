/* SPDX-License-Identifier: BSD-3-Clause */
/* The HTTP request parser, path normaliser and dates (also on the host). */
#include <stdio.h>
#include <string.h>
#include <cairn/http_parse.h>
#include <cairn/test.h>

static const struct cn_http_limits lim = { .line = 64, .head = 256 };

static long parse(struct cn_http_head *h, const char *req)
{
	static char buf[1024];
	size_t n = strlen(req);

	memcpy(buf, req, n + 1);
	return cn_http_parse(h, buf, n, &lim);
}

CN_TEST(http, parses_a_complete_request)
{
	struct cn_http_head h;
	const char *r = "GET /a/b?x=1 HTTP/1.1\r\nHost: example\r\n"
			"X-Thing:  spaced value \t\r\n\r\nNEXT";

	CN_ASSERT_EQ(parse(&h, r), (long)(strlen(r) - 4));
	CN_EXPECT_EQ(h.method, CN_HTTP_GET);
	CN_EXPECT_STREQ(h.target, "/a/b?x=1");
	CN_EXPECT_EQ(h.minor, 1);
	CN_EXPECT_EQ(h.nr_headers, 2);
	CN_EXPECT_STREQ(cn_http_head_get(&h, "host"), "example");
	CN_EXPECT_STREQ(cn_http_head_get(&h, "X-THING"), "spaced value");
	CN_EXPECT_TRUE(cn_http_head_get(&h, "Cookie") == NULL);
}

CN_TEST(http, waits_for_the_whole_head)
{
	struct cn_http_head h;

	CN_EXPECT_EQ(parse(&h, ""), 0);
	CN_EXPECT_EQ(parse(&h, "GET / HTTP/1.1\r\nHost: x\r\n"), 0);
	CN_EXPECT_EQ(parse(&h, "GET / HTTP/1.1\r\nHost: x\r\n\r"), 0);
	CN_EXPECT_EQ(parse(&h, "GET / HTTP/1.0\n\n"), 16);	/* bare LF */
	CN_EXPECT_EQ(parse(&h, "\r\nGET / HTTP/1.0\r\n\r\n"), 20);
}

CN_TEST(http, refuses_what_it_must)
{
	struct cn_http_head h;
	char big[300];

	CN_EXPECT_EQ(parse(&h, "GET /\r\n\r\n"), -400);
	CN_EXPECT_EQ(parse(&h, "GET  / HTTP/1.1\r\n\r\n"), -400);
	CN_EXPECT_EQ(parse(&h, "G(T / HTTP/1.1\r\n\r\n"), -400);
	CN_EXPECT_EQ(parse(&h, "GET / HTTP/1.1 \r\n\r\n"), -400);
	CN_EXPECT_EQ(parse(&h, "GET / FTP/1.1\r\n\r\n"), -400);
	CN_EXPECT_EQ(parse(&h, "GET / HTTP/2.0\r\n\r\n"), -505);
	CN_EXPECT_EQ(parse(&h, "BREW / HTTP/1.1\r\n\r\n"), -501);
	CN_EXPECT_EQ(parse(&h, "GET / HTTP/1.1\r\nNo colon\r\n\r\n"), -400);
	CN_EXPECT_EQ(parse(&h, "GET / HTTP/1.1\r\nName : v\r\n\r\n"), -400);
	CN_EXPECT_EQ(parse(&h, "GET / HTTP/1.1\r\n: v\r\n\r\n"), -400);
	CN_EXPECT_EQ(parse(&h, "GET /\x01 HTTP/1.1\r\n\r\n"), -400);
	CN_EXPECT_EQ(parse(&h, "GET / HTTP/1.1\r\nA: \x01\r\n\r\n"), -400);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	memcpy(big, "GET /", 5);
	CN_EXPECT_EQ(parse(&h, big), -414);		/* no line end yet */
	memcpy(big, "GET / HTTP/1.1\r\nA: ", 19);
	CN_EXPECT_EQ(parse(&h, big), -431);
}

CN_TEST(http, too_many_headers_is_431)
{
	static const struct cn_http_limits roomy = { 64, 4096 };
	static char buf[4096];
	struct cn_http_head h;
	size_t n = 0;
	int i;

	n += (size_t)sprintf(buf, "GET / HTTP/1.1\r\n");
	for (i = 0; i < CN_HTTP_MAX_HEADERS + 1; i++)
		n += (size_t)sprintf(buf + n, "H%d: v\r\n", i);
	n += (size_t)sprintf(buf + n, "\r\n");
	CN_EXPECT_EQ(cn_http_parse(&h, buf, n, &roomy), -431);
}

static int conn_has(const char *req, const char *token)
{
	static const struct cn_http_limits roomy = { 256, 1024 };
	static char buf[1024];
	struct cn_http_head h;
	size_t n = strlen(req);

	memcpy(buf, req, n + 1);
	if (cn_http_parse(&h, buf, n, &roomy) <= 0)
		return -1;
	return cn_http_head_has_token(&h, "Connection", token);
}

CN_TEST(http, connection_header_is_a_token_list)
{
	CN_EXPECT_EQ(conn_has("GET / HTTP/1.0\r\nConnection: keep-alive\r\n"
			      "\r\n", "keep-alive"), 1);
	CN_EXPECT_EQ(conn_has("GET / HTTP/1.0\r\nconnection: Keep-Alive, "
			      "Upgrade\r\n\r\n", "keep-alive"), 1);
	CN_EXPECT_EQ(conn_has("GET / HTTP/1.0\r\nConnection: Upgrade ,\t"
			      "KEEP-ALIVE\r\n\r\n", "keep-alive"), 1);
	CN_EXPECT_EQ(conn_has("GET / HTTP/1.1\r\nConnection: upgrade\r\n"
			      "Connection: ,, close\r\n\r\n", "close"), 1);
	CN_EXPECT_EQ(conn_has("GET / HTTP/1.0\r\nConnection: keep-alive-"
			      "ish, alive\r\n\r\n", "keep-alive"), 0);
	CN_EXPECT_EQ(conn_has("GET / HTTP/1.0\r\nConnection: keep\r\n\r\n",
			      "keep-alive"), 0);
	CN_EXPECT_EQ(conn_has("GET / HTTP/1.0\r\nConnection:\r\n\r\n",
			      "close"), 0);
	CN_EXPECT_EQ(conn_has("GET / HTTP/1.0\r\nKeep-Alive: close\r\n\r\n",
			      "close"), 0);
}

static const char *norm(const char *t)
{
	static char out[64];
	const char *q;
	int rc = cn_http_normalize(t, out, sizeof(out), &q);

	return rc == -400 ? "400" : rc == -414 ? "414" : out;
}

CN_TEST(http, normalises_paths_and_keeps_them_under_the_root)
{
	const char *q;
	char out[32];

	CN_EXPECT_STREQ(norm("/"), "/");
	CN_EXPECT_STREQ(norm("/a//b///c"), "/a/b/c");
	CN_EXPECT_STREQ(norm("/a/./b/."), "/a/b/");
	CN_EXPECT_STREQ(norm("/a/b/../c"), "/a/c");
	CN_EXPECT_STREQ(norm("/a/.."), "/");
	CN_EXPECT_STREQ(norm("/dir/"), "/dir/");
	CN_EXPECT_STREQ(norm("/%7Euser/%41"), "/~user/A");
	CN_EXPECT_STREQ(norm("/a%2fb"), "/a/b");
	CN_EXPECT_STREQ(norm("/.."), "400");
	CN_EXPECT_STREQ(norm("/../etc/passwd"), "400");
	CN_EXPECT_STREQ(norm("/a/../../b"), "400");
	CN_EXPECT_STREQ(norm("/%2e%2e/x"), "400");
	CN_EXPECT_STREQ(norm("/%2E%2e%2fx"), "400");
	CN_EXPECT_STREQ(norm("/a\\..\\b"), "400");
	CN_EXPECT_STREQ(norm("/a%5c..%5cb"), "400");
	CN_EXPECT_STREQ(norm("/a%00b"), "400");
	CN_EXPECT_STREQ(norm("/a%zz"), "400");
	CN_EXPECT_STREQ(norm("/a%4"), "400");
	CN_EXPECT_STREQ(norm("a/b"), "400");
	CN_EXPECT_STREQ(norm("http://x/"), "400");
	CN_EXPECT_EQ(cn_http_normalize("/x?q=1#f", out, sizeof(out), &q), 0);
	CN_EXPECT_STREQ(out, "/x");
	CN_EXPECT_STREQ(q, "q=1#f");
	CN_EXPECT_EQ(cn_http_normalize("/0123456789012345678901234567890123",
				       out, sizeof(out), &q), -414);
}

CN_TEST(http, dates_round_trip)
{
	char buf[32];

	cn_http_date(784111777, buf);
	CN_EXPECT_STREQ(buf, "Sun, 06 Nov 1994 08:49:37 GMT");
	cn_http_date(0, buf);
	CN_EXPECT_STREQ(buf, "Thu, 01 Jan 1970 00:00:00 GMT");
	cn_http_date(1795219200, buf);
	CN_EXPECT_STREQ(buf, "Sat, 21 Nov 2026 00:00:00 GMT");
	CN_EXPECT_EQ(cn_http_parse_date("Sun, 06 Nov 1994 08:49:37 GMT"),
		     784111777);
	CN_EXPECT_EQ(cn_http_parse_date("Thu, 29 Feb 2024 23:59:59 GMT"),
		     1709251199);
	CN_EXPECT_EQ(cn_http_parse_date("Sunday, 06-Nov-94 08:49:37 GMT"), -1);
	CN_EXPECT_EQ(cn_http_parse_date("Sun, 06 Nov 1994 08:49:37 UTC"), -1);
	CN_EXPECT_EQ(cn_http_parse_date("Sun, 06 Foo 1994 08:49:37 GMT"), -1);
	CN_EXPECT_EQ(cn_http_parse_date(""), -1);
}
