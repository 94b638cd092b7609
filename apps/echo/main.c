/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * echo: a TCP and UDP echo server written against plain BSD sockets,
 * POSIX threads and poll(); nothing here is Cairn-specific except the
 * count of open sockets in the log (cn_sockets_open).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int clients, served;

static void *serve(void *arg)
{
	int fd = (int)(intptr_t)arg;
	static __thread char buf[16384];
	ssize_t n, w, off;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += w) {
			w = write(fd, buf + off, (size_t)(n - off));
			if (w <= 0)
				goto out;
		}
	}
out:
	close(fd);
	pthread_mutex_lock(&lock);
	clients--;
	served++;
	printf("echo: connection closed (%u served, %u sockets open)\n",
	       served, cn_sockets_open());
	pthread_mutex_unlock(&lock);
	return NULL;
}

static int open_socket(int type, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_ANY) };
	int one = 1, fd = socket(AF_INET, type, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
				 sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    (type == SOCK_STREAM && listen(fd, 128))) {
		printf("echo: %s port %d: %s\n",
		       type == SOCK_STREAM ? "tcp" : "udp", port,
		       strerror(errno));
		exit(1);
	}
	return fd;
}

static void accept_one(int lfd)
{
	pthread_attr_t attr;
	pthread_t t;
	int one = 1, fd = accept(lfd, NULL, NULL);

	if (fd < 0) {
		printf("echo: accept: %s\n", strerror(errno));
		return;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 32768);
	pthread_mutex_lock(&lock);
	clients++;
	pthread_mutex_unlock(&lock);
	if (pthread_create(&t, &attr, serve, (void *)(intptr_t)fd)) {
		printf("echo: no thread for a connection; closed\n");
		close(fd);
		pthread_mutex_lock(&lock);
		clients--;
		pthread_mutex_unlock(&lock);
	}
}

static void echo_datagram(int ufd)
{
	static char buf[65536];
	struct sockaddr_in from;
	socklen_t len = sizeof(from);
	ssize_t n = recvfrom(ufd, buf, sizeof(buf), 0,
			     (struct sockaddr *)&from, &len);

	if (n >= 0)
		sendto(ufd, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 7;
	struct pollfd p[2];

	if (port < 1 || port > 65535) {
		printf("echo: usage: echo [PORT 1-65535]\n");
		return 1;
	}
	p[0] = (struct pollfd){ open_socket(SOCK_STREAM, port), POLLIN, 0 };
	p[1] = (struct pollfd){ open_socket(SOCK_DGRAM, port), POLLIN, 0 };
	printf("echo: listening on tcp and udp port %d\n", port);
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			printf("echo: poll: %s\n", strerror(errno));
			return 1;
		}
		if (p[0].revents & POLLIN)
			accept_one(p[0].fd);
		if (p[1].revents & POLLIN)
			echo_datagram(p[1].fd);
	}
}
