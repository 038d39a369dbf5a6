/*
 * The single PEM reader: finds "-----BEGIN X-----" ... "-----END X-----"
 * blocks in text that may also contain anything else (CRLF line ends,
 * comments, "Bag Attributes", a stray "null" line, no final newline).
 */
#ifndef IOTX509_PEM_INTERNAL_H
#define IOTX509_PEM_INTERNAL_H

#include "internal.h"

typedef struct {
	const char *label;   /* points into the input; not NUL-terminated */
	size_t label_len;
	const unsigned char *block; /* from "-----BEGIN" to the end of "-----END ...-----" */
	size_t block_len;
	const unsigned char *body;  /* between the BEGIN and END lines */
	size_t body_len;
} iox_pem_block;

/* 1 if @data contains a PEM BEGIN line. */
int iox_pem_present(const unsigned char *data, size_t size);

/*
 * Find the next block at or after *pos. Returns 1 and advances *pos past it,
 * 0 when there are no more blocks, IOTX509_EPARSE for a BEGIN line without
 * its END line.
 */
int iox_pem_next(iox_pem_block *blk, const unsigned char *data, size_t size, size_t *pos);

/* 1 if the block's label equals @label. */
int iox_pem_label_is(const iox_pem_block *blk, const char *label);
/* 1 if the label ends in "PRIVATE KEY" (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1). */
int iox_pem_is_private_key(const iox_pem_block *blk);

/*
 * Decode the block's base64 body to DER (gnutls_free'd datum). Fails with
 * IOTX509_EPARSE on bad base64 or on RFC 1421 headers (encrypted PEM).
 */
int iox_pem_decode(gnutls_datum_t *der, const iox_pem_block *blk);

/* Decode whitespace-separated base64 text (no PEM armour) to DER. */
int iox_base64_decode(gnutls_datum_t *der, const unsigned char *text, size_t size);

/* Encode DER as PEM with @label into @out (ends with a newline). */
int iox_pem_encode(iotx509_buf *out, const char *label, const gnutls_datum_t *der);

#endif
