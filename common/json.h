/*
 * json.h: the one JSON writer of the toolkit (trustee's explanation,
 * forest's evaluation report). Output is valid JSON: strings escaped
 * (quote, backslash, \n \r \t, other control bytes as \u00XX; other bytes
 * as they are, so UTF-8 passes through), numbers as the shortest decimal
 * text that reads back as the same double, and NaN or an infinity, which
 * JSON cannot express, as null.
 */
#ifndef JSON_H
#define JSON_H

#include <stdio.h>

/* s as a JSON string literal, with its quotes. */
void json_string(FILE *fp, const char *s);
/* v as a JSON number (shortest round-trip text), or null when not finite. */
void json_number(FILE *fp, double v);

#endif
