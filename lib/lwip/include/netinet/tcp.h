/* SPDX-License-Identifier: BSD-3-Clause */
/* TCP socket options (TCP_NODELAY, TCP_KEEP*), lwIP's. */
#ifndef _NETINET_TCP_H
#define _NETINET_TCP_H

#include <sys/socket.h>

#endif
