#include <criterion/criterion.h>
#include <string.h>

#include "helpers.h"

#define DPS IOTX509_ID_POLICY_DPS
#define CENTRAL IOTX509_ID_POLICY_CENTRAL
#define ANY IOTX509_ID_POLICY_ANY

static void expect_bad(const char *id, iotx509_id_policy p, unsigned flags, const char *needle)
{
	cr_assert_eq(iotx509_id_validate_device(id, ID_OPTS(p, flags)), IOTX509_EDEVICEID, "'%s' accepted", id);
	cr_assert(strstr(th_err(), needle) != NULL, "message '%s' lacks '%s'", th_err(), needle);
}

Test(id, dps_accepts_documented_characters)
{
	cr_assert_eq(iotx509_id_validate_device("sample-device-01", ID_OPTS(DPS, IOTX509_ID_AS_CN)), 0, "%s", th_err());
	cr_assert_eq(iotx509_id_validate_device("a.b_c:d-e", ID_OPTS(DPS, 0)), 0, "%s", th_err());
	cr_assert_eq(iotx509_id_validate_device("dev-", ID_OPTS(DPS, 0)), 0, "%s", th_err());
}

Test(id, dps_rejects_uppercase_with_a_lower_case_hint)
{
	expect_bad("Sample_Device", DPS, 0, "lower case");
}

Test(id, dps_rejects_bad_characters_and_last_character)
{
	expect_bad("dev ice", DPS, 0, "invalid character 0x20");
	expect_bad("dev/1", DPS, 0, "invalid character 0x2f");
	expect_bad("device.", DPS, 0, "last character");
	expect_bad("device_", DPS, 0, "last character");
	expect_bad("", DPS, 0, "empty");
}

Test(id, dps_length_is_128_or_64_as_cn)
{
	char id[200];

	memset(id, 'a', 128);
	id[128] = '\0';
	cr_assert_eq(iotx509_id_validate_device(id, ID_OPTS(DPS, 0)), 0, "%s", th_err());
	expect_bad(id, DPS, IOTX509_ID_AS_CN, "at most 64");
	id[64] = '\0';
	cr_assert_eq(iotx509_id_validate_device(id, ID_OPTS(DPS, IOTX509_ID_AS_CN)), 0, "%s", th_err());
	memset(id, 'a', 129);
	id[129] = '\0';
	expect_bad(id, DPS, 0, "at most 128");
}

Test(id, central_allows_letters_digits_and_dashes_only)
{
	cr_assert_eq(iotx509_id_validate_device("Dev-01", ID_OPTS(CENTRAL, 0)), 0, "%s", th_err());
	expect_bad("dev.1", CENTRAL, 0, "IoT Central");
	expect_bad("dev_1", CENTRAL, 0, "0x5f");
}

Test(id, any_policy_is_printable_up_to_64)
{
	char id[80];

	cr_assert_eq(iotx509_id_validate_device("Any Thing/#1", ID_OPTS(ANY, 0)), 0, "%s", th_err());
	expect_bad("tab\there", ANY, 0, "non-printable");
	expect_bad(" lead", ANY, 0, "space");
	memset(id, 'x', 65);
	id[65] = '\0';
	expect_bad(id, ANY, 0, "at most 64");
}

Test(id, invalid_arguments_are_einval)
{
	cr_assert_eq(iotx509_id_validate_device(NULL, ID_OPTS(DPS, 0)), IOTX509_EINVAL);
	cr_assert_eq(iotx509_id_validate_device("x", ID_OPTS((iotx509_id_policy)7, 0)), IOTX509_EINVAL);
	cr_assert_eq(iotx509_id_validate_device("x", ID_OPTS(DPS, 0x80)), IOTX509_EINVAL);
}

Test(id, policy_names_parse)
{
	iotx509_id_policy p;

	cr_assert_eq(iotx509_id_policy_from_name(&p, "central"), 0);
	cr_assert_eq(p, CENTRAL);
	cr_assert_eq(iotx509_id_policy_from_name(&p, "dps"), 0);
	cr_assert_eq(p, DPS);
	cr_assert_eq(iotx509_id_policy_from_name(&p, "any"), 0);
	cr_assert_eq(p, ANY);
	cr_assert_eq(iotx509_id_policy_from_name(&p, "aws"), IOTX509_EINVAL);
	cr_assert(strstr(th_err(), "aws") != NULL);
}

Test(id, nonce_is_kept_exactly_and_must_be_alphanumeric)
{
	char n[70];

	cr_assert_eq(iotx509_id_validate_nonce("1234ABCD"), 0);
	cr_assert_eq(iotx509_id_validate_nonce("0a1b2c3d"), 0);
	memset(n, 'F', 64);
	n[64] = '\0';
	cr_assert_eq(iotx509_id_validate_nonce(n), 0, "AWS codes are 64 hex digits");
	n[64] = 'F';
	n[65] = '\0';
	cr_assert_eq(iotx509_id_validate_nonce(n), IOTX509_EDEVICEID);
	cr_assert_eq(iotx509_id_validate_nonce(""), IOTX509_EDEVICEID);
	cr_assert_eq(iotx509_id_validate_nonce("12 34"), IOTX509_EDEVICEID);
	cr_assert(strstr(th_err(), "position 3") != NULL, "%s", th_err());
	cr_assert_eq(iotx509_id_validate_nonce(NULL), IOTX509_EINVAL);
}

Test(id, options_zero_filled_are_the_defaults)
{
	iotx509_id_options z, init = IOTX509_ID_OPTIONS_INIT;
	char id[200];

	TH_ZERO_OPTIONS(z, IOTX509_ID_OPTIONS_VERSION);
	/* The defaults are the DPS rules, not as a CN: 128 characters pass... */
	memset(id, 'a', 128);
	id[128] = '\0';
	cr_assert_eq(iotx509_id_validate_device(id, &z), 0, "%s", th_err());
	cr_assert_eq(iotx509_id_validate_device(id, &init), 0, "%s", th_err());
	cr_assert_eq(iotx509_id_validate_device(id, NULL), 0, "%s", th_err());
	/* ... and upper case does not (it would under IOTX509_ID_POLICY_ANY). */
	cr_assert_eq(iotx509_id_validate_device("Dev-1", &z), IOTX509_EDEVICEID);
	cr_assert_eq(iotx509_id_validate_device("Dev-1", &init), IOTX509_EDEVICEID);
	z.policy = IOTX509_ID_POLICY_ANY;
	cr_assert_eq(iotx509_id_validate_device("Dev-1", &z), 0, "%s", th_err());
	z.flags = IOTX509_ID_AS_CN;
	cr_assert_eq(iotx509_id_validate_device(id, &z), IOTX509_EDEVICEID, "the flag is read");
	TH_CHECK_OPTIONS_INIT(iotx509_id_options, iotx509_id_options_init, IOTX509_ID_OPTIONS_VERSION, "ID options",
			      IOTX509_ID_OPTIONS_INIT);
	init.version = 0;
	th_version_refused_named(iotx509_id_validate_device("dev-1", &init), 0, "ID options");
	init.version = IOTX509_ID_OPTIONS_VERSION + 1;
	th_version_refused_named(iotx509_id_validate_device("dev-1", &init), IOTX509_ID_OPTIONS_VERSION + 1, "ID options");
}
