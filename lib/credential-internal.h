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

#endif
