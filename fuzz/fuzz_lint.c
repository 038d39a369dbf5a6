/*
 * The linter on raw input: iotx509_lint_data() (PEM or DER) and
 * iotx509_lint_der() with every profile, reading every finding.
 * fuzz_certgen drives the same code with certificates it builds.
 */
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	iotx509_lint_options o = IOTX509_LINT_OPTIONS_INIT;
	iotx509_lint_result *r = NULL;
	int p;

	if (iotx509_lint_data(&r, data, size, NULL) == 0)
		fuzz_read_findings(r);
	iotx509_lint_result_free(r);
	for (p = IOTX509_LINT_PROFILE_AUTO; p <= IOTX509_LINT_PROFILE_SERVER; p++) {
		r = NULL;
		o.profile = (iotx509_lint_profile)p;
		if (iotx509_lint_der(&r, data, size, &o) == 0)
			fuzz_read_findings(r);
		iotx509_lint_result_free(r);
	}
	return 0;
}
