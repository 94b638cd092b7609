/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sigsetjmp/siglongjmp (<setjmp.h>): the sigsetjmp macro calls
 * cn_signal_jmp_save() to store the mask in the two words past the
 * jmp_buf, then is picolibc's setjmp in the caller's frame.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stddef.h>
#include <signal.h>
#include "signal_priv.h"

_Static_assert(sizeof(sigset_t) <= sizeof(_JBTYPE),
	       "the mask fits a sigjmp_buf word");

void cn_signal_jmp_save(long long *env, int savemask)
{
	env[_JBLEN] = savemask;
	if (savemask)
		env[_JBLEN + 1] = (long long)cn_signal_mask();
}

void siglongjmp(sigjmp_buf env, int val)
{
	if (env[_JBLEN]) {
		sigset_t set = (sigset_t)env[_JBLEN + 1];

		sigprocmask(SIG_SETMASK, &set, NULL);
	}
	longjmp(env, val);
}
