/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sendmmsg and recvmmsg: loops over sendmsg and recvmsg (sockets.c)
 * with Linux's rules for a failure part way (the count so far wins over
 * the error) and for recvmmsg's MSG_WAITFORONE and timeout.
 */
#include <errno.h>
#include <stdint.h>
#include <time.h>
#include <sys/socket.h>

/* Linux caps vlen at UIO_MAXIOV rather than failing. */
#define MMSG_MAX	1024u

/*
 * With no message to move, Linux still checks the descriptor: EBADF,
 * ENOTSOCK (getsockopt fails the same way on a bad one).
 */
static int check_socket(int fd)
{
	socklen_t len = sizeof(int);
	int type;

	return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len);
}

int sendmmsg(int fd, struct mmsghdr *vec, unsigned int vlen, int flags)
{
	unsigned int i;
	ssize_t r;

	if (!vec && vlen) {
		errno = EFAULT;
		return -1;
	}
	if (!vlen)
		return check_socket(fd);
	if (vlen > MMSG_MAX)
		vlen = MMSG_MAX;
	for (i = 0; i < vlen; i++) {
		r = sendmsg(fd, &vec[i].msg_hdr, flags);
		if (r < 0)
			return i ? (int)i : -1;
		vec[i].msg_len = (unsigned int)r;
	}
	return (int)i;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * Time left until end_ns written to *timeout; false once it is up (then
 * *timeout is zero), as Linux checks after each message.
 */
static int time_left(struct timespec *timeout, int64_t end_ns)
{
	int64_t left = end_ns - now_ns();

	if (left <= 0) {
		timeout->tv_sec = 0;
		timeout->tv_nsec = 0;
		return 0;
	}
	timeout->tv_sec = (time_t)(left / 1000000000);
	timeout->tv_nsec = (long)(left % 1000000000);
	return 1;
}

int recvmmsg(int fd, struct mmsghdr *vec, unsigned int vlen, int flags,
	     struct timespec *timeout)
{
	int64_t end_ns = 0;
	unsigned int i;
	ssize_t r;

	if (!vec && vlen) {
		errno = EFAULT;
		return -1;
	}
	if (timeout) {
		if (timeout->tv_sec < 0 || timeout->tv_nsec < 0 ||
		    timeout->tv_nsec >= 1000000000) {
			errno = EINVAL;
			return -1;
		}
		end_ns = now_ns() + (int64_t)timeout->tv_sec * 1000000000 +
			 timeout->tv_nsec;
	}
	if (!vlen)
		return check_socket(fd);
	if (vlen > MMSG_MAX)
		vlen = MMSG_MAX;
	for (i = 0; i < vlen; i++) {
		r = recvmsg(fd, &vec[i].msg_hdr, flags & ~MSG_WAITFORONE);
		if (r < 0)
			return i ? (int)i : -1;
		vec[i].msg_len = (unsigned int)r;
		if (flags & MSG_WAITFORONE)
			flags |= MSG_DONTWAIT;
		if (timeout && !time_left(timeout, end_ns)) {
			i++;
			break;
		}
	}
	return (int)i;
}
