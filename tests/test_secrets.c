/*
 * Passwords and PINs never reach an error message. Every entry point that
 * takes one is called with the right secret, a wrong one and in failing
 * situations (missing files, bad options, damaged input), and after every
 * call the thread's error message is scanned for the secrets. The secrets
 * contain printf conversions, so a message built with a secret as its
 * format string would also crash here.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

#define RIGHT "Kx9-right-pa55w0rd-%s%n"
#define WRONG "Qz7-wrong-pa55w0rd-%x%n"
#define PIN_RIGHT "5521-pin-right"
#define PIN_WRONG "7734-pin-wrong"
#define SO_PIN "99887766"
#define MODULE "/usr/lib/softhsm/libsofthsm2.so"

/* Distinctive parts: a message holding even a piece of a secret fails. */
static const char *const needles[] = {
	RIGHT, WRONG, PIN_RIGHT, PIN_WRONG, "right-pa55", "wrong-pa55", "pa55w0rd", "pin-right", "pin-wrong", "5521",
	"7734",
};

static char *dir;
static int checks;

static void setup(void)
{
	dir = th_tmpdir();
	checks = 0;
}

static void teardown(void)
{
	th_rmrf(dir);
	free(dir);
}

TestSuite(secrets, .init = setup, .fini = teardown, .timeout = 600); /* valgrind: PBKDF2 is slow there */

/* Scan @text (an error message or tool output) for every secret. */
static void scan_text(const char *what, const char *text)
{
	size_t i;

	if (text == NULL)
		return;
	for (i = 0; i < sizeof(needles) / sizeof(needles[0]); i++)
		cr_assert(strstr(text, needles[i]) == NULL, "%s: secret '%s' leaked into: %s", what, needles[i], text);
}

/* After each call: the result, and the message in any case. */
/* For calls whose exact code is not the point here: only that they fail. */
#define CALL_FAILS(expr) \
	do { \
		int got_; \
		iotx509_error_clear(); \
		got_ = (expr); \
		scan_text(#expr, iotx509_error_last()); \
		checks++; \
		cr_assert_lt(got_, 0, "%s: succeeded", #expr); \
	} while (0)

#define CALL(expr, want) \
	do { \
		int got_; \
		iotx509_error_clear(); \
		got_ = (expr); \
		scan_text(#expr, iotx509_error_last()); \
		checks++; \
		cr_assert_eq(got_, (want), "%s: got %d (%s), want %d", #expr, got_, th_err(), (want)); \
	} while (0)

/* A P-256 device key and certificate under a fresh root. */
typedef struct {
	iotx509_key *root_key, *key;
	iotx509_cert *root, *cert;
	iotx509_issuer *ca;
	iotx509_certlist *chain;
} material;

static void material_make(material *m)
{
	memset(m, 0, sizeof(*m));
	th_make_root(&m->root_key, &m->root, &m->ca, "Secrets Root", 0);
	cr_assert_eq(iotx509_key_generate(&m->key, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_device(&m->cert, m->ca, m->key, "secret-device", NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_new(&m->chain), 0);
	cr_assert_eq(iotx509_certlist_add(m->chain, m->root), 0);
}

static void material_free(material *m)
{
	iotx509_certlist_free(m->chain);
	iotx509_issuer_free(m->ca);
	iotx509_cert_free(m->cert);
	iotx509_cert_free(m->root);
	iotx509_key_free(m->key);
	iotx509_key_free(m->root_key);
}

Test(secrets, key_import_export_and_save)
{
	material m;
	iotx509_buf enc = IOTX509_BUF_INIT, der = IOTX509_BUF_INIT, plain = IOTX509_BUF_INIT;
	iotx509_key *k = NULL;
	char *path = th_path(dir, "enc_key.pem"), *missing = th_path(dir, "no/such/key.pem");
	char long_pw[8192];

	material_make(&m);
	CALL(iotx509_key_export_pem(&enc, m.key, RIGHT), 0);
	cr_assert(strstr((const char *)enc.data, "ENCRYPTED PRIVATE KEY") != NULL);
	scan_text("encrypted PEM", (const char *)enc.data);
	CALL(iotx509_key_export_der(&der, m.key, RIGHT), 0);
	CALL(iotx509_key_export_pem(&plain, m.key, ""), IOTX509_EINVAL);

	/* Import: right, wrong, none, and a password on a plain key. */
	CALL(iotx509_key_import(&k, enc.data, enc.size, RIGHT), 0);
	iotx509_key_free(k);
	CALL(iotx509_key_import(&k, enc.data, enc.size, WRONG), IOTX509_EPASSWORD);
	CALL(iotx509_key_import(&k, der.data, der.size, WRONG), IOTX509_EPASSWORD);
	CALL(iotx509_key_import(&k, der.data, der.size, NULL), IOTX509_EPASSWORD);
	CALL(iotx509_key_import(&k, enc.data, enc.size / 2, WRONG), IOTX509_EPARSE);
	CALL(iotx509_key_export_pem(&plain, m.key, NULL), 0);
	CALL(iotx509_key_import(&k, plain.data, plain.size, WRONG), 0);
	iotx509_key_free(k);
	memset(long_pw, 'p', sizeof(long_pw) - 1);
	long_pw[sizeof(long_pw) - 1] = '\0';
	memcpy(long_pw + 4000, "wrong-pa55", 10);
	CALL(iotx509_key_import(&k, enc.data, enc.size, long_pw), IOTX509_EPASSWORD);

	/* Files. */
	CALL(iotx509_key_save(m.key, path, RIGHT, NULL), 0);
	CALL(iotx509_key_save(m.key, path, RIGHT, NULL), IOTX509_EEXISTS);
	CALL(iotx509_key_save(m.key, missing, WRONG, NULL), IOTX509_EIO);
	CALL(iotx509_key_load(&k, path, WRONG), IOTX509_EPASSWORD);
	CALL(iotx509_key_load(&k, missing, WRONG), IOTX509_ENOTFOUND);
	CALL(iotx509_key_load(&k, path, RIGHT), 0);
	iotx509_key_free(k);

	iotx509_buf_dispose(&enc);
	iotx509_buf_dispose(&der);
	iotx509_buf_dispose(&plain);
	free(path);
	free(missing);
	material_free(&m);
	cr_assert_geq(checks, 17);
}

Test(secrets, issuer_and_key_open)
{
	material m;
	iotx509_issuer *is = NULL;
	iotx509_key *k = NULL;
	iotx509_key_open_options o = IOTX509_KEY_OPEN_OPTIONS_INIT;
	char *cert, *key = th_path(dir, "ca_key.pem");

	material_make(&m);
	cert = th_save_cert(dir, "ca_cert.pem", m.root);
	CALL(iotx509_key_save(m.root_key, key, RIGHT, WRITE_OPTS(IOTX509_WRITE_OVERWRITE)), 0);
	CALL(iotx509_issuer_load(&is, cert, key, WRONG), IOTX509_EPASSWORD);
	CALL(iotx509_issuer_load(&is, cert, key, NULL), IOTX509_EPASSWORD);
	CALL(iotx509_issuer_load(&is, key, cert, RIGHT), IOTX509_EPARSE); /* files swapped */
	CALL(iotx509_issuer_load(&is, cert, key, RIGHT), 0);
	iotx509_issuer_free(is);

	o.password = WRONG;
	CALL(iotx509_key_open(&k, key, &o), IOTX509_EPASSWORD);
	o.password = RIGHT;
	CALL(iotx509_key_open(&k, key, &o), 0);
	iotx509_key_free(k);
	free(cert);
	free(key);
	material_free(&m);
}

Test(secrets, pkcs12_export_import_save_load)
{
	material m;
	iotx509_buf pfx = IOTX509_BUF_INIT, bad = IOTX509_BUF_INIT;
	iotx509_pkcs12 *p = NULL;
	iotx509_pkcs12_options o = IOTX509_PKCS12_OPTIONS_INIT;
	char *path = th_path(dir, "dev.pfx"), *missing = th_path(dir, "no/such.pfx");
	static const char not_utf8[] = "Qz7-wrong-pa55w0rd-\xff\xfe";
	iotx509_key *other = NULL;

	material_make(&m);
	CALL(iotx509_pkcs12_export(&pfx, m.cert, m.key, m.chain, RIGHT, NULL), NULL);
	CALL(iotx509_pkcs12_import(&p, pfx.data, pfx.size, RIGHT, NULL), NULL);
	iotx509_pkcs12_free(p);
	p = NULL;
	CALL(iotx509_pkcs12_import(&p, pfx.data, pfx.size, WRONG, NULL), IOTX509_EPASSWORD);
	CALL(iotx509_pkcs12_import(&p, pfx.data, pfx.size, "", NULL), IOTX509_EINVAL);
	CALL(iotx509_pkcs12_import(&p, pfx.data, pfx.size / 2, WRONG, NULL), IOTX509_EPARSE);
	CALL_FAILS(iotx509_pkcs12_import(&p, pfx.data, pfx.size, not_utf8, NULL));
	CALL(iotx509_pkcs12_export(&bad, m.cert, m.key, m.chain, not_utf8, NULL), IOTX509_EINVAL);
	CALL(iotx509_pkcs12_export(&bad, m.cert, m.key, m.chain, "", NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_key_generate(&other, IOTX509_KEY_P256), 0);
	CALL(iotx509_pkcs12_export(&bad, m.cert, other, m.chain, WRONG, NULL), IOTX509_EKEYMISMATCH);
	o.profile = IOTX509_PKCS12_COMPAT;
	CALL(iotx509_pkcs12_export(&bad, m.cert, m.key, NULL, WRONG, &o), 0);
	iotx509_buf_dispose(&bad);
	o.iterations = 1;
	CALL(iotx509_pkcs12_export(&bad, m.cert, m.key, NULL, WRONG, &o), IOTX509_EINVAL);

	CALL(iotx509_pkcs12_save(m.cert, m.key, m.chain, path, RIGHT, NULL, NULL), NULL);
	CALL(iotx509_pkcs12_save(m.cert, m.key, m.chain, path, RIGHT, NULL, NULL), IOTX509_EEXISTS);
	CALL(iotx509_pkcs12_save(m.cert, m.key, m.chain, missing, WRONG, NULL, NULL), IOTX509_EIO);
	CALL(iotx509_pkcs12_load(&p, path, WRONG, NULL), IOTX509_EPASSWORD);
	CALL(iotx509_pkcs12_load(&p, missing, WRONG, NULL), IOTX509_ENOTFOUND);
	CALL(iotx509_pkcs12_load(&p, path, RIGHT, NULL), NULL);
	iotx509_pkcs12_free(p);

	iotx509_key_free(other);
	iotx509_buf_dispose(&pfx);
	free(path);
	free(missing);
	material_free(&m);
}

Test(secrets, credential_save_and_load)
{
	material m;
	iotx509_credential *cred = NULL, *back = NULL;
	iotx509_credential_save_options so = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;
	char *missing = th_path(dir, "no/such/dir");

	material_make(&m);
	CALL(iotx509_credential_new(&cred, m.cert, m.key, m.chain, NULL), 0);
	so.pfx_password = RIGHT;
	so.key_password = RIGHT;
	CALL(iotx509_credential_save(cred, dir, "dev", &so), 0);
	CALL(iotx509_credential_save(cred, dir, "dev", &so), IOTX509_EEXISTS);
	so.pfx_password = WRONG;
	so.key_password = WRONG;
	CALL(iotx509_credential_save(cred, missing, "dev", &so), IOTX509_EIO);
	so.pfx_password = "";
	CALL(iotx509_credential_save(cred, dir, "dev2", &so), IOTX509_EINVAL);
	CALL(iotx509_credential_load(&back, dir, "dev", WRONG, NULL), IOTX509_EPASSWORD);
	CALL(iotx509_credential_load(&back, dir, "dev", NULL, NULL), IOTX509_EPASSWORD);
	CALL(iotx509_credential_load(&back, missing, "dev", WRONG, NULL), IOTX509_ENOTFOUND);
	CALL(iotx509_credential_load(&back, dir, "dev", RIGHT, NULL), 0);
	iotx509_credential_free(back);
	iotx509_credential_free(cred);
	free(missing);
	material_free(&m);
}

/* PINs: a SoftHSM2 token made for the test, if SoftHSM2 is installed. */
Test(secrets, pkcs11_pins)
{
	char *conf, *tokens, text[4096], *out = NULL;
	iotx509_key_open_options o = IOTX509_KEY_OPEN_OPTIONS_INIT;
	iotx509_key *k = NULL;
	iotx509_pkcs11_list *list = NULL;
	material m;

	if (!th_have("softhsm2-util") || access(MODULE, R_OK) != 0)
		cr_skip_test("SoftHSM2 is not installed (apt-get install softhsm2)");
	conf = th_path(dir, "softhsm2.conf");
	tokens = th_path(dir, "tokens");
	cr_assert_eq(mkdir(tokens, 0700), 0);
	snprintf(text, sizeof(text), "directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n", tokens);
	th_write(conf, text, strlen(text));
	setenv("SOFTHSM2_CONF", conf, 1);
	unsetenv("IOTX509_PKCS11_PIN");
	cr_assert_eq(th_run(&out, "softhsm2-util --init-token --free --label secrets --pin " PIN_RIGHT " --so-pin " SO_PIN),
		     0, "%s", out);
	free(out);

	material_make(&m);
	o.module_path = MODULE;
	o.pin = PIN_WRONG;
	CALL(iotx509_pkcs11_generate_key(&k, "pkcs11:token=secrets", IOTX509_KEY_P256, "dev", &o), IOTX509_EPIN);
	o.pin = PIN_RIGHT;
	CALL(iotx509_pkcs11_generate_key(&k, "pkcs11:token=secrets", IOTX509_KEY_P256, "dev", &o), 0);
	iotx509_key_free(k);
	k = NULL;
	o.pin = PIN_WRONG;
	CALL(iotx509_key_open(&k, "pkcs11:token=secrets;object=dev;type=private", &o), IOTX509_EPIN);
	CALL(iotx509_pkcs11_store_cert("pkcs11:token=secrets", m.cert, "dev", &o), IOTX509_EPIN);
	CALL(iotx509_pkcs11_list_objects(&list, "pkcs11:token=secrets", &o), IOTX509_EPIN);
	/* The PIN inside the URL, and in the environment. */
	o.pin = NULL;
	CALL(iotx509_key_open(&k, "pkcs11:token=secrets;object=dev;type=private?pin-value=" PIN_WRONG, &o), IOTX509_EPIN);
	CALL(iotx509_key_open(&k, "pkcs11:token=secrets;object=nothere;type=private?pin-value=" PIN_RIGHT, &o),
	     IOTX509_EPKCS11_OBJECT);
	setenv("IOTX509_PKCS11_PIN", PIN_WRONG, 1);
	CALL(iotx509_key_open(&k, "pkcs11:token=secrets;object=dev;type=private", &o), IOTX509_EPIN);
	setenv("IOTX509_PKCS11_PIN", PIN_RIGHT, 1);
	CALL(iotx509_key_open(&k, "pkcs11:token=secrets;object=dev;type=private", &o), 0);
	iotx509_key_free(k);
	unsetenv("IOTX509_PKCS11_PIN");
	/* The key password entry point with a URL: the "password" is the PIN. */
	CALL(iotx509_key_load(&k, "pkcs11:token=secrets;object=dev;type=private", PIN_WRONG), IOTX509_EPIN);

	material_free(&m);
	free(conf);
	free(tokens);
}

/* The command-line tool prints library messages: none may carry a secret. */
Test(secrets, cli_messages)
{
	char *tool = th_path(IOTX509_TEST_BUILDDIR, "src/iotx509"), *out = NULL;
	material m;
	char *key, *cert;

	if (access(tool, X_OK) != 0)
		cr_skip_test("%s is not built", tool);
	material_make(&m);
	cert = th_save_cert(dir, "root_cert.pem", m.root);
	key = th_path(dir, "root_key.pem");
	CALL(iotx509_key_save(m.root_key, key, RIGHT, NULL), 0);
	/* A wrong password must fail without the tool echoing it. */
	cr_assert_eq(th_run(&out, "'%s' inspect '%s' --password '%s'", tool, key, WRONG), 1, "%s", out);
	cr_assert(strstr(out, "wrong password") != NULL, "%s", out);
	scan_text("iotx509 inspect", out);
	free(out);
	cr_assert_eq(th_run(&out, "'%s' device dev-1 root --out-dir '%s' --ca-key-password '%s'", tool, dir, WRONG), 1,
		     "%s", out);
	scan_text("iotx509 device", out);
	free(out);
	free(key);
	free(cert);
	free(tool);
	material_free(&m);
}
