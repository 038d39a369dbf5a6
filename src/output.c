/*
 * Text and JSON output for the iotx509 tool (see output.h).
 */
#include <config.h>

#include "output.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_DEPTH 16
/* Escaped strings out_esc() keeps alive at once. */
#define ESC_SLOTS 8

static struct {
	int json;
	FILE *f;
	char *data;
	size_t size;
	int depth;
	struct {
		int is_array, count, indents;
	} stack[MAX_DEPTH];
	int indent; /* text mode */
} o;

const char *out_esc(const char *s)
{
	static char *slot[ESC_SLOTS];
	static unsigned int next;
	iotx509_buf t = IOTX509_BUF_INIT;
	char **p = &slot[next++ % ESC_SLOTS];

	free(*p);
	*p = NULL;
	if (iotx509_text_escape(&t, s ? s : "") < 0)
		return "(out of memory)";
	*p = strdup((const char *)t.data);
	iotx509_buf_dispose(&t);
	return *p ? *p : "(out of memory)";
}

/* @s as text mode shows it: escaped, so that no certificate field or file
 * name can add lines or drive the terminal. */
static void text_put(FILE *f, const char *s)
{
	fputs(out_esc(s), f);
}

void out_start(const char *command, int json)
{
	o.json = json;
	o.f = open_memstream(&o.data, &o.size);
	if (o.f == NULL) {
		perror("iotx509");
		exit(1);
	}
	o.depth = 0;
	o.indent = 0;
	if (json) {
		fputc('{', o.f);
		o.stack[0].is_array = 0;
		o.stack[0].count = 0;
		out_str("command", NULL, command);
	}
}

int out_is_json(void)
{
	return o.json;
}

static void release(void)
{
	if (o.f != NULL)
		fclose(o.f);
	o.f = NULL;
	free(o.data);
	o.data = NULL;
	o.size = 0;
}

void out_finish(void)
{
	if (o.f == NULL)
		return;
	if (o.json)
		fputs("}\n", o.f);
	fflush(o.f);
	fwrite(o.data, 1, o.size, stdout);
	fflush(stdout);
	release();
}

void out_discard(void)
{
	release();
}

/* 1 if the valid UTF-8 character at @p (@len bytes) is one text mode
 * escapes: a C1 or bidirectional control, a line or paragraph separator
 * (all of them two or three bytes long). */
static int shown_escaped(const unsigned char *p, int len)
{
	iotx509_buf t = IOTX509_BUF_INIT;
	char one[5];
	int escaped;

	memcpy(one, p, (size_t)len);
	one[len] = '\0';
	escaped = iotx509_text_escape(&t, one) == 0 && t.size != (size_t)len;
	iotx509_buf_dispose(&t);
	return escaped;
}

/* JSON string with every character that needs it escaped, and the
 * controls text mode escapes as \u escapes too (they reach a terminal
 * all the same); bytes that are not valid UTF-8 become U+FFFD so the
 * output is always valid JSON. */
static void json_string(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	fputc('"', o.f);
	while (*p) {
		unsigned char c = *p;
		int len = 0, i;

		if (c == '"' || c == '\\') {
			fputc('\\', o.f);
			fputc(c, o.f);
		} else if (c == '\n') {
			fputs("\\n", o.f);
		} else if (c == '\r') {
			fputs("\\r", o.f);
		} else if (c == '\t') {
			fputs("\\t", o.f);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(o.f, "\\u%04x", c);
		} else if (c < 0x80) {
			fputc(c, o.f);
		} else {
			if (c >= 0xc2 && c <= 0xdf)
				len = 2;
			else if (c >= 0xe0 && c <= 0xef)
				len = 3;
			else if (c >= 0xf0 && c <= 0xf4)
				len = 4;
			for (i = 1; i < len; i++)
				if ((p[i] & 0xc0) != 0x80)
					len = 0;
			/* Overlong 3-byte forms, surrogates, and code points above U+10FFFF. */
			if ((len == 3 && ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0))) ||
			    (len == 4 && ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90))))
				len = 0;
			if (len == 0) {
				fputs("\\ufffd", o.f);
			} else if (len < 4 && shown_escaped(p, len)) {
				/* Valid, but a control: the same code point, escaped. */
				fprintf(o.f, "\\u%04x", (unsigned int)(len == 2 ? ((c & 0x1f) << 6) | (p[1] & 0x3f)
									  : ((c & 0x0f) << 12) | ((p[1] & 0x3f) << 6) |
										    (p[2] & 0x3f)));
				p += len;
				continue;
			} else {
				fwrite(p, 1, (size_t)len, o.f);
				p += len;
				continue;
			}
		}
		p++;
	}
	fputc('"', o.f);
}

/* JSON: the separator and the key of the next member or element. */
static void json_member(const char *key)
{
	if (o.stack[o.depth].count++ > 0)
		fputc(',', o.f);
	if (key != NULL && !o.stack[o.depth].is_array) {
		json_string(key);
		fputc(':', o.f);
	}
}

static void push(int is_array, int indents)
{
	if (o.depth + 1 >= MAX_DEPTH)
		abort(); /* a programming error in the tool, not an input error */
	o.depth++;
	o.stack[o.depth].is_array = is_array;
	o.stack[o.depth].count = 0;
	o.stack[o.depth].indents = indents;
}

static void text_indent(void)
{
	int i;

	for (i = 0; i < o.indent; i++)
		fputs("  ", o.f);
}

void out_begin_object(const char *key, const char *title)
{
	if (o.json) {
		json_member(key);
		fputc('{', o.f);
		push(0, 0);
		return;
	}
	if (title != NULL) {
		text_indent();
		text_put(o.f, title);
		fputc('\n', o.f);
	}
	push(0, title != NULL);
	o.indent += title != NULL;
}

void out_begin_array(const char *key)
{
	if (o.json) {
		json_member(key);
		fputc('[', o.f);
	}
	push(1, 0);
}

void out_end(void)
{
	if (o.depth == 0)
		abort();
	if (o.json)
		fputc(o.stack[o.depth].is_array ? ']' : '}', o.f);
	else
		o.indent -= o.stack[o.depth].indents;
	o.depth--;
}

void out_str(const char *key, const char *label, const char *value)
{
	if (o.json) {
		json_member(key);
		json_string(value);
	} else if (label != NULL) {
		text_indent();
		fprintf(o.f, "%-13s ", label);
		text_put(o.f, value);
		fputc('\n', o.f);
	}
}

void out_int(const char *key, const char *label, long long value)
{
	if (o.json) {
		json_member(key);
		fprintf(o.f, "%lld", value);
	} else if (label != NULL) {
		text_indent();
		fprintf(o.f, "%-13s %lld\n", label, value);
	}
}

void out_bool(const char *key, const char *label, int value)
{
	if (o.json) {
		json_member(key);
		fputs(value ? "true" : "false", o.f);
	} else if (label != NULL) {
		text_indent();
		fprintf(o.f, "%-13s %s\n", label, value ? "yes" : "no");
	}
}

const char *out_format_time(char *buf, size_t size, int64_t t)
{
	iotx509_buf text = IOTX509_BUF_INIT;

	/* The library's format into the caller's array, for use inside printf. */
	if (iotx509_time_format(&text, t) < 0)
		snprintf(buf, size, "(out of memory)");
	else
		snprintf(buf, size, "%s", (const char *)text.data);
	iotx509_buf_dispose(&text);
	return buf;
}

void out_time(const char *key, const char *label, int64_t t)
{
	char buf[64];

	out_str(key, label, out_format_time(buf, sizeof(buf), t));
}

void out_array_str(const char *prefix, const char *value)
{
	if (o.json) {
		json_member(NULL);
		json_string(value);
	} else {
		text_indent();
		fputs(prefix ? prefix : "", o.f);
		text_put(o.f, value);
		fputc('\n', o.f);
	}
}

void out_text(const char *fmt, ...)
{
	char *line = NULL;
	va_list ap;
	int n;

	if (o.json)
		return;
	text_indent();
	/* The whole line escaped: the format's own text has nothing to escape. */
	va_start(ap, fmt);
	n = vasprintf(&line, fmt, ap);
	va_end(ap);
	text_put(o.f, n < 0 ? "(out of memory)" : line);
	free(n < 0 ? NULL : line);
	fputc('\n', o.f);
}

void out_text_verbatim(const char *line)
{
	if (o.json)
		return;
	text_indent();
	fputs(line, o.f);
	fputc('\n', o.f);
}

void out_files(const iotx509_fileset *set)
{
	size_t i;

	out_begin_array("files");
	for (i = 0; i < iotx509_fileset_count(set); i++)
		out_array_str("wrote ", iotx509_fileset_get_path(set, i));
	out_end();
}

static void key_desc(char *buf, size_t size, iotx509_key_algorithm alg, unsigned int bits)
{
	if (alg == IOTX509_ALG_ED25519)
		snprintf(buf, size, "Ed25519");
	else if (alg == IOTX509_ALG_ECDSA)
		snprintf(buf, size, "ECDSA P-%u", bits);
	else
		snprintf(buf, size, "%s %u", iotx509_key_algorithm_name(alg), bits);
}

void out_cert(const char *key, const iotx509_cert *cert, const char *path)
{
	char title[4096], desc[64];

	snprintf(title, sizeof(title), "certificate %s", path ? path : iotx509_cert_get_subject_dn(cert));
	out_begin_object(key, title);
	if (path)
		out_str("path", NULL, path);
	out_str("cn", "CN:", iotx509_cert_get_subject_cn(cert));
	out_str("subject", "subject:", iotx509_cert_get_subject_dn(cert));
	out_str("issuer", "issuer:", iotx509_cert_get_issuer_dn(cert));
	out_str("serial", "serial:", iotx509_cert_get_serial_hex(cert));
	out_time("not_before", "notBefore:", iotx509_cert_get_not_before(cert));
	out_time("not_after", "notAfter:", iotx509_cert_get_not_after(cert));
	out_bool("ca", "CA:", iotx509_cert_is_ca(cert));
	if (iotx509_cert_has_pathlen(cert))
		out_int("pathlen", "pathlen:", (int)iotx509_cert_get_pathlen(cert));
	out_bool("self_signed", "self-signed:", iotx509_cert_is_self_signed(cert));
	key_desc(desc, sizeof(desc), iotx509_cert_get_key_algorithm(cert), iotx509_cert_get_key_bits(cert));
	out_str("key", "key:", desc);
	out_str("sha1", "SHA-1:", iotx509_cert_get_thumbprint_sha1(cert));
	out_str("sha256", "SHA-256:", iotx509_cert_get_thumbprint_sha256(cert));
	out_end();
}

void out_chain(const char *key, const iotx509_certlist *chain)
{
	size_t i, n = iotx509_certlist_count(chain);

	out_begin_array(key);
	if (!o.json) {
		text_indent();
		fprintf(o.f, "chain (%zu)\n", n);
	}
	for (i = 0; i < n; i++) {
		const iotx509_cert *c = iotx509_certlist_get(chain, i);

		if (o.json) {
			out_begin_object(NULL, NULL);
			out_str("subject", NULL, iotx509_cert_get_subject_dn(c));
			out_str("issuer", NULL, iotx509_cert_get_issuer_dn(c));
			out_str("sha1", NULL, iotx509_cert_get_thumbprint_sha1(c));
			out_end();
		} else {
			text_indent();
			fprintf(o.f, "  %zu: ", i);
			text_put(o.f, iotx509_cert_get_subject_dn(c));
			fputs(" (issuer ", o.f);
			text_put(o.f, iotx509_cert_get_issuer_dn(c));
			fputs(")\n", o.f);
		}
	}
	out_end();
}

void out_key(const char *key, const iotx509_key *k, const char *path)
{
	char title[4096], desc[64];

	snprintf(title, sizeof(title), "private key%s%s", path ? " " : "", path ? path : "");
	out_begin_object(key, title);
	if (path)
		out_str("path", NULL, path);
	key_desc(desc, sizeof(desc), iotx509_key_get_algorithm(k), iotx509_key_get_bits(k));
	out_str("type", "type:", desc);
	out_int("bits", NULL, iotx509_key_get_bits(k));
	out_str("spki_sha256", "SPKI SHA-256:", iotx509_key_get_spki_sha256(k));
	out_end();
}

void out_csr(const char *key, const iotx509_csr *csr, const char *path)
{
	char title[4096];

	snprintf(title, sizeof(title), "certificate request%s%s", path ? " " : "", path ? path : "");
	out_begin_object(key, title);
	if (path)
		out_str("path", NULL, path);
	out_str("cn", "CN:", iotx509_csr_get_subject_cn(csr));
	out_str("subject", "subject:", iotx509_csr_get_subject_dn(csr));
	out_str("key", "key:", iotx509_key_algorithm_name(iotx509_csr_get_key_algorithm(csr)));
	out_str("spki_sha256", "SPKI SHA-256:", iotx509_csr_get_spki_sha256(csr));
	int valid = 0;

	out_bool("signature_valid", "signature OK:", iotx509_csr_verify(&valid, csr) == 0 && valid);
	out_end();
}
