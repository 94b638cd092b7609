/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a Linux program may call that one process in one address space
 * cannot do: make or wait for another process, replace itself, trace one.
 * Each fails with ENOSYS (posix_spawn returns it) and says so once, naming
 * the call, so that a ported program links and its error path runs,
 * instead of a link error stopping the build or a silent failure
 * hiding why a feature is missing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <cairn/log.h>

struct rusage;

pid_t wait3(int *status, int options, struct rusage *ru);
pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru);
int waitid(int idtype, id_t id, void *info, int options);
long ptrace(int request, ...);
FILE *popen(const char *cmd, const char *mode);
int pclose(FILE *f);
int posix_spawn(pid_t *pid, const char *path, const void *actions,
		const void *attr, char *const argv[], char *const envp[]);
int posix_spawnp(pid_t *pid, const char *file, const void *actions,
		 const void *attr, char *const argv[], char *const envp[]);

/* Logs once per call site, sets errno; returns -1. */
#define NOSYS(what)							\
	({								\
		static bool said;					\
		if (!said) {						\
			said = true;					\
			cn_pr_warn("%s() is not supported (one process):" \
				   " ENOSYS", what);			\
		}							\
		errno = ENOSYS;						\
		-1;							\
	})

pid_t fork(void)
{
	return NOSYS("fork");
}

pid_t vfork(void)
{
	return NOSYS("vfork");
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	(void)path, (void)argv, (void)envp;
	return NOSYS("execve");
}

int execv(const char *path, char *const argv[])
{
	(void)path, (void)argv;
	return NOSYS("execv");
}

int execvp(const char *file, char *const argv[])
{
	(void)file, (void)argv;
	return NOSYS("execvp");
}

int execvpe(const char *file, char *const argv[], char *const envp[])
{
	(void)file, (void)argv, (void)envp;
	return NOSYS("execvpe");
}

int fexecve(int fd, char *const argv[], char *const envp[])
{
	(void)fd, (void)argv, (void)envp;
	return NOSYS("fexecve");
}

int execl(const char *path, const char *arg, ...)
{
	(void)path, (void)arg;
	return NOSYS("execl");
}

int execle(const char *path, const char *arg, ...)
{
	(void)path, (void)arg;
	return NOSYS("execle");
}

int execlp(const char *file, const char *arg, ...)
{
	(void)file, (void)arg;
	return NOSYS("execlp");
}

/* No child ever exists: Linux's answer is ECHILD, and it is the truth. */
pid_t wait(int *status)
{
	(void)status;
	errno = ECHILD;
	return -1;
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	(void)pid, (void)status, (void)options;
	errno = ECHILD;
	return -1;
}

pid_t wait3(int *status, int options, struct rusage *ru)
{
	(void)status, (void)options, (void)ru;
	errno = ECHILD;
	return -1;
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	(void)pid, (void)status, (void)options, (void)ru;
	errno = ECHILD;
	return -1;
}

int waitid(int idtype, id_t id, void *info, int options)
{
	(void)idtype, (void)id, (void)info, (void)options;
	errno = ECHILD;
	return -1;
}

long ptrace(int request, ...)
{
	(void)request;
	return NOSYS("ptrace");
}

int daemon(int nochdir, int noclose)
{
	(void)nochdir, (void)noclose;
	return NOSYS("daemon");
}

int chroot(const char *path)
{
	(void)path;
	return NOSYS("chroot");
}

/* No shell: system(NULL) says so (0), a command cannot run. */
int system(const char *cmd)
{
	if (!cmd)
		return 0;
	return NOSYS("system");
}

FILE *popen(const char *cmd, const char *mode)
{
	(void)cmd, (void)mode;
	NOSYS("popen");
	return NULL;
}

int pclose(FILE *f)
{
	(void)f;
	errno = ECHILD;
	return -1;
}

int posix_spawn(pid_t *pid, const char *path, const void *actions,
		const void *attr, char *const argv[], char *const envp[])
{
	(void)pid, (void)path, (void)actions, (void)attr, (void)argv,
	(void)envp;
	NOSYS("posix_spawn");
	return ENOSYS;
}

int posix_spawnp(pid_t *pid, const char *file, const void *actions,
		 const void *attr, char *const argv[], char *const envp[])
{
	(void)pid, (void)file, (void)actions, (void)attr, (void)argv,
	(void)envp;
	NOSYS("posix_spawnp");
	return ENOSYS;
}
