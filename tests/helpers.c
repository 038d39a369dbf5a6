#include "helpers.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* make check exports IOTX509_FIXTURES too; the environment wins, so a test
 * can point a program at a damaged copy. */
static const char *fixture_root(void)
{
	const char *env = getenv("IOTX509_FIXTURES");

	return env && *env ? env : IOTX509_TEST_FIXTURES;
}

static void fixture_path(char *b, size_t size, const char *rel)
{
	snprintf(b, size, "%s/%s", fixture_root(), rel);
	cr_assert(access(b, R_OK) == 0, "fixture %s is missing (configure --with-fixtures=DIR)", b);
}

const char *th_fixture(const char *rel)
{
	static char bufs[8][4096];
	static int slot;
	char *b = bufs[slot++ % 8];

	fixture_path(b, sizeof(bufs[0]), rel);
	return b;
}

/* Tests that scan a whole fixture directory count what they find: check the
 * set first, so a stripped file is named instead of showing up as a count. */
const char *th_fixture_dir(const char *rel)
{
	static const char *const files[] = {
		"certgen_sh/azure-iot-test-only.chain.ca.cert.pem",
		"certgen_sh/azure-iot-test-only.intermediate.cert.pem",
		"certgen_sh/azure-iot-test-only.root.ca.cert.pem",
		"certgen_sh/azure-iot-test-only.root.ca.key.pem",
		"certgen_sh/new-device.cert.pem",
		"certgen_sh/new-device.cert.pfx",
		"certgen_sh/new-device.key.pem",
		"certgen_sh/new-edge-device.cert.pem",
		"certgen_sh/verification-code.cert.pem",
		"create_test_cert/myintermediate.pfx",
		"create_test_cert/myintermediate_cert.pem",
		"create_test_cert/myintermediate_fullchain.pem",
		"create_test_cert/myintermediate_key.pem",
		"create_test_cert/mytestrootcert.pfx",
		"create_test_cert/mytestrootcert_cert.pem",
		"create_test_cert/mytestrootcert_fullchain.pem",
		"create_test_cert/mytestrootcert_key.pem",
		"create_test_cert/mytestselfcertprimary.pfx",
		"create_test_cert/mytestselfcertprimary_cert.pem",
		"create_test_cert/mytestselfcertprimary_fullchain.pem",
		"create_test_cert/mytestselfcertprimary_key.pem",
		"create_test_cert/sampleDevice01.pfx",
		"create_test_cert/sampleDevice01_cert.pem",
		"create_test_cert/sampleDevice01_fullchain.pem",
		"create_test_cert/sampleDevice01_key.pem",
		"create_test_cert/verification.pfx",
		"create_test_cert/verification_cert.pem",
		"create_test_cert/verification_fullchain.pem",
		"create_test_cert/verification_key.pem",
	};
	size_t n = strlen(rel), i;
	char b[4096];

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (n == 0 || (strncmp(files[i], rel, n) == 0 && files[i][n] == '/'))
			fixture_path(b, sizeof(b), files[i]);
	return n == 0 ? fixture_root() : th_fixture(rel);
}

/* A new directory under $TMPDIR (or /tmp): a run can be pointed at
 * another file system, e.g. one without extended attributes. */
char *th_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *d;

	if (base == NULL || *base == '\0')
		base = "/tmp";
	d = th_path(base, "iotx509-test.XXXXXX");
	cr_assert(mkdtemp(d) != NULL, "mkdtemp in %s failed", base);
	return d;
}

void th_rmrf(const char *dir)
{
	/* Only what th_tmpdir() made, wherever $TMPDIR pointed. */
	if (dir != NULL && dir[0] == '/' && strstr(dir, "/iotx509-test.") != NULL)
		th_run(NULL, "chmod -R u+w '%s' 2>/dev/null; rm -rf '%s'", dir, dir);
}

char *th_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	cr_assert(p != NULL);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

int th_run(char **output, const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	FILE *f;
	int status;
	size_t cap = 4096, len = 0;
	char *out;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	f = popen(cmd, "r");
	if (f == NULL)
		return -1;
	out = malloc(cap);
	for (;;) {
		size_t n;

		if (len + 1024 > cap)
			out = realloc(out, cap *= 2);
		n = fread(out + len, 1, cap - len - 1, f);
		if (n == 0)
			break;
		len += n;
	}
	out[len] = '\0';
	status = pclose(f);
	if (output)
		*output = out;
	else
		free(out);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int th_have(const char *tool)
{
	return th_run(NULL, "command -v '%s' >/dev/null", tool) == 0;
}

char *th_slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (size)
		*size = (size_t)n;
	return buf;
}

void th_write(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	cr_assert(f != NULL, "cannot create %s", path);
	cr_assert(fwrite(data, 1, size, f) == size);
	fclose(f);
}

const char *th_err(void)
{
	const char *m = iotx509_error_last();

	return m ? m : "(no message)";
}

iotx509_strlist *th_strlist(const char *first, ...)
{
	iotx509_strlist *list = NULL;
	const char *s;
	va_list ap;

	cr_assert_eq(iotx509_strlist_new(&list), 0, "%s", th_err());
	va_start(ap, first);
	for (s = first; s != NULL; s = va_arg(ap, const char *))
		cr_assert_eq(iotx509_strlist_add(list, s), 0, "%s", th_err());
	va_end(ap);
	return list;
}

int th_enrollment_set_cert(iotx509_enrollment *e, iotx509_enrollment_slot slot, const iotx509_cert *cert, int verified)
{
	int rc = iotx509_enrollment_set_cert(e, slot, cert);

	return rc < 0 ? rc : iotx509_enrollment_set_verified(e, slot, verified);
}

int th_enrollment_load(iotx509_enrollment *e, iotx509_enrollment_slot slot, const char *ref, int verified)
{
	int rc = iotx509_enrollment_set_ref(e, slot, ref);

	return rc < 0 ? rc : iotx509_enrollment_set_verified(e, slot, verified);
}

void th_version_refused(int rc, unsigned int version)
{
	th_version_refused_named(rc, version, NULL);
}

void th_version_refused_named(int rc, unsigned int version, const char *what)
{
	char want[160];

	/* Every options struct is named "<something> options" in messages. */
	snprintf(want, sizeof(want), "%s: unsupported version %u (this library accepts 1 to ", what ? what : " options",
		 version);
	cr_assert_eq(rc, IOTX509_EINVAL, "version %u: got %d", version, rc);
	cr_assert(strstr(th_err(), want) != NULL, "version %u: %s (wanted '%s')", version, th_err(), want);
}

char *th_save_cert(const char *dir, const char *name, const iotx509_cert *cert)
{
	char *p = th_path(dir, name);

	cr_assert_eq(iotx509_cert_save(cert, p, WRITE_OPTS(IOTX509_WRITE_OVERWRITE)), 0, "%s", th_err());
	return p;
}

char *th_save_key(const char *dir, const char *name, const iotx509_key *key)
{
	char *p = th_path(dir, name);

	cr_assert_eq(iotx509_key_save(key, p, NULL, WRITE_OPTS(IOTX509_WRITE_OVERWRITE)), 0, "%s", th_err());
	return p;
}

void th_make_root(iotx509_key **key, iotx509_cert **cert, iotx509_issuer **issuer, const char *cn, int64_t now)
{
	iotx509_issue_options opts = IOTX509_ISSUE_OPTIONS_INIT;

	opts.at = now;
	cr_assert_eq(iotx509_key_generate(key, IOTX509_KEY_P256), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_root(cert, *key, cn, &opts), 0, "%s", th_err());
	if (issuer)
		cr_assert_eq(iotx509_issuer_new(issuer, *cert, *key), 0, "%s", th_err());
}

iotx509_certlist *th_certlist(const iotx509_cert *a, const iotx509_cert *b, const iotx509_cert *c)
{
	const iotx509_cert *certs[] = { a, b, c };
	iotx509_certlist *l = NULL;
	size_t i;

	cr_assert_eq(iotx509_certlist_new(&l), 0);
	for (i = 0; i < 3; i++)
		if (certs[i] != NULL)
			cr_assert_eq(iotx509_certlist_add(l, certs[i]), 0, "%s", th_err());
	return l;
}

void th_crt_begin(gnutls_x509_crt_t *crt, const char *cn, int ca, gnutls_x509_privkey_t key, int64_t nb, int64_t na)
{
	static unsigned int serial;
	unsigned char sn[4];

	serial++;
	sn[0] = 0x10;
	sn[1] = (unsigned char)(serial >> 16);
	sn[2] = (unsigned char)(serial >> 8);
	sn[3] = (unsigned char)serial;
	cr_assert_eq(gnutls_x509_crt_init(crt), 0);
	gnutls_x509_crt_set_version(*crt, 3);
	gnutls_x509_crt_set_serial(*crt, sn, sizeof(sn));
	gnutls_x509_crt_set_activation_time(*crt, (time_t)nb);
	gnutls_x509_crt_set_expiration_time(*crt, (time_t)na);
	cr_assert_eq(gnutls_x509_crt_set_dn_by_oid(*crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn, strlen(cn)), 0);
	cr_assert_eq(gnutls_x509_crt_set_key(*crt, key), 0);
	gnutls_x509_crt_set_basic_constraints(*crt, (unsigned int)ca, -1);
	gnutls_x509_crt_set_key_usage(*crt, ca ? GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN
					       : GNUTLS_KEY_DIGITAL_SIGNATURE);
}

iotx509_cert *th_crt_finish(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer, gnutls_x509_privkey_t signer)
{
	gnutls_datum_t der = { NULL, 0 };
	iotx509_cert *c = NULL;

	cr_assert_eq(gnutls_x509_crt_sign2(crt, issuer ? issuer : crt, signer, GNUTLS_DIG_SHA256, 0), 0);
	cr_assert_eq(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der), 0);
	cr_assert_eq(iotx509_cert_import(&c, der.data, der.size), 0, "%s", th_err());
	gnutls_free(der.data);
	return c;
}
