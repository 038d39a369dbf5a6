/*
 * The certificate linter. It decodes the DER with its own ASN.1 module
 * (lib/pkix.asn, compiled by asn1Parser at build time) rather than through
 * GnuTLS's certificate parser, so it sees the encoding as it is: that is the
 * point of checking "DER canonical" and of linting input GnuTLS refuses.
 */
#include "internal.h"
#include "cert-internal.h"
#include "pem-internal.h"

#include <libtasn1.h>
#include <gnutls/x509.h>

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Generated from lib/pkix.asn. */
extern const asn1_static_node iox_pkix_asn1_tab[];

#define CN_MAX 64          /* RFC 5280 ub-common-name */
#define SERIAL_MAX 20      /* RFC 5280 4.1.2.2 */
#define SERIAL_MIN_RANDOM 8 /* 64 bits: CA/Browser Forum BR 7.1 */
/* Real certificates are a few KiB. The bound keeps libtasn1's work (it
 * sorts SET OF elements when re-encoding) and ours small on hostile input. */
#define LINT_MAX_DER (64u << 10)
#define LINT_MAX_ITEMS 1024 /* extensions, RDNs or attributes looked at */

#define OID_CN "2.5.4.3"
#define OID_BC "2.5.29.19"
#define OID_KU "2.5.29.15"
#define OID_EKU "2.5.29.37"
#define OID_SKI "2.5.29.14"
#define OID_AKI "2.5.29.35"
#define OID_SAN "2.5.29.17"
#define OID_KP_SERVER "1.3.6.1.5.5.7.3.1"
#define OID_KP_CLIENT "1.3.6.1.5.5.7.3.2"
#define OID_KP_ANY "2.5.29.37.0"
#define OID_RSA "1.2.840.113549.1.1.1"
#define OID_RSA_PSS "1.2.840.113549.1.1.10"

/* keyUsage bits, numbered as in RFC 5280 (bit 0 is the first bit). */
#define KU_DIGITAL_SIGNATURE 0
#define KU_KEY_ENCIPHERMENT 2
#define KU_KEY_CERT_SIGN 5
#define KU_DEFINED_BITS 9 /* digitalSignature (0) .. decipherOnly (8), RFC 5280 4.2.1.3 */
#define KU_MAX_OCTETS 2   /* what those bits need; GnuTLS reads no more */

struct finding {
	iotx509_lint_severity severity;
	const char *id; /* static */
	char *message;
	size_t cert;
};

struct iotx509_lint_result {
	struct finding *items;
	size_t count, cap;
	char **subjects;
	size_t certs;
};

struct ext_seen {
	int present, critical;
};

/* What one certificate says, gathered before the profile rules run. */
typedef struct {
	iotx509_lint_result *res;
	size_t index;
	int oom;
	asn1_node defs;
	asn1_node cert;
	const unsigned char *der;
	int der_len;
	int version; /* 0 = v1 .. 2 = v3 */
	int has_extensions;
	struct ext_seen bc, ku, eku, ski, aki, san;
	int is_ca, has_pathlen, aki_has_keyid;
	unsigned char ku_bits[2];
	int eku_client, eku_server, eku_any;
	int self_issued;
	int key_is_rsa;
} lint_ctx;

IOX_OPTS_TYPE(lint_opts_type, "lint options", IOTX509_LINT_OPTIONS_VERSION, sizeof(iotx509_lint_options));
static const iotx509_lint_options lint_opts_defaults = IOTX509_LINT_OPTIONS_INIT;

iotx509_error_code iotx509_lint_options_init(iotx509_lint_options *opts, unsigned int version)
{
	return iox_opts_init(opts, version, &lint_opts_defaults, &lint_opts_type);
}

const char *iotx509_lint_severity_name(iotx509_lint_severity severity)
{
	switch (severity) {
	case IOTX509_LINT_ERROR:
		return "error";
	case IOTX509_LINT_WARNING:
		return "warning";
	case IOTX509_LINT_INFO:
		return "info";
	}
	return "unknown";
}

static const char *const profile_names[] = {
	[IOTX509_LINT_PROFILE_AUTO] = "auto",
	[IOTX509_LINT_PROFILE_CA] = "ca",
	[IOTX509_LINT_PROFILE_DEVICE] = "device",
	[IOTX509_LINT_PROFILE_SERVER] = "server",
};
#define N_PROFILES (sizeof(profile_names) / sizeof(profile_names[0]))

iotx509_error_code iotx509_lint_profile_from_name(iotx509_lint_profile *out, const char *name)
{
	size_t i;

	if (out == NULL || name == NULL)
		return iox_error(IOTX509_EINVAL, "lint profile: no name given");
	for (i = 0; i < N_PROFILES; i++) {
		if (strcmp(name, profile_names[i]) == 0) {
			*out = (iotx509_lint_profile)i;
			return 0;
		}
	}
	return iox_error(IOTX509_EINVAL, "unknown lint profile '%s' (expected auto, ca, device or server)", name);
}

const char *iotx509_lint_profile_name(iotx509_lint_profile profile)
{
	return (unsigned int)profile < N_PROFILES ? profile_names[profile] : "unknown";
}

/* ---- results ---- */

static void add(lint_ctx *ctx, iotx509_lint_severity sev, const char *id, const char *fmt, ...) IOX_PRINTF(4, 5);

static void add(lint_ctx *ctx, iotx509_lint_severity sev, const char *id, const char *fmt, ...)
{
	iotx509_lint_result *res = ctx->res;
	char msg[512];
	va_list ap;

	if (ctx->oom)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (IOX_ARRAY_GROW(res->items, res->cap, res->count, 8) < 0) {
		ctx->oom = 1;
		return;
	}
	res->items[res->count].message = strdup(msg);
	if (res->items[res->count].message == NULL) {
		ctx->oom = 1;
		return;
	}
	res->items[res->count].severity = sev;
	res->items[res->count].id = id;
	res->items[res->count].cert = ctx->index;
	res->count++;
}

#define ERR(ctx, id, ...) add(ctx, IOTX509_LINT_ERROR, id, __VA_ARGS__)
#define WARN(ctx, id, ...) add(ctx, IOTX509_LINT_WARNING, id, __VA_ARGS__)
#define INFO(ctx, id, ...) add(ctx, IOTX509_LINT_INFO, id, __VA_ARGS__)

static int result_new(iotx509_lint_result **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : iox_error(IOTX509_ENOMEM, "out of memory");
}

static int result_add_cert(iotx509_lint_result *res)
{
	char **s = realloc(res->subjects, (res->certs + 1) * sizeof(*s));

	if (s == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	res->subjects = s;
	s[res->certs] = NULL;
	res->certs++;
	return 0;
}

void iotx509_lint_result_free(iotx509_lint_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < res->count; i++)
		free(res->items[i].message);
	for (i = 0; i < res->certs; i++)
		free(res->subjects[i]);
	free(res->items);
	free(res->subjects);
	free(res);
}

size_t iotx509_lint_result_count(const iotx509_lint_result *res)
{
	return res ? res->count : 0;
}

size_t iotx509_lint_result_severity_count(const iotx509_lint_result *res, iotx509_lint_severity severity)
{
	size_t i, n = 0;

	if (res == NULL)
		return 0;
	for (i = 0; i < res->count; i++)
		if (res->items[i].severity == severity)
			n++;
	return n;
}

iotx509_lint_severity iotx509_lint_result_get_severity(const iotx509_lint_result *res, size_t index)
{
	return res && index < res->count ? res->items[index].severity : (iotx509_lint_severity)0;
}

const char *iotx509_lint_result_get_id(const iotx509_lint_result *res, size_t index)
{
	return res && index < res->count ? res->items[index].id : NULL;
}

const char *iotx509_lint_result_get_message(const iotx509_lint_result *res, size_t index)
{
	return res && index < res->count ? res->items[index].message : NULL;
}

size_t iotx509_lint_result_get_cert_index(const iotx509_lint_result *res, size_t index)
{
	return res && index < res->count ? res->items[index].cert : 0;
}

size_t iotx509_lint_result_cert_count(const iotx509_lint_result *res)
{
	return res ? res->certs : 0;
}

const char *iotx509_lint_result_get_subject(const iotx509_lint_result *res, size_t cert_index)
{
	if (res == NULL || cert_index >= res->certs)
		return NULL;
	return res->subjects[cert_index] ? res->subjects[cert_index] : "";
}

int iotx509_lint_result_has(const iotx509_lint_result *res, const char *id)
{
	size_t i;

	if (res == NULL || id == NULL)
		return 0;
	for (i = 0; i < res->count; i++)
		if (strcmp(res->items[i].id, id) == 0)
			return 1;
	return 0;
}

/* ---- ASN.1 helpers ---- */

/* libtasn1's error description starts with ": " or ":: "; drop that.
 * Without a description, say what the code means. */
static const char *asn1_reason(const char *desc, int ret)
{
	while (*desc == ':' || *desc == ' ')
		desc++;
	if (*desc)
		return desc;
	switch (ret) {
	case ASN1_DER_ERROR:
		return "truncated or invalid encoding";
	case ASN1_DER_OVERFLOW:
		return "a length runs past the end of the input";
	case ASN1_TAG_ERROR:
		return "unexpected tag";
	default:
		return asn1_strerror(ret);
	}
}

/*
 * Decode @der as @type. Lenient first (what any parser would accept), then
 * as strict DER, then re-encode and compare: the last two turn encoding
 * mistakes into der-not-canonical findings about @what. Returns 0 with
 * *node set, or -1 when the input does not decode at all (@reason says why).
 */
static int decode_checked(lint_ctx *ctx, asn1_node *node, const char *type, const unsigned char *der, int len,
			  const char *what, char reason[ASN1_MAX_ERROR_DESCRIPTION_SIZE], int *consumed)
{
	char desc[ASN1_MAX_ERROR_DESCRIPTION_SIZE] = "";
	asn1_node strict = NULL;
	unsigned char *re = NULL;
	int used = len, ret, relen = 0;

	*node = NULL;
	reason[0] = '\0';
	if ((ret = asn1_create_element(ctx->defs, type, node)) != ASN1_SUCCESS) {
		snprintf(reason, ASN1_MAX_ERROR_DESCRIPTION_SIZE, "%s", asn1_strerror(ret));
		ctx->oom = 1;
		return -1;
	}
	ret = asn1_der_decoding2(node, der, &used, ASN1_DECODE_FLAG_ALLOW_PADDING | ASN1_DECODE_FLAG_ALLOW_INCORRECT_TIME,
				 desc);
	if (ret != ASN1_SUCCESS) {
		snprintf(reason, ASN1_MAX_ERROR_DESCRIPTION_SIZE, "%s", asn1_reason(desc, ret));
		asn1_delete_structure(node);
		return -1;
	}
	if (consumed != NULL)
		*consumed = used;
	else if (used < len)
		ERR(ctx, "der-trailing-data", "%s: %d bytes follow the DER encoding", what, len - used);

	if (asn1_create_element(ctx->defs, type, &strict) != ASN1_SUCCESS) {
		ctx->oom = 1;
		return 0;
	}
	desc[0] = '\0';
	ret = asn1_der_decoding2(&strict, der, &used, ASN1_DECODE_FLAG_STRICT_DER | ASN1_DECODE_FLAG_ALLOW_INCORRECT_TIME,
				 desc);
	asn1_delete_structure(&strict);
	if (ret != ASN1_SUCCESS) {
		ERR(ctx, "der-not-canonical", "%s is BER but not DER (%s)", what,
		    desc[0] ? asn1_reason(desc, ret) : "indefinite length or another encoding DER forbids");
		return 0;
	}
	/* libtasn1 re-encodes in canonical form (minimal lengths, BOOLEAN TRUE
	 * as 0xFF, SET OF sorted), so any difference is a DER violation. */
	ret = asn1_der_coding(*node, "", NULL, &relen, desc);
	if (ret != ASN1_MEM_ERROR || relen <= 0)
		return 0; /* not re-encodable (e.g. a malformed time): nothing to compare */
	if ((re = malloc((size_t)relen)) == NULL) {
		ctx->oom = 1;
		return 0;
	}
	ret = asn1_der_coding(*node, "", re, &relen, desc);
	if (ret == ASN1_SUCCESS && (relen != used || memcmp(re, der, (size_t)used) != 0)) {
		int off = 0;

		while (off < relen && off < used && re[off] == der[off])
			off++;
		ERR(ctx, "der-not-canonical", "%s is not canonical DER: its DER re-encoding differs from byte %d on",
		    what, off);
	}
	free(re);
	return 0;
}

/* Start and length of element @name inside the certificate's DER. */
static int element_span(lint_ctx *ctx, const char *name, const unsigned char **p, int *len)
{
	int start, end;

	if (asn1_der_decoding_startEnd(ctx->cert, ctx->der, ctx->der_len, name, &start, &end) != ASN1_SUCCESS)
		return -1;
	*p = ctx->der + start;
	*len = end - start + 1;
	return 0;
}

/* Read a value of any length (malloc'd, NUL-terminated). Not for BIT
 * STRINGs, whose length libtasn1 gives in bits. Returns 0, -1 when the
 * value cannot be read, -2 when out of memory. */
static int read_alloc(asn1_node node, const char *name, unsigned char **out, int *len)
{
	int size = 0, ret = asn1_read_value(node, name, NULL, &size);

	*out = NULL;
	*len = 0;
	if (ret == ASN1_SUCCESS) {
		*out = calloc(1, 1);
		return *out ? 0 : -2;
	}
	if (ret != ASN1_MEM_ERROR || size < 0)
		return -1;
	if ((*out = malloc((size_t)size + 1)) == NULL)
		return -2;
	*len = size;
	if (asn1_read_value(node, name, *out, len) != ASN1_SUCCESS) {
		free(*out);
		*out = NULL;
		return -1;
	}
	(*out)[*len] = '\0';
	return 0;
}

static void read_oid(asn1_node node, const char *name, char *oid, size_t size)
{
	int len = (int)size;

	if (asn1_read_value(node, name, oid, &len) != ASN1_SUCCESS)
		snprintf(oid, size, "(unreadable OID)");
}

static int present(lint_ctx *ctx, const char *name)
{
	const unsigned char *p;
	int len;

	return element_span(ctx, name, &p, &len) == 0;
}

/* ---- version, serial, algorithms, validity ---- */

static void check_version(lint_ctx *ctx)
{
	unsigned char v[8];
	int len = sizeof(v), i;
	long value = 0;

	ctx->version = 0;
	if (!present(ctx, "tbsCertificate.version"))
		return;
	if (asn1_read_value(ctx->cert, "tbsCertificate.version", v, &len) != ASN1_SUCCESS || len < 1 || len > 4 ||
	    (v[0] & 0x80)) {
		ctx->version = -1;
		ERR(ctx, "version-invalid", "version is not 1, 2 or 3");
		return;
	}
	for (i = 0; i < len; i++)
		value = (value << 8) | v[i];
	if (value > 2) {
		ctx->version = -1;
		ERR(ctx, "version-invalid", "version field is %ld (version %ld); only 1, 2 and 3 exist", value, value + 1);
		return;
	}
	ctx->version = (int)value;
	if (value == 0)
		ERR(ctx, "der-not-canonical", "version 1 is encoded explicitly; DER omits a DEFAULT value");
}

static void check_serial(lint_ctx *ctx)
{
	unsigned char *s = NULL;
	int len = 0, i, zero = 1, skip = 0;
	char hex[2 * 8 + 1];

	if ((i = read_alloc(ctx->cert, "tbsCertificate.serialNumber", &s, &len)) < 0) {
		ctx->oom = i == -2;
		return;
	}
	if (len == 0) {
		ERR(ctx, "der-not-canonical", "serialNumber is an INTEGER without content octets");
		ERR(ctx, "serial-zero", "serialNumber is empty (zero)");
		free(s);
		return;
	}
	if (len > 1 && ((s[0] == 0x00 && !(s[1] & 0x80)) || (s[0] == 0xff && (s[1] & 0x80))))
		ERR(ctx, "der-not-canonical", "serialNumber INTEGER has a redundant leading octet 0x%02x", s[0]);
	for (i = 0; i < len; i++)
		if (s[i] != 0)
			zero = 0;
	if (s[0] & 0x80) {
		ERR(ctx, "serial-negative", "serialNumber is negative (first octet 0x%02x); it must be positive", s[0]);
	} else if (zero) {
		ERR(ctx, "serial-zero", "serialNumber is 0; it must be a positive integer");
	} else {
		while (skip < len - 1 && s[skip] == 0)
			skip++;
		if (len - skip > SERIAL_MAX)
			ERR(ctx, "serial-too-long", "serialNumber is %d octets long; at most %d are allowed", len - skip,
			    SERIAL_MAX);
		else if (len - skip < SERIAL_MIN_RANDOM) {
			iox_hex_upper(hex, s + skip, (size_t)(len - skip));
			INFO(ctx, "serial-low-entropy",
			     "serialNumber 0x%s has %d octet%s: a CA should use at least 64 random bits", hex, len - skip,
			     len - skip == 1 ? "" : "s");
		}
	}
	free(s);
}

static void check_signature_algorithms(lint_ctx *ctx)
{
	const unsigned char *a, *b;
	int alen, blen;
	char oa[128], ob[128];

	if (element_span(ctx, "tbsCertificate.signature", &a, &alen) < 0 ||
	    element_span(ctx, "signatureAlgorithm", &b, &blen) < 0)
		return;
	if (alen == blen && memcmp(a, b, (size_t)alen) == 0)
		return;
	read_oid(ctx->cert, "tbsCertificate.signature.algorithm", oa, sizeof(oa));
	read_oid(ctx->cert, "signatureAlgorithm.algorithm", ob, sizeof(ob));
	if (strcmp(oa, ob) != 0)
		ERR(ctx, "signature-algorithm-mismatch",
		    "tbsCertificate.signature is %s but signatureAlgorithm is %s; they must be identical", oa, ob);
	else
		ERR(ctx, "signature-algorithm-mismatch",
		    "tbsCertificate.signature and signatureAlgorithm (%s) differ in their parameters; they must be identical",
		    oa);
}

/* The value of @n (at most 4) decimal digits, or -1. */
static int digits(const char *s, int n)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int all_digits(const char *s, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Check one Time; returns 0 and the time in *t, or -1 when unusable. */
static int check_time(lint_ctx *ctx, const char *field, int64_t *t)
{
	char name[64], choice[32], value[64];
	int len = sizeof(choice), generalized, year, mon, day, h, m, s, off, dim;
	static const int days_in_month[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	snprintf(name, sizeof(name), "tbsCertificate.validity.%s", field);
	if (asn1_read_value(ctx->cert, name, choice, &len) != ASN1_SUCCESS)
		return -1;
	generalized = strcmp(choice, "generalTime") == 0;
	snprintf(name, sizeof(name), "tbsCertificate.validity.%s.%s", field, generalized ? "generalTime" : "utcTime");
	len = sizeof(value) - 1;
	if (asn1_read_value(ctx->cert, name, value, &len) != ASN1_SUCCESS) {
		ERR(ctx, "validity-time-format", "%s is not a readable %s", field,
		    generalized ? "GeneralizedTime" : "UTCTime");
		return -1;
	}
	value[len] = '\0';
	len = (int)strlen(value); /* libtasn1 may count a terminating NUL */
	off = generalized ? 2 : 0;
	if ((size_t)len != (generalized ? 15u : 13u) || value[len - 1] != 'Z' || !all_digits(value, len - 1)) {
		ERR(ctx, "validity-time-format", "%s %s '%.40s' is not in the form %s", field,
		    generalized ? "GeneralizedTime" : "UTCTime", value, generalized ? "YYYYMMDDHHMMSSZ" : "YYMMDDHHMMSSZ");
		return -1;
	}
	year = generalized ? digits(value, 4) : digits(value, 2);
	if (!generalized)
		year += year < 50 ? 2000 : 1900;
	mon = digits(value + off + 2, 2);
	day = digits(value + off + 4, 2);
	h = digits(value + off + 6, 2);
	m = digits(value + off + 8, 2);
	s = digits(value + off + 10, 2);
	dim = mon >= 1 && mon <= 12 ? days_in_month[mon - 1] : 0;
	if (mon == 2 && !((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		dim = 28;
	if (day < 1 || day > dim || h > 23 || m > 59 || s > 59) {
		ERR(ctx, "validity-time-format", "%s '%s' is not a valid date and time", field, value);
		return -1;
	}
	if (generalized && year < 2050)
		ERR(ctx, "validity-generalized-before-2050",
		    "%s %s is a GeneralizedTime; dates before 2050 must be encoded as UTCTime", field, value);
	*t = days_from_civil(year, mon, day) * 86400 + h * 3600 + m * 60 + s;
	return 0;
}

static void check_validity(lint_ctx *ctx)
{
	int64_t nb = 0, na = 0;
	int a = check_time(ctx, "notBefore", &nb), b = check_time(ctx, "notAfter", &na);

	if (a == 0 && b == 0 && na < nb) {
		char t1[32], t2[32];

		iox_format_time(t1, sizeof(t1), nb);
		iox_format_time(t2, sizeof(t2), na);
		ERR(ctx, "validity-inverted", "notAfter %s is before notBefore %s", t2, t1);
	}
}

/* ---- names ---- */

/* Characters in a DirectoryString value (the TLV of an attribute value);
 * -1 when it is not a DirectoryString. */
static long directory_string_chars(lint_ctx *ctx, const unsigned char *der, int len)
{
	char desc[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
	char choice[32];
	asn1_node ds = NULL;
	unsigned char *v = NULL;
	int clen = sizeof(choice), vlen = 0, i;
	long n = -1;

	if (asn1_create_element(ctx->defs, "IOTX509-PKIX.DirectoryString", &ds) != ASN1_SUCCESS)
		return -1;
	if (asn1_der_decoding(&ds, der, len, desc) != ASN1_SUCCESS ||
	    asn1_read_value(ds, "", choice, &clen) != ASN1_SUCCESS || read_alloc(ds, choice, &v, &vlen) < 0)
		goto out;
	if (strcmp(choice, "utf8String") == 0) {
		for (n = 0, i = 0; i < vlen; i++)
			if ((v[i] & 0xc0) != 0x80)
				n++;
	} else if (strcmp(choice, "bmpString") == 0) {
		n = vlen / 2;
	} else if (strcmp(choice, "universalString") == 0) {
		n = vlen / 4;
	} else {
		n = vlen;
	}
out:
	free(v);
	asn1_delete_structure(&ds);
	return n;
}

/* Count a name's attributes and check its RDNs and CNs. Returns the
 * attribute count (0: the name is empty). At most LINT_MAX_ITEMS RDNs and
 * attributes are looked at: libtasn1 finds the i-th element by walking the
 * list, so each costs O(i). */
static long check_name(lint_ctx *ctx, const char *field)
{
	char name[128], oid[128];
	int rdns = 0, avas, i, j, vlen, first_empty = 0, cns = 0, subject = strcmp(field, "subject") == 0;
	long total = 0, items = 0, chars;
	unsigned char *v;

	snprintf(name, sizeof(name), "tbsCertificate.%s.rdnSequence", field);
	if (asn1_number_of_elements(ctx->cert, name, &rdns) != ASN1_SUCCESS)
		return 0;
	for (i = 1; i <= rdns && items < LINT_MAX_ITEMS; i++) {
		items++;
		snprintf(name, sizeof(name), "tbsCertificate.%s.rdnSequence.?%d", field, i);
		if (asn1_number_of_elements(ctx->cert, name, &avas) != ASN1_SUCCESS || avas == 0) {
			if (first_empty == 0)
				first_empty = i;
			continue;
		}
		for (j = 1; j <= avas && items < LINT_MAX_ITEMS; j++) {
			items++;
			total++;
			snprintf(name, sizeof(name), "tbsCertificate.%s.rdnSequence.?%d.?%d.type", field, i, j);
			read_oid(ctx->cert, name, oid, sizeof(oid));
			if (strcmp(oid, OID_CN) != 0)
				continue;
			cns++;
			snprintf(name, sizeof(name), "tbsCertificate.%s.rdnSequence.?%d.?%d.value", field, i, j);
			if (read_alloc(ctx->cert, name, &v, &vlen) < 0)
				continue;
			chars = directory_string_chars(ctx, v, vlen);
			free(v);
			if (chars > CN_MAX)
				ERR(ctx, subject ? "subject-cn-too-long" : "issuer-cn-too-long",
				    "%s commonName is %ld characters long; at most %d are allowed", field, chars, CN_MAX);
		}
	}
	if (i <= rdns && total == 0)
		total = 1; /* RDNs left unread: not known to be empty */
	if (first_empty > 0)
		ERR(ctx, subject ? "subject-empty-rdn" : "issuer-empty-rdn",
		    "RDN %d of %d in the %s name is empty; RFC 5280 requires at least one attribute in each", first_empty,
		    rdns, field);
	/* The CN is the device's identity; with several, readers disagree on
	 * which one it is. The issuer's own certificate gets this finding. */
	if (subject && cns > 1)
		ERR(ctx, "subject-cn-multiple",
		    "the subject has %d commonName attributes; readers disagree on which one names the certificate "
		    "(OpenSSL and GnuTLS take the first, Go the last)", cns);
	return total;
}

static void set_subject(lint_ctx *ctx)
{
	const unsigned char *p;
	gnutls_datum_t in, out = { NULL, 0 };
	int len;
	char *s;

	if (element_span(ctx, "tbsCertificate.subject", &p, &len) < 0)
		return;
	in.data = (unsigned char *)p;
	in.size = (unsigned int)len;
	if (gnutls_x509_rdn_get2(&in, &out, 0) < 0)
		return;
	s = malloc(out.size + 1);
	if (s != NULL) {
		/* A name of empty RDNs comes back as size 0 with no data. */
		if (out.size > 0)
			memcpy(s, out.data, out.size);
		s[out.size] = '\0';
		ctx->res->subjects[ctx->index] = s;
	} else {
		ctx->oom = 1;
	}
	gnutls_free(out.data);
}

/* ---- extensions ---- */

static const char *ext_name(const char *oid)
{
	static const struct {
		const char *oid, *name;
	} known[] = {
		{ OID_BC, "basicConstraints" },
		{ OID_KU, "keyUsage" },
		{ OID_EKU, "extendedKeyUsage" },
		{ OID_SKI, "subjectKeyIdentifier" },
		{ OID_AKI, "authorityKeyIdentifier" },
		{ OID_SAN, "subjectAltName" },
		{ "2.5.29.18", "issuerAltName" },
		{ "2.5.29.9", "subjectDirectoryAttributes" },
		{ "2.5.29.30", "nameConstraints" },
		{ "2.5.29.32", "certificatePolicies" },
		{ "2.5.29.33", "policyMappings" },
		{ "2.5.29.36", "policyConstraints" },
		{ "2.5.29.54", "inhibitAnyPolicy" },
		{ "2.5.29.31", "cRLDistributionPoints" },
		{ "1.3.6.1.5.5.7.1.1", "authorityInfoAccess" },
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(oid, known[i].oid) == 0)
			return known[i].name;
	return NULL;
}

/* Decode an extension value as @type; NULL (and a finding) when it does not. */
static asn1_node decode_ext(lint_ctx *ctx, const char *type, const char *what, const unsigned char *v, int vlen)
{
	char reason[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
	asn1_node node = NULL;

	if (decode_checked(ctx, &node, type, v, vlen, what, reason, NULL) < 0) {
		ERR(ctx, "extension-malformed", "%s does not decode: %s", what, reason);
		return NULL;
	}
	return node;
}

static void ext_basic_constraints(lint_ctx *ctx, const unsigned char *v, int vlen)
{
	asn1_node n = decode_ext(ctx, "IOTX509-PKIX.BasicConstraints", "basicConstraints", v, vlen);
	char val[16];
	int len = sizeof(val), s, e, ret;

	if (n == NULL)
		return;
	if (asn1_read_value(n, "cA", val, &len) == ASN1_SUCCESS && strcmp(val, "TRUE") == 0)
		ctx->is_ca = 1;
	else if (asn1_der_decoding_startEnd(n, v, vlen, "cA", &s, &e) == ASN1_SUCCESS)
		ERR(ctx, "der-not-canonical", "basicConstraints cA FALSE is encoded explicitly; DER omits a DEFAULT value");
	len = sizeof(val);
	/* Present even when too long for val (a huge INTEGER). */
	ret = asn1_read_value(n, "pathLenConstraint", val, &len);
	ctx->has_pathlen = ret == ASN1_SUCCESS || ret == ASN1_MEM_ERROR;
	asn1_delete_structure(&n);
}

static void ext_key_usage(lint_ctx *ctx, const unsigned char *v, int vlen)
{
	asn1_node n = decode_ext(ctx, "IOTX509-PKIX.KeyUsage", "keyUsage", v, vlen);
	unsigned char *bits = NULL;
	int nbits = 0, octets, len, ret, i, highest = -1;

	if (n == NULL)
		return;
	/* For a BIT STRING, libtasn1 takes the buffer size in octets and
	 * returns the length in bits; asking without a buffer gives the bits. */
	ret = asn1_read_value(n, "", NULL, &nbits);
	if ((ret != ASN1_SUCCESS && ret != ASN1_MEM_ERROR) || nbits < 0) {
		ERR(ctx, "extension-malformed", "keyUsage BIT STRING is malformed: no unused-bits octet, or more unused "
		    "bits than content");
		goto out;
	}
	octets = nbits / 8 + (nbits % 8 != 0);
	/* At least the two octets ku_bits copies, zero beyond the value. */
	if ((bits = calloc((size_t)octets + sizeof(ctx->ku_bits), 1)) == NULL) {
		ctx->oom = 1;
		goto out;
	}
	len = octets;
	ret = asn1_read_value(n, "", bits, &len);
	if (ret == ASN1_MEM_ERROR) {
		/* More content octets than its bits need. */
		ERR(ctx, "extension-malformed", "keyUsage BIT STRING says more than 7 bits of its last octet are unused");
		goto out;
	}
	if (ret != ASN1_SUCCESS || len != nbits) {
		ERR(ctx, "extension-malformed", "keyUsage BIT STRING cannot be read (%s)", asn1_strerror(ret));
		goto out;
	}
	/* Ignore the unused bits of the last octet (BER lets them be set). */
	if (nbits % 8)
		bits[octets - 1] &= (unsigned char)(0xff << (8 - nbits % 8));
	for (i = 0; i < nbits; i++)
		if (bits[i / 8] & (0x80 >> (i % 8)))
			highest = i;
	/* DER for a named bit list: no trailing zero bits (X.690 11.2.2). */
	if (nbits > 0 && highest != nbits - 1)
		ERR(ctx, "der-not-canonical", "keyUsage BIT STRING has trailing zero bits (%d bits encoded)", nbits);
	memcpy(ctx->ku_bits, bits, sizeof(ctx->ku_bits));
	if (highest < 0)
		ERR(ctx, "key-usage-empty", "keyUsage has no bit set; at least one is required");
	if (octets > KU_MAX_OCTETS)
		ERR(ctx, "key-usage-too-long",
		    "keyUsage is %d octets long; RFC 5280 defines %d bits (%d octets), and GnuTLS cannot read a longer one",
		    octets, KU_DEFINED_BITS, KU_MAX_OCTETS);
	else if (highest >= KU_DEFINED_BITS)
		WARN(ctx, "key-usage-undefined-bits",
		     "keyUsage sets bit %d; RFC 5280 defines bits 0 (digitalSignature) to %d (decipherOnly) only", highest,
		     KU_DEFINED_BITS - 1);
out:
	free(bits);
	asn1_delete_structure(&n);
}

static int ku_has(const lint_ctx *ctx, int bit)
{
	return (ctx->ku_bits[bit / 8] & (0x80 >> (bit % 8))) != 0;
}

static void ext_ext_key_usage(lint_ctx *ctx, const unsigned char *v, int vlen)
{
	asn1_node n = decode_ext(ctx, "IOTX509-PKIX.ExtKeyUsageSyntax", "extendedKeyUsage", v, vlen);
	char name[32], oid[128];
	int count = 0, i;

	if (n == NULL)
		return;
	asn1_number_of_elements(n, "", &count);
	for (i = 1; i <= count && i <= LINT_MAX_ITEMS; i++) {
		snprintf(name, sizeof(name), "?%d", i);
		read_oid(n, name, oid, sizeof(oid));
		if (strcmp(oid, OID_KP_CLIENT) == 0)
			ctx->eku_client = 1;
		else if (strcmp(oid, OID_KP_SERVER) == 0)
			ctx->eku_server = 1;
		else if (strcmp(oid, OID_KP_ANY) == 0)
			ctx->eku_any = 1;
	}
	asn1_delete_structure(&n);
}

static void ext_aki(lint_ctx *ctx, const unsigned char *v, int vlen)
{
	asn1_node n = decode_ext(ctx, "IOTX509-PKIX.AuthorityKeyIdentifier", "authorityKeyIdentifier", v, vlen);
	unsigned char id[1];
	int len = 0, ret;

	if (n == NULL)
		return;
	ret = asn1_read_value(n, "keyIdentifier", id, &len);
	ctx->aki_has_keyid = ret == ASN1_SUCCESS || ret == ASN1_MEM_ERROR;
	asn1_delete_structure(&n);
}

static void ext_simple(lint_ctx *ctx, const char *type, const char *what, const unsigned char *v, int vlen)
{
	asn1_node n = decode_ext(ctx, type, what, v, vlen);

	asn1_delete_structure(&n);
}

static void check_extensions(lint_ctx *ctx)
{
	char name[96], oid[128], crit[8];
	char (*seen)[128] = NULL;
	int count = 0, i, j, len, s, e, vlen, critical;
	unsigned char *v;
	struct ext_seen *slot;

	if (!present(ctx, "tbsCertificate.extensions"))
		return;
	ctx->has_extensions = 1;
	if (ctx->version >= 0 && ctx->version != 2)
		ERR(ctx, "version-not-v3", "the certificate has extensions but is version %d; extensions require version 3",
		    ctx->version + 1);
	if (asn1_number_of_elements(ctx->cert, "tbsCertificate.extensions", &count) != ASN1_SUCCESS || count == 0) {
		ERR(ctx, "extensions-empty", "the extensions field is present but holds no extension");
		return;
	}
	if (count > LINT_MAX_ITEMS) {
		ERR(ctx, "extensions-too-many", "the certificate has %d extensions; only the first %d were checked", count,
		    LINT_MAX_ITEMS);
		count = LINT_MAX_ITEMS;
	}
	if ((seen = calloc((size_t)count, sizeof(*seen))) == NULL) {
		ctx->oom = 1;
		return;
	}
	for (i = 1; i <= count; i++) {
		snprintf(name, sizeof(name), "tbsCertificate.extensions.?%d.extnID", i);
		read_oid(ctx->cert, name, oid, sizeof(oid));
		memcpy(seen[i - 1], oid, sizeof(oid));
		for (j = 0; j < i - 1; j++) {
			if (strcmp(seen[j], oid) == 0) {
				ERR(ctx, "duplicate-extension", "extension %s%s%s%s appears more than once", oid,
				    ext_name(oid) ? " (" : "", ext_name(oid) ? ext_name(oid) : "", ext_name(oid) ? ")" : "");
				break;
			}
		}
		if (j < i - 1)
			continue; /* judge the first occurrence only */

		snprintf(name, sizeof(name), "tbsCertificate.extensions.?%d.critical", i);
		len = sizeof(crit);
		critical = asn1_read_value(ctx->cert, name, crit, &len) == ASN1_SUCCESS && strcmp(crit, "TRUE") == 0;
		if (!critical && asn1_der_decoding_startEnd(ctx->cert, ctx->der, ctx->der_len, name, &s, &e) == ASN1_SUCCESS)
			ERR(ctx, "der-not-canonical",
			    "extension %s has critical FALSE encoded explicitly; DER omits a DEFAULT value", oid);

		snprintf(name, sizeof(name), "tbsCertificate.extensions.?%d.extnValue", i);
		if ((j = read_alloc(ctx->cert, name, &v, &vlen)) < 0) {
			ctx->oom = j == -2;
			continue;
		}
		slot = NULL;
		if (strcmp(oid, OID_BC) == 0) {
			slot = &ctx->bc;
			ext_basic_constraints(ctx, v, vlen);
		} else if (strcmp(oid, OID_KU) == 0) {
			slot = &ctx->ku;
			ext_key_usage(ctx, v, vlen);
		} else if (strcmp(oid, OID_EKU) == 0) {
			slot = &ctx->eku;
			ext_ext_key_usage(ctx, v, vlen);
		} else if (strcmp(oid, OID_SKI) == 0) {
			slot = &ctx->ski;
			ext_simple(ctx, "IOTX509-PKIX.SubjectKeyIdentifier", "subjectKeyIdentifier", v, vlen);
		} else if (strcmp(oid, OID_AKI) == 0) {
			slot = &ctx->aki;
			ext_aki(ctx, v, vlen);
		} else if (strcmp(oid, OID_SAN) == 0) {
			slot = &ctx->san;
			ext_simple(ctx, "IOTX509-PKIX.SubjectAltName", "subjectAltName", v, vlen);
		} else if (critical && ext_name(oid) == NULL) {
			WARN(ctx, "unknown-critical-extension",
			     "extension %s is critical but unknown here; verifiers that do not know it must reject the certificate",
			     oid);
		}
		free(v);
		if (slot != NULL) {
			slot->present = 1;
			slot->critical = critical;
		}
	}
	free(seen);
}

/* ---- profile rules ---- */

static void check_profile(lint_ctx *ctx, iotx509_lint_profile want)
{
	iotx509_lint_profile profile = want;

	if (profile == IOTX509_LINT_PROFILE_AUTO) {
		if (ctx->is_ca)
			profile = IOTX509_LINT_PROFILE_CA;
		else if (ctx->eku.present && ctx->eku_server && !ctx->eku_client)
			profile = IOTX509_LINT_PROFILE_SERVER;
		else
			profile = IOTX509_LINT_PROFILE_DEVICE;
	} else if (profile == IOTX509_LINT_PROFILE_CA && !ctx->is_ca) {
		ERR(ctx, "profile-not-ca", "a CA certificate was expected but basicConstraints does not say CA:TRUE");
	} else if (profile != IOTX509_LINT_PROFILE_CA && ctx->is_ca) {
		ERR(ctx, "profile-is-ca", "a %s certificate was expected but basicConstraints says CA:TRUE",
		    profile == IOTX509_LINT_PROFILE_SERVER ? "server" : "device");
	}

	if (ctx->is_ca) {
		if (!ctx->bc.critical)
			ERR(ctx, "ca-basic-constraints-not-critical", "basicConstraints of a CA certificate must be critical");
		if (!ctx->ku.present)
			ERR(ctx, "ca-missing-key-usage",
			    "CA certificate without keyUsage; it must assert keyCertSign (strict verifiers reject chains through it)");
		else if (!ku_has(ctx, KU_KEY_CERT_SIGN))
			ERR(ctx, "ca-key-usage-no-cert-sign", "CA certificate whose keyUsage lacks keyCertSign");
		if (!ctx->ski.present)
			ERR(ctx, "ca-missing-ski", "CA certificate without subjectKeyIdentifier");
	} else {
		if (ctx->has_pathlen)
			ERR(ctx, "pathlen-without-ca", "pathLenConstraint is set but basicConstraints does not say CA:TRUE");
		if (ctx->ku.present && ku_has(ctx, KU_KEY_CERT_SIGN))
			ERR(ctx, "key-cert-sign-not-ca", "keyUsage asserts keyCertSign but basicConstraints does not say CA:TRUE");
		if (!ctx->ku.present)
			WARN(ctx, "ee-missing-key-usage",
			     "end-entity certificate without keyUsage (expected digitalSignature)");
		if (!ctx->ski.present)
			WARN(ctx, "ee-missing-ski", "end-entity certificate without subjectKeyIdentifier");
	}
	if (ctx->ku.present) {
		if (!ctx->ku.critical)
			WARN(ctx, "key-usage-not-critical", "keyUsage should be marked critical");
		if (ku_has(ctx, KU_KEY_ENCIPHERMENT) && !ctx->key_is_rsa)
			WARN(ctx, "key-usage-key-encipherment-not-rsa",
			     "keyUsage asserts keyEncipherment but the key is not RSA and cannot encipher keys");
	}
	if (ctx->ski.present && ctx->ski.critical)
		ERR(ctx, "key-identifier-critical", "subjectKeyIdentifier must not be critical");
	if (ctx->aki.present && ctx->aki.critical)
		ERR(ctx, "key-identifier-critical", "authorityKeyIdentifier must not be critical");
	if (!ctx->self_issued) {
		if (!ctx->aki.present)
			ERR(ctx, "missing-aki",
			    "the certificate is not self-issued but has no authorityKeyIdentifier (needed to find its issuer)");
		else if (!ctx->aki_has_keyid)
			ERR(ctx, "missing-aki", "authorityKeyIdentifier has no keyIdentifier");
	}

	if (ctx->is_ca)
		return;
	if (profile == IOTX509_LINT_PROFILE_DEVICE) {
		if (!ctx->eku.present) {
			if (want == IOTX509_LINT_PROFILE_DEVICE)
				ERR(ctx, "device-missing-client-auth",
				    "device certificate without extendedKeyUsage; clientAuth is required");
			else
				WARN(ctx, "ee-missing-ext-key-usage",
				     "end-entity certificate without extendedKeyUsage (a device needs clientAuth)");
		} else if (!ctx->eku_client && !ctx->eku_any) {
			ERR(ctx, "device-missing-client-auth",
			    "device certificate whose extendedKeyUsage lacks clientAuth; TLS client authentication will fail");
		}
	} else if (profile == IOTX509_LINT_PROFILE_SERVER) {
		if (!ctx->eku.present || (!ctx->eku_server && !ctx->eku_any))
			ERR(ctx, "server-missing-server-auth", "server certificate without extendedKeyUsage serverAuth");
		if (!ctx->san.present)
			ERR(ctx, "server-missing-san", "server certificate without subjectAltName; TLS clients match names there");
	}
}

/* ---- one certificate ---- */

static int lint_one(iotx509_lint_result *res, const unsigned char *der, size_t size, iotx509_lint_profile profile)
{
	static const char *const required[] = {
		"tbsCertificate.serialNumber", "tbsCertificate.signature", "tbsCertificate.issuer",
		"tbsCertificate.validity.notBefore", "tbsCertificate.validity.notAfter", "tbsCertificate.subject",
		"tbsCertificate.subjectPublicKeyInfo", "signatureAlgorithm", "signature",
	};
	char reason[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
	size_t i;
	lint_ctx ctx;
	const unsigned char *is, *sub;
	int ret, used = 0, ilen, slen;
	long subject_attrs;
	char oid[128];

	if (size == 0)
		return iox_error(IOTX509_EPARSE, "no certificate: the input is empty");
	if (size > LINT_MAX_DER)
		return iox_error(IOTX509_EPARSE, "input of %zu bytes is too large for a certificate (the linter takes up to %u)",
				 size, LINT_MAX_DER);
	if ((ret = result_add_cert(res)) < 0)
		return ret;
	memset(&ctx, 0, sizeof(ctx));
	ctx.res = res;
	ctx.index = res->certs - 1;
	ctx.der = der;
	if ((ret = asn1_array2tree(iox_pkix_asn1_tab, &ctx.defs, reason)) != ASN1_SUCCESS)
		return iox_error(ret == ASN1_MEM_ERROR ? IOTX509_ENOMEM : IOTX509_ECRYPTO,
				 "lint: cannot load the PKIX ASN.1 module: %s", reason);
	if (decode_checked(&ctx, &ctx.cert, "IOTX509-PKIX.Certificate", der, (int)size, "the certificate", reason,
			   &used) < 0) {
		asn1_delete_structure(&ctx.defs);
		if (ctx.oom)
			return iox_error(IOTX509_ENOMEM, "out of memory");
		return iox_error(IOTX509_EPARSE, "not an X.509 certificate: the DER does not decode (%s)", reason);
	}
	ctx.der_len = used;
	/* libtasn1 accepts a SEQUENCE that ends early; every rule below needs
	 * these elements, so their absence makes it no certificate at all. */
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (!present(&ctx, required[i])) {
			asn1_delete_structure(&ctx.cert);
			asn1_delete_structure(&ctx.defs);
			return iox_error(IOTX509_EPARSE, "not an X.509 certificate: %s is missing", required[i]);
		}
	}
	if ((size_t)used < size)
		ERR(&ctx, "der-trailing-data", "%zu bytes follow the certificate's DER encoding", size - (size_t)used);

	set_subject(&ctx);
	check_version(&ctx);
	check_serial(&ctx);
	check_signature_algorithms(&ctx);
	check_validity(&ctx);
	if (check_name(&ctx, "issuer") == 0)
		ERR(&ctx, "issuer-empty", "the issuer name is empty");
	subject_attrs = check_name(&ctx, "subject");
	read_oid(ctx.cert, "tbsCertificate.subjectPublicKeyInfo.algorithm.algorithm", oid, sizeof(oid));
	ctx.key_is_rsa = strcmp(oid, OID_RSA) == 0 || strcmp(oid, OID_RSA_PSS) == 0;
	check_extensions(&ctx);
	if (subject_attrs == 0 && !(ctx.san.present && ctx.san.critical))
		ERR(&ctx, "subject-empty", "the subject name is empty and there is no critical subjectAltName");
	ctx.self_issued = element_span(&ctx, "tbsCertificate.issuer", &is, &ilen) == 0 &&
			  element_span(&ctx, "tbsCertificate.subject", &sub, &slen) == 0 && ilen == slen &&
			  memcmp(is, sub, (size_t)ilen) == 0;
	check_profile(&ctx, profile);

	asn1_delete_structure(&ctx.cert);
	asn1_delete_structure(&ctx.defs);
	if (ctx.oom)
		return iox_error(IOTX509_ENOMEM, "out of memory while linting");
	return 0;
}

/* Reads the caller's options into @copy (only its version's fields) and points *@opts at it. */
static int check_opts(const iotx509_lint_options **opts, iotx509_lint_options *copy)
{
	if (iox_opts_read(copy, *opts, &lint_opts_defaults, &lint_opts_type) < 0)
		return IOTX509_EINVAL;
	*opts = copy;
	if ((unsigned int)(*opts)->profile > IOTX509_LINT_PROFILE_SERVER)
		return iox_error(IOTX509_EINVAL, "lint options: unknown profile %d", (int)(*opts)->profile);
	return 0;
}

iotx509_error_code iotx509_lint_der(iotx509_lint_result **out, const unsigned char *der, size_t size,
		     const iotx509_lint_options *opts)
{
	iotx509_lint_options copy;
	iotx509_lint_result *res = NULL;
	int ret;

	if (out == NULL || (der == NULL && size > 0))
		return iox_error(IOTX509_EINVAL, "lint: NULL argument");
	*out = NULL;
	if ((ret = check_opts(&opts, &copy)) < 0 || (ret = result_new(&res)) < 0)
		return ret;
	if ((ret = lint_one(res, der, size, opts->profile)) < 0) {
		iotx509_lint_result_free(res);
		return ret;
	}
	*out = res;
	return 0;
}

iotx509_error_code iotx509_lint_cert(iotx509_lint_result **out, const iotx509_cert *cert, const iotx509_lint_options *opts)
{
	if (out == NULL || cert == NULL)
		return iox_error(IOTX509_EINVAL, "lint: NULL argument");
	return iotx509_lint_der(out, cert->der.data, cert->der.size, opts);
}

iotx509_error_code iotx509_lint_data(iotx509_lint_result **out, const unsigned char *data, size_t size,
			const iotx509_lint_options *opts)
{
	iotx509_lint_options copy;
	iotx509_lint_result *res = NULL;
	iox_pem_block blk;
	gnutls_datum_t der;
	size_t pos = 0;
	char where[64];
	int ret, n = 0;

	if (out == NULL || (data == NULL && size > 0))
		return iox_error(IOTX509_EINVAL, "lint: NULL argument");
	*out = NULL;
	if ((ret = check_opts(&opts, &copy)) < 0)
		return ret;
	if (size == 0)
		return iox_error(IOTX509_EPARSE, "no certificate: the input is empty");
	if (!iox_pem_present(data, size)) {
		if (data[0] != 0x30)
			return iox_error(IOTX509_EPARSE, "not a certificate: neither PEM nor DER (first byte 0x%02x)",
					 data[0]);
		return iotx509_lint_der(out, data, size, opts);
	}
	if ((ret = result_new(&res)) < 0)
		return ret;
	while ((ret = iox_pem_next(&blk, data, size, &pos)) == 1) {
		if (!iox_pem_label_is(&blk, "CERTIFICATE") && !iox_pem_label_is(&blk, "X509 CERTIFICATE") &&
		    !iox_pem_label_is(&blk, "TRUSTED CERTIFICATE"))
			continue;
		n++;
		snprintf(where, sizeof(where), "certificate %d", n);
		if ((ret = iox_pem_decode(&der, &blk)) < 0) {
			iox_error_prefix(where);
			break;
		}
		ret = lint_one(res, der.data, der.size, opts->profile);
		gnutls_free(der.data);
		if (ret < 0) {
			iox_error_prefix(where);
			break;
		}
	}
	if (ret == 0 && n == 0)
		ret = iox_error(IOTX509_EPARSE, "no PEM block labelled CERTIFICATE found");
	if (ret < 0) {
		iotx509_lint_result_free(res);
		return ret;
	}
	*out = res;
	return 0;
}
