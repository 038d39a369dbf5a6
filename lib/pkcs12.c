/*
 * PKCS#12 export (built with libtasn1) and import (through GnuTLS, after a
 * look at the file with libtasn1: see prescan()).
 *
 * Why not gnutls_pkcs12_*() for export: GnuTLS 3.7 fixes the iteration
 * count (600000) and offers no way to choose it, and the compat profile
 * needs a count old Windows versions handle in reasonable time. So the DER
 * structures of RFC 7292 are assembled here with libtasn1 (lib/pkcs12.asn),
 * while every cryptographic primitive (PBKDF2, HMAC, hashes, AES, 3DES,
 * random numbers) is GnuTLS's. The PKCS#12 key derivation of RFC 7292
 * appendix B, which GnuTLS does not export, is written out below on top of
 * gnutls_hash. Import uses GnuTLS's parser, which reads every common
 * variant, including OpenSSL's -legacy RC2 files.
 */
#include "cert-internal.h"
#include "certlist-internal.h"
#include "file-internal.h"
#include "key-internal.h"
#include "pkcs12-internal.h"

#include <stdlib.h>
#include <string.h>

#include <gnutls/pkcs12.h>
#include <libtasn1.h>

#define OID_DATA "1.2.840.113549.1.7.1"
#define OID_ENCRYPTED_DATA "1.2.840.113549.1.7.6"
#define OID_SHROUDED_KEY_BAG "1.2.840.113549.1.12.10.1.2"
#define OID_CERT_BAG "1.2.840.113549.1.12.10.1.3"
#define OID_X509_CERT "1.2.840.113549.1.9.22.1"
#define OID_FRIENDLY_NAME "1.2.840.113549.1.9.20"
#define OID_LOCAL_KEY_ID "1.2.840.113549.1.9.21"
#define OID_PBES2 "1.2.840.113549.1.5.13"
#define OID_PBKDF2 "1.2.840.113549.1.5.12"
#define OID_HMAC_SHA256 "1.2.840.113549.2.9"
#define OID_AES256_CBC "2.16.840.1.101.3.4.1.42"
#define OID_PBE_SHA1_3DES "1.2.840.113549.1.12.1.3"
#define OID_SHA1 "1.3.14.3.2.26"
#define OID_SHA256 "2.16.840.1.101.3.4.2.1"

/* The DER of an ASN.1 NULL (absent algorithm parameters). */
static const unsigned char DER_NULL[] = { 0x05, 0x00 };

/* RFC 7292 B.3 purpose IDs */
#define KDF_ID_KEY 1
#define KDF_ID_IV 2
#define KDF_ID_MAC 3

struct iotx509_pkcs12 {
	iotx509_key *key;
	iotx509_cert *leaf;
	iotx509_certlist *chain;
	char *friendly_name;
	unsigned int protection; /* ::iotx509_pkcs12_protection bits */
};

IOX_OPTS_TYPE(pkcs12_opts_type, "PKCS#12 options", IOTX509_PKCS12_OPTIONS_VERSION, sizeof(iotx509_pkcs12_options));
static const iotx509_pkcs12_options pkcs12_opts_defaults = IOTX509_PKCS12_OPTIONS_INIT;

iotx509_error_code iotx509_pkcs12_options_init(iotx509_pkcs12_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &pkcs12_opts_defaults, &pkcs12_opts_type);
}

iotx509_error_code iotx509_pkcs12_profile_from_name(iotx509_pkcs12_profile *out, const char *name)
{
	if (out == NULL || name == NULL)
		return iox_error(IOTX509_EINVAL, "PKCS#12 profile: no name given");
	if (strcmp(name, "modern") == 0)
		*out = IOTX509_PKCS12_MODERN;
	else if (strcmp(name, "compat") == 0)
		*out = IOTX509_PKCS12_COMPAT;
	else
		return iox_error(IOTX509_EINVAL, "unknown PKCS#12 profile '%s' (expected modern or compat)", name);
	return 0;
}

const char *iotx509_pkcs12_profile_name(iotx509_pkcs12_profile profile)
{
	switch (profile) {
	case IOTX509_PKCS12_MODERN:
		return "modern";
	case IOTX509_PKCS12_COMPAT:
		return "compat";
	}
	return "unknown";
}

/* ---- text ------------------------------------------------------------ */

/*
 * UTF-8 to big-endian UTF-16 (surrogate pairs above U+FFFF), as PKCS#12
 * passwords (with a terminating 00 00, RFC 7292 B.1) and friendlyName
 * BMPStrings need. Returns the byte count, or -1 for invalid UTF-8.
 */
static long utf8_to_utf16be(unsigned char *out, const char *in, int terminate)
{
	const unsigned char *s = (const unsigned char *)in;
	long n = 0;

	while (*s) {
		unsigned long cp;
		int extra, i;

		if (*s < 0x80) {
			cp = *s;
			extra = 0;
		} else if ((*s & 0xe0) == 0xc0) {
			cp = *s & 0x1f;
			extra = 1;
		} else if ((*s & 0xf0) == 0xe0) {
			cp = *s & 0x0f;
			extra = 2;
		} else if ((*s & 0xf8) == 0xf0) {
			cp = *s & 0x07;
			extra = 3;
		} else
			return -1;
		for (i = 1; i <= extra; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return -1;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		s += extra + 1;
		if (cp >= 0x10000) {
			unsigned long v = cp - 0x10000, hi = 0xd800 | (v >> 10), lo = 0xdc00 | (v & 0x3ff);

			if (out) {
				out[n] = (unsigned char)(hi >> 8);
				out[n + 1] = (unsigned char)hi;
				out[n + 2] = (unsigned char)(lo >> 8);
				out[n + 3] = (unsigned char)lo;
			}
			n += 4;
		} else {
			if (out) {
				out[n] = (unsigned char)(cp >> 8);
				out[n + 1] = (unsigned char)cp;
			}
			n += 2;
		}
	}
	if (terminate) {
		if (out)
			out[n] = out[n + 1] = 0;
		n += 2;
	}
	return n;
}

/* ---- crypto on GnuTLS primitives -------------------------------------- */

/*
 * RFC 7292 appendix B.2: derive @n bytes for purpose @id from the BMP
 * password @pw (with its 00 00 terminator) and @salt with @iter rounds of
 * @dig. v = 64 for SHA-1 and SHA-256, the only digests used here.
 */
static int pkcs12_kdf(unsigned char *out, size_t n, gnutls_digest_algorithm_t dig, unsigned char id,
		      const unsigned char *pw, size_t pwlen, const unsigned char *salt, size_t saltlen,
		      unsigned int iter)
{
	enum { V = 64 };
	size_t u = gnutls_hash_get_len(dig), slen, plen, ilen, i, j, k;
	unsigned char D[V], A[64], B[V], *I = NULL, *buf = NULL;
	int ret = 0;

	if (u == 0 || u > sizeof(A))
		return iox_error(IOTX509_ECRYPTO, "PKCS#12 key derivation: unsupported digest");
	slen = V * ((saltlen + V - 1) / V);
	plen = V * ((pwlen + V - 1) / V);
	ilen = slen + plen;
	I = malloc(ilen ? ilen : 1);
	buf = malloc(V + ilen);
	if (I == NULL || buf == NULL) {
		free(I);
		free(buf);
		return iox_error(IOTX509_ENOMEM, "out of memory");
	}
	memset(D, id, V);
	for (i = 0; i < slen; i++)
		I[i] = salt[i % saltlen];
	for (i = 0; i < plen; i++)
		I[slen + i] = pw[i % pwlen];

	for (k = 0; k < n; k += u) {
		unsigned int r;

		memcpy(buf, D, V);
		memcpy(buf + V, I, ilen);
		if ((ret = gnutls_hash_fast(dig, buf, V + ilen, A)) < 0)
			break;
		for (r = 1; r < iter && ret >= 0; r++)
			ret = gnutls_hash_fast(dig, A, u, A);
		if (ret < 0)
			break;
		memcpy(out + k, A, n - k < u ? n - k : u);
		if (k + u >= n)
			break;
		for (i = 0; i < V; i++)
			B[i] = A[i % u];
		/* I_j = (I_j + B + 1) mod 2^(8v), for each v-byte block of I. */
		for (j = 0; j < ilen; j += V) {
			unsigned int carry = 1;

			for (i = V; i > 0; i--) {
				carry += (unsigned int)I[j + i - 1] + B[i - 1];
				I[j + i - 1] = (unsigned char)carry;
				carry >>= 8;
			}
		}
	}
	gnutls_memset(A, 0, sizeof(A));
	gnutls_memset(B, 0, sizeof(B));
	gnutls_memset(I, 0, ilen);
	gnutls_memset(buf, 0, V + ilen);
	free(I);
	free(buf);
	if (ret < 0)
		return iox_error_gnutls(IOTX509_ECRYPTO, ret, "PKCS#12 key derivation failed");
	return 0;
}

/* The password in both forms PKCS#12 uses. */
typedef struct {
	const char *utf8; /* PBES2 (PBKDF2) takes the UTF-8 bytes */
	size_t utf8_len;
	unsigned char *bmp; /* the PKCS#12 KDF takes BMPString + 00 00 */
	size_t bmp_len;
} password_t;

static void password_wipe(password_t *pw)
{
	if (pw->bmp) {
		gnutls_memset(pw->bmp, 0, pw->bmp_len);
		free(pw->bmp);
	}
	pw->bmp = NULL;
}

/* ---- libtasn1 helpers -------------------------------------------------- */

typedef struct {
	asn1_node defs;
	int err; /* first error (negative iotx509 code) */
} p12w_t;

static int asn_fail(p12w_t *w, int asn_ret, const char *what)
{
	if (w->err == 0)
		w->err = iox_error(asn_ret == ASN1_MEM_ERROR || asn_ret == ASN1_MEM_ALLOC_ERROR ? IOTX509_ENOMEM
											: IOTX509_ECRYPTO,
				   "PKCS#12 encoding (%s): %s", what, asn1_strerror(asn_ret));
	return w->err;
}

static asn1_node new_node(p12w_t *w, const char *type)
{
	asn1_node node = NULL;
	char name[96];
	int ret;

	if (w->err)
		return NULL;
	snprintf(name, sizeof(name), "IOTX509-PKCS12.%s", type);
	if ((ret = asn1_create_element(w->defs, name, &node)) != ASN1_SUCCESS) {
		asn_fail(w, ret, type);
		return NULL;
	}
	return node;
}

static void put(p12w_t *w, asn1_node node, const char *field, const void *value, size_t len)
{
	int ret;

	if (w->err || node == NULL)
		return;
	if (len > INT32_MAX) {
		asn_fail(w, ASN1_VALUE_NOT_VALID, field);
		return;
	}
	if ((ret = asn1_write_value(node, field, value, (int)len)) != ASN1_SUCCESS)
		asn_fail(w, ret, field);
}

static void put_str(p12w_t *w, asn1_node node, const char *field, const char *value)
{
	put(w, node, field, value, 1);
}

static void put_uint(p12w_t *w, asn1_node node, const char *field, unsigned long value)
{
	char num[24];

	snprintf(num, sizeof(num), "%lu", value);
	put(w, node, field, num, 0);
}

/* DER-encode @node into a gnutls-allocated datum and delete the node. */
static void encode(p12w_t *w, asn1_node *node, gnutls_datum_t *out, const char *what)
{
	int ret;

	out->data = NULL;
	out->size = 0;
	if (!w->err && *node && (ret = iox_asn1_encode(*node, out)) != ASN1_SUCCESS)
		asn_fail(w, ret, what);
	if (*node)
		asn1_delete_structure2(node, ASN1_DELETE_FLAG_ZEROIZE);
}

/* A single value of type @type (OctetValue, BMPValue) as DER. */
static void encode_value(p12w_t *w, gnutls_datum_t *out, const char *type, const void *value, size_t len)
{
	asn1_node n = new_node(w, type);
	int ret;

	if (!w->err && n && (ret = asn1_write_value(n, "", value, (int)len)) != ASN1_SUCCESS)
		asn_fail(w, ret, type);
	encode(w, &n, out, type);
}

/* An encryption: the algorithm (OID and parameters DER) and the ciphertext. */
typedef struct {
	const char *oid;
	gnutls_datum_t params, data;
} sealed_t;

static void sealed_free(sealed_t *s)
{
	gnutls_free(s->params.data);
	gnutls_free(s->data.data);
	s->params.data = s->data.data = NULL;
}

/* Write @s's algorithm into the AlgorithmIdentifier at @field of @node. */
static void put_alg(p12w_t *w, asn1_node node, const char *field, const sealed_t *s)
{
	char name[128];

	snprintf(name, sizeof(name), "%s.algorithm", field);
	put_str(w, node, name, s->oid);
	snprintf(name, sizeof(name), "%s.parameters", field);
	put(w, node, name, s->params.data, s->params.size);
}

/* ---- the encryption schemes ------------------------------------------ */

static int random_bytes(unsigned char *out, size_t n)
{
	int ret = gnutls_rnd(GNUTLS_RND_RANDOM, out, n);

	return ret < 0 ? iox_error_gnutls(IOTX509_ECRYPTO, ret, "random number generator failed") : 0;
}

/* CBC with PKCS#7 padding; the result is gnutls-allocated. */
static int cbc_encrypt(gnutls_datum_t *out, gnutls_cipher_algorithm_t alg, const unsigned char *key, size_t keylen,
		       const unsigned char *iv, size_t ivlen, const gnutls_datum_t *plain)
{
	size_t block = (size_t)gnutls_cipher_get_block_size(alg), pad = block - plain->size % block;
	size_t n = plain->size + pad;
	gnutls_cipher_hd_t h;
	gnutls_datum_t k = { (unsigned char *)key, (unsigned int)keylen }, v = { (unsigned char *)iv,
									      (unsigned int)ivlen };
	unsigned char *buf = gnutls_malloc(n);
	int ret;

	if (buf == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	memcpy(buf, plain->data, plain->size);
	memset(buf + plain->size, (int)pad, pad);
	if ((ret = gnutls_cipher_init(&h, alg, &k, &v)) < 0) {
		gnutls_memset(buf, 0, n);
		gnutls_free(buf);
		return iox_error_gnutls(IOTX509_ECRYPTO, ret, "cannot set up %s", gnutls_cipher_get_name(alg));
	}
	ret = gnutls_cipher_encrypt(h, buf, n);
	gnutls_cipher_deinit(h);
	if (ret < 0) {
		gnutls_memset(buf, 0, n);
		gnutls_free(buf);
		return iox_error_gnutls(IOTX509_ECRYPTO, ret, "%s encryption failed", gnutls_cipher_get_name(alg));
	}
	out->data = buf;
	out->size = (unsigned int)n;
	return 0;
}

/* PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC (RFC 8018). */
static int seal_pbes2(p12w_t *w, sealed_t *out, const password_t *pw, unsigned int iter, const gnutls_datum_t *plain)
{
	unsigned char salt[16], iv[16], key[32];
	gnutls_datum_t pwd = { (unsigned char *)pw->utf8, (unsigned int)pw->utf8_len }, s = { salt, sizeof(salt) };
	gnutls_datum_t prf = { NULL, 0 }, ivd = { NULL, 0 };
	asn1_node n;
	int ret;

	if ((ret = random_bytes(salt, sizeof(salt))) < 0 || (ret = random_bytes(iv, sizeof(iv))) < 0)
		return ret;
	if ((ret = gnutls_pbkdf2(GNUTLS_MAC_SHA256, &pwd, &s, iter, key, sizeof(key))) < 0)
		return iox_error_gnutls(IOTX509_ECRYPTO, ret, "PBKDF2 failed");
	ret = cbc_encrypt(&out->data, GNUTLS_CIPHER_AES_256_CBC, key, sizeof(key), iv, sizeof(iv), plain);
	gnutls_memset(key, 0, sizeof(key));
	if (ret < 0)
		return ret;

	n = new_node(w, "PBKDF2-params");
	put(w, n, "salt", salt, sizeof(salt));
	put_uint(w, n, "iterationCount", iter);
	put(w, n, "keyLength", NULL, 0);
	put_str(w, n, "prf.algorithm", OID_HMAC_SHA256);
	put(w, n, "prf.parameters", DER_NULL, sizeof(DER_NULL));
	encode(w, &n, &prf, "PBKDF2-params");

	encode_value(w, &ivd, "OctetValue", iv, sizeof(iv));
	n = new_node(w, "PBES2-params");
	put_str(w, n, "keyDerivationFunc.algorithm", OID_PBKDF2);
	put(w, n, "keyDerivationFunc.parameters", prf.data, prf.size);
	put_str(w, n, "encryptionScheme.algorithm", OID_AES256_CBC);
	put(w, n, "encryptionScheme.parameters", ivd.data, ivd.size);
	encode(w, &n, &out->params, "PBES2-params");
	out->oid = OID_PBES2;

	gnutls_free(prf.data);
	gnutls_free(ivd.data);
	return w->err;
}

/* pbeWithSHAAnd3-KeyTripleDES-CBC (RFC 7292 appendix C). */
static int seal_pkcs12_3des(p12w_t *w, sealed_t *out, const password_t *pw, unsigned int iter,
			    const gnutls_datum_t *plain)
{
	unsigned char salt[8], iv[8], key[24];
	asn1_node n;
	int ret;

	if ((ret = random_bytes(salt, sizeof(salt))) < 0)
		return ret;
	if ((ret = pkcs12_kdf(key, sizeof(key), GNUTLS_DIG_SHA1, KDF_ID_KEY, pw->bmp, pw->bmp_len, salt, sizeof(salt),
			      iter)) < 0 ||
	    (ret = pkcs12_kdf(iv, sizeof(iv), GNUTLS_DIG_SHA1, KDF_ID_IV, pw->bmp, pw->bmp_len, salt, sizeof(salt),
			      iter)) < 0) {
		gnutls_memset(key, 0, sizeof(key));
		return ret;
	}
	ret = cbc_encrypt(&out->data, GNUTLS_CIPHER_3DES_CBC, key, sizeof(key), iv, sizeof(iv), plain);
	gnutls_memset(key, 0, sizeof(key));
	if (ret < 0)
		return ret;

	n = new_node(w, "PKCS12-PbeParams");
	put(w, n, "salt", salt, sizeof(salt));
	put_uint(w, n, "iterations", iter);
	encode(w, &n, &out->params, "PKCS12-PbeParams");
	out->oid = OID_PBE_SHA1_3DES;
	return w->err;
}

static int seal(p12w_t *w, sealed_t *out, iotx509_pkcs12_profile profile, const password_t *pw, unsigned int iter,
		const gnutls_datum_t *plain)
{
	int ret;

	out->oid = NULL;
	out->params.data = out->data.data = NULL;
	ret = profile == IOTX509_PKCS12_COMPAT ? seal_pkcs12_3des(w, out, pw, iter, plain)
					       : seal_pbes2(w, out, pw, iter, plain);
	if (ret < 0)
		sealed_free(out);
	return ret;
}

/* An EncryptedPrivateKeyInfo (RFC 5958) around @sealed. */
static void encode_epki(p12w_t *w, gnutls_datum_t *out, const sealed_t *sealed)
{
	asn1_node n = new_node(w, "EncryptedPrivateKeyInfo");

	put_alg(w, n, "encryptionAlgorithm", sealed);
	put(w, n, "encryptedData", sealed->data.data, sealed->data.size);
	encode(w, &n, out, "EncryptedPrivateKeyInfo");
}

int iox_pkcs8_encrypt(gnutls_datum_t *out, const gnutls_datum_t *plain, const char *password,
		      unsigned int iterations)
{
	p12w_t w = { NULL, 0 };
	password_t pw = { password, strlen(password), NULL, 0 };
	sealed_t sealed = { NULL, { NULL, 0 }, { NULL, 0 } };

	out->data = NULL;
	out->size = 0;
	if ((w.err = iox_asn1_defs(&w.defs)) == 0 &&
	    (w.err = seal(&w, &sealed, IOTX509_PKCS12_MODERN, &pw, iterations, plain)) == 0)
		encode_epki(&w, out, &sealed);
	sealed_free(&sealed);
	asn1_delete_structure(&w.defs);
	return w.err;
}

/* ---- bags ------------------------------------------------------------- */

typedef struct {
	const gnutls_datum_t *friendly; /* BMPValue DER, or NULL */
	const gnutls_datum_t *key_id;   /* OctetValue DER, or NULL */
} attrs_t;

/* Append a SafeBag to the SafeContents @sc. */
static void add_bag(p12w_t *w, asn1_node sc, const char *bag_oid, const gnutls_datum_t *value, const attrs_t *a)
{
	put_str(w, sc, "", "NEW");
	put_str(w, sc, "?LAST.bagId", bag_oid);
	put(w, sc, "?LAST.bagValue", value->data, value->size);
	if (a == NULL || (a->friendly == NULL && a->key_id == NULL)) {
		put(w, sc, "?LAST.bagAttributes", NULL, 0);
		return;
	}
	if (a->friendly) {
		put_str(w, sc, "?LAST.bagAttributes", "NEW");
		put_str(w, sc, "?LAST.bagAttributes.?LAST.attrId", OID_FRIENDLY_NAME);
		put_str(w, sc, "?LAST.bagAttributes.?LAST.attrValues", "NEW");
		put(w, sc, "?LAST.bagAttributes.?LAST.attrValues.?LAST", a->friendly->data, a->friendly->size);
	}
	if (a->key_id) {
		put_str(w, sc, "?LAST.bagAttributes", "NEW");
		put_str(w, sc, "?LAST.bagAttributes.?LAST.attrId", OID_LOCAL_KEY_ID);
		put_str(w, sc, "?LAST.bagAttributes.?LAST.attrValues", "NEW");
		put(w, sc, "?LAST.bagAttributes.?LAST.attrValues.?LAST", a->key_id->data, a->key_id->size);
	}
}

static void add_cert_bag(p12w_t *w, asn1_node sc, const iotx509_cert *cert, const attrs_t *a)
{
	gnutls_datum_t bag = { NULL, 0 };
	asn1_node n = new_node(w, "CertBag");

	put_str(w, n, "certId", OID_X509_CERT);
	put(w, n, "certValue", cert->der.data, cert->der.size);
	encode(w, &n, &bag, "CertBag");
	add_bag(w, sc, OID_CERT_BAG, &bag, a);
	gnutls_free(bag.data);
}

/* Append a ContentInfo to the AuthenticatedSafe @as. */
static void add_content(p12w_t *w, asn1_node as, const char *type_oid, const gnutls_datum_t *content)
{
	put_str(w, as, "", "NEW");
	put_str(w, as, "?LAST.contentType", type_oid);
	put(w, as, "?LAST.content", content->data, content->size);
}

/* ---- export ----------------------------------------------------------- */

static int check_password(password_t *pw, const char *password, unsigned int flags)
{
	long n;

	memset(pw, 0, sizeof(*pw));
	if (password == NULL)
		return iox_error(IOTX509_EINVAL, "PKCS#12: no password given");
	if (*password == '\0' && !(flags & IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD))
		return iox_error(IOTX509_EINVAL,
				 "PKCS#12: an empty password is refused (it would not protect the key); "
				 "pass IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD to allow it");
	n = utf8_to_utf16be(NULL, password, 1);
	if (n < 0)
		return iox_error(IOTX509_EINVAL, "PKCS#12: the password is not valid UTF-8");
	pw->utf8 = password;
	pw->utf8_len = strlen(password);
	pw->bmp = malloc((size_t)n);
	if (pw->bmp == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	pw->bmp_len = (size_t)utf8_to_utf16be(pw->bmp, password, 1);
	return 0;
}

static int pfx_build(iotx509_buf *out, const iotx509_key *key, const iotx509_cert *leaf,
		     const iotx509_certlist *chain, const password_t *pw, const iotx509_pkcs12_options *opts,
		     unsigned int iter)
{
	p12w_t w = { NULL, 0 };
	gnutls_datum_t pk8 = { NULL, 0 }, epki = { NULL, 0 }, safe_keys = { NULL, 0 }, safe_certs = { NULL, 0 };
	gnutls_datum_t keys_ci = { NULL, 0 }, certs_ci = { NULL, 0 }, auth = { NULL, 0 }, auth_os = { NULL, 0 };
	gnutls_datum_t friendly = { NULL, 0 }, key_id = { NULL, 0 }, pfx = { NULL, 0 };
	sealed_t key_sealed = { NULL, { NULL, 0 }, { NULL, 0 } }, certs_sealed = { NULL, { NULL, 0 }, { NULL, 0 } };
	const char *name = opts->friendly_name ? opts->friendly_name : leaf->subject_cn;
	gnutls_digest_algorithm_t mac_dig = opts->profile == IOTX509_PKCS12_COMPAT ? GNUTLS_DIG_SHA1 : GNUTLS_DIG_SHA256;
	unsigned char id[20], mac_salt[8], mac_key[32], mac[32];
	size_t mac_len = gnutls_hash_get_len(mac_dig), i;
	attrs_t attrs = { NULL, NULL };
	asn1_node n;
	int ret;

	if ((ret = iox_asn1_defs(&w.defs)) < 0)
		return ret;

	/* localKeyID: the SHA-1 of the leaf, as OpenSSL and Windows write it. */
	if ((ret = gnutls_hash_fast(GNUTLS_DIG_SHA1, leaf->der.data, leaf->der.size, id)) < 0) {
		w.err = iox_error_gnutls(IOTX509_ECRYPTO, ret, "SHA-1 failed");
		goto out;
	}
	encode_value(&w, &key_id, "OctetValue", id, sizeof(id));
	attrs.key_id = &key_id;
	if (*name != '\0') {
		long blen = utf8_to_utf16be(NULL, name, 0);
		unsigned char *bmp;

		if (blen < 0) {
			w.err = iox_error(IOTX509_EINVAL, "PKCS#12: the friendly name is not valid UTF-8");
			goto out;
		}
		if ((bmp = malloc((size_t)blen + 1)) == NULL) {
			w.err = iox_error(IOTX509_ENOMEM, "out of memory");
			goto out;
		}
		utf8_to_utf16be(bmp, name, 0);
		encode_value(&w, &friendly, "BMPValue", bmp, (size_t)blen);
		free(bmp);
		attrs.friendly = &friendly;
	}
	if (w.err)
		goto out;

	/* The key: PKCS#8, encrypted into a pkcs8ShroudedKeyBag. */
	if ((w.err = iox_key_pkcs8(&pk8, key)) < 0 || (w.err = seal(&w, &key_sealed, opts->profile, pw, iter, &pk8)) < 0)
		goto out;
	encode_epki(&w, &epki, &key_sealed);

	n = new_node(&w, "SafeContents");
	add_bag(&w, n, OID_SHROUDED_KEY_BAG, &epki, &attrs);
	encode(&w, &n, &safe_keys, "SafeContents (key)");
	encode_value(&w, &keys_ci, "OctetValue", safe_keys.data, safe_keys.size);

	/* The certificates: leaf (with the attributes), then the chain,
	 * together in one encrypted container. */
	n = new_node(&w, "SafeContents");
	add_cert_bag(&w, n, leaf, &attrs);
	if (chain != NULL)
		for (i = 0; i < chain->count; i++) {
			const iotx509_cert *c = chain->certs[i];
			long dup = iox_certlist_find(chain, c);

			if ((c->der.size == leaf->der.size && memcmp(c->der.data, leaf->der.data, c->der.size) == 0) ||
			    (dup >= 0 && (size_t)dup < i))
				continue;
			add_cert_bag(&w, n, c, NULL);
		}
	encode(&w, &n, &safe_certs, "SafeContents (certificates)");
	if (w.err || (w.err = seal(&w, &certs_sealed, opts->profile, pw, iter, &safe_certs)) < 0)
		goto out;
	n = new_node(&w, "EncryptedData");
	put(&w, n, "unprotectedAttrs", NULL, 0);
	put_uint(&w, n, "version", 0);
	put_str(&w, n, "encryptedContentInfo.contentType", OID_DATA);
	put_alg(&w, n, "encryptedContentInfo.contentEncryptionAlgorithm", &certs_sealed);
	put(&w, n, "encryptedContentInfo.encryptedContent", certs_sealed.data.data, certs_sealed.data.size);
	encode(&w, &n, &certs_ci, "EncryptedData");

	/* AuthenticatedSafe: certificates first, then the key, as OpenSSL does. */
	n = new_node(&w, "AuthenticatedSafe");
	add_content(&w, n, OID_ENCRYPTED_DATA, &certs_ci);
	add_content(&w, n, OID_DATA, &keys_ci);
	encode(&w, &n, &auth, "AuthenticatedSafe");
	encode_value(&w, &auth_os, "OctetValue", auth.data, auth.size);
	if (w.err)
		goto out;

	/* MAC over the AuthenticatedSafe with a key from the PKCS#12 KDF. */
	if ((w.err = random_bytes(mac_salt, sizeof(mac_salt))) < 0 ||
	    (w.err = pkcs12_kdf(mac_key, mac_len, mac_dig, KDF_ID_MAC, pw->bmp, pw->bmp_len, mac_salt,
				sizeof(mac_salt), iter)) < 0)
		goto out;
	ret = gnutls_hmac_fast((gnutls_mac_algorithm_t)mac_dig, mac_key, mac_len, auth.data, auth.size, mac);
	gnutls_memset(mac_key, 0, sizeof(mac_key));
	if (ret < 0) {
		w.err = iox_error_gnutls(IOTX509_ECRYPTO, ret, "PKCS#12 MAC failed");
		goto out;
	}
	n = new_node(&w, "PFX");
	put_uint(&w, n, "version", 3);
	put_str(&w, n, "authSafe.contentType", OID_DATA);
	put(&w, n, "authSafe.content", auth_os.data, auth_os.size);
	put_str(&w, n, "macData.mac.digestAlgorithm.algorithm", mac_dig == GNUTLS_DIG_SHA1 ? OID_SHA1 : OID_SHA256);
	put(&w, n, "macData.mac.digestAlgorithm.parameters", DER_NULL, sizeof(DER_NULL));
	put(&w, n, "macData.mac.digest", mac, mac_len);
	put(&w, n, "macData.macSalt", mac_salt, sizeof(mac_salt));
	put_uint(&w, n, "macData.iterations", iter);
	encode(&w, &n, &pfx, "PFX");
	if (!w.err)
		w.err = iox_buf_set(out, pfx.data, pfx.size);

out:
	/* Everything that held the plaintext key is wiped. */
	iox_datum_wipe(&pk8);
	iox_datum_wipe(&pfx);
	gnutls_free(epki.data);
	gnutls_free(safe_keys.data);
	gnutls_free(safe_certs.data);
	gnutls_free(keys_ci.data);
	gnutls_free(certs_ci.data);
	gnutls_free(auth.data);
	gnutls_free(auth_os.data);
	gnutls_free(friendly.data);
	gnutls_free(key_id.data);
	sealed_free(&key_sealed);
	sealed_free(&certs_sealed);
	asn1_delete_structure(&w.defs);
	return w.err;
}

int iox_pkcs12_options_read(iotx509_pkcs12_options *out, const iotx509_pkcs12_options *in)
{
	const iotx509_pkcs12_options *opts = out;
	unsigned int iter;

	if (iox_opts_read(out, in, &pkcs12_opts_defaults, &pkcs12_opts_type) < 0)
		return IOTX509_EINVAL;
	iter = opts->iterations ? opts->iterations : IOTX509_PKCS12_DEFAULT_ITERATIONS;
	if (opts->profile != IOTX509_PKCS12_MODERN && opts->profile != IOTX509_PKCS12_COMPAT)
		return iox_error(IOTX509_EINVAL, "PKCS#12 export: unknown profile %d", (int)opts->profile);
	if (opts->flags & ~(unsigned int)IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD)
		return iox_error(IOTX509_EINVAL, "PKCS#12 export: unknown flags 0x%x", opts->flags);
	if (iter < IOTX509_PKCS12_DEFAULT_ITERATIONS || iter > IOTX509_PKCS12_MAX_ITERATIONS)
		return iox_error(IOTX509_EINVAL, "PKCS#12 export: %u iterations is out of range (%u to %u)", iter,
				 IOTX509_PKCS12_DEFAULT_ITERATIONS, IOTX509_PKCS12_MAX_ITERATIONS);
	return 0;
}

iotx509_error_code iotx509_pkcs12_export(iotx509_buf *out, const iotx509_cert *leaf, const iotx509_key *key,
			  const iotx509_certlist *chain, const char *password, const iotx509_pkcs12_options *opts)
{
	iotx509_pkcs12_options copy;
	password_t pw;
	unsigned int iter;
	int ret;

	if (out == NULL || key == NULL || leaf == NULL)
		return iox_error(IOTX509_EINVAL, "PKCS#12 export: NULL argument");
	out->data = NULL;
	out->size = 0;
	if ((ret = iox_pkcs12_options_read(&copy, opts)) < 0)
		return ret;
	opts = &copy;
	iter = opts->iterations ? opts->iterations : IOTX509_PKCS12_DEFAULT_ITERATIONS;
	if (key->x509 == NULL)
		return iox_error(IOTX509_EUNSUPPORTED, "PKCS#12 export: the private key is not exportable");
	if ((ret = iotx509_cert_check_key(leaf, key)) < 0)
		return ret;
	if ((ret = check_password(&pw, password, opts->flags)) < 0)
		return ret;
	ret = pfx_build(out, key, leaf, chain, &pw, opts, iter);
	password_wipe(&pw);
	return ret;
}

iotx509_error_code iotx509_pkcs12_save(const iotx509_cert *leaf, const iotx509_key *key, const iotx509_certlist *chain,
			const char *path, const char *password, const iotx509_pkcs12_options *opts,
			const iotx509_write_options *write_opts)
{
	iotx509_buf der = IOTX509_BUF_INIT;
	unsigned int write_flags;
	int ret;

	if (path == NULL)
		return iox_error(IOTX509_EINVAL, "PKCS#12 save: no path");
	if (iox_write_flags(&write_flags, write_opts) < 0)
		return IOTX509_EINVAL;
	if ((ret = iotx509_pkcs12_export(&der, leaf, key, chain, password, opts)) < 0)
		return ret;
	ret = iox_file_write(path, der.data, der.size, write_flags | IOTX509_WRITE_PRIVATE);
	iotx509_buf_dispose(&der);
	return ret;
}

/* ---- import ----------------------------------------------------------- */

typedef struct {
	iotx509_cert *cert;
	gnutls_datum_t key_id;
	char *friendly;
} imported_cert;

iotx509_error_code iotx509_pkcs12_dup(iotx509_pkcs12 **out, const iotx509_pkcs12 *p12)
{
	iotx509_pkcs12 *copy;
	int err;

	if (out == NULL || p12 == NULL)
		return iox_error(IOTX509_EINVAL, "PKCS#12 dup: NULL argument");
	*out = NULL;
	if ((copy = calloc(1, sizeof(*copy))) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	if ((err = iotx509_certlist_dup(&copy->chain, p12->chain)) < 0) {
		free(copy);
		return err;
	}
	if (p12->friendly_name != NULL && (copy->friendly_name = iox_strdup(p12->friendly_name)) == NULL) {
		iotx509_certlist_free(copy->chain);
		free(copy);
		return IOTX509_ENOMEM;
	}
	copy->key = iox_key_ref(p12->key);
	copy->leaf = iox_cert_ref(p12->leaf);
	copy->protection = p12->protection;
	*out = copy;
	return 0;
}

void iotx509_pkcs12_free(iotx509_pkcs12 *p12)
{
	if (p12 == NULL)
		return;
	iotx509_key_free(p12->key);
	iotx509_cert_free(p12->leaf);
	iotx509_certlist_free(p12->chain);
	free(p12->friendly_name);
	free(p12);
}

const iotx509_key *iotx509_pkcs12_get_key(const iotx509_pkcs12 *p12)
{
	return p12 ? p12->key : NULL;
}

const iotx509_cert *iotx509_pkcs12_get_leaf(const iotx509_pkcs12 *p12)
{
	return p12 ? p12->leaf : NULL;
}

const iotx509_certlist *iotx509_pkcs12_get_chain(const iotx509_pkcs12 *p12)
{
	return p12 ? p12->chain : NULL;
}

const char *iotx509_pkcs12_get_friendly_name(const iotx509_pkcs12 *p12)
{
	return p12 ? p12->friendly_name : NULL;
}

unsigned int iotx509_pkcs12_get_protection(const iotx509_pkcs12 *p12)
{
	return p12 ? p12->protection : 0;
}

typedef struct {
	iotx509_key *key;
	gnutls_datum_t key_id;
	char *key_friendly;
	int nkeys, key_encrypted;
	imported_cert *certs;
	size_t ncerts, cap, plain_certs;
	/* What prescan() found. */
	int has_mac, has_contents;
	unsigned int mac_iterations;
	unsigned int content_iterations[IOTX509_PKCS12_MAX_CONTENTS]; /* 0: not encrypted */
	unsigned long long spent; /* iterations of the key derivations run or about to run */
	/* The password as the file encodes it: @password, or NULL for an
	 * empty one written as no password at all. */
	const char *pass;
} import_t;

static void import_clear(import_t *im)
{
	size_t i;

	iotx509_key_free(im->key);
	gnutls_free(im->key_id.data);
	gnutls_free(im->key_friendly);
	for (i = 0; i < im->ncerts; i++) {
		iotx509_cert_free(im->certs[i].cert);
		gnutls_free(im->certs[i].key_id.data);
		gnutls_free(im->certs[i].friendly);
	}
	free(im->certs);
}

/* Account for a key derivation of @iterations before it runs. */
static int spend(import_t *im, unsigned int iterations)
{
	im->spent += iterations;
	if (im->spent > IOTX509_PKCS12_MAX_TOTAL_ITERATIONS)
		return iox_error(IOTX509_ELIMIT,
				 "the PKCS#12 file asks for %llu iterations of key derivation in all, more than the limit "
				 "of %u (IOTX509_PKCS12_MAX_TOTAL_ITERATIONS)",
				 im->spent, IOTX509_PKCS12_MAX_TOTAL_ITERATIONS);
	return 0;
}

/* The MAC digests GnuTLS's PKCS#12 key derivation implements. */
static int mac_digest_supported(gnutls_digest_algorithm_t dig)
{
	switch (dig) {
	case GNUTLS_DIG_SHA1:
	case GNUTLS_DIG_SHA224:
	case GNUTLS_DIG_SHA256:
	case GNUTLS_DIG_SHA384:
	case GNUTLS_DIG_SHA512:
	case GNUTLS_DIG_GOSTR_94:
	case GNUTLS_DIG_STREEBOG_256:
	case GNUTLS_DIG_STREEBOG_512:
		return 1;
	default:
		return 0;
	}
}

/* The OCTET STRING (DER, or BER in pieces as some writers use) at @field,
 * malloc'd into *out (free it with free()); the libtasn1 result. */
static int read_octets(asn1_node node, const char *field, unsigned char **out, unsigned int *len)
{
	gnutls_datum_t any = { NULL, 0 };
	unsigned int used;
	int ret;

	*out = NULL;
	*len = 0;
	if ((ret = iox_asn1_read(node, field, &any)) != ASN1_SUCCESS)
		return ret;
	ret = asn1_decode_simple_ber(ASN1_ETYPE_OCTET_STRING, any.data, any.size, out, len, &used);
	gnutls_free(any.data);
	return ret;
}

/* The plain SafeContents @der of content #@idx: its number of bags, and the
 * key derivation of each pkcs8ShroudedKeyBag. */
static int prescan_safe_contents(import_t *im, asn1_node defs, const unsigned char *der, unsigned int size, int idx)
{
	asn1_node sc = NULL, epki = NULL;
	gnutls_datum_t value = { NULL, 0 };
	char field[64], oid[128], what[64];
	int n = 0, i, len, ret = 0;
	unsigned int iterations;

	if (iox_asn1_decode(defs, "SafeContents", der, size, &sc) != ASN1_SUCCESS)
		return 0; /* GnuTLS says what is wrong; it derives nothing here */
	if (asn1_number_of_elements(sc, "", &n) != ASN1_SUCCESS)
		n = 0;
	/* GnuTLS reads the first 32 bags of a SafeContents and drops the rest. */
	if (n > (int)IOTX509_PKCS12_MAX_BAGS) {
		ret = iox_error(IOTX509_ELIMIT,
				"PKCS#12 content #%d holds %d bags, more than the %u that are read (IOTX509_PKCS12_MAX_BAGS)",
				idx, n, IOTX509_PKCS12_MAX_BAGS);
		n = 0;
	}
	for (i = 1; i <= n && ret == 0; i++) {
		len = sizeof(oid);
		snprintf(field, sizeof(field), "?%d.bagId", i);
		if (asn1_read_value(sc, field, oid, &len) != ASN1_SUCCESS || strcmp(oid, OID_SHROUDED_KEY_BAG) != 0)
			continue;
		snprintf(field, sizeof(field), "?%d.bagValue", i);
		snprintf(what, sizeof(what), "PKCS#12 key bag (content #%d)", idx);
		if (iox_asn1_read(sc, field, &value) != ASN1_SUCCESS ||
		    iox_asn1_decode(defs, "EncryptedPrivateKeyInfo", value.data, value.size, &epki) != ASN1_SUCCESS)
			ret = iox_error(IOTX509_EPARSE, "%s: malformed EncryptedPrivateKeyInfo", what);
		else if ((ret = iox_pbe_check(&iterations, defs, epki, "encryptionAlgorithm", what,
					      IOTX509_PKCS12_MAX_ITERATIONS, "IOTX509_PKCS12_MAX_ITERATIONS")) == 0)
			ret = spend(im, iterations);
		gnutls_free(value.data);
		value.data = NULL;
		asn1_delete_structure(&epki);
	}
	asn1_delete_structure(&sc);
	return ret;
}

/* The key derivation of the EncryptedData @der of content #@number: 0
 * (with *iterations) or an error; 1 when @der is no EncryptedData (GnuTLS
 * cannot decrypt it either). */
static int check_encrypted_content(asn1_node defs, const gnutls_datum_t *der, int number, unsigned int *iterations)
{
	asn1_node ed = NULL;
	char what[64];
	int ret;

	*iterations = 0;
	if (iox_asn1_decode(defs, "EncryptedData", der->data, der->size, &ed) != ASN1_SUCCESS)
		return 1;
	snprintf(what, sizeof(what), "PKCS#12 content #%d", number);
	ret = iox_pbe_check(iterations, defs, ed, "encryptedContentInfo.contentEncryptionAlgorithm", what,
			    IOTX509_PKCS12_MAX_ITERATIONS, "IOTX509_PKCS12_MAX_ITERATIONS");
	asn1_delete_structure(&ed);
	return ret;
}

/*
 * Before GnuTLS sees the file: every key derivation it would run (the MAC,
 * each encrypted content, each shrouded key bag in the clear) must use an
 * iteration count within IOTX509_PKCS12_MAX_ITERATIONS, all of them
 * together within IOTX509_PKCS12_MAX_TOTAL_ITERATIONS; the MAC digest must
 * be one GnuTLS implements; the file has at most IOTX509_PKCS12_MAX_CONTENTS
 * contents (GnuTLS decodes them all again for each one it reads). What does
 * not decode here is left to GnuTLS to report: it derives nothing from it.
 */
static int prescan(import_t *im, const unsigned char *data, size_t size)
{
	asn1_node defs = NULL, pfx = NULL, auth = NULL;
	unsigned char *octets = NULL;
	unsigned int octets_len;
	char field[64], oid[128];
	int len = sizeof(oid), n = 0, i, ret;

	if ((ret = iox_asn1_defs(&defs)) < 0)
		return ret;
	/* libtasn1 takes an empty SEQUENCE for one with every field missing. */
	if (iox_asn1_decode(defs, "PFX", data, size, &pfx) != ASN1_SUCCESS ||
	    asn1_read_value(pfx, "authSafe.contentType", oid, &len) != ASN1_SUCCESS) {
		ret = iox_error(IOTX509_EPARSE, "not a valid PKCS#12 file (the DER is not a PFX structure)");
		goto out;
	}
	len = sizeof(oid);
	if (asn1_read_value(pfx, "macData.mac.digestAlgorithm.algorithm", oid, &len) == ASN1_SUCCESS) {
		gnutls_digest_algorithm_t dig = gnutls_oid_to_digest(oid);

		im->has_mac = 1;
		if (!mac_digest_supported(dig)) {
			ret = iox_error(IOTX509_EUNSUPPORTED, "unsupported PKCS#12 MAC digest %s (SHA-1 and SHA-2 are supported)",
					dig != GNUTLS_DIG_UNKNOWN ? gnutls_digest_get_name(dig) : oid);
			goto out;
		}
		if ((ret = iox_read_iterations(&im->mac_iterations, pfx, "macData.iterations", "PKCS#12 MAC",
					       IOTX509_PKCS12_MAX_ITERATIONS, "IOTX509_PKCS12_MAX_ITERATIONS")) < 0 ||
		    (ret = spend(im, im->mac_iterations)) < 0)
			goto out;
	}
	len = sizeof(oid);
	ret = 0;
	if (asn1_read_value(pfx, "authSafe.contentType", oid, &len) != ASN1_SUCCESS || strcmp(oid, OID_DATA) != 0 ||
	    read_octets(pfx, "authSafe.content", &octets, &octets_len) != ASN1_SUCCESS ||
	    iox_asn1_decode(defs, "AuthenticatedSafe", octets, octets_len, &auth) != ASN1_SUCCESS ||
	    asn1_number_of_elements(auth, "", &n) != ASN1_SUCCESS)
		goto out;
	im->has_contents = n > 0;
	if (n > (int)IOTX509_PKCS12_MAX_CONTENTS) {
		ret = iox_error(IOTX509_ELIMIT, "the PKCS#12 file holds %d contents, more than the limit of %u "
						      "(IOTX509_PKCS12_MAX_CONTENTS)",
				n, IOTX509_PKCS12_MAX_CONTENTS);
		goto out;
	}
	for (i = 1; i <= n && ret == 0; i++) {
		gnutls_datum_t content = { NULL, 0 };

		free(octets);
		octets = NULL;
		len = sizeof(oid);
		snprintf(field, sizeof(field), "?%d.contentType", i);
		if (asn1_read_value(auth, field, oid, &len) != ASN1_SUCCESS)
			continue;
		snprintf(field, sizeof(field), "?%d.content", i);
		if (strcmp(oid, OID_DATA) == 0) {
			if (read_octets(auth, field, &octets, &octets_len) == ASN1_SUCCESS)
				ret = prescan_safe_contents(im, defs, octets, octets_len, i);
			continue;
		}
		/* GnuTLS decrypts every other type as EncryptedData. */
		if (iox_asn1_read(auth, field, &content) == ASN1_SUCCESS &&
		    (ret = check_encrypted_content(defs, &content, i, &im->content_iterations[i - 1])) == 0)
			ret = spend(im, im->content_iterations[i - 1]);
		if (ret > 0)
			ret = 0;
		gnutls_free(content.data);
	}
out:
	free(octets);
	asn1_delete_structure(&auth);
	asn1_delete_structure(&pfx);
	asn1_delete_structure(&defs);
	return ret;
}

/* localKeyID and friendlyName of element @i (both optional). */
static void bag_attrs(gnutls_pkcs12_bag_t bag, unsigned int i, gnutls_datum_t *id, char **friendly)
{
	gnutls_datum_t tmp = { NULL, 0 };
	char *name = NULL;

	id->data = NULL;
	id->size = 0;
	*friendly = NULL;
	if (gnutls_pkcs12_bag_get_key_id(bag, i, &tmp) >= 0 && tmp.size > 0) {
		id->data = gnutls_malloc(tmp.size);
		if (id->data) {
			memcpy(id->data, tmp.data, tmp.size);
			id->size = tmp.size;
		}
	}
	if (gnutls_pkcs12_bag_get_friendly_name(bag, i, &name) >= 0 && name != NULL)
		*friendly = gnutls_strdup(name);
}

/* An empty password, in a file without a MAC to tell which of its two
 * forms the file uses: the other one is tried after a failure. */
static int may_retry_without_password(const import_t *im)
{
	return im->pass != NULL && *im->pass == '\0' && !im->has_mac;
}

/* An encrypted key bag: with the password as the file has it, or, without
 * a MAC to tell, an empty password in either form. @counted: its key
 * derivation was accounted for by prescan(). */
static int import_shrouded_key(import_t *im, const gnutls_datum_t *data, int counted)
{
	unsigned int iterations = 0;
	int ret;

	if ((ret = iox_pkcs8_encrypted_check(&iterations, data)) < 0 || (!counted && (ret = spend(im, iterations)) < 0))
		return ret;
	if (im->pass == NULL)
		return iox_key_import_null_password(&im->key, data->data, data->size);
	ret = iotx509_key_import(&im->key, data->data, data->size, im->pass);
	/* Decrypted with the wrong key, it may also fail to parse. */
	if ((ret == IOTX509_EPASSWORD || ret == IOTX509_EPARSE) && may_retry_without_password(im)) {
		if ((ret = spend(im, iterations)) < 0)
			return ret;
		ret = iox_key_import_null_password(&im->key, data->data, data->size);
	}
	return ret;
}

/* The bags of one content; @encrypted: the content was. */
static int import_bag(import_t *im, gnutls_pkcs12_bag_t bag, int encrypted)
{
	int count = gnutls_pkcs12_bag_get_count(bag), i, ret;

	if (count < 0)
		return iox_error_gnutls(IOTX509_EPARSE, count, "malformed PKCS#12 bag");
	for (i = 0; i < count; i++) {
		int type = gnutls_pkcs12_bag_get_type(bag, (unsigned int)i);
		gnutls_datum_t data = { NULL, 0 };

		if (type != GNUTLS_BAG_PKCS8_ENCRYPTED_KEY && type != GNUTLS_BAG_PKCS8_KEY &&
		    type != GNUTLS_BAG_CERTIFICATE)
			continue; /* CRLs, secrets: not ours to interpret */
		if ((ret = gnutls_pkcs12_bag_get_data(bag, (unsigned int)i, &data)) < 0)
			return iox_error_gnutls(IOTX509_EPARSE, ret, "malformed PKCS#12 bag");
		if (type == GNUTLS_BAG_CERTIFICATE) {
			imported_cert ic;

			if (IOX_ARRAY_GROW(im->certs, im->cap, im->ncerts, 8) < 0)
				return IOTX509_ENOMEM;
			if ((ret = iox_cert_from_der(&ic.cert, data.data, data.size)) < 0) {
				/* Decrypted with a wrong password that nothing (no MAC) caught. */
				if (ret == IOTX509_EPARSE && encrypted && !im->has_mac)
					return iox_error(IOTX509_EPASSWORD,
							 "wrong password for the PKCS#12 file (the certificates do not decrypt "
							 "to certificates; the file has no MAC, so a damaged file looks the same)");
				iox_error_prefix("PKCS#12 certificate bag");
				return ret;
			}
			bag_attrs(bag, (unsigned int)i, &ic.key_id, &ic.friendly);
			im->certs[im->ncerts++] = ic;
			if (!encrypted)
				im->plain_certs++;
			continue;
		}
		if (++im->nkeys > 1)
			return iox_error(IOTX509_EUNSUPPORTED,
					 "the PKCS#12 file holds several private keys; only one identity per file is supported");
		if (type == GNUTLS_BAG_PKCS8_ENCRYPTED_KEY) {
			ret = import_shrouded_key(im, &data, !encrypted);
		} else {
			ret = iotx509_key_import(&im->key, data.data, data.size, NULL);
			/* A plain key bag is the private key in clear, inside the
			 * bag (data points there); the key has its own copy now. */
			gnutls_memset(data.data, 0, data.size);
		}
		if (ret < 0) {
			if (ret == IOTX509_EPASSWORD)
				return iox_error(IOTX509_EPASSWORD,
						 "wrong password for the PKCS#12 file (the private key does not decrypt)");
			iox_error_prefix("PKCS#12 key bag");
			return ret;
		}
		im->key_encrypted = encrypted || type == GNUTLS_BAG_PKCS8_ENCRYPTED_KEY;
		bag_attrs(bag, (unsigned int)i, &im->key_id, &im->key_friendly);
	}
	return 0;
}

/* Verify the MAC with the password; an empty one may be written as no
 * password at all (Java, BouncyCastle): that is tried too, as OpenSSL
 * does, and im->pass says which one matched. */
static int verify_mac(import_t *im, gnutls_pkcs12_t p12, const char *password)
{
	int ret = gnutls_pkcs12_verify_mac(p12, password);

	im->pass = password;
	if (ret == GNUTLS_E_MAC_VERIFY_FAILED && *password == '\0') {
		if ((ret = spend(im, im->mac_iterations)) < 0)
			return ret;
		if ((ret = gnutls_pkcs12_verify_mac(p12, NULL)) == 0)
			im->pass = NULL;
	}
	if (ret == GNUTLS_E_MAC_VERIFY_FAILED)
		return iox_error(IOTX509_EPASSWORD, "wrong password for the PKCS#12 file (the MAC does not verify)");
	if (ret < 0)
		return iox_error_gnutls(iox_code_from_gnutls(ret) == IOTX509_EUNSUPPORTED ? IOTX509_EUNSUPPORTED
											: IOTX509_EPARSE,
					ret, "cannot check the PKCS#12 MAC");
	return 0;
}

/* Decrypt content @idx (0-based) into *bag. A wrong key can pass the
 * padding check and fail later, so any failure leads to the retry. */
static int decrypt_content(import_t *im, gnutls_pkcs12_t p12, gnutls_pkcs12_bag_t *bag, int idx)
{
	int ret;

	/* Checked by prescan() unless it could not read the content: then here. */
	if (im->content_iterations[idx] == 0) {
		gnutls_datum_t der = { NULL, 0 };
		asn1_node defs = NULL;

		if ((ret = gnutls_pkcs12_bag_get_data(*bag, 0, &der)) < 0)
			return iox_error_gnutls(IOTX509_EPARSE, ret, "malformed PKCS#12 content #%d", idx + 1);
		if ((ret = iox_asn1_defs(&defs)) < 0)
			return ret;
		ret = check_encrypted_content(defs, &der, idx + 1, &im->content_iterations[idx]);
		asn1_delete_structure(&defs);
		if (ret < 0 || (ret = spend(im, im->content_iterations[idx])) < 0)
			return ret;
	}
	ret = gnutls_pkcs12_bag_decrypt(*bag, im->pass);

	if (ret < 0 && ret != GNUTLS_E_MEMORY_ERROR && may_retry_without_password(im)) {
		gnutls_pkcs12_bag_t again;
		int err;

		if ((err = spend(im, im->content_iterations[idx])) < 0)
			return err;
		/* A failed decryption may have emptied the bag: read it again. */
		if (gnutls_pkcs12_bag_init(&again) == 0) {
			if (gnutls_pkcs12_get_bag(p12, idx, again) == 0 && gnutls_pkcs12_bag_decrypt(again, NULL) == 0) {
				gnutls_pkcs12_bag_deinit(*bag);
				*bag = again;
				im->pass = NULL;
				ret = 0;
			} else {
				gnutls_pkcs12_bag_deinit(again);
			}
		}
	}
	/* Without a MAC, a wrong password shows only here: mostly as a bad
	 * CBC padding, but about 1 in 250 times the padding looks right and
	 * the garbage fails to parse instead. */
	if (ret == GNUTLS_E_DECRYPTION_FAILED ||
	    (ret < 0 && !im->has_mac && ret != GNUTLS_E_MEMORY_ERROR && iox_code_from_gnutls(ret) != IOTX509_EUNSUPPORTED))
		return iox_error(IOTX509_EPASSWORD, "wrong password for the PKCS#12 file (the certificates do not decrypt%s)",
				 im->has_mac ? "" : "; the file has no MAC, so a damaged file looks the same");
	if (ret < 0)
		return iox_error_gnutls(iox_code_from_gnutls(ret) == IOTX509_EUNSUPPORTED ? IOTX509_EUNSUPPORTED
											: IOTX509_EPARSE,
					ret, "cannot decrypt PKCS#12 content #%d", idx + 1);
	return 0;
}

static int import_p12(iotx509_pkcs12 *res, const unsigned char *data, size_t size, const char *password,
		      unsigned int flags)
{
	gnutls_pkcs12_t p12 = NULL;
	gnutls_datum_t in = { (unsigned char *)data, (unsigned int)size };
	import_t im;
	iotx509_certlist *pool = NULL, *chain = NULL;
	iotx509_chain_options co = IOTX509_CHAIN_OPTIONS_INIT;
	iox_error_saved saved;
	size_t i, leaf = (size_t)-1;
	int ret, idx;

	memset(&im, 0, sizeof(im));
	if ((ret = prescan(&im, data, size)) < 0)
		return ret;
	if ((ret = gnutls_pkcs12_init(&p12)) < 0)
		return iox_error_gnutls(IOTX509_ENOMEM, ret, "out of memory");
	if ((ret = gnutls_pkcs12_import(p12, &in, GNUTLS_X509_FMT_DER, 0)) < 0) {
		gnutls_pkcs12_deinit(p12);
		return iox_error_gnutls(ret == GNUTLS_E_MEMORY_ERROR ? IOTX509_ENOMEM : IOTX509_EPARSE, ret,
					"not a valid PKCS#12 file");
	}
	im.pass = password;
	if (im.has_mac) {
		if ((ret = verify_mac(&im, p12, password)) < 0) {
			gnutls_pkcs12_deinit(p12);
			return ret;
		}
	} else if (im.has_contents && !(flags & IOTX509_PKCS12_ALLOW_NO_MAC)) {
		gnutls_pkcs12_deinit(p12);
		return iox_error(IOTX509_EUNSUPPORTED,
				 "the PKCS#12 file has no MAC: nothing protects its integrity (and a password is only "
				 "checked if the key is encrypted); pass IOTX509_PKCS12_ALLOW_NO_MAC to read it anyway");
	}

	for (idx = 0, ret = 0; ret == 0; idx++) {
		gnutls_pkcs12_bag_t bag;
		int encrypted = 0;

		if ((ret = gnutls_pkcs12_bag_init(&bag)) < 0) {
			ret = iox_error_gnutls(IOTX509_ENOMEM, ret, "out of memory");
			break;
		}
		ret = gnutls_pkcs12_get_bag(p12, idx, bag);
		if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
			gnutls_pkcs12_bag_deinit(bag);
			ret = 0;
			break;
		}
		/* prescan() counted them, unless it could not read them. */
		if (ret == 0 && idx >= (int)IOTX509_PKCS12_MAX_CONTENTS)
			ret = iox_error(IOTX509_ELIMIT,
					"the PKCS#12 file holds more than %u contents (IOTX509_PKCS12_MAX_CONTENTS)",
					IOTX509_PKCS12_MAX_CONTENTS);
		else if (ret < 0)
			ret = iox_error_gnutls(IOTX509_EPARSE, ret, "malformed PKCS#12 content #%d", idx + 1);
		else if (gnutls_pkcs12_bag_get_type(bag, 0) == GNUTLS_BAG_ENCRYPTED) {
			encrypted = 1;
			ret = decrypt_content(&im, p12, &bag, idx);
		}
		if (ret == 0)
			ret = import_bag(&im, bag, encrypted);
		gnutls_pkcs12_bag_deinit(bag);
	}
	gnutls_pkcs12_deinit(p12);
	if (ret < 0)
		goto out;

	if (im.key == NULL) {
		ret = iox_error(IOTX509_ENOTFOUND, "the PKCS#12 file holds no private key");
		goto out;
	}
	if (im.ncerts == 0) {
		ret = iox_error(IOTX509_ENOTFOUND, "the PKCS#12 file holds no certificate");
		goto out;
	}
	/* The leaf: same localKeyID as the key, else the key's certificate. */
	if (im.key_id.size > 0)
		for (i = 0; i < im.ncerts && leaf == (size_t)-1; i++)
			if (im.certs[i].key_id.size == im.key_id.size &&
			    memcmp(im.certs[i].key_id.data, im.key_id.data, im.key_id.size) == 0 &&
			    strcmp(im.certs[i].cert->spki_sha256, im.key->spki_sha256) == 0)
				leaf = i;
	for (i = 0; i < im.ncerts && leaf == (size_t)-1; i++)
		if (strcmp(im.certs[i].cert->spki_sha256, im.key->spki_sha256) == 0)
			leaf = i;
	if (leaf == (size_t)-1) {
		ret = iox_error(IOTX509_EKEYMISMATCH,
				"no certificate in the PKCS#12 file belongs to its private key (%zu certificates)",
				im.ncerts);
		goto out;
	}

	/* The others, as a chain from the leaf where they link. */
	if ((ret = iotx509_certlist_new(&pool)) < 0 || (ret = iotx509_certlist_new(&res->chain)) < 0)
		goto out;
	for (i = 0; i < im.ncerts && ret == 0; i++)
		if (i != leaf)
			ret = iotx509_certlist_add(pool, im.certs[i].cert);
	if (ret < 0)
		goto out;
	co.flags = IOTX509_CHAIN_ALLOW_PARTIAL;
	iox_error_save(&saved);
	if (iotx509_chain_build(&chain, im.certs[leaf].cert, pool, &co) == 0) {
		for (i = 1; i < chain->count && ret == 0; i++)
			ret = iotx509_certlist_add(res->chain, chain->certs[i]);
	} else {
		/* Certificates that do not link are still returned, below. */
		iox_error_restore(&saved);
	}
	for (i = 0; i < pool->count && ret == 0; i++)
		if (iox_certlist_find(res->chain, pool->certs[i]) < 0)
			ret = iotx509_certlist_add(res->chain, pool->certs[i]);
	if (ret < 0)
		goto out;

	res->leaf = iox_cert_ref(im.certs[leaf].cert);
	res->key = im.key;
	im.key = NULL;
	res->protection = (im.has_mac ? IOTX509_PKCS12_MAC : 0) | (im.key_encrypted ? IOTX509_PKCS12_KEY_ENCRYPTED : 0) |
			  (im.plain_certs == 0 ? IOTX509_PKCS12_CERTS_ENCRYPTED : 0);
	if (im.key_friendly != NULL || im.certs[leaf].friendly != NULL) {
		res->friendly_name = iox_strdup(im.key_friendly ? im.key_friendly : im.certs[leaf].friendly);
		if (res->friendly_name == NULL)
			ret = IOTX509_ENOMEM;
	}

out:
	iotx509_certlist_free(pool);
	iotx509_certlist_free(chain);
	import_clear(&im);
	return ret;
}

IOX_OPTS_TYPE(pkcs12_read_opts_type, "PKCS#12 read options", IOTX509_PKCS12_READ_OPTIONS_VERSION,
	      sizeof(iotx509_pkcs12_read_options));
static const iotx509_pkcs12_read_options pkcs12_read_opts_defaults = IOTX509_PKCS12_READ_OPTIONS_INIT;

iotx509_error_code iotx509_pkcs12_read_options_init(iotx509_pkcs12_read_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &pkcs12_read_opts_defaults, &pkcs12_read_opts_type);
}

iotx509_error_code iotx509_pkcs12_import(iotx509_pkcs12 **out, const unsigned char *data, size_t size, const char *password,
			  const iotx509_pkcs12_read_options *opts)
{
	iotx509_pkcs12_read_options copy;
	iotx509_pkcs12 *res;
	unsigned int flags;
	int ret;

	if (out == NULL || (data == NULL && size > 0) || password == NULL)
		return iox_error(IOTX509_EINVAL, "PKCS#12 import: NULL argument");
	*out = NULL;
	if (iox_opts_read(&copy, opts, &pkcs12_read_opts_defaults, &pkcs12_read_opts_type) < 0)
		return IOTX509_EINVAL;
	flags = copy.flags;
	if (flags & ~(unsigned int)(IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD | IOTX509_PKCS12_ALLOW_NO_MAC))
		return iox_error(IOTX509_EINVAL, "PKCS#12 import: unknown flags 0x%x", flags);
	if (*password == '\0' && !(flags & IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD))
		return iox_error(IOTX509_EINVAL,
				 "PKCS#12: an empty password is refused; pass IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD to allow it");
	/* GnuTLS converts the password to UTF-16 for the MAC and fails with a
	 * misleading "memory" error on invalid UTF-8: say what is wrong. */
	if (utf8_to_utf16be(NULL, password, 1) < 0)
		return iox_error(IOTX509_EINVAL, "PKCS#12: the password is not valid UTF-8");
	if (size == 0)
		return iox_error(IOTX509_EPARSE, "not a valid PKCS#12 file: the input is empty");
	if (size > UINT32_MAX || data[0] != 0x30)
		return iox_error(IOTX509_EPARSE, "not a valid PKCS#12 file (DER expected, first byte 0x%02x)", data[0]);
	res = calloc(1, sizeof(*res));
	if (res == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	if ((ret = import_p12(res, data, size, password, flags)) < 0) {
		iotx509_pkcs12_free(res);
		return ret;
	}
	*out = res;
	return 0;
}

iotx509_error_code iotx509_pkcs12_load(iotx509_pkcs12 **out, const char *path, const char *password,
			const iotx509_pkcs12_read_options *opts)
{
	iotx509_buf buf = IOTX509_BUF_INIT;
	int ret;

	if (out == NULL || path == NULL)
		return iox_error(IOTX509_EINVAL, "PKCS#12 load: NULL argument");
	*out = NULL;
	if ((ret = iotx509_file_read(&buf, path)) < 0)
		return ret;
	ret = iotx509_pkcs12_import(out, buf.data, buf.size, password, opts);
	iotx509_buf_dispose(&buf);
	if (ret < 0)
		iox_error_prefix(path);
	return ret;
}
