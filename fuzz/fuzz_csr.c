/*
 * CSRs: iotx509_csr_import() (PEM, DER and the headerless base64 of the
 * DPS API), then signature check and the exports.
 */
#include <stdint.h>
#include <string.h>

#include <iotx509.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	iotx509_csr *c = NULL;
	iotx509_buf b = IOTX509_BUF_INIT;

	if (iotx509_csr_import(&c, data, size) == 0) {
		volatile size_t n = strlen(iotx509_csr_get_subject_dn(c)) + strlen(iotx509_csr_get_subject_cn(c));

		(void)n;
		int valid;

		iotx509_csr_verify(&valid, c);
		if (iotx509_csr_export_base64(&b, c) == 0)
			iotx509_buf_dispose(&b);
		if (iotx509_csr_export_pem(&b, c) == 0)
			iotx509_buf_dispose(&b);
	}
	iotx509_csr_free(c);
	return 0;
}
