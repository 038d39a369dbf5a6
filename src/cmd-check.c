/*
 * check: would the Device Provisioning Service accept this device? The
 * enrollments come from the command line; the check is the library's
 * (iotx509_enrollment_check()). Exit 0 when accepted, 1 with the reason.
 */
#include <config.h>

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Option codes of this command (above the shared ones in cli.h). */
enum {
	OPT_REGISTRATION_ID = 0x1000,
	OPT_GROUP,
	OPT_GROUP_SECONDARY,
	OPT_INDIVIDUAL,
	OPT_INDIVIDUAL_SECONDARY,
	OPT_VERIFIED
};

static const char help_check[] =
	"Usage: iotx509 check CHAIN [BUNDLE]... [--group CERT[:verified]]... [--individual CERT_OR_THUMBPRINT]...\n"
	"                     [--registration-id ID] [--at TIME] [OPTION]...\n"
	"Would the Device Provisioning Service accept this device? Check, offline, the chain the\n"
	"device presents (its NAME_fullchain.pem, or its certificate and bundles of intermediates)\n"
	"against the enrollments given, in the service's order: individual enrollments first, then\n"
	"enrollment groups from the device's first intermediate up to the root.\n"
	"Exit status 0 when accepted, 1 with the reason on stderr when refused.\n"
	"\n"
	"  --group CERT[:verified]      an enrollment group whose primary certificate is CERT (a root\n"
	"                               or intermediate); ':verified' once its proof of possession\n"
	"                               is done (repeat for more groups)\n"
	"  --group-secondary CERT[:verified]\n"
	"                               the secondary certificate of the last --group\n"
	"  --individual CERT_OR_THUMBPRINT\n"
	"                               an individual enrollment whose primary is this device\n"
	"                               certificate or SHA-1/SHA-256 thumbprint (repeatable)\n"
	"  --individual-secondary CERT_OR_THUMBPRINT\n"
	"                               the secondary of the last --individual\n"
	"  --verified CERT              a CA verified on the service without being enrolled\n"
	"                               (repeatable)\n"
	"  --registration-id ID         the ID the device registers with (default: its CN)\n"
	"  --id-policy P                registration ID rules: dps (default), central, any\n"
	"  --at TIME                    check at TIME instead of now (YYYY-MM-DD[THH:MM:SSZ] or @EPOCH)\n"
	"  --json                       print the result as one JSON object\n"
	"  -h, --help                   show this help\n";

#define VERIFIED_SUFFIX ":verified"

/* Split "CERT[:verified]" (a file literally named so wins). *path is malloc'd. */
static int split_verified(char **path, int *verified, const char *arg)
{
	size_t n = strlen(arg), s = strlen(VERIFIED_SUFFIX);
	struct stat st;

	*verified = 0;
	if (n > s && strcmp(arg + n - s, VERIFIED_SUFFIX) == 0 && stat(arg, &st) != 0) {
		*path = strndup(arg, n - s);
		*verified = 1;
	} else {
		*path = strdup(arg);
	}
	return *path ? 0 : -1;
}

/* The enrollments being put together from the options. */
struct builder {
	struct cli *c;
	iotx509_enrollment_list *list;
	iotx509_enrollment *group, *individual; /* the last --group / --individual, not yet in the list */
	int group_has_secondary, individual_has_secondary;
};

/* Move a finished enrollment into the list. */
static int flush(struct builder *b, iotx509_enrollment **e)
{
	int err = 0;

	if (*e != NULL)
		err = iotx509_enrollment_list_add(b->list, *e);
	iotx509_enrollment_free(*e);
	*e = NULL;
	return err < 0 ? cli_fail(b->c, NULL) : 0;
}

/* One slot option: start a new enrollment (primary) or fill the last one's secondary. */
static int slot_option(struct builder *b, iotx509_enrollment_type type, int secondary, const char *opt, const char *arg)
{
	iotx509_enrollment **e = type == IOTX509_ENROLLMENT_GROUP ? &b->group : &b->individual;
	int *has_secondary = type == IOTX509_ENROLLMENT_GROUP ? &b->group_has_secondary : &b->individual_has_secondary;
	iotx509_enrollment_slot slot = secondary ? IOTX509_ENROLLMENT_SECONDARY : IOTX509_ENROLLMENT_PRIMARY;
	char *path = NULL, ctx[600];
	int rc, verified = 0;

	if (secondary) {
		if (*e == NULL)
			return cli_usage(b->c, "%s needs a %s before it", opt,
					 type == IOTX509_ENROLLMENT_GROUP ? "--group" : "--individual");
		if (*has_secondary)
			return cli_usage(b->c, "%s given twice for one enrollment", opt);
		*has_secondary = 1;
	} else {
		if ((rc = flush(b, e)) != 0)
			return rc;
		if (iotx509_enrollment_new(e, type, NULL) < 0)
			return cli_fail(b->c, NULL);
		*has_secondary = 0;
	}
	if (type == IOTX509_ENROLLMENT_GROUP) {
		if (split_verified(&path, &verified, arg) < 0)
			return cli_fail(b->c, NULL);
	} else if ((path = strdup(arg)) == NULL) {
		return cli_fail(b->c, NULL);
	}
	snprintf(ctx, sizeof(ctx), "%s", opt);
	rc = iotx509_enrollment_set_ref(*e, slot, path) < 0 || iotx509_enrollment_set_verified(*e, slot, verified) < 0
		     ? cli_fail(b->c, ctx)
		     : 0;
	free(path);
	return rc;
}

static void report(const struct cli *c, const iotx509_enrollment_result *r)
{
	const iotx509_enrollment *e = iotx509_enrollment_result_get_enrollment(r);
	int accepted = iotx509_enrollment_result_is_accepted(r);
	const char *slot = iotx509_enrollment_slot_name(iotx509_enrollment_result_get_slot(r));
	char desc[64];

	out_start("check", c->json);
	out_bool("accepted", NULL, accepted);
	out_str("reason", NULL, iotx509_enrollment_reason_name(iotx509_enrollment_result_get_reason(r)));
	out_str("message", NULL, iotx509_enrollment_result_get_message(r));
	if (accepted)
		out_text("ACCEPTED: %s", iotx509_enrollment_result_get_message(r));
	out_str("registration_id", "registration:", iotx509_enrollment_result_get_registration_id(r));
	if (e != NULL) {
		snprintf(desc, sizeof(desc), "%s #%zu, %s",
			 iotx509_enrollment_type_name(iotx509_enrollment_get_type(e)),
			 iotx509_enrollment_result_get_index(r) + 1, slot);
		out_text("%-13s %s", "enrollment:", desc);
		out_begin_object("enrollment", NULL);
		out_str("type", NULL, iotx509_enrollment_type_name(iotx509_enrollment_get_type(e)));
		out_int("index", NULL, (long long)iotx509_enrollment_result_get_index(r));
		out_str("slot", NULL, slot);
		if (iotx509_enrollment_get_name(e))
			out_str("name", NULL, iotx509_enrollment_get_name(e));
		out_end();
	}
	if (iotx509_enrollment_result_get_cert(r) != NULL)
		out_str("certificate", "certificate:",
			iotx509_cert_get_subject_dn(iotx509_enrollment_result_get_cert(r)));
	out_time("at", "checked at:", iotx509_enrollment_result_get_time(r));
	out_chain("path", iotx509_enrollment_result_get_path(r));
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		O_HELP, O_JSON, O_AT, O_ID_POLICY,
		{ "registration-id", required_argument, NULL, OPT_REGISTRATION_ID },
		{ "group", required_argument, NULL, OPT_GROUP },
		{ "group-secondary", required_argument, NULL, OPT_GROUP_SECONDARY },
		{ "individual", required_argument, NULL, OPT_INDIVIDUAL },
		{ "individual-secondary", required_argument, NULL, OPT_INDIVIDUAL_SECONDARY },
		{ "verified", required_argument, NULL, OPT_VERIFIED },
		O_END,
	};
	struct cli c;
	struct builder b;
	iotx509_enrollment_check_options co = IOTX509_ENROLLMENT_CHECK_OPTIONS_INIT;
	iotx509_enrollment_result *res = NULL;
	iotx509_certlist *presented = NULL;
	iotx509_cert *verified = NULL;
	const char *regid = NULL;
	int ch, rc = EXIT_FAIL, i;

	cli_init(&c, PROGRAM " check", help_check);
	memset(&b, 0, sizeof(b));
	b.c = &c;
	if (iotx509_enrollment_list_new(&b.list) < 0)
		return cli_fail(&c, NULL);
	while ((ch = cli_getopt(&c, argc, argv, opts)) != -1) {
		rc = 0;
		switch (ch) {
		case OPT_REGISTRATION_ID:
			regid = optarg;
			break;
		case OPT_GROUP:
			rc = slot_option(&b, IOTX509_ENROLLMENT_GROUP, 0, "--group", optarg);
			break;
		case OPT_GROUP_SECONDARY:
			rc = slot_option(&b, IOTX509_ENROLLMENT_GROUP, 1, "--group-secondary", optarg);
			break;
		case OPT_INDIVIDUAL:
			rc = slot_option(&b, IOTX509_ENROLLMENT_INDIVIDUAL, 0, "--individual", optarg);
			break;
		case OPT_INDIVIDUAL_SECONDARY:
			rc = slot_option(&b, IOTX509_ENROLLMENT_INDIVIDUAL, 1, "--individual-secondary", optarg);
			break;
		case OPT_VERIFIED:
			if (iotx509_cert_load(&verified, optarg) < 0 ||
			    iotx509_enrollment_list_add_verified(b.list, verified) < 0)
				rc = cli_fail(&c, "--verified");
			iotx509_cert_free(verified);
			verified = NULL;
			break;
		default:
			/* --help returns EXIT_OK: stop there too. */
			if ((rc = cli_option(&c, ch, optarg, argv)) != CLI_CONTINUE)
				goto done;
			rc = 0;
		}
		if (rc != 0)
			goto done;
	}
	if (argc - optind < 1) {
		rc = cli_usage(&c, "missing CHAIN (the device's NAME_fullchain.pem)");
		goto done;
	}
	if ((rc = flush(&b, &b.group)) != 0 || (rc = flush(&b, &b.individual)) != 0)
		goto done;
	rc = EXIT_FAIL;
	if (iotx509_certlist_new(&presented) < 0)
		goto fail;
	for (i = optind; i < argc; i++)
		if (iotx509_certlist_add_path(presented, argv[i]) < 0)
			goto fail;
	co.at = c.at;
	co.registration_id = regid;
	co.id_policy = c.id_policy;
	if (iotx509_enrollment_check(&res, b.list, presented, &co) < 0)
		goto fail;
	report(&c, res);
	if (iotx509_enrollment_result_is_accepted(res) || c.json)
		out_finish();
	else
		out_discard();
	if (!iotx509_enrollment_result_is_accepted(res))
		fprintf(stderr, "%s: %s: rejected (%s): %s\n", c.name, out_esc(argv[optind]),
			iotx509_enrollment_reason_name(iotx509_enrollment_result_get_reason(res)),
			out_esc(iotx509_enrollment_result_get_message(res)));
	rc = iotx509_enrollment_result_is_accepted(res) ? EXIT_OK : EXIT_FAIL;
	goto done;
fail:
	rc = cli_fail(&c, NULL);
done:
	iotx509_enrollment_result_free(res);
	iotx509_certlist_free(presented);
	iotx509_enrollment_free(b.group);
	iotx509_enrollment_free(b.individual);
	iotx509_enrollment_list_free(b.list);
	return rc;
}
