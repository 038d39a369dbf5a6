/**
 * @file iotx509/renew.h
 * @brief Renewing certificates and rolling CAs.
 *
 * Renewing re-issues a certificate with the same CN and the same profile
 * (device, root, intermediate, edge CA) and a new serial number and
 * validity, for the same key or a new one, under the same issuer or a new
 * one (for example a new root during a CA roll).
 *
 * Rolling a CA that an enrollment group trusts follows the primary /
 * secondary pattern DPS supports (see doc/rolling.md):
 *
 *  1. issue the new CA (iotx509_renew_credential() with
 *     IOTX509_RENEW_NEW_KEY, or a new root);
 *  2. add it to the enrollment group as the secondary certificate and
 *     verify it (proof of possession);
 *  3. re-issue the devices under the new CA; while both are enrolled,
 *     devices under either are accepted;
 *  4. promote the new CA to primary;
 *  5. retire the old CA: from then on devices still under it are refused.
 *
 * iotx509_renew_plan() writes these steps for two concrete certificates,
 * with their thumbprints and the commands to run.
 */
#ifndef IOTX509_RENEW_H
#define IOTX509_RENEW_H

#include "common.h"
#include "key.h"
#include "cert.h"
#include "id.h"
#include "issue.h"
#include "credential.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Flags for ::iotx509_renew_options. */
typedef enum iotx509_renew_flags {
	IOTX509_RENEW_DEFAULT = 0, /**< Keep the key; cut the validity to the issuer's. */
	/** iotx509_renew_credential(): generate a new key instead of keeping the old one. */
	IOTX509_RENEW_NEW_KEY = 1u << 0,
	/** Refuse (IOTX509_EVALIDITY) instead of shortening the validity to the issuer's. */
	IOTX509_RENEW_STRICT_VALIDITY = 1u << 1
} iotx509_renew_flags;

/** Options for renewing. Initialise with IOTX509_RENEW_OPTIONS_INIT. */
typedef struct iotx509_renew_options {
	unsigned int version;        /**< IOTX509_RENEW_OPTIONS_VERSION */
	unsigned int days;           /**< validity in days; 0 = the old certificate's lifetime (rounded to days) */
	int64_t at;                  /**< issuance time (seconds since the epoch); 0 = now */
	unsigned int flags;          /**< ::iotx509_renew_flags */
	iotx509_key_type key_type;   /**< with IOTX509_RENEW_NEW_KEY: 0 = the old key's type */
	iotx509_id_policy id_policy; /**< rules for a device's CN (default DPS) */
} iotx509_renew_options;

/** The newest version of ::iotx509_renew_options this header describes (its @c version field). */
#define IOTX509_RENEW_OPTIONS_VERSION 1
/** Static initialiser of ::iotx509_renew_options: the current version, every field its default. */
#define IOTX509_RENEW_OPTIONS_INIT \
	{ IOTX509_RENEW_OPTIONS_VERSION, 0, 0, 0, (iotx509_key_type)0, IOTX509_ID_POLICY_DPS }

/**
 * Initialise @p opts to defaults (same as IOTX509_RENEW_OPTIONS_INIT, and as zero-fill with
 * only @c version set). @p version: 1 to IOTX509_RENEW_OPTIONS_VERSION; any other
 * is IOTX509_EINVAL ("unsupported version"), as is NULL @p opts.
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_RENEW_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0; IOTX509_EINVAL (NULL @p opts, unsupported @p version).
 */
IOTX509_EXTERN iotx509_error_code iotx509_renew_options_init(iotx509_renew_options *opts, unsigned int version);

/**
 * Re-issue @p old for @p key.
 *
 * The profile follows @p old: a device certificate (not a CA) is issued as
 * a device under @p issuer, or self-signed when @p issuer is NULL (only
 * when @p old is self-signed too); a self-signed CA as a root (@p issuer
 * must be NULL); another CA as an intermediate under @p issuer with the
 * same pathLenConstraint. The new certificate has @p old's CN (only the
 * CN: other subject attributes are not carried over), a new random serial
 * number and a validity from opts->at of opts->days, or of @p old's
 * lifetime, cut to the issuer's notAfter.
 *
 * @param out receives the new certificate on success (free with iotx509_cert_free())
 * @param old the certificate to renew (not modified)
 * @param issuer the CA that signs the new certificate, or NULL (see above)
 * @param key the key to certify: @p old's own key to keep it, or a new one
 * @param opts NULL for defaults (now, same lifetime)
 * @return 0; IOTX509_EINVAL (a CA-issued certificate without @p issuer, a
 *         root with one, bad options); IOTX509_EUNSUPPORTED (a server
 *         certificate: its subjectAltNames are not carried over);
 *         IOTX509_EDEVICEID (the CN is not a valid device ID under
 *         opts->id_policy); and the errors of the issuing functions
 *         (IOTX509_EISSUERVALIDITY, IOTX509_EPATHLEN, ...).
 */
IOTX509_EXTERN iotx509_error_code iotx509_renew_cert(iotx509_cert **out, const iotx509_cert *old, const iotx509_issuer *issuer,
				      const iotx509_key *key, const iotx509_renew_options *opts);

/**
 * Renew a credential: iotx509_renew_cert() with its key (or, with
 * IOTX509_RENEW_NEW_KEY, a new key of opts->key_type or of the old key's
 * type), under @p parent (its certificate and key), and a new credential
 * with the chain of @p parent.
 *
 * @param out receives the new credential on success (free with iotx509_credential_free())
 * @param opts NULL for defaults
 * @param old    the credential to renew; it must have a key unless
 *               IOTX509_RENEW_NEW_KEY is given
 * @param parent the issuer (the same CA, or a new one), or NULL for a
 *               self-signed certificate (a root, or a device of an
 *               individual enrollment)
 * @param cred_opts options of the new credential (e.g. flags
 *               IOTX509_CREDENTIAL_PARTIAL_CHAIN), NULL for the defaults
 * @return 0; IOTX509_EINVAL (no key to keep; @p parent without a key);
 *         IOTX509_EUNSUPPORTED (the old key's type cannot be generated);
 *         and the errors of iotx509_issuer_new_from_credential() (a
 *         @p parent that cannot issue: checked before a new key is made),
 *         iotx509_renew_cert() and iotx509_credential_new().
 */
IOTX509_EXTERN iotx509_error_code iotx509_renew_credential(iotx509_credential **out, const iotx509_credential *old,
					    const iotx509_credential *parent, const iotx509_renew_options *opts,
					    const iotx509_credential_options *cred_opts);

/**
 * The steps of rolling the CA @p old_ca to @p new_ca in an enrollment
 * group, as numbered lines of text naming both certificates (CN, SHA-1
 * thumbprint) and the iotx509 commands to run. When both have the same
 * key and subject, devices need no new certificates and the plan says so.
 *
 * @param out receives the text (dispose with iotx509_buf_dispose())
 * @param old_ca the CA being retired
 * @param new_ca the CA that replaces it
 * @param old_name file name stem of the old CA's files (NAME_cert.pem), or
 *                 NULL for "OLD"
 * @param new_name file name stem of the new CA's files, or NULL for "NEW"
 * @return 0; IOTX509_EINVAL (NULL certificate, or one that is not a CA);
 *         IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_renew_plan(iotx509_buf *out, const iotx509_cert *old_ca, const iotx509_cert *new_ca,
				      const char *old_name, const char *new_name);

#ifdef __cplusplus
}
#endif
#endif
