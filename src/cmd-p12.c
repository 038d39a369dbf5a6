/*
 * p12 export: a .pfx from a credential (NAME's files, or explicit files);
 * p12 import: the key, certificate and full chain out of a .pfx.
 */
#include <config.h>

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help_p12[] =
	"Usage: iotx509 p12 export NAME [OPTION]...\n"
	"       iotx509 p12 export --cert FILE --key FILE [--chain FILE]... --out FILE [OPTION]...\n"
	"       iotx509 p12 import FILE [--out NAME] [OPTION]...\n"
	"\n"
	"export writes a PKCS#12 file with the key, the certificate and its chain: from NAME's\n"
	"files in the out dir (NAME_cert.pem, NAME_key.pem, NAME_fullchain.pem) to NAME.pfx, or\n"
	"from explicit files. import writes NAME_cert.pem, NAME_key.pem and NAME_fullchain.pem\n"
	"from a .pfx (NAME defaults to FILE's name without .pfx or .p12).\n"
	"\n"
	"  --cert FILE          export: the certificate (may be followed by its chain)\n"
	"  --key FILE           export: its private key\n"
	"  --key-password PW    export: password of an encrypted key\n"
	"  --key-password-file FILE\n"
	"                       export: the same, from the first line of FILE (else $" ENV_KEY_PASSWORD ")\n"
	"  --chain FILE         export: more certificates for the chain (file or directory)\n"
	"  --out FILE|NAME      export: the .pfx to write; import: the file name stem\n"
	"  --password PW        password of the .pfx (default " DEFAULT_PFX_PASSWORD ", and the tool says so);\n"
	"                       import: --password '' reads a .pfx with an empty password\n"
	"  --password-file FILE read the .pfx password from the first line of FILE (import:\n"
	"                       an empty first line is the empty password)\n"
	"  --allow-no-mac       import: read a .pfx without a MAC (nothing protects it from\n"
	"                       changes; the tool warns)\n"
	"  --pfx-profile P      export: modern (default: AES-256, SHA-256) or compat (3DES, SHA-1)\n"
	"  --friendly-name TEXT export: the friendlyName (default: the certificate's CN)\n"
	"  --iterations N       export: key derivation and MAC iterations (2048, the default,\n"
	"                       to 2000000)\n"
	"  --out-dir DIR        where NAME's files are (default .)\n"
	"  --force              replace existing files\n"
	"  --json               print the result as one JSON object\n"
	"  -h, --help           show this help\n";

/* p12's own option, numbered clear of the shared ones. */
enum { OPT_ALLOW_NO_MAC = 0x1000 };

static const struct option p12_options[] = {
	O_HELP, O_JSON, O_FORCE, O_OUT_DIR, O_PASSWORD, O_PASSWORD_FILE, O_PFX_PROFILE,
	{ "cert", required_argument, NULL, OPT_CERT },
	{ "key", required_argument, NULL, OPT_KEY },
	O_KEY_PASSWORD, O_KEY_PASSWORD_FILE,
	{ "chain", required_argument, NULL, OPT_CHAIN },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "friendly-name", required_argument, NULL, OPT_FRIENDLY_NAME },
	{ "iterations", required_argument, NULL, OPT_ITERATIONS },
	{ "allow-no-mac", no_argument, NULL, OPT_ALLOW_NO_MAC },
	O_END,
};

struct p12_args {
	struct cli c;
	const char *cert, *key, *out, *friendly_name;
	const char **chain;
	int nchain;
	unsigned int iterations;
	int allow_no_mac;
};

static void report(const struct cli *c, const char *command, const iotx509_fileset *set,
		   const iotx509_credential *cred)
{
	out_start(command, c->json);
	out_files(set);
	out_cert("certificate", iotx509_credential_get_cert(cred), NULL);
	out_chain("chain", iotx509_credential_get_chain(cred));
	out_finish();
}

static int p12_export(struct p12_args *a, const char *name)
{
	iotx509_write_options wo;
	struct cli *c = &a->c;
	iotx509_credential *cred = NULL;
	iotx509_certlist *pool = NULL;
	iotx509_cert *cert = NULL;
	iotx509_key *key = NULL;
	iotx509_fileset *set = NULL;
	iotx509_pkcs12_options po = IOTX509_PKCS12_OPTIONS_INIT;
	iotx509_buf path = IOTX509_BUF_INIT, pfx = IOTX509_BUF_INIT;
	const char *target;
	char *password = NULL, *key_password = NULL;
	int rc = EXIT_FAIL, i, default_password = 0;

	if (a->allow_no_mac)
		return cli_usage(c, "--allow-no-mac is for import");
	if ((name == NULL) == (a->cert == NULL))
		return cli_usage(c, "give NAME, or --cert FILE and --key FILE, for export");
	if (name == NULL && (a->key == NULL || a->out == NULL))
		return cli_usage(c, "export from files needs --cert FILE, --key FILE and --out FILE");
	if (name != NULL && (a->key != NULL || a->nchain > 0))
		return cli_usage(c, "--key and --chain go with --cert, not with NAME");
	if ((rc = cli_key_password(c, &key_password)) != 0)
		return rc;

	if (name != NULL) {
		if (iotx509_credential_load(&cred, c->out_dir, name, key_password,
					    &cli_partial_chain) < 0)
			goto fail;
	} else {
		if (iotx509_certlist_new(&pool) < 0 || iotx509_certlist_add_path(pool, a->cert) < 0 ||
		    iotx509_cert_dup(&cert, iotx509_certlist_get(pool, 0)) < 0 ||
		    iotx509_key_load(&key, a->key, key_password) < 0)
			goto fail;
		for (i = 0; i < a->nchain; i++)
			if (iotx509_certlist_add_path(pool, a->chain[i]) < 0)
				goto fail;
		if (iotx509_credential_new(&cred, cert, key, pool, &cli_partial_chain) < 0)
			goto fail;
	}
	cli_warn_partial(c, iotx509_credential_get_chain(cred), "give the rest of the chain with --chain");
	if (a->out == NULL && iotx509_credential_path(&path, c->out_dir, name, IOTX509_CREDENTIAL_PFX) < 0)
		goto fail;
	target = a->out ? a->out : (const char *)path.data;
	if ((rc = cli_pfx_password(c, &password, &default_password)) != 0)
		goto out;
	po.profile = c->pfx_profile;
	po.iterations = a->iterations;
	po.friendly_name = a->friendly_name;
	if (iotx509_pkcs12_export(&pfx, iotx509_credential_get_cert(cred), iotx509_credential_get_key(cred),
				  iotx509_credential_get_chain(cred), password, &po) < 0 ||
	    iotx509_fileset_new(&set) < 0 ||
	    iotx509_fileset_add(set, target, pfx.data, pfx.size, cli_write_options(&wo, IOTX509_WRITE_PRIVATE)) < 0)
		goto fail;
	if ((rc = cli_commit(c, set)) != 0)
		goto out;
	report(c, "p12 export", set, cred);
	if (default_password)
		cli_note_default_password(c, target);
	rc = EXIT_OK;
	goto out;
fail:
	rc = cli_fail(c, NULL);
out:
	cli_free_secret(password);
	cli_free_secret(key_password);
	iotx509_buf_dispose(&path);
	iotx509_buf_dispose(&pfx);
	iotx509_fileset_free(set);
	iotx509_credential_free(cred);
	iotx509_certlist_free(pool);
	iotx509_cert_free(cert);
	iotx509_key_free(key);
	return rc;
}

/* "dir/sampleDevice01.pfx" -> "sampleDevice01" (malloc'd). */
static char *stem_of(const char *path)
{
	const char *base = strrchr(path, '/');
	char *s = strdup(base ? base + 1 : path);
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	if (n > 4 && (strcmp(s + n - 4, ".pfx") == 0 || strcmp(s + n - 4, ".p12") == 0))
		s[n - 4] = '\0';
	return s;
}

static int p12_import(struct p12_args *a, const char *file)
{
	struct cli *c = &a->c;
	iotx509_pkcs12 *p12 = NULL;
	iotx509_credential *cred = NULL;
	iotx509_fileset *set = NULL;
	iotx509_credential_save_options so = IOTX509_CREDENTIAL_SAVE_OPTIONS_INIT;
	char *password = NULL, *stem = NULL;
	iotx509_pkcs12_read_options ro = IOTX509_PKCS12_READ_OPTIONS_INIT;
	unsigned int prot;
	int rc, default_password = 0;

	if (a->cert || a->key || a->nchain || a->friendly_name || a->iterations)
		return cli_usage(c, "--cert, --key, --chain, --friendly-name and --iterations are for export");
	if ((rc = cli_pfx_password_to_read(c, &password, &default_password)) != 0)
		return rc;
	/* Without a MAC the file is refused below, with the option to give. */
	ro.flags = IOTX509_PKCS12_ALLOW_NO_MAC;
	if (*password == '\0')
		ro.flags |= IOTX509_PKCS12_ALLOW_EMPTY_PASSWORD;
	rc = EXIT_FAIL;
	stem = a->out ? strdup(a->out) : stem_of(file);
	if (stem != NULL && iotx509_pkcs12_load(&p12, file, password, &ro) < 0) {
		rc = cli_fail(c, default_password && iotx509_error_last_code() == IOTX509_EPASSWORD
					 ? "(tried the default password " DEFAULT_PFX_PASSWORD "; give --password)"
					 : NULL);
		goto out;
	}
	prot = iotx509_pkcs12_get_protection(p12);
	if (!(prot & IOTX509_PKCS12_MAC) && !a->allow_no_mac) {
		out_discard();
		fprintf(stderr,
			"%s: %s has no MAC: nothing protects its contents from changes%s; give --allow-no-mac to "
			"import it anyway\n",
			c->name, out_esc(file), prot & IOTX509_PKCS12_KEY_ENCRYPTED ? "" : ", and any password opens it");
		goto out;
	}
	if (stem == NULL || iotx509_credential_new(&cred, iotx509_pkcs12_get_leaf(p12), iotx509_pkcs12_get_key(p12),
				   iotx509_pkcs12_get_chain(p12), &cli_partial_chain) < 0 ||
	    iotx509_fileset_new(&set) < 0 || iotx509_credential_stage(set, cred, c->out_dir, stem, &so) < 0) {
		rc = cli_fail(c, NULL);
		goto out;
	}
	cli_warn_partial(c, iotx509_credential_get_chain(cred), "the .pfx does not hold the whole chain");
	if ((rc = cli_commit(c, set)) != 0)
		goto out;
	report(c, "p12 import", set, cred);
	if (!(prot & IOTX509_PKCS12_MAC))
		cli_note(c, "warning: %s has no MAC: nothing protected its contents from changes%s", file,
			 prot & IOTX509_PKCS12_KEY_ENCRYPTED ? "" : ", and its private key was not encrypted");
	rc = EXIT_OK;
out:
	cli_free_secret(password);
	free(stem);
	iotx509_fileset_free(set);
	iotx509_credential_free(cred);
	iotx509_pkcs12_free(p12);
	return rc;
}

int cmd_p12(int argc, char **argv)
{
	struct p12_args a;
	const char *action;
	int ch, rc;

	memset(&a, 0, sizeof(a));
	cli_init(&a.c, PROGRAM " p12", help_p12);
	a.chain = calloc((size_t)argc + 1, sizeof(*a.chain));
	if (a.chain == NULL)
		return EXIT_FAIL;
	while ((ch = cli_getopt(&a.c, argc, argv, p12_options)) != -1) {
		switch (ch) {
		case OPT_CERT:
			a.cert = optarg;
			break;
		case OPT_KEY:
			a.key = optarg;
			break;
		case OPT_CHAIN:
			a.chain[a.nchain++] = optarg;
			break;
		case OPT_OUT:
			a.out = optarg;
			break;
		case OPT_FRIENDLY_NAME:
			a.friendly_name = optarg;
			break;
		case OPT_ALLOW_NO_MAC:
			a.allow_no_mac = 1;
			break;
		case OPT_ITERATIONS:
			if ((rc = cli_parse_uint(&a.c, "--iterations", optarg, IOTX509_PKCS12_MAX_ITERATIONS,
						 &a.iterations)) != 0)
				goto done;
			break;
		default:
			if ((rc = cli_option(&a.c, ch, optarg, argv)) != CLI_CONTINUE)
				goto done;
		}
	}
	if (argc - optind < 1) {
		rc = cli_usage(&a.c, "missing export or import");
		goto done;
	}
	action = argv[optind];
	if (argc - optind > 2) {
		rc = cli_usage(&a.c, "unexpected argument '%s'", argv[optind + 2]);
	} else if (strcmp(action, "export") == 0) {
		a.c.name = PROGRAM " p12 export";
		rc = p12_export(&a, argv[optind + 1]);
	} else if (strcmp(action, "import") == 0) {
		a.c.name = PROGRAM " p12 import";
		rc = argv[optind + 1] ? p12_import(&a, argv[optind + 1]) : cli_usage(&a.c, "missing FILE");
	} else {
		rc = cli_usage(&a.c, "unknown action '%s' (export, import)", action);
	}
done:
	free(a.chain);
	return rc;
}
