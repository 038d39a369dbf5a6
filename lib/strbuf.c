/*
 * The growing text buffer (see strbuf-internal.h).
 */
#include "strbuf-internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(iox_strbuf *sb, size_t more)
{
	size_t cap;
	char *p;

	if (sb->failed)
		return -1;
	if (sb->len + more + 1 <= sb->cap)
		return 0;
	cap = sb->cap ? sb->cap : 256;
	while (cap < sb->len + more + 1) {
		if (cap > ((size_t)-1) / 2) {
			sb->failed = 1;
			return -1;
		}
		cap *= 2;
	}
	if ((p = realloc(sb->data, cap)) == NULL) {
		sb->failed = 1;
		return -1;
	}
	sb->data = p;
	sb->cap = cap;
	return 0;
}

void iox_sb_append(iox_strbuf *sb, const char *s, size_t n)
{
	if (reserve(sb, n) < 0)
		return;
	memcpy(sb->data + sb->len, s, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
}

void iox_sb_puts(iox_strbuf *sb, const char *s)
{
	iox_sb_append(sb, s, strlen(s));
}

void iox_sb_putc(iox_strbuf *sb, char c)
{
	iox_sb_append(sb, &c, 1);
}

void iox_sb_printf(iox_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->failed = 1;
		return;
	}
	if (reserve(sb, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

int iox_sb_finish(iox_strbuf *sb, iotx509_buf *out)
{
	if (!sb->failed && reserve(sb, 0) == 0) {
		out->data = (unsigned char *)sb->data;
		out->size = sb->len;
		sb->data = NULL;
		sb->len = sb->cap = 0;
		return 0;
	}
	iox_sb_dispose(sb);
	return iox_error(IOTX509_ENOMEM, "out of memory");
}

void iox_sb_dispose(iox_strbuf *sb)
{
	free(sb->data);
	sb->data = NULL;
	sb->len = sb->cap = 0;
	sb->failed = 0;
}
