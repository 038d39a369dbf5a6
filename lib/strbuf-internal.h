/*
 * A growing text buffer for what the library renders (hierarchy text and
 * DOT, TOML, step lists, messages). Failure is sticky: append freely, then
 * check once in iox_sb_finish().
 */
#ifndef IOTX509_STRBUF_INTERNAL_H
#define IOTX509_STRBUF_INTERNAL_H

#include "internal.h"

typedef struct {
	char *data; /* NUL-terminated while not failed */
	size_t len, cap;
	int failed;
} iox_strbuf;

#define IOX_STRBUF_INIT { NULL, 0, 0, 0 }

void iox_sb_printf(iox_strbuf *sb, const char *fmt, ...) IOX_PRINTF(2, 3);
void iox_sb_append(iox_strbuf *sb, const char *s, size_t n);
void iox_sb_puts(iox_strbuf *sb, const char *s);
void iox_sb_putc(iox_strbuf *sb, char c);

/* Move the text into @out (IOTX509_ENOMEM if an append failed). */
int iox_sb_finish(iox_strbuf *sb, iotx509_buf *out);
void iox_sb_dispose(iox_strbuf *sb);

#endif
