/*
 * inspect: what a file holds (certificates, a private key, a CSR, a .pfx);
 * thumbprint: the SHA-1 and SHA-256 thumbprints the Azure portal asks for.
 */
#include <config.h>

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help_inspect[] =
	"Usage: iotx509 inspect FILE|URL... [--password PW] [OPTION]...\n"
	"Show what each FILE holds: certificates (PEM bundles or DER), a private key, a\n"
	"certificate request, or a PKCS#12 (.pfx) file. Keys are described, never printed.\n"
	"A pkcs11: URL lists the token objects it matches (private ones with a PIN).\n"
	"\n"
	"  --pin-file FILE      PKCS#11 PIN from the first line of FILE (else the URL's\n"
	"                       pin-value or pin-source, else $IOTX509_PKCS11_PIN)\n"
	"  --pkcs11-module PATH load this PKCS#11 module (default: the p11-kit configuration)\n"
	"  --password PW        password of a .pfx or an encrypted key (a .pfx is tried\n"
	"                       with the default " DEFAULT_PFX_PASSWORD " when none is given)\n"
	"  --password-file FILE read the password from the first line of FILE (else\n"
	"                       $" ENV_PFX_PASSWORD ")\n"
	"  --json               print the result as one JSON object\n"
	"  -h, --help           show this help\n";

static const char help_thumbprint[] =
	"Usage: iotx509 thumbprint FILE... [--sha1 | --sha256] [OPTION]...\n"
	"Print the SHA-1 and SHA-256 thumbprints (upper-case hex, as the Azure portal and DPS\n"
	"enrollments take them) of every certificate in each FILE.\n"
	"\n"
	"  --sha1               print only the SHA-1 thumbprints, one per line\n"
	"  --sha256             print only the SHA-256 thumbprints, one per line\n"
	"  --json               print the result as one JSON object\n"
	"  -h, --help           show this help\n";

static const char *object_type_name(iotx509_pkcs11_object_type t)
{
	switch (t) {
	case IOTX509_PKCS11_PRIVATE_KEY:
		return "private key";
	case IOTX509_PKCS11_PUBLIC_KEY:
		return "public key";
	case IOTX509_PKCS11_CERTIFICATE:
		return "certificate";
	default:
		return "other";
	}
}

/* List the token objects a pkcs11: URL matches. */
static int inspect_url(struct cli *c, const char *url)
{
	iotx509_key_open_options o;
	iotx509_pkcs11_list *list = NULL;
	size_t i;
	int rc;

	if ((rc = cli_key_options(c, &o, NULL)) != 0)
		return rc;
	if (iotx509_pkcs11_list_objects(&list, url, &o) < 0) {
		cli_key_options_free(&o);
		return cli_fail(c, NULL);
	}
	cli_key_options_free(&o);
	out_begin_object(NULL, url);
	out_str("url", NULL, url);
	out_begin_array("objects");
	for (i = 0; i < iotx509_pkcs11_list_count(list); i++) {
		out_begin_object(NULL, iotx509_pkcs11_list_get_url(list, i));
		out_str("url", NULL, iotx509_pkcs11_list_get_url(list, i));
		out_str("type", "type", object_type_name(iotx509_pkcs11_list_get_type(list, i)));
		out_str("label", "label", iotx509_pkcs11_list_get_label(list, i));
		out_str("id", "id", iotx509_pkcs11_list_get_id_hex(list, i));
		out_end();
	}
	out_end();
	if (iotx509_pkcs11_list_count(list) == 0)
		out_text("  (no matching objects; private ones need a PIN)");
	out_end();
	iotx509_pkcs11_list_free(list);
	return 0;
}

/* Describe one file; 0 or an exit status after printing the error. */
static int inspect_file(struct cli *c, const char *path, const char *password, int password_given)
{
	iotx509_buf data = IOTX509_BUF_INIT;
	iotx509_certlist *certs = NULL;
	iotx509_key *key = NULL;
	iotx509_csr *csr = NULL;
	iotx509_pkcs12 *p12 = NULL;
	int found = 0, err, rc = 0;
	size_t i;

	if (iotx509_file_read(&data, path) < 0)
		return cli_fail(c, NULL);
	out_begin_object(NULL, path);
	out_str("path", NULL, path);

	/* Each reader ignores what it does not understand, so trying them in
	 * turn shows everything a combined PEM file holds. A .pfx goes before
	 * the key reader, which takes unknown DER for an encrypted key. */
	if (iotx509_certlist_new(&certs) == 0 && iotx509_certlist_import(certs, data.data, data.size) == 0) {
		out_begin_array("certificates");
		for (i = 0; i < iotx509_certlist_count(certs); i++)
			out_cert(NULL, iotx509_certlist_get(certs, i), NULL);
		out_end();
		found = 1;
	}
	if (!found) {
		err = iotx509_pkcs12_import(&p12, data.data, data.size, password, 0);
		if (err == 0) {
			const char *fn = iotx509_pkcs12_get_friendly_name(p12);
			const iotx509_certlist *chain = iotx509_pkcs12_get_chain(p12);

			out_begin_object("pkcs12", "PKCS#12");
			out_str("friendly_name", "friendlyName:", fn ? fn : "");
			out_key("key", iotx509_pkcs12_get_key(p12), NULL);
			out_cert("certificate", iotx509_pkcs12_get_leaf(p12), NULL);
			out_begin_array("chain");
			for (i = 0; i < iotx509_certlist_count(chain); i++)
				out_cert(NULL, iotx509_certlist_get(chain, i), NULL);
			out_end();
			out_end();
			out_end();
			goto out;
		} else if (err == IOTX509_EPASSWORD) {
			rc = cli_fail(c, password_given ? NULL : "(tried the default password " DEFAULT_PFX_PASSWORD
								 "; give --password)");
			goto out;
		}
	}
	err = iotx509_key_import(&key, data.data, data.size, password_given ? password : NULL);
	if (err == 0) {
		out_key("key", key, NULL);
		found = 1;
	} else if (err == IOTX509_EPASSWORD) {
		rc = cli_fail(c, path);
		goto out;
	}
	if (iotx509_csr_import(&csr, data.data, data.size) == 0) {
		out_csr("csr", csr, NULL);
		found = 1;
	}
	if (!found) {
		out_discard();
		fprintf(stderr, "%s: %s: no certificate, private key, certificate request or PKCS#12 data found\n",
			c->name, out_esc(path));
		rc = EXIT_FAIL;
		goto out;
	}
	out_end();
out:
	iotx509_pkcs12_free(p12);
	iotx509_csr_free(csr);
	iotx509_key_free(key);
	iotx509_certlist_free(certs);
	iotx509_buf_dispose(&data);
	return rc;
}

int cmd_inspect(int argc, char **argv)
{
	static const struct option opts[] = { O_HELP, O_JSON, O_PASSWORD, O_PASSWORD_FILE, O_PIN_FILE,
					      O_PKCS11_MODULE, O_END };
	struct cli c;
	char *password = NULL;
	int ch, rc, i, given;

	cli_init(&c, PROGRAM " inspect", help_inspect);
	while ((ch = cli_getopt(&c, argc, argv, opts)) != -1)
		if ((rc = cli_option(&c, ch, optarg, argv)) != CLI_CONTINUE)
			return rc;
	if (argc - optind < 1)
		return cli_usage(&c, "missing FILE");
	given = cli_pfx_password_given(&c);
	/* Without a password, .pfx files are read with the default one, quietly:
	 * inspect says so in its output only when it matters. */
	if (given && (rc = cli_pfx_password(&c, &password, &i)) != 0)
		return rc;
	out_start("inspect", c.json);
	out_begin_array("inputs");
	for (i = optind; i < argc; i++)
		if ((rc = strncmp(argv[i], "pkcs11:", 7) == 0
				  ? inspect_url(&c, argv[i])
				  : inspect_file(&c, argv[i], given ? password : DEFAULT_PFX_PASSWORD, given)) != 0)
			goto out;
	out_end();
	out_finish();
	rc = EXIT_OK;
out:
	cli_free_secret(password);
	return rc;
}

int cmd_thumbprint(int argc, char **argv)
{
	static const struct option opts[] = {
		O_HELP, O_JSON,
		{ "sha1", no_argument, NULL, OPT_SHA1 },
		{ "sha256", no_argument, NULL, OPT_SHA256 },
		O_END,
	};
	struct cli c;
	iotx509_certlist *certs = NULL;
	int ch, rc, i, only = 0;
	size_t k;

	cli_init(&c, PROGRAM " thumbprint", help_thumbprint);
	while ((ch = cli_getopt(&c, argc, argv, opts)) != -1) {
		if (ch == OPT_SHA1 || ch == OPT_SHA256) {
			if (only != 0 && only != ch)
				return cli_usage(&c, "give --sha1 or --sha256, not both");
			only = ch;
		} else if ((rc = cli_option(&c, ch, optarg, argv)) != CLI_CONTINUE) {
			return rc;
		}
	}
	if (argc - optind < 1)
		return cli_usage(&c, "missing FILE");
	out_start("thumbprint", c.json);
	out_begin_array("certificates");
	for (i = optind; i < argc; i++) {
		if (iotx509_certlist_new(&certs) < 0 || iotx509_certlist_load(certs, argv[i]) < 0) {
			iotx509_certlist_free(certs);
			return cli_fail(&c, NULL);
		}
		for (k = 0; k < iotx509_certlist_count(certs); k++) {
			const iotx509_cert *cert = iotx509_certlist_get(certs, k);
			const char *sha1 = iotx509_cert_get_thumbprint_sha1(cert);
			const char *sha256 = iotx509_cert_get_thumbprint_sha256(cert);

			if (c.json) {
				out_begin_object(NULL, NULL);
				out_str("path", NULL, argv[i]);
				out_str("subject", NULL, iotx509_cert_get_subject_dn(cert));
				if (only != OPT_SHA256)
					out_str("sha1", NULL, sha1);
				if (only != OPT_SHA1)
					out_str("sha256", NULL, sha256);
				out_end();
			} else if (only) {
				out_text("%s", only == OPT_SHA1 ? sha1 : sha256);
			} else {
				out_text("%s: %s", argv[i], iotx509_cert_get_subject_dn(cert));
				out_text("  SHA-1:   %s", sha1);
				out_text("  SHA-256: %s", sha256);
			}
		}
		iotx509_certlist_free(certs);
		certs = NULL;
	}
	out_end();
	out_finish();
	return EXIT_OK;
}
