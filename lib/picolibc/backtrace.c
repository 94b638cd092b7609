/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * glibc's backtrace(), backtrace_symbols() and backtrace_symbols_fd()
 * (<execinfo.h>). Cairn builds keep frame pointers, so the calling
 * thread's stack is a chain of frame records ({previous record, return
 * address}, on x86_64 and arm64 alike), walked as the crash report walks
 * it (<cairn/backtrace.h>); names come from the image's symbol table.
 */
#include <errno.h>
#include <execinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cairn/backtrace.h>
#include <cairn/boot.h>
#include <cairn/symbols.h>

#define LINE_MAX_ 160

/* Not inlined: its own frame record is the walk's start. */
__attribute__((noinline)) int backtrace(void **buffer, int size)
{
	uint64_t fp = (uint64_t)(uintptr_t)__builtin_frame_address(0);
	int n = 0;

	if (!buffer || size <= 0)
		return 0;
	while (n < size && fp && !(fp & 7) && cn_backtrace_in_ram(fp, 16)) {
		uint64_t next = ((const uint64_t *)(uintptr_t)fp)[0];
		uint64_t ret = ((const uint64_t *)(uintptr_t)fp)[1];

		if (!ret)
			break;
		buffer[n++] = (void *)(uintptr_t)ret;
		if (next <= fp)		/* the chain only goes up the stack */
			break;
		fp = next;
	}
	return n;
}

/* One line for a return address: its call is the byte before it. */
static int format(char *out, size_t size, const void *addr)
{
	uintptr_t a = (uintptr_t)addr, off;
	const char *fn = a ? cn_sym_lookup(a - 1, &off) : NULL;

	if (fn)
		return snprintf(out, size, "%s(%s+0x%lx) [%p]", cn_build_app(),
				fn, (unsigned long)(off + 1), addr);
	return snprintf(out, size, "%s() [%p]", cn_build_app(), addr);
}

char **backtrace_symbols(void *const *buffer, int n)
{
	char line[LINE_MAX_], **v, *at;
	size_t total = 0, w;
	int i;

	if (n < 0 || (!buffer && n)) {
		errno = EINVAL;
		return NULL;
	}
	for (i = 0; i < n; i++)
		total += (size_t)format(line, sizeof(line), buffer[i]) + 1;
	v = malloc((size_t)n * sizeof(*v) + total + 1);
	if (!v) {
		errno = ENOMEM;
		return NULL;
	}
	at = (char *)(v + n);
	for (i = 0; i < n; i++) {
		v[i] = at;
		w = (size_t)format(at, total + 1, buffer[i]) + 1;
		at += w;
		total -= w;
	}
	return v;
}

void backtrace_symbols_fd(void *const *buffer, int n, int fd)
{
	char line[LINE_MAX_];
	int i, len;

	for (i = 0; buffer && i < n; i++) {
		len = format(line, sizeof(line) - 1, buffer[i]);
		if (len > (int)sizeof(line) - 2)
			len = (int)sizeof(line) - 2;
		line[len++] = '\n';
		if (write(fd, line, (size_t)len) < 0)
			return;
	}
}
