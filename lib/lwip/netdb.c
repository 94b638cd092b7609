/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The rest of <netdb.h> beside getaddrinfo (inet.c): getnameinfo,
 * gethostbyaddr, gethostbyname_r, services and protocols.
 *
 * An image has no /etc/hosts, /etc/services or /etc/protocols and lwIP
 * no reverse DNS. Instead: the loopback addresses are "localhost" (what
 * every Linux /etc/hosts says), any other address has no name; services
 * and protocols come from the tables below, the common entries of
 * Debian's files, with the same names and aliases.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <net/if.h>
#include "lwip/api.h"

#if !LWIP_DNS
int h_errno;				/* lwIP's netdb.c defines it */
#endif

#define TCP	1
#define UDP	2

static const struct service {
	const char *name, *alias;
	uint16_t port;
	uint8_t protos;
} services[] = {
	{ "echo", NULL, 7, TCP | UDP },
	{ "discard", "sink", 9, TCP | UDP },
	{ "daytime", NULL, 13, TCP | UDP },
	{ "ftp-data", NULL, 20, TCP },
	{ "ftp", NULL, 21, TCP },
	{ "ssh", NULL, 22, TCP },
	{ "telnet", NULL, 23, TCP },
	{ "smtp", "mail", 25, TCP },
	{ "time", NULL, 37, TCP | UDP },
	{ "whois", "nicname", 43, TCP },
	{ "domain", NULL, 53, TCP | UDP },
	{ "bootps", NULL, 67, UDP },
	{ "bootpc", NULL, 68, UDP },
	{ "tftp", NULL, 69, UDP },
	{ "http", "www", 80, TCP },
	{ "pop3", "pop-3", 110, TCP },
	{ "sunrpc", "portmapper", 111, TCP | UDP },
	{ "ntp", NULL, 123, UDP },
	{ "imap2", "imap", 143, TCP },
	{ "snmp", NULL, 161, TCP | UDP },
	{ "ldap", NULL, 389, TCP | UDP },
	{ "https", NULL, 443, TCP | UDP },
	{ "syslog", NULL, 514, UDP },
	{ "submission", NULL, 587, TCP },
	{ "ldaps", NULL, 636, TCP | UDP },
	{ "imaps", NULL, 993, TCP },
	{ "pop3s", NULL, 995, TCP },
	{ "mysql", NULL, 3306, TCP },
	{ "postgresql", "postgres", 5432, TCP },
	{ "http-alt", "webcache", 8080, TCP },
};

static const struct protocol {
	const char *name, *alias, *alias2;
	int number;
} protocols[] = {
	{ "ip", "IP", NULL, 0 },
	{ "icmp", "ICMP", NULL, 1 },
	{ "igmp", "IGMP", NULL, 2 },
	{ "tcp", "TCP", NULL, 6 },
	{ "udp", "UDP", NULL, 17 },
	{ "ipv6", "IPv6", NULL, 41 },
	{ "ipv6-icmp", "IPv6-ICMP", "icmpv6", 58 },
};

/* The static results, as the calls return them (not thread-safe, as
 * on Linux: the _r forms are what threads use). */
static struct servent serv_ent;
static char *serv_aliases[2];
static struct protoent proto_ent;
static char *proto_aliases[3];

static int proto_bit(const char *proto)
{
	if (!proto)
		return TCP | UDP;
	if (!strcmp(proto, "tcp"))
		return TCP;
	if (!strcmp(proto, "udp"))
		return UDP;
	return 0;
}

static struct servent *serv_result(const struct service *s, int bits)
{
	serv_aliases[0] = (char *)s->alias;
	serv_aliases[1] = NULL;
	serv_ent.s_name = (char *)s->name;
	serv_ent.s_aliases = s->alias ? serv_aliases : serv_aliases + 1;
	serv_ent.s_port = htons(s->port);
	serv_ent.s_proto = (char *)((s->protos & bits & TCP) ? "tcp" : "udp");
	return &serv_ent;
}

struct servent *getservbyname(const char *name, const char *proto)
{
	int bits = proto_bit(proto);
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
		const struct service *s = &services[i];

		if ((s->protos & bits) &&
		    (!strcmp(s->name, name) ||
		     (s->alias && !strcmp(s->alias, name))))
			return serv_result(s, bits);
	}
	return NULL;
}

static const struct service *service_of_port(uint16_t port, int bits)
{
	size_t i;

	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (services[i].port == port && (services[i].protos & bits))
			return &services[i];
	return NULL;
}

struct servent *getservbyport(int port, const char *proto)
{
	int bits = proto_bit(proto);
	const struct service *s = service_of_port(ntohs((uint16_t)port), bits);

	return s ? serv_result(s, bits) : NULL;
}

static struct protoent *proto_result(const struct protocol *p)
{
	proto_aliases[0] = (char *)p->alias;
	proto_aliases[1] = (char *)p->alias2;
	proto_aliases[2] = NULL;
	proto_ent.p_name = (char *)p->name;
	proto_ent.p_aliases = proto_aliases;
	proto_ent.p_proto = p->number;
	return &proto_ent;
}

struct protoent *getprotobyname(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++) {
		const struct protocol *p = &protocols[i];

		if (!strcmp(p->name, name) || !strcmp(p->alias, name) ||
		    (p->alias2 && !strcmp(p->alias2, name)))
			return proto_result(p);
	}
	return NULL;
}

struct protoent *getprotobynumber(int proto)
{
	size_t i;

	for (i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
		if (protocols[i].number == proto)
			return proto_result(&protocols[i]);
	return NULL;
}

/* 127.0.0.0/8 or ::1 (addr in network order, family's length). */
static int is_loopback(int family, const void *addr)
{
	const uint8_t *a = addr;

	if (family == AF_INET)
		return a[0] == 127;
#if LWIP_IPV6
	if (family == AF_INET6) {
		static const uint8_t v6_loop[16] = { [15] = 1 };

		return !memcmp(a, v6_loop, 16);
	}
#endif
	return 0;
}

static int family_len(int family)
{
	if (family == AF_INET)
		return 4;
#if LWIP_IPV6
	if (family == AF_INET6)
		return 16;
#endif
	return 0;
}

struct hostent *gethostbyaddr(const void *addr, socklen_t len, int type)
{
	static char name[] = "localhost";
	static struct hostent h;
	static char *aliases[1];
	static char *addrs[2];
	static uint8_t copy[16];
	int want = family_len(type);

	if (!want) {
		h_errno = NETDB_INTERNAL;
		errno = EAFNOSUPPORT;
		return NULL;
	}
	if (!addr || (int)len != want) {
		h_errno = NETDB_INTERNAL;
		errno = EINVAL;
		return NULL;
	}
	if (!is_loopback(type, addr)) {
		h_errno = HOST_NOT_FOUND;
		return NULL;
	}
	memcpy(copy, addr, (size_t)want);
	addrs[0] = (char *)copy;
	addrs[1] = NULL;
	aliases[0] = NULL;
	h.h_name = name;
	h.h_aliases = aliases;
	h.h_addrtype = type;
	h.h_length = want;
	h.h_addr_list = addrs;
	return &h;
}

/* name's IPv4 address: "localhost", numeric or by DNS. */
static int resolve4(const char *name, uint32_t *out)
{
	struct in_addr in;

	if (!strcmp(name, "localhost")) {
		*out = htonl(INADDR_LOOPBACK);
		return 0;
	}
	if (inet_aton(name, &in)) {
		*out = in.s_addr;
		return 0;
	}
#if LWIP_DNS
	{
		ip_addr_t a;
		err_t e;

#if LWIP_IPV6
		e = netconn_gethostbyname_addrtype(name, &a,
						   NETCONN_DNS_IPV4);
#else
		e = netconn_gethostbyname(name, &a);
#endif
		if (e == ERR_OK && IP_IS_V4(&a)) {
			*out = ip4_addr_get_u32(ip_2_ip4(&a));
			return 0;
		}
		if (e == ERR_MEM)
			return TRY_AGAIN;
	}
#endif
	return HOST_NOT_FOUND;
}

/*
 * buf holds, pointer-aligned: aliases {NULL}, addrs {&addr, NULL}, the
 * 4-byte address, then the name.
 */
int gethostbyname_r(const char *name, struct hostent *ret, char *buf,
		    size_t buflen, struct hostent **result, int *h_errnop)
{
	uintptr_t start = ((uintptr_t)buf + sizeof(char *) - 1) &
			  ~(uintptr_t)(sizeof(char *) - 1);
	size_t pad = start - (uintptr_t)buf, namelen, need;
	char **ptrs = (char **)start;
	uint32_t addr;
	int herr;

	if (result)
		*result = NULL;
	if (!name || !ret || !result || !h_errnop || (!buf && buflen)) {
		if (h_errnop)
			*h_errnop = NETDB_INTERNAL;
		return EINVAL;
	}
	namelen = strlen(name);
	need = pad + 3 * sizeof(char *) + 4 + namelen + 1;
	if (buflen < need) {
		*h_errnop = NETDB_INTERNAL;
		return ERANGE;
	}
	herr = resolve4(name, &addr);
	if (herr) {
		*h_errnop = herr;
		return herr == TRY_AGAIN ? EAGAIN : ENOENT;
	}
	ptrs[0] = NULL;				/* aliases */
	ptrs[1] = (char *)(ptrs + 3);		/* addrs */
	ptrs[2] = NULL;
	memcpy(ptrs + 3, &addr, 4);
	memcpy((char *)(ptrs + 3) + 4, name, namelen + 1);
	ret->h_name = (char *)(ptrs + 3) + 4;
	ret->h_aliases = ptrs;
	ret->h_addrtype = AF_INET;
	ret->h_length = 4;
	ret->h_addr_list = ptrs + 1;
	*h_errnop = NETDB_SUCCESS;
	*result = ret;
	return 0;
}

#define NI_ALL	(NI_NUMERICHOST | NI_NUMERICSERV | NI_NOFQDN | NI_NAMEREQD | \
		 NI_DGRAM | NI_NUMERICSCOPE)

/* The family's address and port in sa, or 0 for EAI_FAMILY. */
static int sa_parts(const struct sockaddr *sa, socklen_t salen,
		    const void **addr, uint16_t *port, uint32_t *scope)
{
	*scope = 0;
	if (!sa || salen < (socklen_t)offsetof(struct sockaddr, sa_data))
		return 0;
	if (sa->sa_family == AF_INET &&
	    salen >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const void *)sa;

		*addr = &in->sin_addr;
		*port = in->sin_port;
		return AF_INET;
	}
#if LWIP_IPV6
	if (sa->sa_family == AF_INET6 &&
	    salen >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		*addr = &in6->sin6_addr;
		*port = in6->sin6_port;
		*scope = in6->sin6_scope_id;
		return AF_INET6;
	}
#endif
	return 0;
}

static int host_text(int family, const void *addr, uint32_t scope,
		     char *host, socklen_t hostlen, int flags)
{
	char ifname[IF_NAMESIZE];
	size_t n, room;
	int w;

	if (!(flags & NI_NUMERICHOST) && is_loopback(family, addr)) {
		if (hostlen < sizeof("localhost"))
			return EAI_OVERFLOW;
		memcpy(host, "localhost", sizeof("localhost"));
		return 0;
	}
	if (flags & NI_NAMEREQD && !(flags & NI_NUMERICHOST))
		return EAI_NONAME;	/* no reverse DNS */
	if (!inet_ntop(family, addr, host, hostlen))
		return EAI_OVERFLOW;
	if (!scope)
		return 0;
	n = strlen(host);
	room = hostlen - n;
	if (!(flags & NI_NUMERICSCOPE) && if_indextoname(scope, ifname))
		w = snprintf(host + n, room, "%%%s", ifname);
	else
		w = snprintf(host + n, room, "%%%u", (unsigned int)scope);
	return w < 0 || (size_t)w >= room ? EAI_OVERFLOW : 0;
}

int getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host,
		socklen_t hostlen, char *serv, socklen_t servlen, int flags)
{
	const struct service *s = NULL;
	const void *addr;
	uint16_t port;
	uint32_t scope;
	int family, r;

	if (flags & ~NI_ALL)
		return EAI_BADFLAGS;
	family = sa_parts(sa, salen, &addr, &port, &scope);
	if (!family)
		return EAI_FAMILY;
	if (!host)
		hostlen = 0;
	if (!serv)
		servlen = 0;
	if (!hostlen && !servlen)
		return EAI_NONAME;
	if (hostlen) {
		r = host_text(family, addr, scope, host, hostlen, flags);
		if (r)
			return r;
	}
	if (servlen) {
		if (!(flags & NI_NUMERICSERV))
			s = service_of_port(ntohs(port),
					    flags & NI_DGRAM ? UDP : TCP);
		r = s ? snprintf(serv, servlen, "%s", s->name) :
			snprintf(serv, servlen, "%u", ntohs(port));
		if (r < 0 || (socklen_t)r >= servlen)
			return EAI_OVERFLOW;
	}
	return 0;
}
