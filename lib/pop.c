/*
 * Proof of possession: the checks IoT Hub and DPS make on a verification
 * certificate. The call returns 0 when it could decide; the verdict is a
 * status, and a "no" also leaves its reason as the last error.
 */
#include "cert-internal.h"
#include "chain-internal.h"

#include <string.h>
#include <time.h>

IOX_OPTS_TYPE(pop_opts_type, "proof-of-possession options", IOTX509_POP_OPTIONS_VERSION, sizeof(iotx509_pop_options));
static const iotx509_pop_options pop_opts_defaults = IOTX509_POP_OPTIONS_INIT;

iotx509_error_code iotx509_pop_options_init(iotx509_pop_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &pop_opts_defaults, &pop_opts_type);
}

static iotx509_pop_status check(const iotx509_cert *v, const iotx509_cert *ca_cert, const char *nonce, int64_t at)
{
	char t1[32], t2[32];

	if (strcmp(v->subject_cn, nonce) != 0) {
		iox_error(IOTX509_EPOPNONCE,
			  "verification certificate '%s': CN '%s' does not match the nonce '%s' (exact, case-sensitive)",
			  v->subject_dn, v->subject_cn, nonce);
		return IOTX509_POP_NONCE;
	}
	if (!iox_cert_check_issuer(v, ca_cert)) {
		iox_error(IOTX509_EPOPSIGNER, "verification certificate '%s' is issued by '%s', not by the CA '%s'",
			  v->subject_dn, v->issuer_dn, ca_cert->subject_dn);
		return IOTX509_POP_SIGNER;
	}
	if (!iox_cert_signed_by(v, ca_cert)) {
		iox_error(IOTX509_EPOPSIGNER,
			  "verification certificate '%s' is not signed by the key of CA '%s' (signature does not verify)",
			  v->subject_dn, ca_cert->subject_dn);
		return IOTX509_POP_SIGNER;
	}
	if (v->is_ca) {
		iox_error(IOTX509_EPOPCA,
			  "verification certificate '%s' is a CA certificate (basicConstraints CA:TRUE); it must be a leaf",
			  v->subject_dn);
		return IOTX509_POP_CA;
	}
	if (at < v->not_before || at > v->not_after) {
		iox_format_time(t1, sizeof(t1), at < v->not_before ? v->not_before : v->not_after);
		iox_format_time(t2, sizeof(t2), at);
		iox_error(IOTX509_EPOPVALIDITY, "verification certificate '%s' %s %s (checked at %s)", v->subject_dn,
			  at < v->not_before ? "is not valid before" : "expired at", t1, t2);
		return IOTX509_POP_VALIDITY;
	}
	return IOTX509_POP_OK;
}

iotx509_error_code iotx509_pop_verify(iotx509_pop_status *out, const iotx509_cert *verification_cert,
				      const iotx509_cert *ca_cert, const char *nonce, const iotx509_pop_options *opts)
{
	iotx509_pop_options copy;
	int64_t at;

	if (out == NULL || verification_cert == NULL || ca_cert == NULL || nonce == NULL)
		return iox_error(IOTX509_EINVAL, "proof of possession: NULL argument");
	/* Only the fields of the caller's version are read. */
	if (iox_opts_read(&copy, opts, &pop_opts_defaults, &pop_opts_type) < 0)
		return IOTX509_EINVAL;
	opts = &copy;
	if (*nonce == '\0')
		return iox_error(IOTX509_EINVAL, "proof of possession: the nonce is empty");
	at = opts->at ? opts->at : (int64_t)time(NULL);
	*out = check(verification_cert, ca_cert, nonce, at);
	if (*out == IOTX509_POP_OK)
		iotx509_error_clear();
	return 0;
}

const char *iotx509_pop_status_name(iotx509_pop_status status)
{
	static const char *const names[] = { "ok", "nonce", "signer", "ca", "validity" };

	if ((unsigned int)status >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[status];
}
