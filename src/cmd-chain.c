/*
 * chain: put a leaf and any number of bundles (in any order) together as
 * an ordered full chain: leaf, intermediates, root.
 */
#include <config.h>

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

static const char help_chain[] =
	"Usage: iotx509 chain LEAF [BUNDLE]... [OPTION]...\n"
	"Order LEAF's chain from the certificates in BUNDLE files and directories (any order,\n"
	"PEM or DER, several certificates per file) and print it as PEM: leaf, intermediates,\n"
	"root. Certificates after the first one in LEAF join the pool too.\n"
	"\n"
	"  --no-root            leave the self-signed root out, as a TLS client sends its chain\n"
	"  --trust FILE         prefer the path that ends at a certificate in FILE (repeatable)\n"
	"  --at TIME            prefer certificates valid at TIME (YYYY-MM-DD[THH:MM:SSZ] or @EPOCH)\n"
	"  --out FILE           write the chain to FILE instead of stdout\n"
	"  --force              replace an existing FILE\n"
	"  --json               print the result as one JSON object (with the PEM unless --out)\n"
	"  -h, --help           show this help\n";

int cmd_chain(int argc, char **argv)
{
	static const struct option opts[] = {
		O_HELP, O_JSON, O_FORCE, O_AT,
		{ "no-root", no_argument, NULL, OPT_NO_ROOT },
		{ "trust", required_argument, NULL, OPT_TRUST },
		{ "out", required_argument, NULL, OPT_OUT },
		O_END,
	};
	struct cli c;
	iotx509_chain_options co = IOTX509_CHAIN_OPTIONS_INIT;
	iotx509_certlist *pool = NULL, *anchors = NULL, *chain = NULL;
	iotx509_fileset *set = NULL;
	iotx509_buf pem = IOTX509_BUF_INIT;
	const char *out = NULL, **trust = calloc((size_t)argc + 1, sizeof(*trust));
	int ch, rc = EXIT_FAIL, i, ntrust = 0;

	cli_init(&c, PROGRAM " chain", help_chain);
	if (trust == NULL || iotx509_certlist_new(&pool) < 0 || iotx509_certlist_new(&anchors) < 0)
		goto fail;
	while ((ch = cli_getopt(&c, argc, argv, opts)) != -1) {
		switch (ch) {
		case OPT_NO_ROOT:
			co.flags |= IOTX509_CHAIN_NO_ROOT;
			break;
		case OPT_TRUST:
			trust[ntrust++] = optarg;
			break;
		case OPT_OUT:
			out = optarg;
			break;
		default:
			if ((rc = cli_option(&c, ch, optarg, argv)) != CLI_CONTINUE)
				goto done;
		}
	}
	if (argc - optind < 1) {
		rc = cli_usage(&c, "missing LEAF");
		goto done;
	}
	co.at = c.at;
	for (i = 0; i < ntrust; i++) {
		if (iotx509_certlist_add_path(anchors, trust[i]) < 0)
			goto fail;
		co.anchors = anchors;
	}
	for (i = optind; i < argc; i++)
		if (iotx509_certlist_add_path(pool, argv[i]) < 0)
			goto fail;
	if (iotx509_chain_build(&chain, iotx509_certlist_get(pool, 0), pool, &co) < 0 ||
	    iotx509_certlist_export_pem(&pem, chain) < 0)
		goto fail;
	if (out != NULL) {
		if (iotx509_fileset_new(&set) < 0 || iotx509_fileset_add(set, out, pem.data, pem.size, NULL) < 0)
			goto fail;
		if ((rc = cli_commit(&c, set)) != 0)
			goto done;
	}
	if (out == NULL && !c.json) {
		fwrite(pem.data, 1, pem.size, stdout);
	} else {
		size_t k;

		out_start("chain", c.json);
		if (set != NULL)
			out_files(set);
		out_begin_array("certificates");
		for (k = 0; k < iotx509_certlist_count(chain); k++)
			out_cert(NULL, iotx509_certlist_get(chain, k), NULL);
		out_end();
		if (out == NULL)
			out_str("pem", NULL, (const char *)pem.data);
		out_finish();
	}
	rc = EXIT_OK;
	goto done;
fail:
	rc = cli_fail(&c, NULL);
done:
	iotx509_buf_dispose(&pem);
	iotx509_fileset_free(set);
	iotx509_certlist_free(chain);
	iotx509_certlist_free(anchors);
	iotx509_certlist_free(pool);
	free(trust);
	return rc;
}
