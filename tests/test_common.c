#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

Test(common, runtime_version_matches_the_headers)
{
	int major = -1, minor = -1, patch = -1;
	const char *v = iotx509_version(&major, &minor, &patch);

	cr_assert_str_eq(v, IOTX509_VERSION_STRING);
	cr_assert_eq(major, IOTX509_VERSION_MAJOR);
	cr_assert_eq(minor, IOTX509_VERSION_MINOR);
	cr_assert_eq(patch, IOTX509_VERSION_PATCH);
	cr_assert_eq(IOTX509_VERSION_NUMBER, (major << 16) | (minor << 8) | patch);
	cr_assert_str_eq(iotx509_version(NULL, NULL, NULL), v);
}

Test(common, buf_dispose_wipes_and_resets_and_accepts_null)
{
	iotx509_buf buf = IOTX509_BUF_INIT;
	iotx509_key *key = NULL;

	iotx509_buf_dispose(NULL);
	iotx509_buf_dispose(&buf);
	cr_assert_eq(iotx509_key_generate(&key, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_key_export_pem(&buf, key, NULL), 0);
	cr_assert_gt(buf.size, 0);
	cr_assert_eq(buf.data[buf.size], '\0', "text buffers are NUL-terminated");
	iotx509_buf_dispose(&buf);
	cr_assert_null(buf.data);
	cr_assert_eq(buf.size, 0);
	iotx509_key_free(key);
}

Test(common, pkg_config_file_describes_the_library)
{
	char path[4096], *pc;

	snprintf(path, sizeof(path), "%s/pkgconfig/libiotx509.pc", IOTX509_TEST_BUILDDIR);
	pc = th_slurp(path, NULL);
	cr_assert_not_null(pc, "%s missing", path);
	cr_assert(strstr(pc, "Libs: -L${libdir} -liotx509") != NULL);
	cr_assert(strstr(pc, "Version: " IOTX509_VERSION_STRING) != NULL);
	cr_assert(strstr(pc, "Requires.private: gnutls") != NULL);
	free(pc);
}

/* ---- iotx509_text_escape() ---- */

static void assert_escapes(const char *in, const char *want)
{
	iotx509_buf out = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_text_escape(&out, in), 0, "%s", th_err());
	cr_assert_str_eq((const char *)out.data, want);
	cr_assert_eq(out.size, strlen(want));
	iotx509_buf_dispose(&out);
}

Test(escape, keeps_printable_ascii_and_utf8)
{
	assert_escapes("", "");
	assert_escapes("CN=sensor-01, O=Contoso", "CN=sensor-01, O=Contoso");
	assert_escapes("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x91 \xc2\xa0", "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x91 \xc2\xa0");
}

Test(escape, a_newline_cannot_forge_a_line)
{
	assert_escapes("evil\nSHA-1: FORGED", "evil\\nSHA-1: FORGED");
	assert_escapes("a\r\tb", "a\\r\\tb");
	assert_escapes("back\\slash", "back\\\\slash");
}

Test(escape, other_controls_become_hex)
{
	assert_escapes("\x1b[2J\x1b]0;t\x07", "\\x1b[2J\\x1b]0;t\\x07");
	assert_escapes("\x01\x7f\x1f", "\\x01\\x7f\\x1f");
	/* C1 controls, bidirectional controls and line separators are valid
	 * UTF-8 that still acts on a terminal or reorders the line. */
	assert_escapes("\xc2\x9b" "2J", "\\xc2\\x9b2J");
	assert_escapes("a\xe2\x80\xae" "b", "a\\xe2\\x80\\xaeb");
	assert_escapes("\xe2\x81\xa6\xd8\x9c\xe2\x80\x8f\xe2\x80\xa8", "\\xe2\\x81\\xa6\\xd8\\x9c\\xe2\\x80\\x8f\\xe2\\x80\\xa8");
}

Test(escape, invalid_utf8_becomes_hex_byte_by_byte)
{
	assert_escapes("\x80", "\\x80");                  /* a stray continuation byte */
	assert_escapes("\xc0\xaf", "\\xc0\\xaf");         /* overlong '/' */
	assert_escapes("\xe0\x80\xaf", "\\xe0\\x80\\xaf"); /* overlong, 3 bytes */
	assert_escapes("\xed\xa0\x80", "\\xed\\xa0\\x80"); /* a surrogate */
	assert_escapes("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* above U+10FFFF */
	assert_escapes("\xe2\x82", "\\xe2\\x82");         /* cut short at the end */
	assert_escapes("\xff\xfe", "\\xff\\xfe");
}

/* Reading the escapes back (the documented form) gives the input. */
static size_t unescape(unsigned char *out, const char *s)
{
	size_t n = 0;

	while (*s) {
		if (*s != '\\') {
			out[n++] = (unsigned char)*s++;
			continue;
		}
		s++;
		cr_assert(*s == '\\' || *s == 'n' || *s == 'r' || *s == 't' || *s == 'x', "unknown escape \\%c", *s);
		if (*s == 'x') {
			unsigned int v;

			cr_assert_eq(sscanf(s + 1, "%2x", &v), 1);
			out[n++] = (unsigned char)v;
			s += 3;
		} else {
			out[n++] = *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s == 't' ? '\t' : '\\';
			s++;
		}
	}
	return n;
}

Test(escape, the_form_reads_back_and_holds_no_control_byte)
{
	unsigned char in[64], back[64];
	unsigned int seed = 1;
	int round, i;

	for (round = 0; round < 5000; round++) {
		iotx509_buf out = IOTX509_BUF_INIT;
		size_t len = (size_t)(rand_r(&seed) % 40), k;

		for (k = 0; k < len; k++) {
			/* Mostly UTF-8 lead and continuation bytes, controls and ASCII. */
			int r = rand_r(&seed) % 4;

			in[k] = (unsigned char)(r == 0 ? 0x80 + rand_r(&seed) % 0x80 : r == 1 ? rand_r(&seed) % 0x20 + 1
										     : rand_r(&seed) % 255 + 1);
		}
		in[len] = '\0';
		cr_assert_eq(iotx509_text_escape(&out, (const char *)in), 0);
		for (i = 0; i < (int)out.size; i++)
			cr_assert(out.data[i] >= 0x20 && out.data[i] != 0x7f, "a control byte 0x%02x in the output", out.data[i]);
		cr_assert_eq(unescape(back, (const char *)out.data), len);
		cr_assert_eq(memcmp(back, in, len), 0);
		iotx509_buf_dispose(&out);
	}
}

Test(escape, rejects_null_arguments)
{
	iotx509_buf out = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_text_escape(NULL, "x"), IOTX509_EINVAL);
	cr_assert_eq(iotx509_text_escape(&out, NULL), IOTX509_EINVAL);
	cr_assert_null(out.data);
}

/*
 * Every value of every enum that is a choice (not a bit mask) has its own
 * name, never NULL and never "unknown"; the value after the last, and -1,
 * give "unknown". The loops run from the first value to one past the last,
 * so a value appended to an enum without a name fails here.
 */
typedef const char *(*name_fn)(int);
static void check_names(const char *what, name_fn fn, int first, int last, int no_unknown_check)
{
	int v, w;

	for (v = first; v <= last; v++) {
		const char *n = fn(v);

		cr_assert_not_null(n, "%s %d", what, v);
		cr_assert_neq(n[0], '\0', "%s %d", what, v);
		if (!no_unknown_check)
			cr_assert_str_neq(n, "unknown", "%s %d has no name", what, v);
		for (w = first; w < v; w++)
			cr_assert_str_neq(fn(w), n, "%s %d and %d share the name '%s'", what, w, v, n);
	}
	cr_assert_str_eq(fn(last + 1), "unknown", "%s %d", what, last + 1);
	cr_assert_str_eq(fn(-1), "unknown", "%s -1", what);
	cr_assert_str_eq(fn(1000), "unknown", "%s 1000", what);
}

#define NAMES(fn, type, first, last) \
	do { \
		const char *(*f)(type) = fn; \
		check_names(#fn, (name_fn)(void (*)(void))f, first, last, 0); \
	} while (0)

Test(names, every_enum_value_has_a_name_and_others_are_unknown)
{
	NAMES(iotx509_key_type_name, iotx509_key_type, IOTX509_KEY_RSA2048, IOTX509_KEY_ED25519);
	NAMES(iotx509_key_algorithm_name, iotx509_key_algorithm, IOTX509_ALG_RSA, IOTX509_ALG_ED25519);
	cr_assert_str_eq(iotx509_key_algorithm_name(IOTX509_ALG_UNKNOWN), "unknown");
	NAMES(iotx509_verify_status_name, iotx509_verify_status, IOTX509_VERIFY_OK, IOTX509_VERIFY_NOT_LEAF_FIRST);
	NAMES(iotx509_lint_severity_name, iotx509_lint_severity, IOTX509_LINT_INFO, IOTX509_LINT_ERROR);
	NAMES(iotx509_lint_profile_name, iotx509_lint_profile, IOTX509_LINT_PROFILE_AUTO, IOTX509_LINT_PROFILE_SERVER);
	NAMES(iotx509_expiry_state_name, iotx509_expiry_state, IOTX509_EXPIRY_OK, IOTX509_EXPIRY_NOT_YET_VALID);
	NAMES(iotx509_expiry_rule_name, iotx509_expiry_rule, IOTX509_EXPIRY_PERCENT, IOTX509_EXPIRY_DAYS);
	NAMES(iotx509_id_policy_name, iotx509_id_policy, IOTX509_ID_POLICY_DPS, IOTX509_ID_POLICY_ANY);
	NAMES(iotx509_enrollment_reason_name, iotx509_enrollment_reason, IOTX509_ENROLLMENT_ACCEPTED,
	      IOTX509_ENROLLMENT_CHAIN_INVALID);
	NAMES(iotx509_enrollment_type_name, iotx509_enrollment_type, IOTX509_ENROLLMENT_GROUP,
	      IOTX509_ENROLLMENT_INDIVIDUAL);
	NAMES(iotx509_enrollment_slot_name, iotx509_enrollment_slot, IOTX509_ENROLLMENT_PRIMARY,
	      IOTX509_ENROLLMENT_SECONDARY);
	NAMES(iotx509_credential_file_name, iotx509_credential_file, IOTX509_CREDENTIAL_CERT, IOTX509_CREDENTIAL_CSR);
	NAMES(iotx509_name_style_name, iotx509_name_style, IOTX509_NAMES_VERBATIM, IOTX509_NAMES_CREATE_TEST_CERT);
	NAMES(iotx509_edge_file_name, iotx509_edge_file, IOTX509_EDGE_IDENTITY_CERT, IOTX509_EDGE_TRUST_BUNDLE);
	NAMES(iotx509_pkcs11_object_type_name, iotx509_pkcs11_object_type, IOTX509_PKCS11_OTHER,
	      IOTX509_PKCS11_CERTIFICATE);
	NAMES(iotx509_san_type_name, iotx509_san_type, IOTX509_SAN_DNS, IOTX509_SAN_EMAIL);
	/* These two returned NULL for an unknown value before issue 14. */
	NAMES(iotx509_pkcs12_profile_name, iotx509_pkcs12_profile, IOTX509_PKCS12_MODERN, IOTX509_PKCS12_COMPAT);
	NAMES(iotx509_pop_status_name, iotx509_pop_status, IOTX509_POP_OK, IOTX509_POP_VALIDITY);
}

Test(names, names_read_back_through_from_name)
{
	int v;

	for (v = IOTX509_KEY_RSA2048; v <= IOTX509_KEY_ED25519; v++) {
		iotx509_key_type t;

		cr_assert_eq(iotx509_key_type_from_name(&t, iotx509_key_type_name((iotx509_key_type)v)), 0);
		cr_assert_eq((int)t, v);
	}
	for (v = IOTX509_ID_POLICY_DPS; v <= IOTX509_ID_POLICY_ANY; v++) {
		iotx509_id_policy p;

		cr_assert_eq(iotx509_id_policy_from_name(&p, iotx509_id_policy_name((iotx509_id_policy)v)), 0);
		cr_assert_eq((int)p, v);
	}
	for (v = IOTX509_LINT_PROFILE_AUTO; v <= IOTX509_LINT_PROFILE_SERVER; v++) {
		iotx509_lint_profile p;

		cr_assert_eq(iotx509_lint_profile_from_name(&p, iotx509_lint_profile_name((iotx509_lint_profile)v)), 0);
		cr_assert_eq((int)p, v);
	}
}

Test(names, time_format_is_rfc3339_utc)
{
	iotx509_buf t = IOTX509_BUF_INIT;

	cr_assert_eq(iotx509_time_format(&t, 0), 0);
	cr_assert_str_eq((const char *)t.data, "1970-01-01T00:00:00Z");
	iotx509_buf_dispose(&t);
	cr_assert_eq(iotx509_time_format(&t, 4102444800LL), 0, "after 2038");
	cr_assert_str_eq((const char *)t.data, "2100-01-01T00:00:00Z");
	iotx509_buf_dispose(&t);
	cr_assert_eq(iotx509_time_format(&t, -1), 0);
	cr_assert_str_eq((const char *)t.data, "1969-12-31T23:59:59Z");
	iotx509_buf_dispose(&t);
	cr_assert_eq(iotx509_time_format(&t, INT64_MAX), 0);
	cr_assert_eq(((const char *)t.data)[0], '@', "%s", (const char *)t.data);
	iotx509_buf_dispose(&t);
	cr_assert_eq(iotx509_time_format(NULL, 0), IOTX509_EINVAL);
}

Test(common, strlist_copies_counts_and_gets)
{
	iotx509_strlist *l = NULL;
	char s[] = "gw.example.com";

	cr_assert_eq(iotx509_strlist_new(&l), 0, "%s", th_err());
	cr_assert_eq(iotx509_strlist_count(l), 0);
	cr_assert_null(iotx509_strlist_get(l, 0));
	cr_assert_eq(iotx509_strlist_add(l, s), 0, "%s", th_err());
	cr_assert_eq(iotx509_strlist_add(l, ""), 0, "%s", th_err());
	s[0] = 'X'; /* the list keeps its own copy */
	cr_assert_eq(iotx509_strlist_count(l), 2);
	cr_assert_str_eq(iotx509_strlist_get(l, 0), "gw.example.com");
	cr_assert_str_eq(iotx509_strlist_get(l, 1), "");
	cr_assert_null(iotx509_strlist_get(l, 2));
	cr_assert_null(iotx509_strlist_get(l, (size_t)-1));
	iotx509_strlist_free(l);
}

Test(common, strlist_null_is_the_empty_list_and_null_arguments_are_refused)
{
	iotx509_strlist *l = NULL;

	cr_assert_eq(iotx509_strlist_count(NULL), 0);
	cr_assert_null(iotx509_strlist_get(NULL, 0));
	iotx509_strlist_free(NULL);
	cr_assert_eq(iotx509_strlist_new(NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_strlist_add(NULL, "a"), IOTX509_EINVAL);
	cr_assert_eq(iotx509_strlist_new(&l), 0, "%s", th_err());
	cr_assert_eq(iotx509_strlist_add(l, NULL), IOTX509_EINVAL);
	cr_assert_eq(iotx509_strlist_count(l), 0);
	iotx509_strlist_free(l);
}

Test(common, strlist_limits_count_and_length)
{
	iotx509_strlist *l = NULL;
	char *big = malloc(IOTX509_STRLIST_MAX_LEN + 2);
	size_t i;

	cr_assert_not_null(big);
	cr_assert_eq(iotx509_strlist_new(&l), 0, "%s", th_err());
	memset(big, 'a', IOTX509_STRLIST_MAX_LEN + 1);
	big[IOTX509_STRLIST_MAX_LEN + 1] = '\0';
	cr_assert_eq(iotx509_strlist_add(l, big), IOTX509_ELIMIT);
	cr_assert(strstr(th_err(), "longer than 4096 bytes") != NULL, "%s", th_err());
	cr_assert_eq(iotx509_strlist_count(l), 0, "a refused string is not added");
	big[IOTX509_STRLIST_MAX_LEN] = '\0';
	cr_assert_eq(iotx509_strlist_add(l, big), 0, "exactly the limit is accepted: %s", th_err());
	cr_assert_eq(strlen(iotx509_strlist_get(l, 0)), IOTX509_STRLIST_MAX_LEN);
	for (i = 1; i < IOTX509_STRLIST_MAX_COUNT; i++)
		cr_assert_eq(iotx509_strlist_add(l, "x"), 0, "%s", th_err());
	cr_assert_eq(iotx509_strlist_add(l, "x"), IOTX509_ELIMIT);
	cr_assert(strstr(th_err(), "more than 1024 strings") != NULL, "%s", th_err());
	cr_assert_eq(iotx509_strlist_count(l), IOTX509_STRLIST_MAX_COUNT);
	free(big);
	iotx509_strlist_free(l);
}
