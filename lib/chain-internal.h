#ifndef IOTX509_CHAIN_INTERNAL_H
#define IOTX509_CHAIN_INTERNAL_H

#include "internal.h"

/* 1 if @issuer's subject is @cert's issuer name and, when both are
 * present, its SubjectKeyIdentifier is @cert's AuthorityKeyIdentifier. */
int iox_cert_issued_by(const iotx509_cert *cert, const iotx509_cert *issuer);

/* 1 if @issuer's public key verifies @cert's signature (names are not
 * compared; weak algorithms are accepted: this checks the math only). */
int iox_cert_signed_by(const iotx509_cert *cert, const iotx509_cert *issuer);

#endif
