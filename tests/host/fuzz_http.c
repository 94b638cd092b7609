/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: lib/httpd's request parser and path normaliser on
 * arbitrary bytes. The parse result must be consistent (a head length
 * inside the input; every header string inside the buffer), and a target
 * the parser accepts must normalise to a path without "..", backslash or
 * NUL, or be refused.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/http_parse.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cn_http_limits lim = { 256, 2048 };
	struct cn_http_head h;
	char *buf = malloc(size + 1), out[512];
	const char *q;
	long n;
	unsigned int i;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	n = cn_http_parse(&h, buf, size, &lim);
	if (n > (long)size)
		abort();
	if (n > 0) {
		for (i = 0; i < h.nr_headers; i++)
			if (h.headers[i].name < buf ||
			    h.headers[i].value > buf + size)
				abort();
		/* The token lists of every header: within bounds (ASan). */
		(void)cn_http_head_has_token(&h, "Connection", "keep-alive");
		if (cn_http_normalize(h.target, out, sizeof(out), &q) == 0) {
			if (out[0] != '/' || strstr(out, "/../") ||
			    strchr(out, '\\') ||
			    (strlen(out) >= 3 &&
			     strcmp(out + strlen(out) - 3, "/..") == 0))
				abort();
		}
	}
	/* The normaliser alone, on the raw bytes as a target. */
	if (cn_http_normalize(buf, out, sizeof(out), &q) == 0 &&
	    (strstr(out, "/../") || strchr(out, '\\')))
		abort();
	free(buf);
	return 0;
}
