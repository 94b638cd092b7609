/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * open_memstream and open_wmemstream (POSIX 2008): write-only streams into
 * a buffer that grows, built on picolibc's extended FILE (put, flush,
 * close, seek), as its own fmemopen is. After every character the
 * caller's *ptr and *size are brought up to date, so they are right
 * after each fflush and fclose as POSIX requires (and in between).
 *
 * picolibc's wide output (fputwc, fwprintf) hands a stream each wchar_t
 * as its sizeof(wchar_t) bytes through put(); the wide stream collects
 * bytes the same way and counts in wide characters. The size is the
 * current position, or the end of the data when that is smaller
 * (a seek back leaves the data after it, as glibc).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

struct memstream {
	struct __file_ext xfile;	/* first: the FILE picolibc sees */
	char *buf;
	size_t cap;		/* bytes allocated */
	size_t len;		/* bytes of data */
	size_t pos;		/* bytes before the position */
	size_t unit;		/* 1 or sizeof(wchar_t) */
	void **ptr;		/* the caller's */
	size_t *size;
};

static void publish(struct memstream *m)
{
	*m->ptr = m->buf;
	*m->size = (m->pos < m->len ? m->pos : m->len) / m->unit;
}

/* Room for want bytes and a terminating NUL character after them. */
static int reserve(struct memstream *m, size_t want)
{
	size_t need = want + m->unit, cap = m->cap;
	char *b;

	if (need <= m->cap)
		return 0;
	while (cap < need)
		cap = cap ? cap * 2 : 64;
	b = realloc(m->buf, cap);
	if (!b)
		return -1;
	memset(b + m->cap, 0, cap - m->cap);
	m->buf = b;
	m->cap = cap;
	return 0;
}

static int ms_put(char c, FILE *f)
{
	struct memstream *m = (struct memstream *)f;

	if (reserve(m, m->pos + 1))
		return _FDEV_ERR;
	m->buf[m->pos++] = c;
	if (m->pos > m->len) {
		m->len = m->pos;
		/* The NUL character after the data (wide: whole units). */
		memset(m->buf + m->len, 0, m->unit);
	}
	publish(m);
	return (unsigned char)c;
}

static int ms_flush(FILE *f)
{
	publish((struct memstream *)f);
	return 0;
}

static int ms_close(FILE *f)
{
	struct memstream *m = (struct memstream *)f;

	publish(m);
	free(m);		/* the buffer is the caller's now */
	return 0;
}

/* Offsets are in characters (wide ones for open_wmemstream). */
static off_t ms_seek(FILE *f, off_t off, int whence)
{
	struct memstream *m = (struct memstream *)f;
	off_t base, to;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (off_t)(m->pos / m->unit);
		break;
	case SEEK_END:
		base = (off_t)(m->len / m->unit);
		break;
	default:
		errno = EINVAL;
		return EOF;
	}
	to = base + off;
	if (to < 0 || (uint64_t)to > SIZE_MAX / 2 / m->unit) {
		errno = EINVAL;
		return EOF;
	}
	/* Past the end: the gap reads as NULs, as POSIX says. */
	if (reserve(m, (size_t)to * m->unit)) {
		errno = ENOMEM;
		return EOF;
	}
	m->pos = (size_t)to * m->unit;
	publish(m);
	return to;
}

static FILE *open_stream(void **ptr, size_t *size, size_t unit)
{
	struct memstream *m;

	if (!ptr || !size) {
		errno = EINVAL;
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		goto err_nomem;
	m->xfile = (struct __file_ext)FDEV_SETUP_EXT(ms_put, NULL, ms_flush,
						     ms_close, ms_seek, NULL,
						     __SWR);
	m->unit = unit;
	m->ptr = ptr;
	m->size = size;
	if (reserve(m, 0))
		goto err_free;
	publish(m);
	return (FILE *)m;

err_free:
	free(m);
err_nomem:
	errno = ENOMEM;
	return NULL;
}

FILE *open_memstream(char **ptr, size_t *size)
{
	return open_stream((void **)ptr, size, 1);
}

FILE *open_wmemstream(wchar_t **ptr, size_t *size)
{
	return open_stream((void **)ptr, size, sizeof(wchar_t));
}
