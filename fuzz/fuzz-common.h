/*
 * What the certificate harnesses do with what they parsed, shared by
 * fuzz_cert, fuzz_lint and fuzz_certgen (each compiles this in).
 */
#ifndef IOTX509_FUZZ_COMMON_H
#define IOTX509_FUZZ_COMMON_H

#include <stdint.h>
#include <string.h>

#include <iotx509.h>

/* Every finding of a lint result, as a caller prints them. */
static inline void fuzz_read_findings(const iotx509_lint_result *r)
{
	volatile size_t n = 0;
	size_t i;

	for (i = 0; i < iotx509_lint_result_count(r); i++) {
		n += strlen(iotx509_lint_result_get_id(r, i)) + strlen(iotx509_lint_result_get_message(r, i));
		n += strlen(iotx509_lint_result_get_subject(r, iotx509_lint_result_get_cert_index(r, i)));
	}
	(void)n;
}

/* What a caller does with an imported certificate: getters, export, lint. */
static inline void fuzz_use_cert(const iotx509_cert *c)
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
	if (iotx509_lint_cert(&r, c, NULL) == 0)
		fuzz_read_findings(r);
	iotx509_lint_result_free(r);
	(void)n;
}

#endif
