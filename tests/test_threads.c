/*
 * Thread safety (doc/threads.md): many threads issuing at once, with one
 * shared CA (issuer, chain) or with handles of their own. The threads only
 * record what they did; every check runs afterwards in the test's thread.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define THREADS 8
#define PER_THREAD 12

static iotx509_key *root_key, *int_key;
static iotx509_cert *root, *inter;
static iotx509_issuer *root_issuer, *int_issuer;
static iotx509_certlist *pool, *anchors;
static char *dir;
static pthread_barrier_t start;

static void setup(void)
{
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;

	dir = th_tmpdir();
	o.at = TH_FIXTURE_TIME;
	th_make_root(&root_key, &root, &root_issuer, "threads-root", TH_FIXTURE_TIME);
	cr_assert_eq(iotx509_key_generate(&int_key, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_intermediate(&inter, root_issuer, int_key, "threads-int", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issuer_new(&int_issuer, inter, int_key), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_new(&pool), 0);
	cr_assert_eq(iotx509_certlist_add(pool, inter), 0);
	cr_assert_eq(iotx509_certlist_add(pool, root), 0);
	cr_assert_eq(iotx509_certlist_new(&anchors), 0);
	cr_assert_eq(iotx509_certlist_add(anchors, root), 0);
	pthread_barrier_init(&start, NULL, THREADS);
}

static void teardown(void)
{
	pthread_barrier_destroy(&start);
	iotx509_certlist_free(pool);
	iotx509_certlist_free(anchors);
	iotx509_issuer_free(root_issuer);
	iotx509_issuer_free(int_issuer);
	iotx509_cert_free(root);
	iotx509_cert_free(inter);
	iotx509_key_free(root_key);
	iotx509_key_free(int_key);
	th_rmrf(dir);
	free(dir);
}

TestSuite(threads, .init = setup, .fini = teardown, .timeout = 120);

/* What one thread made: a credential per device, or the first error. */
typedef struct {
	int index;
	const iotx509_issuer *issuer; /* shared, or NULL: load one of its own */
	iotx509_credential *creds[PER_THREAD];
	int err;
	char msg[512];
	char pem_first_line[PER_THREAD][40];
} job_t;

static void *issue_many(void *arg)
{
	job_t *j = arg;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_issuer *own = NULL;
	const iotx509_issuer *issuer = j->issuer;
	int i, err = 0;

	o.at = TH_FIXTURE_TIME;
	if (issuer == NULL) {
		char *c = th_path(dir, "int_cert.pem"), *k = th_path(dir, "int_key.pem");

		err = iotx509_issuer_load(&own, c, k, NULL);
		issuer = own;
		free(c);
		free(k);
	}
	pthread_barrier_wait(&start);
	for (i = 0; err == 0 && i < PER_THREAD; i++) {
		iotx509_key *key = NULL;
		iotx509_cert *cert = NULL;
		iotx509_buf pem = IOTX509_BUF_INIT;
		char id[64];

		snprintf(id, sizeof(id), "thread-%d-device-%02d", j->index, i);
		/* Some RSA subject keys, so RSA and ECDSA certificates are made side
		 * by side (few: RSA key generation is slow under valgrind). */
		err = iotx509_key_generate(&key, i == 0 && j->index % 2 == 0 ? IOTX509_KEY_RSA2048 : IOTX509_KEY_P256);
		if (!err)
			err = iotx509_issue_device(&cert, issuer, key, id, &o);
		if (!err)
			err = iotx509_credential_new(&j->creds[i], cert, key, pool, NULL);
		if (!err)
			err = iotx509_cert_export_pem(&pem, cert);
		if (!err)
			snprintf(j->pem_first_line[i], sizeof(j->pem_first_line[i]), "%.27s", (const char *)pem.data);
		iotx509_buf_dispose(&pem);
		iotx509_cert_free(cert);
		iotx509_key_free(key);
	}
	if (err) {
		j->err = err;
		snprintf(j->msg, sizeof(j->msg), "%s", iotx509_error_last() ? iotx509_error_last() : "?");
	}
	iotx509_issuer_free(own);
	return NULL;
}

static int strcmp_p(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every certificate: right CN, verifies under the root as a device, its
 * key is the credential's; and all serial numbers differ. */
static void check_all(job_t *jobs)
{
	iotx509_verify_options vo = IOTX509_VERIFY_OPTIONS_INIT;
	const char *serials[THREADS * PER_THREAD];
	size_t n = 0, i;
	int t, d;

	vo.at = TH_FIXTURE_TIME + 3600;
	vo.flags = IOTX509_VERIFY_DEVICE;
	for (t = 0; t < THREADS; t++) {
		cr_assert_eq(jobs[t].err, 0, "thread %d failed: %s", t, jobs[t].msg);
		for (d = 0; d < PER_THREAD; d++) {
			const iotx509_credential *c = jobs[t].creds[d];
			const iotx509_cert *cert = iotx509_credential_get_cert(c);
			iotx509_verify_status st;
			char id[64];

			snprintf(id, sizeof(id), "thread-%d-device-%02d", t, d);
			cr_assert_str_eq(iotx509_cert_get_subject_cn(cert), id);
			cr_assert_str_eq(iotx509_cert_get_issuer_cn(cert), "threads-int");
			cr_assert_eq(iotx509_cert_check_key(cert, iotx509_credential_get_key(c)), 0, "%s", th_err());
			cr_assert_eq(iotx509_certlist_count(iotx509_credential_get_chain(c)), 3);
			cr_assert_eq(iotx509_chain_verify(&st, iotx509_credential_get_chain(c), anchors, &vo), 0, "%s",
				     th_err());
			cr_assert_eq(st, IOTX509_VERIFY_OK, "%s: %s (%s)", id, iotx509_verify_status_description(st), th_err());
			cr_assert_str_eq(jobs[t].pem_first_line[d], "-----BEGIN CERTIFICATE-----");
			serials[n++] = iotx509_cert_get_serial_hex(cert);
		}
	}
	qsort(serials, n, sizeof(serials[0]), strcmp_p);
	for (i = 1; i < n; i++)
		cr_assert_str_neq(serials[i - 1], serials[i], "two certificates share the serial %s", serials[i]);
}

static void run_jobs(job_t *jobs, const iotx509_issuer *shared)
{
	pthread_t th[THREADS];
	int t, d;

	for (t = 0; t < THREADS; t++) {
		memset(&jobs[t], 0, sizeof(jobs[t]));
		jobs[t].index = t;
		jobs[t].issuer = shared;
		cr_assert_eq(pthread_create(&th[t], NULL, issue_many, &jobs[t]), 0);
	}
	for (t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	check_all(jobs);
	for (t = 0; t < THREADS; t++)
		for (d = 0; d < PER_THREAD; d++)
			iotx509_credential_free(jobs[t].creds[d]);
}

Test(threads, eight_threads_share_one_issuer_and_every_certificate_verifies)
{
	job_t jobs[THREADS];

	run_jobs(jobs, int_issuer);
}

Test(threads, eight_threads_with_their_own_issuer_handles)
{
	job_t jobs[THREADS];
	char *c = th_save_cert(dir, "int_cert.pem", inter), *k = th_save_key(dir, "int_key.pem", int_key);

	run_jobs(jobs, NULL);
	free(c);
	free(k);
}

/* One parent credential shared by every thread, as a batch's workers share it. */
typedef struct {
	const iotx509_credential *parent;
	int index, err;
	char msg[512];
	size_t pfx_size;
} p12job_t;

static void *export_pfx(void *arg)
{
	p12job_t *j = arg;
	iotx509_issuer *is = NULL;
	iotx509_key *key = NULL;
	iotx509_cert *cert = NULL;
	iotx509_credential *cred = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_buf pfx = IOTX509_BUF_INIT;
	char id[32];

	o.at = TH_FIXTURE_TIME;
	snprintf(id, sizeof(id), "pfx-%d", j->index);
	pthread_barrier_wait(&start);
	if ((j->err = iotx509_issuer_new_from_credential(&is, j->parent)) == 0 &&
	    (j->err = iotx509_key_generate(&key, IOTX509_KEY_P256)) == 0 &&
	    (j->err = iotx509_issue_device(&cert, is, key, id, &o)) == 0 &&
	    (j->err = iotx509_credential_new(&cred, cert, key, iotx509_credential_get_chain(j->parent), NULL)) == 0 &&
	    (j->err = iotx509_pkcs12_export(&pfx, cert, key, iotx509_credential_get_chain(cred), "pw-1234", NULL)) == 0)
		j->pfx_size = pfx.size;
	if (j->err)
		snprintf(j->msg, sizeof(j->msg), "%s", th_err());
	iotx509_buf_dispose(&pfx);
	iotx509_credential_free(cred);
	iotx509_cert_free(cert);
	iotx509_key_free(key);
	iotx509_issuer_free(is);
	return NULL;
}

Test(threads, a_shared_parent_credential_serves_issuers_and_pkcs12_exports)
{
	iotx509_credential *parent = NULL;
	p12job_t jobs[THREADS];
	pthread_t th[THREADS];
	int t;

	cr_assert_eq(iotx509_credential_new(&parent, inter, int_key, pool, NULL), 0, "%s", th_err());
	for (t = 0; t < THREADS; t++) {
		memset(&jobs[t], 0, sizeof(jobs[t]));
		jobs[t].parent = parent;
		jobs[t].index = t;
		cr_assert_eq(pthread_create(&th[t], NULL, export_pfx, &jobs[t]), 0);
	}
	for (t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	for (t = 0; t < THREADS; t++) {
		cr_assert_eq(jobs[t].err, 0, "thread %d: %s", t, jobs[t].msg);
		cr_assert_gt(jobs[t].pfx_size, 1000);
	}
	iotx509_credential_free(parent);
}

/* Each thread sees its own last error, whatever the others do meanwhile. */
typedef struct {
	int index, code;
	char msg[512];
} errjob_t;

static void *fail_in_thread(void *arg)
{
	errjob_t *j = arg;
	iotx509_key *key = NULL;
	iotx509_cert *cert = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	char id[32];
	int i;

	o.at = TH_FIXTURE_TIME;
	/* An upper-case letter at a position that names the thread. */
	snprintf(id, sizeof(id), "dev-%dX", j->index);
	iotx509_key_generate(&key, IOTX509_KEY_P256);
	pthread_barrier_wait(&start);
	for (i = 0; i < 50; i++) {
		j->code = iotx509_issue_device(&cert, int_issuer, key, id, &o);
		/* Let another thread's error land in between, if errors were shared. */
		sched_yield();
	}
	snprintf(j->msg, sizeof(j->msg), "%s", iotx509_error_last() ? iotx509_error_last() : "");
	iotx509_key_free(key);
	return NULL;
}

Test(threads, error_messages_belong_to_the_thread_that_failed)
{
	errjob_t jobs[THREADS];
	pthread_t th[THREADS];
	int t;

	for (t = 0; t < THREADS; t++) {
		memset(&jobs[t], 0, sizeof(jobs[t]));
		jobs[t].index = t;
		cr_assert_eq(pthread_create(&th[t], NULL, fail_in_thread, &jobs[t]), 0);
	}
	for (t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	for (t = 0; t < THREADS; t++) {
		char expect[32];

		snprintf(expect, sizeof(expect), "'dev-%dX'", t);
		cr_assert_eq(jobs[t].code, IOTX509_EDEVICEID);
		cr_assert(strstr(jobs[t].msg, expect) != NULL, "thread %d got another thread's message: %s", t,
			  jobs[t].msg);
	}
}
