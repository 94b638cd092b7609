/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * syslog() into the image's log: there is no syslog daemon to send to, and
 * the log (console and ring, lib/log) is where an image's messages go.
 * Each message is one log line tagged with the ident ("ident[1]" with
 * LOG_PID) in place of a library name, at the level nearest its priority
 * (EMERG..ERR: error, WARNING: warning, NOTICE and INFO: info, DEBUG:
 * debug), so the log's own level filter applies on top of setlogmask().
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <cairn/boot.h>
#include <cairn/log.h>

#define MSG_MAX 512

static const char *ident;
static int options;
static int mask = 0xff;

void openlog(const char *id, int option, int facility)
{
	(void)facility;
	ident = id;
	options = option;
}

void closelog(void)
{
	ident = NULL;
	options = 0;
}

int setlogmask(int m)
{
	int old = mask;

	if (m)
		mask = m;
	return old;
}

static int level_of(int pri)
{
	if (pri <= LOG_ERR)
		return CN_LOG_ERR;
	if (pri == LOG_WARNING)
		return CN_LOG_WARN;
	return pri == LOG_DEBUG ? CN_LOG_DEBUG : CN_LOG_INFO;
}

/* fmt with each %m replaced by err's text (%% kept for vsnprintf). */
static void expand_m(char *out, size_t size, const char *fmt, int err)
{
	const char *text = strerror(err);
	size_t n = 0, t;

	while (*fmt && n + 1 < size) {
		if (fmt[0] == '%' && fmt[1] == 'm') {
			/* The text is data, not format: double its '%'. */
			for (t = 0; text[t] && n + 2 < size; t++) {
				if (text[t] == '%')
					out[n++] = '%';
				out[n++] = text[t];
			}
			fmt += 2;
			continue;
		}
		if (fmt[0] == '%' && fmt[1] == '%' && n + 2 < size) {
			out[n++] = *fmt++;
		}
		out[n++] = *fmt++;
	}
	out[n] = '\0';
}

void vsyslog(int priority, const char *fmt, va_list ap)
{
	int err = errno;
	char f[MSG_MAX], msg[MSG_MAX], tag[64];
	const char *id = ident ? ident : cn_build_app();
	size_t len;
	int pri = LOG_PRI(priority);

	if (!(mask & LOG_MASK(pri)) || !fmt)
		return;
	expand_m(f, sizeof(f), fmt, err);
	vsnprintf(msg, sizeof(msg), f, ap);
	len = strlen(msg);
	if (len && msg[len - 1] == '\n')
		msg[len - 1] = '\0';
	/* pid 1: the one process (lib/posix-process's getpid()). */
	snprintf(tag, sizeof(tag), options & LOG_PID ? "%s[1]" : "%s", id);
	cn_log_print(level_of(pri), tag, "%s", msg);
	if (options & LOG_PERROR)
		fprintf(stderr, "%s: %s\n", tag, msg);
	errno = err;
}

void syslog(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsyslog(priority, fmt, ap);
	va_end(ap);
}
