/*
 * Certificate issuance: the profiles and the checks on the issuer (the
 * issuer and its chain). The whole credential (key, certificate, chain,
 * files) is put together in lib/issue-credential.c.
 */
#include "cert-internal.h"
#include "credential-internal.h"
#include "csr-internal.h"
#include "issue-internal.h"
#include "key-internal.h"
#include "names-internal.h"
#include "verify-internal.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SERIAL_OCTETS 20
#define DAY 86400
#define DEFAULT_BACKDATE 300

struct iotx509_issuer {
	iox_refcount ref; /* immutable once made: iotx509_issuer_dup() shares it */
	iotx509_cert *cert;
	iotx509_key *key;
	iotx509_certlist *chain; /* cert first, then the rest of its chain */
	unsigned char ski[64]; /* becomes the AuthorityKeyIdentifier of what we issue */
	size_t ski_len;
	gnutls_x509_name_constraints_t nc; /* its nameConstraints, or NULL (only read once set) */
};

static const struct {
	const char *token; /* iotx509_profile_name() */
	const char *name;  /* in messages */
	unsigned int default_days;
	int is_ca;
} profiles[] = {
	[IOTX509_PROFILE_ROOT] = { "root", "root CA", 3650, 1 },
	[IOTX509_PROFILE_INTERMEDIATE] = { "intermediate", "intermediate CA", 1825, 1 },
	[IOTX509_PROFILE_EDGE_CA] = { "edge-ca", "edge CA", 365, 1 },
	[IOTX509_PROFILE_DEVICE] = { "device", "device", 365, 0 },
	[IOTX509_PROFILE_VERIFICATION] = { "verification", "verification", 2, 0 },
	[IOTX509_PROFILE_SERVER] = { "server", "server", 365, 0 },
};

const char *iotx509_profile_name(iotx509_profile profile)
{
	return (unsigned int)profile < sizeof(profiles) / sizeof(profiles[0]) ? profiles[profile].token : "unknown";
}

IOX_OPTS_TYPE(issue_opts_type, "issue options", IOTX509_ISSUE_OPTIONS_VERSION, sizeof(iotx509_issue_options));
static const iotx509_issue_options issue_opts_defaults = IOTX509_ISSUE_OPTIONS_INIT;

iotx509_error_code iotx509_issue_options_init(iotx509_issue_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &issue_opts_defaults, &issue_opts_type);
}

/* The SubjectKeyIdentifier we put in certificates: GnuTLS's SHA-1 key ID
 * of the public key (RFC 5280 4.2.1.2 allows any unique method). */
static int key_id(unsigned char *out, size_t *size, gnutls_pubkey_t pub)
{
	int ret = gnutls_pubkey_get_key_id(pub, GNUTLS_KEYID_USE_SHA1, out, size);

	if (ret < 0)
		return iox_error_gnutls(IOTX509_ECRYPTO, ret, "cannot compute the key identifier");
	return 0;
}

/*
 * What in the CA's own certificate would make GnuTLS reject everything it
 * issues: a critical extension GnuTLS does not support, or nameConstraints
 * it cannot read. The constraints themselves go to @nc (NULL when none).
 */
static int check_issuer_extensions(gnutls_x509_name_constraints_t *nc, const iotx509_cert *cert)
{
	char oids[300];
	unsigned int critical = 0;
	int ret;

	*nc = NULL;
	if (iox_cert_unknown_critical(cert, oids, sizeof(oids)))
		return iox_error(IOTX509_EUNSUPPORTED,
				 "issuer '%s' has a critical extension GnuTLS does not support (its critical extensions: "
				 "%s): every certificate it issued would fail verification",
				 cert->subject_dn, oids);
	if ((ret = gnutls_x509_name_constraints_init(nc)) < 0)
		return iox_error_gnutls(IOTX509_ENOMEM, ret, "out of memory");
	ret = gnutls_x509_crt_get_name_constraints(cert->crt, *nc, 0, &critical);
	if (ret == 0)
		return 0;
	gnutls_x509_name_constraints_deinit(*nc);
	*nc = NULL;
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return 0;
	return iox_error_gnutls(IOTX509_ENAMECONSTRAINTS, ret,
				"issuer '%s' has a nameConstraints extension GnuTLS cannot read: every certificate it "
				"issued would fail verification",
				cert->subject_dn);
}

/* The issuer of @cert and @key; its chain is @chain (which starts with
 * @cert), or @cert alone when @chain is NULL. */
static int issuer_make(iotx509_issuer **out, const iotx509_cert *cert, const iotx509_key *key,
		       const iotx509_certlist *chain)
{
	iotx509_issuer *is;
	gnutls_x509_name_constraints_t nc = NULL;
	int ret;

	*out = NULL;
	if (!cert->is_ca)
		return iox_error(IOTX509_ENOTCA,
				 "issuer '%s' is not a CA certificate (basicConstraints CA:TRUE is missing)",
				 cert->subject_dn);
	if (cert->has_ku && !(cert->ku & IOTX509_KU_KEY_CERT_SIGN))
		return iox_error(IOTX509_ENOKEYCERTSIGN,
				 "issuer '%s' has a keyUsage extension without keyCertSign", cert->subject_dn);
	if ((ret = iotx509_cert_check_key(cert, key)) < 0 || (ret = check_issuer_extensions(&nc, cert)) < 0)
		return ret;
	if ((is = calloc(1, sizeof(*is))) == NULL) {
		if (nc != NULL)
			gnutls_x509_name_constraints_deinit(nc);
		return iox_error(IOTX509_ENOMEM, "out of memory");
	}
	iox_ref_init(&is->ref);
	is->nc = nc;
	if (cert->ski_len) {
		memcpy(is->ski, cert->ski, cert->ski_len);
		is->ski_len = cert->ski_len;
	} else {
		is->ski_len = sizeof(is->ski);
		if ((ret = key_id(is->ski, &is->ski_len, cert->pub)) < 0) {
			if (nc != NULL)
				gnutls_x509_name_constraints_deinit(nc);
			free(is);
			return ret;
		}
	}
	ret = chain ? iotx509_certlist_dup(&is->chain, chain) : iotx509_certlist_new(&is->chain);
	if (ret == 0 && chain == NULL)
		ret = iotx509_certlist_add(is->chain, cert);
	is->cert = iox_cert_ref(cert);
	is->key = iox_key_ref(key);
	if (ret < 0) {
		iotx509_issuer_free(is);
		return ret;
	}
	*out = is;
	return 0;
}

iotx509_error_code iotx509_issuer_new(iotx509_issuer **out, const iotx509_cert *cert, const iotx509_key *key)
{
	if (out == NULL || cert == NULL || key == NULL)
		return iox_error(IOTX509_EINVAL, "issuer: NULL argument");
	return issuer_make(out, cert, key, NULL);
}

iotx509_error_code iotx509_issuer_new_from_credential(iotx509_issuer **out, const iotx509_credential *cred)
{
	const iotx509_cert *cert = iotx509_credential_get_cert(cred);

	if (out == NULL || cred == NULL)
		return iox_error(IOTX509_EINVAL, "issuer: NULL argument");
	*out = NULL;
	if (iotx509_credential_get_key(cred) == NULL)
		return iox_error(IOTX509_EINVAL, "the issuer '%s' has no private key: it cannot sign",
				 iotx509_cert_get_subject_dn(cert));
	return issuer_make(out, cert, iotx509_credential_get_key(cred), iotx509_credential_get_chain(cred));
}

const iotx509_certlist *iotx509_issuer_get_chain(const iotx509_issuer *issuer)
{
	return issuer ? issuer->chain : NULL;
}

iotx509_error_code iotx509_issuer_load(iotx509_issuer **out, const char *cert_path, const char *key_path,
			const char *key_password)
{
	iotx509_credential *cred = NULL;
	int ret;

	if (out == NULL || cert_path == NULL || key_path == NULL)
		return iox_error(IOTX509_EINVAL, "issuer load: NULL argument");
	*out = NULL;
	/* The chain as far as the certificate file carries it. */
	if ((ret = iotx509_credential_load_files(&cred, cert_path, key_path, key_password,
						 &iox_credential_partial_chain)) == 0)
		ret = iotx509_issuer_new_from_credential(out, cred);
	iotx509_credential_free(cred);
	return ret;
}

int64_t iotx509_issue_get_requested_not_after(const iotx509_cert *cert)
{
	return cert ? cert->requested_not_after : 0;
}

const iotx509_cert *iotx509_issuer_get_cert(const iotx509_issuer *issuer)
{
	return issuer ? issuer->cert : NULL;
}

iotx509_error_code iotx509_issuer_dup(iotx509_issuer **out, const iotx509_issuer *issuer)
{
	if (out == NULL || issuer == NULL)
		return iox_error(IOTX509_EINVAL, "issuer dup: NULL argument");
	iox_ref_inc(&((iotx509_issuer *)issuer)->ref);
	*out = (iotx509_issuer *)issuer;
	return 0;
}

void iotx509_issuer_free(iotx509_issuer *issuer)
{
	if (issuer == NULL || !iox_ref_dec(&issuer->ref))
		return;
	iotx509_cert_free(issuer->cert);
	iotx509_key_free(issuer->key);
	iotx509_certlist_free(issuer->chain);
	if (issuer->nc != NULL)
		gnutls_x509_name_constraints_deinit(issuer->nc);
	free(issuer);
}

/* 20 random octets, positive (top bit clear) and with a non-zero first
 * octet, so the DER INTEGER is always exactly 20 octets and never zero. */
static int random_serial(unsigned char serial[SERIAL_OCTETS])
{
	int ret = gnutls_rnd(GNUTLS_RND_NONCE, serial, SERIAL_OCTETS);

	if (ret < 0)
		return iox_error_gnutls(IOTX509_ECRYPTO, ret, "cannot generate a serial number");
	serial[0] &= 0x7f;
	if (serial[0] == 0)
		serial[0] = 0x01;
	return 0;
}

/* Refuse subject keys that no one should certify. */
static int check_subject_key(gnutls_pubkey_t pub)
{
	unsigned int bits = 0;
	gnutls_pk_algorithm_t pk = (gnutls_pk_algorithm_t)gnutls_pubkey_get_pk_algorithm(pub, &bits);

	if (iox_pk_family(pk) == IOTX509_ALG_UNKNOWN)
		return iox_error(IOTX509_EUNSUPPORTED, "subject key algorithm %s is not supported",
				 gnutls_pk_get_name(pk) ? gnutls_pk_get_name(pk) : "unknown");
	if (pk == GNUTLS_PK_RSA && bits < 2048)
		return iox_error(IOTX509_EUNSUPPORTED, "RSA subject keys under 2048 bits are refused (got %u)", bits);
	return 0;
}

static int check_options(const iotx509_issue_options *opts, iotx509_profile profile)
{
	if (opts->days > IOTX509_MAX_DAYS)
		return iox_error(IOTX509_EINVAL, "validity of %u days is more than the %u allowed", opts->days, IOTX509_MAX_DAYS);
	if (opts->at < 0)
		return iox_error(IOTX509_EINVAL, "issue options: negative time");
	if (opts->backdate_seconds > 7 * DAY)
		return iox_error(IOTX509_EINVAL, "backdating by more than 7 days is refused");
	if ((opts->flags & IOTX509_ISSUE_NO_BACKDATE) && opts->backdate_seconds != 0)
		return iox_error(IOTX509_EINVAL, "issue options: backdate_seconds %u given with IOTX509_ISSUE_NO_BACKDATE",
				 opts->backdate_seconds);
	/* A pathlen without has_pathlen is most likely the old -1 = none or a
	 * forgotten has_pathlen: refuse rather than guess. */
	if (!opts->has_pathlen && opts->pathlen != 0)
		return iox_error(IOTX509_EINVAL, "issue options: pathlen %d given without has_pathlen", opts->pathlen);
	if (opts->pathlen < 0 || opts->pathlen > 32)
		return iox_error(IOTX509_EINVAL, "pathlen %d is out of range (0 to 32)", opts->pathlen);
	if (opts->flags & ~(unsigned int)(IOTX509_ISSUE_STRICT_VALIDITY | IOTX509_ISSUE_NO_BACKDATE))
		return iox_error(IOTX509_EINVAL, "issue options: unknown flags 0x%x", opts->flags);
	if (profile != IOTX509_PROFILE_SERVER &&
	    (iotx509_strlist_count(opts->dns_names) || iotx509_strlist_count(opts->ip_addresses)))
		return iox_error(IOTX509_EINVAL, "subjectAltNames are only set on server certificates");
	if (profile == IOTX509_PROFILE_SERVER &&
	    iotx509_strlist_count(opts->dns_names) + iotx509_strlist_count(opts->ip_addresses) == 0)
		return iox_error(IOTX509_EINVAL, "a server certificate needs at least one DNS name or IP address");
	return 0;
}

/* Compute notBefore/notAfter and hold them inside the issuer's validity
 * (that the issuer is valid at all was checked first: iox_issue_precheck());
 * *@requested is the notAfter asked for when it was cut, else 0. */
static int compute_validity(int64_t *nb, int64_t *na, int64_t *requested, const iotx509_issue_options *opts,
			    iotx509_profile profile, const iotx509_cert *issuer)
{
	int64_t now = opts->at ? opts->at : (int64_t)time(NULL);
	unsigned int days = opts->days ? opts->days : profiles[profile].default_days;
	char t1[32], t2[32];

	*nb = now - (opts->flags & IOTX509_ISSUE_NO_BACKDATE ? 0
			    : opts->backdate_seconds ? (int64_t)opts->backdate_seconds : DEFAULT_BACKDATE);
	*na = now + (int64_t)days * DAY;
	*requested = 0;
	if (issuer == NULL)
		return 0;
	if (*na > issuer->not_after) {
		if (opts->flags & IOTX509_ISSUE_STRICT_VALIDITY) {
			iox_format_time(t1, sizeof(t1), *na);
			iox_format_time(t2, sizeof(t2), issuer->not_after);
			return iox_error(IOTX509_EVALIDITY,
					 "requested notAfter %s is later than the issuer's notAfter %s ('%s')", t1, t2,
					 issuer->subject_dn);
		}
		*requested = *na;
		*na = issuer->not_after;
	}
	if (*nb < issuer->not_before)
		*nb = issuer->not_before;
	return 0;
}

static int check_subject_name(iotx509_profile profile, const char *cn, const iotx509_issue_options *opts)
{
	switch (profile) {
	case IOTX509_PROFILE_DEVICE:
		return iox_id_validate(cn, opts->id_policy, IOTX509_ID_AS_CN);
	case IOTX509_PROFILE_VERIFICATION:
		return iotx509_id_validate_nonce(cn);
	default:
		return iox_check_cn(cn);
	}
}

/* The pathLenConstraint of a new CA, -1 for none. */
static int requested_pathlen(const iotx509_issue_options *opts, iotx509_profile profile)
{
	if (profile == IOTX509_PROFILE_EDGE_CA)
		return 0;
	return opts->has_pathlen ? opts->pathlen : -1;
}

int iox_issue_precheck(iotx509_profile profile, const iotx509_issuer *issuer, const char *cn,
		       const iotx509_issue_options *opts, int subject_checked)
{
	iotx509_issue_options copy;
	int ret;

	if (iox_opts_read(&copy, opts, &issue_opts_defaults, &issue_opts_type) < 0)
		return IOTX509_EINVAL;
	opts = &copy;
	if ((ret = check_options(opts, profile)) < 0 ||
	    (!subject_checked && (ret = check_subject_name(profile, cn, opts)) < 0))
		return ret;
	if (issuer == NULL)
		return 0;
	if (profiles[profile].is_ca) {
		int ipl = issuer->cert->pathlen;
		int want = requested_pathlen(opts, profile);

		if (ipl == 0)
			return iox_error(IOTX509_EPATHLEN,
					 "issuer '%s' has pathLenConstraint 0: it may not issue CA certificates",
					 issuer->cert->subject_dn);
		if (ipl > 0 && want >= ipl)
			return iox_error(IOTX509_EPATHLEN, "requested pathlen %d is not below the issuer's pathlen %d",
					 want, ipl);
	}
	return iox_cert_check_issuer_time(issuer->cert, opts->at ? opts->at : (int64_t)time(NULL), "issuer");
}

/* Set the profile's extensions; what was written goes into @hint (the
 * SubjectKeyIdentifier into @kid, which @hint points to). */
static int set_extensions(gnutls_x509_crt_t crt, iotx509_profile profile, gnutls_pubkey_t subject_pub,
			  const unsigned char *subject_kid, const iotx509_issuer *issuer, const iotx509_issue_options *opts,
			  unsigned char kid[64], iox_cert_hint *hint)
{
	size_t kid_len = 64;
	unsigned int ku;
	int ret, pathlen = -1;
	gnutls_pk_algorithm_t pk = (gnutls_pk_algorithm_t)gnutls_pubkey_get_pk_algorithm(subject_pub, NULL);

	if (profiles[profile].is_ca) {
		pathlen = requested_pathlen(opts, profile);
		ku = GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN | GNUTLS_KEY_DIGITAL_SIGNATURE;
		ret = gnutls_x509_crt_set_basic_constraints(crt, 1, pathlen);
	} else {
		ku = GNUTLS_KEY_DIGITAL_SIGNATURE;
		if (pk == GNUTLS_PK_RSA)
			ku |= GNUTLS_KEY_KEY_ENCIPHERMENT;
		ret = gnutls_x509_crt_set_basic_constraints(crt, 0, -1);
	}
	if (ret >= 0)
		ret = gnutls_x509_crt_set_key_usage(crt, ku);
	if (ret >= 0 && !profiles[profile].is_ca)
		ret = gnutls_x509_crt_set_key_purpose_oid(
			crt, profile == IOTX509_PROFILE_SERVER ? GNUTLS_KP_TLS_WWW_SERVER : GNUTLS_KP_TLS_WWW_CLIENT, 0);
	if (ret < 0)
		return iox_error_gnutls(IOTX509_ECRYPTO, ret, "cannot set the certificate extensions");

	if (subject_kid != NULL) {
		memcpy(kid, subject_kid, 20);
		kid_len = 20;
	} else if ((ret = key_id(kid, &kid_len, subject_pub)) < 0) {
		return ret;
	}
	if ((ret = gnutls_x509_crt_set_subject_key_id(crt, kid, kid_len)) < 0 ||
	    (issuer && (ret = gnutls_x509_crt_set_authority_key_id(crt, issuer->ski, issuer->ski_len)) < 0))
		return iox_error_gnutls(IOTX509_ECRYPTO, ret, "cannot set the key identifiers");
	hint->ext_known = 1;
	hint->gnutls_ku = ku;
	hint->eku = profiles[profile].is_ca ? 0
		    : profile == IOTX509_PROFILE_SERVER ? IOTX509_EKU_SERVER_AUTH : IOTX509_EKU_CLIENT_AUTH;
	hint->is_ca = profiles[profile].is_ca;
	hint->pathlen = profiles[profile].is_ca ? pathlen : -1;
	hint->ski = kid;
	hint->ski_len = kid_len;
	if (profile == IOTX509_PROFILE_SERVER)
		return iox_san_apply_crt(crt, opts->dns_names, opts->ip_addresses);
	return 0;
}

/* The name types GnuTLS's verification checks against name constraints,
 * in its order. */
static const struct {
	gnutls_x509_subject_alt_name_t type;
	const char *what, *label;
} nc_types[] = {
	{ GNUTLS_SAN_DNSNAME, "DNS names", "DNS" },
	{ GNUTLS_SAN_RFC822NAME, "e-mail addresses", "email" },
	{ GNUTLS_SAN_DN, "subject name", "directoryName" },
	{ GNUTLS_SAN_URI, "URIs", "URI" },
	{ GNUTLS_SAN_IPADDRESS, "IP addresses", "IP" },
};

/* One constraint as text: names (GnuTLS gives a directoryName as its DN
 * string) as they are, an IP range as address/prefix. */
static void constraint_text(char *out, size_t size, unsigned int type, const gnutls_datum_t *name)
{
	if (type == GNUTLS_SAN_IPADDRESS && (name->size == 8 || name->size == 32)) {
		char addr[INET6_ADDRSTRLEN] = "?";
		unsigned int i, half = name->size / 2, prefix = 0;

		inet_ntop(half == 4 ? AF_INET : AF_INET6, name->data, addr, sizeof(addr));
		for (i = half; i < name->size; i++)
			prefix += (unsigned int)__builtin_popcount(name->data[i]);
		snprintf(out, size, "%s/%u", addr, prefix);
	} else {
		snprintf(out, size, "%.*s", (int)name->size, (const char *)name->data);
	}
}

/* "excluded DNS: a, b; permitted DNS: c" for the constraints of one type. */
static void describe_constraints(char *out, size_t size, gnutls_x509_name_constraints_t nc, size_t t)
{
	size_t used = 0;
	int pass;

	out[0] = '\0';
	for (pass = 0; pass < 2; pass++) {
		unsigned int i, type, n = 0;
		gnutls_datum_t name;

		for (i = 0; (pass == 0 ? gnutls_x509_name_constraints_get_excluded(nc, i, &type, &name)
				       : gnutls_x509_name_constraints_get_permitted(nc, i, &type, &name)) >= 0;
		     i++) {
			char one[256];
			int w;

			if (type != (unsigned int)nc_types[t].type)
				continue;
			constraint_text(one, sizeof(one), type, &name);
			if (n++ == 0)
				w = snprintf(out + used, size - used, "%s%s %s: %s", used ? "; " : "",
					     pass == 0 ? "excluded" : "permitted", nc_types[t].label, one);
			else
				w = snprintf(out + used, size - used, ", %s", one);
			if (w < 0 || (size_t)w >= size - used)
				return;
			used += (size_t)w;
		}
	}
}

/* The issuer's nameConstraints against the names of the certificate being
 * made, as GnuTLS's verification will check them (end-entity certificates
 * only, as there). */
static int check_name_constraints(const iotx509_issuer *issuer, gnutls_x509_crt_t crt, iotx509_profile profile,
				  const char *cn, const iotx509_issue_options *opts)
{
	size_t t;

	if (issuer == NULL || issuer->nc == NULL || profiles[profile].is_ca)
		return 0;
	for (t = 0; t < sizeof(nc_types) / sizeof(nc_types[0]); t++) {
		char rules[600];

		if (gnutls_x509_name_constraints_check_crt(issuer->nc, nc_types[t].type, crt))
			continue;
		describe_constraints(rules, sizeof(rules), issuer->nc, t);
		return iox_error(IOTX509_ENAMECONSTRAINTS,
				 "the nameConstraints of issuer '%s' exclude the %s of the %s certificate '%s' (%s): "
				 "every verifier would reject it",
				 issuer->cert->subject_dn,
				 /* GnuTLS takes a server's CN for a DNS name when it has none. */
				 nc_types[t].type == GNUTLS_SAN_DNSNAME && iotx509_strlist_count(opts->dns_names) == 0 ? "CN (a DNS name here)"
												  : nc_types[t].what,
				 profiles[profile].name, cn,
				 rules[0] ? rules : "no name of that type is permitted");
	}
	return 0;
}

/*
 * The one issuance path. @issuer is NULL for self-signed certificates,
 * which are then signed by @self_key. @subject_key is the subject's key
 * handle when there is one (not for a CSR): its key identifiers are known.
 * @checked: iox_issue_precheck() passed already (the device ID is
 * validated once per issuance).
 */
static int issue(iotx509_cert **out, iotx509_profile profile, const iotx509_issuer *issuer, const iotx509_key *self_key,
		 const iotx509_key *subject_key, gnutls_pubkey_t subject_pub, const char *cn,
		 const iotx509_issue_options *opts, int checked)
{
	iox_cert_hint hint;
	unsigned char kid[64];
	iotx509_issue_options copy;
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t der = { NULL, 0 };
	unsigned char serial[SERIAL_OCTETS];
	const iotx509_key *signer = issuer ? issuer->key : self_key;
	int64_t nb, na, requested;
	int ret;

	if (out == NULL || cn == NULL || subject_pub == NULL || signer == NULL)
		return iox_error(IOTX509_EINVAL, "issue %s: NULL argument", profiles[profile].name);
	*out = NULL;
	/* Only the fields of the caller's version are read. */
	if (iox_opts_read(&copy, opts, &issue_opts_defaults, &issue_opts_type) < 0)
		return IOTX509_EINVAL;
	opts = &copy;
	if ((!checked && (ret = iox_issue_precheck(profile, issuer, cn, opts, 0)) < 0) ||
	    (ret = check_subject_key(subject_pub)) < 0)
		return ret;
	if ((ret = compute_validity(&nb, &na, &requested, opts, profile, issuer ? issuer->cert : NULL)) < 0 ||
	    (ret = random_serial(serial)) < 0)
		return ret;

	if ((ret = gnutls_x509_crt_init(&crt)) < 0)
		return iox_error_gnutls(IOTX509_ENOMEM, ret, "out of memory");
	if ((ret = gnutls_x509_crt_set_version(crt, 3)) < 0 ||
	    (ret = gnutls_x509_crt_set_serial(crt, serial, sizeof(serial))) < 0 ||
	    (ret = gnutls_x509_crt_set_activation_time(crt, (time_t)nb)) < 0 ||
	    (ret = gnutls_x509_crt_set_expiration_time(crt, (time_t)na)) < 0 ||
	    (ret = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn, (unsigned)strlen(cn))) < 0 ||
	    (ret = gnutls_x509_crt_set_pubkey(crt, subject_pub)) < 0) {
		ret = iox_error_gnutls(iox_code_from_gnutls(ret), ret, "cannot build the %s certificate",
				       profiles[profile].name);
		goto out;
	}
	memset(&hint, 0, sizeof(hint));
	if ((ret = set_extensions(crt, profile, subject_pub, subject_key ? subject_key->key_id : NULL, issuer, opts, kid,
				  &hint)) < 0)
		goto out;
	iox_key_sign_begin(signer);
	ret = gnutls_x509_crt_privkey_sign(crt, issuer ? issuer->cert->crt : crt, signer->priv,
					   iox_sign_digest(signer), 0);
	iox_key_sign_end(signer);
	if (ret < 0) {
		ret = iox_error_gnutls(IOTX509_ECRYPTO, ret, "cannot sign the %s certificate", profiles[profile].name);
		goto out;
	}
	if ((ret = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der)) < 0) {
		ret = iox_error_gnutls(IOTX509_ECRYPTO, ret, "cannot encode the %s certificate", profiles[profile].name);
		goto out;
	}
	if (issuer != NULL) {
		hint.issuer = issuer->cert;
		hint.aki = issuer->ski;
		hint.aki_len = issuer->ski_len;
	}
	hint.spki_sha256 = subject_key ? subject_key->spki_sha256 : NULL;
	hint.requested_not_after = requested;
	ret = iox_cert_from_der_hint(out, der.data, der.size, &hint);
	/* On the parsed result: GnuTLS reads some names from what it parsed. */
	if (ret == 0 && (ret = check_name_constraints(issuer, (*out)->crt, profile, cn, opts)) < 0) {
		iotx509_cert_free(*out);
		*out = NULL;
	}
out:
	gnutls_free(der.data);
	gnutls_x509_crt_deinit(crt);
	return ret;
}

#define NEED_KEY(k) \
	do { \
		if ((k) == NULL) \
			return iox_error(IOTX509_EINVAL, "issue: no subject key"); \
	} while (0)

iotx509_error_code iotx509_issue_root(iotx509_cert **out, const iotx509_key *key, const char *cn, const iotx509_issue_options *opts)
{
	NEED_KEY(key);
	return issue(out, IOTX509_PROFILE_ROOT, NULL, key, key, key->pub, cn, opts, 0);
}

iotx509_error_code iotx509_issue_intermediate(iotx509_cert **out, const iotx509_issuer *issuer, const iotx509_key *subject_key,
			       const char *cn, const iotx509_issue_options *opts)
{
	NEED_KEY(subject_key);
	if (issuer == NULL)
		return iox_error(IOTX509_EINVAL, "issue: no issuer");
	return issue(out, IOTX509_PROFILE_INTERMEDIATE, issuer, NULL, subject_key, subject_key->pub, cn, opts, 0);
}

iotx509_error_code iotx509_issue_edge_ca(iotx509_cert **out, const iotx509_issuer *issuer, const iotx509_key *subject_key,
			  const char *cn, const iotx509_issue_options *opts)
{
	NEED_KEY(subject_key);
	if (issuer == NULL)
		return iox_error(IOTX509_EINVAL, "issue: no issuer");
	return issue(out, IOTX509_PROFILE_EDGE_CA, issuer, NULL, subject_key, subject_key->pub, cn, opts, 0);
}

iotx509_error_code iotx509_issue_device(iotx509_cert **out, const iotx509_issuer *issuer, const iotx509_key *subject_key,
			 const char *device_id, const iotx509_issue_options *opts)
{
	NEED_KEY(subject_key);
	if (issuer == NULL)
		return iox_error(IOTX509_EINVAL, "issue: no issuer");
	return issue(out, IOTX509_PROFILE_DEVICE, issuer, NULL, subject_key, subject_key->pub, device_id, opts, 0);
}

iotx509_error_code iotx509_issue_device_self_signed(iotx509_cert **out, const iotx509_key *key, const char *device_id,
				     const iotx509_issue_options *opts)
{
	NEED_KEY(key);
	return issue(out, IOTX509_PROFILE_DEVICE, NULL, key, key, key->pub, device_id, opts, 0);
}

iotx509_error_code iotx509_issue_device_from_csr(iotx509_cert **out, const iotx509_issuer *issuer, const iotx509_csr *csr,
				  const iotx509_issue_options *opts)
{
	int ret, valid;

	if (out == NULL || issuer == NULL || csr == NULL)
		return iox_error(IOTX509_EINVAL, "issue from CSR: NULL argument");
	*out = NULL;
	if ((ret = iotx509_csr_verify(&valid, csr)) < 0)
		return ret;
	if (!valid)
		return IOTX509_ESIGNATURE; /* the message is set */
	if (csr->cn[0] == '\0')
		return iox_error(IOTX509_EDEVICEID, "the certificate request has no CN: it must carry the device ID");
	return issue(out, IOTX509_PROFILE_DEVICE, issuer, NULL, NULL, csr->pub, csr->cn, opts, 0);
}

iotx509_error_code iotx509_issue_verification(iotx509_cert **out, const iotx509_issuer *issuer, const iotx509_key *subject_key,
			       const char *nonce, const iotx509_issue_options *opts)
{
	NEED_KEY(subject_key);
	if (issuer == NULL)
		return iox_error(IOTX509_EINVAL, "issue: no issuer");
	return issue(out, IOTX509_PROFILE_VERIFICATION, issuer, NULL, subject_key, subject_key->pub, nonce, opts, 0);
}

iotx509_error_code iotx509_issue_server(iotx509_cert **out, const iotx509_issuer *issuer, const iotx509_key *subject_key,
			 const char *cn, const iotx509_issue_options *opts)
{
	NEED_KEY(subject_key);
	if (issuer == NULL)
		return iox_error(IOTX509_EINVAL, "issue: no issuer");
	return issue(out, IOTX509_PROFILE_SERVER, issuer, NULL, subject_key, subject_key->pub, cn, opts, 0);
}

int iox_issue_checked(iotx509_cert **out, iotx509_profile profile, const iotx509_issuer *issuer,
		      const iotx509_key *subject_key, const iotx509_csr *csr, const char *cn,
		      const iotx509_issue_options *opts)
{
	static const iotx509_issue_options defaults = IOTX509_ISSUE_OPTIONS_INIT;

	if (subject_key == NULL && csr == NULL)
		return iox_error(IOTX509_EINVAL, "issue: no subject key");
	return issue(out, profile, issuer, issuer ? NULL : subject_key, subject_key,
		     subject_key ? subject_key->pub : csr->pub, cn, opts ? opts : &defaults, 1);
}
