#ifndef IOTX509_CERT_INTERNAL_H
#define IOTX509_CERT_INTERNAL_H

#include "internal.h"

#include <gnutls/abstract.h>
#include <gnutls/x509.h>
#include <gnutls/x509-ext.h>

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
	unsigned char aki[64];
	size_t aki_len; /* 0 when it has no AuthorityKeyIdentifier keyIdentifier */
	gnutls_datum_t raw_subject, raw_issuer; /* the DER names, for iox_cert_check_issuer() */
	char sha1[41], sha256[65], spki_sha256[65];
	/* Issued by this library with notAfter cut to the issuer's: the
	 * notAfter that was asked for; else 0 (not part of the DER). */
	int64_t requested_not_after;
	/* subjectAltName entries per ::iotx509_san_type (index type - 1). */
	char **san[4];
	size_t san_count[4];
	char ski_hex[2 * 64 + 1], aki_hex[2 * 64 + 1]; /* "" when absent */
	const char *sig_name; /* static, from GnuTLS; "unknown" */
	char sig_oid[128];
};

/* Build a handle from DER (copied). Everything getters return is computed here. */
int iox_cert_from_der(iotx509_cert **out, const unsigned char *der, size_t size);

/*
 * What the issuer of a certificate just signed already knows, so the new
 * handle need not work it out again (issuing is the hot path of a batch).
 */
typedef struct {
	const iotx509_cert *issuer; /* its issuer names are this one's subject names */
	const unsigned char *aki;   /* the AuthorityKeyIdentifier written, or NULL */
	size_t aki_len;
	const char *spki_sha256;    /* of the subject key, or NULL */
	/* With ext_known: the extensions written (GnuTLS keyUsage bits,
	 * ::iotx509_ext_key_usage bits, basicConstraints, SubjectKeyIdentifier). */
	int ext_known;
	unsigned int gnutls_ku, eku;
	int is_ca, pathlen;
	const unsigned char *ski;
	size_t ski_len;
	int64_t requested_not_after; /* 0, or the notAfter asked for before the clamp */
} iox_cert_hint;

/* iox_cert_from_der() for a certificate made from @hint (which may be NULL). */
int iox_cert_from_der_hint(iotx509_cert **out, const unsigned char *der, size_t size, const iox_cert_hint *hint);

/* 1 if @issuer's subject is @cert's issuer name (and, when both are
 * present, its SubjectKeyIdentifier @cert's AuthorityKeyIdentifier): the
 * answer of gnutls_x509_crt_check_issuer(), mostly from parsed values. */
int iox_cert_check_issuer(const iotx509_cert *cert, const iotx509_cert *issuer);

/* 0 if @issuer is valid at @now, else IOTX509_EISSUERVALIDITY with a message
 * that calls it @role ("issuer", "the parent CA"). */
int iox_cert_check_issuer_time(const iotx509_cert *issuer, int64_t now, const char *role);

/* Another reference to an immutable certificate. */
iotx509_cert *iox_cert_ref(const iotx509_cert *cert);

#endif
