/* SPDX-License-Identifier: BSD-3-Clause */
/* Address conversion and byte order, on lwIP's address code. */
#ifndef _ARPA_INET_H
#define _ARPA_INET_H

#include <netinet/in.h>
#include <lwip/def.h>

#ifndef htonl
#define htonl(x)	lwip_htonl(x)
#define ntohl(x)	lwip_ntohl(x)
#define htons(x)	lwip_htons(x)
#define ntohs(x)	lwip_ntohs(x)
#endif

int inet_pton(int af, const char *src, void *dst);
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);
/* inet_aton, inet_addr and inet_ntoa are lwIP's (macros of lwip/inet.h). */

#endif
