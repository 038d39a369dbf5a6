/**
 * @file iotx509/lint.h
 * @brief A certificate linter: the RFC 5280 rules that matter for IoT
 *        device identities, checked on the DER itself.
 *
 * The linter decodes a certificate with its own ASN.1 module for the PKIX
 * structures (libtasn1), independently of the parser that imports
 * certificates, and reports each problem as a finding with a severity, a
 * stable identifier and a message. Every certificate libiotx509 issues lints
 * clean (no finding at all).
 *
 * | identifier                      | severity | rule |
 * |---------------------------------|----------|------|
 * | der-trailing-data               | error    | bytes follow the certificate |
 * | der-not-canonical               | error    | not DER: indefinite or non-minimal lengths, BOOLEAN not 0xFF, DEFAULT values encoded, unsorted SET OF, non-minimal INTEGER, keyUsage with trailing zero bits |
 * | version-not-v3                  | error    | extensions present but version is not 3 |
 * | version-invalid                 | error    | version is not 1, 2 or 3 |
 * | serial-zero                     | error    | serial number is 0 |
 * | serial-negative                 | error    | serial number is negative |
 * | serial-too-long                 | error    | serial number is longer than 20 octets |
 * | serial-low-entropy              | info     | serial number shorter than 8 octets (sequential or guessable) |
 * | signature-algorithm-mismatch    | error    | tbsCertificate.signature differs from signatureAlgorithm |
 * | validity-time-format            | error    | UTCTime not YYMMDDHHMMSSZ, GeneralizedTime not YYYYMMDDHHMMSSZ |
 * | validity-generalized-before-2050| error    | GeneralizedTime used for a date before 2050 (must be UTCTime) |
 * | validity-inverted               | error    | notAfter is before notBefore |
 * | issuer-empty                    | error    | issuer name has no attribute |
 * | subject-empty                   | error    | subject name empty without a critical subjectAltName |
 * | subject-cn-too-long             | error    | subject commonName longer than 64 characters |
 * | issuer-cn-too-long              | error    | issuer commonName longer than 64 characters |
 * | subject-cn-multiple             | error    | more than one subject commonName: readers disagree on which names the device (OpenSSL and GnuTLS take the first, Go the last) |
 * | subject-empty-rdn               | error    | an RDN of the subject holds no attribute (RFC 5280: SIZE (1..MAX)) |
 * | issuer-empty-rdn                | error    | an RDN of the issuer holds no attribute |
 * | extensions-empty                | error    | extensions field present but empty |
 * | extensions-too-many             | error    | more than 1024 extensions (only the first 1024 are checked) |
 * | duplicate-extension             | error    | the same extension appears twice |
 * | extension-malformed             | error    | a known extension's value does not decode, or a keyUsage BIT STRING claims more than 7 unused bits |
 * | unknown-critical-extension      | warning  | a critical extension the linter does not know |
 * | ca-basic-constraints-not-critical | error  | CA certificate with a non-critical basicConstraints |
 * | pathlen-without-ca              | error    | pathLenConstraint on a certificate that is not a CA |
 * | ca-missing-key-usage            | error    | CA certificate without keyUsage |
 * | ca-key-usage-no-cert-sign       | error    | CA certificate whose keyUsage lacks keyCertSign |
 * | key-cert-sign-not-ca            | error    | keyCertSign without basicConstraints CA:TRUE |
 * | key-usage-empty                 | error    | keyUsage with no bit set |
 * | key-usage-too-long              | error    | keyUsage longer than 2 octets (RFC 5280 names 9 bits; GnuTLS cannot read more) |
 * | key-usage-undefined-bits        | warning  | keyUsage sets a bit after decipherOnly (bit 8) |
 * | key-usage-not-critical          | warning  | keyUsage not marked critical |
 * | key-usage-key-encipherment-not-rsa | warning | keyEncipherment on an ECDSA or Ed25519 key |
 * | ee-missing-key-usage            | warning  | end-entity certificate without keyUsage |
 * | ca-missing-ski                  | error    | CA certificate without subjectKeyIdentifier |
 * | ee-missing-ski                  | warning  | end-entity certificate without subjectKeyIdentifier |
 * | missing-aki                     | error    | certificate not self-issued without authorityKeyIdentifier |
 * | key-identifier-critical         | error    | subject or authority key identifier marked critical |
 * | device-missing-client-auth      | error    | device profile without extendedKeyUsage clientAuth |
 * | ee-missing-ext-key-usage        | warning  | end-entity certificate without extendedKeyUsage (profile auto) |
 * | server-missing-server-auth      | error    | server profile without extendedKeyUsage serverAuth |
 * | server-missing-san              | error    | server profile without subjectAltName |
 * | profile-not-ca                  | error    | CA profile requested, certificate is not a CA |
 * | profile-is-ca                   | error    | end-entity profile requested, certificate is a CA |
 *
 * Hostile input is bounded: a certificate over 64 KiB is refused, and of
 * each name only the first 1024 RDNs and attributes, of the extensions and
 * of an extendedKeyUsage only the first 1024 entries are looked at.
 *
 * A result belongs to the caller; findings are read by index, so the API
 * needs no callbacks:
 *
 * @code
 * iotx509_lint_result *res = NULL;
 * iotx509_lint_options opts = IOTX509_LINT_OPTIONS_INIT;
 * size_t i;
 * opts.profile = IOTX509_LINT_PROFILE_DEVICE;
 * if (iotx509_lint_cert(&res, cert, &opts) == 0) {
 *     for (i = 0; i < iotx509_lint_result_count(res); i++)
 *         printf("%s %s: %s\n",
 *                iotx509_lint_severity_name(iotx509_lint_result_get_severity(res, i)),
 *                iotx509_lint_result_get_id(res, i), iotx509_lint_result_get_message(res, i));
 * }
 * iotx509_lint_result_free(res);
 * @endcode
 */
#ifndef IOTX509_LINT_H
#define IOTX509_LINT_H

#include "common.h"
#include "cert.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How serious a finding is. Ordered: a higher value is more serious. */
typedef enum iotx509_lint_severity {
	IOTX509_LINT_INFO = 1,    /**< Worth knowing; not a rule violation. */
	IOTX509_LINT_WARNING = 2, /**< Violates a SHOULD, or our profile's expectation. */
	IOTX509_LINT_ERROR = 3    /**< Violates a MUST of RFC 5280 or a rule the cloud services enforce. */
} iotx509_lint_severity;

/** The profile a certificate is checked against. */
typedef enum iotx509_lint_profile {
	/**
	 * Decide from the certificate: a CA when basicConstraints says CA:TRUE;
	 * a server when its extendedKeyUsage has serverAuth but not clientAuth;
	 * otherwise a device.
	 */
	IOTX509_LINT_PROFILE_AUTO = 0,
	IOTX509_LINT_PROFILE_CA = 1,     /**< Root, intermediate or edge CA. */
	IOTX509_LINT_PROFILE_DEVICE = 2, /**< Device or verification (proof-of-possession) certificate. */
	IOTX509_LINT_PROFILE_SERVER = 3  /**< TLS server certificate. */
} iotx509_lint_profile;

/** Options for the lint functions. Initialise with IOTX509_LINT_OPTIONS_INIT. */
typedef struct iotx509_lint_options {
	unsigned int version;         /**< IOTX509_LINT_OPTIONS_VERSION */
	iotx509_lint_profile profile; /**< expected profile (default IOTX509_LINT_PROFILE_AUTO) */
} iotx509_lint_options;

/** Current version of ::iotx509_lint_options. */
#define IOTX509_LINT_OPTIONS_VERSION 1
/** Static initialiser for ::iotx509_lint_options: profile auto. */
#define IOTX509_LINT_OPTIONS_INIT { IOTX509_LINT_OPTIONS_VERSION, IOTX509_LINT_PROFILE_AUTO }

/** Opaque list of findings; free with iotx509_lint_result_free(). */
typedef struct iotx509_lint_result iotx509_lint_result;

/**
 * Initialise @p opts to defaults (same as IOTX509_LINT_OPTIONS_INIT, and as
 * zero-fill with only @c version set).
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_LINT_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0, or IOTX509_EINVAL for a NULL @p opts or a @p version outside
 *         1 to IOTX509_LINT_OPTIONS_VERSION ("unsupported version").
 */
IOTX509_EXTERN iotx509_error_code iotx509_lint_options_init(iotx509_lint_options *opts, unsigned int version);

/**
 * Lint a certificate.
 *
 * @param out  receives a new result (also when there are findings); free it
 *             with iotx509_lint_result_free()
 * @param cert the certificate
 * @param opts NULL for defaults
 * @return 0 when the certificate was checked (findings or not);
 *         IOTX509_EPARSE for a certificate over 64 KiB; IOTX509_EINVAL
 *         (NULL argument, bad options); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_lint_cert(iotx509_lint_result **out, const iotx509_cert *cert,
				const iotx509_lint_options *opts);

/**
 * Lint one DER-encoded certificate, which need not be acceptable to
 * iotx509_cert_import(): encoding mistakes become findings.
 *
 * @param out receives the new lint result on success; free it with iotx509_lint_result_free()
 * @param der the bytes to read
 * @param size the number of bytes in @p der
 * @param opts the options
 * @return 0 when the input decodes as an X.509 Certificate (even with
 *         findings); IOTX509_EPARSE when it does not (the message gives the
 *         libtasn1 reason and the element) or is larger than 64 KiB (no
 *         real certificate is); IOTX509_EINVAL; IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_lint_der(iotx509_lint_result **out, const unsigned char *der, size_t size,
				    const iotx509_lint_options *opts);

/**
 * Lint every certificate in @p data: PEM text (each block labelled
 * CERTIFICATE, X509 CERTIFICATE or TRUSTED CERTIFICATE, in order; other
 * blocks and text are skipped) or one DER certificate. Findings say which
 * certificate they belong to (iotx509_lint_result_get_cert_index()).
 *
 * @param out receives the new lint result on success; free it with iotx509_lint_result_free()
 * @param data the bytes to read
 * @param size the number of bytes in @p data
 * @param opts the options
 * @return 0 when every certificate was checked; IOTX509_EPARSE when the
 *         input holds no certificate, a PEM block has bad base64, or a
 *         certificate does not decode (the message says which one,
 *         counting from 1); IOTX509_EINVAL; IOTX509_ENOMEM. On error no
 *         result is returned.
 */
IOTX509_EXTERN iotx509_error_code iotx509_lint_data(iotx509_lint_result **out, const unsigned char *data, size_t size,
				       const iotx509_lint_options *opts);

/**
 * Number of findings (0 for NULL).
 * @param res the lint result
 * @return the number of entries
 */
IOTX509_EXTERN size_t iotx509_lint_result_count(const iotx509_lint_result *res);

/**
 * Number of findings with severity @p severity exactly (0 for NULL).
 * @param res the lint result
 * @param severity the severity to count
 * @return the number of findings
 */
IOTX509_EXTERN size_t iotx509_lint_result_severity_count(const iotx509_lint_result *res,
							 iotx509_lint_severity severity);

/**
 * Severity of finding @p index; 0 when @p index is out of range.
 * @param res the lint result
 * @param index 0-based index, below the count
 * @return the value (see above)
 */
IOTX509_EXTERN iotx509_lint_severity iotx509_lint_result_get_severity(const iotx509_lint_result *res,
								       size_t index);

/**
 * Stable identifier of finding @p index, e.g. "ca-missing-key-usage"
 * (see the table above); NULL when @p index is out of range. Owned by the result.
 * @param res the lint result
 * @param index 0-based index, below the count
 * @return a string owned by @p res (not to be freed), valid until @p res is freed (or NULL, as described above)
 */
IOTX509_EXTERN const char *iotx509_lint_result_get_id(const iotx509_lint_result *res, size_t index);

/**
 * Message of finding @p index naming the field and the value found;
 * NULL when @p index is out of range. Owned by the result.
 * @param res the lint result
 * @param index 0-based index, below the count
 * @return a string owned by @p res (not to be freed), valid until @p res is freed (or NULL, as described above)
 */
IOTX509_EXTERN const char *iotx509_lint_result_get_message(const iotx509_lint_result *res, size_t index);

/**
 * Which certificate finding @p index is about, counting from 0 in input
 * order (always 0 for iotx509_lint_cert() and iotx509_lint_der()); 0 when
 * @p index is out of range.
 * @param res the lint result
 * @param index 0-based index, below the count
 * @return the index of the certificate, or 0
 */
IOTX509_EXTERN size_t iotx509_lint_result_get_cert_index(const iotx509_lint_result *res, size_t index);

/**
 * Number of certificates checked (0 for NULL).
 * @param res the lint result
 * @return the number of entries
 */
IOTX509_EXTERN size_t iotx509_lint_result_cert_count(const iotx509_lint_result *res);

/**
 * Subject DN (RFC 4514) of certificate @p cert_index, "" when the subject
 * is empty or cannot be printed; NULL when @p cert_index is out of range.
 * Owned by the result.
 * @param res the lint result
 * @param cert_index 0-based index of the certificate in the input
 * @return a string owned by @p res (not to be freed), valid until @p res is freed (or NULL, as described above)
 */
IOTX509_EXTERN const char *iotx509_lint_result_get_subject(const iotx509_lint_result *res, size_t cert_index);

/**
 * 1 if a finding with identifier @p id is in the result (for any
 * certificate), else 0.
 * @param res the lint result
 * @param id the identifier of a finding
 * @return 1 if present, 0 if not
 */
IOTX509_EXTERN int iotx509_lint_result_has(const iotx509_lint_result *res, const char *id);

/**
 * Free a result. Accepts NULL.
 * @param res the lint result to free, or NULL
 */
IOTX509_EXTERN void iotx509_lint_result_free(iotx509_lint_result *res);

/**
 * "error", "warning" or "info"; "unknown" for other values. Never NULL.
 * @param severity the value to name
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_lint_severity_name(iotx509_lint_severity severity);

/**
 * Parse a profile name: "auto", "ca", "device", "server".
 * @param out receives the value on success
 * @param name the name, as the matching _name() function returns it
 * @return 0 or IOTX509_EINVAL.
 */
IOTX509_EXTERN iotx509_error_code iotx509_lint_profile_from_name(iotx509_lint_profile *out, const char *name);

/**
 * The name iotx509_lint_profile_from_name() reads ("auto", "ca", "device", "server"); "unknown" for any other value (never NULL). A static string.
 * @param profile the value to name
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_lint_profile_name(iotx509_lint_profile profile);

#ifdef __cplusplus
}
#endif
#endif
