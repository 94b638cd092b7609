/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/lwip without lib/posix-signal: nothing interrupts a socket call. */
#include "lwip/sockets.h"
#include "lwip_priv.h"

void cn_lwip_intr_begin(void)
{
}

int cn_lwip_intr_end(void)
{
	return CN_LWIP_DONE;
}

int cn_lwip_fetch(struct cn_mbox *mb, void **msg, uint64_t deadline)
{
	return cn_mbox_fetch(mb, msg, deadline);
}

void cn_lwip_intr_socket(int s)
{
	(void)s;
}

ssize_t cn_lwip_send(int s, const void *buf, size_t len, int flags)
{
	return lwip_send(s, buf, len, flags);
}

ssize_t cn_lwip_sendto(int s, const void *buf, size_t len, int flags,
		       const struct sockaddr *to, socklen_t tolen)
{
	return lwip_sendto(s, buf, len, flags, to, tolen);
}

ssize_t cn_lwip_sendmsg(int s, const struct msghdr *msg, int flags)
{
	return lwip_sendmsg(s, msg, flags);
}

int cn_lwip_connect(int s, const struct sockaddr *addr, socklen_t len)
{
	return lwip_connect(s, addr, len);
}
