/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/posix-process: ids, uname, host name, limits, sysconf, env, ENOSYS. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <cairn/cpu.h>
#include <cairn/arch.h>
#include <cairn/param.h>
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
