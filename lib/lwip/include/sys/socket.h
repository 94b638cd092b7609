/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * BSD sockets on lwIP (lib/lwip). Socket descriptors live in the image's
 * one descriptor table (lib/fdtab): read, write, close, poll, select,
 * fcntl and ioctl work on them as on files. Types and constants are
 * lwIP's (struct sockaddr, AF_INET, SOCK_STREAM, SOL_SOCKET...): use the
 * names, not Linux's numbers.
 */
#ifndef _SYS_SOCKET_H
#define _SYS_SOCKET_H

#include <sys/types.h>
#include <lwip/sockets.h>

/* Accepted in socket()'s type, as on Linux. */
#ifndef SOCK_NONBLOCK
#define SOCK_NONBLOCK	04000
#endif
#ifndef SOCK_CLOEXEC
#define SOCK_CLOEXEC	02000000
#endif

/* send*() flag: no SIGPIPE for a connection the peer closed (Linux's). */
#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL	0x4000
#endif

/* Local sockets: socketpair() only (lib/fdtab), Linux's number. */
#ifndef AF_UNIX
#define AF_UNIX		1
#endif
#ifndef AF_LOCAL
#define AF_LOCAL	AF_UNIX
#endif

int socketpair(int domain, int type, int protocol, int sv[2]);
int socket(int domain, int type, int protocol);
int bind(int fd, const struct sockaddr *addr, socklen_t len);
int listen(int fd, int backlog);
int accept(int fd, struct sockaddr *addr, socklen_t *len);
int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
int connect(int fd, const struct sockaddr *addr, socklen_t len);
ssize_t send(int fd, const void *buf, size_t len, int flags);
ssize_t recv(int fd, void *buf, size_t len, int flags);
ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t tolen);
ssize_t recvfrom(int fd, void *buf, size_t len, int flags,
		 struct sockaddr *from, socklen_t *fromlen);
ssize_t sendmsg(int fd, const struct msghdr *msg, int flags);
ssize_t recvmsg(int fd, struct msghdr *msg, int flags);
int setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int getsockopt(int fd, int level, int name, void *val, socklen_t *len);
int shutdown(int fd, int how);
int getsockname(int fd, struct sockaddr *addr, socklen_t *len);
int getpeername(int fd, struct sockaddr *addr, socklen_t *len);

/* Socket descriptors open now (a leak check for servers and tests). */
unsigned int cn_sockets_open(void);

#endif
