/*
 * "A device ID is validated once per issuance" (issue 14), observed: the
 * library is linked statically with the linker wrapping iox_id_validate(),
 * the one place every device ID check goes through, and each issuance path
 * counts the calls it makes.
 */
#include <criterion/criterion.h>
#include <iotx509.h>
#include <string.h>

#include "helpers.h"

int __real_iox_id_validate(const char *id, iotx509_id_policy policy, unsigned int flags);
int __wrap_iox_id_validate(const char *id, iotx509_id_policy policy, unsigned int flags);

static int calls;
static char last[128];

int __wrap_iox_id_validate(const char *id, iotx509_id_policy policy, unsigned int flags)
{
	__atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
	snprintf(last, sizeof(last), "%s", id ? id : "(null)");
	return __real_iox_id_validate(id, policy, flags);
}

static iotx509_credential *root;
static iotx509_issuer *ca;
static char *dir;

static void setup(void)
{
	iotx509_issue_options io = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_issue_credential_options o = IOTX509_ISSUE_CREDENTIAL_OPTIONS_INIT;

	dir = th_tmpdir();
	io.at = TH_FIXTURE_TIME;
	o.issue = &io;
	cr_assert_eq(iotx509_issue_credential(&root, IOTX509_PROFILE_ROOT, NULL, "Once Root", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_issuer_new_from_credential(&ca, root), 0, "%s", th_err());
	calls = 0;
}

static void teardown(void)
{
	iotx509_issuer_free(ca);
	iotx509_credential_free(root);
	th_rmrf(dir);
	free(dir);
}

TestSuite(once, .init = setup, .fini = teardown);

Test(once, the_single_profile_call_checks_once_too)
{
	iotx509_key *k = NULL;
	iotx509_cert *cert = NULL;

	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	calls = 0;
	/* It stands alone, so it checks: once. */
	cr_assert_eq(iotx509_issue_device(&cert, ca, k, "dev-0", NULL), 0, "%s", th_err());
	cr_assert_eq(calls, 1, "%d checks (0: the linker wrap is not in place)", calls);
	iotx509_cert_free(cert);
	iotx509_key_free(k);
}

Test(once, issue_credential_checks_the_device_id_once)
{
	iotx509_issue_credential_options o = IOTX509_ISSUE_CREDENTIAL_OPTIONS_INIT;
	iotx509_credential *dev = NULL;

	o.dir = dir;
	o.name = "dev-1";
	cr_assert_eq(iotx509_issue_credential(&dev, IOTX509_PROFILE_DEVICE, ca, "dev-1", &o), 0, "%s", th_err());
	cr_assert_eq(calls, 1, "%d checks for one device under a CA", calls);
	cr_assert_str_eq(last, "dev-1");
	iotx509_credential_free(dev);
	dev = NULL;

	calls = 0;
	cr_assert_eq(iotx509_issue_credential(&dev, IOTX509_PROFILE_DEVICE, NULL, "dev-2", NULL), 0, "%s", th_err());
	cr_assert_eq(calls, 1, "%d checks for one self-signed device", calls);
	iotx509_credential_free(dev);
	dev = NULL;

	/* A bad ID: refused by that one check, before anything else. */
	calls = 0;
	cr_assert_eq(iotx509_issue_credential(&dev, IOTX509_PROFILE_DEVICE, ca, "Bad ID!", NULL), IOTX509_EDEVICEID);
	cr_assert_eq(calls, 1);
	cr_assert_null(dev);
}

Test(once, a_csr_device_is_checked_once)
{
	iotx509_issue_credential_options o = IOTX509_ISSUE_CREDENTIAL_OPTIONS_INIT;
	iotx509_credential *dev = NULL;
	iotx509_key *k = NULL;
	iotx509_csr *csr = NULL;

	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_csr_new(&csr, k, "csr-dev-1", NULL), 0, "%s", th_err());
	calls = 0;
	o.csr = csr;
	cr_assert_eq(iotx509_issue_credential(&dev, IOTX509_PROFILE_DEVICE, ca, NULL, &o), 0, "%s", th_err());
	cr_assert_eq(calls, 1, "%d checks for a device from a CSR", calls);
	cr_assert_str_eq(last, "csr-dev-1");
	iotx509_credential_free(dev);
	iotx509_csr_free(csr);
	iotx509_key_free(k);
}

Test(once, a_batch_checks_each_device_once)
{
	iotx509_batch_options o = IOTX509_BATCH_OPTIONS_INIT;
	iotx509_batch *b = NULL;
	int steps = 0;

	o.parent = root;
	o.pattern = "line-{01..05}";
	o.out_dir = dir;
	o.at = TH_FIXTURE_TIME;
	o.jobs = 2;
	cr_assert_eq(iotx509_batch_new(&b, &o), 0, "%s", th_err());
	/* The batch refuses an unusable ID policy up front with one check of a
	 * sample ID ("a"); then each device is checked once. */
	while (!iotx509_batch_is_done(b)) {
		cr_assert_eq(iotx509_batch_run(b, 7), 0, "%s", th_err());
		cr_assert_lt(++steps, 1000);
	}
	cr_assert_eq(iotx509_batch_get_issued(b), 5);
	cr_assert_eq(calls, 1 + 5, "%d checks for a batch of 5", calls);
	iotx509_batch_free(b);
}
