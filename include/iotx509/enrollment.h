/**
 * @file iotx509/enrollment.h
 * @brief Offline attestation check: would the provisioning service accept
 *        this device?
 *
 * The Azure IoT Hub Device Provisioning Service (DPS) admits an X.509
 * device through an enrollment:
 *
 * - an **individual enrollment** holds a primary and a secondary device
 *   certificate (or only their SHA-1 or SHA-256 thumbprints) for one
 *   registration ID;
 * - an **enrollment group** holds a primary and a secondary signing
 *   certificate (a root or an intermediate CA); each counts only when it
 *   is verified (proof of possession, see iotx509/pop.h) or sits below a
 *   verified certificate.
 *
 * iotx509_enrollment_check() runs the checks the service runs, in its
 * order, on the chain a device presents, and says which enrollment and
 * slot admits it or the one reason it is refused:
 *
 *  1. the registration ID (given, or the leaf's CN) is a valid device ID
 *     (iotx509_id_validate_device()) -> IOTX509_ENROLLMENT_REGISTRATION_ID_INVALID;
 *  2. it equals the CN of the device certificate
 *     -> IOTX509_ENROLLMENT_CN_MISMATCH;
 *  3. individual enrollments first: one for this registration ID (see
 *     iotx509_enrollment_new()) decides alone. The device certificate must
 *     be its primary, else its secondary (the certificate itself, or its
 *     thumbprint) -> IOTX509_ENROLLMENT_THUMBPRINT_MISMATCH; then it must be
 *     valid at the time and carry clientAuth;
 *  4. then enrollment groups, from the device's first intermediate up to
 *     the root: the first certificate of the device's path that is the
 *     primary or secondary of a group picks that group
 *     (-> IOTX509_ENROLLMENT_NOT_ENROLLED when none is). The path is built
 *     from what the device presents and what the service holds (enrolled
 *     and verified certificates), preferring a path that reaches an
 *     enrolled certificate (the service uses its own copy, not a
 *     look-alike the device sends); an intermediate that is in neither is
 *     missing. The enrolled certificate must be verified, or a verified
 *     certificate must be above it in the path
 *     (-> IOTX509_ENROLLMENT_CA_NOT_VERIFIED). Finally the path from the
 *     device up to that verified certificate is validated by GnuTLS
 *     (iotx509_chain_verify() with IOTX509_VERIFY_DEVICE) at the time:
 *     expired, not yet valid, pathLenConstraint exceeded, clientAuth
 *     missing, or another verification failure.
 *
 * @code
 * iotx509_enrollment *group = NULL;
 * iotx509_enrollment_list *service = NULL;
 * iotx509_certlist *presented = NULL;
 * iotx509_enrollment_result *res = NULL;
 * int err = iotx509_enrollment_new(&group, IOTX509_ENROLLMENT_GROUP, "fleet");
 * if (!err) err = iotx509_enrollment_set_ref(group, IOTX509_ENROLLMENT_PRIMARY, "my-root_cert.pem");
 * if (!err) err = iotx509_enrollment_set_verified(group, IOTX509_ENROLLMENT_PRIMARY, 1);
 * if (!err) err = iotx509_enrollment_list_new(&service);
 * if (!err) err = iotx509_enrollment_list_add(service, group);
 * if (!err) err = iotx509_certlist_new(&presented);
 * if (!err) err = iotx509_certlist_add_path(presented, "sample-device-01_fullchain.pem");
 * if (!err) err = iotx509_enrollment_check(&res, service, presented, NULL);
 * if (!err && !iotx509_enrollment_result_is_accepted(res))
 *     fprintf(stderr, "rejected: %s\n", iotx509_enrollment_result_get_message(res));
 * @endcode
 */
#ifndef IOTX509_ENROLLMENT_H
#define IOTX509_ENROLLMENT_H

#include "common.h"
#include "cert.h"
#include "certlist.h"
#include "id.h"
#include "verify.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The two kinds of enrollment. */
typedef enum iotx509_enrollment_type {
	IOTX509_ENROLLMENT_GROUP = 0,     /**< Enrollment group: signing (CA) certificates. */
	IOTX509_ENROLLMENT_INDIVIDUAL = 1 /**< Individual enrollment: device certificates or thumbprints. */
} iotx509_enrollment_type;

/** The two certificate slots of an enrollment. */
typedef enum iotx509_enrollment_slot {
	IOTX509_ENROLLMENT_PRIMARY = 0,  /**< The primary certificate (tried first). */
	IOTX509_ENROLLMENT_SECONDARY = 1 /**< The secondary certificate (the one a roll fills). */
} iotx509_enrollment_slot;

/** Opaque enrollment; free with iotx509_enrollment_free(). */
typedef struct iotx509_enrollment iotx509_enrollment;

/**
 * Create an enrollment with empty slots.
 *
 * @param out receives the new enrollment on success (free with iotx509_enrollment_free())
 * @param type IOTX509_ENROLLMENT_GROUP or IOTX509_ENROLLMENT_INDIVIDUAL
 * @param name a group's name (only used in messages), or an individual
 *             enrollment's registration ID. NULL: a group is described by
 *             its primary certificate; an individual enrollment takes the
 *             CN of its primary (else secondary) certificate as its
 *             registration ID, as DPS does, and one holding only
 *             thumbprints applies to whatever registration ID is checked.
 * @return 0; IOTX509_EINVAL (unknown type, empty name); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_enrollment_new(iotx509_enrollment **out, iotx509_enrollment_type type, const char *name);

/**
 * Put a certificate in a slot (replacing what was there, and its verified
 * mark: see iotx509_enrollment_set_verified()). The enrollment takes its
 * own reference.
 * @param enrollment the enrollment to change
 * @param slot the slot (primary or secondary) to fill
 * @param cert the certificate (the enrollment keeps its own reference)
 * @return 0; IOTX509_EINVAL (NULL argument, unknown slot); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_enrollment_set_cert(iotx509_enrollment *enrollment, iotx509_enrollment_slot slot,
					       const iotx509_cert *cert);

/**
 * Mark the certificate of a group's slot as verified on the service (proof
 * of possession done), or not (@p verified 0, the state a slot starts in).
 * A separate setter rather than a flag of iotx509_enrollment_set_cert():
 * the mark is one yes/no, and only groups have it.
 * @param enrollment the enrollment
 * @param slot IOTX509_ENROLLMENT_PRIMARY or IOTX509_ENROLLMENT_SECONDARY
 * @param verified 1 to mark the slot verified, 0 to clear the mark
 * @return 0; IOTX509_EINVAL (NULL enrollment, unknown slot; marking an
 *         individual enrollment's slot or an empty slot verified).
 */
IOTX509_EXTERN iotx509_error_code iotx509_enrollment_set_verified(iotx509_enrollment *enrollment, iotx509_enrollment_slot slot,
						   int verified);

/**
 * Put a thumbprint in a slot of an individual enrollment: 40 (SHA-1) or 64
 * (SHA-256) hex digits, either case, optionally separated by ':' or spaces
 * as tools print them.
 * @param enrollment the enrollment
 * @param slot the slot: IOTX509_ENROLLMENT_PRIMARY or IOTX509_ENROLLMENT_SECONDARY
 * @param thumbprint the thumbprint as text
 * @return 0; IOTX509_EINVAL (a group, a malformed thumbprint: the message
 *         quotes it); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_enrollment_set_thumbprint(iotx509_enrollment *enrollment, iotx509_enrollment_slot slot,
						     const char *thumbprint);

/**
 * Fill a slot from @p ref: a certificate file (PEM or DER; the first
 * certificate is used) or, for an individual enrollment, a thumbprint when
 * no file of that name exists.
 * @param enrollment the enrollment
 * @param slot the slot: IOTX509_ENROLLMENT_PRIMARY or IOTX509_ENROLLMENT_SECONDARY
 * @param ref a certificate file, or a thumbprint (individual enrollments)
 * @return 0; IOTX509_ENOTFOUND (neither a file nor, for an individual
 *         enrollment, a thumbprint); IOTX509_EPARSE; IOTX509_EIO; and the
 *         errors of iotx509_enrollment_set_cert().
 */
IOTX509_EXTERN iotx509_error_code iotx509_enrollment_set_ref(iotx509_enrollment *enrollment, iotx509_enrollment_slot slot,
					   const char *ref);

/**
 * The enrollment's type.
 * @param enrollment the enrollment
 * @return the value (see above)
 */
IOTX509_EXTERN iotx509_enrollment_type iotx509_enrollment_get_type(const iotx509_enrollment *enrollment);

/**
 * The name given to iotx509_enrollment_new(); for an individual enrollment
 * without one, the registration ID taken from its certificates; else NULL.
 * @param enrollment the enrollment
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_enrollment_get_name(const iotx509_enrollment *enrollment);

/**
 * A copy of @p enrollment (its name, slots and flags; certificates are
 * shared), independent of the original and of any list holding it: use
 * it to keep an enrollment returned borrowed (iotx509_enrollment_list_get(),
 * iotx509_enrollment_result_get_enrollment()). Free with iotx509_enrollment_free().
 * @param out receives the new enrollment on success; free it with iotx509_enrollment_free()
 * @param enrollment the enrollment
 * @return 0; IOTX509_EINVAL (NULL argument); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_enrollment_dup(iotx509_enrollment **out, const iotx509_enrollment *enrollment);

/**
 * The certificate in @p slot, or NULL (empty, or a thumbprint). Valid until
 * @p enrollment (or the list holding it) is freed or the slot is changed;
 * iotx509_cert_dup() to keep it.
 * @param enrollment the enrollment
 * @param slot the slot: IOTX509_ENROLLMENT_PRIMARY or IOTX509_ENROLLMENT_SECONDARY
 * @return a handle owned by @p enrollment (not to be freed), valid as long as @p enrollment (or NULL, as described above)
 */
IOTX509_EXTERN const iotx509_cert *iotx509_enrollment_get_cert(const iotx509_enrollment *enrollment,
							     iotx509_enrollment_slot slot);

/**
 * The thumbprint of @p slot as upper-case hex: the one given, or the SHA-1
 * thumbprint of the certificate; NULL when the slot is empty.
 * @param enrollment the enrollment
 * @param slot the slot: IOTX509_ENROLLMENT_PRIMARY or IOTX509_ENROLLMENT_SECONDARY
 * @return a string owned by @p enrollment (not to be freed), valid until @p enrollment is freed (or NULL, as described above)
 */
IOTX509_EXTERN const char *iotx509_enrollment_get_thumbprint(const iotx509_enrollment *enrollment,
							   iotx509_enrollment_slot slot);

/**
 * 1 if @p slot holds a certificate marked verified (iotx509_enrollment_set_verified()).
 * @param enrollment the enrollment
 * @param slot the slot: IOTX509_ENROLLMENT_PRIMARY or IOTX509_ENROLLMENT_SECONDARY
 * @return 1 if so, 0 if not
 */
IOTX509_EXTERN int iotx509_enrollment_is_verified(const iotx509_enrollment *enrollment,
						 iotx509_enrollment_slot slot);

/**
 * Free an enrollment. Accepts NULL.
 * @param enrollment the enrollment to free, or NULL
 */
IOTX509_EXTERN void iotx509_enrollment_free(iotx509_enrollment *enrollment);

/** Opaque set of enrollments: what the provisioning service holds. */
typedef struct iotx509_enrollment_list iotx509_enrollment_list;

/**
 * Create an empty list. @return 0, IOTX509_EINVAL, IOTX509_ENOMEM.
 * @param out receives the new list of enrollments on success; free it with iotx509_enrollment_list_free()
 */
IOTX509_EXTERN iotx509_error_code iotx509_enrollment_list_new(iotx509_enrollment_list **out);

/**
 * Append a copy of @p enrollment (later changes to it do not affect the
 * list). The order matters only between enrollments of one kind: the
 * first that matches wins.
 * @param list the list of enrollments
 * @param enrollment the enrollment
 * @return 0; IOTX509_EINVAL (NULL, or an enrollment with an empty primary
 *         and secondary); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_enrollment_list_add(iotx509_enrollment_list *list, const iotx509_enrollment *enrollment);

/**
 * Add a CA certificate that is verified on the service without being
 * enrolled itself (DPS's Certificates page): an enrolled certificate below
 * it counts as verified, and it may complete the device's path.
 * @param list the list of enrollments
 * @param cert the certificate
 * @return 0, IOTX509_EINVAL, IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_enrollment_list_add_verified(iotx509_enrollment_list *list, const iotx509_cert *cert);

/**
 * Number of enrollments (0 for NULL).
 * @param list the list of enrollments
 * @return the number of entries
 */
IOTX509_EXTERN size_t iotx509_enrollment_list_count(const iotx509_enrollment_list *list);

/**
 * The enrollment at @p index, or NULL when out of range: valid until @p list is freed (iotx509_enrollment_dup() to keep it).
 * @param list the list of enrollments
 * @param index 0-based index, below the count
 * @return a handle owned by @p list (not to be freed), valid as long as @p list (or NULL, as described above)
 */
IOTX509_EXTERN const iotx509_enrollment *iotx509_enrollment_list_get(const iotx509_enrollment_list *list,
								   size_t index);

/**
 * Free a list and its enrollments. Accepts NULL.
 * @param list the list of enrollments to free, or NULL
 */
IOTX509_EXTERN void iotx509_enrollment_list_free(iotx509_enrollment_list *list);

/** The outcome of a check. Values are part of the ABI. */
typedef enum iotx509_enrollment_reason {
	IOTX509_ENROLLMENT_ACCEPTED = 0,                /**< An enrollment admits the device. */
	IOTX509_ENROLLMENT_REGISTRATION_ID_INVALID = 1, /**< The registration ID breaks the ID rules. */
	IOTX509_ENROLLMENT_CN_MISMATCH = 2,             /**< The device certificate's CN is not the registration ID. */
	IOTX509_ENROLLMENT_THUMBPRINT_MISMATCH = 3,     /**< An individual enrollment exists for the ID, but the
							     certificate is neither its primary nor its secondary. */
	IOTX509_ENROLLMENT_NOT_ENROLLED = 4,            /**< No individual enrollment, and the chain reaches no
							     certificate of any enrollment group. */
	IOTX509_ENROLLMENT_CA_NOT_VERIFIED = 5,         /**< The enrolled CA is not verified, and no verified
							     certificate is above it. */
	IOTX509_ENROLLMENT_EXPIRED = 6,                 /**< A certificate of the path has expired. */
	IOTX509_ENROLLMENT_NOT_YET_VALID = 7,           /**< A certificate of the path is not valid yet. */
	IOTX509_ENROLLMENT_PATHLEN_EXCEEDED = 8,        /**< A CA's pathLenConstraint is exceeded. */
	IOTX509_ENROLLMENT_CLIENT_AUTH_MISSING = 9,     /**< The device certificate lacks the clientAuth EKU. */
	IOTX509_ENROLLMENT_CHAIN_INVALID = 10           /**< The path fails verification for another reason (bad
							     signature, issuer not a CA, key usage, weak algorithm,
							     ...; see iotx509_enrollment_result_get_verify_status()). */
} iotx509_enrollment_reason;

/**
 * A stable lower-case name for a reason, for JSON and scripts:
 * "accepted", "registration-id-invalid", "cn-mismatch",
 * "thumbprint-mismatch", "not-enrolled", "ca-not-verified", "expired",
 * "not-yet-valid", "pathlen-exceeded", "client-auth-missing",
 * "chain-invalid"; "unknown" for any other value (never NULL).
 * @param reason the value to name
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_enrollment_reason_name(iotx509_enrollment_reason reason);

/**
 * "group" or "individual"; "unknown" for any other value (never NULL). A static string.
 * @param type the value to name
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_enrollment_type_name(iotx509_enrollment_type type);

/**
 * "primary" or "secondary"; "unknown" for any other value (never NULL). A static string.
 * @param slot the slot: IOTX509_ENROLLMENT_PRIMARY or IOTX509_ENROLLMENT_SECONDARY
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_enrollment_slot_name(iotx509_enrollment_slot slot);

/**
 * A static, short description of a reason (never NULL).
 * @param reason the value to describe
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_enrollment_reason_description(iotx509_enrollment_reason reason);

/** Options for iotx509_enrollment_check(). Initialise with IOTX509_ENROLLMENT_CHECK_OPTIONS_INIT. */
typedef struct iotx509_enrollment_check_options {
	unsigned int version;        /**< IOTX509_ENROLLMENT_CHECK_OPTIONS_VERSION */
	int64_t at;                  /**< time of the check (seconds since the epoch); 0 = now */
	const char *registration_id; /**< the ID the device registers with; NULL = its certificate's CN */
	iotx509_id_policy id_policy; /**< rules for the registration ID (default DPS) */
} iotx509_enrollment_check_options;

/** The newest version of ::iotx509_enrollment_check_options this header describes (its @c version field). */
#define IOTX509_ENROLLMENT_CHECK_OPTIONS_VERSION 1
/** Static initialiser of ::iotx509_enrollment_check_options: the current version, every field its default. */
#define IOTX509_ENROLLMENT_CHECK_OPTIONS_INIT \
	{ IOTX509_ENROLLMENT_CHECK_OPTIONS_VERSION, 0, NULL, IOTX509_ID_POLICY_DPS }

/**
 * Initialise @p opts to defaults (same as IOTX509_ENROLLMENT_CHECK_OPTIONS_INIT, and as zero-fill with
 * only @c version set). @p version: 1 to IOTX509_ENROLLMENT_CHECK_OPTIONS_VERSION; any other
 * is IOTX509_EINVAL ("unsupported version"), as is NULL @p opts.
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_ENROLLMENT_CHECK_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0; IOTX509_EINVAL (NULL @p opts, unsupported @p version).
 */
IOTX509_EXTERN iotx509_error_code iotx509_enrollment_check_options_init(iotx509_enrollment_check_options *opts,
							 unsigned int version);

/** Opaque result of iotx509_enrollment_check(); free with iotx509_enrollment_result_free(). */
typedef struct iotx509_enrollment_result iotx509_enrollment_result;

/**
 * Would the service accept the device presenting @p presented?
 *
 * @param out         receives the result, accepted or not
 * @param enrollments what the service holds (may be empty: then every
 *                    device is refused as not enrolled)
 * @param presented   the device's chain, its certificate first, then the
 *                    intermediates it sends in any order (a NAME_fullchain.pem;
 *                    a root in it is harmless, trust comes only from the
 *                    enrollments)
 * @param opts        NULL for defaults (now, the CN as registration ID, DPS rules)
 * @return 0 when the check ran, whatever its outcome; then, if the device
 *         is refused, iotx509_error_last() holds the same message as
 *         iotx509_enrollment_result_get_message() and
 *         iotx509_error_last_code() is IOTX509_EREJECTED.
 *         IOTX509_EINVAL (NULL argument, empty chain, bad options);
 *         IOTX509_ENOMEM; IOTX509_ECRYPTO.
 */
IOTX509_EXTERN iotx509_error_code iotx509_enrollment_check(iotx509_enrollment_result **out,
					    const iotx509_enrollment_list *enrollments,
					    const iotx509_certlist *presented,
					    const iotx509_enrollment_check_options *opts);

/**
 * The reason: IOTX509_ENROLLMENT_ACCEPTED or why the device is refused.
 * @param result the result of iotx509_enrollment_check()
 * @return the value (see above)
 */
IOTX509_EXTERN iotx509_enrollment_reason iotx509_enrollment_result_get_reason(const iotx509_enrollment_result *result);

/**
 * 1 if the device is accepted, else 0.
 * @param result the result of iotx509_enrollment_check()
 * @return 1 if so, 0 if not
 */
IOTX509_EXTERN int iotx509_enrollment_result_is_accepted(const iotx509_enrollment_result *result);

/**
 * One line that names the certificate and the enrollment, e.g. "certificate
 * 'CN=my-intermediate' of enrollment group 'fleet' (primary) is not verified,
 * and no verified certificate is above it". Owned by the result; never NULL.
 * @param result the result of iotx509_enrollment_check()
 * @return a string owned by @p result (not to be freed), valid until @p result is freed (or NULL, as described above)
 */
IOTX509_EXTERN const char *iotx509_enrollment_result_get_message(const iotx509_enrollment_result *result);

/**
 * The registration ID that was checked (given, or the device certificate's CN).
 * @param result the result of iotx509_enrollment_check()
 * @return a string owned by @p result (not to be freed), valid until @p result is freed
 */
IOTX509_EXTERN const char *iotx509_enrollment_result_get_registration_id(const iotx509_enrollment_result *result);

/**
 * 1 if an enrollment matched (also when the device was then refused, e.g.
 * for an expired certificate), 0 when none did (and for NULL).
 * @param result the result of iotx509_enrollment_check()
 * @return 1 if so, 0 if not
 */
IOTX509_EXTERN int iotx509_enrollment_result_has_index(const iotx509_enrollment_result *result);

/**
 * Index in the list of the enrollment that matched; 0 when
 * iotx509_enrollment_result_has_index() is 0, so ask that first.
 * @param result the result of iotx509_enrollment_check()
 * @return the index, or 0 (see above)
 */
IOTX509_EXTERN size_t iotx509_enrollment_result_get_index(const iotx509_enrollment_result *result);

/**
 * The enrollment that matched, or NULL: valid until the list given to the check is freed (iotx509_enrollment_dup() to keep it).
 * @param result the result of iotx509_enrollment_check()
 * @return a handle owned by @p result (not to be freed), valid as long as @p result (or NULL, as described above)
 */
IOTX509_EXTERN const iotx509_enrollment *iotx509_enrollment_result_get_enrollment(
	const iotx509_enrollment_result *result);

/**
 * The slot that matched (meaningful when iotx509_enrollment_result_has_index() is 1).
 * @param result the result of iotx509_enrollment_check()
 * @return the value (see above)
 */
IOTX509_EXTERN iotx509_enrollment_slot iotx509_enrollment_result_get_slot(const iotx509_enrollment_result *result);

/**
 * The certificate the outcome is about, or NULL: the enrolled certificate
 * that matched (accepted, CA not verified), the device certificate
 * (registration ID, CN, thumbprint, clientAuth), the expired or not yet
 * valid certificate, the CA whose pathLenConstraint is exceeded, the last
 * certificate of an incomplete path (not enrolled). Valid until @p result
 * is freed (iotx509_cert_dup() to keep it).
 * @param result the result of iotx509_enrollment_check()
 * @return a handle owned by @p result (not to be freed), valid as long as @p result (or NULL, as described above)
 */
IOTX509_EXTERN const iotx509_cert *iotx509_enrollment_result_get_cert(const iotx509_enrollment_result *result);

/**
 * The device's path as the check built it: the device certificate first,
 * then each issuer found among what was presented and what the service
 * holds, up to the enrolled certificate (and on to a verified one above
 * it). Only the device certificate when the check did not get to the
 * groups (registration ID, individual enrollments). Valid until @p result
 * is freed (iotx509_certlist_dup() to keep it).
 * @param result the result of iotx509_enrollment_check()
 * @return a handle owned by @p result (not to be freed), valid as long as @p result
 */
IOTX509_EXTERN const iotx509_certlist *iotx509_enrollment_result_get_path(const iotx509_enrollment_result *result);

/**
 * The GnuTLS verification status of the path (IOTX509_VERIFY_OK when it verified or was not verified).
 * @param result the result of iotx509_enrollment_check()
 * @return the value (see above)
 */
IOTX509_EXTERN iotx509_verify_status iotx509_enrollment_result_get_verify_status(
	const iotx509_enrollment_result *result);

/**
 * The time of the check (seconds since the epoch).
 * @param result the result of iotx509_enrollment_check()
 * @return the time in seconds since the epoch
 */
IOTX509_EXTERN int64_t iotx509_enrollment_result_get_time(const iotx509_enrollment_result *result);

/**
 * Free a result. Accepts NULL.
 * @param result the result of iotx509_enrollment_check() to free, or NULL
 */
IOTX509_EXTERN void iotx509_enrollment_result_free(iotx509_enrollment_result *result);

#ifdef __cplusplus
}
#endif
#endif
