/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SQLite benchmark: the same program on Cairn (apps/bench-sqlite, its
 * database on ramfs) and in the Linux guest (tmpfs), with the same
 * SQLite amalgamation, support/bench/sqlite/bench.py.
 *
 *   sqlitebench DIR [ROWS [RUNS]]   (defaults /tmp 100000 3)
 *
 * Each round, on a new database DIR/bench.db (rollback journal, the
 * default synchronous=FULL, so each commit reaches the file system):
 *   insert_rows_per_s   ROWS inserts of (id, key, text) through one
 *                       prepared statement, 1000 per transaction, into
 *                       a table with an index on key
 *   lookup_per_s        ROWS indexed queries (SELECT ... WHERE key = ?)
 *                       with keys spread over the table
 *   scan_rows_per_s     a full scan: SUM(length(text)) over every row
 * then the database is removed. After one untimed warm-up round, the
 * medians of RUNS rounds are printed as "name: value", their range as
 * "name_min: value" and "name_max: value". Timed with
 * CLOCK_MONOTONIC; exit status 0 only if every result was right.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>

#define MAX_RUNS 21
#define BATCH 1000

static long rows = 100000;
static char path[512];
/*
 * The phase running (1 inserts, 2 lookups, 3 scan, 0 none), for a
 * profiler that reads guest memory (support/bench/sqlite/profile.py).
 */
volatile int bench_phase;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "sqlitebench: %s: %s\n", what,
		db ? sqlite3_errmsg(db) : "?");
	exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die(db, sql);
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die(db, sql);
	return st;
}

/* The key of row i: a permutation of 0..rows-1 (7919 is prime). */
static long key_of(long i)
{
	return (i * 7919) % rows;
}

static void round_once(double out[3])
{
	sqlite3_stmt *st;
	sqlite3 *db;
	double t;
	long i, found = 0;
	char text[64];

	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die(db, "open");
	exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, key INTEGER, "
		 "text TEXT); CREATE INDEX t_key ON t(key);");

	st = prepare(db, "INSERT INTO t VALUES(?, ?, ?)");
	bench_phase = 1;
	t = now();
	for (i = 0; i < rows; i++) {
		if (i % BATCH == 0)
			exec(db, "BEGIN");
		snprintf(text, sizeof(text), "row %ld with some text", i);
		sqlite3_bind_int64(st, 1, i);
		sqlite3_bind_int64(st, 2, key_of(i));
		sqlite3_bind_text(st, 3, text, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE)
			die(db, "insert");
		sqlite3_reset(st);
		if (i % BATCH == BATCH - 1 || i == rows - 1)
			exec(db, "COMMIT");
	}
	out[0] = rows / (now() - t);
	sqlite3_finalize(st);

	st = prepare(db, "SELECT id FROM t WHERE key = ?");
	bench_phase = 2;
	t = now();
	for (i = 0; i < rows; i++) {
		sqlite3_bind_int64(st, 1, (i * 104729) % rows);
		if (sqlite3_step(st) == SQLITE_ROW)
			found++;
		sqlite3_reset(st);
	}
	out[1] = rows / (now() - t);
	sqlite3_finalize(st);
	if (found != rows) {
		fprintf(stderr, "sqlitebench: %ld of %ld keys found\n", found,
			rows);
		exit(1);
	}

	st = prepare(db, "SELECT count(*), sum(length(text)) FROM t");
	bench_phase = 3;
	t = now();
	if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int64(st, 0) != rows)
		die(db, "scan");
	out[2] = rows / (now() - t);
	bench_phase = 0;
	sqlite3_finalize(st);
	if (sqlite3_close(db) != SQLITE_OK)
		die(db, "close");
	unlink(path);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	static const char *names[3] = { "insert_rows_per_s", "lookup_per_s",
					"scan_rows_per_s" };
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	double v[3][MAX_RUNS], r[3];
	int runs = 3, i, k;

	if (argc > 2)
		rows = atol(argv[2]);
	if (argc > 3)
		runs = atoi(argv[3]);
	if (rows < BATCH || rows > 10000000 || runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "usage: sqlitebench DIR [ROWS (>= %d) [RUNS "
			"(1-%d)]]\n", BATCH, MAX_RUNS);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/bench.db", dir);
	printf("sqlitebench: SQLite %s, %ld rows, %d rounds in %s\n",
	       sqlite3_libversion(), rows, runs, dir);
	round_once(r);				/* warm-up */
	for (i = 0; i < runs; i++) {
		round_once(r);
		for (k = 0; k < 3; k++)
			v[k][i] = r[k];
	}
	for (k = 0; k < 3; k++) {
		printf("%s: %.1f\n", names[k], median(v[k], runs));
		/* median() sorted v[k]: the range of the rounds. */
		printf("%s_min: %.1f\n%s_max: %.1f\n", names[k], v[k][0],
		       names[k], v[k][runs - 1]);
	}
	return 0;
}
