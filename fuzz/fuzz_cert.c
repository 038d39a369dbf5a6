/*
 * Certificates and bundles: iotx509_cert_import() (PEM or DER, the first
 * certificate) and iotx509_certlist_import() (every certificate), then what
 * a caller does with the result: the getters, export and lint.
 */
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	iotx509_cert *c = NULL;
	iotx509_certlist *l = NULL;
	size_t i;

	if (iotx509_cert_import(&c, data, size) == 0)
		fuzz_use_cert(c);
	iotx509_cert_free(c);

	if (iotx509_certlist_import(&l, data, size) == 0) {
		iotx509_buf pem = IOTX509_BUF_INIT;

		for (i = 0; i < iotx509_certlist_count(l); i++)
			fuzz_use_cert(iotx509_certlist_get(l, i));
		iotx509_certlist_export_pem(&pem, l);
		iotx509_buf_dispose(&pem);
	}
	iotx509_certlist_free(l);
	return 0;
}
