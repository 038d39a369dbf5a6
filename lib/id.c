/*
 * Device (registration) ID and nonce rules of the provisioning services.
 */
#include "internal.h"

#include <string.h>

#define CN_MAX 64       /* RFC 5280 ub-common-name */
#define DPS_ID_MAX 128  /* DPS registration ID limit */

static const char *const policy_names[] = { "dps", "central", "any" };

iotx509_error_code iotx509_id_policy_from_name(iotx509_id_policy *out, const char *name)
{
	size_t i;

	if (out == NULL || name == NULL)
		return iox_error(IOTX509_EINVAL, "ID policy: no name given");
	for (i = 0; i < sizeof(policy_names) / sizeof(policy_names[0]); i++) {
		if (strcmp(name, policy_names[i]) == 0) {
			*out = (iotx509_id_policy)i;
			return 0;
		}
	}
	return iox_error(IOTX509_EINVAL, "unknown ID policy '%s' (expected dps, central or any)", name);
}

const char *iotx509_id_policy_name(iotx509_id_policy policy)
{
	if ((unsigned int)policy >= sizeof(policy_names) / sizeof(policy_names[0]))
		return "unknown";
	return policy_names[policy];
}

static int is_lower_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

IOX_OPTS_TYPE(id_opts_type, "ID options", IOTX509_ID_OPTIONS_VERSION, sizeof(iotx509_id_options));
static const iotx509_id_options id_opts_defaults = IOTX509_ID_OPTIONS_INIT;

iotx509_error_code iotx509_id_options_init(iotx509_id_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &id_opts_defaults, &id_opts_type);
}

iotx509_error_code iotx509_id_validate_device(const char *id, const iotx509_id_options *opts)
{
	iotx509_id_options copy;

	if (iox_opts_read(&copy, opts, &id_opts_defaults, &id_opts_type) < 0)
		return IOTX509_EINVAL;
	return iox_id_validate(id, copy.policy, copy.flags);
}

int iox_id_validate(const char *id, iotx509_id_policy policy, unsigned int flags)
{
	size_t len, i, max;

	if (id == NULL)
		return iox_error(IOTX509_EINVAL, "device ID is NULL");
	if (flags & ~(unsigned int)IOTX509_ID_AS_CN)
		return iox_error(IOTX509_EINVAL, "device ID: unknown flags 0x%x", flags);
	len = strlen(id);
	if (len == 0)
		return iox_error(IOTX509_EDEVICEID, "device ID is empty");

	switch (policy) {
	case IOTX509_ID_POLICY_DPS:
		max = (flags & IOTX509_ID_AS_CN) ? CN_MAX : DPS_ID_MAX;
		if (len > max)
			return iox_error(IOTX509_EDEVICEID, "device ID '%.64s...' is %zu characters long; %s allows at most %zu",
					 id, len, (flags & IOTX509_ID_AS_CN) ? "a certificate CN" : "DPS", max);
		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)id[i];

			if (c >= 'A' && c <= 'Z')
				return iox_error(IOTX509_EDEVICEID,
						 "device ID '%s' has upper-case '%c' at position %zu: DPS registration IDs are lower case",
						 id, c, i + 1);
			if (!is_lower_alnum(c) && c != '-' && c != '.' && c != '_' && c != ':')
				return iox_error(IOTX509_EDEVICEID,
						 "device ID '%s' has invalid character 0x%02x at position %zu (DPS allows a-z, 0-9, '-', '.', '_', ':')",
						 id, c, i + 1);
		}
		if (!is_lower_alnum((unsigned char)id[len - 1]) && id[len - 1] != '-')
			return iox_error(IOTX509_EDEVICEID,
					 "device ID '%s' ends with '%c': DPS requires the last character to be alphanumeric or '-'",
					 id, id[len - 1]);
		return 0;
	case IOTX509_ID_POLICY_CENTRAL:
		if (len > CN_MAX)
			return iox_error(IOTX509_EDEVICEID, "device ID '%.64s...' is %zu characters long; IoT Central allows at most %d",
					 id, len, CN_MAX);
		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)id[i];

			if (!iox_is_alnum(c) && c != '-')
				return iox_error(IOTX509_EDEVICEID,
						 "device ID '%s' has invalid character 0x%02x at position %zu (IoT Central allows letters, digits and '-')",
						 id, c, i + 1);
		}
		return 0;
	case IOTX509_ID_POLICY_ANY:
		if (len > CN_MAX)
			return iox_error(IOTX509_EDEVICEID, "device ID is %zu characters long; a certificate CN allows at most %d",
					 len, CN_MAX);
		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)id[i];

			if (c < 0x20 || c > 0x7e)
				return iox_error(IOTX509_EDEVICEID,
						 "device ID has a non-printable character 0x%02x at position %zu", c, i + 1);
		}
		if (id[0] == ' ' || id[len - 1] == ' ')
			return iox_error(IOTX509_EDEVICEID, "device ID '%s' starts or ends with a space", id);
		return 0;
	}
	return iox_error(IOTX509_EINVAL, "unknown ID policy %d", (int)policy);
}

iotx509_error_code iotx509_id_validate_nonce(const char *nonce)
{
	size_t len, i;

	if (nonce == NULL)
		return iox_error(IOTX509_EINVAL, "nonce is NULL");
	len = strlen(nonce);
	if (len == 0)
		return iox_error(IOTX509_EDEVICEID, "verification nonce is empty");
	if (len > CN_MAX)
		return iox_error(IOTX509_EDEVICEID, "verification nonce is %zu characters long; a CN allows at most %d",
				 len, CN_MAX);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)nonce[i];

		if (!iox_is_alnum(c))
			return iox_error(IOTX509_EDEVICEID,
					 "verification nonce has invalid character 0x%02x at position %zu (letters and digits only)",
					 c, i + 1);
	}
	return 0;
}
