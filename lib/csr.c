/*
 * PKCS#10 certificate signing requests.
 */
#include "csr-internal.h"
#include "file-internal.h"
#include "key-internal.h"
#include "pem-internal.h"
#include "names-internal.h"

#include <stdlib.h>
#include <string.h>

IOX_OPTS_TYPE(csr_opts_type, "CSR options", IOTX509_CSR_OPTIONS_VERSION, sizeof(iotx509_csr_options));
static const iotx509_csr_options csr_opts_defaults = IOTX509_CSR_OPTIONS_INIT;

iotx509_error_code iotx509_csr_options_init(iotx509_csr_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &csr_opts_defaults, &csr_opts_type);
}

static int crq_cn(char **out, gnutls_x509_crq_t crq)
{
	size_t size = 0;
	int ret = gnutls_x509_crq_get_dn_by_oid(crq, GNUTLS_OID_X520_COMMON_NAME, 0, 0, NULL, &size);

	if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
		*out = iox_strdup("");
		return *out ? 0 : IOTX509_ENOMEM;
	}
	if (ret != GNUTLS_E_SHORT_MEMORY_BUFFER)
		return iox_error_gnutls(IOTX509_EPARSE, ret, "CSR: cannot read the subject CN");
	if ((*out = malloc(size + 1)) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	if ((ret = gnutls_x509_crq_get_dn_by_oid(crq, GNUTLS_OID_X520_COMMON_NAME, 0, 0, *out, &size)) < 0)
		return iox_error_gnutls(IOTX509_EPARSE, ret, "CSR: cannot read the subject CN");
	(*out)[size] = '\0';
	iox_rfc4514_unescape(*out);
	return 0;
}

static int csr_from_der(iotx509_csr **out, const unsigned char *der, size_t size)
{
	iotx509_csr *c;
	gnutls_datum_t dn = { NULL, 0 };
	int ret;

	if (size == 0 || size > UINT32_MAX)
		return iox_error(IOTX509_EPARSE, "CSR: empty or oversized DER");
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	iox_ref_init(&c->ref);
	if ((c->der.data = gnutls_malloc(size)) == NULL) {
		free(c);
		return iox_error(IOTX509_ENOMEM, "out of memory");
	}
	memcpy(c->der.data, der, size);
	c->der.size = (unsigned int)size;
	if ((ret = gnutls_x509_crq_init(&c->crq)) < 0) {
		ret = iox_error_gnutls(IOTX509_ENOMEM, ret, "out of memory");
		goto fail;
	}
	if ((ret = gnutls_x509_crq_import(c->crq, &c->der, GNUTLS_X509_FMT_DER)) < 0) {
		ret = iox_error_gnutls(IOTX509_EPARSE, ret, "malformed certificate request");
		goto fail;
	}
	if ((ret = crq_cn(&c->cn, c->crq)) < 0)
		goto fail;
	ret = gnutls_x509_crq_get_dn3(c->crq, &dn, 0);
	if (ret < 0 && ret != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
		ret = iox_error_gnutls(IOTX509_EPARSE, ret, "CSR: cannot read the subject");
		goto fail;
	}
	c->dn = malloc(dn.size + 1);
	if (c->dn == NULL) {
		gnutls_free(dn.data);
		ret = iox_error(IOTX509_ENOMEM, "out of memory");
		goto fail;
	}
	if (dn.size)
		memcpy(c->dn, dn.data, dn.size);
	c->dn[dn.size] = '\0';
	gnutls_free(dn.data);
	if ((ret = gnutls_pubkey_init(&c->pub)) < 0 || (ret = gnutls_pubkey_import_x509_crq(c->pub, c->crq, 0)) < 0) {
		ret = iox_error_gnutls(IOTX509_EPARSE, ret, "CSR: cannot read the public key");
		goto fail;
	}
	c->pk = (gnutls_pk_algorithm_t)gnutls_pubkey_get_pk_algorithm(c->pub, &c->bits);
	c->alg = iox_pk_family(c->pk);
	if ((ret = iox_pubkey_spki_sha256(c->spki_sha256, c->pub)) < 0)
		goto fail;
	*out = c;
	return 0;
fail:
	iotx509_csr_free(c);
	return ret;
}

iotx509_error_code iotx509_csr_new(iotx509_csr **out, const iotx509_key *key, const char *cn, const iotx509_csr_options *opts)
{
	iotx509_csr_options copy;
	gnutls_x509_crq_t crq = NULL;
	gnutls_datum_t der = { NULL, 0 };
	int ret;

	if (out == NULL || key == NULL || cn == NULL)
		return iox_error(IOTX509_EINVAL, "CSR new: NULL argument");
	*out = NULL;
	/* Only the fields of the caller's version are read. */
	if (iox_opts_read(&copy, opts, &csr_opts_defaults, &csr_opts_type) < 0)
		return IOTX509_EINVAL;
	opts = &copy;
	if ((ret = iox_check_cn(cn)) < 0)
		return ret;
	if ((ret = gnutls_x509_crq_init(&crq)) < 0)
		return iox_error_gnutls(IOTX509_ENOMEM, ret, "out of memory");
	if ((ret = gnutls_x509_crq_set_version(crq, 1)) < 0 ||
	    (ret = gnutls_x509_crq_set_dn_by_oid(crq, GNUTLS_OID_X520_COMMON_NAME, 0, cn, (unsigned)strlen(cn))) < 0 ||
	    (ret = gnutls_x509_crq_set_pubkey(crq, key->pub)) < 0) {
		ret = iox_error_gnutls(iox_code_from_gnutls(ret), ret, "CSR new");
		goto out;
	}
	if ((ret = iox_san_apply_crq(crq, opts->dns_names, opts->ip_addresses)) < 0)
		goto out;
	iox_key_sign_begin(key);
	ret = gnutls_x509_crq_privkey_sign(crq, key->priv, iox_sign_digest(key), 0);
	iox_key_sign_end(key);
	if (ret < 0) {
		ret = iox_error_gnutls(IOTX509_ECRYPTO, ret, "cannot sign the CSR");
		goto out;
	}
	if ((ret = gnutls_x509_crq_export2(crq, GNUTLS_X509_FMT_DER, &der)) < 0) {
		ret = iox_error_gnutls(iox_code_from_gnutls(ret), ret, "cannot encode the CSR");
		goto out;
	}
	ret = csr_from_der(out, der.data, der.size);
out:
	gnutls_free(der.data);
	gnutls_x509_crq_deinit(crq);
	return ret;
}

iotx509_error_code iotx509_csr_import(iotx509_csr **out, const unsigned char *data, size_t size)
{
	gnutls_datum_t der = { NULL, 0 };
	int ret;

	if (out == NULL || (data == NULL && size > 0))
		return iox_error(IOTX509_EINVAL, "CSR import: NULL argument");
	*out = NULL;
	if (size == 0)
		return iox_error(IOTX509_EPARSE, "no certificate request: the input is empty");
	if (iox_pem_present(data, size)) {
		iox_pem_block blk;
		size_t pos = 0;

		while ((ret = iox_pem_next(&blk, data, size, &pos)) == 1)
			if (iox_pem_label_is(&blk, "CERTIFICATE REQUEST") ||
			    iox_pem_label_is(&blk, "NEW CERTIFICATE REQUEST"))
				break;
		if (ret < 0)
			return ret;
		if (ret == 0)
			return iox_error(IOTX509_EPARSE, "no PEM block labelled CERTIFICATE REQUEST found");
		if ((ret = iox_pem_decode(&der, &blk)) < 0)
			return ret;
	} else if (data[0] == 0x30) {
		return csr_from_der(out, data, size);
	} else {
		/* The DPS certificate-issuance API form: base64 of the DER, no armour. */
		if ((ret = iox_base64_decode(&der, data, size)) < 0) {
			iox_error_prefix("not a certificate request (neither PEM, DER nor base64 DER)");
			return ret;
		}
	}
	ret = csr_from_der(out, der.data, der.size);
	gnutls_free(der.data);
	return ret;
}

iotx509_error_code iotx509_csr_load(iotx509_csr **out, const char *path)
{
	iotx509_buf buf = IOTX509_BUF_INIT;
	int ret;

	if (out == NULL || path == NULL)
		return iox_error(IOTX509_EINVAL, "CSR load: NULL argument");
	*out = NULL;
	if ((ret = iotx509_file_read(&buf, path)) < 0)
		return ret;
	ret = iotx509_csr_import(out, buf.data, buf.size);
	iotx509_buf_dispose(&buf);
	if (ret < 0)
		iox_error_prefix(path);
	return ret;
}

iotx509_error_code iotx509_csr_export_pem(iotx509_buf *out, const iotx509_csr *csr)
{
	if (out == NULL || csr == NULL)
		return iox_error(IOTX509_EINVAL, "CSR export: NULL argument");
	return iox_pem_encode(out, "CERTIFICATE REQUEST", &csr->der);
}

iotx509_error_code iotx509_csr_export_der(iotx509_buf *out, const iotx509_csr *csr)
{
	if (out == NULL || csr == NULL)
		return iox_error(IOTX509_EINVAL, "CSR export: NULL argument");
	return iox_buf_set(out, csr->der.data, csr->der.size);
}

iotx509_error_code iotx509_csr_export_base64(iotx509_buf *out, const iotx509_csr *csr)
{
	gnutls_datum_t b64 = { NULL, 0 };
	size_t i, n = 0;
	int ret;

	if (out == NULL || csr == NULL)
		return iox_error(IOTX509_EINVAL, "CSR export: NULL argument");
	if ((ret = gnutls_base64_encode2(&csr->der, &b64)) < 0)
		return iox_error_gnutls(iox_code_from_gnutls(ret), ret, "base64 encoding failed");
	/* One line: drop the line breaks GnuTLS inserts. */
	for (i = 0; i < b64.size; i++)
		if (b64.data[i] != '\n' && b64.data[i] != '\r')
			b64.data[n++] = b64.data[i];
	b64.size = (unsigned int)n;
	return iox_buf_from_datum(out, &b64);
}

iotx509_error_code iotx509_csr_save(const iotx509_csr *csr, const char *path, const iotx509_write_options *opts)
{
	iotx509_buf pem = IOTX509_BUF_INIT;
	unsigned int flags;
	int ret;

	if (path == NULL)
		return iox_error(IOTX509_EINVAL, "CSR save: no path");
	if (iox_write_flags(&flags, opts) < 0)
		return IOTX509_EINVAL;
	if ((ret = iotx509_csr_export_pem(&pem, csr)) < 0)
		return ret;
	ret = iox_file_write(path, pem.data, pem.size, flags & ~(unsigned int)IOTX509_WRITE_PRIVATE);
	iotx509_buf_dispose(&pem);
	return ret;
}

iotx509_error_code iotx509_csr_verify(int *out, const iotx509_csr *csr)
{
	int ret;

	if (out == NULL || csr == NULL)
		return iox_error(IOTX509_EINVAL, "CSR verify: NULL argument");
	ret = gnutls_x509_crq_verify(csr->crq, 0);
	if (ret < 0 && ret != GNUTLS_E_PK_SIG_VERIFY_FAILED)
		return iox_error_gnutls(iox_code_from_gnutls(ret), ret,
					"the signature of the certificate request for '%s' cannot be checked", csr->cn);
	*out = ret == 0;
	/* The verdict "no" is not an error of the call; its reason is the last error. */
	if (*out)
		iotx509_error_clear();
	else
		iox_error_gnutls(IOTX509_ESIGNATURE, ret, "the signature of the certificate request for '%s' does not verify",
				 csr->cn);
	return 0;
}

const char *iotx509_csr_get_subject_cn(const iotx509_csr *csr) { return csr ? csr->cn : NULL; }
const char *iotx509_csr_get_subject_dn(const iotx509_csr *csr) { return csr ? csr->dn : NULL; }
const char *iotx509_csr_get_spki_sha256(const iotx509_csr *csr) { return csr ? csr->spki_sha256 : NULL; }
iotx509_key_algorithm iotx509_csr_get_key_algorithm(const iotx509_csr *csr)
{
	return csr ? csr->alg : IOTX509_ALG_UNKNOWN;
}

iotx509_error_code iotx509_csr_check_key(const iotx509_csr *csr, const iotx509_key *key)
{
	if (csr == NULL || key == NULL)
		return iox_error(IOTX509_EINVAL, "CSR key check: NULL argument");
	if (strcmp(csr->spki_sha256, key->spki_sha256) != 0)
		return iox_error(IOTX509_EKEYMISMATCH, "the private key does not match the CSR for '%s'", csr->cn);
	return 0;
}

iotx509_error_code iotx509_csr_dup(iotx509_csr **out, const iotx509_csr *csr)
{
	if (out == NULL || csr == NULL)
		return iox_error(IOTX509_EINVAL, "CSR dup: NULL argument");
	iox_ref_inc(&((iotx509_csr *)csr)->ref);
	*out = (iotx509_csr *)csr;
	return 0;
}

void iotx509_csr_free(iotx509_csr *csr)
{
	if (csr == NULL || !iox_ref_dec(&csr->ref))
		return;
	if (csr->crq)
		gnutls_x509_crq_deinit(csr->crq);
	if (csr->pub)
		gnutls_pubkey_deinit(csr->pub);
	gnutls_free(csr->der.data);
	free(csr->cn);
	free(csr->dn);
	free(csr);
}
