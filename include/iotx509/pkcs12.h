/**
 * @file iotx509/pkcs12.h
 * @brief PKCS#12 (.pfx / .p12) export and import under named profiles.
 *
 * PKCS#12 files that one platform writes are often refused by another:
 * OpenSSL 3 refuses the RC2 files older tools write unless given -legacy,
 * while Windows Server 2016, older .NET and Java 8 refuse AES-encrypted
 * files. libiotx509 writes either kind on request:
 *
 * | profile                | key and certificates                         | MAC      |
 * |------------------------|----------------------------------------------|----------|
 * | IOTX509_PKCS12_MODERN  | PBES2: AES-256-CBC, PBKDF2-HMAC-SHA256       | SHA-256  |
 * | IOTX509_PKCS12_COMPAT  | pbeWithSHAAnd3-KeyTripleDES-CBC (PKCS#12)    | SHA-1    |
 *
 * Both use the same iteration count for key derivation and MAC (default
 * 2048, configurable). OpenSSL 3 reads both without -legacy (3DES is in
 * its default provider; only RC2 and RC4 files need -legacy). The key bag and the leaf's certificate bag carry a
 * friendlyName (default: the leaf's CN) and a localKeyID (the SHA-1 of the
 * leaf certificate) that links them, as OpenSSL, Windows, Java and .NET
 * expect. The chain follows the leaf in the same encrypted container.
 *
 * Passwords are text (UTF-8). Empty passwords are refused unless
 * IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD is given, because such a file only
 * pretends to protect the key.
 *
 * Import reads hostile files safely: before any key derivation runs, every
 * iteration count in the file (MAC, encrypted contents, encrypted key) is
 * checked against IOTX509_PKCS12_MAX_ITERATIONS and their sum against
 * IOTX509_PKCS12_MAX_TOTAL_ITERATIONS, so a small file cannot keep the
 * caller busy for minutes; the number of contents and bags is bounded too
 * (IOTX509_PKCS12_MAX_CONTENTS, IOTX509_PKCS12_MAX_BAGS). A file without a
 * MAC is refused unless IOTX509_PKCS12_ALLOW_NO_MAC is given.
 */
#ifndef IOTX509_PKCS12_H
#define IOTX509_PKCS12_H

#include "common.h"
#include "key.h"
#include "cert.h"
#include "certlist.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Encryption profiles for iotx509_pkcs12_export(). */
typedef enum iotx509_pkcs12_profile {
	IOTX509_PKCS12_MODERN = 0, /**< PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256, SHA-256 MAC (default). */
	IOTX509_PKCS12_COMPAT = 1  /**< PKCS#12 3DES for key and certificates, SHA-1 MAC (Windows Server 2016, Java 8). */
} iotx509_pkcs12_profile;

/** Flags of ::iotx509_pkcs12_options and ::iotx509_pkcs12_read_options. */
typedef enum iotx509_pkcs12_flags {
	IOTX509_PKCS12_DEFAULT = 0, /**< No flag: the defaults. */
	/** Accept an empty password (refused with IOTX509_EINVAL otherwise). */
	IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD = 1u << 0,
	/**
	 * Import only: read a file that has no MAC (refused with
	 * IOTX509_EUNSUPPORTED otherwise). Nothing protects such a file from
	 * changes, and unless its key is encrypted any password "works";
	 * iotx509_pkcs12_get_protection() tells what protected the file read.
	 */
	IOTX509_PKCS12_ALLOW_NO_MAC = 1u << 1
} iotx509_pkcs12_flags;

/** Default iteration count (the minimum accepted as well). */
#define IOTX509_PKCS12_DEFAULT_ITERATIONS 2048u
/**
 * Largest iteration count written, and read for any one key derivation of
 * an imported file (its MAC, an encrypted content, its encrypted key): the
 * same value as IOTX509_KEY_MAX_ITERATIONS. Real files use far fewer
 * (OpenSSL 2048, Windows 2000 to 10000, Java 10000, GnuTLS 600000).
 */
#define IOTX509_PKCS12_MAX_ITERATIONS IOTX509_KEY_MAX_ITERATIONS
/**
 * Largest sum of the iteration counts of all key derivations an imported
 * file asks for (four at IOTX509_PKCS12_MAX_ITERATIONS: a file at the
 * limit has a MAC, encrypted certificates and an encrypted key). About
 * 2.5 s of work at most on a current x86 core.
 */
#define IOTX509_PKCS12_MAX_TOTAL_ITERATIONS 8000000u
/**
 * Largest number of contents (ContentInfo, each a SafeContents in clear or
 * encrypted) in an imported file. Writers use two or three; GnuTLS decodes
 * the whole file again to read each one, so the work grows with contents
 * times size (about 4 s for a 64 MB file at the limit).
 */
#define IOTX509_PKCS12_MAX_CONTENTS 32u
/**
 * Largest number of bags in a SafeContents of an imported file: GnuTLS
 * reads no more, so a file with more is refused rather than read in part.
 * (Bags in an encrypted content can only be counted after decryption, by
 * GnuTLS, which drops those after the 32nd.)
 */
#define IOTX509_PKCS12_MAX_BAGS 32u

/** What protected an imported file: iotx509_pkcs12_get_protection() bits. */
typedef enum iotx509_pkcs12_protection {
	IOTX509_PKCS12_MAC = 1u << 0,             /**< a MAC, verified with the password */
	IOTX509_PKCS12_KEY_ENCRYPTED = 1u << 1,   /**< the private key was encrypted */
	IOTX509_PKCS12_CERTS_ENCRYPTED = 1u << 2  /**< every certificate was in an encrypted content */
} iotx509_pkcs12_protection;

/** Options for iotx509_pkcs12_export(). Initialise with IOTX509_PKCS12_OPTIONS_INIT. */
typedef struct iotx509_pkcs12_options {
	unsigned int version;           /**< IOTX509_PKCS12_OPTIONS_VERSION */
	iotx509_pkcs12_profile profile; /**< encryption profile (default MODERN) */
	/** Iterations for key derivation and MAC: 0 = 2048; otherwise
	 *  IOTX509_PKCS12_DEFAULT_ITERATIONS .. IOTX509_PKCS12_MAX_ITERATIONS. */
	unsigned int iterations;
	const char *friendly_name;      /**< friendlyName (UTF-8); NULL = the leaf's CN; "" = none */
	unsigned int flags;             /**< ::iotx509_pkcs12_flags */
} iotx509_pkcs12_options;

/** The newest version of ::iotx509_pkcs12_options this header describes (its @c version field). */
#define IOTX509_PKCS12_OPTIONS_VERSION 1
/** Static initialiser of ::iotx509_pkcs12_options: the current version, every field its default. */
#define IOTX509_PKCS12_OPTIONS_INIT { IOTX509_PKCS12_OPTIONS_VERSION, IOTX509_PKCS12_MODERN, 0, NULL, 0 }

/**
 * Initialise @p opts to defaults (same as IOTX509_PKCS12_OPTIONS_INIT, and as zero-fill with
 * only @c version set). @p version: 1 to IOTX509_PKCS12_OPTIONS_VERSION; any other
 * is IOTX509_EINVAL ("unsupported version"), as is NULL @p opts.
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_PKCS12_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0; IOTX509_EINVAL (NULL @p opts, unsupported @p version).
 */
IOTX509_EXTERN iotx509_error_code iotx509_pkcs12_options_init(iotx509_pkcs12_options *opts, unsigned int version);

/**
 * Parse a profile name: "modern" or "compat".
 * @param out receives the value on success
 * @param name the name, as the matching _name() function returns it
 * @return 0, or IOTX509_EINVAL for an unknown name.
 */
IOTX509_EXTERN iotx509_error_code iotx509_pkcs12_profile_from_name(iotx509_pkcs12_profile *out, const char *name);

/**
 * The name of a profile ("modern", "compat"), or "unknown" for any other value (never NULL).
 * @param profile the value to name
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_pkcs12_profile_name(iotx509_pkcs12_profile profile);

/**
 * Write the certificate @p leaf, its private key @p key and the @p chain as
 * PKCS#12 DER.
 *
 * @param out      receives the DER bytes; dispose with iotx509_buf_dispose()
 * @param leaf     the end-entity certificate
 * @param key      the leaf's private key (must match @p leaf)
 * @param chain    intermediates and root, leaf excluded (a copy of the leaf
 *                 in it is skipped, as are duplicates); may be NULL
 * @param password UTF-8 text; see IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD
 * @param opts     NULL for defaults (modern profile, 2048 iterations)
 * @return 0; IOTX509_EKEYMISMATCH (the key is not the leaf's); IOTX509_EINVAL
 *         (NULL argument, empty password without the flag, password not
 *         UTF-8, bad options or flags, iterations out of range);
 *         IOTX509_EUNSUPPORTED (key not exportable); IOTX509_ECRYPTO; IOTX509_ENOMEM.
 *
 * @code
 * iotx509_buf pfx = IOTX509_BUF_INIT;
 * iotx509_pkcs12_options po = IOTX509_PKCS12_OPTIONS_INIT;
 * po.profile = IOTX509_PKCS12_COMPAT; // for Windows Server 2016
 * if (iotx509_pkcs12_export(&pfx, leaf, key, chain, "s3cret", &po) < 0)
 *     fprintf(stderr, "%s\n", iotx509_error_last());
 * iotx509_buf_dispose(&pfx);
 * @endcode
 */
IOTX509_EXTERN iotx509_error_code iotx509_pkcs12_export(iotx509_buf *out, const iotx509_cert *leaf, const iotx509_key *key,
					 const iotx509_certlist *chain, const char *password,
					 const iotx509_pkcs12_options *opts);

/**
 * As iotx509_pkcs12_export(), written atomically to @p path with mode 0600.
 * The objects come first, the path after them (as every _save).
 *         @p write_opts lack IOTX509_WRITE_OVERWRITE) and IOTX509_EIO.
 * @param path the file to write
 * @param key as for iotx509_pkcs12_export()
 * @param leaf as for iotx509_pkcs12_export()
 * @param chain as for iotx509_pkcs12_export()
 * @param password as for iotx509_pkcs12_export()
 * @param opts as for iotx509_pkcs12_export()
 * @param write_opts NULL for the defaults; IOTX509_WRITE_OVERWRITE to replace an existing file
 * @return as iotx509_pkcs12_export() (IOTX509_EKEYMISMATCH, IOTX509_EINVAL
 *         also for a NULL @p path, IOTX509_EUNSUPPORTED, IOTX509_ECRYPTO,
 *         IOTX509_ENOMEM), plus IOTX509_EEXISTS (the file exists and
 */
IOTX509_EXTERN iotx509_error_code iotx509_pkcs12_save(const iotx509_cert *leaf, const iotx509_key *key,
				       const iotx509_certlist *chain, const char *path, const char *password,
				       const iotx509_pkcs12_options *opts, const iotx509_write_options *write_opts);

/**
 * Options of iotx509_pkcs12_import() and iotx509_pkcs12_load(). NULL, or a
 * zero-filled struct with only @c version set, means the defaults: a
 * non-empty password and a MAC are required.
 */
typedef struct iotx509_pkcs12_read_options {
	unsigned int version; /**< IOTX509_PKCS12_READ_OPTIONS_VERSION (1 .. current are accepted) */
	unsigned int flags;   /**< ::iotx509_pkcs12_flags: IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD,
				   IOTX509_PKCS12_ALLOW_NO_MAC (default 0) */
} iotx509_pkcs12_read_options;

/** The current version of ::iotx509_pkcs12_read_options. */
#define IOTX509_PKCS12_READ_OPTIONS_VERSION 1
/** The defaults (the same as a zero-filled struct with only the version set). */
#define IOTX509_PKCS12_READ_OPTIONS_INIT { IOTX509_PKCS12_READ_OPTIONS_VERSION, 0 }

/**
 * Set @p opts to the defaults for @p version (only the fields that version has).
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_PKCS12_READ_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0; IOTX509_EINVAL (NULL, or a version outside 1 .. IOTX509_PKCS12_READ_OPTIONS_VERSION).
 */
IOTX509_EXTERN iotx509_error_code iotx509_pkcs12_read_options_init(iotx509_pkcs12_read_options *opts,
								unsigned int version);

/** The contents of an imported PKCS#12 file; free with iotx509_pkcs12_free(). */
typedef struct iotx509_pkcs12 iotx509_pkcs12;

/**
 * Read a PKCS#12 file (DER): the private key, the certificate it belongs
 * to (the leaf) and every other certificate (the chain).
 *
 * Any common encryption is read: PBES2 (AES, 3DES), PKCS#12 3DES and RC2
 * (OpenSSL -legacy), with SHA-1 or SHA-2 MACs. The leaf is the certificate
 * whose localKeyID equals the key's, or else the one whose public key
 * matches the private key.
 *
 * The limits of this header apply, checked before any key derivation.
 *
 * @param out receives the new handle on success (free with iotx509_pkcs12_free())
 * @param data the DER bytes of the file
 * @param size number of bytes in @p data
 * @param password UTF-8 text, never NULL. "" is the empty password, read
 *        only with IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD; files encode it in
 *        two ways (the 00 00 of an empty BMPString, as OpenSSL writes it,
 *        or no password bytes at all, as Java and BouncyCastle do) and both
 *        are tried, as OpenSSL does.
 * @param opts     NULL for the defaults
 * @return 0; IOTX509_EPASSWORD (wrong password: the MAC or the decryption
 *         fails; a damaged file whose structure still parses looks the same,
 *         and so does, in a file without a MAC, an encrypted part that
 *         decrypts to something malformed);
 *         IOTX509_EPARSE (not PKCS#12 DER, or a malformed part);
 *         IOTX509_ENOTFOUND (no private key, or no certificate);
 *         IOTX509_EKEYMISMATCH (no certificate belongs to the key);
 *         IOTX509_EUNSUPPORTED (several private keys, unknown algorithms
 *         such as an MD5 MAC or scrypt, no MAC without
 *         IOTX509_PKCS12_ALLOW_NO_MAC); IOTX509_ELIMIT (a limit of this
 *         header exceeded: the message names the count and the limit);
 *         IOTX509_EINVAL (NULL argument, empty password without the flag).
 */
IOTX509_EXTERN iotx509_error_code iotx509_pkcs12_import(iotx509_pkcs12 **out, const unsigned char *data, size_t size,
					 const char *password, const iotx509_pkcs12_read_options *opts);

/**
 * As iotx509_pkcs12_import() on a file; messages name the file.
 * @param out receives the new PKCS#12 contents on success; free it with iotx509_pkcs12_free()
 * @param path the path of the file
 * @param password as for iotx509_pkcs12_import()
 * @param opts NULL for the defaults (::iotx509_pkcs12_read_options)
 * @return as iotx509_pkcs12_import(), plus the errors of iotx509_file_read()
 *         (IOTX509_ENOTFOUND, IOTX509_EIO, IOTX509_ELIMIT).
 */
IOTX509_EXTERN iotx509_error_code iotx509_pkcs12_load(iotx509_pkcs12 **out, const char *path, const char *password,
				       const iotx509_pkcs12_read_options *opts);

/**
 * The private key: valid until @p p12 is freed (iotx509_key_dup() to keep it).
 * @param p12 the PKCS#12 contents
 * @return a handle owned by @p p12 (not to be freed), valid as long as @p p12
 */
IOTX509_EXTERN const iotx509_key *iotx509_pkcs12_get_key(const iotx509_pkcs12 *p12);

/**
 * The certificate of the private key: valid until @p p12 is freed (iotx509_cert_dup() to keep it).
 * @param p12 the PKCS#12 contents
 * @return a handle owned by @p p12 (not to be freed), valid as long as @p p12
 */
IOTX509_EXTERN const iotx509_cert *iotx509_pkcs12_get_leaf(const iotx509_pkcs12 *p12);

/**
 * The other certificates (owned by @p p12), ordered as a chain from the
 * leaf's issuer upwards where they link, then any unrelated ones in file
 * order. Never NULL for a valid handle; may be empty. Valid until @p p12
 * is freed (iotx509_certlist_dup() to keep it).
 * @param p12 the PKCS#12 contents
 * @return a handle owned by @p p12 (not to be freed), valid as long as @p p12 (or NULL, as described above)
 */
IOTX509_EXTERN const iotx509_certlist *iotx509_pkcs12_get_chain(const iotx509_pkcs12 *p12);

/**
 * The friendlyName of the key or leaf (UTF-8), or NULL when the file has none.
 * @param p12 the PKCS#12 contents
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_pkcs12_get_friendly_name(const iotx509_pkcs12 *p12);

/**
 * What protected the file read: ::iotx509_pkcs12_protection bits (0 for
 * NULL). Without IOTX509_PKCS12_MAC (possible only with
 * IOTX509_PKCS12_ALLOW_NO_MAC) its contents may have been changed.
 * @param p12 the PKCS#12 contents
 * @return the bits (see above)
 */
IOTX509_EXTERN unsigned int iotx509_pkcs12_get_protection(const iotx509_pkcs12 *p12);

/**
 * A new handle with the same key, leaf, chain, friendlyName and protection
 * (the key and certificates are shared). Free with iotx509_pkcs12_free().
 * @param out receives the new PKCS#12 contents on success; free it with iotx509_pkcs12_free()
 * @param p12 the PKCS#12 contents
 * @return 0; IOTX509_EINVAL (NULL argument); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_pkcs12_dup(iotx509_pkcs12 **out, const iotx509_pkcs12 *p12);

/**
 * Free the imported contents (the key is wiped). Accepts NULL.
 * @param p12 the PKCS#12 contents to free, or NULL
 */
IOTX509_EXTERN void iotx509_pkcs12_free(iotx509_pkcs12 *p12);

#ifdef __cplusplus
}
#endif
#endif
