#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"

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

TestSuite(csr, .init = setup, .fini = teardown);

static iotx509_csr *make_csr(iotx509_key **key, iotx509_key_type type, const char *cn)
{
	iotx509_csr *csr = NULL;

	cr_assert_eq(iotx509_key_generate(key, type), 0, "%s", th_err());
	cr_assert_eq(iotx509_csr_new(&csr, *key, cn, NULL), 0, "%s", th_err());
	return csr;
}

/* The verdict of iotx509_csr_verify(); the call itself must succeed. */
static int csr_valid(const iotx509_csr *c)
{
	int valid = 0;

	cr_assert_eq(iotx509_csr_verify(&valid, c), 0, "%s", th_err());
	return valid;
}

Test(csr, creates_a_self_signed_request_for_each_key_type)
{
	iotx509_key_type types[] = { IOTX509_KEY_P256, IOTX509_KEY_P384, IOTX509_KEY_ED25519, IOTX509_KEY_RSA2048 };
	size_t i;

	for (i = 0; i < 4; i++) {
		iotx509_key *k = NULL;
		iotx509_csr *csr = make_csr(&k, types[i], "dev-1");

		cr_assert(csr_valid(csr), "%s", th_err());
		cr_assert_str_eq(iotx509_csr_get_subject_cn(csr), "dev-1");
		cr_assert_str_eq(iotx509_csr_get_subject_dn(csr), "CN=dev-1");
		cr_assert_eq(iotx509_csr_check_key(csr, k), 0);
		cr_assert_str_eq(iotx509_csr_get_spki_sha256(csr), iotx509_key_get_spki_sha256(k));
		cr_assert_eq(iotx509_csr_get_key_algorithm(csr), iotx509_key_get_algorithm(k));
		iotx509_csr_free(csr);
		iotx509_key_free(k);
	}
}

Test(csr, pem_der_and_dps_base64_forms_round_trip)
{
	iotx509_key *k = NULL;
	iotx509_csr *csr = make_csr(&k, IOTX509_KEY_P256, "dev-2"), *back = NULL;
	iotx509_buf pem = IOTX509_BUF_INIT, der = IOTX509_BUF_INIT, b64 = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_csr_export_pem(&pem, csr), 0);
	cr_assert(strncmp((char *)pem.data, "-----BEGIN CERTIFICATE REQUEST-----\n", 36) == 0);
	cr_assert_eq(pem.data[pem.size - 1], '\n');
	cr_assert_eq(iotx509_csr_export_der(&der, csr), 0);
	cr_assert_eq(iotx509_csr_export_base64(&b64, csr), 0);
	cr_assert_null(strchr((char *)b64.data, '\n'), "the DPS form is one line");
	cr_assert_null(strchr((char *)b64.data, '-'), "the DPS form has no armour");

	cr_assert_eq(iotx509_csr_import(&back, pem.data, pem.size), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_csr_get_spki_sha256(back), iotx509_csr_get_spki_sha256(csr));
	iotx509_csr_free(back);
	cr_assert_eq(iotx509_csr_import(&back, der.data, der.size), 0, "%s", th_err());
	cr_assert(csr_valid(back));
	iotx509_csr_free(back);
	cr_assert_eq(iotx509_csr_import(&back, b64.data, b64.size), 0, "%s", th_err());
	cr_assert(csr_valid(back));
	cr_assert_str_eq(iotx509_csr_get_subject_cn(back), "dev-2");
	iotx509_csr_free(back);

	iotx509_buf_dispose(&pem);
	iotx509_buf_dispose(&der);
	iotx509_buf_dispose(&b64);
	iotx509_csr_free(csr);
	iotx509_key_free(k);
}

Test(csr, openssl_verifies_our_csr_and_sees_the_sans)
{
	iotx509_key *k = NULL;
	iotx509_csr *csr = NULL;
	iotx509_strlist *dns = th_strlist("gw.example.com", NULL);
	iotx509_strlist *ips = th_strlist("192.0.2.7", "2001:db8::1", NULL);
	iotx509_csr_options opts;
	char *p = th_path(dir, "r.csr"), *out = NULL;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	cr_assert_eq(iotx509_csr_options_init(&opts, IOTX509_CSR_OPTIONS_VERSION), 0);
	opts.dns_names = dns;
	opts.ip_addresses = ips;
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_csr_new(&csr, k, "gw", &opts), 0, "%s", th_err());
	cr_assert_eq(iotx509_csr_save(csr, p, NULL), 0, "%s", th_err());
	cr_assert_eq(th_run(&out, "openssl req -in '%s' -verify -noout -text", p), 0, "%s", out);
	cr_assert(strstr(out, "verify OK") != NULL || strstr(out, "Certificate request self-signature verify OK") != NULL, "%s", out);
	cr_assert(strstr(out, "DNS:gw.example.com") != NULL, "%s", out);
	cr_assert(strstr(out, "IP Address:192.0.2.7") != NULL, "%s", out);
	cr_assert(strstr(out, "IP Address:2001:DB8:0:0:0:0:0:1") != NULL, "%s", out);
	free(out);
	free(p);
	iotx509_csr_free(csr);
	iotx509_key_free(k);
	iotx509_strlist_free(dns);
	iotx509_strlist_free(ips);
}

Test(csr, reads_csrs_made_by_openssl)
{
	char *out = NULL, *p;
	iotx509_csr *csr = NULL;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	cr_assert_eq(th_run(&out, "cd '%s' && openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
			  "-keyout k.pem -subj /CN=openssl-dev -out r.csr", dir), 0, "%s", out);
	free(out);
	p = th_path(dir, "r.csr");
	cr_assert_eq(iotx509_csr_load(&csr, p), 0, "%s", th_err());
	cr_assert(csr_valid(csr), "%s", th_err());
	cr_assert_str_eq(iotx509_csr_get_subject_cn(csr), "openssl-dev");
	iotx509_csr_free(csr);
	free(p);
}

Test(csr, broken_signature_is_detected)
{
	iotx509_key *k = NULL;
	iotx509_csr *csr = make_csr(&k, IOTX509_KEY_RSA2048, "dev-3"), *bad = NULL;
	iotx509_buf der = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_csr_export_der(&der, csr), 0);
	der.data[der.size - 5] ^= 0x01; /* inside the RSA signature value */
	cr_assert_eq(iotx509_csr_import(&bad, der.data, der.size), 0, "%s", th_err());
	int valid = 1;

	iotx509_error_clear();
	cr_assert_eq(iotx509_csr_verify(&valid, bad), 0, "a verdict \"no\" is not an error of the call: %s", th_err());
	cr_assert_eq(valid, 0);
	cr_assert_eq(iotx509_error_last_code(), IOTX509_ESIGNATURE);
	cr_assert(strstr(th_err(), "dev-3") != NULL, "%s", th_err());
	cr_assert_eq(iotx509_csr_verify(&valid, csr), 0, "%s", th_err());
	cr_assert_eq(valid, 1);
	cr_assert_null(iotx509_error_last(), "a verdict \"yes\" clears the reason of the last \"no\"");
	cr_assert_eq(iotx509_csr_verify(NULL, csr), IOTX509_EINVAL);
	cr_assert_eq(iotx509_csr_verify(&valid, NULL), IOTX509_EINVAL);
	iotx509_csr_free(bad);
	iotx509_buf_dispose(&der);
	iotx509_csr_free(csr);
	iotx509_key_free(k);
}

Test(csr, check_key_refuses_another_key)
{
	iotx509_key *k = NULL, *other = NULL;
	iotx509_csr *csr = make_csr(&k, IOTX509_KEY_P256, "dev-4");

	cr_assert_eq(iotx509_key_generate(&other, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_csr_check_key(csr, other), IOTX509_EKEYMISMATCH);
	cr_assert(strstr(th_err(), "dev-4") != NULL);
	iotx509_csr_free(csr);
	iotx509_key_free(k);
	iotx509_key_free(other);
}

Test(csr, bad_arguments_are_refused)
{
	iotx509_key *k = NULL;
	iotx509_csr *csr = NULL;
	iotx509_csr_options opts = IOTX509_CSR_OPTIONS_INIT;
	iotx509_strlist *ips = th_strlist("300.1.1.1", NULL);

	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_csr_new(&csr, k, "", NULL), IOTX509_EINVAL);
	cr_assert(strstr(th_err(), "empty") != NULL);
	opts.ip_addresses = ips;
	cr_assert_eq(iotx509_csr_new(&csr, k, "x", &opts), IOTX509_EINVAL);
	cr_assert(strstr(th_err(), "300.1.1.1") != NULL, "%s", th_err());
	opts.version = 42;
	cr_assert_eq(iotx509_csr_new(&csr, k, "x", &opts), IOTX509_EINVAL);
	cr_assert_eq(iotx509_csr_options_init(&opts, 42), IOTX509_EINVAL);
	cr_assert_null(csr);
	iotx509_key_free(k);
	iotx509_strlist_free(ips);
}

Test(csr, malformed_input_gives_parse_errors)
{
	iotx509_csr *csr = NULL;
	const char *junk[] = { "-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQA=\n-----END CERTIFICATE REQUEST-----\n",
			       "%%% not base64 %%%", "-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n" };
	const char *needles[] = { "malformed certificate request", "neither PEM, DER nor base64", "CERTIFICATE REQUEST" };
	size_t i;

	for (i = 0; i < 3; i++) {
		cr_assert_eq(iotx509_csr_import(&csr, (const unsigned char *)junk[i], strlen(junk[i])), IOTX509_EPARSE,
			     "input %zu", i);
		cr_assert(strstr(th_err(), needles[i]) != NULL, "'%s' lacks '%s'", th_err(), needles[i]);
	}
	cr_assert_eq(iotx509_csr_import(&csr, (const unsigned char *)"", 0), IOTX509_EPARSE);
}

/* Ed25519 signatures are deterministic: the same request gives the same DER. */
static void csr_der(iotx509_buf *out, const iotx509_key *k, const iotx509_csr_options *opts)
{
	iotx509_csr *csr = NULL;

	cr_assert_eq(iotx509_csr_new(&csr, k, "dev-1", opts), 0, "%s", th_err());
	cr_assert_eq(iotx509_csr_export_der(out, csr), 0, "%s", th_err());
	iotx509_csr_free(csr);
}

Test(csr, zero_filled_options_are_the_defaults)
{
	iotx509_key *k = NULL;
	iotx509_csr_options z, init = IOTX509_CSR_OPTIONS_INIT;
	iotx509_buf a = IOTX509_BUF_INIT, b = IOTX509_BUF_INIT, c = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_ED25519), 0);
	TH_ZERO_OPTIONS(z, IOTX509_CSR_OPTIONS_VERSION);
	csr_der(&a, k, &z);
	csr_der(&b, k, &init);
	csr_der(&c, k, NULL);
	cr_assert_eq(a.size, b.size);
	cr_assert_eq(memcmp(a.data, b.data, a.size), 0, "zero-filled and _INIT give the same request");
	cr_assert_eq(a.size, c.size);
	cr_assert_eq(memcmp(a.data, c.data, a.size), 0, "and so does NULL");
	TH_CHECK_OPTIONS_INIT(iotx509_csr_options, iotx509_csr_options_init, IOTX509_CSR_OPTIONS_VERSION, "CSR options",
			      IOTX509_CSR_OPTIONS_INIT);
	iotx509_buf_dispose(&a);
	iotx509_buf_dispose(&b);
	iotx509_buf_dispose(&c);
	iotx509_key_free(k);
}

Test(csr, options_versions_1_to_current)
{
	iotx509_key *k = NULL;
	iotx509_csr *csr = NULL;
	iotx509_csr_options o = IOTX509_CSR_OPTIONS_INIT;

	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	o.version = 1;
	cr_assert_eq(iotx509_csr_new(&csr, k, "x", &o), 0, "%s", th_err());
	iotx509_csr_free(csr);
	csr = NULL;
	o.version = 0;
	th_version_refused(iotx509_csr_new(&csr, k, "x", &o), 0);
	o.version = IOTX509_CSR_OPTIONS_VERSION + 1;
	th_version_refused(iotx509_csr_new(&csr, k, "x", &o), IOTX509_CSR_OPTIONS_VERSION + 1);
	cr_assert_null(csr);
	iotx509_key_free(k);
}
