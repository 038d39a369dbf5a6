/*
 * In-process benchmarks (bench/bench.py drives them and the command-line
 * tools; see doc/performance.md):
 *
 *   bench-issue issue DIR CA KEYTYPE N
 *       per device identity (key + certificate under CA + full chain, all
 *       PEM, in memory): the bare GnuTLS calls that make the same
 *       certificate ("floor"), and the libiotx509 C API ("capi"),
 *       interleaved device by device so both see the same machine load;
 *       plus "crypto": key generation and one signature, nothing else.
 *   bench-issue verify DIR CA ROOT N
 *       chain verification of a device under CA: iotx509_chain_verify()
 *       ("capi") against a GnuTLS trust list built once ("floor").
 *   bench-issue pkcs12 DIR CA ITERATIONS N
 *       iotx509_pkcs12_export() of a device's certificate, key and chain.
 *   bench-issue files OUTDIR N THREADS
 *       the file system alone: N sets of the three files a device gets
 *       (certificate, key, full chain; typical sizes), written the way the
 *       library writes them (an unnamed O_TMPFILE given its name with
 *       linkat()) into OUTDIR by THREADS threads; one line "files" with
 *       the run's wall and process CPU time per set (not medians: the
 *       sets share the run).
 *
 * CA names DIR/CA_cert.pem, DIR/CA_key.pem, DIR/CA_fullchain.pem as the
 * iotx509 tool writes them. Each line of output is
 *   NAME  MEDIAN_WALL_US  MEDIAN_CPU_US  N
 * medians of per-item times; CPU is this thread's CPU time, which other
 * processes on the machine disturb less than wall time.
 */
#include <config.h>

#include <iotx509.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_MODES 3

static int fail(const char *what)
{
	fprintf(stderr, "bench-issue: %s: %s\n", what, iotx509_error_last() ? iotx509_error_last() : "failed");
	exit(1);
}

static int gfail(const char *what, int ret)
{
	fprintf(stderr, "bench-issue: %s: %s\n", what, gnutls_strerror(ret));
	exit(1);
}

static char *path_of(const char *dir, const char *name, const char *suffix)
{
	size_t n = strlen(dir) + strlen(name) + strlen(suffix) + 2;
	char *p = malloc(n);

	if (p == NULL)
		exit(1);
	snprintf(p, n, "%s/%s%s", dir, name, suffix);
	return p;
}

typedef struct {
	struct timespec w, c;
} stamp_t;

static void stamp(stamp_t *s)
{
	clock_gettime(CLOCK_MONOTONIC, &s->w);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &s->c);
}

static double us(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e6 + (double)(b->tv_nsec - a->tv_nsec) / 1e3;
}

typedef struct {
	const char *name;
	double *wall, *cpu;
	size_t n;
} series_t;

static void series_init(series_t *s, const char *name, size_t cap)
{
	s->name = name;
	s->wall = calloc(cap, sizeof(double));
	s->cpu = calloc(cap, sizeof(double));
	s->n = 0;
	if (s->wall == NULL || s->cpu == NULL)
		exit(1);
}

static void series_add(series_t *s, const stamp_t *a, const stamp_t *b)
{
	s->wall[s->n] = us(&a->w, &b->w);
	s->cpu[s->n] = us(&a->c, &b->c);
	s->n++;
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), dcmp);
	return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void series_print(series_t *s)
{
	double w = median(s->wall, s->n), c = median(s->cpu, s->n);

	printf("%-8s %12.1f %12.1f %8zu\n", s->name, w, c, s->n);
	free(s->wall);
	free(s->cpu);
}

/* ---- the CA, for both sides ---- */

typedef struct {
	/* libiotx509 */
	iotx509_credential *cred;
	iotx509_issuer *issuer;
	/* bare GnuTLS */
	gnutls_x509_crt_t crt;
	gnutls_privkey_t key;
	unsigned char ski[64];
	size_t ski_len;
	gnutls_datum_t chain_pem; /* CA_fullchain.pem as it is */
} ca_t;

static gnutls_datum_t read_file(const char *path)
{
	gnutls_datum_t d = { NULL, 0 };
	int ret = gnutls_load_file(path, &d);

	if (ret < 0)
		gfail(path, ret);
	return d;
}

static void ca_load(ca_t *ca, const char *dir, const char *name)
{
	char *cert = path_of(dir, name, "_cert.pem"), *key = path_of(dir, name, "_key.pem");
	char *chain = path_of(dir, name, "_fullchain.pem");
	gnutls_datum_t d;
	unsigned int critical;
	int ret;

	if (iotx509_credential_load(&ca->cred, dir, name, NULL, NULL) < 0)
		fail("load the CA");
	if (iotx509_issuer_new_from_credential(&ca->issuer, ca->cred) < 0)
		fail("CA issuer");
	d = read_file(cert);
	if ((ret = gnutls_x509_crt_init(&ca->crt)) < 0 || (ret = gnutls_x509_crt_import(ca->crt, &d, GNUTLS_X509_FMT_PEM)) < 0)
		gfail(cert, ret);
	gnutls_free(d.data);
	d = read_file(key);
	if ((ret = gnutls_privkey_init(&ca->key)) < 0 ||
	    (ret = gnutls_privkey_import_x509_raw(ca->key, &d, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0)
		gfail(key, ret);
	gnutls_free(d.data);
	ca->ski_len = sizeof(ca->ski);
	if ((ret = gnutls_x509_crt_get_subject_key_id(ca->crt, ca->ski, &ca->ski_len, &critical)) < 0)
		gfail("CA subject key id", ret);
	ca->chain_pem = read_file(chain);
	free(cert);
	free(key);
	free(chain);
}

static void ca_free(ca_t *ca)
{
	iotx509_issuer_free(ca->issuer);
	iotx509_credential_free(ca->cred);
	gnutls_x509_crt_deinit(ca->crt);
	gnutls_privkey_deinit(ca->key);
	gnutls_free(ca->chain_pem.data);
}

/* ---- issue: floor, C API, crypto ---- */

typedef struct {
	iotx509_key_type type;
	gnutls_pk_algorithm_t pk;
	unsigned int bits;
} keytype_t;

static keytype_t parse_keytype(const char *name)
{
	keytype_t k;

	if (iotx509_key_type_from_name(&k.type, name) < 0)
		fail("key type");
	switch (k.type) {
	case IOTX509_KEY_P256:
		k.pk = GNUTLS_PK_ECDSA;
		k.bits = GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1);
		break;
	case IOTX509_KEY_RSA2048:
		k.pk = GNUTLS_PK_RSA;
		k.bits = 2048;
		break;
	default:
		fprintf(stderr, "bench-issue: only p256 and rsa2048 are benchmarked\n");
		exit(2);
	}
	return k;
}

/*
 * The same device identity with GnuTLS calls only: what a program that
 * uses GnuTLS directly has to do at the least (no checks, no handles).
 */
static size_t floor_one(const ca_t *ca, const keytype_t *kt, const char *cn)
{
	gnutls_x509_privkey_t k;
	gnutls_x509_crt_t crt;
	gnutls_datum_t cert_pem = { NULL, 0 }, key_pem = { NULL, 0 };
	unsigned char serial[20], kid[64];
	size_t kid_len = sizeof(kid), total;
	time_t now = time(NULL);
	unsigned char *fullchain;
	int ret;

	if ((ret = gnutls_x509_privkey_init(&k)) < 0 || (ret = gnutls_x509_privkey_generate2(k, kt->pk, kt->bits, 0, NULL, 0)) < 0)
		gfail("floor: key generation", ret);
	if ((ret = gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial))) < 0)
		gfail("floor: serial", ret);
	serial[0] = (serial[0] & 0x7f) | 0x01;
	if ((ret = gnutls_x509_crt_init(&crt)) < 0 || (ret = gnutls_x509_crt_set_version(crt, 3)) < 0 ||
	    (ret = gnutls_x509_crt_set_serial(crt, serial, sizeof(serial))) < 0 ||
	    (ret = gnutls_x509_crt_set_activation_time(crt, now - 300)) < 0 ||
	    (ret = gnutls_x509_crt_set_expiration_time(crt, now + 365 * 86400)) < 0 ||
	    (ret = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn, (unsigned)strlen(cn))) < 0 ||
	    (ret = gnutls_x509_crt_set_key(crt, k)) < 0 || (ret = gnutls_x509_crt_set_basic_constraints(crt, 0, -1)) < 0 ||
	    (ret = gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
							   (kt->pk == GNUTLS_PK_RSA ? GNUTLS_KEY_KEY_ENCIPHERMENT : 0))) < 0 ||
	    (ret = gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_CLIENT, 0)) < 0 ||
	    (ret = gnutls_x509_privkey_get_key_id(k, GNUTLS_KEYID_USE_SHA1, kid, &kid_len)) < 0 ||
	    (ret = gnutls_x509_crt_set_subject_key_id(crt, kid, kid_len)) < 0 ||
	    (ret = gnutls_x509_crt_set_authority_key_id(crt, ca->ski, ca->ski_len)) < 0)
		gfail("floor: certificate", ret);
	if ((ret = gnutls_x509_crt_privkey_sign(crt, ca->crt, ca->key, GNUTLS_DIG_SHA256, 0)) < 0)
		gfail("floor: signature", ret);
	if ((ret = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &cert_pem)) < 0 ||
	    (ret = gnutls_x509_privkey_export2_pkcs8(k, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &key_pem)) < 0)
		gfail("floor: export", ret);
	fullchain = malloc(cert_pem.size + ca->chain_pem.size);
	if (fullchain == NULL)
		exit(1);
	memcpy(fullchain, cert_pem.data, cert_pem.size);
	memcpy(fullchain + cert_pem.size, ca->chain_pem.data, ca->chain_pem.size);
	total = cert_pem.size + key_pem.size + cert_pem.size + ca->chain_pem.size;
	free(fullchain);
	gnutls_memset(key_pem.data, 0, key_pem.size);
	gnutls_free(key_pem.data);
	gnutls_free(cert_pem.data);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(k);
	return total;
}

/* The same identity through the C API, as iotx509/credential.h shows it. */
static size_t capi_one(const ca_t *ca, const keytype_t *kt, const char *cn)
{
	iotx509_key *k = NULL;
	iotx509_cert *cert = NULL;
	iotx509_credential *cred = NULL;
	iotx509_buf cert_pem = IOTX509_BUF_INIT, key_pem = IOTX509_BUF_INIT, chain_pem = IOTX509_BUF_INIT;
	size_t total;

	if (iotx509_key_generate(&k, kt->type) < 0 || iotx509_issue_device(&cert, ca->issuer, k, cn, NULL) < 0 ||
	    iotx509_credential_new(&cred, cert, k, iotx509_credential_get_chain(ca->cred), NULL) < 0 ||
	    iotx509_cert_export_pem(&cert_pem, cert) < 0 || iotx509_key_export_pem(&key_pem, k, NULL) < 0 ||
	    iotx509_certlist_export_pem(&chain_pem, iotx509_credential_get_chain(cred)) < 0)
		fail("capi");
	total = cert_pem.size + key_pem.size + chain_pem.size;
	iotx509_buf_dispose(&cert_pem);
	iotx509_buf_dispose(&key_pem);
	iotx509_buf_dispose(&chain_pem);
	iotx509_credential_free(cred);
	iotx509_cert_free(cert);
	iotx509_key_free(k);
	return total;
}

/* Key generation and one signature over a certificate-sized message. */
static void crypto_one(const keytype_t *kt)
{
	gnutls_privkey_t k;
	gnutls_datum_t msg, sig = { NULL, 0 };
	unsigned char buf[400];
	int ret;

	memset(buf, 0x5a, sizeof(buf));
	msg.data = buf;
	msg.size = sizeof(buf);
	if ((ret = gnutls_privkey_init(&k)) < 0 || (ret = gnutls_privkey_generate2(k, kt->pk, kt->bits, 0, NULL, 0)) < 0 ||
	    (ret = gnutls_privkey_sign_data(k, GNUTLS_DIG_SHA256, 0, &msg, &sig)) < 0)
		gfail("crypto", ret);
	gnutls_free(sig.data);
	gnutls_privkey_deinit(k);
}

static int cmd_issue(const char *dir, const char *name, const char *keytype, size_t n)
{
	keytype_t kt = parse_keytype(keytype);
	series_t s[3];
	ca_t ca;
	size_t i, m;
	char cn[64];

	memset(&ca, 0, sizeof(ca));
	ca_load(&ca, dir, name);
	series_init(&s[0], "crypto", n);
	series_init(&s[1], "floor", n);
	series_init(&s[2], "capi", n);
	/* One of each untimed first: the libraries warm up their tables. */
	floor_one(&ca, &kt, "warm-up");
	capi_one(&ca, &kt, "warm-up");
	crypto_one(&kt);
	for (i = 0; i < n; i++) {
		stamp_t a, b;

		snprintf(cn, sizeof(cn), "bench-device-%06zu", i);
		/* Alternate the order so neither side always runs first. */
		for (m = 0; m < 3; m++) {
			size_t which = (m + i) % 3;

			stamp(&a);
			if (which == 0)
				crypto_one(&kt);
			else if (which == 1)
				floor_one(&ca, &kt, cn);
			else
				capi_one(&ca, &kt, cn);
			stamp(&b);
			series_add(&s[which], &a, &b);
		}
	}
	for (m = 0; m < 3; m++)
		series_print(&s[m]);
	ca_free(&ca);
	return 0;
}

/* ---- chain verification ---- */

static int cmd_verify(const char *dir, const char *name, const char *root_name, size_t n)
{
	ca_t ca;
	keytype_t kt = parse_keytype("p256");
	iotx509_key *k = NULL;
	iotx509_cert *dev = NULL;
	iotx509_credential *cred = NULL;
	iotx509_certlist *anchors = NULL;
	iotx509_verify_options vo = IOTX509_VERIFY_OPTIONS_INIT;
	iotx509_verify_status st;
	gnutls_x509_trust_list_t tl;
	gnutls_x509_crt_t clist[8];
	gnutls_typed_vdata_st vdata;
	char *root_path = path_of(dir, root_name, "_cert.pem");
	series_t s[2];
	size_t i, m, nchain;
	unsigned int status;
	int ret;

	(void)kt;
	memset(&ca, 0, sizeof(ca));
	ca_load(&ca, dir, name);
	if (iotx509_key_generate(&k, IOTX509_KEY_P256) < 0 || iotx509_issue_device(&dev, ca.issuer, k, "bench-verify", NULL) < 0 ||
	    iotx509_credential_new(&cred, dev, k, iotx509_credential_get_chain(ca.cred), NULL) < 0 ||
	    iotx509_certlist_new(&anchors) < 0 || iotx509_certlist_add_path(anchors, root_path) < 0)
		fail("verify setup");
	vo.flags = IOTX509_VERIFY_DEVICE;

	/* GnuTLS: the root in a trust list made once, the chain parsed once. */
	if ((ret = gnutls_x509_trust_list_init(&tl, 0)) < 0)
		gfail("trust list", ret);
	{
		gnutls_datum_t d = read_file(root_path);
		gnutls_x509_crt_t root;

		if ((ret = gnutls_x509_crt_init(&root)) < 0 || (ret = gnutls_x509_crt_import(root, &d, GNUTLS_X509_FMT_PEM)) < 0 ||
		    (ret = gnutls_x509_trust_list_add_cas(tl, &root, 1, 0)) < 0)
			gfail("trust anchor", ret);
		gnutls_free(d.data);
	}
	nchain = iotx509_certlist_count(iotx509_credential_get_chain(cred));
	if (nchain > 8)
		nchain = 8;
	for (i = 0; i < nchain; i++) {
		iotx509_buf der = IOTX509_BUF_INIT;
		gnutls_datum_t d;

		if (iotx509_cert_export_der(&der, iotx509_certlist_get(iotx509_credential_get_chain(cred), i)) < 0)
			fail("export");
		d.data = der.data;
		d.size = (unsigned int)der.size;
		if ((ret = gnutls_x509_crt_init(&clist[i])) < 0 || (ret = gnutls_x509_crt_import(clist[i], &d, GNUTLS_X509_FMT_DER)) < 0)
			gfail("chain", ret);
		iotx509_buf_dispose(&der);
	}
	vdata.type = GNUTLS_DT_KEY_PURPOSE_OID;
	vdata.data = (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT;
	vdata.size = 0;

	series_init(&s[0], "floor", n);
	series_init(&s[1], "capi", n);
	for (i = 0; i < n; i++) {
		for (m = 0; m < 2; m++) {
			size_t which = (m + i) % 2;
			stamp_t a, b;

			stamp(&a);
			if (which == 0) {
				if ((ret = gnutls_x509_trust_list_verify_crt2(tl, clist, (unsigned int)nchain, &vdata, 1, 0, &status,
									      NULL)) < 0 || status != 0)
					gfail("GnuTLS verification", ret < 0 ? ret : GNUTLS_E_CERTIFICATE_ERROR);
			} else if (iotx509_chain_verify(&st, iotx509_credential_get_chain(cred), anchors, &vo) < 0 ||
				   st != IOTX509_VERIFY_OK) {
				fail("iotx509_chain_verify");
			}
			stamp(&b);
			series_add(&s[which], &a, &b);
		}
	}
	series_print(&s[0]);
	series_print(&s[1]);
	for (i = 0; i < nchain; i++)
		gnutls_x509_crt_deinit(clist[i]);
	gnutls_x509_trust_list_deinit(tl, 1);
	iotx509_certlist_free(anchors);
	iotx509_credential_free(cred);
	iotx509_cert_free(dev);
	iotx509_key_free(k);
	ca_free(&ca);
	free(root_path);
	return 0;
}

/* ---- PKCS#12 export ---- */

static int cmd_pkcs12(const char *dir, const char *name, unsigned int iterations, size_t n)
{
	ca_t ca;
	iotx509_credential *dev = NULL;
	iotx509_credential_options partial = IOTX509_CREDENTIAL_OPTIONS_INIT;
	iotx509_pkcs12_options po = IOTX509_PKCS12_OPTIONS_INIT;
	series_t s;
	size_t i;

	memset(&ca, 0, sizeof(ca));
	partial.flags = IOTX509_CREDENTIAL_PARTIAL_CHAIN;
	ca_load(&ca, dir, name);
	/* The device the shell side exports too: DIR/bench-p12_*.pem. */
	if (iotx509_credential_load(&dev, dir, "bench-p12", NULL, &partial) < 0)
		fail("load DIR/bench-p12");
	po.iterations = iterations;
	series_init(&s, "capi", n);
	for (i = 0; i < n; i++) {
		iotx509_buf pfx = IOTX509_BUF_INIT;
		stamp_t a, b;

		stamp(&a);
		if (iotx509_pkcs12_export(&pfx, iotx509_credential_get_cert(dev), iotx509_credential_get_key(dev),
					  iotx509_credential_get_chain(dev), "bench-password", &po) < 0)
			fail("iotx509_pkcs12_export");
		stamp(&b);
		series_add(&s, &a, &b);
		iotx509_buf_dispose(&pfx);
	}
	series_print(&s);
	iotx509_credential_free(dev);
	ca_free(&ca);
	return 0;
}

/* ---- the file system alone ---- */

typedef struct {
	const char *dir;
	size_t n, first, step;
} files_job;

/* One file, as lib/file.c writes it when nothing is in the way. */
static void write_one(const char *dir, const char *name, size_t size, mode_t mode)
{
	static const char fill[2048] = { 'A' };
	char path[4096], proc[64];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
	if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
		/* As lib/file.c does without O_TMPFILE: a named file, then link(). */
		char tmp[4200];

		snprintf(tmp, sizeof(tmp), "%s.tmp", path);
		if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)) < 0 ||
		    write(fd, fill, size) != (ssize_t)size || close(fd) != 0 || link(tmp, path) != 0 || unlink(tmp) != 0) {
			perror(path);
			exit(1);
		}
		return;
	}
	if (fd < 0) {
		perror("bench-issue files: O_TMPFILE");
		exit(1);
	}
	if (write(fd, fill, size) != (ssize_t)size)
		fail("write");
	if (linkat(fd, "", AT_FDCWD, path, AT_EMPTY_PATH) != 0) {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) != 0) {
			perror(path);
			exit(1);
		}
	}
	close(fd);
}

static void *files_worker(void *arg)
{
	const files_job *j = arg;
	char name[64];
	size_t i;

	for (i = j->first; i < j->n; i += j->step) {
		snprintf(name, sizeof(name), "dev-%zu_cert.pem", i);
		write_one(j->dir, name, 650, 0644);
		snprintf(name, sizeof(name), "dev-%zu_key.pem", i);
		write_one(j->dir, name, 241, 0600);
		snprintf(name, sizeof(name), "dev-%zu_fullchain.pem", i);
		write_one(j->dir, name, 1900, 0644);
	}
	return NULL;
}

static int cmd_files(const char *dir, size_t n, unsigned int threads)
{
	pthread_t t[64];
	files_job j[64];
	struct timespec w0, w1, c0, c1;
	unsigned int i;

	if (threads < 1 || threads > 64 || n == 0)
		return fail("files: 1 to 64 threads, at least one set");
	clock_gettime(CLOCK_MONOTONIC, &w0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	for (i = 0; i < threads; i++) {
		j[i].dir = dir;
		j[i].n = n;
		j[i].first = i;
		j[i].step = threads;
		if (pthread_create(&t[i], NULL, files_worker, &j[i]) != 0)
			return fail("pthread_create");
	}
	for (i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &w1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	/* CPU: of all threads, which shows what contention costs. */
	printf("files %.1f %.1f %zu\n", us(&w0, &w1) / (double)n, us(&c0, &c1) / (double)n, n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "files") == 0)
		return cmd_files(argv[2], strtoul(argv[3], NULL, 10), (unsigned int)strtoul(argv[4], NULL, 10));
	if (argc == 6 && strcmp(argv[1], "issue") == 0)
		return cmd_issue(argv[2], argv[3], argv[4], strtoul(argv[5], NULL, 10));
	if (argc == 6 && strcmp(argv[1], "verify") == 0)
		return cmd_verify(argv[2], argv[3], argv[4], strtoul(argv[5], NULL, 10));
	if (argc == 6 && strcmp(argv[1], "pkcs12") == 0)
		return cmd_pkcs12(argv[2], argv[3], (unsigned int)strtoul(argv[4], NULL, 10), strtoul(argv[5], NULL, 10));
	fputs("usage: bench-issue issue DIR CA KEYTYPE N\n"
	      "       bench-issue verify DIR CA ROOT N\n"
	      "       bench-issue pkcs12 DIR CA ITERATIONS N\n"
	      "       bench-issue files OUTDIR N THREADS\n",
	      stderr);
	return 2;
}
