/**
 * @file iotx509/csr.h
 * @brief PKCS#10 certificate signing requests: the production flow in which
 *        the device keeps its private key and sends only a CSR.
 */
#ifndef IOTX509_CSR_H
#define IOTX509_CSR_H

#include "common.h"
#include "key.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque CSR handle; free with iotx509_csr_free(). Immutable, shareable between threads. */
typedef struct iotx509_csr iotx509_csr;

/** Options for iotx509_csr_new(). */
typedef struct iotx509_csr_options {
	unsigned int version;          /**< IOTX509_CSR_OPTIONS_VERSION */
	/** subjectAltName DNS names to request; NULL = none. Borrowed for the call only. */
	const iotx509_strlist *dns_names;
	/** subjectAltName IPv4/IPv6 addresses (text) to request; NULL = none. Borrowed for the call only. */
	const iotx509_strlist *ip_addresses;
} iotx509_csr_options;

/** The newest version of ::iotx509_csr_options this header describes (its @c version field). */
#define IOTX509_CSR_OPTIONS_VERSION 1
/** Static initialiser of ::iotx509_csr_options: the current version, every field its default. */
#define IOTX509_CSR_OPTIONS_INIT { IOTX509_CSR_OPTIONS_VERSION, NULL, NULL }

/**
 * Initialise @p opts to defaults (same as IOTX509_CSR_OPTIONS_INIT, and as zero-fill with
 * only @c version set). @p version: 1 to IOTX509_CSR_OPTIONS_VERSION; any other
 * is IOTX509_EINVAL ("unsupported version"), as is NULL @p opts.
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_CSR_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0; IOTX509_EINVAL (NULL @p opts, unsupported @p version).
 */
IOTX509_EXTERN iotx509_error_code iotx509_csr_options_init(iotx509_csr_options *opts, unsigned int version);

/**
 * Create and sign a CSR with subject CN=@p cn for @p key.
 * @param out receives the new CSR on success (free with iotx509_csr_free())
 * @param key the key whose public half the CSR carries and which signs it
 * @param cn the subject commonName (for a device, its registration ID)
 * @param opts NULL for defaults
 * @return 0, IOTX509_EINVAL (empty CN, bad IP address), IOTX509_ECRYPTO,
 *         IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_csr_new(iotx509_csr **out, const iotx509_key *key, const char *cn,
				      const iotx509_csr_options *opts);

/**
 * Import a CSR from PEM ("CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST"),
 * DER, or headerless base64 of the DER (the form the DPS certificate
 * issuance API takes). The signature is not checked here: see iotx509_csr_verify().
 * @param out receives the new CSR on success; free it with iotx509_csr_free()
 * @param data the bytes to read
 * @param size the number of bytes in @p data
 * @return 0, IOTX509_EPARSE, IOTX509_EINVAL (NULL argument).
 */
IOTX509_EXTERN iotx509_error_code iotx509_csr_import(iotx509_csr **out, const unsigned char *data, size_t size);

/**
 * Load a CSR from a file (as iotx509_csr_import(); messages name the file).
 * @param out receives the new CSR on success; free it with iotx509_csr_free()
 * @param path the path of the file
 * @return as iotx509_csr_import(), plus the errors of iotx509_file_read()
 *         (IOTX509_ENOTFOUND, IOTX509_EIO, IOTX509_ELIMIT).
 */
IOTX509_EXTERN iotx509_error_code iotx509_csr_load(iotx509_csr **out, const char *path);

/**
 * The CSR as PEM ("CERTIFICATE REQUEST"), ending with a newline.
 * @param out receives the result; release it with iotx509_buf_dispose()
 * @param csr the CSR
 * @return 0; IOTX509_EINVAL (NULL argument); IOTX509_ENOMEM; IOTX509_ECRYPTO.
 */
IOTX509_EXTERN iotx509_error_code iotx509_csr_export_pem(iotx509_buf *out, const iotx509_csr *csr);
/**
 * The CSR as DER.
 * @param out receives the result; release it with iotx509_buf_dispose()
 * @param csr the CSR
 * @return 0; IOTX509_EINVAL (NULL argument); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_csr_export_der(iotx509_buf *out, const iotx509_csr *csr);
/**
 * The CSR's DER as one line of base64 without header or newline (DPS issuance API form).
 * @param out receives the result; release it with iotx509_buf_dispose()
 * @param csr the CSR
 * @return 0; IOTX509_EINVAL (NULL argument); IOTX509_ENOMEM; IOTX509_ECRYPTO.
 */
IOTX509_EXTERN iotx509_error_code iotx509_csr_export_base64(iotx509_buf *out, const iotx509_csr *csr);
/**
 * Write the CSR as PEM to @p path atomically (mode 0644).
 * @param csr the CSR to write
 * @param path the file to write (replaced atomically)
 * @param opts  NULL for the defaults; IOTX509_WRITE_OVERWRITE replaces an existing file (IOTX509_WRITE_PRIVATE is ignored)
 * @return 0; IOTX509_EEXISTS (the file exists and IOTX509_WRITE_OVERWRITE
 *         is not set); IOTX509_EIO; IOTX509_EINVAL (NULL argument); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_csr_save(const iotx509_csr *csr, const char *path,
					    const iotx509_write_options *opts);

/**
 * Verify the CSR's self-signature. Like every verifying function (see
 * iotx509/errors.h), it returns 0 when it could decide and gives the verdict
 * in @p out; when the verdict is "no", iotx509_error_last() says so (code
 * IOTX509_ESIGNATURE), and when it is "yes" the last error is cleared.
 * @param csr the CSR whose signature is checked
 * @param out receives 1 if the signature verifies, 0 if not
 * @return 0 when it could decide; IOTX509_EINVAL (NULL argument);
 *         IOTX509_EUNSUPPORTED, IOTX509_EPARSE or IOTX509_ECRYPTO when
 *         GnuTLS cannot check the signature at all (then @p *out is not set).
 */
IOTX509_EXTERN iotx509_error_code iotx509_csr_verify(int *out, const iotx509_csr *csr);

/**
 * Subject commonName ("" if none). Owned by the handle.
 * @param csr the CSR
 * @return a string owned by @p csr (not to be freed), valid until @p csr is freed
 */
IOTX509_EXTERN const char *iotx509_csr_get_subject_cn(const iotx509_csr *csr);
/**
 * Subject DN, RFC 4514. Owned by the handle.
 * @param csr the CSR
 * @return a string owned by @p csr (not to be freed), valid until @p csr is freed
 */
IOTX509_EXTERN const char *iotx509_csr_get_subject_dn(const iotx509_csr *csr);
/**
 * SHA-256 of the requested SubjectPublicKeyInfo, 64 upper-case hex digits.
 * @param csr the CSR
 * @return a string owned by @p csr (not to be freed), valid until @p csr is freed
 */
IOTX509_EXTERN const char *iotx509_csr_get_spki_sha256(const iotx509_csr *csr);
/**
 * Algorithm of the requested public key.
 * @param csr the CSR
 * @return the value (see above)
 */
IOTX509_EXTERN iotx509_key_algorithm iotx509_csr_get_key_algorithm(const iotx509_csr *csr);

/**
 * Check that @p key is the private key of @p csr.
 * @param csr the CSR
 * @param key the key
 * @return 0 if it is; IOTX509_EKEYMISMATCH if not; IOTX509_EINVAL (NULL argument).
 */
IOTX509_EXTERN iotx509_error_code iotx509_csr_check_key(const iotx509_csr *csr, const iotx509_key *key);

/**
 * Another reference to @p csr (CSRs are immutable and reference counted).
 * Free with iotx509_csr_free(). Thread-safe.
 * @param out receives the new CSR on success; free it with iotx509_csr_free()
 * @param csr the CSR
 * @return 0; IOTX509_EINVAL (NULL argument).
 */
IOTX509_EXTERN iotx509_error_code iotx509_csr_dup(iotx509_csr **out, const iotx509_csr *csr);

/**
 * Free a CSR handle. Accepts NULL.
 * @param csr the CSR to free, or NULL
 */
IOTX509_EXTERN void iotx509_csr_free(iotx509_csr *csr);

#ifdef __cplusplus
}
#endif
#endif
