/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Linux guest's side of make bench-http: starts the web servers that
 * Cairn's httpd is compared with, waits until they accept connections
 * and says so on the console, then stays until the guest is stopped.
 *
 *   busybox httpd -f -p 80 -h /www                       always
 *   nginx -e /tmp/nginx-error.log -c /etc/nginx/nginx.conf   on port 8080,
 *                                                        if it was packed
 *   lighttpd -D -f /etc/lighttpd/lighttpd.conf           on port 8081,
 *                                                        if it was packed
 *
 * /www/bench.html, the servers, their libraries and configurations come
 * from the second archive bench.py appends to the guest's initramfs.
 * Prints "httpserve: ready busybox=80 nginx=8080 lighttpd=8081" (none
 * for a server that is not there, failed with its error log for one that
 * did not start).
 *
 * Build: gcc -O2 -static -o httpserve httpserve.c
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct server {
	const char *name, *port_text, *log;
	int port;
	char *argv[6];
	pid_t pid;
	const char *state;
};

static pid_t start(char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		execv(argv[0], argv);
		printf("httpserve: cannot run %s: %s\n", argv[0],
		       strerror(errno));
		_exit(127);
	}
	return pid;
}

static int accepts(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((unsigned short)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

/* Waits (at most 30 s) for port to accept; 0 when it does. */
static int wait_port(int port, pid_t pid)
{
	struct timespec ten_ms = { 0, 10 * 1000 * 1000 };
	int i;

	for (i = 0; i < 3000; i++) {
		if (accepts(port))
			return 0;
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return -1;
		nanosleep(&ten_ms, NULL);
	}
	return -1;
}

static void show_file(const char *path)
{
	char buf[512];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
}

static struct server servers[] = {
	{ "nginx", "8080", "/tmp/nginx-error.log", 8080,
	  { "/usr/sbin/nginx", "-e", "/tmp/nginx-error.log", "-c",
	    "/etc/nginx/nginx.conf", NULL } },
	{ "lighttpd", "8081", "/tmp/lighttpd-error.log", 8081,
	  { "/usr/sbin/lighttpd", "-D", "-f", "/etc/lighttpd/lighttpd.conf",
	    NULL } },
};

#define NSERVERS (sizeof(servers) / sizeof(servers[0]))

int main(void)
{
	char *busybox[] = { "/bin/busybox", "httpd", "-f", "-p", "80",
			    "-h", "/www", NULL };
	pid_t bb;
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	bb = start(busybox);
	for (i = 0; i < NSERVERS; i++) {
		servers[i].state = "none";
		servers[i].pid = -1;
		if (access(servers[i].argv[0], X_OK) == 0)
			servers[i].pid = start(servers[i].argv);
	}
	if (wait_port(80, bb)) {
		printf("httpserve: busybox httpd does not answer on port 80\n");
		return 1;
	}
	for (i = 0; i < NSERVERS; i++) {
		if (servers[i].pid <= 0)
			continue;
		servers[i].state = servers[i].port_text;
		if (wait_port(servers[i].port, servers[i].pid)) {
			servers[i].state = "failed";
			show_file(servers[i].log);
		}
	}
	printf("httpserve: ready busybox=80");
	for (i = 0; i < NSERVERS; i++)
		printf(" %s=%s", servers[i].name, servers[i].state);
	printf("\n");
	while (wait(NULL) > 0 || errno == EINTR)
		;
	printf("httpserve: every server exited\n");
	return 1;
}
