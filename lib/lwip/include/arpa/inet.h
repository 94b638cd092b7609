/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Address conversion and byte order, on lwIP's address code (inet.c).
 * Every call is a real function, so a program may take its address or
 * declare it itself; the byte swaps are also macros (lwIP's inline
 * swaps), which a call with parentheses around the name bypasses.
 */
#ifndef _ARPA_INET_H
#define _ARPA_INET_H

#include <stdint.h>
#include <netinet/in.h>
#include <lwip/def.h>

uint32_t (htonl)(uint32_t x);
uint32_t (ntohl)(uint32_t x);
uint16_t (htons)(uint16_t x);
uint16_t (ntohs)(uint16_t x);

#ifndef htonl
#define htonl(x)	lwip_htonl(x)
#define ntohl(x)	lwip_ntohl(x)
#define htons(x)	lwip_htons(x)
#define ntohs(x)	lwip_ntohs(x)
#endif

int inet_pton(int af, const char *src, void *dst);
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);

/*
 * BSD's forms: inet_aton and inet_addr take "a.b.c.d", "a.b.c", "a.b"
 * and "a" in decimal, octal (0...) or hex (0x...); inet_addr returns
 * INADDR_NONE for a malformed string. inet_ntoa writes a static buffer
 * (one per image, not per thread). lwIP's macros of the same names
 * (lwip/inet.h) are undone by <netinet/in.h>.
 */
in_addr_t inet_addr(const char *cp);
int inet_aton(const char *cp, struct in_addr *inp);
char *inet_ntoa(struct in_addr in);

#endif
