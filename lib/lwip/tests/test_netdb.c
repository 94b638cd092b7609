/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-image tests of the calls a ported program expects beside sockets:
 * byte order and address functions as real functions, netdb (services,
 * protocols, getnameinfo, gethostbyaddr, gethostbyname_r), interfaces
 * (if_nameindex family, getifaddrs) and sendmmsg/recvmmsg over UDP on
 * 127.0.0.1. They need no NIC: tests/test_netdb.py runs them in the
 * posix test app, which has lwIP's loopback only.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cairn/test.h>

CN_TEST(lwip, byte_order_functions_have_addresses)
{
	uint32_t (*l)(uint32_t) = htonl, (*nl)(uint32_t) = ntohl;
	uint16_t (*s)(uint16_t) = htons, (*ns)(uint16_t) = ntohs;
	uint32_t x = htonl(0x0a000001);

	CN_EXPECT_EQ(l(0x01020304), 0x04030201);	/* both arches are LE */
	CN_EXPECT_EQ(nl(0x04030201), 0x01020304);
	CN_EXPECT_EQ(s(0x1234), 0x3412);
	CN_EXPECT_EQ(ns(0x3412), 0x1234);
	CN_EXPECT_EQ((htons)(80), htons(80));
	CN_EXPECT_EQ(((uint8_t *)&x)[0], 10);
	CN_EXPECT_EQ(((uint8_t *)&x)[3], 1);
}

CN_TEST(lwip, inet_aton_addr_ntoa)
{
	in_addr_t (*addr)(const char *) = inet_addr;
	int (*aton)(const char *, struct in_addr *) = inet_aton;
	char *(*ntoa)(struct in_addr) = inet_ntoa;
	struct in_addr in;

	CN_EXPECT_EQ(addr("10.1.2.3"), htonl(0x0a010203));
	CN_EXPECT_EQ(inet_addr("10.1.2.300"), INADDR_NONE);
	CN_EXPECT_EQ(inet_addr("example"), INADDR_NONE);
	CN_ASSERT_EQ(aton("10.1", &in), 1);	/* BSD's short forms */
	CN_EXPECT_EQ(in.s_addr, htonl(0x0a000001));
	CN_ASSERT_EQ(inet_aton("0x7f.1", &in), 1);
	CN_EXPECT_EQ(in.s_addr, htonl(0x7f000001));
	CN_EXPECT_EQ(inet_aton("1.2.3.256", &in), 0);
	CN_EXPECT_EQ(inet_aton("", &in), 0);
	in.s_addr = htonl(0xc0a80001);
	CN_EXPECT_STREQ(ntoa(in), "192.168.0.1");
	in.s_addr = htonl(0xffffffff);
	CN_EXPECT_STREQ(inet_ntoa(in), "255.255.255.255");
}

CN_TEST(lwip, services_from_the_table)
{
	struct servent *s;

	s = getservbyname("http", "tcp");
	CN_ASSERT_NOT_NULL(s);
	CN_EXPECT_STREQ(s->s_name, "http");
	CN_EXPECT_EQ(s->s_port, htons(80));
	CN_EXPECT_STREQ(s->s_proto, "tcp");
	CN_EXPECT_STREQ(s->s_aliases[0], "www");
	CN_EXPECT_NULL(s->s_aliases[1]);
	s = getservbyname("www", NULL);
	CN_ASSERT_NOT_NULL(s);
	CN_EXPECT_STREQ(s->s_name, "http");
	CN_EXPECT_NULL(getservbyname("http", "udp"));
	CN_EXPECT_NULL(getservbyname("http", "sctp"));
	CN_EXPECT_NULL(getservbyname("no-such-service", NULL));
	CN_EXPECT_NULL(getservbyname(NULL, NULL));
	s = getservbyname("ntp", NULL);
	CN_ASSERT_NOT_NULL(s);
	CN_EXPECT_EQ(s->s_port, htons(123));
	CN_EXPECT_STREQ(s->s_proto, "udp");
	CN_EXPECT_NULL(s->s_aliases[0]);
	s = getservbyname("domain", "udp");
	CN_ASSERT_NOT_NULL(s);
	CN_EXPECT_EQ(s->s_port, htons(53));
	CN_EXPECT_STREQ(s->s_proto, "udp");
	CN_ASSERT_NOT_NULL(getservbyname("ssh", "tcp"));
	CN_ASSERT_NOT_NULL(getservbyname("https", "tcp"));
	CN_ASSERT_NOT_NULL(getservbyname("ftp", "tcp"));
	CN_ASSERT_NOT_NULL(getservbyname("smtp", "tcp"));

	s = getservbyport(htons(22), "tcp");
	CN_ASSERT_NOT_NULL(s);
	CN_EXPECT_STREQ(s->s_name, "ssh");
	s = getservbyport(htons(443), NULL);
	CN_ASSERT_NOT_NULL(s);
	CN_EXPECT_STREQ(s->s_name, "https");
	CN_EXPECT_STREQ(s->s_proto, "tcp");
	CN_EXPECT_NULL(getservbyport(htons(123), "tcp"));
	CN_EXPECT_NULL(getservbyport(htons(1), NULL));
	CN_EXPECT_NULL(getservbyport(80, "tcp"));	/* host order: 20480 */
}

CN_TEST(lwip, protocols_from_the_table)
{
	static const struct { const char *name; int number; } want[] = {
		{ "ip", 0 }, { "icmp", 1 }, { "tcp", 6 }, { "udp", 17 },
		{ "ipv6", 41 }, { "ipv6-icmp", 58 },
	};
	struct protoent *p;
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		p = getprotobyname(want[i].name);
		CN_ASSERT_NOT_NULL(p);
		CN_EXPECT_EQ(p->p_proto, want[i].number);
		p = getprotobynumber(want[i].number);
		CN_ASSERT_NOT_NULL(p);
		CN_EXPECT_STREQ(p->p_name, want[i].name);
	}
	p = getprotobyname("UDP");
	CN_ASSERT_NOT_NULL(p);
	CN_EXPECT_STREQ(p->p_name, "udp");
	CN_EXPECT_STREQ(p->p_aliases[0], "UDP");
	p = getprotobyname("icmpv6");
	CN_ASSERT_NOT_NULL(p);
	CN_EXPECT_EQ(p->p_proto, 58);
	CN_EXPECT_NULL(getprotobyname("no-such-protocol"));
	CN_EXPECT_NULL(getprotobyname(NULL));
	CN_EXPECT_NULL(getprotobynumber(999));
	CN_EXPECT_NULL(getprotobynumber(-1));
}

static struct sockaddr_in sin4(uint32_t addr, uint16_t port)
{
	struct sockaddr_in in;

	memset(&in, 0, sizeof(in));
	in.sin_len = sizeof(in);
	in.sin_family = AF_INET;
	in.sin_addr.s_addr = htonl(addr);
	in.sin_port = htons(port);
	return in;
}

#define SA(x) ((const struct sockaddr *)&(x))

CN_TEST(lwip, getnameinfo_ipv4)
{
	struct sockaddr_in lo = sin4(0x7f000001, 80);
	struct sockaddr_in other = sin4(0x0a00020f, 53);
	char host[NI_MAXHOST], serv[NI_MAXSERV];

	CN_ASSERT_EQ(getnameinfo(SA(lo), sizeof(lo), host, sizeof(host), serv,
				 sizeof(serv), 0), 0);
	CN_EXPECT_STREQ(host, "localhost");
	CN_EXPECT_STREQ(serv, "http");
	CN_ASSERT_EQ(getnameinfo(SA(lo), sizeof(lo), host, sizeof(host), serv,
				 sizeof(serv), NI_NUMERICHOST |
				 NI_NUMERICSERV), 0);
	CN_EXPECT_STREQ(host, "127.0.0.1");
	CN_EXPECT_STREQ(serv, "80");
	CN_EXPECT_EQ(getnameinfo(SA(lo), sizeof(lo), host, sizeof(host), NULL,
				 0, NI_NAMEREQD), 0);
	CN_EXPECT_STREQ(host, "localhost");

	/* No reverse DNS: numeric, or EAI_NONAME when a name is required. */
	CN_ASSERT_EQ(getnameinfo(SA(other), sizeof(other), host, sizeof(host),
				 serv, sizeof(serv), NI_DGRAM), 0);
	CN_EXPECT_STREQ(host, "10.0.2.15");
	CN_EXPECT_STREQ(serv, "domain");
	CN_EXPECT_EQ(getnameinfo(SA(other), sizeof(other), host, sizeof(host),
				 serv, sizeof(serv), NI_NAMEREQD), EAI_NONAME);
	other.sin_port = htons(123);
	CN_ASSERT_EQ(getnameinfo(SA(other), sizeof(other), NULL, 0, serv,
				 sizeof(serv), 0), 0);
	CN_EXPECT_STREQ(serv, "123");		/* ntp is udp only */
	CN_ASSERT_EQ(getnameinfo(SA(other), sizeof(other), NULL, 0, serv,
				 sizeof(serv), NI_DGRAM), 0);
	CN_EXPECT_STREQ(serv, "ntp");
	other.sin_port = htons(40000);
	CN_ASSERT_EQ(getnameinfo(SA(other), sizeof(other), NULL, 0, serv,
				 sizeof(serv), 0), 0);
	CN_EXPECT_STREQ(serv, "40000");
}

CN_TEST(lwip, getnameinfo_errors)
{
	struct sockaddr_in lo = sin4(0x7f000001, 80);
	struct sockaddr_in other = sin4(0x0a00020f, 40000);
	struct sockaddr_in unix_sa = lo;
	char host[NI_MAXHOST], serv[NI_MAXSERV];

	CN_EXPECT_EQ(getnameinfo(SA(other), sizeof(other), host, 9, NULL, 0,
				 0), EAI_OVERFLOW);	/* "10.0.2.15" + NUL */
	CN_EXPECT_EQ(getnameinfo(SA(other), sizeof(other), host, 10, NULL, 0,
				 0), 0);
	CN_EXPECT_EQ(getnameinfo(SA(lo), sizeof(lo), host, 9, NULL, 0, 0),
		     EAI_OVERFLOW);			/* "localhost" */
	CN_EXPECT_EQ(getnameinfo(SA(lo), sizeof(lo), NULL, 0, serv, 4, 0),
		     EAI_OVERFLOW);			/* "http" */
	CN_EXPECT_EQ(getnameinfo(SA(other), sizeof(other), NULL, 0, serv, 5,
				 0), EAI_OVERFLOW);	/* "40000" */
	CN_EXPECT_EQ(getnameinfo(SA(lo), sizeof(lo), NULL, 0, NULL, 0, 0),
		     EAI_NONAME);
	CN_EXPECT_EQ(getnameinfo(SA(lo), sizeof(lo), host, sizeof(host), NULL,
				 0, 0x8000), EAI_BADFLAGS);
	CN_EXPECT_EQ(getnameinfo(NULL, sizeof(lo), host, sizeof(host), NULL,
				 0, 0), EAI_FAMILY);
	CN_EXPECT_EQ(getnameinfo(SA(lo), sizeof(lo) - 1, host, sizeof(host),
				 NULL, 0, 0), EAI_FAMILY);
	unix_sa.sin_family = AF_UNIX;
	CN_EXPECT_EQ(getnameinfo(SA(unix_sa), sizeof(unix_sa), host,
				 sizeof(host), NULL, 0, 0), EAI_FAMILY);
}

#if LWIP_IPV6
CN_TEST(lwip, getnameinfo_ipv6)
{
	struct sockaddr_in6 in6;
	char host[NI_MAXHOST], serv[NI_MAXSERV], name[IF_NAMESIZE];
	unsigned int lo_index = 0;
	struct if_nameindex *ifs = if_nameindex(), *i;

	CN_ASSERT_NOT_NULL(ifs);
	for (i = ifs; i->if_index; i++)
		if (!strncmp(i->if_name, "lo", 2))
			lo_index = i->if_index;
	if_freenameindex(ifs);
	CN_ASSERT_TRUE(lo_index != 0);

	memset(&in6, 0, sizeof(in6));
	in6.sin6_len = sizeof(in6);
	in6.sin6_family = AF_INET6;
	in6.sin6_port = htons(22);
	CN_ASSERT_EQ(inet_pton(AF_INET6, "::1", &in6.sin6_addr), 1);
	CN_ASSERT_EQ(getnameinfo(SA(in6), sizeof(in6), host, sizeof(host),
				 serv, sizeof(serv), 0), 0);
	CN_EXPECT_STREQ(host, "localhost");
	CN_EXPECT_STREQ(serv, "ssh");
	CN_ASSERT_EQ(getnameinfo(SA(in6), sizeof(in6), host, sizeof(host),
				 NULL, 0, NI_NUMERICHOST), 0);
	CN_EXPECT_STREQ(host, "::1");

	CN_ASSERT_EQ(inet_pton(AF_INET6, "fe80::1", &in6.sin6_addr), 1);
	CN_EXPECT_EQ(getnameinfo(SA(in6), sizeof(in6), host, sizeof(host),
				 NULL, 0, NI_NAMEREQD), EAI_NONAME);
	in6.sin6_scope_id = lo_index;
	CN_ASSERT_EQ(getnameinfo(SA(in6), sizeof(in6), host, sizeof(host),
				 NULL, 0, 0), 0);
	CN_ASSERT_NOT_NULL(if_indextoname(lo_index, name));
	CN_EXPECT_STREQ(strchr(host, '%') + 1, name);
	CN_ASSERT_EQ(getnameinfo(SA(in6), sizeof(in6), host, sizeof(host),
				 NULL, 0, NI_NUMERICSCOPE), 0);
	CN_EXPECT_EQ(strtoul(strchr(host, '%') + 1, NULL, 10), lo_index);
	CN_EXPECT_EQ(getnameinfo(SA(in6), sizeof(in6), host, 9, NULL, 0, 0),
		     EAI_OVERFLOW);		/* "fe80::1%" fits, not more */
	CN_EXPECT_EQ(getnameinfo(SA(in6), sizeof(in6) - 1, host, sizeof(host),
				 NULL, 0, 0), EAI_FAMILY);
}
#else
CN_TEST(lwip, getnameinfo_ipv6_is_eai_family_without_ipv6)
{
	struct sockaddr_in lo = sin4(0x7f000001, 80);
	char host[NI_MAXHOST];
	char big[64];

	memset(big, 0, sizeof(big));
	memcpy(big, &lo, sizeof(lo));
	((struct sockaddr *)big)->sa_family = AF_INET6;
	CN_EXPECT_EQ(getnameinfo((struct sockaddr *)big, sizeof(big), host,
				 sizeof(host), NULL, 0, 0), EAI_FAMILY);
}
#endif

CN_TEST(lwip, gethostbyaddr_names_loopback_only)
{
	uint32_t lo = htonl(0x7f000001), lo2 = htonl(0x7f000102);
	uint32_t other = htonl(0x0a00020f);
	struct hostent *h;

	h = gethostbyaddr(&lo, 4, AF_INET);
	CN_ASSERT_NOT_NULL(h);
	CN_EXPECT_STREQ(h->h_name, "localhost");
	CN_EXPECT_EQ(h->h_addrtype, AF_INET);
	CN_EXPECT_EQ(h->h_length, 4);
	CN_ASSERT_NOT_NULL(h->h_addr_list[0]);
	CN_EXPECT_EQ(memcmp(h->h_addr_list[0], &lo, 4), 0);
	CN_EXPECT_NULL(h->h_addr_list[1]);
	CN_EXPECT_NULL(h->h_aliases[0]);
	CN_EXPECT_NOT_NULL(gethostbyaddr(&lo2, 4, AF_INET));

	h_errno = 0;
	CN_EXPECT_NULL(gethostbyaddr(&other, 4, AF_INET));
	CN_EXPECT_EQ(h_errno, HOST_NOT_FOUND);
	errno = 0;
	CN_EXPECT_NULL(gethostbyaddr(&lo, 3, AF_INET));
	CN_EXPECT_EQ(h_errno, NETDB_INTERNAL);
	CN_EXPECT_EQ(errno, EINVAL);
	errno = 0;
	CN_EXPECT_NULL(gethostbyaddr(&lo, 4, 12345));
	CN_EXPECT_EQ(errno, EAFNOSUPPORT);
#if LWIP_IPV6
	{
		uint8_t lo6[16] = { [15] = 1 };

		h = gethostbyaddr(lo6, 16, AF_INET6);
		CN_ASSERT_NOT_NULL(h);
		CN_EXPECT_STREQ(h->h_name, "localhost");
		CN_EXPECT_EQ(h->h_length, 16);
		lo6[0] = 0xfe;
		CN_EXPECT_NULL(gethostbyaddr(lo6, 16, AF_INET6));
	}
#endif
}

CN_TEST(lwip, gethostbyname_r)
{
	struct hostent h, *res = &h;
	char buf[256];
	int herr = 0;

	CN_ASSERT_EQ(gethostbyname_r("10.1.2.3", &h, buf, sizeof(buf), &res,
				     &herr), 0);
	CN_ASSERT_TRUE(res == &h);
	CN_EXPECT_STREQ(h.h_name, "10.1.2.3");
	CN_EXPECT_EQ(h.h_addrtype, AF_INET);
	CN_EXPECT_EQ(h.h_length, 4);
	CN_EXPECT_EQ(*(uint32_t *)h.h_addr_list[0], htonl(0x0a010203));
	CN_EXPECT_NULL(h.h_addr_list[1]);
	CN_EXPECT_NULL(h.h_aliases[0]);
	CN_EXPECT_TRUE(h.h_name >= buf && h.h_name < buf + sizeof(buf));

	CN_ASSERT_EQ(gethostbyname_r("localhost", &h, buf + 1, 200, &res,
				     &herr), 0);
	CN_EXPECT_EQ(*(uint32_t *)h.h_addr_list[0], htonl(0x7f000001));

	/* Too short: ERANGE, and the caller tries a larger buffer. */
	res = &h;
	CN_EXPECT_EQ(gethostbyname_r("10.1.2.3", &h, buf, 16, &res, &herr),
		     ERANGE);
	CN_EXPECT_NULL(res);
	CN_EXPECT_EQ(herr, NETDB_INTERNAL);
	CN_EXPECT_EQ(gethostbyname_r(NULL, &h, buf, sizeof(buf), &res,
				     &herr), EINVAL);
	/* No DNS server in this image: not found, quickly. */
	res = &h;
	CN_EXPECT_EQ(gethostbyname_r("no-such-host.invalid", &h, buf,
				     sizeof(buf), &res, &herr), ENOENT);
	CN_EXPECT_NULL(res);
	CN_EXPECT_EQ(herr, HOST_NOT_FOUND);
}

CN_TEST(lwip, interface_names_and_indexes)
{
	struct if_nameindex *ifs, *i;
	char name[IF_NAMESIZE];
	int n = 0, lo = 0;

	ifs = if_nameindex();
	CN_ASSERT_NOT_NULL(ifs);
	for (i = ifs; i->if_index; i++, n++) {
		CN_EXPECT_EQ(if_nametoindex(i->if_name), i->if_index);
		CN_ASSERT_NOT_NULL(if_indextoname(i->if_index, name));
		CN_EXPECT_STREQ(name, i->if_name);
		if (i != ifs)
			CN_EXPECT_GT(i->if_index, i[-1].if_index);
		if (!strncmp(i->if_name, "lo", 2))
			lo++;
	}
	CN_EXPECT_NULL(i->if_name);
	CN_EXPECT_GE(n, 1);
	CN_EXPECT_EQ(lo, 1);
	if_freenameindex(ifs);

	errno = 0;
	CN_EXPECT_EQ(if_nametoindex("nosuch0"), 0);
	CN_EXPECT_EQ(errno, ENODEV);
	CN_EXPECT_EQ(if_nametoindex("lo"), 0);	/* the number is the name */
	CN_EXPECT_EQ(if_nametoindex(NULL), 0);
	errno = 0;
	CN_EXPECT_NULL(if_indextoname(0, name));
	CN_EXPECT_EQ(errno, ENXIO);
	errno = 0;
	CN_EXPECT_NULL(if_indextoname(200, name));
	CN_EXPECT_EQ(errno, ENXIO);
	CN_EXPECT_NULL(if_indextoname(1u << 20, name));
}

CN_TEST(lwip, getifaddrs_lists_loopback)
{
	struct ifaddrs *list, *a;
	const struct sockaddr_in *in, *mask;
	int seen4 = 0, seen6 = 0;

	CN_ASSERT_EQ(getifaddrs(&list), 0);
	for (a = list; a; a = a->ifa_next) {
		CN_ASSERT_NOT_NULL(a->ifa_name);
		CN_EXPECT_NE(if_nametoindex(a->ifa_name), 0);
		if (!a->ifa_addr)
			continue;
		if (a->ifa_addr->sa_family == AF_INET6 &&
		    (a->ifa_flags & IFF_LOOPBACK))
			seen6++;
		if (a->ifa_addr->sa_family != AF_INET)
			continue;
		in = (const void *)a->ifa_addr;
		mask = (const void *)a->ifa_netmask;
		CN_ASSERT_NOT_NULL(mask);
		if (in->sin_addr.s_addr != htonl(0x7f000001))
			continue;
		seen4++;
		CN_EXPECT_EQ(strncmp(a->ifa_name, "lo", 2), 0);
		CN_EXPECT_EQ(a->ifa_flags & (IFF_UP | IFF_RUNNING |
					     IFF_LOOPBACK),
			     IFF_UP | IFF_RUNNING | IFF_LOOPBACK);
		CN_EXPECT_EQ(mask->sin_addr.s_addr, htonl(0xff000000));
		CN_EXPECT_EQ(mask->sin_family, AF_INET);
	}
	freeifaddrs(list);
	CN_EXPECT_EQ(seen4, 1);
	CN_EXPECT_EQ(seen6, LWIP_IPV6 ? 1 : 0);	/* ::1 */
	errno = 0;
	CN_EXPECT_EQ(getifaddrs(NULL), -1);
	CN_EXPECT_EQ(errno, EINVAL);
}

/* A UDP socket on 127.0.0.1 at an ephemeral port, written to *at. */
static int udp_bound(struct sockaddr_in *at)
{
	socklen_t len = sizeof(*at);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	*at = sin4(0x7f000001, 0);
	if (fd < 0 || bind(fd, SA(*at), sizeof(*at)) ||
	    getsockname(fd, (struct sockaddr *)at, &len))
		return -1;
	return fd;
}

struct msgs {
	struct mmsghdr v[4];
	struct iovec iov[4];
	char buf[4][16];
};

static void msgs_init(struct msgs *m, struct sockaddr_in *to)
{
	int i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < 4; i++) {
		m->iov[i].iov_base = m->buf[i];
		m->iov[i].iov_len = sizeof(m->buf[i]);
		m->v[i].msg_hdr.msg_iov = &m->iov[i];
		m->v[i].msg_hdr.msg_iovlen = 1;
		m->v[i].msg_hdr.msg_name = to;
		m->v[i].msg_hdr.msg_namelen = to ? sizeof(*to) : 0;
		m->v[i].msg_len = 9999;
	}
}

static void msgs_fill(struct msgs *m, const char *const *text, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		strcpy(m->buf[i], text[i]);
		m->iov[i].iov_len = strlen(text[i]);
	}
}

CN_TEST(lwip, sendmmsg_and_recvmmsg_waitforone)
{
	static const char *const text[] = { "a", "bb", "ccc" };
	struct sockaddr_in at, from;
	struct msgs out, in;
	int rx = udp_bound(&at), tx = udp_bound(&from), i, n, got;

	CN_ASSERT_TRUE(rx >= 0 && tx >= 0);
	msgs_init(&out, &at);
	msgs_fill(&out, text, 3);
	CN_ASSERT_EQ(sendmmsg(tx, out.v, 3, 0), 3);
	for (i = 0; i < 3; i++)
		CN_EXPECT_EQ(out.v[i].msg_len, i + 1);
	CN_EXPECT_EQ(out.v[3].msg_len, 9999);	/* not sent, not touched */

	/*
	 * The fourth would block: MSG_WAITFORONE ends the call there. With
	 * SMP lwIP's thread may not have delivered all three yet (loopback
	 * goes through it, on another CPU): a call then returns those that
	 * are there, and the next the rest; never more than were sent.
	 */
	msgs_init(&in, NULL);
	for (got = 0; got < 3; got += n) {
		n = recvmmsg(rx, in.v + got, 4 - (unsigned int)got,
			     MSG_WAITFORONE, NULL);
		CN_ASSERT_TRUE(n >= 1 && n <= 3 - got);
	}
	for (i = 0; i < 3; i++) {
		CN_EXPECT_EQ(in.v[i].msg_len, i + 1);
		CN_EXPECT_EQ(memcmp(in.buf[i], text[i], (size_t)i + 1), 0);
	}
	CN_EXPECT_EQ(in.v[3].msg_len, 9999);
	errno = 0;
	CN_EXPECT_EQ(recvmmsg(rx, in.v, 4, MSG_DONTWAIT, NULL), -1);
	CN_EXPECT_EQ(errno, EAGAIN);
	CN_EXPECT_EQ(sendmmsg(tx, out.v, 0, 0), 0);
	close(rx);
	close(tx);
}

CN_TEST(lwip, recvmmsg_timeout)
{
	static const char *const text[] = { "one", "two", "three" };
	struct sockaddr_in at, from;
	struct msgs out, in;
	struct timespec t = { 5, 0 };
	int rx = udp_bound(&at), tx = udp_bound(&from);

	CN_ASSERT_TRUE(rx >= 0 && tx >= 0);
	msgs_init(&out, &at);
	msgs_fill(&out, text, 3);
	CN_ASSERT_EQ(sendmmsg(tx, out.v, 2, 0), 2);
	msgs_init(&in, NULL);
	/* Two wanted, two there: the timeout is what was left of it. */
	CN_ASSERT_EQ(recvmmsg(rx, in.v, 2, 0, &t), 2);
	CN_EXPECT_TRUE(t.tv_sec < 5 || t.tv_nsec == 0);
	CN_EXPECT_TRUE(t.tv_sec >= 4);
	/* Checked after each message: 1 ns is up after the first. */
	CN_ASSERT_EQ(sendmmsg(tx, out.v, 2, 0), 2);
	t.tv_sec = 0;
	t.tv_nsec = 1;
	CN_ASSERT_EQ(recvmmsg(rx, in.v, 4, 0, &t), 1);
	CN_EXPECT_EQ(t.tv_sec, 0);
	CN_EXPECT_EQ(t.tv_nsec, 0);
	/*
	 * The second is delivered by lwIP's thread (loopback is a queue
	 * it polls), with SMP possibly on another CPU still: wait for it.
	 */
	t.tv_sec = 5;
	CN_EXPECT_EQ(recvmmsg(rx, in.v, 4, MSG_WAITFORONE, &t), 1);
	CN_EXPECT_EQ(in.v[0].msg_len, 3);
	CN_EXPECT_EQ(memcmp(in.buf[0], "two", 3), 0);

	t.tv_nsec = 1000000000;
	errno = 0;
	CN_EXPECT_EQ(recvmmsg(rx, in.v, 1, 0, &t), -1);
	CN_EXPECT_EQ(errno, EINVAL);
	t.tv_sec = -1;
	t.tv_nsec = 0;
	CN_EXPECT_EQ(recvmmsg(rx, in.v, 1, 0, &t), -1);
	close(rx);
	close(tx);
}

CN_TEST(lwip, mmsg_errors)
{
	struct sockaddr_in at, from;
	struct msgs m;
	int rx = udp_bound(&at), tx = udp_bound(&from);

	CN_ASSERT_TRUE(rx >= 0 && tx >= 0);
	msgs_init(&m, &at);
	errno = 0;
	CN_EXPECT_EQ(sendmmsg(-1, m.v, 1, 0), -1);
	CN_EXPECT_EQ(errno, EBADF);
	errno = 0;
	CN_EXPECT_EQ(recvmmsg(-1, m.v, 1, 0, NULL), -1);
	CN_EXPECT_EQ(errno, EBADF);
	errno = 0;
	CN_EXPECT_EQ(sendmmsg(-1, m.v, 0, 0), -1);	/* none, fd checked */
	CN_EXPECT_EQ(errno, EBADF);
	errno = 0;
	CN_EXPECT_EQ(recvmmsg(-1, m.v, 0, 0, NULL), -1);
	CN_EXPECT_EQ(errno, EBADF);
	CN_EXPECT_EQ(recvmmsg(rx, m.v, 0, 0, NULL), 0);
	errno = 0;
	CN_EXPECT_EQ(sendmmsg(tx, NULL, 1, 0), -1);
	CN_EXPECT_EQ(errno, EFAULT);
	/* The second has no address on an unconnected socket: the first
	 * went, so the count wins over the error. */
	m.v[1].msg_hdr.msg_name = NULL;
	m.v[1].msg_hdr.msg_namelen = 0;
	CN_EXPECT_EQ(sendmmsg(tx, m.v, 3, 0), 1);
	errno = 0;
	CN_EXPECT_EQ(sendmmsg(tx, m.v + 1, 2, 0), -1);
	CN_EXPECT_NE(errno, 0);
	close(rx);
	close(tx);
}

/*
 * lwIP's cyclic timers (IPv4 and IPv6 reassembly, neighbour discovery,
 * TCP, ARP) fire for a few seconds: with IPv6 on a 64-bit target the
 * reassembly timer asserted on its first tick, one second after boot,
 * until lwipopts.h set IPV6_FRAG_COPYHEADER.
 */
CN_TEST(lwip, the_stack_s_timers_tick_for_seconds)
{
	struct timespec ts = { 3, 0 };

	CN_EXPECT_EQ(nanosleep(&ts, NULL), 0);
}
