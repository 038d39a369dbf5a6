/*
 * One issuance, whole: the subject key (given, generated, or generated in
 * a token), its certificate (lib/issue.c), the credential with its full
 * chain, the certificate stored in the token, the files. The CLI's issuing
 * commands, each device of a batch and every library user go through
 * iox_issue_credential(), so that the steps and their order exist once.
 */
#include "credential-internal.h"
#include "csr-internal.h"
#include "issue-internal.h"
#include "key-internal.h"

#include <string.h>

IOX_OPTS_TYPE(icred_opts_type, "issue credential options", IOTX509_ISSUE_CREDENTIAL_OPTIONS_VERSION,
	      sizeof(iotx509_issue_credential_options));
static const iotx509_issue_credential_options icred_opts_defaults = IOTX509_ISSUE_CREDENTIAL_OPTIONS_INIT;

iotx509_error_code iotx509_issue_credential_options_init(iotx509_issue_credential_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &icred_opts_defaults, &icred_opts_type);
}

/* The checks that need neither the subject nor a key: what was asked for fits together. */
static int check_request(iotx509_profile profile, const iotx509_issuer *parent,
			 const iotx509_issue_credential_options *o)
{
	gnutls_pk_algorithm_t pk;
	unsigned int bits;
	int ret;

	if ((unsigned int)profile > IOTX509_PROFILE_VERIFICATION)
		return iox_error(IOTX509_EINVAL, "issue: unknown profile %d", (int)profile);
	if ((o->key != NULL) + (o->csr != NULL) + (o->token_url != NULL) > 1)
		return iox_error(IOTX509_EINVAL, "issue %s: give at most one of a key, a CSR and a token URL",
				 iotx509_profile_name(profile));
	if (o->csr != NULL && profile != IOTX509_PROFILE_DEVICE)
		return iox_error(IOTX509_EINVAL, "issue %s: a certificate from a CSR is a device certificate",
				 iotx509_profile_name(profile));
	if (o->csr != NULL && parent == NULL)
		return iox_error(IOTX509_EINVAL, "issue device: a certificate from a CSR needs a parent (the CSR's key is "
						 "not here to sign it)");
	if (parent == NULL && profile != IOTX509_PROFILE_ROOT && profile != IOTX509_PROFILE_DEVICE)
		return iox_error(IOTX509_EINVAL, "issue %s: a %s certificate needs a parent", iotx509_profile_name(profile),
				 iotx509_profile_name(profile));
	if (parent != NULL && profile == IOTX509_PROFILE_ROOT)
		return iox_error(IOTX509_EINVAL, "issue root: a root is self-signed: it takes no parent");
	if (o->key == NULL && o->csr == NULL && (ret = iox_key_type_params(o->key_type ? o->key_type : IOTX509_KEY_P256,
									       &pk, &bits)) < 0)
		return ret;
	if (o->stage != NULL && o->name == NULL)
		return iox_error(IOTX509_EINVAL, "issue %s: staging files needs the credential's name",
				 iotx509_profile_name(profile));
	if (o->save != NULL &&
	    iox_check_version(o->save->version, IOTX509_CREDENTIAL_SAVE_OPTIONS_VERSION, "credential save options") < 0)
		return IOTX509_EINVAL;
	return 0;
}

/* A name that cannot be a file name fails before a key is made, not at the files. */
static int check_name(const iotx509_issue_credential_options *o)
{
	iotx509_buf path = IOTX509_BUF_INIT;
	int ret;

	if (o->name == NULL)
		return 0;
	ret = iotx509_credential_path(&path, o->dir, o->name, IOTX509_CREDENTIAL_CERT);
	iotx509_buf_dispose(&path);
	return ret;
}

/* The subject's CN: @subject, or the CSR's. */
static int subject_cn(const char **cn, const char *subject, const iotx509_csr *csr)
{
	*cn = subject;
	if (csr == NULL) {
		if (subject == NULL)
			return iox_error(IOTX509_EINVAL, "issue: no subject");
		return 0;
	}
	if (csr->cn == NULL || csr->cn[0] == '\0')
		return iox_error(IOTX509_EDEVICEID, "the certificate request has no CN: it must carry the device ID");
	if (subject != NULL && strcmp(subject, csr->cn) != 0)
		return iox_error(IOTX509_EINVAL, "the certificate request is for '%s', not '%s'", csr->cn, subject);
	*cn = csr->cn;
	return 0;
}

int iox_issue_credential(iotx509_credential **out, iotx509_profile profile, const iotx509_issuer *parent,
			 const char *subject, const iotx509_issue_credential_options *opts, unsigned int flags)
{
	iotx509_issue_credential_options copy;
	static const iotx509_issue_options issue_defaults = IOTX509_ISSUE_OPTIONS_INIT;
	const iotx509_issue_options *io;
	iotx509_key *made = NULL;
	const iotx509_key *key;
	iotx509_cert *cert = NULL;
	iotx509_credential *cred = NULL;
	const char *cn, *label;
	int ret, valid;

	if (out == NULL)
		return iox_error(IOTX509_EINVAL, "issue: out is NULL");
	*out = NULL;
	/* Only the fields of the caller's version are read. */
	if (iox_opts_read(&copy, opts, &icred_opts_defaults, &icred_opts_type) < 0)
		return IOTX509_EINVAL;
	opts = &copy;
	io = opts->issue ? opts->issue : &issue_defaults;
	/* Everything that can be refused is refused before a key is made. */
	if ((ret = check_request(profile, parent, opts)) < 0 || (ret = subject_cn(&cn, subject, opts->csr)) < 0 ||
	    (ret = iox_issue_precheck(profile, parent, cn, io, (flags & IOX_ISSUE_SUBJECT_CHECKED) != 0)) < 0 ||
	    (ret = check_name(opts)) < 0)
		return ret;
	label = opts->token_label ? opts->token_label : opts->name ? opts->name : cn;

	key = opts->key;
	if (opts->csr != NULL) {
		if ((ret = iotx509_csr_verify(&valid, opts->csr)) < 0)
			return ret;
		if (!valid)
			return IOTX509_ESIGNATURE; /* the message is set */
	} else if (key == NULL) {
		iotx509_key_type type = opts->key_type ? opts->key_type : IOTX509_KEY_P256;

		ret = opts->token_url ? iotx509_pkcs11_generate_key(&made, opts->token_url, type, label, opts->token)
				      : iotx509_key_generate(&made, type);
		if (ret < 0)
			return ret;
		key = made;
	}

	if ((ret = iox_issue_checked(&cert, profile, parent, key, opts->csr, cn, io)) < 0 ||
	    (ret = iotx509_credential_new(&cred, cert, key, parent ? iotx509_issuer_get_chain(parent) : NULL,
					  &iox_credential_partial_chain)) < 0)
		goto out;
	/* Next to its key, where the device's TLS stack finds it. */
	if (opts->token_url != NULL && (ret = iotx509_pkcs11_store_cert(opts->token_url, cert, label, opts->token)) < 0)
		goto out;
	if (opts->name != NULL) {
		ret = opts->stage ? iotx509_credential_stage(opts->stage, cred, opts->dir, opts->name, opts->save)
				  : iotx509_credential_save(cred, opts->dir, opts->name, opts->save);
		if (ret < 0)
			goto out;
	}
	*out = cred;
	cred = NULL;
out:
	iotx509_credential_free(cred);
	iotx509_cert_free(cert);
	iotx509_key_free(made);
	return ret;
}

iotx509_error_code iotx509_issue_credential(iotx509_credential **out, iotx509_profile profile,
					    const iotx509_issuer *parent, const char *subject,
					    const iotx509_issue_credential_options *opts)
{
	return iox_issue_credential(out, profile, parent, subject, opts, 0);
}
