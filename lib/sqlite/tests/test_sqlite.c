/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SQLite on Cairn, through its own unix VFS: databases on a ramfs mounted
 * on /sq-<case>, rollback journal and WAL mode, two connections locking
 * each other out, writers in two threads.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <cairn/test.h>
#include <cairn/vfs.h>
#include <cairn/vfs_test.h>

static int exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);

	if (rc != SQLITE_OK)
		printf("sqlite: %s: %s\n", sql, err ? err : "?");
	sqlite3_free(err);
	return rc;
}

/* The first column of the first row of sql, as an integer (-1: none). */
static long long one(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -2;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static const char *text(sqlite3 *db, const char *sql, char *buf, size_t len)
{
	sqlite3_stmt *st;

	buf[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		snprintf(buf, len, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return buf;
}

CN_TEST(sqlite, tables_transactions_and_reopening)
{
	sqlite3 *db;
	sqlite3_stmt *ins;
	char buf[32];
	int i;

	cn_vfs_test_scratch("sq", "basic");
	CN_ASSERT_EQ(sqlite3_open("t.db", &db), SQLITE_OK);
	CN_EXPECT_EQ(exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, "
			  "name TEXT, n INT)"), SQLITE_OK);
	CN_EXPECT_EQ(exec(db, "BEGIN"), SQLITE_OK);
	CN_ASSERT_EQ(sqlite3_prepare_v2(db, "INSERT INTO t(name, n) "
					"VALUES(?, ?)", -1, &ins, NULL),
		     SQLITE_OK);
	for (i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "row%d", i);
		sqlite3_bind_text(ins, 1, buf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(ins, 2, i);
		CN_EXPECT_EQ(sqlite3_step(ins), SQLITE_DONE);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	CN_EXPECT_EQ(exec(db, "COMMIT"), SQLITE_OK);
	CN_EXPECT_EQ(exec(db, "CREATE INDEX t_name ON t(name)"), SQLITE_OK);
	CN_EXPECT_EQ(one(db, "SELECT count(*) FROM t"), 1000);
	CN_EXPECT_EQ(one(db, "SELECT sum(n) FROM t"), 499500);
	CN_EXPECT_EQ(one(db, "SELECT n FROM t WHERE name = 'row777'"), 777);
	/* A rolled back change leaves nothing (the journal works). */
	CN_EXPECT_EQ(exec(db, "BEGIN; DELETE FROM t; ROLLBACK"), SQLITE_OK);
	CN_EXPECT_EQ(one(db, "SELECT count(*) FROM t"), 1000);
	CN_EXPECT_EQ(sqlite3_close(db), SQLITE_OK);
	CN_ASSERT_EQ(sqlite3_open("t.db", &db), SQLITE_OK);
	CN_EXPECT_STREQ(text(db, "PRAGMA integrity_check", buf, sizeof(buf)),
			"ok");
	CN_EXPECT_EQ(one(db, "SELECT count(*) FROM t"), 1000);
	CN_EXPECT_EQ(sqlite3_close(db), SQLITE_OK);
	cn_vfs_test_done();
}

CN_TEST(sqlite, two_connections_lock_each_other_out)
{
	sqlite3 *a, *b;

	cn_vfs_test_scratch("sq", "lock");
	CN_ASSERT_EQ(sqlite3_open("l.db", &a), SQLITE_OK);
	CN_ASSERT_EQ(sqlite3_open("l.db", &b), SQLITE_OK);
	CN_EXPECT_EQ(exec(a, "CREATE TABLE t(x)"), SQLITE_OK);
	CN_EXPECT_EQ(exec(a, "BEGIN IMMEDIATE; INSERT INTO t VALUES(1)"),
		     SQLITE_OK);
	/* b cannot write, and sees the old state meanwhile. */
	CN_EXPECT_EQ(sqlite3_exec(b, "BEGIN IMMEDIATE", NULL, NULL, NULL),
		     SQLITE_BUSY);
	CN_EXPECT_EQ(one(b, "SELECT count(*) FROM t"), 0);
	CN_EXPECT_EQ(exec(a, "COMMIT"), SQLITE_OK);
	CN_EXPECT_EQ(exec(b, "BEGIN IMMEDIATE; INSERT INTO t VALUES(2); "
			  "COMMIT"), SQLITE_OK);
	CN_EXPECT_EQ(one(a, "SELECT sum(x) FROM t"), 3);
	CN_EXPECT_EQ(sqlite3_close(b), SQLITE_OK);
	CN_EXPECT_EQ(sqlite3_close(a), SQLITE_OK);
	cn_vfs_test_done();
}

CN_TEST(sqlite, wal_mode_with_its_shared_memory_index)
{
	sqlite3 *a, *b;
	struct stat st;
	char buf[16];

	cn_vfs_test_scratch("sq", "wal");
	CN_ASSERT_EQ(sqlite3_open("w.db", &a), SQLITE_OK);
	CN_EXPECT_STREQ(text(a, "PRAGMA journal_mode=WAL", buf, sizeof(buf)),
			"wal");
	CN_EXPECT_EQ(exec(a, "CREATE TABLE t(x); INSERT INTO t VALUES(1)"),
		     SQLITE_OK);
	CN_EXPECT_EQ(stat("w.db-wal", &st), 0);
	CN_EXPECT_EQ(stat("w.db-shm", &st), 0);
	/* A reader keeps its snapshot while the writer goes on. */
	CN_ASSERT_EQ(sqlite3_open("w.db", &b), SQLITE_OK);
	CN_EXPECT_EQ(exec(b, "BEGIN"), SQLITE_OK);
	CN_EXPECT_EQ(one(b, "SELECT count(*) FROM t"), 1);
	CN_EXPECT_EQ(exec(a, "INSERT INTO t VALUES(2)"), SQLITE_OK);
	CN_EXPECT_EQ(one(b, "SELECT count(*) FROM t"), 1);
	CN_EXPECT_EQ(exec(b, "COMMIT"), SQLITE_OK);
	CN_EXPECT_EQ(one(b, "SELECT count(*) FROM t"), 2);
	CN_EXPECT_EQ(exec(a, "PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);
	CN_EXPECT_EQ(sqlite3_close(b), SQLITE_OK);
	CN_EXPECT_EQ(sqlite3_close(a), SQLITE_OK);
	CN_ASSERT_EQ(sqlite3_open("w.db", &a), SQLITE_OK);
	CN_EXPECT_EQ(one(a, "SELECT sum(x) FROM t"), 3);
	CN_EXPECT_EQ(sqlite3_close(a), SQLITE_OK);
	cn_vfs_test_done();
}

static void *writer(void *arg)
{
	sqlite3 *db;
	long id = (long)arg, ok = 0;
	int i;

	if (sqlite3_open("m.db", &db) != SQLITE_OK)
		return (void *)-1;
	sqlite3_busy_timeout(db, 10000);
	for (i = 0; i < 100; i++) {
		char sql[64];

		snprintf(sql, sizeof(sql), "INSERT INTO t VALUES(%ld, %d)",
			 id, i);
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
			ok++;
		sched_yield();
	}
	sqlite3_close(db);
	return (void *)ok;
}

CN_TEST(sqlite, writers_in_two_threads)
{
	pthread_t t1, t2;
	void *r1 = NULL, *r2 = NULL;
	sqlite3 *db;

	CN_EXPECT_EQ(sqlite3_threadsafe(), 1);
	cn_vfs_test_scratch("sq", "mt");
	CN_ASSERT_EQ(sqlite3_open("m.db", &db), SQLITE_OK);
	CN_EXPECT_EQ(exec(db, "PRAGMA journal_mode=WAL; "
			  "CREATE TABLE t(who, i)"), SQLITE_OK);
	CN_ASSERT_EQ(pthread_create(&t1, NULL, writer, (void *)1), 0);
	CN_ASSERT_EQ(pthread_create(&t2, NULL, writer, (void *)2), 0);
	CN_EXPECT_EQ(pthread_join(t1, &r1), 0);
	CN_EXPECT_EQ(pthread_join(t2, &r2), 0);
	CN_EXPECT_EQ((long)r1, 100);
	CN_EXPECT_EQ((long)r2, 100);
	CN_EXPECT_EQ(one(db, "SELECT count(*) FROM t"), 200);
	CN_EXPECT_EQ(one(db, "SELECT count(DISTINCT who) FROM t"), 2);
	CN_EXPECT_EQ(sqlite3_close(db), SQLITE_OK);
	cn_vfs_test_done();
}
