/*
 * Collecting certificates from files and directory trees, each certificate
 * once, with the file it was first found in. Shared by the expiry report
 * and the hierarchy view, which both take "files or directories".
 */
#ifndef IOTX509_SCAN_INTERNAL_H
#define IOTX509_SCAN_INTERNAL_H

#include "internal.h"

typedef struct {
	iotx509_cert *cert; /* one reference */
	char *source;       /* the first file it was found in; NULL when added through the API */
} iox_found;

typedef struct {
	iox_found *items;
	size_t count, cap;
	size_t *table; /* open addressing by SHA-256: item index + 1, 0 = free */
	size_t tcap;   /* a power of two, at least twice count */
} iox_scan;

#define IOX_SCAN_INIT { NULL, 0, 0, NULL, 0 }

/*
 * Append the certificates of @path that are not in @scan yet. A file is
 * read as iotx509_certlist_add_path() reads it (no certificate in it is an
 * error). A directory is read recursively in name order: hidden entries
 * and files without certificates are skipped, symbolic links to
 * directories are not followed (no loops), and a tree without any
 * certificate is IOTX509_ENOTFOUND. Nothing is appended on error.
 * *@added (may be NULL) receives the number of new certificates.
 */
int iox_scan_path(iox_scan *scan, const char *path, size_t *added);

/* Append @cert (a new reference) unless already there. Returns 1 when
 * added, 0 when it was a duplicate, or a negative error. */
int iox_scan_add(iox_scan *scan, const iotx509_cert *cert, const char *source);

/* Index of the certificate with the same DER, or -1. */
long iox_scan_find(const iox_scan *scan, const iotx509_cert *cert);

/* Drop the entries from @count on (they are freed). */
void iox_scan_truncate(iox_scan *scan, size_t count);

/* Drop every entry and free the arrays. */
void iox_scan_clear(iox_scan *scan);

#endif
