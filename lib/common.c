/*
 * Buffers, version, and small helpers shared by every module.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void iotx509_buf_dispose(iotx509_buf *buf)
{
	if (buf == NULL)
		return;
	if (buf->data != NULL) {
		gnutls_memset(buf->data, 0, buf->size);
		free(buf->data);
	}
	buf->data = NULL;
	buf->size = 0;
}

struct iotx509_strlist {
	char **items;
	size_t count;
};

iotx509_error_code iotx509_strlist_new(iotx509_strlist **out)
{
	if (out == NULL)
		return iox_error(IOTX509_EINVAL, "string list: NULL argument");
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	return 0;
}

iotx509_error_code iotx509_strlist_add(iotx509_strlist *list, const char *s)
{
	char **items;
	size_t len;

	if (list == NULL || s == NULL)
		return iox_error(IOTX509_EINVAL, "string list: NULL argument");
	if (list->count >= IOTX509_STRLIST_MAX_COUNT)
		return iox_error(IOTX509_ELIMIT, "string list: more than %u strings", IOTX509_STRLIST_MAX_COUNT);
	/* strnlen: a hostile caller's unterminated huge string is not scanned past the limit. */
	if ((len = strnlen(s, IOTX509_STRLIST_MAX_LEN + 1)) > IOTX509_STRLIST_MAX_LEN)
		return iox_error(IOTX509_ELIMIT, "string list: string longer than %u bytes", IOTX509_STRLIST_MAX_LEN);
	if ((items = realloc(list->items, (list->count + 1) * sizeof(*items))) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	list->items = items;
	if ((items[list->count] = malloc(len + 1)) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	memcpy(items[list->count], s, len + 1);
	list->count++;
	return 0;
}

size_t iotx509_strlist_count(const iotx509_strlist *list)
{
	return list ? list->count : 0;
}

const char *iotx509_strlist_get(const iotx509_strlist *list, size_t index)
{
	return list && index < list->count ? list->items[index] : NULL;
}

void iotx509_strlist_free(iotx509_strlist *list)
{
	size_t i;

	if (list == NULL)
		return;
	for (i = 0; i < list->count; i++)
		free(list->items[i]);
	free(list->items);
	free(list);
}

int iox_opts_init(void *opts, unsigned int version, const void *defaults, const iox_opts_type *t)
{
	if (opts == NULL)
		return iox_error(IOTX509_EINVAL, "%s: opts is NULL", t->what);
	if (iox_check_version(version, t->count, t->what) < 0)
		return IOTX509_EINVAL;
	memcpy(opts, defaults, t->sizes[version - 1]);
	*(unsigned int *)opts = version; /* version is every struct's first field */
	return 0;
}

int iox_opts_read(void *out, const void *opts, const void *defaults, const iox_opts_type *t)
{
	unsigned int version;

	memcpy(out, defaults, t->sizes[t->count - 1]);
	if (opts == NULL)
		return 0;
	version = *(const unsigned int *)opts;
	if (iox_check_version(version, t->count, t->what) < 0)
		return IOTX509_EINVAL;
	memcpy(out, opts, t->sizes[version - 1]);
	return 0;
}

const char *iotx509_version(int *major, int *minor, int *patch)
{
	if (major)
		*major = IOTX509_VERSION_MAJOR;
	if (minor)
		*minor = IOTX509_VERSION_MINOR;
	if (patch)
		*patch = IOTX509_VERSION_PATCH;
	return IOTX509_VERSION_STRING;
}

int iox_buf_set(iotx509_buf *out, const void *data, size_t size)
{
	unsigned char *p = malloc(size + 1);

	if (p == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory allocating %zu bytes", size + 1);
	if (size)
		memcpy(p, data, size);
	p[size] = '\0';
	out->data = p;
	out->size = size;
	return 0;
}

int iox_buf_from_datum(iotx509_buf *out, gnutls_datum_t *datum)
{
	int err = iox_buf_set(out, datum->data, datum->size);

	iox_datum_wipe(datum);
	return err;
}

int iox_buf_from_pem_datum(iotx509_buf *out, gnutls_datum_t *datum)
{
	int need_nl = datum->size == 0 || datum->data[datum->size - 1] != '\n';
	unsigned char *p = malloc((size_t)datum->size + 2);

	if (p == NULL) {
		iox_datum_wipe(datum);
		return iox_error(IOTX509_ENOMEM, "out of memory");
	}
	memcpy(p, datum->data, datum->size);
	out->size = datum->size;
	if (need_nl)
		p[out->size++] = '\n';
	p[out->size] = '\0';
	out->data = p;
	iox_datum_wipe(datum);
	return 0;
}

void iox_datum_wipe(gnutls_datum_t *d)
{
	if (d->data != NULL) {
		gnutls_memset(d->data, 0, d->size);
		gnutls_free(d->data);
	}
	d->data = NULL;
	d->size = 0;
}

static const char hex_digits[] = "0123456789ABCDEF";

void iox_hex_upper(char *out, const unsigned char *data, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++) {
		out[2 * i] = hex_digits[data[i] >> 4];
		out[2 * i + 1] = hex_digits[data[i] & 0x0f];
	}
	out[2 * size] = '\0';
}

size_t iox_pct_encode_unit(char out[3], unsigned char c)
{
	if (iox_is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
		out[0] = (char)c;
		return 1;
	}
	out[0] = '%';
	out[1] = hex_digits[c >> 4];
	out[2] = hex_digits[c & 0x0f];
	return 3;
}

int iox_array_grow(void *arrp, size_t *cap, size_t count, size_t size, size_t first)
{
	size_t n = *cap ? 2 * *cap : first;
	void *old, *p;

	if (count < *cap)
		return 0;
	if (n < *cap || n > SIZE_MAX / size)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	/* @arrp points at a T *: copied through void * without aliasing it. */
	memcpy(&old, arrp, sizeof(old));
	if ((p = realloc(old, n * size)) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	memcpy(arrp, &p, sizeof(p));
	*cap = n;
	return 0;
}

char *iox_strdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		iox_error(IOTX509_ENOMEM, "out of memory");
	return p;
}

void iox_format_time(char *out, size_t size, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, size, "@%lld", (long long)t);
}

iotx509_error_code iotx509_time_format(iotx509_buf *out, int64_t t)
{
	char s[64];

	if (out == NULL)
		return iox_error(IOTX509_EINVAL, "time format: NULL argument");
	iox_format_time(s, sizeof(s), t);
	return iox_buf_set(out, s, strlen(s));
}

/* Code points kept out of text output although they are valid UTF-8: the
 * C1 controls (terminals act on some), the bidirectional controls (they
 * reorder what follows on the line) and the line and paragraph separators. */
static int cp_is_control(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Length of the valid UTF-8 sequence at @p (shortest form, no surrogates,
 * at most U+10FFFF), 0 if it is not one; its code point into *cp. */
static size_t utf8_sequence(const unsigned char *p, uint32_t *cp)
{
	unsigned char c = p[0];
	size_t len, i;

	if (c >= 0xc2 && c <= 0xdf)
		len = 2, *cp = c & 0x1fu;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, *cp = c & 0x0fu;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, *cp = c & 0x07u;
	else
		return 0;
	/* A NUL terminator stops this loop: it is not a continuation byte. */
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (p[i] & 0x3fu);
	}
	if ((len == 3 && (*cp < 0x800 || (*cp >= 0xd800 && *cp <= 0xdfff))) || (len == 4 && (*cp < 0x10000 || *cp > 0x10ffff)))
		return 0;
	return len;
}

size_t iox_escape_unit(char out[4], const char *s, size_t *in)
{
	static const char named[] = "\\\n\r\t", letter[] = "\\nrt";
	const unsigned char *p = (const unsigned char *)s;
	const char *k = p[0] ? strchr(named, p[0]) : NULL;
	uint32_t cp = 0;
	size_t len;

	*in = 1;
	if (k != NULL) {
		out[0] = '\\';
		out[1] = letter[k - named];
		return 2;
	}
	if (p[0] >= 0x20 && p[0] < 0x7f) {
		out[0] = (char)p[0];
		return 1;
	}
	/* A kept character is copied whole; an unwanted one loses its first
	 * byte here, and the rest are then escaped one by one too. */
	if (p[0] >= 0x80 && (len = utf8_sequence(p, &cp)) > 0 && !cp_is_control(cp)) {
		memcpy(out, p, len);
		*in = len;
		return len;
	}
	out[0] = '\\';
	out[1] = 'x';
	/* Lower-case hex: setting bit 0x20 lowers A-F and keeps the digits. */
	out[2] = (char)(hex_digits[p[0] >> 4] | 0x20);
	out[3] = (char)(hex_digits[p[0] & 0x0f] | 0x20);
	return 4;
}

iotx509_error_code iotx509_text_escape(iotx509_buf *out, const char *text)
{
	size_t cap, used = 0, in, n;
	char unit[4], *p;

	if (out == NULL || text == NULL)
		return iox_error(IOTX509_EINVAL, "text escape: NULL argument");
	out->data = NULL;
	out->size = 0;
	/* Every input byte becomes at most 4 output bytes. */
	cap = strlen(text);
	if (cap > (SIZE_MAX - 1) / 4)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	if ((p = malloc(4 * cap + 1)) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	while (*text) {
		n = iox_escape_unit(unit, text, &in);
		memcpy(p + used, unit, n);
		used += n;
		text += in;
	}
	p[used] = '\0';
	out->data = (unsigned char *)p;
	out->size = used;
	return 0;
}
