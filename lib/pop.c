/*
 * Proof of possession: the checks IoT Hub and DPS make on a verification
 * certificate, with a distinct error for each.
 */
#include "cert-internal.h"
#include "chain-internal.h"

#include <string.h>
#include <time.h>

int iotx509_pop_verify(const iotx509_cert *verification_cert, const iotx509_cert *ca_cert, const char *nonce,
		       int64_t at)
{
	const iotx509_cert *v = verification_cert;
	char t1[32], t2[32];

	if (v == NULL || ca_cert == NULL || nonce == NULL)
		return iox_error(IOTX509_EINVAL, "proof of possession: NULL argument");
	if (*nonce == '\0')
		return iox_error(IOTX509_EINVAL, "proof of possession: the nonce is empty");
	if (at == 0)
		at = (int64_t)time(NULL);

	if (strcmp(v->subject_cn, nonce) != 0)
		return iox_error(IOTX509_EPOPNONCE,
				 "verification certificate '%s': CN '%s' does not match the nonce '%s' (exact, case-sensitive)",
				 v->subject_dn, v->subject_cn, nonce);
	if (!iox_cert_check_issuer(v, ca_cert))
		return iox_error(IOTX509_EPOPSIGNER,
				 "verification certificate '%s' is issued by '%s', not by the CA '%s'", v->subject_dn,
				 v->issuer_dn, ca_cert->subject_dn);
	if (!iox_cert_signed_by(v, ca_cert))
		return iox_error(IOTX509_EPOPSIGNER,
				 "verification certificate '%s' is not signed by the key of CA '%s' (signature does not verify)",
				 v->subject_dn, ca_cert->subject_dn);
	if (v->is_ca)
		return iox_error(IOTX509_EPOPCA,
				 "verification certificate '%s' is a CA certificate (basicConstraints CA:TRUE); it must be a leaf",
				 v->subject_dn);
	if (at < v->not_before || at > v->not_after) {
		iox_format_time(t1, sizeof(t1), at < v->not_before ? v->not_before : v->not_after);
		iox_format_time(t2, sizeof(t2), at);
		return iox_error(IOTX509_EPOPVALIDITY, "verification certificate '%s' %s %s (checked at %s)",
				 v->subject_dn, at < v->not_before ? "is not valid before" : "expired at", t1, t2);
	}
	return 0;
}
