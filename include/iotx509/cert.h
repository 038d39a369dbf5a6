/**
 * @file iotx509/cert.h
 * @brief X.509 certificates: import, export, inspection, thumbprints.
 *
 * An ::iotx509_cert is immutable once created; every getter reads values
 * computed when the handle was made, so a handle may be shared between
 * threads. Strings returned by getters are owned by the handle and live
 * until iotx509_cert_free().
 *
 * Times are seconds since 1970-01-01T00:00:00Z (int64_t, so dates after 2038
 * work everywhere).
 */
#ifndef IOTX509_CERT_H
#define IOTX509_CERT_H

#include "common.h"
#include "key.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque certificate handle; free with iotx509_cert_free(). */
typedef struct iotx509_cert iotx509_cert;

/** keyUsage bits, as returned by iotx509_cert_get_key_usage(). */
typedef enum iotx509_key_usage {
	IOTX509_KU_DIGITAL_SIGNATURE = 1u << 0, /**< digitalSignature */
	IOTX509_KU_NON_REPUDIATION = 1u << 1, /**< nonRepudiation (contentCommitment) */
	IOTX509_KU_KEY_ENCIPHERMENT = 1u << 2, /**< keyEncipherment */
	IOTX509_KU_DATA_ENCIPHERMENT = 1u << 3, /**< dataEncipherment */
	IOTX509_KU_KEY_AGREEMENT = 1u << 4, /**< keyAgreement */
	IOTX509_KU_KEY_CERT_SIGN = 1u << 5, /**< keyCertSign */
	IOTX509_KU_CRL_SIGN = 1u << 6 /**< cRLSign */
} iotx509_key_usage;

/** extendedKeyUsage purposes we care about, from iotx509_cert_get_ext_key_usage(). */
typedef enum iotx509_ext_key_usage {
	IOTX509_EKU_SERVER_AUTH = 1u << 0, /**< id-kp-serverAuth */
	IOTX509_EKU_CLIENT_AUTH = 1u << 1, /**< id-kp-clientAuth */
	IOTX509_EKU_EMAIL_PROTECTION = 1u << 2,
	IOTX509_EKU_ANY = 1u << 3          /**< anyExtendedKeyUsage */
} iotx509_ext_key_usage;

/** Kinds of subjectAltName entry, for iotx509_cert_get_san(). Values are part of the ABI. */
typedef enum iotx509_san_type {
	IOTX509_SAN_DNS = 1,   /**< dNSName */
	IOTX509_SAN_IP = 2,    /**< iPAddress, as text ("192.0.2.1", "2001:db8::1") */
	IOTX509_SAN_URI = 3,   /**< uniformResourceIdentifier */
	IOTX509_SAN_EMAIL = 4  /**< rfc822Name */
} iotx509_san_type;

/**
 * Import one certificate from PEM or DER. With PEM, the first CERTIFICATE
 * block is used and surrounding text is ignored.
 * @param out receives the new certificate on success; free it with iotx509_cert_free()
 * @param data the bytes to read
 * @param size the number of bytes in @p data
 * @return 0, IOTX509_EPARSE (malformed or no certificate), IOTX509_EINVAL
 *         (NULL argument), IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_cert_import(iotx509_cert **out, const unsigned char *data, size_t size);

/**
 * Load one certificate from a file (as iotx509_cert_import(); messages name the file).
 * @param out receives the new certificate on success; free it with iotx509_cert_free()
 * @param path the path of the file
 * @return as iotx509_cert_import(), plus the errors of iotx509_file_read()
 *         (IOTX509_ENOTFOUND, IOTX509_EIO, IOTX509_ELIMIT).
 */
IOTX509_EXTERN iotx509_error_code iotx509_cert_load(iotx509_cert **out, const char *path);

/**
 * The certificate as PEM, ending with a newline.
 * @param out receives the result; release it with iotx509_buf_dispose()
 * @param cert the certificate
 * @return 0; IOTX509_EINVAL (NULL argument); IOTX509_ENOMEM; IOTX509_ECRYPTO.
 */
IOTX509_EXTERN iotx509_error_code iotx509_cert_export_pem(iotx509_buf *out, const iotx509_cert *cert);

/**
 * The certificate as DER.
 * @param out receives the result; release it with iotx509_buf_dispose()
 * @param cert the certificate
 * @return 0; IOTX509_EINVAL (NULL argument); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_cert_export_der(iotx509_buf *out, const iotx509_cert *cert);

/**
 * Write the certificate as PEM to @p path atomically (mode 0644).
 * @param cert the certificate to write
 * @param path the file to write (replaced atomically)
 * @param opts  NULL for the defaults; IOTX509_WRITE_OVERWRITE replaces an existing file (IOTX509_WRITE_PRIVATE is ignored)
 * @return 0; IOTX509_EEXISTS (the file exists and IOTX509_WRITE_OVERWRITE
 *         is not set); IOTX509_EIO; IOTX509_EINVAL (NULL argument); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_cert_save(const iotx509_cert *cert, const char *path,
					     const iotx509_write_options *opts);

/**
 * A new handle to the same certificate (for code that wants to own one).
 * @param out receives the new certificate on success; free it with iotx509_cert_free()
 * @param cert the certificate
 * @return 0, or IOTX509_EINVAL (NULL argument).
 */
IOTX509_EXTERN iotx509_error_code iotx509_cert_dup(iotx509_cert **out, const iotx509_cert *cert);

/**
 * Subject commonName ("" if the subject has none).
 * @param cert the certificate
 * @return a string owned by @p cert (not to be freed), valid until @p cert is freed
 */
IOTX509_EXTERN const char *iotx509_cert_get_subject_cn(const iotx509_cert *cert);
/**
 * Issuer commonName ("" if the issuer name has none).
 * @param cert the certificate
 * @return a string owned by @p cert (not to be freed), valid until @p cert is freed
 */
IOTX509_EXTERN const char *iotx509_cert_get_issuer_cn(const iotx509_cert *cert);
/**
 * Subject distinguished name in RFC 4514 form, e.g. "CN=sample-device-01".
 * @param cert the certificate
 * @return a string owned by @p cert (not to be freed), valid until @p cert is freed
 */
IOTX509_EXTERN const char *iotx509_cert_get_subject_dn(const iotx509_cert *cert);
/**
 * Issuer distinguished name in RFC 4514 form.
 * @param cert the certificate
 * @return a string owned by @p cert (not to be freed), valid until @p cert is freed
 */
IOTX509_EXTERN const char *iotx509_cert_get_issuer_dn(const iotx509_cert *cert);
/**
 * Serial number as upper-case hex, without leading zero octets.
 * @param cert the certificate
 * @return a string owned by @p cert (not to be freed), valid until @p cert is freed
 */
IOTX509_EXTERN const char *iotx509_cert_get_serial_hex(const iotx509_cert *cert);
/**
 * notBefore, seconds since the epoch.
 * @param cert the certificate
 * @return the time in seconds since the epoch
 */
IOTX509_EXTERN int64_t iotx509_cert_get_not_before(const iotx509_cert *cert);
/**
 * notAfter, seconds since the epoch.
 * @param cert the certificate
 * @return the time in seconds since the epoch
 */
IOTX509_EXTERN int64_t iotx509_cert_get_not_after(const iotx509_cert *cert);
/**
 * 1 if basicConstraints says CA:TRUE, else 0.
 * @param cert the certificate
 * @return 1 if so, 0 if not
 */
IOTX509_EXTERN int iotx509_cert_is_ca(const iotx509_cert *cert);
/**
 * 1 if the certificate is a CA with a pathLenConstraint, else 0 (also for NULL).
 * @param cert the certificate
 * @return 1 if so, 0 if not
 */
IOTX509_EXTERN int iotx509_cert_has_pathlen(const iotx509_cert *cert);
/**
 * pathLenConstraint of a CA certificate; 0 when iotx509_cert_has_pathlen()
 * is 0, so ask that first (0 is also a real constraint: "no CA below").
 * @param cert the certificate
 * @return the pathLenConstraint, or 0 (see above)
 */
IOTX509_EXTERN unsigned int iotx509_cert_get_pathlen(const iotx509_cert *cert);
/**
 * 1 if subject equals issuer and the certificate's signature verifies with its own key.
 * @param cert the certificate
 * @return 1 if so, 0 if not
 */
IOTX509_EXTERN int iotx509_cert_is_self_signed(const iotx509_cert *cert);
/**
 * keyUsage as ::iotx509_key_usage bits; 0 when the extension is absent.
 * @param cert the certificate
 * @return the bits (see above)
 */
IOTX509_EXTERN unsigned int iotx509_cert_get_key_usage(const iotx509_cert *cert);
/**
 * 1 if the certificate has a keyUsage extension.
 * @param cert the certificate
 * @return 1 if so, 0 if not
 */
IOTX509_EXTERN int iotx509_cert_has_key_usage(const iotx509_cert *cert);
/**
 * extendedKeyUsage as ::iotx509_ext_key_usage bits; 0 when absent.
 * @param cert the certificate
 * @return the bits (see above)
 */
IOTX509_EXTERN unsigned int iotx509_cert_get_ext_key_usage(const iotx509_cert *cert);
/**
 * Algorithm of the certified public key.
 * @param cert the certificate
 * @return the value (see above)
 */
IOTX509_EXTERN iotx509_key_algorithm iotx509_cert_get_key_algorithm(const iotx509_cert *cert);
/**
 * Size in bits of the certified public key.
 * @param cert the certificate
 * @return the size in bits
 */
IOTX509_EXTERN unsigned int iotx509_cert_get_key_bits(const iotx509_cert *cert);
/**
 * SHA-1 thumbprint: 40 upper-case hex digits without separators, the form
 * the Azure portal and DPS enrollments use.
 * @param cert the certificate
 * @return a string owned by @p cert (not to be freed), valid until @p cert is freed
 */
IOTX509_EXTERN const char *iotx509_cert_get_thumbprint_sha1(const iotx509_cert *cert);
/**
 * SHA-256 thumbprint: 64 upper-case hex digits.
 * @param cert the certificate
 * @return a string owned by @p cert (not to be freed), valid until @p cert is freed
 */
IOTX509_EXTERN const char *iotx509_cert_get_thumbprint_sha256(const iotx509_cert *cert);
/**
 * SHA-256 of the certified SubjectPublicKeyInfo (see iotx509_key_get_spki_sha256()).
 * @param cert the certificate
 * @return a string owned by @p cert (not to be freed), valid until @p cert is freed
 */
IOTX509_EXTERN const char *iotx509_cert_get_spki_sha256(const iotx509_cert *cert);

/**
 * "DNS", "IP", "URI", "email"; "unknown" for a value that is not one of the enum (never NULL). A static string.
 * @param type the value to name
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_san_type_name(iotx509_san_type type);

/**
 * Number of subjectAltName entries of one kind (0 when the certificate has
 * no subjectAltName extension, or one GnuTLS cannot decode, or for a @p type
 * that is not an ::iotx509_san_type).
 * @param cert the certificate
 * @param type the kind of entry to count
 * @return the number of entries
 */
IOTX509_EXTERN size_t iotx509_cert_san_count(const iotx509_cert *cert, iotx509_san_type type);

/**
 * The @p index-th subjectAltName entry of kind @p type (0-based, in the
 * order of the extension), or NULL when @p index >= iotx509_cert_san_count().
 * DNS names, URIs and e-mail addresses are returned as they are written
 * (not escaped: see iotx509_text_escape() before showing them); an entry
 * that contains a NUL byte is left out, since a C string would show a
 * different name. IP addresses are text: dotted IPv4 or RFC 5952 IPv6; an
 * iPAddress of another length (not an address) as upper-case hex of its
 * octets. Other kinds of name (otherName, directoryName, ...) are not
 * returned. The string is owned by @p cert: valid until iotx509_cert_free().
 *
 * @code
 * for (size_t i = 0; i < iotx509_cert_san_count(cert, IOTX509_SAN_DNS); i++)
 *     printf("DNS: %s\n", iotx509_cert_get_san(cert, IOTX509_SAN_DNS, i));
 * @endcode
 * @param cert the certificate
 * @param type the kind of entry
 * @param index 0-based index, below the count
 * @return a string owned by @p cert (not to be freed), valid until @p cert is freed (or NULL, as described above)
 */
IOTX509_EXTERN const char *iotx509_cert_get_san(const iotx509_cert *cert, iotx509_san_type type, size_t index);

/**
 * SubjectKeyIdentifier as upper-case hex without separators, or "" when the
 * certificate has none (an identifier longer than 64 octets, where RFC 5280
 * methods give 20, is not read and also gives ""). Owned by @p cert.
 * @param cert the certificate
 * @return a string owned by @p cert (not to be freed), valid until @p cert is freed
 */
IOTX509_EXTERN const char *iotx509_cert_get_subject_key_id_hex(const iotx509_cert *cert);

/**
 * The keyIdentifier of the AuthorityKeyIdentifier extension as upper-case
 * hex, or "" when absent (as iotx509_cert_get_subject_key_id_hex()).
 * Owned by @p cert.
 * @param cert the certificate
 * @return a string owned by @p cert (not to be freed), valid until @p cert is freed
 */
IOTX509_EXTERN const char *iotx509_cert_get_authority_key_id_hex(const iotx509_cert *cert);

/**
 * SubjectKeyIdentifier as bytes. When the certificate has none, this
 * succeeds with an empty @p out (size 0), so "absent" is not an error.
 * @param cert the certificate (not modified)
 * @param out receives the bytes (dispose with iotx509_buf_dispose())
 * @return 0; IOTX509_EINVAL (NULL argument); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_cert_export_subject_key_id(iotx509_buf *out, const iotx509_cert *cert);

/**
 * The AuthorityKeyIdentifier keyIdentifier as bytes; an empty @p out when
 * absent (as iotx509_cert_export_subject_key_id()).
 * @param out receives the result; release it with iotx509_buf_dispose()
 * @param cert the certificate
 * @return 0; IOTX509_EINVAL (NULL argument); IOTX509_ENOMEM.
 */
IOTX509_EXTERN iotx509_error_code iotx509_cert_export_authority_key_id(iotx509_buf *out, const iotx509_cert *cert);

/**
 * The signature algorithm, by GnuTLS's name: "ECDSA-SHA256", "RSA-SHA256",
 * "RSA-PSS-SHA256", "EdDSA-Ed25519", ...; "unknown" when GnuTLS does not
 * know it (iotx509_cert_get_signature_oid() still names it). A static string.
 * @param cert the certificate
 * @return a static string (not to be freed)
 */
IOTX509_EXTERN const char *iotx509_cert_get_signature_algorithm(const iotx509_cert *cert);

/**
 * The signature algorithm's OID in dotted form ("1.2.840.10045.4.3.2"), owned by @p cert.
 * @param cert the certificate
 * @return a string owned by @p cert (not to be freed), valid until @p cert is freed
 */
IOTX509_EXTERN const char *iotx509_cert_get_signature_oid(const iotx509_cert *cert);

/**
 * The certified public key as a PEM "PUBLIC KEY" block (SubjectPublicKeyInfo,
 * as `openssl x509 -pubkey` prints it), ending with a newline.
 * @param cert the certificate (not modified)
 * @param out receives the text (dispose with iotx509_buf_dispose())
 * @return 0; IOTX509_EINVAL (NULL argument); IOTX509_ENOMEM; IOTX509_ECRYPTO (GnuTLS cannot encode it).
 */
IOTX509_EXTERN iotx509_error_code iotx509_cert_export_public_key_pem(iotx509_buf *out, const iotx509_cert *cert);

/**
 * The certified public key as DER SubjectPublicKeyInfo.
 * @param out receives the result; release it with iotx509_buf_dispose()
 * @param cert the certificate
 * @return 0; IOTX509_EINVAL (NULL argument); IOTX509_ENOMEM; IOTX509_ECRYPTO.
 */
IOTX509_EXTERN iotx509_error_code iotx509_cert_export_public_key_der(iotx509_buf *out, const iotx509_cert *cert);

/**
 * Check that @p key is the private key of @p cert.
 * @param cert the certificate
 * @param key the key
 * @return 0 if it is, IOTX509_EKEYMISMATCH if not (the message names the
 *         certificate); IOTX509_EINVAL (NULL argument).
 */
IOTX509_EXTERN iotx509_error_code iotx509_cert_check_key(const iotx509_cert *cert, const iotx509_key *key);

/**
 * Free a certificate handle. Accepts NULL.
 * @param cert the certificate to free, or NULL
 */
IOTX509_EXTERN void iotx509_cert_free(iotx509_cert *cert);

#ifdef __cplusplus
}
#endif
#endif
