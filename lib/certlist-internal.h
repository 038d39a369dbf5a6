#ifndef IOTX509_CERTLIST_INTERNAL_H
#define IOTX509_CERTLIST_INTERNAL_H

#include "internal.h"

struct iotx509_certlist {
	iotx509_cert **certs; /* each entry holds one reference */
	size_t count, cap;
};

/* Append @cert, taking over the caller's reference (freed on failure). */
int iox_certlist_push(iotx509_certlist *list, iotx509_cert *cert);

/* Index of the certificate with the same DER in @list, or -1. */
long iox_certlist_find(const iotx509_certlist *list, const iotx509_cert *cert);

/* Append the certificates of the file @path. With @lenient, a file that
 * holds no certificate (a key, a .pfx, notes) adds nothing instead of
 * failing, as in a directory; a malformed CERTIFICATE block still fails.
 * Nothing is appended on error. */
int iox_certlist_load_file(iotx509_certlist *list, const char *path, int lenient);

#endif
