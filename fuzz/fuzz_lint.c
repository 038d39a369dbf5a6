/*
 * The linter on raw input: iotx509_lint_import() (PEM or DER) and
 * iotx509_lint_der() with every profile, reading every finding.
 * fuzz_certgen drives the same code with certificates it builds.
 */
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_lint_every_profile(data, size);
	return 0;
}
