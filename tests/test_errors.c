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
	iotx509_id_validate_device("", IOTX509_ID_POLICY_DPS, 0);
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
