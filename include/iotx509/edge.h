/**
 * @file iotx509/edge.h
 * @brief Azure IoT Edge: the provisioning sections of /etc/aziot/config.toml
 *        for X.509 identities, with the paths the files will have on the
 *        device, and the files themselves, ready to copy.
 *
 * iotx509_edge_export_config() checks the device's identity certificate and key
 * (and the optional edge CA and trust bundle) and returns TOML text with
 * aziot's field names, for DPS provisioning:
 *
 * @code{.toml}
 * trust_bundle_cert = "file:///var/aziot/certs/myroot_cert.pem"
 *
 * [provisioning]
 * source = "dps"
 * global_endpoint = "https://global.azure-devices-provisioning.net"
 * id_scope = "0ne00000A0A"
 *
 * [provisioning.attestation]
 * method = "x509"
 * registration_id = "my-edge-device"
 * identity_cert = "file:///var/aziot/certs/my-edge-device_fullchain.pem"
 * identity_pk = "file:///var/aziot/secrets/my-edge-device_key.pem"
 *
 * [edge_ca]
 * cert = "file:///var/aziot/certs/my-edge-ca_fullchain.pem"
 * pk = "file:///var/aziot/secrets/my-edge-ca_key.pem"
 * @endcode
 *
 * or, with ::iotx509_edge_options iothub_hostname set, for manual
 * provisioning against one IoT hub:
 *
 * @code{.toml}
 * [provisioning]
 * source = "manual"
 * iothub_hostname = "myhub.azure-devices.net"
 * device_id = "my-edge-device"
 *
 * [provisioning.authentication]
 * method = "x509"
 * identity_cert = "file:///var/aziot/certs/my-edge-device_fullchain.pem"
 * identity_pk = "file:///var/aziot/secrets/my-edge-device_key.pem"
 * @endcode
 *
 * (trust_bundle_cert and [edge_ca] only when asked for). The text starts
 * with comment lines naming each local file and the path it gets on the
 * device.
 *
 * **Paths on the device.** A file keeps its name and goes to the directory
 * the IoT Edge documentation uses: certificates (and the trust bundle) to
 * IOTX509_EDGE_CERT_DIR (/var/aziot/certs, owned by aziotcs, mode 0644),
 * private keys to IOTX509_EDGE_KEY_DIR (/var/aziot/secrets, owned by
 * aziotks, mode 0600), or to the directories the options name. With
 * IOTX509_EDGE_LOCAL_PATHS the files' absolute paths on this machine are
 * used instead (for a config made on the device itself). Paths become
 * file:// URIs (characters other than letters, digits, "-._~/" are
 * percent-encoded); every value is a TOML basic string with quotes,
 * backslashes and control characters escaped, so the text parses with any
 * TOML parser.
 *
 * iotx509_edge_stage() puts exactly those files into a file set under a
 * local directory that mirrors the device's file system (DIR/var/aziot/certs/...,
 * keys with mode 0600), ready to copy to the device.
 *
 * Merge the text into a config.toml that has no [provisioning] or [edge_ca]
 * table yet, with trust_bundle_cert above its first table, then run
 * `iotedge config apply`.
 *
 * The identity certificate file must hold the device certificate followed
 * by its intermediates (NAME_fullchain.pem) when an intermediate CA issued
 * it, because the device presents them when it connects.
 */
#ifndef IOTX509_EDGE_H
#define IOTX509_EDGE_H

#include "common.h"
#include "id.h"
#include "file.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The global device endpoint of DPS in the public Azure cloud. */
#define IOTX509_EDGE_GLOBAL_ENDPOINT "https://global.azure-devices-provisioning.net"
/** Where the IoT Edge documentation puts certificates on the device. */
#define IOTX509_EDGE_CERT_DIR "/var/aziot/certs"
/** Where the IoT Edge documentation puts private keys on the device. */
#define IOTX509_EDGE_KEY_DIR "/var/aziot/secrets"

/** Flags for ::iotx509_edge_options. */
typedef enum iotx509_edge_flags {
	IOTX509_EDGE_DEFAULT = 0, /**< No flag: the defaults. */
	/** Name the files by their absolute paths on this machine, not by device directories. */
	IOTX509_EDGE_LOCAL_PATHS = 1u << 0
} iotx509_edge_flags;

/** The files a configuration names. */
typedef enum iotx509_edge_file {
	IOTX509_EDGE_IDENTITY_CERT = 0, /**< identity_cert: the device certificate (and its intermediates) */
	IOTX509_EDGE_IDENTITY_PK = 1,   /**< identity_pk: its private key */
	IOTX509_EDGE_CA_CERT = 2,       /**< [edge_ca] cert: the edge CA certificate and its chain */
	IOTX509_EDGE_CA_PK = 3,         /**< [edge_ca] pk: its private key */
	IOTX509_EDGE_TRUST_BUNDLE = 4   /**< trust_bundle_cert: the root CA certificate(s) modules trust */
} iotx509_edge_file;

/**
 * The config.toml key of a file: "identity_cert", "identity_pk",
 * "edge_ca_cert", "edge_ca_pk", "trust_bundle_cert"; "unknown" for any other value (never NULL). A static string.
 * @param file the value to name
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_edge_file_name(iotx509_edge_file file);

/**
 * Options for iotx509_edge_export_config() and iotx509_edge_stage(). Initialise
 * with IOTX509_EDGE_OPTIONS_INIT; zero-filled with only @c version set means
 * DPS provisioning, the documented device directories, no edge CA and no
 * trust bundle.
 */
typedef struct iotx509_edge_options {
	unsigned int version;        /**< IOTX509_EDGE_OPTIONS_VERSION */
	/** DPS: NULL = the certificate's CN (the only value DPS accepts for X.509). */
	const char *registration_id;
	/** DPS: NULL = IOTX509_EDGE_GLOBAL_ENDPOINT; must be an https:// URL. */
	const char *global_endpoint;
	iotx509_id_policy id_policy; /**< rules for the registration or device ID (default DPS) */
	/**
	 * Set for manual provisioning against this IoT hub (a host name such as
	 * "myhub.azure-devices.net"); the ID scope must then be NULL, and
	 * @c registration_id and @c global_endpoint too.
	 */
	const char *iothub_hostname;
	/** Manual: the IoT Hub device ID; NULL = the certificate's CN, which it must equal. */
	const char *device_id;
	/**
	 * The edge CA certificate file (give its full chain, NAME_fullchain.pem)
	 * for the [edge_ca] section, or NULL for none. Needs @c edge_ca_key.
	 */
	const char *edge_ca_cert;
	const char *edge_ca_key;     /**< the edge CA's private key file, unencrypted */
	/** A file of CA certificates for the top-level trust_bundle_cert, or NULL. */
	const char *trust_bundle;
	/** Directory of certificates on the device (absolute); NULL = IOTX509_EDGE_CERT_DIR. */
	const char *device_cert_dir;
	/** Directory of private keys on the device (absolute); NULL = IOTX509_EDGE_KEY_DIR. */
	const char *device_key_dir;
	unsigned int flags;          /**< ::iotx509_edge_flags */
} iotx509_edge_options;

/** The newest version of ::iotx509_edge_options this header describes (its @c version field). */
#define IOTX509_EDGE_OPTIONS_VERSION 1
/** Static initialiser of ::iotx509_edge_options: the current version, every field its default. */
#define IOTX509_EDGE_OPTIONS_INIT \
	{ IOTX509_EDGE_OPTIONS_VERSION, NULL, NULL, IOTX509_ID_POLICY_DPS, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 }

/**
 * Initialise @p opts to defaults (same as IOTX509_EDGE_OPTIONS_INIT, and as zero-fill with
 * only @c version set). @p version: 1 to IOTX509_EDGE_OPTIONS_VERSION; any other
 * is IOTX509_EINVAL ("unsupported version"), as is NULL @p opts.
 * @param opts the struct to fill
 * @param version the version to fill in: 1 to IOTX509_EDGE_OPTIONS_VERSION (what the caller was compiled with)
 * @return 0; IOTX509_EINVAL (NULL @p opts, unsupported @p version).
 */
IOTX509_EXTERN iotx509_error_code iotx509_edge_options_init(iotx509_edge_options *opts, unsigned int version);

/**
 * The provisioning configuration as TOML text (NUL-terminated, ending with
 * a newline) in @p out; see the file comment for its form.
 *
 * @param out receives the TOML text (dispose with iotx509_buf_dispose())
 * @param cert_path the identity certificate (PEM; its first certificate is
 *                  the device's, the rest its intermediates)
 * @param key_path  its private key, unencrypted PEM (aziot-keyd reads it as is)
 * @param id_scope  the DPS ID scope, e.g. "0ne00000A0A" (letters and
 *                  digits); NULL for manual provisioning (opts->iothub_hostname)
 * @param opts      NULL for defaults
 * @return 0;
 *         IOTX509_EKEYMISMATCH (a key is not its certificate's; the
 *         message names both files);
 *         IOTX509_EPASSWORD (a key is encrypted);
 *         IOTX509_EDEVICEID (the registration or device ID is invalid, or
 *         differs from the certificate's CN: the service would refuse the
 *         device);
 *         IOTX509_EINVAL (neither or both of an ID scope and an IoT hub,
 *         a malformed ID scope, host name or endpoint, a CA certificate as
 *         identity, an edge CA that is not a CA or lacks its key, a trust
 *         bundle with a certificate that is not a CA, a DER file (aziot
 *         reads PEM), a device directory that is not absolute, two files
 *         that would get the same path on the device);
 *         IOTX509_EUNSUPPORTED (a pkcs11: key: configured through
 *         aziot-keyd's PKCS#11 settings, not as a file);
 *         IOTX509_ENOTFOUND, IOTX509_EIO, IOTX509_EPARSE (the files);
 *         IOTX509_ENOMEM.
 *
 * @code
 * iotx509_edge_options o = IOTX509_EDGE_OPTIONS_INIT;
 * iotx509_buf toml = IOTX509_BUF_INIT;
 * o.edge_ca_cert = "edge-ca_fullchain.pem";
 * o.edge_ca_key = "edge-ca_key.pem";
 * int err = iotx509_edge_export_config(&toml, "dev_fullchain.pem", "dev_key.pem", "0ne00000A0A", &o);
 * if (!err) err = iotx509_file_write("provisioning.toml", toml.data, toml.size, NULL);
 * iotx509_buf_dispose(&toml);
 * @endcode
 */
IOTX509_EXTERN iotx509_error_code iotx509_edge_export_config(iotx509_buf *out, const char *cert_path, const char *key_path,
				       const char *id_scope, const iotx509_edge_options *opts);

/**
 * The path @p local_path gets on the device in the role @p file: the
 * device directory for certificates or keys (from @p opts, else the
 * documented one) and the file's own name; with IOTX509_EDGE_LOCAL_PATHS
 * the absolute path of @p local_path. Checks nothing in the file.
 *
 * @param out receives the result; release it with iotx509_buf_dispose()
 * @param local_path the file on this machine
 * @param file the role of the file in the configuration
 * @param opts the options
 * @return 0 and the path as NUL-terminated text in @p out; IOTX509_EINVAL
 *         (an empty file name, a device directory that is not absolute or
 *         holds a control character, an unknown @p file); IOTX509_EIO
 *         (no current directory); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_edge_device_path(iotx509_buf *out, const char *local_path, iotx509_edge_file file,
					    const iotx509_edge_options *opts);

/**
 * Add the files the configuration names to @p set, at @p dir followed by
 * their paths on the device (e.g. DIR/var/aziot/secrets/dev_key.pem), with
 * the bytes of the local files; private keys get mode 0600. The same checks
 * as iotx509_edge_export_config() apply to the files (the provisioning values are
 * not looked at), so the set holds exactly what the device needs. The
 * directories below @p dir that the files need are created (mode 0755);
 * nothing else is written until the set is committed
 * (iotx509_fileset_commit(), all files or none, an existing file replaced
 * only with IOTX509_WRITE_OVERWRITE). Files are added in the order of
 * ::iotx509_edge_file.
 *
 * @param set an uncommitted file set; the files are added to it
 * @param cert_path the identity certificate, as for iotx509_edge_export_config()
 * @param key_path its private key, as for iotx509_edge_export_config()
 * @param opts the same options as for iotx509_edge_export_config(); NULL for defaults
 * @param dir the local directory that stands for the device's root;
 *            created when missing
 * @return 0; IOTX509_EIO (a directory could not be created); the errors of
 *         iotx509_edge_export_config() for the files; IOTX509_EINVAL (NULL or
 *         empty @p dir, a committed set). After an error the set may hold
 *         some of the files: free it without committing.
 */
IOTX509_EXTERN iotx509_error_code iotx509_edge_stage(iotx509_fileset *set, const char *dir, const char *cert_path,
				      const char *key_path, const iotx509_edge_options *opts);

#ifdef __cplusplus
}
#endif
#endif
