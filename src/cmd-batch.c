/*
 * iotx509 batch: many device identities under one PARENT (see
 * include/iotx509/batch.h). This file parses the options, drives the
 * library's batch in steps and draws the progress.
 */
#include <config.h>

#include "cli.h"
#include "hints.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Options of this command only (the shared ones are in cli.h). */
enum { OPT_IDS = 1000, OPT_PATTERN, OPT_JOBS, OPT_PFX, OPT_SHARD, OPT_MANIFEST, OPT_MANIFEST_JSONL, OPT_FSYNC,
       OPT_NO_XATTR };

static const char help_batch[] =
	"Usage: iotx509 batch PARENT (--ids FILE | --pattern PATTERN) [OPTION]...\n"
	"Issue a device certificate under PARENT for every device ID, with the files 'iotx509 device'\n"
	"writes (the .pfx only with --pfx), and a manifest of all of them in CSV and JSON lines\n"
	"(device_id, serial, thumbprints, notAfter, file paths) for a bulk enrollment import.\n"
	"A rerun after an interruption skips the devices already done.\n"
	"\n"
	"  --ids FILE           device IDs, one per line ('#' comments and blank lines skipped);\n"
	"                       a pipe or - (the standard input) is read once\n"
	"  --pattern PATTERN    IDs from a numbered range, e.g. 'sensor-{0001..9999}'\n"
	"  --jobs N             worker threads (default: the number of processors)\n"
	"  --shard K/N          issue only the K-th of N slices of the IDs (K from 1), to spread\n"
	"                       a batch over machines; each slice writes manifest-K-of-N.csv\n"
	"  --pfx                also write DEVICE.pfx (slow by design: PBKDF2)\n"
	"  --manifest FILE      CSV manifest (default OUT_DIR/manifest.csv)\n"
	"  --manifest-jsonl FILE JSON lines manifest (default: the CSV's name with .jsonl)\n"
	"  --fsync              flush every device's files to disk at once (slow on a disk)\n"
	"  --no-xattr           keep the completion records in OUT_DIR/.iotx509-batch/done/, not in\n"
	"                       the extended attribute user.iotx509.batch of each _fullchain.pem\n"
	"  --key-type TYPE      rsa2048, rsa3072, rsa4096, p256 (default), p384, ed25519\n"
	"  --days N             validity in days (default 365)\n"
	"  --at TIME            issue as of TIME instead of now (YYYY-MM-DD[THH:MM:SSZ] or @EPOCH)\n"
	"  --out-dir DIR        where files are written (default .; created when missing)\n"
	"  --password PW        password of the .pfx files (default " DEFAULT_PFX_PASSWORD ")\n"
	"  --password-file FILE read the .pfx password from the first line of FILE\n"
	"  --pfx-profile P      modern (default: AES-256, SHA-256) or compat (3DES, SHA-1)\n"
	"  --id-policy P        device ID rules: dps (default), central, any\n" HELP_NAMES
	"                       (two IDs with the same camel-cased stem: the later one fails)\n"
	"  --force              replace files in the way of devices this batch has not finished,\n"
	"                       and finished devices whose certificate another CA issued\n"
	"  --json               print the summary as one JSON object\n"
	"  -h, --help           show this help\n" HELP_PARENT;

struct batch_args {
	struct cli c;
	const char *parent, *ids, *pattern, *manifest, *manifest_jsonl;
	unsigned int jobs, shard_k, shard_n;
	int pfx, fsync_each, no_xattr;
	struct names names; /* --names */
	int parent_is_root;
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_shard(struct batch_args *a, const char *arg)
{
	unsigned int k, n;
	int used = 0;

	if (sscanf(arg, "%u/%u%n", &k, &n, &used) != 2 || arg[used] != '\0' || arg[0] < '0' || arg[0] > '9' ||
	    k < 1 || n < 1 || k > n || n > IOTX509_BATCH_MAX_SHARDS)
		return cli_usage(&a->c, "--shard: '%s' is not K/N with 1 <= K <= N (e.g. --shard 2/8)", arg);
	a->shard_k = k;
	a->shard_n = n;
	return 0;
}

static int parse(struct batch_args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		O_HELP, O_JSON, O_FORCE, O_OUT_DIR, O_KEY_TYPE, O_DAYS, O_AT, O_PASSWORD, O_PASSWORD_FILE,
		O_PFX_PROFILE, O_ID_POLICY, O_PARENT,
		{ "ids", required_argument, NULL, OPT_IDS },
		{ "pattern", required_argument, NULL, OPT_PATTERN },
		{ "jobs", required_argument, NULL, OPT_JOBS },
		{ "pfx", no_argument, NULL, OPT_PFX },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "manifest", required_argument, NULL, OPT_MANIFEST },
		{ "manifest-jsonl", required_argument, NULL, OPT_MANIFEST_JSONL },
		{ "fsync", no_argument, NULL, OPT_FSYNC },
		{ "no-xattr", no_argument, NULL, OPT_NO_XATTR },
		O_NAMES,
		O_END,
	};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int ch, rc;

	memset(a, 0, sizeof(*a));
	cli_init(&a->c, PROGRAM " batch", help_batch);
	a->jobs = cpus < 1 ? 1 : cpus > (long)IOTX509_BATCH_MAX_JOBS ? IOTX509_BATCH_MAX_JOBS : (unsigned int)cpus;
	while ((ch = cli_getopt(&a->c, argc, argv, opts)) != -1) {
		switch (ch) {
		case OPT_IDS:
			a->ids = optarg;
			break;
		case OPT_PATTERN:
			a->pattern = optarg;
			break;
		case OPT_JOBS:
			if ((rc = cli_parse_uint(&a->c, "--jobs", optarg, IOTX509_BATCH_MAX_JOBS, &a->jobs)) != 0)
				return rc;
			if (a->jobs == 0)
				return cli_usage(&a->c, "--jobs: at least 1");
			break;
		case OPT_PFX:
			a->pfx = 1;
			break;
		case OPT_SHARD:
			if ((rc = parse_shard(a, optarg)) != 0)
				return rc;
			break;
		case OPT_MANIFEST:
			a->manifest = optarg;
			break;
		case OPT_MANIFEST_JSONL:
			a->manifest_jsonl = optarg;
			break;
		case OPT_NO_XATTR:
			a->no_xattr = 1;
			break;
		case OPT_FSYNC:
			a->fsync_each = 1;
			break;
		case OPT_NAMES:
			if ((rc = names_parse(&a->c, optarg, &a->names)) != 0)
				return rc;
			break;
		default:
			if ((rc = cli_option(&a->c, ch, optarg, argv)) != CLI_CONTINUE)
				return rc;
		}
	}
	if (argc - optind > 1)
		return cli_usage(&a->c, "unexpected argument '%s'", argv[optind + 1]);
	a->parent = argc - optind == 1 ? argv[optind] : NULL;
	if ((a->ids == NULL) == (a->pattern == NULL))
		return cli_usage(&a->c, "give --ids FILE or --pattern PATTERN (one of them)");
	if (!a->pfx && (a->c.password || a->c.password_file))
		return cli_usage(&a->c, "--password and --password-file need --pfx");
	return names_apply(&a->c, &a->names, 1, NULL, NULL, &a->parent);
}

/* "1:02:03" or "2:03". */
static void format_duration(char *buf, size_t size, double s)
{
	long t = s < 0 ? 0 : (long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, size, "%ld:%02ld", t / 60, t % 60);
}

/* The progress line on a terminal: bar, counts, rate, ETA. */
static void draw_progress(const iotx509_batch *b, double elapsed, int final)
{
	uint64_t total = iotx509_batch_get_total(b), done = iotx509_batch_get_processed(b);
	uint64_t failed = iotx509_batch_get_failed(b);
	double rate = elapsed > 0 ? (double)done / elapsed : 0;
	char bar[31], eta[32], spent[32];
	int width = 30, fill = total ? (int)((double)width * (double)done / (double)total) : width, i;

	for (i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[width] = '\0';
	format_duration(spent, sizeof(spent), elapsed);
	if (rate > 0 && total > done)
		format_duration(eta, sizeof(eta), (double)(total - done) / rate);
	else
		snprintf(eta, sizeof(eta), "-");
	fprintf(stderr, "\r\033[K[%s] %3d%% %llu/%llu  %.0f/s  elapsed %s  ETA %s", bar,
		total ? (int)(100.0 * (double)done / (double)total) : 100, (unsigned long long)done,
		(unsigned long long)total, rate, spent, eta);
	if (failed)
		fprintf(stderr, "  %llu failed", (unsigned long long)failed);
	if (done == total && !final && !iotx509_batch_is_done(b))
		fputs("  writing the manifest", stderr);
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

static void report_failures(const struct batch_args *a, const iotx509_batch *b, int tty)
{
	size_t i, n = iotx509_batch_failure_count(b);

	for (i = 0; i < n; i++) {
		if (tty)
			fputs("\r\033[K", stderr);
		fprintf(stderr, "%s: %s %llu: %s\n", a->c.name, a->ids ? "line" : "item",
			(unsigned long long)iotx509_batch_failure_get_item(b, i),
			out_esc(iotx509_batch_failure_get_message(b, i)));
	}
}

static void summary(const struct batch_args *a, const iotx509_batch *b, double elapsed)
{
	uint64_t done = iotx509_batch_get_processed(b);

	out_start("batch", a->c.json);
	out_int("total", NULL, (long long)iotx509_batch_get_total(b));
	out_int("issued", NULL, (long long)iotx509_batch_get_issued(b));
	out_int("skipped", NULL, (long long)iotx509_batch_get_skipped(b));
	out_int("failed", NULL, (long long)iotx509_batch_get_failed(b));
	out_str("manifest_csv", NULL, iotx509_batch_get_manifest_csv(b));
	out_str("manifest_jsonl", NULL, iotx509_batch_get_manifest_jsonl(b));
	if (a->shard_n) {
		char shard[32];

		snprintf(shard, sizeof(shard), "%u/%u", a->shard_k, a->shard_n);
		out_str("shard", NULL, shard);
	}
	/* As iotx509_credential_get_presented_file() decides for each device. */
	out_str("presents", NULL, a->parent_is_root ? "cert_path" : "fullchain_path"); /* the manifest column */
	out_text("%llu devices: %llu issued, %llu skipped (done before), %llu failed in %.1f s (%.0f/s); manifest %s, %s; "
		 "each device presents its %s",
		 (unsigned long long)iotx509_batch_get_total(b), (unsigned long long)iotx509_batch_get_issued(b),
		 (unsigned long long)iotx509_batch_get_skipped(b), (unsigned long long)iotx509_batch_get_failed(b),
		 elapsed, elapsed > 0 ? (double)done / elapsed : 0.0, iotx509_batch_get_manifest_csv(b),
		 iotx509_batch_get_manifest_jsonl(b),
		 a->parent_is_root ? "ID_cert.pem (issued by the root the service holds)"
				   : "ID_fullchain.pem (certificate and intermediates)");
	out_finish();
}

static int run(struct batch_args *a)
{
	struct cli *c = &a->c;
	iotx509_credential *parent = NULL;
	iotx509_batch *b = NULL;
	iotx509_batch_options o = IOTX509_BATCH_OPTIONS_INIT;
	iotx509_pkcs12_options p12 = IOTX509_PKCS12_OPTIONS_INIT;
	char *password = NULL;
	int default_password = 0, rc, tty = isatty(STDERR_FILENO);
	double start, last_draw = 0, t;
	/* Steps small enough to redraw often, big enough to keep the workers fed. */
	size_t step = a->jobs * 16 < 64 ? 64 : (size_t)a->jobs * 16;

	if (a->pfx && (rc = cli_pfx_password(c, &password, &default_password)) != 0)
		return rc;
	if ((rc = cli_load_parent(c, a->parent, &parent)) != 0)
		goto out;
	p12.profile = c->pfx_profile;
	o.parent = parent;
	o.ids_path = a->ids;
	o.pattern = a->pattern;
	o.out_dir = c->out_dir;
	o.key_type = c->key_type;
	o.days = c->days;
	o.at = c->at;
	o.id_policy = c->id_policy;
	o.pfx_password = password;
	o.pkcs12 = &p12;
	o.jobs = a->jobs;
	o.shard_index = a->shard_k;
	o.shard_count = a->shard_n;
	o.manifest_csv = a->manifest;
	o.manifest_jsonl = a->manifest_jsonl;
	o.flags = (c->force ? IOTX509_BATCH_FORCE : 0) | (a->fsync_each ? IOTX509_BATCH_FSYNC_EACH : 0) |
		  (a->no_xattr ? IOTX509_BATCH_NO_XATTR : 0);
	o.names = a->names.style;
	a->parent_is_root = iotx509_cert_is_self_signed(iotx509_credential_get_cert(parent));
	if ((rc = cli_make_out_dir(c)) != 0)
		goto out;
	rc = EXIT_FAIL;
	if (iotx509_batch_new(&b, &o) < 0) {
		rc = cli_fail(c, NULL);
		goto out;
	}
	start = now_seconds();
	while (!iotx509_batch_is_done(b)) {
		int err = iotx509_batch_run(b, step);

		report_failures(a, b, tty);
		if (err < 0) {
			if (tty)
				fputs("\r\033[K", stderr);
			rc = cli_fail(c, NULL);
			goto out;
		}
		t = now_seconds();
		if (tty && (t - last_draw >= 0.1 || iotx509_batch_is_done(b))) {
			draw_progress(b, t - start, iotx509_batch_is_done(b));
			last_draw = t;
		}
	}
	summary(a, b, now_seconds() - start);
	cli_note_clamp_at(c, iotx509_batch_get_requested_not_after(b),
			  iotx509_cert_get_not_after(iotx509_credential_get_cert(parent)),
			  iotx509_cert_get_subject_dn(iotx509_credential_get_cert(parent)));
	if (default_password)
		cli_note(c, "note: the .pfx files are protected with the default password '%s' (choose one with "
			    "--password or --password-file)",
			 DEFAULT_PFX_PASSWORD);
	rc = iotx509_batch_get_failed(b) ? EXIT_FAIL : EXIT_OK;
out:
	iotx509_batch_free(b);
	iotx509_credential_free(parent);
	cli_free_secret(password);
	return rc;
}

int cmd_batch(int argc, char **argv)
{
	struct batch_args a;
	int rc = parse(&a, argc, argv);

	if (rc == CLI_CONTINUE)
		rc = run(&a);
	names_free(&a.names);
	return rc;
}
