#ifndef IOTX509_KEY_INTERNAL_H
#define IOTX509_KEY_INTERNAL_H

#include "internal.h"

#include <gnutls/abstract.h>
#include <gnutls/x509.h>

struct iotx509_key {
	iox_refcount ref;
	gnutls_privkey_t priv;    /* what signs: a software key today, a token key later */
	gnutls_x509_privkey_t x509; /* the exportable software key, or NULL */
	gnutls_pubkey_t pub;
	iotx509_key_algorithm alg;
	gnutls_pk_algorithm_t pk;
	unsigned int bits;
	char spki_sha256[65];
};

/* Take another reference to an immutable key. */
iotx509_key *iox_key_ref(const iotx509_key *key);

/* Family and size of a GnuTLS public key. */
iotx509_key_algorithm iox_pk_family(gnutls_pk_algorithm_t pk);

/* SHA-256 of a public key's DER SubjectPublicKeyInfo, 64 upper-case hex digits. */
int iox_pubkey_spki_sha256(char out[65], gnutls_pubkey_t pub);

/* The digest we sign with for a key: SHA-384 for P-384, SHA-512 for P-521,
 * SHA-512 for Ed25519 (as GnuTLS requires), SHA-256 otherwise. */
gnutls_digest_algorithm_t iox_sign_digest(const iotx509_key *key);

#endif
