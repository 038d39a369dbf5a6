/*
 * edge-config: the provisioning sections of /etc/aziot/config.toml for an
 * IoT Edge device with an X.509 identity (DPS or manual provisioning), the
 * optional [edge_ca] and trust bundle, with the files' paths on the device;
 * and the files themselves, copied under a directory that mirrors the
 * device. The library checks the files and makes the TOML; the tool
 * prints or writes it.
 */
#include <config.h>

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_ID_SCOPE = 0x1400,
	OPT_REGISTRATION_ID,
	OPT_GLOBAL_ENDPOINT,
	OPT_IOTHUB,
	OPT_DEVICE_ID,
	OPT_EDGE_CA,
	OPT_EDGE_CA_CERT,
	OPT_EDGE_CA_KEY,
	OPT_TRUST_BUNDLE,
	OPT_DEVICE_DIR,
	OPT_DEVICE_CERT_DIR,
	OPT_DEVICE_KEY_DIR,
	OPT_LOCAL_PATHS,
	OPT_COPY_TO
};

static const char help_edge_config[] =
	"Usage: iotx509 edge-config (--id-scope SCOPE | --iothub HOST) --cert FILE --key FILE\n"
	"                           [--edge-ca NAME] [--trust-bundle FILE] [--copy-to DIR] [OPTION]...\n"
	"Print the provisioning sections of /etc/aziot/config.toml for an IoT Edge device with an\n"
	"X.509 identity: DPS ([provisioning] source \"dps\", [provisioning.attestation]) or manual\n"
	"([provisioning] source \"manual\", [provisioning.authentication]), identity_cert and\n"
	"identity_pk as file:// URIs of the paths the files will have ON THE DEVICE, and on request\n"
	"[edge_ca] and trust_bundle_cert. Comment lines say which file goes where. The key must\n"
	"belong to the certificate; under an intermediate CA give the device's NAME_fullchain.pem.\n"
	"\n"
	"  --id-scope SCOPE     DPS provisioning with this ID scope (e.g. 0ne00000A0A)\n"
	"  --iothub HOST        manual provisioning against this IoT hub (myhub.azure-devices.net)\n"
	"  --cert FILE          the device identity certificate (or its full chain), PEM\n"
	"  --key FILE           its private key, unencrypted PEM\n"
	"  --registration-id ID DPS: the registration ID (default, and the only value DPS accepts:\n"
	"                       the certificate's CN)\n"
	"  --device-id ID       manual: the IoT Hub device ID (default: the certificate's CN, which\n"
	"                       it must equal)\n"
	"  --global-endpoint URL\n"
	"                       DPS: default " IOTX509_EDGE_GLOBAL_ENDPOINT "\n"
	"  --edge-ca NAME       add [edge_ca] with NAME_fullchain.pem and NAME_key.pem (made by\n"
	"                       iotx509 edge-ca; NAME may have a directory)\n"
	"  --edge-ca-cert FILE, --edge-ca-key FILE\n"
	"                       the same with the edge CA's files named one by one\n"
	"  --trust-bundle FILE  add trust_bundle_cert: the root CA certificate(s) modules trust\n"
	"  --device-dir DIR     on the device, certificates and keys are in DIR (default\n"
	"                       " IOTX509_EDGE_CERT_DIR " for certificates and " IOTX509_EDGE_KEY_DIR "\n"
	"                       for keys, as in the IoT Edge documentation)\n"
	"  --device-cert-dir DIR, --device-key-dir DIR\n"
	"                       the device directory of the certificates, of the keys\n"
	"  --local-paths        name the files by their absolute paths on this machine instead\n"
	"                       (for a config made on the device itself)\n"
	"  --copy-to DIR        also copy exactly the files the device needs into DIR, laid out as\n"
	"                       on the device (DIR" IOTX509_EDGE_CERT_DIR "/..., DIR" IOTX509_EDGE_KEY_DIR "/...;\n"
	"                       keys mode 0600), ready to copy to the device\n"
	"  --id-policy P        registration or device ID rules: dps (default), central, any\n"
	"  --out FILE           write the TOML to FILE instead of standard output\n"
	"  --force              replace FILE and the files under DIR if they exist\n"
	"  --json               print the values, the files and the TOML text as one JSON object\n"
	"  -h, --help           show this help\n"
	"Everything is written atomically, all files or none.\n";

/* NAME or DIR/NAME: the path of one of the credential's files. */
static int name_path(const struct cli *c, const char *name, iotx509_credential_file file, iotx509_buf *out)
{
	const char *slash = strrchr(name, '/');
	char *dir = NULL;
	int rc = 0;

	if (slash != NULL && (dir = strndup(name, (size_t)(slash - name) + 1)) == NULL) {
		perror(PROGRAM);
		return EXIT_FAIL;
	}
	if (iotx509_credential_path(out, dir, slash ? slash + 1 : name, file) < 0)
		rc = cli_fail(c, "--edge-ca");
	free(dir);
	return rc;
}

/* "device_files": every file, its role, and where it goes on the device. */
static void report_files(const iotx509_edge_options *eo, const char *cert, const char *key)
{
	const char *local[5];
	iotx509_buf dev = IOTX509_BUF_INIT;
	int i;

	local[0] = cert;
	local[1] = key;
	local[2] = eo->edge_ca_cert;
	local[3] = eo->edge_ca_key;
	local[4] = eo->trust_bundle;
	out_begin_array("device_files");
	for (i = 0; i < 5; i++) {
		if (local[i] == NULL || iotx509_edge_device_path(&dev, local[i], (iotx509_edge_file)i, eo) < 0)
			continue;
		out_begin_object(NULL, NULL);
		out_str("role", NULL, iotx509_edge_file_name((iotx509_edge_file)i));
		out_str("source", NULL, local[i]);
		out_str("device_path", NULL, (const char *)dev.data);
		out_bool("private", NULL, i == 1 || i == 3);
		out_end();
		iotx509_buf_dispose(&dev);
	}
	out_end();
}

int cmd_edge_config(int argc, char **argv)
{
	static const struct option opts[] = {
		O_HELP, O_JSON, O_FORCE, O_ID_POLICY,
		{ "id-scope", required_argument, NULL, OPT_ID_SCOPE },
		{ "iothub", required_argument, NULL, OPT_IOTHUB },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "registration-id", required_argument, NULL, OPT_REGISTRATION_ID },
		{ "device-id", required_argument, NULL, OPT_DEVICE_ID },
		{ "global-endpoint", required_argument, NULL, OPT_GLOBAL_ENDPOINT },
		{ "edge-ca", required_argument, NULL, OPT_EDGE_CA },
		{ "edge-ca-cert", required_argument, NULL, OPT_EDGE_CA_CERT },
		{ "edge-ca-key", required_argument, NULL, OPT_EDGE_CA_KEY },
		{ "trust-bundle", required_argument, NULL, OPT_TRUST_BUNDLE },
		{ "device-dir", required_argument, NULL, OPT_DEVICE_DIR },
		{ "device-cert-dir", required_argument, NULL, OPT_DEVICE_CERT_DIR },
		{ "device-key-dir", required_argument, NULL, OPT_DEVICE_KEY_DIR },
		{ "local-paths", no_argument, NULL, OPT_LOCAL_PATHS },
		{ "copy-to", required_argument, NULL, OPT_COPY_TO },
		{ "out", required_argument, NULL, OPT_OUT },
		O_END,
	};
	struct cli c;
	iotx509_edge_options eo = IOTX509_EDGE_OPTIONS_INIT;
	iotx509_buf toml = IOTX509_BUF_INIT, ca_cert = IOTX509_BUF_INIT, ca_key = IOTX509_BUF_INIT;
	iotx509_fileset *set = NULL;
	const char *scope = NULL, *cert = NULL, *key = NULL, *out = NULL, *copy_to = NULL, *edge_ca = NULL;
	const char *device_dir = NULL;
	size_t i;
	int ch, rc;

	cli_init(&c, PROGRAM " edge-config", help_edge_config);
	while ((ch = cli_getopt(&c, argc, argv, opts)) != -1) {
		switch (ch) {
		case OPT_ID_SCOPE:
			scope = optarg;
			break;
		case OPT_IOTHUB:
			eo.iothub_hostname = optarg;
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
		case OPT_DEVICE_ID:
			eo.device_id = optarg;
			break;
		case OPT_GLOBAL_ENDPOINT:
			eo.global_endpoint = optarg;
			break;
		case OPT_EDGE_CA:
			edge_ca = optarg;
			break;
		case OPT_EDGE_CA_CERT:
			eo.edge_ca_cert = optarg;
			break;
		case OPT_EDGE_CA_KEY:
			eo.edge_ca_key = optarg;
			break;
		case OPT_TRUST_BUNDLE:
			eo.trust_bundle = optarg;
			break;
		case OPT_DEVICE_DIR:
			device_dir = optarg;
			break;
		case OPT_DEVICE_CERT_DIR:
			eo.device_cert_dir = optarg;
			break;
		case OPT_DEVICE_KEY_DIR:
			eo.device_key_dir = optarg;
			break;
		case OPT_LOCAL_PATHS:
			eo.flags |= IOTX509_EDGE_LOCAL_PATHS;
			break;
		case OPT_COPY_TO:
			copy_to = optarg;
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
	if ((scope == NULL) == (eo.iothub_hostname == NULL))
		return cli_usage(&c, "give --id-scope SCOPE (DPS) or --iothub HOST (manual provisioning)");
	if (cert == NULL || key == NULL)
		return cli_usage(&c, "--cert FILE and --key FILE are required");
	if (edge_ca != NULL && (eo.edge_ca_cert != NULL || eo.edge_ca_key != NULL))
		return cli_usage(&c, "give --edge-ca NAME or --edge-ca-cert and --edge-ca-key, not both");
	if ((eo.edge_ca_cert == NULL) != (eo.edge_ca_key == NULL))
		return cli_usage(&c, "--edge-ca-cert FILE and --edge-ca-key FILE go together");
	if ((eo.flags & IOTX509_EDGE_LOCAL_PATHS) && (device_dir || eo.device_cert_dir || eo.device_key_dir))
		return cli_usage(&c, "--local-paths and the device directories exclude each other");
	if (device_dir != NULL) {
		if (eo.device_cert_dir == NULL)
			eo.device_cert_dir = device_dir;
		if (eo.device_key_dir == NULL)
			eo.device_key_dir = device_dir;
	}
	if (edge_ca != NULL) {
		if ((rc = name_path(&c, edge_ca, IOTX509_CREDENTIAL_FULLCHAIN, &ca_cert)) != 0 ||
		    (rc = name_path(&c, edge_ca, IOTX509_CREDENTIAL_KEY, &ca_key)) != 0)
			goto done;
		eo.edge_ca_cert = (const char *)ca_cert.data;
		eo.edge_ca_key = (const char *)ca_key.data;
	}
	eo.id_policy = c.id_policy;
	rc = EXIT_FAIL;
	if (iotx509_edge_export_config(&toml, cert, key, scope, &eo) < 0) {
		rc = cli_fail(&c, NULL);
		goto done;
	}
	/* The TOML file and the copies: one set, all of them or none. */
	if (out != NULL || copy_to != NULL) {
		if (iotx509_fileset_new(&set) < 0 ||
		    (out != NULL && iotx509_fileset_add(set, out, toml.data, toml.size, NULL) < 0) ||
		    (copy_to != NULL && iotx509_edge_stage(set, copy_to, cert, key, &eo) < 0)) {
			rc = cli_fail(&c, NULL);
			goto done;
		}
		if ((rc = cli_commit(&c, set)) != 0)
			goto done;
	}
	rc = EXIT_OK;
	if (c.json) {
		out_start("edge-config", 1);
		out_str("provisioning", NULL, scope ? "dps" : "manual");
		if (scope)
			out_str("id_scope", NULL, scope);
		else
			out_str("iothub_hostname", NULL, eo.iothub_hostname);
		if (out)
			out_str("file", NULL, out);
		if (set)
			out_files(set);
		report_files(&eo, cert, key);
		out_str("toml", NULL, (const char *)toml.data);
		out_finish();
	} else if (out != NULL) {
		out_start("edge-config", 0);
		out_files(set);
		out_finish();
	} else {
		fwrite(toml.data, 1, toml.size, stdout);
		/* stdout carries the TOML: the copies are reported beside it. */
		for (i = 0; set != NULL && i < iotx509_fileset_count(set); i++)
			cli_note(&c, "wrote %s", iotx509_fileset_get_path(set, i));
	}
done:
	iotx509_fileset_free(set);
	iotx509_buf_dispose(&toml);
	iotx509_buf_dispose(&ca_cert);
	iotx509_buf_dispose(&ca_key);
	return rc;
}
