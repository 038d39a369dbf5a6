/*
 * The certificate linter: everything we issue lints clean, the foreign
 * fixtures give the findings their tools' profiles deserve, and hand-built
 * DER triggers each rule on its own.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "helpers.h"

#define T0 TH_FIXTURE_TIME

/* ---- assertions on results ---- */

static char *ids_of(const iotx509_lint_result *r)
{
	static char buf[4096];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < iotx509_lint_result_count(r); i++) {
		strncat(buf, iotx509_lint_result_get_id(r, i), sizeof(buf) - strlen(buf) - 1);
		strncat(buf, " (", sizeof(buf) - strlen(buf) - 1);
		strncat(buf, iotx509_lint_result_get_message(r, i), sizeof(buf) - strlen(buf) - 1);
		strncat(buf, "); ", sizeof(buf) - strlen(buf) - 1);
	}
	return buf;
}

/* The result holds exactly the findings named (NULL-terminated list; an id
 * may be given twice when it must appear twice). */
static void expect_only(const iotx509_lint_result *r, ...)
{
	const char *want[32];
	int used[32] = { 0 }, n = 0, j;
	size_t i;
	va_list ap;

	va_start(ap, r);
	while (n < 32 && (want[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	cr_assert_eq(iotx509_lint_result_count(r), (size_t)n, "want %d findings, got: %s", n, ids_of(r));
	for (i = 0; i < iotx509_lint_result_count(r); i++) {
		const char *id = iotx509_lint_result_get_id(r, i);

		for (j = 0; j < n; j++)
			if (!used[j] && strcmp(want[j], id) == 0)
				break;
		cr_assert(j < n, "unexpected finding %s: %s", id, ids_of(r));
		used[j] = 1;
	}
}

static const char *message_of(const iotx509_lint_result *r, const char *id)
{
	size_t i;

	for (i = 0; i < iotx509_lint_result_count(r); i++)
		if (strcmp(iotx509_lint_result_get_id(r, i), id) == 0)
			return iotx509_lint_result_get_message(r, i);
	cr_assert_fail("no finding %s in: %s", id, ids_of(r));
	return NULL;
}

static iotx509_lint_severity severity_of(const iotx509_lint_result *r, const char *id)
{
	size_t i;

	for (i = 0; i < iotx509_lint_result_count(r); i++)
		if (strcmp(iotx509_lint_result_get_id(r, i), id) == 0)
			return iotx509_lint_result_get_severity(r, i);
	cr_assert_fail("no finding %s in: %s", id, ids_of(r));
	return 0;
}

static iotx509_lint_result *lint_cert(const iotx509_cert *c, iotx509_lint_profile profile)
{
	iotx509_lint_options o = IOTX509_LINT_OPTIONS_INIT;
	iotx509_lint_result *r = NULL;

	o.profile = profile;
	cr_assert_eq(iotx509_lint_cert(&r, c, &o), 0, "%s", th_err());
	cr_assert_not_null(r);
	return r;
}

/* ---- every certificate we issue lints clean ---- */

static void expect_clean(const iotx509_cert *c, iotx509_lint_profile profile, const char *what)
{
	iotx509_lint_result *r = lint_cert(c, IOTX509_LINT_PROFILE_AUTO);

	cr_assert_eq(iotx509_lint_result_count(r), 0, "%s (auto): %s", what, ids_of(r));
	iotx509_lint_result_free(r);
	r = lint_cert(c, profile);
	cr_assert_eq(iotx509_lint_result_count(r), 0, "%s: %s", what, ids_of(r));
	cr_assert_eq(iotx509_lint_result_cert_count(r), 1);
	iotx509_lint_result_free(r);
}

static void issue_all_and_lint(iotx509_key_type type, unsigned int days)
{
	const char *name = iotx509_key_type_name(type);
	iotx509_strlist *dns = th_strlist("gateway.example.com", NULL);
	iotx509_strlist *ips = th_strlist("192.0.2.1", NULL);
	iotx509_key *root_key = NULL, *sub_key = NULL;
	iotx509_cert *root = NULL, *c = NULL, *inter = NULL;
	iotx509_issuer *ca = NULL, *ica = NULL;
	iotx509_csr *csr = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;
	char what[96];

	o.at = T0;
	o.days = days;
	cr_assert_eq(iotx509_key_generate(&root_key, type), 0, "%s", th_err());
	cr_assert_eq(iotx509_key_generate(&sub_key, type), 0, "%s", th_err());

	snprintf(what, sizeof(what), "%s root", name);
	cr_assert_eq(iotx509_issue_root(&root, root_key, "Lint Root CA", &o), 0, "%s", th_err());
	expect_clean(root, IOTX509_LINT_PROFILE_CA, what);
	cr_assert_eq(iotx509_issuer_new(&ca, root, root_key), 0, "%s", th_err());

	snprintf(what, sizeof(what), "%s intermediate", name);
	cr_assert_eq(iotx509_issue_intermediate(&inter, ca, sub_key, "Lint Intermediate CA", &o), 0, "%s", th_err());
	expect_clean(inter, IOTX509_LINT_PROFILE_CA, what);
	cr_assert_eq(iotx509_issuer_new(&ica, inter, sub_key), 0, "%s", th_err());

	snprintf(what, sizeof(what), "%s edge CA", name);
	cr_assert_eq(iotx509_issue_edge_ca(&c, ca, sub_key, "edge-ca", &o), 0, "%s", th_err());
	expect_clean(c, IOTX509_LINT_PROFILE_CA, what);
	iotx509_cert_free(c);

	snprintf(what, sizeof(what), "%s device", name);
	cr_assert_eq(iotx509_issue_device(&c, ica, sub_key, "sample-device-01", &o), 0, "%s", th_err());
	expect_clean(c, IOTX509_LINT_PROFILE_DEVICE, what);
	iotx509_cert_free(c);

	snprintf(what, sizeof(what), "%s self-signed device", name);
	cr_assert_eq(iotx509_issue_device_self_signed(&c, sub_key, "self-device-01", &o), 0, "%s", th_err());
	expect_clean(c, IOTX509_LINT_PROFILE_DEVICE, what);
	iotx509_cert_free(c);

	snprintf(what, sizeof(what), "%s device from CSR", name);
	cr_assert_eq(iotx509_csr_new(&csr, sub_key, "csr-device-01", NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_issue_device_from_csr(&c, ca, csr, &o), 0, "%s", th_err());
	expect_clean(c, IOTX509_LINT_PROFILE_DEVICE, what);
	iotx509_cert_free(c);

	snprintf(what, sizeof(what), "%s verification", name);
	cr_assert_eq(iotx509_issue_verification(&c, ca, sub_key, "1234ABCD", &o), 0, "%s", th_err());
	expect_clean(c, IOTX509_LINT_PROFILE_DEVICE, what);
	iotx509_cert_free(c);

	snprintf(what, sizeof(what), "%s server", name);
	o.dns_names = dns;
	o.ip_addresses = ips;
	cr_assert_eq(iotx509_issue_server(&c, ica, sub_key, "gateway", &o), 0, "%s", th_err());
	expect_clean(c, IOTX509_LINT_PROFILE_SERVER, what);
	iotx509_cert_free(c);

	iotx509_csr_free(csr);
	iotx509_issuer_free(ica);
	iotx509_issuer_free(ca);
	iotx509_cert_free(inter);
	iotx509_cert_free(root);
	iotx509_key_free(sub_key);
	iotx509_key_free(root_key);
	iotx509_strlist_free(dns);
	iotx509_strlist_free(ips);
}

Test(lint, every_profile_issued_with_p256_lints_clean) { issue_all_and_lint(IOTX509_KEY_P256, 0); }
Test(lint, every_profile_issued_with_p384_lints_clean) { issue_all_and_lint(IOTX509_KEY_P384, 0); }
Test(lint, every_profile_issued_with_ed25519_lints_clean) { issue_all_and_lint(IOTX509_KEY_ED25519, 0); }
Test(lint, every_profile_issued_with_rsa2048_lints_clean, .timeout = 120) { issue_all_and_lint(IOTX509_KEY_RSA2048, 0); }

/* Validity past 2049 switches to GeneralizedTime; that must be right too. */
Test(lint, certificates_valid_beyond_2050_lint_clean)
{
	issue_all_and_lint(IOTX509_KEY_P256, 36500);
}

/* ---- foreign fixtures ---- */

static iotx509_lint_result *lint_file(const char *path, iotx509_lint_profile profile)
{
	iotx509_lint_options o = IOTX509_LINT_OPTIONS_INIT;
	iotx509_lint_result *r = NULL;
	iotx509_buf b = IOTX509_BUF_INIT;

	o.profile = profile;
	cr_assert_eq(iotx509_file_read(&b, path), 0, "%s", th_err());
	cr_assert_eq(iotx509_lint_data(&r, b.data, b.size, &o), 0, "%s: %s", path, th_err());
	iotx509_buf_dispose(&b);
	return r;
}

Test(lint, create_test_cert_root_and_intermediate_lack_key_usage)
{
	iotx509_lint_result *r = lint_file(th_fixture("create_test_cert/mytestrootcert_cert.pem"), IOTX509_LINT_PROFILE_AUTO);

	expect_only(r, "ca-missing-key-usage", NULL);
	cr_assert_eq(severity_of(r, "ca-missing-key-usage"), IOTX509_LINT_ERROR);
	cr_assert(strstr(message_of(r, "ca-missing-key-usage"), "keyCertSign") != NULL);
	cr_assert_str_eq(iotx509_lint_result_get_subject(r, 0), "CN=mytestrootcert");
	iotx509_lint_result_free(r);

	r = lint_file(th_fixture("create_test_cert/myintermediate_cert.pem"), IOTX509_LINT_PROFILE_CA);
	expect_only(r, "ca-missing-key-usage", "serial-low-entropy", NULL);
	cr_assert_eq(severity_of(r, "serial-low-entropy"), IOTX509_LINT_INFO);
	cr_assert(strstr(message_of(r, "serial-low-entropy"), "0x2906B9BC has 4 octets") != NULL,
		  "%s", message_of(r, "serial-low-entropy"));
	iotx509_lint_result_free(r);
}

Test(lint, create_test_cert_devices_lack_key_usage)
{
	iotx509_lint_result *r = lint_file(th_fixture("create_test_cert/sampleDevice01_cert.pem"), IOTX509_LINT_PROFILE_DEVICE);

	/* EKU clientAuth, SKI and AKI are there; keyUsage is not. */
	expect_only(r, "ee-missing-key-usage", "serial-low-entropy", NULL);
	cr_assert_eq(severity_of(r, "ee-missing-key-usage"), IOTX509_LINT_WARNING);
	iotx509_lint_result_free(r);

	r = lint_file(th_fixture("create_test_cert/mytestselfcertprimary_cert.pem"), IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "ee-missing-key-usage", NULL); /* self-signed: no AKI needed; 20-octet serial */
	iotx509_lint_result_free(r);

	r = lint_file(th_fixture("create_test_cert/verification_cert.pem"), IOTX509_LINT_PROFILE_AUTO);
	expect_only(r, "ee-missing-key-usage", "serial-low-entropy", NULL);
	iotx509_lint_result_free(r);
}

Test(lint, fullchain_findings_name_their_certificate)
{
	iotx509_lint_result *r = lint_file(th_fixture("create_test_cert/sampleDevice01_fullchain.pem"), IOTX509_LINT_PROFILE_AUTO);
	size_t i;
	int seen_root = 0;

	cr_assert_eq(iotx509_lint_result_cert_count(r), 2, "the stray 'null' line is not a certificate");
	cr_assert_str_eq(iotx509_lint_result_get_subject(r, 0), "CN=sample-device-01");
	cr_assert_str_eq(iotx509_lint_result_get_subject(r, 1), "CN=mytestrootcert");
	cr_assert_null(iotx509_lint_result_get_subject(r, 2));
	for (i = 0; i < iotx509_lint_result_count(r); i++) {
		if (strcmp(iotx509_lint_result_get_id(r, i), "ca-missing-key-usage") == 0) {
			cr_assert_eq(iotx509_lint_result_get_cert_index(r, i), 1);
			seen_root = 1;
		}
		if (strcmp(iotx509_lint_result_get_id(r, i), "ee-missing-key-usage") == 0)
			cr_assert_eq(iotx509_lint_result_get_cert_index(r, i), 0);
	}
	cr_assert(seen_root, "%s", ids_of(r));
	iotx509_lint_result_free(r);
}

Test(lint, certgen_sh_cas_are_clean_but_sequential_serials_are_noted)
{
	static const char *const cas[] = { "certgen_sh/azure-iot-test-only.intermediate.cert.pem",
					   "certgen_sh/new-edge-device.cert.pem" };
	iotx509_lint_result *r;
	size_t i;

	/* The root has a random 20-octet serial: nothing to say. */
	r = lint_file(th_fixture("certgen_sh/azure-iot-test-only.root.ca.cert.pem"), IOTX509_LINT_PROFILE_CA);
	expect_only(r, NULL);
	iotx509_lint_result_free(r);
	for (i = 0; i < 2; i++) {
		r = lint_file(th_fixture(cas[i]), IOTX509_LINT_PROFILE_CA);
		expect_only(r, "serial-low-entropy", NULL);
		iotx509_lint_result_free(r);
	}
	r = lint_file(th_fixture("certgen_sh/new-device.cert.pem"), IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "serial-low-entropy", NULL);
	cr_assert(strstr(message_of(r, "serial-low-entropy"), "0x04 has 1 octet:") != NULL);
	iotx509_lint_result_free(r);
	r = lint_file(th_fixture("certgen_sh/verification-code.cert.pem"), IOTX509_LINT_PROFILE_AUTO);
	expect_only(r, "serial-low-entropy", NULL);
	iotx509_lint_result_free(r);
}

Test(lint, an_imported_certificate_lints_like_its_der)
{
	iotx509_cert *c = NULL;
	iotx509_lint_result *r;

	cr_assert_eq(iotx509_cert_load(&c, th_fixture("create_test_cert/myintermediate_cert.pem")), 0, "%s", th_err());
	r = lint_cert(c, IOTX509_LINT_PROFILE_AUTO);
	expect_only(r, "ca-missing-key-usage", "serial-low-entropy", NULL);
	iotx509_lint_result_free(r);
	r = lint_cert(c, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "ca-missing-key-usage", "serial-low-entropy", "profile-is-ca", NULL);
	cr_assert(strstr(message_of(r, "profile-is-ca"), "device certificate was expected") != NULL);
	iotx509_lint_result_free(r);
	iotx509_cert_free(c);
}

/* ---- a small DER builder for hand-made certificates ---- */

typedef struct {
	unsigned char *p;
	size_t n;
} blob;

static blob raw(const void *p, size_t n)
{
	blob b = { malloc(n ? n : 1), n };

	cr_assert_not_null(b.p);
	if (n)
		memcpy(b.p, p, n);
	return b;
}

/* Hex with optional spaces: "30 03 01 01 ff". */
static blob hx(const char *hex)
{
	blob b = { malloc(strlen(hex) / 2 + 1), 0 };
	unsigned int v;

	while (*hex) {
		if (*hex == ' ') {
			hex++;
			continue;
		}
		cr_assert(sscanf(hex, "%2x", &v) == 1, "bad hex '%s'", hex);
		b.p[b.n++] = (unsigned char)v;
		hex += 2;
	}
	return b;
}

/* Concatenate and free: cat(n, b1, ..., bn). */
static blob cat(int count, ...)
{
	blob out = { NULL, 0 }, b;
	va_list ap;
	int i;

	va_start(ap, count);
	for (i = 0; i < count; i++) {
		b = va_arg(ap, blob);
		out.p = realloc(out.p, out.n + b.n + 1);
		memcpy(out.p + out.n, b.p, b.n);
		out.n += b.n;
		free(b.p);
	}
	va_end(ap);
	return out;
}

/* A TLV with a minimal (DER) length; frees @content. */
static blob tlv(unsigned char tag, blob content)
{
	unsigned char h[6];
	size_t hn = 0, n = content.n;

	h[hn++] = tag;
	if (n < 0x80) {
		h[hn++] = (unsigned char)n;
	} else if (n < 0x100) {
		h[hn++] = 0x81;
		h[hn++] = (unsigned char)n;
	} else {
		h[hn++] = 0x82;
		h[hn++] = (unsigned char)(n >> 8);
		h[hn++] = (unsigned char)n;
	}
	return cat(2, raw(h, hn), content);
}

static blob str(unsigned char tag, const char *s)
{
	return tlv(tag, raw(s, strlen(s)));
}

#define ALG_ECDSA_SHA256 "30 0a 06 08 2a 86 48 ce 3d 04 03 02"
#define ALG_ECDSA_SHA384 "30 0a 06 08 2a 86 48 ce 3d 04 03 03"
#define ALG_RSA_SHA256 "30 0d 06 09 2a 86 48 86 f7 0d 01 01 0b 05 00"
#define ALG_RSA_SHA256_NOPARAM "30 0b 06 09 2a 86 48 86 f7 0d 01 01 0b"
#define OID_BC "06 03 55 1d 13"
#define OID_KU "06 03 55 1d 0f"
#define OID_EKU "06 03 55 1d 25"
#define OID_SKI "06 03 55 1d 0e"
#define OID_AKI "06 03 55 1d 23"
#define OID_SAN "06 03 55 1d 11"
#define KEYID "01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14"
#define KEYID2 "a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab ac ad ae af b0 b1 b2 b3 b4"
#define SERIAL20 "11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff 01 02 03 04 05"

typedef struct {
	const char *oid, *value; /* hex */
	int critical;            /* -1 absent, 0 FALSE encoded explicitly, 1 TRUE */
} ext_spec;

typedef struct {
	int version;                 /* -1: field absent (v1); else the INTEGER */
	const char *serial;          /* hex content octets */
	const char *inner_alg, *outer_alg;
	const char *issuer, *subject; /* CN (PrintableString/UTF8String); NULL: empty name */
	const char *subject_raw;      /* hex of a whole Name, overrides subject */
	unsigned char nb_tag, na_tag; /* 0x17 UTCTime, 0x18 GeneralizedTime */
	const char *nb, *na;
	int no_extensions_field, empty_extensions;
	ext_spec ext[12];
	const char *ext_raw; /* hex appended inside the Extensions SEQUENCE */
	const char *issuer_raw; /* hex of a whole Name, overrides issuer */
} cert_spec;

/* A device certificate that lints clean: the base every test changes. */
static cert_spec device_spec(void)
{
	cert_spec s = {
		2, SERIAL20, ALG_ECDSA_SHA256, ALG_ECDSA_SHA256, "Lint Test CA", "device-01", NULL, 0x17, 0x17,
		"261129120000Z", "271129120000Z", 0, 0,
		{
			{ OID_BC, "30 00", 1 },
			{ OID_KU, "03 02 07 80", 1 },
			{ OID_EKU, "30 0a 06 08 2b 06 01 05 05 07 03 02", -1 },
			{ OID_SKI, "04 14 " KEYID, -1 },
			{ OID_AKI, "30 16 80 14 " KEYID2, -1 },
		},
		NULL,
		NULL,
	};
	return s;
}

/* A self-signed root CA that lints clean. */
static cert_spec ca_spec(void)
{
	cert_spec s = device_spec();

	memset(s.ext, 0, sizeof(s.ext));
	s.issuer = s.subject = "Lint Root CA";
	s.ext[0] = (ext_spec){ OID_BC, "30 03 01 01 ff", 1 };
	s.ext[1] = (ext_spec){ OID_KU, "03 02 01 86", 1 };
	s.ext[2] = (ext_spec){ OID_SKI, "04 14 " KEYID, -1 };
	return s;
}

static blob name_cn(const char *cn)
{
	if (cn == NULL)
		return tlv(0x30, raw("", 0));
	return tlv(0x30, tlv(0x31, tlv(0x30, cat(2, hx("06 03 55 04 03"), str(0x0c, cn)))));
}

static blob build(const cert_spec *s)
{
	blob exts = { NULL, 0 }, tbs, spki, version = { NULL, 0 };
	int i;
	char vhex[32];

	exts = raw("", 0);
	for (i = 0; i < 12 && s->ext[i].oid; i++) {
		blob crit = s->ext[i].critical < 0 ? raw("", 0) : hx(s->ext[i].critical ? "01 01 ff" : "01 01 00");
		exts = cat(2, exts, tlv(0x30, cat(3, hx(s->ext[i].oid), crit, tlv(0x04, hx(s->ext[i].value)))));
	}
	if (s->ext_raw)
		exts = cat(2, exts, hx(s->ext_raw));
	if (s->no_extensions_field) {
		free(exts.p);
		exts = raw("", 0);
	} else if (s->empty_extensions) {
		free(exts.p);
		exts = hx("a3 02 30 00");
	} else {
		exts = tlv(0xa3, tlv(0x30, exts));
	}
	if (s->version >= 0) {
		snprintf(vhex, sizeof(vhex), "a0 03 02 01 %02x", s->version);
		version = hx(vhex);
	} else {
		version = raw("", 0);
	}
	spki = hx("30 59 30 13 06 07 2a 86 48 ce 3d 02 01 06 08 2a 86 48 ce 3d 03 01 07 03 42 00 04"
		  " 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11"
		  " 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22 22");
	tbs = tlv(0x30, cat(8, version, tlv(0x02, hx(s->serial)), hx(s->inner_alg),
			    s->issuer_raw ? hx(s->issuer_raw) : name_cn(s->issuer),
			    tlv(0x30, cat(2, str(s->nb_tag, s->nb), str(s->na_tag, s->na))),
			    s->subject_raw ? hx(s->subject_raw) : name_cn(s->subject), spki, exts));
	return tlv(0x30, cat(3, tbs, hx(s->outer_alg), hx("03 03 00 ab cd")));
}

static iotx509_lint_result *lint_blob(blob b, iotx509_lint_profile profile)
{
	iotx509_lint_options o = IOTX509_LINT_OPTIONS_INIT;
	iotx509_lint_result *r = NULL;

	o.profile = profile;
	cr_assert_eq(iotx509_lint_der(&r, b.p, b.n, &o), 0, "%s", th_err());
	free(b.p);
	return r;
}

static iotx509_lint_result *lint_spec(const cert_spec *s, iotx509_lint_profile profile)
{
	return lint_blob(build(s), profile);
}

/* Lint @s and expect exactly the findings listed. */
#define EXPECT(spec, profile, ...) \
	do { \
		iotx509_lint_result *r_ = lint_spec(&(spec), profile); \
		expect_only(r_, __VA_ARGS__, NULL); \
		iotx509_lint_result_free(r_); \
	} while (0)

Test(lint, hand_built_base_certificates_are_clean)
{
	cert_spec d = device_spec(), c = ca_spec();
	iotx509_lint_result *r;

	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, NULL);
	cr_assert_str_eq(iotx509_lint_result_get_subject(r, 0), "CN=device-01");
	iotx509_lint_result_free(r);
	r = lint_spec(&c, IOTX509_LINT_PROFILE_CA);
	expect_only(r, NULL);
	iotx509_lint_result_free(r);
}

/* ---- encoding ---- */

Test(lint, trailing_bytes_after_the_certificate)
{
	cert_spec d = device_spec();
	iotx509_lint_result *r = lint_blob(cat(2, build(&d), hx("00 00 00")), IOTX509_LINT_PROFILE_AUTO);

	expect_only(r, "der-trailing-data", NULL);
	cr_assert_str_eq(message_of(r, "der-trailing-data"), "3 bytes follow the certificate's DER encoding");
	iotx509_lint_result_free(r);
}

/* Rewrite the outer SEQUENCE header with a longer length form. */
Test(lint, non_minimal_length_is_not_der)
{
	cert_spec d = device_spec();
	blob b = build(&d), ber;
	iotx509_lint_result *r;

	cr_assert_eq(b.p[1], 0x82);
	ber = cat(2, hx("30 83 00"), raw(b.p + 2, b.n - 2));
	free(b.p);
	r = lint_blob(ber, IOTX509_LINT_PROFILE_AUTO);
	expect_only(r, "der-not-canonical", NULL);
	cr_assert(strstr(message_of(r, "der-not-canonical"), "re-encoding differs from byte 1") != NULL,
		  "%s", message_of(r, "der-not-canonical"));
	iotx509_lint_result_free(r);
}

Test(lint, indefinite_length_is_not_der)
{
	cert_spec d = device_spec();
	blob b = build(&d), ber;
	iotx509_lint_result *r;

	ber = cat(3, hx("30 80"), raw(b.p + 4, b.n - 4), hx("00 00"));
	free(b.p);
	r = lint_blob(ber, IOTX509_LINT_PROFILE_AUTO);
	expect_only(r, "der-not-canonical", NULL);
	cr_assert(strstr(message_of(r, "der-not-canonical"), "BER but not DER") != NULL, "%s",
		  message_of(r, "der-not-canonical"));
	iotx509_lint_result_free(r);
}

Test(lint, boolean_true_must_be_ff)
{
	cert_spec d = device_spec();

	/* subjectKeyIdentifier marked critical with BOOLEAN 0x01 instead of 0xFF. */
	d.ext[3] = d.ext[4];
	d.ext[4] = (ext_spec){ NULL, NULL, 0 };
	d.ext_raw = "30 20 06 03 55 1d 0e 01 01 01 04 16 04 14 " KEYID;
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "der-not-canonical", "key-identifier-critical");
}

Test(lint, default_values_must_not_be_encoded)
{
	cert_spec d = device_spec();
	iotx509_lint_result *r;

	d.ext[3].critical = 0; /* SKI with critical FALSE spelled out */
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "der-not-canonical", NULL);
	cr_assert_str_eq(message_of(r, "der-not-canonical"),
			 "extension 2.5.29.14 has critical FALSE encoded explicitly; DER omits a DEFAULT value");
	iotx509_lint_result_free(r);

	d = device_spec();
	d.ext[0].value = "30 03 01 01 00"; /* basicConstraints cA FALSE spelled out */
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "der-not-canonical");

	d = device_spec();
	d.version = 0; /* version v1 spelled out (and extensions need v3) */
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "der-not-canonical", "version-not-v3");
}

Test(lint, set_of_must_be_sorted)
{
	cert_spec d = device_spec();

	/* One RDN holding O then CN: DER sorts the SET by encoding (CN's
	 * 06 03 55 04 03 sorts before O's 06 03 55 04 0a). */
	d.subject_raw = "30 1a 31 18 30 0a 06 03 55 04 0a 0c 03 4f 72 67 30 0a 06 03 55 04 03 0c 03 64 65 76";
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "der-not-canonical");
}

Test(lint, serial_with_redundant_leading_zero)
{
	cert_spec d = device_spec();
	iotx509_lint_result *r;

	d.serial = "00 11 22 33 44 55 66 77 88";
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "der-not-canonical", NULL);
	cr_assert_str_eq(message_of(r, "der-not-canonical"), "serialNumber INTEGER has a redundant leading octet 0x00");
	iotx509_lint_result_free(r);
}

Test(lint, key_usage_with_trailing_zero_bits)
{
	cert_spec d = device_spec();

	d.ext[1].value = "03 02 00 80"; /* digitalSignature, but 8 bits encoded */
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "der-not-canonical");
}

Test(lint, undecodable_der_is_a_parse_error)
{
	static const unsigned char truncated[] = { 0x30, 0x82, 0x01, 0x00, 0x30, 0x03, 0x02, 0x01 };
	iotx509_lint_result *r = (iotx509_lint_result *)1;

	cr_assert_eq(iotx509_lint_der(&r, truncated, sizeof(truncated), NULL), IOTX509_EPARSE);
	cr_assert_null(r);
	cr_assert(strstr(th_err(), "not an X.509 certificate: the DER does not decode") != NULL, "%s", th_err());
}

/* ---- version, serial, algorithms ---- */

Test(lint, extensions_need_version_3)
{
	cert_spec d = device_spec();
	iotx509_lint_result *r;

	d.version = -1;
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "version-not-v3", NULL);
	cr_assert_str_eq(message_of(r, "version-not-v3"),
			 "the certificate has extensions but is version 1; extensions require version 3");
	iotx509_lint_result_free(r);
	d.version = 1;
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "version-not-v3");
}

Test(lint, version_4_does_not_exist)
{
	cert_spec d = device_spec();

	d.version = 3;
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "version-invalid");
}

Test(lint, serial_zero_negative_too_long_short)
{
	cert_spec d = device_spec();
	iotx509_lint_result *r;

	d.serial = "00";
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "serial-zero");
	d.serial = "ff 01";
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "serial-negative", NULL);
	cr_assert_str_eq(message_of(r, "serial-negative"),
			 "serialNumber is negative (first octet 0xff); it must be positive");
	iotx509_lint_result_free(r);
	d.serial = "01 " SERIAL20; /* 21 octets */
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "serial-too-long", NULL);
	cr_assert_str_eq(message_of(r, "serial-too-long"), "serialNumber is 21 octets long; at most 20 are allowed");
	iotx509_lint_result_free(r);
	/* 20 octets whose top bit is set need a sign octet: still 20 octets of value. */
	d.serial = "00 81 22 33 44 55 66 77 88 99 aa bb cc dd ee ff 01 02 03 04 05";
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, NULL);
	d.serial = "05";
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "serial-low-entropy", NULL);
	cr_assert_eq(severity_of(r, "serial-low-entropy"), IOTX509_LINT_INFO);
	iotx509_lint_result_free(r);
}

Test(lint, inner_and_outer_signature_algorithms_must_match)
{
	cert_spec d = device_spec();
	iotx509_lint_result *r;

	d.outer_alg = ALG_ECDSA_SHA384;
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "signature-algorithm-mismatch", NULL);
	cr_assert_str_eq(message_of(r, "signature-algorithm-mismatch"),
			 "tbsCertificate.signature is 1.2.840.10045.4.3.2 but signatureAlgorithm is 1.2.840.10045.4.3.3; "
			 "they must be identical");
	iotx509_lint_result_free(r);
	d.inner_alg = ALG_RSA_SHA256;
	d.outer_alg = ALG_RSA_SHA256_NOPARAM;
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "signature-algorithm-mismatch", NULL);
	cr_assert(strstr(message_of(r, "signature-algorithm-mismatch"), "differ in their parameters") != NULL);
	iotx509_lint_result_free(r);
}

/* ---- validity ---- */

Test(lint, generalized_time_before_2050)
{
	cert_spec d = device_spec();
	iotx509_lint_result *r;

	d.na_tag = 0x18;
	d.na = "20491231235959Z";
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "validity-generalized-before-2050", NULL);
	cr_assert_str_eq(message_of(r, "validity-generalized-before-2050"),
			 "notAfter 20491231235959Z is a GeneralizedTime; dates before 2050 must be encoded as UTCTime");
	iotx509_lint_result_free(r);
	d.na = "20500101000000Z";
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, NULL);
}

Test(lint, malformed_times)
{
	cert_spec d = device_spec();
	iotx509_lint_result *r;

	d.nb = "2611291200Z"; /* no seconds */
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "validity-time-format", NULL);
	cr_assert_str_eq(message_of(r, "validity-time-format"),
			 "notBefore UTCTime '2611291200Z' is not in the form YYMMDDHHMMSSZ");
	iotx509_lint_result_free(r);
	d.nb = "261129120000+0100";
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "validity-time-format");
	d.nb = "260230120000Z"; /* 30 February */
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "validity-time-format");
	d = device_spec();
	d.na_tag = 0x18;
	d.na = "20500101000000.5Z"; /* fractions are not allowed */
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "validity-time-format");
}

Test(lint, not_after_before_not_before)
{
	cert_spec d = device_spec();
	iotx509_lint_result *r;

	d.na = "251129120000Z";
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "validity-inverted", NULL);
	cr_assert_str_eq(message_of(r, "validity-inverted"),
			 "notAfter 2025-11-29T12:00:00Z is before notBefore 2026-11-29T12:00:00Z");
	iotx509_lint_result_free(r);
}

/* ---- names ---- */

Test(lint, empty_issuer_and_subject)
{
	cert_spec d = device_spec();

	d.issuer = NULL;
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "issuer-empty");
	d = device_spec();
	d.subject = NULL;
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "subject-empty");
	/* An empty subject is allowed when a critical subjectAltName names the device. */
	d.ext[5] = (ext_spec){ OID_SAN, "30 0b 82 09 61 2e 65 78 61 6d 70 6c 65", 1 };
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, NULL);
}

Test(lint, common_names_longer_than_64_characters)
{
	static const char cn65[] = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm";
	/* 64 characters, 128 bytes of UTF-8: within the limit. */
	static const char utf8_64[] = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
				      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
				      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
				      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
				      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
				      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
				      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
				      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
	cert_spec d = device_spec();
	iotx509_lint_result *r;

	cr_assert_eq(strlen(cn65), 65);
	d.subject = cn65;
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "subject-cn-too-long", NULL);
	cr_assert_str_eq(message_of(r, "subject-cn-too-long"),
			 "subject commonName is 65 characters long; at most 64 are allowed");
	iotx509_lint_result_free(r);
	d = device_spec();
	d.issuer = cn65;
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "issuer-cn-too-long");
	d = device_spec();
	d.subject = utf8_64;
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, NULL);
	/* BMPString: two octets per character. 65 characters = 130 octets. */
	d.subject_raw = "30 81 90 31 81 8d 30 81 8a 06 03 55 04 03 1e 81 82"
			" 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61"
			" 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61"
			" 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61"
			" 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61"
			" 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61 00 61";
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "subject-cn-too-long");
}

/* Issue 13: a subject of empty RDNs made set_subject() call memcpy() with a
 * NULL source (UBSan aborts in the sanitizer build). RFC 5280 wants at least
 * one attribute in every RDN. */
Test(lint, names_with_empty_rdns)
{
	cert_spec d = device_spec();
	iotx509_lint_result *r;

	d.subject_raw = "30 06 31 00 31 00 31 00";
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "subject-empty-rdn", "subject-empty", NULL);
	cr_assert_str_eq(message_of(r, "subject-empty-rdn"),
			 "RDN 1 of 3 in the subject name is empty; RFC 5280 requires at least one attribute in each");
	cr_assert_str_eq(iotx509_lint_result_get_subject(r, 0), "");
	iotx509_lint_result_free(r);

	d.subject_raw = "30 02 31 00";
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "subject-empty-rdn", "subject-empty");
	/* An empty RDN after a CN: the name is not empty, the RDN still is. */
	d.subject_raw = "30 13 31 0f 30 0d 06 03 55 04 03 0c 06 64 65 76 69 63 65 31 00";
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "subject-empty-rdn", NULL);
	cr_assert(strstr(message_of(r, "subject-empty-rdn"), "RDN 2 of 2 ") != NULL, "%s", message_of(r, "subject-empty-rdn"));
	iotx509_lint_result_free(r);

	/* 1100 empty RDNs, then the CN: only the first 1024 RDNs and
	 * attributes are read, so the name is not called empty. */
	{
		char *many = malloc(8 + 1100 * 6 + 60);
		size_t n = (size_t)sprintf(many, "30 82 08 a9");
		int i;

		for (i = 0; i < 1100; i++)
			n += (size_t)sprintf(many + n, " 31 00");
		sprintf(many + n, " 31 0f 30 0d 06 03 55 04 03 0c 06 64 65 76 69 63 65");
		d.subject_raw = many;
		r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
		expect_only(r, "subject-empty-rdn", NULL);
		cr_assert(strstr(message_of(r, "subject-empty-rdn"), "RDN 1 of 1101 ") != NULL, "%s",
			  message_of(r, "subject-empty-rdn"));
		iotx509_lint_result_free(r);
		free(many);
	}

	d = device_spec();
	d.issuer_raw = "30 04 31 00 31 00";
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "issuer-empty-rdn", "issuer-empty");
	/* Both, and a critical subjectAltName does not excuse the empty RDN. */
	d.subject_raw = "30 02 31 00";
	d.ext[5] = (ext_spec){ OID_SAN, "30 0b 82 09 61 2e 65 78 61 6d 70 6c 65", 1 };
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "issuer-empty-rdn", "issuer-empty", "subject-empty-rdn");
}

/* Issue 13: which of two CNs is the device? OpenSSL and GnuTLS read the
 * first, Go the last; DPS and IoT Hub match one of them. */
Test(lint, subject_with_several_common_names)
{
	cert_spec d = device_spec(), c = ca_spec();
	iotx509_lint_result *r;

	/* CN=device-01, then CN=device-02, each in its own RDN. */
	d.subject_raw = "30 28 31 12 30 10 06 03 55 04 03 0c 09 64 65 76 69 63 65 2d 30 31"
			" 31 12 30 10 06 03 55 04 03 0c 09 64 65 76 69 63 65 2d 30 32";
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "subject-cn-multiple", NULL);
	cr_assert_eq(severity_of(r, "subject-cn-multiple"), IOTX509_LINT_ERROR);
	cr_assert_str_eq(message_of(r, "subject-cn-multiple"),
			 "the subject has 2 commonName attributes; readers disagree on which one names the certificate "
			 "(OpenSSL and GnuTLS take the first, Go the last)");
	iotx509_lint_result_free(r);
	EXPECT(d, IOTX509_LINT_PROFILE_AUTO, "subject-cn-multiple");
	/* Both in one multi-valued RDN, and the same value twice. */
	d.subject_raw = "30 28 31 26 30 10 06 03 55 04 03 0c 09 64 65 76 69 63 65 2d 30 31"
			" 30 12 06 03 55 04 03 0c 0b 64 65 76 69 63 65 2d 30 31 2d 62";
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "subject-cn-multiple");
	d.subject_raw = "30 28 31 12 30 10 06 03 55 04 03 0c 09 64 65 76 69 63 65 2d 30 31"
			" 31 12 30 10 06 03 55 04 03 0c 09 64 65 76 69 63 65 2d 30 31";
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "subject-cn-multiple");
	/* One CN and an O: fine. */
	d.subject_raw = "30 24 31 0c 30 0a 06 03 55 04 0a 0c 03 4f 72 67 31 14 30 12 06 03 55 04 03 0c 0b 64 65 76 69 63"
			" 65 2d 30 31 2d 62";
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, NULL);
	/* A CA's subject is judged the same way; an issuer's two CNs belong
	 * to the issuer's own certificate. */
	c.subject_raw = c.issuer_raw = "30 28 31 12 30 10 06 03 55 04 03 0c 09 64 65 76 69 63 65 2d 30 31"
				       " 31 12 30 10 06 03 55 04 03 0c 09 64 65 76 69 63 65 2d 30 32";
	EXPECT(c, IOTX509_LINT_PROFILE_CA, "subject-cn-multiple");
	d = device_spec();
	d.issuer_raw = c.issuer_raw;
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, NULL);
}

/* ---- extensions ---- */

Test(lint, duplicate_and_empty_extensions)
{
	cert_spec d = device_spec();
	iotx509_lint_result *r;

	d.ext[5] = (ext_spec){ OID_SKI, "04 14 " KEYID2, -1 };
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "duplicate-extension", NULL);
	cr_assert_str_eq(message_of(r, "duplicate-extension"),
			 "extension 2.5.29.14 (subjectKeyIdentifier) appears more than once");
	iotx509_lint_result_free(r);

	d = device_spec();
	d.empty_extensions = 1;
	EXPECT(d, IOTX509_LINT_PROFILE_AUTO, "extensions-empty", "ee-missing-key-usage", "ee-missing-ski", "missing-aki",
	       "ee-missing-ext-key-usage");
}

Test(lint, hostile_sizes_are_bounded)
{
	cert_spec d = device_spec();
	char *many = malloc(1100 * 40 + 1);
	size_t i, n = 0;
	iotx509_lint_result *r;
	static unsigned char big[70000];

	/* 1100 extra extensions, 1.2.3.<i> with an empty value. */
	for (i = 0; i < 1100; i++)
		n += (size_t)sprintf(many + n, "30 09 06 04 2a 03 %02zx %02zx 04 01 00 ", 0x80 | ((i + 128) >> 7),
				     (i + 128) & 0x7f);
	d.ext_raw = many;
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "extensions-too-many", NULL);
	cr_assert_str_eq(message_of(r, "extensions-too-many"),
			 "the certificate has 1105 extensions; only the first 1024 were checked");
	iotx509_lint_result_free(r);
	free(many);

	big[0] = 0x30;
	cr_assert_eq(iotx509_lint_der(&r, big, sizeof(big), NULL), IOTX509_EPARSE);
	cr_assert_str_eq(th_err(), "input of 70000 bytes is too large for a certificate (the linter takes up to 65536)");
}

Test(lint, unknown_critical_extension_is_a_warning)
{
	cert_spec d = device_spec();
	iotx509_lint_result *r;

	d.ext[5] = (ext_spec){ "06 03 2a 03 04", "05 00", 1 };
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "unknown-critical-extension", NULL);
	cr_assert_eq(severity_of(r, "unknown-critical-extension"), IOTX509_LINT_WARNING);
	cr_assert(strstr(message_of(r, "unknown-critical-extension"), "extension 1.2.3.4 is critical") != NULL);
	iotx509_lint_result_free(r);
}

Test(lint, known_extension_that_does_not_decode)
{
	cert_spec d = device_spec();
	iotx509_lint_result *r;

	d.ext[1].value = "04 01 80"; /* keyUsage as an OCTET STRING */
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	/* ... and then it has no usable keyUsage bits either. */
	expect_only(r, "extension-malformed", NULL);
	cr_assert(strncmp(message_of(r, "extension-malformed"), "keyUsage does not decode: ", 26) == 0, "%s",
		  message_of(r, "extension-malformed"));
	iotx509_lint_result_free(r);
}

/* ---- CA rules ---- */

Test(lint, ca_rules)
{
	cert_spec c = ca_spec();
	iotx509_lint_result *r;

	c.ext[0].critical = -1;
	r = lint_spec(&c, IOTX509_LINT_PROFILE_CA);
	expect_only(r, "ca-basic-constraints-not-critical", NULL);
	cr_assert_eq(severity_of(r, "ca-basic-constraints-not-critical"), IOTX509_LINT_ERROR);
	iotx509_lint_result_free(r);

	c = ca_spec();
	c.ext[1] = c.ext[2];
	c.ext[2] = (ext_spec){ NULL, NULL, 0 };
	EXPECT(c, IOTX509_LINT_PROFILE_CA, "ca-missing-key-usage");

	c = ca_spec();
	c.ext[1].value = "03 02 07 80"; /* digitalSignature only */
	r = lint_spec(&c, IOTX509_LINT_PROFILE_CA);
	expect_only(r, "ca-key-usage-no-cert-sign", NULL);
	cr_assert_str_eq(message_of(r, "ca-key-usage-no-cert-sign"), "CA certificate whose keyUsage lacks keyCertSign");
	iotx509_lint_result_free(r);

	c = ca_spec();
	c.ext[2] = (ext_spec){ NULL, NULL, 0 };
	EXPECT(c, IOTX509_LINT_PROFILE_CA, "ca-missing-ski");

	/* An intermediate (not self-issued) needs an AKI. */
	c = ca_spec();
	c.subject = "Lint Intermediate CA";
	EXPECT(c, IOTX509_LINT_PROFILE_CA, "missing-aki");
	c.ext[3] = (ext_spec){ OID_AKI, "30 16 80 14 " KEYID2, -1 };
	EXPECT(c, IOTX509_LINT_PROFILE_CA, NULL);
}

Test(lint, profile_must_match_the_certificate)
{
	cert_spec c = ca_spec(), d = device_spec();
	iotx509_lint_result *r;

	EXPECT(c, IOTX509_LINT_PROFILE_DEVICE, "profile-is-ca");
	EXPECT(c, IOTX509_LINT_PROFILE_SERVER, "profile-is-ca");
	r = lint_spec(&d, IOTX509_LINT_PROFILE_CA);
	expect_only(r, "profile-not-ca", NULL);
	cr_assert_str_eq(message_of(r, "profile-not-ca"),
			 "a CA certificate was expected but basicConstraints does not say CA:TRUE");
	iotx509_lint_result_free(r);
}

/* ---- end-entity rules ---- */

Test(lint, key_cert_sign_and_pathlen_need_a_ca)
{
	cert_spec d = device_spec();

	d.ext[1].value = "03 02 02 84"; /* digitalSignature + keyCertSign */
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "key-cert-sign-not-ca");
	d = device_spec();
	d.ext[0].value = "30 03 02 01 00"; /* CA:FALSE with pathLenConstraint 0 */
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "pathlen-without-ca");
}

Test(lint, key_usage_rules)
{
	cert_spec d = device_spec();
	iotx509_lint_result *r;

	d.ext[1].value = "03 01 00";
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "key-usage-empty");
	d = device_spec();
	d.ext[1].critical = -1;
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "key-usage-not-critical", NULL);
	cr_assert_eq(severity_of(r, "key-usage-not-critical"), IOTX509_LINT_WARNING);
	iotx509_lint_result_free(r);
	d = device_spec();
	d.ext[1].value = "03 02 05 a0"; /* digitalSignature + keyEncipherment on an EC key */
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "key-usage-key-encipherment-not-rsa");
	/* Neither keyUsage nor subjectKeyIdentifier: BC, EKU, AKI only. */
	d = device_spec();
	d.ext[1] = d.ext[2];
	d.ext[2] = d.ext[4];
	d.ext[3] = d.ext[4] = (ext_spec){ NULL, NULL, 0 };
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "ee-missing-key-usage", "ee-missing-ski");
}

/* keyUsage @octets long: digitalSignature, plus the last bit when longer
 * than one octet (so it stays DER), or @fill in every octet. */
static const char *ku_hex(char *buf, size_t size, int octets, int fill)
{
	size_t n = (size_t)snprintf(buf, size, "03 %02x %02x", octets + 1, octets == 1 && fill < 0 ? 7 : 0);
	int i;

	for (i = 0; i < octets && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, " %02x",
				      fill >= 0 ? fill : i == 0 ? 0x80 : i == octets - 1 ? 0x01 : 0);
	return buf;
}

/* Issue 13: libtasn1 takes a BIT STRING's buffer size in octets and returns
 * its length in bits; the linter gave 64 (bits) for an 8-octet buffer, so a
 * keyUsage of 9 octets or more overflowed the stack and later loops read
 * past it. Every length from 1 to 40 octets now reads right. */
Test(lint, key_usage_of_1_to_40_octets)
{
	char hex[256], want[128];
	cert_spec d = device_spec();
	iotx509_lint_result *r;
	int n;

	for (n = 1; n <= 40; n++) {
		d.ext[1].value = ku_hex(hex, sizeof(hex), n, -1);
		r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
		if (n == 1) {
			expect_only(r, NULL);
		} else if (n == 2) {
			expect_only(r, "key-usage-undefined-bits", NULL);
			cr_assert_eq(severity_of(r, "key-usage-undefined-bits"), IOTX509_LINT_WARNING);
			cr_assert_str_eq(message_of(r, "key-usage-undefined-bits"),
					 "keyUsage sets bit 15; RFC 5280 defines bits 0 (digitalSignature) to 8 "
					 "(decipherOnly) only");
		} else {
			expect_only(r, "key-usage-too-long", NULL);
			cr_assert_eq(severity_of(r, "key-usage-too-long"), IOTX509_LINT_ERROR);
			snprintf(want, sizeof(want),
				 "keyUsage is %d octets long; RFC 5280 defines 9 bits (2 octets), and GnuTLS cannot "
				 "read a longer one", n);
			cr_assert_str_eq(message_of(r, "key-usage-too-long"), want);
		}
		iotx509_lint_result_free(r);
	}
	/* The first two octets still count: all ones asserts keyCertSign and
	 * keyEncipherment, whatever the length. */
	d.ext[1].value = ku_hex(hex, sizeof(hex), 40, 0xff);
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "key-usage-too-long", "key-cert-sign-not-ca",
	       "key-usage-key-encipherment-not-rsa");
	/* Trailing zero octets: not DER, and too long. */
	d.ext[1].value = "03 0a 00 80 00 00 00 00 00 00 00 00";
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "der-not-canonical", "key-usage-too-long");
	/* Zero bits in 40 octets: empty as well. */
	d.ext[1].value = ku_hex(hex, sizeof(hex), 40, 0);
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "der-not-canonical", "key-usage-empty", "key-usage-too-long");
	/* decipherOnly (bit 8) is the last defined bit. */
	d.ext[1].value = "03 03 07 80 80";
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, NULL);
}

/* A device whose keyUsage is @ku has exactly one finding: @id saying @msg. */
static void expect_ku_finding(const char *ku, const char *id, const char *msg)
{
	cert_spec d = device_spec();
	iotx509_lint_result *r;

	d.ext[1].value = ku;
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, id, NULL);
	cr_assert_str_eq(message_of(r, id), msg, "keyUsage %s", ku);
	iotx509_lint_result_free(r);
}

Test(lint, key_usage_bit_string_with_impossible_unused_bits)
{
	static const char more_than_7[] = "keyUsage BIT STRING says more than 7 bits of its last octet are unused";
	static const char malformed[] =
		"keyUsage BIT STRING is malformed: no unused-bits octet, or more unused bits than content";

	/* 8 and 9 unused bits of 16: more than the last octet has. */
	expect_ku_finding("03 03 08 80 00", "extension-malformed", more_than_7);
	expect_ku_finding("03 03 09 80 00", "extension-malformed", more_than_7);
	/* 255 unused bits of 8, and no unused-bits octet at all. */
	expect_ku_finding("03 02 ff 80", "extension-malformed", malformed);
	expect_ku_finding("03 00", "extension-malformed", malformed);
}

/* A pathLenConstraint too long for the linter's buffer is still there. */
Test(lint, huge_path_length_constraint_is_seen)
{
	cert_spec d = device_spec();

	d.ext[0].value = "30 16 02 14 7f ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff";
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "pathlen-without-ca");
}

Test(lint, key_identifiers_must_not_be_critical)
{
	cert_spec d = device_spec();

	d.ext[3].critical = 1;
	d.ext[4].critical = 1;
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "key-identifier-critical", "key-identifier-critical");
}

Test(lint, authority_key_identifier_rules)
{
	cert_spec d = device_spec();
	iotx509_lint_result *r;

	d.ext[4] = (ext_spec){ NULL, NULL, 0 };
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "missing-aki", NULL);
	cr_assert(strstr(message_of(r, "missing-aki"), "not self-issued") != NULL);
	iotx509_lint_result_free(r);
	d.ext[4] = (ext_spec){ OID_AKI, "30 03 82 01 01", -1 }; /* serial only, no keyIdentifier */
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "missing-aki", NULL);
	cr_assert_str_eq(message_of(r, "missing-aki"), "authorityKeyIdentifier has no keyIdentifier");
	iotx509_lint_result_free(r);
	/* Self-signed: no AKI needed. */
	d.issuer = d.subject;
	d.ext[4] = (ext_spec){ NULL, NULL, 0 };
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, NULL);
}

Test(lint, devices_need_client_auth)
{
	cert_spec d = device_spec();
	iotx509_lint_result *r;

	d.ext[2].value = "30 0a 06 08 2b 06 01 05 05 07 03 04"; /* emailProtection only */
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, "device-missing-client-auth");
	EXPECT(d, IOTX509_LINT_PROFILE_AUTO, "device-missing-client-auth");
	/* No extendedKeyUsage at all. */
	d = device_spec();
	d.ext[2] = d.ext[4];
	d.ext[4] = (ext_spec){ NULL, NULL, 0 };
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	expect_only(r, "device-missing-client-auth", NULL);
	cr_assert_eq(severity_of(r, "device-missing-client-auth"), IOTX509_LINT_ERROR);
	cr_assert_str_eq(message_of(r, "device-missing-client-auth"),
			 "device certificate without extendedKeyUsage; clientAuth is required");
	iotx509_lint_result_free(r);
	/* Without a stated profile a missing EKU is only a warning. */
	r = lint_spec(&d, IOTX509_LINT_PROFILE_AUTO);
	expect_only(r, "ee-missing-ext-key-usage", NULL);
	cr_assert_eq(severity_of(r, "ee-missing-ext-key-usage"), IOTX509_LINT_WARNING);
	iotx509_lint_result_free(r);
	/* anyExtendedKeyUsage covers clientAuth. */
	d = device_spec();
	d.ext[2].value = "30 06 06 04 55 1d 25 00";
	EXPECT(d, IOTX509_LINT_PROFILE_DEVICE, NULL);
}

Test(lint, servers_need_server_auth_and_a_san)
{
	cert_spec d = device_spec();

	/* A device certificate checked as a server. */
	EXPECT(d, IOTX509_LINT_PROFILE_SERVER, "server-missing-server-auth", "server-missing-san");
	/* serverAuth only: auto-detected as a server, which needs a SAN. */
	d.ext[2].value = "30 0a 06 08 2b 06 01 05 05 07 03 01";
	EXPECT(d, IOTX509_LINT_PROFILE_AUTO, "server-missing-san");
	d.ext[5] = (ext_spec){ OID_SAN, "30 0b 82 09 61 2e 65 78 61 6d 70 6c 65", -1 };
	EXPECT(d, IOTX509_LINT_PROFILE_AUTO, NULL);
	EXPECT(d, IOTX509_LINT_PROFILE_SERVER, NULL);
}

/* ---- API ---- */

Test(lint, options_and_names)
{
	iotx509_lint_options o;
	iotx509_lint_profile p;
	iotx509_lint_result *r = NULL;
	cert_spec d = device_spec();
	blob b;

	cr_assert_eq(iotx509_lint_options_init(&o, IOTX509_LINT_OPTIONS_VERSION), 0);
	cr_assert_eq(o.profile, IOTX509_LINT_PROFILE_AUTO);
	cr_assert_eq(iotx509_lint_options_init(&o, 99), IOTX509_EINVAL);
	cr_assert_str_eq(th_err(), "lint options: unsupported version 99 (this library accepts 1 to 1)");
	cr_assert_eq(iotx509_lint_profile_from_name(&p, "device"), 0);
	cr_assert_eq(p, IOTX509_LINT_PROFILE_DEVICE);
	cr_assert_eq(iotx509_lint_profile_from_name(&p, "edge"), IOTX509_EINVAL);
	cr_assert_str_eq(th_err(), "unknown lint profile 'edge' (expected auto, ca, device or server)");
	cr_assert_str_eq(iotx509_lint_severity_name(IOTX509_LINT_ERROR), "error");
	cr_assert_str_eq(iotx509_lint_severity_name(IOTX509_LINT_WARNING), "warning");
	cr_assert_str_eq(iotx509_lint_severity_name(IOTX509_LINT_INFO), "info");
	cr_assert_str_eq(iotx509_lint_severity_name((iotx509_lint_severity)7), "unknown");

	b = build(&d);
	o.profile = (iotx509_lint_profile)9;
	cr_assert_eq(iotx509_lint_der(&r, b.p, b.n, &o), IOTX509_EINVAL);
	cr_assert_str_eq(th_err(), "lint options: unknown profile 9");
	o.profile = IOTX509_LINT_PROFILE_AUTO;
	o.version = 2;
	cr_assert_eq(iotx509_lint_der(&r, b.p, b.n, &o), IOTX509_EINVAL);
	cr_assert_eq(iotx509_lint_der(NULL, b.p, b.n, NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_lint_cert(&r, NULL, NULL), IOTX509_EINVAL);
	cr_assert_str_eq(th_err(), "lint: NULL argument");
	free(b.p);
}

Test(lint, result_accessors_are_null_safe)
{
	cr_assert_eq(iotx509_lint_result_count(NULL), 0);
	cr_assert_eq(iotx509_lint_result_cert_count(NULL), 0);
	cr_assert_eq(iotx509_lint_result_severity_count(NULL, IOTX509_LINT_ERROR), 0);
	cr_assert_null(iotx509_lint_result_get_id(NULL, 0));
	cr_assert_null(iotx509_lint_result_get_message(NULL, 0));
	cr_assert_null(iotx509_lint_result_get_subject(NULL, 0));
	cr_assert_eq(iotx509_lint_result_get_severity(NULL, 0), 0);
	cr_assert_eq(iotx509_lint_result_get_cert_index(NULL, 0), 0);
	cr_assert_eq(iotx509_lint_result_has(NULL, "x"), 0);
	iotx509_lint_result_free(NULL);
}

Test(lint, counts_by_severity)
{
	cert_spec d = device_spec();
	iotx509_lint_result *r;

	d.serial = "05";                /* info */
	d.ext[1].critical = -1;         /* warning */
	d.ext[4] = (ext_spec){ NULL, NULL, 0 }; /* error */
	r = lint_spec(&d, IOTX509_LINT_PROFILE_DEVICE);
	cr_assert_eq(iotx509_lint_result_count(r), 3, "%s", ids_of(r));
	cr_assert_eq(iotx509_lint_result_severity_count(r, IOTX509_LINT_ERROR), 1);
	cr_assert_eq(iotx509_lint_result_severity_count(r, IOTX509_LINT_WARNING), 1);
	cr_assert_eq(iotx509_lint_result_severity_count(r, IOTX509_LINT_INFO), 1);
	cr_assert(iotx509_lint_result_has(r, "missing-aki"));
	cr_assert_not(iotx509_lint_result_has(r, "serial-zero"));
	cr_assert_null(iotx509_lint_result_get_id(r, 3));
	iotx509_lint_result_free(r);
}

Test(lint, data_reads_pem_and_der_and_refuses_the_rest)
{
	static const unsigned char junk[] = "hello, not a certificate";
	static const unsigned char bad_b64[] = "-----BEGIN CERTIFICATE-----\nMII*bad\n-----END CERTIFICATE-----\n";
	static const unsigned char key_only[] = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
	iotx509_lint_result *r = NULL;
	cert_spec d = device_spec();
	blob b = build(&d);
	char *two;
	size_t n;

	cr_assert_eq(iotx509_lint_data(&r, b.p, b.n, NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_lint_result_cert_count(r), 1);
	iotx509_lint_result_free(r);

	/* Two PEM blocks, the second one with a finding. */
	{
		gnutls_datum_t der = { b.p, (unsigned int)b.n }, out = { NULL, 0 };
		cert_spec d2 = device_spec();
		blob b2;

		d2.serial = "00";
		b2 = build(&d2);
		cr_assert_eq(gnutls_pem_base64_encode2("CERTIFICATE", &der, &out), 0);
		n = out.size;
		two = malloc(2 * n + 2 * b2.n + 64);
		memcpy(two, out.data, out.size);
		gnutls_free(out.data);
		der.data = b2.p;
		der.size = (unsigned int)b2.n;
		cr_assert_eq(gnutls_pem_base64_encode2("CERTIFICATE", &der, &out), 0);
		memcpy(two + n, out.data, out.size);
		n += out.size;
		gnutls_free(out.data);
		free(b2.p);
	}
	cr_assert_eq(iotx509_lint_data(&r, (unsigned char *)two, n, NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_lint_result_cert_count(r), 2);
	expect_only(r, "serial-zero", NULL);
	cr_assert_eq(iotx509_lint_result_get_cert_index(r, 0), 1);
	iotx509_lint_result_free(r);
	free(two);
	free(b.p);

	cr_assert_eq(iotx509_lint_data(&r, junk, sizeof(junk) - 1, NULL), IOTX509_EPARSE);
	cr_assert_str_eq(th_err(), "not a certificate: neither PEM nor DER (first byte 0x68)");
	cr_assert_eq(iotx509_lint_data(&r, bad_b64, sizeof(bad_b64) - 1, NULL), IOTX509_EPARSE);
	cr_assert(strncmp(th_err(), "certificate 1: PEM block 'CERTIFICATE': invalid base64 character 0x2a", 67) == 0,
		  "%s", th_err());
	cr_assert_eq(iotx509_lint_data(&r, key_only, sizeof(key_only) - 1, NULL), IOTX509_EPARSE);
	cr_assert_str_eq(th_err(), "no PEM block labelled CERTIFICATE found");
	cr_assert_eq(iotx509_lint_data(&r, junk, 0, NULL), IOTX509_EPARSE);
	cr_assert_str_eq(th_err(), "no certificate: the input is empty");
	cr_assert_null(r);
}

/* ---- options: zero-fill and versions ---- */

Test(lint, zero_filled_options_are_the_defaults)
{
	static const char *const files[] = { "create_test_cert/mytestrootcert_cert.pem",
					     "create_test_cert/sampleDevice01_fullchain.pem",
					     "create_test_cert/verification_cert.pem" };
	iotx509_lint_options z, init = IOTX509_LINT_OPTIONS_INIT;
	iotx509_buf b = IOTX509_BUF_INIT;
	size_t i;

	TH_ZERO_OPTIONS(z, IOTX509_LINT_OPTIONS_VERSION);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		iotx509_lint_result *ra = NULL, *rb = NULL;
		char *ia, *ib;

		cr_assert_eq(iotx509_file_read(&b, th_fixture(files[i])), 0, "%s", th_err());
		cr_assert_eq(iotx509_lint_data(&ra, b.data, b.size, &z), 0, "%s", th_err());
		cr_assert_eq(iotx509_lint_data(&rb, b.data, b.size, &init), 0, "%s", th_err());
		ia = strdup(ids_of(ra)); /* ids_of() reuses one buffer */
		ib = ids_of(rb);
		cr_assert_str_eq(ia, ib, "%s", files[i]);
		free(ia);
		iotx509_lint_result_free(ra);
		iotx509_lint_result_free(rb);
		iotx509_buf_dispose(&b);
	}
	TH_CHECK_OPTIONS_INIT(iotx509_lint_options, iotx509_lint_options_init, IOTX509_LINT_OPTIONS_VERSION, "lint options",
			      IOTX509_LINT_OPTIONS_INIT);
}

Test(lint, options_versions_1_to_current)
{
	iotx509_lint_options o = IOTX509_LINT_OPTIONS_INIT;
	iotx509_lint_result *r = NULL;
	iotx509_buf b = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_file_read(&b, th_fixture("create_test_cert/mytestrootcert_cert.pem")), 0, "%s", th_err());
	o.version = 1;
	cr_assert_eq(iotx509_lint_data(&r, b.data, b.size, &o), 0, "%s", th_err());
	iotx509_lint_result_free(r);
	r = NULL;
	o.version = 0;
	th_version_refused(iotx509_lint_data(&r, b.data, b.size, &o), 0);
	o.version = IOTX509_LINT_OPTIONS_VERSION + 1;
	th_version_refused(iotx509_lint_data(&r, b.data, b.size, &o), IOTX509_LINT_OPTIONS_VERSION + 1);
	cr_assert_null(r);
	iotx509_buf_dispose(&b);
}
