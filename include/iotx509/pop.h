/**
 * @file iotx509/pop.h
 * @brief Proof of possession: checking a verification certificate.
 *
 * To prove that you hold the private key of a CA uploaded to IoT Hub or
 * DPS, the service gives you a nonce (verification code); you issue a
 * "verification certificate" whose CN is that nonce, signed by the CA's
 * key (iotx509_issue_verification() in iotx509/issue.h), and upload it.
 * iotx509_pop_verify() runs the checks the service runs, before you
 * upload, with one ::iotx509_pop_status per failing check.
 *
 * Like every verifying function (see iotx509/errors.h), it returns 0 when
 * it could decide and gives the verdict in @p out; an error code means it
 * could not decide (bad arguments).
 */
#ifndef IOTX509_POP_H
#define IOTX509_POP_H

#include "common.h"
#include "cert.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The verdict of iotx509_pop_verify(): OK, or the first check that failed.
 * Each "no" also sets iotx509_error_last_code() to the IOTX509_EPOP* code
 * named here, with a message naming the certificate and the values compared.
 */
typedef enum iotx509_pop_status {
	IOTX509_POP_OK = 0,       /**< Every check passes. */
	IOTX509_POP_NONCE = 1,    /**< The subject CN is not the nonce (IOTX509_EPOPNONCE). */
	IOTX509_POP_SIGNER = 2,   /**< Not issued or not signed by the CA (IOTX509_EPOPSIGNER). */
	IOTX509_POP_CA = 3,       /**< The certificate is itself a CA (IOTX509_EPOPCA). */
	IOTX509_POP_VALIDITY = 4  /**< Expired or not yet valid (IOTX509_EPOPVALIDITY). */
} iotx509_pop_status;

/**
 * Options for iotx509_pop_verify(). A zero-filled struct with only
 * @c version set means the defaults, like IOTX509_POP_OPTIONS_INIT.
 */
typedef struct iotx509_pop_options {
	unsigned int version; /**< IOTX509_POP_OPTIONS_VERSION (1 .. current are accepted) */
	int64_t at;           /**< time to check validity at (seconds since the epoch); 0 = now */
} iotx509_pop_options;

/** The newest version of ::iotx509_pop_options this header describes (its @c version field). */
#define IOTX509_POP_OPTIONS_VERSION 1
/** Static initialiser of ::iotx509_pop_options: the current version, every field its default. */
#define IOTX509_POP_OPTIONS_INIT { IOTX509_POP_OPTIONS_VERSION, 0 }

/**
 * Initialise @p opts to defaults (same as IOTX509_POP_OPTIONS_INIT).
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_POP_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0, or IOTX509_EINVAL for a NULL @p opts or an unsupported @p version.
 */
IOTX509_EXTERN iotx509_error_code iotx509_pop_options_init(iotx509_pop_options *opts, unsigned int version);

/**
 * Check a proof-of-possession certificate.
 *
 * The checks, in this order (the first that fails is the verdict):
 *  1. the subject CN of @p verification_cert equals @p nonce exactly
 *     (case-sensitive, no trimming) -> IOTX509_POP_NONCE;
 *  2. it is signed by the key of @p ca_cert and names it as issuer
 *     -> IOTX509_POP_SIGNER;
 *  3. it is not itself a CA (basicConstraints CA:TRUE) -> IOTX509_POP_CA;
 *  4. opts->at lies within its notBefore..notAfter -> IOTX509_POP_VALIDITY.
 *
 * Thread safety: safe to call from several threads on shared certificates.
 *
 * @param out               receives the verdict
 * @param verification_cert the certificate to upload
 * @param ca_cert           the CA certificate whose possession is proven
 * @param nonce             the verification code the service gave
 * @param opts              NULL for defaults (check validity now)
 * @return 0 when the checks ran, whatever the verdict; then, if @p *out is
 *         not IOTX509_POP_OK, iotx509_error_last() names the certificate
 *         and the values compared (iotx509_error_last_code() is the
 *         matching IOTX509_EPOP* code), and if it is OK the last error is
 *         cleared. IOTX509_EINVAL for NULL arguments, an empty nonce or an
 *         unsupported options version (then @p *out is not set).
 *
 * @code
 * iotx509_pop_status st;
 * if (iotx509_pop_verify(&st, vcert, root, "1234ABCD", NULL) == 0 && st != IOTX509_POP_OK)
 *     fprintf(stderr, "%s: %s\n", iotx509_pop_status_name(st), iotx509_error_last());
 * @endcode
 */
IOTX509_EXTERN iotx509_error_code iotx509_pop_verify(iotx509_pop_status *out, const iotx509_cert *verification_cert,
				      const iotx509_cert *ca_cert, const char *nonce,
				      const iotx509_pop_options *opts);

/**
 * A stable lower-case name for a verdict, for JSON output and scripts:
 * "ok", "nonce", "signer", "ca", "validity" ("unknown" for any other
 * value, never NULL).
 * @param status the value to name
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_pop_status_name(iotx509_pop_status status);

#ifdef __cplusplus
}
#endif
#endif
