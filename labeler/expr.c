/*
 * expr.c: lexer, recursive-descent parser, type check and evaluator for the
 * labeler's row expressions. See expr.h.
 *
 * Every node has a static type decided at compile time: a number, a string,
 * a condition, an address (literal only) or a cell (column text, which is a
 * number or a string depending on where it is used). Comparisons pick their
 * mode at compile time too, so evaluation does no type dispatch beyond one
 * switch per node and parses a cell as a number only when a number is needed.
 */
#include "expr.h"
#include "util.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- values and nodes ---- */

enum type { T_NUM, T_STR, T_BOOL, T_CELL, T_ADDR, T_TIME };

enum op {
	/* leaves */
	N_NUM, N_STR, N_COL, N_LABEL, N_ADDR, N_TIME,
	/* numbers; N_SUM and N_PROD fold items[] left to right with ops[] (+ - or * /) */
	N_NEG, N_SUM, N_PROD,
	/* conditions; N_AND and N_OR over items[] */
	N_CMP, N_AND, N_OR, N_NOT, N_IN, N_HOST, N_PORT,
	N_LIKE,		/* l like items[] (string patterns); negate: not like */
	N_WINDOW,	/* time in [num, num2): the Timestamp column col */
};

enum cmpop { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE };
enum cmpmode { M_NUM, M_STR, M_DYN, M_ADDR, M_TIME };

typedef struct addr {
	int family;		/* 4 or 6 */
	int prefix;		/* 0..32 or 0..128 */
	uint8_t b[16];
} addr;

typedef struct node node;
struct node {
	enum op op;
	enum type type;
	size_t pos;		/* offset of the token that made the node */
	double num;		/* N_NUM; N_TIME, N_WINDOW: epoch microseconds */
	double num2;		/* N_WINDOW: end */
	int lo_open, hi_open;	/* N_WINDOW: '(' start, ')' end exclusive */
	char *str;		/* N_STR */
	size_t len;
	long col;		/* N_COL; N_HOST/N_PORT first column */
	long col2;		/* N_HOST/N_PORT second column */
	addr a;			/* N_ADDR */
	enum cmpop cmp;
	enum cmpmode mode;
	node *l, *r;
	node **items;		/* N_IN, N_HOST, N_PORT: constant items; N_SUM, N_PROD, N_AND, N_OR: operands */
	size_t nitems;
	char *ops;		/* N_SUM, N_PROD: ops[i] combines items[i] (i >= 1): + - * / */
	int negate;		/* N_IN: "not in" */
};

struct expr {
	node *root;
	long maxcol;
};

/* ---- lexer ---- */

enum tok {
	K_EOF, K_NUM, K_STR, K_IDENT, K_ADDR, K_LABEL,
	K_LP, K_RP, K_LB, K_RB, K_COMMA,
	K_PLUS, K_MINUS, K_STAR, K_SLASH,
	K_EQ, K_NE, K_LT, K_LE, K_GT, K_GE,
	K_AND, K_OR, K_NOT, K_IN, K_HOST, K_PORT, K_NAN, K_INF, K_LIKE, K_NAME, K_TIME,
};

typedef struct parser {
	const char *s;
	size_t n, i;
	/* current token */
	enum tok t;
	size_t tpos, tend;
	int quoted;		/* identifier was backquoted */
	char *text;		/* identifier or string value (owned) */
	size_t tlen;
	double num;
	addr a;
	/* columns */
	const char *const *cols;
	size_t ncols;
	csv_index *ix;
	long maxcol;
	expr_error *err;
	int failed;
	int depth;		/* parentheses open */
} parser;

/*
 * Nesting bound: parentheses recurse in the parser, evaluator and free, so
 * their depth is bounded (a clear error, not a stack overflow). Long flat
 * chains (a and b and ..., a + b + ..., not not ..., - - ...) are parsed in
 * loops into one n-ary node and cost no depth.
 */
#define EXPR_MAX_DEPTH 256

static int fail(parser *p, size_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(parser *p, size_t pos, const char *fmt, ...)
{
	va_list ap;
	if (p->failed)
		return -1;
	p->failed = 1;
	p->err->pos = pos;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static int is_word_start(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int is_word(int c)
{
	return is_word_start(c) || (c >= '0' && c <= '9');
}

static int is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Parse an IPv4/IPv6 address text of n bytes; returns 0 or -1. */
static int addr_parse(const char *s, size_t n, addr *a)
{
	char buf[64];
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(a, 0, sizeof(*a));
	if (memchr(buf, ':', n)) {
		if (inet_pton(AF_INET6, buf, a->b) != 1)
			return -1;
		a->family = 6;
		a->prefix = 128;
	} else {
		if (inet_pton(AF_INET, buf, a->b) != 1)
			return -1;
		a->family = 4;
		a->prefix = 32;
	}
	return 0;
}

/* Fast dotted-quad parse of a cell; -1 if it is not one. */
static int ipv4_cell(const char *s, size_t n, uint8_t out[4])
{
	size_t i = 0;
	for (int k = 0; k < 4; k++) {
		unsigned v = 0, d = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && d < 4) {
			v = v * 10 + (unsigned)(s[i] - '0');
			i++;
			d++;
		}
		if (d == 0 || d > 3 || v > 255)
			return -1;
		out[k] = (uint8_t)v;
		if (k < 3) {
			if (i >= n || s[i] != '.')
				return -1;
			i++;
		}
	}
	return i == n ? 0 : -1;
}

static int addr_cell(const char *s, size_t n, addr *a)
{
	if (n && n < 16 && !memchr(s, ':', n)) {
		if (ipv4_cell(s, n, a->b) < 0)
			return -1;
		a->family = 4;
		return 0;
	}
	return addr_parse(s, n, a);
}

static int addr_in(const addr *cell, const addr *net)
{
	int bits = net->prefix, full = bits / 8, rest = bits % 8;
	if (cell->family != net->family)
		return 0;
	if (memcmp(cell->b, net->b, (size_t)full))
		return 0;
	if (rest) {
		uint8_t m = (uint8_t)(0xff << (8 - rest));
		if ((cell->b[full] & m) != (net->b[full] & m))
			return 0;
	}
	return 1;
}

/* Read the next token into p. Returns 0 or -1 (error recorded). */
static int next(parser *p)
{
	const char *s = p->s;
	size_t n = p->n, i = p->i;
	free(p->text);
	p->text = NULL;
	p->quoted = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	p->tpos = i;
	if (i >= n) {
		p->t = K_EOF;
		p->i = p->tend = i;
		return 0;
	}
	char c = s[i];
	/* addresses: a run of hex digits, ':' and '.' holding a ':' (IPv6), or a dotted quad */
	if (is_hex((unsigned char)c) || c == ':') {
		size_t j = i, colons = 0, dots = 0;
		while (j < n && (is_hex((unsigned char)s[j]) || s[j] == ':' || s[j] == '.')) {
			colons += s[j] == ':';
			dots += s[j] == '.';
			j++;
		}
		if (colons || (dots == 3 && c >= '0' && c <= '9' && !(j < n && is_word((unsigned char)s[j])))) {
			if (j < n && is_word((unsigned char)s[j]))
				return fail(p, i, "bad address '%.*s'", (int)(j - i + 1), s + i);
			if (addr_parse(s + i, j - i, &p->a) < 0)
				return fail(p, i, "bad address '%.*s'", (int)(j - i), s + i);
			if (j < n && s[j] == '/') {
				size_t k = j + 1;
				int v = 0, d = 0;
				while (k < n && s[k] >= '0' && s[k] <= '9' && d < 4) {
					v = v * 10 + (s[k] - '0');
					k++;
					d++;
				}
				if (d == 0 || v > (p->a.family == 4 ? 32 : 128) ||
				    (k < n && is_word((unsigned char)s[k])))
					return fail(p, j, "bad prefix length in '%.*s'", (int)(k - i), s + i);
				p->a.prefix = v;
				j = k;
			}
			p->t = K_ADDR;
			p->i = p->tend = j;
			return 0;
		}
	}
	if ((c >= '0' && c <= '9') || (c == '.' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9')) {
		size_t j = i;
		while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.'))
			j++;
		if (j < n && (s[j] == 'e' || s[j] == 'E')) {
			size_t k = j + 1;
			if (k < n && (s[k] == '+' || s[k] == '-'))
				k++;
			if (k < n && s[k] >= '0' && s[k] <= '9') {
				while (k < n && s[k] >= '0' && s[k] <= '9')
					k++;
				j = k;
			}
		}
		if (j < n && is_word((unsigned char)s[j]))
			return fail(p, i, "bad number '%.*s'", (int)(j - i + 1), s + i);
		if (parse_double_n(s + i, j - i, 0, &p->num) < 0)
			return fail(p, i, "bad number '%.*s'", (int)(j - i), s + i);
		p->t = K_NUM;
		p->i = p->tend = j;
		return 0;
	}
	if (is_word_start((unsigned char)c)) {
		size_t j = i;
		static const struct { const char *w; enum tok t; } kw[] = {
			{ "and", K_AND }, { "or", K_OR }, { "not", K_NOT }, { "in", K_IN },
			{ "host", K_HOST }, { "port", K_PORT }, { "NaN", K_NAN },
			{ "Infinity", K_INF }, { "like", K_LIKE }, { "name", K_NAME }, { "time", K_TIME },
		};
		while (j < n && is_word((unsigned char)s[j]))
			j++;
		p->i = p->tend = j;
		for (size_t k = 0; k < sizeof(kw) / sizeof(kw[0]); k++)
			if (strlen(kw[k].w) == j - i && !memcmp(kw[k].w, s + i, j - i)) {
				p->t = kw[k].t;
				return 0;
			}
		p->t = K_IDENT;
		p->text = xstrndup(s + i, j - i);
		p->tlen = j - i;
		return 0;
	}
	if (c == '`' || c == '\'' || c == '"') {
		/* quoted name or string; the quote character doubled stands for itself */
		size_t j = i + 1, o = 0;
		char *buf = xmalloc(n - i + 1);
		for (;;) {
			if (j >= n) {
				free(buf);
				return fail(p, i, c == '`' ? "unterminated column name" : "unterminated string");
			}
			if (s[j] == c) {
				if (j + 1 < n && s[j + 1] == c) {
					buf[o++] = c;
					j += 2;
					continue;
				}
				j++;
				break;
			}
			buf[o++] = s[j++];
		}
		buf[o] = '\0';
		p->text = buf;
		p->tlen = o;
		p->i = p->tend = j;
		if (c == '`') {
			if (o == 0)
				return fail(p, i, "empty column name");
			p->t = K_IDENT;
			p->quoted = 1;
		} else {
			p->t = K_STR;
		}
		return 0;
	}
	if (c == '$') {
		size_t j = i + 1;
		while (j < n && is_word((unsigned char)s[j]))
			j++;
		if (j - i - 1 != 5 || memcmp(s + i + 1, "label", 5))
			return fail(p, i, "unknown variable '%.*s' (only $label exists)", (int)(j - i), s + i);
		p->t = K_LABEL;
		p->i = p->tend = j;
		return 0;
	}
	p->i = i + 1;
	switch (c) {
	case '(': p->t = K_LP; break;
	case ')': p->t = K_RP; break;
	case '[': p->t = K_LB; break;
	case ']': p->t = K_RB; break;
	case ',': p->t = K_COMMA; break;
	case '+': p->t = K_PLUS; break;
	case '-': p->t = K_MINUS; break;
	case '*': p->t = K_STAR; break;
	case '/': p->t = K_SLASH; break;
	case '=':
		if (i + 1 < n && s[i + 1] == '=') {
			p->t = K_EQ;
			p->i = i + 2;
			break;
		}
		return fail(p, i, "unexpected '=' (use '==' to compare)");
	case '!':
		if (i + 1 < n && s[i + 1] == '=') {
			p->t = K_NE;
			p->i = i + 2;
			break;
		}
		return fail(p, i, "unexpected '!' (use 'not' or '!=')");
	case '<':
		p->t = K_LT;
		if (i + 1 < n && s[i + 1] == '=') {
			p->t = K_LE;
			p->i = i + 2;
		}
		break;
	case '>':
		p->t = K_GT;
		if (i + 1 < n && s[i + 1] == '=') {
			p->t = K_GE;
			p->i = i + 2;
		}
		break;
	default: {
		/* one UTF-8 character at most, for the message */
		size_t k = 1;
		while (i + k < n && ((unsigned char)s[i + k] & 0xC0) == 0x80 && k < 4)
			k++;
		return fail(p, i, "unexpected character '%.*s'", (int)k, s + i);
	}
	}
	p->tend = p->i;
	return 0;
}

/* Text of the current token for messages. */
static void tok_desc(const parser *p, char *buf, size_t size)
{
	if (p->t == K_EOF)
		snprintf(buf, size, "end of expression");
	else
		snprintf(buf, size, "'%.*s'", (int)(p->tend - p->tpos > 40 ? 40 : p->tend - p->tpos),
			 p->s + p->tpos);
}

static int unexpected(parser *p, const char *what)
{
	char d[64];
	tok_desc(p, d, sizeof(d));
	if (what)
		return fail(p, p->tpos, "unexpected %s, expected %s", d, what);
	return fail(p, p->tpos, "unexpected %s", d);
}

/* ---- shell-style patterns (like) ---- */

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* End of the class starting at p[i] == '[' (index after its ']'), or 0 if unterminated. */
static size_t class_end(const char *p, size_t n, size_t i)
{
	size_t j = i + 1;
	if (j < n && (p[j] == '!' || p[j] == '^'))
		j++;
	if (j < n && p[j] == ']')	/* a leading ']' is a member */
		j++;
	while (j < n && p[j] != ']')
		j++;
	return j < n ? j + 1 : 0;
}

static int class_match(const char *p, size_t i, size_t end, unsigned char c)
{
	size_t j = i + 1;
	int neg = 0, in = 0;
	if (p[j] == '!' || p[j] == '^') {
		neg = 1;
		j++;
	}
	for (size_t k = j; k < end - 1; k++) {
		unsigned char a = lower((unsigned char)p[k]), b = a;
		if (k + 2 < end - 1 && p[k + 1] == '-') {
			b = lower((unsigned char)p[k + 2]);
			k += 2;
		}
		if (c >= a && c <= b)
			in = 1;
	}
	return in != neg;
}

/*
 * Shell-style match of s against pattern p, ASCII case-insensitive (as DNS
 * names are): * any run, ? one byte, [abc] [a-z] [!x] a class, \x a literal.
 * Backtracks only to the last '*': time O(len(p) * len(s)) at worst.
 */
static int glob_match(const char *p, size_t pn, const char *s, size_t sn)
{
	size_t pi = 0, si = 0, star_p = (size_t)-1, star_s = 0;
	while (si < sn) {
		if (pi < pn && p[pi] == '*') {
			star_p = ++pi;
			star_s = si;
			continue;
		}
		if (pi < pn) {
			unsigned char c = lower((unsigned char)s[si]);
			size_t np = pi + 1, e;
			int ok;
			if (p[pi] == '?')
				ok = 1;
			else if (p[pi] == '[' && (e = class_end(p, pn, pi))) {
				ok = class_match(p, pi, e, c);
				np = e;
			} else if (p[pi] == '\\' && pi + 1 < pn) {
				ok = lower((unsigned char)p[pi + 1]) == c;
				np = pi + 2;
			} else
				ok = lower((unsigned char)p[pi]) == c;
			if (ok) {
				pi = np;
				si++;
				continue;
			}
		}
		if (star_p == (size_t)-1)
			return 0;
		pi = star_p;
		si = ++star_s;
	}
	while (pi < pn && p[pi] == '*')
		pi++;
	return pi == pn;
}

/* ---- times ---- */

/*
 * The zone of the Timestamp texts and time literals: UTC, a fixed offset or
 * a zone of the system's tz database (through TZ and mktime, with the UTC
 * offset cached per local hour). Process-wide, like TZ itself.
 */
static struct {
	int mode;		/* 0 UTC, 1 fixed offset, 2 tz database */
	long offset;		/* mode 1: seconds east of UTC */
	long long key;		/* mode 2: cached local hour ... */
	long cached;		/* ... and its offset */
} zone = { 0, 0, -1, 0 };

int expr_timezone(const char *name)
{
	char path[4096];
	const char *dir = getenv("TZDIR");
	int sign, hh, mm, k = 0;
	if (!strcmp(name, "UTC") || !strcmp(name, "utc") || !strcmp(name, "Z") || !strcmp(name, "GMT")) {
		zone.mode = 0;
		return 0;
	}
	if ((name[0] == '+' || name[0] == '-') && strlen(name) == 6 && name[3] == ':' &&
	    sscanf(name + 1, "%2d:%2d%n", &hh, &mm, &k) == 2 && k == 5 && hh <= 23 && mm <= 59) {
		sign = name[0] == '-' ? -1 : 1;
		zone.mode = 1;
		zone.offset = sign * (hh * 3600L + mm * 60L);
		return 0;
	}
	if (!*name || name[0] == '/' || strstr(name, "..") || strlen(name) > 200)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
	if (access(path, R_OK) != 0)
		return -1;
	if (setenv("TZ", name, 1) != 0)
		return -1;
	tzset();
	zone.mode = 2;
	zone.key = -1;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static int digits(const char *s, size_t n, size_t i, size_t k, int *out)
{
	int v = 0;
	if (i + k > n)
		return -1;
	for (size_t j = i; j < i + k; j++) {
		if (s[j] < '0' || s[j] > '9')
			return -1;
		v = v * 10 + (s[j] - '0');
	}
	*out = v;
	return 0;
}

/*
 * A time text in either profile's layout as microseconds since the epoch;
 * -1 if it is not one. Layouts: "dd/MM/yyyy hh:mm:ss AM" (CICFlowMeter: the
 * zone flowmeter ran in, the configured zone) and "yyyy-MM-dd HH:mm:ss[.f]"
 * (the fork: always UTC). Literals may use either layout, may stop after the
 * minutes (or the date) in the second, and are always in the configured zone.
 */
static int parse_time(const char *s, size_t n, int literal, double *out)
{
	int Y, M, D, h = 0, m = 0, sec = 0;
	long long us = 0;
	size_t i;
	int utc = 0;
	if (n >= 22 && s[2] == '/' && s[5] == '/') {
		if (digits(s, n, 0, 2, &D) || digits(s, n, 3, 2, &M) || digits(s, n, 6, 4, &Y) ||
		    s[10] != ' ' || digits(s, n, 11, 2, &h) || s[13] != ':' || digits(s, n, 14, 2, &m) ||
		    s[16] != ':' || digits(s, n, 17, 2, &sec) || s[19] != ' ' || n != 22 ||
		    h < 1 || h > 12 || (lower((unsigned char)s[21]) != 'm') ||
		    (lower((unsigned char)s[20]) != 'a' && lower((unsigned char)s[20]) != 'p'))
			return -1;
		h = h % 12 + (lower((unsigned char)s[20]) == 'p' ? 12 : 0);
	} else {
		if (digits(s, n, 0, 4, &Y) || n < 10 || s[4] != '-' || digits(s, n, 5, 2, &M) || s[7] != '-' ||
		    digits(s, n, 8, 2, &D))
			return -1;
		utc = !literal;
		i = 10;
		if (i < n || !literal) {
			if (i >= n || s[i] != ' ' || digits(s, n, 11, 2, &h) || n < 16 || s[13] != ':' ||
			    digits(s, n, 14, 2, &m))
				return -1;
			i = 16;
			if (i < n || !literal) {
				if (i >= n || s[i] != ':' || digits(s, n, 17, 2, &sec))
					return -1;
				i = 19;
			}
			if (i < n) {	/* a fraction of 1 to 9 digits, kept to the microsecond */
				size_t nd = 0;
				if (s[i] != '.' || i + 1 == n || n - i - 1 > 9)
					return -1;
				for (i++; i < n; i++, nd++) {
					if (s[i] < '0' || s[i] > '9')
						return -1;
					if (nd < 6)
						us = us * 10 + (s[i] - '0');
				}
				for (; nd < 6; nd++)
					us *= 10;
			}
		}
	}
	static const unsigned char mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (M < 1 || M > 12 || D < 1 || D > mdays[M - 1] || h > 23 || m > 59 || sec > 59)
		return -1;	/* no 30 February, no leap second (neither tool writes one) */
	if (M == 2 && D == 29 && (Y % 4 || (Y % 100 == 0 && Y % 400)))
		return -1;
	long long t = days_from_civil(Y, (unsigned)M, (unsigned)D) * 86400 + h * 3600LL + m * 60 + sec;
	if (utc) {
		/* the fork's cells are UTC whatever the zone */
	} else if (zone.mode == 1) {
		t -= zone.offset;
	} else if (zone.mode == 2) {
		long long key = t / 3600;
		if (key != zone.key) {
			struct tm tm;
			time_t u;
			memset(&tm, 0, sizeof(tm));
			tm.tm_year = Y - 1900;
			tm.tm_mon = M - 1;
			tm.tm_mday = D;
			tm.tm_hour = h;
			tm.tm_isdst = -1;
			u = mktime(&tm);
			zone.key = key;
			zone.cached = (long)(key * 3600 - (long long)u);
		}
		t -= zone.cached;
	}
	*out = (double)t * 1e6 + (double)us;
	return 0;
}

/* ---- tree ---- */

static node *mk(enum op op, enum type type, size_t pos)
{
	node *x = xcalloc(1, sizeof(*x));
	x->op = op;
	x->type = type;
	x->pos = pos;
	x->col = x->col2 = -1;
	return x;
}

static void node_free(node *x)
{
	if (!x)
		return;
	node_free(x->l);
	node_free(x->r);
	for (size_t i = 0; i < x->nitems; i++)
		node_free(x->items[i]);
	free(x->items);
	free(x->ops);
	free(x->str);
	free(x);
}

static const char *type_name(enum type t)
{
	switch (t) {
	case T_NUM: return "a number";
	case T_STR: return "a string";
	case T_BOOL: return "a condition";
	case T_CELL: return "a column";
	case T_ADDR: return "an address";
	case T_TIME: return "a time";
	}
	return "?";
}

static node *parse_or(parser *p);

static node *column_node(parser *p)
{
	long c = csv_index_find(p->ix, p->text);
	node *x;
	if (c < 0) {
		const char *near = util_closest(p->text, p->cols, p->ncols);
		/* "Dst Port == 53": a name with spaces written bare */
		if (!p->quoted)
			for (size_t k = 0; k < p->ncols; k++) {
				size_t l = strlen(p->cols[k]);
				if (l > p->tlen && strchr(p->cols[k], ' ') && p->tpos + l <= p->n &&
				    !memcmp(p->s + p->tpos, p->cols[k], l) &&
				    (p->tpos + l == p->n || !is_word((unsigned char)p->s[p->tpos + l]))) {
					fail(p, p->tpos, "unknown column '%s' (names with spaces go in backquotes: `%s`)",
					     p->text, p->cols[k]);
					return NULL;
				}
			}
		if (near)
			fail(p, p->tpos, "unknown column '%s' (did you mean '%s'?)", p->text, near);
		else
			fail(p, p->tpos, "unknown column '%s'", p->text);
		return NULL;
	}
	x = mk(N_COL, T_CELL, p->tpos);
	x->col = c;
	if (c > p->maxcol)
		p->maxcol = c;
	return x;
}

/* A constant list item: number (optionally negative), NaN, Infinity, string or address. */
static node *parse_const(parser *p)
{
	size_t pos = p->tpos;
	int neg = 0;
	node *x;
	if (p->t == K_MINUS) {
		neg = 1;
		if (next(p) < 0)
			return NULL;
	}
	switch (p->t) {
	case K_NUM:
	case K_NAN:
	case K_INF:
		x = mk(N_NUM, T_NUM, pos);
		x->num = p->t == K_NUM ? p->num : p->t == K_NAN ? NAN : INFINITY;
		if (neg)
			x->num = -x->num;
		break;
	case K_STR:
		if (neg)
			goto bad;
		x = mk(N_STR, T_STR, pos);
		x->str = p->text;
		x->len = p->tlen;
		p->text = NULL;
		break;
	case K_ADDR:
		if (neg)
			goto bad;
		x = mk(N_ADDR, T_ADDR, pos);
		x->a = p->a;
		break;
	default:
		goto bad;
	}
	if (next(p) < 0) {
		node_free(x);
		return NULL;
	}
	return x;
bad:
	unexpected(p, "a number, string or address");
	return NULL;
}

/* Items after "in", "host" or "port": one constant or "[c, c, ...]". */
static int parse_items(parser *p, node *x)
{
	size_t cap = 0;
	int list = p->t == K_LB;
	if (list && next(p) < 0)
		return -1;
	if (list && p->t == K_RB)
		return unexpected(p, "a list item");
	for (;;) {
		node *it = parse_const(p);
		if (!it)
			return -1;
		ALLOC_GROW(x->items, x->nitems + 1, cap);
		x->items[x->nitems++] = it;
		if (!list)
			return 0;
		if (p->t == K_RB)
			return next(p);
		if (p->t != K_COMMA)
			return unexpected(p, "',' or ']'");
		if (next(p) < 0)
			return -1;
	}
}

static int resolve_pair(parser *p, node *x, const char *a1, const char *a2, const char *b1,
			const char *b2)
{
	x->col = csv_index_find(p->ix, a1);
	if (x->col < 0)
		x->col = csv_index_find(p->ix, a2);
	x->col2 = csv_index_find(p->ix, b1);
	if (x->col2 < 0)
		x->col2 = csv_index_find(p->ix, b2);
	if (x->col < 0 || x->col2 < 0)
		return fail(p, x->pos, "'%s' needs columns '%s' and '%s'", x->op == N_HOST ? "host" : "port",
			    a1, b1);
	if (x->col > p->maxcol)
		p->maxcol = x->col;
	if (x->col2 > p->maxcol)
		p->maxcol = x->col2;
	return 0;
}

/* Patterns after like/name: one string or a list; a '[' class must be closed. */
static int parse_patterns(parser *p, node *x)
{
	if (parse_items(p, x) < 0)
		return -1;
	for (size_t i = 0; i < x->nitems; i++) {
		node *it = x->items[i];
		if (it->type != T_STR)
			return fail(p, it->pos, "a pattern is a string ('*.example.com'), found %s",
				    type_name(it->type));
		for (size_t k = 0; k < it->len; k++) {
			if (it->str[k] == '\\')
				k++;
			else if (it->str[k] == '[') {
				size_t e = class_end(it->str, it->len, k);
				if (!e)
					return fail(p, it->pos, "unterminated '[' in pattern '%s'", it->str);
				k = e - 1;
			}
		}
	}
	return 0;
}

/* time 'YYYY-MM-DD HH:MM[:SS]': a time literal; time in [a, b): a window on Timestamp. */
static node *parse_time_primary(parser *p)
{
	size_t pos = p->tpos;
	node *x;
	if (next(p) < 0)
		return NULL;
	if (p->t == K_STR) {
		x = mk(N_TIME, T_TIME, pos);
		if (parse_time(p->text, p->tlen, 1, &x->num) < 0) {
			fail(p, p->tpos, "bad time '%s' (expected 'YYYY-MM-DD HH:MM[:SS]' or "
				  "'dd/MM/yyyy hh:mm:ss AM')", p->text);
			node_free(x);
			return NULL;
		}
		if (next(p) < 0) {
			node_free(x);
			return NULL;
		}
		return x;
	}
	if (p->t != K_IN) {
		unexpected(p, "a time in quotes or 'in'");
		return NULL;
	}
	x = mk(N_WINDOW, T_BOOL, pos);
	x->col = csv_index_find(p->ix, "Timestamp");
	if (x->col < 0) {
		fail(p, pos, "'time in' needs column 'Timestamp'");
		goto err;
	}
	if (x->col > p->maxcol)
		p->maxcol = x->col;
	if (next(p) < 0)
		goto err;
	if (p->t != K_LB && p->t != K_LP) {
		unexpected(p, "'[' or '(' (a window: ['start', 'end'))");
		goto err;
	}
	x->lo_open = p->t == K_LP;
	for (int k = 0; k < 2; k++) {
		double *v = k ? &x->num2 : &x->num;
		if (next(p) < 0)
			goto err;
		if (p->t != K_STR) {
			unexpected(p, "a time in quotes");
			goto err;
		}
		if (parse_time(p->text, p->tlen, 1, v) < 0) {
			fail(p, p->tpos, "bad time '%s' (expected 'YYYY-MM-DD HH:MM[:SS]' or "
				  "'dd/MM/yyyy hh:mm:ss AM')", p->text);
			goto err;
		}
		if (next(p) < 0)
			goto err;
		if (k == 0 && p->t != K_COMMA) {
			unexpected(p, "','");
			goto err;
		}
	}
	if (p->t != K_RB && p->t != K_RP) {
		unexpected(p, "']' or ')'");
		goto err;
	}
	x->hi_open = p->t == K_RP;
	if (next(p) < 0)
		goto err;
	return x;
err:
	node_free(x);
	return NULL;
}

static node *parse_primary(parser *p)
{
	node *x = NULL;
	size_t pos = p->tpos;
	switch (p->t) {
	case K_NUM:
	case K_NAN:
	case K_INF:
	case K_STR:
	case K_ADDR:
		return parse_const(p);
	case K_IDENT:
		x = column_node(p);
		break;
	case K_LABEL:
		x = mk(N_LABEL, T_STR, pos);
		break;
	case K_LP:
		if (++p->depth > EXPR_MAX_DEPTH) {
			fail(p, pos, "expression nested too deeply (more than %d parentheses)", EXPR_MAX_DEPTH);
			return NULL;
		}
		if (next(p) < 0)
			return NULL;
		x = parse_or(p);
		p->depth--;
		if (!x)
			return NULL;
		if (p->t != K_RP) {
			unexpected(p, "')'");
			node_free(x);
			return NULL;
		}
		break;
	case K_TIME:
		return parse_time_primary(p);
	case K_NAME:
		/* name 'pattern': shorthand for `Server Name` like 'pattern' */
		x = mk(N_LIKE, T_BOOL, pos);
		x->l = mk(N_COL, T_CELL, pos);
		x->l->col = csv_index_find(p->ix, "Server Name");
		if (x->l->col < 0) {
			fail(p, pos, "'name' needs column 'Server Name' (flowmeter --names writes it)");
			goto err;
		}
		if (x->l->col > p->maxcol)
			p->maxcol = x->l->col;
		if (next(p) < 0 || parse_patterns(p, x) < 0)
			goto err;
		return x;
	case K_HOST:
	case K_PORT:
		x = mk(p->t == K_HOST ? N_HOST : N_PORT, T_BOOL, pos);
		if (next(p) < 0 || parse_items(p, x) < 0)
			goto err;
		for (size_t i = 0; i < x->nitems; i++) {
			node *it = x->items[i];
			if (x->op == N_HOST ? it->type != T_ADDR
					    : (it->type != T_NUM || it->num != floor(it->num))) {
				fail(p, it->pos, x->op == N_HOST ? "'host' needs an address or network"
								  : "'port' needs a port number");
				goto err;
			}
		}
		if ((x->op == N_HOST ? resolve_pair(p, x, "Src IP", "Source IP", "Dst IP", "Destination IP")
				     : resolve_pair(p, x, "Src Port", "Source Port", "Dst Port",
						    "Destination Port")) < 0)
			goto err;
		return x;
	default:
		unexpected(p, "a column, number or '('");
		return NULL;
	}
	if (!x || next(p) < 0)
		goto err;
	return x;
err:
	node_free(x);
	return NULL;
}

static int want_bool(parser *p, node *x)
{
	if (x->type == T_BOOL)
		return 0;
	return fail(p, x->pos, "expected a condition, found %s", type_name(x->type));
}

static int want_number(parser *p, node *x, const char *op)
{
	if (x->type == T_NUM || x->type == T_CELL)
		return 0;
	return fail(p, x->pos, "'%s' needs numbers, found %s", op, type_name(x->type));
}

static node *parse_unary(parser *p)
{
	size_t pos = p->tpos, nneg = 0;
	node *x, *y;
	while (p->t == K_MINUS) {	/* - - - x: a loop, not recursion */
		nneg++;
		if (next(p) < 0)
			return NULL;
	}
	y = parse_primary(p);
	if (!y || !nneg)
		return y;
	if (want_number(p, y, "-") < 0) {
		node_free(y);
		return NULL;
	}
	if (y->op == N_NUM) {	/* fold -30, -Infinity */
		if (nneg % 2)
			y->num = -y->num;
		y->pos = pos;
		return y;
	}
	if (nneg % 2 == 0)
		return y;
	x = mk(N_NEG, T_NUM, pos);
	x->l = y;
	return x;
}

static node *binary(parser *p, enum op op, enum type type, size_t pos, node *l, node *r)
{
	node *x = mk(op, type, pos);
	(void)p;
	x->l = l;
	x->r = r;
	return x;
}

/* Add operand y (joined by op) to the n-ary node x, growing its arrays. */
static void nary_add(node *x, node *y, char op, size_t *cap)
{
	if (x->nitems == *cap) {
		*cap = *cap ? st_mult(*cap, 2) : 4;
		x->items = xreallocarray(x->items, *cap, sizeof(*x->items));
		if (x->op == N_SUM || x->op == N_PROD)
			x->ops = xrealloc(x->ops, *cap);
	}
	if (x->ops)
		x->ops[x->nitems] = op;
	x->items[x->nitems++] = y;
}

/*
 * A left-associative chain "a OP b OP c ..." of operands parsed by sub, as
 * one n-ary node of kind op (or the single operand). is_op tells whether a
 * token continues the chain and gives its character.
 */
static node *parse_chain(parser *p, node *(*sub)(parser *), enum op op, enum type type,
			 char (*is_op)(enum tok))
{
	node *first = sub(p), *x, *y;
	size_t cap = 0;
	char c;
	if (!first || !(c = is_op(p->t)))
		return first;
	x = mk(op, type, p->tpos);
	if (op == N_SUM || op == N_PROD)
		x->ops = xmalloc(4);
	nary_add(x, first, 0, &cap);
	while ((c = is_op(p->t))) {
		char opname[2] = { c, 0 };
		if (next(p) < 0 || !(y = sub(p)))
			goto err;
		nary_add(x, y, c, &cap);
		/* operands are checked as they join: the first with the second */
		for (size_t i = x->nitems == 2 ? 0 : 1; i < 2; i++) {
			node *o = x->items[x->nitems - 2 + i];
			if (type == T_BOOL ? want_bool(p, o) < 0 : want_number(p, o, opname) < 0)
				goto err;
		}
	}
	return x;
err:
	node_free(x);
	return NULL;
}

static char prod_op(enum tok t)
{
	return t == K_STAR ? '*' : t == K_SLASH ? '/' : 0;
}

static char sum_op(enum tok t)
{
	return t == K_PLUS ? '+' : t == K_MINUS ? '-' : 0;
}

static node *parse_prod(parser *p)
{
	return parse_chain(p, parse_unary, N_PROD, T_NUM, prod_op);
}

static node *parse_sum(parser *p)
{
	return parse_chain(p, parse_prod, N_SUM, T_NUM, sum_op);
}

static int cmp_tok(enum tok t, enum cmpop *op)
{
	switch (t) {
	case K_EQ: *op = C_EQ; return 1;
	case K_NE: *op = C_NE; return 1;
	case K_LT: *op = C_LT; return 1;
	case K_LE: *op = C_LE; return 1;
	case K_GT: *op = C_GT; return 1;
	case K_GE: *op = C_GE; return 1;
	default: return 0;
	}
}

static const char *cmp_text(enum cmpop op)
{
	static const char *const t[] = { "==", "!=", "<", "<=", ">", ">=" };
	return t[op];
}

/* Decide a comparison's mode from its operand types, or fail. */
static int type_cmp(parser *p, node *x)
{
	node *l = x->l, *r = x->r;
	enum type a = l->type, b = r->type;
	if (a == T_BOOL || b == T_BOOL)
		return fail(p, (a == T_BOOL ? l : r)->pos, "cannot compare a condition with '%s'",
			    cmp_text(x->cmp));
	if (a == T_ADDR || b == T_ADDR) {
		if (a == T_ADDR) {	/* keep the address on the right */
			x->l = r;
			x->r = l;
			l = x->l;
			r = x->r;
			a = l->type;
			b = r->type;
		}
		if (a != T_CELL)
			return fail(p, l->pos, "an address can only be compared with a column");
		if (x->cmp != C_EQ && x->cmp != C_NE)
			return fail(p, x->pos, "addresses compare with '==' or '!=' only");
		x->mode = M_ADDR;
		return 0;
	}
	if (a == T_TIME || b == T_TIME) {
		node *o = a == T_TIME ? r : l;
		if (o->type != T_TIME && o->type != T_CELL)
			return fail(p, o->pos, "a time compares with a column (Timestamp) or a time, not %s",
				    type_name(o->type));
		x->mode = M_TIME;
		return 0;
	}
	if ((a == T_NUM && b == T_STR) || (a == T_STR && b == T_NUM))
		return fail(p, x->pos, "cannot compare a number with a string");
	if (a == T_NUM || b == T_NUM)
		x->mode = M_NUM;
	else if (a == T_STR || b == T_STR)
		x->mode = M_STR;
	else
		x->mode = M_DYN;
	return 0;
}

static node *parse_cmp(parser *p)
{
	node *x = parse_sum(p);
	enum cmpop op;
	int negate = 0;
	if (!x)
		return NULL;
	if (cmp_tok(p->t, &op)) {
		size_t pos = p->tpos;
		node *r;
		if (next(p) < 0 || !(r = parse_sum(p))) {
			node_free(x);
			return NULL;
		}
		x = binary(p, N_CMP, T_BOOL, pos, x, r);
		x->cmp = op;
		if (type_cmp(p, x) < 0) {
			node_free(x);
			return NULL;
		}
		if (cmp_tok(p->t, &op)) {
			fail(p, p->tpos, "comparisons do not chain: use 'and'");
			node_free(x);
			return NULL;
		}
		return x;
	}
	if (p->t == K_NOT) {
		/* "x not in [...]": peek for 'in' */
		parser save = *p;
		save.text = NULL;
		if (next(p) < 0) {
			node_free(x);
			return NULL;
		}
		if (p->t != K_IN && p->t != K_LIKE) {
			free(p->text);
			*p = save;
			unexpected(p, NULL);
			node_free(x);
			return NULL;
		}
		negate = 1;
	}
	if (p->t == K_LIKE) {
		node *lk = mk(N_LIKE, T_BOOL, p->tpos);
		lk->l = x;
		lk->negate = negate;
		if (x->type != T_CELL && x->type != T_STR) {
			fail(p, x->pos, "'like' needs a column or string on its left");
			node_free(lk);
			return NULL;
		}
		if (next(p) < 0 || parse_patterns(p, lk) < 0) {
			node_free(lk);
			return NULL;
		}
		return lk;
	}
	if (p->t == K_IN) {
		node *in = mk(N_IN, T_BOOL, p->tpos);
		in->l = x;
		in->negate = negate;
		if (x->type == T_BOOL || x->type == T_ADDR) {
			fail(p, x->pos, "'in' needs a column, number or string on its left");
			node_free(in);
			return NULL;
		}
		if (next(p) < 0 || parse_items(p, in) < 0) {
			node_free(in);
			return NULL;
		}
		for (size_t i = 0; i < in->nitems; i++) {
			node *it = in->items[i];
			if (x->type == T_CELL)
				continue;
			if (it->type != x->type) {
				fail(p, it->pos, "cannot compare %s with %s", type_name(x->type),
				     type_name(it->type));
				node_free(in);
				return NULL;
			}
		}
		return in;
	}
	return x;
}

static node *parse_not(parser *p)
{
	size_t pos = p->tpos, nnot = 0;
	node *x, *y;
	while (p->t == K_NOT) {	/* not not ... x: a loop, not recursion */
		nnot++;
		if (next(p) < 0)
			return NULL;
	}
	y = parse_cmp(p);
	if (!y || !nnot)
		return y;
	if (want_bool(p, y) < 0) {
		node_free(y);
		return NULL;
	}
	if (nnot % 2 == 0)
		return y;
	x = mk(N_NOT, T_BOOL, pos);
	x->l = y;
	return x;
}

static char and_op(enum tok t)
{
	return t == K_AND ? '&' : 0;
}

static char or_op(enum tok t)
{
	return t == K_OR ? '|' : 0;
}

static node *parse_and(parser *p)
{
	return parse_chain(p, parse_not, N_AND, T_BOOL, and_op);
}

static node *parse_or(parser *p)
{
	return parse_chain(p, parse_and, N_OR, T_BOOL, or_op);
}

expr *expr_compile(const char *text, size_t len, const char *const *cols, size_t ncols,
		   expr_error *err)
{
	parser p;
	node *root = NULL;
	expr *e;
	memset(&p, 0, sizeof(p));
	p.s = text;
	p.n = len;
	p.cols = cols;
	p.ncols = ncols;
	p.ix = csv_index_new(cols, ncols);
	p.maxcol = -1;
	p.err = err;
	err->pos = 0;
	err->msg[0] = '\0';
	if (next(&p) == 0) {
		if (p.t == K_EOF)
			fail(&p, p.tpos, "empty expression");
		else
			root = parse_or(&p);
	}
	if (root && p.t != K_EOF) {
		unexpected(&p, cmp_tok(p.t, &(enum cmpop){ C_EQ }) || p.t == K_IN ? NULL
			   : "an operator, 'and' or 'or'");
		node_free(root);
		root = NULL;
	}
	if (root && want_bool(&p, root) < 0) {
		node_free(root);
		root = NULL;
	}
	free(p.text);
	csv_index_free(p.ix);
	if (!root)
		return NULL;
	e = xmalloc(sizeof(*e));
	e->root = root;
	e->maxcol = p.maxcol;
	return e;
}

void expr_free(expr *e)
{
	if (!e)
		return;
	node_free(e->root);
	free(e);
}

long expr_max_column(const expr *e)
{
	return e->maxcol;
}

/* ---- evaluation ---- */

typedef struct row {
	const expr_cell *c;
	const char *label;
	size_t labellen;
} row;

static double cell_num(const expr_cell *c)
{
	double v;
	if (!csv_number(c->s, c->len, &v))
		return NAN;
	return v;
}

static double eval_num(const node *x, const row *w)
{
	switch (x->op) {
	case N_NUM: return x->num;
	case N_COL: return cell_num(&w->c[x->col]);
	case N_NEG: return -eval_num(x->l, w);
	case N_SUM: {
		double v = eval_num(x->items[0], w);
		for (size_t i = 1; i < x->nitems; i++)
			v = x->ops[i] == '+' ? v + eval_num(x->items[i], w) : v - eval_num(x->items[i], w);
		return v;
	}
	case N_PROD: {
		double v = eval_num(x->items[0], w);
		for (size_t i = 1; i < x->nitems; i++)
			v = x->ops[i] == '*' ? v * eval_num(x->items[i], w) : v / eval_num(x->items[i], w);
		return v;
	}
	default: return NAN;
	}
}

static void eval_str(const node *x, const row *w, const char **s, size_t *len)
{
	switch (x->op) {
	case N_STR: *s = x->str; *len = x->len; return;
	case N_COL: *s = w->c[x->col].s; *len = w->c[x->col].len; return;
	case N_LABEL: *s = w->label; *len = w->labellen; return;
	default: *s = ""; *len = 0; return;
	}
}

static int cmp_num(enum cmpop op, double a, double b)
{
	switch (op) {
	case C_EQ: return a == b || (isnan(a) && isnan(b));
	case C_NE: return !(a == b || (isnan(a) && isnan(b)));
	case C_LT: return a < b;
	case C_LE: return a <= b;
	case C_GT: return a > b;
	case C_GE: return a >= b;
	}
	return 0;
}

static int cmp_str(enum cmpop op, const char *a, size_t la, const char *b, size_t lb)
{
	int c = memcmp(a, b, la < lb ? la : lb);
	if (c == 0)
		c = la < lb ? -1 : la > lb;
	switch (op) {
	case C_EQ: return c == 0;
	case C_NE: return c != 0;
	case C_LT: return c < 0;
	case C_LE: return c <= 0;
	case C_GT: return c > 0;
	case C_GE: return c >= 0;
	}
	return 0;
}

static int eval_bool(const node *x, const row *w);

static int eval_in(const node *x, const row *w)
{
	const node *l = x->l;
	int have_num = 0, have_addr = 0, numok = 0, addrok = 0;
	double v = 0;
	addr a;
	const char *s = NULL;
	size_t len = 0;
	if (l->type == T_NUM) {
		v = eval_num(l, w);
		have_num = numok = 1;
	} else {
		eval_str(l, w, &s, &len);
	}
	for (size_t i = 0; i < x->nitems; i++) {
		const node *it = x->items[i];
		switch (it->op) {
		case N_NUM:
			if (!have_num) {
				have_num = 1;
				numok = csv_number(s, len, &v);
				if (!numok)
					v = NAN;
			}
			if (cmp_num(C_EQ, v, it->num))
				return !x->negate;
			break;
		case N_STR:
			if (len == it->len && !memcmp(s, it->str, len))
				return !x->negate;
			break;
		case N_ADDR:
			if (!have_addr) {
				have_addr = 1;
				addrok = addr_cell(s, len, &a) == 0;
			}
			if (addrok && addr_in(&a, &it->a))
				return !x->negate;
			break;
		default:
			break;
		}
	}
	(void)numok;
	return x->negate;
}

static int eval_hostport(const node *x, const row *w)
{
	const expr_cell *c1 = &w->c[x->col], *c2 = &w->c[x->col2];
	if (x->op == N_PORT) {
		double p1 = cell_num(c1), p2 = cell_num(c2);
		for (size_t i = 0; i < x->nitems; i++)
			if (p1 == x->items[i]->num || p2 == x->items[i]->num)
				return 1;
		return 0;
	}
	addr a1, a2;
	int ok1 = addr_cell(c1->s, c1->len, &a1) == 0, ok2 = addr_cell(c2->s, c2->len, &a2) == 0;
	for (size_t i = 0; i < x->nitems; i++)
		if ((ok1 && addr_in(&a1, &x->items[i]->a)) || (ok2 && addr_in(&a2, &x->items[i]->a)))
			return 1;
	return 0;
}

/* A time operand: a literal, or a cell read as a Timestamp (NaN when it is not one). */
static double eval_time(const node *x, const row *w)
{
	double v;
	if (x->op == N_TIME)
		return x->num;
	if (x->op == N_COL && parse_time(w->c[x->col].s, w->c[x->col].len, 0, &v) == 0)
		return v;
	return NAN;
}

static int eval_like(const node *x, const row *w)
{
	const char *s;
	size_t len;
	eval_str(x->l, w, &s, &len);
	for (size_t i = 0; i < x->nitems; i++)
		if (glob_match(x->items[i]->str, x->items[i]->len, s, len))
			return !x->negate;
	return x->negate;
}

static int eval_window(const node *x, const row *w)
{
	double v;
	const expr_cell *c = &w->c[x->col];
	if (parse_time(c->s, c->len, 0, &v) < 0)
		return 0;
	return (x->lo_open ? v > x->num : v >= x->num) && (x->hi_open ? v < x->num2 : v <= x->num2);
}

static int eval_cmp(const node *x, const row *w)
{
	switch (x->mode) {
	case M_TIME:
		return cmp_num(x->cmp, eval_time(x->l, w), eval_time(x->r, w));
	case M_NUM:
		return cmp_num(x->cmp, eval_num(x->l, w), eval_num(x->r, w));
	case M_STR: {
		const char *a, *b;
		size_t la, lb;
		eval_str(x->l, w, &a, &la);
		eval_str(x->r, w, &b, &lb);
		return cmp_str(x->cmp, a, la, b, lb);
	}
	case M_DYN: {
		const char *a, *b;
		size_t la, lb;
		double u, v;
		eval_str(x->l, w, &a, &la);
		eval_str(x->r, w, &b, &lb);
		if (csv_number(a, la, &u) && csv_number(b, lb, &v))
			return cmp_num(x->cmp, u, v);
		return cmp_str(x->cmp, a, la, b, lb);
	}
	case M_ADDR: {
		const expr_cell *c = &w->c[x->l->col];
		addr a;
		int in = addr_cell(c->s, c->len, &a) == 0 && addr_in(&a, &x->r->a);
		return x->cmp == C_EQ ? in : !in;
	}
	}
	return 0;
}

static int eval_bool(const node *x, const row *w)
{
	switch (x->op) {
	case N_CMP: return eval_cmp(x, w);
	case N_AND:
		for (size_t i = 0; i < x->nitems; i++)
			if (!eval_bool(x->items[i], w))
				return 0;
		return 1;
	case N_OR:
		for (size_t i = 0; i < x->nitems; i++)
			if (eval_bool(x->items[i], w))
				return 1;
		return 0;
	case N_NOT: return !eval_bool(x->l, w);
	case N_IN: return eval_in(x, w);
	case N_HOST:
	case N_PORT: return eval_hostport(x, w);
	case N_LIKE: return eval_like(x, w);
	case N_WINDOW: return eval_window(x, w);
	default: return 0;
	}
}

int expr_eval(const expr *e, const expr_cell *cells, const char *label, size_t labellen)
{
	row w;
	w.c = cells;
	w.label = label ? label : "";
	w.labellen = label ? labellen : 0;
	return eval_bool(e->root, &w);
}
