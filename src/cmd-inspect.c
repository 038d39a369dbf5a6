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
	"An input that cannot be read is reported on stderr with the reason; the others\n"
	"are still shown, and the exit status is 1.\n"
	"\n"
	"  --pin-file FILE      PKCS#11 PIN from the first line of FILE (else the URL's\n"
	"                       pin-value or pin-source, else $IOTX509_PKCS11_PIN)\n"
	"  --pkcs11-module PATH load this PKCS#11 module (default: the p11-kit configuration)\n"
	"  --password PW        password of a .pfx or an encrypted key (a .pfx is tried\n"
	"                       with the default " DEFAULT_PFX_PASSWORD " when none is given; '' is the\n"
	"                       empty password)\n"
	"  --password-file FILE read the password from the first line of FILE (an empty\n"
	"                       line is the empty password; else $" ENV_PFX_PASSWORD ")\n"
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

/*
 * A file that cannot be described: its reason on stderr, and in the JSON
 * output an entry with the path and the error, so that the other files'
 * results are still printed. Returns EXIT_FAIL.
 */
static int file_failed(const struct cli *c, const char *path, const char *msg, const char *hint)
{
	char *full = NULL;

	/* Library messages about a file start with its path; others get it. */
	if (strncmp(msg, path, strlen(path)) != 0 && asprintf(&full, "%s: %s", path, msg) < 0)
		full = NULL;
	fprintf(stderr, "%s: %s%s%s\n", c->name, out_esc(full ? full : msg), hint ? " " : "", hint ? hint : "");
	out_begin_object(NULL, NULL);
	out_str("path", NULL, path);
	out_str("error", NULL, full ? full : msg);
	out_end();
	free(full);
	return EXIT_FAIL;
}

/* The last error's message, for a reader's failure kept for later. */
static char *last_error(void)
{
	const char *msg = iotx509_error_last();

	return strdup(msg ? msg : iotx509_strerror(iotx509_error_last_code()));
}

/* List the token objects a pkcs11: URL matches. Returns 0 (with *failed
 * set when the listing failed and was reported), or an exit status when
 * the command cannot go on (an unreadable --pin-file). */
static int inspect_url(struct cli *c, const char *url, int *failed)
{
	iotx509_key_open_options o;
	iotx509_pkcs11_list *list = NULL;
	size_t i;
	int rc;

	if ((rc = cli_key_options(c, &o, NULL)) != 0)
		return rc;
	if (iotx509_pkcs11_list_objects(&list, url, &o) < 0) {
		char *msg = last_error();

		cli_key_options_free(&o);
		*failed = file_failed(c, url, msg ? msg : "cannot list the token's objects", NULL);
		free(msg);
		return 0;
	}
	cli_key_options_free(&o);
	out_begin_object(NULL, url);
	out_str("url", NULL, url);
	out_begin_array("objects");
	for (i = 0; i < iotx509_pkcs11_list_count(list); i++) {
		out_begin_object(NULL, iotx509_pkcs11_list_get_url(list, i));
		out_str("url", NULL, iotx509_pkcs11_list_get_url(list, i));
		out_str("type", "type", iotx509_pkcs11_object_type_name(iotx509_pkcs11_list_get_type(list, i)));
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

/* Describe one file; 0, or EXIT_FAIL after reporting why. */
static int inspect_file(struct cli *c, const char *path, const char *password, int password_given)
{
	iotx509_buf data = IOTX509_BUF_INIT;
	iotx509_certlist *certs = NULL;
	iotx509_key *key = NULL;
	iotx509_csr *csr = NULL;
	iotx509_pkcs12 *p12 = NULL;
	/* Why a reader that recognised its kind of data could not read it:
	 * the first reason, in the order the readers are tried. */
	char *why = NULL;
	const char *msg;
	iotx509_pkcs12_read_options ro = { IOTX509_PKCS12_READ_OPTIONS_VERSION, IOTX509_PKCS12_ALLOW_NO_MAC };
	int found = 0, err, rc = 0;
	size_t i;

	if (iotx509_file_read(&data, path) < 0) {
		why = last_error();
		rc = file_failed(c, path, why ? why : "cannot read", NULL);
		free(why);
		return rc;
	}

	/* Each reader ignores what it does not understand, so trying them in
	 * turn shows everything a combined PEM file holds. A .pfx goes before
	 * the key reader, which refuses it. Nothing is printed before all
	 * readers had their turn. */
	err = iotx509_certlist_import(&certs, data.data, data.size);
	if (err == 0)
		found = 1;
	else if (err != IOTX509_EPARSE)
		why = last_error();
	if (!found) {
		if (*password == '\0')
			ro.flags |= IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD;
		err = iotx509_pkcs12_import(&p12, data.data, data.size, password, &ro);
		msg = iotx509_error_last();
		if (err == IOTX509_EPASSWORD) {
			free(why);
			why = last_error();
			rc = file_failed(c, path, why ? why : "wrong password",
					 password_given ? NULL
							: "(tried the default password " DEFAULT_PFX_PASSWORD "; give --password)");
			goto out;
		}
		/* A .pfx the reader cannot read: any error but "not a valid
		 * PKCS#12 file". The key and CSR readers have nothing to add. */
		if (err == 0) {
			found = 1;
		} else if (err != IOTX509_EPARSE || msg == NULL || strncmp(msg, "not a valid PKCS#12 file", 24) != 0) {
			free(why);
			why = last_error();
			rc = file_failed(c, path, why ? why : "unreadable PKCS#12 file", NULL);
			goto out;
		}
	}
	if (p12 == NULL) {
		err = iotx509_key_import(&key, data.data, data.size, password_given ? password : NULL);
		if (err == IOTX509_EPASSWORD) {
			free(why);
			why = last_error();
			rc = file_failed(c, path, why ? why : "wrong password", NULL);
			goto out;
		}
		if (err == 0)
			found = 1;
		else if (err != IOTX509_EPARSE && why == NULL)
			why = last_error();
	}
	if (p12 == NULL) {
		err = iotx509_csr_import(&csr, data.data, data.size);
		if (err == 0)
			found = 1;
		else if (err != IOTX509_EPARSE && why == NULL)
			why = last_error();
	}
	if (!found) {
		rc = file_failed(c, path,
				 why ? why : "no certificate, private key, certificate request or PKCS#12 data found", NULL);
		goto out;
	}

	out_begin_object(NULL, path);
	out_str("path", NULL, path);
	if (certs != NULL && iotx509_certlist_count(certs) > 0) {
		out_begin_array("certificates");
		for (i = 0; i < iotx509_certlist_count(certs); i++)
			out_cert(NULL, iotx509_certlist_get(certs, i), NULL);
		out_end();
	}
	if (p12 != NULL) {
		const char *fn = iotx509_pkcs12_get_friendly_name(p12);
		const iotx509_certlist *chain = iotx509_pkcs12_get_chain(p12);
		unsigned int prot = iotx509_pkcs12_get_protection(p12);

		out_begin_object("pkcs12", "PKCS#12");
		out_str("friendly_name", "friendlyName:", fn ? fn : "");
		out_bool("mac", NULL, (prot & IOTX509_PKCS12_MAC) != 0);
		out_bool("key_encrypted", NULL, (prot & IOTX509_PKCS12_KEY_ENCRYPTED) != 0);
		out_bool("certificates_encrypted", NULL, (prot & IOTX509_PKCS12_CERTS_ENCRYPTED) != 0);
		out_text("%-13s %s%s%s", "protection:", prot & IOTX509_PKCS12_MAC ? "MAC" : "no MAC",
			 prot & IOTX509_PKCS12_KEY_ENCRYPTED ? ", key encrypted" : ", key NOT encrypted",
			 prot & IOTX509_PKCS12_CERTS_ENCRYPTED ? ", certificates encrypted" : "");
		if (!(prot & IOTX509_PKCS12_MAC))
			out_text("warning: no MAC: nothing protected this file's contents from changes");
		out_key("key", iotx509_pkcs12_get_key(p12), NULL);
		out_cert("certificate", iotx509_pkcs12_get_leaf(p12), NULL);
		out_begin_array("chain");
		for (i = 0; i < iotx509_certlist_count(chain); i++)
			out_cert(NULL, iotx509_certlist_get(chain, i), NULL);
		out_end();
		out_end();
	}
	if (key != NULL)
		out_key("key", key, NULL);
	if (csr != NULL)
		out_csr("csr", csr, NULL);
	/* Something else in the file that a reader recognised but cannot use
	 * (a DSA key next to certificates). */
	if (why != NULL)
		out_str("unsupported", "unsupported:", why);
	out_end();
out:
	free(why);
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
	int ch, rc, i, given, failed = 0;

	cli_init(&c, PROGRAM " inspect", help_inspect);
	while ((ch = cli_getopt(&c, argc, argv, opts)) != -1)
		if ((rc = cli_option(&c, ch, optarg, argv)) != CLI_CONTINUE)
			return rc;
	if (argc - optind < 1)
		return cli_usage(&c, "missing FILE");
	given = cli_pfx_password_given(&c);
	/* Without a password, .pfx files are read with the default one, quietly:
	 * inspect says so in its output only when it matters. */
	if (given && (rc = cli_pfx_password_to_read(&c, &password, &i)) != 0)
		return rc;
	out_start("inspect", c.json);
	out_begin_array("inputs");
	/* Every file gets its turn: the results of the good ones are printed,
	 * the others reported, and the exit status says that some failed. */
	for (i = optind; i < argc; i++) {
		if (strncmp(argv[i], "pkcs11:", 7) == 0) {
			if ((rc = inspect_url(&c, argv[i], &failed)) != 0) {
				cli_free_secret(password);
				return rc;
			}
		} else if (inspect_file(&c, argv[i], given ? password : DEFAULT_PFX_PASSWORD, given) != 0) {
			failed = 1;
		}
	}
	out_end();
	out_finish();
	cli_free_secret(password);
	return failed ? EXIT_FAIL : EXIT_OK;
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
		if (iotx509_certlist_new(&certs) < 0 || iotx509_certlist_add_path(certs, argv[i]) < 0) {
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
