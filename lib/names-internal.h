/*
 * Subject names and subjectAltNames, shared by CSRs and certificates.
 */
#ifndef IOTX509_NAMES_INTERNAL_H
#define IOTX509_NAMES_INTERNAL_H

#include "internal.h"

#include <gnutls/x509.h>

/* A CN we are willing to put in a certificate: 1..64 characters, no
 * control characters. Returns 0 or IOTX509_EINVAL. */
int iox_check_cn(const char *cn);

/* Undo RFC 4514 escaping in place ("\\," -> ",", "\\22" -> "\""): GnuTLS
 * returns attribute values escaped, users want the value itself. */
void iox_rfc4514_unescape(char *s);

/* Add DNS and IP subjectAltNames (IPs given as text, IPv4 or IPv6). */
int iox_san_apply_crq(gnutls_x509_crq_t crq, const iotx509_strlist *dns, const iotx509_strlist *ips);
int iox_san_apply_crt(gnutls_x509_crt_t crt, const iotx509_strlist *dns, const iotx509_strlist *ips);

#endif
