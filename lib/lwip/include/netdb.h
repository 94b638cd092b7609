/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Name resolution through lwIP's DNS client (numeric addresses without a
 * query). getaddrinfo returns EAI_* codes (lwIP's values); it never
 * hangs: the resolver gives up after its retries.
 *
 * There is no reverse DNS and no /etc/hosts, services or protocols
 * file (netdb.c): getnameinfo and gethostbyaddr name only the loopback
 * addresses ("localhost"); services and protocols come from a built-in
 * table of the common ones.
 */
#ifndef _NETDB_H
#define _NETDB_H

#include <stddef.h>
#include <sys/socket.h>
#include <lwip/netdb.h>

/* The codes lwIP does not define (its own are 200-204, 210-213). */
#ifndef EAI_AGAIN
#define EAI_AGAIN	205
#endif
#ifndef EAI_BADFLAGS
#define EAI_BADFLAGS	206
#endif
#ifndef EAI_SOCKTYPE
#define EAI_SOCKTYPE	207
#endif
#ifndef EAI_OVERFLOW
#define EAI_OVERFLOW	208
#endif
#ifndef EAI_SYSTEM
#define EAI_SYSTEM	209
#endif
/* h_errno: a failure that is not the name's (errno says which). */
#ifndef NETDB_INTERNAL
#define NETDB_INTERNAL	-1
#endif
#ifndef NETDB_SUCCESS
#define NETDB_SUCCESS	0
#endif
#ifndef NO_ADDRESS
#define NO_ADDRESS	NO_DATA
#endif

/* getnameinfo's flags and sizes, Linux's values. */
#define NI_MAXHOST	1025
#define NI_MAXSERV	32
#define NI_NUMERICHOST	1
#define NI_NUMERICSERV	2
#define NI_NOFQDN	4
#define NI_NAMEREQD	8
#define NI_DGRAM	16
#define NI_NUMERICSCOPE	256

struct servent {
	char *s_name;
	char **s_aliases;
	int s_port;		/* network byte order */
	char *s_proto;
};

struct protoent {
	char *p_name;
	char **p_aliases;
	int p_proto;
};

int getaddrinfo(const char *node, const char *service,
		const struct addrinfo *hints, struct addrinfo **res);
void freeaddrinfo(struct addrinfo *ai);
struct hostent *gethostbyname(const char *name);
const char *gai_strerror(int code);

/*
 * getnameinfo: sa (salen bytes, AF_INET or AF_INET6) as text in host
 * (hostlen) and serv (servlen); either may be NULL or 0 long, not both.
 * The host is "localhost" for a loopback address unless NI_NUMERICHOST,
 * else numeric (an IPv6 scope as %N); with NI_NAMEREQD a name is
 * required: EAI_NONAME for any other address. The service is the
 * table's name for the port (udp with NI_DGRAM, else tcp) unless
 * NI_NUMERICSERV, else the number. Returns 0, EAI_FAMILY (family or
 * salen wrong), EAI_BADFLAGS, EAI_NONAME (neither buffer, or no name),
 * EAI_OVERFLOW (a buffer too short).
 */
int getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host,
		socklen_t hostlen, char *serv, socklen_t servlen, int flags);
/*
 * gethostbyaddr: "localhost" for 127.0.0.0/8 and ::1 (a static result);
 * NULL with h_errno HOST_NOT_FOUND for any other address (no reverse
 * DNS), or NETDB_INTERNAL and errno EINVAL (len not the family's) or
 * EAFNOSUPPORT.
 */
struct hostent *gethostbyaddr(const void *addr, socklen_t len, int type);
/*
 * gethostbyname_r: gethostbyname into the caller's buf. Returns 0 with
 * *result set; else *result NULL and ERANGE (buf too short: try a
 * larger one), ENOENT (*h_errnop HOST_NOT_FOUND), EINVAL (NULL name).
 * May block on a DNS query.
 */
int gethostbyname_r(const char *name, struct hostent *ret, char *buf,
		    size_t buflen, struct hostent **result, int *h_errnop);

/*
 * Services and protocols from a built-in table (no /etc files): the
 * entry, static, or NULL when the table lacks it. proto NULL matches
 * either protocol; port is in network byte order.
 */
struct servent *getservbyname(const char *name, const char *proto);
struct servent *getservbyport(int port, const char *proto);
struct protoent *getprotobyname(const char *name);
struct protoent *getprotobynumber(int proto);

#endif
