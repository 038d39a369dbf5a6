/*
 * The malformed-input corpus (tests/data/malformed/, made by its
 * generate.py): every file goes to every parser, and each parser must give
 * the specific error code and message listed here, never crash. A few files
 * are acceptable to some parsers (a bundle whose first certificate is good
 * is fine for iotx509_cert_import(), which reads the first one); those
 * entries say 0, and for the linter name a finding it must report.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define CORPUS IOTX509_TEST_SRCDIR "/tests/data/malformed"

typedef struct {
	int code;
	const char *msg; /* a substring of the message; for lint with code 0, a finding id */
} outcome;

typedef struct {
	const char *file;
	outcome cert, certlist, key, key_pw, csr, pkcs12, lint;
} corpus_row;

/* key_pw and pkcs12 use the fixtures' password "1234"; csr is import, then
 * iotx509_csr_verify() when the import succeeds. */
static const corpus_row corpus[] = {
	{ "bundle-second-bad-base64.pem",
	  { 0, NULL },
	  { IOTX509_EPARSE, "certificate #2: PEM block 'CERTIFICATE': invalid base64 character 0x40 at offset 1" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "certificate 2: PEM block 'CERTIFICATE': invalid base64 character 0x40 at offset 1" } },
	{ "bundle-second-truncated.pem",
	  { 0, NULL },
	  { IOTX509_EPARSE, "certificate #2: malformed certificate" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "certificate 2: not an X.509 certificate: the DER does not decode (truncated or invalid encoding)" } },
	{ "csr-base64-bad-char.txt",
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x4d)" },
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x4d)" },
	  { IOTX509_EPARSE, "not a private key: neither PEM nor DER (first byte 0x4d)" },
	  { IOTX509_EPARSE, "not a private key: neither PEM nor DER (first byte 0x4d)" },
	  { IOTX509_EPARSE, "not a certificate request (neither PEM, DER nor base64 DER): invalid base64 character 0x24 at offset 80" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x4d)" },
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x4d)" } },
	{ "csr-base64-of-noise.txt",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: malformed certificate" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (tag error near element 'tbsCertificate.')" } },
	{ "csr-broken-signature.der",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: malformed certificate" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_ESIGNATURE, "the signature of the certificate request for 'sample-device-01' does not verify" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (tag error near element 'tbsCertificate.signature.algorithm.')" } },
	{ "csr-broken-signature.pem",
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_ESIGNATURE, "the signature of the certificate request for 'sample-device-01' does not verify" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" } },
	{ "csr-cert-labelled-csr.pem",
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" } },
	{ "csr-labelled-cert.pem",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: malformed certificate" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "certificate 1: not an X.509 certificate: the DER does not decode (tag error near element 'tbsCertificate.signature.algorithm.')" } },
	{ "csr-truncated.pem",
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" } },
	{ "der-absurd-length.der",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: truncated or malformed DER" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (truncated or invalid encoding)" } },
	{ "der-deep-nesting-indefinite.der",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: truncated or malformed DER" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { IOTX509_EPARSE, "input of 100000 bytes is too large for a certificate (the linter takes up to 65536)" } },
	{ "der-deep-nesting.der",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: malformed certificate" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (tag error near element 'tbsCertificate.serialNumber.')" } },
	{ "der-empty-sequence.der",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: malformed certificate" },
	  { IOTX509_EPARSE, "malformed private key: not PKCS#1, SEC1 or PKCS#8 DER" },
	  { IOTX509_EPARSE, "the private key is damaged: its parameters are inconsistent" },
	  { IOTX509_EPARSE, "CSR: cannot read the public key" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (the DER is not a PFX structure)" },
	  { IOTX509_EPARSE, "not an X.509 certificate: tbsCertificate.serialNumber is missing" } },
	{ "der-indefinite-no-eoc.der",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: truncated or malformed DER" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (truncated or invalid encoding)" } },
	{ "der-inner-length-overflow.der",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: malformed certificate" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (truncated or invalid encoding)" } },
	{ "der-length-of-length-9.der",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: truncated or malformed DER" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (truncated or invalid encoding)" } },
	{ "der-length-past-end.der",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: truncated or malformed DER" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (truncated or invalid encoding)" } },
	{ "der-tag-only.der",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: truncated or malformed DER" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (tag error near element 'ROOT')" } },
	{ "der-tbs-only.der",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: malformed certificate" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (tag error near element 'tbsCertificate.')" } },
	{ "der-trailing-garbage.der",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #2: truncated or malformed DER" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { 0, "der-trailing-data" } },
	{ "der-truncated-1.der",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: truncated or malformed DER" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (truncated or invalid encoding)" } },
	{ "der-truncated-half.der",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: truncated or malformed DER" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (truncated or invalid encoding)" } },
	{ "der-wrong-outer-tag.der",
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x31)" },
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x31)" },
	  { IOTX509_EPARSE, "not a private key: neither PEM nor DER (first byte 0x31)" },
	  { IOTX509_EPARSE, "not a private key: neither PEM nor DER (first byte 0x31)" },
	  { IOTX509_EPARSE, "not a certificate request (neither PEM, DER nor base64 DER): invalid base64 character 0x82 at offset 1" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x31)" },
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x31)" } },
	{ "empty.bin",
	  { IOTX509_EPARSE, "no certificate: the input is empty" },
	  { IOTX509_EPARSE, "no certificate: the input is empty" },
	  { IOTX509_EPARSE, "no private key: the input is empty" },
	  { IOTX509_EPARSE, "no private key: the input is empty" },
	  { IOTX509_EPARSE, "no certificate request: the input is empty" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file: the input is empty" },
	  { IOTX509_EPARSE, "no certificate: the input is empty" } },
	{ "key-ec-labelled-rsa.pem",
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" } },
	{ "key-ec-wrong-curve-oid.pem",
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EUNSUPPORTED, "unsupported private key: elliptic curve 1.2.840.10045.3.1.8" },
	  { IOTX509_EUNSUPPORTED, "unsupported private key: elliptic curve 1.2.840.10045.3.1.8" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" } },
	{ "key-ed25519-labelled-ec.pem",
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" } },
	{ "key-encrypted-corrupted.pem",
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPASSWORD, "the private key is encrypted: a password is required" },
	  { IOTX509_EPARSE, "the private key is damaged: its parameters are inconsistent" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" } },
	{ "key-encrypted-iterations-32767.pem",
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPASSWORD, "the private key is encrypted: a password is required" },
	  { IOTX509_EPASSWORD, "wrong password for the encrypted private key" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" } },
	{ "key-encrypted-labelled-plain.pem",
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPASSWORD, "the private key is encrypted: a password is required" },
	  { IOTX509_EPASSWORD, "wrong password for the encrypted private key" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" } },
	{ "key-encrypted-truncated.pem",
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPASSWORD, "the private key is encrypted: a password is required" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" } },
	{ "key-noise-0x30.der",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: malformed certificate" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (tag error near element 'tbsCertificate.')" } },
	{ "key-pkcs1-truncated.pem",
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" } },
	{ "key-pkcs8-labelled-rsa.pem",
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" } },
	{ "key-rsa-labelled-ec.pem",
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" } },
	{ "key-rsa-zero-modulus.der",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: malformed certificate" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (tag error near element 'tbsCertificate.')" } },
	{ "noise-0x30.bin",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: truncated or malformed DER" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (truncated or invalid encoding)" } },
	{ "noise.bin",
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0xa6)" },
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0xa6)" },
	  { IOTX509_EPARSE, "not a private key: neither PEM nor DER (first byte 0xa6)" },
	  { IOTX509_EPARSE, "not a private key: neither PEM nor DER (first byte 0xa6)" },
	  { IOTX509_EPARSE, "not a certificate request (neither PEM, DER nor base64 DER): invalid base64 character 0xa6 at offset 0" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0xa6)" },
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0xa6)" } },
	{ "nul-bytes.bin",
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x00)" },
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x00)" },
	  { IOTX509_EPARSE, "not a private key: neither PEM nor DER (first byte 0x00)" },
	  { IOTX509_EPARSE, "not a private key: neither PEM nor DER (first byte 0x00)" },
	  { IOTX509_EPARSE, "not a certificate request (neither PEM, DER nor base64 DER): invalid base64 character 0x00 at offset 0" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x00)" },
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x00)" } },
	{ "null.txt",
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x6e)" },
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x6e)" },
	  { IOTX509_EPARSE, "not a private key: neither PEM nor DER (first byte 0x6e)" },
	  { IOTX509_EPARSE, "not a private key: neither PEM nor DER (first byte 0x6e)" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x6e)" },
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x6e)" } },
	{ "pem-bad-base64-char.pem",
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE': invalid base64 character 0x2a at offset 102" },
	  { IOTX509_EPARSE, "certificate #1: PEM block 'CERTIFICATE': invalid base64 character 0x2a at offset 102" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "certificate 1: PEM block 'CERTIFICATE': invalid base64 character 0x2a at offset 102" } },
	{ "pem-bad-base64-padding.pem",
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE': invalid base64" },
	  { IOTX509_EPARSE, "certificate #1: PEM block 'CERTIFICATE': invalid base64" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "certificate 1: PEM block 'CERTIFICATE': invalid base64" } },
	{ "pem-begin-only.pem",
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE' has no END line" },
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE' has no END line" },
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE' has no END line" },
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE' has no END line" },
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE' has no END line" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE' has no END line" } },
	{ "pem-cert-labelled-key.pem",
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" } },
	{ "pem-cut-mid-line.pem",
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE' has no END line" },
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE' has no END line" },
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE' has no END line" },
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE' has no END line" },
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE' has no END line" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE' has no END line" } },
	{ "pem-dashes-only.pem",
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" } },
	{ "pem-empty-body.pem",
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE': empty base64 body" },
	  { IOTX509_EPARSE, "certificate #1: PEM block 'CERTIFICATE': empty base64 body" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "certificate 1: PEM block 'CERTIFICATE': empty base64 body" } },
	{ "pem-key-labelled-cert.pem",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: malformed certificate" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "certificate 1: not an X.509 certificate: the DER does not decode (tag error near element 'tbsCertificate.')" } },
	{ "pem-label-mismatch.pem",
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE' has no END line" },
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE' has no END line" },
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE' has no END line" },
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE' has no END line" },
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE' has no END line" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE' has no END line" } },
	{ "pem-legacy-encrypted-key.pem",
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPASSWORD, "the private key is encrypted: a password is required" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" } },
	{ "pem-nested-begin.pem",
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE': invalid base64 character 0x2d at offset 1" },
	  { IOTX509_EPARSE, "certificate #1: PEM block 'CERTIFICATE': invalid base64 character 0x2d at offset 1" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "certificate 1: PEM block 'CERTIFICATE': invalid base64 character 0x2d at offset 1" } },
	{ "pem-noise-as-cert.pem",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: malformed certificate" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "certificate 1: not an X.509 certificate: the DER does not decode (tag error near element 'ROOT')" } },
	{ "pem-nul-in-body.pem",
	  { IOTX509_EPARSE, "PEM block 'CERTIFICATE': invalid base64 character 0x00 at offset 173" },
	  { IOTX509_EPARSE, "certificate #1: PEM block 'CERTIFICATE': invalid base64 character 0x00 at offset 173" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "certificate 1: PEM block 'CERTIFICATE': invalid base64 character 0x00 at offset 173" } },
	{ "pem-truncated-body.pem",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: malformed certificate" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "certificate 1: not an X.509 certificate: the DER does not decode (truncated or invalid encoding)" } },
	{ "pem-unknown-label.pem",
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" } },
	{ "pfx-cert-as-pfx.pfx",
	  { 0, NULL },
	  { 0, NULL },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { 0, "serial-low-entropy" } },
	{ "pfx-noise.pfx",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: malformed certificate" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (tag error near element 'tbsCertificate.')" } },
	{ "pfx-pem-wrapped.pfx",
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x2d)" },
	  { IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found" } },
	{ "pfx-truncated.pfx",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: truncated or malformed DER" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed private key" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file" },
	  { IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (truncated or invalid encoding)" } },
	{ "pfx-wrong-mac.pfx",
	  { IOTX509_EPARSE, "malformed certificate" },
	  { IOTX509_EPARSE, "certificate #1: malformed certificate" },
	  { IOTX509_EUNSUPPORTED, "this is a PKCS#12 (.pfx) file, not a private key: read it with iotx509_pkcs12_import()" },
	  { IOTX509_EUNSUPPORTED, "this is a PKCS#12 (.pfx) file, not a private key: read it with iotx509_pkcs12_import()" },
	  { IOTX509_EPARSE, "malformed certificate request" },
	  { IOTX509_EPASSWORD, "wrong password for the PKCS#12 file (the MAC does not verify)" },
	  { IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (tag error near element 'tbsCertificate.')" } },
	{ "text.txt",
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x54)" },
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x54)" },
	  { IOTX509_EPARSE, "not a private key: neither PEM nor DER (first byte 0x54)" },
	  { IOTX509_EPARSE, "not a private key: neither PEM nor DER (first byte 0x54)" },
	  { IOTX509_EPARSE, "not a certificate request (neither PEM, DER nor base64 DER): invalid base64 character 0x2c at offset 16" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x54)" },
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x54)" } },
	{ "whitespace.txt",
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x20)" },
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x20)" },
	  { IOTX509_EPARSE, "not a private key: neither PEM nor DER (first byte 0x20)" },
	  { IOTX509_EPARSE, "not a private key: neither PEM nor DER (first byte 0x20)" },
	  { IOTX509_EPARSE, "not a certificate request (neither PEM, DER nor base64 DER): empty base64 body" },
	  { IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x20)" },
	  { IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x20)" } },
};
#define N_CORPUS (sizeof(corpus) / sizeof(corpus[0]))

static unsigned char *load(const char *name, size_t *size)
{
	char path[1024];
	unsigned char *data;

	snprintf(path, sizeof(path), "%s/%s", CORPUS, name);
	data = (unsigned char *)th_slurp(path, size);
	cr_assert_not_null(data, "cannot read %s", path);
	return data;
}

static void check(const char *file, const char *parser, int got, const outcome *want)
{
	const char *msg = iotx509_error_last();

	cr_expect_eq(got, want->code, "%s via %s: got %d (%s), want %d", file, parser, got, th_err(), want->code);
	if (got != 0 && want->code != 0) {
		cr_expect(msg != NULL && strstr(msg, want->msg) != NULL, "%s via %s: message '%s' lacks '%s'", file,
			  parser, th_err(), want->msg);
		cr_expect_eq(iotx509_error_last_code(), got, "%s via %s: iotx509_error_last_code() disagrees", file,
			     parser);
	}
}

/* Every file in the directory has its row, and there are at least 50. */
Test(malformed, corpus_is_complete)
{
	DIR *d = opendir(CORPUS);
	struct dirent *e;
	size_t n = 0, i;

	cr_assert_not_null(d, "cannot open %s", CORPUS);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "generate.py") == 0 || strcmp(e->d_name, "MANIFEST") == 0)
			continue;
		for (i = 0; i < N_CORPUS; i++)
			if (strcmp(corpus[i].file, e->d_name) == 0)
				break;
		cr_expect(i < N_CORPUS, "%s has no expectations in test_malformed.c", e->d_name);
		n++;
	}
	closedir(d);
	cr_assert_eq(n, N_CORPUS, "%zu files, %zu rows", n, (size_t)N_CORPUS);
	cr_assert_geq(n, 50);
}

Test(malformed, certificate_import)
{
	size_t i, size;

	for (i = 0; i < N_CORPUS; i++) {
		unsigned char *data = load(corpus[i].file, &size);
		iotx509_cert *c = NULL;

		iotx509_error_clear();
		check(corpus[i].file, "iotx509_cert_import", iotx509_cert_import(&c, data, size), &corpus[i].cert);
		iotx509_cert_free(c);
		free(data);
	}
}

Test(malformed, certlist_import)
{
	size_t i, size;

	for (i = 0; i < N_CORPUS; i++) {
		unsigned char *data = load(corpus[i].file, &size);
		iotx509_certlist *l = NULL;
		int ret;

		iotx509_error_clear();
		ret = iotx509_certlist_import(&l, data, size);
		check(corpus[i].file, "iotx509_certlist_import", ret, &corpus[i].certlist);
		if (ret != 0)
			cr_expect_null(l, "%s: a failed import returned a list", corpus[i].file);
		iotx509_certlist_free(l);
		free(data);
	}
}

Test(malformed, key_import_without_password)
{
	size_t i, size;

	for (i = 0; i < N_CORPUS; i++) {
		unsigned char *data = load(corpus[i].file, &size);
		iotx509_key *k = NULL;

		iotx509_error_clear();
		check(corpus[i].file, "iotx509_key_import", iotx509_key_import(&k, data, size, NULL), &corpus[i].key);
		iotx509_key_free(k);
		free(data);
	}
}

Test(malformed, key_import_with_password)
{
	size_t i, size;

	for (i = 0; i < N_CORPUS; i++) {
		unsigned char *data = load(corpus[i].file, &size);
		iotx509_key *k = NULL;

		iotx509_error_clear();
		check(corpus[i].file, "iotx509_key_import(1234)", iotx509_key_import(&k, data, size, "1234"),
		      &corpus[i].key_pw);
		iotx509_key_free(k);
		free(data);
	}
}

Test(malformed, csr_import_and_verify)
{
	size_t i, size;

	for (i = 0; i < N_CORPUS; i++) {
		unsigned char *data = load(corpus[i].file, &size);
		iotx509_csr *c = NULL;
		int ret;

		iotx509_error_clear();
		ret = iotx509_csr_import(&c, data, size);
		if (ret == 0) {
			int valid = 0;

			ret = iotx509_csr_verify(&valid, c);
			if (ret == 0 && !valid)
				ret = iotx509_error_last_code(); /* the verdict's reason */
		}
		check(corpus[i].file, "iotx509_csr_import+verify", ret, &corpus[i].csr);
		iotx509_csr_free(c);
		free(data);
	}
}

Test(malformed, pkcs12_import)
{
	size_t i, size;

	for (i = 0; i < N_CORPUS; i++) {
		unsigned char *data = load(corpus[i].file, &size);
		iotx509_pkcs12 *p = NULL;

		iotx509_error_clear();
		check(corpus[i].file, "iotx509_pkcs12_import", iotx509_pkcs12_import(&p, data, size, "1234", NULL),
		      &corpus[i].pkcs12);
		iotx509_pkcs12_free(p);
		free(data);
	}
}

Test(malformed, lint_data)
{
	size_t i, size;

	for (i = 0; i < N_CORPUS; i++) {
		unsigned char *data = load(corpus[i].file, &size);
		iotx509_lint_result *r = NULL;
		int ret;

		iotx509_error_clear();
		ret = iotx509_lint_data(&r, data, size, NULL);
		check(corpus[i].file, "iotx509_lint_data", ret, &corpus[i].lint);
		if (ret == 0 && corpus[i].lint.code == 0)
			cr_expect(iotx509_lint_result_has(r, corpus[i].lint.msg), "%s: lint lacks finding %s",
				  corpus[i].file, corpus[i].lint.msg);
		if (ret != 0)
			cr_expect_null(r);
		iotx509_lint_result_free(r);
		free(data);
	}
}

/* The file variants put the file name in front of the same message. */
Test(malformed, load_functions_name_the_file)
{
	iotx509_cert *c = NULL;
	iotx509_key *k = NULL;
	iotx509_csr *r = NULL;
	char path[1024];

	snprintf(path, sizeof(path), "%s/der-truncated-half.der", CORPUS);
	cr_assert_eq(iotx509_cert_load(&c, path), IOTX509_EPARSE);
	cr_assert(strncmp(th_err(), path, strlen(path)) == 0 && strstr(th_err(), ": malformed certificate") != NULL,
		  "%s", th_err());
	snprintf(path, sizeof(path), "%s/key-rsa-labelled-ec.pem", CORPUS);
	cr_assert_eq(iotx509_key_load(&k, path, NULL), IOTX509_EPARSE);
	cr_assert(strncmp(th_err(), path, strlen(path)) == 0 && strstr(th_err(), ": malformed private key") != NULL,
		  "%s", th_err());
	snprintf(path, sizeof(path), "%s/csr-truncated.pem", CORPUS);
	cr_assert_eq(iotx509_csr_load(&r, path), IOTX509_EPARSE);
	cr_assert(strncmp(th_err(), path, strlen(path)) == 0, "%s", th_err());
}
