/*
 * Error codes, their descriptions, and the thread-local last-error message.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

static __thread char last_msg[IOX_MSG_MAX];
static __thread int last_code;

static const char *const descriptions[] = {
	[0] = "success",
	[-IOTX509_EINVAL] = "invalid argument",
	[-IOTX509_ENOMEM] = "out of memory",
	[-IOTX509_EPARSE] = "malformed input",
	[-IOTX509_EPASSWORD] = "wrong or missing password",
	[-IOTX509_EDEVICEID] = "invalid device ID",
	[-IOTX509_EKEYMISMATCH] = "key does not match the certificate",
	[-IOTX509_ENOTCA] = "issuer is not a CA",
	[-IOTX509_ENOKEYCERTSIGN] = "issuer key usage lacks keyCertSign",
	[-IOTX509_EISSUERVALIDITY] = "issuer is expired or not yet valid",
	[-IOTX509_EVALIDITY] = "validity outside the issuer's",
	[-IOTX509_EUNSUPPORTED] = "unsupported algorithm or format",
	[-IOTX509_ENOTFOUND] = "not found",
	[-IOTX509_EEXISTS] = "already exists",
	[-IOTX509_EIO] = "I/O error",
	[-IOTX509_ECRYPTO] = "crypto backend error",
	[-IOTX509_ESIGNATURE] = "signature does not verify",
	[-IOTX509_EPATHLEN] = "issuer path length constraint exceeded",
	[-IOTX509_ENOISSUER] = "issuer certificate not found",
	[-IOTX509_ECHAINLOOP] = "certificate chain loops",
	[-IOTX509_EVERIFY] = "certificate chain does not verify",
	[-IOTX509_EPOPNONCE] = "verification certificate CN does not match the nonce",
	[-IOTX509_EPOPSIGNER] = "verification certificate is not signed by the CA",
	[-IOTX509_EPOPCA] = "verification certificate is a CA",
	[-IOTX509_EPOPVALIDITY] = "verification certificate is outside its validity",
	[-IOTX509_EPKCS11_MODULE] = "PKCS#11 module cannot be loaded",
	[-IOTX509_EPKCS11_TOKEN] = "PKCS#11 token not found",
	[-IOTX509_EPKCS11_OBJECT] = "PKCS#11 object not found",
	[-IOTX509_EPIN] = "wrong or missing PIN",
	[-IOTX509_EREJECTED] = "the provisioning service would reject the device",
	[-IOTX509_EBUSY] = "a batch is already running in the directory",
	[-IOTX509_EDUPLICATE] = "device ID listed more than once",
	[-IOTX509_ELIMIT] = "input exceeds a documented limit",
	[-IOTX509_ENAMECONSTRAINTS] = "issuer name constraints exclude the certificate",
};

const char *iotx509_strerror(int code)
{
	if (code > 0 || (size_t)-code >= sizeof(descriptions) / sizeof(descriptions[0]) ||
	    descriptions[-code] == NULL)
		return "unknown error";
	return descriptions[-code];
}

const char *iotx509_error_last(void)
{
	return last_code ? last_msg : NULL;
}

iotx509_error iotx509_error_last_code(void)
{
	return (iotx509_error)last_code;
}

void iotx509_error_clear(void)
{
	last_code = 0;
	last_msg[0] = '\0';
}

void iox_error_save(iox_error_saved *s)
{
	s->code = last_code;
	memcpy(s->msg, last_msg, sizeof(s->msg));
}

void iox_error_restore(const iox_error_saved *s)
{
	last_code = s->code;
	memcpy(last_msg, s->msg, sizeof(last_msg));
}

static int set_message(int code, const char *suffix, const char *fmt, va_list ap)
{
	int n = vsnprintf(last_msg, sizeof(last_msg), fmt, ap);

	if (n < 0)
		last_msg[0] = '\0';
	if (suffix != NULL) {
		size_t used = strlen(last_msg);
		snprintf(last_msg + used, sizeof(last_msg) - used, ": %s", suffix);
	}
	last_code = code;
	return code;
}

int iox_error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(code, NULL, fmt, ap);
	va_end(ap);
	return code;
}

int iox_error_gnutls(int code, int gnutls_err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(code, gnutls_strerror(gnutls_err), fmt, ap);
	va_end(ap);
	return code;
}

void iox_error_prefix(const char *prefix)
{
	char tmp[IOX_MSG_MAX + 256];

	if (prefix == NULL || last_code == 0)
		return;
	snprintf(tmp, sizeof(tmp), "%.250s: %s", prefix, last_msg);
	memcpy(last_msg, tmp, sizeof(last_msg));
}

int iox_code_from_gnutls(int err)
{
	switch (err) {
	case GNUTLS_E_MEMORY_ERROR:
		return IOTX509_ENOMEM;
	case GNUTLS_E_DECRYPTION_FAILED:
		return IOTX509_EPASSWORD;
	case GNUTLS_E_UNKNOWN_PK_ALGORITHM:
	case GNUTLS_E_UNKNOWN_ALGORITHM:
	case GNUTLS_E_UNKNOWN_CIPHER_TYPE:
	case GNUTLS_E_UNKNOWN_HASH_ALGORITHM:
	case GNUTLS_E_UNKNOWN_PKCS_CONTENT_TYPE:
	case GNUTLS_E_UNKNOWN_PKCS_BAG_TYPE:
	case GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM:
	case GNUTLS_E_UNIMPLEMENTED_FEATURE:
	case GNUTLS_E_ECC_UNSUPPORTED_CURVE:
	case GNUTLS_E_UNKNOWN_CIPHER_SUITE:
		return IOTX509_EUNSUPPORTED;
	case GNUTLS_E_ASN1_ELEMENT_NOT_FOUND:
	case GNUTLS_E_ASN1_IDENTIFIER_NOT_FOUND:
	case GNUTLS_E_ASN1_DER_ERROR:
	case GNUTLS_E_ASN1_VALUE_NOT_FOUND:
	case GNUTLS_E_ASN1_GENERIC_ERROR:
	case GNUTLS_E_ASN1_VALUE_NOT_VALID:
	case GNUTLS_E_ASN1_TAG_ERROR:
	case GNUTLS_E_ASN1_TAG_IMPLICIT:
	case GNUTLS_E_ASN1_TYPE_ANY_ERROR:
	case GNUTLS_E_ASN1_SYNTAX_ERROR:
	case GNUTLS_E_ASN1_DER_OVERFLOW:
	case GNUTLS_E_BASE64_DECODING_ERROR:
	case GNUTLS_E_BASE64_UNEXPECTED_HEADER_ERROR:
	case GNUTLS_E_PARSING_ERROR:
	case GNUTLS_E_X509_UNSUPPORTED_ATTRIBUTE:
	case GNUTLS_E_CERTIFICATE_ERROR:
	case GNUTLS_E_X509_UNKNOWN_SAN:
	case GNUTLS_E_X509_UNSUPPORTED_CRITICAL_EXTENSION:
	case GNUTLS_E_X509_UNSUPPORTED_EXTENSION:
	case GNUTLS_E_ILLEGAL_PARAMETER:
	case GNUTLS_E_PK_INVALID_PUBKEY:
	case GNUTLS_E_PK_INVALID_PRIVKEY:
	case GNUTLS_E_MPI_SCAN_FAILED:
		return IOTX509_EPARSE;
	default:
		return IOTX509_ECRYPTO;
	}
}

int iox_check_version(unsigned int version, unsigned int current, const char *what)
{
	if (version < 1 || version > current)
		return iox_error(IOTX509_EINVAL, "%s: unsupported version %u (this library accepts 1 to %u)", what,
				 version, current);
	return 0;
}
