#include <criterion/criterion.h>
#include <ctype.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"
#include "keycheck.h"

#define HOSTILE IOTX509_TEST_SRCDIR "/tests/data/p12key/"

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

TestSuite(key, .init = setup, .fini = teardown);

static iotx509_key *load_ok(const char *path, const char *password)
{
	iotx509_key *k = NULL;

	cr_assert_eq(iotx509_key_load(&k, path, password), 0, "%s: %s", path, th_err());
	return k;
}

static void check_generate(iotx509_key_type type, iotx509_key_algorithm alg, unsigned bits)
{
	iotx509_key *k = NULL;

	cr_assert_eq(iotx509_key_generate(&k, type), 0, "%s", th_err());
	cr_assert_eq(iotx509_key_get_algorithm(k), alg);
	cr_assert_eq(iotx509_key_get_bits(k), bits);
	cr_assert_eq(strlen(iotx509_key_get_spki_sha256(k)), 64);
	iotx509_key_free(k);
}

Test(key, generates_every_supported_type)
{
	check_generate(IOTX509_KEY_RSA2048, IOTX509_ALG_RSA, 2048);
	check_generate(IOTX509_KEY_RSA3072, IOTX509_ALG_RSA, 3072);
	check_generate(IOTX509_KEY_P256, IOTX509_ALG_ECDSA, 256);
	check_generate(IOTX509_KEY_P384, IOTX509_ALG_ECDSA, 384);
	check_generate(IOTX509_KEY_ED25519, IOTX509_ALG_ED25519, 256);
}

Test(key, generates_rsa4096, .timeout = 120)
{
	check_generate(IOTX509_KEY_RSA4096, IOTX509_ALG_RSA, 4096);
}

Test(key, rejects_unknown_type)
{
	iotx509_key *k = NULL;

	cr_assert_eq(iotx509_key_generate(&k, (iotx509_key_type)99), IOTX509_EINVAL);
	cr_assert_null(k);
	cr_assert_eq(iotx509_key_generate(NULL, IOTX509_KEY_P256), IOTX509_EINVAL);
}

Test(key, type_names_round_trip)
{
	const char *names[] = { "rsa2048", "rsa3072", "rsa4096", "p256", "p384", "ed25519" };
	iotx509_key_type t;
	size_t i;

	for (i = 0; i < 6; i++) {
		cr_assert_eq(iotx509_key_type_from_name(&t, names[i]), 0);
		cr_assert_str_eq(iotx509_key_type_name(t), names[i]);
	}
	cr_assert_eq(iotx509_key_type_from_name(&t, "dsa"), IOTX509_EINVAL);
	cr_assert(strstr(th_err(), "'dsa'") != NULL);
	cr_assert_str_eq(iotx509_key_type_name((iotx509_key_type)0), "unknown");
}

Test(key, pem_export_is_pkcs8_and_reimports_to_the_same_key)
{
	iotx509_key *k = NULL, *k2 = NULL;
	iotx509_buf pem = IOTX509_BUF_INIT, der = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_ED25519), 0);
	cr_assert_eq(iotx509_key_export_pem(&pem, k, NULL), 0, "%s", th_err());
	cr_assert(strncmp((char *)pem.data, "-----BEGIN PRIVATE KEY-----\n", 28) == 0, "%s", pem.data);
	cr_assert_eq(pem.data[pem.size - 1], '\n');
	cr_assert_eq(iotx509_key_import(&k2, pem.data, pem.size, NULL), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_key_get_spki_sha256(k2), iotx509_key_get_spki_sha256(k));
	iotx509_key_free(k2);
	cr_assert_eq(iotx509_key_export_der(&der, k, NULL), 0);
	cr_assert_eq(der.data[0], 0x30);
	cr_assert_eq(iotx509_key_import(&k2, der.data, der.size, NULL), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_key_get_spki_sha256(k2), iotx509_key_get_spki_sha256(k));
	iotx509_key_free(k2);
	iotx509_buf_dispose(&pem);
	iotx509_buf_dispose(&der);
	iotx509_key_free(k);
}

Test(key, encrypted_export_needs_the_right_password)
{
	iotx509_key *k = NULL, *k2 = NULL;
	iotx509_buf pem = IOTX509_BUF_INIT, der = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_key_export_pem(&pem, k, "s3cret-pw"), 0, "%s", th_err());
	cr_assert(strstr((char *)pem.data, "BEGIN ENCRYPTED PRIVATE KEY") != NULL);
	cr_assert_eq(iotx509_key_import(&k2, pem.data, pem.size, "s3cret-pw"), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_key_get_spki_sha256(k2), iotx509_key_get_spki_sha256(k));
	iotx509_key_free(k2);

	cr_assert_eq(iotx509_key_import(&k2, pem.data, pem.size, "wrong-pw"), IOTX509_EPASSWORD);
	cr_assert_null(k2);
	cr_assert(strstr(th_err(), "wrong password") != NULL, "%s", th_err());
	cr_assert(strstr(th_err(), "wrong-pw") == NULL, "the password leaked into the message");
	cr_assert_eq(iotx509_key_import(&k2, pem.data, pem.size, NULL), IOTX509_EPASSWORD);
	cr_assert(strstr(th_err(), "password is required") != NULL, "%s", th_err());

	cr_assert_eq(iotx509_key_export_der(&der, k, "s3cret-pw"), 0);
	cr_assert_eq(iotx509_key_import(&k2, der.data, der.size, NULL), IOTX509_EPASSWORD, "%s", th_err());
	cr_assert_eq(iotx509_key_import(&k2, der.data, der.size, "nope"), IOTX509_EPASSWORD, "%s", th_err());
	cr_assert_eq(iotx509_key_import(&k2, der.data, der.size, "s3cret-pw"), 0, "%s", th_err());
	iotx509_key_free(k2);
	iotx509_buf_dispose(&pem);
	iotx509_buf_dispose(&der);
	iotx509_key_free(k);
}

Test(key, empty_export_password_is_refused)
{
	iotx509_key *k = NULL;
	iotx509_buf pem = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_key_export_pem(&pem, k, ""), IOTX509_EINVAL);
	cr_assert(strstr(th_err(), "empty password") != NULL);
	cr_assert_null(pem.data);
	iotx509_key_free(k);
}

Test(key, encrypted_export_is_pbes2_aes256_with_hmac_sha256)
{
	iotx509_key *k = NULL;
	char *path, *out = NULL;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	path = th_path(dir, "enc.pem");
	cr_assert_eq(iotx509_key_save(k, path, "pw-1234", NULL), 0, "%s", th_err());
	cr_assert_eq(th_run(&out, "openssl asn1parse -in '%s'", path), 0, "%s", out);
	cr_assert(strstr(out, "PBES2") != NULL, "%s", out);
	cr_assert(strstr(out, "PBKDF2") != NULL, "%s", out);
	cr_assert(strstr(out, "hmacWithSHA256") != NULL, "%s", out);
	cr_assert(strstr(out, "aes-256-cbc") != NULL, "%s", out);
	free(out);
	cr_assert_eq(th_run(&out, "openssl pkey -in '%s' -passin pass:pw-1234 -noout", path), 0, "%s", out);
	free(out);
	free(path);
	iotx509_key_free(k);
}

Test(key, save_writes_0600_and_never_overwrites_unless_asked)
{
	iotx509_key *k = NULL, *k2 = NULL;
	char *path = th_path(dir, "k.pem"), *before, *after;
	struct stat st;

	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_key_generate(&k2, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_key_save(k, path, NULL, NULL), 0, "%s", th_err());
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "mode %o", st.st_mode & 0777);
	before = th_slurp(path, NULL);
	cr_assert_eq(iotx509_key_save(k2, path, NULL, NULL), IOTX509_EEXISTS);
	cr_assert(strstr(th_err(), "k.pem") != NULL, "%s", th_err());
	after = th_slurp(path, NULL);
	cr_assert_str_eq(before, after, "the existing key was modified");
	free(after);
	cr_assert_eq(iotx509_key_save(k2, path, NULL, WRITE_OPTS(IOTX509_WRITE_OVERWRITE)), 0, "%s", th_err());
	after = th_slurp(path, NULL);
	cr_assert_str_neq(before, after);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	free(before);
	free(after);
	free(path);
	iotx509_key_free(k);
	iotx509_key_free(k2);
}

Test(key, loads_create_test_cert_pkcs1_key_without_trailing_newline)
{
	const char *p = th_fixture("create_test_cert/mytestrootcert_key.pem");
	size_t size;
	char *raw = th_slurp(p, &size);
	iotx509_key *k;

	cr_assert(strstr(raw, "BEGIN RSA PRIVATE KEY") != NULL);
	cr_assert_neq(raw[size - 1], '\n', "the fixture should lack a final newline");
	k = load_ok(p, NULL);
	cr_assert_eq(iotx509_key_get_algorithm(k), IOTX509_ALG_RSA);
	cr_assert_eq(iotx509_key_get_bits(k), 2048);
	iotx509_key_free(k);
	free(raw);
}

Test(key, loads_certgen_encrypted_pkcs8_with_password, .timeout = 60)
{
	const char *p = th_fixture("certgen_sh/azure-iot-test-only.root.ca.key.pem");
	iotx509_key *k = NULL;

	k = load_ok(p, "1234");
	cr_assert_eq(iotx509_key_get_bits(k), 4096);
	iotx509_key_free(k);
	k = NULL;
	cr_assert_eq(iotx509_key_load(&k, p, "4321"), IOTX509_EPASSWORD);
	cr_assert(strstr(th_err(), "azure-iot-test-only.root.ca.key.pem") != NULL, "%s", th_err());
	cr_assert(strstr(th_err(), "wrong password") != NULL, "%s", th_err());
	cr_assert(strstr(th_err(), "4321") == NULL);
	cr_assert_eq(iotx509_key_load(&k, p, NULL), IOTX509_EPASSWORD);
	cr_assert(strstr(th_err(), "password is required") != NULL, "%s", th_err());
}

Test(key, loads_certgen_plain_pkcs8)
{
	iotx509_key *k = load_ok(th_fixture("certgen_sh/new-device.key.pem"), NULL);

	cr_assert_eq(iotx509_key_get_algorithm(k), IOTX509_ALG_RSA);
	iotx509_key_free(k);
}

Test(key, loads_sec1_and_pkcs1_der_made_by_openssl)
{
	char *out = NULL;
	iotx509_key *k;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	cr_assert_eq(th_run(&out, "cd '%s' && openssl ecparam -name secp384r1 -genkey -noout -out sec1.pem && "
			  "openssl ecparam -name prime256v1 -genkey -noout -outform DER -out sec1.der && "
			  "openssl genrsa -traditional -out rsa.pem 2048 && "
			  "openssl rsa -in rsa.pem -traditional -outform DER -out rsa.der", dir), 0, "%s", out);
	free(out);
	{
		char *sec1 = th_path(dir, "sec1.pem"), *sec1der = th_path(dir, "sec1.der"), *rsader = th_path(dir, "rsa.der");
		char *raw = th_slurp(sec1, NULL);

		cr_assert(strstr(raw, "BEGIN EC PRIVATE KEY") != NULL);
		k = load_ok(sec1, NULL);
		cr_assert_eq(iotx509_key_get_algorithm(k), IOTX509_ALG_ECDSA);
		cr_assert_eq(iotx509_key_get_bits(k), 384);
		iotx509_key_free(k);
		k = load_ok(sec1der, NULL);
		cr_assert_eq(iotx509_key_get_bits(k), 256);
		iotx509_key_free(k);
		k = load_ok(rsader, NULL);
		cr_assert_eq(iotx509_key_get_algorithm(k), IOTX509_ALG_RSA);
		iotx509_key_free(k);
		free(raw);
		free(sec1);
		free(sec1der);
		free(rsader);
	}
}

Test(key, spki_sha256_matches_openssl)
{
	iotx509_key *k = NULL;
	char *path, *out = NULL, lower[65];
	size_t i;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	path = th_save_key(dir, "k.pem", k);
	cr_assert_eq(th_run(&out, "openssl pkey -in '%s' -pubout -outform DER | openssl dgst -sha256 -r", path), 0);
	for (i = 0; i < 64; i++)
		lower[i] = (char)tolower((unsigned char)iotx509_key_get_spki_sha256(k)[i]);
	lower[64] = '\0';
	cr_assert(strncmp(out, lower, 64) == 0, "openssl %s vs ours %s", out, lower);
	free(out);
	free(path);
	iotx509_key_free(k);
}

Test(key, public_key_export_is_spki_pem)
{
	iotx509_key *k = NULL;
	iotx509_buf pem = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P384), 0);
	cr_assert_eq(iotx509_key_export_public_pem(&pem, k), 0);
	cr_assert(strncmp((char *)pem.data, "-----BEGIN PUBLIC KEY-----", 26) == 0);
	cr_assert(strstr((char *)pem.data, "PRIVATE") == NULL);
	iotx509_buf_dispose(&pem);
	iotx509_key_free(k);
}

static void expect_parse_error(const char *data, size_t size, const char *needle)
{
	iotx509_key *k = NULL;

	cr_assert_eq(iotx509_key_import(&k, (const unsigned char *)data, size, NULL), IOTX509_EPARSE, "%s", th_err());
	cr_assert_null(k);
	cr_assert(strstr(th_err(), needle) != NULL, "message '%s' lacks '%s'", th_err(), needle);
}

Test(key, malformed_input_gives_parse_errors)
{
	const char *no_end = "-----BEGIN PRIVATE KEY-----\nMIIB\n";
	const char *bad_body = "-----BEGIN PRIVATE KEY-----\nAAAA!!!!\n-----END PRIVATE KEY-----\n";
	const char *junk_der = "-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n";
	const char *cert_only = "-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n";
	const unsigned char trunc_der[] = { 0x30, 0x82, 0x04, 0xa4, 0x02, 0x01, 0x00 };

	expect_parse_error("", 0, "empty");
	expect_parse_error(no_end, strlen(no_end), "no END line");
	expect_parse_error(bad_body, strlen(bad_body), "malformed private key");
	expect_parse_error(junk_der, strlen(junk_der), "malformed private key");
	expect_parse_error(cert_only, strlen(cert_only), "PRIVATE KEY");
	expect_parse_error("hello world", 11, "neither PEM nor DER");
	expect_parse_error((const char *)trunc_der, sizeof(trunc_der), "malformed private key");
}

Test(key, unsupported_algorithms_are_named, .timeout = 120)
{
	/* openssl command (in dir, writing k.pem), what the message must say */
	static const struct {
		const char *make, *reason;
	} keys[] = {
		{ "openssl genpkey -algorithm X25519 -out k.pem", "unsupported key algorithm ECDH (X25519)" },
		{ "openssl genpkey -algorithm X448 -out k.pem", "unsupported key algorithm ECDH (X448)" },
		{ "openssl genpkey -algorithm ED448 -out k.pem", "unsupported key algorithm EdDSA (Ed448)" },
		{ "openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:1024 -out k.pem",
		  "unsupported key algorithm RSA-PSS" },
		{ "openssl dsaparam -genkey -out k.pem 1024", "unsupported key algorithm DSA" },
		{ "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:brainpoolP256r1 -out k.pem",
		  "unsupported private key: elliptic curve brainpoolP256r1 (1.3.36.3.3.2.8.1.1.7)" },
		{ "openssl ecparam -name brainpoolP384r1 -genkey -noout -out k.pem",
		  "unsupported private key: elliptic curve brainpoolP384r1" },
		{ "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out k.pem",
		  "unsupported private key: elliptic curve secp256k1 (1.3.132.0.10)" },
		{ "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:explicit -out k.pem",
		  "unsupported private key: explicit elliptic-curve parameters" },
		{ "openssl ecparam -name prime256v1 -param_enc explicit -genkey -noout -out k.pem",
		  "unsupported private key: explicit elliptic-curve parameters" },
		{ "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -outform DER -out k.pem",
		  "unsupported private key: elliptic curve secp256k1" },
	};
	size_t i;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		iotx509_key *k = NULL;
		char *out = NULL, *p = th_path(dir, "k.pem");

		cr_assert_eq(th_run(&out, "cd '%s' && %s", dir, keys[i].make), 0, "%s: %s", keys[i].make, out);
		free(out);
		cr_expect_eq(iotx509_key_load(&k, p, NULL), IOTX509_EUNSUPPORTED, "%s: %s", keys[i].make, th_err());
		cr_expect(strstr(th_err(), keys[i].reason) != NULL, "%s: message '%s' lacks '%s'", keys[i].make,
			  th_err(), keys[i].reason);
		cr_expect(strstr(th_err(), "ASN1") == NULL && strstr(th_err(), "parsing error") == NULL, "%s: %s",
			  keys[i].make, th_err());
		remove(p);
		free(p);
	}
}

/* The hostile encrypted keys of tests/data/p12key (generate.py): each is
 * refused before any key derivation runs, so at once. */
Test(key, iteration_counts_are_bounded_before_any_derivation)
{
	static const struct {
		const char *file, *password;
		int code;
		const char *msg;
	} cases[] = {
		{ "key-pbkdf2-2147483647.pem", "1234", IOTX509_ELIMIT,
		  "encrypted private key: 2147483647 iterations exceed the limit of 2000000 (IOTX509_KEY_MAX_ITERATIONS)" },
		{ "key-pbkdf2-2147483647.pem", NULL, IOTX509_ELIMIT, "2147483647 iterations exceed the limit" },
		{ "key-pbkdf2-2147483647.der", "1234", IOTX509_ELIMIT, "2147483647 iterations exceed the limit" },
		{ "key-pbkdf2-2147483647.der", NULL, IOTX509_ELIMIT, "2147483647 iterations exceed the limit" },
		{ "key-pbkdf2-2147483647-labelled-plain.pem", "1234", IOTX509_ELIMIT,
		  "2147483647 iterations exceed the limit" },
		{ "key-pbkdf2-2000001.pem", "1234", IOTX509_ELIMIT,
		  "2000001 iterations exceed the limit of 2000000" },
		{ "key-pkcs12-3des-2147483647.pem", "1234", IOTX509_ELIMIT,
		  "2147483647 iterations exceed the limit of 2000000" },
		{ "key-scrypt.pem", "1234", IOTX509_EUNSUPPORTED,
		  "encrypted private key: unsupported key encryption: scrypt" },
		{ "key-scrypt.pem", NULL, IOTX509_EUNSUPPORTED, "unsupported key encryption: scrypt" },
	};
	size_t i;

	cr_assert_eq(IOTX509_KEY_MAX_ITERATIONS, 2000000u);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		iotx509_key *k = NULL;
		char path[512];
		double t0, took;
		int ret;

		snprintf(path, sizeof(path), HOSTILE "%s", cases[i].file);
		t0 = kc_now();
		ret = iotx509_key_load(&k, path, cases[i].password);
		took = kc_now() - t0;
		cr_expect_eq(ret, cases[i].code, "%s: got %d (%s)", cases[i].file, ret, th_err());
		cr_expect(strstr(th_err(), cases[i].msg) != NULL, "%s: message '%s' lacks '%s'", cases[i].file, th_err(),
			  cases[i].msg);
		cr_expect_lt(took, kc_prompt_seconds(), "%s: took %.3f s", cases[i].file, took);
		cr_expect_null(k);
	}
}

/* The limit itself is accepted: the key is decrypted (with the wrong key,
 * since its count was changed) rather than refused. */
Test(key, iteration_count_at_the_limit_is_read)
{
	iotx509_key *k = NULL;

	cr_assert_eq(iotx509_key_load(&k, HOSTILE "key-pbkdf2-2000000.pem", "1234"), IOTX509_EPASSWORD, "%s",
		     th_err());
}

/* The SEC1 privateKey length of @k as the library writes it, in all four
 * forms; the key reads back, signs, and openssl accepts it. */
static void assert_written_at_fixed_length(const iotx509_key *k, size_t n)
{
	int pem, encrypted;

	for (pem = 0; pem < 2; pem++)
		for (encrypted = 0; encrypted < 2; encrypted++) {
			const char *pw = encrypted ? "pw-1234" : NULL;
			iotx509_buf b = IOTX509_BUF_INIT;
			iotx509_key *back = NULL;
			iotx509_csr *csr = NULL;
			unsigned char *der, *plain = NULL;
			size_t der_size, plain_size;
			char *path, *out = NULL;

			cr_assert_eq(pem ? iotx509_key_export_pem(&b, k, pw) : iotx509_key_export_der(&b, k, pw), 0, "%s",
				     th_err());
			der = kc_der(b.data, b.size, &der_size);
			cr_assert_not_null(der);
			if (encrypted) {
				plain = kc_pbes2_decrypt(der, der_size, pw, &plain_size);
				cr_assert_not_null(plain, "the encrypted key does not decrypt as PBES2");
			}
			cr_assert_eq(kc_ec_private_octets(plain ? plain : der, plain ? plain_size : der_size), (int)n,
				     "%s%s: privateKey is %d octets, not %zu", encrypted ? "encrypted " : "", pem ? "PEM" : "DER",
				     kc_ec_private_octets(plain ? plain : der, plain ? plain_size : der_size), n);
			cr_assert_eq(iotx509_key_import(&back, b.data, b.size, pw), 0, "%s", th_err());
			cr_assert_str_eq(iotx509_key_get_spki_sha256(back), iotx509_key_get_spki_sha256(k));
			cr_assert_eq(iotx509_csr_new(&csr, back, "fixed-length", NULL), 0, "%s", th_err());
			int valid = 0;

			cr_assert_eq(iotx509_csr_verify(&valid, csr), 0, "%s", th_err());
			cr_assert(valid);
			if (th_have("openssl")) {
				path = th_path(dir, pem ? "k.pem" : "k.der");
				th_write(path, b.data, b.size);
				cr_assert_eq(th_run(&out, "openssl pkey -in '%s' -inform %s -passin pass:%s -check -noout", path,
						    pem ? "PEM" : "DER", pw ? pw : "x"),
					     0, "%s", out);
				free(out);
				free(path);
			}
			iotx509_csr_free(csr);
			iotx509_key_free(back);
			free(plain);
			free(der);
			iotx509_buf_dispose(&b);
		}
}

Test(key, ec_private_keys_are_written_at_the_curve_length, .timeout = 60)
{
	size_t i;

	for (i = 0; i < sizeof(kc_awkward_kinds) / sizeof(kc_awkward_kinds[0]); i++) {
		unsigned int bits = kc_awkward_kinds[i].bits;
		iotx509_key *k = kc_awkward_ec_key(bits, kc_awkward_kinds[i].high);

		cr_assert_not_null(k, "no awkward P-%u key found", bits);
		assert_written_at_fixed_length(k, bits / 8);
		iotx509_key_free(k);
	}
}

/* What issue 13 reported: Python's cryptography 42 and later refuse EC
 * keys whose privateKey is not at the curve length. 64 new keys each. */
Test(key, pyca_cryptography_loads_every_written_ec_key, .timeout = 120)
{
	iotx509_key_type types[] = { IOTX509_KEY_P256, IOTX509_KEY_P384 };
	char *out = NULL, *script = th_path(dir, "load.py");
	const char *py = "import sys\n"
			 "from cryptography.hazmat.primitives.serialization import load_pem_private_key\n"
			 "for f in sys.argv[2:]:\n"
			 "    load_pem_private_key(open(f, 'rb').read(), sys.argv[1].encode() if sys.argv[1] else None)\n";
	size_t t;
	int i, enc;

	if (th_run(NULL, "python3 -c 'import cryptography.hazmat.primitives.serialization' 2>/dev/null") != 0)
		cr_skip_test("python3 with the cryptography package is not installed");
	th_write(script, py, strlen(py));
	for (t = 0; t < 2; t++)
		for (enc = 0; enc < 2; enc++) {
			for (i = 0; i < 64; i++) {
				iotx509_key *k = NULL;
				char name[32], *p;

				snprintf(name, sizeof(name), "k%d.pem", i);
				p = th_path(dir, name);
				cr_assert_eq(iotx509_key_generate(&k, types[t]), 0);
				cr_assert_eq(iotx509_key_save(k, p, enc ? "pw" : NULL, WRITE_OPTS(IOTX509_WRITE_OVERWRITE)), 0, "%s", th_err());
				iotx509_key_free(k);
				free(p);
			}
			cr_assert_eq(th_run(&out, "cd '%s' && python3 load.py '%s' k*.pem 2>&1", dir, enc ? "pw" : ""), 0,
				     "%s", out);
			free(out);
		}
	free(script);
}

Test(key, missing_file_is_not_found_and_named)
{
	iotx509_key *k = NULL;
	char *p = th_path(dir, "nope.pem");

	cr_assert_eq(iotx509_key_load(&k, p, NULL), IOTX509_ENOTFOUND);
	cr_assert(strstr(th_err(), "nope.pem") != NULL);
	free(p);
}

Test(key, free_accepts_null)
{
	iotx509_key_free(NULL);
}

/* ---- key open options: zero-fill and versions ---- */

Test(key, zero_filled_open_options_are_the_defaults)
{
	iotx509_key *k = NULL, *a = NULL, *b = NULL;
	iotx509_key_open_options z, init = IOTX509_KEY_OPEN_OPTIONS_INIT;
	char *path = th_path(dir, "open.pem");

	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_key_save(k, path, NULL, NULL), 0, "%s", th_err());
	TH_ZERO_OPTIONS(z, IOTX509_KEY_OPEN_OPTIONS_VERSION);
	cr_assert_eq(iotx509_key_open(&a, path, &z), 0, "%s", th_err());
	cr_assert_eq(iotx509_key_open(&b, path, &init), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_key_get_spki_sha256(a), iotx509_key_get_spki_sha256(k));
	cr_assert_str_eq(iotx509_key_get_spki_sha256(b), iotx509_key_get_spki_sha256(k));
	TH_CHECK_OPTIONS_INIT(iotx509_key_open_options, iotx509_key_open_options_init, IOTX509_KEY_OPEN_OPTIONS_VERSION, "key open options",
			      IOTX509_KEY_OPEN_OPTIONS_INIT);
	iotx509_key_free(a);
	iotx509_key_free(b);
	iotx509_key_free(k);
	free(path);
}

Test(key, open_options_versions_1_to_current)
{
	iotx509_key *k = NULL, *a = NULL;
	iotx509_key_open_options o = IOTX509_KEY_OPEN_OPTIONS_INIT;
	char *path = th_path(dir, "open.pem");

	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_key_save(k, path, NULL, NULL), 0, "%s", th_err());
	o.version = 1;
	cr_assert_eq(iotx509_key_open(&a, path, &o), 0, "%s", th_err());
	iotx509_key_free(a);
	a = NULL;
	o.version = 0;
	th_version_refused(iotx509_key_open(&a, path, &o), 0);
	o.version = IOTX509_KEY_OPEN_OPTIONS_VERSION + 1;
	th_version_refused(iotx509_key_open(&a, path, &o), IOTX509_KEY_OPEN_OPTIONS_VERSION + 1);
	cr_assert_null(a);
	iotx509_key_free(k);
	free(path);
}
