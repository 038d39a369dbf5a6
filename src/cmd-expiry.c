/*
 * expiry: every certificate in files and directory trees with its
 * notAfter, days left and whether it needs renewal; exit 1 if any does.
 * The report is the library's (iotx509/expiry.h).
 */
#include <config.h>

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_ALL = 0x1200 };

static const char help_expiry[] =
	"Usage: iotx509 expiry PATH... [--within DAYS | --at-percent P] [--all] [--at TIME] [--json]\n"
	"List every certificate in the files and directories (read recursively) with its CN,\n"
	"issuer, notAfter, the days it has left and whether it needs renewal: once P percent of\n"
	"its lifetime has passed (default 80, as DPS guidance suggests), or with --within when it\n"
	"has DAYS days or fewer left. Expired certificates always need renewal.\n"
	"Verification (proof-of-possession) certificates are left out: leaves, not self-signed,\n"
	"with a CN of letters and digits (the code) and a lifetime of at most 3 days.\n"
	"Exit status 1 when any certificate listed needs renewal.\n"
	"\n"
	"  --within DAYS        needs renewal with DAYS days or fewer left\n"
	"  --at-percent P       needs renewal after P percent of its lifetime (1-100; default 80)\n"
	"  --all                list verification certificates too\n"
	"  --at TIME            judge at TIME instead of now (YYYY-MM-DD[THH:MM:SSZ] or @EPOCH)\n"
	"  --json               print the result as one JSON object\n"
	"  -h, --help           show this help\n";

/* The STATE column: EXPIRED, RENEW (due), NOT-YET (valid later), ok. */
static const char *state_label(iotx509_expiry_state st, int due)
{
	if (st == IOTX509_EXPIRY_EXPIRED)
		return "EXPIRED";
	if (due)
		return "RENEW";
	return st == IOTX509_EXPIRY_NOT_YET_VALID ? "NOT-YET" : "ok";
}

int cmd_expiry(int argc, char **argv)
{
	static const struct option opts[] = {
		O_HELP, O_JSON, O_AT,
		O_EXPIRY_RULE,
		{ "all", no_argument, NULL, OPT_ALL },
		O_END,
	};
	struct cli c;
	iotx509_expiry_options eo = IOTX509_EXPIRY_OPTIONS_INIT;
	iotx509_expiry *report = NULL;
	int ch, rc, i, all = 0;
	size_t k, n, due, skipped;
	char when[64], rule[64];

	cli_init(&c, PROGRAM " expiry", help_expiry);
	while ((ch = cli_getopt(&c, argc, argv, opts)) != -1) {
		switch (ch) {
		case OPT_ALL:
			all = 1;
			break;
		default:
			if ((rc = cli_option(&c, ch, optarg, argv)) != CLI_CONTINUE)
				return rc;
		}
	}
	if ((rc = cli_expiry_rule(&c, &eo.rule, &eo.threshold, &eo.has_threshold)) != 0)
		return rc;
	if (argc - optind < 1)
		return cli_usage(&c, "missing PATH (a certificate file or a directory)");
	eo.at = c.at;
	eo.flags = all ? 0 : IOTX509_EXPIRY_SKIP_VERIFICATION;
	if (iotx509_expiry_new(&report, &eo) < 0)
		return cli_fail(&c, NULL);
	for (i = optind; i < argc; i++)
		if (iotx509_expiry_add_path(report, argv[i]) < 0) {
			rc = cli_fail(&c, NULL);
			goto done;
		}
	n = iotx509_expiry_count(report);
	due = iotx509_expiry_due_count(report);
	skipped = iotx509_expiry_skipped_count(report);
	if (iotx509_expiry_get_rule(report) == IOTX509_EXPIRY_DAYS)
		snprintf(rule, sizeof(rule), "%u days or fewer left", iotx509_expiry_get_threshold(report));
	else
		snprintf(rule, sizeof(rule), "%u%% of the lifetime passed", iotx509_expiry_get_threshold(report));

	out_start("expiry", c.json);
	out_time("at", NULL, iotx509_expiry_get_time(report));
	out_str("rule", NULL, iotx509_expiry_rule_name(iotx509_expiry_get_rule(report)));
	out_int("threshold", NULL, iotx509_expiry_get_threshold(report));
	out_int("count", NULL, (long long)n);
	out_int("due", NULL, (long long)due);
	out_int("verification_skipped", NULL, (long long)skipped);
	out_text("%-8s %6s  %-20s  %-24s  %-24s  %s", "STATE", "DAYS", "NOT AFTER", "CN", "ISSUER", "FILE");
	out_begin_array("certificates");
	for (k = 0; k < n; k++) {
		const iotx509_cert *cert = iotx509_expiry_get_cert(report, k);
		const char *src = iotx509_expiry_get_source(report, k);
		iotx509_expiry_state st = iotx509_expiry_get_state(report, k);
		int need = iotx509_expiry_needs_renewal(report, k);

		out_begin_object(NULL, NULL);
		out_str("cn", NULL, iotx509_cert_get_subject_cn(cert));
		out_str("subject", NULL, iotx509_cert_get_subject_dn(cert));
		out_str("issuer", NULL, iotx509_cert_get_issuer_dn(cert));
		out_time("not_before", NULL, iotx509_cert_get_not_before(cert));
		out_time("not_after", NULL, iotx509_cert_get_not_after(cert));
		out_int("days_left", NULL, (long long)iotx509_expiry_get_days_left(report, k));
		out_time("renew_at", NULL, iotx509_expiry_get_renew_at(report, k));
		out_str("state", NULL, iotx509_expiry_state_name(st));
		out_bool("needs_renewal", NULL, need);
		out_bool("ca", NULL, iotx509_cert_is_ca(cert));
		out_str("sha1", NULL, iotx509_cert_get_thumbprint_sha1(cert));
		out_str("file", NULL, src ? src : "");
		out_end();
		out_text("%-8s %6lld  %-20s  %-24s  %-24s  %s", state_label(st, need),
			 (long long)iotx509_expiry_get_days_left(report, k),
			 out_format_time(when, sizeof(when), iotx509_cert_get_not_after(cert)),
			 iotx509_cert_get_subject_cn(cert), iotx509_cert_get_issuer_cn(cert), src ? src : "");
	}
	out_end();
	out_text("%zu certificate%s, %zu need%s renewal (%s) at %s", n, n == 1 ? "" : "s", due, due == 1 ? "s" : "",
		 rule, out_format_time(when, sizeof(when), iotx509_expiry_get_time(report)));
	if (skipped > 0)
		out_text("%zu verification certificate%s left out (--all lists %s)", skipped, skipped == 1 ? "" : "s",
			 skipped == 1 ? "it" : "them");
	out_finish();
	if (due > 0)
		fprintf(stderr, "%s: %zu of %zu certificate%s need%s renewal (%s)\n", c.name, due, n, n == 1 ? "" : "s",
			due == 1 ? "s" : "", rule);
	rc = due > 0 ? EXIT_FAIL : EXIT_OK;
done:
	iotx509_expiry_free(report);
	return rc;
}
