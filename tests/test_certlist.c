/*
 * Certificate lists: tolerant reading of bundles, DER and directories;
 * PEM output that can be concatenated.
 */
#include "helpers.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define T0 TH_FIXTURE_TIME

/* Three certificates (root, intermediate, device) as PEM strings. */
typedef struct {
	iotx509_key *rk, *ik, *dk;
	iotx509_cert *root, *inter, *dev;
	iotx509_issuer *ris, *iis;
	iotx509_buf pem[3];
} trio;

static void trio_make(trio *t)
{
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;

	memset(t, 0, sizeof(*t));
	o.at = T0;
	th_make_root(&t->rk, &t->root, &t->ris, "List Root", T0);
	cr_assert_eq(iotx509_key_generate(&t->ik, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_intermediate(&t->inter, t->ris, t->ik, "List Intermediate", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issuer_new(&t->iis, t->inter, t->ik), 0, "%s", th_err());
	cr_assert_eq(iotx509_key_generate(&t->dk, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_device(&t->dev, t->iis, t->dk, "list-device", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_cert_export_pem(&t->pem[0], t->dev), 0);
	cr_assert_eq(iotx509_cert_export_pem(&t->pem[1], t->inter), 0);
	cr_assert_eq(iotx509_cert_export_pem(&t->pem[2], t->root), 0);
}

static void trio_free(trio *t)
{
	int i;

	for (i = 0; i < 3; i++)
		iotx509_buf_dispose(&t->pem[i]);
	iotx509_issuer_free(t->ris);
	iotx509_issuer_free(t->iis);
	iotx509_cert_free(t->root);
	iotx509_cert_free(t->inter);
	iotx509_cert_free(t->dev);
	iotx509_key_free(t->rk);
	iotx509_key_free(t->ik);
	iotx509_key_free(t->dk);
}

/* Append @s to a growing malloc'd string. */
static void cat(char **buf, size_t *len, const char *s, size_t n)
{
	*buf = realloc(*buf, *len + n + 1);
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

/* PEM text with LF line ends turned into CRLF. */
static void cat_crlf(char **buf, size_t *len, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			cat(buf, len, "\r", 1);
		cat(buf, len, s, 1);
	}
}

static iotx509_certlist *new_list(void)
{
	iotx509_certlist *l = NULL;

	cr_assert_eq(iotx509_certlist_new(&l), 0);
	cr_assert_not_null(l);
	return l;
}

static void assert_same(const iotx509_cert *a, const iotx509_cert *b)
{
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(a), iotx509_cert_get_thumbprint_sha256(b));
}

Test(certlist, new_list_is_empty_and_get_is_bounds_checked)
{
	iotx509_certlist *l = new_list();

	cr_assert_eq(iotx509_certlist_count(l), 0);
	cr_assert_null(iotx509_certlist_get(l, 0));
	cr_assert_eq(iotx509_certlist_count(NULL), 0);
	cr_assert_null(iotx509_certlist_get(NULL, 0));
	cr_assert_eq(iotx509_certlist_new(NULL), IOTX509_EINVAL);
	iotx509_certlist_free(l);
	iotx509_certlist_free(NULL);
}

Test(certlist, add_keeps_its_own_reference)
{
	trio t;
	iotx509_certlist *l = new_list();
	iotx509_cert *copy = NULL;

	trio_make(&t);
	cr_assert_eq(iotx509_cert_dup(&copy, t.dev), 0);
	cr_assert_eq(iotx509_certlist_add(l, copy), 0);
	iotx509_cert_free(copy); /* the list still holds one */
	cr_assert_eq(iotx509_certlist_count(l), 1);
	cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_certlist_get(l, 0)), "list-device");
	cr_assert_null(iotx509_certlist_get(l, 1));
	cr_assert_eq(iotx509_certlist_add(l, NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_certlist_add(NULL, t.dev), IOTX509_EINVAL);
	iotx509_certlist_free(l);
	trio_free(&t);
}

Test(certlist, reads_bundle_with_crlf_text_between_and_no_final_newline)
{
	trio t;
	iotx509_certlist *l = NULL;
	char *buf = NULL;
	size_t len = 0;

	trio_make(&t);
	cat(&buf, &len, "subject=CN = list-device\nissuer=whatever\n", 41);
	cat_crlf(&buf, &len, (const char *)t.pem[0].data);
	cat(&buf, &len, "Bag Attributes\n    friendlyName: x\n", 35);
	cat_crlf(&buf, &len, (const char *)t.pem[1].data);
	cat(&buf, &len, "# a comment\n", 12);
	/* The root without its final newline, then the "null" line of
	 * create_test_cert.js glued on the next line. */
	cat(&buf, &len, (const char *)t.pem[2].data, t.pem[2].size - 1);
	cat(&buf, &len, "\nnull", 5);
	cr_assert_eq(iotx509_certlist_import(&l, (const unsigned char *)buf, len), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_count(l), 3);
	assert_same(iotx509_certlist_get(l, 0), t.dev);
	assert_same(iotx509_certlist_get(l, 1), t.inter);
	assert_same(iotx509_certlist_get(l, 2), t.root);
	free(buf);
	iotx509_certlist_free(l);
	trio_free(&t);
}

Test(certlist, reads_naively_concatenated_files_without_newline)
{
	trio t;
	iotx509_certlist *l = NULL;
	char *buf = NULL;
	size_t len = 0;

	trio_make(&t);
	/* "cat a.pem b.pem" where a.pem lacks its final newline:
	 * "-----END CERTIFICATE----------BEGIN CERTIFICATE-----". */
	cat(&buf, &len, (const char *)t.pem[0].data, t.pem[0].size - 1);
	cat(&buf, &len, (const char *)t.pem[1].data, t.pem[1].size - 1);
	cr_assert(strstr(buf, "-----END CERTIFICATE----------BEGIN CERTIFICATE-----") != NULL);
	cr_assert_eq(iotx509_certlist_import(&l, (const unsigned char *)buf, len), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_count(l), 2);
	assert_same(iotx509_certlist_get(l, 1), t.inter);
	free(buf);
	iotx509_certlist_free(l);
	trio_free(&t);
}

Test(certlist, skips_private_key_blocks)
{
	trio t;
	iotx509_certlist *l = NULL;
	iotx509_buf key = IOTX509_BUF_INIT;
	char *buf = NULL;
	size_t len = 0;

	trio_make(&t);
	cr_assert_eq(iotx509_key_export_pem(&key, t.dk, NULL), 0);
	cat(&buf, &len, (const char *)key.data, key.size);
	cat(&buf, &len, (const char *)t.pem[0].data, t.pem[0].size);
	cr_assert_eq(iotx509_certlist_import(&l, (const unsigned char *)buf, len), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_count(l), 1);
	free(buf);
	iotx509_buf_dispose(&key);
	iotx509_certlist_free(l);
	trio_free(&t);
}

Test(certlist, reads_single_and_concatenated_der)
{
	trio t;
	iotx509_certlist *l = NULL, *two = NULL, *bad = NULL;
	iotx509_buf d0 = IOTX509_BUF_INIT, d1 = IOTX509_BUF_INIT;
	char *buf = NULL;
	size_t len = 0;

	trio_make(&t);
	cr_assert_eq(iotx509_cert_export_der(&d0, t.dev), 0);
	cr_assert_eq(iotx509_cert_export_der(&d1, t.root), 0);
	cr_assert_eq(iotx509_certlist_import(&l, d0.data, d0.size), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_count(l), 1);
	cat(&buf, &len, (const char *)d0.data, d0.size);
	cat(&buf, &len, (const char *)d1.data, d1.size);
	cat(&buf, &len, "\n", 1); /* a trailing newline is tolerated */
	cr_assert_eq(iotx509_certlist_import(&two, (const unsigned char *)buf, len), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_count(two), 2);
	assert_same(iotx509_certlist_get(two, 1), t.root);
	/* Truncated second certificate: an error, and no list. */
	cr_assert_eq(iotx509_certlist_import(&bad, (const unsigned char *)buf, len - 20), IOTX509_EPARSE);
	cr_assert(strstr(th_err(), "certificate #2") != NULL, "%s", th_err());
	cr_assert_null(bad);
	free(buf);
	iotx509_buf_dispose(&d0);
	iotx509_buf_dispose(&d1);
	iotx509_certlist_free(l);
	iotx509_certlist_free(two);
	trio_free(&t);
}

Test(certlist, import_creates_a_new_list_each_call)
{
	trio t;
	iotx509_certlist *a = NULL, *b = NULL;

	trio_make(&t);
	cr_assert_eq(iotx509_certlist_import(&a, t.pem[0].data, t.pem[0].size), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_import(&b, t.pem[1].data, t.pem[1].size), 0, "%s", th_err());
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_neq(a, b);
	/* Each list holds only its own input: import never appends. */
	cr_assert_eq(iotx509_certlist_count(a), 1);
	cr_assert_eq(iotx509_certlist_count(b), 1);
	assert_same(iotx509_certlist_get(a, 0), t.dev);
	assert_same(iotx509_certlist_get(b, 0), t.inter);
	/* The caller owns each list: freeing one leaves the other usable. */
	iotx509_certlist_free(a);
	assert_same(iotx509_certlist_get(b, 0), t.inter);
	iotx509_certlist_free(b);
	trio_free(&t);
}


Test(certlist, malformed_input_is_refused_and_out_is_null)
{
	trio t;
	iotx509_certlist *sentinel = new_list(), *l = sentinel;
	char *buf = NULL, *p;
	size_t len = 0;

	trio_make(&t);
	cr_assert_eq(iotx509_certlist_import(&l, (const unsigned char *)"", 0), IOTX509_EPARSE);
	cr_assert(strstr(th_err(), "empty") != NULL, "%s", th_err());
	cr_assert_null(l); /* *out is set to NULL on error */
	l = sentinel;
	cr_assert_eq(iotx509_certlist_import(&l, (const unsigned char *)"hello\n", 6), IOTX509_EPARSE);
	cr_assert(strstr(th_err(), "neither PEM nor DER") != NULL, "%s", th_err());
	cr_assert_null(l);
	l = sentinel;
	cr_assert_eq(iotx509_certlist_import(&l, (const unsigned char *)"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", 58),
		     IOTX509_EPARSE);
	cr_assert(strstr(th_err(), "no PEM block labelled CERTIFICATE") != NULL, "%s", th_err());

	/* A good certificate, then one with a broken base64 body. */
	cat(&buf, &len, (const char *)t.pem[0].data, t.pem[0].size);
	cat(&buf, &len, (const char *)t.pem[1].data, t.pem[1].size);
	p = strstr(buf + t.pem[0].size, "\n") + 5;
	*p = '*';
	cr_assert_eq(iotx509_certlist_import(&l, (const unsigned char *)buf, len), IOTX509_EPARSE);
	cr_assert(strstr(th_err(), "certificate #2") != NULL, "%s", th_err());
	cr_assert_null(l);
	cr_assert_eq(iotx509_certlist_count(sentinel), 0);

	/* BEGIN without END. */
	cr_assert_eq(iotx509_certlist_import(&l, t.pem[0].data, t.pem[0].size - 20), IOTX509_EPARSE);
	cr_assert(strstr(th_err(), "no END line") != NULL, "%s", th_err());
	cr_assert_null(l);
	cr_assert_eq(iotx509_certlist_import(NULL, t.pem[0].data, t.pem[0].size), IOTX509_EINVAL);
	l = sentinel;
	cr_assert_eq(iotx509_certlist_import(&l, NULL, 5), IOTX509_EINVAL);
	cr_assert_null(l);
	free(buf);
	iotx509_certlist_free(sentinel);
	trio_free(&t);
}

Test(certlist, reads_fixture_fullchain_with_null_line)
{
	iotx509_certlist *l = new_list();

	cr_assert_eq(iotx509_certlist_add_path(l, th_fixture("create_test_cert/myintermediate_fullchain.pem")), 0, "%s",
		     th_err());
	cr_assert_eq(iotx509_certlist_count(l), 2);
	cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_certlist_get(l, 0)), "myintermediate");
	cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_certlist_get(l, 1)), "mytestrootcert");
	iotx509_certlist_free(l);
}

Test(certlist, loads_directory_skipping_keys_pfx_and_hidden_files)
{
	char *dir = th_tmpdir();
	iotx509_certlist *l = new_list();
	size_t i;
	int found_int = 0;

	/* Every create_test_cert file: 5 certificates, 5 fullchains (7 certs),
	 * 5 keys and 5 .pfx files; a hidden file and a subdirectory. */
	cr_assert_eq(th_run(NULL, "cp '%s'/* '%s'/ && echo junk > '%s/.hidden.pem' && mkdir '%s/sub' && cp '%s'/*_cert.pem '%s/sub/'",
			    th_fixture_dir("create_test_cert"), dir, dir, dir, th_fixture_dir("create_test_cert"), dir),
		     0);
	/* Plus one DER certificate. */
	{
		iotx509_cert *c = NULL;
		iotx509_buf der = IOTX509_BUF_INIT;
		char *p = th_path(dir, "zz-root.der");

		cr_assert_eq(iotx509_cert_load(&c, th_fixture("certgen_sh/azure-iot-test-only.root.ca.cert.pem")), 0);
		cr_assert_eq(iotx509_cert_export_der(&der, c), 0);
		th_write(p, der.data, der.size);
		iotx509_buf_dispose(&der);
		iotx509_cert_free(c);
		free(p);
	}
	cr_assert_eq(iotx509_certlist_add_path(l, dir), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_count(l), 13, "count %zu", iotx509_certlist_count(l));
	cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_certlist_get(l, 12)), "Azure IoT Hub CA Cert Test Only");
	for (i = 0; i < iotx509_certlist_count(l); i++)
		found_int += strcmp(iotx509_cert_get_subject_cn(iotx509_certlist_get(l, i)), "myintermediate") == 0;
	cr_assert_eq(found_int, 2); /* its _cert.pem and its _fullchain.pem */
	/* Name order: myintermediate_cert.pem comes first. */
	cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_certlist_get(l, 0)), "myintermediate");
	iotx509_certlist_free(l);
	th_rmrf(dir);
	free(dir);
}

Test(certlist, directory_errors_name_the_file)
{
	char *dir = th_tmpdir(), *bad = th_path(dir, "bad.pem"), *missing = th_path(dir, "nope");
	char *notes = th_path(dir, "notes.txt");
	iotx509_certlist *l = new_list();
	static const char broken[] = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

	th_write(notes, "hello\n", 6);
	cr_assert_eq(iotx509_certlist_add_path(l, dir), IOTX509_ENOTFOUND);
	cr_assert(strstr(th_err(), "holds no certificate") != NULL, "%s", th_err());
	th_write(bad, broken, sizeof(broken) - 1);
	cr_assert_eq(iotx509_certlist_add_path(l, dir), IOTX509_EPARSE);
	cr_assert(strstr(th_err(), "bad.pem") != NULL, "%s", th_err());
	cr_assert_eq(iotx509_certlist_count(l), 0);
	cr_assert_eq(iotx509_certlist_add_path(l, missing), IOTX509_ENOTFOUND);
	cr_assert(strstr(th_err(), "nope") != NULL, "%s", th_err());
	cr_assert_eq(iotx509_certlist_add_path(l, notes), IOTX509_EPARSE);
	cr_assert(strstr(th_err(), "notes.txt") != NULL, "%s", th_err());
	cr_assert_eq(iotx509_certlist_add_path(NULL, dir), IOTX509_EINVAL);
	iotx509_certlist_free(l);
	th_rmrf(dir);
	free(dir);
	free(bad);
	free(missing);
	free(notes);
}

Test(certlist, add_path_appends_a_file_then_a_directory_after_what_the_list_holds)
{
	trio t;
	char *dir = th_tmpdir(), *sub = th_path(dir, "pool"), *file = th_path(dir, "device.pem");
	char *a = th_path(sub, "a-inter.pem"), *b = th_path(sub, "b-root.pem");
	iotx509_certlist *l = new_list();

	trio_make(&t);
	cr_assert_eq(mkdir(sub, 0700), 0);
	th_write(file, t.pem[0].data, t.pem[0].size);
	th_write(a, t.pem[1].data, t.pem[1].size);
	th_write(b, t.pem[2].data, t.pem[2].size);
	cr_assert_eq(iotx509_certlist_add(l, t.root), 0);
	cr_assert_eq(iotx509_certlist_add_path(l, file), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_count(l), 2);
	cr_assert_eq(iotx509_certlist_add_path(l, sub), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_count(l), 4);
	/* Appended in order, after the certificate already there. */
	assert_same(iotx509_certlist_get(l, 0), t.root);
	assert_same(iotx509_certlist_get(l, 1), t.dev);
	assert_same(iotx509_certlist_get(l, 2), t.inter);
	assert_same(iotx509_certlist_get(l, 3), t.root);
	iotx509_certlist_free(l);
	trio_free(&t);
	th_rmrf(dir);
	free(dir);
	free(sub);
	free(file);
	free(a);
	free(b);
}

Test(certlist, export_pem_ends_every_block_with_newline_and_round_trips)
{
	trio t;
	iotx509_certlist *l = new_list(), *back = NULL;
	iotx509_buf pem = IOTX509_BUF_INIT;
	const char *p;
	int blocks = 0;

	trio_make(&t);
	cr_assert_eq(iotx509_certlist_export_pem(&pem, l), IOTX509_EINVAL);
	cr_assert(strstr(th_err(), "empty") != NULL, "%s", th_err());
	cr_assert_eq(iotx509_certlist_add(l, t.dev), 0);
	cr_assert_eq(iotx509_certlist_add(l, t.inter), 0);
	cr_assert_eq(iotx509_certlist_add(l, t.root), 0);
	cr_assert_eq(iotx509_certlist_export_pem(&pem, l), 0, "%s", th_err());
	cr_assert_eq(strlen((const char *)pem.data), pem.size);
	for (p = (const char *)pem.data; (p = strstr(p, "-----END CERTIFICATE-----")) != NULL; p += 25) {
		cr_assert_eq(p[25], '\n', "block %d does not end with a newline", blocks);
		blocks++;
	}
	cr_assert_eq(blocks, 3);
	cr_assert_eq(pem.size, t.pem[0].size + t.pem[1].size + t.pem[2].size);
	cr_assert_eq(iotx509_certlist_import(&back, pem.data, pem.size), 0);
	cr_assert_eq(iotx509_certlist_count(back), 3);
	assert_same(iotx509_certlist_get(back, 1), t.inter);
	iotx509_buf_dispose(&pem);
	iotx509_certlist_free(back);
	iotx509_certlist_free(l);
	trio_free(&t);
}

Test(certlist, save_writes_0644_and_respects_overwrite)
{
	trio t;
	char *dir = th_tmpdir(), *path = th_path(dir, "bundle.pem"), *text;
	iotx509_certlist *l = new_list();
	struct stat st;

	trio_make(&t);
	cr_assert_eq(iotx509_certlist_save(l, path, NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_certlist_add(l, t.dev), 0);
	cr_assert_eq(iotx509_certlist_add(l, t.root), 0);
	cr_assert_eq(iotx509_certlist_save(l, path, NULL), 0, "%s", th_err());
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0644);
	text = th_slurp(path, NULL);
	cr_assert(strncmp(text, (const char *)t.pem[0].data, t.pem[0].size) == 0);
	free(text);
	cr_assert_eq(iotx509_certlist_save(l, path, NULL), IOTX509_EEXISTS);
	cr_assert_eq(iotx509_certlist_save(l, path, WRITE_OPTS(IOTX509_WRITE_OVERWRITE)), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_save(l, NULL, NULL), IOTX509_EINVAL);
	iotx509_certlist_free(l);
	th_rmrf(dir);
	free(dir);
	free(path);
	trio_free(&t);
}
