/*
 * Buffers, version, and small helpers shared by every module.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void iotx509_buf_dispose(iotx509_buf *buf)
{
	if (buf == NULL)
		return;
	if (buf->data != NULL) {
		gnutls_memset(buf->data, 0, buf->size);
		free(buf->data);
	}
	buf->data = NULL;
	buf->size = 0;
}

const char *iotx509_version(int *major, int *minor, int *patch)
{
	if (major)
		*major = IOTX509_VERSION_MAJOR;
	if (minor)
		*minor = IOTX509_VERSION_MINOR;
	if (patch)
		*patch = IOTX509_VERSION_PATCH;
	return IOTX509_VERSION_STRING;
}

int iox_buf_set(iotx509_buf *out, const void *data, size_t size)
{
	unsigned char *p = malloc(size + 1);

	if (p == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory allocating %zu bytes", size + 1);
	if (size)
		memcpy(p, data, size);
	p[size] = '\0';
	out->data = p;
	out->size = size;
	return 0;
}

int iox_buf_from_datum(iotx509_buf *out, gnutls_datum_t *datum)
{
	int err = iox_buf_set(out, datum->data, datum->size);

	iox_datum_wipe(datum);
	return err;
}

int iox_buf_from_pem_datum(iotx509_buf *out, gnutls_datum_t *datum)
{
	int need_nl = datum->size == 0 || datum->data[datum->size - 1] != '\n';
	unsigned char *p = malloc((size_t)datum->size + 2);

	if (p == NULL) {
		iox_datum_wipe(datum);
		return iox_error(IOTX509_ENOMEM, "out of memory");
	}
	memcpy(p, datum->data, datum->size);
	out->size = datum->size;
	if (need_nl)
		p[out->size++] = '\n';
	p[out->size] = '\0';
	out->data = p;
	iox_datum_wipe(datum);
	return 0;
}

void iox_datum_wipe(gnutls_datum_t *d)
{
	if (d->data != NULL) {
		gnutls_memset(d->data, 0, d->size);
		gnutls_free(d->data);
	}
	d->data = NULL;
	d->size = 0;
}

void iox_hex_upper(char *out, const unsigned char *data, size_t size)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < size; i++) {
		out[2 * i] = digits[data[i] >> 4];
		out[2 * i + 1] = digits[data[i] & 0x0f];
	}
	out[2 * size] = '\0';
}

char *iox_strdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		iox_error(IOTX509_ENOMEM, "out of memory");
	return p;
}

void iox_format_time(char *out, size_t size, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, size, "@%lld", (long long)t);
}
