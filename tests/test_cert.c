#include <criterion/criterion.h>
#include <ctype.h>
#include <gnutls/crypto.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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

TestSuite(cert, .init = setup, .fini = teardown);

static iotx509_cert *load_ok(const char *path)
{
	iotx509_cert *c = NULL;

	cr_assert_eq(iotx509_cert_load(&c, path), 0, "%s: %s", path, th_err());
	return c;
}

/* openssl's "SHA1 Fingerprint=AA:BB:..." as "AABB..." */
static void openssl_fingerprint(char *out, const char *path, const char *digest)
{
	char *o = NULL, *p;
	size_t n = 0;

	cr_assert_eq(th_run(&o, "openssl x509 -in '%s' -noout -fingerprint -%s", path, digest), 0, "%s", o);
	p = strchr(o, '=');
	cr_assert_not_null(p, "%s", o);
	for (p++; *p && *p != '\n'; p++)
		if (*p != ':')
			out[n++] = (char)toupper((unsigned char)*p);
	out[n] = '\0';
	free(o);
}

Test(cert, reads_create_test_cert_root_as_written_by_the_script)
{
	iotx509_cert *c = load_ok(th_fixture("create_test_cert/mytestrootcert_cert.pem"));

	cr_assert_str_eq(iotx509_cert_get_subject_cn(c), "mytestrootcert");
	cr_assert_str_eq(iotx509_cert_get_issuer_cn(c), "mytestrootcert");
	cr_assert_str_eq(iotx509_cert_get_subject_dn(c), "CN=mytestrootcert");
	cr_assert(iotx509_cert_is_ca(c));
	cr_assert_not(iotx509_cert_has_pathlen(c));
	cr_assert_eq(iotx509_cert_get_pathlen(c), 0);
	cr_assert_not(iotx509_cert_has_pathlen(NULL));
	cr_assert_eq(iotx509_cert_get_pathlen(NULL), 0, "NULL reads as 0, never as an error code");
	cr_assert(iotx509_cert_is_self_signed(c));
	cr_assert_not(iotx509_cert_has_key_usage(c), "the script writes CA certificates without keyUsage");
	cr_assert_eq(iotx509_cert_get_key_algorithm(c), IOTX509_ALG_RSA);
	cr_assert_eq(iotx509_cert_get_key_bits(c), 2048);
	cr_assert_eq(iotx509_cert_get_not_after(c) - iotx509_cert_get_not_before(c), 86400, "1-day validity");
	iotx509_cert_free(c);
}

Test(cert, reads_a_device_certificate_with_its_extensions)
{
	iotx509_cert *c = load_ok(th_fixture("create_test_cert/sampleDevice01_cert.pem"));

	cr_assert_str_eq(iotx509_cert_get_subject_cn(c), "sample-device-01");
	cr_assert_str_eq(iotx509_cert_get_issuer_cn(c), "mytestrootcert");
	cr_assert_not(iotx509_cert_is_ca(c));
	cr_assert_not(iotx509_cert_is_self_signed(c));
	cr_assert_eq(iotx509_cert_get_ext_key_usage(c), IOTX509_EKU_CLIENT_AUTH);
	iotx509_cert_free(c);

	c = load_ok(th_fixture("certgen_sh/verification-code.cert.pem"));
	cr_assert_str_eq(iotx509_cert_get_subject_cn(c), "1234ABCD");
	cr_assert(iotx509_cert_has_key_usage(c));
	cr_assert_eq(iotx509_cert_get_ext_key_usage(c), IOTX509_EKU_CLIENT_AUTH | IOTX509_EKU_EMAIL_PROTECTION);
	iotx509_cert_free(c);

	c = load_ok(th_fixture("certgen_sh/azure-iot-test-only.root.ca.cert.pem"));
	cr_assert_eq(iotx509_cert_get_key_usage(c),
		     IOTX509_KU_DIGITAL_SIGNATURE | IOTX509_KU_KEY_CERT_SIGN | IOTX509_KU_CRL_SIGN);
	iotx509_cert_free(c);
}

Test(cert, thumbprints_serial_and_dates_equal_openssl)
{
	const char *files[] = { "create_test_cert/sampleDevice01_cert.pem", "certgen_sh/new-device.cert.pem",
				"certgen_sh/azure-iot-test-only.intermediate.cert.pem" };
	size_t i;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	for (i = 0; i < 3; i++) {
		const char *p = th_fixture(files[i]);
		iotx509_cert *c = load_ok(p);
		char fp[200], *o = NULL, serial[200];

		openssl_fingerprint(fp, p, "sha1");
		cr_assert_str_eq(iotx509_cert_get_thumbprint_sha1(c), fp);
		cr_assert_eq(strlen(fp), 40);
		openssl_fingerprint(fp, p, "sha256");
		cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(c), fp);
		cr_assert_eq(th_run(&o, "openssl x509 -in '%s' -noout -serial", p), 0);
		cr_assert_eq(sscanf(o, "serial=%199s", serial), 1);
		/* openssl may print a leading 0 for odd-length serials */
		cr_assert(strcmp(serial, iotx509_cert_get_serial_hex(c)) == 0 ||
				  (serial[0] == '0' && strcmp(serial + 1, iotx509_cert_get_serial_hex(c)) == 0),
			  "openssl %s ours %s", serial, iotx509_cert_get_serial_hex(c));
		free(o);
		cr_assert_eq(th_run(&o, "date -u -d \"$(openssl x509 -in '%s' -noout -enddate | cut -d= -f2)\" +%%s", p), 0);
		cr_assert_eq(strtoll(o, NULL, 10), iotx509_cert_get_not_after(c), "%s", o);
		free(o);
		iotx509_cert_free(c);
	}
}

Test(cert, pem_and_der_round_trip)
{
	iotx509_cert *c = load_ok(th_fixture("certgen_sh/new-device.cert.pem")), *c2 = NULL;
	iotx509_buf pem = IOTX509_BUF_INIT, der = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_cert_export_pem(&pem, c), 0);
	cr_assert(strncmp((char *)pem.data, "-----BEGIN CERTIFICATE-----\n", 28) == 0);
	cr_assert_eq(pem.data[pem.size - 1], '\n');
	cr_assert_eq(iotx509_cert_export_der(&der, c), 0);
	cr_assert_eq(iotx509_cert_import(&c2, der.data, der.size), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(c2), iotx509_cert_get_thumbprint_sha256(c));
	iotx509_cert_free(c2);
	cr_assert_eq(iotx509_cert_import(&c2, pem.data, pem.size), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(c2), iotx509_cert_get_thumbprint_sha256(c));
	iotx509_cert_free(c2);
	iotx509_buf_dispose(&pem);
	iotx509_buf_dispose(&der);
	iotx509_cert_free(c);
}

Test(cert, tolerates_crlf_leading_text_and_the_null_line)
{
	size_t size, i, n = 0;
	char *raw = th_slurp(th_fixture("create_test_cert/sampleDevice01_fullchain.pem"), &size);
	char *crlf = malloc(2 * size + 64);
	iotx509_cert *c = NULL;

	cr_assert(strstr(raw, "null") != NULL, "the fixture carries the stray null line");
	n = (size_t)sprintf(crlf, "Bag Attributes: none\r\n");
	for (i = 0; i < size; i++) {
		if (raw[i] == '\n')
			crlf[n++] = '\r';
		crlf[n++] = raw[i];
	}
	cr_assert_eq(iotx509_cert_import(&c, (unsigned char *)crlf, n), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_cert_get_subject_cn(c), "sample-device-01", "the first certificate is the leaf");
	iotx509_cert_free(c);
	free(raw);
	free(crlf);
}

static void expect_parse(const char *data, const char *needle)
{
	iotx509_cert *c = NULL;

	cr_assert_eq(iotx509_cert_import(&c, (const unsigned char *)data, strlen(data)), IOTX509_EPARSE, "%s", data);
	cr_assert_null(c);
	cr_assert(strstr(th_err(), needle) != NULL, "message '%s' lacks '%s'", th_err(), needle);
}

Test(cert, malformed_input_gives_parse_errors_that_say_why)
{
	expect_parse("", "empty");
	expect_parse("not a certificate", "neither PEM nor DER");
	expect_parse("-----BEGIN CERTIFICATE-----\nMIIB\n", "no END line");
	expect_parse("-----BEGIN CERTIFICATE-----\nMI*B\n-----END CERTIFICATE-----\n", "invalid base64");
	expect_parse("-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n", "malformed certificate");
	expect_parse("-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n", "no PEM block labelled CERTIFICATE");
	expect_parse("-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----\n", "empty base64");
}

Test(cert, truncated_der_is_a_parse_error)
{
	iotx509_cert *c = load_ok(th_fixture("certgen_sh/new-device.cert.pem")), *c2 = NULL;
	iotx509_buf der = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_cert_export_der(&der, c), 0);
	cr_assert_eq(iotx509_cert_import(&c2, der.data, der.size / 2), IOTX509_EPARSE);
	der.data[der.size - 1] ^= 0xff; /* a broken signature still parses */
	cr_assert_eq(iotx509_cert_import(&c2, der.data, der.size), 0, "%s", th_err());
	iotx509_cert_free(c2);
	iotx509_buf_dispose(&der);
	iotx509_cert_free(c);
}

Test(cert, check_key_matches_only_the_right_key)
{
	iotx509_cert *c = load_ok(th_fixture("create_test_cert/sampleDevice01_cert.pem"));
	iotx509_key *good = NULL, *bad = NULL;

	cr_assert_eq(iotx509_key_load(&good, th_fixture("create_test_cert/sampleDevice01_key.pem"), NULL), 0);
	cr_assert_eq(iotx509_key_load(&bad, th_fixture("create_test_cert/mytestrootcert_key.pem"), NULL), 0);
	cr_assert_eq(iotx509_cert_check_key(c, good), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_cert_get_spki_sha256(c), iotx509_key_get_spki_sha256(good));
	cr_assert_eq(iotx509_cert_check_key(c, bad), IOTX509_EKEYMISMATCH);
	cr_assert(strstr(th_err(), "CN=sample-device-01") != NULL, "%s", th_err());
	iotx509_key_free(good);
	iotx509_key_free(bad);
	iotx509_cert_free(c);
}

Test(cert, same_name_but_other_key_is_not_self_signed)
{
	iotx509_key *rk = NULL, *ik = NULL;
	iotx509_cert *root = NULL, *inter = NULL;
	iotx509_issuer *is = NULL;

	th_make_root(&rk, &root, &is, "Same Name", 0);
	cr_assert(iotx509_cert_is_self_signed(root));
	cr_assert_eq(iotx509_key_generate(&ik, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_intermediate(&inter, is, ik, "Same Name", NULL), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_cert_get_subject_dn(inter), iotx509_cert_get_issuer_dn(inter));
	cr_assert_not(iotx509_cert_is_self_signed(inter));
	iotx509_cert_free(inter);
	iotx509_cert_free(root);
	iotx509_issuer_free(is);
	iotx509_key_free(rk);
	iotx509_key_free(ik);
}

Test(cert, save_is_0644_and_refuses_to_overwrite)
{
	iotx509_cert *c = load_ok(th_fixture("certgen_sh/new-device.cert.pem"));
	char *p = th_path(dir, "c.pem");
	struct stat st;

	cr_assert_eq(iotx509_cert_save(c, p, NULL), 0, "%s", th_err());
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0644);
	cr_assert_eq(iotx509_cert_save(c, p, NULL), IOTX509_EEXISTS);
	cr_assert_eq(iotx509_cert_save(c, p, WRITE_OPTS(IOTX509_WRITE_OVERWRITE)), 0);
	free(p);
	iotx509_cert_free(c);
}

Test(cert, dup_shares_and_free_accepts_null)
{
	iotx509_cert *c = load_ok(th_fixture("certgen_sh/new-device.cert.pem")), *d = NULL;

	cr_assert_eq(iotx509_cert_dup(&d, c), 0);
	iotx509_cert_free(c);
	cr_assert_str_eq(iotx509_cert_get_subject_cn(d), "mydevice2", "still usable after the original is freed");
	iotx509_cert_free(d);
	iotx509_cert_free(NULL);
	cr_assert_null(iotx509_cert_get_subject_cn(NULL));
}

Test(cert, missing_file_is_not_found)
{
	iotx509_cert *c = NULL;

	cr_assert_eq(iotx509_cert_load(&c, "/nonexistent/x.pem"), IOTX509_ENOTFOUND);
	cr_assert(strstr(th_err(), "/nonexistent/x.pem") != NULL);
}

Test(cert, common_name_comes_back_unescaped)
{
	const char *cn = "Quote \"q\", back\\slash+plus;semi <x> #1";
	iotx509_key *k = NULL;
	iotx509_cert *c = NULL;
	iotx509_csr *csr = NULL;

	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_root(&c, k, cn, NULL), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_cert_get_subject_cn(c), cn);
	cr_assert_str_eq(iotx509_cert_get_issuer_cn(c), cn);
	cr_assert_eq(iotx509_csr_new(&csr, k, cn, NULL), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_csr_get_subject_cn(csr), cn);
	iotx509_csr_free(csr);
	iotx509_cert_free(c);
	iotx509_key_free(k);
}

/* RFC 5280 allows 20 octets; up to 64 are read, and more are refused
 * with their count rather than GnuTLS's "memory buffer is too short". */
Test(cert, long_serial_numbers_are_named)
{
	static const struct {
		int octets;
		int code;
	} cases[] = { { 21, 0 }, { 64, 0 }, { 65, IOTX509_EUNSUPPORTED }, { 100, IOTX509_EUNSUPPORTED } };
	size_t i;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char serial[2 * 100 + 3] = "0x7f", *out = NULL, *path = th_path(dir, "serial.pem"), want[128];
		iotx509_cert *c = NULL;
		int j;

		for (j = 1; j < cases[i].octets; j++)
			strcat(serial, "ab");
		cr_assert_eq(th_run(&out, "cd '%s' && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
					  "-keyout k.pem -subj /CN=serial -days 1 -set_serial %s -out serial.pem",
				    dir, serial),
			     0, "%s", out);
		free(out);
		cr_assert_eq(iotx509_cert_load(&c, path), cases[i].code, "%d octets: %s", cases[i].octets, th_err());
		if (cases[i].code == 0) {
			cr_assert_eq(strlen(iotx509_cert_get_serial_hex(c)), 2 * (size_t)cases[i].octets);
		} else {
			snprintf(want, sizeof(want), "certificate: the serial number is %d octets long (RFC 5280 allows at most 20; up to 64 are read)",
				 cases[i].octets);
			cr_assert(strstr(th_err(), want) != NULL, "%s", th_err());
		}
		iotx509_cert_free(c);
		free(path);
	}
}

/* GnuTLS reads two octets of keyUsage; a longer one is named, not "the
 * given memory buffer is too short" (a fuzz regression input). */
Test(cert, key_usage_longer_than_rfc_5280_is_named)
{
	iotx509_cert *c = NULL;
	char *p = th_path(IOTX509_TEST_SRCDIR "/tests/data/lint", "ku-09-octets.der");

	cr_assert_eq(iotx509_cert_load(&c, p), IOTX509_EUNSUPPORTED, "%s", th_err());
	cr_assert(strstr(th_err(), "keyUsage is longer than the 9 bits RFC 5280 defines") != NULL, "%s", th_err());
	cr_assert(strstr(th_err(), "buffer") == NULL, "%s", th_err());
	cr_assert_null(c);
	free(p);
}

/* openssl's "X509v3 <what>:" line below as hex without colons, or "". */
static void openssl_ext_hex(char *out, const char *path, const char *what)
{
	char *o = NULL, *p;
	size_t n = 0;

	cr_assert_eq(th_run(&o, "openssl x509 -in '%s' -noout -text", path), 0, "%s", o);
	out[0] = '\0';
	p = strstr(o, what);
	if (p != NULL) {
		p = strchr(p, '\n');
		cr_assert_not_null(p);
		while (*p == '\n' || *p == ' ')
			p++;
		if (strncmp(p, "keyid:", 6) == 0)
			p += 6;
		for (; *p && *p != '\n'; p++)
			if (isxdigit((unsigned char)*p))
				out[n++] = (char)toupper((unsigned char)*p);
		out[n] = '\0';
	}
	free(o);
}

Test(cert, key_identifiers_signature_and_public_key_equal_openssl)
{
	const char *files[] = { "create_test_cert/sampleDevice01_cert.pem", "certgen_sh/new-device.cert.pem",
				"certgen_sh/azure-iot-test-only.root.ca.cert.pem",
				"create_test_cert/mytestrootcert_cert.pem" };
	size_t i;

	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed");
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const char *path = th_fixture(files[i]);
		iotx509_cert *c = load_ok(path);
		iotx509_buf b = IOTX509_BUF_INIT;
		char want[256], *o = NULL;

		openssl_ext_hex(want, path, "X509v3 Subject Key Identifier:");
		cr_assert_str_eq(iotx509_cert_get_subject_key_id_hex(c), want, "%s", path);
		cr_assert_eq(iotx509_cert_export_subject_key_id(&b, c), 0);
		cr_assert_eq(b.size * 2, strlen(want), "%s: absent is an empty buffer, not an error", path);
		iotx509_buf_dispose(&b);
		openssl_ext_hex(want, path, "X509v3 Authority Key Identifier:");
		cr_assert_str_eq(iotx509_cert_get_authority_key_id_hex(c), want, "%s", path);
		cr_assert_eq(iotx509_cert_export_authority_key_id(&b, c), 0);
		cr_assert_eq(b.size * 2, strlen(want));
		iotx509_buf_dispose(&b);

		/* All four are RSA with SHA-256. */
		cr_assert_str_eq(iotx509_cert_get_signature_algorithm(c), "RSA-SHA256", "%s", path);
		cr_assert_str_eq(iotx509_cert_get_signature_oid(c), "1.2.840.113549.1.1.11");

		cr_assert_eq(th_run(&o, "openssl x509 -in '%s' -noout -pubkey", path), 0, "%s", o);
		cr_assert_eq(iotx509_cert_export_public_key_pem(&b, c), 0, "%s", th_err());
		cr_assert_str_eq((const char *)b.data, o, "%s", path);
		iotx509_buf_dispose(&b);
		free(o);
		cr_assert_eq(th_run(&o, "openssl x509 -in '%s' -noout -pubkey | openssl pkey -pubin -outform DER | "
				       "sha256sum | cut -c1-64 | tr a-f A-F",
				    path),
			     0, "%s", o);
		cr_assert_eq(iotx509_cert_export_public_key_der(&b, c), 0, "%s", th_err());
		cr_assert_eq(strncmp(o, iotx509_cert_get_spki_sha256(c), 64), 0, "the DER is the hashed SPKI");
		{
			/* The DER's own hash is the SPKI hash the handle computed. */
			unsigned char h[32];
			char hex[65];
			size_t k;

			cr_assert_eq(gnutls_hash_fast(GNUTLS_DIG_SHA256, b.data, b.size, h), 0);
			for (k = 0; k < 32; k++)
				sprintf(hex + 2 * k, "%02X", h[k]);
			cr_assert_str_eq(hex, iotx509_cert_get_spki_sha256(c));
		}
		iotx509_buf_dispose(&b);
		free(o);
		iotx509_cert_free(c);
	}
}

Test(cert, issued_certificates_carry_key_ids_and_signature_names)
{
	iotx509_key *rk = NULL, *dk = NULL, *ek = NULL;
	iotx509_cert *root = NULL, *dev = NULL, *ed = NULL;
	iotx509_issuer *ca = NULL;
	iotx509_buf b = IOTX509_BUF_INIT;

	th_make_root(&rk, &root, &ca, "Getter Root", 0);
	cr_assert_eq(iotx509_key_generate(&dk, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_device(&dev, ca, dk, "getter-dev", NULL), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_cert_get_signature_algorithm(dev), "ECDSA-SHA256");
	cr_assert_str_eq(iotx509_cert_get_signature_oid(dev), "1.2.840.10045.4.3.2");
	cr_assert_neq(iotx509_cert_get_subject_key_id_hex(root)[0], '\0');
	cr_assert_str_eq(iotx509_cert_get_authority_key_id_hex(dev), iotx509_cert_get_subject_key_id_hex(root));
	cr_assert_eq(iotx509_cert_export_authority_key_id(&b, dev), 0);
	cr_assert_eq(b.size * 2, strlen(iotx509_cert_get_subject_key_id_hex(root)));
	iotx509_buf_dispose(&b);
	/* No SAN on a device certificate: every kind counts 0, any index is NULL. */
	cr_assert_eq(iotx509_cert_san_count(dev, IOTX509_SAN_DNS), 0);
	cr_assert_null(iotx509_cert_get_san(dev, IOTX509_SAN_DNS, 0));
	cr_assert_eq(iotx509_cert_san_count(dev, (iotx509_san_type)0), 0);
	cr_assert_eq(iotx509_cert_san_count(dev, (iotx509_san_type)5), 0);

	cr_assert_eq(iotx509_key_generate(&ek, IOTX509_KEY_ED25519), 0);
	cr_assert_eq(iotx509_issue_root(&ed, ek, "ed-root", NULL), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_cert_get_signature_algorithm(ed), "EdDSA-Ed25519");
	cr_assert_str_eq(iotx509_cert_get_signature_oid(ed), "1.3.101.112");
	cr_assert_eq(iotx509_cert_export_public_key_der(&b, ed), 0);
	cr_assert_eq(b.size, 44, "Ed25519 SPKI is 44 bytes");
	iotx509_buf_dispose(&b);
	/* The same public key as the key's own export. */
	{
		iotx509_buf kp = IOTX509_BUF_INIT;

		cr_assert_eq(iotx509_key_export_public_pem(&kp, ek), 0);
		cr_assert_eq(iotx509_cert_export_public_key_pem(&b, ed), 0);
		cr_assert_str_eq((const char *)b.data, (const char *)kp.data);
		iotx509_buf_dispose(&kp);
		iotx509_buf_dispose(&b);
	}
	cr_assert_eq(iotx509_cert_export_public_key_pem(NULL, ed), IOTX509_EINVAL);
	cr_assert_eq(iotx509_cert_export_subject_key_id(&b, NULL), IOTX509_EINVAL);
	iotx509_cert_free(ed);
	iotx509_key_free(ek);
	iotx509_cert_free(dev);
	iotx509_key_free(dk);
	iotx509_issuer_free(ca);
	iotx509_cert_free(root);
	iotx509_key_free(rk);
}

Test(cert, subject_alt_names_by_kind_in_order)
{
	gnutls_x509_privkey_t k;
	gnutls_x509_crt_t crt;
	iotx509_cert *c;
	static const unsigned char v4[4] = { 192, 0, 2, 7 };
	static const unsigned char v6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

	cr_assert_eq(gnutls_x509_privkey_init(&k), 0);
	cr_assert_eq(gnutls_x509_privkey_generate(k, GNUTLS_PK_ECDSA,
						  GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0), 0);
	th_crt_begin(&crt, "san-test", 0, k, 1700000000, 1800000000);
	cr_assert_eq(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, "a.example", 9, GNUTLS_FSAN_APPEND), 0);
	cr_assert_eq(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, v4, 4, GNUTLS_FSAN_APPEND), 0);
	cr_assert_eq(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_URI, "urn:dev:1", 9, GNUTLS_FSAN_APPEND), 0);
	cr_assert_eq(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, "b.example", 9, GNUTLS_FSAN_APPEND), 0);
	cr_assert_eq(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_RFC822NAME, "ops@example.com", 15,
							  GNUTLS_FSAN_APPEND), 0);
	cr_assert_eq(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, v6, 16, GNUTLS_FSAN_APPEND), 0);
	c = th_crt_finish(crt, NULL, k);

	cr_assert_eq(iotx509_cert_san_count(c, IOTX509_SAN_DNS), 2);
	cr_assert_str_eq(iotx509_cert_get_san(c, IOTX509_SAN_DNS, 0), "a.example");
	cr_assert_str_eq(iotx509_cert_get_san(c, IOTX509_SAN_DNS, 1), "b.example");
	cr_assert_null(iotx509_cert_get_san(c, IOTX509_SAN_DNS, 2));
	cr_assert_eq(iotx509_cert_san_count(c, IOTX509_SAN_IP), 2);
	cr_assert_str_eq(iotx509_cert_get_san(c, IOTX509_SAN_IP, 0), "192.0.2.7");
	cr_assert_str_eq(iotx509_cert_get_san(c, IOTX509_SAN_IP, 1), "2001:db8::1");
	cr_assert_eq(iotx509_cert_san_count(c, IOTX509_SAN_URI), 1);
	cr_assert_str_eq(iotx509_cert_get_san(c, IOTX509_SAN_URI, 0), "urn:dev:1");
	cr_assert_eq(iotx509_cert_san_count(c, IOTX509_SAN_EMAIL), 1);
	cr_assert_str_eq(iotx509_cert_get_san(c, IOTX509_SAN_EMAIL, 0), "ops@example.com");
	cr_assert_eq(iotx509_cert_san_count(NULL, IOTX509_SAN_DNS), 0);
	cr_assert_null(iotx509_cert_get_san(NULL, IOTX509_SAN_DNS, 0));
	/* th_crt_begin writes no key identifiers: absent reads as "". */
	cr_assert_str_eq(iotx509_cert_get_authority_key_id_hex(c), "");
	iotx509_cert_free(c);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(k);
}

/* A dNSName with a NUL byte inside (GnuTLS's setters cut it at the NUL, so
 * the extension is written as bytes: SEQUENCE { [2] IA5String }). */
Test(cert, a_dns_name_with_a_nul_byte_is_not_returned_cut_short)
{
	static const unsigned char ext[] = { 0x30, 0x1c, 0x82, 0x1a, 'e', 'v', 'i', 'l', '.', 'e', 'x', 'a', 'm', 'p',
					     'l', 'e', 0, '.', 'g', 'o', 'o', 'd', '.', 'e', 'x', 'a', 'm', 'p',
					     'l', 'e' };
	gnutls_datum_t d = { (unsigned char *)ext, sizeof(ext) };
	gnutls_x509_privkey_t k;
	gnutls_x509_crt_t crt;
	iotx509_cert *c;
	size_t i;

	cr_assert_eq(gnutls_x509_privkey_init(&k), 0);
	cr_assert_eq(gnutls_x509_privkey_generate(k, GNUTLS_PK_ECDSA,
						  GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0), 0);
	th_crt_begin(&crt, "nul-san", 0, k, 1700000000, 1800000000);
	cr_assert_eq(gnutls_x509_crt_set_extension_by_oid(crt, "2.5.29.17", d.data, d.size, 0), 0);
	c = th_crt_finish(crt, NULL, k);
	for (i = 0; i < iotx509_cert_san_count(c, IOTX509_SAN_DNS); i++)
		cr_assert_str_neq(iotx509_cert_get_san(c, IOTX509_SAN_DNS, i), "evil.example");
	cr_assert_eq(iotx509_cert_san_count(c, IOTX509_SAN_DNS), 0);
	iotx509_cert_free(c);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(k);
}
