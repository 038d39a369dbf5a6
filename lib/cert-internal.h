#ifndef IOTX509_CERT_INTERNAL_H
#define IOTX509_CERT_INTERNAL_H

#include "internal.h"

#include <gnutls/abstract.h>
#include <gnutls/x509.h>

struct iotx509_cert {
	iox_refcount ref;
	gnutls_x509_crt_t crt;
	gnutls_pubkey_t pub;
	gnutls_datum_t der;
	char *subject_cn, *issuer_cn, *subject_dn, *issuer_dn;
	char serial_hex[2 * 64 + 1];
	int64_t not_before, not_after;
	int is_ca, pathlen, self_signed, has_ku;
	unsigned int ku, eku;
	gnutls_pk_algorithm_t pk;
	iotx509_key_algorithm alg;
	unsigned int bits;
	unsigned char ski[64];
	size_t ski_len; /* 0 when the certificate has no SubjectKeyIdentifier */
	char sha1[41], sha256[65], spki_sha256[65];
};

/* Build a handle from DER (copied). Everything getters return is computed here. */
int iox_cert_from_der(iotx509_cert **out, const unsigned char *der, size_t size);

/* Another reference to an immutable certificate. */
iotx509_cert *iox_cert_ref(const iotx509_cert *cert);

#endif
