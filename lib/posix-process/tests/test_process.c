/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/posix-process: ids, uname, host name, limits, sysconf, env, ENOSYS. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <grp.h>
#include <link.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <wordexp.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <cairn/cpu.h>
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/log.h>
#include <cairn/param.h>
#ifdef CONFIG_LIB_SCHED
#include <cairn/sched.h>
#endif
#include <cairn/test.h>

pid_t gettid(void);
long ptrace(int request, ...);

#define ERR(call) ((call) < 0 ? -errno : 0)

CN_TEST(process, ids_of_the_one_process)
{
	gid_t g[4];

	CN_EXPECT_EQ(getpid(), 1);
	CN_EXPECT_EQ(getppid(), 0);
	CN_EXPECT_EQ(gettid(), getpid());	/* the boot thread */
	CN_EXPECT_EQ(getuid(), 0);
	CN_EXPECT_EQ(geteuid(), 0);
	CN_EXPECT_EQ(getgid(), 0);
	CN_EXPECT_EQ(getegid(), 0);
	CN_EXPECT_EQ(getgroups(4, g), 0);
	CN_EXPECT_EQ(ERR(getgroups(-1, g)), -EINVAL);
	CN_EXPECT_EQ(getpgrp(), 1);
	CN_EXPECT_EQ(ERR(getpgid(42)), -ESRCH);
	CN_EXPECT_EQ(ERR(setsid()), -EPERM);
	/* Becoming who it is works; anyone else is refused. */
	CN_EXPECT_EQ(setuid(0), 0);
	CN_EXPECT_EQ(seteuid(0), 0);
	CN_EXPECT_EQ(setgid(0), 0);
	CN_EXPECT_EQ(setreuid((uid_t)-1, 0), 0);
	CN_EXPECT_EQ(ERR(setuid(1000)), -EPERM);
	CN_EXPECT_EQ(ERR(setgid(100)), -EPERM);
	CN_EXPECT_EQ(ERR(setregid(0, 5)), -EPERM);
	CN_EXPECT_EQ(ERR(setuid((uid_t)-1)), -EINVAL);
	CN_EXPECT_EQ(getuid(), 0);
}

CN_TEST(process, user_database_has_root_only)
{
	struct passwd *pw = getpwuid(0);
	char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

	CN_ASSERT_NOT_NULL(pw);
	CN_EXPECT_STREQ(pw->pw_name, "root");
	CN_EXPECT_EQ(pw->pw_uid, 0);
	CN_EXPECT_TRUE(getpwnam("root") == pw);
	CN_EXPECT_TRUE(getpwuid(1000) == NULL);
	CN_EXPECT_TRUE(getpwnam("nobody") == NULL);
	CN_EXPECT_EQ(setenv("HOME", "/home/x", 1), 0);
	CN_EXPECT_STREQ(getpwuid(0)->pw_dir, "/home/x");
	CN_EXPECT_EQ(unsetenv("HOME"), 0);
	CN_EXPECT_STREQ(getpwuid(0)->pw_dir, "/");
	if (home)			/* the menu's HOME, for the other cases */
		CN_EXPECT_EQ(setenv("HOME", home, 1), 0);
	free(home);
	CN_ASSERT_NOT_NULL(getgrgid(0));
	CN_EXPECT_STREQ(getgrgid(0)->gr_name, "root");
	CN_EXPECT_TRUE(getgrnam("root") == getgrgid(0));
	CN_EXPECT_TRUE(getgrgid(5) == NULL);
}

CN_TEST(process, uname_and_host_name)
{
	struct utsname u;
	char name[80], small[3];
	char param[] = "posix.hostname=fromparam";

	CN_ASSERT_EQ(uname(&u), 0);
	CN_EXPECT_STREQ(u.sysname, "Cairn");
	CN_EXPECT_STREQ(u.release, CONFIG_LIB_POSIX_PROCESS_RELEASE);
	CN_EXPECT_STREQ(u.machine,
			strcmp(CONFIG_ARCH, "arm64") ? CONFIG_ARCH : "aarch64");
	CN_EXPECT_EQ(ERR(uname(NULL)), -EFAULT);
	CN_EXPECT_EQ(sethostname("box-7", 5), 0);
	CN_EXPECT_EQ(gethostname(name, sizeof(name)), 0);
	CN_EXPECT_STREQ(name, "box-7");
	CN_EXPECT_EQ(uname(&u), 0);
	CN_EXPECT_STREQ(u.nodename, "box-7");
	CN_EXPECT_EQ(ERR(gethostname(small, sizeof(small))), -ENAMETOOLONG);
	memset(name, 'x', sizeof(name));
	CN_EXPECT_EQ(ERR(sethostname(name, 65)), -EINVAL);
	CN_EXPECT_EQ(cn_param_set(param), 0);
	CN_EXPECT_EQ(gethostname(name, sizeof(name)), 0);
	CN_EXPECT_STREQ(name, "fromparam");
	CN_EXPECT_EQ(sethostname(CONFIG_LIB_POSIX_PROCESS_HOSTNAME,
				 strlen(CONFIG_LIB_POSIX_PROCESS_HOSTNAME)), 0);
}

CN_TEST(process, limits_usage_and_sysconf)
{
	struct rlimit rl;
	struct rusage ru;

	CN_ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
	CN_EXPECT_EQ(rl.rlim_max, sysconf(_SC_OPEN_MAX));
	CN_EXPECT_EQ(getdtablesize(), sysconf(_SC_OPEN_MAX));
	rl.rlim_cur = 64;
	CN_EXPECT_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
	CN_EXPECT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
	CN_EXPECT_EQ(rl.rlim_cur, 64);
	rl.rlim_cur = rl.rlim_max + 1;
	CN_EXPECT_EQ(ERR(setrlimit(RLIMIT_NOFILE, &rl)), -EINVAL);
	rl.rlim_max = rl.rlim_cur;
	CN_EXPECT_EQ(ERR(setrlimit(RLIMIT_NOFILE, &rl)), -EPERM);
	rl.rlim_cur = rl.rlim_max = sysconf(_SC_OPEN_MAX);
	CN_EXPECT_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
	CN_EXPECT_EQ(getrlimit(RLIMIT_AS, &rl), 0);
	CN_EXPECT_EQ(rl.rlim_cur, RLIM_INFINITY);
	CN_EXPECT_EQ(ERR(getrlimit(99, &rl)), -EINVAL);
	CN_EXPECT_EQ(getrusage(RUSAGE_SELF, &ru), 0);
	CN_EXPECT_TRUE(ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0);
	CN_EXPECT_EQ(ERR(getrusage(5, &ru)), -EINVAL);
	CN_EXPECT_EQ(sysconf(_SC_PAGESIZE), (long)CN_PAGE_SIZE);
	CN_EXPECT_EQ(getpagesize(), (int)CN_PAGE_SIZE);
	CN_EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN), (long)cn_cpu_online());
	CN_EXPECT_EQ(sysconf(_SC_NPROCESSORS_CONF), (long)cn_cpu_count());
	/* The guest's RAM: more than 8 MiB, less than 64 GiB. */
	CN_EXPECT_TRUE(sysconf(_SC_PHYS_PAGES) > 2048);
	CN_EXPECT_TRUE(sysconf(_SC_PHYS_PAGES) < (64l << 30) / 4096);
	errno = 0;
	CN_EXPECT_EQ(sysconf(-7), -1);
	CN_EXPECT_EQ(errno, EINVAL);
}

CN_TEST(process, environment_from_menu_and_parameters)
{
	char p1[] = "env.CN_TEST_VAR=a b=c";
	char p2[] = "env.=x";
	char p3[] = "env.NOVALUE";

	/* The menu's default environment was set at boot. */
	CN_EXPECT_STREQ(getenv("HOME"), "/");
	CN_EXPECT_EQ(cn_param_set(p1), 0);
	CN_EXPECT_STREQ(getenv("CN_TEST_VAR"), "a b=c");
	CN_EXPECT_EQ(cn_param_set(p2), -EINVAL);
	CN_EXPECT_EQ(cn_param_set(p3), -EINVAL);
	CN_EXPECT_TRUE(getenv("NOVALUE") == NULL);
	CN_EXPECT_EQ(setenv("CN_TEST_VAR", "set", 1), 0);
	CN_EXPECT_STREQ(getenv("CN_TEST_VAR"), "set");
	CN_EXPECT_EQ(unsetenv("CN_TEST_VAR"), 0);
	CN_EXPECT_TRUE(getenv("CN_TEST_VAR") == NULL);
}

CN_TEST(process, other_processes_are_enosys_or_echild)
{
	char *argv[] = { "sh", NULL };
	int st;

	CN_EXPECT_EQ(ERR(fork()), -ENOSYS);
	CN_EXPECT_EQ(ERR(fork()), -ENOSYS);	/* warns once only */
	CN_EXPECT_EQ(ERR(execv("/bin/sh", argv)), -ENOSYS);
	CN_EXPECT_EQ(ERR(execvp("sh", argv)), -ENOSYS);
	CN_EXPECT_EQ(ERR(ptrace(0, 0, 0, 0)), -ENOSYS);
	CN_EXPECT_EQ(ERR(waitpid(-1, &st, 0)), -ECHILD);
	CN_EXPECT_EQ(ERR(wait(&st)), -ECHILD);
	CN_EXPECT_EQ(system(NULL), 0);
	CN_EXPECT_EQ(ERR(system("ls")), -ENOSYS);
}

CN_TEST(process, reentrant_user_lookups_copy_into_the_buffer)
{
	struct passwd pw, *pr = (struct passwd *)1;
	struct group gr, *gres = (struct group *)1;
	char buf[256], tiny[4];

	CN_EXPECT_EQ(getpwnam_r("root", &pw, buf, sizeof(buf), &pr), 0);
	CN_ASSERT_TRUE(pr == &pw);
	CN_EXPECT_STREQ(pw.pw_name, "root");
	CN_EXPECT_EQ(pw.pw_uid, 0);
	CN_EXPECT_TRUE(pw.pw_name >= buf && pw.pw_name < buf + sizeof(buf));
	CN_EXPECT_STREQ(pw.pw_dir, getpwuid(0)->pw_dir);
	CN_EXPECT_EQ(getpwuid_r(0, &pw, buf, sizeof(buf), &pr), 0);
	CN_EXPECT_TRUE(pr == &pw);
	/* Not found: 0 and NULL. Too small: ERANGE and NULL. */
	CN_EXPECT_EQ(getpwnam_r("nobody", &pw, buf, sizeof(buf), &pr), 0);
	CN_EXPECT_TRUE(pr == NULL);
	CN_EXPECT_EQ(getpwuid_r(1000, &pw, buf, sizeof(buf), &pr), 0);
	CN_EXPECT_TRUE(pr == NULL);
	pr = &pw;
	CN_EXPECT_EQ(getpwuid_r(0, &pw, tiny, sizeof(tiny), &pr), ERANGE);
	CN_EXPECT_TRUE(pr == NULL);
	CN_EXPECT_EQ(getpwnam_r("root", NULL, buf, sizeof(buf), &pr), EINVAL);

	CN_EXPECT_EQ(getgrnam_r("root", &gr, buf, sizeof(buf), &gres), 0);
	CN_ASSERT_TRUE(gres == &gr);
	CN_EXPECT_STREQ(gr.gr_name, "root");
	CN_EXPECT_EQ(gr.gr_gid, 0);
	CN_EXPECT_TRUE(gr.gr_mem && gr.gr_mem[0] == NULL);
	CN_EXPECT_EQ(getgrgid_r(0, &gr, buf + 1, sizeof(buf) - 1, &gres), 0);
	CN_EXPECT_TRUE(((uintptr_t)gr.gr_mem & (sizeof(char *) - 1)) == 0);
	CN_EXPECT_EQ(getgrgid_r(7, &gr, buf, sizeof(buf), &gres), 0);
	CN_EXPECT_TRUE(gres == NULL);
	CN_EXPECT_EQ(getgrnam_r("wheel", &gr, buf, sizeof(buf), &gres), 0);
	CN_EXPECT_TRUE(gres == NULL);
	CN_EXPECT_EQ(getgrgid_r(0, &gr, tiny, sizeof(tiny), &gres), ERANGE);
	CN_EXPECT_TRUE(gres == NULL);
}

CN_TEST(process, user_enumeration_login_and_groups)
{
	char name[8];

	setpwent();
	CN_ASSERT_NOT_NULL(getpwent());
	CN_EXPECT_NULL(getpwent());
	setpwent();
	CN_EXPECT_STREQ(getpwent()->pw_name, "root");
	endpwent();
	setgrent();
	CN_ASSERT_NOT_NULL(getgrent());
	CN_EXPECT_EQ(getgrent(), NULL);
	endgrent();
	CN_EXPECT_STREQ(getgrent()->gr_name, "root");
	endgrent();
	CN_EXPECT_STREQ(getlogin(), "root");
	CN_EXPECT_EQ(getlogin_r(name, sizeof(name)), 0);
	CN_EXPECT_STREQ(name, "root");
	CN_EXPECT_EQ(getlogin_r(name, 4), ERANGE);
	CN_EXPECT_EQ(initgroups("root", 0), 0);
	CN_EXPECT_EQ(ERR(initgroups("root", 100)), -EPERM);
	CN_EXPECT_EQ(ERR(initgroups(NULL, 0)), -EINVAL);
}

/* Copies the log ring's lines that contain what into found (or ""). */
struct log_find {
	const char *what;
	char line[200];
};

static void find_line(const char *line, size_t len, void *arg)
{
	struct log_find *f = arg;

	if (len < sizeof(f->line)) {
		char tmp[200];

		memcpy(tmp, line, len);
		tmp[len] = '\0';
		if (strstr(tmp, f->what))
			memcpy(f->line, tmp, len + 1);
	}
}

static const char *logged(struct log_find *f, const char *what)
{
	f->what = what;
	f->line[0] = '\0';
	cn_log_recent(0, find_line, f);
	return f->line;
}

CN_TEST(process, syslog_goes_to_the_log_with_ident_and_mask)
{
	struct log_find f;
	int old;

	openlog("tester", LOG_PID, LOG_DAEMON);
	syslog(LOG_WARNING, "first %d", 1);
	errno = ENOENT;
	syslog(LOG_ERR, "open: %m (100%%)\n");
	CN_EXPECT_EQ(errno, ENOENT);
	old = setlogmask(LOG_UPTO(LOG_ERR));
	CN_EXPECT_EQ(old, 0xff);
	syslog(LOG_WARNING, "masked-out %d", 2);
	CN_EXPECT_EQ(setlogmask(0), LOG_UPTO(LOG_ERR));	/* 0: unchanged */
	CN_EXPECT_EQ(setlogmask(old), LOG_UPTO(LOG_ERR));
	closelog();
	syslog(LOG_ERR | LOG_USER, "after close");
#ifdef CONFIG_LIB_LOG_RING
	CN_EXPECT_NOT_NULL(strstr(logged(&f, "first 1"), "tester[1]: first 1"));
	CN_EXPECT_NOT_NULL(strstr(logged(&f, "first 1"), "WARN"));
	CN_EXPECT_NOT_NULL(strstr(logged(&f, "open: "),
				  "open: No such file or directory (100%)"));
	CN_EXPECT_NOT_NULL(strstr(logged(&f, "open: "), "ERR"));
	CN_EXPECT_STREQ(logged(&f, "masked-out"), "");
	CN_EXPECT_NOT_NULL(strstr(logged(&f, "after close"), "unit"));
#else
	(void)f;
	(void)logged;
#endif
}

CN_TEST(process, sysinfo_and_cpu_counts)
{
	struct sysinfo si;
	double la[4] = { 9, 9, 9, 9 };

	CN_ASSERT_EQ(sysinfo(&si), 0);
	CN_EXPECT_GE(si.uptime, 0);
	CN_EXPECT_GT(si.totalram, 1ul << 20);
	CN_EXPECT_LE(si.freeram, si.totalram);
	CN_EXPECT_GE(si.procs, 1);
	CN_EXPECT_EQ(si.mem_unit, 1);
	CN_EXPECT_EQ(si.totalswap, 0);
	CN_EXPECT_EQ(ERR(sysinfo(NULL)), -EFAULT);
	CN_EXPECT_EQ(get_nprocs(), (int)cn_cpu_online());
	CN_EXPECT_EQ(get_nprocs_conf(), (int)cn_cpu_count());
	CN_EXPECT_EQ(getloadavg(la, 4), 3);
	CN_EXPECT_TRUE(la[0] == 0 && la[2] == 0 && la[3] == 9);
	CN_EXPECT_EQ(getloadavg(la, -1), -1);
}

CN_TEST(process, prctl_names_the_calling_thread)
{
	char name[16], saved[16];

	CN_ASSERT_EQ(prctl(PR_GET_NAME, saved), 0);
#ifdef CONFIG_LIB_SCHED
	CN_EXPECT_STREQ(saved, cn_thread_name(cn_thread_current()));
#endif
	CN_EXPECT_EQ(prctl(PR_SET_NAME, "a-rather-long-thread-name"), 0);
	CN_EXPECT_EQ(prctl(PR_GET_NAME, name), 0);
	CN_EXPECT_STREQ(name, "a-rather-long-t");	/* 15 bytes */
	CN_EXPECT_EQ(ERR(prctl(PR_GET_NAME, NULL)), -EFAULT);
	CN_EXPECT_EQ(ERR(prctl(PR_SET_DUMPABLE, 1)), -EINVAL);
	CN_EXPECT_EQ(ERR(prctl(12345, 0)), -EINVAL);
	CN_EXPECT_EQ(prctl(PR_SET_NAME, saved), 0);
	CN_EXPECT_EQ(personality(0xffffffff), PER_LINUX);
	CN_EXPECT_EQ(personality(PER_LINUX), PER_LINUX);
	CN_EXPECT_EQ(ERR(personality(ADDR_NO_RANDOMIZE)), -EINVAL);
	CN_EXPECT_EQ(ERR(syscall(39)), -ENOSYS);
	CN_EXPECT_EQ(ERR(syscall(39, 1, 2)), -ENOSYS);	/* warns once */
}

CN_TEST(process, domain_name_env_and_confstr)
{
	char name[80], small[3], buf[64];
	char *saved[64];
	extern char **environ;
	int i, n = 0;

	CN_EXPECT_EQ(getdomainname(name, sizeof(name)), 0);
	CN_EXPECT_STREQ(name, "(none)");
	CN_EXPECT_EQ(setdomainname("example.org", 11), 0);
	CN_EXPECT_EQ(getdomainname(name, sizeof(name)), 0);
	CN_EXPECT_STREQ(name, "example.org");
	CN_EXPECT_EQ(ERR(getdomainname(small, sizeof(small))), -EINVAL);
	memset(name, 'x', sizeof(name));
	CN_EXPECT_EQ(ERR(setdomainname(name, 65)), -EINVAL);
	CN_EXPECT_EQ(ERR(setdomainname(NULL, 1)), -EFAULT);
	CN_EXPECT_EQ(setdomainname("(none)", 6), 0);

	CN_EXPECT_STREQ(secure_getenv("HOME"), getenv("HOME"));
	for (i = 0; environ && environ[i] && n < 64; i++)
		saved[n++] = strdup(environ[i]);
	CN_EXPECT_EQ(clearenv(), 0);
	CN_EXPECT_NULL(getenv("HOME"));
	CN_EXPECT_EQ(setenv("AFTER", "clear", 1), 0);	/* still works */
	CN_EXPECT_STREQ(getenv("AFTER"), "clear");
	CN_EXPECT_EQ(unsetenv("AFTER"), 0);
	for (i = 0; i < n; i++) {
		char *eq = strchr(saved[i], '=');

		*eq = '\0';
		CN_EXPECT_EQ(setenv(saved[i], eq + 1, 1), 0);
		free(saved[i]);
	}
	CN_EXPECT_NOT_NULL(getenv("HOME"));

	CN_EXPECT_EQ(confstr(_CS_PATH, buf, sizeof(buf)), 5);
	CN_EXPECT_STREQ(buf, "/bin");
	CN_EXPECT_EQ(confstr(_CS_PATH, NULL, 0), 5);
	CN_EXPECT_EQ(confstr(_CS_PATH, small, sizeof(small)), 5);
	CN_EXPECT_STREQ(small, "/b");
	CN_EXPECT_EQ(confstr(_CS_POSIX_V7_LP64_OFF64_CFLAGS, buf, 64), 1);
	CN_EXPECT_STREQ(buf, "");
	errno = 0;
	CN_EXPECT_EQ(confstr(_CS_GNU_LIBC_VERSION, buf, sizeof(buf)), 0);
	CN_EXPECT_EQ(errno, EINVAL);
	errno = 0;
	CN_EXPECT_EQ(confstr(-3, buf, sizeof(buf)), 0);
	CN_EXPECT_EQ(errno, EINVAL);
}

CN_TEST(process, dladdr_names_image_functions)
{
	Dl_info info;
	const char *p = (const char *)(uintptr_t)getpid;

	CN_ASSERT_TRUE(dladdr(p + 1, &info) != 0);
	CN_EXPECT_STREQ(info.dli_fname, cn_build_app());
#ifdef CONFIG_BUILD_SYMBOLS
	CN_EXPECT_STREQ(info.dli_sname, "getpid");
	CN_EXPECT_TRUE(info.dli_saddr == (void *)p);
#endif
	CN_EXPECT_EQ(dladdr((void *)0x10, &info), 0);
	CN_EXPECT_EQ(dladdr(p, NULL), 0);
	CN_EXPECT_EQ(dl_iterate_phdr(NULL, NULL), 0);	/* no objects */
}

static int wexp(const char *s, int flags, wordexp_t *we)
{
	return wordexp(s, we, flags);
}

CN_TEST(process, wordexp_splits_without_a_shell)
{
	wordexp_t we;

	CN_ASSERT_EQ(setenv("WX", "two words", 1), 0);
	CN_ASSERT_EQ(wexp("a  'b c' \"d $WX\" $WX ${WX}x \\$ ''", 0, &we), 0);
	CN_ASSERT_EQ(we.we_wordc, 9);
	CN_EXPECT_STREQ(we.we_wordv[0], "a");
	CN_EXPECT_STREQ(we.we_wordv[1], "b c");
	CN_EXPECT_STREQ(we.we_wordv[2], "d two words");
	CN_EXPECT_STREQ(we.we_wordv[3], "two");
	CN_EXPECT_STREQ(we.we_wordv[4], "words");
	CN_EXPECT_STREQ(we.we_wordv[5], "two");
	CN_EXPECT_STREQ(we.we_wordv[6], "wordsx");
	CN_EXPECT_STREQ(we.we_wordv[7], "$");
	CN_EXPECT_STREQ(we.we_wordv[8], "");
	CN_EXPECT_NULL(we.we_wordv[9]);
	CN_EXPECT_EQ(wexp("~/x *.c", WRDE_APPEND, &we), 0);
	CN_ASSERT_EQ(we.we_wordc, 11);
	CN_EXPECT_EQ(strncmp(we.we_wordv[9], getenv("HOME"),
			     strlen(getenv("HOME"))), 0);
	CN_EXPECT_STREQ(we.we_wordv[10], "*.c");	/* no globbing */
	wordfree(&we);
	we.we_offs = 2;
	CN_ASSERT_EQ(wexp("x", WRDE_DOOFFS, &we), 0);
	CN_EXPECT_NULL(we.we_wordv[0]);
	CN_EXPECT_STREQ(we.we_wordv[2], "x");
	wordfree(&we);
	CN_EXPECT_EQ(unsetenv("WX"), 0);

	CN_EXPECT_EQ(wexp("echo $(ls)", 0, &we), WRDE_CMDSUB);
	CN_EXPECT_EQ(wexp("`ls`", WRDE_NOCMD, &we), WRDE_CMDSUB);
	CN_EXPECT_EQ(wexp("a | b", 0, &we), WRDE_BADCHAR);
	CN_EXPECT_EQ(wexp("'open", 0, &we), WRDE_SYNTAX);
	CN_EXPECT_EQ(wexp("\"open", 0, &we), WRDE_SYNTAX);
	CN_EXPECT_EQ(wexp("${X:-y}", 0, &we), WRDE_SYNTAX);
	CN_EXPECT_EQ(wexp("$WX", WRDE_UNDEF, &we), WRDE_BADVAL);
	CN_EXPECT_EQ(wexp(NULL, 0, &we), WRDE_BADVAL);
	wordfree(NULL);
}
