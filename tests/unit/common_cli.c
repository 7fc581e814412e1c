/* Unit tests for common/cli: the shared flag parsers and the usage-error template. */
#include "check.h"
#include "cli.h"
#include "util.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Exit status of f(arg) run in a child, its stderr in err. */
static int child_status(void (*f)(const char *), const char *arg, char *err, size_t n)
{
	int fds[2], status = -1;
	if (pipe(fds) < 0)
		return -1;
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		f(arg);
		_exit(0);
	}
	close(fds[1]);
	size_t len = 0;
	ssize_t got;
	while (len < n - 1 && (got = read(fds[0], err + len, n - 1 - len)) > 0)
		len += (size_t)got;
	err[len] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void do_threads(const char *s) { (void)cli_threads("--threads", s); }
static void do_int(const char *s) { (void)cli_int("--trees", s, 1, 9); }
static void do_seed(const char *s) { (void)cli_uint64("--seed", s); }
static void do_numeric(const char *s) { (void)cli_nonfinite("--nonfinite", s, CLI_NONFINITE_NUMERIC); }
static void do_copying(const char *s)
{
	(void)cli_nonfinite("--nonfinite", s,
			    CLI_NONFINITE_BIT(CLI_NONFINITE_DROP) | CLI_NONFINITE_BIT(CLI_NONFINITE_KEEP));
}
static void do_frac(const char *s) { (void)cli_fraction("--train-size", s, 0); }
static void do_frac1(const char *s) { (void)cli_fraction("--samples-frac", s, 1); }
static void do_scope(const char *s)
{
	static const char *const cmds[] = { "train", "predict", "eval" };
	cli_option_scope(s, 1u << 0 | 1u << 1, 2, cmds, 3);
}
static void do_scope_ok(const char *s)
{
	static const char *const cmds[] = { "train", "predict", "eval" };
	cli_option_scope(s, 1u << 2, 2, cmds, 3);
}

int main(void)
{
	char err[512];

	util_set_progname("tool");
	CHECK(cli_int("--trees", "7", 1, 9) == 7);
	CHECK(cli_threads("-j", "256") == 256);
	CHECK(cli_uint64("--seed", "18446744073709551615") == UINT64_MAX);
	CHECK(cli_double("--C", "0.5", 0, 1, 10, "a number > 0") == 0.5);
	CHECK(cli_fraction("--train-size", "0.7", 0) == 0.7);
	CHECK(cli_fraction("--samples-frac", "1", 1) == 1.0);
	int d = cli_default_threads();
	CHECK(d >= 1 && d <= CLI_MAX_THREADS);
	CHECK(cli_nonfinite("--nonfinite", "clip", CLI_NONFINITE_NUMERIC) == CLI_NONFINITE_CLIP);
	CHECK(cli_nonfinite("--nonfinite", "error", CLI_NONFINITE_NUMERIC) == CLI_NONFINITE_ERROR);
	CHECK(cli_nonfinite("--nonfinite", "keep", CLI_NONFINITE_BIT(CLI_NONFINITE_KEEP)) ==
	      CLI_NONFINITE_KEEP);
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		CLI_OPTIONS_LABEL_COLUMN(300),
		{ NULL, 0, NULL, 0 },
	};
	CHECK_STR(cli_option_name('o', opts), "--output");
	CHECK_STR(cli_option_name(300, opts), "--label-column");
	CHECK_STR(cli_option_name('q', opts), "-q");

	/* the template: message, hint line, exit 2 */
	CHECK(child_status(do_threads, "0", err, sizeof(err)) == 2);
	CHECK_STR(err, "tool: invalid value '0' for --threads (an integer from 1 to 256)\n"
		       "Try 'tool --help' for more information.\n");
	CHECK(child_status(do_threads, "257", err, sizeof(err)) == 2);
	CHECK(child_status(do_threads, "2x", err, sizeof(err)) == 2);
	CHECK(child_status(do_int, "10", err, sizeof(err)) == 2);
	CHECK(strstr(err, "invalid value '10' for --trees (an integer from 1 to 9)") != NULL);
	CHECK(child_status(do_seed, "-1", err, sizeof(err)) == 2);
	CHECK(strstr(err, "invalid value '-1' for --seed (an integer >= 0)") != NULL);
	CHECK(child_status(do_numeric, "keep", err, sizeof(err)) == 2);
	CHECK(strstr(err, "(error, drop, zero or clip)") != NULL);
	CHECK(child_status(do_copying, "zero", err, sizeof(err)) == 2);
	CHECK(strstr(err, "(drop or keep)") != NULL);
	CHECK(child_status(do_frac, "1", err, sizeof(err)) == 2);
	CHECK(strstr(err, "invalid value '1' for --train-size (a number > 0 and < 1)") != NULL);
	CHECK(child_status(do_frac, "0", err, sizeof(err)) == 2);
	CHECK(child_status(do_frac, "nan", err, sizeof(err)) == 2);
	CHECK(child_status(do_frac1, "1.5", err, sizeof(err)) == 2);
	CHECK(strstr(err, "invalid value '1.5' for --samples-frac (a number > 0 and <= 1)") != NULL);
	CHECK(child_status(do_scope, "--linear", err, sizeof(err)) == 2);
	CHECK(strstr(err, "tool: eval: option '--linear' does not apply (an option of train and predict)") != NULL);
	CHECK(child_status(do_scope_ok, "--json", err, sizeof(err)) == 0 && err[0] == '\0');
	return check_done();
}
