#ifndef IOTX509_CSR_INTERNAL_H
#define IOTX509_CSR_INTERNAL_H

#include "internal.h"

#include <gnutls/abstract.h>
#include <gnutls/x509.h>

struct iotx509_csr {
	iox_refcount ref;
	gnutls_x509_crq_t crq;
	gnutls_pubkey_t pub;
	gnutls_datum_t der;
	char *cn, *dn;
	gnutls_pk_algorithm_t pk;
	iotx509_key_algorithm alg;
	unsigned int bits;
	char spki_sha256[65];
};

#endif
