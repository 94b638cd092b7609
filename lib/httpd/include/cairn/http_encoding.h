/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Content codings a client accepts (RFC 9110 12.5.3): the Accept-Encoding
 * header's list of codings with optional q-values. Pure string code, no
 * allocation; lib/httpd's gzip answers use it, and it builds on the host.
 */
#ifndef CAIRN_HTTP_ENCODING_H
#define CAIRN_HTTP_ENCODING_H

#include <stdbool.h>

/*
 * The weight the header value accept gives coding, in thousandths
 * (q=0.5 is 500): its own entry if listed (case-insensitive; "x-gzip"
 * counts as "gzip"), else the "*" entry's, else -1 (not mentioned). An
 * entry whose q is malformed (not 0-1 with at most three decimals) has
 * weight 0: a client that cannot say yes is taken as no.
 */
int cn_http_coding_q(const char *accept, const char *coding);

/*
 * Whether an answer may be gzip-coded for this Accept-Encoding value
 * (NULL: no header, so no): gzip has a weight above 0 and is not
 * weighted below identity (identity;q=1, gzip;q=0.5 means "rather
 * not").
 */
bool cn_http_accepts_gzip(const char *accept);

#endif
