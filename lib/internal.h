/*
 * Internal declarations shared by the library's modules. Never installed.
 */
#ifndef IOTX509_INTERNAL_H
#define IOTX509_INTERNAL_H

#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "iotx509.h"

#define IOX_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* errors.c: the single error setter. Each returns @code so callers can
 * write "return iox_error(IOTX509_EINVAL, ...)". */
int iox_error(int code, const char *fmt, ...) IOX_PRINTF(2, 3);
/* As iox_error(), appending ": <GnuTLS reason>". */
int iox_error_gnutls(int code, int gnutls_err, const char *fmt, ...) IOX_PRINTF(3, 4);
/* Prefix this thread's current message with "<prefix>: " (e.g. a file name). */
void iox_error_prefix(const char *prefix);
/* A copy of this thread's error state, so that a failure the library
 * tolerates internally (a binary file skipped in a directory, a chain that
 * cannot be completed) does not replace or clear the caller's last error:
 * iotx509_error_last() keeps the last failure until the next one. */
#define IOX_MSG_MAX 1024
typedef struct iox_error_saved {
	int code;
	char msg[IOX_MSG_MAX];
} iox_error_saved;
void iox_error_save(iox_error_saved *s);
void iox_error_restore(const iox_error_saved *s);
/* Map a GnuTLS error to our closest code (ENOMEM, EPASSWORD, EPARSE, EUNSUPPORTED, ECRYPTO). */
int iox_code_from_gnutls(int gnutls_err);
/* The one check of an options struct's version: 1 to @current are accepted
 * (an older caller keeps working after fields are appended); otherwise
 * IOTX509_EINVAL naming @what ("issue options") and the accepted range.
 * Options structs use it through iox_opts_init() and iox_opts_read() below,
 * which also keep to the fields of the caller's (shorter, older) version. */
int iox_check_version(unsigned int version, unsigned int current, const char *what);

/*
 * The versions of one options struct: sizes[v - 1] is the size of version v,
 * @count the current version. Version 1's size is sizeof() today; when a
 * field is appended, the previous entry becomes offsetof(new field) and
 * sizeof() is appended, so one more size is all a new version needs.
 * Declare with IOX_OPTS_TYPE, which checks that there is one size per version.
 */
typedef struct iox_opts_type {
	const char *what; /* "issue options": names the struct in messages */
	const size_t *sizes;
	unsigned int count;
} iox_opts_type;
#define IOX_OPTS_TYPE(var, what_, current, ...)                                                       \
	static const size_t var##_sizes[] = { __VA_ARGS__ };                                           \
	typedef char var##_one_size_per_version[(sizeof(var##_sizes) / sizeof(size_t)) == (current) ? 1 : -1]; \
	static const iox_opts_type var = { what_, var##_sizes, current }
/* The one _init(): checks @version (1..current, else IOTX509_EINVAL naming
 * the struct) and writes only the fields version @version has, from
 * @defaults (the _INIT value); a shorter, older struct is never overrun. */
int iox_opts_init(void *opts, unsigned int version, const void *defaults, const iox_opts_type *t);
/* The one read of a caller's options: @out (a whole current struct) gets
 * @defaults, then the fields the caller's version has from @opts (NULL:
 * defaults only). IOTX509_EINVAL for a version outside 1..current. */
int iox_opts_read(void *out, const void *opts, const void *defaults, const iox_opts_type *t);

/* id.c: iotx509_id_validate_device() with its options read, for the library's callers. */
int iox_id_validate(const char *id, iotx509_id_policy policy, unsigned int flags);

/* common.c */
/* Take ownership of a gnutls-allocated datum into @out, appending a NUL. */
int iox_buf_from_datum(iotx509_buf *out, gnutls_datum_t *datum);
/* As iox_buf_from_datum() for PEM text: guarantees a final newline, because
 * users concatenate the files we write. */
int iox_buf_from_pem_datum(iotx509_buf *out, gnutls_datum_t *datum);
int iox_buf_set(iotx509_buf *out, const void *data, size_t size);
/* Upper-case hex of @size bytes into @out (2*size+1 bytes). */
void iox_hex_upper(char *out, const unsigned char *data, size_t size);
/* ASCII letters and digits, whatever the locale. */
static inline int iox_is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
/* The one percent-encoding (RFC 3986): byte @c as it stands in a URI, into
 * @out (not NUL-terminated); returns 1 (an unreserved character) or 3 ("%XX"). */
size_t iox_pct_encode_unit(char out[3], unsigned char c);
/*
 * The one growth of an array by doubling: room for one more element in
 * @arr (a pointer lvalue) that holds @count of @cap elements; the first
 * allocation holds @first. 0, or IOTX509_ENOMEM with the error set and the
 * array as it was. Use as IOX_ARRAY_GROW(list->items, list->cap, list->count, 8).
 */
int iox_array_grow(void *arrp, size_t *cap, size_t count, size_t size, size_t first);
#define IOX_ARRAY_GROW(arr, cap, count, first) iox_array_grow(&(arr), &(cap), (count), sizeof(*(arr)), (first))
/* strdup that reports ENOMEM through the error setter (returns NULL). */
char *iox_strdup(const char *s);
/* Wipe and gnutls_free a datum that may hold secrets. */
void iox_datum_wipe(gnutls_datum_t *d);
/* Format a time as "YYYY-MM-DDTHH:MM:SSZ" into @out (at least 21 bytes). */
void iox_format_time(char *out, size_t size, int64_t t);
/*
 * The one escaping of text for people (see iotx509_text_escape()): the
 * first character of @s (a NUL-terminated string, not at its end) as it is
 * shown, into @out (1 to 4 bytes, not NUL-terminated); returns that length
 * and sets *@in to the input bytes it stands for.
 */
size_t iox_escape_unit(char out[4], const char *s, size_t *in);

/* Reference counting for immutable handles shared between threads. */
typedef struct {
	unsigned int count;
} iox_refcount;
static inline void iox_ref_init(iox_refcount *r) { __atomic_store_n(&r->count, 1, __ATOMIC_RELAXED); }
static inline void iox_ref_inc(iox_refcount *r) { __atomic_add_fetch(&r->count, 1, __ATOMIC_RELAXED); }
/* Returns 1 when the last reference was dropped. */
static inline int iox_ref_dec(iox_refcount *r) { return __atomic_sub_fetch(&r->count, 1, __ATOMIC_ACQ_REL) == 0; }

#endif
