/**
 * @file iotx509/edge.h
 * @brief Azure IoT Edge: the [provisioning] section of /etc/aziot/config.toml
 *        for DPS with X.509 attestation.
 *
 * iotx509_edge_config() checks the device's identity certificate and key and
 * returns the TOML text of the section, for example:
 *
 * @code{.toml}
 * [provisioning]
 * source = "dps"
 * global_endpoint = "https://global.azure-devices-provisioning.net"
 * id_scope = "0ne00000A0A"
 *
 * [provisioning.attestation]
 * method = "x509"
 * registration_id = "my-edge-device"
 * identity_cert = "file:///etc/aziot/certs/my-edge-device_fullchain.pem"
 * identity_pk = "file:///etc/aziot/private/my-edge-device_key.pem"
 * @endcode
 *
 * The certificate and key paths become absolute file:// URIs (relative
 * paths are taken from the current directory; characters other than
 * letters, digits, "-._~/" are percent-encoded). Every value is a TOML
 * basic string with quotes, backslashes and control characters escaped,
 * so the text parses with any TOML parser. Write it with
 * iotx509_file_write(); it replaces nothing else in config.toml, so merge it
 * into a file that has no [provisioning] table yet.
 *
 * For an enrollment group the identity certificate file must hold the
 * device certificate followed by its intermediates (NAME_fullchain.pem),
 * because the device presents them when it registers.
 */
#ifndef IOTX509_EDGE_H
#define IOTX509_EDGE_H

#include "common.h"
#include "id.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The global device endpoint of DPS in the public Azure cloud. */
#define IOTX509_EDGE_GLOBAL_ENDPOINT "https://global.azure-devices-provisioning.net"

/** Options for iotx509_edge_config(). Initialise with IOTX509_EDGE_OPTIONS_INIT. */
typedef struct iotx509_edge_options {
	unsigned int version;        /**< IOTX509_EDGE_OPTIONS_VERSION */
	const char *registration_id; /**< NULL = the certificate's CN (the only value DPS accepts for X.509) */
	const char *global_endpoint; /**< NULL = IOTX509_EDGE_GLOBAL_ENDPOINT; must be an https:// URL */
	iotx509_id_policy id_policy; /**< rules for the registration ID (default DPS) */
} iotx509_edge_options;

#define IOTX509_EDGE_OPTIONS_VERSION 1
#define IOTX509_EDGE_OPTIONS_INIT { IOTX509_EDGE_OPTIONS_VERSION, NULL, NULL, IOTX509_ID_POLICY_DPS }

/** Initialise @p opts to defaults (same as IOTX509_EDGE_OPTIONS_INIT). */
IOTX509_EXTERN int iotx509_edge_options_init(iotx509_edge_options *opts, unsigned int version);

/**
 * The [provisioning] section for DPS X.509 attestation, as TOML text
 * (NUL-terminated, ending with a newline) in @p out.
 *
 * @param cert_path the identity certificate (PEM or DER; its first
 *                  certificate is the device's)
 * @param key_path  its private key, unencrypted (aziot-keyd reads it as is)
 * @param id_scope  the DPS ID scope, e.g. "0ne00000A0A" (letters and digits)
 * @param opts      NULL for defaults
 * @return 0;
 *         IOTX509_EKEYMISMATCH (the key is not the certificate's; the
 *         message names both files);
 *         IOTX509_EPASSWORD (the key is encrypted);
 *         IOTX509_EDEVICEID (the registration ID is invalid, or differs from
 *         the certificate's CN: DPS would refuse the device);
 *         IOTX509_EINVAL (an empty or malformed ID scope, an endpoint that
 *         is not https://, a CA certificate as identity: the edge CA
 *         belongs in [edge_ca]);
 *         IOTX509_ENOTFOUND, IOTX509_EIO, IOTX509_EPARSE (the files);
 *         IOTX509_ENOMEM.
 *
 * @code
 * iotx509_buf toml = IOTX509_BUF_INIT;
 * int err = iotx509_edge_config(&toml, "dev_fullchain.pem", "dev_key.pem", "0ne00000A0A", NULL);
 * if (!err) err = iotx509_file_write("provisioning.toml", toml.data, toml.size, 0);
 * iotx509_buf_dispose(&toml);
 * @endcode
 */
IOTX509_EXTERN int iotx509_edge_config(iotx509_buf *out, const char *cert_path, const char *key_path,
				       const char *id_scope, const iotx509_edge_options *opts);

#ifdef __cplusplus
}
#endif
#endif
