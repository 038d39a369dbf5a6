/*
 * Chain verification: every status of iotx509_verify_status, its message,
 * verification at a given time, and the foreign fixtures.
 *
 * Certificates the issuance API rightly refuses to make (a CA without
 * keyCertSign, SHA-1 signatures, RSA-1024, a CA under a pathlen-0 CA) are
 * crafted here directly with GnuTLS.
 */
#include "helpers.h"

#include <criterion/criterion.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define T0 TH_FIXTURE_TIME

/* ---- a small certificate crafter on GnuTLS ---------------------------- */

typedef struct {
	gnutls_x509_privkey_t key;
	gnutls_x509_crt_t crt;
	iotx509_cert *cert;
} ent;

typedef struct {
	int ca;        /* 1 CA:TRUE, 0 CA:FALSE, -1 no basicConstraints */
	int pathlen;   /* -1 none */
	int ku;        /* GnuTLS keyUsage bits, -1 no extension */
	const char *eku; /* one purpose OID or NULL */
	gnutls_digest_algorithm_t dig;
	gnutls_pk_algorithm_t pk;
	unsigned int bits;
	int64_t nb, na;
	const char *crit_oid; /* a critical extension (an ASN.1 NULL) under this OID, or NULL */
} craft_opts;

static craft_opts ca_opts(void)
{
	craft_opts o = { 1, -1, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN, NULL, GNUTLS_DIG_SHA256,
			 GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), T0 - DAY, T0 + 365 * DAY, NULL };
	return o;
}

static craft_opts leaf_opts(void)
{
	craft_opts o = ca_opts();

	o.ca = 0;
	o.ku = GNUTLS_KEY_DIGITAL_SIGNATURE;
	o.eku = GNUTLS_KP_TLS_WWW_CLIENT;
	return o;
}

static void craft(ent *e, const char *cn, const ent *issuer, const craft_opts *o)
{
	unsigned char serial[8], id[64];
	size_t id_size = sizeof(id);
	gnutls_datum_t der = { NULL, 0 };
	static unsigned int counter;

	cr_assert_eq(gnutls_x509_privkey_init(&e->key), 0);
	cr_assert_eq(gnutls_x509_privkey_generate(e->key, o->pk, o->bits, 0), 0, "keygen");
	cr_assert_eq(gnutls_x509_crt_init(&e->crt), 0);
	gnutls_x509_crt_set_version(e->crt, 3);
	memset(serial, 0, sizeof(serial));
	serial[0] = 0x11;
	serial[7] = (unsigned char)++counter;
	gnutls_x509_crt_set_serial(e->crt, serial, sizeof(serial));
	gnutls_x509_crt_set_activation_time(e->crt, (time_t)o->nb);
	gnutls_x509_crt_set_expiration_time(e->crt, (time_t)o->na);
	cr_assert_eq(gnutls_x509_crt_set_dn_by_oid(e->crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn, strlen(cn)), 0);
	cr_assert_eq(gnutls_x509_crt_set_key(e->crt, e->key), 0);
	if (o->ca >= 0)
		gnutls_x509_crt_set_basic_constraints(e->crt, (unsigned)o->ca, o->pathlen);
	if (o->ku >= 0)
		gnutls_x509_crt_set_key_usage(e->crt, (unsigned)o->ku);
	if (o->eku)
		gnutls_x509_crt_set_key_purpose_oid(e->crt, o->eku, 0);
	if (o->crit_oid)
		cr_assert_eq(gnutls_x509_crt_set_extension_by_oid(e->crt, o->crit_oid, "\x05\x00", 2, 1), 0);
	cr_assert_eq(gnutls_x509_privkey_get_key_id(e->key, GNUTLS_KEYID_USE_SHA1, id, &id_size), 0);
	gnutls_x509_crt_set_subject_key_id(e->crt, id, id_size);
	if (issuer) {
		id_size = sizeof(id);
		cr_assert_eq(gnutls_x509_crt_get_subject_key_id(issuer->crt, id, &id_size, NULL), 0);
		gnutls_x509_crt_set_authority_key_id(e->crt, id, id_size);
	}
	cr_assert_eq(gnutls_x509_crt_sign2(e->crt, issuer ? issuer->crt : e->crt, issuer ? issuer->key : e->key,
					   o->dig, 0),
		     0, "signing %s with %s", cn, gnutls_digest_get_name(o->dig));
	cr_assert_eq(gnutls_x509_crt_export2(e->crt, GNUTLS_X509_FMT_DER, &der), 0);
	cr_assert_eq(iotx509_cert_import(&e->cert, der.data, der.size), 0, "%s", th_err());
	gnutls_free(der.data);
}

static void ent_free(ent *e)
{
	iotx509_cert_free(e->cert);
	gnutls_x509_crt_deinit(e->crt);
	gnutls_x509_privkey_deinit(e->key);
}

/* Verify [a, b, c] against [anchor] at @at with @flags; returns the status. */
static iotx509_verify_status verify3(const iotx509_cert *a, const iotx509_cert *b, const iotx509_cert *c,
				     const iotx509_cert *anchor, int64_t at, unsigned int flags)
{
	iotx509_certlist *chain = th_certlist(a, b, c), *anchors = th_certlist(anchor, NULL, NULL);
	iotx509_verify_options vo = IOTX509_VERIFY_OPTIONS_INIT;
	iotx509_verify_status st = (iotx509_verify_status)-1;

	vo.at = at;
	vo.flags = flags;
	cr_assert_eq(iotx509_chain_verify(&st, chain, anchors, &vo), 0, "%s", th_err());
	iotx509_certlist_free(chain);
	iotx509_certlist_free(anchors);
	return st;
}

#define assert_msg(...)                                                                        \
	do {                                                                                   \
		const char *needles_[] = { __VA_ARGS__ };                                      \
		size_t i_;                                                                     \
		for (i_ = 0; i_ < sizeof(needles_) / sizeof(needles_[0]); i_++)                \
			cr_assert(strstr(th_err(), needles_[i_]) != NULL, "message '%s' lacks '%s'", \
				  th_err(), needles_[i_]);                                     \
	} while (0)

/* ---- a PKI made with the issuance API --------------------------------- */

typedef struct {
	iotx509_key *root_key, *int_key, *dev_key;
	iotx509_cert *root, *inter, *dev;
	iotx509_issuer *root_is, *int_is;
} pki;

static void pki_make(pki *p)
{
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;

	memset(p, 0, sizeof(*p));
	o.at = T0 - DAY;
	th_make_root(&p->root_key, &p->root, &p->root_is, "Test Root", T0 - DAY);
	cr_assert_eq(iotx509_key_generate(&p->int_key, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_intermediate(&p->inter, p->root_is, p->int_key, "Test Intermediate", &o), 0, "%s",
		     th_err());
	cr_assert_eq(iotx509_issuer_new(&p->int_is, p->inter, p->int_key), 0, "%s", th_err());
	cr_assert_eq(iotx509_key_generate(&p->dev_key, IOTX509_KEY_P256), 0);
	o.days = 30;
	cr_assert_eq(iotx509_issue_device(&p->dev, p->int_is, p->dev_key, "device-01", &o), 0, "%s", th_err());
}

static void pki_free(pki *p)
{
	iotx509_issuer_free(p->root_is);
	iotx509_issuer_free(p->int_is);
	iotx509_cert_free(p->root);
	iotx509_cert_free(p->inter);
	iotx509_cert_free(p->dev);
	iotx509_key_free(p->root_key);
	iotx509_key_free(p->int_key);
	iotx509_key_free(p->dev_key);
}

/* ---- tests ------------------------------------------------------------ */

Test(verify, valid_chain_verifies_as_device_at_given_time)
{
	pki p;

	pki_make(&p);
	cr_assert_eq(verify3(p.dev, p.inter, p.root, p.root, T0, IOTX509_VERIFY_DEVICE), IOTX509_VERIFY_OK, "%s",
		     th_err());
	/* Without the root in the chain, and in any order. */
	cr_assert_eq(verify3(p.dev, p.inter, NULL, p.root, T0, 0), IOTX509_VERIFY_OK, "%s", th_err());
	cr_assert_eq(verify3(p.dev, p.root, p.inter, p.root, T0, 0), IOTX509_VERIFY_OK, "%s", th_err());
	pki_free(&p);
}

Test(verify, intermediate_can_be_the_trust_anchor)
{
	pki p;

	pki_make(&p);
	cr_assert_eq(verify3(p.dev, NULL, NULL, p.inter, T0, IOTX509_VERIFY_DEVICE), IOTX509_VERIFY_OK, "%s",
		     th_err());
	pki_free(&p);
}

Test(verify, self_signed_device_trusted_directly)
{
	iotx509_key *k = NULL;
	iotx509_cert *c = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;

	o.at = T0;
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_device_self_signed(&c, k, "selfie", &o), 0, "%s", th_err());
	cr_assert_eq(verify3(c, NULL, NULL, c, T0 + DAY, IOTX509_VERIFY_DEVICE), IOTX509_VERIFY_OK, "%s", th_err());
	cr_assert_eq(verify3(c, NULL, NULL, c, T0 + 400 * (int64_t)DAY, 0), IOTX509_VERIFY_EXPIRED);
	assert_msg("CN=selfie", "expired");
	iotx509_cert_free(c);
	iotx509_key_free(k);
}

Test(verify, expired_leaf_named_with_dates)
{
	pki p;
	iotx509_verify_status st;

	pki_make(&p);
	st = verify3(p.dev, p.inter, NULL, p.root, T0 + 60 * DAY, 0);
	cr_assert_eq(st, IOTX509_VERIFY_EXPIRED, "status %d: %s", st, th_err());
	cr_assert_eq(iotx509_error_last_code(), IOTX509_EVERIFY);
	assert_msg("certificate 'CN=device-01' expired at", "checked at 2027-01-28T12:00:00Z");
	pki_free(&p);
}

Test(verify, expired_anchor_is_reported)
{
	ent root, leaf;
	craft_opts o = ca_opts();
	iotx509_verify_status st;

	o.na = T0 + DAY;
	craft(&root, "Short Root", NULL, &o);
	o = leaf_opts();
	craft(&leaf, "leaf", &root, &o);
	st = verify3(leaf.cert, NULL, NULL, root.cert, T0 + 2 * DAY, 0);
	cr_assert_eq(st, IOTX509_VERIFY_EXPIRED, "status %d: %s", st, th_err());
	assert_msg("trust anchor certificate 'CN=Short Root' expired");
	ent_free(&leaf);
	ent_free(&root);
}

Test(verify, not_yet_valid_before_not_before)
{
	pki p;
	iotx509_verify_status st;

	pki_make(&p);
	st = verify3(p.dev, p.inter, NULL, p.root, T0 - 10 * DAY, 0);
	cr_assert_eq(st, IOTX509_VERIFY_NOT_YET_VALID, "status %d: %s", st, th_err());
	assert_msg("'CN=device-01' is not valid before", "checked at");
	pki_free(&p);
}

Test(verify, unknown_issuer_when_anchor_is_another_root)
{
	pki p;
	iotx509_key *k = NULL;
	iotx509_cert *other = NULL;
	iotx509_verify_status st;

	pki_make(&p);
	th_make_root(&k, &other, NULL, "Other Root", T0 - DAY);
	st = verify3(p.dev, p.inter, p.root, other, T0, 0);
	cr_assert_eq(st, IOTX509_VERIFY_UNKNOWN_ISSUER, "status %d: %s", st, th_err());
	assert_msg("'CN=Test Intermediate' is issued by 'CN=Test Root', which is not among the trust anchors");
	/* Missing intermediate: the device's issuer cannot be found. */
	st = verify3(p.dev, NULL, NULL, p.root, T0, 0);
	cr_assert_eq(st, IOTX509_VERIFY_UNKNOWN_ISSUER, "status %d: %s", st, th_err());
	assert_msg("'CN=device-01' is issued by 'CN=Test Intermediate'", "neither in the chain nor among the trust anchors");
	iotx509_cert_free(other);
	iotx509_key_free(k);
	pki_free(&p);
}

Test(verify, bad_signature_names_certificate)
{
	pki p;
	iotx509_buf der = IOTX509_BUF_INIT;
	iotx509_cert *bad = NULL;
	iotx509_verify_status st;

	pki_make(&p);
	cr_assert_eq(iotx509_cert_export_der(&der, p.dev), 0);
	der.data[der.size - 5] ^= 0x55; /* inside the signature value */
	cr_assert_eq(iotx509_cert_import(&bad, der.data, der.size), 0, "%s", th_err());
	st = verify3(bad, p.inter, NULL, p.root, T0, 0);
	cr_assert_eq(st, IOTX509_VERIFY_BAD_SIGNATURE, "status %d: %s", st, th_err());
	assert_msg("signature of certificate 'CN=device-01' does not verify", "CN=Test Intermediate");
	iotx509_cert_free(bad);
	iotx509_buf_dispose(&der);
	pki_free(&p);
}

Test(verify, issuer_not_ca)
{
	ent root, notca, leaf;
	craft_opts o = ca_opts();
	iotx509_verify_status st;

	craft(&root, "Root", NULL, &o);
	o = leaf_opts();
	o.ku = GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_CERT_SIGN;
	craft(&notca, "not-a-ca", &root, &o);
	o = leaf_opts();
	craft(&leaf, "leaf", &notca, &o);
	st = verify3(leaf.cert, notca.cert, NULL, root.cert, T0, 0);
	cr_assert_eq(st, IOTX509_VERIFY_ISSUER_NOT_CA, "status %d: %s", st, th_err());
	assert_msg("'CN=leaf' is issued by 'CN=not-a-ca', which is not a CA");
	ent_free(&leaf);
	ent_free(&notca);
	ent_free(&root);
}

Test(verify, pathlen_exceeded)
{
	ent root, inter, leaf;
	craft_opts o = ca_opts();
	iotx509_verify_status st;

	o.pathlen = 0;
	craft(&root, "Root pathlen 0", NULL, &o);
	o = ca_opts();
	craft(&inter, "Intermediate", &root, &o);
	o = leaf_opts();
	craft(&leaf, "leaf", &inter, &o);
	st = verify3(leaf.cert, inter.cert, NULL, root.cert, T0, 0);
	cr_assert_eq(st, IOTX509_VERIFY_PATHLEN_EXCEEDED, "status %d: %s", st, th_err());
	assert_msg("pathLenConstraint", "CN=Root pathlen 0");
	ent_free(&leaf);
	ent_free(&inter);
	ent_free(&root);
}

Test(verify, issuer_key_usage_without_key_cert_sign)
{
	ent root, inter, leaf;
	craft_opts o = ca_opts();
	iotx509_verify_status st;

	craft(&root, "Root", NULL, &o);
	o = ca_opts();
	o.ku = GNUTLS_KEY_DIGITAL_SIGNATURE;
	craft(&inter, "No Cert Sign CA", &root, &o);
	o = leaf_opts();
	craft(&leaf, "leaf", &inter, &o);
	st = verify3(leaf.cert, inter.cert, NULL, root.cert, T0, 0);
	cr_assert_eq(st, IOTX509_VERIFY_KEY_USAGE, "status %d: %s", st, th_err());
	assert_msg("'CN=No Cert Sign CA'", "keyCertSign");
	ent_free(&leaf);
	ent_free(&inter);
	ent_free(&root);
}

Test(verify, device_check_requires_client_auth)
{
	pki p;
	iotx509_key *k = NULL;
	iotx509_cert *srv = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_strlist *dns = th_strlist("gw.example.com", NULL);
	ent root, noeku;
	craft_opts co = ca_opts();
	iotx509_verify_status st;

	pki_make(&p);
	o.at = T0 - DAY;
	o.dns_names = dns;
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_server(&srv, p.int_is, k, "gateway", &o), 0, "%s", th_err());
	/* serverAuth only: fine for a plain check, refused as a device. */
	cr_assert_eq(verify3(srv, p.inter, NULL, p.root, T0, 0), IOTX509_VERIFY_OK, "%s", th_err());
	st = verify3(srv, p.inter, NULL, p.root, T0, IOTX509_VERIFY_DEVICE);
	cr_assert_eq(st, IOTX509_VERIFY_CLIENT_AUTH_MISSING, "status %d: %s", st, th_err());
	assert_msg("'CN=gateway'", "clientAuth");

	/* No extendedKeyUsage at all. */
	craft(&root, "Root", NULL, &co);
	co = leaf_opts();
	co.eku = NULL;
	craft(&noeku, "no-eku", &root, &co);
	cr_assert_eq(verify3(noeku.cert, NULL, NULL, root.cert, T0, 0), IOTX509_VERIFY_OK, "%s", th_err());
	st = verify3(noeku.cert, NULL, NULL, root.cert, T0, IOTX509_VERIFY_DEVICE);
	cr_assert_eq(st, IOTX509_VERIFY_CLIENT_AUTH_MISSING, "status %d: %s", st, th_err());
	assert_msg("'CN=no-eku' has no clientAuth", "no extendedKeyUsage extension");
	ent_free(&noeku);
	ent_free(&root);
	iotx509_cert_free(srv);
	iotx509_key_free(k);
	pki_free(&p);
	iotx509_strlist_free(dns);
}

Test(verify, sha1_signature_is_insecure)
{
	ent root, leaf;
	craft_opts o = ca_opts();
	iotx509_verify_status st;

	o.pk = GNUTLS_PK_RSA;
	o.bits = 2048;
	craft(&root, "RSA Root", NULL, &o);
	o = leaf_opts();
	o.dig = GNUTLS_DIG_SHA1;
	craft(&leaf, "sha1-leaf", &root, &o);
	st = verify3(leaf.cert, NULL, NULL, root.cert, T0, 0);
	cr_assert_eq(st, IOTX509_VERIFY_INSECURE_ALGORITHM, "status %d: %s", st, th_err());
	assert_msg("'CN=sha1-leaf'", "SHA1");
	ent_free(&leaf);
	ent_free(&root);
}

Test(verify, sha1_self_signature_of_the_anchor_is_not_used)
{
	ent root, leaf;
	craft_opts o = ca_opts();
	iotx509_verify_status st;

	o.pk = GNUTLS_PK_RSA;
	o.bits = 2048;
	o.dig = GNUTLS_DIG_SHA1;
	craft(&root, "Old SHA-1 Root", NULL, &o);
	o = leaf_opts();
	craft(&leaf, "modern-leaf", &root, &o);
	st = verify3(leaf.cert, root.cert, NULL, root.cert, T0, 0);
	cr_assert_eq(st, IOTX509_VERIFY_OK, "status %d: %s", st, th_err());
	ent_free(&leaf);
	ent_free(&root);
}

Test(verify, md5_signature_is_insecure)
{
	ent root, leaf;
	craft_opts o = ca_opts();
	iotx509_verify_status st;

	o.pk = GNUTLS_PK_RSA;
	o.bits = 2048;
	craft(&root, "RSA Root", NULL, &o);
	o = leaf_opts();
	o.dig = GNUTLS_DIG_MD5;
	craft(&leaf, "md5-leaf", &root, &o);
	st = verify3(leaf.cert, NULL, NULL, root.cert, T0, 0);
	cr_assert_eq(st, IOTX509_VERIFY_INSECURE_ALGORITHM, "status %d: %s", st, th_err());
	assert_msg("'CN=md5-leaf'", "MD5");
	ent_free(&leaf);
	ent_free(&root);
}

Test(verify, rsa1024_key_is_insecure)
{
	ent root, leaf;
	craft_opts o = ca_opts();
	iotx509_verify_status st;

	craft(&root, "Root", NULL, &o);
	o = leaf_opts();
	o.pk = GNUTLS_PK_RSA;
	o.bits = 1024;
	craft(&leaf, "weak-leaf", &root, &o);
	st = verify3(leaf.cert, NULL, NULL, root.cert, T0, 0);
	cr_assert_eq(st, IOTX509_VERIFY_INSECURE_ALGORITHM, "status %d: %s", st, th_err());
	assert_msg("'CN=weak-leaf'", "1024-bit RSA");
	ent_free(&leaf);
	ent_free(&root);
}

Test(verify, rsa1024_issuer_is_insecure)
{
	ent root, leaf;
	craft_opts o = ca_opts();
	iotx509_verify_status st;

	o.pk = GNUTLS_PK_RSA;
	o.bits = 1024;
	craft(&root, "Weak Root", NULL, &o);
	o = leaf_opts();
	craft(&leaf, "leaf", &root, &o);
	st = verify3(leaf.cert, NULL, NULL, root.cert, T0, 0);
	cr_assert_eq(st, IOTX509_VERIFY_INSECURE_ALGORITHM, "status %d: %s", st, th_err());
	assert_msg("CN=Weak Root", "1024-bit RSA");
	ent_free(&leaf);
	ent_free(&root);
}

#define CRIT_OID "1.3.6.1.4.1.55555.1"

Test(verify, unknown_critical_extension_names_the_certificate_that_has_it)
{
	ent root, crit_root, inter, leaf, leaf2;
	craft_opts o = ca_opts();
	iotx509_verify_status st;

	craft(&root, "Root", NULL, &o);
	o.crit_oid = CRIT_OID;
	craft(&inter, "Crit Int", &root, &o);
	craft(&crit_root, "Crit Root", NULL, &o);
	o = leaf_opts();
	craft(&leaf, "leaf", &inter, &o);
	craft(&leaf2, "leaf2", &crit_root, &o);
	/* GnuTLS flags the leaf's record; the extension is its issuer's. */
	st = verify3(leaf.cert, inter.cert, NULL, root.cert, T0, 0);
	cr_assert_eq(st, IOTX509_VERIFY_UNKNOWN_CRITICAL_EXTENSION, "status %d: %s", st, th_err());
	assert_msg("certificate 'CN=Crit Int' has a critical extension GnuTLS does not support", CRIT_OID);
	/* Also when the CA is the trust anchor. */
	st = verify3(leaf2.cert, NULL, NULL, crit_root.cert, T0, 0);
	cr_assert_eq(st, IOTX509_VERIFY_UNKNOWN_CRITICAL_EXTENSION, "status %d: %s", st, th_err());
	assert_msg("certificate 'CN=Crit Root' has a critical extension", CRIT_OID);
	ent_free(&leaf2);
	ent_free(&leaf);
	ent_free(&crit_root);
	ent_free(&inter);
	ent_free(&root);
}

Test(verify, chain_longer_than_the_limit_is_a_status)
{
	ent e[IOTX509_CHAIN_MAX_DEPTH + 1];
	craft_opts o = ca_opts();
	iotx509_certlist *chain = NULL, *anchors;
	iotx509_verify_status st;
	size_t i, n = IOTX509_CHAIN_MAX_DEPTH + 1; /* e[0] the root ... e[16] the leaf */
	char cn[32];

	for (i = 0; i < n; i++) {
		if (i + 1 == n)
			o = leaf_opts();
		snprintf(cn, sizeof(cn), "level-%zu", i);
		craft(&e[i], cn, i ? &e[i - 1] : NULL, &o);
	}
	anchors = th_certlist(e[0].cert, NULL, NULL);
	cr_assert_eq(iotx509_certlist_new(&chain), 0);
	/* The leaf and every CA but the root: 16, as many as can be verified. */
	for (i = n; i-- > 1;)
		cr_assert_eq(iotx509_certlist_add(chain, e[i].cert), 0);
	cr_assert_eq(iotx509_certlist_count(chain), IOTX509_CHAIN_MAX_DEPTH);
	cr_assert_eq(iotx509_chain_verify(&st, chain, anchors, NULL), 0, "%s", th_err());
	cr_assert_eq(st, IOTX509_VERIFY_OK, "status %d: %s", st, th_err());
	/* With the root too: one more than the limit, a status with a message. */
	cr_assert_eq(iotx509_certlist_add(chain, e[0].cert), 0);
	cr_assert_eq(iotx509_chain_verify(&st, chain, anchors, NULL), 0, "%s", th_err());
	cr_assert_eq(st, IOTX509_VERIFY_CHAIN_TOO_LONG);
	cr_assert_eq(iotx509_error_last_code(), IOTX509_EVERIFY);
	assert_msg("'CN=level-16' has 17 certificates: at most 16 can be verified (IOTX509_CHAIN_MAX_DEPTH)");
	iotx509_certlist_free(chain);
	iotx509_certlist_free(anchors);
	for (i = 0; i < n; i++)
		ent_free(&e[i]);
}

Test(verify, the_leaf_must_come_first)
{
	pki p;
	iotx509_certlist *anchors;
	iotx509_verify_status st;

	pki_make(&p);
	anchors = th_certlist(p.root, NULL, NULL);
	/* The intermediate first, the device after it: not the device's chain. */
	st = verify3(p.inter, p.dev, NULL, p.root, T0, 0);
	cr_assert_eq(st, IOTX509_VERIFY_NOT_LEAF_FIRST, "status %d: %s", st, th_err());
	cr_assert_eq(iotx509_error_last_code(), IOTX509_EVERIFY);
	assert_msg("does not start with its leaf", "'CN=Test Intermediate' issued certificate 2, 'CN=device-01'");
	st = verify3(p.root, p.inter, p.dev, p.root, T0, 0);
	cr_assert_eq(st, IOTX509_VERIFY_NOT_LEAF_FIRST, "status %d: %s", st, th_err());
	assert_msg("'CN=Test Root' issued certificate 2, 'CN=Test Intermediate'");
	/* Leaf first, the others in any order, a repeated leaf: fine. */
	cr_assert_eq(verify3(p.dev, p.root, p.inter, p.root, T0, 0), IOTX509_VERIFY_OK, "%s", th_err());
	cr_assert_eq(verify3(p.dev, p.inter, p.dev, p.root, T0, 0), IOTX509_VERIFY_OK, "%s", th_err());
	/* A CA verified on its own, with its root after it. */
	cr_assert_eq(verify3(p.inter, p.root, NULL, p.root, T0, 0), IOTX509_VERIFY_OK, "%s", th_err());
	iotx509_certlist_free(anchors);
	pki_free(&p);
}

/* ---- the foreign fixtures --------------------------------------------- */

static iotx509_certlist *load_list(const char *path)
{
	iotx509_certlist *l = NULL;

	cr_assert_eq(iotx509_certlist_new(&l), 0);
	cr_assert_eq(iotx509_certlist_add_path(l, path), 0, "%s", th_err());
	return l;
}

Test(verify, fixture_fullchains_verify_at_fixture_time)
{
	static const char *const files[] = {
		"create_test_cert/sampleDevice01_fullchain.pem",
		"create_test_cert/myintermediate_fullchain.pem",
		"create_test_cert/verification_fullchain.pem",
	};
	iotx509_certlist *anchors = load_list(th_fixture("create_test_cert/mytestrootcert_cert.pem"));
	iotx509_verify_options vo = IOTX509_VERIFY_OPTIONS_INIT;
	size_t i;

	vo.at = TH_FIXTURE_TIME;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		iotx509_certlist *chain = load_list(th_fixture(files[i]));
		iotx509_verify_status st = (iotx509_verify_status)-1;

		cr_assert_eq(iotx509_chain_verify(&st, chain, anchors, &vo), 0, "%s", th_err());
		cr_assert_eq(st, IOTX509_VERIFY_OK, "%s: %s", files[i], th_err());
		iotx509_certlist_free(chain);
	}
	iotx509_certlist_free(anchors);
}

Test(verify, fixture_device_is_a_device_at_fixture_time_and_expired_later)
{
	iotx509_certlist *anchors = load_list(th_fixture("create_test_cert/mytestrootcert_cert.pem"));
	iotx509_certlist *chain = load_list(th_fixture("create_test_cert/sampleDevice01_fullchain.pem"));
	iotx509_verify_options vo = IOTX509_VERIFY_OPTIONS_INIT;
	iotx509_verify_status st;

	vo.at = TH_FIXTURE_TIME;
	vo.flags = IOTX509_VERIFY_DEVICE;
	cr_assert_eq(iotx509_chain_verify(&st, chain, anchors, &vo), 0);
	cr_assert_eq(st, IOTX509_VERIFY_OK, "%s", th_err());
	vo.at = TH_FIXTURE_TIME + 3 * DAY;
	cr_assert_eq(iotx509_chain_verify(&st, chain, anchors, &vo), 0);
	cr_assert_eq(st, IOTX509_VERIFY_EXPIRED, "%s", th_err());
	assert_msg("'CN=sample-device-01' expired at 2026-11-30");
	iotx509_certlist_free(chain);
	iotx509_certlist_free(anchors);
}

Test(verify, certgen_device_verifies_through_chain_file)
{
	iotx509_certlist *anchors = load_list(th_fixture("certgen_sh/azure-iot-test-only.root.ca.cert.pem"));
	iotx509_certlist *chain = load_list(th_fixture("certgen_sh/new-device.cert.pem"));
	iotx509_verify_options vo = IOTX509_VERIFY_OPTIONS_INIT;
	iotx509_verify_status st;

	cr_assert_eq(iotx509_certlist_add_path(chain, th_fixture("certgen_sh/azure-iot-test-only.chain.ca.cert.pem")), 0,
		     "%s", th_err());
	vo.at = TH_FIXTURE_TIME;
	vo.flags = IOTX509_VERIFY_DEVICE;
	cr_assert_eq(iotx509_chain_verify(&st, chain, anchors, &vo), 0);
	cr_assert_eq(st, IOTX509_VERIFY_OK, "%s", th_err());
	iotx509_certlist_free(chain);
	iotx509_certlist_free(anchors);
}

Test(verify, create_test_cert_device_is_not_trusted_by_certgen_root)
{
	iotx509_certlist *anchors = load_list(th_fixture("certgen_sh/azure-iot-test-only.root.ca.cert.pem"));
	iotx509_certlist *chain = load_list(th_fixture("create_test_cert/sampleDevice01_fullchain.pem"));
	iotx509_verify_options vo = IOTX509_VERIFY_OPTIONS_INIT;
	iotx509_verify_status st;

	vo.at = TH_FIXTURE_TIME;
	cr_assert_eq(iotx509_chain_verify(&st, chain, anchors, &vo), 0);
	cr_assert_eq(st, IOTX509_VERIFY_UNKNOWN_ISSUER, "%s", th_err());
	assert_msg("CN=mytestrootcert");
	iotx509_certlist_free(chain);
	iotx509_certlist_free(anchors);
}

/* ---- arguments and names ---------------------------------------------- */

Test(verify, rejects_bad_arguments)
{
	pki p;
	iotx509_certlist *chain, *anchors, *empty = NULL;
	iotx509_verify_options vo = IOTX509_VERIFY_OPTIONS_INIT;
	iotx509_verify_status st;

	pki_make(&p);
	chain = th_certlist(p.dev, p.inter, NULL);
	anchors = th_certlist(p.root, NULL, NULL);
	cr_assert_eq(iotx509_certlist_new(&empty), 0);
	cr_assert_eq(iotx509_chain_verify(NULL, chain, anchors, NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_chain_verify(&st, NULL, anchors, NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_chain_verify(&st, chain, NULL, NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_chain_verify(&st, empty, anchors, NULL), IOTX509_EINVAL);
	assert_msg("the chain is empty");
	cr_assert_eq(iotx509_chain_verify(&st, chain, empty, NULL), IOTX509_EINVAL);
	assert_msg("no trust anchor");
	vo.version = 99;
	cr_assert_eq(iotx509_chain_verify(&st, chain, anchors, &vo), IOTX509_EINVAL);
	vo.version = IOTX509_VERIFY_OPTIONS_VERSION;
	vo.flags = 0x100;
	cr_assert_eq(iotx509_chain_verify(&st, chain, anchors, &vo), IOTX509_EINVAL);
	cr_assert_eq(iotx509_verify_options_init(&vo, 99), IOTX509_EINVAL);
	cr_assert_eq(iotx509_verify_options_init(&vo, IOTX509_VERIFY_OPTIONS_VERSION), 0);
	cr_assert_eq(vo.at, 0);
	cr_assert_eq(vo.flags, 0);
	/* NULL options: now, which is after the PKI's start. */
	cr_assert_eq(iotx509_chain_verify(&st, chain, anchors, NULL), 0);
	iotx509_certlist_free(empty);
	iotx509_certlist_free(chain);
	iotx509_certlist_free(anchors);
	pki_free(&p);
}

Test(verify, every_status_has_a_name_and_text)
{
	int s;

	for (s = IOTX509_VERIFY_OK; s <= IOTX509_VERIFY_NOT_LEAF_FIRST; s++) {
		cr_assert_not_null(iotx509_verify_status_name((iotx509_verify_status)s), "status %d", s);
		cr_assert_str_neq(iotx509_verify_status_description((iotx509_verify_status)s), "unknown verification status");
	}
	cr_assert_str_eq(iotx509_verify_status_name(IOTX509_VERIFY_EXPIRED), "expired");
	cr_assert_str_eq(iotx509_verify_status_name(IOTX509_VERIFY_CLIENT_AUTH_MISSING), "client-auth-missing");
	cr_assert_str_eq(iotx509_verify_status_name(IOTX509_VERIFY_CHAIN_TOO_LONG), "chain-too-long");
	cr_assert_str_eq(iotx509_verify_status_name(IOTX509_VERIFY_NOT_LEAF_FIRST), "not-leaf-first");
	cr_assert_str_eq(iotx509_verify_status_name((iotx509_verify_status)99), "unknown");
	cr_assert_str_eq(iotx509_verify_status_description((iotx509_verify_status)99), "unknown verification status");
}

Test(verify, zero_filled_options_are_the_defaults)
{
	pki p;
	iotx509_verify_options z, init = IOTX509_VERIFY_OPTIONS_INIT;
	iotx509_certlist *chain, *anchors;
	iotx509_verify_status sa = (iotx509_verify_status)-1, sb = (iotx509_verify_status)-2;
	static const int64_t when[] = { T0, T0 + 40 * DAY };
	size_t i;

	pki_make(&p);
	chain = th_certlist(p.dev, p.inter, NULL);
	anchors = th_certlist(p.root, NULL, NULL);
	TH_ZERO_OPTIONS(z, IOTX509_VERIFY_OPTIONS_VERSION);
	for (i = 0; i < 2; i++) {
		z.at = init.at = when[i];
		cr_assert_eq(iotx509_chain_verify(&sa, chain, anchors, &z), 0, "%s", th_err());
		cr_assert_eq(iotx509_chain_verify(&sb, chain, anchors, &init), 0, "%s", th_err());
		cr_assert_eq(sa, sb, "at %zu", i);
	}
	cr_assert_eq(sa, IOTX509_VERIFY_EXPIRED, "the 30-day device, 40 days on");
	TH_CHECK_OPTIONS_INIT(iotx509_verify_options, iotx509_verify_options_init, IOTX509_VERIFY_OPTIONS_VERSION, "verify options",
			      IOTX509_VERIFY_OPTIONS_INIT);
	iotx509_certlist_free(chain);
	iotx509_certlist_free(anchors);
	pki_free(&p);
}

Test(verify, options_versions_1_to_current)
{
	pki p;
	iotx509_verify_options o = IOTX509_VERIFY_OPTIONS_INIT;
	iotx509_certlist *chain, *anchors;
	iotx509_verify_status st;

	pki_make(&p);
	chain = th_certlist(p.dev, p.inter, NULL);
	anchors = th_certlist(p.root, NULL, NULL);
	o.version = 1;
	o.at = T0;
	cr_assert_eq(iotx509_chain_verify(&st, chain, anchors, &o), 0, "%s", th_err());
	cr_assert_eq(st, IOTX509_VERIFY_OK);
	o.version = 0;
	th_version_refused(iotx509_chain_verify(&st, chain, anchors, &o), 0);
	o.version = IOTX509_VERIFY_OPTIONS_VERSION + 1;
	th_version_refused(iotx509_chain_verify(&st, chain, anchors, &o), IOTX509_VERIFY_OPTIONS_VERSION + 1);
	iotx509_certlist_free(chain);
	iotx509_certlist_free(anchors);
	pki_free(&p);
}
