/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP over IPv6 on ::1 (lwIP's loop interface): a listener on an
 * ephemeral port, a connection whose ends read their addresses back as
 * ::1, and 256 KiB echoed through it by a thread, with every byte
 * checked. Built with LIB_LWIP_IPV6 only (tests/test_netdb.py).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cairn/sched.h>
#include <cairn/test.h>

#ifdef CONFIG_LIB_LWIP_IPV6
#define ECHOED	(256 * 1024)

static unsigned char byte_at(size_t at)
{
	return (unsigned char)(at * 13 + at / 509);
}

/* Echoes what the connection brings until its end; returns the count. */
static void *echo6(void *arg)
{
	int fd = (int)(intptr_t)arg;
	unsigned char buf[2048];
	size_t total = 0;
	ssize_t n, w, off;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += w) {
			w = write(fd, buf + off, (size_t)(n - off));
			if (w <= 0)
				return (void *)(intptr_t)-1;
		}
		total += (size_t)n;
	}
	shutdown(fd, SHUT_WR);
	return (void *)(intptr_t)total;
}

/* Writes ECHOED bytes, half-closes; a thread of its own. */
static void *send6(void *arg)
{
	int fd = (int)(intptr_t)arg;
	unsigned char buf[3000];
	size_t sent = 0, i, len;
	ssize_t n;

	while (sent < ECHOED) {
		len = ECHOED - sent < sizeof(buf) ? ECHOED - sent : sizeof(buf);
		for (i = 0; i < len; i++)
			buf[i] = byte_at(sent + i);
		n = write(fd, buf, len);
		if (n <= 0)
			return (void *)(intptr_t)-1;
		sent += (size_t)n;
	}
	shutdown(fd, SHUT_WR);
	return (void *)(intptr_t)sent;
}

CN_TEST(lwip, tcp_over_ipv6_loopback_echoes_every_byte)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in6 peer;
	socklen_t len = sizeof(sin6);
	char text[INET6_ADDRSTRLEN];
	unsigned char buf[4096];
	size_t got = 0, bad = 0, i;
	struct cn_thread *server, *sender;
	void *echoed = NULL, *sent = NULL;
	int lfd, cfd, sfd;
	ssize_t n;

	lfd = socket(AF_INET6, SOCK_STREAM, 0);
	CN_ASSERT_GE(lfd, 0);
	CN_ASSERT_EQ(bind(lfd, (struct sockaddr *)&sin6, sizeof(sin6)), 0);
	CN_ASSERT_EQ(listen(lfd, 1), 0);
	CN_ASSERT_EQ(getsockname(lfd, (struct sockaddr *)&sin6, &len), 0);
	CN_ASSERT_NE(sin6.sin6_port, 0);
	cfd = socket(AF_INET6, SOCK_STREAM, 0);
	CN_ASSERT_GE(cfd, 0);
	CN_ASSERT_EQ(connect(cfd, (struct sockaddr *)&sin6, sizeof(sin6)), 0);
	len = sizeof(peer);
	sfd = accept(lfd, (struct sockaddr *)&peer, &len);
	CN_ASSERT_GE(sfd, 0);
	CN_EXPECT_EQ(peer.sin6_family, AF_INET6);
	CN_EXPECT_NOT_NULL(inet_ntop(AF_INET6, &peer.sin6_addr, text,
				     sizeof(text)));
	CN_EXPECT_STREQ(text, "::1");
	CN_ASSERT_EQ(cn_thread_create(&server, &(struct cn_thread_attr){
		.name = "echo6" }, echo6, (void *)(intptr_t)sfd), 0);
	CN_ASSERT_EQ(cn_thread_create(&sender, &(struct cn_thread_attr){
		.name = "send6" }, send6, (void *)(intptr_t)cfd), 0);
	while ((n = read(cfd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < (size_t)n; i++)
			bad += buf[i] != byte_at(got + i);
		got += (size_t)n;
	}
	CN_ASSERT_EQ(cn_thread_join(sender, &sent), 0);
	CN_ASSERT_EQ(cn_thread_join(server, &echoed), 0);
	close(sfd);
	close(cfd);
	close(lfd);
	CN_EXPECT_EQ(n, 0);
	CN_EXPECT_EQ((intptr_t)sent, ECHOED);
	CN_EXPECT_EQ((intptr_t)echoed, ECHOED);
	CN_EXPECT_EQ(got, ECHOED);
	CN_EXPECT_EQ(bad, 0);
}
#endif
