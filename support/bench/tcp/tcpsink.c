/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP benchmark server, the same source on both sides of make bench-tcp:
 * apps/bench-tcpsink links to it on Cairn (BSD sockets on lwIP), and the
 * Linux guest runs it built with gcc -O2 -static. The client is
 * support/bench/client.py on the host.
 *
 * One listening socket; connections are served one after the other in
 * the main thread (no thread per connection, so that neither side pays
 * for thread creation in the connection rate). Each connection starts
 * with one command line:
 *
 *   sink\n       read and discard until the client's shutdown(SHUT_WR),
 *                then answer "<bytes read>\n" (the client's timer stops
 *                on that answer, so every byte has reached this program)
 *   source N\n   write N bytes
 *   ping\n       answer "pong\n" (the connection-rate test)
 *   pingclose\n  answer "pong\n" and close at once
 *   quit\n       answer "bye\n", print the totals and exit 0 (once the
 *                client has closed)
 *
 * After answering, the server waits for the client to close and closes
 * only then, so the client holds TIME_WAIT (as an HTTP client closing
 * after its reply makes it), except after pingclose: there the server
 * closes first and holds TIME_WAIT (as an HTTP/1.0 server does). That
 * matters: a TIME_WAIT connection blocks its address and port pair for
 * 2 MSL, and a client that reuses the pair within it may not get
 * through (doc/bench/tcp.md).
 *
 * Usage: tcpsink [PORT [PORT2]]   (default 5001); prints "tcpsink:
 * listening on port PORT[ and PORT2]" once it accepts connections. Both
 * ports take every command; make bench-tcp runs the server-closes-first
 * test on the second, so that the client's own TIME_WAIT sockets from
 * the other tests (all on the first port) do not slow its connect().
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#define CMD_MAX 64

static char buf[65536];
static unsigned long long conns, sunk, sourced;

/*
 * Reads the command line into cmd (NUL-terminated, without the newline);
 * whatever followed the newline in the same reads is left at the start of
 * buf and its length returned through *extra. Returns 0, or -1 when the
 * peer closed or sent no newline within CMD_MAX bytes.
 */
static int read_command(int fd, char *cmd, size_t *extra)
{
	size_t have = 0;
	char *nl;
	ssize_t n;

	for (;;) {
		n = read(fd, buf + have, CMD_MAX - have);
		if (n <= 0)
			return -1;
		have += (size_t)n;
		nl = memchr(buf, '\n', have);
		if (nl)
			break;
		if (have == CMD_MAX)
			return -1;
	}
	*nl = '\0';
	strcpy(cmd, buf);
	*extra = have - (size_t)(nl + 1 - buf);
	memmove(buf, nl + 1, *extra);
	return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	ssize_t w;

	while (len) {
		w = write(fd, p, len);
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Waits for the client's FIN, so that the client closes first. */
static void drain(int fd)
{
	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static void sink(int fd, size_t extra)
{
	unsigned long long total = extra;
	char line[32];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += (unsigned long long)n;
	sunk += total;
	n = snprintf(line, sizeof(line), "%llu\n", total);
	write_all(fd, line, (size_t)n);
}

static void source(int fd, unsigned long long len)
{
	size_t chunk;

	memset(buf, 'x', sizeof(buf));
	while (len) {
		chunk = len < sizeof(buf) ? (size_t)len : sizeof(buf);
		if (write_all(fd, buf, chunk))
			return;
		len -= chunk;
		sourced += chunk;
	}
}

/* Returns 1 when the command was quit. */
static int serve(int fd)
{
	char cmd[CMD_MAX];
	size_t extra;

	if (read_command(fd, cmd, &extra))
		return 0;
	if (!strcmp(cmd, "sink")) {
		sink(fd, extra);
	} else if (!strncmp(cmd, "source ", 7)) {
		source(fd, strtoull(cmd + 7, NULL, 10));
	} else if (!strcmp(cmd, "ping")) {
		write_all(fd, "pong\n", 5);
	} else if (!strcmp(cmd, "pingclose")) {
		write_all(fd, "pong\n", 5);
		return 0;
	} else if (!strcmp(cmd, "quit")) {
		/* Drained too: the image powers off at exit, maybe before
		 * the answer left. */
		write_all(fd, "bye\n", 4);
		drain(fd);
		return 1;
	} else {
		write_all(fd, "?\n", 2);
	}
	drain(fd);
	return 0;
}

static int listen_on(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_ANY) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 64)) {
		printf("tcpsink: port %d: %s\n", port, strerror(errno));
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	struct pollfd p[2];
	int one = 1, n = argc > 2 ? 2 : 1, i, fd, quit = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < n; i++) {
		int port = argc > i + 1 ? atoi(argv[i + 1]) : 5001;

		if (port < 1 || port > 65535) {
			printf("tcpsink: usage: tcpsink [PORT [PORT2]] "
			       "(1-65535)\n");
			return 2;
		}
		p[i] = (struct pollfd){ listen_on(port), POLLIN, 0 };
		if (p[i].fd < 0)
			return 1;
	}
	printf("tcpsink: listening on port %s%s%s\n", argc > 1 ? argv[1] :
	       "5001", n > 1 ? " and " : "", n > 1 ? argv[2] : "");
	while (!quit) {
		if (poll(p, (nfds_t)n, -1) < 0) {
			printf("tcpsink: poll: %s\n", strerror(errno));
			return 1;
		}
		for (i = 0; i < n && !quit; i++) {
			if (!(p[i].revents & POLLIN))
				continue;
			fd = accept(p[i].fd, NULL, NULL);
			if (fd < 0) {
				printf("tcpsink: accept: %s\n", strerror(errno));
				return 1;
			}
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
				   sizeof(one));
			conns++;
			quit = serve(fd);
			close(fd);
		}
	}
	for (i = 0; i < n; i++)
		close(p[i].fd);
	printf("tcpsink: done: %llu connections, %llu bytes received, "
	       "%llu bytes sent\n", conns, sunk, sourced);
	return 0;
}
