/**
 * @file iotx509/pop.h
 * @brief Proof of possession: checking a verification certificate.
 *
 * To prove that you hold the private key of a CA uploaded to IoT Hub or
 * DPS, the service gives you a nonce (verification code); you issue a
 * "verification certificate" whose CN is that nonce, signed by the CA's
 * key (iotx509_issue_verification() in iotx509/issue.h), and upload it.
 * iotx509_pop_verify() runs the checks the service runs, before you
 * upload, with one error code per failure.
 */
#ifndef IOTX509_POP_H
#define IOTX509_POP_H

#include "common.h"
#include "cert.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Check a proof-of-possession certificate.
 *
 * The checks, in this order:
 *  1. the subject CN of @p verification_cert equals @p nonce exactly
 *     (case-sensitive, no trimming) -> IOTX509_EPOPNONCE;
 *  2. it is signed by the key of @p ca_cert and names it as issuer
 *     -> IOTX509_EPOPSIGNER;
 *  3. it is not itself a CA (basicConstraints CA:TRUE) -> IOTX509_EPOPCA;
 *  4. @p at lies within its notBefore..notAfter -> IOTX509_EPOPVALIDITY.
 *
 * @param verification_cert the certificate to upload
 * @param ca_cert           the CA certificate whose possession is proven
 * @param nonce             the verification code the service gave
 * @param at                time to check validity at (seconds since the epoch); 0 = now
 * @return 0 when every check passes, else the code of the first failing
 *         check, with a message naming the certificate and the values
 *         compared; IOTX509_EINVAL for NULL arguments or an empty nonce.
 *
 * @code
 * int err = iotx509_pop_verify(vcert, root, "1234ABCD", 0);
 * if (err == IOTX509_EPOPNONCE)
 *     fprintf(stderr, "wrong nonce: %s\n", iotx509_error_last());
 * @endcode
 */
IOTX509_EXTERN iotx509_error_code iotx509_pop_verify(const iotx509_cert *verification_cert, const iotx509_cert *ca_cert,
				      const char *nonce, int64_t at);

#ifdef __cplusplus
}
#endif
#endif
