/*
 * edge-config: the [provisioning] section of /etc/aziot/config.toml for an
 * IoT Edge device provisioned by DPS with X.509 attestation. The library
 * checks the files and makes the TOML; the tool prints or writes it.
 */
#include <config.h>

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_ID_SCOPE = 0x1400, OPT_REGISTRATION_ID, OPT_GLOBAL_ENDPOINT };

static const char help_edge_config[] =
	"Usage: iotx509 edge-config --id-scope SCOPE --cert FILE --key FILE [--registration-id ID]\n"
	"                           [--global-endpoint URL] [--out FILE] [OPTION]...\n"
	"Print the [provisioning] section of /etc/aziot/config.toml for an IoT Edge device that\n"
	"DPS provisions with X.509 attestation: source \"dps\", the ID scope, and the identity\n"
	"certificate and key as absolute file:// URIs. The key must belong to the certificate.\n"
	"For an enrollment group give the device's NAME_fullchain.pem as --cert.\n"
	"\n"
	"  --id-scope SCOPE     the DPS ID scope (e.g. 0ne00000A0A)\n"
	"  --cert FILE          the device identity certificate (or its full chain)\n"
	"  --key FILE           its private key, unencrypted\n"
	"  --registration-id ID the registration ID (default, and the only value DPS accepts:\n"
	"                       the certificate's CN)\n"
	"  --global-endpoint URL\n"
	"                       default " IOTX509_EDGE_GLOBAL_ENDPOINT "\n"
	"  --id-policy P        registration ID rules: dps (default), central, any\n"
	"  --out FILE           write the section to FILE (atomically) instead of standard output\n"
	"  --force              replace FILE if it exists\n"
	"  --json               print the values and the TOML text as one JSON object\n"
	"  -h, --help           show this help\n";

int cmd_edge_config(int argc, char **argv)
{
	static const struct option opts[] = {
		O_HELP, O_JSON, O_FORCE, O_ID_POLICY,
		{ "id-scope", required_argument, NULL, OPT_ID_SCOPE },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "registration-id", required_argument, NULL, OPT_REGISTRATION_ID },
		{ "global-endpoint", required_argument, NULL, OPT_GLOBAL_ENDPOINT },
		{ "out", required_argument, NULL, OPT_OUT },
		O_END,
	};
	struct cli c;
	iotx509_edge_options eo = IOTX509_EDGE_OPTIONS_INIT;
	iotx509_buf toml = IOTX509_BUF_INIT;
	const char *scope = NULL, *cert = NULL, *key = NULL, *out = NULL;
	int ch, rc;

	cli_init(&c, PROGRAM " edge-config", help_edge_config);
	while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (ch) {
		case OPT_ID_SCOPE:
			scope = optarg;
			break;
		case OPT_CERT:
			cert = optarg;
			break;
		case OPT_KEY:
			key = optarg;
			break;
		case OPT_REGISTRATION_ID:
			eo.registration_id = optarg;
			break;
		case OPT_GLOBAL_ENDPOINT:
			eo.global_endpoint = optarg;
			break;
		case OPT_OUT:
			out = optarg;
			break;
		default:
			if ((rc = cli_option(&c, ch, optarg, argv)) != CLI_CONTINUE)
				return rc;
		}
	}
	if (argc - optind > 0)
		return cli_usage(&c, "unexpected argument '%s'", argv[optind]);
	if (scope == NULL || cert == NULL || key == NULL)
		return cli_usage(&c, "--id-scope SCOPE, --cert FILE and --key FILE are required");
	eo.id_policy = c.id_policy;
	if (iotx509_edge_config(&toml, cert, key, scope, &eo) < 0)
		return cli_fail(&c, NULL);
	rc = EXIT_OK;
	if (out != NULL && iotx509_file_write(out, toml.data, toml.size, c.force ? IOTX509_WRITE_OVERWRITE : 0) < 0) {
		rc = cli_fail(&c, NULL);
		goto done;
	}
	if (c.json) {
		out_start("edge-config", 1);
		out_str("id_scope", NULL, scope);
		if (out)
			out_str("file", NULL, out);
		out_str("toml", NULL, (const char *)toml.data);
		out_finish();
	} else if (out != NULL) {
		printf("wrote %s\n", out_esc(out));
	} else {
		fwrite(toml.data, 1, toml.size, stdout);
	}
done:
	iotx509_buf_dispose(&toml);
	return rc;
}
