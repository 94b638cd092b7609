/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `posix sockets [ADDR]`: signals and blocking socket calls, over ADDR
 * (127.0.0.1 by default: lib/lwip's loopback, no NIC needed; or the
 * image's own address, looped back by its NIC). SIGALRM arrives 100 ms
 * into each
 * call; its handler may make the call able to finish (a client connects,
 * a byte is sent), so a call that restarts ends with a result and one
 * that fails says EINTR. Prints one line per case for tests/test_posix.py.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "posix_app.h"

enum { NOTHING, CONNECT, SEND, DRAIN, ACCEPT };

static volatile int hits, handler_does;
static int cli = -1, conn = -1, listener = -1, accepted = -1;
static struct sockaddr_in srv_addr;

/* Reads what has arrived on fd, without waiting. */
static long drain_now(int fd)
{
	static char buf[8192];
	long n = 0;
	ssize_t r;

	while ((r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		n += r;
	return n;
}

static void on_alarm(int sig)
{
	(void)sig;
	hits++;
	if (handler_does == CONNECT)
		connect(cli, (struct sockaddr *)&srv_addr, sizeof(srv_addr));
	else if (handler_does == SEND)
		send(cli, "x", 1, 0);
	else if (handler_does == DRAIN)
		drain_now(conn);
	else if (handler_does == ACCEPT)
		accepted = accept(listener, NULL, NULL);
}

/* SIGALRM in 100 ms, with sa_flags flags, its handler doing does. */
static void arm(int flags, int does)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = flags;
	sigaction(SIGALRM, &sa, NULL);
	handler_does = does;
	hits = 0;
	ualarm(100000, 0);
}

static void report(const char *what, long r, int e)
{
	printf("sockets: %s: %ld %s, handler ran %d\n", what, r,
	       r < 0 ? (e == EINTR ? "EINTR" : e == EAGAIN ? "EAGAIN" :
			e == EINPROGRESS ? "EINPROGRESS" :
			e == EALREADY ? "EALREADY" : e == EISCONN ? "EISCONN" :
			strerror(e)) : "ok", hits);
}

static int tcp_socket(void)
{
	return socket(AF_INET, SOCK_STREAM, 0);
}

/*
 * Until fd's way to its peer is full: its window closed, its buffer full
 * to the last byte (smaller sends once 8 KiB no longer fits), and still
 * so after 450 ms. With a send buffer no bigger than the peer's window
 * (256 KiB both), the buffer fills first, and room comes back with the
 * peer's delayed ACKs, which lwIP sends every 250 ms.
 */
static void fill(int fd)
{
	static char junk[8192];
	size_t size = sizeof(junk);
	int idle = 0;

	while (idle < 3) {
		if (send(fd, junk, size, MSG_DONTWAIT) > 0) {
			idle = 0;
			continue;
		}
		if (size > 1) {
			size /= 2;
			continue;
		}
		idle++;
		usleep(150000);
		size = sizeof(junk);
	}
}

/* Until nothing more arrives on fd for 150 ms. */
static void drain(int fd)
{
	int idle = 0;

	while (idle < 3) {
		if (drain_now(fd) > 0) {
			idle = 0;
			continue;
		}
		idle++;
		usleep(50000);
	}
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long)((t1.tv_sec - t0->tv_sec) * 1000 +
		      (t1.tv_nsec - t0->tv_nsec) / 1000000);
}

/*
 * Blocking sends into a connection whose peer does not read: a handler
 * ends one that sent nothing with EINTR; with SA_RESTART it waits on (the
 * handler reads, so the send goes through); one that sent part returns
 * that count; SO_SNDTIMEO makes a restart EINTR and runs out as EAGAIN.
 */
static void sends(void)
{
	static char big[1 << 20];
	struct timeval tv = { 5, 0 };
	struct timespec t0;
	long r;

	fill(cli);
	arm(0, NOTHING);
	r = send(cli, "s", 1, 0);
	report("send, peer not reading", r, errno);
	arm(SA_RESTART, DRAIN);
	r = send(cli, "s", 1, 0);
	report("send with SA_RESTART", r, errno);
	drain(conn);
	arm(0, NOTHING);
	r = send(cli, big, sizeof(big), 0);
	printf("sockets: send of 1 MiB, peer not reading: %s, handler ran %d\n",
	       r > 0 && r < (long)sizeof(big) ? "part sent" : "wrong", hits);
	if (r <= 0 || r >= (long)sizeof(big))
		printf("sockets: (it returned %ld, %s)\n", r, strerror(errno));

	fill(cli);
	setsockopt(cli, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	arm(SA_RESTART, NOTHING);
	r = send(cli, "s", 1, 0);
	report("send with SO_SNDTIMEO and SA_RESTART", r, errno);
	tv.tv_sec = 0;
	tv.tv_usec = 200000;
	setsockopt(cli, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	hits = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = send(cli, "s", 1, 0);
	report("send, SO_SNDTIMEO 200 ms", r, errno);
	printf("sockets: that send gave up after %s\n",
	       ms_since(&t0) >= 150 ? "150 ms or more" : "too short a time");
	tv.tv_usec = 0;
	setsockopt(cli, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	drain(conn);
}

/*
 * Blocking connects to a listener whose backlog (1) is full, so that the
 * SYN is dropped and the connect waits for its retransmission: a handler
 * ends it with EINTR and the connection goes on in the background
 * (EALREADY, then poll() says POLLOUT, then EISCONN); with SA_RESTART it
 * waits on (the handler accepts, which makes room); SO_SNDTIMEO runs out
 * as EINPROGRESS.
 */
static void connects(void)
{
	struct sockaddr_in a = srv_addr;
	struct timeval tv = { 0, 300000 };
	int first = tcp_socket(), c, c2, c3;
	struct pollfd p;
	long r;

	a.sin_port = htons(7002);
	listener = tcp_socket();
	if (bind(listener, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(listener, 1) ||
	    connect(first, (struct sockaddr *)&a, sizeof(a))) {
		printf("sockets: connect set-up failed: %s\n", strerror(errno));
		return;
	}
	c = tcp_socket();
	arm(0, NOTHING);
	r = connect(c, (struct sockaddr *)&a, sizeof(a));
	report("connect, backlog full", r, errno);
	hits = 0;
	r = connect(c, (struct sockaddr *)&a, sizeof(a));
	report("connect again", r, errno);
	c2 = accept(listener, NULL, NULL);	/* room for c's next SYN */
	p = (struct pollfd){ c, POLLOUT, 0 };
	r = poll(&p, 1, 15000);
	printf("sockets: then poll: %ld%s\n", r,
	       r == 1 && (p.revents & POLLOUT) ? " POLLOUT" : "");
	r = connect(c, (struct sockaddr *)&a, sizeof(a));
	report("connect once connected", r, errno);

	c3 = tcp_socket();
	arm(SA_RESTART, ACCEPT);
	r = connect(c3, (struct sockaddr *)&a, sizeof(a));
	report("connect with SA_RESTART", r, errno);

	close(c);
	c = tcp_socket();
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	hits = 0;
	r = connect(c, (struct sockaddr *)&a, sizeof(a));
	report("connect, SO_SNDTIMEO 300 ms", r, errno);

	close(c);
	close(c2);
	close(c3);
	close(accepted);
	close(first);
	close(listener);
}


static void *late_sender(void *arg)
{
	(void)arg;
	usleep(300000);
	send(cli, "l", 1, 0);
	return NULL;
}

/* Bulk: BULK bytes of a known pattern from a thread over connection fd. */
#define BULK	(2 << 20)

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 7 + (i >> 11));
}

static void *bulk_sender(void *arg)
{
	static unsigned char buf[16384];
	int fd = (int)(intptr_t)arg;
	size_t off = 0;

	while (off < BULK) {
		size_t n = sizeof(buf), i;
		ssize_t w;

		for (i = 0; i < n; i++)
			buf[i] = pattern(off + i);
		w = send(fd, buf, n, 0);
		if (w <= 0)
			break;
		off += (size_t)w;
		if ((size_t)w < n)	/* the rest again, from off */
			continue;
	}
	shutdown(fd, SHUT_WR);
	return NULL;
}

/* Bytes that arrived in order and intact over a fresh connection. */
static long bulk(int srv)
{
	static unsigned char buf[8192];
	int out = socket(AF_INET, SOCK_STREAM, 0), in;
	size_t got = 0;
	pthread_t th;
	ssize_t r;

	if (out < 0 || connect(out, (struct sockaddr *)&srv_addr,
			       sizeof(srv_addr)))
		return -1;
	in = accept(srv, NULL, NULL);
	if (in < 0)
		return -2;
	pthread_create(&th, NULL, bulk_sender, (void *)(intptr_t)out);
	while ((r = recv(in, buf, sizeof(buf), 0)) > 0) {
		for (ssize_t i = 0; i < r; i++)
			if (buf[i] != pattern(got + (size_t)i))
				return -3;
		got += (size_t)r;
	}
	pthread_join(th, NULL);
	close(in);
	close(out);
	return (long)got;
}

int sockets_and_signals(const char *addr)
{
	struct sockaddr_in u = { .sin_family = AF_INET };
	struct timeval tv = { 5, 0 };
	struct timespec t0, t1;
	pthread_t th;
	int srv, udp;
	long r;
	char c;

	srv_addr.sin_family = AF_INET;
	srv_addr.sin_port = htons(7000);
	if (!inet_aton(addr, &srv_addr.sin_addr)) {
		printf("sockets: bad address '%s'\n", addr);
		return 2;
	}
	srv = tcp_socket();
	cli = tcp_socket();
	if (srv < 0 || cli < 0 ||
	    bind(srv, (struct sockaddr *)&srv_addr, sizeof(srv_addr)) ||
	    listen(srv, 4)) {
		printf("sockets: set-up failed: %s\n", strerror(errno));
		return 1;
	}

	arm(0, NOTHING);
	r = accept(srv, NULL, NULL);
	report("accept", r, errno);
	arm(SA_RESTART, CONNECT);
	conn = accept(srv, NULL, NULL);
	report("accept with SA_RESTART", conn, errno);
	if (conn < 0)
		return 1;

	arm(0, NOTHING);
	r = recv(conn, &c, 1, 0);
	report("recv", r, errno);
	arm(SA_RESTART, SEND);
	r = recv(conn, &c, 1, 0);
	report("recv with SA_RESTART", r, errno);
	arm(0, SEND);
	r = read(conn, &c, 1);
	report("read", r, errno);
	r = recv(conn, &c, 1, 0);		/* the handler's byte is there */
	printf("sockets: then recv: %ld '%c'\n", r, r == 1 ? c : '?');

	setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	arm(SA_RESTART, SEND);
	r = recv(conn, &c, 1, 0);
	report("recv with SO_RCVTIMEO and SA_RESTART", r, errno);
	recv(conn, &c, 1, 0);
	tv.tv_sec = 0;
	setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	signal(SIGALRM, SIG_IGN);
	hits = 0;
	pthread_create(&th, NULL, late_sender, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ualarm(100000, 0);
	r = recv(conn, &c, 1, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_join(th, NULL);
	report("recv, SIGALRM ignored", r, errno);
	printf("sockets: waited %ld ms for '%c'\n",
	       (long)((t1.tv_sec - t0.tv_sec) * 1000 +
		      (t1.tv_nsec - t0.tv_nsec) / 1000000), r == 1 ? c : '?');

	udp = socket(AF_INET, SOCK_DGRAM, 0);
	u.sin_addr = srv_addr.sin_addr;
	u.sin_port = htons(7001);
	bind(udp, (struct sockaddr *)&u, sizeof(u));
	arm(0, NOTHING);
	r = recvfrom(udp, &c, 1, 0, NULL, NULL);
	report("udp recvfrom", r, errno);

	sends();
	connects();
	printf("sockets: %ld of %d bytes arrived intact\n", bulk(srv), BULK);

	close(udp);
	close(conn);
	close(cli);
	close(srv);
	signal(SIGALRM, SIG_DFL);
	return 0;
}
