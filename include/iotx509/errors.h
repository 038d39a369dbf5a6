/**
 * @file iotx509/errors.h
 * @brief Error codes and the thread-local error message.
 *
 * Every fallible function returns 0 on success or one of the negative
 * ::iotx509_error codes. The same thread can then call iotx509_error_last()
 * for a message that names what failed (file, field, and the GnuTLS reason).
 * Messages never contain passwords or key material.
 *
 * A verification that says "no" is not an error. The verifying functions
 * (iotx509_chain_verify(), iotx509_pop_verify(), iotx509_enrollment_check(),
 * iotx509_csr_verify()) return 0 when they could decide and give the
 * verdict as a status, a flag or a result object read with getters; they
 * return an error code only when they could not decide (bad input, out of
 * memory, a backend failure). A "no" also leaves its reason as the last
 * error, with IOTX509_EVERIFY, IOTX509_EPOP*, IOTX509_EREJECTED or
 * IOTX509_ESIGNATURE as iotx509_error_last_code(). A requirement that an
 * operation cannot go on without is different: iotx509_cert_check_key() and
 * iotx509_csr_check_key() fail with IOTX509_EKEYMISMATCH, as issuance does
 * when the key does not match.
 */
#ifndef IOTX509_ERRORS_H
#define IOTX509_ERRORS_H

/**
 * The return type of fallible functions, and only of them: 0 on success, a
 * negative ::iotx509_error code on failure (never positive). Bindings map a
 * negative value to an exception by this type alone; a function declared
 * with another return type (int counts, 0/1 answers, enums, pointers, void)
 * never fails and never returns a value that could be taken for an error code.
 *
 * Declared before common.h is included because common.h declares a fallible
 * function and includes this header.
 */
typedef int iotx509_error_code;

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Error codes. Values are part of the ABI: new codes are only appended.
 *
 * The numbering has gaps on purpose, one block per area, so that an area
 * can grow without mixing its codes into another's: -1 .. -24 general,
 * issuance, chain and proof-of-possession codes; -25 .. -39 unused;
 * -40 .. -44 tokens (PKCS#11) and enrollment; -45 .. -55 unused;
 * -56 onwards batch and limits, where new codes are appended. The unused
 * values are never returned (iotx509_strerror() calls them "unknown error").
 */
typedef enum iotx509_error {
	IOTX509_OK = 0,                /**< Success. */
	IOTX509_EINVAL = -1,           /**< An argument is invalid (NULL, out of range, unknown enum). */
	IOTX509_ENOMEM = -2,           /**< Out of memory. */
	IOTX509_EPARSE = -3,           /**< Malformed input: PEM, DER, base64 or a field inside. */
	IOTX509_EPASSWORD = -4,        /**< Wrong password, or a password is needed and none was given. */
	IOTX509_EDEVICEID = -5,        /**< Invalid device (registration) ID or nonce. */
	IOTX509_EKEYMISMATCH = -6,     /**< A private key does not belong to the certificate or CSR. */
	IOTX509_ENOTCA = -7,           /**< The issuer certificate is not a CA (basicConstraints). */
	IOTX509_ENOKEYCERTSIGN = -8,   /**< The issuer's keyUsage does not allow certificate signing. */
	IOTX509_EISSUERVALIDITY = -9,  /**< The issuer is expired or not yet valid at issuance time. */
	IOTX509_EVALIDITY = -10,       /**< Requested validity lies outside the issuer's. */
	IOTX509_EUNSUPPORTED = -11,    /**< Unsupported algorithm, key type or format. */
	IOTX509_ENOTFOUND = -12,       /**< A file, object or item was not found. */
	IOTX509_EEXISTS = -13,         /**< The output already exists and overwriting was not asked for. */
	IOTX509_EIO = -14,             /**< Reading or writing a file failed. */
	IOTX509_ECRYPTO = -15,         /**< The crypto backend (GnuTLS) failed. */
	IOTX509_ESIGNATURE = -16,      /**< A signature does not verify (e.g. a CSR's self-signature). */
	IOTX509_EPATHLEN = -17,        /**< The issuer's pathLenConstraint forbids issuing another CA. */
	IOTX509_ENOISSUER = -18,       /**< Chain building: a certificate's issuer is not in the pool (the message names it). */
	IOTX509_ECHAINLOOP = -19,      /**< Chain building: certificates issue each other and no root or anchor ends the chain. */
	IOTX509_EVERIFY = -20,         /**< Chain verification failed; set with the message by iotx509_chain_verify(). */
	IOTX509_EPOPNONCE = -21,       /**< Proof of possession: the verification certificate's CN is not the nonce
	                                    (the last-error code of the verdict IOTX509_POP_NONCE, and so on for the next three). */
	IOTX509_EPOPSIGNER = -22,      /**< Proof of possession: the verification certificate is not signed by the CA. */
	IOTX509_EPOPCA = -23,          /**< Proof of possession: the verification certificate is itself a CA. */
	IOTX509_EPOPVALIDITY = -24,    /**< Proof of possession: the verification certificate is expired or not yet valid. */
	IOTX509_EPKCS11_MODULE = -40,  /**< A PKCS#11 module cannot be loaded. */
	IOTX509_EPKCS11_TOKEN = -41,   /**< No PKCS#11 token matches the URL. */
	IOTX509_EPKCS11_OBJECT = -42,  /**< The token has no object matching the URL. */
	IOTX509_EPIN = -43,            /**< Wrong PIN, or the token needs a PIN and none was given. */
	IOTX509_EREJECTED = -44,       /**< Enrollment check: the provisioning service would reject the device;
	                                    set with the message by iotx509_enrollment_check(). */
	IOTX509_EBUSY = -56,           /**< Batch: the same shard is already running in the output directory. */
	IOTX509_EDUPLICATE = -57,      /**< Batch: a device ID is listed more than once (the first one is issued). */
	IOTX509_ELIMIT = -58,          /**< The input needs more work than a documented limit allows (e.g.
	                                    IOTX509_CHAIN_MAX_DEPTH, IOTX509_CHAIN_MAX_SIGNATURE_CHECKS); the
	                                    message names the limit. */
	IOTX509_ENAMECONSTRAINTS = -59 /**< Issuance: the issuer's nameConstraints exclude a name of the new
	                                    certificate, so every verifier would reject it. */
} iotx509_error;

/**
 * A static, human-readable description of an error code (never NULL).
 * Unknown codes give "unknown error". Named after strerror(3), which it
 * mirrors: the one exception to the _name/_description rule (iotx509.h).
 * @param code an ::iotx509_error value (any other gives a generic text)
 * @return a static string (never NULL)
 */
IOTX509_EXTERN const char *iotx509_strerror(int code);

/**
 * The message of the last error raised in this thread, or NULL if none.
 *
 * After a success: a successful call leaves the message (and
 * iotx509_error_last_code()) as it was, so it is always that of the last
 * failure on this thread, kept until the next failure or
 * iotx509_error_clear(); failures the library tolerates inside a call (a
 * binary file skipped in a directory, a chain that cannot be completed) do
 * not change it. Read it only after a call returned an error code. The one
 * exception are the verifying functions (iotx509_chain_verify(),
 * iotx509_enrollment_check(), iotx509_pop_verify(), iotx509_csr_verify()): they return 0 when
 * they could decide and put the verdict in their result; when the verdict
 * is "no" they also set this message to its reason, and when it is "yes"
 * they clear it.
 *
 * The string is owned by the library and stays valid until the next call
 * into the library from this thread. It names the problem, e.g.
 * "mytestrootcert_key.pem: wrong password for the encrypted private key".
 * It quotes certificate fields and file names as they are, and those can
 * hold control characters: escape it with iotx509_text_escape() before
 * showing it on a terminal or writing it to a log.
 * @return the message; a thread-local string, valid until the next failing call in this thread
 */
IOTX509_EXTERN const char *iotx509_error_last(void);

/**
 * The code of the last error raised in this thread (IOTX509_OK, 0, if none).
 * A value to read, not a failure of this function: hence ::iotx509_error,
 * not ::iotx509_error_code.
 * @return the code (IOTX509_OK when no error was raised)
 */
IOTX509_EXTERN iotx509_error iotx509_error_last_code(void);

/** Forget this thread's last error. */
IOTX509_EXTERN void iotx509_error_clear(void);

#ifdef __cplusplus
}
#endif
#endif
