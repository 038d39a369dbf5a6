/*
 * iotx509 lint: the certificate linter of the library (iotx509_lint_data())
 * on files, in text or JSON.
 */
#include <config.h>

#include "cli.h"

#include <stdio.h>
#include <string.h>

/* Option codes of this command only, after cli.h's. */
#define OPT_PROFILE 1000

static const char help_lint[] =
	"Usage: iotx509 lint FILE... [--profile P] [--json]\n"
	"Check certificates (PEM with any number of them, or one DER certificate) against the\n"
	"RFC 5280 rules that matter for IoT identities: canonical DER, version, serial number,\n"
	"validity encoding, names, basicConstraints, keyUsage, key identifiers,\n"
	"extendedKeyUsage, duplicate extensions, matching signature algorithms.\n"
	"\n"
	"  --profile P          what the certificates should be: auto (default: decided from\n"
	"                       each certificate), ca, device (also verification), server\n"
	"  --json               print the findings as one JSON object\n"
	"  -h, --help           show this help\n"
	"\n"
	"Each finding is printed as 'SEVERITY IDENTIFIER: message', severity error, warning\n"
	"or info. The identifiers are stable (see iotx509/lint.h).\n"
	"Exit status: 0 when no certificate has an error, 1 when one has or a file cannot be\n"
	"read, 2 for a bad command line.\n";

struct totals {
	size_t certs, by_severity[4];
};

static int lint_file(struct cli *c, const char *path, const iotx509_lint_options *opts, struct totals *t)
{
	iotx509_buf data = IOTX509_BUF_INIT;
	iotx509_lint_result *res = NULL;
	size_t cert, i;
	char title[512];

	if (iotx509_file_read(&data, path) < 0)
		return cli_fail(c, NULL);
	if (iotx509_lint_data(&res, data.data, data.size, opts) < 0) {
		iotx509_buf_dispose(&data);
		return cli_fail(c, path);
	}
	iotx509_buf_dispose(&data);

	out_begin_object(NULL, path);
	out_str("path", NULL, path);
	out_begin_array("certificates");
	for (cert = 0; cert < iotx509_lint_result_cert_count(res); cert++) {
		const char *subject = iotx509_lint_result_get_subject(res, cert);
		size_t found = 0;

		snprintf(title, sizeof(title), "certificate %zu: %s", cert + 1, *subject ? subject : "(empty subject)");
		out_begin_object(NULL, title);
		out_int("index", NULL, (long long)cert + 1);
		out_str("subject", NULL, subject);
		out_begin_array("findings");
		for (i = 0; i < iotx509_lint_result_count(res); i++) {
			iotx509_lint_severity sev = iotx509_lint_result_get_severity(res, i);
			const char *sev_name = iotx509_lint_severity_name(sev);

			if (iotx509_lint_result_get_cert_index(res, i) != cert)
				continue;
			found++;
			if ((unsigned int)sev < 4)
				t->by_severity[sev]++;
			out_begin_object(NULL, NULL);
			out_str("severity", NULL, sev_name);
			out_str("id", NULL, iotx509_lint_result_get_id(res, i));
			out_str("message", NULL, iotx509_lint_result_get_message(res, i));
			out_text("%s %s: %s", sev_name, iotx509_lint_result_get_id(res, i),
				 iotx509_lint_result_get_message(res, i));
			out_end();
		}
		out_end();
		if (found == 0)
			out_text("no findings");
		out_end();
		t->certs++;
	}
	out_end();
	out_end();
	iotx509_lint_result_free(res);
	return EXIT_OK;
}

int cmd_lint(int argc, char **argv)
{
	static const struct option opts[] = {
		O_HELP, O_JSON, { "profile", required_argument, NULL, OPT_PROFILE }, O_END,
	};
	iotx509_lint_options lo = IOTX509_LINT_OPTIONS_INIT;
	struct totals t;
	struct cli c;
	int ch, rc, i;

	cli_init(&c, PROGRAM " lint", help_lint);
	while ((ch = cli_getopt(&c, argc, argv, opts)) != -1) {
		if (ch == OPT_PROFILE) {
			if (iotx509_lint_profile_from_name(&lo.profile, optarg) < 0)
				return cli_usage(&c, "--profile: %s", iotx509_error_last());
		} else if ((rc = cli_option(&c, ch, optarg, argv)) != CLI_CONTINUE) {
			return rc;
		}
	}
	if (argc - optind < 1)
		return cli_usage(&c, "missing FILE");

	memset(&t, 0, sizeof(t));
	out_start("lint", c.json);
	out_begin_array("files");
	for (i = optind; i < argc; i++)
		if ((rc = lint_file(&c, argv[i], &lo, &t)) != EXIT_OK)
			return rc;
	out_end();
	out_int("errors", NULL, (long long)t.by_severity[IOTX509_LINT_ERROR]);
	out_int("warnings", NULL, (long long)t.by_severity[IOTX509_LINT_WARNING]);
	out_int("infos", NULL, (long long)t.by_severity[IOTX509_LINT_INFO]);
	out_text("%zu certificate%s: %zu error%s, %zu warning%s, %zu info", t.certs, t.certs == 1 ? "" : "s",
		 t.by_severity[IOTX509_LINT_ERROR], t.by_severity[IOTX509_LINT_ERROR] == 1 ? "" : "s",
		 t.by_severity[IOTX509_LINT_WARNING], t.by_severity[IOTX509_LINT_WARNING] == 1 ? "" : "s",
		 t.by_severity[IOTX509_LINT_INFO]);
	out_finish();
	return t.by_severity[IOTX509_LINT_ERROR] ? EXIT_FAIL : EXIT_OK;
}
