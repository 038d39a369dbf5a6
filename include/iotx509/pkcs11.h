/**
 * @file iotx509/pkcs11.h
 * @brief Keys and certificates in PKCS#11 tokens (HSMs, secure elements,
 *        TPM-backed tokens, SoftHSM), addressed by RFC 7512 `pkcs11:` URLs.
 *
 * Every function that takes a private key file also takes a `pkcs11:` URL
 * (iotx509_key_load(), iotx509_key_open(), iotx509_issuer_load()); a key
 * opened from a token signs inside the token and can never be exported.
 *
 * The PIN is taken from, in this order:
 *  1. the @c pin field of ::iotx509_key_open_options (or the password
 *     argument of iotx509_key_load() / iotx509_issuer_load());
 *  2. the URL's own `pin-value=` or `pin-source=` attribute;
 *  3. the environment variable `IOTX509_PKCS11_PIN`.
 * The PIN never appears in error messages or in URLs the library returns.
 *
 * Modules: by default the system's p11-kit configuration decides which
 * modules are loaded (on Debian, /usr/share/p11-kit/modules/); the
 * @c module_path option loads one more module explicitly (e.g.
 * /usr/lib/softhsm/libsofthsm2.so). A module once loaded stays loaded for
 * the life of the process.
 *
 * Thread safety: a token key handle may be shared between threads; the
 * library serialises its signing operations, since PKCS#11 sessions are not
 * safe for concurrent use.
 */
#ifndef IOTX509_PKCS11_H
#define IOTX509_PKCS11_H

#include "common.h"
#include "key.h"
#include "cert.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Kinds of token objects, from iotx509_pkcs11_list_get_type(). */
typedef enum iotx509_pkcs11_object_type {
	IOTX509_PKCS11_OTHER = 0, /**< any other kind of object (data, secret key, ...) */
	IOTX509_PKCS11_PRIVATE_KEY = 1, /**< a private key (CKO_PRIVATE_KEY) */
	IOTX509_PKCS11_PUBLIC_KEY = 2, /**< a public key (CKO_PUBLIC_KEY) */
	IOTX509_PKCS11_CERTIFICATE = 3 /**< a certificate (CKO_CERTIFICATE) */
} iotx509_pkcs11_object_type;

/**
 * "other", "private key", "public key", "certificate"; "unknown" for any other value (never NULL). A static string.
 * @param type the value to name
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_pkcs11_object_type_name(iotx509_pkcs11_object_type type);

/**
 * Generate a key pair inside the token that @p token_url names and open
 * its private key. The private key is created sensitive and private: it
 * never leaves the token.
 *
 * @param out receives the new key (its private half stays in the token; free the handle with iotx509_key_free())
 * @param token_url a `pkcs11:` URL naming the token (e.g. "pkcs11:token=factory-ca")
 * @param type      RSA 2048/3072/4096, P-256 or P-384; Ed25519 gives
 *                  IOTX509_EUNSUPPORTED where the token lacks it
 * @param label     the CKA_LABEL for the new objects (required)
 * @param opts      PIN and module; NULL for defaults
 * @return 0; IOTX509_EPKCS11_MODULE, IOTX509_EPKCS11_TOKEN, IOTX509_EPIN,
 *         IOTX509_EUNSUPPORTED, IOTX509_EEXISTS (a key with that label
 *         already exists), IOTX509_EINVAL, IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_pkcs11_generate_key(iotx509_key **out, const char *token_url, iotx509_key_type type,
					       const char *label, const iotx509_key_open_options *opts);

/**
 * Store a certificate in the token, with the same CKA_ID as its key (the
 * SHA-1 key identifier GnuTLS gives keys it generates), so that
 * applications find the pair.
 * @param token_url a pkcs11: URL naming the token
 * @param cert the certificate
 * @param label the CKA_LABEL of the new object
 * @param opts the options
 * @return 0; IOTX509_EPKCS11_MODULE; IOTX509_EPKCS11_TOKEN;
 *         IOTX509_EPKCS11_OBJECT; IOTX509_EPIN; IOTX509_EUNSUPPORTED (the
 *         token refuses the operation); IOTX509_EINVAL (NULL URL, certificate
 *         or label, or an empty label); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_pkcs11_store_cert(const char *token_url, const iotx509_cert *cert, const char *label,
					     const iotx509_key_open_options *opts);

/** The objects a `pkcs11:` URL matches (opaque; free with iotx509_pkcs11_list_free()). */
typedef struct iotx509_pkcs11_list iotx509_pkcs11_list;

/**
 * List the objects a URL matches. With a PIN available the token is logged
 * into, so private objects are listed too. A URL naming no token matches
 * every token's objects.
 * @param out receives the new list of token objects on success; free it with iotx509_pkcs11_list_free()
 * @param url a pkcs11: URL
 * @param opts the options
 * @return 0 (possibly with no objects), IOTX509_EPKCS11_MODULE,
 *         IOTX509_EPKCS11_TOKEN, IOTX509_EPIN, IOTX509_EINVAL, IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_pkcs11_list_objects(iotx509_pkcs11_list **out, const char *url,
					       const iotx509_key_open_options *opts);

/**
 * Number of objects in the list.
 * @param list the list of token objects
 * @return the number of entries
 */
IOTX509_EXTERN size_t iotx509_pkcs11_list_count(const iotx509_pkcs11_list *list);
/**
 * The object's URL (without any PIN), or NULL when @p index is out of range.
 * @param list the list of token objects
 * @param index 0-based index, below the count
 * @return a string owned by @p list (not to be freed), valid until @p list is freed (or NULL, as described above)
 */
IOTX509_EXTERN const char *iotx509_pkcs11_list_get_url(const iotx509_pkcs11_list *list, size_t index);
/**
 * The object's label ("" when it has none).
 * @param list the list of token objects
 * @param index 0-based index, below the count
 * @return a string owned by @p list (not to be freed), valid until @p list is freed
 */
IOTX509_EXTERN const char *iotx509_pkcs11_list_get_label(const iotx509_pkcs11_list *list, size_t index);
/**
 * The object's CKA_ID as upper-case hex ("" when it has none).
 * @param list the list of token objects
 * @param index 0-based index, below the count
 * @return a string owned by @p list (not to be freed), valid until @p list is freed
 */
IOTX509_EXTERN const char *iotx509_pkcs11_list_get_id_hex(const iotx509_pkcs11_list *list, size_t index);
/**
 * The object's type.
 * @param list the list of token objects
 * @param index 0-based index, below the count
 * @return the value (see above)
 */
IOTX509_EXTERN iotx509_pkcs11_object_type iotx509_pkcs11_list_get_type(const iotx509_pkcs11_list *list,
									size_t index);
/**
 * Free a list. Accepts NULL.
 * @param list the list of token objects to free, or NULL
 */
IOTX509_EXTERN void iotx509_pkcs11_list_free(iotx509_pkcs11_list *list);

#ifdef __cplusplus
}
#endif
#endif
