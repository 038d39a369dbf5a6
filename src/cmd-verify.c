/*
 * verify: check a chain against trust anchors (at a given time, as a
 * device certificate), or a proof-of-possession certificate against its CA
 * and the nonce. Exit 0 when it verifies, 1 with the reason when not.
 */
#include <config.h>

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char help_verify[] =
	"Usage: iotx509 verify CHAIN --trust FILE... [--at TIME] [--device] [OPTION]...\n"
	"       iotx509 verify CERT --ca CA_CERT --nonce CODE [--at TIME] [OPTION]...\n"
	"Verify CHAIN (leaf first, e.g. a NAME_fullchain.pem; at most 16 certificates) against the\n"
	"trust anchors in the --trust files or directories. Trust comes only from --trust, never\n"
	"from a root in CHAIN; a CHAIN whose leaf is not first does not verify ('iotx509 chain'\n"
	"orders one).\n"
	"With --nonce, check a proof-of-possession certificate instead: its CN is CODE, it is\n"
	"signed by CA_CERT's key, it is not a CA, and it is valid.\n"
	"Exit status 0 when it verifies, 1 with the reason on stderr when it does not.\n"
	"\n"
	"  --trust FILE         trusted root (or intermediate) certificates (repeatable)\n"
	"  --at TIME            verify at TIME instead of now (YYYY-MM-DD[THH:MM:SSZ] or @EPOCH)\n"
	"  --device             also require the clientAuth EKU on the leaf (IoT Hub, DPS)\n"
	"  --ca CA_CERT         with --nonce: the CA whose possession is proven\n"
	"  --nonce CODE         the verification code the service gave\n"
	"  --json               print the result as one JSON object\n"
	"  -h, --help           show this help\n";

static int64_t now_or(int64_t at)
{
	return at ? at : (int64_t)time(NULL);
}

static int verify_pop(struct cli *c, const char *path, const char *ca_path, const char *nonce)
{
	iotx509_cert *cert = NULL, *ca = NULL;
	iotx509_pop_options po = IOTX509_POP_OPTIONS_INIT;
	iotx509_pop_status st = IOTX509_POP_OK;
	int ok, rc;

	if (iotx509_cert_load(&cert, path) < 0 || iotx509_cert_load(&ca, ca_path) < 0) {
		rc = cli_fail(c, NULL);
		goto out;
	}
	po.at = c->at;
	if (iotx509_pop_verify(&st, cert, ca, nonce, &po) < 0) {
		rc = cli_fail(c, NULL);
		goto out;
	}
	ok = st == IOTX509_POP_OK;
	out_start("verify", c->json);
	out_bool("valid", NULL, ok);
	out_str("check", NULL, "proof-of-possession");
	out_time("at", NULL, now_or(c->at));
	if (ok)
		out_text("OK: %s proves possession of the key of '%s' for nonce %s", path,
			 iotx509_cert_get_subject_dn(ca), nonce);
	else
		out_str("reason", NULL, iotx509_error_last());
	out_cert("certificate", cert, path);
	if (ok || c->json)
		out_finish();
	else
		out_discard();
	if (!ok)
		fprintf(stderr, "%s: %s: %s\n", c->name, out_esc(path), out_esc(iotx509_error_last()));
	rc = ok ? EXIT_OK : EXIT_FAIL;
out:
	iotx509_cert_free(cert);
	iotx509_cert_free(ca);
	return rc;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		O_HELP, O_JSON, O_AT,
		{ "trust", required_argument, NULL, OPT_TRUST },
		{ "device", no_argument, NULL, OPT_DEVICE },
		{ "ca", required_argument, NULL, OPT_CA },
		{ "nonce", required_argument, NULL, OPT_NONCE },
		O_END,
	};
	struct cli c;
	iotx509_verify_options vo = IOTX509_VERIFY_OPTIONS_INIT;
	iotx509_verify_status st = IOTX509_VERIFY_OK;
	iotx509_certlist *chain = NULL, *anchors = NULL;
	const char **trust = calloc((size_t)argc + 1, sizeof(*trust));
	const char *ca = NULL, *nonce = NULL, *path;
	int ch, rc = EXIT_FAIL, i, ntrust = 0;
	char msg[1024];

	cli_init(&c, PROGRAM " verify", help_verify);
	if (trust == NULL)
		return EXIT_FAIL;
	while ((ch = cli_getopt(&c, argc, argv, opts)) != -1) {
		switch (ch) {
		case OPT_TRUST:
			trust[ntrust++] = optarg;
			break;
		case OPT_DEVICE:
			vo.flags |= IOTX509_VERIFY_DEVICE;
			break;
		case OPT_CA:
			ca = optarg;
			break;
		case OPT_NONCE:
			nonce = optarg;
			break;
		default:
			if ((rc = cli_option(&c, ch, optarg, argv)) != CLI_CONTINUE)
				goto done;
		}
	}
	if (argc - optind != 1) {
		rc = argc - optind < 1 ? cli_usage(&c, "missing CHAIN")
				       : cli_usage(&c, "unexpected argument '%s'", argv[optind + 1]);
		goto done;
	}
	path = argv[optind];
	if (nonce != NULL || ca != NULL) {
		if (nonce == NULL || ca == NULL || ntrust > 0 || vo.flags)
			rc = cli_usage(&c, "a proof-of-possession check takes --ca CA_CERT and --nonce CODE, "
					   "without --trust or --device");
		else
			rc = verify_pop(&c, path, ca, nonce);
		goto done;
	}
	if (ntrust == 0) {
		rc = cli_usage(&c, "give the trust anchors with --trust FILE");
		goto done;
	}
	vo.at = c.at;
	if (iotx509_certlist_new(&chain) < 0 || iotx509_certlist_new(&anchors) < 0 ||
	    iotx509_certlist_add_path(chain, path) < 0)
		goto fail;
	for (i = 0; i < ntrust; i++)
		if (iotx509_certlist_add_path(anchors, trust[i]) < 0)
			goto fail;
	if (iotx509_chain_verify(&st, chain, anchors, &vo) < 0)
		goto fail;
	snprintf(msg, sizeof(msg), "%s", st == IOTX509_VERIFY_OK ? "" : iotx509_error_last());

	out_start("verify", c.json);
	out_bool("valid", NULL, st == IOTX509_VERIFY_OK);
	out_str("status", NULL, iotx509_verify_status_name(st));
	out_time("at", NULL, now_or(c.at));
	if (st == IOTX509_VERIFY_OK) {
		char when[64];

		out_text("OK: %s verifies%s at %s", path, vo.flags & IOTX509_VERIFY_DEVICE ? " as a device" : "",
			 out_format_time(when, sizeof(when), now_or(c.at)));
	} else {
		out_str("reason", NULL, msg);
	}
	out_chain("chain", chain);
	if (st == IOTX509_VERIFY_OK || c.json)
		out_finish();
	else
		out_discard();
	if (st != IOTX509_VERIFY_OK)
		fprintf(stderr, "%s: %s: %s\n", c.name, out_esc(path), out_esc(msg[0] ? msg : iotx509_verify_status_description(st)));
	rc = st == IOTX509_VERIFY_OK ? EXIT_OK : EXIT_FAIL;
	goto done;
fail:
	rc = cli_fail(&c, NULL);
done:
	iotx509_certlist_free(chain);
	iotx509_certlist_free(anchors);
	free(trust);
	return rc;
}
