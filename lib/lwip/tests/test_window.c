/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A whole receive window waiting for a slow reader, over TCP on
 * 127.0.0.1: lwIP keeps what it has acknowledged in the connection's
 * mailbox until the application reads it, and drops the segments that
 * come after a full mailbox. The mailbox must therefore hold a window of
 * full-sized segments, whatever CONFIG_LIB_LWIP_TCP_WND is
 * (tests/test_netdb.py builds this with a 512 KiB window: 360 segments).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cairn/lwip_stats.h>
#include <cairn/sched.h>
#include <cairn/test.h>

#define TOTAL	((size_t)CONFIG_LIB_LWIP_TCP_WND + 65536)

static unsigned char pattern(size_t at)
{
	return (unsigned char)(at * 7 + at / 251);
}

static void *writer(void *arg)
{
	int fd = (int)(intptr_t)arg;
	unsigned char buf[4096];
	size_t sent = 0, i;
	ssize_t n;

	while (sent < TOTAL) {
		size_t len = TOTAL - sent < sizeof(buf) ? TOTAL - sent :
			     sizeof(buf);

		for (i = 0; i < len; i++)
			buf[i] = pattern(sent + i);
		n = write(fd, buf, len);
		if (n <= 0)
			return (void *)(intptr_t)-errno;
		sent += (size_t)n;
	}
	shutdown(fd, SHUT_WR);
	return (void *)(intptr_t)sent;
}

CN_TEST(lwip, a_full_window_waits_for_a_slow_reader_without_drops)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	struct timespec pause = { 0, 300 * 1000 * 1000 };
	struct cn_lwip_stats before, after;
	unsigned char buf[4096];
	size_t got = 0, bad = 0, i;
	struct cn_thread *t;
	void *sent = NULL;
	int lfd, cfd, sfd;
	ssize_t n;

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	CN_ASSERT_GE(lfd, 0);
	CN_ASSERT_EQ(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	CN_ASSERT_EQ(listen(lfd, 1), 0);
	CN_ASSERT_EQ(getsockname(lfd, (struct sockaddr *)&sin, &len), 0);
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	CN_ASSERT_GE(cfd, 0);
	CN_ASSERT_EQ(connect(cfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	sfd = accept(lfd, NULL, NULL);
	CN_ASSERT_GE(sfd, 0);
	cn_lwip_stats_read(&before);
	CN_ASSERT_EQ(cn_thread_create(&t, &(struct cn_thread_attr){
		.name = "tcp-writer" }, writer, (void *)(intptr_t)cfd), 0);
	nanosleep(&pause, NULL);	/* the window fills, unread */
	while ((n = read(sfd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < (size_t)n; i++)
			bad += buf[i] != pattern(got + i);
		got += (size_t)n;
	}
	CN_ASSERT_EQ(cn_thread_join(t, &sent), 0);
	cn_lwip_stats_read(&after);
	close(sfd);
	close(cfd);
	close(lfd);
	CN_EXPECT_EQ(n, 0);
	CN_EXPECT_EQ((intptr_t)sent, (intptr_t)TOTAL);
	CN_EXPECT_EQ(got, TOTAL);
	CN_EXPECT_EQ(bad, 0);
	/* Segments lwIP dropped for a full mailbox, and their resends */
	CN_EXPECT_EQ(after.tcp_drops - before.tcp_drops, 0);
	CN_EXPECT_EQ(after.tcp_retrans - before.tcp_retrans, 0);
}
