/* SPDX-License-Identifier: BSD-3-Clause */
/* netclient: outbound connections, name resolution and errno checks. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

static int failures;

static void check(const char *what, int ok, int err)
{
	printf("netclient: %s %s (%s)\n", ok ? "ok" : "FAIL", what,
	       err ? strerror(err) : "no error");
	failures += !ok;
}

static struct sockaddr_in addr_of(const char *host, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port) };

	if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
		printf("netclient: bad address %s\n", host);
		exit(1);
	}
	return a;
}

static int do_connect(const char *host, int port, const char *msg)
{
	struct sockaddr_in a = addr_of(host, port);
	char buf[256];
	ssize_t n, got = 0;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		printf("netclient: connect %s:%d: %s\n", host, port,
		       strerror(errno));
		return 1;
	}
	if (write(fd, msg, strlen(msg)) != (ssize_t)strlen(msg)) {
		printf("netclient: write: %s\n", strerror(errno));
		return 1;
	}
	shutdown(fd, SHUT_WR);
	while ((n = read(fd, buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
		got += n;
	buf[got] = 0;
	printf("netclient: reply \"%s\"\n", buf);
	close(fd);
	return 0;
}

static int do_resolve(const char *name)
{
	struct addrinfo hints = { .ai_family = AF_INET,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *res;
	char ip[16];
	int rc = getaddrinfo(name, "80", &hints, &res);

	if (rc) {
		printf("netclient: resolve %s: error %d (%s)\n", name, rc,
		       gai_strerror(rc));
		return 0;
	}
	inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr,
		  ip, sizeof(ip));
	printf("netclient: resolve %s: %s\n", name, ip);
	freeaddrinfo(res);
	return 0;
}

static int do_errors(int closed_port)
{
	struct sockaddr_in gw = addr_of("10.0.2.2", closed_port);
	struct sockaddr_in any = { .sin_family = AF_INET,
				   .sin_port = htons(5555) };
	struct timeval tv = { 0, 200000 };
	struct pollfd p;
	char c;
	int a, b, u, r, e, fl;

	a = socket(AF_INET, SOCK_STREAM, 0);
	r = connect(a, (struct sockaddr *)&gw, sizeof(gw));
	e = errno;
	check("connect to a closed port is ECONNREFUSED", r == -1 &&
	      e == ECONNREFUSED, e);
	close(a);

	a = socket(AF_INET, SOCK_STREAM, 0);
	b = socket(AF_INET, SOCK_STREAM, 0);
	check("bind", bind(a, (struct sockaddr *)&any, sizeof(any)) == 0, 0);
	r = bind(b, (struct sockaddr *)&any, sizeof(any));
	e = errno;
	check("second bind is EADDRINUSE", r == -1 && e == EADDRINUSE, e);
	close(b);
	listen(a, 4);
	fl = fcntl(a, F_GETFL);
	check("F_SETFL O_NONBLOCK", fcntl(a, F_SETFL, fl | O_NONBLOCK) == 0, 0);
	r = accept(a, NULL, NULL);
	e = errno;
	check("non-blocking accept is EAGAIN", r == -1 && e == EAGAIN, e);
	p = (struct pollfd){ a, POLLIN, 0 };
	check("poll on an idle listener times out", poll(&p, 1, 50) == 0, 0);
	close(a);

	u = socket(AF_INET, SOCK_DGRAM, 0);
	setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	r = (int)recv(u, &c, 1, 0);
	e = errno;
	check("recv past SO_RCVTIMEO is EAGAIN", r == -1 && e == EAGAIN, e);
	close(u);

	r = (int)send(0, "x", 1, 0);
	e = errno;
	check("send on the console is ENOTSOCK", r == -1 && e == ENOTSOCK, e);
	r = close(a);
	e = errno;
	check("close twice is EBADF", r == -1 && e == EBADF, e);
	check("no socket left open", cn_sockets_open() == 0, 0);
	return failures != 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "connect") == 0 && argc == 5)
		return do_connect(argv[2], atoi(argv[3]), argv[4]);
	if (strcmp(mode, "resolve") == 0 && argc == 3)
		return do_resolve(argv[2]);
	if (strcmp(mode, "errors") == 0 && argc == 3)
		return do_errors(atoi(argv[2]));
	printf("netclient: usage: netclient connect HOST PORT MSG | "
	       "resolve NAME | errors PORT\n");
	return 1;
}
