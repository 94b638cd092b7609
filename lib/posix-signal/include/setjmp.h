/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * picolibc's <setjmp.h> and POSIX's sigsetjmp/siglongjmp, which it
 * declares only for Cygwin and RTEMS. A sigjmp_buf is a jmp_buf and two
 * more words: whether the mask was saved, and the mask.
 *
 * sigsetjmp(env, savemask) saves what setjmp saves and, when savemask is
 * not 0, the calling thread's signal mask; it returns 0, and again the
 * value given to siglongjmp (1 for 0). siglongjmp(env, val) restores the
 * mask if it was saved (a handler left this way leaves its signal
 * blocked otherwise, as on Linux) and jumps back to sigsetjmp.
 * sigsetjmp is a macro, as POSIX allows and glibc has it: it stores the
 * mask, then is setjmp itself in the caller's frame (a C function around
 * setjmp could not return twice into its caller).
 */
#ifndef CAIRN_SETJMP_H
#define CAIRN_SETJMP_H

#include_next <setjmp.h>

_BEGIN_STD_C

typedef _JBTYPE sigjmp_buf[_JBLEN + 2];

/* Stores savemask and, if not 0, the mask past env's jmp_buf. */
void cn_signal_jmp_save(long long *env, int savemask);
#define sigsetjmp(env, savemask)					\
	(cn_signal_jmp_save((long long *)(env), (savemask)), setjmp(env))
__noreturn void siglongjmp(sigjmp_buf env, int val);

_END_STD_C

#endif
