/* SPDX-License-Identifier: BSD-3-Clause */
/* Internet addresses (struct sockaddr_in, IPPROTO_*, INADDR_*), lwIP's. */
#ifndef _NETINET_IN_H
#define _NETINET_IN_H

#include <sys/socket.h>
#include <lwip/inet.h>

#endif
