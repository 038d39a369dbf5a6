/*
 * The batch's manifests: one CSV and one JSON lines file per shard, streamed
 * to temporary files and moved into place when the batch finishes.
 */
#include "batch-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int iox_manifest_paths(iotx509_batch *b, const iotx509_batch_options *o)
{
	char name[64];
	size_t n;

	if (o->manifest_csv != NULL && *o->manifest_csv != '\0') {
		b->manifest_csv = iox_strdup(o->manifest_csv);
	} else {
		if (b->shard_n > 1)
			snprintf(name, sizeof(name), "manifest-%u-of-%u.csv", b->shard_k, b->shard_n);
		else
			snprintf(name, sizeof(name), "manifest.csv");
		b->manifest_csv = iox_path_join(b->out_dir, name);
	}
	if (b->manifest_csv == NULL)
		return IOTX509_ENOMEM;
	if (o->manifest_jsonl != NULL && *o->manifest_jsonl != '\0') {
		b->manifest_jsonl = iox_strdup(o->manifest_jsonl);
	} else {
		n = strlen(b->manifest_csv);
		if (n >= 4 && strcmp(b->manifest_csv + n - 4, ".csv") == 0)
			n -= 4;
		if ((b->manifest_jsonl = malloc(n + 7)) != NULL)
			snprintf(b->manifest_jsonl, n + 7, "%.*s.jsonl", (int)n, b->manifest_csv);
	}
	if (b->manifest_jsonl == NULL)
		return iox_error(IOTX509_ENOMEM, "out of memory");
	if (strcmp(b->manifest_csv, b->manifest_jsonl) == 0)
		return iox_error(IOTX509_EINVAL, "batch: the CSV and JSON lines manifests are the same file '%s'",
				 b->manifest_csv);
	return 0;
}

static int csv_field(iox_wstream *w, const char *s, int last)
{
	int err = 0;

	if (strpbrk(s, ",\"\r\n") != NULL || (*s && (s[0] == ' ' || s[strlen(s) - 1] == ' '))) {
		const char *q;

		err = iox_wstream_write(w, "\"", 1);
		for (q = s; err == 0 && *q; q++)
			err = *q == '"' ? iox_wstream_write(w, "\"\"", 2) : iox_wstream_write(w, q, 1);
		if (err == 0)
			err = iox_wstream_write(w, "\"", 1);
	} else {
		err = iox_wstream_write(w, s, strlen(s));
	}
	return err ? err : iox_wstream_write(w, last ? "\n" : ",", 1);
}

static int json_member(iox_wstream *w, const char *key, const char *s, int first)
{
	char esc[8];
	const char *q;
	int err;

	err = iox_wstream_write(w, first ? "{\"" : ",\"", 2);
	if (!err)
		err = iox_wstream_write(w, key, strlen(key));
	if (!err && s == NULL)
		return iox_wstream_write(w, "\":null", 6);
	if (!err)
		err = iox_wstream_write(w, "\":\"", 3);
	for (q = s; err == 0 && *q; q++) {
		unsigned char c = (unsigned char)*q;
		size_t run = 0;

		/* Plain characters in one piece: a record is mostly plain. */
		while (q[run] != '\0' && q[run] != '"' && q[run] != '\\' && (unsigned char)q[run] >= 0x20)
			run++;
		if (run > 0) {
			err = iox_wstream_write(w, q, run);
			q += run - 1;
		} else if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			err = iox_wstream_write(w, esc, 2);
		} else {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			err = iox_wstream_write(w, esc, 6);
		}
	}
	return err ? err : iox_wstream_write(w, "\"", 1);
}

static const char *const manifest_columns[] = { "device_id",	"serial",   "sha1_thumbprint",
						"sha256_thumbprint", "not_after", "cert_path",
						"key_path",	 "fullchain_path", "pfx_path" };

int iox_manifest_open(iotx509_batch *b)
{
	int i, err;

	if ((err = iox_wstream_open(&b->csv, b->manifest_csv, 0)) < 0 ||
	    (err = iox_wstream_open(&b->jsonl, b->manifest_jsonl, 0)) < 0)
		return err;
	for (i = 0; i < 9; i++)
		if ((err = csv_field(b->csv, manifest_columns[i], i == 8)) < 0)
			return err;
	return 0;
}

int iox_manifest_record(iotx509_batch *b, const char *id, const record_t *r)
{
	char not_after[32];
	const char *v[9];
	paths_t p;
	int i, err;

	if ((err = iox_paths_make(&p, b, id)) < 0) {
		iox_paths_free(&p);
		return err;
	}
	iox_format_time(not_after, sizeof(not_after), r->not_after);
	v[0] = id;
	v[1] = r->serial;
	v[2] = r->sha1;
	v[3] = r->sha256;
	v[4] = not_after;
	v[5] = PATH(&p, 0);
	v[6] = PATH(&p, 1);
	v[7] = PATH(&p, 2);
	v[8] = r->pfx ? PATH(&p, 3) : NULL;
	for (i = 0; err == 0 && i < 9; i++)
		err = csv_field(b->csv, v[i] ? v[i] : "", i == 8);
	for (i = 0; err == 0 && i < 9; i++)
		err = json_member(b->jsonl, manifest_columns[i], v[i], i == 0);
	if (err == 0)
		err = iox_wstream_write(b->jsonl, "}\n", 2);
	iox_paths_free(&p);
	return err;
}
