/*
 * PKCS#12 helpers shared with the writers that call the exporter later
 * (lib/batch.c checks the options once, before its first device). Never installed.
 */
#ifndef IOTX509_PKCS12_INTERNAL_H
#define IOTX509_PKCS12_INTERNAL_H

#include "internal.h"

/* The one check of PKCS#12 export options (version, profile, flags,
 * iterations): 0, or IOTX509_EINVAL naming the bad field. */
/* Read the caller's options (NULL: defaults; only the fields of its
 * version) into @out and check them: the one check of PKCS#12 options. */
int iox_pkcs12_options_read(iotx509_pkcs12_options *out, const iotx509_pkcs12_options *opts);

#endif
