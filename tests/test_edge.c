/*
 * IoT Edge provisioning configuration: every form (DPS and manual, with
 * and without [edge_ca] and trust_bundle_cert) is parsed back with a real
 * TOML parser (Python's tomllib) and compared with the whole expected
 * document; files get their paths on the device; the staged copies are
 * exactly the device's files; every refusal has its code and message.
 */
#include "helpers.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define T0 TH_FIXTURE_TIME
#define DPS_ENDPOINT IOTX509_EDGE_GLOBAL_ENDPOINT

static void assert_msg_has(const char *needle)
{
	cr_assert(strstr(th_err(), needle) != NULL, "message '%s' lacks '%s'", th_err(), needle);
}

/*
 * check.py CONFIG EXPECTED [decode]: CONFIG parses with tomllib and equals
 * the JSON document in EXPECTED exactly (every table and key); with
 * "decode", file:// URIs are compared by the path they decode to.
 */
static const char check_py[] =
	"import json, sys, tomllib, urllib.parse\n"
	"c = tomllib.load(open(sys.argv[1], 'rb'))\n"
	"want = json.load(open(sys.argv[2]))\n"
	"def dec(v):\n"
	"    if isinstance(v, dict):\n"
	"        return {k: dec(x) for k, x in v.items()}\n"
	"    if isinstance(v, str) and v.startswith('file:'):\n"
	"        u = urllib.parse.urlparse(v)\n"
	"        assert u.scheme == 'file' and u.netloc == '', v\n"
	"        return urllib.parse.unquote(u.path)\n"
	"    return v\n"
	"if len(sys.argv) > 3:\n"
	"    c = dec(c)\n"
	"assert c == want, (c, want)\n";

static void skip_without_python(void)
{
	if (th_run(NULL, "python3 -c 'import tomllib'") != 0)
		cr_skip_test("python3 with tomllib (Python 3.11+) is not installed");
}

typedef struct {
	char *dir, *cert, *key, *other_key, *script;
	char *root_cert, *ca_full, *ca_key; /* the root, and an edge CA under it */
	iotx509_key *k, *rk, *cak;
	iotx509_cert *c, *root, *ca;
	iotx509_issuer *ri;
} kit;

static void kit_make(kit *t, const char *cn, iotx509_id_policy policy)
{
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_key *other = NULL;
	iotx509_certlist *full;

	memset(t, 0, sizeof(*t));
	t->dir = th_tmpdir();
	th_make_root(&t->rk, &t->root, &t->ri, "Edge Root", T0);
	o.at = T0;
	o.id_policy = policy;
	cr_assert_eq(iotx509_key_generate(&t->k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_device(&t->c, t->ri, t->k, cn, &o), 0, "%s", th_err());
	t->cert = th_save_cert(t->dir, "edge_cert.pem", t->c);
	t->key = th_save_key(t->dir, "edge_key.pem", t->k);
	cr_assert_eq(iotx509_key_generate(&other, IOTX509_KEY_P256), 0);
	t->other_key = th_save_key(t->dir, "other_key.pem", other);
	iotx509_key_free(other);
	t->root_cert = th_save_cert(t->dir, "root_cert.pem", t->root);
	cr_assert_eq(iotx509_key_generate(&t->cak, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_edge_ca(&t->ca, t->ri, t->cak, "Edge CA", &o), 0, "%s", th_err());
	full = th_certlist(t->ca, t->root, NULL);
	t->ca_full = th_path(t->dir, "edgeca_fullchain.pem");
	cr_assert_eq(iotx509_certlist_save(full, t->ca_full, NULL), 0, "%s", th_err());
	iotx509_certlist_free(full);
	t->ca_key = th_save_key(t->dir, "edgeca_key.pem", t->cak);
	t->script = th_path(t->dir, "check.py");
	th_write(t->script, check_py, sizeof(check_py) - 1);
}

static void kit_free(kit *t)
{
	iotx509_cert_free(t->c);
	iotx509_cert_free(t->root);
	iotx509_cert_free(t->ca);
	iotx509_key_free(t->k);
	iotx509_key_free(t->rk);
	iotx509_key_free(t->cak);
	iotx509_issuer_free(t->ri);
	th_rmrf(t->dir);
	free(t->dir);
	free(t->cert);
	free(t->key);
	free(t->other_key);
	free(t->script);
	free(t->root_cert);
	free(t->ca_full);
	free(t->ca_key);
}

/* Write @toml and @expected_json beside the kit and run the checker; returns its status. */
static int parse_back(const kit *t, const iotx509_buf *toml, const char *expected_json, int decode, char **out)
{
	char *path = th_path(t->dir, "config.toml"), *want = th_path(t->dir, "expected.json");
	int rc;

	cr_assert_eq(iotx509_file_write(path, toml->data, toml->size, WRITE_OPTS(IOTX509_WRITE_OVERWRITE)), 0, "%s", th_err());
	cr_assert_eq(iotx509_file_write(want, (const unsigned char *)expected_json, strlen(expected_json),
					WRITE_OPTS(IOTX509_WRITE_OVERWRITE)),
		     0);
	rc = th_run(out, "python3 '%s' '%s' '%s'%s", t->script, path, want, decode ? " decode" : "");
	free(path);
	free(want);
	return rc;
}

static int has(const iotx509_buf *b, const char *needle)
{
	return strstr((const char *)b->data, needle) != NULL;
}

/* The expected document of DPS with scope 0ne00000A0A and the default endpoint
 * (@regid as JSON string text, already escaped). */
static const char *dps_doc(char *buf, size_t size, const char *regid, const char *cert_uri, const char *key_uri)
{
	snprintf(buf, size,
		 "{\"provisioning\": {\"source\": \"dps\", \"global_endpoint\": \"" DPS_ENDPOINT "\","
		 " \"id_scope\": \"0ne00000A0A\", \"attestation\": {\"method\": \"x509\", \"registration_id\": \"%s\","
		 " \"identity_cert\": \"%s\", \"identity_pk\": \"%s\"}}}",
		 regid, cert_uri, key_uri);
	return buf;
}

Test(edge, dps_config_names_the_documented_device_paths)
{
	kit t;
	iotx509_buf toml = IOTX509_BUF_INIT;
	char *out = NULL, want[1024];

	skip_without_python();
	kit_make(&t, "edge-device-01", IOTX509_ID_POLICY_DPS);
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne00000A0A", NULL), 0, "%s", th_err());
	cr_assert_eq(toml.data[toml.size - 1], '\n');
	cr_assert(has(&toml, "[provisioning]\nsource = \"dps\"\n"), "%s", toml.data);
	cr_assert(has(&toml, "\n[provisioning.attestation]\nmethod = \"x509\"\n"), "%s", toml.data);
	/* The comments say what goes where. */
	cr_assert(has(&toml, "\n#   "), "%s", toml.data);
	cr_assert(has(&toml, "/edge_cert.pem -> /var/aziot/certs/edge_cert.pem\n"), "%s", toml.data);
	cr_assert(has(&toml, "/edge_key.pem -> /var/aziot/secrets/edge_key.pem\n"), "%s", toml.data);
	cr_assert_eq(parse_back(&t, &toml,
				dps_doc(want, sizeof(want), "edge-device-01", "file:///var/aziot/certs/edge_cert.pem",
					"file:///var/aziot/secrets/edge_key.pem"),
				0, &out),
		     0, "tomllib: %s\n%s", out, toml.data);
	free(out);
	iotx509_buf_dispose(&toml);
	kit_free(&t);
}

/* Every form: DPS or manual, with or without the edge CA and the trust bundle. */
Test(edge, every_form_parses_with_aziots_sections_and_fields)
{
	kit t;
	int form;

	skip_without_python();
	kit_make(&t, "edge-device-02", IOTX509_ID_POLICY_DPS);
	for (form = 0; form < 8; form++) {
		iotx509_edge_options o = IOTX509_EDGE_OPTIONS_INIT;
		iotx509_buf toml = IOTX509_BUF_INIT;
		int manual = form & 1, with_ca = form & 2, with_bundle = form & 4;
		char want[4096], *out = NULL;
		const char *first_table;

		o.device_cert_dir = "/etc/edge/certs/"; /* the trailing slash is dropped */
		o.device_key_dir = "/etc/edge/private";
		if (manual)
			o.iothub_hostname = "myhub.azure-devices.net";
		if (with_ca) {
			o.edge_ca_cert = t.ca_full;
			o.edge_ca_key = t.ca_key;
		}
		if (with_bundle)
			o.trust_bundle = t.root_cert;
		cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, manual ? NULL : "0ne0000FFFF", &o), 0,
			     "form %d: %s", form, th_err());
		snprintf(want, sizeof(want),
			 "{%s\"provisioning\": {%s, \"%s\": {\"method\": \"x509\", %s"
			 "\"identity_cert\": \"file:///etc/edge/certs/edge_cert.pem\","
			 " \"identity_pk\": \"file:///etc/edge/private/edge_key.pem\"}}%s}",
			 with_bundle ? "\"trust_bundle_cert\": \"file:///etc/edge/certs/root_cert.pem\", " : "",
			 manual ? "\"source\": \"manual\", \"iothub_hostname\": \"myhub.azure-devices.net\","
				  " \"device_id\": \"edge-device-02\""
				: "\"source\": \"dps\", \"global_endpoint\": \"" DPS_ENDPOINT "\", \"id_scope\": \"0ne0000FFFF\"",
			 manual ? "authentication" : "attestation", manual ? "" : "\"registration_id\": \"edge-device-02\", ",
			 with_ca ? ", \"edge_ca\": {\"cert\": \"file:///etc/edge/certs/edgeca_fullchain.pem\","
				   " \"pk\": \"file:///etc/edge/private/edgeca_key.pem\"}"
				 : "");
		cr_assert_eq(parse_back(&t, &toml, want, 0, &out), 0, "form %d: tomllib: %s\n%s", form, out, toml.data);
		/* The top-level key comes before every table, as aziot needs. */
		first_table = strstr((const char *)toml.data, "\n[");
		if (with_bundle)
			cr_assert(strstr((const char *)toml.data, "trust_bundle_cert") < first_table, "%s", toml.data);
		free(out);
		iotx509_buf_dispose(&toml);
	}
	kit_free(&t);
}

Test(edge, local_paths_are_absolute_percent_encoded_uris)
{
	kit t;
	iotx509_edge_options o = IOTX509_EDGE_OPTIONS_INIT;
	iotx509_buf toml = IOTX509_BUF_INIT;
	char *spaced_dir, *cert_abs, *key_abs, *out = NULL, want[8192];
	char cwd[4096];

	skip_without_python();
	kit_make(&t, "edge-device-03", IOTX509_ID_POLICY_DPS);
	spaced_dir = th_path(t.dir, "my certs");
	cr_assert_eq(th_run(NULL, "mkdir '%s' && cp '%s' '%s' '%s/'", spaced_dir, t.cert, t.key, spaced_dir), 0);
	cert_abs = th_path(spaced_dir, "edge_cert.pem");
	key_abs = th_path(spaced_dir, "edge_key.pem");
	cr_assert(getcwd(cwd, sizeof(cwd)) != NULL);
	cr_assert_eq(chdir(t.dir), 0);
	o.registration_id = "edge-device-03";
	o.global_endpoint = "https://global.example.net";
	o.flags = IOTX509_EDGE_LOCAL_PATHS;
	cr_assert_eq(iotx509_edge_export_config(&toml, "./my certs//edge_cert.pem", "my certs/./edge_key.pem", "0ne0000FFFF", &o),
		     0, "%s", th_err());
	cr_assert_eq(chdir(cwd), 0);
	cr_assert(has(&toml, "/my%20certs/edge_cert.pem\""), "%s", toml.data);
	cr_assert(has(&toml, "identity_cert = \"file:///"), "%s", toml.data);
	snprintf(want, sizeof(want),
		 "{\"provisioning\": {\"source\": \"dps\", \"global_endpoint\": \"https://global.example.net\","
		 " \"id_scope\": \"0ne0000FFFF\", \"attestation\": {\"method\": \"x509\","
		 " \"registration_id\": \"edge-device-03\", \"identity_cert\": \"%s\", \"identity_pk\": \"%s\"}}}",
		 cert_abs, key_abs);
	cr_assert_eq(parse_back(&t, &toml, want, 1, &out), 0, "tomllib: %s\n%s", out, toml.data);
	free(out);
	free(cert_abs);
	free(key_abs);
	free(spaced_dir);
	iotx509_buf_dispose(&toml);
	kit_free(&t);
}

Test(edge, values_and_comments_are_escaped_for_toml)
{
	kit t;
	iotx509_edge_options o = IOTX509_EDGE_OPTIONS_INIT;
	iotx509_buf toml = IOTX509_BUF_INIT;
	char *odd_cert, *out = NULL, want[1024];

	skip_without_python();
	/* A CN that needs escaping in TOML (permitted by the permissive policy). */
	kit_make(&t, "dev\"q\\b", IOTX509_ID_POLICY_ANY);
	/* A file name with a newline and a byte that is not UTF-8: it appears in a comment. */
	odd_cert = th_path(t.dir, "ed\nge\xff_cert.pem");
	cr_assert_eq(th_run(NULL, "cp '%s' '%s'", t.cert, odd_cert), 0);
	o.id_policy = IOTX509_ID_POLICY_ANY;
	cr_assert_eq(iotx509_edge_export_config(&toml, odd_cert, t.key, "0ne00000A0A", &o), 0, "%s", th_err());
	cr_assert(has(&toml, "registration_id = \"dev\\\"q\\\\b\""), "%s", toml.data);
	cr_assert(has(&toml, "ed\\x0Age\\xFF_cert.pem -> /var/aziot/certs/ed\\x0Age\\xFF_cert.pem\n"), "%s", toml.data);
	cr_assert_eq(parse_back(&t, &toml,
				dps_doc(want, sizeof(want), "dev\\\"q\\\\b", "file:///var/aziot/certs/ed%0Age%FF_cert.pem",
					"file:///var/aziot/secrets/edge_key.pem"),
				0, &out),
		     0, "tomllib: %s\n%s", out, toml.data);
	free(out);
	free(odd_cert);
	iotx509_buf_dispose(&toml);
	kit_free(&t);
}

Test(edge, device_path_of_each_role)
{
	iotx509_edge_options o = IOTX509_EDGE_OPTIONS_INIT;
	iotx509_buf b = IOTX509_BUF_INIT;
	char cwd[4096], want[4200];

	cr_assert_eq(iotx509_edge_device_path(&b, "certs/dev_fullchain.pem", IOTX509_EDGE_IDENTITY_CERT, NULL), 0);
	cr_assert_str_eq((const char *)b.data, "/var/aziot/certs/dev_fullchain.pem");
	iotx509_buf_dispose(&b);
	cr_assert_eq(iotx509_edge_device_path(&b, "dev_key.pem", IOTX509_EDGE_IDENTITY_PK, NULL), 0);
	{
		iotx509_edge_options v = IOTX509_EDGE_OPTIONS_INIT;
		iotx509_buf none = IOTX509_BUF_INIT;

		v.version = IOTX509_EDGE_OPTIONS_VERSION + 1;
		th_version_refused_named(iotx509_edge_device_path(&none, "dev_key.pem", IOTX509_EDGE_IDENTITY_PK, &v),
					 IOTX509_EDGE_OPTIONS_VERSION + 1, "edge options");
		cr_assert_null(none.data);
	}
	cr_assert_str_eq((const char *)b.data, "/var/aziot/secrets/dev_key.pem");
	iotx509_buf_dispose(&b);
	cr_assert_eq(iotx509_edge_device_path(&b, "/x/ca_key.pem", IOTX509_EDGE_CA_PK, NULL), 0);
	cr_assert_str_eq((const char *)b.data, "/var/aziot/secrets/ca_key.pem");
	iotx509_buf_dispose(&b);
	o.device_cert_dir = "/";
	cr_assert_eq(iotx509_edge_device_path(&b, "root.pem", IOTX509_EDGE_TRUST_BUNDLE, &o), 0);
	cr_assert_str_eq((const char *)b.data, "/root.pem");
	iotx509_buf_dispose(&b);
	o.flags = IOTX509_EDGE_LOCAL_PATHS;
	cr_assert(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(want, sizeof(want), "%s/a/b.pem", cwd);
	cr_assert_eq(iotx509_edge_device_path(&b, "a/b.pem", IOTX509_EDGE_CA_CERT, &o), 0);
	cr_assert_str_eq((const char *)b.data, want);
	iotx509_buf_dispose(&b);
	/* Refusals. */
	o.flags = 0;
	o.device_key_dir = "var/aziot/secrets";
	cr_assert_eq(iotx509_edge_device_path(&b, "k.pem", IOTX509_EDGE_IDENTITY_PK, &o), IOTX509_EINVAL);
	assert_msg_has("device key directory 'var/aziot/secrets' is not an absolute path");
	o.device_key_dir = "/var/\x01";
	cr_assert_eq(iotx509_edge_device_path(&b, "k.pem", IOTX509_EDGE_IDENTITY_PK, &o), IOTX509_EINVAL);
	assert_msg_has("control character");
	cr_assert_eq(iotx509_edge_device_path(&b, "certs/", IOTX509_EDGE_IDENTITY_CERT, NULL), IOTX509_EINVAL);
	assert_msg_has("identity certificate 'certs/' does not name a file");
	cr_assert_eq(iotx509_edge_device_path(&b, "x.pem", (iotx509_edge_file)9, NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_edge_device_path(NULL, "x.pem", IOTX509_EDGE_IDENTITY_CERT, NULL), IOTX509_EINVAL);
	cr_assert_null(b.data);
}

Test(edge, refuses_a_key_that_is_not_the_certificates)
{
	kit t;
	iotx509_buf toml = IOTX509_BUF_INIT;

	kit_make(&t, "edge-device-04", IOTX509_ID_POLICY_DPS);
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.other_key, "0ne00000A0A", NULL), IOTX509_EKEYMISMATCH);
	assert_msg_has("other_key.pem is not the private key of");
	assert_msg_has("edge_cert.pem");
	assert_msg_has("'CN=edge-device-04'");
	cr_assert_null(toml.data, "nothing is returned on error");
	kit_free(&t);
}

Test(edge, refusals_have_codes_and_messages)
{
	kit t;
	iotx509_edge_options o = IOTX509_EDGE_OPTIONS_INIT;
	iotx509_buf toml = IOTX509_BUF_INIT;
	char *enc;

	kit_make(&t, "edge-device-05", IOTX509_ID_POLICY_DPS);
	o.registration_id = "edge-device-06";
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EDEVICEID);
	assert_msg_has("registration ID 'edge-device-06' is not the CN 'edge-device-05'");
	assert_msg_has("DPS refuses");
	o.registration_id = "Edge Device";
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EDEVICEID);
	assert_msg_has("registration ID");
	o.registration_id = NULL;
	o.global_endpoint = "http://global.azure-devices-provisioning.net";
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EINVAL);
	assert_msg_has("is not an https:// URL");
	o.global_endpoint = "https://bad host";
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EINVAL);
	assert_msg_has("not allowed in a URL");
	o.global_endpoint = NULL;
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne\"x", NULL), IOTX509_EINVAL);
	assert_msg_has("ID scope '0ne\"x'");
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "", NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, "pkcs11:token=edge;object=id", "0ne00000A0A", NULL),
		     IOTX509_EUNSUPPORTED);
	assert_msg_has("PKCS#11");
	cr_assert_eq(iotx509_edge_export_config(&toml, "/nonexistent/edge_cert.pem", t.key, "0ne00000A0A", NULL),
		     IOTX509_ENOTFOUND);
	assert_msg_has("/nonexistent/edge_cert.pem");
	/* An encrypted key: aziot-keyd cannot use it. */
	enc = th_path(t.dir, "enc_key.pem");
	cr_assert_eq(iotx509_key_save(t.k, enc, "secret-pw", NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, enc, "0ne00000A0A", NULL), IOTX509_EPASSWORD);
	assert_msg_has("enc_key.pem: the private key is encrypted");
	cr_assert(strstr(th_err(), "secret-pw") == NULL);
	/* A CA certificate is no identity certificate. */
	cr_assert_eq(iotx509_edge_export_config(&toml, t.root_cert, t.key, "0ne00000A0A", NULL), IOTX509_EINVAL);
	assert_msg_has("'CN=Edge Root' is a CA certificate");
	cr_assert_eq(iotx509_edge_export_config(NULL, t.cert, t.key, "0ne00000A0A", NULL), IOTX509_EINVAL);
	o.version = 4;
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EINVAL);
	cr_assert_eq(iotx509_edge_options_init(&o, 4), IOTX509_EINVAL);
	cr_assert_eq(iotx509_edge_options_init(&o, IOTX509_EDGE_OPTIONS_VERSION), 0);
	cr_assert_null(o.global_endpoint);
	o.flags = 1u << 7;
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EINVAL);
	assert_msg_has("unknown flags");
	cr_assert_null(toml.data);
	free(enc);
	kit_free(&t);
}

Test(edge, manual_provisioning_refusals)
{
	kit t;
	iotx509_edge_options o = IOTX509_EDGE_OPTIONS_INIT;
	iotx509_buf toml = IOTX509_BUF_INIT;

	kit_make(&t, "edge-device-07", IOTX509_ID_POLICY_DPS);
	/* Neither, or both, of DPS and manual. */
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, NULL, NULL), IOTX509_EINVAL);
	assert_msg_has("give an ID scope (DPS provisioning) or an IoT hub host name (manual provisioning)");
	o.iothub_hostname = "myhub.azure-devices.net";
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EINVAL);
	assert_msg_has("not both");
	/* DPS settings do not mix with manual provisioning, nor the other way round. */
	o.registration_id = "edge-device-07";
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, NULL, &o), IOTX509_EINVAL);
	assert_msg_has("DPS settings");
	o.registration_id = NULL;
	o.device_id = "edge-device-08";
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, NULL, &o), IOTX509_EDEVICEID);
	assert_msg_has("device ID 'edge-device-08' is not the CN 'edge-device-07'");
	assert_msg_has("IoT Hub refuses");
	o.iothub_hostname = NULL;
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EINVAL);
	assert_msg_has("a device ID is a manual provisioning setting");
	o.device_id = NULL;
	/* Host names, not URLs. */
	o.iothub_hostname = "https://myhub.azure-devices.net";
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, NULL, &o), IOTX509_EINVAL);
	assert_msg_has("give the host name only");
	o.iothub_hostname = "my_hub.azure-devices.net";
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, NULL, &o), IOTX509_EINVAL);
	assert_msg_has("character 0x5f is not allowed");
	o.iothub_hostname = "myhub..azure-devices.net";
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, NULL, &o), IOTX509_EINVAL);
	assert_msg_has("is not a valid DNS name");
	o.iothub_hostname = "-myhub.azure-devices.net";
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, NULL, &o), IOTX509_EINVAL);
	o.iothub_hostname = "";
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, NULL, &o), IOTX509_EINVAL);
	o.iothub_hostname = "myhub.azure-devices.net";
	o.device_id = "edge-device-07";
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, NULL, &o), 0, "%s", th_err());
	cr_assert(has(&toml, "device_id = \"edge-device-07\"\n"), "%s", toml.data);
	iotx509_buf_dispose(&toml);
	kit_free(&t);
}

Test(edge, edge_ca_and_trust_bundle_refusals)
{
	kit t;
	iotx509_edge_options o = IOTX509_EDGE_OPTIONS_INIT;
	iotx509_buf toml = IOTX509_BUF_INIT, pem = IOTX509_BUF_INIT;
	char *der, *dup_dir, *dup;

	kit_make(&t, "edge-device-09", IOTX509_ID_POLICY_DPS);
	o.edge_ca_cert = t.ca_full;
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EINVAL);
	assert_msg_has("edge CA: give its certificate and its private key");
	/* A device certificate is no edge CA. */
	o.edge_ca_cert = t.cert;
	o.edge_ca_key = t.key;
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EINVAL);
	assert_msg_has("'CN=edge-device-09' is not a CA certificate");
	assert_msg_has("iotx509 edge-ca");
	o.edge_ca_cert = t.ca_full;
	o.edge_ca_key = t.key;
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EKEYMISMATCH);
	assert_msg_has("edge_key.pem is not the private key of");
	assert_msg_has("edgeca_fullchain.pem");
	o.edge_ca_key = t.ca_key;
	/* A trust bundle holds CA certificates only. */
	o.trust_bundle = t.cert;
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EINVAL);
	assert_msg_has("'CN=edge-device-09' is not a CA certificate; the trust bundle");
	o.trust_bundle = t.other_key;
	cr_assert_neq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne00000A0A", &o), 0);
	/* IoT Edge reads PEM only. */
	o.trust_bundle = NULL;
	der = th_path(t.dir, "edge_cert.der");
	cr_assert_eq(iotx509_cert_export_der(&pem, t.c), 0);
	th_write(der, pem.data, pem.size);
	iotx509_buf_dispose(&pem);
	cr_assert_eq(iotx509_edge_export_config(&toml, der, t.key, "0ne00000A0A", &o), IOTX509_EINVAL);
	assert_msg_has("edge_cert.der: the identity certificate is not PEM");
	/* Two files that would land on the same path on the device. */
	dup_dir = th_path(t.dir, "other");
	cr_assert_eq(mkdir(dup_dir, 0755), 0);
	dup = th_path(dup_dir, "edge_cert.pem");
	cr_assert_eq(th_run(NULL, "cp '%s' '%s'", t.root_cert, dup), 0);
	o.trust_bundle = dup;
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EINVAL);
	assert_msg_has("would both be /var/aziot/certs/edge_cert.pem on the device");
	/* ...which separate device directories do not help: both are certificates. */
	o.device_key_dir = "/keys";
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EINVAL);
	o.device_cert_dir = "relative/certs";
	o.trust_bundle = NULL;
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne00000A0A", &o), IOTX509_EINVAL);
	assert_msg_has("is not an absolute path");
	cr_assert_null(toml.data);
	free(der);
	free(dup);
	free(dup_dir);
	kit_free(&t);
}

/* The staged copy: exactly the files the configuration names, at the device paths under DIR. */
Test(edge, stage_copies_exactly_the_device_files)
{
	kit t;
	iotx509_edge_options o = IOTX509_EDGE_OPTIONS_INIT;
	iotx509_fileset *set = NULL;
	const char *names[5] = { "var/aziot/certs/edge_cert.pem", "var/aziot/secrets/edge_key.pem",
				 "var/aziot/certs/edgeca_fullchain.pem", "var/aziot/secrets/edgeca_key.pem",
				 "var/aziot/certs/root_cert.pem" };
	const char *sources[5];
	const int modes[5] = { 0644, 0600, 0644, 0600, 0644 };
	char *dir, *listing = NULL;
	int i;

	kit_make(&t, "edge-device-10", IOTX509_ID_POLICY_DPS);
	sources[0] = t.cert;
	sources[1] = t.key;
	sources[2] = t.ca_full;
	sources[3] = t.ca_key;
	sources[4] = t.root_cert;
	o.edge_ca_cert = t.ca_full;
	o.edge_ca_key = t.ca_key;
	o.trust_bundle = t.root_cert;
	dir = th_path(t.dir, "to-device/");
	cr_assert_eq(iotx509_fileset_new(&set), 0);
	cr_assert_eq(iotx509_edge_stage(set, dir, t.cert, t.key, &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_fileset_count(set), 5);
	cr_assert_eq(iotx509_fileset_commit(set, NULL), 0, "%s", th_err());
	for (i = 0; i < 5; i++) {
		char *p = th_path(t.dir, "to-device"), *f = th_path(p, names[i]);
		char *a, *b;
		size_t na, nb;
		struct stat st;

		cr_assert_str_eq(iotx509_fileset_get_path(set, (size_t)i), f);
		cr_assert_eq(stat(f, &st), 0, "%s is missing", f);
		cr_assert_eq(st.st_mode & 0777, (unsigned int)modes[i], "%s: mode %o", f, st.st_mode & 0777);
		a = th_slurp(f, &na);
		b = th_slurp(sources[i], &nb);
		cr_assert(na == nb && memcmp(a, b, na) == 0, "%s differs from %s", f, sources[i]);
		free(a);
		free(b);
		free(f);
		free(p);
	}
	/* Nothing else. */
	cr_assert_eq(th_run(&listing, "cd '%s' && find . -type f | wc -l", dir), 0);
	cr_assert_eq(atoi(listing), 5, "%s", listing);
	free(listing);
	iotx509_fileset_free(set);
	/* Never over existing files unless asked. */
	cr_assert_eq(iotx509_fileset_new(&set), 0);
	cr_assert_eq(iotx509_edge_stage(set, dir, t.cert, t.key, &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_fileset_commit(set, NULL), IOTX509_EEXISTS);
	iotx509_fileset_free(set);
	cr_assert_eq(iotx509_fileset_new(&set), 0);
	cr_assert_eq(iotx509_edge_stage(set, dir, t.cert, t.key, &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_fileset_commit(set, WRITE_OPTS(IOTX509_WRITE_OVERWRITE)), 0, "%s", th_err());
	iotx509_fileset_free(set);
	/* The checks of the configuration apply: nothing is staged for a refused one. */
	cr_assert_eq(iotx509_fileset_new(&set), 0);
	cr_assert_eq(iotx509_edge_stage(set, dir, t.cert, t.other_key, &o), IOTX509_EKEYMISMATCH);
	cr_assert_eq(iotx509_fileset_count(set), 0);
	cr_assert_eq(iotx509_edge_stage(set, "", t.cert, t.key, &o), IOTX509_EINVAL);
	cr_assert_eq(iotx509_edge_stage(NULL, dir, t.cert, t.key, &o), IOTX509_EINVAL);
	iotx509_fileset_free(set);
	free(dir);
	kit_free(&t);
}

Test(edge, stage_reports_a_directory_it_cannot_create)
{
	kit t;
	iotx509_fileset *set = NULL;
	char *blocker;

	kit_make(&t, "edge-device-11", IOTX509_ID_POLICY_DPS);
	/* A file where a directory must go. */
	blocker = th_path(t.dir, "blocked");
	th_write(blocker, "x", 1);
	cr_assert_eq(iotx509_fileset_new(&set), 0);
	cr_assert_eq(iotx509_edge_stage(set, blocker, t.cert, t.key, NULL), IOTX509_EIO);
	assert_msg_has("cannot create the directory");
	assert_msg_has("blocked is not a directory");
	iotx509_fileset_free(set);
	free(blocker);
	kit_free(&t);
}

Test(edge, foreign_certgen_device)
{
	iotx509_buf toml = IOTX509_BUF_INIT;
	char *dir = th_tmpdir(), *script, *path, *want, *out = NULL, expected[1024];

	skip_without_python();
	cr_assert_eq(iotx509_edge_export_config(&toml, th_fixture("certgen_sh/new-device.cert.pem"),
					 th_fixture("certgen_sh/new-device.key.pem"), "0ne00000A0A", NULL),
		     0, "%s", th_err());
	script = th_path(dir, "check.py");
	path = th_path(dir, "config.toml");
	want = th_path(dir, "expected.json");
	th_write(script, check_py, sizeof(check_py) - 1);
	th_write(path, toml.data, toml.size);
	dps_doc(expected, sizeof(expected), "mydevice2", "file:///var/aziot/certs/new-device.cert.pem",
		"file:///var/aziot/secrets/new-device.key.pem");
	th_write(want, expected, strlen(expected));
	cr_assert_eq(th_run(&out, "python3 '%s' '%s' '%s'", script, path, want), 0, "tomllib: %s\n%s", out, toml.data);
	free(out);
	free(script);
	free(path);
	free(want);
	iotx509_buf_dispose(&toml);
	th_rmrf(dir);
	free(dir);
}

Test(edge, zero_filled_options_are_the_defaults)
{
	kit t;
	iotx509_edge_options z, init = IOTX509_EDGE_OPTIONS_INIT;
	iotx509_buf a = IOTX509_BUF_INIT, b = IOTX509_BUF_INIT, c = IOTX509_BUF_INIT;

	kit_make(&t, "edge-device-04", IOTX509_ID_POLICY_DPS);
	TH_ZERO_OPTIONS(z, IOTX509_EDGE_OPTIONS_VERSION);
	cr_assert_eq(iotx509_edge_export_config(&a, t.cert, t.key, "0ne0000FFFF", &z), 0, "%s", th_err());
	cr_assert_eq(iotx509_edge_export_config(&b, t.cert, t.key, "0ne0000FFFF", &init), 0, "%s", th_err());
	cr_assert_eq(iotx509_edge_export_config(&c, t.cert, t.key, "0ne0000FFFF", NULL), 0, "%s", th_err());
	cr_assert_str_eq((const char *)a.data, (const char *)b.data);
	cr_assert_str_eq((const char *)a.data, (const char *)c.data);
	TH_CHECK_OPTIONS_INIT(iotx509_edge_options, iotx509_edge_options_init, IOTX509_EDGE_OPTIONS_VERSION, "edge options",
			      IOTX509_EDGE_OPTIONS_INIT);
	iotx509_buf_dispose(&a);
	iotx509_buf_dispose(&b);
	iotx509_buf_dispose(&c);
	kit_free(&t);
}

Test(edge, options_versions_1_to_current)
{
	kit t;
	iotx509_edge_options o = IOTX509_EDGE_OPTIONS_INIT;
	iotx509_buf toml = IOTX509_BUF_INIT;

	kit_make(&t, "edge-device-05", IOTX509_ID_POLICY_DPS);
	o.version = 1;
	cr_assert_eq(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne0000FFFF", &o), 0, "%s", th_err());
	iotx509_buf_dispose(&toml);
	o.version = 0;
	th_version_refused(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne0000FFFF", &o), 0);
	o.version = IOTX509_EDGE_OPTIONS_VERSION + 1;
	th_version_refused(iotx509_edge_export_config(&toml, t.cert, t.key, "0ne0000FFFF", &o), IOTX509_EDGE_OPTIONS_VERSION + 1);
	cr_assert_null(toml.data);
	kit_free(&t);
}
