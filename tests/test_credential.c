#define _GNU_SOURCE /* asprintf */
/*
 * Credentials: key + certificate + chain, and the NAME_cert.pem,
 * NAME_key.pem, NAME_fullchain.pem, NAME.pfx files.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

static char *dir;
static iotx509_key *root_key, *int_key, *dev_key;
static iotx509_cert *root, *inter, *dev;

/* root -> intermediate -> device, issued at the fixtures' time. */
static void setup(void)
{
	iotx509_issuer *ri = NULL, *ii = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;

	dir = th_tmpdir();
	o.at = TH_FIXTURE_TIME;
	th_make_root(&root_key, &root, &ri, "cred-root", TH_FIXTURE_TIME);
	cr_assert_eq(iotx509_key_generate(&int_key, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_intermediate(&inter, ri, int_key, "cred-int", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issuer_new(&ii, inter, int_key), 0, "%s", th_err());
	cr_assert_eq(iotx509_key_generate(&dev_key, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_device(&dev, ii, dev_key, "cred-dev", &o), 0, "%s", th_err());
	iotx509_issuer_free(ri);
	iotx509_issuer_free(ii);
	iotx509_error_clear();
}

static void teardown(void)
{
	iotx509_cert_free(root);
	iotx509_cert_free(inter);
	iotx509_cert_free(dev);
	iotx509_key_free(root_key);
	iotx509_key_free(int_key);
	iotx509_key_free(dev_key);
	th_rmrf(dir);
	free(dir);
}

TestSuite(credential, .init = setup, .fini = teardown);

static void assert_error(int err, int code, const char *part1, const char *part2)
{
	cr_assert_eq(err, code, "returned %d (%s), expected %d: %s", err, iotx509_strerror(err), code, th_err());
	cr_assert(strstr(th_err(), part1) != NULL, "message '%s' lacks '%s'", th_err(), part1);
	if (part2)
		cr_assert(strstr(th_err(), part2) != NULL, "message '%s' lacks '%s'", th_err(), part2);
}

static const char *subject_at(const iotx509_credential *c, size_t i)
{
	const iotx509_cert *x = iotx509_certlist_get(iotx509_credential_get_chain(c), i);

	return x ? iotx509_cert_get_subject_cn(x) : "(none)";
}

static char *file_of(const char *name)
{
	return th_path(dir, name);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	cr_assert_eq(stat(path, &st), 0, "%s: %s", path, strerror(errno));
	return st.st_mode & 0777;
}

static iotx509_credential *device_credential(void)
{
	iotx509_credential *c = NULL;
	iotx509_certlist *pool = th_certlist(root, inter, NULL);

	cr_assert_eq(iotx509_credential_new(&c, dev, dev_key, pool, NULL), 0, "%s", th_err());
	iotx509_certlist_free(pool);
	return c;
}

Test(credential, path_keeps_the_name_verbatim_in_every_file_name)
{
	static const struct {
		const char *dir;
		iotx509_credential_file kind;
		const char *want;
	} cases[] = {
		{ NULL, IOTX509_CREDENTIAL_CERT, "sample-device-01_cert.pem" },
		{ "", IOTX509_CREDENTIAL_KEY, "sample-device-01_key.pem" },
		{ "out", IOTX509_CREDENTIAL_FULLCHAIN, "out/sample-device-01_fullchain.pem" },
		{ "out/", IOTX509_CREDENTIAL_PFX, "out/sample-device-01.pfx" },
		{ ".", IOTX509_CREDENTIAL_CSR, "./sample-device-01_csr.pem" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		iotx509_buf p = IOTX509_BUF_INIT;

		cr_assert_eq(iotx509_credential_path(&p, cases[i].dir, "sample-device-01", cases[i].kind), 0, "%s",
			     th_err());
		cr_assert_str_eq((const char *)p.data, cases[i].want);
		cr_assert_eq(p.size, strlen(cases[i].want));
		iotx509_buf_dispose(&p);
	}
}

Test(credential, path_refuses_names_that_are_not_file_names)
{
	iotx509_buf p = IOTX509_BUF_INIT;

	assert_error(iotx509_credential_path(&p, NULL, "a/b", IOTX509_CREDENTIAL_CERT), IOTX509_EINVAL, "a/b",
		     "file name");
	assert_error(iotx509_credential_path(&p, NULL, "", IOTX509_CREDENTIAL_CERT), IOTX509_EINVAL, "file name", NULL);
	assert_error(iotx509_credential_path(&p, NULL, "..", IOTX509_CREDENTIAL_CERT), IOTX509_EINVAL, "..", NULL);
	assert_error(iotx509_credential_path(&p, NULL, "x", (iotx509_credential_file)9), IOTX509_EINVAL, "unknown",
		     NULL);
	cr_assert_null(p.data);
}

Test(credential, new_orders_the_chain_from_a_shuffled_pool)
{
	iotx509_credential *c = device_credential();

	cr_assert_eq(iotx509_certlist_count(iotx509_credential_get_chain(c)), 3);
	cr_assert_str_eq(subject_at(c, 0), "cred-dev");
	cr_assert_str_eq(subject_at(c, 1), "cred-int");
	cr_assert_str_eq(subject_at(c, 2), "cred-root");
	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha1(iotx509_credential_get_cert(c)),
			 iotx509_cert_get_thumbprint_sha1(dev));
	cr_assert_eq(iotx509_credential_get_key(c) != NULL, 1);
	iotx509_credential_free(c);
	iotx509_credential_free(NULL);
}

Test(credential, new_refuses_a_key_that_is_not_the_certificates)
{
	iotx509_credential *c = NULL;

	assert_error(iotx509_credential_new(&c, dev, int_key, NULL, NULL), IOTX509_EKEYMISMATCH, "CN=cred-dev", NULL);
	cr_assert_null(c);
}

Test(credential, new_names_the_missing_issuer_unless_a_partial_chain_is_allowed)
{
	iotx509_credential *c = NULL;
	iotx509_certlist *pool = th_certlist(inter, NULL, NULL);

	assert_error(iotx509_credential_new(&c, dev, dev_key, pool, NULL), IOTX509_ENOISSUER, "CN=cred-root", "chain");
	cr_assert_null(c);
	cr_assert_eq(iotx509_credential_new(&c, dev, dev_key, pool, CRED_OPTS(IOTX509_CREDENTIAL_PARTIAL_CHAIN)), 0, "%s",
		     th_err());
	cr_assert_eq(iotx509_certlist_count(iotx509_credential_get_chain(c)), 2);
	cr_assert_str_eq(subject_at(c, 1), "cred-int");
	iotx509_credential_free(c);
	iotx509_certlist_free(pool);
}

Test(credential, a_root_or_a_certificate_without_key_needs_no_pool)
{
	iotx509_credential *c = NULL;

	cr_assert_eq(iotx509_credential_new(&c, root, root_key, NULL, NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_count(iotx509_credential_get_chain(c)), 1);
	iotx509_credential_free(c);
	cr_assert_eq(iotx509_credential_new(&c, root, NULL, NULL, NULL), 0, "%s", th_err());
	cr_assert_null(iotx509_credential_get_key(c));
	iotx509_credential_free(c);
	assert_error(iotx509_credential_new(&c, root, NULL, NULL, CRED_OPTS(1u << 5)), IOTX509_EINVAL, "flags", NULL);
	assert_error(iotx509_credential_new(&c, NULL, NULL, NULL, NULL), IOTX509_EINVAL, "NULL", NULL);
}

Test(credential, save_writes_the_four_files_with_their_modes_and_contents)
{
	iotx509_credential *c = device_credential();
	iotx509_credential_save_options so = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;
	iotx509_certlist *chain = NULL;
	iotx509_pkcs12 *p12 = NULL;
	iotx509_key *k = NULL;
	char *cert = file_of("cred-dev_cert.pem"), *key = file_of("cred-dev_key.pem");
	char *full = file_of("cred-dev_fullchain.pem"), *pfx = file_of("cred-dev.pfx");
	char *text;
	size_t size;

	so.pfx_password = "pfx-pw";
	cr_assert_eq(iotx509_credential_save(c, dir, "cred-dev", &so), 0, "%s", th_err());
	cr_assert_eq(mode_of(cert), 0644);
	cr_assert_eq(mode_of(key), 0600);
	cr_assert_eq(mode_of(full), 0644);
	cr_assert_eq(mode_of(pfx), 0600);
	text = th_slurp(full, &size);
	cr_assert(size > 0 && text[size - 1] == '\n', "the full chain ends with a newline");
	cr_assert_null(strstr(text, "null"));
	free(text);
	cr_assert_eq(iotx509_certlist_new(&chain), 0);
	cr_assert_eq(iotx509_certlist_add_path(chain, full), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_count(chain), 3);
	cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_certlist_get(chain, 2)), "cred-root");
	cr_assert_eq(iotx509_key_load(&k, key, NULL), 0, "an unencrypted key: %s", th_err());
	cr_assert_eq(iotx509_cert_check_key(dev, k), 0);
	cr_assert_eq(iotx509_pkcs12_load(&p12, pfx, "pfx-pw", NULL), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_pkcs12_get_leaf(p12)), "cred-dev");
	cr_assert_eq(iotx509_certlist_count(iotx509_pkcs12_get_chain(p12)), 2, "the .pfx holds the chain");
	iotx509_pkcs12_free(p12);
	iotx509_key_free(k);
	iotx509_certlist_free(chain);
	iotx509_credential_free(c);
	free(cert), free(key), free(full), free(pfx);
}

Test(credential, without_a_pfx_password_no_pfx_is_written)
{
	iotx509_credential *c = device_credential();
	char *pfx = file_of("d.pfx"), *key = file_of("d_key.pem");

	cr_assert_eq(iotx509_credential_save(c, dir, "d", NULL), 0, "%s", th_err());
	cr_assert_eq(access(pfx, F_OK), -1);
	cr_assert_eq(access(key, F_OK), 0);
	iotx509_credential_free(c);
	free(pfx), free(key);
}

Test(credential, files_that_do_not_apply_are_refused)
{
	iotx509_credential *c = NULL;
	iotx509_credential_save_options so = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;

	cr_assert_eq(iotx509_credential_new(&c, root, NULL, NULL, NULL), 0);
	so.files = IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_KEY);
	assert_error(iotx509_credential_save(c, dir, "r", &so), IOTX509_EINVAL, "no private key", NULL);
	iotx509_credential_free(c);
	c = device_credential();
	so.files = IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_PFX);
	assert_error(iotx509_credential_save(c, dir, "d", &so), IOTX509_EINVAL, "password", NULL);
	so.files = IOTX509_CREDENTIAL_FILE_BIT(IOTX509_CREDENTIAL_CSR);
	assert_error(iotx509_credential_save(c, dir, "d", &so), IOTX509_EINVAL, "unknown files", NULL);
	so.files = 0;
	assert_error(iotx509_credential_save(c, dir, "a/b", &so), IOTX509_EINVAL, "a/b", NULL);
	so.version = 99;
	assert_error(iotx509_credential_save(c, dir, "d", &so), IOTX509_EINVAL, "version", NULL);
	cr_assert_eq(iotx509_credential_save_options_init(&so, 99), IOTX509_EINVAL);
	cr_assert_eq(iotx509_credential_save_options_init(&so, IOTX509_CREDENTIAL_SAVE_OPTIONS_VERSION), 0);
	cr_assert_eq(so.files, 0);
	cr_assert_null(so.pfx_password);
	iotx509_credential_free(c);
}

Test(credential, a_certificate_only_credential_writes_cert_and_fullchain)
{
	iotx509_credential *c = NULL;
	iotx509_certlist *pool = th_certlist(inter, root, NULL);
	char *cert = file_of("d_cert.pem"), *full = file_of("d_fullchain.pem"), *key = file_of("d_key.pem");

	cr_assert_eq(iotx509_credential_new(&c, dev, NULL, pool, NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_credential_save(c, dir, "d", NULL), 0, "%s", th_err());
	cr_assert_eq(access(cert, F_OK), 0);
	cr_assert_eq(access(full, F_OK), 0);
	cr_assert_eq(access(key, F_OK), -1);
	iotx509_credential_free(c);
	iotx509_certlist_free(pool);
	free(cert), free(full), free(key);
}

Test(credential, existing_files_refuse_the_whole_set_and_overwrite_replaces_it)
{
	iotx509_credential *c = device_credential(), *loaded = NULL;
	iotx509_credential_save_options so = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;
	char *key = file_of("d_key.pem"), *cert = file_of("d_cert.pem"), *old;

	th_write(key, "old key\n", 8);
	assert_error(iotx509_credential_save(c, dir, "d", NULL), IOTX509_EEXISTS, key, "exists");
	cr_assert_eq(access(cert, F_OK), -1, "nothing else was written");
	old = th_slurp(key, NULL);
	cr_assert_str_eq(old, "old key\n");
	free(old);
	so.flags = IOTX509_WRITE_OVERWRITE;
	cr_assert_eq(iotx509_credential_save(c, dir, "d", &so), 0, "%s", th_err());
	cr_assert_eq(iotx509_credential_load(&loaded, dir, "d", NULL, NULL), 0, "%s", th_err());
	iotx509_credential_free(loaded);
	so.flags = 1u << 4;
	assert_error(iotx509_credential_save(c, dir, "d", &so), IOTX509_EINVAL, "flags", NULL);
	iotx509_credential_free(c);
	free(key), free(cert);
}

Test(credential, load_reads_back_what_save_wrote)
{
	iotx509_credential *c = device_credential(), *back = NULL;
	iotx509_credential_save_options so = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;

	so.key_password = "key-pw";
	cr_assert_eq(iotx509_credential_save(c, dir, "sample-device-01", &so), 0, "%s", th_err());
	cr_assert_eq(iotx509_credential_load(&back, dir, "sample-device-01", "key-pw", NULL), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(iotx509_credential_get_cert(back)),
			 iotx509_cert_get_thumbprint_sha256(dev));
	cr_assert_str_eq(iotx509_key_get_spki_sha256(iotx509_credential_get_key(back)),
			 iotx509_key_get_spki_sha256(dev_key));
	cr_assert_eq(iotx509_certlist_count(iotx509_credential_get_chain(back)), 3);
	iotx509_credential_free(back);
	assert_error(iotx509_credential_load(&back, dir, "sample-device-01", "wrong", NULL), IOTX509_EPASSWORD,
		     "sample-device-01_key.pem", NULL);
	cr_assert_null(back);
	iotx509_credential_free(c);
}

Test(credential, load_names_the_missing_file)
{
	iotx509_credential *c = NULL;

	assert_error(iotx509_credential_load(&c, dir, "nosuch", NULL, NULL), IOTX509_ENOTFOUND, "nosuch_cert.pem", NULL);
	free(th_save_cert(dir, "half_cert.pem", root));
	assert_error(iotx509_credential_load(&c, dir, "half", NULL, NULL), IOTX509_ENOTFOUND, "half_key.pem", NULL);
	cr_assert_null(c);
}

Test(credential, load_names_the_key_file_that_does_not_match)
{
	iotx509_credential *c = NULL;

	free(th_save_cert(dir, "mixed_cert.pem", root));
	free(th_save_key(dir, "mixed_key.pem", int_key));
	assert_error(iotx509_credential_load(&c, dir, "mixed", NULL, NULL), IOTX509_EKEYMISMATCH, "mixed_key.pem",
		     "does not match");
}

Test(credential, load_reads_the_files_create_test_cert_wrote)
{
	iotx509_credential *c = NULL;
	const char *names[][2] = {
		{ "create_test_cert/myintermediate_cert.pem", "ctint_cert.pem" },
		{ "create_test_cert/myintermediate_key.pem", "ctint_key.pem" },
		{ "create_test_cert/myintermediate_fullchain.pem", "ctint_fullchain.pem" },
	};
	size_t i, size;

	/* No final newline, PKCS#1 key, a "null" line after the chain. */
	for (i = 0; i < 3; i++) {
		char *data = th_slurp(th_fixture(names[i][0]), &size), *to = file_of(names[i][1]);

		cr_assert_not_null(data);
		th_write(to, data, size);
		free(data);
		free(to);
	}
	cr_assert_eq(iotx509_credential_load(&c, dir, "ctint", NULL, NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_count(iotx509_credential_get_chain(c)), 2);
	cr_assert_str_eq(subject_at(c, 0), "myintermediate");
	cr_assert_str_eq(subject_at(c, 1), "mytestrootcert");
	iotx509_credential_free(c);
}

Test(credential, load_files_takes_a_ca_bundle_and_an_encrypted_key)
{
	iotx509_credential *c = NULL;
	const char *cert = th_fixture("certgen_sh/azure-iot-test-only.root.ca.cert.pem");
	const char *key = th_fixture("certgen_sh/azure-iot-test-only.root.ca.key.pem");
	char *bundle = file_of("bundle.pem");
	iotx509_buf a = IOTX509_BUF_INIT, b = IOTX509_BUF_INIT;
	char *joined;

	cr_assert_eq(iotx509_credential_load_files(&c, cert, key, "1234", NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_count(iotx509_credential_get_chain(c)), 1);
	iotx509_credential_free(c);
	assert_error(iotx509_credential_load_files(&c, cert, key, "wrong", NULL), IOTX509_EPASSWORD, "key.pem", NULL);
	assert_error(iotx509_credential_load_files(&c, cert, key, NULL, NULL), IOTX509_EPASSWORD, "key.pem", NULL);

	/* The intermediate followed by its chain in one file. */
	cr_assert_eq(iotx509_cert_export_pem(&a, inter), 0);
	cr_assert_eq(iotx509_cert_export_pem(&b, root), 0);
	joined = malloc(a.size + b.size + 1);
	memcpy(joined, a.data, a.size);
	memcpy(joined + a.size, b.data, b.size);
	th_write(bundle, joined, a.size + b.size);
	cr_assert_eq(iotx509_credential_load_files(&c, bundle, NULL, NULL, NULL), 0, "%s", th_err());
	cr_assert_str_eq(subject_at(c, 0), "cred-int");
	cr_assert_str_eq(subject_at(c, 1), "cred-root");
	cr_assert_null(iotx509_credential_get_key(c));
	iotx509_credential_free(c);
	iotx509_buf_dispose(&a);
	iotx509_buf_dispose(&b);
	free(joined);
	free(bundle);
}

Test(credential, stage_joins_a_larger_file_set)
{
	iotx509_credential *c = device_credential();
	iotx509_fileset *set = NULL;
	char *note = file_of("README.txt"), *pfx = file_of("d.pfx");
	iotx509_credential_save_options so = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;
	static const char *const order[] = { "README.txt", "d_cert.pem", "d_key.pem", "d.pfx", "d_fullchain.pem" };
	size_t i;

	so.pfx_password = "x1";
	cr_assert_eq(iotx509_fileset_new(&set), 0);
	cr_assert_eq(iotx509_fileset_add(set, note, (const unsigned char *)"hi\n", 3, NULL), 0);
	cr_assert_eq(iotx509_credential_stage(set, c, dir, "d", &so), 0, "%s", th_err());
	cr_assert_eq(iotx509_fileset_count(set), 5);
	/* The full chain last: finding it means the rest of the set is there. */
	for (i = 0; i < 5; i++) {
		char *want = file_of(order[i]);

		cr_assert_str_eq(iotx509_fileset_get_path(set, i), want);
		free(want);
	}
	cr_assert_eq(access(pfx, F_OK), -1, "staging writes nothing");
	cr_assert_eq(iotx509_fileset_commit(set, NULL), 0, "%s", th_err());
	cr_assert_eq(access(pfx, F_OK), 0);
	cr_assert_eq(access(note, F_OK), 0);
	iotx509_fileset_free(set);
	iotx509_credential_free(c);
	free(note), free(pfx);
}

/* ---- create_test_cert.js's file names ---- */

static void assert_stem(const char *name, const char *want)
{
	iotx509_buf b = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_credential_stem(&b, name, IOTX509_NAMES_CREATE_TEST_CERT), 0, "'%s': %s", name, th_err());
	cr_assert_str_eq((const char *)b.data, want, "'%s' gave '%s', camelcase 4.1 gives '%s'", name, b.data, want);
	cr_assert_eq(b.size, strlen(want));
	iotx509_buf_dispose(&b);
}

/*
 * Expected values: what camelcase 4.1.0 (the package create_test_cert.js
 * calls) returns, from its own test suite and from running it under node;
 * the guide's and the fixtures' names first.
 */
Test(credential, stem_camel_cases_as_create_test_cert_js)
{
	assert_stem("sample-device-01", "sampleDevice01");
	assert_stem("mytestrootcert", "mytestrootcert");
	assert_stem("mytestselfcertprimary", "mytestselfcertprimary");
	assert_stem("myintermediate", "myintermediate");
	assert_stem("my-root", "myRoot");
	assert_stem("foo-bar-baz", "fooBarBaz");
	assert_stem("--foo--bar--", "fooBar");
	assert_stem("..foo..bar..", "fooBar");
	assert_stem("__foo__bar__", "fooBar");
	assert_stem("  foo  bar  ", "fooBar");
	assert_stem("FOO-BAR", "fooBar");
	assert_stem("FooBar", "fooBar");
	assert_stem("fooBarBaz-bazzy", "fooBarBazBazzy");
	assert_stem("FBBazzy", "fbBazzy");
	assert_stem("XMLHttpRequest", "xmlHttpRequest");
	assert_stem("Ajax-XMLHttpRequest", "ajaxXmlHttpRequest");
	assert_stem("F", "f");
	assert_stem("-", "-");
	assert_stem(" - ", "-");
	assert_stem("foo bar?", "fooBar?");
	assert_stem("foo-bar#", "fooBar#");
	assert_stem("Device:01", "device:01");
	assert_stem("AB!c", "ab-!c"); /* an inserted '-' before a non-word character stays */
	assert_stem("A1b", "a1b");
	assert_stem("a1B", "a1B");
	assert_stem("foo-_!", "foo_!");
	assert_stem("dev.01_a-B", "dev01AB");
}

Test(credential, stem_verbatim_and_refusals)
{
	iotx509_buf b = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_credential_stem(&b, "Sample-Device-01", IOTX509_NAMES_VERBATIM), 0);
	cr_assert_str_eq((const char *)b.data, "Sample-Device-01");
	iotx509_buf_dispose(&b);
	/* Names that leave no usable stem. */
	cr_assert_eq(iotx509_credential_stem(&b, "--__--", IOTX509_NAMES_CREATE_TEST_CERT), IOTX509_EINVAL);
	cr_assert(strstr(th_err(), "'--__--' gives the file name stem ''") != NULL, "%s", th_err());
	cr_assert_eq(iotx509_credential_stem(&b, "a/b-c", IOTX509_NAMES_CREATE_TEST_CERT), IOTX509_EINVAL);
	cr_assert_eq(iotx509_credential_stem(&b, "..", IOTX509_NAMES_VERBATIM), IOTX509_EINVAL);
	cr_assert_eq(iotx509_credential_stem(&b, "", IOTX509_NAMES_VERBATIM), IOTX509_EINVAL);
	/* Non-ASCII: the script's Unicode case rules are not reproduced. */
	cr_assert_eq(iotx509_credential_stem(&b, "ger\xc3\xa4t-01", IOTX509_NAMES_CREATE_TEST_CERT), IOTX509_EINVAL);
	cr_assert(strstr(th_err(), "ASCII names only") != NULL, "%s", th_err());
	cr_assert_eq(iotx509_credential_stem(&b, "x", (iotx509_name_style)7), IOTX509_EINVAL);
	cr_assert_eq(iotx509_credential_stem(NULL, "x", IOTX509_NAMES_VERBATIM), IOTX509_EINVAL);
	cr_assert_eq(iotx509_credential_stem(&b, NULL, IOTX509_NAMES_VERBATIM), IOTX509_EINVAL);
	cr_assert_null(b.data);
}

Test(credential, presented_file_is_the_full_chain_under_an_intermediate)
{
	iotx509_credential *c = NULL;
	iotx509_certlist *pool = th_certlist(inter, root, NULL), *partial = th_certlist(inter, NULL, NULL);

	/* Device under an intermediate: the leaf alone does not chain. */
	cr_assert_eq(iotx509_credential_new(&c, dev, dev_key, pool, NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_credential_get_presented_file(c), IOTX509_CREDENTIAL_FULLCHAIN);
	iotx509_credential_free(c);
	/* Its root kept offline: still the full chain (leaf + intermediate). */
	cr_assert_eq(iotx509_credential_new(&c, dev, dev_key, partial, CRED_OPTS(IOTX509_CREDENTIAL_PARTIAL_CHAIN)), 0, "%s",
		     th_err());
	cr_assert_eq(iotx509_credential_get_presented_file(c), IOTX509_CREDENTIAL_FULLCHAIN);
	iotx509_credential_free(c);
	cr_assert_eq(iotx509_credential_new(&c, dev, dev_key, NULL, CRED_OPTS(IOTX509_CREDENTIAL_PARTIAL_CHAIN)), 0, "%s",
		     th_err());
	cr_assert_eq(iotx509_credential_get_presented_file(c), IOTX509_CREDENTIAL_FULLCHAIN);
	iotx509_credential_free(c);
	/* Issued directly by the root the service holds: the certificate. */
	cr_assert_eq(iotx509_credential_new(&c, inter, int_key, pool, NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_credential_get_presented_file(c), IOTX509_CREDENTIAL_CERT);
	iotx509_credential_free(c);
	/* Self-signed. */
	cr_assert_eq(iotx509_credential_new(&c, root, root_key, NULL, NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_credential_get_presented_file(c), IOTX509_CREDENTIAL_CERT);
	iotx509_credential_free(c);
	cr_assert_eq(iotx509_credential_get_presented_file(NULL), IOTX509_CREDENTIAL_FULLCHAIN);
	iotx509_certlist_free(pool);
	iotx509_certlist_free(partial);
}

/* The files of @name and their contents, as one comparable string. */
static char *saved_set(const char *name)
{
	static const char *const suffix[] = { "_cert.pem", "_key.pem", "_fullchain.pem", ".pfx" };
	size_t i, total = 0;
	char *all = calloc(1, 1);

	for (i = 0; i < 4; i++) {
		char file[256], *path, *text = NULL;
		size_t size = 0;

		snprintf(file, sizeof(file), "%s%s", name, suffix[i]);
		path = file_of(file);
		if (access(path, F_OK) == 0)
			text = th_slurp(path, &size);
		all = realloc(all, total + strlen(suffix[i]) + size + 8);
		total += (size_t)sprintf(all + total, "%s %o\n", suffix[i], text ? (unsigned int)mode_of(path) : 0u);
		if (text)
			memcpy(all + total, text, size), total += size, all[total] = '\0';
		free(text);
		free(path);
	}
	return all;
}

Test(credential, zero_filled_save_options_are_the_defaults)
{
	iotx509_credential *c = device_credential();
	iotx509_credential_save_options z, init = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;
	char *a, *b;

	TH_ZERO_OPTIONS(z, IOTX509_CREDENTIAL_SAVE_OPTIONS_VERSION);
	cr_assert_eq(iotx509_credential_save(c, dir, "zero", &z), 0, "%s", th_err());
	cr_assert_eq(iotx509_credential_save(c, dir, "init", &init), 0, "%s", th_err());
	a = saved_set("zero");
	b = saved_set("init");
	cr_assert_str_eq(a, b);
	cr_assert(strstr(a, ".pfx 0\n") != NULL, "no .pfx without a password: %s", a);
	TH_CHECK_OPTIONS_INIT(iotx509_credential_save_options, iotx509_credential_save_options_init, IOTX509_CREDENTIAL_SAVE_OPTIONS_VERSION, "credential save options",
			      IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT);
	free(a);
	free(b);
	iotx509_credential_free(c);
}

Test(credential, save_options_versions_1_to_current)
{
	iotx509_credential *c = device_credential();
	iotx509_credential_save_options o = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;
	char *cert = file_of("v0_cert.pem");

	o.version = 1;
	cr_assert_eq(iotx509_credential_save(c, dir, "v1", &o), 0, "%s", th_err());
	o.version = 0;
	th_version_refused(iotx509_credential_save(c, dir, "v0", &o), 0);
	o.version = IOTX509_CREDENTIAL_SAVE_OPTIONS_VERSION + 1;
	th_version_refused(iotx509_credential_save(c, dir, "v0", &o), IOTX509_CREDENTIAL_SAVE_OPTIONS_VERSION + 1);
	cr_assert_eq(access(cert, F_OK), -1, "nothing written");
	free(cert);
	iotx509_credential_free(c);
}

/* Same certificate, key and chain (compared by thumbprint and SPKI). */
static void assert_same_credential(const iotx509_credential *a, const iotx509_credential *b)
{
	const iotx509_certlist *ca = iotx509_credential_get_chain(a), *cb = iotx509_credential_get_chain(b);
	size_t i;

	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(iotx509_credential_get_cert(a)),
			 iotx509_cert_get_thumbprint_sha256(iotx509_credential_get_cert(b)));
	cr_assert_eq(iotx509_credential_get_key(a) == NULL, iotx509_credential_get_key(b) == NULL);
	if (iotx509_credential_get_key(a))
		cr_assert_str_eq(iotx509_key_get_spki_sha256(iotx509_credential_get_key(a)),
				 iotx509_key_get_spki_sha256(iotx509_credential_get_key(b)));
	cr_assert_eq(iotx509_certlist_count(ca), iotx509_certlist_count(cb));
	for (i = 0; i < iotx509_certlist_count(ca); i++)
		cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(iotx509_certlist_get(ca, i)),
				 iotx509_cert_get_thumbprint_sha256(iotx509_certlist_get(cb, i)));
}

Test(credential, pem_bundle_round_trips_in_memory)
{
	iotx509_credential *c = device_credential(), *back = NULL;
	iotx509_buf pem = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_credential_export_pem(&pem, c, NULL), 0, "%s", th_err());
	cr_assert(strncmp((const char *)pem.data, "-----BEGIN PRIVATE KEY-----", 27) == 0, "the key comes first");
	cr_assert_eq(iotx509_credential_import_pem(&back, pem.data, pem.size, NULL, NULL), 0, "%s", th_err());
	assert_same_credential(c, back);
	cr_assert_eq(iotx509_certlist_count(iotx509_credential_get_chain(back)), 3);
	iotx509_credential_free(back);
	iotx509_buf_dispose(&pem);

	/* Encrypted key: needs the password back. */
	cr_assert_eq(iotx509_credential_export_pem(&pem, c, "bundle-pw"), 0, "%s", th_err());
	cr_assert_not_null(strstr((const char *)pem.data, "ENCRYPTED PRIVATE KEY"));
	assert_error(iotx509_credential_import_pem(&back, pem.data, pem.size, NULL, NULL), IOTX509_EPASSWORD, "", NULL);
	cr_assert_null(back);
	cr_assert_eq(iotx509_credential_import_pem(&back, pem.data, pem.size, "bundle-pw", NULL), 0, "%s", th_err());
	assert_same_credential(c, back);
	iotx509_credential_free(back);
	iotx509_buf_dispose(&pem);
	iotx509_credential_free(c);
}

Test(credential, pem_bundle_without_key_or_chain_root)
{
	iotx509_credential *c = NULL, *back = NULL;
	iotx509_certlist *pool = th_certlist(root, inter, NULL);
	iotx509_buf pem = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_credential_new(&c, dev, NULL, pool, NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_credential_export_pem(&pem, c, NULL), 0, "%s", th_err());
	cr_assert_null(strstr((const char *)pem.data, "PRIVATE KEY"));
	cr_assert_eq(iotx509_credential_import_pem(&back, pem.data, pem.size, NULL, NULL), 0, "%s", th_err());
	assert_same_credential(c, back);
	iotx509_credential_free(back);
	assert_error(iotx509_credential_export_pkcs12(&pem, c, "pw", NULL), IOTX509_EINVAL, "no private key", NULL);
	iotx509_buf_dispose(&pem);
	iotx509_credential_free(c);

	/* The device and its key, without the root: refused unless partial. */
	iotx509_certlist_free(pool);
	pool = th_certlist(inter, NULL, NULL);
	cr_assert_eq(iotx509_credential_new(&c, dev, dev_key, pool, CRED_OPTS(IOTX509_CREDENTIAL_PARTIAL_CHAIN)), 0, "%s", th_err());
	cr_assert_eq(iotx509_credential_export_pem(&pem, c, NULL), 0, "%s", th_err());
	assert_error(iotx509_credential_import_pem(&back, pem.data, pem.size, NULL, NULL), IOTX509_ENOISSUER, "", NULL);
	cr_assert_eq(iotx509_credential_import_pem(&back, pem.data, pem.size, NULL, CRED_OPTS(IOTX509_CREDENTIAL_PARTIAL_CHAIN)), 0,
		     "%s", th_err());
	assert_same_credential(c, back);
	iotx509_credential_free(back);
	iotx509_credential_free(c);
	iotx509_certlist_free(pool);
	iotx509_buf_dispose(&pem);

	/* No certificate at all, and a key that is not the certificate's. */
	assert_error(iotx509_credential_import_pem(&back, (const unsigned char *)"hello\n", 6, NULL, NULL), IOTX509_EPARSE,
		     "", NULL);
	{
		iotx509_buf k = IOTX509_BUF_INIT, cp = IOTX509_BUF_INIT;
		char *mix;

		cr_assert_eq(iotx509_key_export_pem(&k, root_key, NULL), 0);
		cr_assert_eq(iotx509_cert_export_pem(&cp, root), 0);
		cr_assert_eq(asprintf(&mix, "%s%s", (const char *)k.data, (const char *)cp.data) > 0, 1);
		cr_assert_eq(iotx509_credential_import_pem(&back, (unsigned char *)mix, strlen(mix), NULL, NULL), 0,
			     "%s", th_err());
		iotx509_credential_free(back);
		iotx509_buf_dispose(&k);
		cr_assert_eq(iotx509_key_export_pem(&k, dev_key, NULL), 0);
		free(mix);
		cr_assert_eq(asprintf(&mix, "%s%s", (const char *)cp.data, (const char *)k.data) > 0, 1);
		assert_error(iotx509_credential_import_pem(&back, (unsigned char *)mix, strlen(mix), NULL, NULL),
			     IOTX509_EKEYMISMATCH, "", NULL);
		free(mix);
		iotx509_buf_dispose(&k);
		iotx509_buf_dispose(&cp);
	}
	cr_assert_eq(iotx509_credential_import_pem(NULL, NULL, 0, NULL, NULL), IOTX509_EINVAL);
}

Test(credential, pkcs12_bytes_round_trip_and_openssl_reads_them)
{
	iotx509_credential *c = device_credential(), *back = NULL;
	iotx509_buf pfx = IOTX509_BUF_INIT;
	char *path, *o = NULL;

	cr_assert_eq(iotx509_credential_export_pkcs12(&pfx, c, "p12-pw", NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_credential_import_pkcs12(&back, pfx.data, pfx.size, "p12-pw", NULL), 0, "%s", th_err());
	assert_same_credential(c, back);
	iotx509_credential_free(back);
	assert_error(iotx509_credential_import_pkcs12(&back, pfx.data, pfx.size, "wrong", NULL), IOTX509_EPASSWORD, "",
		     NULL);
	cr_assert_null(back);

	if (th_have("openssl")) {
		path = file_of("mem.pfx");
		th_write(path, pfx.data, pfx.size);
		cr_assert_eq(th_run(&o, "openssl pkcs12 -in '%s' -passin pass:p12-pw -nokeys | grep -c 'BEGIN CERTIFICATE'",
				    path),
			     0, "%s", o);
		cr_assert_eq(atoi(o), 3, "openssl sees the certificate and its chain: %s", o);
		free(o);
		cr_assert_eq(th_run(&o, "openssl pkcs12 -in '%s' -passin pass:p12-pw -nocerts -nodes | "
				       "openssl pkey -pubout | openssl pkey -pubin -outform DER | sha256sum | cut -c1-64 | "
				       "tr a-f A-F",
				    path),
			     0, "%s", o);
		cr_assert_eq(strncmp(o, iotx509_key_get_spki_sha256(dev_key), 64), 0, "%s", o);
		free(o);
		free(path);
	}
	iotx509_buf_dispose(&pfx);
	iotx509_credential_free(c);
}

/*
 * Each handle a getter returns borrowed has a _dup that outlives its
 * parent: free the parent first, then use the dup (run under valgrind:
 * valgrind --leak-check=full with --filter 'credential/dup_*').
 */
Test(credential, dup_borrowed_handles_outlive_their_parents)
{
	iotx509_credential *c = device_credential(), *cd = NULL;
	iotx509_cert *cert = NULL;
	iotx509_key *key = NULL;
	iotx509_certlist *chain = NULL;
	iotx509_pkcs12 *p12 = NULL, *pd = NULL;
	iotx509_issuer *is = NULL, *isd = NULL;
	iotx509_csr *csr = NULL, *csrd = NULL;
	iotx509_buf pfx = IOTX509_BUF_INIT;
	char want[65];

	snprintf(want, sizeof(want), "%s", iotx509_cert_get_thumbprint_sha256(dev));
	cr_assert_eq(iotx509_cert_dup(&cert, iotx509_credential_get_cert(c)), 0);
	cr_assert_eq(iotx509_key_dup(&key, iotx509_credential_get_key(c)), 0);
	cr_assert_eq(iotx509_certlist_dup(&chain, iotx509_credential_get_chain(c)), 0);
	cr_assert_eq(iotx509_credential_dup(&cd, c), 0);
	cr_assert_eq(iotx509_credential_export_pkcs12(&pfx, c, "dup-pw", NULL), 0, "%s", th_err());
	iotx509_credential_free(c);

	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(cert), want);
	cr_assert_eq(iotx509_cert_check_key(cert, key), 0);
	cr_assert_eq(iotx509_certlist_count(chain), 3);
	cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_certlist_get(chain, 2)), "cred-root");
	/* The copied list is the copy's own: appending leaves others alone. */
	cr_assert_eq(iotx509_certlist_add(chain, dev), 0);
	cr_assert_eq(iotx509_certlist_count(iotx509_credential_get_chain(cd)), 3);
	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(iotx509_credential_get_cert(cd)), want);
	cr_assert_eq(iotx509_cert_check_key(iotx509_credential_get_cert(cd), iotx509_credential_get_key(cd)), 0);

	cr_assert_eq(iotx509_pkcs12_import(&p12, pfx.data, pfx.size, "dup-pw", NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_pkcs12_dup(&pd, p12), 0);
	iotx509_pkcs12_free(p12);
	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(iotx509_pkcs12_get_leaf(pd)), want);
	cr_assert_eq(iotx509_cert_check_key(iotx509_pkcs12_get_leaf(pd), iotx509_pkcs12_get_key(pd)), 0);
	cr_assert_eq(iotx509_certlist_count(iotx509_pkcs12_get_chain(pd)), 2);
	cr_assert_str_eq(iotx509_pkcs12_get_friendly_name(pd), "cred-dev");

	cr_assert_eq(iotx509_issuer_new(&is, inter, int_key), 0, "%s", th_err());
	cr_assert_eq(iotx509_issuer_dup(&isd, is), 0);
	iotx509_issuer_free(is);
	{
		iotx509_cert *again = NULL;

		cr_assert_eq(iotx509_issue_device(&again, isd, key, "cred-dev-2", NULL), 0, "%s", th_err());
		cr_assert_str_eq(iotx509_cert_get_issuer_cn(again), "cred-int");
		iotx509_cert_free(again);
	}
	cr_assert_eq(iotx509_csr_new(&csr, key, "cred-dev", NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_csr_dup(&csrd, csr), 0);
	iotx509_csr_free(csr);
	cr_assert_eq(iotx509_csr_check_key(csrd, key), 0);

	cr_assert_eq(iotx509_key_dup(NULL, key), IOTX509_EINVAL);
	cr_assert_eq(iotx509_certlist_dup(&chain, NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_credential_dup(&cd, NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_pkcs12_dup(NULL, pd), IOTX509_EINVAL);
	cr_assert_eq(iotx509_issuer_dup(&isd, NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_csr_dup(&csrd, NULL), IOTX509_EINVAL);

	iotx509_csr_free(csrd);
	iotx509_issuer_free(isd);
	iotx509_pkcs12_free(pd);
	iotx509_buf_dispose(&pfx);
	iotx509_credential_free(cd);
	iotx509_certlist_free(chain);
	iotx509_key_free(key);
	iotx509_cert_free(cert);
}

Test(credential, options_zero_filled_are_the_defaults)
{
	iotx509_credential_options z, init = IOTX509_CREDENTIAL_OPTIONS_INIT;
	iotx509_credential *c = NULL;
	iotx509_certlist *pool = th_certlist(inter, NULL, NULL);
	iotx509_buf pfx = IOTX509_BUF_INIT;
	iotx509_pkcs12_options po = IOTX509_PKCS12_OPTIONS_INIT;

	TH_ZERO_OPTIONS(z, IOTX509_CREDENTIAL_OPTIONS_VERSION);
	/* The default is a chain up to a root: without the root in the pool, no credential. */
	cr_assert_eq(iotx509_credential_new(&c, dev, dev_key, pool, &z), IOTX509_ENOISSUER);
	cr_assert_eq(iotx509_credential_new(&c, dev, dev_key, pool, &init), IOTX509_ENOISSUER);
	z.flags = IOTX509_CREDENTIAL_PARTIAL_CHAIN;
	cr_assert_eq(iotx509_credential_new(&c, dev, dev_key, pool, &z), 0, "the flag is read: %s", th_err());
	/* And the PKCS#12 read flags default to "no empty password". */
	po.flags = IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD;
	cr_assert_eq(iotx509_credential_export_pkcs12(&pfx, c, "", &po), 0, "%s", th_err());
	iotx509_credential_free(c);
	c = NULL;
	assert_error(iotx509_credential_import_pkcs12(&c, pfx.data, pfx.size, "", &z), IOTX509_EINVAL,
		     "IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD", "");
	z.pkcs12_flags = IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD;
	cr_assert_eq(iotx509_credential_import_pkcs12(&c, pfx.data, pfx.size, "", &z), 0, "%s", th_err());
	iotx509_credential_free(c);
	iotx509_buf_dispose(&pfx);
	TH_CHECK_OPTIONS_INIT(iotx509_credential_options, iotx509_credential_options_init,
			      IOTX509_CREDENTIAL_OPTIONS_VERSION, "credential options", IOTX509_CREDENTIAL_OPTIONS_INIT);
	iotx509_certlist_free(pool);
}

Test(credential, every_creator_refuses_options_of_an_unknown_version)
{
	iotx509_credential_options o = IOTX509_CREDENTIAL_OPTIONS_INIT;
	unsigned int bad[] = { 0, IOTX509_CREDENTIAL_OPTIONS_VERSION + 1 };
	iotx509_credential *c = NULL;
	char *cert_path = th_save_cert(dir, "v_cert.pem", root);
	size_t i;

	for (i = 0; i < 2; i++) {
		o.version = bad[i];
		th_version_refused_named(iotx509_credential_new(&c, root, root_key, NULL, &o), bad[i], "credential options");
		th_version_refused_named(iotx509_credential_load_files(&c, cert_path, NULL, NULL, &o), bad[i],
					 "credential options");
		th_version_refused_named(iotx509_credential_import_pkcs12(&c, (const unsigned char *)"0", 1, "pw", &o),
					 bad[i], "credential options");
		cr_assert_null(c);
	}
	free(cert_path);
}
