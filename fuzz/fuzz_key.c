/*
 * Private keys: iotx509_key_import() in every encoding, plain and
 * encrypted. The first byte picks the password (none, the seeds' "1234",
 * a wrong one) so that encrypted seeds are explored past the decryption.
 */
#include <stdint.h>

#include <iotx509.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const passwords[] = { NULL, "1234", "wrong" };
	iotx509_key *k = NULL;
	iotx509_buf b = IOTX509_BUF_INIT;

	if (size < 1)
		return 0;
	if (iotx509_key_import(&k, data + 1, size - 1, passwords[data[0] % 3]) == 0) {
		volatile unsigned int n = iotx509_key_get_bits(k);

		(void)n;
		if (iotx509_key_export_pem(&b, k, NULL) == 0)
			iotx509_buf_dispose(&b);
		if (iotx509_key_export_public_pem(&b, k) == 0)
			iotx509_buf_dispose(&b);
	}
	iotx509_key_free(k);
	return 0;
}
