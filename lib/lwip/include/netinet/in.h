/* SPDX-License-Identifier: BSD-3-Clause */
/* Internet addresses (struct sockaddr_in, IPPROTO_*, INADDR_*), lwIP's. */
#ifndef _NETINET_IN_H
#define _NETINET_IN_H

#include <sys/socket.h>
#include <lwip/inet.h>

/*
 * lwIP maps these to its own calls with macros, which break a program
 * that declares them or takes their address: <arpa/inet.h> declares the
 * real functions (inet.c).
 */
#undef inet_addr
#undef inet_aton
#undef inet_ntoa

#endif
