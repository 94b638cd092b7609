/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Name resolution through lwIP's DNS client (numeric addresses without a
 * query). getaddrinfo returns EAI_* codes (lwIP's values); it never
 * hangs: the resolver gives up after its retries.
 */
#ifndef _NETDB_H
#define _NETDB_H

#include <sys/socket.h>
#include <lwip/netdb.h>

int getaddrinfo(const char *node, const char *service,
		const struct addrinfo *hints, struct addrinfo **res);
void freeaddrinfo(struct addrinfo *ai);
struct hostent *gethostbyname(const char *name);
const char *gai_strerror(int code);

#endif
