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

/** Flags of ::iotx509_id_options. */
typedef enum iotx509_id_flags {
	IOTX509_ID_DEFAULT = 0, /**< No flag: the defaults. */
	/** The ID becomes a certificate's CN: also enforce the 64-character CN limit. */
	IOTX509_ID_AS_CN = 1u << 0
} iotx509_id_flags;

/**
 * Options of iotx509_id_validate_device(). NULL, or a zero-filled struct
 * with only @c version set, means the defaults: IOTX509_ID_POLICY_DPS, no flags.
 */
typedef struct iotx509_id_options {
	unsigned int version;     /**< IOTX509_ID_OPTIONS_VERSION (1 .. current are accepted) */
	iotx509_id_policy policy; /**< the rules (default IOTX509_ID_POLICY_DPS) */
	unsigned int flags;       /**< ::iotx509_id_flags (default 0) */
} iotx509_id_options;

/** The current version of ::iotx509_id_options. */
#define IOTX509_ID_OPTIONS_VERSION 1
/** The defaults (the same as a zero-filled struct with only the version set). */
#define IOTX509_ID_OPTIONS_INIT { IOTX509_ID_OPTIONS_VERSION, IOTX509_ID_POLICY_DPS, 0 }

/**
 * Set @p opts to the defaults for @p version (only the fields that version has).
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_ID_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0; IOTX509_EINVAL (NULL, or a version outside 1 .. IOTX509_ID_OPTIONS_VERSION).
 */
IOTX509_EXTERN iotx509_error_code iotx509_id_options_init(iotx509_id_options *opts, unsigned int version);

/**
 * Check a device ID against a policy.
 * @param id the device ID to check
 * @param opts NULL for the defaults (DPS rules)
 * @return 0, IOTX509_EDEVICEID (the message says which rule and which character),
 *         IOTX509_EINVAL (NULL ID, unknown policy or flags, bad options version).
 */
IOTX509_EXTERN iotx509_error_code iotx509_id_validate_device(const char *id, const iotx509_id_options *opts);

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
 * @return 0, IOTX509_EDEVICEID, or IOTX509_EINVAL (NULL argument).
 */
IOTX509_EXTERN iotx509_error_code iotx509_id_validate_nonce(const char *nonce);

#ifdef __cplusplus
}
#endif
#endif
