/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Log lines go straight to the platform console as one write each, so a
 * line never interleaves with another and needs no C library stream. The
 * time stamp is only taken for lines that are printed: an image that logs
 * nothing never calibrates the clock. Printed lines are also kept in a
 * ring (ring.c) for crash reports.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <cairn/log.h>
#include <cairn/param.h>
#include <cairn/plat.h>
#include "log_priv.h"

#define LINE_MAX_LEN 256

int cn_log_runtime_level = CONFIG_LIB_LOG_DEFAULT_LEVEL;

static const char *const level_tags[] = { "ERR ", "WARN", "INFO", "DBG " };
static const char *const level_names[] = { "error", "warn", "info", "debug" };

int cn_log_level(void)
{
	return cn_log_runtime_level;
}

int cn_log_set_level(int level)
{
	if (level < CN_LOG_ERR || level > CN_LOG_DEBUG)
		return -EINVAL;
	cn_log_runtime_level = level;
	return 0;
}

static int parse_level(const char *val)
{
	int i;

	for (i = CN_LOG_ERR; i <= CN_LOG_DEBUG; i++)
		if (strcmp(val, level_names[i]) == 0 ||
		    (val[0] == '0' + i && val[1] == '\0'))
			return cn_log_set_level(i);
	return -EINVAL;
}
CN_PARAM_FN(log, level, parse_level,
	    "error, warn, info, debug or 0-3 (the runtime log level)");

size_t cn_log_format(char *buf, size_t size, uint64_t ns, int level,
		     const char *lib, const char *fmt, va_list ap)
{
	int n, m;

	if (size < 2)
		return 0;
	if (level < CN_LOG_ERR || level > CN_LOG_DEBUG)
		level = CN_LOG_DEBUG;
	n = snprintf(buf, size, "[%5llu.%06llu] %s %s: ",
		     (unsigned long long)(ns / 1000000000u),
		     (unsigned long long)(ns % 1000000000u / 1000u),
		     level_tags[level], lib);
	if (n < 0)
		n = 0;
	if ((size_t)n < size - 1) {
		m = vsnprintf(buf + n, size - (size_t)n, fmt, ap);
		if (m > 0)
			n += m;
	}
	if ((size_t)n > size - 2)
		n = (int)size - 2;
	buf[n++] = '\n';
	buf[n] = '\0';
	return (size_t)n;
}

void cn_log_print(int level, const char *lib, const char *fmt, ...)
{
	char line[LINE_MAX_LEN];
	va_list ap;
	size_t n;

	if (level > cn_log_runtime_level)
		return;
	va_start(ap, fmt);
	n = cn_log_format(line, sizeof(line), cn_plat_time_ns(), level, lib,
			  fmt, ap);
	va_end(ap);
	cn_plat_console_write(line, n);
	cn_log_ring_add(line, n);
}
