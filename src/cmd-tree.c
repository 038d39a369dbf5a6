/*
 * tree: the CA hierarchy found in files and directories, as indented text
 * or Graphviz DOT. Both renderings are the library's (iotx509/tree.h).
 */
#include <config.h>

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_DOT = 0x1300 };

static const char help_tree[] =
	"Usage: iotx509 tree PATH... [--dot] [--out FILE] [--within DAYS | --at-percent P] [--at TIME]\n"
	"Show the CA hierarchy of the certificates in the files and directories (read\n"
	"recursively): roots, intermediates and devices, each with its CN, notAfter and marks:\n"
	"[CA], [expired], [expiring soon], [not yet valid], [issuer not found: DN].\n"
	"\n"
	"  --dot                write Graphviz DOT instead (render with: dot -Tsvg -o tree.svg)\n"
	"  --out FILE           write to FILE instead of standard output\n"
	"  --force              replace FILE if it exists\n"
	"  --within DAYS        expiring soon: DAYS days or fewer left (default 30)\n"
	"  --at-percent P       expiring soon: P percent of the lifetime passed (1-100)\n"
	"  --at TIME            marks as of TIME instead of now (YYYY-MM-DD[THH:MM:SSZ] or @EPOCH)\n"
	"  --json               print the nodes as one JSON object\n"
	"  -h, --help           show this help\n";

static void json_nodes(const iotx509_tree *tree)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} marks[] = {
		{ IOTX509_TREE_CA, "ca" },
		{ IOTX509_TREE_EXPIRED, "expired" },
		{ IOTX509_TREE_EXPIRING_SOON, "expiring-soon" },
		{ IOTX509_TREE_NOT_YET_VALID, "not-yet-valid" },
		{ IOTX509_TREE_ISSUER_MISSING, "issuer-missing" },
		{ IOTX509_TREE_SELF_SIGNED, "self-signed" },
	};
	size_t i, k;

	out_begin_array("nodes");
	for (i = 0; i < iotx509_tree_count(tree); i++) {
		const iotx509_cert *cert = iotx509_tree_get_cert(tree, i);
		unsigned int m = iotx509_tree_get_marks(tree, i);

		out_begin_object(NULL, NULL);
		out_int("index", NULL, (long long)i);
		out_int("parent", NULL,
			iotx509_tree_has_parent(tree, i) ? (long long)iotx509_tree_get_parent(tree, i) : -1);
		out_int("depth", NULL, (long long)iotx509_tree_get_depth(tree, i));
		out_str("cn", NULL, iotx509_cert_get_subject_cn(cert));
		out_str("subject", NULL, iotx509_cert_get_subject_dn(cert));
		out_str("issuer", NULL, iotx509_cert_get_issuer_dn(cert));
		out_time("not_after", NULL, iotx509_cert_get_not_after(cert));
		out_str("sha1", NULL, iotx509_cert_get_thumbprint_sha1(cert));
		if (iotx509_tree_get_source(tree, i))
			out_str("file", NULL, iotx509_tree_get_source(tree, i));
		out_begin_array("marks");
		for (k = 0; k < sizeof(marks) / sizeof(marks[0]); k++)
			if (m & marks[k].bit)
				out_array_str(NULL, marks[k].name);
		out_end();
		out_end();
	}
	out_end();
}

int cmd_tree(int argc, char **argv)
{
	iotx509_write_options wo;
	static const struct option opts[] = {
		O_HELP, O_JSON, O_AT, O_FORCE,
		{ "dot", no_argument, NULL, OPT_DOT },
		{ "out", required_argument, NULL, OPT_OUT },
		O_EXPIRY_RULE,
		O_END,
	};
	struct cli c;
	iotx509_tree_options to = IOTX509_TREE_OPTIONS_INIT;
	iotx509_tree *tree = NULL;
	iotx509_buf text = IOTX509_BUF_INIT;
	const char *out = NULL;
	int ch, rc, i, dot = 0;

	cli_init(&c, PROGRAM " tree", help_tree);
	while ((ch = cli_getopt(&c, argc, argv, opts)) != -1) {
		switch (ch) {
		case OPT_DOT:
			dot = 1;
			break;
		case OPT_OUT:
			out = optarg;
			break;
		default:
			if ((rc = cli_option(&c, ch, optarg, argv)) != CLI_CONTINUE)
				return rc;
		}
	}
	if ((rc = cli_expiry_rule(&c, &to.rule, &to.threshold, &to.has_threshold)) != 0)
		return rc;
	if (c.rules == 0)
		to.rule = IOTX509_EXPIRY_DAYS; /* the command's default: 30 days, the library's for this rule */
	if (dot && c.json)
		return cli_usage(&c, "give --dot or --json, not both");
	if (c.json && out)
		return cli_usage(&c, "--out writes the text or DOT rendering; --json prints to standard output");
	if (argc - optind < 1)
		return cli_usage(&c, "missing PATH (a certificate file or a directory)");
	to.at = c.at;
	if (iotx509_tree_new(&tree, &to) < 0)
		return cli_fail(&c, NULL);
	rc = EXIT_FAIL;
	for (i = optind; i < argc; i++)
		if (iotx509_tree_add_path(tree, argv[i]) < 0)
			goto fail;
	if (c.json) {
		out_start("tree", 1);
		out_time("at", NULL, iotx509_tree_get_time(tree));
		json_nodes(tree);
		out_finish();
		rc = EXIT_OK;
		goto done;
	}
	if ((dot ? iotx509_tree_render_dot(&text, tree) : iotx509_tree_render_text(&text, tree)) < 0)
		goto fail;
	if (out != NULL) {
		if (iotx509_file_write(out, text.data, text.size, cli_write_options(&wo, c.force ? IOTX509_WRITE_OVERWRITE : 0)) < 0)
			goto fail;
		printf("wrote %s\n", out_esc(out));
	} else {
		fwrite(text.data, 1, text.size, stdout);
	}
	rc = EXIT_OK;
	goto done;
fail:
	rc = cli_fail(&c, NULL);
done:
	iotx509_buf_dispose(&text);
	iotx509_tree_free(tree);
	return rc;
}
