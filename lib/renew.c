/*
 * Renewing certificates (same CN and profile, new serial and validity,
 * same or new key and issuer) and the steps of rolling a CA.
 */
#include "cert-internal.h"
#include "credential-internal.h"
#include "strbuf-internal.h"

#include <stdlib.h>
#include <string.h>

#define DAY 86400

IOX_OPTS_TYPE(renew_opts_type, "renew options", IOTX509_RENEW_OPTIONS_VERSION, sizeof(iotx509_renew_options));
static const iotx509_renew_options renew_opts_defaults = IOTX509_RENEW_OPTIONS_INIT;

iotx509_error_code iotx509_renew_options_init(iotx509_renew_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &renew_opts_defaults, &renew_opts_type);
}

static int check_options(const iotx509_renew_options *opts)
{
	if (opts->flags & ~(unsigned int)(IOTX509_RENEW_NEW_KEY | IOTX509_RENEW_STRICT_VALIDITY))
		return iox_error(IOTX509_EINVAL, "renew options: unknown flags 0x%x", opts->flags);
	if (opts->days > IOTX509_MAX_DAYS)
		return iox_error(IOTX509_EINVAL, "renew options: validity of %u days is more than the %u allowed",
				 opts->days, IOTX509_MAX_DAYS);
	return 0;
}

iotx509_error_code iotx509_renew_cert(iotx509_cert **out, const iotx509_cert *old, const iotx509_issuer *issuer,
		       const iotx509_key *key, const iotx509_renew_options *opts)
{
	iotx509_renew_options copy;
	iotx509_issue_options io = IOTX509_ISSUE_OPTIONS_INIT;
	int64_t lifetime;
	int ret;

	if (out == NULL || old == NULL || key == NULL)
		return iox_error(IOTX509_EINVAL, "renew: NULL argument");
	*out = NULL;
	/* Only the fields of the caller's version are read. */
	if (iox_opts_read(&copy, opts, &renew_opts_defaults, &renew_opts_type) < 0)
		return IOTX509_EINVAL;
	opts = &copy;
	if ((ret = check_options(opts)) < 0)
		return ret;
	/* By default the renewed certificate lives as long as the old one did. */
	lifetime = (old->not_after - old->not_before + DAY / 2) / DAY;
	io.days = opts->days ? opts->days
			     : (unsigned int)(lifetime < 1 ? 1 : lifetime > IOTX509_MAX_DAYS ? IOTX509_MAX_DAYS : lifetime);
	io.at = opts->at;
	io.id_policy = opts->id_policy;
	if (opts->flags & IOTX509_RENEW_STRICT_VALIDITY)
		io.flags |= IOTX509_ISSUE_STRICT_VALIDITY;

	if (old->is_ca) {
		if (old->self_signed) {
			if (issuer != NULL)
				return iox_error(IOTX509_EINVAL,
						 "'%s' is a self-signed root: renew it without an issuer", old->subject_dn);
			io.has_pathlen = old->pathlen >= 0;
			io.pathlen = old->pathlen >= 0 ? old->pathlen : 0;
			return iotx509_issue_root(out, key, old->subject_cn, &io);
		}
		if (issuer == NULL)
			return iox_error(IOTX509_EINVAL,
					 "CA '%s' is issued by '%s': renewing it needs an issuer (the same CA or a new one)",
					 old->subject_dn, old->issuer_dn);
		io.has_pathlen = old->pathlen >= 0;
		io.pathlen = old->pathlen >= 0 ? old->pathlen : 0;
		return iotx509_issue_intermediate(out, issuer, key, old->subject_cn, &io);
	}
	if ((old->eku & IOTX509_EKU_SERVER_AUTH) && !(old->eku & IOTX509_EKU_CLIENT_AUTH))
		return iox_error(IOTX509_EUNSUPPORTED,
				 "'%s' is a server certificate: renew it with the server command, which sets its "
				 "subjectAltNames",
				 old->subject_dn);
	if (issuer == NULL) {
		if (!old->self_signed)
			return iox_error(IOTX509_EINVAL,
					 "device certificate '%s' is issued by '%s': renewing it needs an issuer (the same "
					 "CA or a new one)",
					 old->subject_dn, old->issuer_dn);
		return iotx509_issue_device_self_signed(out, key, old->subject_cn, &io);
	}
	return iotx509_issue_device(out, issuer, key, old->subject_cn, &io);
}

/* The generatable key type of an existing key. */
static int type_of(iotx509_key_type *out, const iotx509_key *key)
{
	unsigned int bits = iotx509_key_get_bits(key);

	switch (iotx509_key_get_algorithm(key)) {
	case IOTX509_ALG_RSA:
		*out = bits <= 2048 ? IOTX509_KEY_RSA2048 : bits <= 3072 ? IOTX509_KEY_RSA3072 : IOTX509_KEY_RSA4096;
		return 0;
	case IOTX509_ALG_ECDSA:
		if (bits == 256 || bits == 384) {
			*out = bits == 256 ? IOTX509_KEY_P256 : IOTX509_KEY_P384;
			return 0;
		}
		break;
	case IOTX509_ALG_ED25519:
		*out = IOTX509_KEY_ED25519;
		return 0;
	default:
		break;
	}
	return iox_error(IOTX509_EUNSUPPORTED, "cannot generate a new key like the old one (%u-bit, algorithm %d): "
					       "choose a key type",
			 bits, (int)iotx509_key_get_algorithm(key));
}

iotx509_error_code iotx509_renew_credential(iotx509_credential **out, const iotx509_credential *old,
			     const iotx509_credential *parent, const iotx509_renew_options *opts,
			     const iotx509_credential_options *cred_opts)
{
	iotx509_renew_options copy;
	iotx509_credential_options cred_copy;
	const iotx509_cert *old_cert;
	const iotx509_key *old_key;
	iotx509_key *new_key = NULL;
	iotx509_issuer *issuer = NULL;
	iotx509_cert *cert = NULL;
	iotx509_key_type type;
	int ret;

	if (out == NULL || old == NULL)
		return iox_error(IOTX509_EINVAL, "renew: NULL argument");
	*out = NULL;
	/* Only the fields of the caller's version are read. */
	if (iox_opts_read(&copy, opts, &renew_opts_defaults, &renew_opts_type) < 0)
		return IOTX509_EINVAL;
	opts = &copy;
	if ((ret = check_options(opts)) < 0 || (ret = iox_credential_options_read(&cred_copy, cred_opts)) < 0)
		return ret;
	old_cert = iotx509_credential_get_cert(old);
	old_key = iotx509_credential_get_key(old);
	/* The issuer first: a parent that cannot sign fails before a new key is made. */
	if (parent != NULL && (ret = iotx509_issuer_new_from_credential(&issuer, parent)) < 0) {
		iox_error_prefix("renew");
		return ret;
	}
	if (opts->flags & IOTX509_RENEW_NEW_KEY) {
		type = opts->key_type;
		if (type == 0 && old_key == NULL)
			ret = iox_error(IOTX509_EINVAL, "renew '%s': choose the new key's type (the old key is not at hand)",
					old_cert->subject_dn);
		else if (type == 0)
			ret = type_of(&type, old_key);
		if (ret == 0)
			ret = iotx509_key_generate(&new_key, type);
	} else if (old_key == NULL) {
		ret = iox_error(IOTX509_EINVAL, "renew '%s': the credential has no private key to keep (ask for a new key)",
				old_cert->subject_dn);
	}
	if (ret == 0)
		ret = iotx509_renew_cert(&cert, old_cert, issuer, new_key ? new_key : old_key, opts);
	if (ret == 0)
		ret = iotx509_credential_new(out, cert, new_key ? new_key : old_key,
					     issuer ? iotx509_issuer_get_chain(issuer) : NULL, &cred_copy);
	iotx509_cert_free(cert);
	iotx509_issuer_free(issuer);
	iotx509_key_free(new_key);
	return ret;
}

iotx509_error_code iotx509_renew_plan(iotx509_buf *out, const iotx509_cert *old_ca, const iotx509_cert *new_ca,
		       const char *old_name, const char *new_name)
{
	iox_strbuf sb = IOX_STRBUF_INIT;
	const char *o = old_name ? old_name : "OLD", *n = new_name ? new_name : "NEW";
	int same_key;
	char when[32];

	if (out == NULL || old_ca == NULL || new_ca == NULL)
		return iox_error(IOTX509_EINVAL, "renew plan: NULL argument");
	if (!old_ca->is_ca || !new_ca->is_ca)
		return iox_error(IOTX509_EINVAL, "renew plan: '%s' is not a CA certificate",
				 old_ca->is_ca ? new_ca->subject_dn : old_ca->subject_dn);
	/* Same subject and key: what the old CA issued chains to the new one. */
	same_key = strcmp(old_ca->subject_dn, new_ca->subject_dn) == 0 &&
		   strcmp(old_ca->spki_sha256, new_ca->spki_sha256) == 0;
	iox_format_time(when, sizeof(when), old_ca->not_after);
	iox_sb_printf(&sb, "Rolling '%s' (SHA-1 %s, notAfter %s) to '%s' (SHA-1 %s) in a DPS enrollment group:\n",
		      old_ca->subject_dn, old_ca->sha1, when, new_ca->subject_dn, new_ca->sha1);
	iox_sb_printf(&sb,
		      "1. Add %s_cert.pem to the enrollment group as its secondary certificate; the primary stays\n"
		      "   %s_cert.pem.\n",
		      n, o);
	iox_sb_printf(&sb,
		      "2. Verify it (proof of possession): for the verification code CODE the service shows, run\n"
		      "     iotx509 verification --ca %s_cert.pem --key %s_key.pem --nonce CODE --out %s-pop\n"
		      "     iotx509 verify %s-pop_cert.pem --ca %s_cert.pem --nonce CODE\n"
		      "   and upload %s-pop_cert.pem.\n",
		      n, n, n, n, n, n);
	if (same_key)
		iox_sb_printf(&sb,
			      "3. Devices need no new certificates: the new CA has the same subject and key, so what the\n"
			      "   old one issued chains to it too. Check a device against both:\n"
			      "     iotx509 check DEVICE_fullchain.pem --group %s_cert.pem:verified --group-secondary %s_cert.pem:verified\n",
			      o, n);
	else
		iox_sb_printf(&sb,
			      "3. Re-issue every device under the new CA (iotx509 renew DEVICE %s). While both are\n"
			      "   enrolled, devices under either are accepted:\n"
			      "     iotx509 check DEVICE_fullchain.pem --group %s_cert.pem:verified --group-secondary %s_cert.pem:verified\n",
			      n, o, n);
	iox_sb_printf(&sb, "4. Promote %s_cert.pem to primary (and %s_cert.pem to secondary).\n", n, o);
	iox_sb_printf(&sb,
		      "5. Retire %s_cert.pem%s: remove it from the group and from the service's certificates.\n"
		      "   Devices still under it are refused from then on; find them first with iotx509 tree.\n"
		      "     iotx509 check DEVICE_fullchain.pem --group %s_cert.pem:verified\n",
		      o, same_key ? "" : " once every device has moved", n);
	return iox_sb_finish(&sb, out);
}
