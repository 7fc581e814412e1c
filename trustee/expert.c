/*
 * expert.c: the expert's labels from a CSV column or from a command
 * (/bin/sh -c CMD, a CSV on its stdin, labels on its stdout).
 */
#include "expert.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "csv.h"
#include "util.h"

void expert_labels_free(expert_labels *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->label[i]);
	free(l->label);
	free(l->line);
	memset(l, 0, sizeof(*l));
}

static void push_label(expert_labels *l, size_t *cap, const char *s, size_t len, size_t line)
{
	if (l->n == *cap) {
		*cap = *cap ? 2 * *cap : 1024;
		l->label = xreallocarray(l->label, *cap, sizeof(*l->label));
		l->line = xreallocarray(l->line, *cap, sizeof(*l->line));
	}
	l->label[l->n] = xstrndup(s, len);
	l->line[l->n] = line;
	l->n++;
}

/* "a, b, c" of the header for a missing-column message (at most 12 names). */
static void missing_column(const char *name, csv_reader *r, const char *column)
{
	size_t nc = csv_ncols(r), len = 0;
	char list[1024];
	const char *near = util_closest(column, csv_colnames(r), nc);

	list[0] = 0;
	for (size_t i = 0; i < nc && i < 12; i++)
		len += (size_t)snprintf(list + len, len < sizeof(list) ? sizeof(list) - len : 0, "%s%s",
					i ? ", " : "", csv_colname(r, i));
	if (nc > 12 && len < sizeof(list))
		snprintf(list + len, sizeof(list) - len, ", ... (%zu columns)", nc);
	if (near)
		error("%s: no column '%s' (did you mean '%s'?)", name, column, near);
	else
		error("%s: no column '%s' (it has: %s)", name, column, list);
}

static int read_column_from(csv_reader *r, const char *name, const char *column, expert_labels *out)
{
	long col = csv_colindex(r, column);
	csv_field *f;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (col < 0) {
		missing_column(name, r, column);
		return -1;
	}
	while ((rc = csv_read(r, &f)) > 0)
		push_label(out, &cap, f[col].s, f[col].len, csv_line(r));
	if (rc < 0) {
		expert_labels_free(out);
		return -1;
	}
	if (!out->n) {
		error("%s: no rows, only a header (expected one '%s' per data row)", name, column);
		return -1;
	}
	return 0;
}

int expert_read_column(const char *path, const char *column, expert_labels *out)
{
	csv_reader *r = csv_open(path);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!r)
		return -1;
	rc = read_column_from(r, path, column, out);
	csv_free(r);
	return rc;
}

/* ---- the command ----------------------------------------------------------- */

static volatile sig_atomic_t child_pid;
static struct sigaction saved[3];
static const int passed_on[3] = { SIGINT, SIGTERM, SIGHUP };

/* Pass the signal on to the command, then end as the previous handler would. */
static void pass_on(int sig)
{
	if (child_pid > 0)
		kill((pid_t)child_pid, sig);
	for (int i = 0; i < 3; i++)
		if (passed_on[i] == sig)
			sigaction(sig, &saved[i], NULL);
	raise(sig);
}

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void set_cloexec(int fd)
{
	fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* Last non-empty line of text (a new string), or NULL. */
static char *last_line(const char *s, size_t n)
{
	size_t end = n, start;

	while (end && (s[end - 1] == '\n' || s[end - 1] == '\r' || s[end - 1] == ' '))
		end--;
	if (!end)
		return NULL;
	start = end;
	while (start && s[start - 1] != '\n')
		start--;
	return xstrndup(s + start, end - start);
}

struct buf {
	char *p;
	size_t n, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;

		while (cap < b->n + n + 1)
			cap = st_mult(cap, 2);
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

/* Keep at most the last 8 KB of the command's stderr. */
static void tail_add(struct buf *b, const char *s, size_t n)
{
	const size_t keep = 8192;

	if (n >= keep) {
		s += n - keep;
		n = keep;
	}
	if (b->n + n > keep) {
		size_t drop = b->n + n - keep;

		memmove(b->p, b->p + drop, b->n - drop);
		b->n -= drop;
	}
	buf_add(b, s, n);
}

int expert_cmd_run(const char *what, const char *cmd, const char *in, size_t in_len, char **out,
		   size_t *out_len)
{
	int pin[2], pout[2], perr[2], status = 0, rc = -1, too_much = 0;
	size_t written = 0, limit = st_add(st_mult(in_len, 4), (size_t)256 << 20);
	struct buf ob = { 0 }, eb = { 0 };
	struct sigaction sa, old_pipe;
	pid_t pid;
	char *line;

	*out = NULL;
	*out_len = 0;
	if (pipe(pin) || pipe(pout) || pipe(perr)) {
		error("%s: cannot make a pipe: %s", what, strerror(errno));
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		set_cloexec(pin[i]);
		set_cloexec(pout[i]);
		set_cloexec(perr[i]);
	}
	fflush(stdout);
	fflush(stderr);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, &old_pipe);
	pid = fork();
	if (pid < 0) {
		error("%s: cannot start '%s': %s", what, cmd, strerror(errno));
		sigaction(SIGPIPE, &old_pipe, NULL);
		return -1;
	}
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		for (int i = 0; i < 3; i++)
			signal(passed_on[i], SIG_DFL);
		if (dup2(pin[0], 0) < 0 || dup2(pout[1], 1) < 0 || dup2(perr[1], 2) < 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	child_pid = pid;
	sa.sa_handler = pass_on;
	for (int i = 0; i < 3; i++) {
		sigaction(passed_on[i], NULL, &saved[i]);
		if (saved[i].sa_handler != SIG_IGN)
			sigaction(passed_on[i], &sa, NULL);
	}
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	set_nonblock(pin[1]);
	if (!in_len) {
		close(pin[1]);
		pin[1] = -1;
	}
	for (;;) {
		struct pollfd pf[3];
		int np = 0, iw = -1, io = -1, ie = -1;
		char chunk[65536];

		if (pin[1] >= 0) {
			pf[np] = (struct pollfd){ .fd = pin[1], .events = POLLOUT };
			iw = np++;
		}
		if (pout[0] >= 0) {
			pf[np] = (struct pollfd){ .fd = pout[0], .events = POLLIN };
			io = np++;
		}
		if (perr[0] >= 0) {
			pf[np] = (struct pollfd){ .fd = perr[0], .events = POLLIN };
			ie = np++;
		}
		if (!np)
			break;
		if (poll(pf, (nfds_t)np, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (iw >= 0 && pf[iw].revents) {
			size_t want = in_len - written > sizeof(chunk) ? sizeof(chunk) : in_len - written;
			ssize_t k = write(pin[1], in + written, want);

			if (k > 0)
				written += (size_t)k;
			if ((k < 0 && errno != EAGAIN && errno != EINTR) || written == in_len) {
				close(pin[1]);	/* done, or the command stopped reading (EPIPE) */
				pin[1] = -1;
			}
		}
		if (io >= 0 && pf[io].revents) {
			ssize_t k = read(pout[0], chunk, sizeof(chunk));

			if (k > 0) {
				buf_add(&ob, chunk, (size_t)k);
				if (ob.n > limit) {
					too_much = 1;
					kill(pid, SIGTERM);
					close(pout[0]);
					pout[0] = -1;
				}
			} else if (k == 0 || (errno != EAGAIN && errno != EINTR)) {
				close(pout[0]);
				pout[0] = -1;
			}
		}
		if (ie >= 0 && pf[ie].revents) {
			ssize_t k = read(perr[0], chunk, sizeof(chunk));

			if (k > 0) {
				tail_add(&eb, chunk, (size_t)k);
			} else if (k == 0 || (errno != EAGAIN && errno != EINTR)) {
				close(perr[0]);
				perr[0] = -1;
			}
		}
	}
	if (pin[1] >= 0)
		close(pin[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	for (int i = 0; i < 3; i++)
		if (saved[i].sa_handler != SIG_IGN)
			sigaction(passed_on[i], &saved[i], NULL);
	child_pid = 0;
	sigaction(SIGPIPE, &old_pipe, NULL);

	line = last_line(eb.p, eb.n);
	if (too_much) {
		error("%s wrote more than %zu MB for %zu bytes of input; stopped it", what, limit >> 20,
		      in_len);
	} else if (WIFSIGNALED(status)) {
		error("%s was killed by signal %d (%s)%s%s", what, WTERMSIG(status),
		      strsignal(WTERMSIG(status)), line ? ": " : "", line ? line : "");
	} else if (WIFEXITED(status) && WEXITSTATUS(status)) {
		error("%s exited with status %d: %s", what, WEXITSTATUS(status),
		      line ? line : "(nothing on its stderr)");
	} else {
		rc = 0;
	}
	free(line);
	free(eb.p);
	if (rc) {
		free(ob.p);
		return -1;
	}
	if (!ob.p)
		ob.p = xstrdup("");
	*out = ob.p;
	*out_len = ob.n;
	return 0;
}

/* ---- its answers ----------------------------------------------------------- */

/* 1-based line of byte offset off. */
static size_t line_of(const char *s, size_t off)
{
	size_t line = 1;

	for (size_t i = 0; i < off; i++)
		line += s[i] == '\n';
	return line;
}

/* Does the first line, read as CSV fields, have a field named column? */
static int has_header(const char *s, size_t len, const char *column)
{
	size_t end = 0, cl = strlen(column);
	const char *p = s;

	while (end < len && s[end] != '\n')
		end++;
	if (end && s[end - 1] == '\r')
		end--;
	while (p <= s + end) {
		const char *q = p;
		int quoted = *p == '"';

		if (quoted) {
			q++;
			while (q < s + end && *q != '"')
				q++;
			if ((size_t)(q - p - 1) == cl && !memcmp(p + 1, column, cl))
				return 1;
			while (q < s + end && *q != ',')
				q++;
		} else {
			const char *a = p, *b;

			while (q < s + end && *q != ',')
				q++;
			b = q;
			while (a < b && *a == ' ')
				a++;
			while (b > a && b[-1] == ' ')
				b--;
			if ((size_t)(b - a) == cl && !memcmp(a, column, cl))
				return 1;
		}
		p = q + 1;
	}
	return 0;
}

int expert_parse_labels(const char *what, const char *column, const char *text, size_t len,
			size_t n_rows, expert_labels *out)
{
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	if (!column)
		column = "Predicted";
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];

		if (ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t') {
			error("%s wrote binary output (byte 0x%02x on line %zu of its output), expected "
			      "one label per line or a CSV with a '%s' column", what, ch, line_of(text, i),
			      column);
			return -1;
		}
	}
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;	/* trailing line breaks end the last answer, they are none */
	if (!len) {
		error("%s printed nothing (expected %zu answers, one per row)", what, n_rows);
		return -1;
	}
	if (has_header(text, len, column)) {
		FILE *fp = fmemopen((void *)(uintptr_t)text, len, "r");
		csv_reader *r;
		int rc;

		if (!fp) {
			error("%s: cannot read its output: %s", what, strerror(errno));
			return -1;
		}
		r = csv_open_fp(fp, what);
		if (!r) {
			fclose(fp);
			return -1;
		}
		rc = read_column_from(r, what, column, out);
		csv_free(r);
		fclose(fp);
		if (rc)
			return -1;
	} else {
		size_t pos = 0, line = 0;

		while (pos < len) {
			size_t end = pos, a, b;

			while (end < len && text[end] != '\n')
				end++;
			line++;
			a = pos;
			b = end;
			if (b > a && text[b - 1] == '\r')
				b--;
			if (b - a >= 2 && text[a] == '"' && text[b - 1] == '"') {
				/* one quoted CSV field: "" is a quote */
				char *s = xmalloc(b - a);
				size_t k = 0;

				for (size_t i = a + 1; i + 1 < b; i++) {
					s[k++] = text[i];
					if (text[i] == '"' && text[i + 1] == '"')
						i++;
				}
				push_label(out, &cap, s, k, line);
				free(s);
			} else {
				push_label(out, &cap, text + a, b - a, line);
			}
			pos = end + 1;
		}
	}
	if (out->n != n_rows) {
		error("%s gave %zu answer%s for %zu rows", what, out->n, out->n == 1 ? "" : "s", n_rows);
		expert_labels_free(out);
		return -1;
	}
	return 0;
}

int expert_cmd_labels(const char *what, const char *cmd, const char *in, size_t in_len,
		      size_t n_rows, expert_labels *out)
{
	char *text;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	if (expert_cmd_run(what, cmd, in, in_len, &text, &len))
		return -1;
	rc = expert_parse_labels(what, NULL, text, len, n_rows, out);
	free(text);
	return rc;
}
