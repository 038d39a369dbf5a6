/**
 * @file iotx509/issue.h
 * @brief Certificate issuance: one function per profile.
 *
 * Profiles (all version 3, SHA-256 signatures, SHA-384 with P-384 issuer
 * keys, Ed25519 as it requires; random 20-octet positive serial numbers;
 * SubjectKeyIdentifier on every certificate, AuthorityKeyIdentifier on every
 * certificate that is not self-signed):
 *
 * | function                          | basicConstraints     | keyUsage (critical)                     | EKU        | default days |
 * |-----------------------------------|----------------------|-----------------------------------------|------------|--------------|
 * | iotx509_issue_root()              | critical CA:TRUE     | keyCertSign, cRLSign, digitalSignature  | -          | 3650         |
 * | iotx509_issue_intermediate()      | critical CA:TRUE     | keyCertSign, cRLSign, digitalSignature  | -          | 1825         |
 * | iotx509_issue_edge_ca()           | critical CA:TRUE, pathlen 0 | keyCertSign, cRLSign, digitalSignature | -     | 365          |
 * | iotx509_issue_device()            | critical CA:FALSE    | digitalSignature (+keyEncipherment RSA) | clientAuth | 365          |
 * | iotx509_issue_device_self_signed()| critical CA:FALSE    | digitalSignature (+keyEncipherment RSA) | clientAuth | 365          |
 * | iotx509_issue_device_from_csr()   | critical CA:FALSE    | digitalSignature (+keyEncipherment RSA) | clientAuth | 365          |
 * | iotx509_issue_verification()      | critical CA:FALSE    | digitalSignature (+keyEncipherment RSA) | clientAuth | 2            |
 * | iotx509_issue_server()            | critical CA:FALSE    | digitalSignature (+keyEncipherment RSA) | serverAuth | 365          |
 *
 * Validity: notBefore is the issuance time minus ::iotx509_issue_options
 * backdate_seconds (0 = the default 300, for devices whose clocks run a
 * little behind; IOTX509_ISSUE_NO_BACKDATE for none). A certificate never outlives its issuer: by default notAfter is
 * clamped to the issuer's notAfter (and notBefore to the issuer's
 * notBefore); with IOTX509_ISSUE_STRICT_VALIDITY such a request is refused
 * with IOTX509_EVALIDITY instead. iotx509_issue_get_requested_not_after()
 * tells whether a certificate just issued was cut, and from what.
 *
 * What the issuer's certificate forbids, the library refuses to issue
 * rather than writing a certificate that every verifier (GnuTLS, and so
 * `iotx509 verify`) rejects: an issuer with a critical extension GnuTLS
 * does not support is refused by iotx509_issuer_new() (IOTX509_EUNSUPPORTED),
 * and an end-entity certificate (device, verification, server) whose names
 * the issuer's nameConstraints exclude is refused (IOTX509_ENAMECONSTRAINTS),
 * under GnuTLS's own rules (gnutls_x509_name_constraints_check_crt(); a
 * device's CN is a DNS name only for serverAuth certificates, as there).
 * Only the issuer's own certificate is known here: the constraints of the
 * CAs above it are checked when the chain is verified.
 *
 * Thread safety: an ::iotx509_issuer is immutable and may be shared by any
 * number of threads issuing at the same time (its certificate and key are
 * only read; a key in a PKCS#11 token signs one certificate at a time). The
 * subject key, options and out-parameters of each call belong to its
 * thread. doc/threads.md lists what else may be shared.
 */
#ifndef IOTX509_ISSUE_H
#define IOTX509_ISSUE_H

#include "common.h"
#include "key.h"
#include "cert.h"
#include "csr.h"
#include "id.h"
#include "certlist.h"
#include "credential.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A CA certificate with its private key, checked once and ready to sign. */
typedef struct iotx509_issuer iotx509_issuer;

/** Flags for ::iotx509_issue_options. */
typedef enum iotx509_issue_flags {
	IOTX509_ISSUE_DEFAULT = 0, /**< No flag: the defaults. */
	/** Refuse (IOTX509_EVALIDITY) instead of clamping validity to the issuer's. */
	IOTX509_ISSUE_STRICT_VALIDITY = 1u << 0,
	/** notBefore = the issuance time (no backdating); @c backdate_seconds must then be 0. */
	IOTX509_ISSUE_NO_BACKDATE = 1u << 1
} iotx509_issue_flags;

/**
 * Options common to every profile. Initialise with IOTX509_ISSUE_OPTIONS_INIT
 * or iotx509_issue_options_init(); zero-filled with only @c version set
 * means the same: every default.
 */
typedef struct iotx509_issue_options {
	unsigned int version;        /**< IOTX509_ISSUE_OPTIONS_VERSION */
	unsigned int days;           /**< validity in days; 0 = the profile's default; at most IOTX509_MAX_DAYS */
	int64_t at;                  /**< issuance time (seconds since epoch); 0 = the current time */
	/** notBefore = at - this; 0 = 300 (IOTX509_ISSUE_NO_BACKDATE: none); at most 7 days */
	unsigned int backdate_seconds;
	/** CA profiles: pathLenConstraint 0 to 32, used only with @c has_pathlen (edge CA: always 0) */
	int pathlen;
	iotx509_id_policy id_policy; /**< device profiles: rules for the device ID (default DPS) */
	unsigned int flags;          /**< ::iotx509_issue_flags */
	/** server profile: subjectAltName DNS names; NULL = none. Borrowed for the call only. */
	const iotx509_strlist *dns_names;
	/** server profile: subjectAltName IPv4/IPv6 addresses (text); NULL = none. Borrowed for the call only. */
	const iotx509_strlist *ip_addresses;
	/** Non-zero: the CA gets pathLenConstraint @c pathlen; 0 = none (then @c pathlen must be 0). */
	int has_pathlen;
} iotx509_issue_options;

/** The newest version of ::iotx509_issue_options this header describes (its @c version field). */
#define IOTX509_ISSUE_OPTIONS_VERSION 1
/** Static initialiser of ::iotx509_issue_options: the current version, every field its default. */
#define IOTX509_ISSUE_OPTIONS_INIT \
	{ IOTX509_ISSUE_OPTIONS_VERSION, 0, 0, 0, 0, IOTX509_ID_POLICY_DPS, 0, NULL, NULL, 0 }

/**
 * Initialise @p opts to defaults (same as IOTX509_ISSUE_OPTIONS_INIT, and as zero-fill with
 * only @c version set). @p version: 1 to IOTX509_ISSUE_OPTIONS_VERSION; any other
 * is IOTX509_EINVAL ("unsupported version"), as is NULL @p opts.
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_ISSUE_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0; IOTX509_EINVAL (NULL @p opts, unsupported @p version).
 */
IOTX509_EXTERN iotx509_error_code iotx509_issue_options_init(iotx509_issue_options *opts, unsigned int version);

/**
 * Pair a CA certificate with its private key.
 *
 * The issuer keeps its own references to @p cert and @p key: the caller may
 * free its handles afterwards.
 *
 * @param out receives the new issuer (CA certificate and key) on success; free it with iotx509_issuer_free()
 * @param cert the certificate
 * @param key the key
 * @return 0; IOTX509_ENOTCA (basicConstraints absent or CA:FALSE);
 *         IOTX509_ENOKEYCERTSIGN (keyUsage present without keyCertSign; an
 *         absent keyUsage is accepted, as RFC 5280 allows, so certificates
 *         from create_test_cert.js work); IOTX509_EKEYMISMATCH;
 *         IOTX509_EUNSUPPORTED (a critical extension GnuTLS does not
 *         support: no certificate it issued would verify);
 *         IOTX509_ENAMECONSTRAINTS (a nameConstraints extension GnuTLS
 *         cannot read, which fails every verification the same way).
 *         Whether the CA is within its validity is checked at each issuance.
 */
IOTX509_EXTERN iotx509_error_code iotx509_issuer_new(iotx509_issuer **out, const iotx509_cert *cert,
				      const iotx509_key *key);

/**
 * Load a CA certificate and key from files and pair them: the credential
 * iotx509_credential_load_files() reads (with
 * IOTX509_CREDENTIAL_PARTIAL_CHAIN), made an issuer by
 * iotx509_issuer_new_from_credential(). Certificates after the first in
 * @p cert_path become the issuer's chain (iotx509_issuer_get_chain()).
 * @param out receives the new issuer on success (free with iotx509_issuer_free())
 * @param cert_path the CA certificate file (PEM or DER)
 * @param key_path the CA private key file (PEM or DER)
 * @param key_password NULL when the key file is not encrypted
 * @return 0; the errors of iotx509_credential_load_files() (e.g.
 *         IOTX509_ENOTFOUND, IOTX509_EPARSE, IOTX509_EPASSWORD,
 *         IOTX509_EKEYMISMATCH; the message names the file), then those of
 *         iotx509_issuer_new(); IOTX509_EINVAL (NULL argument).
 */
IOTX509_EXTERN iotx509_error_code iotx509_issuer_load(iotx509_issuer **out, const char *cert_path,
				       const char *key_path, const char *key_password);

/**
 * The issuer's certificate: valid until @p issuer is freed (iotx509_cert_dup() to keep it).
 * @param issuer the issuer (CA certificate and key)
 * @return a handle owned by @p issuer (not to be freed), valid as long as @p issuer
 */
IOTX509_EXTERN const iotx509_cert *iotx509_issuer_get_cert(const iotx509_issuer *issuer);

/**
 * Another reference to @p issuer (issuers are immutable and reference
 * counted; the key is shared). Free with iotx509_issuer_free(). Thread-safe.
 * @param out receives the new issuer (CA certificate and key) on success; free it with iotx509_issuer_free()
 * @param issuer the issuer (CA certificate and key)
 * @return 0; IOTX509_EINVAL (NULL argument).
 */
IOTX509_EXTERN iotx509_error_code iotx509_issuer_dup(iotx509_issuer **out, const iotx509_issuer *issuer);

/**
 * Free an issuer. Accepts NULL.
 * @param issuer the issuer (CA certificate and key) to free, or NULL
 */
IOTX509_EXTERN void iotx509_issuer_free(iotx509_issuer *issuer);

/**
 * Whether the validity of @p cert was cut to its issuer's when it was issued.
 *
 * A certificate never outlives its issuer: without
 * IOTX509_ISSUE_STRICT_VALIDITY, a requested notAfter later than the
 * issuer's becomes the issuer's notAfter. Callers that asked for a validity
 * (a user's --days) use this to say so, with both dates:
 *
 * @code
 * int64_t asked = iotx509_issue_get_requested_not_after(cert);
 * if (asked != 0)
 *     printf("cut from %lld to %lld\n", (long long)asked, (long long)iotx509_cert_get_not_after(cert));
 * @endcode
 *
 * The answer travels with the handle (and with iotx509_cert_dup(), and the
 * credentials built on it), not with the certificate's DER: a certificate
 * loaded from a file, or issued within its issuer's validity, gives 0.
 *
 * @param cert the certificate
 * @return the notAfter (seconds since the epoch) that was asked for, when
 *         it was cut to the issuer's notAfter (iotx509_cert_get_not_after());
 *         0 otherwise, and for NULL.
 */
IOTX509_EXTERN int64_t iotx509_issue_get_requested_not_after(const iotx509_cert *cert);

/**
 * Issue a self-signed root CA certificate for @p key with subject CN=@p cn.
 *
 * @code
 * iotx509_key *key = NULL;
 * iotx509_cert *root = NULL;
 * iotx509_issue_options opts = IOTX509_ISSUE_OPTIONS_INIT;
 * opts.days = 3650;
 * if (iotx509_key_generate(&key, IOTX509_KEY_P256) < 0 ||
 *     iotx509_issue_root(&root, key, "Contoso Root CA", &opts) < 0)
 *     fprintf(stderr, "%s\n", iotx509_error_last());
 * @endcode
 *
 * @param out receives the new certificate on success (free with iotx509_cert_free())
 * @param key the root's key pair: it is certified and signs the certificate
 * @param cn the subject commonName
 * @param opts NULL for defaults
 * @return 0, IOTX509_EINVAL (empty CN, days out of range, an unsupported
 *         options version, a pathlen without has_pathlen or outside 0 to 32,
 *         backdate_seconds with IOTX509_ISSUE_NO_BACKDATE), IOTX509_ECRYPTO
 */
IOTX509_EXTERN iotx509_error_code iotx509_issue_root(iotx509_cert **out, const iotx509_key *key, const char *cn,
				      const iotx509_issue_options *opts);

/**
 * Issue an intermediate CA certificate for @p subject_key under @p issuer.
 * @param out receives the new certificate on success; free it with iotx509_cert_free()
 * @param issuer the issuer (CA certificate and key)
 * @param subject_key the key
 * @param cn the subject commonName
 * @param opts the options
 * @return as iotx509_issue_device() (except device ID checks), plus
 *         IOTX509_EPATHLEN when the issuer's pathLenConstraint is 0 or the
 *         requested pathlen is not below the issuer's.
 */
IOTX509_EXTERN iotx509_error_code iotx509_issue_intermediate(iotx509_cert **out, const iotx509_issuer *issuer,
					      const iotx509_key *subject_key, const char *cn,
					      const iotx509_issue_options *opts);

/**
 * Issue an IoT Edge device CA certificate (CA with pathlen 0) under @p issuer.
 * @param out receives the new certificate on success; free it with iotx509_cert_free()
 * @param issuer the issuer (CA certificate and key)
 * @param subject_key the key
 * @param cn the subject commonName
 * @param opts the options
 * @return as iotx509_issue_intermediate(): 0; IOTX509_EISSUERVALIDITY;
 *         IOTX509_EVALIDITY; IOTX509_ENAMECONSTRAINTS; IOTX509_EPATHLEN;
 *         IOTX509_EINVAL; IOTX509_ECRYPTO.
 */
IOTX509_EXTERN iotx509_error_code iotx509_issue_edge_ca(iotx509_cert **out, const iotx509_issuer *issuer,
					 const iotx509_key *subject_key, const char *cn,
					 const iotx509_issue_options *opts);

/**
 * Issue a device certificate whose CN is @p device_id under @p issuer.
 *
 * @code
 * iotx509_issuer *ca = NULL;
 * iotx509_key *dkey = NULL;
 * iotx509_cert *dev = NULL;
 * int err = iotx509_issuer_load(&ca, "root_cert.pem", "root_key.pem", NULL);
 * if (!err) err = iotx509_key_generate(&dkey, IOTX509_KEY_P256);
 * if (!err) err = iotx509_issue_device(&dev, ca, dkey, "sample-device-01", NULL);
 * if (err) fprintf(stderr, "%s: %s\n", iotx509_strerror(err), iotx509_error_last());
 * @endcode
 *
 * @param out receives the new certificate on success; free it with iotx509_cert_free()
 * @param issuer the issuer (CA certificate and key)
 * @param subject_key the key
 * @param device_id the device ID, the certificate's CN
 * @param opts the options (see above for NULL)
 * @return 0; IOTX509_EDEVICEID (invalid under opts->id_policy);
 *         IOTX509_EISSUERVALIDITY (issuer expired or not yet valid at
 *         opts->at); IOTX509_EVALIDITY (strict validity only);
 *         IOTX509_ENAMECONSTRAINTS (the issuer's nameConstraints exclude
 *         a name of the certificate; see the top of this file);
 *         IOTX509_EINVAL; IOTX509_ECRYPTO.
 */
IOTX509_EXTERN iotx509_error_code iotx509_issue_device(iotx509_cert **out, const iotx509_issuer *issuer,
					const iotx509_key *subject_key, const char *device_id,
					const iotx509_issue_options *opts);

/**
 * Issue a self-signed device certificate (individual enrollments: primary
 * and secondary). Device profile, CN = @p device_id.
 * @param out receives the new certificate on success; free it with iotx509_cert_free()
 * @param key the key
 * @param device_id the device ID, the certificate's CN
 * @param opts the options (see above for NULL)
 * @return 0; IOTX509_EDEVICEID (invalid under opts->id_policy);
 *         IOTX509_EINVAL (NULL argument, days out of range); IOTX509_ENOMEM;
 *         IOTX509_ECRYPTO.
 */
IOTX509_EXTERN iotx509_error_code iotx509_issue_device_self_signed(iotx509_cert **out, const iotx509_key *key,
						    const char *device_id,
						    const iotx509_issue_options *opts);

/**
 * Issue a device certificate from a CSR under @p issuer. The CSR's
 * self-signature must verify (else IOTX509_ESIGNATURE) and its CN must be a
 * valid device ID (else IOTX509_EDEVICEID). The device profile always
 * applies: extensions the CSR requests are ignored.
 * @param out receives the new certificate on success; free it with iotx509_cert_free()
 * @param issuer the issuer (CA certificate and key)
 * @param csr the CSR
 * @param opts the options
 * @return as iotx509_issue_device(), plus IOTX509_ESIGNATURE and
 *         IOTX509_EDEVICEID as above.
 */
IOTX509_EXTERN iotx509_error_code iotx509_issue_device_from_csr(iotx509_cert **out, const iotx509_issuer *issuer,
						 const iotx509_csr *csr,
						 const iotx509_issue_options *opts);

/**
 * Issue a proof-of-possession ("verification") certificate whose CN is
 * @p nonce exactly as given, under the CA being proven.
 * @param out receives the new certificate on success; free it with iotx509_cert_free()
 * @param issuer the issuer (CA certificate and key)
 * @param subject_key the key
 * @param nonce the verification code the service gave, the certificate's CN
 * @param opts the options
 * @return as iotx509_issue_device(); IOTX509_EDEVICEID for an invalid nonce
 *         (see iotx509_id_validate_nonce()).
 */
IOTX509_EXTERN iotx509_error_code iotx509_issue_verification(iotx509_cert **out, const iotx509_issuer *issuer,
					      const iotx509_key *subject_key, const char *nonce,
					      const iotx509_issue_options *opts);

/**
 * Issue a TLS server certificate (a gateway or broker devices connect to)
 * with the DNS names and IP addresses of @p opts as subjectAltNames. At
 * least one SAN is required (IOTX509_EINVAL otherwise).
 * @param out receives the new certificate on success; free it with iotx509_cert_free()
 * @param issuer the issuer (CA certificate and key)
 * @param subject_key the key
 * @param cn the subject commonName
 * @param opts the options
 * @return 0; IOTX509_EISSUERVALIDITY (issuer expired or not yet valid at
 *         opts->at); IOTX509_EVALIDITY (strict validity only);
 *         IOTX509_ENAMECONSTRAINTS; IOTX509_EINVAL (NULL argument, no SAN,
 *         a malformed DNS name or IP address, bad options); IOTX509_ECRYPTO.
 */
IOTX509_EXTERN iotx509_error_code iotx509_issue_server(iotx509_cert **out, const iotx509_issuer *issuer,
					const iotx509_key *subject_key, const char *cn,
					const iotx509_issue_options *opts);

/* ---- one issuance: key, certificate, chain and files ---- */

/** What a certificate is for: the profiles of the table at the top of this file. */
typedef enum iotx509_profile {
	IOTX509_PROFILE_DEVICE = 0,   /**< device (client) certificate, CN = the device ID */
	IOTX509_PROFILE_ROOT,         /**< self-signed root CA */
	IOTX509_PROFILE_INTERMEDIATE, /**< intermediate CA */
	IOTX509_PROFILE_EDGE_CA,      /**< IoT Edge device CA (pathlen 0) */
	IOTX509_PROFILE_SERVER,       /**< TLS server certificate */
	IOTX509_PROFILE_VERIFICATION  /**< proof-of-possession certificate, CN = the verification code */
} iotx509_profile;

/**
 * "device", "root", "intermediate", "edge-ca", "server", "verification"
 * (the CLI's command names); "unknown" for any other value (never NULL).
 * @param profile the value to name
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_profile_name(iotx509_profile profile);

/**
 * The issuer of a credential: its certificate and key
 * (iotx509_issuer_new()), carrying the credential's whole chain, so that
 * what it issues gets a full chain (iotx509_issue_credential()). This is
 * the one step from a loaded CA (iotx509_credential_load(), a .pfx, ...)
 * to an issuer. The issuer keeps its own references: @p cred may be freed
 * afterwards.
 *
 * @param out receives the new issuer on success; free it with iotx509_issuer_free()
 * @param cred the CA's credential: certificate, private key and chain
 * @return 0; IOTX509_EINVAL (NULL argument; a credential without a private
 *         key: the message names the CA's subject); the errors of
 *         iotx509_issuer_new() (IOTX509_ENOTCA, IOTX509_ENOKEYCERTSIGN,
 *         IOTX509_EKEYMISMATCH, IOTX509_EUNSUPPORTED,
 *         IOTX509_ENAMECONSTRAINTS); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_issuer_new_from_credential(iotx509_issuer **out,
								      const iotx509_credential *cred);

/**
 * The issuer's chain: its certificate first, then the rest of its chain
 * towards the root: the credential's chain for
 * iotx509_issuer_new_from_credential(), what iotx509_credential_load_files()
 * builds from the files for iotx509_issuer_load() (the certificate file may
 * carry the chain after the CA; a partial chain is kept as found), the
 * certificate alone for iotx509_issuer_new(). Borrowed: valid until
 * @p issuer is freed (iotx509_certlist_dup() to keep it). Never NULL for a
 * valid issuer; NULL for NULL.
 * @param issuer the issuer
 * @return the chain, borrowed from @p issuer
 */
IOTX509_EXTERN const iotx509_certlist *iotx509_issuer_get_chain(const iotx509_issuer *issuer);

/**
 * Options for iotx509_issue_credential(). Initialise with
 * IOTX509_ISSUE_CREDENTIAL_OPTIONS_INIT or
 * iotx509_issue_credential_options_init(); zero-filled with only
 * @c version set means the same: every default (a new P-256 key in
 * memory, the profile's defaults, no files). Every pointer is borrowed for
 * the call only.
 *
 * The subject key comes from at most one of @c key, @c csr and
 * @c token_url; with none of them a key of @c key_type is generated.
 */
typedef struct iotx509_issue_credential_options {
	unsigned int version; /**< IOTX509_ISSUE_CREDENTIAL_OPTIONS_VERSION */
	/** Validity, pathlen, SANs, ID policy, time: NULL = the defaults of ::iotx509_issue_options. */
	const iotx509_issue_options *issue;
	/** The subject key, given (the credential holds a reference to it); NULL = see above. */
	const iotx509_key *key;
	/**
	 * Device profile only, under a parent: the certificate is for the CSR's
	 * key (its self-signature must verify), and the credential has no key.
	 */
	const iotx509_csr *csr;
	/** The type of a generated key (here or in the token); 0 = IOTX509_KEY_P256. */
	iotx509_key_type key_type;
	/**
	 * A `pkcs11:` URL naming a token: the key is generated inside it (it
	 * never leaves it: no key file, no .pfx) and the certificate is stored
	 * next to it, under the same label.
	 */
	const char *token_url;
	/** The label of the token's objects; NULL = @c name, or the subject when @c name is NULL. */
	const char *token_label;
	/** PIN and module for the token; NULL = the defaults of ::iotx509_key_open_options. */
	const iotx509_key_open_options *token;
	/** Directory of the files; NULL or "" = the current directory. */
	const char *dir;
	/** Non-NULL: the credential's files NAME_* (iotx509_credential_save()) go into @c dir. */
	const char *name;
	/** Which files, .pfx password and profile, key password, overwrite: NULL = the defaults. */
	const iotx509_credential_save_options *save;
	/**
	 * Non-NULL (with @c name): the files are staged into this set
	 * (iotx509_credential_stage()) and the caller commits it, with files
	 * of its own; NULL: they are written here (iotx509_credential_save(),
	 * with save->flags).
	 */
	iotx509_fileset *stage;
} iotx509_issue_credential_options;

/** The current version of ::iotx509_issue_credential_options. */
#define IOTX509_ISSUE_CREDENTIAL_OPTIONS_VERSION 1
/** The defaults (the same as a zero-filled struct with only the version set). */
#define IOTX509_ISSUE_CREDENTIAL_OPTIONS_INIT \
	{ IOTX509_ISSUE_CREDENTIAL_OPTIONS_VERSION, NULL, NULL, NULL, (iotx509_key_type)0, NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/**
 * Initialise @p opts to defaults (same as IOTX509_ISSUE_CREDENTIAL_OPTIONS_INIT, and as zero-fill
 * with only @c version set). @p version: 1 to IOTX509_ISSUE_CREDENTIAL_OPTIONS_VERSION; any other
 * is IOTX509_EINVAL ("unsupported version"), as is NULL @p opts.
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_ISSUE_CREDENTIAL_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0; IOTX509_EINVAL (NULL @p opts, unsupported @p version).
 */
IOTX509_EXTERN iotx509_error_code iotx509_issue_credential_options_init(iotx509_issue_credential_options *opts,
									 unsigned int version);

/**
 * Issue a credential: the subject key, its certificate of @p profile and
 * the full chain, and optionally its files. This is what every issuing
 * command of the CLI and every device of a batch does.
 *
 * In order:
 * 1. the arguments and the subject are checked: the device ID (device
 *    profile, under opts->issue->id_policy) or the nonce (verification)
 *    exactly once, the CN of the other profiles, the options, the file
 *    name, and what the parent can issue (pathLenConstraint, its validity
 *    at the issuance time). Nothing is generated before these pass;
 * 2. the subject key: given, generated in memory, or generated in the
 *    token (a CSR's self-signature is verified here);
 * 3. the certificate, by the profile's function (iotx509_issue_root(),
 *    iotx509_issue_device(), ...: same extensions, validity and checks);
 * 4. the credential: key (none for a CSR), certificate, and the chain
 *    certificate + the parent's chain (iotx509_issuer_get_chain()); a
 *    parent whose chain does not reach a root gives a partial chain, as
 *    IOTX509_CREDENTIAL_PARTIAL_CHAIN does;
 * 5. with @c token_url, the certificate is stored in the token;
 * 6. with @c name, the files are staged or written.
 *
 * A failure leaves @p *out NULL and no file written. Two things cannot be
 * undone: a key generated in a token stays there when a later step fails
 * (steps 1 and the parent's checks come first so that this is rare), and
 * a certificate stored in the token stays when writing the files fails
 * (IOTX509_EEXISTS: use IOTX509_WRITE_OVERWRITE or another name). With
 * @c stage, the set may hold some files after a failure: free it
 * without committing.
 *
 * A group enrollment: a root, and a device under it, each saved:
 * @code
 * iotx509_credential *root = NULL, *dev = NULL;
 * iotx509_issuer *ca = NULL;
 * iotx509_issue_credential_options o = IOTX509_ISSUE_CREDENTIAL_OPTIONS_INIT;
 * iotx509_credential_save_options so = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;
 * o.dir = "certs";
 * o.name = "myroot";
 * int err = iotx509_issue_credential(&root, IOTX509_PROFILE_ROOT, NULL, "My Root CA", &o);
 * if (!err) err = iotx509_issuer_new_from_credential(&ca, root);
 * so.pfx_password = "a-good-password";
 * o.save = &so;
 * o.name = "sample-device-01";
 * if (!err) err = iotx509_issue_credential(&dev, IOTX509_PROFILE_DEVICE, ca, "sample-device-01", &o);
 * if (err) fprintf(stderr, "%s: %s\n", iotx509_strerror(err), iotx509_error_last());
 * iotx509_credential_free(dev);
 * iotx509_issuer_free(ca);
 * iotx509_credential_free(root);
 * @endcode
 *
 * @param out     receives the credential (free with iotx509_credential_free())
 * @param profile the certificate's profile
 * @param parent  the issuer, with its chain (iotx509_issuer_new_from_credential());
 *                NULL for a self-signed certificate: a root, or the device
 *                of an individual enrollment
 * @param subject the CN: the device ID (device), the verification code
 *                (verification), a name (others); with @c csr, NULL takes
 *                the CSR's CN, and a given one must be the CSR's CN
 * @param opts    NULL for the defaults
 * @return 0; IOTX509_EDEVICEID (an invalid device ID or nonce; a CSR
 *         without a CN); IOTX509_EINVAL (NULL @p out or @p subject, an
 *         unsupported options version, more than one of key, csr and
 *         token_url, a CSR for another profile than device or without a
 *         parent, a profile other than root and device without a parent
 *         ("needs a parent"), a root with a parent, @c stage without
 *         @c name, a name that cannot be a file name, the errors of the
 *         issue options); IOTX509_EPATHLEN, IOTX509_EISSUERVALIDITY,
 *         IOTX509_EVALIDITY, IOTX509_ENAMECONSTRAINTS (the parent cannot
 *         issue this); IOTX509_ESIGNATURE (the CSR's self-signature);
 *         IOTX509_EUNSUPPORTED (a key type the token lacks, a subject key
 *         the profiles refuse); the token's errors (IOTX509_EPKCS11_MODULE,
 *         IOTX509_EPKCS11_TOKEN, IOTX509_EPIN, IOTX509_EEXISTS for a label
 *         in use); IOTX509_EEXISTS (a file exists: nothing was written);
 *         IOTX509_EIO; IOTX509_ECRYPTO; IOTX509_ENOMEM.
 *
 * Thread safety: @p parent may be shared by threads issuing at the same
 * time (see the top of this file); @p opts and what it points to are only
 * read, and a @c stage set belongs to the calling thread.
 */
IOTX509_EXTERN iotx509_error_code iotx509_issue_credential(iotx509_credential **out, iotx509_profile profile,
							    const iotx509_issuer *parent, const char *subject,
							    const iotx509_issue_credential_options *opts);

#ifdef __cplusplus
}
#endif
#endif
