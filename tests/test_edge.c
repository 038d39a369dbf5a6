/*
 * IoT Edge provisioning configuration: the TOML is parsed back with a real
 * TOML parser (Python's tomllib), paths become absolute file:// URIs, and
 * every refusal has its code and message.
 */
#include "helpers.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 TH_FIXTURE_TIME

static void assert_msg_has(const char *needle)
{
	cr_assert(strstr(th_err(), needle) != NULL, "message '%s' lacks '%s'", th_err(), needle);
}

/* Parses @toml_path with tomllib and checks its values; the rest of argv
 * are the expected registration_id, id_scope, global_endpoint and the
 * paths the two URIs must decode to. */
static const char check_py[] =
	"import sys, tomllib, urllib.parse\n"
	"c = tomllib.load(open(sys.argv[1], 'rb'))\n"
	"p = c['provisioning']; a = p['attestation']\n"
	"assert set(c) == {'provisioning'}, c\n"
	"assert p['source'] == 'dps', p\n"
	"assert a['method'] == 'x509', a\n"
	"assert a['registration_id'] == sys.argv[2], (a['registration_id'], sys.argv[2])\n"
	"assert p['id_scope'] == sys.argv[3], p\n"
	"assert p['global_endpoint'] == sys.argv[4], p\n"
	"for key, want in (('identity_cert', sys.argv[5]), ('identity_pk', sys.argv[6])):\n"
	"    u = urllib.parse.urlparse(a[key])\n"
	"    assert u.scheme == 'file' and u.netloc == '', a[key]\n"
	"    assert urllib.parse.unquote(u.path) == want, (a[key], want)\n";

static void skip_without_python(void)
{
	if (th_run(NULL, "python3 -c 'import tomllib'") != 0)
		cr_skip_test("python3 with tomllib (Python 3.11+) is not installed");
}

typedef struct {
	char *dir, *cert, *key, *other_key, *script;
	iotx509_key *k, *rk;
	iotx509_cert *c, *root;
	iotx509_issuer *ri;
} kit;

static void kit_make(kit *t, const char *cn, iotx509_id_policy policy)
{
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_key *other = NULL;

	memset(t, 0, sizeof(*t));
	t->dir = th_tmpdir();
	th_make_root(&t->rk, &t->root, &t->ri, "Edge Root", T0);
	o.now = T0;
	o.id_policy = policy;
	cr_assert_eq(iotx509_key_generate(&t->k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_device(&t->c, t->ri, t->k, cn, &o), 0, "%s", th_err());
	t->cert = th_save_cert(t->dir, "edge_cert.pem", t->c);
	t->key = th_save_key(t->dir, "edge_key.pem", t->k);
	cr_assert_eq(iotx509_key_generate(&other, IOTX509_KEY_P256), 0);
	t->other_key = th_save_key(t->dir, "other_key.pem", other);
	iotx509_key_free(other);
	t->script = th_path(t->dir, "check.py");
	th_write(t->script, check_py, sizeof(check_py) - 1);
}

static void kit_free(kit *t)
{
	iotx509_cert_free(t->c);
	iotx509_cert_free(t->root);
	iotx509_key_free(t->k);
	iotx509_key_free(t->rk);
	iotx509_issuer_free(t->ri);
	th_rmrf(t->dir);
	free(t->dir);
	free(t->cert);
	free(t->key);
	free(t->other_key);
	free(t->script);
}

/* Write @toml next to the kit and run the checker; returns its status. */
static int parse_back(const kit *t, const iotx509_buf *toml, const char *regid, const char *scope,
		      const char *endpoint, const char *cert_abs, const char *key_abs, char **out)
{
	char *path = th_path(t->dir, "config.toml");
	int rc;

	cr_assert_eq(iotx509_file_write(path, toml->data, toml->size, IOTX509_WRITE_OVERWRITE), 0, "%s", th_err());
	rc = th_run(out, "python3 '%s' '%s' '%s' '%s' '%s' '%s' '%s'", t->script, path, regid, scope, endpoint,
		    cert_abs, key_abs);
	free(path);
	return rc;
}

Test(edge, config_parses_as_toml_with_the_defaults)
{
	kit t;
	iotx509_buf toml = IOTX509_BUF_INIT;
	char *out = NULL;

	skip_without_python();
	kit_make(&t, "edge-device-01", IOTX509_ID_POLICY_DPS);
	cr_assert_eq(iotx509_edge_config(&toml, t.cert, t.key, "0ne00000A0A", NULL), 0, "%s", th_err());
	cr_assert_eq(toml.data[toml.size - 1], '\n');
	cr_assert(strstr((const char *)toml.data, "[provisioning]\nsource = \"dps\"\n") != NULL, "%s", toml.data);
	cr_assert(strstr((const char *)toml.data, "\n[provisioning.attestation]\nmethod = \"x509\"\n") != NULL);
	cr_assert_eq(parse_back(&t, &toml, "edge-device-01", "0ne00000A0A", IOTX509_EDGE_GLOBAL_ENDPOINT, t.cert, t.key,
				&out),
		     0, "tomllib: %s\n%s", out, toml.data);
	free(out);
	iotx509_buf_dispose(&toml);
	kit_free(&t);
}

Test(edge, relative_paths_become_absolute_percent_encoded_uris)
{
	kit t;
	iotx509_edge_options o = IOTX509_EDGE_OPTIONS_INIT;
	iotx509_buf toml = IOTX509_BUF_INIT;
	char *spaced_dir, *cert_abs, *key_abs, *out = NULL;
	char cwd[4096];

	skip_without_python();
	kit_make(&t, "edge-device-02", IOTX509_ID_POLICY_DPS);
	spaced_dir = th_path(t.dir, "my certs");
	cr_assert_eq(th_run(NULL, "mkdir '%s' && cp '%s' '%s' '%s/'", spaced_dir, t.cert, t.key, spaced_dir), 0);
	cert_abs = th_path(spaced_dir, "edge_cert.pem");
	key_abs = th_path(spaced_dir, "edge_key.pem");
	cr_assert(getcwd(cwd, sizeof(cwd)) != NULL);
	cr_assert_eq(chdir(t.dir), 0);
	o.registration_id = "edge-device-02";
	o.global_endpoint = "https://global.example.net";
	cr_assert_eq(iotx509_edge_config(&toml, "./my certs//edge_cert.pem", "my certs/./edge_key.pem", "0ne0000FFFF", &o),
		     0, "%s", th_err());
	cr_assert_eq(chdir(cwd), 0);
	cr_assert(strstr((const char *)toml.data, "/my%20certs/edge_cert.pem\"") != NULL, "%s", toml.data);
	cr_assert(strstr((const char *)toml.data, "identity_cert = \"file:///") != NULL, "%s", toml.data);
	cr_assert_eq(parse_back(&t, &toml, "edge-device-02", "0ne0000FFFF", "https://global.example.net", cert_abs,
				key_abs, &out),
		     0, "tomllib: %s\n%s", out, toml.data);
	free(out);
	free(cert_abs);
	free(key_abs);
	free(spaced_dir);
	iotx509_buf_dispose(&toml);
	kit_free(&t);
}

Test(edge, values_are_escaped_for_toml)
{
	kit t;
	iotx509_edge_options o = IOTX509_EDGE_OPTIONS_INIT;
	iotx509_buf toml = IOTX509_BUF_INIT;
	char *out = NULL;

	skip_without_python();
	/* A CN that needs escaping in TOML (permitted by the permissive policy). */
	kit_make(&t, "dev\"q\\b", IOTX509_ID_POLICY_ANY);
	o.id_policy = IOTX509_ID_POLICY_ANY;
	cr_assert_eq(iotx509_edge_config(&toml, t.cert, t.key, "0ne00000A0A", &o), 0, "%s", th_err());
	cr_assert(strstr((const char *)toml.data, "registration_id = \"dev\\\"q\\\\b\"") != NULL, "%s", toml.data);
	cr_assert_eq(parse_back(&t, &toml, "dev\"q\\b", "0ne00000A0A", IOTX509_EDGE_GLOBAL_ENDPOINT, t.cert, t.key, &out),
		     0, "tomllib: %s\n%s", out, toml.data);
	free(out);
	iotx509_buf_dispose(&toml);
	kit_free(&t);
}

Test(edge, refuses_a_key_that_is_not_the_certificates)
{
	kit t;
	iotx509_buf toml = IOTX509_BUF_INIT;

	kit_make(&t, "edge-device-03", IOTX509_ID_POLICY_DPS);
	cr_assert_eq(iotx509_edge_config(&toml, t.cert, t.other_key, "0ne00000A0A", NULL), IOTX509_EKEYMISMATCH);
	assert_msg_has("other_key.pem is not the private key of");
	assert_msg_has("edge_cert.pem");
	assert_msg_has("'CN=edge-device-03'");
	cr_assert_null(toml.data, "nothing is returned on error");
	kit_free(&t);
}

Test(edge, refusals_have_codes_and_messages)
{
	kit t;
	iotx509_edge_options o = IOTX509_EDGE_OPTIONS_INIT;
	iotx509_buf toml = IOTX509_BUF_INIT;
	char *enc, *root_cert;

	kit_make(&t, "edge-device-04", IOTX509_ID_POLICY_DPS);
	o.registration_id = "edge-device-05";
	cr_assert_eq(iotx509_edge_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EDEVICEID);
	assert_msg_has("registration ID 'edge-device-05' is not the CN 'edge-device-04'");
	o.registration_id = "Edge Device";
	cr_assert_eq(iotx509_edge_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EDEVICEID);
	assert_msg_has("registration ID");
	o.registration_id = NULL;
	o.global_endpoint = "http://global.azure-devices-provisioning.net";
	cr_assert_eq(iotx509_edge_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EINVAL);
	assert_msg_has("is not an https:// URL");
	o.global_endpoint = "https://bad host";
	cr_assert_eq(iotx509_edge_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EINVAL);
	assert_msg_has("not allowed in a URL");
	o.global_endpoint = NULL;
	cr_assert_eq(iotx509_edge_config(&toml, t.cert, t.key, "0ne\"x", NULL), IOTX509_EINVAL);
	assert_msg_has("ID scope '0ne\"x'");
	cr_assert_eq(iotx509_edge_config(&toml, t.cert, t.key, "", NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_edge_config(&toml, t.cert, "pkcs11:token=edge;object=id", "0ne00000A0A", NULL),
		     IOTX509_EUNSUPPORTED);
	assert_msg_has("PKCS#11");
	cr_assert_eq(iotx509_edge_config(&toml, "/nonexistent/edge_cert.pem", t.key, "0ne00000A0A", NULL),
		     IOTX509_ENOTFOUND);
	assert_msg_has("/nonexistent/edge_cert.pem");
	/* An encrypted key: aziot-keyd cannot use it. */
	enc = th_path(t.dir, "enc_key.pem");
	cr_assert_eq(iotx509_key_save(t.k, enc, "secret-pw", 0), 0, "%s", th_err());
	cr_assert_eq(iotx509_edge_config(&toml, t.cert, enc, "0ne00000A0A", NULL), IOTX509_EPASSWORD);
	assert_msg_has("enc_key.pem: the private key is encrypted");
	cr_assert(strstr(th_err(), "secret-pw") == NULL);
	/* A CA certificate is no identity certificate. */
	root_cert = th_save_cert(t.dir, "root_cert.pem", t.root);
	cr_assert_eq(iotx509_edge_config(&toml, root_cert, t.key, "0ne00000A0A", NULL), IOTX509_EINVAL);
	assert_msg_has("'CN=Edge Root' is a CA certificate");
	cr_assert_eq(iotx509_edge_config(NULL, t.cert, t.key, "0ne00000A0A", NULL), IOTX509_EINVAL);
	o.version = 4;
	cr_assert_eq(iotx509_edge_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EINVAL);
	cr_assert_eq(iotx509_edge_options_init(&o, 4), IOTX509_EINVAL);
	cr_assert_eq(iotx509_edge_options_init(&o, IOTX509_EDGE_OPTIONS_VERSION), 0);
	cr_assert_null(o.global_endpoint);
	cr_assert_null(toml.data);
	free(enc);
	free(root_cert);
	kit_free(&t);
}

Test(edge, foreign_certgen_device)
{
	iotx509_buf toml = IOTX509_BUF_INIT;
	char *dir = th_tmpdir(), *script, *path, *out = NULL;

	skip_without_python();
	cr_assert_eq(iotx509_edge_config(&toml, th_fixture("certgen_sh/new-device.cert.pem"),
					 th_fixture("certgen_sh/new-device.key.pem"), "0ne00000A0A", NULL),
		     0, "%s", th_err());
	script = th_path(dir, "check.py");
	path = th_path(dir, "config.toml");
	th_write(script, check_py, sizeof(check_py) - 1);
	th_write(path, toml.data, toml.size);
	cr_assert_eq(th_run(&out, "python3 '%s' '%s' mydevice2 0ne00000A0A '%s' '%s' '%s'", script, path,
			    IOTX509_EDGE_GLOBAL_ENDPOINT, th_fixture("certgen_sh/new-device.cert.pem"),
			    th_fixture("certgen_sh/new-device.key.pem")),
		     0, "tomllib: %s\n%s", out, toml.data);
	free(out);
	free(script);
	free(path);
	iotx509_buf_dispose(&toml);
	th_rmrf(dir);
	free(dir);
}
