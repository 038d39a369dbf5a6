/*
 * Private keys: generation, import in every common encoding, PKCS#8 export.
 */
#include "key-internal.h"
#include "pem-internal.h"

#include <gnutls/pkcs12.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

int iotx509_key_type_from_name(iotx509_key_type *out, const char *name)
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
	return NULL;
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

int iotx509_key_generate(iotx509_key **out, iotx509_key_type type)
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

/* Import one private key in PEM (the block text) or DER. */
static int import_x509(gnutls_x509_privkey_t *out, const gnutls_datum_t *in, gnutls_x509_crt_fmt_t fmt,
		       const char *password, int encrypted)
{
	gnutls_x509_privkey_t x509;
	int ret;

	if ((ret = gnutls_x509_privkey_init(&x509)) < 0)
		return iox_error_gnutls(IOTX509_ENOMEM, ret, "key import");
	if (encrypted && password == NULL) {
		gnutls_x509_privkey_deinit(x509);
		return iox_error(IOTX509_EPASSWORD, "the private key is encrypted: a password is required");
	}
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

/* Does this DER look like EncryptedPrivateKeyInfo? We let GnuTLS try it
 * first as a plain key; only this decides which error the user sees. */
static int der_is_encrypted_pkcs8(const gnutls_datum_t *der)
{
	gnutls_x509_privkey_t k;
	int ret;

	if (gnutls_x509_privkey_init(&k) < 0)
		return 0;
	/* With an (arbitrary) password GnuTLS only tries the encrypted form;
	 * DECRYPTION_FAILED means it parsed as EncryptedPrivateKeyInfo. */
	ret = gnutls_x509_privkey_import_pkcs8(k, der, GNUTLS_X509_FMT_DER, "\001", 0);
	/* GnuTLS "imports" an empty SEQUENCE as a key without parameters:
	 * only a usable key counts as success. */
	if (ret == 0 && gnutls_x509_privkey_verify_params(k) < 0)
		ret = GNUTLS_E_ASN1_DER_ERROR;
	gnutls_x509_privkey_deinit(k);
	return ret == GNUTLS_E_DECRYPTION_FAILED || ret == 0;
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

int iotx509_key_import(iotx509_key **out, const unsigned char *data, size_t size, const char *password)
{
	gnutls_x509_privkey_t x509 = NULL;
	gnutls_datum_t in;
	int ret;

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
			if (blk.label_len >= 11 &&
			    memcmp(blk.label + blk.label_len - 11, "PRIVATE KEY", 11) == 0) {
				found = 1;
				break;
			}
		}
		if (ret < 0)
			return ret;
		if (!found)
			return iox_error(IOTX509_EPARSE, "no PEM block labelled '... PRIVATE KEY' found");
		encrypted = iox_pem_label_is(&blk, "ENCRYPTED PRIVATE KEY") ||
			    memmem(blk.body, blk.body_len, "ENCRYPTED", 9) != NULL;
		/* PKCS#8 and PKCS#1/SEC1 labels must match what is inside. */
		in.data = (unsigned char *)blk.block;
		in.size = (unsigned int)blk.block_len;
		ret = import_x509(&x509, &in, GNUTLS_X509_FMT_PEM, password, encrypted);
	} else {
		in.data = (unsigned char *)data;
		in.size = (unsigned int)size;
		if (data[0] != 0x30)
			return iox_error(IOTX509_EPARSE,
					 "not a private key: neither PEM nor DER (first byte 0x%02x)", data[0]);
		if (der_is_pkcs12(&in))
			return iox_error(IOTX509_EUNSUPPORTED,
					 "this is a PKCS#12 (.pfx) file, not a private key: read it with iotx509_pkcs12_import()");
		ret = import_x509(&x509, &in, GNUTLS_X509_FMT_DER, password, 0);
		if (ret == IOTX509_EPARSE && password == NULL && der_is_encrypted_pkcs8(&in))
			ret = iox_error(IOTX509_EPASSWORD, "the private key is encrypted: a password is required");
		else if (ret == IOTX509_EPASSWORD && password == NULL && !der_is_encrypted_pkcs8(&in))
			ret = iox_error(IOTX509_EPARSE, "malformed private key: not PKCS#1, SEC1 or PKCS#8 DER");
	}
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

int iotx509_key_open_options_init(iotx509_key_open_options *opts, unsigned int version)
{
	static const iotx509_key_open_options init = IOTX509_KEY_OPEN_OPTIONS_INIT;

	if (opts == NULL || version != IOTX509_KEY_OPEN_OPTIONS_VERSION)
		return iox_error(IOTX509_EINVAL, "key open options: unsupported version %u", version);
	*opts = init;
	return 0;
}

static int is_pkcs11_url(const char *ref)
{
	return strncasecmp(ref, "pkcs11:", 7) == 0;
}

int iotx509_key_open(iotx509_key **out, const char *ref, const iotx509_key_open_options *opts)
{
	static const iotx509_key_open_options defaults = IOTX509_KEY_OPEN_OPTIONS_INIT;

	if (out == NULL || ref == NULL)
		return iox_error(IOTX509_EINVAL, "key open: NULL argument");
	*out = NULL;
	if (opts == NULL)
		opts = &defaults;
	if (opts->version != IOTX509_KEY_OPEN_OPTIONS_VERSION)
		return iox_error(IOTX509_EINVAL, "key open options: unsupported version %u", opts->version);
	if (is_pkcs11_url(ref))
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

int iotx509_key_load(iotx509_key **out, const char *path, const char *password)
{
	iotx509_buf buf = IOTX509_BUF_INIT;
	int ret;

	if (out == NULL || path == NULL)
		return iox_error(IOTX509_EINVAL, "key load: NULL argument");
	*out = NULL;
	if (is_pkcs11_url(path))
		return iox_pkcs11_open_key(out, path, password, NULL);
	if ((ret = iotx509_file_read(&buf, path)) < 0)
		return ret;
	ret = iotx509_key_import(out, buf.data, buf.size, password);
	iotx509_buf_dispose(&buf);
	if (ret < 0)
		iox_error_prefix(path);
	return ret;
}

static int key_export(iotx509_buf *out, const iotx509_key *key, const char *password,
		      gnutls_x509_crt_fmt_t fmt)
{
	gnutls_datum_t d = { NULL, 0 };
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
	ret = gnutls_x509_privkey_export2_pkcs8(key->x509, fmt, password,
						password ? GNUTLS_PKCS_PBES2_AES_256 : GNUTLS_PKCS_PLAIN, &d);
	if (ret < 0)
		return iox_error_gnutls(iox_code_from_gnutls(ret), ret, "cannot export the private key");
	if (fmt == GNUTLS_X509_FMT_PEM)
		return iox_buf_from_pem_datum(out, &d);
	return iox_buf_from_datum(out, &d);
}

int iotx509_key_export_pem(iotx509_buf *out, const iotx509_key *key, const char *password)
{
	return key_export(out, key, password, GNUTLS_X509_FMT_PEM);
}

int iotx509_key_export_der(iotx509_buf *out, const iotx509_key *key, const char *password)
{
	return key_export(out, key, password, GNUTLS_X509_FMT_DER);
}

int iotx509_key_save(const iotx509_key *key, const char *path, const char *password, unsigned int flags)
{
	iotx509_buf pem = IOTX509_BUF_INIT;
	int ret;

	if (path == NULL)
		return iox_error(IOTX509_EINVAL, "key save: no path");
	if ((ret = iotx509_key_export_pem(&pem, key, password)) < 0)
		return ret;
	ret = iotx509_file_write(path, pem.data, pem.size, flags | IOTX509_WRITE_PRIVATE);
	iotx509_buf_dispose(&pem);
	return ret;
}

int iotx509_key_export_public_pem(iotx509_buf *out, const iotx509_key *key)
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
