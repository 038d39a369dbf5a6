/*
 * Chain verification through a GnuTLS trust list, with the result mapped
 * to iotx509_verify_status and a message naming the certificate.
 */
#include "cert-internal.h"
#include "certlist-internal.h"
#include "chain-internal.h"
#include "verify-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_RECORDS 64

static const struct {
	const char *name, *text;
} statuses[] = {
	[IOTX509_VERIFY_OK] = { "ok", "the chain verifies" },
	[IOTX509_VERIFY_EXPIRED] = { "expired", "certificate expired" },
	[IOTX509_VERIFY_NOT_YET_VALID] = { "not-yet-valid", "certificate not yet valid" },
	[IOTX509_VERIFY_UNKNOWN_ISSUER] = { "unknown-issuer", "issuer unknown: the chain does not reach a trust anchor" },
	[IOTX509_VERIFY_BAD_SIGNATURE] = { "bad-signature", "signature does not verify" },
	[IOTX509_VERIFY_ISSUER_NOT_CA] = { "issuer-not-ca", "issuer is not a CA" },
	[IOTX509_VERIFY_PATHLEN_EXCEEDED] = { "pathlen-exceeded", "path length constraint exceeded" },
	[IOTX509_VERIFY_KEY_USAGE] = { "key-usage", "issuer key usage does not allow certificate signing" },
	[IOTX509_VERIFY_CLIENT_AUTH_MISSING] = { "client-auth-missing", "clientAuth extended key usage missing" },
	[IOTX509_VERIFY_INSECURE_ALGORITHM] = { "insecure-algorithm", "insecure algorithm or key size" },
	[IOTX509_VERIFY_UNKNOWN_CRITICAL_EXTENSION] = { "unknown-critical-extension",
							"unknown critical extension" },
	[IOTX509_VERIFY_CONSTRAINTS] = { "constraints", "issuer constraints not satisfied" },
	[IOTX509_VERIFY_INVALID] = { "invalid", "the chain is invalid" },
	[IOTX509_VERIFY_CHAIN_TOO_LONG] = { "chain-too-long", "the chain is longer than can be verified" },
	[IOTX509_VERIFY_NOT_LEAF_FIRST] = { "not-leaf-first", "the chain does not start with its leaf" },
};
#define N_STATUSES (sizeof(statuses) / sizeof(statuses[0]))

const char *iotx509_verify_status_description(iotx509_verify_status status)
{
	if ((unsigned int)status >= N_STATUSES)
		return "unknown verification status";
	return statuses[status].text;
}

const char *iotx509_verify_status_name(iotx509_verify_status status)
{
	if ((unsigned int)status >= N_STATUSES)
		return "unknown";
	return statuses[status].name;
}

IOX_OPTS_TYPE(verify_opts_type, "verify options", IOTX509_VERIFY_OPTIONS_VERSION, sizeof(iotx509_verify_options));
static const iotx509_verify_options verify_opts_defaults = IOTX509_VERIFY_OPTIONS_INIT;

iotx509_error_code iotx509_verify_options_init(iotx509_verify_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &verify_opts_defaults, &verify_opts_type);
}

/* What GnuTLS's output callback saw, one entry per certificate checked.
 * The callback has no user pointer, hence the thread-local collector. */
typedef struct {
	gnutls_x509_crt_t cert, issuer;
	unsigned int status;
} record_t;

static __thread struct {
	record_t rec[MAX_RECORDS];
	size_t n;
} collect;

static int collect_cb(gnutls_x509_crt_t cert, gnutls_x509_crt_t issuer, gnutls_x509_crl_t crl, unsigned int status)
{
	(void)crl;
	if (collect.n < MAX_RECORDS) {
		collect.rec[collect.n].cert = cert;
		collect.rec[collect.n].issuer = issuer;
		collect.rec[collect.n].status = status;
		collect.n++;
	}
	return 0;
}

typedef struct {
	const iotx509_certlist *chain, *anchors;
	int64_t at;
} vctx_t;

/* Our handle for a GnuTLS certificate seen by the callback (the chain's own
 * objects, or the trust list's copies of the anchors). */
static const iotx509_cert *lookup(const vctx_t *v, gnutls_x509_crt_t crt)
{
	size_t i;

	if (crt == NULL)
		return NULL;
	for (i = 0; i < v->chain->count; i++)
		if (v->chain->certs[i]->crt == crt || gnutls_x509_crt_equals(v->chain->certs[i]->crt, crt))
			return v->chain->certs[i];
	for (i = 0; i < v->anchors->count; i++)
		if (gnutls_x509_crt_equals(v->anchors->certs[i]->crt, crt))
			return v->anchors->certs[i];
	return NULL;
}

static int fail(iotx509_verify_status *out, iotx509_verify_status st, const char *fmt, ...) IOX_PRINTF(3, 4);

static int fail(iotx509_verify_status *out, iotx509_verify_status st, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	iox_error(IOTX509_EVERIFY, "%s", msg);
	*out = st;
	return 0;
}

/* The name of @c's signature algorithm, for messages. */
static const char *sig_name(const iotx509_cert *c)
{
	int algo = gnutls_x509_crt_get_signature_algorithm(c->crt);
	const char *name = algo >= 0 ? gnutls_sign_get_name((gnutls_sign_algorithm_t)algo) : NULL;

	return name ? name : "unknown";
}

/*
 * A pathLenConstraint failure: GnuTLS reports it on the certificate where
 * the allowance ran out, without naming the CA that set it. The records
 * before @idx are the path from the anchor down; find the first CA whose
 * pathLenConstraint is smaller than the number of CAs below it.
 */
static int map_pathlen(iotx509_verify_status *out, const vctx_t *v, size_t idx)
{
	const iotx509_cert *path[MAX_RECORDS + 1];
	size_t n = 0, i;

	if (idx >= collect.n)
		return 0;
	if (collect.rec[0].issuer != NULL && (path[n] = lookup(v, collect.rec[0].issuer)) != NULL)
		n++;
	for (i = 0; i <= idx; i++)
		if ((path[n] = lookup(v, collect.rec[i].cert)) != NULL)
			n++;
	for (i = 0; i + 1 < n; i++) {
		size_t below = n - i - 2; /* CAs between path[i] and the failing certificate */

		if (path[i]->is_ca && path[i]->pathlen >= 0 && below > (size_t)path[i]->pathlen)
			return fail(out, IOTX509_VERIFY_PATHLEN_EXCEEDED,
				    "CA '%s' allows %d intermediate CA(s) below it (pathLenConstraint), but the path to '%s' has %zu",
				    path[i]->subject_dn, path[i]->pathlen, path[n - 1]->subject_dn, below), 1;
	}
	return 0;
}

/* Turn the failing GnuTLS record @idx into a status and a message. */
static int map_record(iotx509_verify_status *out, const vctx_t *v, size_t idx, const record_t *r)
{
	const iotx509_cert *c = lookup(v, r->cert), *is = lookup(v, r->issuer);
	const char *cdn = c ? c->subject_dn : "(unknown certificate)";
	unsigned int s = r->status;

	if (s & GNUTLS_CERT_SIGNER_NOT_FOUND) {
		size_t i;
		int in_chain = 0;

		for (i = 0; c && i < v->chain->count; i++)
			if (v->chain->certs[i] != c && strcmp(v->chain->certs[i]->subject_dn, c->issuer_dn) == 0)
				in_chain = 1;
		return fail(out, IOTX509_VERIFY_UNKNOWN_ISSUER, "certificate '%s' is issued by '%s', which is %s", cdn,
			    c ? c->issuer_dn : "?",
			    in_chain ? "not among the trust anchors"
				     : "neither in the chain nor among the trust anchors (missing intermediate?)");
	}
	if (s & GNUTLS_CERT_INSECURE_ALGORITHM) {
		/* GnuTLS flags the certificate whose key, signature algorithm
		 * or issuer's key is too weak; say which. */
		if (c && c->pk == GNUTLS_PK_RSA && c->bits < 2048)
			return fail(out, IOTX509_VERIFY_INSECURE_ALGORITHM,
				    "certificate '%s' has a %u-bit RSA key (at least 2048 bits are required)", cdn,
				    c->bits);
		if (is && is->pk == GNUTLS_PK_RSA && is->bits < 2048)
			return fail(out, IOTX509_VERIFY_INSECURE_ALGORITHM,
				    "certificate '%s' is signed by '%s', whose %u-bit RSA key is too weak (at least 2048 bits are required)",
				    cdn, is->subject_dn, is->bits);
		return fail(out, IOTX509_VERIFY_INSECURE_ALGORITHM,
			    "certificate '%s' is signed with the insecure algorithm %s", cdn, c ? sig_name(c) : "?");
	}
	if (s & GNUTLS_CERT_SIGNATURE_FAILURE)
		return fail(out, IOTX509_VERIFY_BAD_SIGNATURE,
			    "the signature of certificate '%s' does not verify with the key of '%s'", cdn,
			    is ? is->subject_dn : (c ? c->issuer_dn : "?"));
	if (s & GNUTLS_CERT_SIGNER_NOT_CA)
		return fail(out, IOTX509_VERIFY_ISSUER_NOT_CA,
			    "certificate '%s' is issued by '%s', which is not a CA (basicConstraints CA:TRUE missing)",
			    cdn, is ? is->subject_dn : (c ? c->issuer_dn : "?"));
	if (s & GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE) {
		/* GnuTLS uses one bit for several issuer constraints; the
		 * certificates of the path tell which one applies. */
		if (is && is->has_ku && !(is->ku & IOTX509_KU_KEY_CERT_SIGN))
			return fail(out, IOTX509_VERIFY_KEY_USAGE,
				    "certificate '%s' is issued by '%s', whose keyUsage lacks keyCertSign", cdn,
				    is->subject_dn);
		if (map_pathlen(out, v, idx))
			return 0;
		return fail(out, IOTX509_VERIFY_CONSTRAINTS,
			    "certificate '%s' violates a constraint of its issuer%s%s%s (e.g. name constraints)", cdn,
			    is ? " '" : "", is ? is->subject_dn : "", is ? "'" : "");
	}
	if (s & GNUTLS_CERT_PURPOSE_MISMATCH)
		return fail(out, IOTX509_VERIFY_CLIENT_AUTH_MISSING,
			    "certificate '%s' has an extendedKeyUsage that does not allow clientAuth", cdn);
	if (s & GNUTLS_CERT_UNKNOWN_CRIT_EXTENSIONS) {
		char oids[300] = "";
		/* GnuTLS checks the certificate and its issuer: name the one at fault. */
		const iotx509_cert *bad = is && iox_cert_unknown_critical(is, oids, sizeof(oids)) ? is : c;

		if (bad == c && c)
			iox_cert_unknown_critical(c, oids, sizeof(oids));
		return fail(out, IOTX509_VERIFY_UNKNOWN_CRITICAL_EXTENSION,
			    "certificate '%s' has a critical extension GnuTLS does not support%s%s%s",
			    bad ? bad->subject_dn : cdn, oids[0] ? " (its critical extensions: " : "", oids,
			    oids[0] ? ")" : "");
	}
	{
		gnutls_datum_t txt = { NULL, 0 };

		gnutls_certificate_verification_status_print(s, GNUTLS_CRT_X509, &txt, 0);
		fail(out, IOTX509_VERIFY_INVALID, "certificate '%s' does not verify: %s", cdn,
		     txt.data ? (const char *)txt.data : "invalid");
		gnutls_free(txt.data);
		return 0;
	}
}

/* Dates of one certificate of the path. Returns 1 when it failed. */
static int check_time(iotx509_verify_status *out, const iotx509_cert *c, int64_t at, int anchor)
{
	char t1[32], t2[32];

	if (at > c->not_after) {
		iox_format_time(t1, sizeof(t1), c->not_after);
		iox_format_time(t2, sizeof(t2), at);
		fail(out, IOTX509_VERIFY_EXPIRED, "%scertificate '%s' expired at %s (checked at %s)",
		     anchor ? "trust anchor " : "", c->subject_dn, t1, t2);
		return 1;
	}
	if (at < c->not_before) {
		iox_format_time(t1, sizeof(t1), c->not_before);
		iox_format_time(t2, sizeof(t2), at);
		fail(out, IOTX509_VERIFY_NOT_YET_VALID, "%scertificate '%s' is not valid before %s (checked at %s)",
		     anchor ? "trust anchor " : "", c->subject_dn, t1, t2);
		return 1;
	}
	return 0;
}

/*
 * After GnuTLS accepted the path: the device check on the leaf, then the
 * dates of every certificate GnuTLS used (leaf first), then the anchor's.
 */
static void check_leaf_and_dates(iotx509_verify_status *out, const vctx_t *v, unsigned int flags)
{
	const iotx509_cert *leaf = v->chain->certs[0];
	size_t i, n = collect.n;

	if ((flags & IOTX509_VERIFY_DEVICE) && !(leaf->eku & IOTX509_EKU_CLIENT_AUTH)) {
		fail(out, IOTX509_VERIFY_CLIENT_AUTH_MISSING, "device certificate '%s' has no clientAuth extendedKeyUsage%s",
		     leaf->subject_dn, leaf->eku ? "" : " (no extendedKeyUsage extension at all)");
		return;
	}
	/* No records: the leaf itself is a trust anchor. */
	if (n == 0) {
		check_time(out, leaf, v->at, 0);
		return;
	}
	for (i = n; i > 0; i--) {
		const iotx509_cert *c = lookup(v, collect.rec[i - 1].cert);

		if (c && check_time(out, c, v->at, 0))
			return;
	}
	for (i = 0; i < n; i++) {
		const iotx509_cert *a = lookup(v, collect.rec[i].issuer);

		if (a && iox_certlist_find(v->anchors, a) >= 0) {
			check_time(out, a, v->at, 1);
			return;
		}
	}
}

static int run(iotx509_verify_status *out, const vctx_t *v, unsigned int flags)
{
	gnutls_x509_trust_list_t tl = NULL;
	gnutls_x509_crt_t *clist = NULL;
	gnutls_typed_vdata_st vdata[1];
	unsigned int nvdata = 0, status = 0, vflags;
	size_t i;
	int ret;

	if ((ret = gnutls_x509_trust_list_init(&tl, 0)) < 0)
		return iox_error_gnutls(IOTX509_ENOMEM, ret, "cannot create a trust list");
	/* The trust list owns what it is given: hand it copies. */
	for (i = 0; i < v->anchors->count; i++) {
		gnutls_x509_crt_t copy;
		const iotx509_cert *a = v->anchors->certs[i];

		if ((ret = gnutls_x509_crt_init(&copy)) < 0 ||
		    (ret = gnutls_x509_crt_import(copy, &a->der, GNUTLS_X509_FMT_DER)) < 0) {
			if (ret != GNUTLS_E_MEMORY_ERROR)
				gnutls_x509_crt_deinit(copy);
			gnutls_x509_trust_list_deinit(tl, 1);
			return iox_error_gnutls(iox_code_from_gnutls(ret), ret, "trust anchor '%s'", a->subject_dn);
		}
		if ((ret = gnutls_x509_trust_list_add_cas(tl, &copy, 1, 0)) < 0) {
			gnutls_x509_crt_deinit(copy);
			gnutls_x509_trust_list_deinit(tl, 1);
			return iox_error_gnutls(IOTX509_ECRYPTO, ret, "cannot add trust anchor '%s'", a->subject_dn);
		}
	}
	clist = calloc(v->chain->count, sizeof(*clist));
	if (clist == NULL) {
		gnutls_x509_trust_list_deinit(tl, 1);
		return iox_error(IOTX509_ENOMEM, "out of memory");
	}
	for (i = 0; i < v->chain->count; i++)
		clist[i] = v->chain->certs[i]->crt;
	if (flags & IOTX509_VERIFY_DEVICE) {
		vdata[0].type = GNUTLS_DT_KEY_PURPOSE_OID;
		vdata[0].data = (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT;
		vdata[0].size = 0;
		nvdata = 1;
	}
	/* Dates are ours (GnuTLS only knows the current clock); the MEDIUM
	 * profile (112-bit security) rejects RSA keys under 2048 bits, and
	 * GnuTLS refuses SHA-1 and MD5 certificate signatures by default. */
	vflags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
		 GNUTLS_PROFILE_TO_VFLAGS(GNUTLS_PROFILE_MEDIUM);
	collect.n = 0;
	ret = gnutls_x509_trust_list_verify_crt2(tl, clist, (unsigned int)v->chain->count, vdata, nvdata, vflags,
						 &status, collect_cb);
	*out = IOTX509_VERIFY_OK;
	if (ret == GNUTLS_E_MEMORY_ERROR) {
		*out = IOTX509_VERIFY_INVALID;
		ret = iox_error_gnutls(IOTX509_ENOMEM, ret, "chain verification of '%s' failed",
				       v->chain->certs[0]->subject_dn);
	} else if (ret < 0) {
		/* Whatever else GnuTLS cannot verify does not verify. */
		ret = fail(out, IOTX509_VERIFY_INVALID, "GnuTLS cannot verify the chain of '%s': %s",
			   v->chain->certs[0]->subject_dn, gnutls_strerror(ret));
	} else if (status != 0) {
		/* The first failing record is the one nearest the anchor. */
		for (i = 0; i < collect.n; i++)
			if (collect.rec[i].status & ~(unsigned int)GNUTLS_CERT_INVALID)
				break;
		if (i < collect.n)
			map_record(out, v, i, &collect.rec[i]);
		else {
			record_t r = { clist[0], NULL, status };

			map_record(out, v, collect.n, &r);
		}
	} else
		check_leaf_and_dates(out, v, flags);
	free(clist);
	gnutls_x509_trust_list_deinit(tl, 1);
	return ret;
}

int iox_cert_unknown_critical(const iotx509_cert *c, char *oids, size_t size)
{
	gnutls_x509_crt_t crt = c->crt;
	unsigned int status = 0, i;
	size_t used = 0;

	/* Verified alone, and not trusted for being its own CA, a certificate
	 * is the end of its chain, whose critical extensions GnuTLS always
	 * checks (as it checks every issuer's); only that bit matters here. */
	if (gnutls_x509_crt_verify(crt, &crt, 1,
				   GNUTLS_VERIFY_DO_NOT_ALLOW_SAME | GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
					   GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS | GNUTLS_VERIFY_ALLOW_BROKEN,
				   &status) < 0 ||
	    !(status & GNUTLS_CERT_UNKNOWN_CRIT_EXTENSIONS))
		return 0;
	for (i = 0; oids != NULL && size > 0; i++) {
		char oid[128];
		size_t osize = sizeof(oid);
		unsigned int critical = 0;
		int n;

		if (i == 0)
			oids[0] = '\0';
		if (gnutls_x509_crt_get_extension_info(crt, i, oid, &osize, &critical) < 0)
			break;
		if (!critical)
			continue;
		n = snprintf(oids + used, size - used, "%s%s", used ? ", " : "", oid);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	return 1;
}

/* A chain must start with its leaf: a first certificate that issued
 * another one of the chain is not the leaf, and GnuTLS would verify it in
 * the leaf's place (ignoring the leaf further down). */
static int leaf_not_first(iotx509_verify_status *out, const iotx509_certlist *chain)
{
	const iotx509_cert *first = chain->certs[0];
	size_t i;

	for (i = 1; i < chain->count; i++) {
		const iotx509_cert *c = chain->certs[i];

		if (c->self_signed || (c->der.size == first->der.size && memcmp(c->der.data, first->der.data, c->der.size) == 0))
			continue;
		if (iox_cert_check_issuer(c, first)) {
			fail(out, IOTX509_VERIFY_NOT_LEAF_FIRST,
			     "the chain does not start with its leaf: its first certificate '%s' issued certificate %zu, "
			     "'%s'; put the leaf first ('iotx509 chain' orders a chain)",
			     first->subject_dn, i + 1, c->subject_dn);
			return 1;
		}
	}
	return 0;
}

iotx509_error_code iotx509_chain_verify(iotx509_verify_status *out, const iotx509_certlist *chain, const iotx509_certlist *anchors,
			 const iotx509_verify_options *opts)
{
	iotx509_verify_options copy;
	vctx_t v;

	if (out == NULL || chain == NULL || anchors == NULL)
		return iox_error(IOTX509_EINVAL, "chain verify: NULL argument");
	*out = IOTX509_VERIFY_INVALID;
	/* Only the fields of the caller's version are read. */
	if (iox_opts_read(&copy, opts, &verify_opts_defaults, &verify_opts_type) < 0)
		return IOTX509_EINVAL;
	opts = &copy;
	if (opts->flags & ~(unsigned int)IOTX509_VERIFY_DEVICE)
		return iox_error(IOTX509_EINVAL, "chain verify: unknown flags 0x%x", opts->flags);
	if (chain->count == 0)
		return iox_error(IOTX509_EINVAL, "chain verify: the chain is empty");
	if (anchors->count == 0)
		return iox_error(IOTX509_EINVAL, "chain verify: no trust anchor given");
	iotx509_error_clear();
	/* GnuTLS 3.7 verifies at most 16 certificates (its internal arrays). */
	if (chain->count > IOTX509_CHAIN_MAX_DEPTH)
		return fail(out, IOTX509_VERIFY_CHAIN_TOO_LONG,
			    "the chain of '%s' has %zu certificates: at most %d can be verified (IOTX509_CHAIN_MAX_DEPTH)",
			    chain->certs[0]->subject_dn, chain->count, IOTX509_CHAIN_MAX_DEPTH);
	if (leaf_not_first(out, chain))
		return 0;
	v.chain = chain;
	v.anchors = anchors;
	v.at = opts->at ? opts->at : (int64_t)time(NULL);
	return run(out, &v, opts->flags);
}
