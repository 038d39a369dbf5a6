/**
 * @file iotx509/common.h
 * @brief Export macro, library version, and the buffer type the library returns.
 */
#ifndef IOTX509_COMMON_H
#define IOTX509_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "iotx509/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Marks a symbol as part of the public ABI. Everything else is hidden. */
#if defined(IOTX509_BUILDING) && defined(__GNUC__)
#define IOTX509_EXTERN __attribute__((visibility("default")))
#else
#define IOTX509_EXTERN
#endif

/* iotx509_error_code, used by iotx509_text_escape() below. */
#include "errors.h"

/**
 * Memory returned by the library: PEM text, DER bytes, hex strings.
 *
 * The library allocates @c data; release it with iotx509_buf_dispose() and never
 * with free(). Text results are NUL-terminated (the NUL is not counted in
 * @c size), so @c data can be used as a C string.
 *
 * @code
 * iotx509_buf pem = IOTX509_BUF_INIT;
 * if (iotx509_cert_export_pem(&pem, cert) == 0)
 *     fputs((const char *)pem.data, stdout);
 * iotx509_buf_dispose(&pem);
 * @endcode
 */
typedef struct iotx509_buf {
	unsigned char *data; /**< Owned by the library until iotx509_buf_dispose(). */
	size_t size;         /**< Number of bytes in @c data (without the trailing NUL). */
} iotx509_buf;

/** Static initialiser for an empty iotx509_buf. */
#define IOTX509_BUF_INIT { NULL, 0 }

/**
 * @page options Options structs
 *
 * Every options struct starts with <tt>unsigned int version</tt> and has an
 * @c _INIT macro and an @c _init() function. A struct filled with zeros
 * except @c version means the same as its @c _INIT macro: every default
 * (fields are encoded so that 0 is the default; where 0 is also a real
 * value, a @c has_ field or a flag asks for it). New fields are only
 * appended, with the version constant raised; a function accepts every
 * version from 1 to the current one, so a caller built against an older
 * header keeps working, and refuses any other version with IOTX509_EINVAL
 * ("unsupported version N (this library accepts 1 to M)").
 */

/**
 * The most days the library accepts for a validity period (issuance,
 * renewal, batch) and for a "days left" renewal threshold: 100 years.
 */
#define IOTX509_MAX_DAYS 36500u

/**
 * Wipe and free the memory held by @p buf and reset it to empty.
 *
 * The contents are zeroed before they are freed, because buffers may hold
 * private keys. Accepts NULL and an already-empty buffer.
 * @param buf the buffer to wipe and empty (NULL is accepted)
 */
IOTX509_EXTERN void iotx509_buf_dispose(iotx509_buf *buf);

/** Most strings an iotx509_strlist holds (iotx509_strlist_add() refuses more with IOTX509_ELIMIT). */
#define IOTX509_STRLIST_MAX_COUNT 1024u
/** Longest string (bytes, without the NUL) iotx509_strlist_add() copies; longer is IOTX509_ELIMIT. */
#define IOTX509_STRLIST_MAX_LEN 4096u

/**
 * Opaque list of strings, e.g. the subjectAltName DNS names and IP
 * addresses of iotx509_issue_options and iotx509_csr_options. A binding
 * fills it one string at a time with iotx509_strlist_add(). The list owns
 * copies of its strings. Where a function takes a
 * <tt>const iotx509_strlist *</tt>, NULL means the empty list. Not
 * thread-safe while it is being added to; read-only use may be shared.
 */
typedef struct iotx509_strlist iotx509_strlist;

/**
 * Create an empty list in @p *out; free it with iotx509_strlist_free().
 * @param out receives the new list of strings on success; free it with iotx509_strlist_free()
 * @return 0, IOTX509_EINVAL (NULL @p out), IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_strlist_new(iotx509_strlist **out);

/**
 * Append a copy of the NUL-terminated string @p s to @p list (the caller
 * keeps @p s).
 * @param list the list of strings
 * @param s the string to copy
 * @return 0, IOTX509_EINVAL (NULL @p list or @p s), IOTX509_ELIMIT (the list
 *         already holds IOTX509_STRLIST_MAX_COUNT strings, or @p s is longer
 *         than IOTX509_STRLIST_MAX_LEN bytes), IOTX509_ENOMEM. On error the
 *         list is unchanged.
 */
IOTX509_EXTERN iotx509_error_code iotx509_strlist_add(iotx509_strlist *list, const char *s);

/**
 * Number of strings in @p list; 0 for NULL.
 * @param list the list of strings
 * @return the number of entries
 */
IOTX509_EXTERN size_t iotx509_strlist_count(const iotx509_strlist *list);

/**
 * String number @p index (from 0) of @p list, owned by the list and valid
 * until iotx509_strlist_free(); NULL when @p list is NULL or @p index is
 * not below iotx509_strlist_count().
 * @param list the list of strings
 * @param index 0-based index, below the count
 * @return a string owned by @p list (not to be freed), valid until @p list is freed (or NULL, as described above)
 */
IOTX509_EXTERN const char *iotx509_strlist_get(const iotx509_strlist *list, size_t index);

/**
 * Free @p list and its strings. Accepts NULL.
 * @param list the list of strings to free, or NULL
 */
IOTX509_EXTERN void iotx509_strlist_free(iotx509_strlist *list);

/**
 * The library's run-time version as "MAJOR.MINOR.PATCH".
 *
 * The numbers are stored in the optional out-parameters (each may be NULL).
 * Compare with IOTX509_VERSION_STRING to detect a header/library mismatch.
 * @param major receives the major version, or NULL
 * @param minor receives the minor version, or NULL
 * @param patch receives the patch version, or NULL
 * @return the version as text, "MAJOR.MINOR.PATCH"; a static string
 */
IOTX509_EXTERN const char *iotx509_version(int *major, int *minor, int *patch);

/**
 * Escape text for showing it to people: on a terminal, in a log, in a line
 * of a report. Certificate fields (a CN, a DN, a friendlyName) and file
 * names can hold any bytes, and a newline or an escape sequence printed as
 * it is forges output lines or drives the terminal.
 *
 * The form is reversible. Printable ASCII and valid, printable UTF-8 are
 * kept; everything else becomes a backslash escape:
 *
 * @verbatim
   \\    a backslash
   \n    newline (LF)       \r   carriage return       \t   tab
   \xHH  any other byte, HH in lower-case hex: the other C0 controls and DEL;
         bytes that are not valid UTF-8 (overlong forms, surrogates, stray
         continuation bytes); and each byte of the C1 controls (U+0080 to
         U+009F), the bidirectional controls (U+061C, U+200E, U+200F, U+202A
         to U+202E, U+2066 to U+2069) and the line and paragraph separators
         (U+2028, U+2029)
   @endverbatim
 *
 * Reading each escape back as the byte it stands for gives the original
 * text. The library returns text as it is (certificate fields, file
 * names, and messages that quote them: iotx509_error_last(), result
 * messages); the text renderings meant for display (iotx509_tree_render_text())
 * are escaped already. The iotx509 tool escapes everything it prints in
 * text mode this way.
 *
 * @code
 * iotx509_buf t = IOTX509_BUF_INIT;
 * if (iotx509_text_escape(&t, iotx509_cert_get_subject_cn(cert)) == 0)
 *     printf("CN: %s\n", (const char *)t.data);
 * iotx509_buf_dispose(&t);
 * @endcode
 *
 * @param out  receives the escaped text (NUL-terminated; dispose with iotx509_buf_dispose())
 * @param text a NUL-terminated string
 * @return 0; IOTX509_EINVAL (NULL argument); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_text_escape(iotx509_buf *out, const char *text);

/**
 * Format a time (seconds since 1970-01-01T00:00:00Z) as RFC 3339 UTC text,
 * "YYYY-MM-DDTHH:MM:SSZ", the form the iotx509 tool prints; a time the C
 * library cannot break down (far outside years 0-9999) gives "@" and the
 * decimal seconds. Chosen over a caller's char buffer so bindings get a
 * string through ::iotx509_buf like every other text the library returns.
 * Thread-safe.
 *
 * @param t the time, seconds since the epoch
 * @param out receives the text (dispose with iotx509_buf_dispose())
 * @return 0; IOTX509_EINVAL (NULL @p out); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_time_format(iotx509_buf *out, int64_t t);

#ifdef __cplusplus
}
#endif
#endif
