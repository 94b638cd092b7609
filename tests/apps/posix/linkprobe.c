/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `posix link`: the address of every libc and POSIX function below, taken
 * the way a program that declares a function itself (or a configure
 * script's link test) takes it: by its plain name, with no header. Each
 * must link (issue 19: "an unimplemented call must not stop a build"),
 * whether Cairn implements it or fails it with ENOSYS and a warning; the
 * build of this app is the test, and the mode prints how many there are.
 * Add a name here when a program is found that needs it. Left out: what
 * POSIX lets be a macro and Cairn makes one (sigsetjmp, as glibc).
 */
#include <stdio.h>

#include "posix_app.h"

#define Q(name)	".quad " #name "\n"

__asm__(".pushsection .rodata.posix_link_probe, \"a\"\n"
	".balign 8\n"
	"posix_link_probe:\n"
	Q(fork) Q(vfork) Q(execv) Q(execve)
	Q(execvp) Q(execl) Q(execlp) Q(waitpid)
	Q(wait) Q(wait3) Q(wait4) Q(ptrace)
	Q(kill) Q(killpg) Q(raise) Q(sigaction)
	Q(sigprocmask) Q(sigsuspend) Q(sigwait) Q(sigtimedwait)
	Q(sigwaitinfo) Q(sigqueue) Q(sigaltstack) Q(siginterrupt)
	Q(alarm) Q(pause) Q(setitimer) Q(getitimer)
	Q(getpid) Q(getppid) Q(gettid) Q(getuid)
	Q(geteuid) Q(getgid) Q(getegid) Q(getgroups)
	Q(setgroups) Q(setuid) Q(seteuid) Q(setgid)
	Q(setegid) Q(setreuid) Q(setregid) Q(getpgrp)
	Q(setpgid) Q(getpgid) Q(setsid) Q(getsid)
	Q(umask) Q(uname) Q(gethostname) Q(sethostname)
	Q(getdomainname) Q(getrlimit) Q(setrlimit) Q(getrusage)
	Q(sysconf) Q(getpagesize) Q(pathconf) Q(fpathconf)
	Q(confstr) Q(chmod) Q(fchmod) Q(fchmodat)
	Q(chown) Q(fchown) Q(lchown) Q(fchownat)
	Q(utime) Q(utimes) Q(utimensat) Q(futimens)
	Q(futimes) Q(lutimes) Q(access) Q(faccessat)
	Q(euidaccess) Q(openat) Q(mkdirat) Q(unlinkat)
	Q(renameat) Q(renameat2) Q(fstatat) Q(readlinkat)
	Q(symlinkat) Q(linkat) Q(mknodat) Q(mkfifo)
	Q(mkfifoat) Q(realpath) Q(truncate) Q(ftruncate)
	Q(fsync) Q(fdatasync) Q(sync) Q(syncfs)
	Q(pipe) Q(pipe2) Q(socketpair) Q(dup)
	Q(dup2) Q(dup3) Q(readv) Q(writev)
	Q(preadv) Q(pwritev) Q(pread) Q(pwrite)
	Q(getdents) Q(opendir) Q(fdopendir) Q(readdir)
	Q(readdir_r) Q(closedir) Q(rewinddir) Q(seekdir)
	Q(telldir) Q(scandir) Q(alphasort) Q(dirfd)
	Q(statvfs) Q(fstatvfs) Q(statfs) Q(fstatfs)
	Q(link) Q(symlink) Q(readlink) Q(rename)
	Q(remove) Q(mkdir) Q(rmdir) Q(chdir)
	Q(fchdir) Q(getcwd) Q(chroot) Q(mmap)
	Q(munmap) Q(mprotect) Q(msync) Q(madvise)
	Q(mlock) Q(munlock) Q(mlockall) Q(munlockall)
	Q(mremap) Q(posix_madvise) Q(shm_open) Q(shm_unlink)
	Q(fcntl) Q(flock) Q(lockf) Q(ioctl)
	Q(isatty) Q(ttyname) Q(ttyname_r) Q(tcgetattr)
	Q(tcsetattr) Q(cfmakeraw) Q(cfsetispeed) Q(cfsetospeed)
	Q(tcflush) Q(tcdrain) Q(openpty) Q(posix_openpt)
	Q(grantpt) Q(unlockpt) Q(ptsname) Q(getenv)
	Q(setenv) Q(unsetenv) Q(putenv) Q(clearenv)
	Q(secure_getenv) Q(socket) Q(bind) Q(listen)
	Q(accept) Q(accept4) Q(connect) Q(send)
	Q(recv) Q(sendto) Q(recvfrom) Q(sendmsg)
	Q(recvmsg) Q(shutdown) Q(getsockopt) Q(setsockopt)
	Q(getsockname) Q(getpeername) Q(getaddrinfo) Q(freeaddrinfo)
	Q(gai_strerror) Q(getnameinfo) Q(gethostbyname) Q(gethostbyaddr)
	Q(gethostbyname_r) Q(getservbyname) Q(getservbyport) Q(getprotobyname)
	Q(inet_ntop) Q(inet_pton) Q(inet_addr) Q(inet_aton)
	Q(inet_ntoa) Q(htons) Q(ntohl) Q(if_nametoindex)
	Q(if_indextoname) Q(getifaddrs) Q(freeifaddrs) Q(sendmmsg)
	Q(recvmmsg) Q(poll) Q(ppoll) Q(select)
	Q(pselect) Q(epoll_create) Q(epoll_create1) Q(epoll_ctl)
	Q(epoll_wait) Q(epoll_pwait) Q(eventfd) Q(eventfd_read)
	Q(eventfd_write) Q(timerfd_create) Q(timerfd_settime) Q(timerfd_gettime)
	Q(signalfd) Q(inotify_init) Q(inotify_init1) Q(inotify_add_watch)
	Q(pthread_create) Q(pthread_join) Q(pthread_detach) Q(pthread_self)
	Q(pthread_equal) Q(pthread_exit) Q(pthread_cancel) Q(pthread_testcancel)
	Q(pthread_setcancelstate) Q(pthread_setcanceltype) Q(pthread_once) Q(pthread_key_create)
	Q(pthread_key_delete) Q(pthread_getspecific) Q(pthread_setspecific) Q(pthread_mutex_init)
	Q(pthread_mutex_lock) Q(pthread_mutex_trylock) Q(pthread_mutex_timedlock) Q(pthread_mutex_unlock)
	Q(pthread_mutex_destroy) Q(pthread_mutexattr_init) Q(pthread_mutexattr_settype) Q(pthread_mutexattr_setpshared)
	Q(pthread_mutexattr_setrobust) Q(pthread_mutex_consistent) Q(pthread_mutexattr_setprotocol) Q(pthread_cond_init)
	Q(pthread_cond_wait) Q(pthread_cond_timedwait) Q(pthread_cond_signal) Q(pthread_cond_broadcast)
	Q(pthread_cond_destroy) Q(pthread_condattr_init) Q(pthread_condattr_setclock) Q(pthread_condattr_setpshared)
	Q(pthread_rwlock_init) Q(pthread_rwlock_rdlock) Q(pthread_rwlock_wrlock) Q(pthread_rwlock_tryrdlock)
	Q(pthread_rwlock_trywrlock) Q(pthread_rwlock_timedrdlock) Q(pthread_rwlock_timedwrlock) Q(pthread_rwlock_unlock)
	Q(pthread_rwlock_destroy) Q(pthread_spin_init) Q(pthread_spin_lock) Q(pthread_spin_unlock)
	Q(pthread_spin_trylock) Q(pthread_spin_destroy) Q(pthread_barrier_init) Q(pthread_barrier_wait)
	Q(pthread_barrier_destroy) Q(pthread_attr_init) Q(pthread_attr_destroy) Q(pthread_attr_setstacksize)
	Q(pthread_attr_getstacksize) Q(pthread_attr_setdetachstate) Q(pthread_attr_setguardsize) Q(pthread_attr_setstack)
	Q(pthread_attr_setschedpolicy) Q(pthread_attr_setschedparam) Q(pthread_attr_setinheritsched) Q(pthread_attr_setscope)
	Q(pthread_getattr_np) Q(pthread_attr_getstack) Q(pthread_setname_np) Q(pthread_getname_np)
	Q(pthread_setaffinity_np) Q(pthread_getaffinity_np) Q(pthread_attr_setaffinity_np) Q(pthread_sigmask)
	Q(pthread_kill) Q(pthread_atfork) Q(pthread_setschedparam) Q(pthread_getschedparam)
	Q(pthread_getcpuclockid) Q(pthread_yield) Q(sched_yield) Q(sched_getcpu)
	Q(sched_setaffinity) Q(sched_getaffinity) Q(sched_get_priority_max) Q(sched_get_priority_min)
	Q(sched_setscheduler) Q(sched_getscheduler) Q(sched_setparam) Q(sched_getparam)
	Q(sem_init) Q(sem_destroy) Q(sem_wait) Q(sem_trywait)
	Q(sem_timedwait) Q(sem_post) Q(sem_getvalue) Q(sem_open)
	Q(sem_close) Q(sem_unlink) Q(clock_gettime) Q(clock_settime)
	Q(clock_getres) Q(clock_nanosleep) Q(clock_getcpuclockid) Q(nanosleep)
	Q(usleep) Q(sleep) Q(time) Q(gettimeofday)
	Q(settimeofday) Q(times) Q(timer_create) Q(timer_settime)
	Q(timer_gettime) Q(timer_delete) Q(timer_getoverrun) Q(localtime)
	Q(localtime_r) Q(gmtime) Q(gmtime_r) Q(mktime)
	Q(timegm) Q(strftime) Q(strptime) Q(tzset)
	Q(difftime) Q(ctime) Q(asctime) Q(getpwnam)
	Q(getpwuid) Q(getpwnam_r) Q(getpwuid_r) Q(getgrnam)
	Q(getgrgid) Q(getgrnam_r) Q(getgrgid_r) Q(getpwent)
	Q(setpwent) Q(endpwent) Q(getlogin) Q(getlogin_r)
	Q(initgroups) Q(dlopen) Q(dlsym) Q(dlclose)
	Q(dlerror) Q(dladdr) Q(dl_iterate_phdr) Q(syslog)
	Q(openlog) Q(closelog) Q(vsyslog) Q(setlogmask)
	Q(popen) Q(pclose) Q(system) Q(posix_spawn)
	Q(posix_spawnp) Q(daemon) Q(getopt) Q(getopt_long)
	Q(getopt_long_only) Q(mkstemp) Q(mkostemp) Q(mkdtemp)
	Q(tmpfile) Q(tmpnam) Q(tempnam) Q(qsort)
	Q(bsearch) Q(strtol) Q(strtoll) Q(strtoul)
	Q(strtoull) Q(strtod) Q(strtof) Q(strtold)
	Q(atoi) Q(atol) Q(atoll) Q(random)
	Q(srandom) Q(rand_r) Q(drand48) Q(srand48)
	Q(lrand48) Q(arc4random) Q(getrandom) Q(getentropy)
	Q(backtrace) Q(backtrace_symbols) Q(abort) Q(atexit)
	Q(at_quick_exit) Q(quick_exit) Q(_exit) Q(exit)
	Q(strdup) Q(strndup) Q(strerror) Q(strerror_r)
	Q(strsignal) Q(strcasecmp) Q(strncasecmp) Q(strtok_r)
	Q(strsep) Q(stpcpy) Q(stpncpy) Q(memmem)
	Q(memrchr) Q(strcasestr) Q(strlcpy) Q(strlcat)
	Q(strverscmp) Q(strchrnul) Q(rawmemchr) Q(ffs)
	Q(ffsl) Q(iconv_open) Q(iconv) Q(iconv_close)
	Q(setlocale) Q(newlocale) Q(uselocale) Q(freelocale)
	Q(nl_langinfo) Q(localeconv) Q(regcomp) Q(regexec)
	Q(regfree) Q(regerror) Q(fnmatch) Q(glob)
	Q(globfree) Q(wordexp) Q(getline) Q(getdelim)
	Q(fmemopen) Q(open_memstream) Q(open_wmemstream) Q(dprintf)
	Q(vdprintf) Q(asprintf) Q(vasprintf) Q(fdopen)
	Q(fileno) Q(setvbuf) Q(flockfile) Q(funlockfile)
	Q(getc_unlocked) Q(putc_unlocked) Q(prctl) Q(personality)
	Q(syscall) Q(sendfile) Q(splice) Q(tee)
	Q(copy_file_range) Q(fallocate) Q(posix_fallocate) Q(posix_fadvise)
	Q(readahead) Q(get_nprocs) Q(get_nprocs_conf) Q(sysinfo)
	Q(getloadavg) Q(ftw) Q(nftw)
	Q(siglongjmp) Q(setjmp) Q(longjmp)
	"posix_link_probe_end:\n"
	".popsection\n");

extern const void *const posix_link_probe[], *const posix_link_probe_end[];

int link_probe(void)
{
	const void *const *p;
	int n = 0;

	for (p = posix_link_probe; p < posix_link_probe_end; p++)
		n += *p != NULL;
	printf("link: %d functions, %d linked\n",
	       (int)(posix_link_probe_end - posix_link_probe), n);
	return 0;
}
