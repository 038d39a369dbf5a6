/*
 * The linter on raw input: iotx509_lint_import() (PEM or DER) and
 * iotx509_lint_der() with every profile, reading every finding.
 */
#include <stdint.h>
#include <string.h>

#include <iotx509.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_all(const iotx509_lint_result *r)
{
	volatile size_t n = 0;
	size_t i;

	for (i = 0; i < iotx509_lint_result_count(r); i++) {
		n += strlen(iotx509_lint_result_get_id(r, i)) + strlen(iotx509_lint_result_get_message(r, i));
		n += strlen(iotx509_lint_result_get_subject(r, iotx509_lint_result_get_cert_index(r, i)));
	}
	(void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	iotx509_lint_options o = IOTX509_LINT_OPTIONS_INIT;
	iotx509_lint_result *r = NULL;
	int p;

	if (iotx509_lint_import(&r, data, size, NULL) == 0)
		read_all(r);
	iotx509_lint_result_free(r);
	for (p = IOTX509_LINT_PROFILE_AUTO; p <= IOTX509_LINT_PROFILE_SERVER; p++) {
		r = NULL;
		o.profile = (iotx509_lint_profile)p;
		if (iotx509_lint_der(&r, data, size, &o) == 0)
			read_all(r);
		iotx509_lint_result_free(r);
	}
	return 0;
}
