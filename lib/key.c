/*
 * Private keys: generation, import in every common encoding, PKCS#8 export.
 *
 * GnuTLS parses and writes the keys. What it would do unchecked, we look at
 * first with libtasn1 (lib/pkcs12.asn): the iteration count of an encrypted
 * key before GnuTLS derives a key with it, the curve of an EC key it cannot
 * read (to say why), and the SEC1 privateKey octets it writes (RFC 5915
 * fixes their length; GnuTLS 3.7 writes a leading zero or drops them).
 *
 * It also dispatches key references: iotx509_key_open() and
 * iotx509_key_load() hand a pkcs11: URL to the PKCS#11 backend
 * (pkcs11-internal.h) and read anything else as a file.
 */
#include "file-internal.h"
#include "key-internal.h"
#include "pkcs11-internal.h"
#include "pem-internal.h"

#include <gnutls/pkcs12.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const asn1_static_node iox_pkcs12_asn1_tab[];

#define OID_PBES2 "1.2.840.113549.1.5.13"
#define OID_PBKDF2 "1.2.840.113549.1.5.12"
#define OID_SCRYPT "1.3.6.1.4.1.11591.4.11"
#define OID_EC_PUBLIC_KEY "1.2.840.10045.2.1"

/* What export writes: PBES2 as GnuTLS 3.7 did (its PKCS#8 default). */
#define KEY_EXPORT_ITERATIONS 600000u
#if KEY_EXPORT_ITERATIONS > IOTX509_KEY_MAX_ITERATIONS
#error "keys the library writes must be readable by it"
#endif

static const struct {
	iotx509_key_type type;
	const char *name;
	gnutls_pk_algorithm_t pk;
	unsigned int bits; /* RSA modulus or GNUTLS_CURVE_TO_BITS(curve) */
} key_types[] = {
	{ IOTX509_KEY_RSA2048, "rsa2048", GNUTLS_PK_RSA, 2048 },
	{ IOTX509_KEY_RSA3072, "rsa3072", GNUTLS_PK_RSA, 3072 },
	{ IOTX509_KEY_RSA4096, "rsa4096", GNUTLS_PK_RSA, 4096 },
	{ IOTX509_KEY_P256, "p256", GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1) },
	{ IOTX509_KEY_P384, "p384", GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP384R1) },
	{ IOTX509_KEY_ED25519, "ed25519", GNUTLS_PK_EDDSA_ED25519,
	  GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_ED25519) },
};
#define N_KEY_TYPES (sizeof(key_types) / sizeof(key_types[0]))

iotx509_error_code iotx509_key_type_from_name(iotx509_key_type *out, const char *name)
{
	size_t i;

	if (out == NULL || name == NULL)
		return iox_error(IOTX509_EINVAL, "key type: no name given");
	for (i = 0; i < N_KEY_TYPES; i++) {
		if (strcmp(name, key_types[i].name) == 0) {
			*out = key_types[i].type;
			return 0;
		}
	}
	return iox_error(IOTX509_EINVAL,
			 "unknown key type '%s' (expected rsa2048, rsa3072, rsa4096, p256, p384 or ed25519)",
			 name);
}

const char *iotx509_key_type_name(iotx509_key_type type)
{
	size_t i;

	for (i = 0; i < N_KEY_TYPES; i++)
		if (key_types[i].type == type)
			return key_types[i].name;
	return "unknown";
}

const char *iotx509_key_algorithm_name(iotx509_key_algorithm alg)
{
	switch (alg) {
	case IOTX509_ALG_RSA:
		return "RSA";
	case IOTX509_ALG_ECDSA:
		return "ECDSA";
	case IOTX509_ALG_ED25519:
		return "Ed25519";
	case IOTX509_ALG_UNKNOWN:
		break;
	}
	return "unknown";
}

iotx509_key_algorithm iox_pk_family(gnutls_pk_algorithm_t pk)
{
	switch (pk) {
	case GNUTLS_PK_RSA:
		return IOTX509_ALG_RSA;
	case GNUTLS_PK_ECDSA:
		return IOTX509_ALG_ECDSA;
	case GNUTLS_PK_EDDSA_ED25519:
		return IOTX509_ALG_ED25519;
	default:
		return IOTX509_ALG_UNKNOWN;
	}
}

int iox_pubkey_digests(char out[65], unsigned char sha1[20], gnutls_pubkey_t pub)
{
	gnutls_datum_t der = { NULL, 0 };
	unsigned char digest[32];
	int ret = gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &der);

	if (ret < 0)
		return iox_error_gnutls(iox_code_from_gnutls(ret), ret, "cannot encode the public key");
	ret = gnutls_hash_fast(GNUTLS_DIG_SHA256, der.data, der.size, digest);
	if (ret >= 0 && sha1 != NULL)
		ret = gnutls_hash_fast(GNUTLS_DIG_SHA1, der.data, der.size, sha1);
	gnutls_free(der.data);
	if (ret < 0)
		return iox_error_gnutls(IOTX509_ECRYPTO, ret, "hashing the public key failed");
	iox_hex_upper(out, digest, sizeof(digest));
	return 0;
}

int iox_pubkey_spki_sha256(char out[65], gnutls_pubkey_t pub)
{
	return iox_pubkey_digests(out, NULL, pub);
}

gnutls_digest_algorithm_t iox_sign_digest(const iotx509_key *key)
{
	/* GnuTLS wants Ed25519's own hash named; the signature is pure Ed25519. */
	if (key->pk == GNUTLS_PK_EDDSA_ED25519)
		return GNUTLS_DIG_SHA512;
	if (key->pk == GNUTLS_PK_ECDSA) {
		if (key->bits > 384)
			return GNUTLS_DIG_SHA512;
		if (key->bits > 256)
			return GNUTLS_DIG_SHA384;
	}
	return GNUTLS_DIG_SHA256;
}

iotx509_key *iox_key_ref(const iotx509_key *key)
{
	iotx509_key *k = (iotx509_key *)key;

	iox_ref_inc(&k->ref);
	return k;
}

int iox_key_type_params(iotx509_key_type type, gnutls_pk_algorithm_t *pk, unsigned int *bits)
{
	size_t i;

	for (i = 0; i < N_KEY_TYPES; i++) {
		if (key_types[i].type == type) {
			*pk = key_types[i].pk;
			*bits = key_types[i].bits;
			return 0;
		}
	}
	return iox_error(IOTX509_EINVAL, "unknown key type %d", (int)type);
}

void iox_key_sign_begin(const iotx509_key *key)
{
	if (key->serialize)
		pthread_mutex_lock(&((iotx509_key *)key)->lock);
}

void iox_key_sign_end(const iotx509_key *key)
{
	if (key->serialize)
		pthread_mutex_unlock(&((iotx509_key *)key)->lock);
}

int iox_key_wrap(iotx509_key **out, gnutls_privkey_t priv, gnutls_x509_privkey_t x509, const char *url)
{
	iotx509_key *key;
	int ret;

	key = calloc(1, sizeof(*key));
	if (key == NULL) {
		gnutls_privkey_deinit(priv);
		if (x509)
			gnutls_x509_privkey_deinit(x509);
		return iox_error(IOTX509_ENOMEM, "out of memory");
	}
	iox_ref_init(&key->ref);
	key->x509 = x509;
	key->priv = priv;
	if (url != NULL) {
		key->serialize = 1;
		pthread_mutex_init(&key->lock, NULL);
		if ((key->url = strdup(url)) == NULL) {
			iotx509_key_free(key);
			return iox_error(IOTX509_ENOMEM, "out of memory");
		}
	}
	if ((ret = gnutls_pubkey_init(&key->pub)) < 0 ||
	    (ret = gnutls_pubkey_import_privkey(key->pub, key->priv, 0, 0)) < 0) {
		iotx509_key_free(key);
		return iox_error_gnutls(iox_code_from_gnutls(ret), ret, "cannot read the public key of the private key");
	}
	key->pk = (gnutls_pk_algorithm_t)gnutls_pubkey_get_pk_algorithm(key->pub, &key->bits);
	key->alg = iox_pk_family(key->pk);
	if (key->alg == IOTX509_ALG_UNKNOWN) {
		const char *name = gnutls_pk_get_name(key->pk);

		iotx509_key_free(key);
		return iox_error(IOTX509_EUNSUPPORTED,
				 "unsupported key algorithm %s (RSA, ECDSA and Ed25519 are supported)",
				 name ? name : "unknown");
	}
	if (key->pk == GNUTLS_PK_ECDSA) {
		gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;

		gnutls_pubkey_export_ecc_raw(key->pub, &curve, NULL, NULL);
		/* Token keys do not always report a size: take the curve's. */
		key->bits = (unsigned int)gnutls_ecc_curve_get_size(curve) * 8;
		if (curve != GNUTLS_ECC_CURVE_SECP256R1 && curve != GNUTLS_ECC_CURVE_SECP384R1 &&
		    curve != GNUTLS_ECC_CURVE_SECP521R1) {
			iotx509_key_free(key);
			return iox_error(IOTX509_EUNSUPPORTED, "unsupported elliptic curve %s",
					 gnutls_ecc_curve_get_name(curve) ? gnutls_ecc_curve_get_name(curve) : "unknown");
		}
	}
	if ((ret = iox_pubkey_digests(key->spki_sha256, key->key_id, key->pub)) < 0) {
		iotx509_key_free(key);
		return ret;
	}
	*out = key;
	return 0;
}

/* Wrap a software key (taking ownership of @x509) into a new handle. */
static int key_wrap(iotx509_key **out, gnutls_x509_privkey_t x509)
{
	gnutls_privkey_t priv;
	int ret;

	if ((ret = gnutls_privkey_init(&priv)) < 0) {
		gnutls_x509_privkey_deinit(x509);
		return iox_error_gnutls(IOTX509_ENOMEM, ret, "out of memory");
	}
	/* No AUTO_RELEASE: we keep @x509 for export and free both ourselves. */
	if ((ret = gnutls_privkey_import_x509(priv, x509, 0)) < 0) {
		gnutls_privkey_deinit(priv);
		gnutls_x509_privkey_deinit(x509);
		return iox_error_gnutls(iox_code_from_gnutls(ret), ret, "cannot use the private key");
	}
	return iox_key_wrap(out, priv, x509, NULL);
}

iotx509_error_code iotx509_key_generate(iotx509_key **out, iotx509_key_type type)
{
	gnutls_x509_privkey_t x509;
	size_t i;
	int ret;

	if (out == NULL)
		return iox_error(IOTX509_EINVAL, "key generate: out is NULL");
	*out = NULL;
	for (i = 0; i < N_KEY_TYPES; i++)
		if (key_types[i].type == type)
			break;
	if (i == N_KEY_TYPES)
		return iox_error(IOTX509_EINVAL, "key generate: unknown key type %d", (int)type);
	if ((ret = gnutls_x509_privkey_init(&x509)) < 0)
		return iox_error_gnutls(IOTX509_ENOMEM, ret, "key generate");
	ret = gnutls_x509_privkey_generate2(x509, key_types[i].pk, key_types[i].bits, 0, NULL, 0);
	if (ret < 0) {
		gnutls_x509_privkey_deinit(x509);
		return iox_error_gnutls(IOTX509_ECRYPTO, ret, "cannot generate a %s key", key_types[i].name);
	}
	return key_wrap(out, x509);
}

/* ---- DER checks and re-encoding with libtasn1 --------------------------- */

int iox_asn1_defs(asn1_node *defs)
{
	char errdesc[ASN1_MAX_ERROR_DESCRIPTION_SIZE];

	*defs = NULL;
	if (asn1_array2tree(iox_pkcs12_asn1_tab, defs, errdesc) != ASN1_SUCCESS)
		return iox_error(IOTX509_ECRYPTO, "ASN.1 definitions: %s", errdesc);
	return 0;
}

int iox_asn1_decode(asn1_node defs, const char *type, const void *der, size_t size, asn1_node *out)
{
	char name[64];
	int ret;

	*out = NULL;
	if (der == NULL || size == 0 || size > INT_MAX)
		return ASN1_DER_ERROR;
	snprintf(name, sizeof(name), "IOTX509-PKCS12.%s", type);
	if ((ret = asn1_create_element(defs, name, out)) != ASN1_SUCCESS)
		return ret;
	if ((ret = asn1_der_decoding(out, der, (int)size, NULL)) != ASN1_SUCCESS)
		asn1_delete_structure2(out, ASN1_DELETE_FLAG_ZEROIZE);
	return ret;
}

int iox_asn1_read(asn1_node node, const char *field, gnutls_datum_t *out)
{
	int len = 0, ret;

	out->data = NULL;
	out->size = 0;
	ret = asn1_read_value(node, field, NULL, &len);
	if (ret != ASN1_MEM_ERROR)
		return ret;
	if ((out->data = gnutls_malloc((size_t)len + 1)) == NULL)
		return ASN1_MEM_ALLOC_ERROR;
	if ((ret = asn1_read_value(node, field, out->data, &len)) != ASN1_SUCCESS) {
		iox_datum_wipe(out);
		return ret;
	}
	out->size = (unsigned int)len;
	return ASN1_SUCCESS;
}

int iox_asn1_encode(asn1_node node, gnutls_datum_t *out)
{
	char errdesc[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
	int len = 0, ret;

	out->data = NULL;
	out->size = 0;
	ret = asn1_der_coding(node, "", NULL, &len, errdesc);
	if (ret != ASN1_MEM_ERROR)
		return ret == ASN1_SUCCESS ? ASN1_GENERIC_ERROR : ret;
	if ((out->data = gnutls_malloc((size_t)len)) == NULL)
		return ASN1_MEM_ALLOC_ERROR;
	if ((ret = asn1_der_coding(node, "", out->data, &len, errdesc)) != ASN1_SUCCESS) {
		iox_datum_wipe(out);
		return ret;
	}
	out->size = (unsigned int)len;
	return ASN1_SUCCESS;
}

int iox_read_iterations(unsigned int *out, asn1_node node, const char *field, const char *what, unsigned int limit,
			const char *limit_name)
{
	unsigned char v[8];
	unsigned long long n = 0;
	int len = sizeof(v), ret, i;

	*out = 0;
	ret = asn1_read_value(node, field, v, &len);
	if (ret == ASN1_MEM_ERROR)
		return iox_error(IOTX509_ELIMIT, "%s: the iteration count, a %d-octet number, exceeds the limit of %u (%s)",
				 what, len, limit, limit_name);
	if (ret != ASN1_SUCCESS || len <= 0)
		return iox_error(IOTX509_EPARSE, "%s: the iteration count is missing or malformed", what);
	if (v[0] & 0x80)
		return iox_error(IOTX509_EPARSE, "%s: the iteration count is negative", what);
	for (i = 0; i < len; i++)
		n = n << 8 | v[i];
	if (n == 0)
		return iox_error(IOTX509_EPARSE, "%s: the iteration count is 0", what);
	if (n > limit)
		return iox_error(IOTX509_ELIMIT, "%s: %llu iterations exceed the limit of %u (%s)", what, n, limit,
				 limit_name);
	*out = (unsigned int)n;
	return 0;
}

/* The PKCS#12 (RFC 7292 appendix C) and PKCS#5 v1 (RFC 8018 A.3) schemes,
 * whose parameters are a salt and an iteration count. */
static int is_salt_and_count_scheme(const char *oid)
{
	static const char *const pbes1[] = { "1.2.840.113549.1.5.1", "1.2.840.113549.1.5.3", "1.2.840.113549.1.5.4",
					     "1.2.840.113549.1.5.6", "1.2.840.113549.1.5.10", "1.2.840.113549.1.5.11" };
	static const char p12[] = "1.2.840.113549.1.12.1.";
	size_t i;

	if (strncmp(oid, p12, sizeof(p12) - 1) == 0 && oid[sizeof(p12) - 1] >= '1' && oid[sizeof(p12) - 1] <= '6' &&
	    oid[sizeof(p12)] == '\0')
		return 1;
	for (i = 0; i < sizeof(pbes1) / sizeof(pbes1[0]); i++)
		if (strcmp(oid, pbes1[i]) == 0)
			return 1;
	return 0;
}

int iox_pbe_check(unsigned int *iterations, asn1_node defs, asn1_node node, const char *field, const char *what,
		  unsigned int limit, const char *limit_name)
{
	char oid[128], name[160];
	gnutls_datum_t params = { NULL, 0 }, kdf_params = { NULL, 0 };
	asn1_node p = NULL, kdf = NULL;
	int len = sizeof(oid), ret;

	*iterations = 0;
	snprintf(name, sizeof(name), "%s.algorithm", field);
	if (asn1_read_value(node, name, oid, &len) != ASN1_SUCCESS)
		return iox_error(IOTX509_EPARSE, "%s: the encryption algorithm is malformed", what);
	snprintf(name, sizeof(name), "%s.parameters", field);
	if (strcmp(oid, OID_PBES2) == 0) {
		len = sizeof(oid);
		if (iox_asn1_read(node, name, &params) != ASN1_SUCCESS ||
		    iox_asn1_decode(defs, "PBES2-params", params.data, params.size, &p) != ASN1_SUCCESS ||
		    asn1_read_value(p, "keyDerivationFunc.algorithm", oid, &len) != ASN1_SUCCESS) {
			ret = iox_error(IOTX509_EPARSE, "%s: malformed PBES2 parameters", what);
		} else if (strcmp(oid, OID_SCRYPT) == 0) {
			ret = iox_error(IOTX509_EUNSUPPORTED,
					"%s: unsupported key encryption: scrypt (PBES2 with PBKDF2 is supported)", what);
		} else if (strcmp(oid, OID_PBKDF2) != 0) {
			ret = iox_error(IOTX509_EUNSUPPORTED,
					"%s: unsupported key derivation function %s (PBES2 with PBKDF2 is supported)", what,
					oid);
		} else if (iox_asn1_read(p, "keyDerivationFunc.parameters", &kdf_params) != ASN1_SUCCESS ||
			   iox_asn1_decode(defs, "PBKDF2-params", kdf_params.data, kdf_params.size, &kdf) !=
				   ASN1_SUCCESS) {
			ret = iox_error(IOTX509_EPARSE, "%s: malformed PBKDF2 parameters", what);
		} else {
			ret = iox_read_iterations(iterations, kdf, "iterationCount", what, limit, limit_name);
		}
	} else if (is_salt_and_count_scheme(oid)) {
		if (iox_asn1_read(node, name, &params) != ASN1_SUCCESS ||
		    iox_asn1_decode(defs, "PKCS12-PbeParams", params.data, params.size, &p) != ASN1_SUCCESS)
			ret = iox_error(IOTX509_EPARSE, "%s: malformed password-based encryption parameters", what);
		else
			ret = iox_read_iterations(iterations, p, "iterations", what, limit, limit_name);
	} else {
		ret = iox_error(IOTX509_EUNSUPPORTED, "%s: unsupported encryption scheme %s", what, oid);
	}
	gnutls_free(params.data);
	gnutls_free(kdf_params.data);
	asn1_delete_structure(&p);
	asn1_delete_structure(&kdf);
	return ret;
}

int iox_pkcs8_encrypted_check(unsigned int *iterations, const gnutls_datum_t *der)
{
	asn1_node defs = NULL, epki = NULL;
	char oid[128];
	int len = sizeof(oid), ret;

	*iterations = 0;
	if ((ret = iox_asn1_defs(&defs)) < 0)
		return ret;
	/* GnuTLS takes an empty SEQUENCE for anything: only a readable
	 * algorithm makes this an EncryptedPrivateKeyInfo. */
	if (iox_asn1_decode(defs, "EncryptedPrivateKeyInfo", der->data, der->size, &epki) != ASN1_SUCCESS ||
	    asn1_read_value(epki, "encryptionAlgorithm.algorithm", oid, &len) != ASN1_SUCCESS)
		ret = 0;
	else if ((ret = iox_pbe_check(iterations, defs, epki, "encryptionAlgorithm", "encrypted private key",
				      IOTX509_KEY_MAX_ITERATIONS, "IOTX509_KEY_MAX_ITERATIONS")) == 0)
		ret = 1;
	asn1_delete_structure(&epki);
	asn1_delete_structure(&defs);
	return ret;
}

/* Why GnuTLS cannot read an EC key (PKCS#8 or SEC1 DER @der), when the
 * reason is its curve: the error, or 0 for anything else. */
static int ec_unsupported_reason(const gnutls_datum_t *der)
{
	static const struct {
		const char *oid, *name;
	} curves[] = {
		{ "1.3.132.0.10", "secp256k1" },
		{ "1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1" },
		{ "1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1" },
		{ "1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1" },
	};
	asn1_node defs = NULL, n = NULL, curve = NULL;
	gnutls_datum_t params = { NULL, 0 };
	char oid[128];
	const char *name = NULL;
	int len = sizeof(oid), ret;
	size_t i;

	if ((ret = iox_asn1_defs(&defs)) < 0)
		return ret;
	if (iox_asn1_decode(defs, "PrivateKeyInfo", der->data, der->size, &n) == ASN1_SUCCESS) {
		if (asn1_read_value(n, "privateKeyAlgorithm.algorithm", oid, &len) == ASN1_SUCCESS &&
		    strcmp(oid, OID_EC_PUBLIC_KEY) == 0)
			iox_asn1_read(n, "privateKeyAlgorithm.parameters", &params);
	} else if (iox_asn1_decode(defs, "ECPrivateKey", der->data, der->size, &n) == ASN1_SUCCESS) {
		iox_asn1_read(n, "parameters", &params);
	}
	len = sizeof(oid);
	if (params.size > 0 && params.data[0] == 0x30) {
		ret = iox_error(IOTX509_EUNSUPPORTED, "unsupported private key: explicit elliptic-curve parameters "
						      "(only the named curves P-256, P-384 and P-521 are supported)");
	} else if (params.size > 0 && params.data[0] == 0x06 &&
		   iox_asn1_decode(defs, "ObjectValue", params.data, params.size, &curve) == ASN1_SUCCESS &&
		   asn1_read_value(curve, "", oid, &len) == ASN1_SUCCESS &&
		   gnutls_oid_to_ecc_curve(oid) == GNUTLS_ECC_CURVE_INVALID) {
		for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
			if (strcmp(oid, curves[i].oid) == 0)
				name = curves[i].name;
		ret = iox_error(IOTX509_EUNSUPPORTED,
				"unsupported private key: elliptic curve %s%s%s%s (P-256, P-384 and P-521 are supported)",
				name ? name : oid, name ? " (" : "", name ? oid : "", name ? ")" : "");
	}
	gnutls_free(params.data);
	asn1_delete_structure2(&n, ASN1_DELETE_FLAG_ZEROIZE);
	asn1_delete_structure(&curve);
	asn1_delete_structure(&defs);
	return ret;
}

/* Rewrite the ECPrivateKey inside PKCS#8 @pk8 so that its privateKey holds
 * exactly @n octets (RFC 5915: ceiling(log2(order) / 8)). */
static int ec_fixed_length(gnutls_datum_t *pk8, size_t n)
{
	asn1_node defs = NULL, pki = NULL, ec = NULL;
	gnutls_datum_t inner = { NULL, 0 }, d = { NULL, 0 }, ec_der = { NULL, 0 }, out = { NULL, 0 };
	unsigned char fixed[66]; /* P-521 */
	size_t skip = 0;
	int ret;

	if ((ret = iox_asn1_defs(&defs)) < 0)
		return ret;
	if (iox_asn1_decode(defs, "PrivateKeyInfo", pk8->data, pk8->size, &pki) != ASN1_SUCCESS ||
	    iox_asn1_read(pki, "privateKey", &inner) != ASN1_SUCCESS ||
	    iox_asn1_decode(defs, "ECPrivateKey", inner.data, inner.size, &ec) != ASN1_SUCCESS ||
	    iox_asn1_read(ec, "privateKey", &d) != ASN1_SUCCESS) {
		ret = iox_error(IOTX509_ECRYPTO, "cannot re-encode the EC private key: GnuTLS wrote an unexpected form");
		goto out;
	}
	while (skip < d.size && d.data[skip] == 0)
		skip++;
	if (n > sizeof(fixed) || d.size - skip > n) {
		ret = iox_error(IOTX509_ECRYPTO, "cannot re-encode the EC private key: %u octets for a %zu-octet curve",
				d.size - (unsigned int)skip, n);
		goto out;
	}
	ret = 0;
	if (d.size == n)
		goto out;
	memset(fixed, 0, n);
	memcpy(fixed + n - (d.size - skip), d.data + skip, d.size - skip);
	if (asn1_write_value(ec, "privateKey", fixed, (int)n) != ASN1_SUCCESS ||
	    iox_asn1_encode(ec, &ec_der) != ASN1_SUCCESS ||
	    asn1_write_value(pki, "privateKey", ec_der.data, (int)ec_der.size) != ASN1_SUCCESS ||
	    iox_asn1_encode(pki, &out) != ASN1_SUCCESS) {
		ret = iox_error(IOTX509_ENOMEM, "cannot re-encode the EC private key");
		goto out;
	}
	iox_datum_wipe(pk8);
	*pk8 = out;
out:
	gnutls_memset(fixed, 0, sizeof(fixed));
	iox_datum_wipe(&inner);
	iox_datum_wipe(&d);
	iox_datum_wipe(&ec_der);
	asn1_delete_structure2(&ec, ASN1_DELETE_FLAG_ZEROIZE);
	asn1_delete_structure2(&pki, ASN1_DELETE_FLAG_ZEROIZE);
	asn1_delete_structure(&defs);
	return ret;
}

int iox_key_pkcs8(gnutls_datum_t *out, const iotx509_key *key)
{
	int ret = gnutls_x509_privkey_export2_pkcs8(key->x509, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN, out);

	if (ret < 0)
		return iox_error_gnutls(iox_code_from_gnutls(ret), ret, "cannot export the private key");
	if (key->pk == GNUTLS_PK_ECDSA && (ret = ec_fixed_length(out, (key->bits + 7) / 8)) < 0) {
		iox_datum_wipe(out);
		return ret;
	}
	return 0;
}

/* Import one private key in PEM (the block text) or DER. With
 * @null_password, @password is "" and GnuTLS gets it as no password. */
static int import_x509(gnutls_x509_privkey_t *out, const gnutls_datum_t *in, gnutls_x509_crt_fmt_t fmt,
		       const char *password, int encrypted, int null_password)
{
	gnutls_x509_privkey_t x509;
	int ret;

	if ((ret = gnutls_x509_privkey_init(&x509)) < 0)
		return iox_error_gnutls(IOTX509_ENOMEM, ret, "key import");
	if (encrypted && password == NULL) {
		gnutls_x509_privkey_deinit(x509);
		return iox_error(IOTX509_EPASSWORD, "the private key is encrypted: a password is required");
	}
	if (null_password)
		ret = gnutls_x509_privkey_import2(x509, in, fmt, NULL, GNUTLS_PKCS_NULL_PASSWORD);
	else
		ret = gnutls_x509_privkey_import2(x509, in, fmt, password, password ? 0 : GNUTLS_PKCS_PLAIN);
	if (ret < 0) {
		gnutls_x509_privkey_deinit(x509);
		if (ret == GNUTLS_E_DECRYPTION_FAILED)
			return password ? iox_error(IOTX509_EPASSWORD,
						    "wrong password for the encrypted private key")
					: iox_error(IOTX509_EPASSWORD,
						    "the private key is encrypted: a password is required");
		if (ret == GNUTLS_E_MEMORY_ERROR)
			return iox_error(IOTX509_ENOMEM, "out of memory");
		if (ret == GNUTLS_E_UNKNOWN_PK_ALGORITHM || ret == GNUTLS_E_ECC_UNSUPPORTED_CURVE ||
		    ret == GNUTLS_E_UNKNOWN_CIPHER_TYPE || ret == GNUTLS_E_UNKNOWN_HASH_ALGORITHM)
			return iox_error_gnutls(IOTX509_EUNSUPPORTED, ret, "unsupported private key");
		return iox_error_gnutls(IOTX509_EPARSE, ret, "malformed private key");
	}
	*out = x509;
	return 0;
}

/* Is this DER a PKCS#12 file? GnuTLS's key import would pull the key out
 * of it without checking its MAC, so we send callers to the PKCS#12 API. */
static int der_is_pkcs12(const gnutls_datum_t *der)
{
	gnutls_pkcs12_t p12;
	gnutls_pkcs12_bag_t bag;
	int ret;

	if (gnutls_pkcs12_init(&p12) < 0)
		return 0;
	if (gnutls_pkcs12_bag_init(&bag) < 0) {
		gnutls_pkcs12_deinit(p12);
		return 0;
	}
	/* An empty SEQUENCE "imports" too: a real file has a first bag. */
	ret = gnutls_pkcs12_import(p12, der, GNUTLS_X509_FMT_DER, 0);
	if (ret == 0)
		ret = gnutls_pkcs12_get_bag(p12, 0, bag);
	gnutls_pkcs12_bag_deinit(bag);
	gnutls_pkcs12_deinit(p12);
	return ret == 0;
}

/*
 * Before GnuTLS sees @der: the encryption of an encrypted key (scheme and
 * iteration count; GnuTLS would derive a key with any count up to 10
 * million). *encrypted says whether @der is an EncryptedPrivateKeyInfo.
 */
static int precheck(const gnutls_datum_t *der, int *encrypted)
{
	unsigned int iterations;
	int ret = iox_pkcs8_encrypted_check(&iterations, der);

	*encrypted = ret > 0;
	return ret < 0 ? ret : 0;
}

static int key_import(iotx509_key **out, const unsigned char *data, size_t size, const char *password,
		      int null_password)
{
	gnutls_x509_privkey_t x509 = NULL;
	gnutls_datum_t in, der = { NULL, 0 };
	int ret, epki = 0;

	if (out == NULL || (data == NULL && size > 0))
		return iox_error(IOTX509_EINVAL, "key import: NULL argument");
	*out = NULL;
	if (size == 0)
		return iox_error(IOTX509_EPARSE, "no private key: the input is empty");
	if (size > UINT32_MAX)
		return iox_error(IOTX509_EPARSE, "input too large for a private key");

	if (iox_pem_present(data, size)) {
		iox_pem_block blk;
		size_t pos = 0;
		int found = 0, encrypted;

		while ((ret = iox_pem_next(&blk, data, size, &pos)) == 1) {
			if (iox_pem_is_private_key(&blk)) {
				found = 1;
				break;
			}
		}
		if (ret < 0)
			return ret;
		if (!found)
			return iox_error(IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found");
		/* What GnuTLS will decode, whatever the label says (legacy
		 * encrypted PEM does not decode here and costs GnuTLS one MD5). */
		if (iox_pem_decode(&der, &blk) == 0 && (ret = precheck(&der, &epki)) < 0) {
			iox_datum_wipe(&der);
			return ret;
		}
		encrypted = iox_pem_label_is(&blk, "ENCRYPTED PRIVATE KEY") ||
			    memmem(blk.body, blk.body_len, "ENCRYPTED", 9) != NULL;
		/* PKCS#8 and PKCS#1/SEC1 labels must match what is inside. */
		in.data = (unsigned char *)blk.block;
		in.size = (unsigned int)blk.block_len;
		ret = import_x509(&x509, &in, GNUTLS_X509_FMT_PEM, password, encrypted, null_password);
	} else {
		in.data = (unsigned char *)data;
		in.size = (unsigned int)size;
		if (data[0] != 0x30)
			return iox_error(IOTX509_EPARSE,
					 "not a private key: neither PEM nor DER (first byte 0x%02x)", data[0]);
		if (der_is_pkcs12(&in))
			return iox_error(IOTX509_EUNSUPPORTED,
					 "this is a PKCS#12 (.pfx) file, not a private key: read it with iotx509_pkcs12_import()");
		if ((ret = precheck(&in, &epki)) < 0)
			return ret;
		ret = import_x509(&x509, &in, GNUTLS_X509_FMT_DER, password, 0, null_password);
		if (ret == IOTX509_EPARSE && password == NULL && epki)
			ret = iox_error(IOTX509_EPASSWORD, "the private key is encrypted: a password is required");
		else if (ret == IOTX509_EPASSWORD && password == NULL && !epki)
			ret = iox_error(IOTX509_EPARSE, "malformed private key: not PKCS#1, SEC1 or PKCS#8 DER");
	}
	/* GnuTLS's parse error for a curve it does not know says nothing. */
	if (ret == IOTX509_EPARSE && !epki) {
		int reason = ec_unsupported_reason(der.data ? &der : &in);

		if (reason < 0)
			ret = reason;
	}
	iox_datum_wipe(&der);
	if (ret < 0)
		return ret;
	/* A damaged key can still parse (a flipped bit in an encrypted key's
	 * ciphertext survives decryption); it would only sign garbage. */
	if (gnutls_x509_privkey_verify_params(x509) < 0) {
		gnutls_x509_privkey_deinit(x509);
		return iox_error(IOTX509_EPARSE, "the private key is damaged: its parameters are inconsistent");
	}
	return key_wrap(out, x509);
}

iotx509_error_code iotx509_key_import(iotx509_key **out, const unsigned char *data, size_t size, const char *password)
{
	return key_import(out, data, size, password, 0);
}

int iox_key_import_null_password(iotx509_key **out, const unsigned char *data, size_t size)
{
	return key_import(out, data, size, "", 1);
}

IOX_OPTS_TYPE(key_open_opts_type, "key open options", IOTX509_KEY_OPEN_OPTIONS_VERSION, sizeof(iotx509_key_open_options));
static const iotx509_key_open_options key_open_opts_defaults = IOTX509_KEY_OPEN_OPTIONS_INIT;

iotx509_error_code iotx509_key_open_options_init(iotx509_key_open_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &key_open_opts_defaults, &key_open_opts_type);
}

int iox_key_open_options_read(iotx509_key_open_options *copy, const iotx509_key_open_options *opts)
{
	return iox_opts_read(copy, opts, &key_open_opts_defaults, &key_open_opts_type) < 0 ? IOTX509_EINVAL : 0;
}

iotx509_error_code iotx509_key_open(iotx509_key **out, const char *ref, const iotx509_key_open_options *opts)
{
	iotx509_key_open_options copy;

	if (out == NULL || ref == NULL)
		return iox_error(IOTX509_EINVAL, "key open: NULL argument");
	*out = NULL;
	/* Only the fields of the caller's version are read. */
	if (iox_opts_read(&copy, opts, &key_open_opts_defaults, &key_open_opts_type) < 0)
		return IOTX509_EINVAL;
	opts = &copy;
	if (iox_pkcs11_is_url(ref))
		return iox_pkcs11_open_key(out, ref, opts->pin, opts->module_path);
	return iotx509_key_load(out, ref, opts->password);
}

int iotx509_key_is_exportable(const iotx509_key *key)
{
	return key != NULL && key->x509 != NULL;
}

const char *iotx509_key_get_url(const iotx509_key *key)
{
	return key ? key->url : NULL;
}

iotx509_error_code iotx509_key_load(iotx509_key **out, const char *path, const char *password)
{
	iotx509_buf buf = IOTX509_BUF_INIT;
	int ret;

	if (out == NULL || path == NULL)
		return iox_error(IOTX509_EINVAL, "key load: NULL argument");
	*out = NULL;
	if (iox_pkcs11_is_url(path))
		return iox_pkcs11_open_key(out, path, password, NULL);
	if ((ret = iotx509_file_read(&buf, path)) < 0)
		return ret;
	ret = iotx509_key_import(out, buf.data, buf.size, password);
	iotx509_buf_dispose(&buf);
	if (ret < 0)
		iox_error_prefix(path);
	return ret;
}

static int key_export(iotx509_buf *out, const iotx509_key *key, const char *password, int pem)
{
	gnutls_datum_t der = { NULL, 0 }, enc = { NULL, 0 };
	int ret;

	if (out == NULL || key == NULL)
		return iox_error(IOTX509_EINVAL, "key export: NULL argument");
	out->data = NULL;
	out->size = 0;
	if (password != NULL && *password == '\0')
		return iox_error(IOTX509_EINVAL,
				 "key export: an empty password is refused (pass NULL for an unencrypted key)");
	if (key->x509 == NULL)
		return iox_error(IOTX509_EUNSUPPORTED, "the private key %s is held in a token and cannot be exported",
				 key->url ? key->url : "");
	if ((ret = iox_key_pkcs8(&der, key)) < 0)
		return ret;
	/* Encrypted here rather than by GnuTLS, which would encode the key
	 * again in its own way. */
	if (password != NULL) {
		ret = iox_pkcs8_encrypt(&enc, &der, password, KEY_EXPORT_ITERATIONS);
		iox_datum_wipe(&der);
		if (ret < 0)
			return ret;
		der = enc;
	}
	if (!pem)
		return iox_buf_from_datum(out, &der);
	ret = iox_pem_encode(out, password ? "ENCRYPTED PRIVATE KEY" : "PRIVATE KEY", &der);
	iox_datum_wipe(&der);
	return ret;
}

iotx509_error_code iotx509_key_export_pem(iotx509_buf *out, const iotx509_key *key, const char *password)
{
	return key_export(out, key, password, 1);
}

iotx509_error_code iotx509_key_export_der(iotx509_buf *out, const iotx509_key *key, const char *password)
{
	return key_export(out, key, password, 0);
}

iotx509_error_code iotx509_key_save(const iotx509_key *key, const char *path, const char *password,
			    const iotx509_write_options *opts)
{
	iotx509_buf pem = IOTX509_BUF_INIT;
	unsigned int flags;
	int ret;

	if (path == NULL)
		return iox_error(IOTX509_EINVAL, "key save: no path");
	if (iox_write_flags(&flags, opts) < 0)
		return IOTX509_EINVAL;
	if ((ret = iotx509_key_export_pem(&pem, key, password)) < 0)
		return ret;
	ret = iox_file_write(path, pem.data, pem.size, flags | IOTX509_WRITE_PRIVATE);
	iotx509_buf_dispose(&pem);
	return ret;
}

iotx509_error_code iotx509_key_export_public_pem(iotx509_buf *out, const iotx509_key *key)
{
	gnutls_datum_t d = { NULL, 0 };
	int ret;

	if (out == NULL || key == NULL)
		return iox_error(IOTX509_EINVAL, "public key export: NULL argument");
	out->data = NULL;
	out->size = 0;
	if ((ret = gnutls_pubkey_export2(key->pub, GNUTLS_X509_FMT_PEM, &d)) < 0)
		return iox_error_gnutls(iox_code_from_gnutls(ret), ret, "cannot export the public key");
	return iox_buf_from_pem_datum(out, &d);
}

iotx509_key_algorithm iotx509_key_get_algorithm(const iotx509_key *key)
{
	return key ? key->alg : IOTX509_ALG_UNKNOWN;
}

unsigned int iotx509_key_get_bits(const iotx509_key *key)
{
	return key ? key->bits : 0;
}

const char *iotx509_key_get_spki_sha256(const iotx509_key *key)
{
	return key ? key->spki_sha256 : NULL;
}

iotx509_error_code iotx509_key_dup(iotx509_key **out, const iotx509_key *key)
{
	if (out == NULL || key == NULL)
		return iox_error(IOTX509_EINVAL, "key dup: NULL argument");
	*out = iox_key_ref(key);
	return 0;
}

void iotx509_key_free(iotx509_key *key)
{
	if (key == NULL || !iox_ref_dec(&key->ref))
		return;
	/* GnuTLS wipes key material in its deinit functions. */
	if (key->priv)
		gnutls_privkey_deinit(key->priv);
	if (key->x509)
		gnutls_x509_privkey_deinit(key->x509);
	if (key->pub)
		gnutls_pubkey_deinit(key->pub);
	if (key->serialize)
		pthread_mutex_destroy(&key->lock);
	free(key->url);
	free(key);
}
