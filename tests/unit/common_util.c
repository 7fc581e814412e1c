/* Unit tests for common/util: strict parsing, PRNG, closest name, atomic output. */
#include "check.h"
#include "util.h"

#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_parse(void)
{
	int64_t i;
	uint64_t u;
	int n;
	double d;

	CHECK(parse_int64("42", &i) == 0 && i == 42);
	CHECK(parse_int64("-7", &i) == 0 && i == -7);
	CHECK(parse_int64("10x", &i) < 0);
	CHECK(parse_int64("", &i) < 0);
	CHECK(parse_int64(" 5", &i) < 0);
	CHECK(parse_int64("5 ", &i) < 0);
	CHECK(parse_int64("99999999999999999999", &i) < 0);
	CHECK(parse_uint64("-1", &u) < 0);
	CHECK(parse_uint64("18446744073709551615", &u) == 0 && u == UINT64_MAX);
	CHECK(parse_int("100", 1, 99, &n) < 0);
	CHECK(parse_int("99", 1, 99, &n) == 0 && n == 99);
	CHECK(parse_int("0x10", 0, 100, &n) < 0);

	CHECK(parse_double("1.5", 0, &d) == 0 && d == 1.5);
	CHECK(parse_double("1.2E7", 0, &d) == 0 && d == 1.2e7);
	CHECK(parse_double("-3e-2", 0, &d) == 0 && d == -0.03);
	CHECK(parse_double("1e999", 0, &d) < 0);
	CHECK(parse_double("-1e999", 1, &d) < 0);
	CHECK(parse_double("10x", 0, &d) < 0);
	CHECK(parse_double("", 0, &d) < 0);
	CHECK(parse_double(".", 0, &d) < 0);
	CHECK(parse_double("e5", 0, &d) < 0);
	CHECK(parse_double("0x1p3", 0, &d) < 0);
	CHECK(parse_double(" 1", 0, &d) < 0);
	CHECK(parse_double("NaN", 0, &d) < 0);
	CHECK(parse_double("NaN", 1, &d) == 0 && isnan(d));
	CHECK(parse_double("Infinity", 1, &d) == 0 && isinf(d) && d > 0);
	CHECK(parse_double("-Infinity", 1, &d) == 0 && isinf(d) && d < 0);
	CHECK(parse_double("Infinityx", 1, &d) < 0);
	CHECK(parse_double("nan(123)", 1, &d) < 0);
	CHECK(parse_double_n("12,5", 2, 0, &d) == 0 && d == 12);
	CHECK(parse_double_n("1", 0, 0, &d) < 0);
}

static void test_rng(void)
{
	rng a, b;
	int same = 1, counts[10] = { 0 };
	rng_seed(&a, 42);
	rng_seed(&b, 42);
	for (int i = 0; i < 1000; i++)
		if (rng_next(&a) != rng_next(&b))
			same = 0;
	CHECK(same);
	/* reference value pins the algorithm: changing it changes every model */
	rng_seed(&a, 1);
	uint64_t first = rng_next(&a);
	rng_seed(&b, 2);
	CHECK(first != rng_next(&b));
	rng_seed(&a, 7);
	for (int i = 0; i < 100000; i++) {
		uint64_t v = rng_below(&a, 10);
		CHECK(v < 10);
		counts[v]++;
	}
	for (int i = 0; i < 10; i++)
		CHECK(counts[i] > 9500 && counts[i] < 10500);
	for (int i = 0; i < 1000; i++) {
		double x = rng_double(&a);
		CHECK(x >= 0 && x < 1);
	}
	CHECK(rng_derive(5, 0) != rng_derive(5, 1));
	CHECK(rng_derive(5, 3) == rng_derive(5, 3));
	CHECK(rng_below(&a, 1) == 0);
}

static void test_closest(void)
{
	const char *names[] = { "Total Fwd Packet", "Total Bwd packets", "Protocol", "Flow Duration" };
	CHECK_STR(util_closest("Total Fwd Packets", names, 4), "Total Fwd Packet");
	CHECK_STR(util_closest("protocol", names, 4), "Protocol");
	CHECK(util_closest("zzzzzzzzzzzzzzzzzzzz", names, 4) == NULL);
}

static void test_outfile(void)
{
	outfile o;
	char buf[64];
	FILE *fp;
	CHECK(out_open(&o, "out-test.txt") == 0);
	fputs("hello\n", o.fp);
	CHECK(access("out-test.txt", F_OK) != 0);	/* not visible before commit */
	CHECK(out_commit(&o) == 0);
	fp = fopen("out-test.txt", "r");
	CHECK(fp != NULL);
	if (fp) {
		CHECK(fgets(buf, sizeof(buf), fp) != NULL);
		CHECK_STR(buf, "hello\n");
		fclose(fp);
	}
	/* abort keeps the old file */
	CHECK(out_open(&o, "out-test.txt") == 0);
	fputs("partial", o.fp);
	out_abort(&o);
	fp = fopen("out-test.txt", "r");
	CHECK(fp && fgets(buf, sizeof(buf), fp) && !strcmp(buf, "hello\n"));
	if (fp)
		fclose(fp);
	unlink("out-test.txt");
	CHECK(out_open(&o, "no-such-dir/x.txt") < 0);
	/* devices are written in place, never renamed over */
	CHECK(out_open(&o, "/dev/null") == 0 && o.tmp == NULL);
	fputs("x", o.fp);
	CHECK(out_commit(&o) == 0);
	CHECK(out_open(&o, "/dev/full") == 0);
	fputs("x", o.fp);
	fprintf(stderr, "(expected error follows)\n");
	CHECK(out_commit(&o) < 0);
	struct stat st;
	CHECK(stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode));
}

/* Inputs and claimed outputs are refused as outputs, by inode, not by name. */
static void test_guard(void)
{
	FILE *fp = fopen("guard-in.txt", "w");
	CHECK(fp != NULL);
	if (fp)
		fclose(fp);
	CHECK(link("guard-in.txt", "guard-link.txt") == 0);
	out_note_input("guard-in.txt");
	out_note_input("no-such-input.txt");	/* ignored */
	out_note_input("-");			/* ignored */
	fprintf(stderr, "(expected refusals follow)\n");
	CHECK(out_check("guard-in.txt") < 0);
	CHECK(out_check("./guard-link.txt") < 0);	/* same inode, other name */
	outfile o;
	CHECK(out_open(&o, "guard-in.txt") < 0 && o.fp == NULL);
	CHECK(out_check("guard-out.txt") == 0);		/* does not exist yet */
	CHECK(out_check("./guard-out.txt") < 0);	/* claimed: same folder and name */
	CHECK(out_open(&o, "guard-out.txt") == 0);	/* the claimant may open it */
	fputs("x", o.fp);
	CHECK(out_commit(&o) == 0);
	CHECK(out_check("-") == 0 && out_check("-") == 0);
	CHECK(out_check("no-such-input.txt") == 0);
	unlink("guard-in.txt");
	unlink("guard-link.txt");
	unlink("guard-out.txt");
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	CHECK(fp != NULL);
	if (fp) {
		fputs(text, fp);
		fclose(fp);
	}
}

static int file_is(const char *path, const char *text)
{
	char buf[256] = "";
	FILE *fp = fopen(path, "r");
	if (!fp)
		return 0;
	size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return !strcmp(buf, text);
}

static int commit_text(const char *path, const char *text)
{
	outfile o;
	if (out_open(&o, path) < 0)
		return -1;
	fputs(text, o.fp);
	return out_commit(&o);
}

/* Number of names in dir containing ".tmp". */
static int temp_files(const char *dir)
{
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += strstr(e->d_name, ".tmp") != NULL;
	closedir(d);
	return n;
}

/* A replaced file keeps its mode; a new one gets 0666 & ~umask; a symbolic
 * link is written through (its target replaced, the link kept). */
static void test_mode_and_links(void)
{
	struct stat st;
	mode_t um = umask(022);
	CHECK(commit_text("mode-new.txt", "a") == 0);
	CHECK(stat("mode-new.txt", &st) == 0 && (st.st_mode & 0777) == 0644);
	CHECK(chmod("mode-new.txt", 0600) == 0);
	CHECK(commit_text("mode-new.txt", "b") == 0);
	CHECK(stat("mode-new.txt", &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK(file_is("mode-new.txt", "b"));
	CHECK(chmod("mode-new.txt", 0751) == 0);
	CHECK(commit_text("mode-new.txt", "c") == 0);
	CHECK(stat("mode-new.txt", &st) == 0 && (st.st_mode & 0777) == 0751);
	unlink("mode-new.txt");

	CHECK(mkdir("link-dir", 0777) == 0);
	write_file("link-dir/target.txt", "old");
	CHECK(chmod("link-dir/target.txt", 0640) == 0);
	CHECK(symlink("link-dir/target.txt", "link1") == 0);	/* relative to "." */
	CHECK(symlink("link1", "link2") == 0);			/* a chain */
	CHECK(commit_text("link2", "new") == 0);
	CHECK(lstat("link2", &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(lstat("link1", &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(file_is("link-dir/target.txt", "new"));
	CHECK(stat("link-dir/target.txt", &st) == 0 && (st.st_mode & 0777) == 0640);
	CHECK(temp_files(".") == 0 && temp_files("link-dir") == 0);
	/* a link relative to its own folder */
	CHECK(symlink("target.txt", "link-dir/rel") == 0);
	CHECK(commit_text("link-dir/rel", "rel") == 0);
	CHECK(file_is("link-dir/target.txt", "rel"));
	CHECK(lstat("link-dir/rel", &st) == 0 && S_ISLNK(st.st_mode));
	/* a dangling link creates its target */
	CHECK(symlink("link-dir/created.txt", "dangling") == 0);
	CHECK(commit_text("dangling", "made") == 0);
	CHECK(file_is("link-dir/created.txt", "made"));
	CHECK(lstat("dangling", &st) == 0 && S_ISLNK(st.st_mode));
	/* the guard sees through links: the target was claimed by "link2" */
	fprintf(stderr, "(expected refusal follows)\n");
	CHECK(out_check("link-dir/target.txt") < 0);
	/* a loop is an error, not a hang */
	CHECK(symlink("loop-b", "loop-a") == 0 && symlink("loop-a", "loop-b") == 0);
	fprintf(stderr, "(expected error follows)\n");
	CHECK(commit_text("loop-a", "x") < 0);
	unlink("loop-a");
	unlink("loop-b");
	unlink("dangling");
	unlink("link-dir/rel");
	unlink("link1");
	unlink("link2");
	unlink("link-dir/created.txt");
	unlink("link-dir/target.txt");
	rmdir("link-dir");
	umask(um);
}

enum { END_DIE, END_OOM, END_EXIT, END_KILL, END_FAULT, END_TWO };

/* A child opens an output, writes, and ends the given way with the temporary
 * file pending, and a temporary folder with a file in it registered with
 * out_pending_add() (trustee check's); the parent checks that no temporary
 * file or folder remains and how the child ended. Returns the wait() status. */
static int end_child(const char *dir, int how, int sig)
{
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		char path[256];
		outfile o;
		snprintf(path, sizeof(path), "%s/out.txt", dir);
		out_install_signals();
		if (out_open(&o, path) < 0)
			_exit(99);
		fputs("partial", o.fp);
		fflush(o.fp);
		static char sub[256], inner[256];
		snprintf(sub, sizeof(sub), "%s/folder.d", dir);
		snprintf(inner, sizeof(inner), "%s/folder.d/train.csv", dir);
		FILE *fp;
		if (out_pending_add(sub) || mkdir(sub, 0777) || out_pending_add(inner) ||
		    !(fp = fopen(inner, "w")) || fclose(fp))
			_exit(92);
		if (temp_files(dir) != 1)
			_exit(98);
		switch (how) {
		case END_DIE:
			die("dying on purpose");
		case END_OOM: {
			volatile size_t huge = SIZE_MAX / 2;
			(void)!xmalloc(huge);
			_exit(97);
		}
		case END_EXIT:
			exit(3);
		case END_KILL:
			kill(getpid(), sig);
			_exit(96);
		case END_FAULT:
			volatile uintptr_t bad = 8;
			*(volatile int *)bad = 1;	/* a real SIGSEGV */
			_exit(95);
		case END_TWO: {
			/* two signals at once: the first handler runs to its end */
			sigset_t set, old;
			sigemptyset(&set);
			sigaddset(&set, SIGTERM);
			sigaddset(&set, SIGINT);
			sigprocmask(SIG_BLOCK, &set, &old);
			kill(getpid(), SIGTERM);
			kill(getpid(), SIGINT);
			sigprocmask(SIG_SETMASK, &old, NULL);
			_exit(94);
		}
		}
		_exit(93);
	}
	int status = -1;
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(temp_files(dir) == 0);
	CHECK(access("cleanup/out.txt", F_OK) != 0);	/* never committed */
	CHECK(access("cleanup/folder.d", F_OK) != 0);	/* the folder and its file removed */
	if (access("cleanup/folder.d", F_OK) == 0) {
		fprintf(stderr, "  how %d, signal %d: cleanup/folder.d left\n", how, sig);
		unlink("cleanup/folder.d/train.csv");
		rmdir("cleanup/folder.d");
	}
	return status;
}

static void test_cleanup(void)
{
	/* ASan takes SIGSEGV, SIGBUS and SIGFPE for its own report even when they
	 * are sent with kill(): under ASan only the other signals are tested. */
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGABRT, SIGXFSZ,
				    SIGUSR1,
#if !defined(__SANITIZE_ADDRESS__)
				    SIGSEGV, SIGBUS, SIGFPE,
#endif
	};
	int st;
	CHECK(mkdir("cleanup", 0777) == 0);
	fprintf(stderr, "(expected messages follow)\n");
	st = end_child("cleanup", END_DIE, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
#if !defined(__SANITIZE_ADDRESS__)
	st = end_child("cleanup", END_OOM, 0);	/* ASan aborts on huge requests */
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
#endif
	st = end_child("cleanup", END_EXIT, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		st = end_child("cleanup", END_KILL, sigs[i]);
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == sigs[i]);
		if (!(WIFSIGNALED(st) && WTERMSIG(st) == sigs[i]))
			fprintf(stderr, "  signal %d: status %#x\n", sigs[i], st);
	}
#if !defined(__SANITIZE_ADDRESS__)
	st = end_child("cleanup", END_FAULT, 0);	/* ASan reports it and exits 1 */
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
#endif
	st = end_child("cleanup", END_TWO, 0);
	CHECK(WIFSIGNALED(st) && (WTERMSIG(st) == SIGTERM || WTERMSIG(st) == SIGINT));
	rmdir("cleanup");
}

int main(void)
{
	util_set_progname("test");
	test_parse();
	test_rng();
	test_closest();
	test_outfile();
	test_mode_and_links();
	test_cleanup();
	test_guard();	/* last: its noted input is removed, its inode may be reused */
	return check_done();
}
