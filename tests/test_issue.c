#include <criterion/criterion.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509-ext.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"

#define T0 TH_FIXTURE_TIME
#define DAY 86400

static char *dir;

static void setup(void)
{
	dir = th_tmpdir();
}

static void teardown(void)
{
	th_rmrf(dir);
	free(dir);
}

TestSuite(issue, .init = setup, .fini = teardown);

/* A root CA at T0 and a fresh P-256 subject key. */
typedef struct {
	iotx509_key *root_key, *subject_key;
	iotx509_cert *root;
	iotx509_issuer *ca;
	iotx509_issue_options opts;
} fixture;

static void fx_init(fixture *f)
{
	memset(f, 0, sizeof(*f));
	th_make_root(&f->root_key, &f->root, &f->ca, "Test Root", T0);
	cr_assert_eq(iotx509_key_generate(&f->subject_key, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_options_init(&f->opts, IOTX509_ISSUE_OPTIONS_VERSION), 0);
	f->opts.at = T0 + 60;
}

static void fx_free(fixture *f)
{
	iotx509_issuer_free(f->ca);
	iotx509_cert_free(f->root);
	iotx509_key_free(f->root_key);
	iotx509_key_free(f->subject_key);
}

static void expect_err(int got, int want, const char *needle)
{
	cr_assert_eq(got, want, "got %d (%s), want %d", got, th_err(), want);
	cr_assert(strstr(th_err(), needle) != NULL, "message '%s' lacks '%s'", th_err(), needle);
}

#define CA_KU (IOTX509_KU_KEY_CERT_SIGN | IOTX509_KU_CRL_SIGN | IOTX509_KU_DIGITAL_SIGNATURE)

Test(issue, root_profile)
{
	fixture f;

	fx_init(&f);
	cr_assert(iotx509_cert_is_ca(f.root));
	cr_assert(iotx509_cert_is_self_signed(f.root));
	cr_assert_not(iotx509_cert_has_pathlen(f.root));
	cr_assert_eq(iotx509_cert_get_pathlen(f.root), 0, "no constraint reads as 0, never as an error code");
	cr_assert_eq(iotx509_cert_get_key_usage(f.root), CA_KU);
	cr_assert_eq(iotx509_cert_get_ext_key_usage(f.root), 0);
	cr_assert_str_eq(iotx509_cert_get_subject_dn(f.root), "CN=Test Root");
	cr_assert_eq(iotx509_cert_get_not_before(f.root), T0 - 300, "backdated 5 minutes");
	cr_assert_eq(iotx509_cert_get_not_after(f.root), T0 + 3650LL * DAY, "default 3650 days");
	fx_free(&f);
}

Test(issue, root_with_pathlen_and_days)
{
	iotx509_key *k = NULL;
	iotx509_cert *c = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;

	o.at = T0;
	o.has_pathlen = 1;
	o.pathlen = 2;
	o.days = 10;
	o.flags |= IOTX509_ISSUE_NO_BACKDATE;
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_root(&c, k, "R", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_cert_get_pathlen(c), 2);
	cr_assert_eq(iotx509_cert_get_not_before(c), T0);
	cr_assert_eq(iotx509_cert_get_not_after(c), T0 + 10 * DAY);
	iotx509_cert_free(c);
	iotx509_key_free(k);
}

Test(issue, intermediate_and_edge_ca_profiles)
{
	fixture f;
	iotx509_cert *inter = NULL, *edge = NULL;
	iotx509_issuer *ica = NULL;
	iotx509_key *ek = NULL;

	fx_init(&f);
	f.opts.has_pathlen = 1;
	f.opts.pathlen = 1;
	cr_assert_eq(iotx509_issue_intermediate(&inter, f.ca, f.subject_key, "Inter", &f.opts), 0, "%s", th_err());
	cr_assert(iotx509_cert_is_ca(inter));
	cr_assert_eq(iotx509_cert_get_pathlen(inter), 1);
	cr_assert_eq(iotx509_cert_get_key_usage(inter), CA_KU);
	cr_assert_str_eq(iotx509_cert_get_issuer_dn(inter), "CN=Test Root");
	cr_assert_eq(iotx509_cert_get_not_after(inter), T0 + 60 + 1825LL * DAY);

	cr_assert_eq(iotx509_issuer_new(&ica, inter, f.subject_key), 0, "%s", th_err());
	cr_assert_eq(iotx509_key_generate(&ek, IOTX509_KEY_P256), 0);
	f.opts.has_pathlen = 0;
	f.opts.pathlen = 0;
	cr_assert_eq(iotx509_issue_edge_ca(&edge, ica, ek, "myEdgeDevice.ca", &f.opts), 0, "%s", th_err());
	cr_assert(iotx509_cert_is_ca(edge));
	cr_assert(iotx509_cert_has_pathlen(edge));
	cr_assert_eq(iotx509_cert_get_pathlen(edge), 0, "edge CAs are always pathlen 0");
	cr_assert_eq(iotx509_cert_get_not_after(edge), T0 + 60 + 365LL * DAY);
	iotx509_cert_free(edge);
	iotx509_cert_free(inter);
	iotx509_issuer_free(ica);
	iotx509_key_free(ek);
	fx_free(&f);
}

Test(issue, device_profile_for_each_key_type)
{
	fixture f;
	iotx509_key_type types[] = { IOTX509_KEY_P256, IOTX509_KEY_P384, IOTX509_KEY_ED25519, IOTX509_KEY_RSA2048 };
	size_t i;

	fx_init(&f);
	for (i = 0; i < 4; i++) {
		iotx509_key *k = NULL;
		iotx509_cert *c = NULL;
		unsigned want = IOTX509_KU_DIGITAL_SIGNATURE;

		cr_assert_eq(iotx509_key_generate(&k, types[i]), 0);
		cr_assert_eq(iotx509_issue_device(&c, f.ca, k, "sample-device-01", &f.opts), 0, "%s", th_err());
		if (types[i] == IOTX509_KEY_RSA2048)
			want |= IOTX509_KU_KEY_ENCIPHERMENT;
		cr_assert_str_eq(iotx509_cert_get_subject_dn(c), "CN=sample-device-01");
		cr_assert_not(iotx509_cert_is_ca(c));
		cr_assert_eq(iotx509_cert_get_key_usage(c), want, "key type %zu", i);
		cr_assert_eq(iotx509_cert_get_ext_key_usage(c), IOTX509_EKU_CLIENT_AUTH);
		cr_assert_eq(iotx509_cert_check_key(c, k), 0);
		cr_assert_eq(iotx509_cert_get_not_after(c), T0 + 60 + 365LL * DAY);
		iotx509_cert_free(c);
		iotx509_key_free(k);
	}
	fx_free(&f);
}

Test(issue, self_signed_device_and_verification_and_server)
{
	fixture f;
	iotx509_cert *c = NULL;
	iotx509_strlist *dns = th_strlist("gateway.local", NULL);
	iotx509_strlist *ips = th_strlist("10.0.0.1", NULL);

	fx_init(&f);
	cr_assert_eq(iotx509_issue_device_self_signed(&c, f.subject_key, "mytestselfcertprimary", &f.opts), 0, "%s", th_err());
	cr_assert(iotx509_cert_is_self_signed(c));
	cr_assert_not(iotx509_cert_is_ca(c));
	cr_assert_eq(iotx509_cert_get_ext_key_usage(c), IOTX509_EKU_CLIENT_AUTH);
	iotx509_cert_free(c);

	cr_assert_eq(iotx509_issue_verification(&c, f.ca, f.subject_key, "1234ABCD", &f.opts), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_cert_get_subject_cn(c), "1234ABCD", "the nonce is kept exactly");
	cr_assert_not(iotx509_cert_is_ca(c));
	cr_assert_eq(iotx509_cert_get_not_after(c), T0 + 60 + 2 * DAY, "short default validity");
	iotx509_cert_free(c);

	f.opts.dns_names = dns;
	f.opts.ip_addresses = ips;
	cr_assert_eq(iotx509_issue_server(&c, f.ca, f.subject_key, "gateway", &f.opts), 0, "%s", th_err());
	cr_assert_eq(iotx509_cert_get_ext_key_usage(c), IOTX509_EKU_SERVER_AUTH);
	iotx509_cert_free(c);
	fx_free(&f);
	iotx509_strlist_free(dns);
	iotx509_strlist_free(ips);
}

Test(issue, zero_filled_options_mean_no_subject_alt_names)
{
	fixture f;
	iotx509_issue_options zero;
	iotx509_cert *c = NULL;

	fx_init(&f);
	memset(&zero, 0, sizeof(zero));
	zero.version = IOTX509_ISSUE_OPTIONS_VERSION;
	zero.at = T0 + 60;
	cr_assert_eq(iotx509_issue_device(&c, f.ca, f.subject_key, "dev-01", &zero), 0, "%s", th_err());
	cr_assert_eq(iotx509_cert_san_count(c, IOTX509_SAN_DNS), 0);
	cr_assert_eq(iotx509_cert_san_count(c, IOTX509_SAN_IP), 0);
	iotx509_cert_free(c);
	c = NULL;
	expect_err(iotx509_issue_server(&c, f.ca, f.subject_key, "srv", &zero), IOTX509_EINVAL, "at least one");
	cr_assert_null(c);
	fx_free(&f);
}

Test(issue, serials_are_20_octets_positive_and_distinct)
{
	fixture f;
	char seen[32][64];
	int i, j;

	fx_init(&f);
	for (i = 0; i < 32; i++) {
		iotx509_cert *c = NULL;
		const char *s;

		cr_assert_eq(iotx509_issue_device(&c, f.ca, f.subject_key, "d", &f.opts), 0, "%s", th_err());
		s = iotx509_cert_get_serial_hex(c);
		cr_assert_eq(strlen(s), 40, "serial %s", s);
		cr_assert(s[0] >= '0' && s[0] <= '7', "positive: %s", s);
		cr_assert(strncmp(s, "00", 2) != 0, "minimal encoding: %s", s);
		for (j = 0; j < i; j++)
			cr_assert_str_neq(seen[j], s);
		strcpy(seen[i], s);
		iotx509_cert_free(c);
	}
	fx_free(&f);
}

Test(issue, child_validity_is_clamped_to_the_issuer_or_refused_in_strict_mode)
{
	iotx509_key *rk = NULL, *k = NULL;
	iotx509_cert *root = NULL, *c = NULL;
	iotx509_issuer *ca = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;

	o.at = T0;
	o.days = 30;
	cr_assert_eq(iotx509_key_generate(&rk, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_root(&root, rk, "Short Root", &o), 0);
	cr_assert_eq(iotx509_issuer_new(&ca, root, rk), 0);
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	o.at = T0 + 1;
	o.days = 365;
	o.backdate_seconds = 600; /* would start before the issuer */
	cr_assert_eq(iotx509_issue_device(&c, ca, k, "dev", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_cert_get_not_after(c), iotx509_cert_get_not_after(root), "clamped");
	cr_assert_eq(iotx509_cert_get_not_before(c), iotx509_cert_get_not_before(root), "not before the issuer");
	iotx509_cert_free(c);
	c = NULL;
	o.flags = IOTX509_ISSUE_STRICT_VALIDITY;
	expect_err(iotx509_issue_device(&c, ca, k, "dev", &o), IOTX509_EVALIDITY, "later than the issuer's notAfter");
	cr_assert_null(c);
	o.days = 10;
	cr_assert_eq(iotx509_issue_device(&c, ca, k, "dev", &o), 0, "within the issuer is fine: %s", th_err());
	iotx509_cert_free(c);
	iotx509_cert_free(root);
	iotx509_issuer_free(ca);
	iotx509_key_free(rk);
	iotx509_key_free(k);
}

/* The cut is reported on the new handle (and on what shares it), with
 * the notAfter asked for; an uncut or loaded certificate reports 0. */
Test(issue, a_cut_validity_reports_the_requested_not_after)
{
	iotx509_key *rk = NULL, *k = NULL;
	iotx509_cert *root = NULL, *c = NULL, *dup = NULL, *loaded = NULL;
	iotx509_issuer *ca = NULL;
	iotx509_credential *cred = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_buf pem = IOTX509_BUF_INIT;

	o.at = T0;
	o.days = 25;
	cr_assert_eq(iotx509_key_generate(&rk, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_root(&root, rk, "Short Root", &o), 0);
	cr_assert_eq(iotx509_issue_get_requested_not_after(root), 0, "a root is never cut");
	cr_assert_eq(iotx509_issuer_new(&ca, root, rk), 0);
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	o.days = 365;
	cr_assert_eq(iotx509_issue_device(&c, ca, k, "dev", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_get_requested_not_after(c), T0 + 365 * DAY);
	cr_assert_eq(iotx509_cert_get_not_after(c), T0 + 25 * DAY);
	cr_assert_eq(iotx509_cert_dup(&dup, c), 0);
	cr_assert_eq(iotx509_issue_get_requested_not_after(dup), T0 + 365 * DAY, "travels with dup");
	cr_assert_eq(iotx509_credential_new(&cred, c, k, NULL, CRED_OPTS(IOTX509_CREDENTIAL_PARTIAL_CHAIN)), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_get_requested_not_after(iotx509_credential_get_cert(cred)), T0 + 365 * DAY);
	cr_assert_eq(iotx509_cert_export_pem(&pem, c), 0);
	cr_assert_eq(iotx509_cert_import(&loaded, pem.data, pem.size), 0);
	cr_assert_eq(iotx509_issue_get_requested_not_after(loaded), 0, "not part of the certificate");
	iotx509_cert_free(c);
	c = NULL;
	o.days = 25;
	cr_assert_eq(iotx509_issue_device(&c, ca, k, "dev", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_get_requested_not_after(c), 0, "exactly the issuer's notAfter is no cut");
	cr_assert_eq(iotx509_issue_get_requested_not_after(NULL), 0);
	iotx509_buf_dispose(&pem);
	iotx509_credential_free(cred);
	iotx509_cert_free(loaded);
	iotx509_cert_free(dup);
	iotx509_cert_free(c);
	iotx509_cert_free(root);
	iotx509_issuer_free(ca);
	iotx509_key_free(rk);
	iotx509_key_free(k);
}

Test(issue, expired_or_not_yet_valid_issuer_is_refused)
{
	fixture f;
	iotx509_cert *c = NULL;

	fx_init(&f);
	f.opts.at = T0 + 3651LL * DAY;
	expect_err(iotx509_issue_device(&c, f.ca, f.subject_key, "dev", &f.opts), IOTX509_EISSUERVALIDITY,
		   "issuer 'CN=Test Root' expired on");
	f.opts.at = T0 - DAY;
	expect_err(iotx509_issue_device(&c, f.ca, f.subject_key, "dev", &f.opts), IOTX509_EISSUERVALIDITY,
		   "is not valid before");
	cr_assert_null(c);
	fx_free(&f);
}

Test(issue, issuer_must_be_a_ca_with_its_own_key)
{
	fixture f;
	iotx509_cert *dev = NULL;
	iotx509_issuer *bad = NULL;
	iotx509_key *other = NULL;

	fx_init(&f);
	cr_assert_eq(iotx509_issue_device(&dev, f.ca, f.subject_key, "leaf", &f.opts), 0);
	expect_err(iotx509_issuer_new(&bad, dev, f.subject_key), IOTX509_ENOTCA, "CN=leaf");
	cr_assert_eq(iotx509_key_generate(&other, IOTX509_KEY_P256), 0);
	expect_err(iotx509_issuer_new(&bad, f.root, other), IOTX509_EKEYMISMATCH, "CN=Test Root");
	cr_assert_null(bad);
	iotx509_cert_free(dev);
	iotx509_key_free(other);
	fx_free(&f);
}

Test(issue, issuer_without_keycertsign_is_refused)
{
	char *out = NULL, *cert, *key;
	iotx509_issuer *is = NULL;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	cr_assert_eq(th_run(&out, "cd '%s' && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
			  "-keyout ca.key -out ca.pem -subj /CN=NoSign -days 30 "
			  "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,digitalSignature", dir),
		     0, "%s", out);
	free(out);
	cert = th_path(dir, "ca.pem");
	key = th_path(dir, "ca.key");
	expect_err(iotx509_issuer_load(&is, cert, key, NULL), IOTX509_ENOKEYCERTSIGN, "without keyCertSign");
	free(cert);
	free(key);
}

Test(issue, pathlen_of_the_issuer_is_enforced)
{
	fixture f;
	iotx509_key *k2 = NULL;
	iotx509_cert *inter = NULL, *c = NULL;
	iotx509_issuer *ica = NULL;

	fx_init(&f);
	f.opts.has_pathlen = 1;
	f.opts.pathlen = 0;
	cr_assert_eq(iotx509_issue_intermediate(&inter, f.ca, f.subject_key, "I0", &f.opts), 0);
	cr_assert_eq(iotx509_issuer_new(&ica, inter, f.subject_key), 0);
	cr_assert_eq(iotx509_key_generate(&k2, IOTX509_KEY_P256), 0);
	f.opts.has_pathlen = 0;
	f.opts.pathlen = 0;
	expect_err(iotx509_issue_intermediate(&c, ica, k2, "I1", &f.opts), IOTX509_EPATHLEN, "pathLenConstraint 0");
	expect_err(iotx509_issue_edge_ca(&c, ica, k2, "edge", &f.opts), IOTX509_EPATHLEN, "CN=I0");
	cr_assert_eq(iotx509_issue_device(&c, ica, k2, "dev", &f.opts), 0, "devices are fine: %s", th_err());
	iotx509_cert_free(c);
	iotx509_cert_free(inter);
	iotx509_issuer_free(ica);
	inter = NULL;
	ica = NULL;

	f.opts.has_pathlen = 1;
	f.opts.pathlen = 1;
	cr_assert_eq(iotx509_issue_intermediate(&inter, f.ca, f.subject_key, "I1", &f.opts), 0);
	cr_assert_eq(iotx509_issuer_new(&ica, inter, f.subject_key), 0);
	expect_err(iotx509_issue_intermediate(&c, ica, k2, "I2", &f.opts), IOTX509_EPATHLEN, "not below");
	iotx509_cert_free(inter);
	iotx509_issuer_free(ica);
	iotx509_key_free(k2);
	fx_free(&f);
}

Test(issue, invalid_device_ids_and_nonces_are_refused)
{
	fixture f;
	iotx509_cert *c = NULL;

	fx_init(&f);
	expect_err(iotx509_issue_device(&c, f.ca, f.subject_key, "Sample_Device", &f.opts), IOTX509_EDEVICEID,
		   "lower case");
	f.opts.id_policy = IOTX509_ID_POLICY_CENTRAL;
	expect_err(iotx509_issue_device(&c, f.ca, f.subject_key, "dev.1", &f.opts), IOTX509_EDEVICEID, "IoT Central");
	expect_err(iotx509_issue_device_self_signed(&c, f.subject_key, "dev.1", &f.opts), IOTX509_EDEVICEID, "dev.1");
	expect_err(iotx509_issue_verification(&c, f.ca, f.subject_key, "12-34", &f.opts), IOTX509_EDEVICEID, "nonce");
	cr_assert_null(c);
	fx_free(&f);
}

Test(issue, bad_options_are_refused)
{
	fixture f;
	iotx509_cert *c = NULL;
	iotx509_strlist *dns = th_strlist("bad name", NULL);

	fx_init(&f);
	f.opts.days = 40000;
	expect_err(iotx509_issue_device(&c, f.ca, f.subject_key, "d", &f.opts), IOTX509_EINVAL, "40000 days");
	f.opts.days = 0;
	f.opts.version = 0;
	expect_err(iotx509_issue_device(&c, f.ca, f.subject_key, "d", &f.opts), IOTX509_EINVAL, "version");
	f.opts.version = IOTX509_ISSUE_OPTIONS_VERSION;
	expect_err(iotx509_issue_server(&c, f.ca, f.subject_key, "srv", &f.opts), IOTX509_EINVAL, "at least one");
	f.opts.dns_names = dns;
	expect_err(iotx509_issue_device(&c, f.ca, f.subject_key, "d", &f.opts), IOTX509_EINVAL, "only set on server");
	expect_err(iotx509_issue_server(&c, f.ca, f.subject_key, "srv", &f.opts), IOTX509_EINVAL, "bad name");
	f.opts.dns_names = NULL;
	expect_err(iotx509_issue_root(&c, f.subject_key, "", &f.opts), IOTX509_EINVAL, "empty");
	cr_assert_eq(iotx509_issue_device(&c, NULL, f.subject_key, "d", &f.opts), IOTX509_EINVAL);
	cr_assert_eq(iotx509_issue_options_init(&f.opts, 99), IOTX509_EINVAL);
	cr_assert_null(c);
	fx_free(&f);
	iotx509_strlist_free(dns);
}

Test(issue, small_rsa_subject_keys_are_refused)
{
	fixture f;
	iotx509_cert *c = NULL;
	iotx509_key *weak = NULL;
	char *out = NULL, *p;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	fx_init(&f);
	cr_assert_eq(th_run(&out, "openssl genrsa -out '%s/weak.pem' 1024", dir), 0, "%s", out);
	free(out);
	p = th_path(dir, "weak.pem");
	cr_assert_eq(iotx509_key_load(&weak, p, NULL), 0, "%s", th_err());
	expect_err(iotx509_issue_device(&c, f.ca, weak, "d", &f.opts), IOTX509_EUNSUPPORTED, "under 2048 bits");
	iotx509_key_free(weak);
	free(p);
	fx_free(&f);
}

Test(issue, from_csr_applies_the_device_profile_whatever_the_csr_asks)
{
	fixture f;
	iotx509_cert *c = NULL;
	iotx509_csr *csr = NULL;
	char *out = NULL, *p;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	fx_init(&f);
	/* A CSR that asks to be a CA with extra usages. */
	cr_assert_eq(th_run(&out, "cd '%s' && openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
			  "-keyout k.pem -subj /CN=csr-device -out r.csr -addext basicConstraints=critical,CA:TRUE "
			  "-addext keyUsage=keyCertSign -addext subjectAltName=DNS:evil.example", dir), 0, "%s", out);
	free(out);
	p = th_path(dir, "r.csr");
	cr_assert_eq(iotx509_csr_load(&csr, p), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_device_from_csr(&c, f.ca, csr, &f.opts), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_cert_get_subject_dn(c), "CN=csr-device");
	cr_assert_not(iotx509_cert_is_ca(c));
	cr_assert_eq(iotx509_cert_get_key_usage(c), IOTX509_KU_DIGITAL_SIGNATURE);
	cr_assert_eq(iotx509_cert_get_ext_key_usage(c), IOTX509_EKU_CLIENT_AUTH);
	cr_assert_str_eq(iotx509_cert_get_spki_sha256(c), iotx509_csr_get_spki_sha256(csr));
	iotx509_cert_free(c);
	{
		char *cp = NULL;
		cr_assert_eq(iotx509_issue_device_from_csr(&c, f.ca, csr, &f.opts), 0);
		cp = th_save_cert(dir, "dev.pem", c);
		cr_assert_eq(th_run(&out, "openssl x509 -in '%s' -noout -ext subjectAltName", cp), 0, "%s", out);
		cr_assert(strstr(out, "evil.example") == NULL, "requested SANs must not be copied: %s", out);
		free(out);
		free(cp);
		iotx509_cert_free(c);
	}
	iotx509_csr_free(csr);
	free(p);
	fx_free(&f);
}

Test(issue, from_csr_refuses_bad_signature_and_invalid_cn)
{
	fixture f;
	iotx509_cert *c = NULL;
	iotx509_csr *csr = NULL, *bad = NULL;
	iotx509_buf der = IOTX509_BUF_INIT;

	fx_init(&f);
	cr_assert_eq(iotx509_csr_new(&csr, f.subject_key, "Bad_ID", NULL), 0);
	expect_err(iotx509_issue_device_from_csr(&c, f.ca, csr, &f.opts), IOTX509_EDEVICEID, "lower case");
	iotx509_csr_free(csr);
	csr = NULL;
	cr_assert_eq(iotx509_csr_new(&csr, f.subject_key, "good-id", NULL), 0);
	cr_assert_eq(iotx509_csr_export_der(&der, csr), 0);
	der.data[der.size - 3] ^= 0x40;
	cr_assert_eq(iotx509_csr_import(&bad, der.data, der.size), 0, "%s", th_err());
	expect_err(iotx509_issue_device_from_csr(&c, f.ca, bad, &f.opts), IOTX509_ESIGNATURE, "good-id");
	cr_assert_null(c);
	iotx509_buf_dispose(&der);
	iotx509_csr_free(csr);
	iotx509_csr_free(bad);
	fx_free(&f);
}

Test(issue, signature_hash_follows_the_issuer_key)
{
	const struct {
		iotx509_key_type type;
		const char *alg;
	} cases[] = { { IOTX509_KEY_P256, "ecdsa-with-SHA256" },
		      { IOTX509_KEY_P384, "ecdsa-with-SHA384" },
		      { IOTX509_KEY_ED25519, "ED25519" },
		      { IOTX509_KEY_RSA2048, "sha256WithRSAEncryption" } };
	size_t i;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	for (i = 0; i < 4; i++) {
		iotx509_key *k = NULL;
		iotx509_cert *c = NULL;
		char name[32], *p, *out = NULL;

		cr_assert_eq(iotx509_key_generate(&k, cases[i].type), 0);
		cr_assert_eq(iotx509_issue_root(&c, k, "R", NULL), 0, "%s", th_err());
		snprintf(name, sizeof(name), "r%zu.pem", i);
		p = th_save_cert(dir, name, c);
		cr_assert_eq(th_run(&out, "openssl x509 -in '%s' -noout -text", p), 0);
		cr_assert(strstr(out, cases[i].alg) != NULL, "%s not in %s", cases[i].alg, out);
		free(out);
		free(p);
		iotx509_cert_free(c);
		iotx509_key_free(k);
	}
}

Test(issue, issues_under_the_certgen_root_with_its_encrypted_key, .timeout = 60)
{
	iotx509_issuer *ca = NULL;
	iotx509_key *k = NULL;
	iotx509_cert *c = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;

	cr_assert_eq(iotx509_issuer_load(&ca, th_fixture("certgen_sh/azure-iot-test-only.root.ca.cert.pem"),
					 th_fixture("certgen_sh/azure-iot-test-only.root.ca.key.pem"), "1234"),
		     0, "%s", th_err());
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	o.at = T0;
	cr_assert_eq(iotx509_issue_device(&c, ca, k, "d1", &o), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_cert_get_issuer_cn(c), "Azure IoT Hub CA Cert Test Only");
	iotx509_cert_free(c);
	iotx509_issuer_free(ca);
	ca = NULL;
	expect_err(iotx509_issuer_load(&ca, th_fixture("certgen_sh/azure-iot-test-only.root.ca.cert.pem"),
				       th_fixture("certgen_sh/azure-iot-test-only.root.ca.key.pem"), "wrong"),
		   IOTX509_EPASSWORD, "wrong password");
	iotx509_key_free(k);
}

/* Issued handles skip re-reading what the issuer just wrote (names,
 * extensions, key identifiers): they must answer exactly as a handle parsed
 * from their DER does, for every profile. */
static void expect_same_as_parsed(const iotx509_cert *c, const iotx509_cert *issuer)
{
	iotx509_buf der = IOTX509_BUF_INIT;
	iotx509_cert *p = NULL;

	cr_assert_eq(iotx509_cert_export_der(&der, c), 0);
	cr_assert_eq(iotx509_cert_import(&p, der.data, der.size), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_cert_get_subject_cn(c), iotx509_cert_get_subject_cn(p));
	cr_assert_str_eq(iotx509_cert_get_issuer_cn(c), iotx509_cert_get_issuer_cn(p));
	cr_assert_str_eq(iotx509_cert_get_subject_dn(c), iotx509_cert_get_subject_dn(p));
	cr_assert_str_eq(iotx509_cert_get_issuer_dn(c), iotx509_cert_get_issuer_dn(p));
	cr_assert_str_eq(iotx509_cert_get_serial_hex(c), iotx509_cert_get_serial_hex(p));
	cr_assert_eq(iotx509_cert_get_not_before(c), iotx509_cert_get_not_before(p));
	cr_assert_eq(iotx509_cert_get_not_after(c), iotx509_cert_get_not_after(p));
	cr_assert_eq(iotx509_cert_is_ca(c), iotx509_cert_is_ca(p));
	cr_assert_eq(iotx509_cert_has_pathlen(c), iotx509_cert_has_pathlen(p));
	cr_assert_eq(iotx509_cert_get_pathlen(c), iotx509_cert_get_pathlen(p));
	cr_assert_eq(iotx509_cert_is_self_signed(c), iotx509_cert_is_self_signed(p));
	cr_assert_eq(iotx509_cert_has_key_usage(c), iotx509_cert_has_key_usage(p));
	cr_assert_eq(iotx509_cert_get_key_usage(c), iotx509_cert_get_key_usage(p));
	cr_assert_eq(iotx509_cert_get_ext_key_usage(c), iotx509_cert_get_ext_key_usage(p));
	cr_assert_eq(iotx509_cert_get_key_algorithm(c), iotx509_cert_get_key_algorithm(p));
	cr_assert_eq(iotx509_cert_get_key_bits(c), iotx509_cert_get_key_bits(p));
	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha1(c), iotx509_cert_get_thumbprint_sha1(p));
	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(c), iotx509_cert_get_thumbprint_sha256(p));
	cr_assert_str_eq(iotx509_cert_get_spki_sha256(c), iotx509_cert_get_spki_sha256(p));
	if (issuer != NULL) {
		iotx509_certlist *pool = NULL, *ca = NULL, *cp = NULL;
		iotx509_chain_options co = IOTX509_CHAIN_OPTIONS_INIT;

		/* The issuer is found from the issued handle as from the parsed one. */
		co.flags = IOTX509_CHAIN_ALLOW_PARTIAL;
		cr_assert_eq(iotx509_certlist_new(&pool), 0);
		cr_assert_eq(iotx509_certlist_add(pool, issuer), 0);
		cr_assert_eq(iotx509_chain_build(&ca, c, pool, &co), 0, "%s", th_err());
		cr_assert_eq(iotx509_chain_build(&cp, p, pool, &co), 0, "%s", th_err());
		cr_assert_eq(iotx509_certlist_count(ca), 2);
		cr_assert_eq(iotx509_certlist_count(cp), 2);
		iotx509_certlist_free(pool);
		iotx509_certlist_free(ca);
		iotx509_certlist_free(cp);
	}
	iotx509_buf_dispose(&der);
	iotx509_cert_free(p);
}

Test(issue, issued_handles_answer_as_a_parse_of_their_der)
{
	fixture f;
	iotx509_key *rsa = NULL;
	iotx509_cert *c = NULL, *inter = NULL;
	iotx509_issuer *ii = NULL;
	iotx509_strlist *dns = th_strlist("gw.example.com", NULL);
	iotx509_strlist *ip = th_strlist("10.0.0.1", NULL);

	fx_init(&f);
	expect_same_as_parsed(f.root, NULL);
	f.opts.has_pathlen = 1;
	f.opts.pathlen = 2;
	cr_assert_eq(iotx509_issue_intermediate(&inter, f.ca, f.subject_key, "Int, with \"quotes\"", &f.opts), 0,
		     "%s", th_err());
	expect_same_as_parsed(inter, f.root);
	f.opts.has_pathlen = 0;
	f.opts.pathlen = 0;
	cr_assert_eq(iotx509_issuer_new(&ii, inter, f.subject_key), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_edge_ca(&c, ii, f.root_key, "edge", &f.opts), 0, "%s", th_err());
	expect_same_as_parsed(c, inter);
	iotx509_cert_free(c);
	cr_assert_eq(iotx509_key_generate(&rsa, IOTX509_KEY_RSA2048), 0);
	cr_assert_eq(iotx509_issue_device(&c, ii, rsa, "dev-rsa", &f.opts), 0, "%s", th_err());
	expect_same_as_parsed(c, inter);
	iotx509_cert_free(c);
	cr_assert_eq(iotx509_issue_device_self_signed(&c, rsa, "dev-self", &f.opts), 0, "%s", th_err());
	expect_same_as_parsed(c, NULL);
	iotx509_cert_free(c);
	cr_assert_eq(iotx509_issue_verification(&c, f.ca, rsa, "ABCDEF12", &f.opts), 0, "%s", th_err());
	expect_same_as_parsed(c, f.root);
	iotx509_cert_free(c);
	f.opts.dns_names = dns;
	f.opts.ip_addresses = ip;
	cr_assert_eq(iotx509_issue_server(&c, ii, rsa, "gw", &f.opts), 0, "%s", th_err());
	expect_same_as_parsed(c, inter);
	iotx509_cert_free(c);
	iotx509_issuer_free(ii);
	iotx509_cert_free(inter);
	iotx509_key_free(rsa);
	fx_free(&f);
	iotx509_strlist_free(dns);
	iotx509_strlist_free(ip);
}

/* ---- CAs whose certificate would make every child fail ---------------- */

#define CRIT_OID "1.3.6.1.4.1.55555.1"
#define NC_OID "2.5.29.30"

/* nameConstraints "excluded directoryName O=Contoso", as openssl writes
 * excluded;dirName: (GnuTLS cannot write a directoryName constraint):
 * SEQUENCE { [1] { SEQUENCE { [4] { Name { SET { SEQUENCE {
 * organizationName, UTF8String "Contoso" } } } } } } } */
static const unsigned char NC_EXCLUDED_DN[] = {
	0x30, 0x1a, 0xa1, 0x18, 0x30, 0x16, 0xa4, 0x14, 0x30, 0x12, 0x31, 0x10, 0x30, 0x0e,
	0x06, 0x03, 0x55, 0x04, 0x0a, 0x0c, 0x07, 'C', 'o', 'n', 't', 'o', 's', 'o',
};

/* A self-signed CA for @key, crafted with GnuTLS to carry an extension the
 * issuance API never writes: @oid with the DER value @value. */
static iotx509_cert *odd_ca(const iotx509_key *key, const char *cn, const char *oid, const void *value, size_t size,
			    int critical)
{
	iotx509_buf pem = IOTX509_BUF_INIT;
	gnutls_x509_privkey_t pk;
	gnutls_x509_crt_t crt;
	gnutls_datum_t d;
	unsigned char id[64];
	size_t id_size = sizeof(id);
	iotx509_cert *c;

	cr_assert_eq(iotx509_key_export_pem(&pem, key, NULL), 0, "%s", th_err());
	d.data = pem.data;
	d.size = (unsigned int)pem.size;
	cr_assert_eq(gnutls_x509_privkey_init(&pk), 0);
	cr_assert_eq(gnutls_x509_privkey_import(pk, &d, GNUTLS_X509_FMT_PEM), 0);
	iotx509_buf_dispose(&pem);
	th_crt_begin(&crt, cn, 1, pk, T0 - DAY, T0 + 3650 * DAY);
	cr_assert_eq(gnutls_x509_privkey_get_key_id(pk, GNUTLS_KEYID_USE_SHA1, id, &id_size), 0);
	gnutls_x509_crt_set_subject_key_id(crt, id, id_size);
	cr_assert_eq(gnutls_x509_crt_set_extension_by_oid(crt, oid, value, size, (unsigned int)critical), 0);
	c = th_crt_finish(crt, NULL, pk);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(pk);
	return c;
}

/* A CA whose nameConstraints permit the DNS names under example.com and
 * exclude 10.0.0.0/8, written by GnuTLS. */
static iotx509_cert *dns_constrained_ca(const iotx509_key *key)
{
	gnutls_x509_name_constraints_t nc;
	gnutls_datum_t der = { NULL, 0 }, dns = { (unsigned char *)"example.com", 11 };
	unsigned char net[8] = { 10, 0, 0, 0, 255, 0, 0, 0 };
	gnutls_datum_t ip = { net, sizeof(net) };
	iotx509_cert *c;

	cr_assert_eq(gnutls_x509_name_constraints_init(&nc), 0);
	cr_assert_eq(gnutls_x509_name_constraints_add_permitted(nc, GNUTLS_SAN_DNSNAME, &dns), 0);
	cr_assert_eq(gnutls_x509_name_constraints_add_excluded(nc, GNUTLS_SAN_IPADDRESS, &ip), 0);
	cr_assert_eq(gnutls_x509_ext_export_name_constraints(nc, &der), 0);
	c = odd_ca(key, "DNS Constrained CA", NC_OID, der.data, der.size, 1);
	gnutls_free(der.data);
	gnutls_x509_name_constraints_deinit(nc);
	return c;
}

/* @cert verifies under @ca alone (at T0 + 60, as a device when @device). */
static iotx509_verify_status verify_under(const iotx509_cert *cert, const iotx509_cert *ca, int device)
{
	iotx509_certlist *chain = th_certlist(cert, NULL, NULL), *anchors = th_certlist(ca, NULL, NULL);
	iotx509_verify_options vo = IOTX509_VERIFY_OPTIONS_INIT;
	iotx509_verify_status st = IOTX509_VERIFY_INVALID;

	vo.at = T0 + 60;
	vo.flags = device ? IOTX509_VERIFY_DEVICE : 0;
	cr_assert_eq(iotx509_chain_verify(&st, chain, anchors, &vo), 0, "%s", th_err());
	iotx509_certlist_free(chain);
	iotx509_certlist_free(anchors);
	return st;
}

Test(issue, issuer_with_a_critical_extension_gnutls_does_not_know_is_refused)
{
	fixture f;
	iotx509_key *k = NULL;
	iotx509_cert *crit, *plain, *c = NULL;
	iotx509_issuer *is = NULL;
	static const unsigned char null_value[] = { 0x05, 0x00 };
	char *cert_path, *key_path;

	fx_init(&f);
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	crit = odd_ca(k, "Crit CA", CRIT_OID, null_value, sizeof(null_value), 1);
	expect_err(iotx509_issuer_new(&is, crit, k), IOTX509_EUNSUPPORTED,
		   "issuer 'CN=Crit CA' has a critical extension GnuTLS does not support");
	cr_assert_null(is);
	cr_assert(strstr(th_err(), CRIT_OID) != NULL, "%s", th_err());
	cr_assert(strstr(th_err(), "every certificate it issued would fail verification") != NULL, "%s", th_err());
	/* The files of such a CA, as the command line loads them. */
	cert_path = th_save_cert(dir, "crit_cert.pem", crit);
	key_path = th_save_key(dir, "crit_key.pem", k);
	expect_err(iotx509_issuer_load(&is, cert_path, key_path, NULL), IOTX509_EUNSUPPORTED, CRIT_OID);
	/* The same extension, not critical: nothing to refuse, and the
	 * device verifies. */
	plain = odd_ca(k, "Plain CA", CRIT_OID, null_value, sizeof(null_value), 0);
	cr_assert_eq(iotx509_issuer_new(&is, plain, k), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_device(&c, is, f.subject_key, "dev-01", &f.opts), 0, "%s", th_err());
	cr_assert_eq(verify_under(c, plain, 1), IOTX509_VERIFY_OK, "%s", th_err());
	iotx509_cert_free(c);
	iotx509_issuer_free(is);
	iotx509_cert_free(plain);
	iotx509_cert_free(crit);
	iotx509_key_free(k);
	free(cert_path);
	free(key_path);
	fx_free(&f);
}

Test(issue, issuer_name_constraints_are_enforced_as_gnutls_verifies_them)
{
	fixture f;
	iotx509_key *k = NULL;
	iotx509_cert *ca, *c = NULL;
	iotx509_issuer *is = NULL;
	iotx509_strlist *ok_dns = th_strlist("gw.example.com", NULL);
	iotx509_strlist *bad_dns = th_strlist("gw.example.org", NULL);
	iotx509_strlist *bad_ip = th_strlist("10.1.2.3", NULL);
	iotx509_strlist *ok_ip = th_strlist("192.168.1.1", NULL);

	fx_init(&f);
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);

	/* An excluded directoryName: GnuTLS rejects every end-entity
	 * certificate under it, so none is issued; a CA under it is fine (the
	 * constraints apply to end-entity certificates). */
	ca = odd_ca(k, "Excluding CA", NC_OID, NC_EXCLUDED_DN, sizeof(NC_EXCLUDED_DN), 1);
	cr_assert_eq(iotx509_issuer_new(&is, ca, k), 0, "%s", th_err());
	c = (iotx509_cert *)1;
	expect_err(iotx509_issue_device(&c, is, f.subject_key, "dev-01", &f.opts), IOTX509_ENAMECONSTRAINTS,
		   "the nameConstraints of issuer 'CN=Excluding CA' exclude the subject name of the device certificate "
		   "'dev-01' (excluded directoryName: O=Contoso)");
	cr_assert_null(c);
	expect_err(iotx509_issue_verification(&c, is, f.subject_key, "1234ABCD", &f.opts), IOTX509_ENAMECONSTRAINTS,
		   "verification certificate '1234ABCD'");
	cr_assert_eq(iotx509_issue_intermediate(&c, is, f.subject_key, "Sub CA", &f.opts), 0, "%s", th_err());
	iotx509_cert_free(c);
	c = NULL;
	iotx509_issuer_free(is);
	iotx509_cert_free(ca);

	/* nameConstraints GnuTLS cannot read fail every child's verification:
	 * such an issuer is refused (an INTEGER where the SEQUENCE belongs). */
	{
		static const unsigned char garbage[] = { 0x02, 0x01, 0x00 };

		ca = odd_ca(k, "Unreadable CA", NC_OID, garbage, sizeof(garbage), 1);
		expect_err(iotx509_issuer_new(&is, ca, k), IOTX509_ENAMECONSTRAINTS,
			   "issuer 'CN=Unreadable CA' has a nameConstraints extension GnuTLS cannot read");
		cr_assert_null(is);
		iotx509_cert_free(ca);
	}

	/* DNS names under example.com, not 10.0.0.0/8. */
	ca = dns_constrained_ca(k);
	cr_assert_eq(iotx509_issuer_new(&is, ca, k), 0, "%s", th_err());
	f.opts.dns_names = ok_dns;
	cr_assert_eq(iotx509_issue_server(&c, is, f.subject_key, "gw", &f.opts), 0, "%s", th_err());
	cr_assert_eq(verify_under(c, ca, 0), IOTX509_VERIFY_OK, "%s", th_err());
	iotx509_cert_free(c);
	f.opts.dns_names = bad_dns;
	expect_err(iotx509_issue_server(&c, is, f.subject_key, "gw", &f.opts), IOTX509_ENAMECONSTRAINTS,
		   "exclude the DNS names of the server certificate 'gw' (permitted DNS: example.com)");
	f.opts.dns_names = ok_dns;
	f.opts.ip_addresses = bad_ip;
	expect_err(iotx509_issue_server(&c, is, f.subject_key, "gw", &f.opts), IOTX509_ENAMECONSTRAINTS,
		   "exclude the IP addresses of the server certificate 'gw' (excluded IP: 10.0.0.0/8)");
	/* No DNS name: GnuTLS checks a server's CN as one. */
	f.opts.dns_names = NULL;
	f.opts.ip_addresses = ok_ip;
	expect_err(iotx509_issue_server(&c, is, f.subject_key, "gw", &f.opts), IOTX509_ENAMECONSTRAINTS,
		   "exclude the CN (a DNS name here) of the server certificate 'gw'");
	f.opts.ip_addresses = NULL;
	/* A device's CN is no DNS name to GnuTLS (clientAuth): it is issued,
	 * and it verifies. */
	cr_assert_eq(iotx509_issue_device(&c, is, f.subject_key, "dev-01", &f.opts), 0, "%s", th_err());
	cr_assert_eq(verify_under(c, ca, 1), IOTX509_VERIFY_OK, "%s", th_err());
	iotx509_cert_free(c);
	iotx509_issuer_free(is);
	iotx509_cert_free(ca);
	iotx509_key_free(k);
	fx_free(&f);
	iotx509_strlist_free(ok_dns);
	iotx509_strlist_free(bad_dns);
	iotx509_strlist_free(bad_ip);
	iotx509_strlist_free(ok_ip);
}

/* The fields a profile and the options decide, equal in @a and @b. */
static void expect_same_shape(const iotx509_cert *a, const iotx509_cert *b)
{
	cr_assert_eq(iotx509_cert_get_not_before(a), iotx509_cert_get_not_before(b));
	cr_assert_eq(iotx509_cert_get_not_after(a), iotx509_cert_get_not_after(b));
	cr_assert_eq(iotx509_cert_get_pathlen(a), iotx509_cert_get_pathlen(b));
	cr_assert_eq(iotx509_cert_is_ca(a), iotx509_cert_is_ca(b));
	cr_assert_eq(iotx509_cert_get_key_usage(a), iotx509_cert_get_key_usage(b));
	cr_assert_eq(iotx509_cert_get_ext_key_usage(a), iotx509_cert_get_ext_key_usage(b));
	cr_assert_str_eq(iotx509_cert_get_subject_dn(a), iotx509_cert_get_subject_dn(b));
	cr_assert_str_eq(iotx509_cert_get_issuer_dn(a), iotx509_cert_get_issuer_dn(b));
}

Test(issue, zero_filled_options_are_the_defaults)
{
	fixture f;
	iotx509_issue_options z, init = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_cert *a = NULL, *b = NULL;

	fx_init(&f);
	TH_ZERO_OPTIONS(z, IOTX509_ISSUE_OPTIONS_VERSION);
	z.at = init.at = T0 + 60;
	cr_assert_eq(iotx509_issue_intermediate(&a, f.ca, f.subject_key, "Inter", &z), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_intermediate(&b, f.ca, f.subject_key, "Inter", &init), 0, "%s", th_err());
	expect_same_shape(a, b);
	/* And the defaults are the documented ones, not "pathlen 0, no backdate". */
	cr_assert_eq(iotx509_cert_has_pathlen(a), 0, "no pathLenConstraint");
	cr_assert_eq(iotx509_cert_get_not_before(a), T0 + 60 - 300, "backdated 300 s");
	cr_assert_eq(iotx509_cert_get_not_after(a), T0 + 60 + 1825LL * DAY);
	iotx509_cert_free(a);
	iotx509_cert_free(b);
	a = b = NULL;
	cr_assert_eq(iotx509_issue_device(&a, f.ca, f.subject_key, "dev-1", &z), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_device(&b, f.ca, f.subject_key, "dev-1", &init), 0, "%s", th_err());
	expect_same_shape(a, b);
	iotx509_cert_free(a);
	iotx509_cert_free(b);
	TH_CHECK_OPTIONS_INIT(iotx509_issue_options, iotx509_issue_options_init, IOTX509_ISSUE_OPTIONS_VERSION, "issue options",
			      IOTX509_ISSUE_OPTIONS_INIT);
	fx_free(&f);
}

Test(issue, explicit_pathlen_zero_and_no_backdate)
{
	fixture f;
	iotx509_cert *c = NULL;

	fx_init(&f);
	f.opts.has_pathlen = 1;
	f.opts.pathlen = 0;
	f.opts.flags = IOTX509_ISSUE_NO_BACKDATE;
	cr_assert_eq(iotx509_issue_intermediate(&c, f.ca, f.subject_key, "Inter", &f.opts), 0, "%s", th_err());
	cr_assert_eq(iotx509_cert_get_pathlen(c), 0);
	cr_assert_eq(iotx509_cert_get_not_before(c), T0 + 60, "not backdated");
	iotx509_cert_free(c);
	c = NULL;
	f.opts.backdate_seconds = 60;
	expect_err(iotx509_issue_device(&c, f.ca, f.subject_key, "d", &f.opts), IOTX509_EINVAL,
		   "backdate_seconds 60 given with IOTX509_ISSUE_NO_BACKDATE");
	f.opts.flags = 0;
	cr_assert_eq(iotx509_issue_device(&c, f.ca, f.subject_key, "d", &f.opts), 0, "%s", th_err());
	cr_assert_eq(iotx509_cert_get_not_before(c), T0, "backdated 60 s");
	iotx509_cert_free(c);
	c = NULL;
	/* The old encoding of "none" (-1), or a pathlen without has_pathlen, is refused. */
	f.opts.has_pathlen = 0;
	f.opts.pathlen = -1;
	expect_err(iotx509_issue_intermediate(&c, f.ca, f.subject_key, "I", &f.opts), IOTX509_EINVAL,
		   "pathlen -1 given without has_pathlen");
	f.opts.pathlen = 2;
	expect_err(iotx509_issue_intermediate(&c, f.ca, f.subject_key, "I", &f.opts), IOTX509_EINVAL,
		   "pathlen 2 given without has_pathlen");
	f.opts.has_pathlen = 1;
	f.opts.pathlen = -1;
	expect_err(iotx509_issue_intermediate(&c, f.ca, f.subject_key, "I", &f.opts), IOTX509_EINVAL,
		   "out of range (0 to 32)");
	cr_assert_null(c);
	fx_free(&f);
}

Test(issue, options_versions_1_to_current)
{
	fixture f;
	iotx509_cert *c = NULL;

	fx_init(&f);
	f.opts.version = 1;
	cr_assert_eq(iotx509_issue_device(&c, f.ca, f.subject_key, "d", &f.opts), 0, "%s", th_err());
	iotx509_cert_free(c);
	c = NULL;
	f.opts.version = 0;
	th_version_refused(iotx509_issue_device(&c, f.ca, f.subject_key, "d", &f.opts), 0);
	f.opts.version = IOTX509_ISSUE_OPTIONS_VERSION + 1;
	th_version_refused(iotx509_issue_device(&c, f.ca, f.subject_key, "d", &f.opts), IOTX509_ISSUE_OPTIONS_VERSION + 1);
	cr_assert_null(c);
	fx_free(&f);
}

/* ---- iotx509_issue_credential(): one issuance, whole ---- */

#include <dirent.h>
#include <sys/stat.h>

/* Entries of the test's directory (nothing written: 0). */
static int entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* The mode of dir/name, or -1 when it does not exist. */
static int mode_in_dir(const char *name)
{
	char *p = th_path(dir, name);
	struct stat st;
	int m = stat(p, &st) == 0 ? (int)(st.st_mode & 0777) : -1;

	free(p);
	return m;
}

/* Options at T0 + 60 into @io, written into the test's directory. */
static void cred_opts(iotx509_issue_credential_options *o, iotx509_issue_options *io)
{
	cr_assert_eq(iotx509_issue_credential_options_init(o, IOTX509_ISSUE_CREDENTIAL_OPTIONS_VERSION), 0);
	cr_assert_eq(iotx509_issue_options_init(io, IOTX509_ISSUE_OPTIONS_VERSION), 0);
	io->at = T0 + 60;
	o->issue = io;
	o->dir = dir;
}

/* A root credential "Cred Root" (in memory) and its issuer. */
static void cred_root(iotx509_credential **root, iotx509_issuer **ca)
{
	iotx509_issue_credential_options o;
	iotx509_issue_options io;

	cred_opts(&o, &io);
	cr_assert_eq(iotx509_issue_credential(root, IOTX509_PROFILE_ROOT, NULL, "Cred Root", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issuer_new_from_credential(ca, *root), 0, "%s", th_err());
}

/* A root credential and its issuer, options at T0 + 60 into the test's directory. */
typedef struct {
	iotx509_credential *root;
	iotx509_issuer *rca;
	iotx509_issue_credential_options o;
	iotx509_issue_options io;
} credfx;

static void credfx_init(credfx *x)
{
	memset(x, 0, sizeof(*x));
	cred_root(&x->root, &x->rca);
	cred_opts(&x->o, &x->io);
}

static void credfx_free(credfx *x)
{
	iotx509_credential_free(x->root);
	iotx509_issuer_free(x->rca);
}

static void expect_chain(const iotx509_certlist *chain, const char *a, const char *b, const char *c)
{
	const char *want[] = { a, b, c };
	size_t i, n = c ? 3 : b ? 2 : 1;

	cr_assert_eq(iotx509_certlist_count(chain), n, "chain of %zu, want %zu", iotx509_certlist_count(chain), n);
	for (i = 0; i < n; i++)
		cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_certlist_get(chain, i)), want[i]);
}

Test(issue, profile_names)
{
	cr_assert_str_eq(iotx509_profile_name(IOTX509_PROFILE_DEVICE), "device");
	cr_assert_str_eq(iotx509_profile_name(IOTX509_PROFILE_ROOT), "root");
	cr_assert_str_eq(iotx509_profile_name(IOTX509_PROFILE_INTERMEDIATE), "intermediate");
	cr_assert_str_eq(iotx509_profile_name(IOTX509_PROFILE_EDGE_CA), "edge-ca");
	cr_assert_str_eq(iotx509_profile_name(IOTX509_PROFILE_SERVER), "server");
	cr_assert_str_eq(iotx509_profile_name(IOTX509_PROFILE_VERIFICATION), "verification");
	cr_assert_str_eq(iotx509_profile_name((iotx509_profile)6), "unknown");
	cr_assert_str_eq(iotx509_profile_name((iotx509_profile)-1), "unknown");
}

Test(issue, credential_root_is_written_with_its_key_0600)
{
	iotx509_issue_credential_options o;
	iotx509_issue_options io;
	iotx509_credential *root = NULL;
	const iotx509_cert *c;

	cred_opts(&o, &io);
	o.name = "myroot";
	cr_assert_eq(iotx509_issue_credential(&root, IOTX509_PROFILE_ROOT, NULL, "My Root", &o), 0, "%s", th_err());
	c = iotx509_credential_get_cert(root);
	cr_assert(iotx509_cert_is_ca(c) && iotx509_cert_is_self_signed(c));
	cr_assert_eq(iotx509_cert_get_not_after(c), T0 + 60 + 3650LL * DAY, "the root profile's default days");
	expect_chain(iotx509_credential_get_chain(root), "My Root", NULL, NULL);
	cr_assert_eq(iotx509_key_get_algorithm(iotx509_credential_get_key(root)), IOTX509_ALG_ECDSA);
	cr_assert_eq(iotx509_key_get_bits(iotx509_credential_get_key(root)), 256, "key_type 0 is P-256");
	cr_assert_eq(mode_in_dir("myroot_key.pem"), 0600);
	cr_assert_eq(mode_in_dir("myroot_cert.pem"), 0644);
	cr_assert_eq(mode_in_dir("myroot_fullchain.pem"), 0644);
	cr_assert_eq(mode_in_dir("myroot.pfx"), -1, "no .pfx without a password");
	cr_assert_eq(entries(), 3);
	iotx509_credential_free(root);
}

Test(issue, credential_group_enrollment_device_under_intermediate_has_the_full_chain)
{
	credfx x;
	iotx509_credential *inter = NULL, *dev = NULL, *loaded = NULL;
	iotx509_issuer *ica = NULL;
	const iotx509_cert *d;

	credfx_init(&x);
	cr_assert_eq(iotx509_issue_credential(&inter, IOTX509_PROFILE_INTERMEDIATE, x.rca, "Cred Inter", &x.o), 0, "%s",
		     th_err());
	cr_assert(iotx509_cert_is_ca(iotx509_credential_get_cert(inter)));
	cr_assert_str_eq(iotx509_cert_get_issuer_cn(iotx509_credential_get_cert(inter)), "Cred Root");
	expect_chain(iotx509_credential_get_chain(inter), "Cred Inter", "Cred Root", NULL);
	cr_assert_eq(iotx509_issuer_new_from_credential(&ica, inter), 0, "%s", th_err());
	x.o.name = "sample-device-01";
	cr_assert_eq(iotx509_issue_credential(&dev, IOTX509_PROFILE_DEVICE, ica, "sample-device-01", &x.o), 0, "%s",
		     th_err());
	d = iotx509_credential_get_cert(dev);
	cr_assert_not(iotx509_cert_is_ca(d));
	cr_assert_eq(iotx509_cert_get_ext_key_usage(d), IOTX509_EKU_CLIENT_AUTH);
	cr_assert_eq(iotx509_cert_get_not_after(d), T0 + 60 + 365LL * DAY);
	expect_chain(iotx509_credential_get_chain(dev), "sample-device-01", "Cred Inter", "Cred Root");
	cr_assert_eq(iotx509_cert_check_key(d, iotx509_credential_get_key(dev)), 0);
	cr_assert_eq(verify_under(d, iotx509_credential_get_cert(inter), 1), IOTX509_VERIFY_OK);
	/* What was written reads back as the same credential, chain and all. */
	cr_assert_eq(iotx509_credential_load(&loaded, dir, "sample-device-01", NULL, 0), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(iotx509_credential_get_cert(loaded)),
			 iotx509_cert_get_thumbprint_sha256(d));
	expect_chain(iotx509_credential_get_chain(loaded), "sample-device-01", "Cred Inter", "Cred Root");
	iotx509_credential_free(loaded);
	iotx509_credential_free(dev);
	iotx509_credential_free(inter);
	iotx509_issuer_free(ica);
	credfx_free(&x);
}

Test(issue, credential_edge_ca_and_server_with_sans)
{
	credfx x;
	iotx509_credential *edge = NULL, *srv = NULL;
	const iotx509_cert *c;

	credfx_init(&x);
	cr_assert_eq(iotx509_issue_credential(&edge, IOTX509_PROFILE_EDGE_CA, x.rca, "edge-1", &x.o), 0, "%s", th_err());
	c = iotx509_credential_get_cert(edge);
	cr_assert(iotx509_cert_is_ca(c) && iotx509_cert_has_pathlen(c));
	cr_assert_eq(iotx509_cert_get_pathlen(c), 0);
	expect_chain(iotx509_credential_get_chain(edge), "edge-1", "Cred Root", NULL);
	x.io.dns_names = th_strlist("gw.example.com", "gw", NULL);
	x.io.ip_addresses = th_strlist("192.0.2.7", "2001:db8::7", NULL);
	cr_assert_eq(iotx509_issue_credential(&srv, IOTX509_PROFILE_SERVER, x.rca, "gateway", &x.o), 0, "%s", th_err());
	c = iotx509_credential_get_cert(srv);
	cr_assert_eq(iotx509_cert_get_ext_key_usage(c), IOTX509_EKU_SERVER_AUTH);
	cr_assert_eq(iotx509_cert_san_count(c, IOTX509_SAN_DNS), 2);
	cr_assert_str_eq(iotx509_cert_get_san(c, IOTX509_SAN_DNS, 0), "gw.example.com");
	cr_assert_eq(iotx509_cert_san_count(c, IOTX509_SAN_IP), 2);
	cr_assert_str_eq(iotx509_cert_get_san(c, IOTX509_SAN_IP, 1), "2001:db8::7");
	iotx509_strlist_free((iotx509_strlist *)x.io.dns_names);
	iotx509_strlist_free((iotx509_strlist *)x.io.ip_addresses);
	iotx509_credential_free(srv);
	iotx509_credential_free(edge);
	credfx_free(&x);
}

Test(issue, credential_self_signed_device_and_verification_under_the_parent)
{
	credfx x;
	iotx509_credential *dev = NULL, *ver = NULL;
	const iotx509_cert *c;

	credfx_init(&x);
	cr_assert_eq(iotx509_issue_credential(&dev, IOTX509_PROFILE_DEVICE, NULL, "selfie-01", &x.o), 0, "%s", th_err());
	c = iotx509_credential_get_cert(dev);
	cr_assert(iotx509_cert_is_self_signed(c));
	cr_assert_not(iotx509_cert_is_ca(c));
	cr_assert_eq(iotx509_cert_get_ext_key_usage(c), IOTX509_EKU_CLIENT_AUTH);
	expect_chain(iotx509_credential_get_chain(dev), "selfie-01", NULL, NULL);
	cr_assert_eq(iotx509_issue_credential(&ver, IOTX509_PROFILE_VERIFICATION, x.rca, "1234ABCD", &x.o), 0, "%s",
		     th_err());
	c = iotx509_credential_get_cert(ver);
	cr_assert_str_eq(iotx509_cert_get_subject_cn(c), "1234ABCD", "the nonce exactly as given");
	cr_assert_str_eq(iotx509_cert_get_issuer_dn(c), "CN=Cred Root");
	cr_assert_eq(iotx509_cert_get_not_after(c), T0 + 60 + 2LL * DAY);
	/* Signed by the parent's key: it verifies under the root alone. */
	cr_assert_eq(verify_under(c, iotx509_credential_get_cert(x.root), 0), IOTX509_VERIFY_OK);
	iotx509_credential_free(ver);
	iotx509_credential_free(dev);
	credfx_free(&x);
}

Test(issue, credential_from_a_csr_has_no_key_and_writes_no_key_file)
{
	credfx x;
	iotx509_credential *dev = NULL;
	iotx509_key *k = NULL;
	iotx509_csr *csr = NULL;

	credfx_init(&x);
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_csr_new(&csr, k, "csr-dev-01", NULL), 0, "%s", th_err());
	x.o.csr = csr;
	x.o.name = "csr-dev-01";
	/* A subject that is not the CSR's is refused; NULL takes the CSR's CN. */
	expect_err(iotx509_issue_credential(&dev, IOTX509_PROFILE_DEVICE, x.rca, "other-01", &x.o), IOTX509_EINVAL,
		   "the certificate request is for 'csr-dev-01', not 'other-01'");
	cr_assert_eq(iotx509_issue_credential(&dev, IOTX509_PROFILE_DEVICE, x.rca, NULL, &x.o), 0, "%s", th_err());
	cr_assert_null(iotx509_credential_get_key(dev));
	cr_assert_eq(iotx509_cert_check_key(iotx509_credential_get_cert(dev), k), 0, "for the CSR's key");
	cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_credential_get_cert(dev)), "csr-dev-01");
	expect_chain(iotx509_credential_get_chain(dev), "csr-dev-01", "Cred Root", NULL);
	cr_assert_eq(mode_in_dir("csr-dev-01_cert.pem"), 0644);
	cr_assert_eq(mode_in_dir("csr-dev-01_fullchain.pem"), 0644);
	cr_assert_eq(mode_in_dir("csr-dev-01_key.pem"), -1);
	cr_assert_eq(entries(), 2);
	iotx509_credential_free(dev);
	iotx509_csr_free(csr);
	iotx509_key_free(k);
	credfx_free(&x);
}

Test(issue, credential_given_key_is_used_and_key_type_is_honoured)
{
	credfx x;
	iotx509_credential *a = NULL, *b = NULL, *c = NULL;
	iotx509_key *k = NULL;

	credfx_init(&x);
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	x.o.key = k;
	cr_assert_eq(iotx509_issue_credential(&a, IOTX509_PROFILE_DEVICE, x.rca, "given-01", &x.o), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_key_get_spki_sha256(iotx509_credential_get_key(a)), iotx509_key_get_spki_sha256(k));
	x.o.key = NULL;
	x.o.key_type = IOTX509_KEY_P384;
	cr_assert_eq(iotx509_issue_credential(&b, IOTX509_PROFILE_DEVICE, x.rca, "p384-01", &x.o), 0, "%s", th_err());
	cr_assert_eq(iotx509_key_get_bits(iotx509_credential_get_key(b)), 384);
	cr_assert_eq(iotx509_cert_get_key_bits(iotx509_credential_get_cert(b)), 384);
	x.o.key_type = IOTX509_KEY_ED25519;
	cr_assert_eq(iotx509_issue_credential(&c, IOTX509_PROFILE_DEVICE, x.rca, "ed-01", &x.o), 0, "%s", th_err());
	cr_assert_eq(iotx509_key_get_algorithm(iotx509_credential_get_key(c)), IOTX509_ALG_ED25519);
	cr_assert_str_neq(iotx509_key_get_spki_sha256(iotx509_credential_get_key(c)), iotx509_key_get_spki_sha256(k));
	iotx509_credential_free(c);
	c = NULL;
	x.o.key_type = (iotx509_key_type)99;
	expect_err(iotx509_issue_credential(&c, IOTX509_PROFILE_DEVICE, x.rca, "bad-type", &x.o), IOTX509_EINVAL, "99");
	cr_assert_null(c);
	cr_assert_eq(entries(), 0, "no name: no files");
	iotx509_credential_free(a);
	iotx509_credential_free(b);
	iotx509_key_free(k);
	credfx_free(&x);
}

Test(issue, credential_staged_files_wait_for_the_commit)
{
	credfx x;
	iotx509_credential_save_options so = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;
	iotx509_credential *dev = NULL, *again = NULL;
	iotx509_fileset *set = NULL;
	char *p;

	credfx_init(&x);
	cr_assert_eq(iotx509_fileset_new(&set), 0);
	so.pfx_password = "pw-4711";
	x.o.save = &so;
	x.o.name = "staged-01";
	x.o.stage = set;
	cr_assert_eq(iotx509_issue_credential(&dev, IOTX509_PROFILE_DEVICE, x.rca, "staged-01", &x.o), 0, "%s", th_err());
	cr_assert_eq(entries(), 0, "staged, not written");
	cr_assert_eq(iotx509_fileset_count(set), 4);
	p = th_path(dir, "staged-01_fullchain.pem");
	cr_assert_str_eq(iotx509_fileset_get_path(set, 3), p, "the full chain last");
	free(p);
	cr_assert_eq(iotx509_fileset_commit(set, 0), 0, "%s", th_err());
	cr_assert_eq(mode_in_dir("staged-01_key.pem"), 0600);
	cr_assert_eq(mode_in_dir("staged-01.pfx"), 0600);
	cr_assert_eq(mode_in_dir("staged-01_cert.pem"), 0644);
	cr_assert_eq(entries(), 4);
	/* Committed here (no stage): an existing set is refused as a whole, nothing changes. */
	x.o.stage = NULL;
	expect_err(iotx509_issue_credential(&again, IOTX509_PROFILE_DEVICE, x.rca, "staged-01", &x.o), IOTX509_EEXISTS,
		   "staged-01");
	cr_assert_null(again);
	cr_assert_eq(entries(), 4);
	x.o.name = "committed-01";
	cr_assert_eq(iotx509_issue_credential(&again, IOTX509_PROFILE_DEVICE, x.rca, "committed-01", &x.o), 0, "%s",
		     th_err());
	cr_assert_eq(mode_in_dir("committed-01_key.pem"), 0600);
	cr_assert_eq(mode_in_dir("committed-01.pfx"), 0600);
	cr_assert_eq(entries(), 8);
	iotx509_credential_free(again);
	iotx509_fileset_free(set);
	iotx509_credential_free(dev);
	credfx_free(&x);
}

Test(issue, credential_bad_device_id_fails_first_and_writes_nothing)
{
	credfx x;
	iotx509_credential *dev = NULL;

	credfx_init(&x);
	x.o.name = "Bad_ID";
	expect_err(iotx509_issue_credential(&dev, IOTX509_PROFILE_DEVICE, x.rca, "Bad_ID", &x.o), IOTX509_EDEVICEID,
		   "Bad_ID");
	cr_assert_null(dev);
	/* Before any key is made: a token that does not exist is never reached. */
	x.o.token_url = "pkcs11:token=no-such-token-here";
	expect_err(iotx509_issue_credential(&dev, IOTX509_PROFILE_DEVICE, x.rca, "Bad_ID", &x.o), IOTX509_EDEVICEID,
		   "Bad_ID");
	expect_err(iotx509_issue_credential(&dev, IOTX509_PROFILE_DEVICE, NULL, "dev 1", &x.o), IOTX509_EDEVICEID,
		   "dev 1");
	expect_err(iotx509_issue_credential(&dev, IOTX509_PROFILE_VERIFICATION, x.rca, "12-34", &x.o), IOTX509_EDEVICEID,
		   "nonce");
	/* The parent's own problems come before the key too. */
	x.io.at = T0 + 3651LL * DAY;
	expect_err(iotx509_issue_credential(&dev, IOTX509_PROFILE_DEVICE, x.rca, "late-01", &x.o), IOTX509_EISSUERVALIDITY,
		   "Cred Root");
	cr_assert_null(dev);
	cr_assert_eq(entries(), 0);
	credfx_free(&x);
}

Test(issue, credential_refuses_what_does_not_fit_together)
{
	credfx x;
	iotx509_credential *dev = NULL, *out = NULL;
	iotx509_issuer *bad = NULL;
	iotx509_key *k = NULL;
	iotx509_csr *csr = NULL;
	iotx509_fileset *set = NULL;

	credfx_init(&x);
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_csr_new(&csr, k, "csr-dev", NULL), 0, "%s", th_err());
	x.o.key = k;
	x.o.csr = csr;
	expect_err(iotx509_issue_credential(&out, IOTX509_PROFILE_DEVICE, x.rca, NULL, &x.o), IOTX509_EINVAL,
		   "at most one of a key, a CSR and a token URL");
	x.o.key = NULL;
	x.o.token_url = "pkcs11:token=x";
	expect_err(iotx509_issue_credential(&out, IOTX509_PROFILE_DEVICE, x.rca, NULL, &x.o), IOTX509_EINVAL, "at most one");
	x.o.token_url = NULL;
	expect_err(iotx509_issue_credential(&out, IOTX509_PROFILE_SERVER, x.rca, "gw", &x.o), IOTX509_EINVAL,
		   "a certificate from a CSR is a device certificate");
	expect_err(iotx509_issue_credential(&out, IOTX509_PROFILE_DEVICE, NULL, NULL, &x.o), IOTX509_EINVAL,
		   "needs a parent");
	x.o.csr = NULL;
	expect_err(iotx509_issue_credential(&out, IOTX509_PROFILE_INTERMEDIATE, NULL, "Inter", &x.o), IOTX509_EINVAL,
		   "needs a parent");
	expect_err(iotx509_issue_credential(&out, IOTX509_PROFILE_VERIFICATION, NULL, "1234", &x.o), IOTX509_EINVAL,
		   "needs a parent");
	expect_err(iotx509_issue_credential(&out, IOTX509_PROFILE_ROOT, x.rca, "Root 2", &x.o), IOTX509_EINVAL,
		   "takes no parent");
	expect_err(iotx509_issue_credential(&out, (iotx509_profile)6, x.rca, "x", &x.o), IOTX509_EINVAL, "unknown profile");
	expect_err(iotx509_issue_credential(&out, IOTX509_PROFILE_DEVICE, x.rca, NULL, &x.o), IOTX509_EINVAL, "no subject");
	cr_assert_eq(iotx509_fileset_new(&set), 0);
	x.o.stage = set;
	expect_err(iotx509_issue_credential(&out, IOTX509_PROFILE_DEVICE, x.rca, "d1", &x.o), IOTX509_EINVAL,
		   "needs the credential's name");
	x.o.stage = NULL;
	x.o.name = "a/b";
	expect_err(iotx509_issue_credential(&out, IOTX509_PROFILE_DEVICE, x.rca, "d1", &x.o), IOTX509_EINVAL, "file name");
	x.o.name = NULL;
	x.o.version = 0;
	th_version_refused(iotx509_issue_credential(&out, IOTX509_PROFILE_DEVICE, x.rca, "d1", &x.o), 0);
	x.o.version = IOTX509_ISSUE_CREDENTIAL_OPTIONS_VERSION + 1;
	th_version_refused(iotx509_issue_credential(&out, IOTX509_PROFILE_DEVICE, x.rca, "d1", &x.o),
			   IOTX509_ISSUE_CREDENTIAL_OPTIONS_VERSION + 1);
	expect_err(iotx509_issue_credential(NULL, IOTX509_PROFILE_ROOT, NULL, "r", NULL), IOTX509_EINVAL, "out");
	cr_assert_null(out);
	/* A parent that is no CA is refused where the issuer is made. */
	x.o.version = IOTX509_ISSUE_CREDENTIAL_OPTIONS_VERSION;
	cr_assert_eq(iotx509_issue_credential(&dev, IOTX509_PROFILE_DEVICE, x.rca, "leaf-01", &x.o), 0, "%s", th_err());
	expect_err(iotx509_issuer_new_from_credential(&bad, dev), IOTX509_ENOTCA, "CN=leaf-01");
	cr_assert_null(bad);
	cr_assert_eq(entries(), 0);
	iotx509_fileset_free(set);
	iotx509_credential_free(dev);
	iotx509_csr_free(csr);
	iotx509_key_free(k);
	credfx_free(&x);
}

Test(issue, credential_zero_filled_options_are_the_init_ones)
{
	iotx509_issue_credential_options z, init = IOTX509_ISSUE_CREDENTIAL_OPTIONS_INIT;
	iotx509_issue_options io = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_credential *a = NULL, *b = NULL, *c = NULL;
	iotx509_issuer *rca = NULL;
	iotx509_credential *root = NULL;

	TH_CHECK_OPTIONS_INIT(iotx509_issue_credential_options, iotx509_issue_credential_options_init,
			      IOTX509_ISSUE_CREDENTIAL_OPTIONS_VERSION, "issue credential options",
			      IOTX509_ISSUE_CREDENTIAL_OPTIONS_INIT);
	TH_ZERO_OPTIONS(z, IOTX509_ISSUE_CREDENTIAL_OPTIONS_VERSION);
	cr_assert_eq(memcmp(&z, &init, sizeof(z)), 0, "the _INIT macro is the zero-filled struct");
	cred_root(&root, &rca);
	io.at = T0 + 60;
	z.issue = init.issue = &io;
	cr_assert_eq(iotx509_issue_credential(&a, IOTX509_PROFILE_DEVICE, rca, "zero-01", &z), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_credential(&b, IOTX509_PROFILE_DEVICE, rca, "zero-01", &init), 0, "%s", th_err());
	expect_same_shape(iotx509_credential_get_cert(a), iotx509_credential_get_cert(b));
	cr_assert_eq(iotx509_key_get_bits(iotx509_credential_get_key(a)), 256);
	cr_assert_eq(iotx509_certlist_count(iotx509_credential_get_chain(a)), 2);
	/* NULL options: the same defaults (the issuance time is now). */
	cr_assert_eq(iotx509_issue_credential(&c, IOTX509_PROFILE_DEVICE, NULL, "zero-02", NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_key_get_bits(iotx509_credential_get_key(c)), 256);
	cr_assert_eq(entries(), 0, "no name: nothing written");
	iotx509_credential_free(a);
	iotx509_credential_free(b);
	iotx509_credential_free(c);
	iotx509_credential_free(root);
	iotx509_issuer_free(rca);
}

Test(issue, issuer_from_credential_carries_the_chain_beyond_the_credential)
{
	iotx509_issue_credential_options o;
	iotx509_issue_options io;
	iotx509_credential *root = NULL, *inter = NULL, *nokey = NULL;
	iotx509_issuer *rca = NULL, *ica = NULL, *plain = NULL, *loaded = NULL, *bad = NULL;
	iotx509_buf a = IOTX509_BUF_INIT, b = IOTX509_BUF_INIT;
	const iotx509_certlist *chain;
	char *bundle, *kp, *all;

	cred_root(&root, &rca);
	expect_chain(iotx509_issuer_get_chain(rca), "Cred Root", NULL, NULL);
	cred_opts(&o, &io);
	cr_assert_eq(iotx509_issue_credential(&inter, IOTX509_PROFILE_INTERMEDIATE, rca, "Cred Inter", &o), 0, "%s",
		     th_err());
	cr_assert_eq(iotx509_issuer_new_from_credential(&ica, inter), 0, "%s", th_err());
	cr_assert_eq(iotx509_issuer_get_cert(ica), iotx509_credential_get_cert(inter), "the credential's own handle");
	/* iotx509_issuer_new(): the certificate alone. */
	cr_assert_eq(iotx509_issuer_new(&plain, iotx509_credential_get_cert(inter), iotx509_credential_get_key(inter)), 0,
		     "%s", th_err());
	expect_chain(iotx509_issuer_get_chain(plain), "Cred Inter", NULL, NULL);
	/* A credential without a key cannot sign: named. */
	cr_assert_eq(iotx509_credential_new(&nokey, iotx509_credential_get_cert(inter), NULL,
					    iotx509_credential_get_chain(inter), 0),
		     0);
	expect_err(iotx509_issuer_new_from_credential(&bad, nokey), IOTX509_EINVAL,
		   "the issuer 'CN=Cred Inter' has no private key");
	cr_assert_null(bad);
	expect_err(iotx509_issuer_new_from_credential(&bad, NULL), IOTX509_EINVAL, "NULL argument");
	/* iotx509_issuer_load(): the chain its certificate file carries. */
	cr_assert_eq(iotx509_cert_export_pem(&a, iotx509_credential_get_cert(inter)), 0);
	cr_assert_eq(iotx509_cert_export_pem(&b, iotx509_credential_get_cert(root)), 0);
	all = malloc(a.size + b.size);
	memcpy(all, a.data, a.size);
	memcpy(all + a.size, b.data, b.size);
	bundle = th_path(dir, "bundle.pem");
	th_write(bundle, all, a.size + b.size);
	kp = th_save_key(dir, "inter_key.pem", iotx509_credential_get_key(inter));
	cr_assert_eq(iotx509_issuer_load(&loaded, bundle, kp, NULL), 0, "%s", th_err());
	expect_chain(iotx509_issuer_get_chain(loaded), "Cred Inter", "Cred Root", NULL);
	/* The issuer keeps its chain: free the credentials it came from. */
	iotx509_credential_free(nokey);
	iotx509_credential_free(inter);
	iotx509_credential_free(root);
	iotx509_issuer_free(rca);
	chain = iotx509_issuer_get_chain(ica);
	expect_chain(chain, "Cred Inter", "Cred Root", NULL);
	cr_assert(iotx509_cert_is_self_signed(iotx509_certlist_get(chain, 1)));
	cr_assert_null(iotx509_issuer_get_chain(NULL));
	free(all);
	free(bundle);
	free(kp);
	iotx509_buf_dispose(&a);
	iotx509_buf_dispose(&b);
	iotx509_issuer_free(loaded);
	iotx509_issuer_free(plain);
	iotx509_issuer_free(ica);
}
