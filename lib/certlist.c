/*
 * Certificate lists: reading bundles, DER files and directories; PEM output.
 */
#include "cert-internal.h"
#include "certlist-internal.h"
#include "file-internal.h"
#include "pem-internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libtasn1.h>

iotx509_error_code iotx509_certlist_new(iotx509_certlist **out)
{
	if (out == NULL)
		return iox_error(IOTX509_EINVAL, "certificate list: out is NULL");
	*out = calloc(1, sizeof(**out));
	if (*out == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	return 0;
}

iotx509_error_code iotx509_certlist_dup(iotx509_certlist **out, const iotx509_certlist *list)
{
	iotx509_certlist *copy = NULL;
	size_t i;
	int err;

	if (out == NULL || list == NULL)
		return iox_error(IOTX509_EINVAL, "certificate list dup: NULL argument");
	*out = NULL;
	if ((err = iotx509_certlist_new(&copy)) < 0)
		return err;
	for (i = 0; i < list->count; i++) {
		if ((err = iox_certlist_push(copy, iox_cert_ref(list->certs[i]))) < 0) {
			iotx509_certlist_free(copy);
			return err;
		}
	}
	*out = copy;
	return 0;
}

void iotx509_certlist_free(iotx509_certlist *list)
{
	size_t i;

	if (list == NULL)
		return;
	for (i = 0; i < list->count; i++)
		iotx509_cert_free(list->certs[i]);
	free(list->certs);
	free(list);
}

int iox_certlist_push(iotx509_certlist *list, iotx509_cert *cert)
{
	if (IOX_ARRAY_GROW(list->certs, list->cap, list->count, 8) < 0) {
		iotx509_cert_free(cert);
		return IOTX509_ENOMEM;
	}
	list->certs[list->count++] = cert;
	return 0;
}

long iox_certlist_find(const iotx509_certlist *list, const iotx509_cert *cert)
{
	size_t i;

	if (list == NULL)
		return -1;
	for (i = 0; i < list->count; i++) {
		const iotx509_cert *c = list->certs[i];

		if (c == cert || (c->der.size == cert->der.size && memcmp(c->der.data, cert->der.data, c->der.size) == 0))
			return (long)i;
	}
	return -1;
}

iotx509_error_code iotx509_certlist_add(iotx509_certlist *list, const iotx509_cert *cert)
{
	if (list == NULL || cert == NULL)
		return iox_error(IOTX509_EINVAL, "certificate list add: NULL argument");
	return iox_certlist_push(list, iox_cert_ref(cert));
}

size_t iotx509_certlist_count(const iotx509_certlist *list)
{
	return list ? list->count : 0;
}

const iotx509_cert *iotx509_certlist_get(const iotx509_certlist *list, size_t index)
{
	if (list == NULL || index >= list->count)
		return NULL;
	return list->certs[index];
}

/* Move every certificate of @from to the end of @to (all or nothing). */
static int certlist_splice(iotx509_certlist *to, iotx509_certlist *from)
{
	size_t need = to->count + from->count;

	if (need > to->cap) {
		iotx509_cert **p = realloc(to->certs, need * sizeof(*p));

		if (p == NULL)
			return iox_error(IOTX509_ENOMEM, "out of memory");
		to->certs = p;
		to->cap = need;
	}
	if (from->count)
		memcpy(to->certs + to->count, from->certs, from->count * sizeof(*from->certs));
	to->count = need;
	from->count = 0;
	return 0;
}

/* Size of the DER TLV at @der (header and contents), or 0 when it does not
 * fit in @size. Lets us split concatenated DER and drop what OpenSSL's
 * TRUSTED CERTIFICATE format appends after the certificate. */
static size_t der_tlv_size(const unsigned char *der, size_t size)
{
	long len;
	int len_len;

	if (size < 2 || der[0] != 0x30 || size > INT32_MAX)
		return 0;
	len = asn1_get_length_der(der + 1, (int)(size - 1), &len_len);
	if (len < 0 || (size_t)len > size - 1 - (size_t)len_len)
		return 0;
	return 1 + (size_t)len_len + (size_t)len;
}

static int is_cert_label(const iox_pem_block *blk)
{
	return iox_pem_label_is(blk, "CERTIFICATE") || iox_pem_label_is(blk, "X509 CERTIFICATE") ||
	       iox_pem_label_is(blk, "TRUSTED CERTIFICATE");
}

/* One certificate from DER into @tmp; @n counts certificates for messages. */
static int push_der(iotx509_certlist *tmp, const unsigned char *der, size_t size, size_t n)
{
	iotx509_cert *cert;
	size_t tlv = der_tlv_size(der, size);
	int ret = iox_cert_from_der(&cert, der, tlv ? tlv : size);

	if (ret < 0) {
		char where[48];

		snprintf(where, sizeof(where), "certificate #%zu", n);
		iox_error_prefix(where);
		return ret;
	}
	return iox_certlist_push(tmp, cert);
}

/* Parse @data into @tmp. Returns the number of certificates found (0 when
 * the input holds none) or a negative error. */
static int parse_certs(iotx509_certlist *tmp, const unsigned char *data, size_t size)
{
	size_t pos = 0, n = 0;
	int ret;

	if (iox_pem_present(data, size)) {
		iox_pem_block blk;

		while ((ret = iox_pem_next(&blk, data, size, &pos)) == 1) {
			gnutls_datum_t der;

			if (!is_cert_label(&blk))
				continue;
			n++;
			if ((ret = iox_pem_decode(&der, &blk)) < 0) {
				char where[48];

				snprintf(where, sizeof(where), "certificate #%zu", n);
				iox_error_prefix(where);
				return ret;
			}
			ret = push_der(tmp, der.data, der.size, n);
			gnutls_free(der.data);
			if (ret < 0)
				return ret;
		}
		if (ret < 0)
			return ret;
		return (int)n;
	}
	/* DER: one certificate or several back to back. */
	while (pos < size) {
		size_t tlv = der_tlv_size(data + pos, size - pos), rest;

		/* Tolerate trailing line ends or padding after the last one. */
		for (rest = pos; n > 0 && rest < size && strchr(" \t\r\n", data[rest]) && data[rest]; rest++)
			;
		if (n > 0 && rest == size)
			break;
		n++;
		if (tlv == 0) {
			if (n == 1 && data[0] != 0x30)
				return 0;
			return iox_error(IOTX509_EPARSE, "certificate #%zu: truncated or malformed DER", n);
		}
		if ((ret = push_der(tmp, data + pos, tlv, n)) < 0)
			return ret;
		pos += tlv;
	}
	return (int)n;
}

iotx509_error_code iotx509_certlist_import(iotx509_certlist **out, const unsigned char *data, size_t size)
{
	iotx509_certlist *list = NULL;
	int ret;

	if (out == NULL)
		return iox_error(IOTX509_EINVAL, "certificate list import: out is NULL");
	*out = NULL;
	if (data == NULL && size > 0)
		return iox_error(IOTX509_EINVAL, "certificate list import: NULL argument");
	if (size == 0)
		return iox_error(IOTX509_EPARSE, "no certificate: the input is empty");
	if ((ret = iotx509_certlist_new(&list)) < 0)
		return ret;
	ret = parse_certs(list, data, size);
	if (ret == 0)
		ret = iox_pem_present(data, size)
			      ? iox_error(IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found")
			      : iox_error(IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x%02x)",
					  data[0]);
	if (ret < 0) {
		iotx509_certlist_free(list);
		return ret;
	}
	*out = list;
	return 0;
}

static int load_file(iotx509_certlist *tmp, const char *path, int from_dir)
{
	iotx509_buf buf = IOTX509_BUF_INIT;
	size_t before = tmp->count;
	iox_error_saved saved;
	int ret;

	iox_error_save(&saved);
	if ((ret = iotx509_file_read(&buf, path)) < 0)
		return ret;
	if (buf.size == 0) {
		iotx509_buf_dispose(&buf);
		if (from_dir)
			return 0;
		return iox_error(IOTX509_EPARSE, "%s: no certificate: the file is empty", path);
	}
	ret = parse_certs(tmp, buf.data, buf.size);
	if (ret < 0 && from_dir && !iox_pem_present(buf.data, buf.size)) {
		/* Binary files in a directory (PKCS#12, DER keys) are not
		 * certificates: skip them rather than fail the whole pool. */
		while (tmp->count > before)
			iotx509_cert_free(tmp->certs[--tmp->count]);
		ret = 0;
		iox_error_restore(&saved);
	} else if (ret == 0 && !from_dir) {
		ret = iox_pem_present(buf.data, buf.size)
			      ? iox_error(IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found")
			      : iox_error(IOTX509_EPARSE, "not a certificate: neither PEM nor DER");
	}
	iotx509_buf_dispose(&buf);
	if (ret < 0) {
		iox_error_prefix(path);
		return ret;
	}
	return 0;
}

static int load_dir(iotx509_certlist *tmp, const char *path)
{
	char **paths;
	size_t n, i;
	int ret = iox_dir_list(&paths, &n, path);

	for (i = 0; ret == 0 && i < n; i++) {
		struct stat st;

		if (stat(paths[i], &st) == 0 && S_ISREG(st.st_mode))
			ret = load_file(tmp, paths[i], 1);
	}
	iox_dir_free(paths, n);
	if (ret == 0 && tmp->count == 0)
		ret = iox_error(IOTX509_ENOTFOUND, "%s: the directory holds no certificate", path);
	return ret;
}

iotx509_error_code iotx509_certlist_add_path(iotx509_certlist *list, const char *path)
{
	iotx509_certlist tmp = { NULL, 0, 0 };
	struct stat st;
	int ret;

	if (list == NULL || path == NULL)
		return iox_error(IOTX509_EINVAL, "certificate list add_path: NULL argument");
	if (stat(path, &st) != 0)
		return iox_error(errno == ENOENT ? IOTX509_ENOTFOUND : IOTX509_EIO, "%s: %s", path, strerror(errno));
	ret = S_ISDIR(st.st_mode) ? load_dir(&tmp, path) : load_file(&tmp, path, 0);
	if (ret >= 0)
		ret = certlist_splice(list, &tmp);
	while (tmp.count > 0)
		iotx509_cert_free(tmp.certs[--tmp.count]);
	free(tmp.certs);
	return ret < 0 ? ret : 0;
}

int iox_certlist_load_file(iotx509_certlist *list, const char *path, int lenient)
{
	iotx509_certlist tmp = { NULL, 0, 0 };
	int ret = load_file(&tmp, path, lenient);

	if (ret >= 0)
		ret = certlist_splice(list, &tmp);
	while (tmp.count > 0)
		iotx509_cert_free(tmp.certs[--tmp.count]);
	free(tmp.certs);
	return ret < 0 ? ret : 0;
}

iotx509_error_code iotx509_certlist_export_pem(iotx509_buf *out, const iotx509_certlist *list)
{
	iotx509_buf *pems;
	size_t i, total = 0;
	unsigned char *p;
	int ret = 0;

	if (out == NULL || list == NULL)
		return iox_error(IOTX509_EINVAL, "certificate list export: NULL argument");
	out->data = NULL;
	out->size = 0;
	if (list->count == 0)
		return iox_error(IOTX509_EINVAL, "certificate list export: the list is empty");
	pems = calloc(list->count, sizeof(*pems));
	if (pems == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	for (i = 0; i < list->count && ret == 0; i++) {
		/* iox_pem_encode guarantees the final newline of each block. */
		ret = iox_pem_encode(&pems[i], "CERTIFICATE", &list->certs[i]->der);
		total += pems[i].size;
	}
	if (ret == 0) {
		p = malloc(total + 1);
		if (p == NULL)
			ret = iox_error(IOTX509_ENOMEM, "out of memory");
		else {
			out->data = p;
			out->size = total;
			for (i = 0; i < list->count; i++) {
				memcpy(p, pems[i].data, pems[i].size);
				p += pems[i].size;
			}
			*p = '\0';
		}
	}
	for (i = 0; i < list->count; i++)
		iotx509_buf_dispose(&pems[i]);
	free(pems);
	return ret;
}

iotx509_error_code iotx509_certlist_save(const iotx509_certlist *list, const char *path, const iotx509_write_options *opts)
{
	iotx509_buf pem = IOTX509_BUF_INIT;
	unsigned int flags;
	int ret;

	if (path == NULL)
		return iox_error(IOTX509_EINVAL, "certificate list save: no path");
	if (iox_write_flags(&flags, opts) < 0)
		return IOTX509_EINVAL;
	if ((ret = iotx509_certlist_export_pem(&pem, list)) < 0)
		return ret;
	ret = iox_file_write(path, pem.data, pem.size, flags & ~(unsigned int)IOTX509_WRITE_PRIVATE);
	iotx509_buf_dispose(&pem);
	return ret;
}
