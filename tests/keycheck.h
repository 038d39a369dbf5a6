/*
 * Tests of the bytes of the private keys the library writes: the SEC1
 * privateKey length inside PKCS#8, found with libtasn1 (the definitions of
 * lib/pkcs12.asn), after decrypting PBES2 or taking the key bag out of a
 * .pfx with GnuTLS where needed.
 */
#ifndef IOTX509_TEST_KEYCHECK_H
#define IOTX509_TEST_KEYCHECK_H

#include <stddef.h>

#include <iotx509.h>

/*
 * A P-256 (@bits 256) or P-384 key whose private scalar GnuTLS 3.7 writes
 * at the wrong length, imported into the library from GnuTLS's own PKCS#8
 * (which is checked to be wrong): with @high, a scalar with its top bit
 * set (GnuTLS adds a zero octet); without, one whose first octet is zero
 * (GnuTLS drops it; P-256 only, as GnuTLS makes no such P-384 scalar).
 * Made from new keys and, where that gives the kind wanted, their
 * negation (n - d, with the point (x, p - y)). NULL if none was found.
 */
iotx509_key *kc_awkward_ec_key(unsigned int bits, int high);

/* The kinds of kc_awkward_ec_key() worth a test: P-256 and P-384 scalars
 * GnuTLS writes at 33 and 49 octets, a P-256 one it writes at 31. */
typedef struct {
	unsigned int bits;
	int high;
} kc_awkward_kind;
extern const kc_awkward_kind kc_awkward_kinds[3];

/* A monotonic clock, in seconds. */
double kc_now(void);
/* How long "at once" may take: a refusal before any key derivation takes
 * milliseconds, where the derivations it prevents took minutes; 1 s, or
 * 20 s under valgrind (make check-valgrind sets VALGRIND). */
double kc_prompt_seconds(void);

/* PEM (the first block) or DER @data as DER (malloc'd); NULL if it is neither. */
unsigned char *kc_der(const unsigned char *data, size_t size, size_t *der_size);

/* The number of octets of the SEC1 privateKey inside the unencrypted
 * PKCS#8 DER @der; -1 when it is no EC PrivateKeyInfo. */
int kc_ec_private_octets(const unsigned char *der, size_t size);

/* Decrypt a PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) EncryptedPrivateKeyInfo
 * DER with @password: the PKCS#8 DER (malloc'd), or NULL. */
unsigned char *kc_pbes2_decrypt(const unsigned char *der, size_t size, const char *password, size_t *plain_size);

/* The .pfx @pfx without its MAC (malloc'd), or NULL. */
unsigned char *kc_without_mac(const unsigned char *pfx, size_t size, size_t *out_size);

/* The EncryptedPrivateKeyInfo DER of the first pkcs8ShroudedKeyBag of the
 * .pfx @pfx in a content in clear (as the library writes it), or NULL. */
unsigned char *kc_pfx_key_bag(const unsigned char *pfx, size_t size, size_t *bag_size);

#endif
