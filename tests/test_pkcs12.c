/*
 * PKCS#12: export under the modern and compat profiles, import, the
 * password rules, and interop with openssl, certtool, keytool and Node.
 */
#include "helpers.h"
#include "keycheck.h"

#include <criterion/criterion.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs12.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DAY 86400
#define HOSTILE IOTX509_TEST_SRCDIR "/tests/data/p12key/"
#define T0 TH_FIXTURE_TIME
#define PW "correct horse battery"

static void assert_msg_has(const char *needle)
{
	cr_assert(strstr(th_err(), needle) != NULL, "message '%s' lacks '%s'", th_err(), needle);
}

static void assert_has(const char *hay, const char *needle)
{
	cr_assert(hay != NULL && strstr(hay, needle) != NULL, "output lacks '%s':\n%s", needle, hay ? hay : "(null)");
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay += strlen(needle))
		n++;
	return n;
}

/* root -> intermediate -> device, with the device key. */
typedef struct {
	iotx509_key *rk, *ik, *dk;
	iotx509_cert *root, *inter, *dev;
	iotx509_issuer *ris, *iis;
	iotx509_certlist *chain; /* intermediate, root */
	char *dir;
} kit;

static void kit_make(kit *k, iotx509_key_type dev_type)
{
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;

	memset(k, 0, sizeof(*k));
	o.at = T0;
	th_make_root(&k->rk, &k->root, &k->ris, "P12 Root", T0);
	cr_assert_eq(iotx509_key_generate(&k->ik, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_intermediate(&k->inter, k->ris, k->ik, "P12 Intermediate", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issuer_new(&k->iis, k->inter, k->ik), 0);
	cr_assert_eq(iotx509_key_generate(&k->dk, dev_type), 0);
	cr_assert_eq(iotx509_issue_device(&k->dev, k->iis, k->dk, "p12-device-01", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_new(&k->chain), 0);
	cr_assert_eq(iotx509_certlist_add(k->chain, k->inter), 0);
	cr_assert_eq(iotx509_certlist_add(k->chain, k->root), 0);
	k->dir = th_tmpdir();
}

static void kit_free(kit *k)
{
	iotx509_certlist_free(k->chain);
	iotx509_issuer_free(k->ris);
	iotx509_issuer_free(k->iis);
	iotx509_cert_free(k->root);
	iotx509_cert_free(k->inter);
	iotx509_cert_free(k->dev);
	iotx509_key_free(k->rk);
	iotx509_key_free(k->ik);
	iotx509_key_free(k->dk);
	th_rmrf(k->dir);
	free(k->dir);
}

/* Export with @profile/@iterations into dir/name and return the path. */
static char *save_p12(kit *k, const char *name, iotx509_pkcs12_profile profile, unsigned int iterations,
		      const char *password)
{
	iotx509_pkcs12_options po = IOTX509_PKCS12_OPTIONS_INIT;
	char *path = th_path(k->dir, name);

	po.profile = profile;
	po.iterations = iterations;
	if (password && *password == '\0')
		po.flags = IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD;
	cr_assert_eq(iotx509_pkcs12_save(k->dev, k->dk, k->chain, path, password, &po, NULL), 0, "%s", th_err());
	return path;
}

static void assert_roundtrip(const iotx509_pkcs12 *p, const kit *k)
{
	const iotx509_certlist *chain = iotx509_pkcs12_get_chain(p);

	cr_assert_not_null(iotx509_pkcs12_get_key(p));
	cr_assert_str_eq(iotx509_key_get_spki_sha256(iotx509_pkcs12_get_key(p)), iotx509_key_get_spki_sha256(k->dk));
	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(iotx509_pkcs12_get_leaf(p)),
			 iotx509_cert_get_thumbprint_sha256(k->dev));
	cr_assert_eq(iotx509_certlist_count(chain), 2);
	cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_certlist_get(chain, 0)), "P12 Intermediate");
	cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_certlist_get(chain, 1)), "P12 Root");
}

/* ---- the library on its own ------------------------------------------- */

Test(pkcs12, modern_and_compat_round_trip_with_friendly_name)
{
	kit k;
	iotx509_pkcs12_profile profiles[] = { IOTX509_PKCS12_MODERN, IOTX509_PKCS12_COMPAT };
	size_t i;

	kit_make(&k, IOTX509_KEY_P256);
	for (i = 0; i < 2; i++) {
		char *path = save_p12(&k, i ? "compat.p12" : "modern.p12", profiles[i], 0, PW);
		iotx509_pkcs12 *p = NULL;

		cr_assert_eq(iotx509_pkcs12_load(&p, path, PW, NULL), 0, "%s", th_err());
		assert_roundtrip(p, &k);
		cr_assert_str_eq(iotx509_pkcs12_get_friendly_name(p), "p12-device-01");
		iotx509_pkcs12_free(p);
		free(path);
	}
	kit_free(&k);
}

Test(pkcs12, rsa_key_and_utf8_password_and_friendly_name_round_trip)
{
	kit k;
	iotx509_pkcs12_options po = IOTX509_PKCS12_OPTIONS_INIT;
	iotx509_buf der = IOTX509_BUF_INIT;
	iotx509_pkcs12 *p = NULL;
	const char *pw = "p\xc3\xa4ss \xf0\x9f\x94\x91"; /* "päss 🔑" */

	kit_make(&k, IOTX509_KEY_RSA2048);
	po.friendly_name = "Ger\xc3\xa4t 01";
	po.profile = IOTX509_PKCS12_COMPAT;
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, k.dk, k.chain, pw, &po), 0, "%s", th_err());
	cr_assert_eq(iotx509_pkcs12_import(&p, der.data, der.size, pw, NULL), 0, "%s", th_err());
	assert_roundtrip(p, &k);
	cr_assert_str_eq(iotx509_pkcs12_get_friendly_name(p), "Ger\xc3\xa4t 01");
	iotx509_pkcs12_free(p);
	iotx509_buf_dispose(&der);
	po.profile = IOTX509_PKCS12_MODERN;
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, k.dk, k.chain, pw, &po), 0, "%s", th_err());
	cr_assert_eq(iotx509_pkcs12_import(&p, der.data, der.size, pw, NULL), 0, "%s", th_err());
	assert_roundtrip(p, &k);
	iotx509_pkcs12_free(p);
	/* Invalid UTF-8 is refused rather than encoded some arbitrary way. */
	iotx509_buf_dispose(&der);
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, k.dk, NULL, "bad\xff", &po), IOTX509_EINVAL);
	assert_msg_has("not valid UTF-8");
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, k.dk, NULL, pw, &po), 0, "%s", th_err());
	cr_assert_eq(iotx509_pkcs12_import(&p, der.data, der.size, "bad\xff", NULL), IOTX509_EINVAL);
	assert_msg_has("not valid UTF-8");
	cr_assert_null(p);
	iotx509_buf_dispose(&der);
	kit_free(&k);
}

Test(pkcs12, empty_friendly_name_writes_none)
{
	kit k;
	iotx509_pkcs12_options po = IOTX509_PKCS12_OPTIONS_INIT;
	iotx509_buf der = IOTX509_BUF_INIT;
	iotx509_pkcs12 *p = NULL;

	kit_make(&k, IOTX509_KEY_P256);
	po.friendly_name = "";
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, k.dk, k.chain, PW, &po), 0, "%s", th_err());
	cr_assert_eq(iotx509_pkcs12_import(&p, der.data, der.size, PW, NULL), 0, "%s", th_err());
	assert_roundtrip(p, &k);
	cr_assert_null(iotx509_pkcs12_get_friendly_name(p));
	iotx509_pkcs12_free(p);
	iotx509_buf_dispose(&der);
	kit_free(&k);
}

Test(pkcs12, chain_may_be_null_and_leaf_or_duplicates_in_it_are_skipped)
{
	kit k;
	iotx509_buf der = IOTX509_BUF_INIT;
	iotx509_pkcs12 *p = NULL;

	kit_make(&k, IOTX509_KEY_P256);
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, k.dk, NULL, PW, NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_pkcs12_import(&p, der.data, der.size, PW, NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_count(iotx509_pkcs12_get_chain(p)), 0);
	iotx509_pkcs12_free(p);
	iotx509_buf_dispose(&der);
	cr_assert_eq(iotx509_certlist_add(k.chain, k.dev), 0);
	cr_assert_eq(iotx509_certlist_add(k.chain, k.inter), 0);
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, k.dk, k.chain, PW, NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_pkcs12_import(&p, der.data, der.size, PW, NULL), 0, "%s", th_err());
	assert_roundtrip(p, &k);
	iotx509_pkcs12_free(p);
	iotx509_buf_dispose(&der);
	kit_free(&k);
}

Test(pkcs12, wrong_password_differs_from_malformed_file)
{
	kit k;
	iotx509_buf der = IOTX509_BUF_INIT;
	iotx509_pkcs12 *p = NULL;
	static const unsigned char junk[] = { 0x30, 0x03, 0x02, 0x01, 0x03 };

	kit_make(&k, IOTX509_KEY_P256);
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, k.dk, k.chain, PW, NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_pkcs12_import(&p, der.data, der.size, "wrong", NULL), IOTX509_EPASSWORD);
	cr_assert_null(p);
	assert_msg_has("wrong password");
	cr_assert_eq(iotx509_pkcs12_import(&p, der.data, der.size / 2, PW, NULL), IOTX509_EPARSE);
	assert_msg_has("not a valid PKCS#12 file");
	cr_assert_eq(iotx509_pkcs12_import(&p, junk, sizeof(junk), PW, NULL), IOTX509_EPARSE);
	cr_assert_eq(iotx509_pkcs12_import(&p, (const unsigned char *)"-----BEGIN CERTIFICATE-----", 27, PW, NULL),
		     IOTX509_EPARSE);
	cr_assert_eq(iotx509_pkcs12_import(&p, der.data, 0, PW, NULL), IOTX509_EPARSE);
	iotx509_buf_dispose(&der);
	kit_free(&k);
}

Test(pkcs12, empty_password_refused_unless_allowed)
{
	kit k;
	iotx509_buf der = IOTX509_BUF_INIT;
	iotx509_pkcs12 *p = NULL;
	iotx509_pkcs12_options po = IOTX509_PKCS12_OPTIONS_INIT;

	kit_make(&k, IOTX509_KEY_P256);
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, k.dk, k.chain, "", NULL), IOTX509_EINVAL);
	assert_msg_has("empty password is refused");
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, k.dk, k.chain, NULL, NULL), IOTX509_EINVAL);
	po.flags = IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD;
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, k.dk, k.chain, "", &po), 0, "%s", th_err());
	cr_assert_eq(iotx509_pkcs12_import(&p, der.data, der.size, "", NULL), IOTX509_EINVAL);
	assert_msg_has("IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD");
	cr_assert_eq(iotx509_pkcs12_import(&p, der.data, der.size, "", P12_READ_OPTS(IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD)), 0, "%s",
		     th_err());
	assert_roundtrip(p, &k);
	iotx509_pkcs12_free(p);
	if (th_have("openssl")) {
		char *path = th_path(k.dir, "empty.p12"), *out = NULL;

		th_write(path, der.data, der.size);
		cr_assert_eq(th_run(&out, "openssl pkcs12 -info -noout -in '%s' -passin pass:", path), 0,
			     "openssl refused our empty-password file: %s", out);
		free(out);
		free(path);
	}
	iotx509_buf_dispose(&der);
	kit_free(&k);
}

Test(pkcs12, key_must_belong_to_the_leaf)
{
	kit k;
	iotx509_buf der = IOTX509_BUF_INIT;

	kit_make(&k, IOTX509_KEY_P256);
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, k.ik, k.chain, PW, NULL), IOTX509_EKEYMISMATCH);
	assert_msg_has("CN=p12-device-01");
	cr_assert_null(der.data);
	kit_free(&k);
}

Test(pkcs12, options_are_checked)
{
	kit k;
	iotx509_buf der = IOTX509_BUF_INIT;
	iotx509_pkcs12_options po;
	iotx509_pkcs12_profile prof;

	kit_make(&k, IOTX509_KEY_P256);
	cr_assert_eq(iotx509_pkcs12_options_init(&po, 0), IOTX509_EINVAL);
	cr_assert_eq(iotx509_pkcs12_options_init(&po, IOTX509_PKCS12_OPTIONS_VERSION), 0);
	cr_assert_eq(po.profile, IOTX509_PKCS12_MODERN);
	cr_assert_eq(po.iterations, 0);
	po.iterations = 1000;
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, k.dk, NULL, PW, &po), IOTX509_EINVAL);
	assert_msg_has("1000 iterations is out of range");
	po.iterations = IOTX509_PKCS12_MAX_ITERATIONS + 1;
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, k.dk, NULL, PW, &po), IOTX509_EINVAL);
	assert_msg_has("2000001 iterations is out of range (2048 to 2000000)");
	po.iterations = 0;
	po.flags = IOTX509_PKCS12_ALLOW_NO_MAC; /* import only */
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, k.dk, NULL, PW, &po), IOTX509_EINVAL);
	po.flags = 0;
	po.iterations = 0;
	po.profile = (iotx509_pkcs12_profile)5;
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, k.dk, NULL, PW, &po), IOTX509_EINVAL);
	po.profile = IOTX509_PKCS12_MODERN;
	po.flags = 0x10;
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, k.dk, NULL, PW, &po), IOTX509_EINVAL);
	cr_assert_eq(iotx509_pkcs12_export(NULL, k.dev, k.dk, NULL, PW, NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, NULL, NULL, PW, NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_pkcs12_export(&der, NULL, k.dk, NULL, PW, NULL), IOTX509_EINVAL);

	cr_assert_eq(iotx509_pkcs12_profile_from_name(&prof, "compat"), 0);
	cr_assert_eq(prof, IOTX509_PKCS12_COMPAT);
	cr_assert_eq(iotx509_pkcs12_profile_from_name(&prof, "modern"), 0);
	cr_assert_eq(prof, IOTX509_PKCS12_MODERN);
	cr_assert_eq(iotx509_pkcs12_profile_from_name(&prof, "legacy"), IOTX509_EINVAL);
	assert_msg_has("'legacy'");
	cr_assert_str_eq(iotx509_pkcs12_profile_name(IOTX509_PKCS12_COMPAT), "compat");
	cr_assert_str_eq(iotx509_pkcs12_profile_name((iotx509_pkcs12_profile)9), "unknown");
	kit_free(&k);
}

Test(pkcs12, save_is_private_and_does_not_overwrite)
{
	kit k;
	char *path;
	struct stat st;

	kit_make(&k, IOTX509_KEY_P256);
	path = save_p12(&k, "id.pfx", IOTX509_PKCS12_MODERN, 0, PW);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(iotx509_pkcs12_save(k.dev, k.dk, NULL, path, PW, NULL, NULL), IOTX509_EEXISTS);
	cr_assert_eq(iotx509_pkcs12_save(k.dev, k.dk, NULL, path, PW, NULL, WRITE_OPTS(IOTX509_WRITE_OVERWRITE)), 0, "%s",
		     th_err());
	cr_assert_eq(iotx509_pkcs12_save(k.dev, k.dk, NULL, NULL, PW, NULL, NULL), IOTX509_EINVAL);
	free(path);
	kit_free(&k);
}

Test(pkcs12, import_arguments_and_missing_file)
{
	iotx509_pkcs12 *p = NULL;

	cr_assert_eq(iotx509_pkcs12_load(&p, "/nonexistent/x.pfx", PW, NULL), IOTX509_ENOTFOUND);
	cr_assert_eq(iotx509_pkcs12_load(NULL, "x", PW, NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_pkcs12_import(&p, (const unsigned char *)"0", 1, NULL, NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_pkcs12_import(&p, (const unsigned char *)"0", 1, PW, P12_READ_OPTS(0x20)), IOTX509_EINVAL);
	cr_assert_null(iotx509_pkcs12_get_key(NULL));
	cr_assert_null(iotx509_pkcs12_get_leaf(NULL));
	cr_assert_null(iotx509_pkcs12_get_chain(NULL));
	cr_assert_null(iotx509_pkcs12_get_friendly_name(NULL));
	iotx509_pkcs12_free(NULL);
}

/* ---- foreign files ---------------------------------------------------- */

/*
 * A PKCS#12 file made with GnuTLS's own API: certificates in the given
 * order, no localKeyID or friendlyName anywhere, an unencrypted key bag
 * (or none), SHA-256 MAC.
 */
static void gnutls_p12(const char *path, const iotx509_key *const *keys, size_t nkeys, const iotx509_cert *const *certs,
		       size_t n)
{
	gnutls_pkcs12_t p12;
	gnutls_pkcs12_bag_t cbag, kbag;
	gnutls_datum_t out = { NULL, 0 };
	size_t i;

	cr_assert_eq(gnutls_pkcs12_init(&p12), 0);
	cr_assert_eq(gnutls_pkcs12_bag_init(&cbag), 0);
	for (i = 0; i < n; i++) {
		iotx509_buf der = IOTX509_BUF_INIT;
		gnutls_x509_crt_t crt;
		gnutls_datum_t d;

		cr_assert_eq(iotx509_cert_export_der(&der, certs[i]), 0);
		d.data = der.data;
		d.size = (unsigned int)der.size;
		cr_assert_eq(gnutls_x509_crt_init(&crt), 0);
		cr_assert_eq(gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER), 0);
		cr_assert(gnutls_pkcs12_bag_set_crt(cbag, crt) >= 0);
		gnutls_x509_crt_deinit(crt);
		iotx509_buf_dispose(&der);
	}
	cr_assert_eq(gnutls_pkcs12_set_bag(p12, cbag), 0);
	for (i = 0; i < nkeys; i++) {
		iotx509_buf der = IOTX509_BUF_INIT;
		gnutls_datum_t d;

		cr_assert_eq(iotx509_key_export_der(&der, keys[i], NULL), 0);
		d.data = der.data;
		d.size = (unsigned int)der.size;
		cr_assert_eq(gnutls_pkcs12_bag_init(&kbag), 0);
		cr_assert(gnutls_pkcs12_bag_set_data(kbag, GNUTLS_BAG_PKCS8_KEY, &d) >= 0);
		cr_assert_eq(gnutls_pkcs12_set_bag(p12, kbag), 0);
		gnutls_pkcs12_bag_deinit(kbag);
		iotx509_buf_dispose(&der);
	}
	cr_assert_eq(gnutls_pkcs12_generate_mac2(p12, GNUTLS_MAC_SHA256, PW), 0);
	cr_assert_eq(gnutls_pkcs12_export2(p12, GNUTLS_X509_FMT_DER, &out), 0);
	th_write(path, out.data, out.size);
	gnutls_free(out.data);
	gnutls_pkcs12_bag_deinit(cbag);
	gnutls_pkcs12_deinit(p12);
}

Test(pkcs12, leaf_found_by_key_match_without_local_key_id)
{
	kit k;
	char *path;
	iotx509_pkcs12 *p = NULL;
	const iotx509_cert *certs[3];

	kit_make(&k, IOTX509_KEY_P256);
	/* Leaf last, root first: the order must not matter. */
	certs[0] = k.root;
	certs[1] = k.dev;
	certs[2] = k.inter;
	path = th_path(k.dir, "nokeyid.p12");
	gnutls_p12(path, (const iotx509_key *const *)&k.dk, 1, certs, 3);
	cr_assert_eq(iotx509_pkcs12_load(&p, path, PW, NULL), 0, "%s", th_err());
	assert_roundtrip(p, &k);
	cr_assert_null(iotx509_pkcs12_get_friendly_name(p));
	iotx509_pkcs12_free(p);
	free(path);
	kit_free(&k);
}

Test(pkcs12, file_without_key_or_its_certificate_or_with_two_keys_is_refused)
{
	kit k;
	char *path;
	iotx509_pkcs12 *p = NULL;
	const iotx509_cert *certs[2];

	kit_make(&k, IOTX509_KEY_P256);
	certs[0] = k.inter;
	certs[1] = k.root;
	path = th_path(k.dir, "nokey.p12");
	gnutls_p12(path, NULL, 0, certs, 2);
	cr_assert_eq(iotx509_pkcs12_load(&p, path, PW, NULL), IOTX509_ENOTFOUND);
	assert_msg_has("holds no private key");
	free(path);
	path = th_path(k.dir, "foreignkey.p12");
	gnutls_p12(path, (const iotx509_key *const *)&k.dk, 1, certs, 2);
	cr_assert_eq(iotx509_pkcs12_load(&p, path, PW, NULL), IOTX509_EKEYMISMATCH);
	assert_msg_has("no certificate in the PKCS#12 file belongs to its private key");
	cr_assert_null(p);
	free(path);
	{
		const iotx509_key *two[2];

		two[0] = k.dk;
		two[1] = k.ik;
		certs[0] = k.dev;
		path = th_path(k.dir, "twokeys.p12");
		gnutls_p12(path, two, 2, certs, 2);
		cr_assert_eq(iotx509_pkcs12_load(&p, path, PW, NULL), IOTX509_EUNSUPPORTED);
		assert_msg_has("several private keys");
		free(path);
	}
	kit_free(&k);
}

Test(pkcs12, imports_every_fixture_pfx)
{
	static const struct {
		const char *file, *cn;
	} files[] = {
		{ "create_test_cert/sampleDevice01.pfx", "sample-device-01" },
		{ "create_test_cert/mytestrootcert.pfx", "mytestrootcert" },
		{ "create_test_cert/myintermediate.pfx", "myintermediate" },
		{ "create_test_cert/mytestselfcertprimary.pfx", "mytestselfcertprimary" },
		{ "create_test_cert/verification.pfx", "1234ABCD" },
		{ "certgen_sh/new-device.cert.pfx", "mydevice2" },
	};
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		iotx509_pkcs12 *p = NULL;

		cr_assert_eq(iotx509_pkcs12_load(&p, th_fixture(files[i].file), "1234", NULL), 0, "%s: %s", files[i].file,
			     th_err());
		cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_pkcs12_get_leaf(p)), files[i].cn);
		cr_assert_eq(iotx509_cert_check_key(iotx509_pkcs12_get_leaf(p), iotx509_pkcs12_get_key(p)), 0);
		iotx509_pkcs12_free(p);
		cr_assert_eq(iotx509_pkcs12_load(&p, th_fixture(files[i].file), "4321", NULL), IOTX509_EPASSWORD,
			     "%s: %s", files[i].file, th_err());
		assert_msg_has(files[i].file);
	}
}

Test(pkcs12, imports_openssl_export_modern_and_legacy)
{
	kit k;
	char *key, *leaf, *chain, *out = NULL;
	const char *variants[] = { "", "-legacy" };
	size_t i;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	kit_make(&k, IOTX509_KEY_P256);
	key = th_save_key(k.dir, "key.pem", k.dk);
	leaf = th_save_cert(k.dir, "leaf.pem", k.dev);
	chain = th_path(k.dir, "chain.pem");
	cr_assert_eq(iotx509_certlist_save(k.chain, chain, NULL), 0);
	for (i = 0; i < 2; i++) {
		iotx509_pkcs12 *p = NULL;
		char *pfx = th_path(k.dir, i ? "legacy.pfx" : "modern.pfx");
		int rc = th_run(&out, "openssl pkcs12 -export %s -inkey '%s' -in '%s' -certfile '%s' -name ossl -passout pass:'%s' -out '%s'",
				variants[i], key, leaf, chain, PW, pfx);

		cr_assert_eq(rc, 0, "openssl pkcs12 -export %s: %s", variants[i], out);
		free(out);
		cr_assert_eq(iotx509_pkcs12_load(&p, pfx, PW, NULL), 0, "%s: %s", pfx, th_err());
		assert_roundtrip(p, &k);
		cr_assert_str_eq(iotx509_pkcs12_get_friendly_name(p), "ossl");
		iotx509_pkcs12_free(p);
		cr_assert_eq(iotx509_pkcs12_load(&p, pfx, "nope", NULL), IOTX509_EPASSWORD, "%s", th_err());
		free(pfx);
	}
	free(key);
	free(leaf);
	free(chain);
	kit_free(&k);
}

Test(pkcs12, imports_openssl_file_with_empty_password_when_allowed)
{
	kit k;
	char *key, *leaf, *out = NULL, *pfx;
	iotx509_pkcs12 *p = NULL;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	kit_make(&k, IOTX509_KEY_P256);
	key = th_save_key(k.dir, "key.pem", k.dk);
	leaf = th_save_cert(k.dir, "leaf.pem", k.dev);
	pfx = th_path(k.dir, "empty.pfx");
	cr_assert_eq(th_run(&out, "openssl pkcs12 -export -inkey '%s' -in '%s' -passout pass: -out '%s'", key, leaf, pfx),
		     0, "%s", out);
	free(out);
	cr_assert_eq(iotx509_pkcs12_load(&p, pfx, "", NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_pkcs12_load(&p, pfx, "", P12_READ_OPTS(IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD)), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_key_get_spki_sha256(iotx509_pkcs12_get_key(p)), iotx509_key_get_spki_sha256(k.dk));
	iotx509_pkcs12_free(p);
	free(key);
	free(leaf);
	free(pfx);
	kit_free(&k);
}

/* ---- hostile files ------------------------------------------------------ */

/* Import tests/data/p12key/@file and return the code; @took: seconds. */
static int import_hostile(const char *file, const char *password, unsigned int flags, double *took)
{
	iotx509_pkcs12 *p = NULL;
	char path[512];
	double t0;
	int ret;

	snprintf(path, sizeof(path), HOSTILE "%s", file);
	t0 = kc_now();
	ret = iotx509_pkcs12_load(&p, path, password, P12_READ_OPTS(flags));
	*took = kc_now() - t0;
	iotx509_pkcs12_free(p);
	return ret;
}

/* The limits are checked before any key derivation: each file is refused
 * at once (a 2^31-1 count used to take minutes), with a message naming the
 * count and the limit. */
Test(pkcs12, hostile_files_are_refused_before_any_key_derivation)
{
	static const struct {
		const char *file;
		int code;
		const char *msg;
	} cases[] = {
		{ "pfx-mac-iterations-2147483647.pfx", IOTX509_ELIMIT,
		  "PKCS#12 MAC: 2147483647 iterations exceed the limit of 2000000 (IOTX509_PKCS12_MAX_ITERATIONS)" },
		{ "pfx-mac-iterations-2000001.pfx", IOTX509_ELIMIT,
		  "PKCS#12 MAC: 2000001 iterations exceed the limit of 2000000" },
		{ "pfx-mac-iterations-9-octets.pfx", IOTX509_ELIMIT,
		  "PKCS#12 MAC: the iteration count, a 9-octet number, exceeds the limit of 2000000" },
		{ "pfx-mac-iterations-0.pfx", IOTX509_EPARSE, "PKCS#12 MAC: the iteration count is 0" },
		{ "pfx-mac-iterations-negative.pfx", IOTX509_EPARSE, "PKCS#12 MAC: the iteration count is negative" },
		{ "pfx-certs-pbkdf2-2147483647.pfx", IOTX509_ELIMIT,
		  "PKCS#12 content #1: 2147483647 iterations exceed the limit of 2000000" },
		{ "pfx-key-pbkdf2-2147483647.pfx", IOTX509_ELIMIT,
		  "PKCS#12 key bag (content #2): 2147483647 iterations exceed the limit of 2000000" },
		{ "pfx-key-pkcs12-3des-2147483647.pfx", IOTX509_ELIMIT,
		  "PKCS#12 key bag (content #2): 2147483647 iterations exceed the limit of 2000000" },
		{ "pfx-five-contents-1900000-each.pfx", IOTX509_ELIMIT,
		  "asks for 9502048 iterations of key derivation in all, more than the limit of 8000000 "
		  "(IOTX509_PKCS12_MAX_TOTAL_ITERATIONS)" },
		{ "pfx-33-contents.pfx", IOTX509_ELIMIT,
		  "holds 33 contents, more than the limit of 32 (IOTX509_PKCS12_MAX_CONTENTS)" },
		{ "pfx-33-bags.pfx", IOTX509_ELIMIT,
		  "PKCS#12 content #2 holds 33 bags, more than the 32 that are read (IOTX509_PKCS12_MAX_BAGS)" },
		{ "pfx-md5-mac.pfx", IOTX509_EUNSUPPORTED,
		  "unsupported PKCS#12 MAC digest MD5 (SHA-1 and SHA-2 are supported)" },
	};
	size_t i;

	cr_assert_eq(IOTX509_PKCS12_MAX_ITERATIONS, 2000000u);
	cr_assert_eq(IOTX509_PKCS12_MAX_TOTAL_ITERATIONS, 8000000u);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double took;
		int ret = import_hostile(cases[i].file, "1234", 0, &took);

		cr_expect_eq(ret, cases[i].code, "%s: got %d (%s)", cases[i].file, ret, th_err());
		cr_expect(strstr(th_err(), cases[i].msg) != NULL, "%s: message '%s' lacks '%s'", cases[i].file, th_err(),
			  cases[i].msg);
		cr_expect(strstr(th_err(), cases[i].file) != NULL, "%s: the message does not name the file", cases[i].file);
		cr_expect_lt(took, kc_prompt_seconds(), "%s: took %.3f s", cases[i].file, took);
	}
}

/* At the limit the MAC is computed (and does not verify: the count was
 * changed), not refused. */
Test(pkcs12, iteration_count_at_the_limit_is_read)
{
	double took;

	cr_assert_eq(import_hostile("pfx-mac-iterations-2000000.pfx", "1234", 0, &took), IOTX509_EPASSWORD, "%s",
		     th_err());
	assert_msg_has("the MAC does not verify");
}

/* What export writes at its largest count, import reads: one limit. */
Test(pkcs12, export_at_the_largest_count_reads_back, .timeout = 120)
{
	kit k;
	char *path;
	iotx509_pkcs12 *p = NULL;

	kit_make(&k, IOTX509_KEY_P256);
	path = save_p12(&k, "max.pfx", IOTX509_PKCS12_COMPAT, IOTX509_PKCS12_MAX_ITERATIONS, PW);
	cr_assert_eq(iotx509_pkcs12_load(&p, path, PW, NULL), 0, "%s", th_err());
	assert_roundtrip(p, &k);
	iotx509_pkcs12_free(p);
	free(path);
	kit_free(&k);
}

Test(pkcs12, file_without_mac_is_refused_unless_allowed)
{
	static const struct {
		const char *file;
		unsigned int protection;
	} files[] = {
		{ "pfx-no-mac.pfx", IOTX509_PKCS12_KEY_ENCRYPTED },
		{ "pfx-no-mac-no-encryption.pfx", 0 },
	};
	iotx509_pkcs12 *p = NULL;
	double took;
	size_t i;

	for (i = 0; i < 2; i++) {
		char path[512];

		snprintf(path, sizeof(path), HOSTILE "%s", files[i].file);
		cr_assert_eq(import_hostile(files[i].file, "1234", 0, &took), IOTX509_EUNSUPPORTED, "%s", th_err());
		assert_msg_has("has no MAC");
		assert_msg_has("IOTX509_PKCS12_ALLOW_NO_MAC");
		cr_assert_eq(iotx509_pkcs12_load(&p, path, "1234", P12_READ_OPTS(IOTX509_PKCS12_ALLOW_NO_MAC)), 0, "%s", th_err());
		cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_pkcs12_get_leaf(p)), "sample-device-01");
		cr_assert_eq(iotx509_pkcs12_get_protection(p), files[i].protection, "%s: protection %u", files[i].file,
			     iotx509_pkcs12_get_protection(p));
		iotx509_pkcs12_free(p);
		p = NULL;
	}
	/* Nothing checks the password of a file with neither MAC nor encryption. */
	cr_assert_eq(import_hostile("pfx-no-mac-no-encryption.pfx", "anything", IOTX509_PKCS12_ALLOW_NO_MAC, &took), 0);
	/* Its encrypted key does check it, for the other one. */
	cr_assert_eq(import_hostile("pfx-no-mac.pfx", "anything", IOTX509_PKCS12_ALLOW_NO_MAC, &took), IOTX509_EPASSWORD);
	/* Without a MAC a wrong password may decrypt the certificates to bytes
	 * with a valid padding (w258 does for this file; ~1 in 250 does for
	 * any): still the wrong password, not a malformed file. */
	cr_assert_eq(import_hostile("pfx-no-mac-certs-encrypted.pfx", "1234", IOTX509_PKCS12_ALLOW_NO_MAC, &took), 0,
		     "%s", th_err());
	cr_assert_eq(import_hostile("pfx-no-mac-certs-encrypted.pfx", "w258", IOTX509_PKCS12_ALLOW_NO_MAC, &took),
		     IOTX509_EPASSWORD, "%s", th_err());
	assert_msg_has("no MAC");
	for (i = 0; i < 400; i++) {
		char pw[16];

		snprintf(pw, sizeof(pw), "w%zu", i);
		cr_assert_eq(import_hostile("pfx-no-mac-certs-encrypted.pfx", pw, IOTX509_PKCS12_ALLOW_NO_MAC, &took),
			     IOTX509_EPASSWORD, "%s: %s", pw, th_err());
	}
	cr_assert_eq(iotx509_pkcs12_get_protection(NULL), 0);
	cr_assert_eq(iotx509_pkcs12_load(&p, th_fixture("create_test_cert/sampleDevice01.pfx"), "1234", NULL), 0);
	cr_assert_eq(iotx509_pkcs12_get_protection(p),
		     IOTX509_PKCS12_MAC | IOTX509_PKCS12_KEY_ENCRYPTED | IOTX509_PKCS12_CERTS_ENCRYPTED);
	iotx509_pkcs12_free(p);
}

/*
 * A .pfx of the kit's device made with GnuTLS's own writer with the empty
 * password as Java and BouncyCastle write it: no password bytes at all
 * (OpenSSL and this library write the 00 00 of an empty BMPString).
 * Certificate and key under PKCS#12 3DES, where the two forms differ;
 * with @mac a SHA-1 MAC.
 */
static void null_password_pfx(const kit *k, int mac, iotx509_buf *out)
{
	iotx509_buf cert = IOTX509_BUF_INIT, key = IOTX509_BUF_INIT;
	gnutls_datum_t cd, kd, enc = { NULL, 0 }, pfx = { NULL, 0 };
	gnutls_x509_crt_t crt;
	gnutls_x509_privkey_t pk;
	gnutls_pkcs12_bag_t cbag, kbag;
	gnutls_pkcs12_t p12;

	cr_assert_eq(iotx509_cert_export_der(&cert, k->dev), 0);
	cr_assert_eq(iotx509_key_export_der(&key, k->dk, NULL), 0);
	cd.data = cert.data;
	cd.size = (unsigned int)cert.size;
	kd.data = key.data;
	kd.size = (unsigned int)key.size;
	cr_assert_eq(gnutls_x509_crt_init(&crt), 0);
	cr_assert_eq(gnutls_x509_crt_import(crt, &cd, GNUTLS_X509_FMT_DER), 0);
	cr_assert_eq(gnutls_x509_privkey_init(&pk), 0);
	cr_assert_eq(gnutls_x509_privkey_import(pk, &kd, GNUTLS_X509_FMT_DER), 0);
	cr_assert_eq(gnutls_x509_privkey_export2_pkcs8(pk, GNUTLS_X509_FMT_DER, NULL,
						       GNUTLS_PKCS_PKCS12_3DES | GNUTLS_PKCS_NULL_PASSWORD, &enc),
		     0);
	cr_assert_eq(gnutls_pkcs12_bag_init(&cbag), 0);
	cr_assert_geq(gnutls_pkcs12_bag_set_crt(cbag, crt), 0);
	cr_assert_eq(gnutls_pkcs12_bag_encrypt(cbag, NULL, GNUTLS_PKCS_PKCS12_3DES), 0);
	cr_assert_eq(gnutls_pkcs12_bag_init(&kbag), 0);
	cr_assert_geq(gnutls_pkcs12_bag_set_data(kbag, GNUTLS_BAG_PKCS8_ENCRYPTED_KEY, &enc), 0);
	cr_assert_eq(gnutls_pkcs12_init(&p12), 0);
	cr_assert_eq(gnutls_pkcs12_set_bag(p12, cbag), 0);
	cr_assert_eq(gnutls_pkcs12_set_bag(p12, kbag), 0);
	/* GnuTLS writes no file without a MAC: its MAC is taken off after. */
	cr_assert_eq(gnutls_pkcs12_generate_mac2(p12, GNUTLS_MAC_SHA1, NULL), 0);
	cr_assert_eq(gnutls_pkcs12_export2(p12, GNUTLS_X509_FMT_DER, &pfx), 0);
	if (mac) {
		cr_assert_not_null(out->data = malloc(pfx.size));
		memcpy(out->data, pfx.data, pfx.size);
		out->size = pfx.size;
	} else {
		cr_assert_not_null(out->data = kc_without_mac(pfx.data, pfx.size, &out->size));
	}
	gnutls_free(pfx.data);
	gnutls_free(enc.data);
	gnutls_pkcs12_deinit(p12);
	gnutls_pkcs12_bag_deinit(cbag);
	gnutls_pkcs12_bag_deinit(kbag);
	gnutls_x509_privkey_deinit(pk);
	gnutls_x509_crt_deinit(crt);
	iotx509_buf_dispose(&cert);
	iotx509_buf_dispose(&key);
}

Test(pkcs12, empty_password_is_read_in_both_encodings, .timeout = 120)
{
	kit k;
	iotx509_buf der = IOTX509_BUF_INIT;
	iotx509_pkcs12 *p = NULL;
	double took;
	int mac;

	/* OpenSSL's form. */
	cr_assert_eq(import_hostile("pfx-empty-password.pfx", "", IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD, &took), 0, "%s",
		     th_err());
	cr_assert_eq(import_hostile("pfx-empty-password.pfx", "", 0, &took), IOTX509_EINVAL);
	cr_assert_eq(import_hostile("pfx-empty-password.pfx", "1234", 0, &took), IOTX509_EPASSWORD);
	/* No password bytes: with a MAC, which tells the form, and without. */
	kit_make(&k, IOTX509_KEY_P256);
	for (mac = 1; mac >= 0; mac--) {
		unsigned int flags = IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD | (mac ? 0 : IOTX509_PKCS12_ALLOW_NO_MAC);

		null_password_pfx(&k, mac, &der);
		cr_assert_eq(iotx509_pkcs12_import(&p, der.data, der.size, "", P12_READ_OPTS(flags)), 0, "mac %d: %s", mac, th_err());
		cr_assert_str_eq(iotx509_key_get_spki_sha256(iotx509_pkcs12_get_key(p)), iotx509_key_get_spki_sha256(k.dk));
		cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(iotx509_pkcs12_get_leaf(p)),
				 iotx509_cert_get_thumbprint_sha256(k.dev));
		cr_assert_eq(iotx509_pkcs12_get_protection(p) & IOTX509_PKCS12_MAC, mac ? IOTX509_PKCS12_MAC : 0);
		iotx509_pkcs12_free(p);
		p = NULL;
		cr_assert_eq(iotx509_pkcs12_import(&p, der.data, der.size, "x", P12_READ_OPTS(flags)), IOTX509_EPASSWORD, "mac %d: %s",
			     mac, th_err());
		iotx509_buf_dispose(&der);
	}
	kit_free(&k);
}

/* The key inside a .pfx is written at the curve length too (RFC 5915):
 * the modern profile's key bag, decrypted here, holds 32 or 48 octets. */
Test(pkcs12, ec_keys_in_pfx_are_written_at_the_curve_length)
{
	size_t i;

	for (i = 0; i < sizeof(kc_awkward_kinds) / sizeof(kc_awkward_kinds[0]); i++) {
		unsigned int bits = kc_awkward_kinds[i].bits;
		iotx509_key *key = kc_awkward_ec_key(bits, kc_awkward_kinds[i].high);
		iotx509_cert *leaf = NULL;
		iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
		iotx509_buf pfx = IOTX509_BUF_INIT;
		iotx509_pkcs12 *p = NULL;
		unsigned char *bag, *plain;
		size_t bag_size, plain_size;

		cr_assert_not_null(key);
		o.at = T0;
		cr_assert_eq(iotx509_issue_root(&leaf, key, "fixed-length", &o), 0, "%s", th_err());
		cr_assert_eq(iotx509_pkcs12_export(&pfx, leaf, key, NULL, PW, NULL), 0, "%s", th_err());
		bag = kc_pfx_key_bag(pfx.data, pfx.size, &bag_size);
		cr_assert_not_null(bag);
		plain = kc_pbes2_decrypt(bag, bag_size, PW, &plain_size);
		cr_assert_not_null(plain);
		cr_assert_eq(kc_ec_private_octets(plain, plain_size), (int)bits / 8, "P-%u: %d octets", bits,
			     kc_ec_private_octets(plain, plain_size));
		cr_assert_eq(iotx509_pkcs12_import(&p, pfx.data, pfx.size, PW, NULL), 0, "%s", th_err());
		cr_assert_str_eq(iotx509_key_get_spki_sha256(iotx509_pkcs12_get_key(p)), iotx509_key_get_spki_sha256(key));
		iotx509_pkcs12_free(p);
		free(plain);
		free(bag);
		iotx509_buf_dispose(&pfx);
		iotx509_cert_free(leaf);
		iotx509_key_free(key);
	}
}

/* Python's cryptography 42 and later refuse EC keys at the wrong length,
 * in .pfx files as elsewhere: both profiles, 16 keys each way. */
Test(pkcs12, pyca_cryptography_reads_our_pfx_files, .timeout = 120)
{
	const char *py = "import sys\n"
			 "from cryptography.hazmat.primitives.serialization import pkcs12\n"
			 "for f in sys.argv[1:]:\n"
			 "    pkcs12.load_key_and_certificates(open(f, 'rb').read(), b'" PW "')\n";
	char *dir = th_tmpdir(), *script = th_path(dir, "load.py"), *out = NULL;
	int i, high;

	if (th_run(NULL, "python3 -c 'import cryptography.hazmat.primitives.serialization.pkcs12' 2>/dev/null") != 0)
		cr_skip_test("python3 with the cryptography package is not installed");
	th_write(script, py, strlen(py));
	for (i = 0; i < 16; i++)
		for (high = 0; high < 2; high++) {
			iotx509_key *key = kc_awkward_ec_key(i % 2 ? 384 : 256, high || i % 2);
			iotx509_cert *leaf = NULL;
			iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
			iotx509_pkcs12_options po = IOTX509_PKCS12_OPTIONS_INIT;
			char name[32], *path;

			cr_assert_not_null(key);
			o.at = T0;
			cr_assert_eq(iotx509_issue_root(&leaf, key, "pyca", &o), 0, "%s", th_err());
			snprintf(name, sizeof(name), "p%02d%d.pfx", i, high);
			path = th_path(dir, name);
			po.profile = high ? IOTX509_PKCS12_COMPAT : IOTX509_PKCS12_MODERN;
			cr_assert_eq(iotx509_pkcs12_save(leaf, key, NULL, path, PW, &po, NULL), 0, "%s", th_err());
			free(path);
			iotx509_cert_free(leaf);
			iotx509_key_free(key);
		}
	cr_assert_eq(th_run(&out, "cd '%s' && python3 load.py p*.pfx 2>&1", dir), 0, "%s", out);
	free(out);
	free(script);
	th_rmrf(dir);
	free(dir);
}

/* ---- interop: other tools read what we write -------------------------- */

Test(pkcs12, openssl_reads_modern_without_legacy)
{
	kit k;
	char *path, *out = NULL;
	int rc;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	kit_make(&k, IOTX509_KEY_P256);
	path = save_p12(&k, "modern.p12", IOTX509_PKCS12_MODERN, 0, PW);
	rc = th_run(&out, "openssl pkcs12 -info -nodes -in '%s' -passin pass:'%s'", path, PW);
	cr_assert_eq(rc, 0, "openssl pkcs12 -info failed: %s", out);
	assert_has(out, "MAC: sha256, Iteration 2048");
	cr_assert_eq(count_of(out, "PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"), 2, "%s", out);
	assert_has(out, "Shrouded Keybag");
	cr_assert_eq(count_of(out, "friendlyName: p12-device-01"), 2, "%s", out);
	cr_assert_eq(count_of(out, "localKeyID:"), 2, "%s", out);
	cr_assert_eq(count_of(out, "BEGIN CERTIFICATE"), 3, "%s", out);
	assert_has(out, "BEGIN PRIVATE KEY");
	free(out);
	/* The wrong password is refused by openssl too. */
	rc = th_run(&out, "openssl pkcs12 -info -noout -in '%s' -passin pass:wrong", path);
	cr_assert_neq(rc, 0, "%s", out);
	free(out);
	free(path);
	kit_free(&k);
}

Test(pkcs12, openssl_reads_compat_and_iterations_are_configurable)
{
	kit k;
	char *path, *out = NULL;
	int rc;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	kit_make(&k, IOTX509_KEY_RSA2048);
	path = save_p12(&k, "compat.p12", IOTX509_PKCS12_COMPAT, 5000, PW);
	/* 3DES is in OpenSSL 3's default provider: no -legacy needed. */
	rc = th_run(&out, "openssl pkcs12 -info -nodes -in '%s' -passin pass:'%s'", path, PW);
	cr_assert_eq(rc, 0, "openssl pkcs12 -info failed: %s", out);
	assert_has(out, "MAC: sha1, Iteration 5000");
	cr_assert_eq(count_of(out, "pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 5000"), 2, "%s", out);
	cr_assert_eq(count_of(out, "friendlyName: p12-device-01"), 2, "%s", out);
	cr_assert_eq(count_of(out, "BEGIN CERTIFICATE"), 3, "%s", out);
	free(out);
	rc = th_run(&out, "openssl pkcs12 -legacy -info -noout -in '%s' -passin pass:'%s'", path, PW);
	cr_assert_eq(rc, 0, "openssl pkcs12 -legacy -info failed: %s", out);
	free(out);
	free(path);
	kit_free(&k);
}

Test(pkcs12, certtool_reads_both_profiles)
{
	kit k;
	char *out = NULL;
	int i;

	if (!th_have("certtool"))
		cr_skip_test("certtool (gnutls-bin) is not installed");
	kit_make(&k, IOTX509_KEY_P256);
	for (i = 0; i < 2; i++) {
		char *path = save_p12(&k, i ? "c.p12" : "m.p12", i ? IOTX509_PKCS12_COMPAT : IOTX509_PKCS12_MODERN, 0, PW);
		int rc = th_run(&out, "certtool --p12-info --inder --infile '%s' --password '%s'", path, PW);

		cr_assert_eq(rc, 0, "certtool --p12-info failed: %s", out);
		cr_assert_eq(count_of(out, i ? "Schema: PKCS12-3DES-SHA1" : "Schema: PBES2-AES256-CBC"), 2, "%s", out);
		cr_assert_eq(count_of(out, "Iteration count: 2048"), 3, "%s", out);
		assert_has(out, i ? "MAC info:\n\tMAC: SHA1" : "MAC info:\n\tMAC: SHA256");
		assert_has(out, "Friendly name: p12-device-01");
		cr_assert_eq(count_of(out, "BEGIN CERTIFICATE"), 3, "%s", out);
		free(out);
		free(path);
	}
	kit_free(&k);
}

Test(pkcs12, keytool_lists_private_key_entry_with_full_chain)
{
	kit k;
	char *out = NULL;
	int i;

	if (!th_have("keytool"))
		cr_skip_test("keytool (default-jdk-headless) is not installed");
	kit_make(&k, IOTX509_KEY_RSA2048);
	for (i = 0; i < 2; i++) {
		char *path = save_p12(&k, i ? "c.p12" : "m.p12", i ? IOTX509_PKCS12_COMPAT : IOTX509_PKCS12_MODERN, 0, PW);
		int rc = th_run(&out, "keytool -list -v -storetype PKCS12 -keystore '%s' -storepass '%s'", path, PW);

		cr_assert_eq(rc, 0, "keytool failed: %s", out);
		assert_has(out, "Your keystore contains 1 entry");
		assert_has(out, "Alias name: p12-device-01");
		assert_has(out, "Entry type: PrivateKeyEntry");
		assert_has(out, "Certificate chain length: 3");
		free(out);
		rc = th_run(&out, "keytool -list -storetype PKCS12 -keystore '%s' -storepass wrongpass", path);
		cr_assert_neq(rc, 0, "keytool accepted a wrong password: %s", out);
		free(out);
		free(path);
	}
	kit_free(&k);
}

Test(pkcs12, node_create_secure_context_accepts_both_profiles)
{
	kit k;
	char *out = NULL;
	int i;
	static const char js[] = "const fs=require('fs'),tls=require('tls');"
				 "tls.createSecureContext({pfx:fs.readFileSync(process.argv[1]),passphrase:process.argv[2]});"
				 "console.log('context ok');";

	if (!th_have("node"))
		cr_skip_test("node (nodejs) is not installed");
	kit_make(&k, IOTX509_KEY_P256);
	for (i = 0; i < 2; i++) {
		char *path = save_p12(&k, i ? "c.p12" : "m.p12", i ? IOTX509_PKCS12_COMPAT : IOTX509_PKCS12_MODERN, 0, PW);
		int rc = th_run(&out, "node -e \"%s\" '%s' '%s'", js, path, PW);

		cr_assert_eq(rc, 0, "node refused the %s profile: %s", i ? "compat" : "modern", out);
		assert_has(out, "context ok");
		free(out);
		rc = th_run(&out, "node -e \"%s\" '%s' wrong", js, path);
		cr_assert_neq(rc, 0, "node accepted a wrong passphrase: %s", out);
		free(out);
		free(path);
	}
	kit_free(&k);
}

/* ---- options: zero-fill and versions ---------------------------------- */

static iotx509_pkcs12 *export_import(const kit *k, const iotx509_pkcs12_options *po)
{
	iotx509_buf der = IOTX509_BUF_INIT;
	iotx509_pkcs12 *p = NULL;

	cr_assert_eq(iotx509_pkcs12_export(&der, k->dev, k->dk, k->chain, PW, po), 0, "%s", th_err());
	cr_assert_eq(iotx509_pkcs12_import(&p, der.data, der.size, PW, NULL), 0, "%s", th_err());
	iotx509_buf_dispose(&der);
	return p;
}

Test(pkcs12, zero_filled_options_are_the_defaults)
{
	kit k;
	iotx509_pkcs12_options z, init = IOTX509_PKCS12_OPTIONS_INIT;
	iotx509_pkcs12 *a, *b;

	kit_make(&k, IOTX509_KEY_P256);
	TH_ZERO_OPTIONS(z, IOTX509_PKCS12_OPTIONS_VERSION);
	a = export_import(&k, &z);
	b = export_import(&k, &init);
	assert_roundtrip(a, &k);
	assert_roundtrip(b, &k);
	cr_assert_eq(iotx509_pkcs12_get_protection(a), iotx509_pkcs12_get_protection(b));
	cr_assert_str_eq(iotx509_pkcs12_get_friendly_name(a), "p12-device-01");
	cr_assert_str_eq(iotx509_pkcs12_get_friendly_name(b), "p12-device-01");
	TH_CHECK_OPTIONS_INIT(iotx509_pkcs12_options, iotx509_pkcs12_options_init, IOTX509_PKCS12_OPTIONS_VERSION, "PKCS#12 options",
			      IOTX509_PKCS12_OPTIONS_INIT);
	iotx509_pkcs12_free(a);
	iotx509_pkcs12_free(b);
	kit_free(&k);
}

Test(pkcs12, options_versions_1_to_current)
{
	kit k;
	iotx509_pkcs12_options o = IOTX509_PKCS12_OPTIONS_INIT;
	iotx509_buf der = IOTX509_BUF_INIT;

	kit_make(&k, IOTX509_KEY_P256);
	o.version = 1;
	iotx509_pkcs12_free(export_import(&k, &o));
	o.version = 0;
	th_version_refused(iotx509_pkcs12_export(&der, k.dev, k.dk, k.chain, PW, &o), 0);
	o.version = IOTX509_PKCS12_OPTIONS_VERSION + 1;
	th_version_refused(iotx509_pkcs12_export(&der, k.dev, k.dk, k.chain, PW, &o), IOTX509_PKCS12_OPTIONS_VERSION + 1);
	cr_assert_null(der.data);
	kit_free(&k);
}

Test(pkcs12, read_options_zero_filled_are_the_defaults)
{
	kit k;
	iotx509_buf der = IOTX509_BUF_INIT;
	iotx509_pkcs12 *p = NULL;
	iotx509_pkcs12_options po = IOTX509_PKCS12_OPTIONS_INIT;
	iotx509_pkcs12_read_options z, init = IOTX509_PKCS12_READ_OPTIONS_INIT;
	char *path;

	kit_make(&k, IOTX509_KEY_P256);
	po.flags = IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD;
	cr_assert_eq(iotx509_pkcs12_export(&der, k.dev, k.dk, k.chain, "", &po), 0, "%s", th_err());
	TH_ZERO_OPTIONS(z, IOTX509_PKCS12_READ_OPTIONS_VERSION);
	/* The default refuses the empty password, whichever way it is asked for. */
	cr_assert_eq(iotx509_pkcs12_import(&p, der.data, der.size, "", &z), IOTX509_EINVAL);
	assert_msg_has("IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD");
	cr_assert_eq(iotx509_pkcs12_import(&p, der.data, der.size, "", &init), IOTX509_EINVAL);
	z.flags = IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD;
	cr_assert_eq(iotx509_pkcs12_import(&p, der.data, der.size, "", &z), 0, "the flag is read: %s", th_err());
	iotx509_pkcs12_free(p);
	p = NULL;
	TH_CHECK_OPTIONS_INIT(iotx509_pkcs12_read_options, iotx509_pkcs12_read_options_init,
			      IOTX509_PKCS12_READ_OPTIONS_VERSION, "PKCS#12 read options", IOTX509_PKCS12_READ_OPTIONS_INIT);
	path = th_path(k.dir, "v.p12");
	cr_assert_eq(iotx509_file_write(path, der.data, der.size, NULL), 0, "%s", th_err());
	init.version = 0;
	th_version_refused_named(iotx509_pkcs12_import(&p, der.data, der.size, "", &init), 0, "PKCS#12 read options");
	th_version_refused_named(iotx509_pkcs12_load(&p, path, "", &init), 0, "PKCS#12 read options");
	init.version = IOTX509_PKCS12_READ_OPTIONS_VERSION + 1;
	th_version_refused_named(iotx509_pkcs12_load(&p, path, "", &init), IOTX509_PKCS12_READ_OPTIONS_VERSION + 1,
				 "PKCS#12 read options");
	cr_assert_null(p);
	free(path);
	iotx509_buf_dispose(&der);
	kit_free(&k);
}
