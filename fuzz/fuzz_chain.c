/*
 * Chain building over a fuzzed pool: the input is read as a bundle, and a
 * chain is built (and verified) for every certificate in it, with the
 * bundle as the pool and, for the last certificate, as trust anchor too.
 */
#include <stdint.h>

#include <iotx509.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 2026-11-29T12:00:00Z, when the seeds (the fixtures) are valid. */
#define AT ((int64_t)1795953600)
#define MAX_LEAVES 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	iotx509_certlist *pool = NULL, *anchors = NULL;
	size_t i, n;

	if (iotx509_certlist_import(&pool, data, size) != 0)
		goto out;
	n = iotx509_certlist_count(pool);
	if (iotx509_certlist_new(&anchors) != 0 || iotx509_certlist_add(anchors, iotx509_certlist_get(pool, n - 1)) != 0)
		goto out;
	for (i = 0; i < n && i < MAX_LEAVES; i++) {
		iotx509_chain_options co = IOTX509_CHAIN_OPTIONS_INIT;
		iotx509_verify_options vo = IOTX509_VERIFY_OPTIONS_INIT;
		iotx509_certlist *chain = NULL;
		iotx509_verify_status st;

		co.at = vo.at = AT;
		co.flags = i & 1 ? IOTX509_CHAIN_ALLOW_PARTIAL : 0;
		co.anchors = i & 2 ? anchors : NULL;
		if (iotx509_chain_build(&chain, iotx509_certlist_get(pool, i), pool, &co) == 0)
			iotx509_chain_verify(&st, chain, anchors, &vo);
		iotx509_certlist_free(chain);
	}
out:
	iotx509_certlist_free(anchors);
	iotx509_certlist_free(pool);
	return 0;
}
