/*
 * jfmt.h: numbers as Java prints them, fast.
 *
 * jfmt_double() is java.lang.Double.toString(double): the shortest decimal
 * digits that round-trip (Ryu, Ulf Adams 2018), as plain decimal with at
 * least one fractional digit when 1e-3 <= |x| < 1e7 ("12.0", "0.5"), else
 * as "d.dddE[-]n" ("1.4204287E7", "9.976309704558468E-6"); "NaN",
 * "Infinity", "-Infinity", "0.0", "-0.0".
 * jfmt_long() is Long.toString(long).
 * Both write into buf (at least JFMT_BUFSZ bytes), do not NUL-terminate, and
 * return the number of bytes written.
 */
#ifndef FM_JFMT_H
#define FM_JFMT_H

#include <stddef.h>
#include <stdint.h>

#define JFMT_BUFSZ 32

size_t jfmt_double(char *buf, double x);
size_t jfmt_long(char *buf, int64_t v);
/* Shortest round-trip digits of a finite x > 0: *digits = the digits as an
 * integer, returns the decimal exponent e with x ~ digits * 10^e. */
int jfmt_shortest(double x, uint64_t *digits);

#endif
