/*
 * iotx509: X.509 identities for IoT devices from the command line.
 * This file only dispatches to the commands (src/cmd-*.c).
 */
#include <config.h>

#include "cli.h"

#include <stdio.h>
#include <string.h>

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "root", cmd_root, "create a self-signed root CA" },
	{ "intermediate", cmd_intermediate, "create an intermediate CA under PARENT" },
	{ "device", cmd_device, "create a device certificate (under PARENT, or self-signed)" },
	{ "batch", cmd_batch, "create device certificates for many IDs under PARENT" },
	{ "verification", cmd_verification, "create a proof-of-possession certificate for a CA" },
	{ "edge-ca", cmd_edge_ca, "create an IoT Edge device CA under PARENT" },
	{ "server", cmd_server, "create a TLS server certificate under PARENT" },
	{ "csr", cmd_csr, "create a certificate signing request" },
	{ "sign", cmd_sign, "issue a device certificate from a CSR" },
	{ "renew", cmd_renew, "renew a certificate (same CN; new key or issuer if asked)" },
	{ "chain", cmd_chain, "order a leaf and bundles into a full chain" },
	{ "verify", cmd_verify, "verify a chain against trust anchors" },
	{ "check", cmd_check, "would DPS accept this device? (offline attestation check)" },
	{ "inspect", cmd_inspect, "show certificates, keys, CSRs and .pfx files" },
	{ "thumbprint", cmd_thumbprint, "print SHA-1 and SHA-256 thumbprints" },
	{ "expiry", cmd_expiry, "list certificates that expire or need renewal" },
	{ "tree", cmd_tree, "show the CA hierarchy of files and directories" },
	{ "p12", cmd_p12, "export or import a PKCS#12 (.pfx) file" },
	{ "edge-config", cmd_edge_config, "write the IoT Edge [provisioning] section (DPS, X.509)" },
	{ "lint", cmd_lint, "check certificates against the RFC 5280 rules" },
};

static void usage(FILE *f)
{
	size_t i;

	fputs("Usage: iotx509 COMMAND [ARGUMENT]... [OPTION]...\n"
	      "Issue and check X.509 certificates for IoT devices (Azure IoT DPS and Hub).\n"
	      "\n"
	      "Commands:\n",
	      f);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-14s %s\n", commands[i].name, commands[i].summary);
	fputs("\n"
	      "  -h, --help       show this help ('iotx509 COMMAND --help' for a command)\n"
	      "  -V, --version    show the version\n"
	      "\n"
	      "Group enrollment in four commands:\n"
	      "  iotx509 root my-root\n"
	      "  iotx509 device sample-device-01 my-root\n"
	      "  iotx509 verification --ca my-root_cert.pem --key my-root_key.pem --nonce 1234ABCD\n"
	      "  iotx509 verify sample-device-01_fullchain.pem --trust my-root_cert.pem --device\n"
	      "\n"
	      "Exit status: 0 on success, 1 when the operation or a verification fails, 2 for a bad\n"
	      "command line. See iotx509(1).\n",
	      f);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		fputs("iotx509: missing COMMAND (see 'iotx509 --help')\n", stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("iotx509 (libiotx509) %s\n", iotx509_version(NULL, NULL, NULL));
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "iotx509: unknown command '%s' (see 'iotx509 --help')\n", argv[1]);
	return EXIT_USAGE;
}
