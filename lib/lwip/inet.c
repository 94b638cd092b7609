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

/*
 * The byte swaps as functions (the header's macros stay for speed); the
 * parentheses keep the macros from expanding here.
 */
uint32_t (htonl)(uint32_t x)
{
	return lwip_htonl(x);
}

uint32_t (ntohl)(uint32_t x)
{
	return lwip_ntohl(x);
}

uint16_t (htons)(uint16_t x)
{
	return lwip_htons(x);
}

uint16_t (ntohs)(uint16_t x)
{
	return lwip_ntohs(x);
}

in_addr_t inet_addr(const char *cp)
{
	return ipaddr_addr(cp);
}

int inet_aton(const char *cp, struct in_addr *inp)
{
	ip4_addr_t a;

	if (!ip4addr_aton(cp, &a))
		return 0;
	if (inp)
		inp->s_addr = a.addr;
	return 1;
}

char *inet_ntoa(struct in_addr in)
{
	static char buf[INET_ADDRSTRLEN];
	ip4_addr_t a;

	a.addr = in.s_addr;
	return ip4addr_ntoa_r(&a, buf, sizeof(buf));
}

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
	case EAI_AGAIN:
		return "Temporary failure in name resolution";
	case EAI_BADFLAGS:
		return "Bad value for ai_flags";
	case EAI_SOCKTYPE:
		return "ai_socktype not supported";
	case EAI_OVERFLOW:
		return "Result too large for supplied buffer";
	case EAI_SYSTEM:
		return "System error";
	default:
		return "Unknown error";
	}
}
