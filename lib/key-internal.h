#ifndef IOTX509_KEY_INTERNAL_H
#define IOTX509_KEY_INTERNAL_H

#include "internal.h"

#include <pthread.h>

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
	/* SHA-1 of the SubjectPublicKeyInfo, the SubjectKeyIdentifier of its
	 * certificates: computed with spki_sha256 from the same encoding
	 * rather than again for every certificate issued. */
	unsigned char key_id[20];
	char *url;              /* token keys: their pkcs11: URL without PIN */
	int serialize;          /* token keys: one signing operation at a time */
	pthread_mutex_t lock;
};

/* Wrap a signing key into a new handle, taking ownership of @priv and of
 * @x509 (NULL for keys that live in a token; @url names those). */
int iox_key_wrap(iotx509_key **out, gnutls_privkey_t priv, gnutls_x509_privkey_t x509, const char *url);

/* GnuTLS algorithm and size parameter for one of our key types. */
int iox_key_type_params(iotx509_key_type type, gnutls_pk_algorithm_t *pk, unsigned int *bits);

/* Bracket every use of key->priv for signing: PKCS#11 sessions are not
 * safe for concurrent use, software keys are and are not serialised. */
void iox_key_sign_begin(const iotx509_key *key);
void iox_key_sign_end(const iotx509_key *key);

/* pkcs11.c: open a private key by pkcs11: URL. @pin and @module may be NULL. */
int iox_pkcs11_open_key(iotx509_key **out, const char *url, const char *pin, const char *module);

/* Take another reference to an immutable key. */
iotx509_key *iox_key_ref(const iotx509_key *key);

/* Family and size of a GnuTLS public key. */
iotx509_key_algorithm iox_pk_family(gnutls_pk_algorithm_t pk);

/* SHA-256 of a public key's DER SubjectPublicKeyInfo, 64 upper-case hex digits. */
int iox_pubkey_spki_sha256(char out[65], gnutls_pubkey_t pub);
/* As iox_pubkey_spki_sha256(), and the SHA-1 of the same encoding (what
 * gnutls_pubkey_get_key_id() returns) into @sha1 unless it is NULL. */
int iox_pubkey_digests(char spki_sha256[65], unsigned char sha1[20], gnutls_pubkey_t pub);

/* The digest we sign with for a key: SHA-384 for P-384, SHA-512 for P-521,
 * SHA-512 for Ed25519 (as GnuTLS requires), SHA-256 otherwise. */
gnutls_digest_algorithm_t iox_sign_digest(const iotx509_key *key);

#endif
