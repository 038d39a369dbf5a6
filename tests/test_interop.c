/*
 * What the library issues, checked by tools we did not write: openssl and
 * GnuTLS's certtool. Also issuance under the foreign fixtures' CAs.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"

static char *dir;

static void setup(void)
{
	dir = th_tmpdir();
	if (!th_have("openssl"))
		cr_skip_test("openssl is not installed (apt-get install openssl)");
}

static void teardown(void)
{
	th_rmrf(dir);
	free(dir);
}

TestSuite(interop, .init = setup, .fini = teardown);

/* root -> [intermediate ->] device, all with @type keys, issued now. */
static void make_chain(iotx509_key_type type, int with_intermediate)
{
	iotx509_key *rk = NULL, *ik = NULL, *dk = NULL, *vk = NULL;
	iotx509_cert *root = NULL, *inter = NULL, *dev = NULL, *ver = NULL;
	iotx509_issuer *rca = NULL, *ica = NULL;
	const iotx509_issuer *leaf_ca;
	char *p;

	cr_assert_eq(iotx509_key_generate(&rk, type), 0);
	cr_assert_eq(iotx509_issue_root(&root, rk, "Interop Root", NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_issuer_new(&rca, root, rk), 0, "%s", th_err());
	leaf_ca = rca;
	if (with_intermediate) {
		cr_assert_eq(iotx509_key_generate(&ik, type), 0);
		cr_assert_eq(iotx509_issue_intermediate(&inter, rca, ik, "Interop Intermediate", NULL), 0, "%s", th_err());
		cr_assert_eq(iotx509_issuer_new(&ica, inter, ik), 0, "%s", th_err());
		leaf_ca = ica;
		free(th_save_cert(dir, "inter.pem", inter));
	}
	cr_assert_eq(iotx509_key_generate(&dk, type), 0);
	cr_assert_eq(iotx509_issue_device(&dev, leaf_ca, dk, "sample-device-01", NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_key_generate(&vk, type), 0);
	cr_assert_eq(iotx509_issue_verification(&ver, rca, vk, "1234ABCD", NULL), 0, "%s", th_err());
	free(th_save_cert(dir, "root.pem", root));
	free(th_save_cert(dir, "dev.pem", dev));
	free(th_save_cert(dir, "ver.pem", ver));
	p = th_save_key(dir, "dev.key", dk);
	free(p);
	iotx509_cert_free(root);
	iotx509_cert_free(inter);
	iotx509_cert_free(dev);
	iotx509_cert_free(ver);
	iotx509_issuer_free(rca);
	iotx509_issuer_free(ica);
	iotx509_key_free(rk);
	iotx509_key_free(ik);
	iotx509_key_free(dk);
	iotx509_key_free(vk);
}

static void openssl_verify_device(int with_intermediate)
{
	char *out = NULL;

	cr_assert_eq(th_run(&out, "cd '%s' && openssl verify -x509_strict -purpose sslclient -CAfile root.pem %s dev.pem",
			    dir, with_intermediate ? "-untrusted inter.pem" : ""),
		     0, "%s", out);
	cr_assert(strstr(out, "dev.pem: OK") != NULL, "%s", out);
	free(out);
	cr_assert_eq(th_run(&out, "cd '%s' && openssl verify -x509_strict -purpose sslclient -CAfile root.pem ver.pem", dir),
		     0, "%s", out);
	free(out);
}

static void certtool_verify_chain(int with_intermediate)
{
	char *out = NULL;

	if (!th_have("certtool"))
		cr_skip_test("certtool is not installed (apt-get install gnutls-bin)");
	cr_assert_eq(th_run(&out, "cd '%s' && cat dev.pem %s root.pem > chain.pem && certtool --verify-chain --infile chain.pem",
			    dir, with_intermediate ? "inter.pem" : ""),
		     0, "%s", out);
	cr_assert(strstr(out, "Chain verification output: Verified") != NULL, "%s", out);
	free(out);
}

Test(interop, p256_device_under_root_passes_strict_openssl_and_certtool)
{
	make_chain(IOTX509_KEY_P256, 0);
	openssl_verify_device(0);
	certtool_verify_chain(0);
}

Test(interop, p256_device_under_intermediate_passes_strict_openssl_and_certtool)
{
	make_chain(IOTX509_KEY_P256, 1);
	openssl_verify_device(1);
	certtool_verify_chain(1);
}

/* Root, intermediate, device, each by iotx509_issue_credential() into files:
 * openssl verifies the device with the full chain as written. */
Test(interop, issue_credential_chain_passes_strict_openssl)
{
	iotx509_issue_credential_options o = IOTX509_ISSUE_CREDENTIAL_OPTIONS_INIT;
	iotx509_credential *root = NULL, *inter = NULL, *dev = NULL;
	iotx509_issuer *rca = NULL, *ica = NULL;
	char *out = NULL;

	o.dir = dir;
	o.name = "root";
	cr_assert_eq(iotx509_issue_credential(&root, IOTX509_PROFILE_ROOT, NULL, "Interop Root", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issuer_new_from_credential(&rca, root), 0, "%s", th_err());
	o.name = "inter";
	cr_assert_eq(iotx509_issue_credential(&inter, IOTX509_PROFILE_INTERMEDIATE, rca, "Interop Intermediate", &o), 0,
		     "%s", th_err());
	cr_assert_eq(iotx509_issuer_new_from_credential(&ica, inter), 0, "%s", th_err());
	o.name = "dev";
	cr_assert_eq(iotx509_issue_credential(&dev, IOTX509_PROFILE_DEVICE, ica, "sample-device-01", &o), 0, "%s",
		     th_err());
	cr_assert_eq(th_run(&out, "cd '%s' && openssl verify -x509_strict -purpose sslclient -CAfile root_cert.pem "
				  "-untrusted dev_fullchain.pem dev_cert.pem",
			    dir),
		     0, "%s", out);
	cr_assert(strstr(out, "dev_cert.pem: OK") != NULL, "%s", out);
	free(out);
	/* Without the intermediate the chain is not complete: the check can fail. */
	cr_assert_neq(th_run(&out, "cd '%s' && openssl verify -x509_strict -CAfile root_cert.pem dev_cert.pem", dir), 0,
		      "%s", out);
	free(out);
	iotx509_credential_free(dev);
	iotx509_credential_free(inter);
	iotx509_credential_free(root);
	iotx509_issuer_free(ica);
	iotx509_issuer_free(rca);
}

Test(interop, rsa2048_chain_passes, .timeout = 60)
{
	make_chain(IOTX509_KEY_RSA2048, 1);
	openssl_verify_device(1);
	certtool_verify_chain(1);
}

Test(interop, p384_and_ed25519_chains_pass)
{
	make_chain(IOTX509_KEY_P384, 1);
	openssl_verify_device(1);
	certtool_verify_chain(1);
	th_run(NULL, "rm -f '%s'/*.pem", dir);
	make_chain(IOTX509_KEY_ED25519, 1);
	openssl_verify_device(1);
	certtool_verify_chain(1);
}

Test(interop, openssl_sees_the_profile_extensions_and_criticality)
{
	char *out = NULL;

	make_chain(IOTX509_KEY_P256, 1);
	cr_assert_eq(th_run(&out, "openssl x509 -in '%s/root.pem' -noout -text", dir), 0);
	cr_assert(strstr(out, "Version: 3 (0x2)") != NULL, "%s", out);
	cr_assert(strstr(out, "X509v3 Basic Constraints: critical\n                CA:TRUE") != NULL, "%s", out);
	cr_assert(strstr(out, "X509v3 Key Usage: critical\n                Digital Signature, Certificate Sign, CRL Sign") != NULL, "%s", out);
	cr_assert(strstr(out, "X509v3 Subject Key Identifier") != NULL, "%s", out);
	free(out);
	cr_assert_eq(th_run(&out, "openssl x509 -in '%s/inter.pem' -noout -text", dir), 0);
	cr_assert(strstr(out, "X509v3 Authority Key Identifier") != NULL, "%s", out);
	cr_assert(strstr(out, "X509v3 Subject Key Identifier") != NULL, "%s", out);
	free(out);
	cr_assert_eq(th_run(&out, "openssl x509 -in '%s/dev.pem' -noout -text", dir), 0);
	cr_assert(strstr(out, "X509v3 Basic Constraints: critical\n                CA:FALSE") != NULL, "%s", out);
	cr_assert(strstr(out, "X509v3 Key Usage: critical\n                Digital Signature\n") != NULL, "%s", out);
	cr_assert(strstr(out, "TLS Web Client Authentication") != NULL, "%s", out);
	cr_assert(strstr(out, "Subject: CN = sample-device-01") != NULL, "%s", out);
	cr_assert(strstr(out, "Subject Alternative Name") == NULL, "no automatic SANs: %s", out);
	free(out);
}

Test(interop, server_certificate_sans_as_openssl_sees_them)
{
	iotx509_key *rk = NULL, *sk = NULL;
	iotx509_cert *root = NULL, *srv = NULL;
	iotx509_issuer *ca = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_strlist *dns = th_strlist("gateway.example.com", "*.gw.example.com", NULL);
	iotx509_strlist *ips = th_strlist("127.0.0.1", "::1", NULL);
	char *out = NULL;

	th_make_root(&rk, &root, &ca, "Server Root", 0);
	cr_assert_eq(iotx509_key_generate(&sk, IOTX509_KEY_P256), 0);
	o.dns_names = dns;
	o.ip_addresses = ips;
	cr_assert_eq(iotx509_issue_server(&srv, ca, sk, "gateway", &o), 0, "%s", th_err());
	free(th_save_cert(dir, "root.pem", root));
	free(th_save_cert(dir, "srv.pem", srv));
	cr_assert_eq(th_run(&out, "cd '%s' && openssl verify -x509_strict -purpose sslserver -CAfile root.pem srv.pem && "
			  "openssl x509 -in srv.pem -noout -ext subjectAltName,extendedKeyUsage", dir), 0, "%s", out);
	cr_assert(strstr(out, "DNS:gateway.example.com, DNS:*.gw.example.com, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1") != NULL, "%s", out);
	cr_assert(strstr(out, "TLS Web Server Authentication") != NULL, "%s", out);
	free(out);
	iotx509_cert_free(root);
	iotx509_cert_free(srv);
	iotx509_issuer_free(ca);
	iotx509_key_free(rk);
	iotx509_key_free(sk);
	iotx509_strlist_free(dns);
	iotx509_strlist_free(ips);
}

Test(interop, certtool_reads_our_keys_and_csrs)
{
	iotx509_key *k = NULL;
	iotx509_csr *csr = NULL;
	char *kp, *cp, *out = NULL;

	if (!th_have("certtool"))
		cr_skip_test("certtool is not installed (apt-get install gnutls-bin)");
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_csr_new(&csr, k, "dev-5", NULL), 0);
	kp = th_path(dir, "k.pem");
	cp = th_path(dir, "r.csr");
	cr_assert_eq(iotx509_key_save(k, kp, "pw", NULL), 0);
	cr_assert_eq(iotx509_csr_save(csr, cp, NULL), 0);
	cr_assert_eq(th_run(&out, "certtool --key-info --password pw --infile '%s'", kp), 0, "%s", out);
	cr_assert(strstr(out, "EC/ECDSA") != NULL || strstr(out, "ECDSA") != NULL, "%s", out);
	free(out);
	cr_assert_eq(th_run(&out, "certtool --crq-info --infile '%s'", cp), 0, "%s", out);
	cr_assert(strstr(out, "CN=dev-5") != NULL, "%s", out);
	free(out);
	free(kp);
	free(cp);
	iotx509_csr_free(csr);
	iotx509_key_free(k);
}

/* Issue a device certificate under a foreign CA and let openssl verify it
 * at the fixed time (the fixtures expire). */
static void issue_under_foreign(const char *ca_cert, const char *ca_key, const char *password, const char *trust,
				const char *untrusted)
{
	iotx509_issuer *ca = NULL;
	iotx509_key *k = NULL;
	iotx509_cert *c = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	char *out = NULL;

	cr_assert_eq(iotx509_issuer_load(&ca, th_fixture(ca_cert), th_fixture(ca_key), password), 0, "%s", th_err());
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	o.at = TH_FIXTURE_TIME;
	cr_assert_eq(iotx509_issue_device(&c, ca, k, "d1", &o), 0, "%s", th_err());
	free(th_save_cert(dir, "d1.pem", c));
	cr_assert_eq(th_run(&out, "openssl verify -attime %lld -purpose sslclient -CAfile '%s' %s%s%s '%s/d1.pem'",
			    (long long)TH_FIXTURE_TIME, th_fixture(trust), untrusted ? "-untrusted '" : "",
			    untrusted ? th_fixture(untrusted) : "", untrusted ? "'" : "", dir),
		     0, "%s", out);
	cr_assert(strstr(out, "d1.pem: OK") != NULL, "%s", out);
	free(out);
	iotx509_cert_free(c);
	iotx509_issuer_free(ca);
	iotx509_key_free(k);
}

Test(interop, device_under_create_test_cert_root_verifies)
{
	issue_under_foreign("create_test_cert/mytestrootcert_cert.pem", "create_test_cert/mytestrootcert_key.pem", NULL,
			    "create_test_cert/mytestrootcert_cert.pem", NULL);
}

Test(interop, device_under_create_test_cert_intermediate_verifies)
{
	issue_under_foreign("create_test_cert/myintermediate_cert.pem", "create_test_cert/myintermediate_key.pem", NULL,
			    "create_test_cert/mytestrootcert_cert.pem", "create_test_cert/myintermediate_cert.pem");
}

Test(interop, device_under_certgen_root_with_encrypted_key_verifies, .timeout = 60)
{
	issue_under_foreign("certgen_sh/azure-iot-test-only.root.ca.cert.pem",
			    "certgen_sh/azure-iot-test-only.root.ca.key.pem", "1234",
			    "certgen_sh/azure-iot-test-only.root.ca.cert.pem", NULL);
}
