/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/pthread: named semaphores (sem_open, sem_close, sem_unlink). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <string.h>
#include <cairn/test.h>

static void *poster(void *arg)
{
	sem_t *s = sem_open("/cn-test-handover", 0);

	(void)arg;
	if (s == SEM_FAILED)
		return (void *)1;
	sem_post(s);
	return (void *)(long)sem_close(s);
}

CN_TEST(pthread, named_semaphores_are_shared_by_name)
{
	char longname[300];
	sem_t *a, *b;
	pthread_t t;
	void *ret;
	int v;

	errno = 0;
	CN_EXPECT_TRUE(sem_open("/cn-test-none", 0) == SEM_FAILED);
	CN_EXPECT_EQ(errno, ENOENT);
	a = sem_open("/cn-test-handover", O_CREAT | O_EXCL, 0600, 0u);
	CN_ASSERT_TRUE(a != SEM_FAILED);
	errno = 0;
	CN_EXPECT_TRUE(sem_open("/cn-test-handover", O_CREAT | O_EXCL, 0600,
				0u) == SEM_FAILED);
	CN_EXPECT_EQ(errno, EEXIST);
	b = sem_open("cn-test-handover", O_CREAT, 0600, 5u);	/* exists */
	CN_EXPECT_TRUE(b == a);
	CN_EXPECT_EQ(sem_getvalue(b, &v), 0);
	CN_EXPECT_EQ(v, 0);			/* value only when created */
	CN_ASSERT_EQ(pthread_create(&t, NULL, poster, NULL), 0);
	CN_EXPECT_EQ(sem_wait(a), 0);		/* the other thread's post */
	CN_EXPECT_EQ(pthread_join(t, &ret), 0);
	CN_EXPECT_TRUE(ret == NULL);
	CN_EXPECT_EQ(sem_close(b), 0);
	/* Unlinked: the name is free, the semaphore lives while open. */
	CN_EXPECT_EQ(sem_unlink("/cn-test-handover"), 0);
	errno = 0;
	CN_EXPECT_EQ(sem_unlink("/cn-test-handover"), -1);
	CN_EXPECT_EQ(errno, ENOENT);
	CN_EXPECT_EQ(sem_post(a), 0);
	CN_EXPECT_EQ(sem_trywait(a), 0);
	b = sem_open("/cn-test-handover", O_CREAT | O_EXCL, 0600, 2u);
	CN_ASSERT_TRUE(b != SEM_FAILED);
	CN_EXPECT_TRUE(b != a);
	CN_EXPECT_EQ(sem_getvalue(b, &v), 0);
	CN_EXPECT_EQ(v, 2);
	CN_EXPECT_EQ(sem_close(a), 0);		/* the last: freed */
	errno = 0;
	CN_EXPECT_EQ(sem_close(a), -1);
	CN_EXPECT_EQ(errno, EINVAL);
	CN_EXPECT_EQ(sem_unlink("/cn-test-handover"), 0);
	CN_EXPECT_EQ(sem_close(b), 0);
	/* glibc's rules for names and values. */
	errno = 0;
	CN_EXPECT_TRUE(sem_open("/", O_CREAT, 0600, 0u) == SEM_FAILED);
	CN_EXPECT_EQ(errno, EINVAL);
	errno = 0;
	CN_EXPECT_TRUE(sem_open("/a/b", O_CREAT, 0600, 0u) == SEM_FAILED);
	CN_EXPECT_EQ(errno, EINVAL);
	errno = 0;
	CN_EXPECT_TRUE(sem_open("/big", O_CREAT, 0600,
				(unsigned int)SEM_VALUE_MAX + 1) == SEM_FAILED);
	CN_EXPECT_EQ(errno, EINVAL);
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	errno = 0;
	CN_EXPECT_TRUE(sem_open(longname, O_CREAT, 0600, 0u) == SEM_FAILED);
	CN_EXPECT_EQ(errno, ENAMETOOLONG);
	errno = 0;
	CN_EXPECT_EQ(sem_close(NULL), -1);
	CN_EXPECT_EQ(errno, EINVAL);
}
