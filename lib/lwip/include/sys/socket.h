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

/*
 * sendmmsg/recvmmsg (mmsg.c): several messages in one call, as Linux's.
 * recvmmsg's MSG_WAITFORONE: block for the first message only.
 */
#ifndef MSG_WAITFORONE
#define MSG_WAITFORONE	0x10000
#endif

struct mmsghdr {
	struct msghdr msg_hdr;
	unsigned int msg_len;	/* bytes sent or received for this one */
};

struct timespec;

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

/*
 * sendmmsg: sends vec[0..vlen) with sendmsg, each msg_len set to its
 * count. Returns the number sent; -1 with sendmsg's errno only when the
 * first fails (a later failure ends the call with the count so far, as
 * on Linux). vlen above 1024 (UIO_MAXIOV) counts as 1024.
 */
int sendmmsg(int fd, struct mmsghdr *vec, unsigned int vlen, int flags);
/*
 * recvmmsg: receives up to vlen messages with recvmsg, each msg_len and
 * msg_hdr.msg_flags set. MSG_WAITFORONE makes every receive after the
 * first non-blocking. timeout (may be NULL), as Linux: checked after
 * each message received, the call returning once it has passed, and
 * updated with the time left; it does not bound the wait for a message
 * (recvmmsg(2), BUGS). EINVAL for a timeout with tv_nsec out of
 * [0, 1e9) or tv_sec < 0. Returns the number received, or -1 with
 * recvmsg's errno when the first fails.
 */
int recvmmsg(int fd, struct mmsghdr *vec, unsigned int vlen, int flags,
	     struct timespec *timeout);

/* Socket descriptors open now (a leak check for servers and tests). */
unsigned int cn_sockets_open(void);

#endif
