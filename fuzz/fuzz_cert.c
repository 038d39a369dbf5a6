/*
 * Certificates and bundles: iotx509_cert_import() (PEM or DER, the first
 * certificate) and iotx509_certlist_import() (every certificate), then what
 * a caller does with the result: the getters, export and lint.
 */
#include <stdint.h>
#include <string.h>

#include <iotx509.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void use(const iotx509_cert *c)
{
	iotx509_buf b = IOTX509_BUF_INIT;
	iotx509_lint_result *r = NULL;
	volatile size_t n = 0;

	n += strlen(iotx509_cert_get_subject_dn(c)) + strlen(iotx509_cert_get_issuer_dn(c));
	n += strlen(iotx509_cert_get_subject_cn(c)) + strlen(iotx509_cert_get_serial_hex(c));
	n += strlen(iotx509_cert_get_thumbprint_sha1(c)) + strlen(iotx509_cert_get_spki_sha256(c));
	n += (size_t)iotx509_cert_is_ca(c) + (size_t)iotx509_cert_get_key_usage(c);
	if (iotx509_cert_export_pem(&b, c) == 0)
		n += b.size;
	iotx509_buf_dispose(&b);
	if (iotx509_lint(&r, c, NULL) == 0)
		n += iotx509_lint_result_count(r);
	iotx509_lint_result_free(r);
	(void)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	iotx509_cert *c = NULL;
	iotx509_certlist *l = NULL;
	size_t i;

	if (iotx509_cert_import(&c, data, size) == 0)
		use(c);
	iotx509_cert_free(c);

	if (iotx509_certlist_new(&l) == 0 && iotx509_certlist_import(l, data, size) == 0) {
		iotx509_buf pem = IOTX509_BUF_INIT;

		for (i = 0; i < iotx509_certlist_count(l); i++)
			use(iotx509_certlist_get(l, i));
		iotx509_certlist_export_pem(&pem, l);
		iotx509_buf_dispose(&pem);
	}
	iotx509_certlist_free(l);
	return 0;
}
