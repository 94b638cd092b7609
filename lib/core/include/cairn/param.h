/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Typed command-line parameters, declared next to the code that uses them:
 *
 *	static int rx_queues = 1;
 *	CN_PARAM_INT(netdev, rxq, rx_queues, "receive queues to set up");
 *
 * QEMU's `-append "netdev.rxq=2 log.level=debug -- app args"` sets them
 * before any init function past CN_INIT_EARLY runs. Everything before a lone
 * `--` is `library.name=value` (or `name=value` for a top-level parameter,
 * CN_PARAM_TOP_FN); everything after it is the app's argv. A
 * command line without `--` holds only app arguments.
 *
 * Values: int (decimal, 0x hex, optional sign; range-checked), uint (an
 * int that refuses a negative value: counts, times, rates), bool (1 0
 * true false yes no on off; a bare `lib.flag` means true), string (points
 * into the saved command line; quotes "..." allow spaces), or a parse
 * function for anything else. A bad value prints one error naming the
 * parameter and the expected form, and the image stops with exit status
 * CN_EXIT_USAGE before main. An unknown parameter prints a warning and is
 * ignored.
 */
#ifndef CAIRN_PARAM_H
#define CAIRN_PARAM_H

#include <stdbool.h>
#include <cairn/compiler.h>

enum cn_param_type {
	CN_PARAM_T_INT,
	CN_PARAM_T_UINT,	/* an int variable, 0 to INT_MAX */
	CN_PARAM_T_BOOL,
	CN_PARAM_T_STR,
	CN_PARAM_T_FN,
};

/* Parses val into the variable; returns 0 or -EINVAL / -ERANGE. */
typedef int (*cn_param_parse_fn)(const char *val);

struct cn_param {
	const char *lib;
	const char *name;
	enum cn_param_type type;
	void *var;			/* int *, bool *, const char ** */
	cn_param_parse_fn parse;	/* CN_PARAM_T_FN only */
	const char *help;		/* also names the expected form */
};

#define CN_PARAM_(lib_, name_, type_, var_, parse_, help_)		\
	static const struct cn_param					\
	__cn_param_##lib_##_##name_ CN_USED CN_ALIGNED(8)		\
	CN_SECTION(".cn_param") = {					\
		.lib = #lib_, .name = #name_, .type = type_,		\
		.var = var_, .parse = parse_, .help = help_,		\
	}

#define CN_PARAM_INT(lib, name, var, help)				\
	CN_PARAM_(lib, name, CN_PARAM_T_INT,				\
		  (void *)(1 ? &(var) : (int *)0), 0, help)
#define CN_PARAM_UINT(lib, name, var, help)				\
	CN_PARAM_(lib, name, CN_PARAM_T_UINT,				\
		  (void *)(1 ? &(var) : (int *)0), 0, help)
#define CN_PARAM_BOOL(lib, name, var, help)				\
	CN_PARAM_(lib, name, CN_PARAM_T_BOOL,				\
		  (void *)(1 ? &(var) : (bool *)0), 0, help)
#define CN_PARAM_STR(lib, name, var, help)				\
	CN_PARAM_(lib, name, CN_PARAM_T_STR,				\
		  (void *)(1 ? &(var) : (const char **)0), 0, help)
#define CN_PARAM_FN(lib, name, fn, help)				\
	CN_PARAM_(lib, name, CN_PARAM_T_FN, 0, fn, help)
/*
 * A top-level parameter without a library part, for the few that users
 * know by their Linux names: `console=serial,vga`. Its lib is "".
 */
#define CN_PARAM_TOP_FN(name, fn, help)					\
	CN_PARAM_(, name, CN_PARAM_T_FN, 0, fn, help)
/*
 * Every name of lib that no other parameter of lib claims: fn gets
 * "name=value" (or "name" alone), e.g. env.HOME=/ gives "HOME=/".
 */
#define CN_PARAM_ANY(lib, fn, help)					\
	CN_PARAM_(lib, any_, CN_PARAM_T_FN, 0, fn, help)

/*
 * Sets one parameter from "lib.name=value" (or "lib.name" for a bool).
 * Returns 0, -ENOENT for an unknown name, -EINVAL or -ERANGE for a bad
 * value; on a bad value it has already printed the error. For tests and
 * for shells; the boot code calls it for every parameter token.
 */
int cn_param_set(char *token);

/* Looks a parameter up by library and name; NULL if there is none. */
const struct cn_param *cn_param_find(const char *lib, const char *name);

#endif
