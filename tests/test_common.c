#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"

Test(common, runtime_version_matches_the_headers)
{
	int major = -1, minor = -1, patch = -1;
	const char *v = iotx509_version(&major, &minor, &patch);

	cr_assert_str_eq(v, IOTX509_VERSION_STRING);
	cr_assert_eq(major, IOTX509_VERSION_MAJOR);
	cr_assert_eq(minor, IOTX509_VERSION_MINOR);
	cr_assert_eq(patch, IOTX509_VERSION_PATCH);
	cr_assert_eq(IOTX509_VERSION_NUMBER, (major << 16) | (minor << 8) | patch);
	cr_assert_str_eq(iotx509_version(NULL, NULL, NULL), v);
}

Test(common, buf_dispose_wipes_and_resets_and_accepts_null)
{
	iotx509_buf buf = IOTX509_BUF_INIT;
	iotx509_key *key = NULL;

	iotx509_buf_dispose(NULL);
	iotx509_buf_dispose(&buf);
	cr_assert_eq(iotx509_key_generate(&key, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_key_export_pem(&buf, key, NULL), 0);
	cr_assert_gt(buf.size, 0);
	cr_assert_eq(buf.data[buf.size], '\0', "text buffers are NUL-terminated");
	iotx509_buf_dispose(&buf);
	cr_assert_null(buf.data);
	cr_assert_eq(buf.size, 0);
	iotx509_key_free(key);
}

Test(common, pkg_config_file_describes_the_library)
{
	char path[4096], *pc;

	snprintf(path, sizeof(path), "%s/pkgconfig/libiotx509.pc", IOTX509_TEST_BUILDDIR);
	pc = th_slurp(path, NULL);
	cr_assert_not_null(pc, "%s missing", path);
	cr_assert(strstr(pc, "Libs: -L${libdir} -liotx509") != NULL);
	cr_assert(strstr(pc, "Version: " IOTX509_VERSION_STRING) != NULL);
	cr_assert(strstr(pc, "Requires.private: gnutls") != NULL);
	free(pc);
}
