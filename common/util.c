/*
 * util.c: see util.h.
 */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *progname = "toolkit";

void util_set_progname(const char *name)
{
	const char *slash = strrchr(name, '/');
	progname = slash ? slash + 1 : name;
}

const char *util_progname(void)
{
	return progname;
}

static _Noreturn void oom(void)
{
	fprintf(stderr, "%s: out of memory\n", progname);
	exit(1);
}

void util_keep_freed_memory(void)
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
	/*
	 * Fixed thresholds (glibc adapts them otherwise): a tree's node arrays
	 * grow by realloc from the heap rather than through fresh mappings,
	 * and the heap is not trimmed after each student. trustee explain
	 * 100k: 6,700 -> 3,000-4,700 page faults, -2.4 % CPU.
	 */
	(void)mallopt(M_MMAP_THRESHOLD, 32 << 20);
	(void)mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom();
	return q;
}

void *xreallocarray(void *p, size_t nmemb, size_t size)
{
	return xrealloc(p, st_mult(nmemb, size));
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(st_add(n, 1));
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("cannot format a message");
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

size_t st_add(size_t a, size_t b)
{
	if (a > SIZE_MAX - b)
		die("size overflow (%zu + %zu)", a, b);
	return a + b;
}

size_t st_mult(size_t a, size_t b)
{
	if (a && b > SIZE_MAX / a)
		die("size overflow (%zu * %zu)", a, b);
	return a * b;
}

__attribute__((format(printf, 2, 0)))
static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	char buf[4096];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	fflush(stdout);
	fprintf(stderr, "%s: %s%s\n", progname, prefix, buf);
}

int error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
	exit(1);
}

void die_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", progname);
	exit(2);
}

/* ---- strict number parsing ---- */

int parse_int64(const char *s, int64_t *out)
{
	char *end;
	long long v;
	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end != '\0')
		return -1;
	*out = (int64_t)v;
	return 0;
}

int parse_uint64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	if (!s || !*s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end != '\0')
		return -1;
	*out = (uint64_t)v;
	return 0;
}

int parse_int(const char *s, int min, int max, int *out)
{
	int64_t v;
	if (parse_int64(s, &v) < 0 || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

static int nonfinite_word(const char *s, size_t n, double *out)
{
	int neg = 0;
	if (n && (*s == '-' || *s == '+')) {
		neg = *s == '-';
		s++;
		n--;
	}
	if ((n == 3 && !strncasecmp(s, "nan", 3))) {
		*out = neg ? -NAN : NAN;
		return 0;
	}
	if ((n == 8 && !strncmp(s, "Infinity", 8)) ||
	    (n == 3 && !strncasecmp(s, "inf", 3))) {
		*out = neg ? -INFINITY : INFINITY;
		return 0;
	}
	return -1;
}

int parse_double_n(const char *s, size_t n, int allow_nonfinite, double *out)
{
	char buf[128];
	char *end;
	double v;
	size_t i;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		/* digits, sign, point, exponent only: rejects hex, spaces, words */
		if (!(isdigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'))
			return allow_nonfinite ? nonfinite_word(s, n, out) : -1;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (end != buf + n || end == buf)
		return -1;
	if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL))
		return -1;
	if (!isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int parse_double(const char *s, int allow_nonfinite, double *out)
{
	if (!s)
		return -1;
	return parse_double_n(s, strlen(s), allow_nonfinite, out);
}

/* ---- PRNG: xoshiro256** (Blackman & Vigna), seeded by splitmix64 ---- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_seed(rng *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t rng_below(rng *r, uint64_t n)
{
	uint64_t x;
	if (n <= 1)
		return 0;
	/* reject x below 2^64 mod n, which is below n: only then is it divided out */
	do
		x = rng_next(r);
	while (x < n && x < -n % n);
	return x % n;
}

double rng_double(rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t rng_derive(uint64_t master, uint64_t i)
{
	uint64_t x = master ^ (0xd1b54a32d192ed03ULL * (i + 1));
	splitmix64(&x);
	return splitmix64(&x);
}

/* ---- atomic output files ---- */

/*
 * Pending temporary files: slots read by signal handlers, so each slot is a
 * lock-free atomic pointer (async-signal-safe to load). A name is published
 * only once complete and cleared before it is freed.
 */
#define MAX_PENDING 256
static _Atomic(char *) pending[MAX_PENDING];
/* The process that created each: a forked child (trustee's expert command
 * before its exec) never removes its parent's files. */
static _Atomic(pid_t) pending_pid[MAX_PENDING];

void out_remove_pending(void)
{
	pid_t self = getpid();

	for (int i = 0; i < MAX_PENDING; i++) {
		char *p = atomic_load(&pending[i]);
		if (p && atomic_load(&pending_pid[i]) == self)
			unlink(p);
	}
	for (int i = 0; i < MAX_PENDING; i++) {	/* then the folders, emptied by now */
		char *p = atomic_load(&pending[i]);
		if (p && atomic_load(&pending_pid[i]) == self)
			rmdir(p);
	}
}

static void remove_pending_at_exit(void)
{
	out_remove_pending();
}

/* die(), out of memory and every other exit() remove the pending files. */
static void register_exit_cleanup(void)
{
	static int registered;
	if (!registered) {
		atexit(remove_pending_at_exit);
		registered = 1;
	}
}

static int pending_add(char *tmp)
{
	register_exit_cleanup();
	for (int i = 0; i < MAX_PENDING; i++) {
		char *expect = NULL;
		if (atomic_load(&pending[i]))
			continue;
		atomic_store(&pending_pid[i], getpid());	/* before the name is seen */
		if (atomic_compare_exchange_strong(&pending[i], &expect, tmp))
			return 0;
	}
	return -1;
}

static void pending_del(const char *tmp)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (atomic_load(&pending[i]) == tmp) {
			atomic_store(&pending[i], NULL);
			return;
		}
}

int out_pending_add(char *path)
{
	if (pending_add(path) < 0)
		return error("cannot register '%s' for removal: more than %d temporary files", path,
			     MAX_PENDING);
	return 0;
}

void out_pending_del(const char *path)
{
	pending_del(path);
}

/* Signals whose default action ends the process: each one removes the pending
 * temporary files first, then ends the process as the default action would. */
static const int end_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
	SIGXCPU, SIGXFSZ, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP,
};
#define N_END_SIGNALS (sizeof(end_signals) / sizeof(end_signals[0]))
static struct sigaction prev_action[N_END_SIGNALS];

static void on_end_signal(int sig, siginfo_t *si, void *ctx)
{
	int fault = (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL) &&
		    si && si->si_code > 0;
	sigset_t set;

	(void)ctx;
	out_remove_pending();
	/* Put back the action found at installation (the default one, or a
	 * sanitizer's handler that reports the crash). */
	for (size_t i = 0; i < N_END_SIGNALS; i++)
		if (end_signals[i] == sig)
			sigaction(sig, &prev_action[i], NULL);
	if (fault)
		return;	/* the faulting instruction runs again under that action */
	/* Every signal stays blocked while this handler runs (sa_mask), so a
	 * second one waits; raise this one again and let only it through. */
	raise(sig);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	/* not reached when the action ends the process */
}

void out_install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_end_signal;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < N_END_SIGNALS; i++) {
		struct sigaction old;
		if (sigaction(end_signals[i], NULL, &old) < 0)
			continue;
		if (!(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN)
			continue;	/* ignored by whoever started us (nohup): keep it so */
		if ((old.sa_flags & SA_SIGINFO) && old.sa_sigaction == on_end_signal)
			continue;	/* already installed */
		prev_action[i] = old;
		sigaction(end_signals[i], &sa, NULL);
	}
	register_exit_cleanup();
}

/*
 * The file that path names once symbolic links are followed (a chain of
 * links, relative ones read from the link's folder); it may not exist (a
 * dangling link names the file it would create). Returns a new string, or
 * NULL with errno set (ELOOP after 40 links).
 */
static char *resolve_links(const char *path)
{
	char *cur = xstrdup(path);
	for (int hops = 0;; hops++) {
		struct stat st;
		if (lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode))
			return cur;
		if (hops == 40) {
			free(cur);
			errno = ELOOP;
			return NULL;
		}
		size_t cap = (size_t)st.st_size + 1 > 64 ? (size_t)st.st_size + 1 : 64;
		char *target;
		ssize_t len;
		for (;;) {
			target = xmalloc(cap);
			len = readlink(cur, target, cap);
			if (len < 0 || (size_t)len < cap)
				break;
			free(target);
			cap = st_mult(cap, 2);
		}
		if (len < 0) {
			int e = errno;
			free(target);
			free(cur);
			errno = e;
			return NULL;
		}
		target[len] = '\0';
		const char *slash = strrchr(cur, '/');
		char *next;
		if (target[0] == '/' || !slash) {
			next = target;
		} else {
			size_t dirlen = (size_t)(slash - cur) + 1;
			next = xmalloc(st_add(dirlen, (size_t)len + 1));
			memcpy(next, cur, dirlen);
			memcpy(next + dirlen, target, (size_t)len + 1);
			free(target);
		}
		free(cur);
		cur = next;
	}
}

/* Files of this run: inputs and claimed outputs, by (device, inode) of the
 * file, or of its folder plus its last name when it does not exist yet. */
struct file_id {
	dev_t dev;
	ino_t ino;
	char *name;	/* NULL: (dev, ino) is the file; else the folder's */
	int is_input;
};
static struct file_id *run_files;
static size_t n_run_files, cap_run_files;

static int file_id_of(const char *path, struct file_id *id)
{
	struct stat st;
	id->name = NULL;
	if (stat(path, &st) == 0) {
		id->dev = st.st_dev;
		id->ino = st.st_ino;
		return 0;
	}
	/* not there yet: its folder and name (those of a dangling link's target) */
	char *real = resolve_links(path);
	if (!real)
		return -1;
	const char *slash = strrchr(real, '/');
	char *dir = slash ? xstrndup(real, (size_t)(slash - real) + 1) : xstrdup(".");
	int rc = stat(dir, &st);
	free(dir);
	if (rc == 0) {
		id->dev = st.st_dev;
		id->ino = st.st_ino;
		id->name = xstrdup(slash ? slash + 1 : real);
	}
	free(real);
	return rc < 0 ? -1 : 0;
}

static struct file_id *run_file_find(const struct file_id *id)
{
	for (size_t i = 0; i < n_run_files; i++) {
		struct file_id *f = &run_files[i];
		if (f->dev == id->dev && f->ino == id->ino && !f->name == !id->name &&
		    (!f->name || !strcmp(f->name, id->name)))
			return f;
	}
	return NULL;
}

static void run_file_add(struct file_id *id, int is_input)
{
	id->is_input = is_input;
	ALLOC_GROW(run_files, n_run_files + 1, cap_run_files);
	run_files[n_run_files++] = *id;
}

void out_note_input(const char *path)
{
	struct stat st;
	if (!path || !strcmp(path, "-") || stat(path, &st) < 0)
		return;
	struct file_id id = { .dev = st.st_dev, .ino = st.st_ino };
	struct file_id *f = run_file_find(&id);
	if (f)
		f->is_input = 1;	/* an input is never written, even if claimed */
	else
		run_file_add(&id, 1);
}

int out_check(const char *path)
{
	struct file_id id;
	if (!strcmp(path, "-") || file_id_of(path, &id) < 0)
		return 0;	/* stdout, or a folder that does not exist: out_open says so */
	const struct file_id *f = run_file_find(&id);
	if (f) {
		free(id.name);
		return error("refusing to write '%s': it is %s of this run", path,
			     f->is_input ? "an input" : "already an output");
	}
	run_file_add(&id, 0);
	return 0;
}

/* A committed output stays claimed by its new device and inode too (it was
 * claimed by folder and name when it did not exist yet). */
static void claim_written(const char *path)
{
	struct file_id id;
	if (file_id_of(path, &id) < 0)
		return;
	if (run_file_find(&id))
		free(id.name);
	else
		run_file_add(&id, 0);
}

/* True when path is an output claimed by out_check(). */
static int out_claimed(const char *path)
{
	struct file_id id;
	if (file_id_of(path, &id) < 0)
		return 0;
	const struct file_id *f = run_file_find(&id);
	free(id.name);
	return f && !f->is_input;
}

int out_open(outfile *o, const char *path)
{
	o->fp = NULL;
	o->path = o->tmp = o->target = NULL;
	if (!strcmp(path, "-")) {
		o->fp = stdout;
		return 0;
	}
	if (!out_claimed(path) && out_check(path) < 0)
		return -1;
	/* Devices, FIFOs and other non-regular files (/dev/null, /dev/full, a
	 * pipe) are written in place: renaming over them would replace them. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		o->fp = fopen(path, "w");
		if (!o->fp)
			return error("cannot write '%s': %s", path, strerror(errno));
		o->path = xstrdup(path);
		return 0;
	}
	/* A symbolic link is written through: the file it leads to is replaced
	 * (the temporary file sits next to that file, so the rename stays in
	 * one file system) and the link is kept. */
	char *real = resolve_links(path);
	if (!real)
		return error("cannot write '%s': %s", path, strerror(errno));
	mode_t mode;
	int exists = stat(real, &st) == 0;
	if (exists) {
		mode = st.st_mode & 07777 & ~(mode_t)(S_ISUID | S_ISGID);	/* replaced: same permissions */
	} else {
		mode_t um = umask(0);
		umask(um);
		mode = 0666 & ~um;
	}
	const char *slash = strrchr(real, '/');
	size_t dirlen = slash ? (size_t)(slash - real + 1) : 0;
	size_t n = st_add(strlen(real), 32);
	o->tmp = xmalloc(n);
	snprintf(o->tmp, n, "%.*s.%s.tmpXXXXXX", (int)dirlen, real, real + dirlen);
	/* published before it exists: a signal between mkstemp() and here would
	 * otherwise leave it (unlinking a name not created yet is harmless) */
	if (pending_add(o->tmp) < 0) {
		free(o->tmp);
		free(real);
		o->tmp = NULL;
		return error("cannot write '%s': more than %d outputs open at once", path,
			     MAX_PENDING);
	}
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		error("cannot create '%s': %s", path, strerror(errno));
		pending_del(o->tmp);
		free(o->tmp);
		free(real);
		o->tmp = NULL;
		return -1;
	}
	if (exists && (st.st_uid != geteuid() || st.st_gid != getegid()))
		(void)!fchown(fd, st.st_uid, st.st_gid);	/* as far as we may; the mode follows */
	fchmod(fd, mode);
	o->fp = fdopen(fd, "w");
	if (!o->fp) {
		int e = errno;
		close(fd);
		unlink(o->tmp);
		pending_del(o->tmp);
		free(o->tmp);
		free(real);
		o->tmp = NULL;
		return error("cannot write '%s': %s", path, strerror(e));
	}
	o->path = xstrdup(path);
	if (strcmp(real, path))
		o->target = real;
	else
		free(real);
	return 0;
}

int out_commit_as(outfile *o, const char *path)
{
	if (!o->tmp)
		return out_commit(o);
	free(o->path);
	free(o->target);
	o->path = xstrdup(path);
	o->target = NULL;
	return out_commit(o);
}

int out_commit(outfile *o)
{
	int rc = 0;
	if (!o->fp)
		return -1;
	if (!o->tmp) {	/* stdout, or a device written in place */
		const char *name = o->path ? o->path : "standard output";
		errno = 0;
		if (fflush(o->fp) || ferror(o->fp))
			rc = error("error writing '%s': %s", name, strerror(errno ? errno : EIO));
		if (o->path) {
			if (fclose(o->fp) && !rc)
				rc = error("error writing '%s': %s", name, strerror(errno ? errno : EIO));
			free(o->path);
			o->path = NULL;
		}
		o->fp = NULL;
		return rc;
	}
	if (fflush(o->fp) || ferror(o->fp) || fsync(fileno(o->fp)) < 0)
		rc = error("error writing '%s': %s", o->path, strerror(errno ? errno : EIO));
	if (fclose(o->fp) && !rc)
		rc = error("error writing '%s': %s", o->path, strerror(errno ? errno : EIO));
	o->fp = NULL;
	if (!rc && rename(o->tmp, o->target ? o->target : o->path) < 0)
		rc = error("cannot rename to '%s': %s", o->path, strerror(errno));
	if (rc)
		unlink(o->tmp);
	else
		claim_written(o->path);
	pending_del(o->tmp);
	free(o->tmp);
	free(o->path);
	free(o->target);
	o->tmp = o->path = o->target = NULL;
	return rc;
}

void out_abort(outfile *o)
{
	if (!o->tmp && o->path) {	/* device written in place */
		if (o->fp)
			fclose(o->fp);
		free(o->path);
	}
	if (o->tmp) {
		if (o->fp)
			fclose(o->fp);
		unlink(o->tmp);
		pending_del(o->tmp);
		free(o->tmp);
		free(o->path);
		free(o->target);
	}
	o->fp = NULL;
	o->tmp = o->path = o->target = NULL;
}

int close_stdout(void)
{
	errno = 0;
	if (fflush(stdout) || ferror(stdout)) {
		int e = errno ? errno : EIO;
		fclose(stdout);
		return error("error writing standard output: %s", strerror(e));
	}
	if (fclose(stdout) && errno != EBADF)
		return error("error writing standard output: %s", strerror(errno));
	return 0;
}

/* ---- misc ---- */

size_t util_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = xmalloc((lb + 1) * sizeof(*row));
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			int ca = tolower((unsigned char)a[i - 1]);
			int cb = tolower((unsigned char)b[j - 1]);
			size_t best = diag + (ca != cb);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	size_t d = row[lb];
	free(row);
	return d;
}

const char *util_closest(const char *s, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		size_t d = util_edit_distance(s, names[i]);
		if (d < bestd) {
			bestd = d;
			best = names[i];
		}
	}
	/* only suggest when reasonably close */
	if (best && bestd > (strlen(s) + 2) / 2 + 1)
		return NULL;
	return best;
}

double util_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}
