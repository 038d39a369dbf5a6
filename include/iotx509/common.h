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
 * Wipe and free the memory held by @p buf and reset it to empty.
 *
 * The contents are zeroed before they are freed, because buffers may hold
 * private keys. Accepts NULL and an already-empty buffer.
 */
IOTX509_EXTERN void iotx509_buf_dispose(iotx509_buf *buf);

/**
 * The library's run-time version as "MAJOR.MINOR.PATCH".
 *
 * The numbers are stored in the optional out-parameters (each may be NULL).
 * Compare with IOTX509_VERSION_STRING to detect a header/library mismatch.
 */
IOTX509_EXTERN const char *iotx509_version(int *major, int *minor, int *patch);

#ifdef __cplusplus
}
#endif
#endif
