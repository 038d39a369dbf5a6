/**
 * @file iotx509/key.h
 * @brief Private keys: generation, import, export, identification.
 *
 * An ::iotx509_key is an opaque handle to a private key. After creation it is
 * never modified, so one handle may be used from several threads at once
 * (for example, a CA key signing in many threads: software keys sign in
 * parallel, a key in a PKCS#11 token one operation at a time). Key material
 * is wiped when the handle is freed. See doc/threads.md.
 */
#ifndef IOTX509_KEY_H
#define IOTX509_KEY_H

#include "common.h"
#include "file.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque private key handle; free with iotx509_key_free(). */
typedef struct iotx509_key iotx509_key;

/** Key types iotx509_key_generate() can create. */
typedef enum iotx509_key_type {
	IOTX509_KEY_RSA2048 = 1, /**< RSA, 2048-bit modulus. */
	IOTX509_KEY_RSA3072 = 2, /**< RSA, 3072-bit modulus. */
	IOTX509_KEY_RSA4096 = 3, /**< RSA, 4096-bit modulus. */
	IOTX509_KEY_P256 = 4,    /**< ECDSA on NIST P-256 (the default of the tools). */
	IOTX509_KEY_P384 = 5,    /**< ECDSA on NIST P-384. */
	IOTX509_KEY_ED25519 = 6  /**< Ed25519 (RFC 8410). */
} iotx509_key_type;

/** Public-key algorithm families. */
typedef enum iotx509_key_algorithm {
	IOTX509_ALG_UNKNOWN = 0, /**< Anything else (DSA, GOST, ...): not used for issuance. */
	IOTX509_ALG_RSA = 1,     /**< RSA (PKCS#1 v1.5 signatures). */
	IOTX509_ALG_ECDSA = 2,   /**< ECDSA on a named curve. */
	IOTX509_ALG_ED25519 = 3  /**< Ed25519. */
} iotx509_key_algorithm;

/**
 * Generate a new private key.
 *
 * @param out  receives the new key
 * @param type one of ::iotx509_key_type
 * @return 0, IOTX509_EINVAL (unknown type), IOTX509_ECRYPTO, IOTX509_ENOMEM.
 *
 * @code
 * iotx509_key *key = NULL;
 * if (iotx509_key_generate(&key, IOTX509_KEY_P256) != 0)
 *     fprintf(stderr, "%s\n", iotx509_error_last());
 * @endcode
 */
IOTX509_EXTERN iotx509_error_code iotx509_key_generate(iotx509_key **out, iotx509_key_type type);

/**
 * Parse a key type name: "rsa2048", "rsa3072", "rsa4096", "p256", "p384", "ed25519".
 * @param out receives the value on success
 * @param name the name, as the matching _name() function returns it
 * @return 0, or IOTX509_EINVAL for an unknown name.
 */
IOTX509_EXTERN iotx509_error_code iotx509_key_type_from_name(iotx509_key_type *out, const char *name);

/**
 * The name of a key type as accepted by iotx509_key_type_from_name();
 * "unknown" for a value that is not an ::iotx509_key_type (never NULL).
 * A static string.
 * @param type the value to name
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_key_type_name(iotx509_key_type type);

/**
 * The name of an algorithm family as the iotx509 tool prints it: "RSA",
 * "ECDSA", "Ed25519"; "unknown" for IOTX509_ALG_UNKNOWN and for any other
 * value (never NULL). A static string.
 * @param alg the value to name
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_key_algorithm_name(iotx509_key_algorithm alg);

/**
 * Largest iteration count accepted in an encrypted key (PBKDF2, or the
 * PKCS#12 and PKCS#5 v1 key derivations), checked before any key is
 * derived, so that a small hostile file cannot keep the caller busy for
 * minutes. Real files use far fewer: OpenSSL 2048, Windows 2000 to 10000,
 * Java 10000, GnuTLS 600000 (what iotx509_key_export_pem() writes too).
 * At the limit one derivation takes about 0.3 s on a current x86 core.
 */
#define IOTX509_KEY_MAX_ITERATIONS 2000000u

/**
 * Import a private key from memory, PEM or DER, in any of: PKCS#1 ("RSA
 * PRIVATE KEY"), SEC1 ("EC PRIVATE KEY"), PKCS#8, or encrypted PKCS#8.
 * PEM may be surrounded by other text; the first private-key block is used.
 *
 * An encrypted key may use PBES2 with PBKDF2, or the PKCS#12 and PKCS#5 v1
 * schemes, with at most IOTX509_KEY_MAX_ITERATIONS iterations; this is
 * checked before any key derivation runs.
 *
 * @param out receives the new key on success (free with iotx509_key_free())
 * @param data the PEM or DER bytes
 * @param size number of bytes in @p data
 * @param password for encrypted keys; NULL when the key is not encrypted
 *        ("" is the empty password)
 * @return 0; IOTX509_EPASSWORD if the key is encrypted and @p password is
 *         NULL or wrong; IOTX509_EPARSE for malformed input;
 *         IOTX509_EUNSUPPORTED for a key type the library cannot use (the
 *         message names it: DSA, X25519, an unsupported curve, explicit
 *         curve parameters, ...) and for an unsupported encryption
 *         (scrypt); IOTX509_ELIMIT for more than IOTX509_KEY_MAX_ITERATIONS
 *         iterations.
 */
IOTX509_EXTERN iotx509_error_code iotx509_key_import(iotx509_key **out, const unsigned char *data, size_t size,
				      const char *password);

/**
 * Load a private key from a file; as iotx509_key_import(), and
 * IOTX509_ENOTFOUND / IOTX509_EIO for file errors. Error messages name the file.
 * A `pkcs11:` URL is accepted too, with @p password used as the PIN (see
 * iotx509_key_open() for more control).
 * @param out receives the new key on success; free it with iotx509_key_free()
 * @param path the path of the file
 * @param password the password of an encrypted key (or the PIN for a pkcs11: URL); NULL for none
 * @return 0; IOTX509_ENOTFOUND (no such file); IOTX509_EIO; IOTX509_EPASSWORD;
 *         IOTX509_EPARSE; IOTX509_EUNSUPPORTED; IOTX509_ELIMIT (as
 *         iotx509_key_import()); for a `pkcs11:` URL the errors of
 *         iotx509_key_open() (IOTX509_EPKCS11_MODULE, IOTX509_EPKCS11_TOKEN,
 *         IOTX509_EPIN, IOTX509_ENOTFOUND); IOTX509_EINVAL (NULL argument).
 */
IOTX509_EXTERN iotx509_error_code iotx509_key_load(iotx509_key **out, const char *path, const char *password);

/**
 * Export the key as PKCS#8 PEM ("PRIVATE KEY", or "ENCRYPTED PRIVATE KEY"
 * with PBES2 AES-256-CBC and PBKDF2-HMAC-SHA256, 600000 iterations, when
 * @p password is not NULL). An EC key's SEC1 privateKey has the fixed
 * length of its curve that RFC 5915 requires (32 octets for P-256, 48 for
 * P-384, 66 for P-521), which strict readers such as pyca/cryptography 42
 * and later insist on.
 *
 * @param out receives the PEM text (dispose with iotx509_buf_dispose(), which wipes it)
 * @param key the key (not modified)
 * @param password NULL for an unencrypted key; an empty string is refused
 *        (IOTX509_EINVAL) because it would only pretend to protect the key
 * @return 0; IOTX509_EINVAL (NULL argument, empty password);
 *         IOTX509_EUNSUPPORTED for a key held in a token (it cannot leave
 *         the token); IOTX509_ECRYPTO; IOTX509_ENOMEM
 */
IOTX509_EXTERN iotx509_error_code iotx509_key_export_pem(iotx509_buf *out, const iotx509_key *key,
					  const char *password);

/**
 * As iotx509_key_export_pem(), in DER.
 * @param out receives the result; release it with iotx509_buf_dispose()
 * @param key the key
 * @param password as for iotx509_key_export_pem()
 * @return as iotx509_key_export_pem(): 0; IOTX509_EINVAL (NULL argument,
 *         empty password); IOTX509_EUNSUPPORTED (a key held in a token);
 *         IOTX509_ECRYPTO; IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_key_export_der(iotx509_buf *out, const iotx509_key *key,
					  const char *password);

/**
 * Write the key as PKCS#8 PEM to @p path, atomically and with mode 0600.
 *
 * @param key the key to write
 * @param path the file to write
 * @param password NULL for an unencrypted key, else as for iotx509_key_export_pem()
 * @param opts NULL for the defaults; IOTX509_WRITE_OVERWRITE to replace an existing file
 * @return 0, IOTX509_EEXISTS, IOTX509_EIO, or an error of
 *         iotx509_key_export_pem(): IOTX509_EINVAL (NULL argument, no path,
 *         empty password, unknown options version), IOTX509_EUNSUPPORTED (a key held in a token),
 *         IOTX509_ECRYPTO, IOTX509_ENOMEM
 */
IOTX509_EXTERN iotx509_error_code iotx509_key_save(const iotx509_key *key, const char *path, const char *password,
				    const iotx509_write_options *opts);

/**
 * The public key as SubjectPublicKeyInfo PEM ("PUBLIC KEY"); works for token keys too.
 * @param out receives the result; release it with iotx509_buf_dispose()
 * @param key the key
 * @return 0; IOTX509_EINVAL (NULL argument); IOTX509_ENOMEM; IOTX509_ECRYPTO.
 */
IOTX509_EXTERN iotx509_error_code iotx509_key_export_public_pem(iotx509_buf *out, const iotx509_key *key);

/**
 * The key's algorithm family.
 * @param key the key
 * @return the value (see above)
 */
IOTX509_EXTERN iotx509_key_algorithm iotx509_key_get_algorithm(const iotx509_key *key);

/**
 * The key size in bits (RSA modulus, EC curve size, 256 for Ed25519).
 * @param key the key
 * @return the size in bits
 */
IOTX509_EXTERN unsigned int iotx509_key_get_bits(const iotx509_key *key);

/**
 * The key's public identifier: SHA-256 of its DER SubjectPublicKeyInfo, as
 * 64 upper-case hex digits. Equal for a key, its certificates and its CSRs.
 * The string is owned by the key handle.
 * @param key the key
 * @return a string owned by @p key (not to be freed), valid until @p key is freed
 */
IOTX509_EXTERN const char *iotx509_key_get_spki_sha256(const iotx509_key *key);

/** Options for iotx509_key_open(). Initialise with IOTX509_KEY_OPEN_OPTIONS_INIT. */
typedef struct iotx509_key_open_options {
	unsigned int version;    /**< IOTX509_KEY_OPEN_OPTIONS_VERSION */
	const char *password;    /**< password of an encrypted key file, or NULL */
	const char *pin;         /**< PKCS#11 user PIN, or NULL (see iotx509/pkcs11.h for the order) */
	const char *module_path; /**< PKCS#11 module to load, or NULL for the p11-kit configuration */
} iotx509_key_open_options;

/** The newest version of ::iotx509_key_open_options this header describes (its @c version field). */
#define IOTX509_KEY_OPEN_OPTIONS_VERSION 1
/** Static initialiser of ::iotx509_key_open_options: the current version, every field its default. */
#define IOTX509_KEY_OPEN_OPTIONS_INIT { IOTX509_KEY_OPEN_OPTIONS_VERSION, NULL, NULL, NULL }

/**
 * Initialise @p opts to defaults (same as IOTX509_KEY_OPEN_OPTIONS_INIT, and as zero-fill with
 * only @c version set). @p version: 1 to IOTX509_KEY_OPEN_OPTIONS_VERSION; any other
 * is IOTX509_EINVAL ("unsupported version"), as is NULL @p opts.
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_KEY_OPEN_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0; IOTX509_EINVAL (NULL @p opts, unsupported @p version).
 */
IOTX509_EXTERN iotx509_error_code iotx509_key_open_options_init(iotx509_key_open_options *opts, unsigned int version);

/**
 * Open a private key by reference: a file path (as iotx509_key_load()) or
 * a `pkcs11:` URL (RFC 7512) naming a private key in a token.
 *
 * @code
 * iotx509_key_open_options o = IOTX509_KEY_OPEN_OPTIONS_INIT;
 * o.module_path = "/usr/lib/softhsm/libsofthsm2.so";
 * o.pin = pin_from_somewhere;
 * err = iotx509_key_open(&ca_key, "pkcs11:token=factory-ca;object=root", &o);
 * @endcode
 *
 * @param out receives the new key on success; free it with iotx509_key_free()
 * @param ref a file path or a pkcs11: URL
 * @param opts the options
 * @return as iotx509_key_load() for files; for URLs 0, IOTX509_EPKCS11_MODULE
 *         (module cannot be loaded), IOTX509_EPKCS11_TOKEN (no such token),
 *         IOTX509_EPKCS11_OBJECT (no such key in the token), IOTX509_EPIN
 *         (wrong or missing PIN).
 */
IOTX509_EXTERN iotx509_error_code iotx509_key_open(iotx509_key **out, const char *ref, const iotx509_key_open_options *opts);

/**
 * 1 if the key can be exported (a software key), 0 if it lives in a token.
 * @param key the key
 * @return 1 if so, 0 if not
 */
IOTX509_EXTERN int iotx509_key_is_exportable(const iotx509_key *key);

/**
 * The `pkcs11:` URL of a token key (never with a PIN), or NULL for a software key.
 * @param key the key
 * @return a string owned by @p key (not to be freed), valid until @p key is freed (or NULL, as described above)
 */
IOTX509_EXTERN const char *iotx509_key_get_url(const iotx509_key *key);

/**
 * Another reference to @p key (keys are immutable and reference counted:
 * no copy is made, and the key material is wiped when the last reference
 * is freed). Use it to keep a key returned borrowed (iotx509_credential_get_key(),
 * iotx509_pkcs12_get_key()) after its owner is freed. Free with iotx509_key_free().
 * Thread-safe.
 * @param out receives the new key on success; free it with iotx509_key_free()
 * @param key the key
 * @return 0; IOTX509_EINVAL (NULL argument).
 */
IOTX509_EXTERN iotx509_error_code iotx509_key_dup(iotx509_key **out, const iotx509_key *key);

/**
 * Wipe and free a key. Accepts NULL.
 * @param key the key to free, or NULL
 */
IOTX509_EXTERN void iotx509_key_free(iotx509_key *key);

#ifdef __cplusplus
}
#endif
#endif
