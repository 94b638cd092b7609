/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Address conversion (<arpa/inet.h>) and name resolution (<netdb.h>) on
 * lwIP's address parsers and DNS client.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <netdb.h>
#include "lwip/ip_addr.h"

int inet_pton(int af, const char *src, void *dst)
{
	if (af == AF_INET) {
		const char *p;
		int dots = 0;
		ip4_addr_t a;

		/* Dotted quad only, as POSIX says (no "10.1" shorthand). */
		for (p = src; *p; p++)
			if (*p == '.')
				dots++;
			else if (*p < '0' || *p > '9')
				return 0;
		if (dots != 3 || !ip4addr_aton(src, &a))
			return 0;
		memcpy(dst, &a.addr, 4);
		return 1;
	}
#if LWIP_IPV6
	if (af == AF_INET6) {
		ip6_addr_t a;

		if (!ip6addr_aton(src, &a))
			return 0;
		memcpy(dst, a.addr, 16);
		return 1;
	}
#endif
	errno = EAFNOSUPPORT;
	return -1;
}

const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
	if (af == AF_INET) {
		ip4_addr_t a;

		memcpy(&a.addr, src, 4);
		if (!ip4addr_ntoa_r(&a, dst, (int)size)) {
			errno = ENOSPC;
			return NULL;
		}
		return dst;
	}
#if LWIP_IPV6
	if (af == AF_INET6) {
		ip6_addr_t a;

		memset(&a, 0, sizeof(a));
		memcpy(a.addr, src, 16);
		if (!ip6addr_ntoa_r(&a, dst, (int)size)) {
			errno = ENOSPC;
			return NULL;
		}
		return dst;
	}
#endif
	errno = EAFNOSUPPORT;
	return NULL;
}

#if LWIP_DNS
int getaddrinfo(const char *node, const char *service,
		const struct addrinfo *hints, struct addrinfo **res)
{
	return lwip_getaddrinfo(node, service, hints, res);
}

void freeaddrinfo(struct addrinfo *ai)
{
	lwip_freeaddrinfo(ai);
}

struct hostent *gethostbyname(const char *name)
{
	return lwip_gethostbyname(name);
}
#endif

const char *gai_strerror(int code)
{
	switch (code) {
	case 0:
		return "Success";
	case EAI_NONAME:
		return "Name or service not known";
	case EAI_SERVICE:
		return "Servname not supported for ai_socktype";
	case EAI_FAIL:
		return "Non-recoverable failure in name resolution";
	case EAI_MEMORY:
		return "Memory allocation failure";
	case EAI_FAMILY:
		return "ai_family not supported";
	default:
		return "Unknown error";
	}
}
