/*
 * Chain building from unordered pools: order, missing issuers, loops,
 * duplicates, several candidates, the limits (depth, signature checks over
 * pools of look-alike CAs), the foreign fixtures, and openssl.
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "helpers.h"

#include <criterion/criterion.h>
#include <dlfcn.h>
#include <stdio.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define T0 TH_FIXTURE_TIME

static void assert_msg_has(const char *needle)
{
	cr_assert(strstr(th_err(), needle) != NULL, "message '%s' lacks '%s'", th_err(), needle);
}

static iotx509_certlist *new_list(void)
{
	iotx509_certlist *l = NULL;

	cr_assert_eq(iotx509_certlist_new(&l), 0);
	return l;
}

static void add(iotx509_certlist *l, const iotx509_cert *c)
{
	cr_assert_eq(iotx509_certlist_add(l, c), 0, "%s", th_err());
}

static void assert_chain(const iotx509_certlist *chain, const char *const *cns, size_t n)
{
	size_t i;

	cr_assert_eq(iotx509_certlist_count(chain), n, "chain has %zu certificates, expected %zu",
		     iotx509_certlist_count(chain), n);
	for (i = 0; i < n; i++)
		cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_certlist_get(chain, i)), cns[i], "position %zu", i);
}

/* root -> int1 -> int2 -> leaf, all issued at T0 - 1 day. */
typedef struct {
	iotx509_key *k[4];
	iotx509_cert *root, *int1, *int2, *leaf;
	iotx509_issuer *is[3];
} pki;

static void pki_make(pki *p, int64_t now)
{
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	int i;

	memset(p, 0, sizeof(*p));
	o.at = now;
	for (i = 1; i < 4; i++)
		cr_assert_eq(iotx509_key_generate(&p->k[i], IOTX509_KEY_P256), 0);
	th_make_root(&p->k[0], &p->root, &p->is[0], "Chain Root", now);
	cr_assert_eq(iotx509_issue_intermediate(&p->int1, p->is[0], p->k[1], "Chain Int 1", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issuer_new(&p->is[1], p->int1, p->k[1]), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_intermediate(&p->int2, p->is[1], p->k[2], "Chain Int 2", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issuer_new(&p->is[2], p->int2, p->k[2]), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_device(&p->leaf, p->is[2], p->k[3], "chain-leaf", &o), 0, "%s", th_err());
}

static void pki_free(pki *p)
{
	int i;

	for (i = 0; i < 3; i++)
		iotx509_issuer_free(p->is[i]);
	for (i = 0; i < 4; i++)
		iotx509_key_free(p->k[i]);
	iotx509_cert_free(p->root);
	iotx509_cert_free(p->int1);
	iotx509_cert_free(p->int2);
	iotx509_cert_free(p->leaf);
}

static const char *const FULL[] = { "chain-leaf", "Chain Int 2", "Chain Int 1", "Chain Root" };

static iotx509_certlist *build(const iotx509_cert *leaf, const iotx509_certlist *pool,
			       const iotx509_certlist *anchors, unsigned int flags, int64_t at, int expect)
{
	iotx509_chain_options co = IOTX509_CHAIN_OPTIONS_INIT;
	iotx509_certlist *chain = NULL;
	int ret;

	co.anchors = anchors;
	co.flags = flags;
	co.at = at ? at : T0;
	ret = iotx509_chain_build(&chain, leaf, pool, &co);
	cr_assert_eq(ret, expect, "chain build returned %d: %s", ret, th_err());
	if (expect != 0)
		cr_assert_null(chain);
	return chain;
}

Test(chain, any_pool_order_gives_leaf_to_root)
{
	pki p;
	const iotx509_cert *certs[3];
	static const int perms[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };
	int i, j;

	pki_make(&p, T0 - DAY);
	certs[0] = p.root;
	certs[1] = p.int1;
	certs[2] = p.int2;
	for (i = 0; i < 6; i++) {
		iotx509_certlist *pool = new_list(), *chain;

		for (j = 0; j < 3; j++)
			add(pool, certs[perms[i][j]]);
		chain = build(p.leaf, pool, NULL, 0, 0, 0);
		assert_chain(chain, FULL, 4);
		iotx509_certlist_free(chain);
		iotx509_certlist_free(pool);
	}
	pki_free(&p);
}

Test(chain, no_root_flag_omits_the_self_signed_root)
{
	pki p;
	iotx509_certlist *pool = new_list(), *chain;

	pki_make(&p, T0 - DAY);
	add(pool, p.root);
	add(pool, p.int2);
	add(pool, p.int1);
	chain = build(p.leaf, pool, NULL, IOTX509_CHAIN_NO_ROOT, 0, 0);
	assert_chain(chain, FULL, 3);
	iotx509_certlist_free(chain);
	iotx509_certlist_free(pool);
	pki_free(&p);
}

Test(chain, pool_from_bundles_der_files_and_directories)
{
	pki p;
	char *dir = th_tmpdir(), *sub = th_path(dir, "cas"), *bundle = th_path(dir, "bundle.pem");
	char *rootder = th_path(dir, "root.der");
	iotx509_certlist *pool = new_list(), *both = new_list(), *chain;
	iotx509_buf der = IOTX509_BUF_INIT;

	pki_make(&p, T0 - DAY);
	cr_assert_eq(th_run(NULL, "mkdir '%s'", sub), 0);
	/* A bundle with int2 and the leaf itself, a DER root, int1 in a directory. */
	add(both, p.int2);
	add(both, p.leaf);
	cr_assert_eq(iotx509_certlist_save(both, bundle, NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_cert_export_der(&der, p.root), 0);
	th_write(rootder, der.data, der.size);
	free(th_save_cert(sub, "int1.crt", p.int1));
	cr_assert_eq(iotx509_certlist_add_path(pool, bundle), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_add_path(pool, rootder), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_add_path(pool, sub), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_count(pool), 4);
	chain = build(p.leaf, pool, NULL, 0, 0, 0);
	assert_chain(chain, FULL, 4);
	iotx509_certlist_free(chain);
	iotx509_buf_dispose(&der);
	iotx509_certlist_free(both);
	iotx509_certlist_free(pool);
	th_rmrf(dir);
	free(dir);
	free(sub);
	free(bundle);
	free(rootder);
	pki_free(&p);
}

Test(chain, missing_intermediate_names_the_missing_issuer)
{
	pki p;
	iotx509_certlist *pool = new_list();

	pki_make(&p, T0 - DAY);
	add(pool, p.root);
	add(pool, p.int1);
	build(p.leaf, pool, NULL, 0, 0, IOTX509_ENOISSUER);
	cr_assert_eq(iotx509_error_last_code(), IOTX509_ENOISSUER);
	assert_msg_has("no issuer found for 'CN=chain-leaf'");
	assert_msg_has("the certificate of 'CN=Chain Int 2' is missing");
	pki_free(&p);
	iotx509_certlist_free(pool);
}

Test(chain, missing_root_names_it_unless_partial_allowed)
{
	pki p;
	iotx509_certlist *pool = new_list(), *chain;

	pki_make(&p, T0 - DAY);
	add(pool, p.int1);
	add(pool, p.int2);
	build(p.leaf, pool, NULL, 0, 0, IOTX509_ENOISSUER);
	assert_msg_has("no issuer found for 'CN=Chain Int 1'");
	assert_msg_has("'CN=Chain Root' is missing from the pool");
	chain = build(p.leaf, pool, NULL, IOTX509_CHAIN_ALLOW_PARTIAL, 0, 0);
	assert_chain(chain, FULL, 3);
	iotx509_certlist_free(chain);
	/* An empty or NULL pool: the leaf's own issuer is missing. */
	build(p.leaf, NULL, NULL, 0, 0, IOTX509_ENOISSUER);
	assert_msg_has("'CN=Chain Int 2' is missing");
	iotx509_certlist_free(pool);
	pki_free(&p);
}

Test(chain, same_name_with_another_key_is_not_the_issuer)
{
	pki p;
	iotx509_key *k = NULL;
	iotx509_cert *impostor = NULL;
	iotx509_certlist *pool = new_list(), *chain;

	pki_make(&p, T0 - DAY);
	/* A regenerated "Chain Root": same CN, new key (the AKI differs). */
	th_make_root(&k, &impostor, NULL, "Chain Root", T0 - DAY);
	add(pool, impostor);
	add(pool, p.int2);
	add(pool, p.int1);
	build(p.leaf, pool, NULL, 0, 0, IOTX509_ENOISSUER);
	assert_msg_has("'CN=Chain Root' is missing");
	add(pool, p.root);
	chain = build(p.leaf, pool, NULL, 0, 0, 0);
	assert_chain(chain, FULL, 4);
	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(iotx509_certlist_get(chain, 3)),
			 iotx509_cert_get_thumbprint_sha256(p.root));
	iotx509_certlist_free(chain);
	iotx509_cert_free(impostor);
	iotx509_key_free(k);
	iotx509_certlist_free(pool);
	pki_free(&p);
}

/* Two CAs, each cross-signed by the other. */
typedef struct {
	iotx509_key *ka, *kb, *kl;
	iotx509_cert *root_a, *root_b, *a_by_b, *b_by_a, *leaf;
	iotx509_issuer *ia, *ib;
} cross;

static void cross_make(cross *x)
{
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;

	memset(x, 0, sizeof(*x));
	o.at = T0 - DAY;
	th_make_root(&x->ka, &x->root_a, &x->ia, "CA A", T0 - DAY);
	th_make_root(&x->kb, &x->root_b, &x->ib, "CA B", T0 - DAY);
	cr_assert_eq(iotx509_issue_intermediate(&x->a_by_b, x->ib, x->ka, "CA A", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_intermediate(&x->b_by_a, x->ia, x->kb, "CA B", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_key_generate(&x->kl, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_device(&x->leaf, x->ia, x->kl, "cross-leaf", &o), 0, "%s", th_err());
}

static void cross_free(cross *x)
{
	iotx509_issuer_free(x->ia);
	iotx509_issuer_free(x->ib);
	iotx509_cert_free(x->root_a);
	iotx509_cert_free(x->root_b);
	iotx509_cert_free(x->a_by_b);
	iotx509_cert_free(x->b_by_a);
	iotx509_cert_free(x->leaf);
	iotx509_key_free(x->ka);
	iotx509_key_free(x->kb);
	iotx509_key_free(x->kl);
}

Test(chain, loop_of_two_cross_signed_cas_is_reported)
{
	cross x;
	iotx509_certlist *pool = new_list();

	cross_make(&x);
	add(pool, x.b_by_a);
	add(pool, x.a_by_b);
	build(x.leaf, pool, NULL, 0, 0, IOTX509_ECHAINLOOP);
	cr_assert_eq(iotx509_error_last_code(), IOTX509_ECHAINLOOP);
	assert_msg_has("'CN=cross-leaf' loops");
	assert_msg_has("'CN=CA A' -> 'CN=CA B' -> 'CN=CA A'");
	iotx509_certlist_free(pool);
	cross_free(&x);
}

Test(chain, cross_signed_pool_with_a_root_ends_at_the_root)
{
	cross x;
	iotx509_certlist *pool = new_list(), *anchors = new_list(), *chain;
	static const char *const via_a[] = { "cross-leaf", "CA A" };
	static const char *const via_b[] = { "cross-leaf", "CA A", "CA B" };

	cross_make(&x);
	add(pool, x.b_by_a);
	add(pool, x.a_by_b);
	add(pool, x.root_b);
	add(pool, x.root_a);
	/* Without anchors: the path that stays valid longest (the roots
	 * outlive the cross certificates), i.e. straight to root A. */
	chain = build(x.leaf, pool, NULL, 0, 0, 0);
	assert_chain(chain, via_a, 2);
	cr_assert(iotx509_cert_is_self_signed(iotx509_certlist_get(chain, 1)));
	iotx509_certlist_free(chain);
	/* With root B as the trust anchor: the path through A-by-B. */
	add(anchors, x.root_b);
	chain = build(x.leaf, pool, anchors, 0, 0, 0);
	assert_chain(chain, via_b, 3);
	cr_assert(iotx509_cert_is_self_signed(iotx509_certlist_get(chain, 2)));
	iotx509_certlist_free(chain);
	iotx509_certlist_free(anchors);
	iotx509_certlist_free(pool);
	cross_free(&x);
}

Test(chain, duplicates_and_the_leaf_in_the_pool_are_ignored)
{
	pki p;
	iotx509_certlist *pool = new_list(), *chain;
	iotx509_cert *copy = NULL;
	iotx509_buf pem = IOTX509_BUF_INIT;

	pki_make(&p, T0 - DAY);
	cr_assert_eq(iotx509_cert_export_pem(&pem, p.int1), 0);
	cr_assert_eq(iotx509_cert_import(&copy, pem.data, pem.size), 0); /* equal, not the same handle */
	add(pool, p.leaf);
	add(pool, p.int1);
	add(pool, p.root);
	add(pool, copy);
	add(pool, p.int2);
	add(pool, p.root);
	add(pool, p.int2);
	chain = build(p.leaf, pool, NULL, 0, 0, 0);
	assert_chain(chain, FULL, 4);
	iotx509_certlist_free(chain);
	iotx509_cert_free(copy);
	iotx509_buf_dispose(&pem);
	iotx509_certlist_free(pool);
	pki_free(&p);
}

Test(chain, prefers_the_candidate_valid_at_the_given_time)
{
	iotx509_key *rk = NULL, *ik = NULL, *lk = NULL;
	iotx509_cert *root = NULL, *old_int = NULL, *new_int = NULL, *leaf = NULL;
	iotx509_issuer *ris = NULL, *iis = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_certlist *pool = new_list(), *chain;

	th_make_root(&rk, &root, &ris, "Renew Root", T0 - 500 * (int64_t)DAY);
	cr_assert_eq(iotx509_key_generate(&ik, IOTX509_KEY_P256), 0);
	/* The same intermediate (name and key) issued twice: an old one,
	 * expired by T0, and its renewal. */
	o.at = T0 - 400 * (int64_t)DAY;
	o.days = 30;
	cr_assert_eq(iotx509_issue_intermediate(&old_int, ris, ik, "Renewed Int", &o), 0, "%s", th_err());
	o.at = T0 - DAY;
	o.days = 365;
	cr_assert_eq(iotx509_issue_intermediate(&new_int, ris, ik, "Renewed Int", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issuer_new(&iis, new_int, ik), 0);
	cr_assert_eq(iotx509_key_generate(&lk, IOTX509_KEY_P256), 0);
	o.days = 30;
	cr_assert_eq(iotx509_issue_device(&leaf, iis, lk, "renew-leaf", &o), 0, "%s", th_err());
	add(pool, old_int);
	add(pool, root);
	add(pool, new_int);
	chain = build(leaf, pool, NULL, 0, T0, 0);
	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(iotx509_certlist_get(chain, 1)),
			 iotx509_cert_get_thumbprint_sha256(new_int));
	iotx509_certlist_free(chain);
	/* Back when only the old one was valid, the old one is chosen. */
	chain = build(leaf, pool, NULL, 0, T0 - 390 * (int64_t)DAY, 0);
	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(iotx509_certlist_get(chain, 1)),
			 iotx509_cert_get_thumbprint_sha256(old_int));
	iotx509_certlist_free(chain);
	iotx509_certlist_free(pool);
	iotx509_issuer_free(ris);
	iotx509_issuer_free(iis);
	iotx509_cert_free(root);
	iotx509_cert_free(old_int);
	iotx509_cert_free(new_int);
	iotx509_cert_free(leaf);
	iotx509_key_free(rk);
	iotx509_key_free(ik);
	iotx509_key_free(lk);
}

Test(chain, non_self_signed_anchor_ends_the_chain)
{
	pki p;
	iotx509_certlist *pool = new_list(), *anchors = new_list(), *chain;

	pki_make(&p, T0 - DAY);
	add(pool, p.int2);
	add(anchors, p.int1);
	chain = build(p.leaf, pool, anchors, 0, 0, 0);
	assert_chain(chain, FULL, 3);
	iotx509_certlist_free(chain);
	/* NO_ROOT does not drop an anchor that is not self-signed. */
	chain = build(p.leaf, pool, anchors, IOTX509_CHAIN_NO_ROOT, 0, 0);
	assert_chain(chain, FULL, 3);
	iotx509_certlist_free(chain);
	iotx509_certlist_free(anchors);
	iotx509_certlist_free(pool);
	pki_free(&p);
}

Test(chain, self_signed_leaf_is_a_chain_of_one)
{
	iotx509_key *k = NULL;
	iotx509_cert *c = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_certlist *chain;
	static const char *const one[] = { "self-device" };

	o.at = T0;
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_device_self_signed(&c, k, "self-device", &o), 0, "%s", th_err());
	chain = build(c, NULL, NULL, 0, 0, 0);
	assert_chain(chain, one, 1);
	iotx509_certlist_free(chain);
	chain = build(c, NULL, NULL, IOTX509_CHAIN_NO_ROOT, 0, 0);
	assert_chain(chain, one, 1);
	iotx509_certlist_free(chain);
	iotx509_cert_free(c);
	iotx509_key_free(k);
}

Test(chain, rejects_bad_arguments)
{
	pki p;
	iotx509_certlist *chain = NULL;
	iotx509_chain_options co = IOTX509_CHAIN_OPTIONS_INIT;

	pki_make(&p, T0 - DAY);
	cr_assert_eq(iotx509_chain_build(NULL, p.leaf, NULL, NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_chain_build(&chain, NULL, NULL, NULL), IOTX509_EINVAL);
	co.version = 7;
	cr_assert_eq(iotx509_chain_build(&chain, p.leaf, NULL, &co), IOTX509_EINVAL);
	assert_msg_has("unsupported version 7");
	co.version = IOTX509_CHAIN_OPTIONS_VERSION;
	co.flags = 0x80;
	cr_assert_eq(iotx509_chain_build(&chain, p.leaf, NULL, &co), IOTX509_EINVAL);
	cr_assert_eq(iotx509_chain_options_init(&co, 2), IOTX509_EINVAL);
	cr_assert_eq(iotx509_chain_options_init(&co, IOTX509_CHAIN_OPTIONS_VERSION), 0);
	cr_assert_null(co.anchors);
	cr_assert_eq(co.flags, 0);
	pki_free(&p);
}

/* ---- limits ----------------------------------------------------------- */

/*
 * Every signature check libiotx509 asks GnuTLS for passes through here: a
 * definition in the program interposes on libgnutls's for the library,
 * which imports the symbol, and forwards to it. (GnuTLS's own verification
 * calls it internally, not through this symbol, so only the chain
 * builder's and the tree's choices are counted.) Each test runs in its own
 * process, so the count starts at 0 in each.
 */
static unsigned long sig_checks;

int gnutls_pubkey_verify_data2(gnutls_pubkey_t pubkey, gnutls_sign_algorithm_t algo, unsigned int flags,
			       const gnutls_datum_t *data, const gnutls_datum_t *signature)
{
	typedef int (*verify_fn)(gnutls_pubkey_t, gnutls_sign_algorithm_t, unsigned int, const gnutls_datum_t *,
				 const gnutls_datum_t *);
	static verify_fn real;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "gnutls_pubkey_verify_data2");
	cr_assert_not_null(real, "no gnutls_pubkey_verify_data2 after this program's: %s", dlerror());
	__atomic_add_fetch(&sig_checks, 1, __ATOMIC_RELAXED);
	return real(pubkey, algo, flags, data, signature);
}

static gnutls_x509_privkey_t p256(void)
{
	gnutls_x509_privkey_t k;

	cr_assert_eq(gnutls_x509_privkey_init(&k), 0);
	cr_assert_eq(gnutls_x509_privkey_generate(k, GNUTLS_PK_ECDSA,
						  GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0), 0);
	return k;
}

/* A certificate for @key named CN=@cn, issued by @issuer (NULL: itself)
 * with @signer's key, without key identifiers (GnuTLS adds none when
 * neither certificate has a SubjectKeyIdentifier). */
static iotx509_cert *bare_cert(gnutls_x509_crt_t *keep, const char *cn, int ca, gnutls_x509_privkey_t key,
			       gnutls_x509_crt_t issuer, gnutls_x509_privkey_t signer)
{
	gnutls_x509_crt_t crt;
	iotx509_cert *c;
	unsigned char id[64];
	size_t size = sizeof(id);

	th_crt_begin(&crt, cn, ca, key, T0 - DAY, T0 + 365 * DAY);
	if (!ca)
		gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_CLIENT, 0);
	c = th_crt_finish(crt, issuer, signer);
	cr_assert_eq(gnutls_x509_crt_get_subject_key_id(crt, id, &size, NULL), GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
	size = sizeof(id);
	cr_assert_eq(gnutls_x509_crt_get_authority_key_id(crt, id, &size, NULL), GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
	if (keep != NULL)
		*keep = crt;
	else
		gnutls_x509_crt_deinit(crt);
	return c;
}

#define LOOKALIKE "Look-alike CA"

/*
 * @n CAs all named CN=Look-alike CA, none with key identifiers, and a
 * device. self_signed: each CA is self-signed and the device is issued by
 * the last one (finding it takes one check per CA). Otherwise each CA, and
 * the device, is signed by one more CA of that name that is not in the
 * pool: every CA is a name match for every other and no key verifies, the
 * pool that cost N^2 signature checks before there was a budget.
 */
static void lookalikes(iotx509_certlist **pool, iotx509_cert **leaf, iotx509_cert **outside, size_t n,
		       int self_signed)
{
	gnutls_x509_privkey_t ko = p256(), kl = p256(), klast = NULL;
	gnutls_x509_crt_t co = NULL, clast = NULL;
	size_t i;

	*pool = new_list();
	*outside = bare_cert(&co, LOOKALIKE, 1, ko, NULL, ko);
	for (i = 0; i < n; i++) {
		gnutls_x509_privkey_t k = p256();
		gnutls_x509_crt_t *keep = self_signed && i + 1 == n ? &clast : NULL;
		iotx509_cert *c = bare_cert(keep, LOOKALIKE, 1, k, self_signed ? NULL : co, self_signed ? k : ko);

		cr_assert_eq(iotx509_cert_is_self_signed(c), self_signed);
		add(*pool, c);
		iotx509_cert_free(c);
		if (keep != NULL)
			klast = k;
		else
			gnutls_x509_privkey_deinit(k);
	}
	*leaf = bare_cert(NULL, "look-alike-device", 0, kl, self_signed ? clast : co, self_signed ? klast : ko);
	gnutls_x509_crt_deinit(co);
	gnutls_x509_privkey_deinit(ko);
	gnutls_x509_privkey_deinit(kl);
	if (clast != NULL)
		gnutls_x509_crt_deinit(clast);
	if (klast != NULL)
		gnutls_x509_privkey_deinit(klast);
}

/* Signature checks of one iotx509_chain_build() of @leaf over @pool, which
 * must return @expect. */
static unsigned long checks_of_build(const iotx509_cert *leaf, const iotx509_certlist *pool, int expect)
{
	iotx509_certlist *chain;

	sig_checks = 0;
	chain = build(leaf, pool, NULL, 0, 0, expect);
	if (chain != NULL) {
		cr_assert_eq(iotx509_certlist_count(chain), 2);
		cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(iotx509_certlist_get(chain, 1)),
				 iotx509_cert_get_thumbprint_sha256(iotx509_certlist_get(pool, iotx509_certlist_count(pool) - 1)),
				 "the chain does not end at the CA that issued the device");
	}
	iotx509_certlist_free(chain);
	return sig_checks;
}

/* Signature checks of the service's check of @leaf presented with @pool,
 * under one enrollment group (@ca, verified); its return value in *ret and
 * whether the device is accepted in *accepted. */
static unsigned long checks_of_check(const iotx509_cert *leaf, const iotx509_certlist *pool, const iotx509_cert *ca,
				     int *ret, int *accepted)
{
	iotx509_certlist *presented = th_certlist(leaf, NULL, NULL);
	iotx509_enrollment_list *service = NULL;
	iotx509_enrollment *group = NULL;
	iotx509_enrollment_result *res = NULL;
	iotx509_enrollment_check_options eo = IOTX509_ENROLLMENT_CHECK_OPTIONS_INIT;
	size_t k;

	for (k = 0; k < iotx509_certlist_count(pool); k++)
		add(presented, iotx509_certlist_get(pool, k));
	cr_assert_eq(iotx509_enrollment_list_new(&service), 0);
	cr_assert_eq(iotx509_enrollment_new(&group, IOTX509_ENROLLMENT_GROUP, NULL), 0);
	cr_assert_eq(th_enrollment_set_cert(group, IOTX509_ENROLLMENT_PRIMARY, ca, 1), 0,
		     "%s", th_err());
	cr_assert_eq(iotx509_enrollment_list_add(service, group), 0);
	eo.at = T0;
	sig_checks = 0;
	*ret = iotx509_enrollment_check(&res, service, presented, &eo);
	*accepted = res != NULL && iotx509_enrollment_result_is_accepted(res);
	iotx509_enrollment_result_free(res);
	iotx509_enrollment_free(group);
	iotx509_enrollment_list_free(service);
	iotx509_certlist_free(presented);
	return sig_checks;
}

/* Pool sizes whose costs are compared: four times the look-alikes must
 * cost about four times the checks, not sixteen (one per pair). Small
 * enough for valgrind (a check costs milliseconds there), hence the
 * timeouts; every pair of the larger pool would be 40,000 checks. */
static const size_t SIZES[2] = { 50, 200 };
#define LOOKALIKE_TIMEOUT 600

Test(chain, look_alike_cas_cost_one_check_per_key_not_per_pair, .timeout = LOOKALIKE_TIMEOUT)
{
	unsigned long found[2], none[2];
	size_t i;

	for (i = 0; i < 2; i++) {
		iotx509_certlist *pool;
		iotx509_cert *leaf, *outside;

		/* Self-signed look-alikes, the device under the last one: one
		 * check per CA finds it, and the chain is right. */
		lookalikes(&pool, &leaf, &outside, SIZES[i], 1);
		found[i] = checks_of_build(leaf, pool, 0);
		cr_assert(found[i] >= 1 && found[i] <= SIZES[i], "%lu checks for %zu look-alikes", found[i], SIZES[i]);
		iotx509_certlist_free(pool);
		iotx509_cert_free(leaf);
		iotx509_cert_free(outside);
		/* Look-alikes that no key verifies: the budget stops the build
		 * with a message naming the limit and the look-alikes. */
		lookalikes(&pool, &leaf, &outside, SIZES[i], 0);
		none[i] = checks_of_build(leaf, pool, IOTX509_ELIMIT);
		cr_assert_eq(none[i], IOTX509_CHAIN_MAX_SIGNATURE_CHECKS);
		assert_msg_has("IOTX509_CHAIN_MAX_SIGNATURE_CHECKS");
		assert_msg_has("certificates named 'CN=Look-alike CA' could have issued");
		iotx509_certlist_free(pool);
		iotx509_cert_free(leaf);
		iotx509_cert_free(outside);
	}
	fprintf(stderr, "chain: signature checks for %zu / %zu look-alikes: %lu / %lu (issuer found), %lu / %lu (none)\n",
		SIZES[0], SIZES[1], found[0], found[1], none[0], none[1]);
	cr_assert(found[1] <= 4 * found[0] + 4, "%lu then %lu checks", found[0], found[1]);
}

/* The tree of @pool and @leaf: its signature checks, and the issuer it
 * shows for @leaf in *parent (NULL for none). */
static unsigned long checks_of_tree(const iotx509_certlist *pool, const iotx509_cert *leaf, iotx509_cert **parent)
{
	iotx509_tree *t = NULL;
	iotx509_tree_options to = IOTX509_TREE_OPTIONS_INIT;
	iotx509_certlist *all = th_certlist(leaf, NULL, NULL);
	unsigned long checks;
	size_t k;

	for (k = 0; k < iotx509_certlist_count(pool); k++)
		add(all, iotx509_certlist_get(pool, k));
	to.at = T0;
	cr_assert_eq(iotx509_tree_new(&t, &to), 0);
	sig_checks = 0;
	cr_assert_eq(iotx509_tree_add_certs(t, all), 0, "%s", th_err());
	checks = sig_checks;
	cr_assert_eq(iotx509_tree_count(t), iotx509_certlist_count(all));
	*parent = NULL;
	for (k = 0; k < iotx509_tree_count(t); k++)
		if (strcmp(iotx509_cert_get_thumbprint_sha256(iotx509_tree_get_cert(t, k)),
			   iotx509_cert_get_thumbprint_sha256(leaf)) == 0 &&
		    iotx509_tree_has_parent(t, k))
			cr_assert_eq(iotx509_cert_dup(parent, iotx509_tree_get_cert(t, iotx509_tree_get_parent(t, k))),
				     0);
	iotx509_tree_free(t);
	iotx509_certlist_free(all);
	return checks;
}

Test(chain, tree_of_look_alike_cas_tries_a_bounded_number_of_keys, .timeout = LOOKALIKE_TIMEOUT)
{
	unsigned long checks[2], found;
	size_t i;

	for (i = 0; i < 2; i++) {
		iotx509_certlist *pool;
		iotx509_cert *leaf, *outside, *parent;

		/* No key verifies: 16 per certificate, then the shared spare. */
		lookalikes(&pool, &leaf, &outside, SIZES[i], 0);
		checks[i] = checks_of_tree(pool, leaf, &parent);
		cr_assert(checks[i] <= (SIZES[i] + 1) * IOTX509_TREE_MAX_SIGNATURE_CHECKS + IOTX509_TREE_SPARE_SIGNATURE_CHECKS,
			  "%lu checks for a tree of %zu", checks[i], SIZES[i] + 1);
		iotx509_cert_free(parent);
		iotx509_certlist_free(pool);
		iotx509_cert_free(leaf);
		iotx509_cert_free(outside);
		/* The device under the last of many self-signed look-alikes: the
		 * spare finds it, one check per key. */
		lookalikes(&pool, &leaf, &outside, SIZES[i], 1);
		found = checks_of_tree(pool, leaf, &parent);
		cr_assert(found <= SIZES[i], "%lu checks", found);
		cr_assert_not_null(parent);
		cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(parent),
				 iotx509_cert_get_thumbprint_sha256(iotx509_certlist_get(pool, SIZES[i] - 1)),
				 "the tree does not show the device under the CA that issued it");
		iotx509_cert_free(parent);
		iotx509_certlist_free(pool);
		iotx509_cert_free(leaf);
		iotx509_cert_free(outside);
	}
	fprintf(stderr, "tree: signature checks for %zu / %zu look-alikes: %lu / %lu\n", SIZES[0], SIZES[1], checks[0],
		checks[1]);
	cr_assert(checks[1] <= 5 * checks[0], "%lu then %lu checks", checks[0], checks[1]);
}

Test(chain, check_over_look_alike_cas_finishes, .timeout = LOOKALIKE_TIMEOUT)
{
	size_t i;

	for (i = 0; i < 2; i++) {
		iotx509_certlist *pool;
		iotx509_cert *leaf, *outside;
		unsigned long checks;
		int ret, accepted;

		/* The CA that issued the device enrolled: accepted. */
		lookalikes(&pool, &leaf, &outside, SIZES[i], 1);
		checks = checks_of_check(leaf, pool, iotx509_certlist_get(pool, SIZES[i] - 1), &ret, &accepted);
		cr_assert_eq(ret, 0, "%s", th_err());
		cr_assert(accepted);
		cr_assert(checks <= 2 * (unsigned long)IOTX509_CHAIN_MAX_SIGNATURE_CHECKS, "%lu checks", checks);
		iotx509_certlist_free(pool);
		iotx509_cert_free(leaf);
		iotx509_cert_free(outside);
		/* A look-alike enrolled that issued nothing: the build's limit. */
		lookalikes(&pool, &leaf, &outside, SIZES[i], 0);
		checks = checks_of_check(leaf, pool, iotx509_certlist_get(pool, 0), &ret, &accepted);
		cr_assert_eq(ret, IOTX509_ELIMIT, "check returned %d: %s", ret, th_err());
		cr_assert(checks <= 2 * (unsigned long)IOTX509_CHAIN_MAX_SIGNATURE_CHECKS, "%lu checks", checks);
		iotx509_certlist_free(pool);
		iotx509_cert_free(leaf);
		iotx509_cert_free(outside);
	}
}

Test(chain, a_chain_longer_than_the_limit_is_refused)
{
	iotx509_key *k[IOTX509_CHAIN_MAX_DEPTH + 2];
	iotx509_cert *c[IOTX509_CHAIN_MAX_DEPTH + 2];
	iotx509_issuer *is = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_certlist *pool = new_list(), *chain;
	size_t i, n = IOTX509_CHAIN_MAX_DEPTH + 1; /* a root, 15 intermediates, a device: one too many */
	char cn[32];

	o.at = T0 - DAY;
	th_make_root(&k[0], &c[0], &is, "Level 0", T0 - DAY);
	for (i = 1; i < n; i++) {
		cr_assert_eq(iotx509_key_generate(&k[i], IOTX509_KEY_P256), 0);
		snprintf(cn, sizeof(cn), i + 1 < n ? "Level %zu" : "device-%zu", i);
		if (i + 1 < n)
			cr_assert_eq(iotx509_issue_intermediate(&c[i], is, k[i], cn, &o), 0, "%s", th_err());
		else
			cr_assert_eq(iotx509_issue_device(&c[i], is, k[i], cn, &o), 0, "%s", th_err());
		iotx509_issuer_free(is);
		is = NULL;
		if (i + 1 < n)
			cr_assert_eq(iotx509_issuer_new(&is, c[i], k[i]), 0, "%s", th_err());
	}
	for (i = 0; i + 1 < n; i++)
		add(pool, c[i]);
	build(c[n - 1], pool, NULL, 0, 0, IOTX509_ELIMIT);
	assert_msg_has("longer than 16 certificates (IOTX509_CHAIN_MAX_DEPTH)");
	/* Up to the limit it builds: from the device's issuer, 16 certificates. */
	chain = build(c[n - 2], pool, NULL, 0, 0, 0);
	cr_assert_eq(iotx509_certlist_count(chain), IOTX509_CHAIN_MAX_DEPTH);
	iotx509_certlist_free(chain);
	/* Not cut short into a partial chain either. */
	build(c[n - 1], pool, NULL, IOTX509_CHAIN_ALLOW_PARTIAL, 0, IOTX509_ELIMIT);
	assert_msg_has("IOTX509_CHAIN_MAX_DEPTH");
	for (i = 0; i < n; i++) {
		iotx509_cert_free(c[i]);
		iotx509_key_free(k[i]);
	}
	iotx509_certlist_free(pool);
}

/* ---- the foreign fixtures --------------------------------------------- */

Test(chain, fixtures_build_from_the_create_test_cert_directory)
{
	char *dir = th_tmpdir();
	iotx509_certlist *pool = new_list(), *chain;
	iotx509_cert *leaf = NULL;
	static const char *const dev[] = { "sample-device-01", "mytestrootcert" };
	static const char *const inter[] = { "myintermediate", "mytestrootcert" };
	static const char *const ver[] = { "1234ABCD", "mytestrootcert" };

	cr_assert_eq(th_run(NULL, "cp '%s'/* '%s'/", th_fixture_dir("create_test_cert"), dir), 0);
	cr_assert_eq(iotx509_certlist_add_path(pool, dir), 0, "%s", th_err());
	cr_assert_eq(iotx509_cert_load(&leaf, th_fixture("create_test_cert/sampleDevice01_cert.pem")), 0);
	chain = build(leaf, pool, NULL, 0, TH_FIXTURE_TIME, 0);
	assert_chain(chain, dev, 2);
	iotx509_certlist_free(chain);
	iotx509_cert_free(leaf);
	cr_assert_eq(iotx509_cert_load(&leaf, th_fixture("create_test_cert/myintermediate_cert.pem")), 0);
	chain = build(leaf, pool, NULL, 0, TH_FIXTURE_TIME, 0);
	assert_chain(chain, inter, 2);
	iotx509_certlist_free(chain);
	iotx509_cert_free(leaf);
	cr_assert_eq(iotx509_cert_load(&leaf, th_fixture("create_test_cert/verification_cert.pem")), 0);
	chain = build(leaf, pool, NULL, 0, TH_FIXTURE_TIME, 0);
	assert_chain(chain, ver, 2);
	iotx509_certlist_free(chain);
	iotx509_cert_free(leaf);
	iotx509_certlist_free(pool);
	th_rmrf(dir);
	free(dir);
}

Test(chain, fixtures_certgen_device_through_intermediate)
{
	iotx509_certlist *pool = new_list(), *chain;
	iotx509_cert *leaf = NULL;
	static const char *const dev[] = { "mydevice2", "Azure IoT Hub Intermediate Cert Test Only",
					   "Azure IoT Hub CA Cert Test Only" };

	/* The chain file lists intermediate then root: any order works. */
	cr_assert_eq(iotx509_certlist_add_path(pool, th_fixture("certgen_sh/azure-iot-test-only.root.ca.cert.pem")), 0);
	cr_assert_eq(iotx509_certlist_add_path(pool, th_fixture("certgen_sh/azure-iot-test-only.chain.ca.cert.pem")), 0);
	cr_assert_eq(iotx509_cert_load(&leaf, th_fixture("certgen_sh/new-device.cert.pem")), 0);
	chain = build(leaf, pool, NULL, 0, TH_FIXTURE_TIME, 0);
	assert_chain(chain, dev, 3);
	cr_assert(iotx509_cert_is_self_signed(iotx509_certlist_get(chain, 2)));
	cr_assert(!iotx509_cert_is_self_signed(iotx509_certlist_get(chain, 1)));
	iotx509_certlist_free(chain);
	iotx509_cert_free(leaf);
	iotx509_certlist_free(pool);
}

/* ---- interop: openssl verify accepts what we write -------------------- */

Test(chain, openssl_verify_accepts_the_written_fullchain)
{
	pki p;
	char *dir, *out = NULL, *full, *root, *leaf;
	iotx509_certlist *pool = new_list(), *chain, *nochain;
	int rc;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	dir = th_tmpdir();
	pki_make(&p, T0 - DAY);
	add(pool, p.int1);
	add(pool, p.root);
	add(pool, p.int2);
	chain = build(p.leaf, pool, NULL, 0, 0, 0);
	nochain = build(p.leaf, pool, NULL, IOTX509_CHAIN_NO_ROOT, 0, 0);
	full = th_path(dir, "fullchain.pem");
	cr_assert_eq(iotx509_certlist_save(nochain, full, NULL), 0, "%s", th_err());
	root = th_save_cert(dir, "root.pem", p.root);
	leaf = th_save_cert(dir, "leaf.pem", p.leaf);
	rc = th_run(&out, "openssl verify -attime %lld -CAfile '%s' -untrusted '%s' '%s'", (long long)T0, root, full,
		    leaf);
	cr_assert_eq(rc, 0, "openssl verify failed: %s", out);
	cr_assert(strstr(out, ": OK") != NULL, "%s", out);
	free(out);
	/* Without the chain, openssl cannot find the intermediates either. */
	rc = th_run(&out, "openssl verify -attime %lld -CAfile '%s' '%s'", (long long)T0, root, leaf);
	cr_assert_neq(rc, 0, "openssl verified without intermediates: %s", out);
	free(out);
	iotx509_certlist_free(chain);
	iotx509_certlist_free(nochain);
	iotx509_certlist_free(pool);
	free(full);
	free(root);
	free(leaf);
	th_rmrf(dir);
	free(dir);
	pki_free(&p);
}

Test(chain, openssl_verify_accepts_fullchain_rebuilt_from_fixtures)
{
	char *dir, *out = NULL, *full;
	iotx509_certlist *pool = new_list(), *chain;
	iotx509_cert *leaf = NULL;
	int rc;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	dir = th_tmpdir();
	cr_assert_eq(iotx509_certlist_add_path(pool, th_fixture("certgen_sh/azure-iot-test-only.chain.ca.cert.pem")), 0);
	cr_assert_eq(iotx509_cert_load(&leaf, th_fixture("certgen_sh/new-device.cert.pem")), 0);
	chain = build(leaf, pool, NULL, IOTX509_CHAIN_NO_ROOT, TH_FIXTURE_TIME, 0);
	cr_assert_eq(iotx509_certlist_count(chain), 2);
	full = th_path(dir, "fullchain.pem");
	cr_assert_eq(iotx509_certlist_save(chain, full, NULL), 0);
	rc = th_run(&out, "openssl verify -attime %lld -CAfile '%s' -untrusted '%s' '%s'", (long long)TH_FIXTURE_TIME,
		    th_fixture("certgen_sh/azure-iot-test-only.root.ca.cert.pem"), full, full);
	cr_assert_eq(rc, 0, "openssl verify failed: %s", out);
	free(out);
	iotx509_certlist_free(chain);
	iotx509_cert_free(leaf);
	iotx509_certlist_free(pool);
	free(full);
	th_rmrf(dir);
	free(dir);
}

Test(chain, zero_filled_options_are_the_defaults)
{
	pki p;
	iotx509_chain_options z, init = IOTX509_CHAIN_OPTIONS_INIT;
	iotx509_certlist *pool, *a = NULL, *b = NULL;

	pki_make(&p, T0 - DAY);
	pool = th_certlist(p.root, p.int2, p.int1);
	TH_ZERO_OPTIONS(z, IOTX509_CHAIN_OPTIONS_VERSION);
	z.at = init.at = T0;
	cr_assert_eq(iotx509_chain_build(&a, p.leaf, pool, &z), 0, "%s", th_err());
	cr_assert_eq(iotx509_chain_build(&b, p.leaf, pool, &init), 0, "%s", th_err());
	assert_chain(a, FULL, 4);
	assert_chain(b, FULL, 4);
	TH_CHECK_OPTIONS_INIT(iotx509_chain_options, iotx509_chain_options_init, IOTX509_CHAIN_OPTIONS_VERSION, "chain options",
			      IOTX509_CHAIN_OPTIONS_INIT);
	iotx509_certlist_free(a);
	iotx509_certlist_free(b);
	iotx509_certlist_free(pool);
	pki_free(&p);
}

Test(chain, options_versions_1_to_current)
{
	pki p;
	iotx509_chain_options o = IOTX509_CHAIN_OPTIONS_INIT;
	iotx509_certlist *pool, *chain = NULL;

	pki_make(&p, T0 - DAY);
	pool = th_certlist(p.root, p.int2, p.int1);
	o.version = 1;
	o.at = T0;
	cr_assert_eq(iotx509_chain_build(&chain, p.leaf, pool, &o), 0, "%s", th_err());
	iotx509_certlist_free(chain);
	chain = NULL;
	o.version = 0;
	th_version_refused(iotx509_chain_build(&chain, p.leaf, pool, &o), 0);
	o.version = IOTX509_CHAIN_OPTIONS_VERSION + 1;
	th_version_refused(iotx509_chain_build(&chain, p.leaf, pool, &o), IOTX509_CHAIN_OPTIONS_VERSION + 1);
	cr_assert_null(chain);
	iotx509_certlist_free(pool);
	pki_free(&p);
}
