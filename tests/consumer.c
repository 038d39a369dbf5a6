/* A program built against an installed libiotx509 with nothing but
 * pkg-config's flags (tests/install.sh): the headers, the library and its
 * dependencies must all be found there. */
#include <iotx509.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
	iotx509_key *key = NULL;
	iotx509_buf pem = IOTX509_BUF_INIT;
	int major, minor, patch, rc;

	iotx509_version(&major, &minor, &patch);
	if (major != IOTX509_VERSION_MAJOR || minor != IOTX509_VERSION_MINOR) {
		fprintf(stderr, "header %d.%d, library %d.%d\n", IOTX509_VERSION_MAJOR,
			IOTX509_VERSION_MINOR, major, minor);
		return 1;
	}
	rc = iotx509_key_generate(&key, IOTX509_KEY_P256);
	if (rc == 0)
		rc = iotx509_key_export_public_pem(&pem, key);
	if (rc != 0) {
		fprintf(stderr, "%s: %s\n", iotx509_strerror(rc), iotx509_error_last());
		iotx509_key_free(key);
		return 1;
	}
	printf("libiotx509 %s: %s", iotx509_version(NULL, NULL, NULL),
	       strncmp((const char *)pem.data, "-----BEGIN PUBLIC KEY-----", 26) == 0 ? "P-256 key generated\n" : "bad PEM\n");
	iotx509_buf_dispose(&pem);
	iotx509_key_free(key);
	return 0;
}
