/*
 * Device IDs, nonces and the name parsers: the input as a C string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <iotx509.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	iotx509_id_policy policy;
	iotx509_key_type type;
	iotx509_lint_profile profile;
	iotx509_id_options o = IOTX509_ID_OPTIONS_INIT;
	int p;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (p = IOTX509_ID_POLICY_DPS; p <= IOTX509_ID_POLICY_ANY; p++) {
		o.policy = (iotx509_id_policy)p;
		o.flags = IOTX509_ID_DEFAULT;
		iotx509_id_validate_device(s, &o);
		o.flags = IOTX509_ID_AS_CN;
		iotx509_id_validate_device(s, &o);
	}
	iotx509_id_validate_nonce(s);
	iotx509_id_policy_from_name(&policy, s);
	iotx509_key_type_from_name(&type, s);
	iotx509_lint_profile_from_name(&profile, s);
	free(s);
	return 0;
}
