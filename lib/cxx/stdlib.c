/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the compiler's libstdc++.a (built for glibc) calls beyond picolibc:
 * gettext, through which it translates its exception messages. There
 * are no message catalogues here: each message is its own translation.
 */
char *gettext(const char *msgid);

char *gettext(const char *msgid)
{
	return (char *)msgid;
}
