#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>

#include "helpers.h"

Test(errors, every_code_has_a_distinct_description)
{
	int codes[] = { IOTX509_EINVAL, IOTX509_ENOMEM, IOTX509_EPARSE, IOTX509_EPASSWORD, IOTX509_EDEVICEID,
			IOTX509_EKEYMISMATCH, IOTX509_ENOTCA, IOTX509_ENOKEYCERTSIGN, IOTX509_EISSUERVALIDITY,
			IOTX509_EVALIDITY, IOTX509_EUNSUPPORTED, IOTX509_ENOTFOUND, IOTX509_EEXISTS, IOTX509_EIO,
			IOTX509_ECRYPTO, IOTX509_ESIGNATURE, IOTX509_EPATHLEN, IOTX509_ELIMIT,
			IOTX509_ENAMECONSTRAINTS };
	size_t i, j, n = sizeof(codes) / sizeof(codes[0]);

	for (i = 0; i < n; i++) {
		cr_assert_str_neq(iotx509_strerror(codes[i]), "unknown error", "code %d", codes[i]);
		for (j = 0; j < i; j++)
			cr_assert_str_neq(iotx509_strerror(codes[i]), iotx509_strerror(codes[j]));
	}
	cr_assert_str_eq(iotx509_strerror(0), "success");
}

Test(errors, unknown_codes_are_described_as_unknown)
{
	cr_assert_str_eq(iotx509_strerror(1), "unknown error");
	cr_assert_str_eq(iotx509_strerror(-10000), "unknown error");
}

Test(errors, last_error_names_the_problem_and_can_be_cleared)
{
	iotx509_key *key = NULL;

	iotx509_error_clear();
	cr_assert_null(iotx509_error_last());
	cr_assert_eq(iotx509_error_last_code(), 0);
	cr_assert_eq(iotx509_key_type_from_name((iotx509_key_type *)&key, "rsa1024"), IOTX509_EINVAL);
	cr_assert_eq(iotx509_error_last_code(), IOTX509_EINVAL);
	cr_assert(strstr(iotx509_error_last(), "rsa1024") != NULL, "%s", th_err());
	iotx509_error_clear();
	cr_assert_null(iotx509_error_last());
}

static void *other_thread(void *arg)
{
	(void)arg;
	/* A fresh thread has no error, whatever the main thread did. */
	if (iotx509_error_last() != NULL)
		return (void *)1;
	iotx509_id_validate_device("", NULL);
	return iotx509_error_last_code() == IOTX509_EDEVICEID ? NULL : (void *)2;
}

Test(errors, last_error_is_thread_local)
{
	pthread_t t;
	void *res;

	iotx509_key_type_from_name(NULL, NULL);
	cr_assert_eq(iotx509_error_last_code(), IOTX509_EINVAL);
	cr_assert_eq(pthread_create(&t, NULL, other_thread, NULL), 0);
	pthread_join(t, &res);
	cr_assert_null(res, "the other thread saw state %p", res);
	/* Our error was not replaced by the other thread's. */
	cr_assert_eq(iotx509_error_last_code(), IOTX509_EINVAL);
}

Test(errors, a_success_keeps_the_last_failure)
{
	iotx509_cert *c = NULL;
	static const unsigned char junk[] = { 'x' };

	iotx509_error_clear();
	cr_assert_eq(iotx509_cert_import(&c, junk, sizeof(junk)), IOTX509_EPARSE);
	cr_assert_eq(iotx509_error_last_code(), IOTX509_EPARSE);
	char *before = strdup(iotx509_error_last());

	cr_assert_eq(iotx509_cert_load(&c, th_fixture("create_test_cert/mytestrootcert_cert.pem")), 0, "%s", th_err());
	cr_assert_eq(iotx509_error_last_code(), IOTX509_EPARSE, "a success does not clear the last failure");
	cr_assert_str_eq(iotx509_error_last(), before);
	iotx509_cert_free(c);
	free(before);
	iotx509_error_clear();
	cr_assert_null(iotx509_error_last());
}

Test(errors, a_tolerated_failure_inside_a_call_leaves_the_last_error_alone)
{
	char *dir = th_tmpdir();
	char *junk = th_path(dir, "store.pfx");
	iotx509_certlist *l = NULL;
	iotx509_cert *c = NULL;
	static const unsigned char der_junk[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };

	th_write(junk, der_junk, sizeof(der_junk));
	cr_assert_eq(iotx509_cert_load(&c, th_fixture("create_test_cert/mytestrootcert_cert.pem")), 0, "%s", th_err());
	free(th_save_cert(dir, "root.pem", c));
	iotx509_cert_free(c);
	c = NULL;
	/* No failure yet: the skipped binary file must not leave one behind. */
	iotx509_error_clear();
	cr_assert_eq(iotx509_certlist_new(&l), 0);
	cr_assert_eq(iotx509_certlist_add_path(l, dir), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_count(l), 1);
	cr_assert_null(iotx509_error_last(), "skipping store.pfx set \"%s\"", iotx509_error_last());
	/* An earlier failure is not wiped by it either. */
	cr_assert_eq(iotx509_cert_import(&c, der_junk, 0), IOTX509_EPARSE);
	iotx509_certlist_free(l);
	cr_assert_eq(iotx509_certlist_new(&l), 0);
	cr_assert_eq(iotx509_certlist_add_path(l, dir), 0, "%s", th_err());
	cr_assert_eq(iotx509_error_last_code(), IOTX509_EPARSE);
	cr_assert(strstr(iotx509_error_last(), "empty") != NULL, "%s", th_err());
	iotx509_certlist_free(l);
	th_rmrf(dir);
	free(junk);
	free(dir);
}
