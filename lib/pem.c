/*
 * PEM scanning and base64 on top of GnuTLS's base64 codec.
 */
#include "pem-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

static const char BEGIN[] = "-----BEGIN ";
static const char END[] = "-----END ";
static const char DASHES[] = "-----";

static const unsigned char *find(const unsigned char *hay, size_t hay_len, const char *needle)
{
	size_t n = strlen(needle);

	if (hay_len < n)
		return NULL;
	return memmem(hay, hay_len, needle, n);
}

int iox_pem_present(const unsigned char *data, size_t size)
{
	return data != NULL && find(data, size, BEGIN) != NULL;
}

int iox_pem_next(iox_pem_block *blk, const unsigned char *data, size_t size, size_t *pos)
{
	const unsigned char *p, *end = data + size, *label, *label_end, *body, *e, *e_label;
	size_t label_len;

	for (;;) {
		if (*pos >= size)
			return 0;
		p = find(data + *pos, size - *pos, BEGIN);
		if (p == NULL)
			return 0;
		label = p + strlen(BEGIN);
		label_end = find(label, (size_t)(end - label), DASHES);
		/* A label is one line of printable text: otherwise this was not a
		 * BEGIN line; keep looking after it. */
		if (label_end == NULL || memchr(label, '\n', (size_t)(label_end - label)) != NULL ||
		    label_end == label) {
			*pos = (size_t)(label - data);
			continue;
		}
		break;
	}
	label_len = (size_t)(label_end - label);
	body = label_end + strlen(DASHES);

	/* The matching END line must carry the same label. */
	e = body;
	for (;;) {
		e = find(e, (size_t)(end - e), END);
		if (e == NULL)
			return iox_error(IOTX509_EPARSE, "PEM block '%.*s' has no END line",
					 (int)label_len, (const char *)label);
		e_label = e + strlen(END);
		if ((size_t)(end - e_label) >= label_len + strlen(DASHES) &&
		    memcmp(e_label, label, label_len) == 0 &&
		    memcmp(e_label + label_len, DASHES, strlen(DASHES)) == 0)
			break;
		e = e_label;
	}
	blk->label = (const char *)label;
	blk->label_len = label_len;
	blk->block = p;
	blk->block_len = (size_t)(e_label + label_len + strlen(DASHES) - p);
	blk->body = body;
	blk->body_len = (size_t)(e - body);
	*pos = (size_t)(blk->block + blk->block_len - data);
	return 1;
}

int iox_pem_label_is(const iox_pem_block *blk, const char *label)
{
	return strlen(label) == blk->label_len && memcmp(blk->label, label, blk->label_len) == 0;
}

int iox_pem_is_private_key(const iox_pem_block *blk)
{
	return blk->label_len >= 11 && memcmp(blk->label + blk->label_len - 11, "PRIVATE KEY", 11) == 0;
}

static int is_b64(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/' || c == '=';
}

int iox_base64_decode(gnutls_datum_t *der, const unsigned char *text, size_t size)
{
	unsigned char *clean;
	size_t i, n = 0;
	gnutls_datum_t in;
	int ret;

	der->data = NULL;
	der->size = 0;
	clean = malloc(size + 1);
	if (clean == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	for (i = 0; i < size; i++) {
		unsigned char c = text[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (!is_b64(c)) {
			free(clean);
			if (c == ':')
				return iox_error(IOTX509_EPARSE,
						 "PEM headers (e.g. legacy encrypted PEM) are not supported here");
			return iox_error(IOTX509_EPARSE, "invalid base64 character 0x%02x at offset %zu", c, i);
		}
		clean[n++] = c;
	}
	if (n == 0) {
		free(clean);
		return iox_error(IOTX509_EPARSE, "empty base64 body");
	}
	in.data = clean;
	in.size = (unsigned int)n;
	ret = gnutls_base64_decode2(&in, der);
	gnutls_memset(clean, 0, n);
	free(clean);
	if (ret < 0)
		return iox_error_gnutls(ret == GNUTLS_E_MEMORY_ERROR ? IOTX509_ENOMEM : IOTX509_EPARSE, ret,
					"invalid base64");
	if (der->size == 0) {
		gnutls_free(der->data);
		der->data = NULL;
		return iox_error(IOTX509_EPARSE, "base64 decodes to nothing");
	}
	return 0;
}

int iox_pem_decode(gnutls_datum_t *der, const iox_pem_block *blk)
{
	int err = iox_base64_decode(der, blk->body, blk->body_len);

	if (err < 0) {
		char label[64];

		snprintf(label, sizeof(label), "PEM block '%.*s'", (int)(blk->label_len > 40 ? 40 : blk->label_len),
			 blk->label);
		iox_error_prefix(label);
	}
	return err;
}

int iox_pem_encode(iotx509_buf *out, const char *label, const gnutls_datum_t *der)
{
	gnutls_datum_t pem = { NULL, 0 };
	int ret = gnutls_pem_base64_encode2(label, der, &pem);

	if (ret < 0)
		return iox_error_gnutls(iox_code_from_gnutls(ret), ret, "PEM encoding failed");
return iox_buf_from_pem_datum(out, &pem);
}
