/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The environment: picolibc's getenv/setenv/unsetenv/putenv over its
 * `environ`, filled at boot from the menu's LIB_POSIX_PROCESS_ENV and then
 * the env.NAME=value parameters (a parameter wins over the menu). The
 * parameters are parsed before the heap exists, so they are kept (they
 * point into the saved command line) and set by an init function; one
 * given later (cn_param_set from a shell or a test) is set at once.
 * Here too: secure_getenv (getenv: an image never runs set-user-ID) and
 * clearenv.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/param.h>

#define EARLY_MAX	64

static const char *early[EARLY_MAX];
static unsigned int nr_early;
static bool ready;

/* Sets "NAME=value" (len bytes): 0, -EINVAL (no '=' or no name), -ENOMEM. */
static int set_pair(const char *pair, size_t len)
{
	const char *eq = memchr(pair, '=', len);
	char *name;
	int r;

	if (!eq || eq == pair)
		return -EINVAL;
	name = strndup(pair, len);
	if (!name)
		return -ENOMEM;
	name[eq - pair] = '\0';
	r = setenv(name, name + (eq - pair) + 1, 1) ? -errno : 0;
	free(name);
	return r;
}

static int env_param(const char *pair)
{
	const char *eq = strchr(pair, '=');

	if (!eq || eq == pair)
		return -EINVAL;
	if (ready)
		return set_pair(pair, strlen(pair));
	if (nr_early == EARLY_MAX)
		return -ERANGE;
	early[nr_early++] = pair;
	return 0;
}
CN_PARAM_ANY(env, env_param,
	     "env.NAME=value: NAME in the environment (getenv), at most 64");

static int env_init(void)
{
	const char *s = CONFIG_LIB_POSIX_PROCESS_ENV;
	unsigned int i;
	int r;

	while (*s) {
		size_t len;

		s += strspn(s, " ");
		len = strcspn(s, " ");
		if (len && (r = set_pair(s, len)) < 0) {
			cn_pr_err("menu environment entry '%.*s': %s",
				  (int)len, s, r == -EINVAL ?
				  "not NAME=value" : "out of memory");
			return r;
		}
		s += len;
	}
	for (i = 0; i < nr_early; i++) {
		r = set_pair(early[i], strlen(early[i]));
		if (r < 0)
			return r;
	}
	ready = true;
	return 0;
}
CN_INIT(env_init, CN_INIT_LIB);

/* Nothing ever runs with raised privileges: the environment is trusted. */
char *secure_getenv(const char *name)
{
	return getenv(name);
}

/*
 * Empties the environment in place: picolibc's setenv walks and may
 * realloc the array environ points to, so the array stays (with no
 * entry) rather than environ becoming NULL. The strings are not freed:
 * putenv() ones belong to the caller, and a pointer getenv() returned
 * may still be in use (glibc does not free them either).
 */
int clearenv(void)
{
	extern char **environ;

	if (environ)
		environ[0] = NULL;
	return 0;
}
