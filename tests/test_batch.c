/*
 * Batch issuance: ID sources, files and manifests, resuming after an
 * interruption, sharding, locking, and every error the batch reports.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

static char *dir, *out;

/* A failure as the iotx509_batch_failure_get_*() getters give it. */
typedef struct {
	uint64_t item;
	const char *device_id;
	int code;
	const char *message;
} failure;

static const failure *get_failure(const iotx509_batch *b, size_t i)
{
	static failure f;

	if (i >= iotx509_batch_failure_count(b))
		return NULL;
	f.item = iotx509_batch_failure_get_item(b, i);
	f.device_id = iotx509_batch_failure_get_id(b, i);
	f.code = iotx509_batch_failure_get_code(b, i);
	f.message = iotx509_batch_failure_get_message(b, i);
	return &f;
}
static iotx509_key *root_key, *int_key;
static iotx509_cert *root, *inter;
static iotx509_credential *parent;
static iotx509_certlist *anchors;

static void setup(void)
{
	iotx509_issuer *ri = NULL;
	iotx509_certlist *pool = NULL;
	iotx509_issue_options o = IOTX509_ISSUE_OPTIONS_INIT;

	dir = th_tmpdir();
	out = th_path(dir, "out");
	cr_assert_eq(mkdir(out, 0755), 0);
	o.at = TH_FIXTURE_TIME;
	th_make_root(&root_key, &root, &ri, "batch-root", TH_FIXTURE_TIME);
	cr_assert_eq(iotx509_key_generate(&int_key, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_intermediate(&inter, ri, int_key, "batch-int", &o), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_new(&pool), 0);
	cr_assert_eq(iotx509_certlist_add(pool, root), 0);
	cr_assert_eq(iotx509_credential_new(&parent, inter, int_key, pool, NULL), 0, "%s", th_err());
	cr_assert_eq(iotx509_certlist_new(&anchors), 0);
	cr_assert_eq(iotx509_certlist_add(anchors, root), 0);
	iotx509_certlist_free(pool);
	iotx509_issuer_free(ri);
	iotx509_error_clear();
}

static void teardown(void)
{
	iotx509_credential_free(parent);
	iotx509_certlist_free(anchors);
	iotx509_cert_free(root);
	iotx509_cert_free(inter);
	iotx509_key_free(root_key);
	iotx509_key_free(int_key);
	th_rmrf(dir);
	free(dir);
	free(out);
}

TestSuite(batch, .init = setup, .fini = teardown, .timeout = 120);

static iotx509_batch_options opts_for(const char *pattern, const char *ids)
{
	iotx509_batch_options o = IOTX509_BATCH_OPTIONS_INIT;

	o.parent = parent;
	o.pattern = pattern;
	o.ids_path = ids;
	o.out_dir = out;
	o.at = TH_FIXTURE_TIME;
	o.jobs = 2;
	return o;
}

static iotx509_batch *make(const iotx509_batch_options *o)
{
	iotx509_batch *b = NULL;

	cr_assert_eq(iotx509_batch_new(&b, o), 0, "%s", th_err());
	return b;
}

/* Run to the end; the failures of every step are counted into *nfail. */
static void run_all(iotx509_batch *b)
{
	int steps = 0;

	while (!iotx509_batch_is_done(b)) {
		cr_assert_eq(iotx509_batch_run(b, 7), 0, "%s", th_err());
		cr_assert_lt(++steps, 100000);
	}
}

static char *file_in(const char *name)
{
	return th_path(out, name);
}

static char *slurp_in(const char *name)
{
	char *p = file_in(name), *s = th_slurp(p, NULL);

	cr_assert_not_null(s, "%s is missing", p);
	free(p);
	return s;
}

static int exists_in(const char *name)
{
	char *p = file_in(name);
	int r = access(p, F_OK) == 0;

	free(p);
	return r;
}

/* The lines of a text, as an array (malloc'd; the text is modified). */
static size_t split_lines(char *text, char **lines, size_t max)
{
	size_t n = 0;
	char *save = NULL, *l;

	for (l = strtok_r(text, "\n", &save); l && n < max; l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	return n;
}

static iotx509_cert *load_cert_of(const char *id)
{
	char name[128], *p;
	iotx509_cert *c = NULL;

	snprintf(name, sizeof(name), "%s_cert.pem", id);
	p = file_in(name);
	cr_assert_eq(iotx509_cert_load(&c, p), 0, "%s", th_err());
	free(p);
	return c;
}

/* A device's completion record: 'x' in the extended attribute of its full
 * chain, 'f' in a file of the state directory, '-' none, 'B' both. The
 * record text goes into @text when given. */
static char record_of(const char *id, char *text, size_t size)
{
	char name[128], buf[256], *p;
	ssize_t n;
	int x, f;

	snprintf(name, sizeof(name), "%s_fullchain.pem", id);
	p = file_in(name);
	n = getxattr(p, "user.iotx509.batch", buf, sizeof(buf) - 1);
	free(p);
	if ((x = n > 0) && text)
		snprintf(text, size, "%.*s", (int)n, buf);
	snprintf(name, sizeof(name), ".iotx509-batch/done/%s.done", id);
	if ((f = exists_in(name)) && text && !x) {
		char *t = slurp_in(name);

		snprintf(text, size, "%s", t);
		free(t);
	}
	return x && f ? 'B' : x ? 'x' : f ? 'f' : '-';
}

/* 'x' where the output directory's file system takes user extended
 * attributes (the batch keeps its records there), else 'f'. */
static char xattr_store(void)
{
	char *p = file_in(".xattr-probe");
	char store;

	th_write(p, "", 0);
	store = setxattr(p, "user.iotx509.probe", "1", 1, 0) == 0 ? 'x' : 'f';
	unlink(p);
	free(p);
	return store;
}

static int count_temp_files(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int n = 0;

	cr_assert_not_null(d);
	while ((de = readdir(d)) != NULL)
		if (strstr(de->d_name, ".tmp.") || strstr(de->d_name, ".old."))
			n++;
	closedir(d);
	return n;
}

static void write_ids(const char *name, const char *text)
{
	char *p = th_path(dir, name);

	th_write(p, text, strlen(text));
	free(p);
}

Test(batch, a_pattern_issues_every_device_with_its_files_and_both_manifests)
{
	iotx509_batch_options o = opts_for("sensor-{0001..0012}", NULL);
	iotx509_verify_options vo = IOTX509_VERIFY_OPTIONS_INIT;
	iotx509_batch *b;
	char *csv, *jsonl, *lines[64], *jl[64], expect[2048], name[64];
	size_t n, i;

	o.jobs = 4;
	b = make(&o);
	cr_assert_eq(iotx509_batch_get_total(b), 12);
	run_all(b);
	cr_assert_eq(iotx509_batch_get_issued(b), 12);
	cr_assert_eq(iotx509_batch_get_failed(b), 0);
	cr_assert_eq(iotx509_batch_get_skipped(b), 0);
	cr_assert_eq(iotx509_batch_get_processed(b), 12);
	iotx509_batch_free(b);

	csv = slurp_in("manifest.csv");
	jsonl = slurp_in("manifest.jsonl");
	n = split_lines(csv, lines, 64);
	cr_assert_eq(n, 13, "header and 12 records expected, got %zu lines", n);
	cr_assert_str_eq(lines[0], "device_id,serial,sha1_thumbprint,sha256_thumbprint,not_after,cert_path,key_path,"
				   "fullchain_path,pfx_path");
	cr_assert_eq(split_lines(jsonl, jl, 64), 12);
	vo.at = TH_FIXTURE_TIME + 60;
	vo.flags = IOTX509_VERIFY_DEVICE;
	for (i = 1; i <= 12; i++) {
		iotx509_credential *cred = NULL;
		iotx509_verify_status st;
		iotx509_cert *c;
		char id[32], na[32];
		struct stat ks;
		char *kp;

		snprintf(id, sizeof(id), "sensor-%04zu", i);
		c = load_cert_of(id);
		cr_assert_str_eq(iotx509_cert_get_subject_cn(c), id);
		cr_assert_str_eq(iotx509_cert_get_issuer_cn(c), "batch-int");
		strftime(na, sizeof(na), "%Y-%m-%dT%H:%M:%SZ", gmtime(&(time_t){ (time_t)iotx509_cert_get_not_after(c) }));
		snprintf(expect, sizeof(expect), "%s,%s,%s,%s,%s,%s/%s_cert.pem,%s/%s_key.pem,%s/%s_fullchain.pem,", id,
			 iotx509_cert_get_serial_hex(c), iotx509_cert_get_thumbprint_sha1(c),
			 iotx509_cert_get_thumbprint_sha256(c), na, out, id, out, id, out, id);
		cr_assert_str_eq(lines[i], expect, "record %zu", i);
		snprintf(expect, sizeof(expect),
			 "{\"device_id\":\"%s\",\"serial\":\"%s\",\"sha1_thumbprint\":\"%s\",\"sha256_thumbprint\":\"%s\","
			 "\"not_after\":\"%s\",\"cert_path\":\"%s/%s_cert.pem\",\"key_path\":\"%s/%s_key.pem\","
			 "\"fullchain_path\":\"%s/%s_fullchain.pem\",\"pfx_path\":null}",
			 id, iotx509_cert_get_serial_hex(c), iotx509_cert_get_thumbprint_sha1(c),
			 iotx509_cert_get_thumbprint_sha256(c), na, out, id, out, id, out, id);
		cr_assert_str_eq(jl[i - 1], expect);
		/* The same files as `iotx509 device`, and a chain that verifies. */
		cr_assert_eq(iotx509_credential_load(&cred, out, id, NULL, NULL), 0, "%s", th_err());
		cr_assert_eq(iotx509_certlist_count(iotx509_credential_get_chain(cred)), 3);
		cr_assert_eq(iotx509_chain_verify(&st, iotx509_credential_get_chain(cred), anchors, &vo), 0);
		cr_assert_eq(st, IOTX509_VERIFY_OK, "%s: %s", id, th_err());
		snprintf(name, sizeof(name), "%s_key.pem", id);
		kp = file_in(name);
		cr_assert_eq(stat(kp, &ks), 0);
		cr_assert_eq(ks.st_mode & 0777, 0600, "the key file must be private");
		snprintf(name, sizeof(name), "%s.pfx", id);
		cr_assert(!exists_in(name), "no .pfx without a password");
		free(kp);
		iotx509_credential_free(cred);
		iotx509_cert_free(c);
	}
	cr_assert_eq(count_temp_files(out), 0);
	free(csv);
	free(jsonl);
}

Test(batch, a_pattern_without_leading_zeros_counts_down_and_keeps_its_suffix)
{
	iotx509_batch_options o = opts_for("cam{10..8}-x", NULL);
	iotx509_batch *b = make(&o);
	char *csv, *lines[8];

	run_all(b);
	iotx509_batch_free(b);
	csv = slurp_in("manifest.csv");
	cr_assert_eq(split_lines(csv, lines, 8), 4);
	cr_assert(strncmp(lines[1], "cam10-x,", 8) == 0, "%s", lines[1]);
	cr_assert(strncmp(lines[2], "cam9-x,", 7) == 0, "%s", lines[2]);
	cr_assert(strncmp(lines[3], "cam8-x,", 7) == 0, "%s", lines[3]);
	free(csv);
}

Test(batch, malformed_patterns_are_refused_with_where_the_problem_is)
{
	static const struct {
		const char *pattern, *msg;
	} cases[] = {
		{ "sensor-0001", "has no {FIRST..LAST} range" },
		{ "s{1..}", "FIRST and LAST must be 1 to 18 digits" },
		{ "s{a..3}", "character 3 is 'a'" },
		{ "s{1-3}", "the range at character 2 is not {FIRST..LAST}" },
		{ "s{1..2}-{3..4}", "only one {FIRST..LAST} range" },
		{ "s}{1..2}", "only one {FIRST..LAST} range" },
		{ "s{1234567890123456789..2}", "1 to 18 digits" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		iotx509_batch_options o = opts_for(cases[i].pattern, NULL);
		iotx509_batch *b = NULL;

		cr_assert_eq(iotx509_batch_new(&b, &o), IOTX509_EINVAL, "%s", cases[i].pattern);
		cr_assert_null(b);
		cr_assert(strstr(th_err(), cases[i].msg) != NULL, "%s: %s", cases[i].pattern, th_err());
	}
}

Test(batch, an_id_file_skips_comments_and_reports_an_invalid_id_by_its_line)
{
	iotx509_batch_options o;
	iotx509_batch *b;
	const failure *f;
	char *ids = th_path(dir, "ids.txt"), *csv, *lines[8];
	int failures = 0;

	write_ids("ids.txt", "# factory line 3\n\nok-1\nBAD\n  ok-2  \r\nok-3\n");
	o = opts_for(NULL, ids);
	b = make(&o);
	cr_assert_eq(iotx509_batch_get_total(b), 4);
	while (!iotx509_batch_is_done(b)) {
		cr_assert_eq(iotx509_batch_run(b, 2), 0, "%s", th_err());
		if (iotx509_batch_failure_count(b) > 0) {
			cr_assert_eq(iotx509_batch_failure_count(b), 1);
			f = get_failure(b, 0);
			cr_assert_eq(f->item, 4, "the line number of BAD");
			cr_assert_str_eq(f->device_id, "BAD");
			cr_assert_eq(f->code, IOTX509_EDEVICEID);
			cr_assert(strstr(f->message, "'BAD' has upper-case 'B'") != NULL, "%s", f->message);
			cr_assert_null(get_failure(b, 1));
			cr_assert_eq(iotx509_batch_failure_get_item(b, 1), 0, "out of range");
			cr_assert_null(iotx509_batch_failure_get_id(b, 1));
			cr_assert_eq(iotx509_batch_failure_get_code(b, 1), IOTX509_OK);
			cr_assert_null(iotx509_batch_failure_get_message(b, 1));
			failures++;
		}
	}
	cr_assert_eq(failures, 1, "the failure is reported once");
	cr_assert_eq(iotx509_batch_get_failed(b), 1);
	cr_assert_eq(iotx509_batch_get_issued(b), 3);
	iotx509_batch_free(b);
	csv = slurp_in("manifest.csv");
	cr_assert_eq(split_lines(csv, lines, 8), 4);
	cr_assert(strncmp(lines[1], "ok-1,", 5) == 0 && strncmp(lines[2], "ok-2,", 5) == 0 &&
		  strncmp(lines[3], "ok-3,", 5) == 0);
	free(csv);
	free(ids);
}

/* Every failure of a run to the end, as "LINE:CODE:message" lines. */
static char *run_collecting(iotx509_batch *b)
{
	size_t cap = 4096, used = 0, i;
	char *all = calloc(1, cap);

	cr_assert_not_null(all);
	while (!iotx509_batch_is_done(b)) {
		cr_assert_eq(iotx509_batch_run(b, 3), 0, "%s", th_err());
		for (i = 0; i < iotx509_batch_failure_count(b); i++) {
			const failure *f = get_failure(b, i);

			used += (size_t)snprintf(all + used, cap - used, "%llu:%d:%s\n", (unsigned long long)f->item,
						 f->code, f->message);
			cr_assert_lt(used, cap);
		}
	}
	return all;
}

/* The device IDs of the CSV manifest, in order, space-separated. */
static char *manifest_ids(void)
{
	char *csv = slurp_in("manifest.csv"), *lines[64], *ids = calloc(1, 4096);
	size_t n = split_lines(csv, lines, 64), i;

	for (i = 1; i < n; i++) {
		strncat(ids, lines[i], strcspn(lines[i], ","));
		strcat(ids, " ");
	}
	free(csv);
	return ids;
}

Test(batch, a_line_with_a_nul_byte_is_reported_as_such_and_the_next_line_is_issued)
{
	static const char text[] = "n-1\nn\0x\nn-2\n# c\0mment\n  \0  \nn-3\n";
	char *ids = th_path(dir, "nul.txt"), *fails, *got;
	iotx509_batch_options o = opts_for(NULL, ids);
	iotx509_batch *b;

	th_write(ids, text, sizeof(text) - 1);
	b = make(&o);
	cr_assert_eq(iotx509_batch_get_total(b), 5, "a comment with a NUL is still a comment");
	fails = run_collecting(b);
	cr_assert_str_eq(fails,
			 "2:-5:the device ID holds a NUL byte (character 2 of the line)\n"
			 "5:-5:the device ID holds a NUL byte (character 3 of the line)\n");
	cr_assert_eq(iotx509_batch_get_issued(b), 3);
	cr_assert_eq(iotx509_batch_get_failed(b), 2);
	iotx509_batch_free(b);
	got = manifest_ids();
	cr_assert_str_eq(got, "n-1 n-2 n-3 ");
	free(got);
	free(fails);
	free(ids);
}

static size_t put(char *buf, size_t at, const char *data, size_t n)
{
	memcpy(buf + at, data, n);
	return at + n;
}

Test(batch, a_line_too_long_fails_alone_and_later_line_numbers_stay_right)
{
	char *ids = th_path(dir, "long.txt"), *text = malloc(4000), *fails, *got, *l3, want[128];
	iotx509_batch_options o = opts_for(NULL, ids);
	iotx509_batch *b;
	size_t n = 0;

	n = put(text, n, "l-1\n", 4);
	memset(text + n, 'a', 1030); /* line 2: too long */
	n += 1030;
	n = put(text, n, "\n ", 2);
	memset(text + n, 'b', IOTX509_BATCH_MAX_LINE); /* line 3: the longest line read, blanks aside */
	n += IOTX509_BATCH_MAX_LINE;
	n = put(text, n, " \t\r\nl-\0" "2\nl-3", 12); /* line 4: a NUL; line 5 without a newline */
	th_write(ids, text, n);
	b = make(&o);
	cr_assert_eq(iotx509_batch_get_total(b), 5);
	fails = run_collecting(b);
	snprintf(want, sizeof(want), "2:-5:the device ID is longer than %u characters\n3:-5:", IOTX509_BATCH_MAX_LINE);
	cr_assert(strncmp(fails, want, strlen(want)) == 0, "%s", fails);
	/* Line 3 was read whole, without its blanks: it fails only as an ID
	 * too long for a CN. */
	l3 = strchr(strchr(fails, '\n') + 1, '\n');
	cr_assert(strstr(fails, "' is 1024 characters long; a certificate CN allows at most 64\n") + 61 == l3, "%s", fails);
	cr_assert_str_eq(l3, "\n4:-5:the device ID holds a NUL byte (character 3 of the line)\n");
	iotx509_batch_free(b);
	got = manifest_ids();
	cr_assert_str_eq(got, "l-1 l-3 ");
	free(got);
	free(fails);
	free(text);
	free(ids);
}

/* Put @text on the standard input of this test process (a pipe), as a
 * shell pipeline does. */
static void stdin_from_pipe(const char *text)
{
	int fds[2];

	cr_assert_eq(pipe(fds), 0);
	cr_assert_eq(write(fds[1], text, strlen(text)), (ssize_t)strlen(text));
	close(fds[1]);
	cr_assert_eq(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
	close(fds[0]);
}

static void check_ids_from_a_pipe(const char *path)
{
	iotx509_batch_options o = opts_for(NULL, path);
	iotx509_batch *b;
	char *got, *left;
	size_t n;

	stdin_from_pipe("# from a pipe\np-1\np-2\n\np-3\n");
	b = make(&o);
	cr_assert_eq(iotx509_batch_get_total(b), 3, "the pipe is counted");
	run_all(b);
	cr_assert_eq(iotx509_batch_get_issued(b), 3, "and read again to issue");
	cr_assert_eq(iotx509_batch_get_failed(b), 0);
	iotx509_batch_free(b);
	got = manifest_ids();
	cr_assert_str_eq(got, "p-1 p-2 p-3 ");
	free(got);
	/* The copy of the pipe leaves nothing behind in the output directory. */
	left = slurp_in("manifest.csv");
	free(left);
	cr_assert_eq(th_run(&left, "ls -A '%s' | grep -c iotx509-ids", out), 1, "%s", left);
	n = strlen(left);
	cr_assert(n > 0 && left[0] == '0', "%s", left);
	free(left);
}

Test(batch, ids_from_the_standard_input_are_read_once_and_all_issued)
{
	check_ids_from_a_pipe("-");
}

Test(batch, ids_from_dev_stdin_a_pipe_are_read_once_and_all_issued)
{
	check_ids_from_a_pipe("/dev/stdin");
}

Test(batch, a_fifo_without_a_writer_is_no_id_source_and_fails_at_once, .timeout = 20)
{
	char *fifo = th_path(dir, "ids.fifo");
	iotx509_batch_options o = opts_for(NULL, fifo);
	iotx509_batch *b = NULL;

	cr_assert_eq(mkfifo(fifo, 0600), 0);
	cr_assert_eq(iotx509_batch_new(&b, &o), IOTX509_ENOTFOUND, "%s", th_err());
	cr_assert(strstr(th_err(), "ids.fifo: no device ID: nothing came through this pipe or FIFO") != NULL, "%s",
		  th_err());
	cr_assert_null(b);
	free(fifo);
}

Test(batch, id_sources_that_are_no_files_or_hold_no_id_are_refused, .timeout = 20)
{
	char *empty = th_path(dir, "empty.txt"), *comments = th_path(dir, "comments.txt");
	iotx509_batch_options o;
	iotx509_batch *b = NULL;
	int fd;

	write_ids("empty.txt", "");
	write_ids("comments.txt", "# nothing yet\n\n   \n");
	o = opts_for(NULL, dir);
	cr_assert_eq(iotx509_batch_new(&b, &o), IOTX509_EIO);
	cr_assert(strstr(th_err(), "is a directory, not a regular file or a pipe") != NULL, "%s", th_err());
	o = opts_for(NULL, "/dev/zero");
	cr_assert_eq(iotx509_batch_new(&b, &o), IOTX509_EIO);
	cr_assert(strstr(th_err(), "/dev/zero: is a character device") != NULL, "%s", th_err());
	o = opts_for(NULL, empty);
	cr_assert_eq(iotx509_batch_new(&b, &o), IOTX509_ENOTFOUND);
	cr_assert(strstr(th_err(), "empty.txt: no device ID: the ID file is empty") != NULL, "%s", th_err());
	o = opts_for(NULL, comments);
	cr_assert_eq(iotx509_batch_new(&b, &o), IOTX509_ENOTFOUND);
	cr_assert(strstr(th_err(), "holds only comments and blank lines") != NULL, "%s", th_err());
	/* The standard input may be a file or a pipe, but not what never ends. */
	cr_assert_geq(fd = open("/dev/zero", O_RDONLY), 0);
	cr_assert_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	o = opts_for(NULL, "-");
	cr_assert_eq(iotx509_batch_new(&b, &o), IOTX509_EIO);
	cr_assert(strstr(th_err(), "standard input: is a character device") != NULL, "%s", th_err());
	cr_assert_null(b);
	free(empty);
	free(comments);
}

Test(batch, more_than_the_stream_limit_through_the_standard_input_is_refused, .timeout = 60)
{
	char *big = th_path(dir, "big.txt");
	iotx509_batch_options o = opts_for(NULL, "-");
	iotx509_batch *b = NULL;
	int fd = open(big, O_RDWR | O_CREAT, 0600);

	/* A sparse file of one byte over the limit, as the standard input. */
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, (off_t)IOTX509_BATCH_MAX_STREAM + 1), 0);
	cr_assert_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	cr_assert_eq(iotx509_batch_new(&b, &o), IOTX509_ELIMIT, "%s", th_err());
	cr_assert(strstr(th_err(), "standard input: more than the 256 MiB of IDs") != NULL, "%s", th_err());
	free(big);
}

/* Run @b to the end in steps of one; every failure must be IOTX509_EDUPLICATE
 * at line @a or @b_item with @needle in its message. Returns their number. */
static int run_counting_duplicates(iotx509_batch *b, const char *needle, uint64_t a, uint64_t b_item)
{
	int dups = 0;

	while (!iotx509_batch_is_done(b)) {
		size_t i;

		cr_assert_eq(iotx509_batch_run(b, 1), 0, "%s", th_err());
		for (i = 0; i < iotx509_batch_failure_count(b); i++) {
			const failure *f = get_failure(b, i);

			cr_assert_eq(f->code, IOTX509_EDUPLICATE);
			cr_assert(strstr(f->message, needle) != NULL, "%s", f->message);
			cr_assert(f->item == a || f->item == b_item, "line %llu", (unsigned long long)f->item);
			dups++;
		}
	}
	return dups;
}

/* One run over dups.txt: the second occurrences fail, each device is
 * listed once; @rerun: the devices are an earlier run's, claimed. */
static void duplicates_run(const iotx509_batch_options *o, int rerun)
{
	iotx509_batch *b = make(o);
	char *csv, *lines[16];

	cr_assert_eq(run_counting_duplicates(b, "is listed more than once (first at line ", 3, 5), 2);
	cr_assert_eq(iotx509_batch_get_issued(b), rerun ? 0 : 3);
	cr_assert_eq(iotx509_batch_get_skipped(b), rerun ? 3 : 0);
	iotx509_batch_free(b);
	csv = slurp_in("manifest.csv");
	cr_assert_eq(split_lines(csv, lines, 16), 4, "each device once");
	cr_assert(strncmp(lines[1], "d-1,", 4) == 0 && strncmp(lines[2], "d-2,", 4) == 0 && strncmp(lines[3], "d-3,", 4) == 0);
	free(csv);
}

static void check_duplicates(unsigned int jobs, unsigned int flags)
{
	iotx509_batch_options o;
	char *ids = th_path(dir, "dups.txt");

	write_ids("dups.txt", "d-1\nd-2\nd-1\nd-3\nd-2\n");
	o = opts_for(NULL, ids);
	o.jobs = jobs;
	o.flags = flags;
	duplicates_run(&o, 0);
	duplicates_run(&o, 1);
	free(ids);
}

Test(batch, an_id_listed_twice_is_issued_once_with_one_worker)
{
	check_duplicates(1, 0);
}

Test(batch, an_id_listed_twice_is_issued_once_with_many_workers)
{
	check_duplicates(8, 0);
}

Test(batch, an_id_listed_twice_is_issued_once_with_records_in_files)
{
	check_duplicates(2, IOTX509_BATCH_NO_XATTR);
}

static void check_resume(unsigned int flags)
{
	iotx509_batch_options o = opts_for("r-{1..40}", NULL);
	iotx509_batch *b;
	char *csv, *lines[64];
	char serials[41][64];
	char store = (flags & IOTX509_BATCH_NO_XATTR) ? 'f' : xattr_store();
	int finished = 0, i;

	o.flags = flags;
	b = make(&o);
	cr_assert_eq(iotx509_batch_run(b, 10), 0, "%s", th_err());
	cr_assert_geq(iotx509_batch_get_processed(b), 10);
	cr_assert_leq(iotx509_batch_get_processed(b), 12, "at most one device per worker beyond the step");
	cr_assert_eq(iotx509_batch_is_done(b), 0);
	iotx509_batch_free(b); /* the workers finish what they write */
	cr_assert(!exists_in("manifest.csv"), "no manifest before the batch is complete");
	memset(serials, 0, sizeof(serials));
	for (i = 1; i <= 40; i++) {
		char id[16], where;

		snprintf(id, sizeof(id), "r-%d", i);
		where = record_of(id, NULL, 0);
		cr_assert(where == '-' || where == store, "%s: record in '%c', expected '%c'", id, where, store);
		if (where == store) {
			iotx509_cert *c = load_cert_of(id);

			snprintf(serials[i], sizeof(serials[i]), "%s", iotx509_cert_get_serial_hex(c));
			iotx509_cert_free(c);
			finished++;
		}
	}
	cr_assert_geq(finished, 10);

	b = make(&o);
	run_all(b);
	cr_assert_eq(iotx509_batch_get_skipped(b), (uint64_t)finished);
	cr_assert_eq(iotx509_batch_get_issued(b), (uint64_t)(40 - finished));
	cr_assert_eq(iotx509_batch_get_failed(b), 0);
	iotx509_batch_free(b);
	for (i = 1; i <= 40; i++) {
		if (serials[i][0]) {
			iotx509_cert *c;
			char id[16];

			snprintf(id, sizeof(id), "r-%d", i);
			c = load_cert_of(id);
			cr_assert_str_eq(iotx509_cert_get_serial_hex(c), serials[i], "%s was issued again", id);
			iotx509_cert_free(c);
		}
	}
	csv = slurp_in("manifest.csv");
	cr_assert_eq(split_lines(csv, lines, 64), 41, "40 records, each once");
	for (i = 1; i <= 40; i++) {
		char prefix[16];

		snprintf(prefix, sizeof(prefix), "r-%d,", i);
		cr_assert(strncmp(lines[i], prefix, strlen(prefix)) == 0, "record %d is %s", i, lines[i]);
		/* A device of the first run is listed with its certificate's data, read back. */
		if (serials[i][0])
			cr_assert(strstr(lines[i], serials[i]) != NULL, "record %d: %s, serial %s", i, lines[i], serials[i]);
	}
	free(csv);
}

Test(batch, a_batch_stopped_half_way_resumes_without_issuing_finished_devices_again)
{
	check_resume(0);
}

Test(batch, a_batch_stopped_half_way_resumes_with_records_in_files)
{
	check_resume(IOTX509_BATCH_NO_XATTR);
}

Test(batch, the_record_is_an_attribute_of_the_full_chain_or_a_file_with_no_xattr)
{
	iotx509_batch_options o = opts_for("a-{1..3}", NULL);
	iotx509_batch *b;
	char text[256], *done;
	DIR *d;
	struct dirent *de;
	int files = 0;

	if (xattr_store() != 'x') {
		th_rmrf(dir); /* a skipped test gets no teardown */
		cr_skip_test("the file system of %s has no user extended attributes", out);
	}
	done = file_in(".iotx509-batch/done");
	b = make(&o);
	run_all(b);
	iotx509_batch_free(b);
	cr_assert_eq(record_of("a-2", text, sizeof(text)), 'x');
	/* "iotx509-batch 2 RUN INDEX ITEM PFX": item 2 of the pattern is index 1. */
	cr_assert(strncmp(text, "iotx509-batch 2 ", 16) == 0 && strlen(text) > 33, "%s", text);
	cr_assert_str_eq(text + 32, " 1 2 0\n", "%s", text);
	cr_assert_not_null(d = opendir(done));
	while ((de = readdir(d)) != NULL)
		files += de->d_name[0] != '.';
	closedir(d);
	cr_assert_eq(files, 0, "no record files when the attribute works");
	free(done);

	/* The same devices in a new directory, records as files. */
	th_rmrf(out);
	cr_assert_eq(mkdir(out, 0755), 0);
	o.flags = IOTX509_BATCH_NO_XATTR;
	b = make(&o);
	run_all(b);
	iotx509_batch_free(b);
	cr_assert_eq(record_of("a-3", text, sizeof(text)), 'f');
	cr_assert_str_eq(text + 32, " 2 3 0\n", "%s", text);
}

/* A whole run of @o that issues, skips and fails so many devices. */
static void run_expect(const iotx509_batch_options *o, uint64_t issued, uint64_t skipped, uint64_t failed)
{
	iotx509_batch *b = make(o);

	run_all(b);
	cr_assert_eq(iotx509_batch_get_issued(b), issued);
	cr_assert_eq(iotx509_batch_get_skipped(b), skipped);
	cr_assert_eq(iotx509_batch_get_failed(b), failed);
	iotx509_batch_free(b);
}

Test(batch, a_rerun_finds_the_records_of_either_store)
{
	iotx509_batch_options o = opts_for("m-{1..2}", NULL);
	char *csv, *lines[8];

	/* Two devices with records in attributes, then all four with files. */
	run_expect(&o, 2, 0, 0);
	o.pattern = "m-{1..4}";
	o.flags = IOTX509_BATCH_NO_XATTR;
	run_expect(&o, 2, 2, 0);
	cr_assert_eq(record_of("m-1", NULL, 0), xattr_store(), "a claimed record stays where it was");
	cr_assert_eq(record_of("m-4", NULL, 0), 'f');
	/* And back: nothing is issued again, every device listed once. */
	o.flags = 0;
	run_expect(&o, 0, 4, 0);
	csv = slurp_in("manifest.csv");
	cr_assert_eq(split_lines(csv, lines, 8), 5);
	free(csv);
}

/* Run @o again with IOTX509_BATCH_FORCE: no failures, these counts, and
 * @id's certificate now issued by @issuer_cn. */
static void rerun_forced(iotx509_batch_options o, uint64_t issued, uint64_t skipped, const char *id,
			 const char *issuer_cn)
{
	iotx509_batch *b;
	iotx509_cert *c;

	o.flags = IOTX509_BATCH_FORCE;
	b = make(&o);
	run_all(b);
	cr_assert_eq(iotx509_batch_get_failed(b), 0);
	cr_assert_eq(iotx509_batch_get_issued(b), issued);
	cr_assert_eq(iotx509_batch_get_skipped(b), skipped);
	iotx509_batch_free(b);
	c = load_cert_of(id);
	cr_assert_str_eq(iotx509_cert_get_issuer_cn(c), issuer_cn);
	iotx509_cert_free(c);
}

Test(batch, finished_devices_of_another_ca_fail_unless_forced)
{
	iotx509_batch_options o = opts_for("c-{1..3}", NULL);
	iotx509_batch *b = make(&o);
	iotx509_key *k2 = NULL;
	iotx509_cert *r2 = NULL;
	iotx509_issuer *i2 = NULL;
	iotx509_credential *p2 = NULL;
	size_t i;

	run_all(b);
	iotx509_batch_free(b);
	th_make_root(&k2, &r2, &i2, "other-root", TH_FIXTURE_TIME);
	cr_assert_eq(iotx509_credential_new(&p2, r2, k2, NULL, NULL), 0, "%s", th_err());
	o.parent = p2;
	b = make(&o);
	run_all(b);
	cr_assert_eq(iotx509_batch_get_failed(b), 3);
	cr_assert_eq(iotx509_batch_get_skipped(b), 0);
	for (i = 0; i < iotx509_batch_failure_count(b); i++) {
		const failure *f = get_failure(b, i);

		cr_assert_eq(f->code, IOTX509_EEXISTS);
		cr_assert(strstr(f->message, "_cert.pem was not issued by this batch's CA for 'c-") != NULL, "%s",
			  f->message);
	}
	iotx509_batch_free(b);
	rerun_forced(o, 3, 0, "c-2", "other-root");
	iotx509_credential_free(p2);
	iotx509_issuer_free(i2);
	iotx509_cert_free(r2);
	iotx509_key_free(k2);
}

static void check_leftovers(unsigned int flags)
{
	iotx509_batch_options o = opts_for("k-{1..6}", NULL);
	iotx509_batch *b;
	iotx509_cert *c;
	char *p, *csv, *lines[16], old_serial[64];

	o.flags = flags;
	b = make(&o);
	run_all(b);
	iotx509_batch_free(b);
	c = load_cert_of("k-3");
	snprintf(old_serial, sizeof(old_serial), "%s", iotx509_cert_get_serial_hex(c));
	iotx509_cert_free(c);
	/* As if killed: temporary files, and k-3's set cut after its certificate. */
	p = file_in("k-7_cert.pem.tmp.Ab12Cd");
	th_write(p, "-----BEGIN CERT", 15);
	free(p);
	p = file_in(".iotx509-batch/done/k-8.done.tmp.Zz99Yy");
	th_write(p, "iotx509-batch 2", 15);
	free(p);
	p = file_in("k-2_key.pem.old.Qq11Ww");
	th_write(p, "old", 3);
	free(p);
	p = file_in("k-3_key.pem");
	cr_assert_eq(unlink(p), 0);
	free(p);
	p = file_in("k-3_fullchain.pem");
	cr_assert_eq(unlink(p), 0);
	free(p);
	if (flags & IOTX509_BATCH_NO_XATTR) {
		p = file_in(".iotx509-batch/done/k-3.done");
		cr_assert_eq(unlink(p), 0);
		free(p);
	}
	/* A record whose file was emptied (a power failure before the flush). */
	p = file_in("k-5_fullchain.pem");
	th_write(p, "", 0);
	free(p);
	cr_assert_neq(record_of("k-5", NULL, 0), '-');

	o.pattern = "k-{1..8}";
	b = make(&o);
	cr_assert_eq(count_temp_files(out), 0, "temporary files are removed when the batch starts");
	run_all(b);
	cr_assert_eq(iotx509_batch_get_failed(b), 0, "%s",
		     iotx509_batch_failure_count(b) ? get_failure(b, 0)->message : "");
	cr_assert_eq(iotx509_batch_get_skipped(b), 4);
	cr_assert_eq(iotx509_batch_get_issued(b), 4, "k-3, k-5, k-7, k-8");
	iotx509_batch_free(b);
	c = load_cert_of("k-3");
	cr_assert_str_neq(iotx509_cert_get_serial_hex(c), old_serial, "the cut set is replaced by a new one");
	iotx509_cert_free(c);
	cr_assert(exists_in("k-3_key.pem") && exists_in("k-3_fullchain.pem") && exists_in("k-8_cert.pem"));
	cr_assert_neq(record_of("k-3", NULL, 0), '-');
	csv = slurp_in("manifest.csv");
	cr_assert_eq(split_lines(csv, lines, 16), 9);
	free(csv);
}

/* A record that does not parse is no record: the device is issued again
 * (its files are this CA's, so they are replaced), the others skipped. */
static void check_damaged_record(unsigned int flags)
{
	iotx509_batch_options o = opts_for("z-{1..4}", NULL);
	char text[256], *p;
	iotx509_cert *c;
	char old_serial[64];

	o.flags = flags;
	run_expect(&o, 4, 0, 0);
	c = load_cert_of("z-2");
	snprintf(old_serial, sizeof(old_serial), "%s", iotx509_cert_get_serial_hex(c));
	iotx509_cert_free(c);
	if (record_of("z-2", NULL, 0) == 'x') {
		p = file_in("z-2_fullchain.pem");
		cr_assert_eq(setxattr(p, "user.iotx509.batch", "iotx509-batch 2 nonsense", 24, XATTR_REPLACE), 0);
	} else {
		p = file_in(".iotx509-batch/done/z-2.done");
		th_write(p, "iotx509-batch 9\n", 16);
	}
	free(p);
	run_expect(&o, 1, 3, 0);
	c = load_cert_of("z-2");
	cr_assert_str_neq(iotx509_cert_get_serial_hex(c), old_serial, "z-2 was issued again");
	iotx509_cert_free(c);
	cr_assert_neq(record_of("z-2", text, sizeof(text)), '-');
	cr_assert(strncmp(text, "iotx509-batch 2 ", 16) == 0 && strstr(text, "nonsense") == NULL, "%s", text);
}

Test(batch, a_damaged_record_counts_as_none)
{
	check_damaged_record(0);
}

Test(batch, a_damaged_record_file_counts_as_none)
{
	check_damaged_record(IOTX509_BATCH_NO_XATTR);
}

Test(batch, leftovers_of_a_killed_batch_are_cleaned_up_and_their_devices_issued)
{
	check_leftovers(0);
}

Test(batch, leftovers_of_a_killed_batch_with_records_in_files)
{
	check_leftovers(IOTX509_BATCH_NO_XATTR);
}

static void unlink_in(const char *name)
{
	char *p = file_in(name);

	cr_assert_eq(unlink(p), 0, "%s", p);
	free(p);
}

/* A finished device whose certificate file was deleted: the rerun puts it
 * back from the full chain (same serial, same key), or, when the key is
 * gone too, names both files and leaves the rest alone. */
static void check_deleted_cert(unsigned int flags)
{
	iotx509_batch_options o = opts_for("d-{1..3}", NULL);
	iotx509_batch *b;
	iotx509_cert *c;
	char old_serial[64], *cert_before, *cert_after, *p;
	struct stat st;

	o.flags = flags;
	run_expect(&o, 3, 0, 0);
	p = file_in("d-2_cert.pem");
	cert_before = th_slurp(p, NULL);
	free(p);
	c = load_cert_of("d-2");
	snprintf(old_serial, sizeof(old_serial), "%s", iotx509_cert_get_serial_hex(c));
	iotx509_cert_free(c);
	unlink_in("d-2_cert.pem");
	run_expect(&o, 0, 3, 0);
	p = file_in("d-2_cert.pem");
	cert_after = th_slurp(p, NULL);
	cr_assert_str_eq(cert_after, cert_before, "the same certificate is back");
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0644);
	free(p);
	free(cert_before);
	free(cert_after);

	unlink_in("d-3_cert.pem");
	unlink_in("d-3_key.pem");
	b = make(&o);
	run_all(b);
	cr_assert_eq(iotx509_batch_get_failed(b), 1);
	cr_assert_eq(iotx509_batch_get_skipped(b), 2);
	cr_assert_eq(get_failure(b, 0)->code, IOTX509_EEXISTS);
	cr_assert(strstr(get_failure(b, 0)->message,
			 "d-3_cert.pem and ") != NULL &&
			  strstr(get_failure(b, 0)->message,
				 "d-3_key.pem are missing from the set this batch wrote for 'd-3'") != NULL,
		  "%s", get_failure(b, 0)->message);
	cr_assert(strstr(get_failure(b, 0)->message, "not written by this batch") == NULL);
	iotx509_batch_free(b);
	cr_assert(exists_in("d-3_fullchain.pem"), "the rest is left alone");
	/* Forced, d-3 is issued anew; d-2 keeps its certificate. */
	o.flags = flags | IOTX509_BATCH_FORCE;
	run_expect(&o, 1, 2, 0);
	cr_assert(exists_in("d-3_cert.pem") && exists_in("d-3_key.pem"));
	c = load_cert_of("d-2");
	cr_assert_str_eq(iotx509_cert_get_serial_hex(c), old_serial);
	iotx509_cert_free(c);
}

Test(batch, a_rerun_puts_back_a_deleted_certificate_file)
{
	check_deleted_cert(0);
}

Test(batch, a_rerun_puts_back_a_deleted_certificate_file_with_records_in_files)
{
	check_deleted_cert(IOTX509_BATCH_NO_XATTR);
}

Test(batch, a_foreign_file_later_in_the_set_leaves_nothing_of_the_set_behind)
{
	iotx509_batch_options o = opts_for("g-{1..2}", NULL);
	iotx509_batch *b;
	char *p = file_in("g-2_key.pem"), *kept;

	/* The set is written without looking first: the certificate gets its
	 * name before the key collides, and must go again. */
	th_write(p, "not ours\n", 9);
	b = make(&o);
	run_all(b);
	cr_assert_eq(iotx509_batch_get_issued(b), 1);
	cr_assert_eq(iotx509_batch_get_failed(b), 1);
	cr_assert_eq(get_failure(b, 0)->code, IOTX509_EEXISTS);
	cr_assert(strstr(get_failure(b, 0)->message, "g-2_key.pem exists and was not written by this batch") !=
			  NULL,
		  "%s", get_failure(b, 0)->message);
	iotx509_batch_free(b);
	cr_assert(!exists_in("g-2_cert.pem") && !exists_in("g-2_fullchain.pem"), "nothing of g-2's set is left");
	kept = th_slurp(p, NULL);
	cr_assert_str_eq(kept, "not ours\n");
	cr_assert_eq(count_temp_files(out), 0);
	free(kept);
	free(p);
}

Test(batch, files_the_batch_did_not_write_are_kept_unless_forced)
{
	iotx509_batch_options o = opts_for("f-{1..3}", NULL);
	iotx509_batch *b;
	iotx509_key *k = NULL;
	iotx509_cert *foreign = NULL, *c;
	iotx509_issue_options io = IOTX509_ISSUE_OPTIONS_INIT;
	char *p, *csv, *lines[8];

	io.at = TH_FIXTURE_TIME;
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_device_self_signed(&foreign, k, "f-2", &io), 0);
	p = th_save_cert(out, "f-2_cert.pem", foreign);
	free(p);
	b = make(&o);
	run_all(b);
	cr_assert_eq(iotx509_batch_get_failed(b), 1);
	cr_assert_eq(iotx509_batch_get_issued(b), 2);
	iotx509_batch_free(b);
	c = load_cert_of("f-2");
	cr_assert_str_eq(iotx509_cert_get_serial_hex(c), iotx509_cert_get_serial_hex(foreign), "left alone");
	iotx509_cert_free(c);
	csv = slurp_in("manifest.csv");
	cr_assert_eq(split_lines(csv, lines, 8), 3, "f-1 and f-3 only");
	free(csv);

	/* The failure as reported during the run. */
	b = make(&o);
	cr_assert_eq(iotx509_batch_run(b, 0), 0, "%s", th_err());
	cr_assert_eq(iotx509_batch_failure_count(b), 1);
	cr_assert_eq(get_failure(b, 0)->code, IOTX509_EEXISTS);
	cr_assert(strstr(get_failure(b, 0)->message,
			 "f-2_cert.pem exists and was not written by this batch") != NULL,
		  "%s", get_failure(b, 0)->message);
	iotx509_batch_free(b);
	rerun_forced(o, 1, 2, "f-2", "batch-int");
	iotx509_cert_free(foreign);
	iotx509_key_free(k);
}

Test(batch, running_a_finished_batch_again_changes_nothing)
{
	iotx509_batch_options o = opts_for("z-{1..5}", NULL);
	iotx509_batch *b = make(&o);
	char *first, *second;

	run_all(b);
	iotx509_batch_free(b);
	first = slurp_in("manifest.csv");
	b = make(&o);
	run_all(b);
	cr_assert_eq(iotx509_batch_get_issued(b), 0);
	cr_assert_eq(iotx509_batch_get_skipped(b), 5);
	iotx509_batch_free(b);
	second = slurp_in("manifest.jsonl");
	free(second);
	second = slurp_in("manifest.csv");
	cr_assert_str_eq(first, second);
	free(first);
	free(second);
}

static void check_shards(const char *pattern, const char *ids)
{
	char *lines[3][32], *text[3], name[64];
	size_t n[3], k, i, j, total = 0;

	for (k = 1; k <= 3; k++) {
		iotx509_batch_options o = opts_for(pattern, ids);
		iotx509_batch *b;

		o.shard_index = (unsigned int)k;
		o.shard_count = 3;
		b = make(&o);
		cr_assert_eq(iotx509_batch_get_total(b), k < 3 ? 7 : 6);
		run_all(b);
		iotx509_batch_free(b);
		snprintf(name, sizeof(name), "manifest-%zu-of-3.csv", k);
		text[k - 1] = slurp_in(name);
		n[k - 1] = split_lines(text[k - 1], lines[k - 1], 32) - 1;
		total += n[k - 1];
		/* Item m (from 1) belongs to shard (m - 1) mod 3 + 1. */
		for (i = 1; i <= n[k - 1]; i++) {
			char prefix[16];

			snprintf(prefix, sizeof(prefix), "s-%zu,", k + 3 * (i - 1));
			cr_assert(strncmp(lines[k - 1][i], prefix, strlen(prefix)) == 0, "shard %zu record %zu: %s", k, i,
				  lines[k - 1][i]);
		}
	}
	cr_assert_eq(total, 20, "the shards together hold every ID once");
	for (k = 0; k < 3; k++)
		for (i = 1; i <= n[k]; i++)
			for (j = 0; j < 3; j++) {
				size_t m;

				for (m = 1; j != k && m <= n[j]; m++)
					cr_assert(strcmp(lines[k][i], lines[j][m]) != 0, "in two shards: %s", lines[k][i]);
			}
	for (k = 0; k < 3; k++)
		free(text[k]);
}

Test(batch, shards_of_a_pattern_are_disjoint_and_cover_every_id)
{
	check_shards("s-{1..20}", NULL);
}

Test(batch, shards_of_an_id_file_are_disjoint_and_cover_every_id)
{
	char *ids = th_path(dir, "s.txt");
	char text[256] = "# twenty devices\n";
	int i;

	for (i = 1; i <= 20; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%ss-%d\n", i == 10 ? "\n" : "", i);
	write_ids("s.txt", text);
	check_shards(NULL, ids);
	free(ids);
}

Test(batch, a_second_batch_on_the_same_shard_and_directory_is_refused)
{
	iotx509_batch_options o = opts_for("l-{1..4}", NULL);
	iotx509_batch *b1 = make(&o), *b2 = NULL, *b3 = NULL;

	cr_assert_eq(iotx509_batch_new(&b2, &o), IOTX509_EBUSY);
	cr_assert_null(b2);
	cr_assert(strstr(th_err(), "another batch is already running in") != NULL, "%s", th_err());
	iotx509_batch_free(b1);

	o.shard_index = 1;
	o.shard_count = 2;
	b1 = make(&o);
	cr_assert_eq(iotx509_batch_new(&b2, &o), IOTX509_EBUSY);
	cr_assert(strstr(th_err(), "shard 1/2 is already being issued in") != NULL, "%s", th_err());
	o.shard_index = 2;
	b2 = make(&o); /* the other shard of the same split may run beside it */
	o.shard_index = 1;
	o.shard_count = 3;
	cr_assert_eq(iotx509_batch_new(&b3, &o), IOTX509_EBUSY);
	cr_assert(strstr(th_err(), "split into 2 shards is running there") != NULL, "%s", th_err());
	iotx509_batch_free(b1);
	iotx509_batch_free(b2);
	b3 = make(&o); /* alone again: any split */
	iotx509_batch_free(b3);
}

Test(batch, bad_options_are_refused_with_a_message)
{
	iotx509_batch_options o;
	iotx509_batch *b = NULL;
	char *missing = th_path(dir, "no-such-ids.txt"), *nodir = th_path(dir, "no-such-dir");

#define REFUSE(code, text)                                                                          \
	do {                                                                                        \
		cr_assert_eq(iotx509_batch_new(&b, &o), code, "%s", th_err());                      \
		cr_assert_null(b);                                                                  \
		cr_assert(strstr(th_err(), text) != NULL, "expected '%s' in: %s", text, th_err()); \
	} while (0)

	o = opts_for("x-{1..2}", NULL);
	o.parent = NULL;
	REFUSE(IOTX509_EINVAL, "no parent CA");
	o = opts_for(NULL, NULL);
	REFUSE(IOTX509_EINVAL, "either an ID file or a pattern");
	o = opts_for("x-{1..2}", "ids.txt");
	REFUSE(IOTX509_EINVAL, "either an ID file or a pattern");
	o = opts_for("x-{1..2}", NULL);
	o.shard_index = 0;
	o.shard_count = 3;
	REFUSE(IOTX509_EINVAL, "shard 0/3 is not K/N");
	o.shard_index = 4;
	REFUSE(IOTX509_EINVAL, "shard 4/3 is not K/N");
	o = opts_for("x-{1..2}", NULL);
	o.jobs = IOTX509_BATCH_MAX_JOBS + 1;
	REFUSE(IOTX509_EINVAL, "jobs is more than");
	o = opts_for("x-{1..2}", NULL);
	o.pfx_password = "";
	REFUSE(IOTX509_EINVAL, "empty .pfx password");
	o = opts_for("x-{1..2}", NULL);
	o.flags = 0x80;
	REFUSE(IOTX509_EINVAL, "unknown flags");
	o = opts_for("x-{1..2}", NULL);
	o.version = 99;
	REFUSE(IOTX509_EINVAL, "unsupported version 99");
	o = opts_for(NULL, missing);
	REFUSE(IOTX509_ENOTFOUND, "no-such-ids.txt: cannot open the ID file");
	o = opts_for("x-{1..2}", NULL);
	o.out_dir = nodir;
	REFUSE(IOTX509_ENOTFOUND, "no-such-dir: the output directory does not exist");
	o = opts_for("x-{1..2}", NULL);
	o.manifest_csv = "same.file";
	o.manifest_jsonl = "same.file";
	REFUSE(IOTX509_EINVAL, "are the same file");
	cr_assert_eq(iotx509_batch_new(NULL, &o), IOTX509_EINVAL);
	cr_assert_eq(iotx509_batch_run(NULL, 1), IOTX509_EINVAL);
	cr_assert_eq(iotx509_batch_is_done(NULL), 0);
	cr_assert_eq(iotx509_batch_get_total(NULL), 0);
	cr_assert_eq(iotx509_batch_failure_count(NULL), 0);
	cr_assert_eq(iotx509_batch_failure_get_item(NULL, 0), 0);
	cr_assert_null(iotx509_batch_failure_get_id(NULL, 0));
	cr_assert_eq(iotx509_batch_failure_get_code(NULL, 0), IOTX509_OK);
	cr_assert_null(iotx509_batch_failure_get_message(NULL, 0));
	iotx509_batch_free(NULL);
	free(missing);
	free(nodir);
#undef REFUSE
}

Test(batch, a_parent_without_a_key_or_not_a_ca_is_refused)
{
	iotx509_credential *nokey = NULL, *notca = NULL;
	iotx509_key *k = NULL;
	iotx509_cert *dev = NULL;
	iotx509_issue_options io = IOTX509_ISSUE_OPTIONS_INIT;
	iotx509_batch_options o = opts_for("x-{1..2}", NULL);
	iotx509_batch *b = NULL;

	io.at = TH_FIXTURE_TIME;
	cr_assert_eq(iotx509_credential_new(&nokey, inter, NULL, iotx509_credential_get_chain(parent), NULL), 0);
	o.parent = nokey;
	cr_assert_eq(iotx509_batch_new(&b, &o), IOTX509_EINVAL);
	cr_assert(strstr(th_err(), "has no private key") != NULL, "%s", th_err());
	cr_assert_eq(iotx509_key_generate(&k, IOTX509_KEY_P256), 0);
	cr_assert_eq(iotx509_issue_device_self_signed(&dev, k, "not-a-ca", &io), 0);
	cr_assert_eq(iotx509_credential_new(&notca, dev, k, NULL, NULL), 0, "%s", th_err());
	o.parent = notca;
	cr_assert_eq(iotx509_batch_new(&b, &o), IOTX509_ENOTCA);
	cr_assert(strstr(th_err(), "is not a CA certificate") != NULL, "%s", th_err());
	iotx509_credential_free(nokey);
	iotx509_credential_free(notca);
	iotx509_cert_free(dev);
	iotx509_key_free(k);
}

Test(batch, an_expired_parent_is_refused_before_any_device)
{
	iotx509_batch_options o = opts_for("x-{1..2}", NULL);
	iotx509_batch *b = NULL;

	o.at = iotx509_cert_get_not_after(inter) + 86400;
	cr_assert_eq(iotx509_batch_new(&b, &o), IOTX509_EISSUERVALIDITY);
	cr_assert(strstr(th_err(), "the parent CA 'CN=batch-int' expired on") != NULL, "%s", th_err());
}

Test(batch, pfx_files_are_written_when_a_password_is_given)
{
	iotx509_batch_options o = opts_for("p-{1..2}", NULL);
	iotx509_pkcs12_options po = IOTX509_PKCS12_OPTIONS_INIT;
	iotx509_pkcs12 *p12 = NULL;
	iotx509_batch *b;
	char *p = file_in("p-1.pfx"), *csv, *jsonl, *lines[4];
	struct stat st;

	po.profile = IOTX509_PKCS12_COMPAT;
	o.pfx_password = "pw-batch";
	o.pkcs12 = &po;
	b = make(&o);
	run_all(b);
	iotx509_batch_free(b);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(iotx509_pkcs12_load(&p12, p, "pw-batch", NULL), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_cert_get_subject_cn(iotx509_pkcs12_get_leaf(p12)), "p-1");
	cr_assert_eq(iotx509_certlist_count(iotx509_pkcs12_get_chain(p12)), 2);
	iotx509_pkcs12_free(p12);
	csv = slurp_in("manifest.csv");
	cr_assert_eq(split_lines(csv, lines, 4), 3);
	cr_assert(strstr(lines[1], "p-1_fullchain.pem,") && strstr(lines[1], "/p-1.pfx"), "%s", lines[1]);
	jsonl = slurp_in("manifest.jsonl");
	cr_assert(strstr(jsonl, "p-1.pfx\"}") != NULL, "%s", jsonl);
	free(jsonl);
	free(csv);
	free(p);
}

/* Devices q-1..q-4 issued without a .pfx, then a rerun with a password:
 * the rerun writes every .pfx from the device's own key and certificate
 * (nothing is issued again) and the record says the device has one. */
static void check_pfx_added_on_rerun(unsigned int flags)
{
	iotx509_batch_options o = opts_for("q-{1..4}", NULL);
	iotx509_batch *b;
	char sha[4][65], name[32], rec[256], *csv, *again;
	int i;

	o.flags = flags;
	b = make(&o);
	run_all(b);
	iotx509_batch_free(b);
	for (i = 0; i < 4; i++) {
		iotx509_cert *c;

		snprintf(name, sizeof(name), "q-%d", i + 1);
		c = load_cert_of(name);
		snprintf(sha[i], sizeof(sha[i]), "%s", iotx509_cert_get_thumbprint_sha256(c));
		iotx509_cert_free(c);
		snprintf(name, sizeof(name), "q-%d.pfx", i + 1);
		cr_assert(!exists_in(name));
	}

	o.pfx_password = "pw-rerun";
	b = make(&o);
	run_all(b);
	cr_assert_eq(iotx509_batch_get_failed(b), 0, "%s",
		     iotx509_batch_failure_count(b) ? get_failure(b, 0)->message : "");
	cr_assert_eq(iotx509_batch_get_issued(b), 0, "no device is issued again");
	cr_assert_eq(iotx509_batch_get_skipped(b), 4);
	iotx509_batch_free(b);
	for (i = 0; i < 4; i++) {
		iotx509_pkcs12 *p12 = NULL;
		struct stat st;
		char *p;

		snprintf(name, sizeof(name), "q-%d.pfx", i + 1);
		p = file_in(name);
		cr_assert_eq(stat(p, &st), 0, "%s is missing", name);
		cr_assert_eq(st.st_mode & 0777, 0600);
		cr_assert_eq(iotx509_pkcs12_load(&p12, p, "pw-rerun", NULL), 0, "%s", th_err());
		cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(iotx509_pkcs12_get_leaf(p12)), sha[i],
				 "the .pfx holds the device's certificate");
		cr_assert_eq(iotx509_certlist_count(iotx509_pkcs12_get_chain(p12)), 2);
		iotx509_pkcs12_free(p12);
		free(p);
		snprintf(name, sizeof(name), "q-%d", i + 1);
		record_of(name, rec, sizeof(rec));
		cr_assert(rec[strlen(rec) - 2] == '1', "the record says the device has a .pfx: %s", rec);
	}
	csv = slurp_in("manifest.csv");
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "/q-%d.pfx\n", i + 1);
		cr_assert(strstr(csv, name) != NULL, "%s", csv);
	}
	/* A third run finds everything there. */
	b = make(&o);
	run_all(b);
	cr_assert_eq(iotx509_batch_get_skipped(b), 4);
	iotx509_batch_free(b);
	again = slurp_in("manifest.csv");
	cr_assert_str_eq(again, csv);
	free(again);
	free(csv);
}

Test(batch, a_rerun_with_a_pfx_password_adds_the_pfx_files_the_first_run_left_out)
{
	check_pfx_added_on_rerun(0);
}

Test(batch, a_rerun_adds_the_pfx_files_with_records_in_files)
{
	check_pfx_added_on_rerun(IOTX509_BATCH_NO_XATTR);
}

Test(batch, a_pfx_in_the_way_of_one_to_add_fails_that_device_unless_forced)
{
	iotx509_batch_options o = opts_for("w-{1..2}", NULL);
	iotx509_batch *b;
	iotx509_pkcs12 *p12 = NULL;
	char *p = file_in("w-1.pfx"), *lost = file_in("w-2.pfx"), *text;
	const failure *f;
	iotx509_cert *c;

	b = make(&o);
	run_all(b);
	iotx509_batch_free(b);
	th_write(p, "not ours", 8);
	o.pfx_password = "pw";
	b = make(&o);
	cr_assert_eq(iotx509_batch_run(b, 0), 0, "%s", th_err());
	cr_assert_eq(iotx509_batch_failure_count(b), 1);
	f = get_failure(b, 0);
	cr_assert_eq(f->code, IOTX509_EEXISTS);
	cr_assert(strstr(f->message, "w-1.pfx exists and was not written by this batch") != NULL, "%s", f->message);
	cr_assert_eq(iotx509_batch_get_skipped(b), 1, "w-2 got its .pfx");
	iotx509_batch_free(b);
	text = th_slurp(p, NULL);
	cr_assert_str_eq(text, "not ours");
	free(text);

	/* Forced, the file is replaced; a .pfx lost since is written again. */
	cr_assert_eq(unlink(lost), 0);
	o.flags = IOTX509_BATCH_FORCE;
	b = make(&o);
	run_all(b);
	cr_assert_eq(iotx509_batch_get_failed(b), 0);
	cr_assert_eq(iotx509_batch_get_issued(b), 0);
	iotx509_batch_free(b);
	c = load_cert_of("w-1");
	cr_assert_eq(iotx509_pkcs12_load(&p12, p, "pw", NULL), 0, "%s", th_err());
	cr_assert_str_eq(iotx509_cert_get_thumbprint_sha256(iotx509_pkcs12_get_leaf(p12)),
			 iotx509_cert_get_thumbprint_sha256(c));
	iotx509_pkcs12_free(p12);
	iotx509_cert_free(c);
	cr_assert_eq(access(lost, F_OK), 0, "w-2.pfx is back");
	free(p);
	free(lost);
}

Test(batch, the_key_type_and_validity_apply_to_every_device)
{
	iotx509_batch_options o = opts_for("e-{1..3}", NULL);
	iotx509_batch *b;
	iotx509_cert *c;

	o.key_type = IOTX509_KEY_ED25519;
	o.days = 30;
	b = make(&o);
	run_all(b);
	iotx509_batch_free(b);
	c = load_cert_of("e-2");
	cr_assert_eq(iotx509_cert_get_key_algorithm(c), IOTX509_ALG_ED25519);
	cr_assert_eq(iotx509_cert_get_not_after(c), TH_FIXTURE_TIME + 30 * 86400);
	iotx509_cert_free(c);
}

Test(batch, ids_that_need_quoting_are_quoted_in_csv_and_escaped_in_json)
{
	iotx509_batch_options o;
	iotx509_batch *b;
	char *ids = th_path(dir, "odd.txt"), *csv, *jsonl;

	write_ids("odd.txt", "we,ird\"id\n");
	o = opts_for(NULL, ids);
	o.id_policy = IOTX509_ID_POLICY_ANY;
	b = make(&o);
	run_all(b);
	cr_assert_eq(iotx509_batch_get_issued(b), 1, "%s",
		     iotx509_batch_failure_count(b) ? get_failure(b, 0)->message : "");
	iotx509_batch_free(b);
	csv = slurp_in("manifest.csv");
	jsonl = slurp_in("manifest.jsonl");
	cr_assert(strstr(csv, "\n\"we,ird\"\"id\",") != NULL, "%s", csv);
	cr_assert(strstr(jsonl, "{\"device_id\":\"we,ird\\\"id\",") != NULL, "%s", jsonl);
	free(csv);
	free(jsonl);
	free(ids);
}

Test(batch, a_write_error_stops_the_batch_and_every_later_step_reports_it)
{
	iotx509_batch_options o = opts_for("w-{1..5}", NULL);
	iotx509_batch *b;
	char *done_dir = th_path(out, ".iotx509-batch/done");
	int err;

	o.flags = IOTX509_BATCH_NO_XATTR; /* so the records are files that can fail */
	b = make(&o);

	/* The records' directory turns into a file: nothing can be finished. */
	th_rmrf(done_dir);
	th_write(done_dir, "x", 1);
	err = iotx509_batch_run(b, 0);
	cr_assert_eq(err, IOTX509_EIO, "%s", th_err());
	cr_assert(strstr(th_err(), ".iotx509-batch/done/w-") != NULL, "the message names the file: %s", th_err());
	cr_assert_eq(iotx509_batch_run(b, 1), IOTX509_EIO);
	cr_assert(strstr(th_err(), ".iotx509-batch/done/w-") != NULL, "%s", th_err());
	cr_assert_eq(iotx509_batch_is_done(b), 0);
	iotx509_batch_free(b);
	cr_assert(!exists_in("manifest.csv"));
	free(done_dir);
}

Test(batch, options_init_sets_the_defaults)
{
	iotx509_batch_options o;

	memset(&o, 0xff, sizeof(o));
	cr_assert_eq(iotx509_batch_options_init(&o, IOTX509_BATCH_OPTIONS_VERSION), 0);
	cr_assert_eq(o.version, IOTX509_BATCH_OPTIONS_VERSION);
	cr_assert_null(o.parent);
	cr_assert_eq(o.jobs, 0);
	cr_assert_eq(o.id_policy, IOTX509_ID_POLICY_DPS);
	cr_assert_eq(iotx509_batch_options_init(&o, 7), IOTX509_EINVAL);
	cr_assert(strstr(th_err(), "unsupported version 7") != NULL);
}

Test(batch, tiny_steps_with_many_workers_never_stall, .timeout = 60)
{
	iotx509_batch_options o = opts_for("t-{1..300}", NULL);
	iotx509_batch *b;
	int steps = 0;

	/* Every step waits for one device while eight workers race ahead:
	 * all of them may finish before the driving thread looks again. */
	o.jobs = 8;
	b = make(&o);
	while (!iotx509_batch_is_done(b)) {
		cr_assert_eq(iotx509_batch_run(b, 1), 0, "%s", th_err());
		steps++;
	}
	cr_assert_eq(iotx509_batch_get_issued(b), 300);
	cr_assert_geq(steps, 30);
	iotx509_batch_free(b);
}

Test(batch, workers_that_finish_before_the_driver_wakes_never_stall, .timeout = 60)
{
	iotx509_batch_options o;
	iotx509_batch *b;
	char *ids = th_path(dir, "fast.txt");
	FILE *f = fopen(ids, "w");
	int i;

	/* Invalid IDs fail in a microsecond: the workers empty the queue long
	 * before the driving thread looks again, in every step. */
	cr_assert_not_null(f);
	for (i = 0; i < 20000; i++)
		fprintf(f, "BAD-%05d\n", i);
	fputs("good-1\n", f);
	fclose(f);
	o = opts_for(NULL, ids);
	o.jobs = 4;
	b = make(&o);
	while (!iotx509_batch_is_done(b))
		cr_assert_eq(iotx509_batch_run(b, 64), 0, "%s", th_err());
	cr_assert_eq(iotx509_batch_get_failed(b), 20000);
	cr_assert_eq(iotx509_batch_get_issued(b), 1);
	iotx509_batch_free(b);
	free(ids);
}

/* create_test_cert.js names: camel-cased stems, the CN and the manifest keep
 * the ID, and two IDs with one stem never share files (one worker or many,
 * first run or rerun). */
static void check_camel_names(unsigned int jobs)
{
	iotx509_batch_options o;
	iotx509_batch *b;
	char *ids = th_path(dir, "camel.txt"), *csv, *lines[8];
	int run;

	write_ids("camel.txt", "sample-device-01\ndev-a\nsample_device_01\ndev.b\n");
	o = opts_for(NULL, ids);
	o.jobs = jobs;
	o.names = IOTX509_NAMES_CREATE_TEST_CERT;
	for (run = 0; run < 2; run++) {
		iotx509_cert *c;
		char *p;

		b = make(&o);
		cr_assert_eq(run_counting_duplicates(b,
						     "device ID 'sample_device_01' gets the file name stem "
						     "'sampleDevice01' of 'sample-device-01' (line 1)",
						     3, 3),
			     1, "run %d", run);
		cr_assert_eq(iotx509_batch_get_issued(b), run ? 0 : 3);
		cr_assert_eq(iotx509_batch_get_skipped(b), run ? 3 : 0);
		iotx509_batch_free(b);
		cr_assert(exists_in("sampleDevice01_cert.pem") && exists_in("devA_key.pem") && exists_in("devB_fullchain.pem"));
		cr_assert(!exists_in("sample-device-01_cert.pem") && !exists_in("dev-a_cert.pem"));
		p = file_in("sampleDevice01_cert.pem");
		cr_assert_eq(iotx509_cert_load(&c, p), 0, "%s", th_err());
		cr_assert_str_eq(iotx509_cert_get_subject_cn(c), "sample-device-01", "the CN stays the device ID");
		iotx509_cert_free(c);
		free(p);
		csv = slurp_in("manifest.csv");
		cr_assert_eq(split_lines(csv, lines, 8), 4);
		cr_assert(strncmp(lines[1], "sample-device-01,", 17) == 0, "%s", lines[1]);
		cr_assert(strstr(lines[1], "/sampleDevice01_fullchain.pem") != NULL, "%s", lines[1]);
		cr_assert(strncmp(lines[2], "dev-a,", 6) == 0 && strstr(lines[2], "/devA_key.pem") != NULL, "%s", lines[2]);
		cr_assert(strncmp(lines[3], "dev.b,", 6) == 0 && strstr(lines[3], "/devB_cert.pem") != NULL, "%s", lines[3]);
		free(csv);
	}
	free(ids);
}

Test(batch, create_test_cert_names_with_one_worker)
{
	check_camel_names(1);
}

Test(batch, create_test_cert_names_with_many_workers)
{
	check_camel_names(8);
}

Test(batch, an_unknown_name_style_is_refused)
{
	iotx509_batch_options o = opts_for("x-{1..2}", NULL);
	iotx509_batch *b = NULL;

	o.names = (iotx509_name_style)5;
	cr_assert_eq(iotx509_batch_new(&b, &o), IOTX509_EINVAL);
	cr_assert(strstr(th_err(), "unknown name style 5") != NULL, "%s", th_err());
	cr_assert_null(b);
}

/* ---- options: zero-fill and versions ---- */

/* Issue dev-1 and dev-2 into out/@sub with @o; returns dev-1's certificate. */
static iotx509_cert *batch_into(iotx509_batch_options *o, const char *sub)
{
	char *d = th_path(out, sub), *p = th_path(d, "dev-1_cert.pem");
	iotx509_batch *b;
	iotx509_cert *c = NULL;

	cr_assert_eq(mkdir(d, 0755), 0);
	o->parent = parent;
	o->pattern = "dev-{1..2}";
	o->out_dir = d;
	o->at = TH_FIXTURE_TIME;
	b = make(o);
	run_all(b);
	cr_assert_eq(iotx509_batch_get_total(b), 2);
	cr_assert_eq(iotx509_batch_get_failed(b), 0, "%s", th_err());
	iotx509_batch_free(b);
	cr_assert_eq(iotx509_cert_load(&c, p), 0, "%s", th_err());
	free(p);
	free(d);
	return c;
}

Test(batch, zero_filled_options_are_the_defaults)
{
	iotx509_batch_options z, init = IOTX509_BATCH_OPTIONS_INIT;
	iotx509_cert *a, *b;

	TH_ZERO_OPTIONS(z, IOTX509_BATCH_OPTIONS_VERSION);
	a = batch_into(&z, "zero");
	b = batch_into(&init, "init");
	cr_assert_eq(iotx509_cert_get_not_before(a), iotx509_cert_get_not_before(b));
	cr_assert_eq(iotx509_cert_get_not_after(a), iotx509_cert_get_not_after(b));
	cr_assert_eq(iotx509_cert_get_not_after(a) - iotx509_cert_get_not_before(a), 365LL * 86400 + 300);
	cr_assert_eq(iotx509_cert_get_key_algorithm(a), iotx509_cert_get_key_algorithm(b));
	cr_assert_str_eq(iotx509_cert_get_subject_dn(a), iotx509_cert_get_subject_dn(b));
	cr_assert_eq(exists_in("zero/manifest.csv"), exists_in("init/manifest.csv"));
	cr_assert_eq(exists_in("zero/dev-1.pfx"), 0, "no .pfx without a password");
	TH_CHECK_OPTIONS_INIT(iotx509_batch_options, iotx509_batch_options_init, IOTX509_BATCH_OPTIONS_VERSION, "batch options",
			      IOTX509_BATCH_OPTIONS_INIT);
	iotx509_cert_free(a);
	iotx509_cert_free(b);
}

Test(batch, options_versions_1_to_current)
{
	iotx509_batch_options o = opts_for("dev-{1..2}", NULL);
	iotx509_pkcs12_options po = IOTX509_PKCS12_OPTIONS_INIT;
	iotx509_batch *b = NULL;

	o.version = 1;
	b = make(&o);
	iotx509_batch_free(b);
	b = NULL;
	o.version = 0;
	th_version_refused(iotx509_batch_new(&b, &o), 0);
	o.version = IOTX509_BATCH_OPTIONS_VERSION + 1;
	th_version_refused(iotx509_batch_new(&b, &o), IOTX509_BATCH_OPTIONS_VERSION + 1);
	/* The PKCS#12 options it is given follow the same rule. */
	o.version = IOTX509_BATCH_OPTIONS_VERSION;
	o.pfx_password = "pw";
	o.pkcs12 = &po;
	po.version = 0;
	th_version_refused(iotx509_batch_new(&b, &o), 0);
	po.version = IOTX509_PKCS12_OPTIONS_VERSION + 1;
	th_version_refused(iotx509_batch_new(&b, &o), IOTX509_PKCS12_OPTIONS_VERSION + 1);
	cr_assert_null(b);
}

/* A validity cut to the parent's is reported once for the batch, with what
 * was asked; a batch that fits reports 0. */
Test(batch, a_validity_cut_to_the_parent_is_reported)
{
	iotx509_batch_options o = opts_for("cut-{1..3}", NULL);
	iotx509_batch *b;
	iotx509_cert *c = NULL;
	char *p;

	o.days = 3650; /* the intermediate lives 1825 days */
	b = make(&o);
	cr_assert_eq(iotx509_batch_get_requested_not_after(b), 0, "nothing issued yet");
	run_all(b);
	cr_assert_eq(iotx509_batch_get_issued(b), 3);
	cr_assert_eq(iotx509_batch_get_requested_not_after(b), TH_FIXTURE_TIME + 3650LL * 86400);
	p = th_path(out, "cut-2_cert.pem");
	cr_assert_eq(iotx509_cert_load(&c, p), 0, "%s", th_err());
	cr_assert_eq(iotx509_cert_get_not_after(c), iotx509_cert_get_not_after(inter), "cut to the parent's");
	iotx509_cert_free(c);
	free(p);
	iotx509_batch_free(b);

	o = opts_for("fits-{1..2}", NULL);
	b = make(&o);
	run_all(b);
	cr_assert_eq(iotx509_batch_get_issued(b), 2);
	cr_assert_eq(iotx509_batch_get_requested_not_after(b), 0);
	cr_assert_eq(iotx509_batch_get_requested_not_after(NULL), 0);
	iotx509_batch_free(b);
}
