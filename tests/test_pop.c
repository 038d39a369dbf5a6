/*
 * Proof of possession: the call returns 0 when it could decide; one
 * status (and one last-error code) per failing check.
 */
#include "helpers.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define T0 TH_FIXTURE_TIME

static void assert_msg_has(const char *needle)
{
	cr_assert(strstr(th_err(), needle) != NULL, "message '%s' lacks '%s'", th_err(), needle);
}

static iotx509_cert *load(const char *rel)
{
	iotx509_cert *c = NULL;

	cr_assert_eq(iotx509_cert_load(&c, th_fixture(rel)), 0, "%s", th_err());
	return c;
}

/* The verdict at @at; the call itself must succeed. */
static iotx509_pop_status pop_at(const iotx509_cert *v, const iotx509_cert *ca, const char *nonce, int64_t at)
{
	iotx509_pop_options o = IOTX509_POP_OPTIONS_INIT;
	iotx509_pop_status st = (iotx509_pop_status)99;

	o.at = at;
	cr_assert_eq(iotx509_pop_verify(&st, v, ca, nonce, &o), 0, "%s", th_err());
	return st;
}

typedef struct {
	iotx509_key *ca_key, *v_key;
	iotx509_cert *ca, *vcert;
	iotx509_issuer *issuer;
} popkit;

static void kit_make(popkit *k, const char *nonce)
{
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;

	memset(k, 0, sizeof(*k));
	o.at = T0;
	th_make_root(&k->ca_key, &k->ca, &k->issuer, "PoP Root", T0 - DAY);
	cr_assert_eq(iotx509_key_generate(&k->v_key, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_verification(&k->vcert, k->issuer, k->v_key, nonce, &o), 0, "%s", th_err());
}

static void kit_free(popkit *k)
{
	iotx509_issuer_free(k->issuer);
	iotx509_cert_free(k->ca);
	iotx509_cert_free(k->vcert);
	iotx509_key_free(k->ca_key);
	iotx509_key_free(k->v_key);
}

Test(pop, issued_verification_certificate_passes)
{
	popkit k;

	kit_make(&k, "5F3A9C01B2");
	cr_assert_eq(pop_at(k.vcert, k.ca, "5F3A9C01B2", T0 + 3600), IOTX509_POP_OK, "%s", th_err());
	kit_free(&k);
}

Test(pop, fixture_verification_certificates_pass_at_fixture_time)
{
	iotx509_cert *v = load("create_test_cert/verification_cert.pem"), *ca = load("create_test_cert/mytestrootcert_cert.pem");
	iotx509_cert *v2 = load("certgen_sh/verification-code.cert.pem"),
		     *ca2 = load("certgen_sh/azure-iot-test-only.root.ca.cert.pem");

	cr_assert_eq(pop_at(v, ca, "1234ABCD", TH_FIXTURE_TIME), IOTX509_POP_OK, "%s", th_err());
	cr_assert_eq(pop_at(v2, ca2, "1234ABCD", TH_FIXTURE_TIME), IOTX509_POP_OK, "%s", th_err());
	iotx509_cert_free(v);
	iotx509_cert_free(ca);
	iotx509_cert_free(v2);
	iotx509_cert_free(ca2);
}

Test(pop, nonce_mismatch_is_exact_and_case_sensitive)
{
	iotx509_cert *v = load("create_test_cert/verification_cert.pem"), *ca = load("create_test_cert/mytestrootcert_cert.pem");

	cr_assert_eq(pop_at(v, ca, "1234abcd", TH_FIXTURE_TIME), IOTX509_POP_NONCE);
	cr_assert_eq(iotx509_error_last_code(), IOTX509_EPOPNONCE);
	assert_msg_has("CN '1234ABCD' does not match the nonce '1234abcd'");
	cr_assert_eq(pop_at(v, ca, "1234ABCD ", TH_FIXTURE_TIME), IOTX509_POP_NONCE);
	cr_assert_eq(pop_at(v, ca, "1234ABC", TH_FIXTURE_TIME), IOTX509_POP_NONCE);
	iotx509_cert_free(v);
	iotx509_cert_free(ca);
}

Test(pop, certificate_of_another_ca_is_refused)
{
	iotx509_cert *v = load("create_test_cert/verification_cert.pem"),
		     *other = load("certgen_sh/azure-iot-test-only.root.ca.cert.pem");

	cr_assert_eq(pop_at(v, other, "1234ABCD", TH_FIXTURE_TIME), IOTX509_POP_SIGNER);
	assert_msg_has("is issued by 'CN=mytestrootcert', not by the CA 'CN=Azure IoT Hub CA Cert Test Only'");
	iotx509_cert_free(v);
	iotx509_cert_free(other);
}

Test(pop, regenerated_ca_with_same_name_is_refused)
{
	popkit k;
	iotx509_key *k2 = NULL;
	iotx509_cert *again = NULL;

	kit_make(&k, "NONCE42");
	/* The user regenerated "PoP Root": same name, another key. */
	th_make_root(&k2, &again, NULL, "PoP Root", T0 - DAY);
	cr_assert_eq(pop_at(k.vcert, again, "NONCE42", T0), IOTX509_POP_SIGNER);
	assert_msg_has("CN=PoP Root");
	iotx509_cert_free(again);
	iotx509_key_free(k2);
	kit_free(&k);
}

Test(pop, bad_signature_is_refused)
{
	popkit k;
	iotx509_buf der = IOTX509_BUF_INIT;
	iotx509_cert *bad = NULL;

	kit_make(&k, "NONCE42");
	cr_assert_eq(iotx509_cert_export_der(&der, k.vcert), 0);
	der.data[der.size - 4] ^= 0x01;
	cr_assert_eq(iotx509_cert_import(&bad, der.data, der.size), 0, "%s", th_err());
	cr_assert_eq(pop_at(bad, k.ca, "NONCE42", T0), IOTX509_POP_SIGNER);
	assert_msg_has("signature does not verify");
	iotx509_cert_free(bad);
	iotx509_buf_dispose(&der);
	kit_free(&k);
}

Test(pop, ca_certificate_is_refused)
{
	popkit k;
	iotx509_key *key = NULL;
	iotx509_cert *ca_like = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;

	kit_make(&k, "NONCE42");
	o.at = T0;
	cr_assert_eq(iotx509_key_generate(&key, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_intermediate(&ca_like, k.issuer, key, "NONCE42", &o), 0, "%s", th_err());
	cr_assert_eq(pop_at(ca_like, k.ca, "NONCE42", T0), IOTX509_POP_CA);
	assert_msg_has("'CN=NONCE42' is a CA certificate");
	iotx509_cert_free(ca_like);
	iotx509_key_free(key);
	kit_free(&k);
}

Test(pop, outside_validity_is_refused)
{
	iotx509_cert *v = load("create_test_cert/verification_cert.pem"), *ca = load("create_test_cert/mytestrootcert_cert.pem");

	cr_assert_eq(pop_at(v, ca, "1234ABCD", TH_FIXTURE_TIME + 2 * DAY), IOTX509_POP_VALIDITY);
	assert_msg_has("'CN=1234ABCD' expired at 2026-11-30");
	cr_assert_eq(pop_at(v, ca, "1234ABCD", TH_FIXTURE_TIME - 2 * DAY), IOTX509_POP_VALIDITY);
	assert_msg_has("is not valid before 2026-11-29");
	iotx509_cert_free(v);
	iotx509_cert_free(ca);
}

Test(pop, each_failure_has_its_own_code)
{
	int codes[] = { IOTX509_EPOPNONCE, IOTX509_EPOPSIGNER, IOTX509_EPOPCA, IOTX509_EPOPVALIDITY };
	size_t i, j;

	for (i = 0; i < 4; i++) {
		cr_assert_str_neq(iotx509_strerror(codes[i]), "unknown error");
		for (j = i + 1; j < 4; j++)
			cr_assert_neq(codes[i], codes[j]);
	}
}

Test(pop, rejects_bad_arguments)
{
	popkit k;
	iotx509_pop_status st = (iotx509_pop_status)99;
	iotx509_pop_options o = IOTX509_POP_OPTIONS_INIT;

	kit_make(&k, "NONCE42");
	o.at = T0;
	cr_assert_eq(iotx509_pop_verify(NULL, k.vcert, k.ca, "NONCE42", &o), IOTX509_EINVAL);
	cr_assert_eq(iotx509_pop_verify(&st, NULL, k.ca, "NONCE42", &o), IOTX509_EINVAL);
	cr_assert_eq(iotx509_pop_verify(&st, k.vcert, NULL, "NONCE42", &o), IOTX509_EINVAL);
	cr_assert_eq(iotx509_pop_verify(&st, k.vcert, k.ca, NULL, &o), IOTX509_EINVAL);
	cr_assert_eq(iotx509_pop_verify(&st, k.vcert, k.ca, "", &o), IOTX509_EINVAL);
	assert_msg_has("nonce is empty");
	o.version = 0;
	cr_assert_eq(iotx509_pop_verify(&st, k.vcert, k.ca, "NONCE42", &o), IOTX509_EINVAL);
	o.version = IOTX509_POP_OPTIONS_VERSION + 1;
	th_version_refused_named(iotx509_pop_verify(&st, k.vcert, k.ca, "NONCE42", &o), IOTX509_POP_OPTIONS_VERSION + 1,
				 "proof-of-possession options");
	cr_assert_eq((int)st, 99, "the verdict is not set when the call could not decide");
	kit_free(&k);
}

Test(pop, a_no_verdict_is_a_status_and_names_its_reason)
{
	iotx509_cert *v = load("create_test_cert/verification_cert.pem"), *ca = load("create_test_cert/mytestrootcert_cert.pem");

	iotx509_error_clear();
	cr_assert_eq(pop_at(v, ca, "WRONG", TH_FIXTURE_TIME), IOTX509_POP_NONCE);
	cr_assert_eq(iotx509_error_last_code(), IOTX509_EPOPNONCE);
	assert_msg_has("does not match the nonce 'WRONG'");
	cr_assert_eq(pop_at(v, ca, "1234ABCD", TH_FIXTURE_TIME + 2 * DAY), IOTX509_POP_VALIDITY);
	cr_assert_eq(iotx509_error_last_code(), IOTX509_EPOPVALIDITY);
	cr_assert_eq(pop_at(v, ca, "1234ABCD", TH_FIXTURE_TIME), IOTX509_POP_OK);
	cr_assert_null(iotx509_error_last(), "a yes verdict clears the reason of the last no");
	iotx509_cert_free(v);
	iotx509_cert_free(ca);
}

Test(pop, options_zero_filled_with_version_are_the_defaults)
{
	iotx509_pop_options init = IOTX509_POP_OPTIONS_INIT, zero, fn;
	popkit k;
	iotx509_pop_status a, b;

	memset(&zero, 0, sizeof(zero));
	zero.version = IOTX509_POP_OPTIONS_VERSION;
	cr_assert_eq(zero.version, init.version);
	cr_assert_eq(zero.at, init.at);
	memset(&fn, 0xff, sizeof(fn));
	cr_assert_eq(iotx509_pop_options_init(&fn, IOTX509_POP_OPTIONS_VERSION), 0);
	cr_assert_eq(fn.version, init.version);
	cr_assert_eq(fn.at, init.at);
	cr_assert_eq(iotx509_pop_options_init(&fn, 0), IOTX509_EINVAL);
	cr_assert_eq(iotx509_pop_options_init(&fn, IOTX509_POP_OPTIONS_VERSION + 1), IOTX509_EINVAL);
	cr_assert_eq(iotx509_pop_options_init(NULL, IOTX509_POP_OPTIONS_VERSION), IOTX509_EINVAL);
	TH_CHECK_OPTIONS_INIT(iotx509_pop_options, iotx509_pop_options_init, IOTX509_POP_OPTIONS_VERSION,
			      "proof-of-possession options", IOTX509_POP_OPTIONS_INIT);

	/* at = 0 and NULL options both mean "now": the kit's certificate is valid now. */
	kit_make(&k, "NONCE42");
	cr_assert_eq(iotx509_pop_verify(&a, k.vcert, k.ca, "NONCE42", &zero), 0, "%s", th_err());
	cr_assert_eq(iotx509_pop_verify(&b, k.vcert, k.ca, "NONCE42", NULL), 0, "%s", th_err());
	cr_assert_eq(a, b);
	kit_free(&k);
}

Test(pop, status_names_are_stable)
{
	cr_assert_str_eq(iotx509_pop_status_name(IOTX509_POP_OK), "ok");
	cr_assert_str_eq(iotx509_pop_status_name(IOTX509_POP_NONCE), "nonce");
	cr_assert_str_eq(iotx509_pop_status_name(IOTX509_POP_SIGNER), "signer");
	cr_assert_str_eq(iotx509_pop_status_name(IOTX509_POP_CA), "ca");
	cr_assert_str_eq(iotx509_pop_status_name(IOTX509_POP_VALIDITY), "validity");
	cr_assert_str_eq(iotx509_pop_status_name((iotx509_pop_status)5), "unknown");
	cr_assert_str_eq(iotx509_pop_status_name((iotx509_pop_status)-1), "unknown");
}
