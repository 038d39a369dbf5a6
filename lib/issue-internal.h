/*
 * Issuance, inside: the steps lib/issue.c (the certificate) and
 * lib/issue-credential.c (the whole credential) share with lib/batch*.c.
 * Never installed.
 */
#ifndef IOTX509_ISSUE_INTERNAL_H
#define IOTX509_ISSUE_INTERNAL_H

#include "internal.h"

/*
 * Everything about a certificate request that needs no subject key: the
 * options, the subject (device ID, nonce or CN) unless @subject_checked
 * (the caller validated it already), and what @issuer may issue (its
 * pathLenConstraint for a CA, its validity at the issuance time). NULL
 * @issuer: self-signed. @opts is not NULL.
 */
int iox_issue_precheck(iotx509_profile profile, const iotx509_issuer *issuer, const char *cn,
		       const iotx509_issue_options *opts, int subject_checked);

/*
 * The certificate of @profile for @subject_key (or @csr's key, whose
 * self-signature the caller verified) after iox_issue_precheck() passed
 * with the same arguments: nothing is validated twice. NULL @issuer:
 * self-signed by @subject_key.
 */
int iox_issue_checked(iotx509_cert **out, iotx509_profile profile, const iotx509_issuer *issuer,
		      const iotx509_key *subject_key, const iotx509_csr *csr, const char *cn,
		      const iotx509_issue_options *opts);

/* iotx509_issue_credential() flags. */
enum {
	/* The caller validated @subject (the batch, which checks every ID
	 * before it looks at the device's files): do not validate it again. */
	IOX_ISSUE_SUBJECT_CHECKED = 1u << 0
};

/* iotx509_issue_credential() with IOX_ISSUE_* @flags. */
int iox_issue_credential(iotx509_credential **out, iotx509_profile profile, const iotx509_issuer *parent,
			 const char *subject, const iotx509_issue_credential_options *opts, unsigned int flags);

#endif
