/*
 * See keycheck.h.
 */
#include "keycheck.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs12.h>
#include <gnutls/x509.h>
#include <libtasn1.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ASN_FILE IOTX509_TEST_SRCDIR "/lib/pkcs12.asn"

double kc_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

double kc_prompt_seconds(void)
{
	return getenv("VALGRIND") != NULL ? 20.0 : 1.0;
}

static asn1_node defs(void)
{
	char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
	asn1_node d = NULL;

	if (asn1_parser2tree(ASN_FILE, &d, err) != ASN1_SUCCESS) {
		fprintf(stderr, "%s: %s\n", ASN_FILE, err);
		return NULL;
	}
	return d;
}

static asn1_node decode(asn1_node d, const char *type, const void *der, size_t size)
{
	char name[64];
	asn1_node n = NULL;

	snprintf(name, sizeof(name), "IOTX509-PKCS12.%s", type);
	if (d == NULL || asn1_create_element(d, name, &n) != ASN1_SUCCESS)
		return NULL;
	if (asn1_der_decoding(&n, der, (int)size, NULL) != ASN1_SUCCESS)
		asn1_delete_structure(&n);
	return n;
}

/* A field's value (raw DER for an ANY), malloc'd. */
static unsigned char *read_field(asn1_node n, const char *field, int *len)
{
	unsigned char *buf;

	*len = 0;
	if (n == NULL || asn1_read_value(n, field, NULL, len) != ASN1_MEM_ERROR || (buf = malloc((size_t)*len + 1)) == NULL)
		return NULL;
	if (asn1_read_value(n, field, buf, len) != ASN1_SUCCESS) {
		free(buf);
		return NULL;
	}
	return buf;
}

unsigned char *kc_der(const unsigned char *data, size_t size, size_t *der_size)
{
	gnutls_datum_t in = { (unsigned char *)data, (unsigned int)size }, out = { NULL, 0 };
	unsigned char *der;

	if (size > 0 && data[0] == 0x30) {
		if ((der = malloc(size)) != NULL)
			memcpy(der, data, size);
		*der_size = size;
		return der;
	}
	if (gnutls_pem_base64_decode2(NULL, &in, &out) < 0)
		return NULL;
	der = malloc(out.size);
	if (der != NULL)
		memcpy(der, out.data, out.size);
	*der_size = out.size;
	gnutls_free(out.data);
	return der;
}

int kc_ec_private_octets(const unsigned char *der, size_t size)
{
	asn1_node d = defs(), pki = decode(d, "PrivateKeyInfo", der, size), ec = NULL;
	unsigned char *inner, *k = NULL;
	char oid[64];
	int len = sizeof(oid), ret = -1;

	if (pki != NULL && asn1_read_value(pki, "privateKeyAlgorithm.algorithm", oid, &len) == ASN1_SUCCESS &&
	    strcmp(oid, "1.2.840.10045.2.1") == 0 && (inner = read_field(pki, "privateKey", &len)) != NULL) {
		ec = decode(d, "ECPrivateKey", inner, (size_t)len);
		if ((k = read_field(ec, "privateKey", &len)) != NULL)
			ret = len;
		free(inner);
	}
	free(k);
	asn1_delete_structure(&ec);
	asn1_delete_structure(&pki);
	asn1_delete_structure(&d);
	return ret;
}

unsigned char *kc_pbes2_decrypt(const unsigned char *der, size_t size, const char *password, size_t *plain_size)
{
	asn1_node d = defs(), epki = decode(d, "EncryptedPrivateKeyInfo", der, size), pbes2 = NULL, kdf = NULL,
		  ivn = NULL;
	unsigned char *params = NULL, *kdf_der = NULL, *salt = NULL, *iv_der = NULL, *iv = NULL, *data = NULL;
	unsigned char *plain = NULL, key[32], count[8];
	int plen, klen, slen, ivlen, ivdlen, dlen, clen = sizeof(count), i;
	unsigned int iterations = 0;
	gnutls_cipher_hd_t h;

	*plain_size = 0;
	if ((params = read_field(epki, "encryptionAlgorithm.parameters", &plen)) == NULL ||
	    (pbes2 = decode(d, "PBES2-params", params, (size_t)plen)) == NULL ||
	    (kdf_der = read_field(pbes2, "keyDerivationFunc.parameters", &klen)) == NULL ||
	    (kdf = decode(d, "PBKDF2-params", kdf_der, (size_t)klen)) == NULL ||
	    (salt = read_field(kdf, "salt", &slen)) == NULL ||
	    asn1_read_value(kdf, "iterationCount", count, &clen) != ASN1_SUCCESS ||
	    (iv_der = read_field(pbes2, "encryptionScheme.parameters", &ivdlen)) == NULL ||
	    (ivn = decode(d, "OctetValue", iv_der, (size_t)ivdlen)) == NULL || (iv = read_field(ivn, "", &ivlen)) == NULL ||
	    ivlen != 16 || (data = read_field(epki, "encryptedData", &dlen)) == NULL || dlen % 16 != 0 || dlen == 0)
		goto out;
	for (i = 0; i < clen; i++)
		iterations = iterations << 8 | count[i];
	{
		gnutls_datum_t pw = { (unsigned char *)password, (unsigned int)strlen(password) };
		gnutls_datum_t s = { salt, (unsigned int)slen }, k = { key, sizeof(key) }, v = { iv, 16 };

		if (gnutls_pbkdf2(GNUTLS_MAC_SHA256, &pw, &s, iterations, key, sizeof(key)) < 0 ||
		    gnutls_cipher_init(&h, GNUTLS_CIPHER_AES_256_CBC, &k, &v) < 0)
			goto out;
		i = gnutls_cipher_decrypt(h, data, (size_t)dlen);
		gnutls_cipher_deinit(h);
		if (i < 0 || data[dlen - 1] == 0 || data[dlen - 1] > 16)
			goto out;
	}
	*plain_size = (size_t)dlen - data[dlen - 1];
	plain = data;
	data = NULL;
out:
	free(params);
	free(kdf_der);
	free(salt);
	free(iv_der);
	free(iv);
	free(data);
	asn1_delete_structure(&ivn);
	asn1_delete_structure(&kdf);
	asn1_delete_structure(&pbes2);
	asn1_delete_structure(&epki);
	asn1_delete_structure(&d);
	return plain;
}

unsigned char *kc_without_mac(const unsigned char *pfx, size_t size, size_t *out_size)
{
	char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
	asn1_node d = defs(), n = decode(d, "PFX", pfx, size);
	unsigned char *out = NULL;
	int len = 0;

	*out_size = 0;
	if (n != NULL && asn1_write_value(n, "macData", NULL, 0) == ASN1_SUCCESS &&
	    asn1_der_coding(n, "", NULL, &len, err) == ASN1_MEM_ERROR && (out = malloc((size_t)len)) != NULL) {
		if (asn1_der_coding(n, "", out, &len, err) == ASN1_SUCCESS) {
			*out_size = (size_t)len;
		} else {
			free(out);
			out = NULL;
		}
	}
	asn1_delete_structure(&n);
	asn1_delete_structure(&d);
	return out;
}

unsigned char *kc_pfx_key_bag(const unsigned char *pfx, size_t size, size_t *bag_size)
{
	gnutls_datum_t in = { (unsigned char *)pfx, (unsigned int)size }, data;
	gnutls_pkcs12_t p12;
	unsigned char *out = NULL;
	int idx, i, n;

	*bag_size = 0;
	if (gnutls_pkcs12_init(&p12) < 0)
		return NULL;
	if (gnutls_pkcs12_import(p12, &in, GNUTLS_X509_FMT_DER, 0) == 0) {
		for (idx = 0; out == NULL; idx++) {
			gnutls_pkcs12_bag_t bag;

			if (gnutls_pkcs12_bag_init(&bag) < 0)
				break;
			if (gnutls_pkcs12_get_bag(p12, idx, bag) < 0) {
				gnutls_pkcs12_bag_deinit(bag);
				break;
			}
			n = gnutls_pkcs12_bag_get_count(bag);
			for (i = 0; i < n && out == NULL; i++)
				if (gnutls_pkcs12_bag_get_type(bag, (unsigned int)i) == GNUTLS_BAG_PKCS8_ENCRYPTED_KEY &&
				    gnutls_pkcs12_bag_get_data(bag, (unsigned int)i, &data) == 0 &&
				    (out = malloc(data.size)) != NULL) {
					memcpy(out, data.data, data.size);
					*bag_size = data.size;
				}
			gnutls_pkcs12_bag_deinit(bag);
		}
	}
	gnutls_pkcs12_deinit(p12);
	return out;
}

/* The field primes and group orders of P-256 and P-384 (SEC 2). */
static const unsigned char P256_P[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};
static const unsigned char P256_N[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51
};
static const unsigned char P384_P[48] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff
};
static const unsigned char P384_N[48] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
	0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73
};

/* @v (big-endian, any length up to @n significant octets) in @n octets. */
static void fixed(unsigned char *out, const gnutls_datum_t *v, size_t n)
{
	size_t skip = 0;

	while (skip < v->size && v->data[skip] == 0)
		skip++;
	memset(out, 0, n);
	memcpy(out + n - (v->size - skip), v->data + skip, v->size - skip);
}

/* out = a - b, big-endian, @n octets, a >= b. */
static void sub(unsigned char *out, const unsigned char *a, const unsigned char *b, size_t n)
{
	int borrow = 0;
	size_t i;

	for (i = n; i > 0; i--) {
		int v = a[i - 1] - b[i - 1] - borrow;

		borrow = v < 0;
		out[i - 1] = (unsigned char)(v + (borrow ? 256 : 0));
	}
}

static int awkward(const unsigned char *d, size_t n, int high)
{
	return high ? (d[0] & 0x80) != 0 : d[0] == 0;
}

const kc_awkward_kind kc_awkward_kinds[3] = { { 256, 1 }, { 384, 1 }, { 256, 0 } };

iotx509_key *kc_awkward_ec_key(unsigned int bits, int high)
{
	gnutls_ecc_curve_t curve = bits == 384 ? GNUTLS_ECC_CURVE_SECP384R1 : GNUTLS_ECC_CURVE_SECP256R1;
	const unsigned char *p = bits == 384 ? P384_P : P256_P, *order = bits == 384 ? P384_N : P256_N;
	size_t n = bits / 8;
	int tries;

	for (tries = 0; tries < 20000; tries++) {
		gnutls_x509_privkey_t g = NULL, neg = NULL, use = NULL;
		gnutls_datum_t x = { NULL, 0 }, y = { NULL, 0 }, d = { NULL, 0 }, der = { NULL, 0 };
		unsigned char dv[48], yv[48], nd[48], ny[48];
		gnutls_ecc_curve_t c;
		iotx509_key *k = NULL;

		if (gnutls_x509_privkey_init(&g) < 0 ||
		    gnutls_x509_privkey_generate(g, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(curve), 0) < 0 ||
		    gnutls_x509_privkey_export_ecc_raw(g, &c, &x, &y, &d) < 0) {
			gnutls_x509_privkey_deinit(g);
			return NULL;
		}
		fixed(dv, &d, n);
		fixed(yv, &y, n);
		sub(nd, order, dv, n);
		sub(ny, p, yv, n);
		if (awkward(dv, n, high)) {
			use = g;
		} else if (awkward(nd, n, high)) {
			gnutls_datum_t kd = { nd, (unsigned int)n }, yd = { ny, (unsigned int)n };

			if (gnutls_x509_privkey_init(&neg) == 0 &&
			    gnutls_x509_privkey_import_ecc_raw(neg, curve, &x, &yd, &kd) == 0 &&
			    gnutls_x509_privkey_verify_params(neg) == 0)
				use = neg;
		}
		if (use != NULL && gnutls_x509_privkey_export2_pkcs8(use, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN,
								    &der) == 0 &&
		    kc_ec_private_octets(der.data, der.size) != (int)n)
			iotx509_key_import(&k, der.data, der.size, NULL);
		gnutls_free(x.data);
		gnutls_free(y.data);
		gnutls_free(d.data);
		gnutls_free(der.data);
		gnutls_x509_privkey_deinit(g);
		if (neg != NULL)
			gnutls_x509_privkey_deinit(neg);
		if (k != NULL)
			return k;
	}
	return NULL;
}
