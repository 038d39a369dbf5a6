/**
 * @file iotx509/verify.h
 * @brief Verifying a certificate chain against trust anchors.
 *
 * Path and signature validation is GnuTLS's (a trust list built from the
 * anchors, gnutls_x509_trust_list_verify_crt2()); this module maps its
 * result to ::iotx509_verify_status and a message naming the certificate.
 *
 * Times: GnuTLS checks validity only against the current clock, so the
 * library disables GnuTLS's own date check and compares notBefore and
 * notAfter of every certificate of the path (anchor included) with the
 * requested time itself. That is what lets you verify the fixtures of a
 * test at a fixed date, or check what happens at a rollover date.
 */
#ifndef IOTX509_VERIFY_H
#define IOTX509_VERIFY_H

#include "common.h"
#include "cert.h"
#include "certlist.h"
#include "chain.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Why a chain does not verify. Values are part of the ABI. */
typedef enum iotx509_verify_status {
	IOTX509_VERIFY_OK = 0,                   /**< The chain verifies. */
	IOTX509_VERIFY_EXPIRED = 1,              /**< A certificate's notAfter is before the verification time. */
	IOTX509_VERIFY_NOT_YET_VALID = 2,        /**< A certificate's notBefore is after the verification time. */
	IOTX509_VERIFY_UNKNOWN_ISSUER = 3,       /**< The chain does not lead to any of the trust anchors. */
	IOTX509_VERIFY_BAD_SIGNATURE = 4,        /**< A signature does not verify with its issuer's key. */
	IOTX509_VERIFY_ISSUER_NOT_CA = 5,        /**< A certificate is issued by one that is not a CA (basicConstraints). */
	IOTX509_VERIFY_PATHLEN_EXCEEDED = 6,     /**< A CA's pathLenConstraint allows fewer CAs below it. */
	IOTX509_VERIFY_KEY_USAGE = 7,            /**< An issuer has keyUsage without keyCertSign. */
	IOTX509_VERIFY_CLIENT_AUTH_MISSING = 8,  /**< IOTX509_VERIFY_DEVICE: the leaf lacks the clientAuth EKU
						      (or a CA's EKU excludes it). */
	IOTX509_VERIFY_INSECURE_ALGORITHM = 9,   /**< SHA-1 or MD5 signature, or a key weaker than RSA 2048. */
	IOTX509_VERIFY_UNKNOWN_CRITICAL_EXTENSION = 10, /**< A critical extension GnuTLS does not know. */
	IOTX509_VERIFY_CONSTRAINTS = 11,         /**< Another issuer constraint (e.g. name constraints) fails. */
	IOTX509_VERIFY_INVALID = 12,             /**< Any other reason GnuTLS rejects the chain. */
	IOTX509_VERIFY_CHAIN_TOO_LONG = 13,      /**< More than IOTX509_CHAIN_MAX_DEPTH certificates. */
	IOTX509_VERIFY_NOT_LEAF_FIRST = 14       /**< The first certificate issued another one of the
						      chain: the leaf is not first. */
} iotx509_verify_status;

/** Flags for ::iotx509_verify_options. */
typedef enum iotx509_verify_flags {
	IOTX509_VERIFY_DEFAULT = 0, /**< No flag: the defaults. */
	/**
	 * Device check: the leaf must list id-kp-clientAuth in its
	 * extendedKeyUsage (as IoT Hub and DPS require of device
	 * certificates), and no CA of the path may exclude it.
	 */
	IOTX509_VERIFY_DEVICE = 1u << 0
} iotx509_verify_flags;

/** Options for iotx509_chain_verify(). Initialise with IOTX509_VERIFY_OPTIONS_INIT. */
typedef struct iotx509_verify_options {
	unsigned int version; /**< IOTX509_VERIFY_OPTIONS_VERSION */
	int64_t at;           /**< verification time (seconds since the epoch); 0 = now */
	unsigned int flags;   /**< ::iotx509_verify_flags */
} iotx509_verify_options;

/** The newest version of ::iotx509_verify_options this header describes (its @c version field). */
#define IOTX509_VERIFY_OPTIONS_VERSION 1
/** Static initialiser of ::iotx509_verify_options: the current version, every field its default. */
#define IOTX509_VERIFY_OPTIONS_INIT { IOTX509_VERIFY_OPTIONS_VERSION, 0, 0 }

/**
 * Initialise @p opts to defaults (same as IOTX509_VERIFY_OPTIONS_INIT, and as zero-fill with
 * only @c version set). @p version: 1 to IOTX509_VERIFY_OPTIONS_VERSION; any other
 * is IOTX509_EINVAL ("unsupported version"), as is NULL @p opts.
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_VERIFY_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0; IOTX509_EINVAL (NULL @p opts, unsupported @p version).
 */
IOTX509_EXTERN iotx509_error_code iotx509_verify_options_init(iotx509_verify_options *opts, unsigned int version);

/**
 * Verify @p chain against the trust anchors @p anchors.
 *
 * @p chain starts with the leaf; the other certificates (intermediates,
 * optionally the root) may be in any order. A chain whose root is not
 * among the anchors does not verify (unknown issuer), even if the root is
 * in the chain: trust comes only from @p anchors. An anchor need not be
 * self-signed (an intermediate may be trusted directly).
 *
 * The leaf must come first, as a TLS peer must send it: a chain in which
 * another certificate names the first one as its issuer (name and key
 * identifiers) is refused with IOTX509_VERIFY_NOT_LEAF_FIRST, rather than
 * verifying its first certificate in place of the leaf. The chain is not
 * reordered, since the device would present it as it is;
 * iotx509_chain_build() puts one in order. A chain of more than
 * IOTX509_CHAIN_MAX_DEPTH certificates is refused with
 * IOTX509_VERIFY_CHAIN_TOO_LONG.
 *
 * Insecure algorithms are refused: signatures with SHA-1 or MD5 (except
 * on the anchors themselves, whose signatures are not used) and keys
 * weaker than 112-bit security (RSA under 2048 bits) anywhere in the path.
 *
 * When several problems exist, one is reported, in this order: the
 * length and the order of the chain, what GnuTLS finds wrong with the path
 * (the problem nearest the anchor first), then the device check, then the
 * dates (leaf first, the anchor last).
 *
 * @param out     receives the result
 * @param chain   leaf first; at least one certificate
 * @param anchors trusted certificates; at least one
 * @param opts    NULL for defaults (now, no device check)
 * @return 0 when the check ran, whatever its result; then, if @p *out is
 *         not IOTX509_VERIFY_OK, iotx509_error_last() names the certificate
 *         and the reason (iotx509_error_last_code() is IOTX509_EVERIFY),
 *         e.g. "certificate 'CN=sample-device-01' expired at
 *         2026-11-30T07:00:00Z (checked at 2026-12-01T00:00:00Z)".
 *         IOTX509_EINVAL for NULL or empty arguments and bad options;
 *         IOTX509_ENOMEM; IOTX509_ECRYPTO.
 *
 * @code
 * iotx509_verify_status st;
 * iotx509_verify_options vo = IOTX509_VERIFY_OPTIONS_INIT;
 * vo.flags = IOTX509_VERIFY_DEVICE;
 * if (iotx509_chain_verify(&st, chain, anchors, &vo) == 0 && st != IOTX509_VERIFY_OK)
 *     fprintf(stderr, "%s: %s\n", iotx509_verify_status_description(st), iotx509_error_last());
 * @endcode
 */
IOTX509_EXTERN iotx509_error_code iotx509_chain_verify(iotx509_verify_status *out, const iotx509_certlist *chain,
					const iotx509_certlist *anchors, const iotx509_verify_options *opts);

/**
 * A static, short description of a status, e.g. "certificate expired"
 * (never NULL; unknown values give "unknown verification status").
 * @param status the value to describe
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_verify_status_description(iotx509_verify_status status);

/**
 * A stable lower-case name for a status, for JSON output and scripts:
 * "ok", "expired", "not-yet-valid", "unknown-issuer", "bad-signature",
 * "issuer-not-ca", "pathlen-exceeded", "key-usage", "client-auth-missing",
 * "insecure-algorithm", "unknown-critical-extension", "constraints",
 * "invalid", "chain-too-long", "not-leaf-first"; "unknown" for any other
 * value (never NULL).
 * @param status the value to name
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_verify_status_name(iotx509_verify_status status);

#ifdef __cplusplus
}
#endif
#endif
