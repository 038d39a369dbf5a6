/*
 * PKCS#12: iotx509_pkcs12_import() with the seeds' password "1234" (so the
 * MAC verifies and the bags are decrypted and parsed) and with a wrong one.
 */
#include <stdint.h>
#include <string.h>

#include <iotx509.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const passwords[] = { "1234", "wrong" };
	size_t i;

	for (i = 0; i < 2; i++) {
		iotx509_pkcs12 *p = NULL;

		if (iotx509_pkcs12_import(&p, data, size, passwords[i], NULL) == 0) {
			const iotx509_certlist *chain = iotx509_pkcs12_get_chain(p);
			volatile size_t n = iotx509_certlist_count(chain);

			(void)n;
			iotx509_cert_check_key(iotx509_pkcs12_get_leaf(p), iotx509_pkcs12_get_key(p));
		}
		iotx509_pkcs12_free(p);
	}
	return 0;
}
