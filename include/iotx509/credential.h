/**
 * @file iotx509/credential.h
 * @brief A credential (private key, certificate, chain to the root) and the
 *        set of files the documented enrollment tools write for one.
 *
 * For a credential called NAME in directory DIR the files are, with NAME
 * used verbatim (no camel-casing, so "sample-device-01" stays
 * "sample-device-01"; iotx509_credential_stem() gives create_test_cert.js's
 * "sampleDevice01" for a caller that wants those names):
 *
 * | ::iotx509_credential_file      | file                     | contents                                   | mode |
 * |--------------------------------|--------------------------|--------------------------------------------|------|
 * | IOTX509_CREDENTIAL_CERT        | DIR/NAME_cert.pem        | the certificate                            | 0644 |
 * | IOTX509_CREDENTIAL_KEY         | DIR/NAME_key.pem         | the private key, PKCS#8 PEM                | 0600 |
 * | IOTX509_CREDENTIAL_FULLCHAIN   | DIR/NAME_fullchain.pem   | certificate, intermediates, root           | 0644 |
 * | IOTX509_CREDENTIAL_PFX         | DIR/NAME.pfx             | PKCS#12: key, certificate and the chain    | 0600 |
 *
 * Every PEM file ends with a newline. iotx509_credential_save() writes them
 * as one ::iotx509_fileset: an existing file is never replaced unless
 * IOTX509_WRITE_OVERWRITE is given, and then the whole set is replaced, or
 * nothing is.
 *
 * iotx509_credential_load() reads the same files back, so a CA written by
 * one command is the issuer ("parent") of the next:
 *
 * @code
 * iotx509_credential *parent = NULL, *dev = NULL;
 * iotx509_issuer *ca = NULL;
 * iotx509_issue_credential_options o = IOTX509_ISSUE_CREDENTIAL_OPTIONS_INIT;
 * iotx509_credential_save_options so = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;
 * int err = iotx509_credential_load(&parent, "certs", "myroot", NULL, NULL);
 * if (!err) err = iotx509_issuer_new_from_credential(&ca, parent);
 * so.pfx_password = "a-good-password";
 * o.save = &so;
 * o.dir = "certs";
 * o.name = "sample-device-01";
 * if (!err) err = iotx509_issue_credential(&dev, IOTX509_PROFILE_DEVICE, ca, "sample-device-01", &o);
 * if (err) fprintf(stderr, "%s\n", iotx509_error_last());
 * @endcode
 *
 * A credential is immutable once created and may be shared between threads.
 */
#ifndef IOTX509_CREDENTIAL_H
#define IOTX509_CREDENTIAL_H

#include "common.h"
#include "key.h"
#include "cert.h"
#include "certlist.h"
#include "file.h"
#include "pkcs12.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque credential handle; free with iotx509_credential_free(). */
typedef struct iotx509_credential iotx509_credential;

/** The files of a credential (see the table in iotx509/credential.h). */
typedef enum iotx509_credential_file {
	IOTX509_CREDENTIAL_CERT = 0,      /**< NAME_cert.pem */
	IOTX509_CREDENTIAL_KEY = 1,       /**< NAME_key.pem */
	IOTX509_CREDENTIAL_FULLCHAIN = 2, /**< NAME_fullchain.pem */
	IOTX509_CREDENTIAL_PFX = 3,       /**< NAME.pfx */
	/**
	 * NAME_csr.pem: a request for NAME's certificate (the CSR flow, in which
	 * the key stays on the device). Only a name: credentials hold no CSR.
	 */
	IOTX509_CREDENTIAL_CSR = 4
} iotx509_credential_file;

/**
 * "cert", "key", "fullchain", "pfx", "csr"; "unknown" for any other value (never NULL). A static string.
 * @param file the value to name
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_credential_file_name(iotx509_credential_file file);

/** Bit for @p file in ::iotx509_credential_save_options files. */
#define IOTX509_CREDENTIAL_FILE_BIT(file) (1u << (unsigned int)(file))

/** Flags of ::iotx509_credential_options. */
typedef enum iotx509_credential_flags {
	IOTX509_CREDENTIAL_DEFAULT = 0, /**< No flag: the defaults. */
	/**
	 * Accept a chain that does not reach a self-signed root (for example
	 * an intermediate CA whose root is kept offline): the chain ends with
	 * the last issuer found. Without this flag such a credential is refused
	 * with IOTX509_ENOISSUER naming the missing issuer.
	 */
	IOTX509_CREDENTIAL_PARTIAL_CHAIN = 1u << 0
} iotx509_credential_flags;

/**
 * Options of the functions that put a credential together:
 * iotx509_credential_new(), _load(), _load_files(), _import_pem(),
 * _import_pkcs12() and iotx509_renew_credential(). NULL, or a zero-filled
 * struct with only @c version set, means the defaults (a chain up to a
 * self-signed root; a PKCS#12 file with a MAC and a non-empty password).
 * Passwords stay parameters of the functions: a struct may be logged.
 */
typedef struct iotx509_credential_options {
	unsigned int version;      /**< IOTX509_CREDENTIAL_OPTIONS_VERSION (1 .. current are accepted) */
	unsigned int flags;        /**< ::iotx509_credential_flags (default 0) */
	unsigned int pkcs12_flags; /**< ::iotx509_pkcs12_flags for reading the PKCS#12 bytes of
				        iotx509_credential_import_pkcs12(); ignored elsewhere (default 0) */
} iotx509_credential_options;

/** The current version of ::iotx509_credential_options. */
#define IOTX509_CREDENTIAL_OPTIONS_VERSION 1
/** The defaults (the same as a zero-filled struct with only the version set). */
#define IOTX509_CREDENTIAL_OPTIONS_INIT { IOTX509_CREDENTIAL_OPTIONS_VERSION, 0, 0 }

/**
 * Set @p opts to the defaults for @p version (only the fields that version has).
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_CREDENTIAL_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0; IOTX509_EINVAL (NULL, or a version outside 1 .. IOTX509_CREDENTIAL_OPTIONS_VERSION).
 */
IOTX509_EXTERN iotx509_error_code iotx509_credential_options_init(iotx509_credential_options *opts, unsigned int version);

/**
 * Put a credential together from a certificate, its key and candidate issuers.
 *
 * The chain is built with iotx509_chain_build() from @p pool (any order; the
 * certificate itself may be in it), so it always starts with @p cert and
 * ends with the root.
 *
 * @param out   receives the credential; it keeps its own references
 * @param cert  the credential's certificate
 * @param key   its private key, or NULL for a certificate-only credential
 *              (e.g. one issued from a CSR, whose key stays on the device)
 * @param pool  issuers of @p cert and of each other, or NULL (a
 *              self-signed @p cert needs none)
 * @param opts  NULL for the defaults; flags IOTX509_CREDENTIAL_PARTIAL_CHAIN
 * @return 0; IOTX509_EKEYMISMATCH (@p key is not the key of @p cert);
 *         IOTX509_ENOISSUER (the chain does not reach a root; the message
 *         names the missing issuer); IOTX509_ECHAINLOOP; IOTX509_EINVAL
 *         (NULL argument, bad options version, unknown flags); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_credential_new(iotx509_credential **out, const iotx509_cert *cert,
					  const iotx509_key *key, const iotx509_certlist *pool,
					  const iotx509_credential_options *opts);

/**
 * Load the credential NAME from DIR: NAME_cert.pem and NAME_key.pem, and
 * NAME_fullchain.pem when it exists (as the pool for the chain; files
 * written by create_test_cert.js, with their trailing "null" line, work).
 * Every certificate in NAME_cert.pem after the first also joins the pool.
 *
 * @param out receives a new credential on success (free with iotx509_credential_free())
 * @param dir          directory; NULL or "" for the current directory
 * @param name         the credential's name, used verbatim
 * @param key_password password of an encrypted NAME_key.pem, else NULL
 * @param opts         NULL for the defaults
 * @return 0; IOTX509_ENOTFOUND (NAME_cert.pem or NAME_key.pem missing: the
 *         message names the file); IOTX509_EPASSWORD; IOTX509_EPARSE;
 *         IOTX509_EKEYMISMATCH (the key is not the certificate's);
 *         IOTX509_EINVAL (a name that is not a plain file name); and the
 *         errors of iotx509_credential_new().
 */
IOTX509_EXTERN iotx509_error_code iotx509_credential_load(iotx509_credential **out, const char *dir, const char *name,
					   const char *key_password, const iotx509_credential_options *opts);

/**
 * Load a credential from explicit files, e.g. a CA made by another tool.
 *
 * @p cert_path may be a bundle: its first certificate is the credential's
 * certificate and the others form the pool for the chain (so a CA file
 * followed by its own chain works).
 *
 * @param out receives a new credential on success (free with iotx509_credential_free())
 * @param cert_path the certificate file, PEM or DER (a PEM bundle: see above)
 * @param key_path     the private key (PEM or DER, PKCS#1, SEC1, PKCS#8,
 *                     encrypted PKCS#8), or NULL for no key
 * @param key_password password of an encrypted key, else NULL
 * @param opts NULL for the defaults (::iotx509_credential_options)
 * @return as iotx509_credential_load(): 0; IOTX509_ENOTFOUND (a file is
 *         missing: the message names it); IOTX509_EIO; IOTX509_EPASSWORD;
 *         IOTX509_EPARSE; IOTX509_EKEYMISMATCH; IOTX509_ENOISSUER;
 *         IOTX509_ECHAINLOOP; IOTX509_EINVAL (NULL argument); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_credential_load_files(iotx509_credential **out, const char *cert_path,
						 const char *key_path, const char *key_password,
						 const iotx509_credential_options *opts);

/**
 * The credential's certificate: valid until @p cred is freed (iotx509_cert_dup() to keep it).
 * @param cred the credential
 * @return a handle owned by @p cred (not to be freed), valid as long as @p cred
 */
IOTX509_EXTERN const iotx509_cert *iotx509_credential_get_cert(const iotx509_credential *cred);

/**
 * The credential's private key, or NULL when it has none: valid until
 * @p cred is freed (iotx509_key_dup() to keep it).
 * @param cred the credential
 * @return a handle owned by @p cred (not to be freed), valid as long as @p cred (or NULL, as described above)
 */
IOTX509_EXTERN const iotx509_key *iotx509_credential_get_key(const iotx509_credential *cred);

/**
 * The full chain: the certificate first, then each issuer, the root last
 * (owned by the credential). With IOTX509_CREDENTIAL_PARTIAL_CHAIN the last
 * certificate may not be self-signed. Valid until @p cred is freed
 * (iotx509_certlist_dup() to keep it).
 * @param cred the credential
 * @return a handle owned by @p cred (not to be freed), valid as long as @p cred
 */
IOTX509_EXTERN const iotx509_certlist *iotx509_credential_get_chain(const iotx509_credential *cred);

/**
 * The credential as one PEM bundle in memory: the private key (PKCS#8;
 * "ENCRYPTED PRIVATE KEY" with @p key_password, as iotx509_key_export_pem()),
 * then the certificate and its chain up to the root. A credential without a
 * key gives only the certificates. iotx509_credential_import_pem() reads it back.
 *
 * @param cred the credential (not modified)
 * @param out          receives the text (dispose with iotx509_buf_dispose(): it holds the key)
 * @param key_password encrypts the key when not NULL
 * @return 0; IOTX509_EUNSUPPORTED (the key is held in a token); IOTX509_EINVAL
 *         (NULL argument); IOTX509_ECRYPTO; IOTX509_ENOMEM. Thread-safe for
 *         a credential shared between threads.
 */
IOTX509_EXTERN iotx509_error_code iotx509_credential_export_pem(iotx509_buf *out, const iotx509_credential *cred,
						 const char *key_password);

/**
 * The credential as PKCS#12 bytes: iotx509_pkcs12_export() of its certificate,
 * key and chain (what NAME.pfx holds).
 *
 * @param out receives the PKCS#12 DER bytes (dispose with iotx509_buf_dispose())
 * @param cred the credential (not modified)
 * @param password the password of the PKCS#12 file, as iotx509_pkcs12_export() takes it
 * @param opts NULL for the defaults
 * @return as iotx509_pkcs12_export(); IOTX509_EINVAL also when the
 *         credential has no private key.
 */
IOTX509_EXTERN iotx509_error_code iotx509_credential_export_pkcs12(iotx509_buf *out, const iotx509_credential *cred,
						    const char *password, const iotx509_pkcs12_options *opts);

/**
 * A credential from a PEM bundle in memory (any order of blocks, other text
 * ignored): the first certificate is the credential's, the others are the
 * pool its chain is built from, and the private key block, if there is one,
 * is its key (a bundle without one gives a certificate-only credential).
 * The PEM reading is that of iotx509_certlist_import() and iotx509_key_import().
 *
 * @param out receives a new credential on success (free with iotx509_credential_free())
 * @param data the PEM text (need not be NUL-terminated)
 * @param size number of bytes in @p data
 * @param key_password password of an encrypted key, else NULL
 * @param opts         NULL for the defaults
 * @return 0; IOTX509_EPARSE (no certificate, or a malformed block);
 *         IOTX509_EPASSWORD; IOTX509_EUNSUPPORTED; IOTX509_ELIMIT (see
 *         iotx509_key_import()); and the errors of iotx509_credential_new()
 *         (IOTX509_EKEYMISMATCH, IOTX509_ENOISSUER, ...).
 */
IOTX509_EXTERN iotx509_error_code iotx509_credential_import_pem(iotx509_credential **out, const unsigned char *data, size_t size,
						 const char *key_password, const iotx509_credential_options *opts);

/**
 * A credential from PKCS#12 bytes: iotx509_pkcs12_import(), then
 * iotx509_credential_new() from its leaf, key and the other certificates.
 *
 * @param out receives a new credential on success (free with iotx509_credential_free())
 * @param data the PKCS#12 DER bytes
 * @param size number of bytes in @p data
 * @param password the password of the file, as iotx509_pkcs12_import() takes it
 * @param opts NULL for the defaults; its @c pkcs12_flags are those of the
 *             import (::iotx509_pkcs12_read_options flags), its @c flags those
 *             of the credential
 * @return 0; the errors of iotx509_pkcs12_import() (IOTX509_EPASSWORD,
 *         IOTX509_EPARSE, IOTX509_ENOTFOUND, IOTX509_EKEYMISMATCH,
 *         IOTX509_EUNSUPPORTED, IOTX509_ELIMIT, IOTX509_EINVAL) and of
 *         iotx509_credential_new() (IOTX509_ENOISSUER, IOTX509_ECHAINLOOP,
 *         IOTX509_ENOMEM).
 */
IOTX509_EXTERN iotx509_error_code iotx509_credential_import_pkcs12(iotx509_credential **out, const unsigned char *data,
						    size_t size, const char *password,
						    const iotx509_credential_options *opts);

/** Options for iotx509_credential_save(). Initialise with IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT. */
typedef struct iotx509_credential_save_options {
	unsigned int version; /**< IOTX509_CREDENTIAL_SAVE_OPTIONS_VERSION */
	/**
	 * Bits IOTX509_CREDENTIAL_FILE_BIT(file) of the files to write; 0 = every
	 * file that applies: the certificate and the full chain, and when the
	 * credential has an exportable key, the key and (if @c pfx_password is
	 * set) the .pfx. A key held in a PKCS#11 token is never written: asking
	 * for its key file or .pfx gives IOTX509_EUNSUPPORTED.
	 */
	unsigned int files;
	/**
	 * Password of the .pfx. There is deliberately no default: NULL means no
	 * .pfx (or IOTX509_EINVAL when @c files asks for one).
	 */
	const char *pfx_password;
	/** PKCS#12 profile, iterations, friendlyName; NULL for the defaults (modern). */
	const iotx509_pkcs12_options *pkcs12;
	/** Encrypt NAME_key.pem with this password (PKCS#8, AES-256); NULL = unencrypted. */
	const char *key_password;
	/** 0 or IOTX509_WRITE_OVERWRITE (replace an existing set, all files or none). */
	unsigned int flags;
} iotx509_credential_save_options;

/** The newest version of ::iotx509_credential_save_options this header describes (its @c version field). */
#define IOTX509_CREDENTIAL_SAVE_OPTIONS_VERSION 1
/** Static initialiser of ::iotx509_credential_save_options: the current version, every field its default. */
#define IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT { IOTX509_CREDENTIAL_SAVE_OPTIONS_VERSION, 0, NULL, NULL, NULL, 0 }

/**
 * Initialise @p opts to defaults (same as IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT, and as zero-fill with
 * only @c version set). @p version: 1 to IOTX509_CREDENTIAL_SAVE_OPTIONS_VERSION; any other
 * is IOTX509_EINVAL ("unsupported version"), as is NULL @p opts.
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_CREDENTIAL_SAVE_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0; IOTX509_EINVAL (NULL @p opts, unsupported @p version).
 */
IOTX509_EXTERN iotx509_error_code iotx509_credential_save_options_init(iotx509_credential_save_options *opts,
							unsigned int version);

/**
 * Add the credential's files to @p set without writing anything, so they
 * can be committed together with other files (iotx509_fileset_commit()).
 * opts->flags is ignored here: overwriting is decided at commit.
 * The full chain is added last: as a set's files are moved into place in
 * the order they were added, a reader that finds the full chain finds the
 * other files too.
 *
 * @param cred the credential whose files are added (not modified; the set copies the bytes)
 * @param set  an uncommitted file set
 * @param dir  directory; NULL or "" for the current directory
 * @param name the credential's name, used verbatim in the file names
 * @param opts NULL for defaults (certificate, chain, key; no .pfx)
 * @return 0; IOTX509_EINVAL (bad name, a file that does not apply such as a
 *         key for a credential without one, a .pfx without a password);
 *         export errors (IOTX509_ECRYPTO, IOTX509_ENOMEM). After an error
 *         the set may hold some of the files: free it without committing.
 */
IOTX509_EXTERN iotx509_error_code iotx509_credential_stage(iotx509_fileset *set, const iotx509_credential *cred,
					    const char *dir, const char *name,
					    const iotx509_credential_save_options *opts);

/**
 * Write the credential's files: iotx509_credential_stage() and
 * iotx509_fileset_commit() with opts->flags.
 * @param cred the credential
 * @param dir the directory; NULL or "" for the current one
 * @param name the credential's name, used verbatim in the file names
 * @param opts the options
 * @return 0; IOTX509_EEXISTS (a file exists: none was written or changed);
 *         IOTX509_EIO (nothing was left behind); as iotx509_credential_stage().
 */
IOTX509_EXTERN iotx509_error_code iotx509_credential_save(const iotx509_credential *cred, const char *dir, const char *name,
					   const iotx509_credential_save_options *opts);

/**
 * The path of one of the credential files of NAME in DIR, e.g.
 * "certs/sample-device-01_fullchain.pem" (NUL-terminated text in @p out).
 * @param out receives the result; release it with iotx509_buf_dispose()
 * @param dir the directory; NULL or "" for the current one
 * @param name the credential's name (NAME)
 * @param file which of the files
 * @return 0; IOTX509_EINVAL (empty name, a name containing '/', "." or
 *         "..", unknown @p file); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_credential_path(iotx509_buf *out, const char *dir, const char *name,
					   iotx509_credential_file file);

/** How a name becomes the stem of a credential's file names. */
typedef enum iotx509_name_style {
	/** The name as given: "sample-device-01" -> sample-device-01_cert.pem (the default). */
	IOTX509_NAMES_VERBATIM = 0,
	/**
	 * The names create_test_cert.js writes (the Azure IoT Node SDK's test
	 * certificate script, and the guides that use it): its camel-casing,
	 * that of the npm package camelcase 4.1: leading and trailing white
	 * space dropped, a run of '-', '_', '.' or ' ' removed and the letter
	 * or digit after it upper-cased, everything else lower-cased except
	 * where a lower-case letter met an upper-case one ("sample-device-01"
	 * -> "sampleDevice01", "XMLHttpRequest" -> "xmlHttpRequest", "foo" and
	 * "mytestrootcert" unchanged). Different names can give the same stem
	 * ("sample-device-01", "sample_device_01", "Sample.Device.01"): a caller
	 * writing several credentials must check for that.
	 */
	IOTX509_NAMES_CREATE_TEST_CERT = 1
} iotx509_name_style;

/**
 * "verbatim" or "create-test-cert"; "unknown" for any other value (never NULL). A static string.
 * @param style the value to name
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_name_style_name(iotx509_name_style style);

/**
 * The file name stem of @p name in @p style, as NUL-terminated text in
 * @p out (free with iotx509_buf_dispose()). Only the files are named so:
 * the certificate's CN stays @p name.
 *
 * @code
 * iotx509_buf stem = IOTX509_BUF_INIT;
 * int err = iotx509_credential_stem(&stem, "sample-device-01", IOTX509_NAMES_CREATE_TEST_CERT);
 * // stem.data is "sampleDevice01"
 * if (!err) err = iotx509_credential_save(dev, "certs", (const char *)stem.data, &so);
 * iotx509_buf_dispose(&stem);
 * @endcode
 *
 * @param out receives the result; release it with iotx509_buf_dispose()
 * @param name the name as given (for a device, its ID)
 * @param style the naming style
 * @return 0; IOTX509_EINVAL (a name with bytes outside ASCII, for which
 *         create_test_cert.js's Unicode case rules are not reproduced; a
 *         stem that is empty, ".", ".." or holds a '/'; an unknown style);
 *         IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_credential_stem(iotx509_buf *out, const char *name, iotx509_name_style style);

/**
 * Which of the credential's files a device presents in its TLS handshake
 * (and DPS registration), so the service can chain it to the CA it holds:
 * IOTX509_CREDENTIAL_CERT when the certificate is self-signed or issued
 * directly by the root that ends its chain (the service holds that root),
 * IOTX509_CREDENTIAL_FULLCHAIN when an intermediate CA issued it (the leaf
 * alone does not chain: the intermediates must travel with it), including
 * a partial chain whose last certificate is not a root. NULL gives
 * IOTX509_CREDENTIAL_FULLCHAIN.
 * @param cred the credential
 * @return the value (see above)
 */
IOTX509_EXTERN iotx509_credential_file iotx509_credential_get_presented_file(const iotx509_credential *cred);

/**
 * A new credential with the same certificate, key and chain (shared with
 * @p cred, which may then be freed). Free with iotx509_credential_free().
 * @param out receives the new credential on success; free it with iotx509_credential_free()
 * @param cred the credential
 * @return 0; IOTX509_EINVAL (NULL argument); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_credential_dup(iotx509_credential **out, const iotx509_credential *cred);

/**
 * Free a credential. Accepts NULL.
 * @param cred the credential to free, or NULL
 */
IOTX509_EXTERN void iotx509_credential_free(iotx509_credential *cred);

#ifdef __cplusplus
}
#endif
#endif
