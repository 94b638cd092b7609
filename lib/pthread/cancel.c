/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread cancellation and cleanup handlers. A thread's cancel state,
 * type and cleanup stack are its own (TLS). What another thread must
 * reach (the pending request, the wait queue to wake it from, whether it
 * is asynchronously cancellable) is a record in a list keyed by thread,
 * under the big lock: lib/sched has no room for it in struct cn_thread.
 * A record is made by the thread itself (at its start when pthread_create
 * made it, else at its first cancellation point) or by pthread_cancel();
 * it goes when the thread ends through lib/pthread or is joined. Thread
 * structures are reused, so a record also holds the thread's id: one
 * whose id no longer matches is left over from an earlier thread (one
 * killed by asynchronous cancellation) and is dropped.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <cairn/biglock.h>
#include <cairn/sched.h>
#include "pthread_priv.h"

struct rec {
	struct rec *next;
	struct cn_thread *thread;
	int id;
	int pending;			/* pthread_cancel() asked */
	int async;			/* enabled and asynchronous */
	struct cn_waitq *wait_q;	/* where it waits, cancellably */
};

static struct rec *recs;		/* under the big lock */

static __thread struct rec *self_rec;
static __thread int cancel_state, cancel_type;	/* 0: enable, deferred */
static __thread struct cn_pthread_cleanup *cleanup_top;

/*
 * Big lock held; t exists. Moves stale records for t to *stale (freed
 * by the caller once the big lock is released).
 */
static struct rec *find(struct cn_thread *t, struct rec **stale)
{
	struct rec **p = &recs, *r;

	while ((r = *p)) {
		if (r->thread == t && r->id == cn_thread_id(t))
			return r;
		if (r->thread == t) {
			*p = r->next;
			r->next = *stale;
			*stale = r;
			continue;
		}
		p = &r->next;
	}
	return NULL;
}

static void free_list(struct rec *r)
{
	struct rec *next;

	for (; r; r = next) {
		next = r->next;
		free(r);
	}
}

static void exists_cb(struct cn_thread *t, void *arg)
{
	struct cn_thread **want = arg;

	if (t == *want)
		*want = NULL;
}

int cn_pthread_exists(struct cn_thread *t)
{
	struct cn_thread *want = t;

	if (!t)
		return 0;
	cn_thread_foreach(exists_cb, &want);
	return want == NULL;
}

/*
 * t's record, made if there is none (NULL: out of memory, or t does not
 * exist). The allocation is made before taking the big lock.
 */
static struct rec *rec_get(struct cn_thread *t)
{
	struct rec *spare = calloc(1, sizeof(*spare));
	struct rec *r, *stale = NULL;
	unsigned long flags = cn_big_lock();

	if (!cn_pthread_exists(t)) {
		r = NULL;
	} else if (!(r = find(t, &stale)) && spare) {
		r = spare;
		spare = NULL;
		r->thread = t;
		r->id = cn_thread_id(t);
		r->next = recs;
		recs = r;
	}
	cn_big_unlock(flags);
	free(spare);
	free_list(stale);
	return r;
}

static struct rec *me(void)
{
	if (!self_rec)
		self_rec = rec_get(cn_thread_current());
	return self_rec;
}

static void unlink_rec(struct rec *r)
{
	struct rec **p;

	for (p = &recs; *p; p = &(*p)->next) {
		if (*p == r) {
			*p = r->next;
			break;
		}
	}
}

void cn_pthread_forget(struct cn_thread *t)
{
	unsigned long flags = cn_big_lock();
	struct rec **p = &recs, *r, *gone = NULL;

	while ((r = *p)) {
		if (r->thread == t) {
			*p = r->next;
			r->next = gone;
			gone = r;
		} else {
			p = &r->next;
		}
	}
	cn_big_unlock(flags);
	free_list(gone);
}

void cn_pthread_thread_end(void)
{
	struct rec *r = self_rec;
	unsigned long flags;

	if (!r)
		return;
	flags = cn_big_lock();
	unlink_rec(r);
	cn_big_unlock(flags);
	self_rec = NULL;
	free(r);
}

void cn_pthread_cleanup_push(struct cn_pthread_cleanup *c,
			     void (*fn)(void *), void *arg)
{
	c->fn = fn;
	c->arg = arg;
	c->prev = cleanup_top;
	cleanup_top = c;
}

void cn_pthread_cleanup_pop(struct cn_pthread_cleanup *c, int execute)
{
	cleanup_top = c->prev;
	if (execute)
		c->fn(c->arg);
}

void cn_pthread_cleanup_run(void)
{
	struct cn_pthread_cleanup *c;

	while ((c = cleanup_top)) {
		cleanup_top = c->prev;
		c->fn(c->arg);
	}
}

static void __attribute__((noreturn)) act(void)
{
	cancel_state = PTHREAD_CANCEL_DISABLE;	/* handlers may hit points */
	pthread_exit(PTHREAD_CANCELED);
}

static int acts_now(const struct rec *r)
{
	return r && r->pending && cancel_state == PTHREAD_CANCEL_ENABLE;
}

void cn_pthread_cancel_point(void)
{
	if (acts_now(me()))
		act();
}

void pthread_testcancel(void)
{
	cn_pthread_cancel_point();
}

int cn_pthread_cancel_wait_begin(struct cn_waitq *q)
{
	struct rec *r = self_rec;	/* me() ran at the point's entry */

	if (acts_now(r))
		return -ECANCELED;
	if (r)
		r->wait_q = q;
	return 0;
}

void cn_pthread_cancel_wait_end(void)
{
	if (self_rec)
		self_rec->wait_q = NULL;
}

int pthread_cancel(pthread_t t)
{
	struct rec *r = t == cn_thread_current() ? me() : rec_get(t);
	unsigned long flags;

	if (!r) {
		unsigned long f = cn_big_lock();
		int there = cn_pthread_exists(t);

		cn_big_unlock(f);
		return there ? ENOMEM : ESRCH;
	}
	flags = cn_big_lock();
	r->pending = 1;
	if (r->wait_q)
		cn_waitq_interrupt(r->wait_q, t);
	if (r->async && t != cn_thread_current())
		cn_thread_kill(t);	/* ends at its next switch */
	cn_big_unlock(flags);
	if (t == cn_thread_current() && r->async)
		act();
	return 0;
}

static void update_async(void)
{
	int async = cancel_state == PTHREAD_CANCEL_ENABLE &&
		    cancel_type == PTHREAD_CANCEL_ASYNCHRONOUS;
	struct rec *r = async ? me() : self_rec;

	if (r)
		r->async = async;
}

int pthread_setcancelstate(int state, int *old)
{
	if (state != PTHREAD_CANCEL_ENABLE && state != PTHREAD_CANCEL_DISABLE)
		return EINVAL;
	if (old)
		*old = cancel_state;
	cancel_state = state;
	update_async();
	return 0;
}

int pthread_setcanceltype(int type, int *old)
{
	if (type != PTHREAD_CANCEL_DEFERRED &&
	    type != PTHREAD_CANCEL_ASYNCHRONOUS)
		return EINVAL;
	if (old)
		*old = cancel_type;
	cancel_type = type;
	update_async();
	/* Asynchronous with a request pending: POSIX lets it act now. */
	if (type == PTHREAD_CANCEL_ASYNCHRONOUS)
		cn_pthread_cancel_point();
	return 0;
}
