/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * quick_exit and at_quick_exit (C11): end the image after running the
 * handlers registered for it, newest first, and none of atexit's, nor
 * flushing stdio (that is what makes it quick). The C standard asks for
 * room for at least 32 handlers.
 */
#include <stdlib.h>
#include <unistd.h>
#include <cairn/spinlock.h>

#define HANDLERS_MAX 32

static void (*handlers[HANDLERS_MAX])(void);
static unsigned int nr_handlers;
static struct cn_spinlock lock = CN_SPINLOCK_INIT;

/* 0, or nonzero (-1) when the table is full or func is NULL. */
int at_quick_exit(void (*func)(void))
{
	int r = -1;

	if (!func)
		return -1;
	cn_spin_lock(&lock);
	if (nr_handlers < HANDLERS_MAX) {
		handlers[nr_handlers++] = func;
		r = 0;
	}
	cn_spin_unlock(&lock);
	return r;
}

void quick_exit(int status)
{
	/* A handler may register another: it runs too, before older ones. */
	while (nr_handlers)
		handlers[--nr_handlers]();
	_exit(status);
}
