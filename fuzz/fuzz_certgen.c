/*
 * Structure-aware certificates. The input is a recipe, not DER: a small
 * interpreter reads it as operations on a device certificate that lints
 * clean (add an extension with a value shaped like that extension's, add an
 * RDN to a name, replace the serial, the times, the algorithms, ...) and
 * encodes the result. A mutation of the recipe changes the length or the
 * shape of one field and leaves valid DER around it, so the linter and the
 * import path see what raw byte flipping rarely reaches: keyUsage of any
 * length, empty RDNs, several CNs, long or odd subjectAltNames,
 * nameConstraints, unknown critical extensions, huge serials.
 *
 * Every certificate built goes through iotx509_lint_der() (with the profile
 * the recipe's last byte picks) and through iotx509_cert_import(), the
 * getters and iotx509_lint_cert() (like fuzz_cert). The encoder below writes what it is told, empty and unsorted
 * SETs and odd tags included; only lengths are always right.
 *
 * FUZZ_CERTGEN_OUT=FILE writes the certificate built from the last input
 * to FILE, to turn a recipe that crashes into a DER regression input.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the recipe ---- */

typedef struct {
	const uint8_t *p;
	size_t n, pos;
} recipe;

/* The next byte of the recipe; 0 once it is used up. */
static uint8_t next(recipe *r)
{
	return r->pos < r->n ? r->p[r->pos++] : 0;
}

/* ---- a loose DER writer ---- */

typedef struct {
	uint8_t *p;
	size_t n, cap;
	int oom;
} buf;

static void put(buf *b, const void *p, size_t n)
{
	uint8_t *q;
	size_t cap;

	if (b->oom || n == 0)
		return;
	if (b->n + n > b->cap) {
		for (cap = b->cap ? b->cap : 64; cap < b->n + n; cap *= 2)
			;
		if ((q = realloc(b->p, cap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void put_byte(buf *b, uint8_t c)
{
	put(b, &c, 1);
}

static void put_header(buf *b, uint8_t tag, size_t n)
{
	uint8_t h[2 + sizeof(size_t)];
	size_t k = 0, bytes = 0, m;

	h[k++] = tag;
	if (n < 0x80) {
		h[k++] = (uint8_t)n;
	} else {
		for (m = n; m; m >>= 8)
			bytes++;
		h[k++] = (uint8_t)(0x80 | bytes);
		while (bytes-- > 0)
			h[k++] = (uint8_t)(n >> (8 * bytes));
	}
	put(b, h, k);
}

/* Append TLV(tag, content) and empty @content. */
static void put_tlv(buf *b, uint8_t tag, buf *content)
{
	put_header(b, tag, content->n);
	put(b, content->p, content->n);
	b->oom |= content->oom;
	free(content->p);
	memset(content, 0, sizeof(*content));
}

static void put_prim(buf *b, uint8_t tag, const void *p, size_t n)
{
	put_header(b, tag, n);
	put(b, p, n);
}

typedef struct {
	const uint8_t *der;
	size_t n;
} bytes;

#define B(s) { (const uint8_t *)(s), sizeof(s) - 1 }

static void put_oid(buf *b, bytes oid)
{
	put_prim(b, 0x06, oid.der, oid.n);
}

/* A length for a value: mostly short, else one of the sizes where parsers
 * change their mind (one and two octets, 8/9, 20/21, 127/128, 255/256...). */
static size_t value_len(recipe *r)
{
	static const size_t edges[] = { 0,  1,   2,   3,   4,   5,   7,   8,    9,    16,   17,
					20, 21,  32,  33,  40,  64,  65,  127,  128,  255,  256,
					300, 512, 1000, 1024, 2048, 4000, 8000, 16000 };
	uint8_t c = next(r);

	return c < 0xa0 ? (size_t)(c % 48) : edges[c % (sizeof(edges) / sizeof(edges[0]))];
}

/* @n content octets: taken from the recipe, one octet repeated, or a first
 * octet, zeros and a final 0x01 (a BIT STRING with its last bit set). */
static void put_value(buf *b, recipe *r, size_t n)
{
	uint8_t mode = next(r) % 3, fill = next(r);
	size_t i;

	for (i = 0; i < n; i++)
		put_byte(b, mode == 0 && r->pos < r->n ? next(r) : mode == 2 ? (i == 0 ? fill : i + 1 == n ? 1 : 0) : fill);
}

static void put_value_tlv(buf *b, uint8_t tag, recipe *r)
{
	buf v = { 0 };

	put_value(&v, r, value_len(r));
	put_tlv(b, tag, &v);
}

/* Any TLV, nested up to @depth. */
static void put_any(buf *b, recipe *r, int depth)
{
	static const uint8_t tags[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x16, 0x17, 0x18, 0x1e,
					0x30, 0x31, 0x80, 0x81, 0x82, 0x86, 0x87, 0xa0, 0xa1, 0xa3, 0xa4, 0x1f };
	uint8_t tag = tags[next(r) % sizeof(tags)];
	buf c = { 0 };
	int i, n;

	if ((tag & 0x20) && depth > 0) {
		for (n = next(r) % 5, i = 0; i < n; i++)
			put_any(&c, r, depth - 1);
		put_tlv(b, tag, &c);
	} else {
		put_value_tlv(b, tag, r);
	}
}

/* ---- names ---- */

static const bytes attr_types[] = {
	B("\x55\x04\x03"), /* commonName, twice as likely */
	B("\x55\x04\x03"),
	B("\x55\x04\x0a"),                                 /* organizationName */
	B("\x55\x04\x0b"),                                 /* organizationalUnitName */
	B("\x55\x04\x06"),                                 /* countryName */
	B("\x55\x04\x05"),                                 /* serialNumber */
	B("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x19"),     /* domainComponent */
	B("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01"),         /* emailAddress */
	B("\x2a\x03"),                                     /* 1.2.3 */
};

static void put_name(buf *b, recipe *r, int depth);

/* An RDN of 0 (empty) to 4 attributes, in the recipe's order. */
static void put_rdn(buf *b, recipe *r, int depth)
{
	static const uint8_t string_tags[] = { 0x0c, 0x13, 0x16, 0x1e, 0x1c, 0x14, 0x0c, 0x13 };
	buf set = { 0 }, ava = { 0 };
	int i, n = next(r) % 5;
	uint8_t how;

	for (i = 0; i < n; i++) {
		put_oid(&ava, attr_types[next(r) % (sizeof(attr_types) / sizeof(attr_types[0]))]);
		how = next(r);
		if (how < 0xf0)
			put_value_tlv(&ava, string_tags[how % sizeof(string_tags)], r);
		else if (how < 0xf8 && depth > 0)
			put_name(&ava, r, depth - 1);
		else
			put_any(&ava, r, 2);
		put_tlv(&set, 0x30, &ava);
	}
	put_tlv(b, 0x31, &set);
}

static void put_name(buf *b, recipe *r, int depth)
{
	buf seq = { 0 };
	int i, n = next(r) % 4;

	for (i = 0; i < n; i++)
		put_rdn(&seq, r, depth);
	put_tlv(b, 0x30, &seq);
}

/* ---- extensions ---- */

enum ext_kind { K_BC, K_KU, K_EKU, K_KEYID, K_AKI, K_NAMES, K_NC, K_ANY };

static const struct {
	bytes oid;
	enum ext_kind kind;
} ext_types[] = {
	{ B("\x55\x1d\x13"), K_BC },    { B("\x55\x1d\x0f"), K_KU },       { B("\x55\x1d\x25"), K_EKU },
	{ B("\x55\x1d\x0e"), K_KEYID }, { B("\x55\x1d\x23"), K_AKI },      { B("\x55\x1d\x11"), K_NAMES },
	{ B("\x55\x1d\x12"), K_NAMES }, { B("\x55\x1d\x1e"), K_NC },       { B("\x55\x1d\x20"), K_ANY },
	{ B("\x55\x1d\x21"), K_ANY },   { B("\x55\x1d\x24"), K_ANY },      { B("\x55\x1d\x36"), K_ANY },
	{ B("\x55\x1d\x1f"), K_ANY },   { B("\x55\x1d\x09"), K_ANY },      { B("\x2b\x06\x01\x05\x05\x07\x01\x01"), K_ANY },
	{ B("\x2a\x03\x04"), K_ANY },   { B("\x2b\x06\x01\x04\x01\x82\x37\x15\x07"), K_ANY },
	{ B("\x55\x1d\x0f"), K_KU },    /* keyUsage, twice as likely */
};

static const bytes eku_oids[] = {
	B("\x2b\x06\x01\x05\x05\x07\x03\x02"), /* clientAuth */
	B("\x2b\x06\x01\x05\x05\x07\x03\x01"), /* serverAuth */
	B("\x55\x1d\x25\x00"),                 /* anyExtendedKeyUsage */
	B("\x2b\x06\x01\x05\x05\x07\x03\x04"), /* emailProtection */
	B("\x2a\x03"),
};

static void put_general_name(buf *b, recipe *r, int depth)
{
	buf c = { 0 };
	uint8_t k = next(r) % 10;

	switch (k) {
	case 0: /* otherName: type-id, [0] EXPLICIT value */
		put_oid(&c, eku_oids[next(r) % (sizeof(eku_oids) / sizeof(eku_oids[0]))]);
		{
			buf v = { 0 };

			put_any(&v, r, depth);
			put_tlv(&c, 0xa0, &v);
		}
		put_tlv(b, 0xa0, &c);
		break;
	case 3: /* x400Address, ediPartyName: anything inside */
	case 5:
		put_any(&c, r, depth);
		put_tlv(b, (uint8_t)(0xa0 | k), &c);
		break;
	case 4: /* directoryName */
		put_name(&c, r, depth);
		put_tlv(b, 0xa4, &c);
		break;
	case 9: /* an unknown tag */
		put_value_tlv(b, (uint8_t)(0x80 | (next(r) & 0x1f)), r);
		break;
	default: /* rfc822Name, dNSName, URI, iPAddress, registeredID */
		put_value_tlv(b, (uint8_t)(0x80 | k), r);
		break;
	}
}

/* The GeneralName elements of a GeneralNames, without the SEQUENCE. */
static void put_general_name_list(buf *b, recipe *r, int depth)
{
	uint8_t c = next(r);
	int i, n = c < 0xf0 ? c % 6 : 100 * (c - 0xef);

	for (i = 0; i < n; i++)
		put_general_name(b, r, depth);
}

static void put_general_names(buf *b, recipe *r, int depth)
{
	buf seq = { 0 };

	put_general_name_list(&seq, r, depth);
	put_tlv(b, 0x30, &seq);
}

static void put_ext_value(buf *b, enum ext_kind kind, recipe *r)
{
	buf v = { 0 }, sub = { 0 }, tree = { 0 };
	uint8_t c, flags = next(r);
	int i, n;

	/* Now and then anything at all, whatever the extension. */
	if (flags % 8 == 0)
		kind = K_ANY;
	switch (kind) {
	case K_BC:
		if (flags & 0x10)
			put_prim(&v, 0x01, flags & 0x20 ? "\xff" : flags & 0x40 ? "\x00" : "\x01", 1);
		if (flags & 0x80)
			put_value_tlv(&v, 0x02, r);
		put_tlv(b, 0x30, &v);
		break;
	case K_KU:
		c = next(r);
		/* The unused-bits octet: 0..7 mostly, sometimes impossible. */
		put_byte(&v, c < 0xf0 ? c % 8 : c);
		put_value(&v, r, value_len(r));
		put_tlv(b, 0x03, &v);
		break;
	case K_EKU:
		for (n = (int)value_len(r), i = 0; i < n; i++)
			put_oid(&v, eku_oids[next(r) % (sizeof(eku_oids) / sizeof(eku_oids[0]))]);
		put_tlv(b, 0x30, &v);
		break;
	case K_KEYID:
		put_value_tlv(b, 0x04, r);
		break;
	case K_AKI:
		if (flags & 0x10)
			put_value_tlv(&v, 0x80, r);
		if (flags & 0x20) { /* [1] IMPLICIT GeneralNames */
			put_general_name_list(&sub, r, 2);
			put_tlv(&v, 0xa1, &sub);
		}
		if (flags & 0x40)
			put_value_tlv(&v, 0x82, r);
		put_tlv(b, 0x30, &v);
		break;
	case K_NAMES:
		put_general_names(b, r, 3);
		break;
	case K_NC:
		for (i = 0; i < 2; i++) {
			if (!(flags & (0x10 << i)))
				continue;
			for (n = next(r) % 5; n > 0; n--) {
				put_general_name(&sub, r, 2);
				if (flags & 0x40)
					put_value_tlv(&sub, 0x80, r); /* minimum */
				if (flags & 0x80)
					put_value_tlv(&sub, 0x81, r); /* maximum */
				put_tlv(&tree, 0x30, &sub);
			}
			put_tlv(&v, (uint8_t)(0xa0 | i), &tree);
		}
		put_tlv(b, 0x30, &v);
		break;
	case K_ANY:
		put_any(b, r, 4);
		break;
	}
}

/* ---- the certificate ---- */

static const bytes algs[] = {
	B("\x30\x0a\x06\x08\x2a\x86\x48\xce\x3d\x04\x03\x02"),                 /* ecdsa-with-SHA256 */
	B("\x30\x05\x06\x03\x2b\x65\x70"),                                     /* Ed25519 */
	B("\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b\x05\x00"),     /* sha256WithRSAEncryption */
	B("\x30\x0b\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b"),             /* the same, no NULL */
	B("\x30\x0a\x06\x08\x2a\x86\x48\xce\x3d\x04\x03\x03"),                 /* ecdsa-with-SHA384 */
};

/* Public keys that parse: the P-256 base point, any 32 octets for Ed25519,
 * an RSA modulus of 64 octets. */
#define P256_G                                                                                         \
	"\x04\x6b\x17\xd1\xf2\xe1\x2c\x42\x47\xf8\xbc\xe6\xe5\x63\xa4\x40\xf2\x77\x03\x7d\x81\x2d\xeb\x33\xa0" \
	"\xf4\xa1\x39\x45\xd8\x98\xc2\x96\x4f\xe3\x42\xe2\xfe\x1a\x7f\x9b\x8e\xe7\xeb\x4a\x7c\x0f\x9e\x16\x2b" \
	"\xce\x33\x57\x6b\x31\x5e\xce\xcb\xb6\x40\x68\x37\xbf\x51\xf5"
static const bytes spkis[] = {
	B("\x30\x59\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07\x03\x42\x00" P256_G),
	B("\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00"
	  "\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb"
	  "\xcc\xdd\xee\xff\x00"),
	B("\x30\x5c\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00\x03\x4b\x00\x30\x48\x02\x41\x00"
	  "\xc1\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11"
	  "\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11"
	  "\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11"
	  "\x02\x03\x01\x00\x01"),
};

static const struct {
	uint8_t tag;
	const char *s;
} times[] = {
	{ 0x17, "261129120000Z" },     { 0x17, "271129120000Z" },   { 0x18, "20500101000000Z" },
	{ 0x18, "20491231235959Z" },   { 0x17, "491231235959Z" },   { 0x17, "500101000000Z" },
	{ 0x17, "260230120000Z" },     { 0x17, "2611291200Z" },     { 0x17, "261129120000+0100" },
	{ 0x18, "20500101000000.5Z" }, { 0x18, "99991231235959Z" }, { 0x17, "" },
};

typedef struct {
	buf version, serial, issuer, subject, exts, times[2];
	int exts_field; /* 0: when there are extensions, 1: never, 2: always */
	int inner, outer, spki;
} cert;

static void add_ext(cert *c, bytes oid, int critical, enum ext_kind kind, recipe *r)
{
	buf e = { 0 }, v = { 0 };

	put_oid(&e, oid);
	if (critical == 1)
		put(&e, "\x01\x01\xff", 3);
	else if (critical == 2)
		put(&e, "\x01\x01\x00", 3); /* FALSE encoded explicitly */
	else if (critical == 3)
		put(&e, "\x01\x01\x01", 3); /* TRUE not as 0xFF */
	if (r != NULL)
		put_ext_value(&v, kind, r);
	put_tlv(&e, 0x04, &v);
	put_tlv(&c->exts, 0x30, &e);
}

static void add_fixed_ext(cert *c, bytes oid, int critical, const char *value, size_t n)
{
	buf e = { 0 };

	put_oid(&e, oid);
	if (critical)
		put(&e, "\x01\x01\xff", 3);
	put_prim(&e, 0x04, value, n);
	put_tlv(&c->exts, 0x30, &e);
}

static void put_cn(buf *b, const char *cn)
{
	buf ava = { 0 }, set = { 0 };

	put_oid(&ava, attr_types[0]);
	put_prim(&ava, 0x0c, cn, strlen(cn));
	put_tlv(&set, 0x30, &ava);
	put_tlv(b, 0x31, &set);
}

/* Time number @i of the table; @swap gives it the other tag. */
static void put_time(buf *b, size_t i, int swap)
{
	put_prim(b, swap ? times[i].tag ^ 0x0f : times[i].tag, times[i].s, strlen(times[i].s));
}

/* The base: a device certificate that lints clean. */
static void cert_init(cert *c)
{
	static const bytes bc = B("\x55\x1d\x13"), ku = B("\x55\x1d\x0f"), eku = B("\x55\x1d\x25"),
			   ski = B("\x55\x1d\x0e"), aki = B("\x55\x1d\x23");

	memset(c, 0, sizeof(*c));
	put(&c->version, "\xa0\x03\x02\x01\x02", 5);
	put(&c->serial, "\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\x01\x02\x03\x04\x05", 20);
	put_cn(&c->issuer, "Gen CA");
	put_cn(&c->subject, "device-01");
	put_time(&c->times[0], 0, 0);
	put_time(&c->times[1], 1, 0);
	add_fixed_ext(c, bc, 1, "\x30\x00", 2);
	add_fixed_ext(c, ku, 1, "\x03\x02\x07\x80", 4);
	add_fixed_ext(c, eku, 0, "\x30\x0a\x06\x08\x2b\x06\x01\x05\x05\x07\x03\x02", 12);
	add_fixed_ext(c, ski, 0, "\x04\x04\x01\x02\x03\x04", 6);
	add_fixed_ext(c, aki, 0, "\x30\x06\x80\x04\x0a\x0b\x0c\x0d", 8);
}

static void cert_free(cert *c)
{
	free(c->version.p);
	free(c->serial.p);
	free(c->issuer.p);
	free(c->subject.p);
	free(c->exts.p);
	free(c->times[0].p);
	free(c->times[1].p);
}

static void reset(buf *b)
{
	b->n = 0;
}

/* Enough to pass the linter's 64 KiB limit; more only costs time. */
#define CERT_MAX_BYTES (96u << 10)

static size_t cert_size(const cert *c)
{
	return c->version.n + c->serial.n + c->issuer.n + c->subject.n + c->exts.n + c->times[0].n + c->times[1].n;
}

/* Run the recipe's operations on @c. */
static void apply(cert *c, recipe *r)
{
	uint8_t op, x;
	int i;

	while (r->pos < r->n && cert_size(c) < CERT_MAX_BYTES) {
		op = next(r);
		switch (op % 13) {
		case 0: /* add an extension */
		case 1:
			x = next(r);
			i = (int)(x % (sizeof(ext_types) / sizeof(ext_types[0])));
			add_ext(c, ext_types[i].oid, next(r) % 4, ext_types[i].kind, r);
			break;
		case 2: /* an extension with an OID from the recipe */
			{
				buf o = { 0 };
				bytes oid;

				put_value(&o, r, value_len(r));
				oid.der = o.p;
				oid.n = o.n;
				add_ext(c, oid, next(r) % 4, K_ANY, r);
				free(o.p);
			}
			break;
		case 3: /* an RDN more in the subject, or the issuer */
			put_rdn(next(r) & 1 ? &c->issuer : &c->subject, r, 2);
			break;
		case 4: /* an empty name to build on */
			reset(next(r) & 1 ? &c->issuer : &c->subject);
			break;
		case 5:
			reset(&c->exts);
			break;
		case 6:
			reset(&c->serial);
			put_value(&c->serial, r, value_len(r));
			break;
		case 7: /* version: absent, or any INTEGER */
			reset(&c->version);
			if (next(r) & 1) {
				buf v = { 0 };

				put_value_tlv(&v, 0x02, r);
				put_tlv(&c->version, 0xa0, &v);
			}
			break;
		case 8: /* a time: one of the table, or anything */
			x = next(r);
			reset(&c->times[x & 1]);
			if (x & 2)
				put_any(&c->times[x & 1], r, 1);
			else
				put_time(&c->times[x & 1], next(r) % (sizeof(times) / sizeof(times[0])), x & 4);
			break;
		case 9:
			c->inner = next(r) % (int)(sizeof(algs) / sizeof(algs[0]));
			c->outer = next(r) % (int)(sizeof(algs) / sizeof(algs[0]));
			c->spki = next(r) % (int)(sizeof(spkis) / sizeof(spkis[0]));
			break;
		case 10:
			c->exts_field = next(r) % 3;
			break;
		case 11: /* anything inside the Extensions SEQUENCE */
			put_any(&c->exts, r, 3);
			break;
		case 12: /* the same extension again */
			add_ext(c, ext_types[1].oid, 1, K_KU, r);
			break;
		}
	}
}

static void encode(buf *out, cert *c)
{
	buf tbs = { 0 }, t = { 0 }, outer = { 0 };

	put(&tbs, c->version.p, c->version.n);
	put_prim(&tbs, 0x02, c->serial.p, c->serial.n);
	put(&tbs, algs[c->inner].der, algs[c->inner].n);
	put_prim(&tbs, 0x30, c->issuer.p, c->issuer.n);
	put(&t, c->times[0].p, c->times[0].n);
	put(&t, c->times[1].p, c->times[1].n);
	put_tlv(&tbs, 0x30, &t);
	put_prim(&tbs, 0x30, c->subject.p, c->subject.n);
	put(&tbs, spkis[c->spki].der, spkis[c->spki].n);
	if (c->exts_field == 2 || (c->exts_field == 0 && c->exts.n > 0)) {
		put_prim(&t, 0x30, c->exts.p, c->exts.n);
		put_tlv(&tbs, 0xa3, &t);
	}
	put_tlv(&outer, 0x30, &tbs);
	put(&outer, algs[c->outer].der, algs[c->outer].n);
	put_prim(&outer, 0x03, "\x00\x30\x06\x02\x01\x01\x02\x01\x01", 9);
	put_tlv(out, 0x30, &outer);
	out->oom |= c->version.oom | c->serial.oom | c->issuer.oom | c->subject.oom | c->exts.oom | c->times[0].oom |
		    c->times[1].oom;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	recipe r = { data, size, 0 };
	cert c;
	buf der = { 0 };
	iotx509_cert *imported = NULL;
	iotx509_lint_options o = IOTX509_LINT_OPTIONS_INIT;
	iotx509_lint_result *res = NULL;
	const char *dump = getenv("FUZZ_CERTGEN_OUT");

	cert_init(&c);
	apply(&c, &r);
	encode(&der, &c);
	cert_free(&c);
	if (der.oom) {
		free(der.p);
		return 0;
	}
	if (dump != NULL) {
		FILE *f = fopen(dump, "wb");

		if (f != NULL) {
			fwrite(der.p, 1, der.n, f);
			fclose(f);
		}
	}
	/* One profile per input (the recipe's last byte picks it): decoding
	 * dominates, and the profile rules only read what it found. */
	o.profile = (iotx509_lint_profile)(size > 0 ? data[size - 1] % 4 : 0);
	if (iotx509_lint_der(&res, der.p, der.n, &o) == 0)
		fuzz_read_findings(res);
	iotx509_lint_result_free(res);
	if (iotx509_cert_import(&imported, der.p, der.n) == 0)
		fuzz_use_cert(imported);
	iotx509_cert_free(imported);
	free(der.p);
	return 0;
}
