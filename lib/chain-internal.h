#ifndef IOTX509_CHAIN_INTERNAL_H
#define IOTX509_CHAIN_INTERNAL_H

#include "internal.h"

/* 1 if @issuer's public key verifies @cert's signature (names are not
 * compared; weak algorithms are accepted: this checks the math only). */
int iox_cert_signed_by(const iotx509_cert *cert, const iotx509_cert *issuer);

/* Signature checks a search may still spend. */
typedef struct {
	unsigned long used, limit;
} iox_sig_budget;

/*
 * Which of the @n issuer candidates @cands (all named as @cert's issuer)
 * holds the key that signed @cert. Candidates are tried in order, one
 * signature check per distinct key (certificates of one key, such as a CA
 * renewed with its key, are checked once), until a key verifies: then
 * @ok[k] is 1 for every candidate with that key and 0 for the others, and
 * their number is returned. 0 when no key verifies; -1 when @budget ran
 * out before (@ok is then all 0).
 */
int iox_find_signer(unsigned char *ok, const iotx509_cert *cert, const iotx509_cert *const *cands, size_t n,
		    iox_sig_budget *budget);

/* Certificates indexed by subject name, so that a certificate's issuer
 * candidates are found without comparing every pair. Equal raw names give
 * equal strings, and GnuTLS compares differently encoded names as these
 * strings, so every certificate iox_cert_check_issuer() accepts is found. */
typedef struct {
	const char *dn; /* the subject DN string (borrowed) */
	size_t index;   /* the caller's index of the certificate */
} iox_by_name;

/* Sort by name, then by index (so equal names stay in the caller's order). */
void iox_by_name_sort(iox_by_name *names, size_t n);

/* Position of the first entry named @dn in sorted @names (@n when none);
 * the entries with that name follow it. */
size_t iox_by_name_find(const iox_by_name *names, size_t n, const char *dn);

#endif
