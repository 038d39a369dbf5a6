/*
 * csr: a PKCS#10 request for the production flow, in which the device
 * keeps its key and the CA signs the request (iotx509 sign, or the DPS
 * certificate issuance API, which takes the DER as base64).
 */
#include <config.h>

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help_csr[] =
	"Usage: iotx509 csr NAME --cn ID [--key KEY] [OPTION]...\n"
	"Create a certificate signing request for device ID: NAME_csr.pem. With --key the\n"
	"request is signed by that existing key; without it a new key is generated and\n"
	"written to NAME_key.pem (mode 0600).\n"
	"\n"
	"  --cn ID              the device (registration) ID, checked with --id-policy\n"
	"  --key KEY            an existing private key (PEM or DER)\n"
	"  --key-password PW    password of an encrypted KEY\n"
	"  --key-password-file FILE\n"
	"                       the same, from the first line of FILE (else $" ENV_KEY_PASSWORD ")\n"
	"  --key-type TYPE      type of a new key: rsa2048, rsa3072, rsa4096, p256 (default), p384, ed25519\n"
	"  --dns NAME           request a DNS subjectAltName (repeat for more)\n"
	"  --ip ADDR            request an IP subjectAltName (repeat for more)\n"
	"  --der-base64         print the request's DER as one line of base64 on stdout, the\n"
	"                       form the DPS certificate issuance API takes\n"
	"  --id-policy P        device ID rules: dps (default), central, any\n"
	"  --out-dir DIR        where files are written (default .)\n"
	"  --force              replace existing files\n"
	"  --json               print the result as one JSON object\n"
	"  -h, --help           show this help\n";

#define MAX_SANS 64

int cmd_csr(int argc, char **argv)
{
	iotx509_write_options wo;
	static const struct option opts[] = {
		O_HELP, O_JSON, O_FORCE, O_OUT_DIR, O_KEY_TYPE, O_ID_POLICY,
		{ "cn", required_argument, NULL, OPT_CN },
		{ "key", required_argument, NULL, OPT_KEY },
		O_KEY_PASSWORD, O_KEY_PASSWORD_FILE,
		{ "dns", required_argument, NULL, OPT_DNS },
		{ "ip", required_argument, NULL, OPT_IP },
		{ "der-base64", no_argument, NULL, OPT_DER_BASE64 },
		O_END,
	};
	struct cli c;
	iotx509_csr_options co = IOTX509_CSR_OPTIONS_INIT;
	const char *dns[MAX_SANS], *ip[MAX_SANS], *cn = NULL, *key_path = NULL, *name;
	char *key_password = NULL;
	size_t dns_count = 0, ip_count = 0;
	iotx509_strlist *dns_list = NULL, *ip_list = NULL;
	iotx509_key *key = NULL;
	iotx509_csr *csr = NULL;
	iotx509_fileset *set = NULL;
	iotx509_buf path = IOTX509_BUF_INIT, data = IOTX509_BUF_INIT, b64 = IOTX509_BUF_INIT;
	int ch, rc, der_base64 = 0;

	cli_init(&c, PROGRAM " csr", help_csr);
	while ((ch = cli_getopt(&c, argc, argv, opts)) != -1) {
		switch (ch) {
		case OPT_CN:
			cn = optarg;
			break;
		case OPT_KEY:
			key_path = optarg;
			break;
		case OPT_DNS:
		case OPT_IP:
			if (dns_count + ip_count >= MAX_SANS)
				return cli_usage(&c, "at most %d subjectAltNames", MAX_SANS);
			if (ch == OPT_DNS)
				dns[dns_count++] = optarg;
			else
				ip[ip_count++] = optarg;
			break;
		case OPT_DER_BASE64:
			der_base64 = 1;
			break;
		default:
			if ((rc = cli_option(&c, ch, optarg, argv)) != CLI_CONTINUE)
				return rc;
		}
	}
	if (argc - optind < 1)
		return cli_usage(&c, "missing NAME");
	if (argc - optind > 1)
		return cli_usage(&c, "unexpected argument '%s'", argv[optind + 1]);
	if (cn == NULL)
		return cli_usage(&c, "--cn ID is required");
	name = argv[optind];

	rc = EXIT_FAIL;
	if (cli_check_device_id(&c, cn) < 0)
		return cli_fail(&c, NULL);
	if (key_path != NULL && (rc = cli_key_password(&c, &key_password)) != 0)
		return rc;
	rc = key_path != NULL ? iotx509_key_load(&key, key_path, key_password) : iotx509_key_generate(&key, c.key_type);
	cli_free_secret(key_password);
	if (rc < 0)
		return cli_fail(&c, NULL);
	rc = EXIT_FAIL;
	if (cli_strlist(&dns_list, dns, dns_count) < 0 || cli_strlist(&ip_list, ip, ip_count) < 0)
		goto fail;
	co.dns_names = dns_list;
	co.ip_addresses = ip_list;
	if (iotx509_csr_new(&csr, key, cn, &co) < 0 || iotx509_fileset_new(&set) < 0)
		goto fail;
	if (iotx509_credential_path(&path, c.out_dir, name, IOTX509_CREDENTIAL_CSR) < 0)
		goto fail;
	if (iotx509_csr_export_pem(&data, csr) < 0 ||
	    iotx509_fileset_add(set, (const char *)path.data, data.data, data.size, NULL) < 0)
		goto fail;
	iotx509_buf_dispose(&data);
	if (key_path == NULL) {
		iotx509_buf_dispose(&path);
		if (iotx509_credential_path(&path, c.out_dir, name, IOTX509_CREDENTIAL_KEY) < 0 ||
		    iotx509_key_export_pem(&data, key, NULL) < 0 ||
		    iotx509_fileset_add(set, (const char *)path.data, data.data, data.size, cli_write_options(&wo, IOTX509_WRITE_PRIVATE)) < 0)
			goto fail;
	}
	if (iotx509_csr_export_base64(&b64, csr) < 0)
		goto fail;
	if ((rc = cli_commit(&c, set)) != 0)
		goto out;

	if (der_base64 && !c.json) {
		/* stdout carries only the base64, so it can be captured; the rest to stderr */
		size_t i;

		printf("%s\n", (const char *)b64.data);
		for (i = 0; i < iotx509_fileset_count(set); i++)
			fprintf(stderr, "wrote %s\n", out_esc(iotx509_fileset_get_path(set, i)));
	} else {
		out_start("csr", c.json);
		out_files(set);
		out_csr("csr", csr, iotx509_fileset_get_path(set, 0));
		if (der_base64)
			out_str("der_base64", NULL, (const char *)b64.data);
		out_finish();
	}
	rc = EXIT_OK;
	goto out;
fail:
	rc = cli_fail(&c, NULL);
out:
	iotx509_buf_dispose(&b64);
	iotx509_buf_dispose(&data);
	iotx509_buf_dispose(&path);
	iotx509_fileset_free(set);
	iotx509_csr_free(csr);
	iotx509_key_free(key);
	iotx509_strlist_free(dns_list);
	iotx509_strlist_free(ip_list);
	return rc;
}
