#ifndef IOTX509_KEY_INTERNAL_H
#define IOTX509_KEY_INTERNAL_H

#include "internal.h"

#include <pthread.h>

#include <gnutls/abstract.h>
#include <gnutls/x509.h>
#include <libtasn1.h>

struct iotx509_key {
	iox_refcount ref;
	gnutls_privkey_t priv;    /* what signs: a software key or a token key */
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
 * @x509 (NULL for keys that live in a token; @url names those). The one way
 * a key backend (pkcs11.c, see pkcs11-internal.h) makes a handle. */
int iox_key_wrap(iotx509_key **out, gnutls_privkey_t priv, gnutls_x509_privkey_t x509, const char *url);

/* GnuTLS algorithm and size parameter for one of our key types. */
int iox_key_type_params(iotx509_key_type type, gnutls_pk_algorithm_t *pk, unsigned int *bits);

/* Bracket every use of key->priv for signing: PKCS#11 sessions are not
 * safe for concurrent use, software keys are and are not serialised. */
void iox_key_sign_begin(const iotx509_key *key);
void iox_key_sign_end(const iotx509_key *key);

/* Take another reference to an immutable key. */
iotx509_key *iox_key_ref(const iotx509_key *key);

/* Our algorithm family of a GnuTLS public-key algorithm (IOTX509_ALG_UNKNOWN
 * for others); the size is not part of it. */
iotx509_key_algorithm iox_pk_family(gnutls_pk_algorithm_t pk);

/* SHA-256 of a public key's DER SubjectPublicKeyInfo, 64 upper-case hex digits. */
int iox_pubkey_spki_sha256(char out[65], gnutls_pubkey_t pub);
/* As iox_pubkey_spki_sha256(), and the SHA-1 of the same encoding (what
 * gnutls_pubkey_get_key_id() returns) into @sha1 unless it is NULL. */
int iox_pubkey_digests(char spki_sha256[65], unsigned char sha1[20], gnutls_pubkey_t pub);

/* ---- PKCS#8, PKCS#5 and SEC1 DER, with libtasn1 (lib/pkcs12.asn) ---- */

/* The definitions of lib/pkcs12.asn (module IOTX509-PKCS12); free them with
 * asn1_delete_structure(). */
int iox_asn1_defs(asn1_node *defs);
/* Decode @size bytes of DER as @type of those definitions into *out (left
 * NULL on failure); returns the libtasn1 result. */
int iox_asn1_decode(asn1_node defs, const char *type, const void *der, size_t size, asn1_node *out);
/* The value of @field (raw DER for an ANY) in a gnutls-allocated datum;
 * returns the libtasn1 result. */
int iox_asn1_read(asn1_node node, const char *field, gnutls_datum_t *out);
/* The DER of @node in a gnutls-allocated datum; returns the libtasn1 result. */
int iox_asn1_encode(asn1_node node, gnutls_datum_t *out);

/*
 * The iteration count INTEGER at @field of @node, checked before anything
 * derives a key with it: IOTX509_EPARSE when it is missing or not positive,
 * IOTX509_EUNSUPPORTED when it exceeds @limit (@limit_name, the public
 * constant, is named in the message, as is @what).
 */
int iox_read_iterations(unsigned int *out, asn1_node node, const char *field, const char *what, unsigned int limit,
			const char *limit_name);

/*
 * Check the password-based encryption AlgorithmIdentifier at @field of
 * @node before GnuTLS derives a key with it: a scheme GnuTLS implements
 * (PBES2 with PBKDF2, the PKCS#12 and PKCS#5 v1 schemes), an iteration
 * count within @limit (named @limit_name). *iterations gets the count.
 * Errors name @what: IOTX509_EUNSUPPORTED (scrypt, unknown schemes, too
 * many iterations) or IOTX509_EPARSE (malformed parameters).
 */
int iox_pbe_check(unsigned int *iterations, asn1_node defs, asn1_node node, const char *field, const char *what,
		  unsigned int limit, const char *limit_name);

/*
 * Is @der an EncryptedPrivateKeyInfo? 1 if it is and its encryption passes
 * iox_pbe_check() with IOTX509_KEY_MAX_ITERATIONS (count in *iterations),
 * 0 if it is not one, or that check's error.
 */
int iox_pkcs8_encrypted_check(unsigned int *iterations, const gnutls_datum_t *der);

/*
 * The key as unencrypted PKCS#8 DER (gnutls-allocated; wipe it): GnuTLS's
 * encoding, with an EC key's privateKey octets at the fixed length of its
 * curve as RFC 5915 requires (GnuTLS writes a leading zero, or drops them).
 */
int iox_key_pkcs8(gnutls_datum_t *out, const iotx509_key *key);

/* iotx509_key_import() with the empty password as PKCS#12 writers other
 * than OpenSSL encode it: no password bytes at all, where OpenSSL (and
 * iotx509_key_import() with "") use the 00 00 of an empty BMPString. It
 * makes a difference to the PKCS#12 key derivation only. */
int iox_key_import_null_password(iotx509_key **out, const unsigned char *data, size_t size);

/* pkcs12.c: @plain PKCS#8 DER as EncryptedPrivateKeyInfo DER (PBES2:
 * AES-256-CBC, PBKDF2-HMAC-SHA256 with @iterations) under the UTF-8
 * @password. *out is gnutls-allocated. */
int iox_pkcs8_encrypt(gnutls_datum_t *out, const gnutls_datum_t *plain, const char *password,
		      unsigned int iterations);

/* The digest we sign with for a key: SHA-384 for P-384, SHA-512 for P-521,
 * SHA-512 for Ed25519 (as GnuTLS requires), SHA-256 otherwise. */
gnutls_digest_algorithm_t iox_sign_digest(const iotx509_key *key);

/* The one read of ::iotx509_key_open_options (NULL: defaults; only the caller's
 * version's fields) into @copy, for key.c and pkcs11.c. */
int iox_key_open_options_read(iotx509_key_open_options *copy, const iotx509_key_open_options *opts);

#endif
