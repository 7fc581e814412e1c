/*
 * util.h: allocation that dies on out-of-memory, error reporting, strict
 * number parsing and a seeded PRNG. Shared by every program of the toolkit.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TOOLKIT_VERSION "0.1.0"

/* Program name used as the prefix of every diagnostic ("flowmeter: ..."). */
void util_set_progname(const char *name);
const char *util_progname(void);

/*
 * For programs that allocate and free the same big buffers over and over
 * (trustee's students): freed memory stays with the process, below 32 MB
 * from the heap, instead of going back to the kernel and being faulted in
 * again. glibc only; elsewhere nothing.
 */
void util_keep_freed_memory(void);

/* Allocation: never returns NULL; prints "tool: out of memory" and exits 1. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* xreallocarray: overflow-checked nmemb*size. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A new string formatted as by printf (never NULL). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Overflow-checked size arithmetic; die on overflow. */
size_t st_add(size_t a, size_t b);
size_t st_mult(size_t a, size_t b);

/* Grow *arr (of *cap elements of size elt) so that it holds at least need. */
#define ALLOC_GROW(arr, need, cap)                                            \
	do {                                                                  \
		if ((size_t)(need) > (cap)) {                                 \
			size_t ag_new_ = (cap) ? (cap) : 16;                  \
			while (ag_new_ < (size_t)(need))                      \
				ag_new_ = st_mult(ag_new_, 2);                \
			(arr) = xreallocarray((arr), ag_new_, sizeof(*(arr)));\
			(cap) = ag_new_;                                      \
		}                                                             \
	} while (0)

/*
 * Diagnostics on stderr as "tool: message\n".
 * error() returns -1 so that "return error(...)" works in library code.
 * warning() prints "tool: warning: message". die() prints and exits 1.
 * die_usage() prints the message and "Try 'tool --help'." and exits 2.
 */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Strict number parsing: the whole string must be a number, no leading or
 * trailing garbage, no empty string, no overflow (1e999 and 99999999999999999999
 * are errors). Return 0 on success, -1 on failure (nothing printed).
 * parse_double accepts what strtod accepts for finite values plus the
 * spellings NaN, Infinity, -Infinity, inf, -inf only when allow_nonfinite != 0.
 */
int parse_int64(const char *s, int64_t *out);
int parse_uint64(const char *s, uint64_t *out);
int parse_int(const char *s, int min, int max, int *out);
int parse_double(const char *s, int allow_nonfinite, double *out);
/* Same on a (not NUL-terminated) span of n bytes. */
int parse_double_n(const char *s, size_t n, int allow_nonfinite, double *out);

/*
 * PRNG: xoshiro256** seeded through splitmix64. Deterministic for a seed on
 * every platform. rng_split derives an independent stream (e.g. one per tree).
 */
typedef struct rng { uint64_t s[4]; } rng;
void rng_seed(rng *r, uint64_t seed);
uint64_t rng_next(rng *r);
/* Uniform integer in [0, n), n > 0, without modulo bias. */
uint64_t rng_below(rng *r, uint64_t n);
/* Uniform double in [0, 1). */
double rng_double(rng *r);
/* Seed of the i-th independent stream derived from master seed. */
uint64_t rng_derive(uint64_t master, uint64_t i);

/*
 * Output files written atomically: out_open() opens a temporary file next to
 * path ("-" means stdout); out_commit() flushes, checks for write errors,
 * fsyncs and renames it over path; out_abort() removes the temporary file.
 * Both return 0 or -1 (after printing an error naming path).
 * An existing non-regular path (/dev/full, a FIFO) is written in place.
 * A file that is replaced keeps its permission bits (set-user/group-ID bits
 * dropped) and, as far as the user may, its owner and group; a new file gets
 * 0666 & ~umask. A symbolic link is written through: the file it leads to is
 * replaced atomically (its temporary file sits next to it) and the link
 * stays; a dangling link creates its target. A file with other hard links is
 * replaced under this name only (the other names keep the old content).
 * Messages name path as the user gave it.
 */
typedef struct outfile {
	FILE *fp;
	char *path;	/* final name, NULL for stdout */
	char *tmp;	/* temporary name, NULL for stdout */
	char *target;	/* path with symbolic links followed, NULL when path is no link */
} outfile;
int out_open(outfile *o, const char *path);
/*
 * Guard against destroying what the user gave: out_note_input() remembers an
 * input file of this run (by device and inode; "-" and missing paths are
 * ignored). out_check() returns 0 when path may be written, or -1 after
 * printing "tool: refusing to write 'P': it is an input of this run" (or
 * "...: it is already an output of this run") when path names a noted input
 * or an output already claimed by out_check()/out_open() in this run, by
 * device and inode (a path that does not exist yet is compared by its folder's
 * device and inode and its last name). A successful out_check() claims path.
 * out_open() calls out_check() for paths it has not claimed yet. Callers
 * check every output before long work starts and exit 2 on refusal.
 */
void out_note_input(const char *path);
int out_check(const char *path);
int out_commit(outfile *o);
/* out_commit() under another name than the one opened (a partial result, say):
 * path must be in the same file system as the temporary file; the caller
 * checks it with out_check() first. */
int out_commit_as(outfile *o, const char *path);
void out_abort(outfile *o);
/*
 * Cleanup of pending temporary files on every exit path. exit() (die(), out
 * of memory) removes them through atexit(). out_install_signals() gives every
 * signal whose default action ends the process (SIGINT, SIGTERM, SIGHUP,
 * SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1/2, SIGXCPU, SIGXFSZ, and the crashes
 * SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP) a handler that removes
 * them and then ends the process with the action found before (the default
 * one: the exit status still says "killed by SIGx", a crash still dumps core;
 * or a sanitizer's report). Signals ignored at start (nohup) stay ignored.
 * Every signal is blocked while the handler runs, so a second one cannot cut
 * the cleanup short. A closed pipe thus ends a tool quietly with SIGPIPE's
 * status, as cat and grep. Call it once at start, before creating threads;
 * a tool that handles some signal itself (flowmeter's SIGINT) installs its
 * own handler afterwards and may put the saved one back with sigaction().
 * out_remove_pending() is async-signal-safe (it unlinks precomputed names):
 * such a handler may call it.
 */
void out_install_signals(void);
void out_remove_pending(void);
/*
 * Any other temporary path (a file, or a folder removed once the files in it
 * are) removed on every exit path like out_open()'s temporary files: path is
 * kept, not copied, until out_pending_del(path), which the caller calls after
 * removing it itself and before freeing it. Returns 0, or -1 with a message
 * when too many are pending.
 */
int out_pending_add(char *path);
void out_pending_del(const char *path);

/* Check stdout for errors and close it; returns 0 or -1 with a message. */
int close_stdout(void);

/* Edit (Levenshtein) distance of a and b, letters compared case-insensitively. */
size_t util_edit_distance(const char *a, const char *b);

/* Closest string in names[0..n) to s by edit distance (NULL if none close). */
const char *util_closest(const char *s, const char *const *names, size_t n);

/* Monotonic time in seconds. */
double util_now(void);

#endif
