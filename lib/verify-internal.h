#ifndef IOTX509_VERIFY_INTERNAL_H
#define IOTX509_VERIFY_INTERNAL_H

#include "internal.h"

/*
 * 1 if GnuTLS's chain verification refuses @c, wherever it stands in a
 * chain, for a critical extension GnuTLS does not support (0 if not).
 * GnuTLS decides; @oids (may be NULL) receives the OIDs of @c's critical
 * extensions, comma-separated, for the message.
 */
int iox_cert_unknown_critical(const iotx509_cert *c, char *oids, size_t size);

#endif
