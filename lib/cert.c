/*
 * Certificates: parsing, the values users inspect, thumbprints, export.
 */
#include "cert-internal.h"
#include "file-internal.h"
#include "key-internal.h"
#include "names-internal.h"
#include "pem-internal.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

/* A DN attribute as a malloc'd string ("" when absent). */
static int get_dn_cn(char **out, gnutls_x509_crt_t crt, int issuer)
{
	size_t size = 0;
	char *s;
	int ret;

	ret = issuer ? gnutls_x509_crt_get_issuer_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, NULL, &size)
		     : gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, NULL, &size);
	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
		*out = iox_strdup("");
		return *out ? 0 : IOTX509_ENOMEM;
	}
	if (ret != GNUTLS_E_SHORT_MEMORY_BUFFER)
		return iox_error_gnutls(IOTX509_EPARSE, ret, "certificate: cannot read the %s CN",
					issuer ? "issuer" : "subject");
	s = malloc(size + 1);
	if (s == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	ret = issuer ? gnutls_x509_crt_get_issuer_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, s, &size)
		     : gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, s, &size);
	if (ret < 0) {
		free(s);
		return iox_error_gnutls(IOTX509_EPARSE, ret, "certificate: cannot read the %s CN",
					issuer ? "issuer" : "subject");
	}
	s[size] = '\0';
	iox_rfc4514_unescape(s);
	*out = s;
	return 0;
}

static int get_dn(char **out, gnutls_x509_crt_t crt, int issuer)
{
	gnutls_datum_t d = { NULL, 0 };
	int ret = issuer ? gnutls_x509_crt_get_issuer_dn3(crt, &d, 0) : gnutls_x509_crt_get_dn3(crt, &d, 0);

	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE || (ret >= 0 && d.size == 0)) {
		gnutls_free(d.data);
		*out = iox_strdup("");
		return *out ? 0 : IOTX509_ENOMEM;
	}
	if (ret < 0)
		return iox_error_gnutls(IOTX509_EPARSE, ret, "certificate: cannot read the %s name",
					issuer ? "issuer" : "subject");
	*out = malloc(d.size + 1);
	if (*out == NULL) {
		gnutls_free(d.data);
		return iox_error(IOTX509_ENOMEM, "out of memory");
	}
	memcpy(*out, d.data, d.size);
	(*out)[d.size] = '\0';
	gnutls_free(d.data);
	return 0;
}

static unsigned int map_key_usage(unsigned int ku)
{
	unsigned int r = 0;

	if (ku & GNUTLS_KEY_DIGITAL_SIGNATURE)
		r |= IOTX509_KU_DIGITAL_SIGNATURE;
	if (ku & GNUTLS_KEY_NON_REPUDIATION)
		r |= IOTX509_KU_NON_REPUDIATION;
	if (ku & GNUTLS_KEY_KEY_ENCIPHERMENT)
		r |= IOTX509_KU_KEY_ENCIPHERMENT;
	if (ku & GNUTLS_KEY_DATA_ENCIPHERMENT)
		r |= IOTX509_KU_DATA_ENCIPHERMENT;
	if (ku & GNUTLS_KEY_KEY_AGREEMENT)
		r |= IOTX509_KU_KEY_AGREEMENT;
	if (ku & GNUTLS_KEY_KEY_CERT_SIGN)
		r |= IOTX509_KU_KEY_CERT_SIGN;
	if (ku & GNUTLS_KEY_CRL_SIGN)
		r |= IOTX509_KU_CRL_SIGN;
	return r;
}

static unsigned int read_eku(gnutls_x509_crt_t crt)
{
	unsigned int r = 0, i;
	char oid[128];

	for (i = 0;; i++) {
		size_t size = sizeof(oid);

		if (gnutls_x509_crt_get_key_purpose_oid(crt, i, oid, &size, NULL) < 0)
			break;
		if (strcmp(oid, GNUTLS_KP_TLS_WWW_SERVER) == 0)
			r |= IOTX509_EKU_SERVER_AUTH;
		else if (strcmp(oid, GNUTLS_KP_TLS_WWW_CLIENT) == 0)
			r |= IOTX509_EKU_CLIENT_AUTH;
		else if (strcmp(oid, GNUTLS_KP_EMAIL_PROTECTION) == 0)
			r |= IOTX509_EKU_EMAIL_PROTECTION;
		else if (strcmp(oid, GNUTLS_KP_ANY) == 0)
			r |= IOTX509_EKU_ANY;
	}
	return r;
}

/* Self-signed: the subject is the issuer and the certificate's own key
 * verifies its signature. */
static int check_self_signed(const iotx509_cert *c)
{
	gnutls_x509_crt_t crt = c->crt;
	unsigned int status = 0;
	int ret;

	if (!iox_cert_check_issuer(c, c))
		return 0;
	/* DO_NOT_ALLOW_SAME: do not trust the certificate merely because it is in
	 * the list; actually check the signature. The other flags keep this a
	 * pure signature check. */
	ret = gnutls_x509_crt_verify(crt, &crt, 1,
				     GNUTLS_VERIFY_DO_NOT_ALLOW_SAME | GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
					     GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
					     GNUTLS_VERIFY_DISABLE_CA_SIGN | GNUTLS_VERIFY_ALLOW_BROKEN |
					     GNUTLS_VERIFY_ALLOW_UNSORTED_CHAIN,
				     &status);
	return ret == 0 && !(status & GNUTLS_CERT_SIGNATURE_FAILURE);
}

int iox_cert_check_issuer(const iotx509_cert *cert, const iotx509_cert *issuer)
{
	/* GnuTLS matches the names (byte for byte, or else as text) and then,
	 * when both are present, AuthorityKeyIdentifier against
	 * SubjectKeyIdentifier. Two cases are decided here without its
	 * extension decoding, exactly as it would decide them: different
	 * SHA-1-sized key identifiers (never a match), and identical names
	 * with identifiers that agree or are absent (a match). */
	if (cert->aki_len && issuer->ski_len && cert->aki_len <= 20 && issuer->ski_len <= 20 &&
	    (cert->aki_len != issuer->ski_len || memcmp(cert->aki, issuer->ski, cert->aki_len) != 0))
		return 0;
	if (cert->raw_issuer.size > 0 && cert->raw_issuer.size == issuer->raw_subject.size &&
	    memcmp(cert->raw_issuer.data, issuer->raw_subject.data, cert->raw_issuer.size) == 0 &&
	    (cert->aki_len == 0 || issuer->ski_len == 0 || (cert->aki_len <= 20 && issuer->ski_len <= 20)))
		return 1;
	return gnutls_x509_crt_check_issuer(cert->crt, issuer->crt) ? 1 : 0;
}

int iox_cert_check_issuer_time(const iotx509_cert *issuer, int64_t now, const char *role)
{
	char t1[32], t2[32];

	if (now <= issuer->not_after && now >= issuer->not_before)
		return 0;
	iox_format_time(t1, sizeof(t1), now > issuer->not_after ? issuer->not_after : issuer->not_before);
	iox_format_time(t2, sizeof(t2), now);
	return iox_error(IOTX509_EISSUERVALIDITY, "%s '%s' %s %s (issuance time %s)", role, issuer->subject_dn,
			 now > issuer->not_after ? "expired on" : "is not valid before", t1, t2);
}

/* The subjectAltName entries as text, per kind. An extension GnuTLS
 * cannot decode reads as no names (import does not fail on it; lint reports
 * it); an entry holding a NUL byte is left out, since a C string would cut
 * it short and show a different name. */
static int read_sans(iotx509_cert *c)
{
	gnutls_datum_t ext = { NULL, 0 };
	gnutls_subject_alt_names_t sans = NULL;
	unsigned int i, critical = 0;
	int ret;

	ret = gnutls_x509_crt_get_extension_by_oid2(c->crt, GNUTLS_X509EXT_OID_SAN, 0, &ext, &critical);
	if (ret < 0)
		return ret == GNUTLS_E_MEMORY_ERROR ? iox_error(IOTX509_ENOMEM, "out of memory") : 0;
	if (gnutls_subject_alt_names_init(&sans) < 0) {
		gnutls_free(ext.data);
		return iox_error(IOTX509_ENOMEM, "out of memory");
	}
	if (gnutls_x509_ext_import_subject_alt_names(&ext, sans, 0) < 0)
		goto done;
	for (i = 0;; i++) {
		unsigned int type;
		gnutls_datum_t san, oid;
		char text[INET6_ADDRSTRLEN > 2 * 16 + 1 ? INET6_ADDRSTRLEN : 2 * 16 + 1], *s, **grown;
		int kind;

		if (gnutls_subject_alt_names_get(sans, i, &type, &san, &oid) < 0)
			break;
		switch (type) {
		case GNUTLS_SAN_DNSNAME: kind = IOTX509_SAN_DNS; break;
		case GNUTLS_SAN_IPADDRESS: kind = IOTX509_SAN_IP; break;
		case GNUTLS_SAN_URI: kind = IOTX509_SAN_URI; break;
		case GNUTLS_SAN_RFC822NAME: kind = IOTX509_SAN_EMAIL; break;
		default: continue;
		}
		if (kind == IOTX509_SAN_IP) {
			if (san.size == 4 || san.size == 16)
				inet_ntop(san.size == 4 ? AF_INET : AF_INET6, san.data, text, sizeof(text));
			else if (san.size <= 16)
				iox_hex_upper(text, san.data, san.size); /* not an address: its octets */
			else
				continue;
			s = iox_strdup(text);
		} else {
			if (memchr(san.data, 0, san.size) != NULL)
				continue;
			s = malloc(san.size + 1);
			if (s != NULL) {
				memcpy(s, san.data, san.size);
				s[san.size] = '\0';
			}
		}
		grown = s ? realloc(c->san[kind - 1], (c->san_count[kind - 1] + 1) * sizeof(*grown)) : NULL;
		if (grown == NULL) {
			free(s);
			ret = iox_error(IOTX509_ENOMEM, "out of memory");
			goto fail;
		}
		grown[c->san_count[kind - 1]++] = s;
		c->san[kind - 1] = grown;
	}
done:
	ret = 0;
fail:
	gnutls_subject_alt_names_deinit(sans);
	gnutls_free(ext.data);
	return ret;
}

static int cert_fill(iotx509_cert *c, const iox_cert_hint *hint)
{
	unsigned char buf[64];
	size_t size;
	unsigned int critical = 0, ca = 0, ku = 0;
	int pathlen = -1, ret;
	time_t t;

	if ((ret = get_dn_cn(&c->subject_cn, c->crt, 0)) < 0 || (ret = get_dn(&c->subject_dn, c->crt, 0)) < 0)
		return ret;
	if (hint != NULL && hint->issuer != NULL) {
		/* The issuer name was copied from the issuer's subject. */
		if ((c->issuer_cn = iox_strdup(hint->issuer->subject_cn)) == NULL ||
		    (c->issuer_dn = iox_strdup(hint->issuer->subject_dn)) == NULL)
			return IOTX509_ENOMEM;
	} else if ((ret = get_dn_cn(&c->issuer_cn, c->crt, 1)) < 0 || (ret = get_dn(&c->issuer_dn, c->crt, 1)) < 0) {
		return ret;
	}
	if ((ret = gnutls_x509_crt_get_raw_dn(c->crt, &c->raw_subject)) < 0 ||
	    (ret = gnutls_x509_crt_get_raw_issuer_dn(c->crt, &c->raw_issuer)) < 0)
		return iox_error_gnutls(iox_code_from_gnutls(ret) == IOTX509_ENOMEM ? IOTX509_ENOMEM : IOTX509_EPARSE, ret,
					"certificate: cannot read the names");

	size = sizeof(buf);
	ret = gnutls_x509_crt_get_serial(c->crt, buf, &size);
	/* RFC 5280 allows 20 octets; some CAs write more, up to 64 are read. */
	if (ret == GNUTLS_E_SHORT_MEMORY_BUFFER)
		return iox_error(IOTX509_EUNSUPPORTED,
				 "certificate: the serial number is %zu octets long (RFC 5280 allows at most 20; up to %zu "
				 "are read)",
				 size, sizeof(buf));
	if (ret < 0)
		return iox_error_gnutls(IOTX509_EPARSE, ret, "certificate: cannot read the serial number");
	{
		size_t skip = 0;

		while (skip + 1 < size && buf[skip] == 0)
			skip++;
		iox_hex_upper(c->serial_hex, buf + skip, size - skip);
	}

	t = gnutls_x509_crt_get_activation_time(c->crt);
	if (t == (time_t)-1)
		return iox_error(IOTX509_EPARSE, "certificate: invalid notBefore");
	c->not_before = (int64_t)t;
	t = gnutls_x509_crt_get_expiration_time(c->crt);
	if (t == (time_t)-1)
		return iox_error(IOTX509_EPARSE, "certificate: invalid notAfter");
	c->not_after = (int64_t)t;

	c->pathlen = -1;
	if (hint != NULL && hint->ext_known) {
		/* The extensions the issuer just wrote. */
		c->is_ca = hint->is_ca;
		c->pathlen = hint->is_ca && hint->pathlen >= 0 ? hint->pathlen : -1;
		c->has_ku = 1;
		c->ku = map_key_usage(hint->gnutls_ku);
		c->eku = hint->eku;
		c->ski_len = hint->ski_len <= sizeof(c->ski) ? hint->ski_len : 0;
		memcpy(c->ski, hint->ski, c->ski_len);
	} else {
		ret = gnutls_x509_crt_get_basic_constraints(c->crt, &critical, &ca, &pathlen);
		if (ret >= 0) {
			c->is_ca = ca ? 1 : 0;
			c->pathlen = c->is_ca && pathlen >= 0 ? pathlen : -1;
		} else if (ret != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			return iox_error_gnutls(IOTX509_EPARSE, ret, "certificate: malformed basicConstraints");

		ret = gnutls_x509_crt_get_key_usage(c->crt, &ku, &critical);
		if (ret >= 0) {
			c->has_ku = 1;
			c->ku = map_key_usage(ku);
		} else if (ret == GNUTLS_E_SHORT_MEMORY_BUFFER) {
			/* GnuTLS reads at most two octets: RFC 5280 defines nine bits. */
			return iox_error(IOTX509_EUNSUPPORTED, "certificate: the keyUsage is longer than the 9 bits RFC 5280 "
							 "defines ('iotx509 lint' shows it)");
		} else if (ret != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			return iox_error_gnutls(IOTX509_EPARSE, ret, "certificate: malformed keyUsage");
		c->eku = read_eku(c->crt);

		c->ski_len = sizeof(c->ski);
		if (gnutls_x509_crt_get_subject_key_id(c->crt, c->ski, &c->ski_len, &critical) < 0)
			c->ski_len = 0;
	}
	if (hint != NULL && hint->aki != NULL && hint->aki_len <= sizeof(c->aki)) {
		memcpy(c->aki, hint->aki, hint->aki_len);
		c->aki_len = hint->aki_len;
	} else {
		c->aki_len = sizeof(c->aki);
		if (gnutls_x509_crt_get_authority_key_id(c->crt, c->aki, &c->aki_len, &critical) < 0)
			c->aki_len = 0;
	}

	if ((ret = gnutls_pubkey_init(&c->pub)) < 0)
		return iox_error_gnutls(IOTX509_ENOMEM, ret, "out of memory");
	if ((ret = gnutls_pubkey_import_x509(c->pub, c->crt, 0)) < 0)
		return iox_error_gnutls(iox_code_from_gnutls(ret) == IOTX509_EUNSUPPORTED ? IOTX509_EUNSUPPORTED
											  : IOTX509_EPARSE,
					ret, "certificate: cannot read the public key");
	c->pk = (gnutls_pk_algorithm_t)gnutls_pubkey_get_pk_algorithm(c->pub, &c->bits);
	c->alg = iox_pk_family(c->pk);
	if (hint != NULL && hint->spki_sha256 != NULL)
		memcpy(c->spki_sha256, hint->spki_sha256, sizeof(c->spki_sha256));
	else if ((ret = iox_pubkey_spki_sha256(c->spki_sha256, c->pub)) < 0)
		return ret;

	if ((ret = gnutls_hash_fast(GNUTLS_DIG_SHA1, c->der.data, c->der.size, buf)) < 0)
		return iox_error_gnutls(IOTX509_ECRYPTO, ret, "SHA-1 failed");
	iox_hex_upper(c->sha1, buf, 20);
	if ((ret = gnutls_hash_fast(GNUTLS_DIG_SHA256, c->der.data, c->der.size, buf)) < 0)
		return iox_error_gnutls(IOTX509_ECRYPTO, ret, "SHA-256 failed");
	iox_hex_upper(c->sha256, buf, 32);

	c->self_signed = check_self_signed(c);
	iox_hex_upper(c->ski_hex, c->ski, c->ski_len);
	iox_hex_upper(c->aki_hex, c->aki, c->aki_len);
	ret = gnutls_x509_crt_get_signature_algorithm(c->crt);
	c->sig_name = ret > 0 && gnutls_sign_get_name((gnutls_sign_algorithm_t)ret) ? gnutls_sign_get_name((gnutls_sign_algorithm_t)ret)
										     : "unknown";
	size = sizeof(c->sig_oid);
	if (gnutls_x509_crt_get_signature_oid(c->crt, c->sig_oid, &size) < 0)
		c->sig_oid[0] = '\0';
	if ((ret = read_sans(c)) < 0)
		return ret;
	if (hint != NULL)
		c->requested_not_after = hint->requested_not_after;
	return 0;
}

int iox_cert_from_der(iotx509_cert **out, const unsigned char *der, size_t size)
{
	return iox_cert_from_der_hint(out, der, size, NULL);
}

int iox_cert_from_der_hint(iotx509_cert **out, const unsigned char *der, size_t size, const iox_cert_hint *hint)
{
	iotx509_cert *c;
	int ret;

	*out = NULL;
	if (size == 0 || size > UINT32_MAX)
		return iox_error(IOTX509_EPARSE, "certificate: empty or oversized DER");
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	iox_ref_init(&c->ref);
	c->der.data = gnutls_malloc(size);
	if (c->der.data == NULL) {
		free(c);
		return iox_error(IOTX509_ENOMEM, "out of memory");
	}
	memcpy(c->der.data, der, size);
	c->der.size = (unsigned int)size;
	if ((ret = gnutls_x509_crt_init(&c->crt)) < 0) {
		iotx509_cert_free(c);
		return iox_error_gnutls(IOTX509_ENOMEM, ret, "out of memory");
	}
	if ((ret = gnutls_x509_crt_import(c->crt, &c->der, GNUTLS_X509_FMT_DER)) < 0) {
		iotx509_cert_free(c);
		return iox_error_gnutls(ret == GNUTLS_E_MEMORY_ERROR ? IOTX509_ENOMEM : IOTX509_EPARSE, ret,
					"malformed certificate");
	}
	if ((ret = cert_fill(c, hint)) < 0) {
		iotx509_cert_free(c);
		return ret;
	}
	*out = c;
	return 0;
}

iotx509_error_code iotx509_cert_import(iotx509_cert **out, const unsigned char *data, size_t size)
{
	if (out == NULL || (data == NULL && size > 0))
		return iox_error(IOTX509_EINVAL, "certificate import: NULL argument");
	*out = NULL;
	if (size == 0)
		return iox_error(IOTX509_EPARSE, "no certificate: the input is empty");
	if (iox_pem_present(data, size)) {
		iox_pem_block blk;
		gnutls_datum_t der;
		size_t pos = 0;
		int ret;

		while ((ret = iox_pem_next(&blk, data, size, &pos)) == 1) {
			if (iox_pem_label_is(&blk, "CERTIFICATE") || iox_pem_label_is(&blk, "X509 CERTIFICATE") ||
			    iox_pem_label_is(&blk, "TRUSTED CERTIFICATE"))
				break;
		}
		if (ret < 0)
			return ret;
		if (ret == 0)
			return iox_error(IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found");
		if ((ret = iox_pem_decode(&der, &blk)) < 0)
			return ret;
		ret = iox_cert_from_der(out, der.data, der.size);
		gnutls_free(der.data);
		return ret;
	}
	if (data[0] != 0x30)
		return iox_error(IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x%02x)",
				 data[0]);
	return iox_cert_from_der(out, data, size);
}

iotx509_error_code iotx509_cert_load(iotx509_cert **out, const char *path)
{
	iotx509_buf buf = IOTX509_BUF_INIT;
	int ret;

	if (out == NULL || path == NULL)
		return iox_error(IOTX509_EINVAL, "certificate load: NULL argument");
	*out = NULL;
	if ((ret = iotx509_file_read(&buf, path)) < 0)
		return ret;
	ret = iotx509_cert_import(out, buf.data, buf.size);
	iotx509_buf_dispose(&buf);
	if (ret < 0)
		iox_error_prefix(path);
	return ret;
}

iotx509_error_code iotx509_cert_export_pem(iotx509_buf *out, const iotx509_cert *cert)
{
	if (out == NULL || cert == NULL)
		return iox_error(IOTX509_EINVAL, "certificate export: NULL argument");
	out->data = NULL;
	out->size = 0;
	return iox_pem_encode(out, "CERTIFICATE", &cert->der);
}

iotx509_error_code iotx509_cert_export_der(iotx509_buf *out, const iotx509_cert *cert)
{
	if (out == NULL || cert == NULL)
		return iox_error(IOTX509_EINVAL, "certificate export: NULL argument");
	return iox_buf_set(out, cert->der.data, cert->der.size);
}

iotx509_error_code iotx509_cert_save(const iotx509_cert *cert, const char *path, const iotx509_write_options *opts)
{
	iotx509_buf pem = IOTX509_BUF_INIT;
	unsigned int flags;
	int ret;

	if (path == NULL)
		return iox_error(IOTX509_EINVAL, "certificate save: no path");
	if (iox_write_flags(&flags, opts) < 0)
		return IOTX509_EINVAL;
	if ((ret = iotx509_cert_export_pem(&pem, cert)) < 0)
		return ret;
	ret = iox_file_write(path, pem.data, pem.size, flags & ~(unsigned int)IOTX509_WRITE_PRIVATE);
	iotx509_buf_dispose(&pem);
	return ret;
}

iotx509_cert *iox_cert_ref(const iotx509_cert *cert)
{
	iotx509_cert *c = (iotx509_cert *)cert;

	iox_ref_inc(&c->ref);
	return c;
}

iotx509_error_code iotx509_cert_dup(iotx509_cert **out, const iotx509_cert *cert)
{
	if (out == NULL || cert == NULL)
		return iox_error(IOTX509_EINVAL, "certificate dup: NULL argument");
	*out = iox_cert_ref(cert);
	return 0;
}

#define GETTER(type, name, expr, dflt) \
	type iotx509_cert_##name(const iotx509_cert *cert) { return cert ? (expr) : (dflt); }

GETTER(const char *, get_subject_cn, cert->subject_cn, NULL)
GETTER(const char *, get_issuer_cn, cert->issuer_cn, NULL)
GETTER(const char *, get_subject_dn, cert->subject_dn, NULL)
GETTER(const char *, get_issuer_dn, cert->issuer_dn, NULL)
GETTER(const char *, get_serial_hex, cert->serial_hex, NULL)
GETTER(int64_t, get_not_before, cert->not_before, 0)
GETTER(int64_t, get_not_after, cert->not_after, 0)
GETTER(int, is_ca, cert->is_ca, 0)
GETTER(int, has_pathlen, cert->pathlen >= 0, 0)
GETTER(unsigned int, get_pathlen, cert->pathlen >= 0 ? (unsigned int)cert->pathlen : 0, 0)
GETTER(int, is_self_signed, cert->self_signed, 0)
GETTER(unsigned int, get_key_usage, cert->ku, 0)
GETTER(int, has_key_usage, cert->has_ku, 0)
GETTER(unsigned int, get_ext_key_usage, cert->eku, 0)
GETTER(iotx509_key_algorithm, get_key_algorithm, cert->alg, IOTX509_ALG_UNKNOWN)
GETTER(unsigned int, get_key_bits, cert->bits, 0)
GETTER(const char *, get_thumbprint_sha1, cert->sha1, NULL)
GETTER(const char *, get_thumbprint_sha256, cert->sha256, NULL)
GETTER(const char *, get_spki_sha256, cert->spki_sha256, NULL)
GETTER(const char *, get_subject_key_id_hex, cert->ski_hex, NULL)
GETTER(const char *, get_authority_key_id_hex, cert->aki_hex, NULL)
GETTER(const char *, get_signature_algorithm, cert->sig_name, NULL)
GETTER(const char *, get_signature_oid, cert->sig_oid, NULL)

const char *iotx509_san_type_name(iotx509_san_type type)
{
	switch (type) {
	case IOTX509_SAN_DNS:
		return "DNS";
	case IOTX509_SAN_IP:
		return "IP";
	case IOTX509_SAN_URI:
		return "URI";
	case IOTX509_SAN_EMAIL:
		return "email";
	}
	return "unknown";
}

size_t iotx509_cert_san_count(const iotx509_cert *cert, iotx509_san_type type)
{
	if (cert == NULL || type < IOTX509_SAN_DNS || type > IOTX509_SAN_EMAIL)
		return 0;
	return cert->san_count[type - 1];
}

const char *iotx509_cert_get_san(const iotx509_cert *cert, iotx509_san_type type, size_t index)
{
	if (index >= iotx509_cert_san_count(cert, type))
		return NULL;
	return cert->san[type - 1][index];
}

iotx509_error_code iotx509_cert_export_subject_key_id(iotx509_buf *out, const iotx509_cert *cert)
{
	if (out == NULL || cert == NULL)
		return iox_error(IOTX509_EINVAL, "subjectKeyIdentifier export: NULL argument");
	return iox_buf_set(out, cert->ski, cert->ski_len);
}

iotx509_error_code iotx509_cert_export_authority_key_id(iotx509_buf *out, const iotx509_cert *cert)
{
	if (out == NULL || cert == NULL)
		return iox_error(IOTX509_EINVAL, "authorityKeyIdentifier export: NULL argument");
	return iox_buf_set(out, cert->aki, cert->aki_len);
}

static int export_pubkey(iotx509_buf *out, const iotx509_cert *cert, gnutls_x509_crt_fmt_t fmt)
{
	gnutls_datum_t d = { NULL, 0 };
	int ret;

	if (out == NULL || cert == NULL)
		return iox_error(IOTX509_EINVAL, "public key export: NULL argument");
	if ((ret = gnutls_pubkey_export2(cert->pub, fmt, &d)) < 0)
		return iox_error_gnutls(iox_code_from_gnutls(ret) == IOTX509_ENOMEM ? IOTX509_ENOMEM : IOTX509_ECRYPTO,
					ret, "certificate: cannot export the public key");
	return fmt == GNUTLS_X509_FMT_PEM ? iox_buf_from_pem_datum(out, &d) : iox_buf_from_datum(out, &d);
}

iotx509_error_code iotx509_cert_export_public_key_pem(iotx509_buf *out, const iotx509_cert *cert)
{
	return export_pubkey(out, cert, GNUTLS_X509_FMT_PEM);
}

iotx509_error_code iotx509_cert_export_public_key_der(iotx509_buf *out, const iotx509_cert *cert)
{
	return export_pubkey(out, cert, GNUTLS_X509_FMT_DER);
}

iotx509_error_code iotx509_cert_check_key(const iotx509_cert *cert, const iotx509_key *key)
{
	if (cert == NULL || key == NULL)
		return iox_error(IOTX509_EINVAL, "key check: NULL argument");
	if (strcmp(cert->spki_sha256, key->spki_sha256) != 0)
		return iox_error(IOTX509_EKEYMISMATCH,
				 "the private key does not match the certificate '%s' (its public key differs)",
				 cert->subject_dn);
	return 0;
}

void iotx509_cert_free(iotx509_cert *cert)
{
	if (cert == NULL || !iox_ref_dec(&cert->ref))
		return;
	if (cert->crt)
		gnutls_x509_crt_deinit(cert->crt);
	if (cert->pub)
		gnutls_pubkey_deinit(cert->pub);
	gnutls_free(cert->der.data);
	gnutls_free(cert->raw_subject.data);
	gnutls_free(cert->raw_issuer.data);
	free(cert->subject_cn);
	free(cert->issuer_cn);
	free(cert->subject_dn);
	free(cert->issuer_dn);
	for (size_t k = 0; k < 4; k++) {
		for (size_t i = 0; i < cert->san_count[k]; i++)
			free(cert->san[k][i]);
		free(cert->san[k]);
	}
	free(cert);
}
