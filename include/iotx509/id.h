/**
 * @file iotx509/id.h
 * @brief Validation of device (registration) IDs and proof-of-possession nonces.
 *
 * A device certificate's subject CN is the device's registration ID, so an
 * invalid ID makes a certificate the provisioning service will refuse.
 */
#ifndef IOTX509_ID_H
#define IOTX509_ID_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Which service's rules a device ID must satisfy. */
typedef enum iotx509_id_policy {
	/**
	 * Azure IoT DPS (default): lower-case letters a-z, digits, '-', '.',
	 * '_', ':'; at most 128 characters (64 when used as a CN); the last
	 * character alphanumeric or '-'. Upper case is refused: DPS
	 * registration IDs are lower case.
	 */
	IOTX509_ID_POLICY_DPS = 0,
	/** Azure IoT Central: letters, digits and '-' only; at most 64 characters. */
	IOTX509_ID_POLICY_CENTRAL = 1,
	/** Permissive: printable ASCII without leading/trailing space, at most 64 characters. */
	IOTX509_ID_POLICY_ANY = 2
} iotx509_id_policy;

/** Flags for iotx509_id_validate_device(). */
typedef enum iotx509_id_flags {
	IOTX509_ID_DEFAULT = 0, /**< No flag: the defaults. */
	/** The ID becomes a certificate's CN: also enforce the 64-character CN limit. */
	IOTX509_ID_AS_CN = 1u << 0
} iotx509_id_flags;

/**
 * Check a device ID against a policy.
 * @param id the device ID to check
 * @param policy the rules to apply
 * @param flags flags (see above), or 0
 * @return 0, IOTX509_EDEVICEID (the message says which rule and which character),
 *         IOTX509_EINVAL (NULL or unknown policy).
 */
IOTX509_EXTERN iotx509_error_code iotx509_id_validate_device(const char *id, iotx509_id_policy policy,
					      unsigned int flags);

/**
 * Parse a policy name: "dps", "central", "any".
 * @param out receives the value on success
 * @param name the name, as the matching _name() function returns it
 * @return 0 or IOTX509_EINVAL.
 */
IOTX509_EXTERN iotx509_error_code iotx509_id_policy_from_name(iotx509_id_policy *out, const char *name);

/**
 * The name iotx509_id_policy_from_name() reads ("dps", "central", "any"); "unknown" for any other value (never NULL). A static string.
 * @param policy the value to name
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_id_policy_name(iotx509_id_policy policy);

/**
 * Check a proof-of-possession nonce (the verification code a cloud service
 * hands out). It becomes the CN exactly as given, so it must be 1 to 64
 * characters of letters and digits (Azure gives upper-case hex, AWS 64 hex
 * digits). Case is significant and never changed.
 * @param nonce the verification code to check
 * @return 0 or IOTX509_EDEVICEID.
 */
IOTX509_EXTERN iotx509_error_code iotx509_id_validate_nonce(const char *nonce);

#ifdef __cplusplus
}
#endif
#endif
