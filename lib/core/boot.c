/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The generic boot sequence: the platform hands over the boot information,
 * this file runs the init levels, applies the command line and calls main.
 * It is the one readable place that says in which order an image comes up:
 *
 *   1. CN_INIT_EARLY functions (TLS, C library state)
 *   2. the command line: parameters applied, the rest kept as argv
 *   3. CN_INIT_ARCH .. CN_INIT_APP functions, level by level
 *   4. main(argc, argv); its return value goes to exit()
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/errname.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/param.h>
#include "core_priv.h"

#define CMDLINE_MAX	2048
#define ARGV_MAX	64

extern const struct cn_init_entry __cn_init_start[], __cn_init_end[];
extern char __image_start[], __image_end[];
extern int main(int argc, char *argv[]);

static const struct cn_bootinfo *bootinfo;
static char cmdline[CMDLINE_MAX];
static char *argv[ARGV_MAX + 1];
static int argc;
static uint64_t cycles_to_main;
static bool init_verbose;
CN_PARAM_BOOL(init, verbose, init_verbose,
	      "log every init function as it runs (1/0)");
static bool init_timing;
CN_PARAM_BOOL(init, timing, init_timing,
	      "print the time from the first instruction to main (1/0)");

static const char *const level_names[] = {
	"early", "arch", "plat", "mem", "bus", "dev", "lib", "fs", "net", "app",
};

const char *cn_init_level_name(unsigned int level)
{
	return level < CN_ARRAY_SIZE(level_names) ? level_names[level] : "?";
}

const struct cn_bootinfo *cn_bootinfo(void)
{
	return bootinfo;
}

void cn_bootinfo_log(void)
{
	unsigned int i;

	if (!bootinfo)
		return;
	if (bootinfo->boot_protocol)
		cn_pr_debug("booted through %s", bootinfo->boot_protocol);
	cn_pr_debug("command line \"%s\"", bootinfo->cmdline);
	for (i = 0; i < bootinfo->nr_mem; i++) {
		const struct cn_mem_region *r = &bootinfo->mem[i];

		cn_pr_debug("memory %#014llx-%#014llx %s",
			    (unsigned long long)r->start,
			    (unsigned long long)(r->start + r->size),
			    r->type == CN_MEM_RAM ? "RAM" : "reserved");
	}
	if (bootinfo->initrd_size)
		cn_pr_debug("initrd %#llx, %llu bytes",
			    (unsigned long long)bootinfo->initrd_start,
			    (unsigned long long)bootinfo->initrd_size);
	if (bootinfo->fb_addr)
		cn_pr_debug("framebuffer %#llx, %ux%u, %u bpp, %u bytes per line",
			    (unsigned long long)bootinfo->fb_addr,
			    bootinfo->fb_width, bootinfo->fb_height,
			    bootinfo->fb_bpp, bootinfo->fb_pitch);
}

uint64_t cn_boot_cycles_to_main(void)
{
	return cycles_to_main;
}

static void log_init(const struct cn_init_entry *e, const char *note)
{
	cn_pr_info("init %s.%u %s:%s%s", cn_init_level_name(e->level),
		   e->prio, e->lib, e->name, note);
}

static void run_level(unsigned int level)
{
	const struct cn_init_entry *e;
	int rc;

	for (e = __cn_init_start; e < __cn_init_end; e++) {
		if (e->level != level)
			continue;
		if (init_verbose)
			log_init(e, "");
		rc = e->fn();
		if (rc == 0)
			continue;
		cn_pr_err("init %s (%s, level %s) failed: %d (%s)", e->name,
			  e->lib, cn_init_level_name(level), rc, cn_errname(rc));
		if (e->flags & CN_INIT_F_REQUIRED)
			cn_panic("required init %s failed", e->name);
	}
}

CN_NORETURN static void usage_exit(void)
{
	cn_plat_halt(CN_EXIT_USAGE);
}

/*
 * Splits the saved command line in place into words, as README.md
 * ("Parameters and arguments") documents: blanks separate words; double
 * quotes group blanks into a word ("a b") and are removed; a backslash,
 * inside quotes or not, makes the next character literal (\" \\ and a
 * backslash-space); a backslash at the very end stays. Single quotes are
 * ordinary characters, so `it's` is one word. Returns the number of words
 * or -EINVAL (unterminated quote) / -E2BIG (more than max).
 */
int cn_core_split_words(char *s, char **words, int max)
{
	int n = 0;
	char *out;

	for (;;) {
		bool quoted = false;

		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (!*s)
			return n;
		if (n == max)
			return -E2BIG;
		words[n++] = out = s;
		while (*s && (quoted || (*s != ' ' && *s != '\t' &&
					 *s != '\n' && *s != '\r'))) {
			if (*s == '"') {
				quoted = !quoted;
				s++;
				continue;
			}
			if (*s == '\\' && s[1])
				s++;
			*out++ = *s++;
		}
		if (quoted)
			return -EINVAL;
		if (*s)
			s++;
		*out = '\0';
	}
}

static void parse_cmdline(void)
{
	char *words[ARGV_MAX * 2];
	int i, n, sep = -1;
	size_t len = strlen(bootinfo->cmdline);

	if (len >= sizeof(cmdline)) {
		cn_pr_err("command line too long: %zu bytes (limit %d)", len,
			  CMDLINE_MAX - 1);
		usage_exit();
	}
	memcpy(cmdline, bootinfo->cmdline, len + 1);
	n = cn_core_split_words(cmdline, words, CN_ARRAY_SIZE(words));
	if (n == -EINVAL) {
		cn_pr_err("command line: unterminated quote");
		usage_exit();
	} else if (n < 0) {
		cn_pr_err("command line: more than %zu words",
			  CN_ARRAY_SIZE(words));
		usage_exit();
	}
	for (i = 0; i < n; i++) {
		if (strcmp(words[i], "--") == 0) {
			sep = i;
			break;
		}
	}
	for (i = 0; i < sep; i++) {
		int rc = cn_param_set(words[i]);

		if (rc != 0 && rc != -ENOENT)
			usage_exit();
	}
	argv[argc++] = CN_APP_NAME;
	for (i = sep + 1; i < n; i++) {
		if (argc == ARGV_MAX) {
			cn_pr_err("command line: more than %d app arguments",
				  ARGV_MAX - 1);
			usage_exit();
		}
		argv[argc++] = words[i];
	}
	argv[argc] = NULL;
}

/*
 * A loader short of RAM can put the initrd over the image's .bss, which
 * the boot code has zeroed since: the archive is gone, and reading it
 * would only show a broken initrd. Say what happened instead.
 */
static void check_initrd(const struct cn_bootinfo *bi)
{
	uint64_t start = bi->initrd_start, end = start + bi->initrd_size;

	if (bi->initrd_size && start < (uintptr_t)__image_end &&
	    end > (uintptr_t)__image_start)
		cn_panic("the initrd (%#llx-%#llx) overlaps the image "
			 "(%#lx-%#lx): the loader had no room for it; give "
			 "the guest more memory (make run MEM=..., QEMU -m)",
			 (unsigned long long)start, (unsigned long long)end,
			 (unsigned long)(uintptr_t)__image_start,
			 (unsigned long)(uintptr_t)__image_end);
}

void cn_boot_start(const struct cn_bootinfo *bi)
{
	unsigned int level;

	bootinfo = bi;
	check_initrd(bi);
	run_level(CN_INIT_EARLY);
	parse_cmdline();
	if (init_verbose) {		/* the early ones ran before we knew */
		const struct cn_init_entry *e;

		for (e = __cn_init_start; e < __cn_init_end; e++)
			if (e->level == CN_INIT_EARLY)
				log_init(e, " (before parameters)");
	}
	for (level = CN_INIT_EARLY + 1; level <= CN_INIT_APP; level++)
		run_level(level);

	cycles_to_main = cn_arch_cycles() - cn_arch_boot_tsc;
	if (init_timing || cn_log_level() >= CN_LOG_DEBUG)
		cn_log_print(init_timing ? CN_LOG_INFO : CN_LOG_DEBUG, CN_LIBNAME,
			     "%s on %s (%s): %llu cycles (%llu us) from entry "
			     "to main", CN_APP_NAME, bi->plat_name,
			     bi->machine ? bi->machine : "?",
			     (unsigned long long)cycles_to_main,
			     (unsigned long long)cn_plat_cycles_to_ns(
				     cycles_to_main) / 1000);
	exit(main(argc, argv));
}

void cn_exit(int status)
{
	cn_plat_halt(status);
}

const char *cn_build_app(void)
{
	return CN_APP_NAME;
}

const char *cn_build_libs(void)
{
	return CN_LIBS;
}
