/*
 * Credential file names, shared with lib/batch*.c. Never installed.
 */
#ifndef IOTX509_CREDENTIAL_INTERNAL_H
#define IOTX509_CREDENTIAL_INTERNAL_H

#include "internal.h"

/* What follows NAME in each file of a credential, indexed by
 * ::iotx509_credential_file: the four files of a set (CERT, KEY, FULLCHAIN,
 * PFX) come first, then the CSR. */
extern const char *const iox_credential_suffixes[IOTX509_CREDENTIAL_CSR + 1];
#define IOX_CREDENTIAL_SET_FILES 4

/* Options with IOTX509_CREDENTIAL_PARTIAL_CHAIN, for the library's own callers. */
extern const iotx509_credential_options iox_credential_partial_chain;
/* The one read of ::iotx509_credential_options (NULL: defaults; only the
 * caller's version's fields) into @copy, flags checked. */
int iox_credential_options_read(iotx509_credential_options *copy, const iotx509_credential_options *opts);

#endif
