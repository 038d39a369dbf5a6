/*
 * The PKCS#11 backend of the key module. lib/key.c is the dispatcher: it
 * tells a token key's reference (a pkcs11: URL) from a file and hands the
 * former to this backend, which opens the key in the token and wraps it
 * into a handle with iox_key_wrap() (key-internal.h). Nothing else of
 * key.c is called from here but its shared helpers. Never installed.
 */
#ifndef IOTX509_PKCS11_INTERNAL_H
#define IOTX509_PKCS11_INTERNAL_H

#include "internal.h"

/* 1 if @ref is a pkcs11: URL (the scheme in any case). */
int iox_pkcs11_is_url(const char *ref);

/* Open the private key at the pkcs11: @url. @pin and @module (a PKCS#11
 * module to load first) may be NULL. */
int iox_pkcs11_open_key(iotx509_key **out, const char *url, const char *pin, const char *module);

#endif
