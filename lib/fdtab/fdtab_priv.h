/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/fdtab. */
#ifndef FDTAB_PRIV_H
#define FDTAB_PRIV_H

#include <signal.h>
#include <stdbool.h>
#include <cairn/file.h>

/* Descriptors 0-2 from boot: never released. */
extern struct cn_file cn_fdtab_console_in, cn_fdtab_console_out;

static inline bool cn_fdtab_is_console(const struct cn_file *f)
{
	return f == &cn_fdtab_console_in || f == &cn_fdtab_console_out;
}

struct flock;

/* locks.c: F_GETLK/F_SETLK/F_SETLKW on f (0 or a negative errno). */
int cn_fdtab_fcntl_lock(struct cn_file *f, int cmd, struct flock *fl);
/* A descriptor of f closed: the process's record locks on its file go. */
void cn_fdtab_locks_close(struct cn_file *f);
/* f's last reference went: its flock() locks go. */
void cn_fdtab_locks_release(struct cn_file *f);

/*
 * pipe.c: tee(): copies up to len bytes waiting in pipe in into pipe out
 * without consuming them: the count, 0 (in empty with no writer left),
 * -EINVAL (not the read end and the write end of two pipes), -EPIPE,
 * -EAGAIN (nonblock and nothing to copy or no room), -EINTR.
 */
ssize_t cn_fdtab_pipe_tee(struct cn_file *in, struct cn_file *out,
			  size_t len, bool nonblock);

/*
 * sigpipe.c / sigpipe_none.c: a wait a signal may interrupt, as
 * <cairn/sigintr.h>'s cn_signal_intr_*() (a signal wakes the waiter
 * through cn_file_notify()); without lib/posix-signal, nothing.
 */
void cn_fdtab_intr_begin(void);
/* The same with the signal mask *set for the wait (ppoll, pselect). */
void cn_fdtab_intr_begin_mask(const sigset_t *set);
bool cn_fdtab_intr_pending(void);
int cn_fdtab_intr_end(void);

#endif
