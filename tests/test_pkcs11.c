/*
 * Keys in tokens, against a real SoftHSM2 token created per test through
 * SOFTHSM2_CONF in a temporary directory.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

#define MODULE "/usr/lib/softhsm/libsofthsm2.so"
#define PIN "4711-pin"

static char *dir;
static iotx509_key_open_options kopts;

static void setup(void)
{
	char *conf, *tokens, text[4096], *out = NULL;

	if (!th_have("softhsm2-util") || access(MODULE, R_OK) != 0)
		cr_skip_test("SoftHSM2 is not installed (apt-get install softhsm2)");
	dir = th_tmpdir();
	conf = th_path(dir, "softhsm2.conf");
	tokens = th_path(dir, "tokens");
	cr_assert_eq(mkdir(tokens, 0700), 0);
	snprintf(text, sizeof(text), "directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n", tokens);
	th_write(conf, text, strlen(text));
	setenv("SOFTHSM2_CONF", conf, 1);
	unsetenv("IOTX509_PKCS11_PIN");
	cr_assert_eq(th_run(&out, "softhsm2-util --init-token --free --label factory --pin " PIN " --so-pin 99887766"), 0,
		     "%s", out);
	free(out);
	free(conf);
	free(tokens);
	iotx509_key_open_options_init(&kopts, IOTX509_KEY_OPEN_OPTIONS_VERSION);
	kopts.module_path = MODULE;
	kopts.pin = PIN;
}

static void teardown(void)
{
	th_rmrf(dir);
	free(dir);
}

TestSuite(pkcs11, .init = setup, .fini = teardown, .timeout = 60);

static void expect_err(int got, int want, const char *needle)
{
	cr_assert_eq(got, want, "got %d (%s), want %d", got, th_err(), want);
	cr_assert(strstr(th_err(), needle) != NULL, "message '%s' lacks '%s'", th_err(), needle);
	cr_assert(strstr(th_err(), PIN) == NULL, "the PIN leaked into '%s'", th_err());
}

/* A root CA whose key is generated in the token. */
static void token_root(iotx509_key **key, iotx509_cert **cert, iotx509_issuer **issuer, iotx509_key_type type)
{
	cr_assert_eq(iotx509_pkcs11_generate_key(key, "pkcs11:token=factory", type, "root-ca", &kopts), 0, "%s", th_err());
	cr_assert_not(iotx509_key_is_exportable(*key));
	cr_assert_eq(iotx509_issue_root(cert, *key, "Token Root", NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_issuer_new(issuer, *cert, *key), 0, "%s", th_err());
}

static void free3(iotx509_key *k, iotx509_cert *c, iotx509_issuer *i)
{
	iotx509_issuer_free(i);
	iotx509_cert_free(c);
	iotx509_key_free(k);
}

static void device_under(const iotx509_issuer *ca, const char *root_file)
{
	iotx509_key *dk = NULL;
	iotx509_cert *dev = NULL;
	char *p, *out = NULL;

	cr_assert_eq(iotx509_key_generate(&dk, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_device(&dev, ca, dk, "token-device-1", NULL), 0, "%s", th_err());
	p = th_save_cert(dir, "dev.pem", dev);
	cr_assert_eq(th_run(&out, "openssl verify -x509_strict -purpose sslclient -CAfile '%s' '%s'", root_file, p), 0, "%s", out);
	free(out);
	free(p);
	iotx509_cert_free(dev);
	iotx509_key_free(dk);
}

Test(pkcs11, p256_root_key_in_token_issues_devices_that_openssl_accepts)
{
	iotx509_key *k = NULL;
	iotx509_cert *root = NULL;
	iotx509_issuer *ca = NULL;
	char *rp;

	token_root(&k, &root, &ca, IOTX509_KEY_P256);
	rp = th_save_cert(dir, "root.pem", root);
	device_under(ca, rp);
	free(rp);
	free3(k, root, ca);
}

Test(pkcs11, rsa_and_p384_root_keys_in_token_work)
{
	iotx509_key_type types[] = { IOTX509_KEY_RSA2048, IOTX509_KEY_P384 };
	const char *labels[] = { "rsa-root", "p384-root" };
	size_t i;

	for (i = 0; i < 2; i++) {
		iotx509_key *k = NULL;
		iotx509_cert *root = NULL;
		iotx509_issuer *ca = NULL;
		char *rp;

		cr_assert_eq(iotx509_pkcs11_generate_key(&k, "pkcs11:token=factory", types[i], labels[i], &kopts), 0, "%s",
			     th_err());
		cr_assert_eq(iotx509_key_get_bits(k), i == 0 ? 2048u : 384u);
		cr_assert_eq(iotx509_issue_root(&root, k, labels[i], NULL), 0, "%s", th_err());
		cr_assert_eq(iotx509_issuer_new(&ca, root, k), 0, "%s", th_err());
		rp = th_save_cert(dir, "root.pem", root);
		device_under(ca, rp);
		free(rp);
		free3(k, root, ca);
	}
}

Test(pkcs11, token_keys_never_leave_the_token)
{
	iotx509_key *k = NULL;
	iotx509_buf pem = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_pkcs11_generate_key(&k, "pkcs11:token=factory", IOTX509_KEY_P256, "dev-key", &kopts), 0, "%s",
		     th_err());
	cr_assert_not(iotx509_key_is_exportable(k));
	cr_assert_not_null(iotx509_key_get_url(k));
	cr_assert(strstr(iotx509_key_get_url(k), "object=dev-key") != NULL, "%s", iotx509_key_get_url(k));
	cr_assert(strstr(iotx509_key_get_url(k), "pin") == NULL, "%s", iotx509_key_get_url(k));
	expect_err(iotx509_key_export_pem(&pem, k, NULL), IOTX509_EUNSUPPORTED, "held in a token");
	expect_err(iotx509_key_save(k, "/tmp/never-written.pem", NULL, NULL), IOTX509_EUNSUPPORTED, "cannot be exported");
	cr_assert(access("/tmp/never-written.pem", F_OK) != 0);
	iotx509_key_free(k);
}

Test(pkcs11, existing_label_is_not_generated_twice)
{
	iotx509_key *k = NULL, *k2 = NULL;

	cr_assert_eq(iotx509_pkcs11_generate_key(&k, "pkcs11:token=factory", IOTX509_KEY_P256, "once", &kopts), 0, "%s",
		     th_err());
	expect_err(iotx509_pkcs11_generate_key(&k2, "pkcs11:token=factory", IOTX509_KEY_P256, "once", &kopts),
		   IOTX509_EEXISTS, "'once' already exists");
	cr_assert_null(k2);
	iotx509_key_free(k);
}

Test(pkcs11, key_opens_by_url_through_key_load_and_issuer_load)
{
	iotx509_key *k = NULL, *k2 = NULL;
	iotx509_cert *root = NULL;
	iotx509_issuer *ca = NULL, *ca2 = NULL;
	char *rp;

	token_root(&k, &root, &ca, IOTX509_KEY_P256);
	rp = th_save_cert(dir, "root.pem", root);
	/* Now as a user would: certificate file + key URL, PIN as password. */
	cr_assert_eq(iotx509_key_load(&k2, "pkcs11:token=factory;object=root-ca;type=private", PIN), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_key_get_spki_sha256(k2), iotx509_key_get_spki_sha256(k));
	cr_assert_eq(iotx509_issuer_load(&ca2, rp, "pkcs11:token=factory;object=root-ca;type=private", PIN), 0, "%s",
		     th_err());
	device_under(ca2, rp);
	iotx509_key_free(k2);
	iotx509_issuer_free(ca2);
	free(rp);
	free3(k, root, ca);
}

Test(pkcs11, pin_comes_from_option_then_url_then_environment)
{
	iotx509_key *k = NULL, *k2 = NULL;
	iotx509_key_open_options o = IOTX509_KEY_OPEN_OPTIONS_INIT;

	cr_assert_eq(iotx509_pkcs11_generate_key(&k, "pkcs11:token=factory", IOTX509_KEY_P256, "pinned", &kopts), 0, "%s",
		     th_err());
	iotx509_key_free(k);
	o.module_path = MODULE;
	/* URL pin-value (percent-encoded '-' is fine either way). */
	cr_assert_eq(iotx509_key_open(&k2, "pkcs11:token=factory;object=pinned;type=private?pin-value=" PIN, &o), 0, "%s",
		     th_err());
	cr_assert(strstr(iotx509_key_get_url(k2), "pin-value") == NULL, "%s", iotx509_key_get_url(k2));
	iotx509_key_free(k2);
	/* The option wins over a wrong URL PIN. */
	o.pin = PIN;
	cr_assert_eq(iotx509_key_open(&k2, "pkcs11:token=factory;object=pinned;type=private?pin-value=0000", &o), 0, "%s",
		     th_err());
	iotx509_key_free(k2);
}

Test(pkcs11, pin_from_environment)
{
	iotx509_key *k = NULL;
	iotx509_key_open_options o = IOTX509_KEY_OPEN_OPTIONS_INIT;

	cr_assert_eq(iotx509_pkcs11_generate_key(&k, "pkcs11:token=factory", IOTX509_KEY_P256, "envpin", &kopts), 0, "%s",
		     th_err());
	iotx509_key_free(k);
	k = NULL;
	o.module_path = MODULE;
	setenv("IOTX509_PKCS11_PIN", PIN, 1);
	cr_assert_eq(iotx509_key_open(&k, "pkcs11:token=factory;object=envpin;type=private", &o), 0, "%s", th_err());
	iotx509_key_free(k);
}

Test(pkcs11, wrong_pin_is_epin)
{
	iotx509_key *k = NULL;
	iotx509_key_open_options o = IOTX509_KEY_OPEN_OPTIONS_INIT;

	o.module_path = MODULE;
	o.pin = "0000-wrong";
	expect_err(iotx509_pkcs11_generate_key(&k, "pkcs11:token=factory", IOTX509_KEY_P256, "x", &o), IOTX509_EPIN,
		   "wrong PIN");
	cr_assert(strstr(th_err(), "0000-wrong") == NULL, "%s", th_err());
	o.pin = NULL;
	expect_err(iotx509_pkcs11_generate_key(&k, "pkcs11:token=factory", IOTX509_KEY_P256, "x", &o), IOTX509_EPIN,
		   "needs a PIN");
	cr_assert_null(k);
}

Test(pkcs11, wrong_pin_when_opening_a_key_is_epin)
{
	iotx509_key *k = NULL;
	iotx509_key_open_options o = IOTX509_KEY_OPEN_OPTIONS_INIT;
	char *out = NULL;

	/* Make the key in another process so this one has never logged in. */
	cr_assert_eq(th_run(&out, "p11tool --provider " MODULE " --login --set-pin=" PIN
			  " --generate-ecc --curve secp256r1 --label other 'pkcs11:token=factory'"),
		     0, "%s", out);
	free(out);
	o.module_path = MODULE;
	o.pin = "1111-wrong";
	expect_err(iotx509_key_open(&k, "pkcs11:token=factory;object=other;type=private", &o), IOTX509_EPIN, "wrong PIN");
	cr_assert(strstr(th_err(), "1111-wrong") == NULL);
}

Test(pkcs11, missing_object_token_and_module_have_their_codes)
{
	iotx509_key *k = NULL;
	iotx509_key_open_options o = IOTX509_KEY_OPEN_OPTIONS_INIT;

	expect_err(iotx509_key_open(&k, "pkcs11:token=factory;object=nothing-here;type=private", &kopts),
		   IOTX509_EPKCS11_OBJECT, "object=nothing-here");
	expect_err(iotx509_key_open(&k, "pkcs11:token=no-such-token;object=k;type=private", &kopts), IOTX509_EPKCS11_TOKEN,
		   "token=no-such-token");
	cr_assert(strstr(th_err(), "'factory'") != NULL, "lists the tokens present: %s", th_err());
	o.module_path = "/nonexistent/libpkcs11.so";
	expect_err(iotx509_key_open(&k, "pkcs11:token=factory;object=k", &o), IOTX509_EPKCS11_MODULE, "/nonexistent/libpkcs11.so");
	o.module_path = "/etc/hostname"; /* a file, but no module */
	expect_err(iotx509_key_open(&k, "pkcs11:token=factory;object=k", &o), IOTX509_EPKCS11_MODULE, "/etc/hostname");
	cr_assert_null(k);
}

Test(pkcs11, ed25519_is_unsupported_by_softhsm_through_gnutls)
{
	iotx509_key *k = NULL;

	expect_err(iotx509_pkcs11_generate_key(&k, "pkcs11:token=factory", IOTX509_KEY_ED25519, "ed", &kopts),
		   IOTX509_EUNSUPPORTED, "does not support");
	cr_assert_null(k);
}

Test(pkcs11, certificate_is_stored_next_to_its_key_and_listed)
{
	iotx509_key *k = NULL;
	iotx509_cert *root = NULL;
	iotx509_issuer *ca = NULL;
	iotx509_pkcs11_list *list = NULL;
	size_t i, n;
	const char *key_id = NULL, *cert_id = NULL;
	int pub = 0;

	token_root(&k, &root, &ca, IOTX509_KEY_P256);
	cr_assert_eq(iotx509_pkcs11_store_cert("pkcs11:token=factory", root, "root-ca", &kopts), 0, "%s", th_err());
	cr_assert_eq(iotx509_pkcs11_list_objects(&list, "pkcs11:token=factory", &kopts), 0, "%s", th_err());
	n = iotx509_pkcs11_list_count(list);
	cr_assert_geq(n, 2);
	for (i = 0; i < n; i++) {
		cr_assert(strstr(iotx509_pkcs11_list_get_url(list, i), "pin") == NULL);
		cr_assert_str_eq(iotx509_pkcs11_list_get_label(list, i), "root-ca");
		switch (iotx509_pkcs11_list_get_type(list, i)) {
		case IOTX509_PKCS11_PRIVATE_KEY:
			key_id = iotx509_pkcs11_list_get_id_hex(list, i);
			break;
		case IOTX509_PKCS11_CERTIFICATE:
			cert_id = iotx509_pkcs11_list_get_id_hex(list, i);
			break;
		case IOTX509_PKCS11_PUBLIC_KEY:
			pub = 1;
			break;
		default:
			break;
		}
	}
	cr_assert_not_null(key_id, "private key listed (login with the PIN)");
	cr_assert_not_null(cert_id);
	cr_assert(pub);
	cr_assert_str_eq(key_id, cert_id, "certificate and key share CKA_ID");
	cr_assert_null(iotx509_pkcs11_list_get_url(list, n));
	iotx509_pkcs11_list_free(list);
	list = NULL;

	/* Another process, without the PIN, sees no private key; with it, the
	 * key is sensitive and never extractable. */
	{
		char *out = NULL;

		th_run(&out, "p11tool --provider " MODULE " --list-all 'pkcs11:token=factory;type=private'");
		cr_assert(strstr(out, "No matching objects found") != NULL, "%s", out);
		free(out);
		cr_assert_eq(th_run(&out, "p11tool --provider " MODULE " --login --set-pin=" PIN
				  " --list-all-privkeys 'pkcs11:token=factory;object=root-ca'"),
			     0, "%s", out);
		cr_assert(strstr(out, "CKA_SENSITIVE") != NULL && strstr(out, "CKA_NEVER_EXTRACTABLE") != NULL &&
				  strstr(out, "CKA_PRIVATE") != NULL,
			  "%s", out);
		free(out);
	}
	free3(k, root, ca);
}

Test(pkcs11, system_p11kit_configuration_finds_softhsm_without_module_path)
{
	iotx509_key *k = NULL;
	iotx509_key_open_options o = IOTX509_KEY_OPEN_OPTIONS_INIT;

	if (access("/usr/share/p11-kit/modules/softhsm2.module", R_OK) != 0)
		cr_skip_test("softhsm2 is not registered with p11-kit on this system");
	o.pin = PIN;
	cr_assert_eq(iotx509_pkcs11_generate_key(&k, "pkcs11:token=factory", IOTX509_KEY_P256, "sys", &o), 0, "%s", th_err());
	iotx509_key_free(k);
}

typedef struct {
	const iotx509_issuer *ca;
	int failures;
} thread_arg;

static void *issue_many(void *p)
{
	thread_arg *a = p;
	int i;

	for (i = 0; i < 10; i++) {
		iotx509_key *dk = NULL;
		iotx509_cert *c = NULL;

		if (iotx509_key_generate(&dk, IOTX509_KEY_P256) != 0 || iotx509_issue_device(&c, a->ca, dk, "t", NULL) != 0)
			a->failures++;
		iotx509_cert_free(c);
		iotx509_key_free(dk);
	}
	return NULL;
}

Test(pkcs11, one_token_key_signs_from_several_threads)
{
	iotx509_key *k = NULL;
	iotx509_cert *root = NULL;
	iotx509_issuer *ca = NULL;
	pthread_t t[4];
	thread_arg args[4];
	int i;

	token_root(&k, &root, &ca, IOTX509_KEY_P256);
	for (i = 0; i < 4; i++) {
		args[i].ca = ca;
		args[i].failures = 0;
		cr_assert_eq(pthread_create(&t[i], NULL, issue_many, &args[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		cr_assert_eq(args[i].failures, 0, "thread %d", i);
	}
	free3(k, root, ca);
}

Test(pkcs11, device_key_in_token_authenticates_a_mutual_tls_handshake)
{
	iotx509_key *ca_key = NULL, *srv_key = NULL, *dev_key = NULL;
	iotx509_cert *ca_cert = NULL, *srv = NULL, *dev = NULL;
	iotx509_issuer *ca = NULL;
	iotx509_csr *csr = NULL;
	iotx509_issue_options so = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_strlist *dns = th_strlist("localhost", NULL);
	iotx509_strlist *ips = th_strlist("127.0.0.1", NULL);
	char *out = NULL;
	int port = 20000 + (int)(getpid() % 20000);

	if (!th_have("gnutls-cli") || !th_have("openssl"))
		cr_skip_test("gnutls-cli (gnutls-bin) or openssl is not installed");
	/* A file CA signs the token key's CSR and a server certificate. */
	th_make_root(&ca_key, &ca_cert, &ca, "mTLS Root", 0);
	cr_assert_eq(iotx509_pkcs11_generate_key(&dev_key, "pkcs11:token=factory", IOTX509_KEY_P256, "device", &kopts), 0,
		     "%s", th_err());
	cr_assert_eq(iotx509_csr_new(&csr, dev_key, "mtls-device", NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_device_from_csr(&dev, ca, csr, NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_pkcs11_store_cert("pkcs11:token=factory", dev, "device", &kopts), 0, "%s", th_err());
	cr_assert_eq(iotx509_key_generate(&srv_key, IOTX509_KEY_P256), 0);
	so.dns_names = dns;
	so.ip_addresses = ips;
	cr_assert_eq(iotx509_issue_server(&srv, ca, srv_key, "localhost", &so), 0, "%s", th_err());
	free(th_save_cert(dir, "ca.pem", ca_cert));
	free(th_save_cert(dir, "srv.pem", srv));
	free(th_save_key(dir, "srv.key", srv_key));
	free(th_save_cert(dir, "dev.pem", dev));

	/* gnutls-serv demands a client certificate and verifies it against the
	 * CA; gnutls-cli signs the handshake with the key inside the token. */
	cr_assert_eq(th_run(&out,
			    "cd '%s' && (timeout 30 gnutls-serv -p %d --x509cafile ca.pem --x509certfile srv.pem "
			    "--x509keyfile srv.key --require-client-cert --verify-client-cert > server.log 2>&1 &) && "
			    "for i in $(seq 50); do (echo > /dev/tcp/127.0.0.1/%d) 2>/dev/null && break; sleep 0.1; done; "
			    "echo hello | timeout 20 gnutls-cli --provider " MODULE " --x509cafile ca.pem --x509certfile dev.pem "
			    "--x509keyfile 'pkcs11:token=factory;object=device;type=private?pin-value=" PIN "' "
			    "-p %d 127.0.0.1",
			    dir, port, port, port),
		     0, "%s", out);
	cr_assert(strstr(out, "Handshake was completed") != NULL, "%s", out);
	free(out);
	/* Without the client certificate the same server refuses the handshake. */
	cr_assert_neq(th_run(&out, "cd '%s' && echo hello | timeout 20 gnutls-cli --x509cafile ca.pem -p %d 127.0.0.1", dir,
			     port),
		      0, "%s", out);
	free(out);
	th_run(NULL, "pkill -f 'gnutls-serv -p %d'", port);
	{
		char *log = th_path(dir, "server.log");

		out = th_slurp(log, NULL);
		free(log);
	}
	cr_assert_not_null(out);
	cr_assert(strstr(out, "Subject: CN=mtls-device") != NULL, "server saw the device certificate: %s", out);
	cr_assert(strstr(out, "The certificate is trusted") != NULL, "%s", out);
	cr_assert(strstr(out, "Client Signature: ECDSA-SECP256R1-SHA256") != NULL, "%s", out);
	free(out);
	iotx509_csr_free(csr);
	iotx509_cert_free(dev);
	iotx509_cert_free(srv);
	iotx509_key_free(srv_key);
	iotx509_key_free(dev_key);
	free3(ca_key, ca_cert, ca);
	iotx509_strlist_free(dns);
	iotx509_strlist_free(ips);
}

Test(pkcs11, issue_credential_generates_the_key_in_the_token_and_stores_the_certificate)
{
	iotx509_issue_credential_options o = IOTX509_ISSUE_CREDENTIAL_OPTIONS_INIT;
	iotx509_credential_save_options so = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;
	iotx509_credential *root = NULL, *dev = NULL, *other = NULL;
	iotx509_issuer *ca = NULL;
	iotx509_pkcs11_list *list = NULL;
	const char *key_id = NULL, *cert_id = NULL;
	char *p;
	size_t i;

	cr_assert_eq(iotx509_issue_credential(&root, IOTX509_PROFILE_ROOT, NULL, "Soft Root", NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_issuer_new_from_credential(&ca, root), 0, "%s", th_err());
	so.pfx_password = "pw-1234"; /* a token key gets no .pfx all the same */
	o.token_url = "pkcs11:token=factory";
	o.token = &kopts;
	o.dir = dir;
	o.name = "tok-dev";
	o.save = &so;
	cr_assert_eq(iotx509_issue_credential(&dev, IOTX509_PROFILE_DEVICE, ca, "tok-dev", &o), 0, "%s", th_err());
	cr_assert_not(iotx509_key_is_exportable(iotx509_credential_get_key(dev)));
	cr_assert(strstr(iotx509_key_get_url(iotx509_credential_get_key(dev)), "object=tok-dev") != NULL, "labelled NAME");
	cr_assert_eq(iotx509_key_get_bits(iotx509_credential_get_key(dev)), 256, "key_type 0 is P-256");
	cr_assert_eq(iotx509_certlist_count(iotx509_credential_get_chain(dev)), 2);
	p = th_path(dir, "tok-dev_cert.pem");
	cr_assert_eq(access(p, F_OK), 0);
	free(p);
	p = th_path(dir, "tok-dev_fullchain.pem");
	cr_assert_eq(access(p, F_OK), 0);
	free(p);
	p = th_path(dir, "tok-dev_key.pem");
	cr_assert_neq(access(p, F_OK), 0, "the key never leaves the token");
	free(p);
	p = th_path(dir, "tok-dev.pfx");
	cr_assert_neq(access(p, F_OK), 0);
	free(p);
	/* The certificate sits next to its key, same label, same CKA_ID. */
	cr_assert_eq(iotx509_pkcs11_list_objects(&list, "pkcs11:token=factory;object=tok-dev", &kopts), 0, "%s", th_err());
	for (i = 0; i < iotx509_pkcs11_list_count(list); i++) {
		if (iotx509_pkcs11_list_get_type(list, i) == IOTX509_PKCS11_PRIVATE_KEY)
			key_id = iotx509_pkcs11_list_get_id_hex(list, i);
		if (iotx509_pkcs11_list_get_type(list, i) == IOTX509_PKCS11_CERTIFICATE)
			cert_id = iotx509_pkcs11_list_get_id_hex(list, i);
	}
	cr_assert_not_null(key_id);
	cr_assert_not_null(cert_id, "the certificate was stored");
	cr_assert_str_eq(key_id, cert_id);
	iotx509_pkcs11_list_free(list);
	/* token_label names the objects when given; the label in use is refused. */
	o.name = NULL;
	o.token_label = "custom-label";
	o.key_type = IOTX509_KEY_P384;
	cr_assert_eq(iotx509_issue_credential(&other, IOTX509_PROFILE_DEVICE, ca, "tok-dev-2", &o), 0, "%s", th_err());
	cr_assert(strstr(iotx509_key_get_url(iotx509_credential_get_key(other)), "object=custom-label") != NULL);
	cr_assert_eq(iotx509_key_get_bits(iotx509_credential_get_key(other)), 384);
	iotx509_credential_free(other);
	other = NULL;
	expect_err(iotx509_issue_credential(&other, IOTX509_PROFILE_DEVICE, ca, "tok-dev-3", &o), IOTX509_EEXISTS,
		   "custom-label");
	cr_assert_null(other);
	iotx509_credential_free(dev);
	iotx509_issuer_free(ca);
	iotx509_credential_free(root);
}

Test(pkcs11, every_token_call_reads_key_open_options_by_version)
{
	iotx509_key_open_options o = kopts;
	iotx509_pkcs11_list *list = NULL;
	iotx509_key *key = NULL, *root_key = NULL;
	iotx509_cert *cert = NULL;
	iotx509_issuer *ri = NULL;
	unsigned int bad[] = { 0, IOTX509_KEY_OPEN_OPTIONS_VERSION + 1 };
	size_t i;

	th_make_root(&root_key, &cert, &ri, "v-root", TH_FIXTURE_TIME);
	for (i = 0; i < 2; i++) {
		o.version = bad[i];
		th_version_refused_named(iotx509_pkcs11_list_objects(&list, "pkcs11:token=factory", &o), bad[i],
					 "key open options");
		th_version_refused_named(iotx509_pkcs11_generate_key(&key, "pkcs11:token=factory", IOTX509_KEY_P256, "v", &o),
					 bad[i], "key open options");
		th_version_refused_named(iotx509_pkcs11_store_cert("pkcs11:token=factory", cert, "v", &o), bad[i],
					 "key open options");
	}
	cr_assert_null(list);
	cr_assert_null(key);
	iotx509_issuer_free(ri);
	iotx509_cert_free(cert);
	iotx509_key_free(root_key);
}
