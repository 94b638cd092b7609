/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command-line parameters: finds the descriptor that a library placed in
 * the .cn_param section and converts the text. Errors name the parameter
 * and the expected form, because the person reading them typed it.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/log.h>
#include <cairn/param.h>

extern const struct cn_param __cn_param_start[], __cn_param_end[];

const struct cn_param *cn_param_find(const char *lib, const char *name)
{
	const struct cn_param *p;

	for (p = __cn_param_start; p < __cn_param_end; p++)
		if (strcmp(p->lib, lib) == 0 && strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

static int parse_int(const char *val, int *out)
{
	char *end;
	long long v;

	if (!val || !*val)
		return -EINVAL;
	errno = 0;
	v = strtoll(val, &end, 0);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < INT_MIN || v > INT_MAX)
		return -ERANGE;
	*out = (int)v;
	return 0;
}

static int parse_bool(const char *val, bool *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	size_t i;

	if (!val) {
		*out = true;
		return 0;
	}
	for (i = 0; i < CN_ARRAY_SIZE(yes); i++) {
		if (strcmp(val, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(val, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

static int apply(const struct cn_param *p, const char *val)
{
	switch (p->type) {
	case CN_PARAM_T_INT:
		return parse_int(val, p->var);
	case CN_PARAM_T_UINT: {
		int v, rc = parse_int(val, &v);

		if (rc == 0 && v < 0)
			rc = -ERANGE;
		if (rc == 0)
			*(int *)p->var = v;
		return rc;
	}
	case CN_PARAM_T_BOOL:
		return parse_bool(val, p->var);
	case CN_PARAM_T_STR:
		if (!val)
			return -EINVAL;
		*(const char **)p->var = val;
		return 0;
	case CN_PARAM_T_FN:
		return p->parse(val ? val : "");
	}
	return -EINVAL;
}

static const char *const type_forms[] = {
	[CN_PARAM_T_INT] = "an integer",
	[CN_PARAM_T_UINT] = "a whole number, 0 or more",
	[CN_PARAM_T_BOOL] = "1, 0, true, false, yes, no, on or off",
	[CN_PARAM_T_STR] = "a string",
	[CN_PARAM_T_FN] = "",
};

int cn_param_set(char *token)
{
	const struct cn_param *p;
	char *val, *dot;
	int rc;

	val = strchr(token, '=');
	if (val)
		*val++ = '\0';
	dot = strchr(token, '.');
	if (!dot && (p = cn_param_find("", token))) {
		rc = apply(p, val);
		if (rc)
			cn_pr_err("parameter %s: invalid value%s%s%s (expected "
				  "%s)", token, val ? " '" : "",
				  val ? val : "", val ? "'" : "", p->help);
		return rc;
	}
	if (!dot || dot == token || !dot[1]) {
		cn_pr_err("parameter '%s' is not of the form library.name=value",
			  token);
		return -EINVAL;
	}
	*dot = '\0';
	p = cn_param_find(token, dot + 1);
	if (!p && (p = cn_param_find(token, "any_"))) {
		*dot = '.';
		if (val)
			val[-1] = '=';	/* the whole "name=value" */
		rc = p->parse(dot + 1);
		if (rc && val)
			val[-1] = '\0';
		if (rc)
			cn_pr_err("parameter %s: %s (expected %s)", token,
				  rc == -ERANGE ? "out of range" : "invalid",
				  p->help);
		return rc;
	}
	*dot = '.';
	if (!p) {
		cn_pr_warn("unknown parameter '%s' ignored", token);
		return -ENOENT;
	}
	rc = apply(p, val);
	if (rc == 0)
		return 0;
	cn_pr_err("parameter %s: %s value%s%s%s (expected %s%s%s)", token,
		  rc == -ERANGE ? "out-of-range" : "invalid",
		  val ? " '" : "", val ? val : "", val ? "'" : "",
		  type_forms[p->type], *type_forms[p->type] ? ": " : "",
		  p->help);
	return rc;
}
